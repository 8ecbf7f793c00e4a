//! Hover texts for Compose keys and values, written from the schema table.

#[cfg(test)]
mod target_tests;
mod targets;

use super::schema::{self, KeySpec, Ty};

pub use targets::hover_target;

/// Markdown for the key at `path` (see `schema::lookup`); the last segment names the key.
pub fn hover_key(path: &[String]) -> Option<String> {
    let segs: Vec<&str> = path.iter().map(String::as_str).collect();
    let spec = schema::lookup(&segs)?;
    let name = segs.iter().rev().find(|s| **s != "[]")?;
    Some(key_markdown(name, spec))
}

/// Markdown for a value written at `path`, when it is one the schema documents (an enum
/// value, a restart or pull policy).
pub fn hover_value(path: &[String], value: &str) -> Option<String> {
    let segs: Vec<&str> = path.iter().map(String::as_str).collect();
    let spec = schema::lookup(&segs)?;
    if matches!(spec.ty, Ty::Format(schema::Format::PullPolicy))
        && let Some(d) = value.strip_prefix("every_")
    {
        return Some(format!(
            "`{value}` — Check the registry when the last pull is older than {d}."
        ));
    }
    let values = schema::enum_values(&spec.ty);
    // `on-failure:3` and `every_12h` are documented by their stem.
    let stem = match value.split_once([':', '_']) {
        Some((s, _)) if !values.iter().any(|v| v.name == value) => s,
        _ => value,
    };
    let v = values.iter().find(|v| v.name == value || v.name == stem)?;
    Some(format!("`{}` — {}", value, v.doc))
}

/// The documentation of one key: its shape, its description, its keys or values, and a
/// deprecation note.
pub fn key_markdown(name: &str, spec: &KeySpec) -> String {
    let mut md = format!("**{}** · {}\n\n{}", name, spec.ty.describe(), spec.doc);
    let values = schema::enum_values(&spec.ty);
    if !values.is_empty() {
        let closed = matches!(spec.ty, Ty::Enum(_) | Ty::Format(_))
            || matches!(spec.ty, Ty::OneOf(alts) if alts.iter().any(|t| matches!(t, Ty::Enum(_))));
        md.push_str(if closed { "\n\nValues:\n" } else { "\n\nCommon values:\n" });
        for v in values {
            md.push_str(&format!("- `{}`: {}\n", v.name, v.doc));
        }
        md.truncate(md.trim_end().len());
    }
    // A service's ninety keys would drown the description; completion lists those.
    if let Some(keys) = schema::object_keys(&spec.ty).filter(|k| k.len() <= 30) {
        let list: Vec<String> = keys.iter().map(|k| format!("`{}`", k.name)).collect();
        md.push_str(&format!("\n\nKeys: {}", list.join(", ")));
    }
    if let Some(why) = spec.deprecated {
        md.push_str(&format!("\n\n**Deprecated:** {why}"));
    }
    md
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    fn path(p: &str) -> Vec<String> {
        p.split('.').filter(|s| !s.is_empty()).map(String::from).collect()
    }

    fn check(p: &str, expect: Expect) {
        expect.assert_eq(&super::hover_key(&path(p)).unwrap_or_else(|| "(none)".into()));
    }

    fn check_value(p: &str, value: &str, expect: Expect) {
        expect.assert_eq(&super::hover_value(&path(p), value).unwrap_or_else(|| "(none)".into()));
    }

    #[test]
    fn key_with_values() {
        check(
            "services.web.restart",
            expect![[r#"
            **restart** · restart policy

            What happens when the container exits: `no`, `always`, `on-failure[:N]` or `unless-stopped`.

            Values:
            - `no`: Never restart the container (the default).
            - `always`: Restart whenever the container stops, until it is removed.
            - `on-failure`: Restart only after a non-zero exit; `on-failure:3` caps the number of retries.
            - `unless-stopped`: Like `always`, except after the container was stopped by hand."#]],
        );
    }

    #[test]
    fn key_with_forms_and_keys() {
        check(
            "services.web.build",
            expect![[r#"
            **build** · string or mapping

            How to build the service's image from source: a context path, or a mapping with the context, Dockerfile, arguments and more. With `image` as well, the built image gets that name.

            Keys: `context`, `dockerfile`, `dockerfile_inline`, `args`, `ssh`, `cache_from`, `cache_to`, `additional_contexts`, `entitlements`, `extra_hosts`, `isolation`, `labels`, `network`, `no_cache`, `platforms`, `privileged`, `pull`, `secrets`, `shm_size`, `tags`, `target`, `ulimits`, `provenance`, `sbom`"#]],
        );
    }

    #[test]
    fn long_form_key_in_a_list() {
        check(
            "services.web.ports.[].published",
            expect![[r#"
            **published** · string or integer

            The port on the host, or a range such as `8000-8010`. Left out, the engine picks a free port."#]],
        );
    }

    #[test]
    fn deprecated_key() {
        check(
            "version",
            expect![[r#"
            **version** · string

            Former file-format version marker. Current Compose ignores it and warns that it is obsolete; the newest specification always applies.

            **Deprecated:** Compose ignores `version`; delete the line."#]],
        );
    }

    #[test]
    fn service_entry() {
        check(
            "services.web",
            expect![[r#"
            **web** · mapping

            A service: the image (or build) its containers run and how they are configured."#]],
        );
    }

    #[test]
    fn unknown_key() {
        check("services.web.imagee", expect!["(none)"]);
    }

    #[test]
    fn values() {
        check_value(
            "services.web.restart",
            "on-failure:3",
            expect![
                "`on-failure:3` — Restart only after a non-zero exit; `on-failure:3` caps the number of retries."
            ],
        );
        check_value(
            "services.web.pull_policy",
            "every_12h",
            expect!["`every_12h` — Check the registry when the last pull is older than 12h."],
        );
        check_value(
            "services.web.depends_on.db.condition",
            "service_healthy",
            expect![
                "`service_healthy` — Wait until the dependency's healthcheck passes; it needs a `healthcheck`."
            ],
        );
        check_value("services.web.image", "python", expect!["(none)"]);
    }
}

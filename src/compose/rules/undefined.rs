//! References to services, networks, volumes, secrets and configs that the project never
//! defines.

use std::ops::Range;

use super::{Candidates, Ctx};
use crate::compose::model::{DeclKind, MountKind, Service, Str};
use crate::diagnostics::{Diagnostic, Fix, RuleInfo, Severity};

const fn rule(code: &'static str, summary: &'static str, docs: &'static str) -> RuleInfo {
    RuleInfo {
        code,
        scope: "compose",
        default_severity: Severity::Error,
        enabled_by_default: true,
        fixable: true,
        summary,
        docs,
    }
}

pub const UNDEFINED_SERVICE: RuleInfo = rule(
    "undefined-service",
    "A reference to a service that no file of the project defines.",
    "`depends_on`, `links`, `extends`, `network_mode: service:…` and `volumes_from` name other \
services. Compose refuses to start when the named service doesn't exist in the project (the file \
with its override files and included files).\n\n```yaml\nservices:\n  web:\n    depends_on: [postgress]   # undefined-service\n  postgres:\n    image: postgres:16\n```\n\n\
The fix replaces the name with the closest defined service.",
);

pub const UNDEFINED_NETWORK: RuleInfo = rule(
    "undefined-network",
    "A service joins a network that the top-level `networks` section doesn't declare.",
    "Every network a service lists under `networks` (other than `default`) must be declared at the \
top level, even if only as `name:`; Compose refuses the file otherwise.\n\n```yaml\nservices:\n  web:\n    networks: [backend]   # undefined-network\n```\n\n\
The fix adds `backend:` under a top-level `networks:` section, or picks a close existing name.",
);

pub const UNDEFINED_VOLUME: RuleInfo = rule(
    "undefined-volume",
    "A service mounts a named volume that the top-level `volumes` section doesn't declare.",
    "A mount source that is not a path (`data:/var/lib/postgresql/data`) names a volume, which \
must be declared under the top-level `volumes` key. A host path must start with `.`, `/` or `~`, \
so `data/x:/x` is also read as a volume name.\n\n```yaml\nservices:\n  db:\n    volumes: [pgdata:/var/lib/postgresql/data]   # undefined-volume\n```\n\n\
The fix declares the volume (`volumes: {pgdata: }`).",
);

pub const UNDEFINED_SECRET: RuleInfo = rule(
    "undefined-secret",
    "A service uses a secret that the top-level `secrets` section doesn't declare.",
    "Service `secrets` grant access to secrets declared at the top level (from a `file`, an \
`environment` variable, or `external`). Compose refuses a reference to an undeclared one.\n\n\
```yaml\nservices:\n  web:\n    secrets: [db_password]   # undefined-secret\n```\n\nThe fix declares it with a `file:` to fill in.",
);

pub const UNDEFINED_CONFIG: RuleInfo = rule(
    "undefined-config",
    "A service uses a config that the top-level `configs` section doesn't declare.",
    "Service `configs` refer to configs declared at the top level. Compose refuses a reference to \
an undeclared one.\n\n```yaml\nservices:\n  proxy:\n    configs: [nginx_conf]   # undefined-config\n```\n\nThe fix declares it with a `file:` to fill in.",
);

fn code_of(kind: DeclKind) -> &'static str {
    match kind {
        DeclKind::Network => UNDEFINED_NETWORK.code,
        DeclKind::Volume => UNDEFINED_VOLUME.code,
        DeclKind::Secret => UNDEFINED_SECRET.code,
        DeclKind::Config => UNDEFINED_CONFIG.code,
    }
}

type FastSet<'a> = crate::util::FastSet<&'a str>;

/// The names a file's references are checked against.
struct Names<'a> {
    services: Candidates<'a>,
    /// The same, as a set: a project has hundreds of services, each with references to check.
    service_set: FastSet<'a>,
    /// Per kind, in [`DeclKind::ALL`] order: the declared names, as a list and as a set.
    declared: Vec<(DeclKind, Candidates<'a>, FastSet<'a>)>,
}

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let services: Vec<&str> = ctx.services.iter().map(|s| s.name.as_str()).collect();
    let service_set = services.iter().copied().collect();
    let services = Candidates::new(services);
    let models = ctx.project_models();
    let declared = DeclKind::ALL
        .iter()
        .map(|&k| {
            let names: Vec<&str> = models
                .iter()
                .flat_map(|(_, m)| m.decls(k).iter().map(|d| d.name.as_str()))
                .collect();
            let set = names.iter().copied().collect();
            (k, Candidates::new(names), set)
        })
        .collect();
    let names = Names { services, service_set, declared };
    for svc in &ctx.model.services {
        // References are checked one at a time, in this order: no list per service.
        for d in svc.depends_on.iter().filter(|d| d.required) {
            service_ref(ctx, &names, svc, &d.service, "depends on", out);
        }
        for l in &svc.links {
            service_ref(ctx, &names, svc, l, "links to", out);
        }
        for v in &svc.volumes_from {
            service_ref(ctx, &names, svc, v, "mounts volumes from", out);
        }
        if let Some(e) = svc.extends.as_ref().filter(|e| e.file.is_none()) {
            service_ref(ctx, &names, svc, &e.service, "extends", out);
        }
        if let Some(m) = &svc.network_mode
            && let Some(name) = m.text.strip_prefix("service:")
        {
            let start = m.range.start + "service:".len();
            let r = Str { text: name.to_string(), range: start..start + name.len() };
            service_ref(ctx, &names, svc, &r, "shares the network stack of", out);
        }
        for n in svc.networks.iter().filter(|n| n.text != "default") {
            declared_ref(ctx, &names, DeclKind::Network, n, out);
        }
        let volumes = svc.volumes.iter().filter(|m| m.kind == MountKind::Volume);
        for s in volumes.filter_map(|m| m.source.as_ref()).filter(|s| !s.text.is_empty()) {
            declared_ref(ctx, &names, DeclKind::Volume, s, out);
        }
        for s in &svc.secrets {
            declared_ref(ctx, &names, DeclKind::Secret, s, out);
        }
        for s in &svc.configs {
            declared_ref(ctx, &names, DeclKind::Config, s, out);
        }
    }
}

/// `svc`'s reference `r` to another service.
fn service_ref(
    ctx: &Ctx,
    names: &Names,
    svc: &Service,
    r: &Str,
    verb: &str,
    out: &mut Vec<Diagnostic>,
) {
    // Most references name a service: look that up first.
    if names.service_set.contains(r.text.as_str()) || r.text.contains('$') {
        return;
    }
    let mut d = Diagnostic::new(
        ctx.path(),
        r.range.clone(),
        Severity::Error,
        UNDEFINED_SERVICE.code,
        format!("`{}` {verb} `{}`, which is not a service of this project", svc.name, r.text),
    );
    if let Some(c) = names.services.closest(&r.text) {
        d = d.with_fix(super::change_to(ctx, r.range.clone(), c));
    }
    out.push(d);
}

/// A use of a network, volume, secret or config that must be declared at the top level.
fn declared_ref(ctx: &Ctx, names: &Names, kind: DeclKind, r: &Str, out: &mut Vec<Diagnostic>) {
    let Some((_, list, set)) = names.declared.iter().find(|d| d.0 == kind) else { return };
    // Most uses name a declared one: look that up first.
    if set.contains(r.text.as_str()) || r.text.contains('$') {
        return;
    }
    let mut d = Diagnostic::new(
        ctx.path(),
        r.range.clone(),
        Severity::Error,
        code_of(kind),
        format!(
            "{} `{}` is not declared in the top-level `{}` section",
            capitalize(kind.noun()),
            r.text,
            kind.section()
        ),
    );
    let near = list.closest(&r.text);
    if let Some(c) = near {
        d = d.with_fix(super::change_to(ctx, r.range.clone(), c));
    }
    if let Some(edit) = declare_edit(ctx, kind, &r.text) {
        d = d.with_fix(Fix::local(
            format!("Declare {} `{}`", kind.noun(), r.text),
            ctx.path(),
            vec![edit],
            near.is_none(),
        ));
    }
    out.push(d);
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// An edit adding `name:` to the top-level section of `kind` (creating the section at the end
/// of the file when missing). None for a flow-style section, which we don't rewrite.
pub fn declare_edit(ctx: &Ctx, kind: DeclKind, name: &str) -> Option<(Range<usize>, String)> {
    let text = ctx.text();
    let body = match kind {
        DeclKind::Secret | DeclKind::Config => format!("{name}:\n    file: ./{name}"),
        _ => format!("{name}:"),
    };
    let root = ctx.model.yaml.root.as_ref()?;
    let Some(entry) =
        root.entries().iter().find(|e| e.key == kind.section() && e.merged_from.is_none())
    else {
        // No section: append one at the end of the file.
        let sep = if text.is_empty() || text.ends_with('\n') { "" } else { "\n" };
        return Some((text.len()..text.len(), format!("{sep}{}:\n  {body}\n", kind.section())));
    };
    let v = &entry.value;
    if v.is_missing() || v.is_null() {
        let at = if v.range.is_empty() { v.range.start } else { v.range.end };
        return Some((at..at, format!("\n  {body}")));
    }
    let map = v.as_map().filter(|m| !m.flow && v.alias.is_none())?;
    let first = map.entries.first()?;
    let indent =
        first.key_range.start - ctx.doc.line_range(ctx.doc.line_of(first.key_range.start)).start;
    let last = map.entries.iter().rfind(|e| e.merged_from.is_none())?;
    let end = last.value.range.end.max(last.key_range.end);
    // After the last entry's last non-blank line.
    let end = text[..end].trim_end().len();
    let line_end = ctx.doc.line_range(ctx.doc.line_of(end)).end;
    let pad = " ".repeat(indent);
    let body = body.replace("\n    ", &format!("\n{pad}  "));
    Some((line_end..line_end, format!("\n{pad}{body}")))
}

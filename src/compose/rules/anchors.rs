//! `undefined-anchor`: an alias (`*name`) with no anchor (`&name`) before it.

use super::{Ctx, closest};
use crate::diagnostics::{Diagnostic, Fix, RuleInfo, Severity};

pub const UNDEFINED_ANCHOR: RuleInfo = RuleInfo {
    code: "undefined-anchor",
    scope: "compose",
    default_severity: Severity::Error,
    enabled_by_default: true,
    fixable: true,
    summary: "An alias `*name` refers to no anchor `&name` defined before it.",
    docs: "A YAML alias repeats the node marked with the anchor of the same name, and the anchor \
must come earlier in the same file. Compose cannot load a file whose alias has no such anchor \
(often a typo, or an anchor defined in another file: anchors never cross files).\n\n\
```yaml\nx-env: &common-env\n  TZ: UTC\nservices:\n  web:\n    environment: *comon-env   # undefined-anchor\n```\n\n\
The fix picks the closest anchor name.",
};

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let yaml = &ctx.model.yaml;
    for alias in yaml.aliases.iter().filter(|a| a.anchor.is_none()) {
        let name_range = alias.range.start + 1..alias.range.end;
        // Only anchors before the alias count.
        let earlier = yaml.anchors.iter().filter(|a| a.range.start < alias.range.start);
        let mut d = Diagnostic::new(
            ctx.path(),
            alias.range.clone(),
            Severity::Error,
            UNDEFINED_ANCHOR.code,
            format!("No anchor `&{}` is defined before this alias", alias.name),
        );
        if let Some(c) = closest(&alias.name, earlier.map(|a| a.name.as_str())) {
            d = d.with_fix(Fix::local(
                format!("Change to `*{c}`"),
                ctx.path(),
                vec![(name_range, c.to_string())],
                true,
            ));
        } else if let Some(later) = yaml.anchors.iter().find(|a| a.name == alias.name) {
            d = d.with_related(
                ctx.path(),
                later.range.clone(),
                "the anchor comes after the alias; move it above",
            );
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use crate::testing::fixture;

    /// `undefined-anchor` findings: range text, message, fixes applied.
    fn check(text: &str, expect: Expect) {
        let f = fixture(text);
        let doc = f.snapshot.get(&f.files[0]).unwrap();
        let mut out = String::new();
        for d in super::super::diagnostics(&f.snapshot, doc)
            .iter()
            .filter(|d| d.code == super::UNDEFINED_ANCHOR.code)
        {
            out.push_str(&format!(
                "{:?} {:?}: {}\n",
                d.range,
                &doc.text[d.range.clone()],
                d.message
            ));
            for r in &d.related {
                out.push_str(&format!(
                    "  related {:?}: {}\n",
                    &doc.text[r.location.range.clone()],
                    r.message
                ));
            }
            for fix in &d.fixes {
                let mut t = doc.text.to_string();
                for e in fix.edits.iter().rev() {
                    t.replace_range(e.range.clone(), &e.new_text);
                }
                out.push_str(&format!("  fix {}:\n{t}", fix.title));
            }
        }
        expect.assert_eq(if out.is_empty() { "(quiet)\n" } else { &out });
    }

    #[test]
    fn fires_with_the_closest_anchor() {
        check(
            r#"
            #- /compose.yaml
            x-env: &common-env
              TZ: UTC
            services:
              web:
                image: app
                environment: *comon-env
            "#,
            expect![[r#"
                78..88 "*comon-env": No anchor `&comon-env` is defined before this alias
                  fix Change to `*common-env`:
                x-env: &common-env
                  TZ: UTC
                services:
                  web:
                    image: app
                    environment: *common-env
            "#]],
        );
    }

    #[test]
    fn anchor_after_the_alias() {
        check(
            r#"
            #- /compose.yaml
            services:
              web:
                image: app
                environment: *env
              worker:
                image: app
                environment: &env
                  TZ: UTC
            "#,
            expect![[r#"
                49..53 "*env": No anchor `&env` is defined before this alias
                  related "&env": the anchor comes after the alias; move it above
            "#]],
        );
    }

    #[test]
    fn quiet_when_defined() {
        check(
            r#"
            #- /compose.yaml
            x-base: &base
              image: app
            services:
              web:
                <<: *base
            "#,
            expect![[r#"
                (quiet)
            "#]],
        );
    }
}

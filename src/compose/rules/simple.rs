//! Rules about one file alone: duplicate keys, the obsolete `version`, interpolation syntax.

use super::Ctx;
use crate::diagnostics::{Diagnostic, Fix, RuleInfo, Severity, Tag};

pub const DUPLICATE_KEY: RuleInfo = RuleInfo {
    code: "duplicate-key",
    scope: "compose, dotenv",
    default_severity: Severity::Error,
    enabled_by_default: true,
    fixable: false,
    summary: "A key appears twice in the same mapping.",
    docs: "A YAML mapping may hold each key once. Docker Compose refuses such a file, and other \
YAML tools silently keep only one of the values, so one of the two settings is lost.\n\n\
```yaml\nservices:\n  web:\n    image: app\n    image: app:2   # duplicate-key\n```\n\n\
Keep one of the entries (or merge their contents).\n\n\
In a `.env` file a repeated variable is a warning: Compose keeps the last value, so the earlier \
line is dead; the fix deletes it.",
};

pub const OBSOLETE_VERSION: RuleInfo = RuleInfo {
    code: "obsolete-version",
    scope: "compose",
    default_severity: Severity::Warning,
    enabled_by_default: true,
    fixable: true,
    summary: "The top-level `version` key is obsolete and ignored.",
    docs: "Compose v2 follows the Compose Specification, which has no file format versions: the \
top-level `version` is ignored (Compose prints a warning about it) and does not select any \
feature set.\n\n```yaml\nversion: \"3.8\"   # obsolete-version\nservices:\n  web:\n    image: app\n```\n\n\
The fix removes the line.",
};

pub const INTERPOLATION_SYNTAX: RuleInfo = RuleInfo {
    code: "interpolation-syntax",
    scope: "compose",
    default_severity: Severity::Error,
    enabled_by_default: true,
    fixable: true,
    summary: "A `$` that Compose cannot read as a variable reference.",
    docs: "Compose replaces `$VAR` and `${VAR}` (with the `:-`, `-`, `:?`, `?`, `:+`, `+` \
forms) in every value before anything else happens. Any other use of `$` makes Compose stop with \
an invalid interpolation format error; a dollar sign meant literally must be written `$$`.\n\n\
```yaml\nservices:\n  web:\n    command: echo $1   # interpolation-syntax\n```\n\n\
The fix escapes the dollar sign: `echo $$1`.",
};

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let y = &ctx.model.yaml;
    for d in &y.duplicate_keys {
        out.push(
            Diagnostic::new(
                ctx.path(),
                d.duplicate.clone(),
                Severity::Error,
                DUPLICATE_KEY.code,
                format!("`{}` is already set in this mapping", d.key),
            )
            .with_related(ctx.path(), d.first.clone(), "first set here"),
        );
    }
    if let Some(v) = &ctx.model.version {
        let start = ctx.doc.line_range(ctx.doc.line_of(v.key_range.start)).start;
        // Remove the entry: through its value and the line break after it.
        let end_at = v.value.as_ref().map_or(v.key_range.end, |s| s.range.end);
        let end = ctx.doc.line_range(ctx.doc.line_of(end_at) + 1).start;
        out.push(
            Diagnostic::new(
                ctx.path(),
                v.key_range.clone(),
                Severity::Warning,
                OBSOLETE_VERSION.code,
                "`version` is obsolete: Compose ignores it",
            )
            .with_tag(Tag::Unnecessary)
            .with_fix(Fix::local(
                "Remove `version`",
                ctx.path(),
                vec![(start..end, String::new())],
                true,
            )),
        );
    }
    for e in &ctx.model.interpolation.errors {
        let mut d = Diagnostic::new(
            ctx.path(),
            e.range.clone(),
            Severity::Error,
            INTERPOLATION_SYNTAX.code,
            match &e.masked_message {
                Some(masked) if ctx.snap.config.mask_secrets => masked.clone(),
                _ => e.message.clone(),
            },
        );
        // A lone `$` followed by something that is no name: escaping it is the obvious fix.
        let is_lone = ctx.text().get(e.range.clone()).is_some_and(|t| !t.starts_with("${"));
        if is_lone {
            d = d.with_fix(Fix::local(
                "Escape as `$$`",
                ctx.path(),
                vec![(e.range.start..e.range.start + 1, "$$".to_string())],
                true,
            ));
        }
        out.push(d);
    }
}

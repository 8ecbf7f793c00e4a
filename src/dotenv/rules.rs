//! Rules for one `.env` file: syntax errors and dotenv-linter-style checks.

use std::ops::Range;

use super::model;
use super::parse::{Entry, Quote};
use crate::diagnostics::{Diagnostic, Fix, RuleInfo, Severity, Tag};
use crate::workspace::{Document, Snapshot};

const SCOPE: &str = "dotenv";

/// `syntax-error` and `duplicate-key` are shared codes documented with the syntax and compose
/// rules; these are the dotenv-only ones.
pub const RULES: &[RuleInfo] = &[
    RuleInfo {
        code: "lowercase-key",
        scope: SCOPE,
        default_severity: Severity::Info,
        enabled_by_default: true,
        fixable: true,
        summary: "Environment variable names are conventionally upper case.",
        docs: "Names are case-sensitive on Linux: `database_url` and `DATABASE_URL` are different \
variables, and most settings libraries read the upper-case one.\n\n```\ndatabase_url=postgres://db/app\n```\n\n\
The fix renames the key to upper case; check that the code reads that name.",
    },
    RuleInfo {
        code: "spaces-around-equal",
        scope: SCOPE,
        default_severity: Severity::Warning,
        enabled_by_default: true,
        fixable: true,
        summary: "Spaces around `=` are not portable.",
        docs: "Compose trims them, but `docker run --env-file` keeps a space as part of the name \
and a shell `source .env` fails on `KEY = value`.\n\n```\nPORT = 8000\n```\n\nThe fix removes the spaces.",
    },
    RuleInfo {
        code: "unquoted-whitespace",
        scope: SCOPE,
        default_severity: Severity::Warning,
        enabled_by_default: true,
        fixable: true,
        summary: "A value with spaces should be quoted.",
        docs: "Compose reads `KEY=a b` as `a b`, but a shell that sources the file runs `b` as a \
command, and other loaders stop at the space.\n\n```\nGREETING=hello world\n```\n\n\
The fix wraps the value in double quotes, escaping `\\` and `\"`.",
    },
    RuleInfo {
        code: "invalid-key",
        scope: SCOPE,
        default_severity: Severity::Warning,
        enabled_by_default: true,
        fixable: true,
        summary: "A variable name must start with a letter or `_` and hold only letters, digits and `_`.",
        docs: "Names such as `1KEY` or `MY-KEY` cannot be used in shells or in `${...}` \
interpolation, and some tools drop them.\n\n```\nMY-KEY=1\n```\n\nThe fix replaces the offending \
characters with `_`.",
    },
    RuleInfo {
        code: "trailing-whitespace",
        scope: SCOPE,
        default_severity: Severity::Info,
        enabled_by_default: true,
        fixable: true,
        summary: "Whitespace at the end of a line.",
        docs: "Trailing blanks after an unquoted value are dropped by Compose but kept by some \
loaders, so the value differs between tools.\n\n```\nNAME=web   \n```\n\nThe fix deletes them.",
    },
];

pub fn diagnostics(snap: &Snapshot, doc: &Document) -> Vec<Diagnostic> {
    let m = model(doc);
    let path = &doc.path;
    let mut out = Vec::new();
    for e in &m.errors {
        let message = match &e.masked_message {
            Some(masked) if snap.config.mask_secrets => masked,
            _ => &e.message,
        };
        out.push(Diagnostic::new(path, e.range.clone(), Severity::Error, "syntax-error", message));
    }
    for e in &m.entries {
        key_rules(doc, e, &mut out);
        spaces_around_equal(doc, e, &mut out);
        if e.quote == Quote::None && e.value.contains([' ', '\t']) {
            let quoted = format!("\"{}\"", e.value.replace('\\', "\\\\").replace('"', "\\\""));
            out.push(
                Diagnostic::new(
                    path,
                    e.value_range.clone(),
                    Severity::Warning,
                    "unquoted-whitespace",
                    format!("the value of `{}` contains spaces but is not quoted", e.key),
                )
                .with_fix(Fix::local(
                    "Wrap the value in double quotes",
                    path,
                    vec![(e.value_range.clone(), quoted)],
                    true,
                )),
            );
        }
        // Every definition but the last is overridden.
        if let Some(last) = m.get(&e.key)
            && last.key_range != e.key_range
        {
            out.push(
                Diagnostic::new(
                    path,
                    e.key_range.clone(),
                    Severity::Warning,
                    "duplicate-key",
                    format!(
                        "`{}` is set again on line {}, which overrides this value",
                        e.key,
                        last.line + 1
                    ),
                )
                .with_related(path, last.key_range.clone(), "the value that is used")
                .with_tag(Tag::Unnecessary)
                .with_fix(Fix::local(
                    "Delete the overridden line",
                    path,
                    vec![(whole_lines(doc, e), String::new())],
                    true,
                )),
            );
        }
    }
    trailing_whitespace(doc, &m.entries, &mut out);
    out.sort_by_key(|d| (d.range.start, d.code));
    out
}

fn key_rules(doc: &Document, e: &Entry, out: &mut Vec<Diagnostic>) {
    let path = &doc.path;
    let key = &e.key;
    let bad: Vec<char> =
        key.chars().filter(|c| !(c.is_ascii_alphanumeric() || *c == '_')).collect();
    let leading_digit = key.starts_with(|c: char| c.is_ascii_digit());
    if leading_digit || !bad.is_empty() {
        let mut fixed: String = key
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' })
            .collect();
        if leading_digit {
            fixed.insert(0, '_');
        }
        let message = if leading_digit {
            format!("`{key}` starts with a digit; variable names start with a letter or `_`")
        } else {
            let mut shown: Vec<String> = bad.iter().map(|c| format!("`{c}`")).collect();
            shown.dedup();
            format!(
                "`{key}` contains {}, which variable names cannot hold; use letters, digits and `_`",
                shown.join(", ")
            )
        };
        out.push(
            Diagnostic::new(path, e.key_range.clone(), Severity::Warning, "invalid-key", message)
                .with_fix(Fix::local(
                    format!("Rename to `{fixed}`"),
                    path,
                    vec![(e.key_range.clone(), fixed)],
                    false,
                )),
        );
    }
    if key.chars().any(|c| c.is_ascii_lowercase()) {
        let upper = key.to_ascii_uppercase();
        out.push(
            Diagnostic::new(
                path,
                e.key_range.clone(),
                Severity::Info,
                "lowercase-key",
                format!("`{key}` is not upper case; environment variable names usually are"),
            )
            .with_fix(Fix::local(
                format!("Rename to `{upper}`"),
                path,
                vec![(e.key_range.clone(), upper)],
                false,
            )),
        );
    }
}

fn spaces_around_equal(doc: &Document, e: &Entry, out: &mut Vec<Diagnostic>) {
    let Some(eq) = &e.equals else { return };
    let start = e.key_range.end;
    // Up to the value; for an empty unquoted value the blanks after `=` are trailing
    // whitespace, not this rule's business.
    let end = if e.raw_value_range.is_empty() { eq.end } else { e.raw_value_range.start };
    if start == eq.start && end == eq.end {
        return;
    }
    out.push(
        Diagnostic::new(
            &doc.path,
            start..end,
            Severity::Warning,
            "spaces-around-equal",
            format!("remove the spaces around `=` in `{}`", e.key),
        )
        .with_fix(Fix::local(
            "Remove the spaces",
            &doc.path,
            vec![(start..end, "=".into())],
            true,
        )),
    );
}

fn trailing_whitespace(doc: &Document, entries: &[Entry], out: &mut Vec<Diagnostic>) {
    let text = &*doc.text;
    let b = text.as_bytes();
    // Blanks inside a multi-line quoted value are part of it; there are rarely any such values.
    let multiline: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.quote != Quote::None && e.value.contains(['\n', '\r']))
        .collect();
    let mut i = 0;
    while i <= b.len() {
        // Find the end of this line.
        let mut end = i;
        while end < b.len() && b[end] != b'\n' && b[end] != b'\r' {
            end += 1;
        }
        let mut ws = end;
        while ws > i && matches!(b[ws - 1], b' ' | b'\t') {
            ws -= 1;
        }
        let inside_quotes = multiline.iter().any(|e| {
            e.quote != Quote::None && e.value_range.start <= ws && end <= e.value_range.end
        });
        if ws < end && !inside_quotes {
            out.push(
                Diagnostic::new(
                    &doc.path,
                    ws..end,
                    Severity::Info,
                    "trailing-whitespace",
                    "trailing whitespace",
                )
                .with_fix(Fix::local(
                    "Delete trailing whitespace",
                    &doc.path,
                    vec![(ws..end, String::new())],
                    true,
                )),
            );
        }
        if end >= b.len() {
            break;
        }
        i = if b[end] == b'\r' && b.get(end + 1) == Some(&b'\n') { end + 2 } else { end + 1 };
    }
}

/// The lines an entry occupies, with the final line break, for deletion.
fn whole_lines(doc: &Document, e: &Entry) -> Range<usize> {
    let start = doc.rope.line_to_byte(e.line);
    let last = doc.line_of(e.range.end);
    let end = if last + 1 < doc.rope.len_lines() {
        doc.rope.line_to_byte(last + 1)
    } else {
        doc.text.len()
    };
    start..end
}

//! `--format sarif`: SARIF 2.1.0, as code-scanning services (GitHub, GitLab, Azure DevOps) read it.
//!
//! Paths inside the working folder are written relative to it, against the `%SRCROOT%` base
//! (declared in `originalUriBaseIds`); others as absolute `file://` URIs. Columns count Unicode
//! code points (`columnKind`), as the human output does; `endColumn` is exclusive.

use std::ops::Range;
use std::path::Path;

use serde_json::{Value, json};

use super::check::Report;
use super::render::line_col;
use crate::analysis::all_rules;
use crate::diagnostics::{RuleInfo, Severity};
use crate::workspace::Snapshot;

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const INFORMATION_URI: &str = "https://github.com/berth-lsp/berth";
const SRCROOT: &str = "%SRCROOT%";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

fn rule(r: &RuleInfo) -> Value {
    let docs = r.docs.trim_end();
    // The first paragraph of the docs says why the rule exists; the rest shows examples.
    let first_paragraph = docs.split("\n\n").next().unwrap_or(docs);
    json!({
        "id": r.code,
        "shortDescription": { "text": r.summary },
        "fullDescription": { "text": first_paragraph },
        "help": { "text": docs, "markdown": super::rules::page(r) },
        "helpUri": crate::diagnostics::rule_url(r.code),
        "defaultConfiguration": {
            "enabled": r.enabled_by_default,
            "level": level(r.default_severity),
        },
        "properties": { "tags": [r.scope] },
    })
}

pub fn sarif(report: &Report) -> String {
    let rules = all_rules();
    let cwd = std::env::current_dir().ok();
    let mut results = Vec::new();
    for (doc, diags) in &report.files {
        for d in diags {
            let mut result = json!({
                "ruleId": d.code,
                "level": level(d.severity),
                "message": { "text": d.message },
                "locations": [{
                    "physicalLocation": physical(&report.snapshot, cwd.as_deref(), &doc.path, &d.range)
                }],
            });
            if let Some(i) = rules.iter().position(|r| r.code == d.code) {
                result["ruleIndex"] = json!(i);
            }
            if !d.related.is_empty() {
                result["relatedLocations"] = d
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        json!({
                            "id": i,
                            "physicalLocation": physical(
                                &report.snapshot,
                                cwd.as_deref(),
                                &r.location.path,
                                &r.location.range,
                            ),
                            "message": { "text": r.message },
                        })
                    })
                    .collect();
            }
            results.push(result);
        }
    }
    let mut run = json!({
        "tool": {
            "driver": {
                "name": "berth",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": INFORMATION_URI,
                "rules": rules.iter().map(|r| rule(r)).collect::<Vec<_>>(),
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if let Some(cwd) = &cwd {
        run["originalUriBaseIds"] = json!({ SRCROOT: { "uri": dir_uri(cwd) } });
    }
    let log = json!({ "$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run] });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}

fn physical(snap: &Snapshot, cwd: Option<&Path>, path: &Path, range: &Range<usize>) -> Value {
    let artifact = match cwd.and_then(|c| path.strip_prefix(c).ok()) {
        Some(rel) => json!({ "uri": encode_path(rel), "uriBaseId": SRCROOT }),
        None => json!({ "uri": file_uri(path) }),
    };
    let mut loc = json!({ "artifactLocation": artifact });
    if let Some(doc) = snap.get(path) {
        let (start_line, start_col) = line_col(doc, range.start);
        let (end_line, end_col) = line_col(doc, range.end);
        loc["region"] = json!({
            "startLine": start_line,
            "startColumn": start_col,
            "endLine": end_line,
            "endColumn": end_col,
        });
    }
    loc
}

/// Percent-encodes a relative path as a URI path (`/` separated on every platform).
fn encode_path(path: &Path) -> String {
    let parts: Vec<String> =
        path.components().map(|c| encode_segment(&c.as_os_str().to_string_lossy())).collect();
    parts.join("/")
}

fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn file_uri(path: &Path) -> String {
    let mut s = String::from("file://");
    for c in path.components() {
        let seg = c.as_os_str().to_string_lossy();
        if seg == "/" || seg == "\\" {
            continue;
        }
        s.push('/');
        s.push_str(&encode_segment(seg.trim_end_matches(['/', '\\'])));
    }
    s
}

fn dir_uri(path: &Path) -> String {
    let mut s = file_uri(path);
    if !s.ends_with('/') {
        s.push('/');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(encode_path(Path::new("app/my settings/dev.py")), "app/my%20settings/dev.py");
        assert_eq!(dir_uri(Path::new("/srv/a b")), "file:///srv/a%20b/");
        assert_eq!(file_uri(Path::new("/srv/x%y")), "file:///srv/x%25y");
    }
}

//! Output of `berth check`: rustc-like text for people, JSON for programs.

use std::fmt::Write;
use std::io::IsTerminal;
use std::path::Path;

use serde::Serialize;

use super::check::Report;
use crate::diagnostics::{Diagnostic, Severity};
use crate::workspace::{Document, Snapshot};

pub fn stdout_is_colourful() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.0 { format!("\x1b[{code}m{s}\x1b[0m") } else { s.to_string() }
    }
    fn severity(&self, s: Severity) -> String {
        let code = match s {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
            Severity::Hint => "1;32",
        };
        self.wrap(code, s.as_str())
    }
    fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
    fn blue(&self, s: &str) -> String {
        self.wrap("1;34", s)
    }
}

/// 1-based line and character column of a byte offset, as rustc prints them.
pub fn line_col(doc: &Document, offset: usize) -> (usize, usize) {
    let offset = doc.clamp(offset..offset).start;
    let line = doc.line_of(offset);
    let start = doc.line_range(line).start;
    let col = doc.text[start..offset.max(start)].chars().count();
    (line + 1, col + 1)
}

/// A path as the user should see it: relative to the current folder when inside it.
pub fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    match cwd.as_deref().and_then(|c| path.strip_prefix(c).ok()) {
        Some(rel) => rel.display().to_string(),
        None => path.display().to_string(),
    }
}

pub fn human(report: &Report, color: bool) -> String {
    let p = Paint(color);
    let mut out = String::new();
    let mut counts = [0usize; 4];
    for (doc, diags) in &report.files {
        for d in diags {
            counts[d.severity as usize] += 1;
            render_one(&mut out, &p, &report.snapshot, doc, d);
        }
    }
    for (path, why) in &report.skipped {
        let _ = writeln!(out, "{}: {}: {why}", p.severity(Severity::Warning), display_path(path));
    }
    let files = report.files.len();
    let [hints, infos, warnings, errors] = counts;
    let total = hints + infos + warnings + errors;
    if total == 0 {
        let _ =
            writeln!(out, "{} {files} file{} checked, no problems", p.bold("ok:"), plural(files));
    } else {
        let _ = writeln!(
            out,
            "{} {errors} error{}, {warnings} warning{}, {} info, {hints} hint{} in {files} file{}",
            p.bold("summary:"),
            plural(errors),
            plural(warnings),
            infos,
            plural(hints),
            plural(files)
        );
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn render_one(out: &mut String, p: &Paint, snap: &Snapshot, doc: &Document, d: &Diagnostic) {
    let (line, col) = line_col(doc, d.range.start);
    let _ = writeln!(
        out,
        "{}{}: {}",
        p.severity(d.severity),
        p.bold(&format!("[{}]", d.code)),
        p.bold(&d.message)
    );
    let gutter = line.to_string().len();
    let pad = " ".repeat(gutter);
    let _ = writeln!(out, "{pad}{} {}:{line}:{col}", p.blue("-->"), display_path(&doc.path));
    let line_range = doc.line_range(line - 1);
    let source = &doc.text[line_range.clone()];
    let _ = writeln!(out, "{pad} {}", p.blue("|"));
    let _ = writeln!(
        out,
        "{} {} {}",
        p.blue(&line.to_string()),
        p.blue("|"),
        source.replace('\t', " ")
    );
    let start_col = doc.text
        [line_range.start..d.range.start.clamp(line_range.start, line_range.end)]
        .chars()
        .count();
    let end = d.range.end.clamp(line_range.start, line_range.end);
    let width = doc.text[d.range.start.clamp(line_range.start, end)..end].chars().count().max(1);
    let marker = format!("{}{}", " ".repeat(start_col), "^".repeat(width));
    let _ = writeln!(out, "{pad} {} {}", p.blue("|"), p.severity_marker(d.severity, &marker));
    for r in &d.related {
        let place = match snap.get(&r.location.path) {
            Some(other) => {
                let (l, c) = line_col(other, r.location.range.start);
                format!("{}:{l}:{c}", display_path(&r.location.path))
            }
            None => display_path(&r.location.path),
        };
        let _ = writeln!(out, "{pad} {} {}: {} ({place})", p.blue("="), p.bold("note"), r.message);
    }
    if let Some(fix) = d.fixes.iter().find(|f| f.preferred).or(d.fixes.first()) {
        let _ = writeln!(out, "{pad} {} {}: {}", p.blue("="), p.bold("fix"), fix.title);
    }
    out.push('\n');
}

impl Paint {
    fn severity_marker(&self, s: Severity, marker: &str) -> String {
        let code = match s {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
            Severity::Hint => "1;32",
        };
        self.wrap(code, marker)
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    /// Bumped only on incompatible changes to this schema.
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    skipped: Vec<JsonSkipped>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonPos {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct JsonSpan {
    path: String,
    start: JsonPos,
    end: JsonPos,
    /// Byte offsets into the file.
    byte_start: usize,
    byte_end: usize,
}

#[derive(Serialize)]
struct JsonRelated {
    span: JsonSpan,
    message: String,
}

#[derive(Serialize)]
struct JsonFix {
    title: String,
    preferred: bool,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    severity: Severity,
    message: &'a str,
    span: JsonSpan,
    related: Vec<JsonRelated>,
    fixes: Vec<JsonFix>,
}

#[derive(Serialize)]
struct JsonSkipped {
    path: String,
    reason: String,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    hints: usize,
}

fn span(snap: &Snapshot, path: &Path, range: &std::ops::Range<usize>) -> JsonSpan {
    let (start, end) = match snap.get(path) {
        Some(doc) => (line_col(doc, range.start), line_col(doc, range.end)),
        None => ((0, 0), (0, 0)),
    };
    JsonSpan {
        path: display_path(path),
        start: JsonPos { line: start.0, column: start.1 },
        end: JsonPos { line: end.0, column: end.1 },
        byte_start: range.start,
        byte_end: range.end,
    }
}

pub fn json(report: &Report) -> String {
    let snap = &report.snapshot;
    let mut summary =
        JsonSummary { files: report.files.len(), errors: 0, warnings: 0, infos: 0, hints: 0 };
    let mut diagnostics = Vec::new();
    for (doc, diags) in &report.files {
        for d in diags {
            match d.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
                Severity::Hint => summary.hints += 1,
            }
            diagnostics.push(JsonDiagnostic {
                code: d.code,
                severity: d.severity,
                message: &d.message,
                span: span(snap, &doc.path, &d.range),
                related: d
                    .related
                    .iter()
                    .map(|r| JsonRelated {
                        span: span(snap, &r.location.path, &r.location.range),
                        message: r.message.clone(),
                    })
                    .collect(),
                fixes: d
                    .fixes
                    .iter()
                    .map(|f| JsonFix { title: f.title.clone(), preferred: f.preferred })
                    .collect(),
            });
        }
    }
    let skipped = report
        .skipped
        .iter()
        .map(|(p, r)| JsonSkipped { path: display_path(p), reason: r.clone() })
        .collect();
    let r = JsonReport { version: 1, diagnostics, skipped, summary };
    let mut s =
        serde_json::to_string_pretty(&r).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

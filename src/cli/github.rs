//! `--format github`: GitHub Actions workflow commands, which show each finding as an
//! annotation on the pull request's diff.

use std::fmt::Write;

use super::check::Report;
use super::render::{display_path, line_col};
use crate::diagnostics::Severity;

pub fn github(report: &Report) -> String {
    let mut out = String::new();
    for (doc, diags) in &report.files {
        let file = display_path(&doc.path);
        for d in diags {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Hint => "notice",
            };
            let (line, col) = line_col(doc, d.range.start);
            let (end_line, end_col) = line_col(doc, d.range.end);
            let mut message = d.message.clone();
            for r in &d.related {
                let place = match report.snapshot.get(&r.location.path) {
                    Some(other) => {
                        let (l, c) = line_col(other, r.location.range.start);
                        format!("{}:{l}:{c}", display_path(&r.location.path))
                    }
                    None => display_path(&r.location.path),
                };
                let _ = write!(message, "\nnote: {} ({place})", r.message);
            }
            let _ = writeln!(
                out,
                "::{command} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}",
                property(&file),
                property(d.code),
                data(&message)
            );
        }
    }
    for (path, why) in &report.skipped {
        let _ = writeln!(out, "::warning file={}::{}", property(&display_path(path)), data(why));
    }
    out
}

/// The message part of a workflow command: `%`, CR and LF are escaped.
pub fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A property value: like [`data`], plus `:` and `,`, which would end the value.
pub fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(data("50%\r\nnext: a,b"), "50%25%0D%0Anext: a,b");
        assert_eq!(property("C:\\a,b%"), "C%3A\\a%2Cb%25");
    }
}

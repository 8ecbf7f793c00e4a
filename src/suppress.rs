//! `# berth: ignore[code, …]` on the line above a finding (or a block of comment lines above
//! it) suppresses it; `# berth: ignore` without a list suppresses every code there. All four
//! file kinds comment with `#`.

use crate::diagnostics::Diagnostic;
use crate::workspace::Document;

pub fn retain_unsuppressed(doc: &Document, diags: &mut Vec<Diagnostic>) {
    if !doc.mentions_berth() {
        return;
    }
    diags.retain(|d| !suppressed(doc, d.range.start, d.code));
}

/// Whether a `# berth: ignore…` comment above the line of `offset` covers `code`.
pub fn suppressed(doc: &Document, offset: usize, code: &str) -> bool {
    let mut line = doc.line_of(offset);
    while line > 0 {
        line -= 1;
        let text = doc.text[doc.line_range(line)].trim();
        let Some(comment) = text.strip_prefix('#') else { return false };
        if let Some(codes) = parse_ignore(comment) {
            match codes {
                None => return true,
                Some(list) if list.iter().any(|c| c.eq_ignore_ascii_case(code)) => return true,
                Some(_) => {}
            }
        }
    }
    false
}

/// `Some(None)` for a bare ignore, `Some(Some(codes))` for a list, `None` for other comments.
pub fn parse_ignore(comment: &str) -> Option<Option<Vec<&str>>> {
    let rest = comment.trim_start().strip_prefix("berth:")?.trim_start();
    let rest = rest.strip_prefix("ignore")?.trim_start();
    if rest.is_empty() {
        return Some(None);
    }
    let inner = rest.strip_prefix('[')?.split(']').next()?;
    Some(Some(inner.split(',').map(str::trim).filter(|c| !c.is_empty()).collect()))
}

/// Text of a comment line that suppresses `code` on the line after it, for the
/// "ignore this rule here" quick fix.
pub fn ignore_comment(code: &str) -> String {
    format!("# berth: ignore[{code}]")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;
    use crate::testing::fixture;

    fn kept(fx: &str, code: &'static str) -> bool {
        let f = fixture(fx);
        let (doc, off) = f.at_cursor();
        let mut v = vec![Diagnostic::new(&doc.path, off..off + 1, Severity::Warning, code, "m")];
        retain_unsuppressed(doc, &mut v);
        !v.is_empty()
    }

    #[test]
    fn comment_above_suppresses_listed_codes() {
        let fx = "#- /Dockerfile\nFROM x\n# berth: ignore[DL3008, UndefinedVar]\nRUN $0echo\n";
        assert!(!kept(fx, "UndefinedVar"));
        assert!(kept(fx, "DL3015"));
        assert!(!kept("#- /.env\n# berth: ignore\n$0A=1\n", "lowercase-key"));
        // A block of comments above still counts; code lines break the block.
        assert!(!kept("#- /.env\n# berth: ignore[x]\n# why: legacy\n$0A=1\n", "x"));
        assert!(kept("#- /.env\n# berth: ignore[x]\nB=2\n$0A=1\n", "x"));
        assert!(kept("#- /.env\n# not berth: ignore[x]\n$0A=1\n", "x"));
    }
}

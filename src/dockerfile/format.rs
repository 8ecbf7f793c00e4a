//! Dockerfile formatting.
//!
//! The conventions, chosen to be predictable and to never change what the file means:
//! - Instruction keywords (and `AS`, the `CMD` of `HEALTHCHECK`) are upper case.
//! - An instruction starts at column 0; one space separates the keyword, flags and arguments
//!   (whitespace inside shell commands and values is left alone).
//! - A continuation line (after a line ending in the escape character) is indented by 4
//!   spaces. In `RUN`, `CMD`, `ENTRYPOINT`, `HEALTHCHECK` and `ONBUILD`, deeper indentation
//!   is kept, since people use it to show the structure of a long shell command. The escape
//!   character is preceded by exactly one space.
//! - JSON arrays are written `["a", "b"]` when they fit on one line.
//! - Trailing whitespace is removed.
//!
//! Never touched: heredoc bodies, comments' text, instructions with syntax errors, and
//! continuations that join two words without whitespace (`ab\`+`cd` means `abcd`) or that
//! fall inside a quoted string (where the whitespace belongs to the value).

use std::ops::Range;

use tree_sitter::Node;

use super::complete::{continues, escape_char, is_comment_or_blank};
use crate::ide::TextEdit;
use crate::workspace::Document;

const INDENT: &str = "    ";

pub fn format(doc: &Document, range: Option<Range<usize>>) -> Vec<TextEdit> {
    let Some(tree) = doc.tree() else { return Vec::new() };
    let text = &*doc.text;
    let escape = escape_char(text);
    let mut edits = Vec::new();
    let root = tree.root_node();
    // Whole logical instructions around syntax errors stay as they are: reformatting half of
    // one could change how it parses. So does the instruction just before one: error recovery
    // can start inside a continued one (a continuation line it swallowed), and re-indenting
    // that moved where the next pass's recovery began, so formatting twice differed from
    // formatting once.
    let mut protected: Vec<Range<usize>> = Vec::new();
    if root.is_error() {
        // Nothing parsed at all (the root itself is the error): leave the file as it is.
        return Vec::new();
    }
    let mut cursor = root.walk();
    let mut previous: Option<Node> = None;
    for node in root.children(&mut cursor) {
        if node.is_error() || node.is_missing() || node.has_error() {
            if let Some(p) =
                previous.filter(|p| !p.is_extra() && p.start_position().row != p.end_position().row)
            {
                protected.push(logical_lines(text, escape, p.byte_range()));
            }
            protected.push(logical_lines(text, escape, node.byte_range()));
        }
        previous = Some(node);
    }
    let errors = protected.clone();
    let mut shellish = Vec::new();
    for node in root.children(&mut cursor) {
        let r = node.byte_range();
        if errors.iter().any(|e| e.start < r.end.max(r.start + 1) && r.start < e.end) {
            continue;
        }
        if matches!(
            node.kind(),
            "run_instruction"
                | "cmd_instruction"
                | "entrypoint_instruction"
                | "healthcheck_instruction"
                | "onbuild_instruction"
        ) {
            shellish.push(node.byte_range());
        }
        tokens(text, node, 0, &mut edits, &mut protected);
    }
    protected.sort_by_key(|r| r.start);
    lines(text, escape, &protected, &shellish, &mut edits);

    edits.sort_by_key(|e| (e.range.start, e.range.end));
    // Token and line edits touch disjoint spans by construction; this keeps a slip harmless.
    let mut out: Vec<TextEdit> = Vec::with_capacity(edits.len());
    for e in edits {
        if out.last().is_none_or(|l| l.range.end <= e.range.start) {
            out.push(e);
        }
    }
    if let Some(r) = range {
        let start = text[..r.start.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
        let end = text[r.end.min(text.len())..].find('\n').map_or(text.len(), |i| r.end + i);
        out.retain(|e| start <= e.range.start && e.range.end <= end);
    }
    out
}

/// Keyword case, single spaces between the parts of an instruction, JSON array spacing.
/// Recurses only into instructions nested in `ONBUILD`/`HEALTHCHECK` (depth ≤ a few).
fn tokens(
    text: &str,
    node: Node,
    depth: usize,
    edits: &mut Vec<TextEdit>,
    protected: &mut Vec<Range<usize>>,
) {
    if depth > 4 {
        return;
    }
    let mut cursor = node.walk();
    let children: Vec<Node> = node.children(&mut cursor).collect();
    for (i, child) in children.iter().enumerate() {
        let t = &text[child.byte_range()];
        let kind = child.kind();
        if !child.is_named()
            && kind.len() >= 2
            && kind.bytes().all(|b| b.is_ascii_uppercase())
            && t != kind
            && t.eq_ignore_ascii_case(kind)
        {
            edits.push(TextEdit { range: child.byte_range(), new_text: kind.to_string() });
        }
        if kind.ends_with("_instruction") {
            tokens(text, *child, depth + 1, edits, protected);
        }
        if kind == "json_string_array" {
            json_array(text, *child, edits);
        }
        if kind == "heredoc_block" {
            protected.push(child.start_byte() + 1..child.end_byte());
        }
        if let Some(next) = children.get(i + 1) {
            let quiet = |n: &Node| matches!(n.kind(), "line_continuation" | "comment");
            if quiet(child) || quiet(next) {
                continue;
            }
            let gap = child.end_byte()..next.start_byte();
            let g = &text[gap.clone()];
            if !g.is_empty() && g != " " && g.bytes().all(|b| b == b' ' || b == b'\t') {
                edits.push(TextEdit { range: gap, new_text: " ".into() });
            }
        }
    }
}

fn json_array(text: &str, node: Node, edits: &mut Vec<TextEdit>) {
    let original = &text[node.byte_range()];
    if original.contains(['\n', '\r']) {
        return;
    }
    let mut cursor = node.walk();
    let items: Vec<&str> = node
        .named_children(&mut cursor)
        .filter(|n| n.kind() == "json_string")
        .map(|n| &text[n.byte_range()])
        .collect();
    let formatted = format!("[{}]", items.join(", "));
    if formatted != original {
        edits.push(TextEdit { range: node.byte_range(), new_text: formatted });
    }
}

/// Line by line: indentation, the space before a line continuation, trailing whitespace.
fn lines(
    text: &str,
    escape: char,
    protected: &[Range<usize>],
    shellish: &[Range<usize>],
    edits: &mut Vec<TextEdit>,
) {
    // The previous code line ended with a continuation whose join may be reformatted
    // (`Some(true)`) or must be kept byte for byte (`Some(false)`).
    let mut continuation: Option<bool> = None;
    // Quote state carried across the continuation lines of one instruction.
    let mut quote: Option<char> = None;
    let mut p = 0;
    let mut start = 0;
    while start <= text.len() {
        let end = text[start..].find(['\n', '\r']).map_or(text.len(), |i| start + i);
        let line = start..end;
        let next = match text.as_bytes().get(end) {
            Some(b'\r') if text.as_bytes().get(end + 1) == Some(&b'\n') => end + 2,
            Some(_) => end + 1,
            None => text.len() + 1,
        };
        while p < protected.len() && protected[p].end <= line.start {
            p += 1;
        }
        let is_protected =
            protected.get(p).is_some_and(|r| r.start <= line.start && line.start < r.end)
                || protected.get(p).is_some_and(|r| r.start < line.end && line.start < r.end);
        if is_protected {
            continuation = None;
            quote = None;
            start = next;
            continue;
        }
        let s = &text[line.clone()];
        let content = s.trim_end_matches([' ', '\t']);
        if content.len() < s.len() {
            edits.push(TextEdit {
                range: line.start + content.len()..line.end,
                new_text: String::new(),
            });
        }
        let indent_len = content.len() - content.trim_start_matches([' ', '\t']).len();
        let body = &content[indent_len..];
        let comment_or_blank = is_comment_or_blank(content);

        // Leading whitespace.
        let wanted = match continuation {
            None => Some(""),
            Some(false) if !comment_or_blank => None,
            Some(_) if body.is_empty() => Some(""),
            Some(_) => {
                let shell = shellish.iter().any(|r| r.start <= line.start && line.start < r.end);
                let cols: usize =
                    content[..indent_len].bytes().map(|b| if b == b'\t' { 4 } else { 1 }).sum();
                if shell && cols >= 4 && !comment_or_blank { None } else { Some(INDENT) }
            }
        };
        if let Some(w) = wanted
            && &content[..indent_len] != w
        {
            edits.push(TextEdit {
                range: line.start..line.start + indent_len,
                new_text: w.to_string(),
            });
        }

        if comment_or_blank {
            // Comment and blank lines inside a continuation do not end it.
            start = next;
            continue;
        }
        if !continues(content, escape) {
            continuation = None;
            quote = None;
            start = next;
            continue;
        }
        // This line continues: look at the join with the next code line.
        let before_escape = &content[..content.len() - escape.len_utf8()];
        quote = scan_quotes(before_escape, escape, quote);
        let next_code = next_code_line(text, next);
        let next_starts_blank = next_code.is_some_and(|n| text[n..].starts_with([' ', '\t']));
        let gap_before = before_escape.len() - before_escape.trim_end_matches([' ', '\t']).len();
        let glued = gap_before == 0 && !next_starts_blank && !before_escape.trim().is_empty();
        let free = quote.is_none() && !glued;
        if free && gap_before != 1 && !before_escape.trim().is_empty() {
            let at = line.start + before_escape.len();
            edits.push(TextEdit { range: at - gap_before..at, new_text: " ".into() });
        }
        continuation = Some(free);
        start = next;
    }
}

/// `range` widened to whole lines and to the continuation lines before and after it.
fn logical_lines(text: &str, escape: char, range: Range<usize>) -> Range<usize> {
    let mut start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    // Bounded by the number of lines before `range`.
    while start > 0 {
        let prev_start = text[..start - 1].rfind('\n').map_or(0, |i| i + 1);
        let prev = &text[prev_start..start - 1];
        if continues(prev, escape) || (is_comment_or_blank(prev) && prev_start > 0) {
            start = prev_start;
        } else {
            break;
        }
    }
    let mut end = range.end.max(start);
    loop {
        let line_start = text[..end].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
        if line_end >= text.len() || !continues(&text[line_start..line_end], escape) {
            end = line_end;
            break;
        }
        end = line_end + 1;
    }
    start..end
}

/// The start of the next line that is neither blank nor a comment.
fn next_code_line(text: &str, mut start: usize) -> Option<usize> {
    while start < text.len() {
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        if !is_comment_or_blank(&text[start..end]) {
            return Some(start);
        }
        start = end + 1;
    }
    None
}

/// The open quote (if any) after `s`, starting from `open`.
fn scan_quotes(s: &str, escape: char, mut open: Option<char>) -> Option<char> {
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match open {
            Some('\'') if c == '\'' => open = None,
            Some('\'') => {}
            Some(_) if c == escape => {
                chars.next();
            }
            Some(q) if c == q => open = None,
            Some(_) => {}
            None if c == escape => {
                chars.next();
            }
            None if c == '"' || c == '\'' => open = Some(c),
            None => {}
        }
    }
    open
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};
    use proptest::prelude::*;

    use super::*;
    use crate::testing::fixture;

    fn apply(text: &str, edits: &[TextEdit]) -> String {
        let mut out = text.to_string();
        for e in edits.iter().rev() {
            out.replace_range(e.range.clone(), &e.new_text);
        }
        out
    }

    fn check(fx: &str, expect: Expect) {
        let f = fixture(fx);
        let (doc, range) = match &f.range {
            Some((p, r)) => (f.snapshot.get(p).unwrap(), Some(r.clone())),
            None => (f.doc("Dockerfile"), None),
        };
        let out = apply(&doc.text, &format(doc, range));
        expect.assert_eq(&out);
    }

    #[test]
    fn keywords_spacing_and_json() {
        check(
            "from  --platform=$BUILDPLATFORM   python:3.12  as   base\n  run  echo   hi  \ncmd  [ \"gunicorn\",\"app\" ]\nhealthcheck --interval=3s  cmd [\"x\"]\nonbuild  copy a   b\n",
            expect![[r#"
                FROM --platform=$BUILDPLATFORM python:3.12 AS base
                RUN echo   hi
                CMD ["gunicorn", "app"]
                HEALTHCHECK --interval=3s CMD ["x"]
                ONBUILD COPY a b
            "#]],
        );
    }

    #[test]
    fn continuation_lines() {
        check(
            "RUN apt-get update &&  \\\napt-get install -y \\\n        curl   \\\n  # a comment\n  git\nCOPY --chown=app \\\n          a b\n",
            expect![[r#"
                RUN apt-get update && \
                    apt-get install -y \
                        curl \
                    # a comment
                    git
                COPY --chown=app \
                    a b
            "#]],
        );
    }

    #[test]
    fn meaning_is_kept() {
        // Glued continuation, continuation inside quotes, heredoc body, escape directive.
        check(
            "# escape=`\nRUN echo ab`\ncd\nRUN echo \"a `\n   b\"\nRUN <<EOF\n   keep   this  \nEOF\nRUN  x `\n y\n",
            expect![[r##"
                # escape=`
                RUN echo ab`
                cd
                RUN echo "a `
                   b"
                RUN <<EOF
                   keep   this  
                EOF
                RUN x `
                    y
            "##]],
        );
    }

    #[test]
    fn errors_are_left_alone() {
        check(
            "from alpine\nCOPY --from=\nrun  echo\n",
            expect![[r#"
            FROM alpine
            COPY --from=
            RUN echo
        "#]],
        );
    }

    #[test]
    fn range_formatting() {
        check(
            "run  a\n$0run  b$0\nrun  c\n",
            expect![[r#"
            run  a
            RUN b
            run  c
        "#]],
        );
    }

    fn word() -> impl Strategy<Value = String> {
        prop::sample::select(vec!["a", "b1", "\"q s\"", "'x'", "$V", "${V:-d}", "--x", "c=d"])
            .prop_map(str::to_string)
    }

    fn instruction() -> impl Strategy<Value = String> {
        let kw = prop::sample::select(vec![
            "RUN", "run", "Copy", "ENV", "FROM", "cmd", "LABEL", "EXPOSE", "WORKDIR",
        ]);
        let sep = prop::sample::select(vec![
            " ",
            "  ",
            "\t",
            " \\\n",
            "\\\n",
            " \\\n  ",
            " \\\n# c\n   ",
            "\\\n\t",
        ]);
        (
            kw,
            prop::collection::vec((sep, word()), 1..5),
            prop::sample::select(vec!["", "  ", " \t"]),
        )
            .prop_map(|(kw, parts, tail)| {
                let mut s = kw.to_string();
                for (sep, w) in parts {
                    s.push_str(sep);
                    s.push_str(&w);
                }
                s.push_str(tail);
                s
            })
    }

    fn dockerfile() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => instruction(),
            1 => Just("# comment  ".to_string()),
            1 => Just("".to_string()),
            1 => Just("CMD  [ \"a\",\"b\"  ]".to_string()),
            1 => Just("RUN <<EOF\n  body  \\\nEOF".to_string()),
            1 => Just("  from alpine  AS  b".to_string()),
            1 => Just(crate::dockerfile::complete::tests::AWKWARD.replace("\r\n", "\n")),
        ];
        (prop::collection::vec(piece, 1..8), any::<bool>()).prop_map(|(v, crlf)| {
            let s = v.join("\n") + "\n";
            if crlf { s.replace('\n', "\r\n") } else { s }
        })
    }

    fn squash(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase()
    }

    /// Formatting `src` a second time changes nothing.
    fn check_one_pass(src: &str) {
        let f = fixture(&format!("#- /Dockerfile\n{src}"));
        let doc = f.doc("Dockerfile");
        let once = apply(&doc.text, &format(doc, None));
        let twice = apply(&once, &format(&doc.replace_all(&once, None), None));
        assert_eq!(twice, once);
    }

    #[test]
    fn a_file_that_parses_as_one_error_is_left_alone() {
        // tree-sitter reads this whole file as one error; after indenting `a` it parses, so a
        // first pass that re-indented it left the keyword for a second pass to fix.
        check_one_pass("Copy a \\\na\n");
    }

    #[test]
    fn the_instruction_before_a_syntax_error_is_left_alone() {
        // Indenting `a` made tree-sitter recover differently the second time, so the `from`
        // line was formatted only by a second pass.
        check_one_pass("ENV c=d \\\na\nCopy --x\n  from alpine  AS  b\n");
    }

    proptest! {
        #[test]
        fn formatting_is_idempotent_and_only_touches_whitespace_and_case(src in dockerfile()) {
            let f = fixture(&format!("#- /Dockerfile\n{src}"));
            let doc = f.doc("Dockerfile");
            let once = apply(&doc.text, &format(doc, None));
            prop_assert_eq!(squash(&once), squash(&doc.text));
            let doc2 = doc.replace_all(&once, None);
            let twice = apply(&once, &format(&doc2, None));
            prop_assert_eq!(twice, once);
        }
    }
}

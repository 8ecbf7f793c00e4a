//! Splits a Dockerfile into parser directives, comments and instructions the way BuildKit's
//! own parser does: line by line, joining continuation lines (the escape character at the end
//! of a line), dropping comment and empty lines inside a continuation, then reading heredoc
//! bodies that follow the instruction. Works for any escape character, which the tree-sitter
//! grammar cannot (it hard-codes `\`), and never fails: every line becomes something.

use std::ops::Range;

/// A physical line: its byte range without the line break, and where the next line starts.
#[derive(Clone, Copy, Debug)]
struct Line {
    start: usize,
    end: usize,
    next: usize,
}

/// The physical lines from byte `from` (a line start) on, read as far as they are asked for: a
/// partial lex after an edit stops a few lines on, and need not split the rest of the file.
struct Lines<'t> {
    bytes: &'t [u8],
    /// Where the next unread line starts.
    at: usize,
    read: Vec<Line>,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str, from: usize) -> Lines<'t> {
        Lines { bytes: text.as_bytes(), at: from, read: Vec::new() }
    }

    fn get(&mut self, i: usize) -> Option<Line> {
        while self.read.len() <= i {
            let line = self.next_line()?;
            self.read.push(line);
        }
        Some(self.read[i])
    }

    fn next_line(&mut self) -> Option<Line> {
        let (bytes, start) = (self.bytes, self.at);
        if start >= bytes.len() {
            return None;
        }
        let line = match bytes[start..].iter().position(|&b| b == b'\n' || b == b'\r') {
            Some(n) => {
                let end = start + n;
                let next = match bytes[end] {
                    b'\r' if bytes.get(end + 1) == Some(&b'\n') => end + 2,
                    _ => end + 1,
                };
                Line { start, end, next }
            }
            None => Line { start, end: bytes.len(), next: bytes.len() },
        };
        self.at = line.next;
        Some(line)
    }
}

/// Text made of several source slices (the physical lines of one instruction with the
/// continuations removed), with a map from logical offsets back to source offsets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Logical {
    pub text: String,
    /// (logical start, source start) of each slice, ascending.
    segments: Vec<(usize, usize)>,
}

impl Logical {
    fn push(&mut self, src: &str, src_start: usize) {
        self.segments.push((self.text.len(), src_start));
        self.text.push_str(src);
    }

    /// Move the source offsets by `delta` (the text before this instruction grew or shrank).
    pub fn shift(&mut self, delta: isize) {
        for (_, ss) in &mut self.segments {
            *ss = ss.wrapping_add_signed(delta);
        }
    }

    /// Source offset of the logical offset `l` (the start of a span).
    pub fn src(&self, l: usize) -> usize {
        let i = self.segments.partition_point(|&(ls, _)| ls <= l).saturating_sub(1);
        match self.segments.get(i) {
            Some(&(ls, ss)) => ss + (l - ls),
            None => l,
        }
    }

    /// Source offset just after the logical offset `l - 1` (the end of a span).
    pub fn src_end(&self, l: usize) -> usize {
        if l == 0 { self.src(0) } else { self.src(l - 1) + 1 }
    }

    pub fn src_range(&self, r: Range<usize>) -> Range<usize> {
        if r.is_empty() {
            let s = self.src(r.start);
            return s..s;
        }
        self.src(r.start)..self.src_end(r.end)
    }
}

#[derive(Clone, Debug)]
pub struct RawDirective {
    pub name: String,
    pub value: String,
    pub line: Range<usize>,
    pub name_range: Range<usize>,
    pub value_range: Range<usize>,
}

#[derive(Clone, Debug)]
pub struct RawHeredoc {
    pub name: String,
    /// `<<-` strips leading tabs.
    pub strip_tabs: bool,
    /// A quoted marker disables expansion in the body.
    pub quoted: bool,
    /// The `<<EOF` marker in the instruction line (source range).
    pub marker: Range<usize>,
    /// The body lines, without the terminator.
    pub body: Range<usize>,
    /// The terminator line; None when the file ended first.
    pub end: Option<Range<usize>>,
}

#[derive(Clone, Debug)]
pub struct RawInstruction {
    pub logical: Logical,
    /// First to last byte of the instruction, heredocs included (no trailing line break).
    pub range: Range<usize>,
    /// The comment lines directly above (no blank line between), used for `# hadolint ignore`.
    pub comments_above: Vec<Range<usize>>,
    pub heredocs: Vec<RawHeredoc>,
}

#[derive(Clone, Debug, Default)]
pub struct Lexed {
    pub directives: Vec<RawDirective>,
    pub escape: char,
    /// Every comment line (directives excluded), source ranges.
    pub comments: Vec<Range<usize>>,
    pub instructions: Vec<RawInstruction>,
    /// Empty lines inside a continuation (BuildKit's NoEmptyContinuation), whole-line ranges
    /// including the line break.
    pub empty_continuations: Vec<Range<usize>>,
}

const DIRECTIVES: &[&str] = &["syntax", "escape", "check"];

fn parse_directive(text: &str, line: Line) -> Option<RawDirective> {
    let s = &text[line.start..line.end];
    let body = s.trim_start().strip_prefix('#')?;
    let eq = body.find('=')?;
    let name = body[..eq].trim();
    if !DIRECTIVES.iter().any(|d| d.eq_ignore_ascii_case(name)) {
        return None;
    }
    let body_start = line.end - body.len();
    let name_start = body_start + body.find(name)?;
    let value_raw = &body[eq + 1..];
    let value = value_raw.trim();
    let value_start = body_start + eq + 1 + (value_raw.len() - value_raw.trim_start().len());
    Some(RawDirective {
        name: name.to_ascii_lowercase(),
        value: value.to_string(),
        line: line.start..line.end,
        name_range: name_start..name_start + name.len(),
        value_range: value_start..value_start + value.len(),
    })
}

fn is_blank(s: &str) -> bool {
    s.bytes().all(|b| b == b' ' || b == b'\t' || b == 0x0c)
}

fn is_comment(s: &str) -> bool {
    s.trim_start().starts_with('#')
}

/// The line without a trailing escape character (and the spaces after it), if it has one.
fn strip_continuation(s: &str, escape: char) -> Option<&str> {
    let t = s.trim_end_matches([' ', '\t']);
    t.strip_suffix(escape)
}

pub fn lex(text: &str) -> Lexed {
    let mut lines = Lines::new(text, 0);
    let mut out = Lexed { escape: '\\', ..Default::default() };
    let mut i = 0;
    // Directives: only at the very top, until the first line that is not one.
    while let Some(line) = lines.get(i) {
        match parse_directive(text, line) {
            Some(d) => {
                if d.name == "escape" && (d.value == "`" || d.value == "\\") {
                    out.escape = d.value.chars().next().unwrap_or('\\');
                }
                out.directives.push(d);
                i += 1;
            }
            None => break,
        }
    }
    lex_lines(text, &mut lines, i, &mut out, &mut |_, _| false);
    out
}

/// Where a partial lex stopped: the start of the line of the next instruction, and the comment
/// lines directly above it.
pub struct Stop {
    pub line_start: usize,
    pub comments_above: Vec<Range<usize>>,
}

/// Lex from `from`, the start of a line where no instruction is open and no comment lines are
/// pending, with the file's `escape`, until `stop(line start, comments above)` accepts the
/// start of an instruction (the caller has it already). Directives are not read.
pub fn lex_from(
    text: &str,
    from: usize,
    escape: char,
    stop: &mut dyn FnMut(usize, &[Range<usize>]) -> bool,
) -> (Lexed, Option<Stop>) {
    let mut lines = Lines::new(text, from);
    let mut out = Lexed { escape, ..Default::default() };
    let stopped = lex_lines(text, &mut lines, 0, &mut out, stop);
    (out, stopped)
}

fn lex_lines(
    text: &str,
    lines: &mut Lines,
    mut i: usize,
    out: &mut Lexed,
    stop: &mut dyn FnMut(usize, &[Range<usize>]) -> bool,
) -> Option<Stop> {
    let escape = out.escape;
    let mut comments_above: Vec<Range<usize>> = Vec::new();
    while let Some(line) = lines.get(i) {
        let s = &text[line.start..line.end];
        if is_blank(s) {
            comments_above.clear();
            i += 1;
            continue;
        }
        if is_comment(s) {
            out.comments.push(line.start..line.end);
            comments_above.push(line.start..line.end);
            i += 1;
            continue;
        }
        if stop(line.start, &comments_above) {
            return Some(Stop { line_start: line.start, comments_above });
        }
        let mut logical = Logical::default();
        let mut last_end = line.end;
        let mut cur = s;
        let mut cur_start = line.start;
        i += 1;
        loop {
            match strip_continuation(cur, escape) {
                Some(head) => {
                    logical.push(head, cur_start);
                    // Skip comment and empty lines until the next content line.
                    let mut next = None;
                    while let Some(l) = lines.get(i) {
                        let ls = &text[l.start..l.end];
                        if is_blank(ls) {
                            out.empty_continuations.push(l.start..l.next);
                            i += 1;
                        } else if is_comment(ls) {
                            out.comments.push(l.start..l.end);
                            i += 1;
                        } else {
                            next = Some(l);
                            i += 1;
                            break;
                        }
                    }
                    match next {
                        Some(l) => {
                            cur = &text[l.start..l.end];
                            cur_start = l.start;
                            last_end = l.end;
                        }
                        None => break,
                    }
                }
                None => {
                    logical.push(cur, cur_start);
                    break;
                }
            }
        }
        // Blank lines that ended a continuation at EOF are not "inside" it.
        let start = line.start + (s.len() - s.trim_start().len());
        let mut inst = RawInstruction {
            logical,
            range: start..last_end,
            comments_above: std::mem::take(&mut comments_above),
            heredocs: Vec::new(),
        };
        let markers = heredoc_markers(&inst.logical.text);
        if !markers.is_empty() && takes_heredocs(&inst.logical.text) {
            for (name, strip_tabs, quoted, r) in markers {
                let body_start = lines.get(i).map_or(text.len(), |l| l.start);
                let mut body_end = body_start;
                let mut end = None;
                while let Some(l) = lines.get(i) {
                    i += 1;
                    let ls = &text[l.start..l.end];
                    let cmp = if strip_tabs { ls.trim_start_matches('\t') } else { ls };
                    if cmp == name {
                        end = Some(l.start..l.end);
                        break;
                    }
                    body_end = l.end;
                }
                inst.range.end = end.as_ref().map_or(body_end, |e| e.end).max(inst.range.end);
                inst.heredocs.push(RawHeredoc {
                    name,
                    strip_tabs,
                    quoted,
                    marker: inst.logical.src_range(r),
                    body: body_start..body_end.max(body_start),
                    end,
                });
            }
        }
        out.instructions.push(inst);
    }
    None
}

/// Heredocs are recognised only for RUN, COPY and ADD (also behind ONBUILD).
fn takes_heredocs(logical: &str) -> bool {
    let mut words = logical.split_whitespace();
    let mut kw = words.next().unwrap_or("");
    if kw.eq_ignore_ascii_case("ONBUILD") {
        kw = words.next().unwrap_or("");
    }
    ["RUN", "COPY", "ADD"].iter().any(|k| k.eq_ignore_ascii_case(kw))
}

/// `<<EOF`, `<<-EOF`, `<<"EOF"`, `<<'EOF'` markers outside quotes: (name, strip tabs, quoted,
/// logical range).
pub fn heredoc_markers(s: &str) -> Vec<(String, bool, bool, Range<usize>)> {
    // Almost no line has a marker: a fast substring search skips the byte-by-byte walk.
    if !s.contains("<<") {
        return Vec::new();
    }
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i < b.len() {
        let c = b[i];
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        if c == b'"' || c == b'\'' {
            quote = Some(c);
            i += 1;
            continue;
        }
        if c == b'<' && b.get(i + 1) == Some(&b'<') && b.get(i + 2) != Some(&b'<') {
            let start = i;
            let mut j = i + 2;
            let strip = b.get(j) == Some(&b'-');
            if strip {
                j += 1;
            }
            let q = match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    j += 1;
                    Some(q)
                }
                _ => None,
            };
            let name_start = j;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                j += 1;
            }
            if j > name_start {
                let name = s[name_start..j].to_string();
                if let Some(q) = q {
                    if b.get(j) == Some(&q) {
                        j += 1;
                    } else {
                        i = j;
                        continue;
                    }
                }
                out.push((name, strip, q.is_some(), start..j));
            }
            i = j.max(i + 2);
            continue;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_comments_and_empty_lines() {
        let t = "# syntax=docker/dockerfile:1\nFROM a\nRUN a \\\n  # note\n\n  b\nCMD x\n";
        let l = lex(t);
        assert_eq!(l.directives.len(), 1);
        assert_eq!(l.instructions.len(), 3);
        assert_eq!(l.instructions[1].logical.text, "RUN a   b");
        assert_eq!(l.empty_continuations.len(), 1);
        let lg = &l.instructions[1].logical;
        assert_eq!(&t[lg.src(8)..lg.src_end(9)], "b");
    }

    #[test]
    fn backtick_escape_and_heredoc() {
        let t = "# escape=`\nFROM w\nRUN a `\n  C:\\x\nRUN <<EOF\necho\nEOF\nCMD y";
        let l = lex(t);
        assert_eq!(l.escape, '`');
        assert_eq!(l.instructions[1].logical.text, "RUN a   C:\\x");
        let h = &l.instructions[2].heredocs[0];
        assert_eq!(&t[h.body.clone()], "echo");
        assert_eq!(l.instructions.len(), 4);
    }
}

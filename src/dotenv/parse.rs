//! A hand-written `.env` parser with exact byte ranges, following Docker Compose's rules:
//! `#` comments (inline only after whitespace, outside quotes), optional `export `, single
//! quotes literal (`\'` escapes a quote), double quotes with `\n \r \t \\ \" \$` escapes and
//! line breaks, unquoted values trimmed, `${VAR}` / `$VAR` / `${VAR:-default}` references in
//! unquoted and double-quoted values, `$$` for a literal dollar. Files are small and the format
//! is a list of lines, so every edit re-parses the whole file.

use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quote {
    None,
    Single,
    Double,
}

/// `${NAME}`, `$NAME` or `${NAME<op>word}` inside a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub name: String,
    /// The whole reference, `$` to `}`.
    pub range: Range<usize>,
    pub name_range: Range<usize>,
    /// `:-`, `-`, `:?`, `?`, `:+`, `+`, or empty.
    pub op: String,
    /// The word after the operator (raw text; it may hold references itself, which are listed
    /// as separate references).
    pub word: Option<(String, Range<usize>)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub key_range: Range<usize>,
    /// The value after quote removal and escape decoding, before interpolation.
    pub value: String,
    /// The value's text without quotes (for an unquoted value, trimmed and without its comment).
    pub value_range: Range<usize>,
    /// The value with its quotes.
    pub raw_value_range: Range<usize>,
    pub quote: Quote,
    /// The `export` keyword, when present.
    pub export: Option<Range<usize>>,
    /// The `=`; None for a bare `KEY` line (the variable is taken from the environment).
    pub equals: Option<Range<usize>>,
    /// 0-based line of the key.
    pub line: usize,
    /// From the first non-blank character to the end of the value.
    pub range: Range<usize>,
    pub references: Vec<Reference>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub range: Range<usize>,
    pub message: String,
    /// The message with a secret value masked, when it echoes one (see `crate::secrets`).
    pub masked_message: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    pub entries: Vec<Entry>,
    /// Every comment, `#` included; `full_line` says whether it stands alone on its line.
    pub comments: Vec<(Range<usize>, bool)>,
    pub errors: Vec<ParseError>,
}

pub fn parse(text: &str) -> Parsed {
    let mut p = Parser { text, b: text.as_bytes(), pos: 0, line: 0, out: Parsed::default() };
    while p.pos < p.b.len() {
        p.statement();
    }
    p.out
}

struct Parser<'t> {
    text: &'t str,
    b: &'t [u8],
    pos: usize,
    line: usize,
    out: Parsed,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn at_eol(&self) -> bool {
        matches!(self.peek(), None | Some(b'\n' | b'\r'))
    }

    fn skip_blanks(&mut self) -> Range<usize> {
        let start = self.pos;
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
        start..self.pos
    }

    /// Consume one line break (`\n`, `\r\n` or `\r`), counting lines.
    fn eol(&mut self) {
        match self.peek() {
            Some(b'\r') => {
                self.pos += 1;
                if self.peek() == Some(b'\n') {
                    self.pos += 1;
                }
                self.line += 1;
            }
            Some(b'\n') => {
                self.pos += 1;
                self.line += 1;
            }
            _ => {}
        }
    }

    fn rest_of_line(&mut self) -> Range<usize> {
        let start = self.pos;
        while !self.at_eol() {
            self.pos += 1;
        }
        start..self.pos
    }

    fn comment(&mut self, full_line: bool) {
        let r = self.rest_of_line();
        self.out.comments.push((r, full_line));
    }

    fn error(&mut self, range: Range<usize>, message: impl Into<String>) {
        self.out.errors.push(ParseError { range, message: message.into(), masked_message: None });
    }

    fn statement(&mut self) {
        self.skip_blanks();
        if self.at_eol() {
            self.eol();
            return;
        }
        if self.peek() == Some(b'#') {
            self.comment(true);
            self.eol();
            return;
        }
        let start = self.pos;
        let line = self.line;
        let mut export = None;
        if self.text[self.pos..].starts_with("export")
            && matches!(self.b.get(self.pos + 6), Some(b' ' | b'\t'))
        {
            export = Some(self.pos..self.pos + 6);
            self.pos += 6;
            self.skip_blanks();
        }
        let key_start = self.pos;
        while !self.at_eol() && !matches!(self.peek(), Some(b'=' | b' ' | b'\t')) {
            self.pos += 1;
        }
        let key_range = key_start..self.pos;
        self.skip_blanks();
        if key_range.is_empty() {
            let r = self.rest_of_line();
            self.error(
                r.start..r.end.max(r.start + 1).min(self.b.len()),
                "a variable name is missing before `=`",
            );
            self.eol();
            return;
        }
        let mut entry = Entry {
            key: self.text[key_range.clone()].to_string(),
            key_range: key_range.clone(),
            value: String::new(),
            value_range: self.pos..self.pos,
            raw_value_range: self.pos..self.pos,
            quote: Quote::None,
            export,
            equals: None,
            line,
            range: start..key_range.end,
            references: Vec::new(),
        };
        match self.peek() {
            Some(b'=') => {
                entry.equals = Some(self.pos..self.pos + 1);
                self.pos += 1;
                self.skip_blanks();
                self.value(&mut entry);
            }
            Some(b'#') => self.comment(false),
            None | Some(b'\n' | b'\r') => {}
            Some(_) => {
                let r = self.rest_of_line();
                let key = &entry.key;
                let rest = self.text[r.clone()].trim_end();
                let message = |shown: &str| {
                    format!("`{key}` is followed by `{shown}` but no `=`: write `{key}=value`")
                };
                let masked = crate::secrets::display_value(key, rest, true);
                self.out.errors.push(ParseError {
                    range: key_range.clone(),
                    message: message(rest),
                    masked_message: (masked != rest).then(|| message(&masked)),
                });
            }
        }
        self.out.entries.push(entry);
        self.eol();
    }

    fn value(&mut self, e: &mut Entry) {
        let start = self.pos;
        match self.peek() {
            Some(q @ (b'\'' | b'"')) => {
                self.pos += 1;
                let double = q == b'"';
                e.quote = if double { Quote::Double } else { Quote::Single };
                let content_start = self.pos;
                let mut value = String::new();
                let mut closed = false;
                while let Some(c) = self.peek() {
                    if c == q {
                        closed = true;
                        break;
                    }
                    if c == b'\\' && self.pos + 1 < self.b.len() {
                        let n = self.b[self.pos + 1];
                        let decoded = match (double, n) {
                            (_, n) if n == q => Some(q as char),
                            (true, b'n') => Some('\n'),
                            (true, b'r') => Some('\r'),
                            (true, b't') => Some('\t'),
                            (true, b'\\') => Some('\\'),
                            (true, b'$') => Some('$'),
                            _ => None,
                        };
                        if let Some(d) = decoded {
                            value.push(d);
                            self.pos += 2;
                            continue;
                        }
                    }
                    if c == b'\n' || (c == b'\r' && self.b.get(self.pos + 1) != Some(&b'\n')) {
                        self.line += 1;
                    }
                    let ch = self.text[self.pos..].chars().next().unwrap_or('\u{fffd}');
                    value.push(ch);
                    self.pos += ch.len_utf8().max(1);
                }
                let content = content_start..self.pos;
                if closed {
                    self.pos += 1;
                } else {
                    let kind = if double { "double" } else { "single" };
                    self.error(
                        start..start + 1,
                        format!("this {kind} quote is never closed, so the value runs to the end of the file"),
                    );
                }
                e.value = value;
                e.value_range = content.clone();
                e.raw_value_range = start..self.pos;
                if double {
                    e.references = references(self.text, content);
                }
                self.skip_blanks();
                match self.peek() {
                    Some(b'#') => self.comment(false),
                    None | Some(b'\n' | b'\r') => {}
                    Some(_) => {
                        let r = self.rest_of_line();
                        self.error(
                            r.start..r.end,
                            "text after the closing quote is not part of the value: quote it all or start a comment with ` #`",
                        );
                    }
                }
            }
            _ => {
                // Unquoted: up to the end of the line or an inline comment (` #`).
                let mut end = self.pos;
                while !self.at_eol() {
                    let c = self.b[self.pos];
                    if c == b'#' && self.pos > start && matches!(self.b[self.pos - 1], b' ' | b'\t')
                    {
                        break;
                    }
                    self.pos += 1;
                    if !matches!(c, b' ' | b'\t') {
                        end = self.pos;
                    }
                }
                // `end` may sit inside a multi-byte char only if the text is not UTF-8, which a
                // `&str` rules out; it always follows a complete non-blank byte sequence.
                let range = start..end;
                e.value = self.text[range.clone()].to_string();
                e.value_range = range.clone();
                e.raw_value_range = range.clone();
                e.references = references(self.text, range);
                if self.peek() == Some(b'#') {
                    self.comment(false);
                }
            }
        }
        e.range.end = e.raw_value_range.end.max(e.range.end);
    }
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// References in `text[range]`, in order, including those nested in `${A:-${B}}` defaults.
pub fn references(text: &str, range: Range<usize>) -> Vec<Reference> {
    let mut out = Vec::new();
    scan(text, range, &mut out, 0);
    out
}

fn scan(text: &str, range: Range<usize>, out: &mut Vec<Reference>, depth: usize) {
    let b = text.as_bytes();
    let mut i = range.start;
    while i < range.end {
        if b[i] == b'\\' && i + 1 < range.end {
            i += 2;
            continue;
        }
        if b[i] != b'$' || i + 1 >= range.end {
            i += 1;
            continue;
        }
        let n = b[i + 1];
        if n == b'$' {
            i += 2;
            continue;
        }
        if is_name_start(n) {
            let mut j = i + 1;
            while j < range.end && is_name_char(b[j]) {
                j += 1;
            }
            out.push(Reference {
                name: text[i + 1..j].to_string(),
                range: i..j,
                name_range: i + 1..j,
                op: String::new(),
                word: None,
            });
            i = j;
            continue;
        }
        if n != b'{' {
            i += 1;
            continue;
        }
        // `${…}` with nesting.
        let mut j = i + 2;
        let mut level = 1;
        while j < range.end {
            match b[j] {
                b'{' => level += 1,
                b'}' => {
                    level -= 1;
                    if level == 0 {
                        break;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        if j >= range.end {
            // Unterminated: not a reference (reported by the rules, which see the value).
            i += 2;
            continue;
        }
        let name_start = i + 2;
        let mut k = name_start;
        while k < j && is_name_char(b[k]) {
            k += 1;
        }
        let ops = [":-", ":?", ":+", "-", "?", "+"];
        let op = ops.iter().find(|op| text[k..j].starts_with(**op)).copied().unwrap_or("");
        let word_range = k + op.len()..j;
        let word =
            (!op.is_empty()).then(|| (text[word_range.clone()].to_string(), word_range.clone()));
        if k > name_start && (k == j || !op.is_empty()) {
            out.push(Reference {
                name: text[name_start..k].to_string(),
                range: i..j + 1,
                name_range: name_start..k,
                op: op.to_string(),
                word,
            });
            if !op.is_empty() && depth < 8 {
                scan(text, word_range, out, depth + 1);
            }
        }
        i = j + 1;
    }
}

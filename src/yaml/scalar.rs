//! Decoding scalar source text into values: quoting, escapes, line folding, block scalars.

/// Fold the lines of a flow scalar (plain or quoted): a single line break between text becomes
/// a space, each further empty line a `\n`; leading/trailing blanks of inner lines go.
fn fold_lines(raw: &str) -> String {
    if !raw.contains(['\n', '\r']) {
        return raw.to_string();
    }
    let lines: Vec<&str> = raw.split('\n').map(|l| l.trim_end_matches('\r')).collect();
    let mut out = String::with_capacity(raw.len());
    let mut empties = 0;
    for (i, line) in lines.iter().enumerate() {
        let mut l = *line;
        if i > 0 {
            l = l.trim_start_matches([' ', '\t']);
        }
        if i + 1 < lines.len() {
            l = l.trim_end_matches([' ', '\t']);
        }
        if i > 0 && l.is_empty() && i + 1 < lines.len() {
            empties += 1;
            continue;
        }
        if i > 0 {
            if empties == 0 {
                out.push(' ');
            } else {
                out.extend(std::iter::repeat_n('\n', empties));
            }
        }
        empties = 0;
        out.push_str(l);
    }
    out
}

pub fn plain(raw: &str) -> String {
    fold_lines(raw)
}

/// The text between single quotes.
pub fn single_quoted(inner: &str) -> String {
    fold_lines(inner).replace("''", "'")
}

/// The text between double quotes.
pub fn double_quoted(inner: &str) -> String {
    // Escaped line breaks (`\` at end of line) join lines without a space; mark them first so
    // folding doesn't turn them into spaces.
    let mut pre = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.peek() {
                Some('\n') | Some('\r') => {
                    // Drop the break and the next line's indentation.
                    while let Some(&n) = chars.peek() {
                        if n == '\n' || n == '\r' || n == ' ' || n == '\t' {
                            chars.next();
                        } else {
                            break;
                        }
                    }
                }
                Some(&n) => {
                    pre.push('\\');
                    pre.push(n);
                    chars.next();
                }
                None => pre.push('\\'),
            }
        } else {
            pre.push(c);
        }
    }
    let folded = fold_lines(&pre);
    let mut out = String::with_capacity(folded.len());
    let mut chars = folded.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            out.push('\\');
            break;
        };
        let simple = match e {
            '0' => Some('\0'),
            'a' => Some('\x07'),
            'b' => Some('\x08'),
            't' | '\t' => Some('\t'),
            'n' => Some('\n'),
            'v' => Some('\x0b'),
            'f' => Some('\x0c'),
            'r' => Some('\r'),
            'e' => Some('\x1b'),
            ' ' => Some(' '),
            '"' => Some('"'),
            '/' => Some('/'),
            '\\' => Some('\\'),
            'N' => Some('\u{85}'),
            '_' => Some('\u{a0}'),
            'L' => Some('\u{2028}'),
            'P' => Some('\u{2029}'),
            _ => None,
        };
        if let Some(s) = simple {
            out.push(s);
            continue;
        }
        let digits = match e {
            'x' => 2,
            'u' => 4,
            'U' => 8,
            _ => {
                // Unknown escape: keep it as written.
                out.push('\\');
                out.push(e);
                continue;
            }
        };
        let hex: String = chars.clone().take(digits).collect();
        match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
            Some(ch) if hex.len() == digits => {
                out.push(ch);
                for _ in 0..digits {
                    chars.next();
                }
            }
            _ => {
                out.push('\\');
                out.push(e);
            }
        }
    }
    out
}

/// A block scalar: `raw` starts at the `|`/`>` header; `trailing` is the source after the
/// node (for `+` chomping, which keeps trailing blank lines); `parent_indent` is the
/// indentation of the line holding the header. Returns the value and the byte offset (within
/// `raw`) where the content starts.
pub fn block(raw: &str, trailing: &str, parent_indent: usize) -> (String, usize) {
    let header_end = raw.find('\n').unwrap_or(raw.len());
    let header = raw[..header_end].split('#').next().unwrap_or("").trim();
    let folded = header.starts_with('>');
    let keep = header.contains('+');
    let strip = header.contains('-');
    let explicit = header.chars().find_map(|c| c.to_digit(10)).map(|d| d as usize);
    let content_start = (header_end + 1).min(raw.len());
    let body = &raw[content_start..];
    let lines: Vec<&str> = body.split('\n').map(|l| l.trim_end_matches('\r')).collect();
    let indent = explicit.map(|d| parent_indent + d).unwrap_or_else(|| {
        lines
            .iter()
            .find(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start_matches(' ').len())
            .unwrap_or(0)
    });
    let strip_indent = |l: &'_ str| -> String {
        let n = l.len() - l.trim_start_matches(' ').len();
        l[n.min(indent)..].to_string()
    };
    let content: Vec<String> = lines.iter().map(|l| strip_indent(l)).collect();
    let mut out = String::with_capacity(body.len());
    if folded {
        // Lines join with a space unless empty or more indented (then breaks are kept).
        let mut prev_more = true;
        let mut pending_breaks = 0usize;
        let mut first = true;
        for l in &content {
            if l.is_empty() {
                pending_breaks += 1;
                continue;
            }
            let more = l.starts_with([' ', '\t']);
            if !first {
                if pending_breaks == 0 {
                    out.push(if more || prev_more { '\n' } else { ' ' });
                } else {
                    let n = if more || prev_more { pending_breaks + 1 } else { pending_breaks };
                    out.extend(std::iter::repeat_n('\n', n));
                }
            }
            first = false;
            pending_breaks = 0;
            prev_more = more;
            out.push_str(l);
        }
    } else {
        let last = content.iter().rposition(|l| !l.is_empty());
        if let Some(last) = last {
            out.push_str(&content[..=last].join("\n"));
        }
    }
    let has_content = content.iter().any(|l| !l.is_empty());
    if !strip && has_content {
        out.push('\n');
        if keep {
            let extra = trailing
                .split('\n')
                .skip(1)
                .take_while(|l| l.trim().is_empty())
                .count()
                .saturating_sub(1);
            out.extend(std::iter::repeat_n('\n', extra));
        }
    }
    (out, content_start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted() {
        assert_eq!(double_quoted(r"a\tb\u00e9\x41\n"), "a\tbéA\n");
        assert_eq!(double_quoted("one\n   two\n\n  three"), "one two\nthree");
        assert_eq!(double_quoted("one \\\n   two"), "one two");
        assert_eq!(double_quoted(r"bad \q \u12"), r"bad \q \u12");
        assert_eq!(single_quoted("it''s"), "it's");
        assert_eq!(plain("a\n  b"), "a b");
    }

    #[test]
    fn blocks() {
        assert_eq!(block("|\n  a\n   b\n", "", 0).0, "a\n b\n");
        assert_eq!(block("|-\n  a\n  b", "", 0).0, "a\nb");
        assert_eq!(block(">\n  a\n  b\n\n  c", "", 0).0, "a b\nc\n");
        assert_eq!(block(">-\n  a\n    x\n  b", "", 0).0, "a\n  x\nb");
        assert_eq!(block("|+\n  a", "\n\n\nz", 0).0, "a\n\n");
        assert_eq!(block("|2\n    a", "", 2).0, "a\n");
    }
}

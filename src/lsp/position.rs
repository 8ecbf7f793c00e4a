//! The only place where LSP positions (line + column in the negotiated encoding) meet byte
//! offsets. Out-of-range positions clamp to the nearest valid place; nothing here panics.

use std::ops::Range;

use ropey::Rope;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

impl Encoding {
    fn units(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        }
    }

    /// The width of `s` in this encoding's units.
    pub fn width(self, s: &str) -> u32 {
        if self == Encoding::Utf8 || s.is_ascii() {
            s.len() as u32
        } else {
            s.chars().map(|c| self.units(c) as u32).sum()
        }
    }
}

/// Walks a text's lines forward (LSP line breaks: `\n`, `\r\n`, lone `\r`), for converting
/// many offsets in increasing order without a rope walk per offset.
pub struct Lines<'a> {
    text: &'a str,
    /// The current line: its number, start, and the end of its content (before the break).
    pub line: u32,
    pub start: usize,
    pub end: usize,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Lines<'a> {
        let mut l = Lines { text, line: 0, start: 0, end: 0 };
        l.end = l.content_end();
        l
    }

    fn content_end(&self) -> usize {
        let rest = &self.text.as_bytes()[self.start..];
        memchr::memchr2(b'\n', b'\r', rest).map_or(self.text.len(), |i| self.start + i)
    }

    /// Start of the next line, or None on the last.
    fn next_start(&self) -> Option<usize> {
        let bytes = self.text.as_bytes();
        match bytes.get(self.end)? {
            b'\r' if bytes.get(self.end + 1) == Some(&b'\n') => Some(self.end + 2),
            _ => Some(self.end + 1),
        }
    }

    /// Move to the next line; false on the last.
    pub fn advance(&mut self) -> bool {
        let Some(next) = self.next_start() else { return false };
        self.line += 1;
        self.start = next;
        self.end = self.content_end();
        true
    }

    /// Move forward to the line holding `offset` (an offset inside a line break belongs to
    /// the line it ends). Offsets before the current line stay on it.
    pub fn seek(&mut self, offset: usize) {
        while self.next_start().is_some_and(|next| offset >= next) {
            self.advance();
        }
    }
}

/// A line/column pair in the negotiated encoding (LSP's `Position` without the LSP type).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Byte offset of a line's end, excluding its line break.
fn line_content_end(rope: &Rope, line: usize) -> usize {
    let start = rope.line_to_byte(line);
    let slice = rope.line(line);
    let mut len = slice.len_bytes();
    // Strip `\n`, `\r\n` or `\r`.
    if len > 0 && slice.byte(len - 1) == b'\n' {
        len -= 1;
    }
    if len > 0 && slice.byte(len - 1) == b'\r' {
        len -= 1;
    }
    start + len
}

/// Byte offset for a position; a line past the end clamps to the end of the text, a column past
/// the end of its line clamps to the line's end, a column inside a character to its start.
pub fn to_offset(rope: &Rope, enc: Encoding, pos: LineCol) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let start = rope.line_to_byte(line);
    let end = line_content_end(rope, line);
    let mut offset = start;
    let mut remaining = pos.col as usize;
    for c in rope.byte_slice(start..end).chars() {
        let u = enc.units(c);
        if remaining < u {
            break;
        }
        remaining -= u;
        offset += c.len_utf8();
    }
    offset
}

/// Position of a byte offset (clamped to the text; an offset inside a character counts as its
/// start).
pub fn to_line_col(rope: &Rope, enc: Encoding, offset: usize) -> LineCol {
    // Four walks down the rope, not eight: this runs twice for each of hundreds of
    // diagnostics on every keystroke.
    let mut offset = offset.min(rope.len_bytes());
    // ropey never splits a character across chunks, so the chunk can snap an offset inside a
    // character to its start.
    let (chunk, chunk_start, _, _) = rope.chunk_at_byte(offset);
    while offset > chunk_start && !chunk.is_char_boundary(offset - chunk_start) {
        offset -= 1;
    }
    let line = rope.byte_to_line(offset);
    let start = rope.line_to_byte(line);
    let col = match enc {
        Encoding::Utf8 => offset - start,
        _ => rope
            .byte_slice(start..offset)
            .chunks()
            .map(|c| if c.is_ascii() { c.len() } else { c.chars().map(|ch| enc.units(ch)).sum() })
            .sum(),
    };
    LineCol { line: line as u32, col: col as u32 }
}

/// Positions of many offsets of one text at once (same answers as [`to_line_col`] on a rope
/// of it). A diagnostics report converts two offsets for each of hundreds of findings on every
/// keystroke; walking the text once in offset order, counting line breaks a vector at a time,
/// is far cheaper than a rope walk per offset or an index of every line.
pub fn line_cols(text: &str, enc: Encoding, offsets: &[usize]) -> Vec<LineCol> {
    let bytes = text.as_bytes();
    // A `\r\n` split by `at` is counted twice by the two halves: once in each.
    let splits_crlf = |at: usize| at > 0 && bytes.get(at) == Some(&b'\n') && bytes[at - 1] == b'\r';
    let mut order: Vec<(usize, usize)> = offsets
        .iter()
        .enumerate()
        .map(|(i, &o)| {
            let mut o = o.min(text.len());
            while !text.is_char_boundary(o) {
                o -= 1;
            }
            (o, i)
        })
        .collect();
    order.sort_unstable();
    let mut out = vec![LineCol { line: 0, col: 0 }; offsets.len()];
    let has_cr = memchr::memchr(b'\r', bytes).is_some();
    let (mut pos, mut breaks) = (0, 0);
    for (o, i) in order {
        if o > pos {
            breaks += if has_cr {
                str_indices::lines_crlf::count_breaks(&text[pos..o])
            } else {
                // Without `\r` a break is a `\n`, and counting a byte is faster still.
                bytecount::count(&bytes[pos..o], b'\n')
            };
            breaks -= usize::from(splits_crlf(pos));
            pos = o;
        }
        // The `\r` of a `\r\n` at `o` does not end the line `o` is on.
        let line = breaks - usize::from(splits_crlf(o));
        let mut line_start = 0;
        let mut upto = o;
        while let Some(p) = memchr::memrchr2(b'\n', b'\r', &bytes[..upto]) {
            if bytes[p] == b'\r' && p + 1 == o && splits_crlf(o) {
                upto = p;
                continue;
            }
            line_start = p + 1;
            break;
        }
        out[i] = LineCol { line: line as u32, col: enc.width(&text[line_start..o]) };
    }
    out
}

pub fn to_range(rope: &Rope, enc: Encoding, start: LineCol, end: LineCol) -> Range<usize> {
    let s = to_offset(rope, enc, start);
    let e = to_offset(rope, enc, end);
    if e < s { e..s } else { s..e }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lc(line: u32, col: u32) -> LineCol {
        LineCol { line, col }
    }

    #[test]
    fn ascii_is_the_same_in_every_encoding() {
        let r = Rope::from_str("FROM x\nRUN y\n");
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            assert_eq!(to_offset(&r, enc, lc(1, 4)), 11);
            assert_eq!(to_line_col(&r, enc, 11), lc(1, 4));
        }
    }

    #[test]
    fn non_ascii_columns_per_encoding() {
        // 'é' = 2 bytes/1 unit, '世' = 3 bytes/1 unit, '😀' = 4 bytes/2 utf-16 units,
        // 'e\u{301}' = combining mark: 1 + 2 bytes, two chars.
        let text = "A=é世😀e\u{301}Z\n";
        let r = Rope::from_str(text);
        let z = text.find('Z').unwrap();
        assert_eq!(to_line_col(&r, Encoding::Utf8, z), lc(0, z as u32));
        assert_eq!(to_line_col(&r, Encoding::Utf16, z), lc(0, 8));
        assert_eq!(to_line_col(&r, Encoding::Utf32, z), lc(0, 7));
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let p = to_line_col(&r, enc, z);
            assert_eq!(to_offset(&r, enc, p), z, "{enc:?}");
        }
    }

    #[test]
    fn inside_a_surrogate_pair_or_multibyte_char_snaps_back() {
        let r = Rope::from_str("😀x");
        // utf-16 column 1 is inside the emoji: clamp to its start.
        assert_eq!(to_offset(&r, Encoding::Utf16, lc(0, 1)), 0);
        assert_eq!(to_offset(&r, Encoding::Utf16, lc(0, 2)), 4);
        // Byte 2 is inside the emoji.
        assert_eq!(to_line_col(&r, Encoding::Utf8, 2), lc(0, 0));
        assert_eq!(to_offset(&r, Encoding::Utf8, lc(0, 2)), 0);
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let r = Rope::from_str("ab\r\ncd");
        assert_eq!(to_offset(&r, Encoding::Utf16, lc(0, 99)), 2, "clamps before CRLF");
        assert_eq!(to_offset(&r, Encoding::Utf16, lc(7, 0)), 6, "past the last line");
        assert_eq!(to_line_col(&r, Encoding::Utf16, 999), lc(1, 2));
        assert_eq!(to_range(&r, Encoding::Utf8, lc(1, 1), lc(0, 1)), 1..5, "reversed range");
        let empty = Rope::from_str("");
        assert_eq!(to_offset(&empty, Encoding::Utf16, lc(3, 3)), 0);
        assert_eq!(to_line_col(&empty, Encoding::Utf16, 3), lc(0, 0));
    }

    proptest::proptest! {
        #[test]
        fn batch_positions_agree_with_the_rope(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "bc", "\n", "\r", "\r\n", "é", "世", "😀", "\u{2028}",
                    "a line of forty bytes, give or take it\n",
                ]),
                0..60,
            ),
            offsets in proptest::collection::vec(0usize..2400, 1..40),
            no_cr in proptest::bool::ANY,
        ) {
            let mut text: String = parts.concat();
            if no_cr {
                text = text.replace('\r', "");
            }
            let rope = Rope::from_str(&text);
            for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                let batch = line_cols(&text, enc, &offsets);
                for (&o, &got) in offsets.iter().zip(&batch) {
                    proptest::prop_assert_eq!(got, to_line_col(&rope, enc, o), "offset {}", o);
                }
            }
        }
    }

    #[test]
    fn line_breaks_are_lf_crlf_and_cr() {
        let r = Rope::from_str("a\rb\r\nc\nd\u{2028}e");
        assert_eq!(to_line_col(&r, Encoding::Utf16, 2), lc(1, 0));
        assert_eq!(to_line_col(&r, Encoding::Utf16, 5), lc(2, 0));
        assert_eq!(to_line_col(&r, Encoding::Utf16, 7), lc(3, 0));
        // U+2028 is not a line break for LSP.
        assert_eq!(to_line_col(&r, Encoding::Utf16, 11), lc(3, 2));
    }
}

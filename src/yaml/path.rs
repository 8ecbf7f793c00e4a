//! Which key path a byte offset is at, for completion and hover. Works on half-typed input:
//! a cursor on a blank or partly typed line is placed by its indentation.

use std::ops::Range;

use super::{Map, Node, Value, Yaml};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSeg {
    Key(String),
    Index(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    /// On a key, or where a new key of the map at `path[..len-1]` (Key) / `path` (gap) goes.
    Key,
    /// On a value or where a value goes.
    Value,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathAt {
    /// Keys and indices from the root. For `Position::Key` the last segment is the key under
    /// the cursor, or absent when the cursor is where a new key would go (`new_key`).
    pub path: Vec<PathSeg>,
    pub position: Position,
    /// The token under the cursor (the text a completion replaces); empty when there is none.
    pub range: Range<usize>,
    /// The cursor is where a new key of the map at `path` goes (blank or partly typed line).
    pub new_key: bool,
    /// A value position on its own line below the key (`build:⏎  |`): a nested map or a
    /// sequence may go here as well as a scalar.
    pub block: bool,
}

impl PathAt {
    /// The path's keys as strings (indices as `[n]`), for display and matching.
    pub fn keys(&self) -> Vec<String> {
        self.path
            .iter()
            .map(|s| match s {
                PathSeg::Key(k) => k.clone(),
                PathSeg::Index(i) => format!("[{i}]"),
            })
            .collect()
    }
}

pub fn path_at(yaml: &Yaml, text: &str, offset: usize) -> PathAt {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let mut path = Vec::new();
    let word = word_at(text, offset);
    match &yaml.root {
        Some(root) => at_node(root, text, offset, &mut path, &word, 0),
        None => new_key(path, word),
    }
}

fn new_key(path: Vec<PathSeg>, range: Range<usize>) -> PathAt {
    PathAt { path, position: Position::Key, range, new_key: true, block: false }
}

fn contains(r: &Range<usize>, offset: usize) -> bool {
    r.start <= offset && offset <= r.end
}

fn at_node(
    node: &Node,
    text: &str,
    offset: usize,
    path: &mut Vec<PathSeg>,
    word: &Range<usize>,
    depth: usize,
) -> PathAt {
    if node.alias.is_some() || depth > super::MAX_DEPTH {
        return value(path, node.range.clone());
    }
    match &node.value {
        Value::Map(m) => at_map(node, m, text, offset, path, word, depth),
        Value::Seq(s) => {
            for (i, item) in s.items.iter().enumerate() {
                let here = if item.range.is_empty() {
                    // `- ` with nothing yet: the cursor is on that line.
                    offset >= item.range.start && !below(text, offset, item.range.start)
                } else {
                    contains(&item.range, offset) && !outdented(item, text, offset)
                };
                if here {
                    path.push(PathSeg::Index(i));
                    return at_node(item, text, offset, path, word, depth + 1);
                }
            }
            // Below the last item, indented at least as far as its content: still in it.
            let before = s.items.iter().rposition(|it| it.range.start < offset);
            if let Some(i) = before {
                let item = &s.items[i];
                if item.as_map().is_some_and(|m| !m.flow)
                    && item.alias.is_none()
                    && indent_col(text, offset) >= col(text, item.range.start)
                    && below(text, offset, item.range.start)
                {
                    path.push(PathSeg::Index(i));
                    return at_node(item, text, offset, path, word, depth + 1);
                }
            }
            let n = s.items.iter().filter(|it| it.range.start < offset).count();
            path.push(PathSeg::Index(n.min(s.items.len())));
            let mut r = value(path, word.clone());
            r.block = true;
            r
        }
        _ => value(path, if node.range.is_empty() { word.clone() } else { node.content_range() }),
    }
}

fn value(path: &[PathSeg], range: Range<usize>) -> PathAt {
    PathAt { path: path.to_vec(), position: Position::Value, range, new_key: false, block: false }
}

fn at_map(
    node: &Node,
    m: &Map,
    text: &str,
    offset: usize,
    path: &mut Vec<PathSeg>,
    word: &Range<usize>,
    depth: usize,
) -> PathAt {
    let local = || m.entries.iter().filter(|e| e.merged_from.is_none());
    for e in local() {
        if contains(&e.key_range, offset) && e.key_range.end > e.key_range.start {
            path.push(PathSeg::Key(e.key.clone()));
            return PathAt {
                path: path.clone(),
                position: Position::Key,
                range: e.key_range.clone(),
                new_key: false,
                block: false,
            };
        }
        let v = &e.value;
        if (!v.range.is_empty() && contains(&v.range, offset) && !outdented(v, text, offset))
            || (v.range.is_empty() && v.range.start == offset)
        {
            path.push(PathSeg::Key(e.key.clone()));
            return at_node(v, text, offset, path, word, depth + 1);
        }
    }
    // In a gap of this map: decide by indentation which entry the cursor belongs to.
    let last = local().rfind(|e| e.key_range.start < offset);
    if !m.flow
        && let Some(e) = last
        && below(text, offset, e.key_range.start)
        && indent_col(text, offset) > col(text, e.key_range.start)
    {
        path.push(PathSeg::Key(e.key.clone()));
        let v = &e.value;
        return match &v.value {
            Value::Map(_) | Value::Seq(_) if v.alias.is_none() => {
                at_node(v, text, offset, path, word, depth + 1)
            }
            _ => {
                // On a line below the key: a block value may go here.
                let mut r = value(path, word.clone());
                r.block = v.is_missing() || v.range.is_empty();
                r
            }
        };
    }
    let _ = node;
    new_key(path.clone(), word.clone())
}

/// A block collection's range can run on over trailing blank lines; a cursor there that is
/// indented less than the collection belongs to an outer one.
fn outdented(node: &Node, text: &str, offset: usize) -> bool {
    let block = match &node.value {
        Value::Map(m) => !m.flow,
        Value::Seq(s) => !s.flow,
        _ => false,
    };
    block
        && below(text, offset, node.range.start)
        && indent_col(text, offset) < col(text, node.range.start)
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1)
}

/// `offset` is on a later line than `earlier` (lines counted by `\n`). Only the text between
/// them is looked at, so the cost is their distance, not the file's length.
fn below(text: &str, offset: usize, earlier: usize) -> bool {
    let (offset, earlier) = (offset.min(text.len()), earlier.min(text.len()));
    earlier < offset && memchr::memchr(b'\n', &text.as_bytes()[earlier..offset]).is_some()
}

fn col(text: &str, offset: usize) -> usize {
    offset - line_start(text, offset.min(text.len()))
}

/// The indentation that places the cursor: the first non-blank column on its line, or the
/// cursor column on a blank line. A `- ` list marker counts as indentation.
fn indent_col(text: &str, offset: usize) -> usize {
    let start = line_start(text, offset);
    let prefix = &text[start..offset];
    let trimmed = prefix.trim_start_matches(' ');
    if trimmed.is_empty() {
        return prefix.len();
    }
    let mut n = prefix.len() - trimmed.len();
    let mut t = trimmed;
    while let Some(rest) = t.strip_prefix("- ") {
        let r = rest.trim_start_matches(' ');
        n += t.len() - r.len();
        t = r;
    }
    n
}

/// The word the cursor is in or at the end of (what a completion replaces).
fn word_at(text: &str, offset: usize) -> Range<usize> {
    let is_word = |c: char| !c.is_whitespace() && !"{}[],:\"'#&*!|>".contains(c);
    let start = text[..offset]
        .char_indices()
        .rev()
        .find(|(_, c)| !is_word(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[offset..]
        .char_indices()
        .find(|(_, c)| !is_word(*c))
        .map_or(text.len(), |(i, _)| offset + i);
    start..end
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// The line number the way it used to be found: newlines from the start of the file.
    fn line(text: &str, offset: usize) -> usize {
        text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count()
    }

    proptest! {
        #[test]
        fn below_agrees_with_counting_lines(
            text in "[a \n\r:-]{0,40}",
            a in 0usize..45,
            b in 0usize..45,
        ) {
            prop_assert_eq!(super::below(&text, a, b), line(&text, a) > line(&text, b));
        }
    }
}

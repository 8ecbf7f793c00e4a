//! The lines of one entry of a top-level section (a service), parsed on their own.
//!
//! tree-sitter-yaml rebuilds the whole chain of a large section's entries on every re-parse
//! (see [`super::splice`]), so work about one service reads just that service's lines: the
//! splice after a keystroke in it, and the syntax around a completion's cursor
//! ([`EntryTree`]). Parsed alone, the lines read as they do in the whole file when the entry
//! keeps its indentation and a sibling key follows it: at the end of a text a pair takes the
//! trailing blanks in, where before a sibling it ends at its last token.

use std::ops::Range;

use tree_sitter::{Node as TsNode, Tree};

use super::Yaml;
use crate::workspace::FileKind;
use crate::workspace::document::{self, MAX_PARSED_BYTES};

/// The text parsed for one entry: its lines, then a sibling key line at its indentation.
pub(super) struct Chunk {
    pub text: String,
    /// Where the chunk starts in the whole text (the start of the entry's first line).
    pub base: usize,
    /// Where the entry's key starts in the chunk (its indentation).
    pub key_at: usize,
    /// Where the sibling key starts in the chunk.
    pub sibling_at: usize,
}

/// The chunk of the entry whose line starts at `line_start`, whose key starts at `key_start`
/// and whose pair ends at `end` (offsets in `text`): the lines from `line_start` to the end of
/// the line holding `end`, then the sibling. None when something other than spaces comes
/// before the key on its line.
pub(super) fn chunk(text: &str, line_start: usize, key_start: usize, end: usize) -> Option<Chunk> {
    let lead = text.get(line_start..key_start)?;
    if !lead.bytes().all(|b| b == b' ') {
        return None;
    }
    let rest = text.as_bytes().get(end..)?;
    let chunk_end = memchr::memchr(b'\n', rest).map_or(text.len(), |n| end + n + 1);
    let mut chunk = String::with_capacity(chunk_end - line_start + lead.len() + 4);
    chunk.push_str(text.get(line_start..chunk_end)?);
    if !chunk.ends_with('\n') {
        chunk.push('\n');
    }
    let sibling_at = chunk.len() + lead.len();
    chunk.push_str(lead);
    chunk.push_str("_:\n");
    Some(Chunk { text: chunk, base: line_start, key_at: lead.len(), sibling_at })
}

/// A syntax tree of the lines of one entry of a top-level section (a service), parsed on
/// their own, with the blank lines after it up to a cursor on one. Within the entry (`entry`,
/// offsets of the whole text) its nodes are those of the whole text's tree, `base` bytes
/// earlier.
pub struct EntryTree {
    pub tree: Tree,
    /// The text `tree` was parsed from.
    pub text: String,
    /// Where `text` starts in the whole text.
    pub base: usize,
    /// The entry's pair, in the whole text.
    pub entry: Range<usize>,
}

/// See [`Yaml::entry_tree`].
pub(super) fn entry_tree(yaml: &Yaml, text: &str, offset: usize) -> Option<EntryTree> {
    if !yaml.clean || yaml.root.is_none() || text.len() > MAX_PARSED_BYTES {
        return None;
    }
    let list = &yaml.pieces.list;
    let i = list.partition_point(|p| p.range.start <= offset).checked_sub(1)?;
    let p = &list[i];
    if p.depth != 1 {
        return None;
    }
    // The chunk runs to the end of the line the entry ends on, or, for a cursor on a blank
    // line after it (where an editor asks for the next key), to the end of that line.
    let line_end = |at: usize| {
        memchr::memchr(b'\n', text.as_bytes().get(at..)?).map_or(Some(text.len()), |n| Some(at + n))
    };
    let mut end = p.range.end;
    if offset > line_end(end)? {
        end = line_end(offset)?;
        let mut blank = text.get(p.range.end..end)?.bytes().skip_while(|&b| b != b'\n');
        if !blank.all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n')) {
            return None;
        }
    }
    let c = chunk(text, p.line_start, p.range.start, end)?;
    let tree = document::parse(FileKind::Compose, &c.text, None)?;
    // The lines must read as the entry and the sibling, the entry where it is in the whole
    // text: then they read as they do there.
    let pair = entry_pair(&tree, c.key_at, c.sibling_at)?;
    if pair.end_byte() + c.base != p.range.end {
        return None;
    }
    Some(EntryTree { tree, text: c.text, base: c.base, entry: p.range.clone() })
}

/// The chunk's entry: the first of exactly two pairs (comments aside) of the one block
/// mapping of an error-free tree, starting at `key_at`, the second at `sibling_at`.
fn entry_pair(tree: &Tree, key_at: usize, sibling_at: usize) -> Option<TsNode<'_>> {
    let root = tree.root_node();
    if root.has_error() {
        return None;
    }
    let doc = only_child(root, "document")?;
    let node = only_child(doc, "block_node")?;
    let map = only_child(node, "block_mapping")?;
    let mut c = map.walk();
    let mut pairs = map.named_children(&mut c).filter(|n| n.kind() != "comment");
    let (pair, sibling) = (pairs.next()?, pairs.next()?);
    let exact = pairs.next().is_none()
        && pair.kind() == "block_mapping_pair"
        && pair.start_byte() == key_at
        && sibling.start_byte() == sibling_at;
    exact.then_some(pair)
}

/// The one named child of `n` besides comments, when it is a `kind`.
fn only_child<'t>(n: TsNode<'t>, kind: &str) -> Option<TsNode<'t>> {
    let mut c = n.walk();
    let mut found = None;
    for ch in n.named_children(&mut c) {
        match ch.kind() {
            "comment" => {}
            _ if found.is_some() => return None,
            _ => found = Some(ch),
        }
    }
    found.filter(|f| f.kind() == kind)
}

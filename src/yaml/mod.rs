//! A positioned YAML value tree read from a tree-sitter-yaml syntax tree.
//!
//! Every key and value keeps its byte range in the source. Aliases are resolved by sharing
//! (an alias node clones the anchor's `Arc`ed content, O(1)), merge keys (`<<`) are applied,
//! and all materialisation is budgeted, so alias bombs and deeply nested input stay cheap.
//! Nodes reached through an alias keep the ranges of the anchored original: tree walkers that
//! want each source position once must not descend into `node.alias` nodes (see [`walk`]).

mod build;
mod entry;
mod path;
mod reuse;
mod scalar;
mod scalar_edit;
mod splice;
#[cfg(test)]
mod tests;

use std::ops::Range;
use std::sync::Arc;

pub use entry::EntryTree;
pub use path::{PathAt, PathSeg, Position};
pub use reuse::{Move, Window};

/// Nesting deeper than this is cut off (read as null) rather than recursed into.
pub const MAX_DEPTH: usize = 128;
/// The most entries merge keys may copy in one document.
pub const MAX_MERGED_ENTRIES: usize = 200_000;

/// How a scalar was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// What a plain scalar resolves to under the YAML core schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarType {
    Str,
    Int,
    Float,
    Bool,
    Timestamp,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scalar {
    /// The decoded value (escapes and line folding applied).
    pub text: String,
    pub style: Style,
    pub ty: ScalarType,
    /// The source span of the content (inside the quotes, after a block scalar's header),
    /// relative to the start of the node written with it: a scalar is left alone when an edit
    /// moves its node (most nodes are scalars, each behind its own pointer), see
    /// [`Node::content_range`].
    content: Range<usize>,
}

impl Scalar {
    pub fn new(
        text: String,
        style: Style,
        ty: ScalarType,
        node_start: usize,
        content: Range<usize>,
    ) -> Scalar {
        let rel = content.start.wrapping_sub(node_start)..content.end.wrapping_sub(node_start);
        Scalar { text, style, ty, content: rel }
    }

    /// The content's span in the source, for the node written with this scalar starting at
    /// `node_start`.
    fn content_at(&self, node_start: usize) -> Range<usize> {
        self.content.start.wrapping_add(node_start)..self.content.end.wrapping_add(node_start)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key's decoded text (complex keys: their source text).
    pub key: String,
    /// The key token (quotes included for quoted keys).
    pub key_range: Range<usize>,
    /// The key text without quotes.
    pub key_content: Range<usize>,
    pub value: Node,
    /// When the entry came in through a merge key: the range of the `<<` source (alias or map).
    pub merged_from: Option<Range<usize>>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Map {
    pub entries: Vec<Entry>,
    /// Written in flow style (`{a: 1}`).
    pub flow: bool,
    index: Option<crate::util::FastMap<String, usize>>,
}

impl Map {
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.index {
            Some(ix) => ix.get(key).map(|&i| &self.entries[i]),
            None => self.entries.iter().find(|e| e.key == key),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter()
    }

    fn new(mut entries: Vec<Entry>, flow: bool) -> Map {
        // Kept for the document's life: no spare capacity (a no-op when sized exactly).
        entries.shrink_to_fit();
        // Large maps (500 services) get a hash index; small ones scan faster.
        let index = (entries.len() > 12).then(|| {
            let mut ix =
                crate::util::FastMap::with_capacity_and_hasher(entries.len(), Default::default());
            for (i, e) in entries.iter().enumerate() {
                ix.entry(e.key.clone()).or_insert(i);
            }
            ix
        });
        Map { entries, flow, index }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Seq {
    pub items: Vec<Node>,
    pub flow: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `~`, `null`, or nothing at all (`key:`).
    Null,
    Scalar(Arc<Scalar>),
    Map(Arc<Map>),
    Seq(Arc<Seq>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Alias {
    pub name: String,
    /// The anchor this alias refers to (`&name` token), when it exists.
    pub anchor: Option<Range<usize>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Where this node is written: for an alias, the `*name` token; for a value left out
    /// (`key:`), an empty range right after the colon.
    pub range: Range<usize>,
    pub value: Value,
    pub tag: Option<String>,
    /// The `&name` token on this node.
    pub anchor: Option<Range<usize>>,
    /// Set when this node is an alias: its value is the anchored node's.
    pub alias: Option<Box<Alias>>,
}

impl Node {
    fn null(range: Range<usize>) -> Node {
        Node { range, value: Value::Null, tag: None, anchor: None, alias: None }
    }

    pub fn as_map(&self) -> Option<&Map> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(&s.items),
            _ => None,
        }
    }

    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The decoded text of a scalar.
    pub fn as_str(&self) -> Option<&str> {
        self.as_scalar().map(|s| s.text.as_str())
    }

    pub fn as_bool(&self) -> Option<bool> {
        let s = self.as_scalar()?;
        match s.text.as_str() {
            "true" | "True" | "TRUE" => Some(true),
            "false" | "False" | "FALSE" => Some(false),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// `key:` with nothing after the colon.
    pub fn is_missing(&self) -> bool {
        self.is_null() && self.range.is_empty() && self.alias.is_none()
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?.get(key)
    }

    pub fn entries(&self) -> &[Entry] {
        self.as_map().map(|m| m.entries.as_slice()).unwrap_or(&[])
    }

    pub fn items(&self) -> &[Node] {
        self.as_seq().unwrap_or(&[])
    }

    /// The span to edit or link for this value: a scalar's content (inside quotes), else the
    /// whole node.
    pub fn content_range(&self) -> Range<usize> {
        match (&self.value, &self.alias) {
            (Value::Scalar(s), None) => s.content_at(self.range.start),
            _ => self.range.clone(),
        }
    }

    /// Whether the node is written here (not reached through an alias or a merge).
    pub fn is_local(&self) -> bool {
        self.alias.is_none()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Anchor {
    pub name: String,
    /// The `&name` token.
    pub range: Range<usize>,
    /// The node it anchors.
    pub node_range: Range<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AliasUse {
    pub name: String,
    /// The `*name` token.
    pub range: Range<usize>,
    /// Index into `Yaml::anchors` of the anchor it resolves to.
    pub anchor: Option<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DuplicateKey {
    pub key: String,
    pub first: Range<usize>,
    pub duplicate: Range<usize>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Yaml {
    /// The first document's root value (None for an empty document or an unparseable one).
    pub root: Option<Node>,
    /// Every `&name` in the first document, in source order.
    pub anchors: Vec<Anchor>,
    /// Every `*name` in the first document, in source order.
    pub aliases: Vec<AliasUse>,
    pub duplicate_keys: Vec<DuplicateKey>,
    /// Ranges of the documents after the first (Compose reads only the first).
    pub other_documents: Vec<Range<usize>>,
    /// Where expansion was cut short (nesting too deep or merge budget spent).
    pub truncated: Vec<Range<usize>>,
    /// Ranges of every block-style or multi-line map and sequence (for folding).
    pub collections: Vec<Range<usize>>,
    /// Built entries the next version may reuse.
    pieces: reuse::Pieces,
    /// The syntax tree had no error and covered the whole text: the document has no syntax
    /// errors, and later versions may re-parse an edited entry on its own ([`splice`]).
    clean: bool,
}

impl Yaml {
    /// The key path at `offset` (see [`PathAt`]).
    pub fn path_at(&self, text: &str, offset: usize) -> PathAt {
        path::path_at(self, text, offset)
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.root.as_ref()?.get(key)
    }

    /// When the mapping entry whose key starts at `start` (a top-level section or an entry of
    /// one) was carried over from the previous version by [`parse_incremental`]: how the old
    /// ranges of what it holds map to new ones. Such an entry is the old one, moved.
    pub fn reused(&self, start: usize) -> Option<Move> {
        self.pieces.reused(start)
    }

    /// Whether the text has no syntax error (its tree has no ERROR or MISSING node and
    /// covers all of it); known without a syntax tree when the value tree was [`splice`]d.
    pub fn is_clean(&self) -> bool {
        self.clean
    }

    /// A syntax tree of just the lines of the entry of a top-level section (a service) that
    /// holds `offset` (from its key to the end of its last line, or on a blank line after it),
    /// for reading the syntax there without a tree of the whole file: within the entry it has
    /// the whole file's nodes. None unless the document [`is_clean`](Self::is_clean) and
    /// `offset` lies in such an entry.
    pub fn entry_tree(&self, text: &str, offset: usize) -> Option<EntryTree> {
        entry::entry_tree(self, text, offset)
    }
}

/// Read the value tree of `text` parsed as `tree`.
pub fn parse(text: &str, tree: &tree_sitter::Tree) -> Yaml {
    build::build(text, tree, None)
}

/// Like [`parse`], reusing what `prev` (the value tree of an earlier text) built outside
/// `window`, the region the changes since then cover. The result equals [`parse`]'s. The
/// entries reused are taken out of `prev`: moved when it is the only owner of its values
/// (nothing is allocated then), copied otherwise.
pub fn parse_incremental(
    text: &str,
    tree: &tree_sitter::Tree,
    prev: Option<(Yaml, Window)>,
) -> Yaml {
    build::build(text, tree, prev)
}

/// The value tree of `text`, made from `prev` (the value tree of an earlier text and where
/// the text changed since) without a syntax tree of the whole text, when every change lies
/// inside one entry of a top-level section (a service) of a clean document: that entry's lines
/// are parsed on their own and its new value put in place of the old, the rest is moved. The
/// result equals [`parse`]'s. `prev` is taken only when it was used; None when the edit is
/// not of that kind.
pub fn splice(text: &str, prev: &mut Option<(Yaml, Window)>) -> Option<Yaml> {
    splice::splice(text, prev)
}

/// Visit every node written in the source once (aliases are visited but not entered),
/// with its depth. Merged entries are skipped: they are written elsewhere.
pub fn walk<'a>(node: &'a Node, f: &mut impl FnMut(&'a Node, usize)) {
    fn go<'a>(node: &'a Node, depth: usize, f: &mut impl FnMut(&'a Node, usize)) {
        f(node, depth);
        if node.alias.is_some() || depth >= MAX_DEPTH {
            return;
        }
        match &node.value {
            Value::Map(m) => {
                for e in m.entries.iter().filter(|e| e.merged_from.is_none()) {
                    go(&e.value, depth + 1, f);
                }
            }
            Value::Seq(s) => {
                for item in &s.items {
                    go(item, depth + 1, f);
                }
            }
            _ => {}
        }
    }
    go(node, 0, f)
}

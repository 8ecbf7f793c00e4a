//! Syntax tree → value tree.

use std::collections::HashMap;
use std::num::NonZeroU16;
use std::ops::Range;
use std::sync::Arc;

use tree_sitter::{Node as TsNode, Tree};

use super::reuse::{Piece, Window, shift_range, take_entry};
use super::scalar;
use super::{
    Alias, AliasUse, Anchor, DuplicateKey, Entry, MAX_DEPTH, MAX_MERGED_ENTRIES, Map, Node, Scalar,
    ScalarType, Seq, Style, Value, Yaml,
};

struct Builder<'a> {
    text: &'a str,
    out: Yaml,
    /// Anchor name → (index into `out.anchors`, the anchored node once complete).
    defined: HashMap<String, (usize, Option<Node>)>,
    merged_budget: usize,
    /// Node kind names by id. `TsNode::kind` re-checks the name's UTF-8 on every call, which
    /// was a sizeable share of building a large file.
    kinds: &'static [&'static str],
    key_field: Option<NonZeroU16>,
    value_field: Option<NonZeroU16>,
    /// The previous version's tree and where the text changed since. Reused entries are
    /// taken out of it (moved, not copied, when it was handed over unshared).
    prev: Option<(Yaml, Window)>,
    /// Block scalars read so far (their decoding looks past their own text).
    block_scalars: usize,
}

/// Mapping entries this shallow are recorded as pieces: top-level sections and their
/// entries (services, networks, …). Deeper ones would cost more to record than they save.
const PIECE_DEPTH: usize = 1;

/// The document-wide records before building an entry, to tell whether building it touched any.
struct Mark {
    anchors: usize,
    aliases: usize,
    truncated: usize,
    merged_budget: usize,
    block_scalars: usize,
    collections: usize,
    duplicate_keys: usize,
}

pub fn build(text: &str, tree: &Tree, prev: Option<(Yaml, Window)>) -> Yaml {
    let mut b = Builder::new(text, tree, prev);
    let root = tree.root_node();
    let mut cursor = root.walk();
    let mut first = true;
    for doc in root.named_children(&mut cursor).filter(|n| n.kind() == "document") {
        if !first {
            b.out.other_documents.push(doc.byte_range());
            continue;
        }
        first = false;
        let mut c = doc.walk();
        let content =
            doc.named_children(&mut c).find(|n| matches!(b.kind(*n), "block_node" | "flow_node"));
        b.out.root = content.map(|n| b.node(n, 0));
    }
    // What `syntax::diagnostics` reports nothing for (some grammars stop early, without error).
    b.out.clean = !root.has_error() && root.end_byte() >= text.trim_end().len();
    // Pieces are recorded as they complete (inner ones first); lookups want source order.
    b.out.pieces.list.sort_unstable_by_key(|p| p.range.start);
    if let Some((old, _)) = b.prev.take() {
        // The rest of the previous tree can be large; free it off the latency path.
        crate::util::drop_later(old);
    }
    b.out
}

/// The first of the two mapping entries that `tree` (of `chunk`: the lines of an entry of a
/// top-level section parsed alone, then a sibling key at `sibling_at`) holds, built as at [`PIECE_DEPTH`] in the whole document: the entry,
/// and the records building it made (`collections`, `duplicate_keys`, its piece), with
/// offsets in `chunk`. None when the chunk is not exactly one block mapping entry starting at
/// `key_at` and the sibling, or building it touched document-wide state (anchors, aliases, merge keys, block
/// scalars, truncation).
pub(super) fn build_entry(
    chunk: &str,
    tree: &Tree,
    key_at: usize,
    sibling_at: usize,
) -> Option<(Entry, Yaml)> {
    let root = tree.root_node();
    if root.has_error() {
        return None;
    }
    let mut b = Builder::new(chunk, tree, None);
    let doc = b.only_child(root, "document")?;
    let node = b.only_child(doc, "block_node")?;
    let map = b.only_child(node, "block_mapping")?;
    let mut c = map.walk();
    let mut pairs = map.named_children(&mut c).filter(|n| b.kind(*n) != "comment");
    let (pair, sibling) = (pairs.next()?, pairs.next()?);
    if pairs.next().is_some()
        || b.kind(pair) != "block_mapping_pair"
        || pair.start_byte() != key_at
        || sibling.start_byte() != sibling_at
    {
        return None;
    }
    let (key_node, value_node, colon_end) = b.pair_parts(pair);
    let mark = b.mark();
    let (key, key_range, key_content, is_merge) =
        b.key_of(key_node, PIECE_DEPTH, pair.start_byte());
    let value = match value_node {
        Some(v) => b.node(v, PIECE_DEPTH + 1),
        None => Node::null(colon_end..colon_end),
    };
    b.record(pair, PIECE_DEPTH, mark);
    let o = &b.out;
    if is_merge
        || o.pieces.list.len() != 1
        || !o.anchors.is_empty()
        || !o.aliases.is_empty()
        || b.merged_budget != MAX_MERGED_ENTRIES
    {
        return None;
    }
    Some((Entry { key, key_range, key_content, value, merged_from: None }, b.out))
}

/// tree-sitter-yaml's node kind names by id (the only grammar built from), read once: every
/// build, one a keystroke, needs them.
fn kind_names() -> &'static [&'static str] {
    static KINDS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    KINDS.get_or_init(|| {
        let lang = tree_sitter::Language::from(tree_sitter_yaml::LANGUAGE);
        (0..lang.node_kind_count())
            .map(|id| u16::try_from(id).ok().and_then(|id| lang.node_kind_for_id(id)).unwrap_or(""))
            .collect()
    })
}

impl<'a> Builder<'a> {
    fn new(text: &'a str, tree: &Tree, prev: Option<(Yaml, Window)>) -> Builder<'a> {
        let lang = tree.language();
        Builder {
            text,
            out: Yaml::default(),
            defined: HashMap::new(),
            merged_budget: MAX_MERGED_ENTRIES,
            kinds: kind_names(),
            key_field: lang.field_id_for_name("key"),
            value_field: lang.field_id_for_name("value"),
            prev,
            block_scalars: 0,
        }
    }

    /// The one named child of `n` besides comments, when it is a `kind`.
    fn only_child<'t>(&self, n: TsNode<'t>, kind: &str) -> Option<TsNode<'t>> {
        let mut c = n.walk();
        let mut found = None;
        for ch in n.named_children(&mut c) {
            match self.kind(ch) {
                "comment" => {}
                _ if found.is_some() => return None,
                _ => found = Some(ch),
            }
        }
        found.filter(|f| self.kind(*f) == kind)
    }

    fn kind(&self, n: TsNode) -> &'static str {
        match self.kinds.get(usize::from(n.kind_id())) {
            Some(k) if !k.is_empty() => k,
            _ => n.kind(),
        }
    }

    fn src(&self, r: Range<usize>) -> &'a str {
        self.text.get(r).unwrap_or("")
    }

    /// Build a `block_node` / `flow_node` (or a bare content node).
    fn node(&mut self, n: TsNode, depth: usize) -> Node {
        if depth >= MAX_DEPTH {
            self.out.truncated.push(n.byte_range());
            return Node::null(n.byte_range());
        }
        let kind = self.kind(n);
        let mut anchor: Option<(String, Range<usize>)> = None;
        let mut tag = None;
        let mut content = None;
        if matches!(kind, "block_node" | "flow_node") {
            let mut c = n.walk();
            for ch in n.named_children(&mut c) {
                match self.kind(ch) {
                    "anchor" => {
                        let name = ch
                            .named_child(0)
                            .map(|a| self.src(a.byte_range()).to_string())
                            .unwrap_or_default();
                        anchor = Some((name, ch.byte_range()));
                    }
                    "tag" => tag = Some(self.src(ch.byte_range()).to_string()),
                    "comment" | "ERROR" => {}
                    _ => content = Some(ch),
                }
            }
        } else {
            content = Some(n);
        }
        // Register the anchor before building the content so aliases inside it can see it is
        // in progress (and stay unresolved: YAML anchors can't be recursive).
        let anchor_ix = anchor.as_ref().map(|(name, range)| {
            let ix = self.out.anchors.len();
            self.out.anchors.push(Anchor {
                name: name.clone(),
                range: range.clone(),
                node_range: n.byte_range(),
            });
            self.defined.insert(name.clone(), (ix, None));
            ix
        });
        let mut node = match content {
            Some(c) => self.content(c, depth),
            // `&a` or `!tag` alone: an empty (null) value.
            None => Node::null(n.byte_range()),
        };
        node.tag = tag.or(node.tag);
        if let (Some((name, range)), Some(ix)) = (anchor, anchor_ix) {
            node.anchor = Some(range);
            self.defined.insert(name, (ix, Some(node.clone())));
        }
        node
    }

    fn content(&mut self, n: TsNode, depth: usize) -> Node {
        let range = n.byte_range();
        let kind = self.kind(n);
        match kind {
            "block_mapping" | "flow_mapping" => {
                if n.start_position().row != n.end_position().row || kind == "block_mapping" {
                    self.out.collections.push(range.clone());
                }
                self.mapping(n, depth)
            }
            "block_sequence" | "flow_sequence" => {
                if n.start_position().row != n.end_position().row || kind == "block_sequence" {
                    self.out.collections.push(range.clone());
                }
                self.sequence(n, depth)
            }
            "alias" => self.alias(n),
            "plain_scalar" => {
                let raw = self.src(range.clone());
                let ty = match n.named_child(0).map(|c| self.kind(c)) {
                    Some("null_scalar") => return Node::null(range),
                    Some("boolean_scalar") => ScalarType::Bool,
                    Some("integer_scalar") => ScalarType::Int,
                    Some("float_scalar") => ScalarType::Float,
                    Some("timestamp_scalar") => ScalarType::Timestamp,
                    _ => ScalarType::Str,
                };
                scalar_node(range.clone(), scalar::plain(raw), Style::Plain, ty, range)
            }
            "single_quote_scalar" | "double_quote_scalar" => {
                let inner = if range.end - range.start >= 2 {
                    range.start + 1..range.end - 1
                } else {
                    range.end..range.end
                };
                let raw = self.src(inner.clone());
                let (text, style) = if kind == "single_quote_scalar" {
                    (scalar::single_quoted(raw), Style::SingleQuoted)
                } else {
                    (scalar::double_quoted(raw), Style::DoubleQuoted)
                };
                scalar_node(range, text, style, ScalarType::Str, inner)
            }
            "block_scalar" => {
                self.block_scalars += 1;
                let raw = self.src(range.clone());
                let line_start = self.text[..range.start].rfind('\n').map_or(0, |i| i + 1);
                let line = &self.text[line_start..range.start];
                let parent_indent = line.len() - line.trim_start_matches(' ').len();
                let trailing = self.text.get(range.end..).unwrap_or("");
                let mut cut = trailing.len().min(4096);
                while !trailing.is_char_boundary(cut) {
                    cut -= 1;
                }
                let trailing = &trailing[..cut];
                let (text, start) = scalar::block(raw, trailing, parent_indent);
                let style = if raw.starts_with('>') { Style::Folded } else { Style::Literal };
                let content = (range.start + start).min(range.end)..range.end;
                scalar_node(range, text, style, ScalarType::Str, content)
            }
            "block_node" | "flow_node" => self.node(n, depth + 1),
            _ => Node::null(range),
        }
    }

    fn alias(&mut self, n: TsNode) -> Node {
        let range = n.byte_range();
        let name =
            n.named_child(0).map(|a| self.src(a.byte_range()).to_string()).unwrap_or_default();
        let found = self.defined.get(&name).cloned();
        let (anchor_ix, target) = match found {
            Some((ix, target)) => (Some(ix), target),
            None => (None, None),
        };
        self.out.aliases.push(AliasUse {
            name: name.clone(),
            range: range.clone(),
            anchor: anchor_ix,
        });
        let anchor = anchor_ix.map(|ix| self.out.anchors[ix].range.clone());
        let mut node = match target {
            // Sharing: the value is `Arc`ed, so this is O(1) whatever the anchored size.
            Some(t) => {
                Node { range: range.clone(), value: t.value, tag: t.tag, anchor: None, alias: None }
            }
            None => Node::null(range.clone()),
        };
        node.range = range;
        node.alias = Some(Box::new(Alias { name, anchor }));
        node
    }

    fn key_of(
        &mut self,
        key: Option<TsNode>,
        depth: usize,
        at: usize,
    ) -> (String, Range<usize>, Range<usize>, bool) {
        let Some(k) = key else {
            return (String::new(), at..at, at..at, false);
        };
        let node = self.node(k, depth + 1);
        let range = k.byte_range();
        // `<<` only merges when written plain (a quoted "<<" is an ordinary key).
        let is_merge =
            matches!(&node.value, Value::Scalar(s) if s.style == Style::Plain && s.text == "<<");
        match &node.value {
            Value::Scalar(s) if node.alias.is_none() => {
                (s.text.clone(), range, node.content_range(), is_merge)
            }
            Value::Scalar(s) => (s.text.clone(), range.clone(), range, false),
            Value::Null => ("null".into(), range.clone(), range, false),
            _ => (self.src(range.clone()).to_string(), range.clone(), range, false),
        }
    }

    /// A pair's key, value and the end of its `:`, found in one pass over its children
    /// (three separate lookups walked the children three times).
    fn pair_parts<'t>(&self, pair: TsNode<'t>) -> (Option<TsNode<'t>>, Option<TsNode<'t>>, usize) {
        let (mut key, mut value, mut colon) = (None, None, None);
        let mut c = pair.walk();
        if c.goto_first_child() {
            loop {
                let x = c.node();
                let field = c.field_id();
                if key.is_none() && field.is_some() && field == self.key_field {
                    key = Some(x);
                } else if value.is_none() && field.is_some() && field == self.value_field {
                    value = Some(x);
                }
                if colon.is_none() && self.kind(x) == ":" {
                    colon = Some(x.end_byte());
                }
                if !c.goto_next_sibling() {
                    break;
                }
            }
        }
        (key, value, colon.unwrap_or(pair.end_byte()))
    }

    fn mapping(&mut self, n: TsNode, depth: usize) -> Node {
        let flow = self.kind(n) == "flow_mapping";
        // Sized from the node (comments count too; merges may add): the value tree lives as
        // long as the document, and growth by doubling left a quarter of it unused.
        let mut entries: Vec<Entry> = Vec::with_capacity(n.named_child_count());
        let mut merges: Vec<Node> = Vec::new();
        let mut seen = Seen::default();
        let mut c = n.walk();
        for ch in n.named_children(&mut c) {
            let kind = self.kind(ch);
            let piece = depth <= PIECE_DEPTH && kind == "block_mapping_pair";
            let entry = match piece.then(|| self.reuse(ch, depth)).flatten() {
                Some(e) => e,
                None => {
                    let (key_node, value_node, colon_end) = match kind {
                        "block_mapping_pair" | "flow_pair" => self.pair_parts(ch),
                        // `{a, b}`: keys without values.
                        "flow_node" => (Some(ch), None, ch.end_byte()),
                        _ => continue,
                    };
                    let mark = piece.then(|| self.mark());
                    let (key, key_range, key_content, is_merge) =
                        self.key_of(key_node, depth, ch.start_byte());
                    let value = match value_node {
                        Some(v) => self.node(v, depth + 1),
                        None => Node::null(colon_end..colon_end),
                    };
                    if is_merge {
                        merges.push(value);
                        continue;
                    }
                    let entry = Entry { key, key_range, key_content, value, merged_from: None };
                    if let Some(mark) = mark {
                        self.record(ch, depth, mark);
                    }
                    entry
                }
            };
            if let Some(first) = seen.first(&entries, &entry.key) {
                self.out.duplicate_keys.push(DuplicateKey {
                    key: entry.key.clone(),
                    first: first.clone(),
                    duplicate: entry.key_range.clone(),
                });
            }
            entries.push(entry);
            seen.note(&entries);
        }
        for m in merges {
            // `<<: *a` or `<<: [*a, *b]`: earlier sources win, keys written here win over all.
            let sources: Vec<&Node> = match &m.value {
                Value::Seq(s) => s.items.iter().collect(),
                _ => vec![&m],
            };
            for src in sources {
                let Some(src_map) = src.as_map() else { continue };
                for e in &src_map.entries {
                    if seen.first(&entries, &e.key).is_some() {
                        continue;
                    }
                    if self.merged_budget == 0 {
                        self.out.truncated.push(src.range.clone());
                        break;
                    }
                    self.merged_budget -= 1;
                    let mut e = e.clone();
                    e.merged_from = Some(src.range.clone());
                    entries.push(e);
                    seen.note(&entries);
                }
            }
        }
        Node {
            range: n.byte_range(),
            value: Value::Map(Arc::new(Map::new(entries, flow))),
            tag: None,
            anchor: None,
            alias: None,
        }
    }

    fn line_start(&self, at: usize) -> usize {
        self.text.get(..at).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1)
    }

    fn mark(&self) -> Mark {
        Mark {
            anchors: self.out.anchors.len(),
            aliases: self.out.aliases.len(),
            truncated: self.out.truncated.len(),
            merged_budget: self.merged_budget,
            block_scalars: self.block_scalars,
            collections: self.out.collections.len(),
            duplicate_keys: self.out.duplicate_keys.len(),
        }
    }

    /// Keep the entry just built from `pair` for the next version, unless building it touched
    /// document-wide state.
    fn record(&mut self, pair: TsNode, depth: usize, mark: Mark) {
        let o = &self.out;
        let range = pair.byte_range();
        // Aliases may stay when each names an anchor completed before the entry: a next
        // version can check that the anchor is still there, unchanged.
        let aliases_before = o.aliases[mark.aliases..]
            .iter()
            .all(|a| a.anchor.is_some_and(|i| o.anchors[i].node_range.end <= range.start));
        if o.anchors.len() != mark.anchors
            || !aliases_before
            || o.truncated.len() != mark.truncated
            || self.block_scalars != mark.block_scalars
        {
            return;
        }
        let piece = Piece {
            line_start: self.line_start(range.start),
            range,
            depth,
            collections: mark.collections..o.collections.len(),
            duplicate_keys: mark.duplicate_keys..o.duplicate_keys.len(),
            aliases: mark.aliases..o.aliases.len(),
            merges: mark.merged_budget - self.merged_budget,
            reused: None,
        };
        self.out.pieces.list.push(piece);
    }

    /// The entry for `pair` taken over from the previous version, when its text lies wholly
    /// outside the changes and was recorded there at the same depth.
    fn reuse(&mut self, pair: TsNode, depth: usize) -> Option<Entry> {
        let range = pair.byte_range();
        let line_start = self.line_start(range.start);
        let (prev, window) = self.prev.as_mut()?;
        let old = window.old_range(&range, line_start)?;
        let p = prev.pieces.get(old.start)?.clone();
        let after = range.end >= window.lo;
        if p.range != old || p.depth != depth || (after && p.line_start < window.old_hi) {
            return None;
        }
        // Its aliases must find the same anchors, written before the changes and unchanged
        // (an anchor is found by name: the latest one defined before the alias).
        let mut anchors = Vec::with_capacity(p.aliases.len());
        for a in &prev.aliases[p.aliases.clone()] {
            let old_anchor = &prev.anchors[a.anchor?];
            let (j, done) = self.defined.get(&a.name)?;
            let new_anchor = &self.out.anchors[*j];
            if old_anchor.node_range.end >= window.lo
                || done.is_none()
                || new_anchor.range != old_anchor.range
                || new_anchor.node_range != old_anchor.node_range
            {
                return None;
            }
            anchors.push(*j);
        }
        if p.merges > self.merged_budget {
            return None;
        }
        let mut entry = take_entry(prev.root.as_mut()?, old.start, PIECE_DEPTH)?;
        let delta = range.start as isize - old.start as isize;
        entry.shift(delta);
        self.merged_budget -= p.merges;
        let aliases_base = self.out.aliases.len();
        self.out.aliases.extend(prev.aliases[p.aliases.clone()].iter().zip(&anchors).map(
            |(a, &j)| AliasUse {
                name: a.name.clone(),
                range: shift_range(&a.range, delta),
                anchor: Some(j),
            },
        ));
        // Its records and the pieces inside it (a section's services) carry over too, the
        // latter so that the next edit can reuse them.
        let (colls, dups) = (self.out.collections.len(), self.out.duplicate_keys.len());
        self.out
            .collections
            .extend(prev.collections[p.collections.clone()].iter().map(|r| shift_range(r, delta)));
        self.out.duplicate_keys.extend(prev.duplicate_keys[p.duplicate_keys.clone()].iter().map(
            |d| DuplicateKey {
                key: d.key.clone(),
                first: shift_range(&d.first, delta),
                duplicate: shift_range(&d.duplicate, delta),
            },
        ));
        let moved = |q: &Piece| Piece {
            range: shift_range(&q.range, delta),
            depth: q.depth,
            line_start: q.line_start.wrapping_add_signed(delta),
            collections: q.collections.start - p.collections.start + colls
                ..q.collections.end - p.collections.start + colls,
            duplicate_keys: q.duplicate_keys.start - p.duplicate_keys.start + dups
                ..q.duplicate_keys.end - p.duplicate_keys.start + dups,
            aliases: q.aliases.start - p.aliases.start + aliases_base
                ..q.aliases.end - p.aliases.start + aliases_base,
            merges: q.merges,
            reused: Some(delta),
        };
        let inner: Vec<Piece> = prev.pieces.inside(&old).iter().map(moved).collect();
        self.out.pieces.list.extend(inner);
        self.out.pieces.list.push(moved(&p));
        Some(entry)
    }

    fn sequence(&mut self, n: TsNode, depth: usize) -> Node {
        let flow = self.kind(n) == "flow_sequence";
        let mut items = Vec::with_capacity(n.named_child_count());
        let mut c = n.walk();
        for ch in n.named_children(&mut c) {
            match self.kind(ch) {
                "block_sequence_item" => {
                    let mut cc = ch.walk();
                    let inner = ch
                        .named_children(&mut cc)
                        .find(|x| matches!(self.kind(*x), "block_node" | "flow_node"));
                    items.push(match inner {
                        Some(x) => self.node(x, depth + 1),
                        None => Node::null(ch.end_byte()..ch.end_byte()),
                    });
                }
                "flow_node" => items.push(self.node(ch, depth + 1)),
                // `[a: 1]`: a single-pair map.
                "flow_pair" => {
                    let key = ch.child_by_field_name("key");
                    let (key, key_range, key_content, _) = self.key_of(key, depth, ch.start_byte());
                    let value = match ch.child_by_field_name("value") {
                        Some(v) => self.node(v, depth + 1),
                        None => Node::null(ch.end_byte()..ch.end_byte()),
                    };
                    let entry = Entry { key, key_range, key_content, value, merged_from: None };
                    items.push(Node {
                        range: ch.byte_range(),
                        value: Value::Map(Arc::new(Map::new(vec![entry], true))),
                        tag: None,
                        anchor: None,
                        alias: None,
                    });
                }
                _ => {}
            }
        }
        items.shrink_to_fit();
        Node {
            range: n.byte_range(),
            value: Value::Seq(Arc::new(Seq { items, flow })),
            tag: None,
            anchor: None,
            alias: None,
        }
    }
}

/// The first entry of each key in a mapping being built. Small mappings (nearly all) are
/// scanned; a hash index, which cost a key copy per entry, is built only for large ones.
#[derive(Default)]
struct Seen {
    index: Option<crate::util::FastMap<String, Range<usize>>>,
}

impl Seen {
    const SCAN_UP_TO: usize = 16;

    fn first(&self, entries: &[Entry], key: &str) -> Option<Range<usize>> {
        match &self.index {
            Some(ix) => ix.get(key).cloned(),
            None => entries.iter().find(|e| e.key == key).map(|e| e.key_range.clone()),
        }
    }

    /// Record the entry just pushed onto `entries`.
    fn note(&mut self, entries: &[Entry]) {
        match &mut self.index {
            Some(ix) => {
                if let Some(e) = entries.last() {
                    ix.entry(e.key.clone()).or_insert_with(|| e.key_range.clone());
                }
            }
            None if entries.len() > Self::SCAN_UP_TO => {
                let mut ix = crate::util::FastMap::with_capacity_and_hasher(
                    entries.len() * 2,
                    Default::default(),
                );
                for e in entries {
                    ix.entry(e.key.clone()).or_insert_with(|| e.key_range.clone());
                }
                self.index = Some(ix);
            }
            None => {}
        }
    }
}

fn scalar_node(
    range: Range<usize>,
    text: String,
    style: Style,
    ty: ScalarType,
    content: Range<usize>,
) -> Node {
    Node {
        value: Value::Scalar(Arc::new(Scalar::new(text, style, ty, range.start, content))),
        range,
        tag: None,
        anchor: None,
        alias: None,
    }
}

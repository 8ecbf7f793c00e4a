//! Carrying built subtrees over from the previous version of a document.
//!
//! A keystroke changes one small region; everything outside it is the same text, shifted by
//! the edit's length when it comes after. The builder records the entries of the top two
//! mapping levels (top-level sections and, say, each service) as *pieces*; the next build reuses
//! a piece whose syntax node sits wholly outside the changed region with the same extent,
//! shifting its ranges when needed, instead of reading it again from the syntax tree.
//!
//! A piece is recorded only when building it touched no document-wide state: no anchor, alias
//! or merge key (their meaning depends on the rest of the document), no truncation, and no
//! block scalar (whose decoding reads the text after it).

use std::ops::Range;
use std::sync::Arc;

use super::{Entry, Node, Value};
use crate::workspace::document::TextChange;

/// Where the changes since the previous version lie: `lo..old_hi` of the old text became
/// `lo..new_hi` of the new one; text before `lo` is the same, text after is shifted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub lo: usize,
    pub old_hi: usize,
    pub new_hi: usize,
}

impl Window {
    /// The one region covering every change (each in the offsets of the text it applied to).
    pub fn of(changes: &[TextChange]) -> Option<Window> {
        TextChange::covering(changes).map(|c| Window {
            lo: c.start,
            old_hi: c.old_end,
            new_hi: c.new_end,
        })
    }

    /// New offset minus old offset for text after the window.
    pub fn delta(&self) -> isize {
        self.new_hi as isize - self.old_hi as isize
    }

    /// The old range of a new-text range that lies wholly outside the window (strictly: an
    /// edit touching its edge may have changed it), and the shift from old to new. For text
    /// after the window, the whole line up to `range` must be after it too (`line_start`),
    /// since a node's column is part of its meaning.
    pub fn old_range(&self, range: &Range<usize>, line_start: usize) -> Option<Range<usize>> {
        if range.end < self.lo {
            Some(range.clone())
        } else if line_start >= self.new_hi && range.start >= self.new_hi {
            let old = |x: usize| x - self.new_hi + self.old_hi;
            Some(old(range.start)..old(range.end))
        } else {
            None
        }
    }
}

/// A built mapping entry: where it is, and which of the document-wide records (`collections`,
/// `duplicate_keys`) building it made. The entry itself stays in the value tree.
#[derive(Clone, Debug)]
pub(super) struct Piece {
    /// The pair's syntax node.
    pub range: Range<usize>,
    pub depth: usize,
    /// Start of the line the entry begins on.
    pub line_start: usize,
    /// Indexes into `Yaml::collections`, `Yaml::duplicate_keys` and `Yaml::aliases`.
    pub collections: Range<usize>,
    pub duplicate_keys: Range<usize>,
    pub aliases: Range<usize>,
    /// Entries merge keys copied into it (from the document's merge budget).
    pub merges: usize,
    /// Set when this build took the piece over from the previous one: the shift applied.
    pub reused: Option<isize>,
}

impl Piece {
    /// Whether it holds content written elsewhere (aliases, merged entries), whose ranges did
    /// not move with it.
    pub fn shares(&self) -> bool {
        !self.aliases.is_empty() || self.merges > 0
    }
}

/// The pieces of one build, sorted by start (no two block pairs start at one offset).
#[derive(Clone, Default)]
pub struct Pieces {
    pub(super) list: Vec<Piece>,
}

impl Pieces {
    pub(super) fn get(&self, start: usize) -> Option<&Piece> {
        let i = self.list.partition_point(|p| p.range.start < start);
        self.list.get(i).filter(|p| p.range.start == start)
    }

    /// The pieces strictly inside `range`.
    pub(super) fn inside(&self, range: &Range<usize>) -> &[Piece] {
        let lo = self.list.partition_point(|p| p.range.start <= range.start);
        let hi = self.list.partition_point(|p| p.range.start < range.end);
        &self.list[lo..hi.max(lo)]
    }

    /// Whether the entry starting at `start` was carried over from the previous version, and
    /// how its old offsets map to new ones. Content it holds that was written elsewhere (an
    /// anchored node that an alias or merge key copied in) lies before it, ahead of every
    /// change, and stays put; its own text moves with it.
    pub fn reused(&self, start: usize) -> Option<Move> {
        let p = self.get(start)?;
        let delta = p.reused?;
        Some(Move { from: p.range.start.wrapping_add_signed(-delta), delta })
    }
}

/// How offsets of an old text map to a new one: those at or after `from` move by `delta`,
/// those before it stay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Move {
    pub from: usize,
    pub delta: isize,
}

impl Move {
    pub fn new(from: usize, delta: isize) -> Move {
        Move { from, delta }
    }

    pub fn at(self, x: usize) -> usize {
        if x >= self.from { x.wrapping_add_signed(self.delta) } else { x }
    }

    pub fn range(self, r: &Range<usize>) -> Range<usize> {
        self.at(r.start)..self.at(r.end)
    }

    /// What is left of this move for content that was already moved by `done` (everything of
    /// it at or after `from`; what lies before stays before the new `from`).
    pub fn rest(self, done: isize) -> Move {
        Move { from: self.from.wrapping_add_signed(done), delta: self.delta - done }
    }
}

/// Take the written mapping entry whose key starts at `start` out of `node` (at most `levels`
/// maps down), leaving a null placeholder with the same key range so that later lookups still
/// find their way. Written entries come first in a map, in source order; aliases are not
/// entered. Maps on the way are copied only when shared (`Arc::make_mut`).
pub(super) fn take_entry(node: &mut Node, start: usize, levels: usize) -> Option<Entry> {
    if node.alias.is_some() {
        return None;
    }
    match &mut node.value {
        Value::Map(m) => {
            let written = m.entries.partition_point(|e| e.merged_from.is_none());
            let i = m.entries[..written].partition_point(|e| e.key_range.start <= start);
            let i = i.checked_sub(1)?;
            let at = m.entries[i].key_range.start;
            if at != start && levels == 0 {
                return None;
            }
            let e = &mut Arc::make_mut(m).entries[i];
            if at == start {
                let hole = Entry {
                    key: String::new(),
                    key_range: e.key_range.clone(),
                    key_content: e.key_content.clone(),
                    value: Node::null(e.key_range.clone()),
                    merged_from: None,
                };
                Some(std::mem::replace(e, hole))
            } else {
                take_entry(&mut e.value, start, levels - 1)
            }
        }
        Value::Seq(s) => {
            let i = s.items.partition_point(|n| n.range.start <= start);
            let i = i.checked_sub(1)?;
            take_entry(&mut Arc::make_mut(s).items[i], start, levels)
        }
        _ => None,
    }
}

/// A cache, not content: two value trees are equal whatever their caches hold.
impl PartialEq for Pieces {
    fn eq(&self, _: &Pieces) -> bool {
        true
    }
}

impl std::fmt::Debug for Pieces {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pieces({})", self.list.len())
    }
}

pub(super) fn shift_range(r: &Range<usize>, delta: isize) -> Range<usize> {
    r.start.wrapping_add_signed(delta)..r.end.wrapping_add_signed(delta)
}

fn shift_mut(r: &mut Range<usize>, delta: isize) {
    *r = shift_range(r, delta);
}

impl Entry {
    /// Move every range of this entry by `delta`, in place. Values shared with another tree
    /// are copied first (`Arc::make_mut`); a tree handed over from the previous version owns
    /// its values, so moving it allocates nothing.
    pub(super) fn shift(&mut self, delta: isize) {
        if delta == 0 {
            return;
        }
        if let Some(r) = &mut self.merged_from {
            let inline = r.contains(&self.key_range.start);
            shift_mut(r, delta);
            if !inline {
                // Copied from an anchored map written elsewhere: only the `<<` source moved.
                return;
            }
            // Copied from a map written in the `<<` itself: it moved with it.
        }
        shift_mut(&mut self.key_range, delta);
        shift_mut(&mut self.key_content, delta);
        self.value.shift(delta);
    }
}

impl Node {
    /// Move every range of this node by `delta`, in place (see [`Entry::shift`]). Aliased
    /// values are left alone: they keep the anchored node's ranges, which lie elsewhere.
    pub(super) fn shift(&mut self, delta: isize) {
        shift_mut(&mut self.range, delta);
        if let Some(r) = &mut self.anchor {
            shift_mut(r, delta);
        }
        if self.alias.is_some() {
            // Pieces hold no aliases; were one here, its anchor would lie elsewhere.
            return;
        }
        match &mut self.value {
            Value::Null => {}
            // Its content is kept relative to this node's start.
            Value::Scalar(_) => {}
            Value::Map(m) => Arc::make_mut(m).entries.iter_mut().for_each(|e| e.shift(delta)),
            Value::Seq(s) => Arc::make_mut(s).items.iter_mut().for_each(|n| n.shift(delta)),
        }
    }
}

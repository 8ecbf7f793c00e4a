//! A keystroke inside one service, without a syntax tree of the whole file.
//!
//! tree-sitter-yaml's mapping nodes come out "fragile" (built while its parser weighed several
//! readings), and tree-sitter never reuses a fragile node: an incremental re-parse of a
//! 500-service file reuses each service but rebuilds the mapping that holds them, about 3 M
//! instructions a keystroke wherever the edit is. When every change since the previous
//! version lies inside one entry of a top-level section of a clean document, the lines of that
//! entry are parsed on their own instead (the rest of the text is unchanged, and the entry's
//! key and extent must come out where they were, so the whole file would read the same), the
//! new entry replaces the old one in the previous value tree, and everything after it moves by
//! the edit's length. The whole-file tree stays available (`Document::tree` parses it on first
//! use) for the requests that read it.

use std::ops::Range;
use std::sync::Arc;

use super::reuse::{Move, Piece, Window};
use super::{Entry, Node, Value, Yaml, build, entry};
use crate::workspace::FileKind;
use crate::workspace::document::{self, MAX_PARSED_BYTES};

pub(super) fn splice(text: &str, prev: &mut Option<(Yaml, Window)>) -> Option<Yaml> {
    let (old, w) = prev.as_ref()?;
    // A keystroke inside a value needs no parse of the service at all.
    if let Some(edit) = super::scalar_edit::find(text, old, *w) {
        let (mut old, w) = prev.take()?;
        super::scalar_edit::apply(&mut old, edit, w);
        return Some(old);
    }
    let (i, entry, records) = fresh_entry(text, old, *w)?;
    let (mut old, w) = prev.take()?;
    apply(&mut old, i, entry, records, w);
    Some(old)
}

/// The piece (its index in `old.pieces`: an entry of a top-level section, a service) that
/// holds every change covered by `w`, when it can be rebuilt on its own: the document is
/// clean, and nothing in the piece is shared with other places. Anchors after the entry's start
/// would move (or be in it): what aliases and merge keys copied from them would have to move
/// too. The last entry of a text is left to the whole parse: there a block collection takes
/// the text's trailing blanks in, which its lines parsed with a sibling after them do not.
pub(super) fn editable_piece(text: &str, old: &Yaml, w: Window) -> Option<usize> {
    if !old.clean || old.root.is_none() || text.len() > MAX_PARSED_BYTES || w.lo > w.old_hi {
        return None;
    }
    let list = &old.pieces.list;
    let i = list.partition_point(|p| p.range.start < w.lo).checked_sub(1)?;
    let p = &list[i];
    let editable = p.depth == 1
        && i + 1 < list.len()
        && w.old_hi <= p.range.end
        && !p.shares()
        && old.anchors.iter().all(|a| a.node_range.end <= p.range.start);
    editable.then_some(i)
}

/// The piece the changes lie in (its index in `old.pieces`) and its entry built again from its
/// lines of `text`, offsets in `text`.
fn fresh_entry(text: &str, old: &Yaml, w: Window) -> Option<(usize, Entry, Yaml)> {
    let i = editable_piece(text, old, w)?;
    let p = &old.pieces.list[i];
    // Text before `w.lo` is unchanged: the entry's line starts where it did.
    let new_end = p.range.end.checked_add_signed(w.delta())?;
    let c = entry::chunk(text, p.line_start, p.range.start, new_end)?;
    let tree = document::parse(FileKind::Compose, &c.text, None)?;
    let (mut entry, mut records) = build::build_entry(&c.text, &tree, c.key_at, c.sibling_at)?;
    let base = c.base;
    // The key is written before the changes (so it is the same key), and the entry ends
    // where the old one did, moved: the mappings holding it end where they did, moved.
    let piece = &records.pieces.list[0];
    if entry.key_range.end + base >= w.lo || piece.range != (c.key_at..new_end - base) {
        return None;
    }
    let d = base as isize;
    entry.shift(d);
    records.collections.iter_mut().for_each(|r| *r = shift(r, d));
    for k in &mut records.duplicate_keys {
        k.first = shift(&k.first, d);
        k.duplicate = shift(&k.duplicate, d);
    }
    for q in &mut records.pieces.list {
        q.range = shift(&q.range, d);
        q.line_start += base;
    }
    Some((i, entry, records))
}

fn shift(r: &Range<usize>, d: isize) -> Range<usize> {
    super::reuse::shift_range(r, d)
}

/// Put `entry` (built from the new text) in place of piece `i` of `old`, and move what
/// follows it.
fn apply(old: &mut Yaml, i: usize, entry: Entry, records: Yaml, w: Window) {
    let p = old.pieces.list[i].clone();
    let delta = w.delta();
    // Every range kept lies wholly before the old entry or ends at or after its end.
    // Offsets of the old text at or after the old entry's end move by the edit's length.
    let mv = Move::new(p.range.end, delta);
    if let Some(root) = &mut old.root {
        let mut slot = Some(entry);
        put(root, p.range.start, mv, &mut slot);
        debug_assert!(slot.is_none(), "a piece is an entry of the value tree");
    }

    let new_colls = records.collections.len();
    let new_dups = records.duplicate_keys.len();
    let dc = new_colls as isize - p.collections.len() as isize;
    let dd = new_dups as isize - p.duplicate_keys.len() as isize;
    splice_records(&mut old.collections, p.collections.clone(), records.collections, |r| {
        *r = mv.range(r)
    });
    splice_records(
        &mut old.duplicate_keys,
        p.duplicate_keys.clone(),
        records.duplicate_keys,
        |k| {
            k.first = mv.range(&k.first);
            k.duplicate = mv.range(&k.duplicate);
        },
    );
    old.aliases.iter_mut().for_each(|a| a.range = mv.range(&a.range));
    old.truncated.iter_mut().for_each(|r| *r = mv.range(r));
    old.other_documents.iter_mut().for_each(|r| *r = mv.range(r));

    let idx = |r: &Range<usize>, by: isize| {
        r.start.wrapping_add_signed(by)..r.end.wrapping_add_signed(by)
    };
    for (j, q) in old.pieces.list.iter_mut().enumerate() {
        if j == i {
            let mut new = records.pieces.list[0].clone();
            new.collections = p.collections.start..p.collections.start + new_colls;
            new.duplicate_keys = p.duplicate_keys.start..p.duplicate_keys.start + new_dups;
            new.aliases = p.aliases.start..p.aliases.start;
            *q = new;
        } else if q.range.end <= p.range.start {
            q.reused = Some(0);
        } else if q.range.start >= p.range.end {
            q.range = mv.range(&q.range);
            q.line_start = q.line_start.wrapping_add_signed(delta);
            q.collections = idx(&q.collections, dc);
            q.duplicate_keys = idx(&q.duplicate_keys, dd);
            q.reused = Some(delta);
        } else {
            // The section holding the entry: changed.
            q.range = mv.range(&q.range);
            q.collections.end = q.collections.end.wrapping_add_signed(dc);
            q.duplicate_keys.end = q.duplicate_keys.end.wrapping_add_signed(dd);
            q.reused = None;
        }
    }
    debug_assert!(old.pieces.list.is_sorted_by_key(|q: &Piece| q.range.start));
}

/// Replace `records[old]` with `new` (already in new offsets) and move the others.
fn splice_records<T>(
    records: &mut Vec<T>,
    old: Range<usize>,
    new: Vec<T>,
    mut move_one: impl FnMut(&mut T),
) {
    let n = new.len();
    records.splice(old.clone(), new);
    records[..old.start].iter_mut().for_each(&mut move_one);
    records[old.start + n..].iter_mut().for_each(move_one);
}

/// Walk down to the entry whose key starts at `at`, put `slot`'s entry there, and move what
/// lies after it. Nodes on the way contain it: only their ends move.
pub(super) fn put(node: &mut Node, at: usize, mv: Move, slot: &mut Option<Entry>) {
    node.range = mv.range(&node.range);
    match &mut node.value {
        Value::Map(m) => {
            for e in Arc::make_mut(m).entries.iter_mut() {
                let anchored =
                    e.merged_from.as_ref().is_some_and(|r| !r.contains(&e.key_range.start));
                if let Some(r) = e.merged_from.as_mut().filter(|_| anchored) {
                    // Copied from an anchor before the entry: only the `<<` source may move.
                    *r = mv.range(r);
                } else if e.key_range.start >= mv.from {
                    e.shift(mv.delta);
                } else if e.key_range.start == at {
                    if let Some(new) = slot.take() {
                        *e = new;
                    }
                } else if e.value.range.start <= at && at < e.value.range.end {
                    put(&mut e.value, at, mv, slot);
                }
            }
        }
        Value::Seq(s) => {
            for item in Arc::make_mut(s).items.iter_mut() {
                if item.range.start >= mv.from {
                    item.shift(mv.delta);
                } else if item.range.start <= at && at < item.range.end {
                    put(item, at, mv, slot);
                }
            }
        }
        Value::Null | Value::Scalar(_) => {}
    }
}

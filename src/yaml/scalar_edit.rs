//! A keystroke inside one scalar value, without parsing anything but the new value.
//!
//! Most keystrokes in a compose file land inside a value: an image tag, a path, a port, a
//! service name. When the changes since the previous version lie inside the content of one
//! plain or quoted scalar (not a key) of a service, and the new content still reads as a
//! scalar of the same kind on its own line (no quote, comment, separator, space or line
//! break typed), the document's structure is unchanged: only that scalar's text and end move,
//! and everything after it moves by the edit's length. Parsing the whole service again (what
//! [`super::splice`] does) is ~0.6 M instructions; this is a few thousand, plus a parse of the
//! new plain value alone for its type (`true`, `3`, `2024-01-01` read as other than strings).

use std::ops::Range;
use std::sync::Arc;

use super::reuse::{Piece, Window};
use super::{Entry, Node, Scalar, ScalarType, Style, Value, Yaml, scalar};
use crate::workspace::FileKind;
use crate::workspace::document;

/// A scalar's new value, found by [`find`].
pub(super) struct ScalarEdit {
    /// The piece (service) holding the scalar, its index in `pieces`.
    piece: usize,
    /// The scalar's content in the new text.
    content: Range<usize>,
    text: String,
    style: Style,
    ty: ScalarType,
}

/// The scalar edit that the changes since `old` (covered by `w`) amount to, when they are one.
pub(super) fn find(text: &str, old: &Yaml, w: Window) -> Option<ScalarEdit> {
    let i = super::splice::editable_piece(text, old, w)?;
    let p = &old.pieces.list[i];
    let entry = piece_entry(old.root.as_ref()?, p)?;
    let node = scalar_at(&entry.value, w)?;
    let Value::Scalar(s) = &node.value else { return None };
    if node.alias.is_some() || node.anchor.is_some() || node.tag.is_some() {
        return None;
    }
    let old_content = node.content_range();
    if w.lo < old_content.start || w.old_hi > old_content.end {
        return None;
    }
    let content = old_content.start..old_content.end.checked_add_signed(w.delta())?;
    let raw = text.get(content.clone())?;
    let (text, ty) = match s.style {
        Style::Plain => (scalar::plain(raw), plain_type(raw)?),
        Style::SingleQuoted if quoted_ok(raw, b'\'') => {
            (scalar::single_quoted(raw), ScalarType::Str)
        }
        Style::DoubleQuoted if quoted_ok(raw, b'"') => {
            (scalar::double_quoted(raw), ScalarType::Str)
        }
        _ => return None,
    };
    Some(ScalarEdit { piece: i, content, text, style: s.style, ty })
}

/// Apply `edit` (found by [`find`] for `w`) to `old`.
pub(super) fn apply(old: &mut Yaml, edit: ScalarEdit, w: Window) {
    let delta = w.delta();
    // A range of the old text in the new one. What lies after the changes moves; where
    // characters were typed at a boundary of the scalar, they are inside it: its start stays
    // and the ends that were its end move.
    let at = |r: &Range<usize>| {
        let moved = |x: usize| x.wrapping_add_signed(delta);
        let start = if r.start >= w.old_hi && r.start > w.lo { moved(r.start) } else { r.start };
        let end = if r.end >= w.old_hi { moved(r.end) } else { r.end };
        start..end
    };
    let piece = edit.piece;
    let p = old.pieces.list[piece].clone();
    if let Some(root) = &mut old.root {
        // Outside the piece: what follows it moves, what holds it grows (see `splice::put`).
        super::splice::put(
            root,
            p.range.start,
            super::reuse::Move::new(p.range.end, delta),
            &mut None,
        );
        let entry = piece_entry_mut(root, &p);
        debug_assert!(entry.is_some(), "`find` found the piece's entry");
        if let Some(entry) = entry {
            update(&mut entry.value, w, &at, delta, edit);
        }
    }
    old.collections.iter_mut().for_each(|r| *r = at(r));
    for k in &mut old.duplicate_keys {
        k.first = at(&k.first);
        k.duplicate = at(&k.duplicate);
    }
    old.aliases.iter_mut().for_each(|a| a.range = at(&a.range));
    old.truncated.iter_mut().for_each(|r| *r = at(r));
    old.other_documents.iter_mut().for_each(|r| *r = at(r));
    for (j, q) in old.pieces.list.iter_mut().enumerate() {
        if q.range.end <= p.range.start && j != piece {
            q.reused = Some(0);
        } else if q.range.start >= p.range.end {
            q.range = at(&q.range);
            q.line_start = q.line_start.wrapping_add_signed(delta);
            q.reused = Some(delta);
        } else {
            // The piece itself and the section holding it: changed.
            q.range = at(&q.range);
            q.reused = None;
        }
    }
}

/// Walk down to the scalar the changes lie in: on the way, containers grow and what follows
/// the scalar moves; the scalar gets its new value.
fn update(
    node: &mut Node,
    w: Window,
    at: &impl Fn(&Range<usize>) -> Range<usize>,
    delta: isize,
    edit: ScalarEdit,
) {
    node.range = at(&node.range);
    match &mut node.value {
        Value::Scalar(_) => {
            let ScalarEdit { content, text, style, ty, .. } = edit;
            node.value =
                Value::Scalar(Arc::new(Scalar::new(text, style, ty, node.range.start, content)));
        }
        Value::Map(m) => {
            let m = Arc::make_mut(m);
            let mut next = None;
            for (k, e) in m.entries.iter_mut().enumerate() {
                if e.key_range.start >= w.old_hi && e.key_range.start > w.lo {
                    e.shift(delta);
                } else if next.is_none() && contains(&e.value, w) {
                    next = Some(k);
                }
            }
            if let Some(k) = next {
                update(&mut m.entries[k].value, w, at, delta, edit);
            }
        }
        Value::Seq(s) => {
            let s = Arc::make_mut(s);
            let mut next = None;
            for (k, item) in s.items.iter_mut().enumerate() {
                if item.range.start >= w.old_hi && item.range.start > w.lo {
                    item.shift(delta);
                } else if next.is_none() && contains(item, w) {
                    next = Some(k);
                }
            }
            if let Some(k) = next {
                update(&mut s.items[k], w, at, delta, edit);
            }
        }
        Value::Null => {}
    }
}

/// Whether the changes lie within `node`'s range, ends included.
fn contains(node: &Node, w: Window) -> bool {
    node.range.start <= w.lo && w.old_hi <= node.range.end
}

/// The innermost node of `node` whose range holds the changes, when that is a scalar value
/// (the changes touch no key).
fn scalar_at(node: &Node, w: Window) -> Option<&Node> {
    let mut node = node;
    for _ in 0..super::MAX_DEPTH {
        if !contains(node, w) {
            return None;
        }
        node = match &node.value {
            Value::Scalar(_) => return Some(node),
            Value::Map(m) => {
                let e = m.entries.iter().find(|e| {
                    e.key_range.start <= w.old_hi && w.lo <= e.value.range.end.max(e.key_range.end)
                })?;
                if w.lo <= e.key_range.end || e.merged_from.is_some() {
                    return None;
                }
                &e.value
            }
            Value::Seq(s) => s.items.iter().find(|i| contains(i, w))?,
            Value::Null => return None,
        };
    }
    None
}

/// The entry of piece `p` in the value tree: an entry of a top-level section. Found by where
/// they start, which a move of what follows the piece leaves alone.
fn piece_entry<'a>(root: &'a Node, p: &Piece) -> Option<&'a Entry> {
    let holds =
        |e: &Entry| e.value.range.start <= p.range.start && p.range.start < e.value.range.end;
    let section = root.entries().iter().find(|e| e.merged_from.is_none() && holds(e))?;
    section
        .value
        .entries()
        .iter()
        .find(|e| e.key_range.start == p.range.start && e.merged_from.is_none())
}

fn piece_entry_mut<'a>(root: &'a mut Node, p: &Piece) -> Option<&'a mut Entry> {
    let holds =
        |e: &Entry| e.value.range.start <= p.range.start && p.range.start < e.value.range.end;
    let Value::Map(m) = &mut root.value else { return None };
    let section =
        Arc::make_mut(m).entries.iter_mut().find(|e| e.merged_from.is_none() && holds(e))?;
    let Value::Map(m) = &mut section.value.value else { return None };
    Arc::make_mut(m)
        .entries
        .iter_mut()
        .find(|e| e.key_range.start == p.range.start && e.merged_from.is_none())
}

/// The type of a plain scalar written `raw` on one line, as the YAML parser reads it; None when
/// it would not read as one plain scalar (or reads as null, which is no scalar).
fn plain_type(raw: &str) -> Option<ScalarType> {
    let bytes = raw.as_bytes();
    let first = *bytes.first()?;
    // Characters that start or end something else, or that only mean something in context.
    let plain = |b: u8| b.is_ascii_alphanumeric() || b"-_./@+%=~:".contains(&b);
    if !(first.is_ascii_alphanumeric() || b"./_".contains(&first))
        || !bytes.iter().all(|&b| plain(b))
        || bytes.last() == Some(&b':')
    {
        return None;
    }
    // Its type (bool, int, float, timestamp) is the grammar's: parse it alone.
    let line = format!("{raw}\n");
    let tree = document::parse(FileKind::Compose, &line, None)?;
    let root = tree.root_node();
    if root.has_error() {
        return None;
    }
    let mut n = root;
    for _ in 0..4 {
        n = n.named_child(0).filter(|_| n.named_child_count() == 1)?;
        if n.kind() == "plain_scalar" {
            if n.byte_range() != (0..raw.len()) {
                return None;
            }
            return match n.named_child(0).map(|c| c.kind()) {
                Some("null_scalar") => None,
                Some("boolean_scalar") => Some(ScalarType::Bool),
                Some("integer_scalar") => Some(ScalarType::Int),
                Some("float_scalar") => Some(ScalarType::Float),
                Some("timestamp_scalar") => Some(ScalarType::Timestamp),
                _ => Some(ScalarType::Str),
            };
        }
    }
    None
}

/// Whether quoted content `raw` stays one quoted scalar: no closing quote, escape or break.
fn quoted_ok(raw: &str, quote: u8) -> bool {
    raw.bytes().all(|b| b != quote && b != b'\\' && b != b'\n' && b != b'\r')
}

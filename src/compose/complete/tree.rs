//! The cursor context read from the YAML value tree, and the choice between it and the
//! line-based reading of `context_from_text`.
//!
//! The line reading is right for the block style most compose files use, and keeps working
//! while the text around the cursor does not parse (a half-typed key is a YAML syntax error).
//! The tree is needed where lines say little: inside flow collections
//! (`depends_on: [db, |]`) and scalars that began on an earlier line. So the tree is used
//! there (when the cursor's line parses), the line reading elsewhere; and when one reading's
//! path means nothing to the schema while the other's does, the other wins.

use super::{CursorContext, context_from_text};
use crate::compose::schema;
use crate::workspace::Document;
use crate::yaml::{EntryTree, Node, PathSeg, Position, Yaml};

/// Which reading produced a context (shown in tests).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Tree,
    Text,
}

/// A syntax tree to read the cursor's surroundings from: `tree`, parsed from `text`, which
/// starts `base` bytes into the document's text. The whole text's tree, or one of just the
/// lines around the cursor that reads as the whole text's there.
#[derive(Clone, Copy)]
pub struct Syntax<'a> {
    pub tree: &'a tree_sitter::Tree,
    pub text: &'a str,
    pub base: usize,
}

impl<'a> Syntax<'a> {
    pub fn whole(tree: &'a tree_sitter::Tree, text: &'a str) -> Syntax<'a> {
        Syntax { tree, text, base: 0 }
    }

    pub fn entry(e: &'a EntryTree) -> Syntax<'a> {
        Syntax { tree: &e.tree, text: &e.text, base: e.base }
    }

    fn error_on_line(self, offset: usize) -> bool {
        error_on_line(self.tree, self.text, offset.saturating_sub(self.base))
    }

    fn inside_of(self, offset: usize) -> Option<Inside> {
        inside_of(self.tree, self.text, offset.saturating_sub(self.base))
    }
}

/// The context at `offset` in `doc` (whose value tree is `yaml`). Unless the whole file's
/// syntax tree is at hand, the syntax around a cursor in a service of a file without syntax
/// errors is read from a tree of that service's lines ([`Yaml::entry_tree`]): after edits
/// inside services the whole file's tree is not parsed, and parsing it again would hold a
/// second copy of its nodes while the old tree lives.
pub fn cursor_context_in(doc: &Document, yaml: &Yaml, offset: usize) -> (CursorContext, Source) {
    let local = if doc.has_parsed_tree() { None } else { yaml.entry_tree(&doc.text, offset) };
    match local {
        Some(e) => cursor_context(yaml, Some(Syntax::entry(&e)), &doc.text, offset),
        None => {
            let whole = doc.tree().map(|t| Syntax::whole(t, &doc.text));
            cursor_context(yaml, whole, &doc.text, offset)
        }
    }
}

/// The context at `offset`, from whichever reading fits the text better.
pub fn cursor_context(
    yaml: &Yaml,
    syntax: Option<Syntax>,
    text: &str,
    offset: usize,
) -> (CursorContext, Source) {
    let from_text = context_from_text(text, offset);
    let Some(syntax) = syntax.filter(|s| yaml.root.is_some() && !s.error_on_line(offset)) else {
        return (from_text, Source::Text);
    };
    let known = |c: &CursorContext| {
        let p: Vec<&str> = c.path.iter().map(String::as_str).collect();
        schema::lookup(&p).is_some()
    };
    let inside = syntax.inside_of(offset);
    // Outside flow collections and multi-line scalars a line reading the schema knows wins
    // whatever the tree says, so the tree is not read (`path_at` walks the whole document).
    if inside.is_none() && known(&from_text) {
        return (from_text, Source::Text);
    }
    let mut from_tree = context_from_tree(yaml, text, offset);
    // Snippet indentation is a property of the line, which the line reading knows best.
    from_tree.indent = from_text.indent;
    from_tree.flow = inside == Some(Inside::Flow);
    match (inside.is_some(), known(&from_tree), known(&from_text)) {
        (true, true, _) | (true, false, false) | (false, true, false) => (from_tree, Source::Tree),
        _ => (from_text, Source::Text),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Inside {
    Flow,
    MultiLineScalar,
}

/// The cursor is inside a flow collection, or inside a scalar that began on an earlier line.
fn inside_of(tree: &tree_sitter::Tree, text: &str, offset: usize) -> Option<Inside> {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let mut node = tree.root_node().descendant_for_byte_range(offset, offset)?;
    for _ in 0..crate::yaml::MAX_DEPTH {
        let started_above = node.start_byte() < line_start;
        let inside = node.start_byte() < offset && offset <= node.end_byte();
        match node.kind() {
            "flow_mapping" | "flow_sequence" if inside => return Some(Inside::Flow),
            "double_quote_scalar" | "single_quote_scalar" | "block_scalar" | "plain_scalar"
                if started_above =>
            {
                return Some(Inside::MultiLineScalar);
            }
            _ => {}
        }
        match node.parent() {
            Some(p) => node = p,
            None => break,
        }
    }
    None
}

/// Whether a syntax error (ERROR or MISSING node) touches the cursor's line.
fn error_on_line(tree: &tree_sitter::Tree, text: &str, offset: usize) -> bool {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let mut cursor = tree.walk();
    // Descend only into subtrees that hold an error and overlap the line; bounded by depth.
    for _ in 0..10_000 {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            return true;
        }
        let mut found = false;
        if cursor.goto_first_child() {
            loop {
                let n = cursor.node();
                if n.has_error() && n.start_byte() <= end && start <= n.end_byte() {
                    found = true;
                    break;
                }
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        if !found {
            return false;
        }
    }
    true
}

/// The context at `offset` as the value tree places it.
pub fn context_from_tree(yaml: &Yaml, text: &str, offset: usize) -> CursorContext {
    let at = yaml.path_at(text, offset);
    let mut path: Vec<String> = at
        .path
        .iter()
        .map(|s| match s {
            PathSeg::Key(k) => k.clone(),
            PathSeg::Index(_) => "[]".to_string(),
        })
        .collect();
    let mut on_key = at.position == Position::Key;
    let mut map_at = at.path.clone();
    if on_key && !at.new_key {
        path.pop();
        map_at.pop();
    }
    let range = at.range.clone();
    let prefix = if range.start <= offset && offset <= range.end {
        text.get(range.start..offset).unwrap_or("").to_string()
    } else {
        String::new()
    };
    // `build:⏎  |`: the value is still to be written; a key of the mapping it opens fits.
    if at.block && !on_key && opens_mapping(&path) {
        on_key = true;
    }
    let existing_keys = if on_key {
        node_at(yaml, &map_at)
            .map(|n| {
                n.entries()
                    .iter()
                    .filter(|e| e.merged_from.is_none() && e.key_range != range)
                    .map(|e| e.key.clone())
                    .collect()
            })
            .unwrap_or_default()
    } else if let Some((PathSeg::Index(i), parent)) = at.path.split_last() {
        // The list's other plain items, so a name already listed is not offered again.
        node_at(yaml, parent)
            .map(|n| {
                let other = n.items().iter().enumerate().filter(|(j, _)| j != i);
                other.filter_map(|(_, item)| item.as_str().map(String::from)).collect()
            })
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    CursorContext { path, on_key, prefix, replace: range, existing_keys, indent: 0, flow: false }
}

fn opens_mapping(path: &[String]) -> bool {
    let p: Vec<&str> = path.iter().map(String::as_str).collect();
    schema::lookup(&p)
        .is_some_and(|s| schema::object_keys(&s.ty).is_some() || schema::map_entry(&s.ty).is_some())
}

fn node_at<'a>(yaml: &'a Yaml, path: &[PathSeg]) -> Option<&'a Node> {
    let mut node = yaml.root.as_ref()?;
    for seg in path {
        node = match seg {
            PathSeg::Key(k) => node.get(k)?,
            PathSeg::Index(i) => node.items().get(*i)?,
        };
    }
    Some(node)
}

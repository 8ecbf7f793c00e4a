//! What the names in a module stand for, as far as env reads care: imports (`import os as o`,
//! `from os import getenv`) and instances made by a call (`env = environ.Env()`). Flow-
//! insensitive on purpose: settings modules bind these once, at the top.

use std::collections::HashMap;

use tree_sitter::{Node, Tree};

/// Names a module bound to qualified names: `o` → `os`, `getenv` → `os.getenv`,
/// `env` → `environ.Env()` (a call result is written with `()`).
#[derive(Debug, Default)]
pub struct Bindings {
    names: HashMap<String, String>,
    /// The module has `from x import *`, so unbound names may come from elsewhere.
    has_star_import: bool,
}

/// Conventional names for instances usually made in a base settings module and brought in by
/// a star import (`from .base import *` then `env("X")`). Used only when the module binds the
/// name nowhere itself and has a star import.
const CONVENTIONAL: &[(&str, &str)] = &[("env", "environ.Env()"), ("config", "decouple.config")];

impl Bindings {
    pub fn collect(tree: &Tree, text: &str) -> Bindings {
        let mut b = Bindings::default();
        let mut assignments = Vec::new();
        statements(tree.root_node(), 0, &mut |node| match node.kind() {
            "import_statement" => b.import(node, text),
            "import_from_statement" => b.import_from(node, text),
            "expression_statement" => {
                if let Some(a) = node.named_child(0).filter(|a| a.kind() == "assignment") {
                    assignments.push(a);
                }
            }
            _ => {}
        });
        // Assignments after imports so `env = Env()` sees `from environs import Env`.
        for node in assignments {
            let (Some(left), Some(right)) =
                (node.child_by_field_name("left"), node.child_by_field_name("right"))
            else {
                continue;
            };
            if left.kind() != "identifier" || right.kind() != "call" {
                continue;
            }
            let Some(function) = right.child_by_field_name("function") else { continue };
            if let Some(q) = b.qualify(function, text) {
                b.names.insert(node_text(left, text).to_string(), format!("{q}()"));
            }
        }
        b
    }

    fn import(&mut self, node: Node, text: &str) {
        let mut cursor = node.walk();
        for name in node.children_by_field_name("name", &mut cursor) {
            match name.kind() {
                // `import os.path` binds `os`.
                "dotted_name" => {
                    let full = node_text(name, text);
                    let first = full.split('.').next().unwrap_or(full).trim();
                    self.names.insert(first.to_string(), first.to_string());
                }
                "aliased_import" => {
                    if let (Some(n), Some(a)) =
                        (name.child_by_field_name("name"), name.child_by_field_name("alias"))
                    {
                        self.names.insert(node_text(a, text).into(), compact(node_text(n, text)));
                    }
                }
                _ => {}
            }
        }
    }

    fn import_from(&mut self, node: Node, text: &str) {
        let Some(module) = node.child_by_field_name("module_name") else { return };
        let module = compact(node_text(module, text));
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            if child.kind() == "wildcard_import" {
                self.has_star_import = true;
            }
        }
        let mut cursor = node.walk();
        for name in node.children_by_field_name("name", &mut cursor) {
            let (n, alias) = match name.kind() {
                "dotted_name" => (name, name),
                "aliased_import" => {
                    match (name.child_by_field_name("name"), name.child_by_field_name("alias")) {
                        (Some(n), Some(a)) => (n, a),
                        _ => continue,
                    }
                }
                _ => continue,
            };
            let imported = node_text(n, text);
            // `from .base import env`: the project's own instance, made where it is defined;
            // what it is is taken from the name, as for star imports.
            let conventional = CONVENTIONAL.iter().find(|(c, _)| *c == imported);
            let qualified = match conventional {
                Some((_, q)) if module.starts_with('.') => q.to_string(),
                _ => format!("{module}.{imported}"),
            };
            self.names.insert(node_text(alias, text).into(), qualified);
        }
    }

    /// The qualified name of an expression made of names, attributes and calls:
    /// `o.environ.get` → `os.environ.get`, `environ.Env()` → `environ.Env()`. None for anything
    /// else (subscripts, literals, …).
    pub fn qualify(&self, node: Node, text: &str) -> Option<String> {
        self.qualify_depth(node, text, 0)
    }

    fn qualify_depth(&self, node: Node, text: &str, depth: usize) -> Option<String> {
        if depth > 32 {
            return None;
        }
        match node.kind() {
            "identifier" => {
                let name = node_text(node, text);
                if let Some(q) = self.names.get(name) {
                    return Some(q.clone());
                }
                if self.has_star_import
                    && let Some((_, q)) = CONVENTIONAL.iter().find(|(n, _)| *n == name)
                {
                    return Some(q.to_string());
                }
                Some(name.to_string())
            }
            "attribute" => {
                let object = node.child_by_field_name("object")?;
                let attr = node.child_by_field_name("attribute")?;
                let q = self.qualify_depth(object, text, depth + 1)?;
                Some(format!("{q}.{}", node_text(attr, text)))
            }
            "call" => {
                let f = node.child_by_field_name("function")?;
                Some(format!("{}()", self.qualify_depth(f, text, depth + 1)?))
            }
            "parenthesized_expression" => self.qualify_depth(node.named_child(0)?, text, depth + 1),
            _ => None,
        }
    }
}

/// `from . base import x` may be spelled with spaces; qualified names never have them.
pub(super) fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

pub fn node_text<'t>(node: Node, text: &'t str) -> &'t str {
    text.get(node.byte_range()).unwrap_or("")
}

/// Pre-order walk that skips ERROR subtrees and stops at a fixed depth, so hostile input can
/// neither overflow the stack nor produce facts from garbage. One cursor for the whole walk.
pub fn walk<'t>(node: Node<'t>, f: &mut impl FnMut(Node<'t>)) {
    const MAX_DEPTH: usize = 200;
    let mut cursor = node.walk();
    let mut depth = 0;
    loop {
        let n = cursor.node();
        let enter = !n.is_error() && depth < MAX_DEPTH;
        if enter {
            f(n);
        }
        if enter && cursor.goto_first_child() {
            depth += 1;
            continue;
        }
        loop {
            if depth == 0 {
                return;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            cursor.goto_parent();
            depth -= 1;
        }
    }
}

/// Visits statements only (module level and nested blocks), never expressions: imports and
/// assignments are statements, and skipping expressions keeps this cheap on large modules.
pub(super) fn statements<'t>(node: Node<'t>, depth: usize, f: &mut impl FnMut(Node<'t>)) {
    if depth > 100 || node.is_error() {
        return;
    }
    let mut cursor = node.walk();
    if !cursor.goto_first_child() {
        return;
    }
    loop {
        let child = cursor.node();
        match child.kind() {
            "import_statement" | "import_from_statement" | "expression_statement" => f(child),
            kind if is_compound(kind) => statements(child, depth + 1, f),
            _ => {}
        }
        if !cursor.goto_next_sibling() {
            break;
        }
    }
}

/// Statements that hold other statements: the walk descends into them.
fn is_compound(kind: &str) -> bool {
    matches!(
        kind,
        "block"
            | "if_statement"
            | "elif_clause"
            | "else_clause"
            | "try_statement"
            | "except_clause"
            | "finally_clause"
            | "with_statement"
            | "for_statement"
            | "while_statement"
            | "function_definition"
            | "class_definition"
            | "decorated_definition"
    )
}

/// Like [`statements`], but also reports class and function definitions (in source order).
pub(super) fn statements_and_classes<'t>(
    node: Node<'t>,
    depth: usize,
    f: &mut impl FnMut(Node<'t>),
) {
    if depth > 100 || node.is_error() {
        return;
    }
    let mut cursor = node.walk();
    if !cursor.goto_first_child() {
        return;
    }
    loop {
        let child = cursor.node();
        if matches!(child.kind(), "class_definition" | "function_definition") {
            f(child);
        }
        if is_compound(child.kind()) {
            statements_and_classes(child, depth + 1, f);
        }
        if !cursor.goto_next_sibling() {
            break;
        }
    }
}

//! The per-document Python model: env reads and sets, `.env` loads and imports.

use std::ops::Range;

use tree_sitter::Node;

use super::bindings::{compact, node_text, statements};
use super::reads::{self, DefaultValue, DotenvLoad, EnvRead, EnvSet, Extracted, SetKind};
use crate::workspace::Document;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportKind {
    /// `import a.b` / `import a.b as c`
    Module,
    /// `from a.b import c, d`
    From,
    /// `from a.b import *`: every public name of the module, settings chains follow these.
    Star,
}

/// One import statement's module part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    pub kind: ImportKind,
    /// Dotted name without the leading dots: `base` for `from .base import *`, empty for
    /// `from . import x`.
    pub module: String,
    /// Leading dots of a relative import (0 for absolute).
    pub level: usize,
    /// The imported names of a `from` import (`c`, `d`), each with its range.
    pub names: Vec<(String, Range<usize>)>,
    /// The module name as written (with its dots).
    pub module_range: Range<usize>,
    /// The whole statement.
    pub range: Range<usize>,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct PythonModel {
    /// Every env read, in source order.
    pub reads: Vec<EnvRead>,
    /// `os.environ.setdefault(...)` and `os.environ[...] = ...`.
    pub sets: Vec<EnvSet>,
    /// `read_env()`, `load_dotenv()`, pydantic `env_file`.
    pub dotenv_loads: Vec<DotenvLoad>,
    pub imports: Vec<Import>,
}

impl PythonModel {
    pub fn build(doc: &Document) -> PythonModel {
        let Some(tree) = doc.tree() else { return PythonModel::default() };
        let Extracted { reads, sets, dotenv_loads } = reads::extract(tree, &doc.text);
        PythonModel { reads, sets, dotenv_loads, imports: imports(tree.root_node(), &doc.text) }
    }

    /// Reads of one (literal) name; case-insensitive reads match either case.
    pub fn reads_of<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a EnvRead> + 'a {
        self.reads.iter().filter(move |r| match r.name.as_literal() {
            Some(n) if r.case_sensitive => n == name,
            Some(n) => n.eq_ignore_ascii_case(name),
            None => false,
        })
    }

    pub fn star_imports(&self) -> impl Iterator<Item = &Import> {
        self.imports.iter().filter(|i| i.kind == ImportKind::Star)
    }

    /// `os.environ.setdefault(...)` facts only.
    pub fn defaults(&self) -> impl Iterator<Item = &EnvSet> {
        self.sets.iter().filter(|s| s.kind == SetKind::Default)
    }

    /// The settings module this file selects with
    /// `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings.dev")` (manage.py,
    /// wsgi.py, asgi.py, celery.py), with the range of the value.
    pub fn django_settings_default(&self) -> Option<(&str, Range<usize>)> {
        self.sets.iter().find_map(|s| match (&s.name.as_literal(), &s.value) {
            (Some("DJANGO_SETTINGS_MODULE"), Some(v)) => match &v.value {
                DefaultValue::Str(m) => Some((m.as_str(), v.range.clone())),
                _ => None,
            },
            _ => None,
        })
    }
}

fn imports(root: Node, text: &str) -> Vec<Import> {
    let mut out = Vec::new();
    // Imports are statements: no need to visit expressions.
    statements(root, 0, &mut |node| match node.kind() {
        "import_statement" => {
            let mut c = node.walk();
            for name in node.children_by_field_name("name", &mut c) {
                let module = match name.kind() {
                    "aliased_import" => name.child_by_field_name("name"),
                    "dotted_name" => Some(name),
                    _ => None,
                };
                if let Some(m) = module {
                    out.push(Import {
                        kind: ImportKind::Module,
                        module: compact(node_text(m, text)),
                        level: 0,
                        names: Vec::new(),
                        module_range: m.byte_range(),
                        range: node.byte_range(),
                    });
                }
            }
        }
        "import_from_statement" => {
            let Some(m) = node.child_by_field_name("module_name") else { return };
            let written = compact(node_text(m, text));
            let level = written.len() - written.trim_start_matches('.').len();
            let mut kind = ImportKind::From;
            let mut names = Vec::new();
            let mut c = node.walk();
            for child in node.children(&mut c) {
                if child.kind() == "wildcard_import" {
                    kind = ImportKind::Star;
                }
            }
            let mut c = node.walk();
            for n in node.children_by_field_name("name", &mut c) {
                let n = if n.kind() == "aliased_import" {
                    match n.child_by_field_name("name") {
                        Some(x) => x,
                        None => continue,
                    }
                } else {
                    n
                };
                names.push((node_text(n, text).to_string(), n.byte_range()));
            }
            out.push(Import {
                kind,
                module: written[level..].to_string(),
                level,
                names,
                module_range: m.byte_range(),
                range: node.byte_range(),
            });
        }
        _ => {}
    });
    out
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use crate::testing::fixture;

    fn check(src: &str, expect: Expect) {
        let f = fixture(&format!("#- /app/mod.py\n{}", crate::testing::dedent(src)));
        let doc = f.doc("app/mod.py");
        let m = super::super::model(doc);
        let mut out = String::new();
        for i in &m.imports {
            out.push_str(&format!(
                "{:?} level={} module={:?} names={:?} at `{}`\n",
                i.kind,
                i.level,
                i.module,
                i.names.iter().map(|n| n.0.as_str()).collect::<Vec<_>>(),
                &doc.text[i.module_range.clone()]
            ));
        }
        if let Some((m, r)) = m.django_settings_default() {
            out.push_str(&format!("DJANGO_SETTINGS_MODULE default {m} at `{}`\n", &doc.text[r]));
        }
        expect.assert_eq(&out);
    }

    #[test]
    fn imports_and_settings_default() {
        check(
            r#"
            import os, sys as system
            from .base import *
            from ..common.settings import *
            from app.settings.base import DEBUG, SECRET_KEY as KEY
            from . import local
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings.dev")
            "#,
            expect![[r#"
                Module level=0 module="os" names=[] at `os`
                Module level=0 module="sys" names=[] at `sys`
                Star level=1 module="base" names=[] at `.base`
                Star level=2 module="common.settings" names=[] at `..common.settings`
                From level=0 module="app.settings.base" names=["DEBUG", "SECRET_KEY"] at `app.settings.base`
                From level=1 module="" names=["local"] at `.`
                DJANGO_SETTINGS_MODULE default app.settings.dev at `"app.settings.dev"`
            "#]],
        );
    }
}

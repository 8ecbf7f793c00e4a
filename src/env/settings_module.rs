//! `settings-module-not-found`: `DJANGO_SETTINGS_MODULE` names a module that does not exist.

use std::ops::Range;
use std::path::PathBuf;

use super::index::{Graph, What};
use crate::diagnostics::{Diagnostic, RuleInfo, Severity};
use crate::workspace::{Document, FileKind, Snapshot};

pub const SETTINGS_MODULE_NOT_FOUND: &str = "settings-module-not-found";

pub const RULE: RuleInfo = RuleInfo {
    code: SETTINGS_MODULE_NOT_FOUND,
    scope: "cross-file",
    default_severity: Severity::Error,
    enabled_by_default: true,
    fixable: false,
    summary: "`DJANGO_SETTINGS_MODULE` names a module that is not in the project.",
    docs: "Django imports the module named by `DJANGO_SETTINGS_MODULE` as it starts; when no \
           such module exists the process stops with `ModuleNotFoundError`. berth checks every \
           literal value it sees: compose `environment`, `.env` files, Dockerfile `ENV` and \
           `os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", …)` in `manage.py`, `wsgi.py`, \
           `asgi.py` or `celery.py`, resolving the dotted name against the folders a service \
           imports from (the Dockerfile's and compose file's folders, folders holding a \
           `manage.py`, `src/`, the workspace root).\n\n\
           Fix: correct the dotted name (`app.settings.production`, not `app.settings.prod`), \
           or add the module.",
};

const NAME: &str = "DJANGO_SETTINGS_MODULE";

pub fn diagnostics(snap: &Snapshot, g: &Graph, doc: &Document) -> Vec<Diagnostic> {
    // Without any Python in sight nothing can be resolved, and nothing proven missing.
    if snap.of_kind(FileKind::Python).next().is_none() {
        return Vec::new();
    }
    let mut out = Vec::new();
    // The snapshot's version of this file, as the graph has it.
    let Some(own) = snap.get(&doc.path).map(|d| super::index::sets_named(d, NAME)) else {
        return out;
    };
    for site in &own {
        let (Some(value), Some(range)) = (&site.value, &site.value_range) else { continue };
        let module = value.trim();
        if module.is_empty() || module.contains('$') {
            continue;
        }
        if resolves(snap, g, doc, module) {
            continue;
        }
        let range = unquoted(doc, range.clone());
        let where_ = match site.what {
            What::PythonSet { .. } => "the default",
            _ => "it",
        };
        out.push(Diagnostic::new(
            &doc.path,
            range,
            Severity::Error,
            SETTINGS_MODULE_NOT_FOUND,
            format!(
                "no module `{module}` in the project: Django cannot import the settings {where_} \
                 names"
            ),
        ));
    }
    out
}

fn resolves(snap: &Snapshot, g: &Graph, doc: &Document, module: &str) -> bool {
    // Any root will do, so the cheap ones are tried before the services (built on first use).
    let mut roots: Vec<PathBuf> =
        doc.path.parent().map(|p| vec![p.to_path_buf()]).unwrap_or_default();
    roots.extend(g.roots().iter().cloned());
    if crate::python::resolve_module_in(snap, &roots, module).is_some() {
        return true;
    }
    roots.clear();
    let services = g.services();
    for &i in g.services_of_file(&doc.path) {
        roots.extend(services[i].roots.iter().cloned());
    }
    crate::python::resolve_module_in(snap, &roots, module).is_some()
}

/// A string literal's content (the value range of a Python default includes its quotes).
fn unquoted(doc: &Document, r: Range<usize>) -> Range<usize> {
    let t = doc.text.get(r.clone()).unwrap_or("");
    let q = t.chars().next();
    match q {
        Some(c @ ('"' | '\'')) if t.len() >= 2 && t.ends_with(c) => r.start + 1..r.end - 1,
        _ => r,
    }
}

//! Module resolution over a snapshot: dotted names to files, relative imports, star-import
//! settings chains. Pure: only the snapshot's documents are consulted, never the disk.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::model::{Import, ImportKind};
use crate::workspace::{FileKind, Snapshot};

/// Directories dotted module names are resolved against, most specific first: every directory
/// holding a `manage.py` (Django projects are often one level below the repository), each
/// workspace root's `src/` when it holds Python files, then the workspace roots.
pub fn candidate_roots(snap: &Snapshot) -> Vec<PathBuf> {
    let mut manage: Vec<PathBuf> = snap
        .of_kind(FileKind::Python)
        .filter(|d| d.path.file_name().is_some_and(|n| n == "manage.py"))
        .filter_map(|d| d.path.parent().map(Path::to_path_buf))
        .collect();
    // Deeper first, then by name: stable and most specific.
    manage.sort_by(|a, b| b.components().count().cmp(&a.components().count()).then(a.cmp(b)));
    let mut out: Vec<PathBuf> = Vec::new();
    let mut push = |p: PathBuf| {
        if !out.contains(&p) {
            out.push(p);
        }
    };
    // Folders the project configures (`settings-paths` in berth.toml) come first.
    if let Some(base) = snap.config.base_dir() {
        for extra in &snap.config.settings_paths {
            push(crate::compose::project::normalize(&base.join(extra)));
        }
    }
    for m in manage {
        push(m);
    }
    for root in snap.roots.iter() {
        let src = root.join("src");
        if snap.of_kind(FileKind::Python).any(|d| d.path.starts_with(&src)) {
            push(src);
        }
    }
    for root in snap.roots.iter() {
        push(root.clone());
    }
    out
}

/// The file of a dotted module name (`a.b` → `a/b.py` or `a/b/__init__.py`) under the first
/// candidate root that has it.
pub fn resolve_module(snap: &Snapshot, dotted: &str) -> Option<Arc<Path>> {
    resolve_module_in(snap, &candidate_roots(snap), dotted)
}

/// [`resolve_module`] with roots computed once by the caller ([`candidate_roots`] scans the
/// snapshot), for resolving many names.
pub fn resolve_module_in(snap: &Snapshot, roots: &[PathBuf], dotted: &str) -> Option<Arc<Path>> {
    if dotted.is_empty() || dotted.split('.').any(|p| p.is_empty()) {
        return None;
    }
    roots.iter().find_map(|root| module_in(snap, root, dotted))
}

fn module_in(snap: &Snapshot, dir: &Path, dotted: &str) -> Option<Arc<Path>> {
    let mut base = dir.to_path_buf();
    for part in dotted.split('.').filter(|p| !p.is_empty()) {
        base.push(part);
    }
    let file = base.with_extension("py");
    if let Some(d) = snap.get(&file) {
        return Some(d.path.clone());
    }
    snap.get(&base.join("__init__.py")).map(|d| d.path.clone())
}

/// The file an import in `from` refers to: relative imports (`from ..common import *`) from
/// `from`'s package, absolute ones through [`resolve_module`]. `from . import x` resolves to
/// the package's `__init__.py` (each name may be a submodule: see [`resolve_import_name`]).
pub fn resolve_import(snap: &Snapshot, from: &Path, import: &Import) -> Option<Arc<Path>> {
    resolve_import_in(snap, &candidate_roots(snap), from, import)
}

/// [`resolve_import`] with the roots for absolute imports given by the caller.
pub fn resolve_import_in(
    snap: &Snapshot,
    roots: &[PathBuf],
    from: &Path,
    import: &Import,
) -> Option<Arc<Path>> {
    if import.level == 0 {
        return resolve_module_in(snap, roots, &import.module);
    }
    let dir = package_dir(from, import.level)?;
    if import.module.is_empty() {
        return snap.get(&dir.join("__init__.py")).map(|d| d.path.clone());
    }
    module_in(snap, &dir, &import.module)
}

/// For `from pkg import name`: the submodule `pkg/name.py` when there is one.
pub fn resolve_import_name(
    snap: &Snapshot,
    from: &Path,
    import: &Import,
    name: &str,
) -> Option<Arc<Path>> {
    if import.kind != ImportKind::From {
        return None;
    }
    let dotted = if import.module.is_empty() {
        name.to_string()
    } else {
        format!("{}.{name}", import.module)
    };
    if import.level == 0 {
        return resolve_module(snap, &dotted);
    }
    module_in(snap, &package_dir(from, import.level)?, &dotted)
}

/// The directory `level` leading dots refer to: 1 is the module's own package.
fn package_dir(from: &Path, level: usize) -> Option<PathBuf> {
    let mut dir = from.parent()?;
    for _ in 1..level {
        dir = dir.parent()?;
    }
    Some(dir.to_path_buf())
}

/// The dotted name of a file under the first candidate root containing it
/// (`/w/app/settings/base.py` → `app.settings.base`; a package's `__init__.py` → the package).
pub fn module_name(snap: &Snapshot, path: &Path) -> Option<String> {
    candidate_roots(snap).iter().find_map(|root| {
        let rel = path.strip_prefix(root).ok()?;
        let mut parts: Vec<String> =
            rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        let last = parts.pop()?;
        let stem = last.strip_suffix(".py")?;
        if stem != "__init__" {
            parts.push(stem.to_string());
        }
        (!parts.is_empty()).then(|| parts.join("."))
    })
}

/// `path` followed by every module it star-imports, transitively, depth-first in import order
/// (`prod.py` → `base.py` → `common.py`): the modules whose reads a settings module executes.
/// Each file appears once, so cyclic star imports terminate; unresolved imports are skipped.
pub fn settings_chain(snap: &Snapshot, path: &Path) -> Vec<Arc<Path>> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let Some(doc) = snap.get(path) else { return out };
    let mut stack = vec![doc.path.clone()];
    while let Some(p) = stack.pop() {
        if !seen.insert(p.clone()) {
            continue;
        }
        let Some(doc) = snap.get(&p) else { continue };
        if doc.kind != FileKind::Python {
            continue;
        }
        out.push(p.clone());
        let model = super::model(doc);
        let next: Vec<_> =
            model.star_imports().filter_map(|i| resolve_import(snap, &p, i)).collect();
        // Reverse so the first import is visited first.
        stack.extend(next.into_iter().rev().filter(|n| !seen.contains(n)));
    }
    out
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::testing::{ROOT, fixture};

    fn rel(p: &Path) -> String {
        p.strip_prefix(ROOT)
            .map(|r| r.display().to_string())
            .unwrap_or_else(|_| p.display().to_string())
    }

    /// Each line of `queries`: `module NAME`, `chain FILE` or `roots`.
    fn check(ws: &str, queries: &str, expect: Expect) {
        let f = fixture(ws);
        let snap = &f.snapshot;
        let mut out = String::new();
        for q in queries.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (cmd, arg) = q.split_once(' ').unwrap_or((q, ""));
            let answer = match cmd {
                "module" => resolve_module(snap, arg).map(|p| rel(&p)).unwrap_or("-".into()),
                "name" => module_name(snap, &Path::new(ROOT).join(arg)).unwrap_or("-".into()),
                "chain" => settings_chain(snap, &Path::new(ROOT).join(arg))
                    .iter()
                    .map(|p| rel(p))
                    .collect::<Vec<_>>()
                    .join(" -> "),
                "imports" => {
                    let doc = f.doc(arg);
                    super::super::model(doc)
                        .imports
                        .iter()
                        .map(|i| {
                            resolve_import(snap, &doc.path, i)
                                .map(|p| rel(&p))
                                .unwrap_or("-".into())
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                }
                "roots" => candidate_roots(snap)
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                _ => panic!("unknown query {q}"),
            };
            out.push_str(&format!("{q}: {answer}\n"));
        }
        expect.assert_eq(&out);
    }

    const DJANGO: &str = r#"
        #- /backend/manage.py
        import os
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings.dev")
        #- /backend/app/__init__.py
        #- /backend/app/settings/__init__.py
        #- /backend/app/settings/base.py
        from .common import *
        #- /backend/app/settings/common.py
        DEBUG = False
        #- /backend/app/settings/dev.py
        from .base import *
        from app.settings.local import *
        from ..missing import *
        #- /backend/app/settings/local.py
        X = 1
        #- /backend/app/wsgi.py
        import app.settings
        from . import settings
        #- /tools/util.py
        import os
    "#;

    #[test]
    fn resolves_modules_and_imports() {
        check(
            DJANGO,
            "
            roots
            module app.settings.dev
            module app.settings
            module app
            module tools.util
            module app.nope
            module app..x
            name backend/app/settings/base.py
            name backend/app/settings/__init__.py
            imports backend/app/settings/dev.py
            imports backend/app/wsgi.py
            ",
            expect![[r#"
                roots: /w/backend, /w
                module app.settings.dev: backend/app/settings/dev.py
                module app.settings: backend/app/settings/__init__.py
                module app: backend/app/__init__.py
                module tools.util: tools/util.py
                module app.nope: -
                module app..x: -
                name backend/app/settings/base.py: app.settings.base
                name backend/app/settings/__init__.py: app.settings
                imports backend/app/settings/dev.py: backend/app/settings/base.py, backend/app/settings/local.py, -
                imports backend/app/wsgi.py: backend/app/settings/__init__.py, backend/app/__init__.py
            "#]],
        );
    }

    #[test]
    fn settings_chain_follows_star_imports() {
        check(
            DJANGO,
            "
            chain backend/app/settings/dev.py
            chain backend/app/settings/common.py
            chain backend/nope.py
            ",
            expect![[r#"
                chain backend/app/settings/dev.py: backend/app/settings/dev.py -> backend/app/settings/base.py -> backend/app/settings/common.py -> backend/app/settings/local.py
                chain backend/app/settings/common.py: backend/app/settings/common.py
                chain backend/nope.py: 
            "#]],
        );
    }

    #[test]
    fn settings_chain_terminates_on_cycles() {
        check(
            r#"
            #- /pkg/a.py
            from .b import *
            #- /pkg/b.py
            from pkg.c import *
            #- /pkg/c.py
            from .a import *
            from .c import *
            "#,
            "chain pkg/a.py\nchain pkg/c.py",
            expect![[r#"
                chain pkg/a.py: pkg/a.py -> pkg/b.py -> pkg/c.py
                chain pkg/c.py: pkg/c.py -> pkg/a.py -> pkg/b.py
            "#]],
        );
    }
}

#[cfg(test)]
mod settings_paths_tests {
    use std::sync::Arc;

    use super::*;
    use crate::config::Config;
    use crate::testing::fixture;

    #[test]
    fn configured_settings_paths_resolve_first() {
        let mut f = fixture(
            r#"
            #- /backend/app/settings.py
            A = 1
            #- /app/settings.py
            B = 2
            "#,
        );
        assert_eq!(
            resolve_module(&f.snapshot, "app.settings").as_deref(),
            Some(Path::new("/w/app/settings.py"))
        );
        let config = Config {
            settings_paths: vec!["backend".into()],
            source: Some("/w/berth.toml".into()),
            ..Config::default()
        };
        f.snapshot.config = Arc::new(config);
        assert_eq!(
            resolve_module(&f.snapshot, "app.settings").as_deref(),
            Some(Path::new("/w/backend/app/settings.py"))
        );
    }
}

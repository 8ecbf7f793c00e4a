//! Which Python code a service runs and which environment variables that code reads: the
//! Django settings module (from `DJANGO_SETTINGS_MODULE`, else the entry module's
//! `setdefault`) and the modules it star-imports, or for other apps the entry module and the
//! project modules it imports.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::graph::{RunCommand, ServiceEnv, run_command};
use crate::python::ImportKind;
use crate::python::entry::{EntryKind, EntryPoint, entry_from_command, entry_from_shell};
use crate::python::modules::{resolve_import_in, resolve_module_in};
use crate::python::{EnvRead, ReadKind};
use crate::workspace::{FileKind, Snapshot};

/// At most this many modules are followed through imports from an entry module.
const MAX_MODULES: usize = 64;

#[derive(Clone, Debug)]
pub struct Runs {
    /// The Django settings module, when the service runs Django.
    pub settings_module: Option<String>,
    /// The files whose module-level reads run at start-up, in import order.
    pub files: Vec<Arc<Path>>,
    /// Every read in those files, with its file.
    pub reads: Vec<(Arc<Path>, EnvRead)>,
    /// The code loads a `.env` file itself (`load_dotenv()`, `Env.read_env()`), so variables
    /// may come from a file inside the container.
    pub loads_dotenv: bool,
}

impl Runs {
    /// Does the code read `name` (exactly, or through a prefix read)?
    pub fn reads_name(&self, name: &str) -> bool {
        self.reads.iter().any(|(_, r)| match r.name.as_literal() {
            Some(n) if r.kind == ReadKind::Prefix => name.starts_with(n),
            Some(n) => n == name,
            None => false,
        })
    }
}

pub fn entry_of(svc: &ServiceEnv) -> Option<EntryPoint> {
    match run_command(svc)? {
        RunCommand::Exec(argv) => {
            let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
            entry_from_command(&argv)
        }
        RunCommand::Shell(s) => entry_from_shell(&s),
    }
}

/// What `svc` runs, or None when berth cannot tell. `workspace_roots` are the snapshot's
/// [`crate::python::candidate_roots`], computed once by the caller.
pub fn runs(snap: &Snapshot, svc: &ServiceEnv, workspace_roots: &[PathBuf]) -> Option<Runs> {
    runs_from(snap, svc, &module_roots(svc, workspace_roots))
}

/// [`runs`], given the service's [`module_roots`].
pub(crate) fn runs_from(snap: &Snapshot, svc: &ServiceEnv, roots: &[PathBuf]) -> Option<Runs> {
    let entry = entry_of(svc);
    let entry_files = entry.as_ref().map(|e| entry_files(snap, roots, e)).unwrap_or_default();
    let settings = svc
        .get("DJANGO_SETTINGS_MODULE")
        .map(|p| p.value.clone())
        .map(|v| v.ok_or(()))
        .or_else(|| entry.as_ref()?.settings.clone().map(Ok))
        .or_else(|| setdefault_in(snap, &entry_files).map(Ok));
    let files = match settings {
        // Set from the shell or interpolated: the module is unknown.
        Some(Err(())) => return None,
        Some(Ok(module)) => {
            let path = resolve_module_in(snap, roots, &module)?;
            return Some(collect(snap, Some(module), settings_chain(snap, roots, &path)));
        }
        None => entry_files,
    };
    if files.is_empty() {
        return None;
    }
    Some(collect(snap, None, import_closure(snap, roots, files)))
}

fn collect(snap: &Snapshot, settings_module: Option<String>, files: Vec<Arc<Path>>) -> Runs {
    let mut reads = Vec::new();
    let mut loads_dotenv = false;
    for f in &files {
        if let Some(doc) = snap.get(f) {
            let model = crate::python::model(doc);
            reads.extend(model.reads.iter().map(|r| (f.clone(), r.clone())));
            loads_dotenv |= !model.dotenv_loads.is_empty();
        }
    }
    Runs { settings_module, files, reads, loads_dotenv }
}

/// The entry module's file(s): for Celery `-A app`, also `app/celery.py` (where Celery looks
/// for the app); for Django's management commands, `manage.py`.
fn entry_files(snap: &Snapshot, roots: &[PathBuf], e: &EntryPoint) -> Vec<Arc<Path>> {
    let mut out = Vec::new();
    if let Some(m) = &e.module {
        out.extend(resolve_module_in(snap, roots, m));
        if e.kind() == EntryKind::Celery {
            out.extend(resolve_module_in(snap, roots, &format!("{m}.celery")));
        }
    }
    if e.kind() == EntryKind::Manage && out.is_empty() {
        out.extend(resolve_module_in(snap, roots, "manage"));
    }
    out
}

/// Where a service's modules are imported from: the code its image is built from (the
/// Dockerfile's folder, which `COPY . .` puts on the path) and the compose file's folder come
/// before the workspace-wide guesses, so two projects in one workspace never see each other's
/// `app` package.
pub fn module_roots(svc: &ServiceEnv, workspace_roots: &[PathBuf]) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = Vec::new();
    let own = [
        svc.dockerfile.as_ref().and_then(|d| d.path.parent()).map(Path::to_path_buf),
        svc.location.path.parent().map(Path::to_path_buf),
    ];
    for r in own.into_iter().flatten().chain(workspace_roots.iter().cloned()) {
        if !roots.contains(&r) {
            roots.push(r);
        }
    }
    roots
}

fn setdefault_in(snap: &Snapshot, files: &[Arc<Path>]) -> Option<String> {
    files.iter().find_map(|f| {
        let doc = snap.get(f)?;
        crate::python::model(doc).django_settings_default().map(|(m, _)| m.to_string())
    })
}

/// `files` and every project module they import, transitively (bounded).
fn import_closure(snap: &Snapshot, roots: &[PathBuf], files: Vec<Arc<Path>>) -> Vec<Arc<Path>> {
    let mut seen: HashSet<Arc<Path>> = HashSet::new();
    let mut out = Vec::new();
    let mut queue: std::collections::VecDeque<Arc<Path>> = files.into();
    while let Some(p) = queue.pop_front() {
        if out.len() >= MAX_MODULES || !seen.insert(p.clone()) {
            continue;
        }
        let Some(doc) = snap.get(&p).filter(|d| d.kind == FileKind::Python) else { continue };
        out.push(p.clone());
        for i in &crate::python::model(doc).imports {
            if let Some(t) = resolve_import_in(snap, roots, &p, i) {
                queue.push_back(t);
            }
        }
    }
    out
}

/// `path` and the modules it star-imports, transitively, depth-first in import order (as
/// [`crate::python::settings_chain`], with the roots given once).
fn settings_chain(snap: &Snapshot, roots: &[PathBuf], path: &Path) -> Vec<Arc<Path>> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let Some(doc) = snap.get(path) else { return out };
    let mut stack = vec![doc.path.clone()];
    while let Some(p) = stack.pop() {
        if out.len() >= MAX_MODULES || !seen.insert(p.clone()) {
            continue;
        }
        let Some(doc) = snap.get(&p).filter(|d| d.kind == FileKind::Python) else { continue };
        out.push(p.clone());
        let model = crate::python::model(doc);
        let next: Vec<_> = model
            .imports
            .iter()
            .filter(|i| i.kind == ImportKind::Star)
            .filter_map(|i| resolve_import_in(snap, roots, &p, i))
            .collect();
        // Reversed so the first import is visited first.
        stack.extend(next.into_iter().rev());
    }
    out
}

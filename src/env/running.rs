//! The services that run Python code berth can follow, kept across compose keystrokes.
//!
//! A Python file's environment diagnostics come only from the services whose code includes it,
//! and in a 500-service compose file those are a handful. A keystroke in the compose file moves
//! every service after it, so each [`ServiceEnv`] (which holds ranges) is new; building all of
//! them again just to learn that most run nothing is what made a settings module's diagnostics
//! cost milliseconds. What a service runs depends on a few of its keys only ([`run_key`]), none
//! of them a position: when those are unchanged for every service of the edited file and no
//! other input changed, the services that ran nothing still run nothing, and only the ones that
//! run code (and the ones whose keys changed) are built again, from scratch.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::{Arc, Mutex, Weak};

use super::graph::service_env;
use super::index::{Graph, Service};
use crate::compose::model::{Extends, Service as ComposeService};
use crate::compose::project::{Project, merged_service, project_of};
use crate::util::lock;
use crate::workspace::{Document, FileKind, Snapshot};

/// The services of each compose project (as [`Graph::projects`] orders them) that run code
/// berth can follow, in project order.
pub(crate) type Running = Vec<Vec<Service>>;

/// A compose file's version and, per service in file order, its name (hashed) and
/// [`run_key`].
type Keys = (Weak<Document>, Vec<(u64, u64)>);

/// What the last computation saw, to tell whether its answer still holds.
struct State {
    config: Arc<crate::config::Config>,
    roots: Arc<Vec<std::path::PathBuf>>,
    /// Identity of every document that is not a compose file (held weakly so the addresses
    /// stay unique while the entry exists).
    others_key: u64,
    _others: Vec<Weak<Document>>,
    /// Per compose file: its version, and each service's name (hashed) and [`run_key`], in
    /// file order.
    compose: HashMap<Arc<Path>, Keys>,
    projects: Vec<ProjectState>,
}

struct ProjectState {
    project: Project,
    /// Each service's place in the project's merged order.
    order: Arc<HashMap<String, usize>>,
    /// The names of the services that run code, in project order.
    running: Vec<String>,
}

static STATE: Mutex<Option<State>> = Mutex::new(None);

/// The running services of `g`'s snapshot: from its full service list when that is built,
/// else from the last snapshot's answer when a compose edit cannot have changed it.
pub(crate) fn running(g: &Graph) -> Running {
    let snap = g.snapshot();
    if !g.services_built()
        && let Some(r) = incremental(g, snap)
    {
        return r;
    }
    from_scratch(g, snap)
}

fn non_compose(snap: &Snapshot) -> impl Iterator<Item = &Arc<Document>> {
    snap.documents().filter(|d| d.kind != FileKind::Compose)
}

fn compose_docs(snap: &Snapshot) -> Vec<&Arc<Document>> {
    let mut compose: Vec<&Arc<Document>> = snap.of_kind(FileKind::Compose).collect();
    compose.sort_by(|a, b| a.path.cmp(&b.path));
    compose
}

/// The projects as [`Graph::projects`] lists them: one per distinct set of merged files.
fn projects(snap: &Snapshot) -> Vec<Project> {
    let mut out: Vec<Project> = Vec::new();
    for doc in compose_docs(snap) {
        let project = project_of(snap, &doc.path);
        if !out.iter().any(|p| p.files == project.files) {
            out.push(project);
        }
    }
    out
}

fn run_keys(doc: &Document) -> Vec<(u64, u64)> {
    let hash = |name: &str| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        name.hash(&mut h);
        h.finish()
    };
    crate::compose::model(doc).services.iter().map(|s| (hash(&s.name), run_key(s))).collect()
}

fn from_scratch(g: &Graph, snap: &Snapshot) -> Running {
    let running: Running = g
        .projects()
        .iter()
        .map(|p| {
            p.services
                .iter()
                .map(|&i| &g.services()[i])
                .filter(|s| s.runs.is_some())
                .cloned()
                .collect()
        })
        .collect();
    // A keystroke in a Python file changes what services run but no compose file: their keys
    // and the projects' service order are taken over then.
    let mut old = lock(&STATE).take();
    let mut compose = HashMap::new();
    let mut all_same = true;
    for d in compose_docs(snap) {
        let kept = old.as_mut().and_then(|o| o.compose.remove(&d.path));
        let entry = match kept {
            Some((w, keys)) if std::ptr::eq(w.as_ptr(), Arc::as_ptr(d)) => (w, keys),
            _ => {
                all_same = false;
                (Arc::downgrade(d), run_keys(d))
            }
        };
        compose.insert(d.path.clone(), entry);
    }
    let mut old_orders: Vec<(Project, Arc<HashMap<String, usize>>)> = old
        .as_mut()
        .filter(|o| all_same && o.compose.is_empty())
        .map(|o| o.projects.drain(..).map(|p| (p.project, p.order)).collect())
        .unwrap_or_default();
    let projects = projects(snap)
        .into_iter()
        .zip(g.projects())
        .zip(&running)
        .map(|((project, p), run)| {
            let order = match old_orders.iter().position(|(o, _)| *o == project) {
                Some(i) => old_orders.swap_remove(i).1,
                None => Arc::new(
                    p.services
                        .iter()
                        .enumerate()
                        .map(|(k, &i)| (g.services()[i].env.name.clone(), k))
                        .collect(),
                ),
            };
            ProjectState {
                project,
                order,
                running: run.iter().map(|s| s.env.name.clone()).collect(),
            }
        })
        .collect();
    let state = State {
        config: snap.config.clone(),
        roots: snap.roots.clone(),
        others_key: snap.identity(|k| k != FileKind::Compose),
        _others: non_compose(snap).map(Arc::downgrade).collect(),
        compose,
        projects,
    };
    let replaced = lock(&STATE).replace(state);
    crate::util::drop_later((old, replaced));
    running
}

/// The answer from the last one, when the snapshots differ only in compose files whose
/// services kept their names, order and [`run_key`]s, except for some that nothing extends.
fn incremental(g: &Graph, snap: &Snapshot) -> Option<Running> {
    let mut guard = lock(&STATE);
    let state = guard.as_mut()?;
    if !Arc::ptr_eq(&state.config, &snap.config)
        || state.roots != snap.roots
        || state.others_key != snap.identity(|k| k != FileKind::Compose)
    {
        return None;
    }
    let compose = compose_docs(snap);
    if compose.len() != state.compose.len() {
        return None;
    }
    // The services whose keys changed, by file.
    let mut dirty: Vec<(Arc<Path>, String)> = Vec::new();
    let mut updated: Vec<(Arc<Path>, Keys)> = Vec::new();
    for doc in &compose {
        let (old_doc, old_keys) = state.compose.get(&doc.path)?;
        if std::ptr::eq(old_doc.as_ptr(), Arc::as_ptr(doc)) {
            continue;
        }
        let keys = run_keys(doc);
        if keys.len() != old_keys.len() {
            return None;
        }
        let services = &crate::compose::model(doc).services;
        for ((s, (name, key)), (old_name, old_key)) in services.iter().zip(&keys).zip(old_keys) {
            if name != old_name {
                return None;
            }
            if key != old_key {
                dirty.push((doc.path.clone(), s.name.clone()));
            }
        }
        updated.push((doc.path.clone(), (Arc::downgrade(doc), keys)));
    }
    // Which files form a project is read from the compose files too (`include:`).
    let now = projects(snap);
    if now.len() != state.projects.len()
        || now.iter().zip(&state.projects).any(|(a, b)| *a != b.project)
    {
        return None;
    }
    // A service extending a changed one changes with it.
    if !dirty.is_empty() {
        let extended = |e: &Extends| dirty.iter().any(|(_, n)| *n == e.service.text);
        for doc in &compose {
            let m = crate::compose::model(doc);
            if m.services.iter().any(|s| s.extends.as_ref().is_some_and(extended)) {
                return None;
            }
        }
    }
    let roots = g.roots();
    let mut out: Running = Vec::with_capacity(state.projects.len());
    for p in &mut state.projects {
        let mut names: Vec<(usize, String)> = Vec::new();
        for n in &p.running {
            names.push((*p.order.get(n)?, n.clone()));
        }
        for (path, n) in &dirty {
            if p.project.all().any(|f| f == path) && !names.iter().any(|(_, x)| x == n) {
                names.push((*p.order.get(n)?, n.clone()));
            }
        }
        names.sort();
        let mut services = Vec::with_capacity(names.len());
        for (_, name) in names {
            let merged = merged_service(snap, &p.project, &name)?;
            let env = Arc::new(service_env(snap, merged));
            let svc_roots = super::settings::module_roots(&env, roots);
            let runs = super::settings::runs_from(snap, &env, &svc_roots);
            if runs.is_some() {
                services.push(Service { env, runs, roots: svc_roots });
            }
        }
        p.running = services.iter().map(|s| s.env.name.clone()).collect();
        out.push(services);
    }
    for (path, keys) in updated {
        let old = state.compose.insert(path, keys);
        crate::util::drop_later(old);
    }
    Some(out)
}

/// What decides what a service runs, without positions: its name and `extends`, how its
/// image is built (which Dockerfile, which stage), its command, and where
/// `DJANGO_SETTINGS_MODULE` may come from (`environment`, `env_file`), with the keys it resets.
fn run_key(s: &ComposeService) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.name.hash(&mut h);
    s.extends.as_ref().map(|e| (&e.service.text, e.file.as_ref().map(|f| &f.text))).hash(&mut h);
    s.build
        .as_ref()
        .map(|b| {
            (
                b.context.as_ref().map(|c| &c.text),
                b.dockerfile.as_ref().map(|c| &c.text),
                b.target.as_ref().map(|c| &c.text),
                b.dockerfile_inline,
            )
        })
        .hash(&mut h);
    for c in [&s.command, &s.entrypoint] {
        match c {
            None => 0u8.hash(&mut h),
            Some(crate::compose::model::Command::Shell(t)) => (1u8, &t.text).hash(&mut h),
            Some(crate::compose::model::Command::Exec { args, .. }) => {
                2u8.hash(&mut h);
                for a in args {
                    a.text.hash(&mut h);
                }
            }
        }
    }
    for kv in s.environment.iter().filter(|kv| kv.key == "DJANGO_SETTINGS_MODULE") {
        kv.value.as_ref().map(|v| &v.text).hash(&mut h);
    }
    for ef in &s.env_file {
        (&ef.path.text, ef.required).hash(&mut h);
    }
    (&s.resets, &s.overrides).hash(&mut h);
    h.finish()
}

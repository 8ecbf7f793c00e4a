//! The environment graph of a whole snapshot: every service with what it runs, every place a
//! variable is set and every place one is read. Cached per snapshot, so that hovers,
//! completions and the per-file diagnostics of one keystroke share one computation, and built
//! from parts cached on their own inputs, so that a keystroke redoes only what it can change:
//! the mentions of the edited document alone, and the service environments only when a compose
//! file, env file or Dockerfile changed (what each service runs is redone for Python edits).

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex, OnceLock, Weak};

use super::graph::{ServiceEnv, service_env};
use super::settings::Runs;
use crate::compose::project::{merged_services, project_of};
use crate::diagnostics::{Diagnostic, Location};
use crate::dockerfile::model::VarKind;
use crate::python::{EnvRead, ReadKind, SetKind};
use crate::util::lock;
use crate::workspace::{Document, FileKind, Snapshot};

/// A service and the code it runs (None: berth cannot tell).
#[derive(Clone, Debug)]
pub struct Service {
    /// Shared between graphs while no compose, env or Docker file changes.
    pub env: Arc<ServiceEnv>,
    pub runs: Option<Runs>,
    /// Where its modules are imported from, most specific first.
    pub roots: Vec<PathBuf>,
}

/// The services of one compose project.
#[derive(Clone, Debug)]
pub struct Project {
    pub files: Vec<Arc<Path>>,
    /// Indices into [`Graph::services`].
    pub services: Vec<usize>,
}

/// What happens to a variable at a [`Site`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum What {
    /// A service's `environment` entry (value None: taken from the shell or the project `.env`).
    ComposeEnv { service: String },
    /// An entry of a `.env` file.
    Dotenv,
    /// `ENV` in a Dockerfile.
    DockerfileEnv,
    /// `os.environ.setdefault(…)` (`default`) or `os.environ[…] = …`.
    PythonSet { default: bool },
    /// An environment read in Python.
    PythonRead(Box<EnvRead>),
    /// `${VAR}` in a compose file, filled in from the shell or the project `.env`.
    ComposeInterpolation { has_default: bool },
    /// `${VAR}` inside a `.env` value.
    DotenvReference,
    /// `$VAR` in a Dockerfile, referring to an `ENV`.
    DockerfileReference,
}

/// One mention of a variable name.
#[derive(Clone, Debug)]
pub struct Site {
    pub name: String,
    /// The name as written (no quotes).
    pub location: Location,
    /// The literal value set here, when there is one.
    pub value: Option<String>,
    pub value_range: Option<Range<usize>>,
    pub what: What,
}

impl Site {
    pub fn sets(&self) -> bool {
        matches!(
            self.what,
            What::ComposeEnv { .. } | What::Dotenv | What::DockerfileEnv | What::PythonSet { .. }
        )
    }
}

/// The environment graph of one snapshot. Its parts are built on first use: the diagnostics
/// of a keystroke need the services but not every mention of every variable, and without any
/// Python code in sight they need neither.
pub struct Graph {
    snap: Snapshot,
    /// Take each document's mentions and the service environments from their caches.
    cached: bool,
    roots: OnceLock<Vec<PathBuf>>,
    services: OnceLock<(Vec<Service>, Vec<Project>)>,
    sites: OnceLock<Vec<Site>>,
    /// Each project's service-based diagnostics, computed on first use.
    pub(crate) project_diagnostics: OnceLock<Vec<Vec<Diagnostic>>>,
    /// The services that run code, without building the others when it can be helped.
    running: OnceLock<super::running::Running>,
    by_file: OnceLock<HashMap<Arc<Path>, Vec<usize>>>,
}

impl Graph {
    /// A graph of `snap` that shares nothing with any cache: what the cached one must equal.
    pub fn fresh(snap: &Snapshot) -> Graph {
        Graph::new(snap, false)
    }

    fn new(snap: &Snapshot, cached: bool) -> Graph {
        Graph {
            snap: snap.clone(),
            cached,
            roots: OnceLock::new(),
            services: OnceLock::new(),
            sites: OnceLock::new(),
            project_diagnostics: OnceLock::new(),
            running: OnceLock::new(),
            by_file: OnceLock::new(),
        }
    }

    pub(crate) fn snapshot(&self) -> &Snapshot {
        &self.snap
    }

    /// Whether [`Graph::services`] is built already.
    pub(crate) fn services_built(&self) -> bool {
        self.services.get().is_some()
    }

    /// The services defined in `file` or building it (a compose file or a Dockerfile), by
    /// index into [`Graph::services`]. Indexed once per graph: `berth check` asks for every
    /// file, and a scan of every service each time was quadratic in a large monorepo.
    pub fn services_of_file(&self, file: &Path) -> &[usize] {
        let index = self.by_file.get_or_init(|| {
            let mut ix: HashMap<Arc<Path>, Vec<usize>> = HashMap::new();
            for (i, s) in self.services().iter().enumerate() {
                ix.entry(s.env.location.path.clone()).or_default().push(i);
                if let Some(d) = &s.env.dockerfile
                    && d.path != s.env.location.path
                {
                    ix.entry(d.path.clone()).or_default().push(i);
                }
            }
            ix
        });
        index.get(file).map_or(&[], Vec::as_slice)
    }

    /// The services of each project (as [`Graph::projects`] orders them) whose code berth
    /// can follow, in project order: all a Python file's diagnostics need. A cached graph
    /// takes them from the last snapshot's where a compose edit cannot have changed them.
    pub(crate) fn running(&self) -> &super::running::Running {
        self.running.get_or_init(|| match self.cached {
            true => super::running::running(self),
            false => self
                .projects()
                .iter()
                .map(|p| {
                    let svcs = p.services.iter().map(|&i| &self.services()[i]);
                    svcs.filter(|s| s.runs.is_some()).cloned().collect()
                })
                .collect(),
        })
    }

    /// [`crate::python::candidate_roots`] of the snapshot.
    pub fn roots(&self) -> &[PathBuf] {
        self.roots.get_or_init(|| crate::python::candidate_roots(&self.snap))
    }

    /// Every service of every compose project, each once.
    pub fn services(&self) -> &[Service] {
        &self.services_and_projects().0
    }

    pub fn projects(&self) -> &[Project] {
        &self.services_and_projects().1
    }

    fn services_and_projects(&self) -> &(Vec<Service>, Vec<Project>) {
        self.services.get_or_init(|| build_services(&self.snap, self.roots(), self.cached))
    }

    /// Every mention of every variable, sets and reads, in file then source order.
    pub fn sites(&self) -> &[Site] {
        self.sites.get_or_init(|| {
            let mut docs: Vec<&Arc<Document>> = self.snap.documents().collect();
            docs.sort_by(|a, b| a.path.cmp(&b.path));
            let per_doc: Vec<Arc<[Site]>> = docs.into_iter().map(|d| self.sites_in(d)).collect();
            let mut sites = Vec::with_capacity(per_doc.iter().map(|s| s.len()).sum());
            for s in &per_doc {
                sites.extend(s.iter().cloned());
            }
            if self.cached {
                forget_closed_documents();
            }
            sites
        })
    }

    /// The mentions in one document of the snapshot, without assembling [`Graph::sites`].
    pub fn sites_in(&self, doc: &Arc<Document>) -> Arc<[Site]> {
        match self.cached {
            true => doc_sites(doc),
            false => sites_of_doc(doc).into(),
        }
    }

    pub fn sites_of<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Site> + 'a {
        self.sites().iter().filter(move |s| site_matches(s, name))
    }

    pub fn project_of(&self, path: &Path) -> Option<&Project> {
        self.projects().iter().find(|p| p.files.iter().any(|f| **f == *path))
    }

    /// The services whose code includes `file`.
    pub fn services_running<'a>(&'a self, file: &'a Path) -> impl Iterator<Item = &'a Service> {
        self.services()
            .iter()
            .filter(move |s| s.runs.as_ref().is_some_and(|r| r.files.iter().any(|f| **f == *file)))
    }
}

/// Does the site mention `name`? Case-insensitive reads (pydantic) match either case; prefix
/// reads (`FLASK_*`) match the names they cover.
fn site_matches(s: &Site, name: &str) -> bool {
    match &s.what {
        What::PythonRead(r) if r.kind == ReadKind::Prefix => name.starts_with(&s.name),
        What::PythonRead(r) if !r.case_sensitive => s.name.eq_ignore_ascii_case(name),
        _ => s.name == name,
    }
}

struct Cached {
    key: u64,
    graph: Arc<Graph>,
    config: Arc<crate::config::Config>,
}

static CACHE: Mutex<Option<Cached>> = Mutex::new(None);

/// Let go of the cached graph and service environments when they were made from other
/// documents than `snap` holds, before any model of `snap` is built: the graph holds its
/// snapshot, and both hold the services of the compose models they read, so the previous
/// model of an edited file could not be taken over and would be copied. That holds whichever
/// file is analysed first: a settings module's cross-file diagnostics build the edited compose
/// file's model too. O(1) when nothing is stale (see [`Snapshot::identity`]).
pub fn release_stale(snap: &Snapshot) {
    let stale = {
        let mut guard = lock(&CACHE);
        if guard.as_ref().is_some_and(|c| c.key != fingerprint(snap)) { guard.take() } else { None }
    };
    if let Some(cached) = stale {
        match Arc::try_unwrap(cached.graph) {
            Ok(mut g) => {
                // The snapshot goes now (the documents it alone held, with it), and so do the
                // services' shares of the compose services; the rest of the graph, which can
                // be large, off the keystroke path.
                drop(std::mem::replace(&mut g.snap, Snapshot::new(Vec::new())));
                let mut garbage = Vec::new();
                let services = g.services.take().map(|(s, _)| s).into_iter().flatten();
                let running = g.running.take().into_iter().flatten().flatten();
                for s in services.chain(running) {
                    release_env(s.env, &mut garbage);
                }
                crate::util::drop_later((g, garbage));
            }
            Err(shared) => crate::util::drop_later(shared),
        }
    }
    release_stale_envs(snap);
}

/// Let go of the cached service environments when they were made from other documents than
/// `snap`'s (Python files aside, which they never read).
fn release_stale_envs(snap: &Snapshot) {
    let stale = {
        let mut guard = lock(&ENVS);
        if guard.as_ref().is_some_and(|c| c.key != envs_key(snap)) { guard.take() } else { None }
    };
    let Some(old) = stale else { return };
    match Arc::try_unwrap(old.envs) {
        Ok(envs) => {
            let mut garbage = Vec::new();
            for s in envs.services {
                release_env(s, &mut garbage);
            }
            crate::util::drop_later((garbage, envs.projects, old.docs));
        }
        Err(shared) => crate::util::drop_later((shared, old.docs)),
    }
}

/// Drop a share of a service environment; when it is the last, let go of the compose services
/// it holds now and keep the rest in `garbage` (to be freed off the keystroke path).
fn release_env(env: Arc<ServiceEnv>, garbage: &mut Vec<ServiceEnv>) {
    if let Ok(mut env) = Arc::try_unwrap(env) {
        env.service.definitions.clear();
        garbage.push(env);
    }
}

/// The graph of `snap`, cached: a second call on the same documents is a hash and a compare.
pub fn graph(snap: &Snapshot) -> Arc<Graph> {
    let key = fingerprint(snap);
    let mut guard = lock(&CACHE);
    if let Some(c) = guard.as_ref()
        && c.key == key
        // Settings paths and rule levels live in the configuration.
        && Arc::ptr_eq(&c.config, &snap.config)
    {
        return c.graph.clone();
    }
    // The graph holds its snapshot, so the documents (whose addresses are the fingerprint)
    // cannot be reused by other documents while the entry exists.
    let g = Arc::new(Graph::new(snap, true));
    let old = guard.replace(Cached { key, graph: g.clone(), config: snap.config.clone() });
    drop(guard);
    // The old graph may hold the last reference to the previous version of a large file and
    // its model: free them off the keystroke path.
    if let Some(old) = old {
        crate::util::drop_later(old.graph);
    }
    g
}

/// Which documents `snap` holds, and its workspace roots: a new version of any file is a new
/// `Arc`, so any edit changes it.
fn fingerprint(snap: &Snapshot) -> u64 {
    snap.identity(|_| true)
}

fn build_services(
    snap: &Snapshot,
    roots: &[PathBuf],
    cached: bool,
) -> (Vec<Service>, Vec<Project>) {
    let envs = if cached { service_envs(snap) } else { Arc::new(build_service_envs(snap)) };
    let services = envs
        .services
        .iter()
        .map(|env| {
            let svc_roots = super::settings::module_roots(env, roots);
            let runs = super::settings::runs_from(snap, env, &svc_roots);
            Service { env: env.clone(), runs, roots: svc_roots }
        })
        .collect();
    (services, envs.projects.clone())
}

/// Every service's environment and the projects: what compose files, env files and
/// Dockerfiles say, independent of the Python code (which only decides what each one runs).
struct ServiceEnvs {
    services: Vec<Arc<ServiceEnv>>,
    projects: Vec<Project>,
}

fn build_service_envs(snap: &Snapshot) -> ServiceEnvs {
    let mut services = Vec::new();
    let mut projects: Vec<Project> = Vec::new();
    let mut compose: Vec<&Arc<Document>> = snap.of_kind(FileKind::Compose).collect();
    compose.sort_by(|a, b| a.path.cmp(&b.path));
    for doc in &compose {
        let project = project_of(snap, &doc.path);
        if projects.iter().any(|p| p.files == project.files) {
            continue;
        }
        let mut indices = Vec::new();
        for svc in merged_services(snap, &project) {
            indices.push(services.len());
            services.push(Arc::new(service_env(snap, svc)));
        }
        projects.push(Project { files: project.files.clone(), services: indices });
    }
    ServiceEnvs { services, projects }
}

/// [`build_service_envs`], cached: a keystroke in a settings module reuses them, and only
/// what each service runs is worked out again. The key is the identity of every document that
/// is not Python (service environments never read Python files) and the configuration
/// (`compose-files`); the entry holds those documents weakly, so their addresses stay unique.
struct CachedEnvs {
    key: u64,
    config: Arc<crate::config::Config>,
    docs: Vec<Weak<Document>>,
    envs: Arc<ServiceEnvs>,
}

static ENVS: Mutex<Option<CachedEnvs>> = Mutex::new(None);

fn envs_key(snap: &Snapshot) -> u64 {
    snap.identity(|k| k != FileKind::Python)
}

fn service_envs(snap: &Snapshot) -> Arc<ServiceEnvs> {
    use CachedEnvs as Cached;
    static CACHE: &Mutex<Option<CachedEnvs>> = &ENVS;
    let inputs = || snap.documents().filter(|d| d.kind != FileKind::Python);
    let key = envs_key(snap);
    if let Some(c) = lock(CACHE).as_ref()
        && c.key == key
        && Arc::ptr_eq(&c.config, &snap.config)
    {
        return c.envs.clone();
    }
    let envs = Arc::new(build_service_envs(snap));
    let docs = inputs().map(Arc::downgrade).collect();
    let entry = Cached { key, config: snap.config.clone(), docs, envs: envs.clone() };
    let old = lock(CACHE).replace(entry);
    if let Some(old) = old {
        crate::util::drop_later((old.envs, old.docs));
    }
    envs
}

/// The variable mentions in one version of a document, cached per version: after an edit
/// only the edited document is read again. Keyed by the document's address, held weakly so
/// the cache keeps no text alive and the address cannot be reused while the entry exists.
fn doc_sites(doc: &Arc<Document>) -> Arc<[Site]> {
    if let Some((w, sites)) = lock(&SITES).get(&doc.path)
        && std::ptr::eq(w.as_ptr(), Arc::as_ptr(doc))
    {
        return sites.clone();
    }
    let sites: Arc<[Site]> = sites_of_doc(doc).into();
    let old = lock(&SITES).insert(doc.path.clone(), (Arc::downgrade(doc), sites.clone()));
    if let Some((_, old)) = old {
        crate::util::drop_later(old);
    }
    sites
}

type SiteCache = HashMap<Arc<Path>, (Weak<Document>, Arc<[Site]>)>;
static SITES: LazyLock<Mutex<SiteCache>> = LazyLock::new(Default::default);

/// Drop the cached sites of documents no snapshot holds any more.
fn forget_closed_documents() {
    lock(&SITES).retain(|_, (w, _)| w.strong_count() > 0);
}

/// The mentions in `doc`, uncached. A read being typed (`os.getenv("")`) names nothing yet.
fn sites_of_doc(doc: &Document) -> Vec<Site> {
    let mut out = Vec::new();
    sites_in(doc, None, &mut out);
    out.retain(|s| !s.name.is_empty());
    out
}

fn loc(doc: &Document, range: Range<usize>) -> Location {
    Location { path: doc.path.clone(), range }
}

/// The places in `doc` that set `name` (what [`Site::sets`] holds for), without reading the
/// rest: the settings-module check needs one name on every keystroke.
pub(crate) fn sets_named(doc: &Document, name: &str) -> Vec<Site> {
    let mut out = Vec::new();
    sites_in(doc, Some(name), &mut out);
    out
}

/// The mentions in `doc`; with `only_sets_of`, just the places that set that name.
fn sites_in(doc: &Document, only_sets_of: Option<&str>, out: &mut Vec<Site>) {
    let skip = |name: &str| only_sets_of.is_some_and(|n| n != name);
    let reads = only_sets_of.is_none();
    match doc.kind {
        FileKind::Compose => {
            let m = crate::compose::model(doc);
            for s in &m.services {
                for kv in s.environment.iter().filter(|kv| !skip(&kv.key)) {
                    out.push(Site {
                        name: kv.key.clone(),
                        location: loc(doc, kv.key_range.clone()),
                        value: kv.value.as_ref().map(|v| v.text.clone()),
                        value_range: kv.value.as_ref().map(|v| v.range.clone()),
                        what: What::ComposeEnv { service: s.name.clone() },
                    });
                }
            }
            for v in m.interpolation.vars.iter().filter(|_| reads) {
                out.push(Site {
                    name: v.name.clone(),
                    location: loc(doc, v.name_range.clone()),
                    value: None,
                    value_range: None,
                    what: What::ComposeInterpolation {
                        has_default: matches!(
                            v.op,
                            crate::compose::interpolate::Op::Default { .. }
                        ),
                    },
                });
            }
        }
        FileKind::Dotenv => {
            let m = crate::dotenv::model(doc);
            for e in &m.entries {
                if skip(&e.key) {
                    continue;
                }
                out.push(Site {
                    name: e.key.clone(),
                    location: loc(doc, e.key_range.clone()),
                    value: Some(e.value.clone()),
                    value_range: Some(e.value_range.clone()),
                    what: What::Dotenv,
                });
                for r in e.references.iter().filter(|_| reads) {
                    out.push(Site {
                        name: r.name.clone(),
                        location: loc(doc, r.name_range.clone()),
                        value: None,
                        value_range: None,
                        what: What::DotenvReference,
                    });
                }
            }
        }
        FileKind::Dockerfile => {
            let m = crate::dockerfile::model(doc);
            let env_decls = m.stage_decls.iter().flatten().filter(|d| d.kind == VarKind::Env);
            for d in env_decls.filter(|d| !skip(&d.name)) {
                let Some(r) = &d.range else { continue };
                let value_range = d.instruction.and_then(|i| {
                    m.instructions[i].pairs.iter().find(|p| p.key_range == *r)?.value_range.clone()
                });
                out.push(Site {
                    name: d.name.clone(),
                    location: loc(doc, r.clone()),
                    value: d.value.clone(),
                    value_range,
                    what: What::DockerfileEnv,
                });
            }
            for r in m.refs.iter().filter(|_| reads) {
                if m.decl_of_ref(r).is_some_and(|d| d.kind == VarKind::Env) {
                    out.push(Site {
                        name: r.name.clone(),
                        location: loc(doc, r.name_range.clone()),
                        value: None,
                        value_range: None,
                        what: What::DockerfileReference,
                    });
                }
            }
        }
        FileKind::Python => {
            let m = crate::python::model(doc);
            for s in &m.sets {
                let Some(name) = s.name.as_literal().filter(|n| !skip(n)) else { continue };
                let value = s.value.as_ref().and_then(|v| match &v.value {
                    crate::python::DefaultValue::Str(s) => Some(s.clone()),
                    _ => None,
                });
                out.push(Site {
                    name: name.to_string(),
                    location: loc(doc, s.name_range.clone()),
                    value,
                    value_range: s.value.as_ref().map(|v| v.range.clone()),
                    what: What::PythonSet { default: s.kind == SetKind::Default },
                });
            }
            for r in m.reads.iter().filter(|_| reads) {
                let Some(name) = r.name.as_literal() else { continue };
                out.push(Site {
                    name: name.to_string(),
                    location: loc(doc, r.name_range.clone()),
                    value: None,
                    value_range: None,
                    what: What::PythonRead(Box::new(r.clone())),
                });
            }
        }
    }
}

/// The variable mention under the cursor in `doc` (end inclusive, for a cursor right after
/// the name).
pub fn site_at<'g>(g: &'g Graph, doc: &Document, offset: usize) -> Option<&'g Site> {
    g.sites().iter().find(|s| {
        *s.location.path == *doc.path
            && s.location.range.start <= offset
            && offset <= s.location.range.end
            && !s.location.range.is_empty()
    })
}

/// A Dockerfile `ARG` name the environment graph knows elsewhere (`ARG X` + `ENV X=$X`, or
/// read by the code): its hover is the variable's.
pub fn arg_at(g: &Graph, doc: &Document, offset: usize) -> Option<(String, Range<usize>)> {
    if doc.kind != FileKind::Dockerfile {
        return None;
    }
    let m = crate::dockerfile::model(doc);
    let d = m
        .global_args
        .iter()
        .chain(m.stage_decls.iter().flatten())
        .filter(|d| d.kind == VarKind::Arg)
        .find(|d| d.range.as_ref().is_some_and(|r| r.start <= offset && offset <= r.end))?;
    g.sites_of(&d.name).next()?;
    Some((d.name.clone(), d.range.clone()?))
}

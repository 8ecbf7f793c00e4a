//! The typed view of one compose file: services and their keys, top-level declarations,
//! every reference between them, every file path, every interpolation — each with its range.

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use super::interpolate::{self, Interpolations, SyntaxError, Var};
use crate::workspace::Document;
use crate::workspace::document::TextChange;
pub(crate) use crate::yaml::Move;
use crate::yaml::{self, Entry, Node, Value, Window, Yaml};

/// A string value and where it is written (the content, inside quotes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Str {
    pub text: String,
    pub range: Range<usize>,
}

impl Str {
    fn of(node: &Node) -> Option<Str> {
        node.as_str().map(|t| Str { text: t.to_string(), range: node.content_range() })
    }

    fn key(e: &Entry) -> Str {
        Str { text: e.key.clone(), range: e.key_content.clone() }
    }
}

/// `KEY=VALUE` from a list item or `KEY: VALUE` from a map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyValue {
    pub key: String,
    pub key_range: Range<usize>,
    /// None for `- KEY` and `KEY:` (taken from the shell environment).
    pub value: Option<Str>,
    /// The whole entry (list item or map entry).
    pub range: Range<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Build {
    pub range: Range<usize>,
    pub context: Option<Str>,
    pub dockerfile: Option<Str>,
    pub dockerfile_inline: bool,
    pub target: Option<Str>,
    pub args: Vec<KeyValue>,
    /// The range of the `args` value, where new args go.
    pub args_range: Option<Range<usize>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Shell(Str),
    Exec { range: Range<usize>, args: Vec<Str> },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvFile {
    pub path: Str,
    pub required: bool,
    pub format: Option<Str>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dependency {
    pub service: Str,
    pub condition: Option<Str>,
    pub required: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PortRange {
    pub start: u16,
    pub end: u16,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Port {
    pub range: Range<usize>,
    pub host_ip: Option<String>,
    pub published: Option<PortRange>,
    pub target: Option<PortRange>,
    pub protocol: String,
    /// Written with `${…}`: the numbers are only known at run time.
    pub interpolated: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MountKind {
    Volume,
    Bind,
    Tmpfs,
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mount {
    pub range: Range<usize>,
    pub kind: MountKind,
    /// A named volume or a host path (range: just that part).
    pub source: Option<Str>,
    pub target: Option<Str>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extends {
    pub service: Str,
    pub file: Option<Str>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Service {
    pub name: String,
    pub name_range: Range<usize>,
    /// The service's value.
    pub range: Range<usize>,
    /// The `name: …` entry, key to end of value.
    pub entry_range: Range<usize>,
    pub image: Option<Str>,
    pub build: Option<Build>,
    pub command: Option<Command>,
    pub entrypoint: Option<Command>,
    pub environment: Vec<KeyValue>,
    pub env_file: Vec<EnvFile>,
    pub depends_on: Vec<Dependency>,
    pub ports: Vec<Port>,
    pub volumes: Vec<Mount>,
    pub networks: Vec<Str>,
    pub network_mode: Option<Str>,
    pub links: Vec<Str>,
    pub volumes_from: Vec<Str>,
    pub extends: Option<Extends>,
    pub profiles: Vec<Str>,
    pub secrets: Vec<Str>,
    pub configs: Vec<Str>,
    pub container_name: Option<Str>,
    pub restart: Option<Str>,
    pub has_healthcheck: bool,
    /// Every key of the service map (for symbols and merging), in order.
    pub keys: Vec<Str>,
    /// Keys tagged `!reset` (drop what earlier files set) or `!override` (replace, not merge).
    pub resets: Vec<String>,
    pub overrides: Vec<String>,
}

/// A top-level network, volume, secret or config.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decl {
    pub name: String,
    pub name_range: Range<usize>,
    pub range: Range<usize>,
    pub external: bool,
    pub file: Option<Str>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Include {
    pub paths: Vec<Str>,
    pub project_directory: Option<Str>,
    pub env_files: Vec<Str>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub key_range: Range<usize>,
    pub value: Option<Str>,
}

#[derive(Debug, Default)]
pub struct ComposeModel {
    pub yaml: Yaml,
    pub version: Option<Version>,
    pub name: Option<Str>,
    /// `Arc`ed so merged project views share them instead of deep-copying every service.
    pub services: Vec<Arc<Service>>,
    /// The `services:` key, where new services would go.
    pub services_key: Option<Range<usize>>,
    pub networks: Vec<Decl>,
    pub volumes: Vec<Decl>,
    pub secrets: Vec<Decl>,
    pub configs: Vec<Decl>,
    /// Top-level section keys by name (`networks`, …) for declaring new entries.
    pub sections: Vec<(String, Range<usize>, Range<usize>)>,
    pub includes: Vec<Include>,
    /// Top-level `x-…` keys.
    pub extensions: Vec<Str>,
    /// Every `$` reference in values written in this file.
    pub interpolation: Interpolations,
    /// The schema check's findings (a cache, not content).
    pub(crate) schema_findings: FindingsCache,
    /// The project's merged services, when this is the project's first file (a cache, see
    /// [`crate::compose::project::merged_services_shared`]).
    pub(crate) merged: std::sync::Mutex<Option<MergedCache>>,
    /// Unique per build: tells the versions apart in [`MergedCache`] keys.
    pub(crate) id: u64,
}

/// The project's files and the models (versions) a merge was made from, and its result.
pub(crate) type MergedCache =
    (Vec<(Arc<std::path::Path>, u64)>, Arc<Vec<super::project::MergedService>>);

/// A check's findings for one version, made on first use, and the previous version's, when it
/// had them: entries carried over from it (see [`Yaml::reused`]) keep their findings, moved.
#[derive(Default)]
pub struct FindingsCache {
    pub(crate) current: OnceLock<Arc<Findings>>,
    pub(crate) prev: Option<Arc<Findings>>,
}

impl std::fmt::Debug for FindingsCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FindingsCache")
    }
}

/// A file-local check's findings, and which of them lie inside each top-level section and
/// each entry of a section, so that a later version can take over the findings of the entries
/// it reuses.
#[derive(Debug, Default)]
pub struct Findings {
    pub all: Vec<crate::diagnostics::Diagnostic>,
    /// By the entry's key start: the key of the section it belongs to (empty for top-level
    /// entries) and its findings, a range of `all`.
    pub by_entry: crate::util::FastMap<usize, (Arc<str>, Range<usize>)>,
}

impl ComposeModel {
    pub fn service(&self, name: &str) -> Option<&Arc<Service>> {
        self.services.iter().find(|s| s.name == name)
    }

    pub fn decls(&self, kind: DeclKind) -> &[Decl] {
        match kind {
            DeclKind::Network => &self.networks,
            DeclKind::Volume => &self.volumes,
            DeclKind::Secret => &self.secrets,
            DeclKind::Config => &self.configs,
        }
    }

    /// The top-level section (`networks:` …): key range and value range.
    pub fn section(&self, name: &str) -> Option<(&Range<usize>, &Range<usize>)> {
        self.sections.iter().find(|s| s.0 == name).map(|s| (&s.1, &s.2))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DeclKind {
    Network,
    Volume,
    Secret,
    Config,
}

impl DeclKind {
    pub const ALL: [DeclKind; 4] =
        [DeclKind::Network, DeclKind::Volume, DeclKind::Secret, DeclKind::Config];

    pub fn section(self) -> &'static str {
        match self {
            DeclKind::Network => "networks",
            DeclKind::Volume => "volumes",
            DeclKind::Secret => "secrets",
            DeclKind::Config => "configs",
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            DeclKind::Network => "network",
            DeclKind::Volume => "volume",
            DeclKind::Secret => "secret",
            DeclKind::Config => "config",
        }
    }
}

/// The model of this version, built from the previous version's where the edits since left
/// parts of it alone.
pub fn model(doc: &Document) -> Arc<ComposeModel> {
    doc.model_taking_prev(|doc, prev| {
        let prev = prev.map(|(m, changes)| {
            // Handed over unshared (the usual case while typing), its parts are moved into
            // the new model; otherwise they are copied.
            let m = Arc::try_unwrap(m).map_or_else(Prev::Shared, |m| Prev::Owned(Box::new(m)));
            (m, changes)
        });
        build_taking(doc, prev)
    })
}

pub fn build(doc: &Document) -> ComposeModel {
    build_from(doc, None)
}

/// An earlier version's model: owned (its parts can be moved) or shared (they are copied).
enum Prev<'a> {
    Owned(Box<ComposeModel>),
    Shared(Arc<ComposeModel>),
    Borrowed(&'a ComposeModel),
}

impl std::ops::Deref for Prev<'_> {
    type Target = ComposeModel;
    fn deref(&self) -> &ComposeModel {
        match self {
            Prev::Owned(m) => m,
            Prev::Shared(m) => m,
            Prev::Borrowed(m) => m,
        }
    }
}

/// Build the model of `doc`, reusing the parts of `prev` (an earlier version's model, and the
/// changes since) outside the changed region: whole top-level sections and services.
pub fn build_from(doc: &Document, prev: Option<(&ComposeModel, &[TextChange])>) -> ComposeModel {
    build_taking(doc, prev.map(|(m, changes)| (Prev::Borrowed(m), changes)))
}

fn build_taking(doc: &Document, prev: Option<(Prev, &[TextChange])>) -> ComposeModel {
    let prev = prev.and_then(|(m, changes)| Some((m, Window::of(changes)?)));
    let mut old_merged = None;
    let (mut old_yaml, old_services, prev) = match prev {
        Some((Prev::Owned(mut m), w)) => {
            // The merge cache shares the services; once it lets go, they can be moved.
            old_merged = super::project::take_single_file_merge(&mut m, &doc.path);
            let services = std::mem::take(&mut m.services);
            (Some((std::mem::take(&mut m.yaml), w)), services, Some(Prev::Owned(m)))
        }
        Some((m, w)) => (Some((m.yaml.clone(), w)), m.services.clone(), Some(m)),
        None => (None, Vec::new(), None),
    };
    let mut old_services: Vec<OldService> =
        old_services.into_iter().map(|s| OldService { moved: 0, s }).collect();
    // An edit inside one service needs no syntax tree of the whole file (see `yaml::splice`).
    // Meanwhile, on another core, the services after the edit (and their merged forms) move
    // by its length, as they will when they are matched: near the top of a long file, moving
    // them costs as much as moving the value tree.
    let ahead = old_yaml.as_ref().map(|(_, w)| Move::new(w.old_hi, w.delta()));
    let ahead = ahead.filter(|a| {
        let after = old_services.len() - old_services.partition_point(|o| o.start() < a.from);
        a.delta != 0 && after >= MOVE_AHEAD_MIN
    });
    let spliced = match ahead {
        Some(a) => {
            let move_ahead = || {
                move_ahead(&mut old_services, a);
                if let Some(merged) = &mut old_merged {
                    merged.move_ahead(a);
                }
            };
            rayon::join(|| yaml::splice(&doc.text, &mut old_yaml), move_ahead).0
        }
        None => yaml::splice(&doc.text, &mut old_yaml),
    };
    let yaml = match spliced {
        Some(yaml) => yaml,
        None => {
            let Some(tree) = doc.tree() else {
                if let Some(Prev::Owned(m)) = prev {
                    crate::util::drop_later(m);
                }
                crate::util::drop_later((old_yaml, old_services));
                return ComposeModel::default();
            };
            yaml::parse_incremental(&doc.text, tree, old_yaml)
        }
    };
    let mut m = from_yaml_reusing(yaml, &doc.text, prev.as_deref(), old_services);
    m.schema_findings.prev = prev.as_ref().and_then(|p| p.schema_findings.current.get().cloned());
    if let Some(old) = old_merged {
        super::project::carry_single_file_merge(&mut m, &doc.path, old);
    }
    if let Some(Prev::Owned(p)) = prev {
        // What was not moved over can be large; free it off the latency path.
        crate::util::drop_later(p);
    }
    m
}

pub fn from_yaml(yaml: Yaml, text: &str) -> ComposeModel {
    from_yaml_reusing(yaml, text, None, Vec::new())
}

/// [`from_yaml`], taking services and interpolations over from `prev` where `yaml` reused the
/// entries they were read from (see [`Yaml::reused`]).
fn from_yaml_reusing(
    yaml: Yaml,
    text: &str,
    prev: Option<&ComposeModel>,
    mut old_services: Vec<OldService>,
) -> ComposeModel {
    static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let mut m = ComposeModel {
        id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        ..ComposeModel::default()
    };
    if let Some(root) = &yaml.root {
        for e in root.entries() {
            let v = &e.value;
            m.sections.push((e.key.clone(), e.key_range.clone(), v.range.clone()));
            match e.key.as_str() {
                "version" => {
                    m.version = Some(Version { key_range: e.key_range.clone(), value: Str::of(v) })
                }
                "name" => m.name = Str::of(v),
                "services" => {
                    m.services_key = Some(e.key_range.clone());
                    m.services = services(&yaml, v, std::mem::take(&mut old_services));
                }
                "networks" => m.networks = decls(v),
                "volumes" => m.volumes = decls(v),
                "secrets" => m.secrets = decls(v),
                "configs" => m.configs = decls(v),
                "include" => m.includes = v.items().iter().filter_map(include).collect(),
                k if k.starts_with("x-") => m.extensions.push(Str::key(e)),
                _ => {}
            }
        }
        let old = prev
            .map(|p| &p.interpolation)
            .filter(|i| i.vars.is_sorted_by_key(|v| v.range.start))
            .filter(|i| i.errors.is_sorted_by_key(|e| e.range.start));
        let mut all = Interpolations::default();
        interpolations(root, 0, text, old.map(|o| (o, &yaml)), &mut all);
        m.interpolation = all;
    }
    m.yaml = yaml;
    m
}

/// Services after the edit are moved ahead of their match (see [`build_taking`]) only when
/// there are this many: fewer cost less than waking another core. Tests move a few, so that
/// both ways are exercised.
const MOVE_AHEAD_MIN: usize = if cfg!(test) { 2 } else { 96 };

/// A service of the previous version, and how far it was already moved.
struct OldService {
    moved: isize,
    s: Arc<Service>,
}

impl OldService {
    /// Where its entry started in the previous version.
    fn start(&self) -> usize {
        self.s.entry_range.start.wrapping_add_signed(-self.moved)
    }
}

/// Move the services at or after `ahead.from` (in the old text) by its delta: those after the
/// changes, which their match would move by as much. Copied first when someone else holds one.
fn move_ahead(old: &mut [OldService], ahead: Move) {
    let first = old.partition_point(|o| o.start() < ahead.from);
    for o in &mut old[first..] {
        Arc::make_mut(&mut o.s).shift(ahead);
        o.moved = ahead.delta;
    }
}

/// The services of the `services` map `v`. An entry the YAML build carried over keeps its old
/// service: shared when unmoved; when moved, shifted in place if no one else holds it (a
/// service is a function of its entry alone), else read again from the moved value.
fn services(yaml: &Yaml, v: &Node, old: Vec<OldService>) -> Vec<Arc<Service>> {
    let mut old: crate::util::FastMap<usize, OldService> =
        old.into_iter().map(|o| (o.start(), o)).collect();
    v.entries()
        .iter()
        .map(|e| {
            let start = e.key_range.start;
            let moved = yaml.reused(start).filter(|_| e.merged_from.is_none());
            let taken = moved.and_then(|by| {
                let o = old.remove(&start.wrapping_add_signed(-by.delta))?;
                (o.s.name == e.key).then(|| (o.s, by.rest(o.moved)))
            });
            match taken {
                Some((s, by)) if by.delta == 0 => s,
                // Copied first when someone else still holds it (a copy costs less than
                // reading the entry again).
                Some((mut s, by)) => {
                    Arc::make_mut(&mut s).shift(by);
                    s
                }
                None => Arc::new(service(e)),
            }
        })
        .collect()
}

/// Moving what was read from an entry along with the entry (see [`services`]).
pub(crate) trait Shift {
    fn shift(&mut self, by: Move);
}

impl Shift for Range<usize> {
    fn shift(&mut self, by: Move) {
        *self = by.range(self);
    }
}

impl<T: Shift> Shift for Option<T> {
    fn shift(&mut self, by: Move) {
        if let Some(x) = self {
            x.shift(by);
        }
    }
}

impl<A, T: Shift> Shift for (A, T) {
    fn shift(&mut self, by: Move) {
        self.1.shift(by);
    }
}

impl<T: Shift> Shift for Vec<T> {
    fn shift(&mut self, by: Move) {
        self.iter_mut().for_each(|x| x.shift(by));
    }
}

impl Shift for Str {
    fn shift(&mut self, by: Move) {
        self.range.shift(by);
    }
}

impl Shift for KeyValue {
    fn shift(&mut self, by: Move) {
        self.key_range.shift(by);
        self.value.shift(by);
        self.range.shift(by);
    }
}

impl Shift for Build {
    fn shift(&mut self, by: Move) {
        let Build { range, context, dockerfile, dockerfile_inline: _, target, args, args_range } =
            self;
        range.shift(by);
        context.shift(by);
        dockerfile.shift(by);
        target.shift(by);
        args.shift(by);
        args_range.shift(by);
    }
}

impl Shift for Command {
    fn shift(&mut self, by: Move) {
        match self {
            Command::Shell(s) => s.shift(by),
            Command::Exec { range, args } => {
                range.shift(by);
                args.shift(by);
            }
        }
    }
}

impl Shift for EnvFile {
    fn shift(&mut self, by: Move) {
        self.path.shift(by);
        self.format.shift(by);
    }
}

impl Shift for Dependency {
    fn shift(&mut self, by: Move) {
        self.service.shift(by);
        self.condition.shift(by);
    }
}

impl Shift for Port {
    fn shift(&mut self, by: Move) {
        self.range.shift(by);
    }
}

impl Shift for Mount {
    fn shift(&mut self, by: Move) {
        self.range.shift(by);
        self.source.shift(by);
        self.target.shift(by);
    }
}

impl Shift for Extends {
    fn shift(&mut self, by: Move) {
        self.service.shift(by);
        self.file.shift(by);
    }
}

impl Service {
    /// Move every range by `by`. Destructured, so that a new field cannot be forgotten.
    fn shift(&mut self, by: Move) {
        let Service {
            name: _,
            name_range,
            range,
            entry_range,
            image,
            build,
            command,
            entrypoint,
            environment,
            env_file,
            depends_on,
            ports,
            volumes,
            networks,
            network_mode,
            links,
            volumes_from,
            extends,
            profiles,
            secrets,
            configs,
            container_name,
            restart,
            has_healthcheck: _,
            keys,
            resets: _,
            overrides: _,
        } = self;
        name_range.shift(by);
        range.shift(by);
        entry_range.shift(by);
        image.shift(by);
        build.shift(by);
        command.shift(by);
        entrypoint.shift(by);
        environment.shift(by);
        env_file.shift(by);
        depends_on.shift(by);
        ports.shift(by);
        volumes.shift(by);
        networks.shift(by);
        network_mode.shift(by);
        links.shift(by);
        volumes_from.shift(by);
        extends.shift(by);
        profiles.shift(by);
        secrets.shift(by);
        configs.shift(by);
        container_name.shift(by);
        restart.shift(by);
        keys.shift(by);
    }
}

fn shifted(r: &Range<usize>, delta: isize) -> Range<usize> {
    r.start.wrapping_add_signed(delta)..r.end.wrapping_add_signed(delta)
}

/// Every `$` reference in the scalars under `node` (as [`yaml::walk`] visits them), in source
/// order. Entries the YAML build carried over take their references from `old` (sorted by
/// start), moved.
fn interpolations(
    node: &Node,
    depth: usize,
    text: &str,
    old: Option<(&Interpolations, &Yaml)>,
    out: &mut Interpolations,
) {
    if node.alias.is_some() {
        return;
    }
    match &node.value {
        Value::Scalar(_) => {
            let content = node.content_range();
            let raw = text.get(content.clone()).unwrap_or("");
            if raw.contains('$') {
                let p = interpolate::parse_interpolations(raw, content.start);
                out.vars.extend(p.vars);
                out.errors.extend(p.errors);
            }
        }
        _ if depth >= yaml::MAX_DEPTH => {}
        Value::Map(m) => {
            for e in m.entries.iter().filter(|e| e.merged_from.is_none()) {
                match old.and_then(|(o, y)| Some((o, y.reused(e.key_range.start)?.delta))) {
                    // Only the entry's own text is read here (aliases and merged entries are
                    // skipped), and all of it moved by the same amount.
                    Some((o, delta)) => {
                        let end = e.value.range.end.max(e.key_range.end);
                        let from = e.key_range.start.wrapping_add_signed(-delta);
                        let to = end.wrapping_add_signed(-delta);
                        let vars = &o.vars[o.vars.partition_point(|v| v.range.start < from)
                            ..o.vars.partition_point(|v| v.range.start < to)];
                        out.vars.extend(vars.iter().map(|v| Var {
                            name: v.name.clone(),
                            name_range: shifted(&v.name_range, delta),
                            range: shifted(&v.range, delta),
                            op: v.op,
                            arg: v.arg.as_ref().map(|(a, r)| (a.clone(), shifted(r, delta))),
                            nested: v.nested,
                        }));
                        let errors = &o.errors[o.errors.partition_point(|x| x.range.start < from)
                            ..o.errors.partition_point(|x| x.range.start < to)];
                        out.errors.extend(
                            errors.iter().map(|x| SyntaxError {
                                range: shifted(&x.range, delta),
                                ..x.clone()
                            }),
                        );
                    }
                    None => interpolations(&e.value, depth + 1, text, old, out),
                }
            }
        }
        Value::Seq(s) => {
            for item in &s.items {
                interpolations(item, depth + 1, text, old, out);
            }
        }
        Value::Null => {}
    }
}

fn strs(node: &Node) -> Vec<Str> {
    match &node.value {
        Value::Seq(_) => node.items().iter().filter_map(Str::of).collect(),
        Value::Scalar(_) => Str::of(node).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// Names from a list (`[a, b]`) or a map's keys (`{a: …, b: …}`).
fn names(node: &Node) -> Vec<Str> {
    match &node.value {
        Value::Map(m) => m.entries.iter().map(Str::key).collect(),
        _ => strs(node),
    }
}

fn command(node: &Node) -> Option<Command> {
    match &node.value {
        Value::Scalar(_) => Str::of(node).map(Command::Shell),
        Value::Seq(_) => Some(Command::Exec { range: node.range.clone(), args: strs(node) }),
        _ => None,
    }
}

/// `environment`, `build.args`, `labels`…: a `K=V` list or a `K: V` map.
pub fn key_values(node: &Node) -> Vec<KeyValue> {
    match &node.value {
        Value::Map(m) => m
            .entries
            .iter()
            .map(|e| KeyValue {
                key: e.key.clone(),
                key_range: e.key_content.clone(),
                value: if e.value.is_null() {
                    None
                } else {
                    Some(Str {
                        text: e.value.as_str().unwrap_or("").to_string(),
                        range: e.value.content_range(),
                    })
                },
                range: e.key_range.start..e.value.range.end.max(e.key_range.end),
            })
            .collect(),
        Value::Seq(s) => s
            .items
            .iter()
            .filter_map(|item| {
                let text = item.as_str()?;
                let content = item.content_range();
                // Plain and quoted items: the key sits at the start of the content as written.
                let (key, value) = match text.split_once('=') {
                    Some((k, v)) => (k, Some(v)),
                    None => (text, None),
                };
                let key_range = content.start..content.start + key.len().min(content.len());
                Some(KeyValue {
                    key: key.to_string(),
                    key_range: key_range.clone(),
                    value: value.map(|v| Str {
                        text: v.to_string(),
                        range: (key_range.end + 1).min(content.end)..content.end,
                    }),
                    range: item.range.clone(),
                })
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn build_section(node: &Node) -> Option<Build> {
    let mut b = Build {
        range: node.range.clone(),
        context: None,
        dockerfile: None,
        dockerfile_inline: false,
        target: None,
        args: Vec::new(),
        args_range: None,
    };
    match &node.value {
        Value::Scalar(_) => b.context = Str::of(node),
        Value::Map(m) => {
            for e in &m.entries {
                match e.key.as_str() {
                    "context" => b.context = Str::of(&e.value),
                    "dockerfile" => b.dockerfile = Str::of(&e.value),
                    "dockerfile_inline" => b.dockerfile_inline = true,
                    "target" => b.target = Str::of(&e.value),
                    "args" => {
                        b.args = key_values(&e.value);
                        b.args_range = Some(e.value.range.clone());
                    }
                    _ => {}
                }
            }
        }
        _ => return None,
    }
    Some(b)
}

fn service(e: &Entry) -> Service {
    let v = &e.value;
    let mut s = Service {
        name: e.key.clone(),
        name_range: e.key_content.clone(),
        range: v.range.clone(),
        entry_range: e.key_range.start..v.range.end.max(e.key_range.end),
        image: None,
        build: None,
        command: None,
        entrypoint: None,
        environment: Vec::new(),
        env_file: Vec::new(),
        depends_on: Vec::new(),
        ports: Vec::new(),
        volumes: Vec::new(),
        networks: Vec::new(),
        network_mode: None,
        links: Vec::new(),
        volumes_from: Vec::new(),
        extends: None,
        profiles: Vec::new(),
        secrets: Vec::new(),
        configs: Vec::new(),
        container_name: None,
        restart: None,
        has_healthcheck: false,
        keys: Vec::new(),
        resets: Vec::new(),
        overrides: Vec::new(),
    };
    for f in v.entries() {
        let fv = &f.value;
        s.keys.push(Str::key(f));
        match fv.tag.as_deref() {
            Some("!reset") => s.resets.push(f.key.clone()),
            Some("!override") => s.overrides.push(f.key.clone()),
            _ => {}
        }
        match f.key.as_str() {
            "image" => s.image = Str::of(fv),
            "build" => s.build = build_section(fv),
            "command" => s.command = command(fv),
            "entrypoint" => s.entrypoint = command(fv),
            "environment" => s.environment = key_values(fv),
            "env_file" => s.env_file = env_files(fv),
            "depends_on" => s.depends_on = depends_on(fv),
            "ports" => s.ports = fv.items().iter().filter_map(port).collect(),
            "volumes" => s.volumes = fv.items().iter().filter_map(mount).collect(),
            "networks" => s.networks = names(fv),
            "network_mode" => s.network_mode = Str::of(fv),
            "links" => {
                // `service` or `service:alias`: the reference is the part before the colon.
                s.links = strs(fv)
                    .into_iter()
                    .map(|l| match l.text.split_once(':') {
                        Some((svc, _)) => Str {
                            text: svc.to_string(),
                            range: l.range.start..l.range.start + svc.len(),
                        },
                        None => l,
                    })
                    .collect()
            }
            "volumes_from" => {
                // `service`, `service:ro`, `container:name` (not a service).
                s.volumes_from = strs(fv)
                    .into_iter()
                    .filter(|l| !l.text.starts_with("container:"))
                    .map(|l| {
                        let svc = l.text.split(':').next().unwrap_or("").to_string();
                        Str { range: l.range.start..l.range.start + svc.len(), text: svc }
                    })
                    .collect()
            }
            "extends" => s.extends = extends(fv),
            "profiles" => s.profiles = strs(fv),
            "secrets" => s.secrets = refs(fv),
            "configs" => s.configs = refs(fv),
            "container_name" => s.container_name = Str::of(fv),
            "restart" => s.restart = Str::of(fv),
            "healthcheck" => s.has_healthcheck = true,
            _ => {}
        }
    }
    s
}

fn env_files(node: &Node) -> Vec<EnvFile> {
    let one = |n: &Node| -> Option<EnvFile> {
        match &n.value {
            Value::Scalar(_) => Some(EnvFile { path: Str::of(n)?, required: true, format: None }),
            Value::Map(_) => Some(EnvFile {
                path: Str::of(n.get("path")?)?,
                required: n.get("required").and_then(|r| r.as_bool()).unwrap_or(true),
                format: n.get("format").and_then(Str::of),
            }),
            _ => None,
        }
    };
    match &node.value {
        Value::Seq(s) => s.items.iter().filter_map(one).collect(),
        _ => one(node).into_iter().collect(),
    }
}

fn depends_on(node: &Node) -> Vec<Dependency> {
    match &node.value {
        Value::Map(m) => m
            .entries
            .iter()
            .map(|e| Dependency {
                service: Str::key(e),
                condition: e.value.get("condition").and_then(Str::of),
                required: e.value.get("required").and_then(|r| r.as_bool()).unwrap_or(true),
            })
            .collect(),
        _ => strs(node)
            .into_iter()
            .map(|s| Dependency { service: s, condition: None, required: true })
            .collect(),
    }
}

/// Service `secrets`/`configs`: `- name` or `- source: name`.
fn refs(node: &Node) -> Vec<Str> {
    node.items()
        .iter()
        .filter_map(|it| match &it.value {
            Value::Map(_) => it.get("source").and_then(Str::of),
            _ => Str::of(it),
        })
        .collect()
}

fn extends(node: &Node) -> Option<Extends> {
    match &node.value {
        Value::Scalar(_) => Some(Extends { service: Str::of(node)?, file: None }),
        Value::Map(_) => Some(Extends {
            service: Str::of(node.get("service")?)?,
            file: node.get("file").and_then(Str::of),
        }),
        _ => None,
    }
}

fn decls(node: &Node) -> Vec<Decl> {
    node.entries()
        .iter()
        .map(|e| Decl {
            name: e.key.clone(),
            name_range: e.key_content.clone(),
            range: e.key_range.start..e.value.range.end.max(e.key_range.end),
            external: e.value.get("external").is_some_and(|x| x.as_bool() != Some(false)),
            file: e.value.get("file").and_then(Str::of),
        })
        .collect()
}

fn include(node: &Node) -> Option<Include> {
    match &node.value {
        Value::Scalar(_) => {
            Some(Include { paths: strs(node), project_directory: None, env_files: Vec::new() })
        }
        Value::Map(_) => Some(Include {
            paths: node.get("path").map(strs).unwrap_or_default(),
            project_directory: node.get("project_directory").and_then(Str::of),
            env_files: node.get("env_file").map(strs).unwrap_or_default(),
        }),
        _ => None,
    }
}

fn parse_range(s: &str) -> Option<PortRange> {
    let (a, b) = match s.split_once('-') {
        Some((a, b)) => (a, b),
        None => (s, s),
    };
    let start = a.trim().parse().ok()?;
    let end = b.trim().parse().ok()?;
    (start <= end).then_some(PortRange { start, end })
}

/// Short syntax `[HOST_IP:][HOST_PORT[-END]:]CONTAINER_PORT[-END][/PROTOCOL]` or the long map.
pub fn port(node: &Node) -> Option<Port> {
    match &node.value {
        Value::Scalar(_) => {
            let text = node.as_str()?;
            let interpolated = text.contains('$');
            let (spec, protocol) = match text.rsplit_once('/') {
                Some((s, p)) => (s, p.to_string()),
                None => (text, "tcp".to_string()),
            };
            // An IPv6 host is bracketed: `[::1]:80:80`.
            let (host_ip, rest) = if let Some(r) = spec.strip_prefix('[') {
                let (ip, rest) = r.split_once(']')?;
                (Some(ip.to_string()), rest.trim_start_matches(':'))
            } else {
                (None, spec)
            };
            let parts: Vec<&str> = rest.split(':').collect();
            let (host_ip, published, target) = match parts.as_slice() {
                [t] => (host_ip, None, parse_range(t)),
                [p, t] => {
                    (host_ip, if p.is_empty() { None } else { parse_range(p) }, parse_range(t))
                }
                [ip, p, t] => (
                    Some(ip.to_string()),
                    if p.is_empty() { None } else { parse_range(p) },
                    parse_range(t),
                ),
                _ => (host_ip, None, None),
            };
            Some(Port {
                range: node.content_range(),
                host_ip,
                published,
                target,
                protocol,
                interpolated,
            })
        }
        Value::Map(_) => {
            let target = node.get("target").and_then(|t| t.as_str()).and_then(parse_range);
            let published_raw = node.get("published").and_then(|t| t.as_str());
            Some(Port {
                range: node.range.clone(),
                host_ip: node.get("host_ip").and_then(|t| t.as_str()).map(String::from),
                published: published_raw.and_then(parse_range),
                target,
                protocol: node
                    .get("protocol")
                    .and_then(|t| t.as_str())
                    .unwrap_or("tcp")
                    .to_string(),
                interpolated: published_raw.is_some_and(|p| p.contains('$')),
            })
        }
        _ => None,
    }
}

fn is_path_like(s: &str) -> bool {
    s.starts_with(['.', '/', '~', '$', '\\'])
        || (s.len() >= 2 && s.as_bytes()[1] == b':' && s.as_bytes()[0].is_ascii_alphabetic())
}

/// Short syntax `SOURCE:TARGET[:MODE]`, `TARGET` (anonymous) or the long map.
pub fn mount(node: &Node) -> Option<Mount> {
    match &node.value {
        Value::Scalar(_) => {
            let text = node.as_str()?;
            let content = node.content_range();
            // Windows drive letters contain a colon; skip past them before splitting.
            let skip =
                if is_path_like(text) && text.as_bytes().get(1) == Some(&b':') { 2 } else { 0 };
            let colon = text[skip..].find(':').map(|i| i + skip);
            let Some(colon) = colon else {
                return Some(Mount {
                    range: content.clone(),
                    kind: MountKind::Volume,
                    source: None,
                    target: Some(Str { text: text.to_string(), range: content }),
                });
            };
            let src = &text[..colon];
            let rest = &text[colon + 1..];
            let tgt = rest.split(':').next().unwrap_or("");
            let kind = if is_path_like(src) { MountKind::Bind } else { MountKind::Volume };
            let at = |off: usize, len: usize| {
                (content.start + off).min(content.end)..(content.start + off + len).min(content.end)
            };
            Some(Mount {
                range: content.clone(),
                kind,
                source: Some(Str { text: src.to_string(), range: at(0, src.len()) }),
                target: Some(Str { text: tgt.to_string(), range: at(colon + 1, tgt.len()) }),
            })
        }
        Value::Map(_) => {
            let kind = match node.get("type").and_then(|t| t.as_str()) {
                Some("bind") => MountKind::Bind,
                Some("tmpfs") => MountKind::Tmpfs,
                Some("volume") | None => MountKind::Volume,
                _ => MountKind::Other,
            };
            Some(Mount {
                range: node.range.clone(),
                kind,
                source: node.get("source").and_then(Str::of),
                target: node.get("target").and_then(Str::of),
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::testing::fixture;

    fn check(text: &str, expect: Expect) {
        let f = fixture(&format!("#- /compose.yaml\n{text}"));
        let doc = f.doc("compose.yaml");
        let m = model(doc);
        let t = &doc.text;
        let s = |x: &Str| format!("{}@{}", x.text, &t[x.range.clone()]);
        let mut out = String::new();
        if let Some(v) = &m.version {
            out.push_str(&format!("version {:?}\n", v.value.as_ref().map(s)));
        }
        for svc in &m.services {
            out.push_str(&format!("service {} {:?}\n", svc.name, svc.name_range));
            if let Some(i) = &svc.image {
                out.push_str(&format!("  image {}\n", s(i)));
            }
            if let Some(b) = &svc.build {
                out.push_str(&format!(
                    "  build context={:?} dockerfile={:?} target={:?}\n",
                    b.context.as_ref().map(s),
                    b.dockerfile.as_ref().map(s),
                    b.target.as_ref().map(s)
                ));
                for a in &b.args {
                    out.push_str(&format!(
                        "    arg {}@{} = {:?}\n",
                        a.key,
                        &t[a.key_range.clone()],
                        a.value.as_ref().map(s)
                    ));
                }
            }
            match &svc.command {
                Some(Command::Shell(c)) => out.push_str(&format!("  command {}\n", s(c))),
                Some(Command::Exec { args, .. }) => out.push_str(&format!(
                    "  command [{}]\n",
                    args.iter().map(s).collect::<Vec<_>>().join(", ")
                )),
                None => {}
            }
            for e in &svc.environment {
                out.push_str(&format!(
                    "  env {}@{} = {:?}\n",
                    e.key,
                    &t[e.key_range.clone()],
                    e.value.as_ref().map(s)
                ));
            }
            for e in &svc.env_file {
                out.push_str(&format!("  env_file {} required={}\n", s(&e.path), e.required));
            }
            for d in &svc.depends_on {
                out.push_str(&format!(
                    "  depends_on {} {:?}\n",
                    s(&d.service),
                    d.condition.as_ref().map(|c| &c.text)
                ));
            }
            for p in &svc.ports {
                out.push_str(&format!(
                    "  port {:?} ip={:?} published={:?} target={:?} {}\n",
                    &t[p.range.clone()],
                    p.host_ip,
                    p.published.map(|r| (r.start, r.end)),
                    p.target.map(|r| (r.start, r.end)),
                    p.protocol
                ));
            }
            for v in &svc.volumes {
                out.push_str(&format!(
                    "  mount {:?} source={:?} target={:?}\n",
                    v.kind,
                    v.source.as_ref().map(s),
                    v.target.as_ref().map(s)
                ));
            }
            for (what, list) in [
                ("networks", &svc.networks),
                ("links", &svc.links),
                ("volumes_from", &svc.volumes_from),
                ("secrets", &svc.secrets),
                ("configs", &svc.configs),
                ("profiles", &svc.profiles),
            ] {
                if !list.is_empty() {
                    out.push_str(&format!(
                        "  {what} {}\n",
                        list.iter().map(s).collect::<Vec<_>>().join(", ")
                    ));
                }
            }
            if let Some(x) = &svc.extends {
                out.push_str(&format!(
                    "  extends {} file={:?}\n",
                    s(&x.service),
                    x.file.as_ref().map(s)
                ));
            }
        }
        for k in DeclKind::ALL {
            for d in m.decls(k) {
                out.push_str(&format!(
                    "{} {} external={} file={:?}\n",
                    k.noun(),
                    d.name,
                    d.external,
                    d.file.as_ref().map(s)
                ));
            }
        }
        for i in &m.includes {
            out.push_str(&format!(
                "include {}\n",
                i.paths.iter().map(s).collect::<Vec<_>>().join(", ")
            ));
        }
        for v in &m.interpolation.vars {
            out.push_str(&format!("var {}@{}\n", v.name, &t[v.name_range.clone()]));
        }
        expect.assert_eq(&out);
    }

    #[test]
    fn full_service() {
        check(
            r#"
version: "3.8"
x-common: &common
  restart: unless-stopped
  env_file: [.env, {path: .env.local, required: false}]
services:
  web:
    <<: *common
    build:
      context: ./app
      dockerfile: docker/Dockerfile
      target: prod
      args:
        - PYTHON_VERSION=3.12
        - "DEBUG"
    command: ["gunicorn", 'app:wsgi']
    environment:
      DATABASE_URL: postgres://db/${DB_NAME:-app}
      SECRET_KEY:
    depends_on:
      db:
        condition: service_healthy
    ports:
      - "8000:8000"
      - 127.0.0.1:9000-9001:9000-9001/udp
      - target: 80
        published: "8080"
    volumes:
      - ./src:/app/src:ro
      - data:/var/lib
      - type: volume
        source: cache
        target: /cache
    networks: [front, back]
    secrets: [token, {source: cert}]
  worker:
    build: ./app
    command: celery -A app worker
    environment:
      - C_FORCE_ROOT=1
      - HOME
    depends_on: [web]
    links: ["web:site"]
    volumes_from: [web:ro, "container:x"]
    extends:
      service: web
      file: base.yaml
networks:
  front:
  back: {external: true}
volumes:
  data:
secrets:
  token: {file: ./token.txt}
include:
  - other/compose.yaml
"#,
            expect![[r#"
                version Some("3.8@3.8")
                service web 128..131
                  build context=Some("./app@./app") dockerfile=Some("docker/Dockerfile@docker/Dockerfile") target=Some("prod@prod")
                    arg PYTHON_VERSION@PYTHON_VERSION = Some("3.12@3.12")
                    arg DEBUG@DEBUG = None
                  command [gunicorn@gunicorn, app:wsgi@app:wsgi]
                  env DATABASE_URL@DATABASE_URL = Some("postgres://db/${DB_NAME:-app}@postgres://db/${DB_NAME:-app}")
                  env SECRET_KEY@SECRET_KEY = None
                  env_file .env@.env required=true
                  env_file .env.local@.env.local required=false
                  depends_on db@db Some("service_healthy")
                  port "8000:8000" ip=None published=Some((8000, 8000)) target=Some((8000, 8000)) tcp
                  port "127.0.0.1:9000-9001:9000-9001/udp" ip=Some("127.0.0.1") published=Some((9000, 9001)) target=Some((9000, 9001)) udp
                  port "target: 80\n        published: \"8080\"" ip=None published=Some((8080, 8080)) target=Some((80, 80)) tcp
                  mount Bind source=Some("./src@./src") target=Some("/app/src@/app/src")
                  mount Volume source=Some("data@data") target=Some("/var/lib@/var/lib")
                  mount Volume source=Some("cache@cache") target=Some("/cache@/cache")
                  networks front@front, back@back
                  secrets token@token, cert@cert
                service worker 792..798
                  build context=Some("./app@./app") dockerfile=None target=None
                  command celery -A app worker@celery -A app worker
                  env C_FORCE_ROOT@C_FORCE_ROOT = Some("1@1")
                  env HOME@HOME = None
                  depends_on web@web None
                  links web@web
                  volumes_from web@web
                  extends web@web file=Some("base.yaml@base.yaml")
                network front external=false file=None
                network back external=true file=None
                volume data external=false file=None
                secret token external=false file=Some("./token.txt@./token.txt")
                include other/compose.yaml@other/compose.yaml
                var DB_NAME@DB_NAME
            "#]],
        );
    }
}

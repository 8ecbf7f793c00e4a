//! Which compose files form a project, and the services they add up to, the way
//! `docker compose` combines them: the base file and its override in one directory, then
//! `include:`d files (each a project of its own, added whole), with `extends:` pulling in
//! another service's configuration. Only files in the snapshot are read.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use super::model::{
    self, ComposeModel, Dependency, EnvFile, KeyValue, Mount, Move, Port, Service, Str,
};
use crate::workspace::{Document, FileKind, Snapshot};

/// Default file names, in the order `docker compose` looks for them.
pub const BASE_NAMES: [&str; 4] =
    ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];
pub const OVERRIDE_NAMES: [&str; 4] = [
    "compose.override.yaml",
    "compose.override.yml",
    "docker-compose.override.yaml",
    "docker-compose.override.yml",
];

/// At most this many files join one project (include chains are followed this far).
const MAX_FILES: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    /// The merged files, base first; later files override earlier ones.
    pub files: Vec<Arc<Path>>,
    /// Files pulled in with `include:` (transitively), each added as a whole.
    pub included: Vec<Arc<Path>>,
}

impl Project {
    pub fn all(&self) -> impl Iterator<Item = &Arc<Path>> {
        self.files.iter().chain(self.included.iter())
    }
}

/// `a/./b/../c` → `a/c`, without touching the filesystem.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `rel` as written in the file at `from`, resolved against `from`'s directory.
pub fn resolve_path(from: &Path, rel: &str) -> PathBuf {
    resolve_in(from.parent().unwrap_or(Path::new("/")), rel)
}

/// `rel` (trimmed) resolved against the folder `dir`, normalized.
pub fn resolve_in(dir: &Path, rel: &str) -> PathBuf {
    let rel = rel.trim();
    // The usual `./services/web` under a plain absolute folder is a concatenation: no component
    // walk, one allocation (this runs for every path of every service on every keystroke).
    let mut short = rel;
    while let Some(rest) = short.strip_prefix("./") {
        short = rest;
    }
    if let Some(d) = dir.to_str()
        && let Some(inner) = d.strip_prefix('/')
        && (inner.is_empty() || plain(inner))
        && plain(short)
    {
        let mut s = String::with_capacity(d.len() + 1 + short.len());
        s.push_str(d);
        if !inner.is_empty() {
            s.push('/');
        }
        s.push_str(short);
        return PathBuf::from(s);
    }
    normalize(&dir.join(rel))
}

/// `rel` (as [`resolve_in`] reads it) split into its folder and last name, when it is a plain
/// relative path: `./services/web` → (`services`, `web`), `app` → (``, `app`).
pub fn split_plain(rel: &str) -> Option<(&str, &str)> {
    let mut short = rel.trim();
    while let Some(rest) = short.strip_prefix("./") {
        short = rest;
    }
    if !plain(short) {
        return None;
    }
    Some(
        memchr::memrchr(b'/', short.as_bytes())
            .map_or(("", short), |i| (&short[..i], &short[i + 1..])),
    )
}

/// A relative path whose every segment is a plain name: none empty (no leading, trailing or
/// doubled `/`), `.` or `..`.
fn plain(s: &str) -> bool {
    // One pass over the bytes (paths are short: cheaper than searching for `/` and `.`): the
    // length of the current segment and how many of its bytes are dots.
    let (mut len, mut dots) = (0u32, 0u32);
    for &b in s.as_bytes() {
        if b == b'/' {
            if len == dots && len <= 2 {
                return false;
            }
            (len, dots) = (0, 0);
        } else {
            len += 1;
            dots += u32::from(b == b'.');
        }
    }
    !(len == dots && len <= 2)
}

fn compose_doc<'a>(snap: &'a Snapshot, path: &Path) -> Option<&'a Arc<Document>> {
    snap.get(path).filter(|d| d.kind == FileKind::Compose)
}

fn first_existing(snap: &Snapshot, dir: &Path, names: &[&str]) -> Option<Arc<Path>> {
    names.iter().find_map(|n| compose_doc(snap, &dir.join(n)).map(|d| d.path.clone()))
}

/// The files named by `COMPOSE_FILE` in the project `.env` (separated by
/// `COMPOSE_PATH_SEPARATOR`, `:` by default), or by `compose-files` in `berth.toml`, resolved
/// against their folder: what `docker compose` run in `dir` would read instead of the default
/// names.
fn explicit_files(snap: &Snapshot, dir: &Path) -> Option<Vec<PathBuf>> {
    if let Some(env) = snap.get(&dir.join(".env")).filter(|d| d.kind == FileKind::Dotenv) {
        let m = crate::dotenv::model(env);
        if let Some(list) = m.get("COMPOSE_FILE").map(|e| e.value.clone()) {
            let sep = m.get("COMPOSE_PATH_SEPARATOR").map(|e| e.value.clone());
            let sep = sep.filter(|s| !s.is_empty()).unwrap_or_else(|| ":".to_string());
            let files: Vec<PathBuf> = list
                .split(sep.as_str())
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(|f| normalize(&dir.join(f)))
                .collect();
            if !files.is_empty() {
                return Some(files);
            }
        }
    }
    let config = &snap.config;
    let base = config.base_dir()?;
    if config.compose_files.is_empty() || base != dir {
        return None;
    }
    Some(config.compose_files.iter().map(|f| normalize(&base.join(f))).collect())
}

/// Profiles enabled by `COMPOSE_PROFILES` (comma-separated) in the project `.env` next to
/// the compose file at `compose_path`.
pub fn active_profiles(snap: &Snapshot, compose_path: &Path) -> Vec<String> {
    let dir = compose_path.parent().unwrap_or(Path::new("/"));
    let Some(env) = snap.get(&dir.join(".env")).filter(|d| d.kind == FileKind::Dotenv) else {
        return Vec::new();
    };
    crate::dotenv::model(env)
        .get("COMPOSE_PROFILES")
        .map(|e| {
            e.value.split(',').map(str::trim).filter(|p| !p.is_empty()).map(String::from).collect()
        })
        .unwrap_or_default()
}

/// The project `path` belongs to.
pub fn project_of(snap: &Snapshot, path: &Path) -> Project {
    let dir = path.parent().unwrap_or(Path::new("/"));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
    let me: Arc<Path> =
        compose_doc(snap, path).map(|d| d.path.clone()).unwrap_or_else(|| path.into());
    let base = first_existing(snap, dir, &BASE_NAMES);
    let is_base = BASE_NAMES.contains(&name.as_str());
    let explicit = explicit_files(snap, dir).filter(|list| list.iter().any(|f| **f == *me));
    let mut files = Vec::new();
    if let Some(list) = explicit {
        files.extend(list.iter().filter_map(|f| compose_doc(snap, f)).map(|d| d.path.clone()));
    } else if is_base {
        files.push(me.clone());
        files.extend(first_existing(snap, dir, &OVERRIDE_NAMES));
    } else {
        // An override (or `compose.prod.yaml`, used as `-f compose.yaml -f compose.prod.yaml`)
        // sits on top of the directory's base file.
        let is_variant = name.starts_with("compose.") || name.starts_with("docker-compose.");
        if let Some(b) = base.filter(|_| is_variant) {
            files.push(b);
        }
        files.push(me.clone());
    }
    let mut included = Vec::new();
    let mut seen: HashSet<Arc<Path>> = files.iter().cloned().collect();
    let mut queue: Vec<Arc<Path>> = files.clone();
    while let Some(p) = queue.pop() {
        let Some(doc) = compose_doc(snap, &p) else { continue };
        let m = model::model(doc);
        for inc in &m.includes {
            for path in &inc.paths {
                let target = resolve_path(&p, &path.text);
                if let Some(d) = compose_doc(snap, &target)
                    && seen.len() < MAX_FILES
                    && seen.insert(d.path.clone())
                {
                    included.push(d.path.clone());
                    queue.push(d.path.clone());
                }
            }
        }
    }
    Project { files, included }
}

/// A service after merging every definition of it across the project's files and
/// following `extends`.
#[derive(Clone, Debug, Default)]
pub struct MergedService {
    pub name: String,
    /// Each file that defines (part of) it, in merge order, with the definition.
    pub definitions: Vec<(Arc<Path>, Arc<Service>)>,
    pub image: Option<(Arc<Path>, Str)>,
    pub build: Option<(Arc<Path>, model::Build)>,
    pub command: Option<(Arc<Path>, model::Command)>,
    pub entrypoint: Option<(Arc<Path>, model::Command)>,
    /// Merged by key; a later file's value wins.
    pub environment: Vec<(Arc<Path>, KeyValue)>,
    pub env_file: Vec<(Arc<Path>, EnvFile)>,
    /// Merged by service name.
    pub depends_on: Vec<(Arc<Path>, Dependency)>,
    /// Appended; a port published identically twice is kept once.
    pub ports: Vec<(Arc<Path>, Port)>,
    /// Unique by container path: a later mount of the same target replaces the earlier one.
    pub volumes: Vec<(Arc<Path>, Mount)>,
    pub networks: Vec<(Arc<Path>, Str)>,
    pub secrets: Vec<(Arc<Path>, Str)>,
    pub configs: Vec<(Arc<Path>, Str)>,
    pub profiles: Vec<(Arc<Path>, Str)>,
    pub container_name: Option<(Arc<Path>, Str)>,
}

/// `same` compares merge keys by reference: building owned keys per comparison allocated
/// quadratically in the number of items.
fn merge_by<T: Clone>(
    into: &mut Vec<(Arc<Path>, T)>,
    from: &[T],
    path: &Arc<Path>,
    same: impl Fn(&T, &T) -> bool,
) {
    into.reserve(from.len());
    for item in from {
        match into.iter().position(|(_, x)| same(x, item)) {
            Some(i) => into[i] = (path.clone(), item.clone()),
            None => into.push((path.clone(), item.clone())),
        }
    }
}

impl MergedService {
    /// Lay `s` (from `path`) over what is merged so far.
    pub fn apply(&mut self, path: &Arc<Path>, s: &Arc<Service>) {
        if self.name.is_empty() {
            self.name = s.name.clone();
        }
        for key in s.resets.iter().chain(s.overrides.iter()) {
            self.clear(key);
        }
        let p = || path.clone();
        if let Some(x) = &s.image {
            self.image = Some((p(), x.clone()));
        }
        if let Some(b) = &s.build {
            // `build` is a mapping: merged key by key, args by name.
            let merged = match self.build.take() {
                None => b.clone(),
                Some((_, mut merged)) => {
                    merged.context = b.context.clone().or(merged.context);
                    merged.dockerfile = b.dockerfile.clone().or(merged.dockerfile);
                    merged.target = b.target.clone().or(merged.target);
                    let mut args: Vec<(Arc<Path>, KeyValue)> =
                        merged.args.iter().map(|a| (p(), a.clone())).collect();
                    merge_by(&mut args, &b.args, path, |x, y| x.key == y.key);
                    merged.args = args.into_iter().map(|(_, a)| a).collect();
                    merged
                }
            };
            self.build = Some((p(), merged));
        }
        // Shell commands replace rather than append.
        if let Some(c) = &s.command {
            self.command = Some((p(), c.clone()));
        }
        if let Some(c) = &s.entrypoint {
            self.entrypoint = Some((p(), c.clone()));
        }
        if let Some(c) = &s.container_name {
            self.container_name = Some((p(), c.clone()));
        }
        merge_by(&mut self.environment, &s.environment, path, |a, b| a.key == b.key);
        merge_by(&mut self.env_file, &s.env_file, path, |a, b| a.path.text == b.path.text);
        merge_by(&mut self.depends_on, &s.depends_on, path, |a, b| {
            a.service.text == b.service.text
        });
        merge_by(&mut self.ports, &s.ports, path, |a, b| {
            (&a.host_ip, a.published, a.target, &a.protocol)
                == (&b.host_ip, b.published, b.target, &b.protocol)
        });
        merge_by(&mut self.volumes, &s.volumes, path, |a, b| {
            a.target.as_ref().map(|t| &t.text) == b.target.as_ref().map(|t| &t.text)
        });
        merge_by(&mut self.networks, &s.networks, path, |a, b| a.text == b.text);
        merge_by(&mut self.secrets, &s.secrets, path, |a, b| a.text == b.text);
        merge_by(&mut self.configs, &s.configs, path, |a, b| a.text == b.text);
        merge_by(&mut self.profiles, &s.profiles, path, |a, b| a.text == b.text);
        self.definitions.push((p(), s.clone()));
    }

    fn clear(&mut self, key: &str) {
        match key {
            "image" => self.image = None,
            "build" => self.build = None,
            "command" => self.command = None,
            "entrypoint" => self.entrypoint = None,
            "environment" => self.environment.clear(),
            "env_file" => self.env_file.clear(),
            "depends_on" => self.depends_on.clear(),
            "ports" => self.ports.clear(),
            "volumes" => self.volumes.clear(),
            "networks" => self.networks.clear(),
            "secrets" => self.secrets.clear(),
            "configs" => self.configs.clear(),
            "profiles" => self.profiles.clear(),
            "container_name" => self.container_name = None,
            _ => {}
        }
    }
}

/// Every service of the project, merged across its files (in first-definition order), with
/// `extends` applied. Services of included files come after.
pub fn merged_services(snap: &Snapshot, project: &Project) -> Vec<MergedService> {
    merge(snap, &project_models(snap, project))
}

/// The project's compose documents in the snapshot, in merge order, with their models.
pub fn project_models<'s>(
    snap: &'s Snapshot,
    project: &Project,
) -> Vec<(&'s Arc<Document>, Arc<ComposeModel>)> {
    project.all().filter_map(|path| compose_doc(snap, path)).map(|d| (d, model::model(d))).collect()
}

/// [`merged_services`], shared: the result is kept with the first file's model and handed out
/// again while the project's files and their versions stay the same (the rules and the env
/// model both want it after every keystroke). Not kept when a service extends another file,
/// which the key does not cover.
pub fn merged_services_shared(snap: &Snapshot, project: &Project) -> Arc<Vec<MergedService>> {
    let models = project_models(snap, project);
    let Some((_, home)) = models.first() else { return Arc::default() };
    let same = |key: &[(Arc<Path>, u64)]| {
        key.len() == models.len()
            && key.iter().zip(&models).all(|((p, id), (d, m))| *p == d.path && *id == m.id)
    };
    if let Some((key, merged)) = &*crate::util::lock(&home.merged)
        && same(key)
    {
        return merged.clone();
    }
    let merged = Arc::new(merge(snap, &models));
    let other_files = models.iter().any(|(_, m)| {
        m.services.iter().any(|s| s.extends.as_ref().is_some_and(|e| e.file.is_some()))
    });
    if !other_files {
        let key = models.iter().map(|(d, m)| (d.path.clone(), m.id)).collect();
        *crate::util::lock(&home.merged) = Some((key, merged.clone()));
    }
    merged
}

/// One service of [`merged_services`], merged the same way without merging all the others.
pub fn merged_service(snap: &Snapshot, project: &Project, name: &str) -> Option<MergedService> {
    let mut out: Option<MergedService> = None;
    for doc in project.all().filter_map(|path| compose_doc(snap, path)) {
        let m = model::model(doc);
        for s in m.services.iter().filter(|s| s.name == name) {
            let into = out.get_or_insert_with(|| MergedService {
                name: s.name.clone(),
                ..Default::default()
            });
            if let Some(ext) = &s.extends {
                let mut visiting = vec![(doc.path.clone(), s.name.clone())];
                apply_extends(snap, &doc.path, &m, ext, into, &mut visiting);
            }
            into.apply(&doc.path, s);
        }
    }
    out
}

fn merge(snap: &Snapshot, models: &[(&Arc<Document>, Arc<ComposeModel>)]) -> Vec<MergedService> {
    let mut out: Vec<MergedService> = Vec::new();
    // Position in `out` by name: a project can have hundreds of services.
    let mut index: crate::util::FastMap<&str, usize> = Default::default();
    for (doc, m) in models {
        for s in &m.services {
            let i = *index.entry(s.name.as_str()).or_insert_with(|| {
                out.push(MergedService { name: s.name.clone(), ..Default::default() });
                out.len() - 1
            });
            if let Some(ext) = &s.extends {
                let mut visiting = vec![(doc.path.clone(), s.name.clone())];
                apply_extends(snap, &doc.path, m, ext, &mut out[i], &mut visiting);
            }
            out[i].apply(&doc.path, s);
        }
    }
    out
}

/// When `m` (a previous version, owned) holds the merge of a project made of itself alone:
/// its merged services by the start of their service entry, let go of the services they
/// share (so those can be moved in place). None when the merge cannot be carried over: other
/// files, `extends`, or a name defined twice (each merged service must come from one entry).
pub(crate) fn take_single_file_merge(
    m: &mut ComposeModel,
    path: &Arc<Path>,
) -> Option<CarriedMerge> {
    let (key, merged) = crate::util::lock(&m.merged).take()?;
    let single = key.len() == 1 && key[0] == (path.clone(), m.id);
    let merged = match Arc::try_unwrap(merged) {
        Ok(v) if single && v.len() == m.services.len() => v,
        other => {
            crate::util::drop_later(other);
            return None;
        }
    };
    if m.services.iter().any(|s| s.extends.is_some()) {
        crate::util::drop_later(merged);
        return None;
    }
    // Hundreds of services of several hundred bytes each: they stay where they are and are
    // found by index, moved once, into the new merge.
    let mut services = merged;
    let mut by_start: Vec<(usize, usize)> = Vec::with_capacity(services.len());
    for (i, s) in services.iter_mut().enumerate() {
        if s.definitions.len() == 1
            && let Some((_, def)) = s.definitions.pop()
        {
            by_start.push((def.entry_range.start, i));
        }
    }
    // In source order already (one entry each); sorted to be sure, for the binary searches.
    by_start.sort_by_key(|(start, _)| *start);
    let taken = vec![false; by_start.len()];
    let moved = vec![0; services.len()];
    Some(CarriedMerge { by_start, services, taken, moved })
}

/// The merged services of a previous version, by the start of their service entry, each
/// taken at most once.
pub(crate) struct CarriedMerge {
    /// Entry start → index in `services`.
    by_start: Vec<(usize, usize)>,
    services: Vec<MergedService>,
    /// By position in `by_start`.
    taken: Vec<bool>,
    /// By index in `services`: how far each was already moved (see [`Self::move_ahead`]).
    moved: Vec<isize>,
}

impl CarriedMerge {
    /// The index in `services` of the one whose entry started at `start`, when not yet claimed
    /// (each is taken at most once).
    fn index(&mut self, start: usize) -> Option<usize> {
        let at = self.by_start.binary_search_by_key(&start, |(s, _)| *s).ok()?;
        (!std::mem::replace(&mut self.taken[at], true)).then_some(self.by_start[at].1)
    }

    /// Move the merged forms of the services whose entries started at or after `ahead.from` by
    /// its delta, before they are matched (which then moves them only by what is left).
    pub(crate) fn move_ahead(&mut self, ahead: Move) {
        use super::model::Shift;
        let first = self.by_start.partition_point(|(start, _)| *start < ahead.from);
        for &(_, i) in &self.by_start[first..] {
            self.services[i].shift(ahead);
            self.moved[i] = ahead.delta;
        }
    }

    fn take(&mut self, i: usize) -> Option<MergedService> {
        self.services.get_mut(i).map(std::mem::take)
    }
}

/// Give `m` (just built, its services taken over from the version `old` came from) its
/// single-file merge: each service carried over keeps its merged form, moved like it; the
/// others are merged afresh. A merge of one file, without `extends`, is service by service.
pub(crate) fn carry_single_file_merge(
    m: &mut ComposeModel,
    path: &Arc<Path>,
    mut old: CarriedMerge,
) {
    use super::model::Shift;
    if m.services.iter().any(|s| s.extends.is_some()) {
        return;
    }
    let mut names: crate::util::FastSet<&str> = Default::default();
    names.reserve(m.services.len());
    if !m.services.iter().all(|s| names.insert(s.name.as_str())) {
        return;
    }
    let fresh = |s: &Arc<Service>| {
        let mut fresh = MergedService { name: s.name.clone(), ..Default::default() };
        fresh.apply(path, s);
        fresh.definitions.clear();
        fresh
    };
    // Where each service's merged form was in the old merge, and how it moved.
    let found: Vec<Option<(usize, Move)>> = m
        .services
        .iter()
        .map(|s| {
            let start = s.entry_range.start;
            let by = m.yaml.reused(start)?;
            let i = old.index(start.wrapping_add_signed(-by.delta))?;
            (old.services[i].name == s.name).then(|| (i, by.rest(old.moved[i])))
        })
        .collect();
    // A carried service moves; any other is merged afresh. Either way it gains its definition.
    let complete = |o: &mut MergedService, s: &Arc<Service>, by: Option<Move>| {
        match by {
            Some(by) => o.shift(by),
            None => *o = fresh(s),
        }
        o.definitions.push((path.clone(), s.clone()));
    };
    let merged = if found.iter().enumerate().all(|(i, f)| f.is_none_or(|(j, _)| i == j)) {
        // The usual case while typing: every carried service is where it was (several hundred
        // bytes each, hundreds of them), so it is completed in place.
        let mut merged = std::mem::take(&mut old.services);
        merged.resize_with(m.services.len(), MergedService::default);
        for ((o, s), f) in merged.iter_mut().zip(&m.services).zip(found) {
            complete(o, s, f.map(|(_, by)| by));
        }
        merged
    } else {
        let merged = m
            .services
            .iter()
            .zip(found)
            .map(|(s, f)| {
                let (mut o, by) = match f.and_then(|(i, by)| Some((old.take(i)?, by))) {
                    Some((o, by)) => (o, Some(by)),
                    None => (MergedService::default(), None),
                };
                complete(&mut o, s, by);
                o
            })
            .collect();
        crate::util::drop_later(std::mem::take(&mut old.services));
        merged
    };
    *crate::util::lock(&m.merged) = Some((vec![(path.clone(), m.id)], Arc::new(merged)));
}

impl super::model::Shift for MergedService {
    /// Destructured, so that a new field cannot be forgotten.
    fn shift(&mut self, by: Move) {
        if by.delta == 0 {
            return;
        }
        let MergedService {
            name: _,
            definitions: _,
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
            secrets,
            configs,
            profiles,
            container_name,
        } = self;
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
        secrets.shift(by);
        configs.shift(by);
        profiles.shift(by);
        container_name.shift(by);
    }
}

/// Lay the extended service (itself resolved recursively) under `into`.
fn apply_extends(
    snap: &Snapshot,
    from: &Arc<Path>,
    model: &ComposeModel,
    ext: &model::Extends,
    into: &mut MergedService,
    visiting: &mut Vec<(Arc<Path>, String)>,
) {
    if visiting.len() > 16 {
        return;
    }
    let (path, m): (Arc<Path>, Arc<ComposeModel>) = match &ext.file {
        Some(f) => {
            let target = resolve_path(from, &f.text);
            let Some(d) = compose_doc(snap, &target) else { return };
            (d.path.clone(), model::model(d))
        }
        None => match snap.get(from) {
            Some(d) => (d.path.clone(), model::model(d)),
            None => return,
        },
    };
    let _ = model;
    let Some(base) = m.service(&ext.service.text) else { return };
    if visiting.iter().any(|(p, n)| *p == path && *n == base.name) {
        return;
    }
    visiting.push((path.clone(), base.name.clone()));
    if let Some(next) = &base.extends {
        apply_extends(snap, &path, &m, next, into, visiting);
    }
    into.apply(&path, base);
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};
    use proptest::prelude::*;

    use super::*;
    use crate::testing::fixture;

    proptest! {
        /// The shortcut for plain paths agrees with the component walk.
        #[test]
        fn resolve_path_shortcut_matches_normalize(
            dir in proptest::collection::vec(prop::sample::select(vec!["w", ".", "..", "", "a b", ".hidden"]), 0..4),
            rel in proptest::collection::vec(prop::sample::select(vec!["x", ".", "..", "", "y.txt", " "]), 0..5),
            lead in prop::sample::select(vec!["", "./", "././", "/", " "]),
        ) {
            let from = PathBuf::from(format!("/{}/compose.yaml", dir.join("/")));
            let rel = format!("{lead}{}", rel.join("/"));
            let slow = normalize(&from.parent().unwrap_or(Path::new("/")).join(rel.trim()));
            prop_assert_eq!(resolve_path(&from, &rel), slow.clone(), "{:?} {:?}", from, rel);
            let dir = from.parent().unwrap_or(Path::new("/"));
            prop_assert_eq!(resolve_in(dir, &rel), slow);
        }
    }

    fn check(text: &str, expect: Expect) {
        let f = fixture(text);
        let first = f.files[0].clone();
        let project = project_of(&f.snapshot, &first);
        let short = |p: &Path| p.strip_prefix("/w").unwrap_or(p).display().to_string();
        let mut out = format!(
            "files: {}\nincluded: {}\n",
            project.files.iter().map(|p| short(p)).collect::<Vec<_>>().join(", "),
            project.included.iter().map(|p| short(p)).collect::<Vec<_>>().join(", ")
        );
        for s in merged_services(&f.snapshot, &project) {
            out.push_str(&format!("service {}\n", s.name));
            if let Some((p, i)) = &s.image {
                out.push_str(&format!("  image {} ({})\n", i.text, short(p)));
            }
            if let Some((p, c)) = &s.command {
                let c = match c {
                    model::Command::Shell(s) => s.text.clone(),
                    model::Command::Exec { args, .. } => {
                        args.iter().map(|a| a.text.as_str()).collect::<Vec<_>>().join(" ")
                    }
                };
                out.push_str(&format!("  command {c} ({})\n", short(p)));
            }
            if let Some((_, b)) = &s.build {
                out.push_str(&format!(
                    "  build target={:?} args={:?}\n",
                    b.target.as_ref().map(|t| &t.text),
                    b.args
                        .iter()
                        .map(|a| format!("{}={:?}", a.key, a.value.as_ref().map(|v| &v.text)))
                        .collect::<Vec<_>>()
                ));
            }
            for (p, e) in &s.environment {
                out.push_str(&format!(
                    "  env {}={:?} ({})\n",
                    e.key,
                    e.value.as_ref().map(|v| v.text.as_str()),
                    short(p)
                ));
            }
            for (p, port) in &s.ports {
                out.push_str(&format!(
                    "  port {:?} ({})\n",
                    port.published.map(|r| r.start),
                    short(p)
                ));
            }
            for (p, v) in &s.volumes {
                out.push_str(&format!(
                    "  volume {:?}:{:?} ({})\n",
                    v.source.as_ref().map(|s| &s.text),
                    v.target.as_ref().map(|s| &s.text),
                    short(p)
                ));
            }
        }
        expect.assert_eq(&out);
    }

    #[test]
    fn base_and_override_merge() {
        check(
            r#"
            #- /compose.yaml
            services:
              web:
                image: app:1
                command: gunicorn app
                build:
                  context: .
                  target: prod
                  args: {A: "1", B: "2"}
                environment:
                  DEBUG: "0"
                  DB: postgres
                ports: ["8000:8000"]
                volumes: ["data:/data", "./a:/app"]
              db:
                image: postgres
            #- /compose.override.yaml
            services:
              web:
                command: ["python", "manage.py", "runserver"]
                build:
                  target: dev
                  args: [B=3]
                environment:
                  - DEBUG=1
                  - EXTRA
                ports: ["5678:5678", "8000:8000"]
                volumes: ["./src:/app"]
              mail:
                image: mailpit
            "#,
            expect![[r#"
                files: compose.yaml, compose.override.yaml
                included: 
                service web
                  image app:1 (compose.yaml)
                  command python manage.py runserver (compose.override.yaml)
                  build target=Some("dev") args=["A=Some(\"1\")", "B=Some(\"3\")"]
                  env DEBUG=Some("1") (compose.override.yaml)
                  env DB=Some("postgres") (compose.yaml)
                  env EXTRA=None (compose.override.yaml)
                  port Some(8000) (compose.override.yaml)
                  port Some(5678) (compose.override.yaml)
                  volume Some("data"):Some("/data") (compose.yaml)
                  volume Some("./src"):Some("/app") (compose.override.yaml)
                service db
                  image postgres (compose.yaml)
                service mail
                  image mailpit (compose.override.yaml)
            "#]],
        );
    }

    #[test]
    fn reset_and_override_tags() {
        check(
            r#"
            #- /compose.yaml
            services:
              web:
                image: app
                ports: ["80:80"]
                environment: {A: "1", B: "2"}
            #- /compose.override.yaml
            services:
              web:
                ports: !reset []
                environment: !override
                  C: "3"
            "#,
            expect![[r#"
                files: compose.yaml, compose.override.yaml
                included: 
                service web
                  image app (compose.yaml)
                  env C=Some("3") (compose.override.yaml)
            "#]],
        );
    }

    #[test]
    fn includes_and_extends() {
        check(
            r#"
            #- /compose.yaml
            include:
              - infra/compose.yaml
              - path: ./missing.yaml
            services:
              web:
                extends:
                  file: common/base.yaml
                  service: python
                command: gunicorn
                environment: {ROLE: web}
              worker:
                extends: web
                command: celery
            #- /infra/compose.yaml
            include: [../compose.yaml]
            services:
              db:
                image: postgres:16
            #- /common/base.yaml
            services:
              python:
                image: python:3.12
                environment: {PYTHONUNBUFFERED: "1", ROLE: base}
            "#,
            expect![[r#"
                files: compose.yaml
                included: infra/compose.yaml
                service web
                  image python:3.12 (common/base.yaml)
                  command gunicorn (compose.yaml)
                  env PYTHONUNBUFFERED=Some("1") (common/base.yaml)
                  env ROLE=Some("web") (compose.yaml)
                service worker
                  image python:3.12 (common/base.yaml)
                  command celery (compose.yaml)
                  env PYTHONUNBUFFERED=Some("1") (common/base.yaml)
                  env ROLE=Some("web") (compose.yaml)
                service db
                  image postgres:16 (infra/compose.yaml)
            "#]],
        );
    }

    #[test]
    fn override_file_joins_its_base() {
        check(
            r#"
            #- /docker-compose.override.yml
            services:
              web: {image: b}
            #- /docker-compose.yml
            services:
              web: {image: a}
            "#,
            expect![[r#"
                files: docker-compose.yml, docker-compose.override.yml
                included: 
                service web
                  image b (docker-compose.override.yml)
            "#]],
        );
    }
}

#[cfg(test)]
mod compose_file_tests {
    use super::*;
    use crate::testing::fixture;

    fn files(fx: &str, of: &str) -> Vec<String> {
        let f = fixture(fx);
        let path = PathBuf::from("/w").join(of);
        project_of(&f.snapshot, &path)
            .files
            .iter()
            .map(|p| p.strip_prefix("/w").unwrap().display().to_string())
            .collect()
    }

    #[test]
    fn compose_file_in_the_project_env_chooses_the_files() {
        let fx = r#"
            #- /compose.yaml
            services: {web: {image: a}}
            #- /compose.override.yaml
            services: {web: {image: b}}
            #- /compose.prod.yaml
            services: {web: {image: c}}
            #- /.env
            COMPOSE_FILE=compose.yaml:compose.prod.yaml
            "#;
        assert_eq!(files(fx, "compose.yaml"), ["compose.yaml", "compose.prod.yaml"]);
        assert_eq!(files(fx, "compose.prod.yaml"), ["compose.yaml", "compose.prod.yaml"]);
        // A file COMPOSE_FILE leaves out keeps the default pairing.
        assert_eq!(files(fx, "compose.override.yaml"), ["compose.yaml", "compose.override.yaml"]);
    }

    #[test]
    fn compose_profiles_lists_active_profiles() {
        let f =
            fixture("#- /compose.yaml\nservices: {}\n#- /.env\nCOMPOSE_PROFILES=debug, tools\n");
        let active = active_profiles(&f.snapshot, Path::new("/w/compose.yaml"));
        assert_eq!(active, ["debug", "tools"]);
        assert!(active_profiles(&f.snapshot, Path::new("/w/sub/compose.yaml")).is_empty());
    }

    #[test]
    fn a_custom_separator_is_honoured() {
        let fx = r#"
            #- /base.yml
            services: {web: {image: a}}
            #- /dev.yml
            services: {web: {image: b}}
            #- /.env
            COMPOSE_PATH_SEPARATOR=;
            COMPOSE_FILE=base.yml;dev.yml
            "#;
        assert_eq!(files(fx, "dev.yml"), ["base.yml", "dev.yml"]);
    }
}

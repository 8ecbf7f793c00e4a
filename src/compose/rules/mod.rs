//! Compose rules. Each submodule checks one concern over a shared [`Ctx`].

mod anchors;
mod build_refs;
mod conflicts;
mod cycle;
mod dockerfile_facts;
mod env_form;
mod missing_file;
mod schema_check;
mod simple;
#[cfg(test)]
mod tests;
mod undefined;

use std::path::Path;
use std::sync::Arc;

use super::model::{self, ComposeModel};
use super::project::{self, MergedService, Project};
use crate::diagnostics::{Diagnostic, RuleInfo};
use crate::workspace::{Document, Snapshot};

pub use dockerfile_facts::{DockerfileFacts, dockerfile_facts};
pub use env_form::convert_environment;

/// What every rule sees: this file, its model, and the project it belongs to.
pub struct Ctx<'a> {
    pub snap: &'a Snapshot,
    pub doc: &'a Document,
    pub model: Arc<ComposeModel>,
    pub project: Project,
    pub services: Arc<Vec<MergedService>>,
}

impl Ctx<'_> {
    pub fn path(&self) -> &Arc<Path> {
        &self.doc.path
    }

    pub fn text(&self) -> &str {
        &self.doc.text
    }

    /// The models of every file in the project (this one included).
    pub fn project_models(&self) -> Vec<(&Arc<Document>, Arc<ComposeModel>)> {
        project::project_models(self.snap, &self.project)
    }
}

pub const RULES: &[RuleInfo] = &[
    simple::DUPLICATE_KEY,
    simple::OBSOLETE_VERSION,
    simple::INTERPOLATION_SYNTAX,
    anchors::UNDEFINED_ANCHOR,
    undefined::UNDEFINED_SERVICE,
    undefined::UNDEFINED_NETWORK,
    undefined::UNDEFINED_VOLUME,
    undefined::UNDEFINED_SECRET,
    undefined::UNDEFINED_CONFIG,
    cycle::DEPENDS_ON_CYCLE,
    conflicts::PORT_CONFLICT,
    conflicts::DUPLICATE_CONTAINER_NAME,
    missing_file::MISSING_FILE,
    build_refs::UNKNOWN_BUILD_TARGET,
    build_refs::UNKNOWN_BUILD_ARG,
    schema_check::UNKNOWN_KEY,
    schema_check::INVALID_VALUE,
];

pub fn diagnostics(snap: &Snapshot, doc: &Document) -> Vec<Diagnostic> {
    let project = project::project_of(snap, &doc.path);
    let services = project::merged_services_shared(snap, &project);
    let ctx = Ctx { snap, doc, model: model::model(doc), project, services };
    // Two halves of about equal cost, one per core. Measured per rule on a keystroke in a
    // 500-service file: undefined references ~300 µs, the rest 50–150 µs each (simple and
    // anchors ~0).
    let (mut out, second) = rayon::join(
        || {
            let mut out = Vec::new();
            simple::check(&ctx, &mut out);
            anchors::check(&ctx, &mut out);
            undefined::check(&ctx, &mut out);
            build_refs::check(&ctx, &mut out);
            out
        },
        || {
            let mut out = Vec::new();
            conflicts::check(&ctx, &mut out);
            missing_file::check(&ctx, &mut out);
            cycle::check(&ctx, &mut out);
            schema_check::check(&ctx, &mut out);
            out
        },
    );
    out.extend(second);
    out.sort_by_key(|d| (d.range.start, d.code));
    dedup(out)
}

/// Content shared through anchors is checked once per use; report it once. `out` is sorted
/// (stably) by start and code, so copies sit in one run of equal start and code, the first in
/// the run being the first reported.
fn dedup(out: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut kept: Vec<Diagnostic> = Vec::with_capacity(out.len());
    let mut run = 0;
    for d in out {
        if kept.last().is_none_or(|l| (l.range.start, l.code) != (d.range.start, d.code)) {
            run = kept.len();
        }
        let copy = kept[run..].iter().any(|k| k.range == d.range && k.message == d.message);
        if !copy {
            kept.push(d);
        }
    }
    kept
}

/// The closest name to `name` among `candidates`, when it is close enough to be a likely typo.
pub fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    Candidates::new(candidates.collect()).closest(name)
}

/// A list of names asked for the closest to several names (the services of a project, for
/// each unknown reference): its digest for the memo is taken once.
pub struct Candidates<'a> {
    list: Vec<&'a str>,
    digest: std::cell::OnceCell<u128>,
}

impl<'a> Candidates<'a> {
    pub fn new(list: Vec<&'a str>) -> Candidates<'a> {
        Candidates { list, digest: Default::default() }
    }

    /// [`closest`] among these names.
    pub fn closest(&self, name: &str) -> Option<&'a str> {
        if self.list.len() < MEMO_FROM {
            return closest_among(name, &self.list).map(|i| self.list[i]);
        }
        // Hundreds of names, asked again on every keystroke for each unknown reference:
        // remember the answer for this name among exactly these names.
        let list = *self.digest.get_or_init(|| digest(&self.list, None));
        memoised(digest(&[name], Some(list)), || closest_among(name, &self.list))
            .map(|i| self.list[i])
    }
}

/// The remembered answer under `key`, else `find`'s (remembered).
fn memoised(key: u128, find: impl FnOnce() -> Option<usize>) -> Option<usize> {
    let memo = CLOSEST_MEMO.get_or_init(Default::default);
    if let Some(&hit) = crate::util::lock(memo).get(&key) {
        return hit.map(|i| i as usize);
    }
    let found = find();
    let mut memo = crate::util::lock(memo);
    if memo.len() >= MEMO_CAPACITY {
        memo.clear();
    }
    memo.insert(key, found.map(|i| i as u32));
    found
}

/// Lists shorter than this are scored directly.
const MEMO_FROM: usize = 32;
/// Entries kept before the memo starts over.
const MEMO_CAPACITY: usize = 4096;

type ClosestMemo = std::sync::Mutex<crate::util::FastMap<u128, Option<u32>>>;
static CLOSEST_MEMO: std::sync::OnceLock<ClosestMemo> = std::sync::OnceLock::new();

/// A 128-bit digest of a list of names (order included: the answer is an index) and of the
/// digest of another list, under two independent random seeds.
fn digest(names: &[&str], of: Option<u128>) -> u128 {
    use std::hash::{BuildHasher, Hash, Hasher};
    static SEEDS: std::sync::OnceLock<[foldhash::quality::RandomState; 2]> =
        std::sync::OnceLock::new();
    let seeds = SEEDS.get_or_init(Default::default);
    let digest = |seed: &foldhash::quality::RandomState| {
        let mut h = seed.build_hasher();
        names.hash(&mut h);
        of.hash(&mut h);
        h.finish()
    };
    (u128::from(digest(&seeds[0])) << 64) | u128::from(digest(&seeds[1]))
}

/// The index of the best-scoring candidate other than `name` itself at or above the typo
/// threshold.
fn closest_among(name: &str, candidates: &[&str]) -> Option<usize> {
    // The name is folded once, and a candidate only when it has something to fold.
    let folded = name.to_lowercase();
    candidates
        .iter()
        .enumerate()
        .filter(|(_, c)| **c != name)
        .map(|(i, c)| (strsim::jaro_winkler(&folded, &fold(c)), i))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, i)| i)
}

/// `c` lower-cased, allocating only when some letter in it is not lower case already.
fn fold(c: &str) -> std::borrow::Cow<'_, str> {
    if c.chars().any(|ch| ch.is_alphabetic() && !ch.is_lowercase()) {
        c.to_lowercase().into()
    } else {
        c.into()
    }
}

/// The preferred fix for a likely typo found by [`closest`]: `range` of the compose file
/// becomes `to`.
pub fn change_to(ctx: &Ctx, range: std::ops::Range<usize>, to: &str) -> crate::diagnostics::Fix {
    crate::diagnostics::Fix::local(
        format!("Change to `{to}`"),
        ctx.path(),
        vec![(range, to.to_string())],
        true,
    )
}

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
    let mut out = Vec::new();
    simple::check(&ctx, &mut out);
    anchors::check(&ctx, &mut out);
    undefined::check(&ctx, &mut out);
    cycle::check(&ctx, &mut out);
    conflicts::check(&ctx, &mut out);
    missing_file::check(&ctx, &mut out);
    build_refs::check(&ctx, &mut out);
    schema_check::check(&ctx, &mut out);
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
    // Hundreds of candidates (a project's services): the name is folded once, and a candidate
    // only when it has something to fold.
    let folded = name.to_lowercase();
    candidates
        .filter(|c| *c != name)
        .map(|c| (strsim::jaro_winkler(&folded, &fold(c)), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
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

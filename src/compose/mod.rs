//! Compose files: the typed model, interpolation, projects (which files combine and how they
//! merge), the Compose Specification knowledge table, rules, navigation, completion and hover.

pub mod complete;
pub mod facts;
pub mod hover;
#[cfg(test)]
mod incremental_tests;
pub mod interpolate;
pub mod model;
pub mod navigate;
pub mod outline;
pub mod project;
pub mod rules;
pub mod schema;
pub mod values;

use std::ops::Range;
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Location, RuleInfo};
use crate::ide::{CompletionItem, Fold, Highlight, HoverResult, Link, RenameTarget, Symbol};
use crate::workspace::{Document, FileKind, Snapshot};

pub use model::ComposeModel;

/// The cached model of this version of `doc`.
pub fn model(doc: &Document) -> Arc<ComposeModel> {
    model::model(doc)
}

/// Every code the compose module can emit.
pub const RULES: &[RuleInfo] = rules::RULES;

pub fn diagnostics(snap: &Snapshot, doc: &Document) -> Vec<Diagnostic> {
    rules::diagnostics(snap, doc)
}

/// Definitions of the name at `offset`: a service, network, volume, secret, config or anchor
/// in the project, or the Dockerfile stage (`build.target`) or `ARG` (`build.args` key).
/// Refactorings offered for `range` that no diagnostic asks for (code actions of kind
/// `refactor.rewrite`): converting `environment` between its list and map forms.
pub fn refactors(
    snap: &Snapshot,
    doc: &Document,
    range: Range<usize>,
) -> Vec<crate::diagnostics::Fix> {
    let _ = snap;
    rules::convert_environment(doc, range)
}

pub fn definition(snap: &Snapshot, doc: &Document, offset: usize) -> Vec<Location> {
    let found = navigate::definition(snap, doc, offset);
    if !found.is_empty() {
        return found;
    }
    facts::dockerfile_definition(snap, doc, offset)
}

pub fn references(
    snap: &Snapshot,
    doc: &Document,
    offset: usize,
    include_decl: bool,
) -> Vec<Location> {
    navigate::references(snap, doc, offset, include_decl)
}

pub fn highlights(snap: &Snapshot, doc: &Document, offset: usize) -> Vec<Highlight> {
    navigate::highlights(snap, doc, offset)
}

pub fn rename(snap: &Snapshot, doc: &Document, offset: usize) -> Option<RenameTarget> {
    navigate::rename(snap, doc, offset)
}

pub fn symbols(doc: &Document) -> Vec<Symbol> {
    outline::symbols(doc)
}

pub fn folds(doc: &Document) -> Vec<Fold> {
    outline::folds(doc)
}

pub fn links(snap: &Snapshot, doc: &Document) -> Vec<Link> {
    outline::links(snap, doc)
}

/// The Dockerfile a build section uses, when it is in the snapshot.
pub fn dockerfile_of(
    snap: &Snapshot,
    compose_path: &std::path::Path,
    b: &model::Build,
) -> Option<Arc<Document>> {
    if b.dockerfile_inline {
        return None;
    }
    let context = b.context.as_ref().map(|c| c.text.as_str()).unwrap_or(".");
    if context.contains("://") || context.contains('$') {
        return None;
    }
    let dir = project::resolve_path(compose_path, context);
    let file = b.dockerfile.as_ref().map(|d| d.text.as_str()).unwrap_or("Dockerfile");
    if file.contains('$') {
        return None;
    }
    snap.get(&project::resolve_in(&dir, file)).filter(|d| d.kind == FileKind::Dockerfile).cloned()
}

/// Completion at `offset`: the cursor's place in the schema (from the YAML tree, or from the
/// lines around it while the file does not parse), filled with the project's names.
pub fn complete(snap: &Snapshot, doc: &Document, offset: usize) -> Vec<CompletionItem> {
    let m = model(doc);
    let (ctx, _) = complete::cursor_context_in(doc, &m.yaml, offset);
    let service = match ctx.path.as_slice() {
        [top, name, ..] if top == "services" => Some(name.as_str()),
        _ => None,
    };
    let needs = complete::Needs::of(&ctx);
    let lists = complete::NameLists::gather(snap, doc, service, needs);
    let mut items = complete::complete(&ctx, &lists.names());
    if needs.variables {
        let env = facts::project_dotenv(snap, &doc.path);
        for item in items.iter_mut().filter(|i| i.kind == crate::ide::CompletionKind::Variable) {
            let set = env.as_ref().and_then(|(_, e)| e.get(&item.label));
            item.detail = Some(match set {
                Some(e) => format!(".env: {}", facts::shown_value(snap, &e.key, &e.value)),
                None => "read by the Python settings".to_string(),
            });
        }
    }
    items
}

/// Hover at `offset`: what a reference points at (a service, a variable, a Dockerfile stage
/// or `ARG`), else the schema's documentation of the key or value.
pub fn hover(snap: &Snapshot, doc: &Document, offset: usize) -> Option<HoverResult> {
    if let Some(target) = facts::target_at(doc, offset)
        && let Some(markdown) = hover::hover_target(snap, doc, &target)
    {
        return Some(HoverResult { range: target.range(), markdown });
    }
    let m = model(doc);
    let at = m.yaml.path_at(&doc.text, offset);
    let path: Vec<String> = at
        .path
        .iter()
        .enumerate()
        .map(|(i, seg)| match seg {
            // Service, network… names stand for `*` in the schema.
            crate::yaml::PathSeg::Key(_) if i == 1 && at.path.len() > 1 => "*".to_string(),
            crate::yaml::PathSeg::Key(k) => k.clone(),
            crate::yaml::PathSeg::Index(_) => "[]".to_string(),
        })
        .collect();
    let range: Range<usize> = at.range.clone();
    let text = doc.text.get(range.clone()).unwrap_or("");
    let markdown = match at.position {
        crate::yaml::Position::Key => hover::hover_key(&path)?,
        crate::yaml::Position::Value => hover::hover_value(&path, text.trim_matches(['"', '\'']))
            .or_else(|| hover::hover_key(&path))?,
    };
    Some(HoverResult { range, markdown })
}

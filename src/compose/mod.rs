//! Compose files: the typed model, interpolation, projects (which files combine and how they
//! merge), rules, and navigation.

pub mod interpolate;
pub mod model;
pub mod project;

use std::sync::Arc;

use crate::workspace::Document;

pub use model::ComposeModel;

/// The cached model of this version of `doc`.
pub fn model(doc: &Document) -> Arc<ComposeModel> {
    model::model(doc)
}

pub mod rules;

use crate::diagnostics::{Diagnostic, RuleInfo};
use crate::workspace::Snapshot;

/// Every code the compose module can emit.
pub const RULES: &[RuleInfo] = rules::RULES;

pub fn diagnostics(snap: &Snapshot, doc: &Document) -> Vec<Diagnostic> {
    rules::diagnostics(snap, doc)
}

pub mod navigate;
pub mod outline;

use crate::diagnostics::Location;
use crate::ide::{Fold, Highlight, Link, RenameTarget, Symbol};

pub fn definition(snap: &Snapshot, doc: &Document, offset: usize) -> Vec<Location> {
    navigate::definition(snap, doc, offset)
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

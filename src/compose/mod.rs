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

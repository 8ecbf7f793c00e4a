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

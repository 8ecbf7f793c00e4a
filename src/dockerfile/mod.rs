//! Dockerfiles: the model (directives, instructions, stages, variables with Docker's scoping),
//! build checks and hadolint-style rules with quick fixes, navigation, symbols, folds, links.

use std::sync::Arc;

use crate::workspace::Document;

pub mod lexer;
pub mod model;

pub use model::Model;

/// The model of this document version, built once and cached on the document.
pub fn model(doc: &Document) -> Arc<Model> {
    doc.model(|d| Model::build(&d.text))
}

/// The model of a bare text (tests, tools).
pub fn model_from_text(text: &str) -> Model {
    Model::build(text)
}

pub mod flags;
pub mod image;
pub mod navigate;
pub mod rules;

pub use rules::{RULES, diagnostics, diagnostics_with};
pub mod symbols;

pub use navigate::{definition, highlights, references, rename};
pub use symbols::{folds, links, symbols};

#[cfg(test)]
mod nav_tests;

//! Dockerfiles: the model (directives, instructions, stages, variables with Docker's scoping),
//! build checks and hadolint-style rules with quick fixes, navigation, symbols, folds, links,
//! completion, hover, formatting, semantic tokens and signature help.
//!
//! The model is read by `lexer.rs` line by line as BuildKit reads a Dockerfile (continuations
//! with the file's escape character, heredocs, comments inside continuations): the grammar
//! hard-codes `\` and has no node for unknown instructions. The tree-sitter tree still serves
//! syntax errors and semantic tokens.

use std::sync::Arc;

use crate::ide::{CompletionItem, HoverResult};
use crate::workspace::{Document, FileKind, Snapshot};

pub mod complete;
pub mod flags;
pub mod format;
pub mod hover;
pub mod image;
pub mod knowledge;
pub mod lexer;
pub mod model;
pub mod navigate;
pub mod rules;
pub mod semantic;
pub mod signature;
pub mod symbols;

#[cfg(test)]
mod nav_tests;

pub use format::format;
pub use model::Model;
pub use navigate::{definition, highlights, references, rename};
pub use rules::{RULES, diagnostics, diagnostics_with};
pub use semantic::semantic_tokens;
pub use signature::signature_help;
pub use symbols::{folds, links, symbols};

/// The model of this document version, built once and cached on the document.
pub fn model(doc: &Document) -> Arc<Model> {
    doc.model(|d| Model::build(&d.text))
}

/// The model of a bare text (tests, tools).
pub fn model_from_text(text: &str) -> Model {
    Model::build(text)
}

/// What completion and hover need to know from the model at a cursor.
struct Scope {
    stages: Vec<complete::StageInfo>,
    vars: Vec<complete::VarInfo>,
    images: Vec<String>,
}

impl Scope {
    fn at(snap: &Snapshot, doc: &Document, offset: usize) -> Scope {
        let m = model(doc);
        let stages = m
            .stages
            .iter()
            .map(|s| complete::StageInfo {
                name: s.name.clone(),
                index: s.index,
                from_line_range: m
                    .instructions
                    .get(s.from)
                    .map_or(s.range.clone(), |i| i.range.clone()),
                base_image: s.image.as_ref().map(|i| i.text.clone()).unwrap_or_default(),
            })
            .collect();
        let vars = m
            .vars_in_scope(offset)
            .into_iter()
            .filter_map(|v| {
                let kind = match v.kind {
                    model::VarKind::Arg => complete::VarKind::Arg,
                    model::VarKind::Env => complete::VarKind::Env,
                    // Predefined args come from the knowledge table.
                    model::VarKind::Predefined => return None,
                };
                Some(complete::VarInfo {
                    name: v.name,
                    value: v.value,
                    kind,
                    decl_range: v.range.unwrap_or(0..0),
                })
            })
            .collect();
        Scope { stages, vars, images: workspace_images(snap, doc) }
    }

    fn info(&self) -> complete::ScopeInfo<'_> {
        complete::ScopeInfo {
            stages: &self.stages,
            vars: &self.vars,
            images_in_workspace: &self.images,
        }
    }
}

/// Base images used by other Dockerfiles of the workspace (offered first after `FROM`).
fn workspace_images(snap: &Snapshot, doc: &Document) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for other in snap.of_kind(FileKind::Dockerfile).filter(|d| d.path != doc.path).take(200) {
        for s in &model(other).stages {
            if let Some(img) = &s.image
                && s.base_stage.is_none()
                && !img.text.contains('$')
                && !out.contains(&img.text)
            {
                out.push(img.text.clone());
            }
        }
    }
    out.sort();
    out
}

pub fn complete(snap: &Snapshot, doc: &Document, offset: usize) -> Vec<CompletionItem> {
    let scope = Scope::at(snap, doc, offset);
    complete::complete(doc, offset, &scope.info())
}

pub fn hover(snap: &Snapshot, doc: &Document, offset: usize) -> Option<HoverResult> {
    let scope = Scope::at(snap, doc, offset);
    hover::hover(doc, offset, &scope.info())
}

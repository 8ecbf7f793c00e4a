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
mod incremental_tests;
#[cfg(test)]
mod nav_tests;

pub use format::format;
pub use model::Model;
pub use navigate::{definition, highlights, references, rename};
pub use rules::{RULES, diagnostics, diagnostics_with};
pub use semantic::semantic_tokens;
pub use signature::signature_help;
pub use symbols::{folds, links, symbols};

/// The model of this document version, built once and cached on the document, from the
/// previous version's model where there is one (only the edited instructions are parsed again).
pub fn model(doc: &Document) -> Arc<Model> {
    doc.model_taking_prev(|d, prev: Option<(Arc<Model>, _)>| match prev {
        // While typing no one else holds the previous model: take it over.
        Some((old, changes)) => match Arc::try_unwrap(old) {
            Ok(old) => Model::build_taking(&d.text, old, changes),
            Err(shared) => {
                let m = Model::build_from(&d.text, &shared, changes);
                crate::util::drop_later(shared);
                m
            }
        },
        None => Model::build(&d.text),
    })
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
    let base = hover::hover(doc, offset, &scope.info());
    let Some((name, range)) = arg_at(&model(doc), offset) else { return base };
    let passed = compose_build_args(snap, doc, &name);
    if passed.is_empty() {
        return base;
    }
    let mut h = base.unwrap_or(HoverResult { range, markdown: format!("**ARG `{name}`**") });
    h.markdown.push_str("\n\n**Passed by compose `build.args`:**\n");
    for line in passed {
        h.markdown.push_str(&format!("\n- {line}"));
    }
    Some(h)
}

/// The ARG name declared or referenced at `offset`, with its range there.
fn arg_at(m: &Model, offset: usize) -> Option<(String, std::ops::Range<usize>)> {
    let within = |r: &std::ops::Range<usize>| r.start <= offset && offset <= r.end;
    let decls = m.global_args.iter().chain(m.stage_decls.iter().flatten());
    for d in decls {
        if let Some(r) = d.range.as_ref().filter(|r| d.kind == model::VarKind::Arg && within(r)) {
            return Some((d.name.clone(), r.clone()));
        }
    }
    let r = m.refs.iter().find(|r| within(&r.name_range))?;
    let is_arg = m.resolve_var(offset, &r.name).is_none_or(|d| d.kind != model::VarKind::Env);
    is_arg.then(|| (r.name.clone(), r.name_range.clone()))
}

/// `service (compose file:line): value` for every compose service that builds this Dockerfile
/// and passes `name` in `build.args`.
fn compose_build_args(snap: &Snapshot, doc: &Document, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for c in snap.of_kind(FileKind::Compose) {
        let cm = crate::compose::model(c);
        for svc in &cm.services {
            let Some(b) = &svc.build else { continue };
            let Some(arg) = b.args.iter().find(|a| a.key == name) else { continue };
            let builds_this =
                crate::compose::dockerfile_of(snap, &c.path, b).is_some_and(|d| d.path == doc.path);
            if !builds_this {
                continue;
            }
            let file = c.path.file_name().and_then(|n| n.to_str()).unwrap_or("compose");
            let line = c.line_of(arg.key_range.start) + 1;
            let value = match &arg.value {
                Some(_) if snap.config.mask_secrets && crate::secrets::is_secret_name(name) => {
                    "`••••` (masked)".to_string()
                }
                Some(v) => format!("`{}`", v.text.replace('`', "'")),
                None => "from the shell (no value in the file)".to_string(),
            };
            out.push(format!("`{}` ({file}:{line}): {value}", svc.name));
        }
    }
    out
}

#[cfg(test)]
mod cross_file_hover_tests {
    use crate::testing::fixture;

    fn hover_text(fx: &str) -> String {
        let f = fixture(fx);
        let (doc, offset) = f.at_cursor();
        super::hover(&f.snapshot, doc, offset).map(|h| h.markdown).unwrap_or_default()
    }

    #[test]
    fn arg_hover_shows_values_compose_passes() {
        let md = hover_text(
            r#"
            #- /compose.yaml
            services:
              web:
                build:
                  context: .
                  args:
                    PY_VERSION: "3.12"
                    API_TOKEN: abc123
            #- /Dockerfile
            ARG PY_$0VERSION=3.11
            ARG API_TOKEN
            FROM python:${PY_VERSION}
            "#,
        );
        assert!(md.contains("Passed by compose `build.args`"), "{md}");
        assert!(md.contains("`web` (compose.yaml:6): `3.12`"), "{md}");
        let secret = hover_text(
            r#"
            #- /compose.yaml
            services:
              web:
                build:
                  args:
                    API_TOKEN: abc123
            #- /Dockerfile
            ARG API_$0TOKEN
            FROM python:3.12
            "#,
        );
        assert!(secret.contains("masked") && !secret.contains("abc123"), "{secret}");
    }

    #[test]
    fn no_compose_section_without_a_building_service() {
        let md = hover_text("#- /Dockerfile\nARG PY_$0VERSION=3.11\nFROM python:${PY_VERSION}\n");
        assert!(!md.contains("compose"), "{md}");
    }
}

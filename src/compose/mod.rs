//! Compose files: the typed model, interpolation, projects (which files combine and how they
//! merge), the Compose Specification knowledge table, rules, navigation, completion and hover.

pub mod complete;
pub mod hover;
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

/// Names the cursor may refer to, gathered from the project and the Dockerfile a service builds.
struct NameLists {
    services: Vec<String>,
    networks: Vec<String>,
    volumes: Vec<String>,
    secrets: Vec<String>,
    configs: Vec<String>,
    stages: Vec<String>,
    build_args: Vec<String>,
    images: Vec<String>,
}

impl NameLists {
    fn gather(snap: &Snapshot, doc: &Document, service: Option<&str>) -> NameLists {
        let project = project::project_of(snap, &doc.path);
        let mut n = NameLists {
            services: Vec::new(),
            networks: Vec::new(),
            volumes: Vec::new(),
            secrets: Vec::new(),
            configs: Vec::new(),
            stages: Vec::new(),
            build_args: Vec::new(),
            images: Vec::new(),
        };
        let push = |v: &mut Vec<String>, s: &str| {
            if !v.iter().any(|x| x == s) {
                v.push(s.to_string());
            }
        };
        for path in project.all() {
            let Some(d) = snap.get(path) else { continue };
            let m = model(d);
            for s in &m.services {
                push(&mut n.services, &s.name);
                if let Some(img) = &s.image {
                    push(&mut n.images, &img.text);
                }
            }
            for d in &m.networks {
                push(&mut n.networks, &d.name);
            }
            for d in &m.volumes {
                push(&mut n.volumes, &d.name);
            }
            for d in &m.secrets {
                push(&mut n.secrets, &d.name);
            }
            for d in &m.configs {
                push(&mut n.configs, &d.name);
            }
        }
        let m = model(doc);
        let build = service.and_then(|s| m.service(s)).and_then(|s| s.build.as_ref());
        if let Some(df) = build.and_then(|b| dockerfile_of(snap, &doc.path, b)) {
            let facts = rules::dockerfile_facts(&df);
            n.stages = facts.stages.into_iter().map(|(s, _)| s).collect();
            n.build_args = facts.args;
        }
        for other in snap.of_kind(FileKind::Compose).take(200) {
            for s in &model(other).services {
                if let Some(img) = &s.image {
                    push(&mut n.images, &img.text);
                }
            }
        }
        n
    }

    fn names(&self) -> complete::Names<'_> {
        fn v(x: &[String]) -> Vec<&str> {
            x.iter().map(String::as_str).collect()
        }
        complete::Names {
            services: v(&self.services),
            networks: v(&self.networks),
            volumes: v(&self.volumes),
            secrets: v(&self.secrets),
            configs: v(&self.configs),
            stages: v(&self.stages),
            build_args: v(&self.build_args),
            images: v(&self.images),
            ..Default::default()
        }
    }
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
    snap.get(&project::normalize(&dir.join(file)))
        .filter(|d| d.kind == FileKind::Dockerfile)
        .cloned()
}

pub fn complete(snap: &Snapshot, doc: &Document, offset: usize) -> Vec<CompletionItem> {
    let ctx = complete::context_from_text(&doc.text, offset);
    let service = match ctx.path.as_slice() {
        [top, name, ..] if top == "services" => Some(name.clone()),
        _ => None,
    };
    let lists = NameLists::gather(snap, doc, service.as_deref());
    complete::complete(&ctx, &lists.names())
}

pub fn hover(snap: &Snapshot, doc: &Document, offset: usize) -> Option<HoverResult> {
    let _ = snap;
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

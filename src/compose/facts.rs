//! Facts completion, hover and navigation share: the project `.env`, the build section a
//! service uses (its own or the one merged from other files), the Dockerfile behind it, and
//! which cross-file thing the cursor is on.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use super::interpolate::Var;
use super::model::{self, Build, KeyValue, Str};
use super::project;
use crate::diagnostics::Location;
use crate::dotenv::DotenvModel;
use crate::workspace::{Document, FileKind, Snapshot};

#[cfg(test)]
mod tests;

/// The `.env` Compose reads for interpolation: the one in the project directory (the folder
/// of the project's first file).
pub fn project_dotenv(
    snap: &Snapshot,
    compose_path: &Path,
) -> Option<(Arc<Document>, Arc<DotenvModel>)> {
    let project = project::project_of(snap, compose_path);
    let first = project.files.first().map(|p| &**p).unwrap_or(compose_path);
    let dir = first.parent()?;
    let doc = snap.get(&dir.join(".env")).filter(|d| d.kind == FileKind::Dotenv)?;
    Some((doc.clone(), crate::dotenv::model(doc)))
}

/// The build section of service `name`: written in this file, or merged from the project's
/// other files (an override that only sets `target` builds what the base file describes).
pub fn build_of(snap: &Snapshot, doc: &Document, name: &str) -> Option<(Arc<Path>, Build)> {
    let m = model::model(doc);
    let local = m.service(name).and_then(|s| s.build.as_ref());
    if let Some(b) = local.filter(|b| b.context.is_some() || b.dockerfile.is_some()) {
        return Some((doc.path.clone(), b.clone()));
    }
    let project = project::project_of(snap, &doc.path);
    let merged = project::merged_services_shared(snap, &project);
    merged
        .iter()
        .find(|s| s.name == name)
        .and_then(|s| s.build.clone())
        .or_else(|| local.map(|b| (doc.path.clone(), b.clone())))
}

/// The Dockerfile service `name` builds, when it is in the snapshot.
pub fn dockerfile_for(snap: &Snapshot, doc: &Document, name: &str) -> Option<Arc<Document>> {
    let (path, build) = build_of(snap, doc, name)?;
    super::dockerfile_of(snap, &path, &build)
}

/// `value` as a hover may show it: masked when it looks secret and masking is on.
pub fn shown_value(snap: &Snapshot, name: &str, value: &str) -> String {
    crate::secrets::display_value(name, value, snap.config.mask_secrets)
}

/// The cross-file thing under the cursor.
#[derive(Clone, Debug)]
pub enum Target {
    /// A service name: its declaration (`decl`) or a reference to it.
    Service { name: String, range: Range<usize>, decl: bool },
    /// A `$VAR` / `${VAR…}` reference (the innermost one at the cursor).
    Var(Var),
    /// The value of `build.target` in service `service`.
    BuildTarget { service: String, target: Str },
    /// A key of `build.args` in service `service`.
    BuildArg { service: String, arg: KeyValue },
}

impl Target {
    /// The span a hover highlights.
    pub fn range(&self) -> Range<usize> {
        match self {
            Target::Service { range, .. } => range.clone(),
            Target::Var(v) => v.range.clone(),
            Target::BuildTarget { target, .. } => target.range.clone(),
            Target::BuildArg { arg, .. } => arg.key_range.clone(),
        }
    }
}

fn within(r: &Range<usize>, offset: usize) -> bool {
    r.start <= offset && offset <= r.end
}

pub fn target_at(doc: &Document, offset: usize) -> Option<Target> {
    let m = model::model(doc);
    // Innermost first: nested references come after the one holding them.
    if let Some(v) = m.interpolation.vars.iter().rev().find(|v| within(&v.range, offset)) {
        return Some(Target::Var(v.clone()));
    }
    for svc in &m.services {
        if !within(&svc.entry_range, offset) {
            continue;
        }
        if let Some(b) = &svc.build {
            if let Some(t) = b.target.as_ref().filter(|t| within(&t.range, offset)) {
                return Some(Target::BuildTarget { service: svc.name.clone(), target: t.clone() });
            }
            if let Some(a) = b.args.iter().find(|a| within(&a.key_range, offset)) {
                return Some(Target::BuildArg { service: svc.name.clone(), arg: a.clone() });
            }
        }
    }
    let occ = super::navigate::service_at(&m, offset)?;
    Some(Target::Service { name: occ.name, range: occ.range, decl: occ.decl })
}

/// From `build.target` to the stage's name in the Dockerfile, from a `build.args` key to its
/// `ARG` declaration.
pub fn dockerfile_definition(snap: &Snapshot, doc: &Document, offset: usize) -> Vec<Location> {
    let (service, stage, arg) = match target_at(doc, offset) {
        Some(Target::BuildTarget { service, target }) => (service, Some(target.text), None),
        Some(Target::BuildArg { service, arg }) => (service, None, Some(arg.key)),
        _ => return Vec::new(),
    };
    let Some(df) = dockerfile_for(snap, doc, &service) else { return Vec::new() };
    let m = crate::dockerfile::model(&df);
    let range = match (stage, arg) {
        (Some(name), _) => m
            .stages
            .iter()
            .find(|s| s.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(&name)))
            .and_then(|s| s.name_range.clone()),
        (_, Some(name)) => {
            m.args_declared().into_iter().find(|a| a.name == name).and_then(|a| a.range)
        }
        _ => None,
    };
    range.map(|range| Location { path: df.path.clone(), range }).into_iter().collect()
}

//! Definition, references, highlights and rename of an environment variable across
//! Dockerfiles, compose files, `.env` files and Python.

use super::index::{Graph, Site, What, graph, site_at};
use crate::diagnostics::Location;
use crate::ide::{Highlight, RenameTarget};
use crate::python::ReadKind;
use crate::workspace::{Document, Snapshot};

/// From a read: the places that set the variable for the services running that code (all the
/// places that set it when no service runs it). From a place that sets it: the reads of the
/// code the service runs (all reads when unknown). A `$VAR` inside a Dockerfile is left to the
/// Dockerfile module.
pub fn definition(snap: &Snapshot, doc: &Document, offset: usize) -> Vec<Location> {
    let g = graph(snap);
    let Some(site) = site_at(&g, doc, offset) else { return Vec::new() };
    let name = site.name.as_str();
    let all_sets = || g.sites_of(name).filter(|s| s.sets()).map(|s| s.location.clone()).collect();
    let mut out: Vec<Location> = match &site.what {
        What::DockerfileReference => return Vec::new(),
        What::PythonRead(_) => {
            let mut own: Vec<Location> = g
                .services_running(&site.location.path)
                .filter_map(|s| s.env.get(name))
                .map(|p| p.source.clone())
                .filter(|l| !l.range.is_empty())
                .collect();
            if own.is_empty() {
                own = all_sets();
            }
            own
        }
        What::ComposeInterpolation { .. } | What::DotenvReference => {
            let dotenv: Vec<Location> = g
                .sites_of(name)
                .filter(|s| s.what == What::Dotenv)
                .map(|s| s.location.clone())
                .collect();
            if dotenv.is_empty() { all_sets() } else { dotenv }
        }
        _ => reads_for(&g, site),
    };
    dedup(&mut out);
    out
}

/// The reads in the code of the services `site` sets the variable for.
fn reads_for(g: &Graph, site: &Site) -> Vec<Location> {
    let name = site.name.as_str();
    let reads = |s: &Site| matches!(s.what, What::PythonRead(_));
    let mut own = Vec::new();
    for svc in g.services() {
        let sets_it = svc.env.get(name).is_some_and(|p| p.source == site.location);
        let Some(runs) = svc.runs.as_ref().filter(|_| sets_it) else { continue };
        for s in g.sites_of(name).filter(|s| reads(s)) {
            if runs.files.contains(&s.location.path) {
                own.push(s.location.clone());
            }
        }
    }
    if own.is_empty() {
        own = g.sites_of(name).filter(|s| reads(s)).map(|s| s.location.clone()).collect();
    }
    own
}

/// Every set and read of the name under the cursor (sets only with `include_decl`).
pub fn references(
    snap: &Snapshot,
    doc: &Document,
    offset: usize,
    include_decl: bool,
) -> Vec<Location> {
    let g = graph(snap);
    let Some(site) = site_at(&g, doc, offset) else { return Vec::new() };
    let mut out: Vec<Location> = g
        .sites_of(&site.name)
        .filter(|s| include_decl || !s.sets())
        .map(|s| s.location.clone())
        .collect();
    dedup(&mut out);
    out
}

pub fn highlights(snap: &Snapshot, doc: &Document, offset: usize) -> Vec<Highlight> {
    let g = graph(snap);
    let Some(site) = site_at(&g, doc, offset) else { return Vec::new() };
    g.sites_of(&site.name)
        .filter(|s| *s.location.path == *doc.path)
        .map(|s| Highlight { range: s.location.range.clone(), write: s.sets() })
        .collect()
}

/// Every mention written exactly as the name (a pydantic field `database_url` or a name a
/// library implies, like `dj_database_url.config()`'s `DATABASE_URL`, is not renamed).
pub fn rename(snap: &Snapshot, doc: &Document, offset: usize) -> Option<RenameTarget> {
    let g = graph(snap);
    let site = site_at(&g, doc, offset)?;
    if !written_as_name(snap, site) {
        return None;
    }
    let mut occurrences: Vec<Location> = g
        .sites_of(&site.name)
        .filter(|s| s.name == site.name && written_as_name(snap, s))
        .filter(|s| !matches!(&s.what, What::PythonRead(r) if r.kind == ReadKind::Prefix))
        .map(|s| s.location.clone())
        .collect();
    dedup(&mut occurrences);
    Some(RenameTarget {
        range: site.location.range.clone(),
        placeholder: site.name.clone(),
        occurrences,
    })
}

fn written_as_name(snap: &Snapshot, s: &Site) -> bool {
    snap.get(&s.location.path).and_then(|d| d.text.get(s.location.range.clone()))
        == Some(s.name.as_str())
}

fn dedup(v: &mut Vec<Location>) {
    let mut seen = std::collections::HashSet::new();
    v.retain(|l| seen.insert(l.clone()));
}

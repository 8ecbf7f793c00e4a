//! Definition, references, highlights and rename for stages and ARG/ENV variables.

use std::ops::Range;

use super::model::Model;

/// Places that name stage `index` other than its `AS` name: `FROM <stage>`,
/// `COPY --from=<stage>`, `RUN --mount=…,from=<stage>`. The bool is "by index" (`--from=0`).
pub fn stage_refs(m: &Model, index: usize) -> Vec<(Range<usize>, bool)> {
    let mut out = Vec::new();
    for s in &m.stages {
        if s.base_stage == Some(index)
            && let Some(im) = &s.image
        {
            out.push((im.range.clone(), false));
        }
    }
    for i in &m.instructions {
        for f in &i.flags {
            let (Some(v), Some(vr)) = (&f.value, &f.value_range) else { continue };
            if f.name == "from" {
                if m.stage_by_ref(v).map(|s| s.index) == Some(index) {
                    out.push((vr.clone(), v.parse::<usize>().is_ok()));
                }
            } else if f.name == "mount" {
                let mut off = 0;
                for part in v.split(',') {
                    if let Some(from) = part.strip_prefix("from=")
                        && m.stage_by_ref(from).map(|s| s.index) == Some(index)
                        && v.len() == vr.len()
                    {
                        let s = vr.start + off + 5;
                        out.push((s..s + from.len(), from.parse::<usize>().is_ok()));
                    }
                    off += part.len() + 1;
                }
            }
        }
    }
    out.sort_by_key(|(r, _)| r.start);
    out
}

use crate::diagnostics::Location;
use crate::ide::{Highlight, RenameTarget};
use crate::workspace::{Document, Snapshot};

use super::model::{VarDecl, VarKind};

/// What the cursor is on.
#[derive(Clone, Debug)]
enum Target {
    Stage(usize),
    Var(VarDecl),
}

fn within(r: &Range<usize>, offset: usize) -> bool {
    r.start <= offset && offset <= r.end
}

/// The stage or variable at `offset`, with the span of the name under the cursor.
fn target_at(m: &Model, offset: usize) -> Option<(Target, Range<usize>)> {
    for s in &m.stages {
        if let Some(r) = s.name_range.as_ref().filter(|r| within(r, offset)) {
            return Some((Target::Stage(s.index), r.clone()));
        }
        for (r, _) in stage_refs(m, s.index) {
            if within(&r, offset) {
                return Some((Target::Stage(s.index), r));
            }
        }
    }
    if let Some(r) = m.refs.iter().find(|r| within(&r.name_range, offset)) {
        let d = m.decl_of_ref(r)?;
        return Some((Target::Var(d), r.name_range.clone()));
    }
    let decl = m
        .global_args
        .iter()
        .chain(m.stage_decls.iter().flatten())
        .find(|d| d.range.as_ref().is_some_and(|r| within(r, offset)))?;
    Some((Target::Var(decl.clone()), decl.range.clone()?))
}

/// Declarations a variable declaration stands for: a stage's `ARG X` without a value
/// redeclares the global `ARG X`, so both are its definition.
fn definitions(m: &Model, d: &VarDecl) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = d.range.iter().cloned().collect();
    if d.kind == VarKind::Arg && d.stage.is_some() {
        let redeclares = d
            .instruction
            .and_then(|i| m.instructions[i].pairs.iter().find(|p| p.key == d.name))
            .is_some_and(|p| p.value.is_none());
        if redeclares && let Some(g) = m.global_args.iter().rev().find(|g| g.name == d.name) {
            out.extend(g.range.clone());
        }
    }
    out
}

fn var_refs(m: &Model, d: &VarDecl) -> Vec<Range<usize>> {
    m.refs
        .iter()
        .filter(|r| r.name == d.name)
        .filter(|r| m.decl_of_ref(r).is_some_and(|x| x.range == d.range && x.kind == d.kind))
        .map(|r| r.name_range.clone())
        .collect()
}

fn loc(doc: &Document, range: Range<usize>) -> Location {
    Location { path: doc.path.clone(), range }
}

pub fn definition(_snap: &Snapshot, doc: &Document, offset: usize) -> Vec<Location> {
    let m = super::model(doc);
    match target_at(&m, offset) {
        Some((Target::Stage(i), _)) => {
            m.stages[i].name_range.iter().map(|r| loc(doc, r.clone())).collect()
        }
        Some((Target::Var(d), _)) => definitions(&m, &d).into_iter().map(|r| loc(doc, r)).collect(),
        None => Vec::new(),
    }
}

fn occurrences(m: &Model, t: &Target, include_decl: bool) -> Vec<(Range<usize>, bool)> {
    let mut out = Vec::new();
    match t {
        Target::Stage(i) => {
            if include_decl && let Some(r) = &m.stages[*i].name_range {
                out.push((r.clone(), true));
            }
            out.extend(stage_refs(m, *i).into_iter().map(|(r, _)| (r, false)));
        }
        Target::Var(d) => {
            if include_decl && let Some(r) = &d.range {
                out.push((r.clone(), true));
            }
            out.extend(var_refs(m, d).into_iter().map(|r| (r, false)));
        }
    }
    out.sort_by_key(|(r, _)| r.start);
    out.dedup_by_key(|(r, _)| r.start);
    out
}

pub fn references(
    _snap: &Snapshot,
    doc: &Document,
    offset: usize,
    include_decl: bool,
) -> Vec<Location> {
    let m = super::model(doc);
    let Some((t, _)) = target_at(&m, offset) else { return Vec::new() };
    occurrences(&m, &t, include_decl).into_iter().map(|(r, _)| loc(doc, r)).collect()
}

pub fn highlights(_snap: &Snapshot, doc: &Document, offset: usize) -> Vec<Highlight> {
    let m = super::model(doc);
    let Some((t, _)) = target_at(&m, offset) else { return Vec::new() };
    occurrences(&m, &t, true).into_iter().map(|(range, write)| Highlight { range, write }).collect()
}

pub fn rename(_snap: &Snapshot, doc: &Document, offset: usize) -> Option<RenameTarget> {
    let m = super::model(doc);
    let (t, range) = target_at(&m, offset)?;
    let mut ranges: Vec<Range<usize>> = match &t {
        Target::Stage(i) => {
            let s = &m.stages[*i];
            // A stage used by index only (`--from=0`) keeps its index: nothing to rename there.
            let mut v: Vec<_> = s.name_range.iter().cloned().collect();
            v.extend(
                stage_refs(&m, *i).into_iter().filter(|(_, by_index)| !by_index).map(|(r, _)| r),
            );
            s.name.as_ref()?;
            v
        }
        Target::Var(d) if d.kind == VarKind::Predefined => return None,
        Target::Var(d) => {
            let family = family(&m, d);
            let mut v: Vec<_> = family.iter().filter_map(|x| x.range.clone()).collect();
            v.extend(
                m.refs
                    .iter()
                    .filter(|r| r.name == d.name)
                    .filter(|r| {
                        m.decl_of_ref(r).is_some_and(|x| family.iter().any(|f| f.range == x.range))
                    })
                    .map(|r| r.name_range.clone()),
            );
            v
        }
    };
    ranges.sort_by_key(|r| r.start);
    ranges.dedup();
    Some(RenameTarget {
        placeholder: doc.text[range.clone()].to_string(),
        range,
        occurrences: ranges.into_iter().map(|r| loc(doc, r)).collect(),
    })
}

fn redeclares_global(m: &Model, d: &VarDecl) -> bool {
    d.kind == VarKind::Arg
        && (d.stage.is_none()
            || d.instruction
                .and_then(|i| m.instructions[i].pairs.iter().find(|p| p.key == d.name))
                .is_some_and(|p| p.value.is_none()))
}

/// The declarations a rename must change together: a global ARG with its redeclarations
/// (`ARG X` without a value in a stage), or the declarations of the name within one stage.
fn family(m: &Model, d: &VarDecl) -> Vec<VarDecl> {
    let all =
        m.global_args.iter().chain(m.stage_decls.iter().flatten()).filter(|x| x.name == d.name);
    if redeclares_global(m, d) && m.global_args.iter().any(|g| g.name == d.name) {
        all.filter(|x| redeclares_global(m, x)).cloned().collect()
    } else {
        all.filter(|x| x.stage == d.stage).cloned().collect()
    }
}

//! Completion of variable names: in a compose service's `environment` and in a `.env` file,
//! the names the service's code reads that it does not set yet; inside the name string of a
//! Python read, the names set anywhere.

use std::collections::BTreeMap;
use std::ops::Range;

use super::hover::cast_label;
use super::index::{Service, graph};
use crate::compose::project::resolve_path;
use crate::ide::{CompletionItem, CompletionKind};
use crate::python::{DefaultValue, EnvRead, ReadKind, Requirement};
use crate::workspace::{Document, FileKind, Snapshot};

/// None when the cursor is not where a variable name goes; the caller then asks the file
/// kind's module.
pub fn complete(snap: &Snapshot, doc: &Document, offset: usize) -> Option<Vec<CompletionItem>> {
    if offset > doc.text.len() || !doc.text.is_char_boundary(offset) {
        return None;
    }
    match doc.kind {
        FileKind::Compose => compose(snap, doc, offset),
        FileKind::Dotenv => dotenv(snap, doc, offset),
        FileKind::Python => python(snap, doc, offset),
        FileKind::Dockerfile => None,
    }
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The name being typed around `offset` on its line, and the text before it on the line.
pub(super) fn word_at(text: &str, offset: usize) -> (Range<usize>, &str) {
    let bytes = text.as_bytes();
    let mut s = offset;
    while s > 0 && is_name_byte(bytes[s - 1]) {
        s -= 1;
    }
    let mut e = offset;
    while e < bytes.len() && is_name_byte(bytes[e]) {
        e += 1;
    }
    let line_start = text[..s].rfind('\n').map_or(0, |i| i + 1);
    (s..e, &text[line_start..s])
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The service whose `environment` block the cursor is in (block style), and whether it is
/// the list form, found from the lines above: YAML may not parse a half-typed key.
pub(super) fn environment_block(
    text: &str,
    line_start: usize,
    own_indent: usize,
) -> Option<(String, bool)> {
    let mut list = None;
    let mut env_indent = None;
    for line in text[..line_start].lines().rev() {
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let i = indent(line);
        match env_indent {
            None if i >= own_indent => {
                list.get_or_insert(t.starts_with("- "));
            }
            None => {
                if t.trim_end() != "environment:" {
                    return None;
                }
                env_indent = Some(i);
            }
            Some(ei) if i < ei => {
                let name = t.trim_end().strip_suffix(':')?;
                let name = name.trim_matches(['"', '\'']);
                return Some((name.to_string(), list.unwrap_or(false)));
            }
            Some(_) => {}
        }
    }
    None
}

fn compose(snap: &Snapshot, doc: &Document, offset: usize) -> Option<Vec<CompletionItem>> {
    let (word, before) = word_at(&doc.text, offset);
    let item_prefix = before.trim_start();
    let list_item = match item_prefix {
        "" => false,
        "- " | "-" => true,
        _ => return None,
    };
    let line_start = word.start - before.len();
    let (service, list) = environment_block(&doc.text, line_start, indent(before))?;
    let list = list || list_item;
    let g = graph(snap);
    let sep = if list { "=" } else { ": " };
    let project = crate::compose::project::project_of(snap, &doc.path);
    let found = g
        .projects()
        .iter()
        .filter(|p| p.files == project.files)
        .flat_map(|p| p.services.iter().map(|&i| &g.services()[i]))
        .find(|s| s.env.name == service);
    if let Some(svc) = found {
        return Some(unset_reads(&[svc], word, sep));
    }
    // A half-typed key can make the whole file unparseable: look at the file without it.
    let mut text = doc.text.to_string();
    text.replace_range(line_start..word.end, "");
    let mut repaired = snap.clone();
    repaired.insert(Document::new(doc.path.clone(), doc.kind, doc.version, &text));
    let merged = crate::compose::project::merged_services(&repaired, &project);
    let env = super::graph::service_env(&repaired, merged.into_iter().find(|s| s.name == service)?);
    let runs = super::settings::runs(&repaired, &env, g.roots());
    let svc = Service { env: std::sync::Arc::new(env), runs, roots: Vec::new() };
    Some(unset_reads(&[&svc], word, sep))
}

fn dotenv(snap: &Snapshot, doc: &Document, offset: usize) -> Option<Vec<CompletionItem>> {
    let (word, before) = word_at(&doc.text, offset);
    let before = before.trim_start();
    if !(before.is_empty() || before.trim_end() == "export") {
        return None;
    }
    let g = graph(snap);
    // The services that load this file, else those of a compose project next to it.
    let mut svcs: Vec<&Service> = g
        .services()
        .iter()
        .filter(|s| {
            s.env
                .service
                .env_file
                .iter()
                .any(|(from, ef)| resolve_path(from, &ef.path.text) == *doc.path)
        })
        .collect();
    if svcs.is_empty() {
        let dir = doc.path.parent();
        svcs = g.services().iter().filter(|s| s.env.location.path.parent() == dir).collect();
    }
    Some(unset_reads(&svcs, word, "="))
}

/// Names the services' code reads and the services do not set, required ones first.
fn unset_reads(svcs: &[&Service], replace: Range<usize>, sep: &str) -> Vec<CompletionItem> {
    let mut by_name: BTreeMap<String, &EnvRead> = BTreeMap::new();
    for svc in svcs {
        let Some(runs) = &svc.runs else { continue };
        for (_, r) in &runs.reads {
            let Some(name) = r.name.as_literal() else { continue };
            if r.kind != ReadKind::Value || name.is_empty() || svc.env.get(name).is_some() {
                continue;
            }
            let required = |r: &EnvRead| r.requirement == Requirement::Required;
            match by_name.get(name) {
                Some(prev) if required(prev) || !required(r) => {}
                _ => {
                    by_name.insert(name.to_string(), r);
                }
            }
        }
    }
    by_name
        .into_iter()
        .map(|(name, r)| {
            let rank = match r.requirement {
                Requirement::Required => 0,
                Requirement::RuntimeRequired => 1,
                Requirement::Optional => 2,
            };
            CompletionItem::new(name.clone(), CompletionKind::Variable, replace.clone())
                .detail(read_detail(r))
                .docs(format!("Read by `{}`; not set for this service yet.", r.api))
                .insert(format!("{name}{sep}"))
                .sort(format!("{rank}{name}"))
        })
        .collect()
}

fn read_detail(r: &EnvRead) -> String {
    let mut parts = vec![match r.requirement {
        Requirement::Required => "required".to_string(),
        Requirement::RuntimeRequired => "needed when used".to_string(),
        Requirement::Optional => "optional".to_string(),
    }];
    if let Some(d) = &r.default {
        parts.push(match &d.value {
            DefaultValue::Str(s) => format!("default \"{s}\""),
            DefaultValue::Literal(s) => format!("default {s}"),
            DefaultValue::None => "default None".to_string(),
            DefaultValue::Expr => "computed default".to_string(),
        });
    }
    parts.push(cast_label(&r.cast));
    parts.join(" · ")
}

fn python(snap: &Snapshot, doc: &Document, offset: usize) -> Option<Vec<CompletionItem>> {
    let m = crate::python::model(doc);
    let in_name = |r: &Range<usize>| r.start <= offset && offset <= r.end;
    let replace = m
        .reads
        .iter()
        .filter(|r| r.kind != ReadKind::Prefix && r.name.as_literal().is_some())
        .map(|r| &r.name_range)
        .chain(m.sets.iter().filter(|s| s.name.as_literal().is_some()).map(|s| &s.name_range))
        .find(|r| in_name(r))?
        .clone();
    // The name string must really be under the cursor (not an implied name on a call).
    let quoted = doc.text.as_bytes().get(replace.end).is_some_and(|b| *b == b'"' || *b == b'\'');
    if !quoted {
        return None;
    }
    let g = graph(snap);
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    for s in g.sites().iter().filter(|s| s.sets()) {
        seen.entry(&s.name).or_insert_with(|| super::hover::relative(snap, &s.location.path));
    }
    Some(
        seen.into_iter()
            .map(|(name, file)| {
                CompletionItem::new(name, CompletionKind::Variable, replace.clone())
                    .detail(format!("set in {file}"))
            })
            .collect(),
    )
}

//! Quick fixes for `env-missing`: give the service the variable (in its `environment`, an env
//! file, or the project `.env` passed through), or give the read a default.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use super::graph::ServiceEnv;
use crate::diagnostics::{FileEdit, Fix};
use crate::python::{Cast, EnvRead};
use crate::workspace::{Document, Snapshot};
use crate::yaml::{Node, Value};

/// A value the read's cast accepts.
pub fn placeholder(cast: &Cast) -> String {
    match cast {
        Cast::Bool => "false".into(),
        Cast::Int | Cast::Float => "0".into(),
        Cast::DbUrl => "postgres://user:password@db:5432/app".into(),
        Cast::CacheUrl => "locmemcache://".into(),
        Cast::EmailUrl => "consolemail://".into(),
        Cast::SearchUrl => "simple://".into(),
        Cast::Url => "http://localhost".into(),
        Cast::Choices(c) if !c.is_empty() => c[0].clone(),
        _ => "change-me".into(),
    }
}

/// The same placeholder as a Python literal for a `default=`.
fn python_default(cast: &Cast) -> String {
    match cast {
        Cast::Bool => "False".into(),
        Cast::Int => "0".into(),
        Cast::Float => "0.0".into(),
        c => format!("{:?}", placeholder(c)),
    }
}

pub fn missing_fixes(
    snap: &Snapshot,
    svc: &ServiceEnv,
    file: &Arc<Path>,
    read: &EnvRead,
) -> Vec<Fix> {
    let Some(name) = read.name.as_literal() else { return Vec::new() };
    let value = placeholder(&read.cast);
    let mut out = Vec::new();
    if let Some(edit) = environment_edit(snap, svc, name, Some(&value)) {
        out.push(Fix {
            title: format!("Add `{name}` to service `{}`'s environment", svc.name),
            edits: vec![edit],
            preferred: true,
        });
    }
    for (from, ef) in &svc.service.env_file {
        let path = crate::compose::project::resolve_path(from, &ef.path.text);
        if let Some(doc) = snap.get(&path) {
            out.push(Fix {
                title: format!("Add `{name}` to `{}`", ef.path.text),
                edits: vec![append_line(doc, &format!("{name}={value}"))],
                preferred: false,
            });
        }
    }
    let project = crate::compose::project::project_of(snap, &svc.location.path);
    let dotenv =
        project.files.first().and_then(|f| f.parent()).and_then(|d| snap.get(&d.join(".env")));
    let already_env_file = svc.service.env_file.iter().any(|(from, ef)| {
        dotenv
            .is_some_and(|d| crate::compose::project::resolve_path(from, &ef.path.text) == *d.path)
    });
    if let (Some(doc), false) = (dotenv, already_env_file)
        && let Some(pass) = environment_edit(snap, svc, name, None)
    {
        out.push(Fix {
            title: format!(
                "Add `{name}` to the project `.env` and pass it to service `{}`",
                svc.name
            ),
            edits: vec![append_line(doc, &format!("{name}={value}")), pass],
            preferred: false,
        });
    }
    if let Some(edit) = default_edit(snap, file, read) {
        out.push(Fix {
            title: format!("Give `{name}` a default where it is read"),
            edits: vec![edit],
            preferred: false,
        });
    }
    out
}

fn append_line(doc: &Document, line: &str) -> FileEdit {
    let end = doc.text.len();
    let nl = if doc.text.is_empty() || doc.text.ends_with('\n') { "" } else { "\n" };
    FileEdit { path: doc.path.clone(), range: end..end, new_text: format!("{nl}{line}\n") }
}

/// Add `name` (with `value`, or value-less to take it from the project `.env`) to the
/// service's `environment`, in the style the block is written in.
fn environment_edit(
    snap: &Snapshot,
    svc: &ServiceEnv,
    name: &str,
    value: Option<&str>,
) -> Option<FileEdit> {
    let defs = &svc.service.definitions;
    let (path, _) =
        defs.iter().find(|(_, s)| !s.environment.is_empty()).or_else(|| defs.first())?;
    let doc = snap.get(path)?;
    let m = crate::compose::model(doc);
    let service = m.yaml.get("services")?.as_map()?.entry(&svc.name)?;
    let map_item = match value {
        Some(v) => format!("{name}: {}", yaml_quoted(v)),
        None => format!("{name}:"),
    };
    let list_item = match value {
        Some(v) => format!("{name}={v}"),
        None => name.to_string(),
    };
    let edit = |range: Range<usize>, new_text: String| {
        Some(FileEdit { path: doc.path.clone(), range, new_text })
    };
    let Some(env) = service.value.get("environment") else {
        // No `environment` yet: a new block after the service's last key.
        let map = service.value.as_map().filter(|m| !m.flow)?;
        let first = map.entries.first()?;
        let last = map.entries.last()?;
        let indent = column(doc, first.key_range.start);
        let at = line_end(doc, last.value.range.end.max(last.key_range.end));
        let pad = " ".repeat(indent);
        return edit(at..at, format!("\n{pad}environment:\n{pad}  {map_item}"));
    };
    if !env.is_local() {
        return None;
    }
    match &env.value {
        Value::Map(m) if !m.flow && !m.entries.is_empty() => {
            let first = &m.entries[0];
            let last = m.entries.last()?;
            let at = line_end(doc, last.value.range.end.max(last.key_range.end));
            let pad = " ".repeat(column(doc, first.key_range.start));
            edit(at..at, format!("\n{pad}{map_item}"))
        }
        Value::Seq(s) if !s.flow && !s.items.is_empty() => {
            let last = s.items.last()?;
            let at = line_end(doc, last.range.end);
            let dash = doc.text[..s.items[0].range.start].rfind('-')?;
            let pad = " ".repeat(column(doc, dash));
            edit(at..at, format!("\n{pad}- {list_item}"))
        }
        Value::Map(m) if m.flow => flow_insert(doc, env, &map_item, m.entries.is_empty()),
        Value::Seq(s) if s.flow => flow_insert(doc, env, &list_item, s.items.is_empty()),
        _ => None,
    }
}

/// Before the closing bracket of a flow collection.
fn flow_insert(doc: &Document, node: &Node, item: &str, empty: bool) -> Option<FileEdit> {
    let close = node.range.end.checked_sub(1)?;
    if !matches!(doc.text.as_bytes().get(close), Some(b'}' | b']')) {
        return None;
    }
    let sep = if empty { "" } else { ", " };
    let inner_end = doc.text[..close].trim_end().len();
    Some(FileEdit {
        path: doc.path.clone(),
        range: inner_end..inner_end,
        new_text: format!("{sep}{item}"),
    })
}

fn column(doc: &Document, offset: usize) -> usize {
    let start = doc.line_range(doc.line_of(offset)).start;
    offset - start
}

/// The end of the line holding the byte before `offset` (the last byte of an entry).
fn line_end(doc: &Document, offset: usize) -> usize {
    doc.line_range(doc.line_of(offset.saturating_sub(1))).end
}

fn yaml_quoted(v: &str) -> String {
    format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `env("X")` → `env("X", default=…)`; `os.environ["X"]` → `os.environ.get("X", "…")`.
fn default_edit(snap: &Snapshot, file: &Arc<Path>, read: &EnvRead) -> Option<FileEdit> {
    let doc = snap.get(file)?;
    let call = doc.text.get(read.call_range.clone())?;
    let api = &*read.api;
    if api == "os.environ[]" {
        let open = call.find('[')?;
        let inner = call[open + 1..].strip_suffix(']')?;
        let new = format!("{}.get({inner}, {:?})", &call[..open], placeholder(&read.cast));
        return Some(FileEdit {
            path: doc.path.clone(),
            range: read.call_range.clone(),
            new_text: new,
        });
    }
    let takes_default =
        ["django-environ env", "decouple config", "environs env", "dj_database_url"]
            .iter()
            .any(|p| api.starts_with(p));
    if !takes_default || !call.ends_with(')') || call.contains("default=") {
        return None;
    }
    let close = read.call_range.end - 1;
    let before = doc.text[..close].trim_end();
    let sep = if before.ends_with('(') {
        ""
    } else if before.ends_with(',') {
        " "
    } else {
        ", "
    };
    let at = before.len();
    Some(FileEdit {
        path: doc.path.clone(),
        range: at..at,
        new_text: format!("{sep}default={}", python_default(&read.cast)),
    })
}

//! Hover on an environment variable name in any file kind: where it is set, where it is read,
//! and what each service ends up with.

use std::fmt::Write;
use std::path::Path;

use super::graph::Origin;
use super::index::{Graph, Service, Site, What, arg_at, graph, site_at};
use crate::ide::HoverResult;
use crate::python::{Cast, DefaultValue, EnvRead, Requirement};
use crate::secrets::display_value as shown;
use crate::workspace::{Document, Snapshot};

pub fn hover(snap: &Snapshot, doc: &Document, offset: usize) -> Option<HoverResult> {
    let g = graph(snap);
    let (name, range) = match site_at(&g, doc, offset) {
        Some(s) => (s.name.clone(), s.location.range.clone()),
        None => arg_at(&g, doc, offset)?,
    };
    Some(HoverResult { range, markdown: markdown(snap, &g, doc, &name) })
}

/// A name the code reads that is one or two edits away from `name` (a likely misspelling).
fn close_read_name<'a>(g: &'a Graph, name: &str) -> Option<&'a str> {
    g.sites()
        .iter()
        .filter(|s| matches!(s.what, What::PythonRead(_)) && s.name != name)
        .map(|s| (strsim::levenshtein(&s.name, name), s.name.as_str()))
        .filter(|(d, _)| (1..=2).contains(d))
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

fn markdown(snap: &Snapshot, g: &Graph, doc: &Document, name: &str) -> String {
    let mask = snap.config.mask_secrets;
    let mut md = format!("**`{name}`** · environment variable\n");
    let sites: Vec<&Site> = g.sites_of(name).collect();
    let sets: Vec<&&Site> = sites.iter().filter(|s| s.sets()).collect();
    let reads: Vec<&&Site> = sites.iter().filter(|s| !s.sets()).collect();
    md.push_str("\n**Set**\n");
    if sets.is_empty() {
        md.push_str("- nowhere berth can see\n");
    }
    for s in &sets {
        let place = place(snap, &s.location.path, s.location.range.start);
        let how = match &s.what {
            What::ComposeEnv { service } => format!("service `{service}`"),
            What::Dotenv => "`.env` entry".to_string(),
            What::DockerfileEnv => "`ENV`".to_string(),
            What::PythonSet { default: true } => "`os.environ.setdefault`".to_string(),
            _ => "`os.environ[…] =`".to_string(),
        };
        let value = match &s.value {
            Some(v) => format!("`{}`", code(&shown(name, v, mask))),
            None => "no value (taken from the shell or the project `.env`)".to_string(),
        };
        let _ = writeln!(md, "- {place} {how}: {value}");
    }
    md.push_str("\n**Read**\n");
    if name == "DJANGO_SETTINGS_MODULE" {
        md.push_str("- by Django, to choose the settings module\n");
    } else if reads.is_empty() {
        md.push_str("- by nothing berth knows\n");
        if let Some(close) = close_read_name(g, name) {
            let _ = writeln!(md, "- did you mean `{close}`? The code reads that name");
        }
    }
    for s in &reads {
        let place = place(snap, &s.location.path, s.location.range.start);
        let how = match &s.what {
            What::PythonRead(r) => describe_read(r, mask),
            What::ComposeInterpolation { has_default: true } => {
                "compose interpolation, with a default".to_string()
            }
            What::ComposeInterpolation { .. } => "compose interpolation".to_string(),
            What::DotenvReference => "`${…}` in a `.env` value".to_string(),
            _ => "`$…` in the Dockerfile".to_string(),
        };
        let _ = writeln!(md, "- {place} {how}");
    }
    let services: Vec<(&Service, String)> = g
        .services()
        .iter()
        .filter_map(|s| Some((s, effective(snap, s, name, doc, mask)?)))
        .collect();
    if !services.is_empty() {
        md.push_str("\n**Per service**\n");
        for (s, v) in services {
            let _ = writeln!(md, "- `{}`: {v}", s.env.name);
        }
    }
    md
}

/// What `svc`'s container gets for `name`, or None when the service has nothing to do with it.
fn effective(
    snap: &Snapshot,
    svc: &Service,
    name: &str,
    doc: &Document,
    mask: bool,
) -> Option<String> {
    let reads = svc.runs.as_ref().is_some_and(|r| r.reads_name(name));
    let unknown_code = svc.runs.is_none()
        && svc.env.service.build.is_some()
        && svc.env.location.path.parent().is_some_and(|d| doc.path.starts_with(d));
    let caveat = if svc.runs.is_none() {
        " (berth cannot tell which settings this service runs)"
    } else {
        ""
    };
    match svc.env.get(name) {
        Some(p) => {
            let origin = match p.origin {
                Origin::Environment => "environment",
                Origin::EnvFile => "env_file",
                Origin::ImageEnv => "image `ENV`",
            };
            let value = match &p.value {
                Some(v) => format!("`{}`", code(&shown(name, v, mask))),
                None if p.origin == Origin::ImageEnv => {
                    "a value built from other variables".to_string()
                }
                None => match svc.env.service.environment.iter().find(|(_, kv)| kv.key == name) {
                    Some((_, kv)) if kv.value.is_some() => {
                        let raw = kv.value.as_ref().map(|v| v.text.as_str()).unwrap_or("");
                        match project_dotenv_value(snap, svc, raw) {
                            Some(v) => format!(
                                "`{}` (interpolated from `{}` with the project `.env`)",
                                code(&shown(name, &v, mask)),
                                code(raw)
                            ),
                            None => format!("interpolated from `{}`", code(raw)),
                        }
                    }
                    _ => "from the shell or the project `.env`".to_string(),
                },
            };
            Some(format!("{value} ({origin}){caveat}"))
        }
        None if reads => {
            let fallback = svc
                .runs
                .iter()
                .flat_map(|r| r.reads.iter())
                .filter(|(_, r)| r.name.as_literal() == Some(name))
                .find_map(|(_, r)| r.default.as_ref())
                .map(|d| format!("; the code falls back to {}", default_text(&d.value, name, mask)))
                .unwrap_or_default();
            let hidden = if svc.env.complete {
                ""
            } else {
                " where berth can see (its image or an env file out of sight may set it)"
            };
            Some(format!("not set{hidden}{fallback}"))
        }
        None if unknown_code => {
            Some("not set; berth cannot tell which settings this service runs".to_string())
        }
        None => None,
    }
}

fn describe_read(r: &EnvRead, mask: bool) -> String {
    let mut parts = vec![format!("`{}`", r.api)];
    parts.push(
        match r.requirement {
            Requirement::Required => "required",
            Requirement::RuntimeRequired => "needed when used",
            Requirement::Optional => "optional",
        }
        .to_string(),
    );
    if let Some(d) = &r.default {
        let name = r.name.as_literal().unwrap_or("");
        parts.push(format!("default {}", default_text(&d.value, name, mask)));
    }
    if !matches!(r.cast, Cast::Str | Cast::Unknown) {
        parts.push(format!("cast: {}", cast_label(&r.cast)));
    }
    parts.join(" · ")
}

fn default_text(v: &DefaultValue, name: &str, mask: bool) -> String {
    match v {
        DefaultValue::Str(s) => format!("`\"{}\"`", code(&shown(name, s, mask))),
        DefaultValue::Literal(s) => format!("`{}`", code(s)),
        DefaultValue::None => "`None`".to_string(),
        DefaultValue::Expr => "a computed value".to_string(),
    }
}

pub fn cast_label(c: &Cast) -> String {
    match c {
        Cast::Str => "string".into(),
        Cast::Bool => "boolean".into(),
        Cast::Int => "integer".into(),
        Cast::Float => "number".into(),
        Cast::List => "list".into(),
        Cast::Tuple => "tuple".into(),
        Cast::Dict => "dict".into(),
        Cast::Json => "JSON".into(),
        Cast::Url => "URL".into(),
        Cast::DbUrl => "database URL".into(),
        Cast::CacheUrl => "cache URL".into(),
        Cast::EmailUrl => "email URL".into(),
        Cast::SearchUrl => "search URL".into(),
        Cast::Path => "path".into(),
        Cast::Csv => "comma-separated list".into(),
        Cast::Choices(c) => format!("one of {}", c.join(", ")),
        Cast::Unknown => "custom".into(),
    }
}

/// `path:line` relative to the workspace folder, for a list item.
pub fn place(snap: &Snapshot, path: &Path, offset: usize) -> String {
    let line = snap.get(path).map(|d| d.line_of(offset) + 1).unwrap_or(1);
    format!("`{}:{line}`", relative(snap, path))
}

pub fn relative(snap: &Snapshot, path: &Path) -> String {
    snap.roots.iter().find_map(|r| path.strip_prefix(r).ok()).unwrap_or(path).display().to_string()
}

/// Text safe inside a Markdown code span.
fn code(s: &str) -> String {
    let one_line: String = s.replace(['\n', '\r'], " ").chars().take(80).collect();
    one_line.replace('`', "'")
}

/// `raw` interpolated with the project `.env` alone (the shell may still override it; a
/// variable missing there becomes empty, as Compose makes it).
fn project_dotenv_value(snap: &Snapshot, svc: &Service, raw: &str) -> Option<String> {
    let project = crate::compose::project::project_of(snap, &svc.env.location.path);
    let dir = project.files.first()?.parent()?;
    let env = crate::dotenv::model(snap.get(&dir.join(".env"))?);
    let lookup = |n: &str| env.get(n).map(|e| e.value.clone());
    crate::compose::interpolate::resolve(raw, &lookup).ok()
}

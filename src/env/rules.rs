//! Cross-file environment checks: what a compose service provides against what the Python
//! code it runs reads.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use super::graph::{Origin, Provided, ServiceEnv};
use super::index::{Graph, Service, graph};
use super::settings::Runs;
use crate::diagnostics::{Diagnostic, Fix, RuleInfo, Severity};
use crate::python::{Cast, EnvRead, ReadKind, Requirement};
use crate::workspace::{Document, FileKind, Snapshot};

pub const ENV_TYPO: &str = "env-typo";
pub const ENV_MISSING: &str = "env-missing";
pub const ENV_INVALID_VALUE: &str = "env-invalid-value";

/// Names this close (in single-character edits) to a required, unset name are taken for typos.
const MAX_TYPO_DISTANCE: usize = 2;

pub const RULES: &[RuleInfo] = &[
    RuleInfo {
        code: ENV_TYPO,
        scope: "cross-file",
        default_severity: Severity::Warning,
        enabled_by_default: true,
        fixable: true,
        summary: "A service sets a variable its code never reads, next to one it needs.",
        docs: "A compose service sets a variable in `environment` that the Python code it runs \
               never reads, while that code requires a variable whose name differs by one or \
               two characters and which nothing sets. That is almost always a misspelling: the \
               value goes nowhere and the app fails on start.\n\n\
               ```yaml\nservices:\n  web:\n    environment:\n      DATABSE_URL: postgres://db/app\n```\n\
               with `os.environ[\"DATABASE_URL\"]` in the settings. Fix: rename the variable to \
               the name the code reads (offered as a quick fix).",
    },
    RuleInfo {
        code: ENV_MISSING,
        scope: "cross-file",
        default_severity: Severity::Error,
        enabled_by_default: true,
        fixable: true,
        summary: "Code a service runs requires a variable the service does not set.",
        docs: "The settings (or other start-up code) a compose service runs read a variable \
               without a default, e.g. `os.environ[\"SECRET_KEY\"]` or `env(\"SECRET_KEY\")`, and \
               neither the service's `environment`, its `env_file`s nor the image's `ENV` \
               provide it. The container then stops with an error as it starts. Reads that only \
               fail when the value is used (such as `dj_database_url.config()`) are warnings.\n\n\
               Fix: add the variable to the service's `environment` or to an `env_file`, or give \
               the read a default.",
    },
    RuleInfo {
        code: ENV_INVALID_VALUE,
        scope: "cross-file",
        default_severity: Severity::Warning,
        enabled_by_default: true,
        fixable: false,
        summary: "A provided value is not what the code's cast accepts.",
        docs: "A service gives a variable a literal value that the code reading it cannot \
               convert: a boolean read (`env.bool`) accepts true/false, yes/no, on/off and 1/0 \
               in any case; integer and float reads need a number; URL reads (`env.db_url`, \
               `env.url`, `env.cache_url`) need a `scheme://` prefix. django-environ turns an \
               unrecognised boolean into `False` without a word, so `DEBUG=yes-please` quietly \
               switches debugging off.\n\n\
               Fix: write the value in a form the cast accepts.",
    },
];

/// The environment diagnostics reported in `doc` (any file kind).
pub fn diagnostics(snap: &Snapshot, doc: &Document) -> Vec<Diagnostic> {
    // Without Python in sight no service runs code berth can follow (its modules are `.py`
    // files), so no service-based finding is possible and the graph is not needed: the common
    // case of a compose file or Dockerfile edited on its own costs nothing here.
    if !snap.documents().any(|d| could_be_python(d)) {
        return super::unset::diagnostics(snap, doc);
    }
    diagnostics_with(snap, &graph(snap), doc)
}

/// [`diagnostics`] over a given graph of `snap`.
pub(crate) fn diagnostics_with(snap: &Snapshot, g: &Graph, doc: &Document) -> Vec<Diagnostic> {
    let mut out = service_diagnostics(snap, g, doc);
    out.extend(super::unset::diagnostics(snap, doc));
    out.extend(super::settings_module::diagnostics(snap, g, doc));
    out
}

/// A Python module, or a file module resolution could find (`x.py`, whatever its kind).
fn could_be_python(d: &Document) -> bool {
    d.kind == FileKind::Python || d.path.extension().is_some_and(|e| e == "py")
}

/// The service-based findings (`env-typo`, `env-missing`, `env-invalid-value`, `env-unused`)
/// reported in `doc`.
fn service_diagnostics(snap: &Snapshot, g: &Graph, doc: &Document) -> Vec<Diagnostic> {
    // They sit where a service sets a variable (compose, env files) or where code reads one:
    // never in a Dockerfile (an image's `ENV` has no value range and is never unread), so a
    // keystroke there needs no services.
    if doc.kind == FileKind::Dockerfile {
        return Vec::new();
    }
    // In a Python file they come only from `env-missing` at its reads, found by checking the
    // services that run code: the others need not be built.
    if doc.kind == FileKind::Python && g.project_diagnostics.get().is_none() {
        let mut all: Vec<Diagnostic> = Vec::new();
        for svcs in g.running() {
            for d in check_services(snap, svcs.iter()) {
                if *d.path == *doc.path && !all.contains(&d) {
                    all.push(d);
                }
            }
        }
        return all;
    }
    let per_project = g.project_diagnostics.get_or_init(|| {
        g.projects()
            .iter()
            .map(|p| {
                let svcs = || p.services.iter().map(|&i| &g.services()[i]);
                let mut d = check_services(snap, svcs());
                d.extend(super::unused::check(snap, svcs()));
                d
            })
            .collect()
    });
    let mut out: Vec<Diagnostic> = match doc.kind {
        // A compose file's own diagnostics come from its project alone.
        FileKind::Compose => {
            let own = crate::compose::project::project_of(snap, &doc.path).files;
            g.projects()
                .iter()
                .position(|p| p.files == own)
                .map(|i| per_project[i].clone())
                .unwrap_or_default()
        }
        _ => {
            let mut all: Vec<Diagnostic> = Vec::new();
            for d in per_project.iter().flatten() {
                if *d.path == *doc.path && !all.contains(d) {
                    all.push(d.clone());
                }
            }
            all
        }
    };
    out.retain(|d| *d.path == *doc.path);
    out
}

/// Every environment diagnostic in the snapshot.
pub fn all(snap: &Snapshot) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for doc in snap.documents() {
        out.extend(diagnostics(snap, doc));
    }
    out
}

fn check_services<'a>(snap: &Snapshot, svcs: impl Iterator<Item = &'a Service>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    for svc in svcs {
        let Some(mut runs) = svc.runs.clone() else { continue };
        for (file, read) in &mut runs.reads {
            read.name_range = string_literal(snap, file, read.name_range.clone());
        }
        let svc = &svc.env;
        typos(svc, &runs, &mut out);
        missing(snap, svc, &runs, &mut out);
        invalid_values(svc, &runs, &mut out);
    }
    out
}

/// The name's string literal, quotes included (`"SECRET_KEY"`), where the read site is.
pub(crate) fn string_literal(snap: &Snapshot, file: &Path, r: Range<usize>) -> Range<usize> {
    let Some(doc) = snap.get(file) else { return r };
    let bytes = doc.text.as_bytes();
    match (r.start.checked_sub(1).and_then(|i| bytes.get(i)), bytes.get(r.end)) {
        (Some(&a), Some(&b)) if a == b && (a == b'"' || a == b'\'') => r.start - 1..r.end + 1,
        _ => r,
    }
}

fn literal(r: &EnvRead) -> Option<&str> {
    r.name.as_literal()
}

fn needs(r: &EnvRead) -> bool {
    r.kind == ReadKind::Value
        && matches!(r.requirement, Requirement::Required | Requirement::RuntimeRequired)
}

/// Names the service sets in `environment` that its code never reads.
pub(crate) fn unread<'a>(
    svc: &'a ServiceEnv,
    runs: &'a Runs,
) -> impl Iterator<Item = &'a Provided> + 'a {
    svc.env.iter().filter(|p| p.origin == Origin::Environment && !runs.reads_name(&p.name))
}

/// The closest unread provided name explaining a missing `name`, if any.
pub(crate) fn typo_for<'a>(
    svc: &'a ServiceEnv,
    runs: &'a Runs,
    name: &str,
) -> Option<&'a Provided> {
    unread(svc, runs)
        .map(|p| (strsim::levenshtein(&p.name, name), p))
        .filter(|(d, _)| (1..=MAX_TYPO_DISTANCE).contains(d))
        .min_by_key(|(d, _)| *d)
        .map(|(_, p)| p)
}

fn typos(svc: &ServiceEnv, runs: &Runs, out: &mut Vec<Diagnostic>) {
    for p in unread(svc, runs) {
        let best = runs
            .reads
            .iter()
            .filter(|(_, r)| needs(r))
            .filter_map(|(f, r)| Some((f, r, literal(r)?)))
            .filter(|(_, _, n)| svc.get(n).is_none())
            .map(|(f, r, n)| (strsim::levenshtein(&p.name, n), f, r, n))
            .filter(|(d, ..)| (1..=MAX_TYPO_DISTANCE).contains(d))
            .min_by_key(|(d, ..)| *d);
        let Some((_, file, read, name)) = best else { continue };
        let path = &p.source.path;
        out.push(
            Diagnostic::new(
                path,
                p.source.range.clone(),
                Severity::Warning,
                ENV_TYPO,
                format!(
                    "service `{}` sets `{}`, which its code never reads; did you mean `{name}`, \
                     which {} requires?",
                    svc.name,
                    p.name,
                    display(file, path)
                ),
            )
            .with_related(file, read.name_range.clone(), format!("`{name}` is read here"))
            .with_fix(Fix::local(
                format!("Rename to `{name}`"),
                path,
                vec![(p.source.range.clone(), name.to_string())],
                true,
            )),
        );
    }
}

fn missing(snap: &Snapshot, svc: &ServiceEnv, runs: &Runs, out: &mut Vec<Diagnostic>) {
    // Only a fully known environment proves a variable absent.
    if !svc.complete || runs.loads_dotenv {
        return;
    }
    // The service side: one diagnostic at the service's name listing what it lacks, so the
    // finding shows where the fix goes as well as where the code would fail.
    let mut lacking: Vec<(&Arc<Path>, &EnvRead, &str)> = Vec::new();
    for (file, read) in &runs.reads {
        if !needs(read) {
            continue;
        }
        let Some(name) = literal(read) else { continue };
        if svc.get(name).is_some() || typo_for(svc, runs, name).is_some() {
            continue;
        }
        if !lacking.iter().any(|(_, _, n)| *n == name) {
            lacking.push((file, read, name));
        }
        let severity = match read.requirement {
            Requirement::Required => Severity::Error,
            _ => Severity::Warning,
        };
        let related = format!("service `{}` runs this code without setting `{name}`", svc.name);
        // One diagnostic per read site: further services join it as related information.
        if let Some(d) = out
            .iter_mut()
            .find(|d| d.code == ENV_MISSING && d.path == *file && d.range == read.name_range)
        {
            *d = d.clone().with_related(&svc.location.path, svc.location.range.clone(), related);
            for mut fix in super::fixes::missing_fixes(snap, svc, file, read) {
                // One preferred fix per diagnostic: the first service's.
                fix.preferred = false;
                if !d.fixes.contains(&fix) {
                    d.fixes.push(fix);
                }
            }
            continue;
        }
        let what = match read.requirement {
            Requirement::Required => "is required",
            _ => "is needed when used",
        };
        out.push(
            Diagnostic::new(
                file,
                read.name_range.clone(),
                severity,
                ENV_MISSING,
                format!(
                    "`{name}` {what}, but service `{}` does not set it (not in its environment, \
                     env files or image)",
                    svc.name
                ),
            )
            .with_related(&svc.location.path, svc.location.range.clone(), related),
        );
        if let Some(d) = out.last_mut() {
            d.fixes = super::fixes::missing_fixes(snap, svc, file, read);
        }
    }
    if lacking.is_empty() {
        return;
    }
    let required = lacking.iter().any(|(_, r, _)| r.requirement == Requirement::Required);
    let names: Vec<String> = lacking.iter().map(|(_, _, n)| format!("`{n}`")).collect();
    let mut d = Diagnostic::new(
        &svc.location.path,
        svc.location.range.clone(),
        if required { Severity::Error } else { Severity::Warning },
        ENV_MISSING,
        format!(
            "service `{}` does not set {} that the code it runs needs",
            svc.name,
            names.join(", ")
        ),
    );
    for (file, read, name) in &lacking {
        d = d.with_related(file, read.name_range.clone(), format!("`{name}` is read here"));
        for mut fix in super::fixes::missing_fixes(snap, svc, file, read) {
            fix.preferred = fix.preferred && lacking.len() == 1;
            if !d.fixes.contains(&fix) {
                d.fixes.push(fix);
            }
        }
    }
    out.push(d);
}

fn invalid_values(svc: &ServiceEnv, runs: &Runs, out: &mut Vec<Diagnostic>) {
    for (file, read) in &runs.reads {
        let Some(name) = literal(read) else { continue };
        let Some(p) = svc.get(name) else { continue };
        let (Some(value), Some(range)) = (&p.value, &p.value_range) else { continue };
        let Some(expected) = rejects(&read.cast, value) else { continue };
        let path = &p.source.path;
        out.push(
            Diagnostic::new(
                path,
                range.clone(),
                Severity::Warning,
                ENV_INVALID_VALUE,
                format!("`{value}` is not {expected}, which `{name}` is read as"),
            )
            .with_related(
                file,
                read.name_range.clone(),
                format!("`{name}` is read here"),
            ),
        );
    }
}

/// What `value` should have been, when `cast` cannot accept it.
fn rejects(cast: &Cast, value: &str) -> Option<&'static str> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    let ok = match cast {
        Cast::Bool => {
            const WORDS: [&str; 11] =
                ["true", "false", "1", "0", "yes", "no", "on", "off", "y", "n", "ok"];
            WORDS.iter().any(|w| w.eq_ignore_ascii_case(v))
        }
        Cast::Int => v.parse::<i64>().is_ok(),
        Cast::Float => v.parse::<f64>().is_ok(),
        Cast::Url | Cast::DbUrl | Cast::CacheUrl | Cast::EmailUrl | Cast::SearchUrl => {
            v.split_once("://").is_some_and(|(scheme, _)| {
                !scheme.is_empty()
                    && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            })
        }
        _ => return None,
    };
    if ok {
        return None;
    }
    Some(match cast {
        Cast::Bool => "a boolean (true/false, yes/no, on/off, 1/0)",
        Cast::Int => "an integer",
        Cast::Float => "a number",
        _ => "a URL (`scheme://…`)",
    })
}

/// `path` as seen from the file `from` is in, for messages.
fn display(path: &Arc<Path>, from: &Path) -> String {
    let dir = from.parent().unwrap_or(Path::new("/"));
    path.strip_prefix(dir).unwrap_or(path).display().to_string()
}

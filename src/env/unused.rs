//! `env-unused`: a variable set on a service that nothing the service runs reads.

use std::collections::HashSet;

use super::graph::{Origin, Provided, ServiceEnv};
use super::index::Service;
use super::settings::Runs;
use crate::diagnostics::{Diagnostic, Fix, Location, RuleInfo, Severity, Tag};
use crate::python::EntryKind;
use crate::workspace::Snapshot;

pub const ENV_UNUSED: &str = "env-unused";

pub const RULE: RuleInfo = RuleInfo {
    code: ENV_UNUSED,
    scope: "cross-file",
    default_severity: Severity::Hint,
    enabled_by_default: true,
    fixable: true,
    summary: "A service sets a variable that nothing it runs reads.",
    docs: "A compose service sets a variable (in `environment` or through an `env_file`) that \
           neither the Python code it runs nor its image is known to read. It is often a \
           leftover from a rename or a setting that moved elsewhere.\n\n\
           berth stays quiet for variables the service's image documents (`POSTGRES_*` for \
           postgres, `MYSQL_*`, `REDIS_*`, `MP_*` for Mailpit, …), for variables Python, its \
           servers and common libraries read themselves (`PYTHONUNBUFFERED`, `PATH`, `TZ`, \
           `LC_*`, `DJANGO_SETTINGS_MODULE`, `GUNICORN_*`, `WEB_CONCURRENCY`, `PG*`, `AWS_*`, \
           `CELERY_*` for Celery workers, …) and for services whose code berth cannot \
           determine. Scripts (an `entrypoint.sh`) are not read, so a variable only a script \
           uses is reported too: the finding is a hint.\n\n\
           Fix: remove the entry, or read it in the settings.",
};

/// Names Python, WSGI/ASGI servers and widely used libraries read by themselves.
const RUNTIME: &[&str] = &[
    "PATH",
    "HOME",
    "TZ",
    "LANG",
    "LANGUAGE",
    "PORT",
    "HOST",
    "WEB_CONCURRENCY",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "FLASK_APP",
    "FLASK_ENV",
    "FLASK_DEBUG",
    "REQUESTS_CA_BUNDLE",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "DEBIAN_FRONTEND",
    "VIRTUAL_ENV",
];

const RUNTIME_PREFIXES: &[&str] = &[
    "PYTHON",
    "LC_",
    "GUNICORN_",
    "UVICORN_",
    "UWSGI_",
    "PIP_",
    "UV_",
    "POETRY_",
    "PG",
    "AWS_",
    "GOOGLE_",
    "AZURE_",
    "SENTRY_",
    "OTEL_",
    "DD_",
    "NEW_RELIC_",
];

/// Official images and the variable prefixes their documentation lists.
const IMAGES: &[(&str, &[&str])] = &[
    ("postgres", &["POSTGRES_", "PG"]),
    ("postgis", &["POSTGRES_", "PG"]),
    ("mysql", &["MYSQL_"]),
    ("mariadb", &["MARIADB_", "MYSQL_"]),
    ("redis", &["REDIS_"]),
    ("valkey", &["VALKEY_", "REDIS_"]),
    ("mongo", &["MONGO_"]),
    ("rabbitmq", &["RABBITMQ_"]),
    ("minio", &["MINIO_"]),
    ("elasticsearch", &["ELASTIC_", "ES_"]),
    ("opensearch", &["OPENSEARCH_"]),
    ("mailpit", &["MP_"]),
    ("mailhog", &["MH_"]),
    ("memcached", &["MEMCACHED_"]),
    ("nginx", &["NGINX_"]),
    ("keycloak", &["KC_", "KEYCLOAK_"]),
];

fn quiet_for(svc: &ServiceEnv, name: &str) -> bool {
    if RUNTIME.iter().any(|n| n.eq_ignore_ascii_case(name))
        || RUNTIME_PREFIXES.iter().any(|p| name.starts_with(p))
    {
        return true;
    }
    // Elasticsearch-style settings (`discovery.type`) are read by the image.
    if name.contains('.') {
        return true;
    }
    let celery = super::settings::entry_of(svc).is_some_and(|e| e.kind() == EntryKind::Celery);
    if celery && name.starts_with("CELERY_") {
        return true;
    }
    images_of(svc).iter().any(|image| {
        IMAGES
            .iter()
            .filter(|(img, _)| image_name(image) == *img)
            .any(|(_, prefixes)| prefixes.iter().any(|p| name.starts_with(p)))
    })
}

/// `docker.io/library/postgres:16` → `postgres`; `axllent/mailpit:v1` → `mailpit`.
fn image_name(image: &str) -> &str {
    let no_digest = image.split('@').next().unwrap_or(image);
    let last = no_digest.rsplit('/').next().unwrap_or(no_digest);
    last.split(':').next().unwrap_or(last)
}

/// The service's image and, when it builds one, the images its runtime stage starts from.
fn images_of(svc: &ServiceEnv) -> Vec<String> {
    let mut out: Vec<String> = svc.service.image.iter().map(|(_, s)| s.text.clone()).collect();
    if let (Some(df), Some((_, b))) = (&svc.dockerfile, &svc.service.build) {
        let m = crate::dockerfile::model(df);
        let mut stage = super::graph::runtime_stage(&m, b);
        for _ in 0..64 {
            let Some(s) = stage.and_then(|i| m.stages.get(i)) else { break };
            if let Some(im) = &s.image {
                out.push(im.text.clone());
            }
            stage = s.base_stage.filter(|b| *b < s.index);
        }
    }
    out
}

/// Would `env-typo` already explain `p` (an unread name next to a required, unset one)?
fn is_typo(svc: &ServiceEnv, runs: &Runs, p: &Provided) -> bool {
    runs.reads.iter().any(|(_, r)| {
        let Some(n) = r.name.as_literal() else { return false };
        svc.get(n).is_none() && (1..=2).contains(&strsim::levenshtein(&p.name, n))
    })
}

/// The findings for one project's services. A place that sets a variable for several services
/// (a shared env file, an `extends` base) is unused only when no service reads it.
pub fn check<'a>(snap: &Snapshot, services: impl Iterator<Item = &'a Service>) -> Vec<Diagnostic> {
    let mut used: Vec<&Location> = Vec::new();
    let mut candidates: Vec<(&Location, Diagnostic)> = Vec::new();
    for svc in services {
        let env = &svc.env;
        let set_here = env.env.iter().filter(|p| p.origin != Origin::ImageEnv);
        let Some(runs) = &svc.runs else {
            used.extend(set_here.map(|p| &p.source));
            continue;
        };
        for p in set_here {
            if runs.reads_name(&p.name) || quiet_for(env, &p.name) || is_typo(env, runs, p) {
                used.push(&p.source);
                continue;
            }
            let mut d = Diagnostic::new(
                &p.source.path,
                p.source.range.clone(),
                Severity::Hint,
                ENV_UNUSED,
                format!(
                    "`{}` is set for service `{}`, but nothing it runs reads it",
                    p.name, env.name
                ),
            )
            .with_tag(Tag::Unnecessary);
            if p.origin == Origin::Environment
                && let Some(fix) = remove_entry(snap, env, p)
            {
                d = d.with_fix(fix);
            }
            candidates.push((&p.source, d));
        }
    }
    if candidates.is_empty() {
        return Vec::new();
    }
    let used: HashSet<ByRange> = used.into_iter().map(ByRange).collect();
    let mut seen: HashSet<ByRange> = HashSet::new();
    let mut out: Vec<Diagnostic> = Vec::new();
    for (l, d) in candidates {
        if !used.contains(&ByRange(l)) && seen.insert(ByRange(l)) {
            out.push(d);
        }
    }
    out
}

/// A location hashed by its range alone: hashing a path walks its components, and places
/// rarely share a range across files.
#[derive(PartialEq, Eq)]
struct ByRange<'a>(&'a Location);

impl std::hash::Hash for ByRange<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.range.hash(state);
    }
}

/// Delete the `environment` entry's whole line(s).
fn remove_entry(snap: &Snapshot, svc: &ServiceEnv, p: &Provided) -> Option<Fix> {
    let doc = snap.get(&p.source.path)?;
    let (_, kv) = svc
        .service
        .environment
        .iter()
        .find(|(path, kv)| *path == p.source.path && kv.key == p.name)?;
    // Only an entry alone on its lines: flow style (`{A: 1, B: 2}`) is left alone.
    let first = doc.line_of(kv.range.start);
    let last = doc.line_of(kv.range.end.saturating_sub(1).max(kv.range.start));
    let start = doc.line_range(first).start;
    let before = &doc.text[start..kv.range.start];
    if !before.trim_start().is_empty() && before.trim() != "-" {
        return None;
    }
    let end_line = doc.line_range(last);
    if !doc.text[kv.range.end.min(end_line.end)..end_line.end].trim().is_empty() {
        return None;
    }
    let end = doc.line_range(last + 1).start.max(end_line.end);
    Some(Fix::local(
        format!("Remove `{}`", p.name),
        &doc.path,
        vec![(start..end, String::new())],
        false,
    ))
}

//! The cross-file budget: an edit to a compose file must update the diagnostics of the other
//! open files (here a Django settings module the edited service runs) within 10 ms. The
//! workspace: the generated 500-service compose file (`berth::bench_gen`) with a `web` service
//! that runs Django, its Dockerfile, `manage.py` and a settings package.
//!
//! `cargo bench --bench env`; CI only builds it (`cargo bench --no-run`).

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use berth::analysis;
use berth::bench_gen;
use berth::workspace::{Document, FileKind, Snapshot};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

const WEB: &str = "  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n    \
environment:\n      DJANGO_SETTINGS_MODULE: app.settings.production\n      DATABASE_URL: \
postgres://app:app@db:5432/app\n      DEBUG: \"false\"\n";

const FILES: &[(&str, FileKind, &str)] = &[
    (
        "Dockerfile",
        FileKind::Dockerfile,
        "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . .\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
    ),
    (
        "manage.py",
        FileKind::Python,
        "import os\nimport sys\n\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"app.settings.production\")\n",
    ),
    ("app/__init__.py", FileKind::Python, ""),
    (
        "app/wsgi.py",
        FileKind::Python,
        "import os\n\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"app.settings.production\")\n",
    ),
    ("app/settings/__init__.py", FileKind::Python, ""),
    (
        "app/settings/base.py",
        FileKind::Python,
        "import os\n\nimport environ\n\nenv = environ.Env()\n\nSECRET_KEY = env(\"SECRET_KEY\")\nDEBUG = env.bool(\"DEBUG\", default=False)\nDATABASES = {\"default\": env.db(\"DATABASE_URL\")}\nCACHE_URL = os.environ.get(\"CACHE_URL\", \"redis://cache:6379/0\")\nALLOWED_HOSTS = env.list(\"ALLOWED_HOSTS\", default=[\"localhost\"])\n",
    ),
    (
        "app/settings/production.py",
        FileKind::Python,
        "from .base import *  # noqa\n\nimport os\n\nDEBUG = False\nSENTRY_DSN = os.environ[\"SENTRY_DSN\"]\n",
    ),
];

fn path(rel: &str) -> Arc<Path> {
    Arc::from(Path::new("/bench").join(rel))
}

struct Workspace {
    snap: Snapshot,
    compose: Arc<Document>,
    settings: Arc<Document>,
    /// Inside `web`'s `DATABASE_URL` value, where the edit is typed.
    edit_at: usize,
}

fn workspace() -> Workspace {
    let generated = bench_gen::compose(500);
    // `web` goes first, so the edit is far from the end of the file.
    let text = generated.replacen("services:\n", &format!("services:\n{WEB}"), 1);
    let edit_at = text.find("@db:5432/app\n").expect("web's DATABASE_URL") + 4;
    let compose = Arc::new(Document::new(path("compose.yaml"), FileKind::Compose, Some(1), &text));
    let mut snap = Snapshot::new(vec!["/bench".into()]);
    snap.insert_arc(compose.clone());
    for (rel, kind, text) in FILES {
        snap.insert(Document::new(path(rel), *kind, Some(1), text));
    }
    let settings = snap.get(&path("app/settings/base.py")).unwrap().clone();
    // Every open file's diagnostics once, as after opening them.
    for d in snap.documents() {
        let _ = analysis::diagnostics(&snap, d);
    }
    // The measured path is the cross-file one: `web` runs these settings and lacks a variable.
    let found = analysis::diagnostics(&snap, &settings);
    assert!(found.iter().any(|d| d.code == "env-missing"), "{found:?}");
    Workspace { snap, compose, settings, edit_at }
}

fn benches(c: &mut Criterion) {
    let ws = workspace();
    let mut g = c.benchmark_group("env-cross-file");
    // Each routine hands back the snapshot it analysed: criterion drops a routine's output after
    // the clock stops, and the server frees versions off the keystroke path (`drop_later`) or
    // keeps them; freeing a 500-service model here would time what no keystroke waits for.
    let edited = |ws: &Workspace| {
        let doc = Arc::new(ws.compose.edit(ws.edit_at..ws.edit_at, "x", Some(2)));
        let mut snap = ws.snap.clone();
        snap.insert_arc(doc.clone());
        (snap, doc)
    };

    // The compose file's new model is built here too, as when the settings module's
    // diagnostics run before the compose file's own.
    g.bench_function("compose-edit/settings-diagnostics", |b| {
        b.iter_batched(
            || edited(&ws),
            |(snap, doc)| {
                let found = black_box(analysis::diagnostics(&snap, &ws.settings));
                (found, snap, doc)
            },
            BatchSize::SmallInput,
        );
    });

    // As while typing: the previous version is gone when the new one is analysed, so its
    // compose model is handed over (moved, not copied). The setup builds that previous version
    // from scratch for each sample, outside the clock.
    let typed = |ws: &Workspace| {
        let old = Document::new(path("compose.yaml"), FileKind::Compose, Some(1), &ws.compose.text);
        let mut snap = ws.snap.clone();
        let old = Arc::new(old);
        snap.insert_arc(old.clone());
        let _ = analysis::diagnostics(&snap, &old);
        let _ = analysis::diagnostics(&snap, &ws.settings);
        let doc = Arc::new(old.edit(ws.edit_at..ws.edit_at, "x", Some(2)));
        snap.insert_arc(doc.clone());
        drop(old);
        (snap, doc)
    };
    g.bench_function("compose-typing/settings-diagnostics", |b| {
        b.iter_batched(
            || typed(&ws),
            |(snap, doc)| {
                let found = black_box(analysis::diagnostics(&snap, &ws.settings));
                (found, snap, doc)
            },
            BatchSize::PerIteration,
        );
    });

    // The whole keystroke as the server runs it: the edited file's diagnostics, then the other
    // open file's, whose cross-file findings changed.
    let both = |(snap, doc): (Snapshot, Arc<Document>)| {
        black_box(analysis::diagnostics(&snap, &doc));
        let found = black_box(analysis::diagnostics(&snap, &ws.settings));
        (found, snap, doc)
    };
    g.bench_function("compose-typing/compose-then-settings-diagnostics", |b| {
        b.iter_batched(|| typed(&ws), both, BatchSize::PerIteration);
    });

    // The same order with the previous version still held elsewhere, so its model is copied.
    g.bench_function("compose-edit/compose-then-settings-diagnostics", |b| {
        b.iter_batched(|| edited(&ws), both, BatchSize::SmallInput);
    });

    // The settings module's env diagnostics alone, once the compose model exists.
    g.bench_function("compose-edit/settings-env-only", |b| {
        b.iter_batched(
            || {
                let (snap, doc) = edited(&ws);
                let _ = berth::compose::model(&doc);
                (snap, doc)
            },
            |(snap, doc)| {
                let found = black_box(berth::env::diagnostics(&snap, &ws.settings));
                (found, snap, doc)
            },
            BatchSize::SmallInput,
        );
    });

    // A keystroke in the settings module itself: the service environments are reused.
    let settings_at = ws.settings.text.find("default=False").expect("a default") + 8;
    g.bench_function("settings-edit/settings-env-only", |b| {
        b.iter_batched(
            || {
                let doc = ws.settings.edit(settings_at..settings_at, "x", Some(2));
                let doc = Arc::new(doc);
                let _ = berth::python::model(&doc);
                let mut snap = ws.snap.clone();
                snap.insert_arc(doc.clone());
                (snap, doc)
            },
            |(snap, doc)| {
                let found = black_box(berth::env::diagnostics(&snap, &doc));
                (found, snap, doc)
            },
            BatchSize::SmallInput,
        );
    });
    g.finish();
}

criterion_group!(env_benches, benches);
criterion_main!(env_benches);

//! Per-keystroke work at the analysis level, on the generated 2,000-line Dockerfile and
//! 500-service compose file (`berth::bench_gen`): the incremental edit, diagnostics of the new
//! version (its model built from scratch, as after a keystroke), completion and hover.
//!
//! `cargo bench --bench analysis`; CI only builds it (`cargo bench --no-run`).

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use berth::analysis;
use berth::bench_gen;
use berth::workspace::{Document, FileKind, Snapshot};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

struct Case {
    name: &'static str,
    doc: Arc<Document>,
    /// Where a one-character edit is typed.
    edit_at: usize,
    /// (label, offset) pairs for completion and hover.
    complete_at: Vec<(&'static str, usize)>,
    hover_at: Vec<(&'static str, usize)>,
}

/// The offset of `needle`'s first occurrence after the middle of `text`, plus `delta`.
fn mid(text: &str, needle: &str, delta: usize) -> usize {
    let half = text.len() / 2;
    half + text[half..].find(needle).unwrap_or_else(|| panic!("no {needle:?} after the middle"))
        + delta
}

fn dockerfile_case() -> Case {
    let text = bench_gen::dockerfile(2000);
    let doc = Document::new(
        Arc::from(Path::new("/bench/Dockerfile")),
        FileKind::Dockerfile,
        Some(1),
        &text,
    );
    Case {
        name: "dockerfile-2000",
        edit_at: mid(&text, "WORKDIR /src/app", "WORKDIR /src/app".len()),
        complete_at: vec![
            ("instruction", mid(&text, "\n\n", 1)),
            ("stage", mid(&text, "COPY --from=build-", "COPY --from=".len())),
            ("variable", mid(&text, "${APP_VERSION}", 2)),
        ],
        hover_at: vec![
            ("instruction", mid(&text, "\nRUN ", 2)),
            ("flag", mid(&text, "--mount=type=cache", 3)),
        ],
        doc: Arc::new(doc),
    }
}

fn compose_case() -> Case {
    let text = bench_gen::compose(500);
    let doc = Document::new(
        Arc::from(Path::new("/bench/compose.yaml")),
        FileKind::Compose,
        Some(1),
        &text,
    );
    Case {
        name: "compose-500",
        edit_at: mid(&text, "LOG_LEVEL=debug", "LOG_LEVEL=deb".len()),
        complete_at: vec![
            ("service-key", mid(&text, "\n    ports:", 5)),
            ("depends-on", mid(&text, "      - svc-", "      - svc-".len())),
            ("condition-value", mid(&text, "condition: service_", "condition: ".len())),
        ],
        hover_at: vec![
            ("key", mid(&text, "\n    ports:", 6)),
            ("value", mid(&text, "condition: service_", "condition: serv".len())),
        ],
        doc: Arc::new(doc),
    }
}

fn snapshot_with(doc: Arc<Document>) -> Snapshot {
    let mut snap = Snapshot::new(Vec::new());
    snap.insert_arc(doc);
    snap
}

fn bench_case(c: &mut Criterion, case: &Case) {
    let mut g = c.benchmark_group(case.name);
    let base = &case.doc;
    let at = case.edit_at;

    // The edit and the whole-document incremental re-parse (which the server defers until a
    // feature asks for the tree).
    g.bench_function("edit+reparse", |b| {
        b.iter(|| {
            let doc = base.edit(at..at, "x", Some(2));
            black_box(doc.tree().is_some())
        });
    });

    // Diagnostics of the version after a keystroke, as the server computes them: the previous
    // version's diagnostics were computed, so its models are there to reuse. The new version is
    // handed back to be freed after the clock stops: the server keeps it.
    let snap = snapshot_with(base.clone());
    let _ = analysis::diagnostics(&snap, base);
    g.bench_function("diagnostics-after-edit", |b| {
        b.iter_batched(
            || {
                let doc = Arc::new(base.edit(at..at, "x", Some(2)));
                (snapshot_with(doc.clone()), doc)
            },
            |(snap, doc)| {
                let found = black_box(analysis::diagnostics(&snap, &doc));
                (found, snap, doc)
            },
            BatchSize::SmallInput,
        );
    });

    // Requests see a version whose model the diagnostics already built.
    for (label, offset) in &case.complete_at {
        g.bench_function(format!("complete/{label}"), |b| {
            b.iter(|| black_box(analysis::complete(&snap, base, *offset)));
        });
    }
    for (label, offset) in &case.hover_at {
        g.bench_function(format!("hover/{label}"), |b| {
            b.iter(|| black_box(analysis::hover(&snap, base, *offset)));
        });
    }
    g.finish();
}

fn benches(c: &mut Criterion) {
    bench_case(c, &dockerfile_case());
    bench_case(c, &compose_case());
}

criterion_group!(analysis_benches, benches);
criterion_main!(analysis_benches);

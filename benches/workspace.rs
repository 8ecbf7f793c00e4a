//! Indexing a generated 10,000-file monorepo (`berth::bench_gen::workspace`) with
//! `workspace::load::scan`: discovery, reading and parsing every file.
//!
//! `cargo bench --bench workspace`; CI only builds it (`cargo bench --no-run`).

use std::hint::black_box;
use std::path::PathBuf;

use berth::bench_gen;
use berth::workspace::load;
use criterion::{Criterion, criterion_group, criterion_main};

fn workspace_dir(files: usize) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("berth-bench-ws-{files}"));
    // Generated once and reused: writing 10,000 files would dominate the run.
    if !dir.join(".complete").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        bench_gen::workspace(&dir, files).expect("generate the workspace");
        std::fs::write(dir.join(".complete"), "").expect("mark the workspace complete");
    }
    dir
}

fn benches(c: &mut Criterion) {
    let dir = workspace_dir(10_000);
    let mut g = c.benchmark_group("workspace-10000");
    g.sample_size(10);
    g.bench_function("scan", |b| {
        // The server keeps what it scanned: freeing 10,000 documents and their trees is no
        // part of indexing, so it stays out of the measurement.
        b.iter_with_large_drop(|| black_box(load::scan(std::slice::from_ref(&dir), &|_, _| {})));
    });
    g.finish();
}

criterion_group!(workspace_benches, benches);
criterion_main!(workspace_benches);

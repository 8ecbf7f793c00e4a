//! Realistic Dockerfiles produce no diagnostics except the ones listed for each file.

use std::path::PathBuf;

use berth::workspace::{Document, FileKind, Snapshot};

/// (file, expected `code line:col` entries)
const EXPECTED: &[(&str, &[&str])] = &[
    ("django-multistage.Dockerfile", &[]),
    ("heredocs.Dockerfile", &[]),
    ("windows.Dockerfile", &[]),
    ("buildkit-mounts.Dockerfile", &[]),
    ("onbuild.Dockerfile", &[]),
    ("fastapi-uv.Dockerfile", &[]),
    (
        "legacy.Dockerfile",
        &[
            "DL3057 1:1",
            "MaintainerDeprecated 2:1",
            "LegacyKeyValueFormat 3:1",
            "DL3015 4:23",
            "DL3009 4:23",
            "WorkdirRelativePath 5:9",
            "DL3020 6:1",
            "DL3042 7:5",
            "JSONArgsRecommended 9:5",
        ],
    ),
    ("celery-worker.Dockerfile", &[]),
];

fn check(name: &str) -> Vec<String> {
    // Rooted at a directory that does not exist, so build-context checks stay out of it.
    let path = PathBuf::from("/nonexistent-berth-fixtures").join(name);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dockerfiles");
    let text = std::fs::read_to_string(dir.join(name)).expect("fixture");
    let doc = Document::new(berth::diagnostics::path_arc(path), FileKind::Dockerfile, None, &text);
    let mut snap = Snapshot::new(vec![PathBuf::from("/nonexistent-berth-fixtures")]);
    snap.insert(doc.clone());
    berth::dockerfile::diagnostics(&snap, &doc)
        .iter()
        .map(|d| {
            let line = doc.line_of(d.range.start);
            let col = d.range.start - doc.rope.line_to_byte(line);
            format!("{} {}:{}", d.code, line + 1, col + 1)
        })
        .collect()
}

#[test]
fn realistic_dockerfiles() {
    let mut failures = Vec::new();
    for (name, expected) in EXPECTED {
        let got = check(name);
        if got != *expected {
            failures.push(format!("{name}: got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

//! Harnesses shared by the `cargo fuzz` targets in `fuzz/` and by regression tests: each takes
//! arbitrary bytes and drives one part of berth, panicking only when an invariant breaks.
//! Kept in the library so a crash found by the fuzzer replays under plain `cargo test`.

use std::path::PathBuf;
use std::sync::Arc;

use crate::analysis;
use crate::diagnostics::path_arc;
use crate::workspace::{Document, FileKind, Snapshot};

const DOCKERFILE: &str = "FROM python:3.12-slim AS base\nARG PORT=8000\nENV DJANGO_SETTINGS_MODULE=app.settings\nCOPY . /app\nFROM base AS prod\nCMD [\"gunicorn\", \"app.wsgi\"]\n";
const COMPOSE: &str = "services:\n  web:\n    build: {context: ., target: prod, args: [PORT=1]}\n    env_file: .env\n    environment:\n      DATABASE_URL: postgres://app:pw@db/app\n    depends_on: [db]\n  db:\n    image: postgres:16\n";
const DOTENV: &str = "SECRET_KEY=abc\nDEBUG=1\n";
const PYTHON: &str =
    "import os\nSECRET_KEY = os.environ[\"SECRET_KEY\"]\nDEBUG = os.getenv(\"DEBUG\", \"0\")\n";

pub const KINDS: [FileKind; 4] =
    [FileKind::Dockerfile, FileKind::Compose, FileKind::Dotenv, FileKind::Python];

fn path_of(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Dockerfile => "/w/Dockerfile",
        FileKind::Compose => "/w/compose.yaml",
        FileKind::Dotenv => "/w/.env",
        FileKind::Python => "/w/app/settings.py",
    }
}

fn sample(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Dockerfile => DOCKERFILE,
        FileKind::Compose => COMPOSE,
        FileKind::Dotenv => DOTENV,
        FileKind::Python => PYTHON,
    }
}

/// A workspace of one file of each kind where `kind`'s file holds `text`, so cross-file
/// features (build targets, env files, stages) see realistic neighbours.
pub fn workspace(kind: FileKind, text: &str) -> (Snapshot, Arc<Document>) {
    let mut snap = Snapshot::new(vec![PathBuf::from("/w")]);
    for k in KINDS {
        let t = if k == kind { text } else { sample(k) };
        snap.insert(Document::new(path_arc(path_of(k)), k, Some(1), t));
    }
    let doc = snap.get(std::path::Path::new(path_of(kind))).expect("inserted").clone();
    (snap, doc)
}

/// Split fuzz input into a file kind (first byte) and text (the rest, lossily decoded).
pub fn split_input(data: &[u8]) -> (FileKind, String) {
    let kind = KINDS[data.first().map_or(0, |b| (*b % 4) as usize)];
    let text = String::from_utf8_lossy(data.get(1..).unwrap_or_default()).into_owned();
    (kind, text)
}

/// Offsets to probe: every char boundary of a short text, an even sample of a long one, plus
/// the end. (The LSP layer only ever passes char boundaries.)
fn offsets(text: &str) -> Vec<usize> {
    let bounds: Vec<usize> =
        text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).collect();
    let step = (bounds.len() / 256).max(1);
    bounds.into_iter().step_by(step).chain(std::iter::once(text.len())).collect()
}

fn check_range(doc: &Document, r: &std::ops::Range<usize>, what: &str) {
    assert!(
        r.start <= r.end && r.end <= doc.text.len(),
        "{what}: range {r:?} outside 0..{}",
        doc.text.len()
    );
    assert!(
        doc.text.is_char_boundary(r.start) && doc.text.is_char_boundary(r.end),
        "{what}: range {r:?} splits a character"
    );
}

/// Every analysis entry point on `text` as a file of `kind`, at every probe offset; results
/// must have ranges inside the document on char boundaries.
pub fn analyse(kind: FileKind, text: &str) {
    let (snap, doc) = workspace(kind, text);
    for d in analysis::diagnostics(&snap, &doc) {
        check_range(&doc, &d.range, d.code);
    }
    for s in analysis::symbols(&doc) {
        check_range(&doc, &s.range, "symbol");
    }
    let _ = analysis::folds(&doc);
    for l in analysis::links(&snap, &doc) {
        check_range(&doc, &l.range, "link");
    }
    for t in analysis::semantic_tokens(&doc) {
        check_range(&doc, &t.range, "semantic token");
    }
    for e in analysis::format(&doc, None) {
        check_range(&doc, &e.range, "format");
    }
    let probes = offsets(text);
    for &at in &probes {
        if let Some(h) = analysis::hover(&snap, &doc, at) {
            check_range(&doc, &h.range, "hover");
        }
        let _ = analysis::complete(&snap, &doc, at);
        let _ = analysis::definition(&snap, &doc, at);
        let _ = analysis::references(&snap, &doc, at, true);
        let _ = analysis::highlights(&snap, &doc, at);
        let _ = analysis::rename(&snap, &doc, at);
    }
    // Ranged features on a few spans.
    for w in probes.windows(2).step_by(16) {
        let _ = analysis::code_actions(&snap, &doc, w[0]..w[1]);
        let _ = analysis::format(&doc, Some(w[0]..w[1]));
    }
    let _ = analysis::code_actions(&snap, &doc, 0..text.len());
}

/// The per-kind models alone (cheaper than `analyse`, so the fuzzer goes deeper).
pub fn models(kind: FileKind, text: &str) {
    let doc = Document::new(path_arc(path_of(kind)), kind, Some(1), text);
    match kind {
        FileKind::Dockerfile => {
            let _ = crate::dockerfile::model(&doc);
        }
        FileKind::Compose => {
            let _ = crate::compose::model(&doc);
        }
        FileKind::Dotenv => {
            let _ = crate::dotenv::model(&doc);
        }
        FileKind::Python => {
            let _ = crate::python::model(&doc);
        }
    }
}

/// Apply edits decoded from `data` one by one and compare with parsing the final text afresh
/// (the property of `tests/incremental.rs`, driven by the fuzzer's bytes).
pub fn edits(data: &[u8]) {
    let kind = KINDS[data.first().map_or(0, |b| (*b % 4) as usize)];
    let mut doc = Document::new(path_arc(path_of(kind)), kind, Some(0), sample(kind));
    // Each edit: 2 bytes position, 1 byte length, 1 byte text length, then the text.
    let mut rest = data.get(1..).unwrap_or_default();
    let mut version = 1;
    while rest.len() >= 4 {
        let n = doc.text.len();
        let at = u16::from_le_bytes([rest[0], rest[1]]) as usize % (n + 1);
        let len = rest[2] as usize;
        let tlen = (rest[3] as usize % 16).min(rest.len() - 4);
        let insert = String::from_utf8_lossy(&rest[4..4 + tlen]).into_owned();
        rest = &rest[4 + tlen..];
        let start = floor_boundary(&doc.text, at);
        let end = floor_boundary(&doc.text, start + len);
        doc = doc.edit(start..end, &insert, Some(version));
        version += 1;
    }
    let fresh = Document::new(doc.path.clone(), kind, None, &doc.text);
    assert_eq!(doc.rope.to_string(), *doc.text, "rope and text agree");
    let has_error = |d: &Document| d.tree().is_some_and(|t| t.root_node().has_error());
    if has_error(&fresh) {
        // Error recovery may settle differently from an old tree; both must see an error.
        assert!(has_error(&doc), "fresh parse has an error the incremental one missed");
    } else {
        let sexp = |d: &Document| d.tree().map(|t| t.root_node().to_sexp());
        assert_eq!(sexp(&doc), sexp(&fresh), "incremental tree == fresh tree for {:?}", doc.text);
    }
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Feed raw bytes through the framing filter: whatever it forwards must be well-framed JSON,
/// and it must end when the input does.
pub fn transport(data: &[u8]) {
    let rt = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
    let (forwarded, errors) = rt.block_on(async {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let mut out = Vec::new();
        crate::lsp::transport::filter_input(data, &mut out, tx).await;
        let mut errors = Vec::new();
        while let Ok(e) = rx.try_recv() {
            errors.push(e);
        }
        (out, errors)
    });
    for bytes in std::iter::once(&forwarded).chain(&errors) {
        let mut rest = &bytes[..];
        while !rest.is_empty() {
            let head_end = rest.windows(4).position(|w| w == b"\r\n\r\n").expect("header");
            let head = std::str::from_utf8(&rest[..head_end]).expect("ascii header");
            let len: usize = head.trim_start_matches("Content-Length: ").parse().expect("length");
            let body = &rest[head_end + 4..head_end + 4 + len];
            serde_json::from_slice::<serde_json::Value>(body).expect("forwarded JSON is valid");
            rest = &rest[head_end + 4 + len..];
        }
    }
}

/// A whole server session: a fixed `initialize`, then each NUL-separated chunk of `data` sent
/// as one framed message (valid JSON or not), then end of input. The server must not panic
/// or hang. Messages that could reach outside the fake workspace are dropped.
pub fn session(data: &[u8]) {
    let mut input = Vec::new();
    let init = br#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"capabilities":{}}}"#;
    input.extend(crate::lsp::transport::frame(init));
    input.extend(crate::lsp::transport::frame(
        br#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
    ));
    for chunk in data.split(|b| *b == 0) {
        let text = String::from_utf8_lossy(chunk);
        if text.contains("didChangeWorkspaceFolders") || text.contains("didChangeWatchedFiles") {
            continue;
        }
        input.extend(crate::lsp::transport::frame(chunk));
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let (out, mut sink) = tokio::io::duplex(1 << 16);
        let drain = tokio::spawn(async move {
            let _ = tokio::io::copy(&mut sink, &mut tokio::io::sink()).await;
        });
        let run = crate::lsp::server::serve(std::io::Cursor::new(input), out);
        tokio::time::timeout(std::time::Duration::from_secs(10), run)
            .await
            .expect("the server finishes when its input ends");
        drain.abort();
    });
    rt.shutdown_background();
}

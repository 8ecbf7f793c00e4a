//! Incremental parsing must agree with parsing from scratch: random edit sequences applied one
//! by one (rope + `Tree::edit` + re-parse) give the same text and the same tree as parsing the
//! final text afresh, for every file kind. (Dotenv files have no tree; their text and rope
//! must still agree.) Where the final text has a syntax error, tree-sitter's recovery may pick
//! a different tree incrementally; then both trees must report the error over the same span.

use std::sync::Arc;

use berth::diagnostics::path_arc;
use berth::workspace::{Document, FileKind};
use proptest::prelude::*;

const DOCKERFILE: &str = "# syntax=docker/dockerfile:1\nARG PY=3.12\nFROM python:${PY}-slim AS base\nENV A=1 \\\n    B=\"two words\"\nRUN <<EOF\npip install -r requirements.txt\nEOF\nCOPY --from=base /app /app\nCMD [\"gunicorn\", \"app.wsgi\"]\n";
const COMPOSE: &str = "services:\n  web:\n    build: {context: ., target: prod}\n    environment:\n      - DEBUG=1\n      - SECRET_KEY\n    ports: [\"8000:8000\"]\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${PG:-x}\nvolumes:\n  data: {}\n";
const PYTHON: &str = "import os\nfrom .base import *\n\nSECRET_KEY = os.environ[\"SECRET_KEY\"]\nDEBUG = os.getenv(\"DEBUG\", \"0\") == \"1\"\nclass S:\n    x: int = 1\n";
const DOTENV: &str = "# comment\nDEBUG=1\nexport NAME=\"a b\"\nURL=${HOST:-x}/db\n";

fn base(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Dockerfile => DOCKERFILE,
        FileKind::Compose => COMPOSE,
        FileKind::Python => PYTHON,
        FileKind::Dotenv => DOTENV,
    }
}

fn path(kind: FileKind) -> Arc<std::path::Path> {
    path_arc(match kind {
        FileKind::Dockerfile => "/w/Dockerfile",
        FileKind::Compose => "/w/compose.yaml",
        FileKind::Python => "/w/settings.py",
        FileKind::Dotenv => "/w/.env",
    })
}

/// An edit: a position and length as fractions of the text, and the inserted text.
fn edit() -> impl Strategy<Value = (f64, f64, String)> {
    let pieces = prop::sample::select(vec![
        "",
        " ",
        "\n",
        "\r\n",
        "\\\n",
        "x",
        "FROM ",
        "RUN ",
        "AS ",
        ":",
        "- ",
        "  ",
        "{",
        "}",
        "[",
        "]",
        "\"",
        "'",
        "=",
        "${",
        "$X",
        "#",
        "é",
        "世界",
        "😀",
        "e\u{301}",
        "<<EOF\n",
        "EOF\n",
        "os.environ[",
        "(",
        ")",
        "services:\n",
        "\t",
    ]);
    (0.0..=1.0f64, 0.0..=0.2f64, prop::collection::vec(pieces, 0..4).prop_map(|v| v.concat()))
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn check(kind: FileKind, edits: &[(f64, f64, String)]) {
    let mut doc = Document::new(path(kind), kind, Some(0), base(kind));
    for (i, (at, len, text)) in edits.iter().enumerate() {
        let n = doc.text.len();
        let start = floor_boundary(&doc.text, (at * n as f64) as usize);
        let end = floor_boundary(&doc.text, start + (len * n as f64) as usize);
        doc = doc.edit(start..end, text, Some(i as i32 + 1));
    }
    let fresh = Document::new(path(kind), kind, None, &doc.text);
    assert_eq!(doc.rope.to_string(), *doc.text, "rope and text agree");
    let sexp = |d: &Document| d.tree().map(|t| t.root_node().to_sexp());
    let has_error = |d: &Document| d.tree().is_some_and(|t| t.root_node().has_error());
    if has_error(&fresh) {
        // Tree-sitter's error recovery may settle on a different (equally valid) tree when it
        // resumes from an old one; what must hold is that both see the error and cover the
        // same text.
        assert!(
            has_error(&doc),
            "fresh parse has an error the incremental one missed: {:?}",
            doc.text
        );
        let span = |d: &Document| d.tree().map(|t| t.root_node().byte_range());
        assert_eq!(span(&doc), span(&fresh));
    } else {
        assert_eq!(sexp(&doc), sexp(&fresh), "incremental tree == fresh tree for {:?}", doc.text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn dockerfile(edits in prop::collection::vec(edit(), 1..12)) { check(FileKind::Dockerfile, &edits) }

    #[test]
    fn compose(edits in prop::collection::vec(edit(), 1..12)) { check(FileKind::Compose, &edits) }

    #[test]
    fn python(edits in prop::collection::vec(edit(), 1..12)) { check(FileKind::Python, &edits) }

    #[test]
    fn dotenv(edits in prop::collection::vec(edit(), 1..12)) { check(FileKind::Dotenv, &edits) }
}

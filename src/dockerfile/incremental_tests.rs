//! The model built from the previous version's model (only the edited instructions parsed
//! again) must equal the model built from scratch, for random edit sequences, whether the model
//! is asked for after every edit or only after several (then the changes accumulate). Likewise
//! the diagnostics, whose per-instruction findings are carried over with the model.

use std::sync::Arc;

use proptest::prelude::*;

use crate::diagnostics::{Diagnostic, path_arc};
use crate::workspace::{Document, FileKind, Snapshot};

use super::model::Model;

const BASE: &str = "# syntax=docker/dockerfile:1\n# hadolint global ignore=DL3003\nARG PY=3.12\n\
FROM python:${PY}-slim AS base\n# hadolint ignore=DL3008\n# more\nRUN apt-get update \\\n  # note\n\n  && apt-get install -y curl\n\
ENV A=1 \\\n    B=\"two words\"\nRUN <<EOF\npip install -r requirements.txt\nEOF\nCOPY --from=base /app /app\r\n\
ONBUILD RUN echo $A\nLABEL x=y\n\nFROM base AS prod\nARG PY\nWORKDIR /app\nCOPY . .\n  RUN echo ${B:-x} $PY\n\
CMD [\"gunicorn\", \"app.wsgi\"]\nEXPOSE 8000\n# trailing\nUSER app\n";

/// An edit: a position and length as fractions of the text, the inserted text, and whether the
/// model is asked for after it.
fn edit() -> impl Strategy<Value = (f64, f64, String, bool)> {
    let pieces = prop::sample::select(vec![
        "",
        " ",
        "\n",
        "\r\n",
        "\r",
        "\\",
        "\\\n",
        "x",
        "FROM ",
        "RUN ",
        "AS ",
        "ARG ",
        "ENV ",
        "=",
        "$X",
        "${A}",
        "#",
        "# hadolint ignore=DL3000\n",
        "é",
        "<<EOF\n",
        "EOF\n",
        "\t",
        "'",
        "\"",
        "ONBUILD ",
        "# escape=`\n",
        "`",
        "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n",
        "SHELL [\"cmd\", \"/S\"]\n",
        "WORKDIR app\n",
        "WORKDIR /srv\n",
        "apt-get install curl ",
        "pip install flask ",
        " | ",
        "cd /x && ",
        "COPY --from=base ",
        "--from=",
        "PIP_NO_CACHE_DIR=1 ",
        " AS Build",
        "CMD gunicorn app\n",
        "HEALTHCHECK CMD true\n",
        "FROM base AS y\n",
        "FROM y\n",
        " AS base",
        "ARG PY\n",
        "ENV B=3 C\n",
        "--platform=linux/arm64 ",
        "RUN <<EOF\necho\n",
        "COPY <<X /a\n",
        "[\"a\", ",
        "FROM\n",
        "HEALTHCHECK\n",
    ]);
    (
        0.0..=1.0f64,
        0.0..=0.05f64,
        prop::collection::vec(pieces, 0..3).prop_map(|v| v.concat()),
        any::<bool>(),
    )
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Many stages building on each other, with declarations in each: edits inside a stage, on
/// FROM lines (images, names) and between stages move the stages and declarations after them.
const STAGES_BASE: &str = "ARG PY=3.12\nARG REG\nFROM ${REG}python:${PY} AS base\nARG PY\nENV A=1 B=2\n\
RUN echo $A\nFROM base AS build\nARG TARGETOS=linux\nENV C=${A}\nRUN make\n\n# c\n\
FROM build AS test\nENV D=4 \\\n  E=5\nRUN test $D\nFROM alpine:3 AS other\nARG PY\n\
COPY --from=build /a /b\nFROM base AS Final\nENV F=6\nFROM final\nARG Q\nCMD [\"x\"]\n";

/// `doc` with edit `i`: the text from fraction `at` of it, `len` of it long, replaced.
fn edited(doc: &Document, at: f64, len: f64, text: &str, i: usize) -> Document {
    let n = doc.text.len();
    let start = floor_boundary(&doc.text, (at * n as f64) as usize);
    let end = floor_boundary(&doc.text, start + (len * n as f64) as usize);
    doc.edit(start..end, text, Some(i as i32 + 1))
}

fn check(edits: &[(f64, f64, String, bool)]) {
    check_on(BASE, edits)
}

fn check_on(base: &str, edits: &[(f64, f64, String, bool)]) {
    let mut doc = Document::new(path_arc("/w/Dockerfile"), FileKind::Dockerfile, Some(0), base);
    let _ = super::model(&doc);
    // Every other model stays alive through the next build, which then copies from it instead
    // of taking it over (both paths are exercised).
    let mut _held = None;
    for (i, (at, len, text, ask)) in edits.iter().enumerate() {
        doc = edited(&doc, *at, *len, text, i);
        if *ask {
            let got: Arc<Model> = super::model(&doc);
            assert_eq!(*got, Model::build(&doc.text), "after edit {i}: {:?}", doc.text);
            _held = (i % 2 == 0).then_some(got);
        }
    }
    assert_eq!(*super::model(&doc), Model::build(&doc.text), "{:?}", doc.text);
}

/// Findings exercised by the rules: RUN scripts, stages, WORKDIRs, SHELLs, stage references.
const RULES_BASE: &str = "ARG PY=3.12\nFROM python:${PY} AS base\nRUN apt-get update && apt-get install curl\n\
RUN pip install flask | tee log\nWORKDIR app\nCOPY a b c\nCMD gunicorn app.wsgi\n\
FROM base AS build\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl x | sh\n\
COPY --from=bse /a /b\nCOPY --from=prod /a /b\nADD x.txt /x\nRUN --mount=from=base,target=/m cd /m\n\
FROM build AS prod\nENV PIP_NO_CACHE_DIR=1\nRUN pip install django && apt-get install -y vim\n\
WORKDIR rel\nCOPY x y\nUSER root\nEXPOSE 80:80\nONBUILD COPY a\n";

fn diagnostics(doc: &Arc<Document>) -> Vec<Diagnostic> {
    let mut snap = Snapshot::new(Vec::new());
    snap.insert_arc(doc.clone());
    super::diagnostics(&snap, doc)
}

/// Diagnostics asked for after some edits (filling the per-instruction table) equal those of a
/// document opened fresh with the same text.
fn check_diagnostics(base: &str, edits: &[(f64, f64, String, bool)]) {
    let mut doc =
        Arc::new(Document::new(path_arc("/w/Dockerfile"), FileKind::Dockerfile, Some(0), base));
    let _ = diagnostics(&doc);
    for (i, (at, len, text, ask)) in edits.iter().enumerate() {
        doc = Arc::new(edited(&doc, *at, *len, text, i));
        if *ask {
            let _ = diagnostics(&doc);
        }
    }
    let fresh = Arc::new(Document::new(doc.path.clone(), FileKind::Dockerfile, Some(0), &doc.text));
    assert_eq!(diagnostics(&doc), diagnostics(&fresh), "{:?}", doc.text);
}

/// Syntax errors asked for after some edits (kept per instruction on the model) equal those of
/// a document opened fresh with the same text.
fn check_syntax(base: &str, edits: &[(f64, f64, String, bool)]) {
    let mut doc = Document::new(path_arc("/w/Dockerfile"), FileKind::Dockerfile, Some(0), base);
    let _ = crate::syntax::diagnostics(&doc);
    let mut _held = None;
    for (i, (at, len, text, ask)) in edits.iter().enumerate() {
        doc = edited(&doc, *at, *len, text, i);
        if *ask {
            let _ = crate::syntax::diagnostics(&doc);
            _held = (i % 2 == 0).then(|| super::model(&doc));
        }
    }
    let fresh = Document::new(doc.path.clone(), FileKind::Dockerfile, Some(0), &doc.text);
    assert_eq!(
        crate::syntax::diagnostics(&doc),
        crate::syntax::diagnostics(&fresh),
        "{:?}",
        doc.text
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn incremental_model_equals_fresh(edits in prop::collection::vec(edit(), 1..10)) {
        check(&edits)
    }

    #[test]
    fn incremental_stages_equal_fresh(edits in prop::collection::vec(edit(), 1..10)) {
        check_on(STAGES_BASE, &edits)
    }

    #[test]
    fn kept_syntax_errors_equal_fresh(
        base in prop::sample::select(vec![BASE, RULES_BASE, STAGES_BASE]),
        edits in prop::collection::vec(edit(), 1..10),
    ) {
        check_syntax(base, &edits)
    }

    #[test]
    fn cached_diagnostics_equal_fresh(
        base in prop::sample::select(vec![BASE, RULES_BASE, STAGES_BASE]),
        edits in prop::collection::vec(edit(), 1..10),
    ) {
        check_diagnostics(base, &edits)
    }
}

#[test]
fn one_char_edits_everywhere_in_stages() {
    for at in 0..=STAGES_BASE.len() {
        for ins in ["x", "\\", "\n", "#", " ", "FROM a\n", "ARG Z\n"] {
            check_on(
                STAGES_BASE,
                &[(at as f64 / STAGES_BASE.len() as f64, 0.0, ins.to_string(), true)],
            );
        }
    }
}

#[test]
fn one_char_edits_everywhere() {
    for at in 0..=BASE.len() {
        if !BASE.is_char_boundary(at) {
            continue;
        }
        for ins in ["x", "\\", "\n", "#", " "] {
            check(&[(at as f64 / BASE.len() as f64, 0.0, ins.to_string(), true)]);
        }
    }
}

/// While typing no one else holds the previous version's model: the instructions after the
/// edit are moved into the new model (same allocation, ranges shifted), not copied.
#[test]
fn typing_takes_over_the_previous_model() {
    let text = "FROM python:3.12\nRUN pip install x\nCOPY . /app\nCMD [\"python\"]\n";
    let first =
        Arc::new(Document::new(path_arc("/w/Dockerfile"), FileKind::Dockerfile, Some(0), text));
    let last = Arc::as_ptr(super::model(&first).instructions.last().unwrap());
    // The rules run too, as in the editor (their findings are cached on the model).
    let mut snap = crate::workspace::Snapshot::new(Vec::new());
    snap.insert_arc(first.clone());
    let _ = crate::analysis::diagnostics(&snap, &first);
    drop(snap);
    let at = text.find("install").unwrap();
    let doc = first.edit(at..at, "x", Some(1));
    drop(first);
    let m = super::model(&doc);
    let cmd = m.instructions.last().unwrap();
    assert_eq!(Arc::as_ptr(cmd), last);
    assert_eq!(cmd.range.start, text.find("CMD").unwrap() + 1);
}

//! The model built from the previous version's model (only the edited instructions parsed
//! again) must equal the model built from scratch, for random edit sequences, whether the model
//! is asked for after every edit or only after several (then the changes accumulate).

use std::sync::Arc;

use proptest::prelude::*;

use crate::diagnostics::path_arc;
use crate::workspace::{Document, FileKind};

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

fn check(edits: &[(f64, f64, String, bool)]) {
    let mut doc = Document::new(path_arc("/w/Dockerfile"), FileKind::Dockerfile, Some(0), BASE);
    let _ = super::model(&doc);
    for (i, (at, len, text, ask)) in edits.iter().enumerate() {
        let n = doc.text.len();
        let start = floor_boundary(&doc.text, (at * n as f64) as usize);
        let end = floor_boundary(&doc.text, start + (len * n as f64) as usize);
        doc = doc.edit(start..end, text, Some(i as i32 + 1));
        if *ask {
            let got: Arc<Model> = super::model(&doc);
            assert_eq!(*got, Model::build(&doc.text), "after edit {i}: {:?}", doc.text);
        }
    }
    assert_eq!(*super::model(&doc), Model::build(&doc.text), "{:?}", doc.text);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn incremental_model_equals_fresh(edits in prop::collection::vec(edit(), 1..10)) {
        check(&edits)
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

//! The bundled examples report exactly the mistakes their READMEs list, checked one project at
//! a time and together (two projects in one workspace must not see each other's modules).

use std::path::{Path, PathBuf};

use berth::cli::check::check_paths;
use berth::cli::render::line_col;

fn expected(example: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(example);
    let text = std::fs::read_to_string(dir.join("expected-diagnostics.txt")).unwrap();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| format!("{example}/{l}"))
        .collect()
}

fn found(paths: &[PathBuf]) -> Vec<String> {
    let report = check_paths(paths, &Default::default()).expect("examples load");
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut out = Vec::new();
    for (doc, diags) in &report.files {
        for d in diags {
            let (line, col) = line_col(doc, d.range.start);
            let rel = doc.path.strip_prefix(&base).unwrap().display().to_string();
            out.push(format!("{rel}:{line}:{col} {}", d.code));
        }
    }
    out.sort();
    out
}

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

#[test]
fn each_example_reports_exactly_its_listed_mistakes() {
    for example in ["django-compose", "flask-app"] {
        let mut want = expected(example);
        want.sort();
        assert_eq!(found(&[examples_dir().join(example)]), want, "{example}");
    }
}

#[test]
fn both_examples_in_one_workspace() {
    let mut want = expected("django-compose");
    want.extend(expected("flask-app"));
    want.sort();
    assert_eq!(found(&[examples_dir()]), want);
}

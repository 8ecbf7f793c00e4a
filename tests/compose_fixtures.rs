//! The realistic compose projects under `tests/fixtures/compose/` are clean: no diagnostics.

use std::path::{Path, PathBuf};

use berth::workspace::{Document, Snapshot, kind};

fn load(dir: &Path, snap: &mut Snapshot) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            load(&path, snap);
        } else if let Ok(text) = std::fs::read_to_string(&path)
            && let Some(k) = kind::classify(&path, None, &text)
        {
            snap.insert(Document::new(path.clone().into(), k, None, &text));
        }
    }
}

#[test]
fn fixture_projects_have_no_diagnostics() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/compose");
    let mut snap = Snapshot::new(vec![root.clone()]);
    load(&root, &mut snap);
    let mut report = String::new();
    let mut compose_files = 0;
    for doc in snap.of_kind(kind::FileKind::Compose) {
        compose_files += 1;
        for d in berth::compose::diagnostics(&snap, doc) {
            report.push_str(&format!(
                "{}:{:?} {} {}\n",
                doc.path.display(),
                &doc.text[d.range.clone()],
                d.code,
                d.message
            ));
        }
    }
    assert!(compose_files >= 8, "expected the fixture projects, found {compose_files} files");
    assert_eq!(report, "");
}

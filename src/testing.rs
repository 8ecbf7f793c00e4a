//! Fixture support for tests: one string describes a whole workspace.
//!
//! ```text
//! #- /compose.yaml
//! services:
//!   web:
//!     build: {target: $0prod}
//! #- /Dockerfile
//! FROM python:3.12 AS base
//! ```
//! `#- /path` starts a file (paths are rooted at `/w`); `$0` marks the cursor and `$0…$0` a
//! range. Common indentation is removed so fixtures can be indented in the test source.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::path_arc;
use crate::workspace::{Document, Snapshot, kind};

pub const ROOT: &str = "/w";

pub struct Fixture {
    pub snapshot: Snapshot,
    /// Files in fixture order.
    pub files: Vec<Arc<Path>>,
    /// The file holding the `$0` marker(s) and the cursor (first marker) in it.
    pub cursor: Option<(Arc<Path>, usize)>,
    /// With two markers: the range between them.
    pub range: Option<(Arc<Path>, Range<usize>)>,
}

impl Fixture {
    pub fn doc(&self, path: &str) -> &Arc<Document> {
        let p = PathBuf::from(ROOT).join(path.trim_start_matches('/'));
        self.snapshot.get(&p).unwrap_or_else(|| panic!("no fixture file {path}"))
    }

    /// The document holding the cursor and the offset.
    pub fn at_cursor(&self) -> (&Arc<Document>, usize) {
        let (p, off) = self.cursor.as_ref().expect("fixture has no $0 marker");
        (self.snapshot.get(p).expect("cursor file"), *off)
    }
}

pub fn dedent(text: &str) -> String {
    let text = text.strip_prefix('\n').unwrap_or(text);
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if line.len() >= indent && line[..indent].bytes().all(|b| b == b' ') {
            out.push_str(&line[indent..]);
        } else {
            out.push_str(line.trim_start_matches(' '));
        }
    }
    out
}

pub fn fixture(text: &str) -> Fixture {
    let text = dedent(text);
    let mut parts: Vec<(String, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        if let Some(p) = line.strip_prefix("#- ") {
            parts.push((p.trim().to_string(), String::new()));
        } else if let Some(last) = parts.last_mut() {
            last.1.push_str(line);
        } else {
            parts.push(("/Dockerfile".to_string(), line.to_string()));
        }
    }
    let mut snapshot = Snapshot::new(vec![PathBuf::from(ROOT)]);
    let mut files = Vec::new();
    let mut cursor = None;
    let mut range = None;
    for (name, body) in parts {
        let path = path_arc(PathBuf::from(ROOT).join(name.trim_start_matches('/')));
        let mut marks = Vec::new();
        let mut clean = String::with_capacity(body.len());
        let mut rest = body.as_str();
        while let Some(i) = rest.find("$0") {
            clean.push_str(&rest[..i]);
            marks.push(clean.len());
            rest = &rest[i + 2..];
        }
        clean.push_str(rest);
        if let Some(&first) = marks.first() {
            cursor = Some((path.clone(), first));
        }
        if marks.len() >= 2 {
            range = Some((path.clone(), marks[0]..marks[1]));
        }
        let kind = kind::classify(&path, None, &clean)
            .unwrap_or_else(|| panic!("fixture file {name} has no known kind"));
        snapshot.insert(Document::new(path.clone(), kind, None, &clean));
        files.push(path);
    }
    Fixture { snapshot, files, cursor, range }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_files_and_markers() {
        let f = fixture(
            r#"
            #- /compose.yaml
            services:
              web: {}
            #- /Dockerfile
            FROM $0python$0:3.12
            "#,
        );
        assert_eq!(f.files.len(), 2);
        let (doc, off) = f.at_cursor();
        assert_eq!(&doc.text[off..off + 6], "python");
        assert_eq!(f.range.as_ref().unwrap().1, 5..11);
        assert_eq!(&*f.doc("compose.yaml").text, "services:\n  web: {}\n");
        let _ = path_arc("/x");
    }
}

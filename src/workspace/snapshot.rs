//! An immutable view of every known file: open documents over disk contents. Cloning is cheap
//! (a persistent map of `Arc`s), so each request works on its own snapshot.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::document::Document;
use super::kind::FileKind;
use crate::config::Config;

#[derive(Clone, Default)]
pub struct Snapshot {
    files: imbl::HashMap<Arc<Path>, Arc<Document>>,
    /// How many documents lie under each folder (at any depth), kept up to date by `insert`
    /// and `remove`: "is some document under this folder" is asked for every build context and
    /// COPY source, and scanning 10,000 documents for each made `berth check` quadratic.
    dirs: imbl::HashMap<Arc<Path>, u32>,
    /// Workspace folders; files outside them are never read from disk.
    pub roots: Arc<Vec<PathBuf>>,
    pub config: Arc<Config>,
}

impl Snapshot {
    pub fn new(roots: Vec<PathBuf>) -> Snapshot {
        Snapshot {
            files: Default::default(),
            dirs: Default::default(),
            roots: Arc::new(roots),
            config: Default::default(),
        }
    }

    pub fn get(&self, path: &Path) -> Option<&Arc<Document>> {
        self.files.get(path)
    }

    pub fn insert(&mut self, doc: Document) {
        self.insert_arc(Arc::new(doc));
    }

    pub fn insert_arc(&mut self, doc: Arc<Document>) {
        let path = doc.path.clone();
        if self.files.insert(path.clone(), doc).is_none() {
            for dir in path.ancestors().skip(1) {
                *self.dirs.entry(Arc::from(dir)).or_insert(0) += 1;
            }
        }
    }

    pub fn remove(&mut self, path: &Path) -> Option<Arc<Document>> {
        let removed = self.files.remove(path)?;
        for dir in path.ancestors().skip(1) {
            match self.dirs.get_mut(dir) {
                Some(n) if *n > 1 => *n -= 1,
                Some(_) => {
                    self.dirs.remove(dir);
                }
                None => {}
            }
        }
        Some(removed)
    }

    /// Whether some document lies under the folder `dir` (at any depth).
    pub fn has_documents_under(&self, dir: &Path) -> bool {
        self.dirs.contains_key(dir)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn documents(&self) -> impl Iterator<Item = &Arc<Document>> {
        self.files.values()
    }

    pub fn of_kind(&self, kind: FileKind) -> impl Iterator<Item = &Arc<Document>> {
        self.files.values().filter(move |d| d.kind == kind)
    }

    /// Whether `path` lies inside a workspace folder (always true when there are no roots, as
    /// in `berth check` on explicit files).
    pub fn in_workspace(&self, path: &Path) -> bool {
        self.roots.is_empty() || self.roots.iter().any(|r| path.starts_with(r))
    }
}

#[cfg(test)]
mod dir_index_tests {
    use super::*;

    fn doc(p: &str) -> Document {
        Document::new(Arc::from(Path::new(p)), FileKind::Dotenv, None, "A=1\n")
    }

    #[test]
    fn folders_with_documents_follow_inserts_and_removes() {
        let mut s = Snapshot::new(Vec::new());
        s.insert(doc("/w/a/b/.env"));
        s.insert(doc("/w/a/.env"));
        s.insert(doc("/w/a/.env")); // a new version of the same file counts once
        let under = |s: &Snapshot, d: &str| s.has_documents_under(Path::new(d));
        assert!(under(&s, "/w/a/b") && under(&s, "/w/a") && under(&s, "/w") && under(&s, "/"));
        assert!(!under(&s, "/w/a/b/.env") && !under(&s, "/w/c"));
        let before = s.clone();
        s.remove(Path::new("/w/a/b/.env"));
        assert!(!under(&s, "/w/a/b") && under(&s, "/w/a"));
        s.remove(Path::new("/w/a/.env"));
        assert!(!under(&s, "/w") && !under(&s, "/"));
        // Snapshots are values: the earlier one is unchanged.
        assert!(under(&before, "/w/a/b"));
    }
}

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
    /// Workspace folders; files outside them are never read from disk.
    pub roots: Arc<Vec<PathBuf>>,
    pub config: Arc<Config>,
}

impl Snapshot {
    pub fn new(roots: Vec<PathBuf>) -> Snapshot {
        Snapshot { files: Default::default(), roots: Arc::new(roots), config: Default::default() }
    }

    pub fn get(&self, path: &Path) -> Option<&Arc<Document>> {
        self.files.get(path)
    }

    pub fn insert(&mut self, doc: Document) {
        self.files.insert(doc.path.clone(), Arc::new(doc));
    }

    pub fn insert_arc(&mut self, doc: Arc<Document>) {
        self.files.insert(doc.path.clone(), doc);
    }

    pub fn remove(&mut self, path: &Path) -> Option<Arc<Document>> {
        self.files.remove(path)
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

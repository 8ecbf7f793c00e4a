//! The server's mutable state: the current snapshot plus which documents the editor has open.
//! Every mutation happens under one short lock, synchronously, in message order.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use tower_lsp_server::ls_types::Uri;

use crate::config::Config;
use crate::workspace::{Document, FileKind, Snapshot, kind, load};

pub struct OpenDoc {
    pub uri: Uri,
    pub version: i32,
}

#[derive(Default)]
pub struct State {
    pub snap: Snapshot,
    pub open: HashMap<Arc<Path>, OpenDoc>,
    /// Bumped on every change, so background work can tell whether it is stale.
    pub generation: u64,
}

#[derive(Default)]
pub struct Store {
    state: Mutex<State>,
}

/// The path berth uses for a URI: the file path for `file:` URIs, a stable made-up absolute
/// path for others (`untitled:` buffers), so every document has one key.
pub fn path_of(uri: &Uri) -> Arc<Path> {
    if let Some(p) = uri.to_file_path() {
        return Arc::from(p.as_ref());
    }
    let scheme = uri.scheme().as_str();
    let rest = uri.path().as_str().trim_start_matches('/');
    Arc::from(PathBuf::from(format!("/{scheme}/{rest}")))
}

pub fn uri_of(path: &Path) -> Option<Uri> {
    Uri::from_file_path(path)
}

impl Store {
    pub fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock must not wedge the server: the state is still a valid
        // snapshot (mutations replace whole values), so recover it.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn snapshot(&self) -> Snapshot {
        self.lock().snap.clone()
    }

    pub fn set_roots(&self, roots: Vec<PathBuf>, config: Config) {
        let mut st = self.lock();
        st.snap.roots = Arc::new(roots);
        st.snap.config = Arc::new(config);
        st.generation += 1;
    }

    pub fn set_config(&self, config: Config) {
        let mut st = self.lock();
        st.snap.config = Arc::new(config);
        st.generation += 1;
    }

    /// Returns the kind, or None when berth does not handle this file.
    pub fn open(&self, uri: Uri, language_id: &str, version: i32, text: &str) -> Option<FileKind> {
        let path = path_of(&uri);
        let kind = kind::classify(&path, Some(language_id), text)?;
        // The workspace scan has usually read the file already: when the editor's text is the
        // same, that document (its tree and models) serves under the editor's version, rather
        // than a second parse and model alive beside the first until it is dropped.
        let scanned = self.lock().snap.get(&path).cloned();
        let doc = match scanned {
            Some(d) if d.kind == kind && d.text.as_str() == text => d.with_version(Some(version)),
            // Parsed outside the lock: a big file takes tens of milliseconds.
            _ => Document::new(path.clone(), kind, Some(version), text),
        };
        let mut st = self.lock();
        st.snap.insert(doc);
        st.open.insert(path, OpenDoc { uri, version });
        st.generation += 1;
        Some(kind)
    }

    /// Apply edits (byte range → text, already converted by the caller against the document
    /// as it is when each edit applies). Returns an error message for unknown documents.
    pub fn change(
        &self,
        uri: &Uri,
        version: i32,
        edits: impl FnOnce(&Document) -> Document,
    ) -> Result<(), String> {
        let path = path_of(uri);
        let mut st = self.lock();
        let Some(doc) = st.snap.get(&path).cloned() else {
            return Err(format!("change for a document that is not open: {}", uri.as_str()));
        };
        if !st.open.contains_key(&path) {
            return Err(format!("change for a document that is not open: {}", uri.as_str()));
        }
        let new = edits(&doc);
        st.snap.insert(new);
        if let Some(o) = st.open.get_mut(&path) {
            o.version = version;
        }
        st.generation += 1;
        Ok(())
    }

    /// The editor closed a document: fall back to the disk contents (or forget it).
    pub fn close(&self, uri: &Uri) {
        let path = path_of(uri);
        let from_disk = {
            let st = self.lock();
            let doc = st.snap.get(&path).cloned();
            doc.filter(|_| st.snap.in_workspace(&path) && path.exists())
                .and_then(|d| load::load_file(&path, d.kind).ok())
        };
        let mut st = self.lock();
        st.open.remove(&path);
        match from_disk {
            Some(l) => st.snap.insert(l.doc),
            None => {
                st.snap.remove(&path);
            }
        }
        st.generation += 1;
    }

    /// A file changed or appeared on disk; open documents win over disk contents.
    pub fn disk_changed(&self, path: &Path) -> Result<bool, String> {
        if self.lock().open.contains_key(path) {
            return Ok(false);
        }
        let Some(kind) = kind::kind_from_name(path) else { return Ok(false) };
        // berth reads only inside the workspace folders, whatever a client reports.
        if !self.lock().snap.in_workspace(path) {
            return Ok(false);
        }
        let loaded = load::load_file(path, kind).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut st = self.lock();
        if st.open.contains_key(path) {
            return Ok(false);
        }
        st.snap.insert(loaded.doc);
        st.generation += 1;
        Ok(true)
    }

    pub fn disk_deleted(&self, path: &Path) -> bool {
        let mut st = self.lock();
        if st.open.contains_key(path) {
            return false;
        }
        let removed = st.snap.remove(path).is_some();
        st.generation += 1;
        removed
    }

    /// Add scanned documents without replacing open ones.
    pub fn add_scanned(&self, docs: Vec<Document>) {
        let mut st = self.lock();
        for d in docs {
            if !st.open.contains_key(&d.path) {
                st.snap.insert(d);
            }
        }
        st.generation += 1;
    }

    /// Whether the editor has `path` open.
    pub fn is_open(&self, path: &Path) -> bool {
        self.lock().open.contains_key(path)
    }

    /// Open documents: path, URI, version.
    pub fn open_docs(&self) -> Vec<(Arc<Path>, Uri, i32)> {
        let st = self.lock();
        st.open.iter().map(|(p, o)| (p.clone(), o.uri.clone(), o.version)).collect()
    }

    pub fn version_of(&self, path: &Path) -> Option<i32> {
        self.lock().open.get(path).map(|o| o.version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(p: &str) -> Uri {
        uri_of(Path::new(p)).unwrap()
    }

    #[test]
    fn opening_a_scanned_file_unchanged_reuses_its_analysis() {
        let store = Store::default();
        let text = "services:\n  web:\n    image: app\n";
        let scanned = Document::new(
            crate::diagnostics::path_arc("/w/compose.yaml"),
            FileKind::Compose,
            None,
            text,
        );
        let model = crate::compose::model(&scanned);
        store.add_scanned(vec![scanned]);
        store.open(uri("/w/compose.yaml"), "yaml", 3, text).unwrap();
        let snap = store.snapshot();
        let opened = snap.get(Path::new("/w/compose.yaml")).unwrap();
        assert_eq!(opened.version, Some(3));
        assert!(Arc::ptr_eq(&crate::compose::model(opened), &model), "the model is shared");

        // Other text on open: analysed afresh.
        store.close(&uri("/w/compose.yaml"));
        store.add_scanned(vec![Document::new(
            crate::diagnostics::path_arc("/w/compose.yaml"),
            FileKind::Compose,
            None,
            text,
        )]);
        store.open(uri("/w/compose.yaml"), "yaml", 4, "services: {}\n").unwrap();
        let snap = store.snapshot();
        let opened = snap.get(Path::new("/w/compose.yaml")).unwrap();
        assert_eq!((opened.version, opened.text.as_str()), (Some(4), "services: {}\n"));
        assert!(crate::compose::model(opened).services.is_empty());
    }
}

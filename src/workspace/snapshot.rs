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
    identity: Identity,
}

/// Which document versions a snapshot holds, per file kind: an order-independent digest (the
/// sum of a hash of each document's address) and a count, kept by `insert` and `remove`. The
/// caches keyed on "exactly these documents" compare it in O(1) on every request, rather than
/// hashing each document of a 10,000-file workspace.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
struct Identity {
    sums: [u64; KINDS],
    counts: [usize; KINDS],
}

const KINDS: usize = 4;

impl Identity {
    fn add(&mut self, doc: &Arc<Document>) {
        let (k, h) = Identity::of(doc);
        self.sums[k] = self.sums[k].wrapping_add(h);
        self.counts[k] += 1;
    }

    fn remove(&mut self, doc: &Arc<Document>) {
        let (k, h) = Identity::of(doc);
        self.sums[k] = self.sums[k].wrapping_sub(h);
        self.counts[k] -= 1;
    }

    /// The document's kind (its slot) and a hash of its address.
    fn of(doc: &Arc<Document>) -> (usize, u64) {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (Arc::as_ptr(doc) as usize).hash(&mut h);
        (doc.kind as usize, h.finish())
    }
}

impl Snapshot {
    pub fn new(roots: Vec<PathBuf>) -> Snapshot {
        Snapshot {
            files: Default::default(),
            dirs: Default::default(),
            roots: Arc::new(roots),
            config: Default::default(),
            identity: Identity::default(),
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
        self.identity.add(&doc);
        match self.files.insert(path.clone(), doc) {
            Some(old) => self.identity.remove(&old),
            None => {
                for dir in path.ancestors().skip(1) {
                    *self.dirs.entry(Arc::from(dir)).or_insert(0) += 1;
                }
            }
        }
    }

    pub fn remove(&mut self, path: &Path) -> Option<Arc<Document>> {
        let removed = self.files.remove(path)?;
        self.identity.remove(&removed);
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

    /// A digest of which versions of the documents of the kinds `include` accepts this snapshot
    /// holds (each version is its own `Arc`, so any edit changes it), and of the workspace
    /// folders. Equal digests mean the same documents for as long as the documents are kept
    /// alive (an address is reused only after its allocation is freed).
    pub fn identity(&self, include: impl Fn(FileKind) -> bool) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for kind in [FileKind::Dockerfile, FileKind::Compose, FileKind::Dotenv, FileKind::Python] {
            if include(kind) {
                let k = kind as usize;
                (k, self.identity.sums[k], self.identity.counts[k]).hash(&mut h);
            }
        }
        self.roots.hash(&mut h);
        h.finish()
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

    #[test]
    fn identity_follows_the_documents_held() {
        let all = |s: &Snapshot| s.identity(|_| true);
        let no_python = |s: &Snapshot| s.identity(|k| k != FileKind::Python);
        let mut s = Snapshot::new(Vec::new());
        let empty = all(&s);
        let env = Arc::new(doc("/w/.env"));
        s.insert_arc(env.clone());
        let one = (all(&s), no_python(&s));
        assert_ne!(one.0, empty);
        // The same version again changes nothing; another version of the file does.
        s.insert_arc(env.clone());
        assert_eq!((all(&s), no_python(&s)), one);
        s.insert(doc("/w/.env"));
        assert_ne!(all(&s), one.0);
        s.insert_arc(env.clone());
        assert_eq!(all(&s), one.0);
        // A Python file counts only where Python is included; removing it restores the digest.
        let py = Document::new(Arc::from(Path::new("/w/app.py")), FileKind::Python, None, "");
        s.insert(py);
        assert_ne!(all(&s), one.0);
        assert_eq!(no_python(&s), one.1);
        s.remove(Path::new("/w/app.py"));
        assert_eq!(all(&s), one.0);
        s.remove(Path::new("/w/.env"));
        assert_eq!(all(&s), empty);
    }
}

//! The build context as seen from a Dockerfile: its directory (the usual context), the files in
//! it (open documents first, then the disk) and its `.dockerignore`. Nothing is read outside
//! the workspace folders, and nothing at all when the directory does not exist on disk (an
//! unsaved or virtual workspace), so the checks stay quiet rather than guess.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::fs_cache::Batch;
use crate::workspace::Snapshot;

pub struct BuildContext<'a> {
    pub dir: PathBuf,
    snap: &'a Snapshot,
    ignore: Option<Arc<Gitignore>>,
    /// Existence checks go through the directory-listing cache, once per directory per pass.
    fs: Batch,
    /// Answers of [`BuildContext::exists`] in this pass: a long Dockerfile copies the same few
    /// sources (`requirements.txt`, `.`, …) stage after stage.
    exists_memo: std::cell::RefCell<crate::util::FastMap<String, bool>>,
}

impl<'a> BuildContext<'a> {
    pub fn of(snap: &'a Snapshot, dockerfile: &Path) -> Option<BuildContext<'a>> {
        let dir = dockerfile.parent()?.to_path_buf();
        let fs = Batch::default();
        if snap.roots.is_empty() || !snap.in_workspace(&dir) || !fs.is_listable_dir(&dir) {
            return None;
        }
        // `<name>.dockerignore` next to the Dockerfile wins over `.dockerignore`.
        let name = dockerfile.file_name()?.to_string_lossy();
        let specific = dir.join(format!("{name}.dockerignore"));
        let file = if fs.is_file(&specific) { specific } else { dir.join(".dockerignore") };
        let ignore = if fs.exists(&file) { ignore_file(&dir, &file) } else { None };
        Some(BuildContext { dir, snap, ignore, fs, exists_memo: Default::default() })
    }

    /// Is `p` a file on disk (cached listing of its directory)?
    pub fn is_file_on_disk(&self, p: &Path) -> bool {
        self.fs.is_file(p)
    }

    /// The path of a source in the context. BuildKit reads sources inside the context only:
    /// a leading `/` is its root and `..` stops there (`../x` is the context's `x`).
    pub fn resolve(&self, src: &str) -> PathBuf {
        let mut p = self.dir.clone();
        let mut depth = 0usize;
        for seg in src.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    if depth > 0 {
                        p.pop();
                        depth -= 1;
                    }
                }
                name => {
                    p.push(name);
                    depth += 1;
                }
            }
        }
        p
    }

    pub fn is_ignored(&self, src: &str) -> bool {
        let Some(ig) = &self.ignore else { return false };
        let p = self.resolve(src);
        if p == self.dir {
            return false;
        }
        ig.matched_path_or_any_parents(&p, self.fs.is_dir(&p)).is_ignore()
    }

    pub fn has_ignore_file(&self) -> bool {
        self.ignore.is_some()
    }

    /// Does a source path (maybe with `*`/`?` wildcards in its last component) match anything?
    pub fn exists(&self, src: &str) -> bool {
        if let Some(&known) = self.exists_memo.borrow().get(src) {
            return known;
        }
        let found = self.look_up(src);
        self.exists_memo.borrow_mut().insert(src.to_string(), found);
        found
    }

    fn look_up(&self, src: &str) -> bool {
        let p = self.resolve(src);
        if p == self.dir {
            // `COPY . .`: the context itself, listable (see `of`). Its parent, often outside
            // the workspace and large (`/tmp`, a home directory), is never read.
            return true;
        }
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if !name.contains(['*', '?', '[']) {
            return self.fs.exists(&p)
                || self.snap.get(&p).is_some()
                || self.snap.has_documents_under(&p);
        }
        let Some(parent) = p.parent() else { return true };
        if parent.to_string_lossy().contains(['*', '?', '[']) {
            return true;
        }
        let on_disk = self.fs.any_name(parent, |n| wildcard(&name, &n.to_string_lossy()));
        on_disk
            || self.snap.documents().any(|d| {
                d.path.parent() == Some(parent)
                    && d.path.file_name().is_some_and(|n| wildcard(&name, &n.to_string_lossy()))
            })
    }
}

/// The parsed `.dockerignore` at `file`, cached while its modification time and size stay the
/// same (it is read on every keystroke otherwise).
fn ignore_file(dir: &Path, file: &Path) -> Option<Arc<Gitignore>> {
    type Key = (PathBuf, Option<SystemTime>, u64);
    type Cache = Mutex<HashMap<PathBuf, (Key, Option<Arc<Gitignore>>)>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let meta = std::fs::metadata(file).ok()?;
    let key: Key = (dir.to_path_buf(), meta.modified().ok(), meta.len());
    let cache = CACHE.get_or_init(Default::default);
    if let Some((k, ig)) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(file)
        && *k == key
    {
        return ig.clone();
    }
    let ig = std::fs::read_to_string(file).ok().and_then(|t| {
        let mut b = GitignoreBuilder::new(dir);
        for line in t.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            // .dockerignore patterns are anchored at the context root, unlike .gitignore.
            let (neg, pat) = match line.strip_prefix('!') {
                Some(p) => ("!", p),
                None => ("", line),
            };
            let pat = pat.trim_start_matches("./").trim_start_matches('/');
            let _ = b.add_line(None, &format!("{neg}/{pat}"));
        }
        b.build().ok()
    });
    let ig = ig.map(Arc::new);
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    if cache.len() > 256 {
        cache.clear();
    }
    cache.insert(file.to_path_buf(), (key, ig.clone()));
    ig
}

/// `*` and `?` matching (character classes are accepted as "anything").
fn wildcard(pat: &str, s: &str) -> bool {
    if pat.contains('[') {
        return true;
    }
    let (p, t): (Vec<char>, Vec<char>) = (pat.chars().collect(), s.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

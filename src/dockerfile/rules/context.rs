//! The build context as seen from a Dockerfile: its directory (the usual context), the files in
//! it (open documents first, then the disk) and its `.dockerignore`. Nothing is read outside
//! the workspace folders, and nothing at all when the directory does not exist on disk (an
//! unsaved or virtual workspace), so the checks stay quiet rather than guess.

use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::workspace::Snapshot;

pub struct BuildContext<'a> {
    pub dir: PathBuf,
    snap: &'a Snapshot,
    ignore: Option<Gitignore>,
}

impl<'a> BuildContext<'a> {
    pub fn of(snap: &'a Snapshot, dockerfile: &Path) -> Option<BuildContext<'a>> {
        let dir = dockerfile.parent()?.to_path_buf();
        if snap.roots.is_empty() || !snap.in_workspace(&dir) || !dir.is_dir() {
            return None;
        }
        // `<name>.dockerignore` next to the Dockerfile wins over `.dockerignore`.
        let name = dockerfile.file_name()?.to_string_lossy();
        let specific = dir.join(format!("{name}.dockerignore"));
        let file = if specific.is_file() { specific } else { dir.join(".dockerignore") };
        let ignore = std::fs::read_to_string(&file).ok().and_then(|t| {
            let mut b = GitignoreBuilder::new(&dir);
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
        Some(BuildContext { dir, snap, ignore })
    }

    pub fn resolve(&self, src: &str) -> PathBuf {
        let rel = src.trim_start_matches("./").trim_start_matches('/');
        if rel.is_empty() || rel == "." { self.dir.clone() } else { self.dir.join(rel) }
    }

    pub fn is_ignored(&self, src: &str) -> bool {
        let Some(ig) = &self.ignore else { return false };
        let p = self.resolve(src);
        if p == self.dir {
            return false;
        }
        ig.matched_path_or_any_parents(&p, p.is_dir()).is_ignore()
    }

    pub fn has_ignore_file(&self) -> bool {
        self.ignore.is_some()
    }

    /// Does a source path (maybe with `*`/`?` wildcards in its last component) match anything?
    pub fn exists(&self, src: &str) -> bool {
        let p = self.resolve(src);
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if !name.contains(['*', '?', '[']) {
            return p.exists()
                || self.snap.get(&p).is_some()
                || self.snap.documents().any(|d| d.path.starts_with(&p));
        }
        let Some(parent) = p.parent() else { return true };
        if parent.to_string_lossy().contains(['*', '?', '[']) {
            return true;
        }
        let on_disk = std::fs::read_dir(parent)
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| wildcard(&name, &e.file_name().to_string_lossy()));
        on_disk
            || self.snap.documents().any(|d| {
                d.path.parent() == Some(parent)
                    && d.path.file_name().is_some_and(|n| wildcard(&name, &n.to_string_lossy()))
            })
    }
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

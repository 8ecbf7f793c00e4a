//! Paths in a compose file that point at nothing.

use std::path::Path;
use std::sync::Arc;

use super::Ctx;
use crate::compose::model::Str;
use crate::compose::project::resolve_in;
use crate::diagnostics::{Diagnostic, RuleInfo, Severity};
use crate::workspace::Snapshot;

pub const MISSING_FILE: RuleInfo = RuleInfo {
    code: "missing-file",
    scope: "compose",
    default_severity: Severity::Error,
    enabled_by_default: true,
    fixable: false,
    summary: "A file or directory the compose file refers to does not exist.",
    docs: "Compose reads several paths relative to the compose file: `env_file` entries, the build \
`context` and its `dockerfile`, the `file` of secrets and configs, `extends.file` and `include`. \
A path that doesn't exist stops `docker compose up` (an `env_file` entry only when it isn't \
marked `required: false`). When the build context itself is missing, only the context is \
reported: its Dockerfile cannot exist either.\n\n```yaml\nservices:\n  web:\n    env_file: .env.production   # missing-file\n```\n\n\
Create the file, fix the path, or mark an optional env file with `required: false`. Paths outside \
the workspace are not read; they are reported as unchecked.",
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exists {
    Yes,
    No,
    /// Outside the workspace folders: never read.
    Unknown,
}

/// Whether `path` exists: the snapshot first, then the disk for paths inside the workspace
/// (through the listing cache: this runs for every service on every keystroke), then, for a
/// folder, whether some document (perhaps unsaved) lives under it.
pub fn exists(snap: &Snapshot, path: &Path, dir: bool, disk: &crate::fs_cache::Batch) -> Exists {
    if !dir && snap.get(path).is_some() {
        return Exists::Yes;
    }
    if !snap.in_workspace(path) {
        return Exists::Unknown;
    }
    let found = if path.parent().is_some_and(|p| !snap.in_workspace(p)) {
        // A workspace folder itself (`build: .` at the top): its parent is not read.
        crate::fs_cache::stat_is(path, dir)
    } else if dir {
        disk.is_dir(path)
    } else {
        disk.is_file(path)
    };
    if found || (dir && snap.has_documents_under(path)) { Exists::Yes } else { Exists::No }
}

/// What [`exists`] needs to know about the folder holding a path, found once per folder and
/// analysis pass: a compose file's paths mostly sit in a few folders (`./services/*`), and
/// the snapshot and the disk are each asked once per folder instead of once per path.
struct Folder {
    in_workspace: bool,
    /// Some document lies under the folder (so perhaps at the path, or under it).
    documents: bool,
    disk: crate::fs_cache::Dir,
}

/// [`exists`] for the many paths of one analysis pass.
struct Probe<'a> {
    snap: &'a Snapshot,
    /// The folder of the compose file, which most paths are written relative to.
    base: &'a Path,
    disk: crate::fs_cache::Batch,
    /// By the folder's resolved path.
    folders: crate::util::FastMap<Box<[u8]>, Folder>,
    /// By the folder as written relative to `base` (`services` for `./services/web`).
    written: crate::util::FastMap<Box<str>, Folder>,
}

impl<'a> Probe<'a> {
    fn new(snap: &'a Snapshot, base: &'a Path) -> Self {
        let (disk, folders, written) = Default::default();
        Probe { snap, base, disk, folders, written }
    }

    fn folder(&self, folder: &Path) -> Folder {
        let in_workspace = self.snap.in_workspace(folder);
        Folder {
            in_workspace,
            documents: self.snap.has_documents_under(folder),
            // A folder outside the workspace is not read (see `answer`).
            disk: if in_workspace { self.disk.dir(folder) } else { crate::fs_cache::Dir::unread() },
        }
    }

    /// Whether `rel`, written relative to the compose file's folder, exists. The usual
    /// `./services/web` is looked up by its written folder and name: no path is built unless
    /// a document may be there.
    fn exists_written(&mut self, rel: &str, dir: bool) -> Exists {
        let Some((folder, name)) = crate::compose::project::split_plain(rel) else {
            return self.exists(&resolve_in(self.base, rel), dir);
        };
        if !self.written.contains_key(folder) {
            let facts = match folder {
                "" => self.folder(&resolve_in(self.base, ".")),
                _ => self.folder(&resolve_in(self.base, folder)),
            };
            self.written.insert(folder.into(), facts);
        }
        let f = &self.written[folder];
        self.answer(f, std::ffi::OsStr::new(name), || resolve_in(self.base, rel), dir)
    }

    fn exists(&mut self, path: &Path, dir: bool) -> Exists {
        // An absolute normalized path splits into its folder and a plain last name; anything
        // else takes the general route.
        let text = path.to_str().filter(|t| t.starts_with('/')).unwrap_or_default();
        let split = memchr::memrchr(b'/', text.as_bytes());
        let Some(slash) = split.filter(|&i| !matches!(&text[i + 1..], "" | "." | "..")) else {
            return exists(self.snap, path, dir, &self.disk);
        };
        let (folder, name) = (&text[..slash.max(1)], std::ffi::OsStr::new(&text[slash + 1..]));
        if !self.folders.contains_key(folder.as_bytes()) {
            let facts = self.folder(Path::new(folder));
            self.folders.insert(folder.as_bytes().into(), facts);
        }
        let f = &self.folders[folder.as_bytes()];
        self.answer(f, name, || path, dir)
    }

    /// [`exists`] for the entry `name` of the folder `f`; `path` builds its whole path, needed
    /// only when a document may be there or the folder is outside the workspace.
    fn answer<P: AsRef<Path>>(
        &self,
        f: &Folder,
        name: &std::ffi::OsStr,
        path: impl Fn() -> P,
        dir: bool,
    ) -> Exists {
        if !dir && f.documents && self.snap.get(path().as_ref()).is_some() {
            return Exists::Yes;
        }
        // A path under a workspace folder is in it; the folder itself may be a root's parent.
        let found = if f.in_workspace {
            if dir { f.disk.is_dir(name) } else { f.disk.is_file(name) }
        } else if self.snap.in_workspace(path().as_ref()) {
            crate::fs_cache::stat_is(path().as_ref(), dir)
        } else {
            return Exists::Unknown;
        };
        let documents = || f.documents && self.snap.has_documents_under(path().as_ref());
        if found || (dir && documents()) { Exists::Yes } else { Exists::No }
    }
}

fn is_remote(s: &str) -> bool {
    (s.contains(':') && s.contains("://")) || s.starts_with("git@") || s.starts_with("github.com/")
}

/// Whether a path written in the file is checked at all.
fn checked(s: &Str) -> bool {
    !(s.text.is_empty() || s.text.contains('$') || is_remote(&s.text))
}

/// Checks one file's paths, reporting those that do not exist.
struct Checker<'a> {
    probe: Probe<'a>,
    from: &'a Arc<Path>,
    out: &'a mut Vec<Diagnostic>,
}

/// Where a path to check is: written relative to the compose file, or resolved.
enum At<'p> {
    Written,
    Resolved(&'p Path),
}

impl Checker<'_> {
    /// Whether the path `s` names exists, reporting when it does not.
    fn check(&mut self, s: &Str, at: At, dir: bool, what: &str) -> Exists {
        let found = match at {
            At::Written => self.probe.exists_written(&s.text, dir),
            At::Resolved(path) => self.probe.exists(path, dir),
        };
        let (severity, tail) = match found {
            Exists::Yes => return found,
            Exists::No => (Severity::Error, "` does not exist"),
            Exists::Unknown => (Severity::Info, "` is outside the workspace and was not checked"),
        };
        // Built by hand: `format!` costs more than the rest of a finding.
        let mut message = String::with_capacity(what.len() + s.text.len() + tail.len() + 2);
        for part in [what, " `", &s.text, tail] {
            message.push_str(part);
        }
        let d = Diagnostic::new(self.from, s.range.clone(), severity, MISSING_FILE.code, message);
        self.out.push(d);
        found
    }

    /// A file named relative to the compose file.
    fn file(&mut self, s: &Str, what: &str) {
        if checked(s) {
            self.check(s, At::Written, false, what);
        }
    }
}

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let from = ctx.path();
    let from_dir = from.parent().unwrap_or(Path::new("/"));
    let mut c = Checker { probe: Probe::new(ctx.snap, from_dir), from, out };
    let m = &ctx.model;
    for svc in &m.services {
        for e in svc.env_file.iter().filter(|e| e.required) {
            c.file(&e.path, "Env file");
        }
        if let Some(b) = &svc.build {
            let context = match &b.context {
                Some(s) if is_remote(&s.text) || s.text.contains('$') => continue,
                // A missing context is the one finding: its Dockerfile cannot exist either.
                Some(s) => {
                    !(checked(s) && c.check(s, At::Written, true, "Build context") == Exists::No)
                }
                None => true,
            };
            if context
                && let Some(df) = &b.dockerfile
                && !b.dockerfile_inline
                && checked(df)
            {
                let text = b.context.as_ref().map_or(".", |s| s.text.as_str());
                let dir = resolve_in(from_dir, text);
                c.check(df, At::Resolved(&resolve_in(&dir, &df.text)), false, "Dockerfile");
            }
        }
        if let Some(f) = svc.extends.as_ref().and_then(|e| e.file.as_ref()) {
            c.file(f, "Extended file");
        }
    }
    for decl in m.secrets.iter().chain(m.configs.iter()) {
        if let Some(f) = &decl.file {
            c.file(f, "File");
        }
    }
    for inc in &m.includes {
        for p in &inc.paths {
            c.file(p, "Included file");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use proptest::prelude::*;

    use super::*;
    use crate::workspace::{Document, FileKind};

    const NAMES: [&str; 4] = ["a", "b", "c.txt", ".."];

    fn rel(parts: &[usize]) -> String {
        parts.iter().map(|&i| NAMES[i]).collect::<Vec<_>>().join("/")
    }

    proptest! {
        /// `resolve_in` (whose shortcut this rule leans on) agrees with the component walk,
        /// on names with dots in every place.
        #[test]
        fn resolve_in_matches_normalize(
            dir in prop::collection::vec(prop::sample::select(vec!["w", ".", "..", "...", ".x", "x."]), 0..4),
            rel in prop::collection::vec(prop::sample::select(vec!["a..b", ".", "..", "", "...", ".y", "y.", "z"]), 0..5),
            lead in prop::sample::select(vec!["", "./", "../", "/", "//"]),
        ) {
            let dir = PathBuf::from(format!("/{}", dir.join("/")));
            let rel = format!("{lead}{}", rel.join("/"));
            let slow = crate::compose::project::normalize(&dir.join(rel.trim()));
            prop_assert_eq!(resolve_in(&dir, &rel), slow, "{:?} {:?}", dir, rel);
        }
    }

    #[test]
    fn a_workspace_folder_is_checked_without_reading_its_parent() {
        let outer = std::env::temp_dir().join(format!("berth-parent-{}", std::process::id()));
        let root = outer.join("proj");
        std::fs::create_dir_all(&root).unwrap();
        let snap = Snapshot::new(vec![root.clone()]);
        let mut probe = Probe::new(&snap, &root);
        assert_eq!(probe.exists_written(".", true), Exists::Yes);
        assert_eq!(probe.exists(&root, true), Exists::Yes);
        assert_eq!(probe.exists(&root, false), Exists::No);
        let disk = crate::fs_cache::Batch::default();
        assert_eq!(exists(&snap, &root, true, &disk), Exists::Yes);
        assert_eq!(probe.exists(&outer.join("other"), true), Exists::Unknown);
        // The parent (in real use often `/tmp` or a busy home directory) was never listed.
        assert!(!crate::fs_cache::is_cached(&outer));
        std::fs::remove_dir_all(&outer).unwrap();
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// The per-folder probe answers as the path-by-path check does, on a random tree on
        /// disk, random documents, and random workspace folders.
        #[test]
        fn probe_agrees_with_exists(
            files in prop::collection::vec(prop::collection::vec(0..3usize, 1..4), 0..6),
            dirs in prop::collection::vec(prop::collection::vec(0..3usize, 1..3), 0..4),
            docs in prop::collection::vec(prop::collection::vec(0..3usize, 1..4), 0..4),
            root in prop::collection::vec(0..3usize, 0..2),
            queries in prop::collection::vec((prop::collection::vec(0..4usize, 0..4), any::<bool>()), 1..12),
        ) {
            static RUN: AtomicUsize = AtomicUsize::new(0);
            let n = RUN.fetch_add(1, Ordering::Relaxed);
            let base = std::env::temp_dir()
                .join(format!("berth-probe-{}-{n}", std::process::id()));
            let _ = std::fs::remove_dir_all(&base);
            std::fs::create_dir_all(&base).unwrap();
            for d in &dirs {
                let _ = std::fs::create_dir_all(base.join(rel(d)));
            }
            for f in &files {
                let p = base.join(rel(f));
                if let Some(parent) = p.parent() {
                    let _ = std::fs::create_dir_all(parent);
                }
                let _ = std::fs::write(&p, "x");
            }
            let mut snap = Snapshot::new(vec![base.join(rel(&root))]);
            for d in &docs {
                let p: Arc<Path> = Arc::from(base.join(rel(d)).as_path());
                snap.insert(Document::new(p, FileKind::Dotenv, None, "A=1\n"));
            }
            let mut probe = Probe::new(&snap, &base);
            for (q, dir) in &queries {
                let path: PathBuf = resolve_in(&base, &rel(q));
                let slow = exists(&snap, &path, *dir, &crate::fs_cache::Batch::default());
                prop_assert_eq!(probe.exists(&path, *dir), slow, "{:?} dir={}", path, dir);
                let written = probe.exists_written(&format!("./{}", rel(q)), *dir);
                prop_assert_eq!(written, slow, "written {:?} dir={}", path, dir);
            }
            std::fs::remove_dir_all(&base).unwrap();
        }
    }
}

//! Reading files from disk: the workspace scan at start-up and single files that change on
//! disk. Hostile files (binary, huge, not UTF-8, unreadable) are skipped or read lossily with a
//! reason, never a panic.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::document::Document;
use super::kind::{FileKind, kind_from_name};

/// Files larger than this are not read from disk by the scan (an opened document of any size
/// is kept, but see `MAX_ANALYSED_BYTES`).
pub const MAX_SCANNED_BYTES: u64 = 4 * 1024 * 1024;

#[derive(Debug)]
pub enum Skip {
    TooLarge(u64),
    Binary,
    Unreadable(String),
    /// A YAML file that turned out not to be a compose file.
    NotRelevant,
}

impl std::fmt::Display for Skip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Skip::TooLarge(n) => write!(
                f,
                "skipped: {:.1} MB is larger than the {} MB berth reads from disk",
                *n as f64 / 1_048_576.0,
                MAX_SCANNED_BYTES / 1_048_576
            ),
            Skip::Binary => write!(f, "skipped: looks like a binary file"),
            Skip::Unreadable(e) => write!(f, "skipped: cannot read it ({e})"),
            Skip::NotRelevant => write!(f, "not a compose file"),
        }
    }
}

/// The outcome of reading one file.
pub struct Loaded {
    pub doc: Document,
    /// The file was not valid UTF-8; invalid bytes became U+FFFD.
    pub lossy: bool,
}

/// Decode bytes as text; binary content (a NUL byte early on) is refused.
pub fn decode(bytes: &[u8]) -> Result<(String, bool), Skip> {
    decode_owned(bytes.to_vec())
}

/// [`decode`], taking the bytes over: valid UTF-8 (nearly every file) is not copied.
fn decode_owned(bytes: Vec<u8>) -> Result<(String, bool), Skip> {
    if memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some() {
        return Err(Skip::Binary);
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok((s, false)),
        Err(e) => Ok((String::from_utf8_lossy(e.as_bytes()).into_owned(), true)),
    }
}

/// The bytes of a file of at most [`MAX_SCANNED_BYTES`]: one open, its size from the open
/// file (no second walk of the path), one buffer of that size.
fn read_bounded(path: &Path) -> Result<Vec<u8>, Skip> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| Skip::Unreadable(e.to_string());
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let len = file.metadata().map_err(unreadable)?.len();
    if len > MAX_SCANNED_BYTES {
        return Err(Skip::TooLarge(len));
    }
    // One byte more than the size, so that reading to the end needs no second allocation.
    let mut bytes = Vec::with_capacity(len as usize + 1);
    file.read_to_end(&mut bytes).map_err(unreadable)?;
    Ok(bytes)
}

pub fn load_file(path: &Path, kind: FileKind) -> Result<Loaded, Skip> {
    load_file_if(path, kind, |_| true)
}

/// [`load_file`], when `wanted` says yes to the text: decided before any parse, so a YAML
/// file that turns out not to be a compose file costs a read, not a syntax tree.
fn load_file_if(
    path: &Path,
    kind: FileKind,
    wanted: impl Fn(&str) -> bool,
) -> Result<Loaded, Skip> {
    let (text, lossy) = decode_owned(read_bounded(path)?)?;
    if !wanted(&text) {
        return Err(Skip::NotRelevant);
    }
    let path: Arc<Path> = Arc::from(path);
    Ok(Loaded { doc: document_from_disk(path, kind, text), lossy })
}

/// The document of a file read from disk. A Dockerfile's tree is parsed on first use, not
/// now: no analysis of another file reads it (the cross-file model uses the Dockerfile model,
/// which works on lines), so in a workspace scan only the few the editor opens ever need one.
/// Compose files and Python modules are parsed now, in the scan's parallel workers: the
/// cross-file model that the first diagnostics build needs the model of every one, and those
/// are built from the tree.
pub fn document_from_disk(path: Arc<Path>, kind: FileKind, text: String) -> Document {
    match kind {
        FileKind::Dockerfile => Document::unparsed(path, kind, None, text),
        _ => Document::new(path, kind, None, &text),
    }
}

/// Everything a scan found.
#[derive(Default)]
pub struct Scan {
    pub docs: Vec<Document>,
    /// Files not read, with the reason.
    pub skipped: Vec<(PathBuf, String)>,
    /// Files read lossily (invalid UTF-8).
    pub lossy: Vec<PathBuf>,
}

/// A `.yaml`/`.yml` file whose name says nothing: read it to see whether it is a compose file.
fn yaml_to_sniff(path: &Path) -> Option<FileKind> {
    let ext = path.extension()?.to_str()?;
    (ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml"))
        .then_some(FileKind::Compose)
}

/// Files found (with their kind) and places that could not be read (with why).
pub type Discovered = (Vec<(PathBuf, FileKind)>, Vec<(PathBuf, String)>);

/// Paths of relevant files under `root`, honouring `.gitignore`, `.ignore` and global git
/// ignores (hidden files are included: `.env` is hidden). Symlinks are not followed, so loops
/// cannot trap the walk.
pub fn discover(root: &Path) -> Discovered {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .follow_links(false)
        .git_ignore(true)
        .git_exclude(true)
        .require_git(false)
        // A `.berthignore` (gitignore syntax) hides files from berth alone.
        .add_custom_ignore_filename(".berthignore")
        .filter_entry(|e| {
            // Never descend into VCS metadata or dependency trees.
            let name = e.file_name().to_str().unwrap_or("");
            !matches!(
                name,
                ".git" | "node_modules" | ".venv" | "venv" | "__pycache__" | ".tox" | ".mypy_cache"
            )
        })
        .build();
    for entry in walker {
        match entry {
            Ok(e) => {
                if e.file_type().is_some_and(|t| t.is_file())
                    && let Some(kind) = kind_from_name(e.path()).or_else(|| yaml_to_sniff(e.path()))
                {
                    found.push((e.into_path(), kind));
                }
            }
            Err(err) => {
                let path = match &err {
                    ignore::Error::WithPath { path, .. } => path.clone(),
                    _ => root.to_path_buf(),
                };
                errors.push((path, err.to_string()));
            }
        }
    }
    (found, errors)
}

/// Read every relevant file under the roots in parallel. `progress(done, total)` is called as
/// files are read (from worker threads).
pub fn scan(roots: &[PathBuf], progress: &(dyn Fn(usize, usize) + Sync)) -> Scan {
    scan_except(roots, progress, &|_| false)
}

/// [`scan`], leaving out the files `skip` names when their turn comes: documents the editor
/// already has open, whose disk copy would only be parsed to be thrown away (for a large
/// compose file, a second tree and model at the moment of opening it).
pub fn scan_except(
    roots: &[PathBuf],
    progress: &(dyn Fn(usize, usize) + Sync),
    skip: &(dyn Fn(&Path) -> bool + Sync),
) -> Scan {
    let mut files = Vec::new();
    let mut out = Scan::default();
    for root in roots {
        let (f, errors) = discover(root);
        files.extend(f);
        out.skipped.extend(errors);
    }
    let total = files.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<(PathBuf, Result<Loaded, Skip>)> = files
        .into_par_iter()
        .map(|(path, kind)| {
            // YAML under another name is a compose file only if its content says so (a
            // `COMPOSE_FILE` may name `base.yml`); anything else is quietly left out.
            let r = if skip(&path) {
                Err(Skip::NotRelevant)
            } else if kind_from_name(&path).is_none() {
                load_file_if(&path, kind, crate::workspace::kind::has_top_level_services)
            } else {
                load_file(&path, kind)
            };
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            if n.is_multiple_of(64) || n == total {
                progress(n, total);
            }
            (path, r)
        })
        .collect();
    for (path, r) in results {
        match r {
            Ok(l) => {
                if l.lossy {
                    out.lossy.push(path);
                }
                out.docs.push(l.doc);
            }
            Err(Skip::NotRelevant) => {}
            Err(skip) => out.skipped.push((path, skip.to_string())),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_and_invalid_utf8() {
        assert!(matches!(decode(b"FROM x\0\x01"), Err(Skip::Binary)));
        let (text, lossy) = decode(b"FROM caf\xe9\n").unwrap();
        assert!(lossy);
        assert_eq!(text, "FROM caf\u{fffd}\n");
        assert!(!decode(b"FROM x\n").unwrap().1);
    }

    #[test]
    fn dockerfiles_from_disk_are_parsed_on_first_use_into_the_same_tree() {
        let texts = [
            "FROM python:3.12 AS base\nRUN pip install x \\\n  && echo $HOME\nCMD [\"x\"]\n",
            "FROM x\r\nRUN a\r\n",
            "",
            "FROM \u{e9}t\u{e9}\nRUN [\n",
        ];
        for text in texts {
            let path: Arc<Path> = Arc::from(Path::new("/w/Dockerfile"));
            let lazy = document_from_disk(path.clone(), FileKind::Dockerfile, text.to_string());
            assert!(!lazy.has_parsed_tree(), "{text:?}");
            assert_eq!((lazy.kind, lazy.version), (FileKind::Dockerfile, None));
            assert_eq!((lazy.text.as_str(), lazy.rope.to_string().as_str()), (text, text));
            let eager = Document::new(path, FileKind::Dockerfile, None, text);
            let sexp = |d: &Document| d.tree().map(|t| t.root_node().to_sexp());
            assert_eq!(sexp(&lazy), sexp(&eager), "{text:?}");
            assert!(lazy.has_parsed_tree());
        }
        // Other kinds keep their tree from the start.
        let compose = document_from_disk(
            Arc::from(Path::new("/w/compose.yaml")),
            FileKind::Compose,
            "services: {}\n".to_string(),
        );
        assert!(compose.has_parsed_tree());
    }

    #[test]
    fn scan_finds_kinds_and_honours_gitignore() {
        let dir = std::env::temp_dir().join(format!("berth-scan-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("app/settings")).unwrap();
        std::fs::create_dir_all(dir.join("build")).unwrap();
        std::fs::write(dir.join(".gitignore"), "build/\n").unwrap();
        std::fs::write(dir.join("Dockerfile"), "FROM python:3.12\n").unwrap();
        std::fs::write(dir.join("compose.yaml"), "services: {}\n").unwrap();
        std::fs::write(dir.join(".env"), "A=1\n").unwrap();
        std::fs::write(dir.join("app/settings/base.py"), "import os\n").unwrap();
        std::fs::write(dir.join("build/Dockerfile"), "FROM x\n").unwrap();
        std::fs::write(dir.join("notes.txt"), "x").unwrap();
        std::fs::write(dir.join("stack.yml"), "services:\n  web: {}\n").unwrap();
        std::fs::write(dir.join("k8s.yaml"), "apiVersion: v1\nkind: Pod\n").unwrap();
        std::fs::write(dir.join("Dockerfile.bin"), b"\x7fELF\0\0\0").unwrap();
        let scan = scan(std::slice::from_ref(&dir), &|_, _| {});
        let mut names: Vec<String> = scan
            .docs
            .iter()
            .map(|d| d.path.strip_prefix(&dir).unwrap().display().to_string())
            .collect();
        names.sort();
        assert_eq!(
            names,
            vec![".env", "Dockerfile", "app/settings/base.py", "compose.yaml", "stack.yml"]
        );
        assert_eq!(scan.skipped.len(), 1);
        assert!(scan.skipped[0].1.contains("binary"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

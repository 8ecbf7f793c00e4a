//! Cached existence checks on the disk, for rules that run on every keystroke (COPY sources of
//! a Dockerfile, files a compose file names). A directory's listing is read once and kept
//! while the directory's modification time stays the same, so a check costs one `stat` of the
//! parent directory instead of one per path, and a file created or deleted on disk (which
//! changes its directory's mtime) is noticed by the next check.
//!
//! A [`Batch`] remembers the listings it has validated, for the checks of one analysis pass:
//! a pass over 200 sources in three directories then stats three directories.

use std::cell::RefCell;
use std::ffi::{OsStr, OsString};
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use crate::util::FastMap;

/// A listing read less than this long after the directory's last change may have missed a
/// change made in the same timestamp tick; it is read again until it is older. Filesystems
/// with whole-second timestamps (FAT, HFS+, some network mounts) need the long window; one
/// that records nanoseconds ticks with the kernel's coarse clock (at most 10 ms), so a short
/// window suffices there, which matters because a freshly cloned or generated project
/// otherwise re-reads every listing for its first seconds.
const RACY: Duration = Duration::from_secs(2);
const RACY_FINE: Duration = Duration::from_millis(50);

fn racy_window(mtime: SystemTime) -> Duration {
    let sub_second = mtime.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    if sub_second == 0 { RACY } else { RACY_FINE }
}
/// Past this many cached directories the cache starts over (memory stays bounded).
const MAX_DIRS: usize = 4096;

/// By a directory's path bytes (hashing a `Path` walks its components, which cost more than
/// the rest of a cached check).
type ByDir<V> = FastMap<Box<[u8]>, V>;

fn key(p: &Path) -> &[u8] {
    p.as_os_str().as_encoded_bytes()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    File,
    Dir,
    Other,
    /// Resolved with a `stat` of the link when asked (its target may change any time).
    Symlink,
}

#[derive(Debug)]
struct Listing {
    mtime: SystemTime,
    read_at: SystemTime,
    entries: FastMap<OsString, Kind>,
}

impl Listing {
    fn read(dir: &Path, mtime: SystemTime) -> Option<Listing> {
        let read_at = SystemTime::now();
        let mut entries = FastMap::default();
        for e in std::fs::read_dir(dir).ok()?.flatten() {
            let kind = match e.file_type() {
                Ok(t) if t.is_symlink() => Kind::Symlink,
                Ok(t) if t.is_dir() => Kind::Dir,
                Ok(t) if t.is_file() => Kind::File,
                _ => Kind::Other,
            };
            entries.insert(e.file_name(), kind);
        }
        Some(Listing { mtime, read_at, entries })
    }

    fn trusted(&self, mtime: SystemTime) -> bool {
        self.mtime == mtime
            && self.read_at.duration_since(mtime).is_ok_and(|d| d > racy_window(mtime))
    }
}

fn cache() -> &'static Mutex<ByDir<Arc<Listing>>> {
    static CACHE: OnceLock<Mutex<ByDir<Arc<Listing>>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// The current listing of `dir` (None when it is not a readable directory): one `stat`, plus a
/// `read_dir` when the directory changed since it was last read.
fn listing(dir: &Path) -> Option<Arc<Listing>> {
    let meta = std::fs::metadata(dir).ok().filter(|m| m.is_dir());
    let lock = || crate::util::lock(cache());
    let Some(meta) = meta else {
        lock().remove(key(dir));
        return None;
    };
    let mtime = meta.modified().ok()?;
    if let Some(l) = lock().get(key(dir)).filter(|l| l.trusted(mtime)) {
        return Some(l.clone());
    }
    // Read outside the lock: other threads' checks need not wait for this directory.
    let fresh = Arc::new(Listing::read(dir, mtime)?);
    let mut map = lock();
    if map.len() >= MAX_DIRS {
        map.clear();
    }
    map.insert(key(dir).into(), fresh.clone());
    Some(fresh)
}

/// Memoises validated listings for a series of checks that may share directories (one
/// analysis pass). Make a new one per pass, so that changes on disk are seen by the next.
#[derive(Default)]
pub struct Batch {
    seen: RefCell<ByDir<Option<Arc<Listing>>>>,
}

impl Batch {
    fn listing(&self, dir: &Path) -> Option<Arc<Listing>> {
        if let Some(l) = self.seen.borrow().get(key(dir)) {
            return l.clone();
        }
        let l = listing(dir);
        self.seen.borrow_mut().insert(key(dir).into(), l.clone());
        l
    }

    /// The validated listing of `dir`, for many checks of names in it.
    pub fn dir(&self, dir: &Path) -> Dir {
        let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
        Dir { path: dir.into(), listing: self.listing(dir) }
    }

    fn kind(&self, path: &Path) -> Option<Kind> {
        let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
            // `/`, or a path ending in `..`: no listing holds it.
            return std::fs::metadata(path).ok().map(|m| kind_of(&m));
        };
        self.dir(parent).kind(name)
    }

    pub fn exists(&self, path: &Path) -> bool {
        self.kind(path).is_some()
    }

    pub fn is_dir(&self, path: &Path) -> bool {
        self.kind(path) == Some(Kind::Dir)
    }

    pub fn is_file(&self, path: &Path) -> bool {
        self.kind(path) == Some(Kind::File)
    }

    /// Whether `dir` is a directory whose listing can be read. Unlike [`Batch::is_dir`] this
    /// stats `dir` itself rather than reading its parent: for a folder whose own entries are
    /// wanted next anyway (a build context), and whose parent may be large and busy (`/tmp`,
    /// a home directory, re-read on every pass while its last change is recent).
    pub fn is_listable_dir(&self, dir: &Path) -> bool {
        self.listing(dir).is_some()
    }

    /// The names in `dir` (empty when it is not a readable directory).
    pub fn names(&self, dir: &Path) -> Vec<OsString> {
        self.listing(dir).map(|l| l.entries.keys().cloned().collect()).unwrap_or_default()
    }

    /// Does some entry of `dir` have a name `pred` accepts?
    pub fn any_name(&self, dir: &Path, pred: impl Fn(&OsStr) -> bool) -> bool {
        self.listing(dir).is_some_and(|l| l.entries.keys().any(|n| pred(n)))
    }
}

/// One directory's listing as validated by a [`Batch`] (empty when it is not a readable
/// directory).
#[derive(Clone)]
pub struct Dir {
    path: Box<Path>,
    listing: Option<Arc<Listing>>,
}

impl Dir {
    /// A folder that is not read: nothing is in it.
    pub fn unread() -> Dir {
        Dir { path: Path::new("").into(), listing: None }
    }

    /// What the entry `name` of this directory is (a symlink is statted).
    fn kind(&self, name: &OsStr) -> Option<Kind> {
        match self.listing.as_ref()?.entries.get(name)? {
            Kind::Symlink => std::fs::metadata(self.path.join(name)).ok().map(|m| kind_of(&m)),
            k => Some(*k),
        }
    }

    /// Like [`Batch::is_file`] for the entry `name` of this directory.
    pub fn is_file(&self, name: &OsStr) -> bool {
        self.kind(name) == Some(Kind::File)
    }

    /// Like [`Batch::is_dir`] for the entry `name` of this directory.
    pub fn is_dir(&self, name: &OsStr) -> bool {
        self.kind(name) == Some(Kind::Dir)
    }
}

fn kind_of(m: &std::fs::Metadata) -> Kind {
    if m.is_dir() {
        Kind::Dir
    } else if m.is_file() {
        Kind::File
    } else {
        Kind::Other
    }
}

/// Whether `path` is a directory (`dir`) or a file, from a `stat` of `path` itself rather than
/// its parent's listing: for a workspace folder, whose parent lies outside the workspace and
/// is not read. That parent is often large and busy (`/tmp`, a home directory): its listing
/// was read again on every pass while its last change was recent.
pub fn stat_is(path: &Path, dir: bool) -> bool {
    std::fs::metadata(path).is_ok_and(|m| if dir { m.is_dir() } else { m.is_file() })
}

/// Whether the cache holds a listing of `dir` (for tests that check what was read).
#[cfg(test)]
pub fn is_cached(dir: &Path) -> bool {
    crate::util::lock(cache()).contains_key(key(dir))
}

/// Like `Path::exists` (symlinks followed), from the cached listing of the parent directory.
pub fn exists(path: &Path) -> bool {
    Batch::default().exists(path)
}

/// Like `Path::is_dir`, from the cached listing of the parent directory.
pub fn is_dir(path: &Path) -> bool {
    Batch::default().is_dir(path)
}

/// Like `Path::is_file`, from the cached listing of the parent directory.
pub fn is_file(path: &Path) -> bool {
    Batch::default().is_file(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listable_dir_is_a_readable_directory() {
        let base = std::env::temp_dir().join(format!("berth-fs-listable-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(base.join("sub")).unwrap();
        std::fs::write(base.join("f"), "x").unwrap();
        let batch = Batch::default();
        assert!(batch.is_listable_dir(&base) && batch.is_listable_dir(&base.join("sub")));
        assert!(!batch.is_listable_dir(&base.join("f")));
        assert!(!batch.is_listable_dir(&base.join("missing")));
        let _ = std::fs::remove_dir_all(&base);
    }

    #[test]
    fn agrees_with_the_disk_and_sees_changes() {
        let base = std::env::temp_dir().join(format!("berth-fs-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(&base).unwrap();
        let d = base.as_path();
        let a = d.join("a.txt");
        let sub = d.join("sub");
        assert!(!exists(&a) && !is_file(&a));
        std::fs::write(&a, "x").unwrap();
        assert!(exists(&a) && is_file(&a) && !is_dir(&a), "a file created after a check");
        std::fs::create_dir(&sub).unwrap();
        assert!(is_dir(&sub) && !is_file(&sub));
        assert!(!exists(&sub.join("deeper/x")), "missing parent");
        std::fs::remove_file(&a).unwrap();
        assert!(!exists(&a), "a file deleted after a check");
        assert!(is_dir(d) && exists(Path::new("/")));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&sub, d.join("link")).unwrap();
            assert!(is_dir(&d.join("link")));
        }
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn an_old_listing_is_trusted_until_the_directory_changes() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1000);
        let l = Listing { mtime: t, read_at: t + RACY * 2, entries: FastMap::default() };
        assert!(l.trusted(t));
        assert!(!l.trusted(t + Duration::from_nanos(1)), "the directory changed");
        let racy = Listing { mtime: t, read_at: t + RACY / 2, entries: FastMap::default() };
        assert!(!racy.trusted(t), "whole-second timestamps: read in the tick of the last change");
        // A filesystem with nanosecond timestamps needs only a short window.
        let fine = t + Duration::from_nanos(123_456_789);
        let soon =
            Listing { mtime: fine, read_at: fine + RACY_FINE / 2, entries: FastMap::default() };
        assert!(!soon.trusted(fine), "read right after the change");
        let later =
            Listing { mtime: fine, read_at: fine + RACY_FINE * 2, entries: FastMap::default() };
        assert!(later.trusted(fine));
    }
}

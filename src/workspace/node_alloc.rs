//! tree-sitter's allocator: small blocks from size-class slabs, the rest from `malloc`.
//!
//! A syntax tree is the largest thing berth keeps: a 500-service compose file's is ~170,000
//! nodes of 80–120 bytes, and re-parsing it after edits briefly holds the nodes it replaces
//! too. glibc puts an 8-byte header before each block and rounds it up to 16 bytes (an 80-byte
//! leaf takes 96), about a seventh of the tree. Here blocks of up to [`MAX_SMALL`] bytes come
//! in 8-byte steps from 64 KiB slabs that each hold one size, carved from one reserved range
//! of address space (pages cost memory only once touched), so a block's size is known from
//! its address. Freed blocks go on their size's free list for the next parse; slabs are not
//! returned. Each thread allocates from one of a few shards (its own lock, slabs and free
//! lists): with one shared lock, the two threads of the workspace scan spent about a sixth of
//! it queueing there. A block freed elsewhere goes back to its slab's shard. Blocks from `malloc` (larger ones, anything allocated before [`install`], or
//! all of them when the range could not be reserved) are recognised by their address being
//! outside the range and handed back to libc.

use std::cell::Cell;
use std::ffi::c_void;
use std::sync::atomic::{AtomicU16, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

/// Larger requests (tree-sitter's growing arrays, lexer buffers) go to `malloc`.
const MAX_SMALL: usize = 256;
const STEP: usize = 8;
const CLASSES: usize = MAX_SMALL / STEP;
const SLAB: usize = 64 * 1024;
/// Address space reserved for slabs. Untouched, it costs nothing; past it, `malloc` serves.
const RESERVED: usize = 1 << 30;
const SLABS: usize = RESERVED / SLAB;

/// The blocks of one shard: each thread allocates from its own (see [`shard`]), so parsing on
/// several threads at once (the workspace scan) does not queue on one lock.
struct Pool {
    /// Head of each size's free list (0: empty); a free block holds the next one's address.
    free: [usize; CLASSES],
    /// Each size's current slab: next unused block and slab end (equal: none).
    bump: [(usize, usize); CLASSES],
}

/// Threads are spread over this many shards.
const SHARDS: usize = 8;

struct Region {
    base: usize,
    pools: [Mutex<Pool>; SHARDS],
    /// Slabs handed out so far (may run past [`SLABS`] when the range is used up).
    slabs: AtomicUsize,
    /// Per slab handed out: its shard and size class ([`slab_tag`]), 0 before. Written once,
    /// before any block of the slab leaves `alloc`; read without a lock by `free` and `size_of`.
    tags: Box<[AtomicU16]>,
}

fn slab_tag(shard: usize, class: usize) -> u16 {
    ((shard << 8) | class) as u16 + 1
}

static REGION: OnceLock<Option<Region>> = OnceLock::new();

fn region() -> Option<&'static Region> {
    REGION.get().and_then(Option::as_ref)
}

/// This thread's shard, given out in turn on a thread's first allocation.
fn shard() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        // Const-initialised: no allocation and no destructor, as an allocator hook needs.
        static SHARD: Cell<usize> = const { Cell::new(usize::MAX) };
    }
    SHARD.with(|s| {
        if s.get() == usize::MAX {
            s.set(NEXT.fetch_add(1, Ordering::Relaxed) % SHARDS);
        }
        s.get()
    })
}

fn reserve() -> Option<Region> {
    // SAFETY: an anonymous private mapping with no address hint touches no existing memory.
    let base = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            RESERVED,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
            -1,
            0,
        )
    };
    if base == libc::MAP_FAILED {
        return None;
    }
    let pool = || Mutex::new(Pool { free: [0; CLASSES], bump: [(0, 0); CLASSES] });
    Some(Region {
        base: base as usize,
        pools: std::array::from_fn(|_| pool()),
        slabs: AtomicUsize::new(0),
        tags: (0..SLABS).map(|_| AtomicU16::new(0)).collect(),
    })
}

/// Route tree-sitter's allocations through the slabs. Call once, before threads start (the
/// hook is a plain global in tree-sitter); blocks allocated before stay with libc.
pub fn install() {
    if REGION.get_or_init(reserve).is_some() {
        // SAFETY: the four functions below form one allocator and each also accepts blocks
        // from libc's, so memory tree-sitter allocated before this call is still freed right.
        unsafe {
            tree_sitter::set_allocator(
                Some(ts_malloc),
                Some(ts_calloc),
                Some(ts_realloc),
                Some(ts_free),
            );
        }
    }
}

fn class(size: usize) -> usize {
    size.max(1).div_ceil(STEP) - 1
}

fn block_size(class: usize) -> usize {
    (class + 1) * STEP
}

impl Region {
    fn contains(&self, p: usize) -> bool {
        p >= self.base && p < self.base + RESERVED
    }

    fn lock(&self, shard: usize) -> std::sync::MutexGuard<'_, Pool> {
        self.pools[shard].lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A block of `class` from this thread's shard, or 0 when the reserved range is used up.
    fn alloc(&self, class: usize) -> usize {
        self.alloc_in(shard(), class)
    }

    fn alloc_in(&self, shard: usize, class: usize) -> usize {
        let mut pool = self.lock(shard);
        let head = pool.free[class];
        if head != 0 {
            // SAFETY: `head` is a free block of this pool; its first word is the next one.
            pool.free[class] = unsafe { *(head as *const usize) };
            return head;
        }
        let size = block_size(class);
        let (next, end) = pool.bump[class];
        if next + size <= end {
            pool.bump[class].0 = next + size;
            return next;
        }
        let slab = self.slabs.fetch_add(1, Ordering::Relaxed);
        if slab >= SLABS {
            return 0;
        }
        // Released before the slab's first block is returned: whoever frees a block of it
        // saw that block's address come from here, after this store.
        self.tags[slab].store(slab_tag(shard, class), Ordering::Release);
        let start = self.base + slab * SLAB;
        pool.bump[class] = (start + size, start + SLAB / size * size);
        start
    }

    /// The shard and size class of a block in the range.
    fn tag_of(&self, p: usize) -> (usize, usize) {
        let tag = self.tags[(p - self.base) / SLAB].load(Ordering::Acquire) as usize - 1;
        (tag >> 8, tag & 0xff)
    }

    fn free(&self, p: usize) {
        let (shard, class) = self.tag_of(p);
        let mut pool = self.lock(shard);
        // SAFETY: `p` is a block of this pool being freed; it is at least a word long.
        unsafe { *(p as *mut usize) = pool.free[class] };
        pool.free[class] = p;
    }

    fn size_of(&self, p: usize) -> usize {
        block_size(self.tag_of(p).1)
    }
}

unsafe extern "C" fn ts_malloc(size: usize) -> *mut c_void {
    if size <= MAX_SMALL
        && let Some(r) = region()
    {
        let p = r.alloc(class(size));
        if p != 0 {
            return p as *mut c_void;
        }
    }
    // SAFETY: plain libc allocation.
    unsafe { libc::malloc(size) }
}

unsafe extern "C" fn ts_calloc(n: usize, size: usize) -> *mut c_void {
    let Some(total) = n.checked_mul(size) else { return std::ptr::null_mut() };
    if total > MAX_SMALL {
        // SAFETY: plain libc allocation.
        return unsafe { libc::calloc(n, size) };
    }
    // SAFETY: a block of at least `total` bytes (slab blocks are reused, so zero it).
    unsafe {
        let p = ts_malloc(total);
        if !p.is_null() {
            std::ptr::write_bytes(p as *mut u8, 0, total);
        }
        p
    }
}

unsafe extern "C" fn ts_realloc(p: *mut c_void, size: usize) -> *mut c_void {
    let Some(r) = region().filter(|r| r.contains(p as usize)) else {
        // SAFETY: null or a libc block: libc's realloc takes either.
        return unsafe { libc::realloc(p, size) };
    };
    let old = r.size_of(p as usize);
    if size <= old {
        return p;
    }
    // SAFETY: `p` holds `old` bytes, fewer than the new block's; it is freed once copied.
    unsafe {
        let q = ts_malloc(size);
        if !q.is_null() {
            std::ptr::copy_nonoverlapping(p as *const u8, q as *mut u8, old);
            r.free(p as usize);
        }
        q
    }
}

unsafe extern "C" fn ts_free(p: *mut c_void) {
    match region() {
        Some(r) if r.contains(p as usize) => r.free(p as usize),
        // SAFETY: null or a libc block.
        _ => unsafe { libc::free(p) },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::path_arc;
    use crate::workspace::{Document, FileKind};
    use proptest::prelude::*;

    const COMPOSE: &str = "services:\n  web:\n    image: app:1\n    environment:\n      A: \"1\"\n    ports: [\"80:80\"]\n  db:\n    image: postgres\n";
    const DOCKERFILE: &str =
        "FROM python:3.12 AS base\nRUN pip install x \\\n  y\nENV A=1 B=2\nCOPY . /app\n";

    proptest! {
        #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]
        /// With the slabs serving tree-sitter (installed for the whole test binary from here
        /// on, as the server does at start), trees parsed incrementally after random edits read
        /// the same as fresh parses, and freeing and reusing blocks keeps every tree intact.
        #[test]
        fn incremental_parses_on_slabs_match_fresh_ones(
            compose in any::<bool>(),
            edits in proptest::collection::vec((0usize..200, 0usize..4, "[a-z:\\- \n\"]{0,4}"), 1..12),
        ) {
            install();
            let (kind, path, text) = if compose {
                (FileKind::Compose, "/w/compose.yaml", COMPOSE)
            } else {
                (FileKind::Dockerfile, "/w/Dockerfile", DOCKERFILE)
            };
            let mut doc = Document::new(path_arc(path), kind, Some(0), text);
            for (i, (at, len, insert)) in edits.into_iter().enumerate() {
                let at = at % (doc.text.len() + 1);
                let next = doc.edit(at..at + len, &insert, Some(i as i32 + 1));
                // Every other version asks for its tree: a chain of pending edits, then a parse.
                if i % 2 == 0 {
                    let _ = next.tree();
                }
                doc = next;
            }
            let fresh = Document::new(doc.path.clone(), kind, None, &doc.text);
            prop_assert_eq!(
                doc.tree().map(|t| t.root_node().to_sexp()),
                fresh.tree().map(|t| t.root_node().to_sexp())
            );
        }
    }

    /// Drives the four functions directly (the slabs may be installed for the whole test
    /// binary by then, so no exact addresses here).
    #[test]
    fn blocks_keep_their_contents() {
        REGION.get_or_init(reserve);
        let r = region().expect("range reserved");
        unsafe {
            let a = ts_malloc(80) as *mut u8;
            assert!(r.contains(a as usize));
            a.write_bytes(7, 80);
            // Growing within the size class keeps the block; past it moves the contents.
            assert_eq!(ts_realloc(a as *mut c_void, 80) as *mut u8, a);
            let b = ts_realloc(a as *mut c_void, 200) as *mut u8;
            assert!(r.contains(b as usize) && (0..80).all(|i| *b.add(i) == 7));
            // Large blocks, and growing past the slab sizes, go to libc.
            let big = ts_realloc(b as *mut c_void, 4096) as *mut u8;
            assert!(!r.contains(big as usize));
            assert!((0..80).all(|i| *big.add(i) == 7));
            let z = ts_calloc(10, 8) as *mut u8;
            assert!((0..80).all(|i| *z.add(i) == 0));
            for p in [big as *mut c_void, z as *mut c_void, std::ptr::null_mut()] {
                ts_free(p);
            }
        }
    }

    #[test]
    fn freed_blocks_are_reused_by_size_and_slabs_hold_one_size() {
        let r = reserve().expect("range reserved");
        let a = r.alloc_in(0, class(80));
        let b = r.alloc_in(0, class(80));
        let c = r.alloc_in(0, class(16));
        assert_eq!(b, a + 80);
        // Another size starts its own slab, and so does the same size in another shard.
        assert_eq!(c, r.base + SLAB);
        assert_eq!(r.alloc_in(1, class(80)), r.base + 2 * SLAB);
        assert_eq!((r.size_of(a), r.size_of(c)), (80, 16));
        // A block goes back to its own shard's free list, whoever frees it.
        std::thread::scope(|s| {
            s.spawn(|| r.free(a));
        });
        assert_eq!(r.alloc_in(1, class(80)), r.base + 2 * SLAB + 80);
        assert_eq!(r.alloc_in(0, class(73)), a);
        assert_eq!(r.alloc_in(0, class(80)), b + 80);
    }

    /// Threads allocating and freeing at once, blocks crossing threads: every block stays
    /// its own (no two live blocks overlap) and keeps what was written to it.
    #[test]
    fn threads_share_the_slabs_safely() {
        let r = reserve().expect("range reserved");
        let r = &r;
        let blocks = std::sync::Mutex::new(Vec::new());
        std::thread::scope(|s| {
            for t in 0..4u8 {
                let blocks = &blocks;
                s.spawn(move || {
                    for i in 0..2000usize {
                        let size = 8 + (i * 7 + t as usize) % (MAX_SMALL - 8);
                        let p = r.alloc(class(size));
                        assert!(r.contains(p) && r.size_of(p) >= size);
                        // SAFETY: a fresh block of at least `size` bytes.
                        unsafe { std::ptr::write_bytes(p as *mut u8, t, size) };
                        let mut all = blocks.lock().unwrap();
                        all.push((p, size, t));
                        // Free one written by any thread (often another), after checking it.
                        if i % 3 == 0 {
                            let at = (i * 31) % all.len();
                            let (q, n, tq) = all.swap_remove(at);
                            // SAFETY: a live block of `n` bytes, all set to `tq`.
                            assert!((0..n).all(|k| unsafe { *(q as *const u8).add(k) } == tq));
                            r.free(q);
                        }
                    }
                });
            }
        });
        let mut all = blocks.into_inner().unwrap();
        all.sort();
        for w in all.windows(2) {
            assert!(w[0].0 + w[0].1 <= w[1].0, "blocks overlap");
        }
        for (p, n, t) in all {
            // SAFETY: a live block of `n` bytes, all set to `t`.
            assert!((0..n).all(|k| unsafe { *(p as *const u8).add(k) } == t));
        }
    }

    #[test]
    fn sizes_map_to_classes_that_hold_them() {
        for size in 0..=MAX_SMALL {
            let c = class(size);
            assert!(c < CLASSES && block_size(c) >= size && block_size(c) < size.max(1) + STEP);
        }
    }
}

fn main() {
    limit_malloc_arenas();
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    berth::workspace::node_alloc::install();
    std::process::exit(berth::cli::run());
}

/// glibc gives each thread that allocates its own arena (up to 8 per core), and memory freed
/// in one is not reused by another. The server's few threads (protocol, analysis, rayon, the
/// background dropper) each building or freeing a large model left a 500-service compose file
/// at 80+ MiB resident. One arena keeps it near the live data: with two, what one thread freed
/// (an old model, the nodes a re-parse replaced) still sat beside what another allocated, 1.4
/// MiB more at the peak; small blocks mostly come from glibc's per-thread caches, so the
/// shared lock is rarely taken. The mmap threshold is fixed at 4 MiB: a keystroke in a large
/// file allocates several buffers of a few hundred kilobytes (the new text, the diagnostics
/// report, vectors of the model), and as separate mappings each one was faulted in page by
/// page and unmapped again, ~75 page faults a keystroke on a 300 KB compose file; from the
/// heap they reuse what the previous keystroke freed (≈ 0.2 MiB more at the peak).
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator tuning; it is called before any thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 4 * 1024 * 1024);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1024 * 1024);
    }
}

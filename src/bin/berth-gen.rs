//! Hidden tool: writes the generated benchmark inputs (`berth::bench_gen`), so the criterion
//! benches and the end-to-end scripts measure the same documents.
//!
//! ```sh
//! cargo run --release --bin berth-gen -- dockerfile --lines 2000 > Dockerfile
//! cargo run --release --bin berth-gen -- compose --services 500 > compose.yaml
//! cargo run --release --bin berth-gen -- workspace /tmp/ws --files 10000
//! ```

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "berth-gen", about = "Generate benchmark inputs for berth")]
struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(Subcommand)]
enum What {
    /// A multi-stage Dockerfile of exactly N lines, on stdout.
    Dockerfile {
        #[arg(long, default_value_t = 2000)]
        lines: usize,
    },
    /// A compose file with N services, on stdout.
    Compose {
        #[arg(long, default_value_t = 500)]
        services: usize,
    },
    /// Repeat one analysis step on a generated document and print the mean time (a target for
    /// `valgrind --tool=callgrind`; the criterion benches are the real measurement).
    #[command(hide = true)]
    Profile {
        /// dockerfile | compose
        kind: String,
        /// edit | diagnostics | typing (edits chained, as in an editor) | env | env-py | complete | hover
        op: String,
        #[arg(long, default_value_t = 20)]
        iters: u32,
        /// Profile this document instead of the generated one (e.g. lspbench's `--dump-doc`).
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// Scan DIR as the server does at start-up (`workspace::load::scan`), N times, and print
    /// the mean time and what was found (a target for callgrind / perf).
    #[command(hide = true)]
    Scan {
        dir: PathBuf,
        #[arg(long, default_value_t = 1)]
        iters: u32,
        /// Then time, on one thread, what the scan's documents cost afterwards: each kind's
        /// trees and models, and the first diagnostics of a compose file (the cross-file graph).
        #[arg(long)]
        breakdown: bool,
    },
    /// A monorepo of about N files in DIR (which should be empty or absent).
    Workspace {
        dir: PathBuf,
        #[arg(long, default_value_t = 10_000)]
        files: usize,
    },
}

fn main() {
    let args = Args::parse();
    let result = match args.what {
        What::Dockerfile { lines } => {
            std::io::stdout().write_all(berth::bench_gen::dockerfile(lines).as_bytes())
        }
        What::Compose { services } => {
            std::io::stdout().write_all(berth::bench_gen::compose(services).as_bytes())
        }
        What::Profile { kind, op, iters, file } => profile(&kind, &op, iters, file),
        What::Scan { dir, iters, breakdown } => {
            scan(&dir, iters, breakdown);
            Ok(())
        }
        What::Workspace { dir, files } => berth::bench_gen::workspace(&dir, files).map(|n| {
            eprintln!("berth-gen: wrote {n} files under {}", dir.display());
        }),
    };
    if let Err(e) = result {
        eprintln!("berth-gen: {e}");
        std::process::exit(2);
    }
}

fn scan(dir: &std::path::Path, iters: u32, breakdown: bool) {
    use berth::workspace::{FileKind, Snapshot};
    use std::time::Instant;

    // As the server does: tree-sitter's nodes from the slabs.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    berth::workspace::node_alloc::install();
    let start = Instant::now();
    let mut last = None;
    for _ in 0..iters.max(1) {
        last = Some(berth::workspace::load::scan(&[dir.to_path_buf()], &|_, _| {}));
    }
    let mean = start.elapsed() / iters.max(1);
    let scan = last.expect("at least one scan");
    eprintln!(
        "berth-gen: scan found {} files ({} skipped), {mean:?} per scan",
        scan.docs.len(),
        scan.skipped.len()
    );
    if !breakdown {
        // As in the server, the documents stay: their teardown is no part of a scan.
        std::mem::forget(scan);
        return;
    }
    let t = Instant::now();
    let (files, _) = berth::workspace::load::discover(dir);
    eprintln!("  discover: {} files in {:?}", files.len(), t.elapsed());
    let t = Instant::now();
    let texts: Vec<String> =
        files.iter().map(|(p, _)| std::fs::read_to_string(p).unwrap_or_default()).collect();
    eprintln!("  read: {:?}", t.elapsed());
    let t = Instant::now();
    let ropes: Vec<ropey::Rope> = texts.iter().map(|t| ropey::Rope::from_str(t)).collect();
    eprintln!("  ropes: {:?}", t.elapsed());
    drop((ropes, texts));
    let mut snap = Snapshot::new(vec![dir.to_path_buf()]);
    for d in scan.docs {
        snap.insert(d);
    }
    let doc = snap.of_kind(FileKind::Compose).next().expect("a compose file").clone();
    let t = Instant::now();
    let n = berth::analysis::diagnostics(&snap, &doc).len();
    eprintln!(
        "  first diagnostics of {} (the cross-file model, its documents' models): {n} in {:?}",
        doc.path.display(),
        t.elapsed()
    );
    let t = Instant::now();
    let n = berth::analysis::diagnostics(&snap, &doc).len();
    eprintln!("  again: {n} in {:?}", t.elapsed());
    for kind in [FileKind::Dockerfile, FileKind::Compose, FileKind::Python, FileKind::Dotenv] {
        let docs: Vec<_> = snap.of_kind(kind).collect();
        let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
        let t = Instant::now();
        for d in &docs {
            drop(berth::workspace::document::parse(kind, &d.text, None));
        }
        let parse = t.elapsed();
        let t = Instant::now();
        for d in &docs {
            let _ = d.tree();
        }
        let tree = t.elapsed();
        eprintln!(
            "  {:<14} {:>5} files {:>9} bytes: parse {parse:?}, then tree() {tree:?}",
            kind.name(),
            docs.len(),
            bytes
        );
    }
}

const DJANGO: [(&str, &str); 3] = [
    (
        "/p/manage.py",
        "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"app.settings\")\n",
    ),
    ("/p/app/__init__.py", ""),
    (
        "/p/app/settings.py",
        "import os\nSECRET_KEY = os.environ[\"SECRET_KEY\"]\nDB = os.getenv(\"DATABASE_URL\")\n",
    ),
];

fn profile(kind: &str, op: &str, iters: u32, file: Option<PathBuf>) -> std::io::Result<()> {
    use std::sync::Arc;

    use berth::analysis;
    use berth::workspace::{Document, FileKind, Snapshot};

    let (path, kind, text, needle) = match kind {
        "dockerfile" => {
            ("/p/Dockerfile", FileKind::Dockerfile, berth::bench_gen::dockerfile(2000), "RUN ")
        }
        _ => ("/p/compose.yaml", FileKind::Compose, berth::bench_gen::compose(500), "image: "),
    };
    let text = match file {
        Some(f) => std::fs::read_to_string(f)?,
        None => text,
    };
    let at = text.len() / 2 + text[text.len() / 2..].find(needle).unwrap_or(0) + needle.len() + 3;
    let base = Arc::new(Document::new(Arc::from(std::path::Path::new(path)), kind, Some(1), &text));
    let snap_of = |d: &Arc<Document>| {
        let mut s = Snapshot::new(Vec::new());
        s.insert_arc(d.clone());
        s
    };
    let snap = snap_of(&base);
    if let Some(frac) = op.strip_prefix("reparse@") {
        // Time the incremental re-parse alone, for an edit at FRAC of the text (0.0–1.0).
        let frac: f64 = frac.parse().unwrap_or(0.5);
        let mut at = ((text.len() as f64) * frac) as usize;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let start = std::time::Instant::now();
        for i in 0..iters {
            let d = base.edit(at..at, "x", Some(i as i32 + 2));
            let _ = d.tree();
        }
        println!("{op}: {:?} per iteration", start.elapsed() / iters.max(1));
        return Ok(());
    }
    if op == "keystrokes" {
        // The per-keystroke parse and model alone (syntax errors, the kind's model), for edits
        // chained as in an editor at random spots of value lines, in bursts of 1–8 at one spot
        // (as lspbench types).
        let mut doc = base.clone();
        drop(snap);
        drop(base);
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut rand = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n.max(1) as u64) as usize
        };
        // Where lspbench types: anywhere in a `key: value` or `- item` value (inside the quotes
        // of a quoted one), not in flow collections.
        let mut spots: Vec<(usize, usize)> = Vec::new();
        let mut line_start = 0;
        for line in text.split_inclusive('\n') {
            let body = line.trim_end();
            let indent = body.len() - body.trim_start().len();
            let value = if body[indent..].starts_with("- ") {
                Some(indent + 2)
            } else {
                body.find(": ").map(|c| c + 2)
            };
            if let Some(v) = value.filter(|&v| v < body.len() && !body[v..].starts_with(['[', '{']))
            {
                let quoted = body[v..].starts_with(['"', '\'']) && body.len() - v >= 2;
                let (lo, hi) = if quoted { (v + 1, body.len() - 1) } else { (v, body.len()) };
                spots.push((line_start + lo, line_start + hi));
            }
            line_start += line.len();
        }
        let (mut at, mut burst) = (0, 0);
        let mut typed: Vec<(usize, usize)> = Vec::new();
        let start = std::time::Instant::now();
        for i in 0..iters as usize {
            if burst == 0 {
                // A spot of the original text, moved by the characters typed before it.
                let (lo, hi) = spots[rand(spots.len())];
                let spot = lo + rand(hi - lo + 1);
                at =
                    spot + typed.iter().filter(|&&(p, _)| p <= spot).map(|(_, n)| n).sum::<usize>();
                typed.push((spot, 0));
                burst = 1 + rand(8);
            }
            let next = Arc::new(doc.edit(at..at, "x", Some(i as i32 + 2)));
            doc = next;
            at += 1;
            burst -= 1;
            if let Some((_, n)) = typed.last_mut() {
                *n += 1;
            }
            drop(berth::syntax::diagnostics(&doc));
            match kind {
                FileKind::Dockerfile => drop(berth::dockerfile::model(&doc)),
                _ => drop(berth::compose::model(&doc)),
            }
        }
        println!("{op}: {:?} per iteration", start.elapsed() / iters.max(1));
        return Ok(());
    }
    if op == "memory" {
        // Resident-memory growth of each stage, for finding what a large document costs.
        let rss = || {
            std::fs::read_to_string("/proc/self/statm")
                .ok()
                .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
                .map_or(0, |pages| pages * 4)
        };
        let r0 = rss();
        let _ = base.tree();
        let r1 = rss();
        let _ = analysis::diagnostics(&snap, &base);
        let r2 = rss();
        let d = Arc::new(base.edit(at..at, "x", Some(2)));
        let _ = analysis::diagnostics(&snap_of(&d), &d);
        let r3 = rss();
        println!(
            "KiB: document+tree {r0}, tree {}, first analysis {}, after an edit {}",
            r1 - r0,
            r2 - r1,
            r3 - r2
        );
        return Ok(());
    }
    let _ = analysis::diagnostics(&snap, &base);
    if op == "env" || op == "env-py" {
        // The cross-file env model alone: the edited document's own model is built outside
        // the clock (in `analysis::diagnostics` the kind rules build it on the other core).
        let mut spent = std::time::Duration::ZERO;
        for i in 0..iters {
            let d = Arc::new(base.edit(at..at, "x", Some(i as i32 + 2)));
            match kind {
                FileKind::Dockerfile => drop(berth::dockerfile::model(&d)),
                _ => drop(berth::compose::model(&d)),
            }
            let mut snap = snap_of(&d);
            if op == "env-py" {
                // A Django project next to it: the graph is then needed.
                for (p, t) in DJANGO {
                    let p = Arc::from(std::path::Path::new(p));
                    snap.insert(Document::new(p, FileKind::Python, None, t));
                }
            }
            let start = std::time::Instant::now();
            drop(berth::env::diagnostics(&snap, &d));
            spent += start.elapsed();
        }
        println!("env: {:?} per iteration", spent / iters.max(1));
        return Ok(());
    }
    if op == "typing" {
        // As in the editor: each version is edited from the last, which is then dropped (so
        // its model can be handed over rather than copied).
        let mut doc = base.clone();
        drop(snap);
        drop(base);
        let start = std::time::Instant::now();
        for i in 0..iters as usize {
            let next = Arc::new(doc.edit(at + i..at + i, "x", Some(i as i32 + 2)));
            doc = next;
            drop(analysis::diagnostics(&snap_of(&doc), &doc));
        }
        println!("{op}: {:?} per iteration", start.elapsed() / iters.max(1));
        return Ok(());
    }
    let start = std::time::Instant::now();
    for i in 0..iters {
        match op {
            "edit" => drop(base.edit(at..at, "x", Some(i as i32 + 2))),
            "diagnostics" => {
                let d = Arc::new(base.edit(at..at, "x", Some(i as i32 + 2)));
                drop(analysis::diagnostics(&snap_of(&d), &d));
            }
            "parse" => drop(berth::workspace::document::parse(kind, &text, None)),
            "complete" => drop(analysis::complete(&snap, &base, at)),
            _ => drop(analysis::hover(&snap, &base, at)),
        }
    }
    println!("{op}: {:?} per iteration", start.elapsed() / iters.max(1));
    Ok(())
}

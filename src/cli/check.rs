//! `berth check [PATH…]`: load the files, run the same analysis as the editor, print.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Args;

use super::Format;
use super::render;
use crate::analysis;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Severity};
use crate::workspace::load::{self, Skip};
use crate::workspace::{Document, Snapshot, kind};

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or folders to check (default: the current folder). Folders are searched
    /// recursively, honouring .gitignore and .berthignore.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Never colour the output (colour is used only on a terminal, and never when NO_COLOR is set).
    #[arg(long)]
    pub no_color: bool,
}

/// What a check run found.
pub struct Report {
    pub snapshot: Snapshot,
    /// Diagnostics per checked file, in path order.
    pub files: Vec<(Arc<Document>, Vec<Diagnostic>)>,
    /// Files that could not be read, with why.
    pub skipped: Vec<(PathBuf, String)>,
}

pub fn run(args: &CheckArgs) -> i32 {
    let paths = super::default_paths(&args.paths);
    let report = match check_paths(&paths) {
        Ok(r) => r,
        Err(message) => {
            eprintln!("error: {message}");
            return 2;
        }
    };
    let color = !args.no_color && render::stdout_is_colourful();
    let out = match args.format {
        Format::Human => render::human(&report, color),
        Format::Json => render::json(&report),
    };
    print!("{out}");
    let has_error = report.files.iter().flat_map(|(_, d)| d).any(|d| d.severity == Severity::Error);
    if has_error { 1 } else { 0 }
}

/// Load the given paths (and, for context, the folders around named files) and analyse.
pub fn check_paths(paths: &[PathBuf]) -> Result<Report, String> {
    let mut roots = Vec::new();
    let mut dir_paths = Vec::new();
    let mut named_files = Vec::new();
    for p in paths {
        let abs = std::path::absolute(p).map_err(|e| format!("{}: {e}", p.display()))?;
        let meta = std::fs::metadata(&abs).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => format!("{}: no such file or folder", p.display()),
            _ => format!("{}: {e}", p.display()),
        })?;
        if meta.is_dir() {
            roots.push(abs.clone());
            dir_paths.push(abs);
        } else {
            // The folder around a named file gives cross-file context (its Dockerfile, .env…).
            if let Some(parent) = abs.parent() {
                roots.push(parent.to_path_buf());
            }
            named_files.push(abs);
        }
    }
    let config = Config::discover(roots.first().map(PathBuf::as_path).unwrap_or(Path::new(".")))
        .map_err(|e| format!("invalid configuration: {e}"))?;
    roots.sort();
    roots.dedup();
    // Scan each root once, even when one contains another.
    let scan_roots: Vec<PathBuf> = roots
        .iter()
        .filter(|r| !roots.iter().any(|o| o != *r && r.starts_with(o)))
        .cloned()
        .collect();
    let scan = load::scan(&scan_roots, &|_, _| {});
    let mut snapshot = Snapshot::new(scan_roots.clone());
    snapshot.config = Arc::new(config);
    for doc in scan.docs {
        snapshot.insert(doc);
    }
    let mut skipped = scan.skipped;
    // Named files the scan did not pick up (an ignored file, or a name berth does not know).
    for f in &named_files {
        if snapshot.get(f).is_some() {
            continue;
        }
        match read_named(f) {
            Ok(doc) => snapshot.insert(doc),
            Err(why) => skipped.push((f.clone(), why)),
        }
    }
    let config = snapshot.config.clone();
    let ignored = ignore_matcher(&config);
    let mut checked: Vec<Arc<Document>> = snapshot
        .documents()
        .filter(|d| {
            named_files.iter().any(|f| **f == *d.path)
                || dir_paths.iter().any(|r| d.path.starts_with(r))
        })
        .filter(|d| !ignored(&d.path))
        .cloned()
        .collect();
    checked.sort_by(|a, b| a.path.cmp(&b.path));
    use rayon::prelude::*;
    let files = checked
        .into_par_iter()
        .map(|doc| {
            let diags = analysis::diagnostics(&snapshot, &doc);
            (doc, diags)
        })
        .collect();
    skipped.sort();
    Ok(Report { snapshot, files, skipped })
}

fn read_named(path: &Path) -> Result<Document, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let (text, _) = load::decode(&bytes).map_err(|s: Skip| s.to_string())?;
    let kind = kind::classify(path, None, &text)
        .ok_or_else(|| "not a Dockerfile, compose file, .env file or Python file".to_string())?;
    Ok(Document::new(Arc::from(path), kind, None, &text))
}

fn ignore_matcher(config: &Config) -> impl Fn(&Path) -> bool + '_ {
    let mut builder = globset::GlobSetBuilder::new();
    for g in &config.ignore_paths {
        if let Ok(glob) = globset::Glob::new(g) {
            builder.add(glob);
        }
    }
    let set = builder.build().unwrap_or_else(|_| globset::GlobSet::empty());
    let base = config.base_dir().map(Path::to_path_buf);
    move |path: &Path| {
        let rel = base.as_ref().and_then(|b| path.strip_prefix(b).ok()).unwrap_or(path);
        set.is_match(rel)
    }
}

//! `berth check [PATH…]`: load the files, run the same analysis as the editor, print.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Args;

use super::Format;
use super::fix;
use super::render;
use super::select::Selection;
use crate::analysis;
use crate::config::{Config, ConfigError};
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
    /// Report only these rule codes or code prefixes (comma-separated, repeatable), e.g. `DL3`.
    #[arg(long, value_delimiter = ',', value_name = "CODE")]
    pub select: Vec<String>,
    /// Do not report these rule codes or code prefixes (comma-separated, repeatable).
    #[arg(long, value_delimiter = ',', value_name = "CODE")]
    pub ignore: Vec<String>,
    /// Hide findings below this level.
    #[arg(long, value_name = "LEVEL", value_parser = parse_severity, default_value = "hint")]
    pub severity: Severity,
    /// Exit with status 1 when a reported finding is at or above this level.
    #[arg(long, value_name = "LEVEL", value_parser = parse_severity, default_value = "error")]
    pub fail_on: Severity,
    /// Use this configuration file (a berth.toml, or a pyproject.toml with [tool.berth])
    /// instead of searching upwards from the checked path.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Apply the preferred quick fix of each reported finding, then report what remains.
    #[arg(long)]
    pub fix: bool,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s)
        .ok_or_else(|| format!("`{s}` is not a level (use hint, info, warning or error)"))
}

/// What a check run found.
pub struct Report {
    pub snapshot: Snapshot,
    /// Diagnostics per checked file, in path order.
    pub files: Vec<(Arc<Document>, Vec<Diagnostic>)>,
    /// Files that could not be read, with why.
    pub skipped: Vec<(PathBuf, String)>,
}

/// How a run is configured beyond its paths.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// An explicit configuration file instead of discovery.
    pub config: Option<PathBuf>,
    pub selection: Selection,
    /// Findings below this level are dropped from the report.
    pub min_severity: Option<Severity>,
}

pub fn run(args: &CheckArgs) -> i32 {
    match run_inner(args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            2
        }
    }
}

fn run_inner(args: &CheckArgs) -> Result<i32, String> {
    let paths = super::default_paths(&args.paths);
    let selection = Selection::new(&args.select, &args.ignore)?;
    let options =
        Options { config: args.config.clone(), selection, min_severity: Some(args.severity) };
    let mut report = check_paths(&paths, &options)?;
    let mut fixed = None;
    if args.fix {
        let total = fixed.insert(fix::Applied::default());
        for _ in 0..fix::MAX_PASSES {
            let plan = fix::plan(&report);
            if plan.is_empty() {
                break;
            }
            let applied = fix::apply(&report, &plan);
            let progress = !applied.files.is_empty();
            total.absorb(applied);
            report = check_paths(&paths, &options)?;
            if !progress {
                break;
            }
        }
    }
    let color = !args.no_color && render::stdout_is_colourful();
    let mut out = String::new();
    if let Some(f) = &fixed {
        for (path, why) in &f.failed {
            eprintln!("warning: {}: {why}", render::display_path(path));
        }
        if args.format == Format::Human {
            out.push_str(&f.summary());
            out.push_str("\n\n");
        } else {
            // Machine-readable output on stdout must stay parseable.
            eprintln!("{}", f.summary());
        }
    }
    out.push_str(&match args.format {
        Format::Human => render::human(&report, color),
        Format::Json => render::json(&report),
        Format::Sarif => super::sarif::sarif(&report),
        Format::Github => super::github::github(&report),
    });
    print!("{out}");
    let failing = report.files.iter().flat_map(|(_, d)| d).any(|d| d.severity >= args.fail_on);
    Ok(if failing { 1 } else { 0 })
}
/// Load the given paths (and, for context, the folders around named files) and analyse.
/// Errors are usage or I/O problems (a missing path, an invalid configuration).
pub fn check_paths(paths: &[PathBuf], options: &Options) -> Result<Report, String> {
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
    let mut config = match &options.config {
        Some(path) => Config::load(path),
        None => Config::discover(roots.first().map(PathBuf::as_path).unwrap_or(Path::new("."))),
    }
    .map_err(|e| describe_config_error(&e))?;
    options.selection.apply_to(&mut config);
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
            let mut diags = analysis::diagnostics(&snapshot, &doc);
            // Codes without a rule entry are not reached by the config levels set above.
            diags.retain(|d| {
                options.selection.includes(d.code)
                    && options.min_severity.is_none_or(|min| d.severity >= min)
            });
            (doc, diags)
        })
        .collect();
    skipped.sort();
    Ok(Report { snapshot, files, skipped })
}

/// `invalid configuration: berth.toml:3:10: rule `X`: unknown level `loud` …`
fn describe_config_error(e: &ConfigError) -> String {
    let place = match (&e.range, std::fs::read_to_string(&e.path)) {
        (Some(range), Ok(text)) if range.start <= text.len() => {
            let mut start = range.start;
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let before = &text[..start];
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            format!("{}:{line}:{col}", render::display_path(&e.path))
        }
        _ => render::display_path(&e.path),
    };
    format!("invalid configuration: {place}: {}", e.message)
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

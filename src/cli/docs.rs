//! `berth gen-docs [DIR]` (hidden): writes `docs/rules/<CODE>.md` for every rule and the
//! `README.md` index, from the rule tables, so the pages can never drift from `berth rule`.

use std::fmt::Write;
use std::path::Path;

use crate::analysis::all_rules;

pub const DEFAULT_DIR: &str = "docs/rules";
pub const INDEX: &str = "README.md";

/// Every generated file: (file name, contents).
pub fn files() -> Vec<(String, String)> {
    let rules = all_rules();
    let mut out: Vec<(String, String)> =
        rules.iter().map(|r| (format!("{}.md", r.code), super::rules::page(r))).collect();
    let mut index = String::from(
        "# Rules\n\n\
         Every check berth runs, with its code, the files it applies to, its default level and \
         whether it offers a quick fix. `berth rules` prints the same list and `berth rule CODE` \
         one page; `berth.toml` can turn a rule off, on, or re-level it.\n\n\
         <!-- Generated from the rule tables by `cargo run -- gen-docs docs/rules`; do not edit. -->\n\n\
         | Code | Applies to | Default level | Quick fix | Summary |\n\
         | --- | --- | --- | --- | --- |\n",
    );
    for r in &rules {
        let level = if r.enabled_by_default { r.default_severity.as_str() } else { "off" };
        let _ = writeln!(
            index,
            "| [`{code}`]({code}.md) | {} | {level} | {} | {} |",
            r.scope,
            if r.fixable { "yes" } else { "" },
            r.summary.replace('|', "\\|"),
            code = r.code,
        );
    }
    out.push((INDEX.to_string(), index));
    out
}

/// Writes the pages into `dir`; returns how many files were written.
pub fn write(dir: &Path) -> std::io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let files = files();
    for (name, text) in &files {
        std::fs::write(dir.join(name), text)?;
    }
    Ok(files.len())
}

pub fn run(dir: &Path) -> i32 {
    match write(dir) {
        Ok(n) => {
            eprintln!("wrote {n} files to {}", dir.display());
            0
        }
        Err(e) => {
            eprintln!("error: {}: {e}", dir.display());
            2
        }
    }
}

//! `berth rules` and `berth rule CODE`.

use crate::analysis::{all_rules, rule};

pub fn list() -> i32 {
    print!("{}", table());
    0
}

/// The `berth rules` table: columns as wide as their widest cell.
pub fn table() -> String {
    let rows: Vec<[&str; 5]> = all_rules()
        .into_iter()
        .map(|r| {
            let level = if r.enabled_by_default { r.default_severity.as_str() } else { "off" };
            [r.code, level, r.scope, if r.fixable { "yes" } else { "" }, r.summary]
        })
        .collect();
    let header = ["CODE", "LEVEL", "APPLIES TO", "FIX", "SUMMARY"];
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:w$}  ", w = widths[i]));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub fn explain(code: &str) -> i32 {
    match rule(code) {
        Some(r) => {
            print!("{}", page(r));
            0
        }
        None => {
            eprintln!("error: no rule `{code}` (see `berth rules`)");
            2
        }
    }
}

/// The Markdown page of a rule: `berth rule` prints it and `docs/rules/CODE.md` holds it.
pub fn page(r: &crate::diagnostics::RuleInfo) -> String {
    let level = if r.enabled_by_default {
        r.default_severity.as_str().to_string()
    } else {
        format!("off by default ({} when enabled)", r.default_severity.as_str())
    };
    format!(
        "# {}\n\n{}\n\n- Applies to: {}\n- Default level: {}\n- Quick fix: {}\n\n{}\n",
        r.code,
        r.summary,
        r.scope,
        level,
        if r.fixable { "yes" } else { "no" },
        r.docs.trim_end()
    )
}

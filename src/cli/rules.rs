//! `berth rules` and `berth rule CODE`.

use crate::analysis::{all_rules, rule};

pub fn list() -> i32 {
    let rules = all_rules();
    let width = rules.iter().map(|r| r.code.len()).max().unwrap_or(4);
    println!("{:width$}  {:8}  {:10}  {:3}  summary", "code", "level", "scope", "fix");
    for r in rules {
        let level = if r.enabled_by_default { r.default_severity.as_str() } else { "off" };
        let fix = if r.fixable { "yes" } else { "" };
        println!("{:width$}  {:8}  {:10}  {:3}  {}", r.code, level, r.scope, fix, r.summary);
    }
    0
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

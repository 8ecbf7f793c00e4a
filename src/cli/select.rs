//! `--select` / `--ignore`: which rule codes a check run reports, by code or code prefix.
//!
//! The most specific entry wins (the longest matching one), so `--select DL3 --ignore DL3008`
//! reports every `DL3…` rule but `DL3008`, and `--ignore DL3 --select DL3008` only `DL3008`.
//! On a tie `--ignore` wins. Matching ignores ASCII case, as `berth rule CODE` does.

use crate::analysis::all_rules;
use crate::config::{Config, Level};

#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Empty means "every rule that is on".
    select: Vec<String>,
    ignore: Vec<String>,
}

impl Selection {
    /// Builds a selection from the flags' values (already split at commas); an entry that is
    /// neither a rule code nor the prefix of one is a usage error, since it is most likely a typo.
    pub fn new(select: &[String], ignore: &[String]) -> Result<Selection, String> {
        let clean = |list: &[String], flag: &str| -> Result<Vec<String>, String> {
            let mut out = Vec::new();
            for entry in list.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
                if !all_rules().iter().any(|r| starts_with_ignore_case(r.code, entry)) {
                    return Err(format!(
                        "{flag} {entry}: no rule code is or starts with `{entry}` (see `berth rules`)"
                    ));
                }
                out.push(entry.to_string());
            }
            Ok(out)
        };
        Ok(Selection { select: clean(select, "--select")?, ignore: clean(ignore, "--ignore")? })
    }

    /// Whether findings with this code are reported.
    pub fn includes(&self, code: &str) -> bool {
        let longest = |list: &[String]| {
            list.iter().filter(|p| starts_with_ignore_case(code, p)).map(|p| p.len()).max()
        };
        let selected = if self.select.is_empty() { Some(0) } else { longest(&self.select) };
        match (selected, longest(&self.ignore)) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(s), Some(i)) => s > i,
        }
    }

    /// Command-line flags win over the configuration file: an explicitly selected rule runs
    /// even when it is off by default or in `berth.toml` (at its configured level if it has one,
    /// else its default), and an excluded rule does not run at all.
    pub fn apply_to(&self, config: &mut Config) {
        for rule in all_rules() {
            if !self.includes(rule.code) {
                config.rules.insert(rule.code.to_string(), Level::Off);
                continue;
            }
            if self.select.is_empty() {
                continue;
            }
            let on = Level::On(rule.default_severity);
            match config.rules.get(rule.code) {
                Some(Level::On(_)) => {}
                Some(Level::Off) => {
                    config.rules.insert(rule.code.to_string(), on);
                }
                None if !rule.enabled_by_default => {
                    config.rules.insert(rule.code.to_string(), on);
                }
                None => {}
            }
        }
    }
}

fn starts_with_ignore_case(code: &str, prefix: &str) -> bool {
    code.len() >= prefix.len()
        && code.is_char_boundary(prefix.len())
        && code[..prefix.len()].eq_ignore_ascii_case(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(select: &[&str], ignore: &[&str], code: &str) -> bool {
        let owned = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Selection::new(&owned(select), &owned(ignore)).unwrap().includes(code)
    }

    #[test]
    fn most_specific_entry_wins() {
        assert!(check(&[], &[], "DL3008"));
        assert!(check(&["DL3"], &[], "DL3059"));
        assert!(!check(&["DL3"], &[], "UndefinedVar"));
        assert!(!check(&["DL3"], &["DL3008"], "DL3008"));
        assert!(check(&["DL3"], &["DL3008"], "DL3059"));
        assert!(check(&["DL3008"], &["DL3"], "DL3008"));
        assert!(!check(&[], &["dl3008"], "DL3008"));
        assert!(!check(&["DL3008"], &["DL3008"], "DL3008"));
    }

    #[test]
    fn unknown_entries_are_errors() {
        let e = Selection::new(&["XY9".to_string()], &[]).unwrap_err();
        assert!(e.contains("--select XY9"), "{e}");
    }
}

//! `berth check --fix`: apply the preferred fix of each reported finding, when that is safe.
//!
//! Safe means: every edit of the fix lands in a file this run checked, the fix overlaps no
//! other fix chosen in the same pass (the later one waits for the next pass, when it is
//! recomputed on the new text), and the file on disk still holds exactly the text that was
//! analysed. Edits are applied from the end of each file backwards, so earlier offsets stay
//! valid. Edits carry their own text, so line endings (CRLF) stay as the fix wrote them.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::check::Report;
use crate::diagnostics::Fix;

/// How many times the files are re-analysed and fixed before giving up on convergence.
pub const MAX_PASSES: usize = 3;

/// What one pass changed.
#[derive(Debug, Default)]
pub struct Applied {
    /// Findings whose fix was applied.
    pub fixed: usize,
    /// Files written.
    pub files: BTreeSet<PathBuf>,
    /// Files that could not be written, with why.
    pub failed: Vec<(PathBuf, String)>,
}

impl Applied {
    /// Adds up the passes of one run.
    pub fn absorb(&mut self, pass: Applied) {
        self.fixed += pass.fixed;
        self.files.extend(pass.files);
        self.failed.extend(pass.failed);
    }

    /// `fixed 3 findings in 2 files`
    pub fn summary(&self) -> String {
        let n = self.fixed;
        let m = self.files.len();
        format!(
            "fixed {n} finding{} in {m} file{}",
            if n == 1 { "" } else { "s" },
            if m == 1 { "" } else { "s" }
        )
    }
}

/// Picks the fixes of one pass: preferred, inside checked files, pairwise non-overlapping.
pub fn plan(report: &Report) -> Vec<&Fix> {
    let checked: BTreeSet<&Path> = report.files.iter().map(|(d, _)| &*d.path).collect();
    let mut taken: BTreeMap<&Path, Vec<Range<usize>>> = BTreeMap::new();
    let mut chosen = Vec::new();
    for d in report.files.iter().flat_map(|(_, ds)| ds) {
        let Some(fix) = d.fixes.iter().find(|f| f.preferred) else { continue };
        if fix.edits.is_empty() || !fix.edits.iter().all(|e| checked.contains(&*e.path)) {
            continue;
        }
        let clashes = fix.edits.iter().enumerate().any(|(i, e)| {
            let earlier = &fix.edits[..i];
            taken.get(&*e.path).is_some_and(|rs| rs.iter().any(|r| overlaps(r, &e.range)))
                || earlier.iter().any(|o| o.path == e.path && overlaps(&o.range, &e.range))
        });
        if clashes {
            continue;
        }
        for e in &fix.edits {
            taken.entry(&e.path).or_default().push(e.range.clone());
        }
        chosen.push(fix);
    }
    chosen
}

/// Two edits clash when their ranges share a byte, or both insert at the same offset (the
/// order of the inserted texts would be a guess).
fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    (a.start < b.end && b.start < a.end) || a.start == b.start
}

/// Applies the chosen fixes to the analysed texts and writes the files back.
pub fn apply(report: &Report, fixes: &[&Fix]) -> Applied {
    let mut per_file: BTreeMap<Arc<Path>, Vec<(Range<usize>, &str)>> = BTreeMap::new();
    for fix in fixes {
        for e in &fix.edits {
            per_file.entry(e.path.clone()).or_default().push((e.range.clone(), &e.new_text));
        }
    }
    let mut applied = Applied { fixed: fixes.len(), ..Applied::default() };
    for (path, mut edits) in per_file {
        let Some(doc) = report.snapshot.get(&path) else { continue };
        let mut text = doc.text.to_string();
        edits.sort_by_key(|(r, _)| std::cmp::Reverse((r.start, r.end)));
        for (range, new_text) in edits {
            let range = doc.clamp(range);
            text.replace_range(range, new_text);
        }
        match write_if_unchanged(&path, &doc.text, &text) {
            Ok(()) => {
                applied.files.insert(path.to_path_buf());
            }
            Err(why) => applied.failed.push((path.to_path_buf(), why)),
        }
    }
    if !applied.failed.is_empty() {
        // Fixes in files that were not written did not happen.
        applied.fixed = fixes
            .iter()
            .filter(|f| f.edits.iter().all(|e| applied.files.contains(&*e.path)))
            .count();
    }
    applied
}

/// Writes `new` only when the file still holds `old` byte for byte: a file decoded lossily
/// (invalid UTF-8) or changed since it was read is left alone.
fn write_if_unchanged(path: &Path, old: &str, new: &str) -> Result<(), String> {
    let on_disk = std::fs::read(path).map_err(|e| e.to_string())?;
    if on_disk != old.as_bytes() {
        return Err("changed on disk or not valid UTF-8; not rewritten".to_string());
    }
    std::fs::write(path, new).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::overlaps;

    #[test]
    fn overlap_rules() {
        assert!(overlaps(&(0..4), &(3..5)));
        assert!(!overlaps(&(0..3), &(3..5)));
        assert!(overlaps(&(3..3), &(3..3)));
        assert!(!overlaps(&(2..2), &(3..3)));
        assert!(overlaps(&(2..6), &(4..4)));
    }
}

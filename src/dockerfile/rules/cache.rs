//! Findings of the per-instruction checks, kept per instruction across versions.
//!
//! A keystroke changes one instruction, but the checks used to read all ~2,000 of a large
//! Dockerfile again (shell parsing included). The checks that read one instruction plus a few
//! facts about its surroundings ([`Facts`], [`FileFacts`]) are run per instruction; their
//! findings are stored relative to the instruction's start in a table that the model carries
//! over with the instructions it reuses (`Model::build_from`), and taken from there while the
//! instruction and its facts are unchanged. Checks that read across instructions run whole-file.

use std::hash::{BuildHasher, Hash, Hasher};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::diagnostics::Diagnostic;
use crate::dockerfile::model::{Instruction, Model};

/// What the per-instruction checks read about an instruction's surroundings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    pub stage: Option<usize>,
    /// RUN runs a POSIX shell here (no Windows escape, no non-POSIX `SHELL` before it).
    pub posix: bool,
    /// A `SHELL` with `pipefail` comes earlier in the stage.
    pub pipefail: bool,
    /// The stage has a `SHELL` anywhere.
    pub stage_has_shell: bool,
    /// `PIP_NO_CACHE_DIR` is defined at the instruction (RUN only).
    pub pip_env: bool,
    /// The stage is the final one or one it builds on.
    pub in_final: bool,
    /// A WORKDIR comes earlier in the stage or in the stages it builds on.
    pub workdir_set: bool,
    /// Likewise, an absolute one.
    pub abs_workdir_set: bool,
    /// The stage names and bases, for the instructions that name stages (FROM, `COPY
    /// --from`, `RUN --mount=from=`); 0 for the others, which then keep their findings when a
    /// stage is renamed.
    pub stages: u64,
}

/// What the per-instruction checks read about the whole file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileFacts {
    pub escape: char,
    pub crlf: bool,
}

impl FileFacts {
    pub fn of(m: &Model, text: &str) -> FileFacts {
        FileFacts { escape: m.escape, crlf: text.contains("\r\n") }
    }
}

/// Does a check of this instruction look stages up by name or number?
fn names_stages(i: &Instruction) -> bool {
    match i.keyword.as_str() {
        "FROM" => true,
        "COPY" => i.flag("from").is_some(),
        "RUN" => i.flags.iter().any(|f| f.name == "mount"),
        "ONBUILD" => i.onbuild.as_deref().is_some_and(names_stages),
        _ => false,
    }
}

/// A digest of the stage names and bases (never 0).
fn stages_digest(m: &Model) -> u64 {
    // Hashed on every keystroke: foldhash rather than SipHash.
    let mut h = foldhash::fast::FixedState::default().build_hasher();
    m.stages.len().hash(&mut h);
    for s in &m.stages {
        s.name.hash(&mut h);
        s.base_stage.hash(&mut h);
    }
    h.finish().max(1)
}

/// The facts of every instruction, in one pass.
pub fn facts(m: &Model) -> Vec<Facts> {
    let n = m.stages.len();
    let ins = &m.instructions;
    let is_abs = |i: usize| {
        ins[i].args.first().is_some_and(|a| {
            a.text.starts_with('/')
                || a.text.starts_with('$')
                || super::buildkit::is_windows_abs(&a.text)
        })
    };
    // Whole-stage summaries, then what each stage inherits from its bases.
    let (mut workdir, mut abs, mut shell) = (vec![false; n], vec![false; n], vec![false; n]);
    for (s, st) in m.stages.iter().enumerate() {
        for &j in &st.instructions {
            match ins[j].keyword.as_str() {
                "WORKDIR" => {
                    workdir[s] = true;
                    abs[s] |= is_abs(j);
                }
                "SHELL" => shell[s] = true,
                _ => {}
            }
        }
    }
    let (mut inh_workdir, mut inh_abs) = (vec![false; n], vec![false; n]);
    for s in 0..n {
        if let Some(b) = m.stages[s].base_stage.filter(|&b| b < s) {
            inh_workdir[s] = workdir[b] || inh_workdir[b];
            inh_abs[s] = abs[b] || inh_abs[b];
        }
    }
    let digest = stages_digest(m);
    let mut in_final = vec![false; n];
    let mut s = n.checked_sub(1);
    while let Some(x) = s {
        in_final[x] = true;
        s = m.stages[x].base_stage.filter(|&b| b < x);
    }

    // Where `PIP_NO_CACHE_DIR` becomes defined in each stage (what `is_defined` answers for a
    // RUN there, without a look-up per RUN): from the start when a base stage sets it, else
    // from its first declaration in the stage.
    const PIP: &str = "PIP_NO_CACHE_DIR";
    let pip_from: Vec<usize> = (0..n)
        .map(|s| {
            if m.inherits_env(s, PIP) {
                return 0;
            }
            let decls = m.stage_decls.get(s).map_or(&[][..], Vec::as_slice);
            decls
                .iter()
                .filter(|d| d.name == PIP)
                .map(|d| d.visible_from)
                .min()
                .unwrap_or(usize::MAX)
        })
        .collect();
    let pip_env = |i: &Instruction| match m.stage_at(i.range.start) {
        Some(s) if s < n && i.keyword != "FROM" => pip_from[s] <= i.range.start,
        _ => m.is_defined(i.range.start, PIP),
    };
    let mut out = Vec::with_capacity(ins.len());
    // Running state within the current stage.
    let mut cur: Option<usize> = None;
    let (mut posix, mut pipefail, mut wd, mut wd_abs) = (true, false, false, false);
    for (idx, i) in ins.iter().enumerate() {
        if i.stage != cur || idx == 0 {
            cur = i.stage;
            posix = true;
            pipefail = false;
            wd = cur.is_some_and(|s| inh_workdir[s]);
            wd_abs = cur.is_some_and(|s| inh_abs[s]);
        }
        let stage_known = cur.filter(|&s| s < n);
        out.push(Facts {
            stage: i.stage,
            posix: m.escape != '`' && (cur.is_none() || posix),
            pipefail: stage_known.is_some() && pipefail,
            stage_has_shell: stage_known.is_some_and(|s| shell[s]),
            pip_env: i.keyword == "RUN" && pip_env(i),
            in_final: stage_known.is_some_and(|s| in_final[s]),
            workdir_set: stage_known.is_some() && wd,
            abs_workdir_set: stage_known.is_some() && wd_abs,
            stages: if names_stages(i) { digest } else { 0 },
        });
        if stage_known.is_none() {
            continue;
        }
        match i.keyword.as_str() {
            "SHELL" => {
                posix = match i.json.as_ref().and_then(|j| j.first()) {
                    Some(w) => {
                        let p =
                            w.text.rsplit(['/', '\\']).next().unwrap_or("").to_ascii_lowercase();
                        matches!(p.as_str(), "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh")
                    }
                    None => true,
                };
                pipefail |=
                    i.json.as_ref().is_some_and(|w| w.iter().any(|w| w.text.contains("pipefail")));
            }
            "WORKDIR" => {
                wd = true;
                wd_abs |= is_abs(idx);
            }
            _ => {}
        }
    }
    out
}

/// The findings of one instruction (ranges relative to its start, with the hadolint
/// equivalent) and what they were computed from.
pub struct Entry {
    pub facts: Facts,
    pub file: FileFacts,
    pub found: Vec<(Diagnostic, Option<&'static str>)>,
}

#[derive(Clone, Default)]
pub struct Table {
    /// The document the findings name (a fix carries the path).
    pub path: Option<Arc<Path>>,
    /// Parallel to the model's instructions; missing or `None`: not computed. Pointers, so
    /// that carrying the table over is a small copy.
    pub entries: Vec<Option<Arc<Entry>>>,
}

/// The per-instruction findings table a model carries. It is a cache: models compare equal
/// whatever it holds.
#[derive(Default)]
pub struct Cache(Mutex<Table>);

impl Cache {
    pub fn lock(&self) -> MutexGuard<'_, Table> {
        crate::util::lock(&self.0)
    }

    /// The table of a model whose instructions are `old`'s `keep` first ones, then `fresh` new
    /// ones, then `old`'s from `tail` on.
    pub fn carried(old: &Cache, keep: usize, fresh: usize, tail: Option<usize>) -> Cache {
        old.clone().carry(keep, fresh, tail)
    }

    /// [`Cache::carried`] taking the old table over: its entries are moved, not copied.
    pub fn carry(self, keep: usize, fresh: usize, tail: Option<usize>) -> Cache {
        let mut table = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        table.entries = splice_entries(table.entries, keep, fresh, tail);
        Cache(Mutex::new(table))
    }
}

/// Entries `..keep` kept, `fresh` empty ones, then those from `tail` on (none without a tail).
fn splice_entries<T: Clone>(
    mut entries: Vec<Option<T>>,
    keep: usize,
    fresh: usize,
    tail: Option<usize>,
) -> Vec<Option<T>> {
    if entries.len() < keep {
        entries.resize(keep, None);
    }
    let j = tail.unwrap_or(usize::MAX).clamp(keep, entries.len());
    entries.splice(keep..j, std::iter::repeat_n(None, fresh));
    entries
}

impl Clone for Cache {
    fn clone(&self) -> Cache {
        Cache(Mutex::new(self.lock().clone()))
    }
}

impl PartialEq for Cache {
    fn eq(&self, _: &Cache) -> bool {
        true
    }
}
impl Eq for Cache {}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cache")
    }
}

/// Values kept per instruction across versions, like [`Cache`], for a value that reads the
/// text up to the next instruction (the syntax errors of an instruction's chunk, see
/// `crate::syntax`): the last instruction kept before an edit loses its value too, since the
/// edit may have changed the lines after it. A cache: models compare equal whatever it holds.
pub struct Carried<T>(Mutex<Vec<Option<T>>>);

impl<T: Clone> Carried<T> {
    pub fn lock(&self) -> MutexGuard<'_, Vec<Option<T>>> {
        crate::util::lock(&self.0)
    }

    /// As [`Cache::carried`].
    pub fn copied(old: &Carried<T>, keep: usize, fresh: usize, tail: Option<usize>) -> Carried<T> {
        old.clone().carry(keep, fresh, tail)
    }

    /// [`Carried::copied`] taking the old values over: moved, not copied.
    pub fn carry(self, keep: usize, fresh: usize, tail: Option<usize>) -> Carried<T> {
        let entries = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut entries = splice_entries(entries, keep, fresh, tail);
        if let Some(last_kept) = keep.checked_sub(1) {
            entries[last_kept] = None;
        }
        Carried(Mutex::new(entries))
    }
}

impl<T> Default for Carried<T> {
    fn default() -> Self {
        Carried(Mutex::new(Vec::new()))
    }
}

impl<T: Clone> Clone for Carried<T> {
    fn clone(&self) -> Carried<T> {
        Carried(Mutex::new(self.lock().clone()))
    }
}

impl<T> PartialEq for Carried<T> {
    fn eq(&self, _: &Carried<T>) -> bool {
        true
    }
}
impl<T> Eq for Carried<T> {}

impl<T> std::fmt::Debug for Carried<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Carried")
    }
}

/// Move every range of a finding by `delta`.
pub fn shift(d: &mut Diagnostic, delta: isize) {
    let sh = |r: &mut std::ops::Range<usize>| {
        *r = r.start.wrapping_add_signed(delta)..r.end.wrapping_add_signed(delta);
    };
    sh(&mut d.range);
    for r in &mut d.related {
        sh(&mut r.location.range);
    }
    for f in &mut d.fixes {
        for e in &mut f.edits {
            sh(&mut e.range);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::model::Model;

    /// `Facts::pip_env`, worked out per stage, says what a look-up at each RUN says.
    #[test]
    fn pip_env_agrees_with_is_defined() {
        let texts = [
            "RUN pip install a\nFROM python AS base\nRUN pip install b\nENV PIP_NO_CACHE_DIR=1\n\
             RUN pip install c\nFROM base AS next\nRUN pip install d\nFROM python\nARG PIP_NO_CACHE_DIR\n\
             RUN pip install e\nFROM next\nRUN pip install f\n",
            "ARG PIP_NO_CACHE_DIR=1\nFROM python\nRUN pip install a\nARG PIP_NO_CACHE_DIR\nRUN x\n",
            "FROM a AS a\nENV PIP_NO_CACHE_DIR=1 \\\n  X=2\nFROM a\nRUN y\nFROM b\nENV X=1\nRUN z\n",
        ];
        for text in texts {
            let m = Model::build(text);
            let facts = super::facts(&m);
            for (i, f) in m.instructions.iter().zip(&facts) {
                let want = i.keyword == "RUN" && m.is_defined(i.range.start, "PIP_NO_CACHE_DIR");
                assert_eq!(f.pip_env, want, "{text:?} at {:?}", i.range);
            }
        }
    }
}

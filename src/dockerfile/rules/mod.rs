//! Dockerfile diagnostics: BuildKit's build checks (under BuildKit's names), hadolint rules
//! (under hadolint codes) and berth's own checks, each in its own family module. The driver
//! here applies `# check=skip=…`/`# check=error=true`, `# hadolint ignore=…` and the set of
//! enabled rules.

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use crate::diagnostics::{Diagnostic, Fix, RuleInfo, Severity};
use crate::util::FastMap;
use crate::workspace::{Document, Snapshot};

use super::model::Model;

mod berth;
mod buildkit;
pub(crate) mod cache;
pub(crate) mod context;
mod hadolint;
mod info;
pub mod shell;

pub use info::RULES;

/// Checks that exist under both a BuildKit name and a hadolint code: berth reports them once,
/// under the BuildKit name, and either name suppresses them.
const EQUIVALENT: &[(&str, &str)] = &[
    ("DuplicateStageName", "DL3024"),
    ("MaintainerDeprecated", "DL4000"),
    ("JSONArgsRecommended", "DL3025"),
    ("WorkdirRelativePath", "DL3000"),
];

pub struct Ctx<'a> {
    pub snap: &'a Snapshot,
    pub doc: &'a Document,
    pub m: &'a Model,
    pub text: &'a str,
    crlf: bool,
    out: Vec<(Diagnostic, Option<&'static str>)>,
}

impl<'a> Ctx<'a> {
    pub fn report(
        &mut self,
        code: &'static str,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let equivalent = EQUIVALENT.iter().find(|(b, _)| *b == code).map(|(_, h)| *h);
        self.report_as(code, equivalent, range, message)
    }

    /// Report under `code`, falling back to the hadolint `equivalent` when `code` is off.
    pub fn report_as(
        &mut self,
        code: &'static str,
        equivalent: Option<&'static str>,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let d = Diagnostic::new(&self.doc.path, range, severity_of(code), code, message);
        self.out.push((d, equivalent));
        &mut self.out.last_mut().expect("just pushed").0
    }

    pub fn fix(&self, title: impl Into<String>, edits: Vec<(Range<usize>, String)>) -> Fix {
        Fix::local(title, &self.doc.path, edits, true)
    }

    pub fn alt_fix(&self, title: impl Into<String>, edits: Vec<(Range<usize>, String)>) -> Fix {
        Fix::local(title, &self.doc.path, edits, false)
    }

    /// Start of the line holding `offset`.
    pub fn line_start(&self, offset: usize) -> usize {
        self.text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1)
    }

    /// The indentation of the line holding `offset`.
    pub fn indent_at(&self, offset: usize) -> &'a str {
        let s = self.line_start(offset);
        let line = &self.text[s..];
        &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
    }

    pub fn eol(&self) -> &'static str {
        if self.crlf { "\r\n" } else { "\n" }
    }
}

pub fn rule(code: &str) -> Option<&'static RuleInfo> {
    // Looked up for every diagnostic, several times: an index instead of a linear scan.
    static BY_CODE: OnceLock<FastMap<&'static str, &'static RuleInfo>> = OnceLock::new();
    BY_CODE.get_or_init(|| RULES.iter().map(|r| (r.code, r)).collect()).get(code).copied()
}

fn severity_of(code: &str) -> Severity {
    rule(code).map_or(Severity::Warning, |r| r.default_severity)
}

fn is_buildkit(code: &str) -> bool {
    rule(code).is_some_and(|r| r.code.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
        && !code.starts_with("DL")
}

/// The rules enabled by default.
pub fn diagnostics(snap: &Snapshot, doc: &Document) -> Vec<Diagnostic> {
    diagnostics_with(snap, doc, &|code| rule(code).is_some_and(|r| r.enabled_by_default))
}

/// Diagnostics with the set of enabled rules chosen by the caller (`berth.toml`).
pub fn diagnostics_with(
    snap: &Snapshot,
    doc: &Document,
    enabled: &dyn Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let m = super::model(doc);
    let file = cache::FileFacts::of(&m, &doc.text);
    let crlf = file.crlf;
    let cx = || Ctx { snap, doc, m: &m, text: &doc.text, crlf, out: Vec::new() };
    // The per-instruction checks and the whole-file ones cost about the same on a long file:
    // one per core, their findings joined in the order a single pass gives.
    let (mut raw, whole) = rayon::join(
        || {
            let mut cx = cx();
            per_instruction(&mut cx, file);
            cx.out
        },
        || {
            let mut cx = cx();
            buildkit::check(&mut cx);
            hadolint::check(&mut cx);
            berth::check(&mut cx);
            cx.out
        },
    );
    raw.extend(whole);
    let mut out = Vec::with_capacity(raw.len());
    // A file has hundreds of findings under a handful of codes: what the configuration and the
    // file's `# check=` directive say about a code is worked out once per code (a short list:
    // most findings share the very same `&'static str`, compared by address first).
    let mut memo: Vec<(&'static str, CodeInfo)> = Vec::new();
    let mut info = |code: &'static str| -> CodeInfo {
        let same = |c: &&'static str| std::ptr::eq(*c, code) || **c == *code;
        if let Some((_, i)) = memo.iter().find(|(c, _)| same(c)) {
            return *i;
        }
        let buildkit = is_buildkit(code);
        let i = CodeInfo {
            enabled: enabled(code),
            skipped: buildkit
                && (m.check_skip_all || m.check_skip.iter().any(|s| s.eq_ignore_ascii_case(code))),
            buildkit,
            severity: severity_of(code),
        };
        memo.push((code, i));
        i
    };
    // Most files have no `# hadolint ignore=` at all: then no finding needs a look-up.
    let any_ignore = !m.hadolint_global_ignore.is_empty()
        || m.instructions.iter().any(|i| !i.hadolint_ignore.is_empty());
    for (mut d, equivalent) in raw {
        let code = info(d.code);
        if code.skipped {
            continue;
        }
        let code = if code.enabled {
            code
        } else {
            match equivalent.map(|e| (e, info(e))) {
                Some((e, ei)) if ei.enabled => {
                    d.code = e;
                    d.severity = ei.severity;
                    ei
                }
                _ => continue,
            }
        };
        let ignored = |code: &str| {
            m.hadolint_global_ignore.iter().any(|c| c == code)
                || m.instruction_at(d.range.start)
                    .is_some_and(|i| m.instructions[i].hadolint_ignore.iter().any(|c| c == code))
        };
        if any_ignore && (ignored(d.code) || equivalent.is_some_and(ignored)) {
            continue;
        }
        if m.check_error && code.buildkit && d.severity == Severity::Warning {
            d.severity = Severity::Error;
        }
        out.push(d);
    }
    sort_by_range(out)
}

/// The findings ordered by range, equal ranges in the order found (`sort_by_key` would move
/// the large findings around many times; here an index is sorted, and each finding moves once).
fn sort_by_range(out: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut order: Vec<(usize, usize, usize)> =
        out.iter().enumerate().map(|(k, d)| (d.range.start, d.range.end, k)).collect();
    if order.is_sorted() {
        return out;
    }
    order.sort_unstable();
    let mut slots: Vec<Option<Diagnostic>> = out.into_iter().map(Some).collect();
    order.iter().filter_map(|&(_, _, k)| slots[k].take()).collect()
}

/// What the driver needs to know about one code.
#[derive(Clone, Copy)]
struct CodeInfo {
    enabled: bool,
    /// Turned off by `# check=skip=…`.
    skipped: bool,
    buildkit: bool,
    severity: Severity,
}

/// The checks that read one instruction (and its [`cache::Facts`]), taken from the model's
/// table where the instruction and its facts did not change since they were computed.
fn per_instruction(cx: &mut Ctx, file: cache::FileFacts) {
    let m = cx.m;
    let facts = cache::facts(m);
    let mut table = m.findings.lock();
    if table.path.as_deref() != Some(&*cx.doc.path) {
        table.path = Some(cx.doc.path.clone());
        table.entries.clear();
    }
    table.entries.resize(m.instructions.len(), None);
    for (idx, (i, f)) in m.instructions.iter().zip(&facts).enumerate() {
        let slot = &mut table.entries[idx];
        if slot.as_ref().is_some_and(|e| e.facts == *f && e.file == file) {
            continue;
        }
        let mut one = Ctx { out: Vec::new(), ..*cx };
        buildkit::check_instruction(&mut one, i, f);
        hadolint::check_instruction(&mut one, i, f);
        berth::check_instruction(&mut one, i);
        let mut found = one.out;
        for (d, _) in &mut found {
            cache::shift(d, -(i.range.start as isize));
        }
        *slot = Some(Arc::new(cache::Entry { facts: *f, file, found }));
    }
    // Every entry is filled now; the whole-file checks add a few more findings.
    let count: usize = table.entries.iter().flatten().map(|e| e.found.len()).sum();
    cx.out.reserve(count + 64);
    for (i, entry) in m.instructions.iter().zip(table.entries.iter().flatten()) {
        for (d, e) in &entry.found {
            let mut d = d.clone();
            cache::shift(&mut d, i.range.start as isize);
            cx.out.push((d, *e));
        }
    }
}

#[cfg(test)]
mod tests;

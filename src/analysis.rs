//! One entry point per feature over a snapshot, dispatching on the file kind. The LSP server
//! and `berth check` both call these, so the editor and CI can never disagree.

use std::ops::Range;

use crate::config::Level;
use crate::diagnostics::{Diagnostic, Fix, Location, RuleInfo, Severity};
use crate::ide::{
    CompletionItem, Fold, Highlight, HoverResult, Link, RenameTarget, SemanticToken, SignatureHelp,
    Symbol, TextEdit,
};
use crate::suppress;
use crate::workspace::document::MAX_PARSED_BYTES;
use crate::workspace::{Document, FileKind, Snapshot};
use crate::{compose, dockerfile, dotenv};

pub const FILE_TOO_LARGE: &str = "file-too-large";
pub const INVALID_CONFIG: &str = "invalid-config";

const GENERAL_RULES: &[RuleInfo] = &[
    RuleInfo {
        code: INVALID_CONFIG,
        scope: "berth.toml",
        default_severity: Severity::Error,
        enabled_by_default: true,
        fixable: false,
        summary: "The berth configuration cannot be read.",
        docs: "`berth.toml` (or `[tool.berth]` in `pyproject.toml`) is not valid TOML, has a key \
               berth does not know, or gives a rule a level other than `off`, `hint`, `info`, \
               `warning` or `error`. The editor shows the finding on the file and keeps working \
               with the default configuration until it is fixed; `berth check` stops with exit \
               status 2.\n\n```toml\n[rules]\nenv-unused = \"quiet\"   # invalid-config\n```\n\n\
               Fix the value (here `\"off\"`).",
    },
    RuleInfo {
        code: FILE_TOO_LARGE,
        scope: "any",
        default_severity: Severity::Info,
        enabled_by_default: true,
        fixable: false,
        summary: "The file is too large to analyse.",
        docs: "berth keeps files of any size open and in sync, but does not parse or check a file \
           larger than 8 MB: a tree for that much YAML or Python costs more time than an editor \
           should wait for on each keystroke. Split the file, or exclude it with a \
           `.berthignore` entry if it is generated.",
    },
];

/// Every rule berth knows, in one list (the source of `berth rules` and `docs/rules/`).
pub fn all_rules() -> Vec<&'static RuleInfo> {
    let tables: &[&[RuleInfo]] = &[
        GENERAL_RULES,
        crate::syntax::RULES,
        dockerfile::RULES,
        compose::RULES,
        dotenv::RULES,
        crate::env::RULES,
    ];
    tables.iter().flat_map(|t| t.iter()).collect()
}

pub fn rule(code: &str) -> Option<&'static RuleInfo> {
    // Asked for each finding on every keystroke: a map, built once, rather than a scan of
    // every rule table.
    static BY_CODE: std::sync::OnceLock<crate::util::FastMap<&'static str, &'static RuleInfo>> =
        std::sync::OnceLock::new();
    let by_code = BY_CODE.get_or_init(|| all_rules().into_iter().map(|r| (r.code, r)).collect());
    by_code.get(code).copied().or_else(|| {
        // Configuration may spell a code in another case.
        by_code.values().copied().find(|r| r.code.eq_ignore_ascii_case(code))
    })
}

/// All diagnostics for one file: its own and the cross-file ones reported in it, after
/// `# berth: ignore` comments and the configured rule levels.
pub fn diagnostics(snap: &Snapshot, doc: &Document) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if doc.text.len() > MAX_PARSED_BYTES {
        out.push(Diagnostic::new(
            &doc.path,
            0..0,
            Severity::Info,
            FILE_TOO_LARGE,
            format!(
                "not analysed: {:.1} MB is larger than the {} MB berth parses",
                doc.text.len() as f64 / 1_048_576.0,
                MAX_PARSED_BYTES / 1_048_576
            ),
        ));
        return out;
    }
    crate::env::release_stale(snap);
    if doc.kind == FileKind::Compose {
        // The syntax check, the rules and the env model all start from the compose model.
        // Built here first, its own parallel parts have both cores; inside the join below,
        // one pass would build it while the others sat blocked waiting for it.
        let _ = compose::model(doc);
    }
    // Three independent passes, on both cores: the syntax pass waits for the (incremental)
    // re-parse, which the Dockerfile rules do not need (they read the line model), and the env
    // model is its own cross-file computation.
    let enabled = |code: &str| rule_enabled(snap, code);
    let (syntax, (by_kind, env)) = rayon::join(
        || crate::syntax::diagnostics(doc),
        || {
            rayon::join(
                || match doc.kind {
                    FileKind::Dockerfile => dockerfile::diagnostics_with(snap, doc, &enabled),
                    FileKind::Compose => compose::diagnostics(snap, doc),
                    FileKind::Dotenv => dotenv::diagnostics(snap, doc),
                    FileKind::Python => Vec::new(),
                },
                || crate::env::diagnostics(snap, doc),
            )
        },
    );
    out.extend(syntax);
    out.extend(by_kind);
    out.extend(env);
    finish(snap, doc, out)
}

/// Whether a rule runs: the configured level, else its default.
fn rule_enabled(snap: &Snapshot, code: &str) -> bool {
    match snap.config.rules.get(code) {
        Some(Level::Off) => false,
        Some(Level::On(_)) => true,
        None => rule(code).is_none_or(|r| r.enabled_by_default),
    }
}

/// Clamp ranges, apply suppressions and configured levels, sort.
fn finish(snap: &Snapshot, doc: &Document, mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    suppress::retain_unsuppressed(doc, &mut diags);
    let config = &snap.config;
    diags.retain_mut(|d| {
        d.range = doc.clamp(d.range.clone());
        match config.rules.get(d.code) {
            Some(Level::Off) => false,
            Some(Level::On(s)) => {
                d.severity = *s;
                true
            }
            // Off-by-default rules may be emitted by their modules; they show only when enabled.
            None => rule(d.code).is_none_or(|r| r.enabled_by_default),
        }
    });
    diags.sort_by(|a, b| {
        (a.range.start, a.range.end, a.code).cmp(&(b.range.start, b.range.end, b.code))
    });
    diags.dedup_by(|a, b| a.range == b.range && a.code == b.code && a.message == b.message);
    diags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::testing::fixture;
    use std::sync::Arc;

    #[test]
    fn config_levels_and_suppression_apply() {
        let mut f = fixture("#- /compose.yaml\nservices:\n  web:\n    ports: [1, 2\n");
        let doc = f.doc("compose.yaml").clone();
        assert_eq!(diagnostics(&f.snapshot, &doc).len(), 1);
        let mut config = Config::default();
        config.rules.insert("syntax-error".into(), Level::On(Severity::Warning));
        f.snapshot.config = Arc::new(config.clone());
        assert_eq!(diagnostics(&f.snapshot, &doc)[0].severity, Severity::Warning);
        config.rules.insert("syntax-error".into(), Level::Off);
        f.snapshot.config = Arc::new(config);
        assert!(diagnostics(&f.snapshot, &doc).is_empty());
    }

    #[test]
    fn every_rule_code_is_unique_and_documented() {
        let rules = all_rules();
        for (i, r) in rules.iter().enumerate() {
            assert!(!r.summary.is_empty() && !r.docs.is_empty(), "{}", r.code);
            assert!(rules[i + 1..].iter().all(|o| o.code != r.code), "duplicate code {}", r.code);
        }
    }
}

/// A code action: a diagnostic's fix, or "ignore this rule here".
#[derive(Clone, Debug)]
pub struct Action {
    pub fix: Fix,
    /// The diagnostic it addresses; None for a refactoring.
    pub diagnostic: Option<Diagnostic>,
    pub quickfix: bool,
}

/// Fixes for the diagnostics overlapping `range`, then an "ignore" action per diagnostic,
/// then refactorings offered at `range`.
pub fn code_actions(snap: &Snapshot, doc: &Document, range: Range<usize>) -> Vec<Action> {
    let diags = diagnostics(snap, doc);
    let touching = |d: &Diagnostic| d.range.start <= range.end && range.start <= d.range.end;
    let mut actions = Vec::new();
    for d in diags.iter().filter(|d| touching(d)) {
        for fix in &d.fixes {
            actions.push(Action { fix: fix.clone(), diagnostic: Some(d.clone()), quickfix: true });
        }
    }
    for d in diags.iter().filter(|d| touching(d)) {
        let line = doc.line_of(d.range.start);
        let line_range = doc.line_range(line);
        let indent: String =
            doc.text[line_range.clone()].chars().take_while(|c| *c == ' ' || *c == '\t').collect();
        let eol = if doc.text.contains("\r\n") { "\r\n" } else { "\n" };
        let fix = Fix::local(
            format!("Ignore `{}` on this line", d.code),
            &doc.path,
            vec![(
                line_range.start..line_range.start,
                format!("{indent}{}{eol}", suppress::ignore_comment(d.code)),
            )],
            false,
        );
        actions.push(Action { fix, diagnostic: Some(d.clone()), quickfix: true });
    }
    let refactors = match doc.kind {
        FileKind::Compose => compose::refactors(snap, doc, range),
        _ => Vec::new(),
    };
    for fix in refactors {
        actions.push(Action { fix, diagnostic: None, quickfix: false });
    }
    actions
}

// On an environment variable name the cross-file env model answers first; elsewhere (and
// where it has nothing to say) the file kind's module does.

pub fn hover(snap: &Snapshot, doc: &Document, offset: usize) -> Option<HoverResult> {
    if let Some(h) = crate::env::hover(snap, doc, offset) {
        return Some(h);
    }
    match doc.kind {
        FileKind::Dockerfile => dockerfile::hover(snap, doc, offset),
        FileKind::Compose => compose::hover(snap, doc, offset),
        FileKind::Dotenv | FileKind::Python => None,
    }
}

pub fn complete(snap: &Snapshot, doc: &Document, offset: usize) -> Vec<CompletionItem> {
    if let Some(items) = crate::env::complete(snap, doc, offset).filter(|i| !i.is_empty()) {
        return items;
    }
    match doc.kind {
        FileKind::Dockerfile => dockerfile::complete(snap, doc, offset),
        FileKind::Compose => compose::complete(snap, doc, offset),
        FileKind::Dotenv | FileKind::Python => Vec::new(),
    }
}

pub fn definition(snap: &Snapshot, doc: &Document, offset: usize) -> Vec<Location> {
    let env = crate::env::definition(snap, doc, offset);
    if !env.is_empty() {
        return env;
    }
    match doc.kind {
        FileKind::Dockerfile => dockerfile::definition(snap, doc, offset),
        FileKind::Compose => compose::definition(snap, doc, offset),
        FileKind::Dotenv | FileKind::Python => Vec::new(),
    }
}

pub fn references(
    snap: &Snapshot,
    doc: &Document,
    offset: usize,
    include_decl: bool,
) -> Vec<Location> {
    let env = crate::env::references(snap, doc, offset, include_decl);
    if !env.is_empty() {
        return env;
    }
    match doc.kind {
        FileKind::Dockerfile => dockerfile::references(snap, doc, offset, include_decl),
        FileKind::Compose => compose::references(snap, doc, offset, include_decl),
        FileKind::Dotenv | FileKind::Python => Vec::new(),
    }
}

pub fn highlights(snap: &Snapshot, doc: &Document, offset: usize) -> Vec<Highlight> {
    let env = crate::env::highlights(snap, doc, offset);
    if !env.is_empty() {
        return env;
    }
    match doc.kind {
        FileKind::Dockerfile => dockerfile::highlights(snap, doc, offset),
        FileKind::Compose => compose::highlights(snap, doc, offset),
        FileKind::Dotenv | FileKind::Python => Vec::new(),
    }
}

pub fn rename(snap: &Snapshot, doc: &Document, offset: usize) -> Option<RenameTarget> {
    if let Some(r) = crate::env::rename(snap, doc, offset) {
        return Some(r);
    }
    match doc.kind {
        FileKind::Dockerfile => dockerfile::rename(snap, doc, offset),
        FileKind::Compose => compose::rename(snap, doc, offset),
        FileKind::Dotenv | FileKind::Python => None,
    }
}

pub fn symbols(doc: &Document) -> Vec<Symbol> {
    match doc.kind {
        FileKind::Dockerfile => dockerfile::symbols(doc),
        FileKind::Compose => compose::symbols(doc),
        FileKind::Dotenv => dotenv::symbols(doc),
        FileKind::Python => Vec::new(),
    }
}

pub fn folds(doc: &Document) -> Vec<Fold> {
    match doc.kind {
        FileKind::Dockerfile => dockerfile::folds(doc),
        FileKind::Compose => compose::folds(doc),
        FileKind::Dotenv => dotenv::folds(doc),
        FileKind::Python => Vec::new(),
    }
}

pub fn links(snap: &Snapshot, doc: &Document) -> Vec<Link> {
    match doc.kind {
        FileKind::Dockerfile => dockerfile::links(snap, doc),
        FileKind::Compose => compose::links(snap, doc),
        FileKind::Dotenv | FileKind::Python => Vec::new(),
    }
}

pub fn format(doc: &Document, range: Option<Range<usize>>) -> Vec<TextEdit> {
    match doc.kind {
        FileKind::Dockerfile => dockerfile::format(doc, range),
        FileKind::Compose | FileKind::Dotenv | FileKind::Python => Vec::new(),
    }
}

pub fn signature_help(doc: &Document, offset: usize) -> Option<SignatureHelp> {
    match doc.kind {
        FileKind::Dockerfile => dockerfile::signature_help(doc, offset),
        FileKind::Compose | FileKind::Dotenv | FileKind::Python => None,
    }
}

pub fn semantic_tokens(doc: &Document) -> Vec<SemanticToken> {
    match doc.kind {
        FileKind::Dockerfile => dockerfile::semantic_tokens(doc),
        FileKind::Dotenv => dotenv::semantic_tokens(doc),
        FileKind::Compose | FileKind::Python => Vec::new(),
    }
}

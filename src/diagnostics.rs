//! The one diagnostic type every analysis produces. Ranges are byte offsets into the file's
//! text; `src/lsp/` and the CLI convert them at the edge.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s.to_ascii_lowercase().as_str() {
            "hint" => Severity::Hint,
            "info" | "information" | "style" => Severity::Info,
            "warning" | "warn" => Severity::Warning,
            "error" => Severity::Error,
            _ => return None,
        })
    }
}

/// A place in some file of the workspace.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Location {
    pub path: Arc<Path>,
    pub range: Range<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

/// One replacement in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileEdit {
    pub path: Arc<Path>,
    pub range: Range<usize>,
    pub new_text: String,
}

/// A quick fix: edits that may span files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<FileEdit>,
    /// The one obvious fix (LSP `isPreferred`; `berth check --fix` applies only these).
    pub preferred: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tag {
    Unnecessary,
    Deprecated,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: Arc<Path>,
    pub range: Range<usize>,
    pub severity: Severity,
    /// Stable code: BuildKit or hadolint name where they define the check, else kebab-case.
    pub code: &'static str,
    pub message: String,
    pub related: Vec<Related>,
    pub fixes: Vec<Fix>,
    pub tags: Vec<Tag>,
}

impl Diagnostic {
    pub fn new(
        path: &Arc<Path>,
        range: Range<usize>,
        severity: Severity,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.clone(),
            range,
            severity,
            code,
            message: message.into(),
            related: Vec::new(),
            fixes: Vec::new(),
            tags: Vec::new(),
        }
    }

    pub fn with_related(
        mut self,
        path: &Arc<Path>,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        self.related.push(Related {
            location: Location { path: path.clone(), range },
            message: message.into(),
        });
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fixes.push(fix);
        self
    }

    pub fn with_tag(mut self, tag: Tag) -> Self {
        self.tags.push(tag);
        self
    }
}

impl Fix {
    /// A fix that edits only the file the diagnostic is in.
    pub fn local(
        title: impl Into<String>,
        path: &Arc<Path>,
        edits: Vec<(Range<usize>, String)>,
        preferred: bool,
    ) -> Fix {
        Fix {
            title: title.into(),
            edits: edits
                .into_iter()
                .map(|(range, new_text)| FileEdit { path: path.clone(), range, new_text })
                .collect(),
            preferred,
        }
    }
}

/// Convenience for owned paths in tests and the CLI.
pub fn path_arc(p: impl Into<PathBuf>) -> Arc<Path> {
    Arc::from(p.into().into_boxed_path())
}

/// Where each rule's page (generated into `docs/rules/`) is published; diagnostics'
/// `codeDescription` and SARIF `helpUri` link here.
pub const RULE_DOCS_BASE: &str = "https://github.com/berth-lsp/berth/blob/main/docs/rules/";

pub fn rule_url(code: &str) -> String {
    format!("{RULE_DOCS_BASE}{code}.md")
}

/// What `berth rules`, `berth rule CODE`, `docs/rules/` and `codeDescription` links are made
/// from: every rule module exports a `RULES: &[RuleInfo]` table, the one source of truth.
#[derive(Clone, Copy, Debug)]
pub struct RuleInfo {
    pub code: &'static str,
    /// Which file kinds it reports in, e.g. "Dockerfile", "compose", "dotenv", "Python", "cross-file".
    pub scope: &'static str,
    pub default_severity: Severity,
    /// Off-by-default rules (e.g. version pinning) run only when `berth.toml` enables them.
    pub enabled_by_default: bool,
    pub fixable: bool,
    /// One line.
    pub summary: &'static str,
    /// Markdown: why it matters, an example that triggers it, and the fix. Our own words.
    pub docs: &'static str,
}

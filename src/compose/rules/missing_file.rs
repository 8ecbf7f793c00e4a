//! Paths in a compose file that point at nothing.

use std::path::{Path, PathBuf};

use super::Ctx;
use crate::compose::model::Str;
use crate::compose::project::resolve_path;
use crate::diagnostics::{Diagnostic, RuleInfo, Severity};
use crate::workspace::Snapshot;

pub const MISSING_FILE: RuleInfo = RuleInfo {
    code: "missing-file",
    scope: "compose",
    default_severity: Severity::Error,
    enabled_by_default: true,
    fixable: false,
    summary: "A file or directory the compose file refers to does not exist.",
    docs: "Compose reads several paths relative to the compose file: `env_file` entries, the build \
`context` and its `dockerfile`, the `file` of secrets and configs, `extends.file` and `include`. \
A path that doesn't exist stops `docker compose up` (an `env_file` entry only when it isn't \
marked `required: false`).\n\n```yaml\nservices:\n  web:\n    env_file: .env.production   # missing-file\n```\n\n\
Create the file, fix the path, or mark an optional env file with `required: false`. Paths outside \
the workspace are not read; they are reported as unchecked.",
};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Exists {
    Yes,
    No,
    /// Outside the workspace folders: never read.
    Unknown,
}

/// Whether `path` exists: the snapshot first, then the disk for paths inside the workspace
/// (through the listing cache: this runs for every service on every keystroke), then, for a
/// folder, whether some document (perhaps unsaved) lives under it.
pub fn exists(snap: &Snapshot, path: &Path, dir: bool, disk: &crate::fs_cache::Batch) -> Exists {
    if !dir && snap.get(path).is_some() {
        return Exists::Yes;
    }
    if !snap.in_workspace(path) {
        return Exists::Unknown;
    }
    let found = if dir { disk.is_dir(path) } else { disk.is_file(path) };
    if found || (dir && snap.has_documents_under(path)) { Exists::Yes } else { Exists::No }
}

fn is_remote(s: &str) -> bool {
    s.contains("://") || s.starts_with("git@") || s.starts_with("github.com/")
}

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let from = ctx.path().clone();
    let disk = crate::fs_cache::Batch::default();
    let mut check_one = |s: &Str, base: &Path, dir: bool, what: &str| {
        if s.text.is_empty() || s.text.contains('$') || is_remote(&s.text) {
            return;
        }
        let target = if base == from.as_ref() {
            resolve_path(&from, &s.text)
        } else {
            crate::compose::project::resolve_in(base, &s.text)
        };
        match exists(ctx.snap, &target, dir, &disk) {
            Exists::Yes => {}
            Exists::No => out.push(Diagnostic::new(
                ctx.path(),
                s.range.clone(),
                Severity::Error,
                MISSING_FILE.code,
                format!("{what} `{}` does not exist", s.text),
            )),
            Exists::Unknown => out.push(Diagnostic::new(
                ctx.path(),
                s.range.clone(),
                Severity::Info,
                MISSING_FILE.code,
                format!("{what} `{}` is outside the workspace and was not checked", s.text),
            )),
        }
    };
    let m = ctx.model.clone();
    for svc in &m.services {
        for e in svc.env_file.iter().filter(|e| e.required) {
            check_one(&e.path, &from, false, "Env file");
        }
        if let Some(b) = &svc.build {
            let ctx_dir: PathBuf = match &b.context {
                Some(c) if !is_remote(&c.text) && !c.text.contains('$') => {
                    check_one(c, &from, true, "Build context");
                    resolve_path(&from, &c.text)
                }
                Some(_) => continue,
                None => resolve_path(&from, "."),
            };
            if let Some(df) = &b.dockerfile
                && !b.dockerfile_inline
            {
                check_one(df, &ctx_dir, false, "Dockerfile");
            }
        }
        if let Some(f) = svc.extends.as_ref().and_then(|e| e.file.as_ref()) {
            check_one(f, &from, false, "Extended file");
        }
    }
    for decl in m.secrets.iter().chain(m.configs.iter()) {
        if let Some(f) = &decl.file {
            check_one(f, &from, false, "File");
        }
    }
    for inc in &m.includes {
        for p in &inc.paths {
            check_one(p, &from, false, "Included file");
        }
    }
}

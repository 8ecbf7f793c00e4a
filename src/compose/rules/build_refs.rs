//! `build.target` and `build.args` checked against the Dockerfile they build.

use std::path::Path;

use super::{Ctx, closest, dockerfile_facts};
use crate::compose::model::Build;
use crate::compose::project::resolve_in;
use crate::diagnostics::{Diagnostic, FileEdit, Fix, RuleInfo, Severity};
use crate::workspace::Snapshot;

pub const UNKNOWN_BUILD_TARGET: RuleInfo = RuleInfo {
    code: "unknown-build-target",
    scope: "cross-file",
    default_severity: Severity::Error,
    enabled_by_default: true,
    fixable: true,
    summary: "`build.target` names no stage of the Dockerfile.",
    docs: "`target` selects a stage of a multi-stage Dockerfile by its `FROM … AS name`. When no \
stage has that name the build fails.\n\n```yaml\nservices:\n  web:\n    build:\n      context: .\n      target: prod   # unknown-build-target (the Dockerfile says `AS production`)\n```\n\n\
The fix picks the closest stage name.",
};

pub const UNKNOWN_BUILD_ARG: RuleInfo = RuleInfo {
    code: "unknown-build-arg",
    scope: "cross-file",
    default_severity: Severity::Warning,
    enabled_by_default: true,
    fixable: true,
    summary: "A `build.args` entry that no `ARG` in the Dockerfile declares.",
    docs: "Build arguments reach a Dockerfile only through an `ARG` instruction with the same \
name; any other is silently unused (the builder only warns), which usually means a typo or a \
forgotten `ARG`.\n\n```yaml\nservices:\n  web:\n    build:\n      args:\n        PYTHON_VERSOIN: \"3.12\"   # unknown-build-arg\n```\n\n\
The fix adds `ARG NAME` to the Dockerfile (after the `FROM` of the stage being built).",
};

/// Arguments every builder predefines.
const PREDEFINED: &[&str] = &[
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
    "SOURCE_DATE_EPOCH",
];

/// Whether some document lies under the folder holding a build context, asked once per folder
/// and pass.
#[derive(Default)]
struct Folders<'a> {
    /// By the folder as written in the contexts (`services` for `./services/web`).
    written: crate::util::FastMap<&'a str, bool>,
    /// By the resolved folder, for the other contexts.
    resolved: crate::util::FastMap<Box<[u8]>, bool>,
}

/// Whether the Dockerfile `b` builds may be a document of the snapshot: false when no
/// document lies under the folder holding its context (the contexts of a large file mostly
/// share one folder, `./services/*`, and looking each Dockerfile's path up costs more than the
/// rest of this rule).
fn may_have_dockerfile<'a>(
    snap: &Snapshot,
    from_dir: &Path,
    b: &'a Build,
    seen: &mut Folders<'a>,
) -> bool {
    let context = b.context.as_ref().map_or(".", |c| c.text.as_str());
    let file = b.dockerfile.as_ref().map_or("Dockerfile", |d| d.text.as_str());
    // Only a Dockerfile named inside its context is surely under the context's folder.
    let odd = |s: &str| s.bytes().any(|b| matches!(b, b'$' | b':'));
    let up = |s: &str| memchr::memchr_iter(b'.', s.as_bytes()).any(|i| s[i + 1..].starts_with('.'));
    if b.dockerfile_inline || odd(context) || up(file) || file.trim().starts_with('/') {
        return true;
    }
    // The usual `./services/web`: its folder is read off the text, no path built.
    if let Some((written, _)) = crate::compose::project::split_plain(context) {
        if let Some(&found) = seen.written.get(written) {
            return found;
        }
        let found = snap.has_documents_under(&resolve_in(from_dir, written));
        seen.written.insert(written, found);
        return found;
    }
    let dir = resolve_in(from_dir, context);
    // The folder holding the context, when the context resolved to a plain absolute path.
    // Normalized: a `..` can only lead an absolute path.
    let plain = |d: &&str| d.starts_with('/') && d != &"/.." && !d.starts_with("/../");
    let Some(dir) = dir.to_str().filter(plain) else {
        return true;
    };
    let Some(slash) = memchr::memrchr(b'/', dir.as_bytes()) else { return true };
    let folder = &dir[..slash.max(1)];
    if let Some(&found) = seen.resolved.get(folder.as_bytes()) {
        return found;
    }
    let found = snap.has_documents_under(Path::new(folder));
    seen.resolved.insert(folder.as_bytes().into(), found);
    found
}

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let from_dir = ctx.path().parent().unwrap_or(Path::new("/"));
    let mut seen = Folders::default();
    for svc in &ctx.model.services {
        let Some(b) = &svc.build else { continue };
        if b.target.is_none() && b.args.is_empty() {
            continue; // nothing to check
        }
        if !may_have_dockerfile(ctx.snap, from_dir, b, &mut seen) {
            continue;
        }
        let Some(df) = crate::compose::dockerfile_of(ctx.snap, ctx.path(), b) else { continue };
        let facts = dockerfile_facts(&df);
        let mut stage_end = facts.from_ends.last().copied();
        if let Some(t) = &b.target
            && !t.text.contains('$')
        {
            match facts.stages.iter().find(|(n, _)| n.eq_ignore_ascii_case(&t.text)) {
                Some((_, r)) => stage_end = Some(r.end),
                None => {
                    let mut d = Diagnostic::new(
                        ctx.path(),
                        t.range.clone(),
                        Severity::Error,
                        UNKNOWN_BUILD_TARGET.code,
                        format!("The Dockerfile has no stage named `{}`", t.text),
                    );
                    if let Some((_, r)) = facts.stages.first() {
                        d = d.with_related(
                            &df.path,
                            r.clone(),
                            "stages are named with `FROM … AS name`",
                        );
                    }
                    if let Some(c) = closest(&t.text, facts.stages.iter().map(|(n, _)| n.as_str()))
                    {
                        d = d.with_fix(super::change_to(ctx, t.range.clone(), c));
                    }
                    out.push(d);
                }
            }
        }
        for a in &b.args {
            if facts.args.contains(&a.key)
                || PREDEFINED.contains(&a.key.as_str())
                || a.key.starts_with("BUILDKIT_")
                || a.key.contains('$')
            {
                continue;
            }
            let mut d = Diagnostic::new(
                ctx.path(),
                a.key_range.clone(),
                Severity::Warning,
                UNKNOWN_BUILD_ARG.code,
                format!("No `ARG {}` in the Dockerfile: this build argument is never used", a.key),
            );
            if let Some(c) = closest(&a.key, facts.args.iter().map(String::as_str)) {
                d = d.with_fix(super::change_to(ctx, a.key_range.clone(), c));
            }
            let at = stage_end.map(|e| df.line_range(df.line_of(e)).end).unwrap_or(0);
            let (range, new_text) = if stage_end.is_some() {
                (at..at, format!("\nARG {}", a.key))
            } else {
                (0..0, format!("ARG {}\n", a.key))
            };
            let preferred = d.fixes.is_empty();
            d = d.with_fix(Fix {
                title: format!("Add `ARG {}` to the Dockerfile", a.key),
                edits: vec![FileEdit { path: df.path.clone(), range, new_text }],
                preferred,
            });
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use proptest::prelude::*;

    use super::*;
    use crate::compose::model::Str;
    use crate::workspace::{Document, FileKind};

    fn text(parts: &[&str]) -> String {
        parts.join("/")
    }

    fn segment() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec!["a", "b", ".", "..", "", "x.d", " "])
    }

    proptest! {
        /// The gate never hides a Dockerfile that the lookup finds.
        #[test]
        fn the_gate_never_hides_a_dockerfile(
            docs in prop::collection::vec(prop::collection::vec(prop::sample::select(vec!["a", "b", "x.d", "Dockerfile"]), 1..4), 0..5),
            contexts in prop::collection::vec((
                prop::option::of(prop::collection::vec(segment(), 1..4)),
                prop::sample::select(vec!["", "./", "/w/", "../"]),
                prop::option::of(prop::collection::vec(prop::sample::select(vec!["Dockerfile", "a", "..", "x.d", "/w"]), 1..3)),
            ), 1..8),
        ) {
            let mut snap = Snapshot::new(Vec::new());
            for d in &docs {
                let p: Arc<Path> = Arc::from(Path::new(&format!("/w/{}", text(d))));
                snap.insert(Document::new(p, FileKind::Dockerfile, None, "FROM x\n"));
            }
            let from = Path::new("/w/compose.yaml");
            let mut seen = Folders::default();
            let builds: Vec<Build> = contexts
                .iter()
                .map(|(ctx, lead, file)| Build {
                    range: 0..0,
                    context: ctx.as_ref().map(|c| Str { text: format!("{lead}{}", text(c)), range: 0..0 }),
                    dockerfile: file.as_ref().map(|f| Str { text: text(f), range: 0..0 }),
                    dockerfile_inline: false,
                    target: None,
                    args: Vec::new(),
                    args_range: None,
                })
                .collect();
            for b in &builds {
                let found = crate::compose::dockerfile_of(&snap, from, b).is_some();
                let may = may_have_dockerfile(&snap, Path::new("/w"), b, &mut seen);
                prop_assert!(!found || may, "{:?} {:?}", b.context, b.dockerfile);
            }
        }
    }
}

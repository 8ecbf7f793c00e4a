//! BuildKit's build checks, under BuildKit's names so `# check=skip=…` works.

use super::Ctx;
use super::cache::Facts;
use super::context::BuildContext;
use crate::diagnostics::Tag;
use crate::dockerfile::model::{Instruction, VarKind, is_predefined};
use crate::util::FastMap;

pub fn check(cx: &mut Ctx) {
    stage_names(cx);
    casing(cx);
    empty_continuations(cx);
    multiple(cx);
    variables(cx);
    from_args(cx);
    copy_ignored(cx);
}

fn raw<'a>(cx: &Ctx<'a>, r: &std::ops::Range<usize>) -> &'a str {
    cx.text.get(r.clone()).unwrap_or("")
}

fn stage_names(cx: &mut Ctx) {
    let m = cx.m;
    let mut seen: FastMap<std::borrow::Cow<str>, usize> = FastMap::default();
    seen.reserve(m.stages.len());
    for s in &m.stages {
        let (Some(name), Some(r)) = (&s.name, &s.name_range) else { continue };
        if name.chars().any(|c| c.is_ascii_uppercase()) {
            let lower = name.to_ascii_lowercase();
            let mut edits = vec![(r.clone(), lower.clone())];
            edits.extend(stage_ref_ranges(cx, s.index).into_iter().map(|r| (r, lower.clone())));
            let fix = cx.fix(format!("Rename the stage to `{lower}`"), edits);
            cx.report(
                "StageNameCasing",
                r.clone(),
                format!("Stage name `{name}` should be lowercase"),
            )
            .with_fix_mut(fix);
        }
        // Most names are lowercase already: no copy then.
        let lower: std::borrow::Cow<str> = if name.bytes().any(|b| b.is_ascii_uppercase()) {
            name.to_ascii_lowercase().into()
        } else {
            name.as_str().into()
        };
        if lower == "scratch" || lower == "context" {
            cx.report(
                "ReservedStageName",
                r.clone(),
                format!("`{lower}` is a reserved word and cannot name a stage"),
            );
        }
        match seen.get(&lower) {
            Some(&first) => {
                let fr = m.stages[first].name_range.clone().unwrap_or(0..0);
                let path = cx.doc.path.clone();
                let d = cx.report(
                    "DuplicateStageName",
                    r.clone(),
                    format!("A stage named `{name}` already exists; stage names must be unique"),
                );
                d.related.push(crate::diagnostics::Related {
                    location: crate::diagnostics::Location { path, range: fr },
                    message: "first defined here".into(),
                });
            }
            None => {
                seen.insert(lower, s.index);
            }
        }
    }
}

/// Places that name stage `index`: `FROM <stage>`, `COPY --from=<stage>`, `--mount=from=<stage>`.
pub fn stage_ref_ranges(cx: &Ctx, index: usize) -> Vec<std::ops::Range<usize>> {
    crate::dockerfile::navigate::stage_refs(cx.m, index).into_iter().map(|(r, _)| r).collect()
}

trait WithFix {
    fn with_fix_mut(&mut self, fix: crate::diagnostics::Fix);
}
impl WithFix for crate::diagnostics::Diagnostic {
    fn with_fix_mut(&mut self, fix: crate::diagnostics::Fix) {
        self.fixes.push(fix);
    }
}

fn casing(cx: &mut Ctx) {
    let m = cx.m;
    // Keywords are classified once: (no lowercase letter, no uppercase letter).
    let class = |k: &str| {
        let b = k.as_bytes();
        (!b.iter().any(u8::is_ascii_lowercase), !b.iter().any(u8::is_ascii_uppercase))
    };
    let (mut upper, mut lower) = (0, 0);
    for i in &m.instructions {
        match class(raw(cx, &i.keyword_range)) {
            (true, _) => upper += 1,
            (false, true) => lower += 1,
            _ => {}
        }
    }
    let want_upper = upper >= lower;
    // Nothing to report when every keyword already has the wanted casing.
    if (want_upper && upper == m.instructions.len())
        || (!want_upper && lower == m.instructions.len())
    {
        return casing_from_as(cx);
    }
    for i in &m.instructions {
        let k = raw(cx, &i.keyword_range);
        let (no_lower, no_upper) = class(k);
        let ok = if want_upper { no_lower } else { no_upper };
        if !ok {
            let new = if want_upper { k.to_ascii_uppercase() } else { k.to_ascii_lowercase() };
            let fix = cx.fix(format!("Change to `{new}`"), vec![(i.keyword_range.clone(), new)]);
            let case = if want_upper { "uppercase" } else { "lowercase" };
            cx.report(
                "ConsistentInstructionCasing",
                i.keyword_range.clone(),
                format!("`{k}` should be {case}, like the other instructions in this file"),
            )
            .with_fix_mut(fix);
        }
    }
    casing_from_as(cx);
}

fn casing_from_as(cx: &mut Ctx) {
    let m = cx.m;
    for s in &m.stages {
        let Some(ar) = &s.as_range else { continue };
        let from = raw(cx, &m.instructions[s.from].keyword_range);
        let as_kw = raw(cx, ar);
        let from_upper = from.chars().all(|c| !c.is_ascii_lowercase());
        let from_lower = from.chars().all(|c| !c.is_ascii_uppercase());
        let as_upper = as_kw == "AS";
        let as_lower = as_kw == "as";
        if (from_upper && !as_upper) || (from_lower && !as_lower) {
            let new = if from_upper { "AS" } else { "as" };
            let fix = cx.fix(format!("Change to `{new}`"), vec![(ar.clone(), new.into())]);
            cx.report(
                "FromAsCasing",
                ar.clone(),
                format!("`{as_kw}` should match the casing of `{from}`"),
            )
            .with_fix_mut(fix);
        }
    }
}

fn empty_continuations(cx: &mut Ctx) {
    for r in cx.m.empty_continuations.clone() {
        let fix = cx.fix("Remove the empty line", vec![(r.clone(), String::new())]);
        let line_end = cx.text[r.clone()].trim_end_matches(['\n', '\r']).len() + r.start;
        cx.report(
            "NoEmptyContinuation",
            r.start..line_end,
            "Empty line inside a continued instruction; this will become an error in a future Docker release",
        )
        .with_fix_mut(fix);
    }
}

const SHELL_META: &[char] =
    &['$', '&', '|', ';', '<', '>', '*', '?', '`', '(', ')', '"', '\'', '\\', '~', '#', '{', '['];

/// The checks of one instruction (see `super::cache`: they read nothing else but `f`).
pub fn check_instruction(cx: &mut Ctx, i: &Instruction, f: &Facts) {
    let m = cx.m;
    match i.keyword.as_str() {
        "CMD" | "ENTRYPOINT"
            if i.json.is_none() && !i.args_text.trim().is_empty() && !f.stage_has_shell =>
        {
            let path = cx.doc.path.clone();
            let d = cx.report(
                "JSONArgsRecommended",
                i.args_range.clone(),
                format!(
                    "Use the JSON form for {}: in shell form the process runs under `/bin/sh -c` and does not receive stop signals such as SIGTERM",
                    i.keyword
                ),
            );
            let words = i.args_text.split_whitespace().collect::<Vec<_>>();
            if !i.args_text.contains(SHELL_META) && !i.multiline {
                let json = format!(
                    "[{}]",
                    words.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(", ")
                );
                d.fixes.push(crate::diagnostics::Fix::local(
                    "Convert to the JSON form",
                    &path,
                    vec![(i.args_range.clone(), json)],
                    true,
                ));
            }
        }
        "MAINTAINER" => {
            let who = i.args_text.trim().trim_matches('"').replace('"', "\\\"");
            let fix = cx.fix(
                "Replace with a LABEL",
                vec![(
                    i.keyword_range.start..i.range.end,
                    format!("LABEL org.opencontainers.image.authors=\"{who}\""),
                )],
            );
            cx.report(
                "MaintainerDeprecated",
                i.keyword_range.clone(),
                "MAINTAINER is deprecated; record the author with `LABEL org.opencontainers.image.authors=…`",
            )
            .with_fix_mut(fix);
            if let Some(d) = cx.out_last() {
                d.tags.push(Tag::Deprecated);
            }
        }
        "ENV" | "LABEL" => legacy_pairs(cx, i),
        _ => {}
    }
    if matches!(i.keyword.as_str(), "ARG" | "ENV") {
        secrets(cx, i);
    }
    if i.keyword == "EXPOSE" {
        expose(cx, i);
    }
    if i.keyword == "WORKDIR" {
        workdir(cx, i, f);
    }
    if i.keyword == "FROM"
        && let Some(f) = i.flag("platform")
        && let (Some(v), Some(r)) = (&f.value, &f.value_range)
    {
        if v == "$TARGETPLATFORM" || v == "${TARGETPLATFORM}" {
            let fix = cx.fix(
                "Remove the --platform flag",
                vec![(f.range.start..f.range.end + 1, String::new())],
            );
            cx.report(
                    "RedundantTargetPlatform",
                    r.clone(),
                    "`--platform=$TARGETPLATFORM` is redundant: stages build for the target platform by default",
                )
                .with_fix_mut(fix);
        } else if !v.contains('$') {
            if let Some(img) = i.stage.and_then(|s| m.stages[s].image.as_ref())
                && let Some(image_os) = static_image_os(img)
            {
                let wanted = v.split('/').next().unwrap_or("").to_ascii_lowercase();
                if (wanted == "linux" || wanted == "windows") && wanted != image_os {
                    cx.report(
                        "InvalidBaseImagePlatform",
                        img.range.clone(),
                        format!(
                            "`{}` is a {image_os} image, but this stage is built for `{v}`",
                            img.text
                        ),
                    );
                }
            }
            let stage_name = i.stage.and_then(|s| m.stages[s].lower_name()).unwrap_or_default();
            let arch = v.split('/').nth(1).unwrap_or(v).to_ascii_lowercase();
            if stage_name.is_empty() || !stage_name.contains(&arch) {
                cx.report(
                        "FromPlatformFlagConstDisallowed",
                        r.clone(),
                        format!("`--platform={v}` pins this stage to one platform; use a build argument such as `$BUILDPLATFORM` or pass `--platform` to the build"),
                    );
            }
        }
    }
}

/// The operating system an image is built for, when its name or tag says so for certain
/// (Windows base images and Windows-only tags; Linux distribution tags).
fn static_image_os(img: &crate::dockerfile::model::ImageRef) -> Option<&'static str> {
    if img.text.contains('$') {
        return None;
    }
    let name = img.name.to_ascii_lowercase();
    let tag = img.tag.as_deref().unwrap_or("").to_ascii_lowercase();
    let windows = name.starts_with("mcr.microsoft.com/windows")
        || name.starts_with("mcr.microsoft.com/dotnet/framework")
        || tag.contains("windowsservercore")
        || tag.contains("nanoserver")
        || tag.starts_with("ltsc");
    if windows {
        return Some("windows");
    }
    let linux_tags =
        ["alpine", "slim", "bookworm", "bullseye", "buster", "jammy", "noble", "focal"];
    let linux_names =
        ["alpine", "debian", "ubuntu", "busybox", "fedora", "archlinux", "rockylinux"];
    let short = name.rsplit('/').next().unwrap_or(&name);
    if linux_tags.iter().any(|t| tag.contains(t)) || linux_names.contains(&short) {
        return Some("linux");
    }
    None
}

impl Ctx<'_> {
    fn out_last(&mut self) -> Option<&mut crate::diagnostics::Diagnostic> {
        self.out.last_mut().map(|(d, _)| d)
    }
}

fn legacy_pairs(cx: &mut Ctx, i: &Instruction) {
    let Some(p) = i.pairs.first().filter(|p| p.legacy) else { return };
    let value = p.value.clone().unwrap_or_default();
    let quoted = if value.is_empty() || value.contains([' ', '\t', '"', '\'']) {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        value
    };
    let vr = p.value_range.clone().unwrap_or(p.key_range.end..p.key_range.end);
    let mut d_fix = None;
    if !i.multiline {
        d_fix = Some(cx.fix(
            format!("Change to `{}={quoted}`", p.key),
            vec![(p.key_range.start..vr.end.max(p.key_range.end), format!("{}={quoted}", p.key))],
        ));
    }
    let d = cx.report(
        "LegacyKeyValueFormat",
        i.keyword_range.start..p.key_range.end,
        format!("Use `{} {}=value`: the space-separated form is deprecated", i.keyword, p.key),
    );
    if let Some(f) = d_fix {
        d.fixes.push(f);
    }
}

fn secrets(cx: &mut Ctx, i: &Instruction) {
    const WORDS: &[&str] = &[
        "apikey",
        "auth",
        "credential",
        "credentials",
        "key",
        "password",
        "pword",
        "passwd",
        "secret",
        "token",
    ];
    for p in &i.pairs {
        let parts: Vec<String> = p.key.split('_').map(|s| s.to_ascii_lowercase()).collect();
        if parts.iter().any(|s| s == "public") {
            continue;
        }
        if parts.iter().any(|s| WORDS.contains(&s.as_str())) {
            cx.report(
                "SecretsUsedInArgOrEnv",
                p.key_range.clone(),
                format!("`{}` looks like a secret; ARG and ENV values are stored in the image history. Use a secret mount (`RUN --mount=type=secret,id=…`) instead", p.key),
            );
        }
    }
}

fn expose(cx: &mut Ctx, i: &Instruction) {
    for w in &i.args {
        if w.text.contains('$') {
            continue;
        }
        if w.text.contains(':') {
            cx.report(
                "ExposeInvalidFormat",
                w.range.clone(),
                format!("EXPOSE takes container ports only (`8000` or `8000/tcp`); `{}` includes an address or host port, which belongs to `docker run -p` or compose `ports:`", w.text),
            );
            continue;
        }
        if let Some((_, proto)) = w.text.split_once('/')
            && proto != proto.to_ascii_lowercase()
        {
            let slash = w.text.find('/').unwrap_or(0);
            let r = w.range.start + slash + 1..w.range.end;
            let fix = cx.fix(
                format!("Change to `{}`", proto.to_ascii_lowercase()),
                vec![(r.clone(), proto.to_ascii_lowercase())],
            );
            cx.report("ExposeProtoCasing", r, "The protocol should be lowercase").with_fix_mut(fix);
        }
    }
}

fn workdir(cx: &mut Ctx, i: &Instruction, f: &Facts) {
    let Some(w) = i.args.first() else { return };
    let p = &w.text;
    // Fine when absolute, or after an absolute WORKDIR in this stage or the ones it builds on.
    if p.starts_with('/') || p.starts_with('$') || is_windows_abs(p) || f.abs_workdir_set {
        return;
    }
    let fix = cx.fix(format!("Change to `/{p}`"), vec![(w.range.start..w.range.start, "/".into())]);
    cx.report(
        "WorkdirRelativePath",
        w.range.clone(),
        format!("Relative WORKDIR `{p}` depends on the base image's working directory; use an absolute path"),
    )
    .with_fix_mut(fix);
}

pub fn is_windows_abs(p: &str) -> bool {
    let b = p.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

fn multiple(cx: &mut Ctx) {
    const KINDS: [(&str, Option<&str>); 3] =
        [("CMD", Some("DL4003")), ("ENTRYPOINT", Some("DL4004")), ("HEALTHCHECK", None)];
    let m = cx.m;
    for s in &m.stages {
        // One pass to count them, a second only in a stage that has more than one.
        let mut count = [0usize; 3];
        for &j in &s.instructions {
            if let Some(k) = KINDS.iter().position(|(kw, _)| m.instructions[j].keyword == *kw) {
                count[k] += 1;
            }
        }
        for (k, &(kw, hadolint)) in KINDS.iter().enumerate() {
            if count[k] < 2 {
                continue;
            }
            // Every one but the last of the stage is overridden.
            let overridden = s
                .instructions
                .iter()
                .filter(|&&j| m.instructions[j].keyword == kw)
                .take(count[k] - 1);
            for &j in overridden {
                let r = m.instructions[j].keyword_range.clone();
                cx.report_as(
                    "MultipleInstructionsDisallowed",
                    hadolint,
                    r,
                    format!("Only the last {kw} of a stage takes effect; this one is overridden"),
                )
                .tags
                .push(Tag::Unnecessary);
            }
        }
    }
}

/// Names commonly set by base images (python, node, debian…), which berth cannot see.
pub const IMAGE_ENV: &[&str] = &[
    "PATH",
    "HOME",
    "HOSTNAME",
    "LANG",
    "LC_ALL",
    "TERM",
    "USER",
    "PWD",
    "SHELL",
    "PYTHON_VERSION",
    "PYTHON_SHA256",
    "PYTHON_PIP_VERSION",
    "PYTHON_GET_PIP_URL",
    "GPG_KEY",
    "NODE_VERSION",
    "YARN_VERSION",
    "NGINX_VERSION",
    "JAVA_HOME",
    "JAVA_VERSION",
    "GOPATH",
    "GOLANG_VERSION",
    "GOTOOLCHAIN",
    "RUSTUP_HOME",
    "CARGO_HOME",
    "RUST_VERSION",
    "VIRTUAL_ENV",
    "DEBIAN_FRONTEND",
    "PIP_NO_CACHE_DIR",
    "PYTHONUNBUFFERED",
    "PYTHONDONTWRITEBYTECODE",
    "UV_VERSION",
    "POETRY_VERSION",
    "LD_LIBRARY_PATH",
    "PKG_CONFIG_PATH",
];

fn variables(cx: &mut Ctx) {
    let m = cx.m;
    let eol = cx.eol();
    for r in &m.refs {
        if !r.expanded || r.in_from || r.has_modifier {
            continue;
        }
        let inst = &m.instructions[r.instruction];
        if m.is_defined(r.range.start, &r.name) {
            continue;
        }
        // Self-reference in the same ENV/ARG (`ENV PATH=/x:$PATH`) is resolved by the image.
        let Some(stage) = inst.stage else { continue };
        let root_is_scratch =
            root_image(cx, stage).is_some_and(|i| i.eq_ignore_ascii_case("scratch"));
        if !root_is_scratch && IMAGE_ENV.contains(&r.name.as_str()) {
            continue;
        }
        let indent = cx.indent_at(inst.range.start).to_string();
        let at = cx.line_start(inst.range.start);
        let mut fixes = Vec::new();
        let msg = if is_predefined(&r.name) {
            fixes.push(cx.fix(
                format!("Add `ARG {}` to this stage", r.name),
                vec![(at..at, format!("{indent}ARG {}{eol}", r.name))],
            ));
            format!(
                "`{}` is predefined by BuildKit but visible only in FROM lines; declare `ARG {}` in this stage to use it",
                r.name, r.name
            )
        } else if m.global_args.iter().any(|g| g.name == r.name) {
            fixes.push(cx.fix(
                format!("Redeclare `ARG {}` in this stage", r.name),
                vec![(at..at, format!("{indent}ARG {}{eol}", r.name))],
            ));
            format!(
                "`{}` is a global ARG, visible only in FROM lines; redeclare it with `ARG {}` in this stage",
                r.name, r.name
            )
        } else {
            let scope = m.vars_in_scope(r.range.start);
            let close = scope
                .iter()
                .filter(|d| d.kind != VarKind::Predefined)
                .map(|d| (strsim::levenshtein(&d.name, &r.name), d))
                .filter(|(n, d)| *n <= 2 && *n < d.name.len())
                .min_by_key(|(n, _)| *n);
            if let Some((_, d)) = close {
                fixes.push(cx.fix(
                    format!("Change to `{}`", d.name),
                    vec![(r.name_range.clone(), d.name.clone())],
                ));
            }
            fixes.push(cx.alt_fix(
                format!("Add `ARG {}`", r.name),
                vec![(at..at, format!("{indent}ARG {}{eol}", r.name))],
            ));
            if fixes.len() > 1 {
                fixes[1].preferred = false;
            }
            match close {
                Some((_, d)) => {
                    format!("`{}` is not defined here; did you mean `{}`?", r.name, d.name)
                }
                None => format!(
                    "`{}` is not defined in this stage: it expands to an empty string",
                    r.name
                ),
            }
        };
        let d = cx.report("UndefinedVar", r.name_range.clone(), msg);
        d.fixes.extend(fixes);
    }
}

/// The image a stage ultimately builds on (following `FROM <stage>`).
fn root_image<'a>(cx: &Ctx<'a>, mut stage: usize) -> Option<&'a str> {
    let m = cx.m;
    for _ in 0..=m.stages.len() {
        let s = &m.stages[stage];
        match s.base_stage {
            Some(b) if b < stage => stage = b,
            _ => return s.image.as_ref().map(|i| i.text.as_str()),
        }
    }
    None
}

fn from_args(cx: &mut Ctx) {
    let m = cx.m;
    let eol = cx.eol();
    let first_from = m.stages.first().map(|s| cx.line_start(m.instructions[s.from].range.start));
    for r in m.refs.iter().filter(|r| r.in_from) {
        if r.has_modifier || is_predefined(&r.name) {
            continue;
        }
        if m.global_args.iter().any(|g| g.name == r.name && g.visible_from <= r.range.start) {
            continue;
        }
        let at = first_from.unwrap_or(0);
        let fix = cx.fix(
            format!("Declare `ARG {}` before the first FROM", r.name),
            vec![(at..at, format!("ARG {}{eol}", r.name))],
        );
        cx.report(
            "UndefinedArgInFrom",
            r.name_range.clone(),
            format!(
                "`{}` is not declared: FROM lines can only use ARGs declared before the first FROM",
                r.name
            ),
        )
        .with_fix_mut(fix);
    }
    // InvalidDefaultArgInFrom: with the defaults, the image reference must be valid. Large
    // files name the same few images stage after stage: each text is expanded once.
    let mut seen: FastMap<&str, Option<String>> = FastMap::default();
    for s in &m.stages {
        let Some(im) = &s.image else { continue };
        if !im.text.contains('$') {
            continue;
        }
        if let Some(invalid) = seen.get(im.text.as_str()) {
            if let Some(expanded) = invalid {
                report_invalid_default(cx, im, expanded);
            }
            continue;
        }
        let mut uses_unknown = false;
        let expanded = expand(&im.text, &mut |name, modifier| {
            if is_predefined(name) || modifier {
                uses_unknown = true;
                return None;
            }
            m.global_args
                .iter()
                .rev()
                .find(|g| g.name == name)
                .map(|g| g.value.clone().unwrap_or_default())
        });
        let invalid =
            expanded.filter(|e| !uses_unknown && !crate::dockerfile::image::is_valid_reference(e));
        if let Some(expanded) = &invalid {
            report_invalid_default(cx, im, expanded);
        }
        seen.insert(&im.text, invalid);
    }
}

fn report_invalid_default(cx: &mut Ctx, im: &crate::dockerfile::model::ImageRef, expanded: &str) {
    cx.report(
        "InvalidDefaultArgInFrom",
        im.range.clone(),
        format!("With the default build arguments this image is `{expanded}`, which is not a valid reference; give the ARG a default value"),
    );
}

/// Expand `$X`/`${X}` with `lookup` (None when a variable is unknown: the result is then None
/// only if the lookup says so). `modifier` is true for `${X:-…}` and friends.
fn expand(s: &str, lookup: &mut dyn FnMut(&str, bool) -> Option<String>) -> Option<String> {
    let b = s.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    let mut unknown = false;
    while i < b.len() {
        if b[i] == b'$' {
            let (name, modifier, end) = if b.get(i + 1) == Some(&b'{') {
                let close = s[i..].find('}').map_or(b.len(), |c| i + c);
                let inner = &s[(i + 2).min(close)..close];
                let n = inner.split([':', '-', '+', '?']).next().unwrap_or("");
                (n, n.len() < inner.len(), (close + 1).min(b.len()))
            } else {
                let mut j = i + 1;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                    j += 1;
                }
                (&s[i + 1..j], false, j)
            };
            match lookup(name, modifier) {
                Some(v) => out.push_str(&v),
                None => unknown = true,
            }
            i = end.max(i + 1);
        } else {
            let ch = s[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    (!unknown).then_some(out)
}

fn copy_ignored(cx: &mut Ctx) {
    let m = cx.m;
    if !m.instructions.iter().any(|i| i.keyword == "COPY" || i.keyword == "ADD") {
        return;
    }
    let Some(ctx) = BuildContext::of(cx.snap, &cx.doc.path) else { return };
    if !ctx.has_ignore_file() {
        return;
    }
    for i in &m.instructions {
        let srcs = i.context_sources();
        for w in srcs {
            if w.text.contains("://") || w.text.contains('$') || w.text.contains(['*', '?', '[']) {
                continue;
            }
            if ctx.is_ignored(&w.text) {
                cx.report(
                    "CopyIgnoredFile",
                    w.range.clone(),
                    format!(
                        "`{}` is excluded by .dockerignore, so {} will not find it",
                        w.text, i.keyword
                    ),
                );
            }
        }
    }
}

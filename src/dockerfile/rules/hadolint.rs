//! hadolint's rules, under hadolint's codes so `# hadolint ignore=DL3008` works. Shell-level
//! rules read RUN commands with [`super::shell`]; they stay quiet for Windows images (`#
//! escape=\``, or a `SHELL` that is not a POSIX shell), where RUN is not `sh`.

use super::Ctx;
use super::cache::Facts;
use super::shell::{Script, ShWord, run_scripts};
use crate::dockerfile::model::Instruction;

pub fn check(cx: &mut Ctx) {
    let m = cx.m;
    images(cx);
    final_stage(cx);
    for (idx, i) in m.instructions.iter().enumerate() {
        if i.keyword == "ENV" {
            env_self_ref(cx, idx, i);
        }
    }
    consecutive_runs(cx);
}

/// The checks of one instruction (see `super::cache`).
pub fn check_instruction(cx: &mut Ctx, i: &Instruction, f: &Facts) {
    match i.keyword.as_str() {
        "RUN" => run(cx, i, f),
        "ADD" => add(cx, i),
        "COPY" => copy(cx, i, f),
        _ => {}
    }
}

fn images(cx: &mut Ctx) {
    let m = cx.m;
    for s in &m.stages {
        let Some(im) = &s.image else { continue };
        if s.base_stage.is_some()
            || im.text.contains('$')
            || im.text.eq_ignore_ascii_case("scratch")
        {
            continue;
        }
        if im.tag.is_none() && im.digest.is_none() {
            cx.report(
                "DL3006",
                im.range.clone(),
                format!("Pin a tag for `{}` (for example `{}:<version>`); without one the build follows `latest`", im.name, im.name),
            );
        } else if im.tag.as_deref() == Some("latest") && im.digest.is_none() {
            cx.report(
                "DL3007",
                im.range.clone(),
                "`latest` changes over time; pin a specific version tag",
            );
        }
    }
}

fn final_stage(cx: &mut Ctx) {
    let m = cx.m;
    let Some(last) = m.stages.last() else { return };
    // DL3002: the last USER of the final stage should not be root.
    let user =
        last.instructions.iter().rev().map(|&j| &m.instructions[j]).find(|i| i.keyword == "USER");
    if let Some(u) = user
        && let Some(w) = u.args.first()
    {
        let name = w.text.split(':').next().unwrap_or("");
        if name == "root" || name == "0" {
            cx.report(
                "DL3002",
                w.range.clone(),
                "The image runs as root; switch to an unprivileged USER at the end",
            );
        }
    }
    // DL3057: no HEALTHCHECK in the final stage or the stages it builds on.
    let mut stage = Some(last.index);
    let mut guard = 0;
    while let Some(s) = stage {
        if m.stages[s].instructions.iter().any(|&j| m.instructions[j].keyword == "HEALTHCHECK") {
            return;
        }
        stage = m.stages[s].base_stage.filter(|&b| b < s);
        guard += 1;
        if guard > m.stages.len() {
            return;
        }
    }
    let from = &m.instructions[last.from];
    cx.report(
        "DL3057",
        from.keyword_range.clone(),
        "The final image has no HEALTHCHECK (compose can still define one)",
    );
}

fn has(words: &[ShWord], flags: &[&str]) -> bool {
    words
        .iter()
        .any(|w| flags.iter().any(|f| w.text == *f || (f.ends_with('=') && w.text.starts_with(f))))
}

/// The arguments of an `install`-like subcommand (words after it that are not options).
fn packages<'w>(words: &'w [ShWord], sub: &str) -> Vec<&'w ShWord> {
    let Some(p) = words.iter().position(|w| w.text == sub) else { return Vec::new() };
    words[p + 1..].iter().filter(|w| !w.text.starts_with('-')).collect()
}

fn mount_targets(i: &Instruction) -> Vec<String> {
    i.flags
        .iter()
        .filter(|f| f.name == "mount")
        .filter_map(|f| f.value.as_ref())
        .flat_map(|v| {
            v.split(',')
                .filter_map(|p| {
                    p.split_once('=')
                        .filter(|(k, _)| matches!(*k, "target" | "dst" | "destination"))
                        .map(|(_, v)| v.to_string())
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

fn run(cx: &mut Ctx, i: &Instruction, f: &Facts) {
    if !f.posix {
        return;
    }
    let scripts = run_scripts(i, cx.text);
    let targets = mount_targets(i);
    let pip_env = f.pip_env;
    let single_line = i.heredocs.is_empty() && !i.multiline;
    for sc in &scripts {
        for c in &sc.commands {
            match c[0].text.as_str() {
                "cd" => {
                    cx.report(
                        "DL3003",
                        c[0].range.clone(),
                        "Use WORKDIR to change directory instead of `cd`",
                    );
                }
                "sudo" => {
                    cx.report("DL3004", c[0].range.clone(), "Do not use sudo: RUN already runs as the current USER; switch with USER if needed");
                }
                "apt"
                    if c.get(1).is_some_and(|w| {
                        matches!(
                            w.text.as_str(),
                            "install" | "update" | "upgrade" | "remove" | "purge"
                        )
                    }) =>
                {
                    let fix = cx.fix("Use `apt-get`", vec![(c[0].range.clone(), "apt-get".into())]);
                    cx.report(
                        "DL3027",
                        c[0].range.clone(),
                        "`apt` is meant for interactive use; use `apt-get` in scripts",
                    )
                    .fixes
                    .push(fix);
                }
                _ => {}
            }
        }
        for c in sc.calls("apt-get") {
            apt_get(cx, i, f, sc, c, &targets, single_line);
        }
        for prog in ["pip", "pip3"] {
            for c in sc.calls(prog) {
                pip(cx, c, &targets, pip_env);
            }
        }
        for c in sc.commands.iter().filter(|c| {
            c.len() > 3
                && c[0].text.starts_with("python")
                && c[1].text == "-m"
                && c[2].text.starts_with("pip")
        }) {
            pip(cx, &c[2..], &targets, pip_env);
        }
        for c in sc.calls("wget") {
            if !has(
                c,
                &["-q", "--quiet", "-nv", "--no-verbose", "--progress=", "-qO-", "-qO", "-nc"],
            ) {
                cx.report("DL3047", c[0].range.clone(), "`wget` without `--progress=dot:giga` (or `-q`) floods the build log with a progress bar");
            }
        }
        for c in sc.calls("npm") {
            for p in packages(c, "install") {
                let name = p.text.trim_start_matches('@');
                if !name.contains('@') && !p.text.contains(['/', '.']) {
                    cx.report(
                        "DL3016",
                        p.range.clone(),
                        format!("Pin the version of `{}` (`{}@<version>`)", p.text, p.text),
                    );
                }
            }
        }
        for c in sc.calls("apk") {
            for p in packages(c, "add") {
                if !p.text.contains('=') {
                    cx.report(
                        "DL3018",
                        p.range.clone(),
                        format!("Pin the version of `{}` (`{}=<version>`)", p.text, p.text),
                    );
                }
            }
        }
        for c in sc.calls("gem") {
            if has(c, &["-v", "--version"]) {
                continue;
            }
            for p in packages(c, "install") {
                if !p.text.contains(':') {
                    cx.report(
                        "DL3028",
                        p.range.clone(),
                        format!("Pin the version of `{}` (`{}:<version>`)", p.text, p.text),
                    );
                }
            }
        }
        if !sc.pipes.is_empty() && !f.pipefail {
            let starts_with_set = sc.commands.first().is_some_and(|c| {
                c[0].text == "set"
                    && c.iter().any(|w| {
                        w.text == "pipefail"
                            || w.text.contains("o")
                                && w.text.starts_with('-')
                                && c.iter().any(|w| w.text == "pipefail")
                    })
            });
            if !starts_with_set {
                cx.report(
                    "DL4006",
                    sc.pipes[0].clone(),
                    "A failing command before `|` does not fail the build; add `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before this RUN",
                );
            }
        }
    }
}

fn apt_get(
    cx: &mut Ctx,
    i: &Instruction,
    f: &Facts,
    sc: &Script,
    c: &[ShWord],
    targets: &[String],
    single_line: bool,
) {
    let m = cx.m;
    let Some(inst_pos) = c.iter().position(|w| w.text == "install") else { return };
    let install = &c[inst_pos];
    let span = c[0].range.start..install.range.end;
    if !has(c, &["-y", "--yes", "-qq", "-q=2", "--assume-yes", "-yq", "-qy", "-yqq", "-qqy"]) {
        let fix = cx.fix("Add `-y`", vec![(install.range.end..install.range.end, " -y".into())]);
        cx.report(
            "DL3014",
            span.clone(),
            "`apt-get install` without `-y` waits for a confirmation that never comes",
        )
        .fixes
        .push(fix);
    }
    if !has(c, &["--no-install-recommends"])
        && !c.iter().any(|w| w.text.contains("Install-Recommends"))
    {
        let fix = cx.fix(
            "Add `--no-install-recommends`",
            vec![(install.range.end..install.range.end, " --no-install-recommends".into())],
        );
        cx.report(
            "DL3015",
            span.clone(),
            "Add `--no-install-recommends` to avoid pulling in unneeded packages",
        )
        .fixes
        .push(fix);
    }
    for p in &c[inst_pos + 1..] {
        if !p.text.starts_with('-') && !p.text.contains('=') && !p.text.contains('$') {
            cx.report(
                "DL3008",
                p.range.clone(),
                format!("Pin the version of `{}` (`{}=<version>`)", p.text, p.text),
            );
        }
    }
    // DL3009: clean the lists in the same layer, unless they live in a cache mount or this
    // stage is only a builder (not part of the final image).
    let cleaned = sc
        .calls("rm")
        .any(|r| r.iter().any(|w| w.text.starts_with("/var/lib/apt/lists")))
        || targets.iter().any(|t| t.starts_with("/var/lib/apt") || t.starts_with("/var/cache/apt"));
    if !cleaned && f.in_final {
        let mut d_fixes = Vec::new();
        if i.json.is_none() && i.heredocs.is_empty() {
            let end = i.args_range.end;
            let esc = m.escape;
            let text = if single_line {
                " && rm -rf /var/lib/apt/lists/*".to_string()
            } else {
                format!(" {esc}{}    && rm -rf /var/lib/apt/lists/*", cx.eol())
            };
            d_fixes.push(cx.fix("Remove the apt lists in the same RUN", vec![(end..end, text)]));
        }
        cx.report("DL3009", span, "Delete `/var/lib/apt/lists/*` in the same RUN after installing, to keep the layer small")
            .fixes
            .extend(d_fixes);
    }
}

fn pip(cx: &mut Ctx, c: &[ShWord], targets: &[String], pip_env: bool) {
    let Some(pos) = c.iter().position(|w| w.text == "install") else { return };
    let install = &c[pos];
    let cache_mounted = targets.iter().any(|t| t.contains(".cache/pip") || t.contains("pip-cache"));
    if !pip_env && !cache_mounted && !has(c, &["--no-cache-dir"]) {
        let fix = cx.fix(
            "Add `--no-cache-dir`",
            vec![(install.range.end..install.range.end, " --no-cache-dir".into())],
        );
        cx.report(
            "DL3042",
            c[0].range.start..install.range.end,
            "Add `--no-cache-dir` (or use a cache mount): pip's download cache otherwise ends up in the image",
        )
        .fixes
        .push(fix);
    }
    let mut skip_next = false;
    for w in &c[pos + 1..] {
        if skip_next {
            skip_next = false;
            continue;
        }
        if matches!(
            w.text.as_str(),
            "-r" | "--requirement"
                | "-c"
                | "--constraint"
                | "-e"
                | "--editable"
                | "-i"
                | "--index-url"
                | "--extra-index-url"
                | "--target"
                | "-t"
                | "--prefix"
        ) {
            skip_next = true;
            continue;
        }
        let t = &w.text;
        if t.starts_with('-')
            || t.starts_with('.')
            || t.starts_with('/')
            || t.contains("://")
            || t.ends_with(".whl")
            || t.contains('$')
        {
            continue;
        }
        if !t.contains(['=', '<', '>', '~', '@']) {
            cx.report(
                "DL3013",
                w.range.clone(),
                format!("Pin the version of `{t}` (`{t}==<version>`)"),
            );
        }
    }
}

const ARCHIVES: &[&str] = &[
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".gz", ".bz2",
    ".xz", ".zip",
];

fn add(cx: &mut Ctx, i: &Instruction) {
    if !i.heredocs.is_empty() {
        return;
    }
    let words = i.json.as_ref().unwrap_or(&i.args);
    let Some((_, srcs)) = words.split_last() else { return };
    if srcs.is_empty() {
        return;
    }
    let special = |t: &str| {
        t.contains("://")
            || t.starts_with("git@")
            || ARCHIVES.iter().any(|a| t.to_ascii_lowercase().ends_with(a))
            || t.contains('$')
    };
    if srcs.iter().any(|w| special(&w.text)) {
        return;
    }
    let mut d_fix = None;
    if !i.flags.iter().any(|f| matches!(f.name.as_str(), "checksum" | "keep-git-dir" | "unpack")) {
        d_fix = Some(cx.fix(
            "Use COPY",
            vec![(
                i.keyword_range.clone(),
                if cx.text[i.keyword_range.clone()].chars().all(|c| !c.is_ascii_uppercase()) {
                    "copy".into()
                } else {
                    "COPY".into()
                },
            )],
        ));
    }
    let d = cx.report(
        "DL3020",
        i.keyword_range.clone(),
        "Use COPY for local files; ADD is for URLs and archives to extract",
    );
    d.fixes.extend(d_fix);
}

fn copy(cx: &mut Ctx, i: &Instruction, f: &Facts) {
    let m = cx.m;
    if !i.heredocs.is_empty() {
        return;
    }
    let words = i.json.as_ref().unwrap_or(&i.args);
    if words.len() > 2 {
        let dest = &words[words.len() - 1];
        if !dest.text.ends_with('/') && !dest.text.ends_with('\\') && !dest.text.contains('$') {
            let fix = cx.fix(
                format!("Change to `{}/`", dest.text),
                vec![(dest.range.end..dest.range.end, "/".into())],
            );
            cx.report(
                "DL3021",
                dest.range.clone(),
                "With several sources the destination must be a directory ending in `/`",
            )
            .fixes
            .push(fix);
        }
    }
    // DL3045: a relative destination without a WORKDIR set in this stage (or its bases).
    if let Some(dest) = words.last().filter(|_| words.len() >= 2) {
        let t = &dest.text;
        let relative = !(t.starts_with('/')
            || t.starts_with('$')
            || t.starts_with('\\')
            || super::buildkit::is_windows_abs(t));
        if relative && m.escape != '`' && !f.workdir_set {
            cx.report("DL3045", dest.range.clone(), format!("`{t}` is relative to a working directory this Dockerfile never sets; add a WORKDIR or use an absolute path"));
        }
    }
    // DL3022 / DL3023: --from must name an earlier stage.
    if let Some(f) = i.flag("from")
        && let (Some(v), Some(r)) = (&f.value, &f.value_range)
        && !v.contains('$')
    {
        let cur = i.stage.unwrap_or(0);
        let target = m.stage_by_ref(v);
        match target {
            Some(t) if t.index == cur => {
                cx.report("DL3023", r.clone(), "COPY --from cannot copy from the stage it is in");
            }
            Some(t) if t.index > cur => {
                cx.report(
                    "DL3022",
                    r.clone(),
                    format!(
                        "Stage `{v}` is defined after this COPY; --from must name an earlier stage"
                    ),
                );
            }
            Some(_) => {}
            None if !v.contains([':', '/', '@'])
                && v.parse::<usize>().is_err()
                && !super::berth::is_close_to_stage(m, v) =>
            {
                cx.report("DL3022", r.clone(), format!("`{v}` is not a stage of this Dockerfile, so it is pulled as an image; name a stage defined with `AS {v}` or give an image tag"));
            }
            None => {}
        }
    }
}

fn env_self_ref(cx: &mut Ctx, idx: usize, i: &Instruction) {
    let m = cx.m;
    // References are in instruction order: this instruction's are one slice.
    let first = m.refs.partition_point(|r| r.instruction < idx);
    let end = first + m.refs[first..].partition_point(|r| r.instruction == idx);
    for r in &m.refs[first..end] {
        let Some(pos) = i.pairs.iter().position(|p| p.key == r.name) else { continue };
        // `PATH=/x:$PATH` refers to the old value on purpose; only earlier pairs count.
        let own = i.pairs.iter().rev().find(|p| p.key_range.start <= r.range.start);
        if own.is_some_and(|p| p.key == r.name) {
            continue;
        }
        let defined_before = i.pairs[pos].key_range.end <= r.range.start;
        if defined_before && !m.is_defined(i.range.start, &r.name) {
            cx.report(
                "DL3044",
                r.name_range.clone(),
                format!("`{}` is set in this same ENV, so this reference still sees the old (empty) value; split it into two ENV lines", r.name),
            );
        }
    }
}

fn consecutive_runs(cx: &mut Ctx) {
    let m = cx.m;
    let eol = cx.eol();
    for w in m.instructions.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        if a.keyword != "RUN" || b.keyword != "RUN" || a.stage != b.stage {
            continue;
        }
        let flags = |i: &Instruction| {
            i.flags.iter().map(|f| cx.text[f.range.clone()].to_string()).collect::<Vec<_>>()
        };
        if flags(a) != flags(b) {
            continue;
        }
        let mergeable =
            a.json.is_none() && b.json.is_none() && a.heredocs.is_empty() && b.heredocs.is_empty();
        let between_comment =
            m.comments.iter().any(|c| c.start > a.range.end && c.end < b.range.start);
        let path = cx.doc.path.clone();
        let d = cx.report(
            "DL3059",
            b.keyword_range.clone(),
            "Consecutive RUN instructions each make a layer; consider joining them with `&&`",
        );
        if mergeable && !between_comment {
            let esc = m.escape;
            d.fixes.push(crate::diagnostics::Fix::local(
                "Merge into the previous RUN",
                &path,
                vec![(a.args_range.end..b.args_range.start, format!(" {esc}{eol}    && "))],
                true,
            ));
        }
    }
}

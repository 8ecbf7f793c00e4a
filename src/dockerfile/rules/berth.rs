//! berth's own Dockerfile checks: unknown instructions and flags, bad flag values, unknown
//! stages, COPY sources missing from the build context, malformed arguments.

use super::Ctx;
use super::context::BuildContext;
use crate::dockerfile::flags::{check_value, flag_kind, flags_of};
use crate::dockerfile::image::is_valid_reference;
use crate::dockerfile::model::{Instruction, Model};

pub const INSTRUCTIONS: &[&str] = &[
    "FROM",
    "RUN",
    "CMD",
    "LABEL",
    "MAINTAINER",
    "EXPOSE",
    "ENV",
    "ADD",
    "COPY",
    "ENTRYPOINT",
    "VOLUME",
    "USER",
    "WORKDIR",
    "ARG",
    "ONBUILD",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
];

/// The checks that read the build context (files on disk change between versions).
pub fn check(cx: &mut Ctx) {
    let m = cx.m;
    let Some(ctx) = BuildContext::of(cx.snap, &cx.doc.path) else { return };
    // Large files copy the same few sources stage after stage: one answer (and message) each.
    let mut memo = crate::util::FastMap::default();
    for i in m.instructions.iter().filter(|i| i.keyword == "COPY" || i.keyword == "ADD") {
        missing_sources(cx, i, &ctx, &mut memo);
    }
}

/// The checks of one instruction (see `super::cache`).
pub fn check_instruction(cx: &mut Ctx, i: &Instruction) {
    instruction(cx, i);
    if let Some(inner) = &i.onbuild {
        instruction(cx, inner);
    }
}

fn instruction(cx: &mut Ctx, i: &Instruction) {
    let m = cx.m;
    if !INSTRUCTIONS.contains(&i.keyword.as_str()) {
        unknown_instruction(cx, i);
        return;
    }
    for f in &i.flags {
        match flag_kind(&i.keyword, &f.name) {
            None => {
                let known = flags_of(&i.keyword);
                let close = known
                    .iter()
                    .map(|(n, _)| (strsim::levenshtein(n, &f.name), *n))
                    .filter(|(d, _)| *d <= 2)
                    .min_by_key(|(d, _)| *d);
                let msg = match (close, known.is_empty()) {
                    (_, true) => format!("{} takes no flags; `--{}` is not one", i.keyword, f.name),
                    (Some((_, n)), _) => format!(
                        "Unknown flag `--{}` for {}; did you mean `--{n}`?",
                        f.name, i.keyword
                    ),
                    (None, _) => format!(
                        "Unknown flag `--{}` for {}; it accepts {}",
                        f.name,
                        i.keyword,
                        known
                            .iter()
                            .map(|(n, _)| format!("`--{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                let fix = close.map(|(_, n)| {
                    cx.fix(
                        format!("Change to `--{n}`"),
                        vec![(f.name_range.clone(), n.to_string())],
                    )
                });
                cx.report("unknown-flag", f.name_range.clone(), msg).fixes.extend(fix);
            }
            Some(kind) => {
                if let Some(why) = check_value(kind, f.value.as_deref()) {
                    let r = f.value_range.clone().unwrap_or(f.range.clone());
                    cx.report("invalid-flag-value", r, format!("`--{}` {why}", f.name));
                }
            }
        }
    }
    match i.keyword.as_str() {
        "COPY" => {
            if let Some(f) = i.flag("from")
                && let (Some(v), Some(r)) = (&f.value, &f.value_range)
            {
                stage_ref(cx, v, r.clone());
            }
            copy_arity(cx, i);
        }
        "ADD" => copy_arity(cx, i),
        "RUN" => {
            for f in i.flags.iter().filter(|f| f.name == "mount") {
                let (Some(v), Some(vr)) = (&f.value, &f.value_range) else { continue };
                let raw = &cx.text[vr.clone()];
                let mut off = 0;
                for part in raw.split(',') {
                    if let Some(from) = part.strip_prefix("from=") {
                        let s = vr.start + off + 5;
                        stage_ref(cx, from, s..s + from.len());
                    }
                    off += part.len() + 1;
                }
                let _ = v;
            }
        }
        "EXPOSE" => {
            for w in &i.args {
                if w.text.contains('$') || w.text.contains(':') {
                    continue;
                }
                let (ports, proto) = w.text.split_once('/').unwrap_or((&w.text, "tcp"));
                let port_ok = |p: &str| p.parse::<u16>().is_ok_and(|n| n > 0);
                let ok = match ports.split_once('-') {
                    Some((a, b)) => port_ok(a) && port_ok(b),
                    None => port_ok(ports),
                };
                if !ok {
                    cx.report(
                        "invalid-argument",
                        w.range.clone(),
                        format!("`{}` is not a port number (1-65535) or range", ports),
                    );
                } else if !matches!(proto.to_ascii_lowercase().as_str(), "tcp" | "udp" | "sctp") {
                    cx.report(
                        "invalid-argument",
                        w.range.clone(),
                        format!("Unknown protocol `{proto}`; use `tcp`, `udp` or `sctp`"),
                    );
                }
            }
            if i.args.is_empty() {
                cx.report(
                    "invalid-argument",
                    i.keyword_range.clone(),
                    "EXPOSE needs at least one port",
                );
            }
        }
        "HEALTHCHECK" => match i.args.first() {
            None => {
                cx.report(
                    "invalid-argument",
                    i.keyword_range.clone(),
                    "HEALTHCHECK needs `CMD <command>` or `NONE`",
                );
            }
            Some(w) if w.text.eq_ignore_ascii_case("NONE") => {
                if i.args.len() > 1 || !i.flags.is_empty() {
                    cx.report(
                        "invalid-argument",
                        i.args_range.clone(),
                        "`HEALTHCHECK NONE` takes no flags or arguments",
                    );
                }
            }
            Some(w) if w.text.eq_ignore_ascii_case("CMD") => {
                if i.args.len() == 1 {
                    cx.report(
                        "invalid-argument",
                        w.range.clone(),
                        "HEALTHCHECK CMD needs a command",
                    );
                }
            }
            Some(w) => {
                cx.report(
                    "invalid-argument",
                    w.range.clone(),
                    format!("HEALTHCHECK expects `CMD` or `NONE`, not `{}`", w.text),
                );
            }
        },
        "USER" => {
            let ok = match i.args.as_slice() {
                [w] => {
                    let parts: Vec<&str> = w.text.split(':').collect();
                    parts.len() <= 2 && parts.iter().all(|p| !p.is_empty())
                }
                _ => false,
            };
            if !ok {
                let r =
                    if i.args.is_empty() { i.keyword_range.clone() } else { i.args_range.clone() };
                cx.report(
                    "invalid-argument",
                    r,
                    "USER takes one `user`, `user:group`, `uid` or `uid:gid`",
                );
            }
        }
        "STOPSIGNAL" => {
            if let Some(w) = i.args.first()
                && !w.text.contains('$')
                && !is_signal(&w.text)
            {
                cx.report(
                    "invalid-argument",
                    w.range.clone(),
                    format!("`{}` is not a signal name (like `SIGTERM`) or number", w.text),
                );
            }
        }
        "FROM" => {
            let n = i.args.len();
            if n == 0 || n == 2 || n > 3 || (n == 3 && !i.args[1].text.eq_ignore_ascii_case("AS")) {
                let r = if n == 0 { i.keyword_range.clone() } else { i.args_range.clone() };
                cx.report("invalid-argument", r, "FROM takes an image and optionally `AS <name>`");
            } else if let Some(im) = i.args.first()
                && !im.text.contains('$')
                && !is_valid_reference(&im.text)
                && m.stage_by_name(&im.text).is_none()
            {
                cx.report(
                    "invalid-argument",
                    im.range.clone(),
                    format!("`{}` is not a valid image reference", im.text),
                );
            }
        }
        "WORKDIR" if i.args.is_empty() => {
            cx.report("invalid-argument", i.keyword_range.clone(), "WORKDIR needs a path");
        }
        _ => {}
    }
}

fn is_signal(s: &str) -> bool {
    const SIGNALS: &[&str] = &[
        "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "IOT", "BUS", "FPE", "KILL", "USR1", "SEGV",
        "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
        "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "POLL", "PWR", "SYS",
    ];
    if let Ok(n) = s.parse::<u32>() {
        return (1..=64).contains(&n);
    }
    let up = s.to_ascii_uppercase();
    let name = up.strip_prefix("SIG").unwrap_or(&up);
    SIGNALS.contains(&name) || name.starts_with("RTMIN") || name.starts_with("RTMAX")
}

fn unknown_instruction(cx: &mut Ctx, i: &Instruction) {
    let k = &i.keyword;
    let close = INSTRUCTIONS
        .iter()
        .map(|n| (strsim::damerau_levenshtein(n, k), *n))
        .filter(|(d, n)| *d == 1 || (*d == 2 && n.len() >= 5))
        .min_by_key(|(d, _)| *d);
    let raw = &cx.text[i.keyword_range.clone()];
    let lower = raw.chars().all(|c| !c.is_ascii_uppercase());
    let msg = match close {
        Some((_, n)) => format!("Unknown instruction `{raw}`; did you mean `{n}`?"),
        None => format!("Unknown instruction `{raw}`"),
    };
    let fix = close.map(|(_, n)| {
        let new = if lower { n.to_ascii_lowercase() } else { n.to_string() };
        cx.fix(format!("Change to `{new}`"), vec![(i.keyword_range.clone(), new)])
    });
    cx.report("unknown-instruction", i.keyword_range.clone(), msg).fixes.extend(fix);
}

pub fn is_close_to_stage(m: &Model, v: &str) -> bool {
    closest_stage(m, v).is_some()
}

fn closest_stage<'m>(m: &'m Model, v: &str) -> Option<&'m str> {
    let lv = v.to_ascii_lowercase();
    m.stages
        .iter()
        .filter_map(|s| s.name.as_deref())
        .map(|n| (strsim::levenshtein(&n.to_ascii_lowercase(), &lv), n))
        .filter(|(d, n)| *d > 0 && *d <= 2 && *d < n.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

fn stage_ref(cx: &mut Ctx, v: &str, r: std::ops::Range<usize>) {
    let m = cx.m;
    if v.contains('$') || m.stage_by_ref(v).is_some() {
        return;
    }
    if let Some(n) = closest_stage(m, v) {
        let fix = cx.fix(format!("Change to `{n}`"), vec![(r.clone(), n.to_string())]);
        cx.report("unknown-stage", r, format!("No stage named `{v}`; did you mean `{n}`?"))
            .fixes
            .push(fix);
    } else if !is_valid_reference(v) {
        cx.report(
            "unknown-stage",
            r,
            format!("`{v}` is neither a stage of this Dockerfile nor a valid image reference"),
        );
    }
}

/// The sources and destination of COPY/ADD read from the build context (not `--from` a
/// stage or image, not heredocs).
fn local_words(i: &Instruction) -> Option<&[crate::dockerfile::model::Word]> {
    if i.flag("from").is_some() || !i.heredocs.is_empty() {
        return None;
    }
    Some(i.json.as_ref().unwrap_or(&i.args))
}

fn copy_arity(cx: &mut Ctx, i: &Instruction) {
    let Some(words) = local_words(i) else { return };
    if words.len() < 2 {
        let r = if words.is_empty() { i.keyword_range.clone() } else { i.args_range.clone() };
        cx.report(
            "invalid-argument",
            r,
            format!("{} needs at least one source and a destination", i.keyword),
        );
    }
}

/// `memo`: per source, the message when it is missing (None too for URLs and variables).
fn missing_sources<'m>(
    cx: &mut Ctx,
    i: &'m Instruction,
    ctx: &BuildContext,
    memo: &mut crate::util::FastMap<&'m str, Option<String>>,
) {
    let Some(words) = local_words(i).filter(|w| w.len() >= 2) else { return };
    for w in &words[..words.len() - 1] {
        let t = &w.text;
        let missing = memo.entry(t.as_str()).or_insert_with(|| {
            let remote = t.contains("://") || t.starts_with("git@") || t.contains('$');
            (!remote && !ctx.exists(t)).then(|| {
                format!("`{t}` does not exist in the build context ({})", ctx.dir.display())
            })
        });
        if let Some(message) = missing {
            cx.report("copy-source-missing", w.range.clone(), message.clone());
        }
    }
}

//! Which `--flags` each instruction accepts and what kind of value they take (names and value
//! kinds only; the documentation lives in `knowledge.rs`).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// Any text.
    Text,
    /// `--link` or `--link=true|false`.
    Bool,
    OneOf(&'static [&'static str]),
    /// `30s`, `1m30s`, …
    Duration,
    Uint,
    /// Octal permissions (`755`, `0644`) or symbolic (`u+x`).
    Chmod,
    /// `type=cache,target=/root/.cache`, …
    Mount,
}

pub const FLAGS: &[(&str, &[(&str, ValueKind)])] = &[
    ("FROM", &[("platform", ValueKind::Text)]),
    (
        "RUN",
        &[
            ("mount", ValueKind::Mount),
            ("network", ValueKind::OneOf(&["default", "none", "host"])),
            ("security", ValueKind::OneOf(&["sandbox", "insecure"])),
            ("device", ValueKind::Text),
        ],
    ),
    (
        "COPY",
        &[
            ("from", ValueKind::Text),
            ("chown", ValueKind::Text),
            ("chmod", ValueKind::Chmod),
            ("link", ValueKind::Bool),
            ("parents", ValueKind::Bool),
            ("exclude", ValueKind::Text),
        ],
    ),
    (
        "ADD",
        &[
            ("chown", ValueKind::Text),
            ("chmod", ValueKind::Chmod),
            ("link", ValueKind::Bool),
            ("keep-git-dir", ValueKind::Bool),
            ("checksum", ValueKind::Text),
            ("exclude", ValueKind::Text),
            ("unpack", ValueKind::Bool),
        ],
    ),
    (
        "HEALTHCHECK",
        &[
            ("interval", ValueKind::Duration),
            ("timeout", ValueKind::Duration),
            ("start-period", ValueKind::Duration),
            ("start-interval", ValueKind::Duration),
            ("retries", ValueKind::Uint),
        ],
    ),
];

pub const MOUNT_TYPES: &[&str] = &["bind", "cache", "tmpfs", "secret", "ssh"];

/// The flags an instruction accepts (empty for instructions without flags).
pub fn flags_of(keyword: &str) -> &'static [(&'static str, ValueKind)] {
    FLAGS.iter().find(|(k, _)| *k == keyword).map_or(&[], |(_, f)| f)
}

pub fn flag_kind(keyword: &str, flag: &str) -> Option<ValueKind> {
    flags_of(keyword).iter().find(|(n, _)| *n == flag).map(|(_, k)| *k)
}

/// Why `value` is not valid for `kind`, if it is not. Values with variables are not checked.
pub fn check_value(kind: ValueKind, value: Option<&str>) -> Option<String> {
    let Some(v) = value else {
        return match kind {
            ValueKind::Bool => None,
            _ => Some("needs a value (`--flag=value`)".into()),
        };
    };
    if v.contains('$') {
        return None;
    }
    match kind {
        ValueKind::Text => v.is_empty().then(|| "needs a value".into()),
        ValueKind::Bool => (!matches!(v, "true" | "false"))
            .then(|| format!("expects `true` or `false`, not `{v}`")),
        ValueKind::OneOf(opts) => {
            (!opts.contains(&v)).then(|| format!("expects one of {}, not `{v}`", list(opts)))
        }
        ValueKind::Duration => (!is_duration(v))
            .then(|| format!("expects a duration with a unit such as `30s` or `1m30s`, not `{v}`")),
        ValueKind::Uint => {
            v.parse::<u32>().is_err().then(|| format!("expects a whole number, not `{v}`"))
        }
        ValueKind::Chmod => (!is_chmod(v))
            .then(|| format!("expects octal permissions such as `755` or `0644`, not `{v}`")),
        ValueKind::Mount => check_mount(v),
    }
}

fn list(opts: &[&str]) -> String {
    opts.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", ")
}

pub fn is_duration(v: &str) -> bool {
    if v == "0" {
        return true;
    }
    let b = v.as_bytes();
    let mut i = 0;
    let mut parts = 0;
    while i < b.len() {
        let start = i;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
            i += 1;
        }
        if i == start {
            return false;
        }
        let unit_start = i;
        while i < b.len() && b[i].is_ascii_alphabetic() {
            i += 1;
        }
        if !matches!(&v[unit_start..i], "ns" | "us" | "µs" | "ms" | "s" | "m" | "h") {
            return false;
        }
        parts += 1;
    }
    parts > 0
}

fn is_chmod(v: &str) -> bool {
    let octal = (3..=4).contains(&v.len()) && v.bytes().all(|c| (b'0'..=b'7').contains(&c));
    let symbolic = !v.is_empty()
        && v.split(',').all(|p| {
            let p = p.trim_start_matches(['u', 'g', 'o', 'a']);
            p.starts_with(['+', '-', '=']) && p[1..].bytes().all(|c| b"rwxXst".contains(&c))
        });
    octal || symbolic
}

fn check_mount(v: &str) -> Option<String> {
    let mut ty = "bind";
    for part in v.split(',') {
        let (k, val) = part.split_once('=').unwrap_or((part, ""));
        if k == "type" {
            ty = val;
        }
    }
    if !MOUNT_TYPES.contains(&ty) {
        return Some(format!("unknown mount type `{ty}`; expected one of {}", list(MOUNT_TYPES)));
    }
    let needs_target = matches!(ty, "cache" | "tmpfs" | "bind");
    let has_target = v
        .split(',')
        .any(|p| matches!(p.split_once('=').map_or(p, |x| x.0), "target" | "dst" | "destination"));
    (needs_target && !has_target).then(|| format!("a `{ty}` mount needs `target=<path>`"))
}

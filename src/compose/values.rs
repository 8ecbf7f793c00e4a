//! Checks of scalar values and key names against the schema. Pure functions over text: they
//! know nothing of the YAML tree, so the rules can call them from any representation.

use std::net::IpAddr;

use super::schema::{self, EnumValue, Format, KeySpec, Ty};

/// What a key at a position is.
#[derive(Debug, Clone, Copy)]
pub enum KeyCheck {
    Known(&'static KeySpec),
    /// Not in the schema; `closest` is a likely intended key. Also returned where the parent
    /// takes no mapping at all (then `closest` is `None`).
    Unknown {
        closest: Option<&'static str>,
    },
    /// An `x-` extension field, which Compose ignores.
    Extension,
}

/// Whether `key` may appear in the mapping at `path` (see `schema::lookup` for paths).
pub fn check_key(path: &[&str], key: &str) -> KeyCheck {
    let Some(parent) = schema::lookup(path) else {
        return KeyCheck::Unknown { closest: None };
    };
    if let Some(keys) = schema::object_keys(&parent.ty) {
        if key.starts_with("x-") {
            return KeyCheck::Extension;
        }
        return match keys.iter().find(|k| k.name == key) {
            Some(k) => KeyCheck::Known(k),
            None => KeyCheck::Unknown { closest: closest(key, keys.iter().map(|k| k.name)) },
        };
    }
    if let Some(entry) = schema::map_entry(&parent.ty) {
        return KeyCheck::Known(entry);
    }
    if matches!(parent.ty, Ty::Any) {
        return KeyCheck::Known(&schema::ANY_SPEC);
    }
    KeyCheck::Unknown { closest: None }
}

/// The candidate most similar to `word`, when it is similar enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    candidates
        .map(|c| (strsim::jaro_winkler(&lower, c), c))
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Check one scalar written for the key `spec`. `value_text` is the scalar's content (without
/// quotes); interpolated values (`${…}`) are accepted, as their final text is unknown.
pub fn validate(spec: &KeySpec, value_text: &str, is_quoted: bool) -> Result<(), String> {
    let v = value_text.trim();
    if v.contains('$') || (!is_quoted && is_null(v)) {
        return Ok(());
    }
    check_ty(&spec.ty, v, is_quoted, 0)
}

fn check_ty(ty: &Ty, v: &str, quoted: bool, depth: usize) -> Result<(), String> {
    match ty {
        Ty::Str | Ty::Suggest(_) => {
            if !quoted && matches!(v, "true" | "false" | "True" | "False" | "TRUE" | "FALSE") {
                return Err(format!(
                    "`{v}` is read as a boolean but a string is expected; quote it: \"{v}\""
                ));
            }
            Ok(())
        }
        Ty::Int => parse_int(v).map(|_| ()).ok_or_else(|| format!("`{v}` is not a whole number")),
        Ty::Number => match v.parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(()),
            _ => Err(format!("`{v}` is not a number")),
        },
        Ty::Bool => {
            if is_bool(v) {
                Ok(())
            } else {
                Err(format!("`{v}` is not a boolean; use `true` or `false`"))
            }
        }
        Ty::Duration => duration(v),
        Ty::ByteSize => byte_size(v),
        Ty::Enum(values) => one_of(v, values),
        Ty::Format(f) => check_format(*f, v),
        Ty::Object(_) => Err("expected a mapping of keys, not a single value".into()),
        Ty::List(_) => Err("expected a list, not a single value".into()),
        Ty::Map(_) => Err("expected a mapping, not a single value".into()),
        Ty::Null => Err("expected no value here".into()),
        Ty::Any => Ok(()),
        Ty::OneOf(alts) => {
            if depth > 4 {
                return Ok(());
            }
            let mut first_err = None;
            for alt in alts.iter() {
                match check_ty(alt, v, quoted, depth + 1) {
                    Ok(()) => return Ok(()),
                    Err(e) if first_err.is_none() && is_scalar(alt) => first_err = Some(e),
                    Err(_) => {}
                }
            }
            Err(first_err.unwrap_or_else(|| format!("expected a {}", ty.describe())))
        }
    }
}

fn is_scalar(ty: &Ty) -> bool {
    !matches!(ty, Ty::Object(_) | Ty::List(_) | Ty::Map(_) | Ty::Null | Ty::OneOf(_))
}

fn is_null(v: &str) -> bool {
    matches!(v, "" | "~" | "null" | "Null" | "NULL")
}

fn is_bool(v: &str) -> bool {
    // Compose converts these spellings too when it casts a string to a boolean.
    matches!(
        v.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
    )
}

fn parse_int(v: &str) -> Option<i64> {
    let digits = v.strip_prefix(['+', '-']).unwrap_or(v);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
        return None;
    }
    v.replace('_', "").parse().ok()
}

fn one_of(v: &str, values: &[EnumValue]) -> Result<(), String> {
    if values.iter().any(|e| e.name == v) {
        return Ok(());
    }
    let list = values.iter().map(|e| format!("`{}`", e.name)).collect::<Vec<_>>().join(", ");
    match closest(v, values.iter().map(|e| e.name)) {
        Some(c) => Err(format!("unknown value `{v}`; did you mean `{c}`? Expected one of {list}")),
        None => Err(format!("unknown value `{v}`; expected one of {list}")),
    }
}

/// Check a string against one of the syntaxes the schema names.
pub fn check_format(format: Format, v: &str) -> Result<(), String> {
    match format {
        Format::Port => port(v),
        Format::Volume => volume(v),
        Format::Restart => restart(v),
        Format::PullPolicy => pull_policy(v),
        Format::Cpus => cpus(v),
        Format::ExtraHost => extra_host(v),
        Format::KeyValue => key_value(v),
        Format::Device => device(v),
    }
}

/// A Go duration: one or more `<number><unit>` with units `ns`, `us`, `ms`, `s`, `m`, `h`.
pub fn duration(v: &str) -> Result<(), String> {
    let bad = || {
        format!(
            "`{v}` is not a duration; write a number with a unit, such as `30s`, `1m30s` or `500ms`"
        )
    };
    let rest = v.strip_prefix(['+', '-']).unwrap_or(v);
    if rest == "0" {
        return Ok(());
    }
    if rest.is_empty() {
        return Err(bad());
    }
    if rest.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("`{v}` has no unit; write `{v}s` for seconds"));
    }
    let mut s = rest;
    while !s.is_empty() {
        let num_len = s.bytes().take_while(|b| b.is_ascii_digit() || *b == b'.').count();
        let num = &s[..num_len];
        if num.is_empty() || num == "." || num.matches('.').count() > 1 {
            return Err(bad());
        }
        s = &s[num_len..];
        let unit_len = s.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(s.len());
        match &s[..unit_len] {
            "ns" | "us" | "µs" | "μs" | "ms" | "s" | "m" | "h" => {}
            "" => return Err(format!("`{v}` is missing a unit after `{num}`")),
            unit if unit.contains(char::is_whitespace) => return Err(bad()),
            unit => {
                return Err(format!(
                    "unknown unit `{unit}` in `{v}`; use `h`, `m`, `s`, `ms`, `us` or `ns`"
                ));
            }
        }
        s = &s[unit_len..];
    }
    Ok(())
}

/// A size in bytes: a number with an optional unit `b`, `k`, `m`, `g`, `t`, `p` (any case,
/// optionally followed by `b` or `ib`).
pub fn byte_size(v: &str) -> Result<(), String> {
    let bad =
        || format!("`{v}` is not a size; write a number with a unit, such as `512m` or `1gb`");
    let num_len = v.bytes().take_while(|b| b.is_ascii_digit() || *b == b'.').count();
    let (num, unit) = v.split_at(num_len);
    if num.is_empty() || num.starts_with('.') || num.ends_with('.') || num.contains("..") {
        return Err(bad());
    }
    let unit = unit.strip_prefix(' ').unwrap_or(unit).to_ascii_lowercase();
    let unit = unit.as_str();
    let ok = match unit.len() {
        0 => true,
        1 => "bkmgtp".contains(unit),
        2 => "kmgtp".contains(&unit[..1]) && (unit.ends_with('b') || unit.ends_with('i')),
        3 => "kmgtp".contains(&unit[..1]) && &unit[1..] == "ib",
        _ => false,
    };
    if ok { Ok(()) } else { Err(bad()) }
}

/// Port short syntax: `[[IP:][HOST[-RANGE]]:]CONTAINER[-RANGE][/PROTOCOL]`.
pub fn port(v: &str) -> Result<(), String> {
    let (spec, proto) = match v.rsplit_once('/') {
        Some((s, p)) => (s, Some(p)),
        None => (v, None),
    };
    if let Some(p) = proto
        && !matches!(p.to_ascii_lowercase().as_str(), "tcp" | "udp" | "sctp")
    {
        return Err(format!("unknown protocol `{p}`; use `tcp`, `udp` or `sctp`"));
    }
    // The host IP may itself contain colons (IPv6), so split from the right.
    let mut parts = spec.rsplitn(3, ':');
    let container = parts.next().unwrap_or("");
    let host = parts.next();
    let ip = parts.next();
    if let Some(ip) = ip {
        let bare = ip.strip_prefix('[').and_then(|s| s.strip_suffix(']')).unwrap_or(ip);
        // `80:80:80:80`: extra port numbers, not a mistyped address.
        let is_ports =
            |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit() || b == b'-');
        if ip.contains(':') && ip.split(':').all(is_ports) {
            return Err(format!(
                "`{spec}` has too many `:`-separated parts; write `[[IP:]HOST:]CONTAINER[/PROTO]`"
            ));
        }
        if bare.parse::<IpAddr>().is_err() {
            return Err(format!("`{ip}` is not an IP address"));
        }
    }
    let (c_lo, c_hi) = port_range(container, "container port", 1)?;
    if let Some(host) = host.filter(|h| !h.is_empty()) {
        let (h_lo, h_hi) = port_range(host, "host port", 0)?;
        if c_hi != c_lo && h_hi - h_lo != c_hi - c_lo {
            return Err(format!(
                "the host range `{host}` and the container range `{container}` differ in size"
            ));
        }
    } else if host.is_none() && ip.is_none() && spec.contains('[') {
        return Err(format!("`{v}` is not a port mapping"));
    }
    Ok(())
}

fn port_range(v: &str, what: &str, min: u32) -> Result<(u32, u32), String> {
    let one = |s: &str| -> Result<u32, String> {
        match s.parse::<u32>() {
            Ok(n) if (min..=65535).contains(&n) && !s.starts_with('+') => Ok(n),
            Ok(_) => Err(format!("{what} `{s}` is out of range ({min}-65535)")),
            Err(_) if s.is_empty() => Err(format!("missing {what}")),
            Err(_) => Err(format!("{what} `{s}` is not a number")),
        }
    };
    match v.split_once('-') {
        Some((lo, hi)) => {
            let (lo, hi) = (one(lo)?, one(hi)?);
            if lo > hi {
                return Err(format!("{what} range `{v}` runs backwards"));
            }
            Ok((lo, hi))
        }
        None => one(v).map(|n| (n, n)),
    }
}

const VOLUME_MODES: &[&str] = &[
    "ro",
    "rw",
    "z",
    "Z",
    "consistent",
    "cached",
    "delegated",
    "nocopy",
    "shared",
    "rshared",
    "slave",
    "rslave",
    "private",
    "rprivate",
    "copy",
];

/// Volume short syntax: `TARGET`, `SOURCE:TARGET` or `SOURCE:TARGET:MODE[,MODE]`.
pub fn volume(v: &str) -> Result<(), String> {
    if v.is_empty() {
        return Err("empty volume".into());
    }
    let parts = split_volume(v);
    let (source, target, mode) = match parts.as_slice() {
        [t] => (None, *t, None),
        [s, t] => (Some(*s), *t, None),
        [s, t, m] => (Some(*s), *t, Some(*m)),
        _ => return Err(format!("`{v}` has too many `:`; expected `SOURCE:TARGET[:MODE]`")),
    };
    if target.is_empty() {
        return Err("missing the container path after `:`".into());
    }
    if !target.starts_with('/') && !is_windows_path(target) {
        return Err(format!("the container path `{target}` must be absolute (start with `/`)"));
    }
    if let Some(s) = source {
        if s.is_empty() {
            return Err("missing the source before `:`".into());
        }
        let is_path = s.starts_with(['.', '/', '~', '\\']) || is_windows_path(s);
        if !is_path && !is_volume_name(s) {
            return Err(format!(
                "`{s}` is neither a path nor a volume name; start host paths with `./` or `/`"
            ));
        }
    }
    if let Some(mode) = mode {
        for m in mode.split(',') {
            if !VOLUME_MODES.contains(&m) {
                return Err(format!(
                    "unknown volume option `{m}`; expected `ro`, `rw`, `z`, `Z`, `nocopy`, …"
                ));
            }
        }
    }
    Ok(())
}

/// Split at `:` but keep Windows drive letters (`C:\data`) together.
fn split_volume(v: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let b = v.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c != b':' {
            continue;
        }
        // `C:\x` anywhere, `C:/x` only as the leading source (`a:/b` is a volume `a`).
        let is_drive = i == start + 1
            && b[start].is_ascii_alphabetic()
            && (b.get(i + 1) == Some(&b'\\')
                || (start == 0 && b[0].is_ascii_uppercase() && b.get(i + 1) == Some(&b'/')));
        if !is_drive {
            parts.push(&v[start..i]);
            start = i + 1;
        }
    }
    parts.push(&v[start..]);
    parts
}

fn is_windows_path(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && matches!(b[2], b'\\' | b'/')
}

fn is_volume_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// `no`, `always`, `unless-stopped`, `on-failure` or `on-failure:N`.
pub fn restart(v: &str) -> Result<(), String> {
    if let Some(n) = v.strip_prefix("on-failure:") {
        return match n.parse::<u32>() {
            Ok(_) => Ok(()),
            Err(_) => Err(format!("`{n}` is not a retry count; write `on-failure:3`")),
        };
    }
    one_of(v, schema::enum_values(&Ty::Format(Format::Restart)))
}

/// `always`, `never`, `missing`, `build`, `daily`, `weekly`, `refresh`, `if_not_present` or
/// `every_<duration>`.
pub fn pull_policy(v: &str) -> Result<(), String> {
    if let Some(d) = v.strip_prefix("every_") {
        return duration(d).map_err(|e| format!("after `every_`: {e}"));
    }
    one_of(v, schema::enum_values(&Ty::Format(Format::PullPolicy)))
}

/// A depends_on `condition`.
pub fn depends_on_condition(v: &str) -> Result<(), String> {
    let spec = schema::lookup(&["services", "*", "depends_on", "*", "condition"])
        .expect("the schema has depends_on conditions");
    one_of(v, schema::enum_values(&spec.ty))
}

/// A positive decimal number of CPUs.
pub fn cpus(v: &str) -> Result<(), String> {
    match v.parse::<f64>() {
        Ok(n) if n.is_finite() && n >= 0.0 => Ok(()),
        Ok(_) => Err(format!("`{v}` CPUs: the value must be zero or more")),
        Err(_) => Err(format!("`{v}` is not a number of CPUs; write a decimal such as `0.5`")),
    }
}

/// `HOST:IP` or `HOST=IP`; the address may be IPv6 (bracketed or not) or `host-gateway`.
pub fn extra_host(v: &str) -> Result<(), String> {
    let (host, ip) = match v.split_once('=') {
        Some(pair) => pair,
        None => v.split_once(':').ok_or_else(|| format!("`{v}` needs an address: `HOST=IP`"))?,
    };
    if host.is_empty() {
        return Err(format!("`{v}` is missing the host name"));
    }
    let bare = ip.strip_prefix('[').and_then(|s| s.strip_suffix(']')).unwrap_or(ip);
    if bare == "host-gateway" || bare.parse::<IpAddr>().is_ok() {
        Ok(())
    } else {
        Err(format!("`{ip}` is not an IP address (or `host-gateway`)"))
    }
}

/// `KEY=VALUE` or a bare `KEY`.
pub fn key_value(v: &str) -> Result<(), String> {
    let key = v.split_once('=').map_or(v, |(k, _)| k);
    if key.is_empty() {
        return Err(format!("`{v}` has no name before `=`"));
    }
    if key.contains(char::is_whitespace) {
        return Err(format!(
            "the name `{key}` contains a space; write `KEY=VALUE` without spaces around `=`"
        ));
    }
    Ok(())
}

/// `HOST_PATH[:CONTAINER_PATH[:PERMISSIONS]]`.
pub fn device(v: &str) -> Result<(), String> {
    let parts: Vec<&str> = v.split(':').collect();
    if parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
        return Err(format!("`{v}` is not `HOST[:CONTAINER[:PERMISSIONS]]`"));
    }
    if let [_, _, perms] = parts.as_slice()
        && !perms.chars().all(|c| matches!(c, 'r' | 'w' | 'm'))
    {
        return Err(format!("permissions `{perms}` may only combine `r`, `w` and `m`"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;

    /// One line per input: `ok` or the message.
    fn check(f: fn(&str) -> Result<(), String>, inputs: &[&str], expect: Expect) {
        let out: String = inputs
            .iter()
            .map(|i| match f(i) {
                Ok(()) => format!("{i:?}: ok\n"),
                Err(e) => format!("{i:?}: {e}\n"),
            })
            .collect();
        expect.assert_eq(&out);
    }

    #[test]
    fn durations() {
        check(
            duration,
            &[
                "1m30s", "10s", "1h", "500ms", "1.5h", "0", "2h45m10s", "30", "", "10x", "s",
                "1..5s", "-5s",
            ],
            expect![[r#"
                "1m30s": ok
                "10s": ok
                "1h": ok
                "500ms": ok
                "1.5h": ok
                "0": ok
                "2h45m10s": ok
                "30": `30` has no unit; write `30s` for seconds
                "": `` is not a duration; write a number with a unit, such as `30s`, `1m30s` or `500ms`
                "10x": unknown unit `x` in `10x`; use `h`, `m`, `s`, `ms`, `us` or `ns`
                "s": `s` is not a duration; write a number with a unit, such as `30s`, `1m30s` or `500ms`
                "1..5s": `1..5s` is not a duration; write a number with a unit, such as `30s`, `1m30s` or `500ms`
                "-5s": ok
            "#]],
        );
    }

    #[test]
    fn byte_sizes() {
        check(
            byte_size,
            &[
                "512m", "1gb", "100k", "1024", "1.5G", "2GiB", "512 MB", "10b", "m", "1x", "1.",
                "12mbb",
            ],
            expect![[r#"
                "512m": ok
                "1gb": ok
                "100k": ok
                "1024": ok
                "1.5G": ok
                "2GiB": ok
                "512 MB": ok
                "10b": ok
                "m": `m` is not a size; write a number with a unit, such as `512m` or `1gb`
                "1x": `1x` is not a size; write a number with a unit, such as `512m` or `1gb`
                "1.": `1.` is not a size; write a number with a unit, such as `512m` or `1gb`
                "12mbb": `12mbb` is not a size; write a number with a unit, such as `512m` or `1gb`
            "#]],
        );
    }

    #[test]
    fn ports() {
        check(
            port,
            &[
                "8000",
                "8000:8000",
                "127.0.0.1:8000:8000/tcp",
                "9000-9010:9000-9010",
                "[::1]:80:80",
                "::1:80:80",
                "127.0.0.1::5000",
                "8000-8010:80",
                "53:53/udp",
                "80:80/http",
                "70000:80",
                "80:0",
                "9000-9010:9000-9005",
                "localhost:80:80",
                "abc",
                "9010-9000:80",
                "",
            ],
            expect![[r#"
                "8000": ok
                "8000:8000": ok
                "127.0.0.1:8000:8000/tcp": ok
                "9000-9010:9000-9010": ok
                "[::1]:80:80": ok
                "::1:80:80": ok
                "127.0.0.1::5000": ok
                "8000-8010:80": ok
                "53:53/udp": ok
                "80:80/http": unknown protocol `http`; use `tcp`, `udp` or `sctp`
                "70000:80": host port `70000` is out of range (0-65535)
                "80:0": container port `0` is out of range (1-65535)
                "9000-9010:9000-9005": the host range `9000-9010` and the container range `9000-9005` differ in size
                "localhost:80:80": `localhost` is not an IP address
                "abc": container port `abc` is not a number
                "9010-9000:80": host port range `9010-9000` runs backwards
                "": missing container port
            "#]],
        );
    }

    #[test]
    fn volumes() {
        check(
            volume,
            &[
                "./src:/app:ro",
                "named:/data",
                "/host:/ctr:rw,z",
                "/data",
                "~/cache:/root/.cache",
                "C:\\data:/data",
                "db-data:/var/lib/postgresql/data:nocopy",
                "./src:app",
                "./src:/app:readonly",
                "a:/b:ro:extra",
                "my volume:/data",
                ":/data",
                "./src:",
            ],
            expect![[r#"
                "./src:/app:ro": ok
                "named:/data": ok
                "/host:/ctr:rw,z": ok
                "/data": ok
                "~/cache:/root/.cache": ok
                "C:\\data:/data": ok
                "db-data:/var/lib/postgresql/data:nocopy": ok
                "./src:app": the container path `app` must be absolute (start with `/`)
                "./src:/app:readonly": unknown volume option `readonly`; expected `ro`, `rw`, `z`, `Z`, `nocopy`, …
                "a:/b:ro:extra": `a:/b:ro:extra` has too many `:`; expected `SOURCE:TARGET[:MODE]`
                "my volume:/data": `my volume` is neither a path nor a volume name; start host paths with `./` or `/`
                ":/data": missing the source before `:`
                "./src:": missing the container path after `:`
            "#]],
        );
    }

    #[test]
    fn restart_policies() {
        check(
            restart,
            &[
                "no",
                "always",
                "on-failure",
                "on-failure:5",
                "unless-stopped",
                "alwys",
                "on-failure:x",
                "never",
            ],
            expect![[r#"
                "no": ok
                "always": ok
                "on-failure": ok
                "on-failure:5": ok
                "unless-stopped": ok
                "alwys": unknown value `alwys`; did you mean `always`? Expected one of `no`, `always`, `on-failure`, `unless-stopped`
                "on-failure:x": `x` is not a retry count; write `on-failure:3`
                "never": unknown value `never`; expected one of `no`, `always`, `on-failure`, `unless-stopped`
            "#]],
        );
    }

    #[test]
    fn pull_policies() {
        check(
            pull_policy,
            &[
                "always",
                "never",
                "missing",
                "build",
                "if_not_present",
                "daily",
                "weekly",
                "every_12h",
                "every_2d",
                "sometimes",
            ],
            expect![[r#"
                "always": ok
                "never": ok
                "missing": ok
                "build": ok
                "if_not_present": ok
                "daily": ok
                "weekly": ok
                "every_12h": ok
                "every_2d": after `every_`: unknown unit `d` in `2d`; use `h`, `m`, `s`, `ms`, `us` or `ns`
                "sometimes": unknown value `sometimes`; expected one of `always`, `never`, `missing`, `build`, `daily`, `weekly`, `refresh`, `if_not_present`
            "#]],
        );
    }

    #[test]
    fn conditions() {
        check(
            depends_on_condition,
            &["service_started", "service_healthy", "service_completed_successfully", "healthy"],
            expect![[r#"
                "service_started": ok
                "service_healthy": ok
                "service_completed_successfully": ok
                "healthy": unknown value `healthy`; expected one of `service_started`, `service_healthy`, `service_completed_successfully`
            "#]],
        );
    }

    #[test]
    fn cpu_counts() {
        check(
            cpus,
            &["0.5", "2", "1.25", "-1", "half"],
            expect![[r#"
            "0.5": ok
            "2": ok
            "1.25": ok
            "-1": `-1` CPUs: the value must be zero or more
            "half": `half` is not a number of CPUs; write a decimal such as `0.5`
        "#]],
        );
    }

    #[test]
    fn extra_hosts() {
        check(
            extra_host,
            &[
                "somehost:162.242.195.82",
                "otherhost=50.31.209.229",
                "myhostv6=::1",
                "myhostv6:[::1]",
                "host.docker.internal:host-gateway",
                "nohost",
                "bad=1.2.3",
                "=1.2.3.4",
            ],
            expect![[r#"
                "somehost:162.242.195.82": ok
                "otherhost=50.31.209.229": ok
                "myhostv6=::1": ok
                "myhostv6:[::1]": ok
                "host.docker.internal:host-gateway": ok
                "nohost": `nohost` needs an address: `HOST=IP`
                "bad=1.2.3": `1.2.3` is not an IP address (or `host-gateway`)
                "=1.2.3.4": `=1.2.3.4` is missing the host name
            "#]],
        );
    }

    #[test]
    fn devices_and_key_values() {
        check(
            device,
            &["/dev/ttyUSB0", "/dev/sda:/dev/xvda:rwm", "/dev/sda:/dev/xvda:rx", "a:b:c:d"],
            expect![[r#"
            "/dev/ttyUSB0": ok
            "/dev/sda:/dev/xvda:rwm": ok
            "/dev/sda:/dev/xvda:rx": permissions `rx` may only combine `r`, `w` and `m`
            "a:b:c:d": `a:b:c:d` is not `HOST[:CONTAINER[:PERMISSIONS]]`
        "#]],
        );
        check(
            key_value,
            &["DEBUG=1", "PASSTHROUGH", "EMPTY=", "=x", "MY VAR=1"],
            expect![[r#"
            "DEBUG=1": ok
            "PASSTHROUGH": ok
            "EMPTY=": ok
            "=x": `=x` has no name before `=`
            "MY VAR=1": the name `MY VAR` contains a space; write `KEY=VALUE` without spaces around `=`
        "#]],
        );
    }

    /// `validate` against the spec at a path, one line per `path value quoted?` case.
    fn check_validate(cases: &[(&str, &str, bool)], expect: Expect) {
        let out: String = cases
            .iter()
            .map(|(path, value, quoted)| {
                let path: Vec<&str> = path.split('.').collect();
                let spec = schema::lookup(&path).expect("path in schema");
                let shown = if *quoted { format!("{value:?}") } else { value.to_string() };
                match validate(spec, value, *quoted) {
                    Ok(()) => format!("{}: {shown}: ok\n", path.join(".")),
                    Err(e) => format!("{}: {shown}: {e}\n", path.join(".")),
                }
            })
            .collect();
        expect.assert_eq(&out);
    }

    #[test]
    fn validate_uses_the_table() {
        check_validate(
            &[
                ("services.*.restart", "always", false),
                ("services.*.restart", "alway", false),
                ("services.*.restart", "${RESTART:-no}", false),
                ("services.*.privileged", "true", false),
                ("services.*.privileged", "maybe", false),
                ("services.*.scale", "3", false),
                ("services.*.scale", "three", false),
                ("services.*.image", "true", false),
                ("services.*.image", "true", true),
                ("services.*.ports.[]", "8000:8000", true),
                ("services.*.ports.[]", "8000", false),
                ("services.*.ports.[]", "80:80/tcpp", true),
                ("services.*.stop_grace_period", "1m", false),
                ("services.*.stop_grace_period", "1 minute", false),
                ("services.*.healthcheck.interval", "", false),
                ("services.*.depends_on.*.condition", "service_healty", false),
                ("services.*.deploy", "yes", false),
                ("services.*.command", "python manage.py runserver", false),
                ("services.*.gpus", "all", false),
                ("services.*.gpus", "some", false),
                ("services.*.build", ".", false),
                ("services.*.mem_limit", "1gb", false),
                ("services.*.pull_policy", "every_1d", false),
                ("services.*.x-meta", "anything", false),
            ],
            expect![[r#"
                services.*.restart: always: ok
                services.*.restart: alway: unknown value `alway`; did you mean `always`? Expected one of `no`, `always`, `on-failure`, `unless-stopped`
                services.*.restart: ${RESTART:-no}: ok
                services.*.privileged: true: ok
                services.*.privileged: maybe: `maybe` is not a boolean; use `true` or `false`
                services.*.scale: 3: ok
                services.*.scale: three: `three` is not a whole number
                services.*.image: true: `true` is read as a boolean but a string is expected; quote it: "true"
                services.*.image: "true": ok
                services.*.ports.[]: "8000:8000": ok
                services.*.ports.[]: 8000: ok
                services.*.ports.[]: "80:80/tcpp": unknown protocol `tcpp`; use `tcp`, `udp` or `sctp`
                services.*.stop_grace_period: 1m: ok
                services.*.stop_grace_period: 1 minute: `1 minute` is not a duration; write a number with a unit, such as `30s`, `1m30s` or `500ms`
                services.*.healthcheck.interval: : ok
                services.*.depends_on.*.condition: service_healty: unknown value `service_healty`; did you mean `service_healthy`? Expected one of `service_started`, `service_healthy`, `service_completed_successfully`
                services.*.deploy: yes: expected a mapping of keys, not a single value
                services.*.command: python manage.py runserver: ok
                services.*.gpus: all: ok
                services.*.gpus: some: unknown value `some`; expected one of `all`
                services.*.build: .: ok
                services.*.mem_limit: 1gb: ok
                services.*.pull_policy: every_1d: after `every_`: unknown unit `d` in `1d`; use `h`, `m`, `s`, `ms`, `us` or `ns`
                services.*.x-meta: anything: ok
            "#]],
        );
    }

    fn check_keys(cases: &[(&str, &str)], expect: Expect) {
        let out: String = cases
            .iter()
            .map(|(path, key)| {
                let path: Vec<&str> =
                    if path.is_empty() { vec![] } else { path.split('.').collect() };
                let res = match check_key(&path, key) {
                    KeyCheck::Known(s) => format!("known ({})", s.ty.describe()),
                    KeyCheck::Unknown { closest: Some(c) } => format!("unknown, did you mean {c}"),
                    KeyCheck::Unknown { closest: None } => "unknown".to_string(),
                    KeyCheck::Extension => "extension".to_string(),
                };
                format!("{path:?} {key}: {res}\n")
            })
            .collect();
        expect.assert_eq(&out);
    }

    #[test]
    fn key_checks() {
        check_keys(
            &[
                ("", "services"),
                ("", "service"),
                ("", "x-common"),
                ("", "frobnicate"),
                ("services.*", "enviroment"),
                ("services.*", "depends-on"),
                ("services.*", "image"),
                ("services.web", "x-note"),
                ("services", "web"),
                ("services.*.build", "dockerfle"),
                ("services.*.ports.[]", "publised"),
                ("services.*.image", "foo"),
                ("services.*.logging.options", "max-size"),
                ("networks.*.driver_opts", "com.docker.network.bridge.name"),
            ],
            expect![[r#"
                [] services: known (map of names to mapping)
                [] service: unknown, did you mean services
                [] x-common: extension
                [] frobnicate: unknown
                ["services", "*"] enviroment: unknown, did you mean environment
                ["services", "*"] depends-on: unknown, did you mean depends_on
                ["services", "*"] image: known (string)
                ["services", "web"] x-note: extension
                ["services"] web: known (mapping)
                ["services", "*", "build"] dockerfle: unknown, did you mean dockerfile
                ["services", "*", "ports", "[]"] publised: unknown, did you mean published
                ["services", "*", "image"] foo: unknown
                ["services", "*", "logging", "options"] max-size: known (string)
                ["networks", "*", "driver_opts"] com.docker.network.bridge.name: known (string)
            "#]],
        );
    }
}

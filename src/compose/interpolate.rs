//! Compose variable interpolation: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
//! `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}`, `$$` for a literal `$`, with
//! nesting inside the argument (`${A:-${B}}`).

use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `$VAR` / `${VAR}`
    Plain,
    /// `:-` (colon: also when set but empty) / `-`
    Default { colon: bool },
    /// `:?` / `?`: fail when unset (or empty).
    Required { colon: bool },
    /// `:+` / `+`: the argument when set (and non-empty).
    Alternative { colon: bool },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Var {
    pub name: String,
    /// The name alone (what rename and env lookups use).
    pub name_range: Range<usize>,
    /// `$NAME` or `${…}` as a whole.
    pub range: Range<usize>,
    pub op: Op,
    /// The argument after the operator, as written (may hold nested references, listed
    /// separately in `Interpolations::vars`).
    pub arg: Option<(String, Range<usize>)>,
    /// Nested inside another reference's argument.
    pub nested: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: Range<usize>,
    pub message: String,
    /// The message with a secret default masked, when it echoes one (see `crate::secrets`).
    pub masked_message: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Interpolations {
    /// Every reference, outer before nested, in source order.
    pub vars: Vec<Var>,
    pub errors: Vec<SyntaxError>,
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_name(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Parse every reference in `text`; ranges are offsets into `text` plus `base`.
pub fn parse_interpolations(text: &str, base: usize) -> Interpolations {
    let mut out = Interpolations::default();
    scan(text, 0, text.len(), base, false, 0, &mut out);
    out
}

/// Scan `text[from..to]`. Returns nothing; pushes vars and errors.
fn scan(
    text: &str,
    from: usize,
    to: usize,
    base: usize,
    nested: bool,
    depth: usize,
    out: &mut Interpolations,
) {
    let b = text.as_bytes();
    let mut i = from;
    while i < to {
        if b[i] != b'$' {
            i += 1;
            continue;
        }
        let start = i;
        match b.get(i + 1).filter(|_| i + 1 < to) {
            Some(b'$') => i += 2,
            Some(&c) if is_name_start(c) => {
                let mut j = i + 1;
                while j < to && is_name(b[j]) {
                    j += 1;
                }
                out.vars.push(Var {
                    name: text[i + 1..j].to_string(),
                    name_range: base + i + 1..base + j,
                    range: base + start..base + j,
                    op: Op::Plain,
                    arg: None,
                    nested,
                });
                i = j;
            }
            Some(b'{') => i = braced(text, start, to, base, nested, depth, out),
            _ => {
                let end = next_char(text, i + 1).min(to.max(i + 1));
                out.errors.push(SyntaxError {
                    masked_message: None,
                    range: base + start..base + end,
                    message: format!(
                        "`{}` is not a variable reference; write `$$` for a literal dollar sign",
                        &text[start..end]
                    ),
                });
                i = end;
            }
        }
    }
}

fn next_char(text: &str, i: usize) -> usize {
    let mut j = (i + 1).min(text.len());
    while !text.is_char_boundary(j) {
        j += 1;
    }
    if i >= text.len() { text.len() } else { j }
}

/// `${…}` starting at `start` (the `$`). Returns the offset after it.
fn braced(
    text: &str,
    start: usize,
    to: usize,
    base: usize,
    nested: bool,
    depth: usize,
    out: &mut Interpolations,
) -> usize {
    let b = text.as_bytes();
    // Find the matching `}`, counting nested `${`.
    let mut level = 0usize;
    let mut close = None;
    let mut k = start + 2;
    while k < to {
        match b[k] {
            b'$' if b.get(k + 1) == Some(&b'{') => {
                level += 1;
                k += 2;
                continue;
            }
            b'}' if level == 0 => {
                close = Some(k);
                break;
            }
            b'}' => level -= 1,
            _ => {}
        }
        k += 1;
    }
    let Some(close) = close else {
        out.errors.push(SyntaxError {
            masked_message: None,
            range: base + start..base + to,
            message: "`${` is never closed with `}`".to_string(),
        });
        return to;
    };
    let err = |out: &mut Interpolations, message: String| {
        out.errors.push(SyntaxError {
            range: base + start..base + close + 1,
            message,
            masked_message: None,
        });
    };
    let name_start = start + 2;
    let mut j = name_start;
    if j < close && is_name_start(b[j]) {
        while j < close && is_name(b[j]) {
            j += 1;
        }
    }
    if j == name_start {
        let inner = &text[name_start..close];
        err(
            out,
            if inner.is_empty() {
                "`${}` names no variable".to_string()
            } else {
                format!(
                    "`{inner}` is not a valid variable name (letters, digits and `_`, not starting with a digit)"
                )
            },
        );
        return close + 1;
    }
    let rest = &text[j..close];
    let (op, arg_start) = if rest.is_empty() {
        (Op::Plain, None)
    } else {
        let colon = rest.starts_with(':');
        let opc = if colon { rest.as_bytes().get(1).copied() } else { Some(rest.as_bytes()[0]) };
        let op = match opc {
            Some(b'-') => Op::Default { colon },
            Some(b'?') => Op::Required { colon },
            Some(b'+') => Op::Alternative { colon },
            _ => {
                // `${NAME<rest>}`: the rest may be a secret default, masked for display.
                let name = &text[name_start..j];
                let message = |rest: &str| {
                    format!(
                        "`${{{name}{rest}}}` is not a valid interpolation: after the name use `:-`, `-`, `:?`, `?`, `:+` or `+`"
                    )
                };
                let masked = crate::secrets::display_value(name, rest, true);
                out.errors.push(SyntaxError {
                    range: base + start..base + close + 1,
                    message: message(rest),
                    masked_message: (masked != rest).then(|| message(&masked)),
                });
                return close + 1;
            }
        };
        (op, Some(j + if colon { 2 } else { 1 }))
    };
    out.vars.push(Var {
        name: text[name_start..j].to_string(),
        name_range: base + name_start..base + j,
        range: base + start..base + close + 1,
        op,
        arg: arg_start.map(|a| (text[a..close].to_string(), base + a..base + close)),
        nested,
    });
    if let Some(a) = arg_start
        && depth < 16
    {
        scan(text, a, close, base, true, depth + 1, out);
    }
    close + 1
}

/// Substitute every reference using `lookup`. A `:?`/`?` reference to a missing variable is an
/// error carrying its message.
pub fn resolve(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
    resolve_depth(text, lookup, 0)
}

fn resolve_depth(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    depth: usize,
) -> Result<String, String> {
    if depth > 16 {
        return Err("interpolation nested too deeply".to_string());
    }
    let parsed = parse_interpolations(text, 0);
    if let Some(e) = parsed.errors.first() {
        return Err(e.message.clone());
    }
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let b = text.as_bytes();
    let mut vars = parsed.vars.iter().filter(|v| !v.nested).peekable();
    while i < text.len() {
        if let Some(v) = vars.peek()
            && v.range.start == i
        {
            let value = lookup(&v.name);
            let arg = |a: &Option<(String, Range<usize>)>| -> Result<String, String> {
                resolve_depth(a.as_ref().map(|a| a.0.as_str()).unwrap_or(""), lookup, depth + 1)
            };
            let unset_or_empty = |colon: bool| match &value {
                None => true,
                Some(s) => colon && s.is_empty(),
            };
            let piece = match v.op {
                Op::Plain => value.clone().unwrap_or_default(),
                Op::Default { colon } => {
                    if unset_or_empty(colon) {
                        arg(&v.arg)?
                    } else {
                        value.clone().unwrap_or_default()
                    }
                }
                Op::Required { colon } => {
                    if unset_or_empty(colon) {
                        let msg = arg(&v.arg)?;
                        return Err(if msg.is_empty() {
                            format!("required variable {} is missing a value", v.name)
                        } else {
                            msg
                        });
                    }
                    value.clone().unwrap_or_default()
                }
                Op::Alternative { colon } => {
                    if unset_or_empty(colon) {
                        String::new()
                    } else {
                        arg(&v.arg)?
                    }
                }
            };
            out.push_str(&piece);
            i = v.range.end;
            vars.next();
            continue;
        }
        if b[i] == b'$' && b.get(i + 1) == Some(&b'$') {
            out.push('$');
            i += 2;
            continue;
        }
        let n = next_char(text, i);
        out.push_str(&text[i..n]);
        i = n;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;

    fn check(text: &str, expect: Expect) {
        let p = parse_interpolations(text, 10);
        let mut out = String::new();
        for v in &p.vars {
            out.push_str(&format!(
                "{} name={:?} range={:?} {:?}{}{}\n",
                v.name,
                v.name_range,
                v.range,
                v.op,
                v.arg.as_ref().map(|a| format!(" arg={:?}@{:?}", a.0, a.1)).unwrap_or_default(),
                if v.nested { " nested" } else { "" }
            ));
        }
        for e in &p.errors {
            out.push_str(&format!("error {:?}: {}\n", e.range, e.message));
        }
        let env = |k: &str| match k {
            "SET" => Some("s".to_string()),
            "EMPTY" => Some(String::new()),
            _ => None,
        };
        out.push_str(&format!("resolved: {:?}\n", resolve(text, &env)));
        expect.assert_eq(&out);
    }

    #[test]
    fn forms() {
        check(
            "$SET-${SET}/${NO:-d}/${EMPTY-d}/${EMPTY:-d}/${SET:+a}/$$NO",
            expect![[r#"
                SET name=11..14 range=10..14 Plain
                SET name=17..20 range=15..21 Plain
                NO name=24..26 range=22..30 Default { colon: true } arg="d"@28..29
                EMPTY name=33..38 range=31..41 Default { colon: false } arg="d"@39..40
                EMPTY name=44..49 range=42..53 Default { colon: true } arg="d"@51..52
                SET name=56..59 range=54..63 Alternative { colon: true } arg="a"@61..62
                resolved: Ok("s-s/d//d/a/$NO")
            "#]],
        );
        check(
            "${A:-${B:-${SET}}}x",
            expect![[r#"
            A name=12..13 range=10..28 Default { colon: true } arg="${B:-${SET}}"@15..27
            B name=17..18 range=15..27 Default { colon: true } arg="${SET}"@20..26 nested
            SET name=22..25 range=20..26 Plain nested
            resolved: Ok("sx")
        "#]],
        );
        check(
            "${NO:?must be set}",
            expect![[r#"
            NO name=12..14 range=10..28 Required { colon: true } arg="must be set"@16..27
            resolved: Err("must be set")
        "#]],
        );
        check(
            "${NO?}",
            expect![[r#"
            NO name=12..14 range=10..16 Required { colon: false } arg=""@15..15
            resolved: Err("required variable NO is missing a value")
        "#]],
        );
    }

    #[test]
    fn errors() {
        check(
            "echo $1 and ${}",
            expect![[r#"
            error 15..17: `$1` is not a variable reference; write `$$` for a literal dollar sign
            error 22..25: `${}` names no variable
            resolved: Err("`$1` is not a variable reference; write `$$` for a literal dollar sign")
        "#]],
        );
        check(
            "${A:x} ${9} ${open",
            expect![[r#"
            error 10..16: `${A:x}` is not a valid interpolation: after the name use `:-`, `-`, `:?`, `?`, `:+` or `+`
            error 17..21: `9` is not a valid variable name (letters, digits and `_`, not starting with a digit)
            error 22..28: `${` is never closed with `}`
            resolved: Err("`${A:x}` is not a valid interpolation: after the name use `:-`, `-`, `:?`, `?`, `:+` or `+`")
        "#]],
        );
        check(
            "cost: 5$",
            expect![[r#"
            error 17..18: `$` is not a variable reference; write `$$` for a literal dollar sign
            resolved: Err("`$` is not a variable reference; write `$$` for a literal dollar sign")
        "#]],
        );
    }
}

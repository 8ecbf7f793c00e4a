//! Just enough shell reading for the RUN rules: split a script into simple commands (on `&&`,
//! `||`, `;`, `|`, `&`, newlines and parentheses) made of unquoted words with source ranges.

use std::ops::Range;

use crate::dockerfile::model::Instruction;

#[derive(Clone, Debug)]
pub struct ShWord {
    pub text: String,
    pub range: Range<usize>,
}

#[derive(Clone, Debug, Default)]
pub struct Script {
    pub commands: Vec<Vec<ShWord>>,
    /// Source ranges of `|` pipes.
    pub pipes: Vec<Range<usize>>,
}

impl Script {
    /// Commands whose program is `prog` (after `sudo`/`env` prefixes), as (program index, words).
    pub fn calls<'s>(&'s self, prog: &'s str) -> impl Iterator<Item = &'s [ShWord]> + 's {
        self.commands.iter().filter_map(move |c| {
            let mut i = 0;
            while i < c.len() && (c[i].text == "sudo" || c[i].text.contains('=')) {
                i += 1;
            }
            (c.get(i)?.text == prog).then(|| &c[i..])
        })
    }
}

/// Parse `s`, mapping byte offsets of `s` to source offsets with `map`.
pub fn parse(s: &str, map: &dyn Fn(usize) -> usize) -> Script {
    let b = s.as_bytes();
    let mut out = Script::default();
    let mut cmd: Vec<ShWord> = Vec::new();
    let mut i = 0;
    let finish = |cmd: &mut Vec<ShWord>, out: &mut Script| {
        if !cmd.is_empty() {
            out.commands.push(std::mem::take(cmd));
        }
    };
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\r' => i += 1,
            b'\n' | b';' | b'(' | b')' | b'{' | b'}' => {
                finish(&mut cmd, &mut out);
                i += 1;
            }
            b'&' | b'|' => {
                let double = b.get(i + 1) == Some(&c);
                if c == b'|' && !double {
                    out.pipes.push(map(i)..map(i) + 1);
                }
                finish(&mut cmd, &mut out);
                i += if double { 2 } else { 1 };
            }
            b'#' if cmd.is_empty() => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            _ => {
                let start = i;
                let mut text = String::new();
                let mut quote: Option<u8> = None;
                while i < b.len() {
                    let c = b[i];
                    match quote {
                        Some(q) if c == q => {
                            quote = None;
                            i += 1;
                        }
                        Some(q) => {
                            // Copy up to the closing quote in one go (it is ASCII, so the run
                            // ends on a char boundary).
                            let end =
                                b[i..].iter().position(|&c| c == q).map_or(b.len(), |n| i + n);
                            text.push_str(&s[i..end]);
                            i = end;
                        }
                        None if b" \t\r\n;&|()".contains(&c) => break,
                        None if c == b'"' || c == b'\'' => {
                            quote = Some(c);
                            i += 1;
                        }
                        None if c == b'\\' && i + 1 < b.len() => {
                            if b[i + 1] != b'\n' {
                                let ch = s[i + 1..].chars().next().unwrap_or(' ');
                                text.push(ch);
                                i += 1 + ch.len_utf8();
                            } else {
                                i += 2;
                            }
                        }
                        None => {
                            // A run of ordinary bytes (every byte that matters is ASCII).
                            let end = b[i..]
                                .iter()
                                .position(|c| b" \t\r\n;&|()\"'\\".contains(c))
                                .map_or(b.len(), |n| i + n)
                                .max(i + 1);
                            let end =
                                (end..=b.len()).find(|&e| s.is_char_boundary(e)).unwrap_or(b.len());
                            text.push_str(&s[i..end]);
                            i = end;
                        }
                    }
                }
                let end = if i > start { map(i - 1) + 1 } else { map(start) };
                cmd.push(ShWord { text, range: map(start)..end });
            }
        }
    }
    finish(&mut cmd, &mut out);
    out
}

/// The shell scripts of a RUN instruction: its shell-form command line, or its heredoc bodies.
/// Exec-form (JSON) RUNs have none.
pub fn run_scripts(inst: &Instruction, text: &str) -> Vec<Script> {
    if inst.json.is_some() {
        return Vec::new();
    }
    let mut out = Vec::new();
    if inst.heredocs.is_empty() {
        let base = inst.args_logical_start;
        let lg = &inst.logical;
        out.push(parse(&inst.args_text, &|o| lg.src(base + o)));
    } else {
        for h in &inst.heredocs {
            let body = text.get(h.body.clone()).unwrap_or("");
            let start = h.body.start;
            out.push(parse(body, &|o| start + o));
        }
    }
    out
}

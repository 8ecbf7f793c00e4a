//! Signature help for instruction arguments: the instruction's syntax forms, with the part
//! the cursor is in highlighted.
//!
//! `SignatureHelp` lives here rather than in `crate::ide` because only Dockerfiles offer it
//! so far; the lead may move it.

use std::ops::Range;

use super::complete::instruction_at;
use super::knowledge;
use crate::workspace::Document;

pub use crate::ide::{Signature, SignatureHelp};

pub fn signature_help(doc: &Document, offset: usize) -> Option<SignatureHelp> {
    let text = &*doc.text;
    let ins = instruction_at(doc, offset)?;
    if offset <= ins.keyword.end {
        return None;
    }
    let (mut keyword, mut words) = (ins.keyword.clone(), ins.words.as_slice());
    if text[keyword.clone()].eq_ignore_ascii_case("ONBUILD") && !words.is_empty() {
        if offset <= words[0].end {
            return None;
        }
        keyword = words[0].clone();
        words = &words[1..];
    }
    let info = knowledge::instruction(&text[keyword])?;
    let before: Vec<&str> =
        words.iter().filter(|w| w.start < offset).map(|w| &text[w.clone()]).collect();
    let typing_new = words.iter().all(|w| !(w.start <= offset && offset <= w.end));
    // The word at the cursor: the last one started, or a new one after whitespace.
    let current = if typing_new { "" } else { before.last().copied().unwrap_or("") };
    let done = if typing_new { before.len() } else { before.len().saturating_sub(1) };
    let positional: Vec<&str> =
        before[..done].iter().copied().filter(|w| !w.starts_with("--")).collect();
    let first_arg = positional.first().copied().unwrap_or(current);

    let signatures: Vec<Signature> = info
        .syntax
        .iter()
        .map(|s| Signature {
            label: s.to_string(),
            documentation: Some(info.summary.to_string()),
            parameters: parameters(s),
        })
        .collect();
    let active_signature = info
        .syntax
        .iter()
        .position(|s| {
            let json = s.contains("[\"");
            match info.name {
                "HEALTHCHECK" => s.contains("NONE") == first_arg.eq_ignore_ascii_case("NONE"),
                "FROM" => s.contains('@') == first_arg.contains('@'),
                "RUN" if first_arg.starts_with("<<") => s.contains("<<"),
                _ => json == first_arg.starts_with('['),
            }
        })
        .unwrap_or(0);
    let sig = &signatures[active_signature];
    let params: Vec<&str> = sig.parameters.iter().map(|r| &sig.label[r.clone()]).collect();
    let active_parameter = if current.starts_with("--") {
        let name = current.split('=').next().unwrap_or(current);
        params
            .iter()
            .position(|p| p.contains(name))
            .or_else(|| params.iter().position(|p| p.starts_with("[--")))
    } else {
        // Each parameter takes as many words as it has (`[AS <name>]` takes two); a JSON
        // array is one parameter however many words it has.
        let mut remaining = if first_arg.starts_with('[') { 0 } else { positional.len() };
        let mut active = None;
        for (i, p) in params.iter().enumerate().filter(|(_, p)| !p.starts_with("[--")) {
            active = Some(i);
            let words = if p.starts_with("[\"") { usize::MAX } else { p.split(' ').count() };
            if remaining < words {
                break;
            }
            remaining -= words;
        }
        active
    };
    Some(SignatureHelp { signatures, active_signature, active_parameter })
}

/// The parameters of a syntax line: the space-separated parts after the keyword, where
/// brackets group (`[AS <name>]` is one parameter).
fn parameters(syntax: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let start = syntax.find(' ').map_or(syntax.len(), |i| i + 1);
    let mut depth = 0i32;
    let mut begin = start;
    for (i, c) in syntax[start..].char_indices() {
        let at = start + i;
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            ' ' if depth == 0 => {
                if begin < at {
                    out.push(begin..at);
                }
                begin = at + 1;
            }
            _ => {}
        }
    }
    if begin < syntax.len() {
        out.push(begin..syntax.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::testing::fixture;

    fn check(fx: &str, expect: Expect) {
        let f = fixture(fx);
        let (doc, offset) = f.at_cursor();
        let actual = match signature_help(doc, offset) {
            None => "(none)".to_string(),
            Some(h) => {
                let s = &h.signatures[h.active_signature];
                let mut label = s.label.clone();
                if let Some(p) = h.active_parameter.map(|i| s.parameters[i].clone()) {
                    label.insert(p.end, '»');
                    label.insert(p.start, '«');
                }
                format!("{}/{}: {label}", h.active_signature + 1, h.signatures.len())
            }
        };
        expect.assert_eq(&actual);
    }

    #[test]
    fn never_panics() {
        let f =
            fixture(&format!("#- /Dockerfile\n{}", crate::dockerfile::complete::tests::AWKWARD));
        let doc = f.doc("Dockerfile");
        for offset in 0..=doc.text.len() + 1 {
            let _ = signature_help(doc, offset);
        }
    }

    #[test]
    fn highlights_the_current_part() {
        check(
            "FROM $0\n",
            expect!["1/2: FROM [--platform=<platform>] «<image>[:<tag>]» [AS <name>]"],
        );
        check(
            "FROM --plat$0\n",
            expect!["1/2: FROM «[--platform=<platform>]» <image>[:<tag>] [AS <name>]"],
        );
        check(
            "FROM python:3.12 $0\n",
            expect!["1/2: FROM [--platform=<platform>] <image>[:<tag>] «[AS <name>]»"],
        );
        check(
            "FROM python@sha256:a AS b$0\n",
            expect!["2/2: FROM [--platform=<platform>] <image>[@<digest>] «[AS <name>]»"],
        );
        check(
            "FROM alpine\nCOPY --from=x a $0\n",
            expect!["1/2: COPY [--flags] <src>... «<dest>»"],
        );
        check(
            "FROM alpine\nCMD [\"a\", $0\n",
            expect![[r#"1/3: CMD «["<executable>", "<param>", ...]»"#]],
        );
        check("FROM alpine\nHEALTHCHECK NONE$0\n", expect!["2/2: HEALTHCHECK «NONE»"]);
        check(
            "FROM alpine\nONBUILD RUN $0\n",
            expect![
                "1/3: RUN [--mount=<mount>] [--network=<mode>] [--security=<mode>] «<command>»"
            ],
        );
        check("FROM$0 alpine\n", expect!["(none)"]);
    }
}

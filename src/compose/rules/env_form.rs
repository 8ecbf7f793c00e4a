//! A refactoring rather than a rule: convert a service's `environment` between the list form
//! (`- KEY=value`) and the map form (`KEY: value`). Values keep their exact text: map values
//! that YAML would read as a number, boolean or null are quoted.

use std::ops::Range;

use crate::compose::model::{self, KeyValue};
use crate::diagnostics::Fix;
use crate::workspace::Document;
use crate::yaml::{Entry, Node, Value};

/// Conversions offered for the `environment` keys or values touching `range`.
pub fn convert_environment(doc: &Document, range: Range<usize>) -> Vec<Fix> {
    let m = model::model(doc);
    let Some(services) = m.yaml.get("services") else { return Vec::new() };
    let touches = |r: &Range<usize>| r.start <= range.end && range.start <= r.end;
    let mut out = Vec::new();
    for svc in services.entries().iter().filter(|e| e.merged_from.is_none()) {
        let Some(env) = svc.value.as_map().and_then(|m| m.entry("environment")) else { continue };
        if env.merged_from.is_some() || !(touches(&env.key_range) || touches(&env.value.range)) {
            continue;
        }
        if let Some(fix) = convert(doc, env) {
            out.push(fix);
        }
    }
    out
}

fn convert(doc: &Document, env: &Entry) -> Option<Fix> {
    let v = &env.value;
    if v.alias.is_some() || v.anchor.is_some() || v.tag.is_some() {
        return None;
    }
    let text = &doc.text;
    let (to_map, flow, covered, first, end) = match &v.value {
        Value::Seq(s) if !s.items.is_empty() => {
            if s.items.iter().any(|i| i.as_scalar().is_none() || i.alias.is_some()) {
                return None;
            }
            let covered: Vec<Range<usize>> = s.items.iter().map(|i| i.range.clone()).collect();
            let end = covered.iter().map(|r| r.end).max()?;
            (true, s.flow, covered, s.items[0].range.start, end)
        }
        Value::Map(m) if !m.entries.is_empty() => {
            let plain = |n: &Node| n.is_null() || n.as_scalar().is_some();
            if m.entries
                .iter()
                .any(|e| e.merged_from.is_some() || !plain(&e.value) || e.value.alias.is_some())
            {
                return None;
            }
            let covered: Vec<Range<usize>> = m
                .entries
                .iter()
                .flat_map(|e| [e.key_range.clone(), e.value.range.clone()])
                .collect();
            let end = covered.iter().map(|r| r.end).max()?;
            (false, m.flow, covered, m.entries[0].key_range.start, end)
        }
        _ => return None,
    };
    let pairs = model::key_values(v);
    let (start, end) =
        if flow { (v.range.start, v.range.end) } else { (line_indent_start(text, first), end) };
    // Comments in between would be lost: offer nothing rather than drop them.
    let region = text.get(start..end)?;
    let commented = region.char_indices().any(|(i, c)| {
        c == '#' && !covered.iter().any(|r| r.start <= start + i && start + i < r.end)
    });
    if commented {
        return None;
    }
    let items: Vec<String> =
        pairs.iter().map(|p| if to_map { map_entry(p) } else { list_item(p, flow) }).collect();
    let new_text = if flow {
        if to_map { format!("{{{}}}", items.join(", ")) } else { format!("[{}]", items.join(", ")) }
    } else {
        let col = start - line_start(text, start);
        let key_col = env.key_range.start - line_start(text, env.key_range.start);
        // Map keys must be indented under `environment:`; an indentless list's are not.
        let col = if to_map && col <= key_col { key_col + 2 } else { col };
        let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
        let sep = format!("{eol}{}", " ".repeat(col));
        let first_pad = " ".repeat(col - (start - line_start(text, start)));
        let body: Vec<String> =
            items.iter().map(|i| if to_map { i.clone() } else { format!("- {i}") }).collect();
        format!("{first_pad}{}", body.join(&sep))
    };
    let title =
        if to_map { "Convert `environment` to a map" } else { "Convert `environment` to a list" };
    Some(Fix::local(title, &doc.path, vec![(start..end, new_text)], false))
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1)
}

/// Where the line holding `at` starts its content (the dash of a list item, or the key).
fn line_indent_start(text: &str, at: usize) -> usize {
    let ls = line_start(text, at);
    ls + text[ls..at].len() - text[ls..at].trim_start_matches(' ').len()
}

fn map_entry(p: &KeyValue) -> String {
    let key = if plain_ok(&p.key, false) { p.key.clone() } else { quoted(&p.key) };
    match &p.value {
        None => format!("{key}:"),
        Some(v) if plain_ok(&v.text, false) && !typed_scalar(&v.text) => {
            format!("{key}: {}", v.text)
        }
        Some(v) => format!("{key}: {}", quoted(&v.text)),
    }
}

fn list_item(p: &KeyValue, flow: bool) -> String {
    let item = match &p.value {
        None => p.key.clone(),
        Some(v) => format!("{}={}", p.key, v.text),
    };
    if plain_ok(&item, flow) { item } else { quoted(&item) }
}

/// Whether `s` can be written as a plain YAML scalar and read back as the same string.
fn plain_ok(s: &str, flow: bool) -> bool {
    let Some(first) = s.chars().next() else { return false };
    !"-?:,[]{}#&*!|>'\"%@`".contains(first)
        && s.trim() == s
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.chars().any(|c| c.is_control())
        && !(flow && s.contains([',', '[', ']', '{', '}']))
}

/// Plain text YAML would read as something other than a string (Compose would then pass its
/// own rendering of the number or boolean, not the text as written).
fn typed_scalar(s: &str) -> bool {
    const WORDS: &[&str] = &["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"];
    WORDS.contains(&s.to_ascii_lowercase().as_str())
        || s.parse::<f64>().is_ok()
        || s.starts_with("0x")
        || s.starts_with("0o")
        || s.starts_with('.') && s.len() > 1
}

fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use crate::testing::fixture;

    /// The refactors offered at the cursor (or range), each applied.
    fn check(text: &str, expect: Expect) {
        let f = fixture(text);
        let (doc, offset) = f.at_cursor();
        let range = f.range.as_ref().map_or(offset..offset, |(_, r)| r.clone());
        let mut out = String::new();
        for fix in crate::compose::refactors(&f.snapshot, doc, range) {
            let mut t = doc.text.to_string();
            for e in fix.edits.iter().rev() {
                t.replace_range(e.range.clone(), &e.new_text);
            }
            out.push_str(&format!("{}:\n{t}", fix.title));
        }
        expect.assert_eq(if out.is_empty() { "(none)\n" } else { &out });
    }

    #[test]
    fn list_to_map() {
        check(
            r#"
            #- /compose.yaml
            services:
              web:
                environ$0ment:
                  - DEBUG=1
                  - NAME=my app
                  - EMPTY=
                  - FROM_SHELL
                  - URL=postgres://db:5432/app
                  - FLAG=true
                image: app
            "#,
            expect![[r#"
                Convert `environment` to a map:
                services:
                  web:
                    environment:
                      DEBUG: "1"
                      NAME: my app
                      EMPTY: ""
                      FROM_SHELL:
                      URL: postgres://db:5432/app
                      FLAG: "true"
                    image: app
            "#]],
        );
    }

    #[test]
    fn map_to_list() {
        check(
            r#"
            #- /compose.yaml
            services:
              web:
                environment:
                  DEBUG: "1"
                  NOTE: 'a: b'
                  $0FROM_SHELL:
                  PORT: 8000
            "#,
            expect![[r#"
                Convert `environment` to a list:
                services:
                  web:
                    environment:
                      - DEBUG=1
                      - "NOTE=a: b"
                      - FROM_SHELL
                      - PORT=8000
            "#]],
        );
    }

    #[test]
    fn indentless_list_and_flow_forms() {
        check(
            "#- /compose.yaml\nservices:\n  web:\n    $0environment:\n    - A=1\n    - B=x\n",
            expect![[r#"
                Convert `environment` to a map:
                services:
                  web:
                    environment:
                      A: "1"
                      B: x
            "#]],
        );
        check(
            "#- /compose.yaml\nservices:\n  web:\n    environment: {A: 1, B: x$0}\n",
            expect![[r#"
                Convert `environment` to a list:
                services:
                  web:
                    environment: [A=1, B=x]
            "#]],
        );
    }

    #[test]
    fn comments_in_between_or_aliases_block_it() {
        check(
            "#- /compose.yaml\nservices:\n  web:\n    environment$0:\n      - A=1  # mode\n      - B=2\n",
            expect!["(none)\n"],
        );
        check(
            "#- /compose.yaml\nservices:\n  web:\n    environment$0:\n      # the app's mode\n      - A=1\n",
            expect![[r#"
                Convert `environment` to a map:
                services:
                  web:
                    environment:
                      # the app's mode
                      A: "1"
            "#]],
        );
        check(
            "#- /compose.yaml\nx-env: &env\n  A: 1\nservices:\n  web:\n    environment$0: *env\n",
            expect!["(none)\n"],
        );
        check("#- /compose.yaml\nservices:\n  web:\n    ima$0ge: app\n", expect!["(none)\n"]);
    }
}

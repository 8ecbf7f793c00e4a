use expect_test::{Expect, expect};

use super::*;
use crate::workspace::{FileKind, document};

fn render(yaml: &Yaml, text: &str) -> String {
    fn go(n: &Node, text: &str, ind: usize, out: &mut String) {
        let pad = "  ".repeat(ind);
        let mut props = String::new();
        if let Some(a) = &n.anchor {
            props.push_str(&format!(" &{}", &text[a.start + 1..a.end]));
        }
        if let Some(a) = &n.alias {
            props.push_str(&format!(" *{}->{:?}", a.name, a.anchor));
        }
        if let Some(t) = &n.tag {
            props.push_str(&format!(" {t}"));
        }
        match &n.value {
            Value::Null => out.push_str(&format!("null {:?}{props}\n", n.range)),
            Value::Scalar(s) => out
                .push_str(&format!("{:?} {:?} {:?}/{:?}{props}\n", s.text, n.range, s.style, s.ty)),
            Value::Map(m) => {
                out.push_str(&format!("map {:?}{props}\n", n.range));
                if n.alias.is_some() {
                    return;
                }
                for e in &m.entries {
                    let via = e
                        .merged_from
                        .as_ref()
                        .map(|r| format!(" (merged via {r:?})"))
                        .unwrap_or_default();
                    out.push_str(&format!("{pad}  {:?} {:?}{via}: ", e.key, e.key_range));
                    if e.merged_from.is_some() {
                        out.push_str("…\n");
                    } else {
                        go(&e.value, text, ind + 1, out);
                    }
                }
            }
            Value::Seq(s) => {
                out.push_str(&format!("seq {:?}{props}\n", n.range));
                if n.alias.is_some() {
                    return;
                }
                for it in &s.items {
                    out.push_str(&format!("{pad}  - "));
                    go(it, text, ind + 1, out);
                }
            }
        }
    }
    let mut out = String::new();
    match &yaml.root {
        Some(r) => go(r, text, 0, &mut out),
        None => out.push_str("(empty)\n"),
    }
    for d in &yaml.duplicate_keys {
        out.push_str(&format!("duplicate {:?} {:?} first {:?}\n", d.key, d.duplicate, d.first));
    }
    for d in &yaml.other_documents {
        out.push_str(&format!("other document {d:?}\n"));
    }
    for d in &yaml.truncated {
        out.push_str(&format!("truncated {d:?}\n"));
    }
    out
}

fn parse_text(text: &str) -> Yaml {
    let tree = document::parse(FileKind::Compose, text, None).unwrap();
    parse(text, &tree)
}

fn check(text: &str, expect: Expect) {
    let y = parse_text(text);
    expect.assert_eq(&render(&y, text));
}

#[test]
fn scalars_and_collections() {
    check(
        "a: plain\nb: \"d\\tq\"\nc: 'it''s'\nd: 12\ne: true\nf: ~\ng:\nh: [1, x]\ni: {k: v, bare}\nj: !!str 5\n",
        expect![[r#"
            map 0..89
              "a" 0..1: "plain" 3..8 Plain/Str
              "b" 9..10: "d\tq" 12..18 DoubleQuoted/Str
              "c" 19..20: "it's" 22..29 SingleQuoted/Str
              "d" 30..31: "12" 33..35 Plain/Int
              "e" 36..37: "true" 39..43 Plain/Bool
              "f" 44..45: null 47..48
              "g" 49..50: null 51..51
              "h" 52..53: seq 55..61
                - "1" 56..57 Plain/Int
                - "x" 59..60 Plain/Str
              "i" 62..63: map 65..77
                "k" 66..67: "v" 69..70 Plain/Str
                "bare" 72..76: null 76..76
              "j" 78..79: "5" 87..88 Plain/Int !!str
        "#]],
    );
}

#[test]
fn block_scalars() {
    check(
        "lit: |\n  one\n  two\nfold: >-\n  one\n  two\nlast: x\n",
        expect![[r#"
            map 0..48
              "lit" 0..3: "one\ntwo\n" 5..18 Literal/Str
              "fold" 19..23: "one two" 25..39 Folded/Str
              "last" 40..44: "x" 46..47 Plain/Str
        "#]],
    );
}

#[test]
fn anchors_aliases_and_merges() {
    check(
        "x-base: &base\n  image: app\n  restart: always\nx-env: &env {A: 1}\nservices:\n  web:\n    <<: [*base, *env]\n    restart: \"no\"\n  worker:\n    <<: *base\n    env: *env\n    miss: *nope\n",
        expect![[r#"
            map 0..175
              "x-base" 0..6: map 16..44 &base
                "image" 16..21: "app" 23..26 Plain/Str
                "restart" 29..36: "always" 38..44 Plain/Str
              "x-env" 45..50: map 57..63 &env
                "A" 58..59: "1" 61..62 Plain/Int
              "services" 64..72: map 76..175
                "web" 76..79: map 85..120
                  "restart" 107..114: "no" 116..120 DoubleQuoted/Str
                  "image" 16..21 (merged via 90..95): …
                  "A" 58..59 (merged via 97..101): …
                "worker" 123..129: map 135..175
                  "env" 149..152: map 154..158 *env->Some(52..56)
                  "miss" 163..167: null 169..174 *nope->None
                  "image" 16..21 (merged via 139..144): …
                  "restart" 29..36 (merged via 139..144): …
        "#]],
    );
}

#[test]
fn duplicates_and_documents() {
    check(
        "a: 1\nb: 2\na: 3\n---\nsecond: 1\n",
        expect![[r#"
        map 0..14
          "a" 0..1: "1" 3..4 Plain/Int
          "b" 5..6: "2" 8..9 Plain/Int
          "a" 10..11: "3" 13..14 Plain/Int
        duplicate "a" 10..11 first 0..1
        other document 15..29
    "#]],
    );
}

#[test]
fn alias_bomb_is_cheap() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..60 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let mut text2 = String::from("m0: &m0 {k0: 1}\n");
    for i in 1..2000 {
        text2.push_str(&format!("m{i}: &m{i} {{<<: *m{}, k{i}: 1}}\n", i - 1));
    }
    let start = std::time::Instant::now();
    let y = parse_text(&text);
    assert_eq!(y.aliases.len(), 590);
    let y2 = parse_text(&text2);
    assert!(!y2.truncated.is_empty());
    // Not a timing test: a quadratic or exponential expansion would never finish at all.
    let _ = start.elapsed();
}

#[test]
fn deep_nesting_is_bounded() {
    let text = format!("a: {}{}\n", "[".repeat(5000), "]".repeat(5000));
    let y = parse_text(&text);
    assert!(!y.truncated.is_empty());
}

fn check_path(text: &str, expect: Expect) {
    let f = crate::testing::fixture(&format!("#- /compose.yaml\n{text}"));
    let (doc, offset) = f.at_cursor();
    let y = parse(&doc.text, doc.tree().unwrap());
    let p = y.path_at(&doc.text, offset);
    expect.assert_eq(&format!(
        "{} {:?} {:?}{}{}",
        p.keys().join("."),
        p.position,
        &doc.text[p.range.clone()],
        if p.new_key { " new-key" } else { "" },
        if p.block { " block" } else { "" }
    ));
}

#[test]
fn paths() {
    check_path(
        "services:\n  web:\n    ima$0ge: x\n",
        expect![[r#"services.web.image Key "image""#]],
    );
    check_path(
        "services:\n  web:\n    image: py$0thon\n",
        expect![[r#"services.web.image Value "python""#]],
    );
    check_path(
        "services:\n  web:\n    image: x\n    ima$0\n  db: {}\n",
        expect![[r#"services.web Key "ima" new-key"#]],
    );
    check_path(
        "services:\n  web:\n    image: x\n    $0\n",
        expect![[r#"services.web Key "" new-key"#]],
    );
    check_path(
        "services:\n  web:\n    build:\n      $0\n",
        expect![[r#"services.web.build Value "" block"#]],
    );
    check_path(
        "services:\n  web:\n    ports:\n      - 80$0\n",
        expect![[r#"services.web.ports.[0] Value "80""#]],
    );
    check_path(
        "services:\n  web:\n    environment:\n      - A=1\n      - $0\n",
        expect![[r#"services.web.environment.[1] Value """#]],
    );
    check_path("services:\n  web: {image: x, bu$0}\n", expect![[r#"services.web.bu Key "bu""#]]);
    check_path("services:\n  web:\n    image: x\n$0", expect![[r#" Key "" new-key"#]]);
    check_path("services:\n  web:\n    image: x\n  $0", expect![[r#"services Key "" new-key"#]]);
    check_path(
        "services:\n  web:\n    volumes:\n      - type: bind\n        $0\n",
        expect![[r#"services.web.volumes.[0] Key "" new-key"#]],
    );
}

/// An edit inside one service that changes where the service ends (a line typed after it,
/// a key dedented out of it) is not spliced; the previous value tree, moved while the lines
/// were parsed, is handed back exactly as it was, for the whole-file parse to reuse.
#[test]
fn a_refused_splice_leaves_the_previous_tree_as_it_was() {
    let base = "services:\n  a:\n    image: x\n    ports: [\"1:1\"]\n  b:\n    image: y\n  c:\n    image: z\nvolumes:\n  v: {}\n";
    let edits: [(&str, &str); 4] = [
        ("image: x", "image: x\n  d:\n    image: w"),
        ("image: x", "image: x\n  bb"),
        ("    ports", "  ports"),
        ("image: y", "image: y\n    build: ."),
    ];
    for (find, replace) in edits {
        let at = base.find(find).unwrap();
        let text = format!("{}{replace}{}", &base[..at], &base[at + find.len()..]);
        let old = parse_text(base);
        let change = crate::workspace::document::TextChange {
            start: at,
            old_end: at + find.len(),
            new_end: at + replace.len(),
        };
        let w = Window::of(&[change]).unwrap();
        let mut prev = Some((old.clone(), w));
        match splice(&text, &mut prev) {
            None => assert_eq!(prev.map(|(y, _)| y), Some(old), "{replace:?}"),
            Some(spliced) => assert_eq!(spliced, parse_text(&text), "{replace:?}"),
        }
    }
}

/// Every one-character edit at every offset of a small compose text: what the previous value
/// tree is turned into (a scalar's new value, a service parsed again) equals a fresh parse; a
/// character typed inside a value is taken without parsing.
#[test]
fn one_character_edits_everywhere_equal_a_fresh_parse() {
    let base = "name: demo\nservices:\n  web:\n    image: \"python:3.12\"\n    ports: ['80:80', 8000]\n    command: [gunicorn, app]\n    environment:\n      DEBUG: 'true'\n      URL: pg://db/x\n  db:\n    image: postgres\n    restart: always\nvolumes:\n  data: {}\n";
    let old = parse_text(base);
    let mut fast = 0;
    for at in 0..=base.len() {
        for typed in ["a", "7", " ", ":", "#", "\"", "'", "\n", "-", ",", "~", ""] {
            let end = if typed.is_empty() { (at + 1).min(base.len()) } else { at };
            let text = format!("{}{typed}{}", &base[..at], &base[end..]);
            let change = crate::workspace::document::TextChange {
                start: at,
                old_end: end,
                new_end: at + typed.len(),
            };
            let w = Window::of(&[change]).unwrap();
            if super::scalar_edit::find(&text, &old, w).is_some() {
                fast += 1;
            }
            let mut prev = Some((old.clone(), w));
            if let Some(spliced) = splice(&text, &mut prev) {
                assert_eq!(spliced, parse_text(&text), "{typed:?} at {at}:\n{text}");
            }
        }
    }
    // Letters and digits typed inside `python:3.12`, `gunicorn`, `pg://db/x`, `postgres`, ….
    assert!(fast > 100, "{fast}");
}

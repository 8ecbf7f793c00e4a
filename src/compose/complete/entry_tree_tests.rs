//! The syntax around a cursor read from a tree of just the enclosing service's lines
//! (`Yaml::entry_tree`) must give the context the whole file's tree gives, at every offset of
//! generated compose texts.

use proptest::prelude::*;

use super::*;
use crate::compose::ComposeModel;
use crate::diagnostics::path_arc;
use crate::workspace::{Document, FileKind};

/// The lines of one service entry (indented by 4), each ending in a newline.
fn service_line() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "    image: nginx:1.25\n",
        "    image: app # trailing comment\n",
        "    depends_on: [db, cache]\n",
        "    depends_on: [db,\n      cache]\n",
        "    depends_on: [\n      db,\n      cache,\n    ]\n",
        "    depends_on: []\n",
        "    environment: {A: 1, B: \"two\", C: }\n",
        "    environment: {\n      A: 1,\n      B: [x, {y: z}]\n    }\n",
        "    command: \"a quoted\n      command over lines\"\n",
        "    command: 'single\n      quoted'\n",
        "    command: a plain\n      scalar continued\n      twice\n",
        "    entrypoint: |\n      line one\n      line two\n",
        "    entrypoint: >-\n      folded\n\n      text\n",
        "    # a comment line\n",
        "\n",
        "    ports:\n      - \"80:80\"\n      - 443\n",
        "    ports:\n      - [a, b]\n      - {c: d}\n",
        "    healthcheck:\n      test: [\"CMD\", \"true\"]\n      interval: 10s\n",
        "    build:\n      context: .\n      args:\n        A: \"1\"\n",
        "    labels:\n      - 'single\n        quoted item'\n",
        "    volumes:\n      - data:/x\n      # inner comment\n",
        "    environment: *env\n",
        "    networks:\n",
        "    restart: \n",
        "    x: \"unterminated\n",
    ])
}

/// One service: its key line, then some lines; sometimes written in flow style.
fn service() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec!["web", "db", "\"quoted\"", "a-b"]);
    let block = (key.clone(), prop::collection::vec(service_line(), 0..5))
        .prop_map(|(k, lines)| format!("  {k}:\n{}", lines.concat()));
    let flow = key.prop_map(|k| format!("  {k}: {{image: x, ports: [1,\n      2]}}\n"));
    prop_oneof![4 => block, 1 => flow]
}

fn compose_text() -> impl Strategy<Value = String> {
    let head = prop::sample::select(vec!["", "name: demo\n", "x-env: &env\n  A: 1\n", "# top\n"]);
    let tail = prop::sample::select(vec![
        "",
        "volumes:\n  data: {}\n",
        "# trailing comment\n",
        "\n\n",
        "networks: [a,\n  b]\n",
    ]);
    let between = prop::sample::select(vec![
        "",
        "",
        "\n",
        "    \n",
        "  \n\n      \n",
        "\t\n",
        "  # between\n",
        "    \n  # between\n",
        "# col 0\n",
    ]);
    (head, prop::collection::vec((service(), between), 1..5), tail, any::<bool>()).prop_map(
        |(head, services, tail, strip)| {
            let mut s = format!("{head}services:\n");
            for (svc, between) in services {
                s.push_str(&svc);
                s.push_str(between);
            }
            s.push_str(tail);
            if strip {
                // No newline at the end of the file.
                s.truncate(s.trim_end().len());
            }
            s
        },
    )
}

/// At each offset of `doc`: the context read with the local tree (where there is one) equals
/// the context read with the whole file's, from scratch; returns how many offsets had a local
/// tree. `doc` may be an edited version, whose value tree was spliced.
fn check_doc(doc: &Document) -> usize {
    let text: &str = &doc.text;
    let m: std::sync::Arc<ComposeModel> = crate::compose::model(doc);
    let fresh = Document::new(doc.path.clone(), FileKind::Compose, None, text);
    let fresh_m = crate::compose::model(&fresh);
    let whole = fresh.tree().map(|t| Syntax::whole(t, text));
    let mut local = 0;
    for offset in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
        let Some(e) = m.yaml.entry_tree(text, offset) else { continue };
        local += 1;
        assert!(fresh_m.yaml.is_clean());
        assert!(e.entry.start <= offset, "{offset} before {:?}", e.entry);
        assert_eq!(
            cursor_context(&m.yaml, Some(Syntax::entry(&e)), text, offset),
            cursor_context(&fresh_m.yaml, whole, text, offset),
            "at {offset} ({:?}|{:?}) of\n{text}",
            &text[..offset].rsplit('\n').next().unwrap_or(""),
            &text[offset..].split('\n').next().unwrap_or(""),
        );
    }
    local
}

fn check(text: &str) -> usize {
    check_doc(&Document::new(path_arc("/w/compose.yaml"), FileKind::Compose, Some(1), text))
}

/// Typing as lspbench does: a few characters at a spot, the model built after each.
fn typed(text: &str, edits: &[(f64, &str)]) -> Document {
    let mut doc = Document::new(path_arc("/w/compose.yaml"), FileKind::Compose, Some(1), text);
    crate::compose::model(&doc);
    for (i, (at, insert)) in edits.iter().enumerate() {
        let mut at = (at * doc.text.len() as f64) as usize;
        while !doc.text.is_char_boundary(at) {
            at -= 1;
        }
        doc = doc.edit(at..at, insert, Some(i as i32 + 2));
        crate::compose::model(&doc);
    }
    doc
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn local_tree_reads_as_the_whole_files(text in compose_text()) {
        check(&text);
    }

    #[test]
    fn local_tree_after_typing_reads_as_the_whole_files(
        text in compose_text(),
        edits in prop::collection::vec(
            (0.0..=1.0f64, prop::sample::select(vec!["x", "7", " ", ",", "\n", "[", "#"])),
            1..4,
        ),
    ) {
        check_doc(&typed(&text, &edits));
    }
}

/// The local tree is used where the tree matters: in a flow collection and in a scalar
/// continued from an earlier line, inside a service.
#[test]
fn local_tree_covers_flow_collections_and_multi_line_scalars() {
    let text = "services:\n  web:\n    depends_on: [db,\n      ca]\n    command: a\n      bc\n  db:\n    image: x\n";
    assert!(check(text) > 0);
    let doc = Document::new(path_arc("/w/compose.yaml"), FileKind::Compose, Some(1), text);
    let m = crate::compose::model(&doc);
    for at in [text.find("ca]").unwrap() + 2, text.find("      bc").unwrap() + 7] {
        let e = m.yaml.entry_tree(text, at).unwrap();
        assert_eq!(cursor_context(&m.yaml, Some(Syntax::entry(&e)), text, at).1, Source::Tree);
    }
    // Not in a service: the whole file's tree.
    assert!(m.yaml.entry_tree(text, text.find("services").unwrap() + 3).is_none());
}

/// Where an editor asks for the next key: an indented blank line after a service.
#[test]
fn local_tree_covers_blank_lines_after_a_service() {
    let text = "services:\n  web:\n    image: x\n    \n\n  db:\n    image: y\n    \nvolumes:\n  v: {}\n  \n";
    let doc = Document::new(path_arc("/w/compose.yaml"), FileKind::Compose, Some(1), text);
    let m = crate::compose::model(&doc);
    let after = |s: &str| text.find(s).unwrap() + s.len();
    assert!(m.yaml.entry_tree(text, after("x\n    \n")).is_some());
    for at in [after("x\n    "), after("y\n    ")] {
        let e = m.yaml.entry_tree(text, at).unwrap();
        let (ctx, _) = cursor_context(&m.yaml, Some(Syntax::entry(&e)), text, at);
        assert!(ctx.on_key && ctx.path.len() == 2, "{at}: {ctx:?}");
    }
    assert!(check(text) > 0);
}

/// After typing inside a service, completion needs no syntax tree of the whole file (a second
/// copy of its nodes while the old one lives).
#[test]
fn completion_after_typing_in_a_service_keeps_the_whole_tree_unparsed() {
    let path = path_arc("/w/compose.yaml");
    let text = "services:\n  web:\n    depends_on: [db]\n    \n  db:\n    image: x\n";
    let doc = std::sync::Arc::new(Document::new(path, FileKind::Compose, Some(1), text));
    crate::compose::model(&doc);
    let at = text.find("db]").unwrap();
    let doc = std::sync::Arc::new(doc.edit(at..at, "c", Some(2)));
    let fresh =
        std::sync::Arc::new(Document::new(doc.path.clone(), FileKind::Compose, None, &doc.text));
    let complete = |d: &std::sync::Arc<Document>, at: usize| {
        let mut snap = crate::workspace::Snapshot::new(Vec::new());
        snap.insert_arc(d.clone());
        crate::compose::complete(&snap, d, at)
    };
    let items = complete(&doc, at + 1);
    assert!(items.iter().any(|i| i.label == "db"), "{items:?}");
    assert_eq!(items, complete(&fresh, at + 1));
    let blank = doc.text.find("]\n    ").unwrap() + 6;
    let items = complete(&doc, blank);
    assert!(items.iter().any(|i| i.label == "image"), "{items:?}");
    assert_eq!(items, complete(&fresh, blank));
    assert!(!doc.has_parsed_tree());
}

//! A model built from its predecessor (reusing what the edits left alone) must equal one built
//! from scratch, and so must the diagnostics: random edit sequences, applied one by one, with
//! the model sometimes skipped for a version so that several changes pile up.

use proptest::prelude::*;

use super::model::{self, ComposeModel};
use crate::diagnostics::path_arc;
use crate::workspace::{Document, FileKind, Snapshot};

const BASE: &str = "name: demo\nx-env: &env\n  LOG: info\nservices:\n  web:\n    image: app:${TAG:-1}\n    build:\n      context: .\n      args:\n        A: \"1\"\n    environment:\n      - DEBUG=1\n      - URL=$${X}\n    ports: [\"8000:8000\"]\n    depends_on: [db]\n  db:\n    image: postgres:16\n    environment: *env\n    volumes:\n      - data:/var/lib/postgresql\n  worker:\n    <<: &base\n      image: app\n      restart: always\n    command: |\n      run ${QUEUE}\n    imagee: x\n  cache:\n    image: redis\n    image: redis:7\n    ports:\n      - \"6379:6379\"\n  proxy:\n    image: nginx:${NGINX:?need}\n    healthcheck: {test: [\"CMD\", \"true\"], interval: 10}\n\n  other:\n    <<: *base\n    environment:\n      KEY: ${A:-${B}}\nvolumes:\n  data: {}\nnetworks:\n  back:\n    external: true\n";

/// An edit: a position and length as fractions of the text, the inserted text, and whether the
/// model of the result is built (when not, the next build sees two changes).
fn edit() -> impl Strategy<Value = (f64, f64, String, bool)> {
    let pieces = prop::sample::select(vec![
        "",
        " ",
        "\n",
        "x",
        ":",
        ": ",
        "- ",
        "  ",
        "\n  ",
        "\n    ",
        "{",
        "}",
        "[",
        "]",
        "\"",
        "'",
        "$",
        "${",
        "${Y}",
        "#",
        "&a ",
        "*a",
        "*env",
        "<<: *base\n",
        "|\n",
        "é",
        "services:\n",
        "  svc:\n    image: a\n",
        "\t",
    ]);
    (
        0.0..=1.0f64,
        prop_oneof![Just(0.0), 0.0..=0.05f64],
        prop::collection::vec(pieces, 0..3).prop_map(|v| v.concat()),
        prop::bool::weighted(0.8),
    )
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn snap_of(doc: &std::sync::Arc<Document>) -> Snapshot {
    let mut s = Snapshot::new(Vec::new());
    s.insert_arc(doc.clone());
    s
}

/// Everything but the value tree (compared with `==`: its maps' hash indexes print in
/// arbitrary order).
fn render(m: &ComposeModel) -> String {
    let fields = (
        (&m.version, &m.name, &m.services, &m.services_key),
        (&m.networks, &m.volumes, &m.secrets, &m.configs),
        (&m.sections, &m.includes, &m.extensions, &m.interpolation),
    );
    format!("{fields:#?}")
}

fn check(base: &str, edits: &[(f64, f64, String, bool)]) {
    let path = path_arc("/w/compose.yaml");
    let mut doc =
        std::sync::Arc::new(Document::new(path.clone(), FileKind::Compose, Some(1), base));
    model::model(&doc);
    // Every other model stays alive through the next build, which must then copy from it
    // rather than take it over (both paths are exercised).
    let mut _held = None;
    for (i, (at, len, insert, build)) in edits.iter().enumerate() {
        let n = doc.text.len();
        let start = floor_boundary(&doc.text, (at * n as f64) as usize);
        let end = floor_boundary(&doc.text, start + (len * n as f64) as usize);
        doc = std::sync::Arc::new(doc.edit(start..end, insert, Some(i as i32 + 2)));
        if !build && i + 1 < edits.len() {
            continue;
        }
        let fresh =
            std::sync::Arc::new(Document::new(path.clone(), FileKind::Compose, None, &doc.text));
        let (inc, scratch) = (model::model(&doc), model::model(&fresh));
        _held = (i % 2 == 0).then(|| inc.clone());
        assert_eq!(inc.yaml, scratch.yaml, "text:\n{}", doc.text);
        let (a, b) = (render(&inc), render(&scratch));
        if a != b {
            let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
            let i = la.iter().zip(&lb).position(|(x, y)| x != y).unwrap_or(0);
            let lo = i.saturating_sub(12);
            panic!(
                "models differ at line {i}\nincremental:\n{}\nfresh:\n{}\ntext:\n{}",
                la[lo..(i + 3).min(la.len())].join("\n"),
                lb[lo..(i + 3).min(lb.len())].join("\n"),
                doc.text
            );
        }
        // The merged services (carried over from the previous version when it was handed
        // over) equal a fresh merge.
        let merged = |d: &std::sync::Arc<Document>| {
            let snap = snap_of(d);
            let project = super::project::project_of(&snap, &d.path);
            format!("{:#?}", super::project::merged_services_shared(&snap, &project))
        };
        assert_eq!(merged(&doc), merged(&fresh), "text:\n{}", doc.text);
        assert_eq!(
            super::diagnostics(&snap_of(&doc), &doc),
            super::diagnostics(&snap_of(&fresh), &fresh),
            "text:\n{}",
            doc.text
        );
        // Syntax errors too: a value tree spliced after an edit in one service says the file
        // is still clean without a syntax tree of the whole file.
        assert_eq!(
            crate::syntax::diagnostics(&doc),
            crate::syntax::diagnostics(&fresh),
            "text:\n{}",
            doc.text
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn incremental_model_equals_fresh(edits in prop::collection::vec(edit(), 1..10)) {
        check(BASE, &edits)
    }

    /// The editor benchmark's shape: many generated services, keystrokes anywhere.
    #[test]
    fn incremental_model_equals_fresh_on_many_services(
        edits in prop::collection::vec(edit(), 1..6)
    ) {
        check(&crate::bench_gen::compose(12), &edits)
    }

    /// Services without anchors or merges, each reusable: the shape of lspbench's document.
    #[test]
    fn incremental_model_equals_fresh_on_plain_services(
        edits in prop::collection::vec(edit(), 1..8)
    ) {
        check(&plain_services(8), &edits)
    }
}

/// A case proptest found: a line break typed near the end, then a key typed before an entry
/// that uses a `<<:` merge.
#[test]
fn merge_entry_after_an_earlier_edit() {
    check(
        BASE,
        &[
            (0.8606140205198458, 0.03881628933690854, "\n    ".into(), true),
            (0.30873494706781013, 0.0, "x".into(), false),
        ],
    )
}

/// Typing as lspbench does: characters into values, one at a time, each version's syntax
/// errors and model asked for (so that most keystrokes take the splice path).
fn typing() -> impl Strategy<Value = Vec<(f64, String)>> {
    let ch = prop::sample::select(vec!["a", "7", " ", "-", ":", "\"", "#", "\n", "\n    x: 1", ""]);
    prop::collection::vec((0.0..=1.0f64, ch.prop_map(str::to_string)), 1..24)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn typing_into_values_equals_fresh(keys in typing()) {
        let edits: Vec<_> = keys.into_iter().map(|(at, s)| (at, 0.0, s, true)).collect();
        check(&plain_services(6), &edits)
    }
}

fn plain_services(n: usize) -> String {
    let mut out = String::from("services:\n");
    for i in 0..n {
        out.push_str(&format!(
            "  svc-{i}:\n    image: registry/app-{i}:1.{i}\n    build:\n      context: ./s/{i}\n      \
             args:\n        V: \"{i}\"\n    environment:\n      LOG: info\n      URL: pg://db-{i}/x\n    \
             depends_on: [svc-0]\n    ports:\n      - \"{}:8080\"\n    volumes:\n      - ./d/{i}:/data\n      \
             - cache:/cache\n    networks: [back]\n    \n",
            20000 + i
        ));
    }
    out.push_str("networks:\n  back: {}\nvolumes:\n  cache: {}\n");
    out
}

/// The common case, spelt out: typing in one service reuses every other one (unmoved before
/// the edit, moved after it).
#[test]
fn typing_in_a_service_reuses_the_others() {
    let path = path_arc("/w/compose.yaml");
    let text = "services:\n  a:\n    image: x\n  b:\n    image: y\n  c:\n    image: z\n";
    let doc = Document::new(path, FileKind::Compose, Some(1), text);
    let before = model::model(&doc);
    let at = text.find("y\n").unwrap();
    let doc = doc.edit(at..at, "y", Some(2));
    let after = model::model(&doc);
    let start = |m: &ComposeModel, name: &str| m.service(name).unwrap().entry_range.start;
    assert_eq!(after.yaml.reused(start(&after, "a")).map(|m| m.delta), Some(0));
    assert_eq!(after.yaml.reused(start(&after, "b")), None);
    assert_eq!(after.yaml.reused(start(&after, "c")).map(|m| m.delta), Some(1));
    assert!(std::sync::Arc::ptr_eq(before.service("a").unwrap(), after.service("a").unwrap()));
    assert_eq!(after.service("b").unwrap().image.as_ref().unwrap().text, "yy");
    assert_eq!(after.service("c").unwrap().image.as_ref().unwrap().range, 63..64);
    // Neither the model nor the syntax check needed a syntax tree of the whole file.
    assert!(crate::syntax::diagnostics(&doc).is_empty());
    assert!(!doc.has_parsed_tree());
    // Typing a new service in is not an edit inside one: the whole file is parsed again.
    let at = doc.text.find("  c:").unwrap();
    let doc = doc.edit(at..at, "  d:\n    image: w\n", Some(3));
    assert!(model::model(&doc).service("d").is_some());
    assert!(doc.has_parsed_tree());
}

/// Open `text` as a compose file, type "y" before the first `marker` and drop the first
/// version, as an editor does: the new version, its model, and where service `c` was.
fn type_y_before(
    text: &str,
    marker: &str,
) -> (Document, std::sync::Arc<ComposeModel>, *const model::Service) {
    let first = Document::new(path_arc("/w/compose.yaml"), FileKind::Compose, Some(1), text);
    let c_before = std::sync::Arc::as_ptr(model::model(&first).service("c").unwrap());
    let at = text.find(marker).unwrap();
    let doc = first.edit(at..at, "y", Some(2));
    drop(first);
    let after = model::model(&doc);
    (doc, after, c_before)
}

/// While typing, no one else holds the previous version's model: its services after the edit
/// are moved into the new model (same allocation, ranges shifted), not read again.
#[test]
fn typing_takes_over_the_previous_model() {
    let text = "services:\n  a:\n    image: x\n  b:\n    image: y\n  c:\n    image: z\n";
    let (_, after, c_before) = type_y_before(text, "y\n");
    let c = after.service("c").unwrap();
    assert_eq!(std::sync::Arc::as_ptr(c), c_before);
    assert_eq!(c.image.as_ref().unwrap().range, 63..64);
    assert_eq!(c.name_range, 49..50);
}

/// A service that merges an anchored map (`<<: *base`) is taken over too: its own ranges move
/// with it, those of the entries merged from the anchor (written before the edit) stay.
#[test]
fn typing_takes_over_a_service_that_merges_an_anchor() {
    let text = "x-base: &base\n  restart: always\nservices:\n  a:\n    image: x\n  c:\n    <<: *base\n    image: z\n";
    let (doc, after, c_before) = type_y_before(text, "x\n");
    let c = after.service("c").unwrap();
    assert_eq!(std::sync::Arc::as_ptr(c), c_before);
    let fresh = model::build(&Document::new(doc.path.clone(), FileKind::Compose, None, &doc.text));
    let fresh_c = fresh.service("c").unwrap();
    assert_eq!(c.restart, fresh_c.restart);
    assert_eq!(&doc.text[c.restart.as_ref().unwrap().range.clone()], "always");
    assert_eq!(&doc.text[c.image.as_ref().unwrap().range.clone()], "z");
    assert_eq!(format!("{c:?}"), format!("{fresh_c:?}"));
}

/// With Python next to it the env graph is cached, and it holds its snapshot: it must let go of
/// the previous version before the new one's model is built, or the model is copied.
#[test]
fn typing_takes_over_the_previous_model_beside_a_django_project() {
    takes_over_beside_a_django_project(false);
    takes_over_beside_a_django_project(true);
}

fn takes_over_beside_a_django_project(settings_first: bool) {
    let text = "services:\n  a:\n    image: x\n  web:\n    build: .\n    command: python manage.py runserver\n    environment:\n      DJANGO_SETTINGS_MODULE: app.settings\n  c:\n    image: z\n";
    let mut snap = Snapshot::new(vec!["/w".into()]);
    for (p, t) in [
        (
            "/w/manage.py",
            "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"app.settings\")\n",
        ),
        ("/w/app/__init__.py", ""),
        ("/w/app/settings.py", "import os\nSECRET_KEY = os.environ[\"SECRET_KEY\"]\n"),
    ] {
        snap.insert(Document::new(path_arc(p), FileKind::Python, Some(1), t));
    }
    let first = std::sync::Arc::new(Document::new(
        path_arc("/w/compose.yaml"),
        FileKind::Compose,
        Some(1),
        text,
    ));
    snap.insert_arc(first.clone());
    let settings = snap.get(std::path::Path::new("/w/app/settings.py")).unwrap().clone();
    let _ = crate::analysis::diagnostics(&snap, &first);
    let _ = crate::analysis::diagnostics(&snap, &settings);
    let c_before = std::sync::Arc::as_ptr(model::model(&first).service("c").unwrap());
    let at = text.find("x\n").unwrap();
    let doc = std::sync::Arc::new(first.edit(at..at, "y", Some(2)));
    drop(first);
    snap.insert_arc(doc.clone());
    // The settings module's cross-file diagnostics first: they build the new compose model.
    let first_analysed = if settings_first { &settings } else { &doc };
    let _ = crate::analysis::diagnostics(&snap, first_analysed);
    assert_eq!(std::sync::Arc::as_ptr(model::model(&doc).service("c").unwrap()), c_before);
}

/// Cases proptest found. A line typed into the last entry of the text makes its value a block
/// mapping, which at the end of a text takes the trailing line break in (the entry is left to
/// the whole-file parse); a deletion inside a value of the last service moves the sections
/// after it.
#[test]
fn edits_at_the_end_of_a_text_and_of_its_services() {
    check(&plain_services(6), &[(0.998713822659906, 0.0, "\n    x: 1".to_string(), true)]);
    check(&plain_services(8), &[(0.9209967324812125, 0.0012661884543270553, String::new(), false)]);
}

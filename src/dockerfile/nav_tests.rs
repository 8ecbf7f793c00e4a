//! Navigation, symbols, folds and links, driven by fixtures with a `$0` cursor.

use expect_test::{Expect, expect};

use crate::testing::fixture;

/// Renders what every navigation feature answers at the cursor.
fn check(text: &str, expect: Expect) {
    let f = fixture(text);
    let (doc, off) = f.at_cursor();
    let t = &doc.text;
    let show = |r: &std::ops::Range<usize>| format!("{}@{}", &t[r.clone()], r.start);
    let mut out = String::new();
    let defs: Vec<_> =
        super::definition(&f.snapshot, doc, off).iter().map(|l| show(&l.range)).collect();
    out.push_str(&format!("definition: {}\n", defs.join(", ")));
    let refs: Vec<_> =
        super::references(&f.snapshot, doc, off, false).iter().map(|l| show(&l.range)).collect();
    out.push_str(&format!("references: {}\n", refs.join(", ")));
    let hl: Vec<_> = super::highlights(&f.snapshot, doc, off)
        .iter()
        .map(|h| format!("{}{}", show(&h.range), if h.write { "(w)" } else { "" }))
        .collect();
    out.push_str(&format!("highlights: {}\n", hl.join(", ")));
    match super::rename(&f.snapshot, doc, off) {
        Some(r) => {
            let occ: Vec<_> = r.occurrences.iter().map(|l| show(&l.range)).collect();
            out.push_str(&format!("rename {}: {}\n", r.placeholder, occ.join(", ")));
        }
        None => out.push_str("rename: none\n"),
    }
    expect.assert_eq(&out);
}

#[test]
fn stage_navigation() {
    check(
        "FROM node:20 AS as$0sets\nFROM python:3.12 AS app\nCOPY --from=assets /a /b\nRUN --mount=type=bind,from=assets,target=/x true\nCOPY --from=0 /a /b\nFROM assets\n",
        expect![[r#"
            definition: assets@16
            references: assets@59, assets@99, 0@133, assets@146
            highlights: assets@16(w), assets@59, assets@99, 0@133, assets@146
            rename assets: assets@16, assets@59, assets@99, assets@146
        "#]],
    );
}

#[test]
fn variable_navigation() {
    check(
        "ARG PY=3.12\nFROM python:${P$0Y}\nARG PY\nRUN echo $PY\nFROM python:3.12\nENV PY=x\nLABEL v=$PY\n",
        expect![[r#"
            definition: PY@4
            references: PY@26
            highlights: PY@4(w), PY@26
            rename PY: PY@4, PY@26, PY@34, PY@47
        "#]],
    );
    check(
        "FROM a:1\nENV APP=/app\nWORKDIR $AP$0P\nCOPY . $APP/\n",
        expect![[r#"
        definition: APP@13
        references: APP@31, APP@43
        highlights: APP@13(w), APP@31, APP@43
        rename APP: APP@13, APP@31, APP@43
    "#]],
    );
    check(
        "FROM --platform=$BUILD$0PLATFORM a:1\n",
        expect![[r#"
        definition: 
        references: BUILDPLATFORM@17
        highlights: BUILDPLATFORM@17
        rename: none
    "#]],
    );
}

#[test]
fn symbols_folds_links() {
    let f = fixture(
        "# build stage\n# with notes\nARG PY=3.12\nFROM python:${PY} AS build\nRUN a \\\n  b\nFROM ghcr.io/x/y:1\nCOPY --from=build /a /b\nFROM bitnami/redis:7\nRUN <<EOF\necho\nEOF\n",
    );
    let doc = f.doc("/Dockerfile");
    let mut out = String::new();
    for s in super::symbols(doc) {
        out.push_str(&format!("{:?} {} ({})\n", s.kind, s.name, s.detail.unwrap_or_default()));
        for c in s.children {
            out.push_str(&format!(
                "  {:?} {} ({})\n",
                c.kind,
                c.name,
                c.detail.unwrap_or_default()
            ));
        }
    }
    for fo in super::folds(doc) {
        out.push_str(&format!(
            "fold {:?} lines {}-{}\n",
            fo.kind,
            doc.line_of(fo.range.start),
            doc.line_of(fo.range.end)
        ));
    }
    for l in super::links(&f.snapshot, doc) {
        out.push_str(&format!("link {} -> {}\n", &doc.text[l.range.clone()], l.target));
    }
    expect![[r#"
        Variable PY (global ARG = 3.12)
        Class build (FROM python:${PY})
          Function RUN (a b)
        Class stage 1 (FROM ghcr.io/x/y:1)
          Function COPY (/a /b)
        Class stage 2 (FROM bitnami/redis:7)
          Function RUN (<<EOF)
        fold Comment lines 0-1
        fold Region lines 3-5
        fold Region lines 4-5
        fold Region lines 6-7
        fold Region lines 8-11
        fold Region lines 9-11
        link python -> https://hub.docker.com/_/python
        link bitnami/redis -> https://hub.docker.com/r/bitnami/redis
    "#]]
    .assert_eq(&out);
}

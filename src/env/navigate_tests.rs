use expect_test::{Expect, expect};

use crate::diagnostics::Location;
use crate::testing::{ROOT, fixture};

/// `definition`, `references` and `rename` at the cursor, each location as `path:line "text"`.
fn check(ws: &str, expect: Expect) {
    let f = fixture(ws);
    let (doc, offset) = f.at_cursor();
    let show = |locs: &[Location]| -> String {
        let mut v: Vec<String> = locs
            .iter()
            .map(|l| {
                let d = f.snapshot.get(&l.path).unwrap();
                let rel = l.path.strip_prefix(ROOT).unwrap().display();
                format!("  {rel}:{} {:?}", d.line_of(l.range.start) + 1, &d.text[l.range.clone()])
            })
            .collect();
        v.sort();
        v.join("\n")
    };
    let snap = &f.snapshot;
    let mut out = format!("definition:\n{}\n", show(&super::definition(snap, doc, offset)));
    out += &format!("references:\n{}\n", show(&super::references(snap, doc, offset, true)));
    match super::rename(snap, doc, offset) {
        Some(r) => out += &format!("rename {:?}:\n{}\n", r.placeholder, show(&r.occurrences)),
        None => out += "no rename\n",
    }
    let hl: Vec<String> = super::highlights(snap, doc, offset)
        .iter()
        .map(|h| format!("{}{}", &doc.text[h.range.clone()], if h.write { " (write)" } else { "" }))
        .collect();
    out += &format!("highlights: {}\n", hl.join(", "));
    expect.assert_eq(&out);
}

const PROJECT: &str = r#"
#- /compose.yaml
services:
  web:
    build: .
    environment:
      - DATABASE_URL=postgres://db/app
      - REDIS_URL=${REDIS_URL:-redis://redis}
  worker:
    build: .
    environment:
      DATABASE_URL: postgres://db/worker
#- /.env
REDIS_URL=redis://cache
#- /Dockerfile
FROM python:3.12
ENV DATABASE_URL=sqlite:///x
RUN echo $DATABASE_URL
CMD ["gunicorn", "app:app"]
#- /app.py
import os
import dj_database_url
DB = os.environ["DATABASE_URL"]
REDIS = os.getenv("REDIS_URL")
DEFAULT_DB = dj_database_url.config()
"#;

fn at(marker: &str, replacement: &str) -> String {
    assert!(PROJECT.contains(marker), "{marker}");
    PROJECT.replacen(marker, replacement, 1)
}

#[test]
fn from_a_python_read() {
    check(
        &at("environ[\"DATABASE_URL", "environ[\"DATA$0BASE_URL"),
        expect![[r#"
            definition:
              compose.yaml:10 "DATABASE_URL"
              compose.yaml:5 "DATABASE_URL"
            references:
              Dockerfile:2 "DATABASE_URL"
              Dockerfile:3 "DATABASE_URL"
              app.py:3 "DATABASE_URL"
              app.py:5 "dj_database_url.config()"
              compose.yaml:10 "DATABASE_URL"
              compose.yaml:5 "DATABASE_URL"
            rename "DATABASE_URL":
              Dockerfile:2 "DATABASE_URL"
              Dockerfile:3 "DATABASE_URL"
              app.py:3 "DATABASE_URL"
              compose.yaml:10 "DATABASE_URL"
              compose.yaml:5 "DATABASE_URL"
            highlights: DATABASE_URL, dj_database_url.config()
        "#]],
    );
}

#[test]
fn from_a_compose_key() {
    check(
        &at("      DATABASE_URL: postgres", "      DATABASE$0_URL: postgres"),
        expect![[r#"
        definition:
          app.py:3 "DATABASE_URL"
          app.py:5 "dj_database_url.config()"
        references:
          Dockerfile:2 "DATABASE_URL"
          Dockerfile:3 "DATABASE_URL"
          app.py:3 "DATABASE_URL"
          app.py:5 "dj_database_url.config()"
          compose.yaml:10 "DATABASE_URL"
          compose.yaml:5 "DATABASE_URL"
        rename "DATABASE_URL":
          Dockerfile:2 "DATABASE_URL"
          Dockerfile:3 "DATABASE_URL"
          app.py:3 "DATABASE_URL"
          compose.yaml:10 "DATABASE_URL"
          compose.yaml:5 "DATABASE_URL"
        highlights: DATABASE_URL (write), DATABASE_URL (write)
    "#]],
    );
}

#[test]
fn from_an_interpolation() {
    check(
        &at("${REDIS_URL:-", "${REDIS$0_URL:-"),
        expect![[r#"
        definition:
          .env:1 "REDIS_URL"
        references:
          .env:1 "REDIS_URL"
          app.py:4 "REDIS_URL"
          compose.yaml:6 "REDIS_URL"
          compose.yaml:6 "REDIS_URL"
        rename "REDIS_URL":
          .env:1 "REDIS_URL"
          app.py:4 "REDIS_URL"
          compose.yaml:6 "REDIS_URL"
          compose.yaml:6 "REDIS_URL"
        highlights: REDIS_URL (write), REDIS_URL
    "#]],
    );
}

#[test]
fn from_a_dockerfile_env() {
    check(
        &at("ENV DATABASE_URL", "ENV DATABASE_$0URL"),
        expect![[r#"
        definition:
          app.py:3 "DATABASE_URL"
          app.py:5 "dj_database_url.config()"
        references:
          Dockerfile:2 "DATABASE_URL"
          Dockerfile:3 "DATABASE_URL"
          app.py:3 "DATABASE_URL"
          app.py:5 "dj_database_url.config()"
          compose.yaml:10 "DATABASE_URL"
          compose.yaml:5 "DATABASE_URL"
        rename "DATABASE_URL":
          Dockerfile:2 "DATABASE_URL"
          Dockerfile:3 "DATABASE_URL"
          app.py:3 "DATABASE_URL"
          compose.yaml:10 "DATABASE_URL"
          compose.yaml:5 "DATABASE_URL"
        highlights: DATABASE_URL (write), DATABASE_URL
    "#]],
    );
}

#[test]
fn elsewhere_nothing() {
    check(
        &at("import dj_database_url", "import dj_$0database_url"),
        expect![[r#"
        definition:

        references:

        no rename
        highlights: 
    "#]],
    );
}

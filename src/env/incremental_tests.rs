//! The cached environment model (graph reused while no document changes, variable mentions
//! cached per document version, the graph skipped without Python in sight) must give what a
//! graph built from scratch gives, after any sequence of edits to any of the files.

use std::sync::Arc;

use proptest::prelude::*;

use super::index::{Graph, graph};
use crate::testing::fixture;
use crate::workspace::{FileKind, Snapshot};

const DJANGO: &str = r#"
#- /compose.yaml
services:
  web:
    build: {context: ., target: prod}
    command: python manage.py runserver
    env_file: .env
    environment:
      DATABSE_URL: postgres://db/app
      DEBUG: "maybe"
      DJANGO_SETTINGS_MODULE: app.settings.prod
      UNUSED: x
  worker:
    extends: web
    command: celery -A app worker
    environment:
      - SECRET_KEY
      - LOG=${LOG_LEVEL}
#- /.env
SECRET_KEY=dev
PORT=80x0
#- /Dockerfile
FROM python:3.12 AS base
ENV DJANGO_SETTINGS_MODULE=app.settings.dev
CMD ["gunicorn", "app.wsgi"]
FROM base AS prod
ENV PORT=8000
#- /manage.py
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings.dev")
#- /app/__init__.py
#- /app/wsgi.py
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings.dev")
#- /app/settings/__init__.py
#- /app/settings/base.py
import environ
env = environ.Env()
DEBUG = env.bool("DEBUG", default=False)
PORT = env.int("PORT", default=8000)
#- /app/settings/prod.py
import os
from .base import *
SECRET_KEY = os.environ["SECRET_KEY"]
DATABASES = {"default": env.db_url("DATABASE_URL")}
"#;

/// No Python in sight: the graph is skipped, which must change nothing.
const NO_PYTHON: &str = r#"
#- /compose.yaml
services:
  web:
    build: .
    environment:
      DEBUG: "1"
      URL: ${HOST}/x
#- /.env
HOST=db
#- /Dockerfile
FROM python:3.12
ENV DJANGO_SETTINGS_MODULE=app.settings
CMD ["gunicorn", "app.wsgi"]
"#;

/// Everything the env model reports, through the caches and from scratch.
fn cached_and_fresh(snap: &Snapshot) -> (String, String) {
    let fresh = Graph::fresh(snap);
    let mut docs: Vec<_> = snap.documents().cloned().collect();
    docs.sort_by(|a, b| a.path.cmp(&b.path));
    let (mut cached_out, mut fresh_out) = (String::new(), String::new());
    for doc in &docs {
        cached_out += &format!("{:?}\n", super::diagnostics(snap, doc));
        fresh_out += &format!("{:?}\n", super::rules::diagnostics_with(snap, &fresh, doc));
    }
    let g = graph(snap);
    cached_out += &format!("{:?}\n{:?}\n", g.sites(), g.services());
    fresh_out += &format!("{:?}\n{:?}\n", fresh.sites(), fresh.services());
    (cached_out, fresh_out)
}

/// An edit: which file, where (fraction of its text), how much to delete, what to type.
fn edit() -> impl Strategy<Value = (usize, f64, usize, String)> {
    let pieces = prop::sample::select(vec![
        "",
        "x",
        "_",
        "A",
        "1",
        " ",
        "\n",
        "  ",
        "- ",
        ":",
        "=",
        "$",
        "${X}",
        "#",
        "\"",
        "(",
        ")",
        "DATABASE_URL",
        "SECRET_KEY",
        "os.environ[\"",
        "\"]",
        "environment:\n",
        "é",
    ]);
    (
        0..16usize,
        0.0..=1.0f64,
        0..4usize,
        prop::collection::vec(pieces, 0..3).prop_map(|v| v.concat()),
    )
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn cached_model_equals_fresh_after_random_edits(
        django in any::<bool>(),
        edits in prop::collection::vec(edit(), 1..8),
    ) {
        let f = fixture(if django { DJANGO } else { NO_PYTHON });
        let mut snap = f.snapshot.clone();
        // Warm every cache on the first version, as an editor would.
        let (a, b) = cached_and_fresh(&snap);
        prop_assert_eq!(a, b);
        for (file, at, del, text) in edits {
            let path = &f.files[file % f.files.len()];
            let doc = snap.get(path).unwrap().clone();
            let start = floor_boundary(&doc.text, (doc.text.len() as f64 * at) as usize);
            let end = floor_boundary(&doc.text, start + del);
            let next = doc.edit(start..end, &text, doc.version.map(|v| v + 1));
            snap.insert_arc(Arc::new(next));
            let (a, b) = cached_and_fresh(&snap);
            prop_assert_eq!(a, b);
        }
    }
}

/// Several services, of which some run code berth follows (through `DJANGO_SETTINGS_MODULE`,
/// a command, an image's `CMD`, `extends`) and some do not.
const SERVICES: &str = r#"
#- /compose.yaml
x-common: &common
  restart: always
services:
  web:
    build: .
    environment:
      DJANGO_SETTINGS_MODULE: app.settings.prod
      DATABSE_URL: postgres://db/app
  db:
    <<: *common
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: x
  worker:
    extends: web
    command: celery -A app worker
  api:
    build: {context: ., target: base}
    command: ["gunicorn", "app.wsgi"]
    environment:
      - SECRET_KEY=s
  cache:
    image: redis
  plain:
    <<: *common
    build: ./other
    environment:
      DEBUG: "maybe"
#- /Dockerfile
FROM python:3.12 AS base
CMD ["gunicorn", "app.wsgi"]
FROM base AS prod
ENV PORT=8000
#- /manage.py
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings.dev")
#- /app/__init__.py
#- /app/wsgi.py
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings.dev")
#- /app/settings/__init__.py
#- /app/settings/dev.py
import os
DEBUG = os.environ["DEBUG"]
#- /app/settings/prod.py
import os
SECRET_KEY = os.environ["SECRET_KEY"]
DATABASES = {"default": os.environ["DATABASE_URL"]}
"#;

/// An edit to the compose file: at the start of a line (whole lines, so that the YAML stays
/// well formed) or anywhere (fraction of the text); how much to delete; what to type.
fn compose_edit() -> impl Strategy<Value = (Option<usize>, f64, usize, String)> {
    let lines = prop::sample::select(vec![
        "    command: python manage.py runserver\n",
        "    command: celery -A app worker\n",
        "    extends: api\n",
        "    extends: web\n",
        "    build: .\n",
        "    environment:\n      DJANGO_SETTINGS_MODULE: app.settings.dev\n",
        "      DJANGO_SETTINGS_MODULE: app.settings.prod\n",
        "      SECRET_KEY: k\n",
        "      DEBUG: \"1\"\n",
        "  new:\n    image: x\n",
        "",
    ]);
    let pieces = prop::sample::select(vec![
        "",
        "x",
        "1",
        " ",
        "\n",
        ":",
        "DJANGO_SETTINGS_MODULE",
        "app.settings.prod",
        "web",
        "#",
    ]);
    prop_oneof![
        (0..40usize, 0..2usize, lines).prop_map(|(l, del, t)| (Some(l), 0.0, del, t.into())),
        (0.0..=1.0f64, 0..6usize, pieces).prop_map(|(at, del, t)| (None, at, del, t.into())),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// A Python file's diagnostics right after a compose edit, before any other file's (so the
    /// services that run nothing are not built), are what a fresh graph gives, and so are the
    /// services that run code.
    #[test]
    fn python_diagnostics_after_compose_edits_equal_fresh(
        edits in prop::collection::vec(compose_edit(), 1..10),
    ) {
        let f = fixture(SERVICES);
        let compose = f.files.iter().find(|p| p.ends_with("compose.yaml")).unwrap().clone();
        let mut snap = f.snapshot.clone();
        let mut python: Vec<_> =
            snap.documents().filter(|d| d.kind == FileKind::Python).cloned().collect();
        python.sort_by(|a, b| a.path.cmp(&b.path));
        let check = |snap: &Snapshot| -> Result<(), TestCaseError> {
            let fresh = Graph::fresh(snap);
            for doc in &python {
                prop_assert_eq!(
                    super::diagnostics(snap, doc),
                    super::rules::diagnostics_with(snap, &fresh, doc)
                );
            }
            prop_assert_eq!(
                format!("{:?}", graph(snap).running()),
                format!("{:?}", fresh.running())
            );
            Ok(())
        };
        check(&snap)?;
        for (line, at, del, text) in edits {
            let doc = snap.get(&compose).unwrap().clone();
            // A line edit replaces the line when it deletes.
            let (start, end) = match line {
                Some(l) => {
                    let r = doc.line_range(l % doc.text.lines().count().max(1));
                    (r.start, if del > 0 { r.end } else { r.start })
                }
                None => {
                    let start = floor_boundary(&doc.text, (doc.text.len() as f64 * at) as usize);
                    (start, floor_boundary(&doc.text, start + del))
                }
            };
            let next = doc.edit(start..end, &text, doc.version.map(|v| v + 1));
            snap.insert_arc(Arc::new(next));
            check(&snap)?;
        }
    }
}

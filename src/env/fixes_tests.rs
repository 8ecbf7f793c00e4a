use expect_test::{Expect, expect};

use crate::diagnostics::Fix;
use crate::testing::{ROOT, fixture};

/// Every fix of every env diagnostic with `code`, applied: the title, then each edited file
/// in full after the edit.
fn check(ws: &str, code: &str, expect: Expect) {
    let f = fixture(ws);
    let mut out = String::new();
    for path in &f.files {
        let doc = f.snapshot.get(path).unwrap();
        for d in super::diagnostics(&f.snapshot, doc).iter().filter(|d| d.code == code) {
            for fix in &d.fixes {
                out.push_str(&format!(
                    "== {}{}\n",
                    fix.title,
                    if fix.preferred { " (preferred)" } else { "" }
                ));
                out.push_str(&apply(&f, fix));
            }
        }
    }
    expect.assert_eq(&out);
}

fn apply(f: &crate::testing::Fixture, fix: &Fix) -> String {
    let mut paths: Vec<_> = fix.edits.iter().map(|e| e.path.clone()).collect();
    paths.dedup();
    let mut out = String::new();
    for p in paths {
        let mut text = f.snapshot.get(&p).unwrap().text.to_string();
        let mut edits: Vec<_> = fix.edits.iter().filter(|e| e.path == p).collect();
        edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
        for e in edits {
            text.replace_range(e.range.clone(), &e.new_text);
        }
        out.push_str(&format!("-- {}\n{text}", p.strip_prefix(ROOT).unwrap().display()));
    }
    out
}

const CODE: &str = r#"
#- /Dockerfile
FROM python:3.12
CMD ["gunicorn", "app:app"]
#- /.env
#- /app.py
import os
import environ
env = environ.Env()
DEBUG = env.bool("DEBUG")
"#;

#[test]
fn missing_in_map_environment_with_env_file() {
    check(
        &format!(
            "#- /compose.yaml\nservices:\n  web:\n    build: .\n    env_file: web.env\n    environment:\n      OTHER: x\n#- /web.env\nA=1{CODE}"
        ),
        "env-missing",
        expect![[r#"
            == Add `DEBUG` to service `web`'s environment (preferred)
            -- compose.yaml
            services:
              web:
                build: .
                env_file: web.env
                environment:
                  OTHER: x
                  DEBUG: "false"
            == Add `DEBUG` to `web.env`
            -- web.env
            A=1
            DEBUG=false
            == Add `DEBUG` to the project `.env` and pass it to service `web`
            -- .env
            DEBUG=false
            -- compose.yaml
            services:
              web:
                build: .
                env_file: web.env
                environment:
                  OTHER: x
                  DEBUG:
            == Give `DEBUG` a default where it is read
            -- app.py
            import os
            import environ
            env = environ.Env()
            DEBUG = env.bool("DEBUG", default=False)
            == Add `DEBUG` to service `web`'s environment (preferred)
            -- compose.yaml
            services:
              web:
                build: .
                env_file: web.env
                environment:
                  OTHER: x
                  DEBUG: "false"
            == Add `DEBUG` to `web.env`
            -- web.env
            A=1
            DEBUG=false
            == Add `DEBUG` to the project `.env` and pass it to service `web`
            -- .env
            DEBUG=false
            -- compose.yaml
            services:
              web:
                build: .
                env_file: web.env
                environment:
                  OTHER: x
                  DEBUG:
            == Give `DEBUG` a default where it is read
            -- app.py
            import os
            import environ
            env = environ.Env()
            DEBUG = env.bool("DEBUG", default=False)
        "#]],
    );
}

#[test]
fn missing_in_list_environment_and_os_environ_default() {
    check(
        &format!(
            "#- /compose.yaml\nservices:\n  web:\n    build: .\n    environment:\n      - OTHER=x\n{}",
            CODE.replace("env.bool(\"DEBUG\")", "os.environ[\"DATABASE_URL\"]")
        ),
        "env-missing",
        expect![[r#"
            == Add `DATABASE_URL` to service `web`'s environment (preferred)
            -- compose.yaml
            services:
              web:
                build: .
                environment:
                  - OTHER=x
                  - DATABASE_URL=change-me

            == Add `DATABASE_URL` to the project `.env` and pass it to service `web`
            -- .env
            DATABASE_URL=change-me
            -- compose.yaml
            services:
              web:
                build: .
                environment:
                  - OTHER=x
                  - DATABASE_URL

            == Give `DATABASE_URL` a default where it is read
            -- app.py
            import os
            import environ
            env = environ.Env()
            DEBUG = os.environ.get("DATABASE_URL", "change-me")
            == Add `DATABASE_URL` to service `web`'s environment (preferred)
            -- compose.yaml
            services:
              web:
                build: .
                environment:
                  - OTHER=x
                  - DATABASE_URL=change-me

            == Add `DATABASE_URL` to the project `.env` and pass it to service `web`
            -- .env
            DATABASE_URL=change-me
            -- compose.yaml
            services:
              web:
                build: .
                environment:
                  - OTHER=x
                  - DATABASE_URL

            == Give `DATABASE_URL` a default where it is read
            -- app.py
            import os
            import environ
            env = environ.Env()
            DEBUG = os.environ.get("DATABASE_URL", "change-me")
        "#]],
    );
}

#[test]
fn missing_without_environment_block() {
    check(
        &format!(
            "#- /compose.yaml\nservices:\n  web:\n    build: .\n    ports: [\"80:80\"]\n  db:\n    image: postgres\n{}",
            CODE.replace("env.bool(\"DEBUG\")", "env.int(\"PORT\",)")
        ),
        "env-missing",
        expect![[r#"
            == Add `PORT` to service `web`'s environment (preferred)
            -- compose.yaml
            services:
              web:
                build: .
                ports: ["80:80"]
                environment:
                  PORT: "0"
              db:
                image: postgres

            == Add `PORT` to the project `.env` and pass it to service `web`
            -- .env
            PORT=0
            -- compose.yaml
            services:
              web:
                build: .
                ports: ["80:80"]
                environment:
                  PORT:
              db:
                image: postgres

            == Give `PORT` a default where it is read
            -- app.py
            import os
            import environ
            env = environ.Env()
            DEBUG = env.int("PORT", default=0)
            == Add `PORT` to service `web`'s environment (preferred)
            -- compose.yaml
            services:
              web:
                build: .
                ports: ["80:80"]
                environment:
                  PORT: "0"
              db:
                image: postgres

            == Add `PORT` to the project `.env` and pass it to service `web`
            -- .env
            PORT=0
            -- compose.yaml
            services:
              web:
                build: .
                ports: ["80:80"]
                environment:
                  PORT:
              db:
                image: postgres

            == Give `PORT` a default where it is read
            -- app.py
            import os
            import environ
            env = environ.Env()
            DEBUG = env.int("PORT", default=0)
        "#]],
    );
}

#[test]
fn unused_entry_is_removed() {
    check(
        &format!(
            "#- /compose.yaml\nservices:\n  web:\n    build: .\n    environment:\n      - DEBUG=1\n      - LEFTOVER=1\n{CODE}"
        ),
        "env-unused",
        expect![[r#"
            == Remove `LEFTOVER`
            -- compose.yaml
            services:
              web:
                build: .
                environment:
                  - DEBUG=1

        "#]],
    );
}

#[test]
fn unset_interpolation_fixes() {
    check(
        "#- /compose.yaml\nservices:\n  db:\n    image: postgres:${PG_TAG}\n#- /.env\nOTHER=1",
        "interpolation-unset",
        expect![[r#"
            == Add `PG_TAG` to the project `.env`
            -- .env
            OTHER=1
            PG_TAG=
            == Mark `PG_TAG` as required from the shell
            -- compose.yaml
            services:
              db:
                image: postgres:${PG_TAG:?set PG_TAG in the shell or .env}
        "#]],
    );
}

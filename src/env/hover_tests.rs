use expect_test::{Expect, expect};

use crate::testing::fixture;

/// The hover at the cursor: the hovered text, then the markdown.
fn check(ws: &str, expect: Expect) {
    check_with(ws, true, expect)
}

fn check_with(ws: &str, mask: bool, expect: Expect) {
    let mut f = fixture(ws);
    let config = crate::config::Config { mask_secrets: mask, ..Default::default() };
    f.snapshot.config = std::sync::Arc::new(config);
    let (doc, offset) = f.at_cursor();
    let out = match super::hover(&f.snapshot, doc, offset) {
        Some(h) => format!("{:?}\n{}", &doc.text[h.range], h.markdown),
        None => "no hover".to_string(),
    };
    expect.assert_eq(&out);
}

const PROJECT: &str = r#"
#- /compose.yaml
services:
  web:
    build: .
    environment:
      DATABASE_URL: postgres://app:hunter2@db:5432/app
      SECRET_KEY: abc123
      DB_PASSWORD: ${PW}
  worker:
    build: {context: ., target: prod}
    command: celery -A app worker
  other:
    image: example/other
    command: ./run.sh
  mystery:
    build: ./elsewhere
#- /.env
PW=from-dotenv
#- /Dockerfile
FROM python:3.12 AS base
ENV DJANGO_SETTINGS_MODULE=app.settings
CMD ["gunicorn", "app.wsgi"]
FROM base AS prod
#- /app/__init__.py
#- /app/wsgi.py
#- /app/celery.py
#- /app/settings.py
import os
import environ
env = environ.Env()
DATABASES = {"default": env.db_url("DATABASE_URL", default="sqlite:///db")}
SECRET_KEY = os.environ["SECRET_KEY"]
PASSWORD = os.getenv("DB_PASSWORD")
"#;

fn at(marker: &str, replacement: &str) -> String {
    assert!(PROJECT.contains(marker), "{marker}");
    PROJECT.replacen(marker, replacement, 1)
}

#[test]
fn python_read_lists_sets_reads_and_services() {
    check(
        &at("db_url(\"DATABASE_URL\"", "db_url(\"DATA$0BASE_URL\""),
        expect![[r#"
            "DATABASE_URL"
            **`DATABASE_URL`** · environment variable

            **Set**
            - `compose.yaml:5` service `web`: `postgres://app:••••@db:5432/app`

            **Read**
            - `app/settings.py:4` `django-environ env.db_url` · optional · default `"sqlite:///db"` · cast: database URL

            **Per service**
            - `web`: `postgres://app:••••@db:5432/app` (environment)
            - `worker`: not set; the code falls back to `"sqlite:///db"`
            - `mystery`: not set; berth cannot tell which settings this service runs
        "#]],
    );
}

#[test]
fn secrets_are_masked_unless_turned_off() {
    let ws = at("SECRET_KEY: abc123", "SECRET_$0KEY: abc123");
    check(
        &ws,
        expect![[r#"
            "SECRET_KEY"
            **`SECRET_KEY`** · environment variable

            **Set**
            - `compose.yaml:6` service `web`: `••••`

            **Read**
            - `app/settings.py:5` `os.environ[]` · required

            **Per service**
            - `web`: `••••` (environment)
            - `worker`: not set
            - `mystery`: not set; berth cannot tell which settings this service runs
        "#]],
    );
    check_with(
        &ws,
        false,
        expect![[r#"
            "SECRET_KEY"
            **`SECRET_KEY`** · environment variable

            **Set**
            - `compose.yaml:6` service `web`: `abc123`

            **Read**
            - `app/settings.py:5` `os.environ[]` · required

            **Per service**
            - `web`: `abc123` (environment)
            - `worker`: not set
            - `mystery`: not set; berth cannot tell which settings this service runs
        "#]],
    );
}

#[test]
fn interpolation_and_dotenv_key() {
    check(
        &at("PW=from-dotenv", "P$0W=from-dotenv"),
        expect![[r#"
            "PW"
            **`PW`** · environment variable

            **Set**
            - `.env:1` `.env` entry: `from-dotenv`

            **Read**
            - `compose.yaml:7` compose interpolation

            **Per service**
            - `mystery`: not set; berth cannot tell which settings this service runs
        "#]],
    );
}

#[test]
fn dockerfile_env_name() {
    check(
        &at("ENV DJANGO_SETTINGS", "ENV DJANGO_$0SETTINGS"),
        expect![[r#"
            "DJANGO_SETTINGS_MODULE"
            **`DJANGO_SETTINGS_MODULE`** · environment variable

            **Set**
            - `Dockerfile:2` `ENV`: `app.settings`

            **Read**
            - by Django, to choose the settings module

            **Per service**
            - `web`: `app.settings` (image `ENV`)
            - `worker`: `app.settings` (image `ENV`)
            - `mystery`: not set; berth cannot tell which settings this service runs
        "#]],
    );
}

#[test]
fn value_from_interpolation_per_service() {
    check(
        &at("os.getenv(\"DB_PASSWORD\")", "os.getenv(\"DB_PASS$0WORD\")"),
        expect![[r#"
            "DB_PASSWORD"
            **`DB_PASSWORD`** · environment variable

            **Set**
            - `compose.yaml:7` service `web`: `••••`

            **Read**
            - `app/settings.py:6` `os.getenv` · optional

            **Per service**
            - `web`: `fr••••` (interpolated from `${PW}` with the project `.env`) (environment)
            - `worker`: not set
            - `mystery`: not set; berth cannot tell which settings this service runs
        "#]],
    );
}

#[test]
fn not_on_a_name_is_no_hover() {
    check(&at("import environ", "import envi$0ron"), expect![[r#"no hover"#]]);
}

#[test]
fn an_unread_name_close_to_a_read_one_suggests_it() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            build: .
            environment:
              DATABSE$0_URL: postgres://db/app
        #- /Dockerfile
        FROM python:3.12
        CMD ["gunicorn", "app.wsgi"]
        #- /app/__init__.py
        #- /app/wsgi.py
        import os
        URL = os.environ["DATABASE_URL"]
        "#,
        expect![[r#"
            "DATABSE_URL"
            **`DATABSE_URL`** · environment variable

            **Set**
            - `compose.yaml:5` service `web`: `postgres://db/app`

            **Read**
            - by nothing berth knows
            - did you mean `DATABASE_URL`? The code reads that name

            **Per service**
            - `web`: `postgres://db/app` (environment)
        "#]],
    );
}

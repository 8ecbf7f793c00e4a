use expect_test::{Expect, expect};

use crate::testing::{ROOT, fixture};

fn rel(p: &std::path::Path) -> String {
    p.strip_prefix(ROOT)
        .map(|r| r.display().to_string())
        .unwrap_or_else(|_| p.display().to_string())
}

/// Every env diagnostic in the workspace, file by file: `path "text at range" code severity:
/// message`, then related information and fixes.
fn check(ws: &str, expect: Expect) {
    let f = fixture(ws);
    let mut out = String::new();
    for path in &f.files {
        let doc = f.snapshot.get(path).unwrap();
        for d in super::diagnostics(&f.snapshot, doc) {
            out.push_str(&format!(
                "{} {:?} {} {}: {}\n",
                rel(&d.path),
                &doc.text[d.range.clone()],
                d.code,
                d.severity.as_str(),
                d.message
            ));
            for r in &d.related {
                let t = &f.snapshot.get(&r.location.path).unwrap().text[r.location.range.clone()];
                out.push_str(&format!(
                    "  related {} {t:?}: {}\n",
                    rel(&r.location.path),
                    r.message
                ));
            }
            for fix in &d.fixes {
                for e in &fix.edits {
                    out.push_str(&format!("  fix {}: {:?}\n", fix.title, e.new_text));
                }
            }
        }
    }
    expect.assert_eq(&out);
}

const PROJECT: &str = r#"
#- /Dockerfile
FROM python:3.12 AS base
CMD ["gunicorn", "app.wsgi:application"]
FROM base AS prod
ENV DJANGO_SETTINGS_MODULE=app.settings.prod
FROM base AS dev
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
#- /app/settings/dev.py
import os
from .base import *
from .base import env
DATABASES = {"default": env.db_url("DATABASE_URL")}
#- /app/settings/prod.py
import os
from .base import *
SECRET_KEY = os.environ["SECRET_KEY"]
"#;

fn with_compose(compose: &str, dotenv: &str) -> String {
    format!("#- /compose.yaml\n{compose}#- /.env\n{dotenv}{PROJECT}")
}

#[test]
fn typo_in_environment_is_reported_once_and_explains_the_missing_read() {
    check(
        &with_compose(
            "services:\n  web:\n    build: .\n    command: python manage.py runserver\n    environment:\n      DATABSE_URL: postgres://db/app\n",
            "",
        ),
        expect![[r#"
            compose.yaml "DATABSE_URL" env-typo warning: service `web` sets `DATABSE_URL`, which its code never reads; did you mean `DATABASE_URL`, which app/settings/dev.py requires?
              related app/settings/dev.py "\"DATABASE_URL\"": `DATABASE_URL` is read here
              fix Rename to `DATABASE_URL`: "DATABASE_URL"
        "#]],
    );
}

#[test]
fn correct_names_are_quiet() {
    check(
        &with_compose(
            "services:\n  web:\n    build: .\n    command: python manage.py runserver\n    environment:\n      DATABASE_URL: postgres://db/app\n      DEBUG: \"on\"\n      PORT: \"8000\"\n",
            "",
        ),
        expect![[""]],
    );
}

#[test]
fn missing_required_read_is_reported_at_the_read_with_the_service() {
    // No command: the image's CMD runs, with the image's settings module.
    check(
        &with_compose("services:\n  worker:\n    build: {context: ., target: prod}\n", ""),
        expect![[r#"
            compose.yaml "worker" env-missing error: service `worker` does not set `SECRET_KEY` that the code it runs needs
              related app/settings/prod.py "\"SECRET_KEY\"": `SECRET_KEY` is read here
              fix Add `SECRET_KEY` to service `worker`'s environment: "\n    environment:\n      SECRET_KEY: \"change-me\""
              fix Add `SECRET_KEY` to the project `.env` and pass it to service `worker`: "SECRET_KEY=change-me\n"
              fix Add `SECRET_KEY` to the project `.env` and pass it to service `worker`: "\n    environment:\n      SECRET_KEY:"
              fix Give `SECRET_KEY` a default where it is read: "os.environ.get(\"SECRET_KEY\", \"change-me\")"
            app/settings/prod.py "\"SECRET_KEY\"" env-missing error: `SECRET_KEY` is required, but service `worker` does not set it (not in its environment, env files or image)
              related compose.yaml "worker": service `worker` runs this code without setting `SECRET_KEY`
              fix Add `SECRET_KEY` to service `worker`'s environment: "\n    environment:\n      SECRET_KEY: \"change-me\""
              fix Add `SECRET_KEY` to the project `.env` and pass it to service `worker`: "SECRET_KEY=change-me\n"
              fix Add `SECRET_KEY` to the project `.env` and pass it to service `worker`: "\n    environment:\n      SECRET_KEY:"
              fix Give `SECRET_KEY` a default where it is read: "os.environ.get(\"SECRET_KEY\", \"change-me\")"
        "#]],
    );
}

#[test]
fn shell_passed_and_env_file_values_count_as_provided() {
    check(
        &with_compose(
            "services:\n  worker:\n    build: {context: ., target: prod}\n    env_file: .env\n  web:\n    build: {context: ., target: prod}\n    environment:\n      - SECRET_KEY\n",
            "SECRET_KEY=x\n",
        ),
        expect![[""]],
    );
}

#[test]
fn invalid_values_in_compose_and_env_files() {
    check(
        &with_compose(
            "services:\n  web:\n    build: .\n    env_file: .env\n    environment:\n      SECRET_KEY: s\n      PORT: eighty\n",
            "DEBUG=yes-please\n",
        ),
        expect![[r#"
            compose.yaml "web" env-missing error: service `web` does not set `DATABASE_URL` that the code it runs needs
              related app/settings/dev.py "\"DATABASE_URL\"": `DATABASE_URL` is read here
              fix Add `DATABASE_URL` to service `web`'s environment: "\n      DATABASE_URL: \"postgres://user:password@db:5432/app\""
              fix Add `DATABASE_URL` to `.env`: "DATABASE_URL=postgres://user:password@db:5432/app\n"
              fix Give `DATABASE_URL` a default where it is read: ", default=\"postgres://user:password@db:5432/app\""
            compose.yaml "eighty" env-invalid-value warning: `eighty` is not an integer, which `PORT` is read as
              related app/settings/base.py "\"PORT\"": `PORT` is read here
            compose.yaml "SECRET_KEY" env-unused hint: `SECRET_KEY` is set for service `web`, but nothing it runs reads it
              fix Remove `SECRET_KEY`: ""
            .env "yes-please" env-invalid-value warning: `yes-please` is not a boolean (true/false, yes/no, on/off, 1/0), which `DEBUG` is read as
              related app/settings/base.py "\"DEBUG\"": `DEBUG` is read here
            app/settings/dev.py "\"DATABASE_URL\"" env-missing error: `DATABASE_URL` is required, but service `web` does not set it (not in its environment, env files or image)
              related compose.yaml "web": service `web` runs this code without setting `DATABASE_URL`
              fix Add `DATABASE_URL` to service `web`'s environment: "\n      DATABASE_URL: \"postgres://user:password@db:5432/app\""
              fix Add `DATABASE_URL` to `.env`: "DATABASE_URL=postgres://user:password@db:5432/app\n"
              fix Give `DATABASE_URL` a default where it is read: ", default=\"postgres://user:password@db:5432/app\""
        "#]],
    );
}

#[test]
fn unknown_settings_module_is_quiet() {
    // Settings from the shell: berth cannot tell which module runs, so it says nothing.
    check(
        &with_compose(
            "services:\n  web:\n    build: .\n    environment:\n      - DJANGO_SETTINGS_MODULE\n      - DATABSE_URL=x\n",
            "",
        ),
        expect![[""]],
    );
}

#[test]
fn plain_app_reads_through_imports() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            build: .
            environment:
              DB_PASSWROD: ${PW:-app}
        #- /Dockerfile
        FROM python:3.12
        CMD ["gunicorn", "app:app"]
        #- /app.py
        import config
        #- /config.py
        import os
        DB_PASSWORD = os.environ["DB_PASSWORD"]
        "#,
        expect![[r#"
            compose.yaml "DB_PASSWROD" env-typo warning: service `web` sets `DB_PASSWROD`, which its code never reads; did you mean `DB_PASSWORD`, which config.py requires?
              related config.py "\"DB_PASSWORD\"": `DB_PASSWORD` is read here
              fix Rename to `DB_PASSWORD`: "DB_PASSWORD"
        "#]],
    );
}

/// The env rules' share of each example's `expected-diagnostics.txt` (`path:line:col code`).
fn check_example(dir: &str) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(dir);
    let scan = crate::workspace::load::scan(std::slice::from_ref(&root), &|_, _| {});
    let mut snap = crate::workspace::Snapshot::new(vec![root.clone()]);
    for d in scan.docs {
        snap.insert(d);
    }
    let mut got = Vec::new();
    for doc in snap.documents() {
        for d in super::diagnostics(&snap, doc) {
            let before = &doc.text[..d.range.start];
            let line = before.matches('\n').count() + 1;
            let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            let rel = d.path.strip_prefix(&root).unwrap().display().to_string();
            got.push(format!("{rel}:{line}:{col} {}", d.code));
        }
    }
    got.sort();
    let expected = std::fs::read_to_string(root.join("expected-diagnostics.txt")).unwrap();
    let mut want: Vec<String> =
        expected.lines().filter(|l| l.contains(" env-")).map(str::to_string).collect();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn django_compose_example() {
    check_example("django-compose");
}

#[test]
fn flask_app_example() {
    check_example("flask-app");
}

#[test]
fn image_built_elsewhere_makes_missing_unprovable() {
    // The image may set the variable: berth cannot see its Dockerfile.
    check(
        &with_compose(
            "services:\n  a:\n    image: example/app\n    command: gunicorn app.wsgi\n    environment:\n      DJANGO_SETTINGS_MODULE: app.settings.prod\n",
            "",
        ),
        expect![[""]],
    );
}

#[test]
fn code_loading_its_own_dotenv_makes_missing_unprovable() {
    check(
        &with_compose("services:\n  worker:\n    build: {context: ., target: prod}\n", "").replace(
            "SECRET_KEY = os.environ",
            "import dotenv\ndotenv.load_dotenv()\nSECRET_KEY = os.environ",
        ),
        expect![[""]],
    );
}

#[test]
fn unused_fires_for_a_leftover_and_is_quiet_for_runtime_image_and_read_names() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            build: .
            environment:
              DB_PASSWORD: x
              LEFTOVER: "1"
              PYTHONUNBUFFERED: "1"
              PGHOST: db
              TZ: UTC
              LC_ALL: C.UTF-8
          db:
            image: postgres:16
            environment:
              POSTGRES_PASSWORD: x
              UNRELATED: y
          worker:
            build: .
            command: celery -A app worker
            environment:
              CELERY_CONCURRENCY: "2"
        #- /Dockerfile
        FROM python:3.12
        CMD ["gunicorn", "app:app"]
        #- /app.py
        import config
        #- /config.py
        import os
        DB_PASSWORD = os.environ["DB_PASSWORD"]
        "#,
        expect![[r#"
            compose.yaml "worker" env-missing error: service `worker` does not set `DB_PASSWORD` that the code it runs needs
              related config.py "\"DB_PASSWORD\"": `DB_PASSWORD` is read here
              fix Add `DB_PASSWORD` to service `worker`'s environment: "\n      DB_PASSWORD: \"change-me\""
              fix Give `DB_PASSWORD` a default where it is read: "os.environ.get(\"DB_PASSWORD\", \"change-me\")"
            compose.yaml "LEFTOVER" env-unused hint: `LEFTOVER` is set for service `web`, but nothing it runs reads it
              fix Remove `LEFTOVER`: ""
            config.py "\"DB_PASSWORD\"" env-missing error: `DB_PASSWORD` is required, but service `worker` does not set it (not in its environment, env files or image)
              related compose.yaml "worker": service `worker` runs this code without setting `DB_PASSWORD`
              fix Add `DB_PASSWORD` to service `worker`'s environment: "\n      DB_PASSWORD: \"change-me\""
              fix Give `DB_PASSWORD` a default where it is read: "os.environ.get(\"DB_PASSWORD\", \"change-me\")"
        "#]],
    );
}

#[test]
fn unused_is_quiet_when_the_code_is_unknown_or_a_shared_env_file_is_read_by_another() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            build: .
            env_file: common.env
            environment:
              - DJANGO_SETTINGS_MODULE
          worker:
            build: .
            env_file: common.env
        #- /common.env
        DB_PASSWORD=x
        #- /Dockerfile
        FROM python:3.12
        CMD ["gunicorn", "app:app"]
        #- /app.py
        import os
        DB_PASSWORD = os.environ["DB_PASSWORD"]
        "#,
        expect![[""]],
    );
}

#[test]
fn interpolation_unset_fires_without_value_or_default() {
    check(
        r#"
        #- /compose.yaml
        services:
          db:
            image: "postgres:${PG_TAG}"
            environment:
              POSTGRES_PASSWORD: ${PW:-app}
              POSTGRES_USER: ${PGUSER:?must be set}
              POSTGRES_DB: ${FROM_DOTENV}
            container_name: ${COMPOSE_PROJECT_NAME}-db
            user: ${USER}
        #- /.env
        FROM_DOTENV=app
        "#,
        expect![[r#"
            compose.yaml "PG_TAG" interpolation-unset warning: `PG_TAG` is not in the project's `.env` and has no default: Compose substitutes an empty string unless the shell sets it
              fix Add `PG_TAG` to the project `.env`: "PG_TAG=\n"
              fix Mark `PG_TAG` as required from the shell: "${PG_TAG:?set PG_TAG in the shell or .env}"
        "#]],
    );
}

#[test]
fn settings_module_not_found_fires_at_each_kind_of_value() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            build: .
            environment:
              DJANGO_SETTINGS_MODULE: app.settings.prod
        #- /.env
        DJANGO_SETTINGS_MODULE=app.setings
        #- /Dockerfile
        FROM python:3.12
        ENV DJANGO_SETTINGS_MODULE=app.settings.staging
        CMD ["gunicorn", "app.wsgi"]
        #- /app/__init__.py
        #- /app/wsgi.py
        import os
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings.dev")
        #- /app/settings/__init__.py
        #- /app/settings/production.py
        "#,
        expect![[r#"
            compose.yaml "app.settings.prod" settings-module-not-found error: no module `app.settings.prod` in the project: Django cannot import the settings it names
            .env "app.setings" settings-module-not-found error: no module `app.setings` in the project: Django cannot import the settings it names
            Dockerfile "app.settings.staging" settings-module-not-found error: no module `app.settings.staging` in the project: Django cannot import the settings it names
            app/wsgi.py "app.settings.dev" settings-module-not-found error: no module `app.settings.dev` in the project: Django cannot import the settings the default names
        "#]],
    );
}

#[test]
fn settings_module_found_is_quiet() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            build: .
            environment:
              DJANGO_SETTINGS_MODULE: app.settings
        #- /Dockerfile
        FROM python:3.12
        ENV DJANGO_SETTINGS_MODULE=app.settings
        CMD ["gunicorn", "app.wsgi"]
        #- /app/__init__.py
        #- /app/wsgi.py
        import os
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", 'app.settings')
        #- /app/settings/__init__.py
        "#,
        expect![[""]],
    );
}

#[test]
fn graph_is_cached_per_snapshot_and_rebuilt_on_edit() {
    let mut f = fixture(&with_compose("services:\n  web:\n    build: .\n", ""));
    let a = super::index::graph(&f.snapshot);
    let b = super::index::graph(&f.snapshot);
    assert!(std::sync::Arc::ptr_eq(&a, &b) || a.sites().len() == b.sites().len());
    let env = f.doc(".env").clone();
    f.snapshot.insert(env.edit(0..0, "SECRET_KEY=x\n", Some(2)));
    let c = super::index::graph(&f.snapshot);
    assert!(!std::sync::Arc::ptr_eq(&a, &c));
    assert!(c.sites().iter().any(|s| s.name == "SECRET_KEY" && s.what == super::What::Dotenv));
}

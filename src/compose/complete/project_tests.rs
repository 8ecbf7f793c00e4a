//! Completion through the compose glue (`compose::complete`), with the names read from the
//! project, its Dockerfile, `.env` and Python settings.

use expect_test::{Expect, expect};

use crate::testing::fixture;

/// Label, detail and what is inserted, for the items matching what is typed.
fn check(text: &str, expect: Expect) {
    let f = fixture(text);
    let (doc, offset) = f.at_cursor();
    let mut out = String::new();
    for item in crate::compose::complete(&f.snapshot, doc, offset) {
        let typed = &doc.text[item.replace.start..offset];
        if !item.label.starts_with(typed.trim_start_matches(['$', '{'])) {
            continue;
        }
        out.push_str(&item.label);
        if let Some(d) = &item.detail {
            out.push_str(&format!(" ({d})"));
        }
        if let Some(t) = item.insert_text.as_ref().filter(|t| **t != item.label) {
            out.push_str(&format!(" => {t:?}"));
        }
        out.push('\n');
    }
    expect.assert_eq(&out);
}

const DOCKERFILE: &str = "#- /app/Dockerfile\nARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}-slim AS base\nARG APP_ENV\nFROM base AS prod\n";

#[test]
fn build_target_lists_the_stages_of_the_dockerfile() {
    check(
        &format!(
            "{DOCKERFILE}#- /compose.yaml\nservices:\n  web:\n    build:\n      context: ./app\n      target: $0\n"
        ),
        expect![[r#"
            base (build stage)
            prod (build stage)
        "#]],
    );
}

#[test]
fn build_args_list_the_arg_names() {
    check(
        &format!(
            "{DOCKERFILE}#- /compose.yaml\nservices:\n  web:\n    build:\n      context: ./app\n      args:\n        $0\n"
        ),
        expect![[r#"
            PYTHON_VERSION (build argument) => "PYTHON_VERSION: $0"
            APP_ENV (build argument) => "APP_ENV: $0"
        "#]],
    );
}

#[test]
fn variables_from_dotenv_and_python_settings() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            environment:
              DATABASE_URL: ${$0}
        #- /.env
        POSTGRES_PASSWORD=hunter2
        TAG=1.2
        #- /app/settings.py
        import os
        DATABASE_URL = os.environ["DATABASE_URL"]
        DEBUG = os.getenv("DEBUG", "0") == "1"
        "#,
        expect![[r#"
            POSTGRES_PASSWORD (.env: ••••)
            TAG (.env: 1.2)
            DATABASE_URL (read by the Python settings)
            DEBUG (read by the Python settings)
        "#]],
    );
}

#[test]
fn images_of_the_workspace() {
    check(
        &format!(
            "{DOCKERFILE}#- /compose.yaml\nservices:\n  web:\n    image: $0\n  db:\n    image: postgres:16\n#- /other/compose.yaml\nservices:\n  cache:\n    image: redis:7\n"
        ),
        expect![[r#"
            postgres:16 (image)
            redis:7 (image)
        "#]],
    );
}

#[test]
fn services_of_the_whole_project() {
    check(
        r#"
        #- /compose.override.yaml
        services:
          web:
            depends_on: [$0]
          debugger:
            image: busybox
        #- /compose.yaml
        services:
          web:
            image: app
          db:
            image: postgres
        "#,
        expect![[r#"
            debugger (service)
            db (service)
        "#]],
    );
}

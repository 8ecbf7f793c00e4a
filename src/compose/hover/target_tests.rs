//! Hover through the compose glue (`compose::hover`) on multi-file fixtures.

use expect_test::{Expect, expect};

use crate::testing::fixture;

fn check(text: &str, expect: Expect) {
    check_with(text, true, expect)
}

/// The hovered text, then the markdown.
fn check_with(text: &str, mask: bool, expect: Expect) {
    let mut f = fixture(text);
    let mut config = (*f.snapshot.config).clone();
    config.mask_secrets = mask;
    f.snapshot.config = std::sync::Arc::new(config);
    let (doc, offset) = f.at_cursor();
    let out = match crate::compose::hover(&f.snapshot, doc, offset) {
        Some(h) => format!("[{}]\n{}", &doc.text[h.range.clone()], h.markdown),
        None => "(none)".to_string(),
    };
    expect.assert_eq(&out);
}

#[test]
fn referenced_service_summary() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            build: {context: ., target: prod}
            command: gunicorn app.wsgi
            ports: ["8000:8000"]
            depends_on:
              db: {condition: service_healthy}
          worker:
            depends_on: [w$0eb]
          db:
            image: postgres:16
        #- /compose.override.yaml
        services:
          web:
            ports: ["5678:5678"]
        "#,
        expect![[r#"
            [web]
            **service `web`**

            - build: `.`, target `prod`
            - command: `gunicorn app.wsgi`
            - ports: `8000:8000`, `5678:5678`
            - depends on: `db` (service_healthy)
            - defined in: compose.yaml, compose.override.yaml"#]],
    );
}

#[test]
fn variable_from_dotenv_and_masked_secret() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            image: "app:${TA$0G:-latest}"
            environment:
              SECRET_KEY: ${SECRET_KEY}
        #- /.env
        TAG=1.4
        SECRET_KEY=s3cr3t
        "#,
        expect![[r#"
            [${TAG:-latest}]
            **`TAG`** · interpolated by Compose

            Set in `.env` (line 1) to `1.4`.

            `${TAG:-latest}` resolves to `1.4`.

            A variable set in the shell environment takes precedence over `.env`."#]],
    );
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            environment:
              SECRET_KEY: ${SECRET_$0KEY}
        #- /.env
        SECRET_KEY=s3cr3t
        "#,
        expect![[r#"
            [${SECRET_KEY}]
            **`SECRET_KEY`** · interpolated by Compose

            Set in `.env` (line 1) to `••••`.

            `${SECRET_KEY}` resolves to `••••`.

            A variable set in the shell environment takes precedence over `.env`."#]],
    );
    check_with(
        r#"
        #- /compose.yaml
        services:
          web:
            environment:
              SECRET_KEY: ${SECRET_$0KEY}
        #- /.env
        SECRET_KEY=s3cr3t
        "#,
        false,
        expect![[r#"
            [${SECRET_KEY}]
            **`SECRET_KEY`** · interpolated by Compose

            Set in `.env` (line 1) to `s3cr3t`.

            `${SECRET_KEY}` resolves to `s3cr3t`.

            A variable set in the shell environment takes precedence over `.env`."#]],
    );
}

#[test]
fn unset_variables_say_why() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            image: "app:${T$0AG:-latest}"
        #- /.env
        OTHER=1
        "#,
        expect![[r#"
            [${TAG:-latest}]
            **`TAG`** · interpolated by Compose

            Not set in the project's `.env`.

            `${TAG:-latest}` resolves to `latest` (the default).

            A variable set in the shell environment takes precedence over `.env`."#]],
    );
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            environment:
              DATABASE_URL: ${DATABASE_U$0RL:?set DATABASE_URL in .env}
        "#,
        expect![[r#"
            [${DATABASE_URL:?set DATABASE_URL in .env}]
            **`DATABASE_URL`** · interpolated by Compose

            The project has no `.env` file.

            `${DATABASE_URL:?set DATABASE_URL in .env}` stops Compose with the error: set DATABASE_URL in .env.

            A variable set in the shell environment takes precedence over `.env`."#]],
    );
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            environment:
              DEBUG: $DEB$0UG
        #- /.env
        "#,
        expect![[r#"
            [$DEBUG]
            **`DEBUG`** · interpolated by Compose

            Not set in the project's `.env`.

            `$DEBUG` resolves to an empty string; Compose warns that the variable is not set.

            A variable set in the shell environment takes precedence over `.env`."#]],
    );
}

#[test]
fn build_target_and_args() {
    let files = "#- /Dockerfile\nARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}-slim AS base\nARG API_TOKEN=dev-token\nFROM base AS prod\nARG APP_ENV";
    check(
        &format!(
            "{files}\n#- /compose.yaml\nservices:\n  web:\n    build:\n      context: .\n      target: pr$0od\n"
        ),
        expect![[r#"
            [prod]
            **stage `prod`** · stage 2 of 2 in `Dockerfile` (line 4)

            ```dockerfile
            FROM base AS prod
            ```"#]],
    );
    check(
        &format!(
            "{files}\n#- /compose.yaml\nservices:\n  web:\n    build:\n      context: .\n      args:\n        PYTHON_VER$0SION: \"3.13\"\n"
        ),
        expect![[r#"
            [PYTHON_VERSION]
            **build argument `PYTHON_VERSION`** · `Dockerfile` line 1, before the first `FROM` (usable in `FROM` lines)

            ```dockerfile
            ARG PYTHON_VERSION=3.12
            ```

            Default: `3.12`. This service passes `3.13`."#]],
    );
    check(
        &format!(
            "{files}\n#- /compose.yaml\nservices:\n  web:\n    build:\n      context: .\n      args: [API_T$0OKEN]\n"
        ),
        expect![[r#"
            [API_TOKEN]
            **build argument `API_TOKEN`** · `Dockerfile` line 3, in stage `base`

            ```dockerfile
            ARG API_TOKEN=de••••
            ```

            Default: `de••••`. This service passes the value the shell environment has, if any."#]],
    );
    check(
        &format!(
            "{files}\n#- /compose.yaml\nservices:\n  web:\n    build:\n      context: .\n      target: nope$0\n"
        ),
        expect![[r#"
            [nope]
            `Dockerfile` has no stage named `nope`. Its named stages: `base`, `prod`."#]],
    );
}

#[test]
fn keys_still_get_schema_docs() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            pull_po$0licy: always
        "#,
        expect![[r#"
            [pull_policy]
            **pull_policy** · pull policy

            When to pull the image: `always`, `never`, `missing`, `build`, `daily`, `weekly`, or `every_<duration>`.

            Values:
            - `always`: Pull the image from the registry every time.
            - `never`: Never pull; fail when the image is not already present.
            - `missing`: Pull only when the image is not present (the default without `build`).
            - `build`: Always build the image, even when one is present.
            - `daily`: Check the registry when the last pull is more than a day old.
            - `weekly`: Check the registry when the last pull is more than a week old.
            - `refresh`: Check the registry for a newer image, like `always`.
            - `if_not_present`: Old spelling of `missing`, still accepted."#]],
    );
}

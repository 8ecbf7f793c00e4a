//! Definitions that cross into the Dockerfile, through the compose glue.

use expect_test::{Expect, expect};

use crate::testing::fixture;

/// Each definition as `path:line text@range`.
fn check(text: &str, expect: Expect) {
    let f = fixture(text);
    let (doc, offset) = f.at_cursor();
    let mut out = String::new();
    for l in crate::compose::definition(&f.snapshot, doc, offset) {
        let d = f.snapshot.get(&l.path).unwrap();
        out.push_str(&format!("{}:{}@{:?}\n", l.path.display(), &d.text[l.range.clone()], l.range));
    }
    expect.assert_eq(&out);
}

const DOCKERFILE: &str = "#- /app/Dockerfile\nARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION} AS base\nFROM base AS prod\nARG APP_ENV=prod\n";

#[test]
fn build_target_goes_to_the_stage() {
    check(
        &format!(
            "{DOCKERFILE}#- /compose.yaml\nservices:\n  web:\n    build:\n      context: ./app\n      target: pr$0od\n"
        ),
        expect![[r#"
            /w/app/Dockerfile:prod@75..79
        "#]],
    );
}

#[test]
fn build_arg_goes_to_the_arg() {
    check(
        &format!(
            "{DOCKERFILE}#- /compose.yaml\nservices:\n  web:\n    build:\n      context: ./app\n      args:\n        - APP_E$0NV=dev\n"
        ),
        expect![[r#"
            /w/app/Dockerfile:APP_ENV@84..91
        "#]],
    );
    check(
        &format!(
            "{DOCKERFILE}#- /compose.yaml\nservices:\n  web:\n    build:\n      context: ./app\n      args:\n        PYTHON_VERSION$0: '3.13'\n"
        ),
        expect![[r#"
            /w/app/Dockerfile:PYTHON_VERSION@4..18
        "#]],
    );
}

#[test]
fn override_file_without_context_uses_the_merged_build() {
    check(
        &format!(
            "{DOCKERFILE}#- /compose.yaml\nservices:\n  web:\n    build: ./app\n#- /compose.override.yaml\nservices:\n  web:\n    build:\n      target: b$0ase\n"
        ),
        expect![[r#"
            /w/app/Dockerfile:base@57..61
        "#]],
    );
}

#[test]
fn unknown_names_go_nowhere() {
    check(
        &format!(
            "{DOCKERFILE}#- /compose.yaml\nservices:\n  web:\n    build:\n      context: ./app\n      target: nope$0\n"
        ),
        expect![""],
    );
}

//! One test per rule: where it fires (code + exact range) and where it stays quiet; and each
//! quick fix applied to the text.

use expect_test::{Expect, expect};

use crate::testing::fixture;

/// Diagnostics with `code` for the fixture's Dockerfile (all rules enabled), one per line:
/// the flagged text and the message; with `fix`, the text after applying the first fix of the
/// first such diagnostic.
fn check(code: &str, fix: bool, text: &str, expect: Expect) {
    let f = fixture(text);
    let doc = f.doc("/Dockerfile");
    let diags = super::diagnostics_with(&f.snapshot, doc, &|_| true);
    let mine: Vec<_> = diags.iter().filter(|d| d.code == code).collect();
    let out = if fix {
        let d = mine.first().expect("no diagnostic to fix");
        let fx = d.fixes.first().expect("diagnostic has no fix");
        let mut edits = fx.edits.clone();
        edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
        let mut t = doc.text.to_string();
        for e in edits {
            t.replace_range(e.range.clone(), &e.new_text);
        }
        format!("{}\n{t}", fx.title)
    } else {
        mine.iter()
            .map(|d| {
                format!("{:?} `{}` {}: {}\n", d.severity, &doc.text[d.range.clone()], d.code, d.message)
            })
            .collect()
    };
    expect.assert_eq(&out);
}

fn fires(code: &str, text: &str, expect: Expect) {
    check(code, false, text, expect);
}
fn quiet(code: &str, text: &str) {
    check(code, false, text, expect![[""]]);
}
fn fixes(code: &str, text: &str, expect: Expect) {
    check(code, true, text, expect);
}

#[test]
fn stage_name_casing() {
    fires("StageNameCasing", "FROM python:3.12 AS Builder\nFROM python:3.12\nCOPY --from=Builder /a /b\n", expect![[r#"
        Warning `Builder` StageNameCasing: Stage name `Builder` should be lowercase
    "#]]);
    quiet("StageNameCasing", "FROM python:3.12 AS builder\n");
    fixes("StageNameCasing", "FROM python:3.12 AS Builder\nFROM python:3.12\nCOPY --from=Builder /a /b\n", expect![[r#"
        Rename the stage to `builder`
        FROM python:3.12 AS builder
        FROM python:3.12
        COPY --from=builder /a /b
    "#]]);
}

#[test]
fn from_as_casing() {
    fires("FromAsCasing", "FROM python:3.12 as base\nfrom base AS x\n", expect![[r#"
        Warning `as` FromAsCasing: `as` should match the casing of `FROM`
        Warning `AS` FromAsCasing: `AS` should match the casing of `from`
    "#]]);
    quiet("FromAsCasing", "FROM python:3.12 AS base\nfrom base as x\n");
    fixes("FromAsCasing", "FROM python:3.12 as base\n", expect![[r#"
        Change to `AS`
        FROM python:3.12 AS base
    "#]]);
}

#[test]
fn no_empty_continuation() {
    fires("NoEmptyContinuation", "FROM a:1\nRUN echo a \\\n\n  && echo b\n", expect![[r#"
        Warning `` NoEmptyContinuation: Empty line inside a continued instruction; this will become an error in a future Docker release
    "#]]);
    quiet("NoEmptyContinuation", "FROM a:1\nRUN echo a \\\n  # comment\n  && echo b\n\nRUN x\n");
    fixes("NoEmptyContinuation", "FROM a:1\nRUN echo a \\\n\n  && echo b\n", expect![[r#"
        Remove the empty line
        FROM a:1
        RUN echo a \
          && echo b
    "#]]);
}

#[test]
fn consistent_instruction_casing() {
    fires("ConsistentInstructionCasing", "FROM a:1\nRUN x\nrun y\nWorkdir /app\n", expect![[r#"
        Warning `run` ConsistentInstructionCasing: `run` should be uppercase, like the other instructions in this file
        Warning `Workdir` ConsistentInstructionCasing: `Workdir` should be uppercase, like the other instructions in this file
    "#]]);
    quiet("ConsistentInstructionCasing", "from a:1\nrun x\n");
    fixes("ConsistentInstructionCasing", "FROM a:1\nRUN x\nrun y\n", expect![[r#"
        Change to `RUN`
        FROM a:1
        RUN x
        RUN y
    "#]]);
}

#[test]
fn duplicate_and_reserved_stage_names() {
    fires("DuplicateStageName", "FROM a:1 AS build\nFROM b:1 AS BUILD\n", expect![[r#"
        Warning `BUILD` DuplicateStageName: A stage named `BUILD` already exists; stage names must be unique
    "#]]);
    quiet("DuplicateStageName", "FROM a:1 AS build\nFROM b:1 AS test\n");
    fires("ReservedStageName", "FROM a:1 AS scratch\n", expect![[r#"
        Warning `scratch` ReservedStageName: `scratch` is a reserved word and cannot name a stage
    "#]]);
    quiet("ReservedStageName", "FROM a:1 AS scratchpad\n");
}

#[test]
fn json_args_recommended() {
    fires("JSONArgsRecommended", "FROM a:1\nCMD gunicorn config.wsgi -b 0.0.0.0:8000\nENTRYPOINT [\"x\"]\n", expect![[r#"
        Warning `gunicorn config.wsgi -b 0.0.0.0:8000` JSONArgsRecommended: Use the JSON form for CMD: in shell form the process runs under `/bin/sh -c` and does not receive stop signals such as SIGTERM
    "#]]);
    quiet("JSONArgsRecommended", "FROM a:1\nCMD [\"gunicorn\", \"config.wsgi\"]\n");
    quiet("JSONArgsRecommended", "FROM a:1\nSHELL [\"pwsh\", \"-c\"]\nCMD Write-Host hi\n");
    fixes("JSONArgsRecommended", "FROM a:1\nCMD gunicorn config.wsgi -b 0.0.0.0:8000\n", expect![[r#"
        Convert to the JSON form
        FROM a:1
        CMD ["gunicorn", "config.wsgi", "-b", "0.0.0.0:8000"]
    "#]]);
}

#[test]
fn maintainer_deprecated() {
    fires("MaintainerDeprecated", "FROM a:1\nMAINTAINER Ada <ada@example.com>\n", expect![[r#"
        Warning `MAINTAINER` MaintainerDeprecated: MAINTAINER is deprecated; record the author with `LABEL org.opencontainers.image.authors=…`
    "#]]);
    quiet("MaintainerDeprecated", "FROM a:1\nLABEL org.opencontainers.image.authors=ada\n");
    fixes("MaintainerDeprecated", "FROM a:1\nMAINTAINER Ada <ada@example.com>\n", expect![[r#"
        Replace with a LABEL
        FROM a:1
        LABEL org.opencontainers.image.authors="Ada <ada@example.com>"
    "#]]);
}

#[test]
fn undefined_arg_in_from() {
    fires("UndefinedArgInFrom", "FROM python:${PY}-slim\nFROM --platform=$BUILDPLATFORM a:1\n", expect![[r#"
        Warning `PY` UndefinedArgInFrom: `PY` is not declared: FROM lines can only use ARGs declared before the first FROM
    "#]]);
    quiet("UndefinedArgInFrom", "ARG PY=3.12\nFROM python:${PY}-slim\nFROM a:${V:-1}\n");
    fixes("UndefinedArgInFrom", "# syntax=docker/dockerfile:1\nFROM python:${PY}-slim\n", expect![[r#"
        Declare `ARG PY` before the first FROM
        # syntax=docker/dockerfile:1
        ARG PY
        FROM python:${PY}-slim
    "#]]);
}

#[test]
fn workdir_relative_path() {
    fires("WorkdirRelativePath", "FROM a:1\nWORKDIR app\n", expect![[r#"
        Warning `app` WorkdirRelativePath: Relative WORKDIR `app` depends on the base image's working directory; use an absolute path
    "#]]);
    quiet("WorkdirRelativePath", "FROM a:1 AS base\nWORKDIR /app\nFROM base\nWORKDIR src\n");
    fixes("WorkdirRelativePath", "FROM a:1\nWORKDIR app\n", expect![[r#"
        Change to `/app`
        FROM a:1
        WORKDIR /app
    "#]]);
}

#[test]
fn undefined_var() {
    fires(
        "UndefinedVar",
        "ARG VERSION=1\nFROM a:1\nENV APP_HOME=/app\nCOPY . $APP_HOM\nLABEL v=$VERSION\nCOPY bin-$TARGETARCH /x\nWORKDIR $NOPE\n",
        expect![[r#"
            Warning `APP_HOM` UndefinedVar: `APP_HOM` is not defined here; did you mean `APP_HOME`?
            Warning `VERSION` UndefinedVar: `VERSION` is a global ARG, visible only in FROM lines; redeclare it with `ARG VERSION` in this stage
            Warning `TARGETARCH` UndefinedVar: `TARGETARCH` is predefined by BuildKit but visible only in FROM lines; declare `ARG TARGETARCH` in this stage to use it
            Warning `NOPE` UndefinedVar: `NOPE` is not defined in this stage: it expands to an empty string
        "#]],
    );
    quiet(
        "UndefinedVar",
        "FROM a:1 AS base\nENV APP=/app\nFROM base\nARG TARGETARCH\nCOPY bin-$TARGETARCH $APP/\nENV PATH=/venv/bin:$PATH\nRUN echo $UNDEFINED_IN_SHELL\nWORKDIR ${X:-/srv}\n",
    );
    fixes("UndefinedVar", "FROM a:1\nENV APP_HOME=/app\nCOPY . $APP_HOM\n", expect![[r#"
        Change to `APP_HOME`
        FROM a:1
        ENV APP_HOME=/app
        COPY . $APP_HOME
    "#]]);
    fixes("UndefinedVar", "ARG V=1\nFROM a:1\n  LABEL v=$V\n", expect![[r#"
        Redeclare `ARG V` in this stage
        ARG V=1
        FROM a:1
          ARG V
          LABEL v=$V
    "#]]);
}

#[test]
fn multiple_instructions_disallowed() {
    fires("MultipleInstructionsDisallowed", "FROM a:1\nCMD [\"a\"]\nCMD [\"b\"]\nFROM a:1\nCMD [\"c\"]\n", expect![[r#"
        Warning `CMD` MultipleInstructionsDisallowed: Only the last CMD of a stage takes effect; this one is overridden
    "#]]);
    quiet("MultipleInstructionsDisallowed", "FROM a:1\nCMD [\"a\"]\nFROM a:1\nCMD [\"c\"]\n");
}

#[test]
fn legacy_key_value_format() {
    fires("LegacyKeyValueFormat", "FROM a:1\nENV DJANGO_SETTINGS_MODULE config.settings\nLABEL a b\n", expect![[r#"
        Warning `ENV DJANGO_SETTINGS_MODULE` LegacyKeyValueFormat: Use `ENV DJANGO_SETTINGS_MODULE=value`: the space-separated form is deprecated
        Warning `LABEL a` LegacyKeyValueFormat: Use `LABEL a=value`: the space-separated form is deprecated
    "#]]);
    quiet("LegacyKeyValueFormat", "FROM a:1\nENV A=1 B=\"two words\"\n");
    fixes("LegacyKeyValueFormat", "FROM a:1\nENV GREETING hello world\n", expect![[r#"
        Change to `GREETING="hello world"`
        FROM a:1
        ENV GREETING="hello world"
    "#]]);
}

#[test]
fn invalid_default_arg_in_from() {
    fires("InvalidDefaultArgInFrom", "ARG TAG\nFROM python:${TAG}\n", expect![[r#"
        Warning `python:${TAG}` InvalidDefaultArgInFrom: With the default build arguments this image is `python:`, which is not a valid reference; give the ARG a default value
    "#]]);
    quiet("InvalidDefaultArgInFrom", "ARG TAG=3.12\nFROM python:${TAG}\nARG IMG\nFROM ${IMG:-python}:1\n");
}

#[test]
fn platform_flags() {
    fires("FromPlatformFlagConstDisallowed", "FROM --platform=linux/amd64 python:3.12\n", expect![[r#"
        Warning `linux/amd64` FromPlatformFlagConstDisallowed: `--platform=linux/amd64` pins this stage to one platform; use a build argument such as `$BUILDPLATFORM` or pass `--platform` to the build
    "#]]);
    quiet("FromPlatformFlagConstDisallowed", "FROM --platform=linux/amd64 python:3.12 AS build-amd64\nFROM --platform=$BUILDPLATFORM a:1\n");
    fires("RedundantTargetPlatform", "FROM --platform=$TARGETPLATFORM python:3.12\n", expect![[r#"
        Warning `$TARGETPLATFORM` RedundantTargetPlatform: `--platform=$TARGETPLATFORM` is redundant: stages build for the target platform by default
    "#]]);
    quiet("RedundantTargetPlatform", "FROM --platform=$BUILDPLATFORM python:3.12\n");
}

#[test]
fn secrets_used_in_arg_or_env() {
    fires("SecretsUsedInArgOrEnv", "FROM a:1\nARG GITHUB_TOKEN\nENV DB_PASSWORD=x\n", expect![[r#"
        Warning `GITHUB_TOKEN` SecretsUsedInArgOrEnv: `GITHUB_TOKEN` looks like a secret; ARG and ENV values are stored in the image history. Use a secret mount (`RUN --mount=type=secret,id=…`) instead
        Warning `DB_PASSWORD` SecretsUsedInArgOrEnv: `DB_PASSWORD` looks like a secret; ARG and ENV values are stored in the image history. Use a secret mount (`RUN --mount=type=secret,id=…`) instead
    "#]]);
    quiet("SecretsUsedInArgOrEnv", "FROM a:1\nARG PUBLIC_KEY\nENV TOKENIZER=x\n");
}

#[test]
fn expose() {
    fires("ExposeProtoCasing", "FROM a:1\nEXPOSE 80/TCP\n", expect![[r#"
        Warning `TCP` ExposeProtoCasing: The protocol should be lowercase
    "#]]);
    quiet("ExposeProtoCasing", "FROM a:1\nEXPOSE 80/tcp 53/udp\n");
    fixes("ExposeProtoCasing", "FROM a:1\nEXPOSE 80/TCP\n", expect![[r#"
        Change to `tcp`
        FROM a:1
        EXPOSE 80/tcp
    "#]]);
    fires("ExposeInvalidFormat", "FROM a:1\nEXPOSE 127.0.0.1:8000:8000\n", expect![[r#"
        Warning `127.0.0.1:8000:8000` ExposeInvalidFormat: EXPOSE takes container ports only (`8000` or `8000/tcp`); `127.0.0.1:8000:8000` includes an address or host port, which belongs to `docker run -p` or compose `ports:`
    "#]]);
    quiet("ExposeInvalidFormat", "FROM a:1\nEXPOSE 8000 9000-9010/udp\n");
}

#[test]
fn check_directive_skip_and_error() {
    fires("MaintainerDeprecated", "# check=skip=MaintainerDeprecated\nFROM a:1\nMAINTAINER x\n", expect![[""]]);
    fires("MaintainerDeprecated", "# check=skip=all\nFROM a:1\nMAINTAINER x\n", expect![[""]]);
    fires("WorkdirRelativePath", "# check=error=true\nFROM a:1\nWORKDIR app\n", expect![[r#"
        Error `app` WorkdirRelativePath: Relative WORKDIR `app` depends on the base image's working directory; use an absolute path
    "#]]);
    fires("DL3003", "FROM a:1\n# hadolint ignore=DL3003,DL3059\nRUN cd /x\nRUN cd /y\n", expect![[r#"
        Warning `cd` DL3003: Use WORKDIR to change directory instead of `cd`
    "#]]);
    fires("JSONArgsRecommended", "FROM a:1\n# hadolint ignore=DL3025\nCMD a b\n", expect![[""]]);
}

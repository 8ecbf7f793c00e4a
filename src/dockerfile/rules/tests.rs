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
                format!(
                    "{:?} `{}` {}: {}\n",
                    d.severity,
                    &doc.text[d.range.clone()],
                    d.code,
                    d.message
                )
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
    fires(
        "StageNameCasing",
        "FROM python:3.12 AS Builder\nFROM python:3.12\nCOPY --from=Builder /a /b\n",
        expect![[r#"
        Warning `Builder` StageNameCasing: Stage name `Builder` should be lowercase
    "#]],
    );
    quiet("StageNameCasing", "FROM python:3.12 AS builder\n");
    fixes(
        "StageNameCasing",
        "FROM python:3.12 AS Builder\nFROM python:3.12\nCOPY --from=Builder /a /b\n",
        expect![[r#"
        Rename the stage to `builder`
        FROM python:3.12 AS builder
        FROM python:3.12
        COPY --from=builder /a /b
    "#]],
    );
}

#[test]
fn from_as_casing() {
    fires(
        "FromAsCasing",
        "FROM python:3.12 as base\nfrom base AS x\n",
        expect![[r#"
        Warning `as` FromAsCasing: `as` should match the casing of `FROM`
        Warning `AS` FromAsCasing: `AS` should match the casing of `from`
    "#]],
    );
    quiet("FromAsCasing", "FROM python:3.12 AS base\nfrom base as x\n");
    fixes(
        "FromAsCasing",
        "FROM python:3.12 as base\n",
        expect![[r#"
        Change to `AS`
        FROM python:3.12 AS base
    "#]],
    );
}

#[test]
fn no_empty_continuation() {
    fires(
        "NoEmptyContinuation",
        "FROM a:1\nRUN echo a \\\n\n  && echo b\n",
        expect![[r#"
        Warning `` NoEmptyContinuation: Empty line inside a continued instruction; this will become an error in a future Docker release
    "#]],
    );
    quiet("NoEmptyContinuation", "FROM a:1\nRUN echo a \\\n  # comment\n  && echo b\n\nRUN x\n");
    fixes(
        "NoEmptyContinuation",
        "FROM a:1\nRUN echo a \\\n\n  && echo b\n",
        expect![[r#"
        Remove the empty line
        FROM a:1
        RUN echo a \
          && echo b
    "#]],
    );
}

#[test]
fn consistent_instruction_casing() {
    fires(
        "ConsistentInstructionCasing",
        "FROM a:1\nRUN x\nrun y\nWorkdir /app\n",
        expect![[r#"
        Warning `run` ConsistentInstructionCasing: `run` should be uppercase, like the other instructions in this file
        Warning `Workdir` ConsistentInstructionCasing: `Workdir` should be uppercase, like the other instructions in this file
    "#]],
    );
    quiet("ConsistentInstructionCasing", "from a:1\nrun x\n");
    fixes(
        "ConsistentInstructionCasing",
        "FROM a:1\nRUN x\nrun y\n",
        expect![[r#"
        Change to `RUN`
        FROM a:1
        RUN x
        RUN y
    "#]],
    );
}

#[test]
fn duplicate_and_reserved_stage_names() {
    fires(
        "DuplicateStageName",
        "FROM a:1 AS build\nFROM b:1 AS BUILD\n",
        expect![[r#"
        Warning `BUILD` DuplicateStageName: A stage named `BUILD` already exists; stage names must be unique
    "#]],
    );
    quiet("DuplicateStageName", "FROM a:1 AS build\nFROM b:1 AS test\n");
    fires(
        "ReservedStageName",
        "FROM a:1 AS scratch\n",
        expect![[r#"
        Warning `scratch` ReservedStageName: `scratch` is a reserved word and cannot name a stage
    "#]],
    );
    quiet("ReservedStageName", "FROM a:1 AS scratchpad\n");
}

#[test]
fn json_args_recommended() {
    fires(
        "JSONArgsRecommended",
        "FROM a:1\nCMD gunicorn config.wsgi -b 0.0.0.0:8000\nENTRYPOINT [\"x\"]\n",
        expect![[r#"
        Warning `gunicorn config.wsgi -b 0.0.0.0:8000` JSONArgsRecommended: Use the JSON form for CMD: in shell form the process runs under `/bin/sh -c` and does not receive stop signals such as SIGTERM
    "#]],
    );
    quiet("JSONArgsRecommended", "FROM a:1\nCMD [\"gunicorn\", \"config.wsgi\"]\n");
    quiet("JSONArgsRecommended", "FROM a:1\nSHELL [\"pwsh\", \"-c\"]\nCMD Write-Host hi\n");
    fixes(
        "JSONArgsRecommended",
        "FROM a:1\nCMD gunicorn config.wsgi -b 0.0.0.0:8000\n",
        expect![[r#"
        Convert to the JSON form
        FROM a:1
        CMD ["gunicorn", "config.wsgi", "-b", "0.0.0.0:8000"]
    "#]],
    );
}

#[test]
fn maintainer_deprecated() {
    fires(
        "MaintainerDeprecated",
        "FROM a:1\nMAINTAINER Ada <ada@example.com>\n",
        expect![[r#"
        Warning `MAINTAINER` MaintainerDeprecated: MAINTAINER is deprecated; record the author with `LABEL org.opencontainers.image.authors=…`
    "#]],
    );
    quiet("MaintainerDeprecated", "FROM a:1\nLABEL org.opencontainers.image.authors=ada\n");
    fixes(
        "MaintainerDeprecated",
        "FROM a:1\nMAINTAINER Ada <ada@example.com>\n",
        expect![[r#"
        Replace with a LABEL
        FROM a:1
        LABEL org.opencontainers.image.authors="Ada <ada@example.com>"
    "#]],
    );
}

#[test]
fn undefined_arg_in_from() {
    fires(
        "UndefinedArgInFrom",
        "FROM python:${PY}-slim\nFROM --platform=$BUILDPLATFORM a:1\n",
        expect![[r#"
        Warning `PY` UndefinedArgInFrom: `PY` is not declared: FROM lines can only use ARGs declared before the first FROM
    "#]],
    );
    quiet("UndefinedArgInFrom", "ARG PY=3.12\nFROM python:${PY}-slim\nFROM a:${V:-1}\n");
    fixes(
        "UndefinedArgInFrom",
        "# syntax=docker/dockerfile:1\nFROM python:${PY}-slim\n",
        expect![[r#"
        Declare `ARG PY` before the first FROM
        # syntax=docker/dockerfile:1
        ARG PY
        FROM python:${PY}-slim
    "#]],
    );
}

#[test]
fn workdir_relative_path() {
    fires(
        "WorkdirRelativePath",
        "FROM a:1\nWORKDIR app\n",
        expect![[r#"
        Warning `app` WorkdirRelativePath: Relative WORKDIR `app` depends on the base image's working directory; use an absolute path
    "#]],
    );
    quiet("WorkdirRelativePath", "FROM a:1 AS base\nWORKDIR /app\nFROM base\nWORKDIR src\n");
    fixes(
        "WorkdirRelativePath",
        "FROM a:1\nWORKDIR app\n",
        expect![[r#"
        Change to `/app`
        FROM a:1
        WORKDIR /app
    "#]],
    );
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
    fixes(
        "UndefinedVar",
        "FROM a:1\nENV APP_HOME=/app\nCOPY . $APP_HOM\n",
        expect![[r#"
        Change to `APP_HOME`
        FROM a:1
        ENV APP_HOME=/app
        COPY . $APP_HOME
    "#]],
    );
    fixes(
        "UndefinedVar",
        "ARG V=1\nFROM a:1\n  LABEL v=$V\n",
        expect![[r#"
        Redeclare `ARG V` in this stage
        ARG V=1
        FROM a:1
          ARG V
          LABEL v=$V
    "#]],
    );
}

#[test]
fn multiple_instructions_disallowed() {
    fires(
        "MultipleInstructionsDisallowed",
        "FROM a:1\nCMD [\"a\"]\nCMD [\"b\"]\nFROM a:1\nCMD [\"c\"]\n",
        expect![[r#"
        Warning `CMD` MultipleInstructionsDisallowed: Only the last CMD of a stage takes effect; this one is overridden
    "#]],
    );
    quiet("MultipleInstructionsDisallowed", "FROM a:1\nCMD [\"a\"]\nFROM a:1\nCMD [\"c\"]\n");
}

#[test]
fn legacy_key_value_format() {
    fires(
        "LegacyKeyValueFormat",
        "FROM a:1\nENV DJANGO_SETTINGS_MODULE config.settings\nLABEL a b\n",
        expect![[r#"
        Warning `ENV DJANGO_SETTINGS_MODULE` LegacyKeyValueFormat: Use `ENV DJANGO_SETTINGS_MODULE=value`: the space-separated form is deprecated
        Warning `LABEL a` LegacyKeyValueFormat: Use `LABEL a=value`: the space-separated form is deprecated
    "#]],
    );
    quiet("LegacyKeyValueFormat", "FROM a:1\nENV A=1 B=\"two words\"\n");
    fixes(
        "LegacyKeyValueFormat",
        "FROM a:1\nENV GREETING hello world\n",
        expect![[r#"
        Change to `GREETING="hello world"`
        FROM a:1
        ENV GREETING="hello world"
    "#]],
    );
}

#[test]
fn invalid_default_arg_in_from() {
    fires(
        "InvalidDefaultArgInFrom",
        "ARG TAG\nFROM python:${TAG}\n",
        expect![[r#"
        Warning `python:${TAG}` InvalidDefaultArgInFrom: With the default build arguments this image is `python:`, which is not a valid reference; give the ARG a default value
    "#]],
    );
    quiet(
        "InvalidDefaultArgInFrom",
        "ARG TAG=3.12\nFROM python:${TAG}\nARG IMG\nFROM ${IMG:-python}:1\n",
    );
}

#[test]
fn platform_flags() {
    fires(
        "FromPlatformFlagConstDisallowed",
        "FROM --platform=linux/amd64 python:3.12\n",
        expect![[r#"
        Warning `linux/amd64` FromPlatformFlagConstDisallowed: `--platform=linux/amd64` pins this stage to one platform; use a build argument such as `$BUILDPLATFORM` or pass `--platform` to the build
    "#]],
    );
    quiet(
        "FromPlatformFlagConstDisallowed",
        "FROM --platform=linux/amd64 python:3.12 AS build-amd64\nFROM --platform=$BUILDPLATFORM a:1\n",
    );
    fires(
        "RedundantTargetPlatform",
        "FROM --platform=$TARGETPLATFORM python:3.12\n",
        expect![[r#"
        Warning `$TARGETPLATFORM` RedundantTargetPlatform: `--platform=$TARGETPLATFORM` is redundant: stages build for the target platform by default
    "#]],
    );
    quiet("RedundantTargetPlatform", "FROM --platform=$BUILDPLATFORM python:3.12\n");
}

#[test]
fn invalid_base_image_platform() {
    fires(
        "InvalidBaseImagePlatform",
        "FROM --platform=windows/amd64 python:3.12-slim AS win-amd64\n",
        expect![[r#"
        Warning `python:3.12-slim` InvalidBaseImagePlatform: `python:3.12-slim` is a linux image, but this stage is built for `windows/amd64`
    "#]],
    );
    fires(
        "InvalidBaseImagePlatform",
        "FROM --platform=linux/amd64 mcr.microsoft.com/windows/servercore:ltsc2022 AS amd64\n",
        expect![[r#"
        Warning `mcr.microsoft.com/windows/servercore:ltsc2022` InvalidBaseImagePlatform: `mcr.microsoft.com/windows/servercore:ltsc2022` is a windows image, but this stage is built for `linux/amd64`
    "#]],
    );
    quiet(
        "InvalidBaseImagePlatform",
        "FROM --platform=linux/arm64 python:3.12-slim AS arm64\nFROM --platform=windows/amd64 python:3.12 AS amd64\nFROM --platform=$TARGETPLATFORM alpine\n",
    );
}

#[test]
fn secrets_used_in_arg_or_env() {
    fires(
        "SecretsUsedInArgOrEnv",
        "FROM a:1\nARG GITHUB_TOKEN\nENV DB_PASSWORD=x\n",
        expect![[r#"
        Warning `GITHUB_TOKEN` SecretsUsedInArgOrEnv: `GITHUB_TOKEN` looks like a secret; ARG and ENV values are stored in the image history. Use a secret mount (`RUN --mount=type=secret,id=…`) instead
        Warning `DB_PASSWORD` SecretsUsedInArgOrEnv: `DB_PASSWORD` looks like a secret; ARG and ENV values are stored in the image history. Use a secret mount (`RUN --mount=type=secret,id=…`) instead
    "#]],
    );
    quiet("SecretsUsedInArgOrEnv", "FROM a:1\nARG PUBLIC_KEY\nENV TOKENIZER=x\n");
}

#[test]
fn expose() {
    fires(
        "ExposeProtoCasing",
        "FROM a:1\nEXPOSE 80/TCP\n",
        expect![[r#"
        Warning `TCP` ExposeProtoCasing: The protocol should be lowercase
    "#]],
    );
    quiet("ExposeProtoCasing", "FROM a:1\nEXPOSE 80/tcp 53/udp\n");
    fixes(
        "ExposeProtoCasing",
        "FROM a:1\nEXPOSE 80/TCP\n",
        expect![[r#"
        Change to `tcp`
        FROM a:1
        EXPOSE 80/tcp
    "#]],
    );
    fires(
        "ExposeInvalidFormat",
        "FROM a:1\nEXPOSE 127.0.0.1:8000:8000\n",
        expect![[r#"
        Warning `127.0.0.1:8000:8000` ExposeInvalidFormat: EXPOSE takes container ports only (`8000` or `8000/tcp`); `127.0.0.1:8000:8000` includes an address or host port, which belongs to `docker run -p` or compose `ports:`
    "#]],
    );
    quiet("ExposeInvalidFormat", "FROM a:1\nEXPOSE 8000 9000-9010/udp\n");
}

#[test]
fn check_directive_skip_and_error() {
    fires(
        "MaintainerDeprecated",
        "# check=skip=MaintainerDeprecated\nFROM a:1\nMAINTAINER x\n",
        expect![[""]],
    );
    fires("MaintainerDeprecated", "# check=skip=all\nFROM a:1\nMAINTAINER x\n", expect![[""]]);
    fires(
        "WorkdirRelativePath",
        "# check=error=true\nFROM a:1\nWORKDIR app\n",
        expect![[r#"
        Error `app` WorkdirRelativePath: Relative WORKDIR `app` depends on the base image's working directory; use an absolute path
    "#]],
    );
    fires(
        "DL3003",
        "FROM a:1\n# hadolint ignore=DL3003,DL3059\nRUN cd /x\nRUN cd /y\n",
        expect![[r#"
        Warning `cd` DL3003: Use WORKDIR to change directory instead of `cd`
    "#]],
    );
    fires("JSONArgsRecommended", "FROM a:1\n# hadolint ignore=DL3025\nCMD a b\n", expect![[""]]);
}

#[test]
fn hadolint_images_and_users() {
    fires(
        "DL3006",
        "FROM python\nFROM python AS b\nFROM b\nFROM scratch\n",
        expect![[r#"
        Warning `python` DL3006: Pin a tag for `python` (for example `python:<version>`); without one the build follows `latest`
        Warning `python` DL3006: Pin a tag for `python` (for example `python:<version>`); without one the build follows `latest`
    "#]],
    );
    quiet(
        "DL3006",
        "FROM python:3.12\nFROM python@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n",
    );
    fires(
        "DL3007",
        "FROM python:latest\n",
        expect![[r#"
        Warning `python:latest` DL3007: `latest` changes over time; pin a specific version tag
    "#]],
    );
    quiet("DL3007", "FROM python:3.12\n");
    fires(
        "DL3002",
        "FROM a:1\nUSER app\nUSER root:root\n",
        expect![[r#"
        Warning `root:root` DL3002: The image runs as root; switch to an unprivileged USER at the end
    "#]],
    );
    quiet("DL3002", "FROM a:1 AS b\nUSER root\nFROM a:1\nUSER root\nUSER app\n");
    fires(
        "DL3057",
        "FROM a:1\nCMD [\"x\"]\n",
        expect![[r#"
        Info `FROM` DL3057: The final image has no HEALTHCHECK (compose can still define one)
    "#]],
    );
    quiet("DL3057", "FROM a:1 AS base\nHEALTHCHECK CMD true\nFROM base\n");
}

#[test]
fn hadolint_run_rules() {
    fires(
        "DL3003",
        "FROM a:1\nRUN cd /app && make\n",
        expect![[r#"
        Warning `cd` DL3003: Use WORKDIR to change directory instead of `cd`
    "#]],
    );
    quiet("DL3003", "FROM a:1\nWORKDIR /app\nRUN make\n");
    fires(
        "DL3004",
        "FROM a:1\nRUN sudo make install\n",
        expect![[r#"
        Error `sudo` DL3004: Do not use sudo: RUN already runs as the current USER; switch with USER if needed
    "#]],
    );
    quiet("DL3004", "FROM a:1\nRUN make install\n");
    fires(
        "DL3027",
        "FROM a:1\nRUN apt install -y curl\n",
        expect![[r#"
        Warning `apt` DL3027: `apt` is meant for interactive use; use `apt-get` in scripts
    "#]],
    );
    quiet("DL3027", "FROM a:1\nRUN apt-get install -y curl\n");
    fires(
        "DL3047",
        "FROM a:1\nRUN wget https://x/y.tgz\n",
        expect![[r#"
        Info `wget` DL3047: `wget` without `--progress=dot:giga` (or `-q`) floods the build log with a progress bar
    "#]],
    );
    quiet("DL3047", "FROM a:1\nRUN wget -q https://x/y.tgz\n");
    fires(
        "DL4006",
        "FROM a:1\nRUN curl -fsSL https://x | sh\n",
        expect![[r#"
        Warning `|` DL4006: A failing command before `|` does not fail the build; add `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before this RUN
    "#]],
    );
    quiet(
        "DL4006",
        "FROM a:1\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl -fsSL https://x | sh\n",
    );
    quiet(
        "DL4006",
        "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir | findstr x\n",
    );
}

#[test]
fn hadolint_apt_get() {
    let apt = "FROM debian:12\nRUN apt-get update && apt-get install curl\n";
    fires(
        "DL3014",
        apt,
        expect![[r#"
        Warning `apt-get install` DL3014: `apt-get install` without `-y` waits for a confirmation that never comes
    "#]],
    );
    fires(
        "DL3015",
        apt,
        expect![[r#"
        Info `apt-get install` DL3015: Add `--no-install-recommends` to avoid pulling in unneeded packages
    "#]],
    );
    fires(
        "DL3009",
        apt,
        expect![[r#"
        Info `apt-get install` DL3009: Delete `/var/lib/apt/lists/*` in the same RUN after installing, to keep the layer small
    "#]],
    );
    fires(
        "DL3008",
        apt,
        expect![[r#"
        Warning `curl` DL3008: Pin the version of `curl` (`curl=<version>`)
    "#]],
    );
    let good = "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1 \\\n  && rm -rf /var/lib/apt/lists/*\n";
    for code in ["DL3014", "DL3015", "DL3009", "DL3008"] {
        quiet(code, good);
    }
    quiet(
        "DL3009",
        "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y curl\nFROM debian:12\n",
    );
    quiet(
        "DL3009",
        "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y curl\n",
    );
    fixes(
        "DL3014",
        apt,
        expect![[r#"
        Add `-y`
        FROM debian:12
        RUN apt-get update && apt-get install -y curl
    "#]],
    );
    fixes(
        "DL3015",
        apt,
        expect![[r#"
        Add `--no-install-recommends`
        FROM debian:12
        RUN apt-get update && apt-get install --no-install-recommends curl
    "#]],
    );
    fixes(
        "DL3009",
        apt,
        expect![[r#"
        Remove the apt lists in the same RUN
        FROM debian:12
        RUN apt-get update && apt-get install curl && rm -rf /var/lib/apt/lists/*
    "#]],
    );
    fixes(
        "DL3009",
        "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y curl\n",
        expect![[r#"
        Remove the apt lists in the same RUN
        FROM debian:12
        RUN apt-get update \
         && apt-get install -y curl \
            && rm -rf /var/lib/apt/lists/*
    "#]],
    );
}

#[test]
fn hadolint_package_pins() {
    fires(
        "DL3013",
        "FROM a:1\nRUN pip install --no-cache-dir django requests==2.0 -r req.txt .\n",
        expect![[r#"
        Warning `django` DL3013: Pin the version of `django` (`django==<version>`)
    "#]],
    );
    quiet("DL3013", "FROM a:1\nRUN pip install --no-cache-dir 'django>=5' -r requirements.txt\n");
    fires(
        "DL3016",
        "FROM a:1\nRUN npm install -g yarn\n",
        expect![[r#"
        Warning `yarn` DL3016: Pin the version of `yarn` (`yarn@<version>`)
    "#]],
    );
    quiet("DL3016", "FROM a:1\nRUN npm install -g yarn@1.22.0\n");
    fires(
        "DL3018",
        "FROM a:1\nRUN apk add --no-cache curl\n",
        expect![[r#"
        Warning `curl` DL3018: Pin the version of `curl` (`curl=<version>`)
    "#]],
    );
    quiet("DL3018", "FROM a:1\nRUN apk add --no-cache curl=8.5.0-r0\n");
    fires(
        "DL3028",
        "FROM a:1\nRUN gem install bundler\n",
        expect![[r#"
        Warning `bundler` DL3028: Pin the version of `bundler` (`bundler:<version>`)
    "#]],
    );
    quiet("DL3028", "FROM a:1\nRUN gem install bundler:2.5.0\n");
}

#[test]
fn hadolint_pip_cache() {
    fires(
        "DL3042",
        "FROM a:1\nRUN pip install -r requirements.txt && python -m pip install x\n",
        expect![[r#"
        Warning `pip install` DL3042: Add `--no-cache-dir` (or use a cache mount): pip's download cache otherwise ends up in the image
        Warning `pip install` DL3042: Add `--no-cache-dir` (or use a cache mount): pip's download cache otherwise ends up in the image
    "#]],
    );
    quiet("DL3042", "FROM a:1\nENV PIP_NO_CACHE_DIR=1\nRUN pip install -r requirements.txt\n");
    quiet(
        "DL3042",
        "FROM a:1\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\n",
    );
    fixes(
        "DL3042",
        "FROM a:1\nRUN pip install -r requirements.txt\n",
        expect![[r#"
        Add `--no-cache-dir`
        FROM a:1
        RUN pip install --no-cache-dir -r requirements.txt
    "#]],
    );
}

#[test]
fn hadolint_copy_add() {
    fires(
        "DL3020",
        "FROM a:1\nADD requirements.txt /app/\n",
        expect![[r#"
        Error `ADD` DL3020: Use COPY for local files; ADD is for URLs and archives to extract
    "#]],
    );
    quiet("DL3020", "FROM a:1\nADD https://x/y.tgz /tmp/\nADD app.tar.gz /srv/\n");
    fixes(
        "DL3020",
        "FROM a:1\nADD requirements.txt /app/\n",
        expect![[r#"
        Use COPY
        FROM a:1
        COPY requirements.txt /app/
    "#]],
    );
    fires(
        "DL3021",
        "FROM a:1\nCOPY a b /app\n",
        expect![[r#"
        Error `/app` DL3021: With several sources the destination must be a directory ending in `/`
    "#]],
    );
    quiet("DL3021", "FROM a:1\nCOPY a b /app/\n");
    fixes(
        "DL3021",
        "FROM a:1\nCOPY a b /app\n",
        expect![[r#"
        Change to `/app/`
        FROM a:1
        COPY a b /app/
    "#]],
    );
    fires(
        "DL3022",
        "FROM a:1\nCOPY --from=later /x /y\nFROM a:1 AS later\nCOPY --from=assets /x /y\n",
        expect![[r#"
        Warning `later` DL3022: Stage `later` is defined after this COPY; --from must name an earlier stage
        Warning `assets` DL3022: `assets` is not a stage of this Dockerfile, so it is pulled as an image; name a stage defined with `AS assets` or give an image tag
    "#]],
    );
    quiet(
        "DL3022",
        "FROM a:1 AS build\nFROM a:1\nCOPY --from=build /x /y\nCOPY --from=0 /x /y\nCOPY --from=nginx:1 /x /y\n",
    );
    fires(
        "DL3023",
        "FROM a:1 AS app\nCOPY --from=app /x /y\n",
        expect![[r#"
        Error `app` DL3023: COPY --from cannot copy from the stage it is in
    "#]],
    );
    quiet("DL3023", "FROM a:1 AS b\nFROM a:1 AS app\nCOPY --from=b /x /y\n");
    fires(
        "DL3045",
        "FROM a:1\nCOPY . app/\n",
        expect![[r#"
        Warning `app/` DL3045: `app/` is relative to a working directory this Dockerfile never sets; add a WORKDIR or use an absolute path
    "#]],
    );
    quiet("DL3045", "FROM a:1 AS base\nWORKDIR /srv\nFROM base\nCOPY . app/\n");
}

#[test]
fn hadolint_env_and_runs() {
    fires(
        "DL3044",
        "FROM a:1\nENV A=/app B=$A/static\n",
        expect![[r#"
        Error `A` DL3044: `A` is set in this same ENV, so this reference still sees the old (empty) value; split it into two ENV lines
    "#]],
    );
    quiet("DL3044", "FROM a:1\nENV A=/app\nENV B=$A/static\n");
    quiet("DL3044", "FROM a:1\nENV PATH=/venv/bin:$PATH X=1\n");
    fires(
        "DL3059",
        "FROM a:1\nRUN a\nRUN b\n",
        expect![[r#"
        Info `RUN` DL3059: Consecutive RUN instructions each make a layer; consider joining them with `&&`
    "#]],
    );
    quiet("DL3059", "FROM a:1\nRUN a\nWORKDIR /x\nRUN b\n");
    fixes(
        "DL3059",
        "FROM a:1\nRUN apt-get update\nRUN apt-get install -y curl\n",
        expect![[r#"
        Merge into the previous RUN
        FROM a:1
        RUN apt-get update \
            && apt-get install -y curl
    "#]],
    );
}

#[test]
fn hadolint_equivalents_fall_back() {
    // With the BuildKit name disabled, the hadolint code reports it.
    let f = fixture("FROM a:1\nCMD a b\n");
    let doc = f.doc("/Dockerfile");
    let d = super::diagnostics_with(&f.snapshot, doc, &|c| c != "JSONArgsRecommended");
    assert!(d.iter().any(|d| d.code == "DL3025"));
    let d = super::diagnostics(&f.snapshot, doc);
    assert!(
        d.iter().any(|d| d.code == "JSONArgsRecommended") && !d.iter().any(|d| d.code == "DL3025")
    );
}

#[test]
fn berth_instructions_and_flags() {
    fires(
        "unknown-instruction",
        "FORM python:3.12\nCOPPY . /app\nFOO bar\n",
        expect![[r#"
        Error `FORM` unknown-instruction: Unknown instruction `FORM`; did you mean `FROM`?
        Error `COPPY` unknown-instruction: Unknown instruction `COPPY`; did you mean `COPY`?
        Error `FOO` unknown-instruction: Unknown instruction `FOO`
    "#]],
    );
    quiet("unknown-instruction", "FROM a:1\nONBUILD RUN x\nHEALTHCHECK NONE\n");
    fixes(
        "unknown-instruction",
        "FROM a:1\nrnu echo\n",
        expect![[r#"
        Change to `run`
        FROM a:1
        run echo
    "#]],
    );
    fires(
        "unknown-flag",
        "FROM a:1\nCOPY --chmown=app . /app/\nRUN --mnt=type=cache,target=/x true\nCMD --foo\n",
        expect![[r#"
        Error `chmown` unknown-flag: Unknown flag `--chmown` for COPY; did you mean `--chown`?
        Error `mnt` unknown-flag: Unknown flag `--mnt` for RUN; did you mean `--mount`?
        Error `foo` unknown-flag: CMD takes no flags; `--foo` is not one
    "#]],
    );
    quiet(
        "unknown-flag",
        "FROM --platform=$BUILDPLATFORM a:1\nCOPY --chown=app --chmod=755 --link . /app/\n",
    );
    fixes(
        "unknown-flag",
        "FROM a:1\nCOPY --chmown=app . /app/\n",
        expect![[r#"
        Change to `--chown`
        FROM a:1
        COPY --chown=app . /app/
    "#]],
    );
    fires(
        "invalid-flag-value",
        "FROM a:1\nHEALTHCHECK --interval=30 --retries=x CMD true\nRUN --network=bridge --mount=type=volume,target=/x true\nCOPY --chmod=999 --link=yes . /app/\n",
        expect![[r#"
            Error `30` invalid-flag-value: `--interval` expects a duration with a unit such as `30s` or `1m30s`, not `30`
            Error `x` invalid-flag-value: `--retries` expects a whole number, not `x`
            Error `bridge` invalid-flag-value: `--network` expects one of `default`, `none`, `host`, not `bridge`
            Error `type=volume,target=/x` invalid-flag-value: `--mount` unknown mount type `volume`; expected one of `bind`, `cache`, `tmpfs`, `secret`, `ssh`
            Error `999` invalid-flag-value: `--chmod` expects octal permissions such as `755` or `0644`, not `999`
            Error `yes` invalid-flag-value: `--link` expects `true` or `false`, not `yes`
        "#]],
    );
    quiet(
        "invalid-flag-value",
        "FROM a:1\nHEALTHCHECK --interval=1m30s --retries=3 CMD true\nRUN --network=none --mount=type=cache,target=/root/.cache true\nCOPY --chmod=0755 --link . /app/\n",
    );
}

#[test]
fn berth_stages() {
    fires(
        "unknown-stage",
        "FROM a:1 AS assets\nFROM a:1\nCOPY --from=asset /x /y\nCOPY --from=Bad_Ref! /x /y\nRUN --mount=type=bind,from=aset,target=/x true\n",
        expect![[r#"
        Error `asset` unknown-stage: No stage named `asset`; did you mean `assets`?
        Error `Bad_Ref!` unknown-stage: `Bad_Ref!` is neither a stage of this Dockerfile nor a valid image reference
        Error `aset` unknown-stage: No stage named `aset`; did you mean `assets`?
    "#]],
    );
    quiet(
        "unknown-stage",
        "FROM a:1 AS assets\nFROM a:1\nCOPY --from=assets /x /y\nCOPY --from=nginx:1.27 /x /y\nRUN --mount=type=bind,from=assets,target=/x true\n",
    );
    fixes(
        "unknown-stage",
        "FROM a:1 AS assets\nFROM a:1\nCOPY --from=asset /x /y\n",
        expect![[r#"
        Change to `assets`
        FROM a:1 AS assets
        FROM a:1
        COPY --from=assets /x /y
    "#]],
    );
}

#[test]
fn berth_invalid_arguments() {
    fires(
        "invalid-argument",
        "FROM a:1\nEXPOSE http 70000 80/xtp\nHEALTHCHECK curl localhost\nUSER a:b:c\nSTOPSIGNAL SIGTERMINATE\nCOPY onlyone\n",
        expect![[r#"
            Error `http` invalid-argument: `http` is not a port number (1-65535) or range
            Error `70000` invalid-argument: `70000` is not a port number (1-65535) or range
            Error `80/xtp` invalid-argument: Unknown protocol `xtp`; use `tcp`, `udp` or `sctp`
            Error `curl` invalid-argument: HEALTHCHECK expects `CMD` or `NONE`, not `curl`
            Error `a:b:c` invalid-argument: USER takes one `user`, `user:group`, `uid` or `uid:gid`
            Error `SIGTERMINATE` invalid-argument: `SIGTERMINATE` is not a signal name (like `SIGTERM`) or number
            Error `onlyone` invalid-argument: COPY needs at least one source and a destination
        "#]],
    );
    quiet(
        "invalid-argument",
        "FROM a:1\nEXPOSE 80 443/tcp 9000-9100/udp $PORT\nHEALTHCHECK --interval=5s CMD curl -f localhost\nUSER 1000:1000\nSTOPSIGNAL SIGQUIT\nCOPY a /b\n",
    );
}

#[test]
fn sources_stay_in_the_context_and_its_parent_is_never_read() {
    use crate::workspace::{Document, FileKind, Snapshot};
    let outer = std::env::temp_dir().join(format!("berth-ctx-parent-{}", std::process::id()));
    let dir = outer.join("app");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("requirements.txt"), "django\n").unwrap();
    std::fs::write(outer.join("outside.txt"), "").unwrap();
    // `..` stops at the context's root, as BuildKit reads it: `../requirements.txt` is the
    // context's own file, and `../outside.txt` is not in the context.
    let text = "FROM a:1\nCOPY . .\nCOPY ../requirements.txt ./\nCOPY ../outside.txt /x\n";
    let path = crate::diagnostics::path_arc(dir.join("Dockerfile"));
    let doc = Document::new(path, FileKind::Dockerfile, None, text);
    let mut snap = Snapshot::new(vec![dir.clone()]);
    snap.insert(doc.clone());
    let got: Vec<_> = super::diagnostics(&snap, &doc)
        .iter()
        .filter(|d| d.code == "copy-source-missing")
        .map(|d| text[d.range.clone()].to_string())
        .collect();
    let parent_read = crate::fs_cache::is_cached(&outer);
    let _ = std::fs::remove_dir_all(&outer);
    assert_eq!(got, ["../outside.txt"]);
    assert!(!parent_read, "the folder above the context was listed");
}

#[test]
fn build_context_rules() {
    use crate::workspace::{Document, FileKind, Snapshot};
    let dir = std::env::temp_dir().join(format!("berth-ctx-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("requirements.txt"), "django\n").unwrap();
    std::fs::write(dir.join(".env"), "X=1\n").unwrap();
    std::fs::write(dir.join("src/a.py"), "").unwrap();
    std::fs::write(dir.join(".dockerignore"), "# secrets\n.env\n*.log\n").unwrap();
    let text = "FROM a:1 AS b\nCOPY requirements.txt .env src/*.py /app/\nCOPY requirement.txt src/*.rs /app/\nCOPY --from=b /nope /x\n";
    let path = crate::diagnostics::path_arc(dir.join("Dockerfile"));
    let doc = Document::new(path, FileKind::Dockerfile, None, text);
    let mut snap = Snapshot::new(vec![dir.clone()]);
    snap.insert(doc.clone());
    let diags = super::diagnostics(&snap, &doc);
    let got: Vec<_> = diags
        .iter()
        .filter(|d| d.code == "CopyIgnoredFile" || d.code == "copy-source-missing")
        .map(|d| format!("{} {}", d.code, &text[d.range.clone()]))
        .collect();
    let links: Vec<_> = crate::dockerfile::links(&snap, &doc)
        .into_iter()
        .map(|l| text[l.range].to_string())
        .collect();
    // The disk is cached between passes, yet files created since, and a changed
    // .dockerignore, are seen by the next pass.
    std::fs::write(dir.join("requirement.txt"), "").unwrap();
    std::fs::write(dir.join("src/b.rs"), "").unwrap();
    std::fs::write(dir.join(".dockerignore"), "*.log\n").unwrap();
    let after: Vec<_> = super::diagnostics(&snap, &doc)
        .iter()
        .filter(|d| d.code == "CopyIgnoredFile" || d.code == "copy-source-missing")
        .map(|d| format!("{} {}", d.code, &text[d.range.clone()]))
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        got,
        [
            "CopyIgnoredFile .env",
            "copy-source-missing requirement.txt",
            "copy-source-missing src/*.rs"
        ]
    );
    assert_eq!(links, ["a", "requirements.txt", ".env"]);
    assert_eq!(after, Vec::<String>::new());
}

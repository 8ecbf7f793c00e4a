//! Hover in Dockerfiles: instruction keywords, flags, mount keys, parser directives,
//! variables, stage references and image references.

use std::fmt::Write;
use std::ops::Range;

use super::complete::{
    Instruction, ScopeInfo, StageInfo, VarKind, directives, instruction_at, line_at,
};
use super::knowledge::{self, ValueKind};
use crate::ide::HoverResult;
use crate::workspace::Document;

pub fn hover(doc: &Document, offset: usize, scope: &ScopeInfo) -> Option<HoverResult> {
    let text = &*doc.text;
    if offset > text.len() || !text.is_char_boundary(offset) {
        return None;
    }
    if let Some(h) = hover_directive(text, offset) {
        return Some(h);
    }
    let ins = instruction_at(doc, offset)?;
    let (keyword, words) = inner_instruction(text, &ins, offset);
    let keyword_text = &text[keyword.clone()];
    if keyword.start <= offset && offset <= keyword.end {
        let info = knowledge::instruction(keyword_text)?;
        return Some(HoverResult { range: keyword, markdown: instruction_markdown(info) });
    }
    let index = words.iter().position(|w| w.start <= offset && offset < w.end)?;
    let word = words[index].clone();
    if let Some(h) = hover_variable(doc, word.clone(), offset, scope) {
        return Some(h);
    }
    let info = knowledge::instruction(keyword_text)?;
    let w = &text[word.clone()];
    if w.starts_with("--") {
        return hover_flag(text, info.name, word, offset, scope);
    }
    let positional =
        words[..index].iter().filter(|w| !text[(*w).clone()].starts_with("--")).count();
    match (info.name, positional) {
        ("FROM", 0) => Some(match stage_named(scope, w, offset) {
            Some(stage) => stage_hover(doc, stage, word),
            None => image_hover(w, word),
        }),
        ("STOPSIGNAL", 0) => {
            let s = knowledge::signal(w)
                .or_else(|| knowledge::SIGNALS.iter().find(|s| w.parse() == Ok(s.number)))?;
            Some(HoverResult {
                range: word,
                markdown: format!("**{}** (signal {})\n\n{}", s.name, s.number, s.doc),
            })
        }
        _ => None,
    }
}

/// After `ONBUILD`, the inner instruction is what the cursor is about.
fn inner_instruction(
    text: &str,
    ins: &Instruction,
    offset: usize,
) -> (Range<usize>, Vec<Range<usize>>) {
    let on_outer = ins.keyword.start <= offset && offset <= ins.keyword.end;
    if !on_outer
        && text[ins.keyword.clone()].eq_ignore_ascii_case("ONBUILD")
        && !ins.words.is_empty()
    {
        return (ins.words[0].clone(), ins.words[1..].to_vec());
    }
    (ins.keyword.clone(), ins.words.clone())
}

fn instruction_markdown(info: &knowledge::InstructionDoc) -> String {
    let mut md = format!("**{}**", info.name);
    if info.deprecated {
        md.push_str(" (deprecated)");
    }
    let _ = write!(md, "\n\n{}\n\n```dockerfile\n{}\n```", info.summary, info.syntax.join("\n"));
    if !info.flags.is_empty() {
        let flags: Vec<String> = info.flags.iter().map(|f| format!("`--{}`", f.name)).collect();
        let _ = write!(md, "\n\nFlags: {}", flags.join(", "));
    }
    let _ = write!(md, "\n\nExample:\n\n```dockerfile\n{}\n```", info.example);
    md
}

fn hover_directive(text: &str, offset: usize) -> Option<HoverResult> {
    let d =
        directives(text).into_iter().find(|d| d.line.contains(&offset) || d.line.end == offset)?;
    let info = knowledge::directive(&text[d.name.clone()])?;
    Some(HoverResult {
        range: d.name.start..d.value.end,
        markdown: format!(
            "**{}** (parser directive)\n\n{}\n\n```dockerfile\n{}\n```",
            info.name, info.doc, info.example
        ),
    })
}

/// `$NAME` or `${NAME…}` under the cursor inside `word`.
fn variable_at(
    text: &str,
    word: Range<usize>,
    offset: usize,
) -> Option<(Range<usize>, Range<usize>)> {
    let s = &text[word.clone()];
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' {
            i += 1;
            continue;
        }
        let braced = bytes.get(i + 1) == Some(&b'{');
        let name_start = i + 1 + usize::from(braced);
        let name_len = bytes[name_start.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
            .count();
        let mut end = name_start + name_len;
        if braced {
            end = s[end..].find('}').map_or(s.len(), |j| end + j + 1);
        }
        let span = word.start + i..word.start + end;
        if name_len > 0 && span.start <= offset && offset < span.end {
            return Some((span, word.start + name_start..word.start + name_start + name_len));
        }
        i = end.max(i + 1);
    }
    None
}

fn hover_variable(
    doc: &Document,
    word: Range<usize>,
    offset: usize,
    scope: &ScopeInfo,
) -> Option<HoverResult> {
    let text = &*doc.text;
    let (span, name_range) = variable_at(text, word, offset)?;
    let name = &text[name_range];
    let markdown = if let Some(v) = scope.vars.iter().rev().find(|v| v.name == name) {
        let kind = match v.kind {
            VarKind::Arg => "ARG",
            VarKind::Env => "ENV",
        };
        let value = match &v.value {
            Some(val) => format!("`{name}={val}`"),
            None => format!("`{name}` (no default: set with `--build-arg`)"),
        };
        format!(
            "**{name}** ({kind})\n\n{value}\n\nDeclared on line {}.",
            doc.line_of(v.decl_range.start) + 1
        )
    } else if let Some(a) = knowledge::predefined_arg(name) {
        let mut md = format!("**{}** (predefined build argument)\n\n{}", a.name, a.doc);
        if !a.example.is_empty() {
            let _ = write!(md, "\n\nExample value: `{}`", a.example);
        }
        if a.automatic {
            md.push_str("\n\nInside a stage, declare it with `ARG ");
            md.push_str(a.name);
            md.push_str("` to use it.");
        }
        md
    } else {
        format!("**{name}**\n\nNot declared by an `ARG` or `ENV` before this line.")
    };
    Some(HoverResult { range: span, markdown })
}

fn hover_flag(
    text: &str,
    instruction: &str,
    word: Range<usize>,
    offset: usize,
    scope: &ScopeInfo,
) -> Option<HoverResult> {
    let w = &text[word.clone()];
    let name_end = w.find('=').unwrap_or(w.len());
    let flag = knowledge::flag(instruction, &w[2..name_end])?;
    let value_start = word.start + name_end + 1;
    if offset >= value_start {
        match flag.value {
            ValueKind::Mount => return hover_mount(text, value_start..word.end, offset, scope),
            ValueKind::StageOrImage => {
                let stage = stage_named(scope, &text[value_start..word.end], offset)?;
                return Some(stage_hover_text(text, stage, value_start..word.end));
            }
            _ => {}
        }
    }
    let mut md = format!(
        "**--{}** ({}, {})\n\n{}\n\n```dockerfile\n{}\n```",
        flag.name,
        instruction,
        flag.value.describe(),
        flag.doc,
        flag.example
    );
    if let Some(note) = flag.note {
        let _ = write!(md, "\n\n{note}");
    }
    Some(HoverResult { range: word.start..word.start + name_end, markdown: md })
}

fn hover_mount(
    text: &str,
    value: Range<usize>,
    offset: usize,
    scope: &ScopeInfo,
) -> Option<HoverResult> {
    let v = &text[value.clone()];
    let ty = v.split(',').find_map(|kv| kv.strip_prefix("type=")).unwrap_or("bind");
    let mut start = value.start;
    for part in v.split(',') {
        let range = start..start + part.len();
        start = range.end + 1;
        if !(range.start <= offset && offset < range.end) {
            continue;
        }
        let (key, val) = part.split_once('=').unwrap_or((part, ""));
        let key_range = range.start..range.start + key.len();
        let val_range = key_range.end + 1..range.end;
        let on_value = offset >= val_range.start && !val.is_empty();
        if on_value && key == "type" {
            let t = knowledge::mount_type(val)?;
            return Some(HoverResult {
                range: val_range,
                markdown: format!(
                    "**type={}** (mount)\n\n{}\n\n```dockerfile\n{}\n```",
                    t.name, t.doc, t.example
                ),
            });
        }
        if on_value && key == "from" {
            let stage = stage_named(scope, val, offset)?;
            return Some(stage_hover_text(text, stage, val_range));
        }
        let k = knowledge::mount_key(ty, key)?;
        let mut md =
            format!("**{}** (`type={ty}` mount key, {})\n\n{}", k.name, k.value.describe(), k.doc);
        if !k.aliases.is_empty() {
            let _ = write!(md, "\n\nAlso spelled: {}", k.aliases.join(", "));
        }
        return Some(HoverResult { range: key_range, markdown: md });
    }
    None
}

/// A stage defined before `offset`, by name (case-insensitive, as BuildKit) or index.
fn stage_named<'a>(scope: &'a ScopeInfo, name: &str, offset: usize) -> Option<&'a StageInfo> {
    scope.stages.iter().filter(|s| s.from_line_range.end <= offset).find(|s| {
        s.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(name))
            || s.index.to_string() == name
    })
}

fn stage_hover(doc: &Document, stage: &StageInfo, range: Range<usize>) -> HoverResult {
    stage_hover_text(&doc.text, stage, range)
}

fn stage_hover_text(text: &str, stage: &StageInfo, range: Range<usize>) -> HoverResult {
    let line = text.get(stage.from_line_range.clone()).unwrap_or("").trim();
    let line =
        if line.is_empty() { &text[line_at(text, stage.from_line_range.start)] } else { line };
    let title = stage
        .name
        .as_deref()
        .map_or(format!("stage {}", stage.index), |n| format!("stage `{n}` (#{})", stage.index));
    HoverResult {
        range,
        markdown: format!(
            "**Build {title}**\n\n```dockerfile\n{line}\n```\n\nBase image: `{}`",
            stage.base_image
        ),
    }
}

/// The parts of an image reference.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ImageRef<'a> {
    pub registry: Option<&'a str>,
    /// Repository path without the registry.
    pub name: &'a str,
    pub tag: Option<&'a str>,
    pub digest: Option<&'a str>,
}

pub(crate) fn parse_image(reference: &str) -> ImageRef<'_> {
    let (rest, digest) = match reference.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (reference, None),
    };
    let (rest, tag) = match rest.rfind(':') {
        Some(i) if !rest[i..].contains('/') => (&rest[..i], Some(&rest[i + 1..])),
        _ => (rest, None),
    };
    // Like Docker: the first component is a registry when it looks like a host.
    let (registry, name) = match rest.split_once('/') {
        Some((host, path)) if host.contains(['.', ':']) || host == "localhost" => {
            (Some(host), path)
        }
        _ => (None, rest),
    };
    ImageRef { registry, name, tag, digest }
}

fn image_hover(reference: &str, range: Range<usize>) -> HoverResult {
    let image = parse_image(reference);
    let docker_hub = image.registry.is_none_or(|r| r == "docker.io" || r == "index.docker.io");
    let official = docker_hub && (!image.name.contains('/') || image.name.starts_with("library/"));
    let mut md = format!("**{}**", image.name);
    if image.name == "scratch" {
        md.push_str("\n\nAn empty base: the image starts with no files at all.");
        return HoverResult { range, markdown: md };
    }
    if official {
        md.push_str(" (Docker Official Image)");
        if let Some(info) = knowledge::official_image(image.name) {
            let _ = write!(md, "\n\n{}", info.summary);
        }
    }
    md.push_str("\n\n");
    let registry = image.registry.unwrap_or("docker.io (Docker Hub)");
    let _ = writeln!(md, "- Registry: {registry}");
    match image.tag {
        Some(t) => {
            let _ = writeln!(md, "- Tag: `{t}`");
        }
        None if image.digest.is_none() => md.push_str("- Tag: none, so `latest` is used\n"),
        None => {}
    }
    if let Some(d) = image.digest {
        let _ = writeln!(md, "- Digest: `{d}` (pinned: the tag is ignored when pulling)");
    }
    if official {
        let _ = write!(
            md,
            "\n[Docker Hub](https://hub.docker.com/_/{})",
            image.name.trim_start_matches("library/")
        );
    } else if docker_hub {
        let _ = write!(md, "\n[Docker Hub](https://hub.docker.com/r/{})", image.name);
    }
    HoverResult { range, markdown: md.trim_end().to_string() }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::dockerfile::complete::VarInfo;
    use crate::testing::fixture;

    fn check(fx: &str, expect: Expect) {
        let f = fixture(fx);
        let (doc, offset) = f.at_cursor();
        let text = &doc.text;
        let stages: Vec<StageInfo> = text
            .match_indices("FROM ")
            .enumerate()
            .map(|(index, (at, _))| {
                let line = line_at(text, at);
                let l = &text[line.clone()];
                let name =
                    l.to_ascii_lowercase().find(" as ").map(|i| l[i + 4..].trim().to_string());
                let base = l.split_whitespace().find(|w| !w.starts_with("--") && *w != "FROM");
                StageInfo {
                    name,
                    index,
                    from_line_range: line,
                    base_image: base.unwrap_or("").into(),
                }
            })
            .collect();
        let vars = [VarInfo {
            name: "PYTHON_VERSION".into(),
            value: Some("3.12".into()),
            kind: VarKind::Arg,
            decl_range: text.find("PYTHON_VERSION").unwrap_or(0)..0,
        }];
        let scope = ScopeInfo { stages: &stages, vars: &vars, images_in_workspace: &[] };
        let actual = match hover(doc, offset, &scope) {
            Some(h) => format!("[{}]\n{}\n", &text[h.range], h.markdown),
            None => "(none)\n".to_string(),
        };
        expect.assert_eq(&actual);
    }

    #[test]
    fn never_panics() {
        let f =
            fixture(&format!("#- /Dockerfile\n{}", crate::dockerfile::complete::tests::AWKWARD));
        let doc = f.doc("Dockerfile");
        for offset in 0..=doc.text.len() + 1 {
            let _ = hover(doc, offset, &ScopeInfo::default());
        }
    }

    #[test]
    fn instruction_keyword() {
        check(
            "FROM alpine\nCO$0PY . /app\n",
            expect![[r#"
            [COPY]
            **COPY**

            Copies files from the build context (or with `--from`, from another stage, image or build context) into the image. Sources may use wildcards; a destination ending in `/` is a directory, relative to `WORKDIR`.

            ```dockerfile
            COPY [--flags] <src>... <dest>
            COPY [--flags] ["<src>", ... "<dest>"]
            ```

            Flags: `--from`, `--chown`, `--chmod`, `--link`, `--parents`, `--exclude`

            Example:

            ```dockerfile
            COPY --chown=app:app . /app
            ```
        "#]],
        );
        check(
            "FROM alpine\nONBUILD RU$0N make\n",
            expect![[r#"
            [RUN]
            **RUN**

            Runs a command while building and commits the result as a new layer. The shell form runs through the shell (`/bin/sh -c` unless `SHELL` changes it); the exec form runs the program directly without variable expansion; a heredoc runs a whole script.

            ```dockerfile
            RUN [--mount=<mount>] [--network=<mode>] [--security=<mode>] <command>
            RUN [--flags] ["<executable>", "<param>", ...]
            RUN [--flags] <<EOF … EOF
            ```

            Flags: `--mount`, `--network`, `--security`

            Example:

            ```dockerfile
            RUN --mount=type=cache,target=/root/.cache/pip \
                pip install -r requirements.txt
            ```
        "#]],
        );
    }

    #[test]
    fn flag_and_mount_key() {
        check(
            "FROM alpine\nRUN --mount=type=cache,tar$0get=/root/.cache pip install x\n",
            expect![[r#"
            [target]
            **target** (`type=cache` mount key, path)

            Where the cache directory appears. Required.

            Also spelled: dst, destination
        "#]],
        );
        check(
            "FROM alpine\nRUN --mount=type=se$0cret,id=t cat /run/secrets/t\n",
            expect![[r#"
            [secret]
            **type=secret** (mount)

            Gives the command a secret (token, password, key) passed to the build with `--secret`, as a file or an environment variable, without storing it in any layer.

            ```dockerfile
            RUN --mount=type=secret,id=pypi_token,env=PIP_INDEX_TOKEN pip install -r requirements.txt
            ```
        "#]],
        );
        check(
            "FROM alpine\nCOPY --ch$0own=app . /app\n",
            expect![[r#"
            [--chown]
            **--chown** (COPY, user[:group])

            Owner of the copied files, as `user`, `user:group`, or numeric ids. Names are looked up in the image's `/etc/passwd` and `/etc/group`; without it files belong to root (uid and gid 0).

            ```dockerfile
            COPY --chown=app:app src/ /app/src/
            ```
        "#]],
        );
    }

    #[test]
    fn directive() {
        check(
            "# syn$0tax=docker/dockerfile:1\nFROM alpine\n",
            expect![[r#"
            [syntax=docker/dockerfile:1]
            **syntax** (parser directive)

            Chooses the Dockerfile frontend (parser) image BuildKit uses for this file, e.g. `docker/dockerfile:1` for the newest stable syntax or a `-labs` channel for experimental features. Must be in the comment block at the very top of the file.

            ```dockerfile
            # syntax=docker/dockerfile:1
            ```
        "#]],
        );
    }

    #[test]
    fn variables() {
        check(
            "ARG PYTHON_VERSION=3.12\nFROM python:$PYTHON_$0VERSION\n",
            expect![[r#"
            [$PYTHON_VERSION]
            **PYTHON_VERSION** (ARG)

            `PYTHON_VERSION=3.12`

            Declared on line 1.
        "#]],
        );
        check(
            "FROM alpine\nARG TARGETARCH\nRUN echo ${TARGET$0ARCH}\n",
            expect![[r#"
            [${TARGETARCH}]
            **TARGETARCH** (predefined build argument)

            The architecture part of `TARGETPLATFORM`.

            Example value: `arm64`

            Inside a stage, declare it with `ARG TARGETARCH` to use it.
        "#]],
        );
        check(
            "FROM alpine\nRUN echo ${NOPE$0:-x}\n",
            expect![[r#"
            [${NOPE:-x}]
            **NOPE**

            Not declared by an `ARG` or `ENV` before this line.
        "#]],
        );
    }

    #[test]
    fn stage_references() {
        check(
            "FROM python:3.12 AS build\nFROM alpine\nCOPY --from=bu$0ild /a /a\n",
            expect![[r#"
            [build]
            **Build stage `build` (#0)**

            ```dockerfile
            FROM python:3.12 AS build
            ```

            Base image: `python:3.12`
        "#]],
        );
        check(
            "FROM python:3.12 AS build\nFROM bu$0ild\n",
            expect![[r#"
            [build]
            **Build stage `build` (#0)**

            ```dockerfile
            FROM python:3.12 AS build
            ```

            Base image: `python:3.12`
        "#]],
        );
        check(
            "FROM python:3.12 AS build\nFROM alpine\nRUN --mount=from=bu$0ild,target=/x ls\n",
            expect![[r#"
            [build]
            **Build stage `build` (#0)**

            ```dockerfile
            FROM python:3.12 AS build
            ```

            Base image: `python:3.12`
        "#]],
        );
    }

    #[test]
    fn images() {
        check(
            "FROM pyt$0hon:3.12-slim@sha256:abc\n",
            expect![[r#"
            [python:3.12-slim@sha256:abc]
            **python** (Docker Official Image)

            The Python interpreter on Debian (default, `-slim`) or Alpine (`-alpine`).

            - Registry: docker.io (Docker Hub)
            - Tag: `3.12-slim`
            - Digest: `sha256:abc` (pinned: the tag is ignored when pulling)

            [Docker Hub](https://hub.docker.com/_/python)
        "#]],
        );
        check(
            "FROM ghcr.io/acme/w$0eb\n",
            expect![[r#"
            [ghcr.io/acme/web]
            **acme/web**

            - Registry: ghcr.io
            - Tag: none, so `latest` is used
        "#]],
        );
        check(
            "FROM localhost:5000/w$0eb:1\n",
            expect![[r#"
            [localhost:5000/web:1]
            **web**

            - Registry: localhost:5000
            - Tag: `1`
        "#]],
        );
    }

    #[test]
    fn nothing_on_plain_arguments() {
        check(
            "FROM alpine\nRUN echo hel$0lo\n",
            expect![[r#"
            (none)
        "#]],
        );
    }
}

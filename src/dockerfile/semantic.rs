//! Semantic tokens for Dockerfiles, from the syntax tree: keywords, flags (parameters), mount
//! keys (properties), variables, strings, comments, parser directives (macros), stage names
//! (namespaces), image names (types) and ports (numbers). Tokens never overlap and never span
//! lines, so the LSP layer can encode them directly.

use std::ops::Range;

use tree_sitter::Node;

use super::complete::directives;
use crate::ide::{SemanticToken, TokenType};
use crate::workspace::Document;

pub fn semantic_tokens(doc: &Document) -> Vec<SemanticToken> {
    let text = &*doc.text;
    let mut out = Vec::new();
    let dirs = directives(text);
    for d in &dirs {
        push(&mut out, text, d.name.clone(), TokenType::Macro);
        push(&mut out, text, d.value.clone(), TokenType::String);
    }
    let Some(tree) = doc.tree() else { return out };
    let stages = stage_names(text, tree.root_node());
    let directive_end = dirs.last().map_or(0, |d| d.line.end);

    // Iterative pre-order walk: tree depth is unbounded for hostile input, the stack is not.
    let mut cursor = tree.root_node().walk();
    'walk: loop {
        let node = cursor.node();
        let descend = visit(node, text, &stages, directive_end, &mut out);
        if descend && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    out.sort_by_key(|t| t.range.start);
    out.dedup_by(|b, a| b.range.start < a.range.end);
    out
}

/// Emit the tokens of `node`; returns whether to look at its children.
fn visit(
    node: Node,
    text: &str,
    stages: &[&str],
    directive_end: usize,
    out: &mut Vec<SemanticToken>,
) -> bool {
    let kind = node.kind();
    let range = node.byte_range();
    if node.is_error() {
        return true;
    }
    if !node.is_named() {
        if kind.len() >= 2 && kind.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') {
            push(out, text, range, TokenType::Keyword);
        }
        return false;
    }
    match kind {
        "comment" => {
            if range.start >= directive_end {
                push(out, text, range, TokenType::Comment);
            }
            false
        }
        "param" | "mount_param" => {
            // The flag's name is an anonymous token: find it in the text.
            let name_end = text[range.clone()].find('=').map_or(range.end, |i| range.start + i);
            push(out, text, range.start..name_end, TokenType::Parameter);
            if &text[range.start..name_end] == "--from" && name_end < range.end {
                let value = name_end + 1..range.end;
                if stages.iter().any(|s| s.eq_ignore_ascii_case(&text[value.clone()])) {
                    push(out, text, value, TokenType::Namespace);
                    return false;
                }
            }
            true
        }
        "mount_param_param" => {
            let t = &text[range.clone()];
            let eq = t.find('=').unwrap_or(t.len());
            push(out, text, range.start..range.start + eq, TokenType::Property);
            let (key, value) = (&t[..eq], t.get(eq + 1..).unwrap_or(""));
            if key == "from" && stages.iter().any(|s| s.eq_ignore_ascii_case(value)) {
                push(out, text, range.start + eq + 1..range.end, TokenType::Namespace);
            }
            false
        }
        "expansion" => {
            push(out, text, range, TokenType::Variable);
            false
        }
        "double_quoted_string" | "single_quoted_string" | "json_string" => {
            if has_child(node, "expansion") {
                return true;
            }
            push(out, text, range, TokenType::String);
            false
        }
        "image_alias" => {
            push(out, text, range, TokenType::Namespace);
            false
        }
        "image_name" => {
            let t = &text[range.clone()];
            let is_stage = stages.iter().any(|s| s.eq_ignore_ascii_case(t));
            if has_child(node, "expansion") {
                return true;
            }
            push(out, text, range, if is_stage { TokenType::Namespace } else { TokenType::Type });
            false
        }
        "expose_port" => {
            push(out, text, range, TokenType::Number);
            false
        }
        "heredoc_marker" | "heredoc_end" => {
            push(out, text, range, TokenType::Macro);
            false
        }
        "heredoc_content" => false,
        "env_pair" | "arg_pair" => {
            if let Some(n) = node.child_by_field_name("name") {
                out.push(SemanticToken {
                    range: n.byte_range(),
                    kind: TokenType::Variable,
                    readonly: false,
                });
            }
            true
        }
        "label_pair" => {
            if let Some(n) = node.child_by_field_name("key") {
                push(out, text, n.byte_range(), TokenType::Property);
            }
            if let Some(v) =
                node.child_by_field_name("value").filter(|v| !has_child(*v, "expansion"))
            {
                push(out, text, v.byte_range(), TokenType::String);
            }
            false
        }
        _ => true,
    }
}

fn has_child(node: Node, kind: &str) -> bool {
    let mut c = node.walk();
    node.children(&mut c).any(|n| n.kind() == kind)
}

/// Stage names declared with `AS` anywhere in the file.
fn stage_names<'t>(text: &'t str, root: Node) -> Vec<&'t str> {
    let mut c = root.walk();
    root.children(&mut c)
        .filter(|n| n.kind() == "from_instruction")
        .filter_map(|n| n.child_by_field_name("as"))
        .map(|a| &text[a.byte_range()])
        .collect()
}

/// Push a token, trimmed of line breaks (comments include theirs) and cut at the first one.
fn push(out: &mut Vec<SemanticToken>, text: &str, range: Range<usize>, kind: TokenType) {
    let t = &text[range.clone()];
    let len = t.find(['\n', '\r']).unwrap_or(t.len());
    if len > 0 {
        out.push(SemanticToken { range: range.start..range.start + len, kind, readonly: false });
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::testing::fixture;

    fn check(fx: &str, expect: Expect) {
        let f = fixture(fx);
        let doc = f.doc("Dockerfile");
        let mut out = String::new();
        for t in semantic_tokens(doc) {
            out.push_str(&format!("{:?} {:?}\n", t.kind, &doc.text[t.range]));
        }
        expect.assert_eq(&out);
    }

    #[test]
    fn never_panics() {
        let f =
            fixture(&format!("#- /Dockerfile\n{}", crate::dockerfile::complete::tests::AWKWARD));
        let doc = f.doc("Dockerfile");
        for t in semantic_tokens(doc) {
            assert!(
                doc.text.is_char_boundary(t.range.start) && doc.text.is_char_boundary(t.range.end)
            );
        }
    }

    #[test]
    fn tokens() {
        check(
            r#"
            # syntax=docker/dockerfile:1
            ARG PY=3.12
            FROM --platform=$BUILDPLATFORM python:${PY}-slim AS build
            # build deps
            RUN --mount=type=cache,target=/root/.cache pip install "x"
            FROM build
            COPY --from=build /a /b
            ENV HOME="/app"
            LABEL org.example="v"
            EXPOSE 8000/tcp
            CMD ["gunicorn", "$X"]
            "#,
            expect![[r##"
                Macro "syntax"
                String "docker/dockerfile:1"
                Keyword "ARG"
                Variable "PY"
                Keyword "FROM"
                Parameter "--platform"
                Variable "$BUILDPLATFORM"
                Type "python"
                Variable "${PY}"
                Keyword "AS"
                Namespace "build"
                Comment "# build deps"
                Keyword "RUN"
                Parameter "--mount"
                Property "type"
                Property "target"
                Keyword "FROM"
                Namespace "build"
                Keyword "COPY"
                Parameter "--from"
                Namespace "build"
                Keyword "ENV"
                Variable "HOME"
                String "\"/app\""
                Keyword "LABEL"
                Property "org.example"
                String "\"v\""
                Keyword "EXPOSE"
                Number "8000/tcp"
                Keyword "CMD"
                String "\"gunicorn\""
                String "\"$X\""
            "##]],
        );
    }
}

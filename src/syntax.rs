//! Syntax errors from tree-sitter trees, in words a person understands. Tree-sitter marks
//! trouble with ERROR and MISSING nodes; their kinds mean nothing to users, so each language
//! gets a describer that looks at the text around them.

use std::ops::Range;

use tree_sitter::Node;

use crate::diagnostics::{Diagnostic, RuleInfo, Severity};
use crate::workspace::{Document, FileKind};

pub const CODE: &str = "syntax-error";
const MAX_ERRORS: usize = 50;

pub const RULES: &[RuleInfo] = &[RuleInfo {
    code: CODE,
    scope: "Dockerfile, compose, Python, dotenv",
    default_severity: Severity::Error,
    enabled_by_default: true,
    fixable: false,
    summary: "The file cannot be parsed here.",
    docs: "The text does not follow the file's syntax, so neither Docker, Compose nor Python \
           would accept it, and berth's other checks cannot see past this point with \
           certainty. The message names what was expected, for example an unterminated \
           heredoc in a Dockerfile, an unclosed `[` in YAML, a missing `)` in Python, or a \
           `.env` line that is not `KEY=value` (an unclosed quote there swallows every \
           following line).\n\n\
           ```dockerfile\nRUN <<EOF\necho never closed\n```\n\nClose the construct \
           (here, a line reading `EOF`).",
}];

pub fn diagnostics(doc: &Document) -> Vec<Diagnostic> {
    let found = match doc.kind {
        FileKind::Dockerfile => dockerfile_errors(doc),
        // A compose model spliced after an edit inside one service knows the file is still
        // clean without a syntax tree of the whole file (see `yaml::splice`).
        FileKind::Compose if crate::compose::model(doc).yaml.is_clean() => Vec::new(),
        kind => doc.tree().map(|tree| tree_errors(kind, tree, &doc.text)).unwrap_or_default(),
    };
    found
        .into_iter()
        .map(|(range, message)| Diagnostic::new(&doc.path, range, Severity::Error, CODE, message))
        .collect()
}

/// A Dockerfile's syntax errors, read instruction by instruction. tree-sitter-containerfile's
/// instruction nodes come out "fragile" (built while its parser had several stack versions),
/// and tree-sitter never reuses fragile nodes, so an incremental re-parse of a 2,000-line file
/// rebuilt every instruction: 0.9 ms a keystroke. Instructions never span each other, so each
/// one (with the comments and blank lines after it) is parsed on its own, and the findings of
/// an instruction whose text did not change are taken from a cache. The boundaries come from
/// berth's line model, which follows continuations, heredocs and the escape directive.
///
/// The findings of each chunk are also kept on the model, per instruction, and carried to the
/// next version's model for the instructions an edit did not reach (see
/// `dockerfile::rules::cache::Carried`): a keystroke then neither copies nor hashes the chunks
/// it did not change.
fn dockerfile_errors(doc: &Document) -> Vec<(Range<usize>, String)> {
    let text: &str = &doc.text;
    let model = crate::dockerfile::model(doc);
    let mut bounds: Vec<usize> = Vec::with_capacity(model.instructions.len() + 1);
    bounds.push(0);
    for inst in model.instructions.iter().skip(1) {
        let start = inst.range.start.min(text.len());
        // Most instructions start their line: no search back then.
        let line_start = if start == 0 || matches!(text.as_bytes()[start - 1], b'\n' | b'\r') {
            start
        } else {
            text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1)
        };
        if line_start > *bounds.last().unwrap_or(&0) {
            bounds.push(line_start);
        }
    }
    bounds.push(text.len());
    let windows = bounds.len() - 1;
    // Chunk k is instruction k's, unless two instructions share a line (then nothing is kept).
    let mut carried = model.syntax_errors.lock();
    let mut local = Vec::new();
    let store = if windows == model.instructions.len() {
        carried.resize(windows, None);
        &mut *carried
    } else {
        carried.clear();
        local.resize(windows, None);
        &mut local
    };
    // The grammar's scanner honours `# escape=`; a chunk past the first is parsed after the
    // same directive, and findings inside that prefix (none, normally) are dropped.
    let prefix = match model.escape {
        '\\' => String::new(),
        c => format!("# escape={c}\n"),
    };
    let chunk_of = |k: usize| -> (usize, std::borrow::Cow<str>) {
        let chunk = &text[bounds[k]..bounds[k + 1]];
        if k == 0 || prefix.is_empty() {
            (0, chunk.into())
        } else {
            (prefix.len(), format!("{prefix}{chunk}").into())
        }
    };
    // The chunks not kept on the model: one look-up pass under the cache's lock; those not
    // seen before are parsed outside it.
    let missing: Vec<usize> = (0..windows).filter(|&k| store[k].is_none()).collect();
    let chunks: Vec<(usize, std::borrow::Cow<str>)> =
        missing.iter().map(|&k| chunk_of(k)).collect();
    let looked_up = chunk_cache::lookup(chunks.iter().map(|(_, c)| &**c));
    let mut fresh = Vec::new();
    for ((&k, (lead, chunk)), found) in missing.iter().zip(&chunks).zip(looked_up) {
        let found = found.unwrap_or_else(|| {
            let found = chunk_cache::parse(chunk);
            fresh.push((Box::<str>::from(&**chunk), found.clone()));
            found
        });
        store[k] = Some(ChunkErrors { lead: *lead, found });
    }
    chunk_cache::insert(fresh);
    let mut out = Vec::new();
    for (k, w) in bounds.windows(2).enumerate() {
        if out.len() >= MAX_ERRORS {
            break;
        }
        let Some(ChunkErrors { lead, found }) = &store[k] else { continue };
        for (range, message) in found.iter().filter(|(r, _)| r.start >= *lead) {
            out.push((range.start - lead + w[0]..range.end - lead + w[0], message.clone()));
        }
    }
    out.truncate(MAX_ERRORS);
    out
}

/// The syntax errors of one chunk of a Dockerfile (ranges in the chunk as parsed, after a
/// `lead` of prefix).
#[derive(Clone, Debug)]
pub struct ChunkErrors {
    lead: usize,
    found: chunk_cache::Found,
}

mod chunk_cache {
    //! Syntax findings per Dockerfile chunk text, shared by all documents and threads.

    use std::collections::HashMap;
    use std::hash::{BuildHasherDefault, Hasher};
    use std::ops::Range;
    use std::sync::{Arc, Mutex, OnceLock};

    use crate::workspace::FileKind;

    pub type Found = Arc<Vec<(Range<usize>, String)>>;

    /// Past this many chunks the cache starts over: memory stays bounded, and a workspace's
    /// Dockerfiles rarely hold more distinct instructions.
    const MAX_ENTRIES: usize = 50_000;

    /// Every keystroke looks up all ~2,000 chunks of a large file: a multiply-rotate hash
    /// (FxHash's) instead of SipHash, whose flooding resistance buys nothing here.
    #[derive(Default)]
    struct ChunkHasher(u64);

    impl Hasher for ChunkHasher {
        fn write(&mut self, bytes: &[u8]) {
            for c in bytes.chunks(8) {
                let mut b = [0u8; 8];
                b[..c.len()].copy_from_slice(c);
                self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(b))
                    .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
            }
        }
        fn finish(&self) -> u64 {
            self.0
        }
    }

    type Map = HashMap<Box<str>, Found, BuildHasherDefault<ChunkHasher>>;

    fn cache() -> &'static Mutex<Map> {
        static CACHE: OnceLock<Mutex<Map>> = OnceLock::new();
        CACHE.get_or_init(Default::default)
    }

    /// The cached findings of each chunk, under one lock.
    pub fn lookup<'c>(chunks: impl Iterator<Item = &'c str>) -> Vec<Option<Found>> {
        let map = crate::util::lock(cache());
        chunks.map(|c| map.get(c).cloned()).collect()
    }

    pub fn parse(chunk: &str) -> Found {
        Arc::new(
            crate::workspace::document::parse(FileKind::Dockerfile, chunk, None)
                .map(|tree| super::tree_errors(FileKind::Dockerfile, &tree, chunk))
                .unwrap_or_default(),
        )
    }

    pub fn insert(fresh: Vec<(Box<str>, Found)>) {
        if fresh.is_empty() {
            return;
        }
        let mut map = crate::util::lock(cache());
        if map.len() + fresh.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.extend(fresh);
    }
}

/// The syntax errors of one parsed text, described, in order.
fn tree_errors(
    kind: FileKind,
    tree: &tree_sitter::Tree,
    text: &str,
) -> Vec<(Range<usize>, String)> {
    let root = tree.root_node();
    let mut out: Vec<(Range<usize>, String)> = Vec::new();
    // Some grammars stop before the end of the text (tree-sitter-yaml does after a bad
    // indentation): whatever follows was not read at all, and the ERROR that ends there only
    // says so; the trouble is in what follows.
    let content_end = text.trim_end().len();
    let stopped = root.end_byte() < content_end;
    if root.has_error() {
        let mut found = Vec::new();
        collect(root, &mut found);
        for &(node, wrapper) in &found {
            if out.len() >= MAX_ERRORS {
                break;
            }
            if stopped && node.is_error() && node.end_byte() == root.end_byte() {
                continue;
            }
            let described = if wrapper {
                unclosed_outside_inner(node, text, &found)
            } else {
                describe(kind, node, text)
            };
            if let Some((range, message)) = described
                && !out.iter().any(|(r, _)| *r == range)
            {
                out.push((range, message));
            }
        }
    }
    if stopped && out.len() < MAX_ERRORS {
        let at = skip_ws(text, root.end_byte());
        let mut tok = token_at(text, at);
        let message = match kind {
            FileKind::Compose if tab_indented_line_near(text, at) => {
                let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                tok.0 = line_start..line_start + 1;
                "YAML does not allow tabs for indentation".to_string()
            }
            FileKind::Compose => {
                format!("invalid YAML: unexpected `{}` (check the indentation)", tok.1)
            }
            _ => format!("unexpected `{}`", tok.1),
        };
        if !out.iter().any(|(r, _)| r.start <= at && at < r.end) {
            out.push((tok.0, message));
        }
    }
    out.sort_by_key(|(r, _)| r.start);
    out
}

/// Innermost ERROR nodes and every MISSING node, in order, plus ERROR nodes that wrap other
/// errors (flagged `true`): those are only searched for unclosed brackets.
fn collect<'t>(node: Node<'t>, out: &mut Vec<(Node<'t>, bool)>) {
    // Iterative walk: deeply nested input must not overflow the stack.
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if n.is_missing() {
            out.push((n, false));
            continue;
        }
        if !n.has_error() {
            continue;
        }
        let mut cursor = n.walk();
        // Only children that can yield something are kept (the root of a big file with one
        // error has thousands of clean ones): a clean, non-MISSING child would be skipped anyway.
        let mut children: Vec<Node> = Vec::new();
        let mut child_has_error = false;
        for c in n.children(&mut cursor) {
            let has_error = c.has_error();
            child_has_error |= has_error || c.is_error();
            if has_error || c.is_missing() {
                children.push(c);
            }
        }
        if n.is_error() {
            out.push((n, child_has_error));
            if !child_has_error {
                continue;
            }
        }
        stack.extend(children.into_iter().rev());
    }
    out.sort_by_key(|(n, _)| n.start_byte());
}

fn describe(kind: FileKind, node: Node, text: &str) -> Option<(Range<usize>, String)> {
    if node.is_missing() {
        return Some(describe_missing(kind, node, text));
    }
    match kind {
        FileKind::Dockerfile => describe_dockerfile(node, text),
        FileKind::Compose => Some(describe_yaml(node, text)),
        FileKind::Python => Some(describe_python(node, text)),
        FileKind::Dotenv => None,
    }
}

fn describe_missing(kind: FileKind, node: Node, text: &str) -> (Range<usize>, String) {
    let what = node.kind();
    let human = if what.chars().all(|c| !c.is_alphanumeric()) || what.len() <= 2 {
        format!("`{what}`")
    } else {
        match (kind, what) {
            (_, "identifier") => "a name".to_string(),
            (_, "string" | "string_end" | "\"") => "a closing quote".to_string(),
            (_, "block") => "an indented block".to_string(),
            (_, "expression" | "primary_expression") => "an expression".to_string(),
            (_, w) => w.replace('_', " "),
        }
    };
    // A zero-width node: mark the character before it so the editor shows something.
    let at = node.start_byte();
    let start = prev_char_start(text, at);
    (start..at.max(start), format!("expected {human}"))
}

fn describe_dockerfile(node: Node, text: &str) -> Option<(Range<usize>, String)> {
    let range = node.byte_range();
    let body = &text[range.clone()];
    let start = skip_ws(text, range.start);
    let (word_range, word) = token_at(text, start);

    // Text after an unterminated heredoc lands in an ERROR right after the instruction that
    // opened it.
    if let Some(prev) = node.prev_sibling()
        && let Some(marker) = unterminated_heredoc(prev, text)
    {
        let delim = heredoc_delimiter(&text[marker.clone()]);
        return Some((marker, format!("unterminated heredoc: no line reads `{delim}`")));
    }
    if let Some((flag, name)) = empty_flag_value(body, range.start) {
        return Some((flag, format!("expected a value after `--{name}=`")));
    }
    if let Some(open) = unclosed_bracket(body, range.start) {
        let c = &text[open.clone()];
        let close = closing(c);
        return Some((open, format!("unclosed `{c}`: expected `{close}`")));
    }
    let upper = word.to_ascii_uppercase();
    let line_start = text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let at_line_start = text[line_start..start].trim().is_empty();
    if at_line_start && word.chars().all(|c| c.is_ascii_alphabetic()) && !word.is_empty() {
        // Unknown instructions are reported by the Dockerfile rules with the closest name.
        crate::dockerfile::knowledge::instruction(&upper)?;
        let usage = instruction_usage(&upper);
        let end = line_end(text, start).min(range.end).max(word_range.end);
        return Some((start..end, format!("malformed `{upper}` instruction: expected {usage}")));
    }
    Some((word_range, format!("unexpected `{word}`")))
}

fn describe_yaml(node: Node, text: &str) -> (Range<usize>, String) {
    let range = node.byte_range();
    let body = &text[range.clone()];
    let start = skip_ws(text, range.start);
    if tab_indented_line_near(text, start) || body.contains("\n\t") {
        let tab = body.find("\n\t").map_or(start, |i| range.start + i + 1);
        return (tab..tab + 1, "YAML does not allow tabs for indentation".to_string());
    }
    let first = text[start..].chars().next().unwrap_or(' ');
    if first == '"' || first == '\'' {
        let end = line_end(text, start);
        return (start..end, "unterminated quoted string".to_string());
    }
    if let Some(open) = unclosed_bracket(body, range.start) {
        let c = &text[open.clone()];
        return (open.clone(), format!("unclosed `{c}`: expected `{}`", closing(c)));
    }
    let (tok_range, tok) = token_at(text, start);
    (tok_range, format!("invalid YAML: unexpected `{tok}`"))
}

fn describe_python(node: Node, text: &str) -> (Range<usize>, String) {
    let range = node.byte_range();
    let body = &text[range.clone()];
    if let Some(open) = unclosed_bracket(body, range.start) {
        let c = &text[open.clone()];
        return (open.clone(), format!("unclosed `{c}`: expected `{}`", closing(c)));
    }
    let start = skip_ws(text, range.start);
    let (tok_range, tok) = token_at(text, start);
    (tok_range, format!("Python syntax error: unexpected `{tok}`"))
}

/// An unclosed bracket in a wrapping ERROR node that no inner error already covers.
fn unclosed_outside_inner(
    node: Node,
    text: &str,
    found: &[(Node, bool)],
) -> Option<(Range<usize>, String)> {
    let range = node.byte_range();
    let open = unclosed_bracket(&text[range.clone()], range.start)?;
    let covered = found.iter().any(|(n, wrapper)| {
        !wrapper && n.id() != node.id() && n.byte_range().contains(&open.start)
    });
    if covered {
        return None;
    }
    let c = &text[open.clone()];
    Some((open.clone(), format!("unclosed `{c}`: expected `{}`", closing(c))))
}

fn closing(open: &str) -> &'static str {
    match open {
        "[" => "]",
        "{" => "}",
        _ => ")",
    }
}

/// The first opening bracket left unclosed in `body` (ignoring brackets inside quotes).
fn unclosed_bracket(body: &str, base: usize) -> Option<Range<usize>> {
    let mut stack: Vec<(usize, char)> = Vec::new();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q || c == '\n' {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '#' => {
                // Comments run to the end of the line in all three languages.
                quote = Some('\n');
            }
            '(' | '[' | '{' => stack.push((i, c)),
            ')' | ']' | '}' => {
                stack.pop();
            }
            _ => {}
        }
    }
    stack.first().map(|&(i, _)| base + i..base + i + 1)
}

fn empty_flag_value(body: &str, base: usize) -> Option<(Range<usize>, String)> {
    let mut search = 0;
    while let Some(i) = body[search..].find("--") {
        let at = search + i;
        let rest = &body[at + 2..];
        let name_len =
            rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(rest.len());
        let after = &rest[name_len..];
        if name_len > 0 && after.starts_with('=') {
            let value = after[1..].chars().next();
            if value.is_none_or(|c| c.is_whitespace()) {
                let end = at + 2 + name_len + 1;
                return Some((base + at..base + end, rest[..name_len].to_string()));
            }
        }
        search = at + 2;
    }
    None
}

/// The heredoc marker of an instruction node whose heredoc body never ended.
fn unterminated_heredoc(instr: Node, text: &str) -> Option<Range<usize>> {
    let mut stack = vec![instr];
    let mut marker = None;
    let mut has_end = false;
    while let Some(n) = stack.pop() {
        match n.kind() {
            "heredoc_marker" => marker = Some(n.byte_range()),
            "heredoc_end" => has_end = true,
            _ => {}
        }
        let mut c = n.walk();
        stack.extend(n.children(&mut c));
    }
    let _ = text;
    if has_end { None } else { marker }
}

fn heredoc_delimiter(marker: &str) -> String {
    marker.trim_start_matches('<').trim_start_matches('-').trim_matches(['"', '\'']).to_string()
}

fn instruction_usage(upper: &str) -> &'static str {
    match upper {
        "FROM" => "`FROM [--platform=<platform>] <image>[:<tag>] [AS <name>]`",
        "COPY" | "ADD" => "one or more sources and a destination, e.g. `COPY src/ /app/`",
        "ENV" => "`ENV <key>=<value> …`",
        "ARG" => "`ARG <name>[=<default>]`",
        "LABEL" => "`LABEL <key>=<value> …`",
        "EXPOSE" => "`EXPOSE <port>[/<protocol>] …`",
        "USER" => "`USER <user>[:<group>]`",
        "WORKDIR" => "an absolute path, e.g. `WORKDIR /app`",
        "HEALTHCHECK" => "`HEALTHCHECK [options] CMD <command>` or `HEALTHCHECK NONE`",
        "SHELL" => "a JSON array, e.g. `SHELL [\"/bin/bash\", \"-c\"]`",
        "ONBUILD" => "another instruction, e.g. `ONBUILD COPY . /app`",
        "STOPSIGNAL" => "a signal, e.g. `STOPSIGNAL SIGTERM`",
        "VOLUME" => "a path or a JSON array of paths",
        _ => "a command",
    }
}

fn skip_ws(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    at + text[at..].len() - text[at..].trim_start().len()
}

fn line_end(text: &str, at: usize) -> usize {
    text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i)
}

fn prev_char_start(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].char_indices().next_back().map_or(0, |(i, _)| i)
}

/// The token starting at `at`: a word, or a single other character.
fn token_at(text: &str, at: usize) -> (Range<usize>, String) {
    let rest = &text[at.min(text.len())..];
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '-' || c == '.';
    let len = match rest.chars().next() {
        None => 0,
        Some(c) if is_word(c) => rest.find(|c: char| !is_word(c)).unwrap_or(rest.len()),
        Some(c) => c.len_utf8(),
    };
    let tok: String = rest[..len].chars().take(40).collect();
    (at..at + len, tok)
}

fn tab_indented_line_near(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..].starts_with('\t')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::fixture;
    use expect_test::{Expect, expect};

    /// The instruction-by-instruction pass agrees with a parse of the whole file: realistic
    /// files (Windows and heredocs included) stay clean, and a file with one usual mistake gets
    /// findings exactly when the whole-file parse has some, on the mistaken lines. (Which words
    /// describe a mistake may differ: the whole-file parse's recovery depends on what came
    /// before, and a lone instruction reads as its fixture test expects.)
    #[test]
    fn dockerfile_chunks_agree_with_the_whole_file() {
        let parse = |text: &str| {
            let doc = Document::new(
                crate::diagnostics::path_arc("/w/Dockerfile"),
                FileKind::Dockerfile,
                None,
                text,
            );
            let whole = tree_errors(FileKind::Dockerfile, doc.tree().unwrap(), text);
            (dockerfile_errors(&doc), whole)
        };
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/dockerfiles");
        for e in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
            let (chunked, whole) = parse(&text);
            assert_eq!(chunked, whole, "{text}");
            assert!(chunked.is_empty(), "{text}");
        }
        let base = "# syntax=docker/dockerfile:1\nFROM python:3.12 AS build\nARG V=1\n\
                    RUN pip install \\\n    x y\n# a comment\n\nCOPY . /app\nCMD [\"a\"]\n";
        let mid = base.find("COPY").unwrap();
        let mut flagged = 0;
        for bad in [
            "COPY --from= a b\n",
            "RUN <<EOF\necho never closed\n",
            "CMD [\"a\", \"b\"\n",
            "EXPOSE 80/\n",
            "HEALTHCHECK --interval=\n",
        ] {
            for at in [0, mid, base.len()] {
                let text = format!("{}{bad}{}", &base[..at], &base[at..]);
                let (chunked, whole) = parse(&text);
                assert_eq!(chunked.is_empty(), whole.is_empty(), "{text}");
                flagged += usize::from(!chunked.is_empty());
                for (r, m) in &chunked {
                    assert!(at <= r.start && r.end <= at + bad.len(), "{m} at {r:?} in {text}");
                }
            }
        }
        assert!(flagged >= 10, "most mistakes are syntax errors ({flagged} of 15)");
    }

    fn check(fx: &str, expect: Expect) {
        let f = fixture(fx);
        let mut out = String::new();
        for path in &f.files {
            let doc = f.snapshot.get(path).unwrap();
            for d in diagnostics(doc) {
                let snippet = &doc.text[d.range.clone()];
                out.push_str(&format!(
                    "{}..{} {:?}: {}\n",
                    d.range.start, d.range.end, snippet, d.message
                ));
            }
        }
        expect.assert_eq(&out);
    }

    #[test]
    fn clean_files_have_no_syntax_errors() {
        check(
            r#"
            #- /Dockerfile
            FROM python:3.12-slim AS base
            RUN <<EOF
            pip install x
            EOF
            COPY --from=base /a /b
            #- /compose.yaml
            services:
              web: {image: "x", ports: ["80:80"]}
            #- /app/settings.py
            import os
            X = os.environ["A"]
            "#,
            expect![[""]],
        );
    }

    #[test]
    fn dockerfile_errors_read_like_docker() {
        check(
            "#- /Dockerfile\nFROM python:3.12\nCOPY --from= a b\nRUN <<EOF\necho hi\n",
            expect![[r#"
                22..29 "--from=": expected a value after `--from=`
                38..43 "<<EOF": unterminated heredoc: no line reads `EOF`
            "#]],
        );
    }

    #[test]
    fn unknown_instructions_are_left_to_the_rules() {
        check("#- /Dockerfile\nFROM x\nFORM y\n", expect![[""]]);
    }

    #[test]
    fn yaml_errors() {
        check(
            "#- /compose.yaml\nservices:\n  web:\n    image: \"abc\n    ports: [1, 2\n",
            expect![[r#"
                28..32 "\"abc": unterminated quoted string
                44..45 "[": unclosed `[`: expected `]`
            "#]],
        );
        check(
            "#- /compose.yaml\nservices:\n  web:\n\timage: x\n",
            expect![[r#"
                17..18 "\t": YAML does not allow tabs for indentation
            "#]],
        );
    }

    #[test]
    fn python_errors() {
        check(
            "#- /settings.py\nimport os\nX = os.environ[\"A\"\nY = 1\n",
            expect![[r#"
                24..25 "[": unclosed `[`: expected `]`
            "#]],
        );
    }
}

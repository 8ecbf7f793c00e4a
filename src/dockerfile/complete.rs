//! Completion in Dockerfiles, plus the cursor context (which instruction, which word) that
//! hover and signature help share.
//!
//! The context is read from the text, not the tree: while the user types, lines are
//! incomplete and the tree is full of ERROR nodes, but the words before the cursor are
//! always there. The tree is only asked whether the cursor sits in a heredoc body.

use std::ops::Range;

use tree_sitter::Node;

use super::knowledge::{self, MountKeyDoc, ValueKind};
use crate::ide::{CompletionItem, CompletionKind};
use crate::workspace::Document;

/// What the caller (the Dockerfile model) knows about the file; passed in so completion does
/// not depend on how the model is built.
#[derive(Clone, Copy, Default)]
pub struct ScopeInfo<'a> {
    /// Every stage of the file, in order.
    pub stages: &'a [StageInfo],
    /// Variables visible at the cursor (ARGs and ENVs of the current stage, global ARGs).
    pub vars: &'a [VarInfo],
    /// Images that other files of the workspace use or build (compose `image:`), offered first.
    pub images_in_workspace: &'a [String],
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageInfo {
    pub name: Option<String>,
    pub index: usize,
    /// The whole `FROM` line.
    pub from_line_range: Range<usize>,
    /// The image reference as written (`python:3.12-slim`, `base`).
    pub base_image: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VarKind {
    Arg,
    Env,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarInfo {
    pub name: String,
    pub value: Option<String>,
    pub kind: VarKind,
    /// The `NAME[=value]` declaration.
    pub decl_range: Range<usize>,
}

// ---------------------------------------------------------------------------------------------
// Cursor context, shared with hover and signature help.

/// The line (without its line break) that contains `offset`.
pub(crate) fn line_at(text: &str, offset: usize) -> Range<usize> {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let end = text[offset..].find(['\n', '\r']).map_or(text.len(), |i| offset + i);
    start..end
}

/// The line before the one starting at `line_start`.
fn prev_line(text: &str, line_start: usize) -> Option<Range<usize>> {
    if line_start == 0 {
        return None;
    }
    let mut end = line_start - 1;
    if text.as_bytes()[end] == b'\n' && end > 0 && text.as_bytes()[end - 1] == b'\r' {
        end -= 1;
    }
    Some(line_at(text, end).start..end)
}

/// The line after the one ending at `line_end`.
fn next_line(text: &str, line_end: usize) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let mut start = line_end;
    match bytes.get(start) {
        None => return None,
        Some(b'\r') if bytes.get(start + 1) == Some(&b'\n') => start += 2,
        Some(_) => start += 1,
    }
    Some(line_at(text, start))
}

pub(crate) fn is_comment_or_blank(line: &str) -> bool {
    let t = line.trim_start();
    t.is_empty() || t.starts_with('#')
}

/// Does this (non-comment) line end with the escape character, continuing the instruction?
pub(crate) fn continues(line: &str, escape: char) -> bool {
    !is_comment_or_blank(line) && line.trim_end().ends_with(escape)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Directive {
    pub name: Range<usize>,
    pub value: Range<usize>,
    pub line: Range<usize>,
}

/// The parser directives (`# key=value`) of the comment block at the top of the file. The
/// block ends at the first line that is not a directive.
pub(crate) fn directives(text: &str) -> Vec<Directive> {
    let mut out = Vec::new();
    let mut line = Some(line_at(text, 0));
    while let Some(d) = line.and_then(|l| parse_directive(text, l)) {
        line = next_line(text, d.line.end);
        out.push(d);
    }
    out
}

fn parse_directive(text: &str, line: Range<usize>) -> Option<Directive> {
    let s = &text[line.clone()];
    let hash = s.find('#')?;
    if !s[..hash].trim().is_empty() {
        return None;
    }
    let body = &s[hash + 1..];
    let eq = body.find('=')?;
    let name = body[..eq].trim();
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return None;
    }
    let name_start = line.start + hash + 1 + body[..eq].find(name)?;
    let value = body[eq + 1..].trim();
    let value_start = line.start + hash + 1 + eq + 1 + body[eq + 1..].find(value).unwrap_or(0);
    Some(Directive {
        name: name_start..name_start + name.len(),
        value: value_start..value_start + value.len(),
        line,
    })
}

/// The escape character set by `# escape=`, `\` by default.
pub(crate) fn escape_char(text: &str) -> char {
    directives(text)
        .iter()
        .find(|d| text[d.name.clone()].eq_ignore_ascii_case("escape"))
        .and_then(|d| text[d.value.clone()].chars().next())
        .filter(|c| *c == '`' || *c == '\\')
        .unwrap_or('\\')
}

/// One instruction as words: what completion, hover and signature help look at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Instruction {
    pub keyword: Range<usize>,
    /// The words after the keyword, split at unquoted whitespace and line continuations.
    pub words: Vec<Range<usize>>,
    /// From the keyword to the end of its last continuation line.
    pub range: Range<usize>,
}

impl Instruction {
    /// The index (into `words`) of the word containing or ending at `offset`.
    pub fn word_at(&self, offset: usize) -> Option<usize> {
        self.words.iter().position(|w| w.start <= offset && offset <= w.end)
    }
}

/// Is `offset` inside a heredoc body (where Dockerfile features do not apply)?
pub(crate) fn in_heredoc(doc: &Document, offset: usize) -> bool {
    let Some(tree) = doc.tree() else { return false };
    let mut node: Option<Node> = tree.root_node().descendant_for_byte_range(offset, offset);
    // Ancestors of a leaf: bounded by the tree's depth.
    while let Some(n) = node {
        if matches!(n.kind(), "heredoc_content" | "heredoc_end" | "heredoc_block")
            && n.start_byte() < offset
        {
            return true;
        }
        node = n.parent();
    }
    false
}

/// The instruction around `offset`: walks back over continuation lines (and the comment lines
/// BuildKit allows inside them) to the keyword, then splits the instruction into words.
/// `None` on a comment line, a blank line before any word, or in a heredoc body.
pub(crate) fn instruction_at(doc: &Document, offset: usize) -> Option<Instruction> {
    let text = &*doc.text;
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return None;
    }
    let escape = escape_char(text);
    let cur = line_at(text, offset);
    if text[cur.clone()].trim_start().starts_with('#') || in_heredoc(doc, offset) {
        return None;
    }
    let mut start = cur.clone();
    loop {
        let mut p = prev_line(text, start.start);
        while let Some(line) = p.clone() {
            if !is_comment_or_blank(&text[line.clone()]) {
                break;
            }
            p = prev_line(text, line.start);
        }
        match p {
            Some(line) if continues(&text[line.clone()], escape) => start = line,
            _ => break,
        }
    }
    let mut words = Vec::new();
    let mut line = start.clone();
    let mut end;
    let mut first = true;
    loop {
        end = line.end;
        let s = &text[line.clone()];
        if first || !is_comment_or_blank(s) {
            let cont = continues(s, escape);
            let content_end =
                if cont { line.start + s.trim_end().len() - escape.len_utf8() } else { line.end };
            split_words(text, line.start..content_end, &mut words);
            if !cont {
                break;
            }
        }
        first = false;
        match next_line(text, line.end) {
            Some(n) => line = n,
            None => break,
        }
    }
    if words.is_empty() {
        return None;
    }
    let keyword = words.remove(0);
    Some(Instruction { range: keyword.start..end, keyword, words })
}

/// Split at whitespace outside quotes.
fn split_words(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let mut start = None;
    let mut quote = None;
    for (i, c) in text[range.clone()].char_indices() {
        let at = range.start + i;
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                start.get_or_insert(at);
            }
            None if c.is_whitespace() => {
                if let Some(s) = start.take() {
                    out.push(s..at);
                }
            }
            None => {
                start.get_or_insert(at);
            }
        }
    }
    if let Some(s) = start {
        out.push(s..range.end);
    }
}

/// Lowercase if most existing instruction keywords are lowercase.
fn lowercase_convention(text: &str) -> bool {
    let (mut lower, mut upper) = (0, 0);
    for line in text.lines() {
        let word = line.trim_start().split(|c: char| c.is_whitespace()).next().unwrap_or("");
        if knowledge::instruction(word).is_some() {
            if word.bytes().all(|b| b.is_ascii_lowercase()) {
                lower += 1;
            } else if word.bytes().all(|b| b.is_ascii_uppercase()) {
                upper += 1;
            }
        }
    }
    lower > upper
}

/// The `$NAME` or `${NAME` being typed just before `offset` in `word`: the range of the name.
fn variable_being_typed(
    text: &str,
    word: Range<usize>,
    offset: usize,
) -> Option<(Range<usize>, bool)> {
    let before = &text[word.start..offset];
    let dollar = before.rfind('$')?;
    let after = &before[dollar + 1..];
    let (braced, name) = match after.strip_prefix('{') {
        Some(n) => (true, n),
        None => (false, after),
    };
    if name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        let s = offset - name.len();
        Some((s..offset, braced))
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------------------
// Completion.

pub fn complete(doc: &Document, offset: usize, scope: &ScopeInfo) -> Vec<CompletionItem> {
    let text = &*doc.text;
    if offset > text.len() || !text.is_char_boundary(offset) {
        return Vec::new();
    }
    let line = line_at(text, offset);
    let line_text = &text[line.start..offset];
    if line_text.trim_start().starts_with('#') {
        return complete_directive(text, line, offset);
    }
    if in_heredoc(doc, offset) {
        return Vec::new();
    }
    let Some(ins) = instruction_at(doc, offset) else {
        // A blank line: any instruction may start here.
        return instructions(text, offset..offset, offset, false);
    };
    if offset <= ins.keyword.end {
        if offset < ins.keyword.start {
            return instructions(text, offset..offset, offset, false);
        }
        return instructions(text, ins.keyword.start..offset, offset, false);
    }
    let mut keyword = &text[ins.keyword.clone()];
    let mut words = ins.words.as_slice();
    let current = ins.word_at(offset);
    let mut index = current.unwrap_or_else(|| words.iter().filter(|w| w.end < offset).count());
    if keyword.eq_ignore_ascii_case("ONBUILD") {
        if index == 0 {
            let replace = current.map_or(offset..offset, |i| words[i].start..offset);
            return instructions(text, replace, offset, true);
        }
        keyword = &text[words[0].clone()];
        words = &words[1..];
        index -= 1;
    }
    let word = match current {
        Some(_) => words[index].start..offset,
        None => offset..offset,
    };
    let Some(info) = knowledge::instruction(keyword) else { return Vec::new() };
    let ctx = Ctx { text, offset, scope, keyword: info.name, words, index, word: word.clone() };

    if let Some((name, braced)) = variable_being_typed(text, word.clone(), offset) {
        return ctx.variables(name, braced);
    }
    if let Some(items) = ctx.modifiers() {
        return items;
    }
    let w = &text[word.clone()];
    if w.starts_with('-') {
        return ctx.flag_or_value();
    }
    ctx.arguments()
}

struct Ctx<'a> {
    text: &'a str,
    offset: usize,
    scope: &'a ScopeInfo<'a>,
    /// Upper-case keyword of the instruction (the inner one after ONBUILD).
    keyword: &'static str,
    words: &'a [Range<usize>],
    /// Index of the word at the cursor (may equal `words.len()` for a new word).
    index: usize,
    /// The part of the current word before the cursor.
    word: Range<usize>,
}

impl Ctx<'_> {
    fn word(&self) -> &str {
        &self.text[self.word.clone()]
    }

    /// Words before the current one that are not flags.
    fn positional_index(&self) -> usize {
        self.words[..self.index.min(self.words.len())]
            .iter()
            .filter(|w| !self.text[(*w).clone()].starts_with("--"))
            .count()
    }

    fn flag_or_value(&self) -> Vec<CompletionItem> {
        let w = self.word();
        if self.positional_index() > 0 {
            return Vec::new();
        }
        let Some(eq) = w.find('=') else { return self.flags() };
        let name = &w[2.min(w.len())..eq];
        let Some(flag) = knowledge::flag(self.keyword, name) else { return Vec::new() };
        let value_start = self.word.start + eq + 1;
        match flag.value {
            ValueKind::Mount => self.mount_value(value_start),
            ValueKind::StageOrImage => self.stages(value_start..self.offset),
            kind => values(kind, value_start..self.offset),
        }
    }

    fn flags(&self) -> Vec<CompletionItem> {
        let used: Vec<&str> = self
            .words
            .iter()
            .filter_map(|w| self.text[w.clone()].strip_prefix("--"))
            .map(|w| w.split('=').next().unwrap_or(""))
            .collect();
        knowledge::flags(self.keyword)
            .iter()
            .filter(|f| matches!(f.name, "mount" | "exclude") || !used.contains(&f.name))
            .map(|f| {
                let insert = if f.value == ValueKind::Switch {
                    format!("--{}", f.name)
                } else {
                    format!("--{}=", f.name)
                };
                let mut docs = format!("{}\n\n```dockerfile\n{}\n```", f.doc, f.example);
                if let Some(note) = f.note {
                    docs.push_str(&format!("\n\n{note}"));
                }
                CompletionItem::new(
                    format!("--{}", f.name),
                    CompletionKind::Property,
                    self.word.clone(),
                )
                .detail(f.value.describe())
                .docs(docs)
                .insert(insert)
            })
            .collect()
    }

    /// `--mount=type=cache,target=…`: keys of the mount type, or a key's values.
    fn mount_value(&self, value_start: usize) -> Vec<CompletionItem> {
        let value = &self.text[value_start..self.offset];
        let seg_start = value_start + value.rfind(',').map_or(0, |i| i + 1);
        let segment = &self.text[seg_start..self.offset];
        let ty = value.split(',').find_map(|kv| kv.strip_prefix("type=")).unwrap_or("bind");
        let keys = knowledge::mount_keys(ty);
        match segment.find('=') {
            None => {
                let present: Vec<&str> =
                    value.split(',').filter_map(|kv| kv.split_once('=').map(|(k, _)| k)).collect();
                keys.iter()
                    .filter(|k| !present.iter().any(|p| k.matches(p)))
                    .map(|k| mount_key_item(k, seg_start..self.offset))
                    .collect()
            }
            Some(eq) => {
                let key = &segment[..eq];
                let replace = seg_start + eq + 1..self.offset;
                // `type=` is valid whatever the type is (or while it is still empty).
                let keys = if key == "type" { knowledge::mount_keys("bind") } else { keys };
                let Some(k) = keys.iter().find(|k| k.matches(key)) else { return Vec::new() };
                match k.value {
                    ValueKind::StageOrImage => self.stages(replace),
                    ValueKind::OneOf(_) if k.name == "type" => knowledge::MOUNT_TYPES
                        .iter()
                        .map(|t| {
                            CompletionItem::new(t.name, CompletionKind::EnumMember, replace.clone())
                                .docs(format!("{}\n\n```dockerfile\n{}\n```", t.doc, t.example))
                        })
                        .collect(),
                    kind => values(kind, replace),
                }
            }
        }
    }

    /// Stages defined before the cursor, by name (or index when unnamed).
    fn stages(&self, replace: Range<usize>) -> Vec<CompletionItem> {
        self.scope
            .stages
            .iter()
            .filter(|s| {
                s.from_line_range.end <= self.offset && !s.from_line_range.contains(&self.offset)
            })
            .filter(|s| !self.current_stage_is(s))
            .map(|s| {
                let label = s.name.clone().unwrap_or_else(|| s.index.to_string());
                CompletionItem::new(label, CompletionKind::Reference, replace.clone())
                    .detail(format!("stage {} FROM {}", s.index, s.base_image))
            })
            .collect()
    }

    fn current_stage_is(&self, s: &StageInfo) -> bool {
        let next = self.scope.stages.iter().find(|n| n.index == s.index + 1);
        s.from_line_range.start <= self.offset
            && next.is_none_or(|n| self.offset < n.from_line_range.start)
    }

    fn variables(&self, name: Range<usize>, braced: bool) -> Vec<CompletionItem> {
        let mut seen = Vec::new();
        let mut out = Vec::new();
        // Later declarations shadow earlier ones.
        for v in self.scope.vars.iter().rev() {
            if seen.contains(&v.name.as_str()) {
                continue;
            }
            seen.push(&v.name);
            let kind = match v.kind {
                VarKind::Arg => "ARG",
                VarKind::Env => "ENV",
            };
            let detail = match &v.value {
                Some(val) => format!("{kind} {}={val}", v.name),
                None => format!("{kind} {}", v.name),
            };
            out.push(
                CompletionItem::new(v.name.clone(), CompletionKind::Variable, name.clone())
                    .detail(detail)
                    .sort(format!("0{}", v.name)),
            );
        }
        for a in knowledge::PREDEFINED_ARGS {
            if seen.contains(&a.name) {
                continue;
            }
            out.push(
                CompletionItem::new(a.name, CompletionKind::Constant, name.clone())
                    .detail("predefined build argument")
                    .docs(a.doc)
                    .sort(format!("1{}", a.name)),
            );
        }
        let _ = braced;
        out
    }

    /// `${NAME:` → the expansion modifiers.
    fn modifiers(&self) -> Option<Vec<CompletionItem>> {
        let before = &self.text[self.word.start..self.offset];
        let open = before.rfind("${")?;
        let inner = &before[open + 2..];
        let name_len =
            inner.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
        let typed = &inner[name_len..];
        if name_len == 0
            || typed.is_empty()
            || !matches!(typed, ":" | ":-" | ":+" | ":?" | "-" | "+" | "?")
        {
            return None;
        }
        let replace = self.offset - typed.len()..self.offset;
        let closed = self.text[self.offset..].starts_with('}');
        let close = if closed { "" } else { "}" };
        let items = [
            (":-", "default", "The word when the variable is unset or empty, otherwise its value."),
            (
                ":+",
                "alternative",
                "The word when the variable is set and not empty, otherwise nothing.",
            ),
            (
                ":?",
                "message",
                "Fail the build with this message when the variable is unset or empty.",
            ),
            ("-", "default", "The word when the variable is unset (an empty value is kept)."),
            ("+", "alternative", "The word when the variable is set, even to an empty value."),
        ];
        Some(
            items
                .iter()
                .filter(|(op, ..)| op.starts_with(typed) || typed == ":" && op.starts_with(':'))
                .map(|(op, ph, doc)| {
                    CompletionItem::new(
                        format!("{op}{ph}"),
                        CompletionKind::Snippet,
                        replace.clone(),
                    )
                    .docs(*doc)
                    .snippet(format!("{op}${{1:{ph}}}{close}"))
                })
                .collect(),
        )
    }

    /// Positional arguments of the instruction.
    fn arguments(&self) -> Vec<CompletionItem> {
        let pos = self.positional_index();
        let w = self.word();
        match self.keyword {
            "FROM" => self.image_argument(pos),
            "EXPOSE" => match w.find('/') {
                Some(slash) => {
                    let replace = self.word.start + slash + 1..self.offset;
                    knowledge::EXPOSE_PROTOCOLS
                        .iter()
                        .map(|(p, d)| {
                            CompletionItem::new(*p, CompletionKind::EnumMember, replace.clone())
                                .docs(*d)
                        })
                        .collect()
                }
                None => Vec::new(),
            },
            "STOPSIGNAL" if pos == 0 => knowledge::SIGNALS
                .iter()
                .map(|s| {
                    CompletionItem::new(s.name, CompletionKind::EnumMember, self.word.clone())
                        .detail(format!("signal {}", s.number))
                        .docs(s.doc)
                })
                .collect(),
            "HEALTHCHECK" if pos == 0 => {
                let mut items = Vec::new();
                if w.is_empty() || w.starts_with('-') {
                    items.extend(self.flags());
                }
                items.push(
                    CompletionItem::new("CMD", CompletionKind::Keyword, self.word.clone())
                        .detail("HEALTHCHECK CMD <command>")
                        .docs("The command that checks the container's health: exit status 0 means healthy, 1 unhealthy.")
                        .snippet("CMD ${1:command}"),
                );
                if self.index == 0 {
                    items.push(
                        CompletionItem::new("NONE", CompletionKind::Keyword, self.word.clone())
                            .docs("Turn off any health check inherited from the base image."),
                    );
                }
                items
            }
            "RUN" | "COPY" | "ADD" if pos == 0 && w.is_empty() => self.flags(),
            "ARG" => knowledge::PREDEFINED_ARGS
                .iter()
                .filter(|a| a.automatic)
                .map(|a| {
                    CompletionItem::new(a.name, CompletionKind::Constant, self.word.clone())
                        .detail("predefined build argument")
                        .docs(format!("{}\n\nExample value: `{}`", a.doc, a.example))
                })
                .collect(),
            "SHELL" if pos == 0 => knowledge::SHELL_FORMS
                .iter()
                .map(|(form, doc)| {
                    CompletionItem::new(*form, CompletionKind::Value, self.word.clone()).docs(*doc)
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    fn image_argument(&self, pos: usize) -> Vec<CompletionItem> {
        let w = self.word();
        match pos {
            0 => {
                if let Some(colon) = image_tag_colon(w) {
                    let image = &w[..colon];
                    let replace = self.word.start + colon + 1..self.offset;
                    let Some(img) = knowledge::official_image(image) else { return Vec::new() };
                    return img
                        .tags
                        .iter()
                        .enumerate()
                        .map(|(i, t)| {
                            CompletionItem::new(*t, CompletionKind::Value, replace.clone())
                                .detail(format!("{}:{t}", img.name))
                                .sort(format!("{i:03}"))
                        })
                        .collect();
                }
                let mut items = self.stages(self.word.clone());
                for s in &mut items {
                    s.sort_text = Some(format!("0{}", s.label));
                }
                for (i, image) in self.scope.images_in_workspace.iter().enumerate() {
                    items.push(
                        CompletionItem::new(
                            image.clone(),
                            CompletionKind::Module,
                            self.word.clone(),
                        )
                        .detail("used in this workspace")
                        .sort(format!("1{i:03}")),
                    );
                }
                for (i, img) in knowledge::IMAGES.iter().enumerate() {
                    if self.scope.images_in_workspace.iter().any(|w| w == img.name) {
                        continue;
                    }
                    items.push(
                        CompletionItem::new(img.name, CompletionKind::Module, self.word.clone())
                            .detail("official image")
                            .docs(img.summary)
                            .sort(format!("2{i:03}")),
                    );
                }
                items
            }
            1 => {
                let upper = !lowercase_convention(self.text);
                let label = if upper { "AS" } else { "as" };
                vec![
                    CompletionItem::new(label, CompletionKind::Keyword, self.word.clone())
                        .docs("Name this build stage.")
                        .snippet(format!("{label} ${{1:name}}")),
                ]
            }
            _ => Vec::new(),
        }
    }
}

/// The colon that starts a tag in an image reference being typed (not a registry port).
fn image_tag_colon(word: &str) -> Option<usize> {
    let colon = word.rfind(':')?;
    (!word[colon..].contains('/')).then_some(colon)
}

fn values(kind: ValueKind, replace: Range<usize>) -> Vec<CompletionItem> {
    kind.choices()
        .iter()
        .map(|v| CompletionItem::new(*v, CompletionKind::EnumMember, replace.clone()))
        .collect()
}

fn mount_key_item(k: &MountKeyDoc, replace: Range<usize>) -> CompletionItem {
    CompletionItem::new(k.name, CompletionKind::Property, replace)
        .detail(k.value.describe())
        .docs(k.doc)
        .insert(format!("{}=", k.name))
}

fn instructions(
    text: &str,
    replace: Range<usize>,
    offset: usize,
    onbuild: bool,
) -> Vec<CompletionItem> {
    let lower = lowercase_convention(text);
    // Before the first FROM only ARG (and FROM) make sense: list them first.
    let before_from = !text[..offset.min(text.len())]
        .lines()
        .any(|l| l.trim_start().get(..5).is_some_and(|w| w.eq_ignore_ascii_case("FROM ")));
    knowledge::INSTRUCTIONS
        .iter()
        .enumerate()
        .filter(|(_, i)| !onbuild || i.onbuild)
        .map(|(n, i)| {
            let name = if lower { i.name.to_ascii_lowercase() } else { i.name.to_string() };
            let snippet =
                if lower { i.snippet.replace(" AS ", " as ") } else { i.snippet.to_string() };
            let first = before_from && matches!(i.name, "FROM" | "ARG");
            let mut item =
                CompletionItem::new(name.clone(), CompletionKind::Keyword, replace.clone())
                    .detail(i.syntax[0])
                    .docs(format!("{}\n\n```dockerfile\n{}\n```", i.summary, i.example))
                    .snippet(format!("{name} {snippet}"))
                    .sort(format!("{}{n:02}", if first { 0 } else { 1 }));
            item.deprecated = i.deprecated;
            item
        })
        .collect()
}

fn complete_directive(text: &str, line: Range<usize>, offset: usize) -> Vec<CompletionItem> {
    // Only in the directive block: every line above must be a directive.
    if line.start > 0 && directives(text).last().is_none_or(|d| d.line.end + 2 < line.start) {
        return Vec::new();
    }
    let before = &text[line.start..offset];
    let body = before.trim_start().trim_start_matches('#').trim_start();
    let body_start = offset - body.len();
    match body.find('=') {
        None if body.bytes().all(|b| b.is_ascii_alphabetic()) => knowledge::DIRECTIVES
            .iter()
            .map(|d| {
                CompletionItem::new(d.name, CompletionKind::Keyword, body_start..offset)
                    .detail("parser directive")
                    .docs(format!("{}\n\n```dockerfile\n{}\n```", d.doc, d.example))
                    .insert(format!("{}=", d.name))
            })
            .collect(),
        Some(eq) => {
            let Some(d) = knowledge::directive(body[..eq].trim()) else { return Vec::new() };
            d.values
                .iter()
                .map(|v| {
                    CompletionItem::new(*v, CompletionKind::Value, body_start + eq + 1..offset)
                })
                .collect()
        }
        None => Vec::new(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::testing::fixture;

    fn check(fx: &str, expect: Expect) {
        let f = fixture(fx);
        let (doc, offset) = f.at_cursor();
        let stages = [
            StageInfo {
                name: Some("base".into()),
                index: 0,
                from_line_range: 0..0,
                base_image: "python:3.12-slim".into(),
            },
            StageInfo { name: None, index: 1, from_line_range: 0..0, base_image: "alpine".into() },
        ];
        // Stages are only offered when defined before the cursor: anchor them to real lines.
        let stages: Vec<StageInfo> = stages
            .iter()
            .zip(doc.text.match_indices("FROM").map(|(i, _)| i))
            .map(|(s, at)| StageInfo {
                from_line_range: at..line_at(&doc.text, at).end,
                ..s.clone()
            })
            .collect();
        let vars = [
            VarInfo {
                name: "PYTHON_VERSION".into(),
                value: Some("3.12".into()),
                kind: VarKind::Arg,
                decl_range: 0..0,
            },
            VarInfo {
                name: "APP_HOME".into(),
                value: Some("/app".into()),
                kind: VarKind::Env,
                decl_range: 0..0,
            },
        ];
        let images = ["registry.example.com/shop/web".to_string()];
        let scope = ScopeInfo { stages: &stages, vars: &vars, images_in_workspace: &images };
        let items = complete(doc, offset, &scope);
        let mut out = String::new();
        for it in items.iter().take(14) {
            let replaced = &doc.text[it.replace.clone()];
            out.push_str(&format!("{} [{}]", it.label, replaced));
            if let Some(i) = &it.insert_text {
                out.push_str(&format!(" => {i}"));
            }
            out.push('\n');
        }
        if items.len() > 14 {
            out.push_str(&format!("… {} more\n", items.len() - 14));
        }
        expect.assert_eq(&out);
    }

    /// Every offset of awkward input: unicode, CRLF, unterminated quotes and expansions,
    /// a backtick escape, an open heredoc.
    pub(crate) const AWKWARD: &str = "# escape=`\r\nFROM --platform=$ pyth\u{e9}n:3.\u{1F600} as b\r\nRUN --mount=type=,from=,=x `\r\n  echo \"${A:-\u{e9}\r\nCOPY --from= --\r\nONBUILD\r\nHEALTHCHECK --interval= CMD\r\nEXPOSE 80/\r\nRUN <<EOF\r\n\u{e9}\r\nSTOPSIGNAL\r\nARG\r\n${\r\n";

    #[test]
    fn never_panics() {
        let f = fixture(&format!("#- /Dockerfile\n{AWKWARD}"));
        let doc = f.doc("Dockerfile");
        let scope = ScopeInfo::default();
        for offset in 0..=doc.text.len() + 1 {
            let _ = complete(doc, offset, &scope);
        }
    }

    #[test]
    fn instructions_at_line_start() {
        check(
            "FROM alpine\nRU$0\n",
            expect![[r#"
            FROM [RU] => FROM ${1:image}:${2:tag} AS ${3:name}
            RUN [RU] => RUN ${1:command}
            CMD [RU] => CMD ["${1:executable}"${2:, "${3:arg}"}]
            LABEL [RU] => LABEL ${1:key}="${2:value}"
            MAINTAINER [RU] => MAINTAINER ${1:name}
            EXPOSE [RU] => EXPOSE ${1:8000}
            ENV [RU] => ENV ${1:KEY}=${2:value}
            ADD [RU] => ADD ${1:src} ${2:dest}
            COPY [RU] => COPY ${1:src} ${2:dest}
            ENTRYPOINT [RU] => ENTRYPOINT ["${1:executable}"]
            VOLUME [RU] => VOLUME ${1:/data}
            USER [RU] => USER ${1:user}
            WORKDIR [RU] => WORKDIR ${1:/app}
            ARG [RU] => ARG ${1:NAME}=${2:default}
            … 4 more
        "#]],
        );
    }

    #[test]
    fn instructions_follow_lowercase_convention() {
        check(
            "from alpine\nrun echo\n$0\n",
            expect![[r#"
            from [] => from ${1:image}:${2:tag} as ${3:name}
            run [] => run ${1:command}
            cmd [] => cmd ["${1:executable}"${2:, "${3:arg}"}]
            label [] => label ${1:key}="${2:value}"
            maintainer [] => maintainer ${1:name}
            expose [] => expose ${1:8000}
            env [] => env ${1:KEY}=${2:value}
            add [] => add ${1:src} ${2:dest}
            copy [] => copy ${1:src} ${2:dest}
            entrypoint [] => entrypoint ["${1:executable}"]
            volume [] => volume ${1:/data}
            user [] => user ${1:user}
            workdir [] => workdir ${1:/app}
            arg [] => arg ${1:NAME}=${2:default}
            … 4 more
        "#]],
        );
    }

    #[test]
    fn onbuild_offers_allowed_instructions() {
        check(
            "FROM alpine\nONBUILD C$0\n",
            expect![[r#"
            RUN [C] => RUN ${1:command}
            CMD [C] => CMD ["${1:executable}"${2:, "${3:arg}"}]
            LABEL [C] => LABEL ${1:key}="${2:value}"
            EXPOSE [C] => EXPOSE ${1:8000}
            ENV [C] => ENV ${1:KEY}=${2:value}
            ADD [C] => ADD ${1:src} ${2:dest}
            COPY [C] => COPY ${1:src} ${2:dest}
            ENTRYPOINT [C] => ENTRYPOINT ["${1:executable}"]
            VOLUME [C] => VOLUME ${1:/data}
            USER [C] => USER ${1:user}
            WORKDIR [C] => WORKDIR ${1:/app}
            ARG [C] => ARG ${1:NAME}=${2:default}
            STOPSIGNAL [C] => STOPSIGNAL ${1:SIGTERM}
            HEALTHCHECK [C] => HEALTHCHECK CMD ${1:command}
            … 1 more
        "#]],
        );
    }

    #[test]
    fn directives_at_top() {
        check(
            "# sy$0\nFROM alpine\n",
            expect![[r#"
            syntax [sy] => syntax=
            escape [sy] => escape=
            check [sy] => check=
        "#]],
        );
        check(
            "# syntax=$0\nFROM alpine\n",
            expect![[r#"
            docker/dockerfile:1 []
            docker/dockerfile:1.7-labs []
            docker/dockerfile:1-labs []
        "#]],
        );
        check("FROM alpine\n# sy$0\n", expect![[r#""#]]);
    }

    #[test]
    fn flags_of_instruction() {
        check(
            "FROM alpine\nCOPY --$0\n",
            expect![[r#"
            --from [--] => --from=
            --chown [--] => --chown=
            --chmod [--] => --chmod=
            --link [--] => --link
            --parents [--] => --parents
            --exclude [--] => --exclude=
        "#]],
        );
        check(
            "FROM alpine\nCOPY --chown=a --ch$0 . /\n",
            expect![[r#"
            --from [--ch] => --from=
            --chmod [--ch] => --chmod=
            --link [--ch] => --link
            --parents [--ch] => --parents
            --exclude [--ch] => --exclude=
        "#]],
        );
        check(
            "FROM --$0\n",
            expect![[r#"
            --platform [--] => --platform=
        "#]],
        );
    }

    #[test]
    fn flag_values() {
        check(
            "FROM --platform=linux/$0 alpine\n",
            expect![[r#"
            linux/amd64 [linux/]
            linux/arm64 [linux/]
            linux/arm/v7 [linux/]
            linux/arm/v6 [linux/]
            linux/386 [linux/]
            linux/ppc64le [linux/]
            linux/s390x [linux/]
            linux/riscv64 [linux/]
            windows/amd64 [linux/]
            $BUILDPLATFORM [linux/]
            $TARGETPLATFORM [linux/]
        "#]],
        );
        check(
            "FROM alpine\nRUN --network=$0\n",
            expect![[r#"
            default []
            none []
            host []
        "#]],
        );
    }

    #[test]
    fn mount_keys_and_values() {
        check(
            "FROM alpine\nRUN --mount=$0\n",
            expect![[r#"
            type [] => type=
            target [] => target=
            source [] => source=
            from [] => from=
            rw [] => rw=
        "#]],
        );
        check(
            "FROM alpine\nRUN --mount=type=$0\n",
            expect![[r#"
            bind []
            cache []
            tmpfs []
            secret []
            ssh []
        "#]],
        );
        check(
            "FROM alpine\nRUN --mount=type=cache,target=/root/.cache,$0\n",
            expect![[r#"
            id [] => id=
            ro [] => ro=
            sharing [] => sharing=
            from [] => from=
            source [] => source=
            mode [] => mode=
            uid [] => uid=
            gid [] => gid=
        "#]],
        );
        check(
            "FROM alpine\nRUN --mount=type=cache,sharing=$0\n",
            expect![[r#"
            shared []
            private []
            locked []
        "#]],
        );
        check(
            "FROM alpine AS base\nFROM alpine\nRUN --mount=from=$0\n",
            expect![[r#"
            base []
        "#]],
        );
    }

    #[test]
    fn stages_after_from_flag() {
        check(
            "FROM python:3.12 AS base\nFROM alpine\nCOPY --from=$0\n",
            expect![[r#"
            base []
        "#]],
        );
    }

    #[test]
    fn continuation_lines_keep_context() {
        check(
            "FROM alpine\nRUN --mount=type=cache,target=/c \\\n    --net$0\n",
            expect![[r#"
            --mount [--net] => --mount=
            --network [--net] => --network=
            --security [--net] => --security=
        "#]],
        );
    }

    #[test]
    fn variables_and_modifiers() {
        check(
            "FROM alpine\nRUN echo ${PY$0\n",
            expect![[r#"
            APP_HOME [PY]
            PYTHON_VERSION [PY]
            TARGETPLATFORM [PY]
            TARGETOS [PY]
            TARGETARCH [PY]
            TARGETVARIANT [PY]
            BUILDPLATFORM [PY]
            BUILDOS [PY]
            BUILDARCH [PY]
            BUILDVARIANT [PY]
            TARGETSTAGE [PY]
            BUILDKIT_SYNTAX [PY]
            BUILDKIT_INLINE_CACHE [PY]
            BUILDKIT_CACHE_MOUNT_NS [PY]
            … 14 more
        "#]],
        );
        check("FROM alpine\nWORKDIR $0\n", expect![[r#""#]]);
        check(
            "FROM alpine\nWORKDIR $APP$0\n",
            expect![[r#"
            APP_HOME [APP]
            PYTHON_VERSION [APP]
            TARGETPLATFORM [APP]
            TARGETOS [APP]
            TARGETARCH [APP]
            TARGETVARIANT [APP]
            BUILDPLATFORM [APP]
            BUILDOS [APP]
            BUILDARCH [APP]
            BUILDVARIANT [APP]
            TARGETSTAGE [APP]
            BUILDKIT_SYNTAX [APP]
            BUILDKIT_INLINE_CACHE [APP]
            BUILDKIT_CACHE_MOUNT_NS [APP]
            … 14 more
        "#]],
        );
        check(
            "FROM alpine\nRUN echo ${APP_HOME:$0}\n",
            expect![[r#"
            :-default [:] => :-${1:default}
            :+alternative [:] => :+${1:alternative}
            :?message [:] => :?${1:message}
        "#]],
        );
    }

    #[test]
    fn images_and_tags() {
        check(
            "FROM $0\n",
            expect![[r#"
            registry.example.com/shop/web []
            python []
            node []
            postgres []
            redis []
            nginx []
            alpine []
            debian []
            ubuntu []
            golang []
            rust []
            mysql []
            mariadb []
            mongo []
            … 28 more
        "#]],
        );
        check(
            "FROM python:3.12-s$0\n",
            expect![[r#"
            3.13 [3.12-s]
            3.13-slim [3.12-s]
            3.13-alpine [3.12-s]
            3.13-bookworm [3.12-s]
            3.13-slim-bookworm [3.12-s]
            3.12 [3.12-s]
            3.12-slim [3.12-s]
            3.12-alpine [3.12-s]
            3.12-bookworm [3.12-s]
            3.12-slim-bookworm [3.12-s]
            3.11 [3.12-s]
            3.11-slim [3.12-s]
            3.11-alpine [3.12-s]
            3.11-bookworm [3.12-s]
            … 11 more
        "#]],
        );
        check(
            "FROM python:3.12 $0\n",
            expect![[r#"
            AS [] => AS ${1:name}
        "#]],
        );
        check(
            "FROM python:3.12 AS base\nFROM b$0\n",
            expect![[r#"
            base [b]
            registry.example.com/shop/web [b]
            python [b]
            node [b]
            postgres [b]
            redis [b]
            nginx [b]
            alpine [b]
            debian [b]
            ubuntu [b]
            golang [b]
            rust [b]
            mysql [b]
            mariadb [b]
            … 29 more
        "#]],
        );
    }

    #[test]
    fn protocols_signals_healthcheck_shell() {
        check(
            "FROM alpine\nEXPOSE 53/$0\n",
            expect![[r#"
            tcp []
            udp []
            sctp []
        "#]],
        );
        check(
            "FROM alpine\nSTOPSIGNAL SIGT$0\n",
            expect![[r#"
            SIGTERM [SIGT]
            SIGINT [SIGT]
            SIGQUIT [SIGT]
            SIGKILL [SIGT]
            SIGHUP [SIGT]
            SIGUSR1 [SIGT]
            SIGUSR2 [SIGT]
            SIGWINCH [SIGT]
            SIGRTMIN+3 [SIGT]
        "#]],
        );
        check(
            "FROM alpine\nHEALTHCHECK $0\n",
            expect![[r#"
            --interval [] => --interval=
            --timeout [] => --timeout=
            --start-period [] => --start-period=
            --start-interval [] => --start-interval=
            --retries [] => --retries=
            CMD [] => CMD ${1:command}
            NONE []
        "#]],
        );
        check(
            "FROM alpine\nSHELL $0\n",
            expect![[r#"
            ["/bin/bash", "-o", "pipefail", "-c"] []
            ["/bin/bash", "-c"] []
            ["/bin/sh", "-c"] []
            ["/bin/ash", "-eo", "pipefail", "-c"] []
            ["cmd", "/S", "/C"] []
            ["powershell", "-Command"] []
        "#]],
        );
    }

    #[test]
    fn quiet_in_heredoc_and_comments() {
        check("FROM alpine\nRUN <<EOF\nec$0ho hi\nEOF\n", expect![""]);
        check("FROM alpine\nRUN echo hi # $0\n", expect![[r#""#]]);
    }
}

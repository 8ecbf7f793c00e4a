//! Completion in Compose files, driven by the schema table. The cursor position comes in as a
//! `CursorContext` (from the YAML tree, or from `context_from_text` while the file is too
//! broken to parse); names the file or workspace defines come in as `Names`.

mod gather;
mod tree;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{OnceLock, RwLock};

pub use gather::{NameLists, Needs};
pub use tree::{Source, Syntax, context_from_tree, cursor_context, cursor_context_in};

use super::hover;
use super::schema::{self, KeySpec, NameKind, Ty};
use crate::ide::{CompletionItem, CompletionKind};

/// Where the cursor is, in schema terms.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CursorContext {
    /// Keys from the root down to the mapping (when `on_key`) or the key whose value is being
    /// written; `"[]"` for sequence items. Names are kept as written (`"web"`).
    pub path: Vec<String>,
    /// A key is being typed (otherwise a value).
    pub on_key: bool,
    /// The text typed so far, from the start of the word or value to the cursor.
    pub prefix: String,
    /// The bytes a completion replaces.
    pub replace: Range<usize>,
    /// Keys already present in the mapping at `path` (when `on_key`); for a list item, the
    /// other items written as plain names (so `depends_on` does not offer a service twice).
    pub existing_keys: Vec<String>,
    /// The column of the key or item being written; nested snippet lines indent from it.
    pub indent: usize,
    /// Inside a flow collection (`{…}`, `[…]`), where a key opens no indented block.
    pub flow: bool,
}

/// Names defined elsewhere that values may refer to.
#[derive(Clone, Debug, Default)]
pub struct Names<'a> {
    pub services: Vec<&'a str>,
    pub networks: Vec<&'a str>,
    pub volumes: Vec<&'a str>,
    pub secrets: Vec<&'a str>,
    pub configs: Vec<&'a str>,
    pub models: Vec<&'a str>,
    /// Stage names of the service's Dockerfile.
    pub stages: Vec<&'a str>,
    /// `ARG` names of the service's Dockerfile.
    pub build_args: Vec<&'a str>,
    /// Images built or used in the workspace.
    pub images: Vec<&'a str>,
    /// Variables available for `${…}` interpolation.
    pub variables: Vec<&'a str>,
}

impl<'a> Names<'a> {
    fn of(&self, kind: NameKind) -> &[&'a str] {
        match kind {
            NameKind::Service => &self.services,
            NameKind::Network => &self.networks,
            NameKind::Volume => &self.volumes,
            NameKind::Secret => &self.secrets,
            NameKind::Config => &self.configs,
            NameKind::Model => &self.models,
            NameKind::Stage => &self.stages,
            NameKind::BuildArg => &self.build_args,
            NameKind::Image => &self.images,
        }
    }
}

/// Completions at `ctx`.
pub fn complete(ctx: &CursorContext, names: &Names) -> Vec<CompletionItem> {
    if !ctx.on_key
        && let Some(var_start) = open_interpolation(&ctx.prefix)
    {
        let start = ctx.replace.start + var_start;
        let range = start..ctx.replace.start + ctx.prefix.len();
        return names
            .variables
            .iter()
            .map(|v| {
                CompletionItem::new(*v, CompletionKind::Variable, range.clone()).detail("variable")
            })
            .collect();
    }
    let path: Vec<&str> = ctx.path.iter().map(String::as_str).collect();
    let Some(spec) = schema::lookup(&path) else { return Vec::new() };
    let mut out = Vec::new();
    if ctx.on_key {
        key_items(&mut out, spec, ctx, names);
    } else {
        value_items(&mut out, spec, ctx, names);
    }
    out
}

/// The byte offset in `prefix` where a variable name starts, when the cursor is inside an
/// unfinished `${…` or `$NAME`.
fn open_interpolation(prefix: &str) -> Option<usize> {
    let i = prefix.rfind('$')?;
    if prefix[..i].ends_with('$') {
        return None; // `$$` is a literal dollar
    }
    let rest = &prefix[i + 1..];
    if let Some(name) = rest.strip_prefix('{') {
        let typed = name.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
        return (typed == name.len()).then_some(i + 2);
    }
    rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_').then_some(i + 1)
}

/// The service the cursor is in, to leave it out of its own dependencies.
fn current_service(ctx: &CursorContext) -> Option<&str> {
    match ctx.path.as_slice() {
        [s, name, ..] if s == "services" => Some(name),
        _ => None,
    }
}

fn key_items(out: &mut Vec<CompletionItem>, spec: &KeySpec, ctx: &CursorContext, names: &Names) {
    let present = |k: &str| ctx.existing_keys.iter().any(|e| e == k);
    if let Some(keys) = schema::object_keys(&spec.ty) {
        for k in keys.iter().filter(|k| !present(k.name)) {
            let text = key_text(k);
            let mut item =
                CompletionItem::new(k.name, CompletionKind::Property, ctx.replace.clone())
                    .detail(text.detail.as_str())
                    .docs(text.docs.as_str())
                    .snippet(key_snippet(k.name, &k.ty, ctx))
                    .sort(format!("{}{}", if k.deprecated.is_some() { 'z' } else { 'a' }, k.name));
            item.deprecated = k.deprecated.is_some();
            out.push(item);
        }
    }
    if let Some(entry) = schema::map_entry(&spec.ty)
        && let Some(kind) = entry.refers
    {
        let own = if kind == NameKind::Service { current_service(ctx) } else { None };
        for name in names.of(kind) {
            if present(name) || Some(*name) == own {
                continue;
            }
            out.push(
                CompletionItem::new(*name, CompletionKind::Reference, ctx.replace.clone())
                    .detail(kind_label(kind))
                    .snippet(key_snippet(&escape_snippet(name), &entry.ty, ctx)),
            );
        }
    }
}

/// The parts of a key's item that depend on the schema alone.
struct KeyText {
    detail: String,
    docs: String,
}

/// Built once per schema key: a service's ninety keys were described afresh on every request.
/// The schema is static and finite, so the cache is bounded.
fn key_text(k: &'static KeySpec) -> &'static KeyText {
    type Cache = RwLock<HashMap<usize, &'static KeyText>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let id = k as *const KeySpec as usize;
    if let Some(t) = cache.read().unwrap_or_else(|e| e.into_inner()).get(&id) {
        return t;
    }
    let text = KeyText { detail: k.ty.describe(), docs: hover::key_markdown(k.name, k) };
    let mut w = cache.write().unwrap_or_else(|e| e.into_inner());
    w.entry(id).or_insert_with(|| Box::leak(Box::new(text)))
}

fn value_items(out: &mut Vec<CompletionItem>, spec: &KeySpec, ctx: &CursorContext, names: &Names) {
    let range = ctx.replace.clone();
    for (i, v) in schema::enum_values(&spec.ty).iter().enumerate() {
        out.push(
            CompletionItem::new(v.name, CompletionKind::EnumMember, range.clone())
                .docs(v.doc)
                .sort(format!("{i:02}")),
        );
    }
    if accepts_bool(&spec.ty) {
        for b in ["true", "false"] {
            out.push(CompletionItem::new(b, CompletionKind::Constant, range.clone()));
        }
    }
    let key = ctx.path.iter().rev().find(|s| *s != "[]").map(String::as_str).unwrap_or("");
    // A name-map entry refers by its key, so its value takes no names.
    if let Some(kind) = spec.refers.filter(|_| spec.name != "*") {
        let own = if matches!(key, "depends_on" | "links") { current_service(ctx) } else { None };
        let listed = |n: &str| ctx.existing_keys.iter().any(|e| e == n);
        for name in names.of(kind).iter().filter(|n| Some(**n) != own && !listed(n)) {
            let item = CompletionItem::new(*name, CompletionKind::Reference, range.clone())
                .detail(kind_label(kind));
            out.push(match kind {
                NameKind::BuildArg => item.insert(format!("{name}=")),
                NameKind::Volume if is_short_volume(&spec.ty) => {
                    if ctx.prefix.contains([':', '/', '.', '~']) {
                        continue;
                    }
                    item.snippet(format!("{}:$0", escape_snippet(name)))
                }
                _ => item,
            });
        }
    }
    if is_short_volume(&spec.ty) && !ctx.prefix.contains([':', '/', '.', '~']) {
        for name in &names.volumes {
            out.push(
                CompletionItem::new(*name, CompletionKind::Reference, range.clone())
                    .detail("volume")
                    .snippet(format!("{}:$0", escape_snippet(name))),
            );
        }
    }
    if matches!(key, "network_mode" | "pid" | "ipc") && ctx.path.len() == 3 {
        let own = current_service(ctx);
        for s in names.services.iter().filter(|s| Some(**s) != own) {
            out.push(
                CompletionItem::new(
                    format!("service:{s}"),
                    CompletionKind::Reference,
                    range.clone(),
                )
                .detail("share another service's namespace"),
            );
        }
    }
    // `- ` in a list whose items may be mappings: the first key of the mapping.
    if ctx.path.last().is_some_and(|s| s == "[]")
        && !ctx.prefix.contains([':', ' '])
        && let Some(keys) = schema::object_keys(&spec.ty)
    {
        for k in keys {
            let text = key_text(k);
            out.push(
                CompletionItem::new(k.name, CompletionKind::Property, range.clone())
                    .detail(text.detail.as_str())
                    .docs(text.docs.as_str())
                    .snippet(key_snippet(k.name, &k.ty, ctx))
                    .sort(format!("b{}", k.name)),
            );
        }
    }
    let mut seen = std::collections::HashSet::new();
    let keep: Vec<bool> = out.iter().map(|i| seen.insert(i.label.as_str())).collect();
    let mut keep = keep.into_iter();
    out.retain(|_| keep.next().unwrap_or(true));
}

/// Whether the items at `ctx` include names the project defines (services, networks,
/// volumes, secrets, configs): gathering them reads every file of the project. Follows the
/// uses in [`key_items`] and [`value_items`].
pub fn uses_project_names(ctx: &CursorContext) -> bool {
    let path: Vec<&str> = ctx.path.iter().map(String::as_str).collect();
    let Some(spec) = schema::lookup(&path) else { return false };
    let project = |k: NameKind| {
        matches!(
            k,
            NameKind::Service
                | NameKind::Network
                | NameKind::Volume
                | NameKind::Secret
                | NameKind::Config
        )
    };
    if ctx.on_key {
        return schema::map_entry(&spec.ty).and_then(|e| e.refers).is_some_and(project);
    }
    let key = ctx.path.iter().rev().find(|s| *s != "[]").map(String::as_str).unwrap_or("");
    spec.refers.filter(|_| spec.name != "*").is_some_and(project)
        || is_short_volume(&spec.ty)
        || matches!(key, "network_mode" | "pid" | "ipc")
}

fn is_short_volume(ty: &Ty) -> bool {
    matches!(ty, Ty::OneOf(alts) if alts.iter().any(|t| matches!(t, Ty::Format(schema::Format::Volume))))
}

fn accepts_bool(ty: &Ty) -> bool {
    match ty {
        Ty::Bool => true,
        Ty::OneOf(alts) => alts.iter().any(|t| matches!(t, Ty::Bool)),
        _ => false,
    }
}

fn kind_label(kind: NameKind) -> &'static str {
    match kind {
        NameKind::Service => "service",
        NameKind::Network => "network",
        NameKind::Volume => "volume",
        NameKind::Secret => "secret",
        NameKind::Config => "config",
        NameKind::Model => "model",
        NameKind::Stage => "build stage",
        NameKind::BuildArg => "build argument",
        NameKind::Image => "image",
    }
}

fn escape_snippet(s: &str) -> String {
    s.replace('\\', "\\\\").replace('$', "\\$").replace('}', "\\}")
}

/// The text a key completion inserts: it opens the value in the shape the key's first form
/// takes. Nested lines carry absolute indentation (`indent` + 2, the column of the key plus one
/// level), so the LSP layer sends multi-line items with `insertTextMode: asIs`: a client that
/// adjusted them to the line's own indentation would indent twice.
pub fn key_snippet(name: &str, ty: &Ty, ctx: &CursorContext) -> String {
    if ctx.flow {
        return format!("{name}: $0");
    }
    let inner = " ".repeat(ctx.indent + 2);
    let first = match ty {
        Ty::OneOf(alts) => alts.first().unwrap_or(&Ty::Any),
        t => t,
    };
    match first {
        Ty::Object(_) | Ty::Map(_) => format!("{name}:\n{inner}$0"),
        Ty::List(_) => format!("{name}:\n{inner}- $0"),
        _ => format!("{name}: $0"),
    }
}

/// A best-effort cursor context from the text alone, read from the indentation of the lines
/// above the cursor. It works on half-written YAML, where a parse tree is mostly errors. Flow
/// collections (`{…}`, `[…]`) and block scalars are not understood.
pub fn context_from_text(text: &str, offset: usize) -> CursorContext {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line_end = text[offset..].find(['\n', '\r']).map_or(text.len(), |i| offset + i);
    let line = &text[line_start..line_end];
    let col = offset - line_start;
    let before = &line[..col];

    let indent = before.len() - before.trim_start_matches(' ').len();
    let mut p = indent;
    let mut dashes = 0;
    while before[p..].starts_with("- ") || &before[p..] == "-" {
        dashes += 1;
        p = (p + 2).min(col);
        p += before[p..].len() - before[p..].trim_start_matches(' ').len();
    }
    let content = &before[p..];

    let mut ctx = CursorContext { indent: p, ..CursorContext::default() };
    let value_at = |ctx: &mut CursorContext, from: usize| {
        let mut vstart = from + line[from..col].len() - line[from..col].trim_start().len();
        let quote = line[vstart..col].chars().next().filter(|c| *c == '"' || *c == '\'');
        if quote.is_some() {
            vstart += 1;
        }
        ctx.replace = line_start + vstart..line_start + value_end(line, col, quote);
        ctx.prefix = line[vstart..col].to_string();
    };
    if let Some((key, after)) = split_key(content, false) {
        value_at(&mut ctx, p + after);
        ctx.path.push(key);
    } else if dashes > 0 {
        value_at(&mut ctx, p);
    } else {
        let word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
        let start = before.trim_end_matches(word).len();
        let end = col + line[col..].find(|c: char| !word(c)).unwrap_or(line.len() - col);
        ctx.replace = line_start + start..line_start + end;
        ctx.prefix = line[start..col].to_string();
        ctx.on_key = true;
    }
    // The node whose parent the scan looks for: the first `- ` of the line, or the key.
    let (node_col, node_is_key) = if dashes > 0 { (indent, false) } else { (p, true) };

    let lines_above = lines_rev(&text[..line_start]);
    let collect = ctx.on_key;
    let mut parents = parents(lines_above, node_col, node_is_key, collect, &mut ctx.existing_keys);
    parents.reverse();
    // Items of the sequences opened on the cursor's own line.
    for _ in 0..dashes {
        parents.push("[]".into());
    }
    parents.append(&mut ctx.path);
    ctx.path = parents;

    if ctx.on_key {
        siblings_below(&text[line_end..], node_col, &mut ctx.existing_keys);
    } else if dashes == 1 && ctx.path.last().is_some_and(|s| s == "[]") {
        sibling_items(text, line_start, line_end, indent, &mut ctx.existing_keys);
    }
    ctx
}

/// The plain `- name` items next to the cursor's item (same dash column, same list).
fn sibling_items(
    text: &str,
    line_start: usize,
    line_end: usize,
    col: usize,
    out: &mut Vec<String>,
) {
    let item = |line: &str| -> Option<Option<String>> {
        let line = line.trim_end_matches('\r');
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        if rest.is_empty() || rest.starts_with('#') || indent > col {
            return Some(None); // blank, comment or nested: keep looking
        }
        if indent < col || !(rest.starts_with("- ") || rest == "-") {
            return None; // the list ended
        }
        let value = rest[1..].trim().trim_matches(['"', '\'']);
        Some(Some(value.to_string()).filter(|v| !v.is_empty() && !v.contains([':', ' '])))
    };
    let above = text[..line_start].lines().rev().take(1_000);
    let below = text.get(line_end..).unwrap_or("").lines().skip(1).take(1_000);
    for lines in [Box::new(above) as Box<dyn Iterator<Item = &str>>, Box::new(below)] {
        for line in lines {
            match item(line) {
                None => break,
                Some(Some(v)) => out.push(v),
                Some(None) => {}
            }
        }
    }
}

/// `key: value` split: the unquoted key and where the value starts, when `content` (text
/// before the cursor, after indentation and dashes) is past a key's colon.
/// A bare trailing colon ends a key only when `trailing_colon` (on the cursor's line,
/// `./src:` is more likely a volume being typed).
fn split_key(content: &str, trailing_colon: bool) -> Option<(String, usize)> {
    let (key, after) = if let Some(q) = content.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let close = content[1..].find(q)? + 1;
        (&content[1..close], close + 1)
    } else {
        let trailing = content.strip_suffix(':').filter(|_| trailing_colon).map(str::len);
        let i = content.find(": ").or(trailing)?;
        if content[..i].contains(['{', '[', '#']) {
            return None;
        }
        (&content[..i], i)
    };
    let rest = &content[after..];
    let rest = rest.strip_prefix(':')?;
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    Some((key.trim().to_string(), after + 1))
}

/// Where the value around the cursor ends: at the closing quote, a comment, or the line end.
fn value_end(line: &str, col: usize, quote: Option<char>) -> usize {
    let rest = &line[col..];
    let stop = match quote {
        Some(q) => rest.find(q).unwrap_or(rest.len()),
        None => rest.find(" #").unwrap_or(rest.len()),
    };
    col + rest[..stop].trim_end().len()
}

/// The tokens of one line that matter for nesting.
#[derive(Debug)]
enum Tok {
    Dash,
    /// A key and whether a value follows on the same line.
    Key(String, bool),
}

fn tokens(line: &str) -> Vec<(usize, Tok)> {
    let mut out = Vec::new();
    let mut p = line.len() - line.trim_start_matches(' ').len();
    loop {
        let rest = &line[p..];
        if rest.starts_with("- ") || rest == "-" {
            out.push((p, Tok::Dash));
            p += 1;
            p += line[p..].len() - line[p..].trim_start_matches(' ').len();
            continue;
        }
        if rest.is_empty() || rest.starts_with('#') {
            break;
        }
        if let Some((key, after)) = split_key(rest, true) {
            let value = rest[after..].trim();
            let inline = !value.is_empty() && !value.starts_with('#');
            out.push((p, Tok::Key(key, inline)));
        }
        break;
    }
    out
}

/// The ancestors of a node at `col` (a key, or a `- ` item when `!is_key`), nearest first.
/// Sibling keys met on the way are collected into `siblings`.
fn parents<'a>(
    lines: impl Iterator<Item = &'a str>,
    mut col: usize,
    mut is_key: bool,
    collect_siblings: bool,
    siblings: &mut Vec<String>,
) -> Vec<String> {
    let mut segs = Vec::new();
    let mut collecting = collect_siblings;
    for line in lines {
        // Past the siblings, a key's parent is indented less: the keys beside it (the other
        // services above a service's key) need no reading. Checked first, on bytes: in a large
        // file this loop passes thousands of such lines.
        if is_key && !collecting && col > 0 && line.as_bytes().get(..col).is_some_and(all_spaces) {
            continue;
        }
        let line = line.trim_end_matches('\r');
        // A line's first token sits at its indentation, so deeper lines cannot hold the node
        // or a sibling: skip them unread (most of a large file above the cursor).
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent > col {
            continue;
        }
        if line.starts_with("---") || line.starts_with("...") {
            break;
        }
        let toks = tokens(line);
        let Some((first_col, first)) = toks.first() else { continue };
        if *first_col > col {
            continue;
        }
        // Pick the token that holds the node.
        let parent_idx = if *first_col == col {
            match (is_key, first) {
                (true, Tok::Key(name, _)) => {
                    if collecting {
                        siblings.push(name.clone());
                    }
                    continue;
                }
                // `key:` then `- item` at the same column: an indentless sequence.
                (false, Tok::Key(_, false)) => 0,
                _ => continue,
            }
        } else {
            if is_key
                && collecting
                && let Some((_, Tok::Key(name, _))) = toks.iter().find(|(c, _)| *c == col)
            {
                siblings.push(name.clone());
            }
            let holds = |c: usize, t: &Tok| {
                c < col || (!is_key && c == col && matches!(t, Tok::Key(_, false)))
            };
            match toks.iter().rposition(|(c, t)| holds(*c, t)) {
                Some(i) => i,
                None => continue,
            }
        };
        for (_, tok) in toks[..=parent_idx].iter().rev() {
            segs.push(match tok {
                Tok::Dash => "[]".to_string(),
                Tok::Key(name, _) => name.clone(),
            });
        }
        collecting = false;
        col = *first_col;
        is_key = matches!(first, Tok::Key(..));
        if col == 0 && is_key {
            break;
        }
    }
    segs
}

fn all_spaces(b: &[u8]) -> bool {
    b.iter().all(|&b| b == b' ')
}

/// `text.lines().rev()`, faster: the generic reverse split cost more per line than the
/// reading of the line (thousands of them above a cursor in a large file); `memchr` finds the
/// line breaks a vector at a time.
fn lines_rev(text: &str) -> impl Iterator<Item = &str> {
    let body = text.strip_suffix('\n').unwrap_or(text);
    let mut end = Some(body.len()).filter(|_| !text.is_empty());
    let mut breaks = memchr::memrchr_iter(b'\n', body.as_bytes());
    std::iter::from_fn(move || {
        let e = end?;
        let start = match breaks.next() {
            Some(i) => {
                end = Some(i);
                i + 1
            }
            None => {
                end = None;
                0
            }
        };
        let line = &body[start..e];
        Some(line.strip_suffix('\r').unwrap_or(line))
    })
}

/// Keys at `col` below the cursor line, until the mapping ends.
fn siblings_below(text: &str, col: usize, siblings: &mut Vec<String>) {
    for line in text.lines().take(10_000) {
        let line = line.trim_end_matches('\r');
        let toks = tokens(line);
        let Some((first_col, first)) = toks.first() else { continue };
        if *first_col < col || (*first_col == col && matches!(first, Tok::Dash) && col == 0) {
            break;
        }
        if *first_col == col
            && let Tok::Key(name, _) = first
        {
            siblings.push(name.clone());
        }
    }
}

#[cfg(test)]
mod entry_tree_tests;
#[cfg(test)]
mod project_tests;
#[cfg(test)]
mod tests;

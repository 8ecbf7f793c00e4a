//! Analysis results → LSP structs (and LSP positions → byte offsets), at the edge only.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use tower_lsp_server::ls_types as lsp;

use super::position::{self, Encoding, LineCol};
use crate::diagnostics::{Diagnostic, Severity, Tag};
use crate::ide;
use crate::workspace::Document;

pub fn offset(doc: &Document, enc: Encoding, pos: lsp::Position) -> usize {
    position::to_offset(&doc.rope, enc, LineCol { line: pos.line, col: pos.character })
}

pub fn byte_range(doc: &Document, enc: Encoding, r: lsp::Range) -> Range<usize> {
    position::to_range(
        &doc.rope,
        enc,
        LineCol { line: r.start.line, col: r.start.character },
        LineCol { line: r.end.line, col: r.end.character },
    )
}

pub fn pos(doc: &Document, enc: Encoding, offset: usize) -> lsp::Position {
    let lc = position::to_line_col(&doc.rope, enc, offset);
    lsp::Position { line: lc.line, character: lc.col }
}

pub fn range(doc: &Document, enc: Encoding, r: &Range<usize>) -> lsp::Range {
    lsp::Range { start: pos(doc, enc, r.start), end: pos(doc, enc, r.end) }
}

fn lsp_position(lc: LineCol) -> lsp::Position {
    lsp::Position { line: lc.line, character: lc.col }
}

/// Many ranges of one document, converted in one pass over its text (see
/// [`position::line_cols`]).
pub fn ranges(doc: &Document, enc: Encoding, rs: &[Range<usize>]) -> Vec<lsp::Range> {
    let offsets: Vec<usize> = rs.iter().flat_map(|r| [r.start, r.end]).collect();
    let lcs = position::line_cols(&doc.text, enc, &offsets);
    let range = |p: &[LineCol]| lsp::Range { start: lsp_position(p[0]), end: lsp_position(p[1]) };
    lcs.chunks_exact(2).map(range).collect()
}

pub fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

/// Resolves a path to its document (for ranges) and URI; files unknown to the snapshot are
/// skipped by callers.
pub trait Resolver: Sync {
    fn doc(&self, path: &Path) -> Option<&Document>;
    fn uri(&self, path: &Path) -> Option<lsp::Uri>;
}

/// The parsed docs link of a rule, parsed once per code (hundreds of diagnostics share a few).
fn rule_link(code: &'static str) -> Option<lsp::Uri> {
    static LINKS: std::sync::OnceLock<std::sync::RwLock<HashMap<&'static str, Option<lsp::Uri>>>> =
        std::sync::OnceLock::new();
    let links = LINKS.get_or_init(Default::default);
    if let Some(link) = links.read().unwrap_or_else(|e| e.into_inner()).get(code) {
        return link.clone();
    }
    let link: Option<lsp::Uri> = crate::diagnostics::rule_url(code).parse().ok();
    links.write().unwrap_or_else(|e| e.into_inner()).insert(code, link.clone());
    link
}

pub fn diagnostic(
    doc: &Document,
    enc: Encoding,
    d: &Diagnostic,
    res: &dyn Resolver,
) -> lsp::Diagnostic {
    diagnostic_in(&|o| pos(doc, enc, o), enc, d, res)
}

/// A document's findings in LSP terms, with one line index for all their positions.
pub fn diagnostics(
    doc: &Document,
    enc: Encoding,
    ds: &[Diagnostic],
    res: &dyn Resolver,
) -> Vec<lsp::Diagnostic> {
    let lcs = range_positions(doc, enc, ds);
    ds.iter()
        .zip(lcs.chunks_exact(2))
        .map(|(d, lc)| {
            let at = |offset| {
                let lc = if offset == d.range.start { lc[0] } else { lc[1] };
                lsp::Position { line: lc.line, character: lc.col }
            };
            diagnostic_in(&at, enc, d, res)
        })
        .collect()
}

fn diagnostic_in(
    at: &dyn Fn(usize) -> lsp::Position,
    enc: Encoding,
    d: &Diagnostic,
    res: &dyn Resolver,
) -> lsp::Diagnostic {
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            let other = res.doc(&r.location.path)?;
            Some(lsp::DiagnosticRelatedInformation {
                location: lsp::Location {
                    uri: res.uri(&r.location.path)?,
                    range: range(other, enc, &r.location.range),
                },
                message: r.message.clone(),
            })
        })
        .collect();
    let tags: Vec<lsp::DiagnosticTag> = d
        .tags
        .iter()
        .map(|t| match t {
            Tag::Unnecessary => lsp::DiagnosticTag::UNNECESSARY,
            Tag::Deprecated => lsp::DiagnosticTag::DEPRECATED,
        })
        .collect();
    lsp::Diagnostic {
        range: lsp::Range { start: at(d.range.start), end: at(d.range.end) },
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        code_description: rule_link(d.code).map(|href| lsp::CodeDescription { href }),
        source: Some("berth".to_string()),
        message: d.message.clone(),
        related_information: if related.is_empty() { None } else { Some(related) },
        tags: if tags.is_empty() { None } else { Some(tags) },
        data: None,
    }
}

/// The same as [`diagnostics`], written straight as the JSON array the client receives. A
/// report of hundreds of findings goes out on every keystroke; building `lsp::Diagnostic`s and
/// serialising them spent ~8 k instructions a finding on key escaping, URI printing and
/// allocation. Here the fixed parts of a finding are written once per rule and reused.
pub fn diagnostics_json(
    doc: &Document,
    enc: Encoding,
    ds: &[Diagnostic],
    res: &dyn Resolver,
) -> Vec<u8> {
    let lcs = range_positions(doc, enc, ds);
    let mut out;
    if ds.len() < SPLIT_FROM {
        out = Vec::with_capacity(2 + report_size(ds));
        out.push(b'[');
        write_items(&mut out, ds, &lcs, enc, res);
    } else {
        // A report this long is written in two halves, one per core.
        let mid = ds.len() / 2;
        let (mut first, second) = rayon::join(
            || {
                let mut first = Vec::with_capacity(3 + report_size(ds));
                first.push(b'[');
                write_items(&mut first, &ds[..mid], &lcs[..2 * mid], enc, res);
                first
            },
            || {
                let mut second = Vec::with_capacity(report_size(&ds[mid..]));
                write_items(&mut second, &ds[mid..], &lcs[2 * mid..], enc, res);
                second
            },
        );
        first.push(b',');
        first.extend_from_slice(&second);
        out = first;
    }
    out.push(b']');
    out
}

/// Reports with fewer findings are written on one thread.
const SPLIT_FROM: usize = 128;

/// A generous size for the items of `ds`: the buffer is rebuilt on every keystroke, and
/// growing one of hundreds of kilobytes copies it and faults in fresh pages each time.
fn report_size(ds: &[Diagnostic]) -> usize {
    ds.iter().map(|d| 300 + d.message.len()).sum()
}

/// The JSON objects of `ds` (positions in `lcs`, two per finding), comma-separated.
fn write_items(
    out: &mut Vec<u8>,
    ds: &[Diagnostic],
    lcs: &[LineCol],
    enc: Encoding,
    res: &dyn Resolver,
) {
    // The few rules of a report, looked up once each rather than once per finding.
    let mut fields: Vec<(&'static str, std::sync::Arc<[u8]>)> = Vec::new();
    for (i, (d, lc)) in ds.iter().zip(lcs.chunks_exact(2)).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let (s, e) = (lc[0], lc[1]);
        let mut num = itoa::Buffer::new();
        let mut field = |name: &[u8], n: u32| {
            out.extend_from_slice(name);
            out.extend_from_slice(num.format(n).as_bytes());
        };
        field(br#"{"range":{"start":{"line":"#, s.line);
        field(br#","character":"#, s.col);
        field(br#"},"end":{"line":"#, e.line);
        field(br#","character":"#, e.col);
        field(br#"}},"severity":"#, u32::from(severity_number(d.severity)));
        match fields.iter().find(|(c, _)| std::ptr::eq(*c, d.code)) {
            Some((_, f)) => out.extend_from_slice(f),
            None => {
                let f = rule_fields(d.code);
                out.extend_from_slice(&f);
                fields.push((d.code, f));
            }
        }
        let _ = serde_json::to_writer(&mut *out, &d.message);
        if !d.related.is_empty() || !d.tags.is_empty() {
            // Rare: these go through the LSP types.
            let full = diagnostic_in(&|_| lsp::Position::default(), enc, d, res);
            if let Some(related) = full.related_information.filter(|r| !r.is_empty()) {
                out.extend_from_slice(b",\"relatedInformation\":");
                let _ = serde_json::to_writer(&mut *out, &related);
            }
            if let Some(tags) = full.tags.filter(|t| !t.is_empty()) {
                out.extend_from_slice(b",\"tags\":");
                let _ = serde_json::to_writer(&mut *out, &tags);
            }
        }
        out.push(b'}');
    }
}

/// Start and end positions of each finding's range, in one pass over the text.
fn range_positions(doc: &Document, enc: Encoding, ds: &[Diagnostic]) -> Vec<LineCol> {
    let offsets: Vec<usize> = ds.iter().flat_map(|d| [d.range.start, d.range.end]).collect();
    position::line_cols(&doc.text, enc, &offsets)
}

fn severity_number(s: Severity) -> u8 {
    match s {
        Severity::Error => 1,
        Severity::Warning => 2,
        Severity::Info => 3,
        Severity::Hint => 4,
    }
}

/// `,"code":…,"codeDescription":…,"source":"berth","message":` for a rule, built once.
fn rule_fields(code: &'static str) -> std::sync::Arc<[u8]> {
    type Fields = HashMap<&'static str, std::sync::Arc<[u8]>>;
    static FIELDS: std::sync::OnceLock<std::sync::RwLock<Fields>> = std::sync::OnceLock::new();
    let fields = FIELDS.get_or_init(Default::default);
    if let Some(f) = fields.read().unwrap_or_else(|e| e.into_inner()).get(code) {
        return f.clone();
    }
    let mut f = b",\"code\":".to_vec();
    let _ = serde_json::to_writer(&mut f, code);
    if let Some(href) = rule_link(code) {
        f.extend_from_slice(b",\"codeDescription\":{\"href\":");
        let _ = serde_json::to_writer(&mut f, href.as_str());
        f.push(b'}');
    }
    f.extend_from_slice(b",\"source\":\"berth\",\"message\":");
    let f: std::sync::Arc<[u8]> = f.into();
    fields.write().unwrap_or_else(|e| e.into_inner()).insert(code, f.clone());
    f
}

pub fn completion_kind(k: ide::CompletionKind) -> lsp::CompletionItemKind {
    use ide::CompletionKind as K;
    match k {
        K::Keyword => lsp::CompletionItemKind::KEYWORD,
        K::Property => lsp::CompletionItemKind::PROPERTY,
        K::Value => lsp::CompletionItemKind::VALUE,
        K::Variable => lsp::CompletionItemKind::VARIABLE,
        K::Reference => lsp::CompletionItemKind::REFERENCE,
        K::File => lsp::CompletionItemKind::FILE,
        K::Snippet => lsp::CompletionItemKind::SNIPPET,
        K::Module => lsp::CompletionItemKind::MODULE,
        K::EnumMember => lsp::CompletionItemKind::ENUM_MEMBER,
        K::Constant => lsp::CompletionItemKind::CONSTANT,
    }
}

/// Strip snippet syntax for clients that cannot expand snippets: `${1:x}` → `x`, `$1`/`$0` → ``.
pub fn plain_from_snippet(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '$' if chars.peek() == Some(&'{') => {
                chars.next();
                while chars.peek().is_some_and(|c| c.is_ascii_digit()) {
                    chars.next();
                }
                if chars.peek() == Some(&':') {
                    chars.next();
                }
                let mut depth = 1;
                for c in chars.by_ref() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    out.push(c);
                }
            }
            '$' if chars.peek().is_some_and(|c| c.is_ascii_digit()) => {
                while chars.peek().is_some_and(|c| c.is_ascii_digit()) {
                    chars.next();
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Converts one analysis list to LSP items. Items of one list mostly share their replace
/// range, so it is converted to a position once, not per item.
pub fn completions(
    doc: &Document,
    enc: Encoding,
    items: Vec<ide::CompletionItem>,
    snippets: bool,
) -> Vec<lsp::CompletionItem> {
    let mut last: Option<(Range<usize>, lsp::Range)> = None;
    items
        .into_iter()
        .map(|c| {
            let r = match &last {
                Some((bytes, r)) if *bytes == c.replace => *r,
                _ => {
                    let r = range(doc, enc, &c.replace);
                    last = Some((c.replace.clone(), r));
                    r
                }
            };
            completion(c, r, snippets)
        })
        .collect()
}

fn completion(c: ide::CompletionItem, range: lsp::Range, snippets: bool) -> lsp::CompletionItem {
    let text = c.insert_text.unwrap_or_else(|| c.label.clone());
    let (new_text, format) = if c.snippet && snippets {
        (text, lsp::InsertTextFormat::SNIPPET)
    } else if c.snippet {
        (plain_from_snippet(&text), lsp::InsertTextFormat::PLAIN_TEXT)
    } else {
        (text, lsp::InsertTextFormat::PLAIN_TEXT)
    };
    lsp::CompletionItem {
        label: c.label,
        kind: Some(completion_kind(c.kind)),
        detail: c.detail,
        documentation: c.documentation.map(markdown),
        deprecated: if c.deprecated { Some(true) } else { None },
        tags: if c.deprecated { Some(vec![lsp::CompletionItemTag::DEPRECATED]) } else { None },
        sort_text: c.sort_text,
        filter_text: c.filter_text,
        insert_text_format: Some(format),
        // Multi-line items carry their own indentation (see `compose::complete::key_snippet`).
        insert_text_mode: new_text.contains('\n').then_some(lsp::InsertTextMode::AS_IS),
        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit { range, new_text })),
        ..Default::default()
    }
}

fn markdown(value: String) -> lsp::Documentation {
    lsp::Documentation::MarkupContent(lsp::MarkupContent { kind: lsp::MarkupKind::Markdown, value })
}

/// Documentation held back from the latest completion list until the client resolves an item
/// (`completionItem/resolve`), for clients that declare they can: a compose service's key list
/// carries kilobytes of markdown the editor shows for one item at a time.
#[derive(Default)]
pub struct HeldDocs {
    next: AtomicU64,
    /// The list's number and each item's documentation, by index.
    latest: Mutex<(u64, Vec<Option<String>>)>,
}

/// The `data` of an item whose documentation is held: `{"berth": list, "i": index}`.
const LIST_KEY: &str = "berth";

impl HeldDocs {
    /// Moves the items' documentation here; each item's `data` says where to find it.
    pub fn hold(&self, items: &mut [lsp::CompletionItem]) {
        let list = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let mut docs = Vec::with_capacity(items.len());
        for (i, item) in items.iter_mut().enumerate() {
            let doc = match item.documentation.take() {
                Some(lsp::Documentation::MarkupContent(m)) => Some(m.value),
                Some(other) => {
                    item.documentation = Some(other); // not held: only markdown is made here
                    None
                }
                None => None,
            };
            if doc.is_some() {
                item.data = Some(serde_json::json!({ LIST_KEY: list, "i": i }));
            }
            docs.push(doc);
        }
        let mut latest = crate::util::lock(&self.latest);
        // Of two lists computed at once, keep the newer.
        if latest.0 < list {
            *latest = (list, docs);
        }
    }

    /// Fills in the documentation of an item of the latest list; other items come back as
    /// they are (a stale item's documentation is gone, which the client survives).
    pub fn resolve(&self, mut item: lsp::CompletionItem) -> lsp::CompletionItem {
        let at = item.data.as_ref().and_then(|d| {
            Some((d.get(LIST_KEY)?.as_u64()?, usize::try_from(d.get("i")?.as_u64()?).ok()?))
        });
        if let Some((list, i)) = at {
            let latest = crate::util::lock(&self.latest);
            if latest.0 == list
                && let Some(Some(doc)) = latest.1.get(i)
            {
                item.documentation = Some(markdown(doc.clone()));
                item.data = None;
            }
        }
        item
    }
}

/// Parameter offsets in a signature label count in the negotiated encoding, like positions.
pub fn signature_help(h: &ide::SignatureHelp, enc: Encoding) -> lsp::SignatureHelp {
    let units = |s: &str| -> u32 {
        match enc {
            Encoding::Utf8 => s.len() as u32,
            Encoding::Utf16 => s.encode_utf16().count() as u32,
            Encoding::Utf32 => s.chars().count() as u32,
        }
    };
    let signatures = h
        .signatures
        .iter()
        .map(|s| lsp::SignatureInformation {
            label: s.label.clone(),
            documentation: s.documentation.clone().map(markdown),
            parameters: Some(
                s.parameters
                    .iter()
                    .filter(|r| s.label.get((*r).clone()).is_some())
                    .map(|r| lsp::ParameterInformation {
                        label: lsp::ParameterLabel::LabelOffsets([
                            units(&s.label[..r.start]),
                            units(&s.label[..r.end]),
                        ]),
                        documentation: None,
                    })
                    .collect(),
            ),
            active_parameter: None,
        })
        .collect();
    lsp::SignatureHelp {
        signatures,
        active_signature: Some(h.active_signature as u32),
        active_parameter: h.active_parameter.map(|p| p as u32),
    }
}

pub fn symbol_kind(k: ide::SymbolKind) -> lsp::SymbolKind {
    use ide::SymbolKind as K;
    match k {
        K::File => lsp::SymbolKind::FILE,
        K::Module => lsp::SymbolKind::MODULE,
        K::Namespace => lsp::SymbolKind::NAMESPACE,
        K::Class => lsp::SymbolKind::CLASS,
        K::Function => lsp::SymbolKind::FUNCTION,
        K::Variable => lsp::SymbolKind::VARIABLE,
        K::Constant => lsp::SymbolKind::CONSTANT,
        K::Key => lsp::SymbolKind::KEY,
        K::Property => lsp::SymbolKind::PROPERTY,
        K::Field => lsp::SymbolKind::FIELD,
        K::Event => lsp::SymbolKind::EVENT,
        K::Object => lsp::SymbolKind::OBJECT,
        K::Array => lsp::SymbolKind::ARRAY,
        K::String => lsp::SymbolKind::STRING,
    }
}

/// One symbol and its children.
pub fn symbol(doc: &Document, enc: Encoding, s: &ide::Symbol) -> lsp::DocumentSymbol {
    let mut one = symbols(doc, enc, std::slice::from_ref(s));
    one.pop().expect("one symbol in, one out")
}

/// Document symbols, nested, with all their positions converted in one pass over the text. A
/// 500-service compose file has thousands of symbols, and a rope walk per position cost more
/// than building them.
pub fn symbols(doc: &Document, enc: Encoding, syms: &[ide::Symbol]) -> Vec<lsp::DocumentSymbol> {
    fn offsets(syms: &[ide::Symbol], out: &mut Vec<usize>) {
        for s in syms {
            out.extend([s.range.start, s.range.end, s.selection.start, s.selection.end]);
            offsets(&s.children, out);
        }
    }
    #[allow(deprecated)] // `deprecated` is a required field of DocumentSymbol.
    fn build(
        syms: &[ide::Symbol],
        at: &mut impl Iterator<Item = LineCol>,
    ) -> Vec<lsp::DocumentSymbol> {
        // One position per offset collected, in the same order: never short.
        fn range(at: &mut impl Iterator<Item = LineCol>) -> lsp::Range {
            let mut next = || lsp_position(at.next().unwrap_or(LineCol { line: 0, col: 0 }));
            lsp::Range { start: next(), end: next() }
        }
        syms.iter()
            .map(|s| {
                let full = range(at);
                let mut sel = range(at);
                // LSP requires the selection inside the full range.
                if sel.start < full.start || sel.end > full.end {
                    sel = full;
                }
                lsp::DocumentSymbol {
                    name: if s.name.is_empty() { "?".to_string() } else { s.name.clone() },
                    detail: s.detail.clone(),
                    kind: symbol_kind(s.kind),
                    tags: None,
                    deprecated: None,
                    range: full,
                    selection_range: sel,
                    children: (!s.children.is_empty()).then(|| build(&s.children, at)),
                }
            })
            .collect()
    }
    let mut all = Vec::new();
    offsets(syms, &mut all);
    build(syms, &mut position::line_cols(&doc.text, enc, &all).into_iter())
}

/// Every folding range of a document, with the lines found in one pass over the text.
pub fn folds(doc: &Document, folds: &[ide::Fold]) -> Vec<lsp::FoldingRange> {
    let offsets: Vec<usize> = folds.iter().flat_map(|f| [f.range.start, f.range.end]).collect();
    let lines = position::line_cols(&doc.text, Encoding::Utf8, &offsets);
    folds
        .iter()
        .zip(lines.chunks_exact(2))
        .filter_map(|(f, lc)| fold_lines(f, lc[0].line, lc[1].line))
        .collect()
}

fn fold_lines(f: &ide::Fold, start: u32, end: u32) -> Option<lsp::FoldingRange> {
    if end <= start {
        return None;
    }
    Some(lsp::FoldingRange {
        start_line: start,
        end_line: end,
        kind: Some(match f.kind {
            ide::FoldKind::Comment => lsp::FoldingRangeKind::Comment,
            ide::FoldKind::Region => lsp::FoldingRangeKind::Region,
        }),
        ..Default::default()
    })
}

pub const TOKEN_TYPES: &[lsp::SemanticTokenType] = &[
    lsp::SemanticTokenType::KEYWORD,
    lsp::SemanticTokenType::VARIABLE,
    lsp::SemanticTokenType::PARAMETER,
    lsp::SemanticTokenType::PROPERTY,
    lsp::SemanticTokenType::STRING,
    lsp::SemanticTokenType::NUMBER,
    lsp::SemanticTokenType::COMMENT,
    lsp::SemanticTokenType::OPERATOR,
    lsp::SemanticTokenType::NAMESPACE,
    lsp::SemanticTokenType::TYPE,
    lsp::SemanticTokenType::FUNCTION,
    lsp::SemanticTokenType::MACRO,
];
pub const TOKEN_MODIFIERS: &[lsp::SemanticTokenModifier] = &[lsp::SemanticTokenModifier::READONLY];

fn token_index(t: ide::TokenType) -> u32 {
    use ide::TokenType as T;
    match t {
        T::Keyword => 0,
        T::Variable => 1,
        T::Parameter => 2,
        T::Property => 3,
        T::String => 4,
        T::Number => 5,
        T::Comment => 6,
        T::Operator => 7,
        T::Namespace => 8,
        T::Type => 9,
        T::Function => 10,
        T::Macro => 11,
    }
}

/// Encode tokens relative to each other, splitting multi-line tokens per line (not every client
/// supports multiline tokens).
pub fn semantic_tokens(
    doc: &Document,
    enc: Encoding,
    tokens: &[ide::SemanticToken],
) -> Vec<lsp::SemanticToken> {
    let mut sorted: Vec<&ide::SemanticToken> = tokens.iter().collect();
    sorted.sort_by_key(|t| t.range.start);
    let mut out = Vec::with_capacity(sorted.len());
    let (mut prev_line, mut prev_col) = (0u32, 0u32);
    let mut last_end = 0usize;
    // One forward walk over the lines: a token per word of a long Dockerfile, and a rope walk
    // for each of its positions cost milliseconds.
    let text = doc.text.as_str();
    let mut lines = position::Lines::new(text);
    for t in sorted {
        if t.range.start < last_end || t.range.is_empty() {
            continue; // overlapping tokens are not allowed
        }
        last_end = t.range.end;
        let end = t.range.end.min(text.len());
        lines.seek(t.range.start);
        // A token over several lines is sent as one piece per line.
        loop {
            let s = t.range.start.max(lines.start);
            let e = end.min(lines.end);
            if e > s && text.is_char_boundary(s) && text.is_char_boundary(e) {
                let col = enc.width(&text[lines.start..s]);
                let delta_line = lines.line - prev_line;
                out.push(lsp::SemanticToken {
                    delta_line,
                    delta_start: if delta_line == 0 { col - prev_col } else { col },
                    length: enc.width(&text[s..e]),
                    token_type: token_index(t.kind),
                    token_modifiers_bitset: u32::from(t.readonly),
                });
                prev_line = lines.line;
                prev_col = col;
            }
            if end <= lines.end || !lines.advance() || lines.start >= end {
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The conversion as it was, a rope walk per position: the reference for the forward walk.
    fn semantic_tokens_by_rope(
        doc: &Document,
        enc: Encoding,
        tokens: &[ide::SemanticToken],
    ) -> Vec<lsp::SemanticToken> {
        let mut sorted: Vec<&ide::SemanticToken> = tokens.iter().collect();
        sorted.sort_by_key(|t| t.range.start);
        let mut out = Vec::with_capacity(sorted.len());
        let (mut prev_line, mut prev_col) = (0u32, 0u32);
        let mut last_end = 0usize;
        for t in sorted {
            if t.range.start < last_end || t.range.is_empty() {
                continue; // overlapping tokens are not allowed
            }
            last_end = t.range.end;
            let first = doc.line_of(t.range.start);
            let last = doc.line_of(t.range.end);
            for line in first..=last {
                let lr = doc.line_range(line);
                let s = t.range.start.max(lr.start);
                let e = t.range.end.min(lr.end);
                if e <= s {
                    continue;
                }
                let start = pos(doc, enc, s);
                let end = pos(doc, enc, e);
                let delta_line = start.line - prev_line;
                let delta_start =
                    if delta_line == 0 { start.character - prev_col } else { start.character };
                out.push(lsp::SemanticToken {
                    delta_line,
                    delta_start,
                    length: end.character - start.character,
                    token_type: token_index(t.kind),
                    token_modifiers_bitset: u32::from(t.readonly),
                });
                prev_line = start.line;
                prev_col = start.character;
            }
        }
        out
    }

    struct FixtureResolver<'a>(&'a crate::workspace::Snapshot);

    impl Resolver for FixtureResolver<'_> {
        fn doc(&self, path: &Path) -> Option<&Document> {
            self.0.get(path).map(|d| &**d)
        }
        fn uri(&self, path: &Path) -> Option<lsp::Uri> {
            super::super::store::uri_of(path)
        }
    }

    proptest::proptest! {
        /// The forward walk gives the tokens the rope walk gave, on texts with every kind of
        /// line break and multi-unit characters, and tokens that overlap, span lines, or end
        /// past the text.
        #[test]
        fn semantic_tokens_agree_with_the_rope(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "bc", "\n", "\r", "\r\n", "é", "世", "😀", "  ", "RUN x\n",
                ]),
                0..60,
            ),
            spans in proptest::collection::vec((0usize..200, 0usize..40, proptest::bool::ANY), 0..30),
        ) {
            let text: String = parts.concat();
            let doc = Document::new(
                std::sync::Arc::from(Path::new("/Dockerfile")),
                crate::workspace::FileKind::Dockerfile,
                None,
                &text,
            );
            let boundary = |mut o: usize| {
                o = o.min(text.len() + 3);
                while o <= text.len() && !text.is_char_boundary(o) {
                    o += 1;
                }
                o
            };
            let tokens: Vec<ide::SemanticToken> = spans
                .iter()
                .map(|&(start, len, readonly)| ide::SemanticToken {
                    range: boundary(start)..boundary(start + len).max(boundary(start)),
                    kind: ide::TokenType::Keyword,
                    readonly,
                })
                .collect();
            for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                proptest::prop_assert_eq!(
                    semantic_tokens(&doc, enc, &tokens),
                    semantic_tokens_by_rope(&doc, enc, &tokens)
                );
            }
        }
    }

    #[test]
    fn the_direct_report_is_the_lsp_types_serialised() {
        // Related information, tags, non-ASCII text and CRLF lines, in every encoding.
        let f = crate::testing::fixture(
            "#- /Dockerfile\r\nFROM alpine AS é\r\nCMD [\"a\"]\r\nCMD [\"b\"]\r\n\
             FROM alpine AS é\r\nRUN echo \"😀\" $UNDEFINED_VAR\r\n",
        );
        let doc = f.doc("/Dockerfile");
        let ds = crate::analysis::diagnostics(&f.snapshot, doc);
        assert!(ds.iter().any(|d| !d.related.is_empty()) && ds.iter().any(|d| !d.tags.is_empty()));
        let res = FixtureResolver(&f.snapshot);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let direct: serde_json::Value =
                serde_json::from_slice(&diagnostics_json(doc, enc, &ds, &res)).unwrap();
            let typed = serde_json::to_value(diagnostics(doc, enc, &ds, &res)).unwrap();
            assert_eq!(direct, typed, "{enc:?}");
        }
    }

    #[test]
    fn a_long_report_written_in_halves_is_the_lsp_types_serialised() {
        // More findings than `SPLIT_FROM`, some with tags and related information.
        let mut text = String::from("#- /Dockerfile\n");
        for i in 0..SPLIT_FROM {
            text.push_str(&format!(
                "FROM alpine AS s{i}\nCMD [\"é\"]\nCMD [\"b\"]\nFROM alpine AS s{i}\n"
            ));
        }
        let f = crate::testing::fixture(&text);
        let doc = f.doc("/Dockerfile");
        let ds = crate::analysis::diagnostics(&f.snapshot, doc);
        assert!(ds.len() > SPLIT_FROM && ds.iter().any(|d| !d.related.is_empty()));
        let res = FixtureResolver(&f.snapshot);
        let direct: serde_json::Value =
            serde_json::from_slice(&diagnostics_json(doc, Encoding::Utf16, &ds, &res)).unwrap();
        let typed = serde_json::to_value(diagnostics(doc, Encoding::Utf16, &ds, &res)).unwrap();
        assert_eq!(direct, typed);
    }

    #[test]
    fn snippets_degrade_to_plain_text() {
        assert_eq!(plain_from_snippet("FROM ${1:image}:${2:tag}$0"), "FROM image:tag");
        assert_eq!(plain_from_snippet("key:\n  - $1"), "key:\n  - ");
        assert_eq!(plain_from_snippet("a \\$ b"), "a $ b");
    }
}

//! `.env` files: a hand-written parser with exact ranges (`parse.rs`), the per-file rules
//! (`rules.rs`), outline, folds and semantic tokens. Which variables a `.env` provides to which
//! service is the env layer's business (`src/env/`); this module exposes the entries.

pub mod parse;
mod rules;

use std::collections::HashMap;
use std::sync::Arc;

use crate::ide::{Fold, FoldKind, SemanticToken, Symbol, SymbolKind, TokenType};
use crate::workspace::Document;

pub use parse::{Entry, ParseError, Quote, Reference};
pub use rules::{RULES, diagnostics};

#[derive(Debug, Default)]
pub struct DotenvModel {
    /// In file order; a key may appear more than once (the last one wins).
    pub entries: Vec<Entry>,
    /// Comment ranges (`#` included) and whether each stands on its own line.
    pub comments: Vec<(std::ops::Range<usize>, bool)>,
    pub errors: Vec<ParseError>,
    by_key: HashMap<String, Vec<usize>>,
}

impl DotenvModel {
    pub fn build(doc: &Document) -> DotenvModel {
        DotenvModel::from_text(&doc.text)
    }

    pub fn from_text(text: &str) -> DotenvModel {
        let parse::Parsed { entries, comments, errors } = parse::parse(text);
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            by_key.entry(e.key.clone()).or_default().push(i);
        }
        DotenvModel { entries, comments, errors, by_key }
    }

    /// The effective entry for a key: the last definition, as Compose and python-dotenv use.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.by_key.get(key).and_then(|v| v.last()).map(|&i| &self.entries[i])
    }

    /// Every definition of a key, in file order.
    pub fn all<'a>(&'a self, key: &str) -> impl Iterator<Item = &'a Entry> + 'a {
        self.by_key.get(key).into_iter().flatten().map(|&i| &self.entries[i])
    }

    /// The entry whose key, value or reference covers `offset` (end inclusive, for cursors).
    pub fn entry_at(&self, offset: usize) -> Option<&Entry> {
        self.entries.iter().find(|e| e.range.start <= offset && offset <= e.range.end)
    }
}

pub fn model(doc: &Document) -> Arc<DotenvModel> {
    doc.model(DotenvModel::build)
}

/// One symbol per entry, the value as detail.
pub fn symbols(doc: &Document) -> Vec<Symbol> {
    model(doc)
        .entries
        .iter()
        .map(|e| {
            let mut detail: String = e.value.chars().take(60).collect();
            if detail.len() < e.value.len() {
                detail.push('…');
            }
            Symbol {
                name: e.key.clone(),
                detail: Some(detail.replace(['\n', '\r'], " ")),
                kind: SymbolKind::Variable,
                range: e.range.clone(),
                selection: e.key_range.clone(),
                children: Vec::new(),
            }
        })
        .collect()
}

/// Blocks of two or more consecutive full-line comments, and multi-line quoted values.
pub fn folds(doc: &Document) -> Vec<Fold> {
    let m = model(doc);
    let mut out = Vec::new();
    let mut block: Option<(std::ops::Range<usize>, usize, usize)> = None; // range, first line, last line
    for (r, full) in m.comments.iter().filter(|(_, full)| *full) {
        let _ = full;
        let line = doc.line_of(r.start);
        match &mut block {
            Some((range, _, last)) if *last + 1 == line => {
                range.end = r.end;
                *last = line;
            }
            _ => {
                if let Some((range, first, last)) = block.take()
                    && last > first
                {
                    out.push(Fold { range, kind: FoldKind::Comment });
                }
                block = Some((r.clone(), line, line));
            }
        }
    }
    if let Some((range, first, last)) = block
        && last > first
    {
        out.push(Fold { range, kind: FoldKind::Comment });
    }
    for e in &m.entries {
        if doc.line_of(e.raw_value_range.end) > e.line {
            out.push(Fold { range: e.range.clone(), kind: FoldKind::Region });
        }
    }
    out.sort_by_key(|f| f.range.start);
    out
}

/// `export` keyword, keys, `=`, values (split around references), references, comments.
pub fn semantic_tokens(doc: &Document) -> Vec<SemanticToken> {
    let m = model(doc);
    let mut out = Vec::new();
    let tok = |range, kind| SemanticToken { range, kind, readonly: false };
    for e in &m.entries {
        if let Some(x) = &e.export {
            out.push(tok(x.clone(), TokenType::Keyword));
        }
        out.push(tok(e.key_range.clone(), TokenType::Variable));
        if let Some(eq) = &e.equals {
            out.push(tok(eq.clone(), TokenType::Operator));
        }
        // Top-level references only: nested ones sit inside an outer reference's range.
        let mut at = e.raw_value_range.start;
        for r in &e.references {
            if r.range.start < at {
                continue;
            }
            if r.range.start > at {
                out.push(tok(at..r.range.start, TokenType::String));
            }
            out.push(tok(r.range.clone(), TokenType::Parameter));
            at = r.range.end;
        }
        if at < e.raw_value_range.end {
            out.push(tok(at..e.raw_value_range.end, TokenType::String));
        }
    }
    out.extend(m.comments.iter().map(|(r, _)| tok(r.clone(), TokenType::Comment)));
    out.sort_by_key(|t| t.range.start);
    // Multi-line tokens are split by the LSP layer if the client cannot take them.
    out
}

#[cfg(test)]
mod tests;

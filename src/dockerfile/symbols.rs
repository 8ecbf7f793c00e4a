//! Document symbols (stages with their instructions, global ARGs), folding ranges and links
//! (images to their Docker Hub page, COPY/ADD sources to the file in the build context).

use crate::ide::{Fold, FoldKind, Link, Symbol, SymbolKind};
use crate::workspace::{Document, Snapshot};

use super::image::hub_url;
use super::model::Instruction;
use super::rules::context::BuildContext;

fn short(s: &str) -> String {
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &one_line[..i]),
        None => one_line,
    }
}

fn instruction_symbol(i: &Instruction) -> Symbol {
    Symbol {
        name: i.keyword.clone(),
        detail: Some(short(&i.args_text)),
        kind: match i.keyword.as_str() {
            "ARG" | "ENV" => SymbolKind::Variable,
            "LABEL" => SymbolKind::Property,
            _ => SymbolKind::Function,
        },
        range: i.range.clone(),
        selection: i.keyword_range.clone(),
        children: Vec::new(),
    }
}

pub fn symbols(doc: &Document) -> Vec<Symbol> {
    let m = super::model(doc);
    let mut out = Vec::new();
    for g in &m.global_args {
        let Some(r) = &g.range else { continue };
        let inst = g.instruction.map(|i| m.instructions[i].range.clone()).unwrap_or(r.clone());
        out.push(Symbol {
            name: g.name.clone(),
            detail: Some(match &g.value {
                Some(v) => format!("global ARG = {v}"),
                None => "global ARG".into(),
            }),
            kind: SymbolKind::Variable,
            range: inst,
            selection: r.clone(),
            children: Vec::new(),
        });
    }
    for s in &m.stages {
        let from = &m.instructions[s.from];
        let image = s.image.as_ref().map(|i| i.text.clone()).unwrap_or_default();
        out.push(Symbol {
            name: s.name.clone().unwrap_or_else(|| format!("stage {}", s.index)),
            detail: Some(format!("FROM {image}")),
            kind: SymbolKind::Class,
            range: s.range.clone(),
            selection: s
                .name_range
                .clone()
                .or_else(|| s.image.as_ref().map(|i| i.range.clone()))
                .unwrap_or(from.keyword_range.clone()),
            children: s.instructions[1..]
                .iter()
                .map(|&i| instruction_symbol(&m.instructions[i]))
                .collect(),
        });
    }
    out
}

pub fn folds(doc: &Document) -> Vec<Fold> {
    let m = super::model(doc);
    let mut out = Vec::new();
    let multi = |r: &std::ops::Range<usize>| doc.line_of(r.start) < doc.line_of(r.end);
    for s in &m.stages {
        if multi(&s.range) {
            out.push(Fold { range: s.range.clone(), kind: FoldKind::Region });
        }
    }
    for i in &m.instructions {
        if multi(&i.range) {
            out.push(Fold { range: i.range.clone(), kind: FoldKind::Region });
        }
        for h in &i.heredocs {
            let r = h.marker.start..h.end.as_ref().map_or(h.body.end, |e| e.end);
            if multi(&r) && doc.line_of(r.start) != doc.line_of(i.range.start) {
                out.push(Fold { range: r, kind: FoldKind::Region });
            }
        }
    }
    // Blocks of consecutive comment lines.
    let mut block: Option<std::ops::Range<usize>> = None;
    let mut last_line = usize::MAX;
    for c in &m.comments {
        let line = doc.line_of(c.start);
        match block.as_mut() {
            Some(b) if line == last_line + 1 => b.end = c.end,
            _ => {
                if let Some(b) = block.take().filter(|b| multi(b)) {
                    out.push(Fold { range: b, kind: FoldKind::Comment });
                }
                block = Some(c.clone());
            }
        }
        last_line = line;
    }
    if let Some(b) = block.filter(|b| multi(b)) {
        out.push(Fold { range: b, kind: FoldKind::Comment });
    }
    out.sort_by_key(|f| (f.range.start, std::cmp::Reverse(f.range.end)));
    out.dedup();
    out
}

pub fn links(snap: &Snapshot, doc: &Document) -> Vec<Link> {
    let m = super::model(doc);
    let mut out = Vec::new();
    for s in &m.stages {
        let Some(im) = &s.image else { continue };
        if s.base_stage.is_some() {
            continue;
        }
        if let Some(url) = hub_url(&im.name) {
            out.push(Link {
                range: im.range.start..im.range.start + im.name.len().min(im.range.len()),
                target: url,
                tooltip: Some(format!("Open `{}` on Docker Hub", im.name)),
            });
        }
    }
    let ctx = BuildContext::of(snap, &doc.path);
    for i in &m.instructions {
        let srcs = i.context_sources();
        for w in srcs {
            if w.text.contains("://") {
                if i.keyword == "ADD" && w.text.starts_with("http") {
                    out.push(Link {
                        range: w.range.clone(),
                        target: w.text.clone(),
                        tooltip: None,
                    });
                }
                continue;
            }
            let Some(ctx) = &ctx else { continue };
            if w.text.contains(['*', '?', '[', '$']) || w.text == "." {
                continue;
            }
            let p = ctx.resolve(&w.text);
            if ctx.is_file_on_disk(&p) || snap.get(&p).is_some() {
                out.push(Link {
                    range: w.range.clone(),
                    target: p.display().to_string(),
                    tooltip: None,
                });
            }
        }
    }
    out
}

//! Document symbols, folding ranges and file links.

use std::ops::Range;

use super::model;
use super::project::resolve_path;
use crate::ide::{Fold, FoldKind, Link, Symbol, SymbolKind};
use crate::workspace::{Document, Snapshot};

pub fn symbols(doc: &Document) -> Vec<Symbol> {
    let m = model::model(doc);
    let Some(root) = &m.yaml.root else { return Vec::new() };
    let mut out = Vec::new();
    for e in root.entries().iter().filter(|e| e.merged_from.is_none()) {
        let range = e.key_range.start..e.value.range.end.max(e.key_range.end);
        let mut sym = Symbol {
            name: e.key.clone(),
            detail: None,
            kind: SymbolKind::Namespace,
            range,
            selection: e.key_range.clone(),
            children: Vec::new(),
        };
        match e.key.as_str() {
            "services" => {
                sym.children = m
                    .services
                    .iter()
                    .map(|s| Symbol {
                        name: s.name.clone(),
                        detail: s
                            .image
                            .as_ref()
                            .map(|i| i.text.clone())
                            .or_else(|| s.build.as_ref().map(|_| "build".to_string())),
                        kind: SymbolKind::Class,
                        range: s.entry_range.clone(),
                        selection: s.name_range.clone(),
                        children: service_keys(&m, s),
                    })
                    .collect()
            }
            "networks" | "volumes" | "secrets" | "configs" => {
                sym.children = e
                    .value
                    .entries()
                    .iter()
                    .map(|d| Symbol {
                        name: d.key.clone(),
                        detail: None,
                        kind: SymbolKind::Object,
                        range: d.key_range.start..d.value.range.end.max(d.key_range.end),
                        selection: d.key_range.clone(),
                        children: Vec::new(),
                    })
                    .collect()
            }
            _ => sym.kind = SymbolKind::Key,
        }
        out.push(sym);
    }
    out
}

fn service_keys(m: &model::ComposeModel, s: &model::Service) -> Vec<Symbol> {
    let Some(node) = m.yaml.get("services").and_then(|n| n.get(&s.name)) else {
        return Vec::new();
    };
    node.entries()
        .iter()
        .filter(|e| e.merged_from.is_none())
        .map(|e| Symbol {
            name: e.key.clone(),
            detail: e
                .value
                .as_str()
                .and_then(|v| v.lines().next())
                .map(|v| v.chars().take(60).collect()),
            kind: SymbolKind::Property,
            range: e.key_range.start..e.value.range.end.max(e.key_range.end),
            selection: e.key_range.clone(),
            children: Vec::new(),
        })
        .collect()
}

pub fn folds(doc: &Document) -> Vec<Fold> {
    let m = model::model(doc);
    let mut out: Vec<Fold> = Vec::new();
    let text = &doc.text;
    // Whether a stretch of the text holds a line break (`\n`, `\r\n` or a lone `\r`): a fold
    // must span lines, and two folds start on one line when none lies between their starts.
    // A scan of the stretch, where a rope lookup per fold cost milliseconds in a 500-service
    // file (thousands of folds).
    let breaks = |r: Range<usize>| memchr::memchr2(b'\n', b'\r', &text.as_bytes()[r]).is_some();
    let mut add = |start: usize, end: usize| {
        let end = text[..end.min(text.len())].trim_end().len();
        if end > start && breaks(start..end) {
            out.push(Fold { range: start..end, kind: FoldKind::Region });
        }
    };
    // Each entry or item whose value spans lines folds from its key (or `-`) to its end.
    if let Some(root) = &m.yaml.root {
        crate::yaml::walk(root, &mut |n, _| {
            if n.alias.is_some() {
                return;
            }
            for e in n.entries().iter().filter(|e| e.merged_from.is_none()) {
                if e.value.alias.is_none() {
                    add(e.key_range.start, e.value.range.end);
                }
            }
            for item in n.items() {
                if item.alias.is_none() && item.as_scalar().is_none() {
                    add(item.range.start, item.range.end);
                }
            }
        });
    }
    out.sort_by_key(|f| (f.range.start, std::cmp::Reverse(f.range.end)));
    out.dedup_by(|later, kept| !breaks(kept.range.start..later.range.start));
    out
}

pub fn links(snap: &Snapshot, doc: &Document) -> Vec<Link> {
    let _ = snap;
    let m = model::model(doc);
    let mut out = Vec::new();
    let mut link = |s: &model::Str, base: Option<&std::path::Path>, tip: &str| {
        if s.text.is_empty() || s.text.contains('$') || s.text.contains("://") {
            return;
        }
        let target = match base {
            Some(b) => super::project::normalize(&b.join(s.text.trim())),
            None => resolve_path(&doc.path, &s.text),
        };
        out.push(Link {
            range: s.range.clone(),
            target: target.display().to_string(),
            tooltip: Some(tip.to_string()),
        });
    };
    for svc in &m.services {
        if let Some(b) = &svc.build {
            if let Some(c) = &b.context {
                link(c, None, "Build context");
            }
            let ctx = resolve_path(&doc.path, b.context.as_ref().map_or(".", |c| c.text.as_str()));
            if let Some(d) = &b.dockerfile {
                link(d, Some(&ctx), "Dockerfile");
            }
        }
        for e in &svc.env_file {
            link(&e.path, None, "Env file");
        }
        if let Some(f) = svc.extends.as_ref().and_then(|e| e.file.as_ref()) {
            link(f, None, "Extended compose file");
        }
    }
    for d in m.secrets.iter().chain(m.configs.iter()) {
        if let Some(f) = &d.file {
            link(f, None, "File");
        }
    }
    for inc in &m.includes {
        for p in &inc.paths {
            link(p, None, "Included compose file");
        }
        for p in &inc.env_files {
            link(p, None, "Env file");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use crate::ide::{Fold, FoldKind};
    use crate::workspace::Document;

    /// The folds as they were found, by a rope lookup per line: the reference for the scans.
    fn folds_by_rope(doc: &Document) -> Vec<Fold> {
        let m = super::model::model(doc);
        // With the line each starts on: found once per fold, for the dedup below (a 500-service
        // file has thousands of folds, and each line lookup walks the rope).
        let mut out: Vec<(usize, Fold)> = Vec::new();
        let text = &doc.text;
        let mut add = |start: usize, end: usize| {
            let end = text[..end.min(text.len())].trim_end().len();
            let line = doc.line_of(start);
            if end > start && line < doc.line_of(end) {
                out.push((line, Fold { range: start..end, kind: FoldKind::Region }));
            }
        };
        // Each entry or item whose value spans lines folds from its key (or `-`) to its end.
        if let Some(root) = &m.yaml.root {
            crate::yaml::walk(root, &mut |n, _| {
                if n.alias.is_some() {
                    return;
                }
                for e in n.entries().iter().filter(|e| e.merged_from.is_none()) {
                    if e.value.alias.is_none() {
                        add(e.key_range.start, e.value.range.end);
                    }
                }
                for item in n.items() {
                    if item.alias.is_none() && item.as_scalar().is_none() {
                        add(item.range.start, item.range.end);
                    }
                }
            });
        }
        out.sort_by_key(|(_, f)| (f.range.start, std::cmp::Reverse(f.range.end)));
        out.dedup_by_key(|(line, _)| *line);
        out.into_iter().map(|(_, f)| f).collect()
    }

    proptest::proptest! {
        /// The same folds as the rope lookups, on generated files with every line break.
        #[test]
        fn folds_agree_with_the_rope(
            services in 1usize..6,
            eol in proptest::sample::select(vec!["\n", "\r\n", "\r"]),
            extra in proptest::sample::select(vec![
                "", "x-a: {b: [1,\n  2]}\n", "notes: |\n  one\n\n  two\n", "k: [\n]\n",
            ]),
        ) {
            let text = format!("{}{extra}", crate::bench_gen::compose(services)).replace('\n', eol);
            let doc = Document::new(
                std::sync::Arc::from(std::path::Path::new("/w/compose.yaml")),
                crate::workspace::FileKind::Compose,
                None,
                &text,
            );
            proptest::prop_assert_eq!(super::folds(&doc), folds_by_rope(&doc));
        }
    }

    use crate::ide::Symbol;
    use crate::testing::fixture;

    fn check(text: &str, expect: Expect) {
        let f = fixture(text);
        let doc = f.snapshot.get(&f.files[0]).unwrap();
        let mut out = String::new();
        fn sym(s: &Symbol, depth: usize, out: &mut String) {
            out.push_str(&format!(
                "{}{} {:?} {:?}{}\n",
                "  ".repeat(depth),
                s.name,
                s.kind,
                s.selection,
                s.detail.as_ref().map(|d| format!(" ({d})")).unwrap_or_default()
            ));
            for c in &s.children {
                sym(c, depth + 1, out);
            }
        }
        for s in super::symbols(doc) {
            sym(&s, 0, &mut out);
        }
        for fold in super::folds(doc) {
            out.push_str(&format!(
                "fold lines {}-{}\n",
                doc.line_of(fold.range.start),
                doc.line_of(fold.range.end)
            ));
        }
        for l in super::links(&f.snapshot, doc) {
            out.push_str(&format!("link {:?} -> {}\n", &doc.text[l.range.clone()], l.target));
        }
        expect.assert_eq(&out);
    }

    #[test]
    fn outline() {
        check(
            r#"
            #- /compose.yaml
            name: shop
            include: [infra/compose.yaml]
            services:
              web:
                build:
                  context: ./app
                  dockerfile: Dockerfile.web
                env_file: [.env]
                command: |
                  gunicorn app
                  --workers 2
              db:
                image: postgres:16
            volumes:
              data:
            secrets:
              key: {file: ./key.txt}
            "#,
            expect![[r#"
                name Key 0..4
                include Key 11..18
                services Namespace 41..49
                  web Class 53..56 (build)
                    build Property 62..67
                    env_file Property 127..135
                    command Property 148..155 (gunicorn app)
                  db Class 198..200 (postgres:16)
                    image Property 206..211 (postgres:16)
                volumes Namespace 225..232
                  data Object 236..240
                secrets Namespace 242..249
                  key Object 253..256
                fold lines 2-12
                fold lines 3-10
                fold lines 4-6
                fold lines 8-10
                fold lines 11-12
                fold lines 13-14
                fold lines 15-16
                link "./app" -> /w/app
                link "Dockerfile.web" -> /w/app/Dockerfile.web
                link ".env" -> /w/.env
                link "./key.txt" -> /w/key.txt
                link "infra/compose.yaml" -> /w/infra/compose.yaml
            "#]],
        );
    }
}

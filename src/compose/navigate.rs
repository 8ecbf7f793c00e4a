//! Go to definition, references, rename and highlights for the names a compose project
//! connects (services, networks, volumes, secrets, configs) and for YAML anchors.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use super::model::{self, ComposeModel, DeclKind, MountKind, Service, Str};
use super::project;
use crate::diagnostics::Location;
use crate::ide::{Highlight, RenameTarget};
use crate::workspace::{Document, Snapshot};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NameKind {
    Service,
    Decl(DeclKind),
    /// Anchors are per file; the index is the anchor's position in `Yaml::anchors`.
    Anchor(usize),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub kind: NameKind,
    pub name: String,
    pub range: Range<usize>,
    pub decl: bool,
}

/// Whether `text` is a name navigation follows: not empty and not interpolated.
fn named(text: &str) -> bool {
    !text.is_empty() && !text.contains('$')
}

/// Every name occurrence written in one file.
pub fn occurrences(m: &ComposeModel) -> Vec<Occurrence> {
    let mut out = Vec::new();
    let mut push = |kind, s: &Str, decl| {
        if named(&s.text) {
            out.push(Occurrence { kind, name: s.text.clone(), range: s.range.clone(), decl });
        }
    };
    for svc in &m.services {
        service_refs(svc, |text, range, decl| {
            if named(text) {
                push(NameKind::Service, &Str { text: text.into(), range }, decl)
            }
        });
        for n in svc.networks.iter().filter(|n| n.text != "default") {
            push(NameKind::Decl(DeclKind::Network), n, false);
        }
        for v in svc.volumes.iter().filter(|v| v.kind == MountKind::Volume) {
            if let Some(s) = &v.source {
                push(NameKind::Decl(DeclKind::Volume), s, false);
            }
        }
        for s in &svc.secrets {
            push(NameKind::Decl(DeclKind::Secret), s, false);
        }
        for s in &svc.configs {
            push(NameKind::Decl(DeclKind::Config), s, false);
        }
    }
    for kind in DeclKind::ALL {
        for d in m.decls(kind) {
            push(
                NameKind::Decl(kind),
                &Str { text: d.name.clone(), range: d.name_range.clone() },
                true,
            );
        }
    }
    for (i, a) in m.yaml.anchors.iter().enumerate() {
        out.push(Occurrence {
            kind: NameKind::Anchor(i),
            name: a.name.clone(),
            range: a.range.start + 1..a.range.end,
            decl: true,
        });
    }
    for a in &m.yaml.aliases {
        if let Some(i) = a.anchor {
            out.push(Occurrence {
                kind: NameKind::Anchor(i),
                name: a.name.clone(),
                range: a.range.start + 1..a.range.end,
                decl: false,
            });
        }
    }
    // Content shared through anchors and merges shows up once per use; keep one.
    out.sort_by_key(|o| (o.range.start, o.range.end, o.decl));
    out.dedup_by(|a, b| a.range == b.range && a.kind == b.kind);
    out
}

/// The service names `svc` writes, in the order [`occurrences`] lists them: its own name (a
/// declaration), then `depends_on`, `links`, `volumes_from`, a same-file `extends` and a
/// `network_mode: service:…`. Empty names and ones with `$` are the caller's to skip.
fn service_refs<'a>(svc: &'a Service, mut f: impl FnMut(&'a str, Range<usize>, bool)) {
    let mut name = |text: &'a str, range: &Range<usize>, decl| f(text, range.clone(), decl);
    name(&svc.name, &svc.name_range, true);
    for d in &svc.depends_on {
        name(&d.service.text, &d.service.range, false);
    }
    for s in svc.links.iter().chain(svc.volumes_from.iter()) {
        name(&s.text, &s.range, false);
    }
    if let Some(e) = svc.extends.as_ref().filter(|e| e.file.is_none()) {
        name(&e.service.text, &e.service.range, false);
    }
    if let Some(mode) = &svc.network_mode
        && let Some(text) = mode.text.strip_prefix("service:")
    {
        let start = mode.range.start + "service:".len();
        name(text, &(start..start + text.len()), false);
    }
}

/// The service name at `offset`: the occurrence [`occurrences`] would find first there, without
/// collecting (and copying) every name of the file. References reached through anchors can
/// lie outside their service's entry, so every service is looked at.
pub fn service_at(m: &ComposeModel, offset: usize) -> Option<Occurrence> {
    let mut best: Option<(&str, Range<usize>, bool)> = None;
    for svc in &m.services {
        service_refs(svc, |text, range, decl| {
            if !(range.start <= offset && offset <= range.end && named(text)) {
                return;
            }
            let key = |r: &Range<usize>, d: bool| (r.start, r.end, d);
            // Strictly smaller only: among equal keys the first one listed wins, as in the
            // stable sort there.
            if best.as_ref().is_none_or(|(_, r, d)| key(&range, decl) < key(r, *d)) {
                best = Some((text, range, decl));
            }
        });
    }
    best.map(|(name, range, decl)| Occurrence {
        kind: NameKind::Service,
        name: name.to_string(),
        range,
        decl,
    })
}

fn at(doc: &Document, offset: usize) -> Option<Occurrence> {
    let m = model::model(doc);
    occurrences(&m).into_iter().find(|o| o.range.start <= offset && offset <= o.range.end)
}

/// Every occurrence of the name at `offset`, across the files that share it.
fn all_of(snap: &Snapshot, doc: &Document, target: &Occurrence) -> Vec<(Arc<Path>, Occurrence)> {
    let files: Vec<Arc<Path>> = match target.kind {
        NameKind::Anchor(_) => vec![doc.path.clone()],
        _ => {
            let p = project::project_of(snap, &doc.path);
            let mut f: Vec<Arc<Path>> = p.all().cloned().collect();
            if !f.contains(&doc.path) {
                f.push(doc.path.clone());
            }
            f
        }
    };
    let mut out = Vec::new();
    for path in files {
        // The document asked about may be newer than the snapshot's copy.
        let m = if *path == *doc.path {
            model::model(doc)
        } else {
            match snap.get(&path) {
                Some(d) => model::model(d),
                None => continue,
            }
        };
        for o in occurrences(&m) {
            if o.kind == target.kind && o.name == target.name {
                out.push((path.clone(), o));
            }
        }
    }
    out
}

pub fn definition(snap: &Snapshot, doc: &Document, offset: usize) -> Vec<Location> {
    let Some(target) = at(doc, offset) else { return Vec::new() };
    all_of(snap, doc, &target)
        .into_iter()
        .filter(|(_, o)| o.decl)
        .map(|(path, o)| Location { path, range: o.range })
        .collect()
}

pub fn references(
    snap: &Snapshot,
    doc: &Document,
    offset: usize,
    include_decl: bool,
) -> Vec<Location> {
    let Some(target) = at(doc, offset) else { return Vec::new() };
    all_of(snap, doc, &target)
        .into_iter()
        .filter(|(_, o)| include_decl || !o.decl)
        .map(|(path, o)| Location { path, range: o.range })
        .collect()
}

pub fn highlights(snap: &Snapshot, doc: &Document, offset: usize) -> Vec<Highlight> {
    let Some(target) = at(doc, offset) else { return Vec::new() };
    all_of(snap, doc, &target)
        .into_iter()
        .filter(|(p, _)| **p == *doc.path)
        .map(|(_, o)| Highlight { range: o.range, write: o.decl })
        .collect()
}

pub fn rename(snap: &Snapshot, doc: &Document, offset: usize) -> Option<RenameTarget> {
    let target = at(doc, offset)?;
    let occurrences: Vec<Location> = all_of(snap, doc, &target)
        .into_iter()
        .map(|(path, o)| Location { path, range: o.range })
        .collect();
    Some(RenameTarget { range: target.range.clone(), placeholder: target.name, occurrences })
}

#[cfg(test)]
mod service_at_tests {
    //! `service_at` must find what a search of `occurrences` finds, including names reached
    //! through anchors and merge keys, on texts mangled by random insertions.

    use proptest::prelude::*;

    use super::{NameKind, occurrences, service_at};
    use crate::compose::model;
    use crate::diagnostics::path_arc;
    use crate::workspace::{Document, FileKind};

    const BASE: &str = "x-deps: &deps\n  depends_on: [db, cache]\n  links: [db]\nservices:\n  web:\n    <<: *deps\n    image: app\n    volumes_from: [db]\n    network_mode: service:db\n  db:\n    image: postgres\n    depends_on:\n      cache: {condition: service_healthy}\n  cache:\n    extends: {service: db}\n    links: [\"db:database\", $X]\n  worker:\n    <<: *deps\n    extends:\n      service: web\n      file: other.yaml\n";

    fn insertion() -> impl Strategy<Value = (f64, &'static str)> {
        let pieces = prop::sample::select(vec![
            "",
            " ",
            "\n",
            "x",
            ":",
            ": ",
            "- ",
            "  ",
            "\n  ",
            "{",
            "}",
            "[",
            "]",
            "db",
            ", db",
            "*deps",
            "<<: *deps\n",
            "service:",
            "$",
            "&deps ",
        ]);
        (0.0..1.0f64, pieces)
    }

    proptest! {
        #[test]
        fn service_at_agrees_with_occurrences(edits in prop::collection::vec(insertion(), 0..4)) {
            let mut text = BASE.to_string();
            for (at, piece) in edits {
                let mut i = (at * text.len() as f64) as usize;
                while !text.is_char_boundary(i) {
                    i -= 1;
                }
                text.insert_str(i, piece);
            }
            let doc = Document::new(path_arc("/w/compose.yaml"), FileKind::Compose, Some(1), &text);
            let m = model::model(&doc);
            let all = occurrences(&m);
            for offset in 0..=text.len() {
                let expected = all.iter().find(|o| {
                    o.range.start <= offset && offset <= o.range.end && o.kind == NameKind::Service
                });
                let found = service_at(&m, offset);
                prop_assert_eq!(found.as_ref(), expected, "offset {}", offset);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use crate::testing::fixture;

    /// Rename at the cursor: every occurrence as `file:text@range`, decl or not.
    fn check(text: &str, expect: Expect) {
        let f = fixture(text);
        let (doc, offset) = f.at_cursor();
        let mut out = String::new();
        let defs = super::definition(&f.snapshot, doc, offset);
        for l in &defs {
            let t = &f.snapshot.get(&l.path).unwrap().text[l.range.clone()];
            out.push_str(&format!("def {}:{t}@{:?}\n", l.path.display(), l.range));
        }
        match super::rename(&f.snapshot, doc, offset) {
            Some(r) => {
                for l in &r.occurrences {
                    let t = &f.snapshot.get(&l.path).unwrap().text[l.range.clone()];
                    out.push_str(&format!("occ {}:{t}@{:?}\n", l.path.display(), l.range));
                }
            }
            None => out.push_str("nothing to rename\n"),
        }
        let hl = super::highlights(&f.snapshot, doc, offset);
        out.push_str(&format!("highlights {}\n", hl.len()));
        expect.assert_eq(&out);
    }

    #[test]
    fn services_across_files() {
        check(
            r#"
            #- /compose.yaml
            services:
              web:
                depends_on: [d$0b]
                links: [db]
              db: {image: postgres}
            #- /compose.override.yaml
            services:
              db:
                ports: ["5432:5432"]
              worker:
                depends_on:
                  db: {condition: service_healthy}
            "#,
            expect![[r#"
                def /w/compose.yaml:db@56..58
                def /w/compose.override.yaml:db@12..14
                occ /w/compose.yaml:db@34..36
                occ /w/compose.yaml:db@50..52
                occ /w/compose.yaml:db@56..58
                occ /w/compose.override.yaml:db@12..14
                occ /w/compose.override.yaml:db@73..75
                highlights 3
            "#]],
        );
    }

    #[test]
    fn volumes_networks_and_anchors() {
        check(
            "#- /compose.yaml\nservices:\n  db:\n    volumes: [pgdata:/data]\nvolumes:\n  pg$0data:\n",
            expect![[r#"
                def /w/compose.yaml:pgdata@55..61
                occ /w/compose.yaml:pgdata@30..36
                occ /w/compose.yaml:pgdata@55..61
                highlights 2
            "#]],
        );
        check(
            "#- /compose.yaml\nx-env: &env\n  A: 1\nservices:\n  web:\n    environment: *e$0nv\n  w2:\n    environment: *env\n",
            expect![[r#"
                def /w/compose.yaml:env@8..11
                occ /w/compose.yaml:env@8..11
                occ /w/compose.yaml:env@54..57
                occ /w/compose.yaml:env@82..85
                highlights 3
            "#]],
        );
        check(
            "#- /compose.yaml\nservices:\n  web:\n    ima$0ge: x\n",
            expect![[r#"
            nothing to rename
            highlights 0
        "#]],
        );
    }
}

//! Go to definition, references, rename and highlights for the names a compose project
//! connects (services, networks, volumes, secrets, configs) and for YAML anchors.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use super::model::{self, ComposeModel, DeclKind, MountKind, Str};
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

/// Every name occurrence written in one file.
pub fn occurrences(m: &ComposeModel) -> Vec<Occurrence> {
    let mut out = Vec::new();
    let mut push = |kind, s: &Str, decl| {
        if !s.text.is_empty() && !s.text.contains('$') {
            out.push(Occurrence { kind, name: s.text.clone(), range: s.range.clone(), decl });
        }
    };
    for svc in &m.services {
        push(
            NameKind::Service,
            &Str { text: svc.name.clone(), range: svc.name_range.clone() },
            true,
        );
        for d in &svc.depends_on {
            push(NameKind::Service, &d.service, false);
        }
        for s in svc.links.iter().chain(svc.volumes_from.iter()) {
            push(NameKind::Service, s, false);
        }
        if let Some(e) = svc.extends.as_ref().filter(|e| e.file.is_none()) {
            push(NameKind::Service, &e.service, false);
        }
        if let Some(mode) = &svc.network_mode
            && let Some(name) = mode.text.strip_prefix("service:")
        {
            let start = mode.range.start + "service:".len();
            push(
                NameKind::Service,
                &Str { text: name.into(), range: start..start + name.len() },
                false,
            );
        }
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

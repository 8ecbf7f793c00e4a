//! The names completion offers, gathered from the project, the Dockerfile the service builds,
//! the project `.env` and the Python settings of the workspace.

use std::collections::HashSet;

use super::{CursorContext, Names};
use crate::compose::{facts, model, project};
use crate::workspace::{Document, FileKind, Snapshot};

/// Files of one kind read for names; a huge workspace gives a partial list, not a slow one.
const MAX_FILES: usize = 300;

/// Owned name lists; [`NameLists::names`] lends them to the completion engine.
#[derive(Default)]
pub struct NameLists {
    services: Vec<String>,
    networks: Vec<String>,
    volumes: Vec<String>,
    secrets: Vec<String>,
    configs: Vec<String>,
    stages: Vec<String>,
    build_args: Vec<String>,
    images: Vec<String>,
    variables: Vec<String>,
}

/// Appends each name once, in first-seen order. The set beside the list matters: checking
/// the list itself made gathering 500 service names (or their images) quadratic.
/// The set borrows the names from the models, so each name is copied once.
#[derive(Default)]
struct Seen<'a>(HashSet<&'a str>);

impl<'a> Seen<'a> {
    fn push(&mut self, v: &mut Vec<String>, s: &'a str) {
        if !s.is_empty() && !s.contains('$') && self.0.insert(s) {
            v.push(s.to_string());
        }
    }
}

/// What the cursor's path needs, so a keystroke does not read every file for nothing.
#[derive(Clone, Copy, Default)]
pub struct Needs {
    /// The names the project defines (services, networks, volumes, secrets, configs).
    pub names: bool,
    pub dockerfile: bool,
    pub images: bool,
    pub variables: bool,
}

impl Needs {
    pub fn of(ctx: &CursorContext) -> Needs {
        Needs {
            names: super::uses_project_names(ctx),
            dockerfile: ctx.path.iter().any(|s| s == "build"),
            images: ctx.path.last().is_some_and(|s| s == "image"),
            variables: !ctx.on_key && ctx.prefix.contains('$'),
        }
    }
}

impl NameLists {
    pub fn gather(snap: &Snapshot, doc: &Document, service: Option<&str>, needs: Needs) -> Self {
        let mut n = NameLists::default();
        if needs.names {
            n.gather_names(snap, doc);
        }
        if needs.dockerfile
            && let Some(df) = service.and_then(|s| facts::dockerfile_for(snap, doc, s))
        {
            let dm = crate::dockerfile::model(&df);
            n.stages = dm.stages.iter().filter_map(|s| s.name.clone()).collect();
            n.build_args = dm.args_declared().into_iter().map(|a| a.name).collect();
        }
        if needs.images {
            n.gather_images(snap);
        }
        if needs.variables {
            n.gather_variables(snap, doc);
        }
        n
    }

    /// Names the document's project defines, the document's own first.
    fn gather_names(&mut self, snap: &Snapshot, doc: &Document) {
        let n = self;
        let project = project::project_of(snap, &doc.path);
        let mut models = vec![model::model(doc)];
        // The document asked about may be newer than the snapshot's copy.
        for p in project.all().filter(|p| **p != doc.path) {
            if let Some(d) = snap.get(p) {
                models.push(model::model(d));
            }
        }
        let mut seen: [Seen; 5] = Default::default();
        for m in &models {
            for s in &m.services {
                seen[0].push(&mut n.services, &s.name);
            }
            for d in &m.networks {
                seen[1].push(&mut n.networks, &d.name);
            }
            for d in &m.volumes {
                seen[2].push(&mut n.volumes, &d.name);
            }
            for d in &m.secrets {
                seen[3].push(&mut n.secrets, &d.name);
            }
            for d in &m.configs {
                seen[4].push(&mut n.configs, &d.name);
            }
        }
    }

    /// Images named in the workspace's compose files and Dockerfile `FROM` lines.
    fn gather_images(&mut self, snap: &Snapshot) {
        let composes: Vec<_> =
            snap.of_kind(FileKind::Compose).take(MAX_FILES).map(|d| model::model(d)).collect();
        let dockerfiles: Vec<_> = snap
            .of_kind(FileKind::Dockerfile)
            .take(MAX_FILES)
            .map(|d| crate::dockerfile::model(d))
            .collect();
        let mut seen = Seen::default();
        for m in &composes {
            for s in &m.services {
                if let Some(img) = &s.image {
                    seen.push(&mut self.images, &img.text);
                }
            }
        }
        for dm in &dockerfiles {
            let stage_names: Vec<&str> =
                dm.stages.iter().filter_map(|s| s.name.as_deref()).collect();
            for s in &dm.stages {
                if let Some(img) = &s.image
                    && !stage_names.iter().any(|n| n.eq_ignore_ascii_case(&img.text))
                    && img.text != "scratch"
                {
                    seen.push(&mut self.images, &img.text);
                }
            }
        }
        self.images.sort();
    }

    /// Variables for `${…}`: the project `.env` first, then names the Python settings read.
    fn gather_variables(&mut self, snap: &Snapshot, doc: &Document) {
        let env = facts::project_dotenv(snap, &doc.path);
        let pys: Vec<_> = snap
            .of_kind(FileKind::Python)
            .take(MAX_FILES)
            .map(|d| crate::python::model(d))
            .collect();
        let mut seen = Seen::default();
        if let Some((_, env)) = &env {
            for e in &env.entries {
                seen.push(&mut self.variables, &e.key);
            }
        }
        let from_env = self.variables.len();
        for py in &pys {
            for r in &py.reads {
                if let Some(name) = r.name.as_literal() {
                    seen.push(&mut self.variables, name);
                }
            }
        }
        self.variables[from_env..].sort();
    }

    pub fn names(&self) -> Names<'_> {
        fn v(x: &[String]) -> Vec<&str> {
            x.iter().map(String::as_str).collect()
        }
        Names {
            services: v(&self.services),
            networks: v(&self.networks),
            volumes: v(&self.volumes),
            secrets: v(&self.secrets),
            configs: v(&self.configs),
            stages: v(&self.stages),
            build_args: v(&self.build_args),
            images: v(&self.images),
            variables: v(&self.variables),
            ..Default::default()
        }
    }
}

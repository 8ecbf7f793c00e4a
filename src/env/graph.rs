//! The run-time environment of every compose service: what `environment`, `env_file` and the
//! built image's `ENV` add up to, with Compose's precedence (environment over env files, later
//! env files over earlier ones, all of them over the image).

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use crate::compose::model::{Build, Command};
use crate::compose::project::{MergedService, merged_services, project_of, resolve_path};
use crate::diagnostics::Location;
use crate::workspace::{Document, FileKind, Snapshot};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    /// The service's `environment`.
    Environment,
    /// A file named by the service's `env_file`.
    EnvFile,
    /// `ENV` in the Dockerfile stage the service's image is built from.
    ImageEnv,
}

/// One variable a service's container starts with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provided {
    pub name: String,
    /// The literal value; None when it comes from the shell (`- KEY`, `KEY:`) or is
    /// interpolated (`${X}`), i.e. provided but unknown here.
    pub value: Option<String>,
    /// Where the literal value is written, when it is.
    pub value_range: Option<Range<usize>>,
    /// The name where it is set.
    pub source: Location,
    pub origin: Origin,
}

/// A compose service and everything the env model needs to know about it.
#[derive(Clone, Debug)]
pub struct ServiceEnv {
    pub name: String,
    /// The service's name in the first file that defines it.
    pub location: Location,
    pub service: MergedService,
    /// The Dockerfile it builds, when in the snapshot.
    pub dockerfile: Option<Arc<Document>>,
    /// The effective environment, one entry per name (the one that wins).
    pub env: Vec<Provided>,
    /// False when part of the environment is out of sight: an `env_file` not in the snapshot,
    /// or an image berth cannot see the Dockerfile of. Absence then proves nothing.
    pub complete: bool,
}

impl ServiceEnv {
    pub fn get(&self, name: &str) -> Option<&Provided> {
        self.env.iter().find(|p| p.name == name)
    }
}

/// Every service of every compose project in the snapshot, each once.
pub fn services(snap: &Snapshot) -> Vec<ServiceEnv> {
    let mut seen_projects = HashSet::new();
    let mut out = Vec::new();
    let mut compose: Vec<&Arc<Document>> = snap.of_kind(FileKind::Compose).collect();
    compose.sort_by(|a, b| a.path.cmp(&b.path));
    for doc in compose {
        let project = project_of(snap, &doc.path);
        if !seen_projects.insert(project.files.clone()) {
            continue;
        }
        for svc in merged_services(snap, &project) {
            out.push(service_env(snap, svc));
        }
    }
    out
}

/// The effective environment of one merged service.
pub fn service_env(snap: &Snapshot, service: MergedService) -> ServiceEnv {
    let location = service
        .definitions
        .first()
        .map(|(p, s)| Location { path: p.clone(), range: s.name_range.clone() })
        .unwrap_or_else(|| Location { path: Arc::from(Path::new("")), range: 0..0 });
    let dockerfile =
        service.build.as_ref().and_then(|(path, b)| crate::compose::dockerfile_of(snap, path, b));
    let mut env: Vec<Provided> = Vec::new();
    let mut complete = dockerfile.is_some();
    // Lowest precedence first; each later layer replaces by name.
    if let (Some(df), Some((_, b))) = (&dockerfile, &service.build) {
        for p in image_env(df, b) {
            put(&mut env, p);
        }
    }
    for (compose_path, ef) in &service.env_file {
        let target = resolve_path(compose_path, &ef.path.text);
        let doc = snap.get(&target).filter(|d| {
            !matches!(d.kind, FileKind::Python | FileKind::Compose | FileKind::Dockerfile)
        });
        let Some(doc) = doc else {
            // An optional env file that is absent adds nothing; a required one is reported by
            // the compose rules.
            complete &= !ef.required;
            continue;
        };
        let model = crate::dotenv::model(doc);
        for e in &model.entries {
            let literal = !e.value.contains('$');
            put(
                &mut env,
                Provided {
                    name: e.key.clone(),
                    value: literal.then(|| e.value.clone()),
                    value_range: literal.then(|| e.value_range.clone()),
                    source: Location { path: doc.path.clone(), range: e.key_range.clone() },
                    origin: Origin::EnvFile,
                },
            );
        }
    }
    for (path, kv) in &service.environment {
        let literal = kv.value.as_ref().filter(|v| !v.text.contains('$'));
        put(
            &mut env,
            Provided {
                name: kv.key.clone(),
                value: literal.map(|v| v.text.clone()),
                value_range: literal.map(|v| v.range.clone()),
                source: Location { path: path.clone(), range: kv.key_range.clone() },
                origin: Origin::Environment,
            },
        );
    }
    ServiceEnv { name: service.name.clone(), location, service, dockerfile, env, complete }
}

fn put(env: &mut Vec<Provided>, p: Provided) {
    match env.iter().position(|x| x.name == p.name) {
        Some(i) => env[i] = p,
        None => env.push(p),
    }
}

/// The stage a build produces. An unknown `target` is reported by the compose rules; until it
/// is fixed the model uses the last stage, which is what a build without a target produces.
pub fn runtime_stage(model: &crate::dockerfile::model::Model, b: &Build) -> Option<usize> {
    let target = b.target.as_ref().map(|t| t.text.as_str());
    model.runtime_stage(target).or_else(|| model.stages.last()).map(|s| s.index)
}

fn image_env(df: &Arc<Document>, b: &Build) -> Vec<Provided> {
    let model = crate::dockerfile::model(df);
    let Some(stage) = runtime_stage(&model, b) else { return Vec::new() };
    model
        .env_of_stage(stage)
        .into_iter()
        .map(|d| Provided {
            name: d.name,
            value: d.value.filter(|v| !v.contains('$')),
            value_range: None,
            source: Location { path: df.path.clone(), range: d.range.unwrap_or(0..0) },
            origin: Origin::ImageEnv,
        })
        .collect()
}

/// The command the service's container runs: compose `command`, else the image's `CMD`.
pub enum RunCommand {
    Exec(Vec<String>),
    Shell(String),
}

pub fn run_command(svc: &ServiceEnv) -> Option<RunCommand> {
    if let Some((_, c)) = &svc.service.command {
        return Some(match c {
            Command::Shell(s) => RunCommand::Shell(s.text.clone()),
            Command::Exec { args, .. } => {
                RunCommand::Exec(args.iter().map(|a| a.text.clone()).collect())
            }
        });
    }
    let df = svc.dockerfile.as_ref()?;
    let (_, b) = svc.service.build.as_ref()?;
    let model = crate::dockerfile::model(df);
    let stage = runtime_stage(&model, b)?;
    let cmd = stage_cmd(&model, stage, 0)?;
    Some(match &cmd.json {
        Some(words) => RunCommand::Exec(words.iter().map(|w| w.text.clone()).collect()),
        None => RunCommand::Shell(cmd.args_text.clone()),
    })
}

/// The last CMD of a stage, or of the stage it is built on.
fn stage_cmd(
    model: &crate::dockerfile::model::Model,
    stage: usize,
    depth: usize,
) -> Option<&crate::dockerfile::model::Instruction> {
    if depth > 64 {
        return None;
    }
    let own = model.instructions.iter().rfind(|i| i.stage == Some(stage) && i.keyword == "CMD");
    own.map(|i| &**i).or_else(|| match model.stages.get(stage)?.base_stage {
        Some(b) if b < stage => stage_cmd(model, b, depth + 1),
        _ => None,
    })
}

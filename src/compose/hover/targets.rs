//! Hovers that look across files: a referenced service's summary, what `${VAR}` resolves
//! to, the Dockerfile stage behind `build.target` and the `ARG` behind a `build.args` key.

use std::path::Path;

use crate::compose::facts::{self, Target};
use crate::compose::interpolate::{self, Op, Var};
use crate::compose::model::{Command, KeyValue, Str};
use crate::compose::project;
use crate::workspace::{Document, Snapshot};

/// Markdown for the cross-file thing under the cursor, when there is something to say.
pub fn hover_target(snap: &Snapshot, doc: &Document, target: &Target) -> Option<String> {
    match target {
        Target::Service { name, .. } => service(snap, doc, name),
        Target::Var(v) => variable(snap, doc, v),
        Target::BuildTarget { service, target } => build_target(snap, doc, service, target),
        Target::BuildArg { service, arg } => build_arg(snap, doc, service, arg),
    }
}

/// `path` as the user thinks of it: relative to the compose file's folder where it can be.
fn shown_path(compose: &Path, path: &Path) -> String {
    let dir = compose.parent().unwrap_or(Path::new("/"));
    path.strip_prefix(dir).unwrap_or(path).display().to_string()
}

fn text_of<'a>(snap: &'a Snapshot, doc: &'a Document, path: &Path) -> &'a str {
    if *doc.path == *path { &doc.text } else { snap.get(path).map_or("", |d| &d.text[..]) }
}

fn service(snap: &Snapshot, doc: &Document, name: &str) -> Option<String> {
    let project = project::project_of(snap, &doc.path);
    let merged = project::merged_services_shared(snap, &project);
    let s = merged.iter().find(|s| s.name == name)?;
    let mut md = format!("**service `{name}`**\n");
    let mut line = |label: &str, value: String| md.push_str(&format!("\n- {label}: {value}"));
    if let Some((_, img)) = &s.image {
        line("image", format!("`{}`", img.text));
    }
    if let Some((_, b)) = &s.build {
        let mut parts = vec![format!("`{}`", b.context.as_ref().map_or(".", |c| c.text.as_str()))];
        if let Some(d) = &b.dockerfile {
            parts.push(format!("Dockerfile `{}`", d.text));
        }
        if let Some(t) = &b.target {
            parts.push(format!("target `{}`", t.text));
        }
        line("build", parts.join(", "));
    }
    if let Some((_, c)) = &s.command {
        let c = match c {
            Command::Shell(s) => s.text.clone(),
            Command::Exec { args, .. } => {
                args.iter().map(|a| a.text.as_str()).collect::<Vec<_>>().join(" ")
            }
        };
        line("command", format!("`{}`", c.replace('`', "'")));
    }
    if !s.ports.is_empty() {
        let ports: Vec<String> = s
            .ports
            .iter()
            .map(|(p, port)| {
                let t = text_of(snap, doc, p).get(port.range.clone()).unwrap_or("");
                format!("`{}`", t.trim_matches(['"', '\'']).replace('\n', " "))
            })
            .collect();
        line("ports", ports.join(", "));
    }
    if !s.depends_on.is_empty() {
        let deps: Vec<String> = s
            .depends_on
            .iter()
            .map(|(_, d)| match &d.condition {
                Some(c) => format!("`{}` ({})", d.service.text, c.text),
                None => format!("`{}`", d.service.text),
            })
            .collect();
        line("depends on", deps.join(", "));
    }
    if !s.profiles.is_empty() {
        let names: Vec<&str> = s.profiles.iter().map(|(_, p)| p.text.as_str()).collect();
        let active = project::active_profiles(snap, &doc.path);
        let started = names.iter().any(|n| active.iter().any(|a| a == n || a == "*"));
        let how = if started {
            "started by `docker compose up` (a profile is enabled in `COMPOSE_PROFILES`)"
        } else {
            "not started by a plain `docker compose up`: enable a profile with `--profile` or `COMPOSE_PROFILES`"
        };
        line(
            "profiles",
            format!(
                "{} — {how}",
                names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            ),
        );
    }
    let mut files: Vec<String> =
        s.definitions.iter().map(|(p, _)| shown_path(&doc.path, p)).collect();
    files.dedup();
    line("defined in", files.join(", "));
    Some(md)
}

fn variable(snap: &Snapshot, doc: &Document, v: &Var) -> Option<String> {
    let env = facts::project_dotenv(snap, &doc.path);
    let lookup = |n: &str| env.as_ref().and_then(|(_, m)| m.get(n)).map(|e| e.value.clone());
    let raw = doc.text.get(v.range.clone())?;
    let name = &v.name;
    let mut md = format!("**`{name}`** · interpolated by Compose\n\n");
    let shown = |value: &str| format!("`{}`", facts::shown_value(snap, name, value));
    match env.as_ref().and_then(|(d, m)| m.get(name).map(|e| (d, e))) {
        Some((d, e)) => md.push_str(&format!(
            "Set in `{}` (line {}) to {}.",
            shown_path(&doc.path, &d.path),
            e.line + 1,
            shown(&e.value)
        )),
        None => md.push_str(match &env {
            Some(_) => "Not set in the project's `.env`.",
            None => "The project has no `.env` file.",
        }),
    }
    md.push_str("\n\n");
    match interpolate::resolve(raw, &lookup) {
        Ok(value) => {
            let unset = lookup(name).is_none();
            let why = match v.op {
                Op::Default { .. } if unset => " (the default)",
                Op::Plain if unset => "; Compose warns that the variable is not set",
                _ => "",
            };
            if value.is_empty() {
                md.push_str(&format!("`{raw}` resolves to an empty string{why}."));
            } else {
                md.push_str(&format!("`{raw}` resolves to {}{why}.", shown(&value)));
            }
        }
        Err(message) => md.push_str(&format!(
            "`{raw}` stops Compose with the error: {}",
            message.trim().trim_end_matches('.').to_string() + "."
        )),
    }
    md.push_str("\n\nA variable set in the shell environment takes precedence over `.env`.");
    Some(md)
}

fn build_target(snap: &Snapshot, doc: &Document, service: &str, target: &Str) -> Option<String> {
    let df = facts::dockerfile_for(snap, doc, service)?;
    let m = crate::dockerfile::model(&df);
    let where_ = shown_path(&doc.path, &df.path);
    let stage = m
        .stages
        .iter()
        .find(|s| s.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(&target.text)));
    let Some(stage) = stage else {
        let names: Vec<String> =
            m.stages.iter().filter_map(|s| s.name.as_ref()).map(|n| format!("`{n}`")).collect();
        return Some(format!(
            "`{where_}` has no stage named `{}`. Its named stages: {}.",
            target.text,
            if names.is_empty() { "none".to_string() } else { names.join(", ") }
        ));
    };
    let from = m.instructions.get(stage.from)?;
    let line = df.text.get(from.range.clone()).unwrap_or("").trim();
    Some(format!(
        "**stage `{}`** · stage {} of {} in `{where_}` (line {})\n\n```dockerfile\n{line}\n```",
        target.text,
        stage.index + 1,
        m.stages.len(),
        df.line_of(from.range.start) + 1,
    ))
}

fn build_arg(snap: &Snapshot, doc: &Document, service: &str, arg: &KeyValue) -> Option<String> {
    let df = facts::dockerfile_for(snap, doc, service)?;
    let m = crate::dockerfile::model(&df);
    let where_ = shown_path(&doc.path, &df.path);
    let name = &arg.key;
    let set = arg.value.as_ref().map(|v| facts::shown_value(snap, name, &v.text));
    let passed = match &set {
        Some(v) => format!("This service passes `{v}`."),
        None => "This service passes the value the shell environment has, if any.".to_string(),
    };
    let Some(decl) = m.args_declared().into_iter().find(|a| a.name == *name) else {
        return Some(format!(
            "**build argument `{name}`**\n\nNo `ARG {name}` in `{where_}`: the build ignores this value."
        ));
    };
    let instr = decl.instruction.and_then(|i| m.instructions.get(i));
    let mut line =
        instr.and_then(|i| df.text.get(i.range.clone())).unwrap_or("").trim().to_string();
    if let Some(d) = decl.value.as_deref()
        && facts::shown_value(snap, name, d) != d
    {
        line = format!("ARG {name}={}", facts::shown_value(snap, name, d));
    }
    let scope = match decl.stage.and_then(|s| m.stages.get(s)) {
        None => "before the first `FROM` (usable in `FROM` lines)".to_string(),
        Some(s) => match &s.name {
            Some(n) => format!("in stage `{n}`"),
            None => format!("in stage {}", s.index + 1),
        },
    };
    let default = match decl.value.as_deref() {
        Some(d) => format!("Default: `{}`.", facts::shown_value(snap, name, d)),
        None => "No default.".to_string(),
    };
    let at = decl.range.as_ref().map_or(0, |r| df.line_of(r.start) + 1);
    Some(format!(
        "**build argument `{name}`** · `{where_}` line {at}, {scope}\n\n```dockerfile\n{line}\n```\n\n{default} {passed}"
    ))
}

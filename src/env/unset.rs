//! `interpolation-unset`: `${VAR}` in a compose file that nothing berth can see gives a value.

use std::path::Path;

use crate::compose::interpolate::Op;
use crate::diagnostics::{Diagnostic, FileEdit, Fix, RuleInfo, Severity};
use crate::workspace::{Document, FileKind, Snapshot};

pub const INTERPOLATION_UNSET: &str = "interpolation-unset";

pub const RULE: RuleInfo = RuleInfo {
    code: INTERPOLATION_UNSET,
    scope: "compose",
    default_severity: Severity::Warning,
    enabled_by_default: true,
    fixable: true,
    summary: "`${VAR}` in a compose file has no value in the project `.env` and no default.",
    docs: "Compose fills `${VAR}` from the shell that runs `docker compose` and from the \
           project's `.env` file (next to the first compose file). When the variable is in \
           neither, Compose warns and substitutes an empty string, which usually surfaces \
           later as a confusing error (an empty password, an image tag `app:`).\n\n\
           berth cannot see your shell, so this is a warning: it fires when the project `.env` \
           (and any other `.env` file next to the compose file) does not set the variable and \
           the reference has no default. `COMPOSE_*` variables and the shell's own (`HOME`, \
           `USER`, `PWD`, …) are left alone, as are `${VAR:?message}` references, which say \
           on purpose that the shell must provide the value.\n\n\
           Fix: add the variable to `.env`, give it a default (`${VAR:-value}`), or mark it \
           required (`${VAR:?message}`).",
};

const SHELL: &[&str] = &["HOME", "USER", "PWD", "PATH", "SHELL", "LOGNAME", "TERM", "HOSTNAME"];

pub fn diagnostics(snap: &Snapshot, doc: &Document) -> Vec<Diagnostic> {
    if doc.kind != FileKind::Compose {
        return Vec::new();
    }
    let m = crate::compose::model(doc);
    if m.interpolation.vars.is_empty() {
        return Vec::new();
    }
    let project = crate::compose::project::project_of(snap, &doc.path);
    let project_dir = project.files.first().and_then(|f| f.parent()).map(Path::to_path_buf);
    let dirs: Vec<&Path> =
        project_dir.iter().map(|p| p.as_path()).chain(doc.path.parent()).collect();
    let dotenvs: Vec<_> = snap
        .of_kind(FileKind::Dotenv)
        .filter(|d| d.path.parent().is_some_and(|p| dirs.contains(&p)))
        .collect();
    let project_env = project_dir.as_ref().and_then(|d| snap.get(&d.join(".env")));
    let mut out = Vec::new();
    for v in &m.interpolation.vars {
        if v.nested || !matches!(v.op, Op::Plain) {
            continue;
        }
        if v.name.starts_with("COMPOSE_") || SHELL.contains(&v.name.as_str()) {
            continue;
        }
        if dotenvs.iter().any(|d| crate::dotenv::model(d).get(&v.name).is_some()) {
            continue;
        }
        let mut d = Diagnostic::new(
            &doc.path,
            v.name_range.clone(),
            Severity::Warning,
            INTERPOLATION_UNSET,
            format!(
                "`{}` is not in the project's `.env` and has no default: Compose substitutes an \
                 empty string unless the shell sets it",
                v.name
            ),
        );
        if let Some(env) = project_env {
            let end = env.text.len();
            let nl = if env.text.is_empty() || env.text.ends_with('\n') { "" } else { "\n" };
            d = d.with_fix(Fix {
                title: format!("Add `{}` to the project `.env`", v.name),
                edits: vec![FileEdit {
                    path: env.path.clone(),
                    range: end..end,
                    new_text: format!("{nl}{}=\n", v.name),
                }],
                preferred: false,
            });
        }
        d = d.with_fix(Fix::local(
            format!("Mark `{}` as required from the shell", v.name),
            &doc.path,
            vec![(
                v.range.clone(),
                format!("${{{}:?set {} in the shell or .env}}", v.name, v.name),
            )],
            false,
        ));
        out.push(d);
    }
    out
}

//! Which file is which. Names decide first; content decides for YAML that is opened under a
//! generic language id. Language ids alone never decide (clients disagree on them).

use std::path::Path;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Dockerfile,
    Compose,
    Dotenv,
    Python,
}

impl FileKind {
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Dockerfile => "Dockerfile",
            FileKind::Compose => "Compose file",
            FileKind::Dotenv => ".env file",
            FileKind::Python => "Python module",
        }
    }
}

/// Classify by file name alone (used for the disk scan).
pub fn kind_from_name(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    if is_dockerfile_name(&lower) {
        return Some(FileKind::Dockerfile);
    }
    if is_compose_name(&lower) {
        return Some(FileKind::Compose);
    }
    if is_dotenv_name(&lower) {
        return Some(FileKind::Dotenv);
    }
    if lower.ends_with(".py") || lower.ends_with(".pyi") {
        return Some(FileKind::Python);
    }
    None
}

/// Classify an opened document: the name first, then the language id the client sent, then the
/// content (a YAML file whose top level has `services:` is a compose file).
pub fn classify(path: &Path, language_id: Option<&str>, text: &str) -> Option<FileKind> {
    if let Some(kind) = kind_from_name(path) {
        return Some(kind);
    }
    let id = language_id.unwrap_or("").to_ascii_lowercase();
    match id.as_str() {
        "dockerfile" | "containerfile" => return Some(FileKind::Dockerfile),
        "dockercompose" | "docker-compose" | "yaml.docker-compose" => {
            return Some(FileKind::Compose);
        }
        "dotenv" | "env" => return Some(FileKind::Dotenv),
        "python" => return Some(FileKind::Python),
        _ => {}
    }
    let is_yaml_name = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    if (is_yaml_name || id == "yaml" || id.starts_with("yaml.")) && has_top_level_services(text) {
        return Some(FileKind::Compose);
    }
    None
}

fn is_dockerfile_name(lower: &str) -> bool {
    lower == "dockerfile"
        || lower == "containerfile"
        || lower.starts_with("dockerfile.")
        || lower.starts_with("containerfile.")
        || lower.ends_with(".dockerfile")
        || lower.ends_with(".containerfile")
}

fn is_compose_name(lower: &str) -> bool {
    let stem = match lower.strip_suffix(".yaml").or_else(|| lower.strip_suffix(".yml")) {
        Some(s) => s,
        None => return false,
    };
    // compose, docker-compose, compose.override, compose.prod, docker-compose.override, …
    stem == "compose"
        || stem == "docker-compose"
        || stem.starts_with("compose.")
        || stem.starts_with("docker-compose.")
        || stem.starts_with("docker-compose-")
}

fn is_dotenv_name(lower: &str) -> bool {
    lower == ".env"
        || (lower.starts_with(".env.") && !lower.ends_with(".py"))
        || lower.ends_with(".env")
}

/// True when a line at column 0 is `services:` (possibly with a trailing comment or flow map).
pub fn has_top_level_services(text: &str) -> bool {
    text.lines().any(|line| {
        line.strip_prefix("services")
            .map(|rest| rest.trim_start().starts_with(':'))
            .unwrap_or(false)
            || line.starts_with("\"services\":")
            || line.starts_with("'services':")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(name: &str) -> Option<FileKind> {
        kind_from_name(Path::new(name))
    }

    #[test]
    fn names() {
        for n in ["Dockerfile", "Containerfile", "Dockerfile.dev", "web.Dockerfile", "x.dockerfile"]
        {
            assert_eq!(k(n), Some(FileKind::Dockerfile), "{n}");
        }
        for n in [
            "compose.yaml",
            "compose.yml",
            "docker-compose.yml",
            "docker-compose.yaml",
            "compose.override.yaml",
            "docker-compose.override.yml",
            "compose.prod.yaml",
        ] {
            assert_eq!(k(n), Some(FileKind::Compose), "{n}");
        }
        for n in [".env", ".env.local", "prod.env", "web.env"] {
            assert_eq!(k(n), Some(FileKind::Dotenv), "{n}");
        }
        assert_eq!(k("settings.py"), Some(FileKind::Python));
        for n in ["config.yaml", "README.md", "environment.yml", "Dockerfile.py.txt"] {
            assert_ne!(k(n), Some(FileKind::Compose), "{n}");
        }
        assert_eq!(k("notes.txt"), None);
    }

    #[test]
    fn yaml_by_content() {
        let p = Path::new("/p/stack.yaml");
        assert_eq!(classify(p, Some("yaml"), "services:\n  web: {}\n"), Some(FileKind::Compose));
        assert_eq!(classify(p, Some("yaml"), "jobs:\n  services: 1\n"), None);
        assert_eq!(classify(Path::new("/p/x"), Some("dockerfile"), ""), Some(FileKind::Dockerfile));
        // Neovim sends `sh` for .env; the name decides.
        assert_eq!(classify(Path::new("/p/.env"), Some("sh"), ""), Some(FileKind::Dotenv));
    }
}

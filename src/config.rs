//! `berth.toml` (or `[tool.berth]` in `pyproject.toml`): rule levels, ignored paths, secret
//! masking, extra module roots, compose project files. The CLI and the server read the same
//! file, found by walking up from the checked path.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::Severity;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Rule code → level; `Off` disables, a severity re-levels (and enables an off-by-default rule).
    pub rules: BTreeMap<String, Level>,
    /// Globs (relative to the config file's folder) whose files are not checked.
    pub ignore_paths: Vec<String>,
    pub mask_secrets: bool,
    /// Extra folders to resolve Python modules from.
    pub settings_paths: Vec<PathBuf>,
    /// Compose files that form the project, in merge order, when not the default names.
    pub compose_files: Vec<PathBuf>,
    /// Where the configuration came from, if a file.
    pub source: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            rules: BTreeMap::new(),
            ignore_paths: Vec::new(),
            mask_secrets: true,
            settings_paths: Vec::new(),
            compose_files: Vec::new(),
            source: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub message: String,
    /// Byte range in the config file, when known.
    pub range: Option<Range<usize>>,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    rules: BTreeMap<String, String>,
    #[serde(default)]
    ignore_paths: Vec<String>,
    #[serde(default)]
    mask_secrets: Option<bool>,
    #[serde(default)]
    settings_paths: Vec<PathBuf>,
    #[serde(default)]
    compose_files: Vec<PathBuf>,
}

#[derive(Deserialize)]
struct PyProject {
    tool: Option<PyTool>,
}

#[derive(Deserialize)]
struct PyTool {
    berth: Option<toml::Value>,
}

pub const FILE_NAME: &str = "berth.toml";

impl Config {
    /// Parse the text of a `berth.toml`.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            message: e.message().to_string(),
            range: e.span(),
        })?;
        Self::from_raw(path, text, raw)
    }

    /// Parse `[tool.berth]` out of a `pyproject.toml`; `Ok(None)` when it has no such table.
    pub fn parse_pyproject(path: &Path, text: &str) -> Result<Option<Config>, ConfigError> {
        let err = |e: toml::de::Error| ConfigError {
            path: path.to_path_buf(),
            message: e.message().to_string(),
            range: e.span(),
        };
        let py: PyProject = toml::from_str(text).map_err(err)?;
        let Some(value) = py.tool.and_then(|t| t.berth) else { return Ok(None) };
        let raw: RawConfig = value.try_into().map_err(|e: toml::de::Error| ConfigError {
            path: path.to_path_buf(),
            message: format!("[tool.berth]: {}", e.message()),
            range: None,
        })?;
        Self::from_raw(path, text, raw).map(Some)
    }

    fn from_raw(path: &Path, text: &str, raw: RawConfig) -> Result<Config, ConfigError> {
        let mut rules = BTreeMap::new();
        for (code, level) in raw.rules {
            let parsed = if level.eq_ignore_ascii_case("off") {
                Level::Off
            } else if let Some(s) = Severity::parse(&level) {
                Level::On(s)
            } else {
                let range = text.find(&format!("\"{level}\"")).map(|i| i..i + level.len() + 2);
                return Err(ConfigError {
                    path: path.to_path_buf(),
                    message: format!(
                        "rule `{code}`: unknown level `{level}` (use off, hint, info, warning or error)"
                    ),
                    range,
                });
            };
            rules.insert(code, parsed);
        }
        Ok(Config {
            rules,
            ignore_paths: raw.ignore_paths,
            mask_secrets: raw.mask_secrets.unwrap_or(true),
            settings_paths: raw.settings_paths,
            compose_files: raw.compose_files,
            source: Some(path.to_path_buf()),
        })
    }

    /// Find and read the configuration for `start` (a file or folder): the nearest
    /// `berth.toml`, or `pyproject.toml` with a `[tool.berth]` table, walking up.
    pub fn discover(start: &Path) -> Result<Config, ConfigError> {
        let mut dir = if start.is_dir() { Some(start) } else { start.parent() };
        while let Some(d) = dir {
            let candidate = d.join(FILE_NAME);
            if let Ok(text) = std::fs::read_to_string(&candidate) {
                return Config::parse(&candidate, &text);
            }
            let py = d.join("pyproject.toml");
            if let Ok(text) = std::fs::read_to_string(&py)
                && let Some(c) = Config::parse_pyproject(&py, &text)?
            {
                return Ok(c);
            }
            dir = d.parent();
        }
        Ok(Config::default())
    }

    /// Read an explicitly named configuration file (`berth check --config PATH`): a
    /// `pyproject.toml` is read for its `[tool.berth]` table, any other name as a `berth.toml`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            message: match e.kind() {
                std::io::ErrorKind::NotFound => "no such file".to_string(),
                _ => e.to_string(),
            },
            range: None,
        })?;
        if path.file_name().is_some_and(|n| n == "pyproject.toml") {
            Ok(Config::parse_pyproject(path, &text)?.unwrap_or_else(|| Config {
                source: Some(path.to_path_buf()),
                ..Config::default()
            }))
        } else {
            Config::parse(path, &text)
        }
    }

    /// The folder relative paths in the config are resolved against.
    pub fn base_dir(&self) -> Option<&Path> {
        self.source.as_deref().and_then(Path::parent)
    }

    /// The effective level of a rule: the config's, else its default.
    pub fn level(&self, code: &str, default: Severity, enabled_by_default: bool) -> Level {
        match self.rules.get(code) {
            Some(l) => *l,
            None if enabled_by_default => Level::On(default),
            None => Level::Off,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_levels_and_options() {
        let c = Config::parse(
            Path::new("/p/berth.toml"),
            "mask-secrets = false\nignore-paths = [\"vendor/**\"]\n[rules]\nDL3008 = \"warning\"\nUndefinedVar = \"off\"\n",
        )
        .unwrap();
        assert_eq!(c.rules["DL3008"], Level::On(Severity::Warning));
        assert_eq!(c.level("UndefinedVar", Severity::Warning, true), Level::Off);
        assert_eq!(c.level("DL3013", Severity::Warning, false), Level::Off);
        assert_eq!(c.level("DL3008", Severity::Info, false), Level::On(Severity::Warning));
        assert!(!c.mask_secrets);
        assert_eq!(c.ignore_paths, vec!["vendor/**"]);
    }

    #[test]
    fn reports_errors_with_ranges() {
        let e = Config::parse(Path::new("/p/berth.toml"), "[rules]\nX = \"loud\"\n").unwrap_err();
        assert!(e.message.contains("unknown level `loud`"), "{}", e.message);
        assert_eq!(e.range, Some(12..18));
        let e = Config::parse(Path::new("/p/berth.toml"), "colour = 1\n").unwrap_err();
        assert!(e.message.contains("unknown field `colour`"), "{}", e.message);
        assert!(e.range.is_some());
    }

    #[test]
    fn reads_pyproject_tool_table() {
        let text = "[project]\nname = \"x\"\n[tool.berth.rules]\nenv-unused = \"off\"\n";
        let c = Config::parse_pyproject(Path::new("/p/pyproject.toml"), text).unwrap().unwrap();
        assert_eq!(c.rules["env-unused"], Level::Off);
        assert_eq!(
            Config::parse_pyproject(Path::new("/p/pyproject.toml"), "[project]\n").unwrap(),
            None
        );
    }
}

//! `berth check` and friends as CI runs them: the built binary on small projects written to
//! temporary folders, checking output formats, exit codes, selection, configuration and --fix.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use expect_test::expect;
use serde_json::Value;

/// A throwaway project folder, removed when dropped.
struct Project {
    root: PathBuf,
}

impl Project {
    fn new(files: &[(&str, &str)]) -> Project {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let root = std::env::temp_dir().join(format!(
            "berth-cli-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&root);
        for (path, text) in files {
            let full = root.join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        }
        Project { root }
    }

    fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.root.join(path)).unwrap()
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `berth ARGS` inside `dir`, as a CI job would from the repository root.
fn berth(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_berth"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run berth");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn codes(run: &Run) -> Vec<String> {
    let json: Value = serde_json::from_str(&run.stdout).expect("json output");
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

const CLEAN_COMPOSE: &str = "services:\n  web:\n    image: nginx:1.27\n";
/// `depends_on` names no service (an error) and the build target names no stage of the
/// Dockerfile next to it (an error whose cause is in the other file).
const BROKEN_COMPOSE: &str =
    "services:\n  web:\n    build:\n      context: .\n      target: prod\n    depends_on: [db]\n";
const DOCKERFILE: &str = "FROM python:3.12-slim AS production\nHEALTHCHECK CMD true\n";
/// Only warnings and infos: spaces around `=`, trailing whitespace.
const WARNING_ENV: &str = "FOO = bar\nBAZ=1   \n";

#[test]
fn clean_project_exits_0() {
    let p = Project::new(&[("compose.yaml", CLEAN_COMPOSE)]);
    let run = berth(&p.root, &["check"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    expect![[r#"
        ok: 1 file checked, no problems
    "#]]
    .assert_eq(&run.stdout);
}

#[test]
fn human_output_points_into_the_other_file() {
    let p = Project::new(&[("compose.yaml", BROKEN_COMPOSE), ("Dockerfile", DOCKERFILE)]);
    let run = berth(&p.root, &["check", "compose.yaml"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    expect![[r#"
        error[unknown-build-target]: The Dockerfile has no stage named `prod`
         --> compose.yaml:5:15
          |
        5 |       target: prod
          |               ^^^^
          = note: stages are named with `FROM … AS name` (Dockerfile:1:1)
          = fix: Change to `production`

        error[undefined-service]: `web` depends on `db`, which is not a service of this project
         --> compose.yaml:6:18
          |
        6 |     depends_on: [db]
          |                  ^^

        summary: 2 errors, 0 warnings, 0 info, 0 hints in 1 file
    "#]]
    .assert_eq(&run.stdout);
}

#[test]
fn fail_on_and_severity_thresholds() {
    let p = Project::new(&[(".env", WARNING_ENV)]);
    let default = berth(&p.root, &["check", "--format", "json"]);
    assert_eq!(default.code, 0, "warnings alone do not fail by default");
    assert_eq!(codes(&default), ["spaces-around-equal", "trailing-whitespace"]);

    let fail = berth(&p.root, &["check", "--fail-on", "warning", "--format", "json"]);
    assert_eq!(fail.code, 1);

    let errors_only = berth(&p.root, &["check", "--severity", "warning", "--format", "json"]);
    assert_eq!(codes(&errors_only), ["spaces-around-equal"]);
    // A hidden finding cannot fail the run.
    let hidden = berth(&p.root, &["check", "--severity", "error", "--fail-on", "info"]);
    assert_eq!(hidden.code, 0, "{}", hidden.stdout);

    let bad = berth(&p.root, &["check", "--fail-on", "loud"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("not a level"), "{}", bad.stderr);
}

#[test]
fn missing_path_exits_2() {
    let p = Project::new(&[("compose.yaml", CLEAN_COMPOSE)]);
    let run = berth(&p.root, &["check", "nowhere"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr, "error: nowhere: no such file or folder\n");
}

#[test]
fn invalid_config_exits_2_with_its_place() {
    let p = Project::new(&[
        ("compose.yaml", CLEAN_COMPOSE),
        ("berth.toml", "[rules]\nduplicate-key = \"loud\"\n"),
    ]);
    let run = berth(&p.root, &["check"]);
    assert_eq!(run.code, 2);
    expect![[r#"
        error: invalid configuration: berth.toml:2:17: rule `duplicate-key`: unknown level `loud` (use off, hint, info, warning or error)
    "#]]
    .assert_eq(&run.stderr);

    let missing = berth(&p.root, &["check", "--config", "other.toml"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("other.toml: no such file"), "{}", missing.stderr);
}

#[test]
fn select_and_ignore_by_code_or_prefix() {
    let p = Project::new(&[
        ("Dockerfile", "FROM python:3.12\nRUN wget https://example.com/x.tgz\n"),
        (".env", WARNING_ENV),
    ]);
    let all = berth(&p.root, &["check", "--format", "json"]);
    assert!(codes(&all).contains(&"DL3047".to_string()), "{:?}", codes(&all));
    assert!(codes(&all).contains(&"DL3057".to_string()), "{:?}", codes(&all));

    let dl3 = berth(&p.root, &["check", "--format", "json", "--select", "DL3", "--ignore=DL3057"]);
    assert_eq!(codes(&dl3), ["DL3047"]);

    let two =
        berth(&p.root, &["check", "--format", "json", "--select", "spaces-around-equal,DL3057"]);
    assert_eq!(codes(&two), ["spaces-around-equal", "DL3057"]);

    let ignored = berth(
        &p.root,
        &["check", "--format", "json", "--ignore", "DL3", "--ignore", "trailing-whitespace"],
    );
    assert_eq!(codes(&ignored), ["spaces-around-equal"]);

    let typo = berth(&p.root, &["check", "--select", "DL9"]);
    assert_eq!(typo.code, 2);
    assert!(typo.stderr.contains("--select DL9"), "{}", typo.stderr);
}

#[test]
fn nearest_config_wins_and_flags_beat_it() {
    let p = Project::new(&[
        ("berth.toml", "[rules]\nspaces-around-equal = \"off\"\n"),
        ("app/berth.toml", "[rules]\ntrailing-whitespace = \"off\"\n"),
        ("app/.env", WARNING_ENV),
    ]);
    // From the project root the root file applies; from `app/` only app's.
    let root = berth(&p.root, &["check", "--format", "json"]);
    assert_eq!(codes(&root), ["trailing-whitespace"]);
    let app = berth(&p.root.join("app"), &["check", "--format", "json"]);
    assert_eq!(codes(&app), ["spaces-around-equal"]);
    let named = berth(&p.root, &["check", "--format", "json", "app/.env"]);
    assert_eq!(codes(&named), ["spaces-around-equal"]);

    // --config replaces discovery.
    let explicit =
        berth(&p.root.join("app"), &["check", "--format", "json", "--config", "../berth.toml"]);
    assert_eq!(codes(&explicit), ["trailing-whitespace"]);

    // Selecting a rule the config turned off turns it back on; ignoring one hides it.
    let selected = berth(
        &p.root.join("app"),
        &["check", "--format", "json", "--select", "trailing-whitespace,spaces-around-equal"],
    );
    assert_eq!(codes(&selected), ["spaces-around-equal", "trailing-whitespace"]);
    let ignored =
        berth(&p.root.join("app"), &["check", "--format", "json", "--ignore", "spaces-around"]);
    assert!(codes(&ignored).is_empty());
}

#[test]
fn pyproject_tool_table_and_ignore_paths() {
    let p = Project::new(&[
        (
            "pyproject.toml",
            "[project]\nname = \"x\"\n[tool.berth]\nignore-paths = [\"vendor/**\"]\n[tool.berth.rules]\ntrailing-whitespace = \"off\"\n",
        ),
        (".env", WARNING_ENV),
        ("vendor/.env", WARNING_ENV),
    ]);
    let run = berth(&p.root, &["check", "--format", "json"]);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let paths: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["span"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, [".env"]);
    assert_eq!(codes(&run), ["spaces-around-equal"]);
}

#[test]
fn json_format_is_the_documented_schema() {
    let p = Project::new(&[("compose.yaml", BROKEN_COMPOSE), ("Dockerfile", DOCKERFILE)]);
    let run = berth(&p.root, &["check", "--format", "json", "compose.yaml"]);
    assert_eq!(run.code, 1);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["version"], 1);
    let d = &json["diagnostics"][0];
    assert_eq!(d["code"], "unknown-build-target");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["span"]["path"], "compose.yaml");
    assert_eq!(d["span"]["start"], serde_json::json!({ "line": 5, "column": 15 }));
    assert_eq!(d["span"]["end"], serde_json::json!({ "line": 5, "column": 19 }));
    assert_eq!(d["related"][0]["span"]["path"], "Dockerfile");
    assert_eq!(d["fixes"][0]["preferred"], true);
    assert_eq!(json["summary"]["errors"], 2);
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let p = Project::new(&[("compose.yaml", BROKEN_COMPOSE), ("Dockerfile", DOCKERFILE)]);
    let run = berth(&p.root, &["check", "--format", "sarif", "compose.yaml"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let log: Value = serde_json::from_str(&run.stdout).unwrap();

    let schema_text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json"),
    )
    .unwrap();
    let schema: Value = serde_json::from_str(&schema_text).unwrap();
    let validator =
        jsonschema::options().should_validate_formats(true).build(&schema).expect("schema");
    let errors: Vec<String> =
        validator.iter_errors(&log).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "SARIF output is not valid:\n{}", errors.join("\n"));
    // The validator does reject what the schema forbids.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));

    let run0 = &log["runs"][0];
    let driver = &run0["tool"]["driver"];
    assert_eq!(driver["name"], "berth");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    let target = rules.iter().find(|r| r["id"] == "unknown-build-target").expect("rule metadata");
    assert!(target["helpUri"].as_str().unwrap().ends_with("/docs/rules/unknown-build-target.md"));
    assert_eq!(target["defaultConfiguration"]["level"], "error");

    let result = &run0["results"][0];
    assert_eq!(result["ruleId"], "unknown-build-target");
    assert_eq!(result["level"], "error");
    assert_eq!(rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"], result["ruleId"]);
    let loc = &result["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "compose.yaml");
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(
        loc["region"],
        serde_json::json!({ "startLine": 5, "startColumn": 15, "endLine": 5, "endColumn": 19 })
    );
    let related = &result["relatedLocations"][0];
    assert_eq!(related["physicalLocation"]["artifactLocation"]["uri"], "Dockerfile");
    assert_eq!(related["physicalLocation"]["region"]["startLine"], 1);
}

#[test]
fn sarif_of_a_clean_run_is_valid_too() {
    let p = Project::new(&[("compose.yaml", CLEAN_COMPOSE)]);
    let run = berth(&p.root, &["check", "--format", "sarif"]);
    assert_eq!(run.code, 0);
    let log: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn github_workflow_commands_escape_properties() {
    let p = Project::new(&[("we,ird:dir/.env", WARNING_ENV)]);
    let run = berth(&p.root, &["check", "--format", "github", "--fail-on", "warning"]);
    assert_eq!(run.code, 1);
    expect![[r#"
        ::warning file=we%2Cird%3Adir/.env,line=1,col=4,endLine=1,endColumn=7,title=spaces-around-equal::remove the spaces around `=` in `FOO`
        ::notice file=we%2Cird%3Adir/.env,line=2,col=6,endLine=2,endColumn=9,title=trailing-whitespace::trailing whitespace
    "#]]
    .assert_eq(&run.stdout);
}

#[test]
fn fix_applies_preferred_fixes_once_and_keeps_crlf() {
    let files: &[(&str, &str)] = &[
        (".env", "FOO = bar\r\nBAZ=1   \r\nlower=x\r\n"),
        ("Dockerfile", "FROM python:3.12 AS Build\nMAINTAINER me\nHEALTHCHECK CMD true\n"),
    ];
    let once = Project::new(files);
    let run = berth(&once.root, &["check", "--fix"]);
    assert!(run.stdout.starts_with("fixed 4 findings in 2 files\n"), "{}", run.stdout);
    // What has no preferred fix is still reported.
    assert!(run.stdout.contains("lowercase-key"), "{}", run.stdout);
    assert_eq!(once.read(".env"), "FOO=bar\r\nBAZ=1\r\nlower=x\r\n");
    assert!(once.read("Dockerfile").starts_with("FROM python:3.12 AS build\nLABEL"));

    let twice = Project::new(files);
    berth(&twice.root, &["check", "--fix"]);
    let again = berth(&twice.root, &["check", "--fix"]);
    assert!(again.stdout.starts_with("fixed 0 findings in 0 files\n"), "{}", again.stdout);
    for (path, _) in files {
        assert_eq!(once.read(path), twice.read(path), "{path}: --fix twice differs from once");
    }
}

#[test]
fn fix_respects_the_selection() {
    let p = Project::new(&[(".env", WARNING_ENV)]);
    let run = berth(&p.root, &["check", "--fix", "--select", "trailing-whitespace"]);
    assert!(run.stdout.starts_with("fixed 1 finding in 1 file\n"), "{}", run.stdout);
    assert_eq!(p.read(".env"), "FOO = bar\nBAZ=1\n");
}

#[test]
fn rules_and_rule_commands() {
    let p = Project::new(&[]);
    std::fs::create_dir_all(&p.root).unwrap();
    let rules = berth(&p.root, &["rules"]);
    assert_eq!(rules.code, 0);
    let header = rules.stdout.lines().next().unwrap();
    assert!(header.starts_with("CODE "), "{header}");
    // Columns line up: every row has its level where the header has LEVEL.
    let level_col = header.find("LEVEL").unwrap();
    for line in rules.stdout.lines().skip(1) {
        let level = line[level_col..].split_whitespace().next().unwrap();
        assert!(["off", "hint", "info", "warning", "error"].contains(&level), "{line}");
    }
    let one = berth(&p.root, &["rule", "dl3008"]);
    assert_eq!(one.code, 0);
    assert!(one.stdout.starts_with("# DL3008\n"), "{}", one.stdout);
    assert_eq!(berth(&p.root, &["rule", "no-such-rule"]).code, 2);
}

#[test]
fn committed_rule_docs_match_the_rule_tables() {
    let out = Project::new(&[]);
    let run =
        berth(Path::new(env!("CARGO_MANIFEST_DIR")), &["gen-docs", out.root.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let names = |dir: &Path| {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .map(|it| it.filter_map(|e| e.ok()?.file_name().into_string().ok()).collect())
            .unwrap_or_default();
        v.sort();
        v
    };
    let hint =
        "docs/rules/ is out of date: run `cargo run -- gen-docs docs/rules` and commit the result";
    let (fresh, old) = (names(&out.root), names(&committed));
    let stale: Vec<_> = old.iter().filter(|n| !fresh.contains(n)).collect();
    assert!(stale.is_empty(), "{hint} (and delete {stale:?}, which no rule generates)");
    for name in &fresh {
        let want = std::fs::read_to_string(out.root.join(name)).unwrap();
        let have = std::fs::read_to_string(committed.join(name)).unwrap_or_default();
        assert!(want == have, "{hint}: {name} differs");
    }
}

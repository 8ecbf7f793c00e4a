//! Cross-file behaviour over JSON-RPC on a copy of the Django example: a change in the compose
//! file republishes the diagnostics of an open settings module, hovers span files, and the
//! env-typo quick fix edits the compose file.

mod common;

use std::path::{Path, PathBuf};

use common::{Client, TempDir, pos, range, uri};
use serde_json::{Value, json};

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() == "node_modules" {
                continue;
            }
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags.iter().map(|d| d["code"].as_str().unwrap_or("").to_string()).collect()
}

/// Line and column (0-based, UTF-16 = bytes here: the example is ASCII) of `needle`.
fn find(text: &str, needle: &str) -> (u32, u32) {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle} not found"));
    let line = text[..at].matches('\n').count() as u32;
    let col = (at - text[..at].rfind('\n').map_or(0, |i| i + 1)) as u32;
    (line, col)
}

/// The Django example copied to a fresh folder, indexed by a new server, with its compose file
/// and production settings open.
struct Opened {
    c: Client,
    init: Value,
    _dir: TempDir,
    compose_text: String,
    cu: String,
    su: String,
}

fn open_example(name: &str, pull: bool) -> Opened {
    let dir = TempDir::new(name);
    copy_dir(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/django-compose"), &dir.0);
    let compose_path = dir.0.join("docker-compose.yml");
    let settings_path = dir.0.join("app/settings/production.py");
    let compose_text = std::fs::read_to_string(&compose_path).unwrap();
    let settings_text = std::fs::read_to_string(&settings_path).unwrap();

    let mut c = Client::spawn();
    let init = c.initialize_with(Some(&dir.0), &["utf-16"], pull);
    // Wait for the workspace scan so cross-file facts are known.
    c.wait(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end")
        .expect("indexing finishes");
    let cu = uri(&compose_path);
    let su = uri(&settings_path);
    c.open(&cu, "dockercompose", &compose_text);
    c.open(&su, "python", &settings_text);
    Opened { c, init, _dir: dir, compose_text, cu, su }
}

#[test]
fn editing_compose_republishes_settings_diagnostics() {
    let Opened { mut c, compose_text, cu, su, .. } = open_example("cross-file", false);
    let mut settings_diags = c.diagnostics(&su, Some(1));
    while !codes(&settings_diags).contains(&"env-missing".to_string()) {
        settings_diags = c.diagnostics(&su, Some(1));
    }
    let missing = settings_diags.iter().find(|d| d["code"] == "env-missing").unwrap();
    assert!(missing["message"].as_str().unwrap().contains("SECRET_KEY"));
    let related = missing["relatedInformation"].as_array().expect("points at the service");
    assert!(related.iter().any(|r| r["location"]["uri"] == cu.as_str()), "{related:?}");

    // Hover on the typo in the compose file names the variable the code reads.
    let (l, col) = find(&compose_text, "DATABSE_URL");
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": cu}, "position": pos(l, col + 2)}),
    );
    assert!(hover["contents"]["value"].as_str().unwrap().contains("DATABSE_URL"), "{hover}");

    // The env-typo quick fix renames it in the compose file.
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": cu}, "range": range(l, col, l, col + 11),
               "context": {"diagnostics": []}}),
    );
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["isPreferred"] == true && a["title"].as_str().unwrap().contains("DATABASE_URL"))
        .unwrap_or_else(|| panic!("no preferred rename fix in {actions}"));
    let edits = &fix["edit"]["changes"][cu.as_str()];
    assert_eq!(edits[0]["newText"], "DATABASE_URL", "{fix}");

    // Give `worker` a SECRET_KEY: the open settings module is republished without env-missing.
    let (wl, _) = find(&compose_text, "    depends_on: [redis, mailcatcher]");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": cu, "version": 2},
               "contentChanges": [{"range": range(wl, 0, wl, 0),
                                   "text": "      SECRET_KEY: dev-only\n"}]}),
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let d = c.diagnostics(&su, None);
        if !d.iter().any(|x| {
            x["code"] == "env-missing" && x["message"].as_str().unwrap().contains("SECRET_KEY")
        }) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "env-missing was never withdrawn");
    }
    c.shutdown();
}

/// With a client that pulls diagnostics: full reports carry a result id, an unchanged document
/// is answered "unchanged", and a compose edit that changes an open settings module's
/// cross-file findings makes the server ask for a re-pull.
#[test]
fn pull_diagnostics_report_unchanged_and_refresh_across_files() {
    let Opened { mut c, init, compose_text, cu, su, .. } = open_example("cross-file-pull", true);
    assert_eq!(init["capabilities"]["diagnosticProvider"]["interFileDependencies"], true);
    let pull = |c: &mut Client, u: &str, previous: Option<&str>| {
        c.request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": u}, "previousResultId": previous}),
        )
    };
    let first = pull(&mut c, &su, None);
    assert_eq!(first["kind"], "full", "{first}");
    let items = first["items"].as_array().unwrap();
    assert!(codes(items).contains(&"env-missing".to_string()), "{first}");
    let id = first["resultId"].as_str().expect("a result id").to_string();
    let again = pull(&mut c, &su, Some(&id));
    assert_eq!(again["kind"], "unchanged", "{again}");
    assert_eq!(again["resultId"], id.as_str());

    // Give `worker` a SECRET_KEY: the server asks for a re-pull, and the settings module's
    // report is new and without env-missing.
    let (wl, _) = find(&compose_text, "    depends_on: [redis, mailcatcher]");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": cu, "version": 2},
               "contentChanges": [{"range": range(wl, 0, wl, 0),
                                   "text": "      SECRET_KEY: dev-only\n"}]}),
    );
    c.wait(|m| m["method"] == "workspace/diagnostic/refresh").expect("a refresh request");
    let after = pull(&mut c, &su, Some(&id));
    assert_eq!(after["kind"], "full", "{after}");
    assert_ne!(after["resultId"], id.as_str());
    assert!(
        !after["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["code"] == "env-missing"
                && x["message"].as_str().unwrap().contains("SECRET_KEY")),
        "{after}"
    );
    // Nothing was pushed for the open documents (everything received so far is in the
    // backlog; the pulls above were answered after the loop's runs): the client pulls them.
    assert!(!c.received(|m| m["method"] == "textDocument/publishDiagnostics"
        && (m["params"]["uri"] == cu.as_str() || m["params"]["uri"] == su.as_str())));
    c.shutdown();
}

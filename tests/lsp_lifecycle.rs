//! The server driven over JSON-RPC as an editor drives it.

mod common;

use common::{Client, TempDir, pos, range, uri};
use serde_json::{Value, json};

#[test]
fn open_change_diagnostics_shutdown() {
    let dir = TempDir::new("lifecycle");
    let path = dir.write("compose.yaml", "");
    let mut c = Client::spawn();
    let init = c.initialize(Some(&dir.0), &["utf-16"]);
    assert_eq!(init["capabilities"]["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(init["serverInfo"]["name"], "berth");

    let u = uri(&path);
    c.open(&u, "dockercompose", "services:\n  web:\n    image: x\n");
    assert!(c.diagnostics(&u, Some(1)).is_empty());

    // Break the YAML with an incremental edit: `image: x` → `image: [x`.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2},
               "contentChanges": [{"range": range(2, 11, 2, 11), "text": "["}]}),
    );
    let diags = c.diagnostics(&u, Some(2));
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["source"], "berth");
    assert_eq!(diags[0]["code"], "syntax-error");
    assert_eq!(diags[0]["range"], range(2, 11, 2, 12));
    assert!(diags[0]["message"].as_str().unwrap().contains("unclosed `[`"));
    assert!(diags[0]["codeDescription"]["href"].as_str().unwrap().ends_with("syntax-error.md"));

    // And mend it again (`image: [x]` would be a list where a string belongs).
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 3},
               "contentChanges": [{"range": range(2, 11, 2, 12), "text": ""}]}),
    );
    assert!(c.diagnostics(&u, Some(3)).is_empty());
    c.shutdown();
}

#[test]
fn utf8_encoding_is_preferred_and_positions_count_bytes() {
    let mut c = Client::spawn();
    let init = c.initialize(None, &["utf-16", "utf-8"]);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    let u = "file:///nowhere/compose.yaml";
    // 'é' is two bytes: in utf-8 the `[` sits at byte column 16.
    c.open(u, "yaml", "services:\n  wé:\n    image: \"é\" [\n");
    let diags = c.diagnostics(u, Some(1));
    assert!(!diags.is_empty());
    c.shutdown();
}

#[test]
fn bad_input_keeps_the_server_serving() {
    let mut c = Client::spawn();
    c.initialize(None, &["utf-16"]);
    // A change for a document that was never opened is logged, not fatal.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///nope/Dockerfile", "version": 2},
               "contentChanges": [{"range": range(0, 0, 0, 0), "text": "x"}]}),
    );
    let u = "file:///p/Dockerfile";
    c.open(u, "dockerfile", "FROM python:3.12\n");
    c.diagnostics(u, Some(1));
    // Out-of-range positions clamp.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2},
               "contentChanges": [{"range": range(40, 3, 99, 99), "text": "RUN echo hi\n"}]}),
    );
    c.diagnostics(u, Some(2));
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": pos(500, 500)}),
    );
    assert!(hover.is_null() || hover.is_object());
    // Unknown methods get MethodNotFound.
    let id = c.request_async("berth/noSuchMethod", json!({}));
    let resp = c.response(id);
    assert_eq!(resp["error"]["code"], -32601);
    // Malformed JSON with a valid frame: the server answers with a parse error and goes on.
    c.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    let syms = c.request("textDocument/documentSymbol", json!({"textDocument": {"uri": u}}));
    assert!(syms.is_array());
    assert!(c.is_alive());
    c.shutdown();
}

#[test]
fn editor_features_over_the_wire() {
    let dir = TempDir::new("features");
    let df = dir.write("Dockerfile", "FROM python:3.12 AS base\nCOPY --from=base /a /b\n\n");
    let mut c = Client::spawn();
    c.initialize(Some(&dir.0), &["utf-16"]);
    let u = uri(&df);
    c.open(&u, "dockerfile", &std::fs::read_to_string(&df).unwrap());
    c.diagnostics(&u, Some(1));

    let hover =
        c.request("textDocument/hover", json!({"textDocument": {"uri": u}, "position": pos(0, 1)}));
    assert!(hover["contents"]["value"].as_str().unwrap().contains("FROM"), "{hover}");

    let completion = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": pos(2, 0)}),
    );
    let labels: Vec<&str> = completion["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(labels.contains(&"RUN"), "{labels:?}");

    // `--from=base` goes to the stage.
    let def = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": u}, "position": pos(1, 13)}),
    );
    assert_eq!(def[0]["range"]["start"], pos(0, 20), "{def}");

    let sig = c.request(
        "textDocument/signatureHelp",
        json!({"textDocument": {"uri": u}, "position": pos(1, 5)}),
    );
    assert!(sig["signatures"][0]["label"].as_str().unwrap().contains("COPY"), "{sig}");

    let symbols = c.request("textDocument/documentSymbol", json!({"textDocument": {"uri": u}}));
    assert!(symbols.as_array().is_some_and(|s| !s.is_empty()), "{symbols}");

    let folds = c.request("textDocument/foldingRange", json!({"textDocument": {"uri": u}}));
    assert!(folds.is_array());

    // FROM, python (type), AS, base (namespace); COPY, --from (parameter), base.
    let tokens = c.request("textDocument/semanticTokens/full", json!({"textDocument": {"uri": u}}));
    assert_eq!(
        tokens,
        json!({"data": [0, 0, 4, 0, 0, 0, 5, 6, 9, 0, 0, 12, 2, 0, 0, 0, 3, 4, 8, 0,
                        1, 0, 4, 0, 0, 0, 5, 6, 2, 0, 0, 7, 4, 8, 0]})
    );

    let edits = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": u}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    assert!(edits.is_array());
    c.shutdown();
}

#[test]
fn configuration_is_read_reloaded_and_checked() {
    let dir = TempDir::new("config");
    let cfg = dir.write("berth.toml", "[rules]\nsyntax-error = \"loud\"\n");
    let compose = dir.write("compose.yaml", "services:\n  web:\n    ports: [1, 2\n");
    let mut c = Client::spawn();
    c.initialize(Some(&dir.0), &["utf-16"]);
    // An invalid configuration gets a diagnostic on the config file itself.
    let diags = c.diagnostics(&uri(&cfg), None);
    assert_eq!(diags[0]["code"], "invalid-config", "{diags:?}");
    assert!(diags[0]["message"].as_str().unwrap().contains("unknown level `loud`"));

    let cu = uri(&compose);
    c.open(&cu, "dockercompose", &std::fs::read_to_string(&compose).unwrap());
    assert_eq!(c.diagnostics(&cu, Some(1))[0]["code"], "syntax-error");

    // Turn the rule off on disk and tell the server: the finding goes away.
    std::fs::write(&cfg, "[rules]\nsyntax-error = \"off\"\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&cfg), "type": 2}]}),
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let d = c.diagnostics(&cu, None);
        if d.is_empty() {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the reloaded configuration was not applied");
    }
    // And the configuration's own finding is withdrawn.
    assert!(c.diagnostics(&uri(&cfg), None).is_empty());
    c.shutdown();
}

/// Editors built on libuv (VS Code) give the server a socket pair for its standard streams,
/// others pipes; run by hand, input may be a file. Each is served: a request gets its answer,
/// and `exit` ends the process.
#[cfg(unix)]
#[test]
fn served_over_a_socket_pair_and_from_a_file() {
    use std::io::{Read, Write};
    use std::os::unix::net::UnixStream;
    use std::process::{Command, Stdio};

    let frame = |v: serde_json::Value| {
        let body = v.to_string();
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    };
    let script = [
        frame(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})),
        frame(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}})),
        frame(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})),
        frame(json!({"jsonrpc": "2.0", "method": "exit"})),
    ]
    .concat();
    let answered = |out: &str| out.contains(r#""id":1"#) && out.contains(r#""id":2"#);

    let (mut ours, theirs) = UnixStream::pair().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_berth"))
        .arg("lsp")
        .stdin(Stdio::from(std::os::fd::OwnedFd::from(theirs.try_clone().unwrap())))
        .stdout(Stdio::from(std::os::fd::OwnedFd::from(theirs)))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    ours.write_all(script.as_bytes()).unwrap();
    ours.shutdown(std::net::Shutdown::Write).unwrap();
    let mut out = String::new();
    ours.read_to_string(&mut out).unwrap();
    assert!(child.wait().unwrap().success());
    assert!(answered(&out), "{out}");

    let dir = TempDir::new("stdin-file");
    let input = dir.write("input", &script);
    let done = Command::new(env!("CARGO_BIN_EXE_berth"))
        .arg("lsp")
        .stdin(std::fs::File::open(input).unwrap())
        .stderr(Stdio::null())
        .output()
        .unwrap();
    assert!(done.status.success());
    assert!(answered(&String::from_utf8_lossy(&done.stdout)));
}

/// Symbols, folding ranges and links go to the wire pre-serialised (a placeholder answer has its
/// result swapped in on the way out): the client gets the whole result, in its encoding.
#[test]
fn symbols_and_folds_arrive_whole() {
    let dir = TempDir::new("spliced");
    let text = "services:\n  web:\n    image: \"café:1\"\n    ports:\n      - \"80:80\"\n  db:\n    image: postgres\n    env_file: é.env\n";
    let f = dir.write("compose.yaml", text);
    let mut c = Client::spawn();
    c.initialize(Some(&dir.0), &["utf-16"]);
    let u = uri(&f);
    c.open(&u, "dockercompose", text);
    c.diagnostics(&u, Some(1));
    let symbols = c.request("textDocument/documentSymbol", json!({"textDocument": {"uri": u}}));
    let folds = c.request("textDocument/foldingRange", json!({"textDocument": {"uri": u}}));
    let links = c.request("textDocument/documentLink", json!({"textDocument": {"uri": u}}));
    c.shutdown();
    // One line per symbol, depth first: name, kind, range, selection (UTF-16 columns: `é` is
    // two bytes and one unit, so the first `image` ends at 19, not 20).
    fn outline(syms: &Value, depth: usize, out: &mut Vec<String>) {
        let at = |r: &Value| {
            let p = |p: &Value| format!("{}:{}", p["line"], p["character"]);
            format!("{}-{}", p(&r["start"]), p(&r["end"]))
        };
        for s in syms.as_array().unwrap() {
            out.push(format!(
                "{}{} {} {} {}",
                "  ".repeat(depth),
                s["name"].as_str().unwrap(),
                s["kind"],
                at(&s["range"]),
                at(&s["selectionRange"]),
            ));
            if let Some(children) = s.get("children") {
                outline(children, depth + 1, out);
            }
        }
    }
    let mut got = Vec::new();
    outline(&symbols, 0, &mut got);
    assert_eq!(
        got,
        [
            "services 3 0:0-8:0 0:0-0:8",
            "  web 5 1:2-4:15 1:2-1:5",
            "    image 7 2:4-2:19 2:4-2:9",
            "    ports 7 3:4-4:15 3:4-3:9",
            "  db 5 5:2-8:0 5:2-5:4",
            "    image 7 6:4-6:19 6:4-6:9",
            "    env_file 7 7:4-7:19 7:4-7:12",
        ],
        "{symbols}"
    );
    assert_eq!(symbols[0]["children"][0]["detail"], "café:1");
    let lines: Vec<(u64, u64)> = folds
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["startLine"].as_u64().unwrap(), f["endLine"].as_u64().unwrap()))
        .collect();
    assert_eq!(lines, [(0, 7), (1, 4), (3, 4), (5, 7)], "{folds}");
    assert_eq!(links.as_array().map(Vec::len), Some(1), "{links}");
    assert_eq!(links[0]["range"], range(7, 14, 7, 19), "{links}");
    let target = links[0]["target"].as_str().unwrap();
    assert!(target.starts_with("file://") && target.ends_with("/%C3%A9.env"), "{links}");
    assert!(!format!("{symbols}{folds}{links}").contains("berth-parked"));
}

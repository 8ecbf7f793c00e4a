//! Protocol hygiene: the server survives malformed framing and JSON, answers protocol errors
//! with the right codes, and stays bounded on hostile documents and workspaces. (The basic
//! lifecycle and a first bad-input test live in `lsp_lifecycle.rs`.)

mod common;

use common::{Client, TempDir, pos, range, uri};
use serde_json::{Value, json};

fn started() -> Client {
    let mut c = Client::spawn();
    c.initialize(None, &["utf-8"]);
    c
}

/// The server still answers a request (one that needs no document).
fn assert_serving(c: &mut Client) {
    let r = c.request("berth/debugText", json!({"uri": "file:///nothing/Dockerfile"}));
    assert!(r.is_null());
    assert!(c.is_alive());
}

fn error_code(resp: &Value) -> i64 {
    resp["error"]["code"].as_i64().unwrap_or_else(|| panic!("not an error: {resp}"))
}

fn parse_error(c: &mut Client) -> Value {
    c.wait(|m| m["error"]["code"] == -32700).expect("a parse error response")
}

#[test]
fn malformed_json_is_answered_with_parse_errors() {
    let mut c = started();
    for body in [&b"{not json"[..], b"\xff\xfe", b"", b"[1, 2", b"{\"jsonrpc\": \"2.0\", \"id\": "]
    {
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend_from_slice(body);
        c.send_raw(&frame);
        if !body.is_empty() {
            let e = parse_error(&mut c);
            assert!(e["id"].is_null(), "{e}");
        }
    }
    // Valid JSON that is no JSON-RPC message must not kill the server either.
    c.send(&json!([1, 2, 3]));
    c.send(&json!({"hello": "world"}));
    assert_serving(&mut c);
    c.shutdown();
}

#[test]
fn wrong_content_length_resynchronises() {
    let mut c = started();
    let ok = |id: i64| {
        let body = json!({"jsonrpc": "2.0", "id": id, "method": "berth/debugText",
                          "params": {"uri": "file:///x/Dockerfile"}})
        .to_string();
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    };
    // Too short: the body's tail runs into the next header.
    let body = r#"{"jsonrpc":"2.0","id":900,"method":"shutdown"}"#;
    c.send_raw(format!("Content-Length: 5\r\n\r\n{body}").as_bytes());
    c.send_raw(ok(901).as_bytes());
    parse_error(&mut c);
    assert!(c.response(901)["result"].is_null());
    // Non-numeric.
    c.send_raw(format!("Content-Length: abc\r\n\r\n{body}").as_bytes());
    c.send_raw(ok(902).as_bytes());
    parse_error(&mut c);
    assert!(c.response(902)["result"].is_null());
    // Too long: the body swallows the following messages; later ones get through.
    c.send_raw(b"Content-Length: 300\r\n\r\n{\"jsonrpc\":\"2.0\"}");
    for id in 903..910 {
        c.send_raw(ok(id).as_bytes());
    }
    parse_error(&mut c);
    assert!(c.response(909)["result"].is_null());
    assert_serving(&mut c);
    c.shutdown();
}

#[test]
fn protocol_error_codes() {
    let mut c = Client::spawn();
    // Before initialize: ServerNotInitialized.
    let id = c.request_async(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///a"}, "position": pos(0, 0)}),
    );
    assert_eq!(error_code(&c.response(id)), -32002);
    c.initialize(None, &["utf-16"]);
    // Unknown request: MethodNotFound; unknown notification: ignored.
    c.notify("berth/noSuchNotification", json!({}));
    let id = c.request_async("workspace/noSuchThing", json!({}));
    assert_eq!(error_code(&c.response(id)), -32601);
    // Wrong params: InvalidParams.
    let id = c.request_async("textDocument/hover", json!({"nope": 1}));
    assert_eq!(error_code(&c.response(id)), -32602);
    // After shutdown: InvalidRequest.
    let _ = c.request("shutdown", Value::Null);
    let id = c.request_async(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": "file:///a"}}),
    );
    assert_eq!(error_code(&c.response(id)), -32600);
    c.notify("exit", Value::Null);
}

#[test]
fn cancel_request_answers_cancelled_or_result() {
    let mut c = started();
    let u = "file:///cancel/compose.yaml";
    let mut text = String::from("services:\n");
    for i in 0..300 {
        text.push_str(&format!("  s{i}:\n    image: app\n    depends_on: [s{}]\n", (i + 1) % 300));
    }
    c.open(u, "yaml", &text);
    let ids: Vec<i64> = (0..5)
        .map(|_| {
            c.request_async(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": u}, "range": range(0, 0, 9000, 0),
                       "context": {"diagnostics": []}}),
            )
        })
        .collect();
    for &id in &ids {
        c.notify("$/cancelRequest", json!({"id": id}));
    }
    for id in ids {
        let r = c.response(id);
        assert!(r.get("result").is_some() || error_code(&r) == -32800, "{r}");
    }
    c.notify("$/cancelRequest", json!({"id": 12345}));
    assert_serving(&mut c);
    c.shutdown();
}

#[test]
fn unknown_documents_and_out_of_range_positions() {
    let mut c = started();
    let ghost = "file:///ghost/Dockerfile";
    c.notify("textDocument/didClose", json!({"textDocument": {"uri": ghost}}));
    c.notify("textDocument/didSave", json!({"textDocument": {"uri": ghost}}));
    for method in ["textDocument/hover", "textDocument/definition", "textDocument/completion"] {
        let r = c.request(method, json!({"textDocument": {"uri": ghost}, "position": pos(0, 0)}));
        assert!(r.is_null(), "{method}: {r}");
    }
    let u = "file:///p/Dockerfile";
    c.open(u, "dockerfile", "FROM python:3.12 AS base\nRUN echo é\n");
    let far = json!({"textDocument": {"uri": u}, "position": pos(u32::MAX, u32::MAX)});
    for method in [
        "textDocument/hover",
        "textDocument/completion",
        "textDocument/definition",
        "textDocument/documentHighlight",
        "textDocument/prepareRename",
    ] {
        let _ = c.request(method, far.clone());
    }
    let _ = c.request("textDocument/references",
        json!({"textDocument": {"uri": u}, "position": pos(1, 999), "context": {"includeDeclaration": true}}));
    // Reversed and out-of-range ranges.
    for r in [range(5, 0, 0, 0), range(0, 999, 0, 1), range(100, 0, 200, 0)] {
        let _ = c.request("textDocument/rangeFormatting",
            json!({"textDocument": {"uri": u}, "range": r, "options": {"tabSize": 4, "insertSpaces": true}}));
        let _ = c.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": r, "context": {"diagnostics": []}}),
        );
    }
    // A reversed edit range and one past the end keep client and server in step.
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": u, "version": 2},
        "contentChanges": [{"range": range(1, 5, 0, 2), "text": "X"}, {"range": range(50, 0, 60, 0), "text": "Y"}]}));
    let text = c.server_text(u).expect("open document");
    assert!(text.ends_with('Y'), "{text:?}");
    assert_serving(&mut c);
    c.shutdown();
}

#[test]
fn huge_document_is_synced_but_not_parsed() {
    let mut c = started();
    let u = "file:///big/Dockerfile";
    let line =
        "RUN echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n";
    let text = format!("FROM python:3.12\n{}", line.repeat(20 * 1024 * 1024 / line.len()));
    c.open(u, "dockerfile", &text);
    let diags = c.diagnostics(u, Some(1));
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "file-too-large");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2},
        "contentChanges": [{"range": range(0, 0, 0, 4), "text": "from"}]}),
    );
    let _ =
        c.request("textDocument/hover", json!({"textDocument": {"uri": u}, "position": pos(3, 3)}));
    let server = c.server_text(u).unwrap();
    assert_eq!(server.len(), text.len());
    assert!(server.starts_with("from python"));
    c.shutdown();
}

#[test]
fn hostile_workspace_files() {
    let dir = TempDir::new("hostile");
    // A binary file named Dockerfile, a symlink loop, cyclic star imports.
    std::fs::create_dir_all(dir.0.join("bin")).unwrap();
    std::fs::write(dir.0.join("bin/Dockerfile"), b"FROM x\0\x01\x02\xff\xfe binary").unwrap();
    std::fs::create_dir_all(dir.0.join("loop")).unwrap();
    std::os::unix::fs::symlink(&dir.0, dir.0.join("loop/up")).unwrap();
    std::os::unix::fs::symlink(dir.0.join("loop"), dir.0.join("loop/self")).unwrap();
    dir.write("pkg/__init__.py", "");
    dir.write("pkg/a.py", "import os\nfrom pkg.b import *\nA = os.environ['A']\n");
    dir.write("pkg/b.py", "import os\nfrom pkg.a import *\nfrom .a import *\nB = os.getenv('B')\n");
    let compose = dir.write("compose.yaml", "services:\n  web:\n    build: .\n    command: gunicorn pkg.a:app\n    environment:\n      DJANGO_SETTINGS_MODULE: pkg.a\n");
    dir.write("Dockerfile", "FROM python:3.12\n");
    let mut c = Client::spawn();
    c.initialize(Some(&dir.0), &["utf-8"]);
    let log = c
        .wait(|m| {
            m["method"] == "window/logMessage"
                && m["params"]["message"].as_str().is_some_and(|s| s.contains("indexed"))
        })
        .expect("the scan finishes");
    assert!(log["params"]["message"].as_str().unwrap().contains("indexed"));
    let skipped = c.backlog.iter().any(|m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"].as_str().is_some_and(|s| s.contains("bin/Dockerfile"))
    });
    assert!(skipped, "the binary Dockerfile is reported: {:?}", c.backlog);
    let cu = uri(&compose);
    c.open(&cu, "yaml", &std::fs::read_to_string(&compose).unwrap());
    c.diagnostics(&cu, Some(1));
    let a = uri(&dir.0.join("pkg/a.py"));
    c.open(&a, "python", "import os\nfrom pkg.b import *\nA = os.environ['A']\n");
    let _ = c.request("textDocument/documentSymbol", json!({"textDocument": {"uri": a}}));
    // A file deleted under the server.
    let df = dir.0.join("Dockerfile");
    std::fs::remove_file(&df).unwrap();
    c.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": uri(&df), "type": 3}]}));
    assert!(c.server_text(&uri(&df)).is_none());
    let _ = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": cu}, "position": pos(2, 12)}),
    );
    // A change event for a file outside the workspace is not read.
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": "file:///etc/Dockerfile", "type": 2}]}),
    );
    assert!(c.server_text("file:///etc/Dockerfile").is_none());
    assert_serving(&mut c);
    c.shutdown();
}

#[test]
fn deep_nesting_and_alias_bombs_are_bounded() {
    let mut c = started();
    let deep = "file:///deep/compose.yaml";
    let n = 10_000;
    let text = format!(
        "services:\n  web:\n    x-deep: {}{}\n    image: a\n",
        "[".repeat(n),
        "]".repeat(n)
    );
    c.open(deep, "yaml", &text);
    c.diagnostics(deep, Some(1));
    let block: String = (0..n).map(|_| "- ").collect::<String>() + "x\n";
    let deep2 = "file:///deep2/compose.yaml";
    c.open(deep2, "yaml", &format!("services:\n  web:\n    x-deep:\n      {block}"));
    c.diagnostics(deep2, Some(1));
    let bomb = "file:///bomb/compose.yaml";
    let mut text = String::from("x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let mut prev = "a".to_string();
    for i in 0..9 {
        let name = format!("b{i}");
        let refs = vec![format!("*{prev}"); 9].join(", ");
        text.push_str(&format!("x-{name}: &{name} [{refs}]\n"));
        prev = name;
    }
    text.push_str(&format!("services:\n  web:\n    image: a\n    <<: *{prev}\n    command: *{prev}\n    environment: *{prev}\n"));
    c.open(bomb, "yaml", &text);
    c.diagnostics(bomb, Some(1));
    for u in [deep, deep2, bomb] {
        for method in [
            "textDocument/documentSymbol",
            "textDocument/foldingRange",
            "textDocument/semanticTokens/full",
            "textDocument/documentLink",
        ] {
            let _ = c.request(method, json!({"textDocument": {"uri": u}}));
        }
        for line in 0..12 {
            let _ = c.request(
                "textDocument/hover",
                json!({"textDocument": {"uri": u}, "position": pos(line, 10)}),
            );
            let _ = c.request(
                "textDocument/completion",
                json!({"textDocument": {"uri": u}, "position": pos(line, 6)}),
            );
        }
    }
    assert_serving(&mut c);
    c.shutdown();
}

#[test]
fn a_panicking_handler_is_answered_and_the_server_goes_on() {
    let mut c = Client::spawn_with(&["lsp"], &[("BERTH_TEST_PANIC", "1")]);
    c.initialize(None, &["utf-8"]);
    let id = c.request_async("berth/debugPanic", json!({}));
    let r = c.response(id);
    assert_eq!(error_code(&r), -32603, "{r}");
    assert!(r["error"]["message"].as_str().unwrap().contains("panic"), "{r}");
    assert_serving(&mut c);
    c.shutdown();
}

#[test]
fn the_panic_trigger_is_off_by_default() {
    let mut c = started();
    let id = c.request_async("berth/debugPanic", json!({}));
    assert_eq!(error_code(&c.response(id)), -32601);
    c.shutdown();
}

#[test]
fn invalid_utf8_on_disk_is_read_lossily_and_logged() {
    let dir = TempDir::new("bad-utf8");
    std::fs::write(dir.0.join(".env"), b"NAME=caf\xe9\nDEBUG=1\n").unwrap();
    // (Unreadable folders cannot be staged here: tests may run as root, who reads anything;
    // the walker's errors go through the same logged `skipped` list as binary files.)
    let mut c = Client::spawn();
    c.initialize(Some(&dir.0), &["utf-16"]);
    c.wait(|m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"].as_str().is_some_and(|s| s.contains("not valid UTF-8"))
    })
    .expect("the lossy read is logged");
    let env = uri(&dir.0.join(".env"));
    let text = c.server_text(&env).expect("the file is still indexed");
    assert_eq!(text, "NAME=caf\u{fffd}\nDEBUG=1\n");
    assert_serving(&mut c);
    c.shutdown();
}

//! A minimal LSP client for tests: spawns the built `berth` binary and speaks JSON-RPC with
//! Content-Length framing over its stdio, as an editor would.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub const TIMEOUT: Duration = Duration::from_secs(20);

pub struct Client {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next_id: i64,
    /// Notifications and server requests seen while waiting for something else.
    pub backlog: Vec<Value>,
}

pub fn uri(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            len = v.trim().parse::<usize>().ok();
        }
    }
    let mut buf = vec![0; len?];
    r.read_exact(&mut buf).ok()?;
    serde_json::from_slice(&buf).ok()
}

impl Client {
    pub fn spawn() -> Client {
        Self::spawn_with_args(&["lsp"])
    }

    pub fn spawn_with_args(args: &[&str]) -> Client {
        Self::spawn_with(args, &[])
    }

    pub fn spawn_with(args: &[&str], env: &[(&str, &str)]) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_berth"))
            .args(args)
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn berth");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(msg) = read_message(&mut r) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        Client { child, stdin, rx, next_id: 1, backlog: Vec::new() }
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        let _ = self.stdin.write_all(bytes);
        let _ = self.stdin.flush();
    }

    pub fn send(&mut self, msg: &Value) {
        let body = serde_json::to_vec(msg).unwrap();
        let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        out.extend(body);
        self.send_raw(&out);
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Send a request and return its id without waiting.
    pub fn request_async(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// The whole response message (with `result` or `error`).
    pub fn response(&mut self, id: i64) -> Value {
        self.wait(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
            .unwrap_or_else(|| panic!("no response to request {id}"))
    }

    /// Send a request and wait for its result (panics on an error response).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.request_async(method, params);
        let resp = self.response(id);
        if let Some(err) = resp.get("error") {
            panic!("{method} failed: {err}");
        }
        resp["result"].clone()
    }

    /// Wait for a message matching `pred`, answering server→client requests on the way.
    /// Messages that do not match stay in the backlog.
    pub fn wait(&mut self, pred: impl Fn(&Value) -> bool) -> Option<Value> {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return Some(self.backlog.remove(i));
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            match self.rx.recv_timeout(left) {
                Ok(msg) => {
                    if msg.get("method").is_some() && msg.get("id").is_some() {
                        self.answer_server_request(&msg);
                    }
                    if pred(&msg) {
                        return Some(msg);
                    }
                    self.backlog.push(msg);
                }
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => {
                    return None;
                }
            }
        }
    }

    /// Whether a message already received (and not consumed) matches `pred`.
    pub fn received(&self, pred: impl Fn(&Value) -> bool) -> bool {
        self.backlog.iter().any(pred)
    }

    fn answer_server_request(&mut self, msg: &Value) {
        let result = match msg["method"].as_str().unwrap_or("") {
            "workspace/configuration" => {
                let n = msg["params"]["items"].as_array().map_or(0, |a| a.len());
                Value::Array(vec![Value::Null; n])
            }
            _ => Value::Null,
        };
        let id = msg["id"].clone();
        self.send(&json!({"jsonrpc": "2.0", "id": id, "result": result}));
    }

    /// Wait for `publishDiagnostics` for `uri` (and `version`, if given).
    pub fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let uri = uri.to_string();
        let msg = self
            .wait(|m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == uri.as_str()
                    && version.is_none_or(|v| m["params"]["version"] == json!(v))
            })
            .unwrap_or_else(|| panic!("no diagnostics for {uri} version {version:?}"));
        msg["params"]["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    pub fn initialize(&mut self, root: Option<&std::path::Path>, encodings: &[&str]) -> Value {
        self.initialize_with(root, encodings, false)
    }

    /// `initialize` + `initialized`; with `pull`, the client declares pull diagnostics and
    /// `workspace/diagnostic/refresh` support.
    pub fn initialize_with(
        &mut self,
        root: Option<&std::path::Path>,
        encodings: &[&str],
        pull: bool,
    ) -> Value {
        let folders = root.map(|r| json!([{"uri": uri(r), "name": "root"}])).unwrap_or(Value::Null);
        let mut caps = json!({
            "general": {"positionEncodings": encodings},
            "window": {"workDoneProgress": true},
            "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}},
            "textDocument": {
                "completion": {"completionItem": {"snippetSupport": true}},
                "documentSymbol": {"hierarchicalDocumentSymbolSupport": true}
            }
        });
        if pull {
            caps["workspace"]["diagnostics"] = json!({"refreshSupport": true});
            caps["textDocument"]["diagnostic"] = json!({"dynamicRegistration": false});
        }
        let result = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root.map(uri),
                "workspaceFolders": folders,
                "capabilities": caps
            }),
        );
        self.notify("initialized", json!({}));
        result
    }

    pub fn open(&mut self, uri: &str, language_id: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language_id, "version": 1, "text": text}}),
        );
    }

    pub fn shutdown(mut self) {
        let _ = self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                assert!(status.success(), "berth exited with {status}");
                return;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("berth did not exit after `exit`");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The server's own text of a document (the test-only `berth/debugText` request).
    pub fn server_text(&mut self, uri: &str) -> Option<String> {
        self.request("berth/debugText", json!({"uri": uri})).as_str().map(str::to_string)
    }

    /// Resident memory of the server process in KiB (Linux only).
    pub fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    pub fn is_alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

pub fn pos(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

pub fn range(l1: u32, c1: u32, l2: u32, c2: u32) -> Value {
    json!({"start": pos(l1, c1), "end": pos(l2, c2)})
}

/// A temporary folder that is removed on drop.
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("berth-test-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    pub fn write(&self, rel: &str, text: &str) -> std::path::PathBuf {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

//! Diagnostic reports written to the wire without tower-lsp-server's detour through
//! `serde_json::Value`. tower-lsp-server turns every response into a `Value` tree and then into
//! text; for a report of hundreds of findings that detour (a map per diagnostic, built, printed
//! and freed) cost more than the analysis behind it. So the pull handler serialises the items
//! itself, parks the bytes here under the report's result id, and answers with the same report
//! minus its items; the output side puts the bytes back before the frame leaves the process.
//!
//! Other large results (the symbols or folding ranges of a long file) take the same way: the
//! handler serialises the typed result itself, parks it under a fresh token, and answers with
//! a placeholder (an object, or a one-element array of one) holding the token in a string
//! field (see [`Splices::park_result`]);
//! the output side swaps the placeholder result for the parked bytes.
//!
//! Result ids and tokens are unique, so a parked entry can only match its own response. An
//! entry whose response never comes (the request was cancelled) is dropped once newer ones
//! push it out; a placeholder whose entry was pushed out is answered with `ContentModified`,
//! which clients answer by asking again.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::Value;

/// Parked results kept at most. An editor asks for a handful at once after an edit (symbols,
/// folding ranges, diagnostics), and with push diagnostics an edit reports every open file
/// whose findings changed, all parked before the first goes out; past this, the oldest go
/// (a request is then answered `ContentModified`, a report skipped until the next).
const MAX_PARKED: usize = 256;

/// Starts the token of a placeholder result. A control character, which serde_json writes
/// escaped (`\u0001`), so the escaped form is what a frame is searched for.
const MARK: &str = "\u{1}berth-parked:";
const MARK_ESCAPED: &[u8] = b"\\u0001berth-parked:";

/// Placeholder frames are short: one small object with a token, and a file's URI. A frame
/// longer than this is never one (paths are at most a few kilobytes).
const PLACEHOLDER_MAX: usize = 64 * 1024;

#[derive(Default)]
pub struct Splices {
    parked: Mutex<VecDeque<(String, Arc<Vec<u8>>)>>,
    len: AtomicUsize,
}

impl Splices {
    /// Park `items` (a JSON array) for the full report whose result id is `result_id`.
    pub fn park(&self, result_id: &str, items: Arc<Vec<u8>>) {
        let mut parked = crate::util::lock(&self.parked);
        if parked.len() >= MAX_PARKED {
            parked.pop_front();
        }
        parked.push_back((result_id.to_string(), items));
        self.len.store(parked.len(), Ordering::Release);
    }

    /// Park a serialised result (JSON) and return the token for its placeholder: the handler
    /// answers with an object, or a one-element array of one, holding the token in a string
    /// field.
    pub fn park_result(&self, json: Vec<u8>) -> String {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        static SECRET: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
        // Random per process, so that no text in a document can name a parked result.
        let secret = SECRET.get_or_init(|| {
            use std::hash::{BuildHasher, Hasher};
            std::collections::hash_map::RandomState::new().build_hasher().finish()
        });
        let token = format!("{MARK}{secret:016x}-{}", NEXT.fetch_add(1, Ordering::Relaxed));
        self.park(&token, Arc::new(json));
        token
    }

    fn take(&self, result_id: &str) -> Option<Arc<Vec<u8>>> {
        let mut parked = crate::util::lock(&self.parked);
        let at = parked.iter().position(|(id, _)| id == result_id)?;
        let items = parked.remove(at).map(|(_, items)| items);
        self.len.store(parked.len(), Ordering::Release);
        items
    }

    /// The frame (header and body) to send for `body`: the same body, or with parked items put
    /// back into a full diagnostic report that was answered without them. One buffer either
    /// way: a report can be hundreds of kilobytes.
    pub fn frame(&self, body: &[u8]) -> Vec<u8> {
        if let Some(framed) = self.placeholder_replaced(body) {
            return framed;
        }
        let Some((msg, items)) = self.spliced(body) else { return super::transport::frame(body) };
        let Some((head, tail)) = msg.rsplit_once("[]") else {
            return super::transport::frame(body);
        };
        let len = head.len() + items.len() + tail.len();
        let header = format!("Content-Length: {len}\r\n\r\n");
        let mut out = Vec::with_capacity(header.len() + len);
        out.extend_from_slice(header.as_bytes());
        out.extend_from_slice(head.as_bytes());
        out.extend_from_slice(&items);
        out.extend_from_slice(tail.as_bytes());
        out
    }

    /// The frame for a response whose result is a placeholder (see [`Splices::park_result`]):
    /// the parked result in its place, or `ContentModified` when it was pushed out.
    fn placeholder_replaced(&self, body: &[u8]) -> Option<Vec<u8>> {
        // Not gated on anything being parked: a placeholder whose entry is gone must still be
        // answered with an error rather than go out as a result.
        if body.len() > PLACEHOLDER_MAX || memchr::memmem::find(body, MARK_ESCAPED).is_none() {
            return None;
        }
        let Ok(Value::Object(mut msg)) = serde_json::from_slice::<Value>(body) else { return None };
        if msg.get("method").and_then(Value::as_str) == Some("textDocument/publishDiagnostics") {
            return self.notification_replaced(&mut msg);
        }
        let placeholder = match msg.get("result")? {
            Value::Array(items) => match items.as_slice() {
                [Value::Object(only)] => only,
                _ => return None,
            },
            Value::Object(result) => result,
            _ => return None,
        };
        let token =
            placeholder.values().find_map(|v| v.as_str().filter(|t| t.starts_with(MARK)))?;
        let id = serde_json::to_string(msg.get("id")?).ok()?;
        let body = match self.take(token) {
            Some(json) => {
                let mut out = format!("{{\"jsonrpc\":\"2.0\",\"id\":{id},\"result\":").into_bytes();
                out.extend_from_slice(&json);
                out.push(b'}');
                out
            }
            None => format!(
                "{{\"jsonrpc\":\"2.0\",\"id\":{id},\"error\":{{\"code\":-32801,\"message\":\"berth: the result was dropped; ask again\"}}}}"
            )
            .into_bytes(),
        };
        Some(super::transport::frame(&body))
    }

    /// A `publishDiagnostics` whose one finding is a placeholder, with the parked findings in
    /// its place; an empty frame (nothing is sent) when they were pushed out, which leaves the
    /// client with the file's previous findings until the next report rather than a bogus one.
    fn notification_replaced(&self, msg: &mut serde_json::Map<String, Value>) -> Option<Vec<u8>> {
        let Some(Value::Object(params)) = msg.get_mut("params") else { return None };
        let Some(Value::Array(items)) = params.get("diagnostics") else { return None };
        let [Value::Object(only)] = items.as_slice() else { return None };
        let token = only.get("message")?.as_str().filter(|t| t.starts_with(MARK))?.to_string();
        let Some(json) = self.take(&token) else { return Some(Vec::new()) };
        params.remove("diagnostics");
        // `{…}` + `"diagnostics":[]` last, split at that final `[]` for the parked array.
        params.insert("diagnostics".into(), Value::Array(Vec::new()));
        let text = serde_json::to_string(&Value::Object(std::mem::take(msg))).ok()?;
        let at = text.rfind("\"diagnostics\":[]")? + "\"diagnostics\":[".len();
        let mut body = Vec::with_capacity(text.len() + json.len());
        body.extend_from_slice(&text.as_bytes()[..at - 1]);
        body.extend_from_slice(&json);
        body.extend_from_slice(&text.as_bytes()[at + 1..]);
        Some(super::transport::frame(&body))
    }

    /// For a full report answered without its parked items: the message re-serialised with its
    /// `items` last (written `[]`, where the parked array goes), and the items.
    fn spliced(&self, body: &[u8]) -> Option<(String, Arc<Vec<u8>>)> {
        // A report answered without its items is a short message; anything long is not one.
        if self.len.load(Ordering::Acquire) == 0 || body.len() > 512 {
            return None;
        }
        let Ok(Value::Object(mut msg)) = serde_json::from_slice::<Value>(body) else {
            return None;
        };
        let Some(Value::Object(result)) = msg.get("result") else { return None };
        let is_emptied_report = result.get("kind").and_then(Value::as_str) == Some("full")
            && result.get("items").and_then(Value::as_array).is_some_and(|a| a.is_empty());
        if !is_emptied_report {
            return None;
        }
        let items = self.take(result.get("resultId").and_then(Value::as_str)?)?;
        let Some(Value::Object(mut result)) = msg.remove("result") else { return None };
        result.remove("items");
        // `{…rest}` + `"items":[]` last, for the caller to split at that final `[]`; neither
        // rest is empty (the message holds jsonrpc and id, the report kind and resultId).
        let mut report = serde_json::to_string(&result).ok()?;
        report.pop();
        report.push_str(",\"items\":[]}");
        let mut out = serde_json::to_string(&msg).ok()?;
        out.pop();
        out.push_str(",\"result\":");
        out.push_str(&report);
        out.push('}');
        Some((out, items))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(result_id: &str, items: &str) -> Vec<u8> {
        format!(
            r#"{{"jsonrpc":"2.0","result":{{"items":{items},"kind":"full","resultId":"{result_id}"}},"id":7}}"#
        )
        .into_bytes()
    }

    fn park(s: &Splices, id: &str, items: &str) {
        s.park(id, Arc::new(items.as_bytes().to_vec()));
    }

    /// The body of a frame, checked against its header.
    fn body(frame: Vec<u8>) -> Vec<u8> {
        let text = String::from_utf8(frame).unwrap();
        let (header, body) = text.split_once("\r\n\r\n").unwrap();
        assert_eq!(header, format!("Content-Length: {}", body.len()));
        body.as_bytes().to_vec()
    }

    #[test]
    fn parked_items_go_back_into_their_report_only() {
        let s = Splices::default();
        park(&s, "3", r#"[{"message":"a"}]"#);
        // Another report, an unchanged report and a notification pass untouched.
        for other in [
            response("4", "[]"),
            br#"{"jsonrpc":"2.0","result":{"kind":"unchanged","resultId":"3"},"id":8}"#.to_vec(),
            br#"{"jsonrpc":"2.0","method":"window/logMessage","params":{}}"#.to_vec(),
        ] {
            assert_eq!(body(s.frame(&other)), other);
        }
        let out: Value = serde_json::from_slice(&body(s.frame(&response("3", "[]")))).unwrap();
        assert_eq!(
            out,
            serde_json::json!({"jsonrpc": "2.0", "id": 7, "result":
                {"kind": "full", "resultId": "3", "items": [{"message": "a"}]}})
        );
        // Used once: the same id again is left alone.
        assert_eq!(body(s.frame(&response("3", "[]"))), response("3", "[]"));
    }

    /// A response whose result is a placeholder holding `token` (as serde_json writes one).
    fn placeholder(id: i64, token: &str) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({"jsonrpc": "2.0", "id": id,
            "result": [{"name": token, "kind": 1}]}))
        .unwrap()
    }

    #[test]
    fn placeholder_results_are_swapped_for_the_parked_ones() {
        let s = Splices::default();
        let token = s.park_result(br#"[{"name":"web"}]"#.to_vec());
        let other = s.park_result(b"[1,2]".to_vec());
        let out: Value = serde_json::from_slice(&body(s.frame(&placeholder(4, &token)))).unwrap();
        assert_eq!(
            out,
            serde_json::json!({"jsonrpc": "2.0", "id": 4, "result": [{"name": "web"}]})
        );
        let out: Value = serde_json::from_slice(&body(s.frame(&placeholder(5, &other)))).unwrap();
        assert_eq!(out["result"], serde_json::json!([1, 2]));
        // An object result (semantic tokens) holding the token.
        let tokens = s.park_result(br#"{"data":[0,1,2,3,0]}"#.to_vec());
        let msg = serde_json::json!({"jsonrpc": "2.0", "id": 9, "result": {"resultId": tokens, "data": []}});
        let out: Value =
            serde_json::from_slice(&body(s.frame(&serde_json::to_vec(&msg).unwrap()))).unwrap();
        assert_eq!(out["result"], serde_json::json!({"data": [0, 1, 2, 3, 0]}));
        // Used once: the same token again finds nothing, and the client is told to ask again.
        let out: Value = serde_json::from_slice(&body(s.frame(&placeholder(6, &token)))).unwrap();
        assert_eq!(out["error"]["code"], -32801, "{out}");
        assert_eq!(out["id"], 6);
    }

    #[test]
    fn pushed_reports_get_their_parked_findings() {
        let s = Splices::default();
        let publish = |token: &str| {
            serde_json::to_vec(&serde_json::json!({"jsonrpc": "2.0",
                "method": "textDocument/publishDiagnostics",
                "params": {"uri": "file:///a/compose.yaml", "version": 3,
                    "diagnostics": [{"range": {"start": {"line": 0, "character": 0},
                        "end": {"line": 0, "character": 0}}, "message": token}]}}))
            .unwrap()
        };
        let token = s.park_result(br#"[{"message":"x"},{"message":"y"}]"#.to_vec());
        let out: Value = serde_json::from_slice(&body(s.frame(&publish(&token)))).unwrap();
        assert_eq!(
            out,
            serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics",
                "params": {"uri": "file:///a/compose.yaml", "version": 3,
                    "diagnostics": [{"message": "x"}, {"message": "y"}]}})
        );
        // Its entry gone, the report is not sent at all (never a placeholder finding).
        assert!(s.frame(&publish(&token)).is_empty());
        // A report with a real finding goes out as it is.
        let real = publish("`web` depends on `db`");
        assert_eq!(body(s.frame(&real)), real);
    }

    #[test]
    fn text_that_only_looks_like_a_placeholder_is_left_alone() {
        let s = Splices::default();
        let token = s.park_result(b"[1]".to_vec());
        // A name with the mark but another process's secret, and two-element results.
        let forged = format!("{MARK}0000000000000000-0");
        let two = serde_json::to_vec(&serde_json::json!({"jsonrpc": "2.0", "id": 1,
            "result": [{"name": token}, {"name": "x"}]}))
        .unwrap();
        for frame in [placeholder(1, "web"), two] {
            assert_eq!(body(s.frame(&frame)), frame);
        }
        let out: Value = serde_json::from_slice(&body(s.frame(&placeholder(2, &forged)))).unwrap();
        assert_eq!(out["error"]["code"], -32801, "a forged token is never served another's result");
        let out: Value = serde_json::from_slice(&body(s.frame(&placeholder(3, &token)))).unwrap();
        assert_eq!(out["result"], serde_json::json!([1]));
    }

    #[test]
    fn a_report_that_already_has_items_is_not_touched() {
        let s = Splices::default();
        park(&s, "3", "[1]");
        let full = response("3", r#"[{"message":"b"}]"#);
        assert_eq!(body(s.frame(&full)), full);
    }

    #[test]
    fn unanswered_entries_are_pushed_out() {
        let s = Splices::default();
        for i in 0..=MAX_PARKED {
            park(&s, &i.to_string(), "[1]");
        }
        assert_eq!(body(s.frame(&response("0", "[]"))), response("0", "[]"));
        let last = body(s.frame(&response(&MAX_PARKED.to_string(), "[]")));
        assert!(String::from_utf8(last).unwrap().contains(r#""items":[1]"#));
    }
}

//! Diagnostic reports written to the wire without tower-lsp-server's detour through
//! `serde_json::Value`. tower-lsp-server turns every response into a `Value` tree and then into
//! text; for a report of hundreds of findings that detour (a map per diagnostic, built, printed
//! and freed) cost more than the analysis behind it. So the pull handler serialises the items
//! itself, parks the bytes here under the report's result id, and answers with the same report
//! minus its items; the output side puts the bytes back before the frame leaves the process.
//!
//! Result ids are unique per report, so a parked entry can only match its own response. An
//! entry whose response never comes (the request was cancelled) is dropped once newer ones
//! push it out.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::Value;

/// Parked reports kept at most; more than a handful are only in flight when requests are
/// cancelled.
const MAX_PARKED: usize = 8;

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

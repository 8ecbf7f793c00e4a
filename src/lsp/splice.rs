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
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

/// Parked reports kept at most; more than a handful are only in flight when requests are
/// cancelled.
const MAX_PARKED: usize = 8;

#[derive(Default)]
pub struct Splices {
    parked: Mutex<VecDeque<(String, Vec<u8>)>>,
    len: AtomicUsize,
}

impl Splices {
    /// Park `items` (a JSON array) for the full report whose result id is `result_id`.
    pub fn park(&self, result_id: &str, items: Vec<u8>) {
        let mut parked = crate::util::lock(&self.parked);
        if parked.len() >= MAX_PARKED {
            parked.pop_front();
        }
        parked.push_back((result_id.to_string(), items));
        self.len.store(parked.len(), Ordering::Release);
    }

    fn take(&self, result_id: &str) -> Option<Vec<u8>> {
        let mut parked = crate::util::lock(&self.parked);
        let at = parked.iter().position(|(id, _)| id == result_id)?;
        let items = parked.remove(at).map(|(_, items)| items);
        self.len.store(parked.len(), Ordering::Release);
        items
    }

    /// The frame body to send for `body`: the same, or with parked items put back into a full
    /// diagnostic report that was answered without them.
    pub fn apply(&self, body: Vec<u8>) -> Vec<u8> {
        // A report answered without its items is a short message; anything long is not one.
        if self.len.load(Ordering::Acquire) == 0 || body.len() > 512 {
            return body;
        }
        let Ok(Value::Object(mut msg)) = serde_json::from_slice::<Value>(&body) else {
            return body;
        };
        let Some(Value::Object(result)) = msg.get_mut("result") else { return body };
        let is_emptied_report = result.get("kind").and_then(Value::as_str) == Some("full")
            && result.get("items").and_then(Value::as_array).is_some_and(|a| a.is_empty());
        let Some(items) = result
            .get("resultId")
            .and_then(Value::as_str)
            .filter(|_| is_emptied_report)
            .and_then(|id| self.take(id))
        else {
            return body;
        };
        result.remove("items");
        let Some(Value::Object(result)) = msg.remove("result") else { return body };
        // `{…rest}` → `{…rest,"items":[…]}`; rest is never empty (it holds kind and resultId).
        let mut report = serde_json::to_vec(&result).unwrap_or_default();
        report.pop();
        report.extend_from_slice(b",\"items\":");
        report.extend_from_slice(&items);
        report.push(b'}');
        let mut out = serde_json::to_vec(&msg).unwrap_or_default();
        out.pop();
        out.extend_from_slice(b",\"result\":");
        out.extend_from_slice(&report);
        out.push(b'}');
        out
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

    #[test]
    fn parked_items_go_back_into_their_report_only() {
        let s = Splices::default();
        s.park("3", br#"[{"message":"a"}]"#.to_vec());
        // Another report, an unchanged report and a notification pass untouched.
        for other in [
            response("4", "[]"),
            br#"{"jsonrpc":"2.0","result":{"kind":"unchanged","resultId":"3"},"id":8}"#.to_vec(),
            br#"{"jsonrpc":"2.0","method":"window/logMessage","params":{}}"#.to_vec(),
        ] {
            assert_eq!(s.apply(other.clone()), other);
        }
        let out: Value = serde_json::from_slice(&s.apply(response("3", "[]"))).unwrap();
        assert_eq!(
            out,
            serde_json::json!({"jsonrpc": "2.0", "id": 7, "result":
                {"kind": "full", "resultId": "3", "items": [{"message": "a"}]}})
        );
        // Used once: the same id again is left alone.
        assert_eq!(s.apply(response("3", "[]")), response("3", "[]"));
    }

    #[test]
    fn a_report_that_already_has_items_is_not_touched() {
        let s = Splices::default();
        s.park("3", b"[1]".to_vec());
        let full = response("3", r#"[{"message":"b"}]"#);
        assert_eq!(s.apply(full.clone()), full);
    }

    #[test]
    fn unanswered_entries_are_pushed_out() {
        let s = Splices::default();
        for i in 0..=MAX_PARKED {
            s.park(&i.to_string(), b"[1]".to_vec());
        }
        assert_eq!(s.apply(response("0", "[]")), response("0", "[]"));
        let last = s.apply(response(&MAX_PARKED.to_string(), "[]"));
        assert!(String::from_utf8(last).unwrap().contains(r#""items":[1]"#));
    }
}

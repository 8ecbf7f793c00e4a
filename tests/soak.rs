//! Soak test: thousands of seeded random edits and requests against the real binary, across
//! files of all four kinds. After every step the server must answer; periodically its text
//! must equal the client's and its resident memory must stay flat after warm-up.
//! `BERTH_SOAK_STEPS=100000 cargo test --release --test soak` runs the long version.

mod common;

use common::{Client, TempDir, uri};
use serde_json::json;

/// A small deterministic generator (xorshift), so a failing seed replays exactly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "",
    " ",
    "\n",
    "\r\n",
    "x",
    "FROM python:3.12 AS b\n",
    "RUN ",
    "${",
    "}",
    "$X",
    ":",
    "- ",
    "  ",
    "[",
    "]",
    "\"",
    "=",
    "#",
    "é",
    "世界",
    "😀",
    "os.environ[\"A\"]\n",
    "services:\n",
    "  web:\n    image: a\n",
    "KEY=value\n",
    "\\\n",
    "<<EOF\n",
    "EOF\n",
];

/// LSP (line, UTF-8 column) of byte `at` in `text`: `\n`, `\r\n` and a lone `\r` end lines.
fn position(text: &str, at: usize) -> (u32, u32) {
    let b = text.as_bytes();
    let (mut line, mut line_start) = (0, 0);
    for i in 0..at {
        let ends = b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n'));
        if ends {
            line += 1;
            line_start = i + 1;
        }
    }
    (line, (at - line_start) as u32)
}

/// A char boundary at or before `i` that does not split a `\r\n` pair.
fn boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    let b = text.as_bytes();
    while !text.is_char_boundary(i) || (i > 0 && b[i - 1] == b'\r' && b.get(i) == Some(&b'\n')) {
        i -= 1;
    }
    i
}

#[test]
fn soak() {
    let steps: usize =
        std::env::var("BERTH_SOAK_STEPS").ok().and_then(|s| s.parse().ok()).unwrap_or(600);
    let seed: u64 =
        std::env::var("BERTH_SOAK_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5eed);
    let dir = TempDir::new("soak");
    let files = [
        (
            "Dockerfile",
            "dockerfile",
            "FROM python:3.12-slim AS base\nARG PORT=8000\nCOPY . /app\nCMD [\"gunicorn\"]\n",
        ),
        (
            "compose.yaml",
            "yaml",
            "services:\n  web:\n    build: {context: ., target: base}\n    env_file: .env\n    depends_on: [db]\n  db:\n    image: postgres:16\n",
        ),
        (".env", "dotenv", "SECRET_KEY=abc\nDEBUG=1\n"),
        ("app/settings.py", "python", "import os\nSECRET_KEY = os.environ[\"SECRET_KEY\"]\n"),
    ];
    let mut c = Client::spawn();
    c.initialize(Some(&dir.0), &["utf-8"]);
    let mut docs: Vec<(String, String, i64)> = files
        .iter()
        .map(|(name, lang, text)| {
            let u = uri(&dir.write(name, text));
            c.open(&u, lang, text);
            (u, text.to_string(), 1)
        })
        .collect();
    let mut rng = Rng(seed);
    let mut baseline = None;
    for step in 0..steps {
        let (u, text, version) = {
            let i = rng.below(docs.len());
            &mut docs[i]
        };
        // One edit, kept in step on the client side.
        let start = boundary(text, rng.below(text.len() + 1));
        let end = boundary(text, start + rng.below(8));
        let insert = PIECES[rng.below(PIECES.len())];
        let (l1, c1) = position(text, start);
        let (l2, c2) = position(text, end);
        text.replace_range(start..end, insert);
        if text.len() > 4000 {
            text.truncate(boundary(text, 2000)); // keep the documents editor-sized
            *version += 1;
            c.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": u, "version": *version},
                "contentChanges": [{"text": text.clone()}]}),
            );
        } else {
            *version += 1;
            c.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": u, "version": *version},
                "contentChanges": [{"range": common::range(l1, c1, l2, c2), "text": insert}]}),
            );
        }
        // One request at a random place.
        let at = boundary(text, rng.below(text.len() + 1));
        let (line, col) = position(text, at);
        let td = json!({"uri": u});
        let p = common::pos(line, col);
        let (method, params) = match rng.below(8) {
            0 => ("textDocument/completion", json!({"textDocument": td, "position": p})),
            1 => ("textDocument/hover", json!({"textDocument": td, "position": p})),
            2 => ("textDocument/definition", json!({"textDocument": td, "position": p})),
            3 => (
                "textDocument/references",
                json!({"textDocument": td, "position": p, "context": {"includeDeclaration": true}}),
            ),
            4 => (
                "textDocument/codeAction",
                json!({"textDocument": td, "range": {"start": p, "end": p}, "context": {"diagnostics": []}}),
            ),
            5 => (
                "textDocument/formatting",
                json!({"textDocument": td, "options": {"tabSize": 4, "insertSpaces": true}}),
            ),
            6 => ("textDocument/documentSymbol", json!({"textDocument": td})),
            _ => ("textDocument/semanticTokens/full", json!({"textDocument": td})),
        };
        let id = c.request_async(method, params);
        let resp = c.response(id);
        assert!(resp.get("result").is_some(), "step {step} (seed {seed}): {method} failed: {resp}");
        // Diagnostics pile up in the backlog; only the protocol matters here.
        c.backlog.clear();
        if step % 50 == 49 {
            for (u, text, _) in &docs {
                assert_eq!(c.server_text(u).as_deref(), Some(text.as_str()), "step {step}: {u}");
            }
            let rss = c.rss_kib().unwrap_or(0);
            match baseline {
                None if step >= steps / 4 => baseline = Some(rss),
                Some(b) => assert!(
                    rss <= b * 2 + 16 * 1024,
                    "step {step}: resident memory grew from {b} KiB to {rss} KiB"
                ),
                None => {}
            }
        }
    }
    assert!(c.is_alive());
    c.shutdown();
}

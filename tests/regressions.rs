//! Inputs that once crashed or wedged berth (found by the fuzzers in `fuzz/` and the protocol
//! tests), replayed through the same harnesses the fuzz targets use.

use berth::fuzzing;
use berth::workspace::FileKind;

/// tree-sitter-yaml's scanner aborted the process (a C assertion, not a Rust panic) when more
/// than ~250 block levels were open: the parser now refuses such YAML instead.
#[test]
fn deeply_nested_block_yaml_does_not_abort() {
    let block: String = (0..10_000).map(|_| "- ").collect::<String>() + "x\n";
    fuzzing::analyse(FileKind::Compose, &format!("services:\n  web:\n    x-deep:\n      {block}"));
    let indented: String = (0..400).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect();
    fuzzing::analyse(FileKind::Compose, &indented);
}

/// Valid JSON that is not a JSON-RPC message used to reach tower-lsp-server, whose reader
/// stops for good on it.
#[test]
fn non_message_json_is_filtered() {
    fuzzing::transport(b"Content-Length: 7\r\n\r\n[1,2,3]Content-Length: 2\r\n\r\n{}");
    fuzzing::session(
        b"[1,2,3]\0{\"hello\":1}\0{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"shutdown\"}",
    );
}

/// A wrong Content-Length leaves the reader mid-body; it resynchronises on the next header.
#[test]
fn wrong_content_length_resynchronises() {
    fuzzing::transport(b"Content-Length: 3\r\n\r\n{\"a\":1}Content-Length: 2\r\n\r\n{}");
    fuzzing::transport(b"Content-Length: 99999999999\r\n\r\nabc");
}

/// A Dockerfile word with an escape before a multi-byte character inside double quotes
/// (`"\é"`) stepped into the middle of the character and panicked on slicing.
#[test]
fn escaped_multibyte_char_in_double_quotes() {
    fuzzing::analyse(
        FileKind::Dockerfile,
        "FROM a\nRUN echo \"\\é\" \"\\\u{fffd}x\"\nENV A=\"\\😀\"\n",
    );
    let crash = include_bytes!("fixtures/fuzz-models-crash-1");
    let (kind, text) = fuzzing::split_input(crash);
    fuzzing::models(kind, &text);
    fuzzing::analyse(FileKind::Dockerfile, &String::from_utf8_lossy(crash));
}

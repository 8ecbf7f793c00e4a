#![no_main]
//! The JSON-RPC framing filter in front of the server, on raw bytes.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    berth::fuzzing::transport(data);
});

#![no_main]
//! Dockerfile model and rules: every analysis feature at every offset.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    berth::fuzzing::analyse(berth::workspace::FileKind::Dockerfile, &String::from_utf8_lossy(data));
});

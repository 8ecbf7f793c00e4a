#![no_main]
//! The per-kind models alone (first byte picks the kind): cheap, so the fuzzer goes deep.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (kind, text) = berth::fuzzing::split_input(data);
    berth::fuzzing::models(kind, &text);
});

#![no_main]
//! Edit sequences: incremental parsing agrees with parsing from scratch.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    berth::fuzzing::edits(data);
});

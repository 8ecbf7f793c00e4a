#![no_main]
//! Python env reads, imports and settings model.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    berth::fuzzing::analyse(berth::workspace::FileKind::Python, &String::from_utf8_lossy(data));
});

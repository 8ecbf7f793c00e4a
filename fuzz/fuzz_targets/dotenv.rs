#![no_main]
//! Dotenv parser, rules and features.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    berth::fuzzing::analyse(berth::workspace::FileKind::Dotenv, &String::from_utf8_lossy(data));
});

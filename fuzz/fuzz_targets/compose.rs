#![no_main]
//! Compose: YAML tree, model, rules and every analysis feature.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    berth::fuzzing::analyse(berth::workspace::FileKind::Compose, &String::from_utf8_lossy(data));
});

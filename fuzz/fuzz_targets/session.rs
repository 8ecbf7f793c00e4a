#![no_main]
//! A whole server session: NUL-separated messages after initialize.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    berth::fuzzing::session(data);
});

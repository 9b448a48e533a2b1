//! Fuzz target: see `harness::yaml_aliases` (shared with `tests/fuzz_regressions.rs`).
#![no_main]

#[path = "../../tests/support/fuzz.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    harness::yaml_aliases(data);
});

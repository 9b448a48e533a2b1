//! Fuzz target: see `harness::yaml_aliases` (shared with `tests/suite/fuzz_regressions.rs`).
#![no_main]

// Each target drives one of the shared harness functions.
#[allow(dead_code)]
#[path = "../../tests/suite/support/fuzz.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    harness::yaml_aliases(data);
});

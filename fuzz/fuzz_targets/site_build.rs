//! Fuzz target: see `harness::site_build` (shared with `tests/fuzz_regressions.rs`).
#![no_main]

#[path = "../../tests/support/fuzz.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    harness::site_build(data);
});

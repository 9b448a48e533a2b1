//! Fuzz target: see `harness::frontmatter` (shared with `tests/fuzz_regressions.rs`).
#![no_main]

#[path = "../../tests/support/fuzz.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    harness::frontmatter(data);
});

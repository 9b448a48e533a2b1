//! The evidence a reader can check, in a real headless Chromium: a matrix cell's note shows
//! the claim's quote as a quotation, marked as checked against the archived copy, when the
//! cell has the focus or the pointer, on a desktop and on a phone. Builds the evidence
//! fixture (tests/fixtures/evidence), serves it on loopback and drives the browser through
//! the DevTools protocol. Without a browser it prints "SKIPPED" (or fails, when `CI` is set).

use serde_json::Value;

use super::support::{self, eval, open};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/evidence");

/// Focuses the first cell of the speed row (a quoted claim) and returns what its note shows:
/// (displayed and inside the window, the quotation's text, the note's text).
fn focused_note(tab: &headless_chrome::browser::tab::Tab) -> (bool, String, String) {
    let value = eval(
        tab,
        "(() => { const a = document.querySelector('#row-speed td.cell a'); a.focus(); \
         const n = document.getElementById(a.getAttribute('aria-describedby')); \
         const r = n.getBoundingClientRect(); const q = n.querySelector('q'); \
         return JSON.stringify([getComputedStyle(n).display !== 'none' && r.width > 0 \
           && r.left >= 0 && r.right <= innerWidth, q ? q.textContent : '', \
           n.textContent.replace(/\\s+/g, ' ')]); })()",
    );
    serde_json::from_str(value.as_str().expect("a JSON string")).expect("note")
}

#[test]
fn the_matrix_cell_shows_the_quote_as_checked() {
    let _serial = support::one_at_a_time();
    let Some(fx) = support::start_at(std::path::Path::new(FIXTURE)) else {
        return;
    };
    for (width, height) in [(1280, 900), (360, 740)] {
        let (tab, errors) = fx.tab(width, height);
        open(&tab, &fx.url(""));
        let hidden = eval(
            &tab,
            "getComputedStyle(document.querySelector('#row-speed td.cell .note')).display",
        );
        assert_eq!(
            hidden,
            Value::String("none".into()),
            "the note waits for the reader"
        );
        let (shown, quote, note) = focused_note(&tab);
        assert!(
            shown,
            "at {width}px the focused cell shows its note in the window: {note}"
        );
        assert_eq!(
            quote,
            "was \"fast enough for every team we asked\" - and the compiler's messages"
        );
        assert!(
            note.contains("Systems Weekly")
                && note.contains("checked against the archived copy of 20 November 2026"),
            "{note}"
        );
        let quoted = eval(
            &tab,
            "getComputedStyle(document.querySelector('#row-speed td.cell .note q'), '::before').content",
        );
        assert_ne!(
            quoted,
            Value::String("none".into()),
            "the quotation is marked by quotes"
        );
        assert!(
            errors.lock().unwrap().is_empty(),
            "console: {:?}",
            errors.lock().unwrap()
        );
    }
}

//! The accent colour of `[style] accent`, in a real browser: the guide (`docs/`, which sets
//! one) shows its links in that colour on the light theme and in its lighter twin on the
//! dark one, each readable on the page's background (WCAG contrast 4.5:1).

use std::path::Path;

use serde_json::Value;
use versus::accent::{MIN_CONTRAST, Rgb, contrast};

use super::support::{self, eval, open, wait_until};

/// `rgb(11, 110, 79)` as computed by the browser.
fn computed(value: &Value) -> Rgb {
    let text = value.as_str().unwrap_or_default();
    let parts: Vec<u8> = text
        .trim_start_matches("rgb(")
        .trim_end_matches(')')
        .split(',')
        .filter_map(|p| p.trim().parse().ok())
        .collect();
    assert_eq!(parts.len(), 3, "an opaque rgb() colour, not {text}");
    Rgb(parts[0], parts[1], parts[2])
}

#[test]
fn the_accent_applies_in_both_modes_and_stays_readable() {
    let _serial = support::one_at_a_time();
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let Some(fx) = support::start_at(&docs) else {
        return;
    };
    let config = versus::config::load(&docs).expect("the guide's site.toml");
    let accent = config.accent.expect("the guide sets an accent");
    let (tab, _) = fx.tab(1280, 900);
    open(&tab, &fx.url("guide/themes/"));
    let link = "getComputedStyle(document.querySelector('main .prose a, main a')).color";
    let background = "getComputedStyle(document.body).backgroundColor";
    for (theme, expected) in [("light", &accent.light), ("dark", &accent.dark)] {
        eval(
            &tab,
            &format!("document.documentElement.dataset.theme = '{theme}'"),
        );
        wait_until(
            &tab,
            &format!("getComputedStyle(document.documentElement).colorScheme === '{theme}'"),
            "the theme applies",
        );
        let color = computed(&eval(&tab, link));
        assert_eq!(
            Some(color),
            Rgb::parse(expected),
            "{theme}: the link colour"
        );
        let ratio = contrast(color, computed(&eval(&tab, background)));
        assert!(ratio >= MIN_CONTRAST, "{theme}: contrast {ratio:.2}");
    }
}

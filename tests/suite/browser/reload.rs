//! `versus serve` in a real browser: after an edit the open page reloads itself and shows
//! the change; a broken edit shows the error overlay, readable in the light and the dark
//! theme, which goes away once it is fixed.

use super::support as browser_support;
use crate::support;

use browser_support::{eval, open, wait_until};
use support::{Running, article, write};

/// The lowest contrast ratio (WCAG 2) of any text in the error overlay against what is
/// painted behind it, from the computed styles: each element's colour is composited over
/// the backgrounds of it and its ancestors, on a white canvas. A colour the script cannot
/// read makes it throw, so the test fails instead of passing blindly.
const OVERLAY_CONTRAST: &str = r#"(() => {
  const parse = (c) => {
    const m = /^rgba?\(([^)]*)\)$/.exec(c);
    if (!m) throw new Error("unreadable colour " + c);
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, under) => {
    const a = top[3] + under[3] * (1 - top[3]);
    const mix = (i) => (top[i] * top[3] + under[i] * under[3] * (1 - top[3])) / a;
    return a === 0 ? [0, 0, 0, 0] : [mix(0), mix(1), mix(2), a];
  };
  const behind = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) layers.push(parse(getComputedStyle(e).backgroundColor));
    return layers.reverse().reduce((under, layer) => over(layer, under), [255, 255, 255, 1]);
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const overlay = document.getElementById("versus-error-overlay");
  const texts = [overlay, ...overlay.querySelectorAll("*")].filter((e) =>
    [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()));
  if (texts.length < 2) throw new Error("no title and message in the overlay");
  return Math.min(...texts.map((e) => {
    const background = behind(e);
    return ratio(over(parse(getComputedStyle(e).color), background), background);
  }));
})()"#;

/// WCAG AA for normal text.
const READABLE: f64 = 4.5;

/// The overlay's lowest contrast with the page in `theme`.
fn overlay_contrast(tab: &headless_chrome::browser::tab::Tab, theme: &str) -> f64 {
    eval(
        tab,
        &format!("document.documentElement.dataset.theme = '{theme}'"),
    );
    let value = eval(tab, OVERLAY_CONTRAST);
    value
        .as_f64()
        .unwrap_or_else(|| panic!("the contrast script returned {value}"))
}

#[test]
fn an_open_page_reloads_after_an_edit_and_shows_build_errors() {
    let _serial = browser_support::one_at_a_time();
    let Some((browser, _profile)) = browser_support::launch() else {
        return;
    };
    let site = support::site();
    let root = site.path().join("site");
    let root = root.as_path();
    let mut serve = Running::start(&["serve", "--port", "0", "--root", root.to_str().unwrap()]);
    let line = serve.wait_for("serving the site at http://");
    let url = line[line.find("http://").unwrap()..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    serve.wait_for("watching");

    let tab = browser.new_tab().expect("a tab");
    open(
        &tab,
        &format!(
            "{}articles/one/",
            url.trim_end_matches('/').to_string() + "/"
        ),
    );
    wait_until(
        &tab,
        "document.body.innerText.includes('Body of One')",
        "the page loads",
    );
    // Mark this document: a reload replaces it, so the mark disappears.
    eval(&tab, "window.__before_edit = true");

    write(
        root,
        "content/articles/one.md",
        &article("One", "alpha", "Freshly edited sentence."),
    );
    serve.wait_for("rebuilt after content/articles/one.md");
    wait_until(
        &tab,
        "!window.__before_edit && document.body.innerText.includes('Freshly edited sentence')",
        "the page reloads itself and shows the edit",
    );

    write(
        root,
        "content/articles/one.md",
        "+++\ntitle = \"One\"\nbroken\n+++\n",
    );
    wait_until(
        &tab,
        "document.body.innerText.includes('content/articles/one.md')",
        "the build error appears in the page",
    );
    for theme in ["light", "dark"] {
        let contrast = overlay_contrast(&tab, theme);
        eprintln!("error overlay, {theme} theme: lowest contrast {contrast:.2}:1");
        assert!(
            contrast >= READABLE,
            "the error overlay is hard to read in the {theme} theme: contrast {contrast:.2}:1"
        );
    }
    write(
        root,
        "content/articles/one.md",
        &article("One", "alpha", "Fixed again."),
    );
    wait_until(
        &tab,
        "document.body.innerText.includes('Fixed again') && !document.body.innerText.includes('content/articles/one.md:')",
        "the overlay goes away and the fixed page shows",
    );
}

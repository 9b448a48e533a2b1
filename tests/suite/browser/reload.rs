//! `versus serve` in a real browser: after an edit the open page reloads itself and shows
//! the change; a broken edit shows the error overlay, which goes away once it is fixed.

use super::support as browser_support;
use crate::support;

use browser_support::{eval, open, wait_until};
use support::{Running, article, write};

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

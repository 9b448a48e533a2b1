//! End-to-end tests of the default theme in a real headless Chromium: the matrix's filters
//! and sorting, search, the remembered dark theme, a clean console, and no sideways
//! overflow on a phone or a desktop. Each builds the repository's own site, serves it under
//! `/versus/` on loopback and drives the browser through the DevTools protocol. Without a
//! browser they print "SKIPPED" (or fail, when `CI` is set).

use super::support;

use serde_json::Value;
use support::{eval, open, wait_until};

/// Rows of the matrix as (id, shown, strength, favors), in their current order.
fn rows(tab: &headless_chrome::browser::tab::Tab) -> Vec<(String, bool, i64, String)> {
    let value = eval(
        tab,
        "JSON.stringify([...document.querySelectorAll('#matrix-table tbody tr')].map(r => \
         [r.id, !r.hidden && r.offsetParent !== null, Number(r.dataset.strength), r.dataset.favors]))",
    );
    let text = value.as_str().expect("a JSON string");
    let rows: Vec<(String, bool, i64, String)> = serde_json::from_str(text).expect("rows");
    assert!(!rows.is_empty(), "the matrix has rows");
    rows
}

fn choose(tab: &headless_chrome::browser::tab::Tab, select: &str, value: &str) {
    eval(
        tab,
        &format!(
            "(() => {{ const s = document.getElementById('{select}'); s.value = '{value}'; \
             s.dispatchEvent(new Event('change', {{ bubbles: true }})); return s.value; }})()"
        ),
    );
}

#[test]
fn matrix_filters_by_subject_and_consensus_and_sorts_by_strength() {
    let _serial = support::one_at_a_time();
    let Some(fx) = support::start() else { return };
    let (tab, errors) = fx.tab(1280, 900);
    open(&tab, &fx.url(""));
    wait_until(
        &tab,
        "!document.getElementById('matrix-controls').hidden",
        "the script shows the matrix controls",
    );
    let all = rows(&tab);
    assert!(all.iter().all(|r| r.1), "every row is shown at first");

    // A cell's note shows when the cell's link has the focus, inside the window.
    let note = eval(
        &tab,
        "(() => { const a = document.querySelector('#matrix-table .cell a'); a.focus(); \
         const n = document.getElementById(a.getAttribute('aria-describedby')); \
         const r = n.getBoundingClientRect(); \
         return getComputedStyle(n).display !== 'none' && r.width > 0 && r.left >= 0 \
           && r.right <= innerWidth && n.textContent.length > 10; })()",
    );
    assert_eq!(note, Value::Bool(true), "the focused cell shows its note");

    // Filter by subject: only rows whose consensus favors Node.js stay.
    choose(&tab, "filter-favors", "nodejs");
    let filtered = rows(&tab);
    let shown: Vec<_> = filtered.iter().filter(|r| r.1).collect();
    assert!(!shown.is_empty(), "some criteria favor Node.js");
    assert!(shown.len() < all.len(), "the filter hides rows");
    assert!(shown.iter().all(|r| r.3 == "nodejs"), "{filtered:?}");
    let count = eval(&tab, "document.getElementById('matrix-count').textContent");
    assert_eq!(
        count,
        Value::from(format!("{} of {} criteria shown", shown.len(), all.len()))
    );

    // Filter by consensus on top: unanimous Node.js rows only.
    choose(&tab, "filter-status", "unanimous");
    let both: Vec<_> = rows(&tab).into_iter().filter(|r| r.1).collect();
    assert!(both.iter().all(|r| r.3 == "nodejs" && r.2 == 5), "{both:?}");
    assert!(both.len() <= shown.len());

    // Sort by strength, strongest first, then weakest first, over all rows.
    choose(&tab, "filter-favors", "");
    choose(&tab, "filter-status", "");
    choose(&tab, "sort-rows", "strongest");
    let strongest: Vec<i64> = rows(&tab).iter().map(|r| r.2).collect();
    assert!(strongest.windows(2).all(|w| w[0] >= w[1]), "{strongest:?}");
    assert_ne!(strongest.first(), strongest.last(), "strengths differ");
    choose(&tab, "sort-rows", "weakest");
    let weakest: Vec<i64> = rows(&tab).iter().map(|r| r.2).collect();
    assert!(weakest.windows(2).all(|w| w[0] <= w[1]), "{weakest:?}");

    // Back to the editors' order.
    choose(&tab, "sort-rows", "");
    let ids: Vec<String> = rows(&tab).into_iter().map(|r| r.0).collect();
    let original: Vec<String> = all.into_iter().map(|r| r.0).collect();
    assert_eq!(ids, original);
    assert!(errors.lock().unwrap().is_empty(), "{:?}", errors.lock());
}

/// A word of the article's digest that is not in its title or summary.
fn digest_word(slug: &str) -> String {
    let path = format!("{}/content/articles/{slug}.md", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("the digest");
    let mut parts = text.splitn(3, "+++\n");
    let (_, front, body) = (parts.next(), parts.next().unwrap(), parts.next().unwrap());
    let front = front.to_lowercase();
    body.split(|c: char| !c.is_alphabetic())
        .map(str::to_lowercase)
        .find(|w| w.len() >= 8 && !front.contains(w.as_str()))
        .expect("a long word in the digest")
}

#[test]
fn search_finds_an_article_by_a_word_from_its_digest_with_the_keyboard() {
    let _serial = support::one_at_a_time();
    let Some(fx) = support::start() else { return };
    let slug = "devto-key-differences";
    let word = digest_word(slug);
    let (tab, errors) = fx.tab(1280, 900);

    // From any page: type into the header's search box and press Enter.
    open(&tab, &fx.url("criteria/"));
    tab.wait_for_element("#site-search")
        .expect("the header search box")
        .click()
        .expect("focus the box");
    tab.type_str(&word)
        .expect("type")
        .press_key("Enter")
        .expect("enter");
    let target = format!("{}articles/{slug}/", support::BASE);
    let selector = format!("#search-results a[href='{target}']");
    wait_until(
        &tab,
        &format!("document.querySelector(\"{selector}\") !== null"),
        &format!("a result for `{word}` links to {target}"),
    );
    let status = eval(&tab, "document.getElementById('search-status').textContent");
    assert!(
        status.as_str().unwrap_or_default().contains("result"),
        "{status}"
    );
    only_the_word_s_shard_and_the_results_chunks_were_fetched(&fx, &tab, &word);

    // Keyboard only: arrow down into the results until the article, then Enter opens it.
    tab.wait_for_element("#search-input")
        .expect("the search input")
        .focus()
        .expect("focus");
    let mut found = false;
    for _ in 0..30 {
        tab.press_key("ArrowDown").expect("arrow down");
        let href = eval(&tab, "document.activeElement.getAttribute('href')");
        if href.as_str() == Some(target.as_str()) {
            found = true;
            break;
        }
    }
    assert!(found, "the arrow keys reach the result");
    tab.press_key("Enter").expect("enter");
    wait_until(
        &tab,
        &format!("location.pathname === '{target}'"),
        "Enter opens the article",
    );
    assert!(errors.lock().unwrap().is_empty(), "{:?}", errors.lock());
}

/// The search files the page fetched: the manifest once, the one shard of `word`, and no
/// more chunks than results shown (at least those that hold them).
fn only_the_word_s_shard_and_the_results_chunks_were_fetched(
    fx: &support::Fixture,
    tab: &headless_chrome::browser::tab::Tab,
    word: &str,
) {
    let fetched = eval(
        tab,
        "JSON.stringify(performance.getEntriesByType('resource') \
         .map(e => new URL(e.name).pathname).filter(p => p.includes('/search-index')))",
    );
    let fetched: Vec<String> = serde_json::from_str(fetched.as_str().expect("JSON")).unwrap();
    let manifest = std::fs::read_to_string(fx.output.path().join("site/search-index.json"))
        .expect("the manifest");
    let manifest: Value = serde_json::from_str(&manifest).expect("JSON");
    let (prefix, shards, chunk) = (
        manifest["prefix"].as_u64().unwrap() as usize,
        manifest["shards"].as_u64().unwrap() as u32,
        manifest["chunk"].as_u64().unwrap() as usize,
    );
    // FNV-1a over the first characters' code points, as the manifest says.
    let hash = word.chars().take(prefix).fold(0x811c_9dc5_u32, |h, c| {
        (h ^ u32::from(c)).wrapping_mul(0x0100_0193)
    });
    let base = format!("{}search-index", support::BASE);
    let count = |part: &str| fetched.iter().filter(|p| p.contains(part)).count();
    assert_eq!(count("search-index.json"), 1, "{fetched:?}");
    let terms: Vec<&String> = fetched.iter().filter(|p| p.contains("/terms-")).collect();
    assert_eq!(
        terms,
        [&format!("{base}/terms-{}.json", hash % shards)],
        "{fetched:?}"
    );
    let results = eval(
        tab,
        "document.querySelectorAll('#search-results li').length",
    )
    .as_u64()
    .unwrap() as usize;
    let docs = count("/docs-");
    assert!(
        (results.div_ceil(chunk)..=results).contains(&docs),
        "{results} results from {docs} chunks: {fetched:?}"
    );
    assert_eq!(fetched.len(), 2 + docs, "nothing else: {fetched:?}");
}

#[test]
fn search_asks_for_two_letters_and_finds_words_they_start() {
    let _serial = support::one_at_a_time();
    let Some(fx) = support::start() else { return };
    let (tab, errors) = fx.tab(1280, 900);
    let status = "document.getElementById('search-status').textContent";
    let results = "document.querySelectorAll('#search-results li').length";
    open(&tab, &fx.url("search/?q=d"));
    wait_until(
        &tab,
        &format!("{status}.includes('at least two letters')"),
        "a one-letter query asks for more",
    );
    assert_eq!(eval(&tab, results), Value::from(0));
    // Then typed into the box, as a reader does (no navigation, so no race with it).
    let type_query = |query: &str| {
        eval(
            &tab,
            &format!(
                "(() => {{ const i = document.getElementById('search-input'); i.value = {query:?}; \
                 i.dispatchEvent(new Event('input')); return true; }})()"
            ),
        )
    };
    // "dj" starts "django": a prefix finds the pages about it, the subject among them.
    type_query("dj");
    support::wait_until_or_show(
        &tab,
        &format!("{results} > 5"),
        "results for a prefix",
        &format!(
            "{status} + ' | ' + performance.getEntriesByType('resource')\
             .map(e => e.name + ' ' + e.responseStatus).join(', ')"
        ),
    );
    let subject = eval(
        &tab,
        "[...document.querySelectorAll('#search-results a')].some(a => a.textContent === 'Django')",
    );
    assert_eq!(subject, Value::Bool(true), "the subject is found");
    // Two words: only pages with both.
    type_query("django zzzzqqq");
    wait_until(
        &tab,
        &format!("{status}.startsWith('No results')"),
        "no page has both words",
    );
    assert!(errors.lock().unwrap().is_empty(), "{:?}", errors.lock());
}

#[test]
fn dark_theme_toggle_persists_across_a_reload() {
    let _serial = support::one_at_a_time();
    let Some(fx) = support::start() else { return };
    let (tab, errors) = fx.tab(1280, 900);
    open(&tab, &fx.url("criteria/performance/"));
    let background = "getComputedStyle(document.body).backgroundColor";
    wait_until(
        &tab,
        "!document.querySelector('.theme-toggle').hidden",
        "the script shows the toggle",
    );
    let light = eval(&tab, background);
    assert_eq!(
        eval(
            &tab,
            "document.querySelector('.theme-toggle').getAttribute('aria-pressed')"
        ),
        Value::from("false"),
        "headless Chromium starts light"
    );
    tab.find_element(".theme-toggle")
        .expect("the toggle")
        .click()
        .expect("click");
    assert_eq!(
        eval(&tab, "document.documentElement.dataset.theme"),
        Value::from("dark")
    );
    let dark = eval(&tab, background);
    assert_ne!(light, dark, "the background changes");

    support::reload(&tab);
    assert_eq!(
        eval(&tab, "document.documentElement.dataset.theme"),
        Value::from("dark"),
        "the choice survives a reload"
    );
    assert_eq!(eval(&tab, background), dark);
    wait_until(
        &tab,
        "document.querySelector('.theme-toggle').getAttribute('aria-pressed') === 'true'",
        "the toggle shows it is pressed",
    );

    // And on another page of the site, and back to light.
    open(&tab, &fx.url(""));
    assert_eq!(eval(&tab, background), dark);
    tab.find_element(".theme-toggle")
        .expect("the toggle")
        .click()
        .expect("click");
    support::reload(&tab);
    assert_eq!(eval(&tab, background), light);
    assert!(errors.lock().unwrap().is_empty(), "{:?}", errors.lock());
}

#[test]
fn no_page_logs_a_console_error() {
    let _serial = support::one_at_a_time();
    let Some(fx) = support::start() else { return };
    let sitemap =
        std::fs::read_to_string(fx.output.path().join("site/sitemap.xml")).expect("the sitemap");
    let urls: Vec<String> = sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|s| s.split("</loc>").next())
        .map(str::to_string)
        .collect();
    assert!(urls.len() > 20, "the sitemap lists the pages");
    let (tab, errors) = fx.tab(1280, 900);
    for url in urls.iter().chain([&fx.url("search/?q=django")]) {
        open(&tab, url);
        // Let deferred scripts and the search index fetch run.
        wait_until(&tab, "document.readyState === 'complete'", "the page loads");
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert!(
            errors.lock().unwrap().is_empty(),
            "{url}: {:?}",
            errors.lock()
        );
    }
}

/// Elements wider than the viewport outside the matrix, and the document's overflow.
const OVERFLOW: &str = "JSON.stringify((() => { \
    const width = document.documentElement.clientWidth; \
    const wrap = document.querySelector('.matrix-wrap'); \
    const out = [...document.body.querySelectorAll('*')] \
      .filter(e => !wrap.contains(e) && e.getClientRects().length) \
      .filter(e => { const r = e.getBoundingClientRect(); return r.right > width + 1 || r.left < -1; }) \
      .filter(e => !e.closest('.site-nav, .sr, .skip') || e.matches('.site-nav')) \
      .map(e => e.tagName + '.' + e.className); \
    return { width, scroll: document.documentElement.scrollWidth, out, \
      wrap: wrap.getBoundingClientRect().right <= width + 1, \
      scrolls: wrap.scrollWidth > wrap.clientWidth }; })())";

#[test]
fn home_page_has_no_horizontal_overflow_outside_the_matrix() {
    let _serial = support::one_at_a_time();
    let Some(fx) = support::start() else { return };
    for (width, matrix_scrolls) in [(390, true), (1280, false)] {
        let (tab, _) = fx.tab(width, 900);
        open(&tab, &fx.url(""));
        wait_until(&tab, "document.readyState === 'complete'", "the page loads");
        let report = eval(&tab, OVERFLOW);
        let report: Value = serde_json::from_str(report.as_str().expect("JSON")).expect("a report");
        assert_eq!(
            report["scroll"], report["width"],
            "{width}px: the page scrolls sideways: {report}"
        );
        assert_eq!(
            report["out"],
            Value::Array(vec![]),
            "{width}px: wider than the screen: {report}"
        );
        assert_eq!(report["wrap"], Value::Bool(true), "{width}px: {report}");
        assert_eq!(
            report["scrolls"],
            Value::Bool(matrix_scrolls),
            "{width}px: the matrix scrolls sideways only on a phone: {report}"
        );
        tab.close(false).expect("close the tab");
    }
}

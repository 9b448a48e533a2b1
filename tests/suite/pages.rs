//! Plain pages as documentation: `date`, `updated` and `[extra]` in front matter, and a
//! section's `sort_by` ordering its pages, built by the real `versus` binary.

use std::fs;
use std::process::Command;

use crate::support::{clean_build, site, write};

fn page(title: &str, front: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n{front}\n+++\nAbout {title}.\n")
}

#[test]
fn pages_show_their_dates_and_extra_and_a_section_sorts_by_date_or_weight() {
    let dir = site();
    let root = dir.path().join("site");
    write(
        &root,
        "content/news/_index.md",
        "+++\ntitle = \"News\"\nsort_by = \"date\"\n+++\n",
    );
    write(
        &root,
        "content/news/old.md",
        &page("Old", "date = 2021-05-01\nweight = 1"),
    );
    write(
        &root,
        "content/news/new.md",
        &page(
            "New",
            "date = 2024-02-29\nupdated = 2024-03-04\nweight = 3\n[extra]\nbadge = \"fresh\"",
        ),
    );
    write(
        &root,
        "content/news/undated.md",
        &page("Undated", "weight = 0"),
    );
    write(
        &root,
        "content/docs/_index.md",
        "+++\ntitle = \"Docs\"\n+++\n",
    );
    write(
        &root,
        "content/docs/b.md",
        &page("Bee", "weight = 2\ndate = 2020-01-01"),
    );
    write(
        &root,
        "content/docs/a.md",
        &page("Ay", "weight = 1\ndate = 2019-01-01"),
    );
    let out = clean_build(&root, &dir.path().join("out"), None);

    let news = fs::read_to_string(out.join("news/index.html")).unwrap();
    let at = |t: &str| {
        news.find(&format!(">{t}</a>"))
            .unwrap_or_else(|| panic!("{t}: {news}"))
    };
    assert!(
        at("New") < at("Old") && at("Old") < at("Undated"),
        "newest first: {news}"
    );
    let docs = fs::read_to_string(out.join("docs/index.html")).unwrap();
    assert!(
        docs.find(">Ay</a>").unwrap() < docs.find(">Bee</a>").unwrap(),
        "by weight: {docs}"
    );

    let new = fs::read_to_string(out.join("news/new/index.html")).unwrap();
    assert!(
        new.contains("Published <time datetime=\"2024-02-29\">29 February 2024</time> · updated <time datetime=\"2024-03-04\">4 March 2024</time>"),
        "{new}"
    );
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://example.com/news/new/</loc><lastmod>2024-03-04</lastmod>")
            && sitemap
                .contains("<loc>https://example.com/news/old/</loc><lastmod>2021-05-01</lastmod>")
            && sitemap.contains("<loc>https://example.com/news/undated/</loc></url>"),
        "{sitemap}"
    );
    let undated = fs::read_to_string(out.join("news/undated/index.html")).unwrap();
    assert!(!undated.contains("class=\"dates\""), "{undated}");
}

#[test]
fn extra_reaches_templates_and_a_bad_order_is_an_error_at_its_line() {
    let dir = site();
    let root = dir.path().join("site");
    write(
        &root,
        "content/guide.md",
        &page("Guide", "[extra]\nbadge = \"beta <b>\"\nlevels = [1, 2]"),
    );
    write(
        &root,
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<p class=\"badge\">{{ page.extra.badge }} {{ page.extra.levels | length }}</p>{% endblock content %}",
    );
    let out = clean_build(&root, &dir.path().join("out"), None);
    let guide = fs::read_to_string(out.join("guide/index.html")).unwrap();
    assert!(
        guide.contains("<p class=\"badge\">beta &lt;b&gt; 2</p>"),
        "{guide}"
    );

    write(
        &root,
        "content/news/_index.md",
        "+++\ntitle = \"News\"\nsort_by = \"newest\"\n+++\n",
    );
    let result = Command::new(env!("CARGO_BIN_EXE_versus"))
        .args(["build", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(!result.status.success());
    assert!(
        stderr.contains("content/news/_index.md:3:")
            && stderr.contains("sort_by = \"newest\" is not an order"),
        "{stderr}"
    );
    assert!(
        out.join("guide/index.html").is_file(),
        "the previous output stays"
    );
}

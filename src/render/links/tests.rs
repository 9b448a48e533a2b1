//! Unit tests of `render/links.rs`.

use super::*;
use crate::error::Position;

fn page<'a>(path: &'a str, html: &'a str) -> Target<'a> {
    Target {
        path,
        html: Some(html),
    }
}

#[test]
fn resolves_relative_links() {
    assert_eq!(join("articles/x/", "../y/"), "articles/y/");
    assert_eq!(join("articles/x/", "img.png"), "articles/x/img.png");
    assert_eq!(join("", "about/"), "about/");
    assert_eq!(
        internal("/r/", "a/", "/r/b/#c"),
        Some(("b/".into(), Some("c".into())))
    );
    assert_eq!(internal("/r/", "a/", "https://x.y/"), None);
    assert_eq!(internal("/r/", "a/", "mailto:x@y"), None);
}

#[test]
fn compares_links_decoded() {
    // The base path, the path and the fragment, each as the server and browser read them.
    assert_eq!(
        internal("/dr%C3%AFnks/", "a/", "/drïnks/caf%C3%A9/#ol%C3%A9"),
        Some(("café/".into(), Some("olé".into())))
    );
    assert_eq!(
        internal("/r/", "a/", &decode("../it&#x27;s%20x.txt")),
        Some(("it's x.txt".into(), None))
    );
    let targets = [
        page(
            "index.html",
            r##"<a href="/r/caf%C3%A9/#caf%C3%A9-ol%C3%A9">c</a><a href="/r/it&#x27;s.txt">i</a><a href="#it&#x27;s">s</a><p id="it&#x27;s"></p>"##,
        ),
        page("café/index.html", r#"<h2 id="café-olé">C</h2>"#),
        Target {
            path: "it's.txt",
            html: None,
        },
    ];
    let errors = check("/r/", &targets, &[]);
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn finds_broken_template_links_and_anchors() {
    let targets = [
        page(
            "index.html",
            r##"<a href="/r/about/">a</a><a href="/r/about/#team">t</a><a href="/r/gone/">g</a><a href="#top">x</a>"##,
        ),
        page(
            "about/index.html",
            r#"<h2 id="people">P</h2><link href="/r/style.css">"#,
        ),
        Target {
            path: "style.css",
            html: None,
        },
    ];
    let errors = check("/r/", &targets, &[]);
    let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(errors.len(), 3, "{text:?}");
    assert!(text[0].contains("`/r/about/#team`") && text[0].contains("no element with id `team`"));
    assert!(text[1].contains("`/r/gone/`") && text[1].contains("output/index.html"));
    assert!(text[2].contains("`#top`"));
}

#[test]
fn markdown_links_are_reported_once_with_their_position() {
    let link = InternalLink {
        target: Some("criteria/x/".into()),
        relative: false,
        anchor: Some("nope".into()),
        href: "/r/criteria/x/#nope".into(),
        written: "@/criteria/x.md#nope".into(),
        position: Position { line: 9, column: 3 },
    };
    let targets = [
        page("index.html", r##"<a href="/r/criteria/x/#nope">x</a>"##),
        page("criteria/x/index.html", r#"<p id="yes"></p>"#),
    ];
    let sources = [SourceLinks {
        page: "",
        links: std::slice::from_ref(&link),
        source: std::path::Path::new("content/_index.md"),
    }];
    let errors = check("/r/", &targets, &sources);
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].to_string(),
        "content/_index.md:9:3: broken link `@/criteria/x.md#nope`: /criteria/x/ has no element with id `nope`"
    );
}

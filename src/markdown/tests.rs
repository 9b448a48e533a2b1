//! Unit tests of `markdown.rs`.

use super::*;

fn body(text: &str) -> Body {
    Body {
        markdown: text.into(),
        source: "content/a.md".into(),
        first_line: 5,
    }
}

fn context() -> LinkContext {
    LinkContext {
        base_path: "/repo/".into(),
        pages: [(
            "criteria/speed.md".to_string(),
            "criteria/speed/".to_string(),
        )]
        .into(),
        ..Default::default()
    }
}

#[test]
fn alerts_become_labelled_callouts() {
    for (marker, class, title) in [
        ("NOTE", "note", "Note"),
        ("TIP", "tip", "Tip"),
        ("IMPORTANT", "important", "Important"),
        ("WARNING", "warning", "Warning"),
        ("CAUTION", "caution", "Caution"),
    ] {
        let text = format!("> [!{marker}]\n> Mind *this*.\n\n> plain quote\n");
        let r = render(&body(&text), &context()).unwrap();
        assert!(
                r.html.contains(&format!("<div class=\"alert alert-{class}\" role=\"note\">\n<p class=\"alert-title\">{title}</p>\n<p>Mind <em>this</em>.</p>\n</div>")),
                "{}",
                r.html
            );
        assert!(
            r.html
                .contains("<blockquote>\n<p>plain quote</p>\n</blockquote>"),
            "{}",
            r.html
        );
    }
}

#[test]
fn footnotes_link_both_ways() {
    let r = render(
            &body("One[^a] two[^b] again[^a].\n\n[^b]: Bee, see [speed](@/criteria/speed.md).\n[^a]: Ay.\n\n## After\n"),
            &context(),
        )
        .unwrap();
    let h = &r.html;
    assert!(
        h.contains("One<sup class=\"footnote-ref\"><a href=\"#fn:1\" id=\"fnref:1\">1</a></sup>"),
        "{h}"
    );
    assert!(
        h.contains("two<sup class=\"footnote-ref\"><a href=\"#fn:2\" id=\"fnref:2\">2</a></sup>"),
        "{h}"
    );
    assert!(
        h.contains(
            "again<sup class=\"footnote-ref\"><a href=\"#fn:1\" id=\"fnref:1:2\">1</a></sup>"
        ),
        "{h}"
    );
    assert!(
        h.contains("<li id=\"fn:1\">\n<p>Ay. <a class=\"footnote-back\" href=\"#fnref:1\""),
        "{h}"
    );
    assert!(
        h.contains("href=\"#fnref:1:2\" aria-label=\"Back to reference 1.2\""),
        "{h}"
    );
    assert!(h.contains("<li id=\"fn:2\">\n<p>Bee, see <a href=\"/repo/criteria/speed/\">speed</a>. <a class=\"footnote-back\" href=\"#fnref:2\""), "{h}");
    let after = h.find("id=\"after\"").unwrap();
    let titled = render(&body("## Title[^n]\n\n[^n]: Note.\n"), &context()).unwrap();
    assert_eq!(titled.toc[0].title, "Title");
    assert!(
        titled.html.contains(
            "Title<sup class=\"footnote-ref\"><a href=\"#fn:1\" id=\"fnref:1\">1</a></sup>"
        ),
        "a reference in a heading: {}",
        titled.html
    );
    assert!(
        h.find("<section class=\"footnotes\"").unwrap() > after,
        "notes go last: {h}"
    );
    assert_eq!(r.links.len(), 1, "the note's link is checked");
}

#[test]
fn headings_avoid_the_templates_ids() {
    let links = LinkContext {
        reserved_ids: std::sync::Arc::new(["synthesis".to_string(), "main".to_string()].into()),
        ..context()
    };
    let r = render(
        &body("## Synthesis\n\n## Synthesis\n\n## Main {#main}\n"),
        &links,
    )
    .unwrap();
    let ids: Vec<_> = r.toc.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["synthesis-1", "synthesis-2", "main-1"]);
}

#[test]
fn fenced_code_is_highlighted_and_indented_code_is_plain() {
    let r = render(
        &body("```rust\nfn main() {}\n```\n\n    <plain>\n\n```\nnone\n```\n"),
        &context(),
    )
    .unwrap();
    assert!(
            r.html.contains(
                "<pre class=\"hl\" tabindex=\"0\"><code class=\"language-rust\"><span class=\"hl-source hl-rust\">"
            ),
            "{}",
            r.html
        );
    assert!(
        r.html
            .contains("<pre tabindex=\"0\"><code>&lt;plain&gt;\n</code></pre>"),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains("<pre tabindex=\"0\"><code>none\n</code></pre>"),
        "{}",
        r.html
    );
}

#[test]
fn renders_extensions() {
    let r = render(&body("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n\nNote[^1].\n\n[^1]: Foot.\n"), &context()).unwrap();
    assert!(r.html.contains("<table>"), "{}", r.html);
    assert!(r.html.contains("<del>old</del>"));
    assert!(r.html.contains("type=\"checkbox\""));
    assert!(r.html.contains("<section class=\"footnotes\""));
}

#[test]
fn headings_get_unique_ids_anchors_and_a_toc() {
    let r = render(
        &body("# Hello, World!\n\n## Hello World\n\n## Ünïcode `code` ok\n\n### Custom {#mine}\n"),
        &context(),
    )
    .unwrap();
    let ids: Vec<_> = r.toc.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(
        ids,
        ["hello-world", "hello-world-1", "ünïcode-code-ok", "mine"]
    );
    assert_eq!(r.toc[2].title, "Ünïcode code ok");
    assert_eq!(r.toc[1].level, 2);
    assert!(
        r.html.contains(
            "<h1 id=\"hello-world\">Hello, World!<a class=\"anchor\" href=\"#hello-world\""
        ),
        "{}",
        r.html
    );
}

#[test]
fn repeated_headings_number_themselves_around_taken_ids() {
    let text = "## same {#same-2}\n\n## same\n\n## same\n\n## same\n\n## same-1\n";
    let r = render(&body(text), &context()).unwrap();
    let ids: Vec<_> = r.toc.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["same-2", "same", "same-1", "same-3", "same-1-1"]);
    let many = render(&body(&"## x\n\n".repeat(5000)), &context()).unwrap();
    let distinct: HashSet<_> = many.toc.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(distinct.len(), 5000);
    assert_eq!(many.toc[4999].id, "x-4999");
}

#[test]
fn slugify_handles_edge_cases() {
    assert_eq!(slugify("  A -- b__c "), "a-b-c");
    assert_eq!(slugify("?!"), "section");
    assert_eq!(slugify("Django vs. Node.js"), "django-vs-nodejs");
}

#[test]
fn resolves_at_links_and_collects_internal_links() {
    let r = render(&body("See [speed](@/criteria/speed.md#x) and [home](/repo/) and [out](https://a.b/) and [here](#top)\nand [there](../x/#y) and [mail](mailto:a@b).\n"), &context()).unwrap();
    assert!(
        r.html.contains("href=\"/repo/criteria/speed/#x\""),
        "{}",
        r.html
    );
    assert!(r.html.contains("href=\"https://a.b/\""));
    assert_eq!(r.links.len(), 4);
    assert_eq!(r.links[0].target.as_deref(), Some("criteria/speed/"));
    assert_eq!(r.links[0].anchor.as_deref(), Some("x"));
    assert_eq!(r.links[0].position, Position { line: 5, column: 5 });
    assert_eq!(r.links[1].target.as_deref(), Some(""));
    assert_eq!(r.links[2].target, None);
    assert!(r.links[3].relative && !r.links[2].relative);
    assert_eq!(r.links[3].target.as_deref(), Some("../x/"));
    assert_eq!(r.links[3].anchor.as_deref(), Some("y"));
    assert_eq!(r.links[3].position, Position { line: 6, column: 5 });
}

#[test]
fn missing_at_link_is_an_error_with_its_line() {
    let errors = render(&body("Fine.\n\nSee [x](@/articles/nope.md).\n"), &context()).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].to_string(),
        "content/a.md:7:5: broken link `@/articles/nope.md`: there is no file content/articles/nope.md"
    );
}

#[test]
fn raw_html_is_kept_and_text_is_escaped() {
    let r = render(
        &body("<div class=\"x\">raw</div>\n\na < b & \"c\"\n"),
        &context(),
    )
    .unwrap();
    assert!(r.html.contains("<div class=\"x\">raw</div>"));
    assert!(r.html.contains("a &lt; b &amp; \"c\""), "{}", r.html);
}

#[test]
fn plain_text_drops_markup() {
    assert_eq!(
        to_plain_text("# Title\n\nSome *emphasis* and `code`,\na [link](x).\n\n- one\n- two\n"),
        "Title Some emphasis and code, a link. one two"
    );
}

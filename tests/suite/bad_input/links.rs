//! Links as people write them: escaped (`%C3%A9`, `%27`, `<a b.txt>`, entities), with
//! accents in pages, files, anchors and the base path, from the site root (rebased onto the
//! base path), and images. Those that resolve build; broken ones are blamed on the content
//! file, line and column that wrote them, never on the template.

use super::harness::Category::Content;
use super::harness::{Case, Ctx, builds, fails};

/// `content/about.md` with this body (its first line is line 4).
fn about(ctx: &Ctx, body: &str) {
    ctx.write(
        "content/about.md",
        format!("+++\ntitle = \"About\"\n+++\n{body}"),
    );
}

/// A page `café.md` with a heading `Café olé`.
fn cafe(ctx: &Ctx) {
    ctx.write(
        "content/café.md",
        "+++\ntitle = \"Café\"\n+++\nCafé.\n\n## Café olé\n",
    );
}

/// The site's `site.toml` with another `base_url`.
fn base_url(ctx: &Ctx, url: &str) {
    let text = std::fs::read_to_string(ctx.path("site.toml")).unwrap();
    let text = text.replace("https://example.org/drinks/", url);
    ctx.write("site.toml", text);
}

pub fn cases() -> Vec<Case> {
    let mut cases = escaped_links_build();
    cases.extend(broken_links_are_blamed_on_content());
    cases
}

fn escaped_links_build() -> Vec<Case> {
    vec![
        builds(
            Content,
            "link to a page with an accent",
            |c| {
                cafe(c);
                about(c, "[c](@/café.md) [d](@/caf%C3%A9.md)\n");
            },
            &[("about/index.html", "href=\"/drinks/caf%C3%A9/\"")],
        ),
        builds(
            Content,
            "link to a static file with a space",
            |c| {
                c.write("static/a b.txt", "a");
                about(
                    c,
                    "[f](</a b.txt>) [g](/a%20b.txt) ![i](</drinks/a b.txt>)\n",
                );
            },
            &[("about/index.html", "href=\"/drinks/a%20b.txt\"")],
        ),
        builds(
            Content,
            "link to a static file with an apostrophe",
            |c| {
                c.write("static/it's.txt", "a");
                about(
                    c,
                    "[g](/it%27s.txt) [h](../it's.txt) [i](/drinks/it's.txt)\n",
                );
            },
            &[("about/index.html", "it&#x27;s.txt")],
        ),
        builds(
            Content,
            "anchor with accents",
            |c| {
                cafe(c);
                about(
                    c,
                    "[i](@/café.md#café-olé) [j](#café-olé) [k](#caf%C3%A9-ol%C3%A9)\n\n## Café olé\n",
                );
            },
            &[("about/index.html", "id=\"café-olé\"")],
        ),
        builds(
            Content,
            "link from the site root is rebased onto the base path",
            |c| about(c, "[all](/articles/) ![icon](/favicon.svg)\n"),
            &[("about/index.html", "href=\"/drinks/articles/\"")],
        ),
        builds(
            Content,
            "base_url with an accent",
            |c| {
                base_url(c, "https://example.org/dr%C3%AFnks/");
                cafe(c);
                about(c, "[c](@/café.md#café-olé) [all](/articles/)\n");
            },
            &[("about/index.html", "/dr%C3%AFnks/articles/")],
        ),
        builds(
            Content,
            "base_url with an apostrophe",
            |c| {
                base_url(c, "https://example.org/it's/");
                cafe(c);
                about(c, "[c](@/café.md#café-olé) [all](/articles/)\n");
            },
            &[("about/index.html", "/it&#x27;s/articles/")],
        ),
    ]
}

fn broken_links_are_blamed_on_content() -> Vec<Case> {
    vec![
        fails(
            Content,
            "missing image in Markdown",
            |c| about(c, "A chart:\n\n![chart](/img/chart.png)\n"),
            &[
                "site/content/about.md:6:1: broken link `/img/chart.png`: no page or file is built at /img/chart.png",
            ],
        ),
        fails(
            Content,
            "missing page from the site root",
            |c| about(c, "See [all](/everything/).\n"),
            &[
                "site/content/about.md:4:5: broken link `/everything/`: no page or file is built at /everything/",
            ],
        ),
        fails(
            Content,
            "missing escaped file",
            |c| about(c, "[f](/no%20such.txt)\n"),
            &[
                "site/content/about.md:4:1: broken link `/no%20such.txt`: no page or file is built at /no such.txt",
            ],
        ),
        fails(
            Content,
            "missing anchor with an accent",
            |c| {
                cafe(c);
                about(c, "[i](@/café.md#café-noir)\n");
            },
            &[
                "site/content/about.md:4:1: broken link `@/café.md#café-noir`: /café/ has no element with id `café-noir`",
            ],
        ),
    ]
}

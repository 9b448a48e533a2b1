//! Bad content: front matter, types, required and unknown keys, ids, verdicts, encodings,
//! sizes and nesting, links, and pages that collide.

use super::harness::Category::Content;
use super::harness::{Case, Ctx, builds, fails};

const ARTICLE: &str = "+++\ntitle = \"T\"\npublisher = \"P\"\nsummary = \"S\"\nleaning = \"tea\"\n";

fn page(ctx: &Ctx, body: &str) {
    ctx.write(
        "content/about.md",
        format!("+++\ntitle = \"About\"\n+++\n{body}"),
    );
}

pub fn cases() -> Vec<Case> {
    let mut cases = front_matter();
    cases.extend(values());
    cases.extend(encodings());
    cases.extend(sizes());
    cases.extend(links_and_collisions());
    cases
}

fn front_matter() -> Vec<Case> {
    vec![
        fails(
            Content,
            "unclosed TOML front matter",
            |c| c.write("content/about.md", "+++\ntitle = \"About\"\n\nAbout.\n"),
            &[
                "site/content/about.md:1:1: front matter opened with `+++` on line 1 is never closed",
            ],
        ),
        fails(
            Content,
            "unclosed YAML front matter",
            |c| c.write("content/subjects/tea.md", "---\nname: Tea\n"),
            &["site/content/subjects/tea.md:1:1: front matter opened with `---`"],
        ),
        fails(
            Content,
            "no front matter",
            |c| c.write("content/about.md", "# About\n"),
            &["site/content/about.md:1:1: missing front matter"],
        ),
        fails(
            Content,
            "empty file",
            |c| c.write("content/guide/method.md", ""),
            &["site/content/guide/method.md:1:1: missing front matter"],
        ),
        fails(
            Content,
            "invalid TOML",
            |c| {
                c.write(
                    "content/about.md",
                    "+++\ntitle = \"About\nweight = 1\n+++\n",
                )
            },
            &["site/content/about.md:2:"],
        ),
        fails(
            Content,
            "invalid YAML",
            |c| {
                c.write(
                    "content/subjects/mate.md",
                    "---\nname: Maté\n  order: : 3\n---\n",
                )
            },
            &["site/content/subjects/mate.md:3:"],
        ),
        fails(
            Content,
            "wrong type in TOML",
            |c| {
                c.write(
                    "content/subjects/tea.md",
                    "+++\nname = \"Tea\"\norder = \"first\"\n+++\n",
                )
            },
            &["site/content/subjects/tea.md:3:9: invalid type: string \"first\", expected i64"],
        ),
        fails(
            Content,
            "wrong type in YAML",
            |c| {
                c.write(
                    "content/subjects/mate.md",
                    "---\nname: Maté\norder: [1]\n---\n",
                )
            },
            &["site/content/subjects/mate.md:3:8: order: invalid type: sequence, expected i64"],
        ),
        fails(
            Content,
            "claims is not a table",
            |c| {
                c.write(
                    "content/articles/alpha.md",
                    format!("{ARTICLE}claims = \"all\"\n+++\n"),
                )
            },
            &["site/content/articles/alpha.md:6:10: invalid type: string \"all\", expected a map"],
        ),
        fails(
            Content,
            "missing required field",
            |c| {
                c.write(
                    "content/articles/alpha.md",
                    "+++\ntitle = \"T\"\npublisher = \"P\"\nleaning = \"tea\"\n+++\n",
                )
            },
            &["site/content/articles/alpha.md:2:1: missing field `summary`"],
        ),
        fails(
            Content,
            "missing required field in YAML",
            |c| c.write("content/subjects/tea.md", "---\ncolor: \"#00ff00\"\n---\n"),
            &["site/content/subjects/tea.md:2:1: missing field `name`"],
        ),
        fails(
            Content,
            "unknown key",
            |c| {
                c.write(
                    "content/criteria/taste.md",
                    "+++\ntitle = \"Taste\"\ntitel = \"x\"\n+++\n",
                )
            },
            &["site/content/criteria/taste.md:3:1: unknown field `titel`"],
        ),
        fails(
            Content,
            "unknown key in a claim",
            |c| {
                c.write(
                    "content/articles/alpha.md",
                    format!("{ARTICLE}\n[claims.taste]\nfavors = \"tea\"\nnote = \"n\"\nweight = 2\n+++\n"),
                )
            },
            &["site/content/articles/alpha.md:10:1: unknown field `weight`"],
        ),
    ]
}

fn values() -> Vec<Case> {
    vec![
        fails(
            Content,
            "blank required value",
            |c| c.write("content/criteria/taste.md", "+++\ntitle = \"  \"\n+++\n"),
            &["site/content/criteria/taste.md:2:9: title must not be empty"],
        ),
        fails(
            Content,
            "date that is not a date",
            |c| {
                c.write(
                    "content/articles/alpha.md",
                    format!("{ARTICLE}published = \"May 2021\"\n+++\n"),
                )
            },
            &[
                "site/content/articles/alpha.md:6:13",
                "a date like 2023-03-04",
            ],
        ),
        fails(
            Content,
            "unknown criterion id in claims",
            |c| {
                c.write(
                    "content/articles/alpha.md",
                    format!("{ARTICLE}\n[claims.flavour]\nfavors = \"tea\"\nnote = \"n\"\n+++\n"),
                )
            },
            &["site/content/articles/alpha.md:7:1: unknown criterion `flavour` in claims"],
        ),
        fails(
            Content,
            "unknown subject in favors",
            |c| {
                c.write(
                    "content/articles/alpha.md",
                    format!("{ARTICLE}\n[claims.taste]\nfavors = \"juice\"\nnote = \"n\"\n+++\n"),
                )
            },
            &["site/content/articles/alpha.md:8:10: favors: unknown verdict `juice`"],
        ),
        fails(
            Content,
            "unknown leaning",
            |c| {
                c.write(
                    "content/articles/alpha.md",
                    "+++\ntitle = \"T\"\npublisher = \"P\"\nsummary = \"S\"\nleaning = \"both\"\n+++\n",
                )
            },
            &["site/content/articles/alpha.md:5:11: leaning: unknown verdict `both`"],
        ),
        fails(
            Content,
            "blank claim note",
            |c| {
                c.write(
                    "content/articles/alpha.md",
                    format!("{ARTICLE}\n[claims.taste]\nfavors = \"tea\"\nnote = \"\"\n+++\n"),
                )
            },
            &["site/content/articles/alpha.md:9:8: note must not be empty"],
        ),
        fails(
            Content,
            "file name that cannot be a URL",
            |c| c.write("content/guide/my page.md", "+++\ntitle = \"P\"\n+++\n"),
            &["site/content/guide/my page.md: `my page` cannot be used in a URL"],
        ),
        fails(
            Content,
            "nested article folder",
            |c| c.write("content/articles/old/x.md", format!("{ARTICLE}+++\n")),
            &["site/content/articles/old/x.md: articles are flat"],
        ),
        fails(
            Content,
            "page template that leaves the templates folder",
            |c| {
                c.write(
                    "content/about.md",
                    "+++\ntitle = \"About\"\ntemplate = \"../../secret.html\"\n+++\n",
                )
            },
            &["site/content/about.md:3:12: template `../../secret.html` must be a file name"],
        ),
        // No front matter key chooses where a page is written: a path cannot be smuggled in.
        fails(
            Content,
            "slug key that leaves the output folder",
            |c| {
                c.write(
                    "content/about.md",
                    "+++\ntitle = \"About\"\nslug = \"../../x\"\n+++\n",
                )
            },
            &["site/content/about.md:3:1: unknown field `slug`"],
        ),
        fails(
            Content,
            "path key that leaves the output folder",
            |c| {
                c.write(
                    "content/guide/method.md",
                    "---\ntitle: M\npath: /../../etc/x\n---\n",
                )
            },
            &["site/content/guide/method.md:3:1: unknown field `path`"],
        ),
        fails(
            Content,
            "page template that does not exist",
            |c| {
                c.write(
                    "content/about.md",
                    "+++\ntitle = \"About\"\ntemplate = \"fancy.html\"\n+++\n",
                )
            },
            &["site/content/about.md:3:12: template `fancy.html` not found"],
        ),
    ]
}

fn encodings() -> Vec<Case> {
    vec![
        fails(
            Content,
            "invalid UTF-8 in the body",
            |c| {
                c.write(
                    "content/about.md",
                    b"+++\ntitle = \"A\"\n+++\nok\n\xff\xfe bad\n",
                )
            },
            &["site/content/about.md:5:1: the file is not valid UTF-8"],
        ),
        fails(
            Content,
            "invalid UTF-8 in front matter",
            |c| c.write("content/about.md", b"+++\ntitle = \"A\xe9\"\n+++\n"),
            &["site/content/about.md:2:11: the file is not valid UTF-8"],
        ),
        fails(
            Content,
            "UTF-16 file",
            |c| {
                let text = "+++\ntitle = \"About\"\n+++\n";
                let mut bytes = vec![0xff, 0xfe];
                bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
                c.write("content/about.md", bytes)
            },
            &["site/content/about.md:1:1: the file is not valid UTF-8"],
        ),
        builds(
            Content,
            "BOM and CRLF build",
            |c| {
                c.write(
                    "content/about.md",
                    "\u{feff}+++\r\ntitle = \"Über CRLF\"\r\n+++\r\nFirst line.\r\n\r\n## Zweiter Teil\r\n",
                )
            },
            &[
                ("about/index.html", "Über CRLF"),
                ("about/index.html", "First line."),
                ("about/index.html", "id=\"zweiter-teil\""),
            ],
        ),
        builds(
            Content,
            "BOM alone builds",
            |c| {
                c.write(
                    "content/subjects/tea.md",
                    "\u{feff}+++\nname = \"Tea with BOM\"\n+++\n",
                )
            },
            &[("subjects/tea/index.html", "Tea with BOM")],
        ),
        builds(
            Content,
            "CRLF YAML builds",
            |c| {
                c.write(
                    "content/subjects/mate.md",
                    "---\r\nname: Maté CRLF\r\n---\r\nGourd.\r\n",
                )
            },
            &[("subjects/mate/index.html", "Maté CRLF")],
        ),
        fails(
            Content,
            "CRLF error keeps its line number",
            |c| {
                c.write(
                    "content/criteria/taste.md",
                    "\u{feff}+++\r\ntitle = \"Taste\"\r\nnope = 1\r\n+++\r\n",
                )
            },
            &["site/content/criteria/taste.md:3:1: unknown field `nope`"],
        ),
    ]
}

fn sizes() -> Vec<Case> {
    vec![
        // A demanding user expects a big page to build, quickly: no size limit, linear time.
        builds(
            Content,
            "30 MB page",
            |c| {
                let paragraph = "Words and a [link](https://example.com/) and *emphasis* \
                                 and a [page](@/about.md), repeated.\n\n";
                let body = paragraph.repeat(30_000_000 / paragraph.len());
                c.write(
                    "content/big.md",
                    format!("+++\ntitle = \"Big\"\n+++\n{body}The very end.\n"),
                )
            },
            &[("big/index.html", "The very end.")],
        ),
        builds(
            Content,
            "5 MB line",
            |c| {
                page(
                    c,
                    &format!("{}\n\nAfter the line.\n", "word ".repeat(1_000_000)),
                )
            },
            &[("about/index.html", "After the line.")],
        ),
        fails(
            Content,
            "error on a 5 MB line",
            |c| {
                c.write(
                    "content/about.md",
                    format!("+++\ntitle = \"{}\n+++\n", "x".repeat(5_000_000)),
                )
            },
            &["site/content/about.md:2:"],
        ),
        builds(
            Content,
            "10,000 nested block quotes",
            |c| page(c, &format!("{} deep\n\nBack up.\n", ">".repeat(10_000))),
            &[("about/index.html", "Back up.")],
        ),
        builds(
            Content,
            "10,000 nested lists",
            |c| page(c, &format!("{}deep\n\nBack up.\n", "- ".repeat(10_000))),
            &[("about/index.html", "Back up.")],
        ),
        builds(
            Content,
            "50,000 nested emphasis markers",
            |c| page(c, &format!("{0}x{0}\n\nBack up.\n", "*_".repeat(25_000))),
            &[("about/index.html", "Back up.")],
        ),
        fails(
            Content,
            "100,000 nested TOML arrays",
            |c| {
                c.write(
                    "content/about.md",
                    format!(
                        "+++\ntitle = \"About\"\nweight = {}{}\n+++\n",
                        "[".repeat(100_000),
                        "]".repeat(100_000)
                    ),
                )
            },
            &["site/content/about.md:3:"],
        ),
        fails(
            Content,
            "100,000 nested YAML sequences",
            |c| {
                c.write(
                    "content/subjects/mate.md",
                    format!(
                        "---\nname: Maté\norder: {}{}\n---\n",
                        "[".repeat(100_000),
                        "]".repeat(100_000)
                    ),
                )
            },
            &["site/content/subjects/mate.md:3:"],
        ),
    ]
}

fn links_and_collisions() -> Vec<Case> {
    vec![
        fails(
            Content,
            "link to a missing page",
            |c| page(c, "See\n[gone](@/articles/gone.md).\n"),
            &["site/content/about.md:5:1: broken link `@/articles/gone.md`"],
        ),
        fails(
            Content,
            "link to a missing anchor",
            |c| page(c, "See [x](@/criteria/caffeine.md#nowhere).\n"),
            &["site/content/about.md:4:5: broken link `@/criteria/caffeine.md#nowhere`"],
        ),
        fails(
            Content,
            "relative link to a missing page",
            |c| page(c, "Intro.\n\nSee [the team](team/).\n"),
            &["site/content/about.md:6:5: broken link `team/`"],
        ),
        fails(
            Content,
            "page and section with one URL",
            |c| {
                c.write(
                    "content/about/_index.md",
                    "+++\ntitle = \"About too\"\n+++\n",
                )
            },
            &[
                "two sources map to the same page /about/",
                "site/content/about.md",
                "site/content/about/_index.md",
            ],
        ),
        fails(
            Content,
            "page in place of a generated list",
            |c| c.write("content/articles.md", "+++\ntitle = \"Articles\"\n+++\n"),
            &["site/content/articles.md: two sources map to the same page /articles/"],
        ),
        fails(
            Content,
            "page named like a generated file",
            |c| c.write("content/sitemap.xml.md", "+++\ntitle = \"Map\"\n+++\n"),
            &["site/content/sitemap.xml.md: two sources map to the same page /sitemap.xml/"],
        ),
        fails(
            Content,
            "page named like the home page's file",
            |c| c.write("content/index.html.md", "+++\ntitle = \"Index\"\n+++\n"),
            &["site/content/index.html.md: two sources map to the same page /index.html/"],
        ),
        // A page whose folder is another page's file, in every collection and a section.
        fails(
            Content,
            "subject named like its list's file",
            |c| {
                c.write(
                    "content/subjects/index.html.md",
                    "+++\nname = \"Index\"\n+++\n",
                )
            },
            &[
                "site/content/subjects/index.html.md: the page /subjects/index.html/ needs a folder \
               where the generated /subjects/index.html goes",
            ],
        ),
        fails(
            Content,
            "article named like its list's file",
            |c| c.write("content/articles/index.html.md", format!("{ARTICLE}+++\n")),
            &["site/content/articles/index.html.md: the page /articles/index.html/ needs a folder"],
        ),
        fails(
            Content,
            "page named like its section's file",
            |c| c.write("content/guide/index.html.md", "+++\ntitle = \"I\"\n+++\n"),
            &["site/content/guide/index.html.md: the page /guide/index.html/ needs a folder"],
        ),
        fails(
            Content,
            "page where a static file goes",
            |c| c.write("static/about", "x"),
            &[
                "site/content/about.md: the page /about/ needs a folder where the static file about goes",
            ],
        ),
    ]
}

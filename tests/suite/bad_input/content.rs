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
        // TOML refuses a key set twice; YAML parsers keep the last one: refused in every map.
        fails(
            Content,
            "same criterion twice in YAML claims",
            |c| {
                c.write(
                    "content/articles/alpha.md",
                    "---\ntitle: T\npublisher: P\nsummary: S\nleaning: tea\nclaims:\n  taste:\n    favors: tea\n    note: first\n  taste:\n    favors: coffee\n    note: second\n---\n",
                )
            },
            &[
                "site/content/articles/alpha.md:10:3: duplicate key `taste`: it is already set on line 7",
            ],
        ),
        fails(
            Content,
            "same key twice in one YAML claim",
            |c| {
                c.write(
                    "content/articles/alpha.md",
                    "---\ntitle: T\npublisher: P\nsummary: S\nleaning: tea\nclaims:\n  taste: {favors: tea, note: n, favors: coffee}\n---\n",
                )
            },
            &[
                "site/content/articles/alpha.md:7:33: duplicate key `favors`: it is already set on line 7",
            ],
        ),
        fails(
            Content,
            "top-level key twice in YAML, once quoted",
            |c| {
                c.write(
                    "content/subjects/mate.md",
                    "---\nname: Maté\norder: 1\n\"name\": Mate\n---\n",
                )
            },
            &[
                "site/content/subjects/mate.md:4:1: duplicate key `name`: it is already set on line 2",
            ],
        ),
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
            "signed year in a TOML date string",
            |c| {
                c.write(
                    "content/articles/alpha.md",
                    format!("{ARTICLE}published = \"+999-01-01\"\n+++\n"),
                )
            },
            &[
                "site/content/articles/alpha.md:6:13",
                "a date like 2023-03-04",
            ],
        ),
        fails(
            Content,
            "signed month and day in a YAML date",
            |c| {
                c.write(
                    "content/articles/alpha.md",
                    "---\ntitle: T\npublisher: P\nsummary: S\nleaning: tea\npublished: 2024-+1-+5\n---\n",
                )
            },
            &[
                "site/content/articles/alpha.md:6:12",
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
        builds(
            Content,
            "spreadsheet formula in a criterion title",
            |c| {
                c.write(
                    "content/criteria/taste.md",
                    "+++\ntitle = \"=HYPERLINK(\\\"https://evil.example/\\\",\\\"x\\\")\"\n+++\n",
                )
            },
            &[
                (
                    "matrix.csv",
                    "\ntaste,\"'=HYPERLINK(\"\"https://evil.example/\"\"",
                ),
                ("criteria/taste/index.html", "=HYPERLINK("),
            ],
        ),
        builds(
            Content,
            "tab-led and at-sign formulas in YAML titles",
            |c| {
                c.write(
                    "content/criteria/taste.md",
                    "---\ntitle: \"\\t=1+1\"\n---\n",
                );
                c.write(
                    "content/criteria/price.md",
                    "---\ntitle: \"@SUM(A1)\"\n---\n",
                );
            },
            &[
                ("matrix.csv", "\ntaste,'\t=1+1,"),
                ("matrix.csv", "\nprice,'@SUM(A1),"),
            ],
        ),
        fails(
            Content,
            "control characters in a TOML article title",
            |c| {
                c.write(
                    "content/articles/alpha.md",
                    "+++\ntitle = \"Why\\u000b coffee\\u0000 wins\\u001b\"\npublisher = \"P\"\nsummary = \"S\"\nleaning = \"tea\"\n+++\n",
                )
            },
            &["site/content/articles/alpha.md:2:9: the text holds the control character U+000B"],
        ),
        fails(
            Content,
            "escape character in a YAML summary",
            |c| {
                c.write(
                    "content/articles/alpha.md",
                    "---\ntitle: T\npublisher: P\nsummary: \"Bold \\e[1m claim\"\nleaning: tea\n---\n",
                )
            },
            &[
                "site/content/articles/alpha.md:4:10: summary: the text holds the control character U+001B",
            ],
        ),
        fails(
            Content,
            "vertical tab in a YAML author",
            |c| {
                c.write(
                    "content/articles/beta.md",
                    "---\ntitle: T\npublisher: P\nauthor: \"A\\vB\"\nsummary: S\nleaning: tea\n---\n",
                )
            },
            &[
                "site/content/articles/beta.md:4:9: author: the text holds the control character U+000B",
            ],
        ),
        // Every XML file of a build must parse (the harness parses them): markup characters
        // and the line breaks XML allows go through escaped.
        builds(
            Content,
            "markup and line breaks in every feed field",
            |c| {
                c.write(
                    "content/articles/alpha.md",
                    "+++\ntitle = \"<b>&amp; ]]> \\\"quoted\\\" 'it'\"\npublisher = \"P & Co <x>\"\nauthor = \"A\\tB\\r\\nC\"\npublished = 2030-01-01\nsummary = \"S <![CDATA[ x ]]> \\u2028 end\"\nleaning = \"tea\"\n+++\n",
                )
            },
            &[
                ("atom.xml", "<title>&lt;b&gt;&amp;amp; ]]&gt;"),
                ("atom.xml", "<summary>S &lt;![CDATA[ x ]]&gt;"),
            ],
        ),
        fails(
            Content,
            "file name that cannot be a URL",
            |c| c.write("content/guide/my page.md", "+++\ntitle = \"P\"\n+++\n"),
            &["site/content/guide/my page.md: `my page` cannot be used in a URL"],
        ),
        fails(
            Content,
            "subject id that is the verdict tie",
            |c| c.write("content/subjects/tie.md", "+++\nname = \"Tie\"\n+++\n"),
            &["site/content/subjects/tie.md: `tie` cannot be a subject id"],
        ),
        fails(
            Content,
            "subject id that is the verdict depends",
            |c| c.write("content/subjects/depends.md", "---\nname: Depends\n---\n"),
            &["site/content/subjects/depends.md: `depends` cannot be a subject id"],
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
        // Unique heading ids come in linear time: this took 54 s in a release build.
        builds(
            Content,
            "20,000 identical headings",
            |c| {
                page(
                    c,
                    &format!("{}After the headings.\n", "## same\n\n".repeat(20_000)),
                )
            },
            &[
                ("about/index.html", "id=\"same\""),
                ("about/index.html", "id=\"same-19999\""),
                ("about/index.html", "After the headings."),
            ],
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
        // One 1 MB anchor aliased 3,000 times took 3.1 GB and 6 s: aliases may add no more
        // than the file's own length (and 64 KiB) to it, and the error names the alias.
        fails(
            Content,
            "1 MB YAML anchor aliased 3,000 times",
            |c| {
                let mut text = format!(
                    "---\ntitle: T\npublisher: P\nsummary: S\nleaning: tea\nclaims:\n  taste:\n    favors: tea\n    note: &a \"{}\"\n",
                    "x".repeat(1_000_000)
                );
                for i in 0..3000 {
                    text.push_str(&format!("  c{i}:\n    favors: tea\n    note: *a\n"));
                }
                c.write("content/articles/alpha.md", text + "---\n")
            },
            &[
                "site/content/articles/alpha.md:15:11: YAML aliases expand this front matter by more than",
            ],
        ),
        fails(
            Content,
            "YAML aliases of aliases",
            |c| {
                let mut text = String::from(
                    "---\nname: Maté\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
                );
                for level in 1..12 {
                    let refs = vec![format!("*l{}", level - 1); 10].join(", ");
                    text.push_str(&format!("l{level}: &l{level} [{refs}]\n"));
                }
                c.write("content/subjects/mate.md", text + "---\n")
            },
            &["site/content/subjects/mate.md:7:", "YAML aliases expand"],
        ),
        builds(
            Content,
            "small YAML aliases build",
            |c| {
                c.write(
                    "content/subjects/mate.md",
                    "---\nname: &n Maté from an anchor\ntagline: *n\n---\n",
                )
            },
            &[("subjects/mate/index.html", "Maté from an anchor")],
        ),
        // The old guard took the `"` for the start of a string and missed the brackets after.
        fails(
            Content,
            "quote in a plain YAML value before 100,000 nested sequences",
            |c| {
                c.write(
                    "content/subjects/mate.md",
                    format!(
                        "---\nname: Maté\ntagline: five \" tall\norder: {}{}\n---\n",
                        "[".repeat(100_000),
                        "]".repeat(100_000)
                    ),
                )
            },
            &[
                "site/content/subjects/mate.md:4:",
                "YAML nested more than 100 levels deep",
            ],
        ),
        builds(
            Content,
            "brackets and quotes in a plain YAML value build",
            |c| {
                c.write(
                    "content/subjects/mate.md",
                    format!(
                        "---\nname: Maté\ntagline: it's five \" tall {{[[[ {}\n---\n",
                        "[".repeat(500)
                    ),
                )
            },
            &[(
                "subjects/mate/index.html",
                "it&#39;s five &quot; tall {[[[ [[[[",
            )],
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

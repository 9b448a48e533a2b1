//! A bad `site.toml`: syntax, types, keys, values, encodings, a missing or unknown theme, and
//! a config that is not a regular file.

use super::harness::Category::Config;
use super::harness::{Case, Ctx, builds, fails};

fn config(ctx: &Ctx, text: &str) {
    ctx.write("site.toml", text);
}

pub fn cases() -> Vec<Case> {
    vec![
        fails(
            Config,
            "no site.toml",
            |c| std::fs::remove_file(c.path("site.toml")).unwrap(),
            &["site/site.toml: no site.toml in site", "versus init"],
        ),
        fails(
            Config,
            "empty site.toml",
            |c| config(c, ""),
            &["site/site.toml:1:1: missing field `title`"],
        ),
        fails(
            Config,
            "invalid TOML in site.toml",
            |c| config(c, "title = \"T\"\nbase_url = \n"),
            &["site/site.toml:2:"],
        ),
        fails(
            Config,
            "unknown key in site.toml",
            |c| {
                config(
                    c,
                    "title = \"T\"\nbase_url = \"https://e.org/\"\nthem = \"x\"\n",
                )
            },
            &["site/site.toml:3:1: unknown field `them`"],
        ),
        fails(
            Config,
            "unknown key in [build]",
            |c| {
                config(
                    c,
                    "title = \"T\"\nbase_url = \"/\"\n[build]\nminify = true\n",
                )
            },
            &["site/site.toml:4:1: unknown field `minify`"],
        ),
        fails(
            Config,
            "control character in the site title",
            |c| {
                config(
                    c,
                    "title = \"Drinks\\u0000\"\nbase_url = \"https://e.org/\"\n",
                )
            },
            &["site/site.toml:1:9: the text holds the control character U+0000"],
        ),
        fails(
            Config,
            "control character in the base_url host",
            |c| config(c, "title = \"T\"\nbase_url = \"https://e\\u000b.org/\"\n"),
            &["site/site.toml:2:12: the text holds the control character U+000B"],
        ),
        fails(
            Config,
            "escape character in [extra]",
            |c| {
                config(
                    c,
                    "title = \"T\"\nbase_url = \"/\"\n[extra]\nbanner = \"\\u001b[31mred\"\n",
                )
            },
            &["site/site.toml:4:10: extra.banner: the text holds the control character U+001B"],
        ),
        fails(
            Config,
            "wrong type in site.toml",
            |c| config(c, "title = 5\nbase_url = \"https://e.org/\"\n"),
            &["site/site.toml:1:9: invalid type: integer `5`, expected a string"],
        ),
        fails(
            Config,
            "negative feed limit",
            |c| {
                config(
                    c,
                    "title = \"T\"\nbase_url = \"/\"\n[build]\nfeed_limit = -1\n",
                )
            },
            &["site/site.toml:4:14: invalid value: integer `-1`"],
        ),
        fails(
            Config,
            "base_url that is not a URL",
            |c| config(c, "title = \"T\"\nbase_url = \"example.org\"\n"),
            &["site/site.toml:2:12: base_url `example.org` must be an absolute URL"],
        ),
        fails(
            Config,
            "cname that is not a host name",
            |c| {
                config(
                    c,
                    "title = \"T\"\nbase_url = \"/\"\ncname = \"e.org\\n<b>\"\n",
                )
            },
            &["site/site.toml:3:9: cname `e.org\\n<b>` must be a domain name"],
        ),
        fails(
            Config,
            "language that is not a language tag",
            |c| {
                config(
                    c,
                    "title = \"T\"\nbase_url = \"/\"\nlanguage = \"en\\\"><x\"\n",
                )
            },
            &["site/site.toml:3:12: language `en\\\"><x` must be a language tag"],
        ),
        fails(
            Config,
            "invalid UTF-8 in site.toml",
            |c| c.write("site.toml", b"title = \"T\"\nbase_url = \"/\xff\"\n"),
            &["site/site.toml:2:14: the file is not valid UTF-8"],
        ),
        builds(
            Config,
            "site.toml with BOM and CRLF builds",
            |c| {
                config(
                    c,
                    "\u{feff}title = \"CRLF site\"\r\nbase_url = \"https://e.org/\"\r\n",
                )
            },
            &[("index.html", "CRLF site")],
        ),
        fails(
            Config,
            "unknown theme",
            |c| config(c, "title = \"T\"\nbase_url = \"/\"\ntheme = \"nope\"\n"),
            &["site/site.toml:3:9: unknown theme `nope`"],
        ),
        fails(
            Config,
            "theme that leaves themes/",
            |c| config(c, "title = \"T\"\nbase_url = \"/\"\ntheme = \"../../x\"\n"),
            &["site/site.toml:3:9: theme `../../x` must be a folder name under themes/"],
        ),
        fails(
            Config,
            "theme that is a file",
            |c| {
                c.write("themes/fancy", "not a folder");
                config(c, "title = \"T\"\nbase_url = \"/\"\ntheme = \"fancy\"\n")
            },
            &["site/site.toml:3:9: unknown theme `fancy`"],
        ),
        fails(
            Config,
            "site.toml is a folder",
            |c| {
                std::fs::remove_file(c.path("site.toml")).unwrap();
                std::fs::create_dir(c.path("site.toml")).unwrap();
            },
            &["site/site.toml: not a regular file"],
        ),
        fails(
            Config,
            "site.toml is a named pipe",
            |c| {
                std::fs::remove_file(c.path("site.toml")).unwrap();
                c.fifo("site.toml");
            },
            &["site/site.toml: not a regular file"],
        ),
    ]
}

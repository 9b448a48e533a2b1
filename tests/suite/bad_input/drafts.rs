//! Drafts and aliases gone wrong: a `draft` that is not a boolean, published content
//! pointing at a draft, and aliases that leave the site or take a path already used.

use super::harness::Category::Content;
use super::harness::{Case, fails};

pub fn cases() -> Vec<Case> {
    vec![
        fails(
            Content,
            "draft that is not a boolean",
            |c| {
                c.write(
                    "content/about.md",
                    "+++\ntitle = \"About\"\ndraft = \"yes\"\n+++\n",
                )
            },
            &["site/content/about.md:3:9: invalid type: string \"yes\", expected a boolean"],
        ),
        fails(
            Content,
            "link to a draft section",
            |c| {
                c.write(
                    "content/guide/deep/_index.md",
                    "+++\ntitle = \"Deep\"\ndraft = true\n+++\nDeeper.\n",
                )
            },
            &[
                "site/content/guide/_index.md:5:15: link `@/guide/deep/_index.md` is to a draft: \
                 site/content/guide/deep/_index.md has draft = true",
            ],
        ),
        fails(
            Content,
            "published digest favoring a draft subject",
            |c| {
                c.write(
                    "content/subjects/mate.md",
                    "---\nname: \"Maté\"\ndraft: true\n---\n",
                )
            },
            &[
                "site/content/articles/gamma.md:8:10: favors: `mate` is a draft subject \
                 (site/content/subjects/mate.md has draft = true)",
            ],
        ),
        fails(
            Content,
            "alias leaving the site",
            |c| {
                c.write(
                    "content/about.md",
                    "+++\ntitle = \"About\"\naliases = [\"/ok/\", \"../../outside/\"]\n+++\n",
                )
            },
            &[
                "site/content/about.md:3:20: alias `../../outside/`: an alias must not hold `.` or `..`",
            ],
        ),
        fails(
            Content,
            "alias over a page",
            |c| {
                c.write(
                    "content/about.md",
                    "---\ntitle: About\naliases:\n  - /guide/method/\n---\n",
                )
            },
            &[
                "site/content/about.md:4:5: the alias /guide/method/ is the page of \
                 site/content/guide/method.md",
            ],
        ),
    ]
}

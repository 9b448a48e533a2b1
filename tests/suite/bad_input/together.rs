//! Independent errors arrive together, in one run: a front-matter typo does not hide a
//! broken link or a template error elsewhere, a missing `@/` target does not hide a missing
//! anchor in another file, and a template error does not hide a broken link. A link into the
//! file that failed is not reported as well (its page would exist).

use super::harness::Category::Content;
use super::harness::{Case, Ctx, fails};

/// `content/about.md` with `titel` for `title`.
fn about_typo(ctx: &Ctx) {
    ctx.write("content/about.md", "+++\ntitel = \"About\"\n+++\nAbout.\n");
}

/// `content/guide/method.md` with this body (its first line is line 5).
fn method(ctx: &Ctx, body: &str) {
    ctx.write(
        "content/guide/method.md",
        format!("+++\ntitle = \"Method\"\nweight = 1\n+++\n{body}"),
    );
}

/// A subject template that reads a field subjects do not have (its line 2).
fn subject_template_error(ctx: &Ctx) {
    ctx.write(
        "templates/subject.html",
        "{% extends \"base.html\" %}\n{% block content %}{{ page.nope }}{% endblock content %}\n",
    );
}

pub fn cases() -> Vec<Case> {
    vec![
        fails(
            Content,
            "front-matter typo beside a broken link and a template error",
            |c| {
                about_typo(c);
                method(c, "See [x](@/nowhere.md).\n");
                subject_template_error(c);
            },
            &[
                "site/content/about.md:2:1: unknown field `titel`",
                "site/content/guide/method.md:5:5: broken link `@/nowhere.md`",
                "site/templates/subject.html:2:",
                "build failed with 3 errors",
            ],
        ),
        fails(
            Content,
            "missing link target beside a missing anchor",
            |c| {
                method(c, "See [x](@/nowhere.md).\n");
                c.write(
                    "content/_index.md",
                    "+++\ntitle = \"Home\"\n+++\nSee [m](@/guide/method.md#nada).\n",
                );
            },
            &[
                "site/content/guide/method.md:5:5: broken link `@/nowhere.md`",
                "site/content/_index.md:4:5: broken link `@/guide/method.md#nada`",
                "build failed with 2 errors",
            ],
        ),
        fails(
            Content,
            "template error beside a missing anchor",
            |c| {
                subject_template_error(c);
                method(c, "See [x](#nada).\n");
            },
            &[
                "site/templates/subject.html:2:",
                "site/content/guide/method.md:5:5: broken link `#nada`",
                "build failed with 2 errors",
            ],
        ),
        fails(
            Content,
            "links into a file that failed are not reported too",
            |c| {
                about_typo(c);
                method(c, "See [a](@/about.md#team) and [b](/about/).\n");
            },
            &[
                "site/content/about.md:2:1: unknown field `titel`",
                "build failed with 1 error;",
            ],
        ),
    ]
}

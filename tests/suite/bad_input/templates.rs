//! Bad templates: syntax and runtime errors, overrides that shadow the theme badly, broken
//! inheritance, and templates that are not UTF-8.

use super::harness::Category::Templates;
use super::harness::{Case, fails};

pub fn cases() -> Vec<Case> {
    vec![
        fails(
            Templates,
            "template syntax error",
            |c| {
                c.write(
                    "templates/page.html",
                    "{% extends \"base.html\" %}\n{% block content %}{% if %}{% endblock content %}\n",
                )
            },
            &["site/templates/page.html:2:"],
        ),
        fails(
            Templates,
            "template runtime error",
            |c| {
                c.write(
                    "templates/article.html",
                    "{% extends \"base.html\" %}\n{% block content %}\n{{ page.nope }}{% endblock content %}\n",
                )
            },
            &[
                "site/templates/article.html:3:",
                "nope",
                "while rendering /articles/",
            ],
        ),
        fails(
            Templates,
            "runaway loop in a template",
            |c| {
                c.write(
                    "templates/page.html",
                    "{% for i in range(end=100000000) %}{{ i }}{% endfor %}\n",
                )
            },
            &["site/templates/page.html:1:13:", "exceeds the limit"],
        ),
        // Each range is short, but nested they are a billion steps: one budget per page.
        fails(
            Templates,
            "three nested loops in a template",
            |c| {
                c.write(
                    "templates/page.html",
                    "{% for i in range(end=1000) %}{% for j in range(end=1000) %}\n\
                     {% for k in range(end=1000) %}{% endfor %}{% endfor %}{% endfor %}\n",
                )
            },
            &[
                "site/templates/page.html:2:",
                "loops do too much work",
                "while rendering /",
            ],
        ),
        fails(
            Templates,
            "nested loops through an include",
            |c| {
                c.write(
                    "templates/spin.html",
                    "{% for j in range(end=1000) %}{% endfor %}\n",
                );
                c.write(
                    "templates/page.html",
                    "{% for i in range(end=100000) %}{% include \"spin.html\" %}{% endfor %}\n",
                )
            },
            &["site/templates/spin.html:1:13:", "loops do too much work"],
        ),
        fails(
            Templates,
            "unknown filter",
            |c| c.write("templates/page.html", "<p>\n{{ page.title | shout }}</p>\n"),
            &["site/templates/page.html:2:17: Unknown filter `shout`"],
        ),
        fails(
            Templates,
            "include of a missing template",
            |c| c.write("templates/page.html", "{% include \"sidebar.html\" %}\n"),
            &["site/templates/page.html:1:12: Unknown template `sidebar.html`"],
        ),
        fails(
            Templates,
            "override fills a block its parent lacks",
            |c| {
                c.write(
                    "templates/page.html",
                    "{% extends \"base.html\" %}\n{% block sidebar %}x{% endblock sidebar %}\n",
                )
            },
            &[
                "site/templates/page.html:2:10: Block `sidebar` is not defined in any parent template",
            ],
        ),
        fails(
            Templates,
            "base override drops the blocks the theme fills",
            |c| {
                c.write(
                    "templates/base.html",
                    "<!doctype html><title>{{ site.title }}</title>\n",
                )
            },
            &[
                "Block `content` is not defined in any parent template",
                "it extends site/templates/base.html",
            ],
        ),
        fails(
            Templates,
            "template extends itself",
            |c| c.write("templates/page.html", "{% extends \"page.html\" %}\n"),
            &["site/templates/page.html:1:4: circular extends: page.html extends page.html"],
        ),
        fails(
            Templates,
            "base override extends a page template",
            |c| c.write("templates/base.html", "{% extends \"page.html\" %}\n"),
            &[
                "site/templates/base.html:1:4: circular extends: base.html extends page.html extends base.html",
            ],
        ),
        fails(
            Templates,
            "template extends a missing template",
            |c| c.write("templates/page.html", "\n{% extends \"layout.html\" %}\n"),
            &[
                "site/templates/page.html:2:12: page.html extends `layout.html`, which does not exist",
            ],
        ),
        fails(
            Templates,
            "template includes itself",
            |c| c.write("templates/page.html", "{% include \"page.html\" %}\n"),
            &["site/templates/page.html:1:4: circular include: page.html includes page.html"],
        ),
        fails(
            Templates,
            "template that is not UTF-8",
            |c| c.write("templates/page.html", b"<p>\n\xff</p>\n"),
            &["site/templates/page.html:2:1: the file is not valid UTF-8"],
        ),
        fails(
            Templates,
            "error in a theme's template",
            |c| {
                c.write("themes/mine/templates/page.html", "{{ page.title \n");
                c.write(
                    "site.toml",
                    "title = \"T\"\nbase_url = \"/\"\ntheme = \"mine\"\n",
                );
            },
            &["site/themes/mine/templates/page.html:"],
        ),
        fails(
            Templates,
            "template links to a missing page",
            |c| {
                c.write(
                    "templates/404.html",
                    "<a href=\"{{ url(path='nowhere/') }}\">x</a>\n",
                )
            },
            &[
                "broken link `/drinks/nowhere/`",
                "templates/404.html: broken link",
            ],
        ),
    ]
}

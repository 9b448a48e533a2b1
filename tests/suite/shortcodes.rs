//! Shortcodes: the site's and the theme's templates called from Markdown, the built-in
//! `claim`, `matrix` and `consensus`, mistakes reported at the content file's line, and
//! rebuilds (a template edit, a claim edit, a body edit) equal to a clean build.

use std::fs;
use std::path::Path;
use std::process::Command;

use versus::build::{Mode, Options};
use versus::rebuild::{Changes, Session};

use crate::support::{Running, article, assert_same_tree, clean_build, site, write};

const NOTE: &str = "<aside class=\"note\" aria-label=\"{{ title }}\">{{ body | safe }}</aside>\n";
const BADGE: &str = "<span class=\"badge\">{{ text }}{% if n %} ×{{ n }}{% endif %}</span>";

/// The small site, with a guide page and an article that call shortcodes.
fn shortcode_site() -> tempfile::TempDir {
    let dir = site();
    let root = dir.path().join("site");
    write(&root, "templates/shortcodes/note.html", NOTE);
    write(&root, "templates/shortcodes/badge.html", BADGE);
    write(
        &root,
        "content/guide.md",
        "+++\ntitle = \"Guide\"\n+++\nIntro with {{ badge(text=\"new\", n=2) }} inline.\n\n\
         {% note(title=\"Mind\") %}\nA *body* with {{ badge(text=\"x\") }}.\n{% end %}\n\n\
         What one source says:\n{{ claim(article=\"one\", criterion=\"speed\") }}\n\n\
         {{ consensus(criterion=\"speed\") }}\n\n{{ matrix(criteria=[\"speed\"]) }}\n\n\
         Written as text: `{{ badge(text=\"code\") }}` and {{/* badge(text=\"lit\") */}}.\n\n\
         ```\n{{ badge(text=\"fenced\") }}\n```\n",
    );
    write(
        &root,
        "content/articles/two.md",
        &article(
            "Two",
            "beta",
            "\n\n{% note(title=\"Aside\") %}\nIn two.\n{% end %}\n",
        ),
    );
    dir
}

fn page(out: &Path, path: &str) -> String {
    fs::read_to_string(out.join(path)).unwrap()
}

#[test]
fn a_build_expands_the_sites_and_the_built_in_shortcodes() {
    let dir = shortcode_site();
    let root = dir.path().join("site");
    let out = clean_build(&root, &dir.path().join("out"), None);
    let guide = page(&out, "guide/index.html");
    assert!(
        guide.contains("<p>Intro with <span class=\"badge\">new ×2</span> inline.</p>"),
        "{guide}"
    );
    assert!(
        guide.contains("<aside class=\"note\" aria-label=\"Mind\"><p>A <em>body</em> with <span class=\"badge\">x</span>.</p>\n</aside>"),
        "a body is Markdown, and block-level: {guide}"
    );
    assert!(
        !guide.contains("<p><aside") && !guide.contains("<p><div"),
        "{guide}"
    );
    assert!(
        guide.contains("<p>What one source says:</p>\n<div class=\"claim-card shortcode-claim"),
        "a block call on its own line closes the paragraph: {guide}"
    );
    assert!(
        guide.contains("<a href=\"/criteria/speed/#claim-one\">Pub One on Speed</a>"),
        "the claim links to its permalink: {guide}"
    );
    assert!(
        guide.contains("<p class=\"claim-note\">Says so.</p>"),
        "{guide}"
    );
    assert!(
        guide.contains("<p class=\"muted small consensus-meaning\">Split: two or more verdicts have the most sources.</p>"),
        "{guide}"
    );
    assert!(guide.contains("2 of 2 sources take a position."), "{guide}");
    assert!(
        guide.contains(
            "<caption id=\"sc-matrix-1-matrix-caption\">What each source claims on Speed</caption>"
        ),
        "{guide}"
    );
    assert!(guide.contains("id=\"sc-matrix-1-row-speed\""), "{guide}");
    assert!(!guide.contains("row-cost"), "only the rows named: {guide}");
    assert!(
        guide.contains("<code>{{ badge(text=\"code\") }}</code> and {{ badge(text=\"lit\") }}."),
        "{guide}"
    );
    assert!(
        guide.contains("<code>{{ badge(text=&quot;fenced&quot;) }}\n</code>"),
        "{guide}"
    );
    let two = page(&out, "articles/two/index.html");
    assert!(
        two.contains("<aside class=\"note\" aria-label=\"Aside\"><p>In two.</p>"),
        "{two}"
    );
}

#[test]
fn a_site_template_overrides_a_built_in_one() {
    let dir = shortcode_site();
    let root = dir.path().join("site");
    write(
        &root,
        "templates/shortcodes/claim.html",
        "<p class=\"mine\">{{ claim.publisher }}: {{ claim.note }} ({{ article }})</p>\n",
    );
    let out = clean_build(&root, &dir.path().join("out"), None);
    let guide = page(&out, "guide/index.html");
    assert!(
        guide.contains("<p class=\"mine\">Pub One: Says so. (one)</p>"),
        "{guide}"
    );
}

/// Runs `versus build` expecting failure; its stderr.
fn failed_build(root: &Path, out: &Path) -> String {
    let result = Command::new(env!("CARGO_BIN_EXE_versus"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .output()
        .unwrap();
    assert!(!result.status.success(), "the build should fail");
    String::from_utf8_lossy(&result.stderr).into_owned()
}

#[test]
fn mistakes_are_errors_at_the_content_files_line_and_keep_the_last_output() {
    let dir = shortcode_site();
    let root = dir.path().join("site");
    let out = clean_build(&root, &dir.path().join("out"), None);
    let before = crate::support::tree(&out);
    write(
        &root,
        "content/bad.md",
        "+++\ntitle = \"Bad\"\n+++\nFine.\n\n{{ youtube(id=\"x\") }}\n\
         {{ claim(article=\"nope\", criterion=\"speed\") }}\n\
         {{ claim(article=\"one\", criterion=\"speed\", size=2) }}\n\
         {{ claim(article=\"one\") }}\n\
         {{ consensus(criterion=3) }}\n\
         {{ matrix(criteria=[\"speed\", \"gone\"]) }}\n\
         {{ claim(article=\"one\", criterion=\"cost\") }}\n\
         {{ badge(text=\"a\" n=2) }}\n\
         A line with {{ note(title=\"x\") }} in it.\n\
         {% note(title=\"open\") %}\nnever closed\n",
    );
    let stderr = failed_build(&root, &out);
    for expected in [
        "content/bad.md:6:1: unknown shortcode `youtube`: there is no template shortcodes/youtube.html",
        "content/bad.md:7:1: shortcode `claim`: there is no article `nope` (content/articles/nope.md)",
        "content/bad.md:8:1: shortcode `claim` has no argument `size` (it takes `article` and `criterion`)",
        "content/bad.md:9:1: shortcode `claim` needs the argument `criterion`",
        "content/bad.md:10:1: argument `criterion` of shortcode `consensus` must be a string, not a number",
        "content/bad.md:11:1: shortcode `matrix`: there is no criterion `gone` (content/criteria/gone.md)",
        "content/bad.md:12:1: shortcode `claim`: article `one` takes no position on criterion `cost`",
        "content/bad.md:13:19: in the arguments of shortcode `badge`:",
        "content/bad.md:14:13: shortcode `note` makes block HTML, which cannot stand inside a line of text",
        "content/bad.md:15:1: shortcode `note` opens a body with `{% … %}` that no `{% end %}` closes",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in:\n{stderr}"
        );
    }
    assert_eq!(crate::support::tree(&out), before, "the last output stays");
}

fn options(root: &Path, out: &Path) -> Options {
    crate::support::build_options(root, out)
}

/// Asserts that `session` holds what a fresh build of the same files makes.
fn assert_equal_to_fresh(session: &Session, root: &Path, out: &Path, step: &str) {
    let mut fresh = Session::new(Options {
        mode: Mode::Check,
        ..options(root, out)
    });
    fresh.build().unwrap();
    assert!(*session.files() == *fresh.files(), "after {step}");
}

#[test]
fn rebuilds_render_exactly_what_shortcodes_reach_and_equal_a_clean_build() {
    let dir = shortcode_site();
    let root = dir.path().join("site");
    let out = dir.path().join("out");
    let mut session = Session::new(options(&root, &out));
    session.build().unwrap();
    let templates = Changes {
        shortcodes: true,
        ..Changes::default()
    };
    let edit = |rel: &str| Changes {
        content: [rel.to_string()].into(),
        ..Changes::default()
    };

    // The note template: the guide and article two call it, and nothing else changes.
    write(
        &root,
        "templates/shortcodes/note.html",
        &NOTE.replace("note", "callout"),
    );
    let rebuilt = session.rebuild(&templates).unwrap();
    assert_eq!(rebuilt.rendered, 2, "{rebuilt}");
    let mut updated = rebuilt.updated.clone();
    updated.sort();
    assert_eq!(updated, ["articles/two/index.html", "guide/index.html"]);
    assert_equal_to_fresh(&session, &root, &out, "a shortcode template edit");
    assert!(page(&out, "guide/index.html").contains("class=\"callout\""));

    // The badge template: the guide only (a call inside a body counts too).
    write(
        &root,
        "templates/shortcodes/badge.html",
        &BADGE.replace("badge", "tag"),
    );
    assert_eq!(session.rebuild(&templates).unwrap().rendered, 1);
    assert_equal_to_fresh(&session, &root, &out, "a template called inside a body");

    // A built-in overridden by the site.
    write(
        &root,
        "templates/shortcodes/consensus.html",
        "<p>{{ row.consensus.label }}</p>\n",
    );
    assert_eq!(session.rebuild(&templates).unwrap().rendered, 1);
    assert_equal_to_fresh(&session, &root, &out, "overriding a built-in");

    // The claim's note changes in article one's front matter: the guide shows it too.
    write(
        &root,
        "content/articles/one.md",
        &article("One", "alpha", "").replace("Says so.", "Says it differently."),
    );
    let rebuilt = session.rebuild(&edit("articles/one.md")).unwrap();
    assert!(
        rebuilt.updated.iter().any(|p| p == "guide/index.html"),
        "{:?}",
        rebuilt.updated
    );
    assert!(page(&out, "guide/index.html").contains("Says it differently."));
    assert_equal_to_fresh(&session, &root, &out, "a claim shown by `claim` elsewhere");

    // A body edit that adds a call: its page alone (and the search index).
    let guide = fs::read_to_string(root.join("content/guide.md")).unwrap();
    write(
        &root,
        "content/guide.md",
        &format!("{guide}\nMore {{{{ badge(text=\"late\") }}}}.\n"),
    );
    session.rebuild(&edit("guide.md")).unwrap();
    assert!(page(&out, "guide/index.html").contains("<span class=\"tag\">late</span>"));
    assert_equal_to_fresh(&session, &root, &out, "a body edit with a call");

    // Deleting a template a page calls fails, and keeps the last output.
    fs::remove_file(root.join("templates/shortcodes/badge.html")).unwrap();
    let error = session.rebuild(&templates).unwrap_err().to_string();
    assert!(error.contains("unknown shortcode `badge`"), "{error}");
    write(&root, "templates/shortcodes/badge.html", BADGE);
    session.rebuild(&templates).unwrap();
    assert_equal_to_fresh(&session, &root, &out, "a template deleted and put back");
}

#[test]
fn watch_picks_up_a_shortcode_template_edit_like_a_clean_build() {
    let dir = shortcode_site();
    let root = dir.path().join("site");
    let out = dir.path().join("out");
    let mut watch = Running::start(&[
        "watch",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    watch.wait_for("watching");
    write(
        &root,
        "templates/shortcodes/badge.html",
        &BADGE.replace("badge", "pill"),
    );
    let line = watch.wait_for("rebuilt after");
    assert!(line.contains("shortcode templates"), "{line}");
    let clean = clean_build(&root, &dir.path().join("clean"), None);
    if crate::support::tree(&out) != crate::support::tree(&clean) {
        watch.wait_for("rebuilt after");
    }
    assert_same_tree(&out, &clean);
}

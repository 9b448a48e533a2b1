//! Integration tests of `versus build` and `versus check` over fixture sites: a good site
//! checked page by page, and one bad variant per class of user error.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use versus::build::{self, Mode, Options};

const GOOD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/good");

/// A copy of the good fixture in a temporary folder, to mutate freely.
fn good_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(Path::new(GOOD), &root);
    (tmp, root)
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file under `dir`, relative path → bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(rel, fs::read(entry.path()).unwrap());
        }
    }
    files
}

fn build_to(root: &Path, output: &Path) -> build::Summary {
    let options = Options {
        root: root.into(),
        output: Some(output.into()),
        base_url: None,
        mode: Mode::Build,
        evidence: Default::default(),
        drafts: false,
    };
    build::run(&options).unwrap_or_else(|e| panic!("build failed:\n{e}"))
}

fn versus(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_versus"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn page(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(
        files
            .get(path)
            .unwrap_or_else(|| panic!("{path} was not written"))
            .clone(),
    )
    .unwrap()
}

#[test]
fn good_site_writes_every_page_of_the_design() {
    let tmp = tempfile::tempdir().unwrap();
    let summary = build_to(Path::new(GOOD), &tmp.path().join("out"));
    assert_eq!(
        (summary.articles, summary.criteria, summary.subjects),
        (4, 4, 3)
    );
    let files = snapshot(&tmp.path().join("out"));
    let expected = [
        "index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "atom.xml",
        ".nojekyll",
        "matrix.json",
        "matrix.csv",
        "articles/index.html",
        "articles/alpha/index.html",
        "articles/beta/index.html",
        "articles/gamma/index.html",
        "articles/delta/index.html",
        "criteria/index.html",
        "criteria/caffeine/index.html",
        "criteria/ritual/index.html",
        "subjects/index.html",
        "subjects/tea/index.html",
        "subjects/mate/index.html",
        "about/index.html",
        "guide/index.html",
        "guide/method/index.html",
        "guide/deep/index.html",
        "guide/deep/page/index.html",
    ];
    for path in expected {
        assert!(
            files.contains_key(path),
            "missing {path}; have {:?}",
            files.keys().collect::<Vec<_>>()
        );
    }
    let html_pages = files.keys().filter(|k| k.ends_with(".html")).count();
    assert_eq!(summary.pages, html_pages);
    assert!(
        !files
            .keys()
            .any(|k| k.contains("#") || k.contains('~') || k.contains(".swp")),
        "editor leftovers are ignored"
    );
}

#[test]
fn pages_show_their_content_with_resolved_links() {
    let tmp = tempfile::tempdir().unwrap();
    build_to(Path::new(GOOD), &tmp.path().join("out"));
    let files = snapshot(&tmp.path().join("out"));

    let home = page(&files, "index.html");
    assert!(
        home.contains("href=\"/drinks/guide/\""),
        "@/ link to a section resolves under the base path"
    );
    assert!(home.contains("href=\"/drinks/criteria/caffeine/#synthesis-notes\""));
    assert!(
        home.contains("href=\"https://example.org/drinks/\""),
        "canonical URL is absolute"
    );

    let alpha = page(&files, "articles/alpha/index.html");
    assert!(
        alpha.contains("Why coffee wins")
            && alpha.contains("Ana Okafor")
            && alpha.contains("1 May 2021")
    );
    assert!(alpha.contains("id=\"claim-caffeine\""));
    assert!(alpha.contains("&lt;coffee&gt;"), "code blocks are escaped");
    assert!(alpha.contains("class=\"language-rust\""));
    assert!(alpha.contains("href=\"/drinks/subjects/tea/\""));

    let gamma = page(&files, "articles/gamma/index.html");
    assert!(
        gamma.contains("Maté für alle — ünïcode"),
        "BOM and CRLF files build, unicode intact"
    );
    assert!(gamma.contains("id=\"überblick\""));

    let delta = page(&files, "articles/delta/index.html");
    assert!(
        delta.contains("<table>") && delta.contains("type=\"checkbox\"") && delta.contains("<del>")
    );
    assert!(delta.contains("It depends"), "YAML front matter is read");

    let beta = page(&files, "articles/beta/index.html");
    assert!(
        beta.contains("<section class=\"footnotes\"") && beta.contains("class=\"footnote-back\"")
    );

    let method = page(&files, "guide/method/index.html");
    assert!(
        method.contains("id=\"sources\"") && method.contains("id=\"sources-1\""),
        "duplicate headings get unique ids"
    );
    assert!(method.contains("href=\"/drinks/articles/beta/#claim-price\""));

    let guide = page(&files, "guide/index.html");
    assert!(
        guide.contains("href=\"/drinks/guide/method/\"")
            && guide.contains("href=\"/drinks/guide/deep/\""),
        "a section lists its pages and subsections"
    );
    assert!(
        !guide.contains("href=\"/drinks/guide/deep/page/\""),
        "a section lists only its direct pages"
    );
    let deep = page(&files, "guide/deep/page/index.html");
    assert!(
        deep.contains("href=\"/drinks/guide/\"") && deep.contains("href=\"/drinks/guide/deep/\""),
        "breadcrumbs follow nested sections"
    );

    let caffeine = page(&files, "criteria/caffeine/index.html");
    let doc = scraper::Html::parse_document(&caffeine);
    let badge: String = doc
        .select(&scraper::Selector::parse(".consensus-badge").unwrap())
        .next()
        .expect("the criterion page shows its consensus")
        .text()
        .collect();
    assert!(
        badge.contains("Plurality") && badge.contains("Coffee") && badge.contains("2 of 4"),
        "{badge}"
    );
    let order: Vec<usize> = [
        "articles/beta/#claim-caffeine",
        "articles/alpha/#claim-caffeine",
        "articles/delta/#claim-caffeine",
        "articles/gamma/#claim-caffeine",
    ]
    .iter()
    .map(|t| caffeine.find(t).unwrap_or_else(|| panic!("{t} missing")))
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "claims in article order: dated oldest first, undated by slug"
    );
    assert!(page(&files, "subjects/mate/index.html").contains("Maté"));
}

#[test]
fn matrix_files_follow_the_design() {
    let tmp = tempfile::tempdir().unwrap();
    build_to(Path::new(GOOD), &tmp.path().join("out"));
    let files = snapshot(&tmp.path().join("out"));
    let json: serde_json::Value = serde_json::from_slice(&files["matrix.json"]).unwrap();
    let subjects: Vec<&str> = json["subjects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(subjects, ["tea", "coffee", "mate"]);
    let articles: Vec<&str> = json["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["slug"].as_str().unwrap())
        .collect();
    assert_eq!(articles, ["beta", "alpha", "delta", "gamma"]);
    assert_eq!(json["articles"][1]["url"], "/drinks/articles/alpha/");
    let criterion = |id: &str| {
        json["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()
            .clone()
    };
    let caffeine = criterion("caffeine");
    assert_eq!(
        caffeine["tally"],
        serde_json::json!({"tea": 0, "coffee": 2, "mate": 1, "tie": 0, "depends": 1})
    );
    assert_eq!(
        caffeine["consensus"],
        serde_json::json!({"status": "plurality", "favors": "coffee"})
    );
    assert_eq!(caffeine["claims"][0]["article"], "beta");
    assert_eq!(
        criterion("taste")["consensus"],
        serde_json::json!({"status": "split", "favors": null})
    );
    assert_eq!(
        criterion("ritual")["consensus"],
        serde_json::json!({"status": "none", "favors": null})
    );
    let text = std::str::from_utf8(&files["matrix.json"]).unwrap();
    assert!(
        text.find("\"tea\": 0").unwrap() < text.find("\"tie\": 0").unwrap(),
        "tally keys in subject order, then tie, depends"
    );

    let csv = page(&files, "matrix.csv");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "criterion,title,beta,alpha,delta,gamma,consensus,favors,\
         beta quote,beta verified,alpha quote,alpha verified,\
         delta quote,delta verified,gamma quote,gamma verified"
    );
    assert_eq!(
        lines.next().unwrap(),
        "caffeine,Caffeine,coffee,coffee,depends,mate,plurality,coffee,,,,,,,,"
    );

    let atom = page(&files, "atom.xml");
    assert_eq!(
        atom.matches("<entry>").count(),
        3,
        "feed_limit caps the feed"
    );
    assert!(
        page(&files, "sitemap.xml")
            .contains("<loc>https://example.org/drinks/guide/deep/page/</loc>")
    );
    assert!(page(&files, "robots.txt").contains("Sitemap: https://example.org/drinks/sitemap.xml"));
}

#[test]
fn two_builds_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    build_to(Path::new(GOOD), &tmp.path().join("one"));
    build_to(Path::new(GOOD), &tmp.path().join("two"));
    assert_eq!(
        snapshot(&tmp.path().join("one")),
        snapshot(&tmp.path().join("two"))
    );
}

#[test]
fn base_url_flag_overrides_the_config() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let options = Options {
        root: GOOD.into(),
        output: Some(out.clone()),
        base_url: Some("https://user.github.io/demo".into()),
        mode: Mode::Build,
        evidence: Default::default(),
        drafts: false,
    };
    build::run(&options).unwrap();
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("href=\"/demo/guide/\""));
    assert!(!home.contains("/drinks/"));
}

#[test]
fn check_validates_without_writing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let (ok, stdout, stderr) = versus(&["check", "--root", GOOD]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.starts_with("checked 22 pages (4 articles, 4 criteria, 3 subjects) in "),
        "{stdout}"
    );
    assert!(!out.exists());
    let (ok, stdout, _) = versus(&["build", "--root", GOOD, "--output", out.to_str().unwrap()]);
    assert!(ok);
    assert!(
        stdout
            .trim_end()
            .ends_with(&format!("-> {}/", out.display())),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1, "one summary line");
}

/// One class of user error: the file to write (relative to the site root), its text, and
/// what the error output must contain.
struct BadCase {
    name: &'static str,
    file: &'static str,
    text: &'static str,
    expect: &'static [&'static str],
}

const ARTICLE_HEAD: &str =
    "+++\ntitle = \"T\"\npublisher = \"P\"\nsummary = \"S\"\nleaning = \"tea\"\n";

fn bad_cases() -> Vec<BadCase> {
    vec![
        BadCase {
            name: "unclosed front matter",
            file: "content/articles/alpha.md",
            text: "+++\ntitle = \"x\"\n",
            expect: &[
                "content/articles/alpha.md:1:1: front matter opened with `+++` on line 1 is never closed",
            ],
        },
        BadCase {
            name: "no front matter",
            file: "content/about.md",
            text: "# About\n",
            expect: &["content/about.md:1:1: missing front matter"],
        },
        BadCase {
            name: "invalid toml",
            file: "content/about.md",
            text: "+++\ntitle = \"About\nweight = 1\n+++\n",
            expect: &["content/about.md:2:"],
        },
        BadCase {
            name: "unknown key",
            file: "content/criteria/taste.md",
            text: "+++\ntitle = \"Taste\"\ntitel = \"x\"\n+++\n",
            expect: &["content/criteria/taste.md:3:1: unknown field `titel`"],
        },
        BadCase {
            name: "missing required field",
            file: "content/articles/alpha.md",
            text: "+++\ntitle = \"T\"\npublisher = \"P\"\nleaning = \"tea\"\n+++\n",
            expect: &["content/articles/alpha.md", "missing field `summary`"],
        },
        BadCase {
            name: "wrong type",
            file: "content/subjects/tea.md",
            text: "+++\nname = \"Tea\"\norder = \"first\"\n+++\n",
            expect: &["content/subjects/tea.md:3:9: invalid type: string \"first\", expected i64"],
        },
        BadCase {
            name: "bad date",
            file: "content/articles/alpha.md",
            text: "+++\ntitle = \"T\"\npublisher = \"P\"\nsummary = \"S\"\nleaning = \"tea\"\npublished = \"May 2021\"\n+++\n",
            expect: &["content/articles/alpha.md:6:13", "a date like 2023-03-04"],
        },
        BadCase {
            name: "unknown criterion",
            file: "content/articles/alpha.md",
            text: "+++\ntitle = \"T\"\npublisher = \"P\"\nsummary = \"S\"\nleaning = \"tea\"\n\n[claims.flavour]\nfavors = \"tea\"\nnote = \"n\"\n+++\n",
            expect: &[
                "content/articles/alpha.md:7:1: unknown criterion `flavour` in claims",
                "caffeine, price, ritual, taste",
            ],
        },
        BadCase {
            name: "unknown favors",
            file: "content/articles/alpha.md",
            text: "+++\ntitle = \"T\"\npublisher = \"P\"\nsummary = \"S\"\nleaning = \"tea\"\n\n[claims.taste]\nfavors = \"juice\"\nnote = \"n\"\n+++\n",
            expect: &["content/articles/alpha.md:8:10: favors: unknown verdict `juice`"],
        },
        BadCase {
            name: "unknown leaning",
            file: "content/articles/alpha.md",
            text: "+++\ntitle = \"T\"\npublisher = \"P\"\nsummary = \"S\"\nleaning = \"both\"\n+++\n",
            expect: &["content/articles/alpha.md:5:11: leaning: unknown verdict `both`"],
        },
        BadCase {
            name: "yaml error",
            file: "content/subjects/mate.md",
            text: "---\nname: \"Maté\"\nordre: 3\n---\n",
            expect: &["content/subjects/mate.md:3:1: unknown field `ordre`"],
        },
        BadCase {
            name: "two sources for one page",
            file: "content/about/_index.md",
            text: "+++\ntitle = \"About too\"\n+++\n",
            expect: &[
                "two sources map to the same page /about/",
                "content/about.md",
            ],
        },
        BadCase {
            name: "broken @ link",
            file: "content/about.md",
            text: "+++\ntitle = \"About\"\n+++\nSee\n[gone](@/articles/gone.md).\n",
            expect: &["content/about.md:5:1: broken link `@/articles/gone.md`"],
        },
        BadCase {
            name: "broken anchor",
            file: "content/about.md",
            text: "+++\ntitle = \"About\"\n+++\nSee [x](@/criteria/caffeine.md#nowhere).\n",
            expect: &[
                "content/about.md:4:5: broken link `@/criteria/caffeine.md#nowhere`: /criteria/caffeine/ has no element with id `nowhere`",
            ],
        },
        BadCase {
            name: "template syntax error",
            file: "templates/page.html",
            text: "{% extends \"base.html\" %}\n{% block content %}{% if %}{% endblock content %}\n",
            expect: &["templates/page.html:2:"],
        },
        BadCase {
            name: "template runtime error",
            file: "templates/article.html",
            text: "{% extends \"base.html\" %}\n{% block content %}\n{{ page.nope }}{% endblock content %}\n",
            expect: &[
                "templates/article.html:3:",
                "nope",
                "while rendering /articles/",
            ],
        },
        BadCase {
            name: "template links to a missing page",
            file: "templates/404.html",
            text: "<a href=\"{{ url(path='nowhere/') }}\">x</a>\n",
            expect: &["broken link `/drinks/nowhere/`", "404.html"],
        },
        BadCase {
            name: "bad config key",
            file: "site.toml",
            text: "title = \"T\"\nbase_url = \"https://e.org/\"\nthem = \"x\"\n",
            expect: &["site.toml:3:1: unknown field `them`"],
        },
        BadCase {
            name: "unknown theme",
            file: "site.toml",
            text: "title = \"T\"\nbase_url = \"https://e.org/\"\ntheme = \"nope\"\n",
            expect: &["unknown theme `nope`"],
        },
        BadCase {
            name: "bad subject color",
            file: "content/subjects/tea.md",
            text: "+++\nname = \"Tea\"\ncolor = \"green\"\n+++\n",
            expect: &["content/subjects/tea.md:3:9: color `green`"],
        },
        BadCase {
            name: "nested article",
            file: "content/articles/old/x.md",
            text: ARTICLE_HEAD,
            expect: &["content/articles/old/x.md: articles are flat"],
        },
    ]
}

#[test]
fn every_user_error_names_the_file_and_line_fails_and_keeps_the_output() {
    for case in bad_cases() {
        let (_tmp, root) = good_copy();
        let out = root.join("output");
        build_to(&root, &out);
        let before = snapshot(&out);
        let path = root.join(case.file);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, case.text).unwrap();
        let (ok, stdout, stderr) = versus(&["build", "--root", root.to_str().unwrap()]);
        assert!(
            !ok,
            "{}: the build should fail; stdout: {stdout}",
            case.name
        );
        for expected in case.expect {
            assert!(
                stderr.contains(expected),
                "{}: expected `{expected}` in:\n{stderr}",
                case.name
            );
        }
        assert!(
            stderr.contains("output was left unchanged"),
            "{}: {stderr}",
            case.name
        );
        assert!(!stderr.contains("panicked"), "{}: {stderr}", case.name);
        assert_eq!(
            snapshot(&out),
            before,
            "{}: the previous output must be untouched",
            case.name
        );
        let (ok, _, check_err) = versus(&["check", "--root", root.to_str().unwrap()]);
        assert!(
            !ok && check_err.contains(case.expect[0]),
            "{}: check reports it too:\n{check_err}",
            case.name
        );
    }
}

#[test]
fn all_errors_of_a_run_are_reported_together() {
    let (_tmp, root) = good_copy();
    fs::write(
        root.join("content/criteria/taste.md"),
        "+++\ntitel = \"x\"\n+++\n",
    )
    .unwrap();
    fs::write(
        root.join("content/about.md"),
        "+++\ntitle = \"A\"\nweight = \"heavy\"\n+++\n",
    )
    .unwrap();
    fs::write(root.join("content/guide/method.md"), "no front matter\n").unwrap();
    fs::write(
        root.join("content/articles/beta.md"),
        format!("{ARTICLE_HEAD}[claims.taste]\nfavors = \"soda\"\nnote = \"n\"\n+++\n"),
    )
    .unwrap();
    let (ok, _, stderr) = versus(&["build", "--root", root.to_str().unwrap()]);
    assert!(!ok);
    for expected in [
        "content/criteria/taste.md:2:1",
        "content/about.md:3:10",
        "content/guide/method.md:1:1",
        "content/articles/beta.md:7:10: favors: unknown verdict `soda`",
        "failed with 4 errors",
    ] {
        assert!(
            stderr.contains(expected),
            "expected `{expected}` in:\n{stderr}"
        );
    }
}

#[test]
fn invalid_utf8_names_the_file_and_line() {
    let (_tmp, root) = good_copy();
    fs::write(
        root.join("content/about.md"),
        b"+++\ntitle = \"A\"\n+++\nok\n\xff\xfe bad\n",
    )
    .unwrap();
    fs::write(
        root.join("content/criteria/taste.md"),
        "+++\ntitel = \"x\"\n+++\n",
    )
    .unwrap();
    let (ok, _, stderr) = versus(&["build", "--root", root.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        stderr.contains("content/about.md:5:1: the file is not valid UTF-8"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/criteria/taste.md:2:1: unknown field"),
        "an unreadable file does not hide the others' errors: {stderr}"
    );
}

#[test]
fn a_missing_config_or_content_folder_is_explained() {
    let tmp = tempfile::tempdir().unwrap();
    let (ok, _, stderr) = versus(&["build", "--root", tmp.path().to_str().unwrap()]);
    assert!(
        !ok && stderr.contains("site.toml") && stderr.contains("versus init"),
        "{stderr}"
    );
    fs::write(
        tmp.path().join("site.toml"),
        "title = \"T\"\nbase_url = \"/\"\n",
    )
    .unwrap();
    let (ok, _, stderr) = versus(&["build", "--root", tmp.path().to_str().unwrap()]);
    assert!(
        !ok && stderr.contains("content folder is missing"),
        "{stderr}"
    );
}

#[test]
fn output_may_not_be_the_root_or_inside_content() {
    let (_tmp, root) = good_copy();
    for output in [root.clone(), root.join("content/out")] {
        let (ok, _, stderr) = versus(&[
            "build",
            "--root",
            root.to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
        ]);
        assert!(
            !ok && stderr.contains("would overwrite the site's own files"),
            "{stderr}"
        );
    }
    assert!(root.join("content/_index.md").exists());
}

#[test]
fn site_templates_and_static_files_override_the_theme() {
    let (_tmp, root) = good_copy();
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::create_dir_all(root.join("static/img")).unwrap();
    fs::write(root.join("templates/page.html"), "<!doctype html><title>{{ page.title }}</title><p>custom {{ page.title }}</p>{{ page.content | safe }}").unwrap();
    fs::write(root.join("static/style.css"), "body{color:red}").unwrap();
    fs::write(root.join("static/img/logo.svg"), "<svg/>").unwrap();
    let out = root.join("output");
    build_to(&root, &out);
    assert!(
        fs::read_to_string(out.join("about/index.html"))
            .unwrap()
            .contains("<p>custom About</p>")
    );
    assert_eq!(
        fs::read_to_string(out.join("style.css")).unwrap(),
        "body{color:red}"
    );
    assert!(out.join("img/logo.svg").exists());
    assert!(
        fs::read_to_string(out.join("articles/alpha/index.html"))
            .unwrap()
            .contains("Why coffee wins"),
        "other templates still come from the theme"
    );
}

#[test]
fn stale_files_do_not_survive_a_rebuild() {
    let (_tmp, root) = good_copy();
    let out = root.join("output");
    build_to(&root, &out);
    assert!(out.join("about/index.html").exists());
    fs::remove_file(root.join("content/about.md")).unwrap();
    build_to(&root, &out);
    assert!(!out.join("about").exists());
}

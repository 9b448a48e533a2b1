//! Drafts and redirects, built by the real `versus` binary: `draft = true` leaves a page,
//! section, digest, criterion or subject out of everything unless `--drafts`, which marks
//! them; `aliases` write redirect pages; both follow edits under `watch` and `serve` like a
//! clean build.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::{self, Running, article, assert_same_tree, get, site, write};

/// `versus <args…>` run in `root`, so that messages name files from there.
fn versus(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_versus"))
        .args(args)
        .current_dir(root)
        .output()
        .unwrap()
}

/// A clean build into `out` with `args` (e.g. `--drafts`); panics on failure.
fn built(root: &Path, out: &Path, args: &[&str]) -> PathBuf {
    let _ = fs::remove_dir_all(out);
    let mut all = vec!["build", "--output", out.to_str().unwrap()];
    all.extend(args);
    let result = versus(root, &all);
    assert!(
        result.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&result.stderr)
    );
    out.to_path_buf()
}

/// The errors of a build that must fail.
fn errors_of(root: &Path, args: &[&str]) -> String {
    let result = versus(root, args);
    assert!(!result.status.success(), "the build passed");
    String::from_utf8_lossy(&result.stderr).into_owned()
}

fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every generated file's text, search index shards included, but the drafts' own pages.
fn everything_but(out: &Path, own: &[&str]) -> String {
    support::tree(out)
        .into_iter()
        .filter(|(path, _)| !own.iter().any(|o| path.starts_with(o)))
        .filter(|(path, _)| !path.ends_with(".css") && !path.ends_with(".js"))
        .map(|(path, bytes)| format!("== {path}\n{}\n", String::from_utf8_lossy(&bytes)))
        .collect()
}

/// The small site plus one of each kind of draft.
fn with_drafts(root: &Path) {
    write(
        root,
        "content/subjects/gamma.md",
        "+++\nname = \"Gammasubject\"\ndraft = true\n+++\nGamma overview.\n",
    );
    write(
        root,
        "content/criteria/comfort.md",
        "+++\ntitle = \"Comfortcriterion\"\ndraft = true\n+++\nComfort synthesis.\n",
    );
    write(
        root,
        "content/articles/three.md",
        &article("Threedigest", "alpha", "").replacen("+++\n", "+++\ndraft = true\n", 1),
    );
    // A published digest with a claim on the draft criterion.
    write(
        root,
        "content/articles/one.md",
        &article("One", "alpha", "").replace(
            "+++\n# One",
            "[claims.comfort]\nfavors = \"beta\"\nnote = \"Comfortclaim.\"\n+++\n# One",
        ),
    );
    write(
        root,
        "content/notes/_index.md",
        "+++\ntitle = \"Notessection\"\ndraft = true\n+++\n",
    );
    write(
        root,
        "content/notes/inside.md",
        "+++\ntitle = \"Insidepage\"\n+++\nBelow a draft section.\n",
    );
    write(
        root,
        "content/later.md",
        "+++\ntitle = \"Laterpage\"\ndraft = true\n+++\nNot yet.\n",
    );
}

const DRAFT_PAGES: [&str; 6] = [
    "subjects/gamma/",
    "criteria/comfort/",
    "articles/three/",
    "notes/",
    "notes/inside/",
    "later/",
];

const DRAFT_WORDS: [&str; 7] = [
    "Gammasubject",
    "Comfortcriterion",
    "Threedigest",
    "Comfortclaim",
    "Notessection",
    "Insidepage",
    "Laterpage",
];

#[test]
fn drafts_are_left_out_of_every_page_list_matrix_feed_sitemap_and_search() {
    let dir = site();
    let root = dir.path().join("site");
    with_drafts(&root);
    let out = built(&root, &dir.path().join("out"), &[]);
    for page in DRAFT_PAGES {
        assert!(!out.join(page).exists(), "{page} was built");
    }
    let all = everything_but(&out, &[]);
    for word in DRAFT_WORDS {
        assert!(!all.contains(word), "{word} is in the output");
    }
    for file in ["matrix.json", "matrix.csv", "sitemap.xml", "atom.xml"] {
        let text = read(&out, file);
        for id in ["gamma", "comfort", "three", "notes", "later"] {
            assert!(!text.contains(id), "{id} in {file}");
        }
    }
    assert!(out.join("articles/one/index.html").is_file());
    assert!(!read(&out, "matrix.json").contains("\"draft\""));
    assert!(!all.contains("draft-tag") && !all.contains("draft-badge"));
    let summary = String::from_utf8_lossy(&versus(&root, &["check"]).stdout).into_owned();
    assert!(
        summary.contains("2 articles, 2 criteria, 2 subjects"),
        "{summary}"
    );
}

#[test]
fn with_drafts_they_are_built_and_marked() {
    let dir = site();
    let root = dir.path().join("site");
    with_drafts(&root);
    let out = built(&root, &dir.path().join("out"), &["--drafts"]);
    for page in DRAFT_PAGES {
        let html = read(&out, &format!("{page}index.html"));
        assert!(
            html.contains("class=\"draft-badge\""),
            "{page} has no badge"
        );
    }
    for published in ["articles/one/", "criteria/speed/", "subjects/alpha/", ""] {
        let html = read(&out, &format!("{published}index.html"));
        assert!(
            !html.contains("class=\"draft-badge\""),
            "{published} has a badge"
        );
    }
    let all = everything_but(&out, &DRAFT_PAGES);
    for word in DRAFT_WORDS {
        assert!(all.contains(word), "{word} is not in the lists");
    }
    for (list, title) in [
        ("articles/", "Threedigest"),
        ("criteria/", "Comfortcriterion"),
        ("subjects/", "Gammasubject"),
        ("notes/", "Insidepage"),
    ] {
        let html = read(&out, &format!("{list}index.html"));
        let tagged = format!("{title}</a> <span class=\"draft-tag\">Draft</span>");
        assert!(html.contains(&tagged), "{title} is not marked in /{list}");
        assert_eq!(html.matches("draft-tag").count(), 1, "/{list}");
    }
    let matrix: serde_json::Value = serde_json::from_str(&read(&out, "matrix.json")).unwrap();
    let draft_of = |list: &str, key: &str, id: &str| {
        matrix[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x[key] == id)
            .unwrap_or_else(|| panic!("{id} in {list}"))
            .get("draft")
            .cloned()
    };
    assert_eq!(draft_of("articles", "slug", "three"), Some(true.into()));
    assert_eq!(draft_of("articles", "slug", "one"), None);
    assert_eq!(draft_of("criteria", "id", "comfort"), Some(true.into()));
    assert_eq!(draft_of("criteria", "id", "speed"), None);
    assert_eq!(draft_of("subjects", "id", "gamma"), Some(true.into()));
    // Every page of a draft criterion's claims is marked.
    let config = fs::read_to_string(root.join("site.toml")).unwrap();
    write(
        &root,
        "site.toml",
        &format!("{config}[build]\npaginate_by = 1\n"),
    );
    let two = article("Two", "beta", "").replace(
        "+++\n# Two",
        "[claims.comfort]\nfavors = \"tie\"\nnote = \"Even.\"\n+++\n# Two",
    );
    write(&root, "content/articles/two.md", &two);
    let paged = built(&root, &dir.path().join("paged"), &["--drafts"]);
    assert!(read(&paged, "criteria/comfort/page/2/index.html").contains("class=\"draft-badge\""));
    assert!(!read(&paged, "criteria/speed/page/2/index.html").contains("class=\"draft-badge\""));
    assert!(!read(&paged, "articles/page/2/index.html").contains("class=\"draft-badge\""));
    write(&root, "site.toml", &config);
    let checked = versus(&root, &["check", "--drafts"]);
    let summary = String::from_utf8_lossy(&checked.stdout);
    assert!(
        summary.contains("3 articles, 3 criteria, 3 subjects"),
        "{summary}"
    );
}

#[test]
fn links_and_verdicts_naming_a_draft_are_errors_at_their_line_unless_drafts() {
    let dir = site();
    let root = dir.path().join("site");
    with_drafts(&root);
    write(
        &root,
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\nSee [later](@/later.md) and\n[the notes](/notes/inside/).\n",
    );
    write(
        &root,
        "content/articles/two.md",
        &article("Two", "gamma", ""),
    );
    // The model's errors come first: a digest naming a draft subject.
    let errors = errors_of(&root, &["check"]);
    assert!(
        errors.contains(
            "content/articles/two.md:8:10: favors: `gamma` is a draft subject \
             (content/subjects/gamma.md has draft = true)"
        ),
        "{errors}"
    );
    assert!(errors.contains("failed with 1 error"), "{errors}");
    write(
        &root,
        "content/articles/two.md",
        &article("Two", "beta", ""),
    );
    let errors = errors_of(&root, &["check"]);
    assert!(
        errors.contains(
            "content/about.md:4:5: link `@/later.md` is to a draft: content/later.md has \
             draft = true; publish it, remove the link, or build with --drafts"
        ),
        "{errors}"
    );
    assert!(
        errors.contains(
            "content/about.md:5:1: link `/notes/inside/` is to a draft: content/notes/inside.md"
        ),
        "{errors}"
    );
    assert!(errors.contains("failed with 2 errors"), "{errors}");
    let out = dir.path().join("out");
    built(&root, &out, &["--drafts"]);
    assert!(read(&out, "about/index.html").contains("href=\"/later/\""));
}

#[test]
fn aliases_write_redirect_pages_to_the_page_under_the_base_path() {
    let dir = site();
    let root = dir.path().join("site");
    write(
        &root,
        "content/guide/new.md",
        "+++\ntitle = \"New <guide>\"\naliases = [\"/old/guide/\", \"old-guide.html\", \"/caf%C3%A9/\"]\n+++\nHere.\n",
    );
    write(
        &root,
        "content/criteria/speed.md",
        "---\ntitle: Speed\naliases:\n  - /performance/\n---\nSynthesis.\n",
    );
    let out = dir.path().join("out");
    built(&root, &out, &["--base-url", "https://example.org/repo/"]);
    let redirect = read(&out, "old/guide/index.html");
    let target = "https://example.org/repo/guide/new/";
    for part in [
        "<!doctype html>\n<html lang=\"en\">",
        "<title>Moved: New &lt;guide&gt;</title>",
        &format!("<meta http-equiv=\"refresh\" content=\"0; url={target}\">"),
        &format!("<link rel=\"canonical\" href=\"{target}\">"),
        &format!("<a href=\"{target}\">New &lt;guide&gt;</a>"),
        "<meta name=\"robots\" content=\"noindex\">",
    ] {
        assert!(redirect.contains(part), "{part} not in {redirect}");
    }
    assert_eq!(read(&out, "old-guide.html"), redirect);
    assert_eq!(read(&out, "café/index.html"), redirect);
    assert!(
        read(&out, "performance/index.html")
            .contains("url=https://example.org/repo/criteria/speed/\"")
    );
    let listed = everything_but(&out, &["old/", "old-guide.html", "café/", "performance/"]);
    for path in ["old/guide", "old-guide", "performance/", "café"] {
        assert!(!listed.contains(path), "{path} is listed");
    }
    let summary = String::from_utf8_lossy(&versus(&root, &["check"]).stdout).into_owned();
    let html = support::tree(&out)
        .keys()
        .filter(|p| p.ends_with(".html"))
        .count();
    assert!(
        summary.starts_with(&format!("checked {} pages", html - 4)),
        "redirects are not counted as pages: {summary}"
    );
}

#[test]
fn aliases_that_collide_or_are_malformed_are_errors_at_their_entry() {
    let dir = site();
    let root = dir.path().join("site");
    write(&root, "static/kept.html", "<!doctype html>");
    write(
        &root,
        "content/guide/new.md",
        "+++\ntitle = \"New\"\naliases = [\n  \"/articles/one/\",\n  \"atom.xml/\",\n  \"kept.html\",\n  \"/search-index/x/\",\n  \"/gone/\",\n  \"https://example.com/x/\",\n  \"/a/../b/\",\n  \"/q/?page=2\",\n  \"\",\n]\n+++\n",
    );
    write(
        &root,
        "content/about.md",
        "---\ntitle: About\naliases:\n  - /gone/\n  - kept.html/x.html\n  - /\n  - /setup/diagram.png\n---\n",
    );
    write(
        &root,
        "content/setup/index.md",
        "+++\ntitle = \"Setup\"\n+++\n",
    );
    write(&root, "content/setup/diagram.png", "png");
    let errors = errors_of(&root, &["check"]);
    for expected in [
        "content/guide/new.md:9:3: alias `https://example.com/x/`: an alias is a path on this site",
        "content/guide/new.md:10:3: alias `/a/../b/`: an alias must not hold `.` or `..`",
        "content/guide/new.md:11:3: alias `/q/?page=2`: a redirect page cannot answer a query",
        "content/guide/new.md:12:3: alias ``: an alias must be a path",
    ] {
        assert!(errors.contains(expected), "{expected} not in {errors}");
    }
    // Once the entries are well formed, the collisions.
    let text = fs::read_to_string(root.join("content/guide/new.md")).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.contains("://") && !l.contains("..") && !l.contains('?') && *l != "  \"\",")
        .collect();
    write(&root, "content/guide/new.md", &(lines.join("\n") + "\n"));
    let errors = errors_of(&root, &["check"]);
    for expected in [
        "content/guide/new.md:4:3: the alias /articles/one/ is the page of content/articles/one.md",
        "content/guide/new.md:5:3: the alias /atom.xml/ needs a folder /atom.xml/ where the generated /atom.xml goes",
        "content/guide/new.md:6:3: the alias /kept.html is the path of the static file kept.html",
        "content/guide/new.md:7:3: the alias /search-index/x/ is inside /search-index/",
        "content/guide/new.md:8:3: the alias /gone/ is already redirected by content/about.md:4",
        "content/about.md:5:5: the alias /kept.html/x.html needs a folder /kept.html/ where the static file kept.html goes",
        "content/about.md:6:5: the alias / is the home page",
        "content/about.md:7:5: the alias /setup/diagram.png/ needs a folder /setup/diagram.png/ where the page asset content/setup/diagram.png goes",
    ] {
        assert!(errors.contains(expected), "{expected} not in {errors}");
    }
    assert!(errors.contains("failed with 8 errors"), "{errors}");
}

/// `versus watch` (with `args`) writing to `out`, once it watches.
fn start_watch(root: &Path, out: &Path, args: &[&str]) -> Running {
    let mut all = vec![
        "watch",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    all.extend(args);
    let mut watch = Running::start(&all);
    watch.wait_for("watching");
    watch
}

/// Waits for a rebuild, then compares the output with a clean build made with `args`.
fn rebuilt_equal_to_clean(watch: &mut Running, root: &Path, out: &Path, args: &[&str]) {
    watch.wait_for("rebuilt after");
    let scratch = out.with_file_name("clean");
    let clean = built(root, &scratch, args);
    if support::tree(out) != support::tree(&clean) {
        watch.wait_for("rebuilt after");
    }
    assert_same_tree(out, &clean);
}

#[test]
fn flipping_drafts_and_editing_aliases_under_watch_equals_a_clean_build() {
    let _turn = support::one_at_a_time();
    for args in [&[][..], &["--drafts"][..]] {
        let dir = site();
        let root = dir.path().join("site");
        let out = dir.path().join("out");
        let mut watch = start_watch(&root, &out, args);
        let steps: [(&str, String); 7] = [
            (
                "content/articles/two.md",
                article("Two", "beta", "").replacen("+++\n", "+++\ndraft = true\n", 1),
            ),
            (
                "content/criteria/cost.md",
                "+++\ntitle = \"Cost\"\ndraft = true\n+++\nSynthesis.\n".into(),
            ),
            (
                "content/guide.md",
                "+++\ntitle = \"Guide\"\naliases = [\"/manual/\"]\n+++\nRead me.\n".into(),
            ),
            (
                "content/guide.md",
                "+++\ntitle = \"Guide\"\naliases = [\"/manual/\", \"handbook.html\"]\n+++\nRead me.\n".into(),
            ),
            (
                "content/articles/two.md",
                article("Two", "beta", "").replacen("+++\n", "+++\naliases = [\"/second/\"]\n", 1),
            ),
            (
                "content/guide.md",
                "+++\ntitle = \"Guide\"\ndraft = true\naliases = [\"/manual/\"]\n+++\nRead me.\n".into(),
            ),
            (
                "content/criteria/cost.md",
                "+++\ntitle = \"Cost\"\n+++\nSynthesis.\n".into(),
            ),
        ];
        for (rel, text) in &steps {
            write(&root, rel, text);
            rebuilt_equal_to_clean(&mut watch, &root, &out, args);
        }
        assert!(out.join("second/index.html").is_file());
        assert_eq!(out.join("manual/index.html").is_file(), !args.is_empty());
        assert!(!out.join("handbook.html").exists());
    }
}

#[test]
fn serve_with_drafts_keeps_them_across_rebuilds() {
    let _turn = support::one_at_a_time();
    let dir = site();
    let root = dir.path().join("site");
    with_drafts(&root);
    let mut serve = Running::start(&[
        "serve",
        "--port",
        "0",
        "--drafts",
        "--root",
        root.to_str().unwrap(),
    ]);
    let line = serve.wait_for("serving the site at http://");
    let address = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    serve.wait_for("watching");
    let (status, _, page) = get(&address, "/later/");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&page).contains("draft-badge"));
    write(
        &root,
        "content/later.md",
        "+++\ntitle = \"Laterpage\"\ndraft = true\naliases = [\"/soon/\"]\n+++\nStill not yet.\n",
    );
    serve.wait_for("rebuilt after");
    let (status, _, page) = get(&address, "/later/");
    assert_eq!(status, 200);
    let page = String::from_utf8_lossy(&page);
    assert!(
        page.contains("Still not yet.") && page.contains("draft-badge"),
        "{page}"
    );
    let (status, _, redirect) = get(&address, "/soon/");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&redirect).contains("/later/\">"));
    let (status, _, _) = get(&address, "/articles/three/");
    assert_eq!(status, 200, "the draft digest is still served");

    // The alias goes and another draft is published: the served site equals a clean
    // `--drafts` build for the server's URL.
    write(
        &root,
        "content/later.md",
        "+++\ntitle = \"Laterpage\"\ndraft = true\n+++\nStill not yet.\n",
    );
    serve.wait_for("rebuilt after");
    write(
        &root,
        "content/criteria/comfort.md",
        "+++\ntitle = \"Comfortcriterion\"\naliases = [\"/ease/\"]\n+++\nComfort synthesis.\n",
    );
    serve.wait_for("rebuilt after");
    assert_eq!(get(&address, "/soon/").0, 404);
    let url = format!("http://{address}/");
    let clean = built(
        &root,
        &dir.path().join("clean"),
        &["--drafts", "--base-url", &url],
    );
    assert!(clean.join("ease/index.html").is_file());
    for (path, bytes) in support::tree(&clean) {
        let (status, _, served) = get(&address, &format!("/{path}"));
        assert_eq!(status, 200, "{path}");
        let served = String::from_utf8_lossy(&served).into_owned();
        let stripped = match served.find("<script src=\"/__versus/live.js\"") {
            Some(start) => {
                let end = served[start..].find("</script>").unwrap() + start + 9;
                format!("{}{}", &served[..start], &served[end..])
            }
            None => served,
        };
        assert_eq!(stripped, String::from_utf8_lossy(&bytes), "{path}");
    }
}

/// One rebuild of `session` after `edits` (writes, or removals for `None`), which must
/// leave the same files as a fresh build.
fn rebuilt_like_fresh(
    session: &mut versus::rebuild::Session,
    options: &versus::build::Options,
    edits: &[(&str, Option<&str>)],
) {
    for (rel, text) in edits {
        let path = options.root.join("content").join(rel);
        match text {
            Some(text) => write(&options.root, &format!("content/{rel}"), text),
            None => fs::remove_file(path).unwrap(),
        }
    }
    let changes = versus::rebuild::Changes {
        content: edits.iter().map(|(rel, _)| rel.to_string()).collect(),
        ..Default::default()
    };
    session.rebuild(&changes).unwrap();
    let mut fresh = versus::rebuild::Session::new(options.clone());
    fresh.build().unwrap();
    let (now, expected) = (session.files(), fresh.files());
    let differ: Vec<&str> = now
        .keys()
        .chain(expected.keys())
        .filter(|k| now.get(*k) != expected.get(*k))
        .map(|k| &**k)
        .collect();
    assert!(differ.is_empty(), "after {edits:?}, differ: {differ:?}");
}

#[test]
fn a_page_and_an_alias_trading_a_path_rebuild_like_a_fresh_build() {
    let dir = site();
    let root = dir.path().join("site");
    write(
        &root,
        "content/old.md",
        "+++\ntitle = \"Old\"\n+++\nHere.\n",
    );
    let options = versus::build::Options {
        root: root.clone(),
        output: Some(dir.path().join("out")),
        base_url: None,
        mode: versus::build::Mode::Check,
        evidence: Default::default(),
        drafts: false,
    };
    let mut session = versus::rebuild::Session::new(options.clone());
    session.build().unwrap();
    // Renamed, and the old path redirects.
    rebuilt_like_fresh(
        &mut session,
        &options,
        &[
            ("old.md", None),
            (
                "new.md",
                Some("+++\ntitle = \"New\"\naliases = [\"/old/\"]\n+++\nHere.\n"),
            ),
        ],
    );
    assert!(String::from_utf8_lossy(&session.files()["old/index.html"]).contains("url="));
    // The alias goes, and a page takes its path again.
    rebuilt_like_fresh(
        &mut session,
        &options,
        &[
            ("new.md", Some("+++\ntitle = \"New\"\n+++\nHere.\n")),
            ("old.md", Some("+++\ntitle = \"Old again\"\n+++\nBack.\n")),
        ],
    );
    assert!(String::from_utf8_lossy(&session.files()["old/index.html"]).contains("Back."));
    // A page becomes a draft while another page's alias takes its path.
    rebuilt_like_fresh(
        &mut session,
        &options,
        &[
            (
                "old.md",
                Some("+++\ntitle = \"Old\"\ndraft = true\n+++\nBack.\n"),
            ),
            (
                "new.md",
                Some("+++\ntitle = \"New\"\naliases = [\"old\"]\n+++\nHere.\n"),
            ),
        ],
    );
}

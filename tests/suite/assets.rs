//! Page folders and their assets through `versus build` and `versus check`: a folder page of
//! every kind publishes its files beside it byte for byte, relative and `@/` links to assets
//! and static files resolve under a project subpath and are checked, and every way to get
//! them wrong (a missing file, a page written twice, an asset over a generated or static
//! file) is an error naming the content file, line and column, with the last output intact.

use std::fs;
use std::path::{Path, PathBuf};

use versus::build::{self, Mode, Options};

use crate::support::{self, site, write};

/// Bytes that are not text, to see that assets are copied as they are.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\xff\xfe binary";

fn options(root: &Path, out: &Path, mode: Mode) -> Options {
    Options {
        root: root.to_path_buf(),
        output: Some(out.to_path_buf()),
        base_url: Some("https://example.github.io/versus/".into()),
        mode,
        evidence: Default::default(),
        drafts: false,
    }
}

/// Builds (or checks) the site at `root` into `out`: the error text on failure.
fn run(root: &Path, out: &Path, mode: Mode) -> Result<build::Summary, String> {
    build::run(&options(root, out, mode)).map_err(|e| e.to_string())
}

fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The small site with a page folder of every kind, each with an asset, linked every way.
fn with_folders() -> (tempfile::TempDir, PathBuf) {
    let dir = site();
    let root = dir.path().join("site");
    let bytes = |rel: &str, b: &[u8]| {
        fs::create_dir_all(root.join(rel).parent().unwrap()).unwrap();
        fs::write(root.join(rel), b).unwrap();
    };
    write(
        &root,
        "content/guides/_index.md",
        "+++\ntitle = \"Guides\"\n+++\n![banner](banner.jpg)\n",
    );
    bytes("content/guides/banner.jpg", PNG);
    write(
        &root,
        "content/guides/setup/index.md",
        "+++\ntitle = \"Setup\"\n+++\n![diagram](diagram.png)\n\n[the notes](notes.txt), \
         [again](@/guides/setup/notes.txt), [the logo](@/favicon.svg), \
         [by folder](@/guides/setup/index.md), [by name](@/guides/setup.md), \
         [banner](../banner.jpg), [digest chart](@/articles/three/chart.svg).\n",
    );
    bytes("content/guides/setup/diagram.png", PNG);
    write(&root, "content/guides/setup/notes.txt", "notes\n");
    bytes("content/guides/setup/img/nested.png", PNG);
    // Every other kind as a folder too.
    write(
        &root,
        "content/articles/three/index.md",
        &support::article("Three", "alpha", "![chart](chart.svg)"),
    );
    write(&root, "content/articles/three/chart.svg", "<svg/>");
    write(
        &root,
        "content/criteria/ease/index.md",
        "+++\ntitle = \"Ease\"\n+++\n![steps](steps.png)\n",
    );
    bytes("content/criteria/ease/steps.png", PNG);
    write(
        &root,
        "content/subjects/gamma/index.md",
        "+++\nname = \"Gamma\"\n+++\n![logo](logo.png)\n",
    );
    bytes("content/subjects/gamma/logo.png", PNG);
    (dir, root)
}

#[test]
fn a_page_folder_of_every_kind_publishes_its_assets_beside_it() {
    let (dir, root) = with_folders();
    let out = dir.path().join("out");
    let summary = run(&root, &out, Mode::Build).unwrap();
    assert_eq!(
        (summary.articles, summary.criteria, summary.subjects),
        (3, 3, 3)
    );
    for rel in [
        "guides/banner.jpg",
        "guides/setup/diagram.png",
        "guides/setup/img/nested.png",
        "criteria/ease/steps.png",
        "subjects/gamma/logo.png",
    ] {
        assert_eq!(fs::read(out.join(rel)).unwrap(), PNG, "{rel} byte for byte");
    }
    assert_eq!(read(&out, "guides/setup/notes.txt"), "notes\n");
    assert_eq!(read(&out, "articles/three/chart.svg"), "<svg/>");
    let setup = read(&out, "guides/setup/index.html");
    for expected in [
        r#"<img src="diagram.png" alt="diagram" />"#,
        r#"href="notes.txt""#,
        r#"href="/versus/guides/setup/notes.txt""#,
        r#"href="/versus/favicon.svg""#,
        r#"href="/versus/articles/three/chart.svg""#,
        r#"href="../banner.jpg""#,
    ] {
        assert!(setup.contains(expected), "{expected} in {setup}");
    }
    assert_eq!(
        setup.matches(r#"href="/versus/guides/setup/""#).count(),
        2,
        "a folder page is reached by its index.md and by <path>.md"
    );
    assert!(read(&out, "articles/three/index.html").contains(r#"src="chart.svg""#));
    assert!(read(&out, "subjects/gamma/index.html").contains(r#"src="logo.png""#));
    // The Markdown never reaches the output, and `check` agrees with `build`.
    assert!(!out.join("guides/setup/index.md").exists());
    assert!(run(&root, &dir.path().join("unused"), Mode::Check).is_ok());
    assert!(!dir.path().join("unused").exists());
    // Deterministic: a second build is the same, file for file.
    let again = dir.path().join("again");
    run(&root, &again, Mode::Build).unwrap();
    support::assert_same_tree(&again, &out);
}

#[test]
fn a_missing_image_file_or_asset_is_an_error_at_its_line_and_column() {
    let (dir, root) = with_folders();
    let out = dir.path().join("out");
    run(&root, &out, Mode::Build).unwrap();
    let before = support::tree(&out);
    write(
        &root,
        "content/guides/setup/index.md",
        "+++\ntitle = \"Setup\"\n+++\nFirst line.\n\nSee ![gone](gone.png) and\n\
         [file](@/guides/setup/missing.pdf) and [doc](old/notes.txt).\n",
    );
    // A file beside a plain page is the folder's, not the page's: a relative link from
    // the page starts at the page's own URL.
    write(
        &root,
        "content/guides/plain.md",
        "+++\ntitle = \"Plain\"\n+++\n![banner](banner.jpg)\n",
    );
    let e = run(&root, &out, Mode::Build).unwrap_err();
    for expected in [
        "content/guides/setup/index.md:6:5: broken link `gone.png`: no page or file is built at /guides/setup/gone.png",
        "content/guides/setup/index.md:7:1: broken link `@/guides/setup/missing.pdf`: there is no file content/guides/setup/missing.pdf",
        "content/guides/setup/index.md:7:40: broken link `old/notes.txt`: no page or file is built at /guides/setup/old/notes.txt",
        "content/guides/plain.md:4:1: broken link `banner.jpg`: no page or file is built at /guides/plain/banner.jpg \
         (content/guides/banner.jpg sits beside this page's file, so it is at /guides/banner.jpg: \
         link it as `../banner.jpg` or `@/guides/banner.jpg`, or make the page a folder, content/guides/plain/index.md)",
    ] {
        assert!(e.contains(expected), "{expected}\nin:\n{e}");
    }
    assert!(support::tree(&out) == before, "the last output stays");
    // `check` says the same without writing.
    let checked = run(&root, &out, Mode::Check).unwrap_err();
    assert!(checked.contains("gone.png"), "{checked}");
}

#[test]
fn a_page_written_as_a_file_and_as_a_folder_is_an_error() {
    let (dir, root) = with_folders();
    write(
        &root,
        "content/guides/setup.md",
        "+++\ntitle = \"Setup too\"\n+++\n",
    );
    write(
        &root,
        "content/articles/three.md",
        &support::article("Three", "alpha", ""),
    );
    let e = run(&root, &dir.path().join("out"), Mode::Check).unwrap_err();
    for expected in [
        "content/guides/setup/index.md: this page is also ",
        "content/guides/setup.md: a page is either `<path>.md` or `<path>/index.md`",
        "content/articles/three/index.md: this page is also ",
        "content/articles/three.md: a page is either",
    ] {
        assert!(e.contains(expected), "{expected}\nin:\n{e}");
    }
}

#[test]
fn an_asset_over_a_generated_or_static_file_is_an_error() {
    let (dir, root) = with_folders();
    write(&root, "content/guides/setup/index.html", "<p>mine</p>");
    write(&root, "content/matrix.json", "{}");
    write(&root, "static/guides/setup/notes.txt", "static notes");
    write(&root, "content/articles/one/extra.txt", "x");
    let e = run(&root, &dir.path().join("out"), Mode::Check).unwrap_err();
    for expected in [
        "content/guides/setup/index.html: this page asset has the same path as the generated /guides/setup/index.html",
        "content/matrix.json: this page asset has the same path as the generated /matrix.json",
        "content/guides/setup/notes.txt: this page asset has the same path as the static file ",
        "static/guides/setup/notes.txt: rename one",
    ] {
        assert!(e.contains(expected), "{expected}\nin:\n{e}");
    }
    // A file in a digest's folder with no index.md: the digest is content/articles/one.md,
    // and the file simply sits beside its page.
    assert!(!e.contains("extra.txt"), "{e}");
}

#[test]
fn assets_behind_links_are_copied_as_static_files_are_and_broken_links_are_errors() {
    let (dir, root) = with_folders();
    let shared = dir.path().join("shared.png");
    fs::write(&shared, PNG).unwrap();
    std::os::unix::fs::symlink(&shared, root.join("content/guides/setup/linked.png")).unwrap();
    let out = dir.path().join("out");
    run(&root, &out, Mode::Build).unwrap();
    let copied = out.join("guides/setup/linked.png");
    assert_eq!(fs::read(&copied).unwrap(), PNG);
    assert!(!copied.is_symlink(), "the file is copied, not linked");
    std::os::unix::fs::symlink(
        dir.path().join("nowhere.png"),
        root.join("content/guides/setup/broken.png"),
    )
    .unwrap();
    let message = |e: String, path: &str| {
        e.lines()
            .find_map(|l| Some(l[l.find(path)? + path.len()..].to_string()))
            .unwrap_or_else(|| panic!("{path} in {e}"))
    };
    let asset = message(
        run(&root, &out, Mode::Build).unwrap_err(),
        "content/guides/setup/broken.png",
    );
    assert!(asset.contains("broken symbolic link"), "{asset}");
    fs::remove_file(root.join("content/guides/setup/broken.png")).unwrap();
    fs::create_dir_all(root.join("static")).unwrap();
    std::os::unix::fs::symlink(
        dir.path().join("nowhere.png"),
        root.join("static/broken.png"),
    )
    .unwrap();
    let static_file = message(
        run(&root, &out, Mode::Build).unwrap_err(),
        "static/broken.png",
    );
    assert_eq!(asset, static_file, "the same rule as static/");
}

#[test]
fn html_examples_in_code_are_text_and_not_links() {
    let (dir, root) = with_folders();
    write(
        &root,
        "content/guides/html.md",
        "+++\ntitle = \"HTML\"\n+++\nInline `<a href=\"/nope/\">x</a>` and `<img src=\"gone.png\">`.\n\n\
         ```html\n<a href=\"/nope/\">x</a>\n```\n\n```\n<a id=\"x\" href=\"/nope/#x\">y</a>\n```\n\n\
         A real one: [setup](@/guides/setup/index.md).\n",
    );
    let out = dir.path().join("out");
    run(&root, &out, Mode::Build).unwrap();
    let page = read(&out, "guides/html/index.html");
    assert!(page.contains(r#"&lt;a href="/nope/"&gt;"#), "{page}");
    // A real broken link on the same page is still found.
    write(
        &root,
        "content/guides/html.md",
        "+++\ntitle = \"HTML\"\n+++\n`<a href=\"/nope/\">` then [gone](/gone/).\n",
    );
    let e = run(&root, &out, Mode::Check).unwrap_err();
    assert!(e.contains("broken link `/gone/`"), "{e}");
    assert!(!e.contains("nope"), "{e}");
}

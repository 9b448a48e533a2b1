//! `versus watch` on a temporary site: every kind of edit is picked up, the output always ends
//! equal to a clean `versus build` of the same files, and a broken edit keeps the last good
//! output until it is fixed.

use crate::support;

use std::fs;
use std::path::{Path, PathBuf};

use crate::support::{Running, article, assert_same_tree, clean_build, site, write};

/// `versus watch` on the site at `root`, writing to `out`, once it watches.
fn start_watch(root: &Path, out: &Path) -> Running {
    let mut watch = Running::start(&[
        "watch",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    watch.wait_for("watching");
    watch
}

/// A site in a temporary folder, where its output goes, and a scratch folder for the clean
/// builds the output is compared with.
struct Folders {
    dir: tempfile::TempDir,
    root: PathBuf,
    out: PathBuf,
    scratch: PathBuf,
}

impl Folders {
    /// The small site of [`site`].
    fn new() -> Folders {
        let dir = site();
        Folders {
            root: dir.path().join("site"),
            out: dir.path().join("out"),
            scratch: dir.path().join("clean"),
            dir,
        }
    }
}

/// Waits for the next rebuild line, then checks the output against a clean build; a burst
/// that ends in two rebuilds gets a second chance.
fn rebuilt_equal_to_clean(watch: &mut Running, f: &Folders) {
    watch.wait_for("rebuilt after");
    let _ = fs::remove_dir_all(&f.scratch);
    let clean = clean_build(&f.root, &f.scratch, None);
    if support::tree(&f.out) != support::tree(&clean) {
        watch.wait_for("rebuilt after");
    }
    assert_same_tree(&f.out, &clean);
}

/// Writes `text` to `rel` under the site, then [`rebuilt_equal_to_clean`].
fn edit(watch: &mut Running, f: &Folders, rel: &str, text: &str) {
    write(&f.root, rel, text);
    rebuilt_equal_to_clean(watch, f);
}

#[test]
fn watch_follows_edits_creates_renames_and_deletes_like_a_clean_build() {
    let f = Folders::new();
    let Folders {
        root, out, scratch, ..
    } = &f;
    let mut watch = start_watch(root, out);
    assert_same_tree(out, &clean_build(root, scratch, None));

    // A claim changes: the article, its criterion, the subjects, home and data files follow.
    edit(
        &mut watch,
        &f,
        "content/articles/one.md",
        &article("One", "beta", ""),
    );
    assert!(
        fs::read_to_string(out.join("matrix.csv"))
            .unwrap()
            .contains("beta")
    );

    // A new article.
    edit(
        &mut watch,
        &f,
        "content/articles/three.md",
        &article("Three", "tie", ""),
    );
    assert!(out.join("articles/three/index.html").is_file());

    // Renamed: the old page disappears.
    fs::rename(
        root.join("content/articles/three.md"),
        root.join("content/articles/four.md"),
    )
    .unwrap();
    rebuilt_equal_to_clean(&mut watch, &f);
    assert!(!out.join("articles/three").exists());
    assert!(out.join("articles/four/index.html").is_file());

    // Deleted.
    fs::remove_file(root.join("content/articles/four.md")).unwrap();
    rebuilt_equal_to_clean(&mut watch, &f);
    assert!(!out.join("articles/four").exists());

    // Saved by writing a temporary file and renaming it over the page.
    write(
        root,
        "content/articles/.two.md.tmp",
        &article("Two", "alpha", "Renamed save."),
    );
    fs::rename(
        root.join("content/articles/.two.md.tmp"),
        root.join("content/articles/two.md"),
    )
    .unwrap();
    rebuilt_equal_to_clean(&mut watch, &f);

    // Deleted then created again, with a vim-style backup file around it.
    fs::rename(
        root.join("content/articles/two.md"),
        root.join("content/articles/two.md~"),
    )
    .unwrap();
    write(
        root,
        "content/articles/two.md",
        &article("Two", "tie", "Vim save."),
    );
    fs::remove_file(root.join("content/articles/two.md~")).unwrap();
    rebuilt_equal_to_clean(&mut watch, &f);
    assert!(
        fs::read_to_string(out.join("articles/two/index.html"))
            .unwrap()
            .contains("Vim save.")
    );

    // A page with highlighted code, an alert and footnotes; then an edit to each of them.
    let guide = "+++\ntitle = \"Guide\"\n+++\n## Setup\n\n## Synthesis\n\n```rust\nfn main() {}\n```\n\n\
                 > [!WARNING]\n> Careful[^1].\n\n[^1]: A note.\n";
    edit(&mut watch, &f, "content/guide.md", guide);
    let html = fs::read_to_string(out.join("guide/index.html")).unwrap();
    assert!(
        html.contains("hl-rust")
            && html.contains("alert-warning")
            && html.contains("footnote-back"),
        "{html}"
    );
    let edited = guide
        .replace("fn main() {}", "let x = \"y\";")
        .replace("[!WARNING]", "[!TIP]")
        .replace("Careful[^1].", "Careful[^1] twice[^2].\n\n[^2]: Another.");
    edit(&mut watch, &f, "content/guide.md", &edited);
    let html = fs::read_to_string(out.join("guide/index.html")).unwrap();
    assert!(
        html.contains("alert-tip") && html.contains("id=\"fn:2\""),
        "{html}"
    );
    assert!(html.contains("id=\"setup\""), "{html}");
    assert!(
        html.contains("<h2 id=\"synthesis-1\">") && !html.contains("id=\"synthesis\""),
        "a criterion page's template takes `synthesis`: {html}"
    );

    // Dates and extra values: the page, its section list and the sitemap follow.
    edit(
        &mut watch,
        &f,
        "content/guide.md",
        &edited.replace(
            "title = \"Guide\"\n",
            "title = \"Guide\"\ndate = 2024-01-02\nupdated = 2024-02-03\n[extra]\nk = 1\n",
        ),
    );
    assert!(
        fs::read_to_string(out.join("sitemap.xml"))
            .unwrap()
            .contains("<lastmod>2024-02-03</lastmod>")
    );

    // A template that takes the body heading's id: the heading steps aside, as in a clean build.
    let page = include_str!("../../themes/default/templates/page.html");
    edit(
        &mut watch,
        &f,
        "templates/page.html",
        &page.replace("<h1>", "<p id=\"setup\">Taken</p>\n<h1>"),
    );
    let html = fs::read_to_string(out.join("guide/index.html")).unwrap();
    assert!(
        html.contains("<h2 id=\"setup-1\">") && html.matches("id=\"setup\"").count() == 1,
        "{html}"
    );
    fs::remove_file(root.join("templates/page.html")).unwrap();
    rebuilt_equal_to_clean(&mut watch, &f);

    // A template change re-renders the pages using it.
    edit(
        &mut watch,
        &f,
        "templates/404.html",
        "{% extends \"base.html\" %}{% block title %}Missing{% endblock title %}{% block content %}Custom missing page{% endblock content %}",
    );
    assert!(
        fs::read_to_string(out.join("404.html"))
            .unwrap()
            .contains("Custom missing page")
    );

    // A configuration change rebuilds everything.
    let config = fs::read_to_string(root.join("site.toml")).unwrap();
    edit(
        &mut watch,
        &f,
        "site.toml",
        &config.replace("title = \"T\"", "title = \"Renamed\""),
    );
}

#[test]
fn a_broken_edit_keeps_the_last_good_output_until_fixed() {
    let f = Folders::new();
    let Folders { root, out, .. } = &f;
    let mut watch = start_watch(root, out);
    let good = support::tree(out);

    write(
        root,
        "content/articles/one.md",
        "+++\ntitle = \"One\"\nbogus = 1\n+++\n",
    );
    let error = watch.wait_for("one.md");
    assert!(error.contains("bogus"), "{error}");
    watch.wait_for("rebuild failed");
    assert_eq!(support::tree(out), good, "the last good output stays");

    // A broken internal link is an error too.
    write(
        root,
        "content/articles/one.md",
        &article("One", "alpha", "[x](@/articles/missing.md)"),
    );
    watch.wait_for("rebuild failed");
    assert_eq!(support::tree(out), good);

    edit(
        &mut watch,
        &f,
        "content/articles/one.md",
        &article("One", "alpha", "Fixed."),
    );
}

#[test]
fn an_output_folder_deleted_while_watching_gets_the_whole_site_again() {
    let f = Folders::new();
    let Folders { root, out, .. } = &f;
    let mut watch = start_watch(root, out);
    fs::remove_dir_all(out).unwrap();
    edit(
        &mut watch,
        &f,
        "content/articles/two.md",
        &article("Two", "alpha", "After the deletion."),
    );
    // And a plain build accepts the folder as its own again.
    let rebuilt = clean_build(root, out, None);
    assert_eq!(&rebuilt, out);

    // Emptied rather than deleted: the same.
    for entry in fs::read_dir(out).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            fs::remove_dir_all(path).unwrap();
        } else {
            fs::remove_file(path).unwrap();
        }
    }
    edit(
        &mut watch,
        &f,
        "content/articles/two.md",
        &article("Two", "alpha", "After the emptying."),
    );
}

#[test]
fn a_linked_output_folder_is_updated_through_its_link() {
    let f = Folders::new();
    let Folders {
        dir,
        root,
        out,
        scratch,
    } = &f;
    let deployed = dir.path().join("deployed");
    clean_build(root, &deployed, None);
    std::os::unix::fs::symlink("deployed", out).unwrap();
    let mut watch = start_watch(root, out);
    edit(
        &mut watch,
        &f,
        "content/articles/two.md",
        &article("Two", "alpha", "Through the link."),
    );
    assert!(fs::symlink_metadata(out).unwrap().file_type().is_symlink());
    assert_same_tree(&deployed, scratch);
}

#[test]
fn edits_behind_links_that_lead_out_of_the_site_are_seen() {
    let f = Folders::new();
    let Folders { dir, root, out, .. } = &f;
    let shared = dir.path().join("shared");
    fs::create_dir_all(shared.join("notes")).unwrap();
    let page = |title: &str, body: &str| format!("+++\ntitle = \"{title}\"\n+++\n{body}\n");
    fs::write(shared.join("faq.md"), page("FAQ", "First.")).unwrap();
    fs::write(shared.join("notes/one.md"), page("One", "First.")).unwrap();
    fs::write(shared.join("extra.css"), "p{}").unwrap();
    let link = |target: &Path, at: &str| std::os::unix::fs::symlink(target, root.join(at)).unwrap();
    link(&shared.join("faq.md"), "content/faq.md");
    link(&shared.join("notes"), "content/notes");
    fs::create_dir_all(root.join("static")).unwrap();
    link(&shared.join("extra.css"), "static/extra.css");
    let mut watch = start_watch(root, out);

    // A linked file, written in place and replaced by a rename (as editors save).
    fs::write(shared.join("faq.md"), page("FAQ", "Second.")).unwrap();
    rebuilt_equal_to_clean(&mut watch, &f);
    fs::write(shared.join("faq.new"), page("FAQ", "Third.")).unwrap();
    fs::rename(shared.join("faq.new"), shared.join("faq.md")).unwrap();
    rebuilt_equal_to_clean(&mut watch, &f);
    assert!(
        fs::read_to_string(out.join("faq/index.html"))
            .unwrap()
            .contains("Third.")
    );
    // A file in a linked folder, a new one there, and a linked static file.
    fs::write(shared.join("notes/one.md"), page("One", "Second.")).unwrap();
    rebuilt_equal_to_clean(&mut watch, &f);
    fs::write(shared.join("notes/two.md"), page("Two", "New.")).unwrap();
    rebuilt_equal_to_clean(&mut watch, &f);
    fs::write(shared.join("extra.css"), "p{color:red}").unwrap();
    rebuilt_equal_to_clean(&mut watch, &f);
    assert_eq!(
        fs::read_to_string(out.join("extra.css")).unwrap(),
        "p{color:red}"
    );
    // A link made while watching is followed too.
    fs::write(shared.join("later.md"), page("Later", "First.")).unwrap();
    link(&shared.join("later.md"), "content/later.md");
    rebuilt_equal_to_clean(&mut watch, &f);
    fs::write(shared.join("later.md"), page("Later", "Second.")).unwrap();
    rebuilt_equal_to_clean(&mut watch, &f);
    assert!(
        fs::read_to_string(out.join("later/index.html"))
            .unwrap()
            .contains("Second.")
    );
}

#[test]
fn escaped_and_root_relative_links_rebuild_like_a_clean_build() {
    let f = Folders::new();
    let Folders { root, out, .. } = &f;
    let config = fs::read_to_string(root.join("site.toml")).unwrap();
    let config = config.replace("https://example.com/", "https://example.com/caf%C3%A9s/");
    write(root, "site.toml", &config);
    write(
        root,
        "content/café.md",
        "+++\ntitle = \"Café\"\n+++\nCafé.\n\n## Café olé\n",
    );
    write(root, "static/a b.txt", "a");
    let mut watch = start_watch(root, out);
    // A body edit (re-rendered alone) and a new page, each with links written every way.
    let links = "[c](@/café.md#café-olé) [d](/caf%C3%A9/) [f](</a b.txt>) [all](/articles/)";
    edit(
        &mut watch,
        &f,
        "content/articles/one.md",
        &article("One", "alpha", links),
    );
    edit(
        &mut watch,
        &f,
        "content/more.md",
        &format!("+++\ntitle = \"More\"\n+++\n{links} [o](#caf%C3%A9-ol%C3%A9)\n\n## Café olé\n"),
    );
    // Renaming the heading breaks the anchor: the last good output stays until it is back.
    let good = support::tree(out);
    write(
        root,
        "content/café.md",
        "+++\ntitle = \"Café\"\n+++\nCafé.\n\n## Café noir\n",
    );
    let error = watch.wait_for("café-olé");
    assert!(
        error.contains("broken link") && error.contains("content/"),
        "blamed on the Markdown that wrote it: {error}"
    );
    watch.wait_for("rebuild failed");
    assert_eq!(support::tree(out), good);
    edit(
        &mut watch,
        &f,
        "content/café.md",
        "+++\ntitle = \"Café\"\n+++\nCafé.\n\n## Café olé\n",
    );
}

#[test]
fn poll_mode_sees_changes_too() {
    let f = Folders::new();
    let Folders { root, out, .. } = &f;
    let mut watch = Running::start(&[
        "watch",
        "--poll",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    watch.wait_for("watching");
    edit(
        &mut watch,
        &f,
        "content/articles/two.md",
        &article("Two", "alpha", "Polled."),
    );
}

/// Like [`rebuilt_equal_to_clean`], and the rebuild rendered `rendered` files.
fn rerendered_equal_to_clean(
    watch: &mut Running,
    root: &Path,
    out: &Path,
    scratch: &Path,
    rendered: &str,
) {
    let line = watch.wait_for("rebuilt after");
    assert!(line.contains(rendered), "{line}");
    let _ = fs::remove_dir_all(scratch);
    assert_same_tree(out, &clean_build(root, scratch, None));
}

#[test]
fn body_edits_rerender_one_page_and_every_sequence_equals_a_clean_build() {
    let f = Folders::new();
    let Folders {
        root, out, scratch, ..
    } = &f;
    let mut watch = start_watch(root, out);
    let one = |extra: &str| article("One", "alpha", extra);

    // Body only: the page and, of the search index, the shard of the new words and the
    // manifest (whose version names the files of this build).
    write(
        root,
        "content/articles/one.md",
        &one("\n## Details\n\nEdited."),
    );
    rerendered_equal_to_clean(&mut watch, root, out, scratch, "rendered 3 files");
    for (path, text, rendered) in [
        (
            // No question: the results show the start of the text, so its chunk changes too.
            "content/criteria/speed.md",
            "+++\ntitle = \"Speed\"\n+++\nNew synthesis.\n",
            "rendered 4 files",
        ),
        (
            "content/subjects/beta.md",
            "+++\nname = \"Beta\"\n+++\nNew overview.\n",
            "rendered 4 files",
        ),
        (
            "content/_index.md",
            "+++\ntitle = \"Home\"\n+++\nHello again.\n",
            // The home page's body is not in the search index.
            "rendered 1 file again",
        ),
    ] {
        write(root, path, text);
        rerendered_equal_to_clean(&mut watch, root, out, scratch, rendered);
    }

    // Front matter: a full render, then bodies are incremental again.
    edit(
        &mut watch,
        &f,
        "content/articles/two.md",
        &article("Two", "tie", ""),
    );
    write(
        root,
        "content/articles/two.md",
        &article("Two", "tie", "More."),
    );
    rerendered_equal_to_clean(&mut watch, root, out, scratch, "rendered 3 files");

    // Added, with a link to a heading of another page.
    let three = |extra: &str| article("Three", "beta", extra);
    edit(
        &mut watch,
        &f,
        "content/articles/three.md",
        &three("[details](@/articles/one.md#details)"),
    );

    // The heading goes: the link into it breaks, the last good output stays.
    let good = support::tree(out);
    write(
        root,
        "content/articles/one.md",
        &one("\n## Other\n\nEdited."),
    );
    let error = watch.wait_for("#details");
    assert!(
        error.contains("three.md") && error.contains("no element with id `details`"),
        "{error}"
    );
    watch.wait_for("rebuild failed");
    assert_eq!(support::tree(out), good, "the last good output stays");
    // Fixed from the other side: the link goes instead.
    write(
        root,
        "content/articles/three.md",
        &three("[one](@/articles/one.md#other)"),
    );
    rerendered_equal_to_clean(&mut watch, root, out, scratch, "rendered 4 files");
    // And a link from a body edit to a missing anchor fails too, then recovers.
    write(
        root,
        "content/articles/three.md",
        &three("[one](@/articles/one.md#gone)"),
    );
    watch.wait_for("rebuild failed");
    write(root, "content/articles/three.md", &three("Plain."));
    rerendered_equal_to_clean(&mut watch, root, out, scratch, "rendered 3 files");

    // Renamed, edited, deleted.
    fs::rename(
        root.join("content/articles/three.md"),
        root.join("content/articles/four.md"),
    )
    .unwrap();
    rebuilt_equal_to_clean(&mut watch, &f);
    assert!(!out.join("articles/three").exists());
    write(root, "content/articles/four.md", &three("Four now."));
    rerendered_equal_to_clean(&mut watch, root, out, scratch, "rendered 3 files");
    fs::remove_file(root.join("content/articles/four.md")).unwrap();
    rebuilt_equal_to_clean(&mut watch, &f);
    assert!(!out.join("articles/four").exists());
    write(root, "content/articles/one.md", &one("Last."));
    rerendered_equal_to_clean(&mut watch, root, out, scratch, "rendered 3 files");
}

/// The numbers of a rebuild line: files rendered and pages in the site.
fn rendered_of(line: &str) -> (usize, usize) {
    let number_after = |marker: &str| -> usize {
        let rest = &line[line
            .find(marker)
            .unwrap_or_else(|| panic!("{marker} in {line}"))
            + marker.len()..];
        rest.split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("a number after {marker} in {line}"))
    };
    (number_after("rendered "), number_after("the site has "))
}

/// Waits for a rebuild that equals a clean build; returns how many files it rendered and
/// how many pages the site has.
fn partial_equal_to_clean(
    watch: &mut Running,
    root: &Path,
    out: &Path,
    scratch: &Path,
) -> (usize, usize) {
    let line = watch.wait_for("rebuilt after");
    let _ = fs::remove_dir_all(scratch);
    assert_same_tree(out, &clean_build(root, scratch, None));
    rendered_of(&line)
}

#[test]
fn front_matter_edits_rerender_only_the_pages_that_can_change() {
    let dir = site();
    let root = dir.path().join("site");
    let out = dir.path().join("out");
    let scratch = dir.path().join("clean");
    for i in 0..12 {
        write(
            &root,
            &format!("content/articles/a{i:02}.md"),
            &article(&format!("A{i}"), "alpha", ""),
        );
    }
    let mut watch = start_watch(&root, &out);

    // A claim changes: its page, the criterion, subjects, home, the list and the data
    // files, but not the other articles' pages.
    write(&root, "content/articles/a05.md", &article("A5", "beta", ""));
    let (rendered, pages) = partial_equal_to_clean(&mut watch, &root, &out, &scratch);
    assert!(
        rendered > 1 && rendered < pages / 2,
        "{rendered} of {pages}"
    );

    // A title changes: the neighbours' previous/next links follow.
    write(
        &root,
        "content/articles/a05.md",
        &article("A5 renamed", "beta", ""),
    );
    let (rendered, pages) = partial_equal_to_clean(&mut watch, &root, &out, &scratch);
    assert!(
        rendered >= 3 && rendered < pages / 2,
        "{rendered} of {pages}"
    );
    assert!(
        fs::read_to_string(out.join("articles/a04/index.html"))
            .unwrap()
            .contains("A5 renamed")
    );

    // Saved the way JetBrains editors save: a new file renamed over the old. The temporary
    // file is no page asset: the edit is patched like any other, not a full render.
    let temporary = root.join("content/articles/a05.md___jb_tmp___");
    fs::write(&temporary, article("A5 again", "beta", "")).unwrap();
    fs::rename(&temporary, root.join("content/articles/a05.md")).unwrap();
    let (rendered, pages) = partial_equal_to_clean(&mut watch, &root, &out, &scratch);
    assert!(
        rendered >= 3 && rendered < pages / 2,
        "a rename-save rendered {rendered} of {pages}"
    );
    // And as `sed -i` saves: its temporary file has no dot, so the watcher cannot tell it
    // from a folder and reads the content again; it finds the same files, one of them edited.
    let temporary = root.join("content/articles/sedX1b2c3");
    fs::write(&temporary, article("A5 by sed", "beta", "")).unwrap();
    fs::rename(&temporary, root.join("content/articles/a05.md")).unwrap();
    let (rendered, pages) = partial_equal_to_clean(&mut watch, &root, &out, &scratch);
    assert!(
        rendered >= 3 && rendered < pages / 2,
        "a sed-style save rendered {rendered} of {pages}"
    );

    // What every article page shows: a criterion's title, a subject's name.
    write(
        &root,
        "content/criteria/speed.md",
        "+++\ntitle = \"Raw speed\"\n+++\nSynthesis.\n",
    );
    partial_equal_to_clean(&mut watch, &root, &out, &scratch);
    assert!(
        fs::read_to_string(out.join("articles/a08/index.html"))
            .unwrap()
            .contains("Raw speed")
    );
    write(
        &root,
        "content/subjects/beta.md",
        "+++\nname = \"Beta Two\"\ncolor = \"#225588\"\n+++\nBeta overview.\n",
    );
    partial_equal_to_clean(&mut watch, &root, &out, &scratch);

    // Added, renamed and deleted articles.
    write(
        &root,
        "content/articles/a99.md",
        &article("A99", "tie", "[five](@/articles/a05.md)"),
    );
    let (rendered, pages) = partial_equal_to_clean(&mut watch, &root, &out, &scratch);
    assert!(rendered < pages, "{rendered} of {pages}");
    fs::rename(
        root.join("content/articles/a03.md"),
        root.join("content/articles/a03b.md"),
    )
    .unwrap();
    let (rendered, pages) = partial_equal_to_clean(&mut watch, &root, &out, &scratch);
    assert!(rendered < pages, "{rendered} of {pages}");
    assert!(!out.join("articles/a03").exists());
    fs::remove_file(root.join("content/articles/a07.md")).unwrap();
    let (rendered, pages) = partial_equal_to_clean(&mut watch, &root, &out, &scratch);
    assert!(rendered < pages, "{rendered} of {pages}");
    assert!(!out.join("articles/a07").exists());

    // Deleting a page that another links to breaks the build; the last good output stays.
    let good = support::tree(&out);
    fs::remove_file(root.join("content/articles/a05.md")).unwrap();
    let error = watch.wait_for("a99.md");
    assert!(error.contains("articles/a05.md"), "{error}");
    watch.wait_for("rebuild failed");
    assert_eq!(support::tree(&out), good, "the last good output stays");
    write(&root, "content/articles/a99.md", &article("A99", "tie", ""));
    partial_equal_to_clean(&mut watch, &root, &out, &scratch);

    // The search index has a chunk of result data per few pages: with fewer pages, the last
    // chunk goes.
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("search-index.json")).unwrap()).unwrap();
    let pages = manifest["pages"].as_u64().unwrap() as usize;
    let chunk = manifest["chunk"].as_u64().unwrap() as usize;
    let last = out.join(format!(
        "search-index/docs-{}.json",
        pages.div_ceil(chunk) - 1
    ));
    assert!(last.is_file());
    for i in 0..=(pages - 1) % chunk {
        fs::remove_file(root.join(format!("content/articles/a{:02}.md", 8 + i))).unwrap();
        partial_equal_to_clean(&mut watch, &root, &out, &scratch);
    }
    assert!(!last.exists(), "{} is gone", last.display());
}

#[test]
fn template_and_static_edits_rerender_only_the_pages_that_use_them() {
    let dir = site();
    let root = dir.path().join("site");
    let out = dir.path().join("out");
    let scratch = dir.path().join("clean");
    let mut watch = start_watch(&root, &out);

    // A site override of one page template: only its pages.
    write(
        &root,
        "templates/404.html",
        "{% extends \"base.html\" %}{% block title %}Lost{% endblock title %}{% block content %}Lost{% endblock content %}",
    );
    let (rendered, _) = partial_equal_to_clean(&mut watch, &root, &out, &scratch);
    assert_eq!(rendered, 1);

    // The article template: every article page, nothing else.
    let article = include_str!("../../themes/default/templates/article.html");
    write(
        &root,
        "templates/article.html",
        &article.replace("Source digest", "Digest of a source"),
    );
    let (rendered, pages) = partial_equal_to_clean(&mut watch, &root, &out, &scratch);
    assert_eq!(rendered, 2, "two articles, of {pages} pages");
    assert!(
        fs::read_to_string(out.join("articles/one/index.html"))
            .unwrap()
            .contains("Digest of a source")
    );

    // A static file: no page at all.
    write(&root, "static/extra.css", "body{}");
    let (rendered, _) = partial_equal_to_clean(&mut watch, &root, &out, &scratch);
    assert_eq!(rendered, 0);
    assert!(out.join("extra.css").is_file());

    // The base template: every page.
    let base = include_str!("../../themes/default/templates/base.html");
    write(
        &root,
        "templates/base.html",
        &base.replace("<footer", "<footer data-x=\"1\""),
    );
    let (rendered, pages) = partial_equal_to_clean(&mut watch, &root, &out, &scratch);
    assert!(rendered >= pages, "{rendered} of {pages}");

    // A broken template fails, keeps the output, and recovers.
    let good = support::tree(&out);
    write(&root, "templates/404.html", "{% if %}");
    watch.wait_for("rebuild failed");
    assert_eq!(support::tree(&out), good);
    fs::remove_file(root.join("templates/404.html")).unwrap();
    partial_equal_to_clean(&mut watch, &root, &out, &scratch);
}

#[test]
fn an_edit_of_an_extended_theme_template_rerenders_the_pages_built_on_it() {
    let dir = site();
    let root = dir.path().join("site");
    let out = dir.path().join("out");
    let scratch = dir.path().join("clean");
    let config = fs::read_to_string(root.join("site.toml")).unwrap();
    fs::write(
        root.join("site.toml"),
        config.replace("theme = \"default\"", "theme = \"mine\""),
    )
    .unwrap();
    let article = include_str!("../../themes/default/templates/article.html");
    write(&root, "themes/mine/templates/article.html", article);
    write(
        &root,
        "templates/article.html",
        "{% extends \"mine/article.html\" %}{% block title %}Digest: {{ page.title }}{% endblock title %}",
    );
    let mut watch = start_watch(&root, &out);

    // The site's article.html overrides the theme's, but extends it: an edit of the theme's
    // re-renders the two article pages, and only those.
    write(
        &root,
        "themes/mine/templates/article.html",
        &article.replace("Source digest", "Digest of a source"),
    );
    let (rendered, pages) = partial_equal_to_clean(&mut watch, &root, &out, &scratch);
    assert_eq!(rendered, 2, "two articles, of {pages} pages");
    let page = fs::read_to_string(out.join("articles/one/index.html")).unwrap();
    assert!(page.contains("Digest of a source") && page.contains("<title>Digest: One</title>"));
}

#[test]
fn page_folders_and_their_assets_rebuild_like_a_clean_build() {
    let f = Folders::new();
    let Folders {
        root, out, scratch, ..
    } = &f;
    let (root, out, scratch) = (root.clone(), out.clone(), scratch.clone());
    let page = |body: &str| format!("+++\ntitle = \"Setup\"\n+++\n{body}\n");
    write(&root, "content/guides/setup.md", &page("Plain."));
    write(
        &root,
        "content/_index.md",
        "+++\ntitle = \"Home\"\n+++\nSee [setup](@/guides/setup.md).\n",
    );
    let mut watch = start_watch(&root, &out);
    assert_same_tree(&out, &clean_build(&root, &scratch, None));

    // `setup.md` becomes `setup/index.md`: same page, same URL, links still reach it.
    fs::create_dir_all(root.join("content/guides/setup")).unwrap();
    fs::rename(
        root.join("content/guides/setup.md"),
        root.join("content/guides/setup/index.md"),
    )
    .unwrap();
    rebuilt_equal_to_clean(&mut watch, &f);
    assert!(out.join("guides/setup/index.html").is_file());

    // An asset added, then used.
    fs::write(
        root.join("content/guides/setup/diagram.png"),
        b"\x89PNG one",
    )
    .unwrap();
    rebuilt_equal_to_clean(&mut watch, &f);
    assert_eq!(
        fs::read(out.join("guides/setup/diagram.png")).unwrap(),
        b"\x89PNG one"
    );
    write(
        &root,
        "content/guides/setup/index.md",
        &page("![diagram](diagram.png)"),
    );
    rebuilt_equal_to_clean(&mut watch, &f);

    // Edited in place: its bytes are swapped in, no page is rendered.
    fs::write(
        root.join("content/guides/setup/diagram.png"),
        b"\x89PNG two",
    )
    .unwrap();
    let (rendered, _) = partial_equal_to_clean(&mut watch, &root, &out, &scratch);
    assert_eq!(rendered, 0);
    assert_eq!(
        fs::read(out.join("guides/setup/diagram.png")).unwrap(),
        b"\x89PNG two"
    );

    // Renamed while the page still shows the old name: the rebuild fails and the last good
    // output stays; the page follows, and the old file is gone.
    let good = support::tree(&out);
    fs::rename(
        root.join("content/guides/setup/diagram.png"),
        root.join("content/guides/setup/chart.png"),
    )
    .unwrap();
    let failed = watch.wait_for("diagram.png");
    assert!(
        failed.contains("content/guides/setup/index.md:4:1"),
        "{failed}"
    );
    assert_eq!(support::tree(&out), good);
    write(
        &root,
        "content/guides/setup/index.md",
        &page("![chart](chart.png)"),
    );
    rebuilt_equal_to_clean(&mut watch, &f);
    assert!(!out.join("guides/setup/diagram.png").exists());

    // An unused asset deleted.
    fs::write(root.join("content/guides/setup/notes.txt"), "notes").unwrap();
    rebuilt_equal_to_clean(&mut watch, &f);
    fs::remove_file(root.join("content/guides/setup/notes.txt")).unwrap();
    rebuilt_equal_to_clean(&mut watch, &f);
    assert!(!out.join("guides/setup/notes.txt").exists());

    // And back to a plain page: the folder and its assets go.
    fs::remove_file(root.join("content/guides/setup/chart.png")).unwrap();
    fs::rename(
        root.join("content/guides/setup/index.md"),
        root.join("content/guides/setup.md"),
    )
    .unwrap();
    write(&root, "content/guides/setup.md", &page("Plain again."));
    fs::remove_dir(root.join("content/guides/setup")).unwrap();
    rebuilt_equal_to_clean(&mut watch, &f);
    assert!(!out.join("guides/setup/chart.png").exists());
}

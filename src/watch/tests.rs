//! Unit tests of `watch.rs`.

use super::*;

fn class(path: &str) -> Option<Source> {
    classify(Path::new(path), Some(Path::new("output")))
}

#[test]
fn events_at_link_targets_stand_for_the_link() {
    let mut links = LinkTargets::default();
    links.targets.insert(
        PathBuf::from("/shared/notes"),
        (PathBuf::from("content/notes"), true),
    );
    links.targets.insert(
        PathBuf::from("/shared/faq.md"),
        (PathBuf::from("content/faq.md"), false),
    );
    let at = |p: &str| links.site_path(Path::new(p));
    assert_eq!(
        at("/shared/notes/a/b.md"),
        Some("content/notes/a/b.md".into())
    );
    assert_eq!(at("/shared/faq.md"), Some("content/faq.md".into()));
    assert_eq!(at("/shared/other.md"), None, "a neighbour of a linked file");
    assert_eq!(at("/elsewhere/faq.md"), None);
}

#[test]
fn finds_links_that_lead_out_of_the_site() {
    let tmp = tempfile::tempdir().unwrap();
    let (root, shared) = (tmp.path().join("site"), tmp.path().join("shared"));
    std::fs::create_dir_all(root.join("content/sub")).unwrap();
    std::fs::create_dir_all(&shared).unwrap();
    std::fs::write(shared.join("faq.md"), "x").unwrap();
    std::fs::write(root.join("content/a.md"), "x").unwrap();
    std::os::unix::fs::symlink(shared.join("faq.md"), root.join("content/faq.md")).unwrap();
    std::os::unix::fs::symlink("../a.md", root.join("content/sub/inside.md")).unwrap();
    let inside = vec![root.join("content").canonicalize().unwrap()];
    let found = outside_links(&root, &inside);
    let faq = shared.join("faq.md").canonicalize().unwrap();
    assert_eq!(
        found.into_iter().collect::<Vec<_>>(),
        vec![(faq, (PathBuf::from("content/faq.md"), false))]
    );
}

#[test]
fn classifies_the_paths_a_build_reads() {
    let content = |p: &str| Some(Source::Content(p.into()));
    let table = [
        ("site.toml", Some(Source::Config)),
        ("content/articles/a.md", content("articles/a.md")),
        ("content/_index.md", content("_index.md")),
        ("content/guide/deep/x.md", content("guide/deep/x.md")),
        ("content", Some(Source::ContentTree)),
        ("content/guide", Some(Source::ContentTree)),
        (
            "content/guide/setup/diagram.png",
            Some(Source::Asset("guide/setup/diagram.png".into())),
        ),
        ("templates/page.html", Some(Source::Theme)),
        ("static/img/logo.svg", Some(Source::Theme)),
        ("themes/default/templates/base.html", Some(Source::Theme)),
        ("themes", Some(Source::Theme)),
        ("templates/shortcodes/note.html", Some(Source::Shortcode)),
        (
            "themes/x/templates/shortcodes/claim.html",
            Some(Source::Shortcode),
        ),
        ("templates/shortcodes", Some(Source::Theme)),
        ("themes/x/static/shortcodes/a.css", Some(Source::Theme)),
    ];
    for (path, expected) in table {
        assert_eq!(class(path), expected, "{path}");
    }
}

#[test]
fn ignores_editor_files_output_and_everything_else() {
    for path in [
        "content/articles/a.md~",
        "content/articles/.a.md.swp",
        "content/articles/.a.md.swx",
        "content/articles/4913",
        "content/articles/#a.md#",
        "content/articles/.#a.md",
        "content/articles/a.md.tmp",
        "templates/.base.html.swp",
        "output/index.html",
        "output",
        "README.md",
        "site.toml~",
        ".git/index",
        "target/debug/versus",
    ] {
        assert_eq!(class(path), None, "{path}");
    }
}

#[test]
fn an_output_folder_inside_content_is_not_possible_but_outside_is_ignored() {
    assert_eq!(
        classify(Path::new("public/index.html"), Some(Path::new("public"))),
        None
    );
    assert_eq!(
        classify(Path::new("content/a.md"), None),
        Some(Source::Content("a.md".into()))
    );
}

#[test]
fn close_rename_and_delete_end_a_write() {
    use notify::event::{CreateKind, DataChange, RemoveKind, RenameMode};
    assert!(ends_a_write(&EventKind::Access(AccessKind::Close(
        AccessMode::Write
    ))));
    assert!(ends_a_write(&EventKind::Remove(RemoveKind::File)));
    assert!(ends_a_write(&EventKind::Modify(ModifyKind::Name(
        RenameMode::To
    ))));
    assert!(!ends_a_write(&EventKind::Modify(ModifyKind::Data(
        DataChange::Any
    ))));
    assert!(!ends_a_write(&EventKind::Create(CreateKind::File)));
    assert!(changes_files(&EventKind::Create(CreateKind::File)));
    assert!(!changes_files(&EventKind::Access(AccessKind::Open(
        AccessMode::Any
    ))));
    assert!(!changes_files(&EventKind::Access(AccessKind::Close(
        AccessMode::Read
    ))));
}

#[test]
fn changes_collect_every_kind() {
    let mut changes = Changes::default();
    assert!(add_change(&mut changes, Path::new("content/a.md"), None));
    assert!(add_change(&mut changes, Path::new("static/x.css"), None));
    assert!(!add_change(&mut changes, Path::new("content/a.md~"), None));
    assert_eq!(changes.content.len(), 1);
    assert!(changes.theme && !changes.config && !changes.rescan);
}

//! Unit tests of `rebuild/session.rs`.

use super::*;

#[test]
fn diff_finds_updated_and_removed() {
    let a: SiteFiles = [
        (Arc::from("x"), Arc::from(&b"1"[..])),
        (Arc::from("y"), Arc::from(&b"2"[..])),
    ]
    .into();
    let b: SiteFiles = [
        (Arc::from("x"), Arc::from(&b"1"[..])),
        (Arc::from("z"), Arc::from(&b"3"[..])),
    ]
    .into();
    assert_eq!(diff(&a, &b), (vec!["z".to_string()], vec!["y".to_string()]));
}

#[test]
fn content_files_are_markdown_without_backup_names() {
    assert!(is_content_file("articles/a.md"));
    assert!(!is_content_file("articles/a.md~"));
    assert!(!is_content_file("articles/.a.md.swp"));
    assert!(!is_content_file("articles/4913"));
    assert!(!is_content_file(".hidden/a.md"));
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn article(body: &str) -> String {
    format!(
        "+++\ntitle = \"One\"\npublisher = \"P\"\nsummary = \"S.\"\nleaning = \"tie\"\n\n\
             [claims.speed]\nfavors = \"alpha\"\nnote = \"N.\"\n+++\n{body}\n"
    )
}

#[test]
fn rerendered_files_equal_a_fresh_build_whoever_holds_the_old_ones() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "site.toml",
        "title = \"T\"\nbase_url = \"https://example.com/\"\n",
    );
    write(
        root,
        "content/_index.md",
        "+++\ntitle = \"Home\"\n+++\nHello.\n",
    );
    write(
        root,
        "content/subjects/alpha.md",
        "+++\nname = \"Alpha\"\n+++\n",
    );
    write(
        root,
        "content/criteria/speed.md",
        "+++\ntitle = \"Speed\"\n+++\n",
    );
    write(root, "content/articles/one.md", &article("First."));
    let options = Options {
        root: root.to_path_buf(),
        output: Some(dir.path().join("out")),
        base_url: None,
        mode: Mode::Check,
        evidence: Default::default(),
    };
    let mut session = Session::new(options.clone());
    session.build().unwrap();
    let edit = Changes {
        content: ["articles/one.md".to_string()].into(),
        ..Changes::default()
    };
    let mut held = Vec::new();
    for (i, body) in ["Second.", "Third.", "Fourth.", "Fifth.", "Sixth."]
        .iter()
        .enumerate()
    {
        write(root, "content/articles/one.md", &article(body));
        let rebuilt = session.rebuild(&edit).unwrap();
        // The page, and of the search index the shard of the new word and the manifest.
        assert_eq!(rebuilt.rendered, 3, "{rebuilt}");
        // Sometimes a request still holds the previous output.
        if i % 2 == 0 {
            held.push(session.files());
        }
        let mut fresh = Session::new(options.clone());
        fresh.build().unwrap();
        assert!(*session.files() == *fresh.files(), "after {body}");
    }
    assert!(String::from_utf8_lossy(&held[0]["articles/one/index.html"]).contains("Second."));

    // A vim-style save touches a backup file too: still one page.
    write(root, "content/articles/one.md~", &article("Sixth."));
    write(root, "content/articles/one.md", &article("Seventh."));
    let vim = Changes {
        content: ["articles/one.md".into(), "articles/one.md~".into()].into(),
        ..Changes::default()
    };
    assert_eq!(session.rebuild(&vim).unwrap().rendered, 3);
    // A front matter change renders everything.
    write(
        root,
        "content/articles/one.md",
        &article("Eighth.").replace("\"S.\"", "\"Other.\""),
    );
    assert!(session.rebuild(&edit).unwrap().rendered > 1);
    let mut fresh = Session::new(options.clone());
    fresh.build().unwrap();
    assert!(*session.files() == *fresh.files());
}

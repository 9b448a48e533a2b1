//! Unit tests of `rebuild/session.rs`.

use super::*;

#[test]
fn diff_finds_updated_and_removed() {
    let a: SiteFiles = [
        (Arc::from("x"), bytes::Bytes::from_static(b"1")),
        (Arc::from("y"), bytes::Bytes::from_static(b"2")),
    ]
    .into();
    let b: SiteFiles = [
        (Arc::from("x"), bytes::Bytes::from_static(b"1")),
        (Arc::from("z"), bytes::Bytes::from_static(b"3")),
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
        drafts: false,
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
    // A front matter change renders the pages that show it.
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

/// A digest of the patch test's site: `n` sets its date and claims.
fn digest(n: usize, summary: &str, claims: &[(&str, &str, &str)], body: &str) -> String {
    let mut text = format!(
        "+++\ntitle = \"T{n}\"\npublisher = \"P{n}\"\npublished = 2020-01-{:02}\n\
         summary = \"{summary}\"\nleaning = \"alpha\"\n",
        n + 1
    );
    for (criterion, favors, note) in claims {
        text.push_str(&format!(
            "\n[claims.{criterion}]\nfavors = \"{favors}\"\nnote = \"{note}\"\n"
        ));
    }
    text.push_str(&format!("+++\n{body}\n"));
    text
}

/// Two subjects, three criteria, a page showing a consensus through a shortcode and nine
/// digests, two claims each, two to a list page.
fn patchable_site(root: &Path) {
    write(
        root,
        "site.toml",
        "title = \"T\"\nbase_url = \"https://example.com/\"\n[build]\npaginate_by = 2\n",
    );
    write(
        root,
        "content/_index.md",
        "+++\ntitle = \"Home\"\n+++\nHello.\n",
    );
    for s in ["alpha", "beta"] {
        write(
            root,
            &format!("content/subjects/{s}.md"),
            &format!("+++\nname = \"{s}\"\n+++\n"),
        );
    }
    for c in ["speed", "cost", "care"] {
        write(
            root,
            &format!("content/criteria/{c}.md"),
            &format!("+++\ntitle = \"{c}\"\n+++\n"),
        );
    }
    write(
        root,
        "content/guide.md",
        "+++\ntitle = \"Guide\"\n+++\n{{ consensus(criterion=\"speed\") }}\n",
    );
    let base = [("speed", "alpha", "Fast."), ("cost", "beta", "Cheap.")];
    for n in 0..9 {
        let rel = format!("content/articles/a{n}.md");
        write(root, &rel, &digest(n, "S.", &base, "Body."));
    }
}

/// Checks that `session`'s output equals a fresh build's (at `step`); returns the fresh one.
fn equals_a_fresh_build(session: &Session, options: &Options, step: usize) -> Session {
    let mut fresh = Session::new(options.clone());
    fresh.build().unwrap();
    let (ours, theirs) = (session.files(), fresh.files());
    let differ: Vec<&str> = theirs
        .iter()
        .filter(|(path, bytes)| ours.get(*path) != Some(*bytes))
        .map(|(path, _)| &**path)
        .collect();
    assert!(differ.is_empty(), "step {step}: {differ:?}");
    assert_eq!(ours.len(), theirs.len(), "step {step}");
    fresh
}

#[test]
fn article_patches_equal_a_fresh_build_and_parse_only_the_edited_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    patchable_site(root);
    let base = [("speed", "alpha", "Fast."), ("cost", "beta", "Cheap.")];
    let options = Options {
        root: root.to_path_buf(),
        output: Some(dir.path().join("out")),
        base_url: None,
        mode: Mode::Check,
        evidence: Default::default(),
        drafts: false,
    };
    let mut session = Session::new(options.clone());
    session.build().unwrap();
    let edit = Changes {
        content: ["articles/a3.md".to_string()].into(),
        ..Changes::default()
    };
    let beta = [("speed", "beta", "Fast."), ("cost", "beta", "Cheap.")];
    let noted = [("speed", "beta", "Slow now."), ("cost", "beta", "Cheap.")];
    let more = [
        ("speed", "beta", "Slow now."),
        ("cost", "beta", "Cheap."),
        ("care", "tie", "Even."),
    ];
    let fewer = [("speed", "beta", "Slow now."), ("cost", "beta", "Cheap.")];
    let no_speed = [("cost", "beta", "Cheap.")];
    // (title, summary, claims, body, whether the patch takes it)
    type Step<'a> = (
        &'a str,
        &'a str,
        &'a [(&'a str, &'a str, &'a str)],
        &'a str,
        bool,
    );
    let steps: [Step<'_>; 10] = [
        ("T3", "A new summary.", &base, "Body.", true),
        ("T3", "A new summary.", &beta, "Body.", true),
        ("T3", "A new summary.", &noted, "Body.", true),
        ("T3", "A new summary.", &more, "Body.", true),
        ("T3", "A new summary.", &fewer, "Body.", true),
        ("T3", "Both.", &fewer, "Another body.", true),
        // A new title shows on the neighbours' pages too: they are checked as well.
        ("Retitled", "Both.", &fewer, "Another body.", true),
        ("T3", "Both.", &fewer, "Another body.", true),
        ("T3", "S.", &fewer, "Body.", true),
        // Speed's claims take one list page fewer: the set of pages changes.
        ("T3", "S.", &no_speed, "Body.", false),
    ];
    for (i, (title, summary, claims, body, patched)) in steps.iter().enumerate() {
        let text = digest(3, summary, claims, body).replace("\"T3\"", &format!("\"{title}\""));
        write(root, "content/articles/a3.md", &text);
        // Every other step as `serve` does it: the edited page first, the rest after.
        session.defer(i % 2 == 1);
        let rebuilt = session.rebuild(&edit).unwrap();
        assert_eq!(session.parsed.len() < 5, *patched, "step {i}");
        // Not everything (the site has 45 files): a patch that failed halfway would.
        assert!(!patched || rebuilt.rendered < 20, "step {i}: {rebuilt}");
        let page = &session.files()["articles/a3/index.html"];
        assert!(String::from_utf8_lossy(page).contains(summary), "step {i}");
        let finished = session.finish();
        assert_eq!(
            finished.is_some(),
            rebuilt.deferred != Deferred::Nothing,
            "step {i}"
        );
        if i % 2 == 1 && *patched && i != 5 {
            // Each of these edits changes a criterion page or the matrix files.
            assert!(rebuilt.deferred != Deferred::Nothing, "step {i}: {rebuilt}");
        }
        let fresh = equals_a_fresh_build(&session, &options, i);
        if !patched {
            // Back to a fresh session, so the next step starts from a patchable state.
            session = fresh;
        }
    }
}

#[test]
fn a_new_or_deleted_digest_shows_first_and_the_rest_equals_a_fresh_build() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "site.toml",
        "title = \"T\"\nbase_url = \"https://example.com/\"\n[build]\npaginate_by = 2\n",
    );
    write(
        root,
        "content/_index.md",
        "+++\ntitle = \"Home\"\n+++\nHello.\n",
    );
    write(
        root,
        "content/subjects/alpha.md",
        "+++\nname = \"alpha\"\n+++\n",
    );
    write(
        root,
        "content/subjects/beta.md",
        "+++\nname = \"beta\"\n+++\n",
    );
    write(
        root,
        "content/criteria/speed.md",
        "+++\ntitle = \"speed\"\n+++\n",
    );
    let claims = [("speed", "alpha", "Fast.")];
    for n in [0, 2, 4, 6] {
        let rel = format!("content/articles/a{n}.md");
        write(root, &rel, &digest(n, "S.", &claims, "Body."));
    }
    let options = Options {
        root: root.to_path_buf(),
        output: Some(dir.path().join("out")),
        base_url: None,
        mode: Mode::Check,
        evidence: Default::default(),
        drafts: false,
    };
    let mut session = Session::new(options.clone());
    session.build().unwrap();
    let edit = Changes {
        content: ["articles/a3.md".to_string()].into(),
        ..Changes::default()
    };
    let page = "articles/a3/index.html";
    for defer in [true, false] {
        session.defer(defer);
        write(
            root,
            "content/articles/a3.md",
            &digest(3, "New one.", &claims, "New."),
        );
        let rebuilt = session.rebuild(&edit).unwrap();
        assert!(String::from_utf8_lossy(&session.files()[page]).contains("New one."));
        assert_eq!(rebuilt.deferred != Deferred::Nothing, defer, "{rebuilt}");
        if defer {
            // The list that will show it is not made yet, and waits.
            assert!(rebuilt.deferred.waits("articles/page/2/index.html"));
            assert!(session.finish().unwrap().is_ok());
        }
        // Steps 0 and 1: added (deferred or not); 2 and 3: deleted.
        equals_a_fresh_build(&session, &options, usize::from(defer));
        std::fs::remove_file(root.join("content/articles/a3.md")).unwrap();
        let rebuilt = session.rebuild(&edit).unwrap();
        assert!(!session.files().contains_key(page));
        if defer {
            assert!(rebuilt.deferred.waits("index.html"), "{rebuilt}");
            assert!(session.finish().unwrap().is_ok());
        }
        equals_a_fresh_build(&session, &options, 2 + usize::from(defer));
    }
}

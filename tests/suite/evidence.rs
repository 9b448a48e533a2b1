//! Integration tests of the evidence model (DESIGN.md's "Evidence"): quotes verified against
//! the archive folder and shown as checked, the misquote error, building without the folder
//! (one notice, or an error with `--require-archive`), stakes and what the consensus would be
//! without them, column labels, claim permalinks, the `matrix.json` and `matrix.csv` fields,
//! and rebuilds that re-verify when an archived copy changes.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use versus::build::{self, Evidence, Mode, Options};
use versus::rebuild::{Changes, Session};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/evidence");

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

/// A copy of the fixture to change freely.
fn fixture_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(Path::new(FIXTURE), &root);
    (tmp, root)
}

fn options(root: &Path, output: &Path, evidence: Evidence) -> Options {
    Options {
        root: root.into(),
        output: Some(output.into()),
        base_url: None,
        mode: Mode::Build,
        evidence,
        drafts: false,
    }
}

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy();
            (rel.replace('\\', "/"), fs::read(e.path()).unwrap())
        })
        .collect()
}

fn page(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(
        files
            .get(path)
            .unwrap_or_else(|| panic!("{path} missing"))
            .clone(),
    )
    .unwrap()
}

fn built() -> (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let summary = build::run(&options(Path::new(FIXTURE), &out, Evidence::default()))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(summary.notices.is_empty(), "{:?}", summary.notices);
    let files = snapshot(&out);
    (tmp, files)
}

fn select<'a>(doc: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&scraper::Selector::parse(css).unwrap())
        .collect()
}

fn text(e: &scraper::ElementRef<'_>) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn verified_quotes_show_as_quotations_checked_against_the_archived_copy() {
    let (_tmp, files) = built();
    let digest = scraper::Html::parse_document(&page(&files, "articles/weekly/index.html"));
    let row = select(&digest, "tr#claim-speed")[0];
    let quote = select(&digest, "tr#claim-speed blockquote")[0];
    assert_eq!(
        text(&quote),
        "was \"fast enough for every team we asked\" - and the compiler's messages"
    );
    assert_eq!(
        quote.value().attr("cite"),
        Some("https://example.org/weekly/12")
    );
    assert!(
        text(&row).contains("Checked against the archived copy of 20 November 2026"),
        "{}",
        text(&row)
    );
    assert!(
        text(&select(&digest, "tr#claim-cost")[0])
            .find("Checked")
            .is_none()
    );

    let speed = scraper::Html::parse_document(&page(&files, "criteria/speed/index.html"));
    let card = select(&speed, "li.claim-card#claim-vendor")[0];
    assert!(
        text(&select(&speed, "#claim-vendor blockquote")[0])
            .starts_with("Our customers’ services run faster on Go"),
        "the HTML copy verifies a quote with curly quotes and dashes"
    );
    assert!(text(&card).contains("21 November 2026"), "{}", text(&card));

    let home = scraper::Html::parse_document(&page(&files, "index.html"));
    let notes: Vec<String> = select(&home, "#row-speed .cell .note q")
        .iter()
        .map(text)
        .collect();
    assert_eq!(notes.len(), 2, "the two quoted claims on speed: {notes:?}");
    assert!(notes[0].starts_with("was \"fast enough"), "{notes:?}");
    let note = text(&select(&home, "#row-speed .cell .note")[0]);
    assert!(
        note.contains("checked against the archived copy of 20 November 2026"),
        "{note}"
    );
}

#[test]
fn a_plurality_is_not_a_majority_and_stakes_show_how_they_sway_it() {
    let (_tmp, files) = built();
    let cost = scraper::Html::parse_document(&page(&files, "criteria/cost/index.html"));
    let badge = select(&cost, ".consensus-box .consensus-badge")[0];
    assert_eq!(badge.value().attr("title"), Some("Plurality: Go, 2 of 4"));
    let shown = text(&badge);
    assert!(
        shown.starts_with("Plurality:") && shown.ends_with("Go, 2 of 4"),
        "{shown}"
    );
    let meaning = text(&select(&cost, ".consensus-meaning")[0]);
    assert!(meaning.contains("not more than half"), "{meaning}");
    let without = text(&select(&cost, "#without-stakes")[0]);
    assert!(
        without.contains("A Very Long Go Consulting Publisher") && without.contains("Split"),
        "{without}"
    );
    let speed = scraper::Html::parse_document(&page(&files, "criteria/speed/index.html"));
    let without = text(&select(&speed, "#without-stakes")[0]);
    assert!(
        without.contains("would be Majority:") && without.contains("Rust instead"),
        "{without}"
    );

    let vendor = scraper::Html::parse_document(&page(&files, "articles/vendor/index.html"));
    let stake = text(&select(&vendor, ".meta .stake")[0]);
    assert!(
        stake.contains("Stake in Go") && stake.contains("The publisher sells Go consulting."),
        "{stake}"
    );
    let alone = scraper::Html::parse_document(&page(&files, "articles/blog-two/index.html"));
    assert!(
        select(&alone, ".stake-badge").is_empty(),
        "a disclosure alone is no stake"
    );
    assert!(text(&select(&alone, ".meta .disclosure-only")[0]).contains("free conference ticket"));
    let card = text(&select(&speed, "#claim-vendor")[0]);
    assert!(
        card.contains("Stake in Go") && card.contains("sells Go consulting"),
        "{card}"
    );
    assert!(select(&speed, "#claim-weekly .stake-badge").is_empty());

    let home = scraper::Html::parse_document(&page(&files, "index.html"));
    let headers: Vec<String> = select(&home, "#matrix-table thead th.source")
        .iter()
        .map(text)
        .collect();
    assert_eq!(headers.len(), 4);
    assert!(headers[0].starts_with("Systems Weekly"), "{headers:?}");
    assert!(
        headers[1].starts_with("GoCo") && headers[1].contains("stake: Go"),
        "the label names the column, with the stake badge: {headers:?}"
    );
    assert!(headers[2].starts_with("Blog 2024") || headers[2].starts_with("Blog (1)"));
    assert!(
        !headers
            .iter()
            .any(|h| h.contains("blog-one") || h.contains("Blog one")),
        "never the file name: {headers:?}"
    );
}

#[test]
fn every_matrix_cell_links_to_its_claims_anchor() {
    let (_tmp, files) = built();
    let home = scraper::Html::parse_document(&page(&files, "index.html"));
    let links: Vec<String> = select(&home, "#matrix-table td.cell a")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(links.len(), 8, "4 sources × 2 criteria: {links:?}");
    for link in links {
        let (path, anchor) = link.split_once('#').expect("an anchor");
        let target = format!("{}index.html", path.trim_start_matches('/'));
        let doc = scraper::Html::parse_document(&page(&files, &target));
        assert_eq!(select(&doc, &format!("#{anchor}")).len(), 1, "{link}");
    }
    let speed = scraper::Html::parse_document(&page(&files, "criteria/speed/index.html"));
    let anchors: Vec<&str> = select(&speed, "li.claim-card")
        .iter()
        .map(|c| c.value().attr("id").unwrap())
        .collect();
    assert_eq!(
        anchors,
        [
            "claim-weekly",
            "claim-vendor",
            "claim-blog-one",
            "claim-blog-two"
        ]
    );
}

#[test]
fn matrix_files_carry_labels_stakes_quotes_and_verification() {
    let (_tmp, files) = built();
    let json: serde_json::Value = serde_json::from_slice(&files["matrix.json"]).unwrap();
    let vendor = &json["articles"][1];
    assert_eq!(vendor["slug"], "vendor");
    assert_eq!(vendor["stake"], "go");
    assert_eq!(vendor["label"], "GoCo");
    assert_eq!(vendor["disclosure"], "The publisher sells Go consulting.");
    assert_eq!(json["articles"][0]["stake"], serde_json::Value::Null);
    assert_eq!(json["articles"][3]["stake"], serde_json::Value::Null);
    assert_eq!(
        json["articles"][3]["disclosure"],
        "The author was given a free conference ticket."
    );
    assert_eq!(json["articles"][0]["retrieved"], "2026-11-20");
    let speed = &json["criteria"][0];
    assert_eq!(speed["id"], "speed");
    assert_eq!(speed["claims"][0]["verified"], true);
    assert_eq!(
        speed["claims"][0]["quote"],
        "was \"fast enough for every team we asked\" - and the compiler's messages"
    );
    assert_eq!(speed["claims"][2]["quote"], serde_json::Value::Null);
    assert_eq!(speed["claims"][2]["verified"], false);
    assert_eq!(
        speed["consensus"],
        serde_json::json!({"status": "split", "favors": null})
    );
    assert_eq!(
        speed["consensus_without_stakes"],
        serde_json::json!({"status": "majority", "favors": "rust"})
    );
    assert_eq!(
        json["criteria"][1]["consensus"],
        serde_json::json!({"status": "plurality", "favors": "go"})
    );

    let csv = page(&files, "matrix.csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        &header[..8],
        [
            "criterion",
            "title",
            "weekly",
            "vendor",
            "blog-one",
            "blog-two",
            "consensus",
            "favors"
        ]
    );
    assert_eq!(&header[8..10], ["weekly quote", "weekly verified"]);
    let cost: Vec<String> = reader
        .records()
        .nth(1)
        .unwrap()
        .unwrap()
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(cost[6], "plurality");
    assert_eq!(cost[10], "Hiring is “easy & cheap” with Go.");
    assert_eq!(cost[11], "true");
}

#[test]
fn the_archive_is_never_published() {
    let (_tmp, files) = built();
    assert!(
        !files
            .keys()
            .any(|p| p.starts_with("archive") || p.contains("weekly.txt"))
    );
    assert!(
        !files
            .values()
            .any(|b| String::from_utf8_lossy(b).contains("helped new hires")),
        "no archived text beyond the quotes reaches the output"
    );
}

#[test]
fn a_misquote_is_an_error_at_the_quote_showing_the_closest_passage() {
    let (tmp, root) = fixture_copy();
    let out = tmp.path().join("out");
    build::run(&options(&root, &out, Evidence::default())).unwrap();
    let before = snapshot(&out);
    let digest = root.join("content/articles/weekly.md");
    let text = fs::read_to_string(&digest).unwrap();
    fs::write(
        &digest,
        text.replace("every team we asked", "every team we polled"),
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_versus"))
        .args(["build", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    let expected = format!(
        "error: {}:15:9: quote not found in the archived copy {}: \"was \"fast enough for every \
         team we polled\" - and the compiler's messages\" (compared after normalising \
         whitespace, line breaks, quotes, apostrophes, dashes and HTML; case counts)\n  \
         closest passage of the copy: \"was \"fast enough for every team we asked\" - and \
         the compiler's messages\"\n",
        digest.display(),
        root.join("archive/weekly.txt").display()
    );
    assert!(stderr.starts_with(&expected), "{stderr}\n---\n{expected}");
    assert!(
        stderr.contains("error: build failed with 1 error"),
        "{stderr}"
    );
    assert_eq!(snapshot(&out), before, "the previous output is left intact");
}

#[test]
fn without_the_archive_one_notice_and_with_require_archive_an_error() {
    let (tmp, root) = fixture_copy();
    fs::remove_dir_all(root.join("archive")).unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_versus"))
            .args(args)
            .arg("--root")
            .arg(&root)
            .output()
            .unwrap()
    };
    let out = tmp.path().join("out");
    let build = run(&["build", "--output", out.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert!(build.status.success(), "{stderr}");
    assert_eq!(stderr.matches("note:").count(), 1, "{stderr}");
    assert!(
        stderr.contains("3 quotes were not verified: the archive folder")
            && stderr.contains("named in site.toml is not there"),
        "{stderr}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("matrix.json")).unwrap()).unwrap();
    assert_eq!(json["criteria"][0]["claims"][0]["verified"], false);
    assert!(
        !fs::read_to_string(out.join("articles/weekly/index.html"))
            .unwrap()
            .contains("Checked against"),
        "unverified quotes are not marked as checked"
    );

    let check = run(&["check", "--require-archive"]);
    assert!(!check.status.success());
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(
        stderr.contains("--require-archive: quotes cannot be verified"),
        "{stderr}"
    );

    let missing = run(&["check", "--archive", "/nonexistent/archive"]);
    assert!(!missing.status.success());
    assert!(
        String::from_utf8_lossy(&missing.stderr)
            .contains("--archive /nonexistent/archive: no such folder")
    );

    // `--archive DIR` finds a folder outside the site.
    let elsewhere = tmp.path().join("copies");
    copy_dir(&Path::new(FIXTURE).join("archive"), &elsewhere);
    let check = run(&[
        "check",
        "--require-archive",
        "--archive",
        elsewhere.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "{stderr}");
    assert!(!stderr.contains("note:"), "{stderr}");
}

#[test]
fn evidence_fields_are_checked_with_file_and_line() {
    let (tmp, root) = fixture_copy();
    let blog = root.join("content/articles/blog-one.md");
    let text = fs::read_to_string(&blog).unwrap();
    let text = text.replace(
        "leaning = ",
        "disclosure = \"The author \\nconsults.\"\nstake = \"tie\"\nleaning = ",
    );
    fs::write(&blog, text).unwrap();
    let vendor = root.join("content/articles/vendor.md");
    let text = fs::read_to_string(&vendor).unwrap();
    let text = text
        .replace("disclosure = \"The publisher sells Go consulting.\"\n", "")
        .replace(
            "label = \"GoCo\"",
            "label = \"A label far too long for any column\"",
        )
        .replace("archive = \"vendor.html\"", "archive = \"../vendor.html\"")
        .replace(
            "quote = \"Hiring is “easy & cheap” with Go.\"",
            &format!("quote = \"{}\"", ["word"; 31].join(" ")),
        );
    fs::write(&vendor, text).unwrap();
    let weekly = root.join("content/articles/weekly.md");
    let text = fs::read_to_string(&weekly).unwrap();
    fs::write(&weekly, text.replace("weekly.txt", "weakly.txt")).unwrap();
    let error = build::run(&options(
        &root,
        &tmp.path().join("out"),
        Evidence::default(),
    ))
    .unwrap_err()
    .to_string();
    let shown = |file: &str, line: usize, message: &str| {
        let start = format!("{}:{line}:", root.join(file).display());
        assert!(
            error
                .lines()
                .any(|l| l.trim_start_matches("error: ").starts_with(&start)
                    && l.contains(message)),
            "{start} … {message}\n{error}"
        );
    };
    shown(
        "content/articles/vendor.md",
        7,
        "label must be one short line",
    );
    shown(
        "content/articles/vendor.md",
        8,
        "a stake needs its disclosure",
    );
    shown(
        "content/articles/vendor.md",
        9,
        "must be a file name in the archive folder",
    );
    shown("content/articles/vendor.md", 20, "this one has 31");
    shown(
        "content/articles/weekly.md",
        8,
        "archived copy `weakly.txt` not found",
    );
}

#[test]
fn rebuilds_reverify_when_an_archived_copy_changes() {
    let (tmp, root) = fixture_copy();
    let out = tmp.path().join("out");
    let mut session = Session::new(options(&root, &out, Evidence::default()));
    session.build().unwrap();
    let copy = root.join("archive/weekly.txt");
    let original = fs::read_to_string(&copy).unwrap();
    fs::write(&copy, original.replace("every team", "most teams")).unwrap();
    let archive = Changes {
        archive: true,
        ..Changes::default()
    };
    let error = session.rebuild(&archive).unwrap_err().to_string();
    assert!(
        error.contains("quote not found in the archived copy"),
        "{error}"
    );
    fs::write(&copy, original).unwrap();
    session.rebuild(&archive).unwrap();
    let clean = tmp.path().join("clean");
    build::run(&options(&root, &clean, Evidence::default())).unwrap();
    assert_eq!(
        snapshot(&out),
        snapshot(&clean),
        "the rebuild equals a clean build"
    );

    // A digest's quote edited to one the copy lacks fails the incremental rebuild too.
    let digest = root.join("content/articles/vendor.md");
    let text = fs::read_to_string(&digest).unwrap();
    fs::write(&digest, text.replace("every one of them", "all of them")).unwrap();
    let edit = Changes {
        content: ["articles/vendor.md".to_string()].into(),
        ..Changes::default()
    };
    let error = session.rebuild(&edit).unwrap_err().to_string();
    assert!(error.contains("closest passage of the copy"), "{error}");

    // A shorter quote the copy has, and a stake dropped: the incremental rebuild equals a
    // clean build again.
    let text = text
        .replace(
            "Our customers’ services run faster on Go — every one of them.",
            "run faster on Go",
        )
        .replace("stake = \"go\"\n", "");
    fs::write(&digest, text).unwrap();
    session.rebuild(&edit).unwrap();
    let clean = tmp.path().join("clean-2");
    build::run(&options(&root, &clean, Evidence::default())).unwrap();
    assert_eq!(
        snapshot(&out),
        snapshot(&clean),
        "the rebuild equals a clean build"
    );
    let speed =
        String::from_utf8(fs::read(out.join("criteria/speed/index.html")).unwrap()).unwrap();
    assert!(speed.contains("<p>run faster on Go</p>") && !speed.contains("without-stakes"));
}

#[test]
fn the_watcher_reports_a_change_in_the_archive_folder() {
    let (tmp, root) = fixture_copy();
    let elsewhere = tmp.path().join("copies");
    copy_dir(&root.join("archive"), &elsewhere);
    let mut watcher = versus::watch::Watcher::new(&root, &root.join("output"), false).unwrap();
    watcher.watch_archive(Some(&elsewhere));
    assert!(watcher.watched().iter().any(|w| w.ends_with("copies")));
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(watcher.next_changes().map(|c| c.archive));
    });
    std::thread::sleep(std::time::Duration::from_millis(100));
    fs::write(elsewhere.join("weekly.txt"), "changed").unwrap();
    let archive = receive
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("the watcher reports the change")
        .unwrap();
    assert!(archive, "the change is to the archive");
}

#[test]
fn an_archive_folder_where_the_build_publishes_files_is_refused() {
    let (tmp, root) = fixture_copy();
    fs::create_dir_all(root.join("static")).unwrap();
    fs::rename(root.join("archive"), root.join("static/archive")).unwrap();
    let config = fs::read_to_string(root.join("site.toml")).unwrap();
    fs::write(
        root.join("site.toml"),
        config.replace("archive = \"archive\"", "archive = \"static/archive\""),
    )
    .unwrap();
    let error = build::run(&options(
        &root,
        &tmp.path().join("out"),
        Evidence::default(),
    ))
    .unwrap_err()
    .to_string();
    assert!(error.contains("the archive is never published"), "{error}");
    assert!(!tmp.path().join("out").exists(), "nothing was written");
}

#[test]
fn a_digest_links_each_claim_to_its_card_on_the_right_page_of_its_criterion() {
    let (tmp, root) = fixture_copy();
    let config = fs::read_to_string(root.join("site.toml")).unwrap();
    let config = format!(
        "{}\n[build]\npaginate_by = 2\n\n[evidence]\narchive = \"archive\"\n",
        config.split("[evidence]").next().unwrap()
    );
    fs::write(root.join("site.toml"), config).unwrap();
    let out = tmp.path().join("out");
    build::run(&options(&root, &out, Evidence::default())).unwrap();
    let files = snapshot(&out);
    for (slug, expected) in [
        ("weekly", "/criteria/speed/#claim-weekly"),
        ("blog-two", "/criteria/speed/page/2/#claim-blog-two"),
    ] {
        let digest =
            scraper::Html::parse_document(&page(&files, &format!("articles/{slug}/index.html")));
        let link = select(&digest, "tr#claim-speed th a")[0]
            .value()
            .attr("href")
            .unwrap()
            .to_string();
        assert_eq!(link, expected);
        let (path, anchor) = link.split_once('#').unwrap();
        let target = format!("{}index.html", path.trim_start_matches('/'));
        let doc = scraper::Html::parse_document(&page(&files, &target));
        assert_eq!(select(&doc, &format!("li#{anchor}")).len(), 1, "{link}");
    }
}

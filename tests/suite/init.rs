//! `versus init DIR`: the new site builds at once and passes `versus check`; a non-empty
//! folder is refused; the scaffold's workflow publishes the same way as the repository's.

use std::fs;
use std::path::Path;

use crate::support::versus_text as versus;

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn init_then_build_and_check_finds_no_problems() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("new-site");
    let (ok, stdout, stderr) = versus(&["init", path(&site)]);
    assert!(ok, "init failed: {stderr}");
    assert!(stdout.contains("created a new site"), "{stdout}");
    for file in [
        "site.toml",
        ".gitignore",
        ".github/workflows/pages.yml",
        "content/_index.md",
        "content/subjects/tea.md",
        "content/subjects/coffee.md",
        "content/criteria/preparation.md",
        "content/criteria/flavour.md",
        "content/criteria/cost.md",
        "content/articles/sample-article.md",
    ] {
        assert!(site.join(file).is_file(), "{file} is missing");
    }
    let ignore = fs::read_to_string(site.join(".gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l.trim() == "output/"), "{ignore}");

    let (ok, stdout, stderr) = versus(&["build", "--root", path(&site)]);
    assert!(ok, "build failed: {stderr}");
    assert!(
        stdout.contains("(1 article, 3 criteria, 2 subjects)"),
        "{stdout}"
    );
    let output = site.join("output");
    for file in [
        "index.html",
        ".nojekyll",
        "404.html",
        "sitemap.xml",
        "atom.xml",
    ] {
        assert!(output.join(file).is_file(), "output/{file} is missing");
    }
    let matrix: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(output.join("matrix.json")).unwrap()).unwrap();
    let preparation = &matrix["criteria"][0];
    assert_eq!(preparation["id"], "preparation");
    assert_eq!(preparation["claims"][0]["favors"], "tea");

    let (ok, stdout, stderr) = versus(&["check", "--root", path(&site)]);
    assert!(ok, "check failed: {stderr}");
    assert!(stdout.ends_with("no problems found\n"), "{stdout}");
    assert!(stderr.is_empty(), "check printed findings: {stderr}");
}

#[test]
fn init_refuses_a_non_empty_folder_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path();
    fs::write(site.join("notes.txt"), "mine").unwrap();
    let (ok, stdout, stderr) = versus(&["init", path(site)]);
    assert!(!ok, "init should fail on a non-empty folder: {stdout}");
    assert!(stderr.contains("is not empty"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    let names: Vec<_> = fs::read_dir(site)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["notes.txt"]);
    assert_eq!(fs::read_to_string(site.join("notes.txt")).unwrap(), "mine");
}

#[test]
fn init_refuses_a_file_and_a_second_run() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("file");
    fs::write(&file, "x").unwrap();
    let (ok, _, stderr) = versus(&["init", path(&file)]);
    assert!(!ok);
    assert!(stderr.contains("is a file, not a folder"), "{stderr}");

    let site = tmp.path().join("site");
    assert!(versus(&["init", path(&site)]).0);
    fs::write(site.join("site.toml"), "edited").unwrap();
    let (ok, _, stderr) = versus(&["init", path(&site)]);
    assert!(!ok);
    assert!(stderr.contains("is not empty"), "{stderr}");
    assert_eq!(
        fs::read_to_string(site.join("site.toml")).unwrap(),
        "edited"
    );
}

#[test]
fn init_accepts_an_empty_folder_or_a_fresh_git_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty");
    fs::create_dir(&empty).unwrap();
    assert!(versus(&["init", path(&empty)]).0);
    let repo = tmp.path().join("repo");
    fs::create_dir_all(repo.join(".git")).unwrap();
    let (ok, _, stderr) = versus(&["init", path(&repo)]);
    assert!(ok, "{stderr}");
    assert!(repo.join("site.toml").is_file());
}

/// The part of a workflow from `marker` to the next top-level key (or the end).
fn section<'a>(workflow: &'a str, marker: &str) -> &'a str {
    let start = workflow
        .find(marker)
        .unwrap_or_else(|| panic!("`{marker}` missing"));
    let rest = &workflow[start..];
    let end = rest[marker.len()..]
        .find("\n\n")
        .map_or(rest.len(), |i| i + marker.len());
    &rest[..end]
}

#[test]
fn scaffold_workflow_publishes_like_the_repository_workflow() {
    let repo = fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/.github/workflows/pages.yml"
    ))
    .unwrap();
    let files = versus::init::Scaffold::default().files();
    let (_, scaffold) = files
        .iter()
        .find(|(p, _)| *p == versus::init::WORKFLOW_PATH)
        .unwrap();
    // Triggers, permissions, concurrency and the deploy job are identical; only how versus
    // gets installed differs (built from source here, where the site is versus's own and
    // must be built by the versus of the same commit; the released action in a new site).
    for marker in ["on:\n", "permissions:\n", "concurrency:\n", "  deploy:\n"] {
        assert_eq!(
            section(&repo, marker),
            section(scaffold, marker),
            "{marker}"
        );
    }
    for workflow in [&repo, scaffold] {
        for needle in [
            "actions/configure-pages@v6",
            "--base-url \"$BASE_URL\"",
            "BASE_URL: ${{ steps.pages.outputs.base_url }}",
            "actions/upload-pages-artifact@v5",
            "path: output/",
            "include-hidden-files: true",
        ] {
            assert!(workflow.contains(needle), "{needle} missing in\n{workflow}");
        }
    }
    assert!(repo.contains("dtolnay/rust-toolchain@stable"));
    assert!(repo.contains("Swatinem/rust-cache@v2"));
    assert!(repo.contains("cargo run --release --locked -- build"));
    // A new site needs no Rust toolchain: the action installs the release of this version.
    let version = env!("CARGO_PKG_VERSION");
    let uses = scaffold
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("uses: ")
                .filter(|u| u.contains("/versus"))
        })
        .unwrap_or_else(|| panic!("no versus action in\n{scaffold}"));
    assert!(uses.ends_with(&format!("@v{version}")), "{uses}");
    for needle in ["rust-toolchain", "cargo ", "rust-cache"] {
        assert!(!scaffold.contains(needle), "{needle} in\n{scaffold}");
    }
    assert!(scaffold.contains("run: versus build --base-url"));
}

#[test]
fn init_names_the_port_and_what_is_left_to_fill_in() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let (ok, stdout, stderr) = versus(&["init", path(&site)]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("http://127.0.0.1:1111/"), "{stdout}");
    let workflow = fs::read_to_string(site.join(".github/workflows/pages.yml")).unwrap();
    let known = versus::init::Scaffold::default()
        .github_repository()
        .map(|r| format!("uses: {r}@v{}", env!("CARGO_PKG_VERSION")));
    match known {
        Some(uses) => {
            assert!(workflow.contains(&uses), "{uses} missing in\n{workflow}");
            assert!(!stdout.contains("<owner>"), "{stdout}");
        }
        None => {
            assert!(workflow.contains("uses: <owner>/versus@v"), "{workflow}");
            assert!(
                stdout.contains("replace `<owner>/versus`") && stdout.contains("repository"),
                "{stdout}"
            );
        }
    }
}

//! The user guide in `docs/`: a versus site that builds and checks, whose front-matter
//! reference is written from the parsing code and whose command page names every flag.

use std::path::Path;
use std::process::Command;

use crate::support::versus;

fn docs() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs")
}

#[test]
fn the_front_matter_reference_is_current() {
    let path = docs().join("content/reference/front-matter.md");
    let expected = versus::reference::front_matter_page();
    if std::env::var_os("VERSUS_BLESS").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "{} is stale: run `VERSUS_BLESS=1 cargo test guide` to write it again",
        path.display()
    );
}

/// The `--flags` of `versus <command> --help`.
fn flags(command: &[&str]) -> Vec<String> {
    let mut args = command.to_vec();
    args.push("--help");
    let out = versus(&args);
    assert!(out.status.success(), "{command:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .map(|w| {
            w.trim_end_matches(|c: char| !c.is_ascii_alphanumeric())
                .to_string()
        })
        .collect()
}

#[test]
fn the_commands_page_names_every_command_and_flag() {
    let page = std::fs::read_to_string(docs().join("content/reference/commands.md")).unwrap();
    let top = String::from_utf8(versus(&["--help"]).stdout).unwrap();
    let commands: Vec<&str> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(
        commands.contains(&"build") && commands.contains(&"theme"),
        "{top}"
    );
    for command in commands {
        let mut invocation = vec![command];
        if command == "theme" {
            invocation.push("eject");
        }
        let heading = format!("## versus {}", invocation.join(" "));
        assert!(page.contains(&heading), "no section `{heading}`");
        for flag in flags(&invocation) {
            if flag == "--help" {
                continue;
            }
            assert!(
                page.contains(&format!("`{flag}")),
                "`versus {command}` takes {flag}, which the commands page does not name"
            );
        }
    }
}

#[test]
fn the_guide_checks_clean() {
    let root = docs();
    let out = versus(&["check", "--root", root.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("note:"), "{stderr}");
}

/// Each case: a file of a fresh `versus init` site, a text in it, what replaces it, and the
/// command run in the site; the guide must quote the first line of the error as printed.
const TROUBLES: &[(&str, &str, &str, &[&str])] = &[
    (
        "content/criteria/cost.md",
        "title = ",
        "titel = ",
        &["check"],
    ),
    (
        "content/articles/sample-article.md",
        "[claims.flavour]",
        "[claims.flavor]",
        &["check"],
    ),
    (
        "content/articles/sample-article.md",
        "favors = \"depends\"",
        "favors = \"cocoa\"",
        &["check"],
    ),
    (
        "content/articles/sample-article.md",
        "leaning = \"tea\"",
        "leaning = \"tea\"\nstake = \"tea\"",
        &["check"],
    ),
    (
        "site.toml",
        "theme = \"default\"",
        "theme = \"fancy\"",
        &["check"],
    ),
    (
        "site.toml",
        "[build]",
        "[style]\naccent = \"#ffcc00\"\n\n[build]",
        &["check"],
    ),
    (
        "content/_index.md",
        "its column appears.",
        "its column appears.\n[x](@/criteria/price.md)",
        &["check"],
    ),
    ("site.toml", "", "", &["check", "--require-archive"]),
    ("site.toml", "", "", &["build", "--output", "content/out"]),
];

#[test]
fn troubleshooting_quotes_the_errors_as_versus_prints_them() {
    let page = std::fs::read_to_string(docs().join("content/guide/troubleshooting.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (i, (file, from, to, args)) in TROUBLES.iter().enumerate() {
        let site = dir.path().join(format!("site{i}"));
        assert!(versus(&["init", site.to_str().unwrap()]).status.success());
        let path = site.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has no {from}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        let mut args = args.to_vec();
        if args == ["check", "--require-archive"] {
            // The sample has no quotes; one quote makes the archive matter.
            let article = site.join("content/articles/sample-article.md");
            let text = std::fs::read_to_string(&article).unwrap();
            let quoted = text.replacen("\n+++\n", "\nquote = \"hot water\"\n+++\n", 1);
            std::fs::write(&article, quoted).unwrap();
        }
        let out = Command::new(env!("CARGO_BIN_EXE_versus"))
            .args(args.drain(..))
            .current_dir(&site)
            .output()
            .unwrap();
        assert!(!out.status.success(), "case {i} should fail");
        let stderr = String::from_utf8(out.stderr).unwrap();
        let first = stderr.lines().next().unwrap_or_default();
        assert!(
            page.contains(first),
            "troubleshooting.md does not quote, as printed:\n{first}"
        );
    }
}

#[test]
fn every_custom_property_of_the_default_theme_is_documented() {
    let css = include_str!("../../themes/default/static/style.css");
    let root = &css[css.find(":root{").unwrap()..];
    let root = &root[..root.find("\n}").unwrap()];
    let names: Vec<&str> = root
        .split(['{', ';', '\n'])
        .filter_map(|decl| decl.trim().strip_prefix("--"))
        .filter_map(|decl| decl.split(':').next())
        .collect();
    assert!(
        names.contains(&"accent") && names.contains(&"text-width"),
        "{names:?}"
    );
    let page = std::fs::read_to_string(docs().join("content/guide/themes.md")).unwrap();
    for name in names {
        assert!(
            page.contains(&format!("`--{name}`")),
            "--{name} is not in themes.md"
        );
    }
    // Dark mode is the same properties: none is set again outside the one block.
    let rest = css.replacen(root, "", 1);
    let print = rest.find("@media print").unwrap();
    assert!(
        !rest[..print].contains("--accent:"),
        "--accent is set twice"
    );
}

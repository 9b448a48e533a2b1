//! Inputs that made a fuzz target fail, kept as regression tests: each file under
//! `tests/fuzz_regressions/<target>/` goes through the same harness as the fuzz target
//! (`tests/suite/support/fuzz.rs`) and must give the outcome listed here. The seed corpus of
//! `fuzz/seeds/` runs through it too, so the harness stays in step with the library.

use crate::support::fuzz;

use std::collections::BTreeSet;
use std::path::Path;

use fuzz::Outcome;

type Harness = fn(&[u8]) -> Outcome;

const TARGETS: [(&str, Harness); 4] = [
    ("frontmatter", fuzz::frontmatter),
    ("yaml_aliases", fuzz::yaml_aliases),
    ("markdown_links", fuzz::markdown_links),
    ("site_build", fuzz::site_build),
];

/// Every regression input: target, file name (what broke), and the outcome it must have now.
const REGRESSIONS: &[(&str, &str, Outcome)] = &[
    // A closing `+++` with no line break after it left the body pointing outside the file.
    (
        "frontmatter",
        "closing-delimiter-at-end-of-file.md",
        Outcome::Accepted,
    ),
    (
        "site_build",
        "closing-delimiter-at-end-of-file.txt",
        Outcome::Accepted,
    ),
    // A quoted value continued on an unindented line: libyaml (the deserializer) reads it,
    // a YAML 1.2 parser did not; the guard now reads the deserializer's own events.
    (
        "yaml_aliases",
        "quoted-value-on-an-unindented-line.yaml",
        Outcome::Accepted,
    ),
    // YAML ends a line at a lone `\r` too: its error positions count lines that way.
    (
        "frontmatter",
        "yaml-lone-carriage-return.md",
        Outcome::Refused,
    ),
];

fn harness(target: &str) -> Harness {
    TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .map(|(_, h)| *h)
        .unwrap_or_else(|| panic!("no fuzz target {target}"))
}

fn files_in(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| entries.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn inputs_that_broke_a_fuzz_target_now_have_a_sensible_outcome() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    for (target, name, expected) in REGRESSIONS {
        let data = std::fs::read(root.join(target).join(name))
            .unwrap_or_else(|e| panic!("{target}/{name}: {e}"));
        assert_eq!(harness(target)(&data), *expected, "{target}/{name}");
    }
    // A file added to the folders must be listed above, with its expected outcome.
    let listed: BTreeSet<String> = REGRESSIONS
        .iter()
        .map(|(target, name, _)| format!("{target}/{name}"))
        .collect();
    for (target, _) in TARGETS {
        for file in files_in(&root.join(target)) {
            let name = file.file_name().unwrap().to_string_lossy();
            assert!(
                listed.contains(&format!("{target}/{name}")),
                "{target}/{name} is not listed in REGRESSIONS"
            );
        }
    }
}

#[test]
fn the_seed_corpus_goes_through_every_target() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    for (target, run) in TARGETS {
        let files = files_in(&seeds.join(target));
        assert!(!files.is_empty(), "no seeds for {target}");
        for file in files {
            let outcome = run(&std::fs::read(&file).unwrap());
            assert_ne!(outcome, Outcome::NotText, "{}", file.display());
        }
    }
}

#[test]
fn whole_site_seeds_build() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/site_build");
    for name in [
        "fixture-good.txt",
        "scaffold.txt",
        "repository.txt",
        "minimal.txt",
    ] {
        let data = std::fs::read(seeds.join(name)).unwrap();
        let text = String::from_utf8(data.clone()).unwrap();
        let (site_toml, files) = fuzz::site_files(&text);
        if let Err(e) = versus::build::render_in_memory(&site_toml, files) {
            panic!("{name}: {e}");
        }
        assert_eq!(fuzz::site_build(&data), Outcome::Accepted, "{name}");
    }
}

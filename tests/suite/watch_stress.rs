//! `versus watch` under a storm of edits: a thousand rapid changes (body and claim edits,
//! broken front matter, files that are not UTF-8, broken links, renames, deletes, new
//! articles and folders), then the output must equal a clean `versus build` of the final
//! files, byte for byte, and the process must not have grown without bound.

use crate::support;

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::{Running, article, clean_build, site, tree, write};

/// Edits in the storm.
const EDITS: usize = 1000;
/// Article slugs the storm plays with (a few exist at the start).
const SLUGS: usize = 24;

/// A small deterministic generator (xorshift), so that a failure can be replayed.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

/// The resident memory of a process, in kB.
fn rss_kb(pid: u32) -> u64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/<pid>/status")
}

fn path_of(slug: usize) -> String {
    format!("content/articles/s{slug}.md")
}

fn valid(slug: usize, dice: &mut Dice) -> String {
    let favors = dice.pick(&["alpha", "beta", "tie", "depends"]);
    let criterion = dice.pick(&["speed", "cost"]);
    let extra = format!(
        "Edit {}.\n\n## Part {}\n\nSee [one](@/articles/one.md) and [speed](@/criteria/speed.md).",
        dice.next(),
        dice.below(5)
    );
    article(&format!("S{slug}"), favors, &extra)
        .replace("[claims.speed]", &format!("[claims.{criterion}]"))
}

fn invalid(dice: &mut Dice) -> Vec<u8> {
    match dice.below(5) {
        0 => b"+++\ntitle = \"Broken\"\nbogus = 1\n+++\n".to_vec(),
        1 => b"+++\ntitle = \n+++\nUnclosed value.\n".to_vec(),
        2 => article(
            "Bad",
            "nobody",
            "A claim for a subject that does not exist.",
        )
        .into_bytes(),
        3 => article("Bad", "alpha", "[gone](@/articles/missing.md)").into_bytes(),
        _ => b"+++\ntitle = \"\xff\xfe\"\n+++\n".to_vec(),
    }
}

/// Performs one random edit on the site; returns what it was.
fn edit(root: &Path, dice: &mut Dice) -> &'static str {
    let slug = dice.below(SLUGS);
    let path = root.join(path_of(slug));
    let exists = path.is_file();
    match dice.below(20) {
        // Valid edits: body only, or front matter and claims too.
        0..=5 if exists => {
            let text = fs::read_to_string(&path).unwrap_or_default();
            let text = match text.rfind("Edit ") {
                Some(at) => format!("{}Edit {}.\n", &text[..at], dice.next()),
                None => valid(slug, dice),
            };
            fs::write(&path, text).unwrap();
            "body"
        }
        0..=9 => {
            write(root, &path_of(slug), &valid(slug, dice));
            "valid"
        }
        10..=12 => {
            fs::write(&path, invalid(dice)).unwrap();
            "invalid"
        }
        13 | 14 if exists => {
            let to = root.join(path_of(dice.below(SLUGS)));
            fs::rename(&path, to).unwrap();
            "rename"
        }
        15 | 16 if exists => {
            fs::remove_file(&path).unwrap();
            "delete"
        }
        // Saved the way many editors do: a temporary file renamed over the page.
        17 => {
            let temporary = root.join(format!("content/articles/.s{slug}.md.tmp"));
            fs::write(&temporary, valid(slug, dice)).unwrap();
            fs::rename(&temporary, &path).unwrap();
            "renamed save"
        }
        // A folder of pages appears or goes.
        18 => {
            let folder = root.join(format!("content/guide{}", dice.below(3)));
            if folder.is_dir() {
                fs::remove_dir_all(&folder).unwrap();
                "folder deleted"
            } else {
                write(
                    &folder,
                    "_index.md",
                    "+++\ntitle = \"Guide\"\n+++\nA section.\n",
                );
                write(
                    &folder,
                    "page.md",
                    "+++\ntitle = \"Page\"\n+++\n[up](@/articles/one.md)\n",
                );
                "folder created"
            }
        }
        _ => {
            write(
                root,
                "content/criteria/cost.md",
                &format!("+++\ntitle = \"Cost\"\n+++\nSynthesis {}.\n", dice.next()),
            );
            "criterion"
        }
    }
}

/// Rewrites every article of the storm that is not valid now, so that the site builds;
/// returns how many.
fn repair(root: &Path, dice: &mut Dice) -> usize {
    let mut repaired = 0;
    for slug in 0..SLUGS {
        let path = root.join(path_of(slug));
        let Ok(bytes) = fs::read(&path) else { continue };
        let text = String::from_utf8(bytes).unwrap_or_default();
        if !text.contains("Edit ") {
            fs::write(&path, valid(slug, dice)).unwrap();
            repaired += 1;
        }
    }
    repaired
}

#[test]
fn a_thousand_rapid_edits_end_equal_to_a_clean_build_without_growing_memory() {
    let _serial = support::one_at_a_time();
    let started = Instant::now();
    let dir = site();
    let root = dir.path().join("site");
    let out = dir.path().join("out");
    let mut dice = Dice(0x5eed_1234_abcd_0001);
    for slug in 0..SLUGS / 3 {
        write(&root, &path_of(slug), &valid(slug, &mut dice));
    }
    // A large page that every full rebuild renders again: memory kept per rebuild would
    // show at once.
    let paragraph = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(16);
    write(
        &root,
        "content/articles/big.md",
        &article("Big", "beta", &format!("{paragraph}\n\n").repeat(500)),
    );
    let mut watch = Running::start(&[
        "watch",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    watch.wait_for("watching");
    // Settle the allocator with a few rebuilds before taking the baseline.
    for _ in 0..5 {
        write(&root, &path_of(0), &valid(0, &mut dice));
        watch.wait_for("rebuilt after");
    }
    let rss_start = rss_kb(watch.pid());
    let lines_before = watch.drain().len();

    let mut kinds = std::collections::BTreeMap::<&str, usize>::new();
    let mut rss_half = 0;
    let mut repaired = 0;
    for i in 0..EDITS {
        *kinds.entry(edit(&root, &mut dice)).or_default() += 1;
        // Bursts of edits with short pauses between them, so that rebuilds overlap edits;
        // half of the bursts end with the broken files fixed, so that rebuilds also succeed.
        if dice.below(4) == 0 {
            if dice.below(2) == 0 {
                repaired += repair(&root, &mut dice);
            }
            std::thread::sleep(Duration::from_millis(dice.below(25) as u64));
        }
        if i == EDITS / 2 {
            rss_half = rss_kb(watch.pid());
        }
    }
    repaired += repair(&root, &mut dice);
    let storm = started.elapsed();

    // The final files build, and the watcher's output ends equal to that build.
    let clean = clean_build(&root, &dir.path().join("clean"), None);
    let expected = tree(&clean);
    let deadline = Instant::now() + support::PATIENCE;
    while tree(&out) != expected {
        if Instant::now() > deadline {
            let lines = watch.drain();
            let last = &lines[lines.len().saturating_sub(20)..];
            panic!(
                "the output never equalled a clean build; last lines:\n{}",
                last.join("\n")
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    // And stays equal once every event is handled.
    std::thread::sleep(Duration::from_secs(1));
    support::assert_same_tree(&out, &clean);
    let rss_end = rss_kb(watch.pid());
    let site_bytes: usize = expected.values().map(Vec::len).sum();
    let lines = &watch.drain()[lines_before..];
    let rebuilds = lines.iter().filter(|l| l.contains("rebuilt after")).count();
    let failures = lines
        .iter()
        .filter(|l| l.contains("rebuild failed"))
        .count();

    eprintln!(
        "{EDITS} edits ({kinds:?}) and {repaired} repairs in {storm:?}: {rebuilds} rebuilds, \
         {failures} failed; output {site_bytes} bytes; RSS {rss_start} kB after the first builds, {rss_half} kB halfway, {rss_end} kB at the end"
    );
    // The output is about 1 MB (the large page and the search index that holds its text),
    // and the storm makes dozens of rebuilds: keeping anything of the size of the output per
    // rebuild (old outputs, sources, rendered pages) would add tens of megabytes. What may
    // grow is allocator slack, which settles within a few megabytes whatever the number of
    // rebuilds; the bounds leave room for that, and for the rayon pool of larger machines.
    assert!(
        rss_end <= rss_start + 16 * 1024,
        "RSS grew from {rss_start} kB to {rss_end} kB over the storm"
    );
    assert!(
        rss_end <= rss_half + 8 * 1024,
        "RSS still grows in the second half: {rss_half} kB -> {rss_end} kB"
    );
}

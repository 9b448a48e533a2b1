//! The bad-input suite: one table of cases across content, config, templates and the file
//! system, each run through the real `versus` binary on a copy of the good fixture that has
//! already been built once. Every case checks the same promises (see `harness`): the exit
//! status, no panic or hang, a message naming the file (and line where there is one), the
//! previous output byte for byte, and nothing written outside the output folder.

mod config;
mod content;
mod drafts;
mod filesystem;
mod harness;
mod links;
mod templates;
mod together;

use std::collections::BTreeSet;
use std::sync::Mutex;

use harness::{Case, Category};

fn all_cases() -> Vec<Case> {
    let mut cases = content::cases();
    cases.extend(config::cases());
    cases.extend(drafts::cases());
    cases.extend(templates::cases());
    cases.extend(filesystem::cases());
    cases.extend(links::cases());
    cases.extend(together::cases());
    cases
}

#[test]
fn the_table_covers_every_category_with_distinct_cases() {
    let cases = all_cases();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let names: BTreeSet<&str> = cases.iter().map(|c| c.name).collect();
    assert_eq!(names.len(), cases.len(), "case names repeat");
    for category in [
        Category::Content,
        Category::Config,
        Category::Templates,
        Category::FileSystem,
    ] {
        let count = cases.iter().filter(|c| c.category == category).count();
        assert!(count >= 5, "{category:?} has only {count} cases");
    }
}

#[test]
fn every_bad_input_fails_cleanly_or_builds() {
    let _serial = crate::support::one_at_a_time();
    let cases = all_cases();
    let next = Mutex::new(0..cases.len());
    let problems = Mutex::new(Vec::new());
    // The machine may have few cores; cases mostly wait on the child process.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let Some(i) = next.lock().unwrap().next() else {
                        break;
                    };
                    let found = harness::run(&cases[i]);
                    if !found.is_empty() {
                        problems.lock().unwrap().push(found.join("\n"));
                    }
                }
            });
        }
    });
    let problems = problems.into_inner().unwrap();
    assert!(
        problems.is_empty(),
        "{} of {} cases misbehaved:\n\n{}",
        problems.len(),
        cases.len(),
        problems.join("\n\n")
    );
}

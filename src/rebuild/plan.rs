//! What a rebuild must do, decided from what changed and what the last good build left: a
//! pure function, so each rule is a row of a table test. The session carries the plan out
//! and falls back to a costlier one whenever the cheaper one cannot vouch for its result.

use super::Changes;
use crate::content::Collection;
use crate::render::pages::What;

/// How a content file changed since the last good build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// Not a page before nor now (an editor's backup or swap file).
    Ignored,
    /// Only its Markdown body changed: same front matter, body on the same line.
    Body,
    /// An article before and after whose front matter changed (and perhaps its body).
    Article,
    /// Anything else: new, deleted, or its front matter changed.
    Other,
}

/// What the last good build left that a rebuild can start from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct State {
    /// A full render is kept (the first build, or one after `site.toml` changed, has none).
    pub kept: bool,
    /// Some content files could not be read: only reading all again can clear them.
    pub read_errors: bool,
}

/// What to rebuild, cheapest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// Re-render the pages of the edited bodies.
    Bodies,
    /// Patch the kept model with the edited articles (each validated on its own) and
    /// re-render the pages that can show what changed ([`check`] picks them).
    Articles,
    /// Rebuild the model from the changed files and re-render the pages whose inputs changed.
    Content,
    /// Re-render the pages whose templates changed, and swap in the new static files.
    Theme,
    /// Only shortcode templates changed: re-render the bodies that call them and the pages
    /// that show those bodies; the static files stay.
    Shortcodes,
    /// Read and render everything.
    Full,
}

/// The cheapest plan that can bring the output up to date after `changes` (every change
/// since the last good build), given per changed content file how it changed.
pub fn plan(changes: &Changes, state: State, edits: &[Edit]) -> Plan {
    if changes.config || changes.archive || !state.kept || changes.rescan || state.read_errors {
        return Plan::Full;
    }
    if changes.theme || changes.shortcodes {
        return if !changes.content.is_empty() {
            Plan::Full
        } else if changes.theme {
            Plan::Theme
        } else {
            Plan::Shortcodes
        };
    }
    if edits
        .iter()
        .all(|e| matches!(e, Edit::Ignored | Edit::Body))
    {
        Plan::Bodies
    } else if edits
        .iter()
        .all(|e| matches!(e, Edit::Ignored | Edit::Body | Edit::Article))
    {
        Plan::Articles
    } else {
        Plan::Content
    }
}

/// What patching articles in place changed (see [`Plan::Articles`]), as far as which pages
/// can show it goes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Patched {
    /// The positions of the edited articles (each kept its place).
    pub articles: Vec<usize>,
    /// Per criterion whose claims changed: `None` when what all its pages show changed (its
    /// tally, consensus or number of claims), else the numbers of the pages that list the
    /// changed claims.
    pub rows: Vec<(usize, Option<Vec<usize>>)>,
    /// Articles whose claims moved to another page of their criterion's list.
    pub moved: Vec<usize>,
    /// Edited articles whose title changed: their neighbours' pages link to them by it.
    pub retitled: Vec<usize>,
    /// Bodies rendered again because they show the model through a shortcode.
    pub reshown: Vec<Shown>,
    /// Items per list page.
    pub per_page: usize,
}

/// A body that shows on a page of its own kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shown {
    Article(usize),
    Criterion(usize),
    ListIntro(Collection),
    /// The home page's, a subject's, a section's or a page's: their pages are checked anyway.
    Other,
}

/// Whether the page showing `what` may have changed after `patched`, and so must have its
/// fingerprint compared (pages whose template reads a changed global are rendered again
/// besides). The pages of which there is one per article, criterion page or list page are
/// picked by what changed; the few others are always compared; the sitemap and feed read
/// only the pages' paths and dates and the newest article date, which a patch leaves alone.
pub(crate) fn check(patched: &Patched, what: What) -> bool {
    let p = patched;
    match what {
        What::Article(i) => {
            p.articles.contains(&i)
                || p.moved.contains(&i)
                || p.retitled.iter().any(|&t| t + 1 == i || i + 1 == t)
                || p.reshown.contains(&Shown::Article(i))
        }
        What::Criterion(c, n) => {
            p.reshown.contains(&Shown::Criterion(c))
                || p.rows
                    .iter()
                    .any(|(row, pages)| *row == c && pages.as_ref().is_none_or(|l| l.contains(&n)))
        }
        What::List(Collection::Articles, n) => {
            p.reshown.contains(&Shown::ListIntro(Collection::Articles))
                || p.articles.iter().any(|i| i / p.per_page.max(1) + 1 == n)
        }
        What::SiteFile => false,
        What::List(..)
        | What::Home
        | What::Subject(_)
        | What::Section(_)
        | What::Page(_)
        | What::Search
        | What::NotFound => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes(what: &str) -> Changes {
        let mut c = Changes::default();
        for part in what.split_whitespace() {
            match part {
                "config" => c.config = true,
                "theme" => c.theme = true,
                "shortcodes" => c.shortcodes = true,
                "rescan" => c.rescan = true,
                "archive" => c.archive = true,
                file => {
                    c.content.insert(file.to_string());
                }
            }
        }
        c
    }

    #[test]
    fn plans_the_cheapest_rebuild_that_can_vouch_for_its_result() {
        use Edit::{Article, Body, Ignored, Other};
        use Plan::{Articles, Bodies, Content, Full, Shortcodes, Theme};
        let fine = State {
            kept: true,
            read_errors: false,
        };
        let none_kept = State {
            kept: false,
            ..fine
        };
        let unreadable = State {
            read_errors: true,
            ..fine
        };
        let table: [(&str, State, &[Edit], Plan); 29] = [
            ("a.md", fine, &[Article], Articles),
            ("a.md b.md", fine, &[Article, Body], Articles),
            ("a.md b.md", fine, &[Article, Other], Content),
            ("a.md a.md~", fine, &[Article, Ignored], Articles),
            ("theme a.md", fine, &[Article], Full),
            ("a.md", fine, &[Body], Bodies),
            ("a.md b.md", fine, &[Body, Body], Bodies),
            ("a.md a.md~", fine, &[Body, Ignored], Bodies),
            ("a.md~", fine, &[Ignored], Bodies),
            ("a.md", fine, &[Other], Content),
            ("a.md b.md", fine, &[Body, Other], Content),
            ("theme", fine, &[], Theme),
            ("theme a.md", fine, &[Body], Full),
            ("theme rescan", fine, &[], Full),
            ("config", fine, &[], Full),
            ("config a.md", fine, &[Body], Full),
            ("config theme", fine, &[], Full),
            ("rescan", fine, &[], Full),
            ("archive", fine, &[], Full),
            ("archive a.md", fine, &[Body], Full),
            ("a.md", none_kept, &[Body], Full),
            ("theme", none_kept, &[], Full),
            ("a.md", unreadable, &[Body], Full),
            ("shortcodes", fine, &[], Shortcodes),
            ("shortcodes theme", fine, &[], Theme),
            ("shortcodes a.md", fine, &[Body], Full),
            ("shortcodes config", fine, &[], Full),
            ("shortcodes", none_kept, &[], Full),
            ("shortcodes", unreadable, &[], Full),
        ];
        for (what, state, edits, expected) in table {
            assert_eq!(
                plan(&changes(what), state, edits),
                expected,
                "{what} {state:?} {edits:?}"
            );
        }
        assert_eq!(plan(&changes("theme"), unreadable, &[]), Full);
    }

    #[test]
    fn a_patch_checks_the_pages_that_can_show_what_changed() {
        use Collection::{Articles, Criteria, Subjects};
        let patched = Patched {
            articles: vec![120],
            rows: vec![(2, None), (5, Some(vec![3]))],
            moved: vec![700],
            retitled: vec![],
            reshown: vec![Shown::Criterion(7), Shown::Other],
            per_page: 50,
        };
        let intro = Patched {
            reshown: vec![Shown::ListIntro(Articles), Shown::Article(9)],
            ..Patched::default()
        };
        let table: [(&Patched, What, bool); 24] = [
            (&patched, What::Article(120), true),
            (&patched, What::Article(121), false),
            (&patched, What::Article(119), false),
            (&patched, What::Article(700), true),
            (&patched, What::Criterion(2, 1), true),
            (&patched, What::Criterion(2, 9), true),
            (&patched, What::Criterion(5, 3), true),
            (&patched, What::Criterion(5, 2), false),
            (&patched, What::Criterion(7, 4), true),
            (&patched, What::Criterion(0, 1), false),
            (&patched, What::List(Articles, 3), true),
            (&patched, What::List(Articles, 2), false),
            (&patched, What::List(Criteria, 1), true),
            (&patched, What::List(Subjects, 1), true),
            (&patched, What::Home, true),
            (&patched, What::Subject(1), true),
            (&patched, What::Section(0), true),
            (&patched, What::Page(3), true),
            (&patched, What::Search, true),
            (&patched, What::NotFound, true),
            (&patched, What::SiteFile, false),
            (&intro, What::List(Articles, 7), true),
            (&intro, What::Article(9), true),
            (&intro, What::Article(8), false),
        ];
        for (patched, what, expected) in table {
            assert_eq!(check(patched, what), expected, "{what:?} {patched:?}");
        }
        // A new title shows on the neighbours' pages (their previous and next links).
        let retitled = Patched {
            articles: vec![50],
            retitled: vec![50],
            ..Patched::default()
        };
        for (i, expected) in [(48, false), (49, true), (50, true), (51, true), (52, false)] {
            assert_eq!(check(&retitled, What::Article(i)), expected, "article {i}");
        }
        assert!(
            !check(&patched, What::Article(121)),
            "no title changed there"
        );
    }
}

//! What a rebuild must do, decided from what changed and what the last good build left: a
//! pure function, so each rule is a row of a table test. The session carries the plan out
//! and falls back to a costlier one whenever the cheaper one cannot vouch for its result.

use super::Changes;

/// How a content file changed since the last good build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// Not a page before nor now (an editor's backup or swap file).
    Ignored,
    /// Only its Markdown body changed: same front matter, body on the same line.
    Body,
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
    } else {
        Plan::Content
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
        use Edit::{Body, Ignored, Other};
        use Plan::{Bodies, Content, Full, Shortcodes, Theme};
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
        let table: [(&str, State, &[Edit], Plan); 24] = [
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
}

//! The evidence fields of a digest (DESIGN.md's "Article digest" and "Evidence"): its column
//! label, its stake and disclosure, its archived copy, and each claim's quote, checked
//! against that copy when the archive folder is there.

use super::Stake;
use crate::content::Document;
use crate::content::raw::RawArticle;
use crate::error::Diagnostic;
use crate::evidence::{Archive, Problem, quote};

/// A column label longer than this does not fit a matrix column.
pub(super) const MAX_LABEL: usize = 24;

/// The checked label, stake, archive name and archive URL of a digest; problems go to
/// `errors`. `subject` finds a subject's index by id (`Err` with the message when unknown,
/// `Ok(None)` for a subject whose file failed to parse).
pub(super) fn fields(
    d: &Document<RawArticle>,
    subject: impl Fn(&str) -> Result<Option<usize>, String>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Stake> {
    let raw = &d.raw;
    if let Some(label) = &raw.label {
        let length = label.trim().chars().count();
        if length == 0 || length > MAX_LABEL || label.contains('\n') {
            errors.push(d.error_at(
                &["label"],
                format!(
                    "label must be one short line of 1 to {MAX_LABEL} characters (it heads \
                     the article's matrix column); this one has {length}"
                ),
            ));
        }
    }
    if let Some(name) = &raw.archive
        && !is_copy_name(name)
    {
        errors.push(d.error_at(
            &["archive"],
            format!(
                "archive `{name}` must be a file name in the archive folder, like devto.txt \
                 or 2023/devto.html (no `..`, no leading `/`)"
            ),
        ));
    }
    if let Some(url) = &raw.archive_url
        && let Err(m) = super::validate::check_web_url(url)
    {
        errors.push(d.error_at(&["archive_url"], m));
    }
    let disclosure = raw.disclosure.as_deref().map(str::trim);
    if let Some(text) = disclosure
        && (text.is_empty() || text.contains('\n'))
    {
        errors.push(d.error_at(
            &["disclosure"],
            "disclosure must be one line saying what the publisher's tie is",
        ));
    }
    let id = raw.stake.as_deref()?;
    let subject = match subject(id) {
        Ok(found) => found,
        Err(m) => {
            errors.push(d.error_at(&["stake"], format!("stake: {m}")));
            None
        }
    };
    let Some(disclosure) = disclosure else {
        errors.push(d.error_at(
            &["stake"],
            "a stake needs its disclosure: add disclosure = \"…\" saying, in one line, what \
             the publisher's tie to this subject is",
        ));
        return None;
    };
    Some(Stake {
        subject: subject?,
        disclosure: disclosure.to_string(),
    })
}

/// A claim's quote, and whether it was verified against the article's archived copy.
/// Problems (too long, not in the copy, no copy to check it against) go to `errors`.
pub(super) fn quote(
    d: &Document<RawArticle>,
    criterion: &str,
    archive: Option<&Archive>,
    errors: &mut Vec<Diagnostic>,
) -> (Option<String>, bool) {
    let Some(text) = d.raw.claims.get(criterion).and_then(|c| c.quote.clone()) else {
        return (None, false);
    };
    let at = ["claims", criterion, "quote"];
    let words = quote::word_count(&text);
    if words == 0 || words > quote::MAX_WORDS {
        errors.push(d.error_at(
            &at,
            format!(
                "a quote has 1 to {} words of the article; this one has {words}: quote less, \
                 and say the rest in the note",
                quote::MAX_WORDS
            ),
        ));
        return (None, false);
    }
    let Some(archive) = archive else {
        return (Some(text), false);
    };
    let Some(name) = d.raw.archive.as_deref().filter(|n| is_copy_name(n)) else {
        if d.raw.archive.is_none() {
            errors.push(d.error_at(
                &at,
                "this quote cannot be verified: the article names no archived copy; add \
                 archive = \"<file>\" naming its copy in the archive folder",
            ));
        }
        return (Some(text), false);
    };
    match archive.verify(name, &text) {
        Ok(()) => (Some(text), true),
        // Reported once per article, by `copy`.
        Err(Problem::NoCopy | Problem::Unreadable(_)) => (Some(text), false),
        Err(Problem::NotFound(closest)) => {
            errors.push(d.error_at(
                &at,
                archive.not_found_message(name, &text, closest.as_deref()),
            ));
            (Some(text), false)
        }
    }
}

/// With an archive folder, the article's `archive` must name a readable copy in it.
pub(super) fn copy(
    d: &Document<RawArticle>,
    archive: Option<&Archive>,
    errors: &mut Vec<Diagnostic>,
) {
    let (Some(archive), Some(name)) = (archive, d.raw.archive.as_deref()) else {
        return;
    };
    if !is_copy_name(name) {
        return;
    }
    match archive.copy(name).map(|_| ()) {
        Err(Problem::NoCopy) => {
            let names = archive.names(5);
            let known = if names.is_empty() {
                "it is empty".to_string()
            } else {
                format!("it has {}", names.join(", "))
            };
            errors.push(d.error_at(
                &["archive"],
                format!(
                    "archived copy `{name}` not found in the archive folder {} ({known}): \
                     add the copy there or correct the name",
                    archive.display.display()
                ),
            ));
        }
        Err(Problem::Unreadable(why)) => errors.push(d.error_at(
            &["archive"],
            format!("the archived copy `{name}` cannot be read: {why}"),
        )),
        Ok(()) | Err(Problem::NotFound(_)) => {}
    }
}

/// A relative path inside the archive folder.
fn is_copy_name(name: &str) -> bool {
    !name.trim().is_empty()
        && !name.starts_with(['/', '\\'])
        && !name.contains(':')
        && name
            .split(['/', '\\'])
            .all(|part| part != ".." && !part.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_names_stay_inside_the_folder() {
        assert!(is_copy_name("devto.txt"));
        assert!(is_copy_name("2023/devto.html"));
        assert!(!is_copy_name("../secret.txt"));
        assert!(!is_copy_name("/etc/passwd"));
        assert!(!is_copy_name("a//b"));
        assert!(!is_copy_name("C:\\x"));
        assert!(!is_copy_name(" "));
    }
}

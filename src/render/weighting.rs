//! The reader's weighting on the home page (DESIGN.md, "The reader's weighting"): the compact
//! dataset the theme's script recomputes the standings from, with every claim of every
//! criterion (not only the matrix's shown columns).
//!
//! Shape, as JSON: `{"subjects": [id…], "criteria": [[id, title, verdicts]…], "sources":
//! [[slug] or [slug, label] or [slug, label or null, stake]…]}`: the label only when it is
//! not the slug in words (`some-slug` → `Some slug`), as it often is when publishers repeat.
//! `verdicts` has one character per source, in article order: `.` for no claim, else the character whose code is 48 + the verdict's code
//! (a subject's index, then `tie` = subjects, `depends` = subjects + 1). One byte per source
//! and criterion keeps a site of 10,000 sources in a few hundred kilobytes that gzip well;
//! `stake` is a subject index.

use serde::Serialize;
use serde_json::{Value, json};

use crate::model::{Article, Site, Verdict};

/// The subject (an index into the site's subjects) that `article`'s publisher has a
/// commercial tie to.
pub(super) fn source_stake(article: &Article) -> Option<usize> {
    article.stake.as_ref().map(|s| s.subject)
}

/// How many sources have a stake.
pub(super) fn staked(site: &Site) -> usize {
    site.articles
        .iter()
        .filter(|a| source_stake(a).is_some())
        .count()
}

/// A slug in words, as the script derives a missing label: `some-slug` → `Some slug`.
fn slug_words(slug: &str) -> String {
    let mut chars = slug.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_ascii_uppercase()
            .to_string()
            .chars()
            .chain(chars)
            .map(|c| if c == '-' { ' ' } else { c })
            .collect()
    })
}

/// One verdict's code (see the module's doc).
fn code(verdict: Verdict, subjects: usize) -> usize {
    match verdict {
        Verdict::Subject(i) => i,
        Verdict::Tie => subjects,
        Verdict::Depends => subjects + 1,
    }
}

/// Sources at most for the dataset to be inline in the home page (a few tens of kilobytes);
/// a larger site's home page has the script fetch `weighting.json` when the reader first
/// weighs, so that it stays small (98 KB at 100,000 sources, against 5.6 MB inline).
pub(crate) const INLINE_SOURCES: usize = 1000;

/// The dataset for the home page to carry inline, or nothing when it has more than
/// [`INLINE_SOURCES`] sources (the script then reads `weighting.json`).
pub(super) fn inline(site: &Site, columns: &[String]) -> String {
    if site.articles.len() > INLINE_SOURCES {
        String::new()
    } else {
        dataset(site, columns)
    }
}

/// The dataset as JSON text, safe inside `<script type="application/json">` (no `<`).
pub(super) fn dataset(site: &Site, columns: &[String]) -> String {
    let n = site.subjects.len();
    let mut verdicts: Vec<Vec<char>> = site
        .criteria
        .iter()
        .map(|_| vec!['.'; site.articles.len()])
        .collect();
    for (a, article) in site.articles.iter().enumerate() {
        for claim in &article.claims {
            let c = u32::try_from(48 + code(claim.favors, n)).ok();
            verdicts[claim.criterion][a] = c.and_then(char::from_u32).unwrap_or('.');
        }
    }
    let criteria: Vec<Value> = site
        .criteria
        .iter()
        .zip(verdicts)
        .map(|(c, v)| json!([c.id, c.title, v.into_iter().collect::<String>()]))
        .collect();
    let sources: Vec<Value> = site
        .articles
        .iter()
        .zip(columns)
        .map(|(a, label)| {
            // The label is left out (null) when the script can derive it from the slug.
            let label = (*label != slug_words(&a.slug)).then_some(label);
            match (source_stake(a), label) {
                (Some(s), label) => json!([a.slug, label, s]),
                (None, Some(label)) => json!([a.slug, label]),
                (None, None) => json!([a.slug]),
            }
        })
        .collect();
    let data = Data {
        subjects: site.subjects.iter().map(|s| s.id.as_str()).collect(),
        criteria,
        sources,
    };
    serde_json::to_string(&data)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

#[derive(Serialize)]
struct Data<'a> {
    subjects: Vec<&'a str>,
    criteria: Vec<Value>,
    sources: Vec<Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_put_subjects_first_then_tie_and_depends() {
        assert_eq!(code(Verdict::Subject(2), 3), 2);
        assert_eq!(code(Verdict::Tie, 3), 3);
        assert_eq!(code(Verdict::Depends, 3), 4);
    }

    #[test]
    fn a_slug_in_words_capitalises_and_spaces() {
        assert_eq!(
            slug_words("celadonsoft-comparison"),
            "Celadonsoft comparison"
        );
        assert_eq!(slug_words("a"), "A");
        assert_eq!(slug_words(""), "");
    }
}

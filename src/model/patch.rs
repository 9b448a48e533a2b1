//! A model brought up to date after edits to articles that keep their place and their
//! links to the rest of the site: each edited article is validated on its own against the
//! site it belongs to, and the matrix derived again. What [`super::build`] would make from
//! every file, for the cost of the edited ones; `None` whenever that cannot be vouched for
//! (the caller then builds the model whole).

use super::validate::{self, Ids};
use super::{Article, Site, matrix};
use crate::content::raw::RawArticle;
use crate::content::{Collection, Document, KnownIds};
use crate::evidence::Archive;

/// The new value of an edited article and its position in `site.articles`: `None` when it
/// is not an article of `site`, has an error (a full build reports it), would move (its
/// date changed its place in the article order), or changed what other files of the site
/// depend on besides its title, summary, claims, leaning and body (its publisher, label,
/// stake, dates, addresses, draft state or aliases).
pub fn article(
    site: &Site,
    doc: Document<RawArticle>,
    archive: Option<&Archive>,
) -> Option<(usize, Article)> {
    let at = place(site, &doc)?.ok()?;
    let old = &site.articles[at];
    let url = old.url_path();
    if site.drafts.shows(&url) || site.aliases.iter().any(|a| a.to == url) {
        return None;
    }
    let new = validated(site, doc, archive)?;
    same_frame(old, &new).then_some((at, new))
}

/// A new article (its file was not there before) with the position it takes in
/// `site.articles`: `None` when it has an error, is a draft, has aliases, or its slug is
/// taken (a full build reports whatever is wrong).
pub fn new_article(
    site: &Site,
    doc: Document<RawArticle>,
    archive: Option<&Archive>,
) -> Option<(usize, Article)> {
    let at = place(site, &doc)?.err()?;
    if site.articles.iter().any(|a| a.slug == doc.id) {
        return None;
    }
    validated(site, doc, archive).map(|new| (at, new))
}

/// Where `doc` is in the article order of `site` (`Ok`: the article already there, `Err`:
/// where it would go); `None` when only a full build can take it (a draft, aliases, or
/// drafts that shape claims).
fn place(site: &Site, doc: &Document<RawArticle>) -> Option<Result<usize, usize>> {
    if doc.raw.draft || !doc.raw.aliases.is_empty() || drafts_shape_claims(site) {
        return None;
    }
    Some(
        site.articles
            .binary_search_by(|a| order(a).cmp(&order_raw(doc))),
    )
}

/// `doc` validated on its own against `site`'s subjects and criteria: `None` on any error.
fn validated(site: &Site, doc: Document<RawArticle>, archive: Option<&Archive>) -> Option<Article> {
    let known = KnownIds {
        subjects: site.subjects.iter().map(|s| s.id.clone()).collect(),
        criteria: site.criteria.iter().map(|c| c.id.clone()).collect(),
    };
    let ids = Ids::new(&site.subjects, &site.criteria, &known);
    let mut errors = Vec::new();
    let new = validate::article(doc, &ids, archive, &mut errors)?;
    errors.is_empty().then_some(new)
}

/// Whether drafts change an article's claims or make references errors (a draft subject or
/// criterion left out): then only the whole build can tell.
fn drafts_shape_claims(site: &Site) -> bool {
    let dirs = [Collection::Subjects.dir(), Collection::Criteria.dir()];
    site.drafts
        .left_out
        .values()
        .any(|d| dirs.iter().any(|dir| d.url.starts_with(&format!("{dir}/"))))
}

/// The article order's key (see `validate::sorted_articles`).
fn order(a: &Article) -> (bool, Option<crate::content::raw::Date>, &str) {
    (a.published.is_none(), a.published, &a.slug)
}

fn order_raw(d: &Document<RawArticle>) -> (bool, Option<crate::content::raw::Date>, &str) {
    (d.raw.published.is_none(), d.raw.published, &d.id)
}

/// Whether `new` differs from `old` only in its title, summary, claims, leaning and body
/// (the pages that show a title are those that show its summary or claims, and the
/// neighbours' previous and next links: see `rebuild::plan::check`).
fn same_frame(old: &Article, new: &Article) -> bool {
    fn frame(a: &Article) -> impl PartialEq + '_ {
        (
            &a.slug,
            &a.publisher,
            &a.author,
            a.published,
            &a.url,
            &a.label,
            &a.stake,
            &a.disclosure,
            (&a.archive, a.retrieved, &a.archive_url),
        )
    }
    frame(old) == frame(new)
}

/// `site` with the articles at `edited` positions replaced and the matrix derived again.
pub fn apply(site: &mut Site, edited: Vec<(usize, Article)>) {
    for (at, article) in edited {
        site.articles[at] = article;
    }
    site.matrix = matrix::derive(&site.subjects, &site.criteria, &site.articles);
}

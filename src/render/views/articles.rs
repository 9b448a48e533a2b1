//! Articles, in summary and on their own pages, as templates see them.

use serde::ser::SerializeStruct;

use super::*;

/// An article as lists see it (global `articles`, feeds, list pages, matrix columns).
#[derive(Debug)]
pub(crate) struct ArticleSummary<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub publisher: &'a str,
    /// The article's matrix column label: its `label`, else the publisher (with the year,
    /// or a number, when another article has the same publisher).
    pub column: String,
    /// The publisher's stake, when it has one.
    pub stake: Option<StakeView<'a>>,
    /// The publisher's disclosure (with its stake, or alone).
    pub disclosure: Option<&'a str>,
    /// When the archived copy was taken, and a public archived copy, when known.
    pub retrieved: Option<String>,
    pub retrieved_human: Option<String>,
    pub archive_url: Option<&'a str>,
    /// How many of its quotes were verified against its archived copy.
    pub verified_quotes: usize,
    pub author: Option<&'a str>,
    pub published: Option<String>,
    pub published_human: Option<String>,
    pub source_url: Option<&'a str>,
    /// The host part of `source_url` (`example.com`), to show beside the link.
    pub source_host: Option<&'a str>,
    pub url: String,
    pub summary: &'a str,
    pub leaning: Reused<VerdictView<'a>>,
    /// How many claims it makes.
    pub claim_count: usize,
}

impl ArticleSummary<'_> {
    const FIELDS: usize = 19;

    /// Its fields, written by hand rather than derived so that [`ArticleView`] can add its
    /// own to the same struct: `#[serde(flatten)]` would make it a map, whose keys Tera
    /// copies one by one into a table it grows as it goes.
    /// The pattern names every field, so that a field added to the struct and not here does
    /// not compile.
    fn serialize_fields<S: SerializeStruct>(&self, s: &mut S) -> Result<(), S::Error> {
        let ArticleSummary {
            slug,
            title,
            publisher,
            column,
            stake,
            disclosure,
            retrieved,
            retrieved_human,
            archive_url,
            verified_quotes,
            author,
            published,
            published_human,
            source_url,
            source_host,
            url,
            summary,
            leaning,
            claim_count,
        } = self;
        s.serialize_field("slug", slug)?;
        s.serialize_field("title", title)?;
        s.serialize_field("publisher", publisher)?;
        s.serialize_field("column", column)?;
        s.serialize_field("stake", stake)?;
        s.serialize_field("disclosure", disclosure)?;
        s.serialize_field("retrieved", retrieved)?;
        s.serialize_field("retrieved_human", retrieved_human)?;
        s.serialize_field("archive_url", archive_url)?;
        s.serialize_field("verified_quotes", verified_quotes)?;
        s.serialize_field("author", author)?;
        s.serialize_field("published", published)?;
        s.serialize_field("published_human", published_human)?;
        s.serialize_field("source_url", source_url)?;
        s.serialize_field("source_host", source_host)?;
        s.serialize_field("url", url)?;
        s.serialize_field("summary", summary)?;
        s.serialize_field("leaning", leaning)?;
        s.serialize_field("claim_count", claim_count)
    }
}

impl Serialize for ArticleSummary<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("ArticleSummary", Self::FIELDS)?;
        self.serialize_fields(&mut s)?;
        s.end()
    }
}

/// An article's own page (`page`): its summary's fields and these.
#[derive(Debug)]
pub(crate) struct ArticleView<'a> {
    pub summary: ArticleSummary<'a>,
    pub claims: Vec<ClaimView<'a>>,
    /// The ids of the criteria it takes a position on.
    pub claimed: Vec<&'a str>,
    /// The criteria it takes no position on, in criterion order.
    pub unclaimed: Vec<Reused<NavLink>>,
    pub content: &'a str,
    pub toc: &'a [Heading],
}

impl Serialize for ArticleView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("ArticleView", ArticleSummary::FIELDS + 5)?;
        self.summary.serialize_fields(&mut s)?;
        s.serialize_field("claims", &self.claims)?;
        s.serialize_field("claimed", &self.claimed)?;
        s.serialize_field("unclaimed", &self.unclaimed)?;
        s.serialize_field("content", self.content)?;
        s.serialize_field("toc", self.toc)?;
        s.end()
    }
}

impl<'a> Views<'a> {
    pub(crate) fn article_summary(&self, i: usize, form: Form) -> ArticleSummary<'a> {
        let a = &self.site.articles[i];
        ArticleSummary {
            slug: &a.slug,
            title: &a.title,
            publisher: &a.publisher,
            column: self.columns[i].clone(),
            stake: self.stake(i, form),
            disclosure: a.disclosure.as_deref(),
            retrieved: a.retrieved.map(|d| d.to_string()),
            retrieved_human: a.retrieved.map(|d| human_date(d.year, d.month, d.day)),
            archive_url: a.archive_url.as_deref(),
            verified_quotes: a.claims.iter().filter(|c| c.verified).count(),
            author: a.author.as_deref(),
            published: a.published.map(|d| d.to_string()),
            published_human: a.published.map(|d| human_date(d.year, d.month, d.day)),
            source_url: a.url.as_deref(),
            source_host: a
                .url
                .as_deref()
                .map(|u| u.split('/').nth(2).unwrap_or_default()),
            url: self.url(&a.url_path()),
            summary: &a.summary,
            leaning: self.shared_verdict(a.leaning, form),
            claim_count: a.claims.len(),
        }
    }

    /// Article `i`'s own page.
    pub(crate) fn article(&self, i: usize, form: Form) -> ArticleView<'a> {
        let site = self.site;
        let a = &site.articles[i];
        let body = &self.bodies.articles[i];
        let claims: Vec<ClaimView<'a>> = (0..a.claims.len())
            .map(|c| self.claim(i, c, form))
            .collect();
        let claimed: Vec<&str> = a
            .claims
            .iter()
            .map(|c| site.criteria[c.criterion].id.as_str())
            .collect();
        ArticleView {
            summary: self.article_summary(i, form),
            unclaimed: (0..site.criteria.len())
                .filter(|c| !a.claims.iter().any(|claim| claim.criterion == *c))
                .map(|c| self.shared_criterion_link(c, form))
                .collect(),
            claims,
            claimed,
            content: &body.html,
            toc: &body.toc,
        }
    }
}

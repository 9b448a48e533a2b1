//! Articles, in summary and on their own pages, as templates see them.

use super::*;

/// An article as lists see it (global `articles`, feeds, list pages, matrix columns).
#[derive(Debug, Serialize)]
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
    pub leaning: VerdictView<'a>,
    /// How many claims it makes.
    pub claim_count: usize,
}

/// An article's own page (`page`).
#[derive(Debug, Serialize)]
pub(crate) struct ArticleView<'a> {
    #[serde(flatten)]
    pub summary: ArticleSummary<'a>,
    pub claims: Vec<ClaimView<'a>>,
    /// The ids of the criteria it takes a position on.
    pub claimed: Vec<&'a str>,
    /// The criteria it takes no position on, in criterion order.
    pub unclaimed: Vec<NavLink>,
    pub content: &'a str,
    pub toc: &'a [Heading],
}

impl<'a> Views<'a> {
    pub(crate) fn article_summary(&self, i: usize) -> ArticleSummary<'a> {
        let a = &self.site.articles[i];
        ArticleSummary {
            slug: &a.slug,
            title: &a.title,
            publisher: &a.publisher,
            column: self.columns[i].clone(),
            stake: self.stake(i),
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
            leaning: self.verdict(a.leaning),
            claim_count: a.claims.len(),
        }
    }

    /// Article `i`'s own page.
    pub(crate) fn article(&self, i: usize) -> ArticleView<'a> {
        let site = self.site;
        let a = &site.articles[i];
        let body = &self.bodies.articles[i];
        let claims: Vec<ClaimView<'a>> = (0..a.claims.len()).map(|c| self.claim(i, c)).collect();
        let claimed: Vec<&str> = a
            .claims
            .iter()
            .map(|c| site.criteria[c.criterion].id.as_str())
            .collect();
        ArticleView {
            summary: self.article_summary(i),
            unclaimed: site
                .criteria
                .iter()
                .filter(|c| !claimed.contains(&c.id.as_str()))
                .map(|c| NavLink {
                    title: c.title.clone(),
                    url: self.url(&c.url_path()),
                })
                .collect(),
            claims,
            claimed,
            content: &body.html,
            toc: &body.toc,
        }
    }
}

//! Criteria and their (paginated) pages, as templates see them.

use super::*;

/// How a criterion's consensus would read without the sources that have a stake.
#[derive(Debug, Serialize)]
pub(crate) struct WithoutStakes<'a> {
    pub consensus: ConsensusView<'a>,
    /// The sources with a stake that claim on this criterion, left out.
    pub left_out: Vec<NavLink>,
}

/// A criterion as every page sees it (global `criteria`): no claims, no body.
#[derive(Debug, Serialize)]
pub(crate) struct CriterionView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub question: Option<&'a str>,
    pub url: String,
    pub tally: Vec<TallyEntry<'a>>,
    pub consensus: ConsensusView<'a>,
}

/// A criterion's own page (`page`): one page of its claims, its synthesis, and the sources
/// that take no position on it (capped, so the page stays small however many sources).
#[derive(Debug, Serialize)]
pub(crate) struct CriterionPage<'a> {
    #[serde(flatten)]
    pub criterion: CriterionView<'a>,
    pub content: &'a str,
    pub toc: &'a [Heading],
    /// The claims on this page of the criterion, in article order.
    pub claims: Vec<ClaimView<'a>>,
    /// Up to [`SILENT_SHOWN`] sources without a position (the last ones in article order).
    pub silent: Vec<NavLink>,
    /// How many sources take no position in all.
    pub silent_total: usize,
    /// Sources in all.
    pub sources: usize,
    /// When leaving out the sources with a stake would change the consensus: how.
    pub without_stakes: Option<WithoutStakes<'a>>,
}

/// Sources without a position named on a criterion page, at most.
pub(crate) const SILENT_SHOWN: usize = 30;

impl<'a> Views<'a> {
    pub(crate) fn criteria(&self) -> Vec<CriterionView<'a>> {
        (0..self.site.criteria.len())
            .map(|i| self.criterion(i))
            .collect()
    }

    pub(crate) fn criterion(&self, i: usize) -> CriterionView<'a> {
        let site = self.site;
        let (c, row) = (&site.criteria[i], &site.matrix.rows[i]);
        CriterionView {
            id: &c.id,
            title: &c.title,
            question: c.question.as_deref(),
            url: self.url(&c.url_path()),
            tally: self.tally(row),
            consensus: self.counted_consensus(row),
        }
    }

    /// Page `number` (from 1) of criterion `i`'s own page.
    pub(crate) fn criterion_page(&self, i: usize, number: usize, form: Form) -> CriterionPage<'a> {
        let site = self.site;
        let row = &site.matrix.rows[i];
        let per_page = site.config.paginate_by;
        let body = &self.bodies.criteria[i];
        let claims = row
            .claims
            .iter()
            .skip((number - 1) * per_page)
            .take(per_page)
            .map(|r| self.claim(r.article, r.claim, form))
            .collect();
        let (silent, silent_total) = self.silent[i].get_or_init(|| {
            let claimed: std::collections::HashSet<usize> =
                row.claims.iter().map(|r| r.article).collect();
            let mut shown: Vec<usize> = (0..site.articles.len())
                .rev()
                .filter(|a| !claimed.contains(a))
                .take(SILENT_SHOWN)
                .collect();
            shown.reverse();
            (shown, site.articles.len() - claimed.len())
        });
        let silent = silent
            .iter()
            .map(|&a| NavLink {
                title: site.articles[a].publisher.clone(),
                url: self.url(&site.articles[a].url_path()),
            })
            .collect();
        let silent_total = *silent_total;
        CriterionPage {
            criterion: self.criterion(i),
            content: &body.html,
            toc: &body.toc,
            claims,
            silent,
            silent_total,
            sources: site.articles.len(),
            without_stakes: self.without_stakes(row),
        }
    }

    fn without_stakes(&self, row: &Row) -> Option<WithoutStakes<'a>> {
        let site = self.site;
        let consensus = row.without_stakes?;
        let left_out = row
            .claims
            .iter()
            .map(|r| &site.articles[r.article])
            .filter(|a| a.stake.is_some())
            .map(|a| NavLink {
                title: a.publisher.clone(),
                url: self.url(&a.url_path()),
            })
            .collect();
        Some(WithoutStakes {
            consensus: self.consensus(consensus),
            left_out,
        })
    }

    /// How many pages criterion `i`'s claims take.
    pub(crate) fn criterion_pages(&self, i: usize) -> usize {
        self.site.matrix.rows[i]
            .claims
            .len()
            .div_ceil(self.site.config.paginate_by)
            .max(1)
    }
}

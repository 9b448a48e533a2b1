//! The home page's standings and the criteria matrix, as templates see them.

use super::*;

#[derive(Debug, Serialize)]
pub(crate) struct TallyEntry<'a> {
    pub verdict: VerdictView<'a>,
    pub count: usize,
}

/// One subject's standing in the home page's scoreboard, with every weight 1 and every
/// source counted (the theme's script recomputes it with the reader's weighting).
#[derive(Debug, Serialize)]
pub(crate) struct ScoreRow<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub url: String,
    pub class: String,
    /// Criteria whose consensus favors the subject: its score with every weight 1.
    pub favored: usize,
    /// Claims, over all criteria, that favor the subject.
    pub claims_for: usize,
    /// The score as a share of the largest possible one, in percent (0 to 100).
    pub percent: usize,
    /// 1 + how many subjects score more.
    pub rank: usize,
    /// Whether another subject has the same score.
    pub tied: bool,
    /// The rank in words: `1st`, or `tied 1st` when another subject has the same score.
    pub place: String,
    /// The titles of the criteria that decided the score, in criterion order.
    pub decided: Vec<&'a str>,
}

/// The scoreboard: per subject, on how many criteria the sources favor it, and the data the
/// reader's weighting recomputes it from.
#[derive(Debug, Serialize)]
pub(crate) struct Scoreboard<'a> {
    /// Criteria in all.
    pub criteria: usize,
    /// Criteria with claims where no subject wins (split, tie or depends).
    pub unsettled: usize,
    /// Criteria nobody takes a position on.
    pub unclaimed: usize,
    /// One row per subject, in subject order.
    pub rows: Vec<ScoreRow<'a>>,
    /// Sources in all.
    pub sources: usize,
    /// Sources whose publisher has a stake in a subject.
    pub staked: usize,
    /// The compact dataset of every claim, as JSON (see `render::weighting`); empty when the
    /// site has more sources than the home page carries inline (it is in `weighting.json`).
    pub weighting: String,
}

/// The home page's matrix (global `matrix`): every criterion, and as columns the last
/// `matrix_columns` sources in article order, so the page stays small however many sources.
#[derive(Debug, Serialize)]
pub(crate) struct MatrixView<'a> {
    pub columns: Vec<ArticleSummary<'a>>,
    pub rows: Vec<MatrixRow<'a>>,
    /// Sources in all (the consensus counts every one of them).
    pub sources: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct MatrixRow<'a> {
    #[serde(flatten)]
    pub criterion: CriterionView<'a>,
    /// One per column: that source's claim, or `None`.
    pub cells: Vec<Option<ClaimView<'a>>>,
}

/// See [`ArticleSummary::column`]: one pass to count publishers, so it stays linear. A
/// long publisher stays the publisher (the column header wraps it); `label` shortens it.
pub(crate) fn column_labels(articles: &[crate::model::Article]) -> Vec<String> {
    use std::collections::HashMap;
    let mut publishers: HashMap<&str, usize> = HashMap::new();
    let mut years: HashMap<(&str, Option<u16>), usize> = HashMap::new();
    for a in articles.iter().filter(|a| a.label.is_none()) {
        *publishers.entry(a.publisher.as_str()).or_default() += 1;
        *years
            .entry((a.publisher.as_str(), a.published.map(|d| d.year)))
            .or_default() += 1;
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    articles
        .iter()
        .map(|a| {
            if let Some(label) = &a.label {
                return label.clone();
            }
            let publisher = a.publisher.as_str();
            let year = a.published.map(|d| d.year);
            let nth = seen.entry(publisher).or_default();
            *nth += 1;
            match (publishers[publisher], year) {
                (1, _) => a.publisher.clone(),
                (_, Some(y)) if years[&(publisher, year)] == 1 => format!("{publisher} {y}"),
                _ => format!("{publisher} ({nth})"),
            }
        })
        .collect()
}

/// A rank in words, as the theme's script writes it: `1st`, `2nd`, `tied 3rd`, `11th`.
pub(super) fn place(rank: usize, tied: bool) -> String {
    let suffix = match (rank % 10, rank % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{}{rank}{suffix}", if tied { "tied " } else { "" })
}

impl<'a> Views<'a> {
    pub(crate) fn scoreboard(&self) -> Scoreboard<'a> {
        let site = self.site;
        let criteria = site.criteria.len();
        let scores: Vec<usize> = site
            .matrix
            .standings
            .iter()
            .map(|s| s.favored.len())
            .collect();
        let rows = site
            .subjects
            .iter()
            .zip(&site.matrix.standings)
            .enumerate()
            .map(|(i, (s, standing))| {
                let score = scores[i];
                ScoreRow {
                    id: &s.id,
                    name: &s.name,
                    url: self.url(&s.url_path()),
                    class: verdict_class(Verdict::Subject(i)),
                    favored: score,
                    claims_for: standing.claims_for,
                    percent: (score * 100).checked_div(criteria).unwrap_or(0),
                    rank: 1 + scores.iter().filter(|o| **o > score).count(),
                    tied: scores.iter().filter(|o| **o == score).count() > 1,
                    place: place(
                        1 + scores.iter().filter(|o| **o > score).count(),
                        scores.iter().filter(|o| **o == score).count() > 1,
                    ),
                    decided: standing
                        .favored
                        .iter()
                        .map(|c| site.criteria[*c].title.as_str())
                        .collect(),
                }
            })
            .collect::<Vec<_>>();
        let unclaimed = site
            .matrix
            .rows
            .iter()
            .filter(|r| r.consensus == Consensus::None)
            .count();
        let settled: usize = rows.iter().map(|r| r.favored).sum();
        Scoreboard {
            criteria,
            unsettled: criteria.saturating_sub(settled + unclaimed),
            unclaimed,
            rows,
            sources: site.articles.len(),
            staked: crate::render::weighting::staked(site),
            weighting: crate::render::weighting::inline(site, &self.columns),
        }
    }

    /// The home page's matrix.
    pub(crate) fn matrix(&self) -> MatrixView<'a> {
        let site = self.site;
        let shown = site.config.matrix_columns.min(site.articles.len());
        let first = site.articles.len() - shown;
        let columns = (first..site.articles.len())
            .map(|i| self.article_summary(i, Form::Views))
            .collect();
        let rows = site
            .matrix
            .rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let mut cells: Vec<Option<ClaimView<'a>>> = (0..shown).map(|_| None).collect();
                for r in row.claims.iter().filter(|r| r.article >= first) {
                    cells[r.article - first] = Some(self.claim(r.article, r.claim, Form::Views));
                }
                MatrixRow {
                    criterion: self.criterion(i),
                    cells,
                }
            })
            .collect();
        MatrixView {
            columns,
            rows,
            sources: site.articles.len(),
        }
    }

    pub(super) fn tally(&self, row: &Row) -> Vec<TallyEntry<'a>> {
        row.tally
            .entries()
            .map(|(v, count)| TallyEntry {
                verdict: self.verdict(v),
                count,
            })
            .collect()
    }
}

//! What templates see: plain serializable views of the model, built once per build and
//! shared by every page through Tera's global context.

use serde::Serialize;

use crate::markdown::{Heading, Rendered};
use crate::model::matrix::{Consensus, Row, Status};
use crate::model::{Page, Site, Verdict};

/// Rendered Markdown of every item, aligned with the model's vectors.
#[derive(Debug, Clone, Default)]
pub struct Bodies {
    /// The home page.
    pub home: Rendered,
    /// Per subject.
    pub subjects: Vec<Rendered>,
    /// Per criterion.
    pub criteria: Vec<Rendered>,
    /// Per article.
    pub articles: Vec<Rendered>,
    /// Per section.
    pub sections: Vec<Rendered>,
    /// Per page.
    pub pages: Vec<Rendered>,
    /// Per list intro, in `Site::list_intros` order.
    pub list_intros: Vec<Rendered>,
}

/// `site` in templates.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    pub base_path: &'a str,
    pub language: &'a str,
    pub extra: &'a serde_json::Value,
    pub search_index: bool,
    /// `[style] accent`: `light` and `dark`, or null.
    pub accent: Option<&'a crate::accent::Accent>,
}

#[derive(Debug, Serialize)]
pub struct VerdictView<'a> {
    /// A subject id, `tie` or `depends`.
    pub id: &'a str,
    pub label: &'a str,
    pub color: Option<&'a str>,
    /// `subject`, `tie` or `depends`: what kind of verdict, for icons and styles.
    pub kind: &'static str,
    /// The CSS class the theme styles it with: `v-s0`, `v-s1`… per subject (in subject
    /// order, so colours stay stable), `v-tie` or `v-depends`.
    pub class: String,
}

#[derive(Debug, Serialize)]
pub struct SubjectView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    /// The name again, so that every page has a `title`.
    pub title: &'a str,
    pub tagline: Option<&'a str>,
    pub color: Option<&'a str>,
    /// Black or white, whichever reads better on `color` (`None` without a colour).
    pub ink: Option<&'static str>,
    pub homepage: Option<&'a str>,
    pub url: String,
    pub content: &'a str,
    pub toc: &'a [Heading],
    /// Criteria (ids) whose consensus favors this subject.
    pub favored: Vec<&'a str>,
    /// Criteria whose consensus favors another subject.
    pub disfavored: Vec<&'a str>,
    /// Criteria with claims where no subject wins.
    pub unsettled: Vec<&'a str>,
    /// Claims favoring this subject.
    pub claims_for: usize,
}

#[derive(Debug, Serialize)]
pub struct ClaimView<'a> {
    pub criterion: &'a str,
    pub criterion_title: &'a str,
    pub criterion_url: String,
    pub article: &'a str,
    pub article_title: &'a str,
    pub publisher: &'a str,
    /// The claim's place on its article's page.
    pub url: String,
    /// The claim's place on its criterion's page (the page of the list that holds it).
    pub permalink: String,
    /// The id of its card on the criterion page (`claim-<article slug>`).
    pub anchor: String,
    pub favors: VerdictView<'a>,
    pub note: &'a str,
    /// The article's exact words, when the claim quotes it.
    pub quote: Option<&'a str>,
    /// Whether the quote was found in the article's archived copy.
    pub verified: bool,
    /// When the archived copy was taken (`2026-11-20`, and `20 November 2026`).
    pub retrieved: Option<String>,
    pub retrieved_human: Option<String>,
    /// The article's own address, and a public archived copy, when known.
    pub source_url: Option<&'a str>,
    pub archive_url: Option<&'a str>,
    /// The publisher's stake, when it has one.
    pub stake: Option<StakeView<'a>>,
}

/// A publisher's commercial tie to a subject, for badges.
#[derive(Debug, Serialize)]
pub struct StakeView<'a> {
    pub subject: VerdictView<'a>,
    pub disclosure: &'a str,
}

/// How a criterion's consensus would read without the sources that have a stake.
#[derive(Debug, Serialize)]
pub struct WithoutStakes<'a> {
    pub consensus: ConsensusView<'a>,
    /// The sources with a stake that claim on this criterion, left out.
    pub left_out: Vec<NavLink>,
}

#[derive(Debug, Serialize)]
pub struct TallyEntry<'a> {
    pub verdict: VerdictView<'a>,
    pub count: usize,
}

#[derive(Debug, Serialize)]
pub struct ConsensusView<'a> {
    pub status: Status,
    pub favors: Option<VerdictView<'a>>,
    /// "Plurality: Django, 2 of 4", "Unanimous: Django", "Split", "No claims", for display.
    pub label: String,
    /// 0 (none), 1 (split), 2 (single), 3 (plurality), 4 (majority), 5 (unanimous): for
    /// sorting by strength.
    pub strength: u8,
    /// Claims that give the leading verdict (0 when there are none), to break ties in sorting.
    pub support: usize,
    /// Claims on the criterion in all.
    pub claims: usize,
    /// The CSS class of the leading verdict, or `v-split` / `v-none`.
    pub class: String,
}

/// One subject's standing in the home page's scoreboard, with every weight 1 and every
/// source counted (the theme's script recomputes it with the reader's weighting).
#[derive(Debug, Serialize)]
pub struct ScoreRow<'a> {
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
pub struct Scoreboard<'a> {
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
    /// The compact dataset of every claim, as JSON (see `render::weighting`).
    pub weighting: String,
}

/// A criterion as every page sees it (global `criteria`): no claims, no body.
#[derive(Debug, Serialize)]
pub struct CriterionView<'a> {
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
pub struct CriterionPage<'a> {
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
pub const SILENT_SHOWN: usize = 30;

/// An article as lists see it (global `articles`, feeds, list pages, matrix columns).
#[derive(Debug, Serialize)]
pub struct ArticleSummary<'a> {
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
    pub url: String,
    pub summary: &'a str,
    pub leaning: VerdictView<'a>,
    /// How many claims it makes.
    pub claim_count: usize,
}

/// An article's own page (`page`).
#[derive(Debug, Serialize)]
pub struct ArticleView<'a> {
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

/// The home page's matrix (global `matrix`): every criterion, and as columns the last
/// `matrix_columns` sources in article order, so the page stays small however many sources.
#[derive(Debug, Serialize)]
pub struct MatrixView<'a> {
    pub columns: Vec<ArticleSummary<'a>>,
    pub rows: Vec<MatrixRow<'a>>,
    /// Sources in all (the consensus counts every one of them).
    pub sources: usize,
}

#[derive(Debug, Serialize)]
pub struct MatrixRow<'a> {
    #[serde(flatten)]
    pub criterion: CriterionView<'a>,
    /// One per column: that source's claim, or `None`.
    pub cells: Vec<Option<ClaimView<'a>>>,
}

/// Where a page sits in a paginated list (`paginator`).
#[derive(Debug, Serialize)]
pub struct Paginator {
    /// This page's number, from 1.
    pub number: usize,
    /// Pages in all.
    pub pages: usize,
    pub per_page: usize,
    /// Items over all pages.
    pub total: usize,
    /// 1-based position of this page's first item.
    pub first_item: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// Links to the first, last and nearby pages, in order; `None` marks a gap.
    pub links: Vec<Option<PageLink>>,
}

#[derive(Debug, Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
}

impl Paginator {
    /// Page `number` (from 1) of `total` items, `per_page` a page; `url(n)` links page `n`.
    pub fn new(
        number: usize,
        total: usize,
        per_page: usize,
        url: impl Fn(usize) -> String,
    ) -> Self {
        let pages = total.div_ceil(per_page).max(1);
        let mut links = Vec::new();
        let mut last_shown = 0;
        for n in 1..=pages {
            if n == 1 || n == pages || n.abs_diff(number) <= 2 {
                if n > last_shown + 1 {
                    links.push(None);
                }
                links.push(Some(PageLink {
                    number: n,
                    url: url(n),
                    current: n == number,
                }));
                last_shown = n;
            }
        }
        Paginator {
            number,
            pages,
            per_page,
            total,
            first_item: (number - 1) * per_page + 1,
            prev: (number > 1).then(|| url(number - 1)),
            next: (number < pages).then(|| url(number + 1)),
            links,
        }
    }
}

/// The URL path of page `number` of a list whose first page is at `first` (`articles/`).
pub fn page_path(first: &str, number: usize) -> String {
    if number <= 1 {
        first.to_string()
    } else {
        format!("{first}page/{number}/")
    }
}

#[derive(Debug, Serialize)]
pub struct PageView<'a> {
    pub path: &'a str,
    pub url: String,
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub weight: i64,
    /// `YYYY-MM-DD`, and as words (`4 March 2023`).
    pub date: Option<String>,
    pub date_human: Option<String>,
    pub updated: Option<String>,
    pub updated_human: Option<String>,
    pub extra: &'a std::collections::BTreeMap<String, serde_json::Value>,
    pub content: &'a str,
    pub toc: &'a [Heading],
    #[serde(skip)]
    pub sort_date: Option<crate::content::raw::Date>,
}

#[derive(Debug, Serialize)]
pub struct SectionView<'a> {
    #[serde(flatten)]
    pub page: PageView<'a>,
    /// Pages directly in this section, by weight then title.
    pub pages: Vec<PageView<'a>>,
    /// Sections directly below this one.
    pub subsections: Vec<PageView<'a>>,
}

/// One subject's colours.
#[derive(Debug, Serialize)]
pub struct Swatch<'a> {
    /// Its verdict class (`v-s0`…).
    pub class: String,
    pub color: &'a str,
    /// Text colour on it.
    pub ink: &'static str,
}

/// A link in navigation.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NavLink {
    pub title: String,
    pub url: String,
}

/// Builds the views; `url` turns a path relative to the base into a link.
pub struct Views<'a> {
    pub site: &'a Site,
    pub bodies: &'a Bodies,
    /// Matrix column label per article (see [`ArticleSummary::column`]).
    pub columns: std::borrow::Cow<'a, [String]>,
    /// Per criterion, the sources without a position shown on its pages and how many there
    /// are, found once for all its pages.
    silent: Vec<std::sync::OnceLock<(Vec<usize>, usize)>>,
}

impl<'a> Views<'a> {
    pub fn new(site: &'a Site, bodies: &'a Bodies) -> Views<'a> {
        Views {
            site,
            bodies,
            columns: std::borrow::Cow::Owned(column_labels(&site.articles)),
            silent: site.criteria.iter().map(|_| Default::default()).collect(),
        }
    }

    /// Views with the column labels made already (they depend on front matter only).
    pub fn with_columns(site: &'a Site, bodies: &'a Bodies, columns: &'a [String]) -> Views<'a> {
        Views {
            site,
            bodies,
            columns: std::borrow::Cow::Borrowed(columns),
            silent: site.criteria.iter().map(|_| Default::default()).collect(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.site.config.base_path, path)
    }

    pub fn site(&self) -> SiteView<'a> {
        let config = &self.site.config;
        SiteView {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            base_path: &config.base_path,
            language: &config.language,
            extra: &config.extra,
            search_index: config.search_index,
            accent: config.accent.as_ref(),
        }
    }

    pub fn verdict(&self, verdict: Verdict) -> VerdictView<'a> {
        let site = self.site;
        VerdictView {
            id: site.verdict_id(verdict),
            label: site.verdict_label(verdict),
            color: match verdict {
                Verdict::Subject(i) => site.subjects[i].color.as_deref(),
                _ => None,
            },
            kind: match verdict {
                Verdict::Subject(_) => "subject",
                Verdict::Tie => "tie",
                Verdict::Depends => "depends",
            },
            class: verdict_class(verdict),
        }
    }

    pub fn scoreboard(&self) -> Scoreboard<'a> {
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
            staked: super::weighting::staked(site),
            weighting: super::weighting::dataset(site, &self.columns),
        }
    }

    /// The newest publication date, for feeds (`None` when no article is dated).
    pub fn updated(&self) -> Option<String> {
        self.site
            .articles
            .iter()
            .filter_map(|a| a.published)
            .max()
            .map(|d| d.to_string())
    }

    /// Subject colours, for the theme's stylesheet (global `palette`): a change to what the
    /// sources claim leaves it alone, so pages that only need colours are not rendered again.
    pub fn palette(&self) -> Vec<Swatch<'a>> {
        self.site
            .subjects
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let color = s.color.as_deref()?;
                Some(Swatch {
                    class: verdict_class(Verdict::Subject(i)),
                    color,
                    ink: ink_on(color),
                })
            })
            .collect()
    }

    pub fn subjects(&self) -> Vec<SubjectView<'a>> {
        (0..self.site.subjects.len())
            .map(|i| self.subject(i))
            .collect()
    }

    pub fn subject(&self, i: usize) -> SubjectView<'a> {
        let site = self.site;
        let ids = |list: &[usize]| list.iter().map(|c| site.criteria[*c].id.as_str()).collect();
        let (s, standing, body) = (
            &site.subjects[i],
            &site.matrix.standings[i],
            &self.bodies.subjects[i],
        );
        SubjectView {
            id: &s.id,
            name: &s.name,
            title: &s.name,
            tagline: s.tagline.as_deref(),
            color: s.color.as_deref(),
            ink: s.color.as_deref().map(ink_on),
            homepage: s.homepage.as_deref(),
            url: self.url(&s.url_path()),
            content: &body.html,
            toc: &body.toc,
            favored: ids(&standing.favored),
            disfavored: ids(&standing.disfavored),
            unsettled: ids(&standing.unsettled),
            claims_for: standing.claims_for,
        }
    }

    pub(crate) fn claim(&self, article: usize, claim: usize) -> ClaimView<'a> {
        let site = self.site;
        let a = &site.articles[article];
        let c = &a.claims[claim];
        let criterion = &site.criteria[c.criterion];
        ClaimView {
            criterion: &criterion.id,
            criterion_title: &criterion.title,
            criterion_url: self.url(&criterion.url_path()),
            article: &a.slug,
            article_title: &a.title,
            publisher: &a.publisher,
            url: self.url(&format!("{}#claim-{}", a.url_path(), criterion.id)),
            permalink: self.url(&format!(
                "{}#claim-{}",
                page_path(
                    &criterion.url_path(),
                    self.criterion_page_of(article, c.criterion)
                ),
                a.slug
            )),
            anchor: format!("claim-{}", a.slug),
            favors: self.verdict(c.favors),
            note: &c.note,
            quote: c.quote.as_deref(),
            verified: c.verified,
            retrieved: a.retrieved.map(|d| d.to_string()),
            retrieved_human: a.retrieved.map(|d| human_date(d.year, d.month, d.day)),
            source_url: a.url.as_deref(),
            archive_url: a.archive_url.as_deref(),
            stake: self.stake(article),
        }
    }

    /// Article `article`'s stake, for badges.
    pub fn stake(&self, article: usize) -> Option<StakeView<'a>> {
        let stake = self.site.articles[article].stake.as_ref()?;
        Some(StakeView {
            subject: self.verdict(Verdict::Subject(stake.subject)),
            disclosure: &stake.disclosure,
        })
    }

    /// The number (from 1) of the page of criterion `criterion`'s claims that lists the claim
    /// of article `article`.
    fn criterion_page_of(&self, article: usize, criterion: usize) -> usize {
        let claims = &self.site.matrix.rows[criterion].claims;
        let position = claims.partition_point(|r| r.article < article);
        position / self.site.config.paginate_by.max(1) + 1
    }

    pub fn consensus(&self, consensus: Consensus) -> ConsensusView<'a> {
        let favors = consensus.favors().map(|v| self.verdict(v));
        let label = match (consensus.status(), &favors) {
            (Status::None, _) => "No claims".to_string(),
            (Status::Split, _) => "Split".to_string(),
            (status, Some(v)) => format!("{}: {}", capitalize(status), v.label),
            (status, None) => capitalize(status),
        };
        let strength = match consensus.status() {
            Status::None => 0,
            Status::Split => 1,
            Status::Single => 2,
            Status::Plurality => 3,
            Status::Majority => 4,
            Status::Unanimous => 5,
        };
        let class = match (consensus, &favors) {
            (Consensus::None, _) => "v-none".to_string(),
            (_, Some(v)) => v.class.clone(),
            (_, None) => "v-split".to_string(),
        };
        ConsensusView {
            status: consensus.status(),
            favors,
            label,
            strength,
            support: 0,
            claims: 0,
            class,
        }
    }

    /// The consensus of a row with its counts: "Plurality: Django, 2 of 4".
    pub fn counted_consensus(&self, row: &Row) -> ConsensusView<'a> {
        let support = row.tally.entries().map(|(_, n)| n).max().unwrap_or(0);
        let claims = row.tally.total();
        let mut view = self.consensus(row.consensus);
        if view.favors.is_some() && claims > 1 {
            view.label = format!("{}, {support} of {claims}", view.label);
        }
        ConsensusView {
            support,
            claims,
            ..view
        }
    }

    pub fn criteria(&self) -> Vec<CriterionView<'a>> {
        (0..self.site.criteria.len())
            .map(|i| self.criterion(i))
            .collect()
    }

    pub fn criterion(&self, i: usize) -> CriterionView<'a> {
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
    pub fn criterion_page(&self, i: usize, number: usize) -> CriterionPage<'a> {
        let site = self.site;
        let row = &site.matrix.rows[i];
        let per_page = site.config.paginate_by;
        let body = &self.bodies.criteria[i];
        let claims = row
            .claims
            .iter()
            .skip((number - 1) * per_page)
            .take(per_page)
            .map(|r| self.claim(r.article, r.claim))
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
    pub fn criterion_pages(&self, i: usize) -> usize {
        self.site.matrix.rows[i]
            .claims
            .len()
            .div_ceil(self.site.config.paginate_by)
            .max(1)
    }

    /// The home page's matrix.
    pub fn matrix(&self) -> MatrixView<'a> {
        let site = self.site;
        let shown = site.config.matrix_columns.min(site.articles.len());
        let first = site.articles.len() - shown;
        let columns = (first..site.articles.len())
            .map(|i| self.article_summary(i))
            .collect();
        let rows = site
            .matrix
            .rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let mut cells: Vec<Option<ClaimView<'a>>> = (0..shown).map(|_| None).collect();
                for r in row.claims.iter().filter(|r| r.article >= first) {
                    cells[r.article - first] = Some(self.claim(r.article, r.claim));
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

    fn tally(&self, row: &Row) -> Vec<TallyEntry<'a>> {
        row.tally
            .entries()
            .map(|(v, count)| TallyEntry {
                verdict: self.verdict(v),
                count,
            })
            .collect()
    }

    pub fn article_summary(&self, i: usize) -> ArticleSummary<'a> {
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
            url: self.url(&a.url_path()),
            summary: &a.summary,
            leaning: self.verdict(a.leaning),
            claim_count: a.claims.len(),
        }
    }

    /// Every article's summary, in article order.
    pub fn articles(&self) -> Vec<ArticleSummary<'a>> {
        (0..self.site.articles.len())
            .map(|i| self.article_summary(i))
            .collect()
    }

    /// Article `i`'s own page.
    pub fn article(&self, i: usize) -> ArticleView<'a> {
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

    pub fn page(&self, page: &'a Page, body: &'a Rendered) -> PageView<'a> {
        PageView {
            path: &page.path,
            url: self.url(&page.url),
            title: &page.title,
            description: page.description.as_deref(),
            weight: page.weight,
            date: page.date.map(|d| d.to_string()),
            date_human: page.date.map(|d| human_date(d.year, d.month, d.day)),
            updated: page.updated.map(|d| d.to_string()),
            updated_human: page.updated.map(|d| human_date(d.year, d.month, d.day)),
            extra: &page.extra,
            content: &body.html,
            toc: &body.toc,
            sort_date: page.date,
        }
    }

    /// Pages and sections whose parent folder is `dir` (`""` for the top level).
    pub fn children(&self, dir: &str) -> (Vec<PageView<'a>>, Vec<PageView<'a>>) {
        let site = self.site;
        let in_dir = |path: &str| parent(path) == dir;
        let mut pages: Vec<PageView<'a>> = site
            .pages
            .iter()
            .zip(&self.bodies.pages)
            .filter(|(p, _)| in_dir(&p.path))
            .map(|(p, b)| self.page(p, b))
            .collect();
        let mut sections: Vec<PageView<'a>> = site
            .sections
            .iter()
            .zip(&self.bodies.sections)
            .filter(|(p, _)| in_dir(&p.path))
            .map(|(p, b)| self.page(p, b))
            .collect();
        let order = |a: &PageView<'_>, b: &PageView<'_>| {
            (a.weight, a.title, a.path).cmp(&(b.weight, b.title, b.path))
        };
        let sort_by = site
            .sections
            .iter()
            .find(|s| s.path == dir)
            .map_or_else(Default::default, |s| s.sort_by);
        match sort_by {
            crate::model::SortBy::Weight => pages.sort_by(order),
            // Newest first, undated last.
            crate::model::SortBy::Date => pages.sort_by(|a, b| {
                (b.sort_date.is_some(), b.sort_date, a.title, a.path).cmp(&(
                    a.sort_date.is_some(),
                    a.sort_date,
                    b.title,
                    b.path,
                ))
            }),
        }
        sections.sort_by(order);
        (pages, sections)
    }

    pub fn sections(&self) -> Vec<SectionView<'a>> {
        (0..self.site.sections.len())
            .map(|i| self.section(i))
            .collect()
    }

    pub fn section(&self, i: usize) -> SectionView<'a> {
        let s = &self.site.sections[i];
        let (pages, subsections) = self.children(&s.path);
        SectionView {
            page: self.page(s, &self.bodies.sections[i]),
            pages,
            subsections,
        }
    }

    /// The header navigation: the three lists, then top-level sections and pages.
    pub fn nav(&self) -> Vec<NavLink> {
        let site = self.site;
        let mut nav: Vec<NavLink> = crate::content::Collection::ALL
            .iter()
            .map(|c| NavLink {
                title: site
                    .list_intros
                    .get(c)
                    .map_or_else(|| capitalize(c.dir()), |p| p.title.clone()),
                url: self.url(&format!("{}/", c.dir())),
            })
            .collect();
        let (pages, sections) = self.children("");
        nav.extend(sections.iter().chain(&pages).map(|p| NavLink {
            title: p.title.to_string(),
            url: p.url.clone(),
        }));
        nav
    }
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
fn place(rank: usize, tied: bool) -> String {
    let suffix = match (rank % 10, rank % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{}{rank}{suffix}", if tied { "tied " } else { "" })
}

/// `#111` or `#fff`, whichever contrasts more with the hex colour `color` (WCAG luminance).
fn ink_on(color: &str) -> &'static str {
    let hex = color.trim_start_matches('#');
    let full: String = if hex.len() == 3 {
        hex.chars().flat_map(|c| [c, c]).collect()
    } else {
        hex.chars().take(6).collect()
    };
    let channel = |i: usize| {
        let v = f64::from(u8::from_str_radix(full.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0))
            / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
    // Contrast with white is 1.05 / (L + 0.05); with #111 it is (L + 0.05) / 0.0556.
    if 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.0556 {
        "#fff"
    } else {
        "#111"
    }
}

/// The CSS class of a verdict (see [`VerdictView::class`]).
fn verdict_class(verdict: Verdict) -> String {
    match verdict {
        Verdict::Subject(i) => format!("v-s{i}"),
        Verdict::Tie => "v-tie".into(),
        Verdict::Depends => "v-depends".into(),
    }
}

/// The folder a content path sits in (`guide/x` → `guide`, `x` → ``).
pub fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

fn capitalize(s: impl Serialize) -> String {
    let text = serde_json::to_value(&s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

fn human_date(year: u16, month: u8, day: u8) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!(
        "{day} {} {year}",
        MONTHS[usize::from(month.clamp(1, 12)) - 1]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(
        slug: &str,
        publisher: &str,
        year: Option<u16>,
        label: Option<&str>,
    ) -> crate::model::Article {
        crate::model::Article {
            slug: slug.into(),
            title: "T".into(),
            publisher: publisher.into(),
            author: None,
            published: year.map(|year| crate::content::raw::Date {
                year,
                month: 1,
                day: 1,
            }),
            url: None,
            summary: "S".into(),
            leaning: Verdict::Tie,
            label: label.map(str::to_string),
            stake: None,
            disclosure: None,
            archive: None,
            retrieved: None,
            archive_url: None,
            claims: Vec::new(),
            body: crate::model::Body::default(),
        }
    }

    #[test]
    fn column_labels_name_the_publisher_never_the_file() {
        let articles = [
            article(
                "a-long-file-name",
                "A Very Long Publisher Name Indeed",
                None,
                None,
            ),
            article("dev-1", "DEV Community", Some(2021), None),
            article("dev-2", "DEV Community", Some(2023), None),
            article("blog-1", "Blog", Some(2020), None),
            article("blog-2", "Blog", Some(2020), None),
            article(
                "short",
                "Some Publisher With A Long Name",
                None,
                Some("SPWLN"),
            ),
        ];
        assert_eq!(
            column_labels(&articles),
            [
                "A Very Long Publisher Name Indeed",
                "DEV Community 2021",
                "DEV Community 2023",
                "Blog (1)",
                "Blog (2)",
                "SPWLN"
            ]
        );
    }

    #[test]
    fn helpers() {
        assert_eq!(parent("guide/deep/x"), "guide/deep");
        assert_eq!(parent("x"), "");
        assert_eq!(capitalize("articles"), "Articles");
        assert_eq!(capitalize(Status::Unanimous), "Unanimous");
        assert_eq!(human_date(2023, 3, 4), "4 March 2023");
        assert_eq!(ink_on("#0c4b33"), "#fff");
        assert_eq!(ink_on("#5fa04e"), "#111");
        assert_eq!(ink_on("#fff"), "#111");
        assert_eq!(place(1, false), "1st");
        assert_eq!(place(2, true), "tied 2nd");
        assert_eq!(place(3, false), "3rd");
        assert_eq!(place(12, false), "12th");
        assert_eq!(place(22, false), "22nd");
    }
}

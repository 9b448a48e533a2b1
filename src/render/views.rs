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
    /// The newest publication date, for feeds (`None` when no article is dated).
    pub updated: Option<String>,
    pub search_index: bool,
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
    pub favors: VerdictView<'a>,
    pub note: &'a str,
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
    /// "Unanimous: Django", "Split", "No claims", for display.
    pub label: String,
    /// 0 (none) to 4 (unanimous), for sorting by strength.
    pub strength: u8,
    /// Claims that give the leading verdict (0 when there are none), to break ties in sorting.
    pub support: usize,
    /// Claims on the criterion in all.
    pub claims: usize,
    /// The CSS class of the leading verdict, or `v-split` / `v-none`.
    pub class: String,
}

/// One subject's bar in the home page's scoreboard.
#[derive(Debug, Serialize)]
pub struct ScoreRow<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub url: String,
    pub class: String,
    /// Criteria whose consensus favors the subject.
    pub favored: usize,
    /// Claims, over all criteria, that favor the subject.
    pub claims_for: usize,
    /// Bar length in the chart's units (0 to [`Scoreboard::SCALE`]).
    pub bar: usize,
    /// The bar's top edge in the chart's units.
    pub y: usize,
}

/// The scoreboard: per subject, on how many criteria the sources favor it. The template
/// draws it as an inline SVG from these numbers, so no chart code runs in the browser.
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
    /// The chart's height in its units.
    pub height: usize,
    /// The length of a full bar (every criterion), in the chart's units.
    pub scale: usize,
}

impl Scoreboard<'_> {
    /// Chart units of a full bar.
    pub const SCALE: usize = 240;
    /// Chart units per row.
    pub const ROW: usize = 34;
}

#[derive(Debug, Serialize)]
pub struct CriterionView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub question: Option<&'a str>,
    pub url: String,
    pub content: &'a str,
    pub toc: &'a [Heading],
    pub claims: Vec<ClaimView<'a>>,
    pub tally: Vec<TallyEntry<'a>>,
    pub consensus: ConsensusView<'a>,
}

#[derive(Debug, Serialize)]
pub struct ArticleView<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub publisher: &'a str,
    /// A short label for the article's matrix column: the publisher, or the slug in words
    /// when the publisher is long or shared with another article.
    pub column: String,
    pub author: Option<&'a str>,
    pub published: Option<String>,
    pub published_human: Option<String>,
    pub source_url: Option<&'a str>,
    pub url: String,
    pub summary: &'a str,
    pub leaning: VerdictView<'a>,
    pub claims: Vec<ClaimView<'a>>,
    /// Criterion id to claim, for matrix cells.
    pub claims_by_criterion: std::collections::BTreeMap<&'a str, ClaimView<'a>>,
    pub content: &'a str,
    pub toc: &'a [Heading],
}

#[derive(Debug, Serialize)]
pub struct PageView<'a> {
    pub path: &'a str,
    pub url: String,
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub weight: i64,
    pub content: &'a str,
    pub toc: &'a [Heading],
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
}

impl<'a> Views<'a> {
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
            updated: self
                .site
                .articles
                .iter()
                .filter_map(|a| a.published)
                .max()
                .map(|d| d.to_string()),
            search_index: config.search_index,
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
        let rows = site
            .subjects
            .iter()
            .zip(&site.matrix.standings)
            .enumerate()
            .map(|(i, (s, standing))| ScoreRow {
                id: &s.id,
                name: &s.name,
                url: self.url(&s.url_path()),
                class: verdict_class(Verdict::Subject(i)),
                favored: standing.favored.len(),
                claims_for: standing.claims_for,
                bar: (standing.favored.len() * Scoreboard::SCALE)
                    .checked_div(criteria)
                    .unwrap_or(0),
                y: i * Scoreboard::ROW,
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
            height: rows.len() * Scoreboard::ROW,
            scale: Scoreboard::SCALE,
            rows,
        }
    }

    pub fn subjects(&self) -> Vec<SubjectView<'a>> {
        let site = self.site;
        let ids = |list: &[usize]| list.iter().map(|c| site.criteria[*c].id.as_str()).collect();
        site.subjects
            .iter()
            .zip(&site.matrix.standings)
            .zip(&self.bodies.subjects)
            .map(|((s, standing), body)| SubjectView {
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
            })
            .collect()
    }

    fn claim(&self, article: usize, claim: usize) -> ClaimView<'a> {
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
            favors: self.verdict(c.favors),
            note: &c.note,
        }
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
            Status::Majority => 3,
            Status::Unanimous => 4,
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

    pub fn criteria(&self) -> Vec<CriterionView<'a>> {
        let site = self.site;
        site.criteria
            .iter()
            .zip(&site.matrix.rows)
            .zip(&self.bodies.criteria)
            .map(|((c, row), body)| CriterionView {
                id: &c.id,
                title: &c.title,
                question: c.question.as_deref(),
                url: self.url(&c.url_path()),
                content: &body.html,
                toc: &body.toc,
                claims: row
                    .claims
                    .iter()
                    .map(|r| self.claim(r.article, r.claim))
                    .collect(),
                tally: self.tally(row),
                consensus: ConsensusView {
                    support: row.tally.entries().map(|(_, n)| n).max().unwrap_or(0),
                    claims: row.tally.total(),
                    ..self.consensus(row.consensus)
                },
            })
            .collect()
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

    pub fn articles(&self) -> Vec<ArticleView<'a>> {
        let site = self.site;
        site.articles
            .iter()
            .enumerate()
            .zip(&self.bodies.articles)
            .map(|((i, a), body)| {
                let claims: Vec<ClaimView<'a>> =
                    (0..a.claims.len()).map(|c| self.claim(i, c)).collect();
                let claims_by_criterion = (0..a.claims.len())
                    .map(|c| {
                        (
                            site.criteria[a.claims[c].criterion].id.as_str(),
                            self.claim(i, c),
                        )
                    })
                    .collect();
                ArticleView {
                    slug: &a.slug,
                    title: &a.title,
                    publisher: &a.publisher,
                    column: column_label(a, &site.articles),
                    author: a.author.as_deref(),
                    published: a.published.map(|d| d.to_string()),
                    published_human: a.published.map(|d| human_date(d.year, d.month, d.day)),
                    source_url: a.url.as_deref(),
                    url: self.url(&a.url_path()),
                    summary: &a.summary,
                    leaning: self.verdict(a.leaning),
                    claims,
                    claims_by_criterion,
                    content: &body.html,
                    toc: &body.toc,
                }
            })
            .collect()
    }

    pub fn page(&self, page: &'a Page, body: &'a Rendered) -> PageView<'a> {
        PageView {
            path: &page.path,
            url: self.url(&page.url),
            title: &page.title,
            description: page.description.as_deref(),
            weight: page.weight,
            content: &body.html,
            toc: &body.toc,
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
        pages.sort_by(order);
        sections.sort_by(order);
        (pages, sections)
    }

    pub fn sections(&self) -> Vec<SectionView<'a>> {
        let site = self.site;
        site.sections
            .iter()
            .zip(&self.bodies.sections)
            .map(|(s, b)| {
                let (pages, subsections) = self.children(&s.path);
                SectionView {
                    page: self.page(s, b),
                    pages,
                    subsections,
                }
            })
            .collect()
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

/// See [`ArticleView::column`].
fn column_label(article: &crate::model::Article, all: &[crate::model::Article]) -> String {
    const MAX: usize = 18;
    let shared = all
        .iter()
        .filter(|a| a.publisher == article.publisher)
        .count()
        > 1;
    if article.publisher.chars().count() <= MAX && !shared {
        return article.publisher.clone();
    }
    capitalize(article.slug.replace('-', " "))
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
    }
}

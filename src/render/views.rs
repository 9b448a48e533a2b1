//! What templates see: plain serializable views of the model, built once per build and
//! shared by every page through Tera's global context.

use serde::Serialize;

mod articles;
mod claims;
mod criteria;
mod matrix;
mod pages;

pub(crate) use articles::ArticleSummary;
pub(crate) use claims::{ClaimView, ConsensusView, StakeView, SubjectView};
pub(crate) use criteria::CriterionView;
pub(crate) use matrix::TallyEntry;
pub(crate) use matrix::column_labels;
pub(crate) use pages::{NavLink, PageView, Paginator, page_path};

use crate::content::Collection;
use crate::markdown::{Heading, Rendered};
use crate::model::matrix::{Consensus, Row, Status};
use crate::model::{Page, Site, Verdict};

/// Rendered Markdown of every item, aligned with the model's vectors.
#[derive(Debug, Clone, Default)]
pub(crate) struct Bodies {
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
pub(crate) struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    pub base_path: &'a str,
    pub language: &'a str,
    /// `language` as Open Graph writes it (`en_US`).
    pub locale: String,
    pub extra: &'a serde_json::Value,
    pub search_index: bool,
    /// `[style] accent`: `light` and `dark`, or null.
    pub accent: Option<&'a crate::accent::Accent>,
    /// With `--drafts`, the URL paths of the drafts built (`[]` otherwise).
    pub drafts: Vec<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct VerdictView<'a> {
    /// A subject id, `tie` or `depends`.
    pub id: &'a str,
    pub label: &'a str,
    pub color: Option<&'a str>,
    /// `subject`, `tie` or `depends`: what kind of verdict, for icons and styles.
    pub kind: &'static str,
    /// The CSS class the theme styles it with: `v-s0`, `v-s1`… per subject (in subject
    /// order, so colours stay stable), `v-tie` or `v-depends`.
    pub class: String,
    /// What its icon shows: a subject's initial (the first character of its label), `=`
    /// for a tie, `~` for "it depends".
    pub icon: &'a str,
}

/// How a page's variables are made. As views, for fingerprints: they serialize the same way
/// in every build. As values, for template contexts: what many pages show alike (a verdict, a
/// criterion's link, breadcrumbs) is made into a Tera value once per build, and Tera's
/// serializer clones such a value (one reference count) instead of serializing the view
/// again on every page. Fingerprints cannot take those values: a Tera map's order is not
/// stable from one build to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    Views,
    Values,
}

/// A view many pages show alike, in the [`Form`] its page is made in.
#[derive(Debug)]
pub(crate) enum Reused<T> {
    View(T),
    Value(tera::Value),
}

impl<T: Serialize> Serialize for Reused<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Reused::View(view) => view.serialize(serializer),
            Reused::Value(value) => value.serialize(serializer),
        }
    }
}

/// The values of [`Form::Values`], made once per build.
#[derive(Debug)]
struct SharedValues {
    /// Per verdict: each subject's in order, then a tie's and "it depends".
    verdicts: Vec<tera::Value>,
    /// Per criterion, its link.
    criterion_links: Vec<tera::Value>,
    /// Per collection, the breadcrumbs of its items' pages.
    item_crumbs: [tera::Value; 3],
}

/// One subject's colours.
#[derive(Debug, Serialize)]
pub(crate) struct Swatch<'a> {
    /// Its verdict class (`v-s0`…).
    pub class: String,
    pub color: &'a str,
    /// Text colour on it.
    pub ink: &'static str,
}

/// Builds the views; `url` turns a path relative to the base into a link.
pub(crate) struct Views<'a> {
    pub site: &'a Site,
    pub bodies: &'a Bodies,
    /// Matrix column label per article (see [`ArticleSummary::column`]).
    pub columns: std::borrow::Cow<'a, [String]>,
    /// Per criterion, the sources without a position shown on its pages and how many there
    /// are, found once for all its pages.
    silent: Vec<std::sync::OnceLock<(Vec<usize>, usize)>>,
    /// The URLs of the header navigation's links, found once for all pages.
    nav_urls: std::sync::OnceLock<Vec<String>>,
    /// See [`Form::Values`].
    values: std::sync::OnceLock<SharedValues>,
}

impl<'a> Views<'a> {
    pub(crate) fn new(site: &'a Site, bodies: &'a Bodies) -> Views<'a> {
        Views {
            site,
            bodies,
            columns: std::borrow::Cow::Owned(column_labels(&site.articles)),
            silent: site.criteria.iter().map(|_| Default::default()).collect(),
            nav_urls: std::sync::OnceLock::new(),
            values: std::sync::OnceLock::new(),
        }
    }

    /// Views with the column labels made already (they depend on front matter only).
    pub(crate) fn with_columns(
        site: &'a Site,
        bodies: &'a Bodies,
        columns: &'a [String],
    ) -> Views<'a> {
        Views {
            site,
            bodies,
            columns: std::borrow::Cow::Borrowed(columns),
            silent: site.criteria.iter().map(|_| Default::default()).collect(),
            nav_urls: std::sync::OnceLock::new(),
            values: std::sync::OnceLock::new(),
        }
    }

    /// The URLs of the header navigation's links ([`Views::nav`]).
    pub(crate) fn nav_urls(&self) -> &[String] {
        self.nav_urls
            .get_or_init(|| self.nav().into_iter().map(|l| l.url).collect())
    }

    pub(crate) fn url(&self, path: &str) -> String {
        [self.site.config.base_path.as_str(), path].concat()
    }

    pub(crate) fn site(&self) -> SiteView<'a> {
        let config = &self.site.config;
        SiteView {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            base_path: &config.base_path,
            language: &config.language,
            locale: config.language.replace('-', "_"),
            extra: &config.extra,
            search_index: config.search_index,
            accent: config.accent.as_ref(),
            drafts: self.site.drafts.shown.iter().map(|u| self.url(u)).collect(),
        }
    }

    fn values(&self) -> &SharedValues {
        self.values.get_or_init(|| {
            let site = self.site;
            let verdicts = (0..site.subjects.len())
                .map(Verdict::Subject)
                .chain([Verdict::Tie, Verdict::Depends])
                .map(|v| tera::Value::from_serializable(&self.verdict(v)))
                .collect();
            let criterion_links = site
                .criteria
                .iter()
                .map(|c| tera::Value::from_serializable(&self.criterion_link(c)))
                .collect();
            let crumbs = |c| tera::Value::from_serializable(&self.item_crumbs(c));
            SharedValues {
                verdicts,
                criterion_links,
                item_crumbs: [
                    crumbs(Collection::Articles),
                    crumbs(Collection::Criteria),
                    crumbs(Collection::Subjects),
                ],
            }
        })
    }

    /// `view()` in `form`, where `value` picks the value made from it.
    fn reused<T>(
        &self,
        form: Form,
        view: impl FnOnce() -> T,
        value: impl FnOnce(&SharedValues) -> &tera::Value,
    ) -> Reused<T> {
        match form {
            Form::Views => Reused::View(view()),
            Form::Values => Reused::Value(value(self.values()).clone()),
        }
    }

    /// [`Views::verdict`] in `form`.
    pub(crate) fn shared_verdict(&self, verdict: Verdict, form: Form) -> Reused<VerdictView<'a>> {
        let subjects = self.site.subjects.len();
        let index = match verdict {
            Verdict::Subject(i) => i,
            Verdict::Tie => subjects,
            Verdict::Depends => subjects + 1,
        };
        self.reused(form, || self.verdict(verdict), |v| &v.verdicts[index])
    }

    /// Criterion `i`'s link, in `form`.
    pub(crate) fn shared_criterion_link(&self, i: usize, form: Form) -> Reused<NavLink> {
        self.reused(
            form,
            || self.criterion_link(&self.site.criteria[i]),
            |v| &v.criterion_links[i],
        )
    }

    /// The breadcrumbs of the pages of `collection`'s items (home, then the list), in `form`.
    pub(crate) fn shared_item_crumbs(
        &self,
        collection: Collection,
        form: Form,
    ) -> Reused<Vec<NavLink>> {
        let index = match collection {
            Collection::Articles => 0,
            Collection::Criteria => 1,
            Collection::Subjects => 2,
        };
        self.reused(
            form,
            || self.item_crumbs(collection),
            |v| &v.item_crumbs[index],
        )
    }

    /// The link to the home page, first of every trail of breadcrumbs.
    pub(crate) fn home_link(&self) -> NavLink {
        NavLink {
            title: "Home".into(),
            url: self.url(""),
        }
    }

    fn item_crumbs(&self, collection: Collection) -> Vec<NavLink> {
        vec![
            self.home_link(),
            NavLink {
                title: crate::render::pages::list_title(self, collection),
                url: self.url(&format!("{}/", collection.dir())),
            },
        ]
    }

    fn criterion_link(&self, criterion: &crate::model::Criterion) -> NavLink {
        NavLink {
            title: criterion.title.clone(),
            url: self.url(&criterion.url_path()),
        }
    }

    pub(crate) fn verdict(&self, verdict: Verdict) -> VerdictView<'a> {
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
            icon: match verdict {
                Verdict::Subject(_) => {
                    let label = site.verdict_label(verdict);
                    label
                        .char_indices()
                        .nth(1)
                        .map_or(label, |(second, _)| &label[..second])
                }
                Verdict::Tie => "=",
                Verdict::Depends => "~",
            },
        }
    }

    /// The newest publication date, for feeds (`None` when no article is dated).
    pub(crate) fn updated(&self) -> Option<String> {
        self.site
            .articles
            .iter()
            .filter_map(|a| a.published)
            .max()
            .map(|d| d.to_string())
    }

    /// Subject colours, for the theme's stylesheet (global `palette`): a change to what the
    /// sources claim leaves it alone, so pages that only need colours are not rendered again.
    pub(crate) fn palette(&self) -> Vec<Swatch<'a>> {
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
pub(crate) fn parent(path: &str) -> &str {
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
mod tests;

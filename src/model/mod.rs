//! The site model: subjects, criteria, articles and pages as typed, validated values, and the
//! matrix derived from them. Pure: it takes parsed content and returns data or diagnostics.

pub mod aliases;
pub mod drafts;
pub mod generated;
pub mod matrix;
pub mod patch;
mod sources;
mod validate;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::config::Config;
use crate::content::raw::Date;
use crate::content::{Collection, Content};
use crate::error::Diagnostic;
use crate::evidence::Archive;
pub use matrix::{Consensus, Matrix};
pub use validate::is_template_name;

/// An article's verdict on a criterion, or its overall leaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// Favors the subject at this index of the site's subjects.
    Subject(usize),
    /// Calls the subjects equal.
    Tie,
    /// Says it depends.
    Depends,
}

/// Markdown with where it came from, so rendering errors can name the line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Body {
    /// The Markdown text.
    pub markdown: String,
    /// The file it is in.
    pub source: PathBuf,
    /// The file line of its first line.
    pub first_line: usize,
}

/// A compared subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// File name without `.md`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// One-line description.
    pub tagline: Option<String>,
    /// CSS colour (validated hex).
    pub color: Option<String>,
    /// The subject's own site.
    pub homepage: Option<String>,
    /// Overview.
    pub body: Body,
}

/// A criterion of the matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    /// File name without `.md`.
    pub id: String,
    /// Display title.
    pub title: String,
    /// The one-line question.
    pub question: Option<String>,
    /// The editors' synthesis.
    pub body: Body,
}

/// A digest of one source article.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Article {
    /// File name without `.md`.
    pub slug: String,
    /// The source's own title.
    pub title: String,
    /// Who published it.
    pub publisher: String,
    /// Author, when given.
    pub author: Option<String>,
    /// Publication date, when given.
    pub published: Option<Date>,
    /// The source's address, when known.
    pub url: Option<String>,
    /// Our summary.
    pub summary: String,
    /// Overall verdict.
    pub leaning: Verdict,
    /// The editor's short name for the matrix column, when given.
    pub label: Option<String>,
    /// The subject (index) the publisher has a commercial tie to, with its disclosure.
    pub stake: Option<Stake>,
    /// The publisher's disclosure, one line (with a stake, or alone for another tie).
    pub disclosure: Option<String>,
    /// The file name of the archived copy, when given.
    pub archive: Option<String>,
    /// When the archived copy was taken.
    pub retrieved: Option<Date>,
    /// A public archived copy.
    pub archive_url: Option<String>,
    /// Claims, in criterion order.
    pub claims: Vec<Claim>,
    /// The digest.
    pub body: Body,
}

/// What one article claims on one criterion.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Claim {
    /// Index into the site's criteria.
    pub criterion: usize,
    /// The verdict.
    pub favors: Verdict,
    /// One sentence on the claim.
    pub note: String,
    /// The article's exact words, when given.
    pub quote: Option<String>,
    /// Whether the quote was found in the article's archived copy (false without an
    /// archive folder, and without a quote).
    pub verified: bool,
}

/// A publisher's commercial tie to a subject.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Stake {
    /// Index into the site's subjects.
    pub subject: usize,
    /// One line saying what the tie is.
    pub disclosure: String,
}

/// A documentation page, a section, the home page or a list page's intro.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The path under `content/` without `.md` (for a section: its folder), `""` for home.
    pub path: String,
    /// URL path relative to the base path, e.g. `guide/intro/` (`""` for home).
    pub url: String,
    /// Title.
    pub title: String,
    /// Description for listings and meta tags.
    pub description: Option<String>,
    /// Sibling order.
    pub weight: i64,
    /// A template chosen in front matter.
    pub template: Option<String>,
    /// When the page was written.
    pub date: Option<Date>,
    /// When it last changed.
    pub updated: Option<Date>,
    /// For a section, the order of its pages.
    pub sort_by: SortBy,
    /// Free values for templates.
    pub extra: BTreeMap<String, serde_json::Value>,
    /// The text.
    pub body: Body,
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum SortBy {
    /// By `weight`, then title.
    #[default]
    Weight,
    /// Newest `date` first, undated last, then title.
    Date,
}

/// The complete, validated site.
#[derive(Debug, Clone)]
pub struct Site {
    /// Configuration.
    pub config: Config,
    /// The home page.
    pub home: Page,
    /// Subjects, in column order.
    pub subjects: Vec<Subject>,
    /// Criteria, in row order.
    pub criteria: Vec<Criterion>,
    /// Articles, in article order (published, undated last, then slug).
    pub articles: Vec<Article>,
    /// Intros of the generated list pages, when written.
    pub list_intros: BTreeMap<Collection, Page>,
    /// Sections (`<dir>/_index.md`), sorted by path.
    pub sections: Vec<Page>,
    /// Documentation pages, sorted by path.
    pub pages: Vec<Page>,
    /// Page assets: every file under `content/` that is not Markdown, by output path.
    pub assets: crate::content::assets::Assets,
    /// The derived matrix.
    pub matrix: Matrix,
    /// The redirect pages of `aliases`.
    pub aliases: Vec<aliases::Alias>,
    /// The drafts built (with `--drafts`) or left out.
    pub drafts: drafts::Drafts,
}

impl Site {
    /// The index of the subject with this id.
    pub fn subject_index(&self, id: &str) -> Option<usize> {
        self.subjects.iter().position(|s| s.id == id)
    }

    /// The id used for a verdict in data files and templates.
    pub fn verdict_id(&self, verdict: Verdict) -> &str {
        match verdict {
            Verdict::Subject(i) => &self.subjects[i].id,
            Verdict::Tie => "tie",
            Verdict::Depends => "depends",
        }
    }

    /// The human label of a verdict.
    pub fn verdict_label(&self, verdict: Verdict) -> &str {
        match verdict {
            Verdict::Subject(i) => &self.subjects[i].name,
            Verdict::Tie => "Tie",
            Verdict::Depends => "Depends",
        }
    }
}

/// The URL path of a subject, criterion or article relative to the base path, e.g.
/// `articles/x/`: the one place that spells out DESIGN.md's URL scheme for them.
pub fn item_path(collection: Collection, id: &str) -> String {
    [collection.dir(), "/", id, "/"].concat()
}

impl Subject {
    /// `subjects/<id>/`.
    pub fn url_path(&self) -> String {
        item_path(Collection::Subjects, &self.id)
    }
}

impl Criterion {
    /// `criteria/<id>/`.
    pub fn url_path(&self) -> String {
        item_path(Collection::Criteria, &self.id)
    }
}

impl Article {
    /// `articles/<slug>/`.
    pub fn url_path(&self) -> String {
        item_path(Collection::Articles, &self.slug)
    }
}

/// Validates the content as a whole and derives the matrix. All problems are returned at once.
/// With an archive folder, every quote is checked against its article's copy.
pub fn build(
    config: Config,
    content: Content,
    archive: Option<&Archive>,
) -> Result<Site, Vec<Diagnostic>> {
    let (content, drafts, mut errors) = drafts::split(content, config.drafts);
    let (aliases, alias_errors) = aliases::collect(&content);
    errors.extend(alias_errors);
    match validate::site(config, content, archive) {
        Ok(site) if errors.is_empty() => Ok(Site {
            aliases,
            drafts,
            ..site
        }),
        Ok(_) => Err(errors),
        Err(more) => {
            errors.extend(more);
            Err(errors)
        }
    }
}

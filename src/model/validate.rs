//! Turns raw documents into typed model values, checking everything the raw structs cannot:
//! ids that must exist, verdict values, URLs, colours, and two sources for one output path.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use super::{Article, Body, Claim, Criterion, Page, Site, Subject, Verdict, matrix};
use crate::config::Config;
use crate::content::raw::{RawArticle, RawPage};
use crate::content::{Collection, Content, Document, KnownIds};
use crate::error::Diagnostic;
use crate::evidence::Archive;

mod conflicts;

use conflicts::output_conflicts;

pub(super) fn site(
    config: Config,
    content: Content,
    archive: Option<&Archive>,
) -> Result<Site, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let Content {
        home,
        subjects,
        criteria,
        articles,
        list_intros,
        sections,
        pages,
        known_ids,
        assets,
    } = content;
    // In this order, so that errors are reported in the order of the content kinds.
    let subjects = sorted_subjects(subjects, &mut errors);
    let criteria = sorted_criteria(criteria, &mut errors);
    let ids = Ids::new(&subjects, &criteria, &known_ids);
    let articles = sorted_articles(articles, &ids, archive, &mut errors);
    let home = home_page(home, &config, &mut errors);
    let list_intros: BTreeMap<Collection, Page> = list_intros
        .into_iter()
        .filter_map(|(c, d)| Some((c, page(d, format!("{}/", c.dir()), None, &mut errors)?)))
        .collect();
    let sections = free_pages(sections, &mut errors);
    let pages = free_pages(pages, &mut errors);

    let Some(home) = home else { return Err(errors) };
    let site = Site {
        matrix: matrix::derive(&subjects, &criteria, &articles),
        config,
        home,
        subjects,
        criteria,
        articles,
        list_intros,
        sections,
        pages,
        aliases: Vec::new(),
        drafts: Default::default(),
        assets,
    };
    errors.extend(output_conflicts(&site));
    if errors.is_empty() {
        Ok(site)
    } else {
        Err(errors)
    }
}

/// The valid subjects, by `order` then id.
fn sorted_subjects(
    docs: Vec<Document<crate::content::raw::RawSubject>>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Subject> {
    let mut subjects: Vec<_> = docs
        .into_iter()
        .filter_map(|d| subject(d, errors))
        .collect();
    subjects.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
    subjects.into_iter().map(|(_, s)| s).collect()
}

/// The valid criteria, by `order` then id.
fn sorted_criteria(
    docs: Vec<Document<crate::content::raw::RawCriterion>>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Criterion> {
    let mut criteria: Vec<_> = docs
        .into_iter()
        .filter_map(|d| {
            let title = non_empty(&d, "title", &d.raw.title, errors)?;
            let order = d.raw.order.unwrap_or(i64::MAX);
            Some((
                order,
                Criterion {
                    question: d.raw.question.clone(),
                    title,
                    body: body(&d),
                    id: d.id,
                },
            ))
        })
        .collect();
    criteria.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
    criteria.into_iter().map(|(_, c)| c).collect()
}

/// The valid articles, by publication date (undated last) then slug.
fn sorted_articles(
    docs: Vec<Document<RawArticle>>,
    ids: &Ids<'_>,
    archive: Option<&Archive>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Article> {
    // Each digest is checked on its own, in parallel; errors keep the digests' order.
    let checked: Vec<(Option<Article>, Vec<Diagnostic>)> = docs
        .into_par_iter()
        .map(|d| {
            let mut own = Vec::new();
            (article(d, ids, archive, &mut own), own)
        })
        .collect();
    let mut articles = Vec::with_capacity(checked.len());
    for (article, own) in checked {
        errors.extend(own);
        articles.extend(article);
    }
    articles.sort_by(|a, b| {
        (a.published.is_none(), a.published, &a.slug).cmp(&(
            b.published.is_none(),
            b.published,
            &b.slug,
        ))
    });
    articles
}

/// The home page: `content/_index.md`, or an empty page titled after the site.
fn home_page(
    doc: Option<Document<RawPage>>,
    config: &Config,
    errors: &mut Vec<Diagnostic>,
) -> Option<Page> {
    match doc {
        Some(d) => page(d, String::new(), Some(&config.title), errors),
        None => Some(Page {
            path: String::new(),
            url: String::new(),
            title: config.title.clone(),
            description: None,
            weight: 0,
            template: None,
            date: None,
            updated: None,
            sort_by: super::SortBy::Weight,
            extra: BTreeMap::new(),
            body: Body::default(),
        }),
    }
}

/// The valid sections or free pages, by path.
fn free_pages(docs: Vec<Document<RawPage>>, errors: &mut Vec<Diagnostic>) -> Vec<Page> {
    let mut pages: Vec<Page> = docs
        .into_iter()
        .filter_map(|d| {
            let url = format!("{}/", d.id);
            page(d, url, None, errors)
        })
        .collect();
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    pages
}

pub(super) struct Ids<'a> {
    subjects: HashMap<&'a str, usize>,
    criteria: HashMap<&'a str, usize>,
    known: &'a KnownIds,
}

impl<'a> Ids<'a> {
    pub(super) fn new(
        subjects: &'a [Subject],
        criteria: &'a [Criterion],
        known: &'a KnownIds,
    ) -> Ids<'a> {
        Ids {
            subjects: subjects
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id.as_str(), i))
                .collect(),
            criteria: criteria
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id.as_str(), i))
                .collect(),
            known,
        }
    }

    /// A stake's subject: `Ok(None)` for a subject whose file failed to parse.
    fn stake(&self, id: &str) -> Result<Option<usize>, String> {
        match self.verdict(id) {
            Ok(Some(Verdict::Subject(i))) => Ok(Some(i)),
            Ok(None) => Ok(None),
            Ok(Some(_)) | Err(_) => Err(format!(
                "`{id}` must be the id of a subject the publisher has a commercial tie to"
            )),
        }
    }

    /// `Ok(None)` for a subject whose file exists but failed to parse (already reported).
    fn verdict(&self, value: &str) -> Result<Option<Verdict>, String> {
        match value {
            "tie" => Ok(Some(Verdict::Tie)),
            "depends" => Ok(Some(Verdict::Depends)),
            id => match self.subjects.get(id) {
                Some(i) => Ok(Some(Verdict::Subject(*i))),
                None if self.known.subjects.iter().any(|k| k == id) => Ok(None),
                None => {
                    let mut allowed: Vec<&str> = self.subjects.keys().copied().collect();
                    allowed.sort_unstable();
                    allowed.extend(["tie", "depends"]);
                    Err(format!(
                        "unknown verdict `{id}`: use a subject id or tie/depends ({})",
                        allowed.join(", ")
                    ))
                }
            },
        }
    }
}

fn subject(
    d: Document<crate::content::raw::RawSubject>,
    errors: &mut Vec<Diagnostic>,
) -> Option<(i64, Subject)> {
    let name = non_empty(&d, "name", &d.raw.name, errors)?;
    let color = d.raw.color.clone();
    if let Some(c) = &color
        && !is_hex_color(c)
    {
        errors.push(d.error_at(
            &["color"],
            format!("color `{c}` must be a hex colour like #0c4b33"),
        ));
        return None;
    }
    let homepage = d.raw.homepage.clone();
    if let Some(url) = &homepage
        && let Err(m) = check_web_url(url)
    {
        errors.push(d.error_at(&["homepage"], m));
        return None;
    }
    let order = d.raw.order.unwrap_or(i64::MAX);
    let subject = Subject {
        name,
        tagline: d.raw.tagline.clone(),
        color,
        homepage,
        body: body(&d),
        id: d.id,
    };
    Some((order, subject))
}

pub(super) fn article(
    d: Document<RawArticle>,
    ids: &Ids<'_>,
    archive: Option<&Archive>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Article> {
    let before = errors.len();
    let stake = super::sources::fields(&d, |id| ids.stake(id), errors);
    super::sources::copy(&d, archive, errors);
    let title = non_empty(&d, "title", &d.raw.title, errors);
    let publisher = non_empty(&d, "publisher", &d.raw.publisher, errors);
    let summary = non_empty(&d, "summary", &d.raw.summary, errors);
    if let Some(url) = &d.raw.url
        && let Err(m) = check_web_url(url)
    {
        errors.push(d.error_at(&["url"], m));
    }
    let leaning = ids.verdict(&d.raw.leaning).unwrap_or_else(|m| {
        errors.push(d.error_at(&["leaning"], format!("leaning: {m}")));
        None
    });
    let claims = claims(&d, ids, archive, errors);
    if errors.len() > before {
        return None;
    }
    Some(Article {
        title: title?,
        publisher: publisher?,
        summary: summary?,
        author: d.raw.author.clone().filter(|a| !a.trim().is_empty()),
        published: d.raw.published,
        url: d.raw.url.clone(),
        leaning: leaning?,
        label: d.raw.label.as_deref().map(|l| l.trim().to_string()),
        stake,
        disclosure: d.raw.disclosure.as_deref().map(|t| t.trim().to_string()),
        archive: d.raw.archive.clone(),
        retrieved: d.raw.retrieved,
        archive_url: d.raw.archive_url.clone(),
        claims,
        body: body(&d),
        slug: d.id,
    })
}

/// The article's claims, in criterion order; problems go to `errors`.
fn claims(
    d: &Document<RawArticle>,
    ids: &Ids<'_>,
    archive: Option<&Archive>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Claim> {
    let mut claims = Vec::new();
    for (criterion_id, raw) in &d.raw.claims {
        let criterion = match ids.criteria.get(criterion_id.as_str()) {
            Some(i) => Some(*i),
            None if ids.known.criteria.contains(criterion_id) => None,
            None => {
                let mut known: Vec<&str> = ids.criteria.keys().copied().collect();
                known.sort_unstable();
                errors.push(d.error_at(
                    &["claims", criterion_id],
                    format!(
                        "unknown criterion `{criterion_id}` in claims: add content/criteria/{criterion_id}.md \
                         or use one of: {}",
                        known.join(", ")
                    ),
                ));
                None
            }
        };
        let favors = ids.verdict(&raw.favors).unwrap_or_else(|m| {
            errors.push(d.error_at(&["claims", criterion_id, "favors"], format!("favors: {m}")));
            None
        });
        if raw.note.trim().is_empty() {
            errors.push(d.error_at(&["claims", criterion_id, "note"], "note must not be empty"));
        }
        let (quote, verified) = super::sources::quote(d, criterion_id, archive, errors);
        if let (Some(criterion), Some(favors)) = (criterion, favors) {
            claims.push(Claim {
                criterion,
                favors,
                note: raw.note.clone(),
                quote,
                verified,
            });
        }
    }
    claims.sort_by_key(|c| c.criterion);
    claims
}

fn page(
    d: Document<RawPage>,
    url: String,
    default_title: Option<&str>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Page> {
    let title = match (&d.raw.title, default_title) {
        (Some(t), _) if !t.trim().is_empty() => t.clone(),
        (None, Some(fallback)) => fallback.to_string(),
        (Some(_), _) => {
            errors.push(d.error_at(&["title"], "title must not be empty"));
            return None;
        }
        (None, None) => {
            errors.push(
                d.error_at(
                    &[],
                    "missing field `title`: add title = \"…\" to the front matter",
                )
                .at(2, 1),
            );
            return None;
        }
    };
    if let Some(t) = &d.raw.template
        && !is_template_name(t)
    {
        errors.push(d.error_at(
            &["template"],
            format!("template `{t}` must be a file name like page.html"),
        ));
        return None;
    }
    let sort_by = match d.raw.sort_by.as_deref() {
        None | Some("weight") => super::SortBy::Weight,
        Some("date") => super::SortBy::Date,
        Some(other) => {
            errors.push(d.error_at(
                &["sort_by"],
                format!("sort_by = \"{other}\" is not an order: use \"date\" or \"weight\""),
            ));
            return None;
        }
    };
    Some(Page {
        path: d.id.clone(),
        url,
        title,
        description: d.raw.description.clone(),
        weight: d.raw.weight.unwrap_or(0),
        template: d.raw.template.clone(),
        date: d.raw.date,
        updated: d.raw.updated,
        sort_by,
        extra: d.raw.extra.clone(),
        body: body(&d),
    })
}

/// Whether a `template` chosen in front matter has the shape of a template name.
pub fn is_template_name(name: &str) -> bool {
    !name.contains("..") && !name.starts_with('/') && name.ends_with(".html")
}

fn body<T>(d: &Document<T>) -> Body {
    Body {
        markdown: d.body().to_string(),
        source: d.file.display.clone(),
        first_line: d.body_line,
    }
}

fn non_empty<T>(
    d: &Document<T>,
    key: &str,
    value: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    if value.trim().is_empty() {
        errors.push(d.error_at(&[key], format!("{key} must not be empty")));
        None
    } else {
        Some(value.to_string())
    }
}

fn is_hex_color(c: &str) -> bool {
    c.strip_prefix('#').is_some_and(|h| {
        matches!(h.len(), 3 | 4 | 6 | 8) && h.chars().all(|c| c.is_ascii_hexdigit())
    })
}

/// Only web addresses: a `javascript:` or relative URL in metadata is a mistake or an attack.
pub(super) fn check_web_url(url: &str) -> Result<(), String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(r) if !r.is_empty() && !r.starts_with('/') && !url.contains(char::is_whitespace) => {
            Ok(())
        }
        _ => Err(format!(
            "`{url}` must be a full web address starting with https:// or http://"
        )),
    }
}

#[cfg(test)]
mod tests;

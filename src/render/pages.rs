//! The list of pages to render: for each, its output path, its template and what it shows.
//! A page's own context is made only when it is rendered (in parallel, and dropped right
//! after), so a large site never holds every page's variables at once. Everything shared
//! (the site, the criteria, the home matrix) is serialized once into Tera's global context.

mod contexts;
mod frame;
mod shared;

pub(crate) use contexts::{Contexts, UseVars};
pub(crate) use shared::{GLOBALS, Mark, Shared, read_by};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use super::views::{Form, NavLink, PageView, Paginator, Reused, Views, page_path, parent};
use crate::content::Collection;
use crate::markdown::Heading;
use crate::model::generated::{GENERATED, Maker};

/// One page or file to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Job {
    /// Output path.
    pub path: String,
    /// Template name.
    pub template: String,
    /// What it shows.
    pub what: What,
}

/// What a job shows: the key its context is made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum What {
    Home,
    Article(usize),
    /// Page `number` (from 1) of a criterion's claims.
    Criterion(usize, usize),
    Subject(usize),
    /// Page `number` (from 1) of a list.
    List(Collection, usize),
    Section(usize),
    Page(usize),
    Search,
    NotFound,
    /// The feed, the sitemap or robots.txt.
    SiteFile,
}

/// Every job of the site, in a fixed order.
pub(crate) fn jobs(views: &Views<'_>) -> Vec<Job> {
    let site = views.site;
    let job = |url: &str, template: &str, what: What| Job {
        path: format!("{url}index.html"),
        template: template.to_string(),
        what,
    };
    let mut jobs = vec![job(
        "",
        site.home.template.as_deref().unwrap_or("index.html"),
        What::Home,
    )];
    for (i, a) in site.articles.iter().enumerate() {
        jobs.push(job(&a.url_path(), "article.html", What::Article(i)));
    }
    let per_page = site.config.paginate_by;
    let article_pages = site.articles.len().div_ceil(per_page).max(1);
    for n in 1..=article_pages {
        jobs.push(job(
            &page_path("articles/", n),
            "list.html",
            What::List(Collection::Articles, n),
        ));
    }
    for (i, c) in site.criteria.iter().enumerate() {
        for n in 1..=views.criterion_pages(i) {
            jobs.push(job(
                &page_path(&c.url_path(), n),
                "criterion.html",
                What::Criterion(i, n),
            ));
        }
    }
    jobs.push(job(
        "criteria/",
        "list.html",
        What::List(Collection::Criteria, 1),
    ));
    for (i, s) in site.subjects.iter().enumerate() {
        jobs.push(job(&s.url_path(), "subject.html", What::Subject(i)));
    }
    jobs.push(job(
        "subjects/",
        "list.html",
        What::List(Collection::Subjects, 1),
    ));
    for (i, section) in site.sections.iter().enumerate() {
        let template = section.template.as_deref().unwrap_or("section.html");
        jobs.push(job(&section.url, template, What::Section(i)));
    }
    for (i, page) in site.pages.iter().enumerate() {
        let template = page.template.as_deref().unwrap_or("page.html");
        jobs.push(job(&page.url, template, What::Page(i)));
    }
    if site.config.search_index {
        jobs.push(job(SEARCH_PAGE, "search.html", What::Search));
    }
    for file in GENERATED.iter().filter(|g| g.maker == Maker::Template) {
        jobs.push(Job {
            path: file.path.into(),
            template: file.path.into(),
            what: if file.path == "404.html" {
                What::NotFound
            } else {
                What::SiteFile
            },
        });
    }
    jobs
}

/// The title of a list page: its intro's, else the collection's name.
pub(crate) fn list_title(views: &Views<'_>, collection: Collection) -> String {
    views.site.list_intros.get(&collection).map_or_else(
        || {
            let dir = collection.dir();
            dir[..1].to_uppercase() + &dir[1..]
        },
        |p| p.title.clone(),
    )
}

/// Where the search page goes; reserved in the model so no content page can take it.
pub(crate) const SEARCH_PAGE: &str = "search/";

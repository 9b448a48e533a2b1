//! The list of pages to render: for each, its output path, its template and its own small
//! context. Everything shared (the site, the matrix, every article) is serialized once into
//! Tera's global context instead of into each page.

use serde::Serialize;
use tera::{Context, Value};

use super::views::{NavLink, PageView, Views, parent};
use crate::content::Collection;
use crate::markdown::Heading;
use crate::model::item_path;

/// One page or file to render.
pub struct Job {
    /// Output path.
    pub path: String,
    /// Template name.
    pub template: String,
    /// The page's own variables.
    pub context: Context,
}

/// Values every template can read, serialized once.
pub struct Shared {
    site: Value,
    subjects: Value,
    criteria: Value,
    articles: Value,
    sections: Value,
    nav: Value,
    home: Value,
    scoreboard: Value,
}

impl Shared {
    /// Serializes the views.
    pub fn new(views: &Views<'_>) -> Shared {
        let site = views.site;
        Shared {
            site: super::value(&views.site()),
            subjects: super::value(&views.subjects()),
            criteria: super::value(&views.criteria()),
            articles: super::value(&views.articles()),
            sections: super::value(&views.sections()),
            nav: super::value(&views.nav()),
            home: super::value(&views.page(&site.home, &views.bodies.home)),
            scoreboard: super::value(&views.scoreboard()),
        }
    }

    /// Puts the shared values into Tera's global context.
    pub fn install(&self, context: &mut Context) {
        for (key, value) in [
            ("site", &self.site),
            ("subjects", &self.subjects),
            ("criteria", &self.criteria),
            ("articles", &self.articles),
            ("sections", &self.sections),
            ("nav", &self.nav),
            ("home", &self.home),
            ("scoreboard", &self.scoreboard),
        ] {
            context.insert_value(key, value.clone());
        }
    }
}

fn element(array: &Value, i: usize) -> Value {
    array
        .as_array()
        .and_then(|a| a.get(i))
        .cloned()
        .unwrap_or_else(Value::none)
}

/// Builds a job's context.
struct PageContext<'v> {
    views: &'v Views<'v>,
    kind: &'static str,
    url: String,
    page: Value,
    breadcrumbs: Vec<NavLink>,
    prev: Option<NavLink>,
    next: Option<NavLink>,
}

impl PageContext<'_> {
    fn into_job(self, template: &str) -> Job {
        let mut context = Context::new();
        let config = &self.views.site.config;
        context.insert("kind", self.kind);
        context.insert("current_path", &format!("{}{}", config.base_path, self.url));
        context.insert("canonical", &format!("{}{}", config.base_url, self.url));
        context.insert("breadcrumbs", &self.breadcrumbs);
        context.insert("prev", &self.prev);
        context.insert("next", &self.next);
        context.insert_value("page", self.page);
        Job {
            path: format!("{}index.html", self.url),
            template: template.to_string(),
            context,
        }
    }
}

/// A collection's values, (id, title) per item, and page kind.
type CollectionPages<'a> = (Collection, &'a Value, Vec<(String, String)>, &'static str);

/// Every job of the site.
pub fn jobs(views: &Views<'_>, shared: &Shared) -> Vec<Job> {
    let site = views.site;
    let home_link = NavLink {
        title: "Home".into(),
        url: views.url(""),
    };
    let crumbs = |collection: Collection| {
        vec![
            home_link.clone(),
            NavLink {
                title: list_title(views, collection),
                url: views.url(&format!("{}/", collection.dir())),
            },
        ]
    };
    let mut jobs = Vec::new();
    let home_template = site
        .home
        .template
        .clone()
        .unwrap_or_else(|| "index.html".into());
    jobs.push(
        PageContext {
            views,
            kind: "home",
            url: String::new(),
            page: shared.home.clone(),
            breadcrumbs: Vec::new(),
            prev: None,
            next: None,
        }
        .into_job(&home_template),
    );

    let collections: [CollectionPages<'_>; 3] = [
        (
            Collection::Articles,
            &shared.articles,
            site.articles
                .iter()
                .map(|a| (a.slug.clone(), a.title.clone()))
                .collect(),
            "article",
        ),
        (
            Collection::Criteria,
            &shared.criteria,
            site.criteria
                .iter()
                .map(|c| (c.id.clone(), c.title.clone()))
                .collect(),
            "criterion",
        ),
        (
            Collection::Subjects,
            &shared.subjects,
            site.subjects
                .iter()
                .map(|s| (s.id.clone(), s.name.clone()))
                .collect(),
            "subject",
        ),
    ];
    for (collection, values, items, kind) in collections {
        let link = |i: usize| -> NavLink {
            let (id, title) = &items[i];
            NavLink {
                title: title.clone(),
                url: views.url(&item_path(collection, id)),
            }
        };
        for (i, (id, _)) in items.iter().enumerate() {
            jobs.push(
                PageContext {
                    views,
                    kind,
                    url: item_path(collection, id),
                    page: element(values, i),
                    breadcrumbs: crumbs(collection),
                    prev: i.checked_sub(1).map(link),
                    next: (i + 1 < items.len()).then(|| link(i + 1)),
                }
                .into_job(&format!("{kind}.html")),
            );
        }
        jobs.push(list_job(views, collection, home_link.clone()));
    }
    jobs.extend(doc_jobs(views, shared, &home_link));
    if site.config.search_index {
        jobs.push(search_job(views, home_link.clone()));
    }
    jobs.extend(site_file_jobs(views, &jobs));
    jobs
}

fn list_title(views: &Views<'_>, collection: Collection) -> String {
    views.site.list_intros.get(&collection).map_or_else(
        || {
            let dir = collection.dir();
            dir[..1].to_uppercase() + &dir[1..]
        },
        |p| p.title.clone(),
    )
}

#[derive(Serialize)]
struct ListPage<'a> {
    title: String,
    description: Option<&'a str>,
    content: &'a str,
    toc: &'a [Heading],
    url: String,
}

fn list_job(views: &Views<'_>, collection: Collection, home: NavLink) -> Job {
    let site = views.site;
    let intro = site
        .list_intros
        .iter()
        .zip(&views.bodies.list_intros)
        .find(|((c, _), _)| **c == collection);
    let page = ListPage {
        title: list_title(views, collection),
        description: intro.and_then(|((_, p), _)| p.description.as_deref()),
        content: intro.map_or("", |(_, r)| r.html.as_str()),
        toc: intro.map_or(&[], |(_, r)| r.toc.as_slice()),
        url: views.url(&format!("{}/", collection.dir())),
    };
    let mut job = PageContext {
        views,
        kind: "list",
        url: format!("{}/", collection.dir()),
        page: super::value(&page),
        breadcrumbs: vec![home],
        prev: None,
        next: None,
    }
    .into_job("list.html");
    job.context.insert("list", collection.dir());
    job
}

/// The search page, `/search/`, which reads `search-index.json` in the browser.
fn search_job(views: &Views<'_>, home: NavLink) -> Job {
    let page = ListPage {
        title: "Search".into(),
        description: Some("Search the digests, criteria and pages of this site."),
        content: "",
        toc: &[],
        url: views.url(SEARCH_PAGE),
    };
    PageContext {
        views,
        kind: "search",
        url: SEARCH_PAGE.into(),
        page: super::value(&page),
        breadcrumbs: vec![home],
        prev: None,
        next: None,
    }
    .into_job("search.html")
}

/// Where the search page goes; reserved in the model so no content page can take it.
pub const SEARCH_PAGE: &str = "search/";

/// Sections and documentation pages.
fn doc_jobs(views: &Views<'_>, shared: &Shared, home: &NavLink) -> Vec<Job> {
    let site = views.site;
    let ancestors = |path: &str| -> Vec<NavLink> {
        let mut crumbs = vec![home.clone()];
        let mut dir = parent(path);
        let mut chain = Vec::new();
        while !dir.is_empty() {
            if let Some(s) = site.sections.iter().find(|s| s.path == dir) {
                chain.push(NavLink {
                    title: s.title.clone(),
                    url: views.url(&s.url),
                });
            }
            dir = parent(dir);
        }
        crumbs.extend(chain.into_iter().rev());
        crumbs
    };
    let mut jobs = Vec::new();
    for (i, section) in site.sections.iter().enumerate() {
        let template = section
            .template
            .clone()
            .unwrap_or_else(|| "section.html".into());
        let page = element(&shared.sections, i);
        jobs.push(
            PageContext {
                views,
                kind: "section",
                url: section.url.clone(),
                page,
                breadcrumbs: ancestors(&section.path),
                prev: None,
                next: None,
            }
            .into_job(&template),
        );
    }
    for (page, body) in site.pages.iter().zip(&views.bodies.pages) {
        let (siblings, _) = views.children(parent(&page.path));
        let position = siblings
            .iter()
            .position(|p| p.path == page.path)
            .unwrap_or(0);
        let link = |p: &PageView<'_>| NavLink {
            title: p.title.to_string(),
            url: p.url.clone(),
        };
        let template = page.template.clone().unwrap_or_else(|| "page.html".into());
        jobs.push(
            PageContext {
                views,
                kind: "page",
                url: page.url.clone(),
                page: super::value(&views.page(page, body)),
                breadcrumbs: ancestors(&page.path),
                prev: position
                    .checked_sub(1)
                    .and_then(|i| siblings.get(i))
                    .map(link),
                next: siblings.get(position + 1).map(link),
            }
            .into_job(&template),
        );
    }
    jobs
}

/// `404.html`, the feeds, the sitemap and robots.txt.
fn site_file_jobs(views: &Views<'_>, pages: &[Job]) -> Vec<Job> {
    let config = &views.site.config;
    let sitemap: Vec<String> = pages
        .iter()
        .map(|j| {
            format!(
                "{}{}",
                config.base_url,
                j.path.strip_suffix("index.html").unwrap_or(&j.path)
            )
        })
        .collect();
    let mut not_found = PageContext {
        views,
        kind: "404",
        url: String::new(),
        page: Value::none(),
        breadcrumbs: Vec::new(),
        prev: None,
        next: None,
    }
    .into_job("404.html");
    not_found.path = "404.html".into();
    let mut files = vec![not_found];
    for (path, template) in [
        ("atom.xml", "atom.xml"),
        ("sitemap.xml", "sitemap.xml"),
        ("robots.txt", "robots.txt"),
    ] {
        let mut context = Context::new();
        context.insert("sitemap", &sitemap);
        context.insert("feed_limit", &config.feed_limit);
        context.insert("canonical", &format!("{}{path}", config.base_url));
        files.push(Job {
            path: path.into(),
            template: template.into(),
            context,
        });
    }
    files
}

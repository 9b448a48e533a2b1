//! The list of pages to render: for each, its output path, its template and what it shows.
//! A page's own context is made only when it is rendered (in parallel, and dropped right
//! after), so a large site never holds every page's variables at once. Everything shared
//! (the site, the criteria, the home matrix) is serialized once into Tera's global context.

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use super::views::{NavLink, PageView, Paginator, Views, page_path, parent};
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// Names of the values every template can read, in the order they are installed.
pub(crate) const GLOBALS: [&str; 11] = [
    "site",
    "palette",
    "subjects",
    "criteria",
    "articles",
    "sections",
    "nav",
    "home",
    "scoreboard",
    "matrix",
    "feed",
];

/// Values every template can read, serialized once.
pub(crate) struct Shared {
    /// In [`GLOBALS`] order.
    pub values: Vec<Value>,
    /// Their fingerprints, taken from the views (a Tera map's order is not stable).
    fingerprints: Vec<u64>,
}

/// A view as a Tera value, with its fingerprint.
fn both<T: Serialize + ?Sized>(view: &T) -> (Value, u64) {
    (super::value(view), fingerprint(view))
}

impl Shared {
    /// Serializes the views (the article list, the largest, in parallel).
    pub(crate) fn new(views: &Views<'_>) -> Shared {
        let site = views.site;
        let ((articles, matrix), rest) = rayon::join(
            || {
                rayon::join(
                    || {
                        let all: Vec<(Value, u64)> = (0..site.articles.len())
                            .into_par_iter()
                            .map(|i| both(&views.article_summary(i)))
                            .collect();
                        let hashes: Vec<u64> = all.iter().map(|(_, h)| *h).collect();
                        let values: Vec<Value> = all.into_iter().map(|(v, _)| v).collect();
                        (Value::from(values), fingerprint(&hashes))
                    },
                    || both(&views.matrix()),
                )
            },
            || {
                let newest = site.articles.len().saturating_sub(site.config.feed_limit);
                let feed: Vec<_> = (newest..site.articles.len())
                    .rev()
                    .map(|i| views.article_summary(i))
                    .collect();
                [
                    both(&views.site()),
                    both(&views.palette()),
                    both(&views.subjects()),
                    both(&views.criteria()),
                    both(&views.sections()),
                    both(&views.nav()),
                    both(&views.page(&site.home, &views.bodies.home)),
                    both(&views.scoreboard()),
                    both(&feed),
                ]
            },
        );
        let [
            site_v,
            palette,
            subjects,
            criteria,
            sections,
            nav,
            home,
            scoreboard,
            feed,
        ] = rest;
        let (values, fingerprints) = [
            site_v, palette, subjects, criteria, articles, sections, nav, home, scoreboard, matrix,
            feed,
        ]
        .into_iter()
        .unzip();
        Shared {
            values,
            fingerprints,
        }
    }

    /// Puts the shared values into Tera's global context.
    pub(crate) fn install(&self, context: &mut Context) {
        for (key, value) in GLOBALS.iter().zip(&self.values) {
            context.insert_value(*key, value.clone());
        }
    }

    /// A fingerprint of each global, to tell which changed between two builds.
    pub(crate) fn fingerprints(&self) -> Vec<u64> {
        self.fingerprints.clone()
    }
}

/// A stable hash of a serializable value.
pub(crate) fn fingerprint<T: Serialize + ?Sized>(value: &T) -> u64 {
    super::fingerprint::of(value)
}

/// A fingerprint of what `job` renders besides the globals: its template and its context.
pub(crate) fn job_fingerprint(contexts: &Contexts<'_>, job: &Job) -> u64 {
    fingerprint(&(job.template.as_str(), contexts.fingerprint(job)))
}

/// What the site files (feed, sitemap, robots.txt) read.
#[derive(Serialize)]
struct SiteFileVars<'a> {
    sitemap: &'a [SitemapEntry],
    /// The newest publication date, for the feed.
    updated: Option<String>,
    feed_limit: usize,
    canonical: String,
}

/// One page of the sitemap.
#[derive(Serialize)]
struct SitemapEntry {
    /// Its absolute URL.
    loc: String,
    /// A plain page's `updated`, else its `date` (`YYYY-MM-DD`).
    lastmod: Option<String>,
}

/// Makes the contexts of jobs.
pub(crate) struct Contexts<'v> {
    views: &'v Views<'v>,
    jobs: &'v [Job],
    /// What every article page reads besides its own article (see [`Contexts::fingerprint`]).
    article_shared: std::sync::OnceLock<u64>,
    /// Every page's URL, for the sitemap (made when first needed).
    sitemap: std::sync::OnceLock<Vec<SitemapEntry>>,
}

impl<'v> Contexts<'v> {
    pub(crate) fn new(views: &'v Views<'v>, jobs: &'v [Job]) -> Contexts<'v> {
        Contexts {
            views,
            jobs,
            article_shared: std::sync::OnceLock::new(),
            sitemap: std::sync::OnceLock::new(),
        }
    }

    fn sitemap(&self) -> &[SitemapEntry] {
        self.sitemap.get_or_init(|| {
            let site = self.views.site;
            let changed = |p: &crate::model::Page| p.updated.or(p.date).map(|d| d.to_string());
            self.jobs
                .iter()
                .filter(|j| j.path.ends_with("index.html"))
                .map(|j| SitemapEntry {
                    loc: format!(
                        "{}{}",
                        site.config.base_url,
                        j.path.strip_suffix("index.html").unwrap_or(&j.path)
                    ),
                    lastmod: match j.what {
                        What::Page(i) => site.pages.get(i).and_then(changed),
                        What::Section(i) => site.sections.get(i).and_then(changed),
                        _ => None,
                    },
                })
                .collect()
        })
    }

    /// The context of `job`.
    pub(crate) fn context(&self, job: &Job) -> Context {
        self.with_vars(job, |vars| {
            Context::from_serialize(vars).unwrap_or_default()
        })
    }

    /// A fingerprint of `job`'s context: equal fingerprints, equal pages (given the same
    /// templates and globals).
    ///
    /// An article page, the one kind of page there is one of per source, is fingerprinted
    /// from its inputs rather than its serialized variables, which costs a fraction: its
    /// article, rendered body, column label and neighbours, and what all article pages share.
    /// Whatever [`super::views::Views::article`] or the article frame comes to read must be
    /// added here.
    pub(crate) fn fingerprint(&self, job: &Job) -> u64 {
        use std::hash::{Hash, Hasher};
        let What::Article(i) = job.what else {
            return self.with_vars(job, |vars| fingerprint(vars));
        };
        let views = self.views;
        let site = views.site;
        let body = &views.bodies.articles[i];
        let near = |j: usize| site.articles.get(j).map(|a| (&a.title, &a.slug));
        let mut hasher = rustc_hash::FxHasher::default();
        (
            self.article_shared(),
            &job.path,
            &site.articles[i],
            &body.html,
            &body.toc,
            &views.columns[i],
            i.checked_sub(1).and_then(near),
            near(i + 1),
        )
            .hash(&mut hasher);
        hasher.finish()
    }

    /// See [`Contexts::fingerprint`]: the configuration, criteria, subjects and the article
    /// list's title.
    fn article_shared(&self) -> u64 {
        *self.article_shared.get_or_init(|| {
            let site = self.views.site;
            let config = &site.config;
            let criteria: Vec<(&str, &str)> = site
                .criteria
                .iter()
                .map(|c| (c.id.as_str(), c.title.as_str()))
                .collect();
            let subjects: Vec<(&str, &str, Option<&str>)> = site
                .subjects
                .iter()
                .map(|s| (s.id.as_str(), s.name.as_str(), s.color.as_deref()))
                .collect();
            fingerprint(&(
                &config.base_path,
                &config.base_url,
                criteria,
                subjects,
                list_title(self.views, Collection::Articles),
            ))
        })
    }

    fn with_vars<R>(&self, job: &Job, f: impl FnOnce(&dyn erased_serde::Serialize) -> R) -> R {
        let views = self.views;
        let site = views.site;
        let framer = Framer { views, job };
        match job.what {
            What::Home => f(&framer
                .frame("home", vec![], None, None)
                .with(views.page(&site.home, &views.bodies.home), None)),
            What::Article(i) => {
                let frame = framer.item("article", Collection::Articles, i, &|j| {
                    let a = &site.articles[j];
                    (a.title.clone(), a.url_path())
                });
                f(&frame.with(views.article(i), None))
            }
            What::Criterion(i, number) => {
                let frame = framer.item("criterion", Collection::Criteria, i, &|j| {
                    let c = &site.criteria[j];
                    (c.title.clone(), c.url_path())
                });
                let first = site.criteria[i].url_path();
                let paginator = Paginator::new(
                    number,
                    site.matrix.rows[i].claims.len(),
                    site.config.paginate_by,
                    |n| views.url(&page_path(&first, n)),
                );
                f(&frame.with(views.criterion_page(i, number), Some(paginator)))
            }
            What::Subject(i) => {
                let frame = framer.item("subject", Collection::Subjects, i, &|j| {
                    let s = &site.subjects[j];
                    (s.name.clone(), s.url_path())
                });
                f(&frame.with(views.subject(i), None))
            }
            What::List(collection, number) => f(&framer.list(collection, number)),
            What::Section(i) => {
                let section = &site.sections[i];
                let frame = framer.frame("section", ancestors(views, &section.path), None, None);
                f(&frame.with(views.section(i), None))
            }
            What::Page(i) => f(&framer
                .page(i)
                .with(views.page(&site.pages[i], &views.bodies.pages[i]), None)),
            What::Search => {
                let page = ListPage {
                    title: "Search".into(),
                    description: Some("Search the digests, criteria and pages of this site."),
                    content: "",
                    toc: &[],
                    url: views.url(SEARCH_PAGE),
                };
                f(&framer
                    .frame("search", vec![framer.home_link()], None, None)
                    .with(page, None))
            }
            What::NotFound => {
                let mut frame = framer.frame("404", vec![], None, None);
                frame.current_path.clone_from(&site.config.base_path);
                frame.canonical.clone_from(&site.config.base_url);
                f(&frame.with((), None))
            }
            What::SiteFile => f(&SiteFileVars {
                sitemap: self.sitemap(),
                updated: views.updated(),
                feed_limit: site.config.feed_limit,
                canonical: format!("{}{}", site.config.base_url, job.path),
            }),
        }
    }
}

/// Makes the frame of one job's page: where it is, its breadcrumbs and neighbours.
struct Framer<'v> {
    views: &'v Views<'v>,
    job: &'v Job,
}

impl<'v> Framer<'v> {
    fn home_link(&self) -> NavLink {
        NavLink {
            title: "Home".into(),
            url: self.views.url(""),
        }
    }

    fn frame(
        &self,
        kind: &'static str,
        breadcrumbs: Vec<NavLink>,
        prev: Option<NavLink>,
        next: Option<NavLink>,
    ) -> Frame {
        let path = &self.job.path;
        let url = path.strip_suffix("index.html").unwrap_or(path);
        let config = &self.views.site.config;
        Frame {
            kind,
            current_path: format!("{}{url}", config.base_path),
            canonical: format!("{}{url}", config.base_url),
            breadcrumbs,
            prev,
            next,
        }
    }

    /// An article, criterion or subject: breadcrumbs to its list, links to its neighbours
    /// in the list (`item(j)` gives the title and URL path of item `j`).
    fn item(
        &self,
        kind: &'static str,
        collection: Collection,
        i: usize,
        item: &dyn Fn(usize) -> (String, String),
    ) -> Frame {
        let (views, site) = (self.views, self.views.site);
        let count = match collection {
            Collection::Articles => site.articles.len(),
            Collection::Criteria => site.criteria.len(),
            Collection::Subjects => site.subjects.len(),
        };
        let link = |j: usize| {
            let (title, path) = item(j);
            NavLink {
                title,
                url: views.url(&path),
            }
        };
        let crumbs = vec![
            self.home_link(),
            NavLink {
                title: list_title(views, collection),
                url: views.url(&format!("{}/", collection.dir())),
            },
        ];
        self.frame(
            kind,
            crumbs,
            i.checked_sub(1).map(link),
            (i + 1 < count).then(|| link(i + 1)),
        )
    }

    /// Page `number` of the list of `collection`.
    fn list(&self, collection: Collection, number: usize) -> ListVars<'v, ListPage<'v>> {
        let (views, site) = (self.views, self.views.site);
        let frame = self.frame("list", vec![self.home_link()], None, None);
        let page = list_page(views, collection);
        let (paginator, items) = if collection == Collection::Articles {
            let per_page = site.config.paginate_by;
            let paginator = Paginator::new(number, site.articles.len(), per_page, |n| {
                views.url(&page_path("articles/", n))
            });
            let items = ((number - 1) * per_page..(number * per_page).min(site.articles.len()))
                .map(|i| views.article_summary(i))
                .collect();
            (Some(paginator), Some(items))
        } else {
            (None, None)
        };
        ListVars {
            frame: frame.with(page, paginator),
            list: collection.dir(),
            digests: items,
        }
    }

    /// The frame of page `i`: breadcrumbs through its sections, links to its siblings.
    fn page(&self, i: usize) -> Frame {
        let views = self.views;
        let page = &views.site.pages[i];
        let (siblings, _) = views.children(parent(&page.path));
        let position = siblings
            .iter()
            .position(|p| p.path == page.path)
            .unwrap_or(0);
        let link = |p: &PageView<'_>| NavLink {
            title: p.title.to_string(),
            url: p.url.clone(),
        };
        self.frame(
            "page",
            ancestors(views, &page.path),
            position
                .checked_sub(1)
                .and_then(|i| siblings.get(i))
                .map(link),
            siblings.get(position + 1).map(link),
        )
    }
}

/// The variables every page has.
struct Frame {
    kind: &'static str,
    current_path: String,
    canonical: String,
    breadcrumbs: Vec<NavLink>,
    prev: Option<NavLink>,
    next: Option<NavLink>,
}

#[derive(Serialize)]
struct FrameVars<P: Serialize> {
    kind: &'static str,
    current_path: String,
    canonical: String,
    breadcrumbs: Vec<NavLink>,
    prev: Option<NavLink>,
    next: Option<NavLink>,
    page: P,
    #[serde(skip_serializing_if = "Option::is_none")]
    paginator: Option<Paginator>,
}

impl Frame {
    fn with<P: Serialize>(self, page: P, paginator: Option<Paginator>) -> FrameVars<P> {
        FrameVars {
            kind: self.kind,
            current_path: self.current_path,
            canonical: self.canonical,
            breadcrumbs: self.breadcrumbs,
            prev: self.prev,
            next: self.next,
            page,
            paginator,
        }
    }
}

#[derive(Serialize)]
struct ListVars<'a, P: Serialize> {
    #[serde(flatten)]
    frame: FrameVars<P>,
    list: &'static str,
    /// The digests on this page of the article list.
    #[serde(skip_serializing_if = "Option::is_none")]
    digests: Option<Vec<super::views::ArticleSummary<'a>>>,
}

fn ancestors(views: &Views<'_>, path: &str) -> Vec<NavLink> {
    let site = views.site;
    let mut crumbs = vec![NavLink {
        title: "Home".into(),
        url: views.url(""),
    }];
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

fn list_page<'a>(views: &'a Views<'a>, collection: Collection) -> ListPage<'a> {
    let site = views.site;
    let intro = site
        .list_intros
        .iter()
        .zip(&views.bodies.list_intros)
        .find(|((c, _), _)| **c == collection);
    ListPage {
        title: list_title(views, collection),
        description: intro.and_then(|((_, p), _)| p.description.as_deref()),
        content: intro.map_or("", |(_, r)| r.html.as_str()),
        toc: intro.map_or(&[], |(_, r)| r.toc.as_slice()),
        url: views.url(&format!("{}/", collection.dir())),
    }
}

/// Where the search page goes; reserved in the model so no content page can take it.
pub(crate) const SEARCH_PAGE: &str = "search/";

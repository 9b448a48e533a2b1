//! The context of each job, made only when it is rendered: its frame and what it shows.

use super::frame::{Framer, ListPage, ancestors};
use super::*;

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

/// What is done with a page's variables, whatever their type: made into a template context
/// (or, when rebuilding, fingerprinted). Generic rather than `dyn`, so that serializing
/// them costs no dynamic call per field.
pub(crate) trait UseVars {
    type Out;
    /// How the variables are made.
    const FORM: Form;
    fn with<T: Serialize>(self, vars: &T) -> Self::Out;
}

/// Makes the contexts of jobs.
pub(crate) struct Contexts<'v> {
    views: &'v Views<'v>,
    jobs: &'v [Job],
    /// Every page's URL, for the sitemap (made when first needed).
    sitemap: std::sync::OnceLock<Vec<SitemapEntry>>,
}

impl<'v> Contexts<'v> {
    pub(crate) fn new(views: &'v Views<'v>, jobs: &'v [Job]) -> Contexts<'v> {
        Contexts {
            views,
            jobs,
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
        struct MakeContext;
        impl UseVars for MakeContext {
            type Out = Context;
            const FORM: Form = Form::Values;
            fn with<T: Serialize>(self, vars: &T) -> Context {
                Context::from_serialize(vars).unwrap_or_default()
            }
        }
        self.with_vars(job, MakeContext)
    }

    /// What made the contexts.
    pub(crate) fn views(&self) -> &'v Views<'v> {
        self.views
    }

    /// Hands the variables of `job`'s page to `f`.
    pub(crate) fn with_vars<U: UseVars>(&self, job: &Job, f: U) -> U::Out {
        let views = self.views;
        let site = views.site;
        let framer = Framer {
            views,
            job,
            form: U::FORM,
        };
        match job.what {
            What::Home => f.with(
                &framer
                    .frame("home", vec![], None, None)
                    .with(views.page(&site.home, &views.bodies.home), None),
            ),
            What::Article(i) => {
                let frame = framer.item("article", Collection::Articles, i, &|j| {
                    let a = &site.articles[j];
                    (a.title.clone(), a.url_path())
                });
                f.with(&frame.with(views.article(i, U::FORM), None))
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
                f.with(&frame.with(views.criterion_page(i, number, U::FORM), Some(paginator)))
            }
            What::Subject(i) => {
                let frame = framer.item("subject", Collection::Subjects, i, &|j| {
                    let s = &site.subjects[j];
                    (s.name.clone(), s.url_path())
                });
                f.with(&frame.with(views.subject(i), None))
            }
            What::List(collection, number) => f.with(&framer.list(collection, number, U::FORM)),
            What::Section(i) => {
                let section = &site.sections[i];
                let frame = framer.frame("section", ancestors(views, &section.path), None, None);
                f.with(&frame.with(views.section(i), None))
            }
            What::Page(i) => f.with(
                &framer
                    .page(i)
                    .with(views.page(&site.pages[i], &views.bodies.pages[i]), None),
            ),
            What::Search => {
                let page = ListPage {
                    title: "Search".into(),
                    description: Some("Search the digests, criteria and pages of this site."),
                    content: "",
                    toc: &[],
                    url: views.url(SEARCH_PAGE),
                };
                f.with(
                    &framer
                        .frame("search", vec![framer.home_link()], None, None)
                        .with(page, None),
                )
            }
            What::NotFound => {
                let mut frame = framer.frame("404", vec![], None, None);
                frame.current_path.clone_from(&site.config.base_path);
                frame.canonical.clone_from(&site.config.base_url);
                f.with(&frame.with((), None))
            }
            What::SiteFile => f.with(&SiteFileVars {
                sitemap: self.sitemap(),
                updated: views.updated(),
                feed_limit: site.config.feed_limit,
                canonical: format!("{}{}", site.config.base_url, job.path),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::{Inputs, Mode, Options, read_content};
    use crate::render::{bodies, engine, shortcodes};

    /// Contexts as fingerprints see them: every view serialized afresh.
    struct ViewsContext;
    impl UseVars for ViewsContext {
        type Out = Context;
        const FORM: Form = Form::Views;
        fn with<T: Serialize>(self, vars: &T) -> Context {
            Context::from_serialize(vars).unwrap()
        }
    }

    /// The shared Tera values stand for exactly the views they were made from, on every
    /// page of this repository's site and of its user guide.
    #[test]
    fn shared_values_give_the_contexts_views_give() {
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for root in [repo.to_path_buf(), repo.join("docs")] {
            let options = Options {
                root: root.clone(),
                output: None,
                base_url: None,
                mode: Mode::Check,
                evidence: Default::default(),
                drafts: false,
            };
            let inputs = Inputs::load(&options).unwrap();
            let (sources, assets, errors) = read_content(&root).unwrap();
            let site = inputs
                .model((sources.into_values().collect(), assets), errors)
                .unwrap();
            let links = bodies::link_context(&site, &inputs.theme);
            let tera =
                engine::templates(&inputs.theme, &site.config.base_path, &site.config.base_url)
                    .unwrap();
            let expand = shortcodes::Templates::new(&tera, &inputs.theme.templates, &site);
            let (bodies, errors) = bodies::render_bodies_all(&site, &links, &expand);
            assert!(errors.is_empty(), "{errors:?}");
            let views = Views::new(&site, &bodies);
            let jobs = jobs(&views);
            let contexts = Contexts::new(&views, &jobs);
            let mut articles = 0;
            for job in &jobs {
                let values = contexts.context(job);
                assert_eq!(
                    values,
                    contexts.with_vars(job, ViewsContext),
                    "{}",
                    job.path
                );
                articles += usize::from(matches!(job.what, What::Article(_)));
            }
            assert!(root == repo.join("docs") || articles >= 5, "{articles}");
        }
    }
}

//! Rendering: Markdown bodies, then every page of the site through the theme's Tera
//! templates, then the data and site files, then a check of every internal link. Pure: it
//! takes the model and the theme and returns the output files.

mod data;
mod engine;
mod errors;
mod fingerprint;
pub mod links;
pub(crate) mod pages;
pub(crate) mod search;
pub(crate) mod shortcodes;
pub mod views;
mod weighting;

use std::collections::HashMap;

use rayon::prelude::*;
use tera::{Tera, Value};

use crate::content::Collection;
use crate::error::Diagnostic;
use crate::markdown::{LinkContext, Rendered};
use crate::model::generated::{GENERATED, Generated, Maker};
use crate::model::{Body, Site};
use crate::output::OutputFile;
use crate::theme::Theme;
use engine::render_job;
pub(crate) use engine::render_page;
pub use engine::templates;
use views::{Bodies, Views};

/// Everything a build writes.
#[derive(Debug, Clone, Default)]
pub struct Output {
    /// Generated files, sorted by path (empty when they were streamed to a [`Store`]).
    pub files: Vec<OutputFile>,
    /// The path of every generated file, sorted.
    pub paths: Vec<String>,
    /// How many HTML pages are among them.
    pub pages: usize,
}

/// Where rendered files go.
pub enum Store<'s> {
    /// Kept in [`Output::files`].
    Memory,
    /// Handed over one by one as they are made, then dropped: a large site is never in
    /// memory all at once.
    Stream(&'s dyn Sink),
}

impl Store<'_> {
    /// Tells a streaming sink how many files to expect.
    fn planned(&self, files: usize) {
        if let Store::Stream(sink) = self {
            sink.planned(files);
        }
    }

    /// Hands `file` to the sink, or gives it back to be kept in memory.
    fn put(&self, file: OutputFile) -> Result<Option<OutputFile>, Diagnostic> {
        match self {
            Store::Memory => Ok(Some(file)),
            Store::Stream(sink) => sink.put(file).map(|()| None),
        }
    }
}

/// Takes rendered files as they are made, from several threads.
pub trait Sink: Sync {
    /// How many files the render will hand over (called once, before the first).
    fn planned(&self, _files: usize) {}
    /// One finished file.
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic>;
}

/// Renders the whole site.
pub fn render(site: &Site, theme: &Theme, store: Store<'_>) -> Result<Output, Vec<Diagnostic>> {
    let site = std::borrow::Cow::Borrowed(site);
    render_with(site, theme, store, Links::Check, &[]).map(|(output, _)| output)
}

/// Renders the whole site into memory and hands back what went into it, for rebuilding.
pub(crate) fn render_kept(site: Site, theme: &Theme) -> Result<(Output, Parts), Vec<Diagnostic>> {
    let site = std::borrow::Cow::Owned(site);
    render_with(site, theme, Store::Memory, Links::KeepAll, &[])
}

/// The template and link errors of a site some of whose content files failed (`failed`:
/// their paths under `content/`), rendered to check and then dropped, so that one run
/// reports them together with the files' own errors. Links to a failed file are taken as
/// fine: its page would exist, and its ids are unknown.
pub(crate) fn errors_beside(site: &Site, theme: &Theme, failed: &[String]) -> Vec<Diagnostic> {
    struct Drop;
    impl Sink for Drop {
        fn put(&self, _: OutputFile) -> Result<(), Diagnostic> {
            Ok(())
        }
    }
    let site = std::borrow::Cow::Borrowed(site);
    render_with(site, theme, Store::Stream(&Drop), Links::Check, failed)
        .err()
        .unwrap_or_default()
}

/// The URL path (relative to the base) a content file's page is at: `guide/x.md` at
/// `guide/x/`, `guide/_index.md` at `guide/`.
fn url_of_source(rel: &str) -> String {
    let path = rel.strip_suffix(".md").unwrap_or(rel);
    match path.strip_suffix("_index") {
        Some(dir) => dir.to_string(),
        None => format!("{path}/"),
    }
}

/// What went into a render, handed back to the caller that keeps it ([`render_kept`]).
pub(crate) struct Parts {
    /// The compiled templates, with the globals installed.
    pub tera: Tera,
    /// The same without the globals, for shortcodes (kept by [`render_kept`] only).
    pub shortcode_tera: Option<Tera>,
    /// Every job, in render order.
    pub jobs: Vec<pages::Job>,
    /// Content path → URL path, for `@/` links.
    pub links: LinkContext,
    /// What the link checker found in every file.
    pub extracted: Vec<links::Extracted>,
    /// The search index, when the site has one.
    pub search: Option<search::Index>,
    /// The model.
    pub site: Site,
    /// Its rendered Markdown.
    pub bodies: Bodies,
    /// Per global (in [`pages::GLOBALS`] order), its fingerprint.
    pub globals: Vec<u64>,
    /// Matrix column labels, per article.
    pub columns: Vec<String>,
}

/// Which links a render keeps after checking them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Links {
    /// Only those not resolved as their page is made: a large site keeps few.
    Check,
    /// All of them, for a caller that indexes them.
    KeepAll,
}

/// The render, step by step: Markdown bodies; templates with the globals every page reads;
/// the plan of pages; the pages, with the data and site files beside them; the link check.
fn render_with(
    site: std::borrow::Cow<'_, Site>,
    theme: &Theme,
    store: Store<'_>,
    keep: Links,
    failed: &[String],
) -> Result<(Output, Parts), Vec<Diagnostic>> {
    let mut link_context = link_context(&site, &theme.templates);
    for rel in failed {
        let url = url_of_source(rel);
        link_context.pages.entry(rel.clone()).or_insert(url);
    }
    // Errors of independent steps are gathered and reported together: a broken `@/` link
    // does not hide a template error or a missing anchor elsewhere.
    let mut tera = templates(theme, &site.config.base_path, &site.config.base_url)?;
    let expand = shortcodes::Templates::new(&tera, &theme.templates, &site);
    let (bodies, mut errors) = render_bodies_all(&site, &link_context, &expand);
    let shortcode_tera = (keep == Links::KeepAll).then(|| tera.clone());
    let views = Views::new(&site, &bodies);
    let shared = pages::Shared::new(&views);
    shared.install(tera.global_context());
    let jobs = pages::jobs(&views);
    let contexts = pages::Contexts::new(&views, &jobs);
    let data_paths = site_file_paths(&site);
    let known = known_paths(&jobs, &data_paths, theme);
    let planned = jobs.iter().map(|j| j.path.as_str());
    let conflicts = crate::output::path_conflicts(
        theme,
        planned.chain(data_paths.iter().map(String::as_str)),
        &site,
    );
    if !conflicts.is_empty() {
        return Err(conflicts);
    }
    store.planned(jobs.len() + data_paths.len());
    let step = PageStep {
        tera: &tera,
        contexts: &contexts,
        theme,
        base_path: &site.config.base_path,
        known: (keep == Links::Check).then_some(&known),
        store: &store,
    };
    let (rendered, (search, data)) = rayon::join(
        || jobs.par_iter().map(|job| step.render(job)).collect(),
        || {
            let search = site.config.search_index.then(|| search::Index::new(&site));
            let data = site_files(&site, search.as_ref());
            (search, data)
        },
    );
    let (mut made, page_errors) = Made::collect(rendered, &jobs);
    errors.extend(page_errors);
    if let Err(data_errors) = made.add_data(data, &step) {
        errors.extend(data_errors);
    }
    made.add_assets(theme, step.base_path);
    for rel in failed {
        let path = format!("{}index.html", url_of_source(rel));
        made.extracted.push(links::extract("", &path, None, None));
    }
    if let Err(link_errors) = check_links(&site, &bodies, &made.extracted, &jobs, theme) {
        errors.extend(link_errors);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let output = made.output(&jobs);
    drop(contexts);
    let parts = Parts {
        globals: shared.fingerprints(),
        columns: views.columns.into_owned(),
        shortcode_tera,
        tera,
        jobs,
        links: link_context,
        extracted: made.extracted,
        search,
        site: site.into_owned(),
        bodies,
    };
    Ok((output, parts))
}

/// Every URL path the build writes, known before rendering, so that most links are checked
/// as their page is made and need not be kept.
fn known_paths<'a>(
    jobs: &'a [pages::Job],
    data_paths: &'a [String],
    theme: &'a Theme,
) -> std::collections::HashSet<&'a str> {
    jobs.iter()
        .map(|j| j.path.as_str())
        .chain(data_paths.iter().map(String::as_str))
        .chain(theme.assets.keys().map(String::as_str))
        .map(links::url_path)
        .collect()
}

/// What rendering one page needs.
struct PageStep<'a> {
    tera: &'a Tera,
    contexts: &'a pages::Contexts<'a>,
    theme: &'a Theme,
    base_path: &'a str,
    /// The paths links may resolve to as their page is made (`None`: keep every link).
    known: Option<&'a std::collections::HashSet<&'a str>>,
    store: &'a Store<'a>,
}

/// One rendered job: what the link checker keeps, and the file when the store keeps it.
type Done = (links::Extracted, Option<OutputFile>);

impl PageStep<'_> {
    fn render(&self, job: &pages::Job) -> Result<Done, Diagnostic> {
        let file = render_job(self.tera, job, &self.contexts.context(job), self.theme)?;
        let html = job.path.ends_with(".html");
        let extracted = links::extract(
            self.base_path,
            &file.path,
            html.then(|| std::str::from_utf8(&file.bytes).unwrap_or_default()),
            self.known,
        );
        Ok((extracted, self.store.put(file)?))
    }
}

/// What the pages and files of a render came to.
struct Made {
    /// Per generated file then per static file, what the link checker keeps.
    extracted: Vec<links::Extracted>,
    /// How many of `extracted` are generated files.
    output_paths: usize,
    /// The files the store kept.
    files: Vec<OutputFile>,
}

impl Made {
    /// The rendered pages (of `jobs`, in order) and every page error (each once). A page
    /// that failed stands in the link check as a file without ids, so that links into it
    /// are not reported broken as well.
    fn collect(
        rendered: Vec<Result<Done, Diagnostic>>,
        jobs: &[pages::Job],
    ) -> (Made, Vec<Diagnostic>) {
        let mut errors = Vec::new();
        let mut made = Made {
            extracted: Vec::with_capacity(rendered.len()),
            output_paths: 0,
            files: Vec::new(),
        };
        for (r, job) in rendered.into_iter().zip(jobs) {
            match r {
                Ok((e, file)) => {
                    made.extracted.push(e);
                    made.files.extend(file);
                }
                Err(d) => {
                    errors.push(d);
                    made.extracted
                        .push(links::extract("", &job.path, None, None));
                }
            }
        }
        let errors = if errors.is_empty() {
            errors
        } else {
            same_errors_once(errors)
        };
        (made, errors)
    }

    /// Hands the data and site files to the store.
    fn add_data(
        &mut self,
        data: Vec<OutputFile>,
        step: &PageStep<'_>,
    ) -> Result<(), Vec<Diagnostic>> {
        for file in data {
            let extracted = links::extract(step.base_path, &file.path, None, None);
            self.extracted.push(extracted);
            self.files
                .extend(step.store.put(file).map_err(|d| vec![d])?);
        }
        Ok(())
    }

    /// The static files, as link targets.
    fn add_assets(&mut self, theme: &Theme, base_path: &str) {
        self.output_paths = self.extracted.len();
        self.extracted.extend(
            theme
                .assets
                .keys()
                .map(|a| links::extract(base_path, a, None, None)),
        );
    }

    /// The output: the files sorted by path, and every generated path.
    fn output(&mut self, jobs: &[pages::Job]) -> Output {
        let mut paths: Vec<String> = self.extracted[..self.output_paths]
            .iter()
            .map(|e| e.path.clone())
            .collect();
        paths.sort();
        let mut files = std::mem::take(&mut self.files);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Output {
            files,
            paths,
            pages: jobs.iter().filter(|j| j.path.ends_with(".html")).count(),
        }
    }
}

/// Checks every internal link of the bodies and of the generated files.
fn check_links(
    site: &Site,
    bodies: &Bodies,
    extracted: &[links::Extracted],
    jobs: &[pages::Job],
    theme: &Theme,
) -> Result<(), Vec<Diagnostic>> {
    let sources = link_sources(site, bodies);
    let link_errors = links::check_extracted(extracted, &sources.borrowed());
    if link_errors.is_empty() {
        Ok(())
    } else {
        Err(name_templates(link_errors, jobs, theme))
    }
}

/// Content path → URL path, for `@/` links, and the ids `templates` reserve.
pub(crate) fn link_context(
    site: &Site,
    templates: &std::collections::BTreeMap<String, crate::theme::TemplateSource>,
) -> LinkContext {
    let mut pages = HashMap::new();
    pages.insert("_index.md".to_string(), String::new());
    for s in &site.subjects {
        pages.insert(format!("subjects/{}.md", s.id), s.url_path());
    }
    for c in &site.criteria {
        pages.insert(format!("criteria/{}.md", c.id), c.url_path());
    }
    for a in &site.articles {
        pages.insert(format!("articles/{}.md", a.slug), a.url_path());
    }
    for c in site.list_intros.keys() {
        pages.insert(format!("{}/_index.md", c.dir()), format!("{}/", c.dir()));
    }
    for s in &site.sections {
        pages.insert(format!("{}/_index.md", s.path), s.url.clone());
    }
    for p in &site.pages {
        pages.insert(format!("{}.md", p.path), p.url.clone());
    }
    LinkContext {
        base_path: site.config.base_path.clone(),
        pages,
        highlighter: Default::default(),
        reserved_ids: crate::theme::scan::reserved_ids(templates).into(),
    }
}

pub(crate) fn render_bodies(
    site: &Site,
    links: &LinkContext,
    expand: &dyn crate::shortcodes::Expand,
) -> Result<Bodies, Vec<Diagnostic>> {
    render_bodies_reusing(site, links, expand, &|_| None)
}

/// Every body of `site` rendered, those with errors too, and the errors.
fn render_bodies_all(
    site: &Site,
    links: &LinkContext,
    expand: &dyn crate::shortcodes::Expand,
) -> (Bodies, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let mut all = |bodies: Vec<&Body>| -> Vec<Rendered> {
        let results: Vec<_> = bodies
            .par_iter()
            .map(|b| crate::shortcodes::render_all(b, links, expand))
            .collect();
        results
            .into_iter()
            .map(|(rendered, e)| {
                errors.extend(e);
                rendered
            })
            .collect()
    };
    let bodies = Bodies {
        home: all(vec![&site.home.body]).pop().unwrap_or_default(),
        subjects: all(site.subjects.iter().map(|s| &s.body).collect()),
        criteria: all(site.criteria.iter().map(|c| &c.body).collect()),
        articles: all(site.articles.iter().map(|a| &a.body).collect()),
        sections: all(site.sections.iter().map(|p| &p.body).collect()),
        pages: all(site.pages.iter().map(|p| &p.body).collect()),
        list_intros: all(site.list_intros.values().map(|p| &p.body).collect()),
    };
    (bodies, errors)
}

/// Renders every body of `site`, taking from `reuse` those it already has.
pub(crate) fn render_bodies_reusing(
    site: &Site,
    links: &LinkContext,
    expand: &dyn crate::shortcodes::Expand,
    reuse: &(dyn Fn(&Body) -> Option<Rendered> + Sync),
) -> Result<Bodies, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut all = |bodies: Vec<&Body>| -> Vec<Rendered> {
        let results: Vec<_> = bodies
            .par_iter()
            .map(|b| reuse(b).map_or_else(|| crate::shortcodes::render(b, links, expand), Ok))
            .collect();
        results
            .into_iter()
            .map(|r| {
                r.unwrap_or_else(|e| {
                    errors.extend(e);
                    Rendered::default()
                })
            })
            .collect()
    };
    let bodies = Bodies {
        home: all(vec![&site.home.body]).pop().unwrap_or_default(),
        subjects: all(site.subjects.iter().map(|s| &s.body).collect()),
        criteria: all(site.criteria.iter().map(|c| &c.body).collect()),
        articles: all(site.articles.iter().map(|a| &a.body).collect()),
        sections: all(site.sections.iter().map(|p| &p.body).collect()),
        pages: all(site.pages.iter().map(|p| &p.body).collect()),
        list_intros: all(site.list_intros.values().map(|p| &p.body).collect()),
    };
    if errors.is_empty() {
        Ok(bodies)
    } else {
        Err(errors)
    }
}

/// A broken link that a template wrote is found in a generated page (`output/<path>`): name
/// the template that page is made with instead, so the message points at a file to fix.
fn name_templates(errors: Vec<Diagnostic>, jobs: &[pages::Job], theme: &Theme) -> Vec<Diagnostic> {
    errors
        .into_iter()
        .map(|mut d| {
            let output = d.path.to_string_lossy();
            let Some(path) = output.strip_prefix("output/") else {
                return d;
            };
            let Some(job) = jobs.iter().find(|j| j.path == path) else {
                return d;
            };
            let template = theme
                .templates
                .get(&job.template)
                .map_or_else(|| job.template.clone().into(), |t| t.display.clone());
            d.message = d.message.replace(
                "in the generated page",
                &format!("in the generated /{}", links::url_path(path)),
            );
            d.message = d.message.replace(
                "(check the template that writes it)",
                "(written by this template or one it builds on)",
            );
            d.path = template;
            d
        })
        .collect()
}

/// One template mistake fails every page that uses it: report it once, saying on how many
/// pages it happened, instead of a screenful of the same line.
fn same_errors_once(errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    crate::error::once_per_key(errors.into_iter().map(|d| {
        let message = d
            .message
            .split(" (while rendering ")
            .next()
            .unwrap_or_default();
        ((d.path.clone(), d.line, d.column, message.to_string()), d)
    }))
}

/// The data files of the table of generated files that `site` has.
fn data_files(site: &Site) -> impl Iterator<Item = &'static Generated> + '_ {
    GENERATED.iter().filter(|g| match g.maker {
        Maker::Template => false,
        Maker::SearchIndex => site.config.search_index,
        Maker::Cname => site.config.cname.is_some(),
        Maker::Empty | Maker::MatrixJson | Maker::MatrixCsv => true,
    })
}

/// The paths [`site_files`] writes.
pub(crate) fn site_file_paths(site: &Site) -> Vec<String> {
    let mut paths = Vec::new();
    for g in data_files(site) {
        match g.maker {
            Maker::SearchIndex => paths.extend(search::paths(site)),
            _ => paths.push(g.path.to_string()),
        }
    }
    paths
}

/// Files that come from data rather than templates.
pub(crate) fn site_files(site: &Site, search: Option<&search::Index>) -> Vec<OutputFile> {
    let mut files = Vec::new();
    for g in data_files(site) {
        let bytes = match g.maker {
            Maker::Empty | Maker::Template => Vec::new(),
            Maker::MatrixJson => data::matrix_json(site),
            Maker::MatrixCsv => data::matrix_csv(site),
            Maker::Cname => {
                let cname = site.config.cname.as_deref().unwrap_or_default();
                format!("{}\n", cname.trim()).into_bytes()
            }
            Maker::SearchIndex => {
                files.extend(search.map(search::Index::files).unwrap_or_default());
                continue;
            }
        };
        files.push(OutputFile {
            path: g.path.into(),
            bytes,
        });
    }
    files
}

/// Every Markdown body's links, with the page they show on and the file they were written in.
pub(crate) struct LinkSources {
    owned: Vec<(
        String,
        Vec<crate::markdown::InternalLink>,
        std::path::PathBuf,
    )>,
}

impl LinkSources {
    pub(crate) fn borrowed(&self) -> Vec<links::SourceLinks<'_>> {
        self.owned
            .iter()
            .map(|(page, links, source)| links::SourceLinks {
                page,
                links,
                source,
            })
            .collect()
    }
}

pub(crate) fn link_sources(site: &Site, bodies: &Bodies) -> LinkSources {
    let mut owned = Vec::new();
    let mut add = |url: String, rendered: &Rendered, body: &Body| {
        if !rendered.links.is_empty() {
            owned.push((url, rendered.links.clone(), body.source.clone()));
        }
    };
    add(String::new(), &bodies.home, &site.home.body);
    for (s, r) in site.subjects.iter().zip(&bodies.subjects) {
        add(s.url_path(), r, &s.body);
    }
    for (c, r) in site.criteria.iter().zip(&bodies.criteria) {
        add(c.url_path(), r, &c.body);
    }
    for (a, r) in site.articles.iter().zip(&bodies.articles) {
        add(a.url_path(), r, &a.body);
    }
    for (p, r) in site
        .sections
        .iter()
        .zip(&bodies.sections)
        .chain(site.pages.iter().zip(&bodies.pages))
    {
        add(p.url.clone(), r, &p.body);
    }
    for ((c, p), r) in site.list_intros.iter().zip(&bodies.list_intros) {
        add(format!("{}/", Collection::dir(*c)), r, &p.body);
    }
    LinkSources { owned }
}

/// Used by tests and templates that need a Value from a view.
pub(crate) fn value<T: serde::Serialize + ?Sized>(view: &T) -> Value {
    Value::from_serializable(view)
}

#[cfg(test)]
mod tests {
    use crate::error::Diagnostic;

    #[test]
    fn a_template_error_on_many_pages_is_reported_once() {
        let on = |page: &str, line| {
            Diagnostic::new(
                "templates/list.html",
                format!("bad (while rendering /{page})"),
            )
            .at(line, 3)
        };
        let errors =
            super::same_errors_once(vec![on("a/", 8), on("b/", 8), on("c/", 8), on("a/", 9)]);
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "templates/list.html:8:3: bad (while rendering /a/) (and 2 more pages)",
                "templates/list.html:9:3: bad (while rendering /a/)"
            ]
        );
    }
}

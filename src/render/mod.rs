//! Rendering: Markdown bodies, then every page of the site through the theme's Tera
//! templates, then the data and site files, then a check of every internal link. Pure: it
//! takes the model and the theme and returns the output files.

mod aliases;
mod assets;
mod bodies;
mod check;
mod data;
mod engine;
mod errors;
pub(crate) mod links;
mod made;
pub(crate) mod pages;
pub(crate) mod search;
pub(crate) mod shortcodes;
pub(crate) mod site_files;
mod tags;
pub(crate) mod views;
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
pub(crate) use aliases::is_alias;
pub(crate) use engine::render_page;
use engine::render_text;
pub(crate) use engine::templates;
use views::{Bodies, Views};

use bodies::render_bodies_all;
pub(crate) use bodies::{link_context, render_bodies_reusing};
use check::check_links;
pub(crate) use check::link_sources;
use made::known_paths;
use made::{Made, PageStep};
pub(crate) use site_files::{matrix_files, site_file_paths, site_files};

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
pub(crate) enum Store<'s> {
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

    /// [`Store::put`] for a file written into a stream.
    fn put_written(
        &self,
        path: &str,
        write: site_files::Write<'_>,
    ) -> Result<Option<OutputFile>, Diagnostic> {
        match self {
            Store::Memory => Ok(Some(site_files::written(path, write))),
            Store::Stream(sink) => sink.put_written(path, write).map(|()| None),
        }
    }
}

/// Takes rendered files as they are made, from several threads.
pub(crate) trait Sink: Sync {
    /// How many files the render will hand over (called once, before the first).
    fn planned(&self, _files: usize) {}
    /// One finished file.
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic>;

    /// One file that `write` writes into a stream; by default made in memory, then [`put`].
    ///
    /// [`put`]: Sink::put
    fn put_written(&self, path: &str, write: site_files::Write<'_>) -> Result<(), Diagnostic> {
        self.put(site_files::written(path, write))
    }
}

/// Renders the whole site.
pub(crate) fn render(
    site: &Site,
    theme: &Theme,
    store: Store<'_>,
) -> Result<Output, Vec<Diagnostic>> {
    let site = std::borrow::Cow::Borrowed(site);
    render_with(site, theme, store, Links::Check, &[], &|_| 0).map(|(output, _)| output)
}

/// Renders the whole site into memory and hands back what went into it, for rebuilding;
/// `mark` sees each global as it is made ([`pages::Shared::marked`]).
pub(crate) fn render_kept(
    site: Site,
    theme: &Theme,
    mark: pages::Mark<'_>,
) -> Result<(Output, Parts), Vec<Diagnostic>> {
    let site = std::borrow::Cow::Owned(site);
    let (output, parts) = render_with(site, theme, Store::Memory, Links::KeepAll, &[], mark)?;
    let parts = parts.ok_or_else(|| {
        vec![Diagnostic::new(
            "versus",
            "internal error: a render for rebuilding kept nothing",
        )]
    })?;
    Ok((output, parts))
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
    render_with(
        site,
        theme,
        Store::Stream(&Drop),
        Links::Check,
        failed,
        &|_| 0,
    )
    .err()
    .unwrap_or_default()
}

/// The URL path (relative to the base) a content file's page is at: `guide/x.md` at
/// `guide/x/`, `guide/_index.md` at `guide/`.
fn url_of_source(rel: &str) -> String {
    let path = rel.strip_suffix(".md").unwrap_or(rel);
    let path = crate::content::assets::page_of_folder(path).unwrap_or(path);
    match path.strip_suffix("_index") {
        Some(dir) => dir.to_string(),
        None => format!("{path}/"),
    }
}

/// [`link_context`], with the pages of the content files that failed (`failed`) as well.
fn link_context_beside(site: &Site, theme: &Theme, failed: &[String]) -> LinkContext {
    let mut link_context = link_context(site, theme);
    for rel in failed {
        let url = url_of_source(rel);
        link_context.pages.entry(rel.clone()).or_insert(url);
    }
    link_context
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
    /// Per global (in [`pages::GLOBALS`] order), what [`render_kept`]'s `mark` made of it.
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
    mark: pages::Mark<'_>,
) -> Result<(Output, Option<Parts>), Vec<Diagnostic>> {
    let t = crate::timing::span("render.links_context");
    let link_context = link_context_beside(&site, theme, failed);
    drop(t);
    // Errors of independent steps are gathered and reported together: a broken `@/` link
    // does not hide a template error or a missing anchor elsewhere.
    let mut tera = templates(theme, &site.config.base_path, &site.config.base_url)?;
    let expand = shortcodes::Templates::new(&tera, &theme.templates, &site);
    let t = crate::timing::span("render.bodies");
    let (bodies, mut errors) = render_bodies_all(&site, &link_context, &expand);
    drop(t);
    let shortcode_tera = (keep == Links::KeepAll).then(|| tera.clone());
    let t = crate::timing::span("render.views_shared_jobs_contexts");
    let views = Views::new(&site, &bodies);
    let shared = pages::Shared::marked(&views, mark, &pages::read_by(&theme.templates));
    shared.install(tera.global_context());
    let jobs = pages::jobs(&views);
    let contexts = pages::Contexts::new(&views, &jobs);
    let data_paths = site_file_paths(&site);
    let known = known_paths(&jobs, &data_paths, theme, &site);
    no_path_conflicts(theme, &jobs, &data_paths, &site)?;
    drop(t);
    store.planned(jobs.len() + data_paths.len());
    let step = PageStep {
        tera: &tera,
        contexts: &contexts,
        theme,
        base_path: &site.config.base_path,
        known: (keep == Links::Check).then_some(&known),
        store: &store,
    };
    let t = crate::timing::span("render.pages_search_data");
    let (rendered, (search, data)) = rayon::join(
        || jobs.par_iter().map(|job| step.render(job)).collect(),
        || {
            let search = site.config.search_index.then(|| search::Index::new(&site));
            let data = step.store_data(&site, search.as_ref());
            (search, data)
        },
    );
    drop(t);
    let t = crate::timing::span("render.collect_check");
    let (mut made, page_errors) = Made::collect(rendered, &jobs);
    errors.extend(page_errors);
    if let Err(data_errors) = made.add_data(data) {
        errors.extend(data_errors);
    }
    made.add_assets(theme, &site, step.base_path);
    for rel in failed {
        let path = format!("{}index.html", url_of_source(rel));
        made.extracted.push(links::extract("", &path, None, None));
    }
    if let Err(link_errors) = check_links(&site, &bodies, &made.extracted, &jobs, theme) {
        errors.extend(assets::with_hints(link_errors, &site));
    }
    drop(t);
    if !errors.is_empty() {
        let explain = |e| crate::model::drafts::explain(e, &site.drafts);
        return Err(errors.into_iter().map(explain).collect());
    }
    let output = made.output(&jobs);
    drop(contexts);
    if keep != Links::KeepAll {
        // Nothing is kept for a rebuild: the model stays the caller's, not copied.
        drop((shared, views));
        free_later((bodies, made, search, tera, jobs, link_context));
        return Ok((output, None));
    }
    let parts = Parts {
        globals: shared.marks(),
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
    Ok((output, Some(parts)))
}

/// Frees what a render made on another thread (a tenth of a second at 10,000 pages): the
/// caller need not wait for it.
fn free_later<T: Send + 'static>(made: T) {
    rayon::spawn(move || drop(made));
}

/// Refuses a plan of pages in which two files (pages, data files, static files, page
/// assets, redirects) would take one path.
fn no_path_conflicts(
    theme: &Theme,
    jobs: &[pages::Job],
    data_paths: &[String],
    site: &Site,
) -> Result<(), Vec<Diagnostic>> {
    let planned = jobs.iter().map(|j| j.path.as_str());
    let conflicts = crate::output::path_conflicts(
        theme,
        planned.chain(data_paths.iter().map(String::as_str)),
        site,
    );
    if conflicts.is_empty() {
        Ok(())
    } else {
        Err(conflicts)
    }
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
            super::made::same_errors_once(vec![on("a/", 8), on("b/", 8), on("c/", 8), on("a/", 9)]);
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

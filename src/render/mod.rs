//! Rendering: Markdown bodies, then every page of the site through the theme's Tera
//! templates, then the data and site files, then a check of every internal link. Pure: it
//! takes the model and the theme and returns the output files.

mod data;
mod errors;
mod fingerprint;
pub mod incremental;
pub mod links;
mod pages;
mod search;
pub mod views;
mod weighting;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use tera::{Context, Kwargs, State, Tera, Value};

use crate::content::Collection;
use crate::error::Diagnostic;
use crate::markdown::{self, LinkContext, Rendered};
use crate::model::{Body, Site};
use crate::theme::{TemplateSource, Theme};
use views::{Bodies, Views};

/// One file to write, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// `/`-separated path, e.g. `articles/x/index.html`.
    pub path: String,
    /// The content.
    pub bytes: Vec<u8>,
}

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
    render_with(site, theme, store, false).map(|(output, _)| output)
}

/// Renders the whole site into memory and keeps what re-rendering single pages needs.
pub fn render_kept(
    site: Site,
    theme: &Theme,
) -> Result<(Output, incremental::Kept), Vec<Diagnostic>> {
    let (output, kept) = render_with(std::borrow::Cow::Owned(site), theme, Store::Memory, true)?;
    kept.map(|kept| (output, kept))
        .ok_or_else(|| vec![Diagnostic::new("templates", "nothing kept")])
}

/// One rendered job: what the link checker keeps, the file when kept, its fingerprint.
type Done = (links::Extracted, Option<OutputFile>, u64);

fn render_with(
    site: std::borrow::Cow<'_, Site>,
    theme: &Theme,
    store: Store<'_>,
    keep: bool,
) -> Result<(Output, Option<incremental::Kept>), Vec<Diagnostic>> {
    let link_context = link_context(&site);
    let bodies = render_bodies(&site, &link_context)?;
    let mut tera = templates(theme, &site.config.base_path, &site.config.base_url)?;
    let views = Views::new(&site, &bodies);
    let shared = pages::Shared::new(&views);
    shared.install(tera.global_context());
    let jobs = pages::jobs(&views);
    let contexts = pages::Contexts::new(&views, &jobs);
    let base_path = site.config.base_path.as_str();
    // Every URL path the build writes, known before rendering, so that most links are
    // checked as their page is made and need not be kept (a kept render keeps them all, to
    // re-check them after edits).
    let data_paths = site_file_paths(&site);
    let known: std::collections::HashSet<&str> = jobs
        .iter()
        .map(|j| j.path.as_str())
        .chain(data_paths.iter().map(String::as_str))
        .chain(theme.assets.keys().map(String::as_str))
        .map(links::url_path)
        .collect();
    let known = (!keep).then_some(&known);
    if let Store::Stream(sink) = store {
        sink.planned(jobs.len() + data_paths.len());
    }
    let put = |file: OutputFile| -> Result<Option<OutputFile>, Diagnostic> {
        match store {
            Store::Memory => Ok(Some(file)),
            Store::Stream(sink) => sink.put(file).map(|()| None),
        }
    };
    let render_one = |job: &pages::Job| -> Result<Done, Diagnostic> {
        let file = render_job(&tera, job, &contexts.context(job), theme)?;
        let html = job.path.ends_with(".html");
        let extracted = links::extract(
            base_path,
            &file.path,
            html.then(|| std::str::from_utf8(&file.bytes).unwrap_or_default()),
            known,
        );
        let fingerprint = if keep {
            pages::job_fingerprint(&contexts, job)
        } else {
            0
        };
        Ok((extracted, put(file)?, fingerprint))
    };
    let (rendered, (search, data)) = rayon::join(
        || jobs.par_iter().map(render_one).collect::<Vec<_>>(),
        || {
            let search = site.config.search_index.then(|| search::Index::new(&site));
            let data = site_files(&site, search.as_ref());
            (search, data)
        },
    );
    let mut errors = Vec::new();
    let mut extracted = Vec::with_capacity(rendered.len() + data.len() + theme.assets.len());
    let mut files = Vec::new();
    let mut fingerprints = HashMap::new();
    for r in rendered {
        match r {
            Ok((e, file, fingerprint)) => {
                if keep {
                    fingerprints.insert(e.path.clone(), fingerprint);
                }
                extracted.push(e);
                files.extend(file);
            }
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(same_errors_once(errors));
    }
    let pages = jobs.iter().filter(|j| j.path.ends_with(".html")).count();
    for file in data {
        extracted.push(links::extract(base_path, &file.path, None, None));
        files.extend(put(file).map_err(|d| vec![d])?);
    }
    let mut paths: Vec<String> = extracted.iter().map(|e| e.path.clone()).collect();
    paths.sort();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    extracted.extend(
        theme
            .assets
            .keys()
            .map(|a| links::extract(base_path, a, None, None)),
    );
    let sources = link_sources(&site, &bodies);
    let link_errors = links::check_extracted(&extracted, &sources.borrowed());
    if !link_errors.is_empty() {
        return Err(name_templates(link_errors, &jobs, theme));
    }
    let output = Output {
        files,
        paths,
        pages,
    };
    if !keep {
        return Ok((output, None));
    }
    let index = links::Index::new(base_path, &extracted, &sources.borrowed());
    drop(sources);
    // Files made from templates show bodies only as the templates do; data files must be
    // known not to read bodies at all.
    let data_free = output.paths.iter().all(|p| {
        jobs.iter().any(|j| &j.path == p)
            || incremental::BODY_FREE.contains(&p.as_str())
            || search::is_search_path(p)
    });
    let globals = shared.fingerprints();
    drop(contexts);
    let columns = views.columns.into_owned();
    let kept = incremental::Kept {
        columns,
        templates: theme.templates.clone(),
        data_free,
        isolated: data_free && incremental::bodies_isolated(&theme.templates),
        reads: incremental::globals_read(&theme.templates),
        tera,
        jobs,
        links: link_context,
        index,
        search,
        site: site.into_owned(),
        bodies,
        fingerprints,
        globals,
    };
    Ok((output, Some(kept)))
}

/// Content path → URL path, for `@/` links.
fn link_context(site: &Site) -> LinkContext {
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
    }
}

fn render_bodies(site: &Site, links: &LinkContext) -> Result<Bodies, Vec<Diagnostic>> {
    render_bodies_reusing(site, links, &|_| None)
}

/// Renders every body of `site`, taking from `reuse` those it already has.
fn render_bodies_reusing(
    site: &Site,
    links: &LinkContext,
    reuse: &(dyn Fn(&Body) -> Option<Rendered> + Sync),
) -> Result<Bodies, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut all = |bodies: Vec<&Body>| -> Vec<Rendered> {
        let results: Vec<_> = bodies
            .par_iter()
            .map(|b| reuse(b).map_or_else(|| markdown::render(b, links), Ok))
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

/// Compiles the theme's templates and registers versus's template functions.
pub fn templates(theme: &Theme, base_path: &str, base_url: &str) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".htm", ".xml"]);
    let base_path = base_path.to_string();
    let base_url = base_url.to_string();
    tera.register_function(
        "url",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let path: String = kwargs.must_get("path")?;
            let absolute: bool = kwargs.get("absolute")?.unwrap_or(false);
            let path = path.trim_start_matches('/');
            Ok(if absolute {
                format!("{base_url}{path}")
            } else {
                format!("{base_path}{path}")
            })
        },
    );
    tera.register_filter("thousands", |n: i64, _: Kwargs, _: &State| thousands(n));
    let sources = theme
        .templates
        .iter()
        .map(|(name, source)| (name.as_str(), source.text.as_str()));
    tera.add_raw_templates(sources)
        .map_err(|e| errors::compile(&e, &theme.templates))?;
    Ok(tera)
}

fn render_job(
    tera: &Tera,
    job: &pages::Job,
    context: &Context,
    theme: &Theme,
) -> Result<OutputFile, Diagnostic> {
    match tera.render(&job.template, context) {
        Ok(text) => Ok(OutputFile {
            path: job.path.clone(),
            bytes: text.into_bytes(),
        }),
        Err(e) => Err(template_error(&e, &theme.templates, Some(job))),
    }
}

/// Turns a Tera error into a diagnostic that names the template file, line and column.
fn template_error(
    error: &tera::Error,
    templates: &BTreeMap<String, TemplateSource>,
    job: Option<&pages::Job>,
) -> Diagnostic {
    let display = |name: &str| {
        templates
            .get(name)
            .map_or_else(|| name.into(), |t| t.display.clone())
    };
    let context = job.map_or_else(String::new, |j| format!(" (while rendering /{})", j.path));
    let mut message = match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            return Diagnostic::new(
                display(report.filename()),
                format!("{}{context}", report.message()),
            )
            .at(span.start_line, span.start_col + 1);
        }
        tera::ErrorKind::TemplateNotFound(name) => {
            format!(
                "template `{name}` not found: add themes/<theme>/templates/{name} or templates/{name}"
            )
        }
        other => other.to_string(),
    };
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    let file = job.map_or_else(|| "templates".into(), |j| display(&j.template));
    Diagnostic::new(file, format!("{message}{context}"))
}

/// The paths [`site_files`] writes.
fn site_file_paths(site: &Site) -> Vec<String> {
    let mut paths = vec![
        ".nojekyll".to_string(),
        "matrix.json".into(),
        "matrix.csv".into(),
    ];
    if site.config.search_index {
        paths.extend(search::paths(site));
    }
    if site.config.cname.is_some() {
        paths.push("CNAME".into());
    }
    paths
}

/// Files that come from data rather than templates.
fn site_files(site: &Site, search: Option<&search::Index>) -> Vec<OutputFile> {
    let mut files = vec![
        OutputFile {
            path: ".nojekyll".into(),
            bytes: Vec::new(),
        },
        OutputFile {
            path: "matrix.json".into(),
            bytes: data::matrix_json(site),
        },
        OutputFile {
            path: "matrix.csv".into(),
            bytes: data::matrix_csv(site),
        },
    ];
    if let Some(search) = search {
        files.extend(search.files());
    }
    if let Some(cname) = &site.config.cname {
        files.push(OutputFile {
            path: "CNAME".into(),
            bytes: format!("{}\n", cname.trim()).into_bytes(),
        });
    }
    files
}

/// Every Markdown body's links, with the page they show on and the file they were written in.
struct LinkSources {
    owned: Vec<(
        String,
        Vec<crate::markdown::InternalLink>,
        std::path::PathBuf,
    )>,
}

impl LinkSources {
    fn borrowed(&self) -> Vec<links::SourceLinks<'_>> {
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

fn link_sources(site: &Site, bodies: &Bodies) -> LinkSources {
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

/// `12345` → `12,345`: the `thousands` filter, for counts that grow with the site.
fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
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

    #[test]
    fn thousands_groups_digits() {
        for (n, text) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (12345, "12,345"),
            (-1234567, "-1,234,567"),
        ] {
            assert_eq!(super::thousands(n), text);
        }
    }
}

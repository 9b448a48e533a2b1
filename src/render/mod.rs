//! Rendering: Markdown bodies, then every page of the site through the theme's Tera
//! templates, then the data and site files, then a check of every internal link. Pure: it
//! takes the model and the theme and returns the output files.

mod data;
mod errors;
pub mod incremental;
pub mod links;
mod pages;
mod search;
pub mod views;

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
    /// Generated files, sorted by path.
    pub files: Vec<OutputFile>,
    /// How many HTML pages are among them.
    pub pages: usize,
}

/// Renders the whole site.
pub fn render(site: &Site, theme: &Theme) -> Result<Output, Vec<Diagnostic>> {
    render_with(site, theme, false).map(|(output, _)| output)
}

/// Renders the whole site and keeps what re-rendering single pages needs.
pub fn render_kept(
    site: &Site,
    theme: &Theme,
) -> Result<(Output, incremental::Kept), Vec<Diagnostic>> {
    let (output, kept) = render_with(site, theme, true)?;
    kept.map(|kept| (output, kept))
        .ok_or_else(|| vec![Diagnostic::new("templates", "nothing kept")])
}

fn render_with(
    site: &Site,
    theme: &Theme,
    keep: bool,
) -> Result<(Output, Option<incremental::Kept>), Vec<Diagnostic>> {
    let link_context = link_context(site);
    let bodies = render_bodies(site, &link_context)?;
    let mut tera = templates(theme, &site.config.base_path, &site.config.base_url)?;
    let views = Views {
        site,
        bodies: &bodies,
    };
    let shared = pages::Shared::new(&views);
    shared.install(tera.global_context());
    let jobs = pages::jobs(&views, &shared);
    let rendered: Vec<Result<OutputFile, Diagnostic>> = jobs
        .par_iter()
        .map(|job| render_job(&tera, job, theme))
        .collect();
    let mut errors = Vec::new();
    let mut files = Vec::with_capacity(rendered.len() + 8);
    for r in rendered {
        match r {
            Ok(file) => files.push(file),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
    let search = site.config.search_index.then(|| search::Index::new(site));
    files.extend(site_files(site, search.as_ref()));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let assets: Vec<&str> = theme.assets.keys().map(String::as_str).collect();
    let index = check_links(site, &bodies, &files, &assets, keep)?;
    let kept = index.map(|index| {
        let jobs: HashMap<String, pages::Job> =
            jobs.into_iter().map(|j| (j.path.clone(), j)).collect();
        // Files made from templates show bodies only as the templates do; data files must be
        // known not to read bodies at all.
        let data_free = files.iter().all(|f| {
            jobs.contains_key(&f.path)
                || incremental::BODY_FREE.contains(&f.path.as_str())
                || f.path == SEARCH_INDEX
        });
        incremental::Kept {
            isolated: data_free && incremental::bodies_isolated(&theme.templates),
            tera,
            jobs,
            links: link_context,
            index,
            search,
        }
    });
    Ok((Output { files, pages }, kept))
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
    let mut errors = Vec::new();
    let mut all = |bodies: Vec<&Body>| -> Vec<Rendered> {
        let results: Vec<_> = bodies
            .par_iter()
            .map(|b| markdown::render(b, links))
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
    let sources = theme
        .templates
        .iter()
        .map(|(name, source)| (name.as_str(), source.text.as_str()));
    tera.add_raw_templates(sources)
        .map_err(|e| errors::compile(&e, &theme.templates))?;
    Ok(tera)
}

fn render_job(tera: &Tera, job: &pages::Job, theme: &Theme) -> Result<OutputFile, Diagnostic> {
    let context: &Context = &job.context;
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

/// Where the search index goes.
const SEARCH_INDEX: &str = "search-index.json";

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
        files.push(OutputFile {
            path: SEARCH_INDEX.into(),
            bytes: search.json(),
        });
    }
    if let Some(cname) = &site.config.cname {
        files.push(OutputFile {
            path: "CNAME".into(),
            bytes: format!("{}\n", cname.trim()).into_bytes(),
        });
    }
    files
}

fn check_links(
    site: &Site,
    bodies: &Bodies,
    files: &[OutputFile],
    assets: &[&str],
    keep: bool,
) -> Result<Option<links::Index>, Vec<Diagnostic>> {
    let mut targets: Vec<links::Target<'_>> = files
        .iter()
        .map(|f| links::Target {
            path: &f.path,
            html: f
                .path
                .ends_with(".html")
                .then(|| std::str::from_utf8(&f.bytes).unwrap_or_default()),
        })
        .collect();
    targets.extend(assets.iter().map(|a| links::Target {
        path: a,
        html: None,
    }));
    let mut sources = vec![links::SourceLinks {
        page: "",
        links: &bodies.home.links,
        source: &site.home.body.source,
    }];
    let add = |url: String, rendered: &'_ Rendered, body: &Body| {
        (url, rendered.links.clone(), body.source.clone())
    };
    let mut owned = Vec::new();
    for (s, r) in site.subjects.iter().zip(&bodies.subjects) {
        owned.push(add(s.url_path(), r, &s.body));
    }
    for (c, r) in site.criteria.iter().zip(&bodies.criteria) {
        owned.push(add(c.url_path(), r, &c.body));
    }
    for (a, r) in site.articles.iter().zip(&bodies.articles) {
        owned.push(add(a.url_path(), r, &a.body));
    }
    for (p, r) in site
        .sections
        .iter()
        .zip(&bodies.sections)
        .chain(site.pages.iter().zip(&bodies.pages))
    {
        owned.push(add(p.url.clone(), r, &p.body));
    }
    for ((c, p), r) in site.list_intros.iter().zip(&bodies.list_intros) {
        owned.push(add(format!("{}/", Collection::dir(*c)), r, &p.body));
    }
    sources.extend(
        owned
            .iter()
            .map(|(page, links, source)| links::SourceLinks {
                page,
                links,
                source,
            }),
    );
    let errors = links::check(&site.config.base_path, &targets, &sources);
    if errors.is_empty() {
        Ok(keep.then(|| links::Index::new(&site.config.base_path, &targets, &sources)))
    } else {
        Err(errors)
    }
}

/// Used by tests and templates that need a Value from a view.
pub(crate) fn value<T: serde::Serialize>(view: &T) -> Value {
    Value::from_serializable(view)
}

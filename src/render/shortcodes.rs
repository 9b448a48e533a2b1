//! Shortcode calls made into HTML: each renders `templates/shortcodes/<name>.html` (the
//! site's, then the theme's) with its arguments, `nth` and, for a call with a body, `body`.
//! The built-in ones for comparison sites (`claim`, `matrix`, `consensus`) are theme
//! templates like any other, so a site can override them; their arguments are checked here
//! and their data (`claim`, `matrix`, `row`) comes from the model, as the pages see it.

use std::collections::BTreeMap;

use tera::{Context, Tera};

use super::views::{Bodies, Views};
use crate::model::Site;
use crate::shortcodes::{Expand, Invocation};
use crate::theme::TemplateSource;

/// The shortcodes versus ships, whose data comes from the model: a body that calls one is
/// rendered again whenever the model changes.
pub(crate) const BUILT_IN: [&str; 3] = ["claim", "consensus", "matrix"];

/// Whether a body calling `names` shows data from the model.
pub(crate) fn shows_model(names: &[String]) -> bool {
    names.iter().any(|n| BUILT_IN.contains(&n.as_str()))
}

/// The template of shortcode `name`.
pub(crate) fn template_of(name: &str) -> String {
    format!("shortcodes/{name}.html")
}

/// No Markdown: the built-ins show front matter only, never a body.
static NO_BODIES: std::sync::LazyLock<Bodies> = std::sync::LazyLock::new(Bodies::default);

/// Renders calls with the templates (compiled without the pages' globals, so that a call
/// renders the same in a full build and in a rebuild) and the model.
pub(crate) struct Templates<'a> {
    tera: &'a Tera,
    templates: &'a BTreeMap<String, TemplateSource>,
    site: &'a Site,
    /// The matrix's column labels, made on the first built-in call (they take a pass over
    /// every article).
    columns: std::sync::OnceLock<std::borrow::Cow<'a, [String]>>,
    /// Each article's place by slug, made on the first `claim` call (a site's bodies may
    /// call it thousands of times; a search through every article each time added up).
    slugs: std::sync::OnceLock<Slugs<'a>>,
}

/// Articles' places in the model, by slug.
type Slugs<'a> = rustc_hash::FxHashMap<&'a str, usize>;

impl<'a> Templates<'a> {
    pub(crate) fn new(
        tera: &'a Tera,
        templates: &'a BTreeMap<String, TemplateSource>,
        site: &'a Site,
    ) -> Templates<'a> {
        Templates {
            tera,
            templates,
            site,
            columns: std::sync::OnceLock::new(),
            slugs: std::sync::OnceLock::new(),
        }
    }

    /// With the column labels of `site` made already.
    pub(crate) fn with_columns(
        tera: &'a Tera,
        templates: &'a BTreeMap<String, TemplateSource>,
        site: &'a Site,
        columns: &'a [String],
    ) -> Templates<'a> {
        Templates {
            columns: std::sync::OnceLock::from(std::borrow::Cow::Borrowed(columns)),
            ..Templates::new(tera, templates, site)
        }
    }
}

impl Expand for Templates<'_> {
    fn expand(&self, call: &Invocation<'_>) -> Result<String, String> {
        let template = template_of(call.name);
        if !self.templates.contains_key(&template) {
            return Err(format!(
                "unknown shortcode `{0}`: there is no template shortcodes/{0}.html (add \
                 templates/shortcodes/{0}.html, or write `{{{{/* {0}(…) */}}}}` to show the \
                 call as text)",
                call.name
            ));
        }
        let mut context = Context::new();
        for (name, value) in call.args {
            context.insert(name.clone(), value);
        }
        context.insert("nth", &call.nth);
        if let Some(body) = call.body {
            context.insert("body", body);
        }
        if BUILT_IN.contains(&call.name) {
            let columns = self
                .columns
                .get_or_init(|| super::views::column_labels(&self.site.articles).into());
            let views = Views::with_columns(self.site, &NO_BODIES, columns);
            let place_of = |slug: &str| {
                let slugs = self.slugs.get_or_init(|| {
                    let places = self.site.articles.iter().enumerate();
                    places.map(|(i, a)| (a.slug.as_str(), i)).collect()
                });
                slugs.get(slug).copied()
            };
            built_in(call, &views, &place_of, &mut context).map_err(|e| {
                if e.starts_with("shortcode") || e.starts_with("argument") {
                    e
                } else {
                    format!("shortcode `{}`: {e}", call.name)
                }
            })?;
        }
        super::render_page(self.tera, &template, &context).map_err(|e| {
            let d = super::engine::template_error(&e, self.templates, None);
            format!("shortcode `{}` failed: {d}", call.name)
        })
    }
}

/// Checks a built-in's arguments and adds its data to `context`.
fn built_in(
    call: &Invocation<'_>,
    views: &Views<'_>,
    place_of: &dyn Fn(&str) -> Option<usize>,
    context: &mut Context,
) -> Result<(), String> {
    let site = views.site;
    let args = Args { call };
    match call.name {
        "claim" => {
            args.only(&["article", "criterion"])?;
            let slug = args.text("article")?;
            let id = args.text("criterion")?;
            let article = place_of(slug).ok_or_else(|| no_article(slug))?;
            let criterion = criterion(site, id)?;
            let Some(claim) = site.articles[article]
                .claims
                .iter()
                .position(|c| c.criterion == criterion)
            else {
                return Err(format!(
                    "shortcode `claim`: article `{slug}` takes no position on criterion `{id}` \
                     (it has no [claims.{id}])"
                ));
            };
            context.insert(
                "claim",
                &views.claim(article, claim, crate::render::views::Form::Views),
            );
        }
        "consensus" => {
            args.only(&["criterion"])?;
            let i = criterion(site, args.text("criterion")?)?;
            context.insert("row", &views.criterion(i));
            context.insert("sources", &site.articles.len());
        }
        _ => {
            args.only(&["criteria"])?;
            let mut matrix = views.matrix();
            if let Some(ids) = args.texts("criteria")? {
                let mut rows = Vec::with_capacity(ids.len());
                let mut all: Vec<Option<_>> = matrix.rows.into_iter().map(Some).collect();
                for id in ids {
                    let i = criterion(site, id)?;
                    let row = all[i].take().ok_or_else(|| {
                        format!("shortcode `matrix`: criterion `{id}` is named twice")
                    })?;
                    rows.push(row);
                }
                matrix.rows = rows;
            }
            context.insert("matrix", &matrix);
        }
    }
    Ok(())
}

fn no_article(slug: &str) -> String {
    format!("there is no article `{slug}` (content/articles/{slug}.md)")
}

fn criterion(site: &Site, id: &str) -> Result<usize, String> {
    site.criteria
        .iter()
        .position(|c| c.id == id)
        .ok_or_else(|| format!("there is no criterion `{id}` (content/criteria/{id}.md)"))
}

/// A built-in's arguments, checked.
struct Args<'a> {
    call: &'a Invocation<'a>,
}

impl<'a> Args<'a> {
    /// Fails on an argument not in `known`.
    fn only(&self, known: &[&str]) -> Result<(), String> {
        match self.call.args.keys().find(|k| !known.contains(&k.as_str())) {
            Some(k) => Err(format!(
                "shortcode `{}` has no argument `{k}` (it takes {})",
                self.call.name,
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            )),
            None => Ok(()),
        }
    }

    /// The required string argument `name`.
    fn text(&self, name: &str) -> Result<&'a str, String> {
        match self.call.args.get(name) {
            Some(toml::Value::String(s)) => Ok(s),
            Some(other) => Err(format!(
                "argument `{name}` of shortcode `{}` must be a string, not {}",
                self.call.name,
                kind(other)
            )),
            None => Err(format!(
                "shortcode `{}` needs the argument `{name}`",
                self.call.name
            )),
        }
    }

    /// The optional argument `name`, an array of strings.
    fn texts(&self, name: &str) -> Result<Option<Vec<&'a str>>, String> {
        let wrong = |what: &str| {
            format!(
                "argument `{name}` of shortcode `{}` must be an array of strings (`[\"a\", \"b\"]`), not {what}",
                self.call.name
            )
        };
        let Some(value) = self.call.args.get(name) else {
            return Ok(None);
        };
        let toml::Value::Array(items) = value else {
            return Err(wrong(kind(value)));
        };
        if items.is_empty() {
            return Err(wrong("an empty array"));
        }
        items
            .iter()
            .map(|v| {
                v.as_str()
                    .ok_or_else(|| wrong(&format!("an array holding {}", kind(v))))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }
}

fn kind(value: &toml::Value) -> &'static str {
    match value {
        toml::Value::String(_) => "a string",
        toml::Value::Integer(_) | toml::Value::Float(_) => "a number",
        toml::Value::Boolean(_) => "a boolean",
        toml::Value::Array(_) => "an array",
        toml::Value::Datetime(_) => "a date",
        toml::Value::Table(_) => "a table",
    }
}

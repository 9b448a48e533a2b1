//! The one pipeline: config → content → model → render → output. `build`, `check`, `watch`
//! and `serve` all go through [`run`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{Diagnostic, Error, Result};
use crate::{config, content, model, output, render, theme};

mod session;
pub use session::{Changes, Rebuilt, Session, SiteFiles};

/// Whether to write the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Build and write the site.
    Build,
    /// Everything but the write.
    Check,
}

/// What to build.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site's folder.
    pub root: PathBuf,
    /// Where to write; `<root>/output` when `None`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from `site.toml`.
    pub base_url: Option<String>,
    /// Build or check.
    pub mode: Mode,
}

impl Options {
    /// The output folder.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("output"))
    }
}

/// What a successful run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// HTML pages rendered.
    pub pages: usize,
    /// Articles, criteria and subjects in the model.
    pub articles: usize,
    /// Criteria.
    pub criteria: usize,
    /// Subjects.
    pub subjects: usize,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Where the site was written (`None` for a check).
    pub output: Option<PathBuf>,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verb = if self.output.is_some() {
            "built"
        } else {
            "checked"
        };
        write!(
            f,
            "{verb} {} pages ({} articles, {} criteria, {} subjects) in {} ms",
            self.pages,
            self.articles,
            self.criteria,
            self.subjects,
            self.elapsed.as_millis()
        )?;
        match &self.output {
            Some(out) => write!(
                f,
                " -> {}/",
                crate::content::display_path(out, Path::new("."))
                    .display()
                    .to_string()
                    .trim_end_matches('/')
            ),
            None => write!(f, ": no problems found"),
        }
    }
}

/// Runs the pipeline once.
pub fn run(options: &Options) -> Result<Summary> {
    let started = Instant::now();
    let output_dir = options.output_dir();
    let inputs = Inputs::load(options)?;
    let (sources, read_errors) = read_content(&options.root)?;
    let built = inputs.render(sources.into_values().collect(), read_errors, false)?;
    if options.mode == Mode::Build {
        output::write(
            &output_dir,
            &built.output.files,
            &built.assets(&inputs.theme),
        )?;
    }
    Ok(built.summary(started, (options.mode == Mode::Build).then_some(output_dir)))
}

/// Content files by path under `content/`.
pub(crate) type Sources = BTreeMap<String, content::SourceFile>;

/// What a build reads besides content: the configuration and the layered theme.
pub(crate) struct Inputs {
    /// `site.toml`, with `--base-url` applied.
    pub config: config::Config,
    /// Templates and assets.
    pub theme: theme::Theme,
}

impl Inputs {
    /// Loads `site.toml` and the theme, and checks where the output goes.
    pub fn load(options: &Options) -> Result<Inputs> {
        check_output_location(&options.root, &options.output_dir())?;
        let mut config = config::load(&options.root)?;
        if let Some(url) = &options.base_url {
            config = config.with_base_url(url)?;
        }
        let theme = theme::load(&options.root, &config.theme)?;
        Ok(Inputs { config, theme })
    }

    /// Parses `sources`, builds the model and renders it: the pure part of the pipeline.
    /// `errors` are those found while reading, reported together with the parse errors.
    /// `keep` keeps what re-rendering single pages needs, for [`Session`].
    pub fn render(
        &self,
        sources: Vec<content::SourceFile>,
        mut errors: Vec<Diagnostic>,
        keep: bool,
    ) -> Result<Built> {
        let (parsed, parse_errors) = content::parse(sources);
        errors.extend(parse_errors);
        // Validate the files that did parse too, so one run reports every problem at once.
        let site = match model::build(self.config.clone(), parsed) {
            Ok(site) if errors.is_empty() => site,
            Ok(_) => return Err(Error::Site(errors)),
            Err(model_errors) => {
                errors.extend(model_errors);
                return Err(Error::Site(errors));
            }
        };
        let (output, kept) = if keep {
            let (output, kept) = render::render_kept(&site, &self.theme).map_err(Error::Site)?;
            (output, Some(kept))
        } else {
            (
                render::render(&site, &self.theme).map_err(Error::Site)?,
                None,
            )
        };
        assets_to_copy(&self.theme, &output)?;
        Ok(Built { site, output, kept })
    }
}

/// Builds a site held in memory — the text of `site.toml` and the content files — with the
/// built-in theme: everything [`run`] does between reading and writing, and neither. For
/// fuzzing and tests, which need whole builds without a folder per case.
pub fn render_in_memory(
    site_toml: &str,
    sources: Vec<content::SourceFile>,
) -> Result<render::Output> {
    let config = config::parse(site_toml).map_err(Error::one)?;
    if config.theme != "default" {
        return Err(Error::Other(format!(
            "theme `{}`: only the built-in theme is available in memory",
            config.theme
        )));
    }
    let inputs = Inputs {
        config,
        theme: theme::builtin(),
    };
    Ok(inputs.render(sources, Vec::new(), false)?.output)
}

/// The model and the rendered files of one run.
pub(crate) struct Built {
    /// The model.
    pub site: model::Site,
    /// The generated files.
    pub output: render::Output,
    /// What re-rendering single pages needs (when asked for).
    pub kept: Option<render::incremental::Kept>,
}

impl Built {
    fn assets<'t>(&self, theme: &'t theme::Theme) -> Vec<(&'t str, &'t theme::Asset)> {
        theme.assets.iter().map(|(k, v)| (k.as_str(), v)).collect()
    }

    /// The summary line of this run.
    pub fn summary(&self, started: Instant, output: Option<PathBuf>) -> Summary {
        Summary {
            pages: self.output.pages,
            articles: self.site.articles.len(),
            criteria: self.site.criteria.len(),
            subjects: self.site.subjects.len(),
            elapsed: started.elapsed(),
            output,
        }
    }
}

/// Every content file of the site, by path under `content/`, and the files that could not
/// be read.
pub(crate) fn read_content(root: &Path) -> Result<(Sources, Vec<Diagnostic>)> {
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        return Err(Error::one(Diagnostic::new(
            content_dir,
            "the content folder is missing: create it with an _index.md",
        )));
    }
    let (files, errors) = content::read_all(&content_dir, Path::new("."));
    Ok((
        files.into_iter().map(|f| (f.rel.clone(), f)).collect(),
        errors,
    ))
}

/// A static file may not shadow a generated one.
fn assets_to_copy(theme: &theme::Theme, rendered: &render::Output) -> Result<()> {
    let mut errors = Vec::new();
    for file in &rendered.files {
        if theme.assets.contains_key(&file.path) {
            errors.push(Diagnostic::new(
                format!("static/{}", file.path),
                format!(
                    "this static file has the same path as the generated /{}: rename or remove it",
                    file.path
                ),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(Error::Site(errors));
    }
    Ok(())
}

/// The output folder is replaced on every build: it must not hold the site's own files.
fn check_output_location(root: &Path, output: &Path) -> Result<()> {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (root_abs, out_abs) = (absolute(root), absolute(output));
    let normal = |p: &Path| p.components().collect::<PathBuf>();
    let (root_abs, out_abs) = (normal(&root_abs), normal(&out_abs));
    let inside_sources = ["content", "themes", "templates", "static"]
        .iter()
        .any(|d| out_abs.starts_with(root_abs.join(d)));
    if root_abs.starts_with(&out_abs) || inside_sources {
        return Err(Error::Other(format!(
            "output folder {} would overwrite the site's own files: choose a folder outside content/, \
             themes/, templates/ and static/, and not the site root",
            output.display()
        )));
    }
    Ok(())
}

//! The one pipeline: config → content → model → render → output. `build` and `check` are
//! [`run`]; `watch` and `serve` rebuild through [`crate::rebuild`], which reuses its steps
//! (`Inputs`, `read_content`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{Diagnostic, Error, Result};
use crate::evidence::Archive;
use crate::{config, content, model, output, render, theme};

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
    /// Where the archived copies of the sources are, and whether they must be there.
    pub evidence: Evidence,
    /// `--drafts`: build the pages marked `draft = true`, marked as drafts.
    pub drafts: bool,
}

/// The command line's say on the archive folder (DESIGN.md's "Evidence").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    /// `--archive DIR`: the archive folder, instead of `[evidence] archive` in `site.toml`.
    pub archive: Option<PathBuf>,
    /// `--require-archive`: without the archive folder, fail instead of noting it once.
    pub require: bool,
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
    /// Things the user should know that do not fail the build (e.g. quotes not verified).
    pub notices: Vec<String>,
}

/// `n` and the noun, singular for one: `1 article`, `2 articles`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Summary {
    /// `built 12 pages (1 article, 3 criteria, 2 subjects) in 5 ms`.
    pub fn built(&self) -> String {
        format!(
            "built {} ({}, {}, {}) in {} ms",
            count(self.pages, "page", "pages"),
            count(self.articles, "article", "articles"),
            count(self.criteria, "criterion", "criteria"),
            count(self.subjects, "subject", "subjects"),
            self.elapsed.as_millis()
        )
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let built = self.built();
        if self.output.is_some() {
            f.write_str(&built)?;
        } else {
            write!(f, "checked{}", built.trim_start_matches("built"))?;
        }
        match &self.output {
            Some(out) => write!(
                f,
                " -> {}/",
                crate::fs::display_path(out, Path::new("."))
                    .display()
                    .to_string()
                    .trim_end_matches('/')
            ),
            None => write!(f, ": no problems found"),
        }
    }
}

/// Hears how far a build is, to show it.
pub trait Progress: Sync {
    /// The build will write `files` files.
    fn start(&self, _files: usize) {}
    /// One more is written.
    fn advance(&self) {}
}

/// Shows nothing.
pub struct Quiet;

impl Progress for Quiet {}

/// Runs the pipeline once.
pub fn run(options: &Options) -> Result<Summary> {
    run_with(options, &Quiet)
}

/// Writes each rendered file into the staging folder as it comes.
struct StagingSink<'a> {
    staging: &'a output::Staging,
    progress: &'a dyn Progress,
}

impl render::Sink for StagingSink<'_> {
    fn planned(&self, files: usize) {
        self.progress.start(files);
    }

    fn put(&self, file: output::OutputFile) -> std::result::Result<(), Diagnostic> {
        self.staging
            .put(&file.path, &file.bytes)
            .map_err(Error::into_diagnostic)?;
        self.progress.advance();
        Ok(())
    }

    fn put_written(
        &self,
        path: &str,
        write: render::site_files::Write<'_>,
    ) -> std::result::Result<(), Diagnostic> {
        self.staging
            .put_written(path, write)
            .map_err(Error::into_diagnostic)?;
        self.progress.advance();
        Ok(())
    }
}

/// Discards rendered files (for `check`).
struct Discard;

impl render::Sink for Discard {
    fn put(&self, _: output::OutputFile) -> std::result::Result<(), Diagnostic> {
        Ok(())
    }
}

/// Runs the pipeline once, telling `progress` how far it is.
pub fn run_with(options: &Options, progress: &dyn Progress) -> Result<Summary> {
    let started = Instant::now();
    let output_dir = options.output_dir();
    let t = crate::timing::span("build.load");
    let inputs = Inputs::load(options)?;
    drop(t);
    let t = crate::timing::span("build.read");
    let (sources, assets, read_errors) = read_content(&options.root)?;
    drop(t);
    let sources = (sources.into_values().collect(), assets);
    if options.mode == Mode::Check {
        let built = inputs.render(sources, read_errors, render::Store::Stream(&Discard))?;
        return Ok(built.summary(started, None));
    }
    let staging = output::Staging::begin(&output_dir)?;
    let sink = StagingSink {
        staging: &staging,
        progress,
    };
    let built = inputs.render(sources, read_errors, render::Store::Stream(&sink))?;
    let page_assets: Vec<(String, theme::Asset)> = built
        .assets
        .iter()
        .map(|(path, file)| (path.clone(), theme::Asset::File(file.clone())))
        .collect();
    let mut assets = built.assets(&inputs.theme);
    assets.extend(page_assets.iter().map(|(p, a)| (p.as_str(), a)));
    let t = crate::timing::span("build.finish");
    staging.finish(&assets)?;
    drop(t);
    Ok(built.summary(started, Some(output_dir)))
}

/// Content files by path under `content/`.
pub(crate) type Sources = BTreeMap<String, content::SourceFile>;

/// What a build reads besides content: the configuration and the layered theme.
pub(crate) struct Inputs {
    /// `site.toml`, with `--base-url` applied.
    pub config: config::Config,
    /// Templates and assets.
    pub theme: theme::Theme,
    /// The archive folder's copies, or why there are none to verify quotes against.
    pub archive: std::result::Result<Archive, String>,
}

impl Inputs {
    /// Loads `site.toml` and the theme, and checks where the output goes.
    pub(crate) fn load(options: &Options) -> Result<Inputs> {
        output::check_output_location(&options.root, &options.output_dir())?;
        let mut config = config::load(&options.root)?;
        if let Some(url) = &options.base_url {
            config = config.with_base_url(url)?;
        }
        config.drafts = options.drafts;
        let theme = theme::load(&options.root, &config.theme)?;
        let archive = load_archive(options, &config)?;
        Ok(Inputs {
            config,
            theme,
            archive,
        })
    }

    /// Parses `sources` and builds the model. `errors` are those found while reading,
    /// reported together with the parse and model errors.
    pub(crate) fn model(
        &self,
        (sources, assets): (Vec<content::SourceFile>, content::assets::Assets),
        mut errors: Vec<Diagnostic>,
    ) -> Result<model::Site> {
        let rels: Vec<String> = sources.iter().map(|s| s.rel.clone()).collect();
        let t = crate::timing::span("build.parse");
        let (mut parsed, parse_errors) = content::parse(sources);
        drop(t);
        parsed.assets = assets;
        errors.extend(parse_errors);
        let missing = missing_templates(&parsed, &self.theme);
        // Pages whose template is missing cannot be rendered to look for more.
        let renderable = missing.is_empty();
        errors.extend(missing);
        // Validate the files that did parse too, and render them, so one run reports every
        // problem at once.
        let t = crate::timing::span("build.model");
        let built = model::build(self.config.clone(), parsed, self.archive.as_ref().ok());
        drop(t);
        match built {
            Ok(site) if errors.is_empty() => Ok(site),
            Ok(site) => {
                let present = render::link_context(&site, &self.theme).pages;
                let failed: Vec<String> = rels
                    .into_iter()
                    .filter(|r| !present.contains_key(r))
                    .collect();
                if renderable {
                    errors.extend(render::errors_beside(&site, &self.theme, &failed));
                }
                Err(Error::Site(errors))
            }
            Err(model_errors) => {
                errors.extend(model_errors);
                Err(Error::Site(errors))
            }
        }
    }

    /// Parses `sources`, builds the model and renders it into `store`: the pure part of the
    /// pipeline.
    pub(crate) fn render(
        &self,
        sources: (Vec<content::SourceFile>, content::assets::Assets),
        errors: Vec<Diagnostic>,
        store: render::Store<'_>,
    ) -> Result<Built> {
        let site = self.model(sources, errors)?;
        let counts = Built::counts(&site);
        let notices = self.notices(&site);
        let output = render::render(&site, &self.theme, store).map_err(Error::Site)?;
        Ok(Built {
            counts,
            output,
            notices,
            assets: site.assets,
        })
    }
}

impl Inputs {
    /// One notice when the site has quotes and no archive folder to verify them against.
    pub(crate) fn notices(&self, site: &model::Site) -> Vec<String> {
        let Err(reason) = &self.archive else {
            return Vec::new();
        };
        let quotes = site
            .articles
            .iter()
            .flat_map(|a| &a.claims)
            .filter(|c| c.quote.is_some())
            .count();
        match quotes {
            0 => Vec::new(),
            1 => vec![format!("1 quote was not verified: {reason}")],
            n => vec![format!("{n} quotes were not verified: {reason}")],
        }
    }
}

/// The archive folder `--archive` or `[evidence] archive` names, whether or not it exists
/// (for watching it); `None` when neither names one or `site.toml` cannot be read.
pub fn archive_dir(options: &Options) -> Option<PathBuf> {
    options.evidence.archive.clone().or_else(|| {
        let config = config::load(&options.root).ok()?;
        Some(options.root.join(config.archive?))
    })
}

/// The archive folder named by `--archive` or `[evidence] archive`, read; or why there is
/// none. `--archive` naming no folder, an archive folder where the build publishes files, and
/// `--require-archive` without one are errors.
fn load_archive(
    options: &Options,
    config: &config::Config,
) -> Result<std::result::Result<Archive, String>> {
    let explicit = options.evidence.archive.clone();
    let dir = explicit
        .clone()
        .or_else(|| config.archive.as_ref().map(|a| options.root.join(a)));
    let absent = match &dir {
        None => Some(
            "no archive folder is set (add [evidence] archive = \"<folder>\" to site.toml, \
             or pass --archive DIR)"
                .to_string(),
        ),
        Some(d) if !d.is_dir() && explicit.is_some() => {
            return Err(Error::Other(format!(
                "--archive {}: no such folder",
                d.display()
            )));
        }
        Some(d) if !d.is_dir() => Some(format!(
            "the archive folder {} named in {} is not there",
            crate::fs::display_path(d, Path::new(".")).display(),
            config::FILE_NAME
        )),
        Some(_) => None,
    };
    if let Some(reason) = absent {
        if options.evidence.require {
            return Err(Error::Other(format!(
                "--require-archive: quotes cannot be verified: {reason}"
            )));
        }
        return Ok(Err(reason));
    }
    let dir = dir.unwrap_or_default();
    use crate::output::real_path;
    let (root, archive) = (real_path(&options.root), real_path(&dir));
    let published = ["content", "static", "templates", "themes"]
        .iter()
        .any(|d| archive.starts_with(root.join(d)))
        || archive.starts_with(real_path(&options.output_dir()));
    if published {
        return Err(Error::Other(format!(
            "archive folder {}: the archive is never published, so it must not be inside \
             content/, static/, templates/, themes/ or the output folder; move it",
            dir.display()
        )));
    }
    let display = crate::fs::display_path(&dir, Path::new("."));
    Archive::load(&dir, display).map(Ok).map_err(Error::one)
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
        archive: Err("the site is built in memory, without an archive folder".into()),
    };
    Ok(inputs
        .render(
            (sources, Default::default()),
            Vec::new(),
            render::Store::Memory,
        )?
        .output)
}

/// What one run rendered.
pub(crate) struct Built {
    /// Articles, criteria and subjects in the model.
    pub counts: [usize; 3],
    /// The generated files.
    pub output: render::Output,
    /// For the summary (see [`Summary::notices`]).
    pub notices: Vec<String>,
    /// The page assets to copy beside the generated files.
    pub assets: content::assets::Assets,
}

impl Built {
    /// How many articles, criteria and subjects `site` has.
    pub(crate) fn counts(site: &model::Site) -> [usize; 3] {
        [
            site.articles.len(),
            site.criteria.len(),
            site.subjects.len(),
        ]
    }

    fn assets<'t>(&self, theme: &'t theme::Theme) -> Vec<(&'t str, &'t theme::Asset)> {
        theme.assets.iter().map(|(k, v)| (k.as_str(), v)).collect()
    }

    /// The summary line of this run.
    pub(crate) fn summary(&self, started: Instant, output: Option<PathBuf>) -> Summary {
        Summary {
            pages: self.output.pages,
            articles: self.counts[0],
            criteria: self.counts[1],
            subjects: self.counts[2],
            elapsed: started.elapsed(),
            output,
            notices: self.notices.clone(),
        }
    }
}

/// Every content file of the site, by path under `content/`, its page assets, and the files
/// that could not be read.
pub(crate) fn read_content(
    root: &Path,
) -> Result<(Sources, content::assets::Assets, Vec<Diagnostic>)> {
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        return Err(Error::one(Diagnostic::new(
            content_dir,
            "the content folder is missing: create it with an _index.md",
        )));
    }
    let (files, assets, errors) = content::read_all(&content_dir, Path::new("."));
    Ok((
        files.into_iter().map(|f| (f.rel.clone(), f)).collect(),
        assets,
        errors,
    ))
}

/// A template chosen in a page's front matter must be one the theme has.
fn missing_templates(content: &content::Content, theme: &theme::Theme) -> Vec<Diagnostic> {
    content
        .page_documents()
        .filter_map(|d| {
            let name = d.raw.template.as_deref()?;
            // A malformed name is the model's to report.
            (model::is_template_name(name) && !theme.templates.contains_key(name)).then(|| {
                d.error_at(
                    &["template"],
                    format!(
                        "template `{name}` not found: add templates/{name} or \
                         themes/<theme>/templates/{name}, or remove this line"
                    ),
                )
            })
        })
        .collect()
}

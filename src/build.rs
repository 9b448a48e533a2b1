//! The one pipeline: config → content → model → render → output. `build`, `check`, `watch`
//! and `serve` all go through [`run`].

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{Diagnostic, Error, Result};
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
    let root = &options.root;
    let output_dir = options.output_dir();
    check_output_location(root, &output_dir)?;
    let mut config = config::load(root)?;
    if let Some(url) = &options.base_url {
        config = config.with_base_url(url)?;
    }
    let theme = theme::load(root, &config.theme)?;
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        return Err(Error::one(Diagnostic::new(
            content_dir,
            "the content folder is missing: create it with an _index.md",
        )));
    }
    let (files, mut errors) = match content::read_all(&content_dir, Path::new(".")) {
        Ok(files) => (files, Vec::new()),
        Err(errors) => (Vec::new(), errors),
    };
    let (parsed, parse_errors) = content::parse(files);
    errors.extend(parse_errors);
    // Validate the files that did parse too, so one run reports every problem at once.
    let site = match model::build(config, parsed) {
        Ok(site) if errors.is_empty() => site,
        Ok(_) => return Err(Error::Site(errors)),
        Err(model_errors) => {
            errors.extend(model_errors);
            return Err(Error::Site(errors));
        }
    };
    let rendered = render::render(&site, &theme).map_err(Error::Site)?;
    let assets = assets_to_copy(&theme, &rendered)?;
    if options.mode == Mode::Build {
        output::write(&output_dir, &rendered.files, &assets)?;
    }
    Ok(Summary {
        pages: rendered.pages,
        articles: site.articles.len(),
        criteria: site.criteria.len(),
        subjects: site.subjects.len(),
        elapsed: started.elapsed(),
        output: (options.mode == Mode::Build).then_some(output_dir),
    })
}

/// Theme assets, minus none: a static file may not shadow a generated one.
fn assets_to_copy<'t>(
    theme: &'t theme::Theme,
    rendered: &render::Output,
) -> Result<Vec<(&'t str, &'t theme::Asset)>> {
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
    Ok(theme.assets.iter().map(|(k, v)| (k.as_str(), v)).collect())
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

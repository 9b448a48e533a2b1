//! Rendering the pages: one step per job, in parallel, and what the pages and files came to.

use super::site_files::DataFile;
use super::*;

/// Every URL path the build writes, known before rendering, so that most links are checked
/// as their page is made and need not be kept.
pub(super) fn known_paths<'a>(
    jobs: &'a [pages::Job],
    data_paths: &'a [String],
    theme: &'a Theme,
    site: &'a Site,
) -> links::KnownPaths<'a> {
    jobs.iter()
        .map(|j| j.path.as_str())
        .chain(data_paths.iter().map(String::as_str))
        .chain(theme.assets.keys().map(String::as_str))
        .chain(super::assets::paths(site))
        .map(links::url_path)
        .collect()
}

/// What rendering one page needs.
pub(super) struct PageStep<'a> {
    pub(super) tera: &'a Tera,
    pub(super) contexts: &'a pages::Contexts<'a>,
    pub(super) theme: &'a Theme,
    pub(super) base_path: &'a str,
    /// The paths links may resolve to as their page is made (`None`: keep every link).
    pub(super) known: Option<&'a links::KnownPaths<'a>>,
    pub(super) store: &'a Store<'a>,
}

/// One rendered job: what the link checker keeps, and the file when the store keeps it.
pub(super) type Done = (links::Extracted, Option<OutputFile>);

impl PageStep<'_> {
    pub(super) fn render(&self, job: &pages::Job) -> Result<Done, Diagnostic> {
        let text = render_text(self.tera, job, &self.contexts.context(job), self.theme)?;
        let html = job.path.ends_with(".html");
        let extracted = links::extract(
            self.base_path,
            &job.path,
            html.then_some(text.as_str()),
            self.known,
        );
        let file = OutputFile {
            path: job.path.clone(),
            bytes: text.into_bytes(),
        };
        Ok((extracted, self.store.put(file)?))
    }

    /// Hands the data and site files to the store, beside the pages being made.
    pub(super) fn store_data(
        &self,
        site: &Site,
        search: Option<&super::search::Index>,
    ) -> Result<Vec<Done>, Diagnostic> {
        let mut done = Vec::new();
        let mut failed = None;
        super::site_files::each_site_file(site, search, &mut |file| {
            if failed.is_some() {
                return;
            }
            let (extracted, kept) = match file {
                DataFile::Made(file) => (
                    links::extract(self.base_path, &file.path, None, None),
                    self.store.put(file),
                ),
                DataFile::Written(path, write) => (
                    links::extract(self.base_path, path, None, None),
                    self.store.put_written(path, write),
                ),
            };
            match kept {
                Ok(kept) => done.push((extracted, kept)),
                Err(e) => failed = Some(e),
            }
        });
        failed.map_or(Ok(done), Err)
    }
}

/// What the pages and files of a render came to.
pub(super) struct Made {
    /// Per generated file then per static file, what the link checker keeps.
    pub(super) extracted: Vec<links::Extracted>,
    /// How many of `extracted` are generated files.
    pub(super) output_paths: usize,
    /// The files the store kept.
    pub(super) files: Vec<OutputFile>,
}

impl Made {
    /// The rendered pages (of `jobs`, in order) and every page error (each once). A page
    /// that failed stands in the link check as a file without ids, so that links into it
    /// are not reported broken as well.
    pub(super) fn collect(
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

    /// Takes the data and site files [`PageStep::store_data`] handed to the store.
    pub(super) fn add_data(
        &mut self,
        data: Result<Vec<Done>, Diagnostic>,
    ) -> Result<(), Vec<Diagnostic>> {
        for (extracted, file) in data.map_err(|d| vec![d])? {
            self.extracted.push(extracted);
            self.files.extend(file);
        }
        Ok(())
    }

    /// The static files and page assets, as link targets.
    pub(super) fn add_assets(&mut self, theme: &Theme, site: &Site, base_path: &str) {
        self.output_paths = self.extracted.len();
        self.extracted.extend(
            theme
                .assets
                .keys()
                .map(String::as_str)
                .chain(super::assets::paths(site))
                .map(|a| links::extract(base_path, a, None, None)),
        );
    }

    /// The output: the files sorted by path, and every generated path.
    pub(super) fn output(&mut self, jobs: &[pages::Job]) -> Output {
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

/// One template mistake fails every page that uses it: report it once, saying on how many
/// pages it happened, instead of a screenful of the same line.
pub(super) fn same_errors_once(errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    crate::error::once_per_key(errors.into_iter().map(|d| {
        let message = d
            .message
            .split(" (while rendering ")
            .next()
            .unwrap_or_default();
        ((d.path.clone(), d.line, d.column, message.to_string()), d)
    }))
}

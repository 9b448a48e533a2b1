//! A site kept in memory between rebuilds, for `watch` and `serve`: the content files read so
//! far, the configuration and theme, and the last good output as a map from path to bytes.
//! A rebuild re-reads only the files that changed, runs the same pipeline as [`crate::build::run`],
//! and writes only the output files whose bytes changed. A failed rebuild keeps the last good
//! output.
//!
//! [`plan`] picks the way to rebuild, cheapest first: an edit to Markdown bodies alone
//! re-renders the edited pages ([`Kept::rerender`]); other content edits (front matter, new,
//! renamed and deleted files) re-parse the changed files, rebuild the model and re-render the
//! pages whose inputs changed ([`Kept::update`]); a change to templates or static files alone
//! re-renders the pages built on the changed templates ([`Kept::retheme`]); a change to
//! `site.toml`, or anything the cheaper ways cannot vouch for, renders everything.

mod cheaper;
mod early;
mod files;
mod patch;
mod swap;

use files::{diff, read_assets};

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use super::assets::PageAssets;
use super::changes::{Changes, Deferred, Rebuilt};
use super::kept::{BodyEdit, Kept};
use super::plan::{self, Edit, Plan};
use crate::build::{Built, Inputs, Mode, Options, Sources, Summary, read_content};
use crate::content;
use crate::error::{Diagnostic, Error, Result};
use crate::model::Body;
use crate::output;
use crate::output::OutputFile;
use crate::theme::Asset;

/// Every file of a built site, by `/`-separated path under the output folder.
///
/// Keys are shared strings so that copying the map for a rebuild allocates no key.
/// Output path → bytes; `Bytes` so that a rendered file is kept without being copied.
pub type SiteFiles = BTreeMap<Arc<str>, bytes::Bytes>;

/// Output files replaced by a re-render.
type Delta = Vec<(Arc<str>, bytes::Bytes)>;

/// The configuration and theme, with the theme's static files read into memory.
struct Loaded {
    inputs: Inputs,
    assets: SiteFiles,
}

/// What the last good full render left for re-rendering single pages.
struct Good {
    kept: Kept,
    /// Per content file, its text up to where the body starts: an edit that leaves it alone
    /// changes only the body (and keeps the body's first line).
    heads: BTreeMap<String, (String, usize)>,
    /// HTML pages in the site.
    pages: usize,
}

/// A site kept in memory between rebuilds. See the module documentation.
pub struct Session {
    options: Options,
    loaded: Option<Loaded>,
    sources: Option<Sources>,
    read_errors: BTreeMap<String, Diagnostic>,
    /// Per content file, its kind and front matter, parsed once and again only when it
    /// changes.
    parsed: BTreeMap<String, content::ParsedFile>,
    files: Arc<SiteFiles>,
    /// The output before `files` and the changes from it to `files`: the next re-render
    /// updates it in place, when nobody else holds it, instead of copying `files`.
    spare: Option<(Arc<SiteFiles>, Delta)>,
    good: Option<Good>,
    /// Changes since the last good build (a failed rebuild keeps its changes here).
    pending: Changes,
    /// Whether the output folder holds `files` (false before the first write or after a
    /// failed one, so that the next write replaces the whole folder).
    written: bool,
    /// The page assets read with the sources.
    assets: PageAssets,
    /// Whether a rebuild may leave part of its work to [`Session::finish`].
    defer: bool,
    /// Content changes whose rebuild [`Session::early`] began: every change since the last
    /// good build, the changes of that rebuild, and the output before it (put back if the
    /// rest fails).
    unfinished: Option<(Changes, Changes, Arc<SiteFiles>)>,
}

impl Session {
    /// A session for the site and output of `options` (nothing is read yet).
    pub fn new(options: Options) -> Session {
        Session {
            options,
            loaded: None,
            sources: None,
            read_errors: BTreeMap::new(),
            parsed: BTreeMap::new(),
            files: Arc::new(SiteFiles::new()),
            spare: None,
            good: None,
            pending: Changes::default(),
            written: false,
            assets: PageAssets::default(),
            defer: false,
            unfinished: None,
        }
    }

    /// Lets a rebuild make the pages of the edited files first and leave the rest (other
    /// pages, the matrix files) to [`Session::finish`], which the caller runs right after
    /// showing the first part: `serve`, whose requests for the files left wait for them.
    pub fn defer(&mut self, on: bool) {
        self.defer = on;
    }

    /// The last good output (empty before the first successful build).
    pub fn files(&self) -> Arc<SiteFiles> {
        Arc::clone(&self.files)
    }

    /// Reads everything and builds the whole site.
    pub fn build(&mut self) -> Result<Summary> {
        let started = Instant::now();
        let everything = Changes {
            rescan: true,
            theme: true,
            config: true,
            archive: true,
            ..Changes::default()
        };
        match self.apply(&everything, started)? {
            (_, Some(summary)) => Ok(summary),
            (_, None) => Err(Error::Other("the site was not built in full".into())),
        }
    }

    /// Applies `changes`: re-reads what changed and rebuilds. On error the last good output
    /// stays in place (in memory and on disk).
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Rebuilt> {
        self.apply(changes, Instant::now())
            .map(|(rebuilt, _)| rebuilt)
    }

    fn apply(&mut self, changes: &Changes, started: Instant) -> Result<(Rebuilt, Option<Summary>)> {
        // What the last rebuild deferred comes first (a failure there leaves nothing kept,
        // so this rebuild renders everything and reports it).
        let _ = self.finish();
        self.pending.merge(changes.clone());
        if let Some(rebuilt) = self.swap_assets(changes, started)? {
            return Ok((rebuilt, None));
        }
        let mut pending = self.pending.clone();
        // The archive is read with the configuration: a change to a copy re-verifies every
        // quote and renders everything, exactly as a clean build would.
        let reload = pending.config || pending.theme || pending.archive;
        if reload || pending.shortcodes || self.loaded.is_none() {
            if pending.config || pending.archive || self.loaded.is_none() {
                // Nothing rendered with another configuration or archive can be reused.
                self.good = None;
            }
            // Shortcode templates alone leave the static files as they were read.
            let kept_assets = self.loaded.take().filter(|_| !reload).map(|l| l.assets);
            let inputs = Inputs::load(&self.options)?;
            let assets = match kept_assets {
                Some(assets) => assets,
                None => read_assets(&inputs)?,
            };
            self.loaded = Some(Loaded { inputs, assets });
        }
        self.update_sources(&mut pending)?;
        let state = plan::State {
            kept: self.good.is_some(),
            read_errors: !self.read_errors.is_empty(),
        };
        let done = match plan::plan(&pending, state, &self.edits(&pending)) {
            Plan::Bodies => match self.rerender(&pending, changes, started)? {
                Some(rebuilt) => Some(rebuilt),
                None => self.update(&pending, changes, started)?,
            },
            Plan::Articles => match self.patch(&pending, changes, started)? {
                Some(rebuilt) => Some(rebuilt),
                None => self.update(&pending, changes, started)?,
            },
            Plan::Content => match self.early(&pending, changes, started)? {
                Some(rebuilt) => return Ok((rebuilt, None)),
                None => self.update(&pending, changes, started)?,
            },
            Plan::Theme | Plan::Shortcodes => {
                let done = self.retheme(changes, started)?;
                if done.is_none() {
                    self.good = None;
                }
                done
            }
            Plan::Full => None,
        };
        if let Some(rebuilt) = done {
            self.pending = Changes::default();
            return Ok((rebuilt, None));
        }
        self.render_all(changes, started)
    }

    /// How each changed content file changed since the last good build.
    fn edits(&self, pending: &Changes) -> Vec<Edit> {
        let (Some(good), Some(sources)) = (&self.good, &self.sources) else {
            return vec![Edit::Other; pending.content.len()];
        };
        let edit = |rel: &String| match (sources.get(rel), good.heads.get(rel)) {
            (None, None) => Edit::Ignored,
            (Some(file), Some(old)) => match split_head(&file.text) {
                Some((head, line, _)) if head == old.0 && line == old.1 => Edit::Body,
                _ if matches!(content::classify(rel), Ok(content::Kind::Article(_))) => {
                    Edit::Article
                }
                _ => Edit::Other,
            },
            _ => Edit::Other,
        };
        pending.content.iter().map(edit).collect()
    }

    /// Reads nothing more: renders everything from the sources read, keeping what the next
    /// rebuild needs.
    fn render_all(
        &mut self,
        changes: &Changes,
        started: Instant,
    ) -> Result<(Rebuilt, Option<Summary>)> {
        let (Some(loaded), Some(sources)) = (&self.loaded, &self.sources) else {
            return Err(Error::Other("the site was not loaded".into()));
        };
        let site = loaded.inputs.model(
            (
                sources.values().cloned().collect(),
                self.assets.files.clone(),
            ),
            self.read_errors.values().cloned().collect(),
        )?;
        let counts = Built::counts(&site);
        let (mut output, kept) = Kept::render(site, &loaded.inputs.theme).map_err(Error::Site)?;
        let t = crate::timing::span("session.files");
        let rendered = output.files.len();
        let mut files = loaded.assets.clone();
        let page_assets = self.assets.bytes.iter();
        files.extend(page_assets.map(|(p, b)| (p.clone(), b.clone())));
        // Moved file by file, so that the site is never in memory twice.
        files.extend(
            std::mem::take(&mut output.files)
                .into_iter()
                .map(|f| (Arc::from(f.path), bytes::Bytes::from(f.bytes))),
        );
        drop(t);
        let notices = loaded.inputs.notices(kept.site());
        let built = Built {
            counts,
            output,
            notices,
            assets: Default::default(),
        };
        let (updated, removed) = diff(&self.files, &files);
        let heads = sources
            .iter()
            .filter_map(|(rel, f)| {
                let (head, line, _) = split_head(&f.text)?;
                Some((rel.clone(), (head.to_string(), line)))
            })
            .collect();
        self.write(&files, &updated, &removed)?;
        let summary = built.summary(
            started,
            (self.options.mode == Mode::Build).then(|| self.options.output_dir()),
        );
        self.files = Arc::new(files);
        self.spare = None;
        self.pending = Changes::default();
        self.good = Some(Good {
            kept,
            heads,
            pages: built.output.pages,
        });
        let rebuilt = Rebuilt {
            changed: changes.describe(),
            pages: built.output.pages,
            rendered,
            updated,
            removed,
            deferred: Deferred::Nothing,
            elapsed: started.elapsed(),
        };
        Ok((rebuilt, Some(summary)))
    }

    /// Whether every change since the last good build is to content files already read
    /// without error: what the incremental paths can take.
    fn content_edits_only(&self, pending: &Changes) -> bool {
        !(pending.config
            || pending.theme
            || pending.shortcodes
            || pending.archive
            || pending.rescan
            || !self.read_errors.is_empty())
    }
}

/// A content file's text up to where its body starts (front matter and delimiters), the
/// body's first line and the body, or `None` when it has no valid front matter delimiters.
fn split_head(text: &str) -> Option<(&str, usize, &str)> {
    let split = content::frontmatter::split(text).ok()?;
    let start = split.body.as_ptr() as usize - text.as_ptr() as usize;
    Some((text.get(..start)?, split.body_line, split.body))
}

/// Whether a path under `content/` is a page source the build reads (as `content::read_all`
/// decides: Markdown, and no hidden or editor-backup segment).
fn is_content_file(rel: &str) -> bool {
    rel.ends_with(".md") && !rel.split('/').any(crate::fs::is_ignored_name)
}

#[cfg(test)]
mod tests;

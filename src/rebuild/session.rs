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

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use super::changes::{Changes, Rebuilt};
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
pub type SiteFiles = BTreeMap<Arc<str>, Arc<[u8]>>;

/// Output files replaced by a re-render.
type Delta = Vec<(Arc<str>, Arc<[u8]>)>;

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
        }
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
        self.pending.merge(changes.clone());
        let pending = self.pending.clone();
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
        self.update_sources(&pending)?;
        let state = plan::State {
            kept: self.good.is_some(),
            read_errors: !self.read_errors.is_empty(),
        };
        let done = match plan::plan(&pending, state, &self.edits(&pending)) {
            Plan::Bodies => match self.rerender(&pending, changes, started)? {
                Some(rebuilt) => Some(rebuilt),
                None => self.update(&pending, changes, started)?,
            },
            Plan::Content => self.update(&pending, changes, started)?,
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
            sources.values().cloned().collect(),
            self.read_errors.values().cloned().collect(),
        )?;
        let counts = Built::counts(&site);
        let (output, kept) = Kept::render(site, &loaded.inputs.theme).map_err(Error::Site)?;
        let notices = loaded.inputs.notices(kept.site());
        let built = Built {
            counts,
            output,
            notices,
        };
        let mut files = loaded.assets.clone();
        files.extend(
            built
                .output
                .files
                .iter()
                .map(|f| (Arc::from(f.path.as_str()), Arc::from(f.bytes.as_slice()))),
        );
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
            rendered: built.output.files.len(),
            updated,
            removed,
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

    /// Re-renders only the pages of the changed files when every change since the last good
    /// build is to Markdown bodies and the templates show each body on its own page only.
    /// `None` when a full render is needed.
    fn rerender(
        &mut self,
        pending: &Changes,
        changes: &Changes,
        started: Instant,
    ) -> Result<Option<Rebuilt>> {
        if !self.content_edits_only(pending) {
            return Ok(None);
        }
        let (Some(good), Some(sources)) = (self.good.as_mut(), &self.sources) else {
            return Ok(None);
        };
        let mut bodies = Vec::new();
        for rel in &pending.content {
            let (file, old) = match (sources.get(rel), good.heads.get(rel)) {
                // Not a page before nor now (an editor's backup or swap file).
                (None, None) => continue,
                (Some(file), Some(old)) => (file, old),
                _ => return Ok(None),
            };
            let Some((head, body_line, markdown)) = split_head(&file.text) else {
                return Ok(None);
            };
            if head != old.0 || body_line != old.1 {
                return Ok(None);
            }
            bodies.push((
                rel.as_str(),
                Body {
                    markdown: markdown.to_string(),
                    source: file.display.clone(),
                    first_line: body_line,
                },
            ));
        }
        let edits: Vec<BodyEdit<'_>> = bodies
            .iter()
            .map(|(rel, body)| BodyEdit { rel, body })
            .collect();
        let Some(rendered) = good.kept.rerender(&edits) else {
            return Ok(None);
        };
        let pages = good.pages;
        let changed: Delta = rendered
            .iter()
            .filter(|f| {
                self.files
                    .get(f.path.as_str())
                    .is_none_or(|b| **b != *f.bytes)
            })
            .map(|f| (Arc::from(f.path.as_str()), Arc::from(f.bytes.as_slice())))
            .collect();
        let updated: Vec<String> = changed.iter().map(|(p, _)| p.to_string()).collect();
        let mut next = match self.spare.take() {
            Some((mut old, delta)) => match Arc::get_mut(&mut old) {
                Some(map) => {
                    map.extend(delta);
                    old
                }
                None => Arc::clone(&self.files),
            },
            None => Arc::clone(&self.files),
        };
        Arc::make_mut(&mut next).extend(changed.iter().cloned());
        self.write(&next, &updated, &[])?;
        let previous = std::mem::replace(&mut self.files, next);
        self.spare = Some((previous, changed));
        Ok(Some(Rebuilt {
            changed: changes.describe(),
            pages,
            rendered: rendered.len(),
            updated,
            removed: Vec::new(),
            elapsed: started.elapsed(),
        }))
    }

    /// Rebuilds the model from the parsed files (parsing those not parsed yet) and re-renders
    /// the pages whose inputs changed. `None` when a full render is needed.
    fn update(
        &mut self,
        pending: &Changes,
        changes: &Changes,
        started: Instant,
    ) -> Result<Option<Rebuilt>> {
        use rayon::prelude::*;
        if !self.content_edits_only(pending) {
            return Ok(None);
        }
        let (Some(loaded), Some(sources)) = (&self.loaded, &self.sources) else {
            return Ok(None);
        };
        if self.good.is_none() {
            return Ok(None);
        }
        self.parsed.retain(|rel, _| sources.contains_key(rel));
        let missing: Vec<(String, content::ParsedFile)> = sources
            .par_iter()
            .filter(|(rel, _)| !self.parsed.contains_key(*rel))
            .map(|(rel, file)| (rel.clone(), content::parse_file(file.clone())))
            .collect();
        self.parsed.extend(missing);
        let (content, errors) = content::assemble(self.parsed.values().cloned());
        if !errors.is_empty() {
            return Ok(None);
        }
        let Ok(site) = crate::model::build(
            loaded.inputs.config.clone(),
            content,
            loaded.inputs.archive.as_ref().ok(),
        ) else {
            return Ok(None);
        };
        let Some(good) = self.good.as_mut() else {
            return Ok(None);
        };
        let Some(update) = good.kept.update(site, &loaded.inputs.theme) else {
            return Ok(None);
        };
        let mut next: SiteFiles = (*self.files).clone();
        let mut updated = Vec::new();
        for file in update.files {
            if next
                .get(file.path.as_str())
                .is_none_or(|b| **b != *file.bytes)
            {
                next.insert(Arc::from(file.path.as_str()), Arc::from(file.bytes));
                updated.push(file.path);
            }
        }
        for path in &update.removed {
            next.remove(path.as_str());
        }
        for rel in &pending.content {
            match sources.get(rel).and_then(|f| split_head(&f.text)) {
                Some((head, line, _)) => {
                    good.heads.insert(rel.clone(), (head.to_string(), line));
                }
                None => {
                    good.heads.remove(rel);
                }
            }
        }
        good.pages = good.kept.pages();
        let pages = good.pages;
        self.write(&next, &updated, &update.removed)?;
        self.files = Arc::new(next);
        self.spare = None;
        Ok(Some(Rebuilt {
            changed: changes.describe(),
            pages,
            rendered: update.rendered,
            updated,
            removed: update.removed,
            elapsed: started.elapsed(),
        }))
    }

    /// After a change to templates or static files alone: re-renders the pages whose
    /// template builds on a changed one and swaps in the new static files. `None` when a
    /// full render is needed.
    fn retheme(&mut self, changes: &Changes, started: Instant) -> Result<Option<Rebuilt>> {
        let (Some(good), Some(loaded)) = (self.good.as_mut(), &self.loaded) else {
            return Ok(None);
        };
        let (inputs, assets) = (&loaded.inputs, &loaded.assets);
        let generated = good.kept.generated_paths();
        let planned = generated.iter().map(String::as_str);
        if !output::path_conflicts(&inputs.theme, planned, good.kept.site()).is_empty() {
            // A static file shadows a generated one or takes its folder: the full render
            // reports it.
            return Ok(None);
        }
        let generated = |path: &str| generated.contains(path);
        let next: SiteFiles = self
            .files
            .iter()
            .filter(|(path, _)| generated(path))
            .map(|(p, b)| (Arc::clone(p), Arc::clone(b)))
            .collect();
        let Some(update) = good.kept.retheme(&inputs.theme) else {
            return Ok(None);
        };
        let mut next = next;
        next.extend(assets.iter().map(|(p, b)| (Arc::clone(p), Arc::clone(b))));
        for file in update.files {
            next.insert(Arc::from(file.path.as_str()), Arc::from(file.bytes));
        }
        let (updated, removed) = diff(&self.files, &next);
        let pages = good.pages;
        self.write(&next, &updated, &removed)?;
        self.files = Arc::new(next);
        self.spare = None;
        Ok(Some(Rebuilt {
            changed: changes.describe(),
            pages,
            rendered: update.rendered,
            updated,
            removed,
            elapsed: started.elapsed(),
        }))
    }

    /// Re-reads the changed content files, or all of them.
    fn update_sources(&mut self, changes: &Changes) -> Result<()> {
        let root = &self.options.root;
        if changes.rescan || self.sources.is_none() {
            self.sources = None;
            self.parsed.clear();
            let (sources, errors) = read_content(root)?;
            self.read_errors = errors
                .into_iter()
                .map(|d| (d.path.to_string_lossy().into_owned(), d))
                .collect();
            self.sources = Some(sources);
            return Ok(());
        }
        let Some(sources) = self.sources.as_mut() else {
            return Ok(());
        };
        let content_dir = root.join("content");
        for rel in &changes.content {
            sources.remove(rel);
            self.parsed.remove(rel);
            let path = content_dir.join(rel);
            let key = Path::new("content")
                .join(rel)
                .to_string_lossy()
                .into_owned();
            self.read_errors.remove(&key);
            if !path.is_file() || !is_content_file(rel) {
                continue;
            }
            match content::read_one(&path, &content_dir, Path::new(".")) {
                Ok(file) => {
                    sources.insert(rel.clone(), file);
                }
                Err(d) => {
                    self.read_errors.insert(key, d);
                }
            }
        }
        Ok(())
    }

    fn write(&mut self, files: &SiteFiles, updated: &[String], removed: &[String]) -> Result<()> {
        if self.options.mode != Mode::Build {
            return Ok(());
        }
        let dir = self.options.output_dir();
        // An output folder deleted (or emptied) since the last write gets the whole site.
        let result = if self.written && output::holds_a_build(&dir) {
            output::update(&dir, files, updated, removed)
        } else {
            let all: Vec<OutputFile> = files
                .iter()
                .map(|(path, bytes)| OutputFile {
                    path: path.to_string(),
                    bytes: bytes.to_vec(),
                })
                .collect();
            output::write(&dir, &all, &[])
        };
        self.written = result.is_ok();
        result
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

/// The theme's static files, in memory.
fn read_assets(inputs: &Inputs) -> Result<SiteFiles> {
    let mut errors = Vec::new();
    let mut assets = SiteFiles::new();
    for (path, asset) in &inputs.theme.assets {
        let bytes: Arc<[u8]> = match asset {
            Asset::Embedded(bytes) => Arc::from(*bytes),
            Asset::File(file) => match std::fs::read(file) {
                Ok(bytes) => Arc::from(bytes),
                Err(e) => {
                    errors.push(Diagnostic::new(file, format!("cannot read: {e}")));
                    continue;
                }
            },
        };
        assets.insert(Arc::from(path.as_str()), bytes);
    }
    if errors.is_empty() {
        Ok(assets)
    } else {
        Err(Error::Site(errors))
    }
}

/// Paths new or changed in `new`, and paths of `old` missing from `new`.
fn diff(old: &SiteFiles, new: &SiteFiles) -> (Vec<String>, Vec<String>) {
    let updated = new
        .iter()
        .filter(|(path, bytes)| old.get(*path).is_none_or(|b| b != *bytes))
        .map(|(path, _)| path.to_string())
        .collect();
    let removed = old
        .keys()
        .filter(|path| !new.contains_key(*path))
        .map(|path| path.to_string())
        .collect();
    (updated, removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_finds_updated_and_removed() {
        let a: SiteFiles = [
            (Arc::from("x"), Arc::from(&b"1"[..])),
            (Arc::from("y"), Arc::from(&b"2"[..])),
        ]
        .into();
        let b: SiteFiles = [
            (Arc::from("x"), Arc::from(&b"1"[..])),
            (Arc::from("z"), Arc::from(&b"3"[..])),
        ]
        .into();
        assert_eq!(diff(&a, &b), (vec!["z".to_string()], vec!["y".to_string()]));
    }

    #[test]
    fn content_files_are_markdown_without_backup_names() {
        assert!(is_content_file("articles/a.md"));
        assert!(!is_content_file("articles/a.md~"));
        assert!(!is_content_file("articles/.a.md.swp"));
        assert!(!is_content_file("articles/4913"));
        assert!(!is_content_file(".hidden/a.md"));
    }

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn article(body: &str) -> String {
        format!(
            "+++\ntitle = \"One\"\npublisher = \"P\"\nsummary = \"S.\"\nleaning = \"tie\"\n\n\
             [claims.speed]\nfavors = \"alpha\"\nnote = \"N.\"\n+++\n{body}\n"
        )
    }

    #[test]
    fn rerendered_files_equal_a_fresh_build_whoever_holds_the_old_ones() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "site.toml",
            "title = \"T\"\nbase_url = \"https://example.com/\"\n",
        );
        write(
            root,
            "content/_index.md",
            "+++\ntitle = \"Home\"\n+++\nHello.\n",
        );
        write(
            root,
            "content/subjects/alpha.md",
            "+++\nname = \"Alpha\"\n+++\n",
        );
        write(
            root,
            "content/criteria/speed.md",
            "+++\ntitle = \"Speed\"\n+++\n",
        );
        write(root, "content/articles/one.md", &article("First."));
        let options = Options {
            root: root.to_path_buf(),
            output: Some(dir.path().join("out")),
            base_url: None,
            mode: Mode::Check,
            evidence: Default::default(),
        };
        let mut session = Session::new(options.clone());
        session.build().unwrap();
        let edit = Changes {
            content: ["articles/one.md".to_string()].into(),
            ..Changes::default()
        };
        let mut held = Vec::new();
        for (i, body) in ["Second.", "Third.", "Fourth.", "Fifth.", "Sixth."]
            .iter()
            .enumerate()
        {
            write(root, "content/articles/one.md", &article(body));
            let rebuilt = session.rebuild(&edit).unwrap();
            // The page, and of the search index the shard of the new word and the manifest.
            assert_eq!(rebuilt.rendered, 3, "{rebuilt}");
            // Sometimes a request still holds the previous output.
            if i % 2 == 0 {
                held.push(session.files());
            }
            let mut fresh = Session::new(options.clone());
            fresh.build().unwrap();
            assert!(*session.files() == *fresh.files(), "after {body}");
        }
        assert!(String::from_utf8_lossy(&held[0]["articles/one/index.html"]).contains("Second."));

        // A vim-style save touches a backup file too: still one page.
        write(root, "content/articles/one.md~", &article("Sixth."));
        write(root, "content/articles/one.md", &article("Seventh."));
        let vim = Changes {
            content: ["articles/one.md".into(), "articles/one.md~".into()].into(),
            ..Changes::default()
        };
        assert_eq!(session.rebuild(&vim).unwrap().rendered, 3);
        // A front matter change renders everything.
        write(
            root,
            "content/articles/one.md",
            &article("Eighth.").replace("\"S.\"", "\"Other.\""),
        );
        assert!(session.rebuild(&edit).unwrap().rendered > 1);
        let mut fresh = Session::new(options.clone());
        fresh.build().unwrap();
        assert!(*session.files() == *fresh.files());
    }
}

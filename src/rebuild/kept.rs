//! What a full render leaves for the next rebuild ([`Kept`]: the model and its rendered
//! bodies, the compiled templates, every page's job and fingerprint, the link and search
//! indexes), and the re-renders that use it: of edited bodies alone, of a new model of the
//! same theme, of a changed theme. When the templates show each body on its own page only
//! ([`crate::theme::scan`]), a body edit re-renders that one page (and the search index files
//! its indexed words and result text are in). Whenever anything fails, the caller renders
//! everything again.

mod body_edit;
mod patch;
mod preview;

pub(super) use body_edit::BodyEdit;
pub(super) use patch::Patch;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use tera::Tera;

use super::Deferred;
use super::fingerprint::{self, Pages};
use crate::markdown::{self, LinkContext};
use crate::model::generated::body_free;
use crate::model::{Body, Site};
use crate::output::OutputFile;
use crate::render::pages::{self, Job, What};
use crate::render::shortcodes::{self as built_in, shows_model};
use crate::render::views::{Bodies, Views};
use crate::render::{self, links, search};
use crate::theme::TemplateSource;
use crate::theme::scan::{bodies_isolated, globals_read, templates_used};

mod shortcodes_used;

/// What a full render keeps for re-rendering single pages.
pub(super) struct Kept {
    tera: Tera,
    /// The templates without the pages' globals, for shortcodes.
    shortcode_tera: Tera,
    /// Every job, in render order.
    jobs: Vec<Job>,
    links: LinkContext,
    index: links::Index,
    /// The search index, when the site has one: made again page by page.
    search: Option<search::Index>,
    /// Whether templates read bodies only through `page` (see the module documentation) and
    /// no data file reads them.
    isolated: bool,
    /// Per template, the globals it (or a template it extends, includes or imports) names.
    reads: HashMap<String, BTreeSet<&'static str>>,
    /// The model the pages were rendered from.
    site: Site,
    /// Its rendered Markdown.
    bodies: Bodies,
    /// Per output path, the fingerprint of its page's own context.
    fingerprints: HashMap<String, u64>,
    /// Per global (in [`pages::GLOBALS`] order), its fingerprint.
    globals: Vec<u64>,
    /// What a patch left for [`Kept::finish`].
    later: Option<patch::Later>,
    /// Matrix column labels, per article.
    columns: Vec<String>,
    /// The templates the pages were rendered with.
    templates: BTreeMap<String, TemplateSource>,
    /// Whether no data file reads Markdown bodies ([`body_free`]; the search index's are
    /// made again page by page).
    data_free: bool,
}

/// Per output path, the fingerprint of its page's own context: what tells, after an edit,
/// which pages need rendering again.
fn job_fingerprints(
    site: &Site,
    bodies: &Bodies,
    columns: &[String],
    jobs: &[Job],
) -> HashMap<String, u64> {
    use rayon::prelude::*;
    let views = Views::with_columns(site, bodies, columns);
    let contexts = pages::Contexts::new(&views, jobs);
    let fingerprints = Pages::new(&contexts);
    jobs.par_iter()
        .map(|job| (job.path.clone(), fingerprints.job(job)))
        .collect()
}

/// A re-rendered page: its path, HTML, Markdown links and context fingerprint.
type RenderedPage = (String, String, Vec<markdown::InternalLink>, u64);

/// Renders the jobs at `positions` (in parallel): each file with what the link checker
/// keeps of it; `None` if one fails (the full render then reports it).
fn render_some(
    tera: &Tera,
    contexts: &pages::Contexts<'_>,
    jobs: &[Job],
    positions: &[usize],
    base_path: &str,
) -> Option<Vec<(OutputFile, links::Extracted)>> {
    use rayon::prelude::*;
    positions
        .par_iter()
        .map(|&i| {
            let job = &jobs[i];
            let html = render::render_page(tera, &job.template, &contexts.context(job)).ok()?;
            let extracted = links::extract(
                base_path,
                &job.path,
                job.path.ends_with(".html").then_some(html.as_str()),
                None,
            );
            let file = OutputFile {
                path: job.path.clone(),
                bytes: html.into_bytes(),
            };
            Some((file, extracted))
        })
        .collect()
}

/// The link index's view of re-rendered files.
fn changed_pages(rendered: &[(OutputFile, links::Extracted)]) -> Vec<links::Changed> {
    rendered
        .iter()
        .map(|(file, e)| {
            let links = e.links.iter().map(|(_, t, a)| (t.clone(), a.clone()));
            (
                links::url_path(&file.path).to_string(),
                e.ids.clone(),
                links.collect(),
            )
        })
        .collect()
}

/// What [`Kept::update`] made.
pub(super) struct Update {
    /// Pages rendered again.
    pub rendered: usize,
    /// The re-rendered pages and every data file (the caller writes those that differ).
    pub files: Vec<OutputFile>,
    /// Output paths that no longer exist.
    pub removed: Vec<String>,
    /// What [`Kept::finish`] makes (see [`Kept::patch`]).
    pub deferred: Deferred,
}

impl Kept {
    /// Renders `site` in full into memory, keeping what the next rebuild needs.
    pub(super) fn render(
        site: Site,
        theme: &crate::theme::Theme,
    ) -> Result<(render::Output, Kept), Vec<crate::error::Diagnostic>> {
        let t = crate::timing::span("kept.render");
        let (output, parts) = render::render_kept(site, theme, &fingerprint::global)?;
        drop(t);
        let kept = Kept::new(&output, parts, &theme.templates);
        Ok((output, kept))
    }

    fn new(
        output: &render::Output,
        parts: render::Parts,
        templates: &BTreeMap<String, TemplateSource>,
    ) -> Kept {
        let t = crate::timing::span("kept.fingerprints");
        let fingerprints =
            job_fingerprints(&parts.site, &parts.bodies, &parts.columns, &parts.jobs);
        drop(t);
        let t = crate::timing::span("kept.link_index");
        let base_path = parts.site.config.base_path.as_str();
        let sources = render::link_sources(&parts.site, &parts.bodies);
        let index = links::Index::new(base_path, parts.extracted, &sources.borrowed());
        drop(sources);
        drop(t);
        // Files made from templates show bodies only as the templates do; data files must be
        // known not to read bodies at all.
        let page_paths: std::collections::HashSet<&str> =
            parts.jobs.iter().map(|j| j.path.as_str()).collect();
        let data_free = output.paths.iter().all(|p| {
            page_paths.contains(p.as_str())
                || body_free(p)
                || search::is_search_path(p)
                || render::is_alias(&parts.site, p)
        });
        Kept {
            columns: parts.columns,
            templates: templates.clone(),
            data_free,
            isolated: data_free && bodies_isolated(templates),
            reads: globals_read(templates, &pages::GLOBALS),
            tera: parts.tera,
            // Without it (never, from `render_kept`) a call fails and the full render runs.
            shortcode_tera: parts.shortcode_tera.unwrap_or_default(),
            jobs: parts.jobs,
            links: parts.links,
            index,
            search: parts.search,
            site: parts.site,
            bodies: parts.bodies,
            fingerprints,
            globals: parts.globals,
            later: None,
        }
    }

    /// The model of the last render.
    pub(super) fn site(&self) -> &Site {
        &self.site
    }

    /// The paths of every file the site generates (pages and data files).
    pub(super) fn generated_paths(&self) -> std::collections::HashSet<String> {
        self.jobs
            .iter()
            .map(|j| j.path.clone())
            .chain(render::site_file_paths(&self.site))
            .collect()
    }

    /// How many HTML pages the site has.
    pub(super) fn pages(&self) -> usize {
        self.jobs
            .iter()
            .filter(|j| j.path.ends_with(".html"))
            .count()
    }

    /// Brings the output up to date with `site`, a new model of the same configuration and
    /// theme (front matter edited, files added, renamed or deleted): Markdown is rendered
    /// again only for bodies that changed (all of them when the set of pages changed, since
    /// `@/` links resolve against it), and a page is rendered again only when its own
    /// context, its template or a global its template reads changed. Returns the new and
    /// changed files and the removed paths, or `None` (nothing changed here) when a full
    /// render must decide, for instance because a link broke.
    pub(super) fn update(&mut self, site: Site, theme: &crate::theme::Theme) -> Option<Update> {
        use rayon::prelude::*;
        let mut links = render::link_context(&site, theme);
        links.highlighter = self.links.highlighter.clone();
        let bodies = self.bodies_for(&site, &links)?;
        let views = Views::new(&site, &bodies);
        let read = self.reads.values().flatten().copied().collect();
        let shared = pages::Shared::marked(&views, &fingerprint::global, &read);
        let globals = shared.marks();
        let changed_globals = self.changed_globals(&globals);
        let jobs = pages::jobs(&views);
        let planned = jobs.iter().map(|j| j.path.clone());
        let planned: Vec<String> = planned.chain(render::site_file_paths(&site)).collect();
        if !crate::output::path_conflicts(theme, planned.iter().map(String::as_str), &site)
            .is_empty()
        {
            // Paths that cannot be written together: the full render reports them.
            return None;
        }
        let contexts = pages::Contexts::new(&views, &jobs);
        let page_fingerprints = Pages::new(&contexts);
        let fingerprints: Vec<u64> = jobs
            .par_iter()
            .map(|job| page_fingerprints.job(job))
            .collect();
        let dirty = self.dirty(&jobs, &fingerprints, &changed_globals);
        let mut tera = self.tera.clone();
        if !changed_globals.is_empty() {
            shared.install(tera.global_context());
        }
        let rendered = render_some(&tera, &contexts, &jobs, &dirty, &site.config.base_path)?;
        let mut removed = self.removed_pages(&jobs);
        let changed = changed_pages(&rendered);
        if !self.apply_links(changed, &removed) {
            return None;
        }
        let old_search = self.search.take();
        let search = site
            .config
            .search_index
            .then(|| search::Index::reusing(&site, old_search));
        let mut files: Vec<OutputFile> = rendered.into_iter().map(|(f, _)| f).collect();
        files.extend(render::site_files(&site, search.as_ref()));
        removed.extend(self.removed_site_files(&site));
        // A path can change hands (a page renamed and its old path redirected): written, kept.
        let written: std::collections::HashSet<&str> =
            files.iter().map(|f| f.path.as_str()).collect();
        removed.retain(|p| !written.contains(p.as_str()));
        let fingerprints = jobs
            .iter()
            .zip(fingerprints)
            .map(|(j, f)| (j.path.clone(), f))
            .collect();
        drop(contexts);
        let columns = views.columns.into_owned();
        *self = Kept {
            columns,
            tera,
            shortcode_tera: std::mem::replace(&mut self.shortcode_tera, Tera::new()),
            jobs,
            links,
            index: std::mem::take(&mut self.index),
            search,
            isolated: self.isolated,
            reads: std::mem::take(&mut self.reads),
            templates: std::mem::take(&mut self.templates),
            data_free: self.data_free,
            site,
            bodies,
            fingerprints,
            globals,
            later: None,
        };
        Some(Update {
            rendered: dirty.len(),
            files,
            removed,
            deferred: Deferred::Nothing,
        })
    }

    /// The names of the globals whose fingerprints (`globals`, in [`pages::GLOBALS`] order)
    /// differ from the last render's.
    fn changed_globals(&self, globals: &[u64]) -> BTreeSet<&'static str> {
        pages::GLOBALS
            .iter()
            .zip(globals.iter().zip(&self.globals))
            .filter(|(_, (new, old))| new != old)
            .map(|(name, _)| *name)
            .collect()
    }

    /// Updates the link index with the `changed` pages and the `removed` output paths;
    /// `false` (the index left as it was) when a link is broken.
    fn apply_links(&mut self, changed: Vec<links::Changed>, removed: &[String]) -> bool {
        let removed_urls: Vec<String> = removed
            .iter()
            .map(|p| links::url_path(p).to_string())
            .collect();
        let mut index = std::mem::take(&mut self.index);
        let fine = index.apply(changed, &removed_urls);
        self.index = index;
        fine
    }

    /// Every body of `site` rendered: those unchanged taken from the last render, unless the
    /// set of pages changed a target of their `@/` links (they resolve against it). `None`
    /// when one fails.
    fn bodies_for(&self, site: &Site, links: &LinkContext) -> Option<Bodies> {
        let expand = self.expander(site);
        let same_pages = links.pages == self.links.pages;
        // A link as written, `@/criteria/x.md#y`: the same target in both sets of pages.
        let same_target = |l: &markdown::InternalLink| match l.written.strip_prefix("@/") {
            None => true,
            Some(rest) => {
                let path = rest.split('#').next().unwrap_or_default();
                !path.contains('%') && links.pages.get(path) == self.links.pages.get(path)
            }
        };
        let old: HashMap<&std::path::Path, (&Body, &markdown::Rendered)> = self
            .old_bodies()
            .into_iter()
            .map(|(b, r)| (b.source.as_path(), (b, r)))
            .collect();
        // A body that shows the model through a built-in shortcode is rendered again.
        let reuse = |body: &Body| {
            old.get(body.source.as_path())
                .filter(|(b, r)| *b == body && !shows_model(&r.shortcodes))
                .filter(|(_, r)| same_pages || r.links.iter().all(same_target))
                .map(|(_, r)| (*r).clone())
        };
        render::render_bodies_reusing(site, links, &expand, &reuse).ok()
    }

    /// The positions of the jobs to render again: those whose own context or template
    /// changed, or whose template reads a changed global.
    fn dirty(&self, jobs: &[Job], fingerprints: &[u64], changed: &BTreeSet<&str>) -> Vec<usize> {
        let reads_changed = |template: &str| {
            self.reads
                .get(template)
                .is_none_or(|reads| reads.iter().any(|g| changed.contains(g)))
        };
        (0..jobs.len())
            .filter(|&i| {
                let job = &jobs[i];
                self.fingerprints.get(&job.path) != Some(&fingerprints[i])
                    || reads_changed(&job.template)
            })
            .collect()
    }

    /// The pages of the last render that `jobs` no longer has.
    fn removed_pages(&self, jobs: &[Job]) -> Vec<String> {
        let new_paths: std::collections::HashSet<&str> =
            jobs.iter().map(|j| j.path.as_str()).collect();
        self.jobs
            .iter()
            .filter(|j| !new_paths.contains(j.path.as_str()))
            .map(|j| j.path.clone())
            .collect()
    }

    /// The data files of the last render that `site` no longer has (the search index has as
    /// many files as the site has pages to fill them).
    fn removed_site_files(&self, site: &Site) -> Vec<String> {
        let now: std::collections::HashSet<String> =
            render::site_file_paths(site).into_iter().collect();
        render::site_file_paths(&self.site)
            .into_iter()
            .filter(|p| !now.contains(p))
            .collect()
    }

    /// Re-renders after a change to the theme's or the site's templates: the pages whose
    /// template builds on a changed one. Static files are the caller's. `None` (nothing
    /// changed here) when a full render must decide.
    pub(super) fn retheme(&mut self, theme: &crate::theme::Theme) -> Option<Update> {
        let changed: BTreeSet<String> = theme
            .templates
            .iter()
            .filter(|(name, t)| {
                self.templates
                    .get(*name)
                    .is_none_or(|old| old.text != t.text)
            })
            .map(|(name, _)| name.clone())
            .chain(
                self.templates
                    .keys()
                    .filter(|name| !theme.templates.contains_key(*name))
                    .cloned(),
            )
            .collect();
        // Static files are link targets: one gone may break a link (a full render tells);
        // new ones are added to what links can reach.
        let (targets, added) = super::assets::static_targets(&self.site, theme, &self.links)?;
        if crate::theme::scan::reserved_ids(&theme.templates) != *self.links.reserved_ids {
            // Body headings step around the templates' ids: a full render renders them again.
            return None;
        }
        let config = &self.site.config;
        let mut tera = render::templates(theme, &config.base_path, &config.base_url).ok()?;
        let shortcode_tera = tera.clone();
        let reshown = self.rerender_shortcodes(&theme.templates, &changed, &shortcode_tera)?;
        let config = &self.site.config;
        let views = Views::with_columns(&self.site, &self.bodies, &self.columns);
        pages::Shared::new(&views, &pages::read_by(&theme.templates))
            .install(tera.global_context());
        let used = templates_used(&theme.templates);
        let dirty: Vec<usize> = (0..self.jobs.len())
            .filter(|&i| {
                reshown.contains(&i)
                    || used
                        .get(&self.jobs[i].template)
                        .is_none_or(|u| u.iter().any(|t| changed.contains(t)))
            })
            .collect();
        let contexts = pages::Contexts::new(&views, &self.jobs);
        let base_path = config.base_path.as_str();
        let rendered = render_some(&tera, &contexts, &self.jobs, &dirty, base_path)?;
        // Pages whose body a shortcode changed have a new context.
        let page_fingerprints = Pages::new(&contexts);
        let refreshed: Vec<(String, u64)> = reshown
            .iter()
            .map(|&i| {
                let job = &self.jobs[i];
                (job.path.clone(), page_fingerprints.job(job))
            })
            .collect();
        drop(contexts);
        drop(views);
        let mut changed = changed_pages(&rendered);
        changed.extend(added);
        if !self.index.apply(changed, &[]) {
            return None;
        }
        self.links.pages = targets;
        self.fingerprints.extend(refreshed);
        self.tera = tera;
        self.shortcode_tera = shortcode_tera;
        self.reads = globals_read(&theme.templates, &pages::GLOBALS);
        self.isolated = self.data_free && bodies_isolated(&theme.templates);
        self.templates.clone_from(&theme.templates);
        Some(Update {
            rendered: rendered.len(),
            files: rendered.into_iter().map(|(f, _)| f).collect(),
            removed: Vec::new(),
            deferred: Deferred::Nothing,
        })
    }

    /// What renders shortcode calls, with the model `site`.
    fn expander<'a>(&'a self, site: &'a Site) -> built_in::Templates<'a> {
        built_in::Templates::new(&self.shortcode_tera, &self.templates, site)
    }
}

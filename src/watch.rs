//! Watching: turns file-system events under the site into [`Changes`] (a pure, unit-tested
//! classifier), watches the targets of links that lead out of the site as the links, groups
//! a burst of events into one rebuild, and runs a [`Session`] on each.
//! `serve` is this loop plus an HTTP thread.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::RecursiveMode;
use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind};

use crate::build::{Options, Summary};
use crate::error::{Error, Result};
use crate::rebuild::{Changes, Rebuilt, Session, SiteFiles};

/// The folders at the top of a site whose files feed the build.
const SOURCE_DIRS: [&str; 4] = ["content", "templates", "static", "themes"];

/// After an event that ends a write (close, rename, delete), how long to wait for more. The
/// events of one save (write, rename over, delete a backup) arrive microseconds apart; a
/// burst split in two only costs a second, still correct, rebuild.
const SETTLED_QUIET: Duration = Duration::from_millis(1);
/// After an event in the middle of a write (open, modify, create), how long to wait.
const WRITING_QUIET: Duration = Duration::from_millis(30);
/// A burst never delays a rebuild longer than this.
const LONGEST_BURST: Duration = Duration::from_millis(500);
/// How often `--poll` looks at the files. Each look hashes their contents, because the
/// poller's modification times only count whole seconds and two saves often share one.
const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// What a changed path is to the build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A Markdown file under `content/`, by path under `content/`.
    Content(String),
    /// Any other file under `content/` (a page asset), by path under `content/`.
    Asset(String),
    /// A folder under `content/` (or `content/` itself): read all content again.
    ContentTree,
    /// A template or static file, of the site or of a theme.
    Theme,
    /// A template under `templates/shortcodes/`, of the site or of a theme.
    Shortcode,
    /// `site.toml`.
    Config,
}

/// Classifies a changed path, relative to the site root. `None` for everything the build does
/// not read: the output folder, editors' temporary and backup files, hidden files, other files.
pub fn classify(rel: &Path, output: Option<&Path>) -> Option<Source> {
    if output.is_some_and(|out| !out.as_os_str().is_empty() && rel.starts_with(out)) {
        return None;
    }
    let parts: Vec<String> = rel
        .components()
        .map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Option<_>>()?;
    if parts.iter().any(|p| is_scratch_name(p)) {
        return None;
    }
    match parts.as_slice() {
        [file] if file == crate::config::FILE_NAME => Some(Source::Config),
        [dir, rest @ ..] if dir == "templates" || dir == "static" || dir == "themes" => {
            Some(if crate::rebuild::is_shortcode_template(dir, rest) {
                Source::Shortcode
            } else {
                Source::Theme
            })
        }
        [dir] if dir == "content" => Some(Source::ContentTree),
        [dir, rest @ ..] if dir == "content" => {
            let name = rest.last()?;
            if name.ends_with(".md") {
                Some(Source::Content(rest.join("/")))
            } else if !name.contains('.') {
                // Most likely a folder: created, deleted or renamed with its pages.
                Some(Source::ContentTree)
            } else {
                Some(Source::Asset(rest.join("/")))
            }
        }
        _ => None,
    }
}

/// Names editors use for temporary, swap and backup files, which never affect the build.
fn is_scratch_name(name: &str) -> bool {
    crate::fs::is_ignored_name(name)
        || name == "4913" // vim's write test
        || name.ends_with(".swo")
        || name.ends_with(".kate-swp")
        || name.starts_with(".#")
}

/// Adds what `path` (relative to the root) affects to `changes`; false when nothing.
fn add_change(changes: &mut Changes, rel: &Path, output: Option<&Path>) -> bool {
    match classify(rel, output) {
        Some(Source::Content(path)) => {
            changes.content.insert(path);
        }
        Some(Source::Asset(path)) => {
            changes.assets.insert(path);
        }
        Some(Source::ContentTree) => changes.rescan = true,
        Some(Source::Theme) => changes.theme = true,
        Some(Source::Shortcode) => changes.shortcodes = true,
        Some(Source::Config) => changes.config = true,
        None => return false,
    }
    true
}

/// Whether an event marks the end of a write, so that a short wait is enough.
fn ends_a_write(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Access(AccessKind::Close(AccessMode::Write))
            | EventKind::Remove(_)
            | EventKind::Modify(ModifyKind::Name(_))
    )
}

/// Whether an event can mean a file changed: not reads (the build's own reads cause those).
fn changes_files(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Watches a site's sources and hands out one [`Changes`] per burst of events.
pub struct Watcher {
    watcher: Box<dyn notify::Watcher + Send>,
    events: Receiver<notify::Result<notify::Event>>,
    root: PathBuf,
    output: Option<PathBuf>,
    watched: BTreeSet<PathBuf>,
    /// The archive folder (absolute), watched too: a change to a copy re-verifies quotes.
    archive: Option<PathBuf>,
    /// Symbolic links under the source folders whose targets lie outside them (native
    /// events do not cross a link): see [`LinkTargets`].
    links: Option<LinkTargets>,
}

/// The targets of symbolic links that lead out of the watched folders, watched themselves:
/// a linked folder recursively, a linked file through its folder (an editor that saves by
/// renaming a new file over the old one would end a watch on the file itself). An event on
/// a target stands for the same change at the link.
#[derive(Default)]
struct LinkTargets {
    /// Target (canonical) → the link's path relative to the site root, and whether the
    /// target is a folder.
    targets: std::collections::BTreeMap<PathBuf, (PathBuf, bool)>,
    /// The paths watched for them, with how.
    watched: std::collections::BTreeMap<PathBuf, RecursiveMode>,
}

impl LinkTargets {
    /// The path under the site root that an event at `path` stands for, if it is at a
    /// link's target.
    fn site_path(&self, path: &Path) -> Option<PathBuf> {
        self.targets.iter().find_map(|(target, (link, dir))| {
            if *dir {
                path.strip_prefix(target)
                    .ok()
                    .map(|inside| link.join(inside))
            } else {
                (path == target).then(|| link.clone())
            }
        })
    }
}

/// The links under `root`'s source folders whose targets lie outside every watched folder
/// (`inside`, canonical): target → (link relative to the root, is a folder).
fn outside_links(
    root: &Path,
    inside: &[PathBuf],
) -> std::collections::BTreeMap<PathBuf, (PathBuf, bool)> {
    let mut found = std::collections::BTreeMap::new();
    let roots = SOURCE_DIRS.iter().map(|d| root.join(d));
    let entries = roots.flat_map(|dir| walkdir::WalkDir::new(dir).follow_links(true));
    for entry in entries.flatten() {
        if !entry.path_is_symlink() {
            continue;
        }
        let Ok(target) = entry.path().canonicalize() else {
            continue;
        };
        if inside.iter().any(|w| target.starts_with(w)) {
            continue;
        }
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let dir = entry.file_type().is_dir();
        found.insert(target, (rel.to_path_buf(), dir));
    }
    found
}

impl Watcher {
    /// Starts watching the site at `root`, whose output goes to `output` (ignored). With
    /// `poll`, files are compared periodically instead of waiting for native events.
    pub fn new(root: &Path, output: &Path, poll: bool) -> Result<Watcher> {
        let root = std::path::absolute(root).map_err(|e| Error::io(root, e))?;
        let output = std::path::absolute(output).map_err(|e| Error::io(output, e))?;
        let (sender, events) = mpsc::channel();
        let handler = move |event| {
            let _ = sender.send(event);
        };
        let watcher: Box<dyn notify::Watcher + Send> = if poll {
            let config = notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true);
            Box::new(notify::PollWatcher::new(handler, config).map_err(notify_error)?)
        } else {
            Box::new(notify::recommended_watcher(handler).map_err(notify_error)?)
        };
        let mut this = Watcher {
            watcher,
            events,
            output: output.strip_prefix(&root).ok().map(Path::to_path_buf),
            root,
            watched: BTreeSet::new(),
            archive: None,
            links: (!poll).then(LinkTargets::default),
        };
        this.watcher
            .watch(&this.root, RecursiveMode::NonRecursive)
            .map_err(notify_error)?;
        this.watch_source_dirs();
        Ok(this)
    }

    /// The folders being watched recursively.
    pub fn watched(&self) -> Vec<PathBuf> {
        self.watched.iter().cloned().collect()
    }

    /// Watches the source folders that exist and are not watched yet (they may appear later).
    fn watch_source_dirs(&mut self) {
        for dir in SOURCE_DIRS {
            let path = self.root.join(dir);
            if self.watched.contains(&path) || !path.is_dir() {
                continue;
            }
            if self.watcher.watch(&path, RecursiveMode::Recursive).is_ok() {
                self.watched.insert(path);
            }
        }
        self.watched.retain(|p| p.is_dir());
        self.watch_link_targets();
    }

    /// Watches the targets of the links that lead out of the watched folders (native
    /// watching only: the poller follows links itself), and stops watching those gone.
    fn watch_link_targets(&mut self) {
        let Some(links) = self.links.as_mut() else {
            return;
        };
        let inside: Vec<PathBuf> = self
            .watched
            .iter()
            .filter_map(|w| w.canonicalize().ok())
            .collect();
        links.targets = outside_links(&self.root, &inside);
        let mut wanted = std::collections::BTreeMap::new();
        for (target, (_, dir)) in &links.targets {
            match (dir, target.parent()) {
                (true, _) => wanted.insert(target.clone(), RecursiveMode::Recursive),
                (false, Some(parent)) => {
                    wanted.insert(parent.to_path_buf(), RecursiveMode::NonRecursive)
                }
                (false, None) => None,
            };
        }
        for (path, mode) in &links.watched {
            if wanted.get(path) != Some(mode) {
                let _ = self.watcher.unwatch(path);
            }
        }
        let before = std::mem::take(&mut links.watched);
        for (path, mode) in wanted {
            if before.get(&path) == Some(&mode) || self.watcher.watch(&path, mode).is_ok() {
                links.watched.insert(path, mode);
            }
        }
    }

    /// Watches the archive folder `dir` (which may live outside the site) instead of the one
    /// watched before, if any. A folder that does not exist yet is watched once it appears
    /// after a change to `site.toml`.
    pub fn watch_archive(&mut self, dir: Option<&Path>) {
        let dir = dir.and_then(|d| std::path::absolute(d).ok());
        if dir == self.archive && dir.as_ref().is_none_or(|d| self.watched.contains(d)) {
            return;
        }
        if let Some(old) = self.archive.take()
            && self.watched.remove(&old)
        {
            let _ = self.watcher.unwatch(&old);
        }
        if let Some(dir) = &dir
            && dir.is_dir()
            && !self.watched.iter().any(|w| dir.starts_with(w))
            && self.watcher.watch(dir, RecursiveMode::Recursive).is_ok()
        {
            self.watched.insert(dir.clone());
        }
        self.archive = dir;
    }

    /// Blocks until something the build reads changes, then waits for the burst of events to
    /// end and returns everything it changed.
    pub fn next_changes(&mut self) -> Result<Changes> {
        let mut changes = Changes::default();
        let mut quiet = None::<Duration>;
        let mut first = None::<Instant>;
        loop {
            let event = match (quiet, first) {
                (Some(quiet), Some(first)) => {
                    let left = LONGEST_BURST.saturating_sub(first.elapsed()).min(quiet);
                    match self.events.recv_timeout(left) {
                        Ok(event) => event,
                        Err(RecvTimeoutError::Timeout) => return Ok(changes),
                        Err(RecvTimeoutError::Disconnected) => break,
                    }
                }
                _ => match self.events.recv() {
                    Ok(event) => event,
                    Err(_) => break,
                },
            };
            let Ok(event) = event else {
                // A lost event (e.g. an overflowing queue): read everything again.
                changes.rescan = true;
                changes.theme = true;
                changes.config = true;
                changes.archive = true;
                first.get_or_insert_with(Instant::now);
                quiet = Some(WRITING_QUIET);
                continue;
            };
            if !changes_files(&event.kind) {
                continue;
            }
            let mut relevant = false;
            for path in &event.paths {
                if let Some(archive) = &self.archive
                    && let Ok(inside) = path.strip_prefix(archive)
                {
                    let scratch = inside
                        .components()
                        .any(|c| is_scratch_name(&c.as_os_str().to_string_lossy()));
                    changes.archive |= !scratch;
                    relevant |= !scratch;
                    continue;
                }
                let linked = self.links.as_ref().and_then(|l| l.site_path(path));
                let rel = match &linked {
                    Some(rel) => rel.as_path(),
                    None => path.strip_prefix(&self.root).unwrap_or(path),
                };
                relevant |= add_change(&mut changes, rel, self.output.as_deref());
            }
            if relevant {
                first.get_or_insert_with(Instant::now);
                quiet = Some(if ends_a_write(&event.kind) {
                    SETTLED_QUIET
                } else {
                    WRITING_QUIET
                });
                // A new link may lead out of the watched folders: watch where it leads.
                let new_link = event.paths.iter().any(|p| p.is_symlink());
                if changes.rescan || changes.theme || changes.shortcodes || new_link {
                    self.watch_source_dirs();
                }
            }
        }
        Err(Error::Other("the file watcher stopped".into()))
    }
}

fn notify_error(e: notify::Error) -> Error {
    Error::Other(format!("cannot watch the site's files: {e}"))
}

/// What the loop reports, for the command line (and the server) to show.
#[derive(Debug)]
pub enum Report<'a> {
    /// The server listens at this URL (only from `serve`).
    Serving(&'a str),
    /// The folders watched, once at the start.
    Watching(&'a [PathBuf]),
    /// The first build succeeded.
    Built(&'a Summary),
    /// A rebuild succeeded.
    Rebuilt(&'a Rebuilt),
    /// The rest of a rebuild that reported its first part ([`run_deferring`]) is done.
    Finished(&'a Rebuilt),
    /// A build failed; the last good output stays.
    Failed(&'a Error),
}

/// Builds the site, then rebuilds it after every burst of changes, forever. Every outcome goes
/// to `report` together with the current good output. Only errors of the watcher itself end
/// it; build errors are reported and the loop goes on.
pub fn run(
    options: &Options,
    poll: bool,
    report: &mut dyn FnMut(&Report<'_>, &Arc<SiteFiles>),
) -> Result<()> {
    run_deferring(options, poll, false, report)
}

/// [`run`]; with `defer`, a rebuild may report its first part (the edited pages, as
/// [`Report::Rebuilt`]) before the rest ([`Session::defer`], as [`Report::Finished`]).
pub fn run_deferring(
    options: &Options,
    poll: bool,
    defer: bool,
    report: &mut dyn FnMut(&Report<'_>, &Arc<SiteFiles>),
) -> Result<()> {
    let mut watcher = Watcher::new(&options.root, &options.output_dir(), poll)?;
    watcher.watch_archive(crate::build::archive_dir(options).as_deref());
    let mut session = Session::new(options.clone());
    session.defer(defer);
    match session.build() {
        Ok(summary) => report(&Report::Built(&summary), &session.files()),
        Err(e) => report(&Report::Failed(&e), &session.files()),
    }
    report(&Report::Watching(&watcher.watched()), &session.files());
    loop {
        let changes = watcher.next_changes()?;
        if changes.is_empty() {
            continue;
        }
        match session.rebuild(&changes) {
            Ok(rebuilt) => report(&Report::Rebuilt(&rebuilt), &session.files()),
            Err(e) => report(&Report::Failed(&e), &session.files()),
        }
        match session.finish() {
            Some(Ok(rebuilt)) => report(&Report::Finished(&rebuilt), &session.files()),
            Some(Err(e)) => report(&Report::Failed(&e), &session.files()),
            None => {}
        }
        if changes.config {
            watcher.watch_archive(crate::build::archive_dir(options).as_deref());
        }
    }
}

#[cfg(test)]
mod tests;

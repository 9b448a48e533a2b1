//! The search index that the theme's client-side search reads, in files of bounded size so
//! that one query downloads a few small files however many pages the site has:
//!
//! - `search-index.json`, the manifest: how many pages, shards and chunks there are, how a
//!   term picks its shard, the file names, and a version that changes with any file.
//! - `search-index/terms-<n>.json`, the shards of the inverted index ([`shards`]): every
//!   term starting with the same two characters is in the same shard, so a query fetches
//!   one shard per word; a term keeps at most [`shards::POSTINGS_PER_TERM`] pages.
//! - `search-index/docs-<n>.json`, what a result shows (kind, title, URL and a short text) for
//!   [`DOCS_PER_CHUNK`] pages each: a query fetches the chunks of the results it shows.
//!
//! Which files exist depends on the number of pages only, so an edit to a body re-makes the
//! files it changes and never adds or removes one.

mod shards;
mod text;

use std::collections::{BTreeSet, HashMap};
use std::hash::Hasher;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHasher;
use serde::Serialize;

use crate::model::{Body, Site};
use crate::output::OutputFile;
use text::Terms;

/// The manifest's path in the output; the theme's search page links to it.
pub(crate) const MANIFEST: &str = "search-index.json";
/// The folder of the shards and chunks.
const DIR: &str = "search-index/";
/// Pages per chunk of display data. The 30 results a query shows are often spread over as
/// many chunks (when many pages score alike), so chunks are small: about 1.3 KB, for a few
/// thousand files at 10,000 pages.
pub(crate) const DOCS_PER_CHUNK: usize = 4;
/// Further distinct words indexed per page, at most.
const WORDS_PER_PAGE: usize = 120;
/// Further words indexed over the whole site, at most: at 10,000 pages each keeps 20.
const WORDS_PER_SITE: usize = 200_000;

/// Whether `path` is one of the search index's files.
pub(crate) fn is_search_path(path: &str) -> bool {
    path == MANIFEST || path.starts_with(DIR)
}

/// The paths of the search index of `site`: they depend on its number of pages only.
pub(crate) fn paths(site: &Site) -> Vec<String> {
    layout_paths(page_count(site))
}

fn layout_paths(pages: usize) -> Vec<String> {
    let mut paths = vec![MANIFEST.to_string()];
    paths.extend((0..shards::count(pages)).map(shard_path));
    paths.extend((0..pages.div_ceil(DOCS_PER_CHUNK)).map(chunk_path));
    paths
}

fn shard_path(n: usize) -> String {
    format!("{DIR}terms-{n}.json")
}

fn chunk_path(n: usize) -> String {
    format!("{DIR}docs-{n}.json")
}

/// The whole index, kept so that an edit to one body re-makes only the files it changes
/// (for `watch` and `serve`).
#[derive(Debug, Clone)]
pub(crate) struct Index {
    pages: Vec<Page>,
    /// The Markdown file of each page's body → its number.
    by_source: HashMap<PathBuf, usize>,
    /// Further words indexed per page.
    further: usize,
    postings: shards::Postings,
    /// Each shard's file, then each chunk's.
    files: Vec<Vec<u8>>,
    /// The hash of each of `files`, for the manifest's version.
    hashes: Vec<u64>,
}

/// One indexed page.
#[derive(Debug, Clone)]
struct Page {
    meta: Meta,
    /// A hash of its body's Markdown, to tell an unchanged body when reindexing.
    body: u64,
    terms: Terms,
    /// Its JSON in its chunk.
    display: Vec<u8>,
}

/// A page's fields that come from front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Meta {
    /// What the page is: `article`, `criterion`, `subject` or `page`.
    kind: &'static str,
    title: String,
    url: String,
    /// The summary, question, tagline or description.
    summary: String,
}

/// What a result shows.
#[derive(Serialize)]
struct Display<'a> {
    kind: &'static str,
    title: &'a str,
    url: &'a str,
    /// The summary, or else the first words of the text, cut for display.
    text: &'a str,
}

/// What the script reads first.
#[derive(Serialize)]
struct Manifest {
    /// The format of these files.
    format: u32,
    /// Changes whenever any file of the index changes: the script asks for
    /// `terms-3.json?v=…`, so that a browser never mixes files of two builds.
    version: String,
    pages: usize,
    /// Pages per chunk: page `p` is entry `p % chunk` of chunk `p / chunk`.
    chunk: usize,
    shards: usize,
    /// The shard of a term: FNV-1a (32 bits) over the code points of its first `prefix`
    /// characters, modulo `shards`.
    prefix: usize,
    /// Shortest indexed term, in characters.
    min: usize,
    /// Pages kept per term, at most.
    cap: usize,
    /// The shard and chunk files, relative to the manifest, `{n}` standing for the number.
    terms: String,
    docs: String,
}

impl Page {
    fn new(meta: Meta, markdown: &str, further: usize) -> Page {
        let text::PageText { terms, display } =
            text::page(&meta.title, &meta.summary, markdown, further);
        let display = serde_json::to_vec(&Display {
            kind: meta.kind,
            title: &meta.title,
            url: &meta.url,
            text: &display,
        })
        .unwrap_or_default();
        Page {
            meta,
            body: body_hash(markdown),
            terms,
            display,
        }
    }
}

/// See [`Page::body`].
fn body_hash(markdown: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    markdown.hash(&mut hasher);
    hasher.finish()
}

/// A page made again after an edit to its body ([`Index::edit`]).
pub(crate) struct Edit {
    page: usize,
    new: Page,
}

impl Index {
    /// Indexes every page of `site`.
    pub(crate) fn new(site: &Site) -> Index {
        Index::reusing(site, None)
    }

    /// Indexes every page of `site`, taking from `old` the pages whose body and front matter
    /// are unchanged.
    pub(crate) fn reusing(site: &Site, old: Option<Index>) -> Index {
        let sources = sources(site);
        let further = WORDS_PER_PAGE.min(WORDS_PER_SITE / sources.len().max(1));
        let old = old.filter(|old| old.further == further);
        let mut reused: Vec<Option<Page>> = match old {
            Some(old) => {
                let mut slots: Vec<Option<Page>> = old.pages.into_iter().map(Some).collect();
                sources
                    .iter()
                    .map(|(_, body)| {
                        let i = *old.by_source.get(&body.source)?;
                        slots.get_mut(i)?.take()
                    })
                    .collect()
            }
            None => Vec::new(),
        };
        reused.resize_with(sources.len(), || None);
        let by_source = sources
            .iter()
            .enumerate()
            .map(|(i, (_, body))| (body.source.clone(), i))
            .collect();
        let pages = sources
            .into_par_iter()
            .zip(reused)
            .map(|((meta, body), old)| {
                let unchanged = |p: &Page| p.meta == meta && p.body == body_hash(&body.markdown);
                match old.filter(unchanged) {
                    Some(page) => page,
                    None => Page::new(meta, &body.markdown, further),
                }
            })
            .collect();
        Index::from_pages(pages, by_source, further)
    }

    fn from_pages(pages: Vec<Page>, by_source: HashMap<PathBuf, usize>, further: usize) -> Index {
        let shard_count = shards::count(pages.len());
        let postings = shards::Postings::new(pages.iter().map(|p| &p.terms), shard_count);
        let mut files: Vec<Vec<u8>> = (0..shard_count)
            .into_par_iter()
            .map(|s| postings.json(s))
            .collect();
        files.par_extend(pages.par_chunks(DOCS_PER_CHUNK).map(chunk_json));
        let hashes = files.par_iter().map(|f| hash(f)).collect();
        Index {
            pages,
            by_source,
            further,
            postings,
            files,
            hashes,
        }
    }

    /// The page whose body is in `source`, made again with `markdown` as its body: `None` if
    /// that file's body is not indexed, or if the page's terms and display stay the same
    /// (most of a long body is not indexed).
    pub(crate) fn edit(&self, source: &Path, markdown: &str) -> Option<Edit> {
        let i = *self.by_source.get(source)?;
        let old = self.pages.get(i)?;
        let new = Page::new(old.meta.clone(), markdown, self.further);
        (new.terms != old.terms || new.display != old.display).then_some(Edit { page: i, new })
    }

    /// Article `i` of `site` (an article edited in place: the site's pages are those of this
    /// index, in the same order) made again: `Some(None)` when its front matter and body are unchanged,
    /// `None` when this index does not hold it there.
    pub(crate) fn article_edit(&self, site: &Site, i: usize) -> Option<Option<Edit>> {
        let a = site.articles.get(i)?;
        if self.by_source.get(&a.body.source) != Some(&i) || page_count(site) != self.pages.len() {
            return None;
        }
        let old = self.pages.get(i)?;
        let meta = article_meta(&site.config.base_path, a);
        if old.meta == meta && old.body == body_hash(&a.body.markdown) {
            return Some(None);
        }
        let new = Page::new(meta, &a.body.markdown, self.further);
        Some(Some(Edit { page: i, new }))
    }

    /// Applies edits made by [`Index::edit`]: returns the files that changed (the manifest
    /// first, when any did).
    pub(crate) fn apply(&mut self, edits: Vec<Edit>) -> Vec<OutputFile> {
        let mut dirty = BTreeSet::new();
        for Edit { page, new } in edits {
            let Some(slot) = self.pages.get_mut(page) else {
                continue;
            };
            let old = std::mem::replace(slot, new);
            dirty.extend(self.postings.replace(page, &old.terms, &slot.terms));
            if old.display != slot.display {
                dirty.insert(self.postings.len() + page / DOCS_PER_CHUNK);
            }
        }
        let mut files = Vec::new();
        for n in dirty {
            let bytes = self.file_json(n);
            if bytes != self.files[n] {
                self.hashes[n] = hash(&bytes);
                self.files[n].clone_from(&bytes);
                files.push(OutputFile {
                    path: self.file_path(n),
                    bytes,
                });
            }
        }
        if !files.is_empty() {
            files.insert(0, self.manifest());
        }
        files
    }

    /// Every file of the index: the manifest, the shards, the chunks.
    #[cfg(test)]
    pub(crate) fn files(&self) -> Vec<OutputFile> {
        let mut files = Vec::with_capacity(self.files.len() + 1);
        self.each_file(&mut |file| files.push(file));
        files
    }

    /// Hands each file of [`Index::files`] to `put`, copied as it goes rather than all first.
    pub(crate) fn each_file(&self, put: &mut dyn FnMut(OutputFile)) {
        put(self.manifest());
        for (n, bytes) in self.files.iter().enumerate() {
            put(OutputFile {
                path: self.file_path(n),
                bytes: bytes.clone(),
            });
        }
    }

    /// File `n` of [`Index::files`] after the manifest: a shard, then a chunk.
    fn file_path(&self, n: usize) -> String {
        match n.checked_sub(self.postings.len()) {
            None => shard_path(n),
            Some(chunk) => chunk_path(chunk),
        }
    }

    fn file_json(&self, n: usize) -> Vec<u8> {
        match n.checked_sub(self.postings.len()) {
            None => self.postings.json(n),
            Some(chunk) => {
                let start = chunk * DOCS_PER_CHUNK;
                let end = (start + DOCS_PER_CHUNK).min(self.pages.len());
                chunk_json(&self.pages[start..end])
            }
        }
    }

    fn manifest(&self) -> OutputFile {
        let mut version = FxHasher::default();
        for h in &self.hashes {
            version.write_u64(*h);
        }
        let manifest = Manifest {
            format: 1,
            version: format!("{:016x}", version.finish()),
            pages: self.pages.len(),
            chunk: DOCS_PER_CHUNK,
            shards: self.postings.len(),
            prefix: shards::PREFIX_CHARS,
            min: text::MIN_TERM_CHARS,
            cap: shards::POSTINGS_PER_TERM,
            terms: format!("{DIR}terms-{{n}}.json"),
            docs: format!("{DIR}docs-{{n}}.json"),
        };
        let mut bytes = serde_json::to_vec(&manifest).unwrap_or_default();
        bytes.push(b'\n');
        OutputFile {
            path: MANIFEST.into(),
            bytes,
        }
    }
}

fn chunk_json(pages: &[Page]) -> Vec<u8> {
    let size: usize = pages.iter().map(|p| p.display.len() + 1).sum();
    let mut bytes = Vec::with_capacity(size + 3);
    bytes.push(b'[');
    for (i, page) in pages.iter().enumerate() {
        if i > 0 {
            bytes.push(b',');
        }
        bytes.extend_from_slice(&page.display);
    }
    bytes.extend_from_slice(b"]\n");
    bytes
}

fn hash(bytes: &[u8]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(bytes);
    hasher.finish()
}

/// How many pages [`sources`] lists.
fn page_count(site: &Site) -> usize {
    site.articles.len()
        + site.criteria.len()
        + site.subjects.len()
        + site.sections.len()
        + site.pages.len()
}

/// Every indexed page, numbered in this order: articles, criteria, subjects, sections and
/// pages (the home page's text is the site's description, not indexed).
fn sources(site: &Site) -> Vec<(Meta, &Body)> {
    let base = &site.config.base_path;
    let meta = |kind, title: &str, url: String, summary: Option<&String>| Meta {
        kind,
        title: title.to_string(),
        url: format!("{base}{url}"),
        summary: summary.cloned().unwrap_or_default(),
    };
    let mut sources = Vec::with_capacity(page_count(site));
    sources.extend(
        site.articles
            .iter()
            .map(|a| (article_meta(base, a), &a.body)),
    );
    sources.extend(site.criteria.iter().map(|c| {
        let m = meta("criterion", &c.title, c.url_path(), c.question.as_ref());
        (m, &c.body)
    }));
    sources.extend(site.subjects.iter().map(|s| {
        let m = meta("subject", &s.name, s.url_path(), s.tagline.as_ref());
        (m, &s.body)
    }));
    sources.extend(site.sections.iter().chain(&site.pages).map(|p| {
        let m = meta("page", &p.title, p.url.clone(), p.description.as_ref());
        (m, &p.body)
    }));
    sources
}

/// An article's fields in the index.
fn article_meta(base: &str, a: &crate::model::Article) -> Meta {
    Meta {
        kind: "article",
        title: a.title.clone(),
        url: format!("{base}{}", a.url_path()),
        summary: a.summary.clone(),
    }
}

#[cfg(test)]
mod tests;

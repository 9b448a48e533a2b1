//! Internal link checking over the finished pages: every link that stays on the site must
//! reach a page or file that the build writes, and every `#fragment` an element id on it.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use rustc_hash::FxHashMap;

use crate::error::Diagnostic;
use crate::markdown::{InternalLink, unescape};

/// The element ids of one page (hashed fast: a site has hundreds of thousands).
pub(crate) type Ids = rustc_hash::FxHashSet<String>;

/// The URL paths of every file a build writes (hashed fast: every link is looked up).
pub(crate) type KnownPaths<'a> = rustc_hash::FxHashSet<&'a str>;

/// One output file as the link checker sees it.
#[cfg(test)]
pub(crate) struct Target<'a> {
    /// Path under the output folder (`articles/x/index.html`, `matrix.json`).
    pub path: &'a str,
    /// The HTML, for pages; `None` for other files.
    pub html: Option<&'a str>,
}

/// Markdown links of one page, with the file they were written in.
pub(crate) struct SourceLinks<'a> {
    /// The URL path of the page they appear on (`articles/x/`).
    pub page: &'a str,
    /// The links.
    pub links: &'a [InternalLink],
    /// The Markdown file.
    pub source: &'a std::path::Path,
}

/// URL path relative to the base (`articles/x/`) for an output path.
fn url_of(path: &str) -> &str {
    path.strip_suffix("index.html").unwrap_or(path)
}

/// What the link checker keeps of one output file: made while the file is rendered, so the
/// file itself need not stay in memory.
#[derive(Debug, Clone)]
pub(crate) struct Extracted {
    /// Path under the output folder.
    pub path: String,
    /// Element ids, for pages; `None` for other files.
    pub ids: Option<Ids>,
    /// Internal links of a page: the href as written, its target and fragment (each href
    /// once).
    pub links: Vec<(String, String, Option<String>)>,
}

/// Reads the ids and internal links of one output file. With `known`, the URL paths of
/// every file the build writes, links already seen to be fine (to a known page without a
/// fragment, or to an id on the same page) are left out: a full build then keeps only the
/// few links it must check once every page is done.
pub(crate) fn extract(
    base_path: &str,
    path: &str,
    html: Option<&str>,
    known: Option<&KnownPaths<'_>>,
) -> Extracted {
    let Some(html) = html else {
        return Extracted {
            path: path.to_string(),
            ids: None,
            links: Vec::new(),
        };
    };
    let page = url_of(path);
    // One pass over the page; its links are settled once all its ids are known.
    let mut ids = Ids::default();
    let mut hrefs: Vec<&str> = Vec::new();
    for (name, raw) in attributes(html) {
        if name == "id" {
            ids.insert(decode(raw).into_owned());
        } else {
            hrefs.push(raw);
        }
    }
    let base_path = unescape(base_path);
    let mut seen: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
    let mut links = Vec::new();
    for raw in hrefs {
        // Without `known` every link is kept, each once. With it, a link seen to be fine is
        // dropped at once, and only the few kept are told apart (a hash set per page of
        // every href cost more than resolving a repeated one again).
        if known.is_none() && !seen.insert(raw) {
            continue;
        }
        let href = decode(raw);
        let Some((target, anchor)) = internal_ref(&base_path, page, &href) else {
            continue;
        };
        if let Some(known) = known {
            let fine = match &anchor {
                None => exists(known, &target),
                Some(anchor) => target == page && ids.contains(anchor.as_ref()),
            };
            if fine || !seen.insert(raw) {
                continue;
            }
        }
        let (target, anchor) = (target.into_owned(), anchor.map(Cow::into_owned));
        links.push((href.into_owned(), target, anchor));
    }
    Extracted {
        path: path.to_string(),
        ids: Some(ids),
        links,
    }
}

/// Whether a link target (a URL path) is among `known`.
fn exists(known: &KnownPaths<'_>, target: &str) -> bool {
    let target = target.split('?').next().unwrap_or_default();
    known.contains(target)
        || (!target.ends_with('/') && known.contains(format!("{target}/").as_str()))
}

/// The URL path (`articles/x/`, `matrix.json`) an output path is served at.
pub(crate) fn url_path(path: &str) -> &str {
    url_of(path)
}

/// Checks every internal link; returns one diagnostic per broken link.
#[cfg(test)]
pub(crate) fn check(
    base_path: &str,
    targets: &[Target<'_>],
    sources: &[SourceLinks<'_>],
) -> Vec<Diagnostic> {
    let files: Vec<Extracted> = targets
        .iter()
        .map(|t| extract(base_path, t.path, t.html, None))
        .collect();
    check_extracted(&files, sources)
}

/// [`check`] over files already read with [`extract`].
pub(crate) fn check_extracted(files: &[Extracted], sources: &[SourceLinks<'_>]) -> Vec<Diagnostic> {
    let ids: FxHashMap<&str, Option<&Ids>> = files
        .iter()
        .map(|f| (url_of(&f.path), f.ids.as_ref()))
        .collect();
    let mut errors = Vec::new();
    // Broken links already blamed on the Markdown that wrote them, by page, target and
    // fragment as decoded (the HTML holds the same link percent-encoded).
    let mut reported: HashSet<(&str, String, Option<&str>)> = HashSet::new();
    for source in sources {
        for link in source.links {
            let target = target_of(source.page, link);
            if let Some(problem) = problem(&ids, &target, link.anchor.as_deref()) {
                reported.insert((source.page, target, link.anchor.as_deref()));
                errors.push(
                    Diagnostic::new(
                        source.source,
                        format!("broken link `{}`: {problem}", link.written),
                    )
                    .at_position(Some(link.position)),
                );
            }
        }
    }
    // A template's broken link breaks every page made from it: one error per link and
    // problem, naming the first page and counting the others.
    // Looked up in parallel (a large site keeps hundreds of thousands of links with a
    // fragment); reported in the files' order.
    use rayon::prelude::*;
    let broken: Vec<Vec<_>> = files
        .par_iter()
        .map(|f| {
            f.links
                .iter()
                .filter_map(|(href, target, anchor)| {
                    let problem = problem(&ids, target, anchor.as_deref())?;
                    Some((href, target, anchor, problem))
                })
                .collect()
        })
        .collect();
    let mut template_links = Vec::new();
    for (f, broken) in files.iter().zip(broken) {
        let page = url_of(&f.path);
        for (href, target, anchor, problem) in broken {
            if !reported.insert((page, target.clone(), anchor.as_deref())) {
                continue;
            }
            let message = format!(
                "broken link `{href}` in the generated page: {problem} (check the template that writes it)"
            );
            template_links.push((
                (href.as_str(), problem),
                Diagnostic::new(format!("output/{}", f.path), message),
            ));
        }
    }
    errors.extend(crate::error::once_per_key(template_links));
    errors
}

/// Where every internal link of the site points and which ids every page has, kept between
/// rebuilds so that re-rendering a few pages checks only their links and the links into them.
/// It answers only "all fine?": when a link breaks, the full check ([`check`]) reports it with
/// the file and position it was written at.
#[derive(Debug, Default)]
pub(crate) struct Index {
    base_path: String,
    /// URL path (`articles/x/`) → element ids (`None` for files that are not pages).
    ids: HashMap<String, Option<Ids>>,
    /// Page URL path → the targets of its links, Markdown and template alike.
    outgoing: HashMap<String, Vec<(String, Option<String>)>>,
}

/// One re-rendered page for [`Index::update`].
pub(crate) struct Page<'a> {
    /// Output path (`articles/x/index.html`).
    pub path: &'a str,
    /// The new HTML.
    pub html: &'a str,
    /// Its Markdown links.
    pub links: &'a [InternalLink],
}

impl Index {
    /// Indexes the links and ids of a whole site.
    pub(crate) fn new(
        base_path: &str,
        files: Vec<Extracted>,
        sources: &[SourceLinks<'_>],
    ) -> Index {
        let mut index = Index {
            base_path: base_path.to_string(),
            ..Index::default()
        };
        index.ids.reserve(files.len());
        // Taken apart rather than copied: at 100,000 pages the links are a gigabyte.
        for f in files {
            let url = url_of(&f.path).to_string();
            let is_page = f.ids.is_some();
            if is_page {
                let links = f.links.into_iter().map(|(_, t, a)| (t, a));
                index.outgoing.entry(url.clone()).or_default().extend(links);
            }
            index.ids.insert(url, f.ids);
        }
        for s in sources {
            let links = markdown_links(s.page, s.links);
            index
                .outgoing
                .entry(s.page.to_string())
                .or_default()
                .extend(links);
        }
        index
    }

    fn template_links(&self, page: &str, html: &str) -> Vec<(String, Option<String>)> {
        hrefs(html)
            .iter()
            .filter_map(|href| internal(&self.base_path, page, href))
            .collect()
    }

    /// Replaces `pages` (whose set of files is unchanged) and checks their links and every
    /// link into a page whose ids changed. Returns false, leaving the index as it was, when a
    /// link is broken.
    pub(crate) fn update(&mut self, pages: &[Page<'_>]) -> bool {
        let mut changed = Vec::with_capacity(pages.len());
        for page in pages {
            let url = url_of(page.path).to_string();
            if !self.ids.contains_key(&url) {
                return false;
            }
            let mut links = self.template_links(&url, page.html);
            links.extend(markdown_links(&url, page.links));
            let ids = element_ids(page.html)
                .into_iter()
                .map(Cow::into_owned)
                .collect();
            changed.push((url, Some(ids), links));
        }
        self.apply(changed, &[])
    }

    /// Replaces or adds the files in `changed` (URL path, ids, outgoing links) and removes
    /// the `removed` URL paths, then checks the changed files' links and every link into a
    /// changed or removed file. Returns false, leaving the index as it was, when a link is
    /// broken.
    pub(crate) fn apply(&mut self, changed: Vec<Changed>, removed: &[String]) -> bool {
        let removed: HashSet<&str> = removed.iter().map(String::as_str).collect();
        let new_ids: HashMap<&str, &Option<Ids>> = changed
            .iter()
            .map(|(url, ids, _)| (url.as_str(), ids))
            .collect();
        // Pages whose ids are new or differ, and removed ones: links into them need a look.
        let touched: HashSet<&str> = changed
            .iter()
            .filter(|(url, ids, _)| self.ids.get(url) != Some(ids))
            .map(|(url, _, _)| url.as_str())
            .chain(removed.iter().copied())
            .collect();
        let lookup = |target: &str| -> Option<&Option<Ids>> {
            if let Some(ids) = new_ids.get(target) {
                return Some(*ids);
            }
            if removed.contains(target) {
                return None;
            }
            self.ids.get(target)
        };
        let fine = |(target, anchor): &(String, Option<String>)| {
            let target = target.split('?').next().unwrap_or_default();
            let found = lookup(target).or_else(|| lookup(&format!("{target}/")));
            match (found, anchor) {
                (None, _) => false,
                (Some(Some(page_ids)), Some(anchor)) => page_ids.contains(anchor),
                _ => true,
            }
        };
        if !changed.iter().all(|(_, _, links)| links.iter().all(fine)) {
            return false;
        }
        if !touched.is_empty() {
            let into_touched = |(target, _): &&(String, Option<String>)| {
                let target = target.split('?').next().unwrap_or_default();
                touched.contains(target)
                    || (!target.ends_with('/') && touched.contains(format!("{target}/").as_str()))
            };
            let fine_elsewhere = self
                .outgoing
                .iter()
                .filter(|(page, _)| {
                    !new_ids.contains_key(page.as_str()) && !removed.contains(page.as_str())
                })
                .flat_map(|(_, links)| links)
                .filter(into_touched)
                .all(fine);
            if !fine_elsewhere {
                return false;
            }
        }
        for url in &removed {
            self.ids.remove(*url);
            self.outgoing.remove(*url);
        }
        for (url, ids, links) in changed {
            self.ids.insert(url.clone(), ids);
            self.outgoing.insert(url, links);
        }
        true
    }
}

/// One file for [`Index::apply`]: URL path, element ids (`None` for files that are not
/// pages), internal links.
pub(crate) type Changed = (String, Option<Ids>, Vec<(String, Option<String>)>);

fn markdown_links(page: &str, links: &[InternalLink]) -> Vec<(String, Option<String>)> {
    links
        .iter()
        .map(|l| (target_of(page, l), l.anchor.clone()))
        .collect()
}

/// The URL path a Markdown link on `page` points to.
fn target_of(page: &str, link: &InternalLink) -> String {
    match &link.target {
        Some(target) if link.relative => join(page, target),
        Some(target) => target.clone(),
        None => page.to_string(),
    }
}

fn problem(
    ids: &FxHashMap<&str, Option<&Ids>>,
    target: &str,
    anchor: Option<&str>,
) -> Option<String> {
    let target = target.split('?').next().unwrap_or_default();
    let found = ids
        .get(target)
        .or_else(|| ids.get(format!("{target}/").as_str()));
    match (found, anchor) {
        (None, _) => Some(format!("no page or file is built at /{target}")),
        (Some(Some(page_ids)), Some(anchor)) if !page_ids.contains(anchor) => {
            Some(format!("/{target} has no element with id `{anchor}`"))
        }
        _ => None,
    }
}

/// The target (relative to the base path) and fragment of an href that stays on the site.
fn internal(base_path: &str, page: &str, href: &str) -> Option<(String, Option<String>)> {
    internal_ref(&unescape(base_path), page, href)
        .map(|(t, a)| (t.into_owned(), a.map(Cow::into_owned)))
}

/// [`internal`] without copying what it need not, for a `base_path` already decoded. The
/// target and fragment are compared as the server and the browser see them: `%XX` escapes
/// decoded (the href of `café.md` is `caf%C3%A9/`, the file `café/`).
fn internal_ref<'h>(
    base_path: &str,
    page: &'h str,
    href: &'h str,
) -> Option<(Cow<'h, str>, Option<Cow<'h, str>>)> {
    let (path, anchor) = match href.split_once('#') {
        Some((p, a)) => (p, Some(a).filter(|a| !a.is_empty()).map(unescape)),
        None => (href, None),
    };
    if path.is_empty() {
        return Some((Cow::Borrowed(page), anchor));
    }
    if path.starts_with("//") || path.contains(':') {
        return None;
    }
    let path = unescape(path);
    let path = match strip_prefix(path, base_path) {
        Ok(inside) => return Some((inside, anchor)),
        Err(path) => path,
    };
    if path.starts_with('/') {
        // Root-relative but outside the base path: it breaks under a project subpath.
        return Some((Cow::Owned(format!("../{path}")), anchor));
    }
    Some((Cow::Owned(join(page, &path)), anchor))
}

/// `path` without `prefix`, or `path` back when it does not start with it.
fn strip_prefix<'h>(path: Cow<'h, str>, prefix: &str) -> Result<Cow<'h, str>, Cow<'h, str>> {
    match path {
        Cow::Borrowed(p) => p.strip_prefix(prefix).map(Cow::Borrowed).ok_or(path),
        Cow::Owned(p) => match p.strip_prefix(prefix) {
            Some(inside) => Ok(Cow::Owned(inside.to_string())),
            None => Err(Cow::Owned(p)),
        },
    }
}

/// An attribute value as a browser reads it: character references (`&amp;`, `&#x27;`,
/// `&eacute;`) decoded.
fn decode(value: &str) -> Cow<'_, str> {
    // Most values have no reference at all: one `memchr` instead of the decoder's walk.
    if memchr::memchr(b'&', value.as_bytes()).is_none() {
        return Cow::Borrowed(value);
    }
    html_escape::decode_html_entities(value)
}

/// Resolves a relative link against the page's URL path.
fn join(page: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').filter(|s| !s.is_empty()).collect();
    let trailing = relative.ends_with('/') || relative.is_empty();
    for segment in relative.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut joined = parts.join("/");
    if trailing && !joined.is_empty() {
        joined.push('/');
    }
    joined
}

/// Values of `id="…"` attributes, entity-decoded.
pub(crate) fn element_ids(html: &str) -> HashSet<Cow<'_, str>> {
    attributes(html)
        .filter(|(name, _)| *name == "id")
        .map(|(_, value)| decode(value))
        .collect()
}

/// Values of `href="…"` and `src="…"` attributes, entity-decoded.
pub(crate) fn hrefs(html: &str) -> Vec<String> {
    attributes(html)
        .filter(|(name, _)| *name != "id")
        .map(|(_, v)| decode(v).into_owned())
        .collect()
}

/// The `id`, `href` and `src` attributes of the page's tags (see [`super::tags`]).
fn attributes(html: &str) -> impl Iterator<Item = (&'static str, &str)> + '_ {
    super::tags::attributes(html)
}

#[cfg(test)]
mod tests;

//! Internal link checking over the finished pages: every link that stays on the site must
//! reach a page or file that the build writes, and every `#fragment` an element id on it.

use std::collections::{HashMap, HashSet};

use crate::error::Diagnostic;
use crate::markdown::InternalLink;

/// One output file as the link checker sees it.
pub struct Target<'a> {
    /// Path under the output folder (`articles/x/index.html`, `matrix.json`).
    pub path: &'a str,
    /// The HTML, for pages; `None` for other files.
    pub html: Option<&'a str>,
}

/// Markdown links of one page, with the file they were written in.
pub struct SourceLinks<'a> {
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

/// Checks every internal link; returns one diagnostic per broken link.
pub fn check(
    base_path: &str,
    targets: &[Target<'_>],
    sources: &[SourceLinks<'_>],
) -> Vec<Diagnostic> {
    let ids: HashMap<&str, Option<HashSet<&str>>> = targets
        .iter()
        .map(|t| (url_of(t.path), t.html.map(element_ids)))
        .collect();
    let mut errors = Vec::new();
    let mut reported: HashSet<(&str, String)> = HashSet::new();
    for source in sources {
        for link in source.links {
            let target = target_of(source.page, link);
            if let Some(problem) = problem(&ids, &target, link.anchor.as_deref()) {
                reported.insert((source.page, link.href.clone()));
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
    for t in targets {
        let Some(html) = t.html else { continue };
        let page = url_of(t.path);
        for href in hrefs(html) {
            let Some((target, anchor)) = internal(base_path, page, &href) else {
                continue;
            };
            if reported.contains(&(page, href.clone())) {
                continue;
            }
            if let Some(problem) = problem(&ids, &target, anchor.as_deref()) {
                errors.push(Diagnostic::new(
                    format!("output/{}", t.path),
                    format!("broken link `{href}` in the generated page: {problem} (check the template that writes it)"),
                ));
                reported.insert((page, href));
            }
        }
    }
    errors
}

/// Where every internal link of the site points and which ids every page has, kept between
/// rebuilds so that re-rendering a few pages checks only their links and the links into them.
/// It answers only "all fine?": when a link breaks, the full check ([`check`]) reports it with
/// the file and position it was written at.
#[derive(Debug, Default)]
pub struct Index {
    base_path: String,
    /// URL path (`articles/x/`) → element ids (`None` for files that are not pages).
    ids: HashMap<String, Option<HashSet<String>>>,
    /// Page URL path → the targets of its links, Markdown and template alike.
    outgoing: HashMap<String, Vec<(String, Option<String>)>>,
}

/// One re-rendered page for [`Index::update`].
pub struct Page<'a> {
    /// Output path (`articles/x/index.html`).
    pub path: &'a str,
    /// The new HTML.
    pub html: &'a str,
    /// Its Markdown links.
    pub links: &'a [InternalLink],
}

impl Index {
    /// Indexes the links and ids of a whole site.
    pub fn new(base_path: &str, targets: &[Target<'_>], sources: &[SourceLinks<'_>]) -> Index {
        let mut index = Index {
            base_path: base_path.to_string(),
            ..Index::default()
        };
        for t in targets {
            let url = url_of(t.path).to_string();
            index.ids.insert(
                url.clone(),
                t.html
                    .map(|h| element_ids(h).into_iter().map(str::to_string).collect()),
            );
            if let Some(html) = t.html {
                let links = index.template_links(&url, html);
                index.outgoing.entry(url).or_default().extend(links);
            }
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
    pub fn update(&mut self, pages: &[Page<'_>]) -> bool {
        let mut ids: HashMap<String, Option<HashSet<String>>> = HashMap::new();
        let mut outgoing = Vec::new();
        for page in pages {
            let url = url_of(page.path).to_string();
            if !self.ids.contains_key(&url) {
                return false;
            }
            let mut links = self.template_links(&url, page.html);
            links.extend(markdown_links(&url, page.links));
            outgoing.push((url.clone(), links));
            let new: HashSet<String> = element_ids(page.html)
                .into_iter()
                .map(str::to_string)
                .collect();
            if self.ids.get(&url) != Some(&Some(new.clone())) {
                ids.insert(url, Some(new));
            }
        }
        let lookup = |target: &str| -> Option<&Option<HashSet<String>>> {
            ids.get(target).or_else(|| self.ids.get(target))
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
        if !outgoing.iter().all(|(_, links)| links.iter().all(fine)) {
            return false;
        }
        if !ids.is_empty() {
            let into_changed = |(target, anchor): &(String, Option<String>)| {
                anchor.is_some()
                    && (ids.contains_key(target.split('?').next().unwrap_or_default())
                        || ids.contains_key(&format!("{target}/")))
            };
            let fine_elsewhere = self
                .outgoing
                .iter()
                .filter(|(page, _)| !outgoing.iter().any(|(url, _)| url == *page))
                .flat_map(|(_, links)| links)
                .filter(|l| into_changed(l))
                .all(fine);
            if !fine_elsewhere {
                return false;
            }
        }
        self.ids.extend(ids);
        self.outgoing.extend(outgoing);
        true
    }
}

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
    ids: &HashMap<&str, Option<HashSet<&str>>>,
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
    let (path, anchor) = match href.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string()).filter(|a| !a.is_empty())),
        None => (href, None),
    };
    if path.is_empty() {
        return Some((page.to_string(), anchor));
    }
    if path.starts_with("//") || path.contains(':') {
        return None;
    }
    if let Some(inside) = path.strip_prefix(base_path) {
        return Some((inside.to_string(), anchor));
    }
    if path.starts_with('/') {
        // Root-relative but outside the base path: it breaks under a project subpath.
        return Some((format!("../{path}"), anchor));
    }
    Some((join(page, path), anchor))
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

/// Values of `id="…"` attributes.
pub fn element_ids(html: &str) -> HashSet<&str> {
    attribute_values(html, " id=\"").collect()
}

/// Values of `href="…"` and `src="…"` attributes, entity-decoded.
pub fn hrefs(html: &str) -> Vec<String> {
    attribute_values(html, " href=\"")
        .chain(attribute_values(html, " src=\""))
        .map(|v| v.replace("&amp;", "&"))
        .collect()
}

fn attribute_values<'a>(html: &'a str, marker: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    html.match_indices(marker).filter_map(move |(i, _)| {
        let start = i + marker.len();
        html[start..].find('"').map(|end| &html[start..start + end])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Position;

    fn page<'a>(path: &'a str, html: &'a str) -> Target<'a> {
        Target {
            path,
            html: Some(html),
        }
    }

    #[test]
    fn resolves_relative_links() {
        assert_eq!(join("articles/x/", "../y/"), "articles/y/");
        assert_eq!(join("articles/x/", "img.png"), "articles/x/img.png");
        assert_eq!(join("", "about/"), "about/");
        assert_eq!(
            internal("/r/", "a/", "/r/b/#c"),
            Some(("b/".into(), Some("c".into())))
        );
        assert_eq!(internal("/r/", "a/", "https://x.y/"), None);
        assert_eq!(internal("/r/", "a/", "mailto:x@y"), None);
    }

    #[test]
    fn finds_broken_template_links_and_anchors() {
        let targets = [
            page(
                "index.html",
                r##"<a href="/r/about/">a</a><a href="/r/about/#team">t</a><a href="/r/gone/">g</a><a href="#top">x</a>"##,
            ),
            page(
                "about/index.html",
                r#"<h2 id="people">P</h2><link href="/r/style.css">"#,
            ),
            Target {
                path: "style.css",
                html: None,
            },
        ];
        let errors = check("/r/", &targets, &[]);
        let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(errors.len(), 3, "{text:?}");
        assert!(
            text[0].contains("`/r/about/#team`") && text[0].contains("no element with id `team`")
        );
        assert!(text[1].contains("`/r/gone/`") && text[1].contains("output/index.html"));
        assert!(text[2].contains("`#top`"));
    }

    #[test]
    fn markdown_links_are_reported_once_with_their_position() {
        let link = InternalLink {
            target: Some("criteria/x/".into()),
            relative: false,
            anchor: Some("nope".into()),
            href: "/r/criteria/x/#nope".into(),
            written: "@/criteria/x.md#nope".into(),
            position: Position { line: 9, column: 3 },
        };
        let targets = [
            page("index.html", r##"<a href="/r/criteria/x/#nope">x</a>"##),
            page("criteria/x/index.html", r#"<p id="yes"></p>"#),
        ];
        let sources = [SourceLinks {
            page: "",
            links: std::slice::from_ref(&link),
            source: std::path::Path::new("content/_index.md"),
        }];
        let errors = check("/r/", &targets, &sources);
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].to_string(),
            "content/_index.md:9:3: broken link `@/criteria/x.md#nope`: /criteria/x/ has no element with id `nope`"
        );
    }
}

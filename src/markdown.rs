//! Markdown to HTML: pulldown-cmark with tables, footnotes, strikethrough and task lists,
//! stable heading ids with permalink anchors, a table of contents, and `@/path.md` links
//! resolved to URLs. A pure function of the text and a [`LinkContext`].

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

mod events;
mod highlight;
mod notes;

pub use highlight::Highlighter;

use crate::error::{Diagnostic, Locator, Position};
use crate::model::Body;

/// What link resolution needs to know about the site.
#[derive(Debug, Clone, Default)]
pub struct LinkContext {
    /// The site's base path, e.g. `/repo/`.
    pub base_path: String,
    /// Content path (`articles/x.md`) to URL path relative to the base (`articles/x/`).
    pub pages: HashMap<String, String>,
    /// Highlights fenced code; its syntax set is loaded once, on the first fenced block.
    pub highlighter: std::sync::Arc<Highlighter>,
    /// Ids the templates' own markup takes (`synthesis`): body headings avoid them.
    pub reserved_ids: std::sync::Arc<std::collections::BTreeSet<String>>,
}

/// One heading, for tables of contents.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The `id` attribute.
    pub id: String,
    /// The heading's text.
    pub title: String,
}

/// An internal link found in the Markdown, checked once every page is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalLink {
    /// The URL path of the target relative to the base path (`criteria/x/`), or `None` for
    /// a link to an anchor on the same page.
    pub target: Option<String>,
    /// Whether `target` is relative to the page the link is on (`[x](other/)`), which only
    /// the link check knows.
    pub relative: bool,
    /// The `#fragment`, if any.
    pub anchor: Option<String>,
    /// The `href` it became in the HTML.
    pub href: String,
    /// The link as written.
    pub written: String,
    /// Where it is written.
    pub position: Position,
}

/// The result of rendering one Markdown body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// Headings in document order.
    pub toc: Vec<Heading>,
    /// Internal links to check.
    pub links: Vec<InternalLink>,
    /// The shortcodes it calls, by name, sorted (see [`crate::shortcodes`]).
    pub shortcodes: Vec<String>,
}

/// The Markdown extensions every body is parsed with.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Renders `body`. `@/` links to missing files are errors; other internal links are returned
/// for checking against the finished site.
pub fn render(body: &Body, links: &LinkContext) -> Result<Rendered, Vec<Diagnostic>> {
    let (rendered, errors) = render_all(body, links);
    if errors.is_empty() {
        Ok(rendered)
    } else {
        Err(errors)
    }
}

/// [`render`], and the body rendered even when it has errors (a broken `@/` link becomes an
/// empty href), so that a failing build still renders the pages and checks the other links
/// of one run.
pub fn render_all(body: &Body, links: &LinkContext) -> (Rendered, Vec<Diagnostic>) {
    let text = body.markdown.as_str();
    let mut events = events::Events::new(body, links);
    let mut html = String::with_capacity(text.len() * 2);
    html::push_html(&mut html, events.by_ref());
    let (mut out, errors) = events.finish();
    out.html = trimmed(html);
    (out, errors)
}

/// `text` in a block of its own size when it grew well past it: kept for the whole render,
/// a large site's bodies would otherwise hold a third more memory than they fill (400 MB at
/// 100,000 articles). A copy, because mimalloc shrinks a block in place only to half its size.
fn trimmed(text: String) -> String {
    if text.capacity() - text.len() > text.len() / 8 {
        String::from(text.as_str())
    } else {
        text
    }
}

/// The text of a fenced block, up to its end.
fn code_text<'a>(parser: &mut impl Iterator<Item = (Event<'a>, std::ops::Range<usize>)>) -> String {
    let mut code = String::new();
    for (inner, _) in parser.by_ref() {
        match inner {
            Event::Text(t) => code.push_str(&t),
            Event::End(TagEnd::CodeBlock) => break,
            _ => {}
        }
    }
    code
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Resolves the destination of a link or image start event; other events pass through.
fn link_event<'a>(
    event: Event<'a>,
    range: &std::ops::Range<usize>,
    body: &Body,
    locator: &mut Locator<'_>,
    links: &LinkContext,
    out: &mut Rendered,
    errors: &mut Vec<Diagnostic>,
) -> Event<'a> {
    let (image, link_type, dest_url, title, id) = match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => (false, link_type, dest_url, title, id),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => (true, link_type, dest_url, title, id),
        other => return other,
    };
    // Located only when kept: most links leave the site and need no position.
    let dest = match resolve(&dest_url, links) {
        Ok(Some((href, link))) => {
            out.links.push(InternalLink {
                position: locator.locate(range.start),
                written: dest_url.to_string(),
                href: href.clone(),
                ..link
            });
            CowStr::from(href)
        }
        Ok(None) => dest_url,
        Err(message) => {
            let position = locator.locate(range.start);
            errors.push(Diagnostic::new(&body.source, message).at_position(Some(position)));
            // The build fails; an empty href keeps the link checker from blaming the page.
            CowStr::from("")
        }
    };
    let tag = if image {
        Tag::Image {
            link_type,
            dest_url: dest,
            title,
            id,
        }
    } else {
        Tag::Link {
            link_type,
            dest_url: dest,
            title,
            id,
        }
    };
    Event::Start(tag)
}

type Resolved = Option<(String, InternalLink)>;

/// `Ok(Some)` for an internal link (with its new href), `Ok(None)` for an external one.
/// Targets and fragments are kept `%XX`-decoded, as files and ids are named. A link from the
/// site's root (`/articles/`) is rebased onto the base path, so the same Markdown works at a
/// root domain and under a project subpath.
fn resolve(dest: &str, links: &LinkContext) -> Result<Resolved, String> {
    let link = |target: Option<&str>, anchor: Option<&str>| InternalLink {
        target: target.map(|t| unescape(t.split('?').next().unwrap_or_default()).into_owned()),
        relative: false,
        anchor: anchor
            .filter(|a| !a.is_empty())
            .map(|a| unescape(a).into_owned()),
        href: String::new(),
        written: String::new(),
        position: Position { line: 0, column: 0 },
    };
    if let Some(rest) = dest.strip_prefix("@/") {
        let (path, anchor) = split_anchor(rest);
        let Some(url) = links.pages.get(unescape(path).as_ref()) else {
            return Err(format!(
                "broken link `{dest}`: there is no file content/{path}"
            ));
        };
        let href = match anchor {
            Some(a) => format!("{}{url}#{a}", links.base_path),
            None => format!("{}{url}", links.base_path),
        };
        return Ok(Some((href, link(Some(url), anchor))));
    }
    if let Some(anchor) = dest.strip_prefix('#') {
        return Ok(Some((dest.to_string(), link(None, Some(anchor)))));
    }
    let (path, anchor) = split_anchor(dest);
    if path.starts_with("//") || path.contains(':') {
        return Ok(None);
    }
    if let Some(inside) = path.strip_prefix(links.base_path.as_str()) {
        return Ok(Some((dest.to_string(), link(Some(inside), anchor))));
    }
    if let Some(inside) = dest.strip_prefix('/') {
        let href = format!("{}{inside}", links.base_path);
        let (inside, _) = split_anchor(inside);
        return Ok(Some((href, link(Some(inside), anchor))));
    }
    // `other/` or `../x/`: on the site, relative to a page URL that only the link check knows.
    if !path.is_empty() {
        let relative = InternalLink {
            relative: true,
            ..link(Some(path), anchor)
        };
        return Ok(Some((dest.to_string(), relative)));
    }
    Ok(None)
}

/// A URL path or fragment as files and ids are named: `%XX` escapes decoded (invalid
/// UTF-8 replaced, which then names no file).
pub(crate) fn unescape(part: &str) -> std::borrow::Cow<'_, str> {
    // Most links have no escape: one memchr instead of decoding byte by byte.
    if memchr::memchr(b'%', part.as_bytes()).is_none() {
        return std::borrow::Cow::Borrowed(part);
    }
    percent_encoding::percent_decode_str(part).decode_utf8_lossy()
}

fn split_anchor(s: &str) -> (&str, Option<&str>) {
    match s.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (s, None),
    }
}

fn plain_text(events: &[(Event<'_>, std::ops::Range<usize>)]) -> String {
    let mut text = String::new();
    for (event, _) in events {
        if let Event::Text(t) | Event::Code(t) = event {
            text.push_str(t);
        }
    }
    text
}

/// The text of a Markdown body without markup, blocks separated by a space: for the search
/// index, which needs words, not HTML.
pub fn to_plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_),
            ) if !text.ends_with(' ') && !text.is_empty() => {
                text.push(' ');
            }
            _ => {}
        }
    }
    text.trim_end().to_string()
}

/// A URL fragment from heading text: lowercase letters and digits (any script) joined by `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_')
            && !slug.is_empty()
            && !slug.ends_with('-')
        {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "section".into()
    } else {
        slug.to_string()
    }
}

/// The ids a body's headings have taken, and for each base id the next suffix to try: a
/// run of identical headings numbers itself in linear time, not by counting up from 1 each
/// time.
#[derive(Default)]
struct UsedIds {
    taken: HashSet<String>,
    next_suffix: HashMap<String, usize>,
}

/// `base`, or `base-1`, `base-2`, … : the first one that no earlier heading took and no
/// template reserves.
fn unique_id(
    base: String,
    used: &mut UsedIds,
    reserved: &std::collections::BTreeSet<String>,
) -> String {
    if !reserved.contains(&base) && used.taken.insert(base.clone()) {
        return base;
    }
    let n = used.next_suffix.entry(base.clone()).or_insert(1);
    loop {
        let id = format!("{base}-{n}");
        *n += 1;
        if !reserved.contains(&id) && used.taken.insert(id.clone()) {
            return id;
        }
    }
}

/// Escapes text for an HTML attribute or element.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;

//! Markdown to HTML: pulldown-cmark with tables, footnotes, strikethrough and task lists,
//! stable heading ids with permalink anchors, a table of contents, and `@/path.md` links
//! resolved to URLs. A pure function of the text and a [`LinkContext`].

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html,
};
use serde::Serialize;

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
    // Events stream from the parser to the HTML writer; only a heading's own events wait,
    // until its text (and so its id) is known. A body of tens of megabytes is never held
    // as events all at once.
    let mut parser = Parser::new_ext(text, options()).into_offset_iter();
    let mut out = Rendered::default();
    let mut errors = Vec::new();
    let mut used_ids = UsedIds::default();
    let mut footnotes = notes::Footnotes::default();
    let mut locator = Locator::new(text, body.first_line);
    let mut pending: std::collections::VecDeque<Event<'_>> = std::collections::VecDeque::new();
    let mut html = String::with_capacity(text.len() + text.len() / 2);
    let events = std::iter::from_fn(|| {
        loop {
            if let Some(event) = pending.pop_front() {
                return Some(event);
            }
            let Some((event, range)) = parser.next() else {
                return footnotes.section().map(|s| Event::Html(s.into()));
            };
            match event {
                // Every block is focusable, so that a reader can scroll a wide one by keyboard.
                Event::Start(Tag::CodeBlock(kind)) => {
                    let info = match kind {
                        CodeBlockKind::Fenced(info) => info,
                        CodeBlockKind::Indented => CowStr::Borrowed(""),
                    };
                    let code = code_text(&mut parser);
                    return Some(Event::Html(
                        links.highlighter.code_block(&info, &code).into(),
                    ));
                }
                Event::Start(Tag::BlockQuote(Some(kind))) => {
                    return Some(Event::Html(notes::alert_open(kind).into()));
                }
                Event::End(TagEnd::BlockQuote(Some(_))) => {
                    return Some(Event::Html(notes::ALERT_CLOSE.into()));
                }
                Event::FootnoteReference(label) => {
                    return Some(Event::Html(footnotes.reference(&label).into()));
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    let mut note = String::new();
                    let inner = parser
                        .by_ref()
                        .take_while(|(e, _)| !matches!(e, Event::End(TagEnd::FootnoteDefinition)))
                        .collect::<Vec<_>>()
                        .into_iter()
                        .map(|(e, r)| match e {
                            Event::FootnoteReference(l) => {
                                Event::Html(footnotes.reference(&l).into())
                            }
                            e => {
                                link_event(e, &r, body, &mut locator, links, &mut out, &mut errors)
                            }
                        });
                    html::push_html(&mut note, inner);
                    footnotes.define(&label, note);
                    continue;
                }
                _ => {}
            }
            let Event::Start(Tag::Heading { level, id, .. }) = event else {
                return Some(link_event(
                    event,
                    &range,
                    body,
                    &mut locator,
                    links,
                    &mut out,
                    &mut errors,
                ));
            };
            let inner: Vec<(Event<'_>, std::ops::Range<usize>)> = parser
                .by_ref()
                .take_while(|(e, _)| !matches!(e, Event::End(TagEnd::Heading(_))))
                .collect();
            let title = plain_text(&inner);
            let id = unique_id(
                id.as_deref()
                    .map_or_else(|| slugify(&title), str::to_string),
                &mut used_ids,
                &links.reserved_ids,
            );
            let level = heading_level(level);
            pending.push_back(Event::Html(
                format!("<h{level} id=\"{}\">", escape(&id)).into(),
            ));
            for (inner, inner_range) in inner {
                pending.push_back(match inner {
                    Event::FootnoteReference(label) => {
                        Event::Html(footnotes.reference(&label).into())
                    }
                    inner => link_event(
                        inner,
                        &inner_range,
                        body,
                        &mut locator,
                        links,
                        &mut out,
                        &mut errors,
                    ),
                });
            }
            pending.push_back(Event::Html(
                format!("<a class=\"anchor\" href=\"#{0}\" aria-label=\"Link to this section\">#</a></h{level}>\n", escape(&id)).into(),
            ));
            out.toc.push(Heading { level, id, title });
        }
    });
    html::push_html(&mut html, events);
    out.html = html;
    (out, errors)
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
    let position = locator.locate(range.start);
    let dest = match resolve(&dest_url, links) {
        Ok(Some((href, link))) => {
            out.links.push(InternalLink {
                position,
                written: dest_url.to_string(),
                href: href.clone(),
                ..link
            });
            CowStr::from(href)
        }
        Ok(None) => dest_url,
        Err(message) => {
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
mod tests {
    use super::*;

    fn body(text: &str) -> Body {
        Body {
            markdown: text.into(),
            source: "content/a.md".into(),
            first_line: 5,
        }
    }

    fn context() -> LinkContext {
        LinkContext {
            base_path: "/repo/".into(),
            pages: [(
                "criteria/speed.md".to_string(),
                "criteria/speed/".to_string(),
            )]
            .into(),
            ..Default::default()
        }
    }

    #[test]
    fn alerts_become_labelled_callouts() {
        for (marker, class, title) in [
            ("NOTE", "note", "Note"),
            ("TIP", "tip", "Tip"),
            ("IMPORTANT", "important", "Important"),
            ("WARNING", "warning", "Warning"),
            ("CAUTION", "caution", "Caution"),
        ] {
            let text = format!("> [!{marker}]\n> Mind *this*.\n\n> plain quote\n");
            let r = render(&body(&text), &context()).unwrap();
            assert!(
                r.html.contains(&format!("<div class=\"alert alert-{class}\" role=\"note\">\n<p class=\"alert-title\">{title}</p>\n<p>Mind <em>this</em>.</p>\n</div>")),
                "{}",
                r.html
            );
            assert!(
                r.html
                    .contains("<blockquote>\n<p>plain quote</p>\n</blockquote>"),
                "{}",
                r.html
            );
        }
    }

    #[test]
    fn footnotes_link_both_ways() {
        let r = render(
            &body("One[^a] two[^b] again[^a].\n\n[^b]: Bee, see [speed](@/criteria/speed.md).\n[^a]: Ay.\n\n## After\n"),
            &context(),
        )
        .unwrap();
        let h = &r.html;
        assert!(
            h.contains(
                "One<sup class=\"footnote-ref\"><a href=\"#fn:1\" id=\"fnref:1\">1</a></sup>"
            ),
            "{h}"
        );
        assert!(
            h.contains(
                "two<sup class=\"footnote-ref\"><a href=\"#fn:2\" id=\"fnref:2\">2</a></sup>"
            ),
            "{h}"
        );
        assert!(
            h.contains(
                "again<sup class=\"footnote-ref\"><a href=\"#fn:1\" id=\"fnref:1:2\">1</a></sup>"
            ),
            "{h}"
        );
        assert!(
            h.contains("<li id=\"fn:1\">\n<p>Ay. <a class=\"footnote-back\" href=\"#fnref:1\""),
            "{h}"
        );
        assert!(
            h.contains("href=\"#fnref:1:2\" aria-label=\"Back to reference 1.2\""),
            "{h}"
        );
        assert!(h.contains("<li id=\"fn:2\">\n<p>Bee, see <a href=\"/repo/criteria/speed/\">speed</a>. <a class=\"footnote-back\" href=\"#fnref:2\""), "{h}");
        let after = h.find("id=\"after\"").unwrap();
        let titled = render(&body("## Title[^n]\n\n[^n]: Note.\n"), &context()).unwrap();
        assert_eq!(titled.toc[0].title, "Title");
        assert!(
            titled.html.contains(
                "Title<sup class=\"footnote-ref\"><a href=\"#fn:1\" id=\"fnref:1\">1</a></sup>"
            ),
            "a reference in a heading: {}",
            titled.html
        );
        assert!(
            h.find("<section class=\"footnotes\"").unwrap() > after,
            "notes go last: {h}"
        );
        assert_eq!(r.links.len(), 1, "the note's link is checked");
    }

    #[test]
    fn headings_avoid_the_templates_ids() {
        let links = LinkContext {
            reserved_ids: std::sync::Arc::new(["synthesis".to_string(), "main".to_string()].into()),
            ..context()
        };
        let r = render(
            &body("## Synthesis\n\n## Synthesis\n\n## Main {#main}\n"),
            &links,
        )
        .unwrap();
        let ids: Vec<_> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["synthesis-1", "synthesis-2", "main-1"]);
    }

    #[test]
    fn fenced_code_is_highlighted_and_indented_code_is_plain() {
        let r = render(
            &body("```rust\nfn main() {}\n```\n\n    <plain>\n\n```\nnone\n```\n"),
            &context(),
        )
        .unwrap();
        assert!(
            r.html.contains(
                "<pre class=\"hl\" tabindex=\"0\"><code class=\"language-rust\"><span class=\"hl-source hl-rust\">"
            ),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<pre tabindex=\"0\"><code>&lt;plain&gt;\n</code></pre>"),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<pre tabindex=\"0\"><code>none\n</code></pre>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn renders_extensions() {
        let r = render(&body("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n\nNote[^1].\n\n[^1]: Foot.\n"), &context()).unwrap();
        assert!(r.html.contains("<table>"), "{}", r.html);
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("type=\"checkbox\""));
        assert!(r.html.contains("<section class=\"footnotes\""));
    }

    #[test]
    fn headings_get_unique_ids_anchors_and_a_toc() {
        let r = render(
            &body(
                "# Hello, World!\n\n## Hello World\n\n## Ünïcode `code` ok\n\n### Custom {#mine}\n",
            ),
            &context(),
        )
        .unwrap();
        let ids: Vec<_> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            ["hello-world", "hello-world-1", "ünïcode-code-ok", "mine"]
        );
        assert_eq!(r.toc[2].title, "Ünïcode code ok");
        assert_eq!(r.toc[1].level, 2);
        assert!(
            r.html.contains(
                "<h1 id=\"hello-world\">Hello, World!<a class=\"anchor\" href=\"#hello-world\""
            ),
            "{}",
            r.html
        );
    }

    #[test]
    fn repeated_headings_number_themselves_around_taken_ids() {
        let text = "## same {#same-2}\n\n## same\n\n## same\n\n## same\n\n## same-1\n";
        let r = render(&body(text), &context()).unwrap();
        let ids: Vec<_> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["same-2", "same", "same-1", "same-3", "same-1-1"]);
        let many = render(&body(&"## x\n\n".repeat(5000)), &context()).unwrap();
        let distinct: HashSet<_> = many.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(distinct.len(), 5000);
        assert_eq!(many.toc[4999].id, "x-4999");
    }

    #[test]
    fn slugify_handles_edge_cases() {
        assert_eq!(slugify("  A -- b__c "), "a-b-c");
        assert_eq!(slugify("?!"), "section");
        assert_eq!(slugify("Django vs. Node.js"), "django-vs-nodejs");
    }

    #[test]
    fn resolves_at_links_and_collects_internal_links() {
        let r = render(&body("See [speed](@/criteria/speed.md#x) and [home](/repo/) and [out](https://a.b/) and [here](#top)\nand [there](../x/#y) and [mail](mailto:a@b).\n"), &context()).unwrap();
        assert!(
            r.html.contains("href=\"/repo/criteria/speed/#x\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"https://a.b/\""));
        assert_eq!(r.links.len(), 4);
        assert_eq!(r.links[0].target.as_deref(), Some("criteria/speed/"));
        assert_eq!(r.links[0].anchor.as_deref(), Some("x"));
        assert_eq!(r.links[0].position, Position { line: 5, column: 5 });
        assert_eq!(r.links[1].target.as_deref(), Some(""));
        assert_eq!(r.links[2].target, None);
        assert!(r.links[3].relative && !r.links[2].relative);
        assert_eq!(r.links[3].target.as_deref(), Some("../x/"));
        assert_eq!(r.links[3].anchor.as_deref(), Some("y"));
        assert_eq!(r.links[3].position, Position { line: 6, column: 5 });
    }

    #[test]
    fn missing_at_link_is_an_error_with_its_line() {
        let errors =
            render(&body("Fine.\n\nSee [x](@/articles/nope.md).\n"), &context()).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].to_string(),
            "content/a.md:7:5: broken link `@/articles/nope.md`: there is no file content/articles/nope.md"
        );
    }

    #[test]
    fn raw_html_is_kept_and_text_is_escaped() {
        let r = render(
            &body("<div class=\"x\">raw</div>\n\na < b & \"c\"\n"),
            &context(),
        )
        .unwrap();
        assert!(r.html.contains("<div class=\"x\">raw</div>"));
        assert!(r.html.contains("a &lt; b &amp; \"c\""), "{}", r.html);
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            to_plain_text("# Title\n\nSome *emphasis* and `code`,\na [link](x).\n\n- one\n- two\n"),
            "Title Some emphasis and code, a link. one two"
        );
    }
}

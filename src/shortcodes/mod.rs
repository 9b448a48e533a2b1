//! Shortcodes in Markdown bodies, the way Zola writes them: `{{ name(arg=value) }}` inline,
//! `{% name(arg=value) %}…{% end %}` with a Markdown body, left alone inside code. This module
//! owns the syntax and its place in the Markdown: each call is swapped for a placeholder, the
//! body is rendered by [`crate::markdown`], and each placeholder is swapped for what an
//! [`Expand`] (the templates, in [`crate::render`]) makes of the call. A call alone on its
//! line stands as a block (never inside a `<p>`); a call within a line must make inline HTML.
//! A body without `{{` or `{%` goes straight to the Markdown renderer.

pub(crate) mod parse;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::error::{Diagnostic, Locator};
use crate::markdown::{self, LinkContext, Rendered};
use crate::model::Body;
use parse::{Call, Found};

/// One call, as an [`Expand`] sees it.
pub(crate) struct Invocation<'a> {
    /// The shortcode's name.
    pub name: &'a str,
    /// Its arguments.
    pub args: &'a toml::Table,
    /// Its body, rendered to HTML, for a call with a body.
    pub body: Option<&'a str>,
    /// 1 for the first call of this shortcode in the body, 2 for the next…: for ids.
    pub nth: usize,
}

/// Makes the HTML of a call: renders its template.
pub(crate) trait Expand: Sync {
    /// The HTML, or what is wrong with the call (said at the call's line).
    fn expand(&self, call: &Invocation<'_>) -> Result<String, String>;
}

/// Starts a block placeholder; the call's number and [`BLOCK_CLOSE`] follow. A `<pre>` line
/// is a raw HTML block that ends on its own line and may interrupt a paragraph.
const BLOCK_OPEN: &str = "<pre data-versus-shortcode=\"";
const BLOCK_CLOSE: &str = "\"></pre>";
/// An inline placeholder is these private-use characters around digits written as
/// [`DIGIT_ZERO`]…: nothing a heading id or the Markdown parser takes for text to change.
const INLINE_OPEN: char = '\u{E000}';
const INLINE_CLOSE: char = '\u{E001}';
const INLINE_CLOSE_TEXT: &str = "\u{E001}";
const DIGIT_ZERO: u32 = 0xE010;
/// Keeps a line of a multi-line inline call from reading as blank; removed afterwards.
const FILLER: char = '\u{E002}';

/// Renders `body` with its shortcodes expanded by `expand`, and every mistake found.
pub(crate) fn render_all(
    body: &Body,
    links: &LinkContext,
    expand: &dyn Expand,
) -> (Rendered, Vec<Diagnostic>) {
    render_at(body, links, expand, 0)
}

/// [`render_all`], failing on any mistake.
pub(crate) fn render(
    body: &Body,
    links: &LinkContext,
    expand: &dyn Expand,
) -> Result<Rendered, Vec<Diagnostic>> {
    let (rendered, errors) = render_all(body, links, expand);
    if errors.is_empty() {
        Ok(rendered)
    } else {
        Err(errors)
    }
}

/// How a call stands in its text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Alone on its line: a block.
    Block,
    /// Within a line of text.
    Inline,
}

/// A call and what it became.
struct Expanded {
    place: Place,
    html: String,
}

fn render_at(
    body: &Body,
    links: &LinkContext,
    expand: &dyn Expand,
    depth: usize,
) -> (Rendered, Vec<Diagnostic>) {
    let text = body.markdown.as_str();
    if !parse::may_have_calls(text) {
        return markdown::render_all(body, links);
    }
    let (found, syntax) = parse::scan(text, &code_ranges(text));
    if found.is_empty() && syntax.is_empty() {
        return markdown::render_all(body, links);
    }
    let mut locator = Locator::new(text, body.first_line);
    let mut errors: Vec<Diagnostic> = syntax
        .iter()
        .map(|e| Diagnostic::new(&body.source, &e.message).at_position(Some(locator.locate(e.at))))
        .collect();
    let calls = Calls {
        body,
        links,
        expand,
        depth,
    };
    let done = calls.expand_all(&found, &mut locator);
    errors.extend(done.errors);
    let swapped = Body {
        markdown: with_placeholders(text, &found, &done.expanded),
        source: body.source.clone(),
        first_line: body.first_line,
    };
    let (mut rendered, e) = markdown::render_all(&swapped, links);
    errors.extend(e);
    rendered.html = fill_placeholders(&rendered.html, &done.expanded);
    for heading in &mut rendered.toc {
        heading.title.retain(|c| !is_placeholder_char(c));
    }
    rendered.links.extend(done.links);
    rendered.shortcodes = done.used.into_iter().collect();
    errors.sort_by_key(|d| (d.line, d.column));
    (rendered, errors)
}

/// What expanding the calls of one body needs.
struct Calls<'a> {
    body: &'a Body,
    links: &'a LinkContext,
    expand: &'a dyn Expand,
    /// 0 for a page's body, 1 inside the body of a call.
    depth: usize,
}

/// What the calls of one body became, and what their bodies add to it.
#[derive(Default)]
struct Done {
    expanded: Vec<Expanded>,
    errors: Vec<Diagnostic>,
    /// The shortcodes called, in bodies too.
    used: BTreeSet<String>,
    /// The internal links of the calls' bodies.
    links: Vec<markdown::InternalLink>,
}

impl Calls<'_> {
    /// Expands every call of `found`, in order.
    fn expand_all(&self, found: &[Found], locator: &mut Locator<'_>) -> Done {
        let text = self.body.markdown.as_str();
        let mut done = Done::default();
        let mut counts = std::collections::HashMap::<&str, usize>::new();
        for call in found.iter().filter_map(|f| match f {
            Found::Call(c) => Some(c),
            Found::Literal(..) => None,
        }) {
            let position = locator.locate(call.range.start);
            let at = |message: String| {
                Diagnostic::new(&self.body.source, message).at_position(Some(position))
            };
            let nth = counts.entry(call.name.as_str()).or_default();
            *nth += 1;
            done.used.insert(call.name.clone());
            let place = place(text, &call.range);
            let inner = call.body.as_ref().map(|range| {
                let first_line = position.line;
                let inner = Body {
                    markdown: text[range.clone()].to_string(),
                    source: self.body.source.clone(),
                    first_line,
                };
                let (rendered, e) = render_at(&inner, self.links, self.expand, self.depth + 1);
                done.errors.extend(e);
                done.used.extend(rendered.shortcodes.iter().cloned());
                done.links.extend(rendered.links);
                rendered.html
            });
            let invocation = Invocation {
                name: &call.name,
                args: &call.args,
                body: inner.as_deref(),
                nth: *nth,
            };
            let html = match self.expand.expand(&invocation) {
                Ok(html) if place == Place::Inline && is_block(&html) => {
                    done.errors.push(at(format!(
                        "shortcode `{}` makes block HTML, which cannot stand inside a line of \
                         text: put the call on a line of its own",
                        call.name
                    )));
                    String::new()
                }
                Ok(html) => html,
                Err(message) => {
                    done.errors.push(at(message));
                    String::new()
                }
            };
            done.expanded.push(Expanded { place, html });
        }
        done
    }
}

/// `markdown` without its calls (a call with a body keeps its body's text), for the search
/// index, which wants the words a reader sees, not `claim(article=…)`.
pub(crate) fn without_calls(markdown: &str) -> std::borrow::Cow<'_, str> {
    if !parse::may_have_calls(markdown) {
        return markdown.into();
    }
    let (found, _) = parse::scan(markdown, &code_ranges(markdown));
    if found.is_empty() {
        return markdown.into();
    }
    let mut out = String::with_capacity(markdown.len());
    let mut last = 0;
    for f in &found {
        match f {
            Found::Literal(range, print) => {
                out.push_str(&markdown[last..range.start]);
                out.push_str(print);
                last = range.end;
            }
            Found::Call(call) => {
                out.push_str(&markdown[last..call.range.start]);
                if let Some(body) = &call.body {
                    out.push_str(&without_calls(&markdown[body.clone()]));
                }
                last = call.range.end;
            }
        }
    }
    out.push_str(&markdown[last..]);
    out.into()
}

/// The byte ranges of code spans and code blocks, where calls are left alone.
fn code_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mut in_block = false;
    for (event, range) in Parser::new_ext(text, markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                in_block = true;
                ranges.push(range);
            }
            Event::End(TagEnd::CodeBlock) => in_block = false,
            Event::Code(_) if !in_block => ranges.push(range),
            _ => {}
        }
    }
    ranges.sort_by_key(|r| r.start);
    ranges
}

/// Whether the call at `range` is alone on its line(s): nothing but spaces, `>` and a list
/// item's marker before it, nothing but spaces after. Reads only as far as that takes, so
/// that many calls on one long line stay linear.
fn place(text: &str, range: &Range<usize>) -> Place {
    let after = text[range.end..]
        .bytes()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\r'));
    if !matches!(after, None | Some(b'\n')) {
        return Place::Inline;
    }
    // A list marker, quote markers and spaces: a short run before the call, or none.
    let mut from = range.start.saturating_sub(64);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = &text[from..range.start];
    let alone = match before.rfind('\n') {
        Some(nl) => only_markers(&before[nl + 1..]),
        None => from == 0 && only_markers(before),
    };
    if alone { Place::Block } else { Place::Inline }
}

/// Whether `before` (the start of a line) holds only block quote markers, spaces and a list
/// item's marker (`-`, `*`, `+`, `1.`, `1)`), so that what follows starts a block.
fn only_markers(before: &str) -> bool {
    let rest = before.trim_start_matches([' ', '\t', '>']);
    let rest = rest
        .strip_prefix(['-', '*', '+'])
        .or_else(|| {
            let digits = rest.trim_start_matches(|c: char| c.is_ascii_digit());
            (digits.len() < rest.len()).then(|| digits.strip_prefix(['.', ')']))?
        })
        .filter(|r| r.is_empty() || r.starts_with([' ', '\t']))
        .unwrap_or(rest);
    rest.trim().is_empty()
}

/// `text` with each call swapped for its placeholder and each literal marker for what it
/// prints. Every line break of a call is kept, so that the lines after it keep their numbers.
fn with_placeholders(text: &str, found: &[Found], expanded: &[Expanded]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut calls = expanded.iter().enumerate();
    for f in found {
        let range = match f {
            Found::Literal(range, print) => {
                out.push_str(&text[last..range.start]);
                out.push_str(print);
                last = range.end;
                continue;
            }
            Found::Call(Call { range, .. }) => range,
        };
        out.push_str(&text[last..range.start]);
        last = range.end;
        let Some((n, e)) = calls.next() else { break };
        let breaks = text[range.clone()].matches('\n').count();
        match e.place {
            Place::Block => {
                let _ = write!(out, "{BLOCK_OPEN}{n}{BLOCK_CLOSE}");
                out.extend(std::iter::repeat_n('\n', breaks));
            }
            Place::Inline => {
                out.push_str(&inline_placeholder(n));
                for _ in 0..breaks {
                    out.push('\n');
                    out.push(FILLER);
                }
            }
        }
    }
    out.push_str(&text[last..]);
    out
}

fn inline_placeholder(n: usize) -> String {
    let mut s = String::new();
    s.push(INLINE_OPEN);
    for d in n.to_string().bytes() {
        s.extend(char::from_u32(DIGIT_ZERO + u32::from(d - b'0')));
    }
    s.push(INLINE_CLOSE);
    s
}

fn is_placeholder_char(c: char) -> bool {
    ('\u{E000}'..='\u{E01F}').contains(&c)
}

/// `html` with each placeholder swapped for its call's HTML.
fn fill_placeholders(html: &str, expanded: &[Expanded]) -> String {
    let mut out =
        String::with_capacity(html.len() + expanded.iter().map(|e| e.html.len()).sum::<usize>());
    let mut rest = html;
    // The next of each kind, as offsets into `html`, found again only once passed: a search
    // for a kind that is far away or absent must not run once per placeholder.
    let mut next_block: Option<Option<usize>> = None;
    let mut next_inline: Option<Option<usize>> = None;
    loop {
        let offset = html.len() - rest.len();
        let next = |cache: &mut Option<Option<usize>>, find: &dyn Fn(&str) -> Option<usize>| {
            if cache.is_none_or(|c| c.is_some_and(|c| c < offset)) {
                *cache = Some(find(rest).map(|p| p + offset));
            }
            cache.flatten().map(|p| p - offset)
        };
        let block = next(&mut next_block, &|r| r.find(BLOCK_OPEN));
        let inline = next(&mut next_inline, &|r| r.find(INLINE_OPEN));
        let (at, is_block) = match (block, inline) {
            (Some(b), Some(i)) if b < i => (b, true),
            (_, Some(i)) => (i, false),
            (Some(b), None) => (b, true),
            (None, None) => break,
        };
        out.push_str(&rest[..at]);
        let (open, close) = if is_block {
            (BLOCK_OPEN.len(), BLOCK_CLOSE)
        } else {
            (INLINE_OPEN.len_utf8(), INLINE_CLOSE_TEXT)
        };
        let after = &rest[at + open..];
        let number = after.find(close).and_then(|end| {
            let digits = &after[..end];
            let n = if is_block {
                digits.parse::<usize>().ok()
            } else {
                inline_number(digits)
            };
            Some((expanded.get(n?)?, end + close.len()))
        });
        match number {
            Some((e, len)) => {
                out.push_str(&e.html);
                rest = &after[len..];
            }
            // Not a placeholder of ours (the text had one): keep it as it was.
            None => {
                out.push_str(&rest[at..at + open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.retain(|c| c != FILLER);
    out
}

/// The number an inline placeholder's digits stand for.
fn inline_number(digits: &str) -> Option<usize> {
    if digits.is_empty() || digits.len() > 30 {
        return None;
    }
    let mut n: usize = 0;
    for c in digits.chars() {
        let d = u32::from(c).checked_sub(DIGIT_ZERO).filter(|d| *d < 10)?;
        n = n.checked_mul(10)?.checked_add(d as usize)?;
    }
    Some(n)
}

/// Elements that make a block: HTML with one of them cannot stand inside a paragraph.
const BLOCK_TAGS: [&str; 30] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "caption",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
];
const MORE_BLOCK_TAGS: [&str; 7] = ["section", "table", "tbody", "td", "th", "tr", "ul"];

/// Whether `html` holds an element that makes a block.
fn is_block(html: &str) -> bool {
    html.match_indices('<').any(|(at, _)| {
        let name: String = html[at + 1..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        BLOCK_TAGS.contains(&name.as_str()) || MORE_BLOCK_TAGS.contains(&name.as_str())
    })
}

#[cfg(test)]
mod tests;

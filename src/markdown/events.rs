//! The event stream from the Markdown parser to the HTML writer: fenced code highlighted,
//! alerts and footnotes written out, headings given ids and permalink anchors, link
//! destinations resolved. Events stream through; only a heading's own events wait, until its
//! text (and so its id) is known, so a body of tens of megabytes is never held as events all
//! at once.

use std::collections::VecDeque;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, OffsetIter, Tag, TagEnd, html};

use super::{
    Heading, LinkContext, Rendered, UsedIds, code_text, escape, heading_level, link_event, notes,
    options, plain_text, slugify, unique_id,
};
use crate::error::{Diagnostic, Locator};
use crate::model::Body;

/// The events of one body, rewritten on the way; what they found is left in `out` and
/// `errors`.
pub(super) struct Events<'a> {
    parser: OffsetIter<'a>,
    body: &'a Body,
    links: &'a LinkContext,
    locator: Locator<'a>,
    used_ids: UsedIds,
    footnotes: notes::Footnotes,
    /// A heading's events, let out once its id is known.
    pending: VecDeque<Event<'a>>,
    out: Rendered,
    errors: Vec<Diagnostic>,
}

impl<'a> Events<'a> {
    pub(super) fn new(body: &'a Body, links: &'a LinkContext) -> Events<'a> {
        let text = body.markdown.as_str();
        Events {
            parser: pulldown_cmark::Parser::new_ext(text, options()).into_offset_iter(),
            body,
            links,
            locator: Locator::new(text, body.first_line),
            used_ids: UsedIds::default(),
            footnotes: notes::Footnotes::default(),
            pending: VecDeque::new(),
            out: Rendered::default(),
            errors: Vec::new(),
        }
    }

    /// What the stream found: the table of contents and links (the HTML is the caller's),
    /// and the errors.
    pub(super) fn finish(self) -> (Rendered, Vec<Diagnostic>) {
        (self.out, self.errors)
    }

    /// A fenced or indented code block, highlighted. Every block is focusable, so that a
    /// reader can scroll a wide one by keyboard.
    fn code_block(&mut self, kind: CodeBlockKind<'a>) -> Event<'a> {
        let info = match kind {
            CodeBlockKind::Fenced(info) => info,
            CodeBlockKind::Indented => CowStr::Borrowed(""),
        };
        let code = code_text(&mut self.parser);
        Event::Html(self.links.highlighter.code_block(&info, &code).into())
    }

    /// A footnote's definition, rendered on its own and kept for the notes section.
    fn footnote_definition(&mut self, label: &str) {
        let mut note = String::new();
        let inner = self
            .parser
            .by_ref()
            .take_while(|(e, _)| !matches!(e, Event::End(TagEnd::FootnoteDefinition)))
            .collect::<Vec<_>>()
            .into_iter()
            .map(|(e, r)| match e {
                Event::FootnoteReference(l) => Event::Html(self.footnotes.reference(&l).into()),
                e => link_event(
                    e,
                    &r,
                    self.body,
                    &mut self.locator,
                    self.links,
                    &mut self.out,
                    &mut self.errors,
                ),
            });
        html::push_html(&mut note, inner);
        self.footnotes.define(label, note);
    }

    /// A heading: its events held until its text gives it an id, then let out with the id
    /// and a permalink anchor.
    fn heading(&mut self, level: HeadingLevel, id: Option<CowStr<'a>>) {
        let inner: Vec<(Event<'a>, Range<usize>)> = self
            .parser
            .by_ref()
            .take_while(|(e, _)| !matches!(e, Event::End(TagEnd::Heading(_))))
            .collect();
        let title = plain_text(&inner);
        let id = unique_id(
            id.as_deref()
                .map_or_else(|| slugify(&title), str::to_string),
            &mut self.used_ids,
            &self.links.reserved_ids,
        );
        let level = heading_level(level);
        self.pending.push_back(Event::Html(
            format!("<h{level} id=\"{}\">", escape(&id)).into(),
        ));
        for (inner, inner_range) in inner {
            let event = match inner {
                Event::FootnoteReference(label) => {
                    Event::Html(self.footnotes.reference(&label).into())
                }
                inner => self.link(inner, &inner_range),
            };
            self.pending.push_back(event);
        }
        self.pending.push_back(Event::Html(
            format!("<a class=\"anchor\" href=\"#{0}\" aria-label=\"Link to this section\">#</a></h{level}>\n", escape(&id)).into(),
        ));
        self.out.toc.push(Heading { level, id, title });
    }

    /// See [`link_event`].
    fn link(&mut self, event: Event<'a>, range: &Range<usize>) -> Event<'a> {
        link_event(
            event,
            range,
            self.body,
            &mut self.locator,
            self.links,
            &mut self.out,
            &mut self.errors,
        )
    }
}

impl<'a> Iterator for Events<'a> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Some(event);
            }
            let Some((event, range)) = self.parser.next() else {
                return self.footnotes.section().map(|s| Event::Html(s.into()));
            };
            match event {
                Event::Start(Tag::CodeBlock(kind)) => return Some(self.code_block(kind)),
                Event::Start(Tag::BlockQuote(Some(kind))) => {
                    return Some(Event::Html(notes::alert_open(kind).into()));
                }
                Event::End(TagEnd::BlockQuote(Some(_))) => {
                    return Some(Event::Html(notes::ALERT_CLOSE.into()));
                }
                Event::FootnoteReference(label) => {
                    return Some(Event::Html(self.footnotes.reference(&label).into()));
                }
                Event::Start(Tag::FootnoteDefinition(label)) => self.footnote_definition(&label),
                Event::Start(Tag::Heading { level, id, .. }) => self.heading(level, id),
                event => return Some(self.link(event, &range)),
            }
        }
    }
}

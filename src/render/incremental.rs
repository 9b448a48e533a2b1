//! Re-rendering after an edit that changes only Markdown bodies: what a full render leaves
//! behind for that ([`Kept`]: the compiled templates, every page's context, the link index),
//! and the check that decides whether the pages showing an edited body are only its own page.
//!
//! A body reaches templates as the `content` and `toc` of its item's view, and every item's
//! view is in the global `articles`, `criteria`, `subjects`, `sections` and `home`. When every
//! template reads bodies only as `page.content` and `page.toc` (and never rebinds `page`, nor
//! dumps whole items through `values`, `pairs`, `str`, `json_encode` or a two-variable `for`),
//! a body shows on its own page only, so an edit re-renders that one page (and the search
//! index entry). Otherwise, and whenever anything fails, the caller renders everything again.
//! Not caught: printing a whole item (`{{ articles[0] }}`), a debug form no theme would use.

use std::collections::{BTreeMap, HashMap};

use tera::{Tera, Value};

use super::OutputFile;
use super::links;
use super::pages::Job;
use crate::markdown::{self, LinkContext};
use crate::model::Body;
use crate::theme::TemplateSource;

/// The data files (not made from templates) that read no Markdown body: a body edit leaves
/// them alone. A data file missing here (other than the search index, which is made again
/// entry by entry) makes every edit a full render.
pub const BODY_FREE: [&str; 4] = [".nojekyll", "matrix.json", "matrix.csv", "CNAME"];

/// What a full render keeps for re-rendering single pages.
pub struct Kept {
    pub(super) tera: Tera,
    /// Every job, by output path.
    pub(super) jobs: HashMap<String, Job>,
    pub(super) links: LinkContext,
    pub(super) index: links::Index,
    /// The search index, when the site has one: made again entry by entry.
    pub(super) search: Option<super::search::Index>,
    /// Whether templates read bodies only through `page` (see the module documentation) and
    /// no data file reads them.
    pub(super) isolated: bool,
}

/// A content file whose Markdown body changed and nothing else (same path, same front
/// matter, so the same body line).
pub struct BodyEdit<'a> {
    /// Path under `content/`.
    pub rel: &'a str,
    /// The new body.
    pub body: &'a Body,
}

impl Kept {
    /// Re-renders the pages of `edits`: their new files, or `None` when this needs a full
    /// render (a template may show the body elsewhere, or something failed and the full
    /// render will report it in detail). On `None` nothing is changed.
    pub fn rerender(&mut self, edits: &[BodyEdit<'_>]) -> Option<Vec<OutputFile>> {
        if !self.isolated {
            return None;
        }
        let mut done = Vec::with_capacity(edits.len());
        for edit in edits {
            let url = self.links.pages.get(edit.rel)?;
            let path = format!("{url}index.html");
            let job = self.jobs.get(&path)?;
            let rendered = markdown::render(edit.body, &self.links).ok()?;
            let page = with_body(job.context.get("page")?, &rendered)?;
            let mut context = job.context.clone();
            context.insert_value("page", page);
            let html = self.tera.render(&job.template, &context).ok()?;
            done.push((path, context, rendered.links, html));
        }
        let pages: Vec<links::Page<'_>> = done
            .iter()
            .map(|(path, _, links, html)| links::Page { path, html, links })
            .collect();
        if !self.index.update(&pages) {
            return None;
        }
        let entries: Vec<(usize, Vec<u8>)> = match &self.search {
            Some(search) => edits
                .iter()
                .filter_map(|e| search.entry(&e.body.source, &e.body.markdown))
                .collect(),
            None => Vec::new(),
        };
        let mut files = Vec::with_capacity(done.len() + 1);
        if let Some(search) = self.search.as_mut().filter(|_| !entries.is_empty()) {
            entries.into_iter().for_each(|e| search.set(e));
            files.push(OutputFile {
                path: super::SEARCH_INDEX.into(),
                bytes: search.json(),
            });
        }
        for (path, context, _, html) in done {
            if let Some(job) = self.jobs.get_mut(&path) {
                job.context = context;
            }
            files.push(OutputFile {
                path,
                bytes: html.into_bytes(),
            });
        }
        Some(files)
    }
}

/// `page` with a new `content` and `toc`; `None` if it has no body.
fn with_body(page: &Value, rendered: &markdown::Rendered) -> Option<Value> {
    let mut map = page.clone().into_map()?;
    for (key, value) in [
        ("content", super::value(&rendered.html)),
        ("toc", super::value(&rendered.toc)),
    ] {
        *map.get_mut(&tera::value::Key::from(key))? = value;
    }
    Some(Value::from(map))
}

/// Whether every template reads bodies only as `page.content` / `page.toc`.
pub fn bodies_isolated(templates: &BTreeMap<String, TemplateSource>) -> bool {
    templates.values().all(|t| source_isolated(&t.text))
}

/// Filters and tests that expose every field of a value, or read one by a computed name.
const WHOLE_VALUE: [&str; 6] = ["values", "pairs", "str", "json_encode", "tojson", "items"];

fn source_isolated(text: &str) -> bool {
    tags(text).all(tag_isolated)
}

/// The code inside `{{ … }}` and `{% … %}` (comments skipped).
fn tags(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        loop {
            let start = rest.find('{')?;
            let open = rest.get(start..start + 2)?;
            let close = match open {
                "{{" => "}}",
                "{%" => "%}",
                "{#" => "#}",
                _ => {
                    rest = &rest[start + 1..];
                    continue;
                }
            };
            let inner = &rest[start + 2..];
            let end = inner.find(close).unwrap_or(inner.len());
            rest = &inner[(end + 2).min(inner.len())..];
            if open != "{#" {
                return Some(&inner[..end]);
            }
        }
    })
}

/// One piece of template code, split into words, punctuation and string literals.
#[derive(Debug, PartialEq)]
enum Token<'a> {
    Word(&'a str),
    Str(&'a str),
    Punct(char),
}

fn tokens(code: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut chars = code.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_alphanumeric() || c == '_' {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if !(d.is_alphanumeric() || d == '_') {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            out.push(Token::Word(&code[i..end]));
        } else if matches!(c, '"' | '\'' | '`') {
            let mut end = code.len();
            for (j, d) in chars.by_ref() {
                if d == c {
                    end = j;
                    break;
                }
            }
            out.push(Token::Str(&code[i + 1..end]));
        } else if !c.is_whitespace() {
            out.push(Token::Punct(c));
        }
    }
    out
}

fn is_body_field(word: &str) -> bool {
    word == "content" || word == "toc"
}

fn tag_isolated(code: &str) -> bool {
    let tokens = tokens(code);
    let word = |i: usize| match tokens.get(i) {
        Some(Token::Word(w)) => Some(*w),
        _ => None,
    };
    let punct = |i: usize, c: char| tokens.get(i) == Some(&Token::Punct(c));
    // A header that binds names: `for a, b in …`, `macro m(page)`, `component c(page)`.
    match word(0) {
        Some("for") => {
            let names: Vec<&str> = (1..tokens.len())
                .map_while(|i| {
                    word(i)
                        .filter(|w| *w != "in")
                        .or(punct(i, ',').then_some(","))
                })
                .collect();
            if names.contains(&",") || names.contains(&"page") {
                return false;
            }
        }
        Some("macro" | "component") if (2..tokens.len()).any(|i| word(i) == Some("page")) => {
            return false;
        }
        _ => {}
    }
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Str(s)
                if s.split(|c: char| !c.is_alphanumeric() && c != '_')
                    .any(is_body_field) =>
            {
                return false;
            }
            Token::Word(w) if WHOLE_VALUE.contains(w) => return false,
            // `page = …` (set or keyword argument) rebinds `page`; `page == x` compares it
            // whole, with the other items' views whose bodies may be stale.
            Token::Word("page")
                if punct(i + 1, '=')
                    || punct(i + 1, '!')
                    || (i >= 2
                        && punct(i - 1, '=')
                        && (punct(i - 2, '=') || punct(i - 2, '!'))) =>
            {
                return false;
            }
            Token::Word(w) if is_body_field(w) && i > 0 && punct(i - 1, '.') => {
                let rooted_at_page = i >= 2
                    && word(i - 2) == Some("page")
                    && !(i >= 3 && (punct(i - 3, '.') || punct(i - 3, ']')));
                if !rooted_at_page {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_page_bodies_are_isolated() {
        for text in [
            "{{ page.content | safe }}{% for h in page.toc %}{{ h.id }}{% endfor %}",
            r#"<meta name="description" content="{{ page.summary }}">{% block content %}{% endblock content %}"#,
            "{% component toc(toc) %}{% for h in toc %}{{ h.title }}{% endfor %}{% endcomponent toc %}{{ <toc toc={page.toc} /> }}",
            "{# a.content #}{{ articles | length }}{% for a in articles %}{{ a.title }}{% endfor %}",
            "{% if page.slug == a.slug %}{% endif %}",
        ] {
            assert!(source_isolated(text), "{text}");
        }
    }

    #[test]
    fn other_bodies_are_not_isolated() {
        for text in [
            "{% for a in articles %}{{ a.content }}{% endfor %}",
            "{{ home.toc }}",
            "{{ page.pages[0].content }}",
            "{{ x.page.content }}",
            "{{ a | get(key='content') }}",
            "{% for k, v in articles[0] %}{{ v }}{% endfor %}",
            "{% set page = articles[0] %}{{ page.content }}",
            "{% for page in articles %}{{ page.content }}{% endfor %}",
            "{% macro card(page) %}{{ page.content }}{% endmacro card %}",
            "{{ articles | json_encode }}",
            "{{ articles[0] | values }}",
            "{% for a in articles %}{% if a == page %}here{% endif %}{% endfor %}",
            "{% if page != articles[0] %}{% endif %}",
        ] {
            assert!(!source_isolated(text), "{text}");
        }
    }
}

#[cfg(test)]
mod default_theme {
    #[test]
    fn the_default_theme_shows_each_body_on_its_own_page_only() {
        let dir = std::env::temp_dir().join("versus-no-such-site");
        let theme = crate::theme::load(&dir, "default").expect("the embedded theme loads");
        assert!(super::bodies_isolated(&theme.templates));
    }
}

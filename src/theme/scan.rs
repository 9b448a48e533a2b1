//! What templates read, found by scanning their code without running it: which templates
//! each builds on, which globals each names, and whether bodies reach templates only as the
//! own page's `page.content` and `page.toc`. Rebuilding uses it to tell which pages an edit
//! can touch.
//!
//! A body reaches templates as the `content` and `toc` of its item's view, and every item's
//! view is in the global `articles`, `criteria`, `subjects`, `sections` and `home`. When every
//! template reads bodies only as `page.content` and `page.toc` (and never rebinds `page`, nor
//! dumps whole items through `values`, `pairs`, `str`, `json_encode` or a two-variable `for`),
//! a body shows on its own page only.
//! Not caught: printing a whole item (`{{ articles[0] }}`), a debug form no theme would use.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::TemplateSource;

/// Per template, the templates it builds on, itself included: those it names after
/// `extends`, `include`, `import` or `from`, theirs in turn, and every template that defines
/// components (any template may use them).
pub(crate) fn templates_used(
    templates: &BTreeMap<String, TemplateSource>,
) -> HashMap<String, BTreeSet<String>> {
    let mut components = Vec::new();
    let direct: HashMap<&str, Vec<&str>> = templates
        .iter()
        .map(|(name, source)| {
            let mut named = Vec::new();
            for code in tags(&source.text) {
                let tokens = tokens(code);
                let loads = matches!(
                    tokens.first(),
                    Some(Token::Word("extends" | "include" | "import" | "from"))
                );
                for token in tokens {
                    match token {
                        Token::Word("component") => components.push(name.as_str()),
                        Token::Str(s) if loads && templates.contains_key(s) => named.push(s),
                        _ => {}
                    }
                }
            }
            (name.as_str(), named)
        })
        .collect();
    direct
        .keys()
        .map(|name| {
            let mut seen = BTreeSet::new();
            let mut stack = vec![*name];
            stack.extend(components.iter().copied());
            while let Some(t) = stack.pop() {
                if seen.insert(t.to_string()) {
                    stack.extend(direct.get(t).into_iter().flatten().copied());
                }
            }
            (name.to_string(), seen)
        })
        .collect()
}

/// Whether the template defines components (`{% component name(…) %}`): Tera knows each
/// component by its name alone, so such a template cannot be compiled twice under two names.
pub(crate) fn defines_components(text: &str) -> bool {
    tags(text).any(|code| matches!(tokens(code).first(), Some(Token::Word("component"))))
}

/// Per template, the `globals` it names, itself or through the templates it builds on
/// ([`templates_used`]): a change to a global re-renders the pages whose template reads it.
/// A name counts wherever it appears as a word in template code, which can only over-count.
pub(crate) fn globals_read(
    templates: &BTreeMap<String, TemplateSource>,
    globals: &[&'static str],
) -> HashMap<String, BTreeSet<&'static str>> {
    let direct: HashMap<&str, BTreeSet<&'static str>> = templates
        .iter()
        .map(|(name, source)| {
            let mut found = BTreeSet::new();
            for code in tags(&source.text) {
                for token in tokens(code) {
                    match token {
                        Token::Word("__tera_context") => found.extend(globals),
                        Token::Word(w) => {
                            if let Some(g) = globals.iter().find(|g| **g == w) {
                                found.insert(*g);
                            }
                        }
                        _ => {}
                    }
                }
            }
            (name.as_str(), found)
        })
        .collect();
    templates_used(templates)
        .into_iter()
        .map(|(name, used)| {
            let globals = used
                .iter()
                .filter_map(|t| direct.get(t.as_str()))
                .flatten()
                .copied()
                .collect();
            (name, globals)
        })
        .collect()
}

/// The literal `id="…"` attributes of every template (`synthesis`, `main`, …): ids the
/// pages' own markup takes, which headings in a body must avoid. Ids made by a Tera
/// expression are left out.
pub(crate) fn reserved_ids(templates: &BTreeMap<String, TemplateSource>) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for t in templates.values() {
        for quote in ['"', '\''] {
            let marker = format!(" id={quote}");
            let mut rest = t.text.as_str();
            while let Some(at) = rest.find(&marker) {
                rest = &rest[at + marker.len()..];
                let Some(end) = rest.find(quote) else { break };
                let id = &rest[..end];
                if !id.is_empty() && !id.contains(['{', '}', '<', '>']) {
                    ids.insert(id.to_string());
                }
            }
        }
    }
    ids
}

/// Whether every template reads bodies only as `page.content` / `page.toc`.
pub(crate) fn bodies_isolated(templates: &BTreeMap<String, TemplateSource>) -> bool {
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
    fn literal_template_ids_are_reserved() {
        let templates = [(
            "a.html".to_string(),
            TemplateSource {
                display: "a.html".into(),
                text: "<h2 id=\"synthesis\">S</h2><div id='main'></div><p id=\"{{ x }}\"></p><i data-id=\"no\"></i>".into(),
            },
        )]
        .into();
        let ids: Vec<String> = reserved_ids(&templates).into_iter().collect();
        assert_eq!(ids, ["main", "synthesis"]);
    }

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

#[cfg(test)]
mod reads {
    use super::*;

    fn templates(list: &[(&str, &str)]) -> BTreeMap<String, TemplateSource> {
        list.iter()
            .map(|(name, text)| {
                (
                    name.to_string(),
                    TemplateSource {
                        text: text.to_string(),
                        display: name.into(),
                    },
                )
            })
            .collect()
    }

    #[test]
    fn a_template_reads_what_it_and_what_it_builds_on_name() {
        let globals = crate::render::pages::GLOBALS;
        let reads = globals_read(
            &templates(&[
                (
                    "base.html",
                    "{{ site.title }}{% block content %}{% endblock content %}<a href=\"{{ url(path='atom.xml') }}\">",
                ),
                ("atom.xml", "{% for a in feed %}{% endfor %}"),
                (
                    "article.html",
                    "{% extends \"base.html\" %}{% block content %}{{ page.title }}{% endblock content %}",
                ),
                (
                    "index.html",
                    "{% extends \"base.html\" %}{% block content %}{% for r in matrix.rows %}{% endfor %}{% endblock content %}",
                ),
                (
                    "components.html",
                    "{% component badge(x) %}{{ nav | length }}{% endcomponent badge %}",
                ),
                ("debug.html", "{{ __tera_context }}"),
            ]),
            &globals,
        );
        let set = |name: &str| reads[name].iter().copied().collect::<Vec<_>>();
        assert_eq!(set("article.html"), vec!["nav", "site"]);
        assert_eq!(set("index.html"), vec!["matrix", "nav", "site"]);
        assert_eq!(set("atom.xml"), vec!["feed", "nav"]);
        assert_eq!(set("debug.html").len(), globals.len());
    }
}

//! The readable text of an archived HTML page: markup removed and entities decoded by a real
//! HTML parser (`scraper`), a space between blocks so that paragraphs do not run together,
//! and nothing from scripts, styles or other elements a reader never sees as text.

use ego_tree::iter::Edge;
use scraper::{Html, Node};

/// Elements whose text is not part of what a reader reads.
const HIDDEN: &[&str] = &[
    "script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object",
];

/// Elements that flow within a line: no space is added around them.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins",
    "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
];

/// The text of an HTML document, as a reader sees it (before [`super::quote::normalize`]).
pub(crate) fn text(html: &str) -> String {
    let document = Html::parse_document(html);
    let mut out = String::with_capacity(html.len() / 2);
    let mut hidden = 0usize;
    for edge in document.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) if HIDDEN.contains(&e.name()) => hidden += 1,
                Node::Element(e) if !INLINE.contains(&e.name()) => out.push(' '),
                Node::Text(t) if hidden == 0 => out.push_str(t),
                _ => {}
            },
            Edge::Close(node) => match node.value() {
                Node::Element(e) if HIDDEN.contains(&e.name()) => hidden -= 1,
                Node::Element(e) if !INLINE.contains(&e.name()) => out.push(' '),
                _ => {}
            },
        }
    }
    out
}

/// Whether an archived copy is HTML: by its file name, or by how its text starts.
pub(crate) fn is_html(name: &str, text: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".html") || lower.ends_with(".htm") || lower.ends_with(".xhtml") {
        return true;
    }
    if lower.ends_with(".txt") || lower.ends_with(".md") {
        return false;
    }
    let start = text.trim_start().get(..15).unwrap_or_default();
    start.to_ascii_lowercase().starts_with("<!doctype html") || start.starts_with("<html")
}

#[cfg(test)]
mod tests {
    use super::super::quote::normalize;
    use super::*;

    #[test]
    fn markup_and_entities_are_removed() {
        let cases = [
            ("<p>One <em>exact</em> phrase</p>", "One exact phrase"),
            ("<p>First.</p><p>Second.</p>", "First. Second."),
            (
                "Fish &amp; chips &lt;3 &#8212; &quot;ok&quot;",
                "Fish & chips <3 - \"ok\"",
            ),
            (
                "it&rsquo;s &ldquo;fine&rdquo;&nbsp;now",
                "it's \"fine\" now",
            ),
            ("line<br>break", "line break"),
            (
                "<head><title>T</title><style>p{}</style></head><p>Body<script>x()</script></p>",
                "Body",
            ),
            ("<ul><li>a</li><li>b</li></ul>", "a b"),
            (
                "<p>Node<span>.js</span> is <a href=\"#\">fast</a></p>",
                "Node.js is fast",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize(&text(input)), expected, "{input:?}");
        }
    }

    #[test]
    fn html_is_told_by_name_or_start() {
        assert!(is_html("a.html", ""));
        assert!(is_html("a.HTM", ""));
        assert!(is_html("a", "  <!DOCTYPE html><p>x"));
        assert!(!is_html("a.txt", "<!doctype html>"));
        assert!(!is_html("a", "plain text"));
    }
}

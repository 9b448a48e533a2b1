//! The `id`, `href` and `src` attributes of a finished page, read the way a browser reads
//! them: only inside tags. Text that merely looks like an attribute (`<code>&lt;a
//! href="/x/"&gt;</code>`, an HTML example in inline code or a code block) is text, and
//! its "links" are not links.

/// The `id`, `href` and `src` attributes written with double quotes, in one forward pass
/// over the page: name and raw value. A `="` is the start of an attribute value when it is
/// inside a tag: when the last `<` or `>` before it is a `<` that opens a tag (followed by
/// a letter, `/` or `!`). Values are skipped whole, so a `>` inside one does not end its
/// tag; quotes in text are text.
pub(crate) fn attributes(html: &str) -> impl Iterator<Item = (&'static str, &str)> + '_ {
    let bytes = html.as_bytes();
    // Only a `<`, `>` or `=` can change what is read: one vectorised search walks from one
    // to the next (restarted past each value, which is skipped whole).
    let stops_from = move |at: usize| memchr::memchr3_iter(b'<', b'>', b'=', &bytes[at..]);
    let mut at = 0;
    let mut stops = stops_from(0);
    let mut in_tag = false;
    // Whether the `<` at `i` opens a tag.
    let opens = |i: usize| {
        bytes
            .get(i + 1)
            .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'/' | b'!'))
    };
    std::iter::from_fn(move || {
        loop {
            let i = at + stops.next()?;
            match bytes[i] {
                b'<' => in_tag = opens(i),
                b'>' => in_tag = false,
                _ if !in_tag || bytes.get(i + 1) != Some(&b'"') => {}
                _ => {
                    let start = i + 2;
                    let end = start + memchr::memchr(b'"', &bytes[start..])?;
                    at = end + 1;
                    stops = stops_from(at);
                    if let Some(name) = name_before(&bytes[..i]) {
                        return Some((name, &html[start..end]));
                    }
                }
            }
        }
    })
}

/// The attribute name `before` ends with, when it is one read here and stands alone
/// (`data-href` is not `href`).
fn name_before(before: &[u8]) -> Option<&'static str> {
    let name: &'static str = match before.last()? {
        b'd' => "id",
        b'f' => "href",
        b'c' => "src",
        _ => return None,
    };
    let rest = before.strip_suffix(name.as_bytes())?;
    matches!(rest.last(), Some(b' ' | b'\n' | b'\t')).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::attributes;

    fn all(html: &str) -> Vec<(&'static str, &str)> {
        attributes(html).collect()
    }

    #[test]
    fn reads_attributes_inside_tags_only() {
        assert_eq!(
            all(
                r#"<a href="/a/" id="x">t</a><img src="i.png" alt="a > b" data-href="no"><img alt="c > d" src="j.png">"#
            ),
            [
                ("href", "/a/"),
                ("id", "x"),
                ("src", "i.png"),
                ("src", "j.png")
            ]
        );
        assert_eq!(
            all(r#"<p>Write <code>&lt;a href="/x/"&gt;</code> or href="/y/".</p><a href="/z/">"#),
            [("href", "/z/")],
            "text that looks like an attribute is text"
        );
        assert_eq!(
            all("<a\nhref=\"/n/\"\n>a < b</a><p title=\"x\" id=\"p\">"),
            [("href", "/n/"), ("id", "p")]
        );
        assert_eq!(all(r#"<a href="/unterminated"#), []);
        assert_eq!(all("a < b \" and > c"), []);
    }
}

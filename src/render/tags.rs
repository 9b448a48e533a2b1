//! The `id`, `href` and `src` attributes of a finished page, read the way a browser reads
//! them: only inside tags. Text that merely looks like an attribute (`<code>&lt;a
//! href="/x/"&gt;</code>`, an HTML example in inline code or a code block) is text, and
//! its "links" are not links.

/// The `id`, `href` and `src` attributes written with double quotes, in one pass over the
/// page: name and raw value. Every `="` is looked at, as the value of an attribute when
/// it is inside a tag: when the last `<` or `>` before it (since the value before) is a `<`
/// that opens a tag (followed by a letter, `/` or `!`). Values are skipped whole, so a `>`
/// inside one does not end its tag; quotes in text are text.
pub(crate) fn attributes(html: &str) -> impl Iterator<Item = (&'static str, &str)> + '_ {
    let bytes = html.as_bytes();
    // Where the last value ended, and whether that was inside a tag.
    let mut seen = 0;
    let mut in_tag = false;
    memchr::memmem::find_iter(bytes, b"=\"").filter_map(move |i| {
        if i < seen {
            return None;
        }
        if let Some(at) = memchr::memrchr2(b'<', b'>', &bytes[seen..i]) {
            let at = seen + at;
            in_tag = bytes[at] == b'<'
                && bytes
                    .get(at + 1)
                    .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'/' | b'!'));
        }
        if !in_tag {
            seen = i + 2;
            return None;
        }
        let start = i + 2;
        let end = start + memchr::memchr(b'"', &bytes[start..])?;
        seen = end + 1;
        let before = &html[..i];
        let name = ["id", "href", "src"].into_iter().find(|name| {
            before
                .strip_suffix(name)
                .is_some_and(|rest| rest.ends_with([' ', '\n', '\t']))
        })?;
        Some((name, &html[start..end]))
    })
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

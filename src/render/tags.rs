//! The `id`, `href` and `src` attributes of a finished page, read the way a browser reads
//! them: only inside tags. Text that merely looks like an attribute (`<code>&lt;a
//! href="/x/"&gt;</code>`, an HTML example in inline code or a code block) is text, and
//! its "links" are not links.

/// The `id`, `href` and `src` attributes written with double quotes, in one pass over the
/// page: name and raw value. A tag starts at `<` followed by a letter, `/` or `!`, and ends
/// at the first `>` outside a double-quoted value; quotes outside tags are text.
pub(crate) fn attributes(html: &str) -> impl Iterator<Item = (&'static str, &str)> + '_ {
    let bytes = html.as_bytes();
    let mut at = 0;
    let mut in_tag = false;
    std::iter::from_fn(move || {
        loop {
            if !in_tag {
                let start = at + memchr::memchr(b'<', bytes.get(at..)?)?;
                at = start + 1;
                in_tag = bytes
                    .get(at)
                    .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'/' | b'!'));
                continue;
            }
            let next = at + memchr::memchr2(b'>', b'"', bytes.get(at..)?)?;
            if bytes[next] == b'>' {
                at = next + 1;
                in_tag = false;
                continue;
            }
            // A double-quoted value: its attribute's name is just before `=`.
            let start = next + 1;
            let end = start + memchr::memchr(b'"', &bytes[start..])?;
            at = end + 1;
            let before = &html[..next];
            let Some(before) = before.strip_suffix('=') else {
                continue;
            };
            let name = ["id", "href", "src"].into_iter().find(|name| {
                before
                    .strip_suffix(name)
                    .is_some_and(|rest| rest.ends_with([' ', '\n', '\t']))
            });
            if let Some(name) = name {
                return Some((name, &html[start..end]));
            }
        }
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
            all(r#"<a href="/a/" id="x">t</a><img src="i.png" alt="a > b" data-href="no">"#),
            [("href", "/a/"), ("id", "x"), ("src", "i.png")]
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

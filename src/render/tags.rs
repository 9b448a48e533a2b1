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
    // Jumps from one `="` to the next (a page has about a fifth as many as `<`, `>` and `=`
    // together). Whether one is inside a tag depends only on the last `<` or `>` before it
    // outside a value: between the last value and it, found looking back; when there is
    // none, as it was at that value.
    let value_start = memchr::memmem::Finder::new(b"=\"");
    let mut at = 0;
    let mut in_tag = false;
    std::iter::from_fn(move || {
        loop {
            let i = at + value_start.find(&bytes[at..])?;
            if let Some(last) = memchr::memrchr2(b'<', b'>', &bytes[at..i]) {
                let last = at + last;
                in_tag = bytes[last] == b'<' && opens_tag(bytes.get(last + 1));
            }
            if !in_tag {
                at = i + 1;
                continue;
            }
            let start = i + 2;
            let end = start + memchr::memchr(b'"', &bytes[start..])?;
            at = end + 1;
            if let Some(name) = name_before(&bytes[..i]) {
                return Some((name, &html[start..end]));
            }
        }
    })
}

/// Whether a `<` followed by `next` opens a tag (a letter, `/` or `!`), rather than being
/// text (`a < b`).
fn opens_tag(next: Option<&u8>) -> bool {
    next.is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'/' | b'!'))
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

    /// The rule written out byte by byte: the `<` or `>` last seen outside a value decides
    /// whether a `="` starts one.
    fn by_the_rule(html: &str) -> Vec<(&'static str, &str)> {
        let bytes = html.as_bytes();
        let (mut out, mut in_tag, mut i) = (Vec::new(), false, 0);
        while i < bytes.len() {
            match bytes[i] {
                b'<' => in_tag = super::opens_tag(bytes.get(i + 1)),
                b'>' => in_tag = false,
                b'=' if in_tag && bytes.get(i + 1) == Some(&b'"') => {
                    let Some(len) = bytes[i + 2..].iter().position(|&b| b == b'"') else {
                        break;
                    };
                    let end = i + 2 + len;
                    if let Some(name) = super::name_before(&bytes[..i]) {
                        out.push((name, &html[i + 2..end]));
                    }
                    i = end;
                }
                _ => {}
            }
            i += 1;
        }
        out
    }

    #[test]
    fn jumping_between_values_reads_what_the_rule_reads() {
        // Strings of the pieces that matter, from a fixed linear congruential sequence.
        let pieces = [
            "<",
            ">",
            "=",
            "\"",
            "=\"",
            " id",
            " href",
            "\nsrc",
            " data-href",
            "<a",
            "</",
            "<!",
            "< ",
            "x",
            " ",
        ];
        let mut state: u64 = 7;
        for case in 0..20_000 {
            let len = 1 + case % 40;
            let html: String = (0..len)
                .map(|_| {
                    state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
                    pieces[(state >> 33) as usize % pieces.len()]
                })
                .collect();
            assert_eq!(all(&html), by_the_rule(&html), "{html:?}");
        }
    }
}

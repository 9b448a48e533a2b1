//! What a page gives the search index: its terms, each with the best field it appears in,
//! and the short text shown under its title in the results. Words are split and lowercased
//! exactly as the theme's script splits a query (`versus.js`: letters of any script and
//! digits, lowercase first).

use rustc_hash::FxHashSet;

use crate::markdown;

/// Characters of a page's text kept as its excerpt.
const EXCERPT_CHARS: usize = 240;
/// Characters of the text shown under a result's title, at most (then `…`).
const DISPLAY_CHARS: usize = 220;
/// Shortest indexed term, in characters; the script ignores shorter query words (and says
/// so when nothing else is left).
pub(super) const MIN_TERM_CHARS: usize = 2;
/// Shortest of the further words from the rest of the text (`the`, `and` are left out).
const MIN_WORD_CHARS: usize = 4;

/// Where a term appears on a page, best last: its score is the field's weight (see
/// `versus.js`), doubled when the query word is the whole term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Field {
    /// Further words of the text, weight 1.
    Words = 0,
    /// The excerpt (the first words of the text), weight 2.
    Excerpt = 1,
    /// The summary, question, tagline or description, weight 4.
    Summary = 2,
    /// The title, weight 10.
    Title = 3,
}

/// A page's indexed terms, sorted, each once with the best field it appears in: the terms
/// back to back in one string, and where each ends, rather than a string apiece (at 100,000
/// pages the index holds six million, and this way a third of the memory).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Terms {
    text: Box<str>,
    /// Per term, where it ends in `text`, and its field.
    ends: Box<[(u32, Field)]>,
}

impl Terms {
    /// The terms of `sorted` (sorted and each once), kept compactly.
    fn new<S: AsRef<str>>(sorted: &[(S, Field)]) -> Terms {
        let mut text = String::with_capacity(sorted.iter().map(|(t, _)| t.as_ref().len()).sum());
        let mut ends = Vec::with_capacity(sorted.len());
        for (term, field) in sorted {
            text.push_str(term.as_ref());
            // A page's indexed text is a title, a summary and a few hundred words: far
            // below 4 GB.
            ends.push((u32::try_from(text.len()).unwrap_or(u32::MAX), *field));
        }
        Terms {
            text: text.into_boxed_str(),
            ends: ends.into_boxed_slice(),
        }
    }

    /// Each term, in order, with its field.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&str, Field)> + '_ {
        let mut start = 0;
        self.ends.iter().map(move |&(end, field)| {
            let end = (end as usize).min(self.text.len());
            let term = self.text.get(start..end).unwrap_or_default();
            start = end;
            (term, field)
        })
    }
}

#[cfg(test)]
impl<'a> FromIterator<(&'a str, Field)> for Terms {
    /// Sorts the terms first (tests list them in any order).
    fn from_iter<I: IntoIterator<Item = (&'a str, Field)>>(terms: I) -> Terms {
        let mut list: Vec<(&str, Field)> = terms.into_iter().collect();
        list.sort();
        Terms::new(&list)
    }
}

/// The terms of a page and the text shown for it in the results.
pub(super) struct PageText {
    pub terms: Terms,
    pub display: String,
}

/// Bytes of Markdown read first for a page's text, before the further words it needs: most
/// pages find their excerpt and further words in their first paragraphs, and reading only
/// those skips most of the Markdown parsing of a large site's index.
const HEAD_BYTES: usize = 512;
/// Bytes read first per further word wanted.
const HEAD_BYTES_PER_WORD: usize = 24;
/// The most read first: a retry past it would cost nearly as much as reading the whole.
const HEAD_MAX_BYTES: usize = 64 * 1024;

/// Reads a page: `title`, `summary` and the Markdown `body`, keeping at most `further`
/// distinct words of the body past its excerpt.
pub(super) fn page(title: &str, summary: &str, body: &str, further: usize) -> PageText {
    let body = crate::shortcodes::without_calls(body);
    // Twice as much each time the first blocks fall short, up to a cap past which the whole
    // is read: a long body of few distinct words never has enough.
    let mut min_bytes = HEAD_BYTES + further * HEAD_BYTES_PER_WORD;
    while min_bytes <= HEAD_MAX_BYTES {
        let Some(head) = leading_blocks(&body, min_bytes) else {
            break;
        };
        let (page, enough) = read(title, summary, &markdown::to_plain_text(head), further);
        if enough {
            return page;
        }
        min_bytes = head.len() * 2;
    }
    read(title, summary, &markdown::to_plain_text(&body), further).0
}

/// The first blocks of `markdown`, at least `min_bytes` of them, when the text of the rest
/// cannot change theirs: cut at a blank line (no inline markup crosses one, and a block it
/// falls inside, such as fenced code, keeps the same text up to it), and only if no link
/// reference or footnote definition (`]:`) follows, which could turn earlier text into a
/// link. `None` when the whole is short or no such cut exists.
fn leading_blocks(markdown: &str, min_bytes: usize) -> Option<&str> {
    let after = markdown.as_bytes().get(min_bytes..)?;
    let cut = min_bytes + memchr::memmem::find(after, b"\n\n")? + 1;
    let rest = &markdown.as_bytes()[cut..];
    memchr::memmem::find(rest, b"]:")
        .is_none()
        .then(|| &markdown[..cut])
}

/// A page's terms and display text from the plain `text` of its body, or of its first
/// blocks; and whether that text was enough (the same as from the whole body): it is longer
/// than the excerpt and gave all `further` words. Words appear in the same order in the
/// first blocks as in the whole, so a text that is enough gives the same excerpt and the
/// same first further words.
fn read(title: &str, summary: &str, text: &str, further: usize) -> (PageText, bool) {
    let (excerpt, rest) = split_excerpt(text, EXCERPT_CHARS);
    // Each text lowercased once; terms and further words are slices of these copies rather
    // than a string apiece (a page has a few hundred).
    let lower = [title, summary, excerpt].map(lowercase);
    let mut terms: Vec<(&str, Field)> = Vec::new();
    for (text, field) in lower
        .iter()
        .zip([Field::Title, Field::Summary, Field::Excerpt])
    {
        words(text, |word| {
            if word.chars().nth(MIN_TERM_CHARS - 1).is_some() {
                terms.push((word, field));
            }
            true
        });
    }
    // Each word once, with the best field it appears in (sorted best first, then deduped).
    terms.sort_unstable_by(|a, b| a.0.cmp(b.0).then(b.1.cmp(&a.1)));
    terms.dedup_by(|later, kept| later.0 == kept.0);
    let rest = lowercase(rest);
    let mut more = further_words(&rest, &terms, further);
    let enough = !rest.is_empty() && more.len() == further;
    // The further words are new: sorted apart and merged in, rather than sorting all again.
    more.sort_unstable();
    let mut more = more.into_iter().peekable();
    let mut merged = Vec::with_capacity(terms.len() + more.len());
    for term in terms {
        while let Some(word) = more.next_if(|w| *w < term.0) {
            merged.push((word, Field::Words));
        }
        merged.push(term);
    }
    merged.extend(more.map(|w| (w, Field::Words)));
    let shown = if summary.is_empty() { excerpt } else { summary };
    let page = PageText {
        terms: Terms::new(&merged),
        display: for_display(shown, DISPLAY_CHARS),
    };
    (page, enough)
}

/// `text` lowercased as the script lowercases a query: whole, since lowercasing can depend
/// on neighbours and can split a word (`İ` gives `i` and a dot).
fn lowercase(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.to_lowercase()
    }
}

/// Calls `each` with the words of `lower` (already lowercased) in order, until it returns
/// false: runs of letters (any script) and digits, as the script splits a query.
fn words<'t>(lower: &'t str, mut each: impl FnMut(&'t str) -> bool) {
    if lower.is_ascii() {
        // The same split, byte by byte (`char::is_alphanumeric` is this on ASCII).
        let bytes = lower.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            if !bytes[at].is_ascii_alphanumeric() {
                at += 1;
                continue;
            }
            let start = at;
            while at < bytes.len() && bytes[at].is_ascii_alphanumeric() {
                at += 1;
            }
            if !each(&lower[start..at]) {
                return;
            }
        }
        return;
    }
    for word in lower.split(|c: char| !c.is_alphanumeric()) {
        if !word.is_empty() && !each(word) {
            return;
        }
    }
}

/// The text up to the last word boundary within `max` characters, and the rest.
fn split_excerpt(text: &str, max: usize) -> (&str, &str) {
    let Some((cut, _)) = text.char_indices().nth(max) else {
        return (text, "");
    };
    let end = text[..cut].rfind(' ').unwrap_or(cut);
    (text[..end].trim_end(), &text[end..])
}

/// Up to `max` words of `lower` (lowercased) of four characters or more and not only
/// digits, in order of first appearance, that are not in `known` (sorted by word).
fn further_words<'t>(lower: &'t str, known: &[(&str, Field)], max: usize) -> Vec<&'t str> {
    let mut out: Vec<&str> = Vec::new();
    if max == 0 {
        return out;
    }
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    words(lower, |word| {
        let keep = word.chars().nth(MIN_WORD_CHARS - 1).is_some()
            && !word.bytes().all(|b| b.is_ascii_digit())
            && known.binary_search_by(|(w, _)| (*w).cmp(word)).is_err()
            && seen.insert(word);
        if keep {
            out.push(word);
        }
        out.len() < max
    });
    out
}

/// `text` cut to `max` characters at a word boundary, with `…` when cut.
fn for_display(text: &str, max: usize) -> String {
    let Some((cut, _)) = text.char_indices().nth(max) else {
        return text.to_string();
    };
    let head = &text[..cut];
    let head = match head.rfind(char::is_whitespace) {
        Some(space) => head[..space].trim_end(),
        None => head,
    };
    format!("{head}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_end_on_a_word() {
        assert_eq!(split_excerpt("short", 10), ("short", ""));
        assert_eq!(
            split_excerpt("one two three four", 9),
            ("one two", " three four")
        );
    }

    fn all_words(text: &str, stop_after: usize) -> Vec<String> {
        let mut all = Vec::new();
        words(&lowercase(text), |w| {
            all.push(w.to_string());
            all.len() < stop_after
        });
        all
    }

    #[test]
    fn words_are_lowercase_runs_of_letters_and_digits_in_any_script() {
        assert_eq!(
            all_words("Hello, WORLD-42x  _a", 10),
            ["hello", "world", "42x", "a"]
        );
        assert_eq!(all_words("Hello, WORLD-42x", 2), ["hello", "world"]);
        assert_eq!(
            all_words("Ünïcode ÉTOILE, naïve", 10),
            ["ünïcode", "étoile", "naïve"]
        );
        assert_eq!(
            all_words("İx", 10),
            ["i", "x"],
            "lowercased whole, then split"
        );
    }

    #[test]
    fn further_words_are_distinct_capped_and_new() {
        let known = [("gamma", Field::Title)];
        assert_eq!(
            further_words("alpha beta gamma, alpha delta epsilon zeta", &known, 3),
            ["alpha", "beta", "delta"]
        );
        assert_eq!(further_words("2023 12345 word the", &[], 5), ["word"]);
    }

    #[test]
    fn each_term_keeps_its_best_field() {
        let page = page("Django speed", "Fast é", "Speed of Django. Étoile 42", 10);
        let terms: Vec<(&str, Field)> = page.terms.iter().collect();
        assert_eq!(
            terms,
            [
                ("42", Field::Excerpt),
                ("django", Field::Title),
                ("fast", Field::Summary),
                ("of", Field::Excerpt),
                ("speed", Field::Title),
                ("étoile", Field::Excerpt),
            ]
        );
        assert_eq!(page.display, "Fast é");
    }

    /// A body of `paragraphs` paragraphs of distinct words, with `insert` after the first.
    fn long_body(paragraphs: usize, insert: &str) -> String {
        let mut body = String::new();
        for p in 0..paragraphs {
            let words: Vec<String> = (0..12).map(|w| format!("word{p}x{w}")).collect();
            body.push_str(&words.join(" "));
            body.push_str(".\n\n");
            if p == 0 {
                body.push_str(insert);
            }
        }
        body
    }

    #[test]
    fn reading_the_first_blocks_gives_what_the_whole_body_gives() {
        let fence = "```\ncode one\n\n\n".to_string() + &"code line\n\n".repeat(200) + "```\n\n";
        let cases = [
            long_body(200, ""),
            long_body(200, &fence),
            // A definition at the end turns `[the docs][refd]` into a link: the whole is read.
            long_body(200, "See [the docs][refd] and [^note].\n\n")
                + "[refd]: https://example.com\n[^note]: Noted.\n",
            long_body(200, "- item one\n\n- item two\n\n  more of two\n\n"),
            long_body(3, ""),
            "no blank line ".repeat(400),
        ];
        for body in &cases {
            for further in [0, 5, 20, 120, 10_000] {
                let fast = page("Title", "", body, further);
                let whole = read("Title", "", &markdown::to_plain_text(body), further).0;
                assert_eq!(
                    fast.terms, whole.terms,
                    "further {further}, body {body:.80}"
                );
                assert_eq!(fast.display, whole.display);
            }
        }
        assert!(
            page("T", "", &cases[2], 5)
                .terms
                .iter()
                .all(|(t, _)| t != "refd")
        );
    }

    #[test]
    fn first_blocks_end_at_a_blank_line_with_no_definition_after() {
        assert_eq!(leading_blocks("ab\n\ncd\n\nef", 1), Some("ab\n"));
        assert_eq!(leading_blocks("ab\n\ncd\n\nef", 3), Some("ab\n\ncd\n"));
        assert_eq!(leading_blocks("ab\n\ncd\n\nef", 20), None, "shorter");
        assert_eq!(leading_blocks("abcdef", 1), None, "no blank line");
        assert_eq!(
            leading_blocks("ab\n\n[x]: /y", 1),
            None,
            "a definition follows"
        );
    }

    #[test]
    fn display_text_is_the_summary_or_else_the_excerpt_cut_on_a_word() {
        assert_eq!(page("T", "", "Body text.", 0).display, "Body text.");
        assert_eq!(for_display("one two three", 9), "one two…");
        assert_eq!(for_display("one two three", 8), "one two…");
        assert_eq!(for_display("onetwothree", 5), "onetw…");
        assert_eq!(for_display("short", 5), "short");
    }
}

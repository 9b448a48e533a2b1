//! Quotes against archived copies, as pure functions of text: the normalisation DESIGN.md
//! fixes (whitespace and line breaks, typographic quotes, apostrophes and dashes; case kept),
//! finding a quote as whole words in a normalised copy, and the copy's closest passage when
//! it is not there.

/// A claim's quote may have at most this many words (DESIGN.md).
pub(crate) const MAX_WORDS: usize = 30;

/// How many words a quote has.
pub(crate) fn word_count(quote: &str) -> usize {
    quote.split_whitespace().count()
}

/// `text` with every run of whitespace (line breaks, tabs, no-break spaces) made one space
/// and trimmed, curly and other typographic quotes and apostrophes made straight, en and em
/// dashes (and the minus sign) made `-`, the ellipsis `...`, and soft hyphens and zero-width
/// characters removed. Case is kept.
pub(crate) fn normalize(text: &str) -> String {
    if text.is_ascii() {
        normalize_ascii(text)
    } else {
        normalize_chars(text)
    }
}

/// [`normalize`], a character at a time.
fn normalize_chars(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        let mapped: &str = match c {
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{02bc}' => "'",
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{00ab}'
            | '\u{00bb}' => "\"",
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
            | '\u{2212}' => "-",
            '\u{2026}' => "...",
            '\u{00ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' => "",
            c if c.is_whitespace() => {
                space = !out.is_empty();
                continue;
            }
            _ => {
                if space {
                    out.push(' ');
                    space = false;
                }
                out.push(c);
                continue;
            }
        };
        if !mapped.is_empty() && space {
            out.push(' ');
            space = false;
        }
        out.push_str(mapped);
    }
    out
}

/// [`normalize`] for ASCII text, where only whitespace changes: its words joined by single
/// spaces, copied a run at a time rather than a character at a time (an archive of
/// thousands of copies is mostly ASCII).
fn normalize_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // The ASCII characters `char::is_whitespace` accepts: tab, line feed, vertical tab,
    // form feed, carriage return, space.
    let words = text
        .split(['\t', '\n', '\u{b}', '\u{c}', '\r', ' '])
        .filter(|word| !word.is_empty());
    for word in words {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Whether the normalised `quote` occurs in the normalised `copy` as whole words: a match
/// must not start or end inside a word of the copy.
///
/// A lower-case letter followed by a capital counts as a word break: text saved from a web
/// page often glues a table's cells or a heading to the next sentence ("PerformanceIt offers").
pub(crate) fn occurs(copy: &str, quote: &str) -> bool {
    if quote.is_empty() {
        return false;
    }
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let glued = |left: Option<char>, right: Option<char>| {
        word(left)
            && word(right)
            && !(left.is_some_and(char::is_lowercase) && right.is_some_and(char::is_uppercase))
    };
    copy.match_indices(quote).any(|(at, _)| {
        let before = copy[..at].chars().next_back();
        let after = copy[at + quote.len()..].chars().next();
        let first = quote.chars().next();
        let last = quote.chars().next_back();
        !glued(before, first) && !glued(last, after)
    })
}

/// How many of the best word-overlap windows are compared letter by letter.
const CANDIDATES: usize = 12;

/// The passage of the normalised `copy` closest to the normalised `quote`: of the windows of
/// about as many words as the quote, the one most similar to it (normalised Levenshtein
/// similarity, from `strsim`), with its similarity from 0 to 1. Linear in the copy: windows
/// are first ranked by the words they share with the quote, and only the best few are
/// compared in full. `None` for an empty copy or quote.
pub(crate) fn closest(copy: &str, quote: &str) -> Option<(String, f64)> {
    let words: Vec<(usize, &str)> = word_spans(copy);
    let wanted: Vec<String> = quote.split(' ').map(fold).collect();
    if words.is_empty() || wanted.is_empty() || quote.is_empty() {
        return None;
    }
    let width = wanted.len().min(words.len());
    let mut counts: std::collections::HashMap<&str, isize> = std::collections::HashMap::new();
    for w in &wanted {
        *counts.entry(w.as_str()).or_default() += 1;
    }
    let folded: Vec<String> = words.iter().map(|(_, w)| fold(w)).collect();
    // Sliding window: `shared` counts window words matching a quote word still unmatched.
    let mut shared = 0usize;
    let mut scores = Vec::with_capacity(words.len() - width + 1);
    for (i, w) in folded.iter().enumerate() {
        if let Some(n) = counts.get_mut(w.as_str()) {
            *n -= 1;
            shared += usize::from(*n >= 0);
        }
        if i >= width
            && let Some(n) = counts.get_mut(folded[i - width].as_str())
        {
            *n += 1;
            shared -= usize::from(*n > 0);
        }
        if i + 1 >= width {
            scores.push((shared, i + 1 - width));
        }
    }
    scores.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let passage = |start: usize, len: usize| {
        let end = (start + len).min(words.len());
        let (from, _) = words[start];
        let (last, text) = words[end - 1];
        &copy[from..last + text.len()]
    };
    let mut best: Option<(&str, f64)> = None;
    for &(_, start) in scores.iter().take(CANDIDATES) {
        for len in width.saturating_sub(2).max(1)..=width + 2 {
            let text = passage(start, len);
            let score = strsim::normalized_levenshtein(text, quote);
            if best.is_none_or(|(_, b)| score > b) {
                best = Some((text, score));
            }
        }
    }
    best.map(|(text, score)| (text.to_string(), score))
}

/// Each space-separated word of a normalised text with its byte offset.
fn word_spans(text: &str) -> Vec<(usize, &str)> {
    let mut spans = Vec::new();
    let mut offset = 0;
    for word in text.split(' ') {
        if !word.is_empty() {
            spans.push((offset, word));
        }
        offset += word.len() + 1;
    }
    spans
}

/// A word for ranking windows: lower case, without surrounding punctuation.
fn fold(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_text_is_normalised_as_any_other() {
        // Every ASCII character that is whitespace to `char` is whitespace here too.
        for b in 0u8..128 {
            let c = b as char;
            let text = format!(" a{c}{c}b{c}");
            assert_eq!(normalize_ascii(&text), normalize_chars(&text), "byte {b}");
        }
        let text = "  One\ttwo \r\n three\u{b}four\u{c} ";
        assert_eq!(normalize(text), "One two three four");
        assert_eq!(normalize(&format!("{text}\u{a0}")), "One two three four");
    }

    #[test]
    fn normalisation_table() {
        let cases = [
            ("line\nbreaks\r\nand\ttabs", "line breaks and tabs"),
            ("runs   of \u{a0} spaces", "runs of spaces"),
            ("  trimmed  ", "trimmed"),
            (
                "\u{201c}curly\u{201d} and \"straight\"",
                "\"curly\" and \"straight\"",
            ),
            ("it\u{2019}s \u{2018}single\u{2019}", "it's 'single'"),
            ("it's 'single'", "it's 'single'"),
            ("en\u{2013}dash and em\u{2014}dash", "en-dash and em-dash"),
            ("a \u{2014} b", "a - b"),
            ("wait\u{2026}", "wait..."),
            ("soft\u{ad}hyphen zero\u{200b}width", "softhyphen zerowidth"),
            ("Case Is Kept", "Case Is Kept"),
            (
                "\u{201e}German\u{201c} \u{ab}French\u{bb}",
                "\"German\" \"French\"",
            ),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize(input), expected, "{input:?}");
        }
    }

    #[test]
    fn quotes_occur_as_whole_words_with_case_kept() {
        let copy = normalize("Node.js is\nfast \u{2014} it\u{2019}s \u{201c}non-blocking\u{201d}.");
        assert!(occurs(&copy, &normalize("is fast - it's \"non-blocking\"")));
        assert!(occurs(&copy, "Node.js is fast"));
        assert!(!occurs(&copy, "node.js is fast"), "case is kept");
        assert!(!occurs(&copy, "ode.js is"), "not from inside a word");
        assert!(!occurs(&copy, "is fas"), "not ending inside a word");
        assert!(occurs(&copy, "\"non-blocking\"."), "punctuation may touch");
        let glued = normalize("PerformanceIt offers more.NodeJS is fastEnough");
        assert!(
            occurs(&glued, "It offers more."),
            "a capital after a lower-case letter starts a word"
        );
        assert!(
            occurs(&glued, "NodeJS is fast"),
            "and a lower-case letter before a capital ends one"
        );
        assert!(
            !occurs(&glued, "erformanceIt offers"),
            "but not from inside the first word"
        );
        assert!(!occurs(&copy, ""));
    }

    #[test]
    fn the_closest_passage_is_the_misquoted_one() {
        let copy = normalize(
            "Django ships with an admin. Node.js handles many concurrent connections with \
             little memory. Python is readable. The rest is about teams.",
        );
        let (passage, score) = closest(
            &copy,
            "Node.js handles many simultaneous connections with little memory",
        )
        .unwrap();
        assert_eq!(
            passage,
            "Node.js handles many concurrent connections with little memory."
        );
        assert!(score > 0.7 && score < 1.0, "{score}");
        assert_eq!(closest("", "x"), None);
        let (short, _) = closest("one two", "a much longer quote than the copy").unwrap();
        assert_eq!(short, "one two");
    }

    #[test]
    fn closest_finds_a_passage_deep_in_a_long_copy() {
        let copy = "filler words here ".repeat(20_000) + "the needle phrase we want";
        let (passage, _) = closest(&copy, "the needle phrase we wanted").unwrap();
        assert!(passage.contains("needle phrase we want"), "{passage}");
    }

    #[test]
    fn words_are_counted() {
        assert_eq!(word_count("  one two\nthree "), 3);
        assert_eq!(word_count(""), 0);
    }
}

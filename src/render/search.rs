//! `search-index.json`: what the theme's client-side search looks through. One entry per
//! page with its title, URL, summary, a short excerpt and a capped list of further words from
//! its text, so that the file stays small however long the digests are and grows linearly,
//! within a fixed budget, with the number of pages.

use std::collections::HashSet;

use serde::Serialize;

use crate::markdown;
use crate::model::{Body, Site};

/// Characters of a page's text kept as its excerpt.
const EXCERPT_CHARS: usize = 240;
/// Further distinct words kept per page, at most.
const WORDS_PER_PAGE: usize = 120;
/// Further words kept over the whole site, at most: at 10,000 pages each keeps 20.
const WORDS_PER_SITE: usize = 200_000;

#[derive(Serialize)]
struct Entry<'a> {
    /// What the page is: `article`, `criterion`, `subject` or `page`.
    kind: &'static str,
    title: &'a str,
    url: String,
    /// The summary, question, tagline or description.
    summary: &'a str,
    /// The first words of the text.
    excerpt: String,
    /// Distinct lowercase words of the rest of the text, space-separated.
    words: String,
}

struct Source<'a> {
    kind: &'static str,
    title: &'a str,
    url: String,
    summary: &'a str,
    body: &'a Body,
}

/// The index as JSON, with a final newline.
pub fn index_json(site: &Site) -> Vec<u8> {
    let base = &site.config.base_path;
    let mut sources: Vec<Source<'_>> = Vec::new();
    sources.extend(site.articles.iter().map(|a| Source {
        kind: "article",
        title: &a.title,
        url: format!("{base}articles/{}/", a.slug),
        summary: &a.summary,
        body: &a.body,
    }));
    sources.extend(site.criteria.iter().map(|c| Source {
        kind: "criterion",
        title: &c.title,
        url: format!("{base}criteria/{}/", c.id),
        summary: c.question.as_deref().unwrap_or_default(),
        body: &c.body,
    }));
    sources.extend(site.subjects.iter().map(|s| Source {
        kind: "subject",
        title: &s.name,
        url: format!("{base}subjects/{}/", s.id),
        summary: s.tagline.as_deref().unwrap_or_default(),
        body: &s.body,
    }));
    sources.extend(site.sections.iter().chain(&site.pages).map(|p| Source {
        kind: "page",
        title: &p.title,
        url: format!("{base}{}", p.url),
        summary: p.description.as_deref().unwrap_or_default(),
        body: &p.body,
    }));
    let per_page = WORDS_PER_PAGE.min(WORDS_PER_SITE / sources.len().max(1));
    let entries: Vec<Entry<'_>> = sources
        .into_iter()
        .map(|s| {
            let text = markdown::to_plain_text(&s.body.markdown);
            let (excerpt, rest) = split_excerpt(&text, EXCERPT_CHARS);
            let seen = format!("{} {} {excerpt}", s.title, s.summary);
            Entry {
                kind: s.kind,
                title: s.title,
                url: s.url,
                summary: s.summary,
                excerpt: excerpt.to_string(),
                words: distinct_words(rest, &seen, per_page),
            }
        })
        .collect();
    let mut bytes = serde_json::to_vec(&entries).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// The text up to the last word boundary within `max` characters, and the rest.
fn split_excerpt(text: &str, max: usize) -> (&str, &str) {
    let Some((cut, _)) = text.char_indices().nth(max) else {
        return (text, "");
    };
    let end = text[..cut].rfind(' ').unwrap_or(cut);
    (text[..end].trim_end(), &text[end..])
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4 && !w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_lowercase)
}

/// Up to `max` words of `text`, in order of first appearance, that are not in `seen`.
fn distinct_words(text: &str, seen: &str, max: usize) -> String {
    let mut known: HashSet<String> = words(seen).collect();
    let mut out: Vec<String> = Vec::new();
    for word in words(text) {
        if out.len() == max {
            break;
        }
        if known.insert(word.clone()) {
            out.push(word);
        }
    }
    out.join(" ")
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

    #[test]
    fn words_are_distinct_capped_and_new() {
        assert_eq!(
            distinct_words("Alpha beta gamma, alpha delta epsilon zeta", "Gamma", 3),
            "alpha beta delta"
        );
        assert_eq!(distinct_words("2023 12345 word", "", 5), "word");
    }
}

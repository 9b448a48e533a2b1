//! `search-index.json`: what the theme's client-side search looks through. One entry per
//! page with its title, URL, summary, a short excerpt and a capped list of further words from
//! its text, so that the file stays small however long the digests are and grows linearly,
//! within a fixed budget, with the number of pages.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

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

/// The index with each entry serialized on its own, so that an edit to one body re-makes one
/// entry (for `watch` and `serve`).
#[derive(Debug, Clone)]
pub struct Index {
    /// Per entry, what it is made of besides the body, a fingerprint of the body, and its
    /// JSON.
    entries: Vec<(Meta, u64, Vec<u8>)>,
    /// The Markdown file of each entry's body → its position.
    by_source: HashMap<PathBuf, usize>,
    per_page: usize,
}

/// An entry's fields that come from front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Meta {
    kind: &'static str,
    title: String,
    url: String,
    summary: String,
}

impl Index {
    /// Indexes every page of `site`.
    pub fn new(site: &Site) -> Index {
        Index::reusing(site, None)
    }

    /// Indexes every page of `site`, taking from `old` the entries whose page is unchanged.
    pub fn reusing(site: &Site, old: Option<&Index>) -> Index {
        let sources = sources(site);
        let per_page = WORDS_PER_PAGE.min(WORDS_PER_SITE / sources.len().max(1));
        let by_source = sources
            .iter()
            .enumerate()
            .map(|(i, s)| (s.body.source.clone(), i))
            .collect();
        let entries = sources
            .par_iter()
            .map(|s| {
                let meta = Meta {
                    kind: s.kind,
                    title: s.title.to_string(),
                    url: s.url.clone(),
                    summary: s.summary.to_string(),
                };
                let body = super::fingerprint::of(&s.body.markdown);
                let kept = old
                    .filter(|old| old.per_page == per_page)
                    .and_then(|old| old.entries.get(*old.by_source.get(&s.body.source)?))
                    .filter(|(m, b, _)| *m == meta && *b == body);
                let json = match kept {
                    Some((_, _, json)) => json.clone(),
                    None => entry_json(&meta, &s.body.markdown, per_page),
                };
                (meta, body, json)
            })
            .collect();
        Index {
            entries,
            by_source,
            per_page,
        }
    }

    /// The entry of the page whose body is in `source`, made again with `markdown` as its
    /// body: its position and JSON (`None` if that file's body is not indexed).
    /// `None` too when the entry stays the same (most of a long body is not indexed).
    pub fn entry(&self, source: &Path, markdown: &str) -> Option<(usize, Vec<u8>)> {
        let i = *self.by_source.get(source)?;
        let (meta, _, old) = self.entries.get(i)?;
        let json = entry_json(meta, markdown, self.per_page);
        (json != *old).then_some((i, json))
    }

    /// Replaces an entry made by [`Index::entry`], whose body is now `markdown`.
    pub fn set(&mut self, (i, json): (usize, Vec<u8>), markdown: &str) {
        if let Some(entry) = self.entries.get_mut(i) {
            entry.1 = super::fingerprint::of(markdown);
            entry.2 = json;
        }
    }

    /// The JSON file: exactly what serializing every entry at once gives.
    pub fn json(&self) -> Vec<u8> {
        let size: usize = self.entries.iter().map(|(_, _, j)| j.len() + 1).sum();
        let mut bytes = Vec::with_capacity(size + 3);
        bytes.push(b'[');
        for (i, (_, _, json)) in self.entries.iter().enumerate() {
            if i > 0 {
                bytes.push(b',');
            }
            bytes.extend_from_slice(json);
        }
        bytes.extend_from_slice(b"]\n");
        bytes
    }
}

fn sources(site: &Site) -> Vec<Source<'_>> {
    let base = &site.config.base_path;
    let mut sources: Vec<Source<'_>> = Vec::new();
    sources.extend(site.articles.iter().map(|a| Source {
        kind: "article",
        title: &a.title,
        url: format!("{base}{}", a.url_path()),
        summary: &a.summary,
        body: &a.body,
    }));
    sources.extend(site.criteria.iter().map(|c| Source {
        kind: "criterion",
        title: &c.title,
        url: format!("{base}{}", c.url_path()),
        summary: c.question.as_deref().unwrap_or_default(),
        body: &c.body,
    }));
    sources.extend(site.subjects.iter().map(|s| Source {
        kind: "subject",
        title: &s.name,
        url: format!("{base}{}", s.url_path()),
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
    sources
}

fn entry_json(meta: &Meta, markdown: &str, per_page: usize) -> Vec<u8> {
    let text = markdown::to_plain_text(markdown);
    let (excerpt, rest) = split_excerpt(&text, EXCERPT_CHARS);
    let seen = format!("{} {} {excerpt}", meta.title, meta.summary);
    let entry = Entry {
        kind: meta.kind,
        title: &meta.title,
        url: meta.url.clone(),
        summary: &meta.summary,
        excerpt: excerpt.to_string(),
        words: distinct_words(rest, &seen, per_page),
    };
    serde_json::to_vec(&entry).unwrap_or_default()
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
    fn the_index_is_its_entries_serialized_at_once() {
        let meta = |title: &str| Meta {
            kind: "page",
            title: title.into(),
            url: format!("/{title}/"),
            summary: String::new(),
        };
        let body = "Some words here, and more words.";
        let entries: Vec<Entry<'_>> = ["a", "b"]
            .iter()
            .map(|t| Entry {
                kind: "page",
                title: t,
                url: format!("/{t}/"),
                summary: "",
                excerpt: body.into(),
                words: "more".into(),
            })
            .collect();
        let mut expected = serde_json::to_vec(&entries).unwrap();
        expected.push(b'\n');
        let index = Index {
            entries: entries
                .iter()
                .map(|e| (meta(e.title), 0, serde_json::to_vec(e).unwrap()))
                .collect(),
            by_source: HashMap::from([(PathBuf::from("content/b.md"), 1)]),
            per_page: 5,
        };
        assert_eq!(index.json(), expected);
        assert_eq!(
            entry_json(&meta("a"), body, 5),
            serde_json::to_vec(&Entry {
                words: String::new(),
                ..entries.into_iter().next().unwrap()
            })
            .unwrap()
        );

        let mut edited = index.clone();
        let entry = edited.entry(Path::new("content/b.md"), "Other text entirely.");
        edited.set(entry.unwrap(), "Other text entirely.");
        assert!(
            String::from_utf8(edited.json())
                .unwrap()
                .contains("Other text entirely.")
        );
        assert!(index.entry(Path::new("content/_index.md"), "x").is_none());
    }

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

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use text::Field;

/// An index of pages given as (title, summary, body).
fn index(pages: &[(String, String, String)], further: usize) -> Index {
    let pages: Vec<Page> = pages
        .iter()
        .enumerate()
        .map(|(i, (title, summary, body))| {
            let meta = Meta {
                kind: "article",
                title: title.clone(),
                url: format!("/articles/{i}/"),
                summary: summary.clone(),
            };
            Page::new(meta, body, further)
        })
        .collect();
    let sources = by_source(pages.len());
    Index::from_pages(pages, sources, further)
}

fn by_source(n: usize) -> HashMap<PathBuf, usize> {
    (0..n).map(|i| (source(i), i)).collect()
}

fn source(i: usize) -> PathBuf {
    PathBuf::from(format!("content/articles/{i}.md"))
}

fn page(i: usize, body: &str) -> (String, String, String) {
    (
        format!("Django note {i}"),
        if i.is_multiple_of(3) {
            String::new()
        } else {
            format!("Summary número {i}.")
        },
        body.to_string(),
    )
}

/// Shard `n` of `index`: each term with its (page, field) postings, decoded.
fn decoded(index: &Index, n: usize) -> BTreeMap<String, Vec<(usize, u64)>> {
    let shard: BTreeMap<String, Vec<u64>> = serde_json::from_slice(&index.files[n]).unwrap();
    shard
        .into_iter()
        .map(|(term, values)| {
            let mut page = 0;
            let postings = values
                .into_iter()
                .map(|v| {
                    page += (v / 4) as usize;
                    (page, v % 4)
                })
                .collect();
            (term, postings)
        })
        .collect()
}

/// A deterministic body of `words` words drawn from a vocabulary of `vocabulary`, common
/// words far more often than rare ones. Words are syllables, so that they begin with only
/// 75 different pairs of letters (English has several hundred): shards are fuller than
/// with real text.
fn body(seed: usize, words: usize, vocabulary: usize) -> String {
    const CONSONANTS: &[u8] = b"bcdfghklmnprstv";
    const VOWELS: &[u8] = b"aeiou";
    let mut state = seed as u64 * 2_654_435_761 + 1;
    let mut out = String::new();
    for _ in 0..words {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let r = (state >> 33) as usize;
        // Zipf-like: the square of a uniform number favours small ranks.
        let mut rank = (r % 1000) * (r % 1000) * vocabulary / 1_000_000;
        // The rank, scrambled, spelled in syllables of a consonant and a vowel.
        rank = rank.wrapping_mul(2_654_435_761) % 1_000_003;
        for _ in 0..3 {
            out.push(char::from(CONSONANTS[rank % CONSONANTS.len()]));
            rank /= CONSONANTS.len();
            out.push(char::from(VOWELS[rank % VOWELS.len()]));
            rank /= VOWELS.len();
        }
        out.push(' ');
    }
    out
}

#[test]
fn every_term_lands_in_its_shard_and_points_to_its_pages() {
    let pages: Vec<_> = (0..200)
        .map(|i| {
            page(
                i,
                &format!("Text {} about étoiles and {}", body(i, 30, 300), i * 7),
            )
        })
        .collect();
    let index = index(&pages, 20);
    let shards = index.postings.len();
    assert_eq!(shards, shards::count(200));
    let mut seen: BTreeMap<String, Vec<(usize, u64)>> = BTreeMap::new();
    for n in 0..shards {
        for (term, postings) in decoded(&index, n) {
            assert_eq!(shards::of(&term, shards), n, "{term} is in its shard");
            assert!(postings.windows(2).all(|w| w[0].0 < w[1].0), "{term}");
            seen.insert(term, postings);
        }
    }
    let mut expected: BTreeMap<String, Vec<(usize, u64)>> = BTreeMap::new();
    for (i, page) in index.pages.iter().enumerate() {
        for (term, field) in page.terms.iter() {
            expected
                .entry(term.to_string())
                .or_default()
                .push((i, field as u64));
        }
    }
    assert_eq!(seen, expected);
    assert_eq!(
        seen["django"].iter().map(|p| p.1).collect::<BTreeSet<_>>(),
        BTreeSet::from([Field::Title as u64])
    );
    assert_eq!(seen["étoiles"].len(), 200, "letters beyond ASCII are terms");
    assert!(
        seen.keys()
            .all(|t| t.chars().count() >= text::MIN_TERM_CHARS)
    );
}

#[test]
fn chunks_and_the_manifest_describe_every_page() {
    let pages: Vec<_> = (0..25).map(|i| page(i, "Some body text.")).collect();
    let index = index(&pages, 20);
    let files = index.files();
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, layout_paths(25));
    let manifest: serde_json::Value = serde_json::from_slice(&files[0].bytes).unwrap();
    assert_eq!(manifest["pages"], 25);
    assert_eq!(manifest["shards"], 1);
    assert_eq!(manifest["docs"], "search-index/docs-{n}.json");
    let chunk: Vec<serde_json::Value> = serde_json::from_slice(&files[3].bytes).unwrap();
    assert_eq!(files[3].path, "search-index/docs-1.json");
    assert_eq!(chunk.len(), DOCS_PER_CHUNK);
    assert_eq!(chunk[2]["url"], "/articles/6/");
    assert_eq!(chunk[2]["title"], "Django note 6");
    assert_eq!(
        chunk[2]["text"], "Some body text.",
        "the excerpt without a summary"
    );
    assert_eq!(chunk[3]["text"], "Summary número 7.");
    let last: Vec<serde_json::Value> =
        serde_json::from_slice(&files.last().unwrap().bytes).unwrap();
    assert_eq!(last.len(), 1);
}

#[test]
fn files_stay_small_at_a_large_site() {
    // 12,000 pages of 120 words from a vocabulary of 20,000, a few words on every page.
    let pages: Vec<_> = (0..12_000)
        .map(|i| page(i, &body(i, 120, 20_000)))
        .collect();
    let further = WORDS_PER_PAGE.min(WORDS_PER_SITE / pages.len());
    let index = index(&pages, further);
    let files = index.files();
    let largest = |prefix: &str| {
        files
            .iter()
            .filter(|f| f.path.starts_with(prefix))
            .map(|f| f.bytes.len())
            .max()
            .unwrap()
    };
    assert!(files[0].bytes.len() < 400, "the manifest");
    assert!(largest("search-index/docs-") < 1_000, "chunks");
    let shard = largest("search-index/terms-");
    assert!(shard < 64 * 1024, "the largest shard has {shard} bytes");
    // Every page has "django" in its title: the term keeps its first pages only.
    let n = shards::of("django", index.postings.len());
    assert_eq!(
        decoded(&index, n)["django"].len(),
        shards::POSTINGS_PER_TERM
    );
    assert!(
        decoded(&index, n)["django"]
            .iter()
            .enumerate()
            .all(|(i, p)| p.0 == i)
    );
}

#[test]
fn two_indexes_of_the_same_pages_are_byte_identical() {
    let pages: Vec<_> = (0..300).map(|i| page(i, &body(i, 50, 2_000))).collect();
    assert_eq!(index(&pages, 30).files(), index(&pages, 30).files());
}

#[test]
fn an_edit_re_makes_the_files_a_fresh_index_would_and_only_those() {
    let mut pages: Vec<_> = (0..120).map(|i| page(i, &body(i, 40, 500))).collect();
    let mut edited = index(&pages, 30);
    let before = edited.files();
    // Page 3 has no summary: its excerpt shows, and its chunk changes too.
    for (i, text) in [(3, "Brand new zebra words."), (7, "Quokka text.")] {
        pages[i].2 = text.to_string();
    }
    let edits = [3, 7]
        .iter()
        .filter_map(|&i| edited.edit(&source(i), &pages[i].2))
        .collect();
    let changed = edited.apply(edits);
    let fresh = index(&pages, 30).files();
    assert_eq!(edited.files(), fresh);
    let differ: Vec<&str> = before
        .iter()
        .zip(&fresh)
        .filter(|(a, b)| a.bytes != b.bytes)
        .map(|(a, _)| a.path.as_str())
        .collect();
    let changed: Vec<&str> = changed.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(changed, differ);
    assert!(changed.contains(&"search-index/docs-0.json"));
    assert!(
        !changed.contains(&"search-index/docs-1.json"),
        "page 7 has a summary"
    );
    // An edit that changes nothing indexed makes nothing.
    assert!(edited.edit(&source(7), "Quokka text.").is_none());
    assert!(edited.edit(Path::new("content/_index.md"), "x").is_none());
}

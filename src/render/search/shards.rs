//! The inverted index, split into shards by the first characters of each term, and its
//! encoding. A shard is a JSON object from each of its terms to the term's postings: the
//! pages it is on, each with the best field it appears in, sorted by page and delta-coded
//! as `(page - previous page) * 4 + field`, so that common terms cost a few bytes a page.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::text::{Field, Terms};

/// Characters of a term that choose its shard: every term starting with the same two
/// characters is in the same shard, so a query word needs one shard however long it is.
pub(super) const PREFIX_CHARS: usize = 2;
/// Pages kept per term, at most: a term on more pages keeps the best-weighted ones (title
/// before summary before excerpt before further words, then the first pages), so that a shard
/// stays small however many pages share a common word. One-word queries lose nothing (they
/// show the best 30); a query of several common words intersects these lists only.
pub(super) const POSTINGS_PER_TERM: usize = 1000;
/// About how many pages share a shard: the shard count grows with the site, so that shards
/// stay small, up to [`MAX_SHARDS`].
const PAGES_PER_SHARD: usize = 40;
/// Shards at most: a power of two, beyond the number of two-letter beginnings of words that
/// a language has in practice.
const MAX_SHARDS: usize = 512;

/// How many shards an index of `pages` pages has: a power of two, so that adding a few pages
/// seldom changes it.
pub(super) fn count(pages: usize) -> usize {
    pages
        .div_ceil(PAGES_PER_SHARD)
        .next_power_of_two()
        .min(MAX_SHARDS)
}

/// The shard of `term`: FNV-1a (32 bits) over the code points of its first
/// [`PREFIX_CHARS`] characters, modulo `shards`. `versus.js` computes the same.
pub(super) fn of(term: &str, shards: usize) -> usize {
    let mut hash: u32 = 0x811c_9dc5;
    for c in term.chars().take(PREFIX_CHARS) {
        hash = (hash ^ u32::from(c)).wrapping_mul(0x0100_0193);
    }
    hash as usize % shards.max(1)
}

/// One posting: `page * 4 + field`, which sorts by page.
type Posting = u32;

fn posting(page: usize, field: Field) -> Posting {
    // Pages are numbered from the site's pages: far below 2^30.
    (page as u32) << 2 | field as u32
}

/// Every term's postings, by shard, each list sorted by page.
#[derive(Debug, Clone, Default)]
pub(super) struct Postings {
    shards: Vec<BTreeMap<Box<str>, Vec<Posting>>>,
}

impl Postings {
    /// The postings of `pages` (each page's terms), in `shards` shards.
    pub(super) fn new<'a>(pages: impl Iterator<Item = &'a Terms>, shards: usize) -> Postings {
        // A hash map while gathering (most lookups find the term), sorted once at the end.
        let mut all: FxHashMap<&str, Vec<Posting>> = FxHashMap::default();
        for (page, terms) in pages.enumerate() {
            for (term, field) in terms.iter() {
                all.entry(term).or_default().push(posting(page, field));
            }
        }
        let mut by_shard = vec![BTreeMap::new(); shards.max(1)];
        for (term, list) in all {
            by_shard[of(term, shards)].insert(Box::from(term), list);
        }
        Postings { shards: by_shard }
    }

    /// How many shards there are.
    pub(super) fn len(&self) -> usize {
        self.shards.len()
    }

    /// Replaces page `page`'s terms `old` by `new`; returns the shards that changed.
    pub(super) fn replace(&mut self, page: usize, old: &Terms, new: &Terms) -> Vec<usize> {
        let shards = self.shards.len();
        let mut changed = Vec::new();
        let (mut a, mut b) = (old.iter().peekable(), new.iter().peekable());
        loop {
            let (remove, add) = match (a.peek(), b.peek()) {
                (None, None) => break,
                (Some(x), Some(y)) if x.0 == y.0 => (a.next(), b.next()),
                (Some(x), Some(y)) if x.0 < y.0 => (a.next(), None),
                (Some(_), None) => (a.next(), None),
                _ => (None, b.next()),
            };
            if remove.zip(add).is_some_and(|(x, y)| x.1 == y.1) {
                continue;
            }
            let term = remove.or(add).map_or("", |(t, _)| t);
            let shard = of(term, shards);
            let map = &mut self.shards[shard];
            if remove.is_some()
                && let Some(list) = map.get_mut(term)
            {
                if let Ok(at) = list.binary_search_by_key(&page, |p| (p >> 2) as usize) {
                    list.remove(at);
                }
                if list.is_empty() {
                    map.remove(term);
                }
            }
            if let Some((_, field)) = add {
                let list = map.entry(term.into()).or_default();
                let at = list.partition_point(|p| ((p >> 2) as usize) < page);
                list.insert(at, posting(page, field));
            }
            if !changed.contains(&shard) {
                changed.push(shard);
            }
        }
        changed
    }

    /// The JSON file of shard `shard`.
    pub(super) fn json(&self, shard: usize) -> Vec<u8> {
        let map = &self.shards[shard];
        let mut out = Vec::with_capacity(16 + map.len() * 16);
        out.push(b'{');
        for (i, (term, list)) in map.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            // Terms are letters and digits: nothing to escape, but say so through serde.
            let _ = serde_json::to_writer(&mut out, &**term);
            out.extend_from_slice(b":[");
            encode(list, POSTINGS_PER_TERM, &mut out);
            out.push(b']');
        }
        out.extend_from_slice(b"}\n");
        out
    }
}

/// Writes the postings of `list` kept under `cap`, delta-coded, comma-separated.
fn encode(list: &[Posting], cap: usize, out: &mut Vec<u8>) {
    // Which postings a full list keeps: every one of a better field than `level`, and of
    // field `level` the first `room` (by page).
    let (level, mut room) = if list.len() <= cap {
        (0, usize::MAX)
    } else {
        let mut per_field = [0usize; 4];
        for p in list {
            per_field[(p & 3) as usize] += 1;
        }
        let mut above = 0;
        let mut level = 3;
        while level > 0 && above + per_field[level] < cap {
            above += per_field[level];
            level -= 1;
        }
        (level as u32, cap - above)
    };
    let mut previous = 0;
    let mut first = true;
    for p in list {
        let field = p & 3;
        if field < level {
            continue;
        }
        if field == level {
            if room == 0 {
                continue;
            }
            room -= 1;
        }
        if !first {
            out.push(b',');
        }
        first = false;
        let page = p >> 2;
        let value = u64::from(page - previous) * 4 + u64::from(field);
        out.extend_from_slice(value.to_string().as_bytes());
        previous = page;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(list: &[(&str, Field)]) -> Terms {
        list.iter().copied().collect()
    }

    fn encoded(list: &[Posting], cap: usize) -> String {
        let mut out = Vec::new();
        encode(list, cap, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn postings_are_delta_coded_with_their_field() {
        let list = [posting(0, Field::Title), posting(5, Field::Words)];
        assert_eq!(encoded(&list, 10), "3,20");
    }

    #[test]
    fn a_long_list_keeps_its_best_fields_then_its_first_pages() {
        let list: Vec<Posting> = (0..10)
            .map(|page| {
                let field = if page % 3 == 0 {
                    Field::Summary
                } else {
                    Field::Excerpt
                };
                posting(page, field)
            })
            .collect();
        // Summary on pages 0, 3, 6, 9; then the first excerpt pages: 1, 2.
        assert_eq!(encoded(&list, 6), "2,5,5,6,14,14");
        assert_eq!(encoded(&list, 3), "2,14,14");
        assert_eq!(encoded(&list, 10).split(',').count(), 10);
    }

    #[test]
    fn the_shard_count_is_a_growing_power_of_two() {
        assert_eq!(count(0), 1);
        assert_eq!(count(25), 1);
        assert_eq!(count(1_018), 32);
        assert_eq!(count(10_018), 256);
        assert_eq!(count(1_000_000), MAX_SHARDS);
    }

    #[test]
    fn terms_with_the_same_first_characters_share_a_shard() {
        for shards in [1, 2, 32, 512] {
            assert_eq!(of("django", shards), of("dj", shards));
            assert_eq!(of("été", shards), of("ét", shards));
            assert!(of("zebra", shards) < shards);
        }
        // What versus.js's `shardOf` computes for "dj" (checked with Node).
        assert_eq!(of("dj", 1 << 32), 0x5f1c_d35b);
        assert_ne!(of("dj", 512), of("ét", 512));
    }

    #[test]
    fn replacing_a_page_s_terms_moves_only_its_postings() {
        let pages = [
            terms(&[("alpha", Field::Title), ("beta", Field::Words)]),
            terms(&[("alpha", Field::Words), ("gamma", Field::Summary)]),
        ];
        let mut postings = Postings::new(pages.iter(), 4);
        let new = terms(&[("alpha", Field::Excerpt), ("delta", Field::Words)]);
        let mut changed = postings.replace(1, &pages[1], &new);
        changed.sort();
        let mut expected: Vec<usize> = ["alpha", "gamma", "delta"]
            .iter()
            .map(|t| of(t, 4))
            .collect();
        expected.sort();
        expected.dedup();
        assert_eq!(changed, expected);
        let fresh = Postings::new([pages[0].clone(), new].iter(), 4);
        for shard in 0..4 {
            assert_eq!(postings.json(shard), fresh.json(shard), "shard {shard}");
        }
    }
}

//! The external link check's memory between runs: `.versus-cache/external-links.json` at
//! the site root, holding the URLs that answered well and when. A good result is trusted
//! for `[check] cache_hours`; a broken link is never kept, so it is asked again every run.
//! A missing or unreadable cache is an empty one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The cache folder, under the site root.
pub(crate) const DIR: &str = ".versus-cache";
/// The cache file, in [`DIR`].
pub(crate) const FILE: &str = "external-links.json";

/// The format written; a file of another version is ignored.
const VERSION: u32 = 1;

#[derive(Debug, Default, Serialize, Deserialize)]
struct Stored {
    version: u32,
    links: BTreeMap<String, Entry>,
}

/// One good result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    /// Seconds since the Unix epoch.
    checked: u64,
    /// The status it answered with.
    status: u16,
}

/// Good results of earlier runs, and this run's.
#[derive(Debug)]
pub(crate) struct Cache {
    path: PathBuf,
    links: BTreeMap<String, Entry>,
    max_age: u64,
    now: u64,
}

impl Cache {
    /// Reads the cache of the site at `root`, as of `now` (seconds since the epoch),
    /// trusting results younger than `max_age` seconds.
    pub(crate) fn load(root: &Path, max_age: u64, now: u64) -> Cache {
        let path = root.join(DIR).join(FILE);
        let stored: Stored = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .filter(|s: &Stored| s.version == VERSION)
            .unwrap_or_default();
        let mut cache = Cache {
            path,
            links: stored.links,
            max_age,
            now,
        };
        cache.links.retain(|_, e| fresh(e, max_age, now));
        cache
    }

    /// Whether `url` answered well recently enough to be trusted without a request.
    pub(crate) fn is_fresh(&self, url: &str) -> bool {
        self.links.contains_key(url)
    }

    /// Keeps a good result of this run.
    pub(crate) fn record(&mut self, url: &str, status: u16) {
        let entry = Entry {
            checked: self.now,
            status,
        };
        self.links.insert(url.to_string(), entry);
    }

    /// Forgets `url` (it is broken now).
    pub(crate) fn forget(&mut self, url: &str) {
        self.links.remove(url);
    }

    /// Writes the cache (through a temporary file, so a run stopped half-way leaves the old
    /// one whole); results past their age are left out.
    pub(crate) fn save(&self) -> Result<(), String> {
        let links = self
            .links
            .iter()
            .filter(|(_, e)| fresh(e, self.max_age, self.now))
            .map(|(u, e)| (u.clone(), *e))
            .collect();
        let stored = Stored {
            version: VERSION,
            links,
        };
        let fail = |e: std::io::Error| format!("{}: {e}", self.path.display());
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(fail)?;
        let mut text = serde_json::to_string_pretty(&stored).map_err(|e| e.to_string())?;
        text.push('\n');
        let temporary = dir.join(format!(".{FILE}.{}", std::process::id()));
        std::fs::write(&temporary, text).map_err(fail)?;
        std::fs::rename(&temporary, &self.path).map_err(|e| {
            let _ = std::fs::remove_file(&temporary);
            fail(e)
        })
    }
}

fn fresh(entry: &Entry, max_age: u64, now: u64) -> bool {
    entry.checked <= now && now - entry.checked < max_age
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: u64 = 24 * 3600;

    #[test]
    fn good_results_are_kept_for_their_age_and_broken_ones_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = Cache::load(dir.path(), DAY, 1_000_000);
        assert!(!cache.is_fresh("https://a.test/"));
        cache.record("https://a.test/", 200);
        cache.record("https://b.test/", 200);
        cache.forget("https://b.test/");
        cache.save().unwrap();
        assert!(
            dir.path()
                .join(".versus-cache/external-links.json")
                .is_file()
        );
        let later = Cache::load(dir.path(), DAY, 1_000_000 + DAY - 1);
        assert!(later.is_fresh("https://a.test/"));
        assert!(!later.is_fresh("https://b.test/"));
        let too_late = Cache::load(dir.path(), DAY, 1_000_000 + DAY);
        assert!(!too_late.is_fresh("https://a.test/"));
        let clock_back = Cache::load(dir.path(), DAY, 999_999);
        assert!(!clock_back.is_fresh("https://a.test/"));
    }

    #[test]
    fn an_unreadable_cache_is_an_empty_one() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(DIR)).unwrap();
        std::fs::write(dir.path().join(DIR).join(FILE), "{ not json").unwrap();
        let mut cache = Cache::load(dir.path(), DAY, 5);
        assert!(!cache.is_fresh("https://a.test/"));
        cache.record("https://a.test/", 204);
        cache.save().unwrap();
        let text = std::fs::read_to_string(dir.path().join(DIR).join(FILE)).unwrap();
        assert!(text.contains("\"https://a.test/\""), "{text}");
        assert!(Cache::load(dir.path(), DAY, 6).is_fresh("https://a.test/"));
    }
}

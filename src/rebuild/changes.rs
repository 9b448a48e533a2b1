//! What a rebuild is told and what it tells: the changes on disk since the last rebuild,
//! and what one rebuild did.

use std::collections::BTreeSet;
use std::time::Duration;

/// What changed on disk since the last rebuild.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Content files created, modified or deleted, by path under `content/`.
    pub content: BTreeSet<String>,
    /// Folders under `content/` appeared or vanished: read all content again.
    pub rescan: bool,
    /// Templates or static files (of the theme or the site).
    pub theme: bool,
    /// Shortcode templates (`templates/shortcodes/`, of the theme or the site).
    pub shortcodes: bool,
    /// `site.toml`.
    pub config: bool,
    /// Files in the archive folder (the sources' copies that quotes are checked against).
    pub archive: bool,
    /// Page assets (files under `content/` that are not Markdown) created, modified or
    /// deleted, by path under `content/`.
    pub assets: BTreeSet<String>,
}

impl Changes {
    /// Whether nothing relevant changed.
    pub fn is_empty(&self) -> bool {
        self.content.is_empty()
            && self.assets.is_empty()
            && !self.rescan
            && !self.theme
            && !self.shortcodes
            && !self.config
            && !self.archive
    }

    /// Adds another batch of changes.
    pub fn merge(&mut self, other: Changes) {
        self.content.extend(other.content);
        self.rescan |= other.rescan;
        self.theme |= other.theme;
        self.shortcodes |= other.shortcodes;
        self.config |= other.config;
        self.archive |= other.archive;
        self.assets.extend(other.assets);
    }

    /// A short description for the rebuild line: `content/articles/x.md`, `3 content files`,
    /// `site.toml`, `theme`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.config {
            parts.push(crate::config::FILE_NAME.to_string());
        }
        if self.theme {
            parts.push("templates or static files".to_string());
        }
        if self.shortcodes && !self.theme {
            parts.push("shortcode templates".to_string());
        }
        if self.archive {
            parts.push("archived copies".to_string());
        }
        match self.content.len() {
            0 if self.rescan => parts.push("content folders".to_string()),
            0 => {}
            1 => parts.extend(self.content.iter().map(|p| format!("content/{p}"))),
            n => parts.push(format!("{n} content files")),
        }
        match self.assets.len() {
            0 => {}
            1 => parts.extend(self.assets.iter().map(|p| format!("content/{p}"))),
            n => parts.push(format!("{n} page assets")),
        }
        parts.join(", ")
    }
}

/// Whether a changed file under `templates/`, `static/` or `themes/` (`dir`, then the `rest`
/// of its path) is a shortcode template: `templates/shortcodes/…` or
/// `themes/<name>/templates/shortcodes/…`.
pub fn is_shortcode_template(dir: &str, rest: &[String]) -> bool {
    match (dir, rest) {
        ("templates", [sub, _, ..]) => sub == "shortcodes",
        ("themes", [_, templates, sub, _, ..]) => templates == "templates" && sub == "shortcodes",
        _ => false,
    }
}

/// What a rebuild left for [`crate::rebuild::Session::finish`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Deferred {
    /// Nothing: the output is up to date.
    #[default]
    Nothing,
    /// Every generated page and data file but the output paths `done` (made already) may
    /// still change, and the search index unless `search` (updated already).
    AllBut {
        done: std::collections::BTreeSet<String>,
        search: bool,
    },
}

impl Deferred {
    /// Whether the output file at `path` may still change. Pages and data files are told
    /// from static files by their kind (`.html`, `.xml`, `.txt`, `.json`, `.csv`): a static
    /// file of those kinds may be taken for one, and waits for the rest needlessly.
    pub fn waits(&self, path: &str) -> bool {
        match self {
            Deferred::Nothing => false,
            Deferred::AllBut { done, search } => {
                let made =
                    done.contains(path) || (*search && crate::render::search::is_search_path(path));
                !made
                    && [".html", ".xml", ".txt", ".json", ".csv"]
                        .iter()
                        .any(|kind| path.ends_with(kind))
            }
        }
    }
}

/// What one rebuild did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebuilt {
    /// What changed, from [`Changes::describe`].
    pub changed: String,
    /// HTML pages in the site.
    pub pages: usize,
    /// Pages and files rendered by this rebuild.
    pub rendered: usize,
    /// Output paths whose bytes changed or that are new.
    pub updated: Vec<String>,
    /// Output paths that no longer exist.
    pub removed: Vec<String>,
    /// What the next [`crate::rebuild::Session::finish`] makes.
    pub deferred: Deferred,
    /// Wall time.
    pub elapsed: Duration,
}

impl std::fmt::Display for Rebuilt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::build::count;
        write!(
            f,
            "rebuilt after {} in {:.1} ms: rendered {} again; {} changed, {} removed; \
             the site has {}",
            if self.changed.is_empty() {
                "a change"
            } else {
                &self.changed
            },
            self.elapsed.as_secs_f64() * 1000.0,
            count(self.rendered, "file", "files"),
            count(self.updated.len(), "output file", "output files"),
            self.removed.len(),
            count(self.pages, "page", "pages"),
        )?;
        if self.deferred != Deferred::Nothing {
            write!(f, "; the other pages follow")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_changes() {
        let mut c = Changes::default();
        assert!(c.is_empty());
        c.content.insert("articles/a.md".into());
        assert_eq!(c.describe(), "content/articles/a.md");
        c.content.insert("articles/b.md".into());
        c.config = true;
        assert_eq!(c.describe(), "site.toml, 2 content files");
        c.assets.insert("guides/setup/diagram.png".into());
        assert_eq!(
            c.describe(),
            "site.toml, 2 content files, content/guides/setup/diagram.png"
        );
        c.assets.insert("guides/setup/chart.png".into());
        assert_eq!(c.describe(), "site.toml, 2 content files, 2 page assets");
        let mut only = Changes::default();
        only.merge(Changes {
            assets: c.assets.clone(),
            ..Changes::default()
        });
        assert!(!only.is_empty());
    }

    #[test]
    fn what_waits_for_the_rest_of_a_rebuild() {
        let done = ["articles/a/index.html".to_string()].into();
        let rest = Deferred::AllBut { done, search: true };
        for path in [
            "index.html",
            "criteria/x/page/2/index.html",
            "matrix.json",
            "atom.xml",
        ] {
            assert!(rest.waits(path), "{path}");
            assert!(!Deferred::Nothing.waits(path), "{path}");
        }
        for path in [
            "articles/a/index.html",
            "style.css",
            "search-index.json",
            "search-index/terms-3.json",
        ] {
            assert!(!rest.waits(path), "{path}");
        }
        let all = Deferred::AllBut {
            done: Default::default(),
            search: false,
        };
        assert!(all.waits("search-index.json") && all.waits("articles/a/index.html"));
    }
}

//! The one table of what the build generates besides the pages of content files: which
//! paths, what makes each, and whether it reads Markdown bodies. Validation keeps content
//! out of these paths, rendering makes them, rebuilding tells from it which files a body
//! edit leaves alone.

/// What makes a generated file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Maker {
    /// The theme's template of the same name.
    Template,
    /// An empty file (`.nojekyll`: GitHub Pages serves the site as it is).
    Empty,
    /// The criteria matrix as JSON.
    MatrixJson,
    /// The criteria matrix as CSV.
    MatrixCsv,
    /// The reader's weighting dataset (`render::weighting`), which the home page reads from
    /// this file when it is too large to be inline.
    Weighting,
    /// The search index's manifest, with its shards and chunks under [`GENERATED_DIRS`]
    /// (only when `search_index` is on).
    SearchIndex,
    /// `CNAME`, from `cname` in `site.toml` (only when it is set).
    Cname,
}

/// One generated file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generated {
    /// Its path in the output folder.
    pub path: &'static str,
    /// What makes it.
    pub maker: Maker,
    /// Whether it reads Markdown bodies other than through a template (a template shows
    /// bodies only as its code does, which `theme::scan` reads).
    pub reads_bodies: bool,
}

const fn file(path: &'static str, maker: Maker, reads_bodies: bool) -> Generated {
    Generated {
        path,
        maker,
        reads_bodies,
    }
}

/// Every generated file, in the order the build makes them.
pub const GENERATED: &[Generated] = &[
    file("404.html", Maker::Template, false),
    file("atom.xml", Maker::Template, false),
    file("sitemap.xml", Maker::Template, false),
    file("robots.txt", Maker::Template, false),
    file(".nojekyll", Maker::Empty, false),
    file("matrix.json", Maker::MatrixJson, false),
    file("matrix.csv", Maker::MatrixCsv, false),
    file("weighting.json", Maker::Weighting, false),
    file("search-index.json", Maker::SearchIndex, true),
    file("CNAME", Maker::Cname, false),
];

/// Folders the build fills with files of its own (the search index's shards and chunks, as
/// many as the site needs); no page may be in them.
pub const GENERATED_DIRS: &[&str] = &["search-index/"];

/// Pages the theme renders from no content file (the search page); no content may take them.
pub const GENERATED_PAGES: &[&str] = &["search/"];

/// The generated files made from data rather than templates that read no Markdown body: a
/// body edit leaves them alone.
pub fn body_free(path: &str) -> bool {
    GENERATED
        .iter()
        .any(|g| g.path == path && g.maker != Maker::Template && !g.reads_bodies)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_files_that_read_no_body_are_body_free() {
        for path in [
            ".nojekyll",
            "matrix.json",
            "matrix.csv",
            "weighting.json",
            "CNAME",
        ] {
            assert!(body_free(path), "{path}");
        }
        for path in ["search-index.json", "atom.xml", "404.html", "index.html"] {
            assert!(!body_free(path), "{path}");
        }
    }

    #[test]
    fn paths_are_distinct() {
        let mut paths: Vec<&str> = GENERATED.iter().map(|g| g.path).collect();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(paths.len(), GENERATED.len());
    }
}

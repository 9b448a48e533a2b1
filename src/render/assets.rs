//! Page assets and static files as targets of links: what `@/` reaches besides pages, and
//! the paths the link checker knows the build copies.

use std::collections::HashMap;

use crate::model::Site;
use crate::theme::Theme;

/// Adds to `pages` (content path → URL path, for `@/` links) every other way to name a page
/// and every file the build copies:
/// - a page by its folder's `index.md` (`@/guides/setup/index.md`) as well as by
///   `<path>.md`, so that links survive turning a page into a folder and back (both files at
///   once are an error);
/// - a page asset by its path under `content/` (`@/guides/setup/diagram.png`);
/// - a static file by its path under `static/` (`@/img/logo.svg`), where no content file
///   has that path.
pub(crate) fn add_link_targets(pages: &mut HashMap<String, String>, site: &Site, theme: &Theme) {
    let folders: Vec<(String, String)> = pages
        .iter()
        .filter_map(|(rel, url)| {
            let stem = rel.strip_suffix(".md")?;
            let named = !stem.is_empty() && stem != "_index" && !stem.ends_with("/_index");
            named.then(|| (format!("{stem}/index.md"), url.clone()))
        })
        .collect();
    pages.extend(folders);
    for path in site.assets.keys().chain(theme.assets.keys()) {
        pages.entry(path.clone()).or_insert_with(|| path.clone());
    }
}

/// The output paths of the page assets.
pub(crate) fn paths(site: &Site) -> impl Iterator<Item = &str> {
    site.assets.keys().map(String::as_str)
}

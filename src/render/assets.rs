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

/// Adds a hint to a broken relative link from a plain page to a file that sits beside the
/// page's Markdown file: `![x](shot.png)` on `content/guides/setup.md` looks for
/// `/guides/setup/shot.png`, while `content/guides/shot.png` is published at
/// `/guides/shot.png`.
pub(crate) fn with_hints(
    errors: Vec<crate::error::Diagnostic>,
    site: &Site,
) -> Vec<crate::error::Diagnostic> {
    const MISSING: &str = ": no page or file is built at /";
    errors
        .into_iter()
        .map(|mut d| {
            let Some((_, target)) = d.message.split_once(MISSING) else {
                return d;
            };
            let Some((folder, name)) = target.rsplit_once('/') else {
                return d;
            };
            let beside = match folder.rsplit_once('/') {
                Some((parent, _)) => format!("{parent}/{name}"),
                None => name.to_string(),
            };
            let plain_page = d.path.extension().is_some_and(|x| x == "md")
                && d.path
                    .file_name()
                    .is_some_and(|n| n != "index.md" && n != "_index.md");
            if plain_page && site.assets.contains_key(&beside) {
                d.message.push_str(&format!(
                    " (content/{beside} sits beside this page's file, so it is at /{beside}: \
                     link it as `../{name}` or `@/{beside}`, or make the page a folder, \
                     content/{}/index.md)",
                    folder
                ));
            }
            d
        })
        .collect()
}

//! The redirect pages of `aliases`: one small HTML file per old path, sending readers and
//! crawlers on to the page (a meta refresh, a canonical link, a plain link, and `noindex`).
//! They are data files: no template, not in the sitemap, the feed or the search index.

use html_escape::{encode_double_quoted_attribute as attribute, encode_text as text};

use crate::model::Site;
use crate::model::aliases::Alias;
use crate::output::OutputFile;

/// The output path of every redirect page.
pub(crate) fn paths(site: &Site) -> impl Iterator<Item = String> + '_ {
    site.aliases.iter().map(|a| a.path.clone())
}

/// Every redirect page.
pub(crate) fn files(site: &Site) -> impl Iterator<Item = OutputFile> + '_ {
    site.aliases.iter().map(|a| OutputFile {
        path: a.path.clone(),
        bytes: page(site, a).into_bytes(),
    })
}

/// Whether `path` is the output path of a redirect page of `site`.
pub(crate) fn is_alias(site: &Site, path: &str) -> bool {
    site.aliases.iter().any(|a| a.path == path)
}

/// The redirect page of `alias`.
fn page(site: &Site, alias: &Alias) -> String {
    let url = format!("{}{}", site.config.base_url, alias.to);
    let title = title_of(site, &alias.to).unwrap_or(&site.config.title);
    let moved = format!("This page has moved to {title}.");
    let description = attribute(&moved);
    let (url, title) = (attribute(&url), text(title));
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Moved: {title}</title>\n<meta name=\"robots\" content=\"noindex\">\n\
         <meta name=\"description\" content=\"{description}\">\n\
         <link rel=\"canonical\" href=\"{url}\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n\
         <main><p>This page has moved to <a href=\"{url}\">{title}</a>.</p></main>\n</body>\n</html>\n",
        lang = attribute(&site.config.language),
    )
}

/// The title of the page at `url` (relative to the base path).
fn title_of<'s>(site: &'s Site, url: &str) -> Option<&'s str> {
    if url.is_empty() {
        return Some(&site.home.title);
    }
    let pages = site.pages.iter().chain(&site.sections);
    let page = pages
        .chain(site.list_intros.values())
        .find(|p| p.url == url)
        .map(|p| p.title.as_str());
    page.or_else(|| {
        let subject = site.subjects.iter().find(|s| s.url_path() == url);
        let criterion = site.criteria.iter().find(|c| c.url_path() == url);
        let article = site.articles.iter().find(|a| a.url_path() == url);
        subject
            .map(|s| s.name.as_str())
            .or(criterion.map(|c| c.title.as_str()))
            .or(article.map(|a| a.title.as_str()))
    })
}

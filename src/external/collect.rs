//! Finding the site's external links: every `http(s)` URL in the Markdown body of every
//! content file (links, images and raw HTML), in digests' `url` and `archive_url` and
//! subjects' `homepage`, each with the file and position it is written at; and those the
//! templates write into the rendered pages, with the first page that has them.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;

use pulldown_cmark::{Event, Parser, Tag};

use crate::content::{Content, Document};
use crate::error::{Locator, Position};

/// Where an external link is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    /// The content file (`content/articles/x.md`), or the generated page
    /// (`output/articles/x/index.html`) for a link only a template writes.
    pub file: PathBuf,
    /// Line and column in a content file.
    pub position: Option<Position>,
    /// For a generated page: how many other pages have the link too.
    pub also_on: Option<usize>,
}

/// Every external link of a site: the URL requested (the link without its `#fragment`) →
/// where it is written, in file order.
pub(crate) type Links = BTreeMap<String, Vec<Place>>;

/// Whether `url` is one the external check requests: `http://` or `https://`, any case.
pub(crate) fn is_external(url: &str) -> bool {
    let lower = |n: usize| url.get(..n).map(str::to_ascii_lowercase);
    lower(7).as_deref() == Some("http://") || lower(8).as_deref() == Some("https://")
}

/// The URL as requested: without its `#fragment`, which never reaches the server.
pub(crate) fn request_url(url: &str) -> &str {
    url.split_once('#').map_or(url, |(u, _)| u).trim()
}

/// Adds every external link written in the content files of `content` to `links`.
pub(crate) fn from_content(content: &Content, links: &mut Links) {
    let mut add = |url: &str, place: Place| {
        if is_external(url) {
            links
                .entry(request_url(url).to_string())
                .or_default()
                .push(place);
        }
    };
    for d in &content.articles {
        for key in ["url", "archive_url"] {
            let value = match key {
                "url" => d.raw.url.as_deref(),
                _ => d.raw.archive_url.as_deref(),
            };
            if let Some(url) = value {
                add(url, front_matter_place(d, key));
            }
        }
        from_markdown(d, &mut add);
    }
    for d in &content.subjects {
        if let Some(url) = d.raw.homepage.as_deref() {
            add(url, front_matter_place(d, "homepage"));
        }
        from_markdown(d, &mut add);
    }
    for d in &content.criteria {
        from_markdown(d, &mut add);
    }
    for d in content.page_documents() {
        from_markdown(d, &mut add);
    }
}

/// Where the front-matter key `key` of `d` is.
fn front_matter_place<T>(d: &Document<T>, key: &str) -> Place {
    let located = d.error_at(&[key], "");
    Place {
        file: located.path,
        position: located.line.map(|line| Position {
            line,
            column: located.column.unwrap_or(1),
        }),
        also_on: None,
    }
}

/// The external links of one body, parsed as the renderer parses it.
fn from_markdown<T>(d: &Document<T>, add: &mut impl FnMut(&str, Place)) {
    let body = d.body();
    let mut locator = Locator::new(body, d.body_line);
    let mut place = |offset: usize| Place {
        file: d.file.display.clone(),
        position: Some(locator.locate(offset)),
        also_on: None,
    };
    for (event, range) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                add(&dest_url, place(range.start));
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                for href in crate::render::links::hrefs(&html) {
                    add(&href, place(range.start));
                }
            }
            _ => {}
        }
    }
}

/// External links of the rendered pages, gathered while they are rendered in parallel:
/// URL → the first page (in path order) that has it, and on how many pages it is.
#[derive(Debug, Default)]
pub(crate) struct Generated(Mutex<BTreeMap<String, (String, usize)>>);

impl Generated {
    /// Notes the external links of one page (`path` under the output folder).
    pub(crate) fn page(&self, path: &str, html: &str) {
        let mut urls: Vec<String> = crate::render::links::hrefs(html)
            .into_iter()
            .filter(|h| is_external(h))
            .map(|h| request_url(&h).to_string())
            .collect();
        urls.sort_unstable();
        urls.dedup();
        let Ok(mut seen) = self.0.lock() else { return };
        for url in urls {
            let entry = seen.entry(url).or_insert_with(|| (path.to_string(), 0));
            if path < entry.0.as_str() {
                entry.0 = path.to_string();
            }
            entry.1 += 1;
        }
    }

    /// Adds the links no content file writes to `links`, placed on their first page.
    pub(crate) fn add_to(self, links: &mut Links) {
        let seen = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        for (url, (page, pages)) in seen {
            links.entry(url).or_insert_with(|| {
                vec![Place {
                    file: PathBuf::from("output").join(page),
                    position: None,
                    also_on: Some(pages - 1),
                }]
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::SourceFile;

    fn content(files: &[(&str, &str)]) -> Content {
        let files = files
            .iter()
            .map(|(rel, text)| SourceFile {
                display: PathBuf::from("content").join(rel),
                rel: rel.to_string(),
                text: (*text).into(),
            })
            .collect();
        let (content, errors) = crate::content::parse(files);
        assert!(errors.is_empty(), "{errors:?}");
        content
    }

    fn positions(links: &Links, url: &str) -> Vec<String> {
        links[url]
            .iter()
            .map(|p| match p.position {
                Some(pos) => format!("{}:{}:{}", p.file.display(), pos.line, pos.column),
                None => p.file.display().to_string(),
            })
            .collect()
    }

    #[test]
    fn finds_links_with_their_positions_in_every_kind() {
        let article = "+++\ntitle = \"A\"\npublisher = \"P\"\nurl = \"https://a.test/post\"\n\
                       summary = \"S.\"\nleaning = \"tie\"\n+++\nSee [it](https://b.test/x#part) \
                       and ![img](http://c.test/i.png).\n\n<a href=\"https://d.test/\">raw</a>\n\n\
                       `https://not.a.link/` and [inside](/articles/) and [mail](mailto:x@y.z)\n";
        let content = content(&[
            ("articles/a.md", article),
            (
                "subjects/s.md",
                "+++\nname = \"S\"\nhomepage = \"https://s.test/\"\n+++\n",
            ),
            (
                "criteria/c.md",
                "+++\ntitle = \"C\"\n+++\n\n[again](HTTPS://b.test/x)\n",
            ),
            (
                "guide/p.md",
                "+++\ntitle = \"P\"\n+++\n[b](https://b.test/x)\n",
            ),
        ]);
        let mut links = Links::new();
        from_content(&content, &mut links);
        let urls: Vec<&str> = links.keys().map(String::as_str).collect();
        assert_eq!(
            urls,
            [
                "HTTPS://b.test/x",
                "http://c.test/i.png",
                "https://a.test/post",
                "https://b.test/x",
                "https://d.test/",
                "https://s.test/"
            ]
        );
        assert_eq!(
            positions(&links, "https://a.test/post"),
            ["content/articles/a.md:4:7"]
        );
        assert_eq!(
            positions(&links, "https://b.test/x"),
            ["content/articles/a.md:8:5", "content/guide/p.md:4:1"]
        );
        assert_eq!(
            positions(&links, "http://c.test/i.png"),
            ["content/articles/a.md:8:37"]
        );
        assert_eq!(
            positions(&links, "https://d.test/"),
            ["content/articles/a.md:10:1"]
        );
        assert_eq!(
            positions(&links, "HTTPS://b.test/x"),
            ["content/criteria/c.md:5:1"]
        );
        assert_eq!(
            positions(&links, "https://s.test/"),
            ["content/subjects/s.md:3:12"]
        );
    }

    #[test]
    fn template_links_keep_their_first_page_unless_content_has_them() {
        let generated = Generated::default();
        generated.page(
            "b/index.html",
            r#"<a href="https://t.test/">t</a><a href="https://c.test/">c</a>"#,
        );
        generated.page(
            "a/index.html",
            r#"<link href="https://t.test/#x"><a href="/x/">in</a>"#,
        );
        let mut links = Links::new();
        links.insert(
            "https://c.test/".into(),
            vec![Place {
                file: "content/x.md".into(),
                position: None,
                also_on: None,
            }],
        );
        generated.add_to(&mut links);
        assert_eq!(links.len(), 2);
        assert_eq!(
            links["https://c.test/"][0].file,
            PathBuf::from("content/x.md")
        );
        let t = &links["https://t.test/"][0];
        assert_eq!(
            (t.file.to_str(), t.also_on),
            (Some("output/a/index.html"), Some(1))
        );
    }

    #[test]
    fn only_http_and_https_are_external() {
        assert!(is_external("https://a.b/") && is_external("HTTP://a.b"));
        assert!(!is_external("mailto:x@y") && !is_external("/x/") && !is_external("ftp://a"));
        assert!(!is_external("http:") && !is_external("héllo"));
        assert_eq!(request_url("https://a.b/c#d"), "https://a.b/c");
    }
}

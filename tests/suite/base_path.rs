//! Hosting under a project subpath (`https://user.github.io/repo/`) and at a root domain:
//! every internal URL of every HTML, XML and text file of the output starts with the base
//! path and reaches a file that the build wrote. This is the CI-runnable version of serving
//! the output under `/demo/` and crawling it.

use std::fs;
use std::path::{Path, PathBuf};

use versus::build::{self, Mode, Options};

const REPO_SITE: &str = env!("CARGO_MANIFEST_DIR");
const GOOD_FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/good");

/// Builds `root` with `base_url` into a temporary folder.
fn build(root: &Path, base_url: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let output = tmp.path().join("output");
    let options = Options {
        root: root.into(),
        output: Some(output.clone()),
        base_url: Some(base_url.into()),
        mode: Mode::Build,
        evidence: Default::default(),
        drafts: false,
    };
    build::run(&options).unwrap_or_else(|e| panic!("build of {} failed:\n{e}", root.display()));
    (tmp, output)
}

/// A URL found in a file of the output.
#[derive(Debug)]
struct Found {
    file: String,
    url: String,
}

/// Values of `attr="…"` in markup, entity-decoded.
fn attributes(text: &str, attr: &str) -> Vec<String> {
    let marker = format!("{attr}=\"");
    text.match_indices(&marker)
        .filter(|(i, _)| {
            // A whole attribute name: preceded by whitespace.
            text[..*i].ends_with(|c: char| c.is_ascii_whitespace())
        })
        .filter_map(|(i, _)| {
            let start = i + marker.len();
            text[start..]
                .find('"')
                .map(|end| text[start..start + end].replace("&amp;", "&"))
        })
        .collect()
}

/// Text between `<tag>` and `</tag>`.
fn elements(text: &str, tag: &str) -> Vec<String> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    text.match_indices(&open)
        .filter_map(|(i, _)| {
            let start = i + open.len();
            text[start..]
                .find(&close)
                .map(|end| text[start..start + end].trim().replace("&amp;", "&"))
        })
        .collect()
}

/// Every URL a browser, feed reader or crawler would follow, per output file.
fn urls(output: &Path) -> Vec<Found> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(output).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        let rel = path
            .strip_prefix(output)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if !entry.file_type().is_file() || !["html", "xml", "txt"].contains(&ext) {
            continue;
        }
        let text = fs::read_to_string(path).unwrap();
        let mut add = |url: String| {
            found.push(Found {
                file: rel.clone(),
                url,
            })
        };
        for attr in ["href", "src", "action", "content"] {
            for url in attributes(&text, attr) {
                // `content` holds URLs only in some meta tags (og:url, og:image).
                if attr != "content" || url.contains("://") {
                    add(url);
                }
            }
        }
        for url in attributes(&text, "srcset") {
            for candidate in url.split(',') {
                if let Some(u) = candidate.split_whitespace().next() {
                    add(u.to_string());
                }
            }
        }
        for tag in ["loc", "id"] {
            for url in elements(&text, tag) {
                if url.contains("://") {
                    add(url);
                }
            }
        }
        for line in text.lines() {
            if let Some(url) = line.strip_prefix("Sitemap:") {
                add(url.trim().to_string());
            }
        }
    }
    found
}

/// Checks every internal URL of the output; returns one line per problem.
fn problems(output: &Path, base_url: &str) -> Vec<String> {
    let (origin, base_path) = split_origin(base_url);
    let mut problems = Vec::new();
    let all = urls(output);
    assert!(all.len() > 20, "too few URLs found: {all:?}");
    for Found { file, url } in all {
        let page = format!("{base_path}{file}");
        let path = match resolve(&url, &page, origin) {
            Resolved::External | Resolved::Fragment => continue,
            Resolved::Path(path) => path,
        };
        if file.ends_with(".xml") || file == "robots.txt" {
            // Feeds and sitemaps are read out of context: their URLs must be absolute.
            if !url.starts_with(base_url) {
                problems.push(format!(
                    "{file}: `{url}` is not an absolute URL under {base_url}"
                ));
            }
        } else if file == "404.html" && !url.starts_with('/') && !url.starts_with(origin) {
            // 404.html is served at any depth: relative URLs would resolve differently.
            problems.push(format!(
                "{file}: `{url}` is relative, so it breaks below the root"
            ));
        }
        let Some(inside) = path.strip_prefix(base_path) else {
            problems.push(format!(
                "{file}: `{url}` is outside the base path {base_path}"
            ));
            continue;
        };
        if !exists(output, inside) {
            problems.push(format!("{file}: `{url}` reaches no file of the output"));
        }
    }
    problems
}

enum Resolved {
    External,
    Fragment,
    Path(String),
}

/// The path part of an internal URL, resolved against the URL path of the page it is on
/// (`/repo/a/b/index.html`).
fn resolve(url: &str, page: &str, origin: &str) -> Resolved {
    let url = url.split('#').next().unwrap_or_default();
    let url = url.split('?').next().unwrap_or_default();
    if url.is_empty() {
        return Resolved::Fragment;
    }
    if let Some(rest) = url.strip_prefix(origin) {
        return Resolved::Path(format!("/{}", rest.trim_start_matches('/')));
    }
    if url.starts_with("//") || url.contains(':') {
        return Resolved::External;
    }
    if url.starts_with('/') {
        return Resolved::Path(url.to_string());
    }
    // Relative: against the page's folder.
    let mut parts: Vec<&str> = page.split('/').filter(|s| !s.is_empty()).collect();
    parts.pop();
    for segment in url.split('/') {
        match segment {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let trailing = if url.ends_with('/') { "/" } else { "" };
    Resolved::Path(format!("/{}{trailing}", parts.join("/")))
}

/// `https://host:port/repo/` → (`https://host:port`, `/repo/`).
fn split_origin(base_url: &str) -> (&str, &str) {
    let after_scheme = base_url.find("://").map_or(0, |i| i + 3);
    let slash = base_url[after_scheme..]
        .find('/')
        .map_or(base_url.len(), |i| after_scheme + i);
    (&base_url[..slash], &base_url[slash..])
}

/// Whether a URL path under the base is served, the way GitHub Pages serves it.
fn exists(output: &Path, inside: &str) -> bool {
    let file = output.join(inside);
    if inside.is_empty() || inside.ends_with('/') {
        return file.join("index.html").is_file();
    }
    file.is_file() || file.join("index.html").is_file() || file.with_extension("html").is_file()
}

fn assert_clean(root: &str, base_url: &str) {
    let (_tmp, output) = build(Path::new(root), base_url);
    let problems = problems(&output, base_url);
    assert!(
        problems.is_empty(),
        "{} problem(s) building {root} for {base_url}:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(output.join(".nojekyll").is_file());
    assert!(output.join("404.html").is_file());
}

#[test]
fn repository_site_works_under_a_project_subpath() {
    assert_clean(REPO_SITE, "https://example.github.io/demo/");
}

#[test]
fn repository_site_works_at_a_root_domain() {
    assert_clean(REPO_SITE, "http://127.0.0.1:8000/");
}

#[test]
fn nested_sections_work_under_a_subpath_and_at_the_root() {
    assert_clean(GOOD_FIXTURE, "https://example.github.io/demo/");
    assert_clean(GOOD_FIXTURE, "https://example.org/");
}

#[test]
fn base_url_without_trailing_slash_is_the_same_site() {
    // actions/configure-pages reports `https://user.github.io/repo`, with no trailing slash.
    let (_a, with) = build(Path::new(REPO_SITE), "https://example.github.io/demo/");
    let (_b, without) = build(Path::new(REPO_SITE), "https://example.github.io/demo");
    let index = |out: &Path| fs::read_to_string(out.join("index.html")).unwrap();
    assert_eq!(index(&with), index(&without));
    assert!(index(&with).contains("href=\"/demo/style.css\""));
}

#[test]
fn a_new_site_from_init_works_under_a_subpath() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    versus::init::create(&root, &versus::init::Scaffold::default()).unwrap();
    assert_clean(root.to_str().unwrap(), "https://example.github.io/demo/");
}

#[test]
fn the_checker_catches_links_that_break_under_a_subpath() {
    let output = tempfile::tempdir().unwrap();
    let out = output.path();
    fs::create_dir_all(out.join("a")).unwrap();
    let page = r##"<a href="/style.css">x</a><a href="../b/">y</a><a href="../../c/">c</a>
        <a href="/demo/a/">z</a><a href="./">s</a>
        <a href="https://elsewhere.example/">e</a><a href="#top">t</a>"##;
    fs::write(out.join("a/index.html"), page.repeat(8)).unwrap();
    let problems = problems(out, "https://example.github.io/demo/");
    let text = problems.join("\n");
    assert!(
        text.contains("`/style.css` is outside the base path"),
        "{text}"
    );
    assert!(text.contains("`../b/` reaches no file"), "{text}");
    assert!(
        text.contains("`../../c/` is outside the base path"),
        "{text}"
    );
    assert!(
        !text.contains("/demo/a/") && !text.contains("`./`"),
        "{text}"
    );
    assert!(!text.contains("elsewhere"), "{text}");
}

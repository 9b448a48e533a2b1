//! The code paths the fuzz targets drive (`fuzz/fuzz_targets/*.rs` include this file), shared
//! with `tests/suite/fuzz_regressions.rs` so that every input that once broke something goes
//! through exactly what found it. Each function takes raw bytes, must never panic, and
//! panics itself when the library breaks one of the invariants checked here.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use versus::content::frontmatter::{self, Format};
use versus::content::raw::{Date, RawArticle, RawCriterion, RawPage, RawSubject};
use versus::content::{self, SourceFile, yaml_guard};
use versus::error::Position;
use versus::markdown::{self, LinkContext};
use versus::model::Body;

/// What a run of one harness concluded, for the regression test to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The input is not UTF-8 (content files must be): nothing to do.
    NotText,
    /// The library accepted the input.
    Accepted,
    /// The library refused the input with an error.
    Refused,
}

/// The site configuration used when an input brings none.
pub const DEFAULT_SITE_TOML: &str = "title = \"Fuzz\"\nbase_url = \"https://example.com/repo/\"\n";

fn text(data: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(data).ok()?;
    Some(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// A position must name a line and a column that exist in `text` (which starts on
/// `first_line`), or the end of it. YAML also ends lines at a lone `\r`, as editors do, so a
/// position is valid when it is under either way of counting lines.
fn check_position(what: &str, position: Option<Position>, text: &str, first_line: usize) {
    let Some(p) = position else { return };
    let by_lf: Vec<&str> = text.split('\n').collect();
    let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
    let by_any: Vec<&str> = normalized.split('\n').collect();
    let fits = |lines: &[&str]| {
        p.line >= first_line
            && lines
                .get(p.line - first_line)
                .is_some_and(|line| p.column >= 1 && p.column <= line.chars().count() + 1)
    };
    assert!(
        fits(&by_lf) || fits(&by_any),
        "{what}: line {} column {} is not in the text (lines {first_line}..{})",
        p.line,
        p.column,
        first_line + by_lf.len().max(by_any.len())
    );
}

/// Front matter: splitting, deserializing into every raw struct, locating keys, `site.toml`,
/// and whole documents at every kind of content path.
pub fn frontmatter(data: &[u8]) -> Outcome {
    let Some(text) = text(data) else {
        return Outcome::NotText;
    };
    let outcome = match frontmatter::split(text) {
        Ok(split) => {
            check_split(text, &split);
            let front = &split.front;
            let mut located = Vec::new();
            let article = parse_checked::<RawArticle>(front);
            if let Some(article) = &article {
                if let Some(date) = article.published {
                    check_date(date);
                }
                for criterion in article.claims.keys() {
                    located.push(frontmatter::locate(
                        front,
                        &["claims", criterion.as_str(), "favors"],
                    ));
                }
                located.push(frontmatter::locate(front, &["leaning"]));
            }
            let subject = parse_checked::<RawSubject>(front);
            let criterion = parse_checked::<RawCriterion>(front);
            let page = parse_checked::<RawPage>(front);
            located.push(frontmatter::locate(front, &["title"]));
            located.push(frontmatter::locate(front, &["claims", "x"]));
            for position in located {
                check_position("locate", position, front.text, front.first_line);
            }
            if article.is_some() || subject.is_some() || criterion.is_some() || page.is_some() {
                Outcome::Accepted
            } else {
                Outcome::Refused
            }
        }
        Err(e) => {
            check_position("split", e.position, text, 1);
            Outcome::Refused
        }
    };
    if let Err(d) = versus::config::parse(text) {
        check_position(
            "site.toml",
            d.line.map(|line| Position {
                line,
                column: d.column.unwrap_or(1),
            }),
            text,
            1,
        );
    }
    let files = [
        "_index.md",
        "subjects/a.md",
        "criteria/a.md",
        "articles/a.md",
        "articles/_index.md",
        "guide/_index.md",
        "guide/page.md",
    ]
    .map(|rel| SourceFile {
        display: PathBuf::from(format!("content/{rel}")),
        rel: rel.to_string(),
        text: text.into(),
    });
    let (_, errors) = content::parse(files.to_vec());
    for d in &errors {
        assert!(
            !d.message.is_empty(),
            "an empty error message for {}",
            d.path.display()
        );
        if let Some(line) = d.line {
            let position = Position {
                line,
                column: d.column.unwrap_or(1),
            };
            check_position("document", Some(position), text, 1);
        }
    }
    outcome
}

fn check_split(text: &str, split: &frontmatter::Split<'_>) {
    let base = text.as_ptr() as usize;
    let front_start = split.front.text.as_ptr() as usize - base;
    let body_start = split.body.as_ptr() as usize - base;
    assert!(front_start + split.front.text.len() <= body_start);
    assert_eq!(
        body_start + split.body.len(),
        text.len(),
        "the body ends the file"
    );
    if !split.body.is_empty() {
        let lines_before_body = text[..body_start].matches('\n').count();
        assert_eq!(split.body_line, lines_before_body + 1, "body_line");
    }
    assert!(matches!(split.front.format, Format::Toml | Format::Yaml));
}

fn parse_checked<T: serde::de::DeserializeOwned>(
    front: &frontmatter::FrontMatter<'_>,
) -> Option<T> {
    match frontmatter::parse::<T>(front) {
        Ok(value) => Some(value),
        Err(e) => {
            assert!(!e.message.is_empty(), "an empty error message");
            check_position("parse", e.position, front.text, front.first_line);
            None
        }
    }
}

/// A date that parses prints back as the same text.
fn check_date(date: Date) {
    let printed = date.to_string();
    assert_eq!(Date::parse(&printed), Some(date), "{printed}");
}

/// YAML front matter with anchors and aliases: the guard of `content::yaml_guard`, then the
/// deserializers, on the same text. No panic; every error at a real position; what the guard
/// lets through expands, as a YAML value, to a size linear in the text (the alias budget
/// holds); the guard refuses only for its three reasons (syntax is the deserializer's).
pub fn yaml_aliases(data: &[u8]) -> Outcome {
    let Some(text) = text(data) else {
        return Outcome::NotText;
    };
    // Front matter as `split` cuts it: whole lines, the closing `---` on the next.
    let text = if text.is_empty() || text.ends_with('\n') {
        text.to_string()
    } else {
        format!("{text}\n")
    };
    let text = text.as_str();
    let front = frontmatter::FrontMatter {
        format: Format::Yaml,
        text,
        first_line: 2,
    };
    if let Err(e) = yaml_guard::check(&front) {
        check_position("guard", e.position, text, 2);
        let known = [
            "YAML nested more than",
            "YAML aliases expand",
            "duplicate key",
        ];
        assert!(
            known.iter().any(|k| e.message.starts_with(k)),
            "the guard refuses for an unknown reason: {}",
            e.message
        );
        return Outcome::Refused;
    }
    if let Ok(value) = serde_norway::from_str::<serde_norway::Value>(text) {
        let size = expanded_size(&value);
        let bound = 4 * text.len() as u64 + yaml_guard::MAX_ALIAS_EXPANSION + 16;
        assert!(
            size <= bound,
            "aliases expand {} bytes to {size}",
            text.len()
        );
    }
    let article = parse_checked::<RawArticle>(&front);
    let subject = parse_checked::<RawSubject>(&front);
    let page = parse_checked::<RawPage>(&front);
    if article.is_some() || subject.is_some() || page.is_some() {
        Outcome::Accepted
    } else {
        Outcome::Refused
    }
}

/// The size of a YAML value with every alias written out: a string's bytes and one for each
/// node, as the guard counts it.
fn expanded_size(value: &serde_norway::Value) -> u64 {
    use serde_norway::Value;
    match value {
        Value::String(s) => s.len() as u64 + 1,
        Value::Sequence(items) => 1 + items.iter().map(expanded_size).sum::<u64>(),
        Value::Mapping(map) => {
            1 + map
                .iter()
                .map(|(k, v)| expanded_size(k) + expanded_size(v))
                .sum::<u64>()
        }
        Value::Tagged(tagged) => expanded_size(&tagged.value),
        Value::Null | Value::Bool(_) | Value::Number(_) => 1,
    }
}

/// Pages the Markdown may link to with `@/`.
fn link_context(base_path: &str) -> LinkContext {
    let pages: HashMap<String, String> = [
        ("_index.md", ""),
        ("articles/a.md", "articles/a/"),
        ("criteria/speed.md", "criteria/speed/"),
        ("subjects/x.md", "subjects/x/"),
        ("guide/_index.md", "guide/"),
        ("guide/page.md", "guide/page/"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    LinkContext {
        base_path: base_path.to_string(),
        pages,
        ..Default::default()
    }
}

/// Markdown rendering with `@/` link resolution, the table of contents and plain text, at
/// the root and under a base path.
pub fn markdown_links(data: &[u8]) -> Outcome {
    let Some(text) = text(data) else {
        return Outcome::NotText;
    };
    let body = Body {
        markdown: text.to_string(),
        source: PathBuf::from("content/fuzz.md"),
        first_line: 3,
    };
    let mut outcome = Outcome::Accepted;
    for base in ["/", "/repo/"] {
        match markdown::render(&body, &link_context(base)) {
            Ok(rendered) => {
                let mut ids = HashSet::new();
                for heading in &rendered.toc {
                    assert!((1..=6).contains(&heading.level));
                    assert!(!heading.id.is_empty(), "an empty heading id");
                    assert!(
                        ids.insert(heading.id.as_str()),
                        "duplicate id {}",
                        heading.id
                    );
                }
                for link in &rendered.links {
                    check_position("link", Some(link.position), text, 3);
                    if link.written.starts_with("@/") {
                        assert!(
                            link.href.starts_with(base),
                            "{} -> {}",
                            link.written,
                            link.href
                        );
                    }
                }
            }
            Err(errors) => {
                assert!(!errors.is_empty());
                for d in &errors {
                    assert!(d.message.contains("broken link"), "{d}");
                    let position = d.line.map(|line| Position {
                        line,
                        column: d.column.unwrap_or(1),
                    });
                    check_position("broken link", position, text, 3);
                }
                outcome = Outcome::Refused;
            }
        }
    }
    markdown::to_plain_text(text);
    assert!(!markdown::slugify(text).is_empty());
    outcome
}

/// Cuts an input into a whole site: the text up to the first line starting with `=== ` is
/// `site.toml` (the default one when blank), and each such line starts a content file whose
/// path under `content/` is the rest of the line.
pub fn site_files(text: &str) -> (String, Vec<SourceFile>) {
    let mut parts = text.split("\n=== ");
    let head = parts.next().unwrap_or_default();
    let (site_toml, first) = match head.strip_prefix("=== ") {
        Some(first) => (String::new(), Some(first)),
        None => (head.to_string(), None),
    };
    let site_toml = if site_toml.trim().is_empty() {
        DEFAULT_SITE_TOML.to_string()
    } else {
        site_toml
    };
    let mut files: Vec<SourceFile> = Vec::new();
    for part in first.into_iter().chain(parts) {
        let (rel, text) = part.split_once('\n').unwrap_or((part, ""));
        let rel = rel.trim_end_matches('\r').to_string();
        // Two files cannot share a path on disk: the later one replaces the earlier.
        files.retain(|f| f.rel != rel);
        // As `content::read_one` does, the byte-order mark goes.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        files.push(SourceFile {
            display: PathBuf::from(format!("content/{rel}")),
            rel,
            text: text.into(),
        });
    }
    // `content::read_all` hands files over in path order.
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    (site_toml, files)
}

/// A whole build from the files of [`site_files`], in memory with the built-in theme.
pub fn site_build(data: &[u8]) -> Outcome {
    let Some(text) = text(data) else {
        return Outcome::NotText;
    };
    let (site_toml, files) = site_files(text);
    match versus::build::render_in_memory(&site_toml, files) {
        Ok(output) => {
            let mut previous: Option<&str> = None;
            for file in &output.files {
                let path = file.path.as_str();
                assert!(
                    !path.is_empty()
                        && !path.starts_with('/')
                        && !path.contains(['\\', '\0'])
                        && path
                            .split('/')
                            .all(|s| !s.is_empty() && s != "." && s != ".."),
                    "unsafe output path {path:?}"
                );
                assert!(
                    previous.is_none_or(|p| p < path),
                    "output not sorted at {path}"
                );
                previous = Some(path);
            }
            assert!(output.pages <= output.files.len());
            let matrix = output
                .files
                .iter()
                .find(|f| f.path == "matrix.json")
                .expect("matrix.json");
            serde_json::from_slice::<serde_json::Value>(&matrix.bytes).expect("valid matrix.json");
            for file in output.files.iter().filter(|f| f.path.ends_with(".xml")) {
                let xml = std::str::from_utf8(&file.bytes).expect("XML in UTF-8");
                if let Err(e) = roxmltree::Document::parse(xml) {
                    panic!("{} is not well-formed XML: {e}", file.path);
                }
            }
            Outcome::Accepted
        }
        Err(e) => {
            assert!(!e.to_string().trim().is_empty(), "an empty error");
            Outcome::Refused
        }
    }
}

//! Content loading: walks `content/`, reads every Markdown file, splits and deserializes its
//! front matter into the raw structs of [`raw`]. The only module that reads content files.

pub mod assets;
pub mod frontmatter;
mod kind;
pub mod raw;
pub mod yaml_events;
pub mod yaml_guard;

use std::path::{Path, PathBuf};

use crate::error::Diagnostic;
use crate::fs::{display_path, read_text};
use frontmatter::{FrontMatter, Split};
pub use kind::{Collection, Kind, classify};
use raw::{RawArticle, RawCriterion, RawPage, RawSubject};
use serde::de::DeserializeOwned;

/// One Markdown file as read from disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path to show users, e.g. `content/articles/x.md`.
    pub display: PathBuf,
    /// The path under `content/`, with `/` separators, e.g. `articles/x.md`.
    pub rel: String,
    /// The text, BOM removed.
    pub text: std::sync::Arc<str>,
}

#[cfg(test)]
impl SourceFile {
    /// The file `content/<rel>` holding `text`, for tests.
    pub(crate) fn in_content(rel: &str, text: &str) -> SourceFile {
        SourceFile {
            display: format!("content/{rel}").into(),
            rel: rel.into(),
            text: text.into(),
        }
    }
}

/// Reads every `.md` file under `content_dir`, in a stable order, and lists every other file
/// there: the page assets ([`assets`]). `display_root` is what paths are shown relative to.
/// Returns the files read, the assets, and an error for every file that could not be read,
/// so that one bad file does not hide the others' problems. Folders are walked as `static/`
/// is (links followed, hidden and backup names skipped, anything but files and folders an
/// error).
pub fn read_all(
    content_dir: &Path,
    display_root: &Path,
) -> (Vec<SourceFile>, assets::Assets, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let mut paths = Vec::new();
    let mut found = assets::Assets::new();
    for (rel, path) in
        crate::fs::copyable_files_where(content_dir, display_root, &mut errors, |rel| {
            !rel.ends_with(".md")
        })
    {
        if rel.ends_with(".md") {
            paths.push(path);
        } else {
            found.insert(rel, path);
        }
    }
    // Reading many small files is mostly waiting on system calls: in parallel.
    use rayon::prelude::*;
    let read: Vec<_> = paths
        .par_iter()
        .map(|path| read_one(path, content_dir, display_root))
        .collect();
    let mut files = Vec::with_capacity(read.len());
    for result in read {
        match result {
            Ok(file) => files.push(file),
            Err(d) => errors.push(d),
        }
    }
    (files, found, errors)
}

/// Reads one content file.
pub fn read_one(
    path: &Path,
    content_dir: &Path,
    display_root: &Path,
) -> Result<SourceFile, Diagnostic> {
    let display = display_path(path, display_root);
    let text = read_text(path, &display)?;
    let rel = path
        .strip_prefix(content_dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    Ok(SourceFile {
        display,
        rel,
        text: text.into(),
    })
}

/// A content file with its front matter deserialized into `T`.
#[derive(Debug, Clone)]
pub struct Document<T> {
    /// The file it came from.
    pub file: SourceFile,
    /// The id, slug or path the file's location gives it.
    pub id: String,
    /// The front matter.
    pub raw: T,
    /// Where the front matter is in `file.text`, for positioning later errors.
    front: (frontmatter::Format, std::ops::Range<usize>),
    /// Where the body is in `file.text`.
    body: std::ops::Range<usize>,
    /// The file line of the body's first line.
    pub body_line: usize,
}

impl<T> Document<T> {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.file.text[self.body.clone()]
    }

    /// The front matter, for locating keys.
    pub fn front_matter(&self) -> FrontMatter<'_> {
        FrontMatter {
            format: self.front.0,
            text: &self.file.text[self.front.1.clone()],
            first_line: 2,
        }
    }

    /// A diagnostic on this file positioned at the key `path` of its front matter.
    pub fn error_at(&self, path: &[&str], message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(&self.file.display, message)
            .at_position(frontmatter::locate(&self.front_matter(), path))
    }

    /// A diagnostic on this file positioned at item `index` of the front-matter list `key`.
    pub fn error_at_item(&self, key: &str, index: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(&self.file.display, message).at_position(frontmatter::locate_item(
            &self.front_matter(),
            key,
            index,
        ))
    }
}

impl Content {
    /// The documents that are pages: the home page, the list intros, sections and free pages.
    pub(crate) fn page_documents(&self) -> impl Iterator<Item = &Document<RawPage>> {
        self.home
            .iter()
            .chain(self.list_intros.iter().map(|(_, d)| d))
            .chain(&self.sections)
            .chain(&self.pages)
    }
}

/// Every content file of a site, sorted into kinds and deserialized.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// `_index.md`, when present.
    pub home: Option<Document<RawPage>>,
    /// `subjects/*.md`.
    pub subjects: Vec<Document<RawSubject>>,
    /// `criteria/*.md`.
    pub criteria: Vec<Document<RawCriterion>>,
    /// `articles/*.md`.
    pub articles: Vec<Document<RawArticle>>,
    /// `<collection>/_index.md`.
    pub list_intros: Vec<(Collection, Document<RawPage>)>,
    /// `<dir>/_index.md`.
    pub sections: Vec<Document<RawPage>>,
    /// Every other page.
    pub pages: Vec<Document<RawPage>>,
    /// Every file under `content/` that is not Markdown, published at its path.
    pub assets: assets::Assets,
    /// Ids of subjects and criteria whose files exist, even if they failed to parse, so that
    /// one bad file does not make every claim on it an error too.
    pub known_ids: KnownIds,
}

/// Ids known from file names alone.
#[derive(Debug, Clone, Default)]
pub struct KnownIds {
    /// Subject ids.
    pub subjects: Vec<String>,
    /// Criterion ids.
    pub criteria: Vec<String>,
}

/// Classifies and deserializes every file; returns the documents and every error found.
pub fn parse(files: Vec<SourceFile>) -> (Content, Vec<Diagnostic>) {
    use rayon::prelude::*;
    // Deserializing is the costly part and each file stands alone: in parallel, then sorted
    // into kinds in the files' order.
    let parsed: Vec<ParsedFile> = files.into_par_iter().map(parse_file).collect();
    assemble(parsed)
}

/// One content file, classified and deserialized on its own (see [`assemble`]).
#[derive(Debug, Clone)]
pub struct ParsedFile {
    kind: Result<Kind, String>,
    parsed: Result<Parsed, Diagnostic>,
    display: PathBuf,
}

/// Classifies and deserializes one file.
pub fn parse_file(file: SourceFile) -> ParsedFile {
    let display = file.display.clone();
    let kind = classify(&file.rel);
    let parsed = match &kind {
        Ok(kind) => parse_one(kind.clone(), file),
        Err(_) => Err(Diagnostic::new(&display, String::new())),
    };
    ParsedFile {
        kind,
        parsed,
        display,
    }
}

impl ParsedFile {
    /// The article this file is, when it is one and parsed without error.
    pub fn article(&self) -> Option<&Document<raw::RawArticle>> {
        match &self.parsed {
            Ok(Parsed::Article(d)) => Some(d),
            _ => None,
        }
    }
}

/// Sorts parsed files into a [`Content`], in the order given; returns every error found.
pub fn assemble(files: impl IntoIterator<Item = ParsedFile>) -> (Content, Vec<Diagnostic>) {
    let files = files.into_iter();
    let mut content = Content::default();
    // Most files are digests: room for all at once, rather than moving them as the list grows.
    content.articles.reserve(files.size_hint().0);
    let mut errors = Vec::new();
    let mut owners = std::collections::HashMap::new();
    for file in files {
        let kind = match file.kind {
            Ok(kind) => kind,
            Err(message) => {
                errors.push(Diagnostic::new(&file.display, message));
                continue;
            }
        };
        // `<path>.md` and `<path>/index.md` are the same page.
        if let Some(other) = owners.insert(kind.clone(), file.display.clone()) {
            errors.push(assets::both_forms(&other, &file.display));
            continue;
        }
        match &kind {
            Kind::Subject(id) => content.known_ids.subjects.push(id.clone()),
            Kind::Criterion(id) => content.known_ids.criteria.push(id.clone()),
            _ => {}
        }
        match file.parsed {
            Ok(parsed) => add(&mut content, parsed),
            Err(d) => errors.push(d),
        }
    }
    (content, errors)
}

/// One deserialized file, by kind.
#[derive(Debug, Clone)]
enum Parsed {
    Home(Document<RawPage>),
    Subject(Document<RawSubject>),
    Criterion(Document<RawCriterion>),
    Article(Document<RawArticle>),
    ListIntro(Collection, Document<RawPage>),
    Section(Document<RawPage>),
    Page(Document<RawPage>),
}

fn parse_one(kind: Kind, file: SourceFile) -> Result<Parsed, Diagnostic> {
    Ok(match kind {
        Kind::Home => Parsed::Home(document(file, String::new())?),
        Kind::Subject(id) => Parsed::Subject(document(file, id)?),
        Kind::Criterion(id) => Parsed::Criterion(document(file, id)?),
        Kind::Article(id) => Parsed::Article(document(file, id)?),
        Kind::ListIntro(c) => Parsed::ListIntro(c, document(file, c.dir().into())?),
        Kind::Section(dir) => Parsed::Section(document(file, dir)?),
        Kind::Page(path) => Parsed::Page(document(file, path)?),
    })
}

fn add(content: &mut Content, parsed: Parsed) {
    match parsed {
        Parsed::Home(d) => content.home = Some(d),
        Parsed::Subject(d) => content.subjects.push(d),
        Parsed::Criterion(d) => content.criteria.push(d),
        Parsed::Article(d) => content.articles.push(d),
        Parsed::ListIntro(c, d) => content.list_intros.push((c, d)),
        Parsed::Section(d) => content.sections.push(d),
        Parsed::Page(d) => content.pages.push(d),
    }
}

/// Splits and deserializes one file.
pub fn document<T: DeserializeOwned>(
    file: SourceFile,
    id: String,
) -> Result<Document<T>, Diagnostic> {
    let located = |e: frontmatter::FrontMatterError| {
        Diagnostic::new(&file.display, e.message.clone()).at_position(e.position)
    };
    let split: Split<'_> = frontmatter::split(&file.text).map_err(located)?;
    let raw = frontmatter::parse(&split.front).map_err(located)?;
    let base = file.text.as_ptr() as usize;
    let front_start = split.front.text.as_ptr() as usize - base;
    let body_start = split.body.as_ptr() as usize - base;
    let front = (
        split.front.format,
        front_start..front_start + split.front.text.len(),
    );
    let body = body_start..body_start + split.body.len();
    let body_line = split.body_line;
    Ok(Document {
        id,
        raw,
        front,
        body,
        body_line,
        file,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_location() {
        assert_eq!(classify("_index.md"), Ok(Kind::Home));
        assert_eq!(
            classify("subjects/django.md"),
            Ok(Kind::Subject("django".into()))
        );
        assert_eq!(
            classify("criteria/performance.md"),
            Ok(Kind::Criterion("performance".into()))
        );
        assert_eq!(classify("articles/a-b.md"), Ok(Kind::Article("a-b".into())));
        assert_eq!(
            classify("articles/_index.md"),
            Ok(Kind::ListIntro(Collection::Articles))
        );
        assert_eq!(
            classify("guide/_index.md"),
            Ok(Kind::Section("guide".into()))
        );
        assert_eq!(
            classify("guide/deep/x.md"),
            Ok(Kind::Page("guide/deep/x".into()))
        );
        assert_eq!(classify("about.md"), Ok(Kind::Page("about".into())));
        assert_eq!(classify("über.md"), Ok(Kind::Page("über".into())));
    }

    #[test]
    fn rejects_nested_collections_and_bad_names() {
        assert!(classify("articles/x/y.md").unwrap_err().contains("flat"));
        assert!(classify("a b.md").is_err());
        for reserved in ["subjects/tie.md", "subjects/depends.md"] {
            let e = classify(reserved).unwrap_err();
            assert!(e.contains("cannot be a subject id"), "{e}");
        }
        assert_eq!(
            classify("criteria/tie.md"),
            Ok(Kind::Criterion("tie".into()))
        );
        assert!(classify("-x.md").is_err());
        assert!(classify("x/%2e.md").is_err());
    }

    #[test]
    fn parse_collects_errors_and_keeps_ids_of_bad_files() {
        let file = SourceFile::in_content;
        let (content, errors) = parse(vec![
            file("criteria/speed.md", "+++\ntitel = \"x\"\n+++\n"),
            file("subjects/a.md", "+++\nname = \"A\"\n+++\nBody"),
        ]);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, Some(2));
        assert_eq!(content.known_ids.criteria, vec!["speed"]);
        assert_eq!(content.subjects[0].body(), "Body");
        assert_eq!(content.subjects[0].body_line, 4);
    }
}

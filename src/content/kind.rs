//! What a content file is (home, subject, criterion, digest, list intro, section or page),
//! decided by where it sits under `content/`, and the ids its path may give.

use super::assets;

/// What a content file is, decided by where it sits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `_index.md`: the home page.
    Home,
    /// `subjects/<id>.md`.
    Subject(String),
    /// `criteria/<id>.md`.
    Criterion(String),
    /// `articles/<slug>.md`.
    Article(String),
    /// `subjects/_index.md`, `criteria/_index.md` or `articles/_index.md`: the intro of a
    /// generated list page.
    ListIntro(Collection),
    /// `<dir>/_index.md`: a section listing the pages below it; holds `<dir>`.
    Section(String),
    /// Any other `<path>.md`; holds `<path>`.
    Page(String),
}

/// The three kinds of typed content, each with its own folder and list page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Collection {
    /// `subjects/`.
    Subjects,
    /// `criteria/`.
    Criteria,
    /// `articles/`.
    Articles,
}

impl Collection {
    /// All collections, in the order they appear in navigation.
    pub const ALL: [Collection; 3] = [
        Collection::Articles,
        Collection::Criteria,
        Collection::Subjects,
    ];

    /// The folder name under `content/` and the URL segment.
    pub fn dir(self) -> &'static str {
        match self {
            Collection::Subjects => "subjects",
            Collection::Criteria => "criteria",
            Collection::Articles => "articles",
        }
    }

    fn from_dir(dir: &str) -> Option<Collection> {
        Collection::ALL.into_iter().find(|c| c.dir() == dir)
    }
}

/// Verdicts that are not subjects: a subject with one of these ids could not be told apart
/// from them in a claim, a leaning or `matrix.json`'s tally.
const RESERVED_VERDICTS: [&str; 2] = ["tie", "depends"];

/// Decides what a file is from its path under `content/`. A page folder's `index.md` is
/// the page the folder names (`guides/setup/index.md` is `guides/setup`, and
/// `articles/<slug>/index.md` the digest `<slug>`), for every kind.
pub fn classify(rel: &str) -> Result<Kind, String> {
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    let stem = assets::page_of_folder(stem)?;
    if stem == "_index" {
        return Ok(Kind::Home);
    }
    if let Some((dir, name)) = stem.split_once('/')
        && let Some(collection) = Collection::from_dir(dir)
    {
        if name == "_index" {
            return Ok(Kind::ListIntro(collection));
        }
        if name.contains('/') {
            return Err(format!(
                "{} are flat: move this file to content/{}/<id>.md (or \
                 content/{}/<id>/index.md, with its assets beside it)",
                collection.dir(),
                collection.dir(),
                collection.dir()
            ));
        }
        check_id(name)?;
        if collection == Collection::Subjects && RESERVED_VERDICTS.contains(&name) {
            return Err(format!(
                "`{name}` cannot be a subject id: `tie` and `depends` are the verdicts that \
                 favor no subject; rename the file"
            ));
        }
        let id = name.to_string();
        return Ok(match collection {
            Collection::Subjects => Kind::Subject(id),
            Collection::Criteria => Kind::Criterion(id),
            Collection::Articles => Kind::Article(id),
        });
    }
    for segment in stem.split('/') {
        if segment != "_index" {
            check_id(segment)?;
        }
    }
    Ok(match stem.strip_suffix("/_index") {
        Some(dir) => Kind::Section(dir.to_string()),
        None => Kind::Page(stem.to_string()),
    })
}

/// Ids and path segments become URLs and folder names: letters, digits, `-`, `_` and `.`
/// only, not starting with `.` or `-`.
fn check_id(id: &str) -> Result<(), String> {
    let valid = id
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if valid {
        Ok(())
    } else {
        Err(format!(
            "`{id}` cannot be used in a URL: name files with letters, digits, `-`, `_` and `.` only"
        ))
    }
}

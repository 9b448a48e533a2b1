//! `versus init DIR`: scaffolds a new comparison site that builds at once. Owns the scaffold's
//! files (embedded from `src/init/scaffold/`) and refuses to write into a non-empty folder.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The scaffold workflow's placeholder for the versus repository on GitHub (`owner/name`).
/// It stays in the workflow when the repository is unknown: `<` is not allowed in a GitHub
/// name, so the workflow fails on it instead of fetching someone else's action.
const REPOSITORY_PLACEHOLDER: &str = "<owner>/versus";
/// The scaffold workflow's placeholder for the versus version, in `uses: ...@v<version>`.
const VERSION_PLACEHOLDER: &str = "<version>";

/// The workflow's path in a site, which also names the file in [`Scaffold::files`].
pub const WORKFLOW_PATH: &str = ".github/workflows/pages.yml";

/// Every file of a new site, as `(path under the site folder, text)`, in writing order.
const FILES: &[(&str, &str)] = &[
    ("site.toml", include_str!("init/scaffold/site.toml")),
    (".gitignore", include_str!("init/scaffold/.gitignore")),
    (
        WORKFLOW_PATH,
        include_str!("init/scaffold/.github/workflows/pages.yml"),
    ),
    (
        "content/_index.md",
        include_str!("init/scaffold/content/_index.md"),
    ),
    (
        "content/subjects/tea.md",
        include_str!("init/scaffold/content/subjects/tea.md"),
    ),
    (
        "content/subjects/coffee.md",
        include_str!("init/scaffold/content/subjects/coffee.md"),
    ),
    (
        "content/criteria/preparation.md",
        include_str!("init/scaffold/content/criteria/preparation.md"),
    ),
    (
        "content/criteria/flavour.md",
        include_str!("init/scaffold/content/criteria/flavour.md"),
    ),
    (
        "content/criteria/cost.md",
        include_str!("init/scaffold/content/criteria/cost.md"),
    ),
    (
        "content/articles/sample-article.md",
        include_str!("init/scaffold/content/articles/sample-article.md"),
    ),
];

/// What the scaffold is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scaffold {
    /// The address of the versus repository (`https://github.com/<owner>/<name>`), whose
    /// action the site's workflow uses; empty when unknown, in which case the workflow keeps
    /// the `<owner>/versus` placeholder.
    pub repository: String,
    /// The versus version the site is made with.
    pub versus_version: String,
}

impl Default for Scaffold {
    /// This build of versus: its version, and the `repository` of its `Cargo.toml`.
    fn default() -> Self {
        Scaffold {
            repository: env!("CARGO_PKG_REPOSITORY").to_string(),
            versus_version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

impl Scaffold {
    /// `owner/name` of [`Scaffold::repository`] when it is a GitHub repository. Pure.
    pub fn github_repository(&self) -> Option<String> {
        github_repository(&self.repository)
    }

    /// The files of a new site, as `(relative path, text)`. Pure.
    pub fn files(&self) -> Vec<(&'static str, String)> {
        let repository = self.github_repository();
        let repository = repository.as_deref().unwrap_or(REPOSITORY_PLACEHOLDER);
        FILES
            .iter()
            .map(|(path, text)| {
                let text = if *path == WORKFLOW_PATH {
                    text.replace(REPOSITORY_PLACEHOLDER, repository)
                        .replace(VERSION_PLACEHOLDER, &self.versus_version)
                } else {
                    (*text).to_string()
                };
                (*path, text)
            })
            .collect()
    }
}

/// What [`create`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    /// The site folder.
    pub dir: PathBuf,
    /// The files written, relative to `dir`.
    pub files: Vec<&'static str>,
    /// Whether the workflow still needs the versus repository filled in (see
    /// [`Scaffold::repository`]).
    pub workflow_needs_repository: bool,
}

/// Writes a new site into `dir`, which must be missing or empty.
pub fn create(dir: &Path, scaffold: &Scaffold) -> Result<Created> {
    ensure_empty(dir)?;
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let files = scaffold.files();
    for (relative, text) in &files {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        // create_new: never replace a file, even one that appeared after the check above.
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .map_err(|e| Error::io(&path, e))?;
    }
    Ok(Created {
        dir: dir.to_path_buf(),
        files: files.iter().map(|(p, _)| *p).collect(),
        workflow_needs_repository: scaffold.github_repository().is_none(),
    })
}

/// `owner/name` from a GitHub address (`https://github.com/owner/name`, with or without
/// `.git` or a trailing slash, or `git@github.com:owner/name.git`); `None` for anything else.
fn github_repository(address: &str) -> Option<String> {
    let address = address.trim();
    let path = [
        "https://github.com/",
        "http://github.com/",
        "git@github.com:",
    ]
    .iter()
    .find_map(|prefix| address.strip_prefix(prefix))?;
    let path = path.trim_end_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    let (owner, name) = path.split_once('/')?;
    let valid = |part: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    (valid(owner) && valid(name)).then(|| format!("{owner}/{name}"))
}

/// A missing folder is fine (it is created); an existing one must hold nothing but, at most,
/// a `.git` folder (so `git init DIR && versus init DIR` works).
fn ensure_empty(dir: &Path) -> Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) if dir.exists() && !dir.is_dir() => {
            return Err(Error::Other(format!(
                "{} is a file, not a folder: choose a new folder for the site ({e})",
                dir.display()
            )));
        }
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut names = entries.filter_map(|e| e.ok().map(|e| e.file_name()));
    if names.any(|name| name != ".git") {
        return Err(Error::Other(format!(
            "{} is not empty: versus init only writes into a new or empty folder, so that \
             it never overwrites anything; choose another folder",
            dir.display()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workflow(scaffold: &Scaffold) -> String {
        let files = scaffold.files();
        let (_, workflow) = files
            .into_iter()
            .find(|(p, _)| *p == WORKFLOW_PATH)
            .unwrap();
        workflow
    }

    #[test]
    fn workflow_uses_the_action_of_the_repository_at_this_version() {
        let scaffold = Scaffold {
            repository: "https://github.com/someone/versus-fork".into(),
            versus_version: "9.8.7".into(),
        };
        let workflow = workflow(&scaffold);
        assert!(workflow.contains("\n        uses: someone/versus-fork@v9.8.7\n"));
        assert!(!workflow.contains("<owner>") && !workflow.contains("<version>"));
    }

    #[test]
    fn an_unknown_repository_keeps_the_placeholder() {
        for repository in ["", "https://gitlab.com/someone/versus", "not a url"] {
            let scaffold = Scaffold {
                repository: repository.into(),
                versus_version: "1.2.3".into(),
            };
            assert!(workflow(&scaffold).contains("uses: <owner>/versus@v1.2.3\n"));
        }
    }

    #[test]
    fn github_addresses_name_owner_and_repository() {
        for address in [
            "https://github.com/o-1/my.versus",
            "https://github.com/o-1/my.versus/",
            "https://github.com/o-1/my.versus.git",
            "git@github.com:o-1/my.versus.git",
        ] {
            assert_eq!(github_repository(address).as_deref(), Some("o-1/my.versus"));
        }
        for address in [
            "",
            "https://github.com/",
            "https://github.com/owner",
            "https://github.com/owner/name/tree/main",
            "https://github.com/<owner>/versus",
            "https://example.org/owner/name",
        ] {
            assert_eq!(github_repository(address), None, "{address}");
        }
    }

    #[test]
    fn scaffold_has_the_promised_files() {
        let files = Scaffold::default().files();
        let count = |prefix: &str| files.iter().filter(|(p, _)| p.starts_with(prefix)).count();
        assert_eq!(count("content/subjects/"), 2);
        assert_eq!(count("content/criteria/"), 3);
        assert_eq!(count("content/articles/"), 1);
        for path in [
            "site.toml",
            ".gitignore",
            "content/_index.md",
            WORKFLOW_PATH,
        ] {
            assert!(files.iter().any(|(p, _)| *p == path), "{path}");
        }
        let (_, ignore) = files.iter().find(|(p, _)| *p == ".gitignore").unwrap();
        assert!(ignore.lines().any(|l| l == "output/"));
        assert!(ignore.lines().any(|l| l == ".versus-cache/"));
    }
}

//! `versus init DIR`: scaffolds a new comparison site that builds at once. Owns the scaffold's
//! files (embedded from `src/init/scaffold/`) and refuses to write into a non-empty folder.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Placeholder in the scaffold's workflow for the git URL that versus is installed from.
const GIT_PLACEHOLDER: &str = "@VERSUS_GIT@";
/// Placeholder in the scaffold's workflow for the versus version (part of its cache key).
const VERSION_PLACEHOLDER: &str = "@VERSUS_VERSION@";

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
    /// Git URL the site's workflow installs versus from; empty when unknown, in which case
    /// the workflow stops with a message asking for it.
    pub versus_git: String,
    /// The versus version the site is made with.
    pub versus_version: String,
}

impl Default for Scaffold {
    /// This build of versus: its version, and the `repository` of its `Cargo.toml`.
    fn default() -> Self {
        Scaffold {
            versus_git: env!("CARGO_PKG_REPOSITORY").to_string(),
            versus_version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

impl Scaffold {
    /// The files of a new site, as `(relative path, text)`. Pure.
    pub fn files(&self) -> Vec<(&'static str, String)> {
        FILES
            .iter()
            .map(|(path, text)| {
                let text = if *path == WORKFLOW_PATH {
                    text.replace(GIT_PLACEHOLDER, &self.versus_git)
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
    /// Whether the workflow still needs the git URL of versus (see [`Scaffold::versus_git`]).
    pub workflow_needs_git_url: bool,
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
        workflow_needs_git_url: scaffold.versus_git.trim().is_empty(),
    })
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

    #[test]
    fn workflow_placeholders_are_filled() {
        let scaffold = Scaffold {
            versus_git: "https://git.example/versus.git".into(),
            versus_version: "9.8.7".into(),
        };
        let files = scaffold.files();
        let (_, workflow) = files.iter().find(|(p, _)| *p == WORKFLOW_PATH).unwrap();
        assert!(workflow.contains("VERSUS_GIT: \"https://git.example/versus.git\""));
        assert!(workflow.contains("VERSUS_VERSION: \"9.8.7\""));
        assert!(!files.iter().any(|(_, t)| t.contains("@VERSUS_")));
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
    }
}

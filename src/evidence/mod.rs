//! Evidence: the archive folder of the editors' copies of the source articles, read once per
//! build into normalised text, and the check of a claim's quote against its article's copy.
//! Reading the folder is [`Archive::load`]; everything else is pure ([`quote`], [`html`]).

pub(crate) mod html;
pub(crate) mod quote;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::Diagnostic;

/// The archive folder's copies, by file name (`/`-separated under the folder), each as
/// normalised text or why it could not be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Archive {
    /// The folder, as shown to users.
    pub display: PathBuf,
    copies: BTreeMap<String, Result<String, String>>,
}

/// Why a quote could not be verified.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// The article's `archive` file is not in the folder.
    NoCopy,
    /// The copy could not be read.
    Unreadable(String),
    /// The quote is not in the copy; the copy's closest passage, when it has text.
    NotFound(Option<String>),
}

impl Archive {
    /// An archive of copies given as text (HTML when the name or text says so).
    pub fn from_texts<'t>(
        display: impl Into<PathBuf>,
        copies: impl IntoIterator<Item = (&'t str, &'t str)>,
    ) -> Archive {
        Archive {
            display: display.into(),
            copies: copies
                .into_iter()
                .map(|(name, text)| (name.to_string(), Ok(normalized_copy(name, text))))
                .collect(),
        }
    }

    /// Reads every file under `dir` (links followed, editors' scratch files skipped). A file
    /// that cannot be read is kept as the reason, reported only if a digest names it.
    pub fn load(dir: &Path, display: PathBuf) -> Result<Archive, Diagnostic> {
        use rayon::prelude::*;
        if !dir.is_dir() {
            return Err(Diagnostic::new(
                &display,
                "the archive folder does not exist or is not a folder",
            ));
        }
        let mut paths = Vec::new();
        let walker = WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0 || !crate::fs::is_ignored_name(&e.file_name().to_string_lossy())
            });
        for entry in walker {
            let entry = entry.map_err(|e| {
                let path = e.path().unwrap_or(dir);
                Diagnostic::new(
                    crate::fs::display_path(path, Path::new(".")),
                    crate::fs::walk_error_message(&e),
                )
            })?;
            if !entry.file_type().is_dir() {
                paths.push(entry.into_path());
            }
        }
        let copies = paths
            .par_iter()
            .map(|path| {
                let name = path
                    .strip_prefix(dir)
                    .unwrap_or(path)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                let shown = crate::fs::display_path(path, Path::new("."));
                let text = crate::fs::read_text(path, &shown)
                    .map(|text| normalized_copy(&name, &text))
                    .map_err(|d| d.to_string());
                (name, text)
            })
            .collect();
        Ok(Archive { display, copies })
    }

    /// Whether the folder holds a copy of this name.
    pub fn has(&self, name: &str) -> bool {
        self.copies.contains_key(name)
    }

    /// Some of the copies' names, for a message about a missing one.
    pub fn names(&self, at_most: usize) -> Vec<&str> {
        self.copies
            .keys()
            .take(at_most)
            .map(String::as_str)
            .collect()
    }

    /// The normalised text of copy `name`, or why there is none.
    pub fn copy(&self, name: &str) -> Result<&str, Problem> {
        match self.copies.get(name) {
            None => Err(Problem::NoCopy),
            Some(Err(why)) => Err(Problem::Unreadable(why.clone())),
            Some(Ok(copy)) => Ok(copy),
        }
    }

    /// Checks that `text` (a claim's quote) occurs in the copy `name`, as DESIGN.md says.
    pub fn verify(&self, name: &str, text: &str) -> Result<(), Problem> {
        let copy = self.copy(name)?;
        let wanted = quote::normalize(text);
        if quote::occurs(copy, &wanted) {
            Ok(())
        } else {
            Err(Problem::NotFound(
                quote::closest(copy, &wanted).map(|(passage, _)| passage),
            ))
        }
    }

    /// The message for a quote that is not in copy `name`.
    pub fn not_found_message(&self, name: &str, text: &str, closest: Option<&str>) -> String {
        let copy = self.display.join(name);
        let mut message = format!(
            "quote not found in the archived copy {}: \"{}\" (compared after normalising \
             whitespace, line breaks, quotes, apostrophes, dashes and HTML; case counts)",
            copy.display(),
            quote::normalize(text)
        );
        match closest {
            Some(passage) => message.push_str(&format!(
                "\n  closest passage of the copy: \"{passage}\"\n  \
                 fix the quote to the article's exact words, or remove it"
            )),
            None => message.push_str("\n  the copy has no text"),
        }
        message
    }
}

/// A copy's text as quotes are compared with it.
fn normalized_copy(name: &str, text: &str) -> String {
    if html::is_html(name, text) {
        quote::normalize(&html::text(text))
    } else {
        quote::normalize(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_verified_against_text_and_html_copies() {
        let archive = Archive::from_texts(
            "archive",
            [
                ("plain.txt", "Node.js is\nfast \u{2014} it\u{2019}s true."),
                (
                    "page.html",
                    "<!doctype html><title>x</title><p>Django&rsquo;s <em>admin</em>\n   is \
                     &ldquo;batteries included&rdquo;.</p>",
                ),
            ],
        );
        assert_eq!(archive.verify("plain.txt", "is fast - it's true"), Ok(()));
        assert_eq!(
            archive.verify("page.html", "Django's admin is \"batteries included\""),
            Ok(())
        );
        assert_eq!(archive.verify("gone.txt", "x"), Err(Problem::NoCopy));
        let Err(Problem::NotFound(Some(closest))) = archive.verify("plain.txt", "Node.js is slow")
        else {
            panic!("a misquote is not found");
        };
        assert!(closest.starts_with("Node.js is"), "{closest}");
    }

    #[test]
    fn the_misquote_message_shows_the_closest_passage() {
        let archive = Archive::from_texts("archive", [("a.txt", "The quick brown fox jumps.")]);
        let Err(Problem::NotFound(closest)) = archive.verify("a.txt", "The quick red fox jumps")
        else {
            panic!("not found");
        };
        let message =
            archive.not_found_message("a.txt", "The quick red fox jumps", closest.as_deref());
        assert_eq!(
            message,
            "quote not found in the archived copy archive/a.txt: \"The quick red fox jumps\" \
             (compared after normalising whitespace, line breaks, quotes, apostrophes, dashes \
             and HTML; case counts)\n  closest passage of the copy: \"The quick brown fox \
             jumps.\"\n  fix the quote to the article's exact words, or remove it"
        );
    }

    #[test]
    fn an_archive_folder_is_read_with_unreadable_files_kept_as_reasons() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "Some words here.").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/b.html"), "<p>More&nbsp;words</p>").unwrap();
        std::fs::write(dir.path().join("bad.txt"), [0xff, 0xfe, 0x00]).unwrap();
        std::fs::write(dir.path().join("a.txt~"), "backup").unwrap();
        let archive = Archive::load(dir.path(), "archive".into()).unwrap();
        assert_eq!(archive.names(10), ["a.txt", "bad.txt", "sub/b.html"]);
        assert_eq!(archive.verify("a.txt", "Some words"), Ok(()));
        assert_eq!(archive.verify("sub/b.html", "More words"), Ok(()));
        assert!(matches!(
            archive.verify("bad.txt", "x"),
            Err(Problem::Unreadable(why)) if why.contains("not valid UTF-8")
        ));
        assert!(Archive::load(&dir.path().join("none"), "none".into()).is_err());
    }
}

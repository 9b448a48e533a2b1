//! Page folders and their assets: `content/<path>/index.md` is the page `<path>`, and every
//! file under `content/` that is not Markdown is an asset, published at the same path under
//! the output folder (`content/guides/setup/diagram.png` at `/guides/setup/diagram.png`), as
//! Zola and Hugo publish a page bundle's files. A file beside a plain `<path>.md` is published
//! as well, at its own path: it belongs to the folder's section, not to the page.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Diagnostic;

/// Every asset of a site: its path under `content/` (which is also its output path, with
/// `/` separators) to the file.
pub type Assets = BTreeMap<String, PathBuf>;

/// A page folder's `index` stem stands for the folder: `guides/setup/index` is
/// `guides/setup`. Other stems are returned as given. `index.md` at the top, or in a folder
/// named `_index`, would stand for the home page or a section: an error.
pub fn page_of_folder(stem: &str) -> Result<&str, String> {
    if stem == "index" {
        return Err(
            "content/index.md would be the home page, which is content/_index.md: rename it".into(),
        );
    }
    let Some(folder) = stem.strip_suffix("/index") else {
        return Ok(stem);
    };
    if folder == "_index" || folder.ends_with("/_index") {
        return Err(
            "a page folder cannot be named `_index` (that name is a section's file): rename the folder"
                .into(),
        );
    }
    Ok(folder)
}

/// The error for a page written both as `<path>.md` and as `<path>/index.md`: put on the
/// folder's `index.md` (whichever of the two was seen first), naming the other file.
pub fn both_forms(one: &Path, other: &Path) -> Diagnostic {
    let is_folder = |p: &Path| p.file_name().is_some_and(|n| n == "index.md");
    let (folder, plain) = if is_folder(other) && !is_folder(one) {
        (other, one)
    } else if is_folder(one) && !is_folder(other) {
        (one, other)
    } else {
        (one.max(other), one.min(other))
    };
    Diagnostic::new(
        folder,
        format!(
            "this page is also {}: a page is either `<path>.md` or `<path>/index.md` (a page \
             folder, with its assets beside it), not both; remove or rename one",
            plain.display()
        ),
    )
}

/// The file the asset at output path `path` is copied from, as shown to users.
pub fn source_display(assets: &Assets, path: &str) -> Option<PathBuf> {
    assets
        .get(path)
        .map(|file| crate::fs::display_path(file, Path::new(".")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Kind, classify};

    #[test]
    fn a_page_folder_is_the_page_it_names_for_every_kind() {
        let table = [
            ("guides/setup/index.md", Kind::Page("guides/setup".into())),
            ("about/index.md", Kind::Page("about".into())),
            ("articles/one/index.md", Kind::Article("one".into())),
            ("criteria/speed/index.md", Kind::Criterion("speed".into())),
            ("subjects/alpha/index.md", Kind::Subject("alpha".into())),
            (
                "guides/setup/notes.md",
                Kind::Page("guides/setup/notes".into()),
            ),
        ];
        for (rel, kind) in table {
            assert_eq!(classify(rel), Ok(kind), "{rel}");
        }
        for rel in ["index.md", "_index/index.md", "guide/_index/index.md"] {
            assert!(classify(rel).is_err(), "{rel}");
        }
        let flat = classify("articles/one/extra.md").unwrap_err();
        assert!(flat.contains("content/articles/<id>/index.md"), "{flat}");
    }

    #[test]
    fn both_forms_name_the_folder_and_the_plain_file_in_either_order() {
        let folder = Path::new("content/guides/setup/index.md");
        let plain = Path::new("content/guides/setup.md");
        for (a, b) in [(folder, plain), (plain, folder)] {
            let d = both_forms(a, b);
            assert_eq!(d.path, folder);
            assert!(
                d.message
                    .starts_with("this page is also content/guides/setup.md:"),
                "{}",
                d.message
            );
        }
    }

    #[test]
    fn the_same_page_twice_is_an_error_and_kept_once() {
        let file = |rel: &str| {
            crate::content::SourceFile::in_content(rel, "+++\ntitle = \"Setup\"\n+++\n")
        };
        let (content, errors) =
            crate::content::parse(vec![file("guides/setup.md"), file("guides/setup/index.md")]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(
            errors[0].path,
            Path::new("content/guides/setup/index.md"),
            "{errors:?}"
        );
        assert_eq!(content.pages.len(), 1);
    }
}

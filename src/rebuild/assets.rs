//! Page assets between rebuilds: which files under `content/` the last read found, and
//! their bytes. An asset edited in place only swaps its bytes in the output (no page reads
//! an asset's bytes); an asset added, deleted or renamed changes what links can reach, so
//! the content is read and rendered again, as a clean build would.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use super::SiteFiles;
use crate::content::assets::Assets;
use crate::error::{Error, Result};
use crate::render::links;

/// The page assets of the last read, with their bytes by output path.
#[derive(Debug, Default)]
pub(super) struct PageAssets {
    /// Path under `content/` → file.
    pub files: Assets,
    /// Output path → bytes.
    pub bytes: SiteFiles,
}

impl PageAssets {
    /// Reads every asset of `files`. One that cannot be read is left out: reading the
    /// content already reported it, and the build fails on it.
    pub(super) fn read(files: Assets) -> PageAssets {
        let bytes = files
            .iter()
            .filter_map(|(path, file)| {
                let b = std::fs::read(file).ok()?;
                Some((Arc::from(path.as_str()), bytes::Bytes::from(b)))
            })
            .collect();
        PageAssets { files, bytes }
    }

    /// Whether every asset path in `changed` names an asset both before and now: a change
    /// of bytes only. `content_dir` is where they are.
    pub(super) fn same_set(&self, content_dir: &Path, changed: &BTreeSet<String>) -> bool {
        changed.iter().all(|rel| {
            let now = content_dir.join(rel);
            // A folder with a dot in its name looks like an asset to the watcher.
            let folder = format!("{rel}/");
            let was_folder = self.files.keys().any(|k| k.starts_with(&folder));
            self.files.contains_key(rel) == now.is_file() && !now.is_dir() && !was_folder
        })
    }

    /// Reads the `changed` assets again (all of which exist: see [`Self::same_set`]) and
    /// returns the output paths whose bytes differ.
    pub(super) fn reread(&mut self, changed: &BTreeSet<String>) -> Result<Vec<String>> {
        let mut updated = Vec::new();
        for rel in changed {
            let Some(file) = self.files.get(rel) else {
                continue;
            };
            let bytes = std::fs::read(file).map_err(|e| Error::io(file, e))?;
            let key: Arc<str> = Arc::from(rel.as_str());
            if self.bytes.get(&key).is_none_or(|b| **b != *bytes) {
                self.bytes.insert(key, bytes::Bytes::from(bytes));
                updated.push(rel.clone());
            }
        }
        Ok(updated)
    }
}

/// After a change to the theme: what `@/` links can reach with its static files, and the
/// static files that are new, as link targets for the link index. `None` when one the last
/// render had is gone (a link to it would break: a full render tells).
pub(super) fn static_targets(
    site: &crate::model::Site,
    theme: &crate::theme::Theme,
    old: &crate::markdown::LinkContext,
) -> Option<(
    std::collections::HashMap<String, String>,
    Vec<links::Changed>,
)> {
    let targets = crate::render::link_context(site, theme).pages;
    if !old.pages.iter().all(|(k, v)| targets.get(k) == Some(v)) {
        return None;
    }
    let added = theme
        .assets
        .keys()
        .filter(|path| !old.pages.contains_key(*path))
        .map(|path| (links::url_path(path).to_string(), None, Vec::new()))
        .collect();
    Some((targets, added))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_in_place_keeps_the_set_and_swaps_the_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path();
        std::fs::write(content.join("a.png"), b"one").unwrap();
        let files: Assets = [("a.png".to_string(), content.join("a.png"))].into();
        let mut assets = PageAssets::read(files);
        let changed: BTreeSet<String> = ["a.png".to_string()].into();
        assert!(assets.same_set(content, &changed));
        assert_eq!(assets.reread(&changed).unwrap(), Vec::<String>::new());
        std::fs::write(content.join("a.png"), b"two").unwrap();
        assert_eq!(assets.reread(&changed).unwrap(), ["a.png"]);
        assert_eq!(&*assets.bytes["a.png"], b"two");
        let added: BTreeSet<String> = ["b.png".to_string()].into();
        std::fs::write(content.join("b.png"), b"new").unwrap();
        assert!(!assets.same_set(content, &added), "an added asset");
        std::fs::remove_file(content.join("a.png")).unwrap();
        assert!(!assets.same_set(content, &changed), "a deleted asset");
        std::fs::create_dir(content.join("v1.2")).unwrap();
        let folder: BTreeSet<String> = ["v1.2".to_string()].into();
        assert!(
            !assets.same_set(content, &folder),
            "a folder named like a file"
        );
    }
}

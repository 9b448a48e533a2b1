//! The files a [`Session`] reads and writes: changed sources re-read, static files, and only the output files whose bytes changed written.

use super::*;

/// The theme's static files, in memory.
pub(super) fn read_assets(inputs: &Inputs) -> Result<SiteFiles> {
    let mut errors = Vec::new();
    let mut assets = SiteFiles::new();
    for (path, asset) in &inputs.theme.assets {
        let bytes: bytes::Bytes = match asset {
            Asset::Embedded(bytes) => bytes::Bytes::from_static(bytes),
            Asset::File(file) => match std::fs::read(file) {
                Ok(bytes) => bytes::Bytes::from(bytes),
                Err(e) => {
                    errors.push(Diagnostic::new(file, format!("cannot read: {e}")));
                    continue;
                }
            },
        };
        assets.insert(Arc::from(path.as_str()), bytes);
    }
    if errors.is_empty() {
        Ok(assets)
    } else {
        Err(Error::Site(errors))
    }
}

/// Paths new or changed in `new`, and paths of `old` missing from `new`.
pub(super) fn diff(old: &SiteFiles, new: &SiteFiles) -> (Vec<String>, Vec<String>) {
    let updated = new
        .iter()
        .filter(|(path, bytes)| old.get(*path).is_none_or(|b| b != *bytes))
        .map(|(path, _)| path.to_string())
        .collect();
    let removed = old
        .keys()
        .filter(|path| !new.contains_key(*path))
        .map(|path| path.to_string())
        .collect();
    (updated, removed)
}

impl Session {
    /// Re-reads the changed content files, or all of them. A rescan that finds the same
    /// files as before becomes, in `changes`, an edit of those whose text changed, so that
    /// it takes the cheap ways rather than a full render: the watcher asks for one on a name
    /// it cannot place, such as the temporary file `sed -i` writes and renames over the page
    /// it saves (`sedX1b2c3`: no dot, so maybe a folder).
    pub(super) fn update_sources(&mut self, changes: &mut Changes) -> Result<()> {
        let root = &self.options.root;
        if changes.rescan || self.sources.is_none() {
            let (sources, assets, errors) = read_content(root)?;
            if let Some(changed) = self.same_files(changes, &sources, &assets, &errors) {
                for rel in &changed {
                    self.parsed.remove(rel);
                }
                for changes in [&mut *changes, &mut self.pending] {
                    changes.rescan = false;
                    changes.content.extend(changed.iter().cloned());
                }
                self.sources = Some(sources);
                return Ok(());
            }
            self.parsed.clear();
            self.assets = PageAssets::read(assets);
            self.read_errors = errors
                .into_iter()
                .map(|d| (d.path.to_string_lossy().into_owned(), d))
                .collect();
            self.sources = Some(sources);
            return Ok(());
        }
        let Some(sources) = self.sources.as_mut() else {
            return Ok(());
        };
        let content_dir = root.join("content");
        for rel in &changes.content {
            sources.remove(rel);
            self.parsed.remove(rel);
            let path = content_dir.join(rel);
            let key = Path::new("content")
                .join(rel)
                .to_string_lossy()
                .into_owned();
            self.read_errors.remove(&key);
            if !path.is_file() || !is_content_file(rel) {
                continue;
            }
            match content::read_one(&path, &content_dir, Path::new(".")) {
                Ok(file) => {
                    sources.insert(rel.clone(), file);
                }
                Err(d) => {
                    self.read_errors.insert(key, d);
                }
            }
        }
        Ok(())
    }

    /// For a rescan of content alone that found the files the last read found (no error
    /// then or now), the ones whose text changed; `None` otherwise.
    fn same_files(
        &self,
        changes: &Changes,
        sources: &Sources,
        assets: &content::assets::Assets,
        errors: &[Diagnostic],
    ) -> Option<Vec<String>> {
        let content_only = changes.rescan
            && !(changes.config || changes.theme || changes.shortcodes || changes.archive)
            && changes.assets.is_empty()
            && self.read_errors.is_empty()
            && errors.is_empty();
        let old = self.sources.as_ref().filter(|_| content_only)?;
        let same = sources.len() == old.len()
            && sources.keys().eq(old.keys())
            && *assets == self.assets.files;
        same.then(|| {
            sources
                .iter()
                .filter(|(rel, file)| old.get(*rel).is_none_or(|o| o.text != file.text))
                .map(|(rel, _)| rel.clone())
                .collect()
        })
    }

    pub(super) fn write(
        &mut self,
        files: &SiteFiles,
        updated: &[String],
        removed: &[String],
    ) -> Result<()> {
        if self.options.mode != Mode::Build {
            return Ok(());
        }
        let dir = self.options.output_dir();
        // An output folder deleted (or emptied) since the last write gets the whole site.
        let result = if self.written && output::holds_a_build(&dir) {
            output::update(&dir, files, updated, removed)
        } else {
            let all: Vec<OutputFile> = files
                .iter()
                .map(|(path, bytes)| OutputFile {
                    path: path.to_string(),
                    bytes: bytes.to_vec(),
                })
                .collect();
            output::write(&dir, &all, &[])
        };
        self.written = result.is_ok();
        result
    }
}

//! Writing the site: every file goes into a fresh staging folder beside the output folder,
//! which then replaces the output folder in two renames. A failed build never touches the
//! previous output, and no stale file survives a successful one. The only module that writes.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::theme::Asset;

mod aliases;
mod place;
pub(crate) use place::{check_output_location, path_conflicts, real_path};

/// One file to write, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// `/`-separated path, e.g. `articles/x/index.html`.
    pub path: String,
    /// The content.
    pub bytes: Vec<u8>,
}

/// A marker every build writes; its presence shows a folder is ours to replace.
const MARKER: &str = ".nojekyll";

/// Writes `files` and `assets` into `output`, atomically replacing what was there.
pub(crate) fn write(output: &Path, files: &[OutputFile], assets: &[(&str, &Asset)]) -> Result<()> {
    let staging = Staging::begin(output)?;
    files
        .par_iter()
        .try_for_each(|file| staging.put(&file.path, &file.bytes))?;
    staging.finish(assets)
}

/// A build being written: files go into a fresh staging folder beside the output folder as
/// they are rendered; [`Staging::finish`] adds the static files and swaps the folder in.
/// Dropped unfinished (a failed build), it removes the staging folder and the previous
/// output stays as it was.
pub(crate) struct Staging {
    output: PathBuf,
    dir: PathBuf,
    finished: bool,
}

impl Staging {
    /// Starts writing a build of `output`.
    pub(crate) fn begin(output: &Path) -> Result<Staging> {
        let output = &follow_link(output)?;
        refuse_foreign_folder(output)?;
        let dir = sibling(output, "staging")?;
        remove_if_present(&dir)?;
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Staging {
            output: output.to_path_buf(),
            dir,
            finished: false,
        })
    }

    /// Writes one file (`path` relative to the output folder); may be called from several
    /// threads.
    pub(crate) fn put(&self, path: &str, bytes: &[u8]) -> Result<()> {
        let target = self.dir.join(path);
        if path.ends_with("/index.html") {
            // Most pages have a folder of their own (`articles/x/index.html`): making it
            // first spares the failed open that would otherwise come before it.
            if let Some(folder) = target.parent() {
                match fs::create_dir(folder) {
                    Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                        fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
                    }
                    _ => {}
                }
            }
        }
        match fs::write(&target, bytes) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(folder) = target.parent() {
                    fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
                }
                fs::write(&target, bytes).map_err(|e| Error::io(&target, e))
            }
            other => other.map_err(|e| Error::io(&target, e)),
        }
    }

    /// Writes one file (as [`Staging::put`]) that `write` writes as it goes.
    pub(crate) fn put_written(
        &self,
        path: &str,
        write: &dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<()> {
        let target = self.dir.join(path);
        if let Some(folder) = target.parent() {
            fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
        }
        let file = fs::File::create(&target).map_err(|e| Error::io(&target, e))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
        write(&mut out)
            .and_then(|()| std::io::Write::flush(&mut out))
            .map_err(|e| Error::io(&target, e))
    }

    /// Copies the static files in and replaces the output folder with the staging folder.
    pub(crate) fn finish(mut self, assets: &[(&str, &Asset)]) -> Result<()> {
        write_assets(&self.dir, assets)?;
        swap(&self.dir, &self.output)?;
        self.finished = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Brings an output folder that holds a previous build up to date with `files`: writes the
/// `updated` paths and deletes the `removed` ones (with folders left empty). Each file is
/// written beside its target and renamed over it, so no reader sees a half-written file.
/// Used by `watch`, where rewriting the whole folder on every save would be too slow.
pub(crate) fn update<K: std::borrow::Borrow<str> + Ord, B: AsRef<[u8]>>(
    output: &Path,
    files: &std::collections::BTreeMap<K, B>,
    updated: &[String],
    removed: &[String],
) -> Result<()> {
    for path in updated {
        let Some(bytes) = files.get(path.as_str()) else {
            continue;
        };
        let target = output.join(path);
        if let Some(folder) = target.parent() {
            fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
        }
        let temporary = target.with_file_name(format!(
            ".{}.versus-tmp",
            target.file_name().unwrap_or_default().to_string_lossy()
        ));
        fs::write(&temporary, bytes.as_ref()).map_err(|e| Error::io(&temporary, e))?;
        fs::rename(&temporary, &target).map_err(|e| Error::io(&target, e))?;
    }
    for path in removed {
        let target = output.join(path);
        match fs::remove_file(&target) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(Error::io(&target, e));
            }
            _ => {}
        }
        // Remove folders the deletion left empty, up to the output folder.
        let mut folder = target.parent();
        while let Some(dir) = folder.filter(|d| *d != output && d.starts_with(output)) {
            if fs::remove_dir(dir).is_err() {
                break;
            }
            folder = dir.parent();
        }
    }
    Ok(())
}

/// The folder a build replaces: `output` itself, or, when `output` is a symbolic link, the
/// folder it leads to. The link stays; its target is swapped atomically beside itself, so
/// nothing but the previous build is replaced. A link that leads nowhere is refused, since
/// writing there would replace the link with a real folder.
pub(crate) fn follow_link(output: &Path) -> Result<PathBuf> {
    let is_link = fs::symlink_metadata(output).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(output.to_path_buf());
    }
    fs::canonicalize(output).map_err(|e| {
        let target = fs::read_link(output).unwrap_or_default();
        Error::Other(format!(
            "output folder {} is a symbolic link to {}, which cannot be followed ({e}): \
             create the folder it points to, or choose another --output",
            output.display(),
            target.display()
        ))
    })
}

/// Whether `output` still holds a build (its marker is there): after someone deleted the
/// folder, updating a few files in it would leave a site with one page.
pub(crate) fn holds_a_build(output: &Path) -> bool {
    output.join(MARKER).is_file()
}

/// Replacing a folder that a build did not make would delete someone's files.
fn refuse_foreign_folder(output: &Path) -> Result<()> {
    if fs::metadata(output).is_ok_and(|m| !m.is_dir()) {
        return Err(Error::Other(format!(
            "refusing to replace {}: it is a file, not a folder; choose another --output",
            output.display()
        )));
    }
    let Ok(mut entries) = fs::read_dir(output) else {
        return Ok(());
    };
    let empty = entries.next().is_none();
    if empty || output.join(MARKER).exists() {
        return Ok(());
    }
    Err(Error::Other(format!(
        "refusing to replace {}: it is not empty and was not written by versus (no {MARKER}); \
         remove it or choose another --output",
        output.display()
    )))
}

/// A hidden path next to `output`, on the same file system so that renames are atomic.
fn sibling(output: &Path, what: &str) -> Result<PathBuf> {
    let name = output.file_name().ok_or_else(|| {
        Error::Other(format!(
            "output path {} has no folder name",
            output.display()
        ))
    })?;
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Ok(parent.join(format!(
        ".{}.versus-{what}-{}",
        name.to_string_lossy(),
        std::process::id()
    )))
}

fn remove_if_present(path: &Path) -> Result<()> {
    match fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(path, e)),
        _ => Ok(()),
    }
}

fn write_assets(dir: &Path, assets: &[(&str, &Asset)]) -> Result<()> {
    let mut folders: Vec<PathBuf> = assets
        .iter()
        .filter_map(|(p, _)| Path::new(p).parent().map(|d| dir.join(d)))
        .collect();
    folders.sort();
    folders.dedup();
    for folder in &folders {
        fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
    }
    assets.par_iter().try_for_each(|(path, asset)| {
        let target = dir.join(path);
        match asset {
            Asset::Embedded(bytes) => fs::write(&target, bytes).map_err(|e| Error::io(&target, e)),
            Asset::File(source) => fs::copy(source, &target)
                .map(drop)
                .map_err(|e| Error::io(source, e)),
        }
    })
}

fn swap(staging: &Path, output: &Path) -> Result<()> {
    if !output.exists() {
        return fs::rename(staging, output).map_err(|e| Error::io(output, e));
    }
    let old = sibling(output, "old")?;
    remove_if_present(&old)?;
    fs::rename(output, &old).map_err(|e| Error::io(output, e))?;
    if let Err(e) = fs::rename(staging, output) {
        // Put the previous site back rather than leave no site at all.
        let _ = fs::rename(&old, output);
        return Err(Error::io(output, e));
    }
    remove_tree(&old)
}

/// Removes a folder, its entries and theirs in parallel (a large site's previous output
/// has tens of thousands of folders, most of them in one).
fn remove_tree(path: &Path) -> Result<()> {
    remove_levels(path, 2)
}

/// Removes `path`, spreading the first `levels` levels of its folders over threads.
fn remove_levels(path: &Path, levels: usize) -> Result<()> {
    let entries = match fs::read_dir(path) {
        Ok(entries) if levels > 0 => entries,
        _ => return remove_if_present(path),
    };
    let entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.par_iter().try_for_each(|entry| {
        if entry.is_dir() && !entry.is_symlink() {
            remove_levels(entry, levels - 1)
        } else {
            fs::remove_file(entry).map_err(|e| Error::io(entry, e))
        }
    })?;
    remove_if_present(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn replaces_the_output_and_drops_stale_files() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        write(
            &out,
            &[
                file(".nojekyll", ""),
                file("a/index.html", "A"),
                file("old.html", "x"),
            ],
            &[],
        )
        .unwrap();
        let css = Asset::Embedded(b"body{}");
        write(
            &out,
            &[file(".nojekyll", ""), file("a/index.html", "B")],
            &[("css/x.css", &css)],
        )
        .unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "B");
        assert_eq!(fs::read_to_string(out.join("css/x.css")).unwrap(), "body{}");
        assert!(!out.join("old.html").exists());
        let leftovers: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("out")]);
    }

    #[test]
    fn update_writes_changed_files_and_removes_deleted_ones() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        write(
            &out,
            &[
                file(".nojekyll", ""),
                file("a/index.html", "A"),
                file("b/index.html", "B"),
            ],
            &[],
        )
        .unwrap();
        let files: std::collections::BTreeMap<String, Vec<u8>> = [
            (".nojekyll".to_string(), Vec::new()),
            ("a/index.html".to_string(), b"A2".to_vec()),
            ("c/d/index.html".to_string(), b"C".to_vec()),
        ]
        .into();
        let updated = ["a/index.html".to_string(), "c/d/index.html".to_string()];
        update(&out, &files, &updated, &["b/index.html".to_string()]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "A2");
        assert_eq!(fs::read_to_string(out.join("c/d/index.html")).unwrap(), "C");
        assert!(!out.join("b").exists(), "emptied folder removed");
        assert!(!out.join("a/.index.html.versus-tmp").exists());
    }

    #[test]
    fn a_linked_output_updates_the_target_and_keeps_the_link() {
        let tmp = tempfile::tempdir().unwrap();
        let deployed = tmp.path().join("deployed");
        write(
            &deployed,
            &[file(".nojekyll", ""), file("old.html", "x")],
            &[],
        )
        .unwrap();
        let link = tmp.path().join("out");
        std::os::unix::fs::symlink("deployed", &link).unwrap();
        write(
            &link,
            &[file(".nojekyll", ""), file("index.html", "new")],
            &[],
        )
        .unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            fs::read_to_string(deployed.join("index.html")).unwrap(),
            "new"
        );
        assert!(!deployed.join("old.html").exists());
        let mut names: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["deployed", "out"], "no staging folder left behind");
    }

    #[test]
    fn a_dangling_output_link_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let link = tmp.path().join("out");
        std::os::unix::fs::symlink("nowhere", &link).unwrap();
        let e = write(&link, &[file(".nojekyll", "")], &[]).unwrap_err();
        assert!(e.to_string().contains("symbolic link to nowhere"), "{e}");
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

    #[test]
    fn refuses_to_replace_a_folder_it_did_not_write() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("precious.txt"), "keep").unwrap();
        let e = write(tmp.path(), &[file(".nojekyll", "")], &[]).unwrap_err();
        assert!(e.to_string().contains("refusing to replace"), "{e}");
        assert_eq!(
            fs::read_to_string(tmp.path().join("precious.txt")).unwrap(),
            "keep"
        );
    }

    #[test]
    fn a_failed_write_leaves_the_previous_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        write(
            &out,
            &[file(".nojekyll", ""), file("index.html", "old")],
            &[],
        )
        .unwrap();
        let missing = Asset::File(tmp.path().join("missing.css"));
        assert!(write(&out, &[file(".nojekyll", "")], &[("x.css", &missing)]).is_err());
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "no staging folder left behind"
        );
    }
}

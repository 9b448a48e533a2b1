//! File-system helpers every reader shares: reading a text file as users are told about it
//! (regular files only, UTF-8, byte-order mark removed), what a folder walk's error means,
//! which names editors leave behind, and how paths are shown.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{Diagnostic, Position};

/// Whether a file or folder name is something editors' tools leave behind (or hidden).
pub(crate) fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
}

/// What is said of a named pipe, socket or device where a file should be.
pub(crate) const NOT_A_FILE: &str = "not a regular file: versus reads only files and folders, \
                          never named pipes, sockets or devices (which could block the build)";

/// Reads a text file shown to users as `display`: a regular file only (opening a named pipe
/// would wait for a writer forever), UTF-8, byte-order mark removed. An invalid byte is
/// reported with its line and column.
pub(crate) fn read_text(path: &Path, display: &Path) -> Result<String, Diagnostic> {
    let cannot_read = |e: std::io::Error| Diagnostic::new(display, format!("cannot read: {e}"));
    if !std::fs::metadata(path).map_err(cannot_read)?.is_file() {
        return Err(Diagnostic::new(display, NOT_A_FILE));
    }
    let bytes = std::fs::read(path).map_err(cannot_read)?;
    decode(bytes).map_err(|(offset, text)| {
        Diagnostic::new(display, "the file is not valid UTF-8: save it as UTF-8")
            .at_position(Some(Position::of_offset(&text, offset, 1)))
    })
}

/// Why a folder walk (links followed) could not go on at an entry.
pub(crate) fn walk_error_message(error: &walkdir::Error) -> String {
    if error.loop_ancestor().is_some() {
        return "symbolic link loop: this link points back to a folder that contains it".into();
    }
    let reason = error
        .io_error()
        .map_or_else(|| error.to_string(), ToString::to_string);
    let Some(target) = error.path().and_then(|p| std::fs::read_link(p).ok()) else {
        return reason;
    };
    if error
        .io_error()
        .is_some_and(|e| e.kind() == std::io::ErrorKind::NotFound)
    {
        format!(
            "broken symbolic link: it points to {}, which does not exist",
            target.display()
        )
    } else {
        format!(
            "cannot follow this symbolic link to {}: {reason}",
            target.display()
        )
    }
}

/// UTF-8 text without its byte-order mark, or the offset of the first bad byte with the
/// valid text before it (for the line number).
fn decode(bytes: Vec<u8>) -> Result<String, (usize, String)> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(text)
        }
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
            Err((offset, valid))
        }
    }
}

/// `path` relative to `root` when it is inside it, else as given.
pub(crate) fn display_path(path: &Path, root: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

/// Every file below `dir` (none if it does not exist), as (relative path, path); anything
/// that is neither a file nor a folder is an error, as it could block the build.
pub(crate) fn files_under(
    dir: &Path,
    root: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_dir() => {}
            Ok(e) if !e.file_type().is_file() => {
                errors.push(Diagnostic::new(display_path(e.path(), root), NOT_A_FILE))
            }
            Ok(e) => {
                let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                files.push((rel, e.path().to_path_buf()));
            }
            Err(e) => {
                let path = e
                    .path()
                    .map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
                errors.push(Diagnostic::new(
                    display_path(&path, root),
                    walk_error_message(&e),
                ));
            }
        }
    }
    files
}

/// [`files_under`], each also opened to see that it can be read: files that are copied
/// only when the site is written (static files, page assets), so that `check` finds an
/// unreadable one too. An unreadable file is reported and still listed.
pub(crate) fn copyable_files(
    dir: &Path,
    root: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Vec<(String, PathBuf)> {
    copyable_files_where(dir, root, errors, |_| true)
}

/// [`copyable_files`], opening only the files whose relative path `copied` accepts.
pub(crate) fn copyable_files_where(
    dir: &Path,
    root: &Path,
    errors: &mut Vec<Diagnostic>,
    copied: impl Fn(&str) -> bool,
) -> Vec<(String, PathBuf)> {
    let files = files_under(dir, root, errors);
    for (_, path) in files.iter().filter(|(rel, _)| copied(rel)) {
        if let Err(e) = std::fs::File::open(path) {
            errors.push(Diagnostic::new(
                display_path(path, root),
                format!("cannot read: {e}"),
            ));
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_editor_leftovers() {
        for name in [
            ".#a.md",
            "a.md~",
            ".a.md.swp",
            ".hidden.md",
            "#a.md#",
            "a.md.tmp",
        ] {
            assert!(is_ignored_name(name), "{name}");
        }
        assert!(!is_ignored_name("a.md"));
    }

    #[test]
    fn strips_the_byte_order_mark() {
        assert_eq!(decode("\u{feff}+++".as_bytes().to_vec()).unwrap(), "+++");
        let (offset, valid) = decode(b"ab\ncd\xff".to_vec()).unwrap_err();
        assert_eq!(offset, 5);
        assert_eq!(Position::of_offset(&valid, offset, 1).line, 2);
    }
}

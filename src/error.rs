//! Error types: every error a user can cause says which file and, where known, which line.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem found in one file, with its position when the parser knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as the user would type it (relative to the site root where possible).
    pub path: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// What is wrong and, where it helps, how to fix it.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic for a whole file (no position).
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// Sets the position (1-based line and column).
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Sets the position when one is known.
    pub fn at_position(mut self, position: Option<Position>) -> Self {
        if let Some(p) = position {
            self.line = Some(p.line);
            self.column = Some(p.column);
        }
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// A 1-based line and column in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` in `text`, shifted so that `text` starts at `first_line`.
    pub fn of_offset(text: &str, offset: usize, first_line: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.matches('\n').count();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Position {
            line: first_line + line,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

/// Turns increasing byte offsets of one text into positions in time linear in the text, where
/// calling [`Position::of_offset`] for each would rescan it from the start every time: a big
/// page with many links must not take quadratic time.
#[derive(Debug, Clone)]
pub struct Locator<'a> {
    text: &'a str,
    offset: usize,
    position: Position,
}

impl<'a> Locator<'a> {
    /// A locator over `text`, whose first line is `first_line` of its file.
    pub fn new(text: &'a str, first_line: usize) -> Self {
        Locator {
            text,
            offset: 0,
            position: Position {
                line: first_line,
                column: 1,
            },
        }
    }

    /// The position of byte `offset`; fastest when offsets come in increasing order.
    pub fn locate(&mut self, offset: usize) -> Position {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        if offset < self.offset {
            let first_line = self.position.line - self.text[..self.offset].matches('\n').count();
            *self = Locator::new(self.text, first_line);
        }
        // Lines counted with memchr, and characters only on the last line.
        let passed = &self.text[self.offset..offset];
        match memchr::memrchr(b'\n', passed.as_bytes()) {
            Some(last) => {
                self.position.line += memchr::memchr_iter(b'\n', passed.as_bytes()).count();
                self.position.column = 1 + passed[last + 1..].chars().count();
            }
            None => self.position.column += passed.chars().count(),
        }
        self.offset = offset;
        self.position
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// Keeps the first diagnostic of each key and notes how many more pages had the same one:
/// one mistake in a template fails every page made from it, and the reader needs it once.
pub fn once_per_key<K: std::hash::Hash + Eq>(
    items: impl IntoIterator<Item = (K, Diagnostic)>,
) -> Vec<Diagnostic> {
    let mut kept: Vec<(Diagnostic, usize)> = Vec::new();
    let mut index: std::collections::HashMap<K, usize> = std::collections::HashMap::new();
    for (key, diagnostic) in items {
        match index.entry(key) {
            std::collections::hash_map::Entry::Occupied(at) => kept[*at.get()].1 += 1,
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(kept.len());
                kept.push((diagnostic, 1));
            }
        }
    }
    kept.into_iter()
        .map(|(mut d, n)| {
            if n > 1 {
                d.message.push_str(&format!(" (and {} more pages)", n - 1));
            }
            d
        })
        .collect()
}

/// Everything that can stop a run of versus.
#[derive(Debug)]
pub enum Error {
    /// Problems in the site's files: all of them, collected over the whole run.
    Site(Vec<Diagnostic>),
    /// A file or folder could not be read or written.
    Io {
        /// The path involved.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// A problem not tied to one file (bad command-line value, server failure).
    Other(String),
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// A single diagnostic as an error.
    pub fn one(diagnostic: Diagnostic) -> Self {
        Error::Site(vec![diagnostic])
    }

    /// The error as one diagnostic (the first, for several), for code that collects them.
    pub fn into_diagnostic(self) -> Diagnostic {
        match self {
            Error::Site(mut diagnostics) if !diagnostics.is_empty() => diagnostics.swap_remove(0),
            Error::Site(_) => Diagnostic::new("output", "unknown problem"),
            Error::Io { path, source } => Diagnostic::new(path, source.to_string()),
            Error::Other(message) => Diagnostic::new("output", message),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Site(diagnostics) => {
                for (i, d) in diagnostics.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "error: {d}")?;
                }
                Ok(())
            }
            Error::Io { path, source } => write!(f, "error: {}: {source}", path.display()),
            Error::Other(message) => write!(f, "error: {message}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::one(d)
    }
}

/// The result type of the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_maps_to_line_and_column() {
        let text = "ab\ncdé\nf";
        assert_eq!(
            Position::of_offset(text, 0, 1),
            Position { line: 1, column: 1 }
        );
        assert_eq!(
            Position::of_offset(text, 4, 1),
            Position { line: 2, column: 2 }
        );
        // 'é' is two bytes: the offset after it is column 4.
        assert_eq!(
            Position::of_offset(text, 7, 1),
            Position { line: 2, column: 4 }
        );
        assert_eq!(
            Position::of_offset(text, 8, 10),
            Position {
                line: 12,
                column: 1
            }
        );
    }

    #[test]
    fn the_locator_agrees_with_of_offset_in_any_order() {
        let text = "ab\ncdé\nf\n";
        let mut locator = Locator::new(text, 3);
        for offset in [0, 1, 4, 7, 8, 2, 9, 99, 5, 0] {
            assert_eq!(
                locator.locate(offset),
                Position::of_offset(text, offset, 3),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn offset_inside_a_character_does_not_panic() {
        let text = "é";
        assert_eq!(Position::of_offset(text, 1, 1).column, 1);
        assert_eq!(Position::of_offset(text, 99, 1).column, 2);
    }

    #[test]
    fn diagnostic_display_names_file_line_and_column() {
        let d = Diagnostic::new("content/a.md", "bad").at(3, 7);
        assert_eq!(d.to_string(), "content/a.md:3:7: bad");
        assert_eq!(Diagnostic::new("x", "y").to_string(), "x: y");
    }
}

//! Aliases: the old URL paths (`aliases = ["/old/path/"]`) that redirect to a page, checked
//! entry by entry and turned into the output file each redirect is written to. Whether an
//! alias collides with another output file is decided with the plan of every path
//! (`output::place`).

use std::path::PathBuf;

use crate::content::{Collection, Content, Document};
use crate::error::{Diagnostic, Position};

/// One redirect page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// The output file, e.g. `old/path/index.html` or `old/other.html`.
    pub path: String,
    /// The page it redirects to, as a URL path relative to the base path (`guide/new/`).
    pub to: String,
    /// The content file whose `aliases` holds it.
    pub source: PathBuf,
    /// Where the entry is in that file.
    pub position: Option<Position>,
}

impl Alias {
    /// A diagnostic at the `aliases` entry.
    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(&self.source, message).at_position(self.position)
    }
}

/// Every alias of `content`, in file order, and an error for every bad entry.
pub fn collect(content: &Content) -> (Vec<Alias>, Vec<Diagnostic>) {
    let mut aliases = Vec::new();
    let mut errors = Vec::new();
    let mut add = |d: &dyn Entries, to: &dyn Fn() -> String| {
        if d.aliases().is_empty() {
            return;
        }
        let to = to();
        for (i, written) in d.aliases().iter().enumerate() {
            match output_path(written) {
                Ok(path) => aliases.push(Alias {
                    path,
                    to: to.clone(),
                    source: d.source().clone(),
                    position: d.position(i),
                }),
                Err(m) => errors.push(
                    Diagnostic::new(d.source(), format!("alias `{written}`: {m}"))
                        .at_position(d.position(i)),
                ),
            }
        }
    };
    if let Some(home) = &content.home {
        add(home, &String::new);
    }
    for d in &content.subjects {
        add(d, &|| super::item_path(Collection::Subjects, &d.id));
    }
    for d in &content.criteria {
        add(d, &|| super::item_path(Collection::Criteria, &d.id));
    }
    for d in &content.articles {
        add(d, &|| super::item_path(Collection::Articles, &d.id));
    }
    for (c, d) in &content.list_intros {
        add(d, &|| format!("{}/", c.dir()));
    }
    for d in content.sections.iter().chain(&content.pages) {
        add(d, &|| format!("{}/", d.id));
    }
    (aliases, errors)
}

/// The documents of every kind, as far as aliases go.
trait Entries {
    fn aliases(&self) -> &[String];
    fn source(&self) -> &PathBuf;
    fn position(&self, index: usize) -> Option<Position>;
}

macro_rules! entries {
    ($($raw:ty),*) => {$(
        impl Entries for Document<$raw> {
            fn aliases(&self) -> &[String] {
                &self.raw.aliases
            }
            fn source(&self) -> &PathBuf {
                &self.file.display
            }
            fn position(&self, index: usize) -> Option<Position> {
                let d = self.error_at_item("aliases", index, "");
                d.line.map(|line| Position {
                    line,
                    column: d.column.unwrap_or(1),
                })
            }
        }
    )*};
}

use crate::content::raw::{RawArticle, RawCriterion, RawPage, RawSubject};
entries!(RawArticle, RawCriterion, RawPage, RawSubject);

/// Where the redirect of the alias `written` goes in the output folder: a folder path
/// (`/old/` or `old`) gets `index.html`, a path ending in `.html` is the file itself. The
/// path is taken from the site's base path, as page URLs are, `%XX` decoded.
pub fn output_path(written: &str) -> Result<String, String> {
    if written.trim().is_empty() {
        return Err("an alias must be a path such as /old/page/".into());
    }
    if written.contains("://") || written.starts_with("//") || written.contains(':') {
        return Err("an alias is a path on this site such as /old/page/, not a web address".into());
    }
    if written.contains(['?', '#']) {
        return Err(
            "a redirect page cannot answer a query string or a fragment: write the path only"
                .into(),
        );
    }
    if written.contains('\\') {
        return Err("write paths with `/`, not backslashes".into());
    }
    let decoded = percent_encoding::percent_decode_str(written)
        .decode_utf8()
        .map_err(|_| "its `%XX` escapes are not UTF-8 text".to_string())?;
    if decoded
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return Err("an alias must not hold spaces or control characters".into());
    }
    let inside = decoded.trim_start_matches('/');
    let folder = inside.strip_suffix('/').unwrap_or(inside);
    for segment in folder.split('/') {
        match segment {
            ".." | "." => {
                return Err(
                    "an alias must not hold `.` or `..` segments: write the full path".into(),
                );
            }
            "" if !folder.is_empty() => {
                return Err("an alias must not hold an empty segment (`//`)".into());
            }
            _ => {}
        }
    }
    Ok(if inside.ends_with(".html") {
        inside.to_string()
    } else if folder.is_empty() {
        "index.html".to_string()
    } else {
        format!("{folder}/index.html")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{SourceFile, parse};

    #[test]
    fn folder_paths_get_an_index_and_html_files_stay() {
        assert_eq!(output_path("/old/path/").unwrap(), "old/path/index.html");
        assert_eq!(output_path("old/path").unwrap(), "old/path/index.html");
        assert_eq!(output_path("old/other.html").unwrap(), "old/other.html");
        assert_eq!(output_path("/caf%C3%A9/").unwrap(), "café/index.html");
        assert_eq!(output_path("/").unwrap(), "index.html");
    }

    #[test]
    fn bad_aliases_are_refused() {
        for (bad, why) in [
            ("", "must be a path"),
            ("  ", "must be a path"),
            ("https://example.com/x/", "not a web address"),
            ("//example.com/x/", "not a web address"),
            ("javascript:alert(1)", "not a web address"),
            ("/a/?page=2", "query string"),
            ("/a/#top", "fragment"),
            ("\\a\\b", "backslashes"),
            ("/a/../b/", "`..`"),
            ("/a/%2e%2e/b/", "`..`"),
            ("./a/", "`.`"),
            ("/a//b/", "empty segment"),
            ("/a b/", "spaces"),
            ("/a%20b/", "spaces"),
            ("/a%0a/", "control"),
            ("/%ff/", "UTF-8"),
        ] {
            let e = output_path(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn entries_are_collected_with_their_lines() {
        let file = SourceFile::in_content;
        let (content, errors) = parse(vec![
            file(
                "guide/new.md",
                "+++\ntitle = \"N\"\naliases = [\n  \"/old/\",\n  \"../up/\",\n  \"x.html\",\n]\n+++\n",
            ),
            file(
                "criteria/speed.md",
                "---\ntitle: S\naliases:\n  - /speed/\n---\n",
            ),
        ]);
        assert!(errors.is_empty(), "{errors:?}");
        let (aliases, errors) = collect(&content);
        let found: Vec<(&str, &str, usize)> = aliases
            .iter()
            .map(|a| {
                (
                    a.path.as_str(),
                    a.to.as_str(),
                    a.position.map_or(0, |p| p.line),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("speed/index.html", "criteria/speed/", 4),
                ("old/index.html", "guide/new/", 4),
                ("x.html", "guide/new/", 6)
            ]
        );
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0]
                .to_string()
                .starts_with("content/guide/new.md:5:3: alias `../up/`: an alias must not hold"),
            "{}",
            errors[0]
        );
    }
}

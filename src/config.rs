//! Site configuration: reads `site.toml` into raw structs and resolves it into [`Config`].

use std::path::Path;

use serde::Deserialize;

use crate::content::frontmatter::{self, Format, FrontMatter};
use crate::error::{Diagnostic, Error, Result};

/// The config file name at the root of a site.
pub const FILE_NAME: &str = "site.toml";

/// `site.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    description: Option<String>,
    base_url: String,
    language: Option<String>,
    theme: Option<String>,
    cname: Option<String>,
    #[serde(default)]
    build: RawBuild,
    #[serde(default)]
    extra: toml::Table,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBuild {
    feed_limit: Option<usize>,
    search_index: Option<bool>,
    paginate_by: Option<usize>,
    matrix_columns: Option<usize>,
}

/// The resolved configuration every later step reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Site title.
    pub title: String,
    /// One-line site description.
    pub description: String,
    /// Absolute base URL with a trailing slash, e.g. `https://user.github.io/repo/`.
    pub base_url: String,
    /// The path part of `base_url`, starting and ending with `/`, e.g. `/repo/`.
    pub base_path: String,
    /// BCP 47 language tag of the content.
    pub language: String,
    /// Theme name, a folder under `themes/` (`default` is built in).
    pub theme: String,
    /// Custom domain written to `CNAME`, when set.
    pub cname: Option<String>,
    /// How many digests the Atom feed carries.
    pub feed_limit: usize,
    /// Whether to write the client-side search index.
    pub search_index: bool,
    /// Items per page of the article list and of each criterion's claims.
    pub paginate_by: usize,
    /// Sources shown as columns of the home page's matrix (the last ones in article order).
    pub matrix_columns: usize,
    /// Free-form values for themes, from `[extra]`.
    pub extra: serde_json::Value,
}

/// Reads and resolves `<root>/site.toml`.
pub fn load(root: &Path) -> Result<Config> {
    let path = root.join(FILE_NAME);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::one(Diagnostic::new(
                crate::content::display_path(&path, Path::new(".")),
                format!(
                    "no {FILE_NAME} in {}: run versus in a site's folder, pass --root DIR, \
                     or create a site with `versus init DIR`",
                    root.display()
                ),
            )));
        }
        Err(e) => return Err(Error::io(&path, e)),
    };
    parse(&text).map_err(|mut d| {
        d.path = crate::content::display_path(&path, Path::new("."));
        Error::one(d)
    })
}

/// Parses and resolves the text of `site.toml`.
pub fn parse(text: &str) -> Result<Config, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let front = FrontMatter {
        format: Format::Toml,
        text,
        first_line: 1,
    };
    let raw: RawConfig = frontmatter::parse(&front)
        .map_err(|e| Diagnostic::new(FILE_NAME, e.message).at_position(e.position))?;
    let at = |key: &[&str], message: String| {
        Diagnostic::new(FILE_NAME, message).at_position(frontmatter::locate(&front, key))
    };
    let (base_url, base_path) =
        resolve_base_url(&raw.base_url).map_err(|m| at(&["base_url"], m))?;
    let theme = raw.theme.unwrap_or_else(|| "default".into());
    if theme.is_empty() || theme.contains(['/', '\\']) || theme.starts_with('.') {
        return Err(at(
            &["theme"],
            format!("theme `{theme}` must be a folder name under themes/"),
        ));
    }
    if raw.build.paginate_by == Some(0) {
        return Err(at(
            &["build", "paginate_by"],
            "paginate_by must be at least 1".to_string(),
        ));
    }
    let extra = serde_json::to_value(&raw.extra).map_err(|e| {
        at(
            &["extra"],
            format!("[extra] cannot be used by templates: {e}"),
        )
    })?;
    Ok(Config {
        title: raw.title,
        description: raw.description.unwrap_or_default(),
        base_url,
        base_path,
        language: raw.language.unwrap_or_else(|| "en".into()),
        theme,
        cname: raw.cname.filter(|c| !c.trim().is_empty()),
        feed_limit: raw.build.feed_limit.unwrap_or(20),
        search_index: raw.build.search_index.unwrap_or(true),
        paginate_by: raw.build.paginate_by.unwrap_or(50),
        matrix_columns: raw.build.matrix_columns.unwrap_or(20),
        extra,
    })
}

impl Config {
    /// Replaces the base URL (from `--base-url`).
    pub fn with_base_url(mut self, url: &str) -> Result<Config> {
        let (base_url, base_path) =
            resolve_base_url(url).map_err(|m| Error::Other(format!("--base-url: {m}")))?;
        self.base_url = base_url;
        self.base_path = base_path;
        Ok(self)
    }
}

/// Splits a base URL into its normalised form (trailing slash) and its path.
/// A bare path such as `/` or `/repo/` is allowed for sites served at an unknown host.
pub fn resolve_base_url(url: &str) -> Result<(String, String), String> {
    let url = url.trim();
    let after_scheme = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let path = match after_scheme {
        Some(rest) => {
            let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            if host.is_empty() {
                return Err(format!("base_url `{url}` has no host"));
            }
            path
        }
        None if url.starts_with('/') => url,
        None => {
            return Err(format!(
                "base_url `{url}` must be an absolute URL like https://user.github.io/repo/ \
                 or a path starting with /"
            ));
        }
    };
    if path.contains(['?', '#', ' ', '"', '<', '>', '\\']) {
        return Err(format!(
            "base_url `{url}` must not contain a query, fragment or spaces"
        ));
    }
    let with_slash = |s: &str| {
        if s.ends_with('/') {
            s.to_string()
        } else {
            format!("{s}/")
        }
    };
    let base_path = with_slash(if path.is_empty() { "/" } else { path });
    Ok((with_slash(url), base_path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_minimal_config_with_defaults() {
        let c = parse("title = \"T\"\nbase_url = \"https://x.github.io/repo\"\n[build]\n").unwrap();
        assert_eq!(c.base_url, "https://x.github.io/repo/");
        assert_eq!(c.base_path, "/repo/");
        assert_eq!(c.theme, "default");
        assert_eq!(c.language, "en");
        assert!(c.search_index);
    }

    #[test]
    fn base_urls_resolve() {
        assert_eq!(resolve_base_url("https://a.b").unwrap().1, "/");
        assert_eq!(resolve_base_url("http://127.0.0.1:8000/").unwrap().1, "/");
        assert_eq!(
            resolve_base_url("/demo").unwrap(),
            ("/demo/".into(), "/demo/".into())
        );
        assert!(resolve_base_url("example.com").is_err());
        assert!(resolve_base_url("https:///x").is_err());
        assert!(resolve_base_url("https://a.b/x?y").is_err());
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("title = \"T\"\nbase_url = \"https://a/\"\ntheem = \"x\"\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("unknown field `theem`"), "{}", e.message);
        let e = parse("title = \"T\"\nbase_url = \"nope\"\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        let e = parse("base_url = \"/\"\n").unwrap_err();
        assert!(e.message.contains("title"), "{}", e.message);
        let e = parse("title = \"T\"\nbase_url = \"/\"\ntheme = \"../x\"\n").unwrap_err();
        assert_eq!(e.line, Some(3));
    }
}

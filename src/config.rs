//! Site configuration: reads `site.toml` into raw structs and resolves it into [`Config`].

use std::path::Path;

use serde::Deserialize;

use crate::content::frontmatter::{self, Format, FrontMatter};
use crate::content::raw::{check_text, optional_text, text};
use crate::error::{Diagnostic, Error, Result};

mod check;

pub use check::CheckConfig;
pub(crate) use check::RawCheck;
use check::resolve_check;

/// The config file name at the root of a site.
pub const FILE_NAME: &str = "site.toml";

/// `site.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConfig {
    #[serde(deserialize_with = "text")]
    title: String,
    #[serde(default, deserialize_with = "optional_text")]
    description: Option<String>,
    #[serde(deserialize_with = "text")]
    base_url: String,
    #[serde(default, deserialize_with = "optional_text")]
    language: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    theme: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    cname: Option<String>,
    #[serde(default)]
    build: RawBuild,
    #[serde(default)]
    evidence: RawEvidence,
    #[serde(default)]
    style: RawStyle,
    #[serde(default)]
    check: RawCheck,
    #[serde(default)]
    extra: toml::Table,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStyle {
    accent: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEvidence {
    archive: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBuild {
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
    /// The archive folder of the sources' copies (`[evidence] archive`), relative to the
    /// site root, when set.
    pub archive: Option<String>,
    /// The accent colour from `[style] accent`, for both modes, when set.
    pub accent: Option<crate::accent::Accent>,
    /// Free-form values for themes, from `[extra]`.
    pub extra: serde_json::Value,
    /// How `versus check --external` checks external links (`[check]`).
    pub check: CheckConfig,
    /// Whether drafts are built (`--drafts`; never from `site.toml`).
    pub drafts: bool,
}

/// Reads and resolves `<root>/site.toml`, and checks that the theme it names exists.
pub fn load(root: &Path) -> Result<Config> {
    let path = root.join(FILE_NAME);
    let display = crate::fs::display_path(&path, Path::new("."));
    if let Err(e) = std::fs::metadata(&path)
        && e.kind() == std::io::ErrorKind::NotFound
    {
        return Err(Error::one(Diagnostic::new(
            display,
            format!(
                "no {FILE_NAME} in {}: run versus in a site's folder, pass --root DIR, \
                 or create a site with `versus init DIR`",
                root.display()
            ),
        )));
    }
    let text = crate::fs::read_text(&path, &display)?;
    let located = |mut d: Diagnostic| {
        d.path = display.clone();
        Error::one(d)
    };
    let config = parse(&text).map_err(located)?;
    if !theme_exists(root, &config.theme) {
        let message = unknown_theme_message(&config.theme);
        return Err(located(at_key(&text, &["theme"], message)));
    }
    Ok(config)
}

/// Whether the site at `root` can use the theme `name`: the built-in one, or a folder.
pub fn theme_exists(root: &Path, name: &str) -> bool {
    name == "default" || root.join("themes").join(name).is_dir()
}

/// What is wrong with a theme that does not [exist](theme_exists).
pub fn unknown_theme_message(name: &str) -> String {
    format!(
        "unknown theme `{name}`: there is no folder themes/{name}/ (the built-in theme is `default`)"
    )
}

/// A diagnostic on `site.toml` at the value of `key`.
fn at_key(text: &str, key: &[&str], message: String) -> Diagnostic {
    let front = FrontMatter {
        format: Format::Toml,
        text: text.strip_prefix('\u{feff}').unwrap_or(text),
        first_line: 1,
    };
    Diagnostic::new(FILE_NAME, message).at_position(frontmatter::locate(&front, key))
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
    let at = |key: &[&str], message: String| at_key(text, key, message);
    let (base_url, base_path) =
        resolve_base_url(&raw.base_url).map_err(|m| at(&["base_url"], m))?;
    let theme = theme_name(raw.theme, &at)?;
    if raw.build.paginate_by == Some(0) {
        return Err(at(
            &["build", "paginate_by"],
            "paginate_by must be at least 1".to_string(),
        ));
    }
    let cname = cname(raw.cname, &at)?;
    let language = language(raw.language, &at)?;
    if let Some((path, message)) = bad_text_in(&raw.extra) {
        let mut key = vec!["extra"];
        key.extend(path.iter().map(String::as_str));
        return Err(at(&key, format!("extra.{}: {message}", path.join("."))));
    }
    let accent = raw
        .style
        .accent
        .as_deref()
        .map(crate::accent::resolve)
        .transpose()
        .map_err(|m| at(&["style", "accent"], m))?;
    let check = resolve_check(raw.check).map_err(|(key, m)| at(&["check", key], m))?;
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
        language,
        theme,
        cname,
        feed_limit: raw.build.feed_limit.unwrap_or(20),
        search_index: raw.build.search_index.unwrap_or(true),
        paginate_by: raw.build.paginate_by.unwrap_or(50),
        matrix_columns: raw.build.matrix_columns.unwrap_or(20),
        archive: raw.evidence.archive.filter(|a| !a.trim().is_empty()),
        accent,
        extra,
        drafts: false,
        check,
    })
}

/// Where a message about a key of `site.toml` points.
type At<'a> = &'a dyn Fn(&[&str], String) -> Diagnostic;

/// The theme's folder name (`default` unless set).
fn theme_name(theme: Option<String>, at: At<'_>) -> Result<String, Diagnostic> {
    let theme = theme.unwrap_or_else(|| "default".into());
    if theme.is_empty() || theme.contains(['/', '\\']) || theme.starts_with('.') {
        return Err(at(
            &["theme"],
            format!("theme `{theme}` must be a folder name under themes/"),
        ));
    }
    Ok(theme)
}

/// The custom domain, if set and not blank.
fn cname(cname: Option<String>, at: At<'_>) -> Result<Option<String>, Diagnostic> {
    // A stray character breaks more than looks: CNAME is one line that GitHub Pages reads.
    let cname = cname.filter(|c| !c.trim().is_empty());
    if let Some(c) = &cname
        && !is_host_name(c.trim())
    {
        return Err(at(
            &["cname"],
            format!(
                "cname `{}` must be a domain name like docs.example.org",
                c.escape_debug()
            ),
        ));
    }
    Ok(cname)
}

/// The language tag of every page (`en` unless set).
fn language(language: Option<String>, at: At<'_>) -> Result<String, Diagnostic> {
    // A stray character breaks more than looks: the language goes into every page's `lang`.
    let language = language.unwrap_or_else(|| "en".into());
    if !is_language_tag(&language) {
        return Err(at(
            &["language"],
            format!(
                "language `{}` must be a language tag like en or pt-BR",
                language.escape_debug()
            ),
        ));
    }
    Ok(language)
}

/// The first key or string of `[extra]` that [`check_text`] refuses: its key path (array
/// items by index) and why. Templates may put any of them into a page or the feed.
fn bad_text_in(table: &toml::Table) -> Option<(Vec<String>, String)> {
    let mut path = Vec::new();
    let found = bad_text_in_table(table, &mut path)?;
    Some((path, found))
}

fn bad_text_in_table(table: &toml::Table, path: &mut Vec<String>) -> Option<String> {
    table.iter().find_map(|(key, value)| {
        path.push(key.clone());
        let found = check_text(key)
            .err()
            .or_else(|| bad_text_in_value(value, path));
        if found.is_none() {
            path.pop();
        }
        found
    })
}

fn bad_text_in_value(value: &toml::Value, path: &mut Vec<String>) -> Option<String> {
    match value {
        toml::Value::String(s) => check_text(s).err(),
        toml::Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            path.push(i.to_string());
            let found = bad_text_in_value(item, path);
            if found.is_none() {
                path.pop();
            }
            found
        }),
        toml::Value::Table(table) => bad_text_in_table(table, path),
        _ => None,
    }
}

/// Letters, digits and `-` in dot-separated labels.
fn is_host_name(name: &str) -> bool {
    name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// BCP 47 in shape: letters and digits in `-`-separated subtags of up to 8.
fn is_language_tag(tag: &str) -> bool {
    tag.split('-').all(|subtag| {
        (1..=8).contains(&subtag.len()) && subtag.chars().all(|c| c.is_ascii_alphanumeric())
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
    fn the_archive_folder_is_read_from_evidence() {
        let c = parse("title = \"T\"\nbase_url = \"/\"\n[evidence]\narchive = \"../copies\"\n")
            .unwrap();
        assert_eq!(c.archive.as_deref(), Some("../copies"));
        let e = parse("title = \"T\"\nbase_url = \"/\"\n[evidence]\narchve = \"x\"\n").unwrap_err();
        assert_eq!(e.line, Some(4));
    }

    #[test]
    fn the_check_table_has_defaults_and_limits() {
        let config = |check: &str| {
            parse(&format!(
                "title = \"T\"\nbase_url = \"/\"\n[check]\n{check}"
            ))
        };
        assert_eq!(config("").unwrap().check, CheckConfig::default());
        let c = config(
            "skip = [\"https://example.com/\"]\ntimeout = 2\nper_host = 1\ncache_hours = 0\n",
        )
        .unwrap()
        .check;
        assert_eq!(c.skip, ["https://example.com/"]);
        assert_eq!(
            (c.timeout, c.per_host, c.concurrency, c.cache_hours),
            (2, 1, 16, 0)
        );
        let e = config("timeout = 0\n").unwrap_err();
        assert_eq!(e.line, Some(4));
        assert!(
            e.message.contains("timeout must be at least 1"),
            "{}",
            e.message
        );
        let e = config("skip = [\"\"]\n").unwrap_err();
        assert!(e.message.contains("every link"), "{}", e.message);
        assert!(
            config("retries = 3\n").is_err(),
            "an unknown key is an error"
        );
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

    #[test]
    fn control_characters_are_refused_in_every_string() {
        let e = parse("title = \"T\\u000b\"\nbase_url = \"/\"\n").unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("U+000B"), "{}", e.message);
        let e = parse("title = \"T\"\nbase_url = \"https://a\\u0000.b/\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(12)));
        let e = parse(
            "title = \"T\"\nbase_url = \"/\"\n[extra]\nok = 1\nlist = [\"a\", \"\\u001b\"]\n",
        )
        .unwrap_err();
        assert_eq!(e.line, Some(5));
        assert!(e.message.starts_with("extra.list.1: "), "{}", e.message);
        assert!(parse("title = \"T\\tU\"\nbase_url = \"/\"\n[extra]\na = \"\\n\"\n").is_ok());
    }

    #[test]
    fn cname_and_language_must_be_well_formed() {
        let config = |extra: &str| parse(&format!("title = \"T\"\nbase_url = \"/\"\n{extra}"));
        assert!(config("cname = \"docs.example.org\"\nlanguage = \"pt-BR\"\n").is_ok());
        assert!(
            config("cname = \"\"\n").is_ok(),
            "an empty cname means none"
        );
        let e = config("cname = \"a.org\\nX: y\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(3), Some(9)));
        assert!(e.message.contains("`a.org\\nX: y`"), "{}", e.message);
        assert!(config("language = \"en\\\"><x\"\n").is_err());
        assert!(config("language = \"\"\n").is_err());
    }
}

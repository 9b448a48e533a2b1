//! Theme loading: the built-in default theme, then `themes/<name>/`, then the site's own
//! `templates/` and `static/`, layered file by file (the later wins). Reads files only.
//! Each theme template is also reachable as `<theme>/<name>` (and the built-in ones as
//! `default/<name>`), so a site template can extend the one it replaces and override a block.

pub(crate) mod eject;
pub(crate) mod scan;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::config;
use crate::error::{Diagnostic, Error, Result};
use crate::fs::{copyable_files, display_path, files_under, read_text};

/// The default theme, compiled in so that any site builds without a theme folder.
static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A template's source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TemplateSource {
    /// Where it came from, as shown in errors (`templates/page.html`, `(built-in) …`).
    pub display: PathBuf,
    /// The text.
    pub text: String,
}

/// A static file to copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Asset {
    /// From the built-in theme.
    Embedded(&'static [u8]),
    /// From disk.
    File(PathBuf),
}

/// All templates and assets of a site, after layering.
#[derive(Debug, Clone, Default)]
pub(crate) struct Theme {
    /// Template name (path under `templates/`, `/`-separated) to source.
    pub templates: BTreeMap<String, TemplateSource>,
    /// Output path (under the output folder, `/`-separated) to file.
    pub assets: BTreeMap<String, Asset>,
}

/// Loads the layered theme for the site at `root`.
pub(crate) fn load(root: &Path, theme: &str) -> Result<Theme> {
    let mut layered = load_theme(root, theme)?;
    add_dir(&mut layered, &root.join("templates"), &root.join("static"))?;
    Ok(layered)
}

/// The theme alone, before the site's own `templates/` and `static/`: the built-in theme,
/// then `themes/<theme>/`, with every template also under its `<theme>/` name.
pub(crate) fn load_theme(root: &Path, theme: &str) -> Result<Theme> {
    let mut layered = Theme::default();
    add_embedded(&mut layered, &DEFAULT_THEME);
    let builtin = layered.templates.clone();
    let theme_dir = root.join("themes").join(theme);
    if theme_dir.is_dir() {
        add_dir(
            &mut layered,
            &theme_dir.join("templates"),
            &theme_dir.join("static"),
        )?;
    } else if !config::theme_exists(root, theme) {
        return Err(Error::one(Diagnostic::new(
            display_path(&root.join(config::FILE_NAME), Path::new(".")),
            config::unknown_theme_message(theme),
        )));
    }
    let own = layered.templates.clone();
    add_prefixed(&mut layered, theme, own);
    if theme != "default" {
        add_prefixed(&mut layered, "default", builtin);
    }
    Ok(layered)
}

/// Adds `templates` again under `<prefix>/<name>`, keeping their sources (and so the file
/// an error names). A name that is already there (a theme's own `default/…`) is kept.
/// Templates that define components are left out: components are global in Tera and are
/// used by name (`{{ consensus(c=…) }}`), never through the file that defines them.
fn add_prefixed(theme: &mut Theme, prefix: &str, templates: BTreeMap<String, TemplateSource>) {
    for (name, source) in templates {
        if scan::defines_components(&source.text) {
            continue;
        }
        theme
            .templates
            .entry(format!("{prefix}/{name}"))
            .or_insert(source);
    }
}

/// The built-in default theme alone, read from the binary: what a site without theme,
/// `templates/` or `static/` folders gets.
pub(crate) fn builtin() -> Theme {
    let mut theme = Theme::default();
    add_embedded(&mut theme, &DEFAULT_THEME);
    let own = theme.templates.clone();
    add_prefixed(&mut theme, "default", own);
    theme
}

fn add_embedded(theme: &mut Theme, dir: &'static Dir<'static>) {
    for entry in dir.entries() {
        if let Some(sub) = entry.as_dir() {
            add_embedded(theme, sub);
        } else if let Some(file) = entry.as_file() {
            let path = file.path().to_string_lossy().replace('\\', "/");
            if let Some(name) = path.strip_prefix("templates/") {
                let text = String::from_utf8_lossy(file.contents()).into_owned();
                let display = PathBuf::from(format!("(built-in theme) templates/{name}"));
                theme
                    .templates
                    .insert(name.to_string(), TemplateSource { display, text });
            } else if let Some(name) = path.strip_prefix("static/") {
                theme
                    .assets
                    .insert(name.to_string(), Asset::Embedded(file.contents()));
            }
        }
    }
}

fn add_dir(theme: &mut Theme, templates: &Path, assets: &Path) -> Result<()> {
    let root = Path::new(".");
    let mut errors = Vec::new();
    for (rel, path) in files_under(templates, root, &mut errors) {
        let display = display_path(&path, root);
        match read_text(&path, &display) {
            Ok(text) => {
                theme
                    .templates
                    .insert(rel, TemplateSource { display, text });
            }
            Err(d) => errors.push(d),
        }
    }
    for (rel, path) in copyable_files(assets, root, &mut errors) {
        theme.assets.insert(rel, Asset::File(path));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Site(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_theme_has_every_page_template() {
        let theme = load(Path::new("/nonexistent-root"), "default").unwrap();
        for name in [
            "base.html",
            "index.html",
            "article.html",
            "criterion.html",
            "subject.html",
            "page.html",
            "section.html",
            "list.html",
            "404.html",
            "atom.xml",
            "sitemap.xml",
            "robots.txt",
        ] {
            assert!(theme.templates.contains_key(name), "missing {name}");
        }
        assert!(theme.assets.keys().any(|k| k.ends_with(".css")));
    }

    #[test]
    fn theme_templates_are_also_reachable_under_the_theme_name() {
        let theme = load(Path::new("/nonexistent-root"), "default").unwrap();
        assert_eq!(
            theme.templates["default/article.html"],
            theme.templates["article.html"]
        );
        assert_eq!(
            builtin().templates["default/base.html"],
            theme.templates["base.html"]
        );
    }

    #[test]
    fn an_unknown_theme_is_an_error() {
        let e = load(Path::new("/nonexistent-root"), "fancy").unwrap_err();
        assert!(e.to_string().contains("unknown theme `fancy`"), "{e}");
    }
}

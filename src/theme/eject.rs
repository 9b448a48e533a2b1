//! `versus theme eject NAME`: copies one file of the site's theme (a template, or a static
//! file such as `style.css`) into the site's own `templates/` or `static/` for editing,
//! never over a file that is already there.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Asset, Theme};
use crate::error::{Diagnostic, Error, Result};

/// Copies the theme's `name` into the site at `root`; returns the path written.
pub(crate) fn eject(root: &Path, name: &str) -> Result<PathBuf> {
    let config = crate::config::load(root)?;
    let theme = super::load_theme(root, &config.theme)?;
    let name = name
        .strip_prefix(&format!("{}/", config.theme))
        .or_else(|| name.strip_prefix("default/"))
        .unwrap_or(name)
        .trim_start_matches('/');
    let (dir, bytes) = source(&theme, &config.theme, name)?;
    let target = root.join(dir).join(name);
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&target)
        .map_err(|e| {
            let message = if e.kind() == std::io::ErrorKind::AlreadyExists {
                format!(
                    "already exists, so it was left as it is: the site already overrides \
                     the theme's {name}; remove it first to eject a fresh copy"
                )
            } else {
                format!("cannot write: {e}")
            };
            Error::one(Diagnostic::new(&target, message))
        })?;
    file.write_all(&bytes).map_err(|e| Error::io(&target, e))?;
    Ok(target)
}

/// The folder the file goes to (`templates` or `static`) and its bytes in the theme.
fn source(theme: &Theme, theme_name: &str, name: &str) -> Result<(&'static str, Vec<u8>)> {
    if let Some(template) = theme.templates.get(name) {
        return Ok(("templates", template.text.clone().into_bytes()));
    }
    match theme.assets.get(name) {
        Some(Asset::Embedded(bytes)) => Ok(("static", bytes.to_vec())),
        Some(Asset::File(path)) => {
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
            Ok(("static", bytes))
        }
        None => {
            let prefix = format!("{theme_name}/");
            let names: Vec<&str> = theme
                .templates
                .keys()
                .filter(|n| !n.starts_with(&prefix) && !n.starts_with("default/"))
                .chain(theme.assets.keys())
                .map(String::as_str)
                .collect();
            Err(Error::Other(format!(
                "the theme `{theme_name}` has no file `{name}`; it has: {}",
                names.join(", ")
            )))
        }
    }
}

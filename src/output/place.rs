//! Where the output goes, checked before anything is written: never over the site's own
//! files, and no static file colliding with a generated one (the same path, or a file where
//! the other needs a folder).

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, Result};
use crate::{model, theme};

/// Every generated path that cannot be written beside the others: a static file with the
/// same path as a generated one, or one file needing a folder where another file goes
/// (`style.css` from `static/` and a page at `/style.css/`, the page
/// `subjects/index.html.md` whose folder is the section's `subjects/index.html`). Checked
/// from the plan of paths, before anything is written, so no write fails half way.
pub(crate) fn path_conflicts<'a>(
    theme: &theme::Theme,
    generated: impl IntoIterator<Item = &'a str>,
    site: &model::Site,
) -> Vec<Diagnostic> {
    let planned: Vec<&str> = generated.into_iter().collect();
    let alias_errors = super::aliases::conflicts(theme, &planned, site);
    if !alias_errors.is_empty() {
        return alias_errors;
    }
    let generated: std::collections::BTreeSet<&str> = planned.into_iter().collect();
    let mut errors = folder_conflicts(theme, &generated, site);
    for path in &generated {
        if theme.assets.contains_key(*path) {
            errors.push(Diagnostic::new(
                format!("static/{path}"),
                format!(
                    "this static file has the same path as the generated /{path}: rename or remove it"
                ),
            ));
        }
    }
    errors
}

/// Output paths where one file needs a folder that another file takes.
fn folder_conflicts(
    theme: &theme::Theme,
    generated: &std::collections::BTreeSet<&str>,
    site: &model::Site,
) -> Vec<Diagnostic> {
    let taken = |folder: &str| {
        if theme.assets.contains_key(folder) {
            Some(format!("the static file {folder}"))
        } else {
            generated
                .contains(folder)
                .then(|| format!("the generated /{folder}"))
        }
    };
    let static_file = |path: &str| match theme.assets.get(path) {
        Some(theme::Asset::File(file)) => crate::fs::display_path(file, Path::new(".")),
        _ => PathBuf::from(format!("(built-in theme) static/{path}")),
    };
    let mut errors = Vec::new();
    for path in generated
        .iter()
        .copied()
        .chain(theme.assets.keys().map(String::as_str))
    {
        let mut folders = path.match_indices('/').map(|(i, _)| &path[..i]);
        let Some((folder, taken_by)) = folders.find_map(|f| Some((f, taken(f)?))) else {
            continue;
        };
        let source = generated
            .contains(path)
            .then(|| source_of(site, path))
            .flatten();
        errors.push(if let Some(source) = source {
            let url = path.strip_suffix("index.html").unwrap_or(path);
            Diagnostic::new(
                source,
                format!(
                    "the page /{url} needs a folder where {taken_by} goes: rename the page or the file"
                ),
            )
        } else if theme.assets.contains_key(path) {
            Diagnostic::new(
                static_file(path),
                format!(
                    "this static file needs a folder /{folder}/ where {taken_by} goes: \
                     rename or remove it"
                ),
            )
        } else {
            Diagnostic::new(
                static_file(folder),
                format!(
                    "this static file takes the place of the folder of the generated /{path}: \
                     rename or remove it"
                ),
            )
        });
    }
    errors
}

/// The content file a generated page at `path` comes from, if any.
pub(super) fn source_of<'s>(site: &'s model::Site, path: &str) -> Option<&'s Path> {
    let pages = site.pages.iter().chain(&site.sections);
    if let Some(page) = pages
        .into_iter()
        .find(|p| format!("{}index.html", p.url) == path)
    {
        return Some(&page.body.source);
    }
    let under = |collection: &str, id: &str| path.starts_with(&format!("{collection}/{id}/"));
    let subjects = site.subjects.iter().filter(|s| under("subjects", &s.id));
    let criteria = site.criteria.iter().filter(|c| under("criteria", &c.id));
    let articles = site.articles.iter().filter(|a| under("articles", &a.slug));
    subjects
        .map(|s| &s.body)
        .chain(criteria.map(|c| &c.body))
        .chain(articles.map(|a| &a.body))
        .map(|b| b.source.as_path())
        .next()
}

/// The output folder is replaced on every build: it must not hold the site's own files.
pub(crate) fn check_output_location(root: &Path, output: &Path) -> Result<()> {
    let (root_abs, out_abs) = (real_path(root), real_path(output));
    let inside_sources = ["content", "themes", "templates", "static"]
        .iter()
        .any(|d| out_abs.starts_with(root_abs.join(d)));
    if root_abs.starts_with(&out_abs) || inside_sources {
        return Err(Error::Other(format!(
            "output folder {} would overwrite the site's own files: choose a folder outside content/, \
             themes/, templates/ and static/, and not the site root",
            output.display()
        )));
    }
    Ok(())
}

/// Where `path` really is: absolute, with the symbolic links of the part that exists resolved
/// and `..` applied to the rest, so that neither `out/../content` nor a link into `content/`
/// hides where a build would write.
pub(crate) fn real_path(path: &Path) -> PathBuf {
    use std::path::Component;
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let parts: Vec<Component<'_>> = absolute.components().collect();
    for existing in (1..=parts.len()).rev() {
        let Ok(mut real) = parts[..existing].iter().collect::<PathBuf>().canonicalize() else {
            continue;
        };
        for part in &parts[existing..] {
            match part {
                Component::ParentDir => {
                    real.pop();
                }
                Component::Normal(name) => real.push(name),
                _ => {}
            }
        }
        return real;
    }
    absolute
}

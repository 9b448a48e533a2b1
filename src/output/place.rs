//! Where the output goes, checked before anything is written: never over the site's own
//! files, and no static file or page asset colliding with a generated one or with each
//! other (the same path, or a file where the other needs a folder).

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, Result};
use crate::{model, theme};

/// Every generated path that cannot be written beside the others: a static file or page
/// asset with the same path as a generated one or as each other, or one file needing a
/// folder where another file goes (`style.css` from `static/` and a page at `/style.css/`,
/// the page `subjects/index.html.md` whose folder is the section's `subjects/index.html`).
/// Checked from the plan of paths, before anything is written, so no write fails half way.
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
    let copied = Copied { theme, site };
    let mut errors = folder_conflicts(&copied, &generated, site);
    for path in &generated {
        if let Some(what) = copied.first(path) {
            errors.push(Diagnostic::new(
                copied.file(path),
                format!(
                    "this {what} has the same path as the generated /{path}: rename or remove it"
                ),
            ));
        }
    }
    for path in site.assets.keys() {
        if theme.assets.contains_key(path) {
            let asset = crate::content::assets::source_display(&site.assets, path);
            errors.push(Diagnostic::new(
                asset.unwrap_or_else(|| PathBuf::from(format!("content/{path}"))),
                format!(
                    "this page asset has the same path as the static file {}: rename one",
                    static_file(theme, path).display()
                ),
            ));
        }
    }
    errors
}

/// The files a build copies: static files, then page assets.
struct Copied<'a> {
    theme: &'a theme::Theme,
    site: &'a model::Site,
}

impl Copied<'_> {
    /// What the file copied to `path` is, if one is: `static file` or `page asset`.
    fn first(&self, path: &str) -> Option<&'static str> {
        if self.theme.assets.contains_key(path) {
            Some("static file")
        } else if self.site.assets.contains_key(path) {
            Some("page asset")
        } else {
            None
        }
    }

    /// The file copied to `path`, as shown to users.
    fn file(&self, path: &str) -> PathBuf {
        if self.theme.assets.contains_key(path) {
            static_file(self.theme, path)
        } else {
            crate::content::assets::source_display(&self.site.assets, path)
                .unwrap_or_else(|| PathBuf::from(format!("content/{path}")))
        }
    }

    fn paths(&self) -> impl Iterator<Item = &str> {
        self.theme
            .assets
            .keys()
            .chain(self.site.assets.keys())
            .map(String::as_str)
    }
}

/// A static file as shown to users.
fn static_file(theme: &theme::Theme, path: &str) -> PathBuf {
    match theme.assets.get(path) {
        Some(theme::Asset::File(file)) => crate::fs::display_path(file, Path::new(".")),
        _ => PathBuf::from(format!("(built-in theme) static/{path}")),
    }
}

/// Output paths where one file needs a folder that another file takes.
fn folder_conflicts(
    copied: &Copied<'_>,
    generated: &std::collections::BTreeSet<&str>,
    site: &model::Site,
) -> Vec<Diagnostic> {
    let taken = |folder: &str| match copied.first(folder) {
        Some(what) => Some(format!("the {what} {folder}")),
        None => generated
            .contains(folder)
            .then(|| format!("the generated /{folder}")),
    };
    let mut errors = Vec::new();
    for path in generated.iter().copied().chain(copied.paths()) {
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
        } else if let Some(what) = copied.first(path) {
            Diagnostic::new(
                copied.file(path),
                format!(
                    "this {what} needs a folder /{folder}/ where {taken_by} goes: \
                     rename or remove it"
                ),
            )
        } else {
            let what = copied.first(folder).unwrap_or("static file");
            Diagnostic::new(
                copied.file(folder),
                format!(
                    "this {what} takes the place of the folder of the generated /{path}: \
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

//! Redirect pages against the plan of every output path: an alias may not take the path of
//! a page, a generated file, a static file or another alias, nor need a folder where a file
//! goes. Each error names the `aliases` entry (file and line).

use std::collections::HashMap;

use crate::error::Diagnostic;
use crate::model::generated::GENERATED_DIRS;
use crate::{model, theme};

/// Every collision of a redirect page of `site` with another path of `planned` (which holds
/// each redirect page once, beside the pages and data files) or with a static file.
pub(crate) fn conflicts(
    theme: &theme::Theme,
    planned: &[&str],
    site: &model::Site,
) -> Vec<Diagnostic> {
    if site.aliases.is_empty() {
        return Vec::new();
    }
    let mut count: HashMap<&str, usize> = HashMap::new();
    for path in planned {
        *count.entry(path).or_default() += 1;
    }
    let mut errors = Vec::new();
    for (i, alias) in site.aliases.iter().enumerate() {
        let path = alias.path.as_str();
        let url = format!("/{}", path.strip_suffix("index.html").unwrap_or(path));
        let earlier = site.aliases[..i].iter().find(|a| a.path == path);
        let aliases_here = site.aliases.iter().filter(|a| a.path == path).count();
        let taken_by = if let Some(dir) = GENERATED_DIRS.iter().find(|d| path.starts_with(**d)) {
            Some(format!(
                "is inside /{dir}, where the build writes files of its own"
            ))
        } else if theme.assets.contains_key(path) {
            Some(format!("is the path of the static file {path}"))
        } else if site.assets.contains_key(path) {
            Some(format!("is the path of the page asset content/{path}"))
        } else if count.get(path).copied().unwrap_or(0) > aliases_here {
            Some(match super::place::source_of(site, path) {
                Some(source) => format!("is the page of {}", source.display()),
                None if path == "index.html" => "is the home page".to_string(),
                None => format!("is the generated /{path}"),
            })
        } else if let Some(earlier) = earlier {
            let line = earlier
                .position
                .map_or(String::new(), |p| format!(":{}", p.line));
            Some(format!(
                "is already redirected by {}{line}",
                earlier.source.display()
            ))
        } else {
            folder_taken(theme, site, &count, path)
        };
        if let Some(taken_by) = taken_by {
            errors.push(alias.error(format!(
                "the alias {url} {taken_by}: an alias is for an old path that nothing else \
                 uses; remove it or change it"
            )));
        }
    }
    errors
}

/// A folder of `path` that a static or generated file takes, described.
fn folder_taken(
    theme: &theme::Theme,
    site: &model::Site,
    planned: &HashMap<&str, usize>,
    path: &str,
) -> Option<String> {
    let mut folders = path.match_indices('/').map(|(i, _)| &path[..i]);
    folders.find_map(|folder| {
        if theme.assets.contains_key(folder) {
            Some(format!(
                "needs a folder /{folder}/ where the static file {folder} goes"
            ))
        } else if site.assets.contains_key(folder) {
            Some(format!(
                "needs a folder /{folder}/ where the page asset content/{folder} goes"
            ))
        } else {
            planned
                .contains_key(folder)
                .then(|| format!("needs a folder /{folder}/ where the generated /{folder} goes"))
        }
    })
}

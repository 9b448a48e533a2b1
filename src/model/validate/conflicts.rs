//! Two sources for one output path: content pages that would land where another page, a generated file or a generated folder goes.

use super::*;
use crate::model::generated::{GENERATED, GENERATED_DIRS, GENERATED_PAGES};

/// Every output path must come from one source only.
pub(super) fn output_conflicts(site: &Site) -> Vec<Diagnostic> {
    let mut owners: BTreeMap<String, String> = BTreeMap::new();
    let mut errors = Vec::new();
    let mut claim = |url: String, source: String| {
        if let Some(dir) = GENERATED_DIRS.iter().find(|d| url.starts_with(**d)) {
            errors.push(Diagnostic::new(
                source,
                format!(
                    "the page /{url} would be inside /{dir}, where the build writes files of its own; rename it"
                ),
            ));
            return;
        }
        let key = url.trim_end_matches('/').to_string();
        if let Some(previous) = owners.get(&key) {
            errors.push(Diagnostic::new(
                source.clone(),
                format!(
                    "two sources map to the same page /{url}: this file and {previous}; rename one"
                ),
            ));
        } else {
            owners.insert(key, source);
        }
    };
    claim("index.html".into(), "the home page".into());
    for file in GENERATED.iter().map(|g| g.path) {
        claim(file.to_string(), format!("the generated {file}"));
    }
    for page in GENERATED_PAGES {
        claim(page.to_string(), format!("the generated page /{page}"));
    }
    for c in Collection::ALL {
        let source = site.list_intros.get(&c).map_or_else(
            || format!("the generated list of {}", c.dir()),
            |p| p.body.source.display().to_string(),
        );
        claim(format!("{}/", c.dir()), source);
    }
    for s in &site.subjects {
        claim(s.url_path(), s.body.source.display().to_string());
    }
    for c in &site.criteria {
        claim(c.url_path(), c.body.source.display().to_string());
    }
    for a in &site.articles {
        claim(a.url_path(), a.body.source.display().to_string());
    }
    for p in site.sections.iter().chain(&site.pages) {
        claim(p.url.clone(), p.body.source.display().to_string());
    }
    errors
}

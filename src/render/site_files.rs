//! The data and site files of the table of generated files: the matrix as JSON and CSV, CNAME, the search index; and the redirect pages of aliases.

use super::*;

/// The data files of the table of generated files that `site` has.
fn data_files(site: &Site) -> impl Iterator<Item = &'static Generated> + '_ {
    GENERATED.iter().filter(|g| match g.maker {
        Maker::Template => false,
        Maker::SearchIndex => site.config.search_index,
        Maker::Cname => site.config.cname.is_some(),
        Maker::Empty | Maker::MatrixJson | Maker::MatrixCsv => true,
    })
}

/// The paths [`site_files()`] writes.
pub(crate) fn site_file_paths(site: &Site) -> Vec<String> {
    let mut paths = Vec::new();
    for g in data_files(site) {
        match g.maker {
            Maker::SearchIndex => paths.extend(search::paths(site)),
            _ => paths.push(g.path.to_string()),
        }
    }
    paths.extend(super::aliases::paths(site));
    paths
}

/// Files that come from data rather than templates.
pub(crate) fn site_files(site: &Site, search: Option<&search::Index>) -> Vec<OutputFile> {
    let mut files = Vec::new();
    for g in data_files(site) {
        let bytes = match g.maker {
            Maker::Empty | Maker::Template => Vec::new(),
            Maker::MatrixJson => data::matrix_json(site),
            Maker::MatrixCsv => data::matrix_csv(site),
            Maker::Cname => {
                let cname = site.config.cname.as_deref().unwrap_or_default();
                format!("{}\n", cname.trim()).into_bytes()
            }
            Maker::SearchIndex => {
                files.extend(search.map(search::Index::files).unwrap_or_default());
                continue;
            }
        };
        files.push(OutputFile {
            path: g.path.into(),
            bytes,
        });
    }
    files.extend(super::aliases::files(site));
    files
}

/// `matrix.json` and `matrix.csv`: of the data files, those an edit to claims changes.
pub(crate) fn matrix_files(site: &Site) -> Vec<OutputFile> {
    let made = |g: &Generated| match g.maker {
        Maker::MatrixJson => Some(data::matrix_json(site)),
        Maker::MatrixCsv => Some(data::matrix_csv(site)),
        _ => None,
    };
    GENERATED
        .iter()
        .filter_map(|g| {
            made(g).map(|bytes| OutputFile {
                path: g.path.into(),
                bytes,
            })
        })
        .collect()
}

//! The data and site files of the table of generated files: the matrix as JSON and CSV, CNAME, the search index; and the redirect pages of aliases.

use super::*;

/// The data files of the table of generated files that `site` has.
fn data_files(site: &Site) -> impl Iterator<Item = &'static Generated> + '_ {
    GENERATED.iter().filter(|g| match g.maker {
        Maker::Template => false,
        Maker::SearchIndex => site.config.search_index,
        Maker::Cname => site.config.cname.is_some(),
        Maker::Empty | Maker::MatrixJson | Maker::MatrixCsv | Maker::Weighting => true,
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
    each_site_file(site, search, &mut |file| {
        files.push(match file {
            DataFile::Made(file) => file,
            DataFile::Written(path, write) => written(path, write),
        });
    });
    files
}

/// Writes a [`DataFile::Written`] into memory.
pub(crate) fn written(path: &str, write: Write<'_>) -> OutputFile {
    let mut bytes = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write(&mut bytes);
    OutputFile {
        path: path.into(),
        bytes,
    }
}

/// Writes a data file into a stream.
pub(crate) type Write<'a> = &'a dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()>;

/// A data file as [`each_site_file`] hands it over.
pub(crate) enum DataFile<'a> {
    /// Made in memory.
    Made(OutputFile),
    /// Its path, and how to write it: for `matrix.json` (140 MB at 100,000 articles), which
    /// a build writes to disk as it is serialized.
    Written(&'static str, Write<'a>),
}

/// Makes the files of [`site_files`] one by one, handing each to `put` as it is made: a
/// large site's data files (the search index is 100 MB at 100,000 articles) are then never
/// in memory all at once.
pub(crate) fn each_site_file(
    site: &Site,
    search: Option<&search::Index>,
    put: &mut dyn FnMut(DataFile<'_>),
) {
    let made = |path: &str, bytes| {
        DataFile::Made(OutputFile {
            path: path.into(),
            bytes,
        })
    };
    for g in data_files(site) {
        match g.maker {
            Maker::Empty | Maker::Template => put(made(g.path, Vec::new())),
            Maker::MatrixJson => put(DataFile::Written(g.path, &|out| {
                data::write_matrix_json(site, out)
            })),
            Maker::MatrixCsv => put(made(g.path, data::matrix_csv(site))),
            Maker::Weighting => put(made(g.path, weighting_file(site))),
            Maker::Cname => {
                let cname = site.config.cname.as_deref().unwrap_or_default();
                put(made(g.path, format!("{}\n", cname.trim()).into_bytes()));
            }
            Maker::SearchIndex => {
                if let Some(search) = search {
                    search.each_file(&mut |file| put(DataFile::Made(file)));
                }
            }
        }
    }
    for file in super::aliases::files(site) {
        put(DataFile::Made(file));
    }
}

/// `weighting.json`: the reader's weighting dataset, with a final newline.
fn weighting_file(site: &Site) -> Vec<u8> {
    let columns = super::views::column_labels(&site.articles);
    let mut bytes = super::weighting::dataset(site, &columns).into_bytes();
    bytes.push(b'\n');
    bytes
}

/// `matrix.json`, `matrix.csv` and `weighting.json`: of the data files, those an edit to
/// claims changes.
pub(crate) fn matrix_files(site: &Site) -> Vec<OutputFile> {
    let made = |g: &Generated| match g.maker {
        Maker::MatrixJson => Some(data::matrix_json(site)),
        Maker::MatrixCsv => Some(data::matrix_csv(site)),
        Maker::Weighting => Some(weighting_file(site)),
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

//! The derived matrix as data files for reuse: `matrix.json` (DESIGN.md's shape) and
//! `matrix.csv` (one row per criterion, one column per article).

use std::borrow::Cow;

use serde::Serialize;
use serde::ser::SerializeMap;

use crate::model::Site;
use crate::model::matrix::{Row, Status};

#[derive(Serialize)]
struct MatrixJson<'a> {
    subjects: Vec<SubjectJson<'a>>,
    articles: Vec<ArticleJson<'a>>,
    criteria: Vec<CriterionJson<'a>>,
}

#[derive(Serialize)]
struct SubjectJson<'a> {
    id: &'a str,
    name: &'a str,
    /// Only with `--drafts`, and only `true`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    draft: bool,
}

#[derive(Serialize)]
struct ArticleJson<'a> {
    slug: &'a str,
    title: &'a str,
    publisher: &'a str,
    author: Option<&'a str>,
    published: Option<String>,
    leaning: &'a str,
    url: String,
    source_url: Option<&'a str>,
    /// The matrix column label.
    label: &'a str,
    stake: Option<&'a str>,
    disclosure: Option<&'a str>,
    retrieved: Option<String>,
    archive_url: Option<&'a str>,
    /// Only with `--drafts`, and only `true`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    draft: bool,
}

#[derive(Serialize)]
struct CriterionJson<'a> {
    id: &'a str,
    title: &'a str,
    question: Option<&'a str>,
    claims: Vec<ClaimJson<'a>>,
    tally: TallyJson<'a>,
    consensus: ConsensusJson<'a>,
    /// The consensus without the sources that have a stake, when it differs.
    consensus_without_stakes: Option<ConsensusJson<'a>>,
    /// Only with `--drafts`, and only `true`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    draft: bool,
}

#[derive(Serialize)]
struct ClaimJson<'a> {
    article: &'a str,
    favors: &'a str,
    note: &'a str,
    quote: Option<&'a str>,
    verified: bool,
}

/// Keys in subject order, then `tie` and `depends`, as DESIGN.md shows them.
struct TallyJson<'a> {
    site: &'a Site,
    row: &'a Row,
}

impl Serialize for TallyJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.row.tally.subjects.len() + 2))?;
        for (verdict, count) in self.row.tally.entries() {
            map.serialize_entry(self.site.verdict_id(verdict), &count)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct ConsensusJson<'a> {
    status: Status,
    favors: Option<&'a str>,
}

/// `matrix.json`, pretty-printed with a final newline.
pub(super) fn matrix_json(site: &Site) -> Vec<u8> {
    let mut bytes = Vec::new();
    // Writing to a Vec fails only on a value serde_json cannot write, which these are not.
    let _ = write_matrix_json(site, &mut bytes);
    bytes
}

/// Writes [`matrix_json`] into `out` as it is serialized: at 100,000 articles it is 140 MB,
/// which a build then never holds (nor the doubling buffer a Vec would grow to).
pub(super) fn write_matrix_json(site: &Site, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let columns = super::views::column_labels(&site.articles);
    let consensus = |c: crate::model::Consensus| ConsensusJson {
        status: c.status(),
        favors: c.favors().map(|v| site.verdict_id(v)),
    };
    let data = MatrixJson {
        subjects: site
            .subjects
            .iter()
            .map(|s| SubjectJson {
                id: &s.id,
                name: &s.name,
                draft: site.drafts.shows(&s.url_path()),
            })
            .collect(),
        articles: site
            .articles
            .iter()
            .zip(&columns)
            .map(|(a, label)| ArticleJson {
                slug: &a.slug,
                title: &a.title,
                publisher: &a.publisher,
                author: a.author.as_deref(),
                published: a.published.map(|d| d.to_string()),
                leaning: site.verdict_id(a.leaning),
                url: format!("{}{}", site.config.base_path, a.url_path()),
                source_url: a.url.as_deref(),
                label,
                stake: a
                    .stake
                    .as_ref()
                    .map(|s| site.subjects[s.subject].id.as_str()),
                disclosure: a.disclosure.as_deref(),
                retrieved: a.retrieved.map(|d| d.to_string()),
                archive_url: a.archive_url.as_deref(),
                draft: site.drafts.shows(&a.url_path()),
            })
            .collect(),
        criteria: site
            .criteria
            .iter()
            .zip(&site.matrix.rows)
            .map(|(c, row)| CriterionJson {
                id: &c.id,
                title: &c.title,
                question: c.question.as_deref(),
                claims: row
                    .claims
                    .iter()
                    .map(|r| {
                        let article = &site.articles[r.article];
                        let claim = &article.claims[r.claim];
                        ClaimJson {
                            article: &article.slug,
                            favors: site.verdict_id(claim.favors),
                            note: &claim.note,
                            quote: claim.quote.as_deref(),
                            verified: claim.verified,
                        }
                    })
                    .collect(),
                tally: TallyJson { site, row },
                consensus: consensus(row.consensus),
                consensus_without_stakes: row.without_stakes.map(consensus),
                draft: site.drafts.shows(&c.url_path()),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &data)?;
    out.write_all(b"\n")
}

/// A cell that a spreadsheet would run as a formula, `'`-prefixed so that it shows as text:
/// OWASP's rule for CSV injection (a leading `=`, `+`, `-`, `@`, tab or carriage return).
fn neutralised(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Writes one record, every cell neutralised.
fn write_record(writer: &mut csv::Writer<Vec<u8>>, record: &[&str]) {
    // Writing to a Vec cannot fail; the result is ignored for that reason.
    let _ = writer.write_record(record.iter().map(|cell| neutralised(cell).into_owned()));
}

/// `matrix.csv`: `criterion,title,<article slugs…>,consensus,favors`; empty cell = no claim.
/// No cell starts a formula (see [`neutralised`]): the site offers the file for download.
/// After those, per article `<slug> quote` and `<slug> verified` (empty: no claim or no quote).
pub(super) fn matrix_csv(site: &Site) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = vec!["criterion".into(), "title".into()];
    header.extend(site.articles.iter().map(|a| a.slug.clone()));
    header.extend(["consensus".into(), "favors".into()]);
    for a in &site.articles {
        header.push(format!("{} quote", a.slug));
        header.push(format!("{} verified", a.slug));
    }
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    write_record(&mut writer, &header);
    for (criterion, row) in site.criteria.iter().zip(&site.matrix.rows) {
        let mut cells = vec![""; site.articles.len()];
        let mut quotes = vec![["", ""]; site.articles.len()];
        for r in &row.claims {
            let claim = &site.articles[r.article].claims[r.claim];
            cells[r.article] = site.verdict_id(claim.favors);
            if let Some(quote) = &claim.quote {
                quotes[r.article] = [quote, if claim.verified { "true" } else { "false" }];
            }
        }
        let status = serde_json::to_value(row.consensus.status()).ok();
        let status = status.as_ref().and_then(|s| s.as_str()).unwrap_or_default();
        let mut record = vec![criterion.id.as_str(), criterion.title.as_str()];
        record.extend(cells);
        record.push(status);
        record.push(row.consensus.favors().map_or("", |v| site.verdict_id(v)));
        record.extend(quotes.iter().flatten());
        write_record(&mut writer, &record);
    }
    writer.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_run_are_neutralised() {
        for formula in [
            "=HYPERLINK(\"http://x\")",
            "+1+2",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(neutralised(formula), format!("'{formula}"));
        }
        for text in ["Taste", "a=b", " =1", "", "'quoted", "2+2"] {
            assert_eq!(neutralised(text), text);
        }
    }
}

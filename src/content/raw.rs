//! Serde structs that mirror the front matter exactly as editors write it. Unknown keys are
//! rejected here so that a typo like `titel` never passes silently; meaning is checked later,
//! in `model`.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};

/// `content/subjects/<id>.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSubject {
    /// Display name.
    pub name: String,
    /// One-line description.
    pub tagline: Option<String>,
    /// CSS colour used in the matrix.
    pub color: Option<String>,
    /// The subject's own site.
    pub homepage: Option<String>,
    /// Column order.
    pub order: Option<i64>,
}

/// `content/criteria/<id>.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCriterion {
    /// Display title.
    pub title: String,
    /// The one-line question the criterion answers.
    pub question: Option<String>,
    /// Row order.
    pub order: Option<i64>,
}

/// `content/articles/<slug>.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArticle {
    /// The source article's own title.
    pub title: String,
    /// Who published it.
    pub publisher: String,
    /// Author, when the article names one.
    pub author: Option<String>,
    /// Publication date, when the article gives one.
    pub published: Option<Date>,
    /// The article's address, when known.
    pub url: Option<String>,
    /// Our two- or three-sentence summary.
    pub summary: String,
    /// The article's overall verdict.
    pub leaning: String,
    /// A short name for the article's matrix column.
    pub label: Option<String>,
    /// A subject the publisher has a commercial tie to.
    pub stake: Option<String>,
    /// One line saying what the tie is (required with `stake`).
    pub disclosure: Option<String>,
    /// The file name of this article's copy in the archive folder.
    pub archive: Option<String>,
    /// When the archived copy was taken.
    pub retrieved: Option<Date>,
    /// A public archived copy of the article.
    pub archive_url: Option<String>,
    /// What the article claims, per criterion id.
    #[serde(default)]
    pub claims: BTreeMap<String, RawClaim>,
}

/// One `[claims.<criterion>]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClaim {
    /// A subject id, `tie` or `depends`.
    pub favors: String,
    /// One sentence on what the article claims.
    pub note: String,
    /// The article's exact words, at most 30.
    pub quote: Option<String>,
}

/// Any other page: the home page, a section `_index.md`, or a documentation page.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPage {
    /// Page title (the home page falls back to the site title).
    pub title: Option<String>,
    /// One-line description for listings and meta tags.
    pub description: Option<String>,
    /// Position among its siblings (then title).
    pub weight: Option<i64>,
    /// A template to use instead of the default for this kind of page.
    pub template: Option<String>,
    /// When the page was written.
    pub date: Option<Date>,
    /// When it last changed.
    pub updated: Option<Date>,
    /// A section's order of its pages: `"weight"` (the default) or `"date"`.
    pub sort_by: Option<String>,
    /// Free values for templates, as `page.extra`.
    #[serde(default)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// A calendar date written as a TOML date (`2023-03-04`) or, in YAML, as a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: u16,
    /// Month, 1-12.
    pub month: u8,
    /// Day, 1-31.
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let year = text[0..4].parse().ok()?;
        let month: u8 = text[5..7].parse().ok()?;
        let day: u8 = text[8..10].parse().ok()?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DateVisitor)
    }
}

struct DateVisitor;

const DATE_EXPECTED: &str = "a date like 2023-03-04";

impl<'de> Visitor<'de> for DateVisitor {
    type Value = Date;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(DATE_EXPECTED)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
        Date::parse(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &DATE_EXPECTED))
    }

    /// TOML hands dates over as a one-entry map holding their text.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Date, A::Error> {
        let Some((_, text)) = map.next_entry::<String, String>()? else {
            return Err(de::Error::invalid_type(de::Unexpected::Map, &DATE_EXPECTED));
        };
        self.visit_str(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Dated {
        published: Date,
    }

    #[test]
    fn dates_parse_from_toml_and_yaml() {
        let d: Dated = toml::from_str("published = 2023-03-04").unwrap();
        assert_eq!(d.published.to_string(), "2023-03-04");
        let d: Dated = serde_norway::from_str("published: 2023-03-04").unwrap();
        assert_eq!(d.published, Date::parse("2023-03-04").unwrap());
    }

    #[test]
    fn bad_dates_are_rejected() {
        assert!(toml::from_str::<Dated>("published = 2023-03-04T10:00:00Z").is_err());
        assert!(toml::from_str::<Dated>("published = \"March\"").is_err());
        assert!(toml::from_str::<Dated>("published = 2023").is_err());
        assert_eq!(Date::parse("2023-02-29"), None);
        assert!(Date::parse("2024-02-29").is_some());
        assert_eq!(Date::parse("2023-13-01"), None);
        assert_eq!(Date::parse("2023-1-01"), None);
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let e = toml::from_str::<RawCriterion>("titel = \"x\"").unwrap_err();
        assert!(e.message().contains("unknown field `titel`"));
        let e = toml::from_str::<RawClaim>("favors = \"a\"\nnote = \"b\"\nwhy = 1").unwrap_err();
        assert!(e.message().contains("unknown field `why`"));
    }
}

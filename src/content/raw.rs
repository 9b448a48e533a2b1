//! Serde structs that mirror the front matter exactly as editors write it. Unknown keys are
//! rejected here so that a typo like `titel` never passes silently; meaning is checked later,
//! in `model`.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// `content/subjects/<id>.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSubject {
    /// Display name.
    #[serde(deserialize_with = "text")]
    pub name: String,
    /// One-line description.
    #[serde(default, deserialize_with = "optional_text")]
    pub tagline: Option<String>,
    /// CSS colour used in the matrix.
    #[serde(default, deserialize_with = "optional_text")]
    pub color: Option<String>,
    /// The subject's own site.
    #[serde(default, deserialize_with = "optional_text")]
    pub homepage: Option<String>,
    /// Column order.
    pub order: Option<i64>,
    /// Left out of the build unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// Old URL paths that redirect to this page.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// `content/criteria/<id>.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCriterion {
    /// Display title.
    #[serde(deserialize_with = "text")]
    pub title: String,
    /// The one-line question the criterion answers.
    #[serde(default, deserialize_with = "optional_text")]
    pub question: Option<String>,
    /// Row order.
    pub order: Option<i64>,
    /// Left out of the build unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// Old URL paths that redirect to this page.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// `content/articles/<slug>.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArticle {
    /// The source article's own title.
    #[serde(deserialize_with = "text")]
    pub title: String,
    /// Who published it.
    #[serde(deserialize_with = "text")]
    pub publisher: String,
    /// Author, when the article names one.
    #[serde(default, deserialize_with = "optional_text")]
    pub author: Option<String>,
    /// Publication date, when the article gives one.
    pub published: Option<Date>,
    /// The article's address, when known.
    #[serde(default, deserialize_with = "optional_text")]
    pub url: Option<String>,
    /// Our two- or three-sentence summary.
    #[serde(deserialize_with = "text")]
    pub summary: String,
    /// The article's overall verdict.
    #[serde(deserialize_with = "text")]
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
    /// Left out of the build unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// Old URL paths that redirect to this page.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// One `[claims.<criterion>]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClaim {
    /// A subject id, `tie` or `depends`.
    #[serde(deserialize_with = "text")]
    pub favors: String,
    /// One sentence on what the article claims.
    #[serde(deserialize_with = "text")]
    pub note: String,
    /// The article's exact words, at most 30.
    pub quote: Option<String>,
}

/// Any other page: the home page, a section `_index.md`, or a documentation page.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPage {
    /// Page title (the home page falls back to the site title).
    #[serde(default, deserialize_with = "optional_text")]
    pub title: Option<String>,
    /// One-line description for listings and meta tags.
    #[serde(default, deserialize_with = "optional_text")]
    pub description: Option<String>,
    /// Position among its siblings (then title).
    pub weight: Option<i64>,
    /// A template to use instead of the default for this kind of page.
    #[serde(default, deserialize_with = "optional_text")]
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
    /// Left out of the build unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// Old URL paths that redirect to this page.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// Why `text` cannot be kept: it holds a control character (other than tab and line
/// breaks) or a noncharacter, which XML 1.0 forbids. Front-matter and `site.toml` strings
/// reach the feed and the sitemap, which would no longer parse, so they are refused at the
/// value rather than dropped in silence.
pub fn check_text(text: &str) -> Result<(), String> {
    let plain = |b: &u8| (0x20..0x7f).contains(b) || matches!(b, b'\t' | b'\n' | b'\r');
    if text.as_bytes().iter().all(plain) {
        // Printable ASCII and line breaks: nothing to look for character by character.
        return Ok(());
    }
    let bad = text.chars().find(|c| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
    });
    match bad {
        Some(c) => Err(format!(
            "the text holds the control character U+{:04X}, which no page, feed or sitemap \
             can carry: remove it",
            u32::from(c)
        )),
        None => Ok(()),
    }
}

/// A string checked by [`check_text`], for `#[serde(deserialize_with)]`. The check runs
/// inside the visitor, so that the parser positions its error at the value.
pub fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    deserializer.deserialize_string(TextVisitor)
}

/// An optional string checked by [`check_text`], for `#[serde(default, deserialize_with)]`.
pub fn optional_text<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    deserializer.deserialize_option(OptionalTextVisitor)
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        check_text(v).map_err(E::custom)?;
        Ok(v.to_string())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        check_text(&v).map_err(E::custom)?;
        Ok(v)
    }
}

struct OptionalTextVisitor;

impl<'de> Visitor<'de> for OptionalTextVisitor {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<String>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<String>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
        text(d).map(Some)
    }
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
    /// Parses `YYYY-MM-DD`: four, two and two ASCII digits, nothing else (no sign, no
    /// space, no other digits), whether the text comes from a TOML date or a YAML string.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        let shape = bytes.len() == 10
            && bytes.iter().enumerate().all(|(i, b)| match i {
                4 | 7 => *b == b'-',
                _ => b.is_ascii_digit(),
            });
        if !shape {
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
        for signed in [
            "+999-01-01",
            "2024-+1-+5",
            "-999-01-01",
            "2024-01-+5",
            " 202-01-01",
        ] {
            assert_eq!(Date::parse(signed), None, "{signed}");
        }
        assert!(serde_norway::from_str::<Dated>("published: 2024-+1-+5").is_err());
        assert!(toml::from_str::<Dated>("published = \"+999-01-01\"").is_err());
    }

    #[test]
    fn control_characters_are_refused_in_every_string() {
        for escape in [
            "\\u0000", "\\u000b", "\\u001b", "\\u007f", "\\u0085", "\\uffff",
        ] {
            let toml_text = format!("title = \"a{escape}b\"");
            let e = toml::from_str::<RawCriterion>(&toml_text).unwrap_err();
            assert!(
                e.message().contains("control character U+"),
                "{}",
                e.message()
            );
            assert_eq!(e.span().map(|s| s.start), Some(8), "{escape}");
            let yaml = format!("name: x\ntagline: \"a{escape}b\"");
            let e = serde_norway::from_str::<RawSubject>(&yaml).unwrap_err();
            assert!(e.to_string().contains("control character"), "{e}");
            assert_eq!(e.location().map(|l| l.line()), Some(2), "{escape}");
        }
        for fine in [
            "tab\\there",
            "two\\nlines",
            "crlf\\r\\n",
            "caf\\u00e9 \\u00a0 \\u2028",
        ] {
            let toml_text = format!("title = \"{fine}\"");
            assert!(toml::from_str::<RawCriterion>(&toml_text).is_ok(), "{fine}");
        }
        let e = serde_norway::from_str::<RawPage>("description: \"\\e[31m\"").unwrap_err();
        assert!(e.to_string().contains("U+001B"), "{e}");
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let e = toml::from_str::<RawCriterion>("titel = \"x\"").unwrap_err();
        assert!(e.message().contains("unknown field `titel`"));
        let e = toml::from_str::<RawClaim>("favors = \"a\"\nnote = \"b\"\nwhy = 1").unwrap_err();
        assert!(e.message().contains("unknown field `why`"));
    }
}

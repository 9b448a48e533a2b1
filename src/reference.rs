//! The front-matter reference of the user guide (`docs/content/reference/front-matter.md`):
//! every field of `site.toml` and of every content kind, with its type, default and an
//! example, written from a table that a test holds against the serde structs that parse
//! those files, so a field cannot be added without its entry.

use serde::de::DeserializeOwned;

use crate::config::{RawBuild, RawCheck, RawConfig, RawEvidence, RawStyle};
use crate::content::raw::{RawArticle, RawClaim, RawCriterion, RawPage, RawSubject};

/// One field of one kind of file.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The key as written.
    pub name: &'static str,
    /// Its TOML type.
    pub kind: &'static str,
    /// What it is when left out (`required` when it cannot be).
    pub default: &'static str,
    /// A value, as written in TOML.
    pub example: &'static str,
    /// What it does.
    pub about: &'static str,
}

/// One table of fields: a file, or a table inside one.
#[derive(Debug, Clone)]
pub struct Table {
    /// The heading, e.g. "Subject".
    pub title: &'static str,
    /// Where the fields are written, e.g. `content/subjects/<id>.md`.
    pub place: &'static str,
    /// The fields, in the order the reference lists them.
    pub fields: &'static [Field],
    /// The field names the parsing struct accepts, asked of serde.
    pub accepted: Vec<String>,
}

const fn f(
    name: &'static str,
    kind: &'static str,
    default: &'static str,
    example: &'static str,
    about: &'static str,
) -> Field {
    Field {
        name,
        kind,
        default,
        example,
        about,
    }
}

const REQUIRED: &str = "required";
const NONE: &str = "none";

#[rustfmt::skip]
const SITE: &[Field] = &[
    f("title", "string", REQUIRED, r#""Django vs Node.js""#, "The site's name, in every page's title and header."),
    f("description", "string", r#""""#, r#""What five articles claim.""#, "One line for meta tags and the feed."),
    f("base_url", "string", REQUIRED, r#""https://user.github.io/repo/""#, "Where the site is published; its path is the prefix of every link. `--base-url` overrides it."),
    f("language", "string", r#""en""#, r#""pt-BR""#, "The content's language tag, in every page's `lang`."),
    f("theme", "string", r#""default""#, r#""default""#, "A folder under `themes/`; `default` is built in."),
    f("cname", "string", NONE, r#""docs.example.org""#, "A custom domain, written to `CNAME` for GitHub Pages."),
    f("build", "table", "see [build] below", "[build]", "Build options."),
    f("evidence", "table", "see [evidence] below", "[evidence]", "Where the archived copies are."),
    f("style", "table", "see [style] below", "[style]", "The default theme's options."),
    f("check", "table", "see [check] below", "[check]", "How `versus check --external` checks external links."),
    f("extra", "table", "{}", r#"[extra] repo = "…""#, "Free-form values for your templates, as `site.extra`."),
];

#[rustfmt::skip]
const BUILD: &[Field] = &[
    f("feed_limit", "integer", "20", "20", "Digests in `atom.xml`, newest first."),
    f("search_index", "boolean", "true", "false", "Whether to write the search index (and the search page works)."),
    f("paginate_by", "integer", "50", "25", "Digests per page of the article list, and claims per page of a criterion (at least 1)."),
    f("matrix_columns", "integer", "20", "10", "Sources shown as columns of the home matrix (the latest); the consensus counts every source."),
];

#[rustfmt::skip]
const EVIDENCE: &[Field] = &[f(
    "archive",
    "string",
    NONE,
    r#""../versus-archive""#,
    "The archive folder, relative to the site root; `--archive DIR` overrides it.",
)];

#[rustfmt::skip]
const STYLE: &[Field] = &[f(
    "accent",
    "string",
    "the theme's blue",
    r##""#0b6e4f""##,
    "The accent colour (links, highlights) as `#rgb` or `#rrggbb`; it must reach 4.5:1 contrast on the light background, and versus lightens it for dark mode.",
)];

#[rustfmt::skip]
const CHECK: &[Field] = &[
    f("skip", "array of strings", "[]", r#"["https://example.com/", "http://localhost"]"#, "URL prefixes `check --external` never requests."),
    f("timeout", "integer", "10", "5", "Seconds one request may take, redirects included (1 to 600)."),
    f("concurrency", "integer", "16", "8", "Requests under way at once, over all hosts."),
    f("per_host", "integer", "4", "2", "Requests under way at once to one host."),
    f("cache_hours", "integer", "24", "0", "Hours a good result in `.versus-cache/external-links.json` is trusted without a request; `0` keeps no cache. Broken links are always asked again."),
];

#[rustfmt::skip]
const SUBJECT: &[Field] = &[
    f("name", "string", REQUIRED, r#""Django""#, "The subject's display name."),
    f("tagline", "string", NONE, r#""The web framework for perfectionists""#, "One line under its name."),
    f("color", "string", "from the theme's palette", r##""#0c4b33""##, "Its colour in the matrix and charts."),
    f("homepage", "string", NONE, r#""https://www.djangoproject.com/""#, "The subject's own site."),
    f("order", "integer", "by id", "1", "Column order (then id)."),
    f("draft", "boolean", "false", "true", "Leaves the subject out of every page, list, the matrix, the feed, the sitemap and the search index unless the build has `--drafts`, which marks it; a published digest naming it is an error."),
    f("aliases", "array of strings", "[]", r#"["/old/path/", "old.html"]"#, "Old paths that redirect here: each gets a small redirect page (a path ending in `.html` is that file, any other gets `index.html`)."),
];

#[rustfmt::skip]
const CRITERION: &[Field] = &[
    f("title", "string", REQUIRED, r#""Performance""#, "The criterion's display title."),
    f("question", "string", NONE, r#""Which one answers a request faster?""#, "The one-line question it answers."),
    f("order", "integer", "by id", "3", "Row order in the matrix (then id)."),
    f("draft", "boolean", "false", "true", "Leaves the criterion out of every page, list, the matrix, the feed, the sitemap and the search index, and the claims on it with it, unless the build has `--drafts`, which marks it."),
    f("aliases", "array of strings", "[]", r#"["/old/path/", "old.html"]"#, "Old paths that redirect here: each gets a small redirect page (a path ending in `.html` is that file, any other gets `index.html`)."),
];

#[rustfmt::skip]
const ARTICLE: &[Field] = &[
    f("title", "string", REQUIRED, r#""Django vs Node.js""#, "The source article's own title."),
    f("publisher", "string", REQUIRED, r#""DEV Community""#, "Who published it."),
    f("author", "string", NONE, r#""A. Writer""#, "Only when the article names one; never invented."),
    f("published", "date", "undated (listed last)", "2023-03-04", "When it was published, as a TOML date; orders the articles."),
    f("url", "string", NONE, r#""https://dev.to/…""#, "The article's address; never invented."),
    f("summary", "string", REQUIRED, r#""Two or three sentences.""#, "Our summary, in our own words."),
    f("leaning", "string", REQUIRED, r#""django""#, "Its overall verdict: a subject id, `tie` or `depends`."),
    f("label", "string", "its publisher", r#""DEV""#, "Its matrix column's name, at most 24 characters."),
    f("stake", "string", NONE, r#""nodejs""#, "A subject the publisher has a commercial tie to (a subject id)."),
    f("disclosure", "string", NONE, r#""Written by a Node.js agency.""#, "One line saying what the tie is; required with `stake`."),
    f("archive", "string", NONE, r#""devto.txt""#, "Its copy in the archive folder; required when a claim has a `quote`."),
    f("retrieved", "date", NONE, "2026-11-20", "When that copy was taken."),
    f("archive_url", "string", NONE, r#""https://web.archive.org/…""#, "A public archived copy; never invented."),
    f("claims", "table", "{}", "[claims.performance]", "One table per criterion the article takes a position on."),
    f("draft", "boolean", "false", "true", "Leaves the digest out of every page, list, the matrix, the feed, the sitemap and the search index unless the build has `--drafts`, which marks it; a link to it from a published page is an error."),
    f("aliases", "array of strings", "[]", r#"["/old/path/", "old.html"]"#, "Old paths that redirect here: each gets a small redirect page (a path ending in `.html` is that file, any other gets `index.html`)."),
];

#[rustfmt::skip]
const CLAIM: &[Field] = &[
    f("favors", "string", REQUIRED, r#""nodejs""#, "A subject id, `tie` (equal) or `depends` (the article says it depends)."),
    f("note", "string", REQUIRED, r#""One sentence of what it claims.""#, "What the article claims, in our own words."),
    f("quote", "string", NONE, r#""exact words from the article""#, "Its exact words, at most 30; checked against the archived copy."),
];

#[rustfmt::skip]
const PAGE: &[Field] = &[
    f("title", "string", "required (the home page: the site's title)", r#""About""#, "The page's title."),
    f("description", "string", NONE, r#""How this guide is made.""#, "One line for listings and meta tags."),
    f("weight", "integer", "by title", "2", "Position among its siblings (then title)."),
    f("template", "string", "the kind's template", r#""page.html""#, "A template to render this page with instead."),
    f("date", "date", NONE, "2024-03-04", "When the page was published; shown under its title, the sitemap's `lastmod` when there is no `updated`."),
    f("updated", "date", NONE, "2024-05-01", "When it was last changed; shown under its title and used as the sitemap's `lastmod`."),
    f("sort_by", "string", r#""weight""#, r#""date""#, "On a section's `_index.md`: list its pages by `weight` (then title) or by `date` (newest first, undated last)."),
    f("extra", "table", "{}", "[extra]", "Free values for templates, read as `page.extra`."),
    f("draft", "boolean", "false", "true", "Leaves the page out of every page, list, the feed, the sitemap and the search index (a section: with every page below it) unless the build has `--drafts`, which marks it; a link to it from a published page is an error. Not on the home page."),
    f("aliases", "array of strings", "[]", r#"["/old/path/", "old.html"]"#, "Old paths that redirect here: each gets a small redirect page (a path ending in `.html` is that file, any other gets `index.html`)."),
];

/// Every table of the reference, in its order, with what serde accepts for each.
pub fn tables() -> Vec<Table> {
    let table = |title, place, fields, accepted| Table {
        title,
        place,
        fields,
        accepted,
    };
    vec![
        table("Site", "site.toml", SITE, accepted::<RawConfig>()),
        table("[build]", "site.toml", BUILD, accepted::<RawBuild>()),
        table(
            "[evidence]",
            "site.toml",
            EVIDENCE,
            accepted::<RawEvidence>(),
        ),
        table("[style]", "site.toml", STYLE, accepted::<RawStyle>()),
        table("[check]", "site.toml", CHECK, accepted::<RawCheck>()),
        table(
            "Subject",
            "content/subjects/<id>.md",
            SUBJECT,
            accepted::<RawSubject>(),
        ),
        table(
            "Criterion",
            "content/criteria/<id>.md",
            CRITERION,
            accepted::<RawCriterion>(),
        ),
        table(
            "Article digest",
            "content/articles/<slug>.md",
            ARTICLE,
            accepted::<RawArticle>(),
        ),
        table(
            "Claim",
            "[claims.<criterion>] in a digest",
            CLAIM,
            accepted::<RawClaim>(),
        ),
        table(
            "Page",
            "content/_index.md, content/**/*.md",
            PAGE,
            accepted::<RawPage>(),
        ),
    ]
}

/// The field names a `deny_unknown_fields` struct accepts: serde lists them in the error
/// for a key it does not know, so this reads them from the parser itself.
pub fn accepted<T: DeserializeOwned>() -> Vec<String> {
    use serde::de::value::{Error, MapDeserializer};
    let probe = std::iter::once(("versus-probe-no-such-field", ()));
    let message = match T::deserialize(MapDeserializer::<_, Error>::new(probe)) {
        Ok(_) => return Vec::new(),
        Err(e) => e.to_string(),
    };
    let Some((_, expected)) = message.split_once("expected") else {
        return Vec::new();
    };
    expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The reference page, Markdown with front matter, as the guide holds it.
pub fn front_matter_page() -> String {
    let mut out = String::from(
        "+++\ntitle = \"Front-matter reference\"\ndescription = \"Every field of site.toml \
         and of every content kind: type, default and example.\"\nweight = 1\n+++\n\
         <!-- Written by versus from its own parsing code (src/reference.rs); the test \
         `guide::the_front_matter_reference_is_current` fails when it is stale, and \
         `VERSUS_BLESS=1 cargo test guide` writes it again. -->\n\n\
         Front matter is TOML between `+++` lines (YAML between `---` lines also works). \
         An unknown key is an error, so a typo never passes silently. Fields without a \
         default are required.\n",
    );
    for table in tables() {
        out.push_str(&format!(
            "\n## {}\n\nIn `{}`.\n\n",
            table.title, table.place
        ));
        for field in table.fields {
            out.push_str(&entry(field));
        }
    }
    out
}

/// One field as a list item: name, type, default, what it does, and an example line.
fn entry(field: &Field) -> String {
    let example = if field.kind == "table" {
        field.example.to_string()
    } else {
        format!("{} = {}", field.name, field.example)
    };
    let default = if field.default == REQUIRED {
        "**required**".to_string()
    } else if field.default.starts_with("see ") {
        field.default.to_string()
    } else {
        format!("default {}", cell(field.default))
    };
    format!(
        "- **`{}`** ({}, {}): {} Example: `{}`\n",
        field.name, field.kind, default, field.about, example
    )
}

/// A default: values in code, words as they are.
fn cell(default: &str) -> String {
    if default
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
    {
        default.to_string()
    } else {
        format!("`{default}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_accepted_field_has_its_entry_and_no_entry_is_stale() {
        for table in tables() {
            let listed: Vec<&str> = table.fields.iter().map(|f| f.name).collect();
            let mut accepted: Vec<&str> = table.accepted.iter().map(String::as_str).collect();
            assert!(
                !accepted.is_empty(),
                "serde listed no fields for {}",
                table.title
            );
            let mut sorted = listed.clone();
            sorted.sort_unstable();
            accepted.sort_unstable();
            assert_eq!(
                sorted, accepted,
                "the reference of {} is out of step",
                table.title
            );
        }
    }

    #[test]
    fn the_templates_page_names_every_global() {
        let page = include_str!("../docs/content/guide/templates.md");
        for global in crate::render::pages::GLOBALS {
            assert!(
                page.contains(&format!("`{global}`")),
                "{global} is not in the guide"
            );
        }
    }

    #[test]
    fn serde_names_the_accepted_fields() {
        assert_eq!(
            accepted::<RawCriterion>(),
            ["title", "question", "order", "draft", "aliases"]
        );
        assert_eq!(accepted::<RawEvidence>(), ["archive"]);
    }

    #[test]
    fn the_page_lists_every_field_with_its_default() {
        let page = front_matter_page();
        for table in tables() {
            for field in table.fields {
                assert!(
                    page.contains(&format!("- **`{}`** (", field.name)),
                    "{}",
                    field.name
                );
            }
        }
        assert!(
            page.contains("- **`accent`** (string, default the theme's blue): The accent colour")
        );
        assert!(page.contains("Example: `accent = \"#0b6e4f\"`"));
        assert!(page.contains("- **`title`** (string, **required**): The site's name"));
    }
}

//! Unit tests of `model/validate.rs`.

use super::*;
use crate::content::{SourceFile, parse};

fn config() -> Config {
    crate::config::parse("title = \"T\"\nbase_url = \"https://example.com/\"").unwrap()
}

fn build(files: &[(&str, &str)]) -> Result<Site, Vec<Diagnostic>> {
    let files = files
        .iter()
        .map(|(rel, text)| SourceFile::in_content(rel, text))
        .collect();
    let (content, errors) = parse(files);
    assert!(errors.is_empty(), "{errors:?}");
    site(config(), content, None)
}

const DJANGO: (&str, &str) = (
    "subjects/django.md",
    "+++\nname = \"Django\"\norder = 2\n+++\n",
);
const NODE: (&str, &str) = (
    "subjects/nodejs.md",
    "+++\nname = \"Node.js\"\norder = 1\n+++\n",
);
const SPEED: (&str, &str) = ("criteria/speed.md", "+++\ntitle = \"Speed\"\n+++\n");
const COST: (&str, &str) = (
    "criteria/cost.md",
    "+++\ntitle = \"Cost\"\norder = 1\n+++\n",
);

fn article(published: &str, leaning: &str, claims: &str) -> String {
    format!(
        "+++\ntitle = \"T\"\npublisher = \"P\"\nsummary = \"S\"\n{published}leaning = \"{leaning}\"\n{claims}+++\nBody\n"
    )
}

#[test]
fn orders_subjects_criteria_and_articles() {
    let a = article(
        "published = 2021-01-01\n",
        "tie",
        "[claims.speed]\nfavors = \"django\"\nnote = \"n\"\n",
    );
    let b = article("published = 2020-01-01\n", "nodejs", "");
    let c = article(
        "",
        "depends",
        "[claims.cost]\nfavors = \"nodejs\"\nnote = \"n\"\n",
    );
    let d = article("", "django", "");
    let site = build(&[
        DJANGO,
        NODE,
        SPEED,
        COST,
        ("articles/a.md", &a),
        ("articles/b.md", &b),
        ("articles/d.md", &d),
        ("articles/c.md", &c),
    ])
    .unwrap();
    let subjects: Vec<_> = site.subjects.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(subjects, ["nodejs", "django"]);
    let criteria: Vec<_> = site.criteria.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(criteria, ["cost", "speed"]);
    let articles: Vec<_> = site.articles.iter().map(|a| a.slug.as_str()).collect();
    assert_eq!(
        articles,
        ["b", "a", "c", "d"],
        "dated first, oldest first, undated last by slug"
    );
    assert_eq!(site.articles[1].claims[0].favors, Verdict::Subject(1));
    assert_eq!(
        site.matrix.rows[1].consensus,
        matrix::Consensus::Single(Verdict::Subject(1))
    );
}

#[test]
fn unknown_criterion_and_verdicts_name_the_line() {
    let a = article(
        "",
        "djnago",
        "\n[claims.sped]\nfavors = \"rails\"\nnote = \"n\"\n",
    );
    let errors = build(&[DJANGO, NODE, SPEED, ("articles/a.md", &a)]).unwrap_err();
    let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(errors.len(), 3, "{text:?}");
    assert!(
        text[0].starts_with("content/articles/a.md:5:11: leaning: unknown verdict `djnago`"),
        "{}",
        text[0]
    );
    assert!(
        text[1].contains(":7:1: unknown criterion `sped`"),
        "{}",
        text[1]
    );
    assert!(text[1].contains("use one of: speed"), "{}", text[1]);
    assert!(
        text[2].contains(":8:10: favors: unknown verdict `rails`"),
        "{}",
        text[2]
    );
}

#[test]
fn rejects_bad_urls_colors_and_empty_fields() {
    let a = "+++\ntitle = \" \"\npublisher = \"P\"\nsummary = \"S\"\nleaning = \"tie\"\nurl = \"javascript:alert(1)\"\n+++\n";
    let s = "+++\nname = \"X\"\ncolor = \"red;}\"\n+++\n";
    let errors = build(&[("articles/a.md", a), ("subjects/x.md", s)]).unwrap_err();
    let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(errors.len(), 3, "{text:?}");
    assert!(
        text.iter()
            .any(|t| t.contains("a.md:2:9: title must not be empty")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|t| t.contains("a.md:6:7: `javascript:alert(1)` must be a full web address"))
    );
    assert!(text.iter().any(|t| t.contains("x.md:3:9: color `red;}`")));
}

#[test]
fn two_sources_for_one_page_is_an_error() {
    let p = "+++\ntitle = \"G\"\n+++\n";
    let errors = build(&[
        ("guide.md", p),
        ("guide/_index.md", p),
        ("articles.md", p),
        ("atom.xml.md", p),
        ("index.html.md", p),
        ("search-index/terms-0.json.md", p),
    ])
    .unwrap_err();
    let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(errors.len(), 5, "{text:?}");
    assert!(
        text.iter()
            .any(|t| t.contains("/index.html/") && t.contains("the home page"))
    );
    assert!(text.iter().any(|t| t.contains("inside /search-index/")));
    assert!(
        text.iter()
            .any(|t| t.contains("/articles/") && t.contains("generated list of articles"))
    );
    assert!(
        text.iter()
            .any(|t| t.contains("/guide/") && t.contains("content/guide"))
    );
    assert!(text.iter().any(|t| t.contains("atom.xml")));
}

#[test]
fn a_page_needs_a_title_but_home_falls_back() {
    let errors = build(&[("about.md", "+++\n+++\n")]).unwrap_err();
    assert!(
        errors[0]
            .to_string()
            .contains("about.md:2:1: missing field `title`"),
        "{}",
        errors[0]
    );
    let site = build(&[("_index.md", "+++\n+++\nHello")]).unwrap();
    assert_eq!(site.home.title, "T");
    assert_eq!(site.home.body.markdown, "Hello");
}

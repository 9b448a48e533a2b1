//! Unit tests of `render/views.rs`.

use super::*;
use matrix::place;

fn article(
    slug: &str,
    publisher: &str,
    year: Option<u16>,
    label: Option<&str>,
) -> crate::model::Article {
    crate::model::Article {
        slug: slug.into(),
        title: "T".into(),
        publisher: publisher.into(),
        author: None,
        published: year.map(|year| crate::content::raw::Date {
            year,
            month: 1,
            day: 1,
        }),
        url: None,
        summary: "S".into(),
        leaning: Verdict::Tie,
        label: label.map(str::to_string),
        stake: None,
        disclosure: None,
        archive: None,
        retrieved: None,
        archive_url: None,
        claims: Vec::new(),
        body: crate::model::Body::default(),
    }
}

#[test]
fn column_labels_name_the_publisher_never_the_file() {
    let articles = [
        article(
            "a-long-file-name",
            "A Very Long Publisher Name Indeed",
            None,
            None,
        ),
        article("dev-1", "DEV Community", Some(2021), None),
        article("dev-2", "DEV Community", Some(2023), None),
        article("blog-1", "Blog", Some(2020), None),
        article("blog-2", "Blog", Some(2020), None),
        article(
            "short",
            "Some Publisher With A Long Name",
            None,
            Some("SPWLN"),
        ),
    ];
    assert_eq!(
        column_labels(&articles),
        [
            "A Very Long Publisher Name Indeed",
            "DEV Community 2021",
            "DEV Community 2023",
            "Blog (1)",
            "Blog (2)",
            "SPWLN"
        ]
    );
}

#[test]
fn helpers() {
    assert_eq!(parent("guide/deep/x"), "guide/deep");
    assert_eq!(parent("x"), "");
    assert_eq!(capitalize("articles"), "Articles");
    assert_eq!(capitalize(Status::Unanimous), "Unanimous");
    assert_eq!(human_date(2023, 3, 4), "4 March 2023");
    assert_eq!(ink_on("#0c4b33"), "#fff");
    assert_eq!(ink_on("#5fa04e"), "#111");
    assert_eq!(ink_on("#fff"), "#111");
    assert_eq!(place(1, false), "1st");
    assert_eq!(place(2, true), "tied 2nd");
    assert_eq!(place(3, false), "3rd");
    assert_eq!(place(12, false), "12th");
    assert_eq!(place(22, false), "22nd");
}

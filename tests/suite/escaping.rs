//! Every value from front matter and config reaches the output escaped: markup pushed through
//! each field must come out as text, never as elements or attributes, and as the same text in
//! the data files (JSON, CSV). Raw HTML inside a Markdown body is the author's and is kept.

use std::fs;
use std::path::Path;

use versus::build::{self, Mode, Options};

const SCRIPT: &str = "<script>alert(1)</script>";
const BREAKOUT: &str = "\"><img src=x onerror=alert(2)>";
const URL_BREAKOUT: &str = "https://evil.example/\"><img/src=x/onerror=alert(3)>";
/// A heading id written by hand (`{#…}`): it lands in `id` and `href` attributes.
const HEADING_ID: &str = "h\"onmouseover=alert(4)";
/// Raw HTML in a Markdown body: the author's, kept as written.
const AUTHOR_HTML: &str = "<aside class=\"authors-own\">Kept as written.</aside>";

fn payload(label: &str) -> String {
    format!("{label} {SCRIPT}{BREAKOUT}")
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
}

fn toml_str(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn hostile_site(root: &Path) {
    let p = payload;
    write(
        root,
        "site.toml",
        &format!(
            "title = \"{}\"\ndescription = \"{}\"\nbase_url = \"https://example.org/\"\n",
            p("site"),
            p("description")
        ),
    );
    write(
        root,
        "content/_index.md",
        &format!(
            "+++\ntitle = \"{}\"\ndescription = \"{}\"\n+++\nHome.\n",
            p("home"),
            p("homedesc")
        ),
    );
    write(
        root,
        "content/about.md",
        &format!(
            "+++\ntitle = \"{}\"\ndescription = \"{}\"\n+++\nAbout.\n",
            p("page"),
            p("pagedesc")
        ),
    );
    write(
        root,
        "content/guide/_index.md",
        &format!(
            "+++\ntitle = \"{}\"\ndescription = \"{}\"\n+++\nGuide.\n",
            p("section"),
            p("sectiondesc")
        ),
    );
    write(
        root,
        "content/guide/page.md",
        &format!(
            "+++\ntitle = \"{}\"\ndescription = \"{}\"\n+++\nIn a section.\n",
            p("subpage"),
            p("subpagedesc")
        ),
    );
    write(
        root,
        "content/articles/_index.md",
        &format!(
            "+++\ntitle = \"{}\"\ndescription = \"{}\"\n+++\nAll of them.\n",
            p("listintro"),
            p("listdesc")
        ),
    );
    write(
        root,
        "content/subjects/a.md",
        &format!(
            "+++\nname = \"{}\"\ntagline = \"{}\"\nhomepage = {}\n+++\nA.\n",
            p("subject"),
            p("tagline"),
            toml_str(URL_BREAKOUT)
        ),
    );
    write(
        root,
        "content/subjects/b.md",
        "+++\nname = \"B\"\n+++\nB.\n",
    );
    write(
        root,
        "content/criteria/c.md",
        &format!(
            "+++\ntitle = \"{}\"\nquestion = \"{}\"\n+++\nC.\n",
            p("criterion"),
            p("question")
        ),
    );
    write(
        root,
        "content/articles/x.md",
        &format!(
            "+++\ntitle = \"{}\"\npublisher = \"{}\"\nauthor = \"{}\"\nsummary = \"{}\"\nurl = {}\nleaning = \"a\"\n\n[claims.c]\nfavors = \"a\"\nnote = \"{}\"\n+++\n## {}\n\nBody text with `{SCRIPT}` in code.\n\n{AUTHOR_HTML}\n\n## Second {{#{HEADING_ID}}}\n\n## Third\n",
            p("article"),
            p("publisher"),
            p("author"),
            p("summary"),
            toml_str(URL_BREAKOUT),
            p("note"),
            "Heading &lt;b&gt;"
        ),
    );
}

#[test]
fn markup_in_every_field_comes_out_as_text() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    hostile_site(&root);
    let out = tmp.path().join("out");
    let options = Options {
        root: root.clone(),
        output: Some(out.clone()),
        base_url: None,
        mode: Mode::Build,
        evidence: Default::default(),
        drafts: false,
    };
    build::run(&options).unwrap_or_else(|e| panic!("{e}"));

    let mut html_files = 0;
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        let path = entry.path();
        let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
            continue;
        };
        let text = fs::read_to_string(path).unwrap();
        match ext {
            "html" => {
                html_files += 1;
                let doc = scraper::Html::parse_document(&text);
                for element in doc
                    .root_element()
                    .descendants()
                    .filter_map(scraper::ElementRef::wrap)
                {
                    let name = element.value().name();
                    assert!(
                        name != "img" || element.value().attr("onerror").is_none(),
                        "{}: an injected <img onerror> became markup",
                        path.display()
                    );
                    for (attr, _) in element.value().attrs() {
                        assert!(
                            !attr.starts_with("on"),
                            "{}: injected attribute {attr} on <{name}>",
                            path.display()
                        );
                    }
                    if name == "script" && element.value().attr("type") == Some("application/json")
                    {
                        // A data block is never run: it must stay one JSON value, with no `<`
                        // that could close the element early.
                        let data: String = element.text().collect();
                        assert!(
                            serde_json::from_str::<serde_json::Value>(&data).is_ok()
                                && !data.contains('<'),
                            "{}: a JSON data block is not clean JSON",
                            path.display()
                        );
                    } else if name == "script" {
                        let code: String = element.text().collect();
                        assert!(
                            !code.contains("alert("),
                            "{}: an injected script became markup",
                            path.display()
                        );
                    }
                }
                assert!(
                    !text.contains(SCRIPT),
                    "{}: raw <script> in the page",
                    path.display()
                );
            }
            "xml" => {
                assert!(
                    !text.contains(SCRIPT) && !text.contains("<img"),
                    "{}: unescaped markup in XML",
                    path.display()
                );
            }
            _ => {}
        }
    }
    assert!(
        html_files >= 8,
        "the hostile site built its pages ({html_files})"
    );
    let article = fs::read_to_string(out.join("articles/x/index.html")).unwrap();
    assert!(
        article.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the payload is shown as text"
    );
    let doc = scraper::Html::parse_document(&article);
    let kept = scraper::Selector::parse("aside.authors-own").unwrap();
    assert_eq!(
        doc.select(&kept).count(),
        1,
        "raw HTML in the body is the author's and is kept"
    );
    let toc = scraper::Selector::parse("nav.toc a").unwrap();
    assert!(
        doc.select(&toc)
            .any(|a| a.value().attr("href") == Some(&format!("#{HEADING_ID}"))),
        "a hand-written heading id stays one attribute value"
    );
    for (page, label) in [
        ("guide/index.html", "sectiondesc"),
        ("guide/index.html", "subpagedesc"),
        ("articles/index.html", "listintro"),
        ("guide/page/index.html", "subpage"),
    ] {
        let text: String =
            scraper::Html::parse_document(&fs::read_to_string(out.join(page)).unwrap())
                .root_element()
                .text()
                .collect();
        assert!(
            text.contains(&format!("{label} {SCRIPT}{BREAKOUT}")),
            "{page}: the {label} payload is shown as text"
        );
    }
}

#[test]
fn data_files_carry_the_values_as_data() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    hostile_site(&root);
    let out = tmp.path().join("out");
    let options = Options {
        root,
        output: Some(out.clone()),
        base_url: None,
        mode: Mode::Build,
        evidence: Default::default(),
        drafts: false,
    };
    build::run(&options).unwrap_or_else(|e| panic!("{e}"));
    let raw = |label: &str| format!("{label} {SCRIPT}{BREAKOUT}");

    let matrix: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("matrix.json")).unwrap()).unwrap();
    assert_eq!(matrix["subjects"][0]["name"], raw("subject"));
    assert_eq!(matrix["articles"][0]["title"], raw("article"));
    assert_eq!(matrix["articles"][0]["publisher"], raw("publisher"));
    assert_eq!(matrix["criteria"][0]["title"], raw("criterion"));
    assert_eq!(matrix["criteria"][0]["claims"][0]["note"], raw("note"));

    // The search index: its manifest and every chunk of results, each valid JSON.
    let mut text = String::new();
    let mut files = vec![out.join("search-index.json")];
    files.extend(
        fs::read_dir(out.join("search-index"))
            .unwrap()
            .map(|e| e.unwrap().path()),
    );
    for file in files {
        let value: serde_json::Value = serde_json::from_slice(&fs::read(&file).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        text.push_str(&value.to_string());
    }
    assert!(
        text.contains(&serde_json::to_string(&raw("summary")).unwrap()[1..]),
        "the search index holds the summary as data"
    );

    let csv = fs::read(out.join("matrix.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(
        &row[1],
        raw("criterion"),
        "one CSV field, however many quotes"
    );
}

#[test]
fn javascript_urls_are_rejected() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    hostile_site(&root);
    write(
        &root,
        "content/subjects/b.md",
        "+++\nname = \"B\"\nhomepage = \"javascript:alert(1)\"\n+++\n",
    );
    let options = Options {
        root,
        output: Some(tmp.path().join("out")),
        base_url: None,
        mode: Mode::Check,
        evidence: Default::default(),
        drafts: false,
    };
    let error = build::run(&options).unwrap_err().to_string();
    assert!(
        error.contains("content/subjects/b.md:3:12")
            && error.contains("must be a full web address"),
        "{error}"
    );
}

//! Every value from front matter and config reaches the output escaped: markup pushed through
//! each field must come out as text, never as elements or attributes.

use std::fs;
use std::path::Path;

use versus::build::{self, Mode, Options};

const SCRIPT: &str = "<script>alert(1)</script>";
const BREAKOUT: &str = "\"><img src=x onerror=alert(2)>";
const URL_BREAKOUT: &str = "https://evil.example/\"><img/src=x/onerror=alert(3)>";

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
        &format!("+++\ntitle = \"{}\"\n+++\nGuide.\n", p("section")),
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
            "+++\ntitle = \"{}\"\npublisher = \"{}\"\nauthor = \"{}\"\nsummary = \"{}\"\nurl = {}\nleaning = \"a\"\n\n[claims.c]\nfavors = \"a\"\nnote = \"{}\"\n+++\n## {}\n\nBody text with `{SCRIPT}` in code.\n",
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
                            !attr.starts_with("onerror"),
                            "{}: injected attribute {attr} on <{name}>",
                            path.display()
                        );
                    }
                    if name == "script" {
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
    };
    let error = build::run(&options).unwrap_err().to_string();
    assert!(
        error.contains("content/subjects/b.md:3:12")
            && error.contains("must be a full web address"),
        "{error}"
    );
}

//! Theme customisation without copying: a site template extends the theme's and overrides
//! one block, `versus theme eject` copies a theme file once, and `[style] accent` recolours
//! the site in both modes while refusing a colour that would not read.

use std::fs;

use crate::support::{clean_build, site, versus, write};

#[test]
fn a_site_template_extends_the_theme_template_and_overrides_one_block() {
    let dir = site();
    let root = dir.path().join("site");
    write(
        &root,
        "templates/article.html",
        "{% extends \"default/article.html\" %}\n{% block title %}Digest: {{ page.title }}{% endblock title %}\n",
    );
    let out = clean_build(&root, &dir.path().join("out"), None);
    let page = fs::read_to_string(out.join("articles/one/index.html")).unwrap();
    assert!(page.contains("<title>Digest: One</title>"), "{page}");
    // The rest is the theme's article page, claims table included.
    assert!(page.contains("id=\"claim-speed\""), "{page}");
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!home.contains("Digest: "));
}

#[test]
fn eject_copies_a_theme_file_once_and_never_overwrites() {
    let dir = site();
    let root = dir.path().join("site");
    let root_arg = root.to_str().unwrap();
    let out = versus(&["theme", "eject", "--root", root_arg, "article.html"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ejected = fs::read_to_string(root.join("templates/article.html")).unwrap();
    assert_eq!(
        ejected,
        include_str!("../../themes/default/templates/article.html")
    );

    fs::write(root.join("templates/article.html"), "mine").unwrap();
    let again = versus(&["theme", "eject", "--root", root_arg, "article.html"]);
    assert!(!again.status.success());
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("already exists"), "{stderr}");
    assert_eq!(
        fs::read_to_string(root.join("templates/article.html")).unwrap(),
        "mine"
    );

    let css = versus(&["theme", "eject", "--root", root_arg, "style.css"]);
    assert!(css.status.success());
    assert_eq!(
        fs::read(root.join("static/style.css")).unwrap(),
        include_bytes!("../../themes/default/static/style.css")
    );

    let unknown = versus(&["theme", "eject", "--root", root_arg, "nope.html"]);
    assert!(!unknown.status.success());
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        stderr.contains("has no file `nope.html`") && stderr.contains("base.html"),
        "{stderr}"
    );
    assert!(!root.join("templates/nope.html").exists());
}

#[test]
fn the_accent_is_one_line_of_site_toml_and_must_stay_readable() {
    let dir = site();
    let root = dir.path().join("site");
    let config = fs::read_to_string(root.join("site.toml")).unwrap();
    fs::write(
        root.join("site.toml"),
        format!("{config}\n[style]\naccent = \"#0b6e4f\"\n"),
    )
    .unwrap();
    let out = clean_build(&root, &dir.path().join("out"), None);
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    let sheet = home.find("style.css").unwrap();
    let accent = home
        .find("<style>:root{--accent:light-dark(#0b6e4f,#")
        .expect("the accent override");
    assert!(
        accent > sheet,
        "the override must come after the theme's stylesheet"
    );
    // The theme's sheet defines the accent once, for both modes.
    let css = include_str!("../../themes/default/static/style.css");
    assert_eq!(css.matches("--accent:light-dark(").count(), 1);

    fs::write(
        root.join("site.toml"),
        format!("{config}\n[style]\naccent = \"#ffcc00\"\n"),
    )
    .unwrap();
    let pale = versus(&["check", "--root", root.to_str().unwrap()]);
    assert!(!pale.status.success());
    let stderr = String::from_utf8_lossy(&pale.stderr);
    assert!(
        stderr.contains("site.toml:8:10: accent `#ffcc00` is too light to read"),
        "{stderr}"
    );
}

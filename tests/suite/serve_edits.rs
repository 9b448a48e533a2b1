//! `versus serve` after edits that it makes in two parts (the edited page first, the rest
//! right after): a claim's verdict, a new digest, a deleted one. A request made as soon as
//! the reload comes, for any page or data file, gets what a clean build has.

use std::path::Path;

use crate::support::{
    article, clean_build, get, next_event, site, start_serve as start, subscribe, tree, version,
    write,
};

/// Every file of a clean build for the server's URL, fetched from the server at once, equals
/// the build's (the live-reload script taken out).
fn served_equals_clean(address: &str, root: &Path, scratch: &Path, what: &str) {
    let clean = clean_build(root, scratch, Some(&format!("http://{address}/")));
    let expected = tree(&clean);
    for (path, bytes) in &expected {
        let (status, _, served) = get(address, &format!("/{path}"));
        assert_eq!(status, 200, "{what}: {path}");
        let served = String::from_utf8_lossy(&served).into_owned();
        let stripped = match served.find("<script src=\"/__versus/live.js\"") {
            Some(start) => {
                let end = served[start..].find("</script>").unwrap() + start + 9;
                format!("{}{}", &served[..start], &served[end..])
            }
            None => served,
        };
        assert_eq!(stripped, String::from_utf8_lossy(bytes), "{what}: {path}");
    }
    std::fs::remove_dir_all(scratch).unwrap();
}

#[test]
fn pages_made_after_the_edited_one_are_served_up_to_date() {
    let dir = site();
    let root = dir.path().join("site");
    let scratch = dir.path().join("clean");
    let (_serve, address) = start(&root);
    let (_, _, page) = get(&address, "/articles/one/");
    let mut events = subscribe(&address, &version(&page));

    // A verdict: the criterion pages, the home page and matrix.json follow the article's.
    write(
        &root,
        "content/articles/one.md",
        &article("One", "beta", "Same."),
    );
    next_event(&mut events, "reload");
    served_equals_clean(&address, &root, &scratch, "verdict");

    // A new digest, then the same deleted.
    write(
        &root,
        "content/articles/three.md",
        &article("Three", "tie", "New."),
    );
    next_event(&mut events, "reload");
    let (status, _, page) = get(&address, "/articles/three/");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&page).contains("Body of Three. New."));
    served_equals_clean(&address, &root, &scratch, "new digest");
    std::fs::remove_file(root.join("content/articles/three.md")).unwrap();
    next_event(&mut events, "reload");
    assert_eq!(get(&address, "/articles/three/").0, 404);
    served_equals_clean(&address, &root, &scratch, "deleted digest");
}

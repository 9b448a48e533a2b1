//! `versus serve` on a temporary site: pages served from memory with the live-reload script
//! (never in `build` output), the right status and Content-Type, no way out of the site,
//! a reload event after each rebuild and an error event after a failed one.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;

use support::{PATIENCE, Running, article, clean_build, get, site, tree, write};

fn start(root: &std::path::Path) -> (Running, String) {
    let mut serve = Running::start(&["serve", "--port", "0", "--root", root.to_str().unwrap()]);
    let line = serve.wait_for("serving the site at http://");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap();
    let address = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    serve.wait_for("watching");
    (serve, address)
}

/// The page's version, from the injected script tag.
fn version(page: &[u8]) -> String {
    let page = String::from_utf8_lossy(page);
    let at = page
        .find("data-version=\"")
        .expect("the live-reload script")
        + 14;
    page[at..].split('"').next().unwrap().to_string()
}

/// Reads server-sent events until one named `name`; returns its data.
fn next_event(events: &mut BufReader<TcpStream>, name: &str) -> String {
    let mut current = String::new();
    loop {
        let mut line = String::new();
        assert!(
            events.read_line(&mut line).unwrap() > 0,
            "event stream closed"
        );
        let line = line.trim_end();
        if let Some(event) = line.strip_prefix("event: ") {
            current = event.to_string();
        } else if let Some(data) = line.strip_prefix("data: ")
            && current == name
        {
            return data.to_string();
        }
    }
}

fn subscribe(address: &str, version: &str) -> BufReader<TcpStream> {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        stream,
        "GET /__versus/events?v={version} HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status).unwrap();
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    reader
}

#[test]
fn serves_pages_with_live_reload_and_the_right_types() {
    let dir = site();
    let root = dir.path().join("site");
    let (_serve, address) = start(&root);

    let (status, headers, home) = get(&address, "/");
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "text/html; charset=utf-8");
    assert!(String::from_utf8_lossy(&home).contains("/__versus/live.js"));
    let (status, _, _) = get(&address, "/articles/one/");
    assert_eq!(status, 200);
    let (status, headers, _) = get(&address, "/articles/one");
    assert_eq!(
        (status, headers["location"].as_str()),
        (301, "/articles/one/")
    );
    for (path, kind) in [
        ("/style.css", "text/css; charset=utf-8"),
        ("/matrix.json", "application/json"),
        ("/matrix.csv", "text/csv; charset=utf-8"),
        ("/atom.xml", "application/xml"),
        ("/__versus/live.js", "text/javascript; charset=utf-8"),
    ] {
        let (status, headers, body) = get(&address, path);
        assert_eq!(
            (status, headers["content-type"].as_str()),
            (200, kind),
            "{path}"
        );
        assert!(
            !String::from_utf8_lossy(&body).contains("<script src="),
            "{path}"
        );
    }
    let (status, _, body) = get(&address, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(String::from_utf8_lossy(&body).contains("Page not found"));

    // The script is the server's: a clean build never has it.
    let built = clean_build(&root, &dir.path().join("built"), None);
    for (path, bytes) in tree(&built) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__versus"),
            "{path}"
        );
    }
}

#[test]
fn requests_outside_the_site_get_400_or_404_never_a_file() {
    let dir = site();
    let root = dir.path().join("site");
    write(&root, "secret.txt", "TOP SECRET");
    let (_serve, address) = start(&root);
    for target in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/..%2fsecret.txt",
        "/%2fetc%2fpasswd",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/site.toml",
        "/content/articles/one.md",
        "/C:/Windows/win.ini",
        "/articles/%2e%2e/%2e%2e/secret.txt",
        "/./index.html",
        "etc/passwd",
    ] {
        let (status, _, body) = get(&address, target);
        assert!(status == 400 || status == 404, "{target}: {status}");
        let body = String::from_utf8_lossy(&body);
        assert!(
            !body.contains("TOP SECRET") && !body.contains("root:"),
            "{target}"
        );
        assert!(!body.contains("title = \"T\""), "{target}");
    }
}

#[test]
fn edits_send_reload_failures_send_errors_and_the_last_good_site_stays() {
    let dir = site();
    let root = dir.path().join("site");
    let (mut serve, address) = start(&root);
    let (_, _, page) = get(&address, "/articles/one/");
    let mut events = subscribe(&address, &version(&page));

    write(
        &root,
        "content/articles/one.md",
        &article("One", "beta", "Marker-one."),
    );
    next_event(&mut events, "reload");
    let (_, _, page) = get(&address, "/articles/one/");
    assert!(String::from_utf8_lossy(&page).contains("Marker-one."));
    serve.wait_for("rebuilt after content/articles/one.md");

    // Broken: an error event, and the last good page is still served.
    write(
        &root,
        "content/articles/one.md",
        "+++\ntitle = \"One\"\nbogus = 1\n+++\n",
    );
    let error = next_event(&mut events, "build-error");
    assert!(error.contains("bogus"), "{error}");
    let (status, _, page) = get(&address, "/articles/one/");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&page).contains("Marker-one."));
    // A page loaded now learns about the error at once.
    let mut late = subscribe(&address, &version(&page));
    assert!(next_event(&mut late, "build-error").contains("bogus"));

    // Fixed: a reload, and the served site equals a clean build for the server's URL.
    write(
        &root,
        "content/articles/one.md",
        &article("One", "tie", "Fixed."),
    );
    next_event(&mut events, "reload");
    next_event(&mut late, "reload");
    let clean = clean_build(
        &root,
        &dir.path().join("clean"),
        Some(&format!("http://{address}/")),
    );
    for (path, bytes) in tree(&clean) {
        let (status, _, served) = get(&address, &format!("/{path}"));
        assert_eq!(status, 200, "{path}");
        let served = String::from_utf8_lossy(&served).into_owned();
        let expected = String::from_utf8_lossy(&bytes).into_owned();
        let stripped = match served.find("<script src=\"/__versus/live.js\"") {
            Some(start) => {
                let end = served[start..].find("</script>").unwrap() + start + 9;
                format!("{}{}", &served[..start], &served[end..])
            }
            None => served,
        };
        assert_eq!(stripped, expected, "{path}");
    }

    // Deleted: the page is gone from the server.
    std::fs::remove_file(root.join("content/articles/two.md")).unwrap();
    next_event(&mut events, "reload");
    let (status, _, _) = get(&address, "/articles/two/");
    assert_eq!(status, 404);
}

//! `versus serve` on a temporary site: pages served from memory with the live-reload script
//! (never in `build` output), the right status and Content-Type, no way out of the site,
//! a reload event after each rebuild and an error event after a failed one.

use crate::support;

use crate::support::{
    article, clean_build, get, next_event, site, start_serve as start, subscribe, tree, version,
    write,
};

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
        // Double encoding: decoded once, `%2e` is a name, not a dot.
        "/%252e%252e/secret.txt",
        "/..%252fsecret.txt",
        "/%252e%252e%255csecret.txt",
        // Mixed and partial encodings.
        "/.%2e/secret.txt",
        "/%2e./secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/%2E%2E%5Csecret.txt",
        "/..%5C..%5Csecret.txt",
        "/\\secret.txt",
        "/..;/secret.txt",
        "/%u002e%u002e/secret.txt",
        // NUL, in every place.
        "/%00",
        "/secret.txt%00.html",
        "/..%00/secret.txt",
        // Overlong UTF-8 for `.`, `/` and `\`.
        "/%c0%ae%c0%ae/secret.txt",
        "/..%c0%afsecret.txt",
        "/%e0%80%ae%e0%80%ae/secret.txt",
        "/..%c1%9csecret.txt",
        // Absolute paths and URLs.
        "/secret.txt",
        "/%2Fsecret.txt",
        "http://127.0.0.1/../secret.txt",
        "file:///etc/passwd",
        "/output/../site.toml",
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

#[test]
fn serve_listens_on_loopback_only_unless_told_otherwise() {
    let dir = site();
    let root = dir.path().join("site");
    let (_serve, address) = start(&root);
    let socket: std::net::SocketAddr = address.parse().unwrap();
    assert!(socket.ip().is_loopback(), "{address}");
    // Reached on loopback, not on the machine's other addresses (when it has one).
    assert_eq!(get(&address, "/").0, 200);
    if let Some(ip) = support::non_loopback_ip() {
        let outside = std::net::SocketAddr::new(ip, socket.port());
        let reached = std::net::TcpStream::connect_timeout(&outside, support::PATIENCE);
        assert!(reached.is_err(), "the server answers on {outside}");
    }
}

/// Regression: `error: error: cannot listen on 127.0.0.1:1111: Address already in use`.
#[test]
fn a_taken_port_is_reported_with_one_error_prefix() {
    let dir = site();
    let root = dir.path().join("site");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_versus"))
        .args(["serve", "--port", &port, "--root", root.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.starts_with(&format!("error: cannot listen on 127.0.0.1:{port}")),
        "{stderr}"
    );
    assert!(!stderr.contains("error: error:"), "{stderr}");
}

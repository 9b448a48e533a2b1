//! `versus serve` on a temporary site: pages served from memory with the live-reload script
//! (never in `build` output), the right status and Content-Type, no way out of the site,
//! a reload event after each rebuild and an error event after a failed one; and HTTP as a
//! hostile client speaks it: headers smuggled through a redirect, oversized heads, bare line
//! feeds, other methods, HEAD on the event stream, foreign `Host` names.

use crate::support;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::support::{
    PATIENCE, Running, article, clean_build, get, next_event, site, start_serve as start,
    subscribe, tree, version, write,
};

/// Sends `request` as it is on a new connection and reads until the server closes it: the
/// status, the head as text, and the body. A reset or a timeout fails the test.
fn raw(address: &str, request: &[u8], timeout: Duration) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(timeout)).unwrap();
    stream.write_all(request).unwrap();
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .unwrap_or_else(|e| panic!("no complete response: {e}"));
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| {
            panic!(
                "no response head in {:?}",
                String::from_utf8_lossy(&response)
            )
        });
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head, response[split + 4..].to_vec())
}

/// A chunked body, up to its last (empty) chunk.
fn read_chunks(reader: &mut BufReader<TcpStream>) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let mut size = String::new();
        reader.read_line(&mut size).unwrap();
        let size = usize::from_str_radix(size.trim_end(), 16).unwrap();
        let mut chunk = vec![0; size + 2];
        reader.read_exact(&mut chunk).unwrap();
        if size == 0 {
            return body;
        }
        body.extend_from_slice(&chunk[..size]);
    }
}

/// One response read from a kept-alive connection, framed by its Content-Length.
fn next_response(reader: &mut BufReader<TcpStream>) -> (u16, BTreeMap<String, String>, Vec<u8>) {
    let mut status = String::new();
    reader.read_line(&mut status).unwrap();
    let status = status.split(' ').nth(1).unwrap().parse().unwrap();
    let mut headers = BTreeMap::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(": ").unwrap();
        headers.insert(name.to_ascii_lowercase(), value.to_string());
    }
    let body = match headers.get("content-length") {
        Some(length) => {
            let mut body = vec![0; length.parse().unwrap()];
            reader.read_exact(&mut body).unwrap();
            body
        }
        None => {
            assert_eq!(headers["transfer-encoding"], "chunked", "{headers:?}");
            read_chunks(reader)
        }
    };
    (status, headers, body)
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
        ("/atom.xml", "text/xml; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml"),
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

#[test]
fn a_redirect_encodes_the_path_again_so_no_header_can_be_injected() {
    let dir = site();
    let root = dir.path().join("site");
    write(
        &root,
        "static/x\r\nSet-Cookie: a=1/index.html",
        "<p>odd</p>",
    );
    write(&root, "static/x\nSet-Cookie: b=2/index.html", "<p>odd</p>");
    write(&root, "static/café olé/index.html", "<p>accent</p>");
    let (_serve, address) = start(&root);
    for (target, location) in [
        ("/x%0D%0ASet-Cookie:%20a=1", "/x%0D%0ASet-Cookie:%20a=1/"),
        ("/x%0ASet-Cookie:%20b=2", "/x%0ASet-Cookie:%20b=2/"),
        ("/caf%C3%A9%20ol%C3%A9", "/caf%C3%A9%20ol%C3%A9/"),
    ] {
        let request =
            format!("GET {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
        let (status, head, _) = raw(&address, request.as_bytes(), PATIENCE);
        assert_eq!(status, 301, "{target}: {head}");
        let lines: Vec<&str> = head.split("\r\n").collect();
        assert!(
            lines.contains(&format!("location: {location}").as_str()),
            "{target}: {head}"
        );
        assert!(
            !lines
                .iter()
                .any(|l| l.to_ascii_lowercase().starts_with("set-cookie")),
            "{target}: a header was injected: {head}"
        );
        // And the redirect leads to the folder's page.
        assert_eq!(get(&address, location).0, 200, "{location}");
    }
}

#[test]
fn an_oversized_request_head_gets_431_not_a_reset() {
    let dir = site();
    let (_serve, address) = start(&dir.path().join("site"));
    for size in [17 * 1024, 64 * 1024, 200 * 1024] {
        let request = format!(
            "GET / HTTP/1.1\r\nHost: {address}\r\nX-Padding: {}\r\n\r\n",
            "a".repeat(size)
        );
        let (status, _, body) = raw(&address, request.as_bytes(), PATIENCE);
        assert_eq!(status, 431, "a head of {size} bytes");
        assert!(!String::from_utf8_lossy(&body).contains("<html"), "{size}");
    }
    // Too many headers, each of them short.
    let many: String = (0..2000).map(|i| format!("X-{i}: y\r\n")).collect();
    let request = format!("GET / HTTP/1.1\r\nHost: {address}\r\n{many}\r\n");
    assert_eq!(raw(&address, request.as_bytes(), PATIENCE).0, 431);
    // A head just under the limit is fine.
    let request = format!(
        "GET / HTTP/1.1\r\nHost: {address}\r\nX-Padding: {}\r\nConnection: close\r\n\r\n",
        "a".repeat(12 * 1024)
    );
    assert_eq!(raw(&address, request.as_bytes(), PATIENCE).0, 200);
}

#[test]
fn a_request_with_bare_line_feeds_is_answered_at_once() {
    let dir = site();
    let (_serve, address) = start(&dir.path().join("site"));
    let request = format!("GET /articles/one/ HTTP/1.1\nHost: {address}\nConnection: close\n\n");
    // Well within the five seconds the server gives a slow client for its head.
    let (status, _, body) = raw(&address, request.as_bytes(), Duration::from_secs(2));
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains("Body of One"));
}

#[test]
fn other_methods_get_405_with_allow_and_head_sends_no_body() {
    let dir = site();
    let (_serve, address) = start(&dir.path().join("site"));
    for target in [
        "/",
        "/articles/one/",
        "/__versus/events",
        "/__versus/live.js",
    ] {
        for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
            let request = format!(
                "{method} {target} HTTP/1.1\r\nHost: {address}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            let (status, head, _) = raw(&address, request.as_bytes(), PATIENCE);
            assert_eq!(status, 405, "{method} {target}");
            let allow = head
                .split("\r\n")
                .find_map(|l| l.strip_prefix("allow: "))
                .unwrap_or_else(|| panic!("{method} {target}: no Allow in {head}"));
            let mut allowed: Vec<&str> = allow.split(',').map(str::trim).collect();
            allowed.sort_unstable();
            assert_eq!(allowed, ["GET", "HEAD"], "{method} {target}");
        }
    }
    // HEAD: the head of a GET and no body, on the event stream too, which then ends.
    let (_, _, page) = get(&address, "/articles/one/");
    for (target, kind) in [
        ("/articles/one/", "text/html; charset=utf-8"),
        ("/__versus/events?v=1", "text/event-stream"),
    ] {
        let request =
            format!("HEAD {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
        let (status, head, body) = raw(&address, request.as_bytes(), PATIENCE);
        assert_eq!(status, 200, "{target}");
        assert!(
            head.contains(&format!("content-type: {kind}")),
            "{target}: {head}"
        );
        assert!(
            body.is_empty(),
            "HEAD {target} sent a body: {:?}",
            String::from_utf8_lossy(&body)
        );
        if target == "/articles/one/" {
            assert!(
                head.contains(&format!("content-length: {}", page.len())),
                "{head}"
            );
        }
    }
}

#[test]
fn requests_for_a_foreign_host_are_refused_against_dns_rebinding() {
    let dir = site();
    let (_serve, address) = start(&dir.path().join("site"));
    let port = address.rsplit(':').next().unwrap();
    let request = |host_line: &str, target: &str| {
        let request = format!("GET {target} HTTP/1.1\r\n{host_line}Connection: close\r\n\r\n");
        raw(&address, request.as_bytes(), PATIENCE)
    };
    for host in [
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        "evil.example".to_string(),
        format!("127.0.0.1.nip.io:{port}"),
    ] {
        for target in ["/", "/articles/one/", "/matrix.json", "/__versus/events"] {
            let (status, _, body) = request(&format!("Host: {host}\r\n"), target);
            assert_eq!(status, 403, "{host} {target}");
            let body = String::from_utf8_lossy(&body);
            assert!(body.contains("localhost"), "the refusal says why: {body}");
            assert!(
                !body.contains("Body of One") && !body.contains("speed"),
                "{body}"
            );
        }
    }
    // An absolute target names the host as well.
    let host = format!("Host: {address}\r\n");
    assert_eq!(request(&host, "http://evil.example/").0, 403);
    // No Host at all.
    assert_eq!(request("", "/").0, 400);
    // The names of this machine are answered.
    for host in [
        address.clone(),
        format!("localhost:{port}"),
        format!("preview.localhost:{port}"),
        "127.0.0.1".to_string(),
        format!("[::1]:{port}"),
    ] {
        let (status, _, body) = request(&format!("Host: {host}\r\n"), "/articles/one/");
        assert_eq!(status, 200, "{host}");
        assert!(
            String::from_utf8_lossy(&body).contains("Body of One"),
            "{host}"
        );
    }
}

#[test]
fn connections_are_kept_alive_and_pages_compressed_for_clients_that_ask() {
    let dir = site();
    let (_serve, address) = start(&dir.path().join("site"));
    let stream = TcpStream::connect(&address).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let mut plain = BTreeMap::new();
    for target in [
        "/",
        "/articles/one/",
        "/style.css",
        "/no/such/page/",
        "/matrix.json",
    ] {
        write!(writer, "GET {target} HTTP/1.1\r\nHost: {address}\r\n\r\n").unwrap();
        let (status, headers, body) = next_response(&mut reader);
        assert_eq!(
            status,
            if target.contains("no/such") { 404 } else { 200 },
            "{target}"
        );
        assert!(!headers.contains_key("content-encoding"), "{target}");
        assert_ne!(headers.get("connection").map(String::as_str), Some("close"));
        plain.insert(target, body);
    }
    // The same connection again, now asking for gzip.
    for (target, expected) in &plain {
        write!(
            writer,
            "GET {target} HTTP/1.1\r\nHost: {address}\r\nAccept-Encoding: gzip\r\n\r\n"
        )
        .unwrap();
        let (_, headers, body) = next_response(&mut reader);
        assert_eq!(headers["content-encoding"], "gzip", "{target}");
        assert!(body.len() < expected.len(), "{target}: not smaller");
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(body.as_slice())
            .read_to_end(&mut decoded)
            .unwrap();
        assert_eq!(&decoded, expected, "{target}");
    }
}

#[test]
fn binding_beyond_loopback_warns_that_the_preview_is_exposed() {
    let dir = site();
    let root = dir.path().join("site");
    // A documentation address no machine has: binding fails, so no socket is ever opened
    // beyond loopback, and the warning comes before.
    let mut serve = Running::start(&[
        "serve",
        "--bind",
        "192.0.2.1",
        "--port",
        "0",
        "--root",
        root.to_str().unwrap(),
    ]);
    let warning = serve.wait_for("warning:");
    assert!(
        warning.contains("--bind 192.0.2.1 is not a loopback address"),
        "{warning}"
    );
    serve.wait_for("cannot listen on 192.0.2.1");
    // Loopback gives no warning.
    let (mut quiet, _) = start(&root);
    assert!(
        !quiet.drain().iter().any(|l| l.contains("warning")),
        "{:?}",
        quiet.seen
    );
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

#[test]
fn page_assets_are_served_with_their_types_and_follow_edits() {
    let dir = site();
    let root = dir.path().join("site");
    write(
        &root,
        "content/guides/setup/index.md",
        "+++\ntitle = \"Setup\"\n+++\n![diagram](diagram.png) [manual](manual.pdf)\n",
    );
    let assets: [(&str, &[u8], &str); 4] = [
        ("diagram.png", b"\x89PNG\r\n\x1a\n\xff", "image/png"),
        ("manual.pdf", b"%PDF-1.4 \xe2\x80", "application/pdf"),
        ("photo.jpg", b"\xff\xd8\xff\xe0", "image/jpeg"),
        ("chart.svg", b"<svg/>", "image/svg+xml"),
    ];
    for (name, bytes, _) in assets {
        std::fs::write(root.join("content/guides/setup").join(name), bytes).unwrap();
    }
    let (_serve, address) = start(&root);
    let (status, _, page) = get(&address, "/guides/setup/");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&page).contains(r#"src="diagram.png""#));
    for (name, bytes, kind) in assets {
        let (status, headers, body) = get(&address, &format!("/guides/setup/{name}"));
        assert_eq!(
            (status, headers["content-type"].as_str()),
            (200, kind),
            "{name}"
        );
        assert_eq!(body, bytes, "{name} as it is on disk");
    }

    // Edited and added while serving: a reload, and the new bytes.
    let mut events = subscribe(&address, &version(&page));
    std::fs::write(
        root.join("content/guides/setup/diagram.png"),
        b"\x89PNG new",
    )
    .unwrap();
    next_event(&mut events, "reload");
    let (_, _, body) = get(&address, "/guides/setup/diagram.png");
    assert_eq!(body, b"\x89PNG new");
    std::fs::write(root.join("content/guides/setup/notes.txt"), "notes").unwrap();
    next_event(&mut events, "reload");
    let (status, headers, body) = get(&address, "/guides/setup/notes.txt");
    assert_eq!(
        (status, headers["content-type"].as_str(), body.as_slice()),
        (200, "text/plain; charset=utf-8", &b"notes"[..])
    );
    // Deleted: gone from the server.
    std::fs::remove_file(root.join("content/guides/setup/photo.jpg")).unwrap();
    next_event(&mut events, "reload");
    assert_eq!(get(&address, "/guides/setup/photo.jpg").0, 404);
}

//! `versus check --external` against HTTP servers on 127.0.0.1 that the tests start: what
//! is broken and what is not, HEAD and GET, the retry, the skip list, the per-host limit,
//! the cache; and that a plain check or build never opens a connection.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::{site, write};

/// A small HTTP server answering by path, keeping a log of requests and the most requests
/// to `/busy/` it had under way at once.
struct Server {
    address: String,
    log: Arc<Mutex<Vec<String>>>,
    most_busy: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let log = Arc::new(Mutex::new(Vec::new()));
        let busy = Arc::new(AtomicUsize::new(0));
        let most_busy = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (l, b, m, s) = (log.clone(), busy, most_busy.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (l, b, m) = (l.clone(), b.clone(), m.clone());
                std::thread::spawn(move || answer(stream, &l, &b, &m));
            }
        });
        Server {
            address,
            log,
            most_busy,
            stop,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// The requests so far, as `METHOD /path`.
    fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    fn count(&self, request: &str) -> usize {
        self.requests().iter().filter(|r| *r == request).count()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(&self.address);
    }
}

fn answer(mut stream: TcpStream, log: &Mutex<Vec<String>>, busy: &AtomicUsize, most: &AtomicUsize) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head);
    let mut words = head.split_whitespace();
    let (method, path) = (
        words.next().unwrap_or("").to_string(),
        words.next().unwrap_or("").to_string(),
    );
    let request = format!("{method} {path}");
    let earlier = {
        let mut log = log.lock().unwrap();
        let earlier = log.iter().filter(|r| **r == request).count();
        log.push(request);
        earlier
    };
    let (status, extra) = match (method.as_str(), path.as_str()) {
        (_, "/ok") => ("200 OK", String::new()),
        (_, "/moved") => ("301 Moved Permanently", "Location: /ok\r\n".to_string()),
        (_, "/missing") => ("404 Not Found", String::new()),
        (_, "/error") => ("500 Internal Server Error", String::new()),
        (_, "/flaky") if earlier == 0 => ("503 Service Unavailable", String::new()),
        (_, "/flaky") => ("200 OK", String::new()),
        ("HEAD", "/nohead") => ("405 Method Not Allowed", String::new()),
        (_, "/nohead") => ("200 OK", String::new()),
        (_, "/slow") => {
            std::thread::sleep(Duration::from_secs(3));
            ("200 OK", String::new())
        }
        (_, p) if p.starts_with("/busy/") => {
            let now = busy.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(150));
            busy.fetch_sub(1, Ordering::SeqCst);
            ("200 OK", String::new())
        }
        _ => ("404 Not Found", String::new()),
    };
    let response =
        format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n{extra}\r\n");
    let _ = stream.write_all(response.as_bytes());
}

/// A port on 127.0.0.1 that nothing listens on.
fn refused_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs versus in the site's folder: success, stdout, stderr.
fn versus(root: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_versus"))
        .args(args)
        .current_dir(root)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn config(root: &Path, check: &str) {
    write(
        root,
        "site.toml",
        &format!("title = \"T\"\nbase_url = \"https://example.com/\"\n[check]\n{check}"),
    );
}

/// `content/links.md` with one link a line from line 5 on; the line of `links[i]` is `5 + i`.
fn links_page(root: &Path, links: &[String]) {
    let mut text = String::from("+++\ntitle = \"Links\"\n+++\n\n");
    for (i, url) in links.iter().enumerate() {
        text.push_str(&format!("- [link {i}]({url})\n"));
    }
    write(root, "content/links.md", &text);
}

#[test]
fn broken_links_are_reported_with_their_file_line_and_status() {
    let server = Server::start();
    let dir = site();
    let root = dir.path().join("site");
    config(
        &root,
        &format!("timeout = 1\nskip = [\"{}\"]\n", server.url("/skipped/")),
    );
    let refused = format!("http://127.0.0.1:{}/", refused_port());
    let links: Vec<String> = [
        "/ok",
        "/moved",
        "/missing",
        "/error",
        "/slow",
        "/flaky",
        "/nohead",
        "/skipped/x",
    ]
    .iter()
    .map(|p| server.url(p))
    .chain([refused.clone(), "http://nothing.invalid/".to_string()])
    .collect();
    links_page(&root, &links);
    write(
        &root,
        "content/articles/one.md",
        &format!(
            "+++\ntitle = \"One\"\npublisher = \"P\"\nurl = \"{}\"\nsummary = \"S.\"\n\
             leaning = \"tie\"\n+++\nBody.\n",
            server.url("/missing#part")
        ),
    );
    // A link only a template writes, on two pages.
    write(
        &root,
        "templates/plain.html",
        &format!(
            "{{% extends \"base.html\" %}}{{% block content %}}<h1>{{{{ page.title }}}}</h1>\
             <a href=\"{}\">old</a>{{% endblock content %}}",
            server.url("/gone")
        ),
    );
    for name in ["p1", "p2"] {
        write(
            &root,
            &format!("content/{name}.md"),
            "+++\ntitle = \"Plain\"\ntemplate = \"plain.html\"\n+++\nText.\n",
        );
    }
    let (ok, stdout, stderr) = versus(&root, &["check", "--external"]);
    assert!(!ok, "{stdout}{stderr}");
    let missing = server.url("/missing");
    let expected = [
        format!(
            "content/articles/one.md:4:7: broken external link `{missing}`: HTTP 404 Not Found"
        ),
        format!("content/links.md:7:3: broken external link `{missing}`: HTTP 404 Not Found"),
        format!(
            "content/links.md:8:3: broken external link `{}`: HTTP 500 Internal Server Error (tried twice)",
            server.url("/error")
        ),
        format!(
            "content/links.md:9:3: broken external link `{}`: no answer within 1 s (tried twice)",
            server.url("/slow")
        ),
        format!(
            "content/links.md:13:3: broken external link `{refused}`: connection refused (tried twice)"
        ),
    ];
    for line in &expected {
        assert!(stderr.contains(line.as_str()), "no `{line}` in:\n{stderr}");
    }
    assert!(
        stderr.contains("content/links.md:14:3: broken external link `http://nothing.invalid/`: "),
        "a .invalid name fails:\n{stderr}"
    );
    assert!(
        stderr.contains("error: check failed with 7 errors"),
        "{stderr}"
    );
    for fine in ["/ok", "/moved", "/flaky", "/nohead", "/skipped/x"] {
        assert!(
            !stderr.contains(&format!("{}`", server.url(fine))),
            "{fine}: {stderr}"
        );
    }
    assert_eq!(server.count("HEAD /missing"), 1, "a 404 is asked once");
    assert_eq!(server.count("HEAD /error"), 2, "a 500 is asked twice");
    assert_eq!(
        server.count("HEAD /flaky"),
        2,
        "a 503 is retried and then passes"
    );
    assert_eq!(server.count("HEAD /moved"), 1);
    assert!(server.count("HEAD /ok") >= 2, "the redirect is followed");
    assert_eq!(
        (server.count("HEAD /nohead"), server.count("GET /nohead")),
        (1, 1),
        "GET when HEAD is refused"
    );
    assert!(
        !server.requests().iter().any(|r| r.contains("/skipped/")),
        "the skip list is never requested: {:?}",
        server.requests()
    );
}

#[test]
fn no_host_gets_more_than_per_host_requests_at_once() {
    let server = Server::start();
    let dir = site();
    let root = dir.path().join("site");
    config(&root, "per_host = 2\nconcurrency = 16\ncache_hours = 0\n");
    let links: Vec<String> = (0..10).map(|i| server.url(&format!("/busy/{i}"))).collect();
    links_page(&root, &links);
    let (ok, stdout, stderr) = versus(&root, &["check", "--external"]);
    assert!(ok, "{stdout}{stderr}");
    assert!(
        stdout.contains("checked 10 external links (10 requested, 0 from the cache, 0 skipped)"),
        "{stdout}"
    );
    assert_eq!(
        server.most_busy.load(Ordering::SeqCst),
        2,
        "at most two at once, and two"
    );
    assert!(
        !root.join(".versus-cache").exists(),
        "cache_hours = 0 keeps no cache"
    );
}

#[test]
fn a_second_run_asks_again_only_for_the_broken_links() {
    let server = Server::start();
    let dir = site();
    let root = dir.path().join("site");
    config(&root, "");
    let links: Vec<String> = ["/ok", "/moved", "/nohead", "/missing"]
        .iter()
        .map(|p| server.url(p))
        .collect();
    links_page(&root, &links);
    let (ok, _, stderr) = versus(&root, &["check", "--external"]);
    assert!(!ok && stderr.contains("HTTP 404"), "{stderr}");
    let first = server.requests().len();
    assert!(root.join(".versus-cache/external-links.json").is_file());
    let (ok, _, stderr) = versus(&root, &["check", "--external"]);
    assert!(!ok && stderr.contains("HTTP 404"), "{stderr}");
    let again: Vec<String> = server.requests()[first..].to_vec();
    assert_eq!(
        again,
        ["HEAD /missing"],
        "only the broken link is asked again"
    );
    links_page(&root, &links[..3]);
    let (ok, stdout, stderr) = versus(&root, &["check", "--external"]);
    assert!(ok, "{stdout}{stderr}");
    assert!(
        stdout.contains("(0 requested, 3 from the cache, 0 skipped)"),
        "{stdout}"
    );
    assert_eq!(server.requests().len(), first + 1);
    let (ok, _, stderr) = versus(&root, &["build"]);
    assert!(ok, "{stderr}");
    assert!(
        !root.join("output/.versus-cache").exists(),
        "the cache is never published"
    );
}

#[test]
fn a_plain_check_or_build_opens_no_connection() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let address = listener.local_addr().unwrap();
    let dir = site();
    let root = dir.path().join("site");
    config(&root, "");
    let links = [
        format!("http://{address}/page"),
        // An address that answers nothing: a request would hang until its timeout.
        "http://10.255.255.1/".to_string(),
        "https://nothing.invalid/".to_string(),
    ];
    links_page(&root, &links);
    for args in [&["check"][..], &["build"]] {
        let (ok, stdout, stderr) = versus(&root, args);
        assert!(ok, "{args:?}: {stdout}{stderr}");
        assert!(!stdout.contains("external"), "{stdout}");
    }
    match listener.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("versus connected to the link's server: {other:?}"),
    }
}

#[test]
fn links_in_a_draft_are_checked_only_with_drafts() {
    let dir = site();
    let root = dir.path().join("site");
    config(&root, "cache_hours = 0\n");
    let refused = format!("http://127.0.0.1:{}/", refused_port());
    write(
        &root,
        "content/later.md",
        &format!("+++\ntitle = \"Later\"\ndraft = true\n+++\n\n[gone]({refused})\n"),
    );
    let (ok, stdout, stderr) = versus(&root, &["check", "--external"]);
    assert!(
        ok,
        "a draft left out of the build is left out of the check:\n{stdout}{stderr}"
    );
    let (ok, _, stderr) = versus(&root, &["check", "--external", "--drafts"]);
    assert!(!ok, "with --drafts the draft's links are checked");
    assert!(
        stderr.contains(&format!(
            "content/later.md:6:1: broken external link `{refused}`"
        )),
        "{stderr}"
    );
}

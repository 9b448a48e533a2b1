//! `versus serve`: the watch loop plus an HTTP thread serving the last good site from memory,
//! and a reload signal. Pages get a small script (added here, never in `build` output) that
//! listens to server-sent events: `reload` after every successful rebuild, `build-error`
//! with the message when one fails (shown in an overlay until the next success).

mod http;

use std::io::Write;
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use socket2::{Domain, Protocol, Socket, Type};

use crate::build::{Mode, Options};
use crate::error::{Error, Result};
use crate::rebuild::SiteFiles;
use crate::watch::{self, Report};
use http::{Response, content_type, site_path};

/// Where the server's own endpoints live; no site path starts with this.
const PREFIX: &str = "__versus/";
/// The live-reload script.
const SCRIPT: &str = include_str!("serve/live.js");
/// How often an idle event stream sends a comment, to notice closed connections.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// Connections waiting to be accepted (the system may cap it lower, e.g. `somaxconn`).
const BACKLOG: i32 = 1024;
/// A connection's thread needs little stack: the response is on the heap.
const CONNECTION_STACK: usize = 256 * 1024;
/// How long one write may wait for a client that does not read.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to listen on (loopback unless asked otherwise).
    pub bind: String,
    /// Port (0 picks a free one).
    pub port: u16,
    /// Open the site in a browser once it listens.
    pub open: bool,
    /// Poll the files instead of waiting for native events.
    pub poll: bool,
}

/// What the server shows: the last good site, and the error of the last rebuild if it failed.
#[derive(Default)]
struct Published {
    files: Option<Arc<SiteFiles>>,
    /// Bumped on every successful build: pages carry it, and a page whose version is behind
    /// reloads.
    version: u64,
    error: Option<String>,
    /// Bumped on every failed build, so that each failure is announced.
    failures: u64,
}

/// The server's state, shared by the HTTP threads and the watch loop.
#[derive(Default)]
struct Hub {
    published: Mutex<Published>,
    changed: Condvar,
}

impl Hub {
    fn lock(&self) -> MutexGuard<'_, Published> {
        self.published
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn succeeded(&self, files: Arc<SiteFiles>) {
        let previous = {
            let mut p = self.lock();
            let previous = p.files.replace(files);
            p.version += 1;
            p.error = None;
            self.changed.notify_all();
            previous
        };
        // Freeing a large site takes a moment: not while requests wait for the lock.
        drop(previous);
    }

    fn failed(&self, error: &Error) {
        let mut p = self.lock();
        p.error = Some(error.to_string());
        p.failures += 1;
        self.changed.notify_all();
    }
}

/// Builds, watches and serves the site until the process ends.
pub fn run(
    options: &Options,
    serve: &ServeOptions,
    report: &mut dyn FnMut(&Report<'_>),
) -> Result<()> {
    // Each open connection holds a descriptor: take what the system allows, as a browser
    // with many tabs (or a load test) may open hundreds. Failing to raise it is no error.
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let listener = listen(&serve.bind, serve.port).map_err(|e| {
        Error::Other(format!(
            "cannot listen on {}:{}: {e}",
            serve.bind, serve.port
        ))
    })?;
    let address = listener
        .local_addr()
        .map_err(|e| Error::Other(format!("cannot read the server address: {e}")))?;
    let url = format!("http://{address}/");
    // Served pages link to the server, and nothing is written to the output folder.
    let options = Options {
        base_url: Some(url.clone()),
        mode: Mode::Check,
        ..options.clone()
    };
    let hub = Arc::new(Hub::default());
    let accepting = Arc::clone(&hub);
    std::thread::spawn(move || accept(&listener, &accepting));
    report(&Report::Serving(&url));
    if serve.open {
        open_browser(&url);
    }
    watch::run(&options, serve.poll, &mut |event, files| {
        match event {
            Report::Built(_) | Report::Rebuilt(_) => hub.succeeded(Arc::clone(files)),
            Report::Failed(e) => hub.failed(e),
            _ => {}
        }
        report(event);
    })
}

/// Binds like [`TcpListener::bind`], with a longer queue of connections waiting to be
/// accepted: std's 128 overflows when hundreds of connections arrive at once, and the
/// overflow shows as connections that stall for a second or are reset.
fn listen(bind: &str, port: u16) -> std::io::Result<TcpListener> {
    let mut last_error = None;
    for address in (bind, port).to_socket_addrs()? {
        let bound = Socket::new(
            Domain::for_address(address),
            Type::STREAM,
            Some(Protocol::TCP),
        )
        .and_then(|socket| {
            // As std does: a restarted server can take its port back at once.
            #[cfg(unix)]
            socket.set_reuse_address(true)?;
            socket.bind(&address.into())?;
            socket.listen(BACKLOG)?;
            Ok(socket)
        });
        match bound {
            Ok(socket) => return Ok(socket.into()),
            Err(e) => last_error = Some(e),
        }
    }
    Err(last_error.unwrap_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, "no address to listen on")
    }))
}

/// One thread per connection. A connection that cannot get a thread, or an accept that fails
/// (out of file descriptors), is dropped and the loop goes on: the server never stops
/// accepting.
fn accept(listener: &TcpListener, hub: &Arc<Hub>) {
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(stream) => stream,
            Err(_) => {
                // Do not spin while the process is out of descriptors.
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        let hub = Arc::clone(hub);
        let _ = std::thread::Builder::new()
            .name("versus-http".into())
            .stack_size(CONNECTION_STACK)
            .spawn(move || handle(stream, &hub));
    }
}

fn handle(mut stream: TcpStream, hub: &Hub) {
    let _ = stream.set_nodelay(true);
    // A client that stops reading gives its thread back after a while.
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let Some(request) = http::read_request(&mut stream) else {
        return;
    };
    let head_only = request.method == "HEAD";
    if request.method != "GET" && !head_only {
        let _ = Response::text(405, "only GET and HEAD").send(&mut stream, false);
        return;
    }
    let path = match site_path(&request.target) {
        Ok(path) => path,
        Err(_) => {
            let _ = Response::text(400, "bad request path").send(&mut stream, head_only);
            return;
        }
    };
    if let Some(endpoint) = path.strip_prefix(PREFIX) {
        if endpoint == "events" {
            stream_events(stream, hub, &request.target);
            return;
        }
        let response = match endpoint {
            "live.js" => Response::new(200, content_type("live.js"), SCRIPT),
            _ => Response::text(404, "not found"),
        };
        let _ = response.send(&mut stream, head_only);
        return;
    }
    let _ = respond(hub, &path).send(&mut stream, head_only);
}

/// The response for a site path, from the last good build.
fn respond(hub: &Hub, path: &str) -> Response {
    let (files, version, error) = {
        let p = hub.lock();
        (p.files.clone(), p.version, p.error.clone())
    };
    let Some(files) = files else {
        let (status, text) = match error {
            Some(e) => (500, format!("The site does not build yet:\n\n{e}")),
            None => (503, "The site is being built…".to_string()),
        };
        let page = format!(
            "<!doctype html><title>versus</title><pre>{}</pre>",
            escape(&text)
        );
        return html(status, page.as_bytes(), version);
    };
    let key = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    if let Some(bytes) = files.get(key.as_str()) {
        return page_or_file(200, &key, bytes, version);
    }
    if files.contains_key(format!("{key}/index.html").as_str()) {
        let mut response = Response::text(301, "moved");
        response.headers.push(("Location", format!("/{key}/")));
        return response;
    }
    match files.get("404.html") {
        Some(bytes) => html(404, bytes, version),
        None => Response::text(404, "not found"),
    }
}

fn page_or_file(status: u16, key: &str, bytes: &[u8], version: u64) -> Response {
    if key.ends_with(".html") || key.ends_with(".htm") {
        html(status, bytes, version)
    } else {
        Response::new(status, content_type(key), bytes)
    }
}

/// An HTML response with the live-reload script added before `</body>`.
fn html(status: u16, page: &[u8], version: u64) -> Response {
    Response::new(status, content_type("x.html"), inject(page, version))
}

/// Adds the live-reload script to a page, tagged with the version it comes from.
fn inject(page: &[u8], version: u64) -> Vec<u8> {
    let tag =
        format!("<script src=\"/{PREFIX}live.js\" data-version=\"{version}\" defer></script>");
    let at = find_last_ignore_case(page, b"</body>").unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + tag.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&page[at..]);
    out
}

fn find_last_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=haystack.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

fn escape(text: &str) -> String {
    crate::markdown::escape(text)
}

/// Server-sent events: first the state as the client should see it (a reload when its page
/// is older than the current build, the error if the last build failed), then one event per
/// build, until the client goes away.
fn stream_events(mut stream: TcpStream, hub: &Hub, target: &str) {
    let seen_version: Option<u64> = target
        .split_once("v=")
        .and_then(|(_, v)| v.split('&').next())
        .and_then(|v| v.parse().ok());
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
                Connection: keep-alive\r\n\r\nretry: 500\n\n";
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    let mut version = seen_version.unwrap_or_else(|| hub.lock().version);
    let mut failures = 0;
    loop {
        let message = {
            let mut p = hub.lock();
            while p.version == version && p.failures == failures {
                let (guard, timeout) = hub
                    .changed
                    .wait_timeout(p, KEEP_ALIVE)
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                p = guard;
                if timeout.timed_out() {
                    break;
                }
            }
            let message = if p.version != version {
                format!("event: reload\ndata: {}\n\n", p.version)
            } else if let Some(e) = p.error.as_ref().filter(|_| p.failures != failures) {
                format!("event: build-error\ndata: {}\n\n", json_string(e))
            } else {
                ": keep-alive\n\n".to_string()
            };
            version = p.version;
            failures = p.failures;
            message
        };
        if stream.write_all(message.as_bytes()).is_err() || stream.flush().is_err() {
            return;
        }
    }
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// Opens `url` in the desktop's browser; failing to is not an error worth stopping for.
fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        vec!["open", url]
    } else if cfg!(windows) {
        vec!["cmd", "/C", "start", url]
    } else {
        vec!["xdg-open", url]
    };
    let _ = std::process::Command::new(command[0])
        .args(&command[1..])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hub_with(files: &[(&str, &str)]) -> Hub {
        let hub = Hub::default();
        let files: SiteFiles = files
            .iter()
            .map(|(p, b)| (Arc::from(*p), Arc::from(b.as_bytes())))
            .collect();
        hub.succeeded(Arc::new(files));
        hub
    }

    fn body(r: &Response) -> String {
        String::from_utf8(r.body.clone()).unwrap()
    }

    #[test]
    fn serves_index_files_redirects_folders_and_falls_back_to_404() {
        let hub = hub_with(&[
            ("index.html", "<html><body>home</body></html>"),
            ("a/index.html", "<body>A</body>"),
            ("style.css", "body{}"),
            ("404.html", "<body>missing</body>"),
        ]);
        let home = respond(&hub, "");
        assert_eq!(home.status, 200);
        assert!(body(&home).contains("home<script src=\"/__versus/live.js\" data-version=\"1\""));
        assert_eq!(respond(&hub, "a/").status, 200);
        let moved = respond(&hub, "a");
        assert_eq!(moved.status, 301);
        assert_eq!(moved.headers[1], ("Location", "/a/".to_string()));
        let css = respond(&hub, "style.css");
        assert_eq!(body(&css), "body{}", "no script in assets");
        assert_eq!(css.headers[0].1, "text/css; charset=utf-8");
        let missing = respond(&hub, "nope/");
        assert_eq!(missing.status, 404);
        assert!(body(&missing).contains("missing"));
    }

    #[test]
    fn before_the_first_build_it_says_so() {
        let hub = Hub::default();
        assert_eq!(respond(&hub, "").status, 503);
        hub.failed(&Error::Other("bad <thing>".into()));
        let r = respond(&hub, "");
        assert_eq!(r.status, 500);
        assert!(body(&r).contains("bad &lt;thing&gt;"));
    }

    #[test]
    fn the_script_goes_before_the_last_body_end_or_at_the_end() {
        assert_eq!(
            String::from_utf8(inject(b"<p>x</p></BODY>", 3)).unwrap(),
            "<p>x</p><script src=\"/__versus/live.js\" data-version=\"3\" defer></script></BODY>"
        );
        assert!(
            String::from_utf8(inject(b"plain", 1))
                .unwrap()
                .starts_with("plain<script")
        );
    }
}

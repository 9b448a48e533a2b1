//! Helpers for the browser tests: build the repository's own site into a temporary folder,
//! serve it on loopback under a project sub-path (as GitHub Pages would), and launch Debian's
//! headless Chromium through the DevTools protocol.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use headless_chrome::browser::tab::Tab;
use headless_chrome::protocol::cdp::Emulation;
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::{Browser, LaunchOptions};

/// The sub-path the site is served under, so that links that ignore the base path break.
pub const BASE: &str = "/versus/";

/// A built site served on 127.0.0.1, and a browser to look at it with.
pub struct Fixture {
    /// Keeps the output folder alive.
    pub output: tempfile::TempDir,
    /// `http://127.0.0.1:PORT/versus/`.
    pub base_url: String,
    /// Keeps the profile folder alive.
    _profile: tempfile::TempDir,
    /// The browser; dropping it ends the process.
    pub browser: Browser,
}

/// Where Chromium is: `$CHROME_PATH`, else the usual Debian and Ubuntu paths.
fn chromium() -> Option<PathBuf> {
    let candidates = std::env::var_os("CHROME_PATH")
        .map(PathBuf::from)
        .into_iter()
        .chain(
            [
                "/usr/bin/chromium",
                "/usr/bin/chromium-browser",
                "/usr/bin/google-chrome",
            ]
            .map(PathBuf::from),
        );
    candidates.into_iter().find(|p| p.is_file())
}

/// Launches Debian's headless Chromium with a fresh profile, or returns `None` (after saying
/// so loudly) when there is no browser outside CI. In CI a missing browser fails the test.
pub fn launch() -> Option<(Browser, tempfile::TempDir)> {
    let Some(chrome) = chromium() else {
        if std::env::var_os("CI").is_some() {
            panic!(
                "no chromium found (set CHROME_PATH or apt-get install chromium): CI is set, so this fails"
            );
        }
        eprintln!(
            "\n==========\nSKIPPED: no chromium found (set CHROME_PATH or install chromium)\n==========\n"
        );
        return None;
    };
    let profile = tempfile::tempdir().expect("a profile folder");
    let args: Vec<&OsStr> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    let launch = LaunchOptions::default_builder()
        .path(Some(chrome))
        .headless(true)
        .sandbox(false)
        .user_data_dir(Some(profile.path().to_path_buf()))
        .window_size(Some((1280, 900)))
        .args(args)
        .idle_browser_timeout(Duration::from_secs(120))
        .build()
        .expect("launch options");
    let browser = Browser::new(launch).expect("chromium starts");
    Some((browser, profile))
}

/// Builds and serves the repository's site and launches Chromium, or `None` without a
/// browser (see [`launch`]).
pub fn start() -> Option<Fixture> {
    start_at(Path::new(env!("CARGO_MANIFEST_DIR")))
}

/// Builds and serves the site at `root` (e.g. a test fixture) and launches Chromium, or
/// `None` without a browser (see [`launch`]).
pub fn start_at(root: &Path) -> Option<Fixture> {
    let (browser, profile) = launch()?;
    let server = tiny_http::Server::http("127.0.0.1:0").expect("bind a loopback port");
    let port = server.server_addr().to_ip().expect("an IP address").port();
    let base_url = format!("http://127.0.0.1:{port}{BASE}");
    let output = tempfile::tempdir().expect("a temporary folder");
    let options = versus::build::Options {
        root: root.to_path_buf(),
        output: Some(output.path().join("site")),
        base_url: Some(base_url.clone()),
        mode: versus::build::Mode::Build,
        evidence: Default::default(),
        drafts: false,
    };
    versus::build::run(&options).expect("the site builds");
    let root = output.path().join("site");
    thread::spawn(move || serve(&server, &root));
    Some(Fixture {
        output,
        base_url,
        _profile: profile,
        browser,
    })
}

/// Serves `root` under [`BASE`] the way GitHub Pages does: folders from their `index.html`,
/// anything missing as `404.html` with status 404.
fn serve(server: &tiny_http::Server, root: &Path) {
    // Each request is answered on its own thread, as a real server would: one slow answer
    // must not hold up the page's other requests.
    for request in server.incoming_requests() {
        let root = root.to_path_buf();
        thread::spawn(move || respond(request, &root));
    }
}

/// Answers one request from `root`.
fn respond(request: tiny_http::Request, root: &Path) {
    let path = request.url().split(['?', '#']).next().unwrap_or("/");
    let file = path
        .strip_prefix(BASE)
        .filter(|rel| !rel.split('/').any(|part| part == ".."))
        .map(|rel| {
            let mut file = root.join(rel);
            if file.is_dir() {
                file.push("index.html");
            }
            file
        })
        .filter(|f| f.is_file());
    let (file, status) = match file {
        Some(f) => (f, 200),
        None => (root.join("404.html"), 404),
    };
    let bytes = std::fs::read(&file).unwrap_or_default();
    let kind = match file.extension().and_then(OsStr::to_str) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("xml") => "application/xml",
        _ => "text/plain; charset=utf-8",
    };
    let header = tiny_http::Header::from_bytes("Content-Type", kind).expect("a header");
    let response = tiny_http::Response::from_data(bytes)
        .with_status_code(status)
        .with_header(header);
    let _ = request.respond(response);
}

impl Fixture {
    /// A new tab with the viewport `width` x `height`, recording console errors, uncaught
    /// exceptions and failed loads into the returned list.
    pub fn tab(&self, width: u32, height: u32) -> (Arc<Tab>, Arc<Mutex<Vec<String>>>) {
        let tab = self.browser.new_tab().expect("a tab");
        tab.set_default_timeout(Duration::from_secs(20));
        tab.call_method(Emulation::SetDeviceMetricsOverride {
            width,
            height,
            device_scale_factor: 1.0,
            mobile: width < 600,
            scale: None,
            screen_width: None,
            screen_height: None,
            position_x: None,
            position_y: None,
            dont_set_visible_size: None,
            screen_orientation: None,
            viewport: None,
            display_feature: None,
            device_posture: None,
        })
        .expect("set the viewport");
        let errors = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&errors);
        tab.enable_log()
            .and_then(|t| t.enable_runtime())
            .expect("enable log and runtime");
        tab.add_event_listener(Arc::new(move |event: &Event| {
            let message = match event {
                Event::RuntimeConsoleAPICalled(e) if format!("{:?}", e.params.Type) == "Error" => {
                    Some(format!("console.error: {:?}", e.params.args))
                }
                Event::RuntimeExceptionThrown(e) => Some(format!(
                    "uncaught: {:?}",
                    e.params.exception_details.exception
                )),
                Event::LogEntryAdded(e) if format!("{:?}", e.params.entry.level) == "Error" => {
                    Some(format!(
                        "{} ({})",
                        e.params.entry.text,
                        e.params.entry.url.clone().unwrap_or_default()
                    ))
                }
                _ => None,
            };
            if let Some(m) = message {
                sink.lock().expect("the error list").push(m);
            }
        }))
        .expect("listen to events");
        (tab, errors)
    }

    /// The absolute URL of a path under the base.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }
}

/// Opens `url` and waits for the page to load.
pub fn open(tab: &Tab, url: &str) {
    tab.navigate_to(url)
        .and_then(|t| t.wait_until_navigated())
        .unwrap_or_else(|e| panic!("open {url}: {e}"));
}

/// Reloads the page and waits until the new document has loaded.
pub fn reload(tab: &Tab) {
    eval(tab, "window.beforeReload = true");
    tab.reload(false, None).expect("reload");
    wait_until(
        tab,
        "!window.beforeReload && document.readyState === 'complete'",
        "the page reloads",
    );
}

/// Evaluates a JavaScript expression and returns its value as JSON.
pub fn eval(tab: &Tab, js: &str) -> serde_json::Value {
    tab.evaluate(js, true)
        .unwrap_or_else(|e| panic!("evaluate {js}: {e}"))
        .value
        .unwrap_or(serde_json::Value::Null)
}

/// Evaluates `js` until it returns `true`, or panics with `what` after 20 seconds (a loaded
/// CI machine runs Chromium slowly). An
/// evaluation that fails counts as "not yet": the page may be reloading, which is often what
/// the caller waits for.
pub fn wait_until(tab: &Tab, js: &str, what: &str) {
    wait_until_or_show(tab, js, what, "document.body.innerText.slice(0, 600)");
}

/// [`wait_until`], showing the value of `show` (what the page looked like) if it times out.
pub fn wait_until_or_show(tab: &Tab, js: &str, what: &str, show: &str) {
    let start = Instant::now();
    let mut last_error = None;
    while start.elapsed() < Duration::from_secs(20) {
        match tab.evaluate(js, true) {
            Ok(result) if result.value == Some(serde_json::Value::Bool(true)) => return,
            Ok(_) => {}
            Err(e) => last_error = Some(e.to_string()),
        }
        thread::sleep(Duration::from_millis(50));
    }
    let shown = tab.evaluate(show, true).map(|r| r.value);
    panic!(
        "timed out waiting until {what} ({js}); last evaluation error: {last_error:?}; \
         the page showed: {shown:?}"
    );
}

/// Serializes the browser tests (with the other heavy tests): each launches a Chromium, and
/// two cores run one at a time more reliably than five.
pub fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    crate::support::one_at_a_time()
}

//! The server's routes, on `axum`: the site from memory (its pages with the live-reload
//! script), the script itself and the event stream; before them, the `Host` check every
//! request passes. `axum` answers 405 with `Allow` and leaves the body out for HEAD;
//! `tower-http` compresses what a client accepts compressed.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use tower_http::compression::CompressionLayer;

use super::http::{content_type, folder_location, host_is_allowed, site_path};
use super::{Hub, PREFIX, Published, SCRIPT};

/// How often an idle event stream sends a comment, to notice closed connections.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How soon a browser reconnects to a lost event stream.
const RETRY: Duration = Duration::from_millis(500);

/// The routes, for a server bound to `bind` (the name `--bind` was given).
pub(super) fn router(hub: Arc<Hub>, bind: &str) -> Router {
    Router::new()
        .route(&format!("/{PREFIX}events"), get(events))
        .route(&format!("/{PREFIX}live.js"), get(script))
        .route("/", get(site))
        .route("/{*path}", get(site))
        .with_state(hub)
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn_with_state(
            Arc::<str>::from(bind),
            guard,
        ))
}

/// Answers only requests for a host a foreign page cannot name (against DNS rebinding), and
/// marks every response as not to be cached.
async fn guard(State(bind): State<Arc<str>>, request: Request, next: Next) -> Response {
    // Each name the request gives, `None` when it is not text.
    let hosts: Vec<Option<&str>> = request
        .uri()
        .authority()
        .map(|a| Some(a.as_str()))
        .into_iter()
        .chain(
            request
                .headers()
                .get_all(header::HOST)
                .iter()
                .map(|h| h.to_str().ok()),
        )
        .collect();
    let foreign = hosts
        .iter()
        .find(|h| !h.is_some_and(|h| host_is_allowed(h, &bind)));
    let mut response = if hosts.is_empty() {
        Reply::text(StatusCode::BAD_REQUEST, "a request needs a Host header").into_response()
    } else if let Some(host) = foreign {
        let text = format!(
            "versus serve answers requests for localhost, an IP address or --bind {bind}; \
             not for {:?}",
            host.unwrap_or("?")
        );
        Reply::text(StatusCode::FORBIDDEN, &text).into_response()
    } else {
        next.run(request).await
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A response of the site: what [`respond`] decides, before it becomes HTTP.
#[derive(Debug)]
pub(super) struct Reply {
    pub status: StatusCode,
    pub content_type: String,
    /// Where a 301 points, already encoded.
    pub location: Option<String>,
    pub body: Bytes,
}

impl Reply {
    fn new(status: StatusCode, content_type: String, body: impl Into<Bytes>) -> Reply {
        Reply {
            status,
            content_type,
            location: None,
            body: body.into(),
        }
    }

    fn text(status: StatusCode, text: &str) -> Reply {
        let body = format!("{text}\n");
        Reply::new(status, "text/plain; charset=utf-8".into(), body)
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let mut response = (self.status, self.body).into_response();
        let headers = response.headers_mut();
        if let Ok(value) = HeaderValue::from_str(&self.content_type) {
            headers.insert(header::CONTENT_TYPE, value);
        }
        if let Some(value) = self.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
            headers.insert(header::LOCATION, value);
        }
        response
    }
}

async fn script() -> Reply {
    Reply::new(StatusCode::OK, content_type("live.js"), SCRIPT)
}

async fn site(State(hub): State<Arc<Hub>>, uri: Uri) -> Reply {
    match site_path(uri.path()) {
        Ok(path) => respond(&ready(&hub, &path).await, &path),
        Err(_) => Reply::text(StatusCode::BAD_REQUEST, "bad request path"),
    }
}

/// What is published, once the file at `path` is up to date: a rebuild that made the
/// edited pages first makes the rest right after, and a request for one of those waits (at
/// most a few seconds, then takes what there is).
async fn ready(hub: &Hub, path: &str) -> Published {
    let key = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    let published = hub.published();
    if !published.pending.waits(&key) {
        return published;
    }
    let mut updates = hub.subscribe();
    let wait = updates.wait_for(|p| !p.pending.waits(&key));
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), wait).await;
    hub.published()
}

/// The response for a site path, from the last good build.
pub(super) fn respond(published: &Published, path: &str) -> Reply {
    let version = published.version;
    let Some(files) = &published.files else {
        let (status, text) = match &published.error {
            Some(e) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("The site does not build yet:\n\n{e}"),
            ),
            None => (
                StatusCode::SERVICE_UNAVAILABLE,
                "The site is being built…".to_string(),
            ),
        };
        let page = format!(
            "<!doctype html><title>versus</title><pre>{}</pre>",
            crate::markdown::escape(&text)
        );
        return html(status, page.as_bytes(), version);
    };
    let key = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    if let Some(bytes) = files.get(key.as_str()) {
        return if key.ends_with(".html") || key.ends_with(".htm") {
            html(StatusCode::OK, bytes, version)
        } else {
            Reply::new(StatusCode::OK, content_type(&key), bytes.clone())
        };
    }
    if files.contains_key(format!("{key}/index.html").as_str()) {
        let mut moved = Reply::text(StatusCode::MOVED_PERMANENTLY, "moved");
        moved.location = Some(folder_location(&key));
        return moved;
    }
    match files.get("404.html") {
        Some(bytes) => html(StatusCode::NOT_FOUND, bytes, version),
        None => Reply::text(StatusCode::NOT_FOUND, "not found"),
    }
}

/// An HTML response with the live-reload script added before `</body>`.
fn html(status: StatusCode, page: &[u8], version: u64) -> Reply {
    Reply::new(status, content_type("x.html"), inject(page, version))
}

/// Adds the live-reload script to a page, tagged with the version it comes from.
pub(super) fn inject(page: &[u8], version: u64) -> Vec<u8> {
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

/// Server-sent events: first the state as the client should see it (a reload when its page
/// is older than the current build, the error if the last build failed), then one event per
/// build, until the client goes away.
async fn events(
    State(hub): State<Arc<Hub>>,
    uri: Uri,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = hub.subscribe();
    let version = seen_version(uri.query()).unwrap_or_else(|| receiver.borrow().version);
    let changes = futures_util::stream::unfold(
        (receiver, version, 0u64),
        |(mut receiver, mut version, mut failures)| async move {
            loop {
                let event = {
                    let p = receiver.borrow_and_update();
                    next_event(&p, &mut version, &mut failures)
                };
                if let Some(event) = event {
                    return Some((Ok(event), (receiver, version, failures)));
                }
                receiver.changed().await.ok()?;
            }
        },
    );
    let retry = futures_util::stream::iter([Ok(Event::default().retry(RETRY))]);
    Sse::new(retry.chain(changes)).keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
}

/// The version a page comes from: `v` in the query of the event stream's URL.
fn seen_version(query: Option<&str>) -> Option<u64> {
    query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("v="))?
        .parse()
        .ok()
}

/// The event a client that has seen `version` and `failures` is owed, if any; it has seen
/// it afterwards.
fn next_event(p: &Published, version: &mut u64, failures: &mut u64) -> Option<Event> {
    let event = if p.version != *version {
        Some(Event::default().event("reload").data(p.version.to_string()))
    } else if p.failures != *failures {
        let json = |e: &String| serde_json::to_string(e).unwrap_or_else(|_| "\"\"".into());
        p.error
            .as_ref()
            .map(|e| Event::default().event("build-error").data(json(e)))
    } else {
        None
    };
    *version = p.version;
    *failures = p.failures;
    event
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rebuild::SiteFiles;

    fn published(files: &[(&str, &str)]) -> Published {
        let hub = Hub::default();
        let files: SiteFiles = files
            .iter()
            .map(|(p, b)| (Arc::from(*p), bytes::Bytes::copy_from_slice(b.as_bytes())))
            .collect();
        hub.succeeded(Arc::new(files), &crate::rebuild::Deferred::Nothing);
        hub.published()
    }

    fn body(r: &Reply) -> String {
        String::from_utf8(r.body.to_vec()).unwrap()
    }

    #[test]
    fn serves_index_files_redirects_folders_and_falls_back_to_404() {
        let site = published(&[
            ("index.html", "<html><body>home</body></html>"),
            ("a/index.html", "<body>A</body>"),
            ("café/index.html", "<body>C</body>"),
            ("style.css", "body{}"),
            ("404.html", "<body>missing</body>"),
        ]);
        let home = respond(&site, "");
        assert_eq!(home.status, 200);
        assert!(body(&home).contains("home<script src=\"/__versus/live.js\" data-version=\"1\""));
        assert_eq!(respond(&site, "a/").status, 200);
        let moved = respond(&site, "a");
        assert_eq!(moved.status, 301);
        assert_eq!(moved.location.as_deref(), Some("/a/"));
        let moved = respond(&site, "café");
        assert_eq!(moved.location.as_deref(), Some("/caf%C3%A9/"));
        let css = respond(&site, "style.css");
        assert_eq!(body(&css), "body{}", "no script in assets");
        assert_eq!(css.content_type, "text/css; charset=utf-8");
        let missing = respond(&site, "nope/");
        assert_eq!(missing.status, 404);
        assert!(body(&missing).contains("missing"));
    }

    #[test]
    fn before_the_first_build_it_says_so() {
        let hub = Hub::default();
        assert_eq!(respond(&hub.published(), "").status, 503);
        hub.failed(&crate::error::Error::Other("bad <thing>".into()));
        let r = respond(&hub.published(), "");
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

    #[test]
    fn a_client_is_owed_a_reload_when_behind_and_each_new_error_once() {
        let hub = Hub::default();
        let (mut version, mut failures) = (0, 0);
        assert!(next_event(&hub.published(), &mut version, &mut failures).is_none());
        hub.succeeded(
            Arc::new(SiteFiles::default()),
            &crate::rebuild::Deferred::Nothing,
        );
        assert!(next_event(&hub.published(), &mut version, &mut failures).is_some());
        assert_eq!(version, 1);
        assert!(next_event(&hub.published(), &mut version, &mut failures).is_none());
        hub.failed(&crate::error::Error::Other("broken".into()));
        assert!(next_event(&hub.published(), &mut version, &mut failures).is_some());
        assert!(next_event(&hub.published(), &mut version, &mut failures).is_none());
        assert_eq!(seen_version(Some("a=1&v=7")), Some(7));
        assert_eq!(seen_version(Some("v=x")), None);
        assert_eq!(seen_version(None), None);
    }
}

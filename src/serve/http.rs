//! The small part of HTTP/1.1 a development server needs: read one GET or HEAD request, turn
//! its target into a path safely, and write one response (then close the connection).

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// The longest request head accepted.
const MAX_HEAD: usize = 16 * 1024;

/// A parsed request line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Request {
    /// `GET`, `HEAD`, ...
    pub method: String,
    /// The raw request target, e.g. `/articles/x/?a=b`.
    pub target: String,
}

/// Reads the request head from `stream`; `None` when the client sent nothing usable.
pub(super) fn read_request(stream: &mut TcpStream) -> Option<Request> {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut head = Vec::with_capacity(1024);
    let mut buffer = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buffer).ok()?;
        if n == 0 || head.len() + n > MAX_HEAD {
            return None;
        }
        head.extend_from_slice(&buffer[..n]);
    }
    let text = String::from_utf8_lossy(&head);
    let mut parts = text.lines().next()?.split(' ');
    let (method, target) = (parts.next()?, parts.next()?);
    Some(Request {
        method: method.to_string(),
        target: target.to_string(),
    })
}

/// A complete response.
pub(super) struct Response {
    /// Status code.
    pub status: u16,
    /// Extra headers, e.g. `("Location", "/x/")`.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// A response with a body of `content_type`.
    pub(super) fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body: body.into(),
        }
    }

    /// A plain-text response.
    pub(super) fn text(status: u16, text: &str) -> Response {
        Response::new(status, "text/plain; charset=utf-8", format!("{text}\n"))
    }

    /// Writes the response; the body is left out for `HEAD`.
    pub(super) fn send(&self, stream: &mut impl Write, head_only: bool) -> io::Result<()> {
        let mut out = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str(&format!(
            "Content-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
            self.body.len()
        ));
        stream.write_all(out.as_bytes())?;
        if !head_only {
            stream.write_all(&self.body)?;
        }
        stream.flush()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Why a target was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Refused {
    /// Malformed or an attempt to leave the site: 400.
    BadRequest,
}

/// Turns a request target into the site path it names: percent-decoded, `/`-separated
/// segments, without the leading `/` (and without query or fragment). Anything that could
/// name a file outside the site — `..` or `.` segments, backslashes, encoded slashes, NUL,
/// a target that is not an absolute path — is refused. The result is only ever looked up in
/// the in-memory site, never on disk.
pub(super) fn site_path(target: &str) -> Result<String, Refused> {
    let path = target.split(['?', '#']).next().unwrap_or_default();
    if !path.starts_with('/') || path.contains('\\') {
        return Err(Refused::BadRequest);
    }
    let lower = path.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return Err(Refused::BadRequest);
    }
    let decoded = percent_decode(&path[1..]).ok_or(Refused::BadRequest)?;
    let decoded = String::from_utf8(decoded).map_err(|_| Refused::BadRequest)?;
    if decoded.contains('\\') || decoded.contains('\0') || decoded.starts_with('/') {
        return Err(Refused::BadRequest);
    }
    if decoded.split('/').any(|s| s == ".." || s == ".") {
        return Err(Refused::BadRequest);
    }
    Ok(decoded)
}

fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            // Two hex digits exactly: `from_str_radix` alone would also take `%+1`.
            let hex = bytes.get(i + 1..i + 3)?;
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
            out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The Content-Type for a file name.
pub(super) fn content_type(path: &str) -> &'static str {
    let extension = path
        .rsplit_once('.')
        .map(|(_, x)| x.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "webmanifest" => "application/manifest+json",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_paths_are_decoded() {
        assert_eq!(site_path("/").unwrap(), "");
        assert_eq!(site_path("/articles/x/?q=1#top").unwrap(), "articles/x/");
        assert_eq!(site_path("/a%20b.css").unwrap(), "a b.css");
        assert_eq!(site_path("/caf%C3%A9/").unwrap(), "café/");
    }

    #[test]
    fn traversal_is_refused() {
        for target in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/..%2fetc%2fpasswd",
            "/..%5cwindows",
            "/..\\windows",
            "/a\\b",
            "//etc/passwd",
            "/%2fetc/passwd",
            "/./index.html",
            "/a%00.html",
            "etc/passwd",
            "http://example.com/",
            "/%zz",
            "/%ff%fe",
            "/%+2e%+2e/secret",
            "/%2",
            "/%c0%ae%c0%ae/etc/passwd",
            "/%e0%80%ae/",
        ] {
            assert_eq!(site_path(target), Err(Refused::BadRequest), "{target}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.CSS"), "text/css; charset=utf-8");
        assert_eq!(content_type("matrix.json"), "application/json");
        assert_eq!(content_type("matrix.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("atom.xml"), "application/xml");
        assert_eq!(content_type("logo.svg"), "image/svg+xml");
        assert_eq!(content_type(".nojekyll"), "application/octet-stream");
        assert_eq!(content_type("CNAME"), "application/octet-stream");
    }

    #[test]
    fn responses_have_length_and_no_body_for_head() {
        let mut out = Vec::new();
        Response::text(404, "nope").send(&mut out, true).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("HTTP/1.1 404 Not Found\r\n"), "{text}");
        assert!(text.contains("Content-Length: 5\r\n"));
        assert!(text.ends_with("\r\n\r\n"));
    }
}

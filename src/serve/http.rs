//! The pure part of serving: a request target turned into a site path safely, a site path
//! turned back into a `Location` that cannot break a header, the Content-Type of a file, and
//! which `Host` headers the server answers. No I/O; the HTTP itself is `hyper`'s.

use std::net::IpAddr;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// Bytes a path segment in a `Location` keeps as they are: RFC 3986 unreserved characters,
/// `/`, and the sub-delimiters a browser leaves alone. Everything else, CR and LF first, is
/// percent-encoded.
const LOCATION: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}')
    .add(0x7f);

/// Why a target was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Refused {
    /// Malformed or an attempt to leave the site: 400.
    BadRequest,
}

/// Turns a request path into the site path it names: percent-decoded, `/`-separated
/// segments, without the leading `/` (and without query or fragment). Anything that could
/// name a file outside the site — `..` or `.` segments, backslashes, encoded slashes, NUL,
/// a malformed escape, a path that is not absolute — is refused. The result is only ever
/// looked up in the in-memory site, never on disk.
pub(super) fn site_path(target: &str) -> Result<String, Refused> {
    let path = target.split(['?', '#']).next().unwrap_or_default();
    if !path.starts_with('/') || path.contains('\\') || !escapes_are_well_formed(path) {
        return Err(Refused::BadRequest);
    }
    let lower = path.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return Err(Refused::BadRequest);
    }
    let decoded = percent_encoding::percent_decode_str(&path[1..])
        .decode_utf8()
        .map_err(|_| Refused::BadRequest)?;
    if decoded.contains(['\\', '\0']) || decoded.starts_with('/') {
        return Err(Refused::BadRequest);
    }
    if decoded.split('/').any(|s| s == ".." || s == ".") {
        return Err(Refused::BadRequest);
    }
    Ok(decoded.into_owned())
}

/// Whether every `%` starts an escape of two hex digits: the decoder passes `%zz` or `%+2`
/// through as text, and a path that is not what it seems is refused instead.
fn escapes_are_well_formed(path: &str) -> bool {
    let bytes = path.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| {
        b != b'%'
            || bytes
                .get(i + 1..i + 3)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    })
}

/// The `Location` of the folder at site path `key` (decoded), e.g. `/caf%C3%A9/`: encoded
/// again, so that no decoded byte (CR, LF, a space) reaches the header as it is.
pub(super) fn folder_location(key: &str) -> String {
    format!("/{}/", utf8_percent_encode(key, LOCATION))
}

/// The Content-Type for a file name: the registered type of its extension, in UTF-8 for
/// text; files without a known extension are bytes.
pub(super) fn content_type(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let Some(mime) = mime_guess::from_path(name).first() else {
        return "application/octet-stream".to_string();
    };
    let textual = mime.type_() == mime_guess::mime::TEXT
        || matches!(mime.subtype().as_str(), "javascript" | "xml");
    if textual && mime.get_param("charset").is_none() {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

/// Whether the server answers a request whose `Host` (or absolute target) names `host`
/// (`name[:port]`), when it was told to bind `bind`. Only names a foreign page cannot
/// point at the server are answered: an IP address, `localhost` (and `*.localhost`), or
/// the name given to `--bind`. A DNS-rebinding page has its own name in `Host`, and gets
/// nothing. The port is not compared: a forwarded port (`ssh -L`) keeps working.
pub(super) fn host_is_allowed(host: &str, bind: &str) -> bool {
    let Ok(authority) = host.parse::<axum::http::uri::Authority>() else {
        return false;
    };
    if authority.as_str().contains('@') {
        return false;
    }
    let name = authority.host();
    let literal = name.trim_start_matches('[').trim_end_matches(']');
    if literal.parse::<IpAddr>().is_ok() {
        return true;
    }
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let bind = bind.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost") || name == bind
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
        assert_eq!(site_path("/x%0D%0Ay").unwrap(), "x\r\ny");
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
    fn a_location_is_encoded_again_and_stays_on_the_site() {
        assert_eq!(folder_location("a"), "/a/");
        assert_eq!(folder_location("café"), "/caf%C3%A9/");
        assert_eq!(
            folder_location("x\r\nSet-Cookie: a=1"),
            "/x%0D%0ASet-Cookie:%20a=1/"
        );
        assert_eq!(folder_location("50%/a b?c#d"), "/50%25/a%20b%3Fc%23d/");
        for key in ["x\r\ny", "\u{7f}", "a\tb", "é\u{85}"] {
            let location = folder_location(key);
            assert!(location.bytes().all(|b| b.is_ascii_graphic()), "{location}");
            assert_eq!(site_path(&location).unwrap(), format!("{key}/"));
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.CSS"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("a/versus.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("matrix.json"), "application/json");
        assert_eq!(content_type("matrix.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("atom.xml"), "text/xml; charset=utf-8");
        assert_eq!(content_type("logo.svg"), "image/svg+xml");
        assert_eq!(content_type("photo.webp"), "image/webp");
        assert_eq!(content_type("font.woff2"), "font/woff2");
        assert_eq!(content_type(".nojekyll"), "application/octet-stream");
        assert_eq!(content_type("CNAME"), "application/octet-stream");
        assert_eq!(content_type("a.b/CNAME"), "application/octet-stream");
    }

    #[test]
    fn only_hosts_a_foreign_page_cannot_name_are_answered() {
        for host in [
            "127.0.0.1:1111",
            "127.0.0.1",
            "[::1]:8080",
            "localhost:1111",
            "LOCALHOST",
            "preview.localhost:1111",
            "localhost.:1111",
            "192.168.1.20:1111",
        ] {
            assert!(host_is_allowed(host, "127.0.0.1"), "{host}");
        }
        for host in [
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "",
            "user@localhost",
            "a b",
            "local host",
        ] {
            assert!(!host_is_allowed(host, "127.0.0.1"), "{host}");
        }
        assert!(host_is_allowed("devbox.lan:1111", "devbox.lan"));
        assert!(!host_is_allowed("other.lan:1111", "devbox.lan"));
    }
}

//! One HTTP request of the external link check, behind [`Fetch`] so that scheduling,
//! retrying and reporting are tested without a network. The real one, [`Http`], is ureq
//! over rustls: redirects followed, a timeout for the whole request, proxies from the
//! environment (`HTTPS_PROXY`, `NO_PROXY`).

use std::time::Duration;

/// The request method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    /// Headers only: what is tried first.
    Head,
    /// The whole response (its body is not read).
    Get,
}

/// What one request came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The status of the last response, redirects followed.
    Status(u16),
    /// No response.
    Failed(Failure),
}

/// Why there was no response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The timeout passed.
    Timeout,
    /// The host name does not resolve.
    HostNotFound,
    /// Nothing accepted the connection, or it broke.
    Connection(String),
    /// Anything a second try would not change: a malformed URL, a redirect loop, TLS.
    Other(String),
}

/// Sends one request.
pub(crate) trait Fetch: Sync {
    /// Requests `url` with `method` and says what came back.
    fn fetch(&self, url: &str, method: Method) -> Outcome;
}

/// Requests over the network with ureq.
pub(crate) struct Http {
    agent: ureq::Agent,
}

impl Http {
    /// A client whose every request (redirects included) gives up after `timeout`.
    pub(crate) fn new(timeout: Duration) -> Http {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .max_redirects(10)
            .user_agent(concat!(
                "versus/",
                env!("CARGO_PKG_VERSION"),
                " (external link check)"
            ))
            .build()
            .new_agent();
        Http { agent }
    }
}

impl Fetch for Http {
    fn fetch(&self, url: &str, method: Method) -> Outcome {
        if !super::pool::host(url).is_ascii() {
            return Outcome::Failed(Failure::Other(
                "internationalised domain names are not checked (add the link to [check] skip)"
                    .into(),
            ));
        }
        let url = &*encoded(url);
        let response = match method {
            Method::Head => self.agent.head(url).call(),
            // The body is dropped unread: only the status matters.
            Method::Get => self.agent.get(url).call(),
        };
        match response {
            Ok(response) => Outcome::Status(response.status().as_u16()),
            Err(e) => Outcome::Failed(failure(e)),
        }
    }
}

/// What a browser sends for `url`: non-ASCII characters, spaces and the few others a URL
/// cannot hold percent-encoded (`/wiki/Köln` is `/wiki/K%C3%B6ln`); `%` escapes left alone.
fn encoded(url: &str) -> std::borrow::Cow<'_, str> {
    use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
    const UNSAFE: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>').add(b'`');
    utf8_percent_encode(url, UNSAFE).into()
}

/// Sorts a ureq error into what the report says and whether a retry may help.
pub(crate) fn failure(error: ureq::Error) -> Failure {
    use std::io::ErrorKind;
    match error {
        ureq::Error::Timeout(_) => Failure::Timeout,
        ureq::Error::HostNotFound => Failure::HostNotFound,
        ureq::Error::ConnectionFailed => Failure::Connection("the connection failed".into()),
        ureq::Error::Io(e) if e.kind() == ErrorKind::TimedOut => Failure::Timeout,
        // The system resolver's error comes as a plain I/O error.
        ureq::Error::Io(e) if is_lookup_error(&e) => Failure::HostNotFound,
        ureq::Error::Io(e) => Failure::Connection(match e.kind() {
            ErrorKind::ConnectionRefused => "connection refused".to_string(),
            ErrorKind::ConnectionReset => "connection reset".to_string(),
            _ => e.to_string(),
        }),
        ureq::Error::TooManyRedirects => Failure::Other("more than 10 redirects".into()),
        ureq::Error::BadUri(_) | ureq::Error::Http(_) => Failure::Other("not a valid URL".into()),
        other => Failure::Other(other.to_string()),
    }
}

/// Whether an I/O error is the resolver saying the name does not exist.
fn is_lookup_error(error: &std::io::Error) -> bool {
    let text = error.to_string().to_ascii_lowercase();
    [
        "lookup address",
        "name or service not known",
        "nodename nor servname",
        "no such host",
    ]
    .iter()
    .any(|needle| text.contains(needle))
}

impl Failure {
    /// Whether a second try may go otherwise.
    pub(crate) fn retryable(&self) -> bool {
        matches!(self, Failure::Timeout | Failure::Connection(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_sort_into_what_a_retry_may_change() {
        let io = |kind, text: &str| ureq::Error::Io(std::io::Error::new(kind, text.to_string()));
        use std::io::ErrorKind;
        assert_eq!(failure(ureq::Error::HostNotFound), Failure::HostNotFound);
        let dns = io(
            ErrorKind::Other,
            "failed to lookup address information: Name or service not known",
        );
        assert_eq!(failure(dns), Failure::HostNotFound);
        assert_eq!(
            failure(io(ErrorKind::ConnectionRefused, "refused")),
            Failure::Connection("connection refused".into())
        );
        assert_eq!(failure(io(ErrorKind::TimedOut, "slow")), Failure::Timeout);
        assert!(failure(io(ErrorKind::ConnectionReset, "x")).retryable());
        assert!(!failure(ureq::Error::TooManyRedirects).retryable());
        assert!(!Failure::HostNotFound.retryable());
    }

    #[test]
    fn urls_are_sent_as_a_browser_sends_them() {
        assert_eq!(
            encoded("https://de.test/wiki/Köln a"),
            "https://de.test/wiki/K%C3%B6ln%20a"
        );
        assert_eq!(
            encoded("https://a.test/x%20y?q=1#f"),
            "https://a.test/x%20y?q=1#f"
        );
        let http = Http::new(Duration::from_secs(1));
        let Outcome::Failed(Failure::Other(why)) = http.fetch("https://bücher.test/", Method::Head)
        else {
            panic!("an internationalised name was requested");
        };
        assert!(why.contains("[check] skip"), "{why}");
    }

    #[test]
    fn a_malformed_url_fails_without_a_request() {
        let http = Http::new(Duration::from_secs(1));
        assert_eq!(
            http.fetch("https://exa[mple.test/", Method::Head),
            Outcome::Failed(Failure::Other("not a valid URL".into()))
        );
    }
}

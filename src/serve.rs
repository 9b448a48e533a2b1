//! `versus serve`: the watch loop plus an HTTP server (axum on hyper and tokio, on threads
//! of its own) serving the last good site from memory, and a reload signal. Pages get a
//! small script (added here, never in `build` output) that listens to server-sent events:
//! `reload` after every successful rebuild, `build-error` with the message when one fails
//! (shown in an overlay until the next success).

mod app;
mod connection;
mod http;

use std::net::{TcpListener, ToSocketAddrs};
use std::sync::Arc;

use socket2::{Domain, Protocol, Socket, Type};
use tokio::sync::watch::{Receiver, Sender};

use crate::build::{Mode, Options};
use crate::error::{Error, Result};
use crate::rebuild::{Deferred, SiteFiles};
use crate::watch::{self, Report};

/// Where the server's own endpoints live; no site path starts with this.
const PREFIX: &str = "__versus/";
/// The live-reload script.
const SCRIPT: &str = include_str!("serve/live.js");
/// Connections waiting to be accepted (the system may cap it lower, e.g. `somaxconn`).
const BACKLOG: i32 = 1024;

/// How to serve.
#[derive(Debug, Clone)]
pub(crate) struct ServeOptions {
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
#[derive(Default, Clone)]
struct Published {
    files: Option<Arc<SiteFiles>>,
    /// Bumped on every successful build: pages carry it, and a page whose version is behind
    /// reloads.
    version: u64,
    error: Option<String>,
    /// Bumped on every failed build, so that each failure is announced.
    failures: u64,
    /// What the rebuild makes next: a request for one of those files waits for it.
    pending: Arc<Deferred>,
}

/// The server's state, shared by the HTTP tasks and the watch loop; event streams are told
/// of every change.
struct Hub {
    published: Sender<Published>,
}

impl Default for Hub {
    fn default() -> Hub {
        Hub {
            published: Sender::new(Published::default()),
        }
    }
}

impl Hub {
    /// What is published now.
    fn published(&self) -> Published {
        self.published.borrow().clone()
    }

    /// Told of every change.
    fn subscribe(&self) -> Receiver<Published> {
        self.published.subscribe()
    }

    fn succeeded(&self, files: Arc<SiteFiles>, pending: &Deferred) {
        let mut previous = None;
        let pending = Arc::new(pending.clone());
        self.published.send_modify(|p| {
            previous = p.files.replace(files);
            p.version += 1;
            p.error = None;
            p.pending = pending;
        });
        // Freeing a large site takes a moment: not while requests wait for the lock.
        drop(previous);
    }

    /// The rest of a rebuild whose first part [`Hub::succeeded`] published: the same
    /// version, nothing pending any more.
    fn finished(&self, files: Arc<SiteFiles>) {
        let mut previous = None;
        self.published.send_modify(|p| {
            previous = p.files.replace(files);
            p.pending = Arc::new(Deferred::Nothing);
        });
        drop(previous);
    }

    fn failed(&self, error: &Error) {
        self.published.send_modify(|p| {
            p.error = Some(error.to_string());
            p.failures += 1;
        });
    }

    /// The rest of a rebuild failed: the output before it (`files`) is served again, and
    /// nothing waits any more.
    fn unfinished(&self, error: &Error, files: Arc<SiteFiles>) {
        let mut previous = None;
        self.published.send_modify(|p| {
            if *p.pending != Deferred::Nothing {
                previous = p.files.replace(files);
                p.pending = Arc::new(Deferred::Nothing);
                p.version += 1;
            }
        });
        drop(previous);
        self.failed(error);
    }
}

/// Whether every address `bind` names is a loopback address, so that only this machine can
/// reach the server. `false` for `0.0.0.0`, `::` and the machine's network addresses; also
/// `false` when the name does not resolve (binding then fails with its own message).
pub(crate) fn is_loopback(bind: &str) -> bool {
    match (bind, 0).to_socket_addrs() {
        Ok(addresses) => {
            let addresses: Vec<_> = addresses.collect();
            !addresses.is_empty() && addresses.iter().all(|a| a.ip().is_loopback())
        }
        Err(_) => false,
    }
}

/// Builds, watches and serves the site until the process ends.
pub(crate) fn run(
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
        evidence: Default::default(),
        ..options.clone()
    };
    let hub = Arc::new(Hub::default());
    connection::spawn(listener, app::router(Arc::clone(&hub), &serve.bind))
        .map_err(|e| Error::Other(format!("cannot start the server: {e}")))?;
    report(&Report::Serving(&url));
    if serve.open {
        open_browser(&url);
    }
    watch::run_deferring(&options, serve.poll, true, &mut |event, files| {
        match event {
            Report::Built(_) => hub.succeeded(Arc::clone(files), &Deferred::Nothing),
            Report::Rebuilt(r) => hub.succeeded(Arc::clone(files), &r.deferred),
            // Requests for what it made waited for it: no reload for it.
            Report::Finished(_) => hub.finished(Arc::clone(files)),
            Report::Failed(e) => hub.unfinished(e, Arc::clone(files)),
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

    #[test]
    fn only_loopback_addresses_count_as_loopback() {
        for bind in ["127.0.0.1", "127.0.0.2", "::1", "localhost"] {
            assert!(is_loopback(bind), "{bind}");
        }
        for bind in [
            "0.0.0.0",
            "::",
            "192.0.2.1",
            "10.1.2.3",
            "no such host.invalid",
        ] {
            assert!(!is_loopback(bind), "{bind}");
        }
    }
}

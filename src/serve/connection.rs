//! Connections: `hyper`'s HTTP/1.1 on a `tokio` runtime of its own thread, with keep-alive,
//! a bounded request head (431 beyond it), a deadline for each head, a deadline for a client
//! that stops reading, and a lingering close, so that a client whose request was refused
//! reads the answer instead of a reset.

use std::io;
use std::net::TcpListener;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Sleep;

/// The longest request head read: a longer one gets 431 (hyper's answer to a full buffer).
const MAX_HEAD: usize = 16 * 1024;
/// How long a client may take to send a request head, on a new or an idle kept-alive
/// connection; then the connection is closed.
const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
/// After the last response, how long (and how many bytes) the server reads what the client
/// still sends before closing: closing with unread bytes would reset the connection and
/// could destroy the response before the client reads it.
const LINGER: Duration = Duration::from_secs(2);
const LINGER_BYTES: usize = 256 * 1024;
/// How long a write may wait for a client that does not read; then the connection (and the
/// response it holds in memory) is dropped.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// Serves `app` on `listener` from a new thread, forever. Errors only when the runtime or
/// the thread cannot be started.
pub(super) fn spawn(listener: TcpListener, app: Router) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("versus-http")
        .build()?;
    std::thread::Builder::new()
        .name("versus-accept".into())
        .spawn(move || runtime.block_on(accept(listener, app)))?;
    Ok(())
}

/// Accepts connections forever. A failed accept (out of file descriptors) is waited out:
/// the server never stops accepting.
async fn accept(listener: TcpListener, app: Router) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(connection(stream, app.clone()));
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
        }
    }
}

/// Serves one connection's requests, then closes it gently.
async fn connection(mut stream: TcpStream, app: Router) {
    let _ = stream.set_nodelay(true);
    let service = TowerToHyperService::new(app);
    let _ = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEAD_TIMEOUT)
        .max_buf_size(MAX_HEAD)
        .keep_alive(true)
        .serve_connection(TokioIo::new(Stalling::new(&mut stream)), service)
        .await;
    linger(stream).await;
}

/// Ends the sending side, then reads (and drops) what the client still sends, for a while.
async fn linger(mut stream: TcpStream) {
    let _ = stream.shutdown().await;
    let drain = async {
        let mut buffer = [0u8; 4096];
        let mut left = LINGER_BYTES;
        while left > 0 {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => left = left.saturating_sub(n),
            }
        }
    };
    let _ = tokio::time::timeout(LINGER, drain).await;
}

/// A stream whose writes fail once they have waited [`WRITE_TIMEOUT`] for the client.
struct Stalling<'a> {
    stream: &'a mut TcpStream,
    /// Since when a write has been waiting, as the moment it gives up.
    stalled: Option<Pin<Box<Sleep>>>,
}

impl<'a> Stalling<'a> {
    fn new(stream: &'a mut TcpStream) -> Stalling<'a> {
        Stalling {
            stream,
            stalled: None,
        }
    }

    /// Passes a write's outcome on; a write still waiting after the deadline fails.
    fn watch<T>(
        &mut self,
        cx: &mut Context<'_>,
        outcome: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        if outcome.is_ready() {
            self.stalled = None;
            return outcome;
        }
        let deadline = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(WRITE_TIMEOUT)));
        match deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::ErrorKind::TimedOut.into())),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncRead for Stalling<'_> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Stalling<'_> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let outcome = Pin::new(&mut *this.stream).poll_write(cx, buf);
        this.watch(cx, outcome)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let outcome = Pin::new(&mut *this.stream).poll_flush(cx);
        this.watch(cx, outcome)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.get_mut().stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let outcome = Pin::new(&mut *this.stream).poll_write_vectored(cx, bufs);
        this.watch(cx, outcome)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A client that connects and never reads: writes block, then fail at the deadline
    /// (the clock is paused and jumps to it as soon as nothing else can happen).
    #[tokio::test(start_paused = true)]
    async fn a_write_to_a_client_that_does_not_read_fails_at_the_deadline() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (mut server, _) = listener.accept().await.unwrap();
        let started = tokio::time::Instant::now();
        let mut stalling = Stalling::new(&mut server);
        let chunk = vec![0u8; 1 << 20];
        let mut written = 0usize;
        let error = loop {
            match stalling.write(&chunk).await {
                Ok(n) => written += n,
                Err(e) => break e,
            }
            assert!(
                written < 1 << 30,
                "a gigabyte went into a socket nobody reads"
            );
        };
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
        assert!(
            started.elapsed() >= WRITE_TIMEOUT,
            "{:?}",
            started.elapsed()
        );
        drop(client);
    }
}

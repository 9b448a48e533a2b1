//! Connections: `hyper`'s HTTP/1.1 on a `tokio` runtime of its own thread, with keep-alive,
//! a bounded request head (431 beyond it), a deadline for each head, and a lingering close,
//! so that a client whose request was refused reads the answer instead of a reset.

use std::net::TcpListener;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

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

/// Serves `app` on `listener` from a new thread, forever. Errors only when the runtime or
/// the thread cannot be started.
pub fn spawn(listener: TcpListener, app: Router) -> std::io::Result<()> {
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
        .serve_connection(TokioIo::new(&mut stream), service)
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

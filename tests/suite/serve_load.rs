//! `versus serve` under load, on loopback: a thousand connections open at once all get their
//! page; idle connections, half-sent requests and clients that read one byte at a time do
//! not hold up anyone else, and the silent ones are closed after a while; clients that hang
//! up mid-response disturb neither the server nor its rebuilds.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use crate::support::{
    PATIENCE, article, get, next_event, site, start_serve, subscribe, version, write,
};

/// Connections open at the same time in the load test.
const CONNECTIONS: usize = 1000;
/// How long a request may take while others misbehave; it takes milliseconds when nothing
/// waits on them.
const PROMPT: Duration = Duration::from_secs(2);

/// The tests of this file take turns (with the other heavy tests): each opens hundreds of
/// sockets, and together they would need more file descriptors than a default limit of 1024.
fn one_at_a_time() -> MutexGuard<'static, ()> {
    // This process holds the client ends of every connection: raise its descriptor limit to
    // what the system allows (the server raises its own).
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    crate::support::one_at_a_time()
}

/// One GET on an open connection: the status and the body, or what went wrong.
fn exchange(stream: &mut TcpStream, target: &str) -> Result<(u16, Vec<u8>), String> {
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| format!("write: {e}"))?;
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .map_err(|e| format!("read: {e}"))?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no response head")?;
    let status = String::from_utf8_lossy(&raw[..split])
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("no status")?;
    Ok((status, raw[split + 4..].to_vec()))
}

/// A site with one page of about `size` bytes, at `/articles/big/`.
fn site_with_big_page(size: usize) -> tempfile::TempDir {
    let dir = site();
    let paragraph = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(20);
    let body = format!("{paragraph}\n\n").repeat(size / (paragraph.len() + 2) + 1);
    write(
        &dir.path().join("site"),
        "content/articles/big.md",
        &article("Big", "alpha", &body),
    );
    dir
}

#[test]
fn a_thousand_connections_open_at_once_all_get_their_page() {
    let _turn = one_at_a_time();
    let dir = site();
    let (_serve, address) = start_serve(&dir.path().join("site"));
    let (_, _, expected) = get(&address, "/articles/one/");
    let expected = Arc::new(expected);
    let connected = Arc::new(Barrier::new(CONNECTIONS));
    let clients: Vec<_> = (0..CONNECTIONS)
        .map(|_| {
            let (address, expected, connected) = (
                address.clone(),
                Arc::clone(&expected),
                Arc::clone(&connected),
            );
            thread::Builder::new()
                .stack_size(64 * 1024)
                .spawn(move || -> Result<Duration, String> {
                    let started = Instant::now();
                    let stream = TcpStream::connect(&address);
                    // Every connection is open before any request is sent.
                    connected.wait();
                    let mut stream = stream.map_err(|e| format!("connect: {e}"))?;
                    stream
                        .set_read_timeout(Some(PATIENCE))
                        .map_err(|e| e.to_string())?;
                    let (status, body) = exchange(&mut stream, "/articles/one/")?;
                    if status != 200 || body != *expected {
                        return Err(format!("status {status}, {} bytes", body.len()));
                    }
                    Ok(started.elapsed())
                })
                .unwrap()
        })
        .collect();
    let results: Vec<Result<Duration, String>> =
        clients.into_iter().map(|c| c.join().unwrap()).collect();
    let errors: Vec<&String> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    let slowest = results.iter().filter_map(|r| r.as_ref().ok()).max();
    eprintln!(
        "{CONNECTIONS} concurrent connections: {} errors, slowest {slowest:?}",
        errors.len()
    );
    assert!(errors.is_empty(), "{} errors: {errors:?}", errors.len());
    // And the server is still there.
    assert_eq!(get(&address, "/").0, 200);
}

#[test]
fn idle_half_sent_and_slow_clients_do_not_hold_up_others() {
    let _turn = one_at_a_time();
    let dir = site_with_big_page(2_000_000);
    let (_serve, address) = start_serve(&dir.path().join("site"));
    let (status, _, big) = get(&address, "/articles/big/");
    assert_eq!(status, 200);
    assert!(big.len() > 2_000_000, "{}", big.len());

    // Connected, and nothing sent.
    let idle: Vec<TcpStream> = (0..200)
        .map(|_| TcpStream::connect(&address).unwrap())
        .collect();
    // Half a request head.
    let half: Vec<TcpStream> = (0..100)
        .map(|_| {
            let mut s = TcpStream::connect(&address).unwrap();
            s.write_all(b"GET /articles/one/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                .unwrap();
            s
        })
        .collect();
    // The big page, read one byte at a time.
    let stop = Arc::new(AtomicBool::new(false));
    let slow: Vec<_> = (0..50)
        .map(|_| {
            let (address, stop) = (address.clone(), Arc::clone(&stop));
            thread::spawn(move || {
                let mut s = TcpStream::connect(&address).unwrap();
                s.write_all(b"GET /articles/big/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .unwrap();
                let mut byte = [0u8; 1];
                let mut read = 0;
                while !stop.load(Ordering::Relaxed) && s.read(&mut byte).unwrap() == 1 {
                    read += 1;
                    thread::sleep(Duration::from_millis(5));
                }
                read
            })
        })
        .collect();
    thread::sleep(Duration::from_millis(200));

    for target in ["/", "/articles/one/", "/articles/big/", "/style.css"] {
        let started = Instant::now();
        let (status, _, body) = get(&address, target);
        let took = started.elapsed();
        assert_eq!(status, 200, "{target}");
        assert!(!body.is_empty(), "{target}");
        assert!(took < PROMPT, "{target} took {took:?} beside slow clients");
    }
    stop.store(true, Ordering::Relaxed);
    let read: Vec<usize> = slow.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(read.iter().all(|&n| n > 0), "a slow client got nothing");
    drop((idle, half));
    assert_eq!(get(&address, "/").0, 200);
}

#[test]
fn clients_that_hang_up_mid_response_disturb_neither_the_server_nor_rebuilds() {
    let _turn = one_at_a_time();
    let dir = site_with_big_page(2_000_000);
    let root = dir.path().join("site");
    let (mut serve, address) = start_serve(&root);
    let (_, _, page) = get(&address, "/articles/one/");
    let mut events = subscribe(&address, &version(&page));

    for i in 0..100 {
        let mut s = TcpStream::connect(&address).unwrap();
        s.write_all(b"GET /articles/big/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .unwrap();
        if i % 2 == 0 {
            // A few bytes, then gone with most of the page unread (the peer gets a reset).
            let mut start = [0u8; 64];
            s.read_exact(&mut start).unwrap();
        }
        drop(s);
    }
    // An event stream that goes away too.
    drop(subscribe(&address, &version(&page)));

    write(
        &root,
        "content/articles/one.md",
        &article("One", "beta", "After-the-hangups."),
    );
    next_event(&mut events, "reload");
    serve.wait_for("rebuilt after content/articles/one.md");
    let (status, _, page) = get(&address, "/articles/one/");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&page).contains("After-the-hangups."));
    let (status, _, big) = get(&address, "/articles/big/");
    assert_eq!(status, 200);
    assert!(big.len() > 2_000_000);
}

#[test]
fn silent_and_half_sent_connections_are_closed_after_the_head_deadline() {
    let _turn = one_at_a_time();
    let dir = site();
    let (_serve, address) = start_serve(&dir.path().join("site"));
    let connect = |sent: &[u8]| {
        let mut s = TcpStream::connect(&address).unwrap();
        s.set_read_timeout(Some(PATIENCE)).unwrap();
        s.write_all(sent).unwrap();
        s
    };
    let mut silent = connect(b"");
    let mut half = connect(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    // A kept-alive connection that goes quiet after one answer.
    let mut kept = connect(b"GET /style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    let started = Instant::now();
    for (what, stream) in [
        ("silent", &mut silent),
        ("half-sent", &mut half),
        ("kept-alive", &mut kept),
    ] {
        // The server closes it (EOF), well before this side's patience ends.
        let mut rest = Vec::new();
        stream
            .read_to_end(&mut rest)
            .unwrap_or_else(|e| panic!("{what}: not closed by the server: {e}"));
        let text = String::from_utf8_lossy(&rest);
        assert!(!text.contains("<html"), "{what}: {text}");
    }
    assert!(started.elapsed() < PATIENCE, "{:?}", started.elapsed());
    assert_eq!(get(&address, "/").0, 200);
}

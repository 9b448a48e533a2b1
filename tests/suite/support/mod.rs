//! Helpers shared by the integration tests: a small site in a temporary folder, fixtures
//! copied, build options, the `versus` binary run once or as a child whose output lines can
//! be awaited, and folder comparison.

pub mod fuzz;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// How long any awaited event may take before a test fails.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// Copies the folder `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The options of `versus build --root root --output output` (no other flags).
pub fn build_options(root: &Path, output: &Path) -> versus::build::Options {
    versus::build::Options {
        root: root.into(),
        output: Some(output.into()),
        base_url: None,
        mode: versus::build::Mode::Build,
        evidence: Default::default(),
        drafts: false,
    }
}

/// Runs the `versus` binary with `args` to the end.
pub fn versus(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_versus"))
        .args(args)
        .output()
        .unwrap()
}

/// [`versus`]: whether it succeeded, its stdout and its stderr.
pub fn versus_text(args: &[&str]) -> (bool, String, String) {
    let out = versus(args);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

pub fn article(title: &str, favors: &str, extra: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\npublisher = \"Pub {title}\"\nsummary = \"About {title}.\"\n\
         leaning = \"tie\"\n\n[claims.speed]\nfavors = \"{favors}\"\nnote = \"Says so.\"\n+++\n\
         # {title}\n\nBody of {title}. {extra}\n"
    )
}

/// A small valid site: two subjects, two criteria, two articles.
pub fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write(
        &root,
        "site.toml",
        "title = \"T\"\ndescription = \"D\"\nbase_url = \"https://example.com/\"\nlanguage = \"en\"\ntheme = \"default\"\n",
    );
    write(
        &root,
        "content/_index.md",
        "+++\ntitle = \"Home\"\n+++\nHello.\n",
    );
    for (id, name) in [("alpha", "Alpha"), ("beta", "Beta")] {
        write(
            &root,
            &format!("content/subjects/{id}.md"),
            &format!("+++\nname = \"{name}\"\n+++\n{name} overview.\n"),
        );
    }
    for (id, title) in [("speed", "Speed"), ("cost", "Cost")] {
        write(
            &root,
            &format!("content/criteria/{id}.md"),
            &format!("+++\ntitle = \"{title}\"\n+++\nSynthesis.\n"),
        );
    }
    write(
        &root,
        "content/articles/one.md",
        &article("One", "alpha", ""),
    );
    write(
        &root,
        "content/articles/two.md",
        &article("Two", "beta", ""),
    );
    dir
}

/// A running `versus` whose stdout and stderr lines arrive on a channel.
pub struct Running {
    child: Child,
    lines: Receiver<String>,
    pub seen: Vec<String>,
}

impl Running {
    pub fn start(args: &[&str]) -> Running {
        let mut child = Command::new(env!("CARGO_BIN_EXE_versus"))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (sender, lines) = channel();
        let out = child.stdout.take().unwrap();
        let err = child.stderr.take().unwrap();
        for stream in [Box::new(out) as Box<dyn Read + Send>, Box::new(err)] {
            let sender = sender.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines() {
                    let Ok(line) = line else { break };
                    if sender.send(line).is_err() {
                        break;
                    }
                }
            });
        }
        Running {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Takes every line printed so far into `seen`, and returns them all.
    pub fn drain(&mut self) -> &[String] {
        self.seen.extend(self.lines.try_iter());
        &self.seen
    }

    /// Waits for a line containing `needle` and returns it.
    pub fn wait_for(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "no line with {needle:?} within {PATIENCE:?}; output so far:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `versus build` and returns its output folder.
pub fn clean_build(root: &Path, output: &Path, base_url: Option<&str>) -> PathBuf {
    let mut command = Command::new(env!("CARGO_BIN_EXE_versus"));
    command
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(output);
    if let Some(url) = base_url {
        command.args(["--base-url", url]);
    }
    let result = command.output().unwrap();
    assert!(
        result.status.success(),
        "clean build failed: {}",
        String::from_utf8_lossy(&result.stderr)
    );
    output.to_path_buf()
}

/// Takes turns among the tests that load the machine (a browser, a storm of edits, hundreds
/// of connections, a hundred builds): in one binary they would otherwise run side by side,
/// where each had its own binary, run one after the other, before.
pub fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Every file under `dir`, by `/`-separated relative path. A file that a running watcher
/// removes between listing and reading is left out, as it would be a moment later.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            Some((rel, std::fs::read(e.path()).ok()?))
        })
        .collect()
}

/// Panics with the differing paths unless both folders hold the same files.
pub fn assert_same_tree(actual: &Path, expected: &Path) {
    let (a, e) = (tree(actual), tree(expected));
    if a != e {
        let differ: Vec<&String> = a
            .keys()
            .chain(e.keys())
            .filter(|k| a.get(*k) != e.get(*k))
            .collect();
        panic!(
            "{} differs from a clean build at {differ:?}",
            actual.display()
        );
    }
}

/// A raw HTTP/1.1 GET: status, headers (lowercased names) and body.
pub fn get(address: &str, target: &str) -> (u16, BTreeMap<String, String>, Vec<u8>) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
        .collect();
    (status, headers, raw[split + 4..].to_vec())
}

/// Starts `versus serve` on a free port; returns it and its `host:port`, once it watches.
pub fn start_serve(root: &Path) -> (Running, String) {
    let mut serve = Running::start(&["serve", "--port", "0", "--root", root.to_str().unwrap()]);
    let line = serve.wait_for("serving the site at http://");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap();
    let address = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    serve.wait_for("watching");
    (serve, address)
}

/// The page's version, from the injected script tag.
pub fn version(page: &[u8]) -> String {
    let page = String::from_utf8_lossy(page);
    let at = page
        .find("data-version=\"")
        .expect("the live-reload script")
        + 14;
    page[at..].split('"').next().unwrap().to_string()
}

/// Reads server-sent events until one named `name`; returns its data.
pub fn next_event(events: &mut BufReader<TcpStream>, name: &str) -> String {
    let mut current = String::new();
    loop {
        let mut line = String::new();
        assert!(
            events.read_line(&mut line).unwrap() > 0,
            "event stream closed"
        );
        let line = line.trim_end();
        if let Some(event) = line.strip_prefix("event: ") {
            current = event.to_string();
        } else if let Some(data) = line.strip_prefix("data: ")
            && current == name
        {
            return data.to_string();
        }
    }
}

pub fn subscribe(address: &str, version: &str) -> BufReader<TcpStream> {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        stream,
        "GET /__versus/events?v={version} HTTP/1.1\r\nHost: {address}\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status).unwrap();
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    reader
}

/// An address of this machine that is not loopback, if it has one: the one it would use to
/// reach the outside (no packet is sent to find it).
pub fn non_loopback_ip() -> Option<std::net::IpAddr> {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("192.0.2.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

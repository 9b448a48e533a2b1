//! Runs one bad-input case: a fresh copy of the good fixture, a good build, one mutation, then
//! the real `versus` binary with a time limit, and the checks every case shares: the exit
//! status, no panic, the message, the previous output untouched, nothing written elsewhere.

use std::collections::BTreeMap;
use std::fs;
use std::hash::{Hash, Hasher};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::copy_dir;

const GOOD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/good");

/// Longer than any case needs in a debug build; a run that takes this long has hung.
const TIME_LIMIT: Duration = Duration::from_secs(60);

/// An error message is for people: it must not echo a huge input back.
const MAX_STDERR: usize = 16 * 1024;

/// Where a case's site lives: `tmp/site`, built once into `tmp/site/output` before the case
/// changes anything. `versus` runs in `tmp` with `--root site`, so messages name
/// `site/content/…`.
pub struct Ctx {
    /// The temporary folder holding the site (and anything a case puts beside it).
    pub tmp: PathBuf,
    /// `tmp/site`.
    pub root: PathBuf,
}

impl Ctx {
    /// `root/rel`.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Writes `root/rel`, creating folders.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }

    /// A symbolic link at `root/rel` pointing to `target` (as written).
    pub fn symlink(&self, target: &str, rel: &str) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, path).unwrap();
    }

    /// A named pipe at `root/rel`: reading it would block until a writer comes.
    pub fn fifo(&self, rel: &str) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        let status = Command::new("mkfifo").arg(&path).status().unwrap();
        assert!(status.success(), "mkfifo {}", path.display());
    }

    /// Takes every permission away from `root/rel`.
    pub fn make_unreadable(&self, rel: &str) {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(self.path(rel), fs::Permissions::from_mode(0o000)).unwrap();
    }
}

/// The four kinds of input the issue lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    /// Markdown files and their front matter.
    Content,
    /// `site.toml` and the theme it names.
    Config,
    /// Tera templates of the theme and the site.
    Templates,
    /// Links, pipes, permissions, paths and the output folder.
    FileSystem,
}

/// What a case must end with.
pub enum Expect {
    /// Exit status 1, and every string in stderr (file and line first).
    Fails(&'static [&'static str]),
    /// Exit status 0, and each output file (path under the output folder) contains its text.
    Builds(&'static [(&'static str, &'static str)]),
}

/// One bad input.
pub struct Case {
    /// What is wrong, in a few words.
    pub name: &'static str,
    /// Which kind of input.
    pub category: Category,
    /// The one mutation of the good site.
    pub setup: fn(&Ctx),
    /// `--output`, when the case is about the output folder.
    pub output: Option<fn(&Ctx) -> PathBuf>,
    /// Run as an unprivileged user when the tests run as root (who can read a chmod 000 file).
    pub unprivileged: bool,
    /// The outcome.
    pub expect: Expect,
}

/// A case that must fail with these messages.
pub fn fails(
    category: Category,
    name: &'static str,
    setup: fn(&Ctx),
    expect: &'static [&'static str],
) -> Case {
    case(category, name, setup, Expect::Fails(expect))
}

/// A case that must build, with these files containing these texts.
pub fn builds(
    category: Category,
    name: &'static str,
    setup: fn(&Ctx),
    expect: &'static [(&'static str, &'static str)],
) -> Case {
    case(category, name, setup, Expect::Builds(expect))
}

/// A case with the default output folder, run as the current user.
fn case(category: Category, name: &'static str, setup: fn(&Ctx), expect: Expect) -> Case {
    Case {
        name,
        category,
        setup,
        output: None,
        unprivileged: false,
        expect,
    }
}

impl Case {
    /// Builds into this folder instead of `site/output`.
    pub fn output(mut self, output: fn(&Ctx) -> PathBuf) -> Case {
        self.output = Some(output);
        self
    }

    /// Runs `versus` without the power to read unreadable files.
    pub fn unprivileged(mut self) -> Case {
        self.unprivileged = true;
        self
    }
}

/// What one run of the binary did.
struct Run {
    code: Option<i32>,
    stderr: String,
    elapsed: Duration,
}

/// Runs one case and returns every broken promise, or nothing when it behaved.
pub fn run(case: &Case) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let ctx = Ctx {
        tmp: dir.path().to_path_buf(),
        root: dir.path().join("site"),
    };
    copy_dir(Path::new(GOOD), &ctx.root);
    let good = versus(&ctx, &["build", "--root", "site"], false);
    assert_eq!(
        good.code,
        Some(0),
        "{}: the good build failed:\n{}",
        case.name,
        good.stderr
    );
    (case.setup)(&ctx);
    let drop_privileges = case.unprivileged && privileged();
    if drop_privileges {
        open_up(&ctx.tmp);
    }
    let before = tree(&ctx.tmp);
    let mut args: Vec<String> = vec!["build".into(), "--root".into(), "site".into()];
    if let Some(output) = case.output {
        args.extend(["--output".into(), output(&ctx).display().to_string()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let built = versus(&ctx, &args, drop_privileges);
    let after = tree(&ctx.tmp);

    let mut problems = Vec::new();
    let mut fail = |what: String| problems.push(format!("{}: {what}", case.name));
    check_run(&built, &mut fail);
    match &case.expect {
        Expect::Fails(messages) => {
            expect_failure(&built, messages, &mut fail);
            if before != after {
                fail(format!(
                    "a failed build changed files: {:?}",
                    differences(&before, &after)
                ));
            }
            if case.output.is_none() {
                let checked = versus(&ctx, &["check", "--root", "site"], drop_privileges);
                check_run(&checked, &mut fail);
                if checked.code != Some(1) || !checked.stderr.contains(messages[0]) {
                    fail(format!(
                        "check should fail with `{}`; it exited {:?}:\n{}",
                        messages[0], checked.code, checked.stderr
                    ));
                }
            }
        }
        Expect::Builds(files) => {
            if built.code != Some(0) {
                fail(format!(
                    "should build; it exited {:?}:\n{}",
                    built.code, built.stderr
                ));
            }
            let outside = |t: &Tree| -> Tree {
                t.iter()
                    .filter(|(k, _)| *k != "site/output" && !k.starts_with("site/output/"))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            };
            if outside(&before) != outside(&after) {
                fail(format!(
                    "the build wrote outside its output folder: {:?}",
                    differences(&outside(&before), &outside(&after))
                ));
            }
            check_xml(&ctx.root.join("output"), &mut fail);
            for (path, text) in *files {
                match fs::read_to_string(ctx.root.join("output").join(path)) {
                    Ok(page) if page.contains(text) => {}
                    Ok(_) => fail(format!("output/{path} does not contain {text:?}")),
                    Err(e) => fail(format!("output/{path}: {e}")),
                }
            }
        }
    }
    problems
}

/// Every XML file a build writes (the feed, the sitemap, a theme's own) must parse.
fn check_xml(output: &Path, fail: &mut impl FnMut(String)) {
    for entry in walkdir::WalkDir::new(output).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "xml") {
            continue;
        }
        let text = fs::read_to_string(entry.path()).unwrap_or_default();
        if let Err(e) = roxmltree::Document::parse(&text) {
            fail(format!(
                "{} is not well-formed XML: {e}",
                entry.path().display()
            ));
        }
    }
}

/// Promises every run keeps, whatever the input.
fn check_run(run: &Run, fail: &mut impl FnMut(String)) {
    if run.code.is_none() {
        fail(format!(
            "killed by a signal or hung (after {:?}):\n{}",
            run.elapsed, run.stderr
        ));
    }
    if run.stderr.contains("panicked") || run.stderr.contains("overflowed its stack") {
        fail(format!("crashed:\n{}", run.stderr));
    }
    if run.stderr.len() > MAX_STDERR {
        fail(format!("{} bytes of error output", run.stderr.len()));
    }
}

fn expect_failure(run: &Run, messages: &[&str], fail: &mut impl FnMut(String)) {
    if run.code != Some(1) {
        fail(format!(
            "should exit with status 1; it exited {:?}:\n{}",
            run.code, run.stderr
        ));
    }
    for message in messages {
        if !run.stderr.contains(message) {
            fail(format!("expected `{message}` in:\n{}", run.stderr));
        }
    }
    if !run.stderr.contains("build failed with") {
        fail(format!("no closing summary line in:\n{}", run.stderr));
    }
}

/// Runs the binary in `ctx.tmp`, killing it at the time limit.
fn versus(ctx: &Ctx, args: &[&str], drop_privileges: bool) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_versus"));
    command
        .args(args)
        .current_dir(&ctx.tmp)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if drop_privileges {
        use std::os::unix::process::CommandExt;
        command.uid(NOBODY).gid(NOBODY);
    }
    let started = Instant::now();
    let mut child = command.spawn().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = stderr.read_to_end(&mut text);
        String::from_utf8_lossy(&text).into_owned()
    });
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if started.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Run {
        code,
        stderr: reader.join().unwrap(),
        elapsed: started.elapsed(),
    }
}

/// The user and group id of `nobody`.
const NOBODY: u32 = 65534;

/// Whether this process reads files whatever their permissions (root, usually).
fn privileged() -> bool {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("probe");
    fs::write(&path, "x").unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    fs::File::open(&path).is_ok()
}

/// Lets `nobody` into everything under `dir` except what a case made unreadable.
fn open_up(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        let meta = entry.path().symlink_metadata().unwrap();
        let mode = meta.permissions().mode() & 0o777;
        if meta.file_type().is_symlink() || mode == 0 {
            continue;
        }
        let open = if meta.is_dir() { 0o777 } else { 0o666 };
        fs::set_permissions(entry.path(), fs::Permissions::from_mode(mode | open)).unwrap();
    }
}

/// Every entry under a folder: path → what it is (a file's length and hash, a link's target).
type Tree = BTreeMap<String, String>;

fn tree(dir: &Path) -> Tree {
    let mut entries = Tree::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let kind = entry.file_type();
        let what = if kind.is_dir() {
            "folder".to_string()
        } else if kind.is_symlink() {
            format!("link to {}", fs::read_link(entry.path()).unwrap().display())
        } else if kind.is_file() {
            let bytes = fs::read(entry.path()).unwrap();
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            bytes.hash(&mut hasher);
            format!("{} bytes, hash {:x}", bytes.len(), hasher.finish())
        } else {
            "special file".to_string()
        };
        entries.insert(rel, what);
    }
    entries
}

fn differences(before: &Tree, after: &Tree) -> Vec<String> {
    before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .map(|k| format!("{k}: {:?} -> {:?}", before.get(k), after.get(k)))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .take(10)
        .collect()
}

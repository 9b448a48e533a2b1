//! Installing versus as a new user does: the README's install lines follow Cargo.toml, what
//! the README tells a new user works from a `cargo install` of this checkout, and the
//! action's install script (scripts/install-versus.sh) against a fake release on 127.0.0.1:
//! it verifies checksums, refuses a wrong one and falls back to `cargo install` where no
//! binary fits.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

const VERSION: &str = env!("CARGO_PKG_VERSION");
const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

fn readme() -> String {
    fs::read_to_string(Path::new(MANIFEST_DIR).join("README.md")).unwrap()
}

/// The repository's address as the README must write it: Cargo.toml's `repository`, or the
/// placeholder `<repository>` while that is empty.
fn repository() -> String {
    match env!("CARGO_PKG_REPOSITORY") {
        "" => "<repository>".to_string(),
        address => address.trim_end_matches('/').to_string(),
    }
}

#[test]
fn readme_opens_with_install_lines_that_follow_cargo_toml() {
    let readme = readme();
    let repository = repository();
    let cargo_install = format!("cargo install --locked --git {repository} --tag v{VERSION}");
    let releases = format!("{repository}/releases/tag/v{VERSION}");
    // The first section after the title and its one-line description is about installing.
    let first_heading = readme.lines().skip(1).find(|l| l.starts_with('#'));
    assert_eq!(first_heading, Some("## Install"), "{readme}");
    let install = &readme[readme.find("## Install").unwrap()..];
    let install = &install[..install[3..].find("\n## ").map_or(install.len(), |i| i + 3)];
    for needle in [cargo_install.as_str(), releases.as_str(), "cargo test"] {
        assert!(install.contains(needle), "`{needle}` missing in\n{install}");
    }
    assert!(
        install.contains("cargo run --release -- build")
            || install.contains("cargo run --release -- serve"),
        "{install}"
    );
}

/// Runs `command`; panics with its output when it fails.
fn run_ok(command: &mut Command) -> Output {
    let shown = format!("{command:?}");
    let out = command.output().unwrap_or_else(|e| panic!("{shown}: {e}"));
    assert!(
        out.status.success(),
        "{shown} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn what_the_readme_tells_a_new_user_works_from_a_cargo_install() {
    let readme = readme();
    for command in [
        "versus init my-site",
        "cd my-site && versus build",
        "versus check",
    ] {
        assert!(
            readme.contains(command),
            "the README no longer says `{command}`"
        );
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("cargo-root");
    // Reuse this checkout's compiled dependencies (release profile), so only versus builds.
    let mut install = Command::new(env!("CARGO"));
    install
        .args([
            "install",
            "--locked",
            "--offline",
            "--quiet",
            "--path",
            MANIFEST_DIR,
            "--root",
        ])
        .arg(&root)
        .env("CARGO_TARGET_DIR", Path::new(MANIFEST_DIR).join("target"));
    run_ok(&mut install);
    let versus = root
        .join("bin")
        .join(format!("versus{}", std::env::consts::EXE_SUFFIX));
    let version = run_ok(Command::new(&versus).arg("--version"));
    assert_eq!(
        String::from_utf8_lossy(&version.stdout),
        format!("versus {VERSION}\n")
    );

    let work = tmp.path().join("work");
    fs::create_dir(&work).unwrap();
    let in_dir = |dir: &Path, args: &[&str]| {
        let mut command = Command::new(&versus);
        command.args(args).current_dir(dir).env_remove("RUST_LOG");
        String::from_utf8(run_ok(&mut command).stdout).unwrap()
    };
    let created = in_dir(&work, &["init", "my-site"]);
    assert!(
        created.contains("created a new site in my-site/"),
        "{created}"
    );
    let site = work.join("my-site");
    let built = in_dir(&site, &["build"]);
    assert!(
        built.starts_with("built ") && built.contains("(1 article, 3 criteria, 2 subjects)"),
        "{built}"
    );
    assert!(site.join("output/index.html").is_file());
    let checked = in_dir(&site, &["check"]);
    assert!(checked.ends_with("no problems found\n"), "{checked}");
    // Nothing was written outside the new site.
    let names: Vec<_> = fs::read_dir(&work)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["my-site"]);
}

/// A static file server on 127.0.0.1 that records the paths asked for.
struct Server {
    server: Arc<tiny_http::Server>,
    url: String,
    asked: Arc<Mutex<Vec<String>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn new(root: &Path) -> Server {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let url = format!("http://{}", server.server_addr().to_ip().unwrap());
        let asked = Arc::new(Mutex::new(Vec::new()));
        let (root, serving, log) = (root.to_path_buf(), Arc::clone(&server), Arc::clone(&asked));
        let thread = std::thread::spawn(move || {
            for request in serving.incoming_requests() {
                let path = request.url().to_string();
                log.lock().unwrap().push(path.clone());
                let file = root.join(path.trim_start_matches('/'));
                let _ = match fs::read(&file) {
                    Ok(bytes) if !path.contains("..") => {
                        request.respond(tiny_http::Response::from_data(bytes))
                    }
                    _ => request.respond(tiny_http::Response::empty(404)),
                };
            }
        });
        Server {
            server,
            url,
            asked,
            thread: Some(thread),
        }
    }

    fn asked(&self) -> Vec<String> {
        self.asked.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn write_executable(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// The `run:` script of the step named `name` in release.yml.
fn release_step(name: &str) -> String {
    let text =
        fs::read_to_string(Path::new(MANIFEST_DIR).join(".github/workflows/release.yml")).unwrap();
    let workflow: serde_json::Value = serde_norway::from_str(&text).unwrap();
    let steps = workflow["jobs"].as_object().unwrap().values();
    steps
        .flat_map(|job| job["steps"].as_array().cloned().unwrap_or_default())
        .find(|step| step["name"] == name)
        .and_then(|step| step["run"].as_str().map(str::to_string))
        .unwrap_or_else(|| panic!("release.yml has no step `{name}` with a script"))
}

/// A fake release, laid out as release.yml publishes it and the script downloads it, under
/// `<server>/<owner>/<name>/releases/download/v<version>/`; plus fake `uname` and `cargo`
/// commands, so that the platform and the fallback can be chosen.
struct Release {
    tmp: tempfile::TempDir,
    server: Server,
}

const REPOSITORY: &str = "someone/versus";
const TARGET: &str = "x86_64-unknown-linux-gnu";

impl Release {
    fn new() -> Release {
        let tmp = tempfile::tempdir().unwrap();
        let folder = tmp
            .path()
            .join(format!("www/{REPOSITORY}/releases/download/v{VERSION}"));
        fs::create_dir_all(&folder).unwrap();
        let server = Server::new(&tmp.path().join("www"));
        let release = Release { tmp, server };
        release.publish(TARGET, &format!("versus {VERSION}"));
        // `cargo install` as the fallback: records its arguments, installs a fake versus.
        write_executable(
            &release.bin().join("cargo"),
            &format!(
                "#!/bin/sh\necho \"$@\" > \"{}\"\nwhile [ \"$1\" != --root ]; do shift; done\n\
                 mkdir -p \"$2/bin\"\nprintf '#!/bin/sh\\necho \"versus {VERSION}\"\\n' > \"$2/bin/versus\"\n\
                 chmod +x \"$2/bin/versus\"\n",
                release.path("cargo-args").display()
            ),
        );
        release.platform("Linux", "x86_64");
        release
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }

    fn bin(&self) -> PathBuf {
        self.path("fake-bin")
    }

    fn folder(&self) -> PathBuf {
        self.path(&format!("www/{REPOSITORY}/releases/download/v{VERSION}"))
    }

    /// Publishes the archive for `target`, whose versus prints `prints`, with its checksum,
    /// made by release.yml's own packaging step.
    fn publish(&self, target: &str, prints: &str) {
        let work = self.path(&format!("package-{target}"));
        let _ = fs::remove_dir_all(&work);
        write_executable(
            &work.join(format!("target/{target}/release/versus")),
            &format!("#!/bin/sh\necho \"{prints}\"\n"),
        );
        fs::write(work.join("README.md"), "# versus\n").unwrap();
        let env_file = work.join("github-env");
        let mut package = Command::new("bash");
        package
            .args(["-e", "-c", &release_step("Package with a checksum")])
            .current_dir(&work)
            .env("TARGET", target)
            .env("TAG", format!("v{VERSION}"))
            .env("RUNNER_OS", "Linux")
            .env("GITHUB_ENV", &env_file);
        run_ok(&mut package);
        let archive = format!("versus-v{VERSION}-{target}.tar.gz");
        assert_eq!(
            fs::read_to_string(&env_file).unwrap(),
            format!("ARCHIVE={archive}\n")
        );
        for name in [archive.clone(), format!("{archive}.sha256")] {
            fs::rename(work.join(&name), self.folder().join(&name)).unwrap();
        }
    }

    /// Makes `uname -s` and `uname -m` answer `os` and `arch`.
    fn platform(&self, os: &str, arch: &str) {
        write_executable(
            &self.bin().join("uname"),
            &format!("#!/bin/sh\ncase \"$1\" in -s) echo {os} ;; -m) echo {arch} ;; esac\n"),
        );
    }

    fn install_dir(&self) -> PathBuf {
        self.path("install")
    }

    /// Runs the install script as the action does, with `env` on top.
    fn install(&self, env: &[(&str, &str)]) -> (bool, String, String) {
        let mut vars: BTreeMap<&str, String> = BTreeMap::new();
        vars.insert("VERSUS_VERSION", String::new());
        vars.insert("VERSUS_ACTION_REF", format!("v{VERSION}"));
        vars.insert("VERSUS_REPOSITORY", REPOSITORY.into());
        vars.insert("VERSUS_SERVER", self.server.url.clone());
        vars.insert(
            "VERSUS_INSTALL_DIR",
            self.install_dir().display().to_string(),
        );
        vars.insert(
            "GITHUB_PATH",
            self.path("github-path").display().to_string(),
        );
        vars.insert(
            "GITHUB_OUTPUT",
            self.path("github-output").display().to_string(),
        );
        for (key, value) in env {
            vars.insert(key, value.to_string());
        }
        let path = format!(
            "{}:{}",
            self.bin().display(),
            std::env::var("PATH").unwrap()
        );
        let out = Command::new("bash")
            .arg(Path::new(MANIFEST_DIR).join("scripts/install-versus.sh"))
            .env_remove("VERSUS_RELEASES")
            .env_remove("VERSUS_GIT")
            .env_remove("VERSUS_TARGET")
            .env_remove("GITHUB_ACTION_PATH")
            .envs(vars)
            .env("PATH", path)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn installed(&self) -> PathBuf {
        self.install_dir().join("bin/versus")
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap_or_default()
    }
}

fn archive_url(target: &str) -> String {
    format!("/{REPOSITORY}/releases/download/v{VERSION}/versus-v{VERSION}-{target}.tar.gz")
}

#[test]
fn the_script_installs_the_verified_release_binary_and_puts_it_on_path() {
    let release = Release::new();
    let (ok, stdout, stderr) = release.install(&[]);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains("checksum verified"), "{stdout}");
    let asked = release.server.asked();
    assert_eq!(
        asked,
        [
            archive_url(TARGET),
            format!("{}.sha256", archive_url(TARGET))
        ]
    );
    let printed = run_ok(&mut Command::new(release.installed()));
    assert_eq!(
        String::from_utf8_lossy(&printed.stdout),
        format!("versus {VERSION}\n")
    );
    let bin = release.install_dir().join("bin").display().to_string();
    assert_eq!(release.read("github-path"), format!("{bin}\n"));
    assert_eq!(
        release.read("github-output"),
        format!("version={VERSION}\n")
    );
    assert_eq!(release.read("cargo-args"), "", "cargo install ran");
}

#[test]
fn the_script_picks_the_archive_of_each_platform() {
    for (os, arch, target) in [
        ("Linux", "aarch64", "aarch64-unknown-linux-gnu"),
        ("Darwin", "arm64", "aarch64-apple-darwin"),
        ("Darwin", "x86_64", "x86_64-apple-darwin"),
    ] {
        let release = Release::new();
        release.publish(target, &format!("versus {VERSION}"));
        release.platform(os, arch);
        let (ok, stdout, stderr) = release.install(&[]);
        assert!(ok, "{os} {arch}: {stdout}\n{stderr}");
        assert_eq!(
            release.server.asked()[0],
            archive_url(target),
            "{os} {arch}"
        );
    }
}

#[test]
fn a_wrong_checksum_fails_and_installs_nothing() {
    let release = Release::new();
    let sums = release
        .folder()
        .join(format!("versus-v{VERSION}-{TARGET}.tar.gz.sha256"));
    let wrong = format!("{}  versus-v{VERSION}-{TARGET}.tar.gz\n", "0".repeat(64));
    fs::write(&sums, wrong).unwrap();
    let (ok, stdout, stderr) = release.install(&[]);
    assert!(!ok, "a wrong checksum was accepted: {stdout}");
    assert!(stderr.contains("checksum mismatch"), "{stderr}");
    assert!(stderr.contains(&"0".repeat(64)), "{stderr}");
    assert!(!release.installed().exists());
    assert_eq!(release.read("github-path"), "");
    assert_eq!(
        release.read("cargo-args"),
        "",
        "fell back after a wrong checksum"
    );

    // A missing checksum file is no better.
    fs::remove_file(&sums).unwrap();
    let (ok, _, stderr) = release.install(&[]);
    assert!(!ok);
    assert!(stderr.contains("cannot be verified"), "{stderr}");
    assert!(!release.installed().exists());
}

#[test]
fn an_unknown_platform_falls_back_to_cargo_install() {
    let release = Release::new();
    release.platform("Plan9", "mips");
    let (ok, stdout, stderr) = release.install(&[]);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("no release binary for Plan9 mips"),
        "{stdout}"
    );
    assert!(
        release.server.asked().is_empty(),
        "{:?}",
        release.server.asked()
    );
    let git = format!("{}/{REPOSITORY}", release.server.url);
    let root = release.install_dir().display().to_string();
    assert_eq!(
        release.read("cargo-args"),
        format!("install --locked --git {git} --tag v{VERSION} --root {root} versus\n")
    );
    assert!(release.installed().is_file());
    assert!(release.read("github-path").ends_with("/install/bin\n"));
}

#[test]
fn a_release_without_this_platform_falls_back_to_cargo_install() {
    let release = Release::new();
    release.platform("Linux", "aarch64");
    let (ok, stdout, stderr) = release.install(&[]);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains("falling back to cargo install"), "{stdout}");
    assert_eq!(
        release.server.asked(),
        [archive_url("aarch64-unknown-linux-gnu")]
    );
    assert!(
        release
            .read("cargo-args")
            .contains(&format!("--tag v{VERSION}"))
    );
}

#[test]
fn the_version_and_repository_come_from_the_input_or_the_action() {
    // The input `version`, with or without its `v`, wins over the action's ref.
    let release = Release::new();
    let input = format!("v{VERSION}");
    let (ok, stdout, stderr) =
        release.install(&[("VERSUS_VERSION", &input), ("VERSUS_ACTION_REF", "main")]);
    assert!(ok, "{stdout}\n{stderr}");

    // Without github.action_repository, the action's checkout path names the repository.
    let release = Release::new();
    let action_path = format!("/home/runner/work/_actions/{REPOSITORY}/v{VERSION}");
    let (ok, stdout, stderr) = release.install(&[
        ("VERSUS_REPOSITORY", ""),
        ("GITHUB_ACTION_PATH", &action_path),
    ]);
    assert!(ok, "{stdout}\n{stderr}");
    assert_eq!(release.server.asked()[0], archive_url(TARGET));

    // At a branch and without the input, there is no version to install.
    let release = Release::new();
    let (ok, _, stderr) = release.install(&[("VERSUS_ACTION_REF", "main")]);
    assert!(!ok);
    assert!(
        stderr.contains("set the action's input `version`"),
        "{stderr}"
    );
    assert!(release.server.asked().is_empty());
}

#[test]
fn a_binary_of_another_version_is_refused() {
    let release = Release::new();
    release.publish(TARGET, "versus 0.0.1");
    let (ok, _, stderr) = release.install(&[]);
    assert!(!ok);
    assert!(
        stderr.contains(&format!("expected `versus {VERSION}`")),
        "{stderr}"
    );
    assert_eq!(release.read("github-path"), "");
}

#[test]
fn the_release_fails_when_the_tag_is_not_cargo_tomls_version() {
    let check = release_step("The tag names Cargo.toml's version");
    let run = |tag: &str| {
        Command::new("bash")
            .args(["-e", "-c", &check])
            .current_dir(MANIFEST_DIR)
            .env("TAG", tag)
            .output()
            .unwrap()
    };
    assert!(run(&format!("v{VERSION}")).status.success());
    let wrong = run("v999.0.0");
    assert!(!wrong.status.success());
    let said = String::from_utf8_lossy(&wrong.stdout);
    assert!(
        said.contains(&format!(
            "the tag is v999.0.0 but Cargo.toml's version is {VERSION}"
        )),
        "{said}"
    );
}

#[test]
fn the_action_runs_the_install_script_with_what_it_reads() {
    let text = fs::read_to_string(Path::new(MANIFEST_DIR).join("action.yml")).unwrap();
    let action: serde_json::Value = serde_norway::from_str(&text).unwrap();
    assert_eq!(action["runs"]["using"], "composite");
    assert_eq!(action["inputs"]["version"]["required"], false);
    let steps = action["runs"]["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 1);
    let step = &steps[0];
    assert_eq!(step["shell"], "bash");
    assert_eq!(
        step["run"],
        "bash \"$GITHUB_ACTION_PATH/scripts/install-versus.sh\""
    );
    let script =
        fs::read_to_string(Path::new(MANIFEST_DIR).join("scripts/install-versus.sh")).unwrap();
    let env = step["env"].as_object().unwrap();
    for (name, value) in env {
        assert!(
            script.contains(&format!("${{{name}")),
            "the script never reads {name}"
        );
        assert!(
            value.as_str().unwrap().starts_with("${{ "),
            "{name}: {value}"
        );
    }
    assert_eq!(env["VERSUS_VERSION"], "${{ inputs.version }}");
    assert_eq!(env["VERSUS_ACTION_REF"], "${{ github.action_ref }}");
    assert_eq!(env["VERSUS_REPOSITORY"], "${{ github.action_repository }}");
}

#[test]
fn on_windows_the_script_unpacks_versus_exe_from_the_zip() {
    let release = Release::new();
    release.platform("MINGW64_NT-10.0-20348", "x86_64");
    let archive = format!("versus-v{VERSION}-x86_64-pc-windows-msvc.zip");
    let path = release.folder().join(&archive);
    // The layout release.yml's 7z makes: versus.exe and README.md at the top of the zip.
    let zip = "import sys, zipfile\n\
               with zipfile.ZipFile(sys.argv[1], 'w') as z:\n\
               \x20   exe = zipfile.ZipInfo('versus.exe')\n\
               \x20   exe.external_attr = 0o755 << 16\n\
               \x20   z.writestr(exe, sys.argv[2])\n\
               \x20   z.writestr('README.md', '# versus\\n')\n";
    let exe = format!("#!/bin/sh\necho \"versus {VERSION}\"\n");
    run_ok(
        Command::new("python3")
            .args(["-c", zip])
            .arg(&path)
            .arg(exe),
    );
    let sums = Command::new("sha256sum")
        .arg(&archive)
        .current_dir(release.folder())
        .output()
        .unwrap();
    fs::write(
        release.folder().join(format!("{archive}.sha256")),
        sums.stdout,
    )
    .unwrap();
    let (ok, stdout, stderr) = release.install(&[]);
    assert!(ok, "{stdout}\n{stderr}");
    assert_eq!(
        release.server.asked()[0],
        format!("/{REPOSITORY}/releases/download/v{VERSION}/{archive}")
    );
    assert!(release.install_dir().join("bin/versus.exe").is_file());
}

#[test]
fn the_packaged_crate_holds_the_default_theme_and_the_scaffold() {
    let out = run_ok(
        Command::new(env!("CARGO"))
            .args(["package", "--list", "--allow-dirty", "--offline", "--quiet"])
            .current_dir(MANIFEST_DIR),
    );
    let listed: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    for folder in ["themes/default", "src/init/scaffold"] {
        let mut files = 0;
        for entry in walkdir::WalkDir::new(Path::new(MANIFEST_DIR).join(folder)) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(MANIFEST_DIR).unwrap();
                let rel = rel.to_str().unwrap().replace('\\', "/");
                assert!(listed.contains(&rel), "{rel} is not packaged");
                files += 1;
            }
        }
        assert!(files > 5, "{folder}");
    }
    for needed in ["Cargo.lock", "README.md", "build.rs", "src/main.rs"] {
        assert!(
            listed.iter().any(|f| f == needed),
            "{needed} is not packaged"
        );
    }
    // Only what the build needs: not the repository's own site or its tests.
    assert!(
        !listed
            .iter()
            .any(|f| f.starts_with("content/") || f.starts_with("tests/")),
        "{listed:?}"
    );
}

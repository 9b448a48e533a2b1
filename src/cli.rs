//! Command-line interface: turns arguments into options, runs them, and is the only place
//! that prints to the terminal.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::build::{self, Mode, Options};
use crate::error::Error;

/// A static site generator for comparison websites.
#[derive(Debug, Parser)]
#[command(name = "versus", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build(BuildArgs),
    /// Validate content, templates, internal links and quotes without writing anything.
    Check(CheckArgs),
    /// Create a new comparison site in DIR (which must be missing or empty).
    Init(InitArgs),
    /// Build, then rebuild the output folder after every change.
    Watch(WatchArgs),
    /// Build, watch and serve the site with live reload (from memory; nothing is written).
    Serve(ServeArgs),
    /// Work with the site's theme.
    #[command(subcommand)]
    Theme(ThemeCommand),
}

#[derive(Debug, Subcommand)]
enum ThemeCommand {
    /// Copy one of the theme's templates (or static files) into the site's templates/
    /// (or static/) for editing; refuses to overwrite a file that is there.
    Eject(EjectArgs),
}

#[derive(Debug, clap::Args)]
struct EjectArgs {
    /// The site's folder (holding site.toml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The file to copy, e.g. article.html or style.css.
    name: String,
}

#[derive(Debug, clap::Args)]
struct WatchArgs {
    #[command(flatten)]
    build: BuildArgs,
    /// Poll files for changes instead of waiting for events (network drives, containers).
    #[arg(long)]
    poll: bool,
}

/// The port `versus serve` listens on unless told otherwise.
const DEFAULT_PORT: u16 = 1111;

#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// The site's folder (holding site.toml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = DEFAULT_PORT)]
    port: u16,
    /// Address to listen on; anything but loopback exposes the preview to the network.
    #[arg(long, default_value = "127.0.0.1")]
    bind: String,
    /// Open the site in the browser.
    #[arg(long)]
    open: bool,
    /// Poll files for changes instead of waiting for events (network drives, containers).
    #[arg(long)]
    poll: bool,
    /// Build the pages marked `draft = true` too, each marked as a draft.
    #[arg(long)]
    drafts: bool,
}

#[derive(Debug, clap::Args)]
struct InitArgs {
    /// The folder to create the site in.
    dir: PathBuf,
}

#[derive(Debug, clap::Args)]
struct SiteArgs {
    /// The site's folder (holding site.toml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Override base_url from site.toml, e.g. https://user.github.io/repo/.
    #[arg(long)]
    base_url: Option<String>,
    /// The archive folder of the sources' copies that quotes are verified against
    /// (instead of [evidence] archive in site.toml).
    #[arg(long, value_name = "DIR")]
    archive: Option<PathBuf>,
    /// Fail when there is no archive folder to verify quotes against (for CI).
    #[arg(long)]
    require_archive: bool,
    /// Build the pages marked `draft = true` too, each marked as a draft.
    #[arg(long)]
    drafts: bool,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Also request every http(s) link of the site (see [check] in site.toml).
    #[arg(long)]
    external: bool,
}

#[derive(Debug, clap::Args)]
struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Where to write the site (default: output/ under the root).
    #[arg(long)]
    output: Option<PathBuf>,
}

/// Parses the command line and runs it.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let (options, mode_name) = match cli.command {
        Command::Build(args) => (options(args.site, args.output, Mode::Build), "build"),
        Command::Check(args) if args.external => return external(args.site),
        Command::Check(args) => (options(args.site, None, Mode::Check), "check"),
        Command::Init(args) => return init(&args.dir),
        Command::Watch(args) => return watch(args),
        Command::Serve(args) => return serve(args),
        Command::Theme(ThemeCommand::Eject(args)) => return eject(&args),
    };
    let progress = TerminalProgress::new();
    let result = build::run_with(&options, &progress);
    progress.clear();
    match result {
        Ok(summary) => {
            print_notices(&summary);
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            report(&e, mode_name, &options);
            ExitCode::FAILURE
        }
    }
}

/// A progress bar on standard error for builds that take more than a second, drawn only
/// when standard error is a terminal; otherwise the summary line alone is printed.
struct TerminalProgress {
    bar: indicatif::ProgressBar,
    started: std::time::Instant,
    interactive: bool,
    shown: std::sync::atomic::AtomicBool,
}

impl TerminalProgress {
    /// How long a build runs before its bar appears.
    const DELAY: std::time::Duration = std::time::Duration::from_secs(1);

    fn new() -> TerminalProgress {
        use std::io::IsTerminal;
        let bar = indicatif::ProgressBar::hidden();
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} rendering [{bar:30}] {pos}/{len} files, {eta} left",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        TerminalProgress {
            bar,
            started: std::time::Instant::now(),
            interactive: std::io::stderr().is_terminal(),
            shown: std::sync::atomic::AtomicBool::new(false),
        }
    }

    fn clear(&self) {
        self.bar.finish_and_clear();
    }
}

impl build::Progress for TerminalProgress {
    fn start(&self, files: usize) {
        self.bar.set_length(files as u64);
    }

    fn advance(&self) {
        use std::sync::atomic::Ordering;
        self.bar.inc(1);
        if self.interactive
            && self.started.elapsed() >= Self::DELAY
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr_with_hz(10));
        }
    }
}

fn external(site: SiteArgs) -> ExitCode {
    let options = options(site, None, Mode::Check);
    match crate::external::check(&options) {
        Ok(report) => {
            print_notices(&report.summary);
            for notice in &report.notices {
                eprintln!("note: {notice}");
            }
            println!("{}", report.summary);
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            report(&e, "check", &options);
            ExitCode::FAILURE
        }
    }
}

fn init(dir: &std::path::Path) -> ExitCode {
    match crate::init::create(dir, &crate::init::Scaffold::default()) {
        Ok(created) => {
            println!("{}", init_message(&created));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            eprintln!("error: init failed; nothing was written");
            ExitCode::FAILURE
        }
    }
}

fn eject(args: &EjectArgs) -> ExitCode {
    match crate::theme::eject::eject(&args.root, &args.name) {
        Ok(path) => {
            println!(
                "copied the theme's {} to {}: edit it there (the site's file wins)",
                args.name,
                path.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            eprintln!("error: theme eject failed; nothing was written");
            ExitCode::FAILURE
        }
    }
}

fn init_message(created: &crate::init::Created) -> String {
    let dir = created.dir.display();
    let mut text = format!(
        "created a new site in {dir}/ ({} files)\n\nnext steps:\n  cd {dir}\n  versus build    \
         # writes output/\n  versus serve    # preview at http://127.0.0.1:{DEFAULT_PORT}/\n\n\
         to publish on GitHub Pages, push to a GitHub repository's main branch and set \
         Settings > Pages > Source to \"GitHub Actions\"",
        created.files.len()
    );
    if created.workflow_needs_repository {
        text.push_str(&format!(
            "\n\nnote: this versus was built without the GitHub address of its repository \
             (`repository` in its Cargo.toml), so in {dir}/{} replace `<owner>/versus` \
             with the GitHub repository versus is released from",
            crate::init::WORKFLOW_PATH
        ));
    }
    text
}

fn options(site: SiteArgs, output: Option<PathBuf>, mode: Mode) -> Options {
    Options {
        root: site.root,
        output,
        base_url: site.base_url,
        mode,
        evidence: build::Evidence {
            archive: site.archive,
            require: site.require_archive,
        },
        drafts: site.drafts,
    }
}

fn report(error: &Error, mode: &str, options: &Options) {
    eprintln!("{error}");
    let count = match error {
        Error::Site(d) => d.len(),
        _ => 1,
    };
    let plural = if count == 1 { "" } else { "s" };
    let kept = if mode == "build" {
        format!("; {} was left unchanged", options.output_dir().display())
    } else {
        String::new()
    };
    eprintln!("error: {mode} failed with {count} error{plural}{kept}");
}

/// Notices go to standard error, once each, before the summary line.
fn print_notices(summary: &build::Summary) {
    for notice in &summary.notices {
        eprintln!("note: {notice}");
    }
}

fn watch(args: WatchArgs) -> ExitCode {
    let options = options(args.build.site, args.build.output, Mode::Build);
    let result = crate::watch::run(&options, args.poll, &mut |event, _| live_report(event));
    finish_live(result)
}

fn serve(args: ServeArgs) -> ExitCode {
    let options = Options {
        root: args.root,
        output: None,
        base_url: None,
        mode: Mode::Check,
        evidence: build::Evidence::default(),
        drafts: args.drafts,
    };
    if !crate::serve::is_loopback(&args.bind) {
        eprintln!(
            "warning: --bind {} is not a loopback address: anyone who can reach this machine \
             on port {} can read the preview (it has no password); use --bind 127.0.0.1 to \
             keep it to this machine",
            args.bind, args.port
        );
    }
    let serve = crate::serve::ServeOptions {
        bind: args.bind,
        port: args.port,
        open: args.open,
        poll: args.poll,
    };
    finish_live(crate::serve::run(&options, &serve, &mut live_report))
}

/// One line per event of `watch` and `serve`; errors in full.
fn live_report(event: &crate::watch::Report<'_>) {
    use crate::watch::Report;
    match event {
        Report::Serving(url) => println!("serving the site at {url} (Ctrl+C to stop)"),
        Report::Watching(dirs) => {
            let dirs: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
            println!("watching {} for changes", dirs.join(", "));
        }
        Report::Built(summary) if summary.output.is_none() => {
            print_notices(summary);
            println!("{}, in memory", summary.built());
        }
        Report::Built(summary) => {
            print_notices(summary);
            println!("{summary}");
        }
        Report::Rebuilt(rebuilt) | Report::Finished(rebuilt) => println!("{rebuilt}"),
        Report::Failed(error) => {
            eprintln!("{error}");
            eprintln!(
                "error: rebuild failed; still serving the last good version, waiting for a fix"
            );
        }
    }
    use std::io::Write;
    let _ = std::io::stdout().flush();
}

fn finish_live(result: crate::error::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The error's own text starts with `error: `.
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

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
    /// Validate content, templates and internal links without writing anything.
    Check(SiteArgs),
}

#[derive(Debug, clap::Args)]
struct SiteArgs {
    /// The site's folder (holding site.toml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Override base_url from site.toml, e.g. https://user.github.io/repo/.
    #[arg(long)]
    base_url: Option<String>,
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
        Command::Check(args) => (options(args, None, Mode::Check), "check"),
    };
    match build::run(&options) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            report(&e, mode_name, &options);
            ExitCode::FAILURE
        }
    }
}

fn options(site: SiteArgs, output: Option<PathBuf>, mode: Mode) -> Options {
    Options {
        root: site.root,
        output,
        base_url: site.base_url,
        mode,
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

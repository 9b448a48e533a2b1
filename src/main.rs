//! The `versus` command: parses arguments, runs, and reports errors with a non-zero exit.

fn main() -> std::process::ExitCode {
    versus::cli::main()
}

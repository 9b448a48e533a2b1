//! The `versus` command: parses arguments, runs, and reports errors with a non-zero exit.

// A build makes and frees millions of small strings and values from many threads, which
// mimalloc serves markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    versus::cli::main()
}

//! The `versus` command: parses arguments, runs, and reports errors with a non-zero exit.

// A build makes and frees millions of small strings and values from many threads, which
// mimalloc serves markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    no_transparent_huge_pages();
    // `watch` and `serve` keep mimalloc's default, so that what a rebuild frees goes back to
    // the system between edits.
    let one_shot = std::env::args_os()
        .nth(1)
        .is_some_and(|command| command == "build" || command == "check");
    if one_shot {
        keep_freed_memory_longer();
    }
    versus::cli::main()
}

/// mimalloc's `mi_option_purge_delay` (v2's `mimalloc.h`; the sys crate does not name it).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// A one-shot build frees memory and allocates again within moments. Kept for a second
/// rather than mimalloc's 10 ms, freed memory is reused; handed back to the OS, it comes
/// back as fresh zeroed pages, which cost a clean build a sixth of its time.
fn keep_freed_memory_longer() {
    // SAFETY: setting an option is thread-safe and takes no pointers.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 1000) };
}

/// Turns transparent huge pages off for this process. mimalloc asks for them on its arenas,
/// and a build touches gigabytes of fresh memory at 100,000 pages: the kernel then zeroes
/// 2 MiB at each first touch, which on the benchmark machine doubled the system time (11 s
/// against 6 s at 100,000 articles; BENCHMARKS.md). Applies to the memory already mapped
/// too; failing is harmless.
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes integers only and changes a flag of this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // SAFETY: reading and setting options is thread-safe and takes no pointers.
        let default = unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        assert_eq!(default, 10, "mimalloc's purge delay defaults to 10 ms");
        super::keep_freed_memory_longer();
        let set = unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        assert_eq!(set, 1000);
    }
}

//! Timing spans for benchmarking: compiled in only with the `timing` feature, and then
//! printed to standard error when `VERSUS_TIMING` is set (one line per span:
//! `timing <name> <ms>`). Without the feature a span is an empty value the compiler drops.

/// A running span: reports its time when dropped.
#[must_use]
pub struct Span {
    #[cfg(feature = "timing")]
    started: Option<(&'static str, std::time::Instant)>,
}

/// Starts a span named `name`.
pub fn span(name: &'static str) -> Span {
    #[cfg(feature = "timing")]
    {
        static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        let on = *ON.get_or_init(|| std::env::var_os("VERSUS_TIMING").is_some());
        Span {
            started: on.then(|| (name, std::time::Instant::now())),
        }
    }
    #[cfg(not(feature = "timing"))]
    {
        let _ = name;
        Span {}
    }
}

#[cfg(feature = "timing")]
impl Drop for Span {
    fn drop(&mut self) {
        if let Some((name, started)) = self.started {
            #[allow(clippy::print_stderr)]
            {
                // Resident memory after the span, in MiB (Linux only; 0 elsewhere).
                let rss_pages: u64 = std::fs::read_to_string("/proc/self/statm")
                    .ok()
                    .and_then(|s| s.split_whitespace().nth(1)?.parse().ok())
                    .unwrap_or(0);
                eprintln!(
                    "timing {name} {:.2} rss {}",
                    started.elapsed().as_secs_f64() * 1000.0,
                    rss_pages * 4096 / (1 << 20)
                );
            }
        }
    }
}

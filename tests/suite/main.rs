//! The integration tests, in one binary: each module is one area, run through the library or
//! the real `versus` binary over fixture and temporary sites. `support` holds what several
//! areas share (a temporary site, a running `versus` child, folder comparison, the fuzz
//! harness); `browser` drives a real Chromium.

mod assets;
mod bad_input;
mod base_path;
mod browser;
mod build;
mod drafts;
mod escaping;
mod evidence;
mod external;
mod fuzz_regressions;
mod guide;
mod init;
mod install;
mod pages;
mod serve;
mod serve_edits;
mod serve_load;
mod shortcodes;
mod support;
mod theme;
mod watch;
mod watch_stress;

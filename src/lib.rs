//! versus: a static site generator for comparison sites.
//!
//! The pipeline runs one way: [`config`] → [`content`] → [`model`] → [`render`] → [`output`],
//! driven by [`build::run`] for `build` and `check`. [`rebuild`] keeps a site between builds
//! for [`watch`] and [`serve`], reusing the same steps; [`fs`] holds the file-system helpers
//! every reader shares; [`cli`] is the only place that prints.
#![warn(clippy::print_stdout, clippy::print_stderr, unreachable_pub)]

pub mod accent;
pub mod build;
pub mod cli;
pub mod config;
pub mod content;
pub mod error;
mod evidence;
mod external;
mod fs;
pub mod init;
pub mod markdown;
pub mod model;
mod output;
pub mod rebuild;
pub mod reference;
mod render;
mod serve;
mod shortcodes;
mod theme;
pub mod timing;
pub mod watch;

pub use error::{Diagnostic, Error, Result};

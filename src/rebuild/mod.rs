//! Rebuilding, for `watch` and `serve`: one room for everything that outlives a build. The
//! [`Session`] holds the site between rebuilds (the content read so far, the configuration
//! and theme, the last good output); [`plan`] decides, purely, what a set of changes needs;
//! `kept` holds what a full render leaves for re-rendering parts of the site, and
//! `fingerprint` tells which pages an edit changed. Each rebuild
//! reuses the steps of [`crate::build`] on what changed and writes through
//! [`crate::output::update`].

mod assets;
mod changes;
mod fingerprint;
mod kept;
pub mod plan;
mod session;

pub use changes::{Changes, Deferred, Rebuilt, is_shortcode_template};
pub use session::{Session, SiteFiles};

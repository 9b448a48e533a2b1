//! `[check]` of `site.toml`: what `versus check --external` skips and how hard it tries,
//! with its defaults and limits.

use serde::Deserialize;

use crate::content::raw::check_text;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCheck {
    #[serde(default)]
    skip: Vec<String>,
    timeout: Option<u64>,
    concurrency: Option<usize>,
    per_host: Option<usize>,
    cache_hours: Option<u64>,
}

/// `[check]` of `site.toml`: what `versus check --external` skips and how hard it tries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckConfig {
    /// URL prefixes never requested (`https://example.com/`).
    pub skip: Vec<String>,
    /// Seconds one request may take, redirects included.
    pub timeout: u64,
    /// Requests under way at once, over all hosts.
    pub concurrency: usize,
    /// Requests under way at once to one host.
    pub per_host: usize,
    /// Hours a good result is trusted from the cache (0: no cache).
    pub cache_hours: u64,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            skip: Vec::new(),
            timeout: 10,
            concurrency: 16,
            per_host: 4,
            cache_hours: 24,
        }
    }
}

/// `[check]` with its defaults, or the key that is wrong and why.
pub(super) fn resolve_check(raw: RawCheck) -> Result<CheckConfig, (&'static str, String)> {
    let defaults = CheckConfig::default();
    let at_least_one = |key: &'static str, value: Option<u64>, default: u64| match value {
        Some(0) => Err((key, format!("{key} must be at least 1"))),
        Some(v) => Ok(v),
        None => Ok(default),
    };
    if let Some(prefix) = raw.skip.iter().find(|p| p.trim().is_empty()) {
        return Err((
            "skip",
            format!("skip `{prefix}`: an empty prefix would skip every link"),
        ));
    }
    if let Some(message) = raw.skip.iter().find_map(|p| check_text(p).err()) {
        return Err(("skip", message));
    }
    let timeout = at_least_one("timeout", raw.timeout, defaults.timeout)?;
    if timeout > 600 {
        return Err(("timeout", "timeout is in seconds, at most 600".to_string()));
    }
    let as_u64 = |v: Option<usize>| v.map(|v| v as u64);
    let concurrency = at_least_one(
        "concurrency",
        as_u64(raw.concurrency),
        defaults.concurrency as u64,
    )?;
    let per_host = at_least_one("per_host", as_u64(raw.per_host), defaults.per_host as u64)?;
    Ok(CheckConfig {
        skip: raw.skip,
        timeout,
        concurrency: concurrency.min(256) as usize,
        per_host: per_host.min(256) as usize,
        cache_hours: raw.cache_hours.unwrap_or(defaults.cache_hours),
    })
}

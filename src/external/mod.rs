//! `versus check --external`: the check, with the rendered pages' links kept, then every
//! `http(s)` link of the site requested. [`collect`] finds the links and where they are
//! written, [`pool`] requests them through [`fetch`] with a per-host limit and one retry,
//! [`cache`] remembers the good ones for a while. Only this module touches the network, and
//! only `check --external` calls it.

pub(crate) mod cache;
pub(crate) mod collect;
pub(crate) mod fetch;
pub(crate) mod pool;

use std::time::{Duration, Instant};

use crate::build::{Inputs, Options, Summary, read_content};
use crate::error::{Diagnostic, Error, Result};
use crate::{config, content, output, render};
use cache::Cache;
use collect::{Generated, Links, Place};
use fetch::{Failure, Fetch, Outcome};
use pool::Verdict;

/// The pause before a link's second try.
const RETRY_DELAY: Duration = Duration::from_millis(250);

/// What a successful external check did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Report {
    /// The check of the site itself.
    pub summary: Summary,
    /// Distinct external URLs (without fragments) found, the site's own (under an absolute
    /// `base_url`) not counted.
    pub links: usize,
    /// How many were requested.
    pub requested: usize,
    /// How many were trusted from the cache.
    pub cached: usize,
    /// How many a `[check] skip` prefix left out.
    pub skipped: usize,
    /// Things to know that do not fail the check (the cache could not be written).
    pub notices: Vec<String>,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::build::count;
        write!(
            f,
            "checked {} ({} requested, {} from the cache, {} skipped): no broken links",
            count(self.links, "external link", "external links"),
            self.requested,
            self.cached,
            self.skipped
        )
    }
}

/// Checks the site and then its external links over the network.
pub(crate) fn check(options: &Options) -> Result<Report> {
    let config = config::load(&options.root)?;
    let http = fetch::Http::new(Duration::from_secs(config.check.timeout));
    check_with(options, &http, unix_now())
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// [`check`] with the requests made by `fetch`, at `now` (seconds since the epoch).
pub(crate) fn check_with(options: &Options, fetch: &dyn Fetch, now: u64) -> Result<Report> {
    let (config, summary, mut links) = gather(options)?;
    // The site's own pages (canonical links, the feed's) are the internal check's.
    if collect::is_external(&config.base_url) {
        links.retain(|url, _| !url.starts_with(&config.base_url));
    }
    let settings = &config.check;
    let mut cache = open_cache(options, settings, now);
    let (mut skipped, mut cached) = (0, 0);
    let mut requested = Vec::new();
    for url in links.keys() {
        if settings.skip.iter().any(|prefix| url.starts_with(prefix)) {
            skipped += 1;
        } else if cache.as_ref().is_some_and(|c| c.is_fresh(url)) {
            cached += 1;
        } else {
            requested.push(url.clone());
        }
    }
    let limits = pool::Limits {
        concurrency: settings.concurrency,
        per_host: settings.per_host,
        retry_delay: RETRY_DELAY,
    };
    let verdicts = pool::check_all(fetch, &requested, &limits);
    let mut errors = Vec::new();
    for (url, verdict) in requested.iter().zip(&verdicts) {
        let good = match &verdict.outcome {
            Outcome::Status(status) if verdict.good() => Some(*status),
            _ => None,
        };
        if let Some(cache) = &mut cache {
            match good {
                Some(status) => cache.record(url, status),
                None => cache.forget(url),
            }
        }
        if good.is_none() {
            let problem = problem(verdict, settings.timeout);
            errors.extend(links[url].iter().map(|p| diagnostic(url, p, &problem)));
        }
    }
    // Nothing asked, nothing learnt: a site without external links gets no cache folder.
    let notices = match cache.filter(|_| !requested.is_empty()).map(|c| c.save()) {
        Some(Err(e)) => vec![format!("the external link cache was not written: {e}")],
        _ => Vec::new(),
    };
    if !errors.is_empty() {
        errors.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
        return Err(Error::Site(errors));
    }
    Ok(Report {
        summary,
        links: links.len(),
        requested: requested.len(),
        cached,
        skipped,
        notices,
    })
}

/// The cache, unless `[check] cache_hours = 0` or the output folder holds the cache folder
/// (nothing of versus's own may land in the published site).
fn open_cache(options: &Options, settings: &config::CheckConfig, now: u64) -> Option<Cache> {
    if settings.cache_hours == 0 {
        return None;
    }
    let folder = output::real_path(&options.root.join(cache::DIR));
    if folder.starts_with(output::real_path(&options.output_dir())) {
        return None;
    }
    Some(Cache::load(
        &options.root,
        settings.cache_hours.saturating_mul(3600),
        now,
    ))
}

/// Runs the check keeping the external links of every page, and finds those of the content.
fn gather(options: &Options) -> Result<(config::Config, Summary, Links)> {
    let started = Instant::now();
    let inputs = Inputs::load(options)?;
    let (sources, assets, read_errors) = read_content(&options.root)?;
    let sources: Vec<content::SourceFile> = sources.into_values().collect();
    let generated = Generated::default();
    let built = inputs.render(
        (sources.clone(), assets),
        read_errors,
        render::Store::Stream(&Pages(&generated)),
    )?;
    let summary = built.summary(started, None);
    let (content, _) = content::parse(sources);
    // Drafts left out of the build are left out of the check too.
    let (content, _, _) = crate::model::drafts::split(content, options.drafts);
    let mut links = Links::new();
    collect::from_content(&content, &mut links);
    generated.add_to(&mut links);
    Ok((inputs.config, summary, links))
}

/// Reads the external links of each rendered page and drops it.
struct Pages<'a>(&'a Generated);

impl render::Sink for Pages<'_> {
    fn put(&self, file: output::OutputFile) -> std::result::Result<(), Diagnostic> {
        if file.path.ends_with(".html")
            && let Ok(html) = std::str::from_utf8(&file.bytes)
        {
            self.0.page(&file.path, html);
        }
        Ok(())
    }
}

/// What is wrong with a link, as the report says it.
fn problem(verdict: &Verdict, timeout: u64) -> String {
    let what = match &verdict.outcome {
        Outcome::Status(status) => {
            let reason = ureq::http::StatusCode::from_u16(*status)
                .ok()
                .and_then(|s| s.canonical_reason());
            match reason {
                Some(reason) => format!("HTTP {status} {reason}"),
                None => format!("HTTP {status}"),
            }
        }
        Outcome::Failed(Failure::Timeout) => format!("no answer within {timeout} s"),
        Outcome::Failed(Failure::HostNotFound) => "host not found (DNS)".to_string(),
        Outcome::Failed(Failure::Connection(m) | Failure::Other(m)) => m.clone(),
    };
    if verdict.retried {
        format!("{what} (tried twice)")
    } else {
        what
    }
}

fn diagnostic(url: &str, place: &Place, problem: &str) -> Diagnostic {
    let message = match place.also_on {
        None => format!("broken external link `{url}`: {problem}"),
        Some(others) => {
            let also = match others {
                0 => String::new(),
                n => format!(
                    " and {}",
                    crate::build::count(n, "other page", "other pages")
                ),
            };
            format!(
                "broken external link `{url}` in the generated page{also}: {problem} \
                 (check the template that writes it)"
            )
        }
    };
    Diagnostic::new(&place.file, message).at_position(place.position)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every request fails the way a `.invalid` name does.
    struct NoSuchHost;

    impl Fetch for NoSuchHost {
        fn fetch(&self, url: &str, _: fetch::Method) -> Outcome {
            match url.contains(".invalid") {
                true => Outcome::Failed(Failure::HostNotFound),
                false => Outcome::Status(200),
            }
        }
    }

    #[test]
    fn a_name_that_does_not_resolve_is_reported_at_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "site.toml",
            "title = \"T\"\nbase_url = \"https://me.test/\"\n[check]\ncache_hours = 0\n",
        );
        write(
            "content/_index.md",
            "+++\ntitle = \"Home\"\n+++\nFine: <https://ok.test/>, [mine](https://me.test/x/).\n\n\
             Gone: [x](http://nothing.invalid/page).\n",
        );
        let options = Options {
            root: root.to_path_buf(),
            output: None,
            base_url: None,
            mode: crate::build::Mode::Check,
            evidence: crate::build::Evidence::default(),
            drafts: false,
        };
        let Err(Error::Site(errors)) = check_with(&options, &NoSuchHost, 1) else {
            panic!("the check passed");
        };
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 1, "{text:?}");
        assert!(
            text[0].ends_with(
                "content/_index.md:6:7: broken external link `http://nothing.invalid/page`: \
                 host not found (DNS)"
            ),
            "{text:?}"
        );
        assert!(
            !root.join(cache::DIR).exists(),
            "cache_hours = 0 keeps no cache"
        );
        write(
            "content/_index.md",
            "+++\ntitle = \"Home\"\n+++\n[a](https://ok.test/) [b](https://me.test/)\n",
        );
        let report = check_with(&options, &NoSuchHost, 1).unwrap();
        assert_eq!((report.links, report.requested, report.skipped), (1, 1, 0));
    }

    #[test]
    fn problems_say_the_status_or_the_failure() {
        let verdict = |outcome, retried| Verdict { outcome, retried };
        assert_eq!(
            problem(&verdict(Outcome::Status(404), false), 5),
            "HTTP 404 Not Found"
        );
        assert_eq!(
            problem(&verdict(Outcome::Status(503), true), 5),
            "HTTP 503 Service Unavailable (tried twice)"
        );
        assert_eq!(
            problem(&verdict(Outcome::Status(599), false), 5),
            "HTTP 599"
        );
        assert_eq!(
            problem(&verdict(Outcome::Failed(Failure::Timeout), true), 5),
            "no answer within 5 s (tried twice)"
        );
    }
}

//! Checking many URLs at once: a fixed number of worker threads, at most `per_host` requests
//! under way to one host, HEAD first (GET when a server refuses HEAD: 400, 403, 405, 501), and
//! one retry of what may pass on a second try (a timeout, a broken connection, a 5xx or a
//! 429), never of a 404.

use std::collections::{HashMap, VecDeque};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

use super::fetch::{Fetch, Method, Outcome};

/// How hard to push.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    /// Requests under way at once, over all hosts.
    pub concurrency: usize,
    /// Requests under way at once to one host.
    pub per_host: usize,
    /// The pause before the retry.
    pub retry_delay: Duration,
}

/// What checking one URL came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Verdict {
    /// The last outcome.
    pub outcome: Outcome,
    /// Whether it was tried twice.
    pub retried: bool,
}

impl Verdict {
    /// A 2xx status, redirects followed.
    pub(crate) fn good(&self) -> bool {
        matches!(self.outcome, Outcome::Status(200..=299))
    }
}

/// The host part of a URL (`example.com:8080`), lower-cased, for the per-host limit.
pub(crate) fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    host.to_ascii_lowercase()
}

/// Checks every URL; the verdicts come back in the order of `urls`.
pub(crate) fn check_all(fetch: &dyn Fetch, urls: &[String], limits: &Limits) -> Vec<Verdict> {
    let hosts: Vec<String> = urls.iter().map(|u| host(u)).collect();
    let queue = Queue {
        state: Mutex::new(State {
            waiting: (0..urls.len()).collect(),
            active: HashMap::new(),
        }),
        changed: Condvar::new(),
        per_host: limits.per_host.max(1),
    };
    let results: Mutex<Vec<Option<Verdict>>> = Mutex::new(vec![None; urls.len()]);
    let workers = limits.concurrency.clamp(1, urls.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some(i) = queue.take(&hosts) {
                    let verdict = check_one(fetch, &urls[i], limits.retry_delay);
                    lock(&results)[i] = Some(verdict);
                    queue.release(&hosts[i]);
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results
        .into_iter()
        .map(|v| {
            v.unwrap_or(Verdict {
                outcome: Outcome::Failed(super::fetch::Failure::Other("not checked".into())),
                retried: false,
            })
        })
        .collect()
}

/// HEAD, then GET if HEAD is refused; once more after a pause if that may help.
fn check_one(fetch: &dyn Fetch, url: &str, retry_delay: Duration) -> Verdict {
    let first = attempt(fetch, url);
    if !retryable(&first) {
        return Verdict {
            outcome: first,
            retried: false,
        };
    }
    std::thread::sleep(retry_delay);
    Verdict {
        outcome: attempt(fetch, url),
        retried: true,
    }
}

fn attempt(fetch: &dyn Fetch, url: &str) -> Outcome {
    match fetch.fetch(url, Method::Head) {
        // Some servers and CDNs answer HEAD with 400 or 403 where GET works.
        Outcome::Status(400 | 403 | 405 | 501) => fetch.fetch(url, Method::Get),
        other => other,
    }
}

fn retryable(outcome: &Outcome) -> bool {
    match outcome {
        Outcome::Status(status) => *status == 429 || (500..=599).contains(status),
        Outcome::Failed(failure) => failure.retryable(),
    }
}

struct State {
    /// Indices of the URLs not yet taken, in order.
    waiting: VecDeque<usize>,
    /// Requests under way, by host.
    active: HashMap<String, usize>,
}

struct Queue {
    state: Mutex<State>,
    changed: Condvar,
    per_host: usize,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Queue {
    /// The next URL whose host has room, waiting while every host left is busy; `None` when
    /// nothing is left.
    fn take(&self, hosts: &[String]) -> Option<usize> {
        let mut state = lock(&self.state);
        loop {
            if state.waiting.is_empty() {
                return None;
            }
            let free = state
                .waiting
                .iter()
                .position(|&i| state.active.get(&hosts[i]).copied().unwrap_or(0) < self.per_host);
            if let Some(at) = free {
                let i = state.waiting.remove(at)?;
                *state.active.entry(hosts[i].clone()).or_insert(0) += 1;
                return Some(i);
            }
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// One request to `host` is done.
    fn release(&self, host: &str) {
        let mut state = lock(&self.state);
        if let Some(n) = state.active.get_mut(host) {
            *n = n.saturating_sub(1);
        }
        drop(state);
        self.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::super::fetch::Failure;
    use super::*;

    /// Answers from a script by URL path, keeping count of requests and of how many were
    /// under way at once per host.
    #[derive(Default)]
    struct Fake {
        log: Mutex<Vec<(String, Method)>>,
        now: Mutex<HashMap<String, usize>>,
        most: Mutex<HashMap<String, usize>>,
    }

    impl Fetch for Fake {
        fn fetch(&self, url: &str, method: Method) -> Outcome {
            let host = host(url);
            {
                let mut now = lock(&self.now);
                let n = now.entry(host.clone()).or_insert(0);
                *n += 1;
                let most = *n;
                let mut seen = lock(&self.most);
                let m = seen.entry(host.clone()).or_insert(0);
                *m = (*m).max(most);
            }
            lock(&self.log).push((url.to_string(), method));
            let path = url.rsplit('/').next().unwrap_or_default();
            let outcome = match (path, method) {
                ("ok", _) => Outcome::Status(200),
                ("nohead", Method::Head) => Outcome::Status(405),
                ("nohead", Method::Get) => Outcome::Status(204),
                ("forbidden", _) => Outcome::Status(403),
                ("gone", _) => Outcome::Status(404),
                ("down", _) => Outcome::Status(503),
                ("flaky", _) if self.tries(url) == 1 => Outcome::Failed(Failure::Timeout),
                ("flaky", _) => Outcome::Status(200),
                ("dns", _) => Outcome::Failed(Failure::HostNotFound),
                ("slow", _) => {
                    std::thread::sleep(Duration::from_millis(30));
                    Outcome::Status(200)
                }
                _ => Outcome::Status(500),
            };
            *lock(&self.now).get_mut(&host).unwrap() -= 1;
            outcome
        }
    }

    impl Fake {
        fn tries(&self, url: &str) -> usize {
            lock(&self.log).iter().filter(|(u, _)| u == url).count()
        }
    }

    const LIMITS: Limits = Limits {
        concurrency: 8,
        per_host: 2,
        retry_delay: Duration::from_millis(1),
    };

    fn urls(list: &[&str]) -> Vec<String> {
        list.iter().map(|u| u.to_string()).collect()
    }

    #[test]
    fn head_then_get_and_one_retry_only_where_it_may_help() {
        let fake = Fake::default();
        let list = urls(&[
            "https://a.test/ok",
            "https://a.test/nohead",
            "https://b.test/gone",
            "https://b.test/down",
            "https://c.test/flaky",
            "https://c.test/dns",
            "https://c.test/forbidden",
        ]);
        let verdicts = check_all(&fake, &list, &LIMITS);
        let good: Vec<bool> = verdicts.iter().map(Verdict::good).collect();
        assert_eq!(good, [true, true, false, false, true, false, false]);
        assert_eq!(verdicts[1].outcome, Outcome::Status(204));
        let retried: Vec<bool> = verdicts.iter().map(|v| v.retried).collect();
        assert_eq!(retried, [false, false, false, true, true, false, false]);
        assert_eq!(fake.tries("https://b.test/gone"), 1, "a 404 is not retried");
        assert_eq!(
            fake.tries("https://b.test/down"),
            2,
            "a 503 is retried once"
        );
        assert_eq!(fake.tries("https://c.test/dns"), 1);
        let methods: Vec<Method> = lock(&fake.log)
            .iter()
            .filter(|(u, _)| u.ends_with("nohead"))
            .map(|(_, m)| *m)
            .collect();
        assert_eq!(methods, [Method::Head, Method::Get]);
        assert_eq!(fake.tries("https://c.test/forbidden"), 2, "HEAD, then GET");
        assert_eq!(verdicts[6].outcome, Outcome::Status(403));
    }

    #[test]
    fn no_host_gets_more_than_its_share_at_once() {
        let fake = Fake::default();
        let mut list = Vec::new();
        for i in 0..12 {
            list.push(format!("https://busy.test/{i}/slow"));
            list.push(format!("https://other.test/{i}/slow"));
        }
        let verdicts = check_all(&fake, &list, &LIMITS);
        assert!(verdicts.iter().all(Verdict::good));
        let most = lock(&fake.most);
        assert_eq!(most["busy.test"], 2, "{most:?}");
        assert_eq!(most["other.test"], 2, "{most:?}");
        let one = Limits {
            per_host: 1,
            ..LIMITS
        };
        let fake = Fake::default();
        check_all(&fake, &list[..6], &one);
        assert_eq!(lock(&fake.most)["busy.test"], 1);
    }

    #[test]
    fn hosts_are_compared_without_case_or_credentials() {
        assert_eq!(
            host("https://User@Example.COM:8080/x?y"),
            "example.com:8080"
        );
        assert_eq!(host("http://a.test"), "a.test");
        assert_eq!(host("http://a.test?q#f"), "a.test");
    }
}

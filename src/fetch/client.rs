//! The HTTP client: one reqwest client per run, and the retry loop around it.
//!
//! Owns how a single URL is fetched: timeouts, the honest User-Agent, gzip,
//! conditional GET with stored validators, bounded retries with exponential
//! backoff and jitter that honour `Retry-After`, and per-host pacing (arXiv's
//! courtesy delay holds across every source that talks to the same host).
//!
//! It does not know about sources, formats or the index. Invariants: at most
//! `retries + 1` attempts per URL; no wait is ever longer than
//! `fetch.max_backoff` (a longer `Retry-After` gives up until the next run
//! instead of stalling cron); a 304 is a success with no body; no request
//! carries a `Referer`, so a redirect to another host learns nothing of the
//! source URL (reqwest also drops `Authorization` and cookies there).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};
use tokio::sync::Mutex;

use super::FetchError;
use super::state::Validators;
use crate::config::FetchConfig;
use crate::sanitize::{redact_url, redact_urls_in};

/// The User-Agent every request sends: name, version, and where to look.
pub(crate) fn user_agent(contact: Option<&str>) -> String {
    let base = concat!(
        "papertrend/",
        env!("CARGO_PKG_VERSION"),
        " (+https://github.com/papertrend; cron digest"
    );
    match contact.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => format!("{base}; {c})"),
        None => format!("{base})"),
    }
}

/// What one URL gave.
pub(crate) enum Fetched {
    /// 200: the (decoded) body and the validators to store.
    Body {
        /// The response body, gzip already undone.
        bytes: Vec<u8>,
        /// `ETag` / `Last-Modified` to send next time.
        validators: Validators,
        /// The `Content-Type`, for error messages.
        content_type: Option<String>,
    },
    /// 304: nothing changed since the stored validators.
    NotModified,
}

/// Retry and timing settings, copied out of the config.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Policy {
    retries: u32,
    backoff: Duration,
    max_backoff: Duration,
}

/// The shared client: reqwest plus pacing and `-v` logging.
#[derive(Clone)]
pub(crate) struct Http {
    client: reqwest::Client,
    policy: Policy,
    pacer: Arc<Mutex<HashMap<String, Instant>>>,
    verbose: bool,
}

fn std_duration(span: crate::clock::Span) -> Duration {
    Duration::try_from(span.0).unwrap_or(Duration::ZERO)
}

impl Http {
    /// Builds the client from `[fetch]`.
    pub(crate) fn new(cfg: &FetchConfig, verbose: bool) -> Result<Http, String> {
        let client = reqwest::Client::builder()
            .user_agent(user_agent(cfg.contact.as_deref()))
            .connect_timeout(std_duration(cfg.connect_timeout))
            .read_timeout(std_duration(cfg.read_timeout))
            .timeout(std_duration(cfg.timeout))
            .gzip(true)
            // papertrend is not a browser: a `Referer` would carry a source
            // URL, query tokens included, to wherever it redirects.
            .referer(false)
            // Our own loop retries with backoff and Retry-After; reqwest's
            // built-in retry has neither (see notes/ecosystem.md §4).
            .retry(reqwest::retry::never())
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {}", chain(&e)))?;
        Ok(Http {
            client,
            policy: Policy {
                retries: cfg.retries,
                backoff: std_duration(cfg.backoff),
                max_backoff: std_duration(cfg.max_backoff),
            },
            pacer: Arc::new(Mutex::new(HashMap::new())),
            verbose,
        })
    }

    fn log(&self, line: &str) {
        if self.verbose {
            eprintln!(
                "papertrend: {}",
                crate::sanitize::sanitize_terminal(&redact_urls_in(line))
            );
        }
    }

    /// Waits until `gap` has passed since the last request to `host`
    /// (reserving the slot first, so concurrent sources queue up).
    async fn pace(&self, host: &str, gap: Duration) {
        if gap.is_zero() {
            return;
        }
        let wait = {
            let mut last = self.pacer.lock().await;
            let now = Instant::now();
            let slot = match last.get(host) {
                Some(prev) => (*prev + gap).max(now),
                None => now,
            };
            last.insert(host.to_string(), slot);
            slot - now
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }

    /// GETs `url`, retrying as configured. `gap` is the least time between
    /// two requests to this URL's host (arXiv's courtesy delay; zero for
    /// others); `cached` are the validators from the last run. Returns the
    /// result and how many requests were sent.
    pub(crate) async fn get(
        &self,
        url: &str,
        gap: Duration,
        cached: Option<&Validators>,
    ) -> (Result<Fetched, FetchError>, u32) {
        // `url` is the configured form (with `${VAR}` placeholders): the one
        // shown, redacted, in logs and errors. Only the request sees the
        // expanded address.
        let real = match expand_env(url) {
            Ok(real) => real,
            Err(reason) => {
                let err = FetchError::Transport {
                    url: redact_url(url),
                    reason,
                    attempts: 0,
                };
                return (Err(err), 0);
            }
        };
        let shown = redact_url(url);
        let host = reqwest::Url::parse(&real)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
        let attempts = self.policy.retries.saturating_add(1);
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.pace(&host, gap).await;
            let started = Instant::now();
            let outcome = self.attempt(&real, cached).await;
            let ms = started.elapsed().as_millis();
            let last = attempt >= attempts;
            let (wait, err) = match outcome {
                Ok(Attempt::Done(fetched)) => {
                    let status = match &fetched {
                        Fetched::Body { .. } => "200 OK",
                        Fetched::NotModified => "304 Not Modified",
                    };
                    self.log(&format!("GET {shown} -> {status} ({ms} ms)"));
                    return (Ok(fetched), attempt);
                }
                Ok(Attempt::Status {
                    status,
                    retry_after,
                }) => {
                    self.log(&format!("GET {shown} -> {status} ({ms} ms)"));
                    if !retryable(status) {
                        let err = FetchError::Status {
                            url: shown.clone(),
                            status: status.as_u16(),
                            attempts: attempt,
                        };
                        return (Err(err), attempt);
                    }
                    if let Some(asked) = retry_after
                        && asked > self.policy.max_backoff
                    {
                        let err = FetchError::RetryAfterTooLong {
                            url: shown.clone(),
                            status: status.as_u16(),
                            seconds: asked.as_secs(),
                        };
                        return (Err(err), attempt);
                    }
                    let wait = retry_after.unwrap_or_else(|| self.backoff(attempt));
                    let err = FetchError::Status {
                        url: shown.clone(),
                        status: status.as_u16(),
                        attempts: attempt,
                    };
                    (wait, err)
                }
                Ok(Attempt::TooLarge { status }) => {
                    let what = format!(
                        "the response is larger than the {} MiB papertrend accepts \
                         (the server answered {}); not retried",
                        MAX_BODY_BYTES >> 20,
                        status.as_u16()
                    );
                    self.log(&format!("GET {shown} -> {what} ({ms} ms)"));
                    let err = FetchError::Transport {
                        url: shown.clone(),
                        reason: what,
                        attempts: attempt,
                    };
                    return (Err(err), attempt);
                }
                Err(e) => {
                    let what = redact_urls_in(&transport_reason(&e).replace(&real, &shown));
                    self.log(&format!("GET {shown} -> {what} ({ms} ms)"));
                    let err = FetchError::Transport {
                        url: shown.clone(),
                        reason: what,
                        attempts: attempt,
                    };
                    if !(e.is_timeout() || e.is_connect() || e.is_body()) {
                        return (Err(err), attempt);
                    }
                    (self.backoff(attempt), err)
                }
            };
            if last {
                return (Err(err), attempt);
            }
            // Never ask a server faster than its courtesy delay, even on retry.
            let wait = wait.max(gap);
            self.log(&format!(
                "retrying {shown} in {} ms (attempt {} of {attempts})",
                wait.as_millis(),
                attempt + 1
            ));
            tokio::time::sleep(wait).await;
        }
    }

    /// Exponential backoff with "equal jitter": half fixed, half random,
    /// capped at `max_backoff`.
    fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .policy
            .backoff
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
        let capped = exp.min(self.policy.max_backoff);
        let half = capped / 2;
        half + half.mul_f64(jitter())
    }

    async fn attempt(
        &self,
        url: &str,
        cached: Option<&Validators>,
    ) -> Result<Attempt, reqwest::Error> {
        let mut req = self.client.get(url);
        if let Some(v) = cached {
            if let Some(etag) = &v.etag {
                req = req.header(header::IF_NONE_MATCH, etag);
            }
            if let Some(lm) = &v.last_modified {
                req = req.header(header::IF_MODIFIED_SINCE, lm);
            }
        }
        let mut resp = req.send().await?;
        let status = resp.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Attempt::Done(Fetched::NotModified));
        }
        if !status.is_success() {
            let retry_after = retry_after(resp.headers(), jiff::Timestamp::now());
            return Ok(Attempt::Status {
                status,
                retry_after,
            });
        }
        let header_str = |name: header::HeaderName| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let validators = Validators {
            etag: header_str(header::ETAG),
            last_modified: header_str(header::LAST_MODIFIED),
        };
        let content_type = header_str(header::CONTENT_TYPE);
        let mut bytes = Vec::new();
        while let Some(chunk) = resp.chunk().await? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() as u64 > MAX_BODY_BYTES {
                // A listing this large (after decompression: a gzip bomb
                // stops here too) is broken or hostile. The server said
                // 200; the limit is ours, and so is the wording.
                return Ok(Attempt::TooLarge { status });
            }
        }
        Ok(Attempt::Done(Fetched::Body {
            bytes,
            validators,
            content_type,
        }))
    }
}

/// The largest response body taken, after decompression. Real listings are
/// a few MiB (an arXiv API page of 2000 results is about 5); the bound keeps
/// a gzip bomb or a runaway server to a few hundred MiB of memory at most,
/// parsing included.
pub(crate) const MAX_BODY_BYTES: u64 = 32 * 1024 * 1024;

enum Attempt {
    /// The body passed [`MAX_BODY_BYTES`]; the server's status.
    TooLarge {
        status: StatusCode,
    },
    Done(Fetched),
    Status {
        status: StatusCode,
        retry_after: Option<Duration>,
    },
}

/// Whether a status is worth another attempt: rate limits, timeouts and
/// server errors (except 501, which will not change).
fn retryable(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::REQUEST_TIMEOUT
        || (status.is_server_error() && status != StatusCode::NOT_IMPLEMENTED)
}

/// `Retry-After` as delta-seconds or an HTTP date (RFC 9110 §10.2.3) in any
/// of its three forms (IMF-fixdate, RFC 850, asctime); a date in the past
/// means "now".
fn retry_after(headers: &HeaderMap, now: jiff::Timestamp) -> Option<Duration> {
    let v = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = jiff::Timestamp::try_from(httpdate::parse_http_date(v).ok()?).ok()?;
    let secs = at.duration_since(now).as_secs();
    Some(Duration::from_secs(u64::try_from(secs).unwrap_or(0)))
}

/// A number in [0, 1), different for every process: spreads the retries of
/// many cron jobs that started at the same minute.
fn jitter() -> f64 {
    fastrand::f64()
}

/// A transport error in a few words: "timed out", "connection refused", …
fn transport_reason(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return "timed out".into();
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::ConnectionRefused {
                return "connection refused".into();
            }
            if io.kind() == std::io::ErrorKind::TimedOut {
                return "timed out".into();
            }
        }
        source = s.source();
    }
    chain(e)
}

/// `url` with every `${NAME}` replaced by the environment variable NAME,
/// percent-encoded (so a password may hold `@` or `/`). Lets a source's
/// credentials live outside the config file, like `mail.password_env`.
///
/// # Errors
/// A sentence naming the variable that is not set, or an unclosed `${`.
pub(crate) fn expand_env(url: &str) -> Result<String, String> {
    let mut out = String::with_capacity(url.len());
    let mut rest = url;
    while let Some(at) = rest.find("${") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let Some(end) = after.find('}') else {
            return Err("unclosed `${` in the source's URL".into());
        };
        let name = &after[..end];
        // The variable's name is configuration; its value a secret that
        // is never kept or shown.
        #[allow(clippy::disallowed_methods)]
        let value = std::env::var(name).ok().filter(|v| !v.is_empty());
        let Some(value) = value else {
            return Err(format!(
                "environment variable {name} (named in the source's URL) is not set"
            ));
        };
        for b in value.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                out.push(char::from(b));
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The error and its causes on one line (`a: b: c`), repeated parts dropped.
fn chain(e: &dyn std::error::Error) -> String {
    let mut parts: Vec<String> = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::RETRY_AFTER, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn retry_after_takes_seconds_and_http_dates() {
        let now: jiff::Timestamp = "2026-11-27T08:00:00Z".parse().unwrap();
        assert_eq!(
            retry_after(&headers("120"), now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            retry_after(&headers("Fri, 27 Nov 2026 08:00:30 GMT"), now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            retry_after(&headers("Fri, 27 Nov 2026 07:00:00 GMT"), now),
            Some(Duration::ZERO)
        );
        // The obsolete forms a recipient must still accept (RFC 9110 §5.6.7).
        assert_eq!(
            retry_after(&headers("Friday, 27-Nov-26 08:01:00 GMT"), now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            retry_after(&headers("Fri Nov 27 08:02:00 2026"), now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(retry_after(&headers("soon"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let cfg = FetchConfig {
            backoff: "1s".parse().unwrap(),
            max_backoff: "5s".parse().unwrap(),
            ..FetchConfig::default()
        };
        let http = Http::new(&cfg, false).unwrap();
        for _ in 0..20 {
            let b1 = http.backoff(1);
            assert!(b1 >= Duration::from_millis(500) && b1 <= Duration::from_secs(1));
            let b2 = http.backoff(2);
            assert!(b2 >= Duration::from_secs(1) && b2 <= Duration::from_secs(2));
            let b9 = http.backoff(9);
            assert!(b9 >= Duration::from_millis(2500) && b9 <= Duration::from_secs(5));
        }
    }

    #[test]
    fn retryable_statuses() {
        assert!(retryable(StatusCode::TOO_MANY_REQUESTS));
        assert!(retryable(StatusCode::SERVICE_UNAVAILABLE));
        assert!(retryable(StatusCode::BAD_GATEWAY));
        assert!(!retryable(StatusCode::NOT_IMPLEMENTED));
        assert!(!retryable(StatusCode::NOT_FOUND));
        assert!(!retryable(StatusCode::BAD_REQUEST));
    }

    #[test]
    fn user_agent_names_the_version_and_contact() {
        let ua = user_agent(Some("mailto:me@example.org"));
        assert!(ua.starts_with(concat!("papertrend/", env!("CARGO_PKG_VERSION"))));
        assert!(ua.ends_with("; mailto:me@example.org)"), "{ua}");
        assert!(user_agent(None).ends_with("cron digest)"));
    }
}

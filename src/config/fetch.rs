//! `[fetch]`: how `fetch` and `run` talk to HTTP sources (timeouts, retries,
//! politeness).

use serde::{Deserialize, Serialize};

use crate::clock::Span;

/// `[fetch]`: how `fetch` and `run` talk to HTTP sources.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FetchConfig {
    /// Longest time one request may take, body included. Default `60s`.
    pub timeout: Span,
    /// Longest time to establish a connection. Default `10s`.
    pub connect_timeout: Span,
    /// Longest silence while reading a response. Default `30s`.
    pub read_timeout: Span,
    /// How many times a request is retried after a 429, a 5xx, a timeout or
    /// a refused connection. Default 2 (so at most 3 attempts).
    pub retries: u32,
    /// The first wait before a retry; it doubles per attempt, with jitter.
    /// Default `1s`.
    pub backoff: Span,
    /// The longest wait before a retry. A `Retry-After` longer than this
    /// gives up until the next run instead of stalling it. Default `60s`.
    pub max_backoff: Span,
    /// How many sources are fetched at the same time. Default 4.
    pub concurrency: usize,
    /// Contact appended to the User-Agent (`mailto:you@example.org`), so
    /// operators can reach you instead of blocking you. Default none.
    pub contact: Option<String>,
}

impl Default for FetchConfig {
    fn default() -> Self {
        let secs = |n: i64| Span(jiff::SignedDuration::from_secs(n));
        FetchConfig {
            timeout: secs(60),
            connect_timeout: secs(10),
            read_timeout: secs(30),
            retries: 2,
            backoff: secs(1),
            max_backoff: secs(60),
            concurrency: 4,
            contact: None,
        }
    }
}

impl FetchConfig {
    /// Checks `[fetch]`: positive timeouts, a backoff that can grow.
    pub(super) fn validate(&self) -> Result<(), String> {
        for (key, span) in [
            ("fetch.timeout", self.timeout),
            ("fetch.connect_timeout", self.connect_timeout),
            ("fetch.read_timeout", self.read_timeout),
        ] {
            if span.0 <= jiff::SignedDuration::ZERO {
                return Err(format!("`{key}` must be positive"));
            }
        }
        if self.backoff.0.is_negative() || self.max_backoff.0 < self.backoff.0 {
            return Err(
                "`fetch.backoff` must be >= 0 and `fetch.max_backoff` at least as long".into(),
            );
        }
        Ok(())
    }
}

//! `[trends]`: rising-topic detection.

use serde::{Deserialize, Serialize};

use super::MAX_LIMIT;
use crate::clock::Span;

/// `[trends]`: rising-topic detection.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrendsConfig {
    /// The recent window. Default `7d`.
    pub window: Span,
    /// The baseline window before it. Default `8w`.
    pub baseline: Span,
    /// How many rising topics to keep. Default 10, at most [`MAX_LIMIT`].
    pub limit: usize,
    /// A topic needs at least this many papers in the window. Default 3.
    pub min_count: usize,
}

impl Default for TrendsConfig {
    fn default() -> Self {
        let day = |n: i64| Span(jiff::SignedDuration::from_hours(24 * n));
        TrendsConfig {
            window: day(7),
            baseline: day(56),
            limit: 10,
            min_count: 3,
        }
    }
}

impl TrendsConfig {
    /// Checks `[trends]`.
    pub(super) fn validate(&self) -> Result<(), String> {
        if self.limit == 0 || self.limit > MAX_LIMIT {
            return Err(format!("`trends.limit` must be 1 to {MAX_LIMIT}"));
        }
        Ok(())
    }
}

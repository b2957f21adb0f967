//! Per-source fetch state in `<data>/state/fetch.json`: cursors, HTTP
//! validators and failure streaks.
//!
//! Invariant: this file is written (atomically) only after the index commit
//! that ingested what the recorded cursors and validators describe, so a
//! crash at any point makes the next run fetch again, never skip. Writers
//! hold the index writer lock, so two runs never write it at once.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The `ETag` / `Last-Modified` a server sent with a body.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Validators {
    /// Sent back as `If-None-Match`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) etag: Option<String>,
    /// Sent back as `If-Modified-Since`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) last_modified: Option<String>,
}

impl Validators {
    pub(crate) fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// What is remembered about one source between runs.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct SourceState {
    /// hf-daily: the last day fetched and committed (fetched again next run,
    /// since a day's list grows until it ends).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) last_day: Option<Date>,
    /// arxiv-api: the newest `published` seen; paging stops at it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) newest: Option<Timestamp>,
    /// How many runs in a row this source failed.
    #[serde(default)]
    pub(crate) consecutive_failures: u32,
    /// When it last succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) last_success: Option<Timestamp>,
    /// The last failure, as reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) last_error: Option<String>,
    /// Validators per URL, from the last run that got a body.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) http: BTreeMap<String, Validators>,
}

/// The whole file.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct FetchState {
    /// Format version of this file.
    pub(crate) version: u32,
    /// By source name.
    #[serde(default)]
    pub(crate) sources: BTreeMap<String, SourceState>,
}

impl Default for FetchState {
    fn default() -> Self {
        FetchState {
            version: 1,
            sources: BTreeMap::new(),
        }
    }
}

impl FetchState {
    /// Reads the file; a missing file is an empty state. A damaged file is
    /// an error the caller may downgrade to a warning (losing it only makes
    /// the next run fetch more).
    pub(crate) fn load(path: &Path) -> Result<FetchState, String> {
        match crate::state::read_file(path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| format!("{}: damaged fetch state: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(FetchState::default()),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    /// Writes the file atomically.
    pub(crate) fn save(&self, path: &Path) -> Result<(), String> {
        let mut bytes =
            serde_json::to_vec_pretty(self).map_err(|e| format!("{}: {e}", path.display()))?;
        bytes.push(b'\n');
        crate::state::write_atomic(path, &bytes).map_err(|e| format!("{}: {e}", path.display()))
    }
}

//! `[ingest]`: how ingest writes the index.

use serde::{Deserialize, Serialize};

/// `[ingest]`: how ingest writes the index.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IngestConfig {
    /// How many records go into one commit. Default 400 000 (about a
    /// minute of a bulk import; a daily ingest is one commit). An
    /// interrupted ingest loses at most this many records' work.
    pub batch_size: usize,
    /// Index writer memory budget in MiB. Default 512: with two indexing
    /// threads, segments of about 200 000 papers, which a bulk import need
    /// not merge. Used only as a large import needs it.
    pub writer_memory_mb: usize,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            batch_size: 400_000,
            writer_memory_mb: 512,
        }
    }
}

//! The digest ledger: which digest went out on which day, how, the watermark
//! it covered up to and the papers it listed (`<data>/state/ledger.json`).
//! What was sent is what the next digest leaves out, and what `--unseen`
//! hides. The digests themselves (the outbox and the archive) are kept by
//! the digest's outbox module, above this one.
//!
//! Guarantees: the file is replaced atomically
//! ([`crate::state::prepare_atomic`]); a digest is recorded as delivered
//! only after the server's 250 (or after it was printed, when e-mail is
//! off), and only then are its papers "sent". The one unavoidable window is
//! a crash after the 250 and before the ledger write: the next run sends
//! that digest again, with the same Message-ID. It is kept to one rename:
//! the new ledger is written and synced before the message's final dot is
//! sent ([`Ledger::prepare_record`]), and the QUIT waits until the rename is
//! done.

use std::collections::HashSet;
use std::path::PathBuf;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::state::{DataDir, read_json};

/// Version of `ledger.json`.
pub const LEDGER_VERSION: u32 = 1;

/// How a digest was delivered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Delivery {
    /// Accepted by the SMTP server.
    Mail,
    /// Printed to stdout or written to `[digest] out` (e-mail off).
    Print,
}

/// One delivered digest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SentDigest {
    /// The reader's day (`YYYY-MM-DD`).
    pub date: String,
    /// The Message-ID (with angle brackets).
    pub message_id: String,
    /// When it was delivered.
    pub sent_at: Timestamp,
    /// Papers first seen up to this instant were covered (the next
    /// digest's watermark).
    pub covered_until: Timestamp,
    /// How it went out.
    pub delivery: Delivery,
    /// Ids of the papers it listed.
    pub papers: Vec<String>,
}

/// `state/ledger.json`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Ledger {
    /// [`LEDGER_VERSION`].
    pub schema_version: u32,
    /// Delivered digests, oldest first.
    pub digests: Vec<SentDigest>,
}

impl Ledger {
    fn path(data: &DataDir) -> PathBuf {
        data.state().join("ledger.json")
    }

    /// Loads the ledger (empty when none exists yet).
    ///
    /// # Errors
    /// An unreadable or corrupt file.
    pub fn load(data: &DataDir) -> Result<Ledger> {
        let path = Self::path(data);
        let ledger: Ledger = read_json(&path)?.unwrap_or(Ledger {
            schema_version: LEDGER_VERSION,
            digests: Vec::new(),
        });
        if ledger.schema_version > LEDGER_VERSION {
            return Err(Error::Other(format!(
                "{}: written by a newer papertrend (ledger version {})",
                path.display(),
                ledger.schema_version
            )));
        }
        Ok(ledger)
    }

    /// The delivered digest of `date`, if any.
    pub fn sent_on(&self, date: &str) -> Option<&SentDigest> {
        self.digests.iter().rev().find(|d| d.date == date)
    }

    /// Whether a digest with this Message-ID was delivered.
    pub fn has_message(&self, message_id: &str) -> bool {
        self.digests.iter().any(|d| d.message_id == message_id)
    }

    /// The watermark for a digest of `date`: the latest `covered_until` of
    /// digests delivered for earlier days (so `--force` on a day rebuilds
    /// that day's digest rather than an empty one).
    pub fn watermark_before(&self, date: &str) -> Option<Timestamp> {
        self.digests
            .iter()
            .filter(|d| d.date.as_str() < date)
            .map(|d| d.covered_until)
            .max()
    }

    /// Ids of papers listed by digests delivered for days before `date`.
    pub fn sent_before(&self, date: &str) -> HashSet<String> {
        self.digests
            .iter()
            .filter(|d| d.date.as_str() < date)
            .flat_map(|d| d.papers.iter().cloned())
            .collect()
    }

    /// Records a delivery and saves the ledger (atomically); a digest of the
    /// same day delivered earlier (`--force`) stays listed too.
    ///
    /// # Errors
    /// An I/O error.
    pub fn record(&mut self, data: &DataDir, sent: SentDigest) -> Result<()> {
        *self = self.prepare_record(data, sent)?.commit()?;
        Ok(())
    }

    /// Everything of [`Ledger::record`] but the final rename: the new
    /// ledger is encoded, written and synced beforehand, so that after the
    /// server's 250 only [`PreparedRecord::commit`] (one rename) remains.
    /// That is the whole window in which a crash sends a digest twice.
    ///
    /// # Errors
    /// An I/O error.
    pub fn prepare_record(&self, data: &DataDir, sent: SentDigest) -> Result<PreparedRecord> {
        let mut next = self.clone();
        next.schema_version = LEDGER_VERSION;
        next.digests.push(sent);
        let path = Self::path(data);
        let mut bytes = serde_json::to_vec_pretty(&next)
            .map_err(|e| Error::Other(format!("{}: cannot encode: {e}", path.display())))?;
        bytes.push(b'\n');
        let write = crate::state::prepare_atomic(&path, &bytes)
            .map_err(|e| Error::io(path.display(), e))?;
        Ok(PreparedRecord {
            write,
            ledger: next,
            path,
        })
    }
}

/// A ledger update written and synced but not yet in place; see
/// [`Ledger::prepare_record`]. Dropping it leaves the ledger as it was.
#[derive(Debug)]
pub struct PreparedRecord {
    write: crate::state::PreparedWrite,
    ledger: Ledger,
    path: PathBuf,
}

impl PreparedRecord {
    /// Puts the prepared ledger in place; returns it.
    ///
    /// # Errors
    /// An I/O error.
    pub fn commit(self) -> Result<Ledger> {
        let path = self.path;
        self.write
            .commit()
            .map_err(|e| Error::io(path.display(), e))?;
        Ok(self.ledger)
    }
}

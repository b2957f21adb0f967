//! The digest ledger and outbox: which digest went out on which day, which
//! papers it listed, and the digests still waiting to be sent.
//!
//! Layout under `<data>/state/`:
//! - `ledger.json`: every delivered digest (day, Message-ID, when, how, the
//!   watermark it covered up to, the paper ids it listed);
//! - `outbox/<day>.eml` + `outbox/<day>.json`: a rendered digest not yet
//!   accepted by the SMTP server, and what is needed to send it (envelope,
//!   papers, watermark). The `.json` is written last, so its presence marks
//!   a complete entry;
//! - `digests/<day>.json`: the digest model of every delivered digest, so
//!   `digest --date DAY` can show what went out.
//!
//! Guarantees: every file is replaced atomically ([`write_atomic`]); a digest
//! is recorded as delivered only after the server's 250 (or after it was
//! printed, when e-mail is off), and only then are its papers "sent"; an
//! outbox entry whose Message-ID is already in the ledger (a crash between
//! recording and cleaning up) is removed without sending it again. The one
//! unavoidable window is a crash after the 250 and before the ledger write:
//! the next run sends that digest again, with the same Message-ID. It is
//! kept to one rename: the new ledger is written and synced before the
//! message's final dot is sent ([`Ledger::prepare_record`]), and the QUIT
//! waits until the rename is done.

use std::collections::HashSet;
use std::path::PathBuf;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::digest::model::Digest;
use crate::error::{Error, Result};
use crate::state::{DataDir, write_atomic};

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

/// A rendered digest waiting in the outbox.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Pending {
    /// The reader's day.
    pub date: String,
    /// The Message-ID in the `.eml`.
    pub message_id: String,
    /// Envelope sender (bare address).
    pub mail_from: String,
    /// Envelope recipients (bare addresses).
    pub rcpt_to: Vec<String>,
    /// The watermark this digest covers up to.
    pub covered_until: Timestamp,
    /// Ids of the papers it lists.
    pub papers: Vec<String>,
    /// The digest model (archived once sent).
    pub digest: Digest,
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &std::path::Path) -> Result<Option<T>> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| Error::Other(format!("{}: corrupt state file: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path.display(), e)),
    }
}

fn write_json<T: Serialize>(path: &std::path::Path, value: &T) -> Result<()> {
    let mut bytes = serde_json::to_vec_pretty(value)
        .map_err(|e| Error::Other(format!("{}: cannot encode: {e}", path.display())))?;
    bytes.push(b'\n');
    write_atomic(path, &bytes).map_err(|e| Error::io(path.display(), e))
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

/// The instant new papers are stamped `first_seen` with: `now`, or one
/// second after the latest watermark recorded in the ledger or waiting in
/// the outbox when that is not earlier. Called under the data directory's
/// lock, it makes every paper an ingest commits newer than every digest
/// already built, so the next digest considers it even when the clock has
/// not moved on (times have whole seconds) or went back.
///
/// # Errors
/// An unreadable or corrupt ledger or outbox entry.
pub fn first_seen_stamp(data: &DataDir, now: Timestamp) -> Result<Timestamp> {
    let ledger = Ledger::load(data)?;
    let latest = ledger
        .digests
        .iter()
        .map(|d| d.covered_until)
        .chain(list_pending(data)?.iter().map(|(p, _)| p.covered_until))
        .max();
    Ok(match latest {
        Some(t) if t >= now => t
            .checked_add(jiff::SignedDuration::from_secs(1))
            .unwrap_or(t),
        _ => now,
    })
}

/// The outbox folder.
fn outbox(data: &DataDir) -> PathBuf {
    data.state().join("outbox")
}

/// Writes a pending digest: the `.eml` first, then the `.json` that marks
/// the entry complete.
///
/// # Errors
/// An I/O error.
pub fn put_pending(data: &DataDir, pending: &Pending, eml: &[u8]) -> Result<()> {
    let dir = outbox(data);
    let eml_path = dir.join(format!("{}.eml", pending.date));
    write_atomic(&eml_path, eml).map_err(|e| Error::io(eml_path.display(), e))?;
    write_json(&dir.join(format!("{}.json", pending.date)), pending)
}

/// Pending digests, oldest day first, with their `.eml` bytes.
///
/// # Errors
/// An unreadable or corrupt outbox entry.
pub fn list_pending(data: &DataDir) -> Result<Vec<(Pending, Vec<u8>)>> {
    let dir = outbox(data);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir.display(), e)),
    };
    let mut names: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    let mut out = Vec::new();
    for json in names {
        let Some(pending) = read_json::<Pending>(&json)? else {
            continue;
        };
        let eml_path = json.with_extension("eml");
        let eml = std::fs::read(&eml_path).map_err(|e| Error::io(eml_path.display(), e))?;
        out.push((pending, eml));
    }
    Ok(out)
}

/// Removes a pending digest (after it was recorded as delivered).
///
/// # Errors
/// An I/O error other than "already gone".
pub fn remove_pending(data: &DataDir, date: &str) -> Result<()> {
    let dir = outbox(data);
    // The .json goes first: without it the entry is not listed any more.
    for ext in ["json", "eml"] {
        let p = dir.join(format!("{date}.{ext}"));
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(p.display(), e)),
        }
    }
    Ok(())
}

/// Archives the model of a delivered digest (`digests/<day>.json`).
///
/// # Errors
/// An I/O error.
pub fn archive(data: &DataDir, digest: &Digest) -> Result<()> {
    write_json(
        &data
            .state()
            .join("digests")
            .join(format!("{}.json", digest.date)),
        digest,
    )
}

/// The archived model of the digest delivered for `date`, if any.
///
/// # Errors
/// An unreadable or corrupt archive file.
pub fn archived(data: &DataDir, date: &str) -> Result<Option<Digest>> {
    read_json(&data.state().join("digests").join(format!("{date}.json")))
}

//! The outbox and the archive: digests built but not yet accepted by the
//! SMTP server, and the model of every digest delivered.
//!
//! Layout under `<data>/state/`:
//! - `outbox/<day>.eml` + `outbox/<day>.json`: a rendered digest not yet
//!   accepted by the SMTP server, and what is needed to send it (envelope,
//!   papers, watermark, the model to archive). The `.json` is written last,
//!   so its presence marks a complete entry;
//! - `digests/<day>.json`: the digest model of every delivered digest, so
//!   `digest --date DAY` can show what went out.
//!
//! Guarantees: every file is replaced atomically
//! ([`write_atomic`]); an entry leaves the outbox only after
//! the [`Ledger`] recorded its delivery, and an entry whose Message-ID is
//! already in the ledger (a crash between recording and cleaning up) is
//! removed without sending it again ([`super::flush_outbox`]).

use std::path::PathBuf;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::model::Digest;
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::state::{DataDir, read_json, write_atomic, write_json};

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
    /// How many bytes the `.eml` has, and their [`crate::paper::stable_hash`]:
    /// a truncated or altered message is found before it is sent. Absent in
    /// entries written before they were recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eml_check: Option<(u64, u64)>,
}

/// The length and hash [`Pending::eml_check`] records for `eml`.
pub fn eml_check(eml: &[u8]) -> (u64, u64) {
    (eml.len() as u64, crate::paper::stable_hash(eml))
}

/// Why the `.eml` of `pending` must not be sent as it is, if it must not:
/// not the bytes recorded with it, headers without their end or without
/// the entry's Message-ID, a body without the end of its MIME parts, or a
/// list of papers that is not the digest's.
pub fn damage(pending: &Pending, eml: &[u8]) -> Option<String> {
    if let Some((len, hash)) = pending.eml_check
        && eml_check(eml) != (len, hash)
    {
        return Some(format!(
            "{} bytes where {len} were written, or other bytes",
            eml.len()
        ));
    }
    let Some(end) = eml.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Some("its headers have no end".into());
    };
    let head = String::from_utf8_lossy(&eml[..end]);
    let id = pending.message_id.trim_matches(['<', '>']);
    if !head
        .lines()
        .any(|l| l.to_ascii_lowercase().starts_with("message-id:") && l.contains(id))
    {
        return Some("its headers lack its Message-ID".into());
    }
    let closing = format!(
        "--papertrend-{:016x}--",
        crate::paper::stable_hash(pending.message_id.as_bytes())
    );
    let body = &eml[end..];
    if !body.windows(closing.len()).any(|w| w == closing.as_bytes()) {
        return Some("its body ends before its last part".into());
    }
    if pending.papers != pending.digest.paper_ids() {
        return Some("the papers it lists are not its digest's".into());
    }
    None
}

/// The instant new papers are stamped `first_seen` with: `now`, or one
/// second after the latest watermark recorded in the ledger or waiting in
/// the outbox, or the latest export cursor, when that is not earlier. Called under the data directory's
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
        .chain(crate::cursor::latest_until(data)?)
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
        let eml =
            crate::state::read_file(&eml_path).map_err(|e| Error::io(eml_path.display(), e))?;
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

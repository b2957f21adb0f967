//! Named cursors for `export --since-cursor NAME`: what a script has been
//! given so far.
//!
//! `<data>/state/cursors/<NAME>.json` holds the newest `first_seen` handed
//! out and the ids first seen at that instant (an ingest that started
//! earlier can commit papers with the same `first_seen` later; they are
//! still new). A call prints the papers first seen at or after that
//! instant that are not among those ids, and advances the cursor, with an
//! atomic write, only after its output was written and flushed. Calls on
//! one cursor take turns (`<NAME>.lock`), so two at once never both print
//! a paper.
//!
//! So each paper is printed by exactly one call that exits 0: a call that
//! fails or is killed before the advance leaves the cursor where it was,
//! and the next call prints those papers again.
//!
//! The clock does not decide what is new: an ingest stamps `first_seen`
//! after every cursor's `until` ([`latest_until`], read by
//! `digest::outbox::first_seen_stamp`, as for the ledger's watermarks), so
//! a clock stepped back still gives papers a cursor has not passed, and a
//! cursor advanced by a clock far ahead does not hide the papers ingested
//! after it. A cursor ahead of the clock is said ([`ahead_of`]).

use std::collections::HashSet;
use std::fs::File;
use std::path::PathBuf;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::paper::Paper;
use crate::state::{DataDir, write_atomic};

/// Version of a cursor file.
pub const CURSOR_VERSION: u32 = 1;

/// One cursor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    /// [`CURSOR_VERSION`].
    pub schema_version: u32,
    /// The newest `first_seen` handed out (`None`: nothing yet).
    pub until: Option<Timestamp>,
    /// Ids handed out whose `first_seen` is `until`.
    pub ids_at_until: Vec<String>,
    /// When it last advanced.
    pub advanced_at: Option<Timestamp>,
    /// How many papers it has handed out in all.
    pub total: u64,
}

/// A cursor, locked until dropped.
#[derive(Debug)]
pub struct Held {
    /// Its state when taken.
    pub cursor: Cursor,
    path: PathBuf,
    _lock: File,
}

/// Checks a cursor name: 1–64 letters, digits, `-`, `_` or `.`, not
/// starting with `.`.
///
/// # Errors
/// A name that could not be a file name (exit 2).
pub fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "cursor name {:?}: use 1-64 letters, digits, '-', '_' or '.'",
            crate::sanitize::sanitize_line(name)
        )))
    }
}

/// Takes the cursor `name` (waiting for another call on it) and reads it.
///
/// # Errors
/// A bad name, an unreadable or corrupt cursor file.
pub fn take(data: &DataDir, name: &str) -> Result<Held> {
    check_name(name)?;
    let dir = data.state().join("cursors");
    crate::state::create_dir(&dir)?;
    let lock_path = dir.join(format!("{name}.lock"));
    let lock = crate::state::open_lock_file(&lock_path, false)
        .map_err(|e| Error::io(lock_path.display(), e))?;
    lock.lock().map_err(|e| Error::io(lock_path.display(), e))?;
    let path = dir.join(format!("{name}.json"));
    let cursor = match crate::state::read_file(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map_err(|e| Error::Other(format!("{}: corrupt cursor: {e}", path.display())))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Cursor {
            schema_version: CURSOR_VERSION,
            ..Cursor::default()
        },
        Err(e) => return Err(Error::io(path.display(), e)),
    };
    Ok(Held {
        cursor,
        path,
        _lock: lock,
    })
}

/// The latest `until` of every cursor in `data` (`None` when there is
/// none): new papers are stamped after it.
///
/// # Errors
/// An unreadable cursor folder or a corrupt cursor file.
pub fn latest_until(data: &DataDir) -> Result<Option<Timestamp>> {
    let dir = data.state().join("cursors");
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(dir.display(), e)),
    };
    let mut latest = None;
    for entry in entries {
        let path = entry.map_err(|e| Error::io(dir.display(), e))?.path();
        if path.extension().is_some_and(|x| x == "json")
            && let Some(c) = crate::state::read_json::<Cursor>(&path)?
        {
            latest = latest.max(c.until);
        }
    }
    Ok(latest)
}

/// How far past `now` the stamp `t` is, when more than an hour: the sign
/// of a clock that is behind now, or was ahead when `t` was recorded.
pub fn ahead_of(t: Timestamp, now: Timestamp) -> Option<jiff::SignedDuration> {
    let d = t.duration_since(now);
    (d > jiff::SignedDuration::from_hours(1)).then_some(d)
}

impl Cursor {
    /// Of `papers` (first seen at or after `until`), those not handed out.
    pub fn new_papers(&self, papers: Vec<Paper>) -> Vec<Paper> {
        let given: HashSet<&str> = self.ids_at_until.iter().map(String::as_str).collect();
        papers
            .into_iter()
            .filter(|p| match (self.until, p.first_seen) {
                (None, _) => true,
                (Some(u), Some(f)) => f > u || (f == u && !given.contains(p.id.as_str())),
                (Some(_), None) => false,
            })
            .collect()
    }

    /// The cursor after handing out `papers`, at `now`.
    pub fn advanced(&self, papers: &[Paper], now: Timestamp) -> Cursor {
        let newest = papers.iter().filter_map(|p| p.first_seen).max();
        let until = match (self.until, newest) {
            (Some(u), Some(n)) => Some(u.max(n)),
            (u, n) => u.or(n),
        };
        let mut ids: Vec<String> = if until == self.until {
            self.ids_at_until.clone()
        } else {
            Vec::new()
        };
        ids.extend(
            papers
                .iter()
                .filter(|p| p.first_seen.is_some() && p.first_seen == until)
                .map(|p| p.id.clone()),
        );
        ids.sort();
        ids.dedup();
        Cursor {
            schema_version: CURSOR_VERSION,
            until,
            ids_at_until: ids,
            advanced_at: Some(now),
            total: self.total + papers.len() as u64,
        }
    }
}

impl Held {
    /// Saves `cursor` atomically (call only once the output is flushed).
    ///
    /// # Errors
    /// An I/O error.
    pub fn advance(&self, cursor: &Cursor) -> Result<()> {
        let mut bytes = serde_json::to_vec_pretty(cursor)
            .map_err(|e| Error::Other(format!("{}: cannot encode: {e}", self.path.display())))?;
        bytes.push(b'\n');
        write_atomic(&self.path, &bytes).map_err(|e| Error::io(self.path.display(), e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(id: &str, at: &str) -> Paper {
        Paper {
            id: id.into(),
            first_seen: Some(at.parse().unwrap()),
            ..Paper::default()
        }
    }

    #[test]
    fn papers_committed_late_with_the_same_first_seen_are_still_new() {
        let now: Timestamp = "2026-01-02T00:00:00Z".parse().unwrap();
        let c = Cursor::default();
        let first = vec![
            p("a", "2026-01-01T00:00:00Z"),
            p("b", "2026-01-01T07:00:00Z"),
        ];
        let c = c.advanced(&c.new_papers(first.clone()), now);
        assert_eq!(c.ids_at_until, ["b"]);
        assert_eq!(c.total, 2);
        // The same ingest commits "c" later, with b's first_seen.
        let again = vec![first[1].clone(), p("c", "2026-01-01T07:00:00Z")];
        let new = c.new_papers(again);
        assert_eq!(new.len(), 1);
        assert_eq!(new[0].id, "c");
        let c = c.advanced(&new, now);
        assert_eq!(c.ids_at_until, ["b", "c"]);
        assert!(
            c.new_papers(vec![p("c", "2026-01-01T07:00:00Z")])
                .is_empty()
        );
        let c2 = c.advanced(&[], now);
        assert_eq!((c2.until, c2.total), (c.until, 3));
        assert!(check_name("../x").is_err() && check_name("daily-mail_2").is_ok());
    }
}

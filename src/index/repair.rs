//! Damage to the index folder: finding it before tantivy opens (or
//! creates) an index there, and salvaging the papers of the segment files
//! left on disk.
//!
//! tantivy knows its segments only through `meta.json`. Without it,
//! `open_or_create` makes a new, empty index and its garbage collection
//! then deletes every old segment: a partial restore or a sync tool that
//! loses one file would cost every paper. So [`check`] runs first on every
//! open, and an index folder with segment files but no usable `meta.json`
//! is an error, never a new index.
//!
//! A `meta.json` put back from an older backup is readable and its
//! segments are all there, but it leaves out the segments committed after
//! it: their papers are invisible, and the next writer's garbage
//! collection would delete them. A segment on disk that `meta.json` does
//! not list is normal on its own: tantivy writes a segment before the
//! commit that lists it (an ingest running now, or one killed before its
//! commit), and deletes a merged segment's files only after the merge's
//! `meta.json` is written. Those segments are always in `.managed.json`,
//! tantivy's list of the files it wrote here (a file is added before it is
//! created, and removed after it is deleted), and the `meta.json` beside
//! them is the newest one written. So an unlisted segment is damage when
//! one of its files is not in `.managed.json` (it came from elsewhere), or
//! when `meta.json` is older than the last one papertrend wrote here:
//! [`COMMIT_RECORD`] keeps the opstamp of every `meta.json` written, and
//! an opstamp never goes backwards (a merge keeps its commit's).
//!
//! Salvage reads each segment's document store directly (every record is
//! stored whole, with its input fingerprints), skipping documents its
//! newest delete file marks deleted; a segment that cannot be read is
//! reported, not fatal. Two copies of one id (a merged segment not yet
//! collected) are merged with the record's own merge rule.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use tantivy::TantivyDocument;
use tantivy::directory::{Directory, ManagedDirectory, MmapDirectory};
use tantivy::fastfield::AliveBitSet;
use tantivy::schema::Value;
use tantivy::store::StoreReader;

use crate::paper::Paper;

/// tantivy's list of live segments.
pub const TANTIVY_META: &str = "meta.json";

/// tantivy's list of the files it wrote here (`ManagedDirectory`).
pub const TANTIVY_MANAGED: &str = ".managed.json";

/// papertrend's record of the last `meta.json` written here:
/// `{"opstamp": N}`, written after each one (see `record_commit`).
pub const COMMIT_RECORD: &str = "papertrend-commit.json";

/// Records the opstamp of `meta`, the `meta.json` just written in `dir`.
/// Best effort: a record that could not be written stays behind, which can
/// only hide a restored `meta.json`, never report a sound one as damaged.
pub(crate) fn record_commit(dir: &Path, meta: &[u8]) {
    let Some(opstamp) = serde_json::from_slice::<serde_json::Value>(meta)
        .ok()
        .and_then(|m| m.get("opstamp")?.as_u64())
    else {
        return;
    };
    let body = format!("{{\"opstamp\": {opstamp}}}\n");
    let _ = crate::state::write_atomic(&dir.join(COMMIT_RECORD), body.as_bytes());
}

/// The opstamp [`record_commit`] last recorded in `dir`, if any.
fn recorded_opstamp(dir: &Path) -> Option<u64> {
    let bytes = std::fs::read(dir.join(COMMIT_RECORD)).ok()?;
    serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()?
        .get("opstamp")?
        .as_u64()
}

/// The files tantivy lists as written here; empty when the list is
/// missing or unreadable.
fn managed_files(dir: &Path) -> HashSet<String> {
    std::fs::read(dir.join(TANTIVY_MANAGED))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// The files of one segment found on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentFiles {
    /// The segment id: 32 hex digits, as in the file names.
    pub id: String,
    /// Its files' extensions (`store`, `idx`, `3.del`, …), sorted.
    pub extensions: Vec<String>,
}

/// The segments in `dir`, by id (files named `<32 hex digits>.<ext>`).
///
/// # Errors
/// When `dir` cannot be listed.
pub fn segments_on_disk(dir: &Path) -> std::io::Result<Vec<SegmentFiles>> {
    let mut by_id: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some((id, ext)) = name.split_once('.') else {
            continue;
        };
        if id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()) && !ext.is_empty() {
            by_id
                .entry(id.to_ascii_lowercase())
                .or_default()
                .push(ext.to_string());
        }
    }
    Ok(by_id
        .into_iter()
        .map(|(id, mut extensions)| {
            extensions.sort();
            SegmentFiles { id, extensions }
        })
        .collect())
}

/// The segment ids `meta.json` lists, lowercase without dashes.
fn listed_segments(meta: &serde_json::Value) -> Option<Vec<String>> {
    meta.get("segments")?
        .as_array()?
        .iter()
        .map(|s| {
            s.get("segment_id")
                .and_then(serde_json::Value::as_str)
                .map(|id| id.replace('-', "").to_ascii_lowercase())
        })
        .collect()
}

/// Whether `dir` can be opened as an index without losing papers: `Ok`
/// when it does not exist, is empty of segments and of `meta.json`, or has
/// a readable `meta.json` whose segments are all on disk and which leaves
/// out no committed segment (see the module notes); otherwise what is
/// wrong, in words.
///
/// # Errors
/// The damage found, worded for the user.
pub fn check(dir: &Path) -> Result<(), String> {
    if !dir.exists() {
        return Ok(());
    }
    // Read before `meta.json`: a commit writes `meta.json` first, so a
    // commit racing this check can only make `meta.json` look newer.
    let recorded = recorded_opstamp(dir);
    let segments = segments_on_disk(dir).map_err(|e| format!("cannot list the folder: {e}"))?;
    let meta_path = dir.join(TANTIVY_META);
    let text = match std::fs::read(&meta_path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if segments.is_empty() {
                return Ok(());
            }
            return Err(format!(
                "`{TANTIVY_META}` is missing, but {} segment(s) are on disk",
                segments.len()
            ));
        }
        Err(e) => return Err(format!("cannot read `{TANTIVY_META}`: {e}")),
    };
    let meta: serde_json::Value = serde_json::from_slice(&text)
        .map_err(|e| format!("`{TANTIVY_META}` is not valid JSON ({e})"))?;
    let listed = listed_segments(&meta)
        .ok_or_else(|| format!("`{TANTIVY_META}` has no list of segments"))?;
    let missing: Vec<&String> = listed
        .iter()
        .filter(|id| {
            !segments
                .iter()
                .any(|s| &s.id == *id && s.extensions.iter().any(|e| e == "store"))
        })
        .collect();
    if let Some(first) = missing.first() {
        return Err(format!(
            "`{TANTIVY_META}` lists {} segment(s) whose files are missing (first: {first})",
            missing.len()
        ));
    }
    let unlisted: Vec<&SegmentFiles> = segments
        .iter()
        .filter(|s| !listed.contains(&s.id))
        .collect();
    let Some(first) = unlisted.first() else {
        return Ok(());
    };
    let opstamp = meta.get("opstamp").and_then(serde_json::Value::as_u64);
    if let (Some(meta_op), Some(last_op)) = (opstamp, recorded)
        && meta_op < last_op
    {
        return Err(format!(
            "`{TANTIVY_META}` is older than the last one written here (opstamp {meta_op}, \
             not {last_op}: restored from a backup?) and leaves out {} segment(s) on disk \
             (first: {})",
            unlisted.len(),
            first.id
        ));
    }
    // Read after listing the folder: tantivy adds a file to its list
    // before creating it, and deletes one before taking it off the list,
    // so a file still on disk now and not on the list was not written by
    // tantivy here.
    let managed = managed_files(dir);
    let foreign: Vec<&&SegmentFiles> = unlisted
        .iter()
        .filter(|s| {
            s.extensions.iter().any(|ext| {
                let name = format!("{}.{ext}", s.id);
                !managed.contains(&name) && dir.join(&name).exists()
            })
        })
        .collect();
    if let Some(first) = foreign.first() {
        return Err(format!(
            "{} segment(s) on disk are neither in `{TANTIVY_META}` nor among the files \
             tantivy wrote here (`{TANTIVY_MANAGED}`; restored from a backup?) (first: {})",
            foreign.len(),
            first.id
        ));
    }
    Ok(())
}

/// What [`salvage`] got out of the segment files.
#[derive(Debug, Default)]
pub struct Salvaged {
    /// Every live paper found, one per id, with its input fingerprints.
    pub papers: Vec<(Paper, Vec<u64>)>,
    /// How many segments were read.
    pub segments_read: usize,
    /// Segments that could not be read, with why.
    pub unreadable: Vec<(String, String)>,
    /// Stored documents whose record did not decode.
    pub bad_records: usize,
}

/// Reads every live paper out of the segment files in `dir`, without
/// `meta.json` and without changing anything on disk.
///
/// # Errors
/// When `dir` cannot be listed or opened as a directory.
pub fn salvage(dir: &Path) -> Result<Salvaged, String> {
    let segments = segments_on_disk(dir).map_err(|e| format!("cannot list the folder: {e}"))?;
    let mmap = MmapDirectory::open(dir).map_err(|e| e.to_string())?;
    let managed = ManagedDirectory::wrap(Box::new(mmap)).map_err(|e| e.to_string())?;
    let (_, fields) = super::schema::build();
    let mut by_id: BTreeMap<String, (Paper, Vec<u64>)> = BTreeMap::new();
    let mut out = Salvaged::default();
    for seg in &segments {
        if !seg.extensions.iter().any(|e| e == "store") {
            continue;
        }
        match read_segment(&managed, seg) {
            Ok(docs) => {
                out.segments_read += 1;
                for doc in docs {
                    let Some(bytes) = doc.get_first(fields.record).and_then(|v| v.as_bytes())
                    else {
                        out.bad_records += 1;
                        continue;
                    };
                    let Ok(paper) = serde_json::from_slice::<Paper>(bytes) else {
                        out.bad_records += 1;
                        continue;
                    };
                    let fps: Vec<u64> = doc
                        .get_all(fields.input_fp)
                        .filter_map(|v| v.as_u64())
                        .collect();
                    match by_id.get_mut(&paper.id) {
                        Some((kept, kept_fps)) => {
                            let first = match (kept.first_seen, paper.first_seen) {
                                (Some(a), Some(b)) => Some(a.min(b)),
                                (a, b) => a.or(b),
                            };
                            kept.merge(&paper);
                            kept.first_seen = first;
                            for fp in fps {
                                if !kept_fps.contains(&fp) {
                                    kept_fps.push(fp);
                                }
                            }
                        }
                        None => {
                            by_id.insert(paper.id.clone(), (paper, fps));
                        }
                    }
                }
            }
            Err(e) => out.unreadable.push((seg.id.clone(), e)),
        }
    }
    out.papers = by_id.into_values().collect();
    Ok(out)
}

/// The live documents of one segment: its store, minus what its newest
/// delete file (`<id>.<opstamp>.del`) marks deleted.
fn read_segment(
    dir: &ManagedDirectory,
    seg: &SegmentFiles,
) -> Result<Vec<TantivyDocument>, String> {
    let store = dir
        .open_read(&PathBuf::from(format!("{}.store", seg.id)))
        .map_err(|e| e.to_string())?;
    let reader = StoreReader::open(store, 1).map_err(|e| e.to_string())?;
    let newest_del = seg
        .extensions
        .iter()
        .filter_map(|e| e.strip_suffix(".del")?.parse::<u64>().ok())
        .max();
    let alive = match newest_del {
        Some(op) => {
            let file = dir
                .open_read(&PathBuf::from(format!("{}.{op}.del", seg.id)))
                .map_err(|e| e.to_string())?;
            let bytes = file.read_bytes().map_err(|e| e.to_string())?;
            Some(AliveBitSet::open(bytes))
        }
        None => None,
    };
    reader
        .iter::<TantivyDocument>(alive.as_ref())
        .map(|d| d.map_err(|e| e.to_string()))
        .collect()
}

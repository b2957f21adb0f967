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
//! Salvage reads each segment's document store directly (every record is
//! stored whole, with its input fingerprints), skipping documents its
//! newest delete file marks deleted; a segment that cannot be read is
//! reported, not fatal. Two copies of one id (a merged segment not yet
//! collected) are merged with the record's own merge rule.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tantivy::TantivyDocument;
use tantivy::directory::{Directory, ManagedDirectory, MmapDirectory};
use tantivy::fastfield::AliveBitSet;
use tantivy::schema::Value;
use tantivy::store::StoreReader;

use crate::paper::Paper;

/// tantivy's list of live segments.
pub const TANTIVY_META: &str = "meta.json";

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
/// a readable `meta.json` whose segments are all on disk; otherwise what
/// is wrong, in words.
///
/// # Errors
/// The damage found, worded for the user.
pub fn check(dir: &Path) -> Result<(), String> {
    if !dir.exists() {
        return Ok(());
    }
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

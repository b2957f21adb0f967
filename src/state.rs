//! The data directory: its layout, the run lock and atomic writes.
//!
//! Layout: `index/` (tantivy), `state/` (ledgers, outbox, HTTP cache),
//! `lock` (held by `run`, `fetch` and `ingest` while they write).

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Paths inside a data directory.
#[derive(Clone, Debug)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// A data directory rooted at `root` (not created until written).
    pub fn new(root: PathBuf) -> Self {
        DataDir { root }
    }

    /// The root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The tantivy index folder.
    pub fn index(&self) -> PathBuf {
        self.root.join("index")
    }

    /// The folder for ledgers, outbox and caches.
    pub fn state(&self) -> PathBuf {
        self.root.join("state")
    }

    /// The run lock file.
    pub fn lock_file(&self) -> PathBuf {
        self.root.join("lock")
    }
}

/// Writes `bytes` to `path` atomically: a temp file in the same folder,
/// fsync, rename, fsync of the folder. Readers see the old or the new
/// content, never a mix.
///
/// # Errors
/// Any I/O error.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

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

/// The data directory's run lock, held until dropped. Two overlapping `run`s
/// (or `digest --send`) never both send: the second gets
/// [`crate::error::Error::RunLocked`] at once. The operating system frees
/// the lock when the process dies, even on `kill -9`.
#[derive(Debug)]
pub struct RunLock {
    _file: File,
}

impl RunLock {
    /// Takes the lock on `<data>/lock` without waiting.
    ///
    /// # Errors
    /// [`crate::error::Error::RunLocked`] when another process holds it, or
    /// an I/O error creating the file.
    pub fn acquire(data: &DataDir) -> crate::error::Result<RunLock> {
        let path = data.lock_file();
        std::fs::create_dir_all(data.root())
            .map_err(|e| crate::error::Error::io(data.root().display(), e))?;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| crate::error::Error::io(path.display(), e))?;
        match file.try_lock() {
            Ok(()) => Ok(RunLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(crate::error::Error::RunLocked {
                path: path.display().to_string(),
            }),
            Err(std::fs::TryLockError::Error(e)) => Err(crate::error::Error::io(path.display(), e)),
        }
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

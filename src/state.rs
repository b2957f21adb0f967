//! The data directory: its layout, the run lock and atomic writes.
//!
//! Layout: `index/` (tantivy), `state/` (ledgers, outbox, HTTP cache),
//! `lock` (held by `run`, `fetch`, `ingest` and `digest --send` while they
//! write; see [`RunLock`]).

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

/// The data directory's lock, held until dropped. `run`, `fetch`,
/// `ingest` and `digest --send` take it for as long as they write, so a
/// digest's watermark is read and recorded with no ingest committing in
/// between (every committed paper lands in exactly one digest), and two
/// overlapping `run`s never both send: the second gets
/// [`crate::error::Error::RunLocked`] at once, naming the holder. The
/// operating system frees the lock when the holder dies, even on
/// `kill -9`; a hung holder is named with its pid and how long it has
/// held the lock, so it can be stopped.
#[derive(Debug)]
pub struct RunLock {
    _file: File,
}

/// From this long on, a lock holder is called probably hung.
const HUNG_AFTER_SECS: u64 = 3600;

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Who holds the lock, as its holder wrote it into the lock file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Holder {
    /// The holder's process id.
    pub pid: Option<u32>,
    /// The subcommand (`run`, `ingest`, …).
    pub command: Option<String>,
    /// How long it has held the lock, in seconds.
    pub held_secs: Option<u64>,
}

impl Holder {
    fn parse(text: &str) -> Holder {
        let mut h = Holder::default();
        for pair in text.split_whitespace() {
            match pair.split_once('=') {
                Some(("pid", v)) => h.pid = v.parse().ok(),
                Some(("command", v)) => {
                    h.command = Some(crate::sanitize::sanitize_line(v).chars().take(32).collect());
                }
                Some(("since", v)) => {
                    h.held_secs = v.parse::<u64>().ok().map(|t| unix_now().saturating_sub(t));
                }
                _ => {}
            }
        }
        h
    }

    /// `` `papertrend ingest` (pid 1234) for 3 min ``, as far as known.
    pub fn describe(&self) -> String {
        let mut s = match &self.command {
            Some(c) => format!("`papertrend {c}`"),
            None => "another papertrend process".to_string(),
        };
        if let Some(pid) = self.pid {
            s.push_str(&format!(" (pid {pid})"));
        }
        if let Some(secs) = self.held_secs {
            s.push_str(&format!(" for {}", human_secs(secs)));
        }
        s
    }

    /// What to do about it.
    pub fn hint(&self) -> String {
        let kill = self
            .pid
            .map_or_else(|| "stop it".to_string(), |p| format!("stop it (kill {p})"));
        if self.held_secs.is_some_and(|s| s >= HUNG_AFTER_SECS) {
            format!(
                "it has held the lock for over an hour and is probably hung: {kill}, then run \
                 again; the lock is freed when it exits"
            )
        } else {
            format!(
                "wait for it to finish, then try again; if it is hung, {kill}: the lock is \
                 freed when it exits"
            )
        }
    }
}

fn human_secs(s: u64) -> String {
    match s {
        0..120 => format!("{s} s"),
        120..7200 => format!("{} min", s / 60),
        _ => format!("{} h", s / 3600),
    }
}

impl RunLock {
    /// Takes the lock on `<data>/lock` without waiting, and writes who holds
    /// it (`command`, the pid, the time) into the file for a later waiter's
    /// message.
    ///
    /// # Errors
    /// [`crate::error::Error::RunLocked`] when another process holds it, or
    /// an I/O error creating the file (a read-only data directory is one
    /// clear line).
    pub fn acquire(data: &DataDir, command: &str) -> crate::error::Result<RunLock> {
        let path = data.lock_file();
        create_dir(data.root())?;
        let mut file =
            open_lock_file(&path, true).map_err(|e| crate::error::Error::io(path.display(), e))?;
        match file.try_lock() {
            Ok(()) => {
                // Best effort: the lock itself is what excludes, this line
                // only names the holder.
                let line = format!(
                    "pid={} command={command} since={}\n",
                    std::process::id(),
                    unix_now()
                );
                let _ = file
                    .set_len(0)
                    .and_then(|()| file.write_all(line.as_bytes()))
                    .and_then(|()| file.flush());
                Ok(RunLock { _file: file })
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                let text = read_file(&path)
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default();
                Err(crate::error::Error::RunLocked {
                    path: path.display().to_string(),
                    holder: Holder::parse(&text),
                })
            }
            Err(std::fs::TryLockError::Error(e)) => Err(crate::error::Error::io(path.display(), e)),
        }
    }
}

/// Creates the folder `dir` and its parents, saying what is wrong when a
/// part of it is a symbolic link to nothing (the operating system's
/// answer, "File exists", names neither the link nor its target).
///
/// # Errors
/// Any I/O error, with the path.
pub fn create_dir(dir: &Path) -> crate::error::Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists
            && let Some(link) = dir.ancestors().find(|a| {
                std::fs::symlink_metadata(a).is_ok_and(|m| m.file_type().is_symlink())
                    && !a.exists()
            })
        {
            let target = std::fs::read_link(link).unwrap_or_default();
            return crate::error::Error::Other(format!(
                "{}: is a symbolic link to {}, which does not exist; create that folder or \
                 point the link elsewhere",
                link.display(),
                target.display()
            ));
        }
        crate::error::Error::io(dir.display(), e)
    })
}

/// Opens (creating it owner-only, 0600) the lock file `path` for writing,
/// never through a symbolic link: a link planted at `path` is an error
/// naming it, and its target is neither opened nor truncated.
///
/// # Errors
/// Any I/O error; a symbolic link is one that says so.
pub fn open_lock_file(path: &Path, read: bool) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(read)
        .write(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .map_err(explain_link)
}

/// Reads the state file `path` whole, never through a symbolic link (see
/// [`open_lock_file`]).
///
/// # Errors
/// Any I/O error (`NotFound` when absent); a symbolic link is one that
/// says so.
pub fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .map_err(explain_link)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// `O_NOFOLLOW` on a symbolic link fails with `ELOOP` ("too many levels of
/// symbolic links"); say what it means instead.
fn explain_link(e: std::io::Error) -> std::io::Error {
    if e.raw_os_error() == Some(libc::ELOOP) {
        std::io::Error::new(
            e.kind(),
            "is a symbolic link; papertrend does not follow links for its lock and state \
             files (remove the link)",
        )
    } else {
        e
    }
}

/// Writes `bytes` to `path` atomically: a temp file in the same folder,
/// fsync, rename, fsync of the folder. Readers see the old or the new
/// content, never a mix.
///
/// # Errors
/// Any I/O error.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    prepare_atomic(path, bytes)?.commit()
}

/// Reads a JSON state file; `None` when it does not exist.
///
/// # Errors
/// An unreadable file, or one that does not decode ("corrupt state file",
/// with its path).
pub fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> crate::error::Result<Option<T>> {
    match read_file(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            crate::error::Error::Other(format!("{}: corrupt state file: {e}", path.display()))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(crate::error::Error::io(path.display(), e)),
    }
}

/// Writes `value` to `path` as pretty-printed JSON with a final newline,
/// atomically ([`write_atomic`]).
///
/// # Errors
/// An encoding or I/O error, with the path.
pub fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> crate::error::Result<()> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(|e| {
        crate::error::Error::Other(format!("{}: cannot encode: {e}", path.display()))
    })?;
    bytes.push(b'\n');
    write_atomic(path, &bytes).map_err(|e| crate::error::Error::io(path.display(), e))
}

/// The first half of [`write_atomic`]: the new content written and synced
/// to a temp file beside `path`; [`PreparedWrite::commit`] renames it into
/// place (dropping it instead leaves `path` as it was).
///
/// # Errors
/// Any I/O error.
pub fn prepare_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<PreparedWrite> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    std::fs::create_dir_all(&dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    Ok(PreparedWrite {
        tmp,
        path: path.to_path_buf(),
        dir,
    })
}

/// A write made durable but not yet visible; see [`prepare_atomic`].
#[derive(Debug)]
pub struct PreparedWrite {
    tmp: tempfile::NamedTempFile,
    path: PathBuf,
    dir: PathBuf,
}

impl PreparedWrite {
    /// Renames the prepared content into place and syncs the folder.
    ///
    /// # Errors
    /// Any I/O error.
    pub fn commit(self) -> std::io::Result<()> {
        self.tmp.persist(&self.path).map_err(|e| e.error)?;
        if let Ok(d) = File::open(&self.dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_hints_have_no_runs_of_spaces() {
        for held_secs in [Some(10), Some(HUNG_AFTER_SECS + 1)] {
            let hint = Holder {
                pid: Some(42),
                command: Some("run".into()),
                held_secs,
            }
            .hint();
            assert!(!hint.contains("  "), "{hint:?}");
            assert!(hint.contains("kill 42"), "{hint:?}");
        }
    }
}

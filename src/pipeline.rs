//! The ingest pipeline: bytes in, committed papers out. One input (a file,
//! stdin or an HTTP body) is un-gzipped, its format detected, parsed on a
//! thread of its own and handed over in order, in batches, to the thread
//! that merges and writes into an index [`Session`]. `ingest`, `fetch` and
//! `run` all go through it.
//!
//! Guarantees: records reach the session in input order; a bad record is a
//! [`Skipped`] entry (file:line and why), never a lost file; what parsed
//! before a fatal parse error is still written; a write error stops the
//! parser. Committing is the session's business, not this module's.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::app::App;
use crate::error::Error;
use crate::index::{IndexError, Session};
use crate::ingest::{self, Event, Format, Origin, ParseError, ParseStop, Stopped};

/// Why one input was not ingested (what parsed before a parse error is).
/// `fetch` fails the one source on the input's errors and stops on the
/// index's.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The input cannot be opened or read.
    #[error("{path}: {}", crate::error::io_reason(source))]
    Read {
        /// The file, `-` or URL.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A folder given where a file was expected.
    #[error("{path}: is a directory; pass the files inside it (or -r)")]
    Directory {
        /// The folder.
        path: String,
    },
    /// The input is not in the declared (or any detected) format.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// Writing to the index failed: fatal to the whole command.
    #[error(transparent)]
    Index(#[from] IndexError),
}

impl From<IngestError> for Error {
    fn from(e: IngestError) -> Self {
        match e {
            IngestError::Read { path, source } => Error::Io { path, source },
            e @ IngestError::Directory { .. } => Error::Usage(e.to_string()),
            IngestError::Parse(e) => Error::Parse(e),
            IngestError::Index(e) => Error::Index(e),
        }
    }
}

impl IngestError {
    fn read(path: &str, source: std::io::Error) -> Self {
        IngestError::Read {
            path: path.to_string(),
            source,
        }
    }
}

type Result<T, E = IngestError> = std::result::Result<T, E>;

/// A skipped record: where and why.
pub struct Skipped {
    /// `file:line`.
    pub at: String,
    /// Why.
    pub reason: String,
}

/// Ingests one path (or `-`) into an open session.
///
/// # Errors
/// The input cannot be read or is not in a supported format (with its
/// file and line), or the index failed.
pub fn ingest_path(
    app: &App,
    session: &mut Session<'_>,
    path: &Path,
    format: Format,
    skips: &mut Vec<Skipped>,
) -> Result<()> {
    let name = path.display().to_string();
    let reader: Box<dyn Read + Send> = if name == "-" {
        Box::new(std::io::stdin())
    } else {
        if path.is_dir() {
            return Err(IngestError::Directory { path: name });
        }
        Box::new(std::fs::File::open(path).map_err(|e| IngestError::read(&name, e))?)
    };
    let progress = progress_bar(app, path);
    let reader = ProgressReader {
        inner: reader,
        bar: progress.clone(),
    };
    ingest_reader(
        session,
        Box::new(BufReader::with_capacity(1 << 16, reader)),
        &name,
        format,
        skips,
    )?;
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    Ok(())
}

/// Ingests from any reader; `name` is used in messages.
///
/// # Errors
/// The input cannot be read or is not in a supported format (with its
/// file and line), or the index failed.
pub fn ingest_reader(
    session: &mut Session<'_>,
    input: Box<dyn BufRead + Send + '_>,
    name: &str,
    format: Format,
    skips: &mut Vec<Skipped>,
) -> Result<()> {
    let origin = Origin {
        path: name.to_string(),
    };
    let mut input = ingest::gunzip(input).map_err(|e| IngestError::read(name, e))?;
    let format = if format == Format::Auto {
        let head = input
            .fill_buf()
            .map_err(|e| IngestError::read(name, e))?
            .to_vec();
        if head.is_empty() {
            return Err(origin
                .error(Format::Auto, None, "empty input: nothing to ingest")
                .into());
        }
        ingest::detect(&head, name.strip_suffix(".gz").unwrap_or(name)).ok_or_else(|| {
            origin.error(Format::Auto, None, "unrecognised format (not hf-text, hf-json, arxiv-atom, arxiv-rss, arxiv-oai or jsonl); pass --format")
        })?
    } else {
        format
    };
    // Reading, parsing and cleaning run on a thread of their own and hand
    // the records over in order, in batches; this thread merges and writes
    // them. A re-ingest (all lookups) so runs on two cores, and a first
    // ingest keeps parsing while a commit flushes.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Event>>(QUEUED_BATCHES);
    std::thread::scope(|scope| {
        let origin = &origin;
        let parser = scope.spawn(move || {
            let mut batch = Vec::with_capacity(EVENTS_PER_BATCH);
            let parsed = {
                let mut emit = |event: Event| -> Result<(), Stopped> {
                    batch.push(event);
                    if batch.len() == EVENTS_PER_BATCH {
                        let full =
                            std::mem::replace(&mut batch, Vec::with_capacity(EVENTS_PER_BATCH));
                        // The receiver is gone only when writing failed; its
                        // error is the one reported.
                        tx.send(full).map_err(|_| Stopped)?;
                    }
                    Ok(())
                };
                ingest::parse(format, &mut input, origin, &mut emit)
            };
            // What parsed before a bad record is still ingested.
            if !batch.is_empty() {
                let _ = tx.send(batch);
            }
            parsed
        });
        let mut written: Result<()> = Ok(());
        'batches: for events in &rx {
            for event in events {
                match event {
                    Event::Paper(p) => {
                        if let Err(e) = session.upsert(*p) {
                            written = Err(IngestError::Index(e));
                            break 'batches;
                        }
                    }
                    Event::Skip { line, reason } => {
                        session.stats.skipped += 1;
                        skips.push(Skipped {
                            at: format!("{name}:{line}"),
                            reason,
                        });
                    }
                }
            }
        }
        drop(rx);
        let parsed = parser
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        written?;
        match parsed {
            Ok(()) => Ok(()),
            Err(ParseStop::Parse(e)) => Err(e.into()),
            // The writer stops taking events only on its error, returned above.
            Err(ParseStop::Stopped(Stopped)) => Ok(()),
        }
    })
}

/// Records handed from the parsing thread to the writing one at a time.
const EVENTS_PER_BATCH: usize = 128;
/// Batches parsed ahead of the writer at most.
const QUEUED_BATCHES: usize = 4;

/// The extensions of listing files, each also with `.gz`: what a folder
/// given as a `file` source stands for (a README or a `.csv` beside the
/// listings is left alone).
pub const LISTING_EXTENSIONS: [&str; 7] = ["json", "jsonl", "ndjson", "txt", "xml", "atom", "rss"];

/// Whether `path` is named like a listing file ([`LISTING_EXTENSIONS`]).
pub fn is_listing_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| LISTING_EXTENSIONS.contains(&e))
}

/// The listing files in `dir` (and its subfolders when `recursive`), in
/// name order, hidden files and folders skipped.
///
/// # Errors
/// A folder that cannot be listed.
pub fn listing_files(dir: &Path, recursive: bool) -> std::io::Result<Vec<PathBuf>> {
    let mut out = files_under(dir, recursive)?;
    out.retain(|p| is_listing_file(p));
    Ok(out)
}

/// Every file in `dir` (and its subfolders when `recursive`), in name order
/// folder by folder, hidden files and folders skipped. Symbolic links are
/// followed; a link back to a folder above it is an error, not an endless
/// walk.
///
/// # Errors
/// A folder that cannot be listed, or a symlink loop (the error names the
/// path).
pub fn files_under(dir: &Path, recursive: bool) -> std::io::Result<Vec<PathBuf>> {
    let walk = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .max_depth(if recursive { usize::MAX } else { 1 })
        .sort_by_file_name();
    let hidden =
        |e: &walkdir::DirEntry| e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
    let mut out = Vec::new();
    for entry in walk.into_iter().filter_entry(|e| !hidden(e)) {
        let entry = entry.map_err(|e| {
            // The caller names `dir`; a path below it is named here.
            let at = match e.path().filter(|p| *p != dir) {
                Some(p) => format!("{}: ", p.display()),
                None => String::new(),
            };
            let loop_to = e.loop_ancestor().map(|a| a.display().to_string());
            match (loop_to, e.into_io_error()) {
                (Some(to), _) => {
                    std::io::Error::other(format!("{at}a symbolic link loops back to {to}"))
                }
                (None, Some(io)) => std::io::Error::new(io.kind(), format!("{at}{io}")),
                (None, None) => std::io::Error::other(format!("{at}cannot be walked")),
            }
        })?;
        if !entry.file_type().is_dir() {
            out.push(entry.into_path());
        }
    }
    Ok(out)
}

fn progress_bar(app: &App, path: &Path) -> Option<indicatif::ProgressBar> {
    if !app.stderr_tty || app.quiet {
        return None;
    }
    let len = std::fs::metadata(path).ok()?.len();
    if len < 8 << 20 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len);
    // The figures take at most 47 columns ("1023.99 MiB/1023.99 MiB
    // 1023.99 MiB/s eta 59s"); the bar gets what is left of the width, so
    // the line never wraps (a wrapped bar redraws as a new line each tick).
    let width = crate::wrap::stderr_width().unwrap_or(app.width);
    let bar_len = width.saturating_sub(48).clamp(10, 40);
    if let Ok(style) = indicatif::ProgressStyle::with_template(&format!(
        "{{bar:{bar_len}}} {{bytes}}/{{total_bytes}} {{bytes_per_sec}} eta {{eta}}"
    )) {
        bar.set_style(style);
    }
    Some(bar)
}

struct ProgressReader<R> {
    inner: R,
    bar: Option<indicatif::ProgressBar>,
}

impl<R: Read> Read for ProgressReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(bar) = &self.bar {
            bar.inc(n as u64);
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_files_are_named_like_listings() {
        for yes in [
            "a.json",
            "b.JSONL",
            "c.txt.gz",
            "arxiv.atom",
            "feed.rss",
            "d.xml",
        ] {
            assert!(is_listing_file(Path::new(yes)), "{yes}");
        }
        for no in ["README.md", "notes.csv", "x.gz", "json", ".json.tmp"] {
            assert!(!is_listing_file(Path::new(no)), "{no}");
        }
    }
}

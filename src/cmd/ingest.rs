//! `papertrend ingest PATH|- ...`: expands the paths, runs each through
//! [`crate::pipeline`] in one index session, and reports.

use std::path::PathBuf;

use crate::Outcome;
use crate::app::App;
use crate::cli::IngestArgs;
use crate::error::{Error, Result};
use crate::exit;
use crate::index::IngestStats;
use crate::pipeline::{IngestError, Skipped, ingest_path};

/// Ingests every path (a directory with `-r`: every file under it), then
/// prints the one-line summary to stderr (on a terminal or with `-v`).
///
/// A file that cannot be read or is not a supported format is skipped with
/// its error and the rest go on (exit 3, PARTIAL); when no file could be
/// ingested at all, the error is the command's.
///
/// # Errors
/// A directory without `-r`, an index failure, or every file failing.
pub fn run(app: &App, args: &IngestArgs) -> Result<Outcome> {
    let started = std::time::Instant::now();
    let paths = expand(&args.paths, args.recursive)?;
    // Held for the whole session: a `run` reads and records its watermark
    // with no ingest committing in between (see `RunLock`).
    let _lock = crate::state::RunLock::acquire(&app.data, "ingest")?;
    let index = app.open_index_for_write()?;
    let cfg = &app.config.ingest;
    let now = crate::cmd::first_seen_stamp(app)?;
    let mut session = index.session(cfg.writer_memory_mb, cfg.batch_size, now)?;
    let mut skips = Vec::new();
    let mut failed: Vec<Error> = Vec::new();
    let mut fatal = None;
    for path in &paths {
        match ingest_path(app, &mut session, path, args.format, &mut skips) {
            Ok(()) => {}
            Err(IngestError::Index(e)) => {
                fatal = Some(Error::Index(e));
                break;
            }
            // The file's own fault: skip it, go on with the rest.
            Err(e) => failed.push(e.into()),
        }
    }
    // Whatever parsed before a failure is committed, never lost.
    let stats = session.finish()?;
    if let Some(e) = fatal {
        return Err(e);
    }
    if failed.len() == paths.len()
        && let Some(last) = failed.pop()
    {
        for e in &failed {
            app.warn(&format!("{e}; skipped"));
        }
        return Err(last);
    }
    for e in &failed {
        app.warn(&format!("{e}; skipped"));
    }
    report(app, &stats, &skips, failed.len(), started.elapsed());
    Ok(Outcome::new(if skips.is_empty() && failed.is_empty() {
        exit::OK
    } else {
        exit::PARTIAL
    }))
}

/// The files to ingest: each path as given, a directory (with `recursive`)
/// replaced by the files under it in name order, hidden entries skipped.
///
/// # Errors
/// A directory without `recursive`, or one that cannot be listed.
fn expand(paths: &[PathBuf], recursive: bool) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() != "-" && path.is_dir() {
            if !recursive {
                return Err(Error::Usage(format!(
                    "{}: is a directory; pass -r to ingest every file under it",
                    path.display()
                )));
            }
            out.extend(
                crate::pipeline::files_under(path, true)
                    .map_err(|e| Error::io(path.display(), e))?,
            );
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

/// Prints the skipped records (as warnings) and the summary line
/// (`2,840 papers: 2,840 added, 0 updated, 0 unchanged, 0 skipped in 0.9 s`):
/// as a warning when anything was skipped, else on a terminal or with `-v`
/// only, so cron stays quiet on success.
pub fn report(
    app: &App,
    stats: &IngestStats,
    skips: &[Skipped],
    failed_files: usize,
    elapsed: std::time::Duration,
) {
    const SHOWN: usize = 10;
    for s in skips.iter().take(SHOWN) {
        app.warn(&format!("{}: skipped: {}", s.at, s.reason));
    }
    if skips.len() > SHOWN {
        app.warn(&format!(
            "… and {} more skipped records",
            skips.len() - SHOWN
        ));
    }
    let papers = stats.added + stats.updated + stats.unchanged;
    let mut line = format!(
        "{} paper{}: {} added, {} updated, {} unchanged, {} skipped in {:.1} s",
        thousands(papers),
        if papers == 1 { "" } else { "s" },
        thousands(stats.added),
        thousands(stats.updated),
        thousands(stats.unchanged),
        thousands(stats.skipped),
        elapsed.as_secs_f64()
    );
    if failed_files > 0 {
        let s = if failed_files == 1 { "" } else { "s" };
        line.push_str(&format!("; {failed_files} file{s} could not be read"));
    }
    if skips.is_empty() && failed_files == 0 {
        app.note(&line);
    } else {
        app.warn(&line);
    }
}

/// `2840` as `2,840`.
pub fn thousands(n: impl Into<u64>) -> String {
    let digits = n.into().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0u64), "0");
        assert_eq!(thousands(999u64), "999");
        assert_eq!(thousands(2840u64), "2,840");
        assert_eq!(thousands(1_234_567u64), "1,234,567");
    }
}

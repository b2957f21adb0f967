//! `papertrend fetch [SOURCE ...] [--dry-run]`
//!
//! Orchestrates only: take the run lock, open the index, let
//! [`crate::fetch::fetch_into`] fetch, ingest and commit, then report. Quiet
//! on success; one warning line per failed source; exit 3 (partial) when
//! some failed, 1 when all did.

use std::io::Write;

use crate::Outcome;
use crate::app::App;
use crate::cli::FetchArgs;
use crate::error::{Error, Result};
use crate::exit;
use crate::state::RunLock;

/// Runs `fetch`.
///
/// # Errors
/// An unknown source name or no sources (usage), an index failure, or every
/// source failing (runtime failure; each failure is printed first).
pub fn run(app: &App, args: &FetchArgs) -> Result<Outcome> {
    if args.dry_run {
        let lines = crate::fetch::dry_run(app, &args.sources)?;
        let mut out = crate::sanitize::stdout();
        for line in lines {
            writeln!(out, "{}", crate::sanitize::sanitize_terminal(&line))
                .map_err(|e| Error::io("stdout", e))?;
        }
        return Ok(Outcome::new(exit::OK));
    }
    // The fetch state (cursors, stored validators) is shared with `run`, which
    // fetches too: one of them at a time.
    let _lock = RunLock::acquire(&app.data, "fetch")?;
    let index = app.open_index_for_write()?;
    let cfg = &app.config.ingest;
    let now = crate::cmd::first_seen_stamp(app)?;
    let mut session = index.session(cfg.writer_memory_mb, cfg.batch_size, now)?;
    let report = crate::fetch::fetch_into(app, &mut session, &args.sources);
    // Whatever was ingested is committed even when fetch_into failed late.
    let stats = session.finish()?;
    let report = report?;
    const SHOWN: usize = 10;
    for line in report.skipped.iter().take(SHOWN) {
        app.warn(&format!("skipped: {line}"));
    }
    if report.skipped.len() > SHOWN {
        app.warn(&format!(
            "… and {} more skipped records",
            report.skipped.len() - SHOWN
        ));
    }
    for line in report.failure_lines() {
        app.warn(&line);
    }
    app.info(&format!(
        "ingested: {} added, {} updated, {} unchanged, {} skipped",
        stats.added, stats.updated, stats.unchanged, stats.skipped
    ));
    if report.all_failed() {
        let n = report.sources.len();
        return Err(Error::Other(if n == 1 {
            "the only source failed; nothing was fetched".into()
        } else {
            format!("all {n} sources failed; nothing was fetched")
        }));
    }
    let partial = report.failed().next().is_some() || !report.skipped.is_empty();
    Ok(Outcome::new(if partial { exit::PARTIAL } else { exit::OK }))
}

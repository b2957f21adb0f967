//! `papertrend run`: the cron entry point.
//!
//! Order: take the run lock → fetch and ingest the configured sources → send
//! what waits in the outbox (oldest first, each once) → unless today's
//! digest was already delivered, build it and mail it (or print it when
//! e-mail is off). Quiet on success. Exit codes: 0 done (or nothing to do),
//! 1 a failure (a digest the server did not take stays in the outbox),
//! 3 delivered but some sources or records failed, 4 another run holds the
//! lock.

use crate::Outcome;
use crate::app::App;
use crate::cli::RunArgs;
use crate::digest::{self, Request, render::Renderer};
use crate::error::Result;
use crate::exit;
use crate::ledger::Ledger;
use crate::state::RunLock;

/// Runs the daily job.
///
/// # Errors
/// See the module doc.
pub fn run(app: &App, args: &RunArgs) -> Result<Outcome> {
    let _lock = RunLock::acquire(&app.data, "run")?;
    let index = app.open_index_for_write()?;
    let mut failures = Vec::new();
    let mut partial = false;
    if !args.no_fetch && app.config.sources.iter().any(|s| s.enabled()) {
        let cfg = &app.config.ingest;
        let now = crate::cmd::first_seen_stamp(app)?;
        let mut session = index.session(cfg.writer_memory_mb, cfg.batch_size, now)?;
        // HTTP and file sources alike; see `crate::fetch`.
        let report = crate::fetch::fetch_into(app, &mut session, &[]);
        session.finish()?;
        let report = report?;
        for line in report.failure_lines() {
            app.warn(&line);
            failures.push(line);
        }
        for s in report.skipped.iter().take(10) {
            app.warn(&format!("skipped: {s}"));
        }
        partial = !failures.is_empty() || !report.skipped.is_empty();
    }
    let outcome = Outcome::new(if partial { exit::PARTIAL } else { exit::OK });

    let mut ledger = Ledger::load(&app.data)?;
    digest::flush_outbox(app, &mut ledger)?;
    let now = app.clock.now();
    let date = digest::digest_day(&app.config, &ledger, now)?;
    let day = date.to_string();
    if ledger.sent_on(&day).is_some() && !args.force {
        // On a terminal a person is waiting for output; cron stays quiet.
        app.note(&format!(
            "the digest for {day} was already delivered; nothing to do (--force delivers it again)"
        ));
        return Ok(outcome);
    }
    let renderer = Renderer::for_config(&app.config.digest)?;
    let request = Request {
        date,
        now,
        include_seen: args.include_seen,
        source_failures: failures,
        feedback: crate::engine::feedback::Feedback::load(&index, &app.data)?,
    };
    let d = digest::build(&index, &app.config, &ledger, &request)?;
    if d.papers.is_empty() && !app.config.digest.send_empty {
        // Nothing picked for the reader (a mail of "Also popular" only is
        // not news): no mail, and the watermark stays, so the next digest
        // covers this day too.
        app.info(&format!(
            "{} for {day}: no digest sent (digest.send_empty = true sends one anyway)",
            if d.also_popular.is_empty() {
                "nothing new"
            } else {
                "nothing picked for you"
            }
        ));
        return Ok(outcome);
    }
    if app.config.mail.enabled {
        digest::mail(app, &mut ledger, &renderer, &d)?;
        app.info(&format!(
            "sent the digest for {day} ({} papers)",
            d.papers.len()
        ));
    } else {
        let dc = &app.config.digest;
        let to_terminal = app.stdout_tty && dc.out.is_none();
        let format = digest::choose_format(None, dc.format, to_terminal);
        digest::print(app, &mut ledger, &renderer, &d, format, dc.out.as_deref())?;
    }
    digest::write_feed(app, &ledger)?;
    Ok(outcome)
}

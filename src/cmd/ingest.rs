//! `papertrend ingest PATH|- ...`

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::Outcome;
use crate::app::App;
use crate::cli::IngestArgs;
use crate::error::{Error, Result};
use crate::exit;
use crate::index::{IngestStats, Session};
use crate::ingest::{self, Event, Format, Origin, ParseStop};

/// Ingests every path, then prints the one-line summary to stderr.
///
/// # Errors
/// A file that cannot be read or is not in the declared format (the index
/// keeps everything committed before it), or an index failure.
pub fn run(app: &App, args: &IngestArgs) -> Result<Outcome> {
    // Held for the whole session: a `run` reads and records its watermark
    // with no ingest committing in between (see `RunLock`).
    let _lock = crate::state::RunLock::acquire(&app.data, "ingest")?;
    let index = app.open_index_for_write()?;
    let cfg = &app.config.ingest;
    let now = crate::ledger::first_seen_stamp(&app.data, app.clock.now())?;
    let mut session = index.session(cfg.writer_memory_mb, cfg.batch_size, now)?;
    let mut skips = Vec::new();
    let mut result = Ok(());
    for path in &args.paths {
        if let Err(e) = ingest_path(app, &mut session, path, args.format, &mut skips) {
            result = Err(e);
            break;
        }
    }
    // Whatever parsed before a failure is committed, never lost.
    let stats = session.finish()?;
    result?;
    report(app, &stats, &skips);
    Ok(Outcome::new(if skips.is_empty() {
        exit::OK
    } else {
        exit::PARTIAL
    }))
}

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
/// As [`run`].
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
            return Err(Error::Usage(format!(
                "{name}: is a directory; pass the files inside it"
            )));
        }
        Box::new(std::fs::File::open(path).map_err(|e| Error::io(&name, e))?)
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
/// As [`run`].
pub fn ingest_reader(
    session: &mut Session<'_>,
    mut input: Box<dyn BufRead + Send + '_>,
    name: &str,
    format: Format,
    skips: &mut Vec<Skipped>,
) -> Result<()> {
    let origin = Origin {
        path: name.to_string(),
    };
    let format = if format == Format::Auto {
        let head = input.fill_buf().map_err(|e| Error::io(name, e))?.to_vec();
        if head.is_empty() {
            return Err(origin
                .error(Format::Auto, None, "empty input: nothing to ingest")
                .into());
        }
        ingest::detect(&head, name).ok_or_else(|| {
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
                let mut emit = |event: Event| -> Result<()> {
                    batch.push(event);
                    if batch.len() == EVENTS_PER_BATCH {
                        let full =
                            std::mem::replace(&mut batch, Vec::with_capacity(EVENTS_PER_BATCH));
                        // The receiver is gone only when writing failed; its
                        // error is the one reported.
                        tx.send(full)
                            .map_err(|_| Error::Usage("ingest stopped".into()))?;
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
                            written = Err(e.into());
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
            Err(ParseStop::Sink(e)) => Err(e),
        }
    })
}

/// Records handed from the parsing thread to the writing one at a time.
const EVENTS_PER_BATCH: usize = 128;
/// Batches parsed ahead of the writer at most.
const QUEUED_BATCHES: usize = 4;

/// Prints the summary line (always on `-v`; otherwise only when records
/// were skipped, as warnings) — quiet on success for cron.
pub fn report(app: &App, stats: &IngestStats, skips: &[Skipped]) {
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
    let line = format!(
        "ingested: {} added, {} updated, {} unchanged, {} skipped",
        stats.added, stats.updated, stats.unchanged, stats.skipped
    );
    if skips.is_empty() {
        app.info(&line);
    } else {
        app.warn(&line);
    }
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
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
    ) {
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

//! Fetching configured sources over HTTP and ingesting what they return.
//!
//! Owns `fetch` and the fetch step of `run`. Only this module imports reqwest
//! and tokio, and async stays inside it: [`fetch_into`] builds a
//! current-thread runtime, fetches every source concurrently (bounded by
//! `fetch.concurrency`), then ingests the bodies synchronously into the
//! caller's index session.
//!
//! Guarantees:
//! - one failing source never stops the others; its failure is reported in
//!   one line (source, URL, what failed, what happens next);
//! - cursors and HTTP validators are saved only after the index commit that
//!   ingested their data, so a crash at any point never skips papers;
//! - a 304 is a success with nothing new; an empty day (`[]`) is a success.
//!
//! Why one long file: the order of fetch, ingest, commit and the cursor saves
//! is the crash guarantee, and it is read in one place.

mod client;
mod sources;
mod state;

use crate::pipeline::IngestError;
use std::io::Cursor;

use serde::Serialize;

pub use sources::{ARXIV_API_BASE, ARXIV_RSS_BASE, HF_BASE};

use crate::app::App;
use crate::config::SourceConfig;
use crate::error::{Error, Result};
use crate::index::Session;
use crate::ingest::Format;
use crate::sanitize::{redact_url, redact_urls_in};
use sources::{SourcePlan, Target};
use state::FetchState;

/// From this many failed runs in a row, a failure line says so.
pub const STREAK_NOTICE: u32 = 3;

/// Why one source could not be fetched.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The server answered with an error status (after retries when the
    /// status is worth retrying).
    #[error("HTTP {status}{}", after(*attempts))]
    Status {
        /// The URL.
        url: String,
        /// The last status.
        status: u16,
        /// How many requests were sent.
        attempts: u32,
    },
    /// The server asked to wait longer than `fetch.max_backoff`.
    #[error(
        "HTTP {status} asking to retry after {seconds} s, longer than fetch.max_backoff allows"
    )]
    RetryAfterTooLong {
        /// The URL.
        url: String,
        /// The status (429 or 503 usually).
        status: u16,
        /// What `Retry-After` asked for.
        seconds: u64,
    },
    /// No usable response: timeout, refused connection, TLS, DNS, …
    #[error("{reason}{}", after(*attempts))]
    Transport {
        /// The URL.
        url: String,
        /// What happened, in a few words.
        reason: String,
        /// How many requests were sent.
        attempts: u32,
    },
    /// The response is not the format the source promises.
    #[error(
        "response is not {expected}{}: {reason}",
        content_type.as_deref().map(|c| format!(" (Content-Type: {c})")).unwrap_or_default()
    )]
    Format {
        /// The URL.
        url: String,
        /// What was expected: `hf-json`, or "a supported listing format".
        expected: String,
        /// The parser's complaint.
        reason: String,
        /// The response's `Content-Type`, when sent.
        content_type: Option<String>,
    },
    /// A `file` source could not be read or parsed.
    #[error("{reason}")]
    File {
        /// The path.
        url: String,
        /// Why.
        reason: String,
    },
}

fn after(attempts: u32) -> String {
    if attempts > 1 {
        format!(" after {attempts} attempts")
    } else {
        String::new()
    }
}

impl FetchError {
    /// The URL (or path) that failed.
    pub fn url(&self) -> &str {
        match self {
            FetchError::Status { url, .. }
            | FetchError::RetryAfterTooLong { url, .. }
            | FetchError::Transport { url, .. }
            | FetchError::Format { url, .. }
            | FetchError::File { url, .. } => url,
        }
    }
}

/// How one source went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SourceStatus {
    /// Got listings (possibly empty): how many records, how many new papers.
    Fetched {
        /// Records ingested (new, updated and unchanged).
        papers: u64,
        /// Papers new to the index.
        added: u64,
    },
    /// Every response was 304 Not Modified.
    NotModified,
    /// The source failed; whatever it got before failing was ingested.
    Failed {
        /// The URL (or path) that failed.
        url: String,
        /// What failed, e.g. `HTTP 503 after 3 attempts`.
        reason: String,
        /// Runs in a row this source has failed, this one included.
        consecutive: u32,
        /// Records ingested before the failure.
        papers: u64,
    },
}

/// The result for one source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourceReport {
    /// The source's name.
    pub name: String,
    /// What happened.
    #[serde(flatten)]
    pub status: SourceStatus,
    /// How many HTTP requests were sent (retries included).
    pub requests: u32,
}

impl SourceReport {
    /// The one-line report: `source "hf" (URL): HTTP 503 after 3 attempts;
    /// will retry next run (failing for 3 runs in a row)` for a failure,
    /// `source "hf": 12 papers, 5 new` otherwise.
    pub fn line(&self) -> String {
        match &self.status {
            SourceStatus::Fetched { papers, added } => format!(
                "source {:?}: {papers} papers, {added} new ({} request{})",
                self.name,
                self.requests,
                if self.requests == 1 { "" } else { "s" }
            ),
            SourceStatus::NotModified => {
                format!("source {:?}: not modified since the last run", self.name)
            }
            SourceStatus::Failed {
                url,
                reason,
                consecutive,
                papers,
            } => {
                let kept = if *papers > 0 {
                    format!(" ({papers} papers fetched before it were kept)")
                } else {
                    String::new()
                };
                let streak = if *consecutive >= STREAK_NOTICE {
                    format!(" (failing for {consecutive} runs in a row)")
                } else {
                    String::new()
                };
                // A local file that is missing or unreadable is not a network
                // hiccup: retrying will not fix it, the config (or the file) will.
                let next = if url.starts_with("http://") || url.starts_with("https://") {
                    "will retry next run"
                } else {
                    "check the path (`papertrend config check` lists missing files)"
                };
                format!(
                    "source {:?} ({url}): {reason}; {next}{kept}{streak}",
                    self.name
                )
            }
        }
    }

    /// Whether this source failed.
    pub fn is_failed(&self) -> bool {
        matches!(self.status, SourceStatus::Failed { .. })
    }
}

/// What a fetch did, source by source (in config order).
#[derive(Clone, Debug, Default, Serialize)]
pub struct FetchReport {
    /// One entry per source fetched.
    pub sources: Vec<SourceReport>,
    /// Malformed records skipped while ingesting, as `url:entry: reason`
    /// (printed as `skipped: …`).
    pub skipped: Vec<String>,
}

impl FetchReport {
    /// The sources that failed.
    pub fn failed(&self) -> impl Iterator<Item = &SourceReport> {
        self.sources.iter().filter(|s| s.is_failed())
    }

    /// Whether every source failed (and there was at least one).
    pub fn all_failed(&self) -> bool {
        !self.sources.is_empty() && self.sources.iter().all(SourceReport::is_failed)
    }

    /// One line per source (see [`SourceReport::line`]).
    pub fn summary_lines(&self) -> Vec<String> {
        self.sources.iter().map(SourceReport::line).collect()
    }

    /// One line per failed source, for warnings.
    pub fn failure_lines(&self) -> Vec<String> {
        self.failed().map(SourceReport::line).collect()
    }
}

/// The sources to fetch: every enabled one, or exactly those named (a
/// disabled source named explicitly is fetched too).
///
/// # Errors
/// [`Error::Usage`] for an unknown name (listing the configured ones) or
/// when no source is configured.
fn select<'a>(app: &'a App, only: &[String]) -> Result<Vec<&'a SourceConfig>> {
    let all = &app.config.sources;
    let names = || {
        all.iter()
            .map(SourceConfig::name)
            .collect::<Vec<_>>()
            .join(", ")
    };
    if all.is_empty() {
        return Err(Error::Usage(
            "no sources configured: add a [[sources]] table to the config file \
             (see `papertrend config init`)"
                .into(),
        ));
    }
    if only.is_empty() {
        let enabled: Vec<_> = all.iter().filter(|s| s.enabled()).collect();
        if enabled.is_empty() {
            return Err(Error::Usage(format!(
                "every source is disabled (configured: {})",
                names()
            )));
        }
        return Ok(enabled);
    }
    let mut chosen = Vec::new();
    for name in only {
        match all.iter().find(|s| s.name() == name) {
            Some(s) if !chosen.iter().any(|c: &&SourceConfig| c.name() == s.name()) => {
                chosen.push(s)
            }
            Some(_) => {}
            None => {
                return Err(Error::Usage(format!(
                    "unknown source {name:?} (configured: {})",
                    names()
                )));
            }
        }
    }
    Ok(chosen)
}

fn state_path(app: &App) -> std::path::PathBuf {
    app.data.state().join("fetch.json")
}

fn load_state(app: &App) -> FetchState {
    FetchState::load(&state_path(app)).unwrap_or_else(|e| {
        app.warn(&format!(
            "{e}; starting afresh (the next fetch may repeat some requests)"
        ));
        FetchState::default()
    })
}

fn today(app: &App) -> jiff::civil::Date {
    // The reader's day in UTC: HF's `date=` and arXiv's listings are UTC-based.
    jiff::tz::TimeZone::UTC.to_datetime(app.clock.now()).date()
}

/// What `fetch --dry-run` prints: one line per request that would be sent.
///
/// # Errors
/// As [`fetch_into`]'s source selection.
pub fn dry_run(app: &App, only: &[String]) -> Result<Vec<String>> {
    let chosen = select(app, only)?;
    let state = load_state(app);
    let today = today(app);
    let mut lines = Vec::new();
    for src in chosen {
        let plan = sources::plan_source(src, state.sources.get(src.name()), today);
        match &plan.target {
            Target::File(p, _) => lines.push(format!("{}: read {}", plan.name, p.display())),
            Target::Urls(urls) => {
                for u in urls {
                    let cond = match &u.cached {
                        Some(v) if v.etag.is_some() => " (conditional: If-None-Match)",
                        Some(v) if !v.is_empty() => " (conditional: If-Modified-Since)",
                        _ => "",
                    };
                    lines.push(format!("{}: GET {}{cond}", plan.name, redact_url(&u.url)));
                }
            }
            Target::Pages(p) => {
                lines.push(format!("{}: GET {}", plan.name, redact_url(&p.url(0))));
                if p.max_pages > 1 {
                    lines.push(format!(
                        "{}: … then up to {} more pages of {}, {} ms apart, until known papers",
                        plan.name,
                        p.max_pages - 1,
                        p.page_size,
                        p.delay.as_millis()
                    ));
                }
            }
        }
    }
    Ok(lines)
}

/// Fetches every enabled source (or only those named), ingests what they
/// return into `session`, commits it, and only then records cursors, HTTP
/// validators and failure streaks in `<data>/state/fetch.json`.
///
/// Source failures are not errors: they are in the returned report.
///
/// # Errors
/// [`Error::Usage`] for an unknown source name or no sources; an index
/// error while ingesting or committing (then nothing is recorded).
pub fn fetch_into(app: &App, session: &mut Session<'_>, only: &[String]) -> Result<FetchReport> {
    let chosen = select(app, only)?;
    let mut state = load_state(app);
    let today = today(app);
    let plans: Vec<SourcePlan> = chosen
        .iter()
        .map(|s| sources::plan_source(s, state.sources.get(s.name()), today))
        .collect();
    let http = client::Http::new(&app.config.fetch, app.verbose > 0 && !app.quiet)
        .map_err(Error::Other)?;
    let harvests = run_jobs(&http, &plans, app.config.fetch.concurrency)?;

    // Ingest, source by source, in config order.
    let mut report = FetchReport::default();
    let mut updates = Vec::new();
    for ((src, plan), harvest) in chosen.iter().zip(&plans).zip(harvests) {
        let (src_report, update) = ingest_source(
            app,
            session,
            src,
            plan,
            harvest,
            &state,
            &mut report.skipped,
        )?;
        // Failures are the caller's to report (as warnings); -v adds the rest.
        if !src_report.is_failed() {
            app.info(&src_report.line());
        }
        report.sources.push(src_report);
        updates.push((src.name().to_string(), update));
    }
    // The commit comes first: state describing uncommitted papers would make
    // the next run skip them after a crash.
    session.commit()?;
    let now = app.clock.now();
    for (name, update) in updates {
        let entry = state.sources.entry(name).or_default();
        update.apply(entry, now);
    }
    if let Err(e) = state.save(&state_path(app)) {
        app.warn(&format!(
            "cannot save fetch state: {e}; the next run fetches again"
        ));
    }
    Ok(report)
}

fn run_jobs(
    http: &client::Http,
    plans: &[SourcePlan],
    concurrency: usize,
) -> Result<Vec<sources::Harvest>> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Other(format!("cannot start the HTTP runtime: {e}")))?;
    rt.block_on(async {
        let permits = std::sync::Arc::new(tokio::sync::Semaphore::new(concurrency.max(1)));
        let mut set = tokio::task::JoinSet::new();
        for (i, plan) in plans.iter().enumerate() {
            let (http, plan, permits) = (http.clone(), plan.clone(), permits.clone());
            set.spawn(async move {
                let _permit = permits.acquire_owned().await.ok();
                (i, sources::harvest(http, plan).await)
            });
        }
        let mut out: Vec<Option<sources::Harvest>> = plans.iter().map(|_| None).collect();
        while let Some(joined) = set.join_next().await {
            let (i, h) = joined.map_err(|e| Error::Other(format!("a fetch task failed: {e}")))?;
            if let Some(slot) = out.get_mut(i) {
                *slot = Some(h);
            }
        }
        Ok(out.into_iter().map(Option::unwrap_or_default).collect())
    })
}

/// What to record for a source once the commit is done.
struct Update {
    failed: Option<String>,
    last_day: Option<jiff::civil::Date>,
    newest: Option<jiff::Timestamp>,
    http: Vec<(String, state::Validators)>,
    keep_urls: Vec<String>,
}

impl Update {
    fn apply(self, s: &mut state::SourceState, now: jiff::Timestamp) {
        if let Some(d) = self.last_day {
            s.last_day = Some(s.last_day.map_or(d, |old| old.max(d)));
        }
        if let Some(t) = self.newest {
            s.newest = Some(s.newest.map_or(t, |old| old.max(t)));
        }
        // Keep validators only for URLs this run asked for (old day-URLs age
        // out); 304s keep theirs, new bodies replace them.
        s.http.retain(|url, _| self.keep_urls.contains(url));
        for (url, v) in self.http {
            if v.is_empty() {
                s.http.remove(&url);
            } else {
                s.http.insert(url, v);
            }
        }
        match self.failed {
            Some(reason) => {
                s.consecutive_failures = s.consecutive_failures.saturating_add(1);
                s.last_error = Some(reason);
            }
            None => {
                s.consecutive_failures = 0;
                s.last_error = None;
                s.last_success = Some(now);
            }
        }
    }
}

fn ingest_source(
    app: &App,
    session: &mut Session<'_>,
    src: &SourceConfig,
    plan: &SourcePlan,
    harvest: sources::Harvest,
    state: &FetchState,
    skipped: &mut Vec<String>,
) -> Result<(SourceReport, Update)> {
    let before = session.stats.clone();
    let mut update = Update {
        failed: None,
        last_day: None,
        newest: None,
        http: Vec::new(),
        keep_urls: Vec::new(),
    };
    let mut error = harvest.error;
    let mut bodies = 0usize;
    let mut skips = Vec::new();
    if let Target::File(path, recursive) = &plan.target {
        let files = if path.is_dir() {
            crate::pipeline::listing_files(path, *recursive).map_err(|source| IngestError::Read {
                path: path.display().to_string(),
                source,
            })
        } else {
            Ok(vec![path.clone()])
        };
        match files {
            Ok(files) => {
                for file in files {
                    let res =
                        crate::pipeline::ingest_path(app, session, &file, plan.format, &mut skips);
                    // One bad file fails the source but not the files after it.
                    match res {
                        Err(e) => {
                            let e = source_error(e, file.display().to_string(), plan.format, None)?;
                            error.get_or_insert(e);
                        }
                        Ok(_) => bodies += 1,
                    }
                }
            }
            Err(e) => {
                error = Some(source_error(
                    e,
                    path.display().to_string(),
                    plan.format,
                    None,
                )?)
            }
        }
    }
    for got in harvest.got {
        update.keep_urls.push(got.url.clone());
        let Some(body) = got.body else {
            // 304: the data is already in the index.
            if got.day.is_some() {
                update.last_day = got.day;
            }
            continue;
        };
        bodies += 1;
        let input = Box::new(Cursor::new(body.bytes));
        let res = crate::pipeline::ingest_reader(session, input, &got.url, plan.format, &mut skips);
        if let Err(e) = res {
            error = Some(source_error(
                e,
                got.url.clone(),
                plan.format,
                body.content_type,
            )?);
            break;
        }
        update.http.push((got.url, body.validators));
        if got.day.is_some() {
            update.last_day = got.day;
        }
    }
    skipped.extend(
        skips
            .into_iter()
            .map(|s| redact_urls_in(&format!("{}: {}", s.at, s.reason))),
    );
    let papers = (session.stats.added + session.stats.updated + session.stats.unchanged)
        - (before.added + before.updated + before.unchanged);
    let added = session.stats.added - before.added;
    let status = match error {
        Some(e) => {
            let consecutive = state
                .sources
                .get(src.name())
                .map_or(0, |s| s.consecutive_failures)
                .saturating_add(1);
            let reason = redact_urls_in(&e.to_string());
            update.failed = Some(reason.clone());
            // A paged search that broke off must page again from the top;
            // hf-daily keeps the days committed before the failure.
            update.newest = None;
            SourceStatus::Failed {
                url: redact_url(e.url()),
                reason,
                consecutive,
                papers,
            }
        }
        None => {
            update.newest = harvest.newest;
            if bodies == 0 {
                SourceStatus::NotModified
            } else {
                SourceStatus::Fetched { papers, added }
            }
        }
    };
    Ok((
        SourceReport {
            name: src.name().to_string(),
            status,
            requests: harvest.requests,
        },
        update,
    ))
}

/// Turns an ingest error into the source's failure; index errors stay fatal.
fn source_error(
    e: IngestError,
    url: String,
    format: Format,
    content_type: Option<String>,
) -> Result<FetchError> {
    match e {
        IngestError::Parse(p) => Ok(FetchError::Format {
            url,
            expected: if format == Format::Auto {
                "a supported listing format".into()
            } else {
                format.to_string()
            },
            reason: match p.line {
                Some(l) => format!("entry {l}: {}", p.reason),
                None => p.reason,
            },
            content_type,
        }),
        IngestError::Read { source, .. } => Ok(FetchError::File {
            url,
            reason: crate::error::io_reason(&source),
        }),
        e @ IngestError::Directory { .. } => Ok(FetchError::File {
            url,
            reason: e.to_string(),
        }),
        IngestError::Index(e) => Err(e.into()),
    }
}

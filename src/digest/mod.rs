//! The daily digest: choosing its papers, building the model, rendering it,
//! and delivering it exactly once.
//!
//! - [`select`]: the window (a watermark, not "the last N days") and what is
//!   left out because it was sent before; calls the ranking;
//! - [`model`]: the [`Digest`] every format is rendered from;
//! - [`render`]: minijinja templates (Markdown, HTML, text, subject) and JSON;
//! - [`outbox`]: digests waiting to be sent, and the archive of those sent.
//!
//! Delivery ([`mail()`], [`print()`], [`flush_outbox`]) goes through the
//! [`outbox`] and the ledger in [`crate::ledger`]: a digest is written to the outbox before it
//! is sent, recorded as sent only after the server's 250, and a digest the
//! server did not take is sent by the next run, once. "The day" is the
//! reader's day in `[digest] timezone`.

pub mod feed;
pub mod model;
pub mod outbox;
pub mod render;
pub mod select;

use std::io::Write;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::app::App;
use crate::config::{Config, DigestFormat, MailConfig};
use crate::error::{Error, Result};
use crate::index::Index;
use crate::ledger::{Delivery, Ledger, SentDigest};
use crate::mail::Built;
use model::{Counts, Digest, DigestPaper, EntryOptions, RisingTopic};
use outbox::Pending;
use render::Renderer;

/// The reader's time zone from config.
///
/// # Errors
/// An unknown zone name (also caught by config validation).
pub fn time_zone(config: &Config) -> Result<TimeZone> {
    TimeZone::get(&config.digest.timezone).map_err(|e| {
        Error::Usage(format!(
            "`digest.timezone` {:?}: {e}",
            config.digest.timezone
        ))
    })
}

/// The reader's day at `now`.
///
/// # Errors
/// As [`time_zone`].
pub fn today(config: &Config, now: Timestamp) -> Result<Date> {
    Ok(now.to_zoned_datetime(time_zone(config)?).date())
}

/// The day of the digest a run builds at `now`: the reader's day, but
/// never before the latest day a digest was delivered for. A digest day
/// that went backwards (`digest.timezone` moved west, the clock stepped
/// back over midnight) would build the earlier day's digest, whose pool
/// (papers since that day's watermark, minus earlier days' digests) holds
/// the papers just sent: they would be sent again.
///
/// # Errors
/// As [`time_zone`].
pub fn digest_day(config: &Config, ledger: &Ledger, now: Timestamp) -> Result<Date> {
    let today = today(config, now)?;
    let latest = ledger
        .digests
        .iter()
        .filter_map(|d| d.date.parse::<Date>().ok())
        .max();
    Ok(latest.map_or(today, |l| l.max(today)))
}

/// The last instant of `date` in the reader's zone (the start of the next
/// day minus one second).
///
/// # Errors
/// As [`time_zone`], or a date at the end of time.
pub fn end_of_day(config: &Config, date: Date) -> Result<Timestamp> {
    let tz = time_zone(config)?;
    let next = date
        .tomorrow()
        .map_err(|_| {
            Error::Usage(format!(
                "date {date}: the last day a digest can be built for is 9999-12-30"
            ))
        })?
        .to_zoned_datetime(tz)
        .map_err(|e| Error::Usage(format!("date {date}: {e}")))?;
    next.timestamp()
        .checked_sub(jiff::SignedDuration::from_secs(1))
        .map_err(|e| Error::Usage(format!("date {date}: {e}")))
}

/// What to build.
#[derive(Clone, Debug)]
pub struct Request {
    /// The reader's day.
    pub date: Date,
    /// The build time (the clock).
    pub now: Timestamp,
    /// Include papers listed by earlier digests.
    pub include_seen: bool,
    /// One line per source that failed in this run.
    pub source_failures: Vec<String>,
    /// The reader's mutes and learned profile.
    pub feedback: crate::engine::feedback::Feedback,
}

/// Builds the digest of `req.date` from the shared selection
/// ([`select::select`]): the papers that match the reader (each missed day
/// with its share), "also popular", rising topics and counts.
///
/// # Errors
/// An index or config failure.
pub fn build(index: &Index, config: &Config, ledger: &Ledger, req: &Request) -> Result<Digest> {
    let day = select::Day {
        date: req.date,
        now: req.now,
        include_seen: req.include_seen,
    };
    let sel = select::select(index, config, ledger, &day, &req.feedback)?;
    let dc = &config.digest;
    let opts = EntryOptions {
        max_authors: dc.max_authors,
        teaser_chars: dc.include_abstract_chars,
        teaser_from_summary: dc.teaser == crate::config::Teaser::Summary,
        fallback_terms: config.interests.keywords.keys().cloned().collect(),
    };
    let several = sel.selection.days.len() > 1;
    // Spread and the score's arithmetic are for `explain`, not the mail.
    let entry = |p: &crate::rank::select::Pick| {
        let mut e = DigestPaper::from_ranked(p.position, &p.ranked, &opts);
        if several {
            e.day = Some(p.day.to_string());
        }
        e
    };
    let papers: Vec<DigestPaper> = sel.selection.main.iter().map(entry).collect();
    let also_popular: Vec<DigestPaper> = sel.selection.also_popular.iter().map(entry).collect();
    // "New" is what the reader has not been sent: the pool less the papers
    // an earlier digest listed.
    let counts = Counts {
        new: sel.considered.saturating_sub(sel.already_sent),
        passed: sel
            .considered
            .saturating_sub(sel.excluded + sel.already_sent),
        matched: sel.selection.matched,
        already_sent: sel.already_sent,
        shown: papers.len(),
    };
    // A day with nothing new (a weekend, a holiday) lists what is still
    // fresh from an earlier day: say so, and from when.
    let leftover_from = sel
        .leftover_day
        .filter(|_| sel.new_since == 0 && sel.since.is_some() && counts.new > 0)
        .map(|d| weekday(d).to_string());
    let notices = notices(
        &counts,
        &req.source_failures,
        sel.since.is_none(),
        leftover_from.as_deref(),
    );
    Ok(Digest {
        schema_version: model::DIGEST_SCHEMA_VERSION,
        date: req.date.to_string(),
        timezone: dc.timezone.clone(),
        generated_at: req.now,
        title: crate::sanitize::one_line(&dc.title),
        since: sel.since,
        until: sel.until,
        papers,
        also_popular,
        days: if several {
            sel.selection.days.iter().map(ToString::to_string).collect()
        } else {
            Vec::new()
        },
        rising: sel
            .rising
            .into_iter()
            .take(dc.topics)
            .map(|t| RisingTopic {
                phrase: crate::sanitize::one_line(&t.phrase),
                ..t
            })
            .collect(),
        rising_window: crate::words::span(config.trends.window.seconds()),
        rising_baseline: crate::words::span(config.trends.baseline.seconds()),
        counts,
        notices,
        leftover_from,
    })
}

/// The English name of `date`'s weekday.
fn weekday(date: Date) -> &'static str {
    match date.weekday() {
        jiff::civil::Weekday::Monday => "Monday",
        jiff::civil::Weekday::Tuesday => "Tuesday",
        jiff::civil::Weekday::Wednesday => "Wednesday",
        jiff::civil::Weekday::Thursday => "Thursday",
        jiff::civil::Weekday::Friday => "Friday",
        jiff::civil::Weekday::Saturday => "Saturday",
        jiff::civil::Weekday::Sunday => "Sunday",
    }
}

/// The plain sentences at the top of a digest.
fn notices(c: &Counts, failures: &[String], first: bool, leftover: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = failures.to_vec();
    if c.new == 0 {
        out.push(if !failures.is_empty() {
            "no new papers (and some sources failed, see above)".into()
        } else if first {
            "no papers yet: the index is empty".into()
        } else {
            "no new papers from any source since the last digest".into()
        });
    } else if c.passed == 0 && c.already_sent == 0 {
        out.push(format!("0 of {} papers passed your filters", c.new));
    } else if c.shown == 0 && c.passed > 0 && c.matched == 0 {
        out.push(match leftover {
            Some(day) => format!(
                "nothing new since the last digest, and none of the {} papers still fresh from \
                 {day} matches your interests",
                c.passed
            ),
            None => format!("none of the {} new papers matches your interests", c.passed),
        });
    } else if c.shown == 0 && c.already_sent > 0 {
        out.push(format!(
            "all {} new papers that passed your filters were in earlier digests",
            c.already_sent
        ));
    }
    out
}

/// Renders `digest` in `format`; `eml` is the exact message `mail` would
/// send (with `[mail]` from `mail`).
///
/// # Errors
/// A template error, or an unusable address for `eml`.
pub fn render_format(
    renderer: &Renderer,
    digest: &Digest,
    format: DigestFormat,
    mail: &MailConfig,
) -> Result<String> {
    match format {
        DigestFormat::Md => renderer.markdown(digest),
        DigestFormat::Html => renderer.html(digest),
        DigestFormat::Text => renderer.text(digest),
        DigestFormat::Json => Renderer::json(digest),
        DigestFormat::Atom => Ok(feed::atom(
            std::slice::from_ref(digest),
            &digest.title,
            &mail.list_id,
            digest.generated_at,
        )),
        DigestFormat::Eml => {
            let built = message(renderer, digest, mail)?;
            Ok(String::from_utf8_lossy(&built.bytes).into_owned())
        }
    }
}

/// The sender named in `[mail]`, or [`crate::mail::DEFAULT_FROM`].
fn sender(mail: &MailConfig) -> &str {
    if mail.from.trim().is_empty() {
        crate::mail::DEFAULT_FROM
    } else {
        mail.from.as_str()
    }
}

/// The Message-ID of `digest` (stable: a retry carries the same id).
fn message_id(digest: &Digest, mail: &MailConfig) -> String {
    let ids: Vec<String> = digest.paper_ids();
    crate::mail::message_id(&digest.date, digest.generated_at, &ids, sender(mail))
}

/// Builds the MIME message of `digest`.
///
/// # Errors
/// A template error or an unusable address.
pub fn message(renderer: &Renderer, digest: &Digest, mail: &MailConfig) -> Result<Built> {
    let rendered = renderer.for_mail(digest)?;
    let parts = crate::mail::Parts {
        subject: &rendered.subject,
        text: &rendered.text,
        html: &rendered.html,
    };
    let mid = message_id(digest, mail);
    Ok(crate::mail::build_message(
        mail,
        &parts,
        digest.generated_at,
        &mid,
    )?)
}

/// Rewrites the `[digest] feed` file, when one is configured, as an Atom
/// feed of the last `feed_digests` delivered digests, newest first (their
/// archived models, so the feed shows what went out).
///
/// # Errors
/// An unreadable archive, or the feed file cannot be written.
pub fn write_feed(app: &App, ledger: &Ledger) -> Result<()> {
    let dc = &app.config.digest;
    let Some(path) = dc.feed.as_deref() else {
        return Ok(());
    };
    let mut dates: Vec<&str> = ledger.digests.iter().map(|d| d.date.as_str()).collect();
    dates.sort_unstable_by(|a, b| b.cmp(a));
    dates.dedup();
    let mut digests = Vec::new();
    for date in dates.into_iter().take(dc.feed_digests) {
        if let Some(d) = outbox::archived(&app.data, date)? {
            digests.push(d);
        }
    }
    let title = crate::sanitize::one_line(&dc.title);
    let text = feed::atom(&digests, &title, &app.config.mail.list_id, app.clock.now());
    write_public(path, text.as_bytes()).map_err(|e| Error::io(path.display(), e))
}

/// The format `digest` and `run` print in: the one asked for on the command
/// line, else the text rendering when the output is a terminal (Markdown's
/// link syntax and `**` read badly there, and long URLs wrap mid-word), else
/// the configured one, so a pipe or a file gets what scripts expect.
pub fn choose_format(
    asked: Option<DigestFormat>,
    configured: DigestFormat,
    to_terminal: bool,
) -> DigestFormat {
    match asked {
        Some(format) => format,
        None if to_terminal => DigestFormat::Text,
        None => configured,
    }
}

/// Writes `text` to `out` (atomically) or to stdout.
///
/// # Errors
/// An I/O error.
pub fn write_output(out: Option<&std::path::Path>, text: &str) -> Result<()> {
    match out {
        Some(path) => write_public(path, text.as_bytes()).map_err(|e| Error::io(path.display(), e)),
        None => {
            let mut lock = crate::sanitize::stdout();
            lock.write_all(text.as_bytes())
                .and_then(|()| lock.flush())
                .map_err(|e| Error::io("stdout", e))
        }
    }
}

/// Writes a file the reader asked for, atomically (a temporary file beside
/// it, then a rename), created with the default mode so the umask decides
/// who may read it. (State files stay private: [`crate::state::write_atomic`].)
fn write_public(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    match written.and_then(|()| std::fs::rename(&tmp, path)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Sends every digest waiting in the outbox, oldest first, each once.
/// Returns how many were sent.
///
/// # Errors
/// The first one that fails ([`Error::Unsent`]); it and the later ones
/// stay in the outbox.
pub fn flush_outbox(app: &App, ledger: &mut Ledger) -> Result<usize> {
    let mut sent = 0;
    for (pending, eml) in outbox::list_pending(&app.data)? {
        if ledger.has_message(&pending.message_id) {
            // Recorded before a crash kept us from cleaning up: never resend.
            outbox::remove_pending(&app.data, &pending.date)?;
            continue;
        }
        if !app.config.mail.enabled {
            app.warn(&format!(
                "the digest for {} waits in the outbox, but e-mail is off (mail.enabled = false)",
                pending.date
            ));
            continue;
        }
        // The envelope follows `[mail] to` as it is now: a recipient the
        // server refused (550) is fixed in the config, not by hand in the
        // outbox. The kept bytes (and Message-ID) do not change.
        let rcpt_to = crate::mail::recipients(&app.config.mail)?;
        // A damaged message (a truncated file, a full disk) is never sent
        // as it is: it is built again from the digest kept beside it, with
        // the same Message-ID, or the entry stays and the run fails.
        let (pending, eml) = match outbox::damage(&pending, &eml) {
            None => (pending, eml),
            Some(why) => {
                let rebuilt = rebuild(app, pending, &why)?;
                app.warn(&format!(
                    "the outbox message for {} was damaged ({why}); built again from its digest",
                    rebuilt.0.date
                ));
                rebuilt
            }
        };
        send_pending(app, ledger, &pending, &rcpt_to, &eml)?;
        app.info(&format!(
            "sent the digest for {} from the outbox",
            pending.date
        ));
        sent += 1;
    }
    Ok(sent)
}

/// Builds the message of an outbox entry again from its digest model,
/// with its Message-ID, and puts it back in the outbox.
fn rebuild(app: &App, mut pending: Pending, why: &str) -> Result<(Pending, Vec<u8>)> {
    let unsent = |reason: String| {
        Error::Other(format!(
            "the outbox message for {} is damaged ({why}) and cannot be built again: {reason}; \
             it was not sent",
            pending.date
        ))
    };
    let renderer = Renderer::for_config(&app.config.digest).map_err(|e| unsent(e.to_string()))?;
    let rendered = renderer
        .for_mail(&pending.digest)
        .map_err(|e| unsent(e.to_string()))?;
    let parts = crate::mail::Parts {
        subject: &rendered.subject,
        text: &rendered.text,
        html: &rendered.html,
    };
    let built = crate::mail::build_message(
        &app.config.mail,
        &parts,
        pending.digest.generated_at,
        &pending.message_id,
    )
    .map_err(|e| unsent(e.to_string()))?;
    pending.papers = pending.digest.paper_ids();
    pending.eml_check = Some(outbox::eml_check(&built.bytes));
    outbox::put_pending(&app.data, &pending, &built.bytes)?;
    Ok((pending, built.bytes))
}

fn send_pending(
    app: &App,
    ledger: &mut Ledger,
    pending: &Pending,
    rcpt_to: &[String],
    eml: &[u8],
) -> Result<()> {
    // The ledger entry is written before sending; after the server's 250
    // only its rename remains (see `Ledger::prepare_record`).
    let prepared = ledger.prepare_record(
        &app.data,
        SentDigest {
            date: pending.date.clone(),
            message_id: pending.message_id.clone(),
            sent_at: app.clock.now(),
            covered_until: pending.covered_until,
            delivery: Delivery::Mail,
            papers: pending.papers.clone(),
        },
    )?;
    *ledger = crate::mail::send(&app.config.mail, &pending.mail_from, rcpt_to, eml, || {
        prepared.commit()
    })
    .map_err(|source| Error::Unsent {
        date: pending.date.clone(),
        source,
    })??;
    outbox::archive(&app.data, &pending.digest)?;
    outbox::remove_pending(&app.data, &pending.date)
}

/// Mails `digest`: outbox first, then SMTP, then the ledger.
///
/// # Errors
/// [`Error::Unsent`] when the server did not take it (it stays in the
/// outbox for the next run); template, address or I/O errors.
pub fn mail(app: &App, ledger: &mut Ledger, renderer: &Renderer, digest: &Digest) -> Result<()> {
    let built = message(renderer, digest, &app.config.mail)?;
    let pending = Pending {
        date: digest.date.clone(),
        message_id: built.message_id.clone(),
        mail_from: built.mail_from.clone(),
        rcpt_to: built.rcpt_to.clone(),
        covered_until: digest.until,
        papers: digest.paper_ids(),
        digest: digest.clone(),
        eml_check: Some(outbox::eml_check(&built.bytes)),
    };
    outbox::put_pending(&app.data, &pending, &built.bytes)?;
    send_pending(app, ledger, &pending, &pending.rcpt_to, &built.bytes)
}

/// Prints `digest` (e-mail off) in `format` to `out` or stdout, then
/// records it as delivered.
///
/// # Errors
/// A template or I/O error.
pub fn print(
    app: &App,
    ledger: &mut Ledger,
    renderer: &Renderer,
    digest: &Digest,
    format: DigestFormat,
    out: Option<&std::path::Path>,
) -> Result<()> {
    let text = render_format(renderer, digest, format, &app.config.mail)?;
    write_output(out, &text)?;
    ledger.record(
        &app.data,
        SentDigest {
            date: digest.date.clone(),
            message_id: message_id(digest, &app.config.mail),
            sent_at: app.clock.now(),
            covered_until: digest.until,
            delivery: Delivery::Print,
            papers: digest.paper_ids(),
        },
    )?;
    outbox::archive(&app.data, digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_terminal_gets_text_a_pipe_the_configured_format_and_a_flag_wins() {
        use DigestFormat::{Html, Json, Md, Text};
        assert_eq!(choose_format(None, Md, true), Text);
        assert_eq!(choose_format(None, Html, true), Text);
        assert_eq!(choose_format(None, Md, false), Md);
        assert_eq!(choose_format(None, Json, false), Json);
        assert_eq!(choose_format(Some(Md), Html, true), Md);
        assert_eq!(choose_format(Some(Html), Md, false), Html);
    }
}

//! `papertrend explain ID [--date D]`: why a paper ranks where it does, or
//! why it is not in that day's ranking.

use std::io::Write;

use jiff::Timestamp;

use crate::Outcome;
use crate::app::App;
use crate::cli::ExplainArgs;
use crate::error::{Error, Result};
use crate::exit;
use crate::index::rank::{Explanation, Verdict};
use crate::rank::Window;
use crate::sanitize::sanitize_line;

/// Explains one paper and prints the answer.
///
/// # Errors
/// An unknown id or time zone (exit 2), no index, or an index failure.
pub fn run(app: &App, args: &ExplainArgs) -> Result<Outcome> {
    let index = app.open_index()?;
    let now = app.clock.now();
    let tz = jiff::tz::TimeZone::get(&app.config.digest.timezone)
        .map_err(|e| Error::Usage(format!("digest.timezone: {e}")))?;
    let today = now.to_zoned_datetime(tz.clone()).date();
    let date = args.date.unwrap_or(today);
    // A past day is judged as of its end; today (or later) as of now.
    let at = if date < today {
        date.tomorrow()
            .and_then(|d| d.to_zoned_datetime(tz))
            .map(|z| z.timestamp())
            .map_err(|e| Error::Usage(format!("--date {date}: {e}")))?
    } else {
        now
    };
    let since = at
        .checked_sub(app.config.rank.window.0)
        .unwrap_or(Timestamp::MIN);
    let limit = app.config.digest.limit;
    let sent = already_sent(app, &index, &args.id, date)?;
    let e = crate::rank::explain_paper(
        &index,
        &app.config,
        at,
        &args.id,
        Window::Date(since),
        limit,
        sent,
    )?;
    let mut out = std::io::BufWriter::new(crate::sanitize::stdout());
    let io = |e: std::io::Error| Error::io("stdout", e);
    if args.json {
        serde_json::to_writer_pretty(&mut out, &e).map_err(|e| io(e.into()))?;
        writeln!(out).map_err(io)?;
    } else {
        out.write_all(render(&e, date, since, limit).as_bytes())
            .map_err(io)?;
    }
    out.flush().map_err(io)?;
    Ok(Outcome::new(exit::OK))
}

/// `Some((digest day, sent at))` when a digest of a day before `date`
/// already listed paper `id` (looked up in the digest ledger; the id may be
/// any form `show` accepts). Digests never repeat a paper, so this is why a
/// paper is missing from `date`'s digest even when it would rank.
///
/// # Errors
/// When the ledger or the index cannot be read.
pub fn already_sent(
    app: &App,
    index: &crate::index::Index,
    id: &str,
    date: jiff::civil::Date,
) -> Result<Option<(jiff::civil::Date, Timestamp)>> {
    let Some(paper) = index.get(id)? else {
        return Ok(None);
    };
    let ledger = crate::ledger::Ledger::load(&app.data)?;
    let day = date.to_string();
    Ok(ledger
        .digests
        .iter()
        .filter(|d| d.date < day && d.papers.contains(&paper.id))
        .min_by(|a, b| a.date.cmp(&b.date))
        .and_then(|d| d.date.parse().ok().map(|when| (when, d.sent_at))))
}

fn day(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d").to_string()
}

/// The readable explanation.
pub fn render(e: &Explanation, date: jiff::civil::Date, since: Timestamp, limit: usize) -> String {
    let p = &e.paper;
    let mut s = format!("{}  {}\n", p.id, sanitize_line(&p.title));
    let verdict = match &e.verdict {
        Verdict::Included { position } => {
            format!("in the top {limit} for {date}: #{position}")
        }
        Verdict::Excluded { keyword, field } => format!(
            "not in the ranking for {date}: excluded by \"{}\" in the {field}",
            sanitize_line(keyword)
        ),
        Verdict::BelowCutoff { score, cutoff, .. } => format!(
            "not in the top {limit} for {date}: below the cut-off (score {score:.3} < {cutoff:.3}, \
             the last paper taken)"
        ),
        Verdict::AlreadySent {
            date: sent,
            sent_at,
        } => format!(
            "not in the digest for {date}: already sent in the digest of {sent} (at {sent_at})"
        ),
        Verdict::OutsideWindow { date: d, .. } => format!(
            "not in the ranking for {date}: outside the window (dated {}, window starts {})",
            d.map_or_else(|| "never".into(), day),
            day(since)
        ),
    };
    s.push_str(&format!("verdict: {verdict}\n"));
    let part = |name: &str| e.score.part(name).map_or(0.0, |p| p.value);
    s.push_str(&format!(
        "score {:.3} = (interest {:.2} + negative {:.2} + follow {:.2} + momentum {:.2} + \
         popularity {:.2}) x freshness {:.3}\n",
        e.score.total,
        part("interest"),
        part("negative"),
        part("follow"),
        part("momentum"),
        part("popularity"),
        part("freshness")
    ));
    for p in &e.score.parts {
        for d in &p.detail {
            s.push_str(&format!("  {:<10}  {}\n", p.name, sanitize_line(d)));
        }
    }
    s.push_str(&format!("why: {}\n", sanitize_line(&e.why)));
    s
}

//! `papertrend export [--since-cursor NAME]`

use std::io::Write;

use crate::Outcome;
use crate::app::App;
use crate::cli::ExportArgs;
use crate::error::{Error, Result};
use crate::exit;

/// Writes every record as JSON Lines to stdout (re-ingestable as `jsonl`);
/// with `--since-cursor NAME`, only the papers first seen since that
/// cursor's last call, then advances it (see [`crate::cursor`]).
///
/// # Errors
/// An index failure, a bad cursor name, or a write error (the cursor then
/// stays where it was).
pub fn run(app: &App, args: &ExportArgs) -> Result<Outcome> {
    let index = app.open_index()?;
    let mut out = std::io::BufWriter::new(crate::sanitize::stdout());
    let Some(name) = &args.since_cursor else {
        index.for_each(|p| {
            serde_json::to_writer(&mut out, &p).map_err(|e| Error::io("stdout", e.into()))?;
            out.write_all(b"\n").map_err(|e| Error::io("stdout", e))
        })?;
        out.flush().map_err(|e| Error::io("stdout", e))?;
        return Ok(Outcome::new(exit::OK));
    };
    let held = crate::cursor::take(&app.data, name)?;
    if let Some(until) = held.cursor.until
        && crate::cursor::ahead_of(until, app.clock.now()).is_some()
    {
        app.warn(&format!(
            "cursor {name} has reached {}, ahead of the clock ({}): the clock is behind, or \
             was ahead when it advanced; papers ingested since are still handed out",
            until.strftime("%Y-%m-%d %H:%M UTC"),
            app.clock.now().strftime("%Y-%m-%d %H:%M UTC"),
        ));
    }
    let papers = held
        .cursor
        .new_papers(index.first_seen_since(held.cursor.until)?);
    for p in &papers {
        serde_json::to_writer(&mut out, p).map_err(|e| Error::io("stdout", e.into()))?;
        out.write_all(b"\n").map_err(|e| Error::io("stdout", e))?;
    }
    // Into the pipe or file before the cursor moves.
    out.flush().map_err(|e| Error::io("stdout", e))?;
    drop(out);
    let next = held.cursor.advanced(&papers, app.clock.now());
    held.advance(&next)?;
    app.info(&format!(
        "cursor {name}: {} new paper(s), {} in all",
        papers.len(),
        next.total
    ));
    Ok(Outcome::new(exit::OK))
}

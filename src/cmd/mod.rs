//! One file per subcommand. Each only orchestrates: logic lives in the
//! domain modules.

pub mod config;
pub mod digest;
pub mod doctor;
pub mod explain;
pub mod export;
pub mod fetch;
pub mod ingest;
pub mod interests;
pub mod mail;
pub mod man;
pub mod mark;
pub mod marks;
pub mod mute;
pub mod open;
pub mod review;
pub mod run;
pub mod search;
pub mod show;
pub mod similar;
pub mod stats;
pub mod top;
pub mod trends;

use std::io::Write;

use crate::app::App;
use crate::cli::{FormatArgs, OutputFormat};
use crate::error::{Error, Result};
use crate::output::{Row, Style, write_rows};

/// Writes result rows to stdout in the chosen (or default) format.
///
/// # Errors
/// An I/O error on stdout.
pub fn print_rows(app: &App, fmt: &FormatArgs, rows: &[Row<'_>]) -> Result<()> {
    let format = fmt.chosen().unwrap_or(if app.stdout_tty {
        OutputFormat::Table
    } else {
        OutputFormat::Jsonl
    });
    let style = Style {
        color: app.color,
        width: app.width,
        wide: fmt.wide,
    };
    let mut out = std::io::BufWriter::new(crate::sanitize::stdout());
    write_rows(&mut out, format, rows, style)?;
    out.flush().map_err(|e| Error::io("stdout", e))
}

/// The `first_seen` stamp of an ingest ([`crate::digest::outbox::first_seen_stamp`]),
/// saying so on stderr when a recorded digest or export cursor is ahead of
/// the clock (new papers are then stamped after it, so none is lost).
///
/// # Errors
/// An unreadable ledger, outbox or cursor.
pub fn first_seen_stamp(app: &App) -> Result<jiff::Timestamp> {
    let now = app.clock.now();
    let stamp = crate::digest::outbox::first_seen_stamp(&app.data, now)?;
    if let Some(ahead) = crate::cursor::ahead_of(stamp, now) {
        app.warn(&format!(
            "the clock ({}) is {} behind the latest digest or export cursor ({}); \
             new papers are stamped after it so that none is missed: check the clock",
            now.strftime("%Y-%m-%d %H:%M UTC"),
            human(ahead),
            stamp.strftime("%Y-%m-%d %H:%M UTC"),
        ));
    }
    Ok(stamp)
}

/// `3 h`, `12 days`.
fn human(d: jiff::SignedDuration) -> String {
    let h = d.as_hours();
    if h < 48 {
        format!("{h} h")
    } else {
        format!("{} days", h / 24)
    }
}

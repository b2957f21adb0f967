//! `papertrend export`

use std::io::Write;

use crate::Outcome;
use crate::app::App;
use crate::cli::ExportArgs;
use crate::error::{Error, Result};
use crate::exit;

/// Writes every record as JSON Lines to stdout (re-ingestable as `jsonl`).
///
/// # Errors
/// An index failure or a write error.
pub fn run(app: &App, _args: &ExportArgs) -> Result<Outcome> {
    let index = app.open_index()?;
    let mut out = std::io::BufWriter::new(crate::sanitize::stdout());
    index.for_each(|p| {
        serde_json::to_writer(&mut out, &p).map_err(|e| Error::io("stdout", e.into()))?;
        out.write_all(b"\n").map_err(|e| Error::io("stdout", e))
    })?;
    out.flush().map_err(|e| Error::io("stdout", e))?;
    Ok(Outcome::new(exit::OK))
}

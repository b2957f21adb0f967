//! `papertrend top`: the ranked list for the configured interests.

use crate::Outcome;
use crate::app::App;
use crate::cli::{OutputFormat, TopArgs};
use crate::error::Result;
use crate::exit;
use crate::output::Row;
use crate::rank::{self, Window};

/// Ranks the window's papers and prints them.
///
/// # Errors
/// No index yet, or an index failure.
pub fn run(app: &App, args: &TopArgs) -> Result<Outcome> {
    let index = app.open_index()?;
    let now = app.clock.now();
    let since = match args.since {
        Some(b) => b.resolve(now),
        None => now
            .checked_sub(app.config.rank.window.0)
            .unwrap_or(jiff::Timestamp::MIN),
    };
    let limit = args.limit.unwrap_or(app.config.search.limit);
    let outcome = rank::rank_papers(&index, &app.config, now, Window::Date(since), limit, None)?;
    let rows = rows(
        &outcome.ranked,
        args.explain || wants_json(args.output.chosen()),
    );
    crate::cmd::print_rows(app, &args.output, &rows)?;
    if rows.is_empty() && !app.quiet {
        eprintln!(
            "papertrend: no papers dated since {} ({} excluded); try --since 30d",
            since.strftime("%Y-%m-%d %H:%M UTC"),
            outcome.excluded
        );
    }
    Ok(Outcome::new(exit::OK))
}

fn wants_json(f: Option<OutputFormat>) -> bool {
    matches!(f, Some(OutputFormat::Json | OutputFormat::Jsonl))
}

/// Output rows for ranked papers: score, why, and (when `explain`) the parts.
pub fn rows(ranked: &[rank::Ranked], explain: bool) -> Vec<Row<'_>> {
    ranked
        .iter()
        .map(|r| {
            let mut row = Row::new(&r.paper);
            row.score = Some(r.score.total);
            row.why = Some(r.why.clone());
            if explain {
                row.explain = Some(rank::explain_json(&r.score));
            }
            row
        })
        .collect()
}

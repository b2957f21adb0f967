//! `papertrend similar ID`: papers like one paper.

use crate::Outcome;
use crate::app::App;
use crate::cli::SimilarArgs;
use crate::error::Result;
use crate::exit;
use crate::output::Row;

/// Finds and prints papers similar to `args.id`.
///
/// # Errors
/// An unknown id (exit 2), no index, or an index failure.
pub fn run(app: &App, args: &SimilarArgs) -> Result<Outcome> {
    let index = app.open_index()?;
    let limit = args.limit.unwrap_or(app.config.search.limit);
    let seen = if args.unseen {
        crate::marks::seen_ids(&app.data)?
    } else {
        std::collections::HashSet::new()
    };
    let search = &app.config.search;
    let (_, mut similar) = crate::index::similar::similar(
        &index,
        &args.id,
        limit + seen.len(),
        search.title_boost,
        &search.scoring(),
        crate::trends::is_stop_word,
    )?;
    similar.retain(|s| !seen.contains(&s.paper.id));
    similar.truncate(limit);
    let rows: Vec<Row<'_>> = similar
        .iter()
        .map(|s| {
            let mut row = Row::new(&s.paper);
            row.score = Some(s.score);
            row
        })
        .collect();
    crate::cmd::print_rows(app, &args.output, &rows)?;
    Ok(Outcome::new(exit::OK))
}

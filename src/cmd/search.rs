//! `papertrend search QUERY`

use crate::Outcome;
use crate::app::App;
use crate::cli::SearchArgs;
use crate::error::{Error, Result};
use crate::exit;
use crate::index::{SearchQuery, SortBy};
use crate::output::Row;

/// Runs the search and prints the results.
///
/// # Errors
/// A query syntax error or a reversed `--since`/`--until` range (exit 2),
/// or an index failure.
pub fn run(app: &App, args: &SearchArgs) -> Result<Outcome> {
    let now = app.clock.now();
    let since = args.since.map(|b| b.resolve(now));
    let until = args.until.map(|b| b.resolve(now));
    if let (Some(s), Some(u)) = (since, until)
        && s > u
    {
        return Err(Error::Usage(format!(
            "--since {} is after --until {}: the range is reversed",
            s.strftime("%Y-%m-%d %H:%M"),
            u.strftime("%Y-%m-%d %H:%M")
        )));
    }
    let index = app.open_index()?;
    // --unseen: ask for as many more as could be hidden, then hide them.
    let seen = if args.unseen {
        crate::marks::seen_ids(&app.data)?
    } else {
        std::collections::HashSet::new()
    };
    let limit = args.limit.unwrap_or(app.config.search.limit);
    let query = SearchQuery {
        text: args.query.join(" "),
        since,
        until,
        category: args.category.clone(),
        author: args.author.clone(),
        limit: limit + seen.len(),
        sort: if args.sort == SortBy::Trend {
            SortBy::Relevance
        } else {
            args.sort
        },
        title_boost: app.config.search.title_boost,
        scoring: app.config.search.scoring(),
        explain: args.explain,
        snippets: true,
    };
    if app.verbose > 0 && !app.quiet && !query.text.trim().is_empty() {
        let parsed = index.parse(&query.text, query.title_boost, &query.scoring)?;
        if let Some(note) = &parsed.note {
            eprintln!("papertrend: {}", crate::sanitize::sanitize_line(note));
        }
        match &parsed.words {
            Some(w) => {
                let terms: Vec<&str> = w.terms().iter().map(|t| t.text.as_str()).collect();
                eprintln!(
                    "papertrend: searched as words: {}",
                    crate::sanitize::sanitize_line(&terms.join(" "))
                );
                if !w.phrase().is_empty() {
                    eprintln!(
                        "papertrend: papers with the phrase first: {}",
                        crate::sanitize::sanitize_line(&w.phrase().join(" "))
                    );
                }
            }
            None => eprintln!("papertrend: searched as query syntax"),
        }
    }
    if args.sort == SortBy::Trend {
        // The trend scorer of `top`, restricted to the query's matches.
        let query = SearchQuery {
            sort: SortBy::Trend,
            ..query
        };
        let fb = crate::engine::feedback::Feedback::load(&index, &app.data)?;
        let mut outcome = crate::engine::rank::rank_search(&index, &app.config, now, &query, &fb)?;
        outcome.ranked.retain(|r| !seen.contains(&r.paper.id));
        outcome.ranked.truncate(limit);
        fb.name_neighbours(outcome.ranked.iter_mut());
        let explain = args.explain
            || args
                .output
                .chosen()
                .is_some_and(|f| f != crate::cli::OutputFormat::Table);
        let rows = crate::cmd::top::rows(&outcome.ranked, explain);
        crate::cmd::print_rows(app, &args.output, &rows)?;
        if rows.is_empty() {
            no_match(app, &index, &query)?;
        }
        return Ok(Outcome::new(exit::OK));
    }
    let mut hits = index.search(&query)?;
    hits.retain(|h| !seen.contains(&h.paper.id));
    hits.truncate(limit);
    let rows: Vec<Row<'_>> = hits
        .iter()
        .map(|h| {
            let mut row = Row::new(&h.paper).with_snippet(h.snippet.as_ref());
            if args.sort != SortBy::Date {
                row.score = Some(h.score);
            }
            if args.explain {
                row.explain = Some(explain(h));
            }
            row
        })
        .collect();
    crate::cmd::print_rows(app, &args.output, &rows)?;
    if rows.is_empty() {
        no_match(app, &index, &query)?;
    }
    Ok(Outcome::new(exit::OK))
}

/// Says that nothing matched, and when a `--category` filter is the reason
/// because no indexed paper has any category (Hugging Face listings carry
/// none), says that once as a hint.
fn no_match(app: &App, index: &crate::index::Index, query: &SearchQuery) -> Result<()> {
    if app.quiet {
        return Ok(());
    }
    // The query as typed, cut to one screen line (a query can be 94 KB).
    eprintln!(
        "papertrend: no papers match {:?}",
        crate::output::truncate(&crate::sanitize::sanitize_line(&query.text), 60)
    );
    if query.category.is_some() && !index.has_categories()? {
        eprintln!(
            "{}",
            crate::wrap::for_stderr(
                "hint: no paper in the index has categories (Hugging Face listings carry none; \
                 arXiv feeds do), so --category matches nothing"
            )
        );
    }
    Ok(())
}

/// The `explain` of one hit: with a query searched as words, its BM25F
/// term parts, the phrase part and the proximity bonus, which add up to
/// its score; for query syntax, tantivy's BM25.
fn explain(h: &crate::index::Hit) -> serde_json::Value {
    if h.matches.is_empty() && h.phrase.is_none() {
        return serde_json::json!({ "bm25": h.score });
    }
    let bm25f: f32 = h.matches.iter().map(|m| m.score).sum();
    let phrase = h
        .phrase
        .as_ref()
        .map_or(0.0, crate::index::phrase::PhraseMatch::score);
    // The proximity bonus (`search.proximity`) is what is left.
    let rest = h.score - bm25f - phrase;
    let proximity = if rest.abs() > 5e-4 * h.score.abs().max(1.0) {
        rest
    } else {
        0.0
    };
    let mut parts = parts(&h.matches);
    if let Some(p) = &h.phrase {
        let held: Vec<String> = p
            .fields
            .iter()
            .map(|(field, n)| format!("{field} ×{n}"))
            .collect();
        parts.push(serde_json::json!({
            "name": "phrase",
            "points": phrase,
            "detail": [
                format!("\"{}\" in {}", p.phrase, held.join(", ")),
                format!("whole phrase {:+.3} (above any paper without it)", p.whole),
                format!("as a term {:+.3}", p.term),
            ],
        }));
    }
    if proximity != 0.0 {
        parts.push(serde_json::json!({
            "name": "proximity",
            "points": proximity,
            "detail": [format!("query words near each other {proximity:+.3}")],
        }));
    }
    serde_json::json!({
        "score": h.score,
        "bm25f": bm25f,
        "matches": h.matches,
        "phrase": h.phrase,
        "proximity": proximity,
        "parts": parts,
    })
}

/// The matches of one hit as `parts` (one per query term, its fields as the
/// detail lines), the shape the table output prints under a result.
fn parts(matches: &[crate::index::score::TermMatch]) -> Vec<serde_json::Value> {
    let mut terms: Vec<&str> = Vec::new();
    for m in matches {
        if !terms.contains(&m.term.as_str()) {
            terms.push(&m.term);
        }
    }
    terms
        .into_iter()
        .map(|t| {
            let of_term = matches.iter().filter(|m| m.term == t);
            let points: f32 = of_term.clone().map(|m| m.score).sum();
            let detail: Vec<String> = of_term
                .map(|m| format!("{} ×{} {:+.3}", m.field, m.tf, m.score))
                .collect();
            serde_json::json!({ "name": t, "points": points, "detail": detail })
        })
        .collect()
}

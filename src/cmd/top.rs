//! `papertrend top`: the ranked list for the configured interests.

use crate::Outcome;
use crate::app::App;
use crate::cli::{OutputFormat, TopArgs, TopSort};
use crate::engine::feedback::Feedback;
use crate::error::Result;
use crate::exit;
use crate::output::Row;
use crate::rank::{self, Window};

/// Ranks the window's papers and prints them.
///
/// Muted papers are left out; `--unseen` hides papers already mailed or
/// marked in any way; `--sort velocity` orders the best [`VELOCITY_POOL`] papers
/// of the window by how fast their upvotes grow.
///
/// # Errors
/// No index yet, or an index failure.
pub fn run(app: &App, args: &TopArgs) -> Result<Outcome> {
    let index = app.open_index()?;
    let now = app.clock.now();
    let default_since = now
        .checked_sub(app.config.rank.window.0)
        .unwrap_or(jiff::Timestamp::MIN);
    let since = args.since.map_or(default_since, |b| b.resolve(now));
    let config = with_half_life(&app.config, args.half_life, since, now);
    let limit = args.limit.unwrap_or(app.config.search.limit);
    let window = Window::Visible { since, until: now };
    let fb = Feedback::load(&index, &app.data)?;
    let seen = if args.unseen {
        Some(crate::marks::seen_ids(&app.data)?)
    } else {
        None
    };
    let unseen = |p: &crate::paper::Paper| seen.as_ref().is_none_or(|s| !s.contains(&p.id));
    let filter: Option<&dyn Fn(&crate::paper::Paper) -> bool> = seen
        .as_ref()
        .map(|_| &unseen as &dyn Fn(&crate::paper::Paper) -> bool);
    let by_velocity = args.sort == TopSort::Velocity;
    let load = if by_velocity {
        VELOCITY_POOL.max(limit)
    } else {
        limit
    };
    let mut outcome =
        crate::engine::rank::rank_papers(&index, &config, now, window, load, filter, &fb)?;
    if by_velocity {
        let per_day = |r: &rank::Ranked| r.velocity.map_or(0.0, |v| v.per_day);
        outcome.ranked.sort_by(|a, b| {
            per_day(b)
                .total_cmp(&per_day(a))
                .then_with(|| b.score.total.total_cmp(&a.score.total))
                .then_with(|| a.paper.id.cmp(&b.paper.id))
        });
        outcome.ranked.truncate(limit);
    }
    fb.name_neighbours(outcome.ranked.iter_mut());
    let rows = rows(
        &outcome.ranked,
        args.explain || wants_json(args.output.chosen()),
    );
    crate::cmd::print_rows(app, &args.output, &rows)?;
    if rows.is_empty() && !app.quiet {
        eprintln!(
            "{}",
            crate::wrap::for_stderr(&format!(
                "papertrend: no papers dated since {} ({} excluded); try --since 30d",
                since.strftime("%Y-%m-%d %H:%M UTC"),
                outcome.excluded
            ))
        );
    }
    Ok(Outcome::new(exit::OK))
}

/// How many of the window's best papers `top --sort velocity` orders by
/// velocity.
pub const VELOCITY_POOL: usize = 2_000;

/// The config `top` ranks with: `--half-life` when given; else, for a
/// window longer than `rank.window`, the half-life stretched by the same
/// factor (the best of 90 days, not the newest few).
fn with_half_life(
    config: &crate::config::Config,
    half_life: Option<crate::clock::Span>,
    since: jiff::Timestamp,
    now: jiff::Timestamp,
) -> std::borrow::Cow<'_, crate::config::Config> {
    let rank = &config.rank;
    let wanted = match half_life {
        Some(h) => Some(h),
        None => {
            let asked = (now.as_second() - since.as_second()) as f64;
            let default = rank.window.seconds() as f64;
            (default > 0.0 && asked > default).then(|| {
                let secs = (rank.half_life.seconds() as f64 * asked / default) as i64;
                crate::clock::Span(jiff::SignedDuration::from_secs(secs))
            })
        }
    };
    match wanted {
        Some(h) if h.seconds() > 0 => {
            let mut c = config.clone();
            c.rank.half_life = h;
            std::borrow::Cow::Owned(c)
        }
        _ => std::borrow::Cow::Borrowed(config),
    }
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
                row.parts = Some(&r.score);
            }
            row
        })
        .collect()
}

//! `papertrend explain ID [--date D]`: why a paper is, or is not, in a
//! day's digest. It runs the digest's own selection
//! ([`crate::digest::select`]), so it always agrees with `digest` and `run`;
//! for a day already delivered, the archived digest that went out decides
//! whether the paper was in it.

use std::io::Write;

use jiff::civil::Date;
use serde::Serialize;

use crate::Outcome;
use crate::app::App;
use crate::cli::ExplainArgs;
use crate::digest::select::{self, Day, Verdict};
use crate::error::{Error, Result};
use crate::exit;
use crate::ledger::Ledger;
use crate::paper::Paper;
use crate::rank::select::{AlsoPopularFull, BelowCutoff, NotAMatch, Section};
use crate::rank::{PartName, Score};
use crate::sanitize::sanitize_line;

/// `explain`'s answer (also its JSON).
#[derive(Clone, Debug, Serialize)]
pub struct Explanation {
    /// The paper.
    pub paper: Paper,
    /// The digest day.
    pub date: Date,
    /// Its score at the digest's time, with the parts.
    pub score: Score,
    /// The one-line reason.
    pub why: String,
    /// Whether and why it is (not) in the digest.
    pub verdict: Verdict,
    /// Whether that day's digest was already delivered (its archive decided).
    pub delivered: bool,
    /// For a paper a delivered digest listed: what the reader did to it
    /// since (a mute, marks), which today's selection would act on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub since_delivery: Vec<String>,
    /// Its importance for the reader, the order of the digest's main list
    /// ([`crate::rank::select::importance`]).
    pub importance: Option<f32>,
    /// When it matched no keyword by meaning: the one it came closest to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nearest_meaning: Option<crate::engine::Nearest>,
}

/// What changed for a paper after its digest was built at `built`: a mute
/// set since, or marks (which keep it out of later digests).
fn changed_since(rebuilt: &Verdict, built: jiff::Timestamp) -> Vec<String> {
    match rebuilt {
        Verdict::Muted { mute, since, until } if *since > built => vec![format!(
            "muted since {} by \"{}\" ({})",
            day(*since),
            sanitize_line(mute),
            until.map_or_else(
                || "until you unmute it".into(),
                |u| format!("until {}", day(u))
            )
        )],
        Verdict::Marked { marks } => vec![format!("you marked it ({})", marks.join(", "))],
        _ => Vec::new(),
    }
}

/// Explains one paper and prints the answer.
///
/// # Errors
/// An unknown id or time zone (exit 2), no index, or an index failure.
pub fn run(app: &App, args: &ExplainArgs) -> Result<Outcome> {
    let index = app.open_index()?;
    let now = app.clock.now();
    let today = crate::digest::today(&app.config, now)?;
    let date = args.date.map_or(today, |d| d.resolve(today));
    let ledger = Ledger::load(&app.data)?;
    let day = date.to_string();
    let archived = match ledger.sent_on(&day) {
        Some(_) => crate::digest::outbox::archived(&app.data, &day)?,
        None => None,
    };
    // A delivered day is judged as it was built; another day as of now (or
    // of its end, when past).
    let at = archived.as_ref().map_or(now, |d| d.generated_at.min(now));
    let fb = crate::engine::feedback::Feedback::load(&index, &app.data)?;
    let sel = select::select(
        &index,
        &app.config,
        &ledger,
        &Day {
            date,
            now: at,
            include_seen: false,
        },
        &fb,
    )?;
    let scored = crate::engine::rank::score_paper(&index, &app.config, sel.until, &args.id, &fb)?;
    let mut verdict = select::verdict(&sel, &ledger, &day, &scored.ranked, scored.excluded, &fb);
    let mut since_delivery = Vec::new();
    if let Some(d) = &archived {
        let id = &scored.ranked.paper.id;
        let listed = d.papers.iter().chain(&d.also_popular).any(|p| &p.id == id);
        if listed {
            // What went out stands; what the reader did since is said apart.
            since_delivery = changed_since(&verdict, d.generated_at);
            verdict = as_delivered(d, id, verdict);
        } else if !matches!(verdict, Verdict::Muted { .. }) {
            verdict = as_delivered(d, id, verdict);
        }
    }
    let importance =
        crate::rank::select::importance(&scored.ranked, &crate::digest::select::rules(&app.config));
    let e = Explanation {
        importance: Some(importance),
        score: scored.ranked.score,
        why: scored.ranked.why,
        paper: scored.ranked.paper,
        date,
        verdict,
        delivered: archived.is_some(),
        since_delivery,
        nearest_meaning: scored.nearest,
    };
    let mut out = std::io::BufWriter::new(crate::sanitize::stdout());
    let io = |e: std::io::Error| Error::io("stdout", e);
    if args.json {
        serde_json::to_writer_pretty(&mut out, &e).map_err(|e| io(e.into()))?;
        writeln!(out).map_err(io)?;
    } else {
        out.write_all(render(&e, app.text_width()).as_bytes())
            .map_err(io)?;
    }
    out.flush().map_err(io)?;
    Ok(Outcome::new(exit::OK))
}

/// The verdict for a delivered day: the archived digest decides whether the
/// paper was in it (and where); the selection rebuilt now only explains why
/// not.
fn as_delivered(d: &crate::digest::model::Digest, id: &str, rebuilt: Verdict) -> Verdict {
    let day = |p: &crate::digest::model::DigestPaper| {
        p.day
            .as_deref()
            .and_then(|s| s.parse().ok())
            .or_else(|| d.date.parse().ok())
            .unwrap_or_default()
    };
    for (list, section) in [
        (&d.papers, Section::Main),
        (&d.also_popular, Section::AlsoPopular),
    ] {
        if let Some(p) = list.iter().find(|p| p.id == id) {
            let moved_for = match &rebuilt {
                Verdict::Included { moved_for, .. } => moved_for.clone(),
                _ => None,
            };
            return Verdict::Included {
                section,
                position: p.rank,
                day: day(p),
                moved_for,
            };
        }
    }
    match rebuilt {
        // Counts moved since it was sent: it was below the cut-off then.
        Verdict::Included { .. } => Verdict::BelowCutoff(BelowCutoff {
            score: 0.0,
            cutoff: 0.0,
            places: d.papers.len(),
            moved_for: None,
        }),
        other => other,
    }
}

fn day(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

fn opt_day(t: Option<jiff::Timestamp>) -> String {
    t.map_or_else(|| "never".into(), day)
}

/// Appends `text` wrapped to `width` columns, later lines under `indent`.
fn para(s: &mut String, text: &str, width: usize, indent: &str) {
    for line in crate::wrap::indented(text, width, "", indent) {
        s.push_str(&line);
        s.push('\n');
    }
}

/// Appends one detail line of the score, `name` in a column of its own and
/// `text` wrapped to `width` columns under itself.
fn detail(s: &mut String, name: &str, text: &str, width: usize) {
    let head = format!("  {name:<10}  ");
    let rest = " ".repeat(head.len());
    for line in crate::wrap::indented(text, width, &head, &rest) {
        s.push_str(&line);
        s.push('\n');
    }
}

/// Why a paper did not match by meaning: not close enough to any keyword,
/// or close enough without the upvotes a match by meaning needs.
fn nearest_line(n: &crate::engine::Nearest) -> String {
    let keyword = sanitize_line(&n.keyword);
    if n.closeness < n.threshold {
        format!(
            "matches no keyword by meaning: closest to \"{keyword}\" (closeness {:.3}, matches \
             from {:.3})",
            n.closeness, n.threshold
        )
    } else {
        format!(
            "close to \"{keyword}\" (closeness {:.3}, matches from {:.3}), but a match by \
             meaning needs {} upvotes and it has {}",
            n.closeness, n.threshold, n.min_upvotes, n.upvotes
        )
    }
}

/// The readable explanation, wrapped to `width` display columns.
pub fn render(e: &Explanation, width: usize) -> String {
    let p = &e.paper;
    let date = e.date;
    let mut s = String::new();
    para(
        &mut s,
        &format!("{}  {}", sanitize_line(&p.id), sanitize_line(&p.title)),
        width,
        "  ",
    );
    let verdict = match &e.verdict {
        Verdict::Included {
            section,
            position,
            day: listed,
            moved_for,
        } => {
            let list = match section {
                Section::Main => "",
                Section::AlsoPopular => " under \"Also popular\"",
            };
            let mut v = format!("in the digest for {date}{list}: #{position}");
            if *listed != date {
                v.push_str(&format!(" (listed under {listed})"));
            }
            if let Some(i) = moved_for {
                v.push_str(&format!(
                    "; moved down for spread ({:?} already has papers above it)",
                    sanitize_line(i)
                ));
            }
            v
        }
        Verdict::Marked { marks } => format!(
            "not in the digest for {date}: you marked it ({}), so you have seen it",
            marks.join(", ")
        ),
        Verdict::Muted { mute, since, until } => format!(
            "not in the digest for {date}: muted by \"{}\" (set {}, {})",
            sanitize_line(mute),
            day(*since),
            until.map_or_else(
                || "until you unmute it".into(),
                |u| format!("until {}", day(u))
            )
        ),
        Verdict::Excluded { keyword, field } => format!(
            "not in the digest for {date}: excluded by \"{}\" in the {field}",
            sanitize_line(keyword)
        ),
        Verdict::AlreadySent {
            date: sent,
            sent_at,
        } => format!(
            "not in the digest for {date}: already sent in the digest of {sent} (at {sent_at})"
        ),
        Verdict::NotYetSeen {
            first_seen,
            visible,
            until,
        } => format!(
            "not in the digest for {date}: not seen yet by then (first seen {}, visible {}, \
             digest covers up to {})",
            opt_day(*first_seen),
            opt_day(*visible),
            day(*until)
        ),
        Verdict::NotNews {
            first_seen,
            visible,
            horizon_days,
        } => format!(
            "not in the digest for {date}: not news (visible {}, first seen {}: visible more \
             than {horizon_days} days before papertrend could see it, as in an import of older \
             papers; `top --since` ranks it)",
            opt_day(*visible),
            opt_day(*first_seen),
        ),
        Verdict::OutsideWindow {
            first_seen,
            visible,
            since,
            fresh_from,
        } => format!(
            "not in the digest for {date}: neither new since the last digest (first seen {}, \
             last digest covered up to {}) nor fresh (visible {}, eligible from {})",
            opt_day(*first_seen),
            opt_day(*since),
            opt_day(*visible),
            day(*fresh_from)
        ),
        Verdict::NotAMatch(NotAMatch {
            relevance,
            min_relevance,
            upvotes,
            min_upvotes,
        }) => {
            let popular = if *min_upvotes == 0 {
                "\"Also popular\" is off".to_string()
            } else {
                format!(
                    "too few upvotes for \"Also popular\" ({upvotes} < \
                     digest.also_popular_min_upvotes {min_upvotes})"
                )
            };
            format!(
                "not in the digest for {date}: does not match your interests enough (relevance \
                 {relevance:.2} < digest.min_relevance {min_relevance:.2}), and {popular}"
            )
        }
        Verdict::AlsoPopularFull(AlsoPopularFull {
            relevance,
            min_relevance,
            upvotes,
            places,
            cutoff,
        }) => format!(
            "not in the digest for {date}: does not match your interests enough (relevance \
             {relevance:.2} < digest.min_relevance {min_relevance:.2}); it had enough upvotes for \
             \"Also popular\" ({upvotes}), but the section holds {places} and {places} {} had \
             more (the fewest: {cutoff})",
            if *places == 1 { "paper" } else { "papers" }
        ),
        Verdict::BelowCutoff(BelowCutoff {
            score,
            cutoff,
            places,
            moved_for,
        }) => {
            if e.delivered && *score == 0.0 {
                format!(
                    "not in the digest for {date}: below the cut-off when it was sent ({places} \
                     places)"
                )
            } else if let Some(i) = moved_for {
                format!(
                    "not in the digest for {date}: spread gave its place to another interest \
                     (score {score:.3} beats the lowest taken, {cutoff:.3}, but more papers on \
                     {:?} were already in; {places} places)",
                    sanitize_line(i)
                )
            } else {
                format!(
                    "not in the digest for {date}: its day's {places} places went to papers that \
                     match you more (score {score:.3} < {cutoff:.3}, the lowest taken)"
                )
            }
        }
        Verdict::BeyondPool { score } => format!(
            "not in the digest for {date}: below the best {} of its pool (score {score:.3})",
            select::POOL_CAP
        ),
    };
    para(&mut s, &format!("verdict: {verdict}"), width, "  ");
    for c in &e.since_delivery {
        para(&mut s, &format!("since then: {c}"), width, "  ");
    }
    // `score T = (interest … + velocity) x freshness`, from the parts that
    // add something (all of them at 0 say "nothing").
    let value = |name: PartName| e.score.part(name).map_or(0.0, |p| p.value);
    let sum: Vec<String> = PartName::ALL
        .iter()
        .filter(|n| **n != PartName::Freshness && value(**n) != 0.0)
        .map(|n| format!("{n} {:.2}", value(*n)))
        .collect();
    let sum = if sum.is_empty() {
        "0".to_string()
    } else {
        sum.join(" + ")
    };
    para(
        &mut s,
        &format!(
            "score {:.3} = ({sum}) x freshness {:.3}",
            e.score.total,
            value(PartName::Freshness)
        ),
        width,
        "  ",
    );
    if let Some(imp) = e.importance {
        let relevance = crate::rank::select::relevance(&e.score);
        para(
            &mut s,
            &format!(
                "importance {imp:.3} = (ln(1 + relevance {relevance:.2}) + upvotes and comments \
                 + velocity {:.2}) x freshness {:.3}: the order of the digest's main list",
                value(PartName::Velocity),
                value(PartName::Freshness)
            ),
            width,
            "  ",
        );
    }
    for p in &e.score.parts {
        for d in crate::output::counted_details(p, &e.score.matches) {
            detail(&mut s, p.name.as_str(), &sanitize_line(&d), width);
        }
    }
    if let Some(n) = &e.nearest_meaning {
        detail(&mut s, "meaning", &nearest_line(n), width);
    }
    para(
        &mut s,
        &format!("why: {}", sanitize_line(&e.why)),
        width,
        "  ",
    );
    s
}

//! What goes into the digest of a day, and why any paper is or is not in
//! it: the one selection that `digest`, `run` and `explain` share.
//!
//! The pool of a day's digest is every paper visible by the end of that day
//! (or now, when earlier; "visible" is when the reader could first see it,
//! so a view of a past day sees only what existed then), which is either
//! **new** (first seen after the watermark of the last delivered
//! digest: nothing is ever lost) and **news** (visible at most
//! [`Config::news_horizon`] before papertrend could first see it, see
//! [`Window::news`]: a bulk import of old papers is never new) or still
//! **fresh** (visible within
//! `[digest] eligible_for`, counted as if no day had been missed: a paper
//! not yet mailed gets another chance while its counts grow), minus the papers an earlier digest listed
//! (nothing is repeated; a paper's identity is its id, so a v2 of a paper
//! already sent is not new). The pool is scored by [`crate::rank`] and cut
//! into lists by [`crate::rank::select`]; after missed days, each missed day
//! gets its share. Papers a mute in force removes are not in the pool; the
//! learned profile scores it with the reader's interests.

use std::cell::Cell;
use std::collections::HashSet;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use super::model::RisingTopic;
use crate::config::Config;
use crate::engine::feedback::Feedback;
use crate::error::Result;
use crate::index::Index;
use crate::ledger::Ledger;
use crate::paper::Paper;
use crate::rank::select::{
    self as pick, AlsoPopularFull, BelowCutoff, Candidate, LeftOut, NotAMatch, Rules, Section,
    Selection,
};
use crate::rank::{Ranked, Window};

/// At most this many papers of a pool are scored in full (the best by the
/// ranking's own order); the lists are cut from them.
pub const POOL_CAP: usize = 2_000;

/// A catch-up digest covers at most this many days; papers of older missed
/// days count with the oldest of them.
pub const MAX_DAYS: usize = 7;

/// The inputs that decide a day's digest.
#[derive(Clone, Debug)]
pub struct Day {
    /// The reader's day.
    pub date: Date,
    /// The clock.
    pub now: Timestamp,
    /// Whether papers listed by earlier digests may be listed again.
    pub include_seen: bool,
}

/// A day's selection with its window and counts.
#[derive(Clone, Debug)]
pub struct DaySelection {
    /// The lists and the reason for every candidate left out.
    pub selection: Selection,
    /// The last delivered digest's watermark (`None`: first digest).
    pub since: Option<Timestamp>,
    /// Papers first seen up to this instant are covered.
    pub until: Timestamp,
    /// Papers visible since this instant are still eligible.
    pub fresh_from: Timestamp,
    /// How long before it could be seen a new paper may have become
    /// visible and still be news ([`Config::news_horizon`]).
    pub horizon: jiff::SignedDuration,
    /// Papers in the pool.
    pub considered: usize,
    /// Of those, papers an `exclude` entry removed.
    pub excluded: usize,
    /// Papers left out because an earlier digest listed them.
    pub already_sent: usize,
    /// Papers of the pool first seen after the last digest's watermark
    /// (the others are still fresh from earlier days).
    pub new_since: usize,
    /// The reader's day the newest of the still-fresh papers became
    /// visible (`None` when there are none).
    pub leftover_day: Option<Date>,
    /// Rising topics.
    pub rising: Vec<RisingTopic>,
    /// Ids of papers listed by earlier digests.
    pub sent: HashSet<String>,
    /// Ids of papers the reader marked (like, dislike or read): they have
    /// seen them, so no digest lists them again.
    pub marked: HashSet<String>,
}

/// The reader's days a digest of `date` covers: the days after the last
/// delivered digest's day, up to `date` (at most [`MAX_DAYS`]); just `date`
/// for the first digest or after a digest yesterday.
fn covered_days(ledger: &Ledger, date: Date) -> Vec<Date> {
    let day = date.to_string();
    let last = ledger
        .digests
        .iter()
        .filter(|d| d.date.as_str() < day.as_str())
        .filter_map(|d| d.date.parse::<Date>().ok())
        .max();
    let mut days = vec![date];
    if let Some(last) = last {
        let mut d = date;
        while days.len() < MAX_DAYS {
            match d.yesterday() {
                Ok(y) if y > last => {
                    days.push(y);
                    d = y;
                }
                _ => break,
            }
        }
    }
    days.reverse();
    days
}

/// The selection rules of `[digest]`.
///
/// A reader who follows nothing (no keywords, categories or authors) has
/// nothing to match: the main list then ranks every paper, and there is no
/// "also popular".
pub fn rules(config: &Config) -> Rules {
    let d = &config.digest;
    let i = &config.interests;
    let follows_nothing = i.keywords.is_empty() && i.categories.is_empty() && i.authors.is_empty();
    Rules {
        limit: d.limit,
        catch_up_limit: d.catch_up_limit.max(d.limit),
        min_relevance: if follows_nothing {
            f32::NEG_INFINITY
        } else {
            d.min_relevance
        },
        spread: d.spread,
        also_popular: if follows_nothing { 0 } else { d.also_popular },
        also_popular_min_upvotes: d.also_popular_min_upvotes,
        upvotes_weight: config.rank.upvotes_weight * config.rank.popularity_weight,
        comments_weight: config.rank.comments_weight * config.rank.popularity_weight,
    }
}

/// Selects the digest of `day`.
///
/// # Errors
/// An index or config failure.
pub fn select(
    index: &Index,
    config: &Config,
    ledger: &Ledger,
    day: &Day,
    fb: &Feedback,
) -> Result<DaySelection> {
    let date = day.date.to_string();
    let until = super::end_of_day(config, day.date)?.min(day.now);
    let since = ledger.watermark_before(&date);
    let sent = if day.include_seen {
        HashSet::new()
    } else {
        ledger.sent_before(&date)
    };
    // Eligibility runs on the days digests were delivered: after missed
    // days, a paper still has the chances it would have had (it counts from
    // one day after the last digest's watermark, not from today).
    let eligible = config.digest.eligible_for.0;
    let fresh_from = until.checked_sub(eligible).unwrap_or(Timestamp::MIN);
    let fresh_from = since
        .and_then(|w| w.checked_add(jiff::SignedDuration::from_hours(24)).ok())
        .and_then(|t| t.checked_sub(eligible).ok())
        .map_or(fresh_from, |t| t.min(fresh_from));
    let marked: HashSet<String> = if day.include_seen {
        HashSet::new()
    } else {
        fb.marks
            .marks
            .iter()
            .filter(|m| m.opinion.is_some() || m.read)
            .map(|m| m.id.clone())
            .collect()
    };
    let already_sent = Cell::new(0usize);
    let filter = |p: &Paper| {
        if marked.contains(&p.id) {
            false
        } else if sent.contains(&p.id) {
            already_sent.set(already_sent.get() + 1);
            false
        } else {
            true
        }
    };
    let horizon = config.news_horizon();
    let window = Window::Pool {
        new_after: since,
        horizon,
        fresh_from,
        until,
    };
    let outcome = crate::engine::rank::rank_papers(
        index,
        config,
        until,
        window,
        POOL_CAP,
        Some(&filter),
        fb,
    )?;
    let tz = super::time_zone(config)?;
    let days = covered_days(ledger, day.date);
    let candidates: Vec<Candidate> = outcome
        .ranked
        .into_iter()
        .map(|ranked| Candidate {
            day: ranked
                .paper
                .visible_date()
                .map_or(day.date, |t| t.to_zoned_datetime(tz.clone()).date()),
            ranked,
        })
        .collect();
    let is_new = |p: &Paper| match (since, p.first_seen) {
        (Some(w), Some(f)) => f > w,
        _ => true,
    };
    let new_since = candidates
        .iter()
        .filter(|c| is_new(&c.ranked.paper))
        .count();
    let leftover_day = candidates
        .iter()
        .filter(|c| !is_new(&c.ranked.paper))
        .map(|c| c.day)
        .max();
    let mut selection = pick::select(candidates, &days, &rules(config));
    fb.name_neighbours(
        selection
            .main
            .iter_mut()
            .chain(selection.also_popular.iter_mut())
            .map(|p| &mut p.ranked),
    );
    Ok(DaySelection {
        selection,
        since,
        until,
        fresh_from,
        horizon,
        considered: outcome.considered,
        excluded: outcome.excluded,
        already_sent: already_sent.get(),
        new_since,
        leftover_day,
        rising: outcome
            .rising
            .into_iter()
            .map(|t| RisingTopic {
                phrase: t.phrase,
                window_count: t.window_count,
                baseline_count: t.baseline_count,
            })
            .collect(),
        sent,
        marked,
    })
}

/// Whether and why a paper is (not) in a day's digest.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Verdict {
    /// A mute in force removes it from every list.
    Muted {
        /// The mute as typed (`author:Jane Doe`, `category:cs.CV`, a term).
        mute: String,
        /// When it was set.
        since: Timestamp,
        /// When it expires (`None`: never).
        until: Option<Timestamp>,
    },
    /// The reader marked it (like, dislike or read): it was seen.
    Marked {
        /// The marks (`like`, `read`, …).
        marks: Vec<String>,
    },
    /// It is in the digest.
    Included {
        /// `main` or `also_popular`.
        section: Section,
        /// Its 1-based position in that list.
        position: usize,
        /// The day it is listed under (a catch-up digest groups by day).
        day: Date,
        /// When spread placed it below a paper with a lower score: the
        /// interest that already had papers above it.
        moved_for: Option<String>,
    },
    /// An `[interests] exclude` entry removes it from every list.
    Excluded {
        /// The entry.
        keyword: String,
        /// Where it matched (`title` or `abstract`).
        field: String,
    },
    /// An earlier digest listed it.
    AlreadySent {
        /// That digest's day.
        date: String,
        /// When it was delivered.
        sent_at: Timestamp,
    },
    /// It was not visible yet by the digest's end.
    NotYetSeen {
        /// When the index first saw it.
        first_seen: Option<Timestamp>,
        /// When the reader could first see it.
        visible: Option<Timestamp>,
        /// The digest's end.
        until: Timestamp,
    },
    /// It is new to the index but was visible long before papertrend
    /// could see it (a bulk import of old papers): a digest is news.
    NotNews {
        /// When the index first saw it.
        first_seen: Option<Timestamp>,
        /// When the reader could first see it.
        visible: Option<Timestamp>,
        /// The news horizon in days ([`Config::news_horizon`]).
        horizon_days: i64,
    },
    /// It is neither new since the last digest nor fresh any more.
    OutsideWindow {
        /// When the index first saw it.
        first_seen: Option<Timestamp>,
        /// When the reader could first see it.
        visible: Option<Timestamp>,
        /// The last digest's watermark.
        since: Option<Timestamp>,
        /// The start of the freshness window.
        fresh_from: Timestamp,
    },
    /// It does not match the reader enough for the main list, and has fewer
    /// upvotes than "also popular" asks for (or the section is off).
    NotAMatch(NotAMatch),
    /// It does not match the reader enough for the main list; it had the
    /// upvotes for "also popular", but the section was full with papers
    /// that had more.
    AlsoPopularFull(AlsoPopularFull),
    /// Its day's list was full with papers that match the reader more (or
    /// spread gave its place to another interest).
    BelowCutoff(BelowCutoff),
    /// Beyond the best [`POOL_CAP`] papers of the pool.
    BeyondPool {
        /// Its score.
        score: f32,
    },
}

/// The verdict on `paper` (scored as `ranked`; `excluded` from
/// [`crate::engine::rank::score_paper`]) in the selection `sel`, with the
/// ledger for papers already sent. A mute in force at the digest's end
/// (`fb`) is checked first.
pub fn verdict(
    sel: &DaySelection,
    ledger: &Ledger,
    day: &str,
    ranked: &Ranked,
    excluded: Option<(String, String)>,
    fb: &Feedback,
) -> Verdict {
    let p = &ranked.paper;
    if let Some(m) = fb.mute_for(p, sel.until) {
        return Verdict::Muted {
            mute: m.spec(),
            since: m.since,
            until: m.until,
        };
    }
    if sel.marked.contains(&p.id) {
        let marks = fb
            .marks
            .marks
            .iter()
            .filter(|m| m.id == p.id)
            .flat_map(|m| m.labels())
            .map(str::to_string)
            .collect();
        return Verdict::Marked { marks };
    }
    if let Some(found) = sel.selection.find(&p.id) {
        return match found {
            Ok(pick) => Verdict::Included {
                section: pick.section,
                position: pick.position,
                day: pick.day,
                moved_for: pick.moved_for.clone(),
            },
            Err(LeftOut::NotAMatch(x)) => Verdict::NotAMatch(x.clone()),
            Err(LeftOut::AlsoPopularFull(x)) => Verdict::AlsoPopularFull(x.clone()),
            Err(LeftOut::BelowCutoff(x)) => Verdict::BelowCutoff(x.clone()),
        };
    }
    if let Some((keyword, field)) = excluded {
        return Verdict::Excluded { keyword, field };
    }
    if sel.sent.contains(&p.id)
        && let Some(d) = ledger
            .digests
            .iter()
            .filter(|d| d.date.as_str() < day && d.papers.contains(&p.id))
            .min_by(|a, b| a.date.cmp(&b.date))
    {
        return Verdict::AlreadySent {
            date: d.date.clone(),
            sent_at: d.sent_at,
        };
    }
    let visible = p.visible_date();
    if visible.is_none_or(|t| t > sel.until) {
        return Verdict::NotYetSeen {
            first_seen: p.first_seen,
            visible,
            until: sel.until,
        };
    }
    let new = match (sel.since, p.first_seen) {
        (Some(w), Some(f)) => f > w,
        _ => true,
    };
    let fresh = visible.is_some_and(|t| t >= sel.fresh_from);
    if new && !fresh && !Window::news(sel.since, p.first_seen, visible, sel.horizon) {
        return Verdict::NotNews {
            first_seen: p.first_seen,
            visible,
            horizon_days: sel.horizon.as_hours() / 24,
        };
    }
    if !new && !fresh {
        return Verdict::OutsideWindow {
            first_seen: p.first_seen,
            visible,
            since: sel.since,
            fresh_from: sel.fresh_from,
        };
    }
    Verdict::BeyondPool {
        score: ranked.score.total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{Delivery, SentDigest};

    fn sent(date: &str) -> SentDigest {
        SentDigest {
            date: date.into(),
            message_id: format!("<{date}@x>"),
            sent_at: "2025-11-01T07:00:00Z"
                .parse()
                .unwrap_or(Timestamp::UNIX_EPOCH),
            covered_until: "2025-11-01T07:00:00Z"
                .parse()
                .unwrap_or(Timestamp::UNIX_EPOCH),
            delivery: Delivery::Mail,
            papers: vec![],
        }
    }

    #[test]
    fn a_digest_after_missed_days_covers_each_of_them() {
        let d = |s: &str| s.parse::<Date>().unwrap_or_default();
        let mut ledger = Ledger::default();
        assert_eq!(covered_days(&ledger, d("2025-11-05")), [d("2025-11-05")]);
        ledger.digests.push(sent("2025-11-04"));
        assert_eq!(covered_days(&ledger, d("2025-11-05")), [d("2025-11-05")]);
        ledger.digests.push(sent("2025-11-01"));
        ledger.digests.retain(|x| x.date == "2025-11-01");
        assert_eq!(
            covered_days(&ledger, d("2025-11-04")),
            [d("2025-11-02"), d("2025-11-03"), d("2025-11-04")]
        );
        // At most MAX_DAYS.
        assert_eq!(covered_days(&ledger, d("2025-11-30")).len(), MAX_DAYS);
    }
}

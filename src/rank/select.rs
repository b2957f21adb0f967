//! Selection: from scored candidates to the lists a reader sees. Pure: the
//! candidates come in scored (by [`super::score`]), the lists go out with the
//! reason for every paper left out, so `digest`, `run` and `explain` share
//! one answer.
//!
//! The rules, in order:
//! 1. **Relevance** is what the reader's own signals add up to before
//!    freshness: interests + negatives + follows + profile. A paper enters
//!    the main list only when it reaches `min_relevance`.
//! 2. **Days**: a catch-up selection covers several days; each day gets its
//!    share of the total (at least [`MIN_PER_DAY`]), so no missed day is
//!    crowded out by another.
//! 3. **Who is in**: the day's most upvoted relevant paper, then papers
//!    taken greedily by score (where relevance weighs most), each score
//!    multiplied by `spread` once for every paper already taken for the
//!    same primary interest (the one that adds most to its relevance).
//! 4. **Who is on top**: the papers in are ordered by importance,
//!    `(ln(1 + relevance) + upvotes + comments + velocity) × freshness`
//!    (see [`importance`]), the most upvoted one first. Here spread costs
//!    `ln(1 / spread)` of importance per paper already placed for the same
//!    interest (0.36 at 0.7: as if it had `spread` times the upvotes), so it
//!    only reorders papers of similar popularity. A paper that a less
//!    important one overtook this way is marked as moved.
//! 5. **Also popular**: papers below `min_relevance` with at least
//!    `also_popular_min_upvotes`, most upvoted first, at most `also_popular`,
//!    in a section of their own, never in the main list.
//!
//! Invariant: every candidate ends in exactly one of the main list, the
//! "also popular" list, or [`Selection::left_out`] with its reason.

use std::collections::HashMap;

use jiff::civil::Date;
use serde::Serialize;

use super::{PartName, Ranked, Score};

/// Each day of a catch-up digest gets at least this many places.
pub const MIN_PER_DAY: usize = 3;

/// The knobs of a selection (from `[digest]`, or `top`'s flags).
#[derive(Clone, Debug)]
pub struct Rules {
    /// Main-list size of a one-day selection.
    pub limit: usize,
    /// Total main-list size of a selection over several days.
    pub catch_up_limit: usize,
    /// Relevance a paper needs for the main list.
    pub min_relevance: f32,
    /// Score factor per paper already taken for the same interest (1: off).
    pub spread: f32,
    /// Size of the "also popular" section (0: off).
    pub also_popular: usize,
    /// Upvotes a paper needs for "also popular".
    pub also_popular_min_upvotes: u64,
    /// What ln(1 + upvotes) weighs in [`importance`] (`rank.upvotes_weight`
    /// × `rank.popularity_weight`).
    pub upvotes_weight: f32,
    /// What ln(1 + comments) weighs in [`importance`].
    pub comments_weight: f32,
}

/// A candidate: a scored paper and the day it belongs to (the reader's day
/// it became visible, clamped into the selection's days).
#[derive(Clone, Debug)]
pub struct Candidate {
    /// The scored paper.
    pub ranked: Ranked,
    /// Its day.
    pub day: Date,
}

/// Which list a picked paper is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// The main list: papers that match the reader.
    Main,
    /// "Also popular": popular papers that match nothing the reader follows.
    AlsoPopular,
}

/// A picked paper.
#[derive(Clone, Debug)]
pub struct Pick {
    /// The scored paper.
    pub ranked: Ranked,
    /// Its day.
    pub day: Date,
    /// Its list.
    pub section: Section,
    /// Its 1-based position within its list (across days, in day order).
    pub position: usize,
    /// When spread placed it below a paper with a lower score: the interest
    /// that already had papers above it.
    pub moved_for: Option<String>,
}

/// Why a candidate is not in any list. Each reason is a struct of its own,
/// so that the verdict `explain` gives (the digest selection's `Verdict`) carries
/// the same one.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum LeftOut {
    /// See [`NotAMatch`].
    NotAMatch(NotAMatch),
    /// See [`AlsoPopularFull`].
    AlsoPopularFull(AlsoPopularFull),
    /// See [`BelowCutoff`].
    BelowCutoff(BelowCutoff),
}

/// Its relevance is below `min_relevance`, and it has fewer upvotes than
/// "also popular" asks for (or the section is off).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NotAMatch {
    /// Its relevance (interests + negatives + follows + profile).
    pub relevance: f32,
    /// `[digest] min_relevance`.
    pub min_relevance: f32,
    /// Its upvotes.
    pub upvotes: u64,
    /// `[digest] also_popular_min_upvotes` (0 when the section is off).
    pub min_upvotes: u64,
}

/// It matches too little for the main list and had the upvotes for "also
/// popular", but the section was full with papers that had more.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AlsoPopularFull {
    /// Its relevance.
    pub relevance: f32,
    /// `[digest] min_relevance`.
    pub min_relevance: f32,
    /// Its upvotes.
    pub upvotes: u64,
    /// The places of the section (`[digest] also_popular`).
    pub places: usize,
    /// The fewest upvotes of a paper in the section.
    pub cutoff: u64,
}

/// Its day's list was full with papers that match the reader more (a
/// higher score), or spread gave its place to another interest.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BelowCutoff {
    /// Its score.
    pub score: f32,
    /// The lowest score taken that day.
    pub cutoff: f32,
    /// How many places its day had.
    pub places: usize,
    /// When spread cost it its place: the interest already well covered.
    pub moved_for: Option<String>,
}

/// The outcome of [`select`].
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// The main list, in day order, best first within a day.
    pub main: Vec<Pick>,
    /// "Also popular".
    pub also_popular: Vec<Pick>,
    /// Every other candidate, by id.
    pub left_out: HashMap<String, LeftOut>,
    /// The days covered, oldest first.
    pub days: Vec<Date>,
    /// Candidates that reached `min_relevance`.
    pub matched: usize,
}

impl Selection {
    /// Where paper `id` is: its pick, or why it was left out (`None` when it
    /// was not a candidate).
    pub fn find(&self, id: &str) -> Option<Result<&Pick, &LeftOut>> {
        self.main
            .iter()
            .chain(&self.also_popular)
            .find(|p| p.ranked.paper.id == id)
            .map(Ok)
            .or_else(|| self.left_out.get(id).map(Err))
    }
}

/// What the reader's own signals add up to, before freshness: interests,
/// negatives and follows (the part values, not the points).
pub fn relevance(score: &Score) -> f32 {
    score
        .parts
        .iter()
        .filter(|p| p.name.is_relevance())
        .map(|p| p.value)
        .sum()
}

/// The interest (or followed name) that adds most to a paper's relevance:
/// the unit spread works on. `None` when nothing matched.
pub fn primary_interest(score: &Score) -> Option<String> {
    let mut by_term: Vec<(String, f32)> = Vec::new();
    for m in score
        .matches
        .iter()
        .filter(|m| m.part == PartName::Interest || m.part == PartName::Follow)
    {
        match by_term.iter_mut().find(|(t, _)| *t == m.term) {
            Some((_, w)) => *w += m.weight,
            None => by_term.push((m.term.clone(), m.weight)),
        }
    }
    by_term
        .into_iter()
        .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        .map(|(t, _)| t)
}

/// How important a paper is for this reader, the order of the main list:
/// `(ln(1 + relevance) + upvotes_weight × ln(1 + upvotes) + comments_weight
/// × ln(1 + comments) + velocity) × freshness` (the popularity weights
/// times `popularity_weight`). Relevance counts on the same log scale as
/// upvotes: matching in title and abstract (3) adds 1.4, as 3 upvotes do;
/// 77 upvotes add 4.4. GitHub stars and shipping code count in the score
/// (and `top`), not here: they say how much a repository is liked, not how
/// much this paper is read today.
pub fn importance(r: &Ranked, rules: &Rules) -> f32 {
    let score = &r.score;
    let value = |n: PartName| score.part(n).map_or(0.0, |p| p.value);
    let fresh = score.part(PartName::Freshness).map_or(1.0, |p| p.value);
    let ln = |n: Option<u64>| (n.unwrap_or(0) as f32).ln_1p();
    (relevance(score).max(0.0).ln_1p()
        + rules.upvotes_weight * ln(r.paper.upvotes)
        + rules.comments_weight * ln(r.paper.comments)
        + value(PartName::Velocity))
        * fresh
}

/// How many main-list places each of `days` days gets.
pub fn places_per_day(rules: &Rules, days: usize) -> usize {
    if days <= 1 {
        rules.limit
    } else {
        (rules.catch_up_limit / days)
            .max(MIN_PER_DAY)
            .min(rules.limit)
    }
}

/// Orders by importance, most important first, then by score, ties by id
/// (the same input always gives the same order).
fn by_importance(a: &Ranked, b: &Ranked, rules: &Rules) -> std::cmp::Ordering {
    importance(b, rules)
        .total_cmp(&importance(a, rules))
        .then_with(|| b.score.total.total_cmp(&a.score.total))
        .then_with(|| a.paper.id.cmp(&b.paper.id))
}

/// Orders by upvotes, most first, then by importance.
fn by_upvotes(a: &Ranked, b: &Ranked, rules: &Rules) -> std::cmp::Ordering {
    let up = |r: &Ranked| r.paper.upvotes.unwrap_or(0);
    up(b).cmp(&up(a)).then_with(|| by_importance(a, b, rules))
}

/// Selects the main list and "also popular" from `candidates`, covering
/// `days` (oldest first; a candidate of another day is counted in the
/// nearest one).
pub fn select(mut candidates: Vec<Candidate>, days: &[Date], rules: &Rules) -> Selection {
    let mut days = days.to_vec();
    days.sort_unstable();
    days.dedup();
    if days.is_empty() {
        days.extend(candidates.iter().map(|c| c.day).max());
    }
    let (Some(&first), Some(&last)) = (days.first(), days.last()) else {
        return Selection::default();
    };
    for c in &mut candidates {
        c.day = c.day.clamp(first, last);
        if !days.contains(&c.day) {
            // A day between two covered days that is not covered itself
            // counts with the next covered day.
            c.day = days.iter().copied().find(|d| *d >= c.day).unwrap_or(last);
        }
    }
    candidates.sort_by(|a, b| by_importance(&a.ranked, &b.ranked, rules));
    let places = places_per_day(rules, days.len());
    let mut out = Selection {
        days: days.clone(),
        ..Selection::default()
    };
    let (matching, rest): (Vec<Candidate>, Vec<Candidate>) = candidates
        .into_iter()
        .partition(|c| relevance(&c.ranked.score) >= rules.min_relevance);
    out.matched = matching.len();
    for day in &days {
        let pool: Vec<&Candidate> = matching.iter().filter(|c| c.day == *day).collect();
        // Who is in: relevance (the score), spread across interests.
        let members = member_pick(&pool, places, rules.spread);
        // The lowest score taken: with spread, not always the last one.
        let cutoff = members
            .iter()
            .map(|i| pool[*i].ranked.score.total)
            .reduce(f32::min)
            .unwrap_or(0.0);
        // Who is on top: importance (members keep the importance order of
        // `pool`).
        let mut sorted = members.clone();
        sorted.sort_unstable();
        let in_list: Vec<&Candidate> = sorted.iter().map(|i| pool[*i]).collect();
        for (k, moved_for) in spread_pick(&in_list, in_list.len(), rules) {
            out.main.push(Pick {
                ranked: in_list[k].ranked.clone(),
                day: *day,
                section: Section::Main,
                position: out.main.len() + 1,
                moved_for,
            });
        }
        for (i, c) in pool.iter().enumerate() {
            if members.contains(&i) {
                continue;
            }
            // It scores above a paper that was taken: spread cost it its
            // place.
            let score = c.ranked.score.total;
            let moved_for = if score > cutoff && members.len() == places {
                primary_interest(&c.ranked.score)
            } else {
                None
            };
            out.left_out.insert(
                c.ranked.paper.id.clone(),
                LeftOut::BelowCutoff(BelowCutoff {
                    score,
                    cutoff,
                    places,
                    moved_for,
                }),
            );
        }
    }
    // "Also popular" is about upvotes: the most upvoted first.
    let mut rest = rest;
    rest.sort_by(|a, b| by_upvotes(&a.ranked, &b.ranked, rules));
    let min_upvotes = if rules.also_popular == 0 {
        0
    } else {
        rules.also_popular_min_upvotes
    };
    let mut full: Vec<Candidate> = Vec::new();
    for c in rest {
        let upvotes = c.ranked.paper.upvotes.unwrap_or(0);
        let popular = rules.also_popular > 0 && upvotes >= min_upvotes;
        if popular && out.also_popular.len() < rules.also_popular {
            out.also_popular.push(Pick {
                position: out.also_popular.len() + 1,
                ranked: c.ranked,
                day: c.day,
                section: Section::AlsoPopular,
                moved_for: None,
            });
        } else if popular {
            full.push(c);
        } else {
            out.left_out.insert(
                c.ranked.paper.id.clone(),
                LeftOut::NotAMatch(NotAMatch {
                    relevance: relevance(&c.ranked.score),
                    min_relevance: rules.min_relevance,
                    upvotes,
                    min_upvotes,
                }),
            );
        }
    }
    let cutoff = out
        .also_popular
        .iter()
        .map(|p| p.ranked.paper.upvotes.unwrap_or(0))
        .min()
        .unwrap_or(0);
    for c in full {
        out.left_out.insert(
            c.ranked.paper.id.clone(),
            LeftOut::AlsoPopularFull(AlsoPopularFull {
                relevance: relevance(&c.ranked.score),
                min_relevance: rules.min_relevance,
                upvotes: c.ranked.paper.upvotes.unwrap_or(0),
                places: rules.also_popular,
                cutoff,
            }),
        );
    }
    out
}

/// The index of the most popular paper of `pool` now: the most upvotes,
/// discounted by freshness like everything else (an old paper with more
/// upvotes in a first digest does not lead); ties go to the earlier index.
fn most_popular(pool: &[&Candidate]) -> Option<usize> {
    let key = |i: usize| {
        let r = &pool[i].ranked;
        let fresh = r.score.part(PartName::Freshness).map_or(1.0, |p| p.value);
        (r.paper.upvotes.unwrap_or(0) as f32).ln_1p() * fresh
    };
    (0..pool.len()).max_by(|a, b| key(*a).total_cmp(&key(*b)).then_with(|| b.cmp(a)))
}

/// Who is in the main list of a day: the indices of up to `places` papers
/// of `pool`: its most upvoted paper, then greedily by score, each score
/// multiplied by `spread` once for every paper already taken for the same
/// primary interest.
fn member_pick(pool: &[&Candidate], places: usize, spread: f32) -> Vec<usize> {
    let primary: Vec<Option<String>> = pool
        .iter()
        .map(|c| primary_interest(&c.ranked.score))
        .collect();
    let mut taken_per: HashMap<&str, i32> = HashMap::new();
    let mut taken: Vec<usize> = Vec::new();
    let mut used = vec![false; pool.len()];
    let most_upvoted = most_popular(pool);
    let mut next = most_upvoted.filter(|_| places > 0);
    while taken.len() < places {
        let i = match next.take() {
            Some(i) => i,
            None => {
                let mut best: Option<(usize, f32)> = None;
                for (i, c) in pool.iter().enumerate().filter(|(i, _)| !used[*i]) {
                    let n = primary[i]
                        .as_deref()
                        .and_then(|p| taken_per.get(p))
                        .copied()
                        .unwrap_or(0);
                    let adjusted = c.ranked.score.total * spread.powi(n);
                    if best.is_none_or(|(_, s)| adjusted > s) {
                        best = Some((i, adjusted));
                    }
                }
                let Some((i, _)) = best else { break };
                i
            }
        };
        used[i] = true;
        if let Some(p) = &primary[i] {
            *taken_per.entry(p.as_str()).or_insert(0) += 1;
        }
        taken.push(i);
    }
    taken
}

/// Orders `pool` (sorted most important first): its most
/// upvoted paper first, then greedily, each importance lowered by
/// `ln(1 / spread)` per paper already taken for the same primary interest. Returns the indices taken, in order, each
/// with the interest spread moved it down for (when a less important paper
/// went before it).
fn spread_pick(pool: &[&Candidate], places: usize, rules: &Rules) -> Vec<(usize, Option<String>)> {
    let primary: Vec<Option<String>> = pool
        .iter()
        .map(|c| primary_interest(&c.ranked.score))
        .collect();
    let key: Vec<f32> = pool.iter().map(|c| importance(&c.ranked, rules)).collect();
    // ≤ 0: a paper already taken for the interest costs this much.
    let cost = rules.spread.max(f32::MIN_POSITIVE).ln();
    let mut taken_per: HashMap<&str, i32> = HashMap::new();
    let mut taken: Vec<(usize, Option<String>)> = Vec::new();
    let mut used = vec![false; pool.len()];
    // The day's most upvoted relevant paper leads whatever else it has
    // (ties: the more important); then the greedy order.
    let most_upvoted = most_popular(pool);
    if let Some(i) = most_upvoted.filter(|_| places > 0) {
        used[i] = true;
        if let Some(p) = &primary[i] {
            *taken_per.entry(p.as_str()).or_insert(0) += 1;
        }
        taken.push((i, None));
    }
    while taken.len() < places {
        let mut best: Option<(usize, f32)> = None;
        for i in (0..pool.len()).filter(|i| !used[*i]) {
            let n = primary[i]
                .as_deref()
                .and_then(|p| taken_per.get(p))
                .copied()
                .unwrap_or(0);
            let adjusted = key[i] + cost * n as f32;
            if best.is_none_or(|(_, s)| adjusted > s) {
                best = Some((i, adjusted));
            }
        }
        let Some((i, _)) = best else { break };
        used[i] = true;
        if let Some(p) = &primary[i] {
            *taken_per.entry(p.as_str()).or_insert(0) += 1;
        }
        taken.push((i, None));
    }
    // A taken paper was moved when some less important paper (a higher
    // index) was taken before it, other than the pinned most upvoted one.
    let order: Vec<usize> = taken.iter().map(|(i, _)| *i).collect();
    for (k, (i, moved_for)) in taken.iter_mut().enumerate() {
        if order[..k].iter().skip(1).any(|j| j > i) {
            *moved_for = primary[*i].clone();
        }
    }
    taken
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paper::Paper;
    use crate::rank::{Match, Part};

    fn cand(id: &str, total: f32, terms: &[(&str, f32)], upvotes: u64, day: Date) -> Candidate {
        let interest: f32 = terms.iter().map(|t| t.1).sum();
        let pop = (upvotes as f32).ln_1p() + 1.0;
        let score = Score {
            total,
            parts: vec![
                Part {
                    name: PartName::Interest,
                    value: interest,
                    points: interest,
                    detail: vec![],
                },
                Part {
                    // Stars and code (+1) count in the score, not in importance.
                    name: PartName::Popularity,
                    value: pop,
                    points: pop,
                    detail: vec![],
                },
            ],
            matches: terms
                .iter()
                .map(|(t, w)| Match {
                    part: PartName::Interest,
                    term: (*t).into(),
                    via: None,
                    field: "title".into(),
                    weight: *w,
                })
                .collect(),
        };
        Candidate {
            ranked: Ranked {
                paper: Paper {
                    id: id.into(),
                    upvotes: Some(upvotes),
                    ..Paper::default()
                },
                score,
                why: String::new(),
                matched_terms: vec![],
                velocity: None,
            },
            day,
        }
    }

    fn rules(limit: usize) -> Rules {
        Rules {
            limit,
            catch_up_limit: 30,
            min_relevance: 1.0,
            spread: 0.7,
            also_popular: 2,
            also_popular_min_upvotes: 10,
            upvotes_weight: 1.0,
            comments_weight: 0.0,
        }
    }

    fn ids(picks: &[Pick]) -> Vec<&str> {
        picks.iter().map(|p| p.ranked.paper.id.as_str()).collect()
    }

    const D: Date = jiff::civil::date(2025, 11, 3);

    #[test]
    fn papers_that_match_nothing_never_fill_the_main_list() {
        let c = vec![
            cand("a", 5.0, &[("agents", 2.0)], 0, D),
            cand("off-topic", 9.0, &[], 3, D),
            cand("popular", 8.0, &[], 80, D),
        ];
        let s = select(c, &[D], &rules(10));
        assert_eq!(ids(&s.main), ["a"]);
        assert_eq!(ids(&s.also_popular), ["popular"]);
        assert!(matches!(
            s.left_out.get("off-topic"),
            Some(LeftOut::NotAMatch(_))
        ));
    }

    #[test]
    fn spread_lets_a_second_interest_in_and_says_who_moved() {
        let c = vec![
            cand("a1", 10.0, &[("agents", 2.0)], 50, D),
            cand("a2", 9.0, &[("agents", 2.0)], 40, D),
            cand("a3", 8.0, &[("agents", 2.0)], 30, D),
            cand("d1", 6.0, &[("diffusion", 2.0)], 25, D),
        ];
        let s = select(c, &[D], &rules(3));
        // a3 (ln 3 + ln 31 − 2 × 0.36 = 3.8) loses its place to d1 (4.4).
        assert_eq!(ids(&s.main), ["a1", "a2", "d1"]);
        assert_eq!(s.main[2].moved_for, None);
        match s.left_out.get("a3") {
            Some(LeftOut::BelowCutoff(BelowCutoff { moved_for, .. })) => {
                assert_eq!(moved_for.as_deref(), Some("agents"));
            }
            other => panic!("a3: {other:?}"),
        }
        let off = select(
            vec![
                cand("a1", 10.0, &[("agents", 2.0)], 50, D),
                cand("a2", 9.0, &[("agents", 2.0)], 40, D),
                cand("d1", 6.0, &[("diffusion", 2.0)], 25, D),
            ],
            &[D],
            &Rules {
                spread: 1.0,
                ..rules(2)
            },
        );
        assert_eq!(ids(&off.main), ["a1", "a2"]);
    }

    #[test]
    fn the_days_most_upvoted_relevant_paper_leads_whatever_matched_in_titles() {
        // The Kimi K2.5 day of #25: 77 upvotes and one abstract match, below
        // papers of 1–15 upvotes that matched in their titles (a higher score).
        let c = vec![
            cand(
                "title-1",
                9.0,
                &[("robotics", 2.0), ("robotics", 1.0)],
                1,
                D,
            ),
            cand("title-15", 9.5, &[("world models", 2.0)], 15, D),
            cand("title-5", 9.2, &[("multimodal", 2.0), ("video", 2.0)], 5, D),
            cand("kimi", 6.0, &[("multimodal", 1.0)], 77, D),
            cand("multi-40", 5.0, &[("multimodal", 1.0)], 40, D),
        ];
        let s = select(c, &[D], &rules(5));
        assert_eq!(s.main[0].ranked.paper.id, "kimi");
        // Spread does not put a paper with 40 upvotes below one with 5 for
        // sharing "multimodal" with the leader.
        let pos = |id: &str| ids(&s.main).iter().position(|x| *x == id);
        assert!(pos("multi-40") < pos("title-5"), "{:?}", ids(&s.main));
        assert_eq!(ids(&s.main).last(), Some(&"title-1"));
    }

    #[test]
    fn also_popular_is_the_most_upvoted_and_says_why_one_missed_it() {
        let c = vec![
            cand("a", 5.0, &[("agents", 2.0)], 0, D),
            cand("p129", 4.0, &[], 129, D),
            cand("p20", 9.0, &[], 20, D),
            cand("p40", 8.0, &[], 40, D),
            cand("p5", 9.5, &[], 5, D),
        ];
        let s = select(c, &[D], &rules(10));
        assert_eq!(ids(&s.also_popular), ["p129", "p40"]);
        assert_eq!(
            s.left_out.get("p20"),
            Some(&LeftOut::AlsoPopularFull(AlsoPopularFull {
                relevance: 0.0,
                min_relevance: 1.0,
                upvotes: 20,
                places: 2,
                cutoff: 40,
            }))
        );
        assert!(matches!(
            s.left_out.get("p5"),
            Some(LeftOut::NotAMatch(NotAMatch {
                upvotes: 5,
                min_upvotes: 10,
                ..
            }))
        ));
    }

    #[test]
    fn each_missed_day_gets_its_share() {
        let d2 = D.tomorrow().unwrap();
        let mut c = Vec::new();
        for i in 0..10 {
            c.push(cand(
                &format!("big{i}"),
                20.0 - i as f32,
                &[("agents", 2.0)],
                0,
                d2,
            ));
        }
        c.push(cand("old", 2.0, &[("agents", 2.0)], 0, D));
        let r = Rules {
            catch_up_limit: 8,
            spread: 1.0,
            ..rules(10)
        };
        let s = select(c, &[D, d2], &r);
        assert_eq!(places_per_day(&r, 2), 4);
        assert_eq!(s.main.len(), 5);
        assert_eq!(s.main[0].ranked.paper.id, "old");
        assert_eq!(s.main[0].day, D);
        assert!(s.main[1..].iter().all(|p| p.day == d2));
        assert_eq!(
            s.main.iter().map(|p| p.position).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5]
        );
    }

    #[test]
    fn every_candidate_lands_somewhere() {
        let mut c = Vec::new();
        for i in 0..20 {
            let terms: &[(&str, f32)] = if i % 3 == 0 { &[] } else { &[("x", 1.5)] };
            c.push(cand(&format!("p{i}"), i as f32, terms, i * 3, D));
        }
        let s = select(c, &[D], &rules(5));
        assert_eq!(s.main.len() + s.also_popular.len() + s.left_out.len(), 20);
        assert!(s.main.iter().all(|p| relevance(&p.ranked.score) >= 1.0));
    }
}

//! Ranking: what is trending for this reader, and why. Pure functions and
//! types; `engine::rank` compiles a [`Plan`] into one tantivy query and calls
//! back into [`score`] for the parts, so the formula lives here only.
//!
//! The formula (documented for users in `docs/ranking.md`):
//!
//! ```text
//! total = (interest + negative + follow + profile + momentum + popularity
//!          + velocity) × freshness
//! freshness  = 0.5 ^ (age_days / half_life_days)        (future dates: age 0)
//! popularity = popularity_weight × (upvotes_weight × ln(1+upvotes)
//!              + comments_weight × ln(1+comments) + stars_weight × ln(1+stars)
//!              + code_bonus if the paper ships code)
//! profile    = Σ profile_weight × w(stem), over the learned profile's stems
//!              the paper has (w > 0 from likes, < 0 from dislikes)
//! velocity   = velocity_weight × min(1, ln(1 + upvotes gained per day) / ln 101)
//! ```
//!
//! `interest`, `negative`, `follow` and `profile` are sums of the weights of the
//! [`Clause`]s a paper matches; `momentum` is the weight of its best rising
//! topic, capped below any real interest match (see [`Plan::new`]). Invariant: the `points` of a score's parts
//! sum to its `total` (up to float rounding), so `--explain` adds up.
//!
//! This module does no I/O and does not know tantivy.

pub mod meaning;
mod plan;
pub mod select;

pub use crate::paper::{Counts, own_repository};
pub use plan::{Clause, ClauseKind, Expansion, Plan, Target, Via};

use jiff::Timestamp;
use serde::Serialize;

use crate::config::RankConfig;
use crate::paper::Paper;
use crate::velocity::Velocity;

/// The parts of a score, in the order they are shown. Their JSON names
/// (`interest`, `negative`, …) are part of the `--explain` schema.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PartName {
    /// The reader's keywords.
    #[default]
    Interest,
    /// Negative keywords (subtracted).
    Negative,
    /// Followed categories and authors.
    Follow,
    /// The learned profile (likes and dislikes).
    Profile,
    /// The best rising topic.
    Momentum,
    /// Upvotes, comments, stars and code.
    Popularity,
    /// Upvote growth.
    Velocity,
    /// The multiplier for age.
    Freshness,
}

impl PartName {
    /// Every part, in display order.
    pub const ALL: [PartName; 8] = [
        PartName::Interest,
        PartName::Negative,
        PartName::Follow,
        PartName::Profile,
        PartName::Momentum,
        PartName::Popularity,
        PartName::Velocity,
        PartName::Freshness,
    ];

    /// The name shown in `--explain` and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            PartName::Interest => "interest",
            PartName::Negative => "negative",
            PartName::Follow => "follow",
            PartName::Profile => "profile",
            PartName::Momentum => "momentum",
            PartName::Popularity => "popularity",
            PartName::Velocity => "velocity",
            PartName::Freshness => "freshness",
        }
    }

    /// Whether it is one of the reader's own signals, which make up a
    /// paper's relevance (see [`select::relevance`]).
    pub fn is_relevance(self) -> bool {
        matches!(
            self,
            PartName::Interest | PartName::Negative | PartName::Follow | PartName::Profile
        )
    }
}

impl std::fmt::Display for PartName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One part of a score, for `--explain` and the digest's "why" line.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Part {
    /// Which part.
    pub name: PartName,
    /// Its value (for `freshness`, the multiplier).
    pub value: f32,
    /// What this part adds to the total: `value × freshness` for the
    /// additive parts, 0 for `freshness` itself. The points sum to the total.
    pub points: f32,
    /// What contributed, e.g. `"in-context learning" in title (3.0 x 2.0)`.
    pub detail: Vec<String>,
}

/// Where one interest, follow or momentum clause matched.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Match {
    /// The part it counts in (`interest`, `negative`, `follow`, `profile`,
    /// `momentum`).
    pub part: PartName,
    /// The reader's surface keyword, followed name, or rising phrase.
    pub term: String,
    /// The alias or neighbour of the keyword that matched, when not the
    /// keyword itself (`MLLMs` for `multimodal`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// Where it matched: `title`, `abstract`, `text`, `category`, `author`.
    #[serde(rename = "where")]
    pub field: String,
    /// The weight it added (negative for demotions).
    pub weight: f32,
}

/// A score with its parts: `total = (interest + negative + follow + profile
/// + momentum + popularity + velocity) x freshness`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Score {
    /// The total.
    pub total: f32,
    /// The parts, in a fixed order.
    pub parts: Vec<Part>,
    /// Every clause that matched, in plan order (empty when none did).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<Match>,
}

impl Score {
    /// The part named `name`, if present.
    pub fn part(&self, name: PartName) -> Option<&Part> {
        self.parts.iter().find(|p| p.name == name)
    }
}

/// A ranked paper.
#[derive(Clone, Debug, Serialize)]
pub struct Ranked {
    /// The paper.
    pub paper: Paper,
    /// Its score and parts.
    pub score: Score,
    /// One line saying why it ranks here (`matches "in-context learning"
    /// (title), 42 upvotes, ships code`).
    pub why: String,
    /// The interest terms that matched (surface forms), for highlighting.
    pub matched_terms: Vec<String>,
    /// How fast its upvotes grow (`None`: seen with one count only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub velocity: Option<Velocity>,
}

/// Which papers a ranking considers. Every window is bounded on both sides:
/// a paper dated after its end is not in it, so a view "as of" a past date
/// sees only what existed then.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Window {
    /// Papers whose visible date (see [`crate::paper::Paper::visible_date`])
    /// is in `[since, until]`: what `top` uses.
    Visible {
        /// The start.
        since: Timestamp,
        /// The end (the clock, for `top`).
        until: Timestamp,
    },
    /// The digest's pool: papers visible by `until` that are new (first
    /// seen after `new_after`, the last delivered digest's watermark) and
    /// news (see [`Window::news`]), or still fresh (visible at or after
    /// `fresh_from`).
    Pool {
        /// The watermark; `None` for the first digest (every paper is new).
        new_after: Option<Timestamp>,
        /// How long before it could be seen a new paper may have become
        /// visible and still be news.
        horizon: jiff::SignedDuration,
        /// Papers visible since this instant stay eligible.
        fresh_from: Timestamp,
        /// The end of the digest's day, or the clock when earlier.
        until: Timestamp,
    },
    /// Every paper.
    All,
}

impl Window {
    /// Whether a paper first seen at `first_seen` and visible from
    /// `visible` is news for a digest whose last watermark is `since`: it
    /// became visible at most `horizon` before papertrend could first have
    /// seen it (before its first sighting, or before the last digest when
    /// the reader missed days). A bulk import of old papers is not news: it
    /// makes them searchable and rankable with `top --since`, never new in
    /// a mail.
    pub fn news(
        since: Option<Timestamp>,
        first_seen: Option<Timestamp>,
        visible: Option<Timestamp>,
        horizon: jiff::SignedDuration,
    ) -> bool {
        let Some(visible) = visible else {
            return false;
        };
        let seen = match (since, first_seen) {
            (Some(w), Some(f)) => w.min(f),
            (w, f) => match w.or(f) {
                Some(t) => t,
                None => return true,
            },
        };
        visible >= seen.checked_sub(horizon).unwrap_or(Timestamp::MIN)
    }
}
/// A rising topic: a term or phrase whose share of recent papers is high
/// against the baseline window.
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Topic {
    /// The readable surface form (`vision transformers`, `VLA models`).
    pub phrase: String,
    /// Other spellings of the same topic the papers use, merged into it:
    /// an acronym's expansion as the papers define it
    /// (`Vision-Language-Action models`), or the acronym of an expansion.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// How many papers in the window contain it (or an alias).
    pub window_count: usize,
    /// How many papers in the baseline window contain it.
    pub baseline_count: usize,
    /// How many window papers the baseline's share predicts
    /// (`baseline_count / baseline papers × window papers`).
    #[serde(default)]
    pub expected: f32,
    /// The rise score (see `trends`); higher is a surer rise.
    pub score: f32,
    /// One or two titles of window papers about it (the topic in the
    /// title first).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<String>,
}

impl Topic {
    /// The line's name: the phrase, with an acronym's expansion in
    /// parentheses (`VLA models (Vision-Language-Action)`).
    pub fn label(&self) -> String {
        let Some(alias) = self.aliases.first() else {
            return self.phrase.clone();
        };
        // `VLA models` + `Vision-Language-Action models`:
        // `VLA (Vision-Language-Action) models`.
        if let Some((word, rest)) = self.phrase.split_once(' ') {
            let cut = alias.len().saturating_sub(rest.len());
            if cut > 0
                && alias.is_char_boundary(cut)
                && alias[cut..].eq_ignore_ascii_case(rest)
                && alias[..cut].ends_with(' ')
            {
                return format!("{word} ({}) {rest}", alias[..cut].trim_end());
            }
        }
        format!("{} ({alias})", self.phrase)
    }

    /// Every spelling: the phrase, then its aliases.
    pub fn forms(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.phrase.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// The result of ranking a window: the best candidates (scored with the
/// formula of [`score`]), the window's counts and the rising topics.
#[derive(Clone, Debug, Default)]
pub struct RankOutcome {
    /// The best papers, best first, at most `limit`.
    pub ranked: Vec<Ranked>,
    /// How many papers are in the window.
    pub considered: usize,
    /// How many papers in the window an `exclude` term removed.
    pub excluded: usize,
    /// The rising topics used for momentum (empty without a baseline).
    pub rising: Vec<Topic>,
}

/// Freshness multiplier: `0.5 ^ (age_days / half_life_days)`, in (0, 1].
///
/// A future date (clock skew, a listing dated tomorrow) counts as age 0; a
/// non-positive half-life gives 1 (config validation forbids it anyway).
pub fn freshness(age_days: f64, half_life_days: f64) -> f32 {
    if half_life_days <= 0.0 || !age_days.is_finite() {
        return if age_days.is_finite() { 1.0 } else { 0.0 };
    }
    0.5f64.powf(age_days.max(0.0) / half_life_days) as f32
}

/// Age in days of something dated `date`, seen at `now` (negative when future).
pub fn age_days(date: Timestamp, now: Timestamp) -> f64 {
    (now.as_second() - date.as_second()) as f64 / 86_400.0
}

/// The popularity part (before freshness): log-scaled counts plus a lift
/// for shipping code, times `popularity_weight`.
pub fn popularity(c: Counts, cfg: &RankConfig) -> f32 {
    let ln = |n: u64| (n as f64).ln_1p() as f32;
    cfg.popularity_weight
        * (cfg.upvotes_weight * ln(c.upvotes)
            + cfg.comments_weight * ln(c.comments)
            + cfg.stars_weight * ln(c.stars)
            + if c.has_code { cfg.code_bonus } else { 0.0 })
}

/// The fast total used while collecting: `(clause_sum + popularity) × freshness`.
pub fn total(clause_sum: f32, popularity: f32, freshness: f32) -> f32 {
    (clause_sum + popularity) * freshness
}

/// The score of one paper with its parts, given which plan clauses it
/// matched (`matched[i]` for `plan.clauses[i]`) and its upvote velocity.
///
/// The total is recomputed from the parts, so the parts' points sum to it.
pub fn score(
    plan: &Plan,
    matched: &[bool],
    counts: Counts,
    fresh: f32,
    velocity: Option<&Velocity>,
    cfg: &RankConfig,
) -> Score {
    let names = [
        PartName::Interest,
        PartName::Negative,
        PartName::Follow,
        PartName::Profile,
        PartName::Momentum,
    ];
    let mut sums = [0.0f32; 5];
    let mut details: [Vec<String>; 5] = Default::default();
    let mut matches = Vec::new();
    let mut profile_stems: Vec<String> = Vec::new();
    // A keyword counts once per place: its best clause there, whether the
    // keyword itself or a term that stands for it matched.
    let mut best: Vec<(&str, Target, f32)> = Vec::new();
    for (clause, _) in plan.clauses.iter().zip(matched).filter(|(_, m)| **m) {
        if clause.kind == ClauseKind::Interest {
            let keyword = clause.of.as_deref().unwrap_or(&clause.label);
            match best
                .iter_mut()
                .find(|(k, t, _)| *k == keyword && *t == clause.target)
            {
                Some(b) => b.2 = b.2.max(clause.weight),
                None => best.push((keyword, clause.target, clause.weight)),
            }
        }
    }
    let mut counted: Vec<(&str, Target)> = Vec::new();
    for (clause, _) in plan.clauses.iter().zip(matched).filter(|(_, m)| **m) {
        if clause.kind == ClauseKind::Interest {
            let keyword = clause.of.as_deref().unwrap_or(&clause.label);
            let top = best
                .iter()
                .find(|(k, t, _)| *k == keyword && *t == clause.target)
                .map_or(clause.weight, |b| b.2);
            if counted.contains(&(keyword, clause.target)) || clause.weight < top {
                continue;
            }
            counted.push((keyword, clause.target));
        }
        let slot = match clause.kind {
            ClauseKind::Interest => 0,
            ClauseKind::Negative => 1,
            ClauseKind::Follow => 2,
            ClauseKind::Profile => 3,
            ClauseKind::Momentum => 4,
        };
        if clause.kind == ClauseKind::Momentum {
            // Momentum counts its best topic only (capped; see `Plan::new`).
            sums[slot] = sums[slot].max(clause.weight);
        } else {
            sums[slot] += clause.weight;
        }
        if clause.kind == ClauseKind::Profile {
            // One line for the whole profile: it can have dozens of stems.
            profile_stems.push(format!("{} {:+.2}", clause.label, clause.weight));
        } else {
            details[slot].push(clause.detail());
        }
        matches.push(Match {
            part: names[slot],
            term: clause.of.clone().unwrap_or_else(|| clause.label.clone()),
            via: clause.of.as_ref().map(|_| clause.label.clone()),
            field: clause.target.name().to_string(),
            weight: clause.weight,
        });
    }
    if !profile_stems.is_empty() {
        details[3].push(format!(
            "profile stems in text: {} (weight x profile_weight {})",
            profile_stems.join(", "),
            cfg.profile_weight
        ));
    }
    let pop = popularity(counts, cfg);
    let mut parts: Vec<Part> = names
        .iter()
        .zip(sums)
        .zip(details)
        .map(|((name, value), detail)| Part {
            name: *name,
            value,
            points: value * fresh,
            detail,
        })
        .collect();
    let mut pop_detail = Vec::new();
    for (n, what, w) in [
        (counts.upvotes, "upvote", cfg.upvotes_weight),
        (counts.comments, "comment", cfg.comments_weight),
        (counts.stars, "GitHub star", cfg.stars_weight),
    ] {
        if n > 0 && w != 0.0 {
            let n_what = crate::words::count(n, what);
            pop_detail.push(format!("{n_what} ({w} x ln(1+{n}))"));
        }
    }
    if counts.stars_not_own > 0 {
        pop_detail.push(format!(
            "{} GitHub stars not counted: the code link points into a repository, not to the \
             paper's own",
            counts.stars_not_own
        ));
    }
    if counts.has_code && cfg.code_bonus != 0.0 {
        pop_detail.push(format!("ships code (+{})", cfg.code_bonus));
    }
    if cfg.popularity_weight != 1.0 && !pop_detail.is_empty() {
        pop_detail.push(format!("all x popularity_weight {}", cfg.popularity_weight));
    }
    parts.push(Part {
        name: PartName::Popularity,
        value: pop,
        points: pop * fresh,
        detail: pop_detail,
    });
    let (vel, vel_detail) = match velocity {
        Some(v) if cfg.velocity_weight != 0.0 => (
            cfg.velocity_weight * v.log_scaled(),
            vec![format!(
                "{:+.1} upvotes/day since {} ({:+} in the last 24 h): velocity_weight {} x \
                 ln(1+{:.1})/ln(101) = {:.3}",
                v.per_day,
                v.since.strftime("%Y-%m-%d %H:%M UTC"),
                v.delta_24h,
                cfg.velocity_weight,
                v.per_day,
                v.log_scaled()
            )],
        ),
        _ => (0.0, Vec::new()),
    };
    parts.push(Part {
        name: PartName::Velocity,
        value: vel,
        points: vel * fresh,
        detail: vel_detail,
    });
    parts.push(Part {
        name: PartName::Freshness,
        value: fresh,
        points: 0.0,
        detail: vec![format!("half-life {}", cfg.half_life)],
    });
    let total = parts.iter().map(|p| p.points).sum();
    Score {
        total,
        parts,
        matches,
    }
}

/// How much the profile part must add (or take) before the *Why* line
/// mentions it: a few shared common stems are not worth a word.
pub const PROFILE_NAMED: f32 = 0.5;

/// The why-line piece of a paper that only the learned profile matched;
/// [`with_neighbours`] replaces it with the liked papers it is closest to.
pub const CLOSE_TO_LIKES: &str = "close to papers you liked";

/// `why` with the liked papers a result is closest to (`like: *Paper A*,
/// *Paper B*`) in place of [`CLOSE_TO_LIKES`], or after the other pieces.
pub fn with_neighbours(why: &str, titles: &[String]) -> String {
    if titles.is_empty() {
        return why.to_string();
    }
    let like = format!(
        "like: {}",
        titles
            .iter()
            .map(|t| format!("*{t}*"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    match why.split_once(CLOSE_TO_LIKES) {
        Some((a, b)) => format!("{a}{like}{b}"),
        None => format!("{why} · {like}"),
    }
}

/// The one-line reason shown in listings and the digest, built from the
/// parts: `matches "in-context learning" (title), "retrieval" (abstract) ·
/// 42 upvotes · code · rising: "vision transformers"`.
pub fn why_line(score: &Score, counts: Counts) -> String {
    let mut pieces = Vec::new();
    // One item per term, naming every field it matched in, in plan order:
    // `"agents" (title, abstract), "reasoning" (title)`.
    let listed = |part: PartName| -> Vec<String> {
        // (keyword, the alias that matched, fields)
        let mut terms: Vec<(&str, Option<&str>, Vec<&str>)> = Vec::new();
        for m in score.matches.iter().filter(|m| m.part == part) {
            match terms.iter_mut().find(|(t, _, _)| *t == m.term) {
                Some((_, via, fields)) => {
                    if !fields.contains(&m.field.as_str()) {
                        fields.push(&m.field);
                    }
                    if m.via.is_none() {
                        *via = None;
                    }
                }
                None => terms.push((&m.term, m.via.as_deref(), vec![&m.field])),
            }
        }
        terms
            .into_iter()
            .map(|(t, via, f)| match via {
                Some(v) => format!("\"{t}\" (as \"{v}\" in {})", f.join(", ")),
                None => format!("\"{t}\" ({})", f.join(", ")),
            })
            .collect()
    };
    let interest = listed(PartName::Interest);
    if !interest.is_empty() {
        pieces.push(format!("matches {}", interest.join(", ")));
    }
    let follow = listed(PartName::Follow);
    if !follow.is_empty() {
        pieces.push(format!("follows {}", follow.join(", ")));
    }
    let negative = listed(PartName::Negative);
    if !negative.is_empty() {
        pieces.push(format!("demoted by {}", negative.join(", ")));
    }
    let profile = score.part(PartName::Profile).map_or(0.0, |p| p.value);
    if profile <= -PROFILE_NAMED {
        pieces.push("demoted by your dislikes".into());
    } else if profile >= PROFILE_NAMED && pieces.is_empty() {
        pieces.push(CLOSE_TO_LIKES.into());
    }
    let plural = |n: u64, one: &str, _many: &str| crate::words::count(n, one);
    if counts.upvotes > 0 {
        pieces.push(plural(counts.upvotes, "upvote", "upvotes"));
    }
    if counts.stars > 0 {
        pieces.push(plural(counts.stars, "star", "stars"));
    }
    if counts.has_code {
        pieces.push("code".into());
    }
    // The two strongest rising topics it has (momentum counts the best one).
    let mut topics: Vec<&Match> = score
        .matches
        .iter()
        .filter(|m| m.part == PartName::Momentum)
        .collect();
    topics.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    let mut rising: Vec<String> = Vec::new();
    for m in topics {
        let item = format!("\"{}\"", m.term);
        if !rising.contains(&item) && rising.len() < 2 {
            rising.push(item);
        }
    }
    if !rising.is_empty() {
        pieces.push(format!("rising: {}", rising.join(", ")));
    }
    if pieces.is_empty() {
        "no interest match; ranked by freshness".into()
    } else {
        pieces.join(" · ")
    }
}

/// The why line of `paper` ([`why_line`]), naming a rising topic only when
/// the paper is about it ([`is_about`]): a topic mentioned once in passing
/// still counts in momentum (and `--explain` shows it), but is not a reason
/// to read the paper.
pub fn why_line_for(score: &Score, paper: &Paper) -> String {
    let mut quiet = score.clone();
    quiet
        .matches
        .retain(|m| m.part != PartName::Momentum || is_about(paper, &m.term));
    why_line(&quiet, Counts::of(paper))
}

/// Whether `paper` is about `phrase`: the phrase is in its title, or more
/// than once in its abstract. Case-insensitive, whole words at the start,
/// a plural `s` optional (`world model` finds `World Models`).
pub fn is_about(paper: &Paper, phrase: &str) -> bool {
    let phrase = phrase.trim().to_lowercase();
    let stem = phrase
        .strip_suffix('s')
        .filter(|s| s.len() >= 3)
        .unwrap_or(&phrase);
    if stem.is_empty() {
        return false;
    }
    let count = |text: &str| {
        let text = text.to_lowercase();
        text.match_indices(stem)
            .filter(|(i, _)| {
                let before = text[..*i].chars().next_back();
                let after = text[i + stem.len()..].chars().next();
                before.is_none_or(|c| !c.is_alphanumeric())
                    && after.is_none_or(|c| !c.is_alphanumeric() || c == 's')
            })
            .count()
    };
    count(&paper.title) > 0 || count(&paper.abstract_text) > 1
}

/// The distinct interest and follow terms that matched, for highlighting.
pub fn matched_terms(score: &Score) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in &score.matches {
        if m.part == PartName::Interest || m.part == PartName::Follow {
            // The words the paper has: an alias, not the keyword it stands for.
            let term = m.via.as_ref().unwrap_or(&m.term);
            if !out.contains(term) {
                out.push(term.clone());
            }
        }
    }
    out
}

/// The `--explain` object of a score: its total, parts and matches.
pub fn explain_json(score: &Score) -> serde_json::Value {
    serde_json::json!({
        "total": score.total,
        "formula": "(interest + negative + follow + profile + momentum + popularity + velocity) x freshness",
        "parts": score.parts,
        "matches": score.matches,
    })
}

#[cfg(test)]
mod tests;

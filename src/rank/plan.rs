//! The ranking plan: the reader's interests, follows and the rising topics
//! turned into weighted clauses. `engine::rank` compiles it into one query.
//!
//! Invariants: every clause has a non-empty label and a finite weight; a
//! keyword gives one title clause and one abstract clause, so a paper that
//! has it in both gets both weights.

use serde::Serialize;

use super::Topic;
use super::meaning::Meaning;
use crate::config::{Interests, RankConfig};

/// Where a clause looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    /// The title (stemmed).
    Title,
    /// The abstract (stemmed).
    Abstract,
    /// Title or abstract (one match counts once).
    Text,
    /// The categories (exact, case-insensitive).
    Category,
    /// The author names (words in order, case- and accent-insensitive).
    Author,
    /// Title and abstract, by closeness to the papers about a keyword
    /// ([`super::meaning`]): never compiled into a query, scored on the
    /// loaded candidates.
    Meaning,
}

impl Target {
    /// The name shown in `--explain` (`title`, `abstract`, …).
    pub fn name(self) -> &'static str {
        match self {
            Target::Title => "title",
            Target::Abstract => "abstract",
            Target::Text => "text",
            Target::Category => "category",
            Target::Author => "author",
            Target::Meaning => "by meaning",
        }
    }
}

/// Which part of the score a clause counts in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClauseKind {
    /// A keyword of `[interests] keywords`.
    Interest,
    /// A keyword of `[interests] negative` (negative weight).
    Negative,
    /// A followed category or author.
    Follow,
    /// A rising topic.
    Momentum,
    /// A stem of the profile learned from likes and dislikes (the label is
    /// the stem itself, already analysed).
    Profile,
}

/// One weighted clause of the plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Clause {
    /// The part it counts in.
    pub kind: ClauseKind,
    /// The reader's surface form (quotes stripped), or the topic phrase.
    pub label: String,
    /// Where it looks.
    pub target: Target,
    /// What a match adds (negative for demotions).
    pub weight: f32,
    /// How the weight was made, e.g. `3 x title_weight 2`.
    pub how: String,
    /// The reader's keyword this clause stands for, when it is an alias or
    /// a neighbour of it (`label` is then the alias: `MLLMs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub of: Option<String>,
}

impl Clause {
    /// The explain line: `"retrieval" in abstract: +2.00 (2 x abstract_weight 1)`.
    pub fn detail(&self) -> String {
        let label = match &self.of {
            Some(of) => format!("\"{}\" (as \"{}\")", of, self.label),
            None => format!("\"{}\"", self.label),
        };
        if self.target == Target::Meaning {
            return format!("{label} by meaning: {:+.2} ({})", self.weight, self.how);
        }
        format!(
            "{label} in {}: {:+.2} ({})",
            self.target.name(),
            self.weight,
            self.how
        )
    }
}

/// How a keyword's meaning was widened (see `[interests] expand`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Via {
    /// An acronym the papers define for it, or the expansion of an acronym
    /// keyword: the same thing, at the keyword's weight.
    Alias,
    /// A phrase far more common in papers about it than in the others: a
    /// related thing, at `neighbour_weight` of the keyword's weight.
    Neighbour,
    /// Added by the reader in `[interests] aliases`.
    Reader,
}

impl Via {
    /// The word shown in `interests` and `--explain`.
    pub fn name(self) -> &'static str {
        match self {
            Via::Alias => "alias",
            Via::Neighbour => "neighbour",
            Via::Reader => "your alias",
        }
    }
}

/// A term that stands for one of the reader's keywords.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct Expansion {
    /// The reader's keyword (`multimodal`).
    pub keyword: String,
    /// The term that stands for it (`MLLMs`).
    pub term: String,
    /// How it was found.
    pub via: Via,
    /// In how many of the papers read that mention the keyword it occurs
    /// (0 for the reader's own aliases).
    pub papers: usize,
}

/// The reader's ranking plan.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Plan {
    /// The scoring clauses, in a fixed order: interests, negatives, follows,
    /// momentum, profile.
    pub clauses: Vec<Clause>,
    /// Phrases whose presence in the title or abstract removes a paper.
    pub excludes: Vec<String>,
    /// What each keyword means (with the keyword's weight), for matching
    /// papers that never name it ([`super::meaning`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub meanings: Vec<(Meaning, f32)>,
}

/// Strips the quotes readers put around phrases (`"\"in-context learning\""`).
fn clean(label: &str) -> String {
    label.trim().trim_matches(['"', '\'']).trim().to_string()
}

impl Plan {
    /// Builds the plan from `[interests]`, `[rank]` and the rising topics.
    ///
    /// Momentum clauses get `momentum_weight × topic score / best topic
    /// score`, so the fastest-rising topic adds `momentum_weight`.
    pub fn new(interests: &Interests, cfg: &RankConfig, rising: &[Topic]) -> Plan {
        let mut clauses = Vec::new();
        let mut keyword = |kind: ClauseKind, label: &str, w: f32| {
            let label = clean(label);
            if label.is_empty() || w == 0.0 || !w.is_finite() {
                return;
            }
            for (target, mult, key) in [
                (Target::Title, cfg.title_weight, "title_weight"),
                (Target::Abstract, cfg.abstract_weight, "abstract_weight"),
            ] {
                if mult != 0.0 {
                    clauses.push(Clause {
                        kind,
                        label: label.clone(),
                        target,
                        weight: w * mult,
                        how: format!("{w} x {key} {mult}"),
                        of: None,
                    });
                }
            }
        };
        for (k, w) in &interests.keywords {
            keyword(ClauseKind::Interest, k, *w);
        }
        for (k, w) in &interests.negative {
            keyword(ClauseKind::Negative, k, -w.abs());
        }
        for (list, target, bonus, key) in [
            (
                &interests.categories,
                Target::Category,
                cfg.category_bonus,
                "category_bonus",
            ),
            (
                &interests.authors,
                Target::Author,
                cfg.author_bonus,
                "author_bonus",
            ),
        ] {
            for name in list {
                let label = clean(name);
                if !label.is_empty() && bonus != 0.0 {
                    clauses.push(Clause {
                        kind: ClauseKind::Follow,
                        label,
                        target,
                        weight: bonus,
                        how: key.to_string(),
                        of: None,
                    });
                }
            }
        }
        let best = rising.iter().map(|t| t.score).fold(0.0f32, f32::max);
        // Momentum never outweighs a real interest match: a paper counts only
        // its best rising topic, and that is capped at half the smallest
        // interest clause.
        let smallest_interest = clauses
            .iter()
            .filter(|c| c.kind == ClauseKind::Interest && c.weight > 0.0)
            .map(|c| c.weight)
            .fold(f32::INFINITY, f32::min);
        let cap = if smallest_interest.is_finite() {
            cfg.momentum_weight.min(smallest_interest / 2.0)
        } else {
            cfg.momentum_weight
        };
        if cap > 0.0 && best > 0.0 {
            for t in rising.iter().filter(|t| t.score > 0.0) {
                let share = t.score / best;
                clauses.push(Clause {
                    kind: ClauseKind::Momentum,
                    label: t.phrase.clone(),
                    target: Target::Text,
                    weight: cap * share,
                    how: if cap < cfg.momentum_weight {
                        format!(
                            "momentum capped at {cap:.2} (half the smallest interest) x rise {:.2}/{:.2}",
                            t.score, best
                        )
                    } else {
                        format!(
                            "momentum_weight {} x rise {:.2}/{:.2}",
                            cfg.momentum_weight, t.score, best
                        )
                    },
                    of: None,
                });
            }
        }
        let excludes = interests
            .exclude
            .iter()
            .map(|e| clean(e))
            .filter(|e| !e.is_empty())
            .collect();
        Plan {
            clauses,
            excludes,
            meanings: Vec::new(),
        }
    }

    /// Adds what the reader's keywords mean (learned from the papers), at
    /// each keyword's weight; a keyword the reader no longer follows, or
    /// with a weight of 0 or less, is left out.
    #[must_use]
    pub fn with_meanings(mut self, meanings: &[Meaning], interests: &Interests) -> Plan {
        for m in meanings {
            if let Some(&w) = interests.keywords.get(&m.keyword)
                && w > 0.0
                && w.is_finite()
            {
                self.meanings.push((m.clone(), w));
            }
        }
        self
    }

    /// Adds, after each keyword's own clauses, clauses for the terms that
    /// stand for it: aliases (the papers' or the reader's) at the keyword's
    /// weight, neighbours at `interests.neighbour_weight` of it. A term
    /// the reader lists in `interests.ignore`, or that is a keyword itself,
    /// is left out. A paper counts each keyword once per place (see
    /// [`super::score`]), so an alias never adds to its keyword.
    #[must_use]
    pub fn with_expansions(
        mut self,
        expansions: &[Expansion],
        interests: &Interests,
        cfg: &RankConfig,
    ) -> Plan {
        let ignored = |t: &str| {
            interests
                .ignore
                .iter()
                .any(|i| clean(i).eq_ignore_ascii_case(t))
                || interests
                    .keywords
                    .keys()
                    .any(|k| clean(k).eq_ignore_ascii_case(t))
        };
        let mut added = Vec::new();
        for e in expansions {
            let Some(&w) = interests.keywords.get(&e.keyword) else {
                continue;
            };
            let term = clean(&e.term);
            if term.is_empty() || w <= 0.0 || !w.is_finite() || ignored(&term) {
                continue;
            }
            let (share, why) = match e.via {
                Via::Neighbour => (interests.neighbour_weight, "neighbour"),
                Via::Alias => (1.0, "alias"),
                Via::Reader => (1.0, "your alias"),
            };
            for (target, mult, key) in [
                (Target::Title, cfg.title_weight, "title_weight"),
                (Target::Abstract, cfg.abstract_weight, "abstract_weight"),
            ] {
                let weight = w * share * mult;
                if weight != 0.0 && weight.is_finite() {
                    let how = if share == 1.0 {
                        format!("{why} of \"{}\": {w} x {key} {mult}", clean(&e.keyword))
                    } else {
                        format!(
                            "{why} of \"{}\": {w} x neighbour_weight {share} x {key} {mult}",
                            clean(&e.keyword)
                        )
                    };
                    added.push(Clause {
                        kind: ClauseKind::Interest,
                        label: term.clone(),
                        target,
                        weight,
                        how,
                        of: Some(clean(&e.keyword)),
                    });
                }
            }
        }
        // Interest clauses come first in a plan: keep them together.
        let at = self
            .clauses
            .iter()
            .position(|c| c.kind != ClauseKind::Interest)
            .unwrap_or(self.clauses.len());
        self.clauses.splice(at..at, added);
        self
    }

    /// Adds the learned profile's stems (already analysed, with their
    /// weights in the unit-length profile) as [`ClauseKind::Profile`]
    /// clauses of weight `profile_weight × stem weight`. Nothing is added
    /// for an empty profile or a zero `profile_weight`.
    #[must_use]
    pub fn with_profile(mut self, stems: &[(String, f32)], cfg: &RankConfig) -> Plan {
        let pw = cfg.profile_weight;
        if pw == 0.0 || !pw.is_finite() {
            return self;
        }
        for (stem, w) in stems {
            let weight = pw * w;
            if stem.is_empty() || weight == 0.0 || !weight.is_finite() {
                continue;
            }
            self.clauses.push(Clause {
                kind: ClauseKind::Profile,
                label: stem.clone(),
                target: Target::Text,
                weight,
                how: format!("{w:.3} x profile_weight {pw}"),
                of: None,
            });
        }
        self
    }
}

//! `[search]`: defaults for `search`; the scoring keys' defaults are
//! [`crate::index::Scoring`]'s.

use serde::{Deserialize, Serialize};

/// `[search]`: defaults for `search`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    /// How many results by default. Default 10, at most [`MAX_LIMIT`].
    pub limit: usize,
    /// How much a title occurrence of a query word outweighs one in the
    /// abstract (BM25F field weight; the abstract's is 1). Default 2.5
    /// (tuned on the SciFact train split; see docs/search.md).
    pub title_boost: f32,
    /// BM25F term-frequency saturation. Default 1.2.
    pub k1: f32,
    /// BM25F length normalisation, 0 (none) to 1 (full). Default 0.75.
    pub b: f32,
    /// Whether English stop words (`the`, `of`, `is`, …) are dropped from
    /// queries searched as words. Default true.
    pub stop_words: bool,
    /// Pseudo-relevance feedback (RM3): how many top results expand a query
    /// searched as words; 0 turns it off. Default 0.
    pub feedback_docs: usize,
    /// RM3: how many expansion terms are added. Default 10.
    pub feedback_terms: usize,
    /// RM3: the weight of the original query against the expansion terms,
    /// 0 to 1. Default 0.5.
    pub feedback_weight: f32,
    /// Weight of the bonus for words next to each other in the query that
    /// are near each other in a paper (0 turns it off). Default 0.
    pub proximity: f32,
    /// How many words apart counts as near. Default 3.
    pub proximity_window: u32,
    /// How many top results the proximity bonus reorders. Default 50.
    pub proximity_depth: usize,
    /// How many candidates BM25F reranks: the top N (at least `--limit`) by
    /// a BM25 per field, summed (tantivy's block-max WAND, fast on large
    /// indexes). 0: BM25F ranks every match (exact, slower). Default 30.
    pub candidates: usize,
    /// Whether papers holding the words of a query (two or more, searched
    /// as words) in a row rank above every paper that does not. Default
    /// true.
    pub phrase: bool,
    /// How a hyphenated query word ("in-context") is searched: `parts`
    /// (its words, stop words included), `compound` (the word joined, as
    /// the index also holds it) or `both`. Default `parts`.
    pub hyphenated: crate::index::Hyphenated,
}

/// The largest `--limit` (and `search.limit`) any command accepts.
pub const MAX_LIMIT: usize = 10_000;

/// The scoring keys' defaults are [`crate::index::Scoring`]'s.
impl Default for SearchConfig {
    fn default() -> Self {
        let s = crate::index::Scoring::default();
        SearchConfig {
            limit: 10,
            title_boost: 2.5,
            k1: s.k1,
            b: s.b,
            stop_words: s.stop_words,
            feedback_docs: s.feedback_docs,
            feedback_terms: s.feedback_terms,
            feedback_weight: s.feedback_weight,
            proximity: s.proximity,
            proximity_window: s.proximity_window,
            proximity_depth: s.proximity_depth,
            candidates: s.candidates,
            phrase: s.phrase,
            hyphenated: s.hyphenated,
        }
    }
}

impl SearchConfig {
    /// The scoring part, as the index takes it.
    pub fn scoring(&self) -> crate::index::Scoring {
        crate::index::Scoring {
            k1: self.k1,
            b: self.b,
            stop_words: self.stop_words,
            feedback_docs: self.feedback_docs,
            feedback_terms: self.feedback_terms,
            feedback_weight: self.feedback_weight,
            proximity: self.proximity,
            proximity_window: self.proximity_window,
            proximity_depth: self.proximity_depth,
            candidates: self.candidates,
            phrase: self.phrase,
            hyphenated: self.hyphenated,
        }
    }

    /// Checks `[search]`: a finite, positive title boost first (`nan` and
    /// `inf` are TOML floats, and either makes every score NaN), then the
    /// other keys' ranges.
    pub(super) fn validate(&self) -> Result<(), String> {
        if !self.title_boost.is_finite() {
            let w = self.title_boost;
            return Err(format!(
                "`search.title_boost` is {w}; it must be a finite number"
            ));
        }
        if self.title_boost <= 0.0 {
            return Err("`search.title_boost` must be greater than 0".into());
        }
        if self.limit == 0 || self.limit > MAX_LIMIT {
            return Err(format!("`search.limit` must be 1 to {MAX_LIMIT}"));
        }
        if !(self.title_boost.is_finite() && self.title_boost > 0.0) {
            return Err("`search.title_boost` must be a positive number".into());
        }
        if !(self.k1.is_finite() && self.k1 >= 0.0) {
            return Err("`search.k1` must be a number >= 0".into());
        }
        if !(0.0..=1.0).contains(&self.b) {
            return Err("`search.b` must be between 0 and 1".into());
        }
        if self.feedback_docs > 100 || self.feedback_terms > 100 {
            return Err(
                "`search.feedback_docs` and `search.feedback_terms` must be at most 100".into(),
            );
        }
        if !(self.proximity.is_finite() && self.proximity >= 0.0) {
            return Err("`search.proximity` must be a number >= 0".into());
        }
        if self.candidates > MAX_LIMIT {
            return Err(format!("`search.candidates` must be at most {MAX_LIMIT}"));
        }
        if self.proximity_depth > MAX_LIMIT || self.proximity_window > 1000 {
            return Err(format!(
                "`search.proximity_depth` must be at most {MAX_LIMIT} and `search.proximity_window` at most 1000"
            ));
        }
        if !(0.0..=1.0).contains(&self.feedback_weight) {
            return Err("`search.feedback_weight` must be between 0 and 1".into());
        }
        Ok(())
    }
}

//! `[rank]`: the weights of the trending formula (see docs/ranking.md).

use serde::{Deserialize, Serialize};

use crate::clock::Span;

/// `[rank]`: the weights of the trending formula (see docs/ranking.md).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RankConfig {
    /// Multiplier of a keyword's weight when it matches the title. Default 2.0.
    pub title_weight: f32,
    /// Multiplier of a keyword's weight when it matches the abstract. Default 1.0.
    pub abstract_weight: f32,
    /// Age at which freshness halves. Default `7d`.
    pub half_life: Span,
    /// Weight of the popularity part. Default 1.0.
    pub popularity_weight: f32,
    /// Weight of log(1 + upvotes) within popularity. Default 1.0.
    pub upvotes_weight: f32,
    /// Weight of log(1 + comments) within popularity. Default 0.5.
    pub comments_weight: f32,
    /// Weight of log(1 + GitHub stars) within popularity. Default 0.3.
    pub stars_weight: f32,
    /// Added to popularity when the paper ships code. Default 0.5.
    pub code_bonus: f32,
    /// Weight of the momentum part. Default 1.0.
    pub momentum_weight: f32,
    /// Weight of the learned profile (from likes and dislikes): the
    /// profile part is this times the weights of the profile's stems a
    /// paper has. 0 turns it off. Default 2.0.
    pub profile_weight: f32,
    /// Weight of upvote velocity: the velocity part is this times
    /// `ln(1 + upvotes gained per day) / ln(101)` (at most 1). 0 turns it
    /// off. Default 1.0.
    pub velocity_weight: f32,
    /// Added for a followed category. Default 1.0.
    pub category_bonus: f32,
    /// Added for a followed author. Default 2.0.
    pub author_bonus: f32,
    /// Default window for `top`. Default `7d`.
    pub window: Span,
}

impl Default for RankConfig {
    fn default() -> Self {
        let day = |n: i64| Span(jiff::SignedDuration::from_hours(24 * n));
        RankConfig {
            title_weight: 2.0,
            abstract_weight: 1.0,
            half_life: day(7),
            popularity_weight: 1.0,
            upvotes_weight: 1.0,
            comments_weight: 0.5,
            stars_weight: 0.3,
            code_bonus: 0.5,
            momentum_weight: 1.0,
            profile_weight: 2.0,
            velocity_weight: 1.0,
            category_bonus: 1.0,
            author_bonus: 2.0,
            window: day(7),
        }
    }
}

impl RankConfig {
    /// Checks `[rank]`: every weight a finite number (`nan` and `inf` are
    /// TOML floats, and either makes every score NaN), a positive half-life.
    pub(super) fn validate(&self) -> Result<(), String> {
        let r = self;
        let weights = [
            ("rank.title_weight", r.title_weight),
            ("rank.abstract_weight", r.abstract_weight),
            ("rank.popularity_weight", r.popularity_weight),
            ("rank.upvotes_weight", r.upvotes_weight),
            ("rank.comments_weight", r.comments_weight),
            ("rank.stars_weight", r.stars_weight),
            ("rank.code_bonus", r.code_bonus),
            ("rank.momentum_weight", r.momentum_weight),
            ("rank.profile_weight", r.profile_weight),
            ("rank.velocity_weight", r.velocity_weight),
            ("rank.category_bonus", r.category_bonus),
            ("rank.author_bonus", r.author_bonus),
        ];
        for (key, w) in weights {
            if !w.is_finite() {
                return Err(format!("`{key}` is {w}; it must be a finite number"));
            }
        }
        if self.half_life.seconds() <= 0 {
            return Err("`rank.half_life` must be positive".into());
        }
        Ok(())
    }
}

//! Upvote velocity: how fast a paper's upvotes grow, from the counts
//! papertrend observed ([`Observation`], kept in the record).
//!
//! Pure: no index, no clock; `now` is a parameter.
//!
//! The rule: the *base* is the newest observation at least
//! [`VELOCITY_WINDOW`] before `now`, else the oldest observation.
//! `per_day` is the upvotes gained from the base to the newest
//! observation, divided by the days from the base to `now` (at least one
//! day, so a jump seen minutes apart is not extrapolated to a day). As
//! counts are recorded only when they change, a paper whose count stood
//! still since yesterday slows down as `now` moves on. `delta_24h` is the
//! gain over the last 24 hours (since the newest observation at least a
//! day old, else since the first one). A paper seen once has no velocity.
//!
//! For ranking, [`Velocity::log_scaled`] is `ln(1 + per_day) / ln(1 + 100)`,
//! capped at 1: 100 upvotes a day or more is 1, 10 a day is 0.52, 1 a day
//! is 0.15.

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use crate::paper::Observation;

/// A paper that gained at least this many upvotes in the last 24 hours is a
/// fast riser: the digest and the *Why* line give it a badge.
pub const FAST_RISER: i64 = 10;

/// How far back the growth rate looks (3 days).
pub const VELOCITY_WINDOW: SignedDuration = SignedDuration::from_hours(72);

/// Growth of a paper's upvotes.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Velocity {
    /// Upvotes gained per day since `since` (0 or more).
    pub per_day: f32,
    /// Upvotes gained in the last 24 hours.
    pub delta_24h: i64,
    /// The observation the growth is measured from.
    pub since: Timestamp,
}

impl Velocity {
    /// The log-scaled part for a score, in 0..=1 (see the module docs).
    pub fn log_scaled(&self) -> f32 {
        (self.per_day.max(0.0).ln_1p() / 100f32.ln_1p()).min(1.0)
    }

    /// The fast riser's badge, `+48 upvotes since yesterday`: `None` below
    /// [`FAST_RISER`] upvotes in the last 24 hours.
    pub fn badge(&self) -> Option<String> {
        (self.delta_24h >= FAST_RISER)
            .then(|| format!("+{} upvotes since yesterday", self.delta_24h))
    }
}

/// The velocity of the upvotes in `observations` (oldest first, as kept in
/// the record) at `now`; `None` with fewer than two observations that
/// carry upvotes.
pub fn velocity(observations: &[Observation], now: Timestamp) -> Option<Velocity> {
    let seen: Vec<(Timestamp, u64)> = observations
        .iter()
        .filter(|o| o.at <= now)
        .filter_map(|o| o.upvotes.map(|u| (o.at, u)))
        .collect();
    if seen.len() < 2 {
        return None;
    }
    let (_, latest) = *seen.last()?;
    let at_or_before = |t: Timestamp| seen.iter().rev().find(|(at, _)| *at <= t).or(seen.first());
    let horizon = now.checked_sub(VELOCITY_WINDOW).unwrap_or(Timestamp::MIN);
    let &(since, base) = at_or_before(horizon)?;
    let day_ago = now
        .checked_sub(SignedDuration::from_hours(24))
        .unwrap_or(Timestamp::MIN);
    let &(_, yesterday) = at_or_before(day_ago)?;
    let days = (now.duration_since(since).as_secs_f64() / 86_400.0).max(1.0);
    let gained = latest.saturating_sub(base) as f64;
    Some(Velocity {
        per_day: (gained / days) as f32,
        delta_24h: i64::try_from(latest).unwrap_or(i64::MAX)
            - i64::try_from(yesterday).unwrap_or(i64::MAX),
        since,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(at: &str, up: u64) -> Observation {
        Observation {
            at: at.parse().unwrap(),
            upvotes: Some(up),
            ..Observation::default()
        }
    }

    fn now(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn a_paper_seen_once_has_no_velocity() {
        assert_eq!(velocity(&[], now("2026-01-02T00:00:00Z")), None);
        let one = [obs("2026-01-01T07:00:00Z", 100)];
        assert_eq!(velocity(&one, now("2026-01-02T07:00:00Z")), None);
    }

    #[test]
    fn growth_between_two_fetches_a_day_apart() {
        let h = [
            obs("2026-01-01T07:00:00Z", 10),
            obs("2026-01-02T07:00:00Z", 60),
        ];
        let v = velocity(&h, now("2026-01-02T07:00:00Z")).unwrap();
        assert!((v.per_day - 50.0).abs() < 1e-3, "{v:?}");
        assert_eq!(v.delta_24h, 50);
        assert_eq!(v.since, h[0].at);
        // Nothing new for two more days: the rate decays, the 24 h delta is 0.
        let later = velocity(&h, now("2026-01-04T07:00:00Z")).unwrap();
        assert!((later.per_day - 50.0 / 3.0).abs() < 1e-3, "{later:?}");
        assert_eq!(later.delta_24h, 0);
    }

    #[test]
    fn a_jump_minutes_apart_is_not_extrapolated_and_old_history_is_cut() {
        let h = [
            obs("2026-01-01T07:00:00Z", 10),
            obs("2026-01-01T07:10:00Z", 20),
        ];
        let v = velocity(&h, now("2026-01-01T07:10:00Z")).unwrap();
        assert!((v.per_day - 10.0).abs() < 1e-3, "{v:?}");
        // A week of history: the base is the newest observation 3 days old.
        let h = [
            obs("2026-01-01T00:00:00Z", 0),
            obs("2026-01-05T00:00:00Z", 400),
            obs("2026-01-08T00:00:00Z", 430),
        ];
        let v = velocity(&h, now("2026-01-08T00:00:00Z")).unwrap();
        assert_eq!(v.since, h[1].at);
        assert!((v.per_day - 10.0).abs() < 1e-3, "{v:?}");
        let h2 = [
            obs("2026-01-01T00:00:00Z", 0),
            obs("2026-01-04T12:00:00Z", 400),
            obs("2026-01-08T00:00:00Z", 430),
        ];
        let v = velocity(&h2, now("2026-01-08T00:00:00Z")).unwrap();
        assert_eq!(v.since, h2[1].at);
        assert!((v.per_day - 30.0 / 3.5).abs() < 1e-3, "{v:?}");
    }

    #[test]
    fn log_scale_is_bounded_and_monotone() {
        let v = |per_day| Velocity {
            per_day,
            delta_24h: 0,
            since: Timestamp::UNIX_EPOCH,
        };
        assert_eq!(v(0.0).log_scaled(), 0.0);
        assert!((v(100.0).log_scaled() - 1.0).abs() < 1e-6);
        assert_eq!(v(5000.0).log_scaled(), 1.0);
        assert!(v(10.0).log_scaled() > v(1.0).log_scaled());
        assert!((v(10.0).log_scaled() - 0.5196).abs() < 1e-3);
    }
}

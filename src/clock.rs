//! The one source of "now", and the time expressions users type.
//!
//! `PAPERTREND_NOW=<RFC 3339>` fixes the clock: a documented testing aid (like
//! xh's `XH_TEST_MODE`) that makes rankings and digests reproducible. It is
//! read here and nowhere else.

use std::fmt;
use std::str::FromStr;

use jiff::{SignedDuration, Timestamp};

/// The environment variable that fixes the clock (testing aid).
pub const NOW_ENV: &str = "PAPERTREND_NOW";

/// Where "now" comes from.
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    fixed: Option<Timestamp>,
}

impl Clock {
    /// The system clock, unless `PAPERTREND_NOW` fixes it.
    ///
    /// # Errors
    /// When `PAPERTREND_NOW` is set but is not an RFC 3339 timestamp.
    pub fn from_env() -> Result<Self, String> {
        #[allow(clippy::disallowed_methods)] // the documented test clock
        match std::env::var(NOW_ENV) {
            Ok(v) if !v.trim().is_empty() => v
                .trim()
                .parse::<Timestamp>()
                .map(|t| Clock { fixed: Some(t) })
                .map_err(|e| format!("{NOW_ENV}={v:?} is not an RFC 3339 timestamp: {e}")),
            _ => Ok(Clock { fixed: None }),
        }
    }

    /// A clock fixed at `t`.
    pub fn fixed(t: Timestamp) -> Self {
        Clock { fixed: Some(t) }
    }

    /// The current time, truncated to whole seconds (the index's precision).
    pub fn now(&self) -> Timestamp {
        let t = self.fixed.unwrap_or_else(Timestamp::now);
        Timestamp::from_second(t.as_second()).unwrap_or(t)
    }
}

/// A span of time written as `30m`, `12h`, `7d`, `2w`, `45s` or `200ms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span(pub SignedDuration);

impl Span {
    /// Whole seconds in this span.
    pub fn seconds(self) -> i64 {
        self.0.as_secs()
    }

    /// This span in (fractional) days.
    pub fn days(self) -> f64 {
        self.0.as_secs_f64() / 86_400.0
    }
}

impl FromStr for Span {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let (num, unit) = s.split_at(split);
        let n: i64 = num
            .parse()
            .map_err(|_| format!("invalid duration {s:?} (examples: 7d, 12h, 2w)"))?;
        let unit = unit.trim();
        if unit == "ms" {
            // Sub-second spans exist for fetch delays and timeouts (`200ms`).
            return Ok(Span(SignedDuration::from_millis(n)));
        }
        let secs = match unit {
            "s" => 1,
            "m" | "min" => 60,
            "h" => 3600,
            "d" => 86_400,
            "w" => 7 * 86_400,
            _ => {
                return Err(format!(
                    "invalid duration {s:?}: unit must be ms, s, m, h, d or w"
                ));
            }
        };
        n.checked_mul(secs)
            .map(|v| Span(SignedDuration::from_secs(v)))
            .ok_or_else(|| format!("duration {s:?} is too large"))
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.subsec_nanos() != 0 {
            return write!(f, "{}ms", self.0.as_millis());
        }
        let s = self.seconds();
        for (unit, size) in [("w", 7 * 86_400), ("d", 86_400), ("h", 3600), ("m", 60)] {
            if s != 0 && s % size == 0 {
                return write!(f, "{}{unit}", s / size);
            }
        }
        write!(f, "{s}s")
    }
}

impl serde::Serialize for Span {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Span {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A point in time as users write it: a span ago (`7d`), a date
/// (`2026-11-01`, midnight UTC) or a full RFC 3339 timestamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeBound {
    /// That long before now.
    Ago(Span),
    /// That instant.
    At(Timestamp),
}

impl TimeBound {
    /// The instant this bound names, relative to `now`.
    pub fn resolve(self, now: Timestamp) -> Timestamp {
        match self {
            TimeBound::Ago(span) => now.checked_sub(span.0).unwrap_or(Timestamp::MIN),
            TimeBound::At(t) => t,
        }
    }
}

impl FromStr for TimeBound {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if let Ok(t) = s.parse::<Timestamp>() {
            return Ok(TimeBound::At(t));
        }
        if let Ok(d) = s.parse::<jiff::civil::Date>() {
            return d
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .map(|z| TimeBound::At(z.timestamp()))
                .map_err(|e| e.to_string());
        }
        s.parse::<Span>().map(TimeBound::Ago).map_err(|_| {
            format!("invalid time {s:?} (examples: 7d, 12h, 2026-11-01, 2026-11-01T08:00:00Z)")
        })
    }
}

/// A reader's day as typed for `--date`: `2026-03-31`, `today`,
/// `yesterday`, `tomorrow`, or a number of days ago (`3d`). Relative days
/// count from today in the configured time zone, which only the caller knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Day {
    /// That calendar day.
    On(jiff::civil::Date),
    /// That many days after today (negative: before).
    FromToday(i32),
}

impl Day {
    /// The calendar day this names, given today's.
    pub fn resolve(self, today: jiff::civil::Date) -> jiff::civil::Date {
        match self {
            Day::On(d) => d,
            Day::FromToday(n) => today
                .checked_add(jiff::Span::new().days(n))
                .unwrap_or(today),
        }
    }
}

impl FromStr for Day {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim().to_ascii_lowercase();
        match t.as_str() {
            "today" => return Ok(Day::FromToday(0)),
            "yesterday" => return Ok(Day::FromToday(-1)),
            "tomorrow" => return Ok(Day::FromToday(1)),
            _ => {}
        }
        if let Some(n) = t.strip_suffix('d').and_then(|n| n.parse::<u16>().ok()) {
            return Ok(Day::FromToday(-i32::from(n)));
        }
        t.parse::<jiff::civil::Date>().map(Day::On).map_err(|_| {
            format!(
                "invalid day {:?} (use YYYY-MM-DD, today, yesterday, tomorrow, or 3d for three days ago)",
                s.trim()
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_parse_and_print() {
        assert_eq!("7d".parse::<Span>().unwrap().seconds(), 7 * 86_400);
        assert_eq!("2w".parse::<Span>().unwrap().to_string(), "2w");
        assert_eq!("90m".parse::<Span>().unwrap().to_string(), "90m");
        assert!("7".parse::<Span>().is_err());
        assert!("d".parse::<Span>().is_err());
        assert!("7y".parse::<Span>().is_err());
        let ms = "200ms".parse::<Span>().unwrap();
        assert_eq!(ms.0.as_millis(), 200);
        assert_eq!(ms.to_string(), "200ms");
        assert_eq!("1000ms".parse::<Span>().unwrap().to_string(), "1s");
    }

    #[test]
    fn time_bounds_accept_spans_dates_and_timestamps() {
        let now: Timestamp = "2026-11-27T12:00:00Z".parse().unwrap();
        let ago = "7d".parse::<TimeBound>().unwrap().resolve(now);
        assert_eq!(ago.to_string(), "2026-11-20T12:00:00Z");
        let date = "2026-11-01".parse::<TimeBound>().unwrap().resolve(now);
        assert_eq!(date.to_string(), "2026-11-01T00:00:00Z");
        assert!("yesterday".parse::<TimeBound>().is_err());
    }

    #[test]
    fn days_accept_dates_words_and_days_ago() {
        let today = jiff::civil::date(2026, 3, 31);
        let day = |s: &str| s.parse::<Day>().map(|d| d.resolve(today).to_string());
        assert_eq!(day("2026-03-01").unwrap(), "2026-03-01");
        assert_eq!(day("today").unwrap(), "2026-03-31");
        assert_eq!(day("Yesterday").unwrap(), "2026-03-30");
        assert_eq!(day("tomorrow").unwrap(), "2026-04-01");
        assert_eq!(day("7d").unwrap(), "2026-03-24");
        let err = day("soon").unwrap_err();
        assert!(err.contains("YYYY-MM-DD, today, yesterday"), "{err}");
        assert!(!err.contains("four digit"), "{err}");
    }
}

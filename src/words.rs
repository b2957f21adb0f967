//! Words for readers: a count with its noun, singular or plural ("1 comment",
//! "8 likes"), in one place so no message says "1 comments" or "author(s)".
//!
//! Deliberately English only and rule-based: the nouns papertrend counts
//! (paper, like, dislike, upvote, comment, star, author, category, …) all
//! follow the regular rules below.

/// The plural of an English noun, by the regular rules: `-y` after a
/// consonant becomes `-ies`, `-s`/`-x`/`-ch`/`-sh` take `-es`, others `-s`.
/// In a phrase ("GitHub star") the last word changes.
pub fn plural_of(noun: &str) -> String {
    let consonant_y =
        noun.ends_with('y') && !noun[..noun.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u']);
    if consonant_y {
        format!("{}ies", &noun[..noun.len() - 1])
    } else if noun.ends_with(['s', 'x']) || noun.ends_with("ch") || noun.ends_with("sh") {
        format!("{noun}es")
    } else {
        format!("{noun}s")
    }
}

/// `n` and the noun that agrees with it: `count(1, "comment")` is
/// "1 comment", `count(8, "like")` is "8 likes", `count(0, "paper")` is
/// "0 papers".
pub fn count(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {}", plural_of(noun))
    }
}

/// Like [`count`] for a `usize` (lengths of lists).
pub fn count_len(n: usize, noun: &str) -> String {
    count(u64::try_from(n).unwrap_or(u64::MAX), noun)
}

/// A span as a reader says it after "the last" or "the": "8 weeks",
/// "week" (one), "3 days", "36 hours". Whole weeks are said in weeks, whole
/// days in days, anything else in hours.
pub fn span(seconds: i64) -> String {
    const HOUR: u64 = 3600;
    const DAY: u64 = 24 * HOUR;
    let s = seconds.unsigned_abs();
    let (n, unit) = if s >= 7 * DAY && s.is_multiple_of(7 * DAY) {
        (s / (7 * DAY), "week")
    } else if s >= DAY && s.is_multiple_of(DAY) {
        (s / DAY, "day")
    } else {
        (s / HOUR, "hour")
    };
    if n == 1 {
        unit.to_string()
    } else {
        count(n, unit)
    }
}

/// A parse error in a reader's words. serde names Rust types ("invalid type: string \"ten\", expected usize");
/// but a reader wants to know what to write instead.
pub fn type_words(msg: &str) -> String {
    let mut out = msg.to_string();
    for (rust, words) in [
        ("expected usize", "expected a whole number"),
        ("expected u64", "expected a whole number"),
        ("expected u32", "expected a whole number"),
        ("expected u16", "expected a whole number"),
        ("expected u8", "expected a whole number"),
        ("expected i64", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected f32", "expected a number"),
        ("expected a boolean", "expected true or false"),
    ] {
        if let Some(rest) = out.strip_suffix(rust).map(str::to_string) {
            out = format!("{rest}{words}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(count(1u64, "comment"), "1 comment");
        assert_eq!(count(2u64, "comment"), "2 comments");
        assert_eq!(count(0u64, "paper"), "0 papers");
        assert_eq!(count(8u64, "like"), "8 likes");
        assert_eq!(count(1u64, "dislike"), "1 dislike");
        assert_eq!(count(3u64, "category"), "3 categories");
        assert_eq!(count(2u64, "day"), "2 days");
        assert_eq!(count(2u64, "match"), "2 matches");
        assert_eq!(count(39u64, "GitHub star"), "39 GitHub stars");
        assert_eq!(count_len(1, "author"), "1 author");
    }

    #[test]
    fn type_names_become_words() {
        assert_eq!(
            type_words("invalid type: string \"ten\", expected usize"),
            "invalid type: string \"ten\", expected a whole number"
        );
        assert_eq!(
            type_words("invalid value: integer `-1`, expected u64"),
            "invalid value: integer `-1`, expected a whole number"
        );
        assert_eq!(type_words("unknown field `x`"), "unknown field `x`");
    }

    #[test]
    fn spans_are_said_in_the_largest_whole_unit() {
        assert_eq!(span(8 * 7 * 86_400), "8 weeks");
        assert_eq!(span(7 * 86_400), "week");
        assert_eq!(span(3 * 86_400), "3 days");
        assert_eq!(span(36 * 3600), "36 hours");
    }
}

//! Wrapping text to a width in display columns: the one implementation
//! behind every terminal listing, `explain`, `review`, warnings and the
//! plain-text digest.
//!
//! Built on `textwrap`'s parts (its word splitting, word breaking and
//! first-fit layout) with three house rules on top:
//! - widths are display columns (`unicode-width`: CJK is two wide, ANSI
//!   colour codes are zero);
//! - lines break between words; a word wider than a line is broken at
//!   character boundaries, except a URL, which gets a line of its own
//!   whole (a cut URL cannot be copied or clicked);
//! - a separator (`·`, `|`) stays with the word after it, so no line ends
//!   in one and no item is left alone after it.
//!
//! Each call wraps one paragraph; a `\n` in the text starts a new line.
//! No I/O: the width messages on stderr are wrapped to is set once by
//! `App` ([`set_stderr_width`]).

use std::sync::atomic::{AtomicUsize, Ordering};

use textwrap::WordSeparator;
use textwrap::core::{Fragment, Word};

/// Display width of `s` in terminal columns (CJK counts two, ANSI escape
/// sequences none).
pub fn width_of(s: &str) -> usize {
    textwrap::core::display_width(s)
}

/// Whether `word` is a URL, which is never broken.
fn is_url(word: &str) -> bool {
    let w = word.trim_start_matches(['(', '<', '[', '"']);
    w.starts_with("https://") || w.starts_with("http://")
}

/// The words of one line, separators glued to the word after them.
fn words(line: &str) -> Vec<Word<'_>> {
    let raw: Vec<Word<'_>> = WordSeparator::AsciiSpace
        .find_words(line)
        .filter(|w| !w.word.is_empty())
        .collect();
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let w = &raw[i];
        if matches!(w.word, "·" | "|")
            && let Some(next) = raw.get(i + 1)
        {
            // Both are slices of `line`: the glued word runs from the
            // separator to the end of the next word's trailing spaces.
            let start = offset(line, w.word);
            let end = offset(line, next.whitespace) + next.whitespace.len();
            out.push(Word::from(&line[start..end]));
            i += 2;
        } else {
            out.push(*w);
            i += 1;
        }
    }
    out
}

/// The byte offset of `part` inside `whole` (a slice of it).
fn offset(whole: &str, part: &str) -> usize {
    (part.as_ptr() as usize)
        .saturating_sub(whole.as_ptr() as usize)
        .min(whole.len())
}

/// Lays out one line (no `\n`) into byte ranges of it, at most `first`
/// columns for the first line and `rest` for the others (a URL wider than
/// that excepted).
fn layout(line: &str, first: usize, rest: usize) -> Vec<(usize, usize)> {
    let (first, rest) = (first.max(1), rest.max(1));
    let mut pieces: Vec<Word<'_>> = Vec::new();
    for w in words(line) {
        // The narrower of the two widths decides whether a word must break,
        // so a broken word's pieces fit wherever they land.
        let limit = first.min(rest);
        if w.width() > limit as f64 && !is_url(w.word) {
            pieces.extend(w.break_apart(limit));
        } else {
            pieces.push(w);
        }
    }
    let widths = [first as f64, rest as f64];
    textwrap::wrap_algorithms::wrap_first_fit(&pieces, &widths)
        .into_iter()
        .filter_map(|ws| {
            let (a, b) = (ws.first()?, ws.last()?);
            let start = offset(line, a.word);
            let end = offset(line, b.word) + b.word.len();
            Some((start, end))
        })
        .collect()
}

/// Wraps `text` into lines of at most `width` display columns.
pub fn lines(text: &str, width: usize) -> Vec<String> {
    indented(text, width, "", "")
}

/// Wraps `text` into lines of at most `width` display columns, the first
/// starting with `first`, the others with `rest` (both count toward the
/// width).
pub fn indented(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (n, line) in text.split('\n').enumerate() {
        let head = if n == 0 { first } else { rest };
        let ranges = layout(
            line,
            width.saturating_sub(width_of(head)),
            width.saturating_sub(width_of(rest)),
        );
        if ranges.is_empty() {
            out.push(head.trim_end().to_string());
        }
        for (i, (s, e)) in ranges.into_iter().enumerate() {
            let lead = if i == 0 { head } else { rest };
            out.push(format!("{lead}{}", &line[s..e]));
        }
    }
    out
}

/// [`lines`] as byte ranges of `text` (one line, no `\n`), without the
/// spaces between lines: for callers that keep highlight positions.
pub fn ranges(text: &str, width: usize) -> Vec<(usize, usize)> {
    layout(text, width, width)
}

/// One paragraph wrapped into a string: the first line keeps `text`'s
/// leading spaces, later lines start with `indent`; both count toward the
/// width. What the digest templates' `wrap` filter does.
pub fn fill(text: &str, width: usize, indent: &str) -> String {
    let body = text.trim_start_matches(' ');
    let lead = &text[..text.len() - body.len()];
    indented(body, width, lead, indent).join("\n")
}

/// The width stderr messages wrap at; 0: not wrapped.
static STDERR_WIDTH: AtomicUsize = AtomicUsize::new(0);

/// Sets the width warnings, notes and errors wrap at on stderr: `None`
/// leaves them one line each (stderr is a pipe or a log, where a line per
/// message reads and greps best).
pub fn set_stderr_width(width: Option<usize>) {
    STDERR_WIDTH.store(width.unwrap_or(0), Ordering::Relaxed);
}

/// The width set by [`set_stderr_width`], if any.
pub fn stderr_width() -> Option<usize> {
    Some(STDERR_WIDTH.load(Ordering::Relaxed)).filter(|&w| w > 0)
}

/// A stderr message (`papertrend: warning: …`) wrapped to the stderr
/// width, later lines indented by two spaces; one line when no width is
/// set. No final newline.
pub fn for_stderr(message: &str) -> String {
    match stderr_width() {
        Some(w) => message
            .split('\n')
            .flat_map(|l| indented(l, w, "", "  "))
            .collect::<Vec<_>>()
            .join("\n"),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_break_between_words_in_display_columns() {
        assert_eq!(
            lines("the quick brown fox jumps", 10),
            ["the quick", "brown fox", "jumps"]
        );
        // Each CJK character is two columns wide; a run without spaces is
        // broken at characters.
        assert_eq!(lines("深度学习模型", 4), ["深度", "学习", "模型"]);
        assert_eq!(lines("", 10), [""]);
    }

    #[test]
    fn urls_keep_a_line_of_their_own_and_other_long_words_break() {
        let url = "https://example.org/a/very/long/path/that/does/not/fit";
        assert_eq!(
            lines(&format!("see {url} for more"), 20),
            ["see", url, "for more"]
        );
        assert_eq!(lines("abcdefghij klm", 4), ["abcd", "efgh", "ij", "klm"]);
    }

    #[test]
    fn separators_stay_with_the_next_word() {
        assert_eq!(
            fill("Why: 18 upvotes · 15 stars · code", 29, "   "),
            "Why: 18 upvotes · 15 stars\n   · code"
        );
    }

    #[test]
    fn fill_keeps_the_lead_and_indents_the_rest() {
        assert_eq!(fill("aaa bbb ccc ddd", 8, "  "), "aaa bbb\n  ccc\n  ddd");
        assert_eq!(fill("  aaa bbb ccc", 9, "  "), "  aaa bbb\n  ccc");
        // Widths are columns, not characters: é is one column, 学 two.
        assert_eq!(fill("café 学习 x", 9, ""), "café 学习\nx");
    }

    #[test]
    fn stderr_messages_wrap_only_when_a_width_is_set() {
        let msg = "papertrend: warning: in/2024-12-11.json: entries are strings, not objects";
        set_stderr_width(None);
        assert_eq!(for_stderr(msg), msg);
        set_stderr_width(Some(40));
        let wrapped = for_stderr(msg);
        set_stderr_width(None);
        assert!(wrapped.lines().all(|l| width_of(l) <= 40), "{wrapped}");
        assert!(wrapped.lines().skip(1).all(|l| l.starts_with("  ")));
    }

    #[test]
    fn ranges_are_slices_of_the_text() {
        let t = "alpha beta gamma";
        let r = ranges(t, 10);
        assert_eq!(r, [(0, 10), (11, 16)]);
        assert_eq!(&t[r[0].0..r[0].1], "alpha beta");
    }
}

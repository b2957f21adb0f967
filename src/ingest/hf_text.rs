//! Hugging Face Papers page text dumps (`hf-text`): a title line, then an
//! abstract line, repeated, under a couple of lines of page chrome.
//!
//! Owns turning such a dump into [`Paper`] records. The dump carries nothing but
//! titles and abstracts, so every record has a title-derived id, `sources =
//! ["hf-text"]`, a cleaned title and abstract, and a `code_url` when the abstract
//! links a repository; every other field is empty.
//!
//! Invariants and choices:
//! * Page chrome is matched, not counted: the known header lines ("Get trending
//!   papers in your email inbox…") are dropped wherever they occur, and the
//!   `Subscribe` button text is stripped where it is glued to the first title
//!   after the chrome (`SubscribePretrained Transformers…`).
//! * A UTF-8 byte-order mark, CRLF line ends, blank lines between records and a
//!   missing final newline are all tolerated.
//! * Records are numbered by the 1-based line of their title.
//! * Empty input, or input that is mostly NUL bytes / control characters, is
//!   a [`ParseError`](super::ParseError): it is not a text dump at all. A
//!   line holding a NUL byte is skipped and reported like a line that is not
//!   valid UTF-8, so one damaged byte costs one record, not the rest of the
//!   file.
//! * Keeping the alternation in step: a line is *abstract-like* when it is long
//!   (at least [`ABSTRACT_MIN_CHARS`] characters or [`ABSTRACT_MIN_WORDS`]
//!   words), or reads like prose (ends with a period and has at least 8 words,
//!   or has a sentence break `". X"` inside and at least 12 words); anything
//!   else is *title-like*. Real titles are at most ~150 characters and never
//!   end with a period; real abstracts are 500+ characters. An abstract-like
//!   line where a title is expected is skipped ("abstract without a title"),
//!   and a title-like line where an abstract is expected starts a new record
//!   while the waiting title is skipped ("title without an abstract"). So one
//!   missing or extra line costs at most one record and never shifts the pairs
//!   after it. The price: a very short, period-less abstract is taken for a
//!   title, which loses that one record (both of its lines are reported).
//! * A line that is not valid UTF-8 is skipped and reported; the classification
//!   above then re-synchronises on the following lines.

use std::io::BufRead;

use super::clean::{clean_latex, find_code_url};
use super::{Emit, Event, Format, Origin, ParseStop, read_line};
use crate::paper::{Paper, SCHEMA_VERSION};

const FORMAT: Format = Format::HfText;

/// The `sources[]` entry of records from this format.
const SOURCE: &str = "hf-text";

/// Page chrome lines printed above the paper list. Longest first, so that one
/// is not mistaken for a prefix of the other.
const HEADER_LINES: [&str; 2] = [
    "Get trending papers in your email inbox once a day!",
    "Get trending papers in your email inbox!",
];

/// Button text that page dumps glue to the first title.
const BUTTON: &str = "Subscribe";

/// A line at least this long is an abstract, never a title.
pub const ABSTRACT_MIN_CHARS: usize = 200;

/// A line with at least this many words is an abstract, never a title.
pub const ABSTRACT_MIN_WORDS: usize = 30;

/// Parses a Hugging Face Papers page text dump.
///
/// # Errors
/// [`ParseStop::Parse`] when the input is empty, cannot be read, or holds
/// binary data; [`ParseStop::Stopped`] when `emit` failed. Broken records are
/// reported as [`Event::Skip`] and parsing goes on.
pub fn parse(
    input: &mut dyn BufRead,
    origin: &Origin,
    emit: &mut Emit<'_>,
) -> Result<(), ParseStop> {
    check_not_binary(input, origin)?;
    let mut buf = Vec::new();
    let mut line = 0u64;
    let mut any_text = false;
    // Right after page chrome (and at the very top) the button text may be
    // glued to the next line.
    let mut after_chrome = true;
    // A title waiting for its abstract: (line, raw text).
    let mut pending: Option<(u64, String)> = None;
    while read_line(input, &mut buf, origin, FORMAT, line + 1)? {
        line += 1;
        if let Some(at) = buf.iter().position(|&b| b == 0) {
            // Like an invalid UTF-8 byte: this line goes (and with it its
            // record), the classification re-synchronises on the next ones.
            any_text = true;
            let reason = format!("NUL byte at byte {at}");
            emit(Event::Skip { line, reason })?;
            continue;
        }
        let text = match std::str::from_utf8(&buf) {
            Ok(t) => t,
            Err(e) => {
                any_text = true;
                let reason = format!("invalid UTF-8 at byte {}", e.valid_up_to());
                emit(Event::Skip { line, reason })?;
                continue;
            }
        };
        let text = if line == 1 {
            text.trim_start_matches('\u{feff}')
        } else {
            text
        };
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        any_text = true;
        let (text, chrome) = strip_chrome(text, after_chrome);
        if chrome {
            after_chrome = true;
        }
        if text.is_empty() {
            continue;
        }
        after_chrome = false;
        let abstract_like = is_abstract_like(text);
        match pending.take() {
            None if abstract_like => {
                emit(Event::Skip {
                    line,
                    reason: "abstract without a title".into(),
                })?;
            }
            None => pending = Some((line, text.to_string())),
            Some((title_line, title)) if abstract_like => {
                emit(record(title_line, &title, text))?;
            }
            Some((title_line, _)) => {
                emit(Event::Skip {
                    line: title_line,
                    reason: "title without an abstract".into(),
                })?;
                pending = Some((line, text.to_string()));
            }
        }
    }
    if let Some((title_line, _)) = pending {
        emit(Event::Skip {
            line: title_line,
            reason: "title without an abstract at end of input".into(),
        })?;
    }
    if !any_text {
        return Err(origin
            .error(FORMAT, None, "empty input: no titles or abstracts")
            .into());
    }
    Ok(())
}

/// Refuses input whose first buffered bytes are clearly not text.
fn check_not_binary(input: &mut dyn BufRead, origin: &Origin) -> Result<(), ParseStop> {
    let head = input
        .fill_buf()
        .map_err(|e| origin.error(FORMAT, None, format!("read failed: {e}")))?;
    // NUL counts as a control byte: many of them are binary data, one is a
    // damaged record (skipped by `parse`).
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    if control * 10 > head.len() {
        return Err(origin
            .error(
                FORMAT,
                None,
                "mostly control characters: binary data, not a page text dump",
            )
            .into());
    }
    Ok(())
}

/// Strips known header lines and, where allowed, glued button text from the
/// start of `text`. Returns the rest and whether a header line was found.
fn strip_chrome(text: &str, after_chrome: bool) -> (&str, bool) {
    let mut rest = text;
    let mut found = false;
    while let Some(h) = HEADER_LINES.iter().find(|h| rest.starts_with(**h)) {
        rest = rest[h.len()..].trim_start();
        found = true;
    }
    if (after_chrome || found)
        && let Some(after) = rest.strip_prefix(BUTTON)
        && (after.is_empty() || after.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()))
    {
        rest = after.trim_start();
    }
    (rest, found)
}

/// Whether a line reads like an abstract rather than a title (see the module
/// docs for the rule and why).
fn is_abstract_like(text: &str) -> bool {
    let words = text.split_whitespace().count();
    if text.chars().count() >= ABSTRACT_MIN_CHARS || words >= ABSTRACT_MIN_WORDS {
        return true;
    }
    let ends_sentence = text.ends_with('.') && !text.ends_with("...");
    let sentence_break = text
        .match_indices(". ")
        .any(|(i, _)| text[i + 2..].starts_with(|c: char| c.is_uppercase()));
    (ends_sentence && words >= 8) || (sentence_break && words >= 12)
}

/// Builds the record for a title and its abstract.
fn record(line: u64, raw_title: &str, raw_abstract: &str) -> Event {
    let title = clean_latex(raw_title);
    if title.is_empty() {
        return Event::Skip {
            line,
            reason: "empty title after cleaning".into(),
        };
    }
    let abstract_text = clean_latex(raw_abstract);
    // Before cleaning: the braces of `…/repo{https://…}` end the link.
    let code_url = find_code_url(raw_abstract);
    let mut paper = Paper {
        schema_version: SCHEMA_VERSION,
        title,
        abstract_text,
        code_url,
        sources: vec![SOURCE.to_string()],
        ..Paper::default()
    };
    paper.assign_id();
    Event::Paper(Box::new(paper))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paper::title_id;

    const SEED: &[u8] = include_bytes!("../../fixtures/hf-text/seed.txt");

    type Skips = Vec<(u64, String)>;

    fn run(input: &[u8]) -> Result<(Vec<Paper>, Skips), ParseStop> {
        super::super::collect(Format::HfText, input, "t.txt")
    }

    fn ok(input: &[u8]) -> (Vec<Paper>, Skips) {
        run(input).unwrap()
    }

    fn titles(papers: &[Paper]) -> Vec<&str> {
        papers.iter().map(|p| p.title.as_str()).collect()
    }

    const ABS_A: &str = "We study a thing. It works well on many benchmarks and we release code.";
    const ABS_B: &str =
        "Another abstract that is long enough to read like prose and ends with a period.";

    #[test]
    fn seed_yields_all_189_papers_with_clean_titles() {
        assert!(
            !SEED.ends_with(b"\n"),
            "fixture should keep its missing final newline"
        );
        let (papers, skips) = ok(SEED);
        assert!(skips.is_empty(), "{skips:?}");
        assert_eq!(papers.len(), 189);
        assert_eq!(
            papers[0].title,
            "Pretrained Transformers for Text Ranking: BERT and Beyond"
        );
        assert_eq!(papers[0].id, title_id(&papers[0].title));
        for p in &papers {
            assert!(!p.title.starts_with("Subscribe"), "{}", p.title);
            assert!(!p.title.contains("Get trending"), "{}", p.title);
            assert!(!p.abstract_text.contains("Get trending"), "{}", p.title);
            assert!(p.abstract_text.len() > 400, "{}", p.title);
            assert!(p.id.starts_with("title:"), "{}", p.id);
            assert_eq!(p.sources, ["hf-text"]);
            assert_eq!(p.schema_version, SCHEMA_VERSION);
            assert!(p.arxiv_id.is_none() && p.published.is_none() && p.upvotes.is_none());
            assert!(p.authors.is_empty() && p.url.is_none());
        }
        assert_eq!(
            papers[188].title,
            "Mimetic Initialization of Self-Attention Layers"
        );
        assert!(
            papers[188]
                .abstract_text
                .ends_with("\"mimetic initialization\".")
        );
    }

    #[test]
    fn seed_titles_are_unique_so_ids_are_distinct() {
        let (papers, _) = ok(SEED);
        let mut ids: Vec<&str> = papers.iter().map(|p| p.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 189);
    }

    #[test]
    fn seed_code_links_are_found_in_abstracts() {
        let (papers, _) = ok(SEED);
        let with_code = papers.iter().filter(|p| p.code_url.is_some()).count();
        assert_eq!(with_code, 51);
        let p = papers
            .iter()
            .find(|p| p.title == "CvT: Introducing Convolutions to Vision Transformers")
            .unwrap();
        assert_eq!(
            p.code_url.as_deref(),
            Some("https://github.com/leoxiaobin/CvT")
        );
        let p = papers
            .iter()
            .find(|p| {
                p.abstract_text
                    .ends_with("https://github.com/nlpyang/PreSumm")
            })
            .unwrap();
        assert_eq!(
            p.code_url.as_deref(),
            Some("https://github.com/nlpyang/PreSumm")
        );
    }

    #[test]
    fn seed_latex_escapes_are_cleaned() {
        let (papers, _) = ok(SEED);
        for p in &papers {
            assert!(!p.abstract_text.contains("\\%"), "{}", p.title);
            assert!(!p.abstract_text.contains("\\ie"), "{}", p.title);
            assert!(!p.abstract_text.contains("\\eg"), "{}", p.title);
        }
        let cvt = papers
            .iter()
            .find(|p| p.title == "CvT: Introducing Convolutions to Vision Transformers")
            .unwrap();
        assert!(
            cvt.abstract_text
                .contains("accuracy of 87.7% on the ImageNet-1k val set"),
            "{}",
            cvt.abstract_text
        );
    }

    #[test]
    fn crlf_bom_blank_lines_and_final_newline_are_tolerated() {
        let text = String::from_utf8(SEED.to_vec()).unwrap();
        let crlf = format!("\u{feff}{}\r\n", text.replace('\n', "\r\n\r\n"));
        let (papers, skips) = ok(crlf.as_bytes());
        assert!(skips.is_empty(), "{skips:?}");
        let (seed, _) = ok(SEED);
        assert_eq!(papers, seed);
    }

    #[test]
    fn headers_are_matched_not_counted() {
        // No chrome at all: the first line is a title.
        let input = format!("Title One\n{ABS_A}\nTitle Two\n{ABS_B}");
        let (papers, skips) = ok(input.as_bytes());
        assert!(skips.is_empty(), "{skips:?}");
        assert_eq!(titles(&papers), ["Title One", "Title Two"]);
        // One header line, then a separate button line.
        let input =
            format!("Get trending papers in your email inbox!\nSubscribe\nTitle One\n{ABS_A}");
        let (papers, _) = ok(input.as_bytes());
        assert_eq!(titles(&papers), ["Title One"]);
        // A later title starting with the word is left alone.
        let input = format!("A\n{ABS_A}\nSubscribeNow Considered Harmful\n{ABS_B}");
        let (papers, _) = ok(input.as_bytes());
        assert_eq!(titles(&papers), ["A", "SubscribeNow Considered Harmful"]);
    }

    #[test]
    fn title_without_abstract_at_end_is_skipped_with_its_line() {
        let input = format!("Title One\n{ABS_A}\n\nDangling Title\n");
        let (papers, skips) = ok(input.as_bytes());
        assert_eq!(titles(&papers), ["Title One"]);
        assert_eq!(
            skips,
            [(4, "title without an abstract at end of input".to_string())]
        );
    }

    #[test]
    fn a_missing_abstract_does_not_shift_later_pairs() {
        let input = format!("One\n{ABS_A}\nTwo\nThree\n{ABS_B}\nFour\n{ABS_A}");
        let (papers, skips) = ok(input.as_bytes());
        assert_eq!(titles(&papers), ["One", "Three", "Four"]);
        assert_eq!(papers[1].abstract_text, ABS_B);
        assert_eq!(skips, [(3, "title without an abstract".to_string())]);
    }

    #[test]
    fn a_missing_title_does_not_shift_later_pairs() {
        let input = format!("One\n{ABS_A}\n{ABS_B}\nThree\n{ABS_B}");
        let (papers, skips) = ok(input.as_bytes());
        assert_eq!(titles(&papers), ["One", "Three"]);
        assert_eq!(skips, [(3, "abstract without a title".to_string())]);
    }

    #[test]
    fn invalid_utf8_line_is_skipped_and_parsing_resyncs() {
        let mut input = b"One\n".to_vec();
        input.extend_from_slice(ABS_A.as_bytes());
        input.extend_from_slice(b"\nBad \xff title\n");
        input.extend_from_slice(ABS_B.as_bytes());
        input.extend_from_slice(b"\nThree\n");
        input.extend_from_slice(ABS_A.as_bytes());
        let (papers, skips) = ok(&input);
        assert_eq!(titles(&papers), ["One", "Three"]);
        assert_eq!(skips.len(), 2, "{skips:?}");
        assert_eq!(skips[0].0, 3);
        assert!(skips[0].1.contains("UTF-8"), "{}", skips[0].1);
        assert_eq!(skips[1], (4, "abstract without a title".to_string()));
    }

    #[test]
    fn empty_or_binary_input_is_a_parse_error() {
        for input in [
            &b""[..],
            b"\n\r\n  \n",
            b"Title\0\x01\x02\x03",
            b"\x01\x02\x03\x04\x05",
        ] {
            match run(input) {
                Err(ParseStop::Parse(e)) => assert_eq!(e.format, Format::HfText),
                other => panic!("{input:?}: expected a parse error, got {other:?}"),
            }
        }
    }

    // See: #19
    #[test]
    fn r19_a_nul_byte_skips_only_its_record() {
        let input = format!("One\n{ABS_A}\nTw\0o\n{ABS_A}\nThree\n{ABS_A}\nFour\n{ABS_A} x\0\n")
            .into_bytes();
        let origin = Origin {
            path: "t.txt".into(),
        };
        // A small buffer: the NULs are beyond the first one.
        let mut reader = std::io::BufReader::with_capacity(16, &input[..]);
        let mut titles = Vec::new();
        let mut skips = Vec::new();
        parse(&mut reader, &origin, &mut |e| {
            match e {
                Event::Paper(p) => titles.push(p.title),
                Event::Skip { line, reason } => skips.push((line, reason)),
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(titles, ["One", "Three"]);
        assert_eq!(
            skips,
            [
                (3, "NUL byte at byte 2".to_string()),
                (4, "abstract without a title".to_string()),
                (8, format!("NUL byte at byte {}", ABS_A.len() + 2)),
                (7, "title without an abstract at end of input".to_string()),
            ]
        );
    }

    #[test]
    fn latex_in_titles_is_cleaned() {
        let input = format!("On {{\\SST}} and 50\\% of $\\alpha$\n{ABS_A}");
        let (papers, _) = ok(input.as_bytes());
        assert_eq!(papers[0].title, "On SST and 50% of α");
    }

    #[test]
    fn abstract_like_rule_separates_real_titles_from_prose() {
        assert!(!is_abstract_like(
            "CNNs vs. Transformers for Image Classification"
        ));
        assert!(!is_abstract_like("Is Attention All You Need?"));
        assert!(is_abstract_like(ABS_A));
        assert!(is_abstract_like(&"word ".repeat(40)));
    }
}

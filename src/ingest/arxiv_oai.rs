//! The arXiv metadata snapshot (Kaggle / Cornell `arxiv-metadata-oai-snapshot.json`),
//! one JSON object per line.
//!
//! Owns mapping each snapshot record to a [`Paper`]: authors from
//! `authors_parsed` (`[last, first, suffix, …]`, already Unicode) as
//! `"First Last Suffix"`, else split from the TeX `authors` string; categories
//! from the space-separated string (the first is the primary); `published` from
//! the `v1` entry of `versions` (else the earliest listed), `updated` from the
//! last version, else `update_date` at 00:00 UTC.
//!
//! Invariants: streaming in constant memory (one line buffer, records borrowed
//! from it where no JSON escapes force a copy), since the full snapshot is
//! ~4 GB / 2.7 M lines. Unknown fields are ignored, as the snapshot grows new
//! ones. A bad line (invalid JSON or UTF-8, wrong field types, no usable id or
//! title) is a [`Event::Skip`] with its 1-based line; only a first non-blank
//! line that is not a JSON object at all is a [`ParseError`](super::ParseError)
//! (wrong format).

use std::borrow::Cow;
use std::io::BufRead;

use jiff::Timestamp;
use jiff::civil::{Date, Time};
use jiff::fmt::rfc2822::DateTimeParser;
use jiff::tz::Offset;
use serde::Deserialize;

use super::clean::{clean_latex, collapse_ws};
use super::xml::finish_arxiv;
use super::{Emit, Event, Format, Origin, ParseStop, read_line};
use crate::paper::{Paper, parse_arxiv_id};

const FORMAT: Format = Format::ArxivOai;

/// `versions[].created` dates, e.g. `Mon, 2 Apr 2007 19:18:42 GMT`.
static RFC2822: DateTimeParser = DateTimeParser::new().relaxed_weekday(true);

/// A string borrowed from the line when it has no JSON escapes.
#[derive(Deserialize)]
#[serde(transparent)]
struct Str<'a>(#[serde(borrow)] Cow<'a, str>);

/// The fields of a snapshot record that papertrend uses; others are skipped.
#[derive(Deserialize)]
struct Record<'a> {
    #[serde(borrow)]
    id: Str<'a>,
    #[serde(borrow, default)]
    authors: Option<Str<'a>>,
    #[serde(borrow, default)]
    title: Option<Str<'a>>,
    #[serde(borrow, default)]
    comments: Option<Str<'a>>,
    #[serde(borrow, default)]
    categories: Option<Str<'a>>,
    #[serde(borrow, default, rename = "abstract")]
    abstract_text: Option<Str<'a>>,
    #[serde(borrow, default)]
    versions: Option<Vec<Version<'a>>>,
    #[serde(borrow, default)]
    update_date: Option<Str<'a>>,
    #[serde(borrow, default)]
    authors_parsed: Option<Vec<Vec<Option<Str<'a>>>>>,
}

#[derive(Deserialize)]
struct Version<'a> {
    #[serde(borrow, default)]
    version: Option<Str<'a>>,
    #[serde(borrow, default)]
    created: Option<Str<'a>>,
}

/// Parses snapshot JSON Lines, emitting one paper per record.
///
/// # Errors
/// [`ParseStop::Parse`] when the first non-blank line is not a JSON object (the
/// input is another format) or cannot be read; [`ParseStop::Stopped`] when `emit`
/// failed.
pub fn parse(
    input: &mut dyn BufRead,
    origin: &Origin,
    emit: &mut Emit<'_>,
) -> Result<(), ParseStop> {
    let mut buf = Vec::with_capacity(8 * 1024);
    let mut line = 0u64;
    let mut seen_first = false;
    while read_line(input, &mut buf, origin, FORMAT, line + 1)? {
        line += 1;
        let bytes = buf.trim_ascii();
        if bytes.is_empty() {
            continue;
        }
        if !seen_first {
            seen_first = true;
            let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
            if !bytes.starts_with(b"{") || bytes == b"{" {
                let why =
                    "not JSON Lines of arXiv snapshot records (first line is not a JSON object)";
                return Err(origin.error(FORMAT, Some(line), why).into());
            }
        }
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t.trim_start_matches('\u{feff}'),
            Err(e) => {
                let reason = format!("invalid UTF-8 at byte {}", e.valid_up_to());
                emit(Event::Skip { line, reason })?;
                continue;
            }
        };
        match record(text) {
            Ok(p) => emit(Event::Paper(Box::new(p)))?,
            Err(reason) => emit(Event::Skip { line, reason })?,
        }
    }
    Ok(())
}

/// Maps one line; `Err` is the reason to skip it.
fn record(text: &str) -> Result<Paper, String> {
    let r: Record<'_> = serde_json::from_str(text).map_err(|e| format!("invalid record: {e}"))?;
    let arxiv_id =
        parse_arxiv_id(&r.id.0).ok_or_else(|| format!("invalid arXiv id {:?}", r.id.0))?;
    let title = clean_latex(r.title.as_ref().map_or("", |t| &t.0));
    if title.is_empty() {
        return Err(format!("record {arxiv_id} has no title"));
    }
    let authors = match r.authors_parsed.as_deref() {
        Some(parsed) if !parsed.is_empty() => parsed.iter().filter_map(|a| join_name(a)).collect(),
        _ => r
            .authors
            .as_ref()
            .map(|a| split_authors(&a.0))
            .unwrap_or_default(),
    };
    let categories = r
        .categories
        .as_ref()
        .map(|c| c.0.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    let versions = r.versions.as_deref().unwrap_or(&[]);
    let first = versions
        .iter()
        .find(|v| v.version.as_ref().is_some_and(|s| s.0 == "v1"))
        .or_else(|| versions.first());
    let published = first.and_then(created);
    let updated = versions.last().and_then(created).or_else(|| {
        let date: Date = r.update_date.as_ref()?.0.trim().parse().ok()?;
        Offset::UTC
            .to_timestamp(date.to_datetime(Time::midnight()))
            .ok()
    });
    let mut p = Paper {
        arxiv_id: Some(arxiv_id),
        title,
        abstract_text: clean_latex(r.abstract_text.as_ref().map_or("", |a| &a.0)),
        authors,
        categories,
        published,
        updated,
        ..Paper::default()
    };
    finish_arxiv(&mut p, FORMAT.name(), r.comments.as_ref().map(|c| &*c.0));
    Ok(p)
}

/// The instant a version was created.
fn created(v: &Version<'_>) -> Option<Timestamp> {
    RFC2822.parse_timestamp(v.created.as_ref()?.0.trim()).ok()
}

/// `["Balázs", "C.", ""]` → `"C. Balázs"`; `["Evans", "Neal J.", "II"]` →
/// `"Neal J. Evans II"`. A fourth element (affiliation) is ignored.
fn join_name(parts: &[Option<Str<'_>>]) -> Option<String> {
    let part = |i: usize| {
        parts
            .get(i)
            .and_then(Option::as_ref)
            .map_or("", |s| s.0.trim())
    };
    let (last, first, suffix) = (part(0), part(1), part(2));
    let mut name = String::with_capacity(last.len() + first.len() + suffix.len() + 2);
    for piece in [first, last, suffix] {
        if !piece.is_empty() {
            if !name.is_empty() {
                name.push(' ');
            }
            name.push_str(piece);
        }
    }
    if name.contains(['\n', '\t', '\r']) || name.contains("  ") {
        name = collapse_ws(&name);
    }
    (!name.is_empty()).then_some(name)
}

/// Fallback when `authors_parsed` is missing: split the `authors` string on
/// commas and " and ", cleaning TeX accents as far as [`clean_latex`] does.
fn split_authors(s: &str) -> Vec<String> {
    s.split(',')
        .flat_map(|piece| piece.split(" and "))
        .map(|name| {
            let name = name.trim();
            clean_latex(name.strip_prefix("and ").unwrap_or(name))
        })
        .filter(|n| !n.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::Collected as Outcome;

    const FIXTURE: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/arxiv-oai/snapshot_head200.jsonl"
    );

    fn run_bytes(input: &[u8]) -> Outcome {
        super::super::collect(Format::ArxivOai, input, "t.jsonl")
    }

    fn fixture() -> Vec<u8> {
        std::fs::read(FIXTURE).unwrap()
    }

    fn ts(s: &str) -> Option<Timestamp> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn every_fixture_line_becomes_a_paper() {
        let bytes = fixture();
        let (papers, skips) = run_bytes(&bytes).unwrap();
        assert!(skips.is_empty(), "{skips:?}");
        let lines = bytes
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .count();
        assert_eq!(papers.len(), lines);
        assert_eq!(lines, 200);
        for p in &papers {
            assert!(p.id.starts_with("arxiv:0704."), "{}", p.id);
            assert!(!p.title.contains('\n') && !p.abstract_text.starts_with(' '));
            assert!(
                !p.authors.is_empty() && !p.categories.is_empty(),
                "{}",
                p.id
            );
            assert!(p.published.is_some() && p.updated.is_some(), "{}", p.id);
            assert!(p.published <= p.updated, "{}", p.id);
            assert_eq!(p.sources, ["arxiv-oai"]);
        }
    }

    #[test]
    fn first_record_maps_every_field() {
        let (papers, _) = run_bytes(&fixture()).unwrap();
        let p = &papers[0];
        assert_eq!(p.id, "arxiv:0704.0001");
        assert_eq!(
            p.title,
            "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
        );
        // `C. Bal\\'azs` in `authors`, decoded in `authors_parsed`.
        assert_eq!(
            p.authors,
            ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan"]
        );
        assert_eq!(p.categories, ["hep-ph"]);
        assert_eq!(p.published, ts("2007-04-02T19:18:42Z"));
        assert_eq!(p.updated, ts("2007-07-24T20:10:27Z"));
        assert!(
            p.abstract_text
                .starts_with("A fully differential calculation in perturbative")
        );
        assert_eq!(p.url.as_deref(), Some("https://arxiv.org/abs/0704.0001"));
        assert_eq!(
            p.pdf_url.as_deref(),
            Some("https://arxiv.org/pdf/0704.0001")
        );
        assert_eq!(p.schema_version, crate::paper::SCHEMA_VERSION);
    }

    #[test]
    fn suffixes_and_affiliations_in_authors_parsed() {
        let (papers, _) = run_bytes(&fixture()).unwrap();
        assert!(
            papers[8].authors.iter().any(|a| a == "Neal J. Evans II"),
            "{:?}",
            papers[8].authors
        );
        assert_eq!(papers[24].authors, ["A. S. Mishchenko", "N. Nagaosa"]);
        let multi = papers.iter().find(|p| p.categories.len() > 1).unwrap();
        let line = String::from_utf8(fixture()).unwrap();
        let raw = line
            .lines()
            .find(|l| l.contains(&format!("\"id\":\"{}\"", &multi.id[6..])))
            .unwrap();
        let cats: serde_json::Value = serde_json::from_str(raw).unwrap();
        let want: Vec<&str> = cats["categories"].as_str().unwrap().split(' ').collect();
        assert_eq!(multi.categories, want, "primary (first listed) stays first");
    }

    #[test]
    fn fallbacks_for_missing_fields() {
        let line = "{\"id\":\"hep-th/9901001\",\"title\":\"T\",\"authors\":\"A. Tom\\\\`as and B. C\",\
                    \"versions\":[],\"update_date\":\"2008-11-26\",\"new_field\":{\"x\":[1]},\
                    \"comments\":\"code at https://github.com/a/b\"}";
        let (papers, skips) = run_bytes(line.as_bytes()).unwrap();
        assert!(skips.is_empty(), "{skips:?}");
        let p = &papers[0];
        assert_eq!(p.id, "arxiv:hep-th/9901001");
        assert_eq!(p.authors.len(), 2);
        assert_eq!(p.published, None);
        assert_eq!(p.updated, ts("2008-11-26T00:00:00Z"));
        assert_eq!(p.code_url.as_deref(), Some("https://github.com/a/b"));
    }

    #[test]
    fn bad_lines_are_skipped_with_their_line_numbers() {
        let bytes = fixture();
        let mut lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').take(3).collect();
        let truncated = &lines[1][..lines[1].len() / 2];
        lines[1] = truncated;
        let mut input = Vec::new();
        for l in &lines {
            input.extend_from_slice(l);
            input.push(b'\n');
        }
        input.extend_from_slice(b"\n{\"id\":\"0704.0009\",\"title\":\"T\",\"versions\":\"x\"}\n");
        input.extend_from_slice(b"{\"id\":\"0704.0010\",\"title\":\"caf\xe9\"}\r\n");
        input.extend_from_slice(b"{\"id\":\"nope\",\"title\":\"T\"}\n");
        input.extend_from_slice(b"{\"id\":\"0704.0011\",\"title\":\"  \"}\n[1,2]\n");
        let (papers, skips) = run_bytes(&input).unwrap();
        assert_eq!(papers.len(), 2);
        let at: Vec<u64> = skips.iter().map(|s| s.0).collect();
        assert_eq!(at, [2, 5, 6, 7, 8, 9], "{skips:?}");
        assert!(skips[1].1.contains("invalid type"), "{}", skips[1].1);
        assert!(skips[2].1.contains("UTF-8"), "{}", skips[2].1);
    }

    #[test]
    fn other_formats_are_parse_errors() {
        for input in [
            &b"<?xml version=\"1.0\"?><feed/>"[..],
            b"\n\n[{\"id\":\"0704.0001\"}]",
            b"{\n  \"id\": \"0704.0001\"\n}",
            b"\x89PNG\r\n\x1a\n\0\0",
        ] {
            match run_bytes(input) {
                Err(ParseStop::Parse(e)) => {
                    assert_eq!((e.format, e.line.is_some()), (FORMAT, true))
                }
                other => panic!("{:?}: {other:?}", String::from_utf8_lossy(input)),
            }
        }
        let (papers, skips) = run_bytes(b"").unwrap();
        assert!(papers.is_empty() && skips.is_empty());
    }
}

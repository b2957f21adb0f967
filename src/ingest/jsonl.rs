//! papertrend's own JSON Lines record, also the generic import format.
//!
//! One [`Paper`] per line. Any non-empty `id` string is accepted (`doi:…`,
//! `scifact:4983`); missing optional fields stay empty; unknown fields are an
//! error for that line (so a typo is not silently dropped). Blank lines are
//! skipped. `export` → `ingest` round-trips exactly.

use std::io::BufRead;

use super::{Emit, Event, Format, Origin, ParseStop, read_line};
use crate::ingest::clean::collapse_ws;
use crate::paper::{Paper, SCHEMA_VERSION, parse_arxiv_id};

/// Parses JSON Lines of paper records.
///
/// # Errors
/// [`ParseStop::Parse`] when the first non-blank line is not a JSON object at
/// all (the input is some other format); bad later lines are skipped.
pub fn parse(
    input: &mut dyn BufRead,
    origin: &Origin,
    emit: &mut Emit<'_>,
) -> Result<(), ParseStop> {
    let mut buf = Vec::new();
    let mut line = 0u64;
    let mut good = 0u64;
    while read_line(input, &mut buf, origin, Format::Jsonl, line + 1)? {
        line += 1;
        let text = match std::str::from_utf8(&buf) {
            Ok(t) => t.trim(),
            Err(e) => {
                emit(Event::Skip {
                    line,
                    reason: format!("invalid UTF-8 at byte {}", e.valid_up_to()),
                })?;
                continue;
            }
        };
        if text.is_empty() {
            continue;
        }
        match parse_record(text) {
            Ok(p) => {
                good += 1;
                emit(Event::Paper(Box::new(p)))?;
            }
            Err(reason) => {
                if good == 0 && !text.starts_with('{') {
                    return Err(origin
                        .error(
                            Format::Jsonl,
                            Some(line),
                            "not a JSON Lines file of paper records",
                        )
                        .into());
                }
                emit(Event::Skip { line, reason })?;
            }
        }
    }
    Ok(())
}

fn parse_record(text: &str) -> Result<Paper, String> {
    let mut p: Paper = serde_json::from_str(text).map_err(|e| format!("invalid record: {e}"))?;
    if p.schema_version > SCHEMA_VERSION {
        return Err(format!(
            "schema_version {} is newer than this papertrend ({SCHEMA_VERSION})",
            p.schema_version
        ));
    }
    p.schema_version = SCHEMA_VERSION;
    p.title = collapse_ws(&p.title);
    if p.title.is_empty() {
        return Err("missing title".into());
    }
    p.id = p.id.trim().to_string();
    if p.arxiv_id.is_none() {
        p.arxiv_id = p.id.strip_prefix("arxiv:").and_then(parse_arxiv_id);
    } else {
        p.arxiv_id = p.arxiv_id.as_deref().and_then(parse_arxiv_id);
    }
    p.assign_id();
    if !p.sources.iter().any(|s| s == "jsonl") && p.sources.is_empty() {
        p.sources.push("jsonl".into());
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &str) -> (Vec<Paper>, Vec<(u64, String)>) {
        super::super::collect(Format::Jsonl, input.as_bytes(), "t.jsonl").unwrap()
    }

    #[test]
    fn accepts_any_id_and_minimal_records() {
        let (papers, skips) = run(
            "{\"id\":\"scifact:4983\",\"title\":\"Microstructural development\"}\n\n{\"id\":\"\",\"title\":\"No id\"}\n{\"title\":\"x\",\"arxiv_id\":\"2401.00001v2\"}",
        );
        assert!(skips.is_empty(), "{skips:?}");
        assert_eq!(papers[0].id, "scifact:4983");
        assert!(papers[1].id.starts_with("title:"));
        assert_eq!(papers[2].id, "arxiv:2401.00001");
        assert_eq!(papers[0].sources, ["jsonl"]);
    }

    #[test]
    fn bad_lines_are_skipped_with_line_numbers() {
        let (papers, skips) = run(
            "{\"id\":\"a\",\"title\":\"A\"}\n{\"id\":\"b\",\"title\":null}\n{\"titel\":\"typo\"}\n{truncated",
        );
        assert_eq!(papers.len(), 1);
        assert_eq!(skips.iter().map(|s| s.0).collect::<Vec<_>>(), [2, 3, 4]);
        assert!(skips[1].1.contains("titel"), "{}", skips[1].1);
    }

    #[test]
    fn listed_round_trips_and_old_records_without_it_still_parse() {
        let (papers, skips) = run(
            "{\"id\":\"a\",\"title\":\"A\",\"published\":\"2025-11-23T17:09:34Z\",\"listed\":\"2025-12-02T02:55:07Z\"}\n{\"id\":\"b\",\"title\":\"B\",\"published\":\"2025-11-23T17:09:34Z\"}",
        );
        assert!(skips.is_empty(), "{skips:?}");
        let listed: jiff::Timestamp = "2025-12-02T02:55:07Z".parse().unwrap();
        assert_eq!(papers[0].listed, Some(listed));
        assert_eq!(papers[0].visible_date(), Some(listed));
        assert_eq!(papers[1].listed, None);
        assert_eq!(papers[1].visible_date(), papers[1].published);
        // Unknown `listed` is left out of the record, so older records and
        // their fingerprints are unchanged.
        let json = serde_json::to_string(&papers[1]).unwrap();
        assert!(!json.contains("listed"), "{json}");
        assert!(
            serde_json::to_string(&papers[0])
                .unwrap()
                .contains("\"listed\":\"2025-12-02T02:55:07Z\"")
        );
    }
}

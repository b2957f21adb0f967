//! Hugging Face papers API responses (`hf-json`): `/api/daily_papers` and the
//! papers search API.
//!
//! Owns turning one such JSON document into [`Paper`] records. Accepted shapes:
//! a JSON array of daily items (`{paper:{…}, publishedAt, title, summary,
//! numComments, …}`), an array of bare paper objects (`{id, title, summary, …}`
//! at top level, as the search API returns), and an object wrapping such an
//! array under `data`, `papers` or `items`. A lone item or paper object is read
//! as a one-entry array.
//!
//! Invariants and choices:
//! * Every field is optional except the title (an entry without one is
//!   skipped, naming its id); `paper.*` is
//!   preferred and the item-level `title`/`summary` are the fallback (the
//!   June-2024 layout has fewer fields than the 2025+ one).
//! * `published` is `paper.publishedAt` only. The item-level `publishedAt` is
//!   never the arXiv date: in the 2024 layout it is when the paper was put on
//!   the daily list, in the 2025+ layout it is a US-Eastern wall-clock time
//!   mislabelled as UTC.
//! * `listed` (when the paper was put on the daily list) and
//!   `counts_observed_at` are `paper.submittedOnDailyAt`, else (for nested
//!   items of the 2024 layout, which lacks it) the item-level `publishedAt`,
//!   else `None`. A bare paper from the search API is not a listing.
//! * Counts (`upvotes`, `numComments`, `githubStars`) may be integers, floats
//!   or numeric strings: floats are rounded and negatives clamped to 0. A
//!   count that is anything else (an object, a list, a boolean, words), or
//!   a date that does not parse, skips the entry with a reason naming the
//!   field; `null` is "not given".
//! * Identity: `arxiv:<id>` when the id is an arXiv id, else the title-derived
//!   id, else `hf:<id>` for a record that has only a non-arXiv id.
//! * Entries are numbered 1-based in the array; [`Event::Skip`]'s `line` is
//!   that entry number. Withdrawn papers and entries without id and title are
//!   skipped.
//! * A document that is empty, not JSON, truncated, nested deeper than
//!   serde_json's recursion limit (128), or whose entries are not objects
//!   (e.g. Python reprs written as strings by a broken collector) is a
//!   [`ParseError`] naming the problem; `[]` is a valid empty day.
//! * The input is read whole (bounded by [`MAX_DOCUMENT_BYTES`](super::MAX_DOCUMENT_BYTES)):
//!   an API response is one document.
//!
//! Why one long file: half of it is tests on real API responses, and the
//! layouts and their quirks are read together.

use std::io::BufRead;

use jiff::Timestamp;
use serde_json::{Map, Value};

use super::clean::{clean_latex, collapse_ws, find_code_url};
use super::{Emit, Event, Format, Origin, ParseError, ParseStop, read_all};
use crate::paper::{Paper, SCHEMA_VERSION, parse_arxiv_id};

const FORMAT: Format = Format::HfJson;

/// The `sources[]` entry of records from this format.
const SOURCE: &str = "hf-json";

/// Keys under which a wrapping object may hold the array of entries.
const WRAPPER_KEYS: [&str; 3] = ["data", "papers", "items"];

/// Keys that mark an object as a daily item or a paper.
const ENTRY_KEYS: [&str; 4] = ["paper", "id", "title", "summary"];

/// Keys a paper id may be found under (the first is the API's).
const ID_KEYS: [&str; 3] = ["id", "arxiv_id", "arxivId"];

/// Parses a Hugging Face papers API response.
///
/// # Errors
/// [`ParseStop::Parse`] when the input is not such a response (empty, not
/// JSON, truncated, too deeply nested, or entries that are not objects);
/// [`ParseStop::Sink`] when `emit` failed. Unusable entries are reported as
/// [`Event::Skip`] with their 1-based entry number.
pub fn parse(
    input: &mut dyn BufRead,
    origin: &Origin,
    emit: &mut Emit<'_>,
) -> Result<(), ParseStop> {
    let bytes = read_all(input, origin, FORMAT)?;
    let entries = entries(&bytes, origin)?;
    for (i, entry) in entries.iter().enumerate() {
        let line = i as u64 + 1;
        match convert(entry) {
            Ok(paper) => emit(Event::Paper(Box::new(paper)))?,
            Err(reason) => emit(Event::Skip { line, reason })?,
        }
    }
    Ok(())
}

/// Parses the document and finds its array of entries.
fn entries(bytes: &[u8], origin: &Origin) -> Result<Vec<Value>, ParseError> {
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(origin.error(FORMAT, None, "empty input: expected a JSON array of papers"));
    }
    let doc: Value = serde_json::from_slice(body).map_err(|e| json_error(origin, &e))?;
    let (list, place) = match doc {
        Value::Array(list) => (list, String::new()),
        Value::Object(mut obj) => {
            if let Some(key) = WRAPPER_KEYS
                .iter()
                .find(|k| obj.get(**k).is_some_and(Value::is_array))
            {
                match obj.remove(*key) {
                    Some(Value::Array(list)) => (list, format!(" under \"{key}\"")),
                    _ => (Vec::new(), String::new()),
                }
            } else if is_entry(&obj) {
                (vec![Value::Object(obj)], String::new())
            } else {
                let keys: Vec<&str> = obj.keys().take(6).map(String::as_str).collect();
                return Err(origin.error(
                    FORMAT,
                    None,
                    format!(
                        "JSON object without a data/papers/items array of papers (keys: {})",
                        keys.join(", ")
                    ),
                ));
            }
        }
        other => {
            return Err(origin.error(
                FORMAT,
                None,
                format!("expected a JSON array of papers, found {}", kind(&other)),
            ));
        }
    };
    if let Some(first) = list.first() {
        if !list.iter().any(Value::is_object) {
            return Err(origin.error(FORMAT, None, non_object_reason(first, &place)));
        }
        if !list.iter().any(|v| v.as_object().is_some_and(is_entry)) {
            return Err(origin.error(
                FORMAT,
                None,
                format!(
                    "entries{place} are JSON objects without paper, id, title or summary \
                     fields: not a Hugging Face papers response"
                ),
            ));
        }
    }
    Ok(list)
}

/// A [`ParseError`] for a serde_json failure, with its line and column.
fn json_error(origin: &Origin, e: &serde_json::Error) -> ParseError {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Eof => "truncated JSON",
        Category::Io => "unreadable JSON",
        Category::Syntax | Category::Data => "not valid JSON",
    };
    let line = (e.line() > 0).then_some(e.line() as u64);
    origin.error(FORMAT, line, format!("{what}: {e}"))
}

/// Why an array whose entries are all non-objects is refused.
fn non_object_reason(first: &Value, place: &str) -> String {
    match first {
        Value::String(s) => {
            let t = s.trim_start();
            if t.starts_with("{'") || t.contains("': ") || t.contains("None") {
                format!(
                    "entries{place} are strings (Python repr of each item?), not JSON objects; \
                     the file was written with str() instead of JSON"
                )
            } else {
                format!("entries{place} are strings, not JSON objects")
            }
        }
        other => format!("entries{place} are {}, not JSON objects", kind(other)),
    }
}

/// Whether an object looks like a daily item or a paper.
fn is_entry(obj: &Map<String, Value>) -> bool {
    ENTRY_KEYS.iter().any(|k| obj.contains_key(*k))
}

/// A JSON value's kind, for messages.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The first non-null value of `key` in `objs`, in order.
fn field<'a>(objs: &[&'a Map<String, Value>], key: &str) -> Option<&'a Value> {
    objs.iter()
        .find_map(|o| o.get(key).filter(|v| !v.is_null()))
}

/// The first non-blank string of `key` in `objs`, trimmed.
fn text<'a>(objs: &[&'a Map<String, Value>], key: &str) -> Option<&'a str> {
    objs.iter().find_map(|o| {
        o.get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    })
}

/// Turns one entry into a paper, or says why it is skipped.
fn convert(entry: &Value) -> Result<Paper, String> {
    let Some(item) = entry.as_object() else {
        return Err(format!("entry is {}, not an object", kind(entry)));
    };
    let nested = item.get("paper").and_then(Value::as_object);
    let paper = nested.unwrap_or(item);
    // Paper first, item as fallback (the same object for bare paper entries).
    let both = [paper, item];
    let only_paper = [paper];

    if field(&both, "withdrawnAt").is_some_and(|v| !matches!(v, Value::Bool(false))) {
        return Err("withdrawn".into());
    }
    let hf_id = ID_KEYS.iter().find_map(|k| text(&only_paper, k));
    let title = text(&both, "title").map(clean_latex).unwrap_or_default();
    if hf_id.is_none() && title.is_empty() {
        return Err("entry has neither a paper id nor a title".into());
    }
    if title.is_empty() {
        // Shown as an empty link, and refused when its own export is
        // ingested again: never accepted.
        let shown = field(&both, "title").map_or("missing or null", kind);
        return Err(format!(
            "entry {:?} has no title (`title` is {shown})",
            hf_id.unwrap_or_default()
        ));
    }
    let upvotes = checked_count(&both, "upvotes")?;
    let comments = checked_count(&[item, paper], "numComments")?;
    let github_stars = checked_count(&both, "githubStars")?;
    let published = checked_time(&only_paper, "publishedAt")?;
    checked_time(&both, "submittedOnDailyAt")?;
    if nested.is_some() {
        checked_time(&[item], "publishedAt")?;
    }
    let raw_abstract = text(&both, "summary").or_else(|| text(&both, "abstract"));
    let abstract_text = raw_abstract.map(clean_latex).unwrap_or_default();
    let arxiv_id = hf_id.and_then(parse_arxiv_id);

    let code_url = text(&only_paper, "githubRepo")
        .or_else(|| text(&[item], "githubRepo"))
        .and_then(repo_url)
        // Before cleaning: the braces of `…/repo{https://…}` end the link.
        .or_else(|| raw_abstract.and_then(find_code_url));
    // When the paper was put on the daily list: `paper.submittedOnDailyAt`
    // (2025+), else the item-level `publishedAt` of the 2024 layout (which
    // has no `submittedOnDailyAt`; in the 2025+ layout that field is a
    // mislabelled US-Eastern time and is never read).
    let daily = field(&both, "submittedOnDailyAt").and_then(timestamp);
    let listed = match daily {
        Some(t) => Some(t),
        None => nested
            .and_then(|_| item.get("publishedAt"))
            .and_then(timestamp),
    };

    let mut p = Paper {
        schema_version: SCHEMA_VERSION,
        title,
        abstract_text,
        authors: authors(field(&both, "authors")),
        keywords: keywords(field(&both, "ai_keywords")),
        published,
        upvotes,
        comments,
        github_stars,
        code_url,
        url: hf_id
            .filter(|id| is_url_safe(id))
            .map(|id| format!("https://huggingface.co/papers/{id}")),
        pdf_url: arxiv_id
            .as_ref()
            .map(|a| format!("https://arxiv.org/pdf/{a}")),
        arxiv_id,
        sources: vec![SOURCE.to_string()],
        counts_observed_at: listed,
        listed,
        ..Paper::default()
    };
    if p.arxiv_id.is_none()
        && p.title.is_empty()
        && let Some(id) = hf_id
    {
        p.id = format!("hf:{id}");
    }
    p.assign_id();
    Ok(p)
}

/// Author names from `[{name, …}]` or `["name", …]`, blank ones dropped.
fn authors(v: Option<&Value>) -> Vec<String> {
    let Some(list) = v.and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|a| match a {
            Value::String(s) => Some(s.as_str()),
            Value::Object(o) => o.get("name").and_then(Value::as_str),
            _ => None,
        })
        .map(collapse_ws)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Keywords from an array of strings, blank and repeated ones dropped.
fn keywords(v: Option<&Value>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for k in v
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        let k = collapse_ws(k);
        if !k.is_empty() && !out.contains(&k) {
            out.push(k);
        }
    }
    out
}

/// A repository link as given, with a scheme and without trailing slashes;
/// `None` when it does not parse as an http(s) URL with a host.
fn repo_url(s: &str) -> Option<String> {
    let s = s.trim().trim_end_matches('/');
    let s = if s.starts_with("http://") || s.starts_with("https://") {
        s.to_string()
    } else {
        format!("https://{s}")
    };
    // Shown as a link: a valid http(s) URL with a host, or nothing.
    let url = url::Url::parse(&s).ok()?;
    (matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty()))
        .then_some(s)
}

/// Whether an id can be put into a URL path as is.
fn is_url_safe(id: &str) -> bool {
    id.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'/'))
}

/// A count from an integer, a float (rounded) or a numeric string; negatives
/// become 0, anything else `None`.
fn count(v: &Value) -> Option<u64> {
    let f = match v {
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                return Some(u);
            }
            n.as_f64()?
        }
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    // `as` saturates: huge values become u64::MAX, negatives 0.
    f.is_finite().then(|| f.round().max(0.0) as u64)
}

/// The count under `key` (see [`count`]); a value that is there but is no
/// count (an object, a list, `true`, words) is the entry's error, not a
/// silent `None`.
fn checked_count(objs: &[&Map<String, Value>], key: &str) -> Result<Option<u64>, String> {
    match field(objs, key) {
        None => Ok(None),
        Some(v) => count(v)
            .map(Some)
            .ok_or_else(|| format!("`{key}` is {}, not a count", shown(v))),
    }
}

/// The time under `key` (see [`timestamp`]); one that is there but does not
/// parse is the entry's error.
fn checked_time(objs: &[&Map<String, Value>], key: &str) -> Result<Option<Timestamp>, String> {
    match field(objs, key) {
        None => Ok(None),
        Some(v) => timestamp(v)
            .map(Some)
            .ok_or_else(|| format!("`{key}` is {}, not a date", shown(v))),
    }
}

/// A short description of a bad value: a string quoted (cut at 40
/// characters), anything else by its kind.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{:?}", s.chars().take(40).collect::<String>()),
        other => kind(other).to_string(),
    }
}

/// An RFC 3339 timestamp, or a bare `YYYY-MM-DD` date taken as midnight UTC.
fn timestamp(v: &Value) -> Option<Timestamp> {
    let s = v.as_str()?.trim();
    if let Ok(t) = s.parse::<Timestamp>() {
        return Some(t);
    }
    let date: jiff::civil::Date = s.parse().ok()?;
    jiff::tz::TimeZone::UTC
        .to_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    type Skips = Vec<(u64, String)>;

    fn run(input: &[u8]) -> Result<(Vec<Paper>, Skips), ParseStop> {
        super::super::collect(Format::HfJson, input, "t.json")
    }

    fn ok(input: &str) -> (Vec<Paper>, Skips) {
        run(input.as_bytes()).unwrap()
    }

    fn parse_error(input: &[u8]) -> ParseError {
        match run(input) {
            Err(ParseStop::Parse(e)) => e,
            other => panic!("expected a parse error, got {other:?}"),
        }
    }

    fn ts(s: &str) -> Option<Timestamp> {
        Some(s.parse().unwrap())
    }

    const FIXTURES: [(&str, &str); 5] = [
        (
            "2025-11-12",
            include_str!("../../fixtures/hf-json/2025-11-12.json"),
        ),
        (
            "2026-01-02",
            include_str!("../../fixtures/hf-json/2026-01-02.json"),
        ),
        (
            "2026-01-19",
            include_str!("../../fixtures/hf-json/2026-01-19.json"),
        ),
        (
            "2026-01-20",
            include_str!("../../fixtures/hf-json/2026-01-20.json"),
        ),
        (
            "2025-12-02",
            include_str!("../../fixtures/hf-json/2025-12-02.json"),
        ),
    ];

    #[test]
    fn every_item_of_every_fixture_becomes_a_paper() {
        let mut total = 0;
        for (name, text) in FIXTURES {
            let items: Vec<Value> = serde_json::from_str(text).unwrap();
            assert_eq!(items.len(), text.matches("\"paper\":").count(), "{name}");
            let (papers, skips) = ok(text);
            assert!(skips.is_empty(), "{name}: {skips:?}");
            assert_eq!(papers.len(), items.len(), "{name}");
            for (p, item) in papers.iter().zip(&items) {
                let id = item["paper"]["id"].as_str().unwrap();
                assert_eq!(p.id, format!("arxiv:{id}"));
                assert_eq!(p.arxiv_id.as_deref(), Some(id));
                assert_eq!(p.sources, ["hf-json"]);
                assert!(
                    !p.title.contains('\n') && !p.title.contains("  "),
                    "{}",
                    p.title
                );
                assert!(!p.abstract_text.contains("\\%"), "{}", p.title);
                assert!(!p.authors.is_empty(), "{}", p.title);
                assert!(p.upvotes.is_some() && p.comments.is_some(), "{}", p.title);
            }
            total += papers.len();
        }
        assert_eq!(total, 8 + 3 + 12 + 4 + 28);
    }

    #[test]
    fn published_is_the_papers_date_not_the_items() {
        for (name, text) in FIXTURES {
            let items: Vec<Value> = serde_json::from_str(text).unwrap();
            let (papers, _) = ok(text);
            for (p, item) in papers.iter().zip(&items) {
                let want = ts(item["paper"]["publishedAt"].as_str().unwrap());
                let item_level = ts(item["publishedAt"].as_str().unwrap());
                assert_eq!(p.published, want, "{name} {}", p.id);
                assert_ne!(p.published, item_level, "{name} {}", p.id);
                let daily = ts(item["paper"]["submittedOnDailyAt"].as_str().unwrap());
                assert_eq!(p.counts_observed_at, daily, "{name} {}", p.id);
                // Listed on the daily list at `submittedOnDailyAt`, never at
                // the mislabelled item-level time.
                assert_eq!(p.listed, daily, "{name} {}", p.id);
                assert_ne!(p.listed, item_level, "{name} {}", p.id);
            }
        }
    }

    #[test]
    fn new_layout_fields_are_mapped() {
        let (papers, _) = ok(FIXTURES[3].1);
        let p = &papers[0];
        assert_eq!(p.id, "arxiv:2601.08808");
        assert_eq!(
            p.title,
            "Multiplex Thinking: Reasoning via Token-wise Branch-and-Merge"
        );
        assert_eq!(p.authors.len(), 6);
        assert_eq!(p.authors[0], "Yao Tang");
        assert_eq!(p.authors[5], "Jiatao Gu");
        assert_eq!(p.keywords.len(), 8);
        assert_eq!(p.keywords[0], "Chain-of-Thought");
        assert_eq!(p.upvotes, Some(13));
        assert_eq!(p.comments, Some(1));
        assert_eq!(p.github_stars, Some(39));
        assert_eq!(
            p.code_url.as_deref(),
            Some("https://github.com/GMLR-Penn/Multiplex-Thinking")
        );
        assert_eq!(
            p.url.as_deref(),
            Some("https://huggingface.co/papers/2601.08808")
        );
        assert_eq!(
            p.pdf_url.as_deref(),
            Some("https://arxiv.org/pdf/2601.08808")
        );
        assert_eq!(p.published, ts("2026-01-13T18:48:00Z"));
        assert_eq!(p.counts_observed_at, ts("2026-01-20T00:45:12.349Z"));
        assert!(p.first_seen.is_none());
        // No githubRepo and no link in the summary: no code_url, no stars.
        assert_eq!(papers[3].id, "arxiv:2601.10387");
        assert_eq!(papers[3].github_stars, None);
        assert_eq!(papers[3].comments, Some(0));
    }

    #[test]
    fn hard_wrapped_titles_and_tex_summaries_are_cleaned() {
        let (papers, _) = ok(FIXTURES[0].1);
        assert_eq!(
            papers[0].title,
            "Tiny Model, Big Logic: Diversity-Driven Optimization Elicits Large-Model \
             Reasoning Ability in VibeThinker-1.5B"
        );
        assert!(
            papers[4]
                .abstract_text
                .contains("an average improvement of over 5%. These results"),
            "{}",
            papers[4].abstract_text
        );
        // A trailing slash on githubRepo is dropped.
        assert_eq!(
            papers[2].code_url.as_deref(),
            Some("https://github.com/ServiceNow/GroundCUA")
        );
        let (papers, _) = ok(FIXTURES[1].1);
        assert!(
            papers[1].abstract_text.contains("GPT-5 (+314.2%)"),
            "{}",
            papers[1].abstract_text
        );
    }

    #[test]
    fn float_and_odd_counts_are_rounded_and_clamped() {
        let (papers, skips) = ok(r#"[
            {"paper": {"id": "2401.00001", "title": "A", "upvotes": 12.0, "githubStars": 7.6},
             "numComments": 3.0},
            {"paper": {"id": "2401.00002", "title": "B", "upvotes": -4, "githubStars": -0.5},
             "numComments": "5"},
            {"paper": {"id": "2401.00003", "title": "C", "upvotes": 1e30},
             "numComments": null}
        ]"#);
        assert!(skips.is_empty(), "{skips:?}");
        let got: Vec<_> = papers
            .iter()
            .map(|p| (p.upvotes, p.comments, p.github_stars))
            .collect();
        assert_eq!(
            got,
            [
                (Some(12), Some(3), Some(8)),
                (Some(0), Some(5), Some(0)),
                (Some(u64::MAX), None, None),
            ]
        );
    }

    #[test]
    fn old_2024_layout_is_parsed_with_item_fallbacks() {
        let (papers, skips) = ok(r#"[
    {
        "paper": {
            "id": "2406.00001",
            "authors": [{"_id": "x", "name": "Ann Lee", "hidden": false},
                        {"_id": "y", "name": " ", "hidden": true},
                        {"_id": "z", "name": "Bo Chen", "hidden": true}],
            "publishedAt": "2024-05-31T17:59:01.000Z",
            "title": "Scaling Mixture-of-Experts\n  Language Models",
            "summary": "We scale\nmodels by 50\\% and release https://github.com/a/b.",
            "upvotes": 27
        },
        "publishedAt": "2024-06-03T08:12:00.000Z",
        "title": "Scaling Mixture-of-Experts Language Models",
        "mediaUrl": "https://example.org/x.mp4",
        "numComments": 2
    },
    {
        "paper": {"id": "2406.00002", "authors": [], "publishedAt": "2024-06-01T00:00:00.000Z"},
        "publishedAt": "2024-06-03T09:00:00.000Z",
        "title": "Only The Item\n  Has A Title",
        "summary": "Item-level summary.",
        "mediaUrls": ["a", "b"],
        "numComments": 0
    }
]"#);
        assert!(skips.is_empty(), "{skips:?}");
        let p = &papers[0];
        assert_eq!(p.title, "Scaling Mixture-of-Experts Language Models");
        assert_eq!(
            p.abstract_text,
            "We scale models by 50% and release https://github.com/a/b."
        );
        assert_eq!(p.code_url.as_deref(), Some("https://github.com/a/b"));
        assert_eq!(p.authors, ["Ann Lee", "Bo Chen"]);
        assert_eq!(p.published, ts("2024-05-31T17:59:01Z"));
        assert_eq!(p.counts_observed_at, ts("2024-06-03T08:12:00Z"));
        // The 2024 layout has no `submittedOnDailyAt`: the item-level
        // `publishedAt` is when the paper was put on the daily list.
        assert_eq!(p.listed, ts("2024-06-03T08:12:00Z"));
        assert_eq!(p.visible_date(), ts("2024-06-03T08:12:00Z"));
        assert_eq!(
            (p.upvotes, p.comments, p.github_stars),
            (Some(27), Some(2), None)
        );
        assert!(p.keywords.is_empty());
        let q = &papers[1];
        assert_eq!(q.id, "arxiv:2406.00002");
        assert_eq!(q.title, "Only The Item Has A Title");
        assert_eq!(q.abstract_text, "Item-level summary.");
        assert_eq!(q.upvotes, None);
    }

    #[test]
    fn search_shape_and_wrapped_arrays_are_accepted() {
        let bare = r#"[{"id": "2402.00001", "title": "Bare Paper", "summary": "S.",
                        "publishedAt": "2024-02-01T00:00:00Z", "upvotes": 3}]"#;
        let (papers, _) = ok(bare);
        assert_eq!(papers[0].id, "arxiv:2402.00001");
        assert_eq!(papers[0].published, ts("2024-02-01T00:00:00Z"));
        // A bare paper's own publishedAt is not an observation time.
        assert_eq!(papers[0].counts_observed_at, None);
        assert_eq!(papers[0].listed, None, "a search result is not a listing");
        for key in ["data", "papers", "items"] {
            let wrapped = format!(r#"{{"status": "ok", "{key}": {bare}}}"#);
            let (papers, _) = ok(&wrapped);
            assert_eq!(papers.len(), 1, "{key}");
            assert_eq!(papers[0].title, "Bare Paper");
        }
        let (papers, skips) = ok(r#"{"count": 0, "data": []}"#);
        assert!(papers.is_empty() && skips.is_empty());
    }

    #[test]
    fn ids_fall_back_to_title_then_hf_id() {
        let (papers, skips) = ok(r#"[{"paper": {"id": "not-arxiv", "title": "T"}},
                                  {"paper": {"id": "not-arxiv-2"}},
                                  {"title": "Title Only"}]"#);
        // See: #19 — an id without a title is skipped, not kept untitled.
        assert_eq!(
            skips,
            [(
                2,
                "entry \"not-arxiv-2\" has no title (`title` is missing or null)".to_string()
            )]
        );
        assert_eq!(papers[0].id, crate::paper::title_id("T"));
        assert_eq!(
            papers[0].url.as_deref(),
            Some("https://huggingface.co/papers/not-arxiv")
        );
        assert_eq!(papers[0].pdf_url, None);
        assert_eq!(papers[1].id, crate::paper::title_id("Title Only"));
        assert_eq!(papers[1].url, None);
    }

    #[test]
    fn withdrawn_and_anonymous_entries_are_skipped_with_entry_numbers() {
        let (papers, skips) = ok(r#"[
            {"paper": {"id": "2401.00001", "title": "Kept", "withdrawnAt": null}},
            {"paper": {"id": "2401.00002", "title": "Gone", "withdrawnAt": "2026-01-01T00:00:00Z"}},
            {"paper": {"authors": [{"name": "Nobody"}]}, "numComments": 1},
            "stray string",
            {"paper": {"id": "2401.00005", "title": "Also kept"}}
        ]"#);
        assert_eq!(
            papers.iter().map(|p| p.title.as_str()).collect::<Vec<_>>(),
            ["Kept", "Also kept"]
        );
        assert_eq!(
            skips,
            [
                (2, "withdrawn".to_string()),
                (3, "entry has neither a paper id nor a title".to_string()),
                (4, "entry is a string, not an object".to_string()),
            ]
        );
    }

    // See: #19
    #[test]
    fn r19_untitled_entries_and_bad_counts_or_dates_are_reported() {
        let (papers, skips) = ok(r#"[
            {"paper": {"id": "2401.00001", "title": null}},
            {"paper": {"id": "2401.00002", "title": "  "}},
            {"paper": {"id": "2401.00003", "title": "A", "upvotes": {"n": 3}}},
            {"paper": {"id": "2401.00004", "title": "B", "githubStars": true}},
            {"paper": {"id": "2401.00005", "title": "C"}, "numComments": [1]},
            {"paper": {"id": "2401.00006", "title": "D", "publishedAt": "last Tuesday"}},
            {"paper": {"id": "2401.00007", "title": "E", "submittedOnDailyAt": 5}},
            {"paper": {"id": "2401.00008", "title": "Kept", "upvotes": null,
                       "publishedAt": "2024-01-02"}}
        ]"#);
        assert_eq!(
            papers.iter().map(|p| p.title.as_str()).collect::<Vec<_>>(),
            ["Kept"]
        );
        assert_eq!(
            skips,
            [
                (
                    1,
                    "entry \"2401.00001\" has no title (`title` is missing or null)".to_string()
                ),
                (
                    2,
                    "entry \"2401.00002\" has no title (`title` is a string)".to_string()
                ),
                (3, "`upvotes` is an object, not a count".to_string()),
                (4, "`githubStars` is a boolean, not a count".to_string()),
                (5, "`numComments` is an array, not a count".to_string()),
                (
                    6,
                    "`publishedAt` is \"last Tuesday\", not a date".to_string()
                ),
                (
                    7,
                    "`submittedOnDailyAt` is a number, not a date".to_string()
                ),
            ]
        );
    }

    #[test]
    fn python_repr_files_are_parse_errors() {
        let e = parse_error(include_bytes!(
            "../../fixtures/hf-json/malformed/2024-12-11.python-repr-strings.json"
        ));
        assert!(e.reason.contains("strings (Python repr"), "{}", e.reason);
        assert_eq!(e.format, Format::HfJson);
        let e = parse_error(include_bytes!(
            "../../fixtures/hf-json/malformed/2025-01-10.wrapped-object.json"
        ));
        assert!(
            e.reason.contains("under \"data\" are strings (Python repr"),
            "{}",
            e.reason
        );
    }

    #[test]
    fn empty_array_is_zero_papers() {
        let (papers, skips) = ok("[]");
        assert!(papers.is_empty() && skips.is_empty());
        let (papers, _) = ok("\u{feff}  [ ]\n");
        assert!(papers.is_empty());
    }

    #[test]
    fn broken_documents_are_parse_errors_with_positions() {
        let e = parse_error(b"");
        assert!(e.reason.contains("empty"), "{}", e.reason);
        let e = parse_error(b"[\n  {\"paper\": {\"id\": \"2401.00001\",\n");
        assert!(e.reason.starts_with("truncated JSON"), "{}", e.reason);
        assert_eq!(e.line, Some(3));
        let e = parse_error(b"Get trending papers in your email inbox!\nA title\n");
        assert!(e.reason.starts_with("not valid JSON"), "{}", e.reason);
        assert_eq!(e.line, Some(1));
        let e = parse_error(b"[1, 2, 3]");
        assert!(e.reason.contains("entries are a number"), "{}", e.reason);
        let e = parse_error(b"[{\"foo\": 1}]");
        assert!(e.reason.contains("not a Hugging Face"), "{}", e.reason);
        let e = parse_error(b"{\"status\": \"error\"}");
        assert!(e.reason.contains("status"), "{}", e.reason);
        let e = parse_error(b"\"just a string\"");
        assert!(e.reason.contains("found a string"), "{}", e.reason);
    }

    #[test]
    fn deep_nesting_is_refused_without_overflowing_the_stack() {
        let deep = "[".repeat(100_000);
        let e = parse_error(deep.as_bytes());
        assert!(e.reason.contains("recursion limit"), "{}", e.reason);
        let deep = format!("[{{\"paper\": {}1{}}}]", "[".repeat(200), "]".repeat(200));
        let e = parse_error(deep.as_bytes());
        assert!(e.reason.contains("recursion limit"), "{}", e.reason);
    }

    #[test]
    fn timestamps_accept_rfc3339_and_bare_dates() {
        assert_eq!(
            timestamp(&Value::from("2026-03-26T17:56:01.000Z")),
            ts("2026-03-26T17:56:01Z")
        );
        assert_eq!(
            timestamp(&Value::from("2024-06-03")),
            ts("2024-06-03T00:00:00Z")
        );
        assert_eq!(timestamp(&Value::from("yesterday")), None);
        assert_eq!(timestamp(&Value::from(17)), None);
    }
}

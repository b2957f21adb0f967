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
//! The layouts and their quirks are read together in this file; its tests,
//! on real API responses, are in `hf_json/tests.rs`.

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
/// [`ParseStop::Stopped`] when `emit` failed. Unusable entries are reported as
/// [`Event::Skip`] with their 1-based entry number.
pub fn parse(
    input: &mut dyn BufRead,
    origin: &Origin,
    emit: &mut Emit<'_>,
) -> Result<(), ParseStop> {
    let bytes = read_all(input, origin, FORMAT)?;
    let (entries, repaired) = match entries(&bytes, origin) {
        Ok(entries) => (entries, false),
        // One bad byte costs one record: a document that is not valid
        // only because a string holds bytes that are not UTF-8 or a raw
        // control character (a NUL) is read with each such run marked, and
        // the entries that hold a mark are skipped.
        Err(first) => match repair(&bytes) {
            Some(fixed) => (entries(&fixed, origin).map_err(|_| first)?, true),
            None => return Err(first.into()),
        },
    };
    for (i, entry) in entries.iter().enumerate() {
        let line = i as u64 + 1;
        if repaired && holds_mark(entry) {
            emit(Event::Skip {
                line,
                reason: "entry holds bytes that are not UTF-8 text or a raw control character \
                         (a NUL?) inside a string"
                    .into(),
            })?;
            continue;
        }
        match convert(entry) {
            Ok(paper) => emit(Event::Paper(Box::new(paper)))?,
            Err(reason) => emit(Event::Skip { line, reason })?,
        }
    }
    Ok(())
}

/// Stands for a damaged run of bytes in [`repair`]: a Unicode
/// noncharacter, never in text that is exchanged.
const MARK: char = '\u{fdd0}';

/// The document with every run of bytes that is not UTF-8 and every raw
/// control character inside a JSON string replaced by [`MARK`]; `None`
/// when there is nothing of the kind (the document is broken otherwise).
fn repair(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = String::with_capacity(bytes.len());
    let (mut in_string, mut escaped, mut changed) = (false, false, false);
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if in_string {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_string = false;
                } else if c < ' ' {
                    out.push(MARK);
                    changed = true;
                    continue;
                }
            } else if c == '"' {
                in_string = true;
            }
            out.push(c);
        }
        if !chunk.invalid().is_empty() {
            out.push(MARK);
            changed = true;
            escaped = false;
        }
    }
    changed.then(|| out.into_bytes())
}

/// Whether a string anywhere in `v` (keys included) holds a [`MARK`].
fn holds_mark(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains(MARK),
        Value::Array(a) => a.iter().any(holds_mark),
        Value::Object(o) => o.iter().any(|(k, v)| k.contains(MARK) || holds_mark(v)),
        _ => false,
    }
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
        let shown = match field(&both, "title") {
            Some(Value::String(_)) => "empty",
            Some(other) => kind(other),
            None => "missing or null",
        };
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
        project_url: text(&only_paper, "projectPage").and_then(crate::sanitize::safe_url),
        thumbnail: text(&[item], "thumbnail").and_then(crate::sanitize::safe_url),
        summary: text(&only_paper, "ai_summary")
            .map(|s| collapse_ws(&clean_latex(s)))
            .filter(|s| !s.is_empty()),
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
mod tests;

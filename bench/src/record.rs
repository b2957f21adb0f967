//! `bench record CORPUS`: what writing a new paper's stored record costs,
//! two ways, over the first 200 000 records of `CORPUS`.
//!
//! Every record is serialised once with `first_seen` unset and hashed: that
//! JSON is the input fingerprint (`index::writer`). A new paper's stored
//! record is the same paper with `first_seen` set: serialised a second time
//! ("serialise twice", what papertrend does), or made from the first JSON
//! by writing the timestamp in place of its `null` ("patch the JSON", the
//! alternative, which depends on the order serde writes fields in). Both
//! are timed per record, fingerprint included, in interleaved passes, the
//! fastest of five kept; BENCHMARKS.md has the figures.

use std::io::{BufRead, BufReader};
use std::time::Instant;

use papertrend::ingest::{self, Event, Origin};
use papertrend::paper::{Paper, stable_hash};

use crate::engines::BoxError;

/// How many records of the corpus are timed.
const RECORDS: usize = 200_000;

/// The time new papers are first seen at.
const NOW: &str = "2024-01-01T00:00:00Z";

/// A parsed paper as the writer gets it: `first_seen` unset, and when
/// observing its counts changed it, the observed paper (its record is then
/// serialised whatever the way).
struct Input {
    paper: Paper,
    observed: Option<Paper>,
}

pub fn cmd_record(args: &[String]) -> Result<(), BoxError> {
    let [corpus] = args else {
        return Err("usage: bench record CORPUS".into());
    };
    let now: jiff::Timestamp = NOW.parse()?;
    let mut inputs = read_inputs(corpus, now)?;
    if inputs.is_empty() {
        return Err(format!("{corpus}: no records").into());
    }
    let stamped = inputs.iter().filter(|i| i.observed.is_some()).count();
    let (mut json, mut record) = (Vec::new(), Vec::new());
    // Both ways must write the same bytes, or the comparison is void.
    for input in &mut inputs {
        let a = patched(input, now, &mut json, &mut record)?;
        let expected = record.clone();
        let b = twice(input, now, &mut json, &mut record)?;
        if a != b || expected != record {
            return Err(format!("the two ways differ for {}", input.paper.id).into());
        }
    }
    let ways: [(&str, Way); 3] = [
        ("fingerprint only", fingerprint_only),
        ("patch the JSON", patched),
        ("serialise twice", twice),
    ];
    let mut best = [f64::INFINITY; 3];
    for _ in 0..5 {
        for (i, (_, way)) in ways.iter().enumerate() {
            let t = Instant::now();
            let mut sum = 0u64;
            for input in &mut inputs {
                sum = sum.wrapping_add(way(input, now, &mut json, &mut record)?);
                sum = sum.wrapping_add(record.len() as u64);
            }
            std::hint::black_box(sum);
            best[i] = best[i].min(t.elapsed().as_secs_f64() * 1e6 / inputs.len() as f64);
        }
    }
    println!(
        "{} records ({stamped} with counts, serialised either way), fastest of 5 interleaved passes:",
        inputs.len()
    );
    for ((name, _), us) in ways.iter().zip(&best) {
        println!("{name:18} {us:6.3} µs/record");
    }
    let saved = best[2] - best[1];
    println!(
        "the patch saves {saved:.3} µs/record, {:.2} % of the ~88 µs/record a 1 M ingest costs",
        saved / 88.0 * 100.0
    );
    Ok(())
}

/// One way to fingerprint a paper and write its record into the second
/// buffer. Returns the fingerprint.
type Way = fn(&mut Input, jiff::Timestamp, &mut Vec<u8>, &mut Vec<u8>) -> Result<u64, BoxError>;

/// The fingerprint alone (what both ways share), the record left empty.
fn fingerprint_only(
    input: &mut Input,
    _now: jiff::Timestamp,
    json: &mut Vec<u8>,
    record: &mut Vec<u8>,
) -> Result<u64, BoxError> {
    record.clear();
    fingerprint(&input.paper, json)
}

/// The fingerprint, and the record as the first JSON with `first_seen`
/// patched in.
fn patched(
    input: &mut Input,
    now: jiff::Timestamp,
    json: &mut Vec<u8>,
    record: &mut Vec<u8>,
) -> Result<u64, BoxError> {
    let fp = fingerprint(&input.paper, json)?;
    match &mut input.observed {
        None if with_first_seen(json, now, record) => {}
        None => serialise(&mut input.paper, now, record)?,
        Some(observed) => serialise(observed, now, record)?,
    }
    Ok(fp)
}

/// The fingerprint, and the record serialised a second time.
fn twice(
    input: &mut Input,
    now: jiff::Timestamp,
    json: &mut Vec<u8>,
    record: &mut Vec<u8>,
) -> Result<u64, BoxError> {
    let fp = fingerprint(&input.paper, json)?;
    let paper = input.observed.as_mut().unwrap_or(&mut input.paper);
    serialise(paper, now, record)?;
    Ok(fp)
}

/// The paper serialised with `first_seen` unset into `json`, and its hash.
fn fingerprint(paper: &Paper, json: &mut Vec<u8>) -> Result<u64, BoxError> {
    json.clear();
    serde_json::to_writer(&mut *json, paper)?;
    Ok(stable_hash(json))
}

/// The paper serialised with `first_seen = now` into `record`.
fn serialise(
    paper: &mut Paper,
    now: jiff::Timestamp,
    record: &mut Vec<u8>,
) -> Result<(), BoxError> {
    record.clear();
    paper.first_seen = Some(now);
    let written = serde_json::to_writer(&mut *record, &*paper);
    paper.first_seen = None;
    Ok(written?)
}

/// The key `first_seen` has in a [`Paper`]'s JSON while unset, with the
/// neighbours it always has.
const FIRST_SEEN_UNSET: &[u8] = b",\"first_seen\":null,";

/// `json` (a paper with `first_seen` unset) with `t` written in place of
/// the `null`: no title or abstract can spell the pattern, as every `"`
/// inside a JSON string is escaped.
fn with_first_seen(json: &[u8], t: jiff::Timestamp, out: &mut Vec<u8>) -> bool {
    let Some(at) = json
        .windows(FIRST_SEEN_UNSET.len())
        .rposition(|w| w == FIRST_SEEN_UNSET)
    else {
        return false;
    };
    let value = at + FIRST_SEEN_UNSET.len() - b"null,".len();
    out.clear();
    out.extend_from_slice(&json[..value]);
    if serde_json::to_writer(&mut *out, &t).is_err() {
        return false;
    }
    out.extend_from_slice(&json[value + b"null".len()..]);
    true
}

/// The first [`RECORDS`] records of `corpus`, parsed as papertrend parses
/// them, with their counts observed at `now`.
fn read_inputs(corpus: &str, now: jiff::Timestamp) -> Result<Vec<Input>, BoxError> {
    let mut input = BufReader::with_capacity(1 << 16, std::fs::File::open(corpus)?);
    let mut head = Vec::new();
    for _ in 0..RECORDS {
        if input.read_until(b'\n', &mut head)? == 0 {
            break;
        }
    }
    let format = ingest::detect(&head[..head.len().min(4096)], corpus)
        .ok_or_else(|| format!("{corpus}: not a format papertrend reads"))?;
    let origin = Origin {
        path: corpus.to_string(),
    };
    let mut inputs = Vec::with_capacity(RECORDS);
    ingest::parse(format, &mut head.as_slice(), &origin, &mut |event| {
        if let Event::Paper(paper) = event {
            let mut paper = *paper;
            paper.first_seen = None;
            let mut observed = paper.clone();
            let observed = observed.observe(now).then_some(observed);
            inputs.push(Input { paper, observed });
        }
        Ok(())
    })?;
    Ok(inputs)
}

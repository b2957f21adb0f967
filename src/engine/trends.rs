//! The trends driver: reads the papers of the window, the baseline before
//! it and older history from the index (as of `now`: only papers dated no
//! later than `now` and first seen by then), hands them with the index's
//! stemmer to the pure [`crate::trends`], and caches the rising topics
//! momentum uses per index commit.

use jiff::Timestamp;
use serde::Serialize;

use crate::config::Config;
use crate::error::Error;
use crate::index::Index;
use crate::rank::Topic;
use crate::trends::{self, Sample};

/// At most this many window papers are read (the newest); counts are
/// scaled to the whole window.
pub const TREND_SAMPLE: usize = 5_000;
/// At most this many baseline papers are read (the newest).
const BASELINE_SAMPLE: usize = 2_000;
/// At most this many older papers are read for the long-run profile.
const HISTORY_SAMPLE: usize = 1_000;

/// What `trends` found.
#[derive(Clone, Debug, Default, Serialize, serde::Deserialize)]
pub struct TrendReport {
    /// Start of the recent window (it ends at `now`).
    pub window_start: Option<Timestamp>,
    /// Start of the baseline window (it ends where the recent one starts).
    pub baseline_start: Option<Timestamp>,
    /// Papers dated in the window.
    pub window_docs: usize,
    /// Papers dated in the baseline window.
    pub baseline_docs: usize,
    /// Papers dated before the baseline window (the long-run background).
    pub history_docs: usize,
    /// How many window papers were read (the newest, at most
    /// [`TREND_SAMPLE`]).
    pub sampled: usize,
    /// Whether there is no earlier paper at all (nothing before the window),
    /// in which case `topics` are the most distinctive topics instead.
    pub no_baseline: bool,
    /// Whether the baseline holds fewer than four times the window's papers:
    /// scores are then shrunk towards the long-run rate and a topic needs
    /// twice the papers.
    pub thin_baseline: bool,
    /// Rising topics (or, without a baseline, distinctive ones), best first.
    pub topics: Vec<Topic>,
}

/// Finds rising topics as of `now`: the window is `[now − window, now]`,
/// the baseline `[now − window − baseline, now − window)`, both on the
/// visible date; a paper dated after `now`, or first seen after it, is in
/// neither.
///
/// Without any paper before the window it lists the most distinctive topics
/// of the window (or, when the window is empty too, of the newest papers).
///
/// # Errors
/// An index failure.
pub fn trends(
    index: &Index,
    config: &Config,
    now: Timestamp,
    window: crate::clock::Span,
    baseline: crate::clock::Span,
    limit: usize,
) -> Result<TrendReport, Error> {
    let threads = (cores(), PER_THREAD);
    trends_on(index, config, now, (window, baseline), limit, threads)
}

/// Fewer papers than this per thread are split on fewer threads (a thread
/// costs more than it saves on a few hundred).
const PER_THREAD: usize = 500;

/// How many threads read and analyse papers: the cores, at most 4.
pub(super) fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 4))
}

/// A stemmer as the index stems (its English analyzer), for one thread.
pub(super) fn index_stemmer() -> Box<dyn trends::Stemmer> {
    Box::new(crate::index::word_stemmer())
}

/// [`trends()`] with the papers read and split on `threads` threads,
/// at least `per_thread` papers each (the topics do not depend on it).
fn trends_on(
    index: &Index,
    config: &Config,
    now: Timestamp,
    (window, baseline): (crate::clock::Span, crate::clock::Span),
    limit: usize,
    (threads, per_thread): (usize, usize),
) -> Result<TrendReport, Error> {
    let searcher = index.searcher();
    let w_start = now.checked_sub(window.0).unwrap_or(Timestamp::MIN);
    let b_start = w_start.checked_sub(baseline.0).unwrap_or(Timestamp::MIN);
    let end = now
        .checked_add(jiff::SignedDuration::from_secs(1))
        .unwrap_or(Timestamp::MAX);
    let window_q = index.seen_between(w_start, end, now);
    let (texts, window_docs) = index.texts_of(&searcher, &window_q, TREND_SAMPLE, threads)?;
    let (base, baseline_docs) = index.texts_of(
        &searcher,
        &index.seen_between(b_start, w_start, now),
        BASELINE_SAMPLE,
        threads,
    )?;
    let (history, history_docs) = index.texts_of(
        &searcher,
        &index.seen_between(Timestamp::MIN, b_start, now),
        HISTORY_SAMPLE,
        threads,
    )?;
    let min_count = config.trends.min_count;
    let mut stem = crate::index::word_stemmer();
    let mut report = TrendReport {
        window_start: Some(w_start),
        baseline_start: Some(b_start),
        window_docs,
        baseline_docs,
        history_docs,
        sampled: texts.len(),
        no_baseline: baseline_docs == 0 && history_docs == 0,
        thin_baseline: false,
        topics: Vec::new(),
    };
    if report.no_baseline {
        let (texts, docs) = if texts.is_empty() {
            let everything = index.seen_between(Timestamp::MIN, Timestamp::MAX, now);
            index.texts_of(&searcher, &everything, TREND_SAMPLE, threads)?
        } else {
            (texts, window_docs)
        };
        report.topics = trends::distinctive(&texts, docs, min_count.clamp(1, 2), limit, &mut stem);
        return Ok(report);
    }
    let sample = Sample {
        window: &texts,
        window_docs,
        baseline: &base,
        baseline_docs,
        history: &history,
        history_docs,
    };
    let stemmers = trends::Stemmers {
        make: &index_stemmer,
        threads,
        min_per_thread: per_thread,
    };
    let found = trends::rising_on(sample, min_count, limit, &mut stem, Some(stemmers));
    report.thin_baseline = found.thin;
    report.topics = found.topics;
    Ok(report)
}

/// The rising topics momentum uses: those of `[trends]` at `now`, or none
/// when `momentum_weight` is 0 or there is no baseline.
pub fn momentum_topics(
    index: &Index,
    config: &Config,
    now: Timestamp,
) -> Result<Vec<Topic>, Error> {
    if config.rank.momentum_weight == 0.0 {
        return Ok(Vec::new());
    }
    let t = &config.trends;
    let report = cached_trends(index, config, now, t.window, t.baseline, t.limit)?;
    Ok(if report.no_baseline {
        Vec::new()
    } else {
        report.topics
    })
}

/// [`trends()`], cached next to the index.
///
/// A report only changes when the index or the hour changes, and computing
/// one reads thousands of papers; so reports are kept in a file inside the
/// index folder, keyed by the last commit's opstamp, the hour of `now` and
/// the settings (the newest four). `top`, `digest`, `explain` and `trends`
/// so pay for it once per commit: the first `top` after an ingest leaves
/// `trends` nothing to compute, and the other way round. A cache that
/// cannot be read or written only costs time.
///
/// # Errors
/// An index failure.
pub fn cached_trends(
    index: &Index,
    config: &Config,
    now: Timestamp,
    window: crate::clock::Span,
    baseline: crate::clock::Span,
    limit: usize,
) -> Result<TrendReport, Error> {
    let opstamp = index.opstamp();
    let key = format!(
        // The prefix names the method: a change to what `trends` finds
        // bumps it, so reports of the old method are not reused.
        "trends-3|{opstamp}|{}|{window}|{baseline}|{limit}|{}",
        now.as_second() / 3600,
        config.trends.min_count
    );
    let path = index.dir().join(TRENDS_CACHE);
    let mut entries: Vec<CacheEntry> = crate::state::read_file(&path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    if let Some(hit) = entries.iter().find(|e| e.key == key) {
        let mut report = hit.report.clone();
        // The windows end at `now` itself, not at the hour it is keyed by.
        let w_start = now.checked_sub(window.0).unwrap_or(Timestamp::MIN);
        report.window_start = Some(w_start);
        report.baseline_start = Some(w_start.checked_sub(baseline.0).unwrap_or(Timestamp::MIN));
        return Ok(report);
    }
    let report = trends(index, config, now, window, baseline, limit)?;
    entries.retain(|e| e.key.split('|').nth(1) == key.split('|').nth(1));
    entries.insert(
        0,
        CacheEntry {
            key,
            report: report.clone(),
        },
    );
    entries.truncate(TRENDS_CACHE_ENTRIES);
    if let Ok(json) = serde_json::to_vec(&entries) {
        let _ = crate::state::write_atomic(&path, &json);
    }
    Ok(report)
}

/// File (inside the index folder) caching trend reports.
pub const TRENDS_CACHE: &str = "papertrend-trends-cache.json";
/// How many reports (settings × hours) the cache keeps.
const TRENDS_CACHE_ENTRIES: usize = 4;

#[derive(serde::Serialize, serde::Deserialize)]
struct CacheEntry {
    key: String,
    report: TrendReport,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Format, collect};

    /// October and November 2025's real Hugging Face lists in a temporary
    /// index, each day first seen the evening it was listed.
    fn autumn() -> (tempfile::TempDir, Index) {
        let dir = tempfile::tempdir().unwrap();
        let index = Index::open(dir.path(), true).unwrap();
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/hf-json");
        let mut days: Vec<std::path::PathBuf> = ["2025-10", "2025-11"]
            .iter()
            .flat_map(|m| std::fs::read_dir(format!("{root}/{m}")).unwrap())
            .map(|e| e.unwrap().path())
            .collect();
        days.sort();
        for day in days {
            let stem = day.file_stem().unwrap().to_str().unwrap().to_string();
            let now = format!("{stem}T23:00:00Z").parse().unwrap();
            let mut session = index.session(64, 100_000, now).unwrap();
            let bytes = std::fs::read(&day).unwrap();
            let (papers, _) = collect(Format::HfJson, &bytes, &stem).unwrap();
            for mut p in papers {
                p.first_seen = Some(now);
                session.upsert(p).unwrap();
            }
            session.finish().unwrap();
        }
        (dir, index)
    }

    #[test]
    fn rising_topics_are_the_same_on_one_thread_and_on_several() {
        let (_dir, index) = autumn();
        let config = Config::default();
        let t = &config.trends;
        let mut compared = 0;
        for day in ["2025-11-14", "2025-11-21", "2025-11-30"] {
            let now: Timestamp = format!("{day}T08:00:00Z").parse().unwrap();
            let spans = (t.window, t.baseline);
            let one = trends_on(&index, &config, now, spans, 10, (1, 1)).unwrap();
            assert!(!one.topics.is_empty(), "{day}: no topics");
            // Enough papers read for three threads (the fixture days are a
            // few hundred papers: 50 each at least here).
            let read = one.sampled
                + one.baseline_docs.min(BASELINE_SAMPLE)
                + one.history_docs.min(HISTORY_SAMPLE);
            assert!(read >= 3 * 50, "{day}: {read} papers read");
            for threads in [2, 3] {
                let many = trends_on(&index, &config, now, spans, 10, (threads, 50)).unwrap();
                assert_eq!(many.topics, one.topics, "{day}, {threads} threads");
                compared += 1;
            }
        }
        assert_eq!(compared, 6);
    }
}

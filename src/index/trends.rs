//! The trends driver: reads the window's and the baseline's papers from
//! the index and hands them to the pure [`crate::trends`]; caches the rising
//! topics momentum uses per index commit.

use jiff::Timestamp;
use serde::Serialize;
use tantivy::Searcher;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur};

use super::rank::{BoxQuery, engine};
use super::{Index, IndexError, schema};
use crate::config::Config;
use crate::error::Error;
use crate::rank::Topic;
use crate::trends::{self, Candidate};

/// At most this many window papers are read to find trend candidates (the
/// newest ones); counts are then exact per candidate through the index.
pub const TREND_SAMPLE: usize = 5_000;
/// At most this many candidates get their baseline counted.
const TREND_CANDIDATES: usize = 300;

impl Index {
    /// The documents in `[from, to)` (newest first, at most `cap`) and how
    /// many there are in all.
    fn texts_between(
        &self,
        searcher: &Searcher,
        from: Timestamp,
        to: Timestamp,
        cap: usize,
    ) -> Result<(Vec<String>, usize), IndexError> {
        let q = self.date_range(from, to);
        let total = self.count_in(searcher, &*q)?;
        if total == 0 {
            return Ok((Vec::new(), 0));
        }
        let addrs = searcher
            .search(
                &*q,
                &TopDocs::with_limit(cap.max(1))
                    .order_by_fast_field::<tantivy::DateTime>(schema::DATE, tantivy::Order::Desc),
            )
            .map_err(engine(self))?;
        let mut texts = Vec::with_capacity(addrs.len());
        for (_, a) in addrs {
            let p = self.load(searcher, a)?;
            texts.push(format!("{}.\n{}", p.title, p.abstract_text));
        }
        Ok((texts, total))
    }
}

/// What `trends` found.
#[derive(Clone, Debug, Default, Serialize)]
pub struct TrendReport {
    /// Start of the recent window.
    pub window_start: Option<Timestamp>,
    /// Start of the baseline window (it ends where the recent one starts).
    pub baseline_start: Option<Timestamp>,
    /// Papers dated in the window.
    pub window_docs: usize,
    /// Papers dated in the baseline window.
    pub baseline_docs: usize,
    /// How many window papers were read (the newest, at most
    /// [`TREND_SAMPLE`]).
    pub sampled: usize,
    /// Whether there is no baseline (no paper dated in the baseline window),
    /// in which case `topics` are the most distinctive phrases instead.
    pub no_baseline: bool,
    /// Rising topics (or, without a baseline, distinctive ones), best first.
    pub topics: Vec<Topic>,
}

/// Finds rising topics: the window is `[now − window, now]`, the baseline
/// `[now − window − baseline, now − window)`, both on the paper's date.
///
/// Without a baseline it lists the most distinctive phrases of the window
/// (or, when the window is empty too, of the newest papers).
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
    let searcher = index.searcher();
    let w_start = now.checked_sub(window.0).unwrap_or(Timestamp::MIN);
    let b_start = w_start.checked_sub(baseline.0).unwrap_or(Timestamp::MIN);
    let far = Timestamp::MAX;
    // The window reaches past `now` so that papers dated a little ahead of
    // the clock (time zones, listings dated tomorrow) still count.
    let (texts, window_docs) = index.texts_between(&searcher, w_start, far, TREND_SAMPLE)?;
    let baseline_q = index.date_range(b_start, w_start);
    let baseline_docs = index.count_in(&searcher, &*baseline_q)?;
    let min_count = config.trends.min_count;
    let mut report = TrendReport {
        window_start: Some(w_start),
        baseline_start: Some(b_start),
        window_docs,
        baseline_docs,
        sampled: texts.len(),
        no_baseline: baseline_docs == 0,
        topics: Vec::new(),
    };
    if baseline_docs == 0 {
        let (texts, docs) = if texts.is_empty() {
            index.texts_between(&searcher, Timestamp::MIN, far, TREND_SAMPLE)?
        } else {
            (texts, window_docs)
        };
        let cands = trends::candidates(&texts, min_count.clamp(1, 2), TREND_CANDIDATES * 4);
        report.topics = trends::distinctive(&cands, docs.min(texts.len()), limit);
        return Ok(report);
    }
    if texts.is_empty() {
        return Ok(report);
    }
    let sample_min = if texts.len() < window_docs {
        // Scale the threshold to the sample.
        (min_count * texts.len())
            .div_ceil(window_docs.max(1))
            .max(1)
    } else {
        min_count
    };
    let cands: Vec<Candidate> = trends::candidates(&texts, sample_min, TREND_CANDIDATES);
    let mut baseline_counts = Vec::with_capacity(cands.len());
    for c in &cands {
        let n = match index.in_text_terms(&c.terms()) {
            Some(q) => {
                let both: BoxQuery = Box::new(BooleanQuery::new(vec![
                    (Occur::Must, baseline_q.box_clone()),
                    (Occur::Must, q),
                ]));
                index.count_in(&searcher, &*both)?
            }
            None => 0,
        };
        baseline_counts.push(n);
    }
    report.topics = trends::rising(&cands, &baseline_counts, texts.len(), baseline_docs, limit);
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
    // Rising topics only change when the index or the hour changes, and
    // computing them reads the window's papers; cache them next to the index
    // (keyed by the last commit's opstamp, the hour and the settings) so
    // `top`, `digest` and `explain` pay for it once per commit.
    let opstamp = index
        .inner
        .load_metas()
        .map(|m| m.opstamp)
        .unwrap_or_default();
    let key = format!(
        "{opstamp}|{}|{}|{}|{}|{}",
        now.as_second() / 3600,
        t.window,
        t.baseline,
        t.limit,
        t.min_count
    );
    let cache = index.dir().join(MOMENTUM_CACHE);
    if let Ok(text) = std::fs::read_to_string(&cache)
        && let Ok(cached) = serde_json::from_str::<MomentumCache>(&text)
        && cached.key == key
    {
        return Ok(cached.topics);
    }
    let report = trends(index, config, now, t.window, t.baseline, t.limit)?;
    let topics = if report.no_baseline {
        Vec::new()
    } else {
        report.topics
    };
    let entry = MomentumCache { key, topics };
    if let Ok(json) = serde_json::to_vec(&entry) {
        // A cache that cannot be written (read-only data dir) only costs time.
        let _ = crate::state::write_atomic(&cache, &json);
    }
    Ok(entry.topics)
}

/// File (inside the index folder) caching the rising topics momentum uses.
const MOMENTUM_CACHE: &str = "papertrend-momentum-cache.json";

#[derive(serde::Serialize, serde::Deserialize)]
struct MomentumCache {
    key: String,
    topics: Vec<Topic>,
}

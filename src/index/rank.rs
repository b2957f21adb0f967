//! The ranking and trends queries: compiles a
//! [`crate::rank::Plan`] into one tantivy query and scores every matching
//! paper from fast fields, loading stored records only for the results.
//!
//! How a plan runs: a `BooleanQuery` whose `Must` clause is the window (a
//! date range, scored 0), whose `Should` clauses are the plan's clauses as
//! `ConstScoreQuery`s carrying their weights (negative weights work: the
//! boolean scorer sums whatever its children return), and whose `MustNot`
//! clauses are the excludes. The collector turns the clause sum into the
//! total with `(clause_sum + popularity) × freshness`, reading upvotes,
//! comments, stars, code and the date from fast fields. Only the top results
//! are loaded; for them each clause is checked again (a scorer seek per
//! clause) to build the parts, and the total is recomputed from the parts so
//! that `--explain` adds up exactly.
//!
//! Invariants: no code path here can panic on user data. "More like this"
//! lives in [`super::similar`].

use std::collections::HashMap;
use std::ops::Bound;

use jiff::Timestamp;
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::columnar::ColumnValues;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EnableScoring, Occur, PhraseQuery, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, Searcher, SegmentReader, Term};

use super::{Index, IndexError, SearchQuery, schema, to_datetime};
use crate::config::Config;
use crate::error::Error;
use crate::paper::Paper;
use crate::rank::{self, Clause, Counts, Plan, RankOutcome, Ranked, Score, Target, Topic, Window};
use crate::trends::{self, Candidate};

/// At most this many window papers are read to find trend candidates (the
/// newest ones); counts are then exact per candidate through the index.
pub const TREND_SAMPLE: usize = 5_000;
/// At most this many candidates get their baseline counted.
const TREND_CANDIDATES: usize = 300;

type BoxQuery = Box<dyn Query>;

fn engine(index: &Index) -> impl Fn(tantivy::TantivyError) -> IndexError + '_ {
    move |e| index.engine_err(&e)
}

impl Index {
    /// A query for `text` in `field`, analysed like the field: one term, a
    /// phrase of several, or nothing when no word survives analysis.
    fn phrase(&self, field: Field, text: &str) -> Option<BoxQuery> {
        let words = if field == self.fields.authors {
            let mut names = schema::names();
            let mut stream = names.token_stream(text);
            let mut out = Vec::new();
            while tantivy::tokenizer::TokenStream::advance(&mut stream) {
                out.push(tantivy::tokenizer::TokenStream::token(&stream).text.clone());
            }
            out
        } else {
            super::analyze(text)
        };
        Self::phrase_of(field, &words)
    }

    /// A query for already analysed `words` in `field`: one term or a
    /// phrase (`None` when there are none).
    fn phrase_of(field: Field, words: &[String]) -> Option<BoxQuery> {
        let terms: Vec<Term> = words
            .iter()
            .map(|w| Term::from_field_text(field, w))
            .collect();
        match terms.len() {
            0 => None,
            1 => Some(Box::new(TermQuery::new(
                terms[0].clone(),
                IndexRecordOption::Basic,
            ))),
            _ => Some(Box::new(PhraseQuery::new(terms))),
        }
    }

    /// `text` in the title or the abstract.
    fn in_text(&self, text: &str) -> Option<BoxQuery> {
        self.in_text_terms(&super::analyze(text))
    }

    /// Already analysed `words` (stems, as trends keys them) in the title
    /// or the abstract. Stems must not be analysed again: the stemmer is
    /// not idempotent (`embedding` → `embed` → `emb`).
    fn in_text_terms(&self, words: &[String]) -> Option<BoxQuery> {
        let f = self.fields;
        let parts: Vec<(Occur, BoxQuery)> = [f.title, f.abstract_text]
            .into_iter()
            .filter_map(|field| Self::phrase_of(field, words).map(|q| (Occur::Should, q)))
            .collect();
        (!parts.is_empty()).then(|| Box::new(BooleanQuery::new(parts)) as BoxQuery)
    }

    /// The query that matches what one plan clause looks for.
    fn clause_query(&self, c: &Clause) -> Option<BoxQuery> {
        let f = self.fields;
        match c.target {
            Target::Title => self.phrase(f.title, &c.label),
            Target::Abstract => self.phrase(f.abstract_text, &c.label),
            Target::Text => self.in_text(&c.label),
            Target::Category => Some(Box::new(TermQuery::new(
                Term::from_field_text(f.categories, &c.label.to_ascii_lowercase()),
                IndexRecordOption::Basic,
            ))),
            Target::Author => self.phrase(f.authors, &c.label),
        }
    }

    /// Papers in `window` (scored 0).
    fn window_query(&self, window: Window) -> BoxQuery {
        let range = |field: Field, t: Timestamp| -> BoxQuery {
            Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_date(field, to_datetime(t))),
                Bound::Unbounded,
            ))
        };
        let q = match window {
            Window::Date(t) => range(self.fields.date, t),
            Window::FirstSeen(t) => range(self.fields.first_seen, t),
            Window::FirstSeenBetween(since, until) => {
                let f = self.fields.first_seen;
                let bound = |t: Option<Timestamp>| {
                    t.map_or(Bound::Unbounded, |t| {
                        Bound::Included(Term::from_field_date(f, to_datetime(t)))
                    })
                };
                Box::new(RangeQuery::new(bound(since), bound(until)))
            }
            Window::All => Box::new(AllQuery),
        };
        Box::new(ConstScoreQuery::new(q, 0.0))
    }

    /// Papers dated in `[from, to)`.
    fn date_range(&self, from: Timestamp, to: Timestamp) -> BoxQuery {
        let f = self.fields.date;
        Box::new(RangeQuery::new(
            Bound::Included(Term::from_field_date(f, to_datetime(from))),
            Bound::Excluded(Term::from_field_date(f, to_datetime(to))),
        ))
    }

    /// Any exclude phrase in the title or abstract.
    fn exclude_query(&self, plan: &Plan) -> Option<BoxQuery> {
        let parts: Vec<(Occur, BoxQuery)> = plan
            .excludes
            .iter()
            .filter_map(|e| self.in_text(e).map(|q| (Occur::Should, q)))
            .collect();
        (!parts.is_empty()).then(|| Box::new(BooleanQuery::new(parts)) as BoxQuery)
    }

    fn count_in(&self, searcher: &Searcher, q: &dyn Query) -> Result<usize, IndexError> {
        searcher.search(q, &Count).map_err(engine(self))
    }

    /// The top `k` documents matching all of `musts`, scored by the plan.
    #[allow(clippy::too_many_arguments)]
    fn top_by_plan(
        &self,
        searcher: &Searcher,
        plan: &Plan,
        clause_queries: &[Option<BoxQuery>],
        musts: &[BoxQuery],
        config: &Config,
        now: Timestamp,
        k: usize,
    ) -> Result<Vec<(f32, DocAddress)>, IndexError> {
        let mut clauses: Vec<(Occur, BoxQuery)> = musts
            .iter()
            .map(|q| {
                (
                    Occur::Must,
                    Box::new(ConstScoreQuery::new(q.box_clone(), 0.0)) as BoxQuery,
                )
            })
            .collect();
        for (c, q) in plan.clauses.iter().zip(clause_queries) {
            if let Some(q) = q {
                clauses.push((
                    Occur::Should,
                    Box::new(ConstScoreQuery::new(q.box_clone(), c.weight)),
                ));
            }
        }
        if let Some(x) = self.exclude_query(plan) {
            clauses.push((Occur::MustNot, x));
        }
        let query = BooleanQuery::new(clauses);
        let cfg = config.rank.clone();
        let now_secs = now.as_second();
        let half_life = cfg.half_life.days();
        let collector = TopDocs::with_limit(k.max(1)).tweak_score(move |seg: &SegmentReader| {
            let ff = seg.fast_fields();
            let u64_col = |name: &str| ff.u64(name).ok().map(|c| c.first_or_default_col(0));
            let upvotes = u64_col(schema::UPVOTES);
            let comments = u64_col(schema::COMMENTS);
            let stars = u64_col(schema::STARS);
            let code = u64_col(schema::HAS_CODE);
            let date = ff
                .date(schema::DATE)
                .ok()
                .map(|c| c.first_or_default_col(tantivy::DateTime::MIN));
            let cfg = cfg.clone();
            move |doc: DocId, clause_sum: f32| {
                let get = |c: &Option<std::sync::Arc<dyn ColumnValues<u64>>>| {
                    c.as_ref().map_or(0, |c| c.get_val(doc))
                };
                let counts = Counts {
                    upvotes: get(&upvotes),
                    comments: get(&comments),
                    stars: get(&stars),
                    has_code: get(&code) > 0,
                };
                let fresh = date.as_ref().map_or(0.0, |d| {
                    let secs = d.get_val(doc).into_timestamp_secs();
                    rank::freshness((now_secs - secs) as f64 / 86_400.0, half_life)
                });
                rank::total(clause_sum, rank::popularity(counts, &cfg), fresh)
            }
        });
        searcher.search(&query, &collector).map_err(engine(self))
    }

    /// For each address, which clauses match it (`[doc][clause]`).
    fn matched_clauses(
        &self,
        searcher: &Searcher,
        clause_queries: &[Option<BoxQuery>],
        addrs: &[DocAddress],
    ) -> Result<Vec<Vec<bool>>, IndexError> {
        let mut out = vec![vec![false; clause_queries.len()]; addrs.len()];
        let mut by_segment: HashMap<u32, Vec<(DocId, usize)>> = HashMap::new();
        for (i, a) in addrs.iter().enumerate() {
            by_segment
                .entry(a.segment_ord)
                .or_default()
                .push((a.doc_id, i));
        }
        for docs in by_segment.values_mut() {
            docs.sort_unstable();
        }
        for (ci, q) in clause_queries.iter().enumerate() {
            let Some(q) = q else { continue };
            let weight = q
                .weight(EnableScoring::disabled_from_searcher(searcher))
                .map_err(engine(self))?;
            for (seg_ord, docs) in &by_segment {
                let seg = searcher.segment_reader(*seg_ord);
                let mut scorer = weight.scorer(seg, 1.0).map_err(engine(self))?;
                for &(doc, i) in docs {
                    let at = if scorer.doc() < doc {
                        scorer.seek(doc)
                    } else {
                        scorer.doc()
                    };
                    out[i][ci] = at == doc;
                }
            }
        }
        Ok(out)
    }

    /// Loads, scores and explains the given candidates.
    fn explain_hits(
        &self,
        searcher: &Searcher,
        plan: &Plan,
        clause_queries: &[Option<BoxQuery>],
        hits: Vec<(DocAddress, Paper)>,
        config: &Config,
        now: Timestamp,
    ) -> Result<Vec<Ranked>, IndexError> {
        let addrs: Vec<DocAddress> = hits.iter().map(|(a, _)| *a).collect();
        let matched = self.matched_clauses(searcher, clause_queries, &addrs)?;
        let mut ranked: Vec<Ranked> = hits
            .into_iter()
            .zip(matched)
            .map(|((_, paper), m)| ranked_paper(paper, plan, &m, config, now))
            .collect();
        // The parts' sum is the displayed total; it can differ from the
        // collector's f32 sum in the last bits, so order by it again.
        ranked.sort_by(|a, b| b.score.total.total_cmp(&a.score.total));
        Ok(ranked)
    }

    /// Ranks the papers matching `musts`, applying `extra_filter` to the
    /// loaded records and fetching more candidates until `limit` pass.
    #[allow(clippy::too_many_arguments)]
    fn rank_matching(
        &self,
        searcher: &Searcher,
        plan: &Plan,
        musts: &[BoxQuery],
        config: &Config,
        now: Timestamp,
        limit: usize,
        available: usize,
        extra_filter: Option<&dyn Fn(&Paper) -> bool>,
    ) -> Result<Vec<Ranked>, IndexError> {
        let clause_queries: Vec<Option<BoxQuery>> =
            plan.clauses.iter().map(|c| self.clause_query(c)).collect();
        let mut k = if extra_filter.is_some() {
            limit.saturating_mul(2).saturating_add(10)
        } else {
            limit
        };
        // A few more than needed, so that papers tied on score at the cut are
        // ordered by id rather than by where they happen to sit in segments
        // (which differs between runs): the same index ranks the same way.
        const TIE_MARGIN: usize = 16;
        loop {
            let fetch = k.saturating_add(TIE_MARGIN);
            let top =
                self.top_by_plan(searcher, plan, &clause_queries, musts, config, now, fetch)?;
            let exhausted = top.len() < fetch || k >= available;
            let mut loaded = Vec::with_capacity(top.len());
            for (score, addr) in &top {
                loaded.push((*score, *addr, self.load(searcher, *addr)?));
            }
            loaded.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.2.id.cmp(&b.2.id)));
            let mut kept = Vec::new();
            for (_, addr, paper) in loaded {
                if extra_filter.is_none_or(|f| f(&paper)) {
                    kept.push((addr, paper));
                }
                if kept.len() == limit {
                    break;
                }
            }
            if kept.len() >= limit || exhausted {
                return self.explain_hits(searcher, plan, &clause_queries, kept, config, now);
            }
            k = k.saturating_mul(4);
        }
    }

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

/// Scores one loaded paper against the plan, given its matched clauses.
fn ranked_paper(
    paper: Paper,
    plan: &Plan,
    matched: &[bool],
    config: &Config,
    now: Timestamp,
) -> Ranked {
    let counts = Counts::of(&paper);
    let fresh = paper.effective_date().map_or(0.0, |d| {
        rank::freshness(rank::age_days(d, now), config.rank.half_life.days())
    });
    let score = rank::score(plan, matched, counts, fresh, &config.rank);
    Ranked {
        why: rank::why_line(&score, counts),
        matched_terms: rank::matched_terms(&score),
        score,
        paper,
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
fn momentum_topics(index: &Index, config: &Config, now: Timestamp) -> Result<Vec<Topic>, Error> {
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

/// Ranks the papers in `window` for the configured interests: the engine
/// behind `top`, the digest and `explain`.
///
/// `extra_filter` runs on loaded records after scoring (the digest drops
/// papers already sent with it); more candidates are fetched until `limit`
/// pass or the window is exhausted.
///
/// # Errors
/// An index failure.
pub fn rank_papers(
    index: &Index,
    config: &Config,
    now: Timestamp,
    window: Window,
    limit: usize,
    extra_filter: Option<&dyn Fn(&Paper) -> bool>,
) -> Result<RankOutcome, Error> {
    let rising = momentum_topics(index, config, now)?;
    let plan = Plan::new(&config.interests, &config.rank, &rising);
    let searcher = index.searcher();
    let window_q = index.window_query(window);
    let considered = index.count_in(&searcher, &*window_q)?;
    let excluded = match index.exclude_query(&plan) {
        Some(x) => {
            let q = BooleanQuery::new(vec![(Occur::Must, window_q.box_clone()), (Occur::Must, x)]);
            index.count_in(&searcher, &q)?
        }
        None => 0,
    };
    let ranked = if limit == 0 {
        Vec::new()
    } else {
        index.rank_matching(
            &searcher,
            &plan,
            &[window_q],
            config,
            now,
            limit,
            considered,
            extra_filter,
        )?
    };
    Ok(RankOutcome {
        ranked,
        considered,
        excluded,
        rising,
    })
}

/// `search … --sort trend`: the trend scorer restricted to the query's
/// matches (and its filters). Excludes apply as in `top`.
///
/// # Errors
/// A query syntax error, or an index failure.
pub fn rank_search(
    index: &Index,
    config: &Config,
    now: Timestamp,
    q: &SearchQuery,
) -> Result<RankOutcome, Error> {
    let rising = momentum_topics(index, config, now)?;
    let plan = Plan::new(&config.interests, &config.rank, &rising);
    let searcher = index.searcher();
    let mut musts: Vec<BoxQuery> = index
        .filter_clauses(q)
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    if !q.text.trim().is_empty() {
        musts.push(index.parse_query(&q.text, q.title_boost)?);
    }
    if musts.is_empty() {
        musts.push(Box::new(AllQuery));
    }
    let all: Vec<(Occur, BoxQuery)> = musts.iter().map(|m| (Occur::Must, m.box_clone())).collect();
    let considered = index.count_in(&searcher, &BooleanQuery::new(all))?;
    let ranked = index.rank_matching(
        &searcher,
        &plan,
        &musts,
        config,
        now,
        q.limit.max(1),
        considered,
        None,
    )?;
    Ok(RankOutcome {
        ranked,
        considered,
        excluded: 0,
        rising,
    })
}

/// Why a paper is, or is not, in a ranking.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Verdict {
    /// It is in the ranking, at this 1-based position.
    Included {
        /// 1-based position.
        position: usize,
    },
    /// An exclude keyword removed it.
    Excluded {
        /// The `[interests] exclude` entry.
        keyword: String,
        /// Where it matched (`title` or `abstract`).
        field: String,
    },
    /// It scores below the last paper taken.
    BelowCutoff {
        /// Its score.
        score: f32,
        /// The score of the last paper taken.
        cutoff: f32,
        /// How many papers were taken.
        limit: usize,
    },
    /// An earlier digest already sent it.
    AlreadySent {
        /// The digest's day.
        date: jiff::civil::Date,
        /// When that digest was sent.
        sent_at: Timestamp,
    },
    /// It is dated (or first seen) before the window starts.
    OutsideWindow {
        /// The date the window uses for it.
        date: Option<Timestamp>,
        /// The window's start.
        window_start: Timestamp,
    },
}

/// `explain ID`: the paper's score and parts, and its verdict.
#[derive(Clone, Debug, Serialize)]
pub struct Explanation {
    /// The paper.
    pub paper: Paper,
    /// Its score for the configured interests (even when not included).
    pub score: Score,
    /// The one-line reason.
    pub why: String,
    /// Whether and why it is (not) in the ranking.
    pub verdict: Verdict,
}

/// Explains where paper `id` ranks in `window` with `limit` results, or why
/// it is not there.
///
/// `already_sent` is the hook for the digest ledger: `Some((digest day,
/// sent at))` when an earlier digest listed the paper. Checks run in this
/// order: excluded, outside the window, already sent, below the cut-off.
///
/// # Errors
/// [`Error::Usage`] when no paper has that id; an index failure.
pub fn explain_paper(
    index: &Index,
    config: &Config,
    now: Timestamp,
    id: &str,
    window: Window,
    limit: usize,
    already_sent: Option<(jiff::civil::Date, Timestamp)>,
) -> Result<Explanation, Error> {
    let Some(paper) = index.get(id)? else {
        return Err(Error::Usage(format!(
            "no paper with id {:?} in the index",
            crate::output::sanitize_line(id)
        )));
    };
    let searcher = index.searcher();
    let term = Term::from_field_text(index.fields.id, &paper.id);
    let Some(addr) = super::writer::find_term(index, &searcher, &term)? else {
        return Err(Error::Other(format!(
            "{}: record without index entry",
            paper.id
        )));
    };
    let rising = momentum_topics(index, config, now)?;
    let plan = Plan::new(&config.interests, &config.rank, &rising);
    let clause_queries: Vec<Option<BoxQuery>> =
        plan.clauses.iter().map(|c| index.clause_query(c)).collect();
    let matched = index.matched_clauses(&searcher, &clause_queries, &[addr])?;
    let m = matched.into_iter().next().unwrap_or_default();
    let ranked = ranked_paper(paper, &plan, &m, config, now);
    // Excluded: which keyword, where.
    let f = index.fields;
    let mut excluded = None;
    'outer: for kw in &plan.excludes {
        for (field, name) in [(f.title, "title"), (f.abstract_text, "abstract")] {
            if let Some(q) = index.phrase(field, kw) {
                let hit = index.matched_clauses(&searcher, &[Some(q)], &[addr])?;
                if hit
                    .first()
                    .and_then(|h| h.first())
                    .copied()
                    .unwrap_or(false)
                {
                    excluded = Some((kw.clone(), name.to_string()));
                    break 'outer;
                }
            }
        }
    }
    let outside = match window {
        Window::Date(t) => Some((ranked.paper.effective_date(), t)),
        Window::FirstSeen(t) | Window::FirstSeenBetween(Some(t), _) => {
            Some((ranked.paper.first_seen, t))
        }
        Window::FirstSeenBetween(None, _) | Window::All => None,
    }
    .filter(|(d, t)| d.is_none_or(|d| d < *t));
    let verdict = if let Some((keyword, field)) = excluded {
        Verdict::Excluded { keyword, field }
    } else if let Some((date, window_start)) = outside {
        Verdict::OutsideWindow { date, window_start }
    } else if let Some((date, sent_at)) = already_sent {
        Verdict::AlreadySent { date, sent_at }
    } else {
        let outcome = rank_papers(index, config, now, window, limit, None)?;
        match outcome
            .ranked
            .iter()
            .position(|r| r.paper.id == ranked.paper.id)
        {
            Some(i) => Verdict::Included { position: i + 1 },
            None => Verdict::BelowCutoff {
                score: ranked.score.total,
                cutoff: outcome.ranked.last().map_or(0.0, |r| r.score.total),
                limit,
            },
        }
    };
    Ok(Explanation {
        paper: ranked.paper,
        score: ranked.score,
        why: ranked.why,
        verdict,
    })
}

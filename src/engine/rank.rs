//! The ranking queries: compiles a
//! [`crate::rank::Plan`] into one tantivy query and scores every matching
//! paper from fast fields, loading stored records only for the results.
//! (Long because the collector and the explanation of its result must agree
//! term for term, so they stay side by side.)
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
//! lives in [`crate::index::similar`].

use std::collections::HashMap;
use std::ops::Bound;

use jiff::Timestamp;
use tantivy::collector::TopDocs;
use tantivy::columnar::ColumnValues;
use tantivy::query::doc_predicate_query::{DocPredicateQuery, FunctionPredicate};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, DisjunctionMaxQuery, EnableScoring, Occur,
    PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, Searcher, SegmentReader, Term};

use super::feedback::Feedback;
use super::trends::momentum_topics;
use crate::config::Config;
use crate::error::Error;
use crate::index::query::{BoxQuery, engine};
use crate::index::{Index, IndexError, SearchQuery, schema, to_datetime};
use crate::paper::Paper;
use crate::rank::{self, Clause, Counts, Plan, RankOutcome, Ranked, Target, Window};

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
            crate::index::analyze(text)
        };
        Self::phrase_of(field, &words)
    }

    /// A query for already analysed `words` in `field`: one term or a
    /// phrase (`None` when there are none).
    pub(super) fn phrase_of(field: Field, words: &[String]) -> Option<BoxQuery> {
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
    pub(super) fn in_text(&self, text: &str) -> Option<BoxQuery> {
        self.in_text_terms(&crate::index::analyze(text))
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
        if c.kind == rank::ClauseKind::Profile {
            // A profile stem is analysed already: never analyse it again.
            return self.in_text_terms(std::slice::from_ref(&c.label));
        }
        match c.target {
            Target::Title => self.phrase(f.title, &c.label),
            Target::Abstract => self.phrase(f.abstract_text, &c.label),
            Target::Text => self.in_text(&c.label),
            Target::Category => Some(Box::new(TermQuery::new(
                Term::from_field_text(f.categories, &c.label.to_ascii_lowercase()),
                IndexRecordOption::Basic,
            ))),
            Target::Author => self.phrase(f.authors, &c.label),
            // Scored on the loaded candidates (`by_meaning`), not searched.
            Target::Meaning => None,
        }
    }

    /// Papers in `window` (scored 0).
    fn window_query(&self, window: Window) -> BoxQuery {
        let f = self.fields;
        let between =
            |field: Field, since: Bound<Timestamp>, until: Bound<Timestamp>| -> BoxQuery {
                let term = |t: Timestamp| Term::from_field_date(field, to_datetime(t));
                let map = |b: Bound<Timestamp>| match b {
                    Bound::Included(t) => Bound::Included(term(t)),
                    Bound::Excluded(t) => Bound::Excluded(term(t)),
                    Bound::Unbounded => Bound::Unbounded,
                };
                Box::new(RangeQuery::new(map(since), map(until)))
            };
        let q: BoxQuery = match window {
            Window::Visible { since, until } => {
                between(f.date, Bound::Included(since), Bound::Included(until))
            }
            Window::Pool {
                new_after,
                horizon,
                fresh_from,
                until,
            } => {
                let fresh = between(f.date, Bound::Included(fresh_from), Bound::Unbounded);
                // New and news (`Window::news`): after a watermark, a new
                // paper (first seen after it) is news when visible since
                // `watermark - horizon`, a date range; before the first
                // digest, when its own first sighting came at most
                // `horizon` after it became visible, which is read per
                // paper from the two fast fields.
                let new: BoxQuery = match new_after {
                    Some(w) => Box::new(BooleanQuery::new(vec![
                        (
                            Occur::Must,
                            between(f.first_seen, Bound::Excluded(w), Bound::Unbounded),
                        ),
                        (
                            Occur::Must,
                            between(
                                f.date,
                                Bound::Included(w.checked_sub(horizon).unwrap_or(Timestamp::MIN)),
                                Bound::Unbounded,
                            ),
                        ),
                    ])),
                    None => {
                        // A paper first seen at `f` is news only if visible
                        // since `f - horizon`: no paper visible before the
                        // earliest sighting minus the horizon can be (after a
                        // bulk import, that leaves the last days to test).
                        let soon = seen_soon_after_visible(horizon);
                        match self
                            .first_seen_min()
                            .and_then(|f| f.checked_sub(horizon).ok())
                        {
                            Some(from) => Box::new(BooleanQuery::new(vec![
                                (
                                    Occur::Must,
                                    between(f.date, Bound::Included(from), Bound::Unbounded),
                                ),
                                (Occur::Must, soon),
                            ])),
                            None => soon,
                        }
                    }
                };
                let either: BoxQuery = Box::new(BooleanQuery::new(vec![
                    (Occur::Should, new),
                    (Occur::Should, fresh),
                ]));
                // Known by `until` means visible by then: a backfilled
                // listing is known from its listing date on, not from when
                // this index happened to read it.
                Box::new(BooleanQuery::new(vec![
                    (
                        Occur::Must,
                        between(f.date, Bound::Unbounded, Bound::Included(until)),
                    ),
                    (Occur::Must, either),
                ]))
            }
            Window::All => Box::new(AllQuery),
        };
        Box::new(ConstScoreQuery::new(q, 0.0))
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
        // Momentum counts a paper's best rising topic only: its clauses go
        // into one disjunction that scores the maximum (`rank::score` agrees).
        let mut momentum: Vec<BoxQuery> = Vec::new();
        for (c, q) in plan.clauses.iter().zip(clause_queries) {
            if let Some(q) = q {
                let weighted: BoxQuery = Box::new(ConstScoreQuery::new(q.box_clone(), c.weight));
                if c.kind == rank::ClauseKind::Momentum {
                    momentum.push(weighted);
                } else {
                    clauses.push((Occur::Should, weighted));
                }
            }
        }
        if !momentum.is_empty() {
            clauses.push((Occur::Should, Box::new(DisjunctionMaxQuery::new(momentum))));
        }
        if let Some(x) = self.exclude_query(plan) {
            clauses.push((Occur::MustNot, x));
        }
        let query = BooleanQuery::new(clauses);
        let cfg = config.rank.clone();
        let now_secs = now.as_second();
        let half_life = cfg.half_life.days();
        let collector = TopDocs::with_limit(crate::index::top_limit(searcher, k)).tweak_score(
            move |seg: &SegmentReader| {
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
                        stars_not_own: 0,
                    };
                    let fresh = date.as_ref().map_or(0.0, |d| {
                        let secs = d.get_val(doc).into_timestamp_secs();
                        rank::freshness((now_secs - secs) as f64 / 86_400.0, half_life)
                    });
                    rank::total(clause_sum, rank::popularity(counts, &cfg), fresh)
                }
            },
        );
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
        let closeness = super::meaning::Closeness::of(
            self,
            plan,
            hits.iter().map(|(_, p)| p),
            super::meaning::min_upvotes(config),
        );
        let mut ranked: Vec<Ranked> = hits
            .into_iter()
            .zip(matched)
            .enumerate()
            .map(|(i, ((_, paper), m))| ranked_paper(paper, plan, &m, config, now, closeness.at(i)))
            .collect();
        // The parts' sum is the displayed total; it can differ from the
        // collector's f32 sum in the last bits, so order by it again; ties
        // by id, so the same input always gives the same order.
        ranked.sort_by(|a, b| {
            (b.score.total.total_cmp(&a.score.total)).then_with(|| a.paper.id.cmp(&b.paper.id))
        });
        Ok(ranked)
    }

    /// Ranks the papers matching `musts`, applying the mutes of `fb` and
    /// `extra_filter` to the loaded records and fetching more candidates
    /// until `limit` pass.
    ///
    /// Velocity is not a fast field: the collector ranks without it, so a
    /// margin of candidates beyond `limit` ([`velocity_margin`]) is loaded
    /// and scored in full (velocity included), and the best `limit` kept.
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
        fb: &Feedback,
    ) -> Result<Vec<Ranked>, IndexError> {
        let clause_queries: Vec<Option<BoxQuery>> =
            plan.clauses.iter().map(|c| self.clause_query(c)).collect();
        let muting = fb.mutes_at(now);
        let keep = |p: &Paper| {
            (!muting || fb.mute_for(p, now).is_none()) && extra_filter.is_none_or(|f| f(p))
        };
        let shown = limit;
        let limit = limit.saturating_add(velocity_margin(config, limit));
        let mut k = if extra_filter.is_some() || muting {
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
                if keep(&paper) {
                    kept.push((addr, paper));
                }
                if kept.len() == limit {
                    break;
                }
            }
            if kept.len() >= limit || exhausted {
                let mut ranked =
                    self.explain_hits(searcher, plan, &clause_queries, kept, config, now)?;
                ranked.truncate(shown);
                return Ok(ranked);
            }
            k = k.saturating_mul(4);
        }
    }
}

/// Papers first seen at most `horizon` after they became visible (their
/// `date`), read per paper from the two fast fields: a bulk import of old
/// papers is not among them.
fn seen_soon_after_visible(horizon: jiff::SignedDuration) -> BoxQuery {
    let horizon = horizon.as_secs();
    let predicate = FunctionPredicate::from(move |seg: &SegmentReader| {
        let ff = seg.fast_fields();
        let visible = ff
            .date(schema::DATE)?
            .first_or_default_col(tantivy::DateTime::MAX);
        let seen = ff
            .date(schema::FIRST_SEEN)?
            .first_or_default_col(tantivy::DateTime::MIN);
        Ok(move |doc: DocId| {
            let lag = seen
                .get_val(doc)
                .into_timestamp_secs()
                .saturating_sub(visible.get_val(doc).into_timestamp_secs());
            lag <= horizon
        })
    });
    Box::new(DocPredicateQuery::from(predicate))
}

/// How many candidates beyond `limit` are scored in full so that velocity
/// (not a fast field) can lift one into the list: half the limit, 10 to
/// 100; none when `rank.velocity_weight` is 0.
fn velocity_margin(config: &Config, limit: usize) -> usize {
    if config.rank.velocity_weight == 0.0 {
        0
    } else {
        (limit / 2).clamp(10, 100)
    }
}

/// Scores one loaded paper against the plan, given its matched clauses.
fn ranked_paper(
    paper: Paper,
    plan: &Plan,
    matched: &[bool],
    config: &Config,
    now: Timestamp,
    closeness: Option<super::meaning::PaperCloseness<'_>>,
) -> Ranked {
    let counts = Counts::of(&paper);
    let fresh = paper.visible_date().map_or(0.0, |d| {
        rank::freshness(rank::age_days(d, now), config.rank.half_life.days())
    });
    let velocity = crate::velocity::velocity(&paper.observations, now);
    let scaled = passing_mentions(&paper, plan, matched);
    let unscaled = plan;
    let plan = scaled.as_ref().unwrap_or(plan);
    let meant =
        closeness.and_then(|c| super::meaning::by_meaning(&paper, unscaled, plan, matched, &c));
    let (plan, matched) = match &meant {
        Some((p, m)) => (p, m.as_slice()),
        None => (plan, matched),
    };
    let mut score = rank::score(
        plan,
        matched,
        counts,
        fresh,
        velocity.as_ref(),
        &config.rank,
    );
    if let (Some(part), Some(d)) = (
        score
            .parts
            .iter_mut()
            .find(|p| p.name == rank::PartName::Freshness),
        paper.visible_date(),
    ) {
        part.detail.push(format!(
            "age {:.1} d from {} (when you could first see it: the later of arXiv v1 and the \
             first listing by a source)",
            rank::age_days(d, now).max(0.0),
            d.strftime("%Y-%m-%d %H:%M UTC")
        ));
    }
    let mut why = rank::why_line_for(&score, &paper);
    if let Some(badge) = velocity.as_ref().and_then(crate::velocity::Velocity::badge) {
        why.push_str(&format!(" · {badge}"));
    }
    Ranked {
        why,
        matched_terms: rank::matched_terms(&score),
        score,
        paper,
        velocity,
    }
}

/// The reader's plan at `now`: interests with what stands for them,
/// follows, the rising topics (returned too) and the learned profile.
fn plan_for(
    index: &Index,
    config: &Config,
    now: Timestamp,
    fb: &Feedback,
) -> Result<(Plan, Vec<crate::rank::Topic>), Error> {
    let rising = momentum_topics(index, config, now)?;
    let learned = super::expand::learned(index, &config.interests, now)?;
    let plan = Plan::new(&config.interests, &config.rank, &rising)
        .with_expansions(&learned.expansions, &config.interests, &config.rank)
        .with_meanings(&learned.meanings, &config.interests)
        .with_profile(fb.profile.terms(), &config.rank);
    Ok((plan, rising))
}

/// What an interest mentioned once, late in the abstract, counts: a
/// passing mention ("… as in multimodal reasoning") is not what a paper is
/// about.
const PASSING: f32 = 0.25;

/// The plan for one paper with the weight of each abstract interest clause
/// it matches only in passing cut to [`PASSING`], or `None` when there is
/// none. A mention is in passing when the abstract has the term once and
/// not in its opening (the first third, at least its first 30 words).
fn passing_mentions(paper: &Paper, plan: &Plan, matched: &[bool]) -> Option<Plan> {
    let mut words: Option<Vec<String>> = None;
    let mut out: Option<Plan> = None;
    for (i, (c, m)) in plan.clauses.iter().zip(matched).enumerate() {
        if !*m || c.kind != rank::ClauseKind::Interest || c.target != Target::Abstract {
            continue;
        }
        let words = words.get_or_insert_with(|| crate::index::analyze(&paper.abstract_text));
        let term = crate::index::analyze(&c.label);
        if term.is_empty() || term.len() > words.len() {
            continue;
        }
        let at: Vec<usize> = words
            .windows(term.len())
            .enumerate()
            .filter(|(_, w)| *w == term.as_slice())
            .map(|(i, _)| i)
            .collect();
        let opening = (words.len() / 3).max(30);
        if let [only] = at.as_slice()
            && *only >= opening
        {
            let plan = out.get_or_insert_with(|| plan.clone());
            let clause = &mut plan.clauses[i];
            clause.weight *= PASSING;
            clause.how = format!(
                "{}; mentioned once, late in the abstract: x {PASSING}",
                clause.how
            );
        }
    }
    out
}

/// Ranks the papers in `window` for the configured interests: the engine
/// behind `top`, the digest and `explain`. `fb` adds the learned profile's
/// clauses and removes muted papers.
///
/// `extra_filter` runs on loaded records after scoring (the digest drops
/// papers already sent with it); more candidates are fetched until `limit`
/// pass or the window is exhausted.
///
/// # Errors
/// An index failure.
#[allow(clippy::too_many_arguments)]
pub fn rank_papers(
    index: &Index,
    config: &Config,
    now: Timestamp,
    window: Window,
    limit: usize,
    extra_filter: Option<&dyn Fn(&Paper) -> bool>,
    fb: &Feedback,
) -> Result<RankOutcome, Error> {
    let (plan, rising) = plan_for(index, config, now, fb)?;
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
            fb,
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
    fb: &Feedback,
) -> Result<RankOutcome, Error> {
    let (plan, rising) = plan_for(index, config, now, fb)?;
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
        fb,
    )?;
    Ok(RankOutcome {
        ranked,
        considered,
        excluded: 0,
        rising,
    })
}

/// One paper scored for the reader, and the exclude keyword that removes
/// it from every ranking, if any.
#[derive(Clone, Debug)]
pub struct Scored {
    /// The paper with its score, parts and "why" line.
    pub ranked: Ranked,
    /// `(exclude entry, field)` when an `[interests] exclude` entry matches.
    pub excluded: Option<(String, String)>,
    /// When it matched no keyword by meaning: the one it came closest to.
    pub nearest: Option<super::meaning::Nearest>,
}

/// Scores paper `id` (any form `show` accepts) at `now` exactly as the
/// ranking would, whether or not it is in any window.
///
/// # Errors
/// [`Error::Usage`] when no paper has that id; an index failure.
pub fn score_paper(
    index: &Index,
    config: &Config,
    now: Timestamp,
    id: &str,
    fb: &Feedback,
) -> Result<Scored, Error> {
    let Some(paper) = index.get(id)? else {
        return Err(Error::Usage(format!(
            "no paper with id {:?} in the index",
            crate::sanitize::sanitize_line(id)
        )));
    };
    let searcher = index.searcher();
    let term = Term::from_field_text(index.fields.id, &paper.id);
    let Some(addr) = crate::index::writer::find_term(index, &searcher, &term)? else {
        return Err(Error::Other(format!(
            "{}: record without index entry",
            paper.id
        )));
    };
    let (plan, _) = plan_for(index, config, now, fb)?;
    let clause_queries: Vec<Option<BoxQuery>> =
        plan.clauses.iter().map(|c| index.clause_query(c)).collect();
    let matched = index.matched_clauses(&searcher, &clause_queries, &[addr])?;
    let m = matched.into_iter().next().unwrap_or_default();
    let closeness = super::meaning::Closeness::of(
        index,
        &plan,
        std::iter::once(&paper),
        super::meaning::min_upvotes(config),
    );
    let at = closeness.at(0);
    let nearest = at.and_then(|c| super::meaning::nearest(&paper, &plan, &c));
    let mut ranked = ranked_paper(paper, &plan, &m, config, now, at);
    let by_meaning = ranked
        .score
        .matches
        .iter()
        .any(|x| x.field == crate::rank::Target::Meaning.name());
    // Said only of a paper its relevance keeps out of the main list, and
    // only what kept it from matching by meaning (a paper that names a
    // keyword is not matched by meaning, whatever its closeness).
    let short = crate::rank::select::relevance(&ranked.score) < config.digest.min_relevance;
    let nearest = nearest.filter(|n| {
        !by_meaning && short && (n.closeness < n.threshold || n.upvotes < n.min_upvotes)
    });
    fb.name_neighbours(std::iter::once(&mut ranked));
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
    Ok(Scored {
        ranked,
        excluded,
        nearest,
    })
}

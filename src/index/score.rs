//! Relevance scoring of free text: BM25F over title, abstract and keywords.
//!
//! A query term's occurrences in the fields are combined *before* BM25's
//! saturation: `tf = Σ_f w_f · tf_f / (1 − b + b · len_f / avglen_f)`, and the
//! term scores `idf · qw · (k1 + 1) · tf / (k1 + tf)`, where `qw` is the
//! term's query weight (how often it is in the query, or its feedback
//! weight). Summing a BM25 per field instead (what tantivy's query parser
//! does) lets a word in both title and abstract count twice, saturating
//! separately; BM25F scored better on the SciFact train split (README).
//!
//! The document frequency of a term is its largest over the fields (the
//! union is not known without a scan; a term of a title is nearly always in
//! its abstract too).
//!
//! Search runs it in one of two ways (`search.candidates`): by default it
//! reranks the top results of [`Bm25fQuery::candidates`], a per-field BM25
//! that tantivy collects with block-max WAND; with `candidates = 0` it
//! ranks every match itself. Then top-k collection skips documents with
//! MaxScore: terms are ordered by
//! their highest possible score, and once the k-th best score exceeds the sum
//! of the lowest bounds, documents that hold only those terms are never
//! scored (their postings are only sought to the candidates of the others).
//!
//! No code path here can panic on user data: term lists are built from
//! analysed text, and a document's field length comes from tantivy's
//! one-byte field norm table.
//!
//! Past 600 lines through its tests, which check the scores against sums worked
//! out by hand.

use std::sync::Arc;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};

use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// BM25F parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bm25fParams {
    /// Term-frequency saturation.
    pub k1: f32,
    /// Length normalisation (0 none, 1 full), the same for every field.
    pub b: f32,
}

/// One query term: its analysed text and query weight.
#[derive(Clone, Debug, PartialEq)]
pub struct QueryTerm {
    /// The stemmed term.
    pub text: String,
    /// Its weight in the query (1 for a typed word; feedback terms less).
    pub weight: f32,
}

/// A BM25F query over weighted fields.
#[derive(Clone, Debug)]
pub struct Bm25fQuery {
    terms: Vec<QueryTerm>,
    fields: Vec<(Field, f32)>,
    params: Bm25fParams,
    /// Pairs of terms adjacent in the query text (indices into `terms`).
    pairs: Vec<(usize, usize)>,
    /// The query's words in order, hyphenated words as their parts and
    /// stop words kept: the phrase papers holding it whole rank first
    /// (`phrase.rs`); empty for fewer than two words.
    phrase: Vec<String>,
}

impl Bm25fQuery {
    /// A query for `terms` over `fields` (field, weight); fields of weight
    /// 0 or less are left out.
    pub fn new(terms: Vec<QueryTerm>, fields: &[(Field, f32)], params: Bm25fParams) -> Self {
        Bm25fQuery {
            terms,
            fields: fields.iter().copied().filter(|(_, w)| *w > 0.0).collect(),
            params,
            pairs: Vec::new(),
            phrase: Vec::new(),
        }
    }

    /// The same query preferring papers that hold `words` as a phrase
    /// (ignored for fewer than two words).
    #[must_use]
    pub fn with_phrase(mut self, words: Vec<String>) -> Self {
        self.phrase = if words.len() > 1 { words } else { Vec::new() };
        self
    }

    /// The phrase papers holding it whole rank first (empty: none).
    pub fn phrase(&self) -> &[String] {
        &self.phrase
    }

    /// The same query with `pairs` of adjacent terms for [`proximity`].
    #[must_use]
    pub fn with_pairs(mut self, pairs: Vec<(usize, usize)>) -> Self {
        self.pairs = pairs
            .into_iter()
            .filter(|(a, b)| a != b && *a < self.terms.len() && *b < self.terms.len())
            .collect();
        self
    }

    /// Pairs of terms adjacent in the query text.
    pub fn pairs(&self) -> &[(usize, usize)] {
        &self.pairs
    }

    /// The query's terms.
    pub fn terms(&self) -> &[QueryTerm] {
        &self.terms
    }
}

/// `ln(1 + (N − df + 0.5) / (df + 0.5))`, never negative.
pub(crate) fn idf(df: u64, n: u64) -> f32 {
    let (df, n) = (df as f64, n.max(df) as f64);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln() as f32
}

impl Query for Bm25fQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.bm25f_weight(scoring)?))
    }
}

impl Bm25fQuery {
    pub(crate) fn bm25f_weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Bm25fWeight> {
        let k1 = self.params.k1.max(0.0);
        let b = self.params.b.clamp(0.0, 1.0);
        let mut fields = Vec::with_capacity(self.fields.len());
        let mut weights = Vec::with_capacity(self.terms.len());
        match scoring.searcher() {
            Some(searcher) => {
                let n: u64 = searcher
                    .segment_readers()
                    .iter()
                    .map(|s| u64::from(s.max_doc()))
                    .sum();
                for &(field, w) in &self.fields {
                    let mut tokens = 0u64;
                    for s in searcher.segment_readers() {
                        tokens += s.inverted_index(field)?.total_num_tokens();
                    }
                    let avg = (tokens as f32 / n.max(1) as f32).max(1.0);
                    let norm: [f32; 256] = std::array::from_fn(|id| {
                        let len = FieldNormReader::id_to_fieldnorm(id as u8) as f32;
                        w / (1.0 - b + b * len / avg)
                    });
                    fields.push((field, Arc::new(norm)));
                }
                for t in &self.terms {
                    let mut df = 0u64;
                    for &(field, _) in &self.fields {
                        df = df.max(searcher.doc_freq(&Term::from_field_text(field, &t.text))?);
                    }
                    weights.push(idf(df, n) * t.weight.max(0.0) * (k1 + 1.0));
                }
            }
            None => {
                for &(field, w) in &self.fields {
                    fields.push((field, Arc::new([w; 256])));
                }
                weights = vec![0.0; self.terms.len()];
            }
        }
        Ok(Bm25fWeight {
            terms: self.terms.iter().map(|t| t.text.clone()).collect(),
            weights,
            fields,
            k1,
        })
    }

    /// The query's terms in `field`, for highlighting.
    pub fn field_terms(&self, field: Field) -> Vec<Term> {
        self.terms
            .iter()
            .map(|t| Term::from_field_text(field, &t.text))
            .collect()
    }
}

pub(crate) struct Bm25fWeight {
    terms: Vec<String>,
    /// `idf · qw · (k1 + 1)` per term: also the term's highest score.
    pub(crate) weights: Vec<f32>,
    /// Per field: `w_f / (1 − b + b · len / avglen)` by field norm id.
    pub(crate) fields: Vec<(Field, Arc<[f32; 256]>)>,
    pub(crate) k1: f32,
}

struct Posting {
    postings: SegmentPostings,
    term: usize,
    field: Field,
    norm: Arc<[f32; 256]>,
    fieldnorms: FieldNormReader,
}

/// The per-segment scorer: the union of every (term, field) posting list.
pub(crate) struct Bm25fScorer {
    posts: Vec<Posting>,
    weights: Vec<f32>,
    k1: f32,
    doc: DocId,
    scratch: Vec<f32>,
}

impl Bm25fWeight {
    fn segment_scorer(&self, reader: &SegmentReader) -> tantivy::Result<Bm25fScorer> {
        let mut posts = Vec::new();
        for (field, norm) in &self.fields {
            let inverted = reader.inverted_index(*field)?;
            let fieldnorms = reader.get_fieldnorms_reader(*field)?;
            for (i, text) in self.terms.iter().enumerate() {
                let term = Term::from_field_text(*field, text);
                if let Some(postings) =
                    inverted.read_postings(&term, IndexRecordOption::WithFreqs)?
                {
                    posts.push(Posting {
                        postings,
                        term: i,
                        field: *field,
                        norm: Arc::clone(norm),
                        fieldnorms: fieldnorms.clone(),
                    });
                }
            }
        }
        let mut scorer = Bm25fScorer {
            posts,
            weights: self.weights.clone(),
            k1: self.k1,
            doc: TERMINATED,
            scratch: vec![0.0; self.terms.len()],
        };
        scorer.doc = scorer.min_doc(|_| true);
        Ok(scorer)
    }
}

impl Bm25fScorer {
    fn min_doc(&self, keep: impl Fn(usize) -> bool) -> DocId {
        self.posts
            .iter()
            .filter(|p| keep(p.term))
            .map(|p| p.postings.doc())
            .min()
            .unwrap_or(TERMINATED)
    }

    /// The score of `doc`, from the postings positioned on it.
    fn score_at(&mut self, doc: DocId) -> Score {
        self.scratch.iter_mut().for_each(|s| *s = 0.0);
        for p in &self.posts {
            if p.postings.doc() == doc {
                let id = p.fieldnorms.fieldnorm_id(doc);
                self.scratch[p.term] += p.postings.term_freq() as f32 * p.norm[usize::from(id)];
            }
        }
        let k1 = self.k1;
        self.scratch
            .iter()
            .zip(&self.weights)
            .filter(|(tf, _)| **tf > 0.0)
            .map(|(tf, w)| w * tf / (k1 + tf))
            .sum()
    }

    /// MaxScore top-k: see the module documentation.
    fn for_each_pruning(
        &mut self,
        mut threshold: Score,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) {
        // Terms by their bound, lowest first; a term is essential unless the
        // bounds of it and every lower term sum to at most the threshold.
        let mut order: Vec<usize> = (0..self.weights.len()).collect();
        order.sort_by(|a, b| self.weights[*a].total_cmp(&self.weights[*b]));
        let mut essential = vec![true; self.weights.len()];
        let partition = |threshold: Score, essential: &mut Vec<bool>, weights: &[f32]| {
            let mut sum = 0.0;
            for &t in &order {
                sum += weights[t];
                essential[t] = sum > threshold;
            }
        };
        partition(threshold, &mut essential, &self.weights);
        loop {
            let doc = self.min_doc(|t| essential[t]);
            if doc == TERMINATED {
                break;
            }
            for p in &mut self.posts {
                if !essential[p.term] && p.postings.doc() < doc {
                    p.postings.seek(doc);
                }
            }
            let score = self.score_at(doc);
            if score > threshold {
                threshold = callback(doc, score);
                partition(threshold, &mut essential, &self.weights);
            }
            for p in &mut self.posts {
                if essential[p.term] && p.postings.doc() == doc {
                    p.postings.advance();
                }
            }
        }
    }

    /// Per term and field: the term frequency at `doc` and the term's part
    /// of the score, for `--explain` (call on a fresh scorer, in doc order).
    pub(crate) fn explain_doc(&mut self, doc: DocId) -> Vec<(usize, usize, u32, f32)> {
        self.seek(doc);
        let mut out = Vec::new();
        if self.doc != doc {
            return out;
        }
        self.score_at(doc);
        let k1 = self.k1;
        for (i, p) in self.posts.iter().enumerate() {
            if p.postings.doc() == doc {
                let tf_all = self.scratch[p.term];
                let part = p.postings.term_freq() as f32
                    * p.norm[usize::from(p.fieldnorms.fieldnorm_id(doc))];
                let term_score = self.weights[p.term] * tf_all / (k1 + tf_all);
                let share = if tf_all > 0.0 {
                    term_score * part / tf_all
                } else {
                    0.0
                };
                out.push((p.term, i, p.postings.term_freq(), share));
            }
        }
        out
    }
}

impl DocSet for Bm25fScorer {
    fn advance(&mut self) -> DocId {
        let doc = self.doc;
        for p in &mut self.posts {
            if p.postings.doc() == doc {
                p.postings.advance();
            }
        }
        self.doc = self.min_doc(|_| true);
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        for p in &mut self.posts {
            if p.postings.doc() < target {
                p.postings.seek(target);
            }
        }
        self.doc = self.min_doc(|_| true);
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.posts
            .iter()
            .map(|p| p.postings.size_hint())
            .max()
            .unwrap_or(0)
    }
}

impl Scorer for Bm25fScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        self.score_at(doc)
    }
}

impl Weight for Bm25fWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut s = self.segment_scorer(reader)?;
        s.weights.iter_mut().for_each(|w| *w *= boost);
        Ok(Box::new(s))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut s = self.segment_scorer(reader)?;
        if s.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new("BM25F", s.score()))
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let mut s = self.segment_scorer(reader)?;
        s.for_each_pruning(threshold, callback);
        Ok(())
    }
}

/// One term's part of a document's score in one field.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TermMatch {
    /// The stemmed query term.
    pub term: String,
    /// The field it matched (`title`, `abstract`, `keywords`).
    pub field: String,
    /// How often it occurs there.
    pub tf: u32,
    /// Its part of the score.
    pub score: f32,
}

/// Which of `query`'s terms match document `doc` of `reader`, in which
/// field, and what each adds to the score (the parts sum to the score).
///
/// # Errors
/// On an index failure.
pub fn explain(
    query: &Bm25fQuery,
    searcher: &tantivy::Searcher,
    address: tantivy::DocAddress,
    field_name: impl Fn(Field) -> String,
) -> tantivy::Result<Vec<TermMatch>> {
    let w = query.bm25f_weight(EnableScoring::enabled_from_searcher(searcher))?;
    let reader = searcher.segment_reader(address.segment_ord);
    let mut s = w.segment_scorer(reader)?;
    let parts = s.explain_doc(address.doc_id);
    Ok(parts
        .into_iter()
        .map(|(term, post, tf, score)| TermMatch {
            term: w.terms[term].clone(),
            field: s
                .posts
                .get(post)
                .map(|p| field_name(p.field))
                .unwrap_or_default(),
            tf,
            score,
        })
        .collect())
}

impl Bm25fQuery {
    /// A cheap stand-in for this query: a BM25 per term and field, summed,
    /// with the fields' weights (capped at 1) as boosts. tantivy scores it
    /// with block-max WAND; its top results are candidates for [`rescore`].
    /// The cap keeps a title match from crowding out abstract matches: on
    /// the SciFact train split the top 100 of the capped stand-in hold
    /// BM25F's top 10 (same nDCG@10), uncapped they lose 0.0025.
    pub fn candidates(&self) -> tantivy::query::BooleanQuery {
        let mut clauses: Vec<(tantivy::query::Occur, Box<dyn Query>)> = Vec::new();
        for t in &self.terms {
            for &(field, w) in &self.fields {
                let term = tantivy::query::TermQuery::new(
                    Term::from_field_text(field, &t.text),
                    IndexRecordOption::WithFreqs,
                );
                clauses.push((
                    tantivy::query::Occur::Should,
                    Box::new(tantivy::query::BoostQuery::new(
                        Box::new(term),
                        w.min(1.0) * t.weight.max(0.0),
                    )),
                ));
            }
        }
        tantivy::query::BooleanQuery::new(clauses)
    }
}

/// The BM25F scores of `docs` (any order) for `query`.
///
/// # Errors
/// On an index failure.
pub fn rescore(
    query: &Bm25fQuery,
    searcher: &tantivy::Searcher,
    docs: &[tantivy::DocAddress],
) -> tantivy::Result<Vec<f32>> {
    let w = query.bm25f_weight(EnableScoring::enabled_from_searcher(searcher))?;
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by_key(|&i| (docs[i].segment_ord, docs[i].doc_id));
    let mut out = vec![0.0f32; docs.len()];
    let mut current: Option<(u32, Bm25fScorer)> = None;
    for i in order {
        let d = docs[i];
        if current
            .as_ref()
            .is_none_or(|(seg, _)| *seg != d.segment_ord)
        {
            let reader = searcher.segment_reader(d.segment_ord);
            current = Some((d.segment_ord, w.segment_scorer(reader)?));
        }
        if let Some((_, s)) = current.as_mut()
            && s.seek(d.doc_id) == d.doc_id
        {
            out[i] = s.score_at(d.doc_id);
        }
    }
    Ok(out)
}

/// Proximity bonuses for `hits` (sorted by address or not): for each pair of
/// terms adjacent in the query, how often they occur within `window`
/// positions of each other in a field (weighted like the field), saturated
/// like a term (`pf / (k1 + pf)`), times `weight` and the smaller of the two
/// terms' highest scores. Reads positions only for these documents.
///
/// # Errors
/// On an index failure.
pub fn proximity(
    query: &Bm25fQuery,
    searcher: &tantivy::Searcher,
    hits: &[tantivy::DocAddress],
    window: u32,
    weight: f32,
) -> tantivy::Result<Vec<f32>> {
    let mut out = vec![0.0f32; hits.len()];
    if query.pairs.is_empty() || weight <= 0.0 || hits.is_empty() {
        return Ok(out);
    }
    let w = query.bm25f_weight(EnableScoring::enabled_from_searcher(searcher))?;
    let mut order: Vec<usize> = (0..hits.len()).collect();
    order.sort_by_key(|&i| (hits[i].segment_ord, hits[i].doc_id));
    // pf per hit and pair.
    let mut pf = vec![vec![0.0f32; query.pairs.len()]; hits.len()];
    let mut used = vec![false; query.terms.len()];
    for &(a, b) in &query.pairs {
        used[a] = true;
        used[b] = true;
    }
    let mut start = 0;
    while start < order.len() {
        let seg = hits[order[start]].segment_ord;
        let end = order[start..]
            .iter()
            .position(|&i| hits[i].segment_ord != seg)
            .map_or(order.len(), |n| start + n);
        let reader = searcher.segment_reader(seg);
        for &(field, fw) in &query.fields {
            let inverted = reader.inverted_index(field)?;
            // Positions of each used term, per hit of this segment.
            let mut positions: Vec<Vec<Vec<u32>>> = vec![Vec::new(); query.terms.len()];
            for (t, qt) in query.terms.iter().enumerate() {
                if !used[t] {
                    continue;
                }
                let term = Term::from_field_text(field, &qt.text);
                let mut per_hit = vec![Vec::new(); end - start];
                if let Some(mut postings) =
                    inverted.read_postings(&term, IndexRecordOption::WithFreqsAndPositions)?
                {
                    for (k, &i) in order[start..end].iter().enumerate() {
                        let doc = hits[i].doc_id;
                        if postings.doc() < doc {
                            postings.seek(doc);
                        }
                        if postings.doc() == doc {
                            postings.positions(&mut per_hit[k]);
                        }
                    }
                }
                positions[t] = per_hit;
            }
            for (k, &i) in order[start..end].iter().enumerate() {
                for (p, &(a, b)) in query.pairs.iter().enumerate() {
                    let (Some(pa), Some(pb)) = (positions[a].get(k), positions[b].get(k)) else {
                        continue;
                    };
                    let near = pa
                        .iter()
                        .filter(|&&x| pb.iter().any(|&y| x.abs_diff(y) <= window))
                        .count();
                    pf[i][p] += fw * near as f32;
                }
            }
        }
        start = end;
    }
    let k1 = w.k1;
    for (i, row) in pf.iter().enumerate() {
        out[i] = row
            .iter()
            .zip(&query.pairs)
            .filter(|(f, _)| **f > 0.0)
            .map(|(f, &(a, b))| weight * w.weights[a].min(w.weights[b]) * f / (k1 + f))
            .sum();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::io::BufRead;

    use tantivy::collector::TopDocs;
    use tantivy::query::{EnableScoring, Query};

    use crate::index::{Index, Scoring};
    use crate::paper::Paper;

    /// The SciFact sample fixture in a temporary index.
    fn sample() -> (tempfile::TempDir, Index) {
        let dir = tempfile::tempdir().unwrap();
        let index = Index::open(dir.path(), true).unwrap();
        let now = "2026-01-01T00:00:00Z".parse().unwrap();
        let mut session = index.session(64, 100_000, now).unwrap();
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/scifact/corpus-sample.jsonl"
        );
        let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
        for line in file.lines() {
            let paper: Paper = serde_json::from_str(&line.unwrap()).unwrap();
            session.upsert(paper).unwrap();
        }
        session.finish().unwrap();
        (dir, index)
    }

    #[test]
    fn maxscore_top_k_equals_scoring_every_match() {
        let (_dir, index) = sample();
        let searcher = index.searcher();
        for text in [
            "urease gene cluster",
            "severe anemia in homozygous alpha thalassemia trait subjects",
            "cells",
            "protein supply of amino acids via macropinocytosis in cancer cells",
        ] {
            let q = index.words_query(text, 2.5, &Scoring::default());
            let top = searcher
                .search(&q, &TopDocs::with_limit(5).order_by_score())
                .unwrap();
            let weight = q
                .weight(EnableScoring::enabled_from_searcher(&searcher))
                .unwrap();
            let mut all = Vec::new();
            for (ord, reader) in searcher.segment_readers().iter().enumerate() {
                weight
                    .for_each(reader, &mut |doc, score| all.push((score, ord, doc)))
                    .unwrap();
            }
            all.sort_by(|a, b| b.0.total_cmp(&a.0));
            assert!(all.len() > 5, "{text}: {}", all.len());
            let want: Vec<f32> = all.iter().take(5).map(|a| a.0).collect();
            let got: Vec<f32> = top.iter().map(|t| t.0).collect();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn a_word_in_title_and_abstract_saturates_once() {
        let (_dir, index) = sample();
        let searcher = index.searcher();
        let q = index.words_query("urease", 2.5, &Scoring::default());
        let top = searcher
            .search(&q, &TopDocs::with_limit(1).order_by_score())
            .unwrap();
        let (score, address) = top[0];
        let parts = super::explain(&q, &searcher, address, |f| format!("{f:?}")).unwrap();
        // Matched in two fields, one term: its parts add up to the score,
        // which stays below the term's bound idf · (k1 + 1).
        assert!(parts.len() >= 2, "{parts:?}");
        let sum: f32 = parts.iter().map(|p| p.score).sum();
        assert!((sum - score).abs() < 1e-4 * score, "{sum} vs {score}");
        let n = searcher.num_docs();
        let f = index.fields();
        let df = [f.title, f.abstract_text]
            .iter()
            .map(|&field| {
                searcher
                    .doc_freq(&tantivy::Term::from_field_text(field, "ureas"))
                    .unwrap()
            })
            .max()
            .unwrap();
        assert!(score < super::idf(df, n) * 2.2, "{score}");
    }
}

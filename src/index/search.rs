//! Search: a query searched as words or as syntax, with filters, ranked
//! and loaded with snippets.
//!
//! Ranking a query searched as words: the candidates (the top
//! `search.candidates` by a BM25 per field, or every match), joined by
//! the papers holding the query's phrase ([`super::phrase`]), are scored
//! by BM25F ([`super::score`]), plus the proximity bonus when it is on, plus
//! the phrase part, which puts every paper holding the phrase above every
//! paper that does not. RM3 feedback, when on, expands the words first.

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, Searcher};

use super::phrase::PhraseMatch;
use super::reader::{Hit, SearchQuery, Snippet, SortBy};
use super::score::{Bm25fQuery, QueryTerm};
use super::{Index, IndexError};

impl Index {
    /// Runs a search and loads the matching records.
    ///
    /// # Errors
    /// On a query syntax error or an index failure.
    pub fn search(&self, q: &SearchQuery) -> Result<Vec<Hit>, IndexError> {
        let searcher = self.searcher();
        let parsed = if q.text.trim().is_empty() {
            None
        } else {
            Some(self.parse(&q.text, q.title_boost, &q.scoring)?)
        };
        let mut words = parsed.as_ref().and_then(|p| p.words.clone());
        if let Some(w) = &words
            && q.sort == SortBy::Relevance
            && q.scoring.feedback_docs > 0
            && q.scoring.feedback_weight < 1.0
        {
            let expanded = self.rm3_expand(&searcher, q, w)?;
            words = Some(
                expanded
                    .with_pairs(w.pairs().to_vec())
                    .with_phrase(w.phrase().to_vec()),
            );
        }
        let text_query: Option<Box<dyn Query>> = match (&words, parsed) {
            (Some(w), _) => Some(Box::new(w.clone())),
            (None, Some(p)) => Some(p.query),
            (None, None) => None,
        };
        let mut clauses = self.filter_clauses(q);
        let query: Box<dyn Query> = match (&text_query, clauses.is_empty()) {
            (Some(t), true) => t.box_clone(),
            (Some(t), false) => {
                clauses.push((Occur::Must, t.box_clone()));
                Box::new(BooleanQuery::new(clauses))
            }
            (None, true) => Box::new(tantivy::query::AllQuery),
            (None, false) => Box::new(BooleanQuery::new(clauses)),
        };
        let limit = super::top_limit(&searcher, q.limit);
        // The proximity bonus reorders the top `proximity_depth`.
        let rerank = q.sort == SortBy::Relevance
            && q.scoring.proximity > 0.0
            && words.as_ref().is_some_and(|w| !w.pairs().is_empty());
        let rescore = q.sort == SortBy::Relevance && q.scoring.candidates > 0 && words.is_some();
        let mut depth = limit;
        if rerank {
            depth = depth.max(q.scoring.proximity_depth);
        }
        if rescore {
            depth = depth.max(q.scoring.candidates);
        }
        // With candidates, the first pass runs the cheap stand-in.
        let query: Box<dyn Query> = match &words {
            Some(w) if rescore => {
                let mut clauses = self.filter_clauses(q);
                if clauses.is_empty() {
                    Box::new(w.candidates())
                } else {
                    clauses.push((Occur::Must, Box::new(w.candidates())));
                    Box::new(BooleanQuery::new(clauses))
                }
            }
            _ => query,
        };
        let engine = |e: tantivy::TantivyError| self.tantivy_err(e);
        let addresses: Vec<(f32, DocAddress)> = match q.sort {
            SortBy::Date => searcher
                .search(
                    &query,
                    &TopDocs::with_limit(limit)
                        .order_by_fast_field::<tantivy::DateTime>(super::schema::DATE, Order::Desc),
                )
                .map_err(engine)?
                .into_iter()
                .map(|(d, a)| (d.map_or(0.0, |d| d.into_timestamp_secs() as f32), a))
                .collect(),
            _ => searcher
                .search(&query, &TopDocs::with_limit(depth).order_by_score())
                .map_err(engine)?,
        };
        // The phrase comes first: papers holding it join the candidates
        // even when their words alone would not have made it.
        let phrased =
            q.sort == SortBy::Relevance && words.as_ref().is_some_and(|w| !w.phrase().is_empty());
        let mut addresses = addresses;
        let mut extra = false;
        if let Some(w) = words.as_ref().filter(|_| phrased) {
            let mut clauses = self.filter_clauses(q);
            clauses.push((Occur::Must, self.phrase_query(w.phrase())));
            let held = searcher
                .search(
                    &BooleanQuery::new(clauses),
                    &TopDocs::with_limit(depth).order_by_score(),
                )
                .map_err(engine)?;
            for (_, a) in held {
                if !addresses.iter().any(|(_, b)| *b == a) {
                    addresses.push((0.0, a));
                    extra = true;
                }
            }
        }
        let addresses = match &words {
            Some(w) if rescore || extra => {
                let docs: Vec<DocAddress> = addresses.iter().map(|(_, a)| *a).collect();
                let scores = super::score::rescore(w, &searcher, &docs).map_err(engine)?;
                let mut scored: Vec<(f32, DocAddress)> = scores.into_iter().zip(docs).collect();
                sort_hits(&mut scored);
                scored
            }
            _ => addresses,
        };
        let addresses = match &words {
            Some(w) if rerank => {
                let docs: Vec<DocAddress> = addresses.iter().map(|(_, a)| *a).collect();
                let bonus = super::score::proximity(
                    w,
                    &searcher,
                    &docs,
                    q.scoring.proximity_window,
                    q.scoring.proximity,
                )
                .map_err(engine)?;
                let mut scored: Vec<(f32, DocAddress)> = addresses
                    .iter()
                    .zip(bonus)
                    .map(|((s, a), b)| (s + b, *a))
                    .collect();
                sort_hits(&mut scored);
                scored
            }
            _ => addresses,
        };
        let mut phrases: std::collections::HashMap<DocAddress, PhraseMatch> =
            std::collections::HashMap::new();
        let mut addresses = match &words {
            Some(w) if phrased => {
                let docs: Vec<DocAddress> = addresses.iter().map(|(_, a)| *a).collect();
                let proximity = if rerank { q.scoring.proximity } else { 0.0 };
                let name = |field| self.field_name(field);
                let fields = [self.fields.title, self.fields.abstract_text];
                let parts =
                    super::phrase::phrase_parts(w, &searcher, &docs, &fields, proximity, name)
                        .map_err(engine)?;
                let mut scored = Vec::with_capacity(docs.len());
                for ((s, a), part) in addresses.iter().zip(parts) {
                    let bonus = part.as_ref().map_or(0.0, PhraseMatch::score);
                    scored.push((s + bonus, *a));
                    if let Some(part) = part {
                        phrases.insert(*a, part);
                    }
                }
                sort_hits(&mut scored);
                scored
            }
            _ => addresses,
        };
        addresses.truncate(limit);
        let generator = match &text_query {
            Some(t) if q.snippets => {
                // A BM25F query highlights its own terms in the abstract.
                let highlight: Box<dyn Query> = match &words {
                    Some(w) => Box::new(BooleanQuery::new_multiterms_query(
                        w.field_terms(self.fields.abstract_text),
                    )),
                    None => t.box_clone(),
                };
                let mut g =
                    SnippetGenerator::create(&searcher, &*highlight, self.fields.abstract_text)
                        .map_err(engine)?;
                g.set_max_num_chars(240);
                Some(g)
            }
            _ => None,
        };
        let mut hits = Vec::with_capacity(addresses.len());
        for (score, address) in addresses {
            let paper = self.load(&searcher, address)?;
            let snippet = generator.as_ref().and_then(|g| {
                let s = g.snippet(&paper.abstract_text);
                let text = s.fragment().to_string();
                (!text.is_empty()).then(|| Snippet {
                    highlights: s.highlighted().iter().map(|r| (r.start, r.end)).collect(),
                    text,
                })
            });
            let matches = match &words {
                Some(w) if q.explain => {
                    let name = |field| self.field_name(field);
                    super::score::explain(w, &searcher, address, name).map_err(engine)?
                }
                _ => Vec::new(),
            };
            hits.push(Hit {
                paper,
                score,
                snippet,
                address,
                matches,
                phrase: phrases.remove(&address),
            });
        }
        Ok(hits)
    }

    /// RM3: `words` expanded with the most likely terms of its top
    /// `feedback_docs` results (each result's terms weighted by its share of
    /// the results' scores), mixed with the original terms by
    /// `feedback_weight`.
    fn rm3_expand(
        &self,
        searcher: &Searcher,
        q: &SearchQuery,
        words: &Bm25fQuery,
    ) -> Result<Bm25fQuery, IndexError> {
        let engine = |e: tantivy::TantivyError| self.tantivy_err(e);
        let mut clauses = self.filter_clauses(q);
        clauses.push((Occur::Must, Box::new(words.clone())));
        let top = searcher
            .search(
                &BooleanQuery::new(clauses),
                &TopDocs::with_limit(q.scoring.feedback_docs).order_by_score(),
            )
            .map_err(engine)?;
        let total: f32 = top.iter().map(|(s, _)| s.max(0.0)).sum();
        if top.is_empty() || total <= 0.0 {
            return Ok(words.clone());
        }
        let mut model: std::collections::HashMap<String, f32> = std::collections::HashMap::new();
        for (score, address) in &top {
            let paper = self.load(searcher, *address)?;
            let terms =
                super::query_terms(&format!("{}\n{}", paper.title, paper.abstract_text), true);
            let len = terms.len().max(1) as f32;
            let share = score.max(0.0) / total;
            for t in terms {
                if t.len() < 2 || t.chars().all(|c| c.is_ascii_digit()) {
                    continue;
                }
                *model.entry(t).or_insert(0.0) += share / len;
            }
        }
        let mut expansion: Vec<(String, f32)> = model.into_iter().collect();
        expansion.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        expansion.truncate(q.scoring.feedback_terms);
        let exp_total: f32 = expansion.iter().map(|(_, w)| w).sum();
        let orig_total: f32 = words.terms().iter().map(|t| t.weight).sum();
        if exp_total <= 0.0 || orig_total <= 0.0 {
            return Ok(words.clone());
        }
        let alpha = q.scoring.feedback_weight.clamp(0.0, 1.0);
        // Weights stay on the scale of the original query (its total).
        let mut terms: Vec<QueryTerm> = words
            .terms()
            .iter()
            .map(|t| QueryTerm {
                text: t.text.clone(),
                weight: alpha * t.weight,
            })
            .collect();
        for (text, w) in expansion {
            let add = (1.0 - alpha) * orig_total * w / exp_total;
            match terms.iter_mut().find(|t| t.text == text) {
                Some(t) => t.weight += add,
                None => terms.push(QueryTerm { text, weight: add }),
            }
        }
        Ok(self.bm25f_query(terms, q.title_boost, &q.scoring))
    }
}

/// Best score first; ties in index order.
fn sort_hits(hits: &mut [(f32, DocAddress)]) {
    hits.sort_by(|x, y| {
        y.0.total_cmp(&x.0)
            .then_with(|| (x.1.segment_ord, x.1.doc_id).cmp(&(y.1.segment_ord, y.1.doc_id)))
    });
}

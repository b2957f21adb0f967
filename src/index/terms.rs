//! The analysed terms of stored papers: a paper's profile stems and their
//! spellings, document frequencies, and the papers first seen since a
//! cursor (for `export --since-cursor`). What the learned profile is made
//! of; training it is the engine's (`engine/feedback.rs`).

use std::collections::HashMap;
use std::ops::Bound;

use tantivy::collector::DocSetCollector;
use tantivy::query::RangeQuery;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{DocAddress, Term};

use super::{Index, IndexError, schema, to_datetime};
use crate::paper::Paper;

/// The stems the profile sees for a paper: its title (twice: a title word
/// says more than an abstract word) and its abstract.
pub fn profile_terms(paper: &Paper) -> Vec<String> {
    Terms::new().of(paper)
}

/// [`profile_terms`] for many papers, with one analyzer (whose word cache
/// then serves them all): for scoring a list of candidates.
pub struct Terms(TextAnalyzer);

impl Default for Terms {
    fn default() -> Self {
        Terms::new()
    }
}

impl Terms {
    /// A new analyzer.
    pub fn new() -> Terms {
        Terms(schema::english())
    }

    /// The profile stems of `paper` (as [`profile_terms`]).
    pub fn of(&mut self, paper: &Paper) -> Vec<String> {
        let mut out = Vec::new();
        for text in [&paper.title, &paper.title, &paper.abstract_text] {
            let mut stream = self.0.token_stream(text);
            while stream.advance() {
                out.push(stream.token().text.clone());
            }
        }
        out
    }

    /// Counts how each stem of `paper`'s title and abstract is spelled
    /// there, lowercased (`multilingual` and `multilinguality` for
    /// `multilingu`), into `counts`.
    pub fn count_spellings(
        &mut self,
        paper: &Paper,
        counts: &mut HashMap<String, HashMap<String, u32>>,
    ) {
        for text in [&paper.title, &paper.abstract_text] {
            let mut stream = self.0.token_stream(text);
            while stream.advance() {
                let t = stream.token();
                let Some(surface) = text.get(t.offset_from..t.offset_to) else {
                    continue;
                };
                *counts
                    .entry(t.text.clone())
                    .or_default()
                    .entry(surface.to_lowercase())
                    .or_insert(0) += 1;
            }
        }
    }
}

impl Index {
    /// The word a reader would recognise for each stem of the papers
    /// `ids` (the marked ones): its most frequent spelling in their titles
    /// and abstracts (ties: the shorter, then the first alphabetically).
    /// Stems these papers do not have are left out.
    ///
    /// # Errors
    /// An index failure.
    pub fn spellings<'a>(
        &self,
        ids: impl IntoIterator<Item = &'a str>,
    ) -> Result<HashMap<String, String>, IndexError> {
        let mut analyzer = Terms::new();
        let mut counts = HashMap::new();
        for id in ids {
            if let Some(p) = self.get(id)? {
                analyzer.count_spellings(&p, &mut counts);
            }
        }
        Ok(counts
            .into_iter()
            .filter_map(|(stem, forms)| {
                let best = forms
                    .into_iter()
                    .max_by(|a, b| {
                        (a.1, std::cmp::Reverse(a.0.len()), std::cmp::Reverse(&a.0)).cmp(&(
                            b.1,
                            std::cmp::Reverse(b.0.len()),
                            std::cmp::Reverse(&b.0),
                        ))
                    })?
                    .0;
                Some((stem, best))
            })
            .collect())
    }

    /// A stored paper (any id form `show` takes) with its analysed terms
    /// ([`profile_terms`]); `None` when no paper has that id.
    ///
    /// # Errors
    /// An index failure.
    pub fn paper_terms(&self, id: &str) -> Result<Option<(Paper, Vec<String>)>, IndexError> {
        Ok(self.get(id)?.map(|p| {
            let terms = profile_terms(&p);
            (p, terms)
        }))
    }

    /// How many papers have `stem` in their title or abstract (the larger
    /// of the two fields' counts: a close lower bound of the union).
    pub fn text_doc_freq(&self, stem: &str) -> u64 {
        self.text_doc_freq_in(&self.searcher(), stem)
    }

    pub(crate) fn text_doc_freq_in(&self, searcher: &tantivy::Searcher, stem: &str) -> u64 {
        let f = self.fields;
        [f.title, f.abstract_text]
            .into_iter()
            .map(|field| {
                searcher
                    .doc_freq(&Term::from_field_text(field, stem))
                    .unwrap_or(0)
            })
            .max()
            .unwrap_or(0)
    }

    /// Document frequencies of `stems` ([`Index::text_doc_freq`]).
    pub fn doc_freqs<'a>(&self, stems: impl IntoIterator<Item = &'a str>) -> HashMap<String, u64> {
        let searcher = self.searcher();
        let mut out = HashMap::new();
        for s in stems {
            if !out.contains_key(s) {
                out.insert(s.to_string(), self.text_doc_freq_in(&searcher, s));
            }
        }
        out
    }

    /// The earliest `first_seen` of any paper (`None`: an empty index),
    /// from the fast field's per-segment bounds, without reading papers.
    pub fn first_seen_min(&self) -> Option<jiff::Timestamp> {
        self.searcher()
            .segment_readers()
            .iter()
            .filter(|seg| seg.num_docs() > 0)
            .filter_map(|seg| seg.fast_fields().date(schema::FIRST_SEEN).ok())
            .map(|col| col.min_value())
            .min()
            .and_then(|d| jiff::Timestamp::from_second(d.into_timestamp_secs()).ok())
    }

    /// Every paper first seen at or after `since` (all when `None`),
    /// ordered by `first_seen`, then id.
    ///
    /// # Errors
    /// An index failure.
    pub fn first_seen_since(
        &self,
        since: Option<jiff::Timestamp>,
    ) -> Result<Vec<Paper>, IndexError> {
        let searcher = self.searcher();
        let f = self.fields;
        // (tantivy needs one bound; every stored paper has a first_seen.)
        let since = since.unwrap_or(jiff::Timestamp::MIN);
        let lower = Bound::Included(Term::from_field_date(f.first_seen, to_datetime(since)));
        let query = RangeQuery::new(lower, Bound::Unbounded);
        let mut addresses: Vec<DocAddress> = searcher
            .search(&query, &DocSetCollector)
            .map_err(|e| self.tantivy_err(e))?
            .into_iter()
            .collect();
        addresses.sort();
        let mut papers = self.load_all(&searcher, &addresses)?;
        papers.sort_by(|a, b| (a.first_seen, &a.id).cmp(&(b.first_seen, &b.id)));
        Ok(papers)
    }
}

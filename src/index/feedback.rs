//! What the reader's feedback needs from the index: a paper's analysed
//! terms, document frequencies (for the learned profile), and the papers
//! first seen since a cursor (for `export --since-cursor`).

use std::collections::HashMap;
use std::ops::Bound;

use tantivy::collector::DocSetCollector;
use tantivy::query::RangeQuery;
use tantivy::{DocAddress, Term};

use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use super::{Index, IndexError, schema, to_datetime};
use crate::marks::{Marks, Mute};
use crate::paper::Paper;
use crate::profile::{Example, Profile};
use crate::rank::Ranked;

/// How many liked papers a result's *Why* names.
pub const NEIGHBOURS: usize = 2;

/// The reader's feedback as the ranking uses it: the marks (for mutes) and
/// the profile trained from their likes and dislikes, once per command.
#[derive(Clone, Debug, Default)]
pub struct Feedback {
    /// Every mark and mute.
    pub marks: Marks,
    /// The profile learned from the likes and dislikes (empty without).
    pub profile: Profile,
}

impl Feedback {
    /// No feedback: nothing muted, an empty profile.
    pub fn none() -> Feedback {
        Feedback::default()
    }

    /// Loads the marks of `data` and trains the profile on `index`.
    ///
    /// # Errors
    /// An unreadable marks file, or an index failure.
    pub fn load(index: &Index, data: &crate::state::DataDir) -> crate::error::Result<Feedback> {
        let marks = Marks::load(data)?;
        let profile = if marks.liked().next().is_some() || marks.disliked().next().is_some() {
            index.train_profile(&marks)?
        } else {
            Profile::default()
        };
        Ok(Feedback { marks, profile })
    }

    /// The mute in force at `now` that removes `paper`, if any.
    pub fn mute_for(&self, paper: &Paper, now: jiff::Timestamp) -> Option<&Mute> {
        self.marks.mute_for(paper, now)
    }

    /// Whether any mute is in force at `now`.
    pub fn mutes_at(&self, now: jiff::Timestamp) -> bool {
        self.marks.active_mutes(now).next().is_some()
    }

    /// Names, in each result's *Why*, the liked papers it is closest to
    /// (`like: *Paper A*, *Paper B*`), for results the profile lifts by at
    /// least [`crate::rank::PROFILE_NAMED`]. Call
    /// it for the results shown only: it analyses each abstract.
    pub fn name_neighbours<'a>(&self, results: impl IntoIterator<Item = &'a mut Ranked>) {
        if self.profile.is_empty() {
            return;
        }
        let mut terms = Terms::new();
        for r in results {
            if r.score
                .part(crate::rank::PartName::Profile)
                .is_none_or(|p| p.value < crate::rank::PROFILE_NAMED)
            {
                continue;
            }
            let near: Vec<String> = self
                .profile
                .neighbours(&terms.of(&r.paper), NEIGHBOURS)
                .into_iter()
                .filter(|(id, _, _)| *id != r.paper.id)
                .map(|(_, title, _)| crate::sanitize::sanitize_line(&title))
                .collect();
            r.why = crate::rank::with_neighbours(&r.why, &near);
            if let Some(p) = r
                .score
                .parts
                .iter_mut()
                .find(|p| p.name == crate::rank::PartName::Profile)
                && !near.is_empty()
            {
                p.detail
                    .push(format!("closest liked papers: {}", near.join("; ")));
            }
        }
    }
}

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
    /// The word a reader would recognise for each stem of the marked
    /// papers: its most frequent spelling in their titles and abstracts
    /// (ties: the shorter, then the first alphabetically). Stems the marked
    /// papers do not have are left out.
    ///
    /// # Errors
    /// An index failure.
    pub fn spellings(&self, marks: &Marks) -> Result<HashMap<String, String>, IndexError> {
        let mut analyzer = Terms::new();
        let mut counts = HashMap::new();
        for m in marks.liked().chain(marks.disliked()) {
            if let Some(p) = self.get(&m.id)? {
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

    fn text_doc_freq_in(&self, searcher: &tantivy::Searcher, stem: &str) -> u64 {
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

    /// Trains the reader's profile from `marks`: the liked and disliked
    /// papers still in the index, with this index's document frequencies.
    ///
    /// # Errors
    /// An index failure.
    pub fn train_profile(&self, marks: &Marks) -> Result<Profile, IndexError> {
        let mut analyzer = Terms::new();
        let mut examples = |ids: Vec<&str>| -> Result<Vec<Example>, IndexError> {
            let mut out = Vec::new();
            for id in ids {
                if let Some(p) = self.get(id)? {
                    let terms = analyzer.of(&p);
                    out.push((p.id, p.title, terms));
                }
            }
            Ok(out)
        };
        let liked = examples(marks.liked().map(|m| m.id.as_str()).collect())?;
        let disliked = examples(marks.disliked().map(|m| m.id.as_str()).collect())?;
        let stems = liked
            .iter()
            .chain(&disliked)
            .flat_map(|(_, _, t)| t.iter().map(String::as_str));
        let df = self.doc_freqs(stems);
        Ok(Profile::train(
            &liked,
            &disliked,
            |s| df.get(s).copied().unwrap_or(0),
            self.count(),
        ))
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
            .map_err(|e| self.engine_err(&e))?
            .into_iter()
            .collect();
        addresses.sort();
        let mut papers = self.load_all(&searcher, &addresses)?;
        papers.sort_by(|a, b| (a.first_seen, &a.id).cmp(&(b.first_seen, &b.id)));
        Ok(papers)
    }
}

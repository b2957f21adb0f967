//! Queries: full-text search with filters and snippets, lookups by id, and a
//! full scan for export.

use std::ops::Bound;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, Searcher, Term};

use super::{Index, IndexError, to_datetime};
use crate::paper::{Paper, parse_arxiv_id};

/// How results are ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SortBy {
    /// BM25 relevance (title weighted above abstract).
    #[default]
    Relevance,
    /// Newest first (by the visible date, [`crate::paper::Paper::visible_date`]).
    Date,
    /// The trending score of `top`, applied to the query's matches.
    Trend,
}

/// A search request.
#[derive(Clone, Debug, Default)]
pub struct SearchQuery {
    /// The user's query text (tantivy query syntax).
    pub text: String,
    /// Only papers dated at or after this.
    pub since: Option<jiff::Timestamp>,
    /// Only papers dated before this.
    pub until: Option<jiff::Timestamp>,
    /// Only papers in this category (case-insensitive).
    pub category: Option<String>,
    /// Only papers by an author whose name contains these words.
    pub author: Option<String>,
    /// How many results.
    pub limit: usize,
    /// Order.
    pub sort: SortBy,
    /// BM25 boost of title matches.
    pub title_boost: f32,
    /// Whether to build a highlighted abstract snippet per hit (what the CLI
    /// shows). Snippets re-analyse each hit's abstract, the largest per-hit
    /// cost of a search; library callers that only need ids skip them.
    pub snippets: bool,
}

/// A highlighted fragment of the abstract.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Snippet {
    /// The fragment text.
    pub text: String,
    /// Byte ranges of `text` that matched the query.
    #[serde(skip)]
    pub highlights: Vec<(usize, usize)>,
}

/// One search result.
#[derive(Clone, Debug)]
pub struct Hit {
    /// The paper.
    pub paper: Paper,
    /// The relevance score (or the date as seconds for `--sort date`).
    pub score: f32,
    /// A highlighted fragment of the abstract, when the query matched it.
    pub snippet: Option<Snippet>,
    /// Where the document is, for later scoring within the same searcher.
    pub address: DocAddress,
}

impl Index {
    /// Parses user query text into a query over title, abstract and keywords.
    ///
    /// # Errors
    /// [`IndexError::Query`] with tantivy's reason on a syntax error.
    pub fn parse_query(&self, text: &str, title_boost: f32) -> Result<Box<dyn Query>, IndexError> {
        let f = self.fields;
        let mut parser =
            QueryParser::for_index(&self.inner, vec![f.title, f.abstract_text, f.keywords]);
        parser.set_field_boost(f.title, title_boost);
        parser.set_field_boost(f.keywords, 0.5);
        parser.parse_query(text).map_err(|e| IndexError::Query {
            query: text.to_string(),
            reason: e.to_string(),
        })
    }

    /// The filter part of a search (dates, category, author) as clauses.
    pub fn filter_clauses(&self, q: &SearchQuery) -> Vec<(Occur, Box<dyn Query>)> {
        let f = self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if q.since.is_some() || q.until.is_some() {
            let lower = q.since.map_or(Bound::Unbounded, |t| {
                Bound::Included(Term::from_field_date(f.date, to_datetime(t)))
            });
            let upper = q.until.map_or(Bound::Unbounded, |t| {
                Bound::Excluded(Term::from_field_date(f.date, to_datetime(t)))
            });
            clauses.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
        }
        if let Some(c) = &q.category {
            let term = Term::from_field_text(f.categories, &c.to_ascii_lowercase());
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            ));
        }
        if let Some(a) = &q.author {
            let words = super::schema::names();
            let terms: Vec<Term> = tokens(words, a)
                .into_iter()
                .map(|t| Term::from_field_text(f.authors, &t))
                .collect();
            let query: Box<dyn Query> = match terms.len() {
                0 => Box::new(tantivy::query::EmptyQuery),
                1 => Box::new(TermQuery::new(terms[0].clone(), IndexRecordOption::Basic)),
                _ => Box::new(PhraseQuery::new(terms)),
            };
            clauses.push((Occur::Must, query));
        }
        clauses
    }

    /// Runs a search and loads the matching records.
    ///
    /// # Errors
    /// On a query syntax error or an index failure.
    pub fn search(&self, q: &SearchQuery) -> Result<Vec<Hit>, IndexError> {
        let searcher = self.searcher();
        let text_query = if q.text.trim().is_empty() {
            None
        } else {
            Some(self.parse_query(&q.text, q.title_boost)?)
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
        let engine = |e: tantivy::TantivyError| self.engine_err(&e);
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
                .search(&query, &TopDocs::with_limit(limit).order_by_score())
                .map_err(engine)?,
        };
        let generator = match &text_query {
            Some(t) if q.snippets => {
                let mut g = SnippetGenerator::create(&searcher, &**t, self.fields.abstract_text)
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
            hits.push(Hit {
                paper,
                score,
                snippet,
                address,
            });
        }
        Ok(hits)
    }

    /// Counts the papers a query matches (no loading).
    ///
    /// # Errors
    /// On an index failure.
    pub fn count_matches(&self, query: &dyn Query) -> Result<usize, IndexError> {
        self.searcher()
            .search(query, &Count)
            .map_err(|e| self.engine_err(&e))
    }

    /// Finds one paper by id (`arxiv:2401.01234`, `2401.01234v2`, a source
    /// id such as `scifact:4983`, or `title:…`).
    ///
    /// # Errors
    /// On an index failure; `Ok(None)` when no paper has that id.
    pub fn get(&self, id: &str) -> Result<Option<Paper>, IndexError> {
        let searcher = self.searcher();
        let f = self.fields;
        let id = id.trim();
        // A paper with an arXiv id has the id `arxiv:<id>` (`Paper::assign_id`).
        let mut terms = vec![Term::from_field_text(f.id, id)];
        if let Some(a) = parse_arxiv_id(id).map(|a| format!("arxiv:{a}"))
            && a != id
        {
            terms.push(Term::from_field_text(f.id, &a));
        }
        for term in terms {
            if let Some(addr) = super::writer::find_term(self, &searcher, &term)? {
                return self.load(&searcher, addr).map(Some);
            }
        }
        Ok(None)
    }

    /// Calls `each` for every paper in the index, in index order.
    ///
    /// # Errors
    /// On an index failure, or when `each` fails.
    pub fn for_each(
        &self,
        mut each: impl FnMut(Paper) -> Result<(), crate::error::Error>,
    ) -> Result<(), crate::error::Error> {
        let searcher = self.searcher();
        for (ord, seg) in searcher.segment_readers().iter().enumerate() {
            let seg_ord = u32::try_from(ord).unwrap_or(u32::MAX);
            for doc in seg.doc_ids_alive() {
                let paper = self.load(&searcher, DocAddress::new(seg_ord, doc))?;
                each(paper)?;
            }
        }
        Ok(())
    }

    /// Loads the records at `addresses` from `searcher`.
    ///
    /// # Errors
    /// On an index failure.
    pub fn load_all(
        &self,
        searcher: &Searcher,
        addresses: &[DocAddress],
    ) -> Result<Vec<Paper>, IndexError> {
        addresses.iter().map(|a| self.load(searcher, *a)).collect()
    }
}

fn tokens(mut analyzer: tantivy::tokenizer::TextAnalyzer, text: &str) -> Vec<String> {
    use tantivy::tokenizer::TokenStream;
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

impl Index {
    /// Whether any paper in the index has a category (Hugging Face
    /// listings carry none), so `search --category` can say why nothing
    /// matched.
    ///
    /// # Errors
    /// On an index failure.
    pub fn has_categories(&self) -> Result<bool, IndexError> {
        for seg in self.searcher().segment_readers() {
            let inverted = seg
                .inverted_index(self.fields.categories)
                .map_err(|e| self.engine_err(&e))?;
            if inverted.terms().num_terms() > 0 {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

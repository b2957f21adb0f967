//! Queries: full-text search with filters and snippets, lookups by id, and a
//! full scan for export.
//!
//! What a user types is read in one of two ways ([`Index::parse`]):
//! - **words** (anything without unmistakable syntax, and anything that does
//!   not parse as a query): the text's words, analysed like the index,
//!   hyphenated words whole ([`super::hyphen`]), without stop words that
//!   stand alone, scored with BM25F ([`super::score`]), the papers holding
//!   the words as a phrase first ([`super::phrase`]), optionally expanded
//!   with RM3 pseudo-relevance feedback; ranking is in `search.rs`;
//! - **syntax** (a `"quoted phrase"`, a leading `+` or `-`, `field:` for a field
//!   that exists, `AND`/`OR`): tantivy's query parser, a BM25 per field summed.
//!
//! Parentheses nest at most [`MAX_DEPTH`] deep (deeper input is refused
//! before any parser sees it: tantivy's grammar recurses per level).
//!
//! Why one long file: the search request, lookups by id and export share
//! the reading of queries and the decoding of stored records.

use std::ops::Bound;

use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

use super::phrase::PhraseMatch;
use super::score::{Bm25fParams, Bm25fQuery, QueryTerm, TermMatch};
use super::{Index, IndexError, to_datetime};
use crate::paper::{Paper, parse_arxiv_id};

/// How results are ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize)]
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

impl SortBy {
    /// Every order, in the order `--help` lists them.
    pub const ALL: [SortBy; 3] = [SortBy::Relevance, SortBy::Date, SortBy::Trend];

    /// The name on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            SortBy::Relevance => "relevance",
            SortBy::Date => "date",
            SortBy::Trend => "trend",
        }
    }

    /// What it is, in one line (`--help`).
    pub fn about(self) -> &'static str {
        match self {
            SortBy::Relevance => "BM25 relevance (title weighted above abstract)",
            SortBy::Date => "Newest first (by the day the paper became visible to you)",
            SortBy::Trend => "The trending score of `top`, applied to the query's matches",
        }
    }
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
    /// Weight of a title occurrence relative to an abstract one.
    pub title_boost: f32,
    /// How free text is scored.
    pub scoring: Scoring,
    /// Whether to list, per hit, the query terms that matched in which
    /// field and what each added to the score ([`Hit::matches`]).
    pub explain: bool,
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
    /// With [`SearchQuery::explain`] and a query searched as words: the
    /// terms that matched, per field, with their parts of the score.
    pub matches: Vec<TermMatch>,
    /// For a query searched as words whose phrase this paper holds: the
    /// phrase part of the score (the rest is `matches`, and the proximity
    /// bonus when it is on).
    pub phrase: Option<PhraseMatch>,
}

/// How free text is scored: the `[search]` keys of the config.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scoring {
    /// BM25F term-frequency saturation.
    pub k1: f32,
    /// BM25F length normalisation.
    pub b: f32,
    /// Whether English stop words are dropped from queries searched as words.
    pub stop_words: bool,
    /// RM3 feedback: how many top results expand the query (0: off).
    pub feedback_docs: usize,
    /// RM3 feedback: how many expansion terms are added.
    pub feedback_terms: usize,
    /// RM3 feedback: the weight of the original query (1: no expansion).
    pub feedback_weight: f32,
    /// Weight of the bonus for query-adjacent terms found near each other
    /// (0: off).
    pub proximity: f32,
    /// How many positions apart counts as near.
    pub proximity_window: u32,
    /// How many top results the proximity bonus reorders.
    pub proximity_depth: usize,
    /// N > 0: the top N (at least the limit) by a BM25 per field, summed
    /// (block-max WAND, fast), are reranked by BM25F. 0: BM25F ranks every
    /// match (MaxScore; exact, slower on large indexes).
    pub candidates: usize,
    /// Whether papers holding the query's words as a phrase rank first
    /// ([`super::phrase`]).
    pub phrase: bool,
    /// How a hyphenated query word is searched (an index of layout 1 has
    /// no compounds and always searches the parts).
    pub hyphenated: Hyphenated,
}

/// How a hyphenated query word ("in-context") is searched: the
/// `search.hyphenated` key. Whichever it is, papers holding the word's
/// parts in a row (and the query's other words with them) come first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Hyphenated {
    /// As its parts, stop words included (`in`, `context`): the default,
    /// best on SciFact train and on the title queries (docs/search.md).
    #[default]
    Parts,
    /// As its compound only (`incontext`).
    Compound,
    /// As its compound (which also finds the word written without
    /// hyphens, "finetuning") and its parts that are not stop words.
    Both,
}

/// The defaults of the `[search]` keys (config.example.toml documents them).
impl Default for Scoring {
    fn default() -> Self {
        Scoring {
            k1: 1.2,
            b: 0.75,
            stop_words: true,
            feedback_docs: 0,
            feedback_terms: 10,
            feedback_weight: 0.5,
            proximity: 0.0,
            proximity_window: 3,
            proximity_depth: 50,
            candidates: 30,
            phrase: true,
            hyphenated: Hyphenated::Parts,
        }
    }
}

/// The deepest parenthesis nesting a query may have.
pub const MAX_DEPTH: usize = 32;

/// Weight of a keywords occurrence relative to an abstract one.
const KEYWORDS_WEIGHT: f32 = 0.5;

/// A query as understood: what runs, and how the text was read.
pub struct Parsed {
    /// The query to run.
    pub query: Box<dyn Query>,
    /// The BM25F query when the text is searched as words.
    pub words: Option<Bm25fQuery>,
    /// Why the text is searched as words although it looks like syntax
    /// (for `-v`).
    pub note: Option<String>,
}

/// The fields a query may name (`title:`, `abstract:`, `keywords:`, `authors:`).
const QUERY_FIELDS: [&str; 4] = [
    super::schema::TITLE,
    super::schema::ABSTRACT,
    super::schema::KEYWORDS,
    super::schema::AUTHORS,
];

/// Whether `word` is `field:…` for a field a query may name.
fn is_field_prefix(word: &str) -> bool {
    word.split_once(':')
        .is_some_and(|(f, _)| QUERY_FIELDS.contains(&f.trim_start_matches(['+', '-', '('])))
}

/// Whether `text` holds unmistakable query syntax: a double quote, a word
/// starting with `+` or `-` followed by a letter, quote or parenthesis (not
/// a number: `+1 nucleosomes` is text),
/// `field:` for a field that exists, or a standalone `AND`/`OR`.
pub fn has_syntax(text: &str) -> bool {
    text.contains('"')
        || text.split_whitespace().any(|w| {
            let mut chars = w.chars();
            let lead = chars.next();
            let next = chars.next();
            (matches!(lead, Some('+' | '-'))
                && next.is_some_and(|c| c.is_alphabetic() || c == '"' || c == '('))
                || w == "AND"
                || w == "OR"
                || is_field_prefix(w)
        })
}

/// The deepest parenthesis nesting in `text` (outside double quotes).
fn depth(text: &str) -> usize {
    let (mut d, mut max, mut quoted) = (0usize, 0usize, false);
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => {
                d += 1;
                max = max.max(d);
            }
            ')' if !quoted => d = d.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Syntax text with what is not syntax made plain: outside quotes, an
/// apostrophe becomes a space and so does the colon of a word that is not a
/// field (`proteins: UreD` is two words).
fn plain_outside_quotes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quoted = false;
    let mut word = String::new();
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\'' if !quoted => {
                out.push(' ');
                word.clear();
                continue;
            }
            ':' if !quoted && !QUERY_FIELDS.contains(&word.trim_start_matches(['+', '-', '('])) => {
                out.push(' ');
                word.clear();
                continue;
            }
            _ => {}
        }
        if c.is_whitespace() {
            word.clear();
        } else {
            word.push(c);
        }
        out.push(c);
    }
    out
}

impl Index {
    /// Parses user query text into a query over title, abstract and keywords
    /// with the default scoring (see [`Index::parse`]).
    ///
    /// # Errors
    /// [`IndexError::Query`] when parentheses nest too deep.
    pub fn parse_query(&self, text: &str, title_boost: f32) -> Result<Box<dyn Query>, IndexError> {
        self.parse(text, title_boost, &Scoring::default())
            .map(|p| p.query)
    }

    /// Reads user query text: as syntax when it holds unmistakable syntax
    /// that parses, else as its words (module documentation).
    ///
    /// # Errors
    /// [`IndexError::Query`] when parentheses nest deeper than [`MAX_DEPTH`].
    pub fn parse(
        &self,
        text: &str,
        title_boost: f32,
        scoring: &Scoring,
    ) -> Result<Parsed, IndexError> {
        if depth(text) > MAX_DEPTH {
            return Err(IndexError::Query {
                query: text.chars().take(60).collect::<String>() + "…",
                reason: format!("parentheses nest more than {MAX_DEPTH} deep"),
            });
        }
        let f = self.fields;
        let mut note = None;
        if has_syntax(text) {
            let mut parser =
                QueryParser::for_index(&self.inner, vec![f.title, f.abstract_text, f.keywords]);
            parser.set_field_boost(f.title, title_boost);
            parser.set_field_boost(f.keywords, KEYWORDS_WEIGHT);
            match parser.parse_query(&plain_outside_quotes(text)) {
                Ok(query) => {
                    return Ok(Parsed {
                        query,
                        words: None,
                        note: None,
                    });
                }
                Err(e) => {
                    note = Some(format!(
                        "the query is not valid query syntax ({e}); searched as its words"
                    ));
                }
            }
        }
        let words = self.words_query(text, title_boost, scoring);
        Ok(Parsed {
            query: Box::new(words.clone()),
            words: Some(words),
            note,
        })
    }

    /// The BM25F query of `text`'s words, each distinct term of weight 1,
    /// with the words as its phrase ([`super::phrase`]). A hyphenated word
    /// is searched as `scoring.hyphenated` says (its parts, stop words
    /// included: "in-context" is never "context"; on an index of layout 1,
    /// which has no compounds, always so); English stop words standing
    /// alone are dropped when `scoring.stop_words` is set, unless nothing
    /// else is left.
    pub fn words_query(&self, text: &str, title_boost: f32, scoring: &Scoring) -> Bm25fQuery {
        let words = query_words(text);
        let hyphenated = if self.layout() >= 2 {
            scoring.hyphenated
        } else {
            Hyphenated::Parts
        };
        let drop_stop = scoring.stop_words && words.iter().any(|w| !w.stop);
        let mut counts: Vec<QueryTerm> = Vec::new();
        let mut pairs = Vec::new();
        let mut last: Option<usize> = None;
        let mut phrase = Vec::new();
        for w in &words {
            phrase.extend(w.parts.iter().cloned());
            if drop_stop && w.stop {
                continue;
            }
            let terms: Vec<&String> = match (&w.compound, hyphenated) {
                (Some(c), Hyphenated::Compound) => vec![c],
                (Some(c), Hyphenated::Both) => std::iter::once(c)
                    .chain(w.parts.iter().filter(|p| !super::is_stop_word(p)))
                    .collect(),
                _ => w.parts.iter().collect(),
            };
            for t in terms {
                // A word repeated in the query counts once (better than a
                // weight per occurrence on the SciFact train split).
                let i = match counts.iter().position(|q| q.text == *t) {
                    Some(i) => i,
                    None => {
                        counts.push(QueryTerm {
                            text: t.clone(),
                            weight: 1.0,
                        });
                        counts.len() - 1
                    }
                };
                if let Some(l) = last
                    && l != i
                    && !pairs.contains(&(l, i))
                {
                    pairs.push((l, i));
                }
                last = Some(i);
            }
        }
        self.bm25f_query(counts, title_boost, scoring)
            .with_pairs(pairs)
            .with_phrase(if scoring.phrase { phrase } else { Vec::new() })
    }

    /// A BM25F query for `terms` over title, abstract and keywords.
    pub fn bm25f_query(
        &self,
        terms: Vec<QueryTerm>,
        title_boost: f32,
        scoring: &Scoring,
    ) -> Bm25fQuery {
        let f = self.fields;
        Bm25fQuery::new(
            terms,
            &[
                (f.title, title_boost),
                (f.abstract_text, 1.0),
                (f.keywords, KEYWORDS_WEIGHT),
            ],
            Bm25fParams {
                k1: scoring.k1,
                b: scoring.b,
            },
        )
    }

    /// Papers holding `words` (analysed, at least two) as a phrase in the
    /// title or the abstract.
    pub(super) fn phrase_query(&self, words: &[String]) -> Box<dyn Query> {
        let f = self.fields;
        let clauses: Vec<(Occur, Box<dyn Query>)> = [f.title, f.abstract_text]
            .into_iter()
            .map(|field| {
                let terms = words
                    .iter()
                    .map(|w| Term::from_field_text(field, w))
                    .collect();
                let q: Box<dyn Query> = Box::new(PhraseQuery::new(terms));
                (Occur::Should, q)
            })
            .collect();
        Box::new(BooleanQuery::new(clauses))
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

    /// The schema name of `field` (`title`, `abstract`, …).
    pub(super) fn field_name(&self, field: tantivy::schema::Field) -> String {
        self.inner.schema().get_field_name(field).to_string()
    }

    /// Counts the papers a query matches (no loading).
    ///
    /// # Errors
    /// On an index failure.
    pub fn count_matches(&self, query: &dyn Query) -> Result<usize, IndexError> {
        self.searcher()
            .search(query, &Count)
            .map_err(|e| self.tantivy_err(e))
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
                .map_err(|e| self.tantivy_err(e))?;
            if inverted.terms().num_terms() > 0 {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// One word of a query as typed: a plain word or a hyphenated one.
#[derive(Clone, Debug, PartialEq)]
pub struct QueryWord {
    /// Its analysed parts (one for a plain word), stop words included.
    pub parts: Vec<String>,
    /// For a hyphenated word, the compound the index holds beside the parts.
    pub compound: Option<String>,
    /// Whether it is a plain English stop word (`the`, `of`, `in`, …).
    pub stop: bool,
}

/// The words of query `text` (module documentation): analysed like titles
/// and abstracts, hyphenated words kept together with their compound.
pub fn query_words(text: &str) -> Vec<QueryWord> {
    let mut words = super::schema::english();
    let mut kept = super::schema::english_query();
    let mut tokens = Vec::new();
    let mut stream = words.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        tokens.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
    }
    let mut not_stop = Vec::new();
    let mut stream = kept.token_stream(text);
    while stream.advance() {
        not_stop.push(stream.token().position);
    }
    let mut normalize = super::schema::english();
    let mut out: Vec<QueryWord> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let mut j = i + 1;
        while j < tokens.len()
            && super::hyphen::is_hyphen(text.get(tokens[j - 1].2..tokens[j].1).unwrap_or(""))
        {
            j += 1;
        }
        let parts: Vec<String> = tokens[i..j].iter().map(|t| t.0.clone()).collect();
        let compound = (j - i > 1)
            .then(|| {
                let raw = super::hyphen::joined(&text[tokens[i].1..tokens[j - 1].2]);
                let mut s = normalize.token_stream(&raw);
                s.advance().then(|| s.token().text.clone())
            })
            .flatten();
        out.push(QueryWord {
            stop: j - i == 1 && !not_stop.contains(&tokens[i].3),
            parts,
            compound,
        });
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{depth, has_syntax, plain_outside_quotes, query_words};

    #[test]
    fn only_unmistakable_syntax_is_syntax() {
        for text in [
            "\"in-context learning\"",
            "+transformer",
            "bert -survey",
            "-(a b)",
            "title:bert",
            "abstract:x",
            "a AND b",
            "a OR b",
        ] {
            assert!(has_syntax(text), "{text:?}");
        }
        for text in [
            "The minor G allele of FOXO3 is related to Crohn's Disease.",
            "Pyridostatin destabilizes the G - quadruplex",
            "proteins : UreD/UreH",
            "alpha (+)- thalassemia",
            "by stabilizing +1 nucleosomes",
            "nosuchfield:x",
            "host animals' neurons",
            "a and b or c",
        ] {
            assert!(!has_syntax(text), "{text:?}");
        }
    }

    #[test]
    fn depth_ignores_quoted_parentheses() {
        assert_eq!(depth("a (b (c)) d"), 2);
        assert_eq!(depth("\"((((\" x"), 0);
        assert_eq!(depth(")))("), 1);
        assert_eq!(depth(&"(".repeat(10_000)), 10_000);
    }

    #[test]
    fn non_syntax_colons_and_apostrophes_become_spaces() {
        assert_eq!(
            plain_outside_quotes("title:x note: \"a:b's\" Crohn's"),
            "title:x note  \"a:b's\" Crohn s"
        );
        assert_eq!(plain_outside_quotes("+abstract:(x)"), "+abstract:(x)");
    }

    #[test]
    fn query_words_keep_hyphenated_words_and_mark_stop_words() {
        let w = query_words("The in-context learning of vision-language models");
        let summary: Vec<(Vec<&str>, Option<&str>, bool)> = w
            .iter()
            .map(|w| {
                (
                    w.parts.iter().map(String::as_str).collect(),
                    w.compound.as_deref(),
                    w.stop,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (vec!["the"], None, true),
                (vec!["in", "context"], Some("incontext"), false),
                (vec!["learn"], None, false),
                (vec!["of"], None, true),
                (vec!["vision", "languag"], Some("visionlanguag"), false),
                (vec!["model"], None, false),
            ]
        );
    }
}

//! Field names, analyzers and the schema version of the on-disk index.
//!
//! Field names are spelled like the JSON record's fields. The whole record is
//! stored once, as JSON, in `record`; the other fields exist to be searched,
//! filtered or scored.

use tantivy::schema::{
    BytesOptions, DateOptions, DateTimePrecision, FAST, Field, INDEXED, IndexRecordOption, STORED,
    STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, TextAnalyzerBuilder, Tokenizer,
};

use super::hyphen::Compounds;
use super::memo::{self, MemoWords};

/// Version of the index layout this build writes. 2: titles, abstracts and
/// keywords also hold the compound of each hyphenated word
/// ([`super::hyphen`]). An index of another version is refused, except
/// layout 1 ([`OLDEST_INDEX_VERSION`]).
pub const INDEX_VERSION: u32 = 2;

/// The oldest layout still opened. Layout 1 lacks compounds: search then
/// asks for a hyphenated word's parts instead (its phrase still ranks
/// first), and papers ingested into it get compounds too.
pub const OLDEST_INDEX_VERSION: u32 = 1;

/// Stable identity (`arxiv:…`, `title:…`, any source id). Raw, the upsert key.
pub const ID: &str = "id";
/// arXiv id without version. Raw. Not written: a paper with an arXiv id
/// has the id `arxiv:<id>`, so this term would only repeat `id` (one more
/// unique term per paper to index and merge). Kept in the schema so that
/// indexes of layout 1 that have it keep opening.
pub const ARXIV_ID: &str = "arxiv_id";
/// Hash of the normalised title (dedupe across sources). Raw.
pub const TITLE_KEY: &str = "title_key";
/// Title, stemmed English, with positions.
pub const TITLE: &str = "title";
/// Abstract, stemmed English, with positions.
pub const ABSTRACT: &str = "abstract";
/// Source keywords, stemmed English.
pub const KEYWORDS: &str = "keywords";
/// Author names, lowercased and ASCII-folded, not stemmed.
pub const AUTHORS: &str = "authors";
/// Categories, lowercased, raw (multi-valued).
pub const CATEGORIES: &str = "categories";
/// The visible date ([`crate::paper::Paper::visible_date`]): the date ages,
/// windows and trends use.
pub const DATE: &str = "date";
/// When this index first saw the paper.
pub const FIRST_SEEN: &str = "first_seen";
/// Upvotes (0 when unknown).
pub const UPVOTES: &str = "upvotes";
/// Comments (0 when unknown).
pub const COMMENTS: &str = "comments";
/// GitHub stars (0 when unknown).
pub const STARS: &str = "github_stars";
/// 1 when the paper ships code.
pub const HAS_CODE: &str = "has_code";
/// Fingerprints of every input record merged into this paper (multi-valued);
/// re-ingesting a known input is detected with one term lookup.
pub const INPUT_FP: &str = "input_fp";
/// The record as JSON.
pub const RECORD: &str = "record";

/// Name of the English analyzer: words, lowercase, ASCII folding, stemming.
pub const EN: &str = "pt_en";
/// Name of the name analyzer: words, lowercase, ASCII folding.
pub const NAMES: &str = "pt_names";

/// Resolved field handles.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// See [`ID`].
    pub id: Field,
    /// See [`ARXIV_ID`].
    pub arxiv_id: Field,
    /// See [`TITLE_KEY`].
    pub title_key: Field,
    /// See [`TITLE`].
    pub title: Field,
    /// See [`ABSTRACT`].
    pub abstract_text: Field,
    /// See [`KEYWORDS`].
    pub keywords: Field,
    /// See [`AUTHORS`].
    pub authors: Field,
    /// See [`CATEGORIES`].
    pub categories: Field,
    /// See [`DATE`].
    pub date: Field,
    /// See [`FIRST_SEEN`].
    pub first_seen: Field,
    /// See [`UPVOTES`].
    pub upvotes: Field,
    /// See [`COMMENTS`].
    pub comments: Field,
    /// See [`STARS`].
    pub stars: Field,
    /// See [`HAS_CODE`].
    pub has_code: Field,
    /// See [`INPUT_FP`].
    pub input_fp: Field,
    /// See [`RECORD`].
    pub record: Field,
}

/// Builds the schema and its field handles.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let date = DateOptions::from(INDEXED)
        .set_fast()
        .set_precision(DateTimePrecision::Seconds);
    let fields = Fields {
        id: b.add_text_field(ID, STRING),
        arxiv_id: b.add_text_field(ARXIV_ID, STRING),
        title_key: b.add_text_field(TITLE_KEY, STRING),
        title: b.add_text_field(TITLE, text(EN)),
        abstract_text: b.add_text_field(ABSTRACT, text(EN)),
        keywords: b.add_text_field(KEYWORDS, text(EN)),
        authors: b.add_text_field(AUTHORS, text(NAMES)),
        categories: b.add_text_field(CATEGORIES, STRING),
        date: b.add_date_field(DATE, date.clone()),
        first_seen: b.add_date_field(FIRST_SEEN, date),
        upvotes: b.add_u64_field(UPVOTES, FAST),
        comments: b.add_u64_field(COMMENTS, FAST),
        stars: b.add_u64_field(STARS, FAST),
        has_code: b.add_u64_field(HAS_CODE, FAST),
        input_fp: b.add_u64_field(INPUT_FP, INDEXED | STORED),
        record: b.add_bytes_field(RECORD, BytesOptions::default().set_stored()),
    };
    (b.build(), fields)
}

/// Words of this many bytes or more are not indexed (nor searched).
const MAX_WORD: usize = 40;

/// The English analyzer of interests, mutes, topics and query words (the
/// index adds compounds, [`english_index`]):
/// words of under 40 bytes, lowercased, ASCII-folded and stemmed,
/// with each distinct word normalised once per analyzer ([`MemoWords`]).
pub fn english() -> TextAnalyzer {
    TextAnalyzer::from(MemoWords::new(english_word, MAX_WORD, memo::CAPACITY))
}

/// The analyzer of titles, abstracts and keywords in the index ([`EN`]):
/// [`english`], plus the compound of each hyphenated word after its parts
/// (`in-context` → `in`, `context`, `incontext`; see [`super::hyphen`]).
pub fn english_index() -> TextAnalyzer {
    TextAnalyzer::builder(MemoWords::new(english_word, MAX_WORD, memo::CAPACITY))
        .filter(Compounds::new(english_word, MAX_WORD))
        .build()
}

/// The English analyzer without English stop words, for query text: the
/// same terms as [`english`] for every other word.
pub fn english_query() -> TextAnalyzer {
    let words = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter);
    match StopWordFilter::new(Language::English) {
        Some(stop) => words
            .filter(stop)
            .filter(Stemmer::new(Language::English))
            .build(),
        None => words.filter(Stemmer::new(Language::English)).build(),
    }
}

/// The plain tantivy chain whose tokens [`english`] yields, stemming every
/// word: the reference for its tests and the bench (`bench analyze`).
pub fn english_reference() -> TextAnalyzer {
    english_word(
        TextAnalyzer::builder(SimpleTokenizer::default()).filter(RemoveLongFilter::limit(MAX_WORD)),
    )
}

/// What [`english`] does to each word.
fn english_word<T: Tokenizer>(words: TextAnalyzerBuilder<T>) -> TextAnalyzer {
    words
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The analyzer for author names.
pub fn names() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

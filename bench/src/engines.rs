//! The ingest loops measured side by side, each run in its own child process
//! so that its peak RSS is its own: raw serde_json parsing, a bare tantivy
//! loop, and SQLite FTS5.

use std::borrow::Cow;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::Deserialize;
use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};
use tantivy::{IndexWriter, TantivyDocument};

use papertrend::index::schema::{EN, NAMES, english, names};

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[derive(Deserialize)]
#[serde(transparent)]
pub struct Str<'a>(#[serde(borrow)] pub Cow<'a, str>);

/// The snapshot fields a search engine needs (others are skipped by serde).
#[derive(Deserialize)]
pub struct Rec<'a> {
    #[serde(borrow)]
    pub id: Str<'a>,
    #[serde(borrow, default)]
    pub title: Option<Str<'a>>,
    #[serde(borrow, default, rename = "abstract")]
    pub abstract_text: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub categories: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub versions: Option<Vec<Version<'a>>>,
    #[serde(borrow, default)]
    pub authors_parsed: Option<Vec<Vec<Option<Str<'a>>>>>,
}

#[derive(Deserialize)]
pub struct Version<'a> {
    #[serde(borrow, default)]
    pub created: Option<Str<'a>>,
}

fn text<'a>(s: &'a Option<Str<'_>>) -> &'a str {
    s.as_ref().map_or("", |s| &s.0)
}

/// Calls `each` with every non-blank line of `path`.
pub fn for_each_line(
    path: &Path,
    mut each: impl FnMut(&[u8]) -> Result<(), BoxError>,
) -> Result<(), BoxError> {
    let mut input = BufReader::with_capacity(1 << 16, std::fs::File::open(path)?);
    let mut buf = Vec::with_capacity(8192);
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf)? == 0 {
            return Ok(());
        }
        let line = buf.trim_ascii();
        if !line.is_empty() {
            each(line)?;
        }
    }
}

/// (c) Parse-only: the floor of any ingest. Returns the record count.
pub fn parse_only(corpus: &Path) -> Result<u64, BoxError> {
    let mut n = 0u64;
    let mut chars = 0usize;
    for_each_line(corpus, |line| {
        let r: Rec<'_> = serde_json::from_slice(line)?;
        chars += text(&r.title).len() + r.id.0.len();
        n += 1;
        Ok(())
    })?;
    std::hint::black_box(chars);
    Ok(n)
}

/// Field handles of the bare-tantivy index.
#[derive(Clone, Copy)]
pub struct BareFields {
    pub id: Field,
    pub title: Field,
    pub abstract_text: Field,
    pub authors: Field,
    pub categories: Field,
    pub date: Field,
}

/// The bare schema: papertrend's searchable fields with the same analyzers,
/// storing only id and title.
pub fn bare_schema() -> (Schema, BareFields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let fields = BareFields {
        id: b.add_text_field("id", STRING | STORED),
        title: b.add_text_field("title", text(EN).set_stored()),
        abstract_text: b.add_text_field("abstract", text(EN)),
        authors: b.add_text_field("authors", text(NAMES)),
        categories: b.add_text_field("categories", STRING),
        date: b.add_date_field(
            "date",
            DateOptions::from(INDEXED)
                .set_fast()
                .set_precision(DateTimePrecision::Seconds),
        ),
    };
    (b.build(), fields)
}

pub fn register(index: &tantivy::Index) {
    index.tokenizers().register(EN, english());
    index.tokenizers().register(NAMES, names());
}

/// The writer threads papertrend uses (`Index::session`).
pub fn writer_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4)
}

static RFC2822: jiff::fmt::rfc2822::DateTimeParser =
    jiff::fmt::rfc2822::DateTimeParser::new().relaxed_weekday(true);

/// What the bare loop writes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Bare {
    /// papertrend's schema, every field filled, the JSON line stored as the
    /// record: the same documents papertrend writes, without its dedupe,
    /// merging, cleaning and batched commits. The ingest baseline.
    Full,
    /// The searchable fields only, storing id and title: the search
    /// baseline (the lightest index tantivy can answer the queries from).
    Lean,
    /// `Full` without the stored record: what the doc store costs.
    NoRecord,
    /// `Full` without the two lookup keys papertrend adds to the id
    /// (`title_key`, `input_fp`): what the keys cost.
    NoKeys,
}

/// (a) Bare tantivy: parse, add, one commit. Returns the record count.
pub fn bare_tantivy(
    corpus: &Path,
    dir: &Path,
    memory_mb: usize,
    kind: Bare,
) -> Result<u64, BoxError> {
    use papertrend::index::schema;
    std::fs::create_dir_all(dir)?;
    let (lean_schema, lean) = bare_schema();
    let (full_schema, full) = schema::build();
    let index = tantivy::Index::create_in_dir(
        dir,
        match kind {
            Bare::Lean => lean_schema,
            Bare::Full | Bare::NoRecord | Bare::NoKeys => full_schema,
        },
    )?;
    let f = match kind {
        Bare::Full | Bare::NoRecord | Bare::NoKeys => BareFields {
            id: full.id,
            title: full.title,
            abstract_text: full.abstract_text,
            authors: full.authors,
            categories: full.categories,
            date: full.date,
        },
        Bare::Lean => lean,
    };
    register(&index);
    let threads = writer_threads();
    let mut writer: IndexWriter =
        index.writer_with_num_threads(threads, memory_mb.max(16 * threads) << 20)?;
    let first_seen = tantivy::DateTime::from_timestamp_secs(1_700_000_000);
    let mut n = 0u64;
    for_each_line(corpus, |line| {
        let r: Rec<'_> = serde_json::from_slice(line)?;
        let mut doc = TantivyDocument::default();
        let title = text(&r.title);
        if kind != Bare::Lean {
            doc.add_text(f.id, format!("arxiv:{}", r.id.0));
            // papertrend does not write `arxiv_id` (its `id` says it).
            if kind != Bare::NoKeys {
                doc.add_text(full.title_key, title.to_lowercase());
            }
        } else {
            doc.add_text(f.id, &r.id.0);
        }
        doc.add_text(f.title, title);
        doc.add_text(f.abstract_text, text(&r.abstract_text));
        for a in r.authors_parsed.iter().flatten() {
            let name = format!(
                "{} {}",
                a.get(1).map_or("", |s| text(s)),
                a.first().map_or("", |s| text(s))
            );
            doc.add_text(f.authors, name.trim());
        }
        for c in text(&r.categories).split_whitespace() {
            doc.add_text(f.categories, c.to_ascii_lowercase());
        }
        let created = r
            .versions
            .as_ref()
            .and_then(|v| v.first()?.created.as_ref());
        if let Some(ts) = created.and_then(|c| RFC2822.parse_timestamp(c.0.trim()).ok()) {
            doc.add_date(
                f.date,
                tantivy::DateTime::from_timestamp_secs(ts.as_second()),
            );
        }
        if kind != Bare::Lean {
            doc.add_date(full.first_seen, first_seen);
            for field in [full.upvotes, full.comments, full.stars, full.has_code] {
                doc.add_u64(field, 0);
            }
            if kind != Bare::NoKeys {
                doc.add_u64(full.input_fp, papertrend::paper::stable_hash(line));
            }
            if kind != Bare::NoRecord {
                doc.add_bytes(full.record, line);
            }
        }
        writer.add_document(doc)?;
        n += 1;
        Ok(())
    })?;
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(n)
}

/// (b) SQLite FTS5: the searchable text (title, abstract, authors,
/// categories), one transaction, porter stemming. Returns the record count.
pub fn sqlite_fts5(corpus: &Path, db: &Path) -> Result<u64, BoxError> {
    let _ = std::fs::remove_file(db);
    let mut conn = rusqlite::Connection::open(db)?;
    conn.execute_batch(
        "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
         CREATE VIRTUAL TABLE docs USING fts5(
             id UNINDEXED, title, abstract, authors, categories, tokenize='porter');",
    )?;
    let tx = conn.transaction()?;
    let mut n = 0u64;
    let mut authors = String::new();
    {
        let mut stmt = tx.prepare(
            "INSERT INTO docs (id, title, abstract, authors, categories) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for_each_line(corpus, |line| {
            let r: Rec<'_> = serde_json::from_slice(line)?;
            authors.clear();
            for a in r.authors_parsed.iter().flatten() {
                for part in [a.get(1), a.first()].into_iter().flatten() {
                    authors.push_str(text(part));
                    authors.push(' ');
                }
                authors.push_str("; ");
            }
            stmt.execute((
                &*r.id.0,
                text(&r.title),
                text(&r.abstract_text),
                authors.as_str(),
                text(&r.categories),
            ))?;
            n += 1;
            Ok(())
        })?;
    }
    tx.commit()?;
    Ok(n)
}

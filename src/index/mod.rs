//! The on-disk index. Only this module talks to tantivy.
//!
//! Guarantees:
//! - an interrupted ingest leaves the index as of its last commit (tantivy
//!   writes `meta.json` atomically); ingest commits every `batch_size` records;
//! - a second writer gets [`IndexError::Locked`] at once, never a corrupt index;
//!   readers never take the lock, so searches work while an ingest runs;
//! - an index written by another layout version is refused with
//!   [`IndexError::Version`], never silently misread.

pub mod hyphen;
pub mod memo;
pub mod phrase;
pub(crate) mod query;
pub mod reader;
pub mod repair;
pub mod sample;
pub mod schema;
pub mod score;
pub mod search;
pub mod similar;
pub mod terms;
pub mod writer;

use std::path::{Path, PathBuf};

use tantivy::directory::MmapDirectory;
use tantivy::schema::Value;
use tantivy::tokenizer::TokenStream;
use tantivy::{IndexReader, ReloadPolicy, Searcher, TantivyDocument};

use crate::paper::Paper;
pub use reader::{Hit, Hyphenated, Scoring, SearchQuery, SortBy};
pub use schema::Fields;
pub use writer::{Change, IngestStats, Session};

/// What failed inside the index engine ([`IndexError::Engine`]).
#[derive(Debug, thiserror::Error)]
pub enum EngineCause {
    /// tantivy's own error.
    #[error(transparent)]
    Tantivy(#[from] tantivy::TantivyError),
    /// A failure worded here (a corrupt record, a panicked merge thread,
    /// an I/O error around tantivy).
    #[error("{0}")]
    Other(String),
}

/// An index problem, worded for the user.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// Another process holds the writer lock.
    #[error("{path}: another papertrend process is writing this index")]
    Locked {
        /// The index folder.
        path: String,
    },
    /// No index exists yet.
    #[error("{path}: no index here yet")]
    Missing {
        /// The index folder.
        path: String,
    },
    /// The index was written by an incompatible version.
    #[error(
        "{path}: index layout version {found} is not supported (this papertrend reads \
         versions {oldest} to {expected})",
        oldest = schema::OLDEST_INDEX_VERSION
    )]
    Version {
        /// The index folder.
        path: String,
        /// The version found on disk.
        found: u32,
        /// The version this binary writes.
        expected: u32,
    },
    /// The index folder holds segment files but no usable `meta.json`
    /// (deleted, unreadable, or listing segments whose files are gone): the
    /// papers are on disk, tantivy cannot see them, and creating a new index
    /// there would delete them.
    #[error("{path}: the index is damaged: {reason}")]
    Damaged {
        /// The index folder.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// Any tantivy or I/O failure.
    #[error("{path}: {source}")]
    Engine {
        /// The index folder.
        path: String,
        /// What failed: tantivy's error, kept whole, or one worded here.
        #[source]
        source: EngineCause,
    },
    /// A query the user typed could not be understood.
    #[error("invalid query {query:?}: {reason}")]
    Query {
        /// The query text.
        query: String,
        /// What is wrong with it.
        reason: String,
    },
}

impl IndexError {
    /// A suggestion printed after the error.
    pub fn hint(&self) -> Option<String> {
        match self {
            IndexError::Locked { .. } => {
                Some("wait for the other ingest or run to finish, then try again".into())
            }
            IndexError::Missing { .. } => {
                Some("ingest something first: papertrend ingest FILE".into())
            }
            IndexError::Version { .. } => Some(
                "export with the papertrend that wrote it (papertrend export > papers.jsonl), \
                 move the data dir aside, and ingest the export"
                    .into(),
            ),
            IndexError::Query { .. } => Some(
                "parentheses only group query syntax; text that is not syntax is searched \
                 as its words, so they can be left out"
                    .into(),
            ),
            IndexError::Damaged { .. } => Some(
                "nothing was changed; `papertrend doctor` explains the damage and \
                 `papertrend doctor --repair` rebuilds the index from the segment files"
                    .into(),
            ),
            IndexError::Engine { .. } => None,
        }
    }
}

/// The index facade: schema, reader and analyzers.
pub struct Index {
    inner: tantivy::Index,
    pub(crate) fields: Fields,
    reader: IndexReader,
    dir: PathBuf,
    /// The layout version on disk (`schema::INDEX_VERSION` for a new index).
    layout: u32,
}

const META_FILE: &str = "papertrend-index.json";

impl Index {
    /// Opens the index in `dir`, creating it when `create` is true.
    ///
    /// # Errors
    /// [`IndexError::Missing`] when absent and not creating,
    /// [`IndexError::Version`] on a layout mismatch, else [`IndexError::Engine`].
    pub fn open(dir: &Path, create: bool) -> Result<Index, IndexError> {
        let path = dir.display().to_string();
        let engine = |e: &dyn std::fmt::Display| IndexError::Engine {
            path: path.clone(),
            source: EngineCause::Other(e.to_string()),
        };
        let tantivy = |e: tantivy::TantivyError| IndexError::Engine {
            path: path.clone(),
            source: EngineCause::Tantivy(e),
        };
        let meta = dir.join(META_FILE);
        // Before anything can create an index here: an index folder whose
        // tantivy `meta.json` is gone or does not match its segment files
        // is damaged, not empty (a new index would garbage-collect them).
        repair::check(dir).map_err(|reason| IndexError::Damaged {
            path: path.clone(),
            reason,
        })?;
        if !create && !dir.join(repair::TANTIVY_META).exists() {
            return Err(IndexError::Missing { path });
        }
        let mut layout = schema::INDEX_VERSION;
        if meta.exists() {
            let text = std::fs::read_to_string(&meta).map_err(|e| engine(&e))?;
            let found = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| v.get("index_version").and_then(serde_json::Value::as_u64))
                .and_then(|v| u32::try_from(v).ok())
                .unwrap_or(0);
            if !(schema::OLDEST_INDEX_VERSION..=schema::INDEX_VERSION).contains(&found) {
                return Err(IndexError::Version {
                    path,
                    found,
                    expected: schema::INDEX_VERSION,
                });
            }
            layout = found;
        } else if !create {
            return Err(IndexError::Missing { path });
        } else {
            std::fs::create_dir_all(dir).map_err(|e| engine(&e))?;
        }
        let (schema, fields) = schema::build();
        let mmap = MmapDirectory::open(dir).map_err(|e| engine(&e))?;
        let tolerant = Tolerant(mmap, dir.to_path_buf());
        let mut inner = tantivy::Index::open_or_create(tolerant, schema).map_err(|e| match e {
            tantivy::TantivyError::SchemaError(_) => IndexError::Version {
                path: path.clone(),
                found: 0,
                expected: schema::INDEX_VERSION,
            },
            other => tantivy(other),
        })?;
        if !meta.exists() {
            let body = format!("{{\"index_version\": {}}}\n", schema::INDEX_VERSION);
            crate::state::write_atomic(&meta, body.as_bytes()).map_err(|e| engine(&e))?;
        }
        // Search the segments of an index in parallel (a bulk import leaves
        // a few segments; see `writer::MERGE_MAX_BYTES`).
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        if threads > 1 {
            inner.set_multithread_executor(threads).map_err(tantivy)?;
        }
        inner
            .tokenizers()
            .register(schema::EN, schema::english_index());
        inner.tokenizers().register(schema::NAMES, schema::names());
        let reader = inner
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(tantivy)?;
        Ok(Index {
            inner,
            fields,
            reader,
            dir: dir.to_path_buf(),
            layout,
        })
    }

    /// The layout version of the index on disk: [`schema::INDEX_VERSION`],
    /// or 1 for an index without hyphen compounds.
    pub fn layout(&self) -> u32 {
        self.layout
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The opstamp of the last commit (0 when unreadable): what cached
    /// results derived from the papers are keyed by.
    pub fn opstamp(&self) -> u64 {
        self.inner
            .load_metas()
            .map(|m| m.opstamp)
            .unwrap_or_default()
    }

    /// Field handles.
    pub fn fields(&self) -> Fields {
        self.fields
    }

    /// A consistent snapshot for one command.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// How many papers the index holds.
    pub fn count(&self) -> u64 {
        self.searcher().num_docs()
    }

    /// Splits `text` into the stemmed terms the index uses for titles and
    /// abstracts (`"Distilling Transformers"` → `["distil", "transform"]`).
    pub fn analyze(&self, text: &str) -> Vec<String> {
        analyze(text)
    }

    /// A failure worded here, as an [`IndexError::Engine`] naming this index.
    fn engine_err(&self, e: &dyn std::fmt::Display) -> IndexError {
        IndexError::Engine {
            path: self.dir.display().to_string(),
            source: EngineCause::Other(e.to_string()),
        }
    }

    /// tantivy's error, kept as the source of an [`IndexError::Engine`].
    pub(crate) fn tantivy_err(&self, e: tantivy::TantivyError) -> IndexError {
        IndexError::Engine {
            path: self.dir.display().to_string(),
            source: EngineCause::Tantivy(e),
        }
    }

    /// Reads the stored record of a document.
    pub(crate) fn load(
        &self,
        searcher: &Searcher,
        addr: tantivy::DocAddress,
    ) -> Result<Paper, IndexError> {
        let doc: TantivyDocument = searcher.doc(addr).map_err(|e| self.tantivy_err(e))?;
        let bytes = doc
            .get_first(self.fields.record)
            .and_then(|v| v.as_bytes())
            .unwrap_or_default();
        serde_json::from_slice(bytes).map_err(|e| self.engine_err(&format!("corrupt record: {e}")))
    }
}

/// The index folder as tantivy sees it, except that a reader's lock on
/// `meta.json` that cannot be created (a read-only data directory, a folder
/// owned by another user) is done without: readers then still work, and only
/// writers (which take the writer lock, never excused) fail, with one line.
/// Every `meta.json` written is recorded ([`repair::record_commit`]), so a
/// `meta.json` put back from a backup is found on the next open.
#[derive(Clone, Debug)]
struct Tolerant(MmapDirectory, PathBuf);

impl tantivy::Directory for Tolerant {
    fn get_file_handle(
        &self,
        path: &Path,
    ) -> Result<
        std::sync::Arc<dyn tantivy::directory::FileHandle>,
        tantivy::directory::error::OpenReadError,
    > {
        self.0.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), tantivy::directory::error::DeleteError> {
        self.0.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, tantivy::directory::error::OpenReadError> {
        self.0.exists(path)
    }

    fn open_write(
        &self,
        path: &Path,
    ) -> Result<tantivy::directory::WritePtr, tantivy::directory::error::OpenWriteError> {
        self.0.open_write(path)
    }

    fn atomic_read(
        &self,
        path: &Path,
    ) -> Result<Vec<u8>, tantivy::directory::error::OpenReadError> {
        self.0.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.0.atomic_write(path, data)?;
        if path == Path::new(repair::TANTIVY_META) {
            repair::record_commit(&self.1, data);
        }
        Ok(())
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        self.0.sync_directory()
    }

    fn acquire_lock(
        &self,
        lock: &tantivy::directory::Lock,
    ) -> Result<tantivy::directory::DirectoryLock, tantivy::directory::error::LockError> {
        match self.0.acquire_lock(lock) {
            Err(tantivy::directory::error::LockError::IoError(_))
                if lock.filepath == tantivy::directory::META_LOCK.filepath =>
            {
                Ok(tantivy::directory::DirectoryLock::from(Box::new(())))
            }
            other => other,
        }
    }

    fn watch(
        &self,
        watch_callback: tantivy::directory::WatchCallback,
    ) -> tantivy::Result<tantivy::directory::WatchHandle> {
        self.0.watch(watch_callback)
    }
}

/// The English analyzer applied to `text` (see [`Index::analyze`]).
pub fn analyze(text: &str) -> Vec<String> {
    let mut analyzer = schema::english();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// A stemmer of single words as the index stems them (its English
/// analyzer): `None` for a word the index drops.
pub fn word_stemmer() -> impl FnMut(&str) -> Option<String> {
    let mut analyzer = schema::english();
    move |word: &str| {
        let mut stream = analyzer.token_stream(word);
        stream.advance().then(|| stream.token().text.clone())
    }
}

/// A collector size for "the best `k`": never more than the documents
/// `searcher` holds (tantivy sizes its buffers by it up front, so a `k` from
/// a user value such as `[digest] limit = 4294967296000` would abort the
/// process), and at least 1.
pub(crate) fn top_limit(searcher: &Searcher, k: usize) -> usize {
    k.min(usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX))
        .max(1)
}

/// The terms a query's words become: analysed like titles and abstracts,
/// without English stop words when `stop_words` is set.
pub fn query_terms(text: &str, stop_words: bool) -> Vec<String> {
    let mut out = Vec::new();
    if stop_words {
        let mut analyzer = schema::english_query();
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
    } else {
        out = analyze(text);
    }
    out
}

/// Whether the analysed word `term` is an English stop word.
pub(crate) fn is_stop_word(term: &str) -> bool {
    let mut analyzer = schema::english_query();
    let mut stream = analyzer.token_stream(term);
    !stream.advance()
}

pub(crate) fn to_datetime(t: jiff::Timestamp) -> tantivy::DateTime {
    // tantivy stores nanoseconds in an i64 and overflows (panics in debug)
    // past ±292 years from 1970; clamp so `Timestamp::MIN/MAX` are safe.
    const LIMIT: i64 = 9_000_000_000;
    tantivy::DateTime::from_timestamp_secs(t.as_second().clamp(-LIMIT, LIMIT))
}

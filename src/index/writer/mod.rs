//! Upserting papers: dedupe, merge, batched commits. (One long file on
//! purpose: the crash and idempotence rules of ingest must be read together.)
//!
//! Each incoming record is fingerprinted. A fingerprint the index already holds
//! means "this exact input was merged before", so re-ingesting a file costs one
//! term lookup per record and writes nothing. Otherwise the record is matched
//! to an existing paper by id, then by normalised title, merged, and written
//! back (`delete_term(id)` + add) only when the merge changed something. A
//! new paper is added without a delete: deletes are applied to every
//! segment at each commit, and a bulk import is all new papers.
//!
//! Counts: the counts a sighting carries are recorded as an observation
//! made at the session's time (`Paper::observe`, the fetch/ingest time),
//! after its fingerprint is taken; the merge keeps the history in the
//! record, so it is committed with it (and as crash-safe).
//!
//! Batches: until a commit, lookups cannot see what a session wrote. The
//! newest [`PENDING_PAPERS`] papers of the batch are held whole, and a
//! later sighting of one is merged in memory; of the rest only the keys
//! are held, and a sighting of one commits the batch first. Memory so does
//! not grow with the batch, and a large batch writes large segments (with
//! the default budget, about 200 000 papers each, left as they are).
//!
//! Segments: a session turns tantivy's merge policy off and merges only its
//! own segments, each once, and keeps the lookup keys and fingerprints it
//! wrote in memory. A lookup then searches only the segments that existed
//! before the session, unless the session wrote the key itself. Once
//! the session's new segments that are not full yet fill a run of about
//! [`MERGE_MAX_BYTES`], they are merged in the background while the ingest
//! goes on; at the end what is left and small is merged (runs of equal
//! size, two at a time) and the default merge policy takes over again. A
//! large ingest so rewrites little of what it wrote and leaves a few
//! segments to search (about six for 1 M papers), where batched commits
//! under the default policy would leave merge tiers behind.

use std::collections::{HashMap, HashSet, VecDeque};

use tantivy::index::SegmentId;
use tantivy::merge_policy::{LogMergePolicy, NoMergePolicy};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, DocSet, IndexWriter, Searcher, TERMINATED, TantivyDocument, Term};

use super::{Index, IndexError, to_datetime};
use crate::paper::{Paper, stable_hash, title_key};

/// What an upsert did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// A new paper.
    Added,
    /// An existing paper changed (new source, newer counts, …).
    Updated,
    /// Nothing changed.
    Unchanged,
}

/// A merge under way on tantivy's merge threads, waited for on a thread of
/// its own so that the session can tell when it is done without blocking.
type Merging = std::thread::JoinHandle<tantivy::Result<Option<tantivy::index::SegmentMeta>>>;

/// What a written paper takes the place of.
#[derive(Debug, PartialEq, Eq)]
enum Replaces {
    /// Nothing: no document has its id.
    Nothing,
    /// The documents with its id.
    Id,
    /// The documents with its id and with this former id (it changed when
    /// an arXiv id was learnt).
    IdAnd(String),
}

/// Counts for the one-line ingest summary.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct IngestStats {
    /// New papers.
    pub added: u64,
    /// Existing papers that changed.
    pub updated: u64,
    /// Records that changed nothing.
    pub unchanged: u64,
    /// Records skipped as malformed.
    pub skipped: u64,
}

/// An open ingest: owns the index writer (and so the writer lock).
pub struct Session<'a> {
    index: &'a Index,
    writer: IndexWriter,
    searcher: Searcher,
    /// Segments that existed when the session started.
    base: HashSet<SegmentId>,
    /// [`key_hash`]es of the lookup keys of every paper the session wrote
    /// (committed or not).
    written_keys: HashSet<u64>,
    /// The input fingerprints of every paper the session wrote.
    written_fps: HashSet<u64>,
    /// The most recently written papers of the uncommitted batch, whole,
    /// by id (at most `pending_max`): a later sighting of one is merged in
    /// memory, as lookups cannot see the batch yet.
    pending: HashMap<String, (Paper, Vec<u64>)>,
    /// The ids in `pending` by the [`key_hash`] of their title key.
    pending_titles: HashMap<u64, String>,
    /// The ids written to `pending` with their `pending_titles` key,
    /// oldest first (the eviction order).
    pending_order: VecDeque<(String, u64)>,
    /// [`PENDING_PAPERS`], but for tests.
    pending_max: usize,
    /// [`key_hash`]es of the ids and title keys of every paper in the
    /// uncommitted batch: a sighting of one no longer in `pending` commits
    /// the batch first, so that lookups see it.
    batch_keys: HashSet<u64>,
    /// Papers written since the last commit.
    batch_len: usize,
    /// Reused buffers: the incoming JSON, the record being written.
    json: Vec<u8>,
    record: Vec<u8>,
    batch_size: usize,
    /// [`MERGE_MAX_BYTES`], but for tests.
    merge_max_bytes: u64,
    /// Merges of the session's segments under way, oldest first, with the
    /// segments each reads.
    merging: VecDeque<(Vec<SegmentId>, Merging)>,
    /// The segments those merges wrote.
    merged: HashSet<SegmentId>,
    now: jiff::Timestamp,
    /// Counts so far.
    pub stats: IngestStats,
}

impl Index {
    /// Starts an ingest. `memory_mb` is the writer budget; records are
    /// committed every `batch_size`; `now` becomes `first_seen` of new papers.
    ///
    /// # Errors
    /// [`IndexError::Locked`] when another process writes this index.
    pub fn session(
        &self,
        memory_mb: usize,
        batch_size: usize,
        now: jiff::Timestamp,
    ) -> Result<Session<'_>, IndexError> {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 4);
        let budget = (memory_mb.max(16 * threads)) * 1024 * 1024;
        let writer = self
            .inner
            .writer_with_num_threads(threads, budget)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => IndexError::Locked {
                    path: self.dir.display().to_string(),
                },
                other => self.engine_err(&other),
            })?;
        writer.set_merge_policy(Box::new(NoMergePolicy));
        // Files of a commit that never completed (a full disk, a kill) are
        // removed now, not only after the next successful commit.
        let _ = writer.garbage_collect_files().wait();
        self.reader.reload().map_err(|e| self.engine_err(&e))?;
        let searcher = self.reader.searcher();
        Ok(Session {
            index: self,
            writer,
            base: searcher
                .segment_readers()
                .iter()
                .map(tantivy::SegmentReader::segment_id)
                .collect(),
            written_keys: HashSet::new(),
            written_fps: HashSet::new(),
            searcher,
            pending: HashMap::new(),
            pending_titles: HashMap::new(),
            pending_order: VecDeque::new(),
            pending_max: PENDING_PAPERS,
            batch_keys: HashSet::new(),
            batch_len: 0,
            json: Vec::new(),
            record: Vec::new(),
            batch_size: batch_size.max(1),
            merge_max_bytes: MERGE_MAX_BYTES,
            merging: VecDeque::new(),
            merged: HashSet::new(),
            now,
            stats: IngestStats::default(),
        })
    }
}

/// The key `first_seen` has in a [`Paper`]'s JSON while unset, with the
/// neighbours it always has (it is neither the first nor the last field).
const FIRST_SEEN_UNSET: &[u8] = b",\"first_seen\":null,";

/// `json`, a [`Paper`] serialised with `first_seen` unset, as serialised
/// with `first_seen = t`: one copy instead of a second serialisation.
///
/// The pattern can only be the key itself: inside a JSON string every `"`
/// is escaped, so no title or abstract can spell `,"first_seen":`.
fn with_first_seen(json: &[u8], t: jiff::Timestamp, out: &mut Vec<u8>) -> bool {
    // The key sits in the last few hundred bytes (after the abstract).
    let Some(at) = json
        .windows(FIRST_SEEN_UNSET.len())
        .rposition(|w| w == FIRST_SEEN_UNSET)
    else {
        return false;
    };
    let value = at + FIRST_SEEN_UNSET.len() - b"null,".len();
    out.clear();
    out.extend_from_slice(&json[..value]);
    if serde_json::to_writer(&mut *out, &t).is_err() {
        return false;
    }
    out.extend_from_slice(&json[value + b"null".len()..]);
    true
}

/// How many papers of the uncommitted batch a session holds whole, the
/// most recently written (about 2 KB each): a paper seen again within
/// this many papers is merged in memory. The rest of a batch is held as
/// keys only, so that a batch, and the segments it writes, can be large
/// without holding every paper in memory.
pub const PENDING_PAPERS: usize = 20_000;

/// The largest merge an ingest starts, in bytes of input segments: a merge
/// reads its inputs through memory maps, so this bounds the memory a merge
/// holds (one runs beside the indexing threads, two at the end; 1 M
/// synthetic arXiv records, 1.7 GB, end in about six segments, searched in
/// parallel).
pub const MERGE_MAX_BYTES: u64 = 320 << 20;

/// How many of its final merges an ingest runs at once. A tantivy merge is
/// single-threaded, and after the last commit nothing else runs.
fn merges_at_once() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(2))
}

/// The default merge policy, but never building segments past about
/// [`MERGE_MAX_BYTES`] (about 200 k papers of about 1.5 KB each).
fn merge_policy() -> LogMergePolicy {
    let mut p = LogMergePolicy::default();
    p.set_max_docs_before_merge(200_000);
    p
}

/// The bytes of a segment's files (what a merge maps).
fn segment_bytes(index: &Index, meta: &tantivy::index::SegmentMeta) -> u64 {
    use tantivy::index::SegmentComponent as C;
    [
        C::Postings,
        C::Positions,
        C::FastFields,
        C::FieldNorms,
        C::Terms,
        C::Store,
    ]
    .into_iter()
    .filter_map(|c| std::fs::metadata(index.dir().join(meta.relative_path(c))).ok())
    .map(|md| md.len())
    .sum()
}

/// Splits segments of the given sizes (in order) into consecutive runs of
/// about equal size, none over `max_bytes` unless one segment is: as few
/// runs as the bound allows, rounded up to a multiple of `at_once` when
/// there are several. The final merges run `at_once` at a time and each
/// round waits for its slowest merge, so equal runs keep every core busy
/// (runs filled up to the bound in turn leave a small last run, and one
/// core idle while the others finish).
fn balanced_runs(sizes: &[u64], max_bytes: u64, at_once: usize) -> Vec<std::ops::Range<usize>> {
    let total: u64 = sizes.iter().sum();
    let mut runs = total.div_ceil(max_bytes.max(1)).max(1);
    if runs > 1 {
        runs = runs.next_multiple_of(at_once.max(1) as u64);
    }
    let target = total.div_ceil(runs);
    let mut out = Vec::new();
    let (mut start, mut bytes, mut before) = (0, 0u64, 0u64);
    for (i, &s) in sizes.iter().enumerate() {
        let ends = out.len() as u64 + 1;
        // Cut before this segment when the run is full, or when most of
        // the segment lies past this run's share of the total.
        let past_share = before + s / 2 > target * ends && (ends as usize) < runs as usize;
        if i > start && (bytes + s > max_bytes || past_share) {
            out.push(start..i);
            start = i;
            bytes = 0;
        }
        bytes += s;
        before += s;
    }
    if start < sizes.len() {
        out.push(start..sizes.len());
    }
    out
}

/// The in-memory key of a raw lookup term: its field and its text. A
/// collision only widens a lookup to every segment.
fn key_hash(field: Field, value: &str) -> u64 {
    stable_hash(value.as_bytes()) ^ (u64::from(field.field_id()) << 56)
}

impl Session<'_> {
    /// Adds or merges one paper.
    ///
    /// # Errors
    /// When the index cannot be read or written.
    pub fn upsert(&mut self, mut paper: Paper) -> Result<Change, IndexError> {
        paper.first_seen = None;
        // The fingerprint is the hash of the incoming JSON; a new paper's
        // record is that JSON with `first_seen` filled in.
        let mut json = std::mem::take(&mut self.json);
        json.clear();
        serde_json::to_writer(&mut json, &paper).map_err(|e| self.index.engine_err(&e))?;
        let fp = stable_hash(&json);
        // The counts it carries are observed now (the fetch/ingest time);
        // the fingerprint is of the input as it came, so that re-ingesting
        // it later is still known.
        let stamped = paper.observe(self.now);
        let change = self.upsert_json(paper, fp, &json, stamped);
        self.json = json;
        change
    }

    fn upsert_json(
        &mut self,
        mut paper: Paper,
        fp: u64,
        json: &[u8],
        stamped: bool,
    ) -> Result<Change, IndexError> {
        let tkey = title_key(&paper.title);
        let f = self.index.fields;
        let title = key_hash(f.title_key, &tkey);
        // 1. Same paper still pending in this batch?
        let pending_id = if self.pending.contains_key(&paper.id) {
            Some(paper.id.clone())
        } else {
            self.pending_titles.get(&title).cloned()
        };
        if let Some(pid) = &pending_id
            && let Some((existing, fps)) = self.pending.get(pid)
            && compatible(existing, &paper)
        {
            let (existing, mut fps) = (existing.clone(), fps.clone());
            if fps.contains(&fp) {
                return Ok(self.count(Change::Unchanged));
            }
            fps.push(fp);
            return self.merge_into(existing, fps, &paper);
        }
        // 2. This exact input merged before (the re-ingest fast path)?
        if self.written_fps.contains(&fp)
            || self.in_base_segments(&Term::from_field_u64(f.input_fp, fp))?
        {
            return Ok(self.count(Change::Unchanged));
        }
        let held = |id: &String| self.pending.contains_key(id);
        let id_evicted = !held(&paper.id) && self.batch_keys.contains(&key_hash(f.id, &paper.id));
        let title_evicted =
            !pending_id.as_ref().is_some_and(held) && self.batch_keys.contains(&title);
        if id_evicted || title_evicted {
            // In the batch, but no longer held whole: commit, then look it
            // up like any paper (at most one commit per `pending_max`
            // papers, however the input repeats itself).
            self.commit()?;
        }
        // 3. An existing paper with the same id or title? (A paper with an
        // arXiv id has the id `arxiv:<id>`, `Paper::assign_id`: its id is
        // its arXiv id.)
        let by_id = self.find(f.id, &paper.id)?;
        let found = match by_id {
            Some(a) => Some(a),
            None => self.find(f.title_key, &tkey)?,
        };
        if let Some(addr) = found {
            let (existing, mut fps) = self.load_with_fps(addr)?;
            if compatible(&existing, &paper) {
                fps.push(fp);
                return self.merge_into(existing, fps, &paper);
            }
        }
        paper.first_seen = Some(self.now);
        // No live document has this id (the usual case for a new paper):
        // nothing to delete. A delete costs a term lookup in every segment
        // at each commit, and the ingest of a new file is all new papers.
        let replaces = by_id.is_some() || self.pending.contains_key(&paper.id);
        let replaces = if replaces {
            Replaces::Id
        } else {
            Replaces::Nothing
        };
        let incoming = (!stamped).then_some(json);
        self.write(paper, tkey, vec![fp], replaces, incoming)?;
        Ok(self.count(Change::Added))
    }

    fn count(&mut self, c: Change) -> Change {
        match c {
            Change::Added => self.stats.added += 1,
            Change::Updated => self.stats.updated += 1,
            Change::Unchanged => self.stats.unchanged += 1,
        }
        c
    }

    fn merge_into(
        &mut self,
        existing: Paper,
        fps: Vec<u64>,
        incoming: &Paper,
    ) -> Result<Change, IndexError> {
        let mut merged = existing.clone();
        let mut incoming = incoming.clone();
        incoming.first_seen = Some(self.now);
        merged.merge(&incoming);
        // A new sighting never moves first_seen later than what we had.
        merged.first_seen = existing.first_seen.or(Some(self.now));
        if merged == existing {
            // Keep the fingerprint only in the pending copy (no write needed).
            if let Some(entry) = self.pending.get_mut(&existing.id) {
                entry.1 = fps;
            }
            return Ok(self.count(Change::Unchanged));
        }
        let replaces = if existing.id == merged.id {
            Replaces::Id
        } else {
            Replaces::IdAnd(existing.id.clone())
        };
        let tkey = title_key(&merged.title);
        self.write(merged, tkey, fps, replaces, None)?;
        Ok(self.count(Change::Updated))
    }

    /// Adds `paper`, whose title key is `tkey`, deleting first what it
    /// `replaces`. `incoming` is the JSON `paper` arrived as (`first_seen`
    /// unset), when it is unchanged since: its record is then that JSON with
    /// `first_seen` spliced in instead of a second serialisation.
    fn write(
        &mut self,
        paper: Paper,
        tkey: String,
        fps: Vec<u64>,
        replaces: Replaces,
        incoming: Option<&[u8]>,
    ) -> Result<(), IndexError> {
        let f = self.index.fields;
        let record = &mut self.record;
        let spliced = incoming.is_some_and(|json| {
            let first_seen = paper.first_seen.unwrap_or(self.now);
            with_first_seen(json, first_seen, record)
        });
        debug_assert!(
            !spliced || *record == serde_json::to_vec(&paper).unwrap_or_default(),
            "the spliced record differs from the serialised paper"
        );
        if !spliced {
            record.clear();
            serde_json::to_writer(&mut *record, &paper).map_err(|e| self.index.engine_err(&e))?;
        }
        if replaces != Replaces::Nothing {
            self.writer
                .delete_term(Term::from_field_text(f.id, &paper.id));
        }
        if let Replaces::IdAnd(old) = &replaces {
            self.writer.delete_term(Term::from_field_text(f.id, old));
            self.pending.remove(old);
        }
        // One allocation: the document holds copies of the texts and the
        // record (growing from the default 1 KB took three reallocations).
        let mut doc = TantivyDocument::with_capacity(
            self.record.len() + paper.title.len() + paper.abstract_text.len() + 512,
        );
        doc.add_text(f.id, &paper.id);
        doc.add_text(f.title_key, &tkey);
        doc.add_text(f.title, &paper.title);
        doc.add_text(f.abstract_text, &paper.abstract_text);
        for k in &paper.keywords {
            doc.add_text(f.keywords, k);
        }
        for a in &paper.authors {
            doc.add_text(f.authors, a);
        }
        for c in &paper.categories {
            doc.add_text(f.categories, c.to_ascii_lowercase());
        }
        if let Some(d) = paper.visible_date() {
            doc.add_date(f.date, to_datetime(d));
        }
        if let Some(d) = paper.first_seen {
            doc.add_date(f.first_seen, to_datetime(d));
        }
        doc.add_u64(f.upvotes, paper.upvotes.unwrap_or(0));
        doc.add_u64(f.comments, paper.comments.unwrap_or(0));
        doc.add_u64(f.stars, paper.github_stars.unwrap_or(0));
        doc.add_u64(f.has_code, u64::from(paper.code_url.is_some()));
        for fp in &fps {
            doc.add_u64(f.input_fp, *fp);
        }
        doc.add_bytes(f.record, &self.record);
        self.writer
            .add_document(doc)
            .map_err(|e| self.index.engine_err(&e))?;
        let (id_key, title) = (key_hash(f.id, &paper.id), key_hash(f.title_key, &tkey));
        self.written_keys.extend([id_key, title]);
        self.written_fps.extend(fps.iter().copied());
        self.batch_keys.extend([id_key, title]);
        self.batch_len += 1;
        self.pending_titles.insert(title, paper.id.clone());
        self.pending_order.push_back((paper.id.clone(), title));
        self.pending.insert(paper.id.clone(), (paper, fps));
        while self.pending.len() > self.pending_max
            && let Some((id, title)) = self.pending_order.pop_front()
        {
            if self.pending.remove(&id).is_some() && self.pending_titles.get(&title) == Some(&id) {
                self.pending_titles.remove(&title);
            }
        }
        if self.batch_len >= self.batch_size {
            self.commit()?;
        }
        Ok(())
    }

    /// Finds a live document whose raw `field` equals `value`: in every
    /// segment when the session wrote that key, else only in the segments
    /// from before the session.
    fn find(&self, field: Field, value: &str) -> Result<Option<DocAddress>, IndexError> {
        if value.is_empty() {
            return Ok(None);
        }
        let only = (!self.written_keys.contains(&key_hash(field, value))).then_some(&self.base);
        find_term_in(
            self.index,
            &self.searcher,
            &Term::from_field_text(field, value),
            only,
        )
    }

    /// Whether a segment from before the session holds `term` (deleted
    /// documents included: an updated paper carries its fingerprints over).
    fn in_base_segments(&self, term: &Term) -> Result<bool, IndexError> {
        let engine = |e: tantivy::TantivyError| self.index.engine_err(&e);
        for seg in self.searcher.segment_readers() {
            if self.base.contains(&seg.segment_id())
                && seg
                    .inverted_index(term.field())
                    .map_err(engine)?
                    .doc_freq(term)
                    .map_err(|e| self.index.engine_err(&e))?
                    > 0
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn load_with_fps(&self, addr: DocAddress) -> Result<(Paper, Vec<u64>), IndexError> {
        let doc: TantivyDocument = self
            .searcher
            .doc(addr)
            .map_err(|e| self.index.engine_err(&e))?;
        let f = self.index.fields;
        let fps = doc.get_all(f.input_fp).filter_map(|v| v.as_u64()).collect();
        let bytes = doc
            .get_first(f.record)
            .and_then(|v| v.as_bytes())
            .unwrap_or_default();
        let paper = serde_json::from_slice(bytes)
            .map_err(|e| self.index.engine_err(&format!("corrupt record: {e}")))?;
        Ok((paper, fps))
    }

    /// Commits what is pending and makes it visible to lookups; starts a
    /// merge of the session's segments once they fill a run (see
    /// `merge_while_ingesting`).
    ///
    /// # Errors
    /// When tantivy cannot commit, or a merge failed.
    pub fn commit(&mut self) -> Result<(), IndexError> {
        self.commit_batch()?;
        self.merge_while_ingesting()
    }

    /// Commits what is pending and makes it visible to lookups.
    fn commit_batch(&mut self) -> Result<(), IndexError> {
        self.writer
            .commit()
            .map_err(|e| self.index.engine_err(&e))?;
        self.reload()?;
        self.pending.clear();
        self.pending_titles.clear();
        self.pending_order.clear();
        self.batch_keys.clear();
        self.batch_len = 0;
        Ok(())
    }

    /// Reloads the reader: lookups see what was committed or merged, and
    /// merged segments' memory maps are let go (the pages a merge read stay
    /// resident for as long as a searcher maps them).
    fn reload(&mut self) -> Result<(), IndexError> {
        self.index
            .reader
            .reload()
            .map_err(|e| self.index.engine_err(&e))?;
        self.searcher = self.index.reader.searcher();
        Ok(())
    }

    /// Starts merging `ids` in the background.
    fn start_merge(&mut self, ids: Vec<SegmentId>) {
        let future = self.writer.merge(&ids);
        let waiting = std::thread::spawn(move || future.wait());
        self.merging.push_back((ids, waiting));
    }

    /// Collects the merges that are done (with `wait`, waits for the
    /// oldest one first) and notes the segments they wrote.
    fn reap(&mut self, wait: bool) -> Result<(), IndexError> {
        let mut reaped = false;
        while let Some((_, waiting)) = self.merging.front() {
            if !wait && !waiting.is_finished() {
                break;
            }
            let Some((_, waiting)) = self.merging.pop_front() else {
                break;
            };
            let written = waiting
                .join()
                .map_err(|_| self.index.engine_err(&"a merge thread panicked"))?
                .map_err(|e| self.index.engine_err(&e))?;
            self.merged.extend(written.map(|meta| meta.id()));
            reaped = true;
            if wait {
                break;
            }
        }
        if reaped {
            self.reload()?;
        }
        Ok(())
    }

    /// The session's segments that no merge of it wrote or is reading,
    /// with their sizes.
    fn unmerged(&self) -> Result<Vec<(SegmentId, u64)>, IndexError> {
        let busy: HashSet<SegmentId> = self
            .merging
            .iter()
            .flat_map(|(ids, _)| ids.iter().copied())
            .collect();
        let metas = self
            .index
            .inner
            .searchable_segment_metas()
            .map_err(|e| self.index.engine_err(&e))?;
        Ok(metas
            .iter()
            .filter(|m| {
                let id = m.id();
                !self.base.contains(&id) && !self.merged.contains(&id) && !busy.contains(&id)
            })
            .map(|m| (m.id(), segment_bytes(self.index, m)))
            .collect())
    }

    /// Once the session's unmerged segments fill a run of about
    /// [`MERGE_MAX_BYTES`], merges them while the ingest goes on, one merge
    /// at a time. A merge ends by syncing what it wrote; merges left to the
    /// end would leave the cores idle while a few hundred megabytes reach
    /// the disk, while under way during the ingest that wait overlaps
    /// indexing.
    fn merge_while_ingesting(&mut self) -> Result<(), IndexError> {
        self.reap(false)?;
        if !self.merging.is_empty() {
            return Ok(());
        }
        // Full: near the bound (with the default budget a bulk import
        // writes segments of about 300 MB, left alone), so that merges
        // write few, large segments.
        let full = self.merge_max_bytes / 8 * 7;
        let (mut run, mut bytes) = (Vec::new(), 0);
        for (id, size) in self.unmerged()? {
            if size >= full {
                continue;
            }
            if bytes + size > self.merge_max_bytes {
                break;
            }
            run.push(id);
            bytes += size;
        }
        if run.len() > 1 && bytes >= full {
            self.start_merge(run);
        }
        Ok(())
    }

    /// Commits, merges what is left of the session's small segments
    /// (under a quarter of [`MERGE_MAX_BYTES`]; in runs of about
    /// [`MERGE_MAX_BYTES`], as many at once as `merges_at_once`), lets the
    /// default merge policy run, waits for it and releases the writer lock.
    ///
    /// # Errors
    /// When tantivy cannot commit or merge.
    pub fn finish(mut self) -> Result<IngestStats, IndexError> {
        self.commit_batch()?;
        self.reap(false)?;
        let stats = self.stats.clone();
        let at_once = merges_at_once();
        let mut left = self.unmerged()?;
        let wrote = !left.is_empty() || !self.merging.is_empty() || !self.merged.is_empty();
        // Segments of a quarter of a run or more are left as they are:
        // rewriting them would add little to searches and keep a core busy,
        // the other idle, at the end of every bulk import (the last commit
        // of a 1 M import writes two of about 160 MB).
        left.retain(|&(_, size)| size < self.merge_max_bytes / 4);
        let sizes: Vec<u64> = left.iter().map(|&(_, size)| size).collect();
        let mut runs: VecDeque<Vec<SegmentId>> =
            balanced_runs(&sizes, self.merge_max_bytes, at_once)
                .into_iter()
                .filter(|run| run.len() > 1)
                .map(|run| left[run].iter().map(|&(id, _)| id).collect())
                .collect();
        while !runs.is_empty() || !self.merging.is_empty() {
            while self.merging.len() < at_once
                && let Some(run) = runs.pop_front()
            {
                self.start_merge(run);
            }
            self.reap(true)?;
        }
        // Back to the default policy; a commit makes it look at the index
        // (small segments of earlier days get merged as usual); not needed
        // when this ingest wrote nothing.
        let index = self.index;
        let engine = |e: tantivy::TantivyError| index.engine_err(&e);
        self.writer.set_merge_policy(Box::new(merge_policy()));
        if wrote {
            self.writer.commit().map_err(engine)?;
        }
        drop(self.searcher);
        self.writer.wait_merging_threads().map_err(engine)?;
        index.reader.reload().map_err(|e| index.engine_err(&e))?;
        Ok(stats)
    }
}

/// Two sightings can be the same paper unless their ids say otherwise: two
/// different arXiv ids, or two different ids of the same scheme
/// (`scifact:1` vs `scifact:2`), name different papers even when the titles
/// match. Ids of different schemes (`doi:…` vs `arxiv:…`) may be one paper.
fn compatible(a: &Paper, b: &Paper) -> bool {
    if let (Some(x), Some(y)) = (&a.arxiv_id, &b.arxiv_id) {
        return x == y;
    }
    let scheme = |id: &str| id.split_once(':').map(|(s, _)| s.to_string());
    match (scheme(&a.id), scheme(&b.id)) {
        (Some(x), Some(y)) if x == y && x != "title" => a.id == b.id,
        _ => true,
    }
}

/// The first live document holding `term`.
pub(crate) fn find_term(
    index: &Index,
    searcher: &Searcher,
    term: &Term,
) -> Result<Option<DocAddress>, IndexError> {
    find_term_in(index, searcher, term, None)
}

/// The first live document holding `term`, in the segments of `only` (all
/// when `None`).
fn find_term_in(
    index: &Index,
    searcher: &Searcher,
    term: &Term,
    only: Option<&HashSet<SegmentId>>,
) -> Result<Option<DocAddress>, IndexError> {
    for (ord, seg) in searcher.segment_readers().iter().enumerate() {
        if only.is_some_and(|ids| !ids.contains(&seg.segment_id())) {
            continue;
        }
        let inv = seg
            .inverted_index(term.field())
            .map_err(|e| index.engine_err(&e))?;
        let Some(mut postings) = inv
            .read_postings(term, IndexRecordOption::Basic)
            .map_err(|e| index.engine_err(&e))?
        else {
            continue;
        };
        let mut doc = postings.doc();
        while doc != TERMINATED {
            if !seg.is_deleted(doc) {
                return Ok(Some(DocAddress::new(
                    u32::try_from(ord).unwrap_or(u32::MAX),
                    doc,
                )));
            }
            doc = postings.advance();
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new index in a temporary folder (kept while the folder lives), and
    /// the time its sessions run at.
    fn empty_index() -> (tempfile::TempDir, Index, jiff::Timestamp) {
        let dir = tempfile::tempdir().unwrap();
        let index = Index::open(dir.path(), true).unwrap();
        (dir, index, "2026-01-01T00:00:00Z".parse().unwrap())
    }

    #[test]
    fn segments_are_merged_while_ingesting_and_at_the_end_keeping_every_paper() {
        let (_dir, index, now) = empty_index();
        // A commit after every paper: one segment each.
        let mut session = index.session(16, 1, now).unwrap();
        let paper = |i: usize| {
            let mut p = Paper {
                title: format!("Paper number {i} on merging segments"),
                abstract_text: "We merge segments in bounded groups. ".repeat(20),
                sources: vec!["jsonl".into()],
                ..Paper::default()
            };
            p.assign_id();
            p
        };
        assert_eq!(session.upsert(paper(0)).unwrap(), Change::Added);
        let one = session.unmerged().unwrap();
        assert_eq!(one.len(), 1);
        // Room for four one-paper segments per merge, and full at four.
        session.merge_max_bytes = one[0].1 * 9 / 2;
        for i in 1..20 {
            assert_eq!(session.upsert(paper(i)).unwrap(), Change::Added);
            // Papers in segments being merged or merged are still found.
            assert_eq!(session.upsert(paper(i / 2)).unwrap(), Change::Unchanged);
        }
        assert!(
            session.merging.len() + session.merged.len() >= 1,
            "merges start while ingesting"
        );
        session.finish().unwrap();
        let metas = index.inner.searchable_segment_metas().unwrap();
        assert!(metas.len() <= 8, "{} segments", metas.len());
        assert_eq!(index.count(), 20);
        let searcher = index.searcher();
        for i in 0..20 {
            let key = Term::from_field_text(index.fields.id, &paper(i).id);
            assert_eq!(searcher.doc_freq(&key).unwrap(), 1, "paper {i}");
        }
    }

    #[test]
    fn a_paper_seen_again_after_it_left_the_pending_window_is_merged_not_duplicated() {
        let (_dir, index, now) = empty_index();
        let mut session = index.session(16, 1000, now).unwrap();
        session.pending_max = 2;
        let paper = |i: usize, title: &str| {
            let mut p = Paper {
                arxiv_id: Some(format!("2401.{i:05}")),
                title: title.into(),
                abstract_text: format!("Abstract of paper {i}."),
                sources: vec!["jsonl".into()],
                ..Paper::default()
            };
            p.assign_id();
            p
        };
        for i in 0..5 {
            let title = format!("Paper {i}");
            assert_eq!(session.upsert(paper(i, &title)).unwrap(), Change::Added);
        }
        assert_eq!(session.pending.len(), 2, "only the newest two held whole");
        assert_eq!(index.searcher().num_docs(), 0, "nothing committed yet");
        // Paper 1 exactly as before: known by its fingerprint, no commit.
        assert_eq!(
            session.upsert(paper(1, "Paper 1")).unwrap(),
            Change::Unchanged
        );
        assert_eq!(session.batch_len, 5, "no commit for an exact repeat");
        // Paper 0 again, with votes: evicted, so the batch is committed and
        // the paper found by its id.
        let mut again = paper(0, "Paper 0");
        again.upvotes = Some(7);
        assert_eq!(session.upsert(again).unwrap(), Change::Updated);
        assert_eq!(session.batch_len, 1, "committed before the update");
        // Two more papers push paper 0 out of the window again; paper 0
        // under its title only (no arXiv id) is then found by title key.
        for i in 5..7 {
            let title = format!("Paper {i}");
            assert_eq!(session.upsert(paper(i, &title)).unwrap(), Change::Added);
        }
        let mut by_title = Paper {
            title: "Paper 0".into(),
            github_stars: Some(3),
            sources: vec!["hf".into()],
            ..Paper::default()
        };
        by_title.assign_id();
        assert_eq!(session.upsert(by_title).unwrap(), Change::Updated);
        assert_eq!(session.batch_len, 1, "committed before the update");
        // A paper that shares a held paper's title but not its arXiv id is
        // a new paper, and costs no commit (the held paper says so).
        assert_eq!(session.upsert(paper(9, "Paper 6")).unwrap(), Change::Added);
        assert_eq!(session.batch_len, 2);
        session.finish().unwrap();
        assert_eq!(index.count(), 8);
        let searcher = index.searcher();
        let load = |i: usize| {
            let key = Term::from_field_text(index.fields.id, &format!("arxiv:2401.{i:05}"));
            assert_eq!(searcher.doc_freq(&key).unwrap(), 1, "paper {i}");
            let addr = find_term(&index, &searcher, &key).unwrap().unwrap();
            index.load(&searcher, addr).unwrap()
        };
        let first = load(0);
        assert_eq!((first.upvotes, first.github_stars), (Some(7), Some(3)));
        assert_eq!(load(9).title, "Paper 6");
    }

    #[test]
    fn merge_runs_are_balanced_bounded_and_come_in_pairs() {
        let lens = |runs: Vec<std::ops::Range<usize>>| -> Vec<usize> {
            runs.iter().map(ExactSizeIterator::len).collect()
        };
        // 1 M records: 41 segments of 40 MB, 320 MB per merge at most.
        // Filled in turn that would be five runs of 8 and one of 1 (the
        // sixth merge running beside nothing); balanced, six runs of six
        // or seven.
        let runs = balanced_runs(&[40; 41], 320, 2);
        assert_eq!(runs.len(), 6);
        assert!(
            lens(runs.clone()).iter().all(|&n| n == 6 || n == 7),
            "{runs:?}"
        );
        assert_eq!(runs.first().unwrap().start, 0);
        assert_eq!(runs.last().unwrap().end, 41);
        assert!(runs.windows(2).all(|w| w[0].end == w[1].start));
        // Uneven sizes: every run within the bound and near the share.
        let sizes: Vec<u64> = (0..50).map(|i| 10 + (i * 37) % 90).collect();
        let total: u64 = sizes.iter().sum();
        let runs = balanced_runs(&sizes, 600, 2);
        assert_eq!(runs.len() % 2, 0);
        for r in &runs {
            let bytes: u64 = sizes[r.clone()].iter().sum();
            assert!(bytes <= 600, "{r:?}: {bytes}");
            assert!(bytes + 100 >= total / runs.len() as u64, "{r:?}: {bytes}");
        }
        // Everything fits in one merge: one run, however many at once.
        assert_eq!(lens(balanced_runs(&[10, 20, 30], 100, 2)), [3]);
        // A segment over the bound stays whole, in a run of its own.
        let runs = balanced_runs(&[10, 500, 10, 10], 100, 1);
        assert!(runs.contains(&(1..2)), "{runs:?}");
        assert_eq!(runs.last().unwrap().end, 4);
        assert_eq!(lens(balanced_runs(&[], 100, 2)), Vec::<usize>::new());
    }

    #[test]
    fn first_seen_is_spliced_into_the_json_as_serde_writes_it() {
        let t: jiff::Timestamp = "2024-02-29T12:34:56Z".parse().unwrap();
        let tricky = r#"Title with ,"first_seen":null, and \ "quotes" in it"#;
        for p in [
            Paper::default(),
            Paper {
                id: "arxiv:2401.00001".into(),
                title: tricky.into(),
                abstract_text: format!("{tricky} {tricky}\n"),
                authors: vec![tricky.into()],
                code_url: Some(tricky.into()),
                sources: vec![tricky.into()],
                upvotes: Some(3),
                ..Paper::default()
            },
        ] {
            let json = serde_json::to_vec(&p).unwrap();
            let mut out = Vec::new();
            assert!(with_first_seen(&json, t, &mut out));
            let expected = serde_json::to_vec(&Paper {
                first_seen: Some(t),
                ..p.clone()
            })
            .unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                String::from_utf8(expected).unwrap()
            );
        }
        assert!(!with_first_seen(
            b"{\"first_seen\":null}",
            t,
            &mut Vec::new()
        ));
    }
}

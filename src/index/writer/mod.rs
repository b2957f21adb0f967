//! Upserting papers: dedupe, merge, batched commits.
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
//! made at the ingest's time (`Paper::observe`, the fetch/ingest time),
//! after its fingerprint is taken; the merge keeps the history in the
//! record, so it is committed with it (and as crash-safe).
//!
//! A [`Session`] is one ingest and owns the index writer. Its parts:
//! - `pending.rs`: the uncommitted batch (lookups cannot see it until a
//!   commit; its newest papers are held whole, the rest as keys) and the
//!   keys and fingerprints the ingest wrote, so that a lookup searches only
//!   the segments from before the ingest unless the ingest wrote the key;
//! - `merges.rs`: the ingest merges only the segments it wrote, in bounded
//!   runs while it goes on and two at a time at the end.
//!
//! Crash rules: a merge only rewrites committed segments into one that
//! holds the same papers (tantivy saves its metas atomically), so an
//! interrupted ingest leaves the index as of its last commit; the files of
//! a commit that never completed are removed when the next ingest starts.

mod merges;
mod pending;

use std::collections::HashSet;

use tantivy::index::SegmentId;
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, DocSet, IndexWriter, Searcher, TERMINATED, TantivyDocument, Term};

use super::{Index, IndexError, to_datetime};
use crate::paper::{Paper, stable_hash, title_key};
pub use merges::MERGE_MAX_BYTES;
use merges::Merges;
pub use pending::PENDING_PAPERS;
use pending::{Pending, Written, key_hash};

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
    /// Segments that existed when the ingest started.
    base: HashSet<SegmentId>,
    /// The keys and fingerprints of every paper the ingest wrote.
    written: Written,
    /// The uncommitted batch.
    pending: Pending,
    /// The ingest's merges of its own segments.
    merges: Merges,
    /// Reused buffers: the incoming JSON, the record being written.
    json: Vec<u8>,
    record: Vec<u8>,
    batch_size: usize,
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
                other => self.tantivy_err(other),
            })?;
        merges::own(&writer);
        // Files of a commit that never completed (a full disk, a kill) are
        // removed now, not only after the next successful commit.
        let _ = writer.garbage_collect_files().wait();
        self.reader.reload().map_err(|e| self.tantivy_err(e))?;
        let searcher = self.reader.searcher();
        let base: HashSet<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(tantivy::SegmentReader::segment_id)
            .collect();
        Ok(Session {
            index: self,
            writer,
            merges: Merges::new(base.clone()),
            base,
            written: Written::default(),
            searcher,
            pending: Pending::new(PENDING_PAPERS),
            json: Vec::new(),
            record: Vec::new(),
            batch_size: batch_size.max(1),
            now,
            stats: IngestStats::default(),
        })
    }
}

impl Session<'_> {
    /// Adds or merges one paper.
    ///
    /// # Errors
    /// When the index cannot be read or written.
    pub fn upsert(&mut self, mut paper: Paper) -> Result<Change, IndexError> {
        paper.first_seen = None;
        // The fingerprint is the hash of the incoming JSON (`first_seen`
        // unset, as in every index written so far); the record written is
        // serialised again, with `first_seen` set. Writing the time into
        // this JSON instead would save about 1 µs of the ~90 µs a new
        // paper costs, and depend on the order serde writes fields in.
        self.json.clear();
        serde_json::to_writer(&mut self.json, &paper).map_err(|e| self.index.engine_err(&e))?;
        let fp = stable_hash(&self.json);
        // The counts it carries are observed now (the fetch/ingest time);
        // the fingerprint is of the input as it came, so that re-ingesting
        // it later is still known.
        paper.observe(self.now);
        self.upsert_fingerprinted(paper, fp)
    }

    /// Adds or merges `paper`, whose input fingerprint is `fp`.
    fn upsert_fingerprinted(&mut self, mut paper: Paper, fp: u64) -> Result<Change, IndexError> {
        let tkey = title_key(&paper.title);
        let f = self.index.fields;
        let title = key_hash(f.title_key, &tkey);
        // 1. Same paper still pending in this batch?
        let pending_id = self.pending.candidate(&paper.id, title);
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
        if self.written.has_fp(fp)
            || self.in_base_segments(&Term::from_field_u64(f.input_fp, fp))?
        {
            return Ok(self.count(Change::Unchanged));
        }
        let id_key = key_hash(f.id, &paper.id);
        if self
            .pending
            .left_the_window(&paper.id, id_key, pending_id.as_deref(), title)
        {
            // In the batch, but no longer held whole: commit, then look it
            // up like any paper (at most one commit per `Pending::max`
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
        let replaces = by_id.is_some() || self.pending.holds(&paper.id);
        let replaces = if replaces {
            Replaces::Id
        } else {
            Replaces::Nothing
        };
        self.write(paper, tkey, vec![fp], replaces)?;
        Ok(self.count(Change::Added))
    }

    /// Writes `paper` exactly as given (its `first_seen` and observations
    /// kept) with its input fingerprints `fps`: how `doctor --repair` puts
    /// the records it salvaged back into a new index. The caller makes
    /// sure each id comes once.
    ///
    /// # Errors
    /// When the index cannot be written.
    pub fn restore(&mut self, paper: Paper, fps: Vec<u64>) -> Result<(), IndexError> {
        let tkey = title_key(&paper.title);
        self.write(paper, tkey, fps, Replaces::Nothing)?;
        self.count(Change::Added);
        Ok(())
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
            self.pending.set_fps(&existing.id, fps);
            return Ok(self.count(Change::Unchanged));
        }
        let replaces = if existing.id == merged.id {
            Replaces::Id
        } else {
            Replaces::IdAnd(existing.id.clone())
        };
        let tkey = title_key(&merged.title);
        self.write(merged, tkey, fps, replaces)?;
        Ok(self.count(Change::Updated))
    }

    /// Adds `paper`, whose title key is `tkey`, deleting first what it
    /// `replaces`.
    fn write(
        &mut self,
        paper: Paper,
        tkey: String,
        fps: Vec<u64>,
        replaces: Replaces,
    ) -> Result<(), IndexError> {
        let f = self.index.fields;
        self.record.clear();
        serde_json::to_writer(&mut self.record, &paper).map_err(|e| self.index.engine_err(&e))?;
        if replaces != Replaces::Nothing {
            self.writer
                .delete_term(Term::from_field_text(f.id, &paper.id));
        }
        if let Replaces::IdAnd(old) = &replaces {
            self.writer.delete_term(Term::from_field_text(f.id, old));
            self.pending.forget(old);
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
        // The stars the ranking counts: none for a link into a repository.
        doc.add_u64(f.stars, crate::paper::Counts::of(&paper).stars);
        doc.add_u64(f.has_code, u64::from(paper.code_url.is_some()));
        for fp in &fps {
            doc.add_u64(f.input_fp, *fp);
        }
        doc.add_bytes(f.record, &self.record);
        self.writer
            .add_document(doc)
            .map_err(|e| self.index.tantivy_err(e))?;
        let (id_key, title) = (key_hash(f.id, &paper.id), key_hash(f.title_key, &tkey));
        self.written.note(id_key, title, &fps);
        self.pending.push(paper, fps, id_key, title);
        if self.pending.len() >= self.batch_size {
            self.commit()?;
        }
        Ok(())
    }

    /// Finds a live document whose raw `field` equals `value`: in every
    /// segment when the ingest wrote that key, else only in the segments
    /// from before the ingest.
    fn find(&self, field: Field, value: &str) -> Result<Option<DocAddress>, IndexError> {
        if value.is_empty() {
            return Ok(None);
        }
        let only = (!self.written.has_key(key_hash(field, value))).then_some(&self.base);
        find_term_in(
            self.index,
            &self.searcher,
            &Term::from_field_text(field, value),
            only,
        )
    }

    /// Whether a segment from before the ingest holds `term` (deleted
    /// documents included: an updated paper carries its fingerprints over).
    fn in_base_segments(&self, term: &Term) -> Result<bool, IndexError> {
        let engine = |e: tantivy::TantivyError| self.index.tantivy_err(e);
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
            .map_err(|e| self.index.tantivy_err(e))?;
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
    /// merge of the ingest's segments once they fill a run (see
    /// `Merges::start_while_ingesting`).
    ///
    /// # Errors
    /// When tantivy cannot commit, or a merge failed.
    pub fn commit(&mut self) -> Result<(), IndexError> {
        self.commit_batch()?;
        self.reap(false)?;
        self.merges
            .start_while_ingesting(self.index, &mut self.writer)
    }

    /// Commits what is pending and makes it visible to lookups.
    fn commit_batch(&mut self) -> Result<(), IndexError> {
        self.writer
            .commit()
            .map_err(|e| self.index.tantivy_err(e))?;
        self.reload()?;
        self.pending.clear();
        Ok(())
    }

    /// Reloads the reader: lookups see what was committed or merged, and
    /// merged segments' memory maps are let go (the pages a merge read stay
    /// resident for as long as a searcher maps them).
    fn reload(&mut self) -> Result<(), IndexError> {
        self.index
            .reader
            .reload()
            .map_err(|e| self.index.tantivy_err(e))?;
        self.searcher = self.index.reader.searcher();
        Ok(())
    }

    /// Collects the merges that are done (with `wait`, waits for the
    /// oldest one first) and reloads the reader when one was.
    fn reap(&mut self, wait: bool) -> Result<(), IndexError> {
        if self.merges.reap(self.index, wait)? {
            self.reload()?;
        }
        Ok(())
    }

    /// Commits, merges what is left of the ingest's small segments
    /// (`Merges::plan_final`), lets the default merge policy run, waits
    /// for it and releases the writer lock.
    ///
    /// # Errors
    /// When tantivy cannot commit or merge.
    pub fn finish(mut self) -> Result<IngestStats, IndexError> {
        self.commit_batch()?;
        self.reap(false)?;
        let stats = self.stats.clone();
        let wrote = self.merges.plan_final(self.index)?;
        while self.merges.start_final(&mut self.writer) {
            self.reap(true)?;
        }
        // Back to the default policy; a commit makes it look at the index
        // (small segments of earlier days get merged as usual); not needed
        // when this ingest wrote nothing.
        let index = self.index;
        let engine = |e: tantivy::TantivyError| index.tantivy_err(e);
        merges::hand_back(&self.writer);
        if wrote {
            self.writer.commit().map_err(engine)?;
        }
        drop(self.searcher);
        self.writer.wait_merging_threads().map_err(engine)?;
        index.reader.reload().map_err(|e| index.tantivy_err(e))?;
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
            .map_err(|e| index.tantivy_err(e))?;
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
    /// the time its ingests run at.
    pub(super) fn empty_index() -> (tempfile::TempDir, Index, jiff::Timestamp) {
        let dir = tempfile::tempdir().unwrap();
        let index = Index::open(dir.path(), true).unwrap();
        (dir, index, "2026-01-01T00:00:00Z".parse().unwrap())
    }

    #[test]
    fn the_fingerprint_is_the_input_without_first_seen_and_the_record_has_it() {
        let (_dir, index, now) = empty_index();
        let t: jiff::Timestamp = "2024-02-29T12:34:56Z".parse().unwrap();
        let tricky = r#"Title with ,"first_seen":null, and \ "quotes" in it"#;
        // As exported by papertrend: `first_seen` set, which the ingest
        // neither fingerprints nor keeps.
        let input = Paper {
            id: "arxiv:2401.00001".into(),
            arxiv_id: Some("2401.00001".into()),
            title: tricky.into(),
            abstract_text: format!("{tricky} {tricky}\n"),
            authors: vec![tricky.into()],
            code_url: Some(tricky.into()),
            sources: vec![tricky.into()],
            first_seen: Some(t),
            ..Paper::default()
        };
        let mut session = index.session(16, 10, now).unwrap();
        assert_eq!(session.upsert(input.clone()).unwrap(), Change::Added);
        session.finish().unwrap();
        let unset = Paper {
            first_seen: None,
            ..input.clone()
        };
        let fp = stable_hash(&serde_json::to_vec(&unset).unwrap());
        let searcher = index.searcher();
        let key = Term::from_field_text(index.fields.id, &input.id);
        let addr = find_term(&index, &searcher, &key).unwrap().unwrap();
        let doc: TantivyDocument = searcher.doc(addr).unwrap();
        let fps: Vec<u64> = doc
            .get_all(index.fields.input_fp)
            .filter_map(|v| v.as_u64())
            .collect();
        assert_eq!(fps, [fp]);
        let record = doc
            .get_first(index.fields.record)
            .and_then(|v| v.as_bytes())
            .unwrap();
        let expected = Paper {
            first_seen: Some(now),
            ..unset
        };
        assert_eq!(
            String::from_utf8(record.to_vec()).unwrap(),
            serde_json::to_string(&expected).unwrap()
        );
    }
}

//! The merges of an ingest. While it runs, tantivy's merge policy is off
//! ([`own`]) and only the segments the ingest wrote are merged, each once.
//! Once those that are not full yet fill a run of about
//! [`MERGE_MAX_BYTES`], they are merged in the background while the ingest
//! goes on, one merge at a time; at the end what is left and small is
//! merged (runs of equal size, two at a time) and the default policy takes
//! over again ([`hand_back`]). A large ingest so rewrites little of what
//! it wrote and leaves a few segments to search (about six for 1 M
//! papers), where batched commits under the default policy would leave
//! merge tiers behind.
//!
//! A `tantivy::merge_policy::MergePolicy` cannot do this: it is shown only
//! the metas of the segments not being merged (document counts, not
//! bytes) whenever the segment list changes, so it cannot tell a segment
//! its own merge wrote from a newly committed one, nor when its merges
//! end; and the merges it starts cannot be waited for, while an ingest
//! must wait for its final merges before it lets the writer go.

use std::collections::{HashSet, VecDeque};

use tantivy::IndexWriter;
use tantivy::index::{SegmentId, SegmentMeta};
use tantivy::merge_policy::{LogMergePolicy, NoMergePolicy};

use super::super::{Index, IndexError};

/// The largest merge an ingest starts, in bytes of input segments: a merge
/// reads its inputs through memory maps, so this bounds the memory a merge
/// holds (one runs beside the indexing threads, two at the end; 1 M
/// synthetic arXiv records, 1.7 GB, end in about six segments, searched in
/// parallel).
pub const MERGE_MAX_BYTES: u64 = 320 << 20;

/// A merge under way on tantivy's merge threads, waited for on a thread of
/// its own so that the ingest can tell when it is done without blocking.
type Merging = std::thread::JoinHandle<tantivy::Result<Option<SegmentMeta>>>;

/// Turns tantivy's merge policy off: the ingest merges its own segments.
pub(super) fn own(writer: &IndexWriter) {
    writer.set_merge_policy(Box::new(NoMergePolicy));
}

/// Gives merging back to the default merge policy, bounded as
/// [`merge_policy`] says.
pub(super) fn hand_back(writer: &IndexWriter) {
    writer.set_merge_policy(Box::new(merge_policy()));
}

/// The default merge policy, bounded so that it never builds a segment
/// much past [`MERGE_MAX_BYTES`] (about 200 k papers of about 1.5 KB): it
/// merges only segments of at most [`POLICY_MAX_DOCS`] papers, about eight
/// at a time (one level of `LogMergePolicy`). The segments an ingest leaves
/// (a quarter of a merge run or more, about 50 k papers) are so never
/// merged again, and the small segments of daily runs are.
fn merge_policy() -> LogMergePolicy {
    let mut p = LogMergePolicy::default();
    p.set_max_docs_before_merge(POLICY_MAX_DOCS);
    p
}

/// The largest segment tantivy's merge policy merges, in papers. With a
/// bound on the *inputs* only of 200 k, an import of 2.7 M papers left
/// eight segments of just under 200 k that the policy merged into one of
/// 1.4 M papers, mapping 2.3 GB at once (peak RSS 2.5 GiB).
const POLICY_MAX_DOCS: usize = 25_000;

/// How many of its final merges an ingest runs at once. A tantivy merge is
/// single-threaded, and after the last commit nothing else runs.
fn merges_at_once() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(2))
}

/// The merges of one ingest: under way, done, and those left for the end.
pub(super) struct Merges {
    /// Segments that existed when the ingest started: never merged by it.
    base: HashSet<SegmentId>,
    /// [`MERGE_MAX_BYTES`], but for tests.
    pub(super) max_bytes: u64,
    /// How many final merges run at once ([`merges_at_once`]).
    at_once: usize,
    /// Merges under way, oldest first, with the segments each reads.
    pub(super) merging: VecDeque<(Vec<SegmentId>, Merging)>,
    /// The segments those merges wrote.
    pub(super) merged: HashSet<SegmentId>,
    /// The final merges not started yet.
    queued: VecDeque<Vec<SegmentId>>,
}

impl Merges {
    /// No merges yet; `base` are the segments from before the ingest.
    pub(super) fn new(base: HashSet<SegmentId>) -> Self {
        Merges {
            base,
            max_bytes: MERGE_MAX_BYTES,
            at_once: merges_at_once(),
            merging: VecDeque::new(),
            merged: HashSet::new(),
            queued: VecDeque::new(),
        }
    }

    /// Starts merging `ids` in the background.
    fn start(&mut self, writer: &mut IndexWriter, ids: Vec<SegmentId>) {
        let future = writer.merge(&ids);
        let waiting = std::thread::spawn(move || future.wait());
        self.merging.push_back((ids, waiting));
    }

    /// Collects the merges that are done (with `wait`, waits for the
    /// oldest one first) and notes the segments they wrote. Returns
    /// whether one was collected: the reader must then be reloaded, so
    /// that lookups search the merged segment and the inputs' memory maps
    /// are let go.
    pub(super) fn reap(&mut self, index: &Index, wait: bool) -> Result<bool, IndexError> {
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
                .map_err(|_| index.engine_err(&"a merge thread panicked"))?
                .map_err(|e| index.tantivy_err(e))?;
            self.merged.extend(written.map(|meta| meta.id()));
            reaped = true;
            if wait {
                break;
            }
        }
        Ok(reaped)
    }

    /// The ingest's segments that none of its merges wrote or is reading,
    /// with their sizes.
    pub(super) fn unmerged(&self, index: &Index) -> Result<Vec<(SegmentId, u64)>, IndexError> {
        let busy: HashSet<SegmentId> = self
            .merging
            .iter()
            .flat_map(|(ids, _)| ids.iter().copied())
            .collect();
        let metas = index
            .inner
            .searchable_segment_metas()
            .map_err(|e| index.tantivy_err(e))?;
        Ok(metas
            .iter()
            .filter(|m| {
                let id = m.id();
                !self.base.contains(&id) && !self.merged.contains(&id) && !busy.contains(&id)
            })
            .map(|m| (m.id(), segment_bytes(index, m)))
            .collect())
    }

    /// Unless a merge is under way: once the unmerged segments fill a run
    /// of about [`MERGE_MAX_BYTES`], starts merging them while the ingest
    /// goes on. A merge ends by syncing what it wrote; merges left to the
    /// end would leave the cores idle while a few hundred megabytes reach
    /// the disk, while under way during the ingest that wait overlaps
    /// indexing.
    pub(super) fn start_while_ingesting(
        &mut self,
        index: &Index,
        writer: &mut IndexWriter,
    ) -> Result<(), IndexError> {
        if !self.merging.is_empty() {
            return Ok(());
        }
        // Full: near the bound (with the default budget a bulk import
        // writes segments of about 300 MB, left alone), so that merges
        // write few, large segments.
        let full = self.max_bytes / 8 * 7;
        let (mut run, mut bytes) = (Vec::new(), 0);
        for (id, size) in self.unmerged(index)? {
            if size >= full {
                continue;
            }
            if bytes + size > self.max_bytes {
                break;
            }
            run.push(id);
            bytes += size;
        }
        if run.len() > 1 && bytes >= full {
            self.start(writer, run);
        }
        Ok(())
    }

    /// After the last commit: queues the final merges of what is left of
    /// the small segments (under a quarter of [`MERGE_MAX_BYTES`]), in
    /// balanced runs of about [`MERGE_MAX_BYTES`]. Returns whether the
    /// ingest wrote any segment.
    pub(super) fn plan_final(&mut self, index: &Index) -> Result<bool, IndexError> {
        let mut left = self.unmerged(index)?;
        let wrote = !left.is_empty() || !self.merging.is_empty() || !self.merged.is_empty();
        // Segments of a quarter of a run or more are left as they are:
        // rewriting them would add little to searches and keep a core busy,
        // the other idle, at the end of every bulk import (the last commit
        // of a 1 M import writes two of about 160 MB).
        left.retain(|&(_, size)| size < self.max_bytes / 4);
        let sizes: Vec<u64> = left.iter().map(|&(_, size)| size).collect();
        self.queued = balanced_runs(&sizes, self.max_bytes, self.at_once)
            .into_iter()
            .filter(|run| run.len() > 1)
            .map(|run| left[run].iter().map(|&(id, _)| id).collect())
            .collect();
        Ok(wrote)
    }

    /// Starts queued final merges until `at_once` are under way. Returns
    /// whether any is under way (to be waited for with [`Merges::reap`]).
    pub(super) fn start_final(&mut self, writer: &mut IndexWriter) -> bool {
        while self.merging.len() < self.at_once
            && let Some(run) = self.queued.pop_front()
        {
            self.start(writer, run);
        }
        !self.merging.is_empty()
    }
}

/// The bytes of a segment's files (what a merge maps).
fn segment_bytes(index: &Index, meta: &SegmentMeta) -> u64 {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::writer::Change;
    use crate::index::writer::tests::empty_index;
    use crate::paper::Paper;
    use tantivy::Term;

    /// A paper of about 1 KB, `i` apart.
    fn paper(i: usize) -> Paper {
        let mut p = Paper {
            title: format!("Paper number {i} on merging segments"),
            abstract_text: "We merge segments in bounded groups. ".repeat(20),
            sources: vec!["jsonl".into()],
            ..Paper::default()
        };
        p.assign_id();
        p
    }

    #[test]
    fn the_merge_policy_leaves_an_imports_segments_alone_and_merges_small_ones() {
        use tantivy::merge_policy::MergePolicy;
        let index = tantivy::Index::create_in_ram(tantivy::schema::Schema::builder().build());
        // Ten segments just under the old bound (what an import leaves),
        // and eight of a daily run each.
        let big: Vec<SegmentMeta> = (0..10)
            .map(|_| index.new_segment_meta(SegmentId::generate_random(), 199_000))
            .collect();
        let small: Vec<SegmentMeta> = (0..8)
            .map(|_| index.new_segment_meta(SegmentId::generate_random(), 500))
            .collect();
        let all: Vec<SegmentMeta> = big.iter().chain(&small).cloned().collect();
        let candidates = merge_policy().compute_merge_candidates(&all);
        let merged: Vec<SegmentId> = candidates.into_iter().flat_map(|c| c.0).collect();
        assert_eq!(merged.len(), 8, "{merged:?}");
        assert!(merged.iter().all(|id| small.iter().any(|m| m.id() == *id)));
    }

    #[test]
    fn segments_are_merged_while_ingesting_and_at_the_end_keeping_every_paper() {
        let (_dir, index, now) = empty_index();
        // A commit after every paper: one segment each.
        let mut session = index.session(16, 1, now).unwrap();
        assert_eq!(session.upsert(paper(0)).unwrap(), Change::Added);
        let one = session.merges.unmerged(&index).unwrap();
        assert_eq!(one.len(), 1);
        // Room for four one-paper segments per merge, and full at four.
        session.merges.max_bytes = one[0].1 * 9 / 2;
        for i in 1..20 {
            assert_eq!(session.upsert(paper(i)).unwrap(), Change::Added);
            // Papers in segments being merged or merged are still found.
            assert_eq!(session.upsert(paper(i / 2)).unwrap(), Change::Unchanged);
        }
        assert!(
            session.merges.merging.len() + session.merges.merged.len() >= 1,
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
    fn segments_from_before_the_ingest_are_never_merged_by_it() {
        let (_dir, index, now) = empty_index();
        // An earlier ingest left four one-paper segments.
        let mut earlier = index.session(16, 1, now).unwrap();
        for i in 0..4 {
            assert_eq!(earlier.upsert(paper(i)).unwrap(), Change::Added);
        }
        let mut before: Vec<SegmentId> = earlier
            .merges
            .unmerged(&index)
            .unwrap()
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        // Its own merges would take them: make them too big to merge.
        earlier.merges.max_bytes = 1;
        earlier.finish().unwrap();
        let ids = |index: &Index| -> Vec<SegmentId> {
            let mut ids: Vec<SegmentId> = index
                .inner
                .searchable_segment_metas()
                .unwrap()
                .iter()
                .map(SegmentMeta::id)
                .collect();
            ids.sort();
            ids
        };
        before.sort();
        assert_eq!(ids(&index), before, "four small segments under the bound");
        // The next ingest writes four more and merges only its own.
        let mut session = index.session(16, 1, now).unwrap();
        for i in 4..8 {
            assert_eq!(session.upsert(paper(i)).unwrap(), Change::Added);
        }
        let own = session.merges.unmerged(&index).unwrap();
        assert_eq!(own.len(), 4, "{own:?}");
        assert!(own.iter().all(|(id, _)| !before.contains(id)));
        session.merges.max_bytes = own.iter().map(|&(_, size)| size).sum::<u64>() * 5;
        assert!(session.merges.plan_final(&index).unwrap());
        assert_eq!(session.merges.queued.len(), 1);
        assert_eq!(session.merges.queued[0].len(), 4);
        assert!(
            session.merges.queued[0]
                .iter()
                .all(|id| !before.contains(id))
        );
        session.finish().unwrap();
        assert_eq!(index.count(), 8);
        let after = ids(&index);
        assert_eq!(after.len(), 5, "the four earlier ones and one merged");
        assert!(before.iter().all(|id| after.contains(id)), "{after:?}");
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
}

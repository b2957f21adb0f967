//! What an ingest keeps in memory about what it wrote, for lookups that
//! the index cannot answer yet or need not search everywhere.
//!
//! [`Pending`] is the uncommitted batch: until a commit, lookups cannot see
//! it. The newest [`PENDING_PAPERS`] papers of the batch are held whole,
//! and a later sighting of one is merged in memory; of the rest only the
//! keys are held, and a sighting of one commits the batch first. Memory so
//! does not grow with the batch, and a large batch writes large segments
//! (with the default budget, about 200 000 papers each).
//!
//! [`Written`] is every lookup key and input fingerprint the ingest wrote,
//! committed or not: a lookup of a key it did not write searches only the
//! segments from before the ingest, and a fingerprint it wrote is known
//! without a search.

use std::collections::{HashMap, HashSet, VecDeque};

use tantivy::schema::Field;

use crate::paper::{Paper, stable_hash};

/// How many papers of the uncommitted batch an ingest holds whole, the
/// most recently written (about 2 KB each): a paper seen again within
/// this many papers is merged in memory. The rest of a batch is held as
/// keys only, so that a batch, and the segments it writes, can be large
/// without holding every paper in memory.
pub const PENDING_PAPERS: usize = 20_000;

/// The in-memory key of a raw lookup term: its field and its text. A
/// collision only widens a lookup to every segment, or commits a batch
/// early.
pub(super) fn key_hash(field: Field, value: &str) -> u64 {
    stable_hash(value.as_bytes()) ^ (u64::from(field.field_id()) << 56)
}

/// A paper held whole, with the input fingerprints merged into it.
pub(super) type Held = (Paper, Vec<u64>);

/// The uncommitted batch: its newest papers whole, all its keys.
pub(super) struct Pending {
    /// The most recently written papers of the batch, by id (at most
    /// `max`).
    papers: HashMap<String, Held>,
    /// The ids in `papers` by the [`key_hash`] of their title key.
    titles: HashMap<u64, String>,
    /// The ids written to `papers` with their `titles` key, oldest first
    /// (the eviction order).
    order: VecDeque<(String, u64)>,
    /// [`PENDING_PAPERS`], but for tests.
    pub(super) max: usize,
    /// [`key_hash`]es of the ids and title keys of every paper in the
    /// batch, held whole or not.
    keys: HashSet<u64>,
    /// Papers written since the last commit.
    len: usize,
}

impl Pending {
    /// An empty batch holding at most `max` papers whole.
    pub(super) fn new(max: usize) -> Self {
        Pending {
            papers: HashMap::new(),
            titles: HashMap::new(),
            order: VecDeque::new(),
            max,
            keys: HashSet::new(),
            len: 0,
        }
    }

    /// Papers written since the last commit.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// The id of the paper of the batch that a sighting with this `id`
    /// and title key (`title`, a [`key_hash`]) may be: its own id when
    /// that paper is held, else the id last written under its title (that
    /// paper may since have left the window).
    pub(super) fn candidate(&self, id: &str, title: u64) -> Option<String> {
        if self.papers.contains_key(id) {
            Some(id.to_string())
        } else {
            self.titles.get(&title).cloned()
        }
    }

    /// The paper held whole under `id`.
    pub(super) fn get(&self, id: &str) -> Option<&Held> {
        self.papers.get(id)
    }

    /// Whether the paper `id` is held whole.
    pub(super) fn holds(&self, id: &str) -> bool {
        self.papers.contains_key(id)
    }

    /// Whether a sighting with this id (`id`, its [`key_hash`] `id_key`)
    /// and title key (`title`) matches a paper of the batch that is no
    /// longer held whole: the batch must then be committed before the
    /// lookup. `candidate` is what [`Pending::candidate`] said.
    pub(super) fn left_the_window(
        &self,
        id: &str,
        id_key: u64,
        candidate: Option<&str>,
        title: u64,
    ) -> bool {
        let id_left = !self.holds(id) && self.keys.contains(&id_key);
        let title_left =
            !candidate.is_some_and(|held| self.holds(held)) && self.keys.contains(&title);
        id_left || title_left
    }

    /// Replaces the fingerprints of the paper held under `id` (a sighting
    /// that changed nothing but is now known).
    pub(super) fn set_fps(&mut self, id: &str, fps: Vec<u64>) {
        if let Some(entry) = self.papers.get_mut(id) {
            entry.1 = fps;
        }
    }

    /// Stops holding the paper `id` (its id changed; it is written again
    /// under the new one).
    pub(super) fn forget(&mut self, id: &str) {
        self.papers.remove(id);
    }

    /// Adds a written paper with its fingerprints and keys ([`key_hash`]es
    /// of its id and title key), and lets the oldest held papers go past
    /// `max`.
    pub(super) fn push(&mut self, paper: Paper, fps: Vec<u64>, id_key: u64, title: u64) {
        self.keys.extend([id_key, title]);
        self.len += 1;
        self.titles.insert(title, paper.id.clone());
        self.order.push_back((paper.id.clone(), title));
        self.papers.insert(paper.id.clone(), (paper, fps));
        while self.papers.len() > self.max
            && let Some((id, title)) = self.order.pop_front()
        {
            if self.papers.remove(&id).is_some() && self.titles.get(&title) == Some(&id) {
                self.titles.remove(&title);
            }
        }
    }

    /// Forgets the batch (it was committed: lookups see it now).
    pub(super) fn clear(&mut self) {
        self.papers.clear();
        self.titles.clear();
        self.order.clear();
        self.keys.clear();
        self.len = 0;
    }
}

/// The lookup keys and input fingerprints of every paper an ingest wrote.
#[derive(Default)]
pub(super) struct Written {
    /// [`key_hash`]es of the ids and title keys.
    keys: HashSet<u64>,
    /// Input fingerprints.
    fps: HashSet<u64>,
}

impl Written {
    /// Notes a written paper's keys ([`key_hash`]es) and fingerprints.
    pub(super) fn note(&mut self, id_key: u64, title: u64, fps: &[u64]) {
        self.keys.extend([id_key, title]);
        self.fps.extend(fps.iter().copied());
    }

    /// Whether a paper written had the key `key` (a [`key_hash`]).
    pub(super) fn has_key(&self, key: u64) -> bool {
        self.keys.contains(&key)
    }

    /// Whether a paper written carries the fingerprint `fp`.
    pub(super) fn has_fp(&self, fp: u64) -> bool {
        self.fps.contains(&fp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::writer::Change;
    use crate::index::writer::tests::empty_index;
    use tantivy::Term;

    fn held(id: &str) -> Paper {
        Paper {
            id: id.into(),
            ..Paper::default()
        }
    }

    #[test]
    fn the_window_holds_the_newest_papers_and_every_key_of_the_batch() {
        let mut pending = Pending::new(2);
        for (i, id) in ["a", "b", "c"].into_iter().enumerate() {
            pending.push(held(id), vec![i as u64], 10 + i as u64, 20 + i as u64);
        }
        assert_eq!(pending.len(), 3);
        assert!(!pending.holds("a") && pending.holds("b") && pending.holds("c"));
        assert_eq!(pending.get("c").map(|h| h.1.clone()), Some(vec![2]));
        // Paper a left the window: by its id or its title, the batch must
        // be committed before a lookup; papers b and c are merged in memory.
        assert!(pending.left_the_window("a", 10, None, 99));
        assert_eq!(pending.candidate("x", 20), None, "title of a let go");
        assert!(pending.left_the_window("x", 98, None, 20));
        assert_eq!(pending.candidate("x", 21).as_deref(), Some("b"));
        assert!(!pending.left_the_window("x", 98, Some("b"), 21));
        assert!(!pending.left_the_window("c", 12, Some("c"), 22));
        // Keys of no paper of the batch: a plain lookup.
        assert!(!pending.left_the_window("y", 97, None, 96));
        // A held paper whose id changed is let go, its keys stay.
        pending.forget("b");
        assert!(!pending.holds("b"));
        assert!(pending.left_the_window("x", 98, Some("b"), 21));
        pending.set_fps("c", vec![2, 5]);
        assert_eq!(pending.get("c").map(|h| h.1.clone()), Some(vec![2, 5]));
        pending.clear();
        assert_eq!(pending.len(), 0);
        assert!(!pending.holds("c"));
        assert!(!pending.left_the_window("a", 10, None, 20));
    }

    #[test]
    fn written_keys_and_fingerprints_are_remembered_past_commits() {
        let mut written = Written::default();
        written.note(1, 2, &[7, 8]);
        assert!(written.has_key(1) && written.has_key(2) && !written.has_key(7));
        assert!(written.has_fp(8) && !written.has_fp(1));
        // Different fields, same text: different keys.
        let (_dir, index, _) = empty_index();
        let f = index.fields;
        assert_ne!(key_hash(f.id, "x"), key_hash(f.title_key, "x"));
    }

    #[test]
    fn a_paper_seen_again_after_it_left_the_pending_window_is_merged_not_duplicated() {
        let (_dir, index, now) = empty_index();
        let mut session = index.session(16, 1000, now).unwrap();
        session.pending.max = 2;
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
        assert_eq!(
            session.pending.papers.len(),
            2,
            "only the newest two held whole"
        );
        assert_eq!(index.searcher().num_docs(), 0, "nothing committed yet");
        // Paper 1 exactly as before: known by its fingerprint, no commit.
        assert_eq!(
            session.upsert(paper(1, "Paper 1")).unwrap(),
            Change::Unchanged
        );
        assert_eq!(session.pending.len(), 5, "no commit for an exact repeat");
        // Paper 0 again, with votes: evicted, so the batch is committed and
        // the paper found by its id.
        let mut again = paper(0, "Paper 0");
        again.upvotes = Some(7);
        assert_eq!(session.upsert(again).unwrap(), Change::Updated);
        assert_eq!(session.pending.len(), 1, "committed before the update");
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
        assert_eq!(session.pending.len(), 1, "committed before the update");
        // A paper that shares a held paper's title but not its arXiv id is
        // a new paper, and costs no commit (the held paper says so).
        assert_eq!(session.upsert(paper(9, "Paper 6")).unwrap(), Change::Added);
        assert_eq!(session.pending.len(), 2);
        session.finish().unwrap();
        assert_eq!(index.count(), 8);
        let searcher = index.searcher();
        let load = |i: usize| {
            let key = Term::from_field_text(index.fields.id, &format!("arxiv:2401.{i:05}"));
            assert_eq!(searcher.doc_freq(&key).unwrap(), 1, "paper {i}");
            let addr = super::super::find_term(&index, &searcher, &key)
                .unwrap()
                .unwrap();
            index.load(&searcher, addr).unwrap()
        };
        let first = load(0);
        assert_eq!((first.upvotes, first.github_stars), (Some(7), Some(3)));
        assert_eq!(load(9).title, "Paper 6");
    }
}

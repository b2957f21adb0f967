//! The reader's feedback: marks on papers (like, dislike, save, read) and
//! mutes (a term, an author or a category, optionally until a time).
//!
//! Stored in `<data>/state/marks.json`, apart from the index: marks survive
//! a re-ingest, a rebuilt index (delete `<data>/index` and ingest an
//! `export`) and are not part of `export`. Every write replaces the file
//! atomically ([`write_atomic`]) while holding `<data>/state/marks.lock`
//! (waiting for it: a read-modify-write of a few kilobytes), so two `mark`
//! commands at once never lose one another's change. The lock is not the
//! run lock: marking works while a `run` fetches.
//!
//! Marks are keyed by the paper's id as the index knows it (`arxiv:…`);
//! `like` and `dislike` exclude each other, `save` and `read` are flags of
//! their own.

use std::collections::HashSet;
use std::path::PathBuf;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::paper::{Paper, normalise_title};
use crate::state::{DataDir, write_atomic};

/// Version of `marks.json`.
pub const MARKS_VERSION: u32 = 1;

/// Like or dislike.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Opinion {
    /// More like this.
    Like,
    /// Less like this.
    Dislike,
}

/// What `mark` sets (or `unmark` clears).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkKind {
    /// Like (clears a dislike).
    Like,
    /// Dislike (clears a like).
    Dislike,
    /// Save for later.
    Save,
    /// Read: hidden by `--unseen`.
    Read,
}

/// The reader's marks on one paper.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mark {
    /// The paper's id in the index.
    pub id: String,
    /// Its title when marked (for listings without the index).
    pub title: String,
    /// Like or dislike, if either.
    pub opinion: Option<Opinion>,
    /// Saved for later.
    #[serde(default)]
    pub saved: bool,
    /// Marked read.
    #[serde(default)]
    pub read: bool,
    /// When a mark on it last changed.
    pub at: Timestamp,
}

impl Mark {
    fn is_empty(&self) -> bool {
        self.opinion.is_none() && !self.saved && !self.read
    }

    /// The marks as words (`like, save`).
    pub fn labels(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        match self.opinion {
            Some(Opinion::Like) => out.push("like"),
            Some(Opinion::Dislike) => out.push("dislike"),
            None => {}
        }
        if self.saved {
            out.push("save");
        }
        if self.read {
            out.push("read");
        }
        out
    }
}

/// What a mute matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MuteKind {
    /// A word or phrase of the title or abstract (stemmed, as search).
    Term,
    /// An author (the words of the name, in order, within one author).
    Author,
    /// A category (`cs.CV`), or an archive (`cs` mutes `cs.*`).
    Category,
}

/// One mute.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Mute {
    /// What it matches.
    pub kind: MuteKind,
    /// The term, name or category as typed.
    pub value: String,
    /// When it was set.
    pub since: Timestamp,
    /// When it expires (`--for`); `None` for ever.
    pub until: Option<Timestamp>,
    /// The words matched: stems for a term, normalised words for an author.
    #[serde(skip)]
    words: Vec<String>,
}

impl PartialEq for Mute {
    fn eq(&self, other: &Mute) -> bool {
        (self.kind, &self.value, self.since, self.until)
            == (other.kind, &other.value, other.since, other.until)
    }
}

impl Mute {
    /// Parses `TERM`, `author:NAME` or `category:C` (as `mute` takes them).
    ///
    /// # Errors
    /// An empty term, name or category.
    pub fn parse(spec: &str, since: Timestamp, until: Option<Timestamp>) -> Result<Mute> {
        let spec = spec.trim();
        let (kind, value) = if let Some(name) = strip_prefix_ci(spec, "author:") {
            (MuteKind::Author, name.trim())
        } else if let Some(cat) = strip_prefix_ci(spec, "category:") {
            (MuteKind::Category, cat.trim())
        } else {
            (MuteKind::Term, spec)
        };
        let mut mute = Mute {
            kind,
            value: crate::sanitize::sanitize_line(value),
            since,
            until,
            words: Vec::new(),
        };
        mute.prepare();
        if mute.words.is_empty() {
            return Err(Error::Usage(format!(
                "nothing to mute in {:?}: give a word, author:NAME or category:C",
                crate::sanitize::sanitize_line(spec)
            )));
        }
        Ok(mute)
    }

    /// How the mute is written on the command line (`author:Jane Doe`).
    pub fn spec(&self) -> String {
        match self.kind {
            MuteKind::Term => self.value.clone(),
            MuteKind::Author => format!("author:{}", self.value),
            MuteKind::Category => format!("category:{}", self.value),
        }
    }

    /// Whether it is in force at `now`.
    pub fn active(&self, now: Timestamp) -> bool {
        self.until.is_none_or(|u| now < u)
    }

    /// The stems a term mute matches, in order (for a `must_not` phrase
    /// query); empty for other kinds.
    pub fn term_stems(&self) -> &[String] {
        if self.kind == MuteKind::Term {
            &self.words
        } else {
            &[]
        }
    }

    fn prepare(&mut self) {
        self.words = match self.kind {
            MuteKind::Term => crate::index::analyze(&self.value),
            MuteKind::Author => words(&self.value),
            MuteKind::Category => {
                let c = self.value.trim().to_ascii_lowercase();
                if c.is_empty() { Vec::new() } else { vec![c] }
            }
        };
    }

    /// Whether it removes `paper` (ignoring expiry); `stems` are the
    /// paper's analysed title and abstract, computed on first need.
    fn matches(&self, paper: &Paper, stems: &mut Option<Vec<String>>) -> bool {
        match self.kind {
            MuteKind::Term => {
                let s = stems.get_or_insert_with(|| {
                    let mut s = crate::index::analyze(&paper.title);
                    s.extend(crate::index::analyze(&paper.abstract_text));
                    s
                });
                contains_run(s, &self.words)
            }
            MuteKind::Author => paper
                .authors
                .iter()
                .any(|a| contains_run(&words(a), &self.words)),
            MuteKind::Category => self.words.first().is_some_and(|want| {
                paper.categories.iter().any(|c| {
                    let c = c.to_ascii_lowercase();
                    c == *want
                        || c.strip_prefix(want.as_str())
                            .is_some_and(|r| r.starts_with('.'))
                })
            }),
        }
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// Lowercase words of a name.
fn words(s: &str) -> Vec<String> {
    normalise_title(s)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether `needle` occurs in `hay` as consecutive items.
fn contains_run(hay: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// `state/marks.json`: every mark and mute.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Marks {
    /// [`MARKS_VERSION`].
    pub schema_version: u32,
    /// Marks, by id.
    pub marks: Vec<Mark>,
    /// Mutes, oldest first (expired ones too, until removed).
    pub mutes: Vec<Mute>,
}

impl Marks {
    fn path(data: &DataDir) -> PathBuf {
        data.state().join("marks.json")
    }

    /// Loads the marks (empty when none exist yet).
    ///
    /// # Errors
    /// An unreadable or corrupt file, or one from a newer papertrend.
    pub fn load(data: &DataDir) -> Result<Marks> {
        let path = Self::path(data);
        let mut marks: Marks = match crate::state::read_file(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                Error::Other(format!("{}: corrupt marks file: {e}", path.display()))
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Marks {
                schema_version: MARKS_VERSION,
                ..Marks::default()
            },
            Err(e) => return Err(Error::io(path.display(), e)),
        };
        if marks.schema_version > MARKS_VERSION {
            return Err(Error::Other(format!(
                "{}: written by a newer papertrend (marks version {})",
                path.display(),
                marks.schema_version
            )));
        }
        for m in &mut marks.mutes {
            m.prepare();
        }
        Ok(marks)
    }

    /// Loads the marks, applies `change` and saves them atomically, holding
    /// `state/marks.lock` throughout (waiting for another writer).
    ///
    /// # Errors
    /// Whatever `change` returns (nothing is saved then), or an I/O error.
    pub fn update<T>(data: &DataDir, change: impl FnOnce(&mut Marks) -> Result<T>) -> Result<T> {
        let dir = data.state();
        crate::state::create_dir(&dir)?;
        let lock_path = dir.join("marks.lock");
        let lock = crate::state::open_lock_file(&lock_path, false)
            .map_err(|e| Error::io(lock_path.display(), e))?;
        lock.lock().map_err(|e| Error::io(lock_path.display(), e))?;
        let mut marks = Self::load(data)?;
        let out = change(&mut marks)?;
        marks.schema_version = MARKS_VERSION;
        let path = Self::path(data);
        let mut bytes = serde_json::to_vec_pretty(&marks)
            .map_err(|e| Error::Other(format!("{}: cannot encode: {e}", path.display())))?;
        bytes.push(b'\n');
        write_atomic(&path, &bytes).map_err(|e| Error::io(path.display(), e))?;
        drop(lock);
        Ok(out)
    }

    /// The mark on `id`, if any.
    pub fn get(&self, id: &str) -> Option<&Mark> {
        self.marks.iter().find(|m| m.id == id)
    }

    /// Sets `kind` on the paper `id` (titled `title`) at `now`.
    pub fn mark(&mut self, id: &str, title: &str, kind: MarkKind, now: Timestamp) {
        let pos = match self.marks.iter().position(|m| m.id == id) {
            Some(p) => p,
            None => {
                self.marks.push(Mark {
                    id: id.to_string(),
                    title: title.to_string(),
                    opinion: None,
                    saved: false,
                    read: false,
                    at: now,
                });
                self.marks.sort_by(|a, b| a.id.cmp(&b.id));
                self.marks.iter().position(|m| m.id == id).unwrap_or(0)
            }
        };
        let Some(m) = self.marks.get_mut(pos) else {
            return;
        };
        match kind {
            MarkKind::Like => m.opinion = Some(Opinion::Like),
            MarkKind::Dislike => m.opinion = Some(Opinion::Dislike),
            MarkKind::Save => m.saved = true,
            MarkKind::Read => m.read = true,
        }
        if !title.is_empty() {
            m.title = title.to_string();
        }
        m.at = now;
    }

    /// Clears `kinds` (every mark when empty) on `id`; whether it had any.
    pub fn unmark(&mut self, id: &str, kinds: &[MarkKind], now: Timestamp) -> bool {
        let Some(pos) = self.marks.iter().position(|m| m.id == id) else {
            return false;
        };
        if kinds.is_empty() {
            self.marks.remove(pos);
            return true;
        }
        let Some(m) = self.marks.get_mut(pos) else {
            return false;
        };
        for k in kinds {
            match k {
                MarkKind::Like if m.opinion == Some(Opinion::Like) => m.opinion = None,
                MarkKind::Dislike if m.opinion == Some(Opinion::Dislike) => m.opinion = None,
                MarkKind::Save => m.saved = false,
                MarkKind::Read => m.read = false,
                _ => {}
            }
        }
        m.at = now;
        if m.is_empty() {
            self.marks.remove(pos);
        }
        true
    }

    /// Adds `mute`, replacing one with the same kind and value.
    pub fn mute(&mut self, mute: Mute) {
        self.mutes
            .retain(|m| !(m.kind == mute.kind && m.words == mute.words));
        self.mutes.push(mute);
    }

    /// Removes the mutes written as `spec`; how many.
    pub fn unmute(&mut self, spec: &str) -> usize {
        let Ok(probe) = Mute::parse(spec, Timestamp::UNIX_EPOCH, None) else {
            return 0;
        };
        let before = self.mutes.len();
        self.mutes
            .retain(|m| !(m.kind == probe.kind && m.words == probe.words));
        before - self.mutes.len()
    }

    /// The first mute in force at `now` that removes `paper`.
    pub fn mute_for(&self, paper: &Paper, now: Timestamp) -> Option<&Mute> {
        let mut stems = None;
        self.mutes
            .iter()
            .filter(|m| m.active(now))
            .find(|m| m.matches(paper, &mut stems))
    }

    /// The mutes in force at `now`.
    pub fn active_mutes(&self, now: Timestamp) -> impl Iterator<Item = &Mute> {
        self.mutes.iter().filter(move |m| m.active(now))
    }

    /// Liked papers.
    pub fn liked(&self) -> impl Iterator<Item = &Mark> {
        self.marks
            .iter()
            .filter(|m| m.opinion == Some(Opinion::Like))
    }

    /// Disliked papers.
    pub fn disliked(&self) -> impl Iterator<Item = &Mark> {
        self.marks
            .iter()
            .filter(|m| m.opinion == Some(Opinion::Dislike))
    }

    /// The ids of the liked papers, then of the disliked ones (what the
    /// profile is trained on).
    pub fn opinion_ids(&self) -> (Vec<&str>, Vec<&str>) {
        let liked = self.liked().map(|m| m.id.as_str()).collect();
        (liked, self.disliked().map(|m| m.id.as_str()).collect())
    }

    /// Ids of papers marked read.
    pub fn read_ids(&self) -> impl Iterator<Item = &str> {
        self.marks.iter().filter(|m| m.read).map(|m| m.id.as_str())
    }
}

/// Ids of papers the reader has seen: listed by a delivered digest (the
/// ledger) or marked in any way (a like, dislike or save means the reader
/// saw it, as `explain` says). What `--unseen` hides.
///
/// # Errors
/// An unreadable ledger or marks file.
pub fn seen_ids(data: &DataDir) -> Result<HashSet<String>> {
    let ledger = crate::ledger::Ledger::load(data)?;
    let marks = Marks::load(data)?;
    let mut out: HashSet<String> = ledger
        .digests
        .iter()
        .flat_map(|d| d.papers.iter().cloned())
        .collect();
    out.extend(
        marks
            .marks
            .iter()
            .filter(|m| !m.is_empty())
            .map(|m| m.id.clone()),
    );
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn paper() -> Paper {
        Paper {
            id: "arxiv:2601.00001".into(),
            title: "Diffusion Models for Speech Synthesis".into(),
            abstract_text: "We train large language models on spoken dialogue.".into(),
            authors: vec!["Jane Q. Doe".into(), "Li Wei".into()],
            categories: vec!["cs.SD".into(), "eess.AS".into()],
            ..Paper::default()
        }
    }

    #[test]
    fn mutes_match_stems_authors_and_categories_until_they_expire() {
        let now = t("2026-01-01T00:00:00Z");
        let until = Some(t("2026-01-31T00:00:00Z"));
        let mut marks = Marks::default();
        assert!(marks.mute_for(&paper(), now).is_none());
        marks.mute(Mute::parse("language model", now, until).unwrap());
        let hit = marks.mute_for(&paper(), now).unwrap();
        assert_eq!(hit.spec(), "language model");
        assert!(
            marks
                .mute_for(&paper(), t("2026-01-31T00:00:00Z"))
                .is_none()
        );
        assert_eq!(marks.unmute("Language Models"), 1, "same stems");
        for (spec, hits) in [
            ("author:jane q doe", true),
            ("author:Doe", true),
            ("author:Wei Li", false),
            ("category:cs.sd", true),
            ("category:eess", true),
            ("category:cs.S", false),
            ("synthesizing speech", false),
            ("speech synthesis", true),
        ] {
            let mut m = Marks::default();
            m.mute(Mute::parse(spec, now, None).unwrap());
            assert_eq!(m.mute_for(&paper(), now).is_some(), hits, "{spec}");
        }
        assert!(Mute::parse("author:  ", now, None).is_err());
    }

    #[test]
    fn like_and_dislike_exclude_each_other_and_unmark_clears() {
        let now = t("2026-01-01T00:00:00Z");
        let mut m = Marks::default();
        m.mark("arxiv:2", "B", MarkKind::Like, now);
        m.mark("arxiv:1", "A", MarkKind::Read, now);
        m.mark("arxiv:2", "B", MarkKind::Dislike, now);
        m.mark("arxiv:2", "B", MarkKind::Save, now);
        assert_eq!(m.liked().count(), 0);
        assert_eq!(m.get("arxiv:2").unwrap().labels(), ["dislike", "save"]);
        assert_eq!(m.marks[0].id, "arxiv:1", "kept in id order");
        assert!(m.unmark("arxiv:2", &[MarkKind::Dislike], now));
        assert_eq!(m.get("arxiv:2").unwrap().labels(), ["save"]);
        assert!(m.unmark("arxiv:2", &[MarkKind::Save], now));
        assert!(m.get("arxiv:2").is_none(), "no marks left: gone");
        assert!(!m.unmark("arxiv:9", &[], now));
        assert_eq!(m.read_ids().collect::<Vec<_>>(), ["arxiv:1"]);
    }
}

//! What goes into a digest: the papers first seen inside the digest's window
//! (after the watermark of the last sent digest, up to now), minus the papers
//! an earlier digest already listed, ranked by [`crate::rank`].
//!
//! This module does not rank: it asks the ranking for the window and passes
//! an extra filter. A paper's identity is its `id` (the arXiv id without the
//! version), so a v2 of a paper already sent is not new.

use std::cell::Cell;
use std::collections::HashSet;

use jiff::Timestamp;

use super::model::RisingTopic;
use crate::config::Config;
use crate::error::Result;
use crate::index::Index;
use crate::paper::Paper;
use crate::rank::{Ranked, Window as RankWindow};

/// The window and exclusions of one digest.
#[derive(Clone, Debug, Default)]
pub struct Window {
    /// Papers first seen strictly after this are new; `None`: every paper.
    pub since: Option<Timestamp>,
    /// Papers first seen after this are left for the next digest.
    pub until: Option<Timestamp>,
    /// Ids of papers already sent (empty with `--include-seen`).
    pub skip: HashSet<String>,
}

impl Window {
    /// Whether `p` belongs to this window and was not sent before.
    fn admits(&self, p: &Paper) -> Admit {
        let seen = p.first_seen.or(p.published);
        if let (Some(since), Some(seen)) = (self.since, seen)
            && seen <= since
        {
            return Admit::Outside;
        }
        if let (Some(until), Some(seen)) = (self.until, seen)
            && seen > until
        {
            return Admit::Outside;
        }
        if self.skip.contains(&p.id) {
            return Admit::AlreadySent;
        }
        Admit::Yes
    }
}

enum Admit {
    Yes,
    Outside,
    AlreadySent,
}

/// The ranking's answer for one digest.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// The papers, best first.
    pub ranked: Vec<Ranked>,
    /// Papers in the window (new since the last digest).
    pub considered: usize,
    /// Of those, papers the reader's filters removed.
    pub excluded: usize,
    /// Papers dropped because an earlier digest listed them.
    pub already_sent: usize,
    /// Rising topics.
    pub rising: Vec<RisingTopic>,
}

/// Ranks the papers of `window` for the reader and keeps the best `limit`.
///
/// # Errors
/// An index failure.
pub fn select(
    index: &Index,
    config: &Config,
    now: Timestamp,
    window: &Window,
    limit: usize,
) -> Result<Selection> {
    let already_sent = Cell::new(0usize);
    let filter = |p: &Paper| match window.admits(p) {
        Admit::Yes => true,
        Admit::Outside => false,
        Admit::AlreadySent => {
            already_sent.set(already_sent.get() + 1);
            false
        }
    };
    let mut selection = rank(index, config, now, window, limit, &filter)?;
    selection.already_sent = already_sent.get();
    Ok(selection)
}

/// The one call into ranking: the window as `FirstSeen(watermark)` (or
/// every paper for the first digest), and `filter` for what ranking cannot
/// know (the strict watermark, the day's end, papers already sent).
fn rank(
    index: &Index,
    config: &Config,
    now: Timestamp,
    window: &Window,
    limit: usize,
    filter: &dyn Fn(&Paper) -> bool,
) -> Result<Selection> {
    // The ranking's window is inclusive; ours starts strictly after the
    // watermark. Times have whole-second precision (`Clock::now`), so one
    // second later is the first instant that is new. Without this, papers
    // ingested in the same second a digest was built would be counted as
    // new again by the next digest.
    // Both ends go into the query (not only into `filter`), so a window that
    // holds few papers of a large index costs a few loads, not a scan.
    let since = window.since.map(|t| {
        t.checked_add(jiff::SignedDuration::from_secs(1))
            .unwrap_or(t)
    });
    let rank_window = if since.is_none() && window.until.is_none() {
        RankWindow::All
    } else {
        RankWindow::FirstSeenBetween(since, window.until)
    };
    let outcome = crate::rank::rank_papers(index, config, now, rank_window, limit, Some(filter))?;
    let mut ranked = outcome.ranked;
    // Equal scores in a stable order (by id), so the same index and clock
    // always give the same digest, byte for byte.
    ranked.sort_by(|a, b| {
        b.score
            .total
            .total_cmp(&a.score.total)
            .then_with(|| a.paper.id.cmp(&b.paper.id))
    });
    Ok(Selection {
        ranked,
        considered: outcome.considered,
        excluded: outcome.excluded,
        already_sent: 0,
        rising: outcome
            .rising
            .into_iter()
            .map(|t| RisingTopic {
                phrase: t.phrase,
                window_count: t.window_count,
                baseline_count: t.baseline_count,
            })
            .collect(),
    })
}

//! The reader's feedback as the ranking uses it: their marks (mutes) and
//! the profile learned from their likes and dislikes, trained on the
//! index's terms (`index/terms.rs`).

use crate::index::terms::Terms;
use crate::index::{Index, IndexError};
use crate::marks::{Marks, Mute};
use crate::paper::Paper;
use crate::profile::{Example, Profile};
use crate::rank::Ranked;

/// How many liked papers a result's *Why* names.
pub const NEIGHBOURS: usize = 2;

/// The reader's feedback as the ranking uses it: the marks (for mutes) and
/// the profile trained from their likes and dislikes, once per command.
#[derive(Clone, Debug, Default)]
pub struct Feedback {
    /// Every mark and mute.
    pub marks: Marks,
    /// The profile learned from the likes and dislikes (empty without).
    pub profile: Profile,
}

impl Feedback {
    /// No feedback: nothing muted, an empty profile.
    pub fn none() -> Feedback {
        Feedback::default()
    }

    /// Loads the marks of `data` and trains the profile on `index`.
    ///
    /// # Errors
    /// An unreadable marks file, or an index failure.
    pub fn load(index: &Index, data: &crate::state::DataDir) -> crate::error::Result<Feedback> {
        let marks = Marks::load(data)?;
        let profile = if marks.liked().next().is_some() || marks.disliked().next().is_some() {
            let (liked, disliked) = marks.opinion_ids();
            train_profile(index, &liked, &disliked)?
        } else {
            Profile::default()
        };
        Ok(Feedback { marks, profile })
    }

    /// The mute in force at `now` that removes `paper`, if any.
    pub fn mute_for(&self, paper: &Paper, now: jiff::Timestamp) -> Option<&Mute> {
        self.marks.mute_for(paper, now)
    }

    /// Whether any mute is in force at `now`.
    pub fn mutes_at(&self, now: jiff::Timestamp) -> bool {
        self.marks.active_mutes(now).next().is_some()
    }

    /// Names, in each result's *Why*, the liked papers it is closest to
    /// (`like: *Paper A*, *Paper B*`), for results the profile lifts by at
    /// least [`crate::rank::PROFILE_NAMED`]. Call
    /// it for the results shown only: it analyses each abstract.
    pub fn name_neighbours<'a>(&self, results: impl IntoIterator<Item = &'a mut Ranked>) {
        if self.profile.is_empty() {
            return;
        }
        let mut terms = Terms::new();
        for r in results {
            if r.score
                .part(crate::rank::PartName::Profile)
                .is_none_or(|p| p.value < crate::rank::PROFILE_NAMED)
            {
                continue;
            }
            let near: Vec<String> = self
                .profile
                .neighbours(&terms.of(&r.paper), NEIGHBOURS)
                .into_iter()
                .filter(|(id, _, _)| *id != r.paper.id)
                .map(|(_, title, _)| crate::sanitize::sanitize_line(&title))
                .collect();
            r.why = crate::rank::with_neighbours(&r.why, &near);
            if let Some(p) = r
                .score
                .parts
                .iter_mut()
                .find(|p| p.name == crate::rank::PartName::Profile)
                && !near.is_empty()
            {
                p.detail
                    .push(format!("closest liked papers: {}", near.join("; ")));
            }
        }
    }
}

/// Trains the reader's profile from the papers `liked` and `disliked` (ids)
/// still in `index`, with the index's document frequencies.
///
/// # Errors
/// An index failure.
pub fn train_profile(
    index: &Index,
    liked: &[&str],
    disliked: &[&str],
) -> Result<Profile, IndexError> {
    let mut analyzer = Terms::new();
    let mut examples = |ids: Vec<&str>| -> Result<Vec<Example>, IndexError> {
        let mut out = Vec::new();
        for id in ids {
            if let Some(p) = index.get(id)? {
                let terms = analyzer.of(&p);
                out.push((p.id, p.title, terms));
            }
        }
        Ok(out)
    };
    let liked = examples(liked.to_vec())?;
    let disliked = examples(disliked.to_vec())?;
    let stems = liked
        .iter()
        .chain(&disliked)
        .flat_map(|(_, _, t)| t.iter().map(String::as_str));
    let df = index.doc_freqs(stems);
    Ok(Profile::train(
        &liked,
        &disliked,
        |s| df.get(s).copied().unwrap_or(0),
        index.count(),
    ))
}

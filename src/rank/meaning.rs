//! Interests by meaning: a paper about a keyword's subject that never
//! spells the keyword ("video editing" for `video generation`, a VLM
//! benchmark for `multimodal`) still matches it, at the keyword's weight,
//! when its words are close enough to the papers that name it.
//!
//! The model, learned from the reader's own index (no network, no
//! embeddings): each paper is a tf-idf vector of its stems (the title
//! counted twice), **without a one-word keyword's own stem**, so that
//! closeness is about what surrounds the subject, not the word. A keyword
//! of several words keeps them: each alone is part of what it means (a
//! video-editing paper shares *video* with `video generation`, a world
//! simulator *world* with `world models`), and a paper holding the whole
//! phrase matches by its words already. The keyword's vector
//! is the mean of the papers about it (the keyword in the title) minus half
//! the mean of papers that never mention it, cut to its [`STEMS`] strongest
//! stems and normalised. A paper's closeness is the cosine of the two.
//!
//! The threshold is calibrated on the same papers, so that it means the
//! same for every keyword: ranked by closeness, the papers at or above it
//! are at least [`PRECISION`] papers that name the keyword in the title
//! (a paper that does not but is as close is very likely about it too),
//! and at least `MIN_LIFT` times their share of the whole sample; the
//! threshold is never below [`MIN_CLOSENESS`]. A broad keyword that a large
//! share of papers name ("reasoning") learns no meaning: words find its
//! papers already. A keyword with fewer than [`MIN_ABOUT`] papers about it
//! learns nothing.
//!
//! Pure: term lists and a document-frequency function in, no tantivy here.

use rustc_hash::FxHashMap;

use serde::{Deserialize, Serialize};

/// How many stems a keyword's vector keeps.
pub const STEMS: usize = 60;

/// Of the papers at or above the threshold (in the sample it is
/// calibrated on), at least this share name the keyword in the title.
pub const PRECISION: f32 = 0.4;

/// However close the papers about a keyword are, a paper this far from
/// them (cosine) never matches: a broad keyword ("reasoning") has no
/// vocabulary of its own, and its calibration would reach noise.
pub const MIN_CLOSENESS: f32 = 0.06;

/// The share of papers about the keyword at or above the threshold must
/// also be this many times their share of the whole sample: for a keyword
/// a third of the papers name, 40 % is no evidence.
const MIN_LIFT: f32 = 3.0;

/// Fewer papers about a keyword than this: nothing is learned.
pub const MIN_ABOUT: usize = 30;

/// The threshold is never below the closeness of this many top papers of
/// the sample (a few lucky papers do not set it).
const MIN_RANKS: usize = 10;

/// Weight of a paper that never mentions the keyword in its vector
/// (Rocchio's γ / β).
const OTHERS_WEIGHT: f32 = 0.5;

/// What a keyword means, as learned from the papers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Meaning {
    /// The reader's keyword.
    pub keyword: String,
    /// The keyword's own stems (a one-word keyword's is left out of every
    /// vector; none is named as a shared word).
    pub own: Vec<String>,
    /// The strongest stems of the keyword's vector, with their weights
    /// (unit length), strongest first.
    pub stems: Vec<(String, f32)>,
    /// The closeness from which a paper matches.
    pub threshold: f32,
    /// How many papers about the keyword it was learned from.
    pub papers: usize,
    /// The strongest stems as a reader spells them (up to [`WORDS`]), for
    /// `interests`; empty until the caller fills it.
    #[serde(default)]
    pub words: Vec<String>,
}

/// How many of the strongest stems `interests` shows as words.
pub const WORDS: usize = 8;

/// A paper's tf-idf vector without the stems in `drop`, unit length,
/// keyed by the paper's own strings (a vector is made per paper read and
/// per candidate scored: no copies).
fn vector<'t>(
    terms: &'t [String],
    drop: &[String],
    idf: &dyn Fn(&str) -> f32,
) -> FxHashMap<&'t str, f32> {
    let mut tf: FxHashMap<&str, u32> = FxHashMap::default();
    for t in terms {
        if !drop.iter().any(|d| d == t) {
            *tf.entry(t.as_str()).or_default() += 1;
        }
    }
    let mut v: Vec<(&str, f32)> = tf
        .into_iter()
        .map(|(t, n)| (t, (1.0 + (n as f32).ln()) * idf(t)))
        .filter(|(_, x)| *x > 0.0)
        .collect();
    // Summed in stem order: a float sum in hash order differs in the last
    // bit from run to run, and a paper exactly at a threshold would flip.
    v.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let norm = v.iter().map(|(_, x)| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, x) in &mut v {
            *x /= norm;
        }
    }
    v.into_iter().collect()
}

/// The stems left out of every vector: a one-word keyword's own stem
/// (every paper about it has it, and nothing else); a keyword of several
/// words keeps its words (see the module doc).
fn left_out(own: &[String]) -> &[String] {
    if own.len() == 1 { own } else { &[] }
}

/// The idf the model uses: `ln((n + 1) / (df + 1))`, never negative.
pub fn idf(df: u64, n: u64) -> f32 {
    ((n as f32 + 1.0) / (df as f32 + 1.0)).ln().max(0.0)
}

impl Meaning {
    /// Learns what `keyword` (its stems `own`) means from the term lists of
    /// papers `about` it and of papers that never mention it; `idf(stem)`
    /// from the whole index. `None` when too few papers are about it or
    /// nothing sets it apart.
    pub fn learn<T: AsRef<[String]>>(
        keyword: &str,
        own: &[String],
        about: &[T],
        others: &[T],
        idf: &dyn Fn(&str) -> f32,
    ) -> Option<Meaning> {
        if own.is_empty() || about.len() < MIN_ABOUT || others.is_empty() {
            return None;
        }
        let about_v: Vec<_> = about
            .iter()
            .map(|t| vector(t.as_ref(), left_out(own), idf))
            .collect();
        let others_v: Vec<_> = others
            .iter()
            .map(|t| vector(t.as_ref(), left_out(own), idf))
            .collect();
        let mut sum: FxHashMap<&str, f32> = FxHashMap::default();
        for v in &about_v {
            for (t, x) in v {
                *sum.entry(t).or_default() += x / about_v.len() as f32;
            }
        }
        let mut against: FxHashMap<&str, f32> = FxHashMap::default();
        for v in &others_v {
            for (t, x) in v {
                if sum.contains_key(t) {
                    *against.entry(t).or_default() += x / others_v.len() as f32;
                }
            }
        }
        let mut stems: Vec<(String, f32)> = sum
            .into_iter()
            .map(|(t, x)| {
                (
                    t.to_string(),
                    x - OTHERS_WEIGHT * against.get(t).unwrap_or(&0.0),
                )
            })
            .filter(|(_, x)| *x > 0.0)
            .collect();
        // Strongest first; ties by stem, so that learning is deterministic.
        stems.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        stems.truncate(STEMS);
        let norm = stems.iter().map(|(_, x)| x * x).sum::<f32>().sqrt();
        if norm <= 0.0 {
            return None;
        }
        for (_, x) in &mut stems {
            *x /= norm;
        }
        let mut meaning = Meaning {
            keyword: keyword.to_string(),
            own: own.to_vec(),
            stems,
            threshold: f32::INFINITY,
            papers: about.len(),
            words: Vec::new(),
        };
        // Calibration: walk the sample from the closest paper down while
        // the share of papers about the keyword stays at PRECISION.
        let mut ranked: Vec<(f32, bool)> = about_v
            .iter()
            .map(|v| (meaning.dot(v), true))
            .chain(others_v.iter().map(|v| (meaning.dot(v), false)))
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| b.1.cmp(&a.1)));
        let base = about_v.len() as f32 / ranked.len() as f32;
        let precision = PRECISION.max(MIN_LIFT * base);
        let mut hits = 0usize;
        for (i, (closeness, is_about)) in ranked.iter().enumerate() {
            hits += usize::from(*is_about);
            if *closeness < MIN_CLOSENESS
                || (i >= MIN_RANKS && (hits as f32) < precision * (i + 1) as f32)
            {
                break;
            }
            meaning.threshold = *closeness;
        }
        (precision < 1.0 && meaning.threshold.is_finite() && meaning.threshold >= MIN_CLOSENESS)
            .then_some(meaning)
    }

    fn dot(&self, v: &FxHashMap<&str, f32>) -> f32 {
        self.stems
            .iter()
            .filter_map(|(t, w)| v.get(t.as_str()).map(|x| w * x))
            .sum()
    }

    /// How close a paper (its term list) is to the keyword: a cosine in
    /// 0..1.
    pub fn closeness(&self, terms: &[String], idf: &dyn Fn(&str) -> f32) -> f32 {
        self.dot(&vector(terms, left_out(&self.own), idf))
    }

    /// What a paper at `closeness` adds, as a multiple of the keyword's
    /// weight: 0 below the threshold, 1 from it (as much as one mention in
    /// the abstract: closeness is evidence that a paper is about the
    /// subject, not a stronger match than naming it).
    pub fn strength(&self, closeness: f32) -> f32 {
        if closeness < self.threshold || self.threshold <= 0.0 {
            0.0
        } else {
            1.0
        }
    }

    /// The stems a paper shares with the keyword's vector that weigh most
    /// in its closeness, strongest first (at most `k`), the keyword's own
    /// words aside (the reader knows them).
    pub fn shared(&self, terms: &[String], idf: &dyn Fn(&str) -> f32, k: usize) -> Vec<String> {
        let v = vector(terms, left_out(&self.own), idf);
        let mut out: Vec<(&str, f32)> = self
            .stems
            .iter()
            .filter(|(t, _)| !self.own.contains(t))
            .filter_map(|(t, w)| v.get(t.as_str()).map(|x| (t.as_str(), w * x)))
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        out.into_iter()
            .take(k)
            .map(|(t, _)| t.to_string())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    fn flat(_: &str) -> f32 {
        1.0
    }

    /// Papers about "video generation" talk of motion and frames; others of
    /// proofs and tokens. A paper on video editing (motion, frames, no
    /// keyword) is close; a paper on proofs is not.
    fn learned() -> Meaning {
        let about: Vec<Vec<String>> = (0..36)
            .map(|i| {
                terms(&format!(
                    "video generat motion frame tempor diffus {}",
                    if i % 2 == 0 { "camera" } else { "avatar" }
                ))
            })
            .collect();
        let others: Vec<Vec<String>> = (0..400)
            .map(|i| {
                terms(&format!(
                    "proof token math reason {}",
                    if i % 3 == 0 { "frame" } else { "agent" }
                ))
            })
            .collect();
        Meaning::learn(
            "video generation",
            &terms("video generat"),
            &about,
            &others,
            &flat,
        )
        .expect("enough papers about it")
    }

    #[test]
    fn a_phrase_keyword_keeps_its_words_and_a_word_keyword_drops_its_own() {
        // `video generation`: its words alone are part of what it means.
        let m = learned();
        assert!(m.stems.iter().any(|(t, _)| t == "video"), "{:?}", m.stems);
        assert_eq!(m.papers, 36);
        // A video paper that never says "generation" is closer than one
        // with the same other words and no "video".
        let with_video = m.closeness(&terms("video edit motion frame"), &flat);
        let without = m.closeness(&terms("edit motion frame"), &flat);
        assert!(with_video > without, "{with_video} vs {without}");
        // `video`: a one-word keyword's stem is in every paper about it.
        let about: Vec<Vec<String>> = (0..40).map(|_| terms("video motion frame")).collect();
        let others = vec![terms("proof token math"); 100];
        let one =
            Meaning::learn("video", &terms("video"), &about, &others, &flat).expect("learned");
        assert!(
            one.stems.iter().all(|(t, _)| t != "video"),
            "{:?}",
            one.stems
        );
    }

    #[test]
    fn a_paper_on_the_subject_without_the_keyword_matches_and_an_unrelated_one_does_not() {
        let m = learned();
        let editing = m.closeness(&terms("edit motion frame tempor diffus"), &flat);
        let proofs = m.closeness(&terms("proof token math reason"), &flat);
        assert!(m.strength(editing) >= 1.0, "{editing} vs {}", m.threshold);
        assert_eq!(m.strength(proofs), 0.0, "{proofs} vs {}", m.threshold);
        assert_eq!(m.strength(1.0), 1.0);
        assert_eq!(
            m.shared(&terms("edit motion frame diffus"), &flat, 2),
            vec!["diffus".to_string(), "motion".to_string()]
        );
        // The keyword's own words are never named as shared.
        assert_eq!(
            m.shared(&terms("video generat diffus"), &flat, 2),
            vec!["diffus".to_string()]
        );
    }

    #[test]
    fn too_few_papers_about_a_keyword_learn_nothing() {
        let about = vec![terms("video motion"); MIN_ABOUT - 1];
        let others = vec![terms("proof token"); 20];
        assert!(Meaning::learn("video", &terms("video"), &about, &others, &flat).is_none());
    }
}

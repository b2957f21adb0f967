//! The learned profile: what the reader likes, from their likes and
//! dislikes, as weighted stems (Rocchio over tf-idf vectors).
//!
//! Pure: it takes already analysed term lists (the index's stems of title
//! and abstract, [`crate::index::Index::paper_terms`]) and a document
//! frequency function; no tantivy here.
//!
//! The model: each marked paper is a tf-idf vector, `(1 + ln tf) ·
//! ln((N + 1) / (df + 1))` per stem (a stem in nearly every paper weighs
//! about 0), normalised to length 1. The profile is the mean of the liked
//! vectors minus [`DISLIKE_WEIGHT`] times the mean of the disliked ones,
//! cut to the [`TOP_TERMS`] strongest positive and [`TOP_NEGATIVE`]
//! strongest negative stems and normalised again. A paper's profile score is the cosine of its vector
//! with the profile (−1..1; 0 with no feedback); its neighbours are the
//! liked papers whose vectors are closest to it.

use std::collections::HashMap;

/// How much a dislike pulls against a like (Rocchio's γ / β).
pub const DISLIKE_WEIGHT: f32 = 0.5;

/// How many positive stems the profile keeps.
pub const TOP_TERMS: usize = 40;

/// How many negative stems the profile keeps (fewer: a few dislikes
/// should not take most of the profile's weight).
pub const TOP_NEGATIVE: usize = 20;

/// One marked paper as the profile takes it: id, title, analysed terms
/// (stems, repeated as often as they occur).
pub type Example = (String, String, Vec<String>);

/// A sparse vector: stem → weight, sorted by stem.
type Sparse = Vec<(String, f32)>;

/// The learned profile.
#[derive(Clone, Debug, Default)]
pub struct Profile {
    /// The strongest stems, by weight (positive first, then negative).
    terms: Vec<(String, f32)>,
    /// The liked papers: id, title, tf-idf vector.
    liked: Vec<(String, String, Sparse)>,
    /// idf of every stem of the marked papers.
    idf: HashMap<String, f32>,
    /// idf of a stem no marked paper has (as rare as a stem can be).
    rare_idf: f32,
}

impl Profile {
    /// Trains a profile from `liked` and `disliked` papers; `df(stem)` is
    /// how many of the `n_docs` indexed papers have the stem.
    pub fn train(
        liked: &[Example],
        disliked: &[Example],
        df: impl Fn(&str) -> u64,
        n_docs: u64,
    ) -> Profile {
        let n = n_docs as f32;
        let mut idf: HashMap<String, f32> = HashMap::new();
        for (_, _, terms) in liked.iter().chain(disliked) {
            for t in terms {
                if !idf.contains_key(t) {
                    let d = df(t) as f32;
                    idf.insert(t.clone(), ((n + 1.0) / (d + 1.0)).ln().max(0.0));
                }
            }
        }
        let rare_idf = (n + 1.0).ln().max(0.0);
        let vector = |terms: &[String]| tfidf(terms, |t| idf.get(t).copied().unwrap_or(rare_idf));
        let liked_vecs: Vec<(String, String, Sparse)> = liked
            .iter()
            .map(|(id, title, terms)| (id.clone(), title.clone(), vector(terms)))
            .collect();
        let mut sum: HashMap<&str, f32> = HashMap::new();
        if !liked_vecs.is_empty() {
            let w = 1.0 / liked_vecs.len() as f32;
            for (_, _, v) in &liked_vecs {
                for (t, x) in v {
                    *sum.entry(t.as_str()).or_default() += w * x;
                }
            }
        }
        let disliked_vecs: Vec<Sparse> = disliked.iter().map(|(_, _, t)| vector(t)).collect();
        if !disliked_vecs.is_empty() {
            let w = DISLIKE_WEIGHT / disliked_vecs.len() as f32;
            for v in &disliked_vecs {
                for (t, x) in v {
                    // A stem of a dislike that no like has: borrowed from
                    // `idf` (which outlives `sum`).
                    if let Some((k, _)) = idf.get_key_value(t) {
                        *sum.entry(k.as_str()).or_default() -= w * x;
                    }
                }
            }
        }
        let mut all: Vec<(String, f32)> = sum
            .into_iter()
            .filter(|(t, w)| *w != 0.0 && useful_stem(t))
            .map(|(t, w)| (t.to_string(), w))
            .collect();
        // Strongest first; ties by stem, so that training is deterministic.
        all.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let positive = all.iter().filter(|(_, w)| *w > 0.0).take(TOP_TERMS);
        let negative = all
            .iter()
            .rev()
            .filter(|(_, w)| *w < 0.0)
            .take(TOP_NEGATIVE);
        let mut terms: Vec<(String, f32)> = positive.chain(negative).cloned().collect();
        terms.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let norm = terms.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            for (_, w) in &mut terms {
                *w /= norm;
            }
        }
        Profile {
            terms,
            liked: liked_vecs,
            idf,
            rare_idf,
        }
    }

    /// Whether the profile has anything to say (some feedback was given).
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The profile's stems and weights (unit length; up to [`TOP_TERMS`]
    /// positive and [`TOP_NEGATIVE`] negative), strongest positive first.
    pub fn terms(&self) -> &[(String, f32)] {
        &self.terms
    }

    /// The tf-idf vector of a paper's terms, with this profile's idf (a
    /// stem no marked paper has counts as rare).
    fn vector(&self, paper_terms: &[String]) -> Sparse {
        tfidf(paper_terms, |t| {
            self.idf.get(t).copied().unwrap_or(self.rare_idf)
        })
    }

    /// The profile score of a paper: the cosine of its vector with the
    /// profile, in −1..1 (0 for an empty profile).
    pub fn score(&self, paper_terms: &[String]) -> f32 {
        let v = self.vector(paper_terms);
        let weights: HashMap<&str, f32> =
            self.terms.iter().map(|(t, w)| (t.as_str(), *w)).collect();
        v.iter()
            .filter_map(|(t, x)| weights.get(t.as_str()).map(|w| w * x))
            .sum()
    }

    /// The `k` liked papers closest to a paper (cosine of tf-idf vectors,
    /// above 0), closest first: `(id, title, similarity)`.
    pub fn neighbours(&self, paper_terms: &[String], k: usize) -> Vec<(String, String, f32)> {
        let v = self.vector(paper_terms);
        let mut out: Vec<(String, String, f32)> = self
            .liked
            .iter()
            .map(|(id, title, l)| (id.clone(), title.clone(), dot(&v, l)))
            .filter(|(_, _, s)| *s > 0.0)
            .collect();
        out.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        out.truncate(k);
        out
    }
}

/// Stems worth a weight: not a number, not a single character.
fn useful_stem(t: &str) -> bool {
    t.chars().count() > 1 && !t.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// The unit-length tf-idf vector of `terms`, sorted by stem.
fn tfidf(terms: &[String], idf: impl Fn(&str) -> f32) -> Sparse {
    let mut tf: HashMap<&str, u32> = HashMap::new();
    for t in terms {
        *tf.entry(t.as_str()).or_default() += 1;
    }
    let mut v: Sparse = tf
        .into_iter()
        .map(|(t, n)| (t.to_string(), (1.0 + (n as f32).ln()) * idf(t)))
        .filter(|(_, w)| *w > 0.0)
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, w) in &mut v {
            *w /= norm;
        }
    }
    v
}

/// The dot product of two vectors sorted by stem.
fn dot(a: &Sparse, b: &Sparse) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.0.cmp(&y.0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += x.1 * y.1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(id: &str, text: &str) -> Example {
        (
            id.into(),
            format!("title {id}"),
            text.split_whitespace().map(str::to_string).collect(),
        )
    }

    /// Document frequencies of a small made-up corpus of 100 papers.
    fn df(t: &str) -> u64 {
        match t {
            "the" | "model" => 95,
            "speech" | "audio" => 5,
            "agent" | "tool" => 8,
            _ => 3,
        }
    }

    #[test]
    fn likes_pull_towards_their_stems_and_dislikes_push_away() {
        let liked = [
            ex("a", "the speech model audio speech"),
            ex("b", "the audio model codec"),
        ];
        let disliked = [ex("c", "the agent tool model")];
        let p = Profile::train(&liked, &disliked, df, 100);
        let stems: Vec<&str> = p.terms().iter().map(|(t, _)| t.as_str()).collect();
        assert!(matches!(stems[0], "audio" | "speech"), "{stems:?}");
        let w = |s: &str| p.terms().iter().find(|(t, _)| t == s).map(|x| x.1);
        assert!(
            w("the").unwrap_or(0.0) < 0.1 * p.terms()[0].1,
            "a stem in nearly every paper weighs almost nothing"
        );
        assert!(w("agent").unwrap() < 0.0);
        let norm: f32 = p.terms().iter().map(|(_, w)| w * w).sum();
        assert!((norm - 1.0).abs() < 1e-4);
        let speech = "speech audio recognition"
            .split(' ')
            .map(String::from)
            .collect::<Vec<_>>();
        let agents = "agent tool use"
            .split(' ')
            .map(String::from)
            .collect::<Vec<_>>();
        assert!(p.score(&speech) > 0.3, "{}", p.score(&speech));
        assert!(p.score(&agents) < 0.0, "{}", p.score(&agents));
        let n = p.neighbours(&speech, 5);
        assert_eq!(n[0].0, "a");
        assert!(n.iter().all(|(id, _, s)| id != "c" && *s > 0.0));
        assert!(Profile::train(&[], &[], df, 100).is_empty());
    }
}

//! Rising terms and phrases: n-grams whose share of recent papers is high
//! against an earlier baseline window. Pure: texts and counts in, topics out;
//! `index::rank` gathers the texts and counts the baseline.
//!
//! How text becomes n-grams:
//! - words are runs of letters and digits (as the index tokenizer splits
//!   them); words joined by a hyphen (`in-context`, `state-of-the-art`) form
//!   one *unit*, so `in-context learning` survives although `in` is a stop
//!   word; an apostrophe ends a word (`model's` → `model`);
//! - units that are stop words (English function words plus academic filler:
//!   "paper", "propose", "show", "results", …), numbers or single letters
//!   break n-grams, and so does sentence punctuation (`. , ; : ! ? ( ) [ ] " /`);
//! - n-grams are 1 to 3 units long and are keyed by the index's stems, so
//!   `vision transformers` and `Vision Transformer` count together; the
//!   readable form shown is the most frequent lowercase surface;
//! - a shorter n-gram found in exactly the same papers as a longer one that
//!   contains it is dropped in favour of the longer (`context learning` under
//!   `in-context learning`).
//!
//! The rise score (documented in `docs/ranking.md`): with `w` of `W` window
//! papers and `b` of `B` baseline papers containing the n-gram,
//! `score = sqrt(w) × (ln((w+1)/(W+2)) − ln((b+1)/(B+2)))`: add-one smoothing
//! keeps a topic unseen in the baseline finite, and `sqrt(w)` prefers topics
//! many papers share over a one-off burst.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a for the n-gram maps: their keys are short strings counted millions
/// of times on a large window, where std's SipHash showed up in profiles.
/// (Not DoS-resistant; the keys come from the user's own index.)
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;
type FastSet<K> = HashSet<K, BuildHasherDefault<Fnv>>;

use crate::rank::Topic;

/// Function words and academic filler that never start, end or sit inside
/// a phrase.
#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "across", "after", "again", "against", "all", "almost", "along", "also",
    "although", "always", "among", "an", "and", "another", "any", "are", "around", "as", "at",
    "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can",
    "cannot", "could", "did", "do", "does", "doing", "done", "down", "due", "during", "each",
    "either", "else", "enough", "etc", "even", "ever", "every", "few", "for", "from", "further",
    "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "however",
    "i", "ie", "eg", "if", "in", "into", "is", "it", "its", "itself", "just", "less", "like",
    "may", "might", "more", "most", "much", "must", "my", "neither", "no", "nor", "not", "now",
    "of", "off", "often", "on", "once", "one", "only", "or", "other", "others", "our", "ours",
    "out", "over", "own", "per", "rather", "same", "she", "should", "since", "so", "some", "such",
    "than", "that", "the", "their", "theirs", "them", "then", "there", "thereby", "therefore",
    "these", "they", "this", "those", "though", "through", "thus", "to", "too", "toward",
    "towards", "two", "three", "under", "until", "up", "upon", "us", "very", "via", "was", "we",
    "well", "were", "what", "when", "where", "whether", "which", "while", "who", "whom", "whose",
    "why", "will", "with", "within", "without", "would", "yet", "you", "your", "paper", "papers",
    "propose", "proposed", "proposes", "proposing", "show", "shows", "showed", "shown", "showing",
    "method", "methods", "result", "results", "approach", "approaches", "based", "use", "used",
    "uses", "using", "novel", "new", "present", "presents", "presented", "demonstrate",
    "demonstrates", "demonstrated", "achieve", "achieves", "achieved", "achieving", "introduce",
    "introduces", "introduced", "work", "works", "study", "studies", "existing", "different",
    "various", "several", "many", "significant", "significantly", "extensive", "experiments",
    "experimental", "state", "art", "state-of-the-art", "sota", "outperform", "outperforms",
    "outperforming", "first", "code", "available", "github", "https", "http", "www", "com",
    "abstract", "furthermore", "moreover", "additionally", "particular", "particularly",
    "including", "include", "includes", "able", "allows", "allow", "enables", "enable", "provide",
    "provides", "provided", "given", "make", "makes", "made", "well-known", "key", "large",
    "small", "high", "low", "better", "best", "good", "strong", "effective", "effectively",
    "efficient", "efficiently", "improve", "improves", "improved", "improving", "improvement",
    "improvements", "performance", "task", "tasks", "problem", "problems", "framework",
    "frameworks", "evaluate", "evaluated", "evaluation", "setting", "settings", "recent",
    "recently", "leverage", "leverages", "leveraging", "e.g", "i.e", "et", "al", "find", "finds",
    "found", "require", "requires", "required", "specifically", "finally", "observe", "observed",
    "observes", "compared", "compare", "compares", "explore", "explores", "explored", "limit",
    "limits", "limited", "limitation", "limitations", "diverse", "capability", "capabilities",
    "realistic", "challenge", "challenges", "challenging", "effectiveness", "design", "designed",
    "application", "applications", "complex", "technique", "techniques", "understanding",
    "information", "research", "wide", "range", "despite", "remain", "remains", "critical",
    "crucial", "important", "whereas", "yields", "yield", "consistently", "substantially",
    "substantial", "highly", "reveal", "reveals", "analysis", "effect", "effects", "aims", "aim",
    "addressing", "address", "addresses", "lack", "lacks", "need", "needs", "typically", "usually",
    "previous", "prior", "current", "way", "ways", "number", "type", "types", "called", "named",
    "term", "terms", "level", "levels", "respectively", "shed", "fall", "falls", "short", "de", "facto", "fewer",
];

/// Whether `word` (lowercase surface) is a stop word.
pub fn is_stop_word(word: &str) -> bool {
    // A set, not a scan of the list: this runs for every word of every
    // window paper (a linear scan was a quarter of `trends` on 1 M papers).
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect())
        .contains(word)
}

/// One unit of text: a word or a hyphenated compound.
#[derive(Debug)]
struct Unit {
    /// Stems of its words, joined by `-`.
    key: String,
    /// The lowercase surface (`in-context`).
    surface: String,
    /// Whether it breaks n-grams (stop word, number, single letter).
    stop: bool,
    /// Whether sentence punctuation follows it.
    boundary_after: bool,
}

/// Stems words with the index's analyzer, remembering each word's stem.
#[derive(Default)]
pub struct Stemmer {
    cache: FastMap<String, Option<String>>,
}

impl Stemmer {
    /// The stem of one lowercase word (`None` when the analyzer drops it).
    fn stem(&mut self, word: &str) -> Option<String> {
        if let Some(s) = self.cache.get(word) {
            return s.clone();
        }
        let s = crate::index::analyze(word).into_iter().next();
        self.cache.insert(word.to_string(), s.clone());
        s
    }
}

fn is_boundary(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '"'
            | '/'
            | '|'
            | '\u{201c}'
            | '\u{201d}'
            | '\n'
    )
}

fn units(text: &str, stemmer: &mut Stemmer) -> Vec<Unit> {
    // Split into (word, separator-after) pairs first.
    let mut words: Vec<(String, String)> = Vec::new();
    let mut word = String::new();
    let mut sep = String::new();
    let mut skipping = false; // after an apostrophe: drop the clitic
    for c in text.chars() {
        if c.is_alphanumeric() {
            if skipping {
                continue;
            }
            if word.is_empty() && !words.is_empty() {
                if let Some(last) = words.last_mut() {
                    last.1 = std::mem::take(&mut sep);
                }
            } else if word.is_empty() {
                sep.clear();
            }
            word.extend(c.to_lowercase());
        } else {
            if (c == '\'' || c == '\u{2019}') && !word.is_empty() {
                skipping = true;
                words.push((std::mem::take(&mut word), String::new()));
                continue;
            }
            if skipping && (c == '\'' || c == '\u{2019}') {
                continue;
            }
            skipping = false;
            if !word.is_empty() {
                words.push((std::mem::take(&mut word), String::new()));
            }
            sep.push(c);
        }
    }
    if !word.is_empty() {
        words.push((word, String::new()));
    }
    if let Some(last) = words.last_mut() {
        last.1 = sep;
    }
    let mut out: Vec<Unit> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let mut parts = vec![words[i].0.clone()];
        while i + 1 < words.len() && words[i].1 == "-" {
            i += 1;
            parts.push(words[i].0.clone());
        }
        let after = &words[i].1;
        let boundary_after = after.chars().any(is_boundary) || after.contains('-');
        let surface = parts.join("-");
        let stems: Vec<Option<String>> = parts.iter().map(|p| stemmer.stem(p)).collect();
        let all_stop = parts.iter().all(|p| is_stop_word(p));
        let trivial = parts.len() == 1
            && (parts[0].chars().count() < 2 || parts[0].chars().all(|c| c.is_ascii_digit()));
        let numeric = parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()));
        let stop = stems.iter().any(Option::is_none)
            || all_stop
            || is_stop_word(&surface)
            || trivial
            || numeric;
        let key = stems.into_iter().flatten().collect::<Vec<_>>().join("-");
        out.push(Unit {
            key,
            surface,
            stop,
            boundary_after,
        });
        i += 1;
    }
    out
}

/// Calls `each(key, surface, n)` for every 1–3-unit n-gram of a text split
/// into `units` (see [`units`]).
fn for_each_gram_in(units: &[Unit], mut each: impl FnMut(&str, &str, usize)) {
    for i in 0..units.len() {
        let mut key = String::new();
        let mut surface = String::new();
        for n in 1..=3 {
            let Some(u) = units.get(i + n - 1) else { break };
            if u.stop {
                break;
            }
            if n > 1 {
                key.push(' ');
                surface.push(' ');
            }
            key.push_str(&u.key);
            surface.push_str(&u.surface);
            each(&key, &surface, n);
            if u.boundary_after {
                break;
            }
        }
    }
}

/// A candidate topic found in the window.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// Stems of its units, units separated by a space, words inside a
    /// compound by `-` (`in-context learn`).
    pub key: String,
    /// The readable form (most frequent lowercase surface).
    pub surface: String,
    /// How many units it has (1–3).
    pub units: usize,
    /// How many window papers contain it.
    pub window_count: usize,
    /// How many window papers contain each of its units on its own.
    pub unit_counts: Vec<usize>,
}

impl Candidate {
    /// The stemmed words in order, for a phrase query on the index.
    pub fn terms(&self) -> Vec<String> {
        self.key
            .split([' ', '-'])
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }
}

/// Finds the n-grams of `texts` (one per paper) found in at least
/// `min_count` papers, drops sub-grams that add no papers, and keeps the
/// `max` most frequent (ties by key, for reproducible output).
pub fn candidates(texts: &[String], min_count: usize, max: usize) -> Vec<Candidate> {
    let mut stemmer = Stemmer::default();
    // Split every text once; both passes below walk the same units.
    let split: Vec<Vec<Unit>> = texts.iter().map(|t| units(t, &mut stemmer)).collect();
    // Count document frequency by a 64-bit hash of the gram, so the millions
    // of grams that occur once never allocate a String; only the grams that
    // reach `min_count` get their key materialised.
    let hash = |key: &str| {
        let mut h = Fnv::default();
        h.write(key.as_bytes());
        h.finish()
    };
    let mut by_hash: FastMap<u64, (u32, u8)> = FastMap::default();
    let mut seen: FastSet<u64> = FastSet::default();
    for units in &split {
        seen.clear();
        for_each_gram_in(units, |key, _, n| {
            let k = hash(key);
            if seen.insert(k) {
                by_hash.entry(k).or_insert((0, n as u8)).0 += 1;
            }
        });
    }
    let min = u32::try_from(min_count.max(1)).unwrap_or(u32::MAX);
    by_hash.retain(|_, (c, _)| *c >= min);
    let mut df: FastMap<String, (u32, u8)> = FastMap::default();
    for units in &split {
        for_each_gram_in(units, |key, _, _| {
            if let Some(v) = by_hash.remove(&hash(key)) {
                df.insert(key.to_string(), v);
            }
        });
    }
    // A sub-gram with the same count as a gram containing it occurs only
    // inside it (its papers are a superset of equal size): drop it.
    let mut dropped: FastSet<String> = FastSet::default();
    for (key, (count, n)) in &df {
        if *n < 2 {
            continue;
        }
        let parts: Vec<&str> = key.split(' ').collect();
        for len in 1..parts.len() {
            for start in 0..=parts.len() - len {
                let sub = parts[start..start + len].join(" ");
                if df.get(&sub).is_some_and(|(c, _)| c == count) {
                    dropped.insert(sub);
                }
            }
        }
    }
    let mut kept: Vec<(String, u32, u8)> = df
        .iter()
        .filter(|(k, _)| !dropped.contains(*k))
        .map(|(k, (c, n))| (k.clone(), *c, *n))
        .collect();
    kept.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    kept.truncate(max);
    // Second pass: the most frequent surface of each kept gram.
    let wanted: FastSet<&str> = kept.iter().map(|k| k.0.as_str()).collect();
    let mut surfaces: FastMap<String, FastMap<String, u32>> = FastMap::default();
    for units in &split {
        for_each_gram_in(units, |key, surface, _| {
            if wanted.contains(key) {
                *surfaces
                    .entry(key.to_string())
                    .or_default()
                    .entry(surface.to_string())
                    .or_insert(0) += 1;
            }
        });
    }
    kept.into_iter()
        .map(|(key, count, n)| {
            let surface = surfaces
                .get(&key)
                .and_then(|m| {
                    m.iter()
                        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                        .map(|(s, _)| s.clone())
                })
                .unwrap_or_else(|| key.clone());
            let unit_counts = key
                .split(' ')
                .map(|u| df.get(u).map_or(count, |(c, _)| *c) as usize)
                .collect();
            Candidate {
                key,
                surface,
                units: usize::from(n),
                window_count: count as usize,
                unit_counts,
            }
        })
        .collect()
}

/// The smoothed rise score of an n-gram in `w` of `big_w` window papers and
/// `b` of `big_b` baseline papers (see the module doc).
pub fn rise_score(w: usize, big_w: usize, b: usize, big_b: usize) -> f32 {
    let f = |n: usize| n as f64;
    let rise = ((f(w) + 1.0) / (f(big_w) + 2.0)).ln() - ((f(b) + 1.0) / (f(big_b) + 2.0)).ln();
    (f(w).sqrt() * rise) as f32
}

/// The rising topics: candidates with a positive rise score, best first,
/// at most `limit`. `baseline[i]` is the baseline count of `cands[i]`.
pub fn rising(
    cands: &[Candidate],
    baseline: &[usize],
    window_docs: usize,
    baseline_docs: usize,
    limit: usize,
) -> Vec<Topic> {
    let mut out: Vec<Topic> = cands
        .iter()
        .zip(baseline)
        .map(|(c, &b)| Topic {
            phrase: c.surface.clone(),
            window_count: c.window_count,
            baseline_count: b,
            score: rise_score(c.window_count, window_docs, b, baseline_docs),
        })
        .filter(|t| t.score > 0.0)
        .collect();
    sort_topics(&mut out);
    out.truncate(limit);
    out
}

/// Without a baseline: the corpus's most distinctive phrases (single words
/// only when no phrase qualifies).
///
/// `score = sqrt(df) × (ln(N / df) + mean over its words of ln(N / df_word))`:
/// in enough papers to matter, not in so many that it says nothing, and
/// made of words that are themselves specific (`knowledge distillation`
/// above `pretrained models` in a corpus about pretrained models).
/// `baseline_count` is 0.
pub fn distinctive(cands: &[Candidate], docs: usize, limit: usize) -> Vec<Topic> {
    let n = docs.max(1) as f64;
    let idf = |df: usize| (n / (df.max(1) as f64)).ln().max(0.0);
    let phrases = cands.iter().any(|c| c.units > 1);
    let mut out: Vec<Topic> = cands
        .iter()
        .filter(|c| !phrases || c.units > 1)
        .map(|c| {
            let words = c.unit_counts.iter().map(|d| idf(*d)).sum::<f64>()
                / c.unit_counts.len().max(1) as f64;
            Topic {
                phrase: c.surface.clone(),
                window_count: c.window_count,
                baseline_count: 0,
                score: ((c.window_count as f64).sqrt() * (idf(c.window_count) + words)) as f32,
            }
        })
        .filter(|t| t.score > 0.0)
        .collect();
    sort_topics(&mut out);
    out.truncate(limit);
    out
}

fn sort_topics(topics: &mut [Topic]) {
    topics.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| b.window_count.cmp(&a.window_count))
            .then_with(|| a.phrase.cmp(&b.phrase))
    });
}

/// A bar of `width` cells for `value` out of `max` (`█████░░░`).
pub fn bar(value: f32, max: f32, width: usize) -> String {
    let filled = if max > 0.0 && value > 0.0 {
        (((value / max) * width as f32).round() as usize).clamp(1, width)
    } else {
        0
    };
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grams(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_gram_in(&units(text, &mut Stemmer::default()), |_, s, _| {
            out.push(s.to_string())
        });
        out
    }

    #[test]
    fn ngrams_skip_stop_words_and_stop_at_punctuation() {
        let cases: &[(&str, &[&str], &[&str])] = &[
            (
                "In this paper we propose in-context learning for vision transformers.",
                &["in-context learning", "vision transformers", "in-context"],
                &[
                    "in this paper",
                    "this paper",
                    "paper",
                    "learning for vision",
                ],
            ),
            (
                "Knowledge distillation. Transformers rule",
                &["knowledge distillation", "transformers rule"],
                &["distillation transformers"],
            ),
            (
                "The model's accuracy (top-1) is 95",
                &["model", "accuracy", "top-1"],
                &["model s", "s", "95", "accuracy top-1"],
            ),
        ];
        for (text, present, absent) in cases {
            let g = grams(text);
            for p in *present {
                assert!(
                    g.contains(&p.to_string()),
                    "{text:?}: missing {p:?} in {g:?}"
                );
            }
            for a in *absent {
                assert!(!g.contains(&a.to_string()), "{text:?}: has {a:?} in {g:?}");
            }
        }
    }

    #[test]
    fn stemming_merges_surfaces_and_keeps_the_most_frequent() {
        let texts: Vec<String> = [
            "Vision transformers are here.",
            "Vision Transformers again.",
            "A vision transformer once.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let c = candidates(&texts, 3, 100);
        let vt = c
            .iter()
            .find(|c| c.surface == "vision transformers")
            .unwrap();
        assert_eq!(vt.window_count, 3);
        assert_eq!(vt.terms(), vec!["vision", "transform"]);
        // "vision" and "transformers" occur only inside the phrase: dropped.
        assert!(c.iter().all(|c| c.units == 2), "{c:?}");
    }

    #[test]
    fn rise_score_orders_as_documented() {
        // Same window share: unseen in the baseline beats common there.
        assert!(rise_score(5, 50, 0, 500) > rise_score(5, 50, 50, 500));
        // Same ratio: more papers beat a one-off burst.
        assert!(rise_score(20, 100, 2, 100) > 0.0);
        assert!(rise_score(20, 100, 20, 1000) > rise_score(2, 100, 2, 1000));
        // A topic as common in the baseline as in the window is not rising.
        assert!(rise_score(10, 100, 100, 1000) < 0.1 * rise_score(10, 100, 0, 1000));
        assert!(rise_score(1, 100, 50, 100) < 0.0);
    }

    #[test]
    fn rising_keeps_only_positive_and_sorts() {
        let cand = |s: &str, w| Candidate {
            key: s.into(),
            surface: s.into(),
            units: 1,
            window_count: w,
            unit_counts: vec![w],
        };
        let c = [cand("a", 10), cand("b", 10), cand("c", 3)];
        let t = rising(&c, &[50, 0, 0], 20, 100, 10);
        let names: Vec<&str> = t.iter().map(|t| t.phrase.as_str()).collect();
        assert_eq!(names, ["b", "c"]);
    }

    #[test]
    fn bars_scale() {
        assert_eq!(bar(5.0, 10.0, 4), "██░░");
        assert_eq!(bar(0.0, 10.0, 3), "░░░");
        assert_eq!(bar(0.01, 10.0, 3), "█░░");
    }
}

//! Rising topics: the named things (methods, models, tasks, datasets,
//! phenomena) whose share of recent papers is high against what came before.
//! Pure: texts in, topics out; the index's trends driver reads the texts and
//! passes its stemmer in, so this module needs no search engine.
//!
//! The files: `text` splits titles and abstracts into units and n-grams,
//! `corpus` holds what the papers read say about each word (termhood and
//! the acronyms they define), `select` counts candidates and picks, merges
//! and spells the topics; this file scores the rise and holds the entry
//! points ([`rising`], [`distinctive`], [`learn`]). The rules' tests are in
//! `tests.rs`.
//!
//! **Units and n-grams.** Words are runs of letters and digits; words joined
//! by one hyphen form one *unit* (`in-context`, `fine-tuning`); an
//! apostrophe ends a word; a decimal point inside one does not (`Qwen2.5`).
//! Units that are stop words (English function words and academic filler),
//! numbers or single letters break n-grams, and so does sentence
//! punctuation, except an acronym in parentheses right after a word: the
//! phrase runs on across it, so *Vision-Language-Action (VLA) models*
//! counts for *Vision-Language-Action models* (and `VLA models`). A topic
//! is a run of 1–3 units keyed by the stems, so `vision transformers` and
//! `Vision Transformer` count together.
//!
//! **Termhood: named things, not academic English.** Every word's long-run
//! profile is taken over all papers read (window, baseline and older
//! history): in how many papers it occurs (`df`), how often (`cf`), how
//! often it is capitalised in mid-sentence (outside titles), and in how many
//! titles. A word is *generic* when it is rarely capitalised (< 30 %),
//! occurs about once per paper (`cf/df` < 1.5) and is rarely in titles
//! (< 25 %): *especially, contains, handle*. So judged, with no list:
//! - a single unit is a topic only if authors write it like an acronym or
//!   a model name in mid-sentence at least half the time (*GRPO*, *LLMs*,
//!   *Qwen3*) and there use it as a head at least half the time, not as a
//!   modifier directly followed by another word of the phrase (*3D* in
//!   *3D scenes*, *AR* in *AR models*, *GPU* in *GPU memory*: the topic is
//!   the phrase, not the modifier); model sizes (*7B*) never are;
//! - a phrase is dropped when its last word (the head) is generic and its
//!   first word generic or *ubiquitous*, in at least a quarter of the papers
//!   read (*model weights*, *data collection*, *reasoning chains*: a
//!   description, not a name), when it holds an adverb (*-ly*), ends in a
//!   participle (*-ed*), or starts with a participle or a count (*models
//!   fine-tuned*, *temporally coherent*, *generated videos*, *two-stage
//!   training*);
//! - a shorter n-gram found in exactly the same window papers as a longer
//!   one containing it gives way to the longer one;
//! - a topic must be *established*: in at least 1.5 % of all papers read
//!   (and twice the window minimum), so that a phrase three papers happen to
//!   share is not news; and a phrase must be *cohesive*: in at least a
//!   quarter of the papers of its rarest word (*reinforcement learning*,
//!   *KV cache*, not *model training* or *training data*).
//!
//! **Rise.** With `w` of `W` window papers containing a topic and a
//! baseline rate `p0`, `rise = sqrt(w) × (ln((w+1)/(W+2)) − ln(p0))`, and a
//! single unit counts half (a word is in at least as many papers as any
//! phrase containing it). `p0` is the baseline's smoothed rate, shrunk
//! towards the long-run rate of everything read when the baseline is thin:
//! `p0 = (b + m·p_long + 1) / (B + m + 2)` with `m = max(0, 4W − B)` pseudo
//! papers. A thin baseline (fewer than `4W` papers) is reported as such and
//! doubles the papers a topic needs; it cannot turn "90 papers against 0"
//! into a headline. Counts in samples are scaled to the full windows.
//!
//! **Selection and spelling.** Topics are taken best first, skipping one
//! in more titles than abstracts of the papers read (a label of the paper,
//! *technical report*, not what it is about), and one that contains or is
//! contained in a topic already taken, is spelled like it but for a plural
//! `s`, or whose window papers overlap an earlier topic's by a Jaccard
//! index of 0.6 or more.
//! Each is shown in its most frequent mid-sentence spelling (*VLA model*,
//! *world models*, *GRPO*), not counting a phrase right after a capitalised
//! word (*Policy Optimization* in *Group Relative Policy Optimization* is
//! part of a longer name); a topic only seen so, in titles or at the start
//! of a sentence loses the capital of words that only had an initial one.
//!
//! Without any earlier papers there is no rise: [`distinctive`] ranks the
//! same candidates by how specific they are to the corpus instead.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::rank::Topic;

mod corpus;
mod select;
#[cfg(test)]
mod tests;
mod text;

use corpus::*;
use select::*;
pub use text::is_stop_word;
use text::*;

/// Stems a lowercase word as the index does; `None` when the index drops
/// the word. Passed in by the caller, so this module does not depend on the
/// search engine.
pub trait Stemmer {
    /// The stem of `word`, or `None`.
    fn stem(&mut self, word: &str) -> Option<String>;
}

impl<F: FnMut(&str) -> Option<String>> Stemmer for F {
    fn stem(&mut self, word: &str) -> Option<String> {
        self(word)
    }
}

/// Stemmers for other threads: with them, the papers are split on
/// `threads` threads, each with its own stemmer from `make`. The result is
/// the same as on one thread.
#[derive(Clone, Copy)]
pub struct Stemmers<'a> {
    /// Makes a stemmer (the index's analyzer).
    pub make: &'a (dyn Fn() -> Box<dyn Stemmer> + Sync),
    /// How many threads at most.
    pub threads: usize,
    /// Fewer papers than this per thread are split on fewer threads.
    pub min_per_thread: usize,
}

pub use crate::paper::Text;

/// The papers read for one trends question, each set a sample of at most
/// some thousands, with the size of the set it was drawn from.
#[derive(Clone, Copy, Debug)]
pub struct Sample<'a> {
    /// Papers of the recent window.
    pub window: &'a [Text],
    /// How many papers the window holds.
    pub window_docs: usize,
    /// Papers of the baseline window just before it.
    pub baseline: &'a [Text],
    /// How many papers the baseline window holds.
    pub baseline_docs: usize,
    /// Older papers (the long-run background).
    pub history: &'a [Text],
    /// How many older papers there are.
    pub history_docs: usize,
}

/// What [`rising`] found.
#[derive(Clone, Debug, Default)]
pub struct Found {
    /// The topics, best first.
    pub topics: Vec<Topic>,
    /// Whether the baseline held fewer than four times the window's papers
    /// (scores were shrunk towards the long-run rate, see the module doc).
    pub thin: bool,
}

/// A thin baseline has fewer papers than this many times the window's.
pub const THIN_RATIO: usize = 4;

/// The share of the papers read a word must be in to be ubiquitous (see
/// `Corpus::termlike`).
const UBIQUITOUS: f64 = 0.25;

/// The share of its rarest word's papers a phrase must be in (see
/// `Corpus::cohesive`).
const COHESION: f64 = 0.0;

/// The share of the papers read a topic must be in (see [`established_min`]).
const ESTABLISHED_SHARE: f64 = 0.005;

/// The papers read (window and background together) a topic needs: a
/// name recurs, a phrase a few papers of one week happen to share does
/// not.
fn established_min(min: u32, read: usize) -> u32 {
    let share = (ESTABLISHED_SHARE * read as f64).ceil() as u32;
    share.max(2 * min)
}

/// How much a single unit counts against a phrase (see the module doc).
const SINGLE_WEIGHT: f64 = 0.5;

/// The papers a topic needs in the window sample: `min_count` scaled to
/// the sample, doubled on a thin baseline.
fn sample_min(min_count: usize, sampled: usize, docs: usize, thin: bool) -> u32 {
    let scaled = if sampled < docs {
        (min_count * sampled).div_ceil(docs.max(1)).max(1)
    } else {
        min_count.max(1)
    };
    let scaled = if thin { scaled * 2 } else { scaled };
    u32::try_from(scaled).unwrap_or(u32::MAX)
}

/// The rise score of a topic in `w` of `big_w` window papers against a
/// baseline rate `p0` that rests on `evidence` papers (see the module doc):
/// the lower 95 % confidence bound of the rate ratio (how many times its
/// share surely grew), or 0 when the share grew less than [`MIN_LIFT`]
/// times.
pub fn rise_score(w: f64, big_w: f64, p0: f64, evidence: f64) -> f64 {
    if w <= 0.0 || big_w <= 0.0 || p0 <= 0.0 {
        return 0.0;
    }
    let ratio = (w / big_w) / p0;
    if ratio < MIN_LIFT {
        return 0.0;
    }
    let se = (1.0 / w + 1.0 / evidence.max(1.0)).sqrt();
    (ratio.ln() - CONFIDENCE_Z * se).exp()
}

/// A topic's share must grow at least this many times to be rising.
pub const MIN_LIFT: f64 = 1.5;

/// The one-sided 95 % normal quantile: the rise score is how far the rate
/// ratio is surely above 1, not how far it is at best.
const CONFIDENCE_Z: f64 = 1.645;

/// The smoothed baseline rate `p0` of a topic in `b` of `big_b` baseline
/// papers, shrunk by `m` pseudo papers at the long-run rate `p_long`.
pub fn baseline_rate(b: f64, big_b: f64, m: f64, p_long: f64) -> f64 {
    (b + m * p_long + 1.0) / (big_b + m + 1.0)
}

/// The rising topics of `sample`, best first, at most `limit`; a topic
/// needs `min_count` window papers (see the module doc).
pub fn rising(
    sample: Sample<'_>,
    min_count: usize,
    limit: usize,
    stemmer: &mut dyn Stemmer,
) -> Found {
    rising_on(sample, min_count, limit, stemmer, None)
}

/// [`rising`], with the papers split on the threads of `stemmers`: the
/// same topics.
pub fn rising_on(
    sample: Sample<'_>,
    min_count: usize,
    limit: usize,
    stemmer: &mut dyn Stemmer,
    stemmers: Option<Stemmers<'_>>,
) -> Found {
    let ws = sample.window.len();
    let (bs, hs) = (sample.baseline.len(), sample.history.len());
    let big_w = sample.window_docs.max(ws) as f64;
    let big_b = sample.baseline_docs.max(bs) as f64;
    let big_h = sample.history_docs.max(hs) as f64;
    let thin = sample.baseline_docs < THIN_RATIO * sample.window_docs.max(ws);
    if ws == 0 {
        return Found {
            topics: Vec::new(),
            thin,
        };
    }
    let c = Corpus::new_on(
        stemmer,
        stemmers,
        &[sample.window, sample.baseline, sample.history],
    );
    let min = sample_min(min_count, ws, sample.window_docs, thin);
    let mut cands = window_candidates(&c, ws, min);
    count_background(&c, &mut cands, ws, bs);

    let established = established_min(min, ws + bs + hs);
    cands.retain(|k| {
        let total = k.w + k.b + k.h;
        total >= established && c.cohesive(&k.gram, total)
    });
    let per = |n: u32, sampled: usize, big: f64| {
        if sampled == 0 {
            0.0
        } else {
            f64::from(n) * big / sampled as f64
        }
    };
    let m = (THIN_RATIO as f64 * big_w - big_b).max(0.0);
    for cand in &mut cands {
        let w = per(cand.w, ws, big_w);
        let b = per(cand.b, bs, big_b);
        let h = per(cand.h, hs, big_h);
        let p_long = (w + b + h) / (big_w + big_b + big_h).max(1.0);
        let p0 = baseline_rate(b, big_b, m, p_long);
        let weight = if gram_len(&cand.gram) == 1 {
            SINGLE_WEIGHT
        } else {
            1.0
        };
        // The baseline's evidence: its papers plus the pseudo papers a
        // thin baseline borrows from the long run, plus one.
        let evidence = b + m * p_long + 1.0;
        cand.score = weight * rise_score(w, big_w, p0, evidence);
        cand.expected = (b * big_w / big_b.max(1.0)) as f32;
    }
    cands.retain(|k| k.score > 0.0);
    let scale = big_w / ws as f64;
    let bscale = if bs == 0 { 0.0 } else { big_b / bs as f64 };
    let titles: Vec<&str> = sample.window.iter().map(|t| t.title.as_str()).collect();
    Found {
        topics: select(&c, cands, &titles, limit, scale, bscale),
        thin,
    }
}

/// Without any earlier papers: the most distinctive topics of `texts` (of
/// `docs` papers in all), by the same termhood rules.
///
/// `score = sqrt(df) × (ln(N / df) + mean over its units of ln(N / df_unit))`,
/// halved for a single unit: in enough papers to matter, not in so many that
/// it says nothing, made of units that are themselves specific.
/// `baseline_count` is 0.
pub fn distinctive(
    texts: &[Text],
    docs: usize,
    min_count: usize,
    limit: usize,
    stemmer: &mut dyn Stemmer,
) -> Vec<Topic> {
    if texts.is_empty() {
        return Vec::new();
    }
    let c = Corpus::new(stemmer, &[texts]);
    let n = texts.len() as f64;
    let min = sample_min(min_count, texts.len(), docs, false);
    let mut cands = window_candidates(&c, texts.len(), min);
    let idf = |df: u32| (n / f64::from(df.max(1))).ln().max(0.0);
    for cand in &mut cands {
        let units = gram_len(&cand.gram);
        let words = cand.gram[..units]
            .iter()
            .map(|&u| idf(c.profile(u).df))
            .sum::<f64>()
            / units.max(1) as f64;
        let weight = if units == 1 { SINGLE_WEIGHT } else { 1.0 };
        cand.score = weight * f64::from(cand.w).sqrt() * (idf(cand.w) + words);
    }
    cands.retain(|k| k.score > 0.0);
    let scale = docs.max(texts.len()) as f64 / n;
    let titles: Vec<&str> = texts.iter().map(|t| t.title.as_str()).collect();
    select(&c, cands, &titles, limit, scale, 0.0)
}

/// What the papers say a reader's keyword also goes by (see [`learn`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Learned {
    /// Acronyms the papers define with the keyword in their expansion
    /// (`MLLMs` for *multimodal*), or the expansion of an acronym keyword;
    /// each with the papers read that define it.
    pub aliases: Vec<(String, usize)>,
    /// Named things far more common in the papers about the keyword than in
    /// the others (`VLMs` for *multimodal*), best first, each with the
    /// papers about the keyword it is in.
    pub neighbours: Vec<(String, usize)>,
}

/// Neighbours are learned only from at least this many papers about a
/// keyword.
pub const NEIGHBOUR_MIN_PAPERS: usize = 30;

/// A neighbour must be at least this many times more common in the papers
/// about a keyword than in the others, surely (the lower confidence bound).
pub const NEIGHBOUR_LIFT: f64 = 3.0;

/// Learns what `keyword` also goes by, from the papers `about` it (those
/// naming it in the title) and a sample of the `others`: the acronyms the
/// papers define for it (defined at least twice) and at most `limit`
/// neighbours, by the termhood rules of rising topics and the same lower
/// confidence bound of the rate ratio, at least [`NEIGHBOUR_LIFT`], in at
/// least 3 papers and 8 % of those about it (none from fewer than
/// [`NEIGHBOUR_MIN_PAPERS`] papers about it). A term that holds the
/// keyword, or that the keyword holds, is neither (it matches already).
pub fn learn(
    keyword: &str,
    about: &[&Text],
    others: &[&Text],
    limit: usize,
    stemmer: &mut dyn Stemmer,
) -> Learned {
    let papers: Vec<&Text> = about.iter().chain(others).copied().collect();
    let mut c = Corpus::of(stemmer, None, &papers);
    let keys = |c: &mut Corpus<'_>, text: &str| -> Vec<u32> {
        let mut units = Vec::new();
        c.splitter.split(text, false, &mut units);
        units.iter().filter(|u| !u.stop).map(|u| u.key).collect()
    };
    let own = keys(&mut c, keyword);
    let mut learned = Learned::default();
    if own.is_empty() || about.is_empty() {
        return learned;
    }
    let holds = |big: &[u32], small: &[u32]| {
        !small.is_empty()
            && small.len() <= big.len()
            && big.windows(small.len()).any(|w| w == small)
    };
    // Aliases: the definitions whose expansion holds the keyword, or whose
    // acronym is the keyword.
    let own_letters = acronym_letters(keyword.trim());
    let mut defs: Vec<(String, Definition)> = c
        .definitions
        .iter()
        .map(|(k, d)| (k.clone(), d.clone()))
        .collect();
    defs.sort_by(|a, b| b.1.count.cmp(&a.1.count).then_with(|| a.0.cmp(&b.0)));
    for (letters, d) in defs {
        if d.count < 2 {
            continue;
        }
        let (Some(acronym), Some(expansion)) = (
            Definition::most(&d.acronyms),
            Definition::most(&d.expansions),
        ) else {
            continue;
        };
        let (acronym, expansion) = (acronym.to_string(), expansion.to_string());
        let term = if own_letters.as_deref() == Some(letters.as_str()) {
            expansion
        } else if holds(&keys(&mut c, &expansion), &own) {
            acronym
        } else {
            continue;
        };
        learned.aliases.push((term, d.count as usize));
    }
    // Neighbours: what the papers about it have far more than the others;
    // too few papers about it say nothing reliable.
    let (wa, wo) = (about.len(), others.len());
    if wa < NEIGHBOUR_MIN_PAPERS {
        return learned;
    }
    let min = u32::try_from((wa * 8).div_ceil(100).max(3)).unwrap_or(u32::MAX);
    let mut cands = window_candidates(&c, wa, min);
    count_background(&c, &mut cands, wa, wo);
    cands.retain(|k| c.cohesive(&k.gram, k.w + k.b));
    for cand in &mut cands {
        let (w, b) = (f64::from(cand.w), f64::from(cand.b));
        let p0 = (b + 1.0) / (wo as f64 + 1.0);
        let surely = rise_score(w, wa as f64, p0, b + 1.0);
        cand.score = if surely >= NEIGHBOUR_LIFT {
            surely
        } else {
            0.0
        };
    }
    cands.retain(|k| {
        let g = &k.gram[..gram_len(&k.gram)];
        k.score > 0.0 && !holds(g, &own) && !holds(&own, g)
    });
    let titles: Vec<&str> = about.iter().map(|t| t.title.as_str()).collect();
    let aliases: Vec<String> = learned.aliases.iter().map(|a| a.0.to_lowercase()).collect();
    for t in select(&c, cands, &titles, limit + aliases.len(), 1.0, 0.0) {
        if learned.neighbours.len() >= limit {
            break;
        }
        // An alias found again as a neighbour is an alias.
        let folded = |s: &str| s.to_lowercase().trim_end_matches('s').to_string();
        if t.forms()
            .any(|f| aliases.iter().any(|a| folded(a) == folded(f)))
        {
            continue;
        }
        learned.neighbours.push((t.phrase, t.window_count));
    }
    learned
}

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
/// of times on a large window, where std's SipHash costs more than the
/// counting.
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
    // window paper, and a scan of the list costs a comparison per entry.
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect())
        .contains(word)
}

/// Marks an unused slot of a [`Gram`] and the key of a unit without one.
const NONE: u32 = u32::MAX;

/// An n-gram of 1–3 units as their interned ids, unused slots [`NONE`].
type Gram = [u32; 3];

/// FxHash-style mixing for the integer-keyed gram maps: one multiply per
/// word of key instead of FNV's one per byte.
#[derive(Default)]
struct Mix(u64);

impl Hasher for Mix {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }

    fn write_u32(&mut self, x: u32) {
        self.write_u64(u64::from(x));
    }

    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, x: usize) {
        self.write_u64(x as u64);
    }
}

type GramMap<V> = HashMap<Gram, V, BuildHasherDefault<Mix>>;
type GramSet = HashSet<Gram, BuildHasherDefault<Mix>>;

/// Distinct strings, each with a small id.
#[derive(Default)]
struct Interner {
    ids: FastMap<String, u32>,
    strings: Vec<String>,
}

impl Interner {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = u32::try_from(self.strings.len()).unwrap_or(NONE - 1);
        self.strings.push(s.to_owned());
        self.ids.insert(s.to_owned(), id);
        id
    }

    fn get(&self, id: u32) -> &str {
        self.strings.get(id as usize).map_or("", String::as_str)
    }

    /// The strings of a gram's units.
    fn units<'a>(&'a self, gram: &'a Gram) -> impl Iterator<Item = &'a str> + 'a {
        gram.iter()
            .take_while(|&&id| id != NONE)
            .map(|&id| self.get(id))
    }
}

/// What is known of one distinct lowercase word, worked out once.
#[derive(Clone, Copy, Debug)]
struct Word {
    /// Interned stem (a unit key), or [`NONE`] when the analyzer drops it.
    stem: u32,
    /// Interned lowercase surface.
    surface: u32,
    /// A stop word.
    stop_word: bool,
    /// Only ASCII digits.
    digits: bool,
    /// A single character.
    short: bool,
}

/// A word of a text and what separates it from the next one.
#[derive(Clone, Copy, Debug)]
struct Spaced {
    word: Word,
    /// The separator is exactly `-` (the words form a compound).
    hyphen: bool,
    /// The separator holds sentence punctuation or a hyphen.
    boundary: bool,
}

/// One unit of text: a word or a hyphenated compound, as interned ids.
#[derive(Clone, Copy, Debug)]
struct Unit {
    /// Stems of its words, joined by `-` (interned).
    key: u32,
    /// The lowercase surface, `in-context` (interned).
    surface: u32,
    /// Whether it breaks n-grams (stop word, number, single letter).
    stop: bool,
    /// Whether sentence punctuation follows it.
    boundary_after: bool,
}

/// Splits texts into [`Unit`]s, interning words, stems and surfaces so that
/// each distinct word is lowercased, stemmed and classified once and the
/// n-gram counts never allocate.
struct Splitter {
    analyzer: tantivy::tokenizer::TextAnalyzer,
    words: FastMap<String, Word>,
    keys: Interner,
    surfaces: Interner,
    word: String,
    spaced: Vec<Spaced>,
}

impl Default for Splitter {
    fn default() -> Self {
        Self {
            analyzer: crate::index::schema::english(),
            words: FastMap::default(),
            keys: Interner::default(),
            surfaces: Interner::default(),
            word: String::new(),
            spaced: Vec::new(),
        }
    }
}

impl Splitter {
    /// The facts of the word in `self.word`, interned on first sight.
    fn intern_word(&mut self) -> Word {
        if let Some(w) = self.words.get(self.word.as_str()) {
            return *w;
        }
        let w = &self.word;
        let stem = {
            let mut stream = self.analyzer.token_stream(w);
            if tantivy::tokenizer::TokenStream::advance(&mut stream) {
                let t = &tantivy::tokenizer::TokenStream::token(&stream).text;
                Some(t.clone())
            } else {
                None
            }
        };
        let info = Word {
            stem: stem.map_or(NONE, |s| self.keys.id(&s)),
            surface: self.surfaces.id(w),
            stop_word: is_stop_word(w),
            digits: w.chars().all(|c| c.is_ascii_digit()),
            short: w.chars().count() < 2,
        };
        self.words.insert(w.clone(), info);
        info
    }

    /// Ends the word being read, if any.
    fn push_word(&mut self) {
        if !self.word.is_empty() {
            let word = self.intern_word();
            self.spaced.push(Spaced {
                word,
                hyphen: false,
                boundary: false,
            });
            self.word.clear();
        }
    }

    /// Splits `text` into units, appended to `out`.
    fn split(&mut self, text: &str, out: &mut Vec<Unit>) {
        self.spaced.clear();
        self.word.clear();
        // The separator after the last word: its length in chars, whether
        // it starts with `-` and whether it holds a boundary.
        let (mut sep_len, mut sep_hyphen, mut sep_boundary) = (0usize, false, false);
        let mut skipping = false; // after an apostrophe: drop the clitic
        for c in text.chars() {
            if c.is_alphanumeric() {
                if skipping {
                    continue;
                }
                if self.word.is_empty() {
                    if let Some(last) = self.spaced.last_mut() {
                        last.hyphen = sep_len == 1 && sep_hyphen;
                        last.boundary = sep_boundary;
                    }
                    (sep_len, sep_hyphen, sep_boundary) = (0, false, false);
                }
                self.word.extend(c.to_lowercase());
            } else {
                let apostrophe = c == '\'' || c == '\u{2019}';
                if apostrophe && !self.word.is_empty() {
                    skipping = true;
                    self.push_word();
                    continue;
                }
                if skipping && apostrophe {
                    continue;
                }
                skipping = false;
                self.push_word();
                if sep_len == 0 {
                    sep_hyphen = c == '-';
                }
                sep_len += 1;
                sep_boundary |= is_boundary(c) || c == '-';
            }
        }
        self.push_word();
        if let Some(last) = self.spaced.last_mut() {
            last.hyphen = sep_len == 1 && sep_hyphen;
            last.boundary = sep_boundary;
        }
        let mut i = 0;
        while i < self.spaced.len() {
            let start = i;
            while i + 1 < self.spaced.len() && self.spaced[i].hyphen {
                i += 1;
            }
            let boundary_after = self.spaced[i].boundary;
            let unit = if start == i {
                let w = self.spaced[i].word;
                Unit {
                    key: w.stem,
                    surface: w.surface,
                    stop: w.stem == NONE || w.stop_word || w.short || w.digits,
                    boundary_after,
                }
            } else {
                let parts = &self.spaced[start..=i];
                let join = |interner: &Interner, id: fn(&Word) -> u32| {
                    parts
                        .iter()
                        .filter(|p| id(&p.word) != NONE)
                        .map(|p| interner.get(id(&p.word)))
                        .collect::<Vec<_>>()
                        .join("-")
                };
                let surface = join(&self.surfaces, |w| w.surface);
                let key = join(&self.keys, |w| w.stem);
                let stop = parts.iter().any(|p| p.word.stem == NONE)
                    || parts.iter().all(|p| p.word.stop_word)
                    || is_stop_word(&surface)
                    || parts.iter().all(|p| p.word.digits);
                Unit {
                    key: self.keys.id(&key),
                    surface: self.surfaces.id(&surface),
                    stop,
                    boundary_after,
                }
            };
            out.push(unit);
            i += 1;
        }
    }

    /// The text of a gram of unit ids from `interner`, units joined by a space.
    fn text(interner: &Interner, gram: &Gram) -> String {
        interner.units(gram).collect::<Vec<_>>().join(" ")
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

/// Calls `each(key, surface, n)` for every 1–3-unit n-gram of a text split
/// into units (see [`Splitter::split`]) whose units are all `usable`.
fn for_each_gram_in(
    units: &[Unit],
    usable: impl Fn(&Unit) -> bool,
    mut each: impl FnMut(Gram, Gram, usize),
) {
    for i in 0..units.len() {
        let mut key = [NONE; 3];
        let mut surface = [NONE; 3];
        for n in 1..=3 {
            let Some(u) = units.get(i + n - 1) else { break };
            if u.stop || !usable(u) {
                break;
            }
            key[n - 1] = u.key;
            surface[n - 1] = u.surface;
            each(key, surface, n);
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

/// The number of units of a gram.
fn gram_len(g: &Gram) -> usize {
    g.iter().take_while(|&&id| id != NONE).count()
}

/// The `k`-th largest of `counts` (1-based), or `None` when there are not
/// more than `k`.
fn kth_largest(mut counts: Vec<u32>, k: usize) -> Option<u32> {
    (k < counts.len()).then(|| *counts.select_nth_unstable_by(k, |a, b| b.cmp(a)).1)
}

/// Finds the n-grams of `texts` (one per paper) found in at least
/// `min_count` papers, drops sub-grams that add no papers, and keeps the
/// `max` most frequent (ties by key, for reproducible output).
///
/// How it stays fast on thousands of abstracts: every text is split once
/// into interned units, and grams are arrays of unit ids, so counting
/// allocates nothing. Single units are counted first, in a plain array.
/// A gram is never in more papers than its rarest unit, so longer grams
/// are counted only over units at least as common as the `4 × max`-th
/// most common unit (`floor`): whatever can reach the top `max` is among
/// them. Only the final grams get their text built.
pub fn candidates(texts: &[String], min_count: usize, max: usize) -> Vec<Candidate> {
    let mut splitter = Splitter::default();
    let mut units: Vec<Unit> = Vec::new();
    let mut ends: Vec<usize> = Vec::with_capacity(texts.len());
    for t in texts {
        splitter.split(t, &mut units);
        ends.push(units.len());
    }
    let docs = || {
        ends.iter().scan(0, |start, &end| {
            let doc = &units[*start..end];
            *start = end;
            Some(doc)
        })
    };
    let min = u32::try_from(min_count.max(1)).unwrap_or(u32::MAX);
    let want = max.saturating_mul(4).max(1);
    // Papers per unit: (papers, last paper counted), indexed by unit key.
    let mut single = vec![(0u32, NONE); splitter.keys.strings.len()];
    for (d, doc) in docs().enumerate() {
        let d = u32::try_from(d).unwrap_or(NONE - 1);
        for u in doc.iter().filter(|u| !u.stop) {
            if let Some(e) = single.get_mut(u.key as usize)
                && e.1 != d
            {
                *e = (e.0 + 1, d);
            }
        }
    }
    let papers_of_unit = |id: u32| single.get(id as usize).map_or(0, |e| e.0);
    let mut floor = kth_largest(single.iter().map(|e| e.0).collect(), want)
        .unwrap_or(min)
        .max(min);
    let (df, mut kept) = 'count: loop {
        // Grams with every unit in at least `floor` papers; single units
        // from the array.
        // (papers, last paper counted), as for single units.
        let mut df: GramMap<(u32, u32)> = single
            .iter()
            .enumerate()
            .filter(|(_, e)| e.0 >= min)
            .map(|(id, e)| ([u32::try_from(id).unwrap_or(NONE), NONE, NONE], *e))
            .collect();
        for (d, doc) in docs().enumerate() {
            let d = u32::try_from(d).unwrap_or(NONE - 1);
            let usable = |u: &Unit| papers_of_unit(u.key) >= floor;
            for_each_gram_in(doc, usable, |key, _, n| {
                if n > 1 {
                    let e = df.entry(key).or_insert((0, NONE));
                    if e.1 != d {
                        *e = (e.0 + 1, d);
                    }
                }
            });
        }
        let df: GramMap<u32> = df
            .into_iter()
            .filter(|(_, e)| e.0 >= min)
            .map(|(g, e)| (g, e.0))
            .collect();
        // The pool: grams in at least `pool_min` papers. A sub-gram with
        // the same count as a gram containing it occurs only inside it
        // (its papers are a superset of equal size): drop it. The longer
        // gram has that count too, so it is in the pool.
        let mut pool_min = kth_largest(df.values().copied().collect(), want)
            .unwrap_or(min)
            .max(floor);
        loop {
            let pool: Vec<(Gram, u32)> = df
                .iter()
                .filter(|(_, c)| **c >= pool_min)
                .map(|(g, c)| (*g, *c))
                .collect();
            let mut dropped: GramSet = GramSet::default();
            for (gram, c) in &pool {
                let n = gram_len(gram);
                for sub_len in 1..n {
                    for start in 0..=n - sub_len {
                        let mut sub = [NONE; 3];
                        sub[..sub_len].copy_from_slice(&gram[start..start + sub_len]);
                        if df.get(&sub) == Some(c) {
                            dropped.insert(sub);
                        }
                    }
                }
            }
            let kept: Vec<(Gram, u32)> = pool
                .into_iter()
                .filter(|(g, _)| !dropped.contains(g))
                .collect();
            if kept.len() >= max || pool_min <= min {
                break 'count (df, kept);
            }
            if pool_min <= floor {
                // Drops left too few: count every gram and look again.
                floor = min;
                continue 'count;
            }
            pool_min = (pool_min / 2).max(floor);
        }
    };
    // Most papers first, then by key text. Comparing unit by unit orders
    // like the joined text would (the space between units sorts before
    // every character of a stem), without building strings.
    let keys = &splitter.keys;
    let order = |a: &(Gram, u32), b: &(Gram, u32)| {
        b.1.cmp(&a.1)
            .then_with(|| keys.units(&a.0).cmp(keys.units(&b.0)))
    };
    if max < kept.len() {
        kept.select_nth_unstable_by(max, order);
        kept.truncate(max);
    }
    kept.sort_by(order);
    // Second pass: the most frequent surface of each kept gram.
    let wanted: GramMap<usize> = kept.iter().enumerate().map(|(i, k)| (k.0, i)).collect();
    let mut surfaces: Vec<GramMap<u32>> = vec![GramMap::default(); kept.len()];
    for doc in docs() {
        let usable = |u: &Unit| papers_of_unit(u.key) >= min;
        for_each_gram_in(doc, usable, |key, surface, _| {
            if let Some(&i) = wanted.get(&key) {
                *surfaces[i].entry(surface).or_insert(0) += 1;
            }
        });
    }
    kept.into_iter()
        .zip(surfaces)
        .map(|((gram, c), seen)| {
            let key = Splitter::text(keys, &gram);
            let surface = seen
                .iter()
                .map(|(s, n)| (Splitter::text(&splitter.surfaces, s), *n))
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
                .map_or_else(|| key.clone(), |(s, _)| s);
            let unit_counts = gram
                .iter()
                .take_while(|&&id| id != NONE)
                .map(|&u| df.get(&[u, NONE, NONE]).copied().unwrap_or(c) as usize)
                .collect();
            Candidate {
                units: gram_len(&gram),
                key,
                surface,
                window_count: c as usize,
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
        let mut splitter = Splitter::default();
        let mut units = Vec::new();
        splitter.split(text, &mut units);
        let mut out = Vec::new();
        for_each_gram_in(
            &units,
            |_| true,
            |_, s, _| out.push(Splitter::text(&splitter.surfaces, &s)),
        );
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

    /// The plain way: every gram's text counted per paper, no floor.
    fn candidates_by_brute_force(texts: &[String], min: usize, max: usize) -> Vec<(String, usize)> {
        let mut splitter = Splitter::default();
        let mut df: HashMap<String, usize> = HashMap::new();
        for t in texts {
            let mut units = Vec::new();
            splitter.split(t, &mut units);
            let mut seen = HashSet::new();
            for_each_gram_in(
                &units,
                |_| true,
                |k, _, _| {
                    seen.insert(Splitter::text(&splitter.keys, &k));
                },
            );
            for g in seen {
                *df.entry(g).or_default() += 1;
            }
        }
        df.retain(|_, c| *c >= min);
        let dropped: HashSet<String> = df
            .iter()
            .flat_map(|(g, c)| {
                let parts: Vec<&str> = g.split(' ').collect();
                let mut subs = Vec::new();
                for len in 1..parts.len() {
                    for start in 0..=parts.len() - len {
                        let sub = parts[start..start + len].join(" ");
                        if df.get(&sub) == Some(c) {
                            subs.push(sub);
                        }
                    }
                }
                subs
            })
            .collect();
        let mut kept: Vec<(String, usize)> = df
            .into_iter()
            .filter(|(g, _)| !dropped.contains(g))
            .collect();
        kept.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        kept.truncate(max);
        kept
    }

    #[test]
    fn candidates_match_brute_force_counting() {
        // Zipf-ish word draws from a small vocabulary with stop words,
        // hyphens and punctuation, so grams repeat and tie a lot.
        let vocab = [
            "graph",
            "neural",
            "networks",
            "of",
            "the",
            "learning",
            "in-context",
            "model",
            "models",
            "vision",
            "transformer",
            "transformers",
            "robust",
            "data",
            "training",
            "large",
            "language",
            "sparse",
            "attention",
            "we",
            "diffusion",
            "policy",
        ];
        let mut next = crate::test_rng::xorshift(0x9e37_79b9_7f4a_7c15_u64);
        let texts: Vec<String> = (0..200)
            .map(|_| {
                let mut t = String::new();
                for _ in 0..(5 + next(40)) {
                    let r = next(vocab.len()).min(next(vocab.len()));
                    t.push_str(vocab[r]);
                    t.push_str([" ", " ", " ", ". ", ", ", "-"][next(6)]);
                }
                t
            })
            .collect();
        for (min, max) in [(1, 1), (1, 3), (2, 10), (1, 40), (5, 100), (1, 10_000)] {
            let got: Vec<(String, usize)> = candidates(&texts, min, max)
                .into_iter()
                .map(|c| (c.key, c.window_count))
                .collect();
            assert_eq!(
                got,
                candidates_by_brute_force(&texts, min, max),
                "min {min}, max {max}"
            );
        }
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

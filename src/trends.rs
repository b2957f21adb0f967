//! Rising topics: the named things (methods, models, tasks, datasets,
//! phenomena) whose share of recent papers is high against what came before.
//! Pure: texts in, topics out; the index's trends driver reads the texts and
//! passes its stemmer in, so this module needs no search engine.
//! (One long file on purpose: each termhood rule sits next to its tests.)
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
    "still", "already", "instead", "whose", "beyond", "vs", "versus",
    "largely", "mainly", "mostly", "simply", "directly", "notably",
];

/// Whether `word` (lowercase surface) is a stop word.
pub fn is_stop_word(word: &str) -> bool {
    // A set, not a scan of the list: this runs for every word read.
    static SET: std::sync::OnceLock<FxHashSet<&'static str>> = std::sync::OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect())
        .contains(word)
}

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

/// One paper's text.
#[derive(Clone, Debug, Default)]
pub struct Text {
    /// The title.
    pub title: String,
    /// The abstract.
    pub body: String,
}

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

/// Marks an unused slot of a [`Gram`] and the key of a unit without one.
const NONE: u32 = u32::MAX;

/// An n-gram of 1–3 units as their interned ids, unused slots [`NONE`].
type Gram = [u32; 3];

/// Distinct strings, each with a small id.
#[derive(Default)]
struct Interner {
    ids: FxHashMap<String, u32>,
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
}

/// What is known of one distinct lowercase word, worked out once.
#[derive(Clone, Copy, Debug)]
struct Word {
    /// Interned stem, or [`NONE`] when the stemmer drops it.
    stem: u32,
    /// Interned lowercase surface.
    surface: u32,
    stop_word: bool,
    digits: bool,
    short: bool,
}

/// A word of a text and what follows it.
#[derive(Clone, Copy, Debug)]
struct Spaced {
    word: Word,
    /// Interned surface as written.
    raw: u32,
    /// Written with a capital letter.
    caps: bool,
    /// Written with two capitals, or a capital and a digit.
    acronym: bool,
    /// The separator is exactly `-` (the words form a compound).
    hyphen: bool,
    /// The separator holds punctuation that ends a phrase.
    boundary: bool,
    /// The separator ends a sentence (`.`, `!`, `?`, `:`).
    sentence_end: bool,
    /// The separator is an opening parenthesis (and spaces).
    open_after: bool,
    /// The separator is a closing parenthesis (and spaces).
    close_after: bool,
}

/// One unit of text: a word or a hyphenated compound.
#[derive(Clone, Copy, Debug)]
struct Unit {
    /// Stems of its words joined by `-` (interned).
    key: u32,
    /// The lowercase surface (interned).
    surface: u32,
    /// The surface as written (interned).
    raw: u32,
    /// Breaks n-grams (stop word, number, single letter).
    stop: bool,
    /// Phrase-ending punctuation follows it.
    boundary_after: bool,
    /// Written with a capital letter.
    caps: bool,
    /// Written with two capitals, or a capital and a digit.
    acronym: bool,
    /// In mid-sentence of an abstract (not in a title, not first in a
    /// sentence): where a capital says something.
    mid: bool,
    /// An acronym in parentheses right after a word (`(VLA)` in
    /// *Vision-Language-Action (VLA) models*): a phrase runs on across it.
    aside: bool,
}

/// Splits texts into [`Unit`]s, each distinct word lowercased, stemmed and
/// classified once.
struct Splitter<'s> {
    stemmer: &'s mut dyn Stemmer,
    words: FxHashMap<String, Word>,
    keys: Interner,
    surfaces: Interner,
    raws: Interner,
    word: String,
    raw: String,
    spaced: Vec<Spaced>,
}

impl<'s> Splitter<'s> {
    fn new(stemmer: &'s mut dyn Stemmer) -> Self {
        Splitter {
            stemmer,
            words: FxHashMap::default(),
            keys: Interner::default(),
            surfaces: Interner::default(),
            raws: Interner::default(),
            word: String::new(),
            raw: String::new(),
            spaced: Vec::new(),
        }
    }

    fn intern_word(&mut self) -> Word {
        if let Some(w) = self.words.get(self.word.as_str()) {
            return *w;
        }
        let w = self.word.clone();
        // The index's stemmer splits `qwen2.5` at the point; a versioned
        // name is its own key.
        let stem = if w.contains('.') {
            Some(w.clone())
        } else {
            self.stemmer.stem(&w)
        };
        let info = Word {
            stem: stem.map_or(NONE, |s| self.keys.id(&s)),
            surface: self.surfaces.id(&w),
            stop_word: is_stop_word(&w),
            digits: w.chars().all(|c| c.is_ascii_digit() || c == '.'),
            short: w.chars().count() < 2,
        };
        self.words.insert(w, info);
        info
    }

    fn push_word(&mut self) {
        if !self.word.is_empty() {
            let word = self.intern_word();
            let upper = self.raw.chars().filter(|c| c.is_uppercase()).count();
            let digit = self.raw.chars().any(|c| c.is_ascii_digit());
            let raw = self.raws.id(&self.raw);
            self.spaced.push(Spaced {
                word,
                raw,
                caps: upper > 0,
                acronym: upper >= 2 || (upper == 1 && digit),
                hyphen: false,
                boundary: false,
                sentence_end: false,
                open_after: false,
                close_after: false,
            });
            self.word.clear();
            self.raw.clear();
        }
    }

    /// Splits `text` into units appended to `out`; `title` marks a title.
    fn split(&mut self, text: &str, title: bool, out: &mut Vec<Unit>) {
        self.spaced.clear();
        self.word.clear();
        self.raw.clear();
        let (mut sep_len, mut sep_hyphen, mut sep_boundary, mut sep_end) = (0, false, false, false);
        // Non-space characters of the separator: how many, and the first.
        let (mut sep_marks, mut sep_mark) = (0u32, ' ');
        let mut skipping = false; // after an apostrophe: drop the clitic
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            // `Qwen2.5`, `GPT-4.1`, `1.5B`: a decimal point inside a word.
            let decimal = c == '.'
                && !skipping
                && self.raw.ends_with(|d: char| d.is_ascii_digit())
                && chars.peek().is_some_and(char::is_ascii_digit);
            if decimal {
                self.word.push(c);
                self.raw.push(c);
                continue;
            }
            if c.is_alphanumeric() {
                if skipping {
                    continue;
                }
                if self.word.is_empty() {
                    if let Some(last) = self.spaced.last_mut() {
                        last.hyphen = sep_len == 1 && sep_hyphen;
                        last.boundary = sep_boundary;
                        last.sentence_end = sep_end;
                        last.open_after = sep_marks == 1 && sep_mark == '(';
                        last.close_after = sep_marks == 1 && sep_mark == ')';
                    }
                    (sep_len, sep_hyphen, sep_boundary, sep_end) = (0, false, false, false);
                    (sep_marks, sep_mark) = (0, ' ');
                }
                self.word.extend(c.to_lowercase());
                self.raw.push(c);
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
                if !c.is_whitespace() {
                    if sep_marks == 0 {
                        sep_mark = c;
                    }
                    sep_marks += 1;
                }
                sep_boundary |= is_boundary(c) || c == '-';
                sep_end |= matches!(c, '.' | '!' | '?' | ':' | '\n');
            }
        }
        self.push_word();
        if let Some(last) = self.spaced.last_mut() {
            last.hyphen = sep_len == 1 && sep_hyphen;
            last.boundary = sep_boundary;
            last.sentence_end = sep_end;
        }
        let first_unit = out.len();
        let mut i = 0;
        while i < self.spaced.len() {
            let start = i;
            while i + 1 < self.spaced.len() && self.spaced[i].hyphen {
                i += 1;
            }
            let first = start == 0 || self.spaced[start - 1].sentence_end;
            let parts = &self.spaced[start..=i];
            let aside = parts.len() == 1
                && parts[0].acronym
                && parts[0].close_after
                && start > 0
                && self.spaced[start - 1].open_after
                && out.len() > first_unit;
            if aside && let Some(before) = out.last_mut() {
                before.boundary_after = false;
            }
            let boundary_after = parts[parts.len() - 1].boundary && !aside;
            let caps = parts.iter().any(|p| p.caps);
            let acronym = parts.iter().any(|p| p.acronym);
            let mid = !title && !first;
            let unit = if parts.len() == 1 {
                let p = parts[0];
                let w = p.word;
                Unit {
                    key: w.stem,
                    surface: w.surface,
                    raw: p.raw,
                    stop: w.stem == NONE || w.stop_word || w.short || w.digits,
                    boundary_after,
                    caps,
                    acronym,
                    mid,
                    aside,
                }
            } else {
                let join = |interner: &Interner, id: &dyn Fn(&Spaced) -> u32| {
                    parts
                        .iter()
                        .filter(|p| id(p) != NONE)
                        .map(|p| interner.get(id(p)))
                        .collect::<Vec<_>>()
                        .join("-")
                };
                let surface = join(&self.surfaces, &|p| p.word.surface);
                let key = join(&self.keys, &|p| p.word.stem);
                let raw = join(&self.raws, &|p| p.raw);
                let stop = parts.iter().any(|p| p.word.stem == NONE)
                    || parts.iter().all(|p| p.word.stop_word)
                    || is_stop_word(&surface)
                    || parts.iter().all(|p| p.word.digits);
                Unit {
                    key: self.keys.id(&key),
                    surface: self.surfaces.id(&surface),
                    raw: self.raws.id(&raw),
                    stop,
                    boundary_after,
                    caps,
                    acronym,
                    mid,
                    aside,
                }
            };
            out.push(unit);
            i += 1;
        }
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

/// Calls `each(gram, start, end)` for every n-gram of 1–3 units of
/// `units[start..end]` whose units are all `usable`: all of them but an
/// acronym in parentheses after the first (see [`gram_units`]).
fn for_each_gram(
    units: &[Unit],
    usable: impl Fn(&Unit) -> bool,
    mut each: impl FnMut(Gram, usize, usize),
) {
    for i in 0..units.len() {
        let mut key = [NONE; 3];
        let (mut n, mut j) = (0, i);
        while n < 3 {
            let Some(u) = units.get(j) else { break };
            j += 1;
            if n > 0 && u.aside {
                continue;
            }
            if u.stop || !usable(u) {
                break;
            }
            key[n] = u.key;
            n += 1;
            each(key, i, j);
            if u.boundary_after {
                break;
            }
        }
    }
}

/// The units of the n-gram `units[start..end]` found by [`for_each_gram`].
fn gram_units(units: &[Unit], start: usize, end: usize) -> impl Iterator<Item = &Unit> {
    units
        .get(start..end)
        .unwrap_or(&[])
        .iter()
        .enumerate()
        .filter(|(k, u)| *k == 0 || !u.aside)
        .map(|(_, u)| u)
}

/// The number of units of a gram.
fn gram_len(g: &Gram) -> usize {
    g.iter().take_while(|&&id| id != NONE).count()
}

/// Whether the units of `small` are a contiguous part of `big`'s.
fn contains(big: &Gram, small: &Gram) -> bool {
    let (b, s) = (&big[..gram_len(big)], &small[..gram_len(small)]);
    s.len() <= b.len() && b.windows(s.len()).any(|w| w == s)
}

/// A unit's long-run profile over every paper read.
#[derive(Clone, Copy, Debug, Default)]
struct Profile {
    /// Papers it occurs in.
    df: u32,
    /// Occurrences.
    cf: u32,
    /// Occurrences in mid-sentence of an abstract.
    mid: u32,
    /// Of those, written with a capital.
    caps_mid: u32,
    /// Of those, written like an acronym or a model name: two capitals, or
    /// a capital and a digit (`GRPO`, `LLMs`, `DiT`, `Qwen3`).
    acro_mid: u32,
    /// Of those, directly followed by another word of the same phrase
    /// (`3D` in *3D scenes*, `AR` in *AR models*): used as a modifier.
    modifier_mid: u32,
    /// Titles it occurs in.
    title_df: u32,
}

impl Profile {
    /// Too few papers to judge.
    const MIN_DF: u32 = 5;

    /// Rarely capitalised, about once per paper, rarely in titles: a word
    /// of academic English rather than a name (see the module doc).
    fn generic(&self) -> bool {
        let f = |n: u32| f64::from(n);
        self.df >= Self::MIN_DF
            && f(self.caps_mid) < 0.3 * f(self.mid)
            && f(self.cf) < 1.5 * f(self.df)
            && f(self.title_df) < 0.25 * f(self.df)
    }

    /// Written like an acronym or a model name in mid-sentence at least
    /// half the time, seen there at least twice (a word with only an initial
    /// capital is usually part of a longer name: *Gaussian*, *Pro*), and
    /// the head of what it names at least half the time: a token mostly
    /// written before another word is a modifier (*3D*, *AR*, *GPU*), and
    /// the topic is the phrase it starts.
    fn name_like(&self) -> bool {
        self.mid >= 2 && 2 * self.acro_mid >= self.mid && 2 * self.modifier_mid < self.mid
    }
}

/// Every paper read, split into units.
struct Corpus<'s> {
    splitter: Splitter<'s>,
    units: Vec<Unit>,
    /// Unit ranges of the papers: window first, then baseline, then history.
    docs: Vec<std::ops::Range<usize>>,
    /// Where the title ends, per paper.
    title_ends: Vec<usize>,
    profiles: Vec<Profile>,
    /// Acronyms the papers define, by their lowercase letters: how often,
    /// and the spellings of the acronym and of its expansion.
    definitions: FxHashMap<String, Definition>,
}

/// An acronym the papers define (`Vision-Language-Action (VLA) models`).
#[derive(Clone, Debug, Default)]
struct Definition {
    /// How many times it is defined.
    count: u32,
    /// Spellings of the acronym (`VLA`, `VLAs`) and how often.
    acronyms: FxHashMap<String, u32>,
    /// Spellings of the expansion (`Vision-Language-Action`) and how often.
    expansions: FxHashMap<String, u32>,
}

impl Definition {
    fn most(m: &FxHashMap<String, u32>) -> Option<&str> {
        m.iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(s, _)| s.as_str())
    }
}

/// The lowercase letters an acronym stands for (`VLMs` → `vlm`), or `None`
/// for a word that is not written like one.
fn acronym_letters(raw: &str) -> Option<String> {
    let upper = raw.chars().filter(char::is_ascii_uppercase).count();
    if upper < 2 || raw.chars().any(|c| !c.is_ascii_alphanumeric()) {
        return None;
    }
    let raw = raw.strip_suffix('s').unwrap_or(raw);
    let letters: String = raw
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (letters.len() >= 2).then_some(letters)
}

/// The initials of written words: each word, and each part of a hyphenated
/// one, gives its first letter; a word written like an acronym gives its
/// letters (`VLA models` → `vlam`, `Vision-Language-Action models` → `vlam`).
/// Also whether one of the words is an acronym.
fn initials(text: &str) -> (String, bool) {
    let mut out = String::new();
    let mut acronym = false;
    for w in text.split([' ', '-']).filter(|w| !w.is_empty()) {
        if let Some(letters) = acronym_letters(w) {
            acronym = true;
            out.push_str(&letters);
        } else if let Some(c) = w.chars().find(|c| c.is_alphanumeric()) {
            out.extend(c.to_lowercase());
        }
    }
    (out, acronym)
}

impl<'s> Corpus<'s> {
    fn new(stemmer: &'s mut dyn Stemmer, sets: &[&[Text]]) -> Self {
        let mut c = Corpus {
            splitter: Splitter::new(stemmer),
            units: Vec::new(),
            docs: Vec::new(),
            title_ends: Vec::new(),
            profiles: Vec::new(),
            definitions: FxHashMap::default(),
        };
        for t in sets.iter().flat_map(|s| s.iter()) {
            let start = c.units.len();
            c.splitter.split(&t.title, true, &mut c.units);
            if let Some(u) = c.units[start..].last_mut() {
                u.boundary_after = true;
            }
            c.title_ends.push(c.units.len());
            c.splitter.split(&t.body, false, &mut c.units);
            c.docs.push(start..c.units.len());
        }
        let mut profiles = vec![Profile::default(); c.splitter.keys.strings.len()];
        let mut last = vec![(NONE, NONE); profiles.len()];
        for (d, range) in c.docs.iter().enumerate() {
            let d = u32::try_from(d).unwrap_or(NONE - 1);
            let doc = &c.units[range.clone()];
            for (i, u) in doc.iter().enumerate() {
                let Some(p) = profiles.get_mut(u.key as usize) else {
                    continue;
                };
                let seen = &mut last[u.key as usize];
                p.cf += 1;
                if seen.0 != d {
                    seen.0 = d;
                    p.df += 1;
                }
                if range.start + i < c.title_ends[d as usize] {
                    if seen.1 != d {
                        seen.1 = d;
                        p.title_df += 1;
                    }
                } else if u.mid {
                    p.mid += 1;
                    p.caps_mid += u32::from(u.caps);
                    p.acro_mid += u32::from(u.acronym);
                    let modifies = !u.stop
                        && !u.aside
                        && !u.boundary_after
                        && doc.get(i + 1).is_some_and(|next| !next.stop);
                    p.modifier_mid += u32::from(modifies);
                }
            }
        }
        c.profiles = profiles;
        c.find_definitions();
        c
    }

    /// Records every acronym defined in parentheses right after the words
    /// it stands for (`Multimodal Large Language Models (MLLMs)`).
    fn find_definitions(&mut self) {
        let raws = &self.splitter.raws;
        for range in &self.docs {
            let doc = &self.units[range.clone()];
            for (i, u) in doc.iter().enumerate() {
                if !u.aside {
                    continue;
                }
                let acronym = raws.get(u.raw);
                let Some(letters) = acronym_letters(acronym) else {
                    continue;
                };
                // The expansion ends right before the parenthesis, or one
                // word earlier (`Vision-Language-Action Models (VLAs)`: the
                // plural acronym stands for the head noun too), and has as
                // many initials as the acronym has letters.
                'ends: for end in [i, i.saturating_sub(1)] {
                    for start in (i.saturating_sub(8)..end).rev() {
                        if start + 1 < i && doc[start].boundary_after {
                            break;
                        }
                        let words: Vec<&str> =
                            doc[start..end].iter().map(|w| raws.get(w.raw)).collect();
                        let expansion = words.join(" ");
                        let (got, _) = initials(&expansion);
                        if got == letters {
                            let d = self.definitions.entry(letters).or_default();
                            d.count += 1;
                            *d.acronyms.entry(acronym.to_string()).or_default() += 1;
                            *d.expansions.entry(expansion).or_default() += 1;
                            break 'ends;
                        }
                        if got.len() > letters.len() || !letters.ends_with(&got) {
                            break;
                        }
                    }
                }
            }
        }
    }

    fn doc(&self, d: usize) -> &[Unit] {
        self.docs.get(d).map_or(&[], |r| &self.units[r.clone()])
    }

    fn profile(&self, key: u32) -> Profile {
        self.profiles.get(key as usize).copied().unwrap_or_default()
    }

    /// Whether a counted gram reads as the name of a thing.
    fn termlike(&self, gram: &Gram, first: &Unit, last: &Unit) -> bool {
        let s = &self.splitter.surfaces;
        let n = gram_len(gram);
        if n == 1 {
            let surface = s.get(first.surface);
            let p = self.profile(gram[0]);
            // A hyphenated compound (`fine-tuning`, `text-to-video`) is a
            // phrase written as one unit: a name when authors use it as a
            // head, not only before another word (`real-world data`).
            let compound = surface.contains('-')
                && !surface
                    .split('-')
                    .any(|w| is_adverb(w) || w.ends_with("ed"))
                && p.mid >= 2
                && 2 * p.modifier_mid < p.mid;
            return !is_model_size(surface) && (compound || p.name_like());
        }
        let (a, z) = (s.get(first.surface), s.get(last.surface));
        let compound = |u: &Unit| s.get(u.surface).contains('-');
        let adverb = gram[..n]
            .iter()
            .any(|&k| self.splitter.keys.get(k).split('-').any(is_adverb_stem));
        // `two-stage training`, `single-step sampling`: a count, not a name.
        let counted = ["one-", "two-", "three-", "four-", "single-"]
            .iter()
            .any(|p| a.starts_with(p));
        if adverb
            || counted
            || is_adverb(a)
            || is_adverb(z)
            || z.ends_with("ed")
            || (a.ends_with("ed") && !compound(first))
        {
            return false;
        }
        let (head, modifier) = (self.profile(gram[n - 1]), self.profile(gram[0]));
        // A generic head after a generic or ubiquitous word is a description
        // (*model weights*, *data collection*, *reasoning chains*), not a name.
        !(head.generic() && (modifier.generic() || self.ubiquitous(&modifier)))
    }

    /// In at least [`UBIQUITOUS`] of the papers read (*model*, *data*,
    /// *reasoning*).
    fn ubiquitous(&self, p: &Profile) -> bool {
        f64::from(p.df) >= UBIQUITOUS * self.docs.len() as f64
    }
}

impl Corpus<'_> {
    /// Whether a phrase in `total` papers is a unit of its own rather than
    /// two common words that meet: in at least [`COHESION`] of the papers of its
    /// rarest word (*reinforcement learning*, not *model training*).
    fn cohesive(&self, gram: &Gram, total: u32) -> bool {
        let n = gram_len(gram);
        if n < 2 {
            return true;
        }
        let rarest = gram[..n]
            .iter()
            .map(|&u| self.profile(u).df)
            .min()
            .unwrap_or(0);
        f64::from(total) >= COHESION * f64::from(rarest)
    }
}

/// Nouns that end like an adverb.
const LY_NOUNS: &[&str] = &[
    "anomaly", "family", "assembly", "supply", "monopoly", "reply",
];

/// An adverb by its ending (*especially*, *temporally*), not a noun that
/// ends the same way (*anomaly*).
fn is_adverb(surface: &str) -> bool {
    surface.len() > 4 && surface.ends_with("ly") && !LY_NOUNS.contains(&surface)
}

/// The same test on a stem: stemming turns `-ly` into `-li` (`especi`,
/// `tempor`), so only the clear `-alli`/`-ousli`-style endings are caught.
fn is_adverb_stem(stem: &str) -> bool {
    stem.len() > 4
        && (stem.ends_with("li") || stem.ends_with("ly"))
        && !LY_NOUNS.iter().any(|n| stem.starts_with(&n[..n.len() - 1]))
}

/// `7b`, `70b`, `1m`, `10k`: a size, not a topic.
fn is_model_size(surface: &str) -> bool {
    let digits = surface
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .count();
    digits > 0 && surface.len() == digits + 1 && surface.ends_with(['b', 'm', 'k', 't'])
}

/// One candidate topic while scoring.
#[derive(Clone, Debug)]
struct Cand {
    gram: Gram,
    /// Window papers (in the sample) holding it.
    w: u32,
    /// Baseline and history papers (in the samples) holding it.
    b: u32,
    h: u32,
    score: f64,
    /// Window papers the baseline predicts.
    expected: f32,
}

/// Counts the window's n-grams and keeps those in at least `min` papers
/// that read as names of things, without sub-grams that add no papers.
fn window_candidates(c: &Corpus<'_>, window: usize, min: u32) -> Vec<Cand> {
    let mut single = vec![(0u32, NONE); c.splitter.keys.strings.len()];
    for d in 0..window {
        let d32 = u32::try_from(d).unwrap_or(NONE - 1);
        for u in c.doc(d).iter().filter(|u| !u.stop) {
            if let Some(e) = single.get_mut(u.key as usize)
                && e.1 != d32
            {
                *e = (e.0 + 1, d32);
            }
        }
    }
    let common = |u: &Unit| single.get(u.key as usize).is_some_and(|e| e.0 >= min);
    // (papers, last paper counted, first occurrence's doc, start and end)
    let mut df: FxHashMap<Gram, (u32, u32, u32, u32, u32)> = FxHashMap::default();
    for d in 0..window {
        let d32 = u32::try_from(d).unwrap_or(NONE - 1);
        let doc = c.doc(d);
        for_each_gram(doc, common, |gram, start, end| {
            let at = |i: usize| u32::try_from(i).unwrap_or(0);
            let e = df.entry(gram).or_insert((0, NONE, d32, at(start), at(end)));
            if e.1 != d32 {
                e.0 += 1;
                e.1 = d32;
            }
        });
    }
    // Names of things only; then a sub-gram with the same papers as a
    // longer name containing it gives way to it.
    df.retain(|g, e| {
        let doc = c.doc(e.2 as usize);
        let (start, end) = (e.3 as usize, e.4 as usize);
        e.0 >= min
            && match (doc.get(start), end.checked_sub(1).and_then(|z| doc.get(z))) {
                (Some(a), Some(z)) => c.termlike(g, a, z),
                _ => false,
            }
    });
    let mut dropped: FxHashSet<Gram> = FxHashSet::default();
    for (gram, e) in &df {
        let n = gram_len(gram);
        for len in 1..n {
            for start in 0..=n - len {
                let mut sub = [NONE; 3];
                sub[..len].copy_from_slice(&gram[start..start + len]);
                if df.get(&sub).is_some_and(|s| s.0 == e.0) {
                    dropped.insert(sub);
                }
            }
        }
    }
    let mut out: Vec<Cand> = df
        .iter()
        .filter(|(g, _)| !dropped.contains(*g))
        .map(|(g, e)| Cand {
            gram: *g,
            w: e.0,
            b: 0,
            h: 0,
            score: 0.0,
            expected: 0.0,
        })
        .collect();
    // Reproducible order whatever the hash map did.
    out.sort_by(|a, b| b.w.cmp(&a.w).then_with(|| a.gram.cmp(&b.gram)));
    out
}

/// Adds the baseline and history counts of `cands`.
fn count_background(c: &Corpus<'_>, cands: &mut [Cand], window: usize, baseline: usize) {
    let index: FxHashMap<Gram, usize> =
        cands.iter().enumerate().map(|(i, k)| (k.gram, i)).collect();
    let mut last = vec![NONE; cands.len()];
    for d in window..c.docs.len() {
        let d32 = u32::try_from(d).unwrap_or(NONE - 1);
        for_each_gram(
            c.doc(d),
            |_| true,
            |gram, _, _| {
                if let Some(&i) = index.get(&gram)
                    && last[i] != d32
                {
                    last[i] = d32;
                    if d < window + baseline {
                        cands[i].b += 1;
                    } else {
                        cands[i].h += 1;
                    }
                }
            },
        );
    }
}

/// For the `pool`: the window papers of each, and its spellings as
/// (written units, papers where every unit was mid-sentence, all papers).
type Spellings = FxHashMap<Gram, (u32, u32)>;

/// What the papers read say of each topic of the pool.
struct Seen {
    /// The window papers holding it.
    sets: Vec<Vec<u32>>,
    /// Its spellings.
    spellings: Vec<Spellings>,
    /// Papers with it in the title, and papers with it in the abstract.
    titles: Vec<(u32, u32)>,
    /// Window papers with it in the title.
    in_title: Vec<Vec<u32>>,
    /// Its mentions in window papers, and of those, how many run on into
    /// the most frequent next word and follow the most frequent previous
    /// one (see [`Runs::fragment`]).
    runs: Vec<Runs>,
}

/// What surrounds one topic's mentions.
#[derive(Clone, Debug, Default)]
struct Runs {
    mentions: u32,
    /// Mentions right after another word of the same phrase, whichever:
    /// a phrase that almost never stands alone is the tail of longer
    /// names (*generation models* of *video generation models*).
    tail: u32,
    next: FxHashMap<u32, u32>,
    prev: FxHashMap<u32, u32>,
}

impl Runs {
    /// Whether at least [`FRAGMENT_SHARE`] of the mentions run on into the
    /// same next word, or follow the same word: a part of a longer name
    /// (*Group Relative* of *Group Relative Policy Optimization*).
    fn fragment(&self) -> bool {
        let most = |m: &FxHashMap<u32, u32>| m.values().copied().max().unwrap_or(0);
        let m = f64::from(self.mentions);
        self.mentions > 0
            && (f64::from(most(&self.next)) >= FRAGMENT_SHARE * m
                || f64::from(most(&self.prev)) >= FRAGMENT_SHARE * m
                || f64::from(self.tail) >= TAIL_SHARE * m)
    }
}

/// Candidates read per topic wanted: most of the best-scored are dropped
/// as descriptions, fragments or aliases of a topic above them.
const POOL_PER_TOPIC: usize = 8;

/// A phrase is a name when at least this many papers read have it in the
/// title (or the papers give it an acronym): one title can coin a
/// description (*high-quality videos*), two papers naming their subject so
/// make it a name.
const MIN_TITLES: u32 = 2;

/// See [`Runs::fragment`].
const FRAGMENT_SHARE: f64 = 0.7;
/// See [`Runs::fragment`]: a phrase after some other word of a name this
/// often never stands alone.
const TAIL_SHARE: f64 = 0.9;

fn window_sets_and_spellings(c: &Corpus<'_>, pool: &[Cand], window: usize) -> Seen {
    let index: FxHashMap<Gram, usize> = pool.iter().enumerate().map(|(i, k)| (k.gram, i)).collect();
    let mut sets = vec![Vec::new(); pool.len()];
    let mut spellings = vec![Spellings::default(); pool.len()];
    let mut titles = vec![(0, 0); pool.len()];
    let mut in_title = vec![Vec::new(); pool.len()];
    let mut runs = vec![Runs::default(); pool.len()];
    // The last paper counted in `titles`, per topic: (title, abstract).
    let mut last = vec![(NONE, NONE); pool.len()];
    for d in 0..c.docs.len() {
        let d32 = u32::try_from(d).unwrap_or(NONE - 1);
        let doc = c.doc(d);
        let title_len = c.title_ends[d] - c.docs[d].start;
        for_each_gram(
            doc,
            |_| true,
            |gram, start, end| {
                let Some(&i) = index.get(&gram) else { return };
                if d < window {
                    if sets[i].last() != Some(&d32) {
                        sets[i].push(d32);
                    }
                    let r = &mut runs[i];
                    r.mentions += 1;
                    // The next word, across an acronym in parentheses.
                    let last_unit = end.checked_sub(1).and_then(|z| doc.get(z));
                    if last_unit.is_some_and(|u| !u.boundary_after)
                        && let Some(next) = doc[end.min(doc.len())..].iter().find(|u| !u.aside)
                    {
                        *r.next.entry(next.key).or_default() += 1;
                    }
                    if let Some(prev) = start.checked_sub(1).and_then(|b| doc.get(b))
                        && !prev.boundary_after
                        && !prev.aside
                    {
                        r.tail += u32::from(!prev.stop);
                        *r.prev.entry(prev.key).or_default() += 1;
                    }
                }
                if start < title_len {
                    if last[i].0 != d32 {
                        last[i].0 = d32;
                        titles[i].0 += 1;
                        if d < window {
                            in_title[i].push(d32);
                        }
                    }
                } else if last[i].1 != d32 {
                    last[i].1 = d32;
                    titles[i].1 += 1;
                }
                let mut raw = [NONE; 3];
                for (slot, u) in raw.iter_mut().zip(gram_units(doc, start, end)) {
                    *slot = u.raw;
                }
                // `Policy Optimization` inside *Group Relative Policy
                // Optimization* is spelled as part of a longer name.
                let in_name = gram_len(&gram) > 1
                    && start
                        .checked_sub(1)
                        .and_then(|b| doc.get(b))
                        .is_some_and(|b| b.caps && (b.mid || !b.stop) && !b.boundary_after);
                let mid = gram_units(doc, start, end).all(|u| u.mid) && !in_name;
                let e = spellings[i].entry(raw).or_insert((0, 0));
                e.0 += u32::from(mid);
                e.1 += 1;
            },
        );
    }
    Seen {
        sets,
        spellings,
        titles,
        in_title,
        runs,
    }
}

/// The spelling shown: the most frequent mid-sentence one; failing that
/// the most frequent, words with only an initial capital lowercased.
fn spelling(raws: &Interner, seen: &Spellings, fallback: &str) -> String {
    let text = |g: &Gram| {
        g.iter()
            .take_while(|&&id| id != NONE)
            .map(|&id| raws.get(id))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let best = |pick: fn(&(u32, u32)) -> u32| {
        seen.iter()
            .filter(|(_, n)| pick(n) > 0)
            .map(|(g, n)| (text(g), pick(n)))
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(s, _)| s)
    };
    if let Some(s) = best(|n| n.0) {
        return s;
    }
    let Some(s) = best(|n| n.1) else {
        return fallback.to_string();
    };
    s.split(' ')
        .map(|w| {
            let inner_caps = w.chars().skip(1).any(char::is_uppercase);
            if inner_caps {
                w.to_string()
            } else {
                w.to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Takes topics best first, skipping near-duplicates and fragments of
/// longer names, merging an acronym with its expansion (see the module
/// doc), and spells them.
fn select(
    c: &Corpus<'_>,
    mut pool: Vec<Cand>,
    titles_read: &[&str],
    limit: usize,
    scale: f64,
    bscale: f64,
) -> Vec<Topic> {
    let window = titles_read.len();
    pool.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| b.w.cmp(&a.w))
            .then_with(|| a.gram.cmp(&b.gram))
    });
    pool.truncate(limit.saturating_mul(POOL_PER_TOPIC).max(limit));
    let Seen {
        mut sets,
        spellings,
        titles,
        in_title,
        runs,
    } = window_sets_and_spellings(c, &pool, window);
    let names: Vec<String> = pool
        .iter()
        .zip(&spellings)
        .map(|(cand, seen)| {
            let fallback = cand
                .gram
                .iter()
                .take_while(|&&id| id != NONE)
                .map(|&id| c.splitter.keys.get(id))
                .collect::<Vec<_>>()
                .join(" ");
            spelling(&c.splitter.raws, seen, &fallback)
        })
        .collect();
    // `LLM` and `LLMs` are one topic whatever the stemmer made of them.
    let folded = |s: &str| {
        let s = s.to_lowercase();
        s.strip_suffix('s').map_or(s.clone(), str::to_string)
    };
    // An acronym and its expansion are one topic when the papers define
    // the acronym so (`Vision-Language-Action (VLA) models` makes
    // `VLA models` and `Vision-Language-Action models` one).
    let defined_alias = |a: &str, b: &str| {
        let ((ia, aa), (ib, ab)) = (initials(a), initials(b));
        aa != ab && ia == ib && ia.len() >= 2 && {
            let acronym = if aa { a } else { b };
            acronym
                .split([' ', '-'])
                .filter_map(acronym_letters)
                .any(|l| c.definitions.get(&l).is_some_and(|d| d.count >= 2))
        }
    };
    let mut taken: Vec<usize> = Vec::new();
    let mut aliases: Vec<Vec<String>> = vec![Vec::new(); pool.len()];
    for (i, cand) in pool.iter().enumerate() {
        if taken.len() >= limit {
            break;
        }
        // In more titles than abstracts: a label of the paper (*technical
        // report*), not what it is about; a topic of a title is discussed
        // in the abstract.
        let (in_titles, in_abstracts) = titles[i];
        // A name is what papers are titled by or abbreviate: a phrase
        // never in any title read and never given an acronym is a
        // description (*sequence length*, *real-world evaluations*).
        let named = gram_len(&cand.gram) == 1
            || in_titles >= MIN_TITLES
            || defined_form(c, &names[i]).is_some();
        if !named || in_titles > in_abstracts || runs[i].fragment() {
            continue;
        }
        if let Some(&j) = taken.iter().find(|&&j| defined_alias(&names[i], &names[j])) {
            aliases[j].push(names[i].clone());
            let merged = union(&sets[j], &sets[i]);
            sets[j] = merged;
            continue;
        }
        let near = taken.iter().any(|&j| {
            let other = &pool[j];
            let (a, b) = (words_of(&names[i]), words_of(&names[j]));
            contains(&other.gram, &cand.gram)
                || contains(&cand.gram, &other.gram)
                || holds_words(&a, &b)
                || holds_words(&b, &a)
                || folded(&names[i]) == folded(&names[j])
                || jaccard(&sets[i], &sets[j]) >= 0.6
        });
        if !near {
            taken.push(i);
        }
    }
    taken
        .into_iter()
        .map(|i| {
            let cand = &pool[i];
            let mut aliases = std::mem::take(&mut aliases[i]);
            if aliases.is_empty()
                && let Some(other) = defined_form(c, &names[i])
            {
                aliases.push(other);
            }
            // Titles of papers about it: those naming it in the title first.
            let examples = in_title[i]
                .iter()
                .chain(sets[i].iter().filter(|d| !in_title[i].contains(d)))
                .filter_map(|&d| titles_read.get(d as usize))
                .take(2)
                .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect();
            Topic {
                phrase: names[i].clone(),
                aliases,
                window_count: (sets[i].len() as f64 * scale).round() as usize,
                baseline_count: (f64::from(cand.b) * bscale).round() as usize,
                expected: cand.expected,
                score: cand.score as f32,
                examples,
            }
        })
        .collect()
}

/// The other form of a topic the papers define: the expansion of an
/// acronym topic (`GRPO` → `Group Relative Policy Optimization`), or the
/// acronym of an expansion (`vision-language models` → `VLMs`), when it is
/// defined at least twice.
fn defined_form(c: &Corpus<'_>, name: &str) -> Option<String> {
    let (letters, acronym) = initials(name);
    if acronym {
        // A topic that starts with the acronym (`GRPO`, `VLA models`) is
        // spelled out word for word.
        let (word, rest) = name.split_once(' ').unwrap_or((name, ""));
        let d = c.definitions.get(&acronym_letters(word)?)?;
        let expansion = Definition::most(&d.expansions)?;
        let spelled = if rest.is_empty() || expansion.ends_with(rest) {
            expansion.to_string()
        } else {
            format!("{expansion} {rest}")
        };
        return (d.count >= 2).then_some(spelled);
    }
    let d = c.definitions.get(&letters)?;
    let expansion = Definition::most(&d.expansions)?;
    // The topic must be the defined expansion (not merely share initials).
    let same = expansion.eq_ignore_ascii_case(name)
        || expansion
            .to_lowercase()
            .trim_end_matches('s')
            .eq(name.to_lowercase().trim_end_matches('s'));
    (d.count >= 2 && same).then(|| {
        Definition::most(&d.acronyms)
            .unwrap_or_default()
            .to_string()
    })
}

/// The words of a spelling, lowercase, a plural `s` dropped, compounds
/// split (`text-to-image generation` → `text to image generation`).
fn words_of(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let w = w.to_lowercase();
            match w.strip_suffix('s') {
                Some(stem) if w.len() > 3 && !w.ends_with("ss") => stem.to_string(),
                _ => w,
            }
        })
        .collect()
}

/// Whether `small` is a contiguous run of `big`'s words.
fn holds_words(big: &[String], small: &[String]) -> bool {
    !small.is_empty() && small.len() <= big.len() && big.windows(small.len()).any(|w| w == small)
}

/// The union of two sorted sets.
fn union(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out: Vec<u32> = a.iter().chain(b).copied().collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The Jaccard index of two sorted sets.
fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - both;
    if union == 0 {
        0.0
    } else {
        both as f64 / union as f64
    }
}

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
    let c = Corpus::new(stemmer, &[sample.window, sample.baseline, sample.history]);
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
    about: &[Text],
    others: &[Text],
    limit: usize,
    stemmer: &mut dyn Stemmer,
) -> Learned {
    let mut c = Corpus::new(stemmer, &[about, others]);
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

    /// A crude stemmer for tests: lowercase, a plural `s` dropped.
    fn stem(w: &str) -> Option<String> {
        let w = w.to_lowercase();
        Some(match w.strip_suffix('s') {
            Some(s) if s.len() > 2 && !s.ends_with('s') => s.to_string(),
            _ => w,
        })
    }

    fn text(title: &str, body: &str) -> Text {
        Text {
            title: title.into(),
            body: body.into(),
        }
    }

    /// Profiles of every unit of `texts`, by lowercase surface.
    fn profiles(texts: &[Text]) -> FxHashMap<String, Profile> {
        let mut s = stem;
        let c = Corpus::new(&mut s, &[texts]);
        c.splitter
            .words
            .iter()
            .map(|(w, info)| (w.clone(), c.profile(info.stem)))
            .collect()
    }

    #[test]
    fn generic_words_are_told_from_names_by_their_profile() {
        let texts: Vec<Text> = (0..8)
            .map(|i| {
                text(
                    &format!("Scaling GRPO for Qwen3 agents {i}"),
                    "This dataset especially contains long videos. We train Qwen3 with GRPO \
                     and compare GRPO against PPO on them.",
                )
            })
            .collect();
        let p = profiles(&texts);
        for generic in ["especially", "contains"] {
            assert!(p[generic].generic(), "{generic}: {:?}", p[generic]);
            assert!(!p[generic].name_like(), "{generic}");
        }
        for name in ["grpo", "qwen3"] {
            assert!(!p[name].generic(), "{name}: {:?}", p[name]);
            assert!(p[name].name_like(), "{name}: {:?}", p[name]);
        }
        // Too few papers to judge: not called generic.
        let few = profiles(&texts[..3]);
        assert!(!few["especially"].generic());
    }

    #[test]
    fn a_token_mostly_written_before_another_word_is_a_modifier_not_a_name() {
        let texts: Vec<Text> = (0..6)
            .map(|i| {
                text(
                    &format!("Paper {i}"),
                    "We build 3D scenes for AR models and 3D avatars. Unlike AR, our \
                     RAG pipeline retrieves documents; with RAG, answers are grounded, \
                     and we compare RAG to fine-tuning.",
                )
            })
            .collect();
        let p = profiles(&texts);
        // `3D` always precedes a noun; `AR` half the time; `RAG` once in three.
        assert!(!p["3d"].name_like(), "{:?}", p["3d"]);
        assert!(!p["ar"].name_like(), "{:?}", p["ar"]);
        assert!(p["rag"].name_like(), "{:?}", p["rag"]);
    }

    #[test]
    fn phrase_guards_drop_counts_participles_and_adverbs() {
        let texts = [text(
            "T",
            "We use two-stage training and generated videos. Temporally coherent \
             world models help; models fine-tuned well.",
        )];
        let mut s = stem;
        let c = Corpus::new(&mut s, &[&texts]);
        let units = c.doc(0);
        let mut kept = Vec::new();
        for_each_gram(
            units,
            |_| true,
            |gram, start, end| {
                if gram_len(&gram) > 1 && c.termlike(&gram, &units[start], &units[end - 1]) {
                    let words: Vec<&str> = gram_units(units, start, end)
                        .map(|u| c.splitter.surfaces.get(u.surface))
                        .collect();
                    kept.push(words.join(" "));
                }
            },
        );
        assert!(kept.contains(&"world models".to_string()), "{kept:?}");
        for dropped in [
            "two-stage training",
            "generated videos",
            "temporally coherent",
            "models fine-tuned",
        ] {
            assert!(!kept.contains(&dropped.to_string()), "{dropped}: {kept:?}");
        }
    }

    #[test]
    fn a_generic_head_after_a_ubiquitous_word_is_a_description() {
        let mut texts: Vec<Text> = (0..12)
            .map(|_| text("T", "The model weights of the model are released."))
            .collect();
        for t in &mut texts[..2] {
            t.body.push_str(" We probe the latent space of diffusion.");
        }
        for t in &mut texts[2..6] {
            t.body.push_str(" The search space grows.");
        }
        let mut s = stem;
        let c = Corpus::new(&mut s, &[&texts]);
        let termlike = |d: usize, phrase: &str| {
            let units = c.doc(d);
            let mut found = None;
            for_each_gram(
                units,
                |_| true,
                |gram, start, end| {
                    let words: Vec<&str> = gram_units(units, start, end)
                        .map(|u| c.splitter.surfaces.get(u.surface))
                        .collect();
                    if words.join(" ") == phrase {
                        found = Some(c.termlike(&gram, &units[start], &units[end - 1]));
                    }
                },
            );
            found
        };
        // `weights` and `space` are generic; `model` is in every paper,
        // `latent` in two of twelve.
        assert_eq!(termlike(0, "model weights"), Some(false));
        assert_eq!(termlike(0, "latent space"), Some(true));
    }

    #[test]
    fn model_sizes_are_not_topics() {
        assert!(is_model_size("7b") && is_model_size("70b") && is_model_size("10k"));
        assert!(is_model_size("1.5b"));
        assert!(!is_model_size("3d") && !is_model_size("b") && !is_model_size("qwen3"));
    }

    #[test]
    fn a_decimal_point_stays_inside_a_versioned_name() {
        let texts = [text(
            "T",
            "We tune Qwen2.5 models by 2.5 points. GPT-4.1 agrees.",
        )];
        let mut s = stem;
        let c = Corpus::new(&mut s, &[&texts]);
        let words: Vec<(&str, bool)> = c
            .doc(0)
            .iter()
            .map(|u| (c.splitter.raws.get(u.raw), u.stop))
            .collect();
        assert!(words.contains(&("Qwen2.5", false)), "{words:?}");
        assert!(words.contains(&("GPT-4.1", false)), "{words:?}");
        assert!(words.contains(&("2.5", true)), "{words:?}");
        // Not a sentence end: `models` follows in mid-sentence.
        let models = c
            .doc(0)
            .iter()
            .find(|u| c.splitter.raws.get(u.raw) == "models");
        assert!(models.is_some_and(|u| u.mid), "{words:?}");
    }

    #[test]
    fn a_phrase_runs_on_across_an_acronym_in_parentheses() {
        let texts = [text(
            "T",
            "Vision-Language-Action (VLA) models act. Other models (see below) fail.",
        )];
        let mut s = stem;
        let c = Corpus::new(&mut s, &[&texts]);
        let units = c.doc(0);
        let mut grams = Vec::new();
        for_each_gram(
            units,
            |_| true,
            |_, start, end| {
                let words: Vec<&str> = gram_units(units, start, end)
                    .map(|u| c.splitter.raws.get(u.raw))
                    .collect();
                grams.push(words.join(" "));
            },
        );
        for g in ["Vision-Language-Action models", "VLA models", "VLA"] {
            assert!(grams.contains(&g.to_string()), "{g}: {grams:?}");
        }
        // Only an acronym is passed over, not any parenthesis.
        assert!(!grams.contains(&"Vision-Language-Action VLA".to_string()));
        assert!(!grams.iter().any(|g| g.starts_with("Other models see")));
    }

    #[test]
    fn a_phrase_inside_a_longer_capitalised_name_takes_its_own_spelling() {
        let texts = [text(
            "T",
            "Group Relative Policy Optimization helps. Like Proximal Policy \
             Optimization, or Named Policy Optimization, it is a kind of policy \
             optimization.",
        )];
        let mut s = stem;
        let c = Corpus::new(&mut s, &[&texts]);
        let key = |w: &str| c.splitter.keys.ids.get(w).copied().unwrap_or(NONE);
        let gram = [key("policy"), key("optimization"), NONE];
        let pool = [Cand {
            gram,
            w: 1,
            b: 0,
            h: 0,
            score: 1.0,
            expected: 0.0,
        }];
        let seen = window_sets_and_spellings(&c, &pool, 1);
        assert_eq!(
            spelling(&c.splitter.raws, &seen.spellings[0], "x"),
            "policy optimization"
        );
        assert_eq!(seen.titles[0], (0, 1));
    }

    #[test]
    fn spelling_prefers_mid_sentence_and_drops_title_capitals() {
        let mut raws = Interner::default();
        let g = |raws: &mut Interner, words: &[&str]| {
            let mut gram = [NONE; 3];
            for (slot, w) in gram.iter_mut().zip(words) {
                *slot = raws.id(w);
            }
            gram
        };
        let mut seen = Spellings::default();
        seen.insert(g(&mut raws, &["World", "Models"]), (0, 9));
        seen.insert(g(&mut raws, &["world", "models"]), (3, 3));
        seen.insert(g(&mut raws, &["world", "model"]), (2, 2));
        assert_eq!(spelling(&raws, &seen, "x"), "world models");
        let mut titles = Spellings::default();
        titles.insert(g(&mut raws, &["Scaling", "GRPO"]), (0, 4));
        assert_eq!(spelling(&raws, &titles, "x"), "scaling GRPO");
        assert_eq!(
            spelling(&raws, &Spellings::default(), "fallback"),
            "fallback"
        );
    }

    #[test]
    fn rising_finds_a_new_named_phrase_and_skips_filler() {
        let old = "We study image classification with convolutional networks. The \
                   method especially contains several parts.";
        let new = "We study world models for robots. World models especially contain \
                   rich dynamics; we train GRPO agents.";
        let baseline: Vec<Text> = (0..40).map(|_| text("Image classification", old)).collect();
        let window: Vec<Text> = (0..10)
            .map(|_| text("World models for robots", new))
            .collect();
        let sample = Sample {
            window: &window,
            window_docs: 10,
            baseline: &baseline,
            baseline_docs: 40,
            history: &[],
            history_docs: 0,
        };
        let found = rising(sample, 3, 10, &mut stem);
        assert!(!found.thin);
        let names: Vec<&str> = found.topics.iter().map(|t| t.phrase.as_str()).collect();
        assert_eq!(names.first(), Some(&"world models"), "{names:?}");
        // "GRPO agents" is in the very same papers: one topic, not two.
        assert_eq!(names.len(), 1, "{names:?}");
        for filler in ["especially", "contain", "rich", "study"] {
            assert!(!names.contains(&filler), "{filler} in {names:?}");
        }
        // Sub-phrases of a topic taken are not listed again.
        assert!(!names.contains(&"world"), "{names:?}");
        // No baseline to speak of: said, and nothing inflated.
        let thin = Sample {
            baseline: &baseline[..5],
            baseline_docs: 5,
            ..sample
        };
        let found_thin = rising(thin, 3, 10, &mut stem);
        assert!(found_thin.thin);
        let top = |f: &Found| f.topics.first().map_or(0.0, |t| t.score);
        assert!(
            top(&found_thin) <= top(&found),
            "{found_thin:?} vs {found:?}"
        );
    }

    #[test]
    fn a_phrase_in_more_titles_than_abstracts_is_a_label_not_a_topic() {
        let baseline: Vec<Text> = (0..40)
            .map(|_| text("Image classification", "We study image classification."))
            .collect();
        let window: Vec<Text> = (0..12)
            .map(|i| {
                let body = if i % 2 == 0 {
                    "World models help robots, and world models act."
                } else {
                    "We study world models; world models plan."
                };
                text(&format!("Model{i} Technical Report"), body)
            })
            .chain([
                text("World Models Are Planners", "World models plan."),
                text("Driving with World Models", "World models drive."),
            ])
            .collect();
        let sample = Sample {
            window: &window,
            window_docs: 14,
            baseline: &baseline,
            baseline_docs: 40,
            history: &[],
            history_docs: 0,
        };
        let found = rising(sample, 3, 10, &mut stem);
        let names: Vec<&str> = found.topics.iter().map(|t| t.phrase.as_str()).collect();
        assert!(names.contains(&"world models"), "{names:?}");
        assert!(!names.contains(&"technical report"), "{names:?}");
    }

    #[test]
    fn a_phrase_one_title_coined_is_a_description_two_titles_make_a_name() {
        let baseline: Vec<Text> = (0..40)
            .map(|_| text("Image classification", "We study image classification."))
            .collect();
        let mut window: Vec<Text> = (0..8)
            .map(|_| {
                text(
                    "A study of video models",
                    "High-quality videos need sparse attention; sparse attention helps.",
                )
            })
            .collect();
        window.push(text(
            "Sparse Attention for High-Quality Videos",
            "High-quality videos, sparse attention.",
        ));
        let names = |w: &[Text]| -> Vec<String> {
            let sample = Sample {
                window: w,
                window_docs: w.len(),
                baseline: &baseline,
                baseline_docs: 40,
                history: &[],
                history_docs: 0,
            };
            rising(sample, 3, 10, &mut stem)
                .topics
                .into_iter()
                .map(|t| t.phrase)
                .collect()
        };
        let one = names(&window);
        assert!(!one.iter().any(|n| n == "sparse attention"), "{one:?}");
        assert!(!one.iter().any(|n| n == "high-quality videos"), "{one:?}");
        window.push(text(
            "Sparse Attention at Scale",
            "Sparse attention scales.",
        ));
        let two = names(&window);
        assert!(two.iter().any(|n| n == "sparse attention"), "{two:?}");
        assert!(!two.iter().any(|n| n == "high-quality videos"), "{two:?}");
    }

    #[test]
    fn rise_score_and_shrinkage_order_as_documented() {
        let p = |b: f64, big_b: f64| baseline_rate(b, big_b, 0.0, 0.0);
        let rise =
            |w: f64, big_w: f64, b: f64, big_b: f64| rise_score(w, big_w, p(b, big_b), b + 1.0);
        // Unseen in the baseline beats common there.
        assert!(rise(5.0, 50.0, 0.0, 500.0) > rise(5.0, 50.0, 50.0, 500.0));
        // As common before as now: not rising, however frequent.
        assert_eq!(rise(10.0, 100.0, 100.0, 1000.0), 0.0);
        assert_eq!(
            rise(67.0, 151.0, 500.0, 1100.0),
            0.0,
            "language models, x1.0"
        );
        // A share that grew 1.2 times is not a rise a reader notices.
        assert_eq!(rise(24.0, 100.0, 200.0, 1000.0), 0.0);
        // Volume alone does not carry a topic: a sure small rise of a
        // frequent topic ranks below a sharp rise of a smaller one.
        assert!(rise(9.0, 100.0, 24.0, 800.0) > rise(40.0, 100.0, 200.0, 800.0));
        // More papers make the same lift surer.
        assert!(rise(12.0, 100.0, 24.0, 800.0) > rise(6.0, 100.0, 12.0, 800.0));
        // A thin baseline is topped up at the long-run rate.
        let thin = baseline_rate(0.0, 20.0, 380.0, 0.5);
        assert!((thin - (0.0 + 190.0 + 1.0) / 401.0).abs() < 1e-9);
        // "90 papers against 0" of a 20-paper baseline, for a topic the
        // long run has in half the papers, is barely rising.
        assert!(rise_score(90.0, 100.0, p(0.0, 20.0), 1.0) > 3.0);
        assert!(rise_score(90.0, 100.0, thin, 191.0) < 2.0);
    }

    /// `n` baseline papers about image classification, with `vla` of them
    /// on VLA models too.
    fn flat_baseline(n: usize) -> Vec<Text> {
        (0..n)
            .map(|i| {
                text(
                    &format!("Image Classification {i}"),
                    "We study image classification with language models and reinforcement learning.",
                )
            })
            .collect()
    }

    #[test]
    fn a_frequent_topic_whose_share_did_not_change_is_not_rising() {
        let baseline = flat_baseline(80);
        let window: Vec<Text> = (0..20)
            .map(|i| {
                let body = if i < 8 {
                    "Camera control for video diffusion, with language models."
                } else {
                    "We study image classification with language models and reinforcement \
                     learning."
                };
                let title = if i < 4 {
                    "Camera Control at Scale"
                } else {
                    "A Study"
                };
                text(title, body)
            })
            .collect();
        let sample = Sample {
            window: &window,
            window_docs: 20,
            baseline: &baseline,
            baseline_docs: 80,
            history: &[],
            history_docs: 0,
        };
        let found = rising(sample, 3, 10, &mut stem);
        let names: Vec<&str> = found.topics.iter().map(|t| t.phrase.as_str()).collect();
        assert_eq!(names.first(), Some(&"camera control"), "{names:?}");
        // In every paper before and now: frequent, and flat.
        assert!(!names.contains(&"language models"), "{names:?}");
        assert!(!names.contains(&"reinforcement learning"), "{names:?}");
        let t = &found.topics[0];
        assert_eq!((t.window_count, t.baseline_count), (8, 0));
        assert!(t.expected < 0.5, "{t:?}");
        assert_eq!(
            t.examples.first().map(String::as_str),
            Some("Camera Control at Scale")
        );
    }

    #[test]
    fn an_acronym_and_its_expansion_are_one_topic_and_fragments_are_not_topics() {
        let baseline = flat_baseline(80);
        let window: Vec<Text> = (0..20)
            .map(|i| match i % 4 {
                0 => text(
                    "VLA Models for Robots",
                    "Vision-Language-Action (VLA) models act. We train VLA models with Group \
                     Relative Policy Optimization (GRPO).",
                ),
                1 => text(
                    "Scaling Vision-Language-Action Models",
                    "Vision-Language-Action models act; VLA models plan with Group Relative \
                     Policy Optimization.",
                ),
                2 => text(
                    "GRPO for Everyone",
                    "We study Group Relative Policy Optimization (GRPO) for agents.",
                ),
                _ => text(
                    "GRPO Again",
                    "Group Relative Policy Optimization (GRPO) trains language models.",
                ),
            })
            .collect();
        let sample = Sample {
            window: &window,
            window_docs: 20,
            baseline: &baseline,
            baseline_docs: 80,
            history: &[],
            history_docs: 0,
        };
        let found = rising(sample, 3, 10, &mut stem);
        let labels: Vec<String> = found.topics.iter().map(Topic::label).collect();
        let vla: Vec<&String> = labels.iter().filter(|l| l.contains("VLA")).collect();
        assert_eq!(vla.len(), 1, "one line for VLA models: {labels:?}");
        assert!(
            vla[0] == "VLA (Vision-Language-Action) models"
                || vla[0] == "Vision-Language-Action models (VLA models)",
            "{labels:?}"
        );
        assert!(
            !labels.iter().any(|l| l.starts_with("Group Relative")
                || l.starts_with("Relative Policy")
                || l.starts_with("Policy Optimization")),
            "a fragment of a longer name is not a topic: {labels:?}"
        );
        assert!(labels.iter().any(|l| l.starts_with("GRPO")), "{labels:?}");
    }

    #[test]
    fn a_keyword_learns_the_acronyms_papers_define_for_it_and_its_neighbours() {
        let about: Vec<Text> = (0..32)
            .map(|i| {
                let title = if i < 8 {
                    format!("Omni-Modal Agents {i}")
                } else {
                    format!("Multimodal Reasoning {i}")
                };
                text(
                    &title,
                    if i % 2 == 0 {
                        "Multimodal Large Language Models (MLLMs) see. Omni-modal agents hear."
                    } else {
                        "MLLMs and omni-modal agents reason over images."
                    },
                )
            })
            .collect();
        let others = flat_baseline(60);
        let learned = learn("multimodal", &about, &others, 4, &mut stem);
        let aliases: Vec<&str> = learned.aliases.iter().map(|a| a.0.as_str()).collect();
        assert_eq!(aliases, ["MLLMs"]);
        let neighbours: Vec<&str> = learned.neighbours.iter().map(|a| a.0.as_str()).collect();
        assert!(neighbours.contains(&"omni-modal agents"), "{neighbours:?}");
        assert!(
            !neighbours
                .iter()
                .any(|n| n.to_lowercase().contains("multimodal")),
            "a term holding the keyword matches already: {neighbours:?}"
        );
        assert!(
            !neighbours.contains(&"MLLMs"),
            "an alias is not also a neighbour: {neighbours:?}"
        );
    }

    #[test]
    fn jaccard_and_containment() {
        assert!((jaccard(&[1, 2, 3], &[2, 3, 4]) - 0.5).abs() < 1e-9);
        assert_eq!(jaccard(&[], &[]), 0.0);
        assert!(contains(&[1, 2, 3], &[2, 3, NONE]));
        assert!(!contains(&[1, 2, NONE], &[2, 1, NONE]));
    }

    #[test]
    fn bars_scale() {
        assert_eq!(bar(5.0, 10.0, 4), "██░░");
        assert_eq!(bar(0.0, 10.0, 3), "░░░");
        assert_eq!(bar(0.01, 10.0, 3), "█░░");
    }
}

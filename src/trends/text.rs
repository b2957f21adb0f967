//! Words and phrases: stop words, the interner and the splitter that turns
//! a title or an abstract into units, and the n-grams read from them.

#[allow(unused_imports)]
use super::*;

/// Function words and academic filler that never start, end or sit inside
/// a phrase, and the places code and weights are released (*GitHub*,
/// *Hugging Face*, *ModelScope*): where a paper is published, not what it
/// is about.
#[rustfmt::skip]
pub(super) const STOP_WORDS: &[&str] = &[
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
    "huggingface", "hugging", "modelscope",
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

/// Marks an unused slot of a [`Gram`] and the key of a unit without one.
pub(super) const NONE: u32 = u32::MAX;

/// An n-gram of 1–3 units as their interned ids, unused slots [`NONE`].
pub(super) type Gram = [u32; 3];

/// Distinct strings, each with a small id.
#[derive(Default)]
pub(super) struct Interner {
    pub(super) ids: FxHashMap<String, u32>,
    pub(super) strings: Vec<String>,
}

impl Interner {
    pub(super) fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = u32::try_from(self.strings.len()).unwrap_or(NONE - 1);
        self.strings.push(s.to_owned());
        self.ids.insert(s.to_owned(), id);
        id
    }

    pub(super) fn get(&self, id: u32) -> &str {
        self.strings.get(id as usize).map_or("", String::as_str)
    }
}

/// What is known of one distinct lowercase word, worked out once.
#[derive(Clone, Copy, Debug)]
pub(super) struct Word {
    /// Interned stem, or [`NONE`] when the stemmer drops it.
    pub(super) stem: u32,
    /// Interned lowercase surface.
    pub(super) surface: u32,
    pub(super) stop_word: bool,
    pub(super) digits: bool,
    pub(super) short: bool,
}

/// A word of a text and what follows it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Spaced {
    pub(super) word: Word,
    /// Interned surface as written.
    pub(super) raw: u32,
    /// Written with a capital letter.
    pub(super) caps: bool,
    /// Written with two capitals, or a capital and a digit.
    pub(super) acronym: bool,
    /// The separator is exactly `-` (the words form a compound).
    pub(super) hyphen: bool,
    /// The separator holds punctuation that ends a phrase.
    pub(super) boundary: bool,
    /// The separator ends a sentence (`.`, `!`, `?`, `:`).
    pub(super) sentence_end: bool,
    /// The separator is an opening parenthesis (and spaces).
    pub(super) open_after: bool,
    /// The separator is a closing parenthesis (and spaces).
    pub(super) close_after: bool,
}

/// One unit of text: a word or a hyphenated compound.
#[derive(Clone, Copy, Debug)]
pub(super) struct Unit {
    /// Stems of its words joined by `-` (interned).
    pub(super) key: u32,
    /// The lowercase surface (interned).
    pub(super) surface: u32,
    /// The surface as written (interned).
    pub(super) raw: u32,
    /// Breaks n-grams (stop word, number, single letter).
    pub(super) stop: bool,
    /// Phrase-ending punctuation follows it.
    pub(super) boundary_after: bool,
    /// Written with a capital letter.
    pub(super) caps: bool,
    /// Written with two capitals, or a capital and a digit.
    pub(super) acronym: bool,
    /// In mid-sentence of an abstract (not in a title, not first in a
    /// sentence): where a capital says something.
    pub(super) mid: bool,
    /// An acronym in parentheses right after a word (`(VLA)` in
    /// *Vision-Language-Action (VLA) models*): a phrase runs on across it.
    pub(super) aside: bool,
}

/// Splits texts into [`Unit`]s, each distinct word lowercased, stemmed and
/// classified once.
pub(super) struct Splitter<'s> {
    pub(super) stemmer: &'s mut dyn Stemmer,
    pub(super) words: FxHashMap<String, Word>,
    pub(super) keys: Interner,
    pub(super) surfaces: Interner,
    pub(super) raws: Interner,
    pub(super) word: String,
    pub(super) raw: String,
    pub(super) spaced: Vec<Spaced>,
}

impl<'s> Splitter<'s> {
    pub(super) fn new(stemmer: &'s mut dyn Stemmer) -> Self {
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

    pub(super) fn intern_word(&mut self) -> Word {
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

    pub(super) fn push_word(&mut self) {
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
    pub(super) fn split(&mut self, text: &str, title: bool, out: &mut Vec<Unit>) {
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

pub(super) fn is_boundary(c: char) -> bool {
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
pub(super) fn for_each_gram(
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
pub(super) fn gram_units(units: &[Unit], start: usize, end: usize) -> impl Iterator<Item = &Unit> {
    units
        .get(start..end)
        .unwrap_or(&[])
        .iter()
        .enumerate()
        .filter(|(k, u)| *k == 0 || !u.aside)
        .map(|(_, u)| u)
}

/// The number of units of a gram.
pub(super) fn gram_len(g: &Gram) -> usize {
    g.iter().take_while(|&&id| id != NONE).count()
}

/// Whether the units of `small` are a contiguous part of `big`'s.
pub(super) fn contains(big: &Gram, small: &Gram) -> bool {
    let (b, s) = (&big[..gram_len(big)], &small[..gram_len(small)]);
    s.len() <= b.len() && b.windows(s.len()).any(|w| w == s)
}

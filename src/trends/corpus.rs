//! Termhood: the papers read as one corpus, how each word is used (its
//! profile), the acronyms the papers define, and what makes a word generic.

#[allow(unused_imports)]
use super::*;

/// A unit's long-run profile over every paper read.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Profile {
    /// Papers it occurs in.
    pub(super) df: u32,
    /// Occurrences.
    pub(super) cf: u32,
    /// Occurrences in mid-sentence of an abstract.
    pub(super) mid: u32,
    /// Of those, written with a capital.
    pub(super) caps_mid: u32,
    /// Of those, written like an acronym or a model name: two capitals, or
    /// a capital and a digit (`GRPO`, `LLMs`, `DiT`, `Qwen3`).
    pub(super) acro_mid: u32,
    /// Of those, directly followed by another word of the same phrase
    /// (`3D` in *3D scenes*, `AR` in *AR models*): used as a modifier.
    pub(super) modifier_mid: u32,
    /// Titles it occurs in.
    pub(super) title_df: u32,
}

impl Profile {
    /// Too few papers to judge.
    pub(super) const MIN_DF: u32 = 5;

    /// Rarely capitalised, about once per paper, rarely in titles: a word
    /// of academic English rather than a name (see the module doc).
    pub(super) fn generic(&self) -> bool {
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
    pub(super) fn name_like(&self) -> bool {
        self.mid >= 2 && 2 * self.acro_mid >= self.mid && 2 * self.modifier_mid < self.mid
    }
}

/// Every paper read, split into units.
pub(super) struct Corpus<'s> {
    pub(super) splitter: Splitter<'s>,
    pub(super) units: Vec<Unit>,
    /// Unit ranges of the papers: window first, then baseline, then history.
    pub(super) docs: Vec<std::ops::Range<usize>>,
    /// Where the title ends, per paper.
    pub(super) title_ends: Vec<usize>,
    pub(super) profiles: Vec<Profile>,
    /// Acronyms the papers define, by their lowercase letters: how often,
    /// and the spellings of the acronym and of its expansion.
    pub(super) definitions: FxHashMap<String, Definition>,
}

/// An acronym the papers define (`Vision-Language-Action (VLA) models`).
#[derive(Clone, Debug, Default)]
pub(super) struct Definition {
    /// How many times it is defined.
    pub(super) count: u32,
    /// Spellings of the acronym (`VLA`, `VLAs`) and how often.
    pub(super) acronyms: FxHashMap<String, u32>,
    /// Spellings of the expansion (`Vision-Language-Action`) and how often.
    pub(super) expansions: FxHashMap<String, u32>,
}

impl Definition {
    pub(super) fn most(m: &FxHashMap<String, u32>) -> Option<&str> {
        m.iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(s, _)| s.as_str())
    }
}

/// The lowercase letters an acronym stands for (`VLMs` → `vlm`), or `None`
/// for a word that is not written like one.
pub(super) fn acronym_letters(raw: &str) -> Option<String> {
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
pub(super) fn initials(text: &str) -> (String, bool) {
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

/// Papers split apart from the corpus (on another thread): their units,
/// and the strings and words their ids refer to.
struct Part {
    units: Vec<Unit>,
    docs: Vec<std::ops::Range<usize>>,
    title_ends: Vec<usize>,
    keys: Interner,
    surfaces: Interner,
    raws: Interner,
    words: FxHashMap<String, Word>,
}

impl Part {
    fn split(stemmer: &mut dyn Stemmer, texts: &[&Text]) -> Self {
        let mut splitter = Splitter::new(stemmer);
        let (mut units, mut docs, mut title_ends) = (Vec::new(), Vec::new(), Vec::new());
        for t in texts {
            let start = units.len();
            splitter.split(&t.title, true, &mut units);
            if let Some(u) = units[start..].last_mut() {
                u.boundary_after = true;
            }
            title_ends.push(units.len());
            splitter.split(&t.body, false, &mut units);
            docs.push(start..units.len());
        }
        Part {
            units,
            docs,
            title_ends,
            keys: splitter.keys,
            surfaces: splitter.surfaces,
            raws: splitter.raws,
            words: splitter.words,
        }
    }
}

/// How a part's ids map onto the corpus's: each string the part interned,
/// in the part's order, interned again in `into`. Parts appended in the
/// order of their papers give every string the id one pass over all the
/// papers would have given it (ids are handed out by first occurrence).
fn remap(from: &Interner, into: &mut Interner) -> Vec<u32> {
    from.strings.iter().map(|s| into.id(s)).collect()
}

impl<'s> Corpus<'s> {
    /// The papers of `sets` (in order) as one corpus, split on one thread.
    pub(super) fn new(stemmer: &'s mut dyn Stemmer, sets: &[&[Text]]) -> Self {
        Self::new_on(stemmer, None, sets)
    }

    /// [`Corpus::new`], with the papers split on the threads of
    /// `stemmers` (each with a stemmer of its own): the same corpus, ids
    /// included, whatever the number of threads.
    pub(super) fn new_on(
        stemmer: &'s mut dyn Stemmer,
        stemmers: Option<Stemmers<'_>>,
        sets: &[&[Text]],
    ) -> Self {
        let texts: Vec<&Text> = sets.iter().flat_map(|s| s.iter()).collect();
        Self::of(stemmer, stemmers, &texts)
    }

    /// [`Corpus::new_on`] of the papers `texts`, in that order.
    pub(super) fn of(
        stemmer: &'s mut dyn Stemmer,
        stemmers: Option<Stemmers<'_>>,
        texts: &[&Text],
    ) -> Self {
        let mut c = Corpus {
            splitter: Splitter::new(stemmer),
            units: Vec::new(),
            docs: Vec::new(),
            title_ends: Vec::new(),
            profiles: Vec::new(),
            definitions: FxHashMap::default(),
        };
        let threads = stemmers.map_or(1, |s| {
            s.threads.min(texts.len() / s.min_per_thread.max(1)).max(1)
        });
        match stemmers {
            Some(more) if threads > 1 => c.split_on(more.make, threads, texts),
            _ => {
                for t in texts {
                    let start = c.units.len();
                    c.splitter.split(&t.title, true, &mut c.units);
                    if let Some(u) = c.units[start..].last_mut() {
                        u.boundary_after = true;
                    }
                    c.title_ends.push(c.units.len());
                    c.splitter.split(&t.body, false, &mut c.units);
                    c.docs.push(start..c.units.len());
                }
            }
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

    /// Splits `texts` on `threads` threads, each with a stemmer of `make`,
    /// and appends them in order, their ids mapped onto the corpus's.
    fn split_on(
        &mut self,
        make: &(dyn Fn() -> Box<dyn Stemmer> + Sync),
        threads: usize,
        texts: &[&Text],
    ) {
        let parts =
            crate::parallel::map_parts(texts, threads, |part| Part::split(&mut *make(), part));
        let s = &mut self.splitter;
        for part in parts {
            let keys = remap(&part.keys, &mut s.keys);
            let surfaces = remap(&part.surfaces, &mut s.surfaces);
            let raws = remap(&part.raws, &mut s.raws);
            // NONE (a word the stemmer drops) stays NONE.
            let map = |m: &[u32], id: u32| m.get(id as usize).copied().unwrap_or(id);
            let offset = self.units.len();
            self.units.extend(part.units.into_iter().map(|mut u| {
                u.key = map(&keys, u.key);
                u.surface = map(&surfaces, u.surface);
                u.raw = map(&raws, u.raw);
                u
            }));
            self.docs.extend(
                part.docs
                    .into_iter()
                    .map(|r| r.start + offset..r.end + offset),
            );
            self.title_ends
                .extend(part.title_ends.into_iter().map(|e| e + offset));
            for (w, mut info) in part.words {
                info.stem = map(&keys, info.stem);
                info.surface = map(&surfaces, info.surface);
                s.words.entry(w).or_insert(info);
            }
        }
    }

    /// Records every acronym defined in parentheses right after the words
    /// it stands for (`Multimodal Large Language Models (MLLMs)`).
    pub(super) fn find_definitions(&mut self) {
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

    pub(super) fn doc(&self, d: usize) -> &[Unit] {
        self.docs.get(d).map_or(&[], |r| &self.units[r.clone()])
    }

    pub(super) fn profile(&self, key: u32) -> Profile {
        self.profiles.get(key as usize).copied().unwrap_or_default()
    }

    /// Whether a counted gram reads as the name of a thing.
    pub(super) fn termlike(&self, gram: &Gram, first: &Unit, last: &Unit) -> bool {
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
    pub(super) fn ubiquitous(&self, p: &Profile) -> bool {
        f64::from(p.df) >= UBIQUITOUS * self.docs.len() as f64
    }
}

impl Corpus<'_> {
    /// Whether a phrase in `total` papers is a unit of its own rather than
    /// two common words that meet: in at least [`COHESION`] of the papers of its
    /// rarest word (*reinforcement learning*, not *model training*).
    pub(super) fn cohesive(&self, gram: &Gram, total: u32) -> bool {
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
pub(super) const LY_NOUNS: &[&str] = &[
    "anomaly", "family", "assembly", "supply", "monopoly", "reply",
];

/// An adverb by its ending (*especially*, *temporally*), not a noun that
/// ends the same way (*anomaly*).
pub(super) fn is_adverb(surface: &str) -> bool {
    surface.len() > 4 && surface.ends_with("ly") && !LY_NOUNS.contains(&surface)
}

/// The same test on a stem: stemming turns `-ly` into `-li` (`especi`,
/// `tempor`), so only the clear `-alli`/`-ousli`-style endings are caught.
pub(super) fn is_adverb_stem(stem: &str) -> bool {
    stem.len() > 4
        && (stem.ends_with("li") || stem.ends_with("ly"))
        && !LY_NOUNS.iter().any(|n| stem.starts_with(&n[..n.len() - 1]))
}

/// `7b`, `70b`, `1m`, `10k`: a size, not a topic.
pub(super) fn is_model_size(surface: &str) -> bool {
    let digits = surface
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .count();
    digits > 0 && surface.len() == digits + 1 && surface.ends_with(['b', 'm', 'k', 't'])
}

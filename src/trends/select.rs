//! Candidates, their counts in window and baseline, and the selection of
//! topics: names, fragments, aliases, near-duplicates and spellings.

#[allow(unused_imports)]
use super::*;

/// One candidate topic while scoring.
#[derive(Clone, Debug)]
pub(super) struct Cand {
    pub(super) gram: Gram,
    /// Window papers (in the sample) holding it.
    pub(super) w: u32,
    /// Baseline and history papers (in the samples) holding it.
    pub(super) b: u32,
    pub(super) h: u32,
    pub(super) score: f64,
    /// Window papers the baseline predicts.
    pub(super) expected: f32,
}

/// Counts the window's n-grams and keeps those in at least `min` papers
/// that read as names of things, without sub-grams that add no papers.
pub(super) fn window_candidates(c: &Corpus<'_>, window: usize, min: u32) -> Vec<Cand> {
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
pub(super) fn count_background(c: &Corpus<'_>, cands: &mut [Cand], window: usize, baseline: usize) {
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
pub(super) type Spellings = FxHashMap<Gram, (u32, u32)>;

/// What the papers read say of each topic of the pool.
pub(super) struct Seen {
    /// The window papers holding it.
    pub(super) sets: Vec<Vec<u32>>,
    /// Its spellings.
    pub(super) spellings: Vec<Spellings>,
    /// Papers with it in the title, and papers with it in the abstract.
    pub(super) titles: Vec<(u32, u32)>,
    /// Window papers with it in the title.
    pub(super) in_title: Vec<Vec<u32>>,
    /// Its mentions in window papers, and of those, how many run on into
    /// the most frequent next word and follow the most frequent previous
    /// one (see [`Runs::fragment`]).
    pub(super) runs: Vec<Runs>,
}

/// What surrounds one topic's mentions.
#[derive(Clone, Debug, Default)]
pub(super) struct Runs {
    pub(super) mentions: u32,
    /// Mentions right after another word of the same phrase, whichever:
    /// a phrase that almost never stands alone is the tail of longer
    /// names (*generation models* of *video generation models*).
    pub(super) tail: u32,
    pub(super) next: FxHashMap<u32, u32>,
    pub(super) prev: FxHashMap<u32, u32>,
}

impl Runs {
    /// Whether at least [`FRAGMENT_SHARE`] of the mentions run on into the
    /// same next word, or follow the same word: a part of a longer name
    /// (*Group Relative* of *Group Relative Policy Optimization*).
    pub(super) fn fragment(&self) -> bool {
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
pub(super) const POOL_PER_TOPIC: usize = 8;

/// A phrase is a name when at least this many papers read have it in the
/// title (or the papers give it an acronym): one title can coin a
/// description (*high-quality videos*), two papers naming their subject so
/// make it a name.
pub(super) const MIN_TITLES: u32 = 2;

/// See [`Runs::fragment`].
pub(super) const FRAGMENT_SHARE: f64 = 0.7;
/// See [`Runs::fragment`]: a phrase after some other word of a name this
/// often never stands alone.
pub(super) const TAIL_SHARE: f64 = 0.9;

pub(super) fn window_sets_and_spellings(c: &Corpus<'_>, pool: &[Cand], window: usize) -> Seen {
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
pub(super) fn spelling(raws: &Interner, seen: &Spellings, fallback: &str) -> String {
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
pub(super) fn select(
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
pub(super) fn defined_form(c: &Corpus<'_>, name: &str) -> Option<String> {
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
pub(super) fn words_of(name: &str) -> Vec<String> {
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
pub(super) fn holds_words(big: &[String], small: &[String]) -> bool {
    !small.is_empty() && small.len() <= big.len() && big.windows(small.len()).any(|w| w == small)
}

/// The union of two sorted sets.
pub(super) fn union(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out: Vec<u32> = a.iter().chain(b).copied().collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The Jaccard index of two sorted sets.
pub(super) fn jaccard(a: &[u32], b: &[u32]) -> f64 {
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

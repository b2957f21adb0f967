//! Interests by meaning: reads, for each of the reader's keywords, the
//! papers naming it in the title and a sample of the others (as of `now`),
//! hands them to the pure [`crate::trends::learn`], and caches what was
//! learned next to the trend reports (learned again after 7 days, when the
//! index has grown by a tenth, or when the keywords change).

use rustc_hash::FxHashMap as HashMap;

use jiff::Timestamp;
use tantivy::DocAddress;
use tantivy::query::{AllQuery, BooleanQuery, Occur};

use crate::config::Interests;
use crate::error::Error;
use crate::index::query::BoxQuery;
use crate::index::{Index, schema};
use crate::rank::meaning::{self, Meaning};
use crate::rank::{Expansion, Via};
use crate::trends;

/// At most this many papers naming a keyword in the title are read (the
/// newest).
const ABOUT_SAMPLE: usize = 1_500;
/// At most this many other papers are read (the newest).
const OTHERS_SAMPLE: usize = 3_000;
/// At most this many neighbours per keyword.
pub const NEIGHBOURS: usize = 4;
/// Fewer papers than this naming a keyword in the title: its abstracts
/// are read too.
const FEW: usize = 30;

/// File (inside the index folder) caching what was learned.
pub const EXPAND_CACHE: &str = "papertrend-expand-cache.json";

#[derive(serde::Serialize, serde::Deserialize)]
struct CacheEntry {
    key: String,
    /// When it was learned (seconds since the epoch).
    #[serde(default)]
    learned_at: i64,
    /// How many papers the index held then.
    #[serde(default)]
    papers: u64,
    expansions: Vec<Expansion>,
    #[serde(default)]
    meanings: Vec<Meaning>,
}

/// What was learned is used again for this long ...
const RELEARN_AFTER: jiff::SignedDuration = jiff::SignedDuration::from_hours(7 * 24);
/// ... unless the index has grown by this share since.
const RELEARN_GROWTH: f64 = 0.10;

impl CacheEntry {
    /// Whether this entry still stands for the index at `now`: learned
    /// under `key` no later than `now`, less than [`RELEARN_AFTER`] ago,
    /// from an index that has not grown by [`RELEARN_GROWTH`] since (nor
    /// shrunk). What a keyword means moves slowly; learning it reads
    /// thousands of papers, so the daily run does not pay it every day.
    fn stands(&self, key: &str, now: Timestamp, papers: u64) -> bool {
        let at = now.as_second();
        self.key == key
            && self.learned_at <= at
            && at - self.learned_at < RELEARN_AFTER.as_secs()
            && papers >= self.papers
            && (papers - self.papers) as f64 <= RELEARN_GROWTH * self.papers as f64
    }
}

/// What the index taught about the reader's keywords.
#[derive(Clone, Debug, Default)]
pub struct Learned {
    /// Aliases and neighbours (the reader's own aliases first).
    pub expansions: Vec<Expansion>,
    /// What each keyword means, for papers that never name it.
    pub meanings: Vec<Meaning>,
}

/// The terms that stand for the reader's keywords: the reader's own
/// aliases, then (with `[interests] expand`) the aliases and neighbours
/// learned from the papers the index knew at `now`. Cached: learned again
/// after 7 days, when the index has grown by a tenth, or when the keywords
/// change; a cache that cannot be read or written only costs time.
///
/// # Errors
/// An index failure.
pub fn expansions(
    index: &Index,
    interests: &Interests,
    now: Timestamp,
) -> Result<Vec<Expansion>, Error> {
    Ok(learned(index, interests, now)?.expansions)
}

/// [`expansions`] and, with `[interests] expand`, what each keyword means
/// ([`crate::rank::meaning`]), learned from the same papers and cached
/// with them.
///
/// # Errors
/// An index failure.
pub fn learned(index: &Index, interests: &Interests, now: Timestamp) -> Result<Learned, Error> {
    let mut out: Vec<Expansion> = Vec::new();
    for (keyword, terms) in &interests.aliases {
        for t in terms {
            out.push(Expansion {
                keyword: keyword.clone(),
                term: t.clone(),
                via: Via::Reader,
                papers: 0,
            });
        }
    }
    let keywords: Vec<&String> = interests
        .keywords
        .iter()
        .filter(|(_, w)| **w > 0.0)
        .map(|(k, _)| k)
        .collect();
    if !interests.expand || keywords.is_empty() {
        return Ok(Learned {
            expansions: out,
            meanings: Vec::new(),
        });
    }
    let key = format!(
        // The prefix names the method; a change to what is learned bumps it.
        "expand-8|{}",
        keywords
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join("\u{1f}")
    );
    let papers = index.count();
    let path = index.dir().join(EXPAND_CACHE);
    let cached: Option<Vec<CacheEntry>> = std::fs::read(&path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    if let Some(hit) = cached
        .into_iter()
        .flatten()
        .find(|e| e.stands(&key, now, papers))
    {
        out.extend(hit.expansions);
        return Ok(Learned {
            expansions: out,
            meanings: hit.meanings,
        });
    }
    let (learned, meanings) = learn_all(index, &keywords, now)?;
    let entry = CacheEntry {
        key,
        learned_at: now.as_second(),
        papers,
        expansions: learned.clone(),
        meanings: meanings.clone(),
    };
    if let Ok(json) = serde_json::to_vec(&[entry]) {
        let _ = crate::state::write_atomic(&path, &json);
    }
    out.extend(learned);
    Ok(Learned {
        expansions: out,
        meanings,
    })
}

/// The stems of a paper's text as the meaning model reads them: the title
/// twice (a title word says more), then the abstract.
fn stems_of(analyzer: &mut tantivy::tokenizer::TextAnalyzer, text: &trends::Text) -> Vec<String> {
    use tantivy::tokenizer::TokenStream;
    let mut out = Vec::new();
    for t in [&text.title, &text.title, &text.body] {
        let mut stream = analyzer.token_stream(t);
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
    }
    out
}

/// One paper as learning reads it: its text and its stems.
struct Read {
    text: trends::Text,
    stems: Vec<String>,
}

/// What `keyword` means, learned from the papers about it and the others
/// (`idf` from the index's document frequencies).
fn learn_meaning(
    keyword: &str,
    about: &[&Read],
    others: &[&Read],
    idf: &dyn Fn(&str) -> f32,
) -> Option<Meaning> {
    fn stems<'r>(reads: &[&'r Read]) -> Vec<&'r [String]> {
        reads.iter().map(|r| r.stems.as_slice()).collect()
    }
    let mut learned = Meaning::learn(
        keyword,
        &crate::index::analyze(keyword),
        &stems(about),
        &stems(others),
        idf,
    )?;
    // The words a reader recognises: each stem's most frequent spelling in
    // the papers about the keyword.
    let mut analyzer = schema::english();
    let mut spellings: HashMap<String, std::collections::HashMap<String, u32>> = HashMap::default();
    let wanted: Vec<&str> = learned
        .stems
        .iter()
        .filter(|(s, _)| !learned.own.contains(s))
        .take(meaning::WORDS)
        .map(|(s, _)| s.as_str())
        .collect();
    for r in about {
        for text in [&r.text.title, &r.text.body] {
            use tantivy::tokenizer::TokenStream;
            let mut stream = analyzer.token_stream(text);
            while stream.advance() {
                let tok = stream.token();
                if wanted.contains(&tok.text.as_str())
                    && let Some(surface) = text.get(tok.offset_from..tok.offset_to)
                {
                    *spellings
                        .entry(tok.text.clone())
                        .or_default()
                        .entry(surface.to_string())
                        .or_default() += 1;
                }
            }
        }
    }
    learned.words = wanted
        .iter()
        .map(|stem| super::meaning::spelling(stem, spellings.get(*stem)))
        .collect();
    Some(learned)
}

/// Which papers one keyword learns from: the newest naming it in the
/// title (or, when fewer than [`FEW`] do, mentioning it), and the newest
/// of the others.
struct Sample<'k> {
    keyword: &'k String,
    about: Vec<DocAddress>,
    others: Vec<DocAddress>,
}

fn learn_all(
    index: &Index,
    keywords: &[&String],
    now: Timestamp,
) -> Result<(Vec<Expansion>, Vec<Meaning>), Error> {
    let searcher = index.searcher();
    let end = now
        .checked_add(jiff::SignedDuration::from_secs(1))
        .unwrap_or(Timestamp::MAX);
    let known = index.seen_between(Timestamp::MIN, end, now);
    let f = index.fields;
    // Which papers each keyword reads (queries only) ...
    let mut samples = Vec::new();
    for keyword in keywords {
        let in_title = Index::phrase_of(f.title, &crate::index::analyze(keyword));
        let Some(in_title) = in_title else { continue };
        let about_q: BoxQuery = Box::new(BooleanQuery::new(vec![
            (Occur::Must, known.box_clone()),
            (Occur::Must, in_title),
        ]));
        let mut about = index.newest(&searcher, &about_q, ABOUT_SAMPLE)?;
        let mentioned = index.in_text(keyword);
        if about.len() < FEW
            && let Some(m) = &mentioned
        {
            let q: BoxQuery = Box::new(BooleanQuery::new(vec![
                (Occur::Must, known.box_clone()),
                (Occur::Must, m.box_clone()),
            ]));
            about = index.newest(&searcher, &q, ABOUT_SAMPLE)?;
        }
        let mut others_q = vec![
            (Occur::Must, known.box_clone()),
            (Occur::Must, Box::new(AllQuery) as BoxQuery),
        ];
        if let Some(m) = mentioned {
            others_q.push((Occur::MustNot, m));
        }
        let others_q: BoxQuery = Box::new(BooleanQuery::new(others_q));
        let others = index.newest(&searcher, &others_q, OTHERS_SAMPLE)?;
        samples.push(Sample {
            keyword,
            about,
            others,
        });
    }
    // ... each paper read and analysed once, however many keywords read it
    // (their samples of others are mostly the same papers), on all cores ...
    let mut unique: Vec<DocAddress> = samples
        .iter()
        .flat_map(|s| s.about.iter().chain(&s.others).copied())
        .collect();
    unique.sort_unstable();
    unique.dedup();
    let threads = super::trends::cores();
    let parts = crate::parallel::map_parts(&unique, threads, |addrs| {
        let mut analyzer = schema::english();
        addrs
            .iter()
            .map(|a| {
                let text = index.text_at(&searcher, *a)?;
                let stems = stems_of(&mut analyzer, &text);
                Ok((*a, Read { text, stems }))
            })
            .collect::<Result<Vec<_>, crate::index::IndexError>>()
    });
    let mut reads: HashMap<DocAddress, Read> =
        HashMap::with_capacity_and_hasher(unique.len(), Default::default());
    for part in parts {
        reads.extend(part?);
    }
    let df = index.doc_freqs(
        reads
            .values()
            .flat_map(|r| r.stems.iter().map(String::as_str)),
    );
    let n = index.count();
    let idf = |s: &str| meaning::idf(df.get(s).copied().unwrap_or(0), n);
    // ... then each keyword learns from its own samples, on all cores.
    let pick = |addrs: &[DocAddress]| -> Vec<&Read> {
        addrs.iter().filter_map(|a| reads.get(a)).collect()
    };
    // One keyword per thread.
    let learned = crate::parallel::map_parts(&samples, samples.len(), |part| {
        part.iter()
            .map(|s| {
                let about = pick(&s.about);
                let others = pick(&s.others);
                let meaning = learn_meaning(s.keyword, &about, &others, &idf);
                fn texts<'r>(reads: &[&'r Read]) -> Vec<&'r trends::Text> {
                    reads.iter().map(|r| &r.text).collect()
                }
                let learned = trends::learn(
                    s.keyword,
                    &texts(&about),
                    &texts(&others),
                    NEIGHBOURS,
                    &mut *super::trends::index_stemmer(),
                );
                (meaning, learned)
            })
            .collect::<Vec<_>>()
    })
    .concat();
    let mut out = Vec::new();
    let mut meanings = Vec::new();
    for (s, (meaning, learned)) in samples.iter().zip(learned) {
        meanings.extend(meaning);
        for (term, papers) in learned.aliases {
            out.push(Expansion {
                keyword: s.keyword.clone(),
                term,
                via: Via::Alias,
                papers,
            });
        }
        for (term, papers) in learned.neighbours {
            out.push(Expansion {
                keyword: s.keyword.clone(),
                term,
                via: Via::Neighbour,
                papers,
            });
        }
    }
    Ok((out, meanings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_was_learned_stands_for_a_week_and_a_tenth_more_papers() {
        let at = |s: &str| s.parse::<Timestamp>().unwrap();
        let entry = CacheEntry {
            key: "expand-7|agents".into(),
            learned_at: at("2026-01-05T07:00:00Z").as_second(),
            papers: 1_000,
            expansions: Vec::new(),
            meanings: Vec::new(),
        };
        let monday = at("2026-01-05T07:00:00Z");
        assert!(entry.stands("expand-7|agents", monday, 1_000));
        // Six days and 100 papers later it still stands ...
        assert!(entry.stands("expand-7|agents", at("2026-01-11T07:00:00Z"), 1_100));
        // ... a week later, a tenth more papers, other keywords, a view of
        // an earlier day or a smaller index learn again.
        assert!(!entry.stands("expand-7|agents", at("2026-01-12T07:00:00Z"), 1_000));
        assert!(!entry.stands("expand-7|agents", monday, 1_101));
        assert!(!entry.stands("expand-7|agents\u{1f}robots", monday, 1_000));
        assert!(!entry.stands("expand-7|agents", at("2026-01-04T07:00:00Z"), 1_000));
        assert!(!entry.stands("expand-7|agents", monday, 999));
    }
}

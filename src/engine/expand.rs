//! Interests by meaning: reads, for each of the reader's keywords, the
//! papers naming it in the title and a sample of the others (as of `now`),
//! hands them to the pure [`crate::trends::learn`], and caches what was
//! learned per index commit, next to the trend reports.

use jiff::Timestamp;
use tantivy::query::{AllQuery, BooleanQuery, Occur};

use crate::config::Interests;
use crate::error::Error;
use crate::index::query::BoxQuery;
use crate::index::{Index, schema};
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
    expansions: Vec<Expansion>,
}

/// The terms that stand for the reader's keywords: the reader's own
/// aliases, then (with `[interests] expand`) the aliases and neighbours
/// learned from the papers the index knew at `now`. Cached per index
/// commit and day; a cache that cannot be read or written only costs time.
///
/// # Errors
/// An index failure.
pub fn expansions(
    index: &Index,
    interests: &Interests,
    now: Timestamp,
) -> Result<Vec<Expansion>, Error> {
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
        return Ok(out);
    }
    let opstamp = index.opstamp();
    let key = format!(
        // The prefix names the method; a change to what is learned bumps it.
        "expand-2|{opstamp}|{}|{}",
        now.as_second() / 86_400,
        keywords
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join("\u{1f}")
    );
    let path = index.dir().join(EXPAND_CACHE);
    let cached: Option<Vec<CacheEntry>> = std::fs::read(&path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    if let Some(hit) = cached.iter().flatten().find(|e| e.key == key) {
        out.extend(hit.expansions.iter().cloned());
        return Ok(out);
    }
    let learned = learn_all(index, &keywords, now)?;
    let entry = CacheEntry {
        key,
        expansions: learned.clone(),
    };
    if let Ok(json) = serde_json::to_vec(&[entry]) {
        let _ = crate::state::write_atomic(&path, &json);
    }
    out.extend(learned);
    Ok(out)
}

fn learn_all(index: &Index, keywords: &[&String], now: Timestamp) -> Result<Vec<Expansion>, Error> {
    let searcher = index.searcher();
    let end = now
        .checked_add(jiff::SignedDuration::from_secs(1))
        .unwrap_or(Timestamp::MAX);
    let known = index.seen_between(Timestamp::MIN, end, now);
    let mut analyzer = schema::english();
    let mut stem = |w: &str| {
        use tantivy::tokenizer::TokenStream;
        let mut stream = analyzer.token_stream(w);
        stream.advance().then(|| stream.token().text.clone())
    };
    let f = index.fields;
    let mut out = Vec::new();
    for keyword in keywords {
        let in_title = Index::phrase_of(f.title, &crate::index::analyze(keyword));
        let Some(in_title) = in_title else { continue };
        let about_q: BoxQuery = Box::new(BooleanQuery::new(vec![
            (Occur::Must, known.box_clone()),
            (Occur::Must, in_title),
        ]));
        let (mut about, _) = index.texts_of(&searcher, &about_q, ABOUT_SAMPLE)?;
        let mentioned = index.in_text(keyword);
        if about.len() < FEW
            && let Some(m) = &mentioned
        {
            let q: BoxQuery = Box::new(BooleanQuery::new(vec![
                (Occur::Must, known.box_clone()),
                (Occur::Must, m.box_clone()),
            ]));
            about = index.texts_of(&searcher, &q, ABOUT_SAMPLE)?.0;
        }
        let mut others_q = vec![
            (Occur::Must, known.box_clone()),
            (Occur::Must, Box::new(AllQuery) as BoxQuery),
        ];
        if let Some(m) = mentioned {
            others_q.push((Occur::MustNot, m));
        }
        let (others, _) = index.texts_of(
            &searcher,
            &(Box::new(BooleanQuery::new(others_q)) as BoxQuery),
            OTHERS_SAMPLE,
        )?;
        let learned = trends::learn(keyword, &about, &others, NEIGHBOURS, &mut stem);
        for (term, papers) in learned.aliases {
            out.push(Expansion {
                keyword: (*keyword).clone(),
                term,
                via: Via::Alias,
                papers,
            });
        }
        for (term, papers) in learned.neighbours {
            out.push(Expansion {
                keyword: (*keyword).clone(),
                term,
                via: Via::Neighbour,
                papers,
            });
        }
    }
    Ok(out)
}

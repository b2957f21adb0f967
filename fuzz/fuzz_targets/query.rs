//! The query path on arbitrary text: parsing, filters, ranking, snippets and
//! `similar`-style analysis over a small index that holds real records. A
//! syntax error, a deep nesting or a huge limit must come back as an error
//! (or an empty answer), never a panic, an abort or a hang.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use papertrend::index::{Index, SearchQuery, SortBy};
use papertrend::ingest::{self, Event, Format, Origin};

const SEED: &[u8] = include_bytes!("../corpus/hf_json/2026-01-02.json");

fn index() -> &'static Index {
    static INDEX: OnceLock<(tempfile::TempDir, Index)> = OnceLock::new();
    &INDEX
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("tempdir");
            let index = Index::open(dir.path(), true).expect("index");
            {
                let now = "2026-01-03T00:00:00Z".parse().expect("time");
                let mut session = index.session(64, 1000, now).expect("session");
                let origin = Origin { path: "seed".into() };
                let mut input = SEED;
                let mut papers = Vec::new();
                let _ = ingest::parse(Format::HfJson, &mut input, &origin, &mut |e| {
                    if let Event::Paper(p) = e {
                        papers.push(*p);
                    }
                    Ok(())
                });
                for p in papers {
                    session.upsert(p).expect("upsert");
                }
                session.finish().expect("finish");
            }
            let index = Index::open(dir.path(), false).expect("reopen");
            (dir, index)
        })
        .1
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let index = index();
    let q = SearchQuery {
        text: text.to_string(),
        limit: match flags & 3 {
            0 => 5,
            1 => 0,
            2 => 1 << 20,
            _ => usize::MAX,
        },
        sort: match (flags >> 2) & 1 | (flags >> 5) & 2 {
            0 => SortBy::Relevance,
            1 => SortBy::Date,
            _ => SortBy::Trend,
        },
        title_boost: 1.1,
        author: (flags & 8 != 0).then(|| text.chars().take(40).collect()),
        category: (flags & 16 != 0).then(|| text.chars().take(12).collect()),
        snippets: flags & 32 != 0,
        ..SearchQuery::default()
    };
    if let Ok(hits) = index.search(&q) {
        assert!(hits.len() <= q.limit.max(1), "more hits than the limit");
    }
    let _ = index.analyze(text);
});

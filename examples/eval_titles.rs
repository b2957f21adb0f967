//! Search-quality evaluation on a collection no one tuned on: queries
//! written from the titles of the shared Hugging Face (2025-Q4, 2026-Q1)
//! and arXiv corpora, each judged by the one paper whose title it came from.
//!
//! ```text
//! cargo run --release --example eval_titles -- [CORPORA_DIR] [--set key=value,…]…
//!     [--dump DIR]
//! ```
//! CORPORA_DIR defaults to `shared/corpora` beside the checkout (or beside
//! one of its parent folders). Every file of `hf-daily-json/*/2025-Q4/`,
//! `…/2026-Q1/`, `arxiv-atom/`, `arxiv-rss/` and `arxiv-oai-jsonl/` is
//! ingested through the real ingest path (formats detected as `ingest`
//! does; sightings of one paper merge) into a temporary index.
//!
//! The queries come from every 8th paper (by a hash of its id) with a
//! title of four words or more, two per paper:
//! - **phrase**: 2 to 4 consecutive words of the title (after a short
//!   name and colon, "ThinkMorph: …"), neither first nor last a stop
//!   word, the length and place picked by the hash: what a reader recalls;
//! - **words**: three words of the title that are not stop words, picked
//!   by the hash, in title order, rarely adjacent: a title half
//!   remembered.
//!
//! Each query is run through `Index::search`, as typed; nDCG@10 (one
//! relevant paper: `1 / log2(rank + 1)`) and MRR@10 are reported per kind
//! and overall, with the search time p50. Each `--set` is one run with
//! those `[search]` keys changed (as `eval_scifact`, plus `phrase=false`
//! and `hyphenated=parts|both`: a hyphenated word searched as its parts, or
//! its compound and parts).
//! `--dump DIR` also writes `corpus.jsonl` (`id`, `title`, `abstract`) and
//! `queries.tsv` (`kind`, `id`, query) for other engines.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use papertrend::config::SearchConfig;
use papertrend::index::{Hyphenated, Index, Scoring, SearchQuery, SortBy};
use papertrend::ingest::Format;

/// Words never first or last in a phrase query.
const STOP: [&str; 24] = [
    "a", "an", "the", "of", "for", "in", "on", "with", "to", "and", "via", "from", "by", "at",
    "as", "is", "are", "its", "into", "towards", "toward", "through", "or", "using",
];

#[path = "support/settings.rs"]
mod support;
use support::settings;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .skip(1)
        .map(|p| p.join("shared/corpora"))
        .find(|p| p.is_dir())
        .unwrap_or_else(|| PathBuf::from("../shared/corpora"));
    let mut runs: Vec<(String, SearchConfig, Hyphenated)> = Vec::new();
    let mut dump: Option<PathBuf> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--set" => {
                let spec = args.next().ok_or("--set needs key=value[,key=value]")?;
                let (config, hyphenated) = settings(&spec)?;
                runs.push((spec, config, hyphenated));
            }
            "--dump" => dump = Some(PathBuf::from(args.next().ok_or("--dump needs a folder")?)),
            _ => dir = PathBuf::from(a),
        }
    }
    if runs.is_empty() {
        runs.push((
            "defaults".into(),
            SearchConfig::default(),
            SearchConfig::default().hyphenated,
        ));
    }
    let mut files = Vec::new();
    for hf in std::fs::read_dir(dir.join("hf-daily-json"))? {
        let hf = hf?.path();
        for quarter in ["2025-Q4", "2026-Q1"] {
            walk(&hf.join(quarter), &mut files);
        }
    }
    for arxiv in ["arxiv-atom", "arxiv-rss", "arxiv-oai-jsonl"] {
        walk(&dir.join(arxiv), &mut files);
    }
    files.sort();
    if files.is_empty() {
        return Err(format!("{}: no corpora here (pass CORPORA_DIR)", dir.display()).into());
    }

    let tmp = tempfile::tempdir()?;
    let index = Index::open(tmp.path(), true)?;
    let started = std::time::Instant::now();
    let mut session = index.session(256, 100_000, jiff::Timestamp::now())?;
    let (mut read, mut failed) = (0, 0);
    for f in &files {
        let name = f.display().to_string();
        let input = Box::new(std::io::BufReader::new(std::fs::File::open(f)?));
        let mut skips = Vec::new();
        match papertrend::pipeline::ingest_reader(
            &mut session,
            input,
            &name,
            Format::Auto,
            &mut skips,
        ) {
            Ok(()) => read += 1,
            Err(_) => failed += 1,
        }
    }
    session.finish()?;
    eprintln!(
        "indexed {} papers from {read} files ({failed} not listings) in {:.1?}",
        index.count(),
        started.elapsed()
    );

    let mut papers = Vec::new();
    index.for_each(|p| {
        papers.push((p.id, p.title, p.abstract_text));
        Ok(())
    })?;
    papers.sort();
    let mut queries: Vec<(&'static str, String, String)> = Vec::new();
    let mut seen = HashSet::new();
    for (id, title, _) in &papers {
        let h = hash(id);
        if !h.is_multiple_of(8) {
            continue;
        }
        let words: Vec<&str> = title
            .split_whitespace()
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
            .filter(|w| !w.is_empty())
            .collect();
        if words.len() < 4 {
            continue;
        }
        if let Some(q) = phrase_of(title, h)
            && seen.insert(q.to_lowercase())
        {
            queries.push(("phrase", id.clone(), q));
        }
        if let Some(q) = scattered(&words, h) {
            queries.push(("words", id.clone(), q));
        }
    }
    eprintln!("{} queries", queries.len());
    if let Some(out) = &dump {
        std::fs::create_dir_all(out)?;
        let mut corpus = std::io::BufWriter::new(std::fs::File::create(out.join("corpus.jsonl"))?);
        for (id, title, abstract_text) in &papers {
            let line = serde_json::json!({ "id": id, "title": title, "abstract": abstract_text });
            writeln!(corpus, "{line}")?;
        }
        let mut q = std::io::BufWriter::new(std::fs::File::create(out.join("queries.tsv"))?);
        for (kind, id, text) in &queries {
            writeln!(q, "{kind}\t{id}\t{}", text.replace(['\t', '\n'], " "))?;
        }
    }

    for (name, config, hyphenated) in runs {
        let scoring = Scoring {
            hyphenated,
            ..config.scoring()
        };
        let mut sums: Vec<(&str, f64, f64, usize)> = Vec::new();
        let mut times = Vec::with_capacity(queries.len());
        for (kind, id, text) in &queries {
            let q = SearchQuery {
                text: text.clone(),
                limit: 10,
                sort: SortBy::Relevance,
                title_boost: config.title_boost,
                scoring,
                ..SearchQuery::default()
            };
            let t = std::time::Instant::now();
            let hits = index.search(&q)?;
            times.push(t.elapsed());
            let rank = hits.iter().position(|h| &h.paper.id == id);
            let ndcg = rank.map_or(0.0, |r| 1.0 / ((r + 2) as f64).log2());
            let rr = rank.map_or(0.0, |r| 1.0 / (r + 1) as f64);
            for k in [*kind, "all"] {
                match sums.iter_mut().find(|s| s.0 == k) {
                    Some(s) => {
                        s.1 += ndcg;
                        s.2 += rr;
                        s.3 += 1;
                    }
                    None => sums.push((k, ndcg, rr, 1)),
                }
            }
        }
        times.sort();
        let p50 = times.get(times.len() / 2).copied().unwrap_or_default();
        let line: Vec<String> = sums
            .iter()
            .map(|(k, ndcg, rr, n)| {
                let n = *n as f64;
                format!("{k} nDCG@10 {:.4} MRR@10 {:.4}", ndcg / n, rr / n)
            })
            .collect();
        println!(
            "titles: {name}  {}  ({} queries, p50 {:.2} ms)",
            line.join("  "),
            queries.len(),
            p50.as_secs_f64() * 1000.0
        );
    }
    Ok(())
}

/// Every file under `dir`, recursively (none when it does not exist).
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p
            .extension()
            .is_some_and(|x| ["json", "xml", "jsonl", "atom"].iter().any(|e| x == *e))
        {
            out.push(p);
        }
    }
}

/// FNV-1a of `s`: the sample and the query shapes, stable across runs.
fn hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// 2 to 4 consecutive words of `title`, as the module documentation says.
fn phrase_of(title: &str, h: u64) -> Option<String> {
    // "Name: what it is" → "what it is", for a name of up to three words.
    let body = match title.split_once(": ") {
        Some((name, rest)) if name.split_whitespace().count() <= 3 => rest,
        _ => title,
    };
    let words: Vec<&str> = body
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    let len = 2 + (h >> 8) as usize % 3;
    if words.len() < len {
        return None;
    }
    let stop = |w: &str| STOP.contains(&w.to_lowercase().as_str());
    let starts = words.len() - len + 1;
    let first = (h >> 16) as usize % starts;
    (0..starts)
        .map(|k| (first + k) % starts)
        .map(|s| &words[s..s + len])
        .find(|w| !stop(w[0]) && !stop(w[len - 1]))
        .map(|w| w.join(" "))
}

/// Three of `words` that are not stop words, picked by `h`, in order.
fn scattered(words: &[&str], h: u64) -> Option<String> {
    let content: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !STOP.contains(&w.to_lowercase().as_str()))
        .collect();
    if content.len() < 4 {
        return None;
    }
    let mut picked: Vec<usize> = Vec::new();
    let mut x = h;
    while picked.len() < 3 {
        x = x.rotate_left(17).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let i = (x >> 33) as usize % content.len();
        if !picked.contains(&i) {
            picked.push(i);
        }
    }
    picked.sort_unstable();
    Some(
        picked
            .iter()
            .map(|&i| content[i])
            .collect::<Vec<_>>()
            .join(" "),
    )
}

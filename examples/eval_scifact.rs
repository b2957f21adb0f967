//! Search-quality evaluation on BEIR SciFact: nDCG@10 of papertrend's default
//! search over the `qrels/train.tsv` queries (tune on train only; the test
//! split is held out).
//!
//! ```text
//! cargo run --release --example eval_scifact -- [SCIFACT_DIR] [--title-boost X ...]
//! ```
//! SCIFACT_DIR defaults to ../shared/corpora/ir-testcollections/beir-scifact.
//! The corpus is ingested through the real ingest path (as JSONL records with
//! `scifact:<id>` ids) into a temporary index; each query is run through the
//! same `Index::search` the CLI uses, with the query's words as typed text.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use std::path::PathBuf;

use papertrend::index::{Index, SearchQuery, SortBy};
use papertrend::paper::Paper;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut dir = PathBuf::from("../shared/corpora/ir-testcollections/beir-scifact");
    let mut boosts = Vec::new();
    let mut split = "train".to_string();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--title-boost" => boosts.push(
                args.next()
                    .ok_or("--title-boost needs a value")?
                    .parse::<f32>()?,
            ),
            "--split" => split = args.next().ok_or("--split needs a value")?,
            _ => dir = PathBuf::from(a),
        }
    }
    if boosts.is_empty() {
        boosts.push(papertrend::config::SearchConfig::default().title_boost);
    }
    let tmp = tempfile::tempdir()?;
    let index = Index::open(tmp.path(), true)?;
    let started = std::time::Instant::now();
    let mut session = index.session(256, 100_000, jiff::Timestamp::now())?;
    let corpus = std::io::BufReader::new(std::fs::File::open(dir.join("corpus.jsonl"))?);
    for line in corpus.lines() {
        let v: serde_json::Value = serde_json::from_str(&line?)?;
        let paper = Paper {
            schema_version: papertrend::paper::SCHEMA_VERSION,
            id: format!("scifact:{}", v["_id"].as_str().unwrap_or_default()),
            title: v["title"].as_str().unwrap_or_default().to_string(),
            abstract_text: v["text"].as_str().unwrap_or_default().to_string(),
            sources: vec!["jsonl".into()],
            ..Paper::default()
        };
        session.upsert(paper)?;
    }
    let stats = session.finish()?;
    eprintln!("indexed {} docs in {:.1?}", stats.added, started.elapsed());

    let mut queries = HashMap::new();
    for line in std::io::BufReader::new(std::fs::File::open(dir.join("queries.jsonl"))?).lines() {
        let v: serde_json::Value = serde_json::from_str(&line?)?;
        queries.insert(
            v["_id"].as_str().unwrap_or_default().to_string(),
            v["text"].as_str().unwrap_or_default().to_string(),
        );
    }
    let mut qrels: HashMap<String, HashSet<String>> = HashMap::new();
    let qrels_text = std::fs::read_to_string(dir.join("qrels").join(format!("{split}.tsv")))?;
    for line in qrels_text.lines().skip(1) {
        let cols: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
        if cols.len() >= 3 && cols[2].trim() != "0" {
            qrels
                .entry(cols[0].to_string())
                .or_default()
                .insert(format!("scifact:{}", cols[1].trim()));
        }
    }
    for boost in boosts {
        let mut total = 0.0;
        let mut n = 0usize;
        let t = std::time::Instant::now();
        let mut ids: Vec<&String> = qrels.keys().collect();
        ids.sort();
        for qid in ids {
            let Some(text) = queries.get(qid) else {
                continue;
            };
            let rel = &qrels[qid];
            // The words of the claim, as a user would type them unquoted.
            let words: Vec<String> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect();
            let q = SearchQuery {
                text: words.join(" "),
                limit: 10,
                sort: SortBy::Relevance,
                title_boost: boost,
                ..SearchQuery::default()
            };
            let hits = index.search(&q)?;
            let dcg: f64 = hits
                .iter()
                .enumerate()
                .filter(|(_, h)| rel.contains(&h.paper.id))
                .map(|(i, _)| 1.0 / ((i + 2) as f64).log2())
                .sum();
            let ideal: f64 = (0..rel.len().min(10))
                .map(|i| 1.0 / ((i + 2) as f64).log2())
                .sum();
            total += dcg / ideal;
            n += 1;
        }
        println!(
            "scifact {split}: title_boost {boost:.2}  nDCG@10 {:.4}  ({n} queries, {:.1?})",
            total / n as f64,
            t.elapsed()
        );
    }
    Ok(())
}

//! Search-quality evaluation on BEIR SciFact: nDCG@10 of papertrend's default
//! search over the `qrels/train.tsv` queries (tune on train only; the test
//! split is held out).
//!
//! ```text
//! cargo run --example eval_scifact -- [SCIFACT_DIR] [--split train] [--min NDCG]
//!     [--set key=value,key=value ...]
//! ```
//! SCIFACT_DIR defaults to `shared/corpora/ir-testcollections/beir-scifact`
//! beside the checkout or beside one of its parent folders (found from the
//! repository, not the working folder).
//! The corpus is ingested through the real ingest path (as JSONL records with
//! `scifact:<id>` ids) into a temporary index; each query is run through the
//! same `Index::search` the CLI uses, with the claim as typed.
//!
//! Each `--set` is one run with those `[search]` keys changed from their
//! defaults (`title_boost`, `k1`, `b`, `stop_words`, `feedback_docs`,
//! `feedback_terms`, `feedback_weight`, `candidates`, `proximity…`,
//! `phrase`, and `hyphenated=parts|both`, which searches a hyphenated word as
//! its parts, or its compound and parts); without one, the defaults run.
//! With `--min`, the process fails (exit 1) when a run scores below it: the
//! CI regression gate.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use std::path::PathBuf;

use papertrend::config::SearchConfig;
use papertrend::index::{Hyphenated, Index, Scoring, SearchQuery, SortBy};
use papertrend::paper::Paper;

#[path = "support/settings.rs"]
mod support;
use support::settings;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    // `shared/` beside the checkout (or beside a folder holding it).
    let mut dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .skip(1)
        .map(|p| p.join("shared/corpora/ir-testcollections/beir-scifact"))
        .find(|p| p.is_dir())
        .unwrap_or_else(|| PathBuf::from("../shared/corpora/ir-testcollections/beir-scifact"));
    let mut runs: Vec<(String, SearchConfig, Hyphenated)> = Vec::new();
    let mut split = "train".to_string();
    let mut min: Option<f64> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--set" => {
                let spec = args.next().ok_or("--set needs key=value[,key=value]")?;
                let (config, hyphenated) = settings(&spec)?;
                runs.push((spec.clone(), config, hyphenated));
            }
            "--split" => split = args.next().ok_or("--split needs a value")?,
            "--min" => min = Some(args.next().ok_or("--min needs a value")?.parse()?),
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
    if !dir.join("corpus.jsonl").is_file() {
        return Err(format!(
            "{}: no SciFact corpus.jsonl here (pass SCIFACT_DIR)",
            dir.display()
        )
        .into());
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
    let mut failed = false;
    for (name, config, hyphenated) in runs {
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
            let q = SearchQuery {
                text: text.clone(),
                limit: 10,
                sort: SortBy::Relevance,
                title_boost: config.title_boost,
                scoring: Scoring {
                    hyphenated,
                    ..config.scoring()
                },
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
        let ndcg = total / n as f64;
        println!(
            "scifact {split}: {name}  nDCG@10 {ndcg:.4}  ({n} queries, {:.1?})",
            t.elapsed()
        );
        if let Some(min) = min
            && ndcg < min
        {
            eprintln!("nDCG@10 {ndcg:.4} is below the gate {min:.4}");
            failed = true;
        }
    }
    if failed {
        return Err("search relevance is below the gate".into());
    }
    Ok(())
}

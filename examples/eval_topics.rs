//! Rising-topic precision on the Hugging Face daily lists of 2025-Q4.
//!
//! ```text
//! cargo run --example eval_topics -- [DIR]
//! ```
//! DIR defaults to
//! `../shared/corpora/hf-daily-json/2404589803-hf-daily-paper-newsletter-chinese/2025-Q4`.
//!
//! Every day's list is ingested as a reader's index grows (clock at 08:00
//! UTC of its day) with the papers' `ai_keywords` removed, so that only
//! titles and abstracts are used. For each weekly window (the 7 days ending
//! each Friday at 12:00 UTC, 2025-11-07 … 2025-12-26), `trends` runs as of
//! that moment with the default settings (8-week baseline, top 10), and each
//! topic is judged against the `ai_keywords` as a vocabulary: a multi-word
//! topic is a hit when its words are a whole-word part of a keyphrase that
//! at least 3 of the quarter's papers carry, a single word when it *is* such
//! a keyphrase and not a generic word. It prints the per-window table, the
//! mean precision@10 and every window's topics (`+` hit, `-` miss).
//! `--more` also prints the candidates ranked 11–20 of each window (not
//! counted), to see what would come in if a topic above them were dropped.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use papertrend::clock::Span;
use papertrend::config::Config;
use papertrend::index::Index;
use papertrend::ingest::{self, Event, Format, Origin};
use papertrend::paper::Paper;

/// Keyphrases too general to count as a named topic on their own.
const GENERIC: &[&str] = &[
    "benchmark",
    "dataset",
    "accuracy",
    "reasoning",
    "generation",
    "efficiency",
    "performance",
    "robustness",
    "scalability",
    "evaluation",
    "training",
    "inference",
    "optimization",
    "alignment",
    "generalization",
    "interpretability",
    "fine",
    "tuning",
    "model",
    "framework",
    "pipeline",
    "architecture",
    "learning",
    "data",
    "agent",
    "agents",
    "planning",
    "memory",
    "attention",
    "reward",
    "policy",
    "retrieval",
    "safety",
    "latency",
    "consistency",
    "fidelity",
    "quality",
    "diversity",
    "adaptation",
    "compression",
    "distillation",
    "segmentation",
    "detection",
    "tracking",
    "editing",
    "rendering",
    "reconstruction",
    "synthesis",
    "world",
];

/// Lowercase alphanumeric tokens, crudely singularised.
fn tokens(s: &str) -> Vec<String> {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(|t| {
            if t.len() > 3 && t.ends_with('s') && !t.ends_with("ss") {
                t[..t.len() - 1].to_string()
            } else {
                t.to_string()
            }
        })
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // `--keep DIR`: build the index in DIR once and reuse it on later runs.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let keep = args
        .iter()
        .position(|a| a == "--keep")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from);
    let more = args.iter().any(|a| a == "--more");
    let dir = args.iter().find(|a| !a.starts_with("--") && Some(PathBuf::from(a.as_str())) != keep).cloned().map_or_else(
        || {
            PathBuf::from(
                "../shared/corpora/hf-daily-json/2404589803-hf-daily-paper-newsletter-chinese/2025-Q4",
            )
        },
        PathBuf::from,
    );
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let tmp = tempfile::tempdir()?;
    let reuse = keep.as_ref().is_some_and(|k| k.join("meta.json").exists());
    let index = Index::open(keep.as_deref().unwrap_or(tmp.path()), true)?;
    // Keyphrase → papers carrying it.
    let mut carriers: HashMap<Vec<String>, HashSet<String>> = HashMap::new();
    let started = std::time::Instant::now();
    for file in &files {
        let day = file
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or("file name")?
            .to_string();
        let now: jiff::Timestamp = format!("{day}T08:00:00Z").parse()?;
        let bytes = std::fs::read(file)?;
        let mut papers: Vec<Paper> = Vec::new();
        let origin = Origin {
            path: file.display().to_string(),
        };
        ingest::parse(Format::HfJson, &mut bytes.as_slice(), &origin, &mut |e| {
            if let Event::Paper(p) = e {
                papers.push(*p);
            }
            Ok(())
        })?;
        for p in &papers {
            for k in &p.keywords {
                carriers.entry(tokens(k)).or_default().insert(p.id.clone());
            }
        }
        if reuse {
            continue;
        }
        let mut session = index.session(64, 10_000, now)?;
        for mut p in papers {
            p.keywords.clear();
            session.upsert(p)?;
        }
        session.finish()?;
    }
    let vocab: Vec<Vec<String>> = carriers
        .into_iter()
        .filter(|(k, ids)| ids.len() >= 3 && !k.is_empty())
        .map(|(k, _)| k)
        .collect();
    eprintln!(
        "ingested {} days in {:.1?}; {} keyphrases carried by >= 3 papers",
        files.len(),
        started.elapsed(),
        vocab.len()
    );
    let hit = |topic: &str| {
        let t = tokens(topic);
        match t.len() {
            0 => false,
            1 => vocab.contains(&t) && !GENERIC.contains(&t[0].as_str()),
            n => vocab
                .iter()
                .any(|k| k.len() >= n && k.windows(n).any(|w| w == t)),
        }
    };
    let config = Config::default();
    let week = Span(jiff::SignedDuration::from_hours(24 * 7));
    let baseline = Span(jiff::SignedDuration::from_hours(24 * 56));
    let mut first: jiff::Timestamp = "2025-11-07T12:00:00Z".parse()?;
    let last: jiff::Timestamp = "2025-12-26T12:00:00Z".parse()?;
    let mut rows = BTreeMap::new();
    let mut shown = String::new();
    let started = std::time::Instant::now();
    while first <= last {
        let asked = if more { 20 } else { 10 };
        let mut report =
            papertrend::index::trends::trends(&index, &config, first, week, baseline, asked)?;
        let extra = report.topics.split_off(report.topics.len().min(10));
        let hits = report.topics.iter().filter(|t| hit(&t.phrase)).count();
        let day = first.strftime("%Y-%m-%d").to_string();
        shown.push_str(&format!("{day}:"));
        let list = |shown: &mut String, topics: &[papertrend::rank::Topic]| {
            for t in topics {
                let mark = if hit(&t.phrase) { '+' } else { '-' };
                shown.push_str(&format!(
                    " {mark}{} ({}/{})",
                    t.phrase, t.window_count, t.baseline_count
                ));
            }
            shown.push('\n');
        };
        list(&mut shown, &report.topics);
        if !extra.is_empty() {
            shown.push_str("  11-20:");
            list(&mut shown, &extra);
        }
        rows.insert(
            day,
            (
                report.window_docs,
                report.baseline_docs,
                report.thin_baseline,
                hits,
                report.topics.len(),
            ),
        );
        first = first.checked_add(week.0)?;
    }
    let elapsed = started.elapsed();
    println!("window ending  papers  baseline  thin  P@10");
    let mut sum = 0.0;
    for (day, (w, b, thin, hits, n)) in &rows {
        let p = *hits as f64 / 10.0;
        sum += p;
        println!(
            "{day}     {w:>6}  {b:>8}  {:>4}  {p:.1} ({hits}/{n})",
            if *thin { "yes" } else { "no" }
        );
    }
    println!(
        "mean P@10 {:.3} over {} windows ({:.1?} for all windows)",
        sum / rows.len().max(1) as f64,
        rows.len(),
        elapsed
    );
    print!("{shown}");
    Ok(())
}

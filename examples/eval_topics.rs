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

/// One paper as the judge reads it: its crude tokens (title + abstract)
/// and the instant it became visible.
struct Judged {
    at: jiff::Timestamp,
    tokens: Vec<String>,
}

/// Whether `needle` is a contiguous run of `hay`.
fn holds(hay: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// The initials of a topic: an acronym-like word gives its letters, any
/// other word its first letter.
fn initials(topic: &str) -> (String, bool) {
    let mut out = String::new();
    let mut acronym = false;
    for w in topic
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let caps = w.chars().filter(char::is_ascii_uppercase).count();
        if caps >= 2 {
            acronym = true;
            let w = w.strip_suffix('s').unwrap_or(w);
            out.extend(
                w.chars()
                    .filter(|c| c.is_alphabetic())
                    .map(|c| c.to_ascii_lowercase()),
            );
        } else if let Some(c) = w.chars().next() {
            out.push(c.to_ascii_lowercase());
        }
    }
    (out, acronym)
}

/// The judge's "new": not an alias of a topic ranked above (same stems, one
/// inside the other, or the same initials where one is an acronym).
fn alias_of(a: &str, b: &str) -> bool {
    let (ta, tb) = (tokens(a), tokens(b));
    let sa: HashSet<&String> = ta.iter().collect();
    let sb: HashSet<&String> = tb.iter().collect();
    if sa == sb || holds(&ta, &tb) || holds(&tb, &ta) {
        return true;
    }
    let ((ia, aa), (ib, ab)) = (initials(a), initials(b));
    (aa || ab) && ia == ib && ia.len() >= 2
}

/// The judge's fragment test: at least 70 % of the topic's mentions in the
/// week's papers run on into the same next word.
fn fragment(week: &[&Judged], t: &[String]) -> bool {
    let mut next: HashMap<&str, usize> = HashMap::new();
    let mut all = 0;
    for p in week {
        let n = t.len();
        for (i, w) in p.tokens.windows(n).enumerate() {
            if w == t {
                all += 1;
                if let Some(x) = p.tokens.get(i + n) {
                    *next.entry(x.as_str()).or_default() += 1;
                }
            }
        }
    }
    all > 0 && next.values().any(|&c| c * 10 >= all * 7)
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
    // Every paper once, as the judge counts them.
    let mut judged: Vec<Judged> = Vec::new();
    let mut seen_ids: HashSet<String> = HashSet::new();
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
            if seen_ids.insert(p.id.clone())
                && let Some(at) = p.visible_date()
            {
                judged.push(Judged {
                    at,
                    tokens: tokens(&format!("{} {}", p.title, p.abstract_text)),
                });
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
            papertrend::engine::trends::trends(&index, &config, first, week, baseline, asked)?;
        let extra = report.topics.split_off(report.topics.len().min(10));
        let hits = report.topics.iter().filter(|t| hit(&t.phrase)).count();
        // The judge's full rule: named, rising and new.
        let w_start = first.checked_sub(week.0)?;
        let b_start = w_start.checked_sub(baseline.0)?;
        let in_week: Vec<&Judged> = judged
            .iter()
            .filter(|p| p.at > w_start && p.at <= first)
            .collect();
        let in_base: Vec<&Judged> = judged
            .iter()
            .filter(|p| p.at > b_start && p.at <= w_start)
            .collect();
        let count = |set: &[&Judged], t: &papertrend::rank::Topic| {
            let forms: Vec<Vec<String>> = std::iter::once(&t.phrase)
                .chain(&t.aliases)
                .map(|f| tokens(f))
                .collect();
            set.iter()
                .filter(|p| forms.iter().any(|f| holds(&p.tokens, f)))
                .count()
        };
        let mut verdicts = Vec::new();
        for (i, t) in report.topics.iter().enumerate() {
            let (w, b) = (count(&in_week, t), count(&in_base, t));
            let lift = (w as f64 / in_week.len().max(1) as f64)
                / ((b as f64 + 1.0) / (in_base.len() as f64 + 1.0));
            let rising = w >= 3 && lift >= 1.5;
            let new = !report.topics[..i].iter().any(|u| {
                std::iter::once(&u.phrase)
                    .chain(&u.aliases)
                    .any(|f| alias_of(&t.phrase, f))
            }) && !fragment(&in_week, &tokens(&t.phrase));
            verdicts.push((hit(&t.phrase), rising, new, w, b, lift));
        }
        let full = verdicts.iter().filter(|v| v.0 && v.1 && v.2).count();
        let day = first.strftime("%Y-%m-%d").to_string();
        shown.push_str(&format!("{day}:"));
        for (t, v) in report.topics.iter().zip(&verdicts) {
            let mark = |ok: bool, c: char| if ok { c } else { '.' };
            shown.push_str(&format!(
                "  [{}{}{}] {:<40} {:>3}/{:<3} judge {}/{} x{:.1}\n",
                mark(v.0, 'N'),
                mark(v.1, 'R'),
                mark(v.2, 'D'),
                t.label(),
                t.window_count,
                t.baseline_count,
                v.3,
                v.4,
                v.5
            ));
        }
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
                full,
            ),
        );
        first = first.checked_add(week.0)?;
    }
    let elapsed = started.elapsed();
    println!("window ending  papers  baseline  thin  named P@10  rising P@10");
    let (mut sum, mut sum_full) = (0.0, 0.0);
    for (day, (w, b, thin, hits, n, full)) in &rows {
        let p = *hits as f64 / 10.0;
        let f = *full as f64 / 10.0;
        sum += p;
        sum_full += f;
        println!(
            "{day}     {w:>6}  {b:>8}  {:>4}  {p:.1} ({hits}/{n})  {f:.1} ({full}/{n})",
            if *thin { "yes" } else { "no" }
        );
    }
    println!(
        "mean named P@10 {:.3}, rising P@10 {:.3} over {} windows ({:.1?} for all windows)",
        sum / rows.len().max(1) as f64,
        sum_full / rows.len().max(1) as f64,
        rows.len(),
        elapsed
    );
    println!("[N]amed [R]ising [D]istinct (not an alias or fragment)");
    print!("{shown}");
    Ok(())
}

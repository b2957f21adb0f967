//! A reader's month, replayed as cron would run it, scored against hand
//! labels.
//!
//! ```text
//! cargo build --release && cargo run --release --example eval_reader -- [MONTH] [--labels TSV]
//! ```
//! MONTH defaults to `2025-12`; the labels to `fixtures/judged/hf-<MONTH>.tsv`
//! (columns `arxiv_id label interests upvotes day title`, label `Y`/`B`/`N`;
//! see `fixtures/judged/README.md`). The lists are the Hugging Face daily
//! files of `../shared/corpora/hf-daily-json/2404589803-hf-daily-paper-newsletter-chinese/`
//! (`--hf-dir DIR` overrides). It drives the real binary beside this
//! example (`target/<profile>/papertrend`; `--bin PATH` overrides) in a
//! fresh data dir, with the reader's config: interests `video generation,
//! robotics, multimodal, world models`, the defaults otherwise, e-mail off,
//! the digest written as JSON.
//!
//! The replay: the two months before MONTH are ingested at once (the
//! reader's history, for trends and learned aliases) and a first digest is
//! delivered the day before MONTH (not scored). Then for every calendar day
//! of MONTH and the three days after it: that day's list (when there is one)
//! is ingested at 07:00 UTC, and `run --no-fetch` runs at 07:05 UTC, as cron
//! would. Weekends have no list: their runs see only what is still fresh.
//!
//! Scored, on the main lists of the digests delivered:
//! - **precision**: Y / (Y + N) of the papers in main lists, B ignored (the
//!   labels' own rule); also *strict* (B counts as N) and *lenient* (B
//!   counts as Y);
//! - **recall of the top 3**: of each list day's three most upvoted Y papers
//!   (upvotes as the labels record them), the share in a main list of a
//!   digest of that day or the three days after;
//! - **top paper in the top 3**: the days whose most upvoted Y paper is at
//!   position 1–3 of that day's mail.
//!
//! Prints a per-day table and the totals; `--show DAY` (repeatable) also
//! prints that day's main list with labels, upvotes and why lines; `--keep
//! DIR` keeps the data dir and config there (for `explain`). Tune on
//! 2025-12 only; the months after it are for measuring.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use jiff::civil::Date;
use serde_json::Value;

/// The reader's interests (weight 1 each, as a plain list in the config).
const INTERESTS: &[&str] = &["video generation", "robotics", "multimodal", "world models"];

/// One labelled paper.
struct Label {
    label: char,
    upvotes: u64,
    day: Date,
    title: String,
}

type Error = Box<dyn std::error::Error>;

fn main() -> Result<(), Error> {
    let mut month = "2025-12".to_string();
    let mut labels_path: Option<PathBuf> = None;
    let mut show: Vec<Date> = Vec::new();
    let mut keep: Option<PathBuf> = None;
    let mut hf_dir: Option<PathBuf> = None;
    let mut bin: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--labels" => labels_path = args.next().map(PathBuf::from),
            "--keep" => keep = args.next().map(PathBuf::from),
            "--hf-dir" => hf_dir = args.next().map(PathBuf::from),
            "--bin" => bin = args.next().map(PathBuf::from),
            "--show" => show.extend(args.next().and_then(|d| d.parse::<Date>().ok())),
            m => month = m.to_string(),
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let labels_path =
        labels_path.unwrap_or_else(|| root.join(format!("fixtures/judged/hf-{month}.tsv")));
    let labels = read_labels(&labels_path)?;
    let hf_dir = hf_dir.unwrap_or_else(|| {
        root.join("../shared/corpora/hf-daily-json/2404589803-hf-daily-paper-newsletter-chinese")
    });
    let bin = match bin {
        Some(b) => b,
        None => std::env::current_exe()?
            .parent()
            .and_then(Path::parent)
            .map(|d| d.join("papertrend"))
            .ok_or("no target dir")?,
    };
    if !bin.exists() {
        return Err(format!(
            "{}: not built (run `cargo build` with the same profile first)",
            bin.display()
        )
        .into());
    }
    let first: Date = format!("{month}-01").parse()?;
    let files = day_files(&hf_dir)?;
    let tmp = tempfile::tempdir()?;
    // `--keep DIR`: the data dir and config stay there, for `explain`.
    let work = match &keep {
        Some(k) => {
            std::fs::create_dir_all(k)?;
            k.clone()
        }
        None => tmp.path().to_path_buf(),
    };
    let out = work.join("digest.json");
    let config = work.join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[interests]\nkeywords = [{}]\n\n[digest]\nformat = \"json\"\nout = {:?}\n",
            INTERESTS
                .iter()
                .map(|i| format!("{i:?}"))
                .collect::<Vec<_>>()
                .join(", "),
            out.display().to_string()
        ),
    )?;
    let run = |now: String, args: &[&std::ffi::OsStr]| -> Result<(), Error> {
        let o = Command::new(&bin)
            .arg("--config")
            .arg(&config)
            .arg("--data-dir")
            .arg(work.join("data"))
            .args(args)
            .env("PAPERTREND_NOW", &now)
            .env_remove("PAPERTREND_CONFIG")
            .env("NO_COLOR", "1")
            .output()?;
        if !o.status.success() {
            return Err(format!(
                "{:?} at {now}: {}",
                args,
                String::from_utf8_lossy(&o.stderr)
            )
            .into());
        }
        Ok(())
    };
    // The reader's history: the two months before, then a first digest.
    let history_from = first.checked_sub(jiff::Span::new().months(2))?;
    let history: Vec<&PathBuf> = files
        .iter()
        .filter(|(d, _)| *d >= history_from && *d < first)
        .map(|(_, p)| p)
        .collect();
    let eve = first.yesterday()?;
    if !history.is_empty() {
        let mut args: Vec<&std::ffi::OsStr> = vec!["ingest".as_ref()];
        args.extend(history.iter().map(|p| p.as_os_str()));
        run(format!("{eve}T07:00:00Z"), &args)?;
    }
    run(
        format!("{eve}T07:05:00Z"),
        &["run".as_ref(), "--no-fetch".as_ref()],
    )?;
    let _ = std::fs::remove_file(&out);

    let last = first
        .checked_add(jiff::Span::new().months(1))?
        .yesterday()?;
    let end = last.checked_add(jiff::Span::new().days(3))?;
    // The main list (ids) and "also popular" of each day's mail.
    let mut mails: BTreeMap<Date, (Vec<String>, usize, String)> = BTreeMap::new();
    let mut day = first;
    while day <= end {
        if let Some((_, p)) = files.iter().find(|(d, _)| *d == day) {
            run(
                format!("{day}T07:00:00Z"),
                &["ingest".as_ref(), p.as_os_str()],
            )?;
        }
        run(
            format!("{day}T07:05:00Z"),
            &["run".as_ref(), "--no-fetch".as_ref()],
        )?;
        if let Ok(text) = std::fs::read_to_string(&out) {
            let d: Value = serde_json::from_str(&text)?;
            let ids = |k: &str| -> Vec<String> {
                d[k].as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|p| p["id"].as_str())
                    .map(|id| id.trim_start_matches("arxiv:").to_string())
                    .collect()
            };
            let head = d["leftover_from"]
                .as_str()
                .map_or_else(String::new, |f| format!("still fresh from {f}"));
            if show.contains(&day) {
                print_mail(&d, &labels);
            }
            mails.insert(day, (ids("papers"), ids("also_popular").len(), head));
            std::fs::remove_file(&out)?;
        }
        day = day.tomorrow()?;
    }
    report(&labels, &mails, first, last);
    Ok(())
}

/// Prints one mail's lists: position, label, upvotes, title, why.
fn print_mail(d: &Value, labels: &HashMap<String, Label>) {
    println!("mail of {}:", d["date"].as_str().unwrap_or(""));
    for (list, name) in [("papers", "main"), ("also_popular", "also popular")] {
        for p in d[list].as_array().into_iter().flatten() {
            let id = p["id"].as_str().unwrap_or("").trim_start_matches("arxiv:");
            println!(
                "  {name} #{} [{}] {} up  {}\n      why: {}",
                p["rank"],
                labels.get(id).map_or('?', |l| l.label),
                p["upvotes"],
                p["title"]
                    .as_str()
                    .unwrap_or("")
                    .chars()
                    .take(70)
                    .collect::<String>(),
                p["why"].as_str().unwrap_or("")
            );
        }
    }
}

/// The files of the corpus by date (`<quarter>/<YYYY-MM-DD>.json`).
fn day_files(dir: &Path) -> Result<Vec<(Date, PathBuf)>, Error> {
    let mut out = Vec::new();
    for q in std::fs::read_dir(dir)? {
        let q = q?.path();
        if !q.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&q)? {
            let f = f?.path();
            let date = f
                .file_stem()
                .and_then(|s| s.to_str())
                .and_then(|s| s.parse::<Date>().ok());
            if let Some(d) = date {
                out.push((d, f));
            }
        }
    }
    out.sort();
    Ok(out)
}

fn read_labels(path: &Path) -> Result<HashMap<String, Label>, Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: {e} (the labels of the month)", path.display()))?;
    let mut out = HashMap::new();
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 6 {
            return Err(format!("{}: short line {line:?}", path.display()).into());
        }
        out.insert(
            f[0].to_string(),
            Label {
                label: f[1].chars().next().unwrap_or('N'),
                upvotes: f[3].parse().unwrap_or(0),
                day: f[4].parse()?,
                title: f[5].to_string(),
            },
        );
    }
    Ok(out)
}

fn report(
    labels: &HashMap<String, Label>,
    mails: &BTreeMap<Date, (Vec<String>, usize, String)>,
    first: Date,
    last: Date,
) {
    // The labelled days, each with its Y papers by upvotes.
    let mut by_day: BTreeMap<Date, Vec<(&String, &Label)>> = BTreeMap::new();
    for (id, l) in labels.iter().filter(|(_, l)| l.label == 'Y') {
        by_day.entry(l.day).or_default().push((id, l));
    }
    for ys in by_day.values_mut() {
        ys.sort_by(|a, b| b.1.upvotes.cmp(&a.1.upvotes).then_with(|| a.0.cmp(b.0)));
    }
    let (mut y, mut b, mut n, mut unlabelled) = (0usize, 0usize, 0usize, 0usize);
    let (mut top3_found, mut top3_all, mut lead_days, mut lead_ok) = (0, 0, 0, 0);
    let mut misses: Vec<String> = Vec::new();
    println!(
        "{:<10} {:<3} {:>4} {:>3} {:>3} {:>3} {:>4}  {:<8} {:<24} day's top Y paper",
        "day", "", "main", "Y", "B", "N", "also", "top3 Y", "note"
    );
    let mut day = first;
    let end = last.checked_add(jiff::Span::new().days(3)).unwrap_or(last);
    while day <= end {
        let mail = mails.get(&day);
        let main: &[String] = mail.map_or(&[], |m| m.0.as_slice());
        let (mut dy, mut db, mut dn) = (0, 0, 0);
        if day <= last {
            for id in main {
                match labels.get(id).map(|l| l.label) {
                    Some('Y') => dy += 1,
                    Some('B') => db += 1,
                    Some('N') => dn += 1,
                    _ => unlabelled += 1,
                }
            }
            y += dy;
            b += db;
            n += dn;
        }
        let mut top3 = String::new();
        let mut lead = String::new();
        if let Some(ys) = by_day.get(&day) {
            // Within 3 days: any digest of this day or the three after.
            let shown: HashSet<&String> = mails
                .range(day..=day.checked_add(jiff::Span::new().days(3)).unwrap_or(day))
                .flat_map(|(_, m)| m.0.iter())
                .collect();
            let best3: Vec<_> = ys.iter().take(3).collect();
            let found = best3.iter().filter(|(id, _)| shown.contains(id)).count();
            for (id, l) in best3.iter().filter(|(id, _)| !shown.contains(id)) {
                misses.push(format!(
                    "{day} {id} ({} upvotes) {}",
                    l.upvotes,
                    l.title.chars().take(70).collect::<String>()
                ));
            }
            top3_found += found;
            top3_all += best3.len();
            top3 = format!("{found}/{}", best3.len());
            let (id, l) = ys[0];
            let pos = main.iter().position(|m| m == id);
            lead_days += 1;
            if pos.is_some_and(|p| p < 3) {
                lead_ok += 1;
            }
            lead = format!(
                "#{} {} ({} up) {}",
                pos.map_or_else(|| "-".to_string(), |p| (p + 1).to_string()),
                id,
                l.upvotes,
                l.title.chars().take(40).collect::<String>()
            );
        }
        let note = match mail {
            None => "no mail".to_string(),
            Some(m) => m.2.clone(),
        };
        println!(
            "{:<10} {:<3} {:>4} {:>3} {:>3} {:>3} {:>4}  {:<8} {:<24} {}",
            day.to_string(),
            day.strftime("%a").to_string(),
            main.len(),
            dy,
            db,
            dn,
            mail.map_or(0, |m| m.1),
            top3,
            note,
            lead
        );
        day = day.tomorrow().unwrap_or(day);
        if day > end {
            break;
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    println!();
    println!(
        "main lists {first}..{last}: {} papers, {y} Y, {b} B, {n} N, {unlabelled} unlabelled",
        y + b + n + unlabelled
    );
    println!(
        "precision (B ignored) {:.3}   strict (B as N) {:.3}   lenient (B as Y) {:.3}",
        ratio(y, y + n),
        ratio(y, y + b + n),
        ratio(y + b, y + b + n)
    );
    println!(
        "recall of each day's 3 most upvoted Y papers within 3 days: {top3_found}/{top3_all} = {:.3}",
        ratio(top3_found, top3_all)
    );
    println!(
        "day's most upvoted Y paper in the mail's top 3: {lead_ok}/{lead_days} days = {:.3}",
        ratio(lead_ok, lead_days)
    );
    if !misses.is_empty() {
        println!("\ntop-3 Y papers never in a main list within 3 days:");
        for m in misses {
            println!("  {m}");
        }
    }
}

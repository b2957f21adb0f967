//! `trends`: rising phrases on real dated days, "no baseline" on the seed.

use serde_json::Value;

use crate::support::{AFTER_NEWEST, TestEnv};

fn trends_json(env: &TestEnv, args: &[&str]) -> Value {
    let out = env.cmd(["trends", "--json"]).args(args).run();
    out.success();
    out.json()
}

fn phrases(report: &Value) -> Vec<String> {
    report["topics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["phrase"].as_str().unwrap().to_string())
        .collect()
}

/// Five real HF days (November, December, January), clock on 2026-01-21:
/// a 7-day window with a thin baseline before it.
const DAYS: [&str; 5] = [
    "hf-json/2025-11-12.json",
    "hf-json/2025-12-02.json",
    "hf-json/2026-01-02.json",
    "hf-json/2026-01-19.json",
    "hf-json/2026-01-20.json",
];

/// Few papers: a topic needs one paper in the window.
const SMALL: &str = "[trends]\nmin_count = 1\n";

fn env_with(days: &[&str], ingest_now: &str) -> TestEnv {
    let mut env = TestEnv::new();
    env.set_now(ingest_now);
    env.ingest(days);
    env
}

fn trends_with(env: &TestEnv, config: &str, args: &[&str]) -> Value {
    let cfg = env.write("config.toml", config);
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["trends", "--json"])
        .args(args)
        .run();
    out.success();
    out.json()
}

#[test]
fn rising_topics_are_named_things_and_a_thin_baseline_is_said() {
    // See: #15
    let env = env_with(&DAYS, "2026-01-21T00:00:00Z");
    let report = trends_with(&env, SMALL, &[]);
    let p = phrases(&report);
    assert!(p.len() >= 5, "{report}");
    // Generic words of academic English never make a topic on their own,
    // however often they occur in the window.
    for generic in [
        "especially",
        "contains",
        "pipeline",
        "baselines",
        "handle",
        "artifacts",
        "models",
        "model",
        "reasoning",
        "performance",
        "tasks",
        "training",
        "data",
        "suggest",
        "rely",
        "produce",
        "framework",
        "approach",
        "results",
    ] {
        assert!(
            !p.iter().any(|x| x.eq_ignore_ascii_case(generic)),
            "{generic:?} in {p:?}"
        );
    }
    // Every single-word topic is written like an acronym or a model name,
    // or is a hyphenated compound (`post-training`).
    for x in p.iter().filter(|x| !x.contains(' ') && !x.contains('-')) {
        let upper = x.chars().filter(|c| c.is_uppercase()).count();
        assert!(
            upper >= 2 || (upper == 1 && x.chars().any(|c| c.is_ascii_digit())),
            "{x:?}"
        );
    }
    // Shown in the most frequent spelling, acronyms upper-case.
    assert!(p.iter().any(|x| x == "reinforcement learning"), "{p:?}");
    assert!(p.iter().any(|x| x == "RLVR"), "{p:?}");
    // Frequent before and now: not rising, however frequent.
    assert!(
        !p.iter().any(|x| x == "LLMs" || x == "language models"),
        "{p:?}"
    );
    // 31 papers before a window of 16 is a thin baseline: said, not inflated.
    assert_eq!(report["baseline_docs"], 31);
    assert_eq!(report["window_docs"], 16);
    assert_eq!(report["thin_baseline"], true);
    for t in report["topics"].as_array().unwrap() {
        assert!(t["score"].as_f64().unwrap() < 3.0, "{t}");
    }
    let cfg = env.write("config.toml", SMALL);
    let out = env.cmd(["--config"]).arg(&cfg).arg("trends").run();
    out.success();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(
        lines[0].starts_with("Rising in the week since 2026-01-14 (16 papers)"),
        "{}",
        out.stdout
    );
    assert!(
        lines[2].starts_with("Thin baseline: 31 papers"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_window_bounded_at_now_ignores_future_dated_papers() {
    // See: #15
    // Everything ingested on 2025-12-02 (so first seen by then), the 2026
    // days included: as of 2025-12-02 12:00 those are dated in the future.
    let now = "2025-12-02T12:00:00Z";
    let all = env_with(&DAYS, "2025-12-02T08:00:00Z");
    let past = env_with(&DAYS[..2], "2025-12-02T08:00:00Z");
    let (mut all, mut past) = (all, past);
    all.set_now(now);
    past.set_now(now);
    let with_future = trends_with(&all, SMALL, &[]);
    let without = trends_with(&past, SMALL, &[]);
    assert_eq!(with_future["window_docs"], 28, "the 2025-12-02 list only");
    assert_eq!(with_future, without);
    assert!(
        with_future["baseline_docs"].as_u64().unwrap() > 0,
        "{with_future}"
    );
    // And a view as of a day sees only what the index had seen by then.
    let late = env_with(&DAYS[..2], "2026-01-21T00:00:00Z");
    let mut late = late;
    late.set_now(now);
    let report = trends_with(&late, SMALL, &[]);
    assert_eq!(report["window_docs"], 0);
    assert_eq!(report["no_baseline"], true);
}

#[test]
fn the_seed_dump_has_no_baseline_and_lists_its_distinctive_phrases() {
    let env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt"]);
    let report = trends_json(&env, &["-n", "30"]);
    assert_eq!(report["no_baseline"], true);
    assert_eq!(report["window_docs"], 189);
    let p = phrases(&report);
    for want in [
        "in-context learning",
        "vision transformer",
        "knowledge distillation",
    ] {
        assert!(
            p.iter().any(|x| x.contains(want)),
            "{want:?} missing from {p:?}"
        );
    }
    for junk in [
        "in this paper",
        "this paper",
        "paper",
        "we propose",
        "show that",
    ] {
        assert!(!p.iter().any(|x| x == junk), "{junk:?} listed: {p:?}");
    }
    let out = env.cmd(["trends", "-n", "30"]).run();
    out.success();
    assert!(out.stdout.starts_with("No baseline: "), "{}", out.stdout);
    assert!(out.stdout.contains("knowledge distillation"));
}

#[test]
fn a_trends_report_is_computed_once_per_commit_and_hour() {
    // See: #21
    let env = env_with(&DAYS[..4], "2026-01-21T00:00:00Z");
    let first = trends_with(&env, SMALL, &[]);
    let cache = env.data_dir().join("index/papertrend-trends-cache.json");
    assert!(cache.is_file(), "no cache at {}", cache.display());
    // Same commit, same hour: the cached report, the windows still ending at
    // the clock's own time.
    let mut later = env.cmd(["--config"]).arg(env.path("config.toml"));
    later = later
        .env("PAPERTREND_NOW", "2026-01-21T00:40:00Z")
        .args(["trends", "--json"]);
    let out = later.run();
    out.success();
    let again = out.json();
    assert_eq!(phrases(&again), phrases(&first));
    assert_eq!(again["window_docs"], first["window_docs"]);
    assert_eq!(
        again["window_start"].as_str().unwrap(),
        "2026-01-14T00:40:00Z",
        "{again}"
    );
    // A damaged cache only costs time.
    std::fs::write(&cache, b"{not json").unwrap();
    assert_eq!(phrases(&trends_with(&env, SMALL, &[])), phrases(&first));
    // A new commit (one more day ingested) is a new report, not the cached one.
    env.ingest(&DAYS[4..]);
    let after = trends_with(&env, SMALL, &[]);
    assert!(
        after["window_docs"].as_u64().unwrap() > first["window_docs"].as_u64().unwrap(),
        "{after}\nbefore: {first}"
    );
}

#[test]
fn a_modifier_token_is_not_a_rising_topic() {
    // See: #15
    // November 2025 up to the 21st: "3D" is written mostly before the noun
    // it modifies (3D scenes, 3D reconstruction) and used to rank third.
    let mut days: Vec<String> = std::fs::read_dir(crate::support::fixture("hf-json/2025-11"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|f| f.as_str() <= "2025-11-21.json")
        .map(|f| format!("hf-json/2025-11/{f}"))
        .collect();
    days.sort();
    assert_eq!(days.len(), 14);
    let days: Vec<&str> = days.iter().map(String::as_str).collect();
    let env = env_with(&days, "2025-11-21T07:00:00Z");
    let report = trends_json(&env, &[]);
    let p = phrases(&report);
    assert_eq!(report["window_docs"], 62, "{report}");
    assert!(p.iter().any(|x| x == "video generation"), "{p:?}");
    assert!(!p.iter().any(|x| x == "3D"), "{p:?}");
    // Every topic is a phrase or a token written like a name.
    assert!(!p.is_empty(), "{p:?}");
    for t in &p {
        assert!(
            t.contains(' ') || t.chars().filter(|c| c.is_uppercase()).count() >= 2,
            "{t}"
        );
    }
}

#[test]
fn trends_takes_every_listing_format() {
    // See: #18
    let mut env = TestEnv::new();
    env.set_now(AFTER_NEWEST);
    env.ingest(&["hf-json/2026-01-19.json", "hf-json/2026-01-20.json"]);
    let json = env.cmd(["trends", "--format", "json"]).run();
    json.success();
    let topics = json.json()["topics"].as_array().unwrap().len();
    assert!(topics > 0);
    let jsonl = env.cmd(["trends", "--format", "jsonl"]).run();
    jsonl.success();
    assert_eq!(jsonl.jsonl().len(), topics);
    let csv = env.cmd(["trends", "--format", "csv"]).run();
    csv.success();
    assert_eq!(
        csv.stdout.lines().next(),
        Some("phrase,aliases,window,baseline,expected,score")
    );
    assert_eq!(csv.stdout.lines().count(), topics + 1);
    let md = env.cmd(["trends", "--format", "md"]).run();
    md.success();
    assert_eq!(md.stdout.lines().count(), topics + 2);
    let table = env.cmd(["trends", "--format", "table"]).run();
    table.success();
    assert!(table.stdout.starts_with("No baseline") || table.stdout.starts_with("Rising"));
}

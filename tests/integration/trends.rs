//! `trends`: rising phrases on real dated days, "no baseline" on the seed.

use serde_json::Value;

use crate::support::TestEnv;

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

/// Four real HF days (one in November, three in January), clock on
/// 2026-01-21: a 7-day window with an 8- or 10-week baseline before it.
fn four_hf_days() -> TestEnv {
    let mut env = TestEnv::new();
    env.set_now("2026-01-21T00:00:00Z");
    env.ingest(&[
        "hf-json/2025-11-12.json",
        "hf-json/2026-01-02.json",
        "hf-json/2026-01-19.json",
        "hf-json/2026-01-20.json",
    ]);
    env
}

#[test]
fn a_topic_new_in_the_window_rises_first() {
    let env = four_hf_days();
    // Count the agent topic ourselves: in how many papers of the 7-day
    // window (visible since 2026-01-14) and of the 8 weeks before it.
    // Stemming makes "agent", "agents" and "agentic" one term.
    let (mut w, mut big_w, mut b, mut big_b) = (0, 0, 0, 0);
    for p in env.export() {
        // The visible date: the later of `published` and `listed`.
        let date = p["published"].as_str().max(p["listed"].as_str()).unwrap();
        let text = format!("{} {}", p["title"], p["abstract"]).to_lowercase();
        let has = text
            .split(|c: char| !c.is_alphanumeric())
            .any(|word| ["agent", "agents", "agentic"].contains(&word));
        if date >= "2026-01-14" {
            big_w += 1;
            w += usize::from(has);
        } else if date >= "2025-11-19" {
            big_b += 1;
            b += usize::from(has);
        }
    }
    assert!(w >= 3 && b == 0, "agentic: {w}/{big_w} vs {b}/{big_b}");
    let report = trends_json(&env, &["--window", "7d", "--baseline", "8w"]);
    assert_eq!(report["no_baseline"], false);
    assert_eq!(report["window_docs"], big_w);
    assert_eq!(report["baseline_docs"], big_b);
    let p = phrases(&report);
    let at = p.iter().position(|x| x == "agentic");
    assert!(at.is_some_and(|i| i < 3), "{p:?}");
    let agentic = &report["topics"][at.unwrap_or(0)];
    assert_eq!(agentic["window_count"], w);
    assert_eq!(agentic["baseline_count"], b);
    // No listed topic is rarer in the window than in the baseline.
    for t in report["topics"].as_array().unwrap() {
        let tw = t["window_count"].as_f64().unwrap() / big_w as f64;
        let tb = t["baseline_count"].as_f64().unwrap() / big_b as f64;
        assert!(tw >= tb, "{t}");
    }
    // The terminal form shows both counts.
    let out = env.cmd(["trends"]).run();
    out.success();
    assert!(
        out.stdout.starts_with("Rising in the 1w since 2026-01-14"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("agentic"));
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
fn baseline_counts_agree_with_a_search_of_the_baseline_window() {
    // The baseline count of a topic is a phrase count on its stems; stems
    // must not be stemmed again ("embedding" → "embed" → "emb" matched no
    // paper and made common words look new).
    let env = four_hf_days();
    let report = trends_json(&env, &["--window", "7d", "--baseline", "10w", "-n", "40"]);
    let (from, to) = (
        report["baseline_start"].as_str().unwrap(),
        report["window_start"].as_str().unwrap(),
    );
    let topics = report["topics"].as_array().unwrap();
    assert!(topics.len() >= 10, "{report}");
    let mut in_baseline = 0;
    for t in topics {
        let phrase = t["phrase"].as_str().unwrap();
        let found = env
            .cmd(["search", "--format", "jsonl", "--limit", "10000"])
            .args(["--since", from, "--until", to])
            .arg(format!("\"{phrase}\""))
            .run();
        // No match is a success with a note on stderr.
        found.code(0);
        let n = found.stdout.lines().filter(|l| !l.is_empty()).count();
        assert_eq!(t["baseline_count"], n, "{phrase:?}");
        in_baseline += usize::from(n > 0);
    }
    assert!(in_baseline > 0, "no topic is in the baseline: {report}");
}

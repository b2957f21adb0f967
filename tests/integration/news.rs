//! A digest is news: a bulk import of old papers (the arXiv snapshot) makes
//! them searchable and rankable with `top --since`, never new in a mail;
//! the day's lists stay new, before and after a delivered digest.
// See: #28

use std::path::PathBuf;

use serde_json::Value;

use crate::support::{TestEnv, fixture_text};

/// A reader who follows the old papers' fields as well as the new lists'.
const CONFIG: &str = "[interests]\nkeywords = { agents = 2.0, reasoning = 1.0 }\n\
                      categories = [\"hep-ph\", \"astro-ph\", \"hep-th\"]\n[digest]\nlimit = 20\n";

/// The 200 papers of arXiv's first week in April 2007 (the real snapshot's
/// head), split in two imports.
fn old_papers(env: &TestEnv) -> (PathBuf, PathBuf, Vec<String>) {
    let text = fixture_text("arxiv-oai/snapshot_head200.jsonl");
    let lines: Vec<&str> = text.lines().collect();
    let (a, b) = lines.split_at(100);
    let ids = lines
        .iter()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            format!("arxiv:{}", v["id"].as_str().unwrap())
        })
        .collect();
    let write = |name: &str, part: &[&str]| env.write(name, part.join("\n") + "\n");
    (write("old-a.jsonl", a), write("old-b.jsonl", b), ids)
}

fn digest(env: &TestEnv, cfg: &PathBuf) -> Value {
    let out = env
        .cmd(["--config"])
        .arg(cfg)
        .args(["digest", "--format", "json"])
        .run();
    out.success();
    out.json()
}

fn listed(d: &Value) -> Vec<String> {
    ["papers", "also_popular"]
        .iter()
        .flat_map(|k| d[k].as_array().cloned().unwrap_or_default())
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_bulk_import_of_old_papers_is_never_new_in_a_digest() {
    let mut env = TestEnv::new();
    let cfg = env.write("config.toml", CONFIG);
    let (old_a, old_b, old_ids) = old_papers(&env);
    // Day 1: the reader imports half of the old papers beside the day's
    // list, then gets a first digest.
    env.set_now("2026-01-20T07:00:00Z");
    env.cmd(["ingest", "--format", "arxiv-oai"])
        .arg(&old_a)
        .run()
        .success();
    env.ingest_daily(&["hf-json/2026-01-19.json"]);
    let first = digest(&env, &cfg);
    let ids = listed(&first);
    assert!(ids.len() >= 5, "{ids:?}");
    for id in &ids {
        assert!(!old_ids.contains(id), "{id} is an old paper");
    }
    // Only the day's papers are counted as new.
    let day_papers = env.export().len() - 100;
    assert_eq!(first["counts"]["new"], day_papers, "{}", first["counts"]);
    // `explain` says why an old paper that matches a followed category is
    // not in it, and `top --since` still ranks the old papers.
    let e = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["explain", "0704.0001"])
        .run();
    e.success();
    assert!(
        e.stdout
            .contains("not news (visible 2007-04-02 19:18 UTC, first seen 2026-01-20 07:00 UTC"),
        "{}",
        e.stdout
    );
    let top = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["top", "--since", "2007-01-01", "-n", "300", "--json"])
        .run();
    top.success();
    let top_ids: Vec<String> = top
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    assert!(top_ids.iter().any(|id| old_ids.contains(id)), "{top_ids:?}");
    // The digest is delivered (printed: mail is off).
    env.cmd(["--config"])
        .arg(&cfg)
        .args(["run", "--no-fetch"])
        .run()
        .success();
    // Day 2: the other half is imported after the delivered digest, with
    // the next day's list: the next digest holds that list, no old paper.
    env.set_now("2026-01-21T07:00:00Z");
    env.cmd(["ingest", "--format", "arxiv-oai"])
        .arg(&old_b)
        .run()
        .success();
    env.ingest_daily(&["hf-json/2026-01-20.json"]);
    let second = digest(&env, &cfg);
    let ids2 = listed(&second);
    assert!(!ids2.is_empty());
    for id in &ids2 {
        assert!(!old_ids.contains(id), "{id} is an old paper");
        assert!(!ids.contains(id), "{id} was in the first digest");
    }
}

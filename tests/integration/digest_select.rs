//! What the digest's selection says is true: "Also popular" is the most
//! upvoted first, the main list leads with its most popular paper, and
//! `explain` names the real reason a popular paper is not in "Also popular".
// See: #25

use serde_json::Value;

use crate::support::TestEnv;

const DAYS: [&str; 4] = [
    "hf-json/2025-11-12.json",
    "hf-json/2026-01-02.json",
    "hf-json/2026-01-19.json",
    "hf-json/2026-01-20.json",
];

const CONFIG: &str = "[interests]\nkeywords = { agents = 2.0 }\n[digest]\nlimit = 5\n\
                      also_popular = 2\nalso_popular_min_upvotes = 10\n";

fn upvotes(list: &Value) -> Vec<u64> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|p| p["upvotes"].as_u64().unwrap_or(0))
        .collect()
}

/// The January days ingested as of 2026-01-21 07:00, the reader's config,
/// and that day's digest as JSON.
fn january_digest() -> (TestEnv, std::path::PathBuf, Value) {
    let mut env = TestEnv::new();
    env.set_now("2026-01-21T07:00:00Z");
    env.ingest_daily(&DAYS);
    let cfg = env.write("config.toml", CONFIG);
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["digest", "--format", "json"])
        .run();
    out.success();
    let d = out.json();
    (env, cfg, d)
}

#[test]
fn also_popular_is_by_upvotes_and_explain_says_who_had_more() {
    let (env, cfg, d) = january_digest();
    // The two most upvoted papers that match nothing, most first.
    assert_eq!(upvotes(&d["also_popular"]), [80, 35]);
    // A paper with the upvotes for "Also popular" that did not fit is told
    // so, with the section's size and the fewest upvotes in it.
    let listed: Vec<&str> = d["papers"]
        .as_array()
        .unwrap()
        .iter()
        .chain(d["also_popular"].as_array().unwrap())
        .filter_map(|p| p["id"].as_str())
        .collect();
    let mut full = Vec::new();
    for p in env.export() {
        let id = p["id"].as_str().unwrap();
        if p["upvotes"].as_u64().unwrap_or(0) < 10 || listed.contains(&id) {
            continue;
        }
        let e = env.cmd(["--config"]).arg(&cfg).args(["explain", id]).run();
        e.success();
        if e.stdout.contains("had enough upvotes") {
            full.push(e.stdout.lines().nth(1).unwrap_or("").to_string());
        }
    }
    assert!(
        !full.is_empty(),
        "no popular paper left out of Also popular"
    );
    for line in &full {
        assert!(
            line.contains("but the section holds 2 and 2 papers had more (the fewest: 35)"),
            "{line}"
        );
    }
}

#[test]
fn the_main_list_leads_with_its_most_upvoted_fresh_paper() {
    let (_env, _cfg, d) = january_digest();
    let papers = d["papers"].as_array().unwrap();
    let main = upvotes(&d["papers"]);
    assert!(main.len() >= 3, "{main:?}");
    // The first digest has every paper of the index in its pool: the
    // November paper with 27 upvotes (two months old) does not lead; the
    // most upvoted of this week's does, above papers that matched more.
    assert_eq!(papers[0]["id"], "arxiv:2601.10355", "{papers:?}");
    assert_eq!(main[0], *main.iter().max().unwrap(), "{main:?}");
    // The why line leaves spread to `explain`.
    for p in papers {
        assert!(!p["why"].as_str().unwrap().contains("spread"), "{p}");
    }
}

//! The visible date: a paper counts from when the reader could first see it,
//! the later of its arXiv v1 date and its first listing by a followed source.

use serde_json::Value;

use crate::support::TestEnv;

/// A real Hugging Face day: "From Code Foundation Models to Agents and
/// Applications…" (arXiv v1 2025-11-23, 119 upvotes) was put on the daily
/// list on 2025-12-02, nine days later.
const DAY: &str = "hf-json/2025-12-02.json";
const LATE: &str = "arxiv:2511.18538";
const PUBLISHED: &str = "2025-11-23T17:09:34Z";
const LISTED: &str = "2025-12-02T02:55:07.234Z";

fn paper<'a>(results: &'a [Value], id: &str) -> &'a Value {
    results
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in {results:?}"))
}

fn part(r: &Value, name: &str) -> f64 {
    r["explain"]["parts"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == name))
        .and_then(|p| p["value"].as_f64())
        .unwrap_or_else(|| panic!("no part {name} in {r}"))
}

#[test]
fn a_paper_featured_days_after_arxiv_is_fresh_from_its_listing() {
    // See: #15
    let mut env = TestEnv::new();
    env.set_now("2025-12-02T09:00:00Z");
    env.ingest(&[DAY]);
    let records = env.export();
    let late = paper(&records, LATE);
    assert_eq!(late["published"], PUBLISHED);
    assert_eq!(late["listed"], LISTED);
    // Every record of the day is listed at its `submittedOnDailyAt`.
    assert!(
        records.iter().all(|r| r["listed"].is_string()),
        "{records:?}"
    );

    // Within a 7-day window although its arXiv date is 9 days old, and
    // fresh as of its listing (6 hours at a 7-day half-life), not 0.5^(9/7).
    let cfg = env.write("config.toml", "[rank]\nmomentum_weight = 0.0\n");
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["top", "--since", "7d", "-n", "50", "--json"])
        .run();
    out.success();
    let results = out.json().as_array().cloned().unwrap_or_default();
    assert_eq!(
        results.len(),
        records.len(),
        "the whole day is in the window"
    );
    let fresh = part(paper(&results, LATE), "freshness");
    let age_days = 6.07 / 24.0;
    assert!(
        (fresh - 0.5f64.powf(age_days / 7.0)).abs() < 0.01,
        "freshness {fresh}"
    );
    assert!(fresh > 0.95, "{fresh}");

    // `search --since` filters on the same date.
    let out = env
        .cmd([
            "search",
            "code foundation models",
            "--since",
            "2025-12-01",
            "--json",
        ])
        .run();
    out.success();
    assert!(
        out.json()
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == LATE)
    );
}

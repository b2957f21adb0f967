//! `top`, `search --sort trend`, `explain` and `similar` on real Hugging Face
//! daily-papers days with a fixed clock.

use serde_json::Value;

use crate::support::TestEnv;

/// Just after the newest fixture paper (2026-01-16T18:54Z).
const AFTER_NEWEST: &str = "2026-01-21T00:00:00Z";

const HF_DAYS: [&str; 4] = [
    "hf-json/2025-11-12.json",
    "hf-json/2026-01-02.json",
    "hf-json/2026-01-19.json",
    "hf-json/2026-01-20.json",
];

fn hf_env() -> TestEnv {
    let mut env = TestEnv::new();
    env.set_now(AFTER_NEWEST);
    env.ingest(&HF_DAYS);
    env
}

/// Runs `top` with `config` and returns the JSON results.
fn top(env: &TestEnv, config: &str, extra: &[&str]) -> Vec<Value> {
    let cfg = env.write("config.toml", config);
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["top", "--since", "120d", "-n", "50", "--json"])
        .args(extra)
        .run();
    out.success();
    out.json().as_array().unwrap().clone()
}

fn ids(results: &[Value]) -> Vec<String> {
    results
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

fn position(results: &[Value], id: &str) -> Option<usize> {
    ids(results).iter().position(|i| i == id)
}

fn find<'a>(results: &'a [Value], id: &str) -> &'a Value {
    results
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in results"))
}

fn part(r: &Value, name: &str) -> f64 {
    r["explain"]["parts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no part {name} in {r}"))["value"]
        .as_f64()
        .unwrap()
}

/// The visible date: the later of `published` and `listed`.
fn date(r: &Value) -> String {
    let day = |k: &str| r[k].as_str().map(|s| s[..10].to_string());
    day("published").max(day("listed")).unwrap()
}

const NO_MOMENTUM: &str = "[rank]\nmomentum_weight = 0.0\n";

#[test]
fn shorter_half_life_moves_newer_papers_up() {
    let env = hf_env();
    // `--half-life` fixes the half-life that a long `--since` would stretch.
    let long = top(&env, NO_MOMENTUM, &["--half-life", "1000d"]);
    let short = top(&env, NO_MOMENTUM, &["--half-life", "12h"]);
    assert_eq!(long.len(), short.len());
    assert_eq!(long.len(), 27, "every fixture paper is within 120 days");
    // With a 12 h half-life the top paper is from the newest day.
    let newest = long.iter().map(date).max().unwrap();
    assert_eq!(date(&short[0]), newest);
    // With a 1000 d half-life freshness hardly matters: popularity orders.
    let pops: Vec<f64> = long.iter().map(|r| part(r, "popularity")).collect();
    assert!(
        pops[0] >= pops.iter().cloned().fold(0.0, f64::max) * 0.9,
        "{pops:?}"
    );
    // And the short half-life's top 5 are newer.
    let top5_dates = |rs: &[Value]| {
        let mut d: Vec<String> = rs.iter().take(5).map(date).collect();
        d.sort();
        d
    };
    assert!(
        top5_dates(&short) > top5_dates(&long),
        "{:?} vs {:?}",
        top5_dates(&short),
        top5_dates(&long)
    );
}

#[test]
fn explain_parts_sum_to_the_score() {
    let env = hf_env();
    let config = "[interests]\nkeywords = { reasoning = 2.0, \"agentic\" = 1.5 }\n\
                  negative = { video = 1.0 }\n";
    let results = top(&env, config, &[]);
    assert!(results.len() > 10);
    let mut saw_negative = false;
    for r in &results {
        let score = r["score"].as_f64().unwrap();
        let parts = r["explain"]["parts"].as_array().unwrap();
        let points: f64 = parts.iter().map(|p| p["points"].as_f64().unwrap()).sum();
        assert!((points - score).abs() < 1e-3, "{points} vs {score}: {r}");
        let additive: f64 = parts
            .iter()
            .filter(|p| p["name"] != "freshness")
            .map(|p| p["value"].as_f64().unwrap())
            .sum();
        assert!((additive * part(r, "freshness") - score).abs() < 1e-3);
        saw_negative |= part(r, "negative") < 0.0;
        // Matched terms say where they matched (or that they matched by
        // meaning, for a paper that names no keyword).
        for m in r["explain"]["matches"].as_array().into_iter().flatten() {
            let at = m["where"].as_str().unwrap();
            assert!(
                ["title", "abstract", "text", "by meaning"].contains(&at),
                "{m}"
            );
        }
        assert!(r["why"].as_str().is_some_and(|w| !w.is_empty()));
    }
    assert!(saw_negative, "a video paper is in the fixtures");
    let scores: Vec<f64> = results
        .iter()
        .map(|r| r["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn a_matching_paper_ranks_above_a_non_matching_one_of_similar_age() {
    let env = hf_env();
    // "reasoning" is in the title of 2601.10825 (4 upvotes) and not in
    // 2601.11000 (17 upvotes), both published on 2026-01-15/16.
    let plain = top(&env, NO_MOMENTUM, &[]);
    let interested = top(
        &env,
        &format!("{NO_MOMENTUM}[interests]\nkeywords = {{ reasoning = 2.0 }}\n"),
        &[],
    );
    let (a, b) = ("arxiv:2601.10825", "arxiv:2601.11000");
    assert!(
        position(&plain, a) > position(&plain, b),
        "upvotes order without interests"
    );
    assert!(position(&interested, a) < position(&interested, b));
    assert!(
        find(&interested, a)["why"]
            .as_str()
            .unwrap()
            .contains("\"reasoning\" (title")
    );
}

#[test]
fn upvotes_lift_but_log_scaled() {
    let env = hf_env();
    // Same day (2026-01-13): 2601.08521 has 80 upvotes, 2601.08808 has 13
    // but "Multiplex" in its title and abstract.
    let (viral, matching) = ("arxiv:2601.08521", "arxiv:2601.08808");
    let plain = top(&env, NO_MOMENTUM, &[]);
    let v = find(&plain, viral);
    let m = find(&plain, matching);
    assert_eq!(v["upvotes"], 80);
    assert_eq!(m["upvotes"], 13);
    // The lift: ln(1 + 80) for the upvotes, not 80.
    let comments = v["comments"].as_f64().unwrap_or(0.0);
    let want = 81f64.ln() + 0.5 * (1.0 + comments).ln();
    assert!((part(v, "popularity") - want).abs() < 1e-3, "{v}");
    assert!(part(v, "popularity") < 2.0 * part(m, "popularity"));
    // A strong interest match (weight 3: +6 title, +3 abstract) wins.
    let config = format!("{NO_MOMENTUM}[interests]\nkeywords = {{ multiplex = 3.0 }}\n");
    let ranked = top(&env, &config, &[]);
    assert_eq!(part(find(&ranked, matching), "interest"), 9.0);
    assert!(position(&ranked, matching) < position(&ranked, viral));
}

#[test]
fn negative_keywords_demote_and_excludes_remove() {
    let env = hf_env();
    let base = "[interests]\nkeywords = { reasoning = 2.0 }\n";
    let id = "arxiv:2601.08808"; // "Multiplex Thinking: Reasoning via …"
    let before = top(&env, &format!("{NO_MOMENTUM}{base}"), &[]);
    let demoted = top(
        &env,
        &format!("{NO_MOMENTUM}{base}negative = {{ multiplex = 2.0 }}\n"),
        &[],
    );
    let p = find(&demoted, id);
    // Title (x2) and abstract (x1) both mention it.
    assert_eq!(part(p, "negative"), -6.0);
    assert!(p["score"].as_f64() < find(&before, id)["score"].as_f64());
    assert!(position(&demoted, id) > position(&before, id));
    assert!(
        p["why"]
            .as_str()
            .unwrap()
            .contains("demoted by \"multiplex\" (title, abstract)")
    );

    let config = format!("{NO_MOMENTUM}{base}exclude = [\"multiplex\"]\n");
    let removed = top(&env, &config, &[]);
    assert_eq!(position(&removed, id), None);
    assert_eq!(removed.len(), before.len() - 1);
    let cfg = env.write("config.toml", &config);
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["explain", "2601.08808"])
        .run();
    out.success();
    assert!(
        out.stdout
            .contains("excluded by \"multiplex\" in the title"),
        "{}",
        out.stdout
    );
}

#[test]
fn explain_agrees_with_the_digest_and_says_outside_window_below_cutoff_or_included() {
    let env = hf_env();
    let cfg = env.write(
        "config.toml",
        "[interests]\nkeywords = { reasoning = 2.0 }\n[digest]\nlimit = 2\nalso_popular = 0\n",
    );
    let explain = |id: &str, date: &str| {
        let out = env
            .cmd(["--config"])
            .arg(&cfg)
            .args(["explain", id, "--json", "--date", date])
            .run();
        out.success();
        out.json()
    };
    // The first digest considers every paper: its two best are in, the
    // rest of what matches is below the cut-off.
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["digest", "--format", "json"])
        .run();
    out.success();
    let digest = out.json();
    let papers = digest["papers"].as_array().unwrap();
    assert_eq!(papers.len(), 2);
    for (i, p) in papers.iter().enumerate() {
        let e = explain(p["id"].as_str().unwrap(), "2026-01-21");
        assert_eq!(e["verdict"]["status"], "included", "{e}");
        assert_eq!(e["verdict"]["position"], i + 1);
        assert!(
            (e["score"]["total"].as_f64().unwrap() - p["score"].as_f64().unwrap()).abs() < 1e-3
        );
    }
    let cutoff = papers[1]["score"].as_f64().unwrap();
    let weak = explain("2601.11516", "2026-01-21"); // 2 upvotes, no reasoning
    assert_eq!(weak["verdict"]["status"], "not_a_match", "{weak}");
    // Deliver it (e-mail off: printed), then judge the next day: a paper
    // from 2025-11 is neither new since that digest nor fresh.
    env.cmd(["--config"])
        .arg(&cfg)
        .args(["run", "--no-fetch"])
        .run()
        .success();
    let old = explain("2511.06221", "2026-01-22");
    assert_eq!(old["verdict"]["status"], "outside_window", "{old}");
    // The delivered day still agrees with what went out.
    let first = explain(papers[0]["id"].as_str().unwrap(), "2026-01-21");
    assert_eq!(first["verdict"]["status"], "included");
    assert_eq!(first["delivered"], true);
    let below = env
        .export()
        .into_iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .filter(|id| papers.iter().all(|p| p["id"] != id.as_str()))
        .map(|id| explain(&id, "2026-01-21"))
        .find(|e| e["verdict"]["status"] == "below_cutoff")
        .expect("a matching paper below the cut-off");
    assert!(below["verdict"]["cutoff"].as_f64().unwrap() <= cutoff + 1e-3);
    // Unknown ids are a usage error.
    env.cmd(["--config"])
        .arg(&cfg)
        .args(["explain", "9999.99999"])
        .run()
        .code(2)
        .stderr_has("no paper with id");
}

#[test]
fn search_sort_trend_ranks_only_the_query_matches() {
    let env = hf_env();
    let cfg = env.write("config.toml", "[interests]\nkeywords = { agentic = 2.0 }\n");
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args([
            "search",
            "benchmark",
            "--sort",
            "trend",
            "--json",
            "-n",
            "20",
        ])
        .run();
    out.success();
    let results = out.json();
    let results = results.as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let text = format!("{} {}", r["title"], r["abstract"]).to_lowercase();
        assert!(text.contains("benchmark"), "{}", r["title"]);
        assert!(r["explain"]["parts"].is_array());
    }
    let scores: Vec<f64> = results
        .iter()
        .map(|r| r["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    // The agentic benchmarks lead.
    assert!(results[0]["title"].as_str().unwrap().contains("Agentic"));
}

#[test]
fn similar_finds_related_papers_even_with_unmerged_deletes() {
    let env = TestEnv::new();
    // The two pages overlap by 9 entries: the second ingest upserts them,
    // leaving deleted documents in the index (tantivy's MoreLikeThis panics
    // here; ours must not).
    env.ingest(&["arxiv-atom/deep_dream-0.atom.xml"]);
    env.ingest(&["arxiv-atom/deep_dream-1.atom.xml"]);
    env.ingest(&["hf-text/seed.txt"]);
    // m2mKD: its neighbours are distillation papers (a review of
    // efficient transformers, also about knowledge distillation, has
    // efficient transformers as neighbours instead).
    let out = env
        .cmd([
            "search",
            "module-to-module knowledge distillation",
            "--json",
            "-n",
            "1",
        ])
        .run();
    out.success();
    let id = out.json()[0]["id"].as_str().unwrap().to_string();
    let out = env.cmd(["similar", &id, "--json", "-n", "5"]).run();
    out.success();
    let similar = out.json();
    let similar = similar.as_array().unwrap();
    assert_eq!(similar.len(), 5);
    assert!(
        similar.iter().all(|r| r["id"] != id.as_str()),
        "itself excluded"
    );
    let distil = similar
        .iter()
        .filter(|r| {
            format!("{} {}", r["title"], r["abstract"])
                .to_lowercase()
                .contains("distil")
        })
        .count();
    assert!(distil >= 3, "{similar:?}");
    let any_dream = env.cmd(["search", "dream", "--json", "-n", "1"]).run();
    any_dream.success();
    let dream = any_dream.json()[0]["id"].as_str().unwrap().to_string();
    env.cmd(["similar", &dream, "--json"]).run().success();
}

//! Interests by meaning: on real Hugging Face days, a paper about a
//! keyword's subject that never names it matches it (and says so), an
//! unrelated paper does not, and `interests` shows what each keyword means.

use std::path::PathBuf;

use serde_json::Value;

use crate::support::{TestEnv, fixture};

const CONFIG: &str = "[interests]\nkeywords = [\"video generation\", \"robotics\", \"multimodal\", \
                      \"world models\"]\n";

/// October and November as the reader's history, then 2025-12-09, with
/// two video-editing papers that never say "video generation" and a
/// long-context paper about position embeddings.
fn december_9th() -> (TestEnv, PathBuf) {
    let mut env = TestEnv::new();
    let mut history: Vec<PathBuf> = Vec::new();
    for month in ["hf-json/2025-10", "hf-json/2025-11"] {
        let mut days: Vec<PathBuf> = std::fs::read_dir(fixture(month))
            .expect("fixture month")
            .map(|e| e.expect("entry").path())
            .collect();
        days.sort();
        history.extend(days);
    }
    env.set_now("2025-12-01T07:00:00Z");
    env.cmd(["ingest"]).args(&history).run().success();
    env.set_now("2025-12-09T07:00:00Z");
    env.ingest(&["hf-json/2025-12/2025-12-09.json"]);
    env.set_now("2025-12-09T07:05:00Z");
    let cfg = env.write("config.toml", CONFIG);
    (env, cfg)
}

fn explain(env: &TestEnv, cfg: &PathBuf, id: &str) -> String {
    let out = env.cmd(["--config"]).arg(cfg).args(["explain", id]).run();
    out.success();
    out.stdout.clone()
}

#[test]
fn a_paper_about_the_subject_matches_by_meaning_and_an_unrelated_one_does_not() {
    let (env, cfg) = december_9th();
    // "Unified Video Editing with Temporal Reasoner": video editing, never
    // "video generation".
    let editing = explain(&env, &cfg, "2512.07469");
    assert!(
        editing.contains("\"video generation\" by meaning: +"),
        "{editing}"
    );
    assert!(
        editing.contains("close to papers about it, sharing"),
        "{editing}"
    );
    // RoPE for long-context language models: close to none of them.
    let rope = explain(&env, &cfg, "2512.07525");
    assert!(!rope.contains("by meaning: +"), "{rope}");
    // explain says how close it came, and to which keyword.
    assert!(
        rope.contains("matches no keyword by meaning: closest to \""),
        "{rope}"
    );

    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["digest", "--format", "json"])
        .run();
    out.success();
    let digest: Value = out.json();
    let main: Vec<&str> = digest["papers"]
        .as_array()
        .expect("papers")
        .iter()
        .map(|p| p["id"].as_str().unwrap_or_default())
        .collect();
    assert!(main.iter().any(|id| id.ends_with("2512.07469")), "{main:?}");
    assert!(
        !main.iter().any(|id| id.ends_with("2512.07525")),
        "{main:?}"
    );
    let editing = digest["papers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"].as_str().unwrap_or_default().ends_with("2512.07469"))
        .unwrap();
    assert!(
        editing["why"]
            .as_str()
            .unwrap_or_default()
            .contains("\"video generation\" (by meaning)"),
        "{editing}"
    );
}

#[test]
fn interests_shows_what_each_keyword_means_in_words_without_the_keyword() {
    let (env, cfg) = december_9th();
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["interests", "--json"])
        .run();
    out.success();
    let entries: Value = out.json();
    let video = entries
        .as_array()
        .expect("entries")
        .iter()
        .find(|e| e["keyword"] == "video generation")
        .expect("video generation");
    let meaning = &video["meaning"];
    assert!(meaning["papers"].as_u64().unwrap_or(0) >= 10, "{video}");
    let threshold = meaning["threshold"].as_f64().unwrap_or(0.0);
    assert!(threshold > 0.0 && threshold < 1.0, "{video}");
    let words: Vec<&str> = meaning["words"]
        .as_array()
        .expect("words")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(!words.is_empty(), "{video}");
    assert!(
        words
            .iter()
            .all(|w| !w.contains("video") && !w.contains("generat")),
        "{words:?}"
    );
    assert!(
        words
            .iter()
            .any(|w| ["motion", "temporal", "diffusion", "camera"].contains(w)),
        "{words:?}"
    );

    let text = env.cmd(["--config"]).arg(&cfg).args(["interests"]).run();
    text.success();
    let text = &text.stdout;
    assert!(text.contains("by meaning: papers close to the"), "{text}");
}

#[test]
fn matching_by_meaning_needs_half_the_upvotes_also_popular_asks_for() {
    // The video-editing paper has 24 upvotes: it matches by meaning while
    // "Also popular" asks for 48 (half: 24), not when it asks for 50.
    let (env, _) = december_9th();
    for (also, matches) in [(48, true), (50, false)] {
        let cfg = env.write(
            "gate.toml",
            format!("{CONFIG}\n[digest]\nalso_popular_min_upvotes = {also}\n"),
        );
        let editing = explain(&env, &cfg, "2512.07469");
        assert_eq!(
            editing.contains("\"video generation\" by meaning: +"),
            matches,
            "also_popular_min_upvotes = {also}: {editing}"
        );
        // Close enough but short of upvotes: explain says so.
        assert_eq!(
            editing.contains("but a match by meaning needs 25 upvotes and it has 24"),
            !matches,
            "{editing}"
        );
    }
}

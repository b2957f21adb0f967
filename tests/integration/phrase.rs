//! The phrase the reader typed comes first, and hyphenated words stay whole
//! (#30), on real Hugging Face daily lists of 2025-Q4.

use crate::support::{TestEnv, fixture};

/// Every list of `fixtures/hf-json/2025-{10,11,12}/`: the 19 weekdays of
/// November 2025 and the twelve other days of 2025-Q4 that mention
/// "in-context learning".
fn q4_env() -> TestEnv {
    let env = TestEnv::new();
    let mut files = Vec::new();
    for month in ["2025-10", "2025-11", "2025-12"] {
        for entry in std::fs::read_dir(fixture(&format!("hf-json/{month}"))).unwrap() {
            files.push(entry.unwrap().path());
        }
    }
    files.sort();
    env.cmd(["ingest"]).args(&files).run().success();
    env
}

/// The words of `text` as search compares them (lowercase, stemmed; a
/// hyphen is a word break), from the library's English analyzer.
fn words(text: &str) -> Vec<String> {
    papertrend::index::analyze(text)
}

/// Whether `paper` holds `phrase`'s words in a row in its title or abstract.
fn holds(paper: &serde_json::Value, phrase: &[String]) -> bool {
    ["title", "abstract"].iter().any(|f| {
        words(paper[*f].as_str().unwrap_or_default())
            .windows(phrase.len())
            .any(|w| w == phrase)
    })
}

/// Whether `paper`'s title or abstract holds `phrase` letter for letter
/// (any case; line breaks as spaces).
fn holds_literally(paper: &serde_json::Value, phrase: &str) -> bool {
    ["title", "abstract"].iter().any(|f| {
        let text = paper[*f].as_str().unwrap_or_default().to_lowercase();
        text.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .contains(phrase)
    })
}

#[test]
fn papers_holding_the_typed_phrase_rank_above_every_paper_without_it() {
    let env = q4_env();
    for query in [
        "in-context learning",
        "fine-tuning",
        "vision-language model",
    ] {
        let out = env.cmd(["search", query, "--json", "-n", "1000"]).run();
        out.success();
        let results = out.json();
        let results = results.as_array().unwrap();
        let phrase = words(query);
        let held: Vec<bool> = results.iter().map(|p| holds(p, &phrase)).collect();
        let first_without = held.iter().position(|h| !h).unwrap_or(held.len());
        let last_with = held.iter().rposition(|h| *h).unwrap_or(0);
        let literal = results.iter().filter(|p| holds_literally(p, query)).count();
        assert!(
            literal >= 5 && held[0],
            "{query:?}: {literal} papers hold it literally"
        );
        assert!(
            last_with < first_without,
            "{query:?}: paper {last_with} holds the phrase, paper {first_without} \
             ({}) does not and ranks above it",
            results[first_without]["title"]
        );
        // Every paper holding the phrase letter for letter is in that group.
        for (i, p) in results.iter().enumerate() {
            if holds_literally(p, query) {
                assert!(held[i], "{query:?}: {}", p["title"]);
            }
        }
        // And every paper of the listings holding it was found.
        let everywhere = env.export().iter().filter(|p| holds(p, &phrase)).count();
        assert_eq!(first_without, everywhere, "{query:?}");
    }
}

#[test]
fn in_context_learning_is_not_context_learning() {
    let env = q4_env();
    let out = env
        .cmd(["search", "in-context learning", "--json", "-n", "10"])
        .run();
    out.success();
    let results = out.json();
    let results = results.as_array().unwrap();
    assert_eq!(results.len(), 10);
    let phrase = words("in-context learning");
    for p in results {
        assert!(holds(p, &phrase), "{}", p["title"]);
    }
    // "in" is kept (inside a hyphenated word it is no stop word) and the
    // phrase comes first, as `-v` says.
    let out = env
        .cmd(["-v", "search", "in-context learning", "-n", "1"])
        .run();
    out.code(0)
        .stderr_has("searched as words: in context learn\n")
        .stderr_has("papers with the phrase first: in context learn");
}

#[test]
fn with_hyphenated_compound_a_hyphenated_word_finds_its_unhyphenated_spelling() {
    // "finetuning" is the compound of "fine-tuning": one term in the index.
    let env = q4_env();
    let spelled: Vec<serde_json::Value> = env
        .export()
        .into_iter()
        .filter(|p| {
            let text = format!("{} {}", p["title"], p["abstract"]).to_lowercase();
            text.contains("finetuning") && !text.contains("fine-tun") && !text.contains("fine tun")
        })
        .collect();
    assert!(!spelled.is_empty());
    let found = |toml: &str| -> Vec<serde_json::Value> {
        let cfg = env.write("c.toml", toml);
        let out = env
            .cmd(["--config", cfg.to_str().unwrap()])
            .args(["search", "fine-tuning", "--json", "-n", "1000"])
            .run();
        out.success();
        let results = out.json();
        results
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].clone())
            .collect()
    };
    for toml in [
        "[search]\nhyphenated = \"compound\"\n",
        "[search]\nhyphenated = \"both\"\n",
    ] {
        let ids = found(toml);
        for p in &spelled {
            assert!(ids.contains(&p["id"]), "{toml}: {}", p["title"]);
        }
    }
}

#[test]
fn quoting_still_means_exactly_this_phrase() {
    let env = q4_env();
    let out = env
        .cmd(["search", "\"in-context learning\"", "--json", "-n", "1000"])
        .run();
    out.success();
    let results = out.json();
    let results = results.as_array().unwrap();
    assert!(results.len() >= 5);
    for p in results {
        let text = format!("{} {}", p["title"], p["abstract"]).to_lowercase();
        assert!(text.contains("in-context learn"), "{}", p["title"]);
    }
}

#[test]
fn explain_shows_the_phrase_part_and_the_parts_add_up() {
    let env = q4_env();
    let out = env
        .cmd([
            "search",
            "vision-language model",
            "--explain",
            "--json",
            "-n",
            "3",
        ])
        .run();
    out.success();
    let results = out.json();
    let first = &results.as_array().unwrap()[0];
    let explain = &first["explain"];
    let terms: Vec<&str> = explain["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["term"].as_str().unwrap())
        .collect();
    assert!(
        terms.contains(&"vision") && terms.contains(&"languag"),
        "{terms:?}"
    );
    let phrase = &explain["phrase"];
    assert_eq!(phrase["phrase"], "vision languag model");
    assert!(phrase["whole"].as_f64().unwrap() > 0.0);
    let sum = explain["bm25f"].as_f64().unwrap()
        + phrase["whole"].as_f64().unwrap()
        + phrase["term"].as_f64().unwrap()
        + explain["proximity"].as_f64().unwrap();
    let score = first["score"].as_f64().unwrap();
    assert!((sum - score).abs() < 1e-3 * score, "{sum} vs {score}");
    // The table lists the phrase part under the result.
    let out = env
        .cmd(["search", "vision-language model", "--explain", "-n", "1"])
        .run();
    out.success();
    assert!(out.stdout.contains("phrase"), "{}", out.stdout);
    assert!(out.stdout.contains("whole phrase"), "{}", out.stdout);
}

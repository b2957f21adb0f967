//! Regressions that only make sense against the bug they guard: each
//! test names its issue and failed before its fix.

use crate::support::TestEnv;

#[test]
fn a_huge_digest_limit_is_not_an_abort() {
    // See: #19
    let env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt"]);
    let all = env.export().len();
    let cfg = env.write(
        "big.toml",
        "[digest]\nlimit = 4294967296000\nformat = \"json\"\n",
    );
    let out = env.cmd(["--config"]).arg(&cfg).arg("run").run();
    match out.code {
        // Config maxima may refuse it up front: one clear line naming the key.
        2 => {
            out.stderr_has("digest.limit");
        }
        _ => {
            out.success();
            assert_eq!(out.json()["papers"].as_array().unwrap().len(), all);
        }
    }
}

#[test]
fn an_excluded_phrase_is_a_result_not_a_panic() {
    // See: #19 (found by the query fuzz target: tantivy's phrase scorer asserts
    // when an excluded phrase is sought backwards; a panic in debug builds).
    let env = TestEnv::new();
    env.ingest(&[
        "hf-json/2025-11/2025-11-20.json",
        "hf-json/2025-11/2025-11-21.json",
    ]);
    let all = env
        .cmd(["search", "reasoning", "-n", "200", "--json"])
        .run();
    all.success();
    let all = all.json();
    let out = env
        .cmd([
            "search",
            "reasoning -\"reasoning models\"",
            "-n",
            "200",
            "--json",
        ])
        .run();
    out.success();
    let kept = out.json();
    let has_phrase = |p: &serde_json::Value| {
        let text = format!("{} {}", p["title"], p["abstract"]).to_lowercase();
        text.contains("reasoning model")
    };
    let all = all.as_array().unwrap();
    let kept = kept.as_array().unwrap();
    assert!(all.iter().any(has_phrase), "the fixture needs the phrase");
    assert!(!kept.iter().any(has_phrase));
    assert_eq!(kept.len(), all.iter().filter(|p| !has_phrase(p)).count());
    env.cmd(["search", "learning -\"i i\" b"]).run().success();
}

//! Search, show, stats and the output formats.

use crate::support::{TestEnv, fixture};

fn seed_env() -> TestEnv {
    let env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt"]);
    env
}

fn titles(out: &crate::support::Output) -> Vec<String> {
    out.json()
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn distinctive_topics_of_the_seed_come_first() {
    let env = seed_env();
    let cases = [
        ("answer sentence selection", "Answer Sentence Selection"),
        ("Polish language model", "HerBERT"),
        ("Tunisian dialect", "TunBERT"),
        ("quantization", "Quantization"),
        // Stemming: "distilling" finds "Distillation" titles.
        ("distilling", "Distil"),
    ];
    for (query, expected) in cases {
        let out = env.cmd(["search", query, "--json", "-n", "3"]).run();
        out.success();
        let t = titles(&out);
        assert!(
            t.first().is_some_and(|t| t.contains(expected)),
            "{query:?} → {t:?}"
        );
    }
}

#[test]
fn json_results_carry_the_documented_fields() {
    let env = seed_env();
    let out = env
        .cmd(["search", "vision transformers", "--json", "-n", "5"])
        .run();
    out.success();
    let results = out.json();
    let results = results.as_array().unwrap();
    assert_eq!(results.len(), 5);
    let fields = [
        "schema_version",
        "id",
        "arxiv_id",
        "title",
        "abstract",
        "authors",
        "categories",
        "keywords",
        "published",
        "updated",
        "first_seen",
        "upvotes",
        "comments",
        "github_stars",
        "code_url",
        "url",
        "pdf_url",
        "sources",
        "score",
    ];
    for r in results {
        for f in fields {
            assert!(r.get(f).is_some(), "missing {f} in {r}");
        }
    }
    let scores: Vec<f64> = results
        .iter()
        .map(|r| r["score"].as_f64().unwrap())
        .collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "sorted by score: {scores:?}"
    );
    assert!(
        results[0]["snippet"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
}

#[test]
fn output_formats_are_well_formed() {
    let env = seed_env();
    let out = env
        .cmd(["search", "distillation", "--format", "jsonl", "-n", "4"])
        .run();
    out.success();
    assert_eq!(out.jsonl().len(), 4);
    let out = env
        .cmd(["search", "distillation", "--format", "csv", "-n", "4"])
        .run();
    out.success();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "rank,score,id,date,title,authors,categories,upvotes,url"
    );
    assert_eq!(lines.len(), 5);
    let out = env
        .cmd(["search", "distillation", "--format", "md", "-n", "2"])
        .run();
    out.success();
    assert!(out.stdout.starts_with("1. "), "{}", out.stdout);
    let out = env
        .cmd(["search", "distillation", "--format", "table", "-n", "2"])
        .run();
    out.success();
    assert!(
        out.stdout.lines().next().unwrap().starts_with("  1."),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains('\x1b'), "NO_COLOR means no escapes");
}

#[test]
fn filters_narrow_results() {
    let env = TestEnv::new();
    env.ingest(&[
        "arxiv-atom/brevio_cat_cs.LG_OR_cs.AI_max20.xml",
        "arxiv-oai/snapshot_head200.jsonl",
    ]);
    // Every brevio paper is from 2026-04-29; the snapshot head is from 2007.
    let out = env
        .cmd([
            "search",
            "model",
            "--since",
            "2026-01-01",
            "--json",
            "-n",
            "50",
        ])
        .run();
    out.success();
    let recent = out.json();
    assert!(!recent.as_array().unwrap().is_empty());
    for p in recent.as_array().unwrap() {
        assert!(
            p["published"].as_str().unwrap() >= "2026-01-01",
            "{}",
            p["published"]
        );
    }
    let out = env
        .cmd([
            "search",
            "model",
            "--until",
            "2010-01-01",
            "--json",
            "-n",
            "50",
        ])
        .run();
    out.success();
    for p in out.json().as_array().unwrap() {
        assert!(p["published"].as_str().unwrap() < "2010-01-01");
    }
    let out = env
        .cmd([
            "search",
            "quantum",
            "--category",
            "QUANT-PH",
            "--json",
            "-n",
            "50",
        ])
        .run();
    out.success();
    let hits = out.json();
    assert!(!hits.as_array().unwrap().is_empty());
    for p in hits.as_array().unwrap() {
        assert!(
            p["categories"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c == "quant-ph"),
            "{}",
            p["categories"]
        );
    }
    // By date: newest first.
    let out = env
        .cmd(["search", "the", "--sort", "date", "--json", "-n", "30"])
        .run();
    out.success();
    let dates: Vec<String> = out
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["published"].as_str().unwrap().to_string())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
}

#[test]
fn author_filter_matches_whole_names() {
    let env = TestEnv::new();
    env.ingest(&["arxiv-oai/snapshot_head200.jsonl"]);
    let export = env.export();
    let author = export
        .iter()
        .find_map(|p| {
            p["authors"]
                .as_array()
                .and_then(|a| a.first())
                .and_then(|a| a.as_str())
        })
        .unwrap()
        .to_string();
    let out = env
        .cmd(["search", "the", "--author", &author, "--json", "-n", "50"])
        .run();
    out.success();
    let hits = out.json();
    assert!(!hits.as_array().unwrap().is_empty(), "{author}");
    for p in hits.as_array().unwrap() {
        assert!(p["authors"].as_array().unwrap().iter().any(|a| {
            a.as_str()
                .unwrap()
                .contains(author.split(' ').next_back().unwrap())
        }));
    }
}

#[test]
fn query_syntax_errors_are_clear() {
    let env = seed_env();
    let out = env.cmd(["search", "title:(unbalanced"]).run();
    out.code(2);
    out.stderr_has("papertrend: error: invalid query")
        .stderr_has("hint: ");
    assert!(!out.stderr.contains("panicked"));
    let out = env.cmd(["search", "nosuchfield:x"]).run();
    out.code(2);
}

#[test]
fn searching_before_any_ingest_says_what_to_do() {
    let env = TestEnv::new();
    let out = env.cmd(["search", "bert"]).run();
    out.code(1);
    out.stderr_has("no index here yet")
        .stderr_has("hint: ingest something first");
}

#[test]
fn show_prints_one_record_and_unknown_ids_fail() {
    let env = TestEnv::new();
    env.ingest(&["arxiv-rss/arxiv_cs_lg.xml"]);
    let first = env.export()[0].clone();
    let id = first["id"].as_str().unwrap();
    let out = env.cmd(["show", id, "--json"]).run();
    out.success();
    assert_eq!(out.json(), first);
    let out = env.cmd(["show", id, "--format", "table"]).run();
    out.success();
    // The card wraps long values under themselves.
    let flat = out.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(first["title"].as_str().unwrap()),
        "{}",
        out.stdout
    );
    env.cmd(["show", "arxiv:0000.00000"])
        .run()
        .code(2)
        .stderr_has("no paper with id");
}

#[test]
fn stats_counts_papers_and_sources() {
    let env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt", "arxiv-rss/arxiv_cs_ai.xml"]);
    let out = env.cmd(["stats", "--json"]).run();
    out.success();
    let s = out.json();
    assert_eq!(s["papers"], 189 + 3);
    assert_eq!(s["sources"]["hf-text"], 189);
    assert_eq!(s["sources"]["arxiv-rss"], 3);
    let _ = fixture("hf-text/seed.txt");
}

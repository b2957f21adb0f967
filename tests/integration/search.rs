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
    // What is not valid syntax is searched as its words (see r16_*); only
    // a query nested too deep is refused.
    let env = seed_env();
    let out = env.cmd(["search", "title:(unbalanced"]).run();
    out.code(0);
    out.stderr_has("no papers match");
    assert!(!out.stderr.contains("panicked"));
    let deep = format!("{}bert{}", "(".repeat(33), ")".repeat(33));
    let out = env.cmd(["search", deep.as_str()]).run();
    out.code(2);
    out.stderr_has("papertrend: error: invalid query")
        .stderr_has("parentheses nest more than 32 deep")
        .stderr_has("hint: ");
}

fn scifact_env() -> TestEnv {
    let env = TestEnv::new();
    env.ingest(&["scifact/corpus-sample.jsonl"]);
    env
}

#[test]
fn pasted_claims_search_as_their_words() {
    // See: #16
    let env = scifact_env();
    // SciFact test claims that were syntax errors (apostrophes, a spaced
    // hyphen, a colon after a word that is not a field, `(+)-`), each with a
    // word a paper about it has in its title.
    let cases = [
        (
            "The minor G allele of FOXO3 is related to more severe symptoms of Crohn's Disease.",
            "crohn",
        ),
        (
            "Macropinocytosis contributes to a cell's supply of amino acids via the intracellular uptake of protein.",
            "macropinocytosis",
        ),
        (
            "Transplanted human glial progenitor cells are incapable of forming a neural network with host animals' neurons.",
            "neural",
        ),
        (
            "Pyridostatin destabilizes the G - quadruplex in the telomeric region.",
            "quadruplex",
        ),
        (
            "The ureABIEFGH gene cluster encodes urease maturation proteins : UreD/UreH, UreE, UreF, and UreG.",
            "urease",
        ),
        (
            "A high microerythrocyte count raises vulnerability to severe anemia in homozygous alpha (+)- thalassemia trait subjects.",
            "thalassemia",
        ),
        (
            "Commelina yellow mottle virus' (ComYMV) genome consists of 7489 baise pairs.",
            "mottle",
        ),
        (
            "The relationship between a breast cancer patient's capacity to metabolize tamoxifen and treatment outcome is dependent on the patient's genetic make-up.",
            "tamoxifen",
        ),
        (
            "The arm density of TatAd complexes is due to structural rearrangements within Class1 TatAd complexes such as the 'charge zipper mechanism'.",
            "charge zipper",
        ),
    ];
    for (claim, word) in cases {
        let out = env.cmd(["search", claim, "--json", "-n", "3"]).run();
        out.success();
        let t = titles(&out);
        assert!(
            t.iter().any(|t| t.to_lowercase().contains(word)),
            "{claim:?} → {t:?}"
        );
    }
}

#[test]
fn verbose_says_how_the_text_was_read() {
    // See: #16
    let env = scifact_env();
    let out = env.cmd(["-v", "search", "title:(urease", "--json"]).run();
    out.code(0);
    out.stderr_has("is not valid query syntax")
        .stderr_has("searched as words: titl ureas");
    assert!(!titles(&out).is_empty());
    let out = env.cmd(["-v", "search", "proteins : UreD", "--json"]).run();
    out.code(0);
    out.stderr_has("searched as words: protein ure");
    let out = env.cmd(["-v", "search", "title:urease", "--json"]).run();
    out.code(0);
    out.stderr_has("searched as query syntax");
}

#[test]
fn unmistakable_syntax_keeps_its_meaning() {
    // See: #16
    let env = scifact_env();
    // field: for a field that exists
    let out = env
        .cmd(["search", "title:thalassemia", "--json", "-n", "20"])
        .run();
    out.success();
    let t = titles(&out);
    assert!(!t.is_empty());
    assert!(
        t.iter().all(|t| t.to_lowercase().contains("thalassemia")),
        "{t:?}"
    );
    // a leading - excludes, a "quoted phrase" is a phrase
    let out = env
        .cmd([
            "search",
            "\"amino acid\" -macropinocytosis",
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
        assert!(
            text.contains("amino acid") && !text.contains("macropinocytosis"),
            "{r}"
        );
    }
    // a word followed by a colon that is not a field is a word
    let out = env
        .cmd(["search", "nosuchfield:thalassemia", "--json", "-n", "1"])
        .run();
    out.success();
    assert!(titles(&out)[0].to_lowercase().contains("thalassemia"));
}

#[test]
fn deep_queries_and_huge_limits_are_usage_errors() {
    // See: #16
    let env = scifact_env();
    let deep = format!("{}cancer{}", "(".repeat(10_000), ")".repeat(10_000));
    let out = env.cmd(["search", deep.as_str()]).run();
    out.code(2);
    out.stderr_has("parentheses nest more than 32 deep");
    assert!(!out.stderr.contains("overflow"));
    let id = "scifact:40913091";
    for args in [
        vec!["search", "anemia", "--limit", "18446744073709551615"],
        vec!["similar", id, "--limit", "18446744073709551615"],
        vec!["top", "--limit", "18446744073709551615"],
        vec!["search", "anemia", "-n", "0"],
        vec!["similar", id, "-n", "10001"],
    ] {
        let out = env.cmd(&args).run();
        out.code(2);
        out.stderr_has("1..=10000");
        assert!(!out.stderr.contains("panicked"), "{args:?}");
    }
    let out = env.cmd(["similar", id, "-n", "10000", "--json"]).run();
    out.success();
    // Every other paper that shares a distinctive term, never the paper itself.
    let similar = out.json();
    let similar = similar.as_array().unwrap();
    assert!(
        similar.len() > 3 && similar.len() < 118,
        "{}",
        similar.len()
    );
    assert!(similar.iter().all(|r| r["id"] != id));
}

#[test]
fn explain_lists_matched_terms_per_field() {
    // See: #16
    let env = scifact_env();
    let out = env
        .cmd([
            "search",
            "urease gene cluster",
            "--explain",
            "--json",
            "-n",
            "3",
        ])
        .run();
    out.success();
    let results = out.json();
    let first = &results.as_array().unwrap()[0];
    let matches = first["explain"]["matches"].as_array().unwrap();
    let has = |term: &str, field: &str| {
        matches
            .iter()
            .any(|m| m["term"] == term && m["field"] == field && m["tf"].as_u64() > Some(0))
    };
    assert!(
        has("ureas", "title") && has("ureas", "abstract"),
        "{matches:?}"
    );
    // With the phrase part (the title holds "urease gene cluster"), the
    // parts add up to the score.
    let phrase = &first["explain"]["phrase"];
    let sum: f64 = matches
        .iter()
        .map(|m| m["score"].as_f64().unwrap())
        .sum::<f64>()
        + phrase["whole"].as_f64().unwrap()
        + phrase["term"].as_f64().unwrap();
    let score = first["score"].as_f64().unwrap();
    assert!(
        (sum - score).abs() < 1e-3 * score.max(1.0),
        "{sum} vs {score}"
    );
}

#[test]
fn search_scoring_keys_are_checked() {
    // See: #16
    let env = scifact_env();
    for (toml, key) in [
        ("[search]\nb = 1.5\n", "search.b"),
        ("[search]\nlimit = 100000\n", "search.limit"),
        ("[search]\nk1 = -1\n", "search.k1"),
        ("[search]\nfeedback_weight = 2\n", "search.feedback_weight"),
        ("[digest]\nlimit = 18446744073709551615\n", "digest.limit"),
    ] {
        let cfg = env.write("c.toml", toml);
        let out = env
            .cmd(["--config", cfg.to_str().unwrap(), "search", "anemia"])
            .run();
        out.code(2);
        out.stderr_has(key);
    }
    // A valid tuning changes the scores.
    let base = env.cmd(["search", "anemia", "--json", "-n", "1"]).run();
    let cfg = env.write("c.toml", "[search]\nk1 = 2.0\nb = 0.3\n");
    let tuned = env
        .cmd([
            "--config",
            cfg.to_str().unwrap(),
            "search",
            "anemia",
            "--json",
            "-n",
            "1",
        ])
        .run();
    tuned.success();
    assert_ne!(base.json()[0]["score"], tuned.json()[0]["score"]);
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

#[test]
fn stats_on_a_fresh_data_dir_reports_zero_papers() {
    // See: #18
    let env = TestEnv::new();
    let out = env.cmd(["stats", "--json"]).run();
    out.success();
    assert_eq!(out.json()["papers"], 0);
}

#[test]
fn colour_follows_the_environment_conventions() {
    let env = seed_env();
    let table = |vars: &[(&str, &str)], extra: &[&str]| {
        let mut run = env.cmd(["search", "distillation", "--format", "table", "-n", "2"]);
        for (k, v) in vars {
            run = run.env(k, v);
        }
        let out = run.args(extra).run();
        out.success();
        out.stdout.contains('\x1b')
    };
    // Into a pipe: plain, unless CLICOLOR_FORCE asks for colour.
    assert!(!table(&[("NO_COLOR", "")], &[]));
    assert!(table(&[("NO_COLOR", ""), ("CLICOLOR_FORCE", "1")], &[]));
    // NO_COLOR wins over CLICOLOR_FORCE; --color never over both.
    assert!(!table(&[("CLICOLOR_FORCE", "1")], &[]));
    assert!(!table(
        &[("NO_COLOR", ""), ("CLICOLOR_FORCE", "1")],
        &["--color", "never"]
    ));
    assert!(table(&[], &["--color", "always"]));
}

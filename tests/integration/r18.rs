//! Issue #18: a first run that cannot go wrong, a terminal that reads well
//! at 80 columns, one voice for errors, and bulk ingest that goes on.

use std::path::Path;

use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use crate::support::{TestEnv, fixture};

/// Just after the newest Hugging Face fixture paper.
const AFTER_NEWEST: &str = "2026-01-21T00:00:00Z";

/// Runs papertrend in `env` on a pseudo-terminal (Python's `pty`, as the
/// SMTP tests already need Python 3) and returns what the terminal showed:
/// stdout and stderr together. No `--data-dir` is added.
fn on_terminal(env: &TestEnv, args: &[&str]) -> (i32, String) {
    let out = env
        .isolated("python3")
        .arg("-c")
        .arg("import os, pty, sys; st = pty.spawn(sys.argv[1:]); sys.exit(os.waitstatus_to_exitcode(st))")
        .arg(env!("CARGO_BIN_EXE_papertrend"))
        .args(args)
        .env("TERM", "dumb")
        .output()
        .expect("run python3 pty");
    let text = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
    (out.status.code().unwrap_or(-1), text)
}

/// The display width of the widest line.
fn widest(text: &str) -> usize {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// A copy of the demo (config.example.toml and the seed dump it names) in
/// the test's folder; returns the config path.
fn demo_copy(env: &TestEnv) -> std::path::PathBuf {
    let seed = env.path("demo/fixtures/hf-text/seed.txt");
    std::fs::create_dir_all(seed.parent().unwrap()).unwrap();
    std::fs::copy(fixture("hf-text/seed.txt"), &seed).unwrap();
    env.write(
        "demo/config.example.toml",
        include_str!("../../config.example.toml"),
    )
}

#[test]
fn r18_the_demo_keeps_to_its_own_data_dir_and_repeats() {
    // See: #18
    let env = TestEnv::new();
    let demo = demo_copy(&env);
    let demo = demo.to_str().unwrap();
    let (code, first) = on_terminal(&env, &["run", "--force", "--config", demo]);
    assert_eq!(code, 0, "{first}");
    // On a terminal: the text rendering, not raw Markdown (#26).
    assert!(
        first.contains("Trending papers - 2026-11-27\n-----"),
        "{first}"
    );
    assert!(!first.contains("## 1. "), "{first}");
    let (code, second) = on_terminal(&env, &["run", "--force", "--config", demo]);
    assert_eq!(code, 0, "{second}");
    assert_eq!(first, second, "the demo behaves the same both times");
    assert!(env.path("demo/demo-data/index").is_dir());
    assert!(
        !env.path("home/.local/share/papertrend").exists(),
        "the demo wrote into the reader's own data dir"
    );
    // The reader's own config afterwards: the first own run sends today's digest.
    // Without a terminal on stdin, `config init` writes the template.
    let init = env
        .isolated(env!("CARGO_BIN_EXE_papertrend"))
        .args(["config", "init"])
        .output()
        .unwrap();
    assert!(init.status.success(), "{init:?}");
    let own = env.path("home/.config/papertrend/config.toml");
    let text = std::fs::read_to_string(&own).unwrap();
    let seed = env.path("demo/fixtures/hf-text/seed.txt");
    std::fs::write(
        &own,
        format!("{text}\n[[sources]]\nname = \"mine\"\nkind = \"file\"\npath = {seed:?}\n"),
    )
    .unwrap();
    let (code, mine) = on_terminal(&env, &["run"]);
    assert_eq!(code, 0, "{mine}");
    assert!(mine.contains("Trending papers - 2026-11-27"), "{mine}");
    assert!(mine.contains("\n1. "), "{mine}");
}

#[test]
fn r18_a_second_run_says_so_on_a_terminal_only() {
    // See: #18
    let env = TestEnv::new();
    let demo = demo_copy(&env);
    let demo = demo.to_str().unwrap();
    let (code, _) = on_terminal(&env, &["run", "--config", demo]);
    assert_eq!(code, 0);
    let (code, again) = on_terminal(&env, &["run", "--config", demo]);
    assert_eq!(code, 0);
    assert_eq!(
        again.trim(),
        "papertrend: the digest for 2026-11-27 was already delivered; nothing to do \
         (--force delivers it again)"
    );
    // Cron: stderr is not a terminal, so nothing at all.
    let cron = env
        .isolated(env!("CARGO_BIN_EXE_papertrend"))
        .args(["run", "--config", demo])
        .output()
        .unwrap();
    assert_eq!(cron.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&cron.stderr), "");
    assert_eq!(String::from_utf8_lossy(&cron.stdout), "");
}

#[test]
fn r18_run_without_a_config_is_a_usage_error() {
    // See: #18
    let env = TestEnv::new();
    let out = env.cmd(["run"]).run();
    out.code(2);
    assert_eq!(
        out.stderr,
        format!(
            "papertrend: error: no config at {}; run `papertrend config init`\n",
            env.path("home/.config/papertrend/config.toml").display()
        )
    );
    assert_eq!(out.stdout, "");
}

#[test]
fn r18_config_init_has_no_demo_source_and_check_reports_a_missing_file() {
    // See: #18
    let env = TestEnv::new();
    env.cmd(["config", "init"]).run().success();
    let path = env.path("home/.config/papertrend/config.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("\ndata_dir = "), "{text}");
    assert!(text.contains("# [[sources]]\n# name = \"seed\""), "{text}");
    let out = env.cmd(["config", "check"]).run();
    out.success();
    assert!(
        out.stdout.contains("[interests.keywords]"),
        "{}",
        out.stdout
    );
    let cfg = env.write(
        "c.toml",
        "[[sources]]\nname = \"seed\"\nkind = \"file\"\npath = \"no/such/seed.txt\"\n",
    );
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["config", "check"])
        .run();
    out.code(2);
    let missing = env.path("no/such/seed.txt");
    out.stderr_has(&format!(
        "papertrend: error: {}: source \"seed\": {} does not exist\nhint: ",
        cfg.display(),
        missing.display()
    ));
}

#[test]
fn r18_keywords_as_a_list_nan_weights_and_huge_limits() {
    // See: #18
    let env = TestEnv::new();
    let cfg = env.write(
        "c.toml",
        "[interests]\nkeywords = [\"reasoning\", \"agents\"]\n",
    );
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["config", "check"])
        .run();
    out.success();
    assert!(out.stdout.contains("agents = 1.0"), "{}", out.stdout);
    assert!(out.stdout.contains("reasoning = 1.0"), "{}", out.stdout);
    for (toml, want) in [
        (
            "[search]\ntitle_boost = nan\n",
            "`search.title_boost` is NaN",
        ),
        (
            "[digest]\nlimit = 4294967296000\n",
            "`digest.limit` is 4294967296000; it must be between 1 and 1000",
        ),
    ] {
        let cfg = env.write("bad.toml", toml);
        let out = env
            .cmd(["--config"])
            .arg(&cfg)
            .args(["config", "check"])
            .run();
        out.code(2).stderr_has(want);
        assert_eq!(out.stdout, "");
    }
}

/// The seed dump, searched in a table at `width` columns.
fn seed_search(env: &TestEnv, width: &str) -> String {
    let out = env
        .cmd([
            "search",
            "in-context learning",
            "-n",
            "5",
            "--format",
            "table",
        ])
        .args(["--width", width])
        .run();
    out.success();
    out.stdout
}

#[test]
fn r18_search_fits_80_columns_with_rank_title_date_and_id_first() {
    // See: #18
    let env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt"]);
    let table = seed_search(&env, "80");
    assert!(widest(&table) <= 80, "{table}");
    let hits = env
        .cmd(["search", "in-context learning", "-n", "5", "--json"])
        .run()
        .json();
    let first = &hits[0];
    let lines: Vec<&str> = table.lines().collect();
    // Rank and title first, then the date and the id: no score.
    assert!(lines[0].starts_with("  1. "), "{table}");
    let title = first["title"].as_str().unwrap();
    let shown = lines[0][5..].trim_end_matches('…');
    assert!(title.starts_with(shown), "{shown:?} vs {title:?}");
    let id = first["id"].as_str().unwrap();
    assert_eq!(lines[1], format!("     2026-11-27 · {id}"));
    assert!(!table.contains("score"), "{table}");
    // The snippet is cut at words, with an ellipsis, and wrapped under the title.
    let snippet: Vec<&str> = lines[2..]
        .iter()
        .take_while(|l| !l.starts_with("  2. "))
        .copied()
        .collect();
    assert!(snippet.len() >= 2, "{table}");
    let abstract_words: Vec<&str> = first["abstract"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .collect();
    for line in &snippet {
        assert!(line.starts_with("     "), "{line:?}");
        for w in line.split_whitespace() {
            let w = w.trim_matches('…');
            assert!(
                w.is_empty() || abstract_words.contains(&w),
                "{w:?} is not a whole word of the abstract"
            );
        }
    }
    // --wide adds the score and the full id; COLUMNS narrows the table.
    let wide = env
        .cmd([
            "search",
            "in-context learning",
            "-n",
            "5",
            "--format",
            "table",
            "--wide",
        ])
        .run();
    wide.success();
    // (The first title may wrap: the date line follows it.)
    assert!(
        wide.stdout
            .lines()
            .find(|l| l.starts_with("     2026-11-27 · "))
            .is_some_and(|l| l.contains(" · score ")),
        "{}",
        wide.stdout
    );
    let narrow = env
        .cmd([
            "search",
            "in-context learning",
            "-n",
            "5",
            "--format",
            "table",
        ])
        .env("COLUMNS", "50")
        .run();
    narrow.success();
    assert!(widest(&narrow.stdout) <= 50, "{}", narrow.stdout);
}

#[test]
fn r18_show_wraps_cjk_text_in_display_columns() {
    // See: #18
    let env = TestEnv::new();
    let title = "大规模语言模型的推理能力研究：一种新的评估框架与基准测试方法";
    let rec = serde_json::json!({
        "id": "cjk:1",
        "title": title,
        "abstract": "本文提出一种新的评估框架，用于系统地衡量大规模语言模型在数学、逻辑与常识推理任务上的能力。",
        "authors": ["王伟", "李娜"],
    });
    env.cmd(["ingest", "-"])
        .stdin(format!("{rec}\n"))
        .run()
        .success();
    let out = env
        .cmd(["show", "cjk:1", "--format", "table", "--width", "40"])
        .run();
    out.success();
    assert!(widest(&out.stdout) <= 40, "{}", out.stdout);
    // The whole title is there, over several lines of the card.
    let mut lines = out.stdout.lines().skip_while(|l| !l.starts_with("title"));
    let first = lines.next().unwrap();
    let title_lines: String = std::iter::once(first)
        .chain(lines.take_while(|l| l.starts_with("            ")))
        .map(|l| l[12..].trim())
        .collect();
    assert!(
        out.stdout
            .lines()
            .filter(|l| l.starts_with("            "))
            .count()
            >= 2
    );
    assert_eq!(title_lines, title, "{}", out.stdout);
}

#[test]
fn r18_top_explain_and_trends_header_wrap_to_the_width() {
    // See: #18
    let mut env = TestEnv::new();
    env.set_now(AFTER_NEWEST);
    // Papers count from their listing day: the December and early-January
    // lists are the baseline the trends header speaks of.
    env.ingest(&[
        "hf-json/2025-12-02.json",
        "hf-json/2026-01-02.json",
        "hf-json/2026-01-19.json",
        "hf-json/2026-01-20.json",
    ]);
    let cfg = env.write(
        "c.toml",
        "[interests]\nkeywords = { reasoning = 2.0, \"reinforcement learning\" = 1.5, agents = 1.0 }\n",
    );
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args([
            "top",
            "--explain",
            "-n",
            "3",
            "--format",
            "table",
            "--width",
            "80",
        ])
        .run();
    out.success();
    assert!(widest(&out.stdout) <= 80, "{}", out.stdout);
    // Every explain detail is shown whole (wrapped, not cut).
    let json = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["top", "--explain", "-n", "3", "--json"])
        .run()
        .json();
    let flat = out.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    for paper in json.as_array().unwrap() {
        for part in paper["explain"]["parts"].as_array().unwrap() {
            for d in part["detail"].as_array().unwrap() {
                let d = d
                    .as_str()
                    .unwrap()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                assert!(flat.contains(&d), "{d:?} missing from\n{}", out.stdout);
            }
        }
    }
    let out = env.cmd(["trends", "--width", "60"]).run();
    out.success();
    let header: Vec<&str> = out
        .stdout
        .lines()
        .take_while(|l| !l.starts_with("  "))
        .collect();
    assert!(header.len() >= 2, "{}", out.stdout);
    assert!(header.iter().all(|l| l.width() <= 60), "{}", out.stdout);
    assert!(header.concat().contains("against the"), "{}", out.stdout);
}

#[test]
fn r18_ingest_leaves_a_summary_on_a_terminal() {
    // See: #18
    let env = TestEnv::new();
    let seed = fixture("hf-text/seed.txt");
    let data = env.data_dir();
    let (code, shown) = on_terminal(
        &env,
        &[
            "--data-dir",
            data.to_str().unwrap(),
            "ingest",
            seed.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{shown}");
    let line = shown.lines().last().unwrap_or_default();
    assert!(
        line.starts_with(
            "papertrend: 189 papers: 189 added, 0 updated, 0 unchanged, 0 skipped in "
        ),
        "{shown}"
    );
    assert!(line.ends_with(" s"), "{shown}");
}

#[test]
fn r18_unknown_ids_are_one_usage_error() {
    // See: #18
    let env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt"]);
    for cmd in ["show", "similar", "explain"] {
        let out = env.cmd([cmd, "nope:1"]).run();
        out.code(2);
        assert_eq!(
            out.stderr, "papertrend: error: no paper with id \"nope:1\" in the index\n",
            "{cmd}"
        );
    }
}

#[test]
fn r18_argument_errors_are_one_line_and_a_hint() {
    // See: #18
    let env = TestEnv::new();
    let out = env.cmd(["search", "x", "--since", "soon"]).run();
    out.code(2);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert!(
        lines[0].starts_with("papertrend: error: invalid value 'soon' for '--since <WHEN>'"),
        "{}",
        out.stderr
    );
    assert!(lines.len() <= 2, "{}", out.stderr);
    let out = env.cmd(["serch", "x"]).run();
    out.code(2);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(
        lines[0],
        "papertrend: error: unrecognized subcommand 'serch'"
    );
    assert!(
        lines[1].starts_with("hint: ") && lines[1].contains("'search'"),
        "{}",
        out.stderr
    );
    assert_eq!(lines.len(), 2, "{}", out.stderr);
    let out = env.cmd(["ingest"]).run();
    out.code(2);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", out.stderr);
    assert!(
        lines[1].starts_with("hint: usage: papertrend ingest"),
        "{}",
        out.stderr
    );
    // Help is still help.
    env.cmd(["search", "--help"]).run().success();
}

#[test]
fn r18_stats_on_a_fresh_data_dir_reports_zero_papers() {
    // See: #18
    let env = TestEnv::new();
    let out = env.cmd(["stats", "--json"]).run();
    out.success();
    assert_eq!(out.json()["papers"], 0);
}

#[test]
fn r18_a_reversed_date_range_is_a_usage_error() {
    // See: #18
    let env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt"]);
    let out = env
        .cmd([
            "search",
            "learning",
            "--since",
            "2026-03-31",
            "--until",
            "2026-03-01",
        ])
        .run();
    out.code(2).stderr_has("the range is reversed");
    assert_eq!(out.stdout, "");
}

#[test]
fn r18_trends_takes_every_listing_format() {
    // See: #18
    let mut env = TestEnv::new();
    env.set_now(AFTER_NEWEST);
    env.ingest(&["hf-json/2026-01-19.json", "hf-json/2026-01-20.json"]);
    let json = env.cmd(["trends", "--format", "json"]).run();
    json.success();
    let topics = json.json()["topics"].as_array().unwrap().len();
    assert!(topics > 0);
    let jsonl = env.cmd(["trends", "--format", "jsonl"]).run();
    jsonl.success();
    assert_eq!(jsonl.jsonl().len(), topics);
    let csv = env.cmd(["trends", "--format", "csv"]).run();
    csv.success();
    assert_eq!(
        csv.stdout.lines().next(),
        Some("phrase,aliases,window,baseline,expected,score")
    );
    assert_eq!(csv.stdout.lines().count(), topics + 1);
    let md = env.cmd(["trends", "--format", "md"]).run();
    md.success();
    assert_eq!(md.stdout.lines().count(), topics + 2);
    let table = env.cmd(["trends", "--format", "table"]).run();
    table.success();
    assert!(table.stdout.starts_with("No baseline") || table.stdout.starts_with("Rising"));
}

#[test]
fn r18_a_category_filter_on_papers_without_categories_says_why() {
    // See: #18
    let env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt"]);
    let out = env.cmd(["search", "learning", "--category", "cs.CL"]).run();
    out.code(0);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr
            .matches("hint: no paper in the index has categories")
            .count(),
        1,
        "{}",
        out.stderr
    );
    // With categorised papers the plain "no papers match" stays alone.
    let env = TestEnv::new();
    env.ingest(&["arxiv-rss/arxiv_cs_cl.xml"]);
    let out = env
        .cmd(["search", "learning", "--category", "q-bio.XX"])
        .run();
    out.code(0);
    assert_eq!(out.stderr, "papertrend: no papers match \"learning\"\n");
}

/// How many papers the index holds.
fn count(env: &TestEnv) -> u64 {
    env.cmd(["stats", "--json"]).run().json()["papers"]
        .as_u64()
        .unwrap()
}

#[test]
fn r18_one_bad_file_does_not_stop_the_rest() {
    // See: #18
    let env = TestEnv::new();
    let bad = env.write("bad.json", b"\x00\x01\x02 not a listing");
    let out = env
        .cmd(["ingest"])
        .arg(fixture("hf-json/2026-01-19.json"))
        .arg(&bad)
        .arg(env.path("missing.json"))
        .arg(fixture("hf-json/2026-01-20.json"))
        .run();
    out.code(3);
    out.stderr_has(&format!(
        "papertrend: warning: {}: unrecognised format",
        bad.display()
    ))
    .stderr_has("missing.json: no such file or directory")
    .stderr_has("; 2 files could not be read");
    let alone = TestEnv::new();
    alone.ingest(&["hf-json/2026-01-19.json", "hf-json/2026-01-20.json"]);
    assert_eq!(count(&env), count(&alone));
    // Only bad files: the error is the command's, as before.
    let out = TestEnv::new().cmd(["ingest"]).arg(&bad).run();
    out.code(2).stderr_has("unrecognised format");
}

#[test]
fn r18_gzip_and_directories_are_read() {
    // See: #18
    use std::io::Write;
    let env = TestEnv::new();
    let dir = env.path("listings/2026");
    std::fs::create_dir_all(&dir).unwrap();
    let plain = std::fs::read(fixture("hf-json/2026-01-19.json")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&plain).unwrap();
    std::fs::write(dir.join("2026-01-19.json.gz"), gz.finish().unwrap()).unwrap();
    std::fs::copy(
        fixture("hf-json/2026-01-20.json"),
        dir.join("2026-01-20.json"),
    )
    .unwrap();
    std::fs::write(env.path("listings/.hidden"), b"\x00junk").unwrap();
    let out = env.cmd(["ingest"]).arg(env.path("listings")).run();
    out.code(2).stderr_has("is a directory; pass -r");
    env.cmd(["ingest", "-r"])
        .arg(env.path("listings"))
        .run()
        .success();
    let alone = TestEnv::new();
    alone.ingest(&["hf-json/2026-01-19.json", "hf-json/2026-01-20.json"]);
    assert_eq!(count(&env), count(&alone));
    assert!(count(&env) > 0);
    let _: Option<&Path> = None;
    let _: Option<Value> = None;
}

//! The digest as a reader sees it, on real Hugging Face days: only papers
//! that match in the main list, "Also popular" apart, catch-up days, no
//! mail on an empty day, time travel, and the wording of every format.

use std::path::PathBuf;

use serde_json::Value;

use crate::support::TestEnv;

/// Just after the newest fixture day.
const NOW: &str = "2026-01-21T07:00:00Z";

const HF_DAYS: [&str; 4] = [
    "hf-json/2025-11-12.json",
    "hf-json/2026-01-02.json",
    "hf-json/2026-01-19.json",
    "hf-json/2026-01-20.json",
];

fn env_with(config: &str) -> (TestEnv, PathBuf) {
    let mut env = TestEnv::new();
    env.set_now(NOW);
    env.ingest_daily(&HF_DAYS);
    let cfg = env.write("config.toml", config);
    (env, cfg)
}

const AGENTS: &str = "[interests]\nkeywords = { agents = 2.0 }\n[digest]\nlimit = 5\n\
                      also_popular = 2\nalso_popular_min_upvotes = 10\n";

fn digest_json(env: &TestEnv, cfg: &PathBuf, extra: &[&str]) -> Value {
    let out = env
        .cmd(["--config"])
        .arg(cfg)
        .args(["digest", "--format", "json"])
        .args(extra)
        .run();
    out.success();
    out.json()
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect()
}

fn export_by_id(env: &TestEnv) -> std::collections::HashMap<String, Value> {
    env.export()
        .into_iter()
        .map(|p| (p["id"].as_str().unwrap().to_string(), p))
        .collect()
}

#[test]
fn papers_that_match_nothing_go_to_also_popular_never_the_main_list() {
    // See: #15
    let (env, cfg) = env_with(AGENTS);
    let d = digest_json(&env, &cfg, &[]);
    let all = export_by_id(&env);
    let main = ids(&d["papers"]);
    assert!(!main.is_empty());
    for id in &main {
        let p = &all[id];
        let text = format!("{} {}", p["title"], p["abstract"]).to_lowercase();
        assert!(
            text.contains("agent"),
            "{id} in the main list matches nothing"
        );
    }
    // The most upvoted paper (80) matches nothing: it is "also popular".
    let popular = ids(&d["also_popular"]);
    assert_eq!(popular.len(), 2);
    assert!(
        popular.contains(&"arxiv:2601.08521".to_string()),
        "{popular:?}"
    );
    for id in &popular {
        assert!(all[id]["upvotes"].as_u64().unwrap() >= 10);
        let text = format!("{} {}", all[id]["title"], all[id]["abstract"]).to_lowercase();
        assert!(!text.contains("agent"), "{id} matches an interest");
    }
    assert!(!main.contains(&"arxiv:2601.08521".to_string()));
    let md = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["digest", "--format", "md"])
        .run();
    md.success();
    let (main_part, popular_part) = md.stdout.split_once("## Also popular").unwrap();
    assert!(!main_part.contains("Your Group-Relative Advantage Is Biased"));
    assert!(popular_part.contains("Your Group-Relative Advantage Is Biased"));
    assert!(popular_part.contains("matching none of your interests"));
    // explain says the same.
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["explain", "2601.08521"])
        .run();
    out.success();
    assert!(
        out.stdout.contains("under \"Also popular\": #"),
        "{}",
        out.stdout
    );
    // With the section off, it is explained as not a match.
    let cfg = env.write(
        "config.toml",
        AGENTS.replace("also_popular = 2", "also_popular = 0"),
    );
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["explain", "2601.08521"])
        .run();
    out.success();
    assert!(
        out.stdout
            .contains("does not match your interests enough (relevance 0.00"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_day_with_nothing_new_sends_nothing_unless_send_empty() {
    // See: #15
    let (mut env, cfg) = env_with(AGENTS);
    let first = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["run", "--no-fetch"])
        .run();
    first.success();
    assert!(first.stdout.contains("## 1. "), "{}", first.stdout);
    // A week later nothing new was ingested; what is still fresh matches
    // nothing (a mail of "Also popular" only is not news).
    env.set_now("2026-01-28T07:00:00Z");
    let quiet = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["run", "--no-fetch"])
        .run();
    quiet.success();
    assert_eq!(quiet.stdout, "");
    let cfg = env.write("config.toml", format!("{AGENTS}send_empty = true\n"));
    let sent = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["run", "--no-fetch"])
        .run();
    sent.success();
    assert!(
        sent.stdout.starts_with("# Trending papers — 2026-01-28"),
        "{}",
        sent.stdout
    );
    // Nothing in the main list, and it says what the day is.
    assert!(
        !sent.stdout.lines().any(|l| l.starts_with("## 1. ")),
        "{}",
        sent.stdout
    );
    assert!(
        sent.stdout.contains(
            "Nothing new since the last digest: nothing picked for you from 3 papers still \
             fresh from Tuesday."
        ),
        "{}",
        sent.stdout
    );
    assert!(!sent.stdout.contains("Popular today"), "{}", sent.stdout);
    assert!(!sent.stdout.contains("0 picked"), "{}", sent.stdout);
}

#[test]
fn a_catch_up_digest_lists_each_missed_day_under_its_date() {
    // See: #15
    let mut env = TestEnv::new();
    let cfg = env.write(
        "config.toml",
        "[interests]\nkeywords = { reasoning = 2.0, agents = 1.0 }\n[digest]\nlimit = 2\n",
    );
    // Delivered on 2026-01-18 with the November papers only.
    env.set_now("2026-01-18T07:00:00Z");
    env.ingest_daily(&["hf-json/2025-11-12.json"]);
    env.cmd(["--config"])
        .arg(&cfg)
        .args(["run", "--no-fetch"])
        .run()
        .success();
    // Off on the 19th and 20th; the 21st catches up with both days' lists.
    env.set_now(NOW);
    env.ingest_daily(&["hf-json/2026-01-19.json", "hf-json/2026-01-20.json"]);
    let d = digest_json(&env, &cfg, &[]);
    assert_eq!(
        d["days"],
        serde_json::json!(["2026-01-19", "2026-01-20", "2026-01-21"])
    );
    let days: Vec<&str> = d["papers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["day"].as_str().unwrap())
        .collect();
    // Each missed day has its own share (2 each: limit 2, catch_up_limit 30).
    assert_eq!(
        days.iter().filter(|d| **d == "2026-01-19").count(),
        2,
        "{days:?}"
    );
    assert_eq!(
        days.iter().filter(|d| **d == "2026-01-20").count(),
        2,
        "{days:?}"
    );
    let md = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["digest", "--format", "md"])
        .run();
    md.success();
    let at19 = md.stdout.find("## 2026-01-19").unwrap();
    let at20 = md.stdout.find("## 2026-01-20").unwrap();
    assert!(at19 < at20);
    assert!(md.stdout.contains("covering 2026-01-19 to 2026-01-21"));
}

#[test]
fn a_view_as_of_a_past_date_sees_only_what_existed_then() {
    // See: #15
    let (mut env, _) = env_with(AGENTS);
    // The clock at 2025-12-15 on an index that holds January papers too.
    env.set_now("2025-12-15T12:00:00Z");
    let cfg = env.write(
        "config.toml",
        "[interests]\nkeywords = { reasoning = 2.0, agents = 1.0 }\n",
    );
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["top", "--since", "120d", "-n", "50", "--json"])
        .run();
    out.success();
    let listed = out.json();
    assert!(!listed.as_array().unwrap().is_empty());
    for p in listed.as_array().unwrap() {
        let date = p["published"].as_str().unwrap();
        assert!(date < "2025-12-15T12:00:00Z", "{date} is after the clock");
    }
    let d = digest_json(&env, &cfg, &["--date", "2025-12-14"]);
    for p in d["papers"].as_array().unwrap() {
        assert!(p["date"].as_str().unwrap() <= "2025-12-14", "{p}");
    }
    assert!(!d["papers"].as_array().unwrap().is_empty());
}

#[test]
fn every_format_links_abstract_and_pdf_and_counts_in_words() {
    // See: #18
    let (env, cfg) = env_with(
        "[interests]\nkeywords = { agents = 2.0, software = 1.0 }\n[digest]\nlimit = 20\n",
    );
    let render = |fmt: &str| {
        let out = env
            .cmd(["--config"])
            .arg(&cfg)
            .args(["digest", "--format", fmt])
            .run();
        out.success();
        out.stdout
    };
    let md = render("md");
    // minijinja's HTML escaper writes `/` as `&#x2f;` (links still work).
    let html = render("html").replace("&#x2f;", "/");
    let text = render("text");
    for (name, out) in [("md", &md), ("html", &html), ("text", &text)] {
        assert!(
            out.contains("https://arxiv.org/pdf/2601.11077"),
            "{name}: no PDF link"
        );
        assert!(
            out.contains("https://arxiv.org/abs/2601.11077"),
            "{name}: no abstract link"
        );
        assert!(!out.contains(" 1 upvotes"), "{name}: 1 upvotes");
        let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("papertrend config path"), "{name}: no footer");
    }
    // 2511.06428 has exactly one upvote.
    assert!(
        md.contains("▲ 1 upvote ·") || md.contains("▲ 1 upvote\n"),
        "{md}"
    );
    assert!(text.contains("1 upvote"));
    assert!(
        md.contains("picked for you from 27 papers in the index"),
        "{md}"
    );
    // The date never breaks at phone width.
    assert!(html.contains("white-space:nowrap;\">2026-01-"), "{html}");
    // The text part keeps the meta line whole: no "| code" left alone.
    for line in text.lines() {
        assert_ne!(line.trim(), "| code");
        assert_ne!(line.trim(), "code");
    }
}

#[test]
fn the_why_line_names_each_term_once_with_its_fields() {
    // See: #18
    let (env, cfg) = env_with("[interests]\nkeywords = { agents = 2.0 }\n");
    let d = digest_json(&env, &cfg, &[]);
    let whys: Vec<&str> = d["papers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["why"].as_str().unwrap())
        .collect();
    assert!(
        whys.iter()
            .any(|w| w.contains("\"agents\" (title, abstract)")),
        "{whys:?}"
    );
    for w in &whys {
        assert_eq!(w.matches("\"agents\"").count(), 1, "{w}");
    }
}

#[cfg(unix)]
#[test]
fn digest_out_follows_the_umask_and_state_stays_private() {
    // See: #18
    use std::os::unix::fs::PermissionsExt;
    let (env, cfg) = env_with(AGENTS);
    let out = env.path("digest.md");
    env.cmd(["--config"])
        .arg(&cfg)
        .args(["digest", "--out"])
        .arg(&out)
        .run()
        .success();
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    // The tests run with the usual umask (022 or 002): group and others can read.
    assert_eq!(mode & 0o044, 0o044, "mode {mode:o}");
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("# Trending papers")
    );
}

#[test]
fn a_paper_the_reader_marked_is_not_listed_again() {
    // See: #17 (the reader has seen what they liked, disliked or read)
    let (env, cfg) = env_with(AGENTS);
    let before = digest_json(&env, &cfg, &[]);
    let main = ids(&before["papers"]);
    let first = main[0].clone();
    env.cmd(["mark", &first, "--like"]).run().success();
    let after = digest_json(&env, &cfg, &[]);
    assert!(
        !ids(&after["papers"]).contains(&first),
        "{first} listed again"
    );
    assert!(!ids(&after["also_popular"]).contains(&first));
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["explain", &first])
        .run();
    out.success();
    assert!(
        out.stdout.contains("you marked it (like)"),
        "{}",
        out.stdout
    );
}

//! Reader words (#26): counts that agree with their noun, the baseline said
//! in words, no rustdoc syntax in `--help`, parse errors that say what to
//! type, and the same digest order for the same input.

use crate::support::{TestEnv, fixture};

/// November 2025's Hugging Face lists, ingested at the end of the month.
fn november(env: &mut TestEnv) {
    env.set_now("2025-11-30T08:00:00Z");
    let dir = fixture("hf-json/2025-11");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    env.ingest_daily_paths(&files);
    env.write("c.toml", "[interests]\nkeywords = [\"agents\"]\n");
}

#[test]
fn rising_topics_say_their_windows_and_counts_say_no_filters_when_none_are_set() {
    let mut env = TestEnv::new();
    november(&mut env);
    let out = env
        .cmd(["--config", "c.toml", "digest", "--format", "text"])
        .run();
    out.success();
    let text = &out.stdout;
    assert!(
        text.contains("- image generation: 7 papers in the last week, 5 in the 8 weeks before"),
        "{text}"
    );
    assert!(!text.contains(" now, "), "{text}");
    assert!(!text.contains("passed your filters"), "{text}");
    // 73: the papers naming "agents", and those with 5 upvotes or more
    // close to them by meaning.
    assert!(
        text.contains("240 considered, 73 matched your interests, 10 shown."),
        "{text}"
    );
    // With a filter that removes papers, the count says so.
    env.write(
        "c.toml",
        "[interests]\nkeywords = [\"agents\"]\nexclude = [\"video\"]\n",
    );
    let out = env
        .cmd(["--config", "c.toml", "digest", "--format", "md"])
        .run();
    out.success();
    let filtered = out
        .stdout
        .lines()
        .find(|l| l.contains(" considered"))
        .unwrap_or_default()
        .to_string();
    assert!(filtered.starts_with("240 considered · "), "{filtered}");
    assert!(filtered.contains(" passed your filters · "), "{filtered}");
    assert!(!filtered.contains("240 passed"), "{filtered}");
}

#[test]
fn the_same_input_gives_the_same_digest_twice() {
    let mut env = TestEnv::new();
    november(&mut env);
    let first = env
        .cmd(["--config", "c.toml", "digest", "--format", "json"])
        .run();
    first.success();
    let again = TestEnv::new();
    let mut again = again;
    november(&mut again);
    let second = again
        .cmd(["--config", "c.toml", "digest", "--format", "json"])
        .run();
    second.success();
    let ids = |o: &crate::support::Output| -> Vec<String> {
        o.json()["papers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&first).len(), 10);
    assert_eq!(ids(&first), ids(&second));
}

#[test]
fn one_comment_is_one_comment() {
    let env = TestEnv::new();
    env.ingest(&["hf-json/2026-01-20.json"]);
    let out = env
        .cmd(["explain", "2601.08808"])
        .env("PAPERTREND_NOW", "2026-01-20T19:00:00Z")
        .run();
    out.success();
    assert!(
        out.stdout.contains("1 comment (0.5 x ln(1+1))"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("1 comments"), "{}", out.stdout);
}

#[test]
fn help_has_no_rustdoc_links() {
    let env = TestEnv::new();
    let top = env.cmd(["--help"]).run();
    top.success();
    let names: Vec<String> = top
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|n| n != "help")
        .collect();
    assert!(names.contains(&"search".to_string()), "{names:?}");
    for name in names {
        let out = env.cmd([name.as_str(), "--help"]).run();
        out.success();
        assert!(!out.stdout.contains("[`"), "{name} --help:\n{}", out.stdout);
        assert!(
            !out.stdout.contains("crate::"),
            "{name} --help:\n{}",
            out.stdout
        );
    }
}

#[test]
fn dates_take_words_and_a_bad_one_says_what_to_type() {
    let env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt"]);
    let tomorrow = env
        .cmd(["digest", "--date", "tomorrow", "--format", "json"])
        .run();
    tomorrow.success();
    assert_eq!(tomorrow.json()["date"], "2026-11-28");
    let yesterday = env
        .cmd(["digest", "--date", "yesterday", "--format", "json"])
        .run();
    yesterday.success();
    assert_eq!(yesterday.json()["date"], "2026-11-26");
    let out = env.cmd(["digest", "--date", "someday"]).run();
    out.code(2)
        .stderr_has("invalid day \"someday\" (use YYYY-MM-DD, today, yesterday, tomorrow, or 3d");
    assert!(!out.stderr.contains("four digit"), "{}", out.stderr);
}

#[test]
fn a_bad_count_in_the_config_asks_for_a_whole_number() {
    let env = TestEnv::new();
    env.write("c.toml", "[digest]\nlimit = \"ten\"\n");
    let out = env.cmd(["--config", "c.toml", "config", "check"]).run();
    out.code(2).stderr_has("expected a whole number");
    assert!(!out.stderr.contains("usize"), "{}", out.stderr);
    env.write("c.toml", "[digest]\nlimit = -3\n");
    let out = env.cmd(["--config", "c.toml", "config", "check"]).run();
    out.code(2);
    assert!(!out.stderr.contains("usize"), "{}", out.stderr);
}

#[test]
fn a_missing_file_says_so_in_words() {
    let env = TestEnv::new();
    let out = env.cmd(["ingest", "nowhere.json"]).run();
    assert_ne!(out.code, 0);
    out.stderr_has("nowhere.json: no such file or directory");
    assert!(!out.stderr.contains("os error"), "{}", out.stderr);
}

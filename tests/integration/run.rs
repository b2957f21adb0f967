//! `run`: the demo command, exactly once per day, the watermark (a missed
//! day is caught up, nothing repeats), partial success, and the run lock.

use crate::support::{TestEnv, fixture, on_terminal};

fn demo_config() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml")
}

#[test]
fn the_demo_run_prints_the_markdown_digest_once_a_day() {
    let env = TestEnv::new();
    let out = env.cmd(["run", "--config"]).arg(demo_config()).run();
    out.success();
    assert!(
        out.stdout.starts_with("# Trending papers — 2026-11-27\n"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("## 1. "));
    assert!(
        out.stdout
            .contains("10 picked for you from 189 papers in the index"),
        "{}",
        out.stdout
    );
    // Same day again: already delivered, so nothing at all.
    let again = env.cmd(["run", "--config"]).arg(demo_config()).run();
    again.success();
    assert_eq!(again.stdout, "");
    // --force delivers it again, identical.
    let forced = env
        .cmd(["run", "--force", "--config"])
        .arg(demo_config())
        .run();
    forced.success();
    assert_eq!(forced.stdout, out.stdout);
}

#[test]
fn the_next_day_lists_only_new_papers_and_a_missing_source_is_partial() {
    // The clock of the days the second source's list (2026-01-02) is news.
    let mut env = TestEnv::new();
    env.set_now("2026-01-01T08:00:00Z");
    let later = env.path("later.json");
    let cfg = env.write(
        "config.toml",
        format!(
            "[digest]\nlimit = 200\n\n[[sources]]\nname = \"seed\"\nkind = \"file\"\npath = {:?}\n\n\
             [[sources]]\nname = \"daily\"\nkind = \"file\"\npath = {later:?}\n",
            fixture("hf-text/seed.txt")
        ),
    );
    // Day 1: the second source is missing: the digest still goes out, says
    // so, and the exit code is PARTIAL (3).
    let day1 = env.cmd(["run", "--config"]).arg(&cfg).run();
    // A missing local file is a config problem, not a network one.
    // See: #18
    day1.code(3)
        .stderr_has("\"daily\"")
        .stderr_has("check the path (`papertrend config check` lists missing files)");
    assert!(
        !day1.stderr.contains("will retry next run"),
        "{}",
        day1.stderr
    );
    assert!(
        day1.stdout.contains("> source \"daily\""),
        "{}",
        day1.stdout
    );
    assert!(day1.stdout.contains("189 considered"), "{}", day1.stdout);
    // Day 3 (a missed day): the new file's papers, none of the seed's.
    std::fs::copy(fixture("hf-json/2026-01-02.json"), &later).unwrap();
    env.set_now("2026-01-03T08:00:00Z");
    let day3 = env.cmd(["run", "--config"]).arg(&cfg).run();
    day3.success();
    assert!(
        day3.stdout.starts_with("# Trending papers — 2026-01-03"),
        "{}",
        day3.stdout
    );
    assert!(!day3.stdout.contains("189 considered"), "{}", day3.stdout);
    let titles1: Vec<&str> = day1
        .stdout
        .lines()
        .filter(|l| l.starts_with("## "))
        .collect();
    for line in day3.stdout.lines().filter(|l| l.starts_with("## ")) {
        let title = line.split_once(". ").map_or(line, |x| x.1);
        assert!(
            !titles1.iter().any(|t| t.ends_with(title)),
            "{title} was already in day 1's digest"
        );
    }
    // Day 4: nothing new at all: no digest (cron stays quiet), and `-v`
    // says why.
    env.set_now("2026-01-04T08:00:00Z");
    let day4 = env.cmd(["run", "--config"]).arg(&cfg).run();
    day4.success();
    assert_eq!(day4.stdout, "");
    let day4 = env.cmd(["-v", "run", "--config"]).arg(&cfg).run();
    assert_eq!(day4.stdout, "");
    assert!(
        day4.stderr
            .contains("nothing new for 2026-01-04: no digest sent"),
        "{}",
        day4.stderr
    );
}

#[test]
fn a_second_overlapping_run_exits_locked() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.data_dir()).unwrap();
    let lock = std::fs::File::create(env.data_dir().join("lock")).unwrap();
    lock.lock().unwrap();
    let out = env.cmd(["run", "--config"]).arg(demo_config()).run();
    out.code(4).stderr_has("held by another papertrend process");
    assert_eq!(out.stdout, "");
}

#[test]
fn explain_says_a_paper_was_already_sent_and_when() {
    let mut env = TestEnv::new();
    env.cmd(["run", "--config"])
        .arg(demo_config())
        .run()
        .success();
    let out = env
        .cmd(["digest", "--format", "json", "--config"])
        .arg(demo_config())
        .run();
    out.success();
    let digest = out.json();
    let sent: Vec<String> = digest["papers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    let sent_id = sent[0].clone();
    env.set_now("2026-11-28T08:00:00Z");
    let out = env
        .cmd(["explain", &sent_id, "--date", "2026-11-28", "--config"])
        .arg(demo_config())
        .run();
    out.success();
    assert!(
        out.stdout
            .contains("already sent in the digest of 2026-11-27"),
        "{}",
        out.stdout
    );
    // A paper that was not in the digest is not "already sent".
    let all = env.export();
    let other = all
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .find(|id| !sent.iter().any(|s| s == id))
        .unwrap();
    let out = env
        .cmd(["explain", other, "--date", "2026-11-28", "--config"])
        .arg(demo_config())
        .run();
    out.success();
    assert!(!out.stdout.contains("already sent"), "{}", out.stdout);
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
fn the_demo_keeps_to_its_own_data_dir_and_repeats() {
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
fn a_second_run_says_so_on_a_terminal_only() {
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
fn run_without_a_config_is_a_usage_error() {
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

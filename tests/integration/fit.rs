//! Every command fits an 80-column terminal: `explain`, `review`, `marks
//! --profile`, `digest`, the demo `run`, `top --explain`, `ingest -r` with
//! warnings, the progress bar and the lock message. First with the width
//! forced (`--width`, `COLUMNS`) and output captured; then in a real
//! 80-column terminal, a tmux pane (its own server socket, lines joined
//! with `capture-pane -J`), where `review` is also driven by single keys.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use unicode_width::UnicodeWidthStr;

use crate::support::{AFTER_NEWEST, TestEnv, fixture};

const WIDTH: usize = 80;

/// The reader's interests for November 2025's lists.
const CONFIG: &str = r#"
[interests]
keywords = { "reasoning" = 2.0, "video generation" = 2.0, "agents" = 1.5, "multilingual" = 1.0 }
"#;

/// Lines of `text` wider than `width` display columns.
fn over(text: &str, width: usize) -> Vec<String> {
    text.lines()
        .filter(|l| papertrend::wrap::width_of(l) > width)
        .map(str::to_string)
        .collect()
}

fn assert_fits(what: &str, text: &str) {
    let long = over(text, WIDTH);
    assert!(
        long.is_empty(),
        "{what}: {} lines over {WIDTH} columns:\n{}\n--- whole output:\n{text}",
        long.len(),
        long.join("\n")
    );
}

/// November 2025 ingested at 2025-11-28 08:00; returns the env and the ids
/// of the day's digest.
fn november() -> (TestEnv, Vec<String>) {
    let mut env = TestEnv::new();
    env.set_now("2025-11-28T08:00:00Z");
    env.write("config.toml", CONFIG);
    let dir = fixture("hf-json/2025-11");
    env.cmd(["ingest", "-r"]).arg(&dir).run().success();
    let out = env
        .cmd(["--config", "config.toml", "digest", "--format", "json"])
        .run();
    out.success();
    let ids: Vec<String> = out.json()["papers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    assert!(ids.len() >= 5, "{ids:?}");
    (env, ids)
}

/// A folder with one good listing and the two malformed ones (each a
/// warning naming its file).
fn folder_with_warnings(env: &TestEnv) -> PathBuf {
    let dir = env.path("lists");
    std::fs::create_dir_all(&dir).unwrap();
    for f in [
        "hf-json/2025-11/2025-11-03.json",
        "hf-json/malformed/2024-12-11.python-repr-strings.json",
        "hf-json/malformed/2025-01-10.wrapped-object.json",
    ] {
        let from = fixture(f);
        std::fs::copy(&from, dir.join(from.file_name().unwrap())).unwrap();
    }
    dir
}

#[test]
fn with_the_width_forced_every_command_fits_80_columns() {
    let (env, ids) = november();
    let cfg = ["--config", "config.toml"];
    // `explain`: --width and COLUMNS both wrap it; to a pipe without either
    // each statement stays one line (so the forced width is what changed).
    let plain = env.cmd(cfg).args(["explain", &ids[0]]).run();
    plain.success();
    assert!(!over(&plain.stdout, WIDTH).is_empty(), "{}", plain.stdout);
    let wide = env
        .cmd(cfg)
        .args(["--width", "80", "explain", &ids[0]])
        .run();
    wide.success();
    assert_fits("explain --width 80", &wide.stdout);
    let cols = env
        .cmd(cfg)
        .args(["explain", &ids[0]])
        .env("COLUMNS", "80")
        .run();
    cols.success();
    assert_eq!(cols.stdout, wide.stdout);
    // The words survive the wrapping: joined again, they are the same.
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(words(&wide.stdout), words(&plain.stdout));

    let top = env
        .cmd(cfg)
        .args(["--width", "80", "top", "--explain", "--format", "table"])
        .args(["--since", "10d", "-n", "5"])
        .run();
    top.success();
    assert_fits("top --explain", &top.stdout);

    let digest = env
        .cmd(cfg)
        .args(["--width", "80", "digest", "--format", "text"])
        .run();
    digest.success();
    assert_fits("digest --format text", &digest.stdout);

    // Warnings of a folder ingest wrap under their first line.
    let lists = folder_with_warnings(&env);
    let ingest = env.cmd(["--width", "80", "ingest", "-r"]).arg(&lists).run();
    ingest.code(3);
    assert!(
        ingest.stderr.contains("papertrend: warning: "),
        "{}",
        ingest.stderr
    );
    assert!(ingest.stderr.lines().any(|l| l.starts_with("  ")));
    assert_fits("ingest -r warnings", &ingest.stderr);

    // The lock message and its hint.
    let mut holder = env.cmd(["ingest", "-"]).spawn_piped();
    std::thread::sleep(Duration::from_millis(500));
    let locked = env
        .cmd(["ingest"])
        .arg(fixture("hf-json/2025-11/2025-11-04.json"))
        .env("COLUMNS", "80")
        .run();
    drop(holder.stdin.take());
    let _ = holder.wait();
    locked.code(4);
    locked.stderr_has("hint: ");
    assert_fits("the lock message", &locked.stderr);
}

/// A tmux server of the test's own (`-L`), killed when dropped.
struct Tmux {
    socket: String,
    conf: PathBuf,
    env: Vec<(String, String)>,
}

impl Tmux {
    fn new(env: &TestEnv) -> Tmux {
        let conf = env.write("tmux.conf", "set -g history-limit 50000\n");
        let socket = format!("papertrend-fit-{}", std::process::id());
        Tmux {
            socket,
            conf,
            env: vec![
                ("HOME".into(), env.path("home").display().to_string()),
                ("NO_COLOR".into(), "1".into()),
                ("TERM".into(), "xterm".into()),
            ],
        }
    }

    fn cmd(&self) -> Command {
        let mut c = Command::new("tmux");
        c.arg("-L").arg(&self.socket).arg("-f").arg(&self.conf);
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default());
        for (k, v) in &self.env {
            c.env(k, v);
        }
        c
    }

    /// A detached 80x50 session `name` running `shell` (a bash command).
    fn start(&self, name: &str, shell: &str) {
        let ok = self
            .cmd()
            .args(["new-session", "-d", "-x", "80", "-y", "50", "-s", name])
            .arg(format!("{shell}; echo __DONE__; sleep 600"))
            .status()
            .expect("tmux (it is part of this machine's tools)");
        assert!(ok.success(), "tmux new-session failed");
    }

    /// The pane's history and screen, wrapped lines joined.
    fn capture(&self, name: &str) -> String {
        let out = self
            .cmd()
            .args(["capture-pane", "-p", "-J", "-S", "-", "-t", name])
            .output()
            .expect("tmux capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The visible screen only.
    fn screen(&self, name: &str) -> String {
        let out = self
            .cmd()
            .args(["capture-pane", "-p", "-J", "-t", name])
            .output()
            .expect("tmux capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, name: &str, keys: &str) {
        let ok = self
            .cmd()
            .args(["send-keys", "-t", name, keys])
            .status()
            .unwrap();
        assert!(ok.success());
    }

    /// Waits until the pane shows `needle`, checking every screen seen on
    /// the way with `each`; panics after 120 s with the pane.
    fn wait_for(&self, name: &str, needle: &str, each: &mut dyn FnMut(&str)) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen(name);
            each(&screen);
            let all = self.capture(name);
            if all.contains(needle) {
                return all;
            }
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "tmux pane never showed {needle:?}:\n{all}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd().arg("kill-server").status();
    }
}

/// A shell word.
fn q(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', r"'\''"))
}

#[test]
fn in_an_80_column_tmux_pane_nothing_is_wider_and_review_takes_single_keys() {
    let (env, ids) = november();
    let bin = q(Path::new(env!("CARGO_BIN_EXE_papertrend")));
    let data = q(&env.data_dir());
    let cfg = q(&env.path("config.toml"));
    let now = "PAPERTREND_NOW=2025-11-28T08:00:00Z";
    let tmux = Tmux::new(&env);
    // `review`: single keys, no Enter; Ctrl-C ends it and the terminal
    // settings are as before.
    let review = format!(
        "stty -g > {before}; {now} {bin} --config {cfg} --data-dir {data} review; \
         stty -g > {after}",
        before = q(&env.path("stty.before")),
        after = q(&env.path("stty.after")),
    );
    tmux.start("review", &review);
    let mut over_in_review = Vec::new();
    let mut check = |s: &str| over_in_review.extend(over(s, WIDTH));
    tmux.wait_for("review", "[1/", &mut check);
    tmux.keys("review", "l");
    tmux.wait_for("review", "[2/", &mut check);
    tmux.keys("review", "?");
    tmux.wait_for("review", "like it: more papers like this", &mut check);
    tmux.keys("review", "d");
    tmux.wait_for("review", "[3/", &mut check);
    tmux.keys("review", "s");
    tmux.wait_for("review", "[4/", &mut check);
    tmux.keys("review", "C-c");
    let pane = tmux.wait_for("review", "\n__DONE__", &mut check);
    assert!(over_in_review.is_empty(), "{over_in_review:#?}");
    assert_fits("review", &pane);
    assert!(pane.contains("1 liked, 1 disliked, 1 saved"), "{pane}");
    assert!(pane.contains("page: https://"), "{pane}");
    assert_eq!(
        std::fs::read_to_string(env.path("stty.before")).unwrap(),
        std::fs::read_to_string(env.path("stty.after")).unwrap(),
        "the terminal settings were not restored"
    );
    // The marks review recorded, one per key.
    let marks = env.cmd(["marks", "--json"]).run();
    marks.success();
    let got: Vec<(String, serde_json::Value)> = marks.json()["marks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["id"].as_str().unwrap().to_string(), m["marks"].clone()))
        .collect();
    let mut want = vec![
        (ids[0].clone(), serde_json::json!(["like"])),
        (ids[1].clone(), serde_json::json!(["dislike"])),
        (ids[2].clone(), serde_json::json!(["save"])),
    ];
    want.sort_by(|a, b| a.0.cmp(&b.0));
    let mut got = got;
    got.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(got, want);

    // Then every other command, one after another in one pane.
    let lists = folder_with_warnings(&env);
    // A listing of over 8 MiB gets a progress bar: November's records
    // again and again (unchanged after the first, so quick to ingest).
    let export = env.cmd(["export"]).run();
    export.success();
    let mut big = String::new();
    while big.len() < 9 << 20 {
        big.push_str(&export.stdout);
    }
    let big = env.write("big.jsonl", big);
    // A second data dir whose lock an `ingest -` holds.
    let locked = env.path("locked");
    let mut holder = env
        .isolated(env!("CARGO_BIN_EXE_papertrend"))
        .arg("--data-dir")
        .arg(&locked)
        .args(["ingest", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let demo = q(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml"));
    let steps = [
        format!(
            "{bin} --data-dir {} ingest -r {}",
            q(&env.path("d2")),
            q(&lists)
        ),
        format!("{bin} --data-dir {} ingest {}", q(&env.path("d3")), q(&big)),
        format!(
            "{bin} --data-dir {} ingest {}",
            q(&locked),
            q(&fixture("hf-json/2025-11/2025-11-04.json"))
        ),
        format!("{bin} --config {cfg} --data-dir {data} explain {}", ids[3]),
        format!("{bin} --config {cfg} --data-dir {data} marks --profile"),
        format!("{bin} --config {cfg} --data-dir {data} top --explain --since 10d -n 3"),
        format!("{bin} --config {cfg} --data-dir {data} digest"),
        format!(
            "{bin} --config {demo} --data-dir {} run --force",
            q(&env.path("demo"))
        ),
    ];
    let script = steps
        .iter()
        .map(|s| format!("echo '$ step'; {now} {s}"))
        .collect::<Vec<_>>()
        .join("\n");
    let script = env.write("steps.sh", script);
    tmux.start("fit", &format!("bash {}", q(&script)));
    let mut bar_seen = false;
    let mut frames_over = Vec::new();
    let pane = tmux.wait_for("fit", "\n__DONE__", &mut |screen| {
        if screen.contains(" eta ") {
            bar_seen = true;
        }
        frames_over.extend(over(screen, WIDTH));
    });
    drop(holder.stdin.take());
    let _ = holder.wait();
    assert!(frames_over.is_empty(), "{frames_over:#?}");
    assert!(bar_seen, "no progress bar seen:\n{pane}");
    let sections: Vec<&str> = pane.split("$ step\n").skip(1).collect();
    let names = [
        "ingest -r",
        "progress",
        "lock",
        "explain",
        "marks --profile",
        "top --explain",
        "digest",
        "demo run",
    ];
    assert_eq!(sections.len(), names.len(), "{pane}");
    for (name, text) in names.iter().zip(&sections) {
        assert_fits(name, text);
    }
    // Each step printed what it should (on a terminal: text, not Markdown).
    assert!(
        sections[0].contains("papertrend: warning: "),
        "{}",
        sections[0]
    );
    assert!(sections[2].contains("hint: "), "{}", sections[2]);
    assert!(
        sections[3].contains("verdict: in the digest"),
        "{}",
        sections[3]
    );
    assert!(
        sections[4].contains("profile from 1 like and 1 dislike"),
        "{}",
        sections[4]
    );
    assert!(sections[5].contains("sum"), "{}", sections[5]);
    assert!(
        sections[6].contains("Trending papers - 2025-11-28"),
        "{}",
        sections[6]
    );
    assert!(sections[7].contains("picked for you"), "{}", sections[7]);
    assert!(
        !sections[7].contains("]("),
        "Markdown on a terminal: {}",
        sections[7]
    );
}

/// The display width of the widest line.
fn widest(text: &str) -> usize {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
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
fn search_fits_80_columns_with_rank_title_date_and_id_first() {
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
fn show_wraps_cjk_text_in_display_columns() {
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
fn top_explain_and_trends_header_wrap_to_the_width() {
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

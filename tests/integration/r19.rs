//! Issue #19: reliability and security under hostile input, concurrency and
//! faults. One test per item, each failing without its fix.

use std::process::Command;

use crate::support::http::{Reply, Server};
use crate::support::{NOW, TestEnv};

/// One hostile record in papertrend's own JSON Lines: terminal escapes in
/// the title and the authors, a bidi override, a C1 CSI.
fn hostile_record() -> String {
    serde_json::json!({
        "id": "hostile:1",
        "title": "Evil \u{1b}]0;pwned\u{7} sparse attention \u{202e}txt",
        "authors": ["Mallory\u{1b}c", "Eve \u{9b}2J Doe", "Trent\u{202e}"],
        "abstract": "Sparse attention for transformers, with a \u{1b}[2J clear.",
        "published": "2026-11-20T00:00:00Z",
    })
    .to_string()
        + "\n"
}

fn has_raw_terminal_controls(s: &str) -> Option<char> {
    s.chars().find(|c| {
        (c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

// See: #19
#[test]
fn r19_authors_and_titles_never_reach_a_terminal_raw() {
    let env = TestEnv::new();
    let rec = env.write("hostile.jsonl", hostile_record());
    env.cmd(["ingest", "--format", "jsonl"])
        .arg(&rec)
        .run()
        .success();
    for args in [
        &["search", "sparse", "--format", "md"][..],
        &["search", "sparse", "--format", "table"],
        &["top", "--explain", "--since", "30d", "--format", "md"],
        &["top", "--explain", "--since", "30d", "--format", "table"],
    ] {
        let out = env.cmd(args).run();
        out.success();
        assert!(out.stdout.contains("Evil"), "{args:?}: {}", out.stdout);
        if args.contains(&"md") {
            assert!(out.stdout.contains("Mallory"), "{args:?}: {}", out.stdout);
        }
        assert_eq!(
            has_raw_terminal_controls(&out.stdout),
            None,
            "{args:?} printed a raw control: {:?}",
            out.stdout
        );
    }
    // On a terminal, even --json shows the bidi override and the C1 byte
    // escaped (the same JSON value), never raw.
    let script = which("script");
    let Some(script) = script else {
        panic!("`script` (util-linux) is needed to give the binary a terminal");
    };
    let line = format!(
        "{} --data-dir {} search sparse --json",
        env!("CARGO_BIN_EXE_papertrend"),
        env.data_dir().display()
    );
    let out = Command::new(script)
        .args(["-qec", &line, "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.path("home"))
        .env("NO_COLOR", "1")
        .env("TERM", "dumb")
        .env("PAPERTREND_NOW", NOW)
        .output()
        .expect("run script");
    let text = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    assert_eq!(has_raw_terminal_controls(&text), None, "{text:?}");
    assert!(text.contains("\\u202e"), "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).expect("still JSON");
    assert_eq!(
        v[0]["authors"][0], "Mallory\u{1b}c",
        "the value itself is kept"
    );
}

fn which(name: &str) -> Option<std::path::PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn fetch_config(env: &TestEnv, url: &str) -> std::path::PathBuf {
    env.write(
        "config.toml",
        format!(
            "[fetch]\ntimeout = \"3s\"\nconnect_timeout = \"1s\"\nread_timeout = \"1s\"\nretries = 0\n\n\
             [[sources]]\nname = \"seed\"\nkind = \"file\"\npath = {:?}\n\n\
             [[sources]]\nname = \"private\"\nkind = \"url\"\nformat = \"hf-json\"\nurl = \"{url}\"\n",
            crate::support::fixture("hf-text/seed.txt")
        ),
    )
}

// See: #19
#[test]
fn r19_credentials_in_a_source_url_are_never_shown_or_stored() {
    let server = Server::start();
    server.route("/feed.json?token=T0KEN", [Reply::new(500, "boom")]);
    let env = TestEnv::new();
    let url = format!(
        "http://alice:PW5ecret@{}/feed.json?token=T0KEN",
        server.base().trim_start_matches("http://")
    );
    let cfg = fetch_config(&env, &url);
    let leaks = |what: &str, text: &str| {
        for secret in ["PW5ecret", "T0KEN", "alice"] {
            assert!(!text.contains(secret), "{what} shows {secret}:\n{text}");
        }
    };
    // `run` with e-mail off prints the digest (its notices name the failure).
    let out = env.cmd(["-v", "--config"]).arg(&cfg).arg("run").run();
    out.code(3);
    out.stderr_has("***@127.0.0.1");
    assert!(out.stdout.contains("private"), "{}", out.stdout);
    leaks("run stderr", &out.stderr);
    leaks("run stdout (the digest)", &out.stdout);
    assert!(!server.requests().is_empty(), "the source was fetched");
    for dir in ["state/digests", "state"] {
        for entry in std::fs::read_dir(env.data_dir().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() && path.file_name().unwrap() != "fetch.json" {
                leaks(
                    &path.display().to_string(),
                    &std::fs::read_to_string(&path).unwrap(),
                );
            }
        }
    }
    let dry = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["fetch", "--dry-run"])
        .run();
    dry.success();
    assert!(dry.stdout.contains("token=***"), "{}", dry.stdout);
    leaks("fetch --dry-run", &dry.stdout);
    let check = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["config", "check"])
        .run();
    check.success();
    assert!(check.stdout.contains("feed.json"), "{}", check.stdout);
    leaks("config check", &check.stdout);
}

// See: #19
#[test]
fn r19_source_url_secrets_can_come_from_the_environment() {
    let server = Server::start();
    server.route(
        "/feed.json?token=T0K%2FEN",
        [Reply::fixture("hf-json/2026-01-02.json")],
    );
    let env = TestEnv::new();
    let url = format!(
        "http://alice:${{FEED_PW}}@{}/feed.json?token=${{FEED_TOKEN}}",
        server.base().trim_start_matches("http://")
    );
    let cfg = fetch_config(&env, &url);
    // Unset: the source fails, naming the variable; the other one is fetched.
    let out = env.cmd(["--config"]).arg(&cfg).arg("fetch").run();
    out.code(3).stderr_has("FEED_PW");
    assert!(server.requests().is_empty());
    let out = env
        .cmd(["-v", "--config"])
        .arg(&cfg)
        .arg("fetch")
        .env("FEED_PW", "pw@x")
        .env("FEED_TOKEN", "T0K/EN")
        .run();
    out.code(0);
    assert!(!out.stderr.contains("T0K"), "{}", out.stderr);
    let reqs = server.requests_to("/feed.json?token=T0K%2FEN");
    assert_eq!(reqs.len(), 1, "{:?}", server.targets());
    // "alice:pw@x", user info percent-encoded in the URL, sent as Basic auth.
    assert_eq!(
        reqs[0].header("authorization"),
        Some("Basic YWxpY2U6cHdAeA==")
    );
}

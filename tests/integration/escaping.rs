//! One escaping path for every output: listing Markdown links only to
//! http(s) targets escaped as the digest's are, JSON on a terminal with
//! control characters escaped in every command, URLs redacted the same way
//! in `config check` as in `fetch`.

use std::process::Command;

use crate::support::{NOW, TestEnv};

fn record(id: &str, url: &str) -> String {
    serde_json::json!({
        "id": id,
        "title": format!("Sparse attention study {id}"),
        "abstract": "Sparse attention for transformers.",
        "published": "2026-11-20T00:00:00Z",
        "url": url,
    })
    .to_string()
        + "\n"
}

#[test]
fn listing_markdown_links_only_to_http_targets_and_cannot_add_links() {
    let env = TestEnv::new();
    let recs = [
        record("t:1", "javascript:alert(1)"),
        record("t:2", "data:text/html,<script>alert(1)</script>"),
        record(
            "t:3",
            "https://ok.example/a>\n[PWNED](https://evil.example/phish)",
        ),
        record(
            "t:4",
            "https://ok.example/x<y> [PWNED](https://evil.example/2)",
        ),
    ]
    .concat();
    let p = env.write("links.jsonl", recs);
    env.cmd(["ingest", "--format", "jsonl"])
        .arg(&p)
        .run()
        .success();
    for args in [
        &["search", "sparse", "--format", "md"][..],
        &["top", "--since", "30d", "--format", "md"],
        &["show", "t:3", "--format", "md"],
        &["similar", "t:1", "--format", "md"],
    ] {
        let out = env.cmd(args).run();
        out.success();
        assert!(
            out.stdout.contains("Sparse attention study"),
            "{args:?}: {}",
            out.stdout
        );
        for bad in [
            "](javascript",
            "](data:",
            "](https://evil",
            "\n[PWNED]",
            "<script",
        ] {
            assert!(
                !out.stdout.contains(bad),
                "{args:?} has {bad:?}:\n{}",
                out.stdout
            );
        }
    }
    let out = env.cmd(["search", "sparse", "--format", "md"]).run();
    assert!(
        out.stdout
            .contains("(https://ok.example/a%3E[PWNED]%28https://evil.example/phish%29)"),
        "{}",
        out.stdout
    );
}

fn on_a_terminal(env: &TestEnv, args: &str) -> String {
    let script = std::env::split_paths(&std::env::var_os("PATH").unwrap())
        .map(|d| d.join("script"))
        .find(|p| p.is_file())
        .expect("`script` (util-linux) gives the binary a terminal");
    let line = format!(
        "{} --data-dir {} {args}",
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
    String::from_utf8_lossy(&out.stdout).replace('\r', "")
}

#[test]
fn marks_json_on_a_terminal_escapes_c1_controls_and_del() {
    let env = TestEnv::new();
    let rec = serde_json::json!({
        "id": "t:1",
        "title": "Evil \u{9b}2J title \u{7f} here",
        "abstract": "Sparse attention.",
    })
    .to_string()
        + "\n";
    let p = env.write("c1.jsonl", rec);
    env.cmd(["ingest", "--format", "jsonl"])
        .arg(&p)
        .run()
        .success();
    env.cmd(["mark", "t:1", "--save"]).run().code(0);
    let text = on_a_terminal(&env, "marks --json");
    assert!(text.contains("Evil"), "{text:?}");
    assert!(
        !text.chars().any(|c| c == '\u{9b}' || c == '\u{7f}'),
        "raw C1 or DEL: {text:?}"
    );
    assert!(
        text.contains("\\u009b") && text.contains("\\u007f"),
        "{text}"
    );
}

#[test]
fn config_check_redacts_ftp_urls_and_urls_with_spaces() {
    let env = TestEnv::new();
    let cfg = env.write(
        "config.toml",
        "[[sources]]\nname = \"a\"\nkind = \"url\"\nformat = \"hf-json\"\n\
         url = \"ftp://alice:PW5ecret@files.example/feed.json?token=T0KEN\"\n\n\
         [[sources]]\nname = \"b\"\nkind = \"url\"\nformat = \"hf-json\"\n\
         url = \"https://bob:S3cret@host.example/a b?key=T0K2\"\n",
    );
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["config", "check"])
        .run();
    out.success();
    for secret in ["alice", "PW5ecret", "T0KEN", "bob", "S3cret", "T0K2"] {
        assert!(
            !out.stdout.contains(secret),
            "shows {secret}:\n{}",
            out.stdout
        );
    }
    assert!(
        out.stdout
            .contains("ftp://***@files.example/feed.json?token=***"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("https://***@host.example/a b?key=***"),
        "{}",
        out.stdout
    );
}

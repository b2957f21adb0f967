//! `explain` for a delivered day (#26): the digest that went out decides
//! the verdict, and what the reader did since is said after it, instead of
//! a mute set later contradicting the digest in their inbox.

use crate::support::{TestEnv, fixture};

#[test]
fn explain_says_what_a_delivered_digest_did_then_what_changed_since() {
    let mut env = TestEnv::new();
    env.write(
        "c.toml",
        format!(
            "[interests]\nkeywords = {{ \"in-context learning\" = 3.0 }}\n\
             [[sources]]\nname = \"seed\"\nkind = \"file\"\npath = {:?}\n",
            fixture("hf-text/seed.txt")
        ),
    );
    env.cmd(["--config", "c.toml", "run"]).run().success();
    let digest = env
        .cmd([
            "--config",
            "c.toml",
            "digest",
            "--date",
            "2026-11-27",
            "--format",
            "json",
        ])
        .run();
    digest.success();
    let papers = digest.json()["papers"].as_array().unwrap().clone();
    let first = papers[0]["id"].as_str().unwrap().to_string();
    let second = papers[1]["id"].as_str().unwrap().to_string();
    // The next morning the reader mutes a word of the first title and
    // likes the second paper.
    env.set_now("2026-11-28T09:00:00Z");
    let word = papers[0]["title"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .last()
        .unwrap()
        .to_lowercase();
    env.cmd(["--config", "c.toml", "mute", &word])
        .run()
        .success();
    env.cmd(["--config", "c.toml", "mark", &second, "--like"])
        .run()
        .success();
    let out = env
        .cmd([
            "--config",
            "c.toml",
            "explain",
            &first,
            "--date",
            "2026-11-27",
        ])
        .run();
    out.success();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[1], "verdict: in the digest for 2026-11-27: #1",
        "{}",
        out.stdout
    );
    assert_eq!(
        lines[2],
        format!("since then: muted since 2026-11-28 09:00 UTC by \"{word}\" (until you unmute it)"),
        "{}",
        out.stdout
    );
    let out = env
        .cmd([
            "--config",
            "c.toml",
            "explain",
            &second,
            "--date",
            "2026-11-27",
            "--json",
        ])
        .run();
    out.success();
    let e = out.json();
    assert_eq!(e["verdict"]["status"], "included", "{e}");
    assert_eq!(e["verdict"]["position"], 2, "{e}");
    assert_eq!(e["since_delivery"][0], "you marked it (like)");
    // Today the mute decides.
    let out = env.cmd(["--config", "c.toml", "explain", &first]).run();
    out.success();
    assert!(
        out.stdout
            .contains("verdict: not in the digest for 2026-11-28: muted by"),
        "{}",
        out.stdout
    );
}

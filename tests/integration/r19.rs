//! Issue #19: reliability and security under hostile input, concurrency and
//! faults. One test per item, each failing without its fix.

use std::process::Command;

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

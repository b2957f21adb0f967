//! Hostile and broken input: each case has its exit code and message, and the
//! index keeps what it had.

use std::process::Command;

use crate::support::{NOW, TestEnv, fixture};

/// An index holding the 3 cs.AI RSS papers, plus the count to compare against.
fn env_with_papers() -> (TestEnv, usize) {
    let env = TestEnv::new();
    env.ingest(&["arxiv-rss/arxiv_cs_ai.xml"]);
    let n = env.export().len();
    assert_eq!(n, 3);
    (env, n)
}

#[track_caller]
fn assert_intact(env: &TestEnv, n: usize) {
    assert_eq!(env.export().len(), n, "the index keeps its documents");
}

#[test]
fn truncated_and_wrongly_typed_json_is_reported_not_ingested() {
    let (env, n) = env_with_papers();
    let truncated = env.write(
        "t.json",
        "[{\"paper\": {\"id\": \"2601.00001\", \"title\": \"Cut",
    );
    env.cmd(["ingest"])
        .arg(&truncated)
        .run()
        .code(2)
        .stderr_has("t.json");
    // Wrong types inside a JSONL record: the record is skipped with its line.
    let typed = env.write("typed.jsonl", "{\"id\":\"a:1\",\"title\":\"Fine\"}\n{\"id\":\"a:2\",\"title\":\"Bad\",\"upvotes\":\"12\"}\n{\"id\":\"a:3\",\"title\":null}\n");
    let out = env.cmd(["ingest"]).arg(&typed).run();
    out.code(3)
        .stderr_has("typed.jsonl:2: skipped")
        .stderr_has("typed.jsonl:3: skipped");
    assert_intact(&env, n + 1);
}

#[test]
fn invalid_utf8_nul_bytes_and_binary_files_are_refused_or_skipped() {
    let (env, n) = env_with_papers();
    let mut bad = b"{\"id\":\"u:1\",\"title\":\"ok\"}\n".to_vec();
    bad.extend_from_slice(b"{\"id\":\"u:2\",\"title\":\"\xff\xfe broken\"}\n");
    let p = env.write("utf8.jsonl", &bad);
    env.cmd(["ingest"])
        .arg(&p)
        .run()
        .code(3)
        .stderr_has("utf8.jsonl:2: skipped")
        .stderr_has("UTF-8");
    let p = env.write(
        "nul.txt",
        b"Title\0with nul\nAbstract line that is long enough to be an abstract for sure.\n",
    );
    env.cmd(["ingest"])
        .arg(&p)
        .run()
        .code(2)
        .stderr_has("nul.txt");
    let p = env.write("blob", (0u8..=255).cycle().take(4096).collect::<Vec<u8>>());
    env.cmd(["ingest"]).arg(&p).run().code(2).stderr_has("blob");
    let p = env.write("empty.json", "");
    env.cmd(["ingest"])
        .arg(&p)
        .run()
        .code(2)
        .stderr_has("empty.json");
    assert_intact(&env, n + 1);
}

#[test]
fn a_50_mb_single_line_is_handled_in_bounded_time() {
    let (env, n) = env_with_papers();
    let mut line = String::from("{\"id\":\"big:1\",\"title\":\"Huge\",\"abstract\":\"");
    line.push_str(&"word ".repeat(10 * 1024 * 1024));
    line.push_str("\"}\n");
    assert!(line.len() > 50 * 1024 * 1024);
    let p = env.write("big.jsonl", &line);
    let started = std::time::Instant::now();
    let out = env.cmd(["ingest"]).arg(&p).run();
    out.code(0);
    assert!(started.elapsed().as_secs() < 120);
    assert_intact(&env, n + 1);
    // A single line with no newline and no JSON at all is an error, not a hang.
    let p = env.write("noise.txt", "x".repeat(50 * 1024 * 1024));
    let out = env.cmd(["ingest", "--format", "jsonl"]).arg(&p).run();
    out.code(2).stderr_has("noise.txt");
    assert_intact(&env, n + 1);
}

#[test]
fn xml_entity_bombs_and_external_entities_are_not_expanded() {
    let (env, n) = env_with_papers();
    let bomb = r#"<?xml version="1.0"?>
<!DOCTYPE feed [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<feed xmlns="http://www.w3.org/2005/Atom">
<entry><id>http://arxiv.org/abs/2601.00002v1</id><title>Bomb &lol3; and &xxe;</title>
<summary>s</summary><published>2026-01-01T00:00:00Z</published></entry>
</feed>"#;
    let p = env.write("bomb.xml", bomb);
    let out = env.cmd(["ingest"]).arg(&p).run();
    assert!(out.code == 0 || out.code == 2 || out.code == 3, "{out:?}");
    let all = serde_json::to_string(&env.export()).unwrap();
    assert!(!all.contains("lollollol"), "entities expanded");
    assert!(!all.contains("root:"), "external entity read");
    assert!(env.export().len() >= n, "the index keeps its documents");
}

#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    let (env, n) = env_with_papers();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let p = env.write("deep.json", deep);
    let out = env.cmd(["ingest", "--format", "hf-json"]).arg(&p).run();
    out.code(2).stderr_has("deep.json");
    let deep = format!(
        "{{\"id\":\"d:1\",\"title\":\"t\",\"x\":{}{}}}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let p = env.write("deep.jsonl", deep);
    env.cmd(["ingest", "--format", "jsonl"])
        .arg(&p)
        .run()
        .code(3)
        .stderr_has("deep.jsonl:1: skipped");
    assert_intact(&env, n);
}

#[test]
fn terminal_escapes_and_bidi_overrides_never_reach_the_terminal() {
    let env = TestEnv::new();
    let title = "Evil \u{1b}]0;pwned\u{7}\u{1b}[2J title \u{202e}txt.exe <script>alert(1)</script>";
    let rec = serde_json::json!({"id": "evil:1", "title": title, "abstract": "javascript:alert(1) \r\nBcc: victim@example.com"});
    env.cmd(["ingest", "-"])
        .stdin(format!("{rec}\n"))
        .run()
        .success();
    for format in ["table", "md", "csv"] {
        let out = env.cmd(["search", "evil", "--format", format]).run();
        out.success();
        assert!(
            !out.stdout.contains('\u{1b}'),
            "{format}: escape reached stdout"
        );
        assert!(
            !out.stdout.contains('\u{202e}'),
            "{format}: bidi override reached stdout"
        );
        assert!(
            !out.stdout.contains('\u{7}'),
            "{format}: bell reached stdout"
        );
    }
    let out = env.cmd(["show", "evil:1", "--format", "table"]).run();
    out.success();
    assert!(!out.stdout.contains('\u{1b}') && !out.stdout.contains('\u{202e}'));
    // JSON keeps the exact text, escaped by JSON itself.
    let out = env.cmd(["show", "evil:1", "--json"]).run();
    out.success();
    assert_eq!(
        out.json()["title"],
        title.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    let _ = fixture("hf-text/seed.txt");
}

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

#[test]
fn authors_and_titles_never_reach_a_terminal_raw() {
    // See: #19
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

//! `digest`: each format against committed snapshots (fixed clock), HTML
//! escaping of feed text, the 72-column text part, and previews that record
//! nothing.
//!
//! The snapshots are `insta` files, one a format, in
//! `tests/integration/snapshots/integration__digest__<format>.snap`: a short
//! header, then the output as the binary printed it. insta compares with CRLF
//! read as LF and trailing white space at the end trimmed, so the test checks
//! the message's CRLF line ends and the final newline itself.
//!
//! On a mismatch a run writes the new output beside the old one as
//! `….snap.new` and fails; under `CI` (any value but `0`/`false`) it writes
//! nothing and fails. After an intended change, rewrite the snapshots in place
//! with `INSTA_UPDATE=always cargo test --test integration digest::` and
//! review `git diff tests/integration/snapshots` like code (`cargo insta
//! review` does the same if `cargo-insta` is installed). Delete stray
//! `.snap.new` files afterwards.

use std::path::PathBuf;

use crate::support::{TestEnv, fixture};

fn config(env: &TestEnv) -> PathBuf {
    env.write(
        "config.toml",
        format!(
            r#"
[digest]
limit = 5

[interests]
keywords = {{ "vision transformer" = 1.5, "knowledge distillation" = 2.0 }}

[[sources]]
name = "seed"
kind = "file"
path = {:?}

[mail]
from = "papertrend <digest@example.org>"
to = ["alice@example.org", "bob@example.org"]
"#,
            fixture("hf-text/seed.txt")
        ),
    )
}

fn ingested() -> (TestEnv, PathBuf) {
    let env = TestEnv::new();
    let cfg = config(&env);
    env.cmd(["--config"])
        .arg(&cfg)
        .args(["ingest"])
        .arg(fixture("hf-text/seed.txt"))
        .run()
        .success();
    (env, cfg)
}

#[test]
fn every_format_matches_its_snapshot() {
    let (env, cfg) = ingested();
    for format in ["md", "html", "text", "json", "eml"] {
        let out = env
            .cmd(["--config"])
            .arg(&cfg)
            .args(["digest", "--format", format])
            .run();
        out.success();
        insta::assert_snapshot!(format, out.stdout);
        // What insta's comparison folds away: one final line end, and CRLF
        // throughout the message (RFC 5322), LF everywhere else.
        let (eol, other) = if format == "eml" {
            ("\r\n", "\n")
        } else {
            ("\n", "\r")
        };
        assert!(
            out.stdout.ends_with(eol) && !out.stdout.ends_with(&eol.repeat(2)),
            "{format}: not one final {eol:?}"
        );
        assert!(
            !out.stdout.replace(eol, "").contains(other),
            "{format}: a line end other than {eol:?}"
        );
    }
    // A preview records nothing: the ledger stays absent.
    assert!(!env.data_dir().join("state/ledger.json").exists());
}

#[test]
fn dry_run_prints_the_exact_message() {
    let (env, cfg) = ingested();
    let eml = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["digest", "--format", "eml"])
        .run();
    let dry = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["digest", "--send", "--dry-run"])
        .run();
    dry.success();
    assert_eq!(dry.stdout, eml.stdout);
    assert!(dry.stdout.contains("Content-Type: multipart/alternative;"));
    assert!(
        dry.stdout
            .contains("To: alice@example.org, bob@example.org\r\n"),
        "{}",
        dry.stdout
    );
}

#[test]
fn the_text_part_wraps_at_72_columns() {
    let (env, cfg) = ingested();
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["digest", "--format", "text"])
        .run();
    out.success();
    for line in out.stdout.lines() {
        assert!(
            line.chars().count() <= 72 || line.contains("https://"),
            "too long: {line:?}"
        );
    }
}

#[test]
fn feed_text_is_escaped_in_html_and_markdown() {
    let env = TestEnv::new();
    let cfg = config(&env);
    let record = serde_json::json!({
        "id": "test:1",
        "title": "<img src=x onerror=alert(1)> & [link](http://evil)",
        "abstract": "Uses <script>x</script> for vision transformer work.",
        "url": "https://example.org/a\"onmouseover=\"alert(1)",
    });
    let src = env.write("hostile.jsonl", format!("{record}\n"));
    env.cmd(["--config"])
        .arg(&cfg)
        .args(["ingest"])
        .arg(&src)
        .run()
        .success();
    let html = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["digest", "--format", "html"])
        .run();
    html.success();
    assert!(!html.stdout.contains("<img"), "{}", html.stdout);
    assert!(!html.stdout.contains("<script>"));
    assert!(
        html.stdout
            .contains("&lt;img src=x onerror=alert(1)&gt; &amp; [link]")
    );
    assert!(
        html.stdout.contains(
            "href=\"https:&#x2f;&#x2f;example.org&#x2f;a%22onmouseover=%22alert%281%29\""
        ),
        "{}",
        html.stdout
    );
    assert!(html.stdout.contains("<mark"), "matched term highlighted");
    let md = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["digest", "--format", "md"])
        .run();
    md.success();
    assert!(
        md.stdout
            .contains("\\<img src=x onerror=alert(1)\\> & \\[link\\](http://evil)"),
        "{}",
        md.stdout
    );
}

#[test]
fn a_user_template_replaces_the_built_in_one() {
    let (env, cfg) = ingested();
    let dir = env.path("tpl");
    env.write(
        "tpl/digest.md.j2",
        "{{ d.date }}: {{ d.papers | length }} papers\n",
    );
    let text = std::fs::read_to_string(&cfg).unwrap().replace(
        "[digest]\n",
        &format!("[digest]\ntemplates_dir = {dir:?}\n"),
    );
    std::fs::write(&cfg, text).unwrap();
    let out = env.cmd(["--config"]).arg(&cfg).args(["digest"]).run();
    out.success();
    assert_eq!(out.stdout, "2026-11-27: 5 papers\n");
}

//! `config init` (#26): without a terminal it writes the commented template
//! with no interests and says what to edit; on a terminal it asks.

use crate::support::TestEnv;

/// The config `config init` writes in the test's home.
fn written(env: &TestEnv) -> (String, toml::Value) {
    let path = env.path("home/.config/papertrend/config.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let value = toml::from_str(&text).unwrap();
    (text, value)
}

#[test]
fn without_a_terminal_init_writes_the_template_with_no_interests() {
    let env = TestEnv::new();
    let out = env.cmd(["config", "init"]).run();
    out.success();
    let (text, value) = written(&env);
    let interests = &value["interests"];
    assert_eq!(interests["keywords"], toml::Value::Array(vec![]), "{text}");
    assert_eq!(interests["negative"], toml::Value::Array(vec![]), "{text}");
    assert!(
        !text.contains("survey\" = 1.0"),
        "the demo's negative keyword"
    );
    assert!(
        !text.contains("keywords = { \"in-context"),
        "the demo's interests"
    );
    assert!(value.get("sources").is_none(), "no live source");
    assert!(value.get("data_dir").is_none());
    // Still the documented template: every source kind as a comment.
    for kind in ["hf-daily", "arxiv-api", "arxiv-rss", "url"] {
        assert!(text.contains(&format!("# kind = \"{kind}\"")), "{kind}");
    }
    // It says what to edit.
    let path = env.path("home/.config/papertrend/config.toml");
    assert_eq!(
        out.stdout,
        format!(
            "wrote {}\nnext, edit it:\n  \
             [interests] keywords: what you want to read about, e.g. [\"retrieval\", \"agents\"]\n  \
             [[sources]]: uncomment one (hf-daily: Hugging Face's daily papers; arxiv-rss: an arXiv category)\n  \
             [mail]: host, login and `enabled = true` to get the digest by e-mail\n\
             then `papertrend config check`, and `papertrend run` (daily, from cron)\n",
            path.display()
        )
    );
    // And it loads.
    env.cmd(["config", "check"]).run().code(0);
}

#[test]
fn on_a_terminal_init_asks_for_interests_mail_and_sources() {
    let env = TestEnv::new();
    let bin = env!("CARGO_BIN_EXE_papertrend");
    let mut child = env
        .isolated("script")
        .args(["-qec", &format!("{bin} config init"), "/dev/null"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"retrieval, world models\nme@example.org\nn\ncs.CL\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let (text, value) = written(&env);
    let keywords: Vec<&str> = value["interests"]["keywords"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    assert_eq!(keywords, ["retrieval", "world models"], "{text}");
    assert_eq!(value["mail"]["to"][0].as_str(), Some("me@example.org"));
    let sources = value["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 1, "{text}");
    assert_eq!(sources[0]["kind"].as_str(), Some("arxiv-rss"));
    assert_eq!(sources[0]["category"].as_str(), Some("cs.CL"));
}

#[test]
fn config_init_has_no_demo_source_and_check_reports_a_missing_file() {
    // See: #18
    let env = TestEnv::new();
    env.cmd(["config", "init"]).run().success();
    let path = env.path("home/.config/papertrend/config.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("\ndata_dir = "), "{text}");
    assert!(text.contains("# [[sources]]\n# name = \"seed\""), "{text}");
    let out = env.cmd(["config", "check"]).run();
    out.success();
    assert!(
        out.stdout.contains("[interests.keywords]"),
        "{}",
        out.stdout
    );
    let cfg = env.write(
        "c.toml",
        "[[sources]]\nname = \"seed\"\nkind = \"file\"\npath = \"no/such/seed.txt\"\n",
    );
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["config", "check"])
        .run();
    out.code(2);
    let missing = env.path("no/such/seed.txt");
    out.stderr_has(&format!(
        "papertrend: error: {}: source \"seed\": {} does not exist\nhint: ",
        cfg.display(),
        missing.display()
    ));
}

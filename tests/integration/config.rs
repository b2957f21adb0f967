//! Config loading, the `config` subcommands and the CLI surface.

use crate::support::TestEnv;

#[test]
fn unknown_config_keys_name_the_key_file_and_line() {
    let env = TestEnv::new();
    let cfg = env.write("c.toml", "[search]\nlimit = 3\n[intrests]\nkeywords = {}\n");
    let out = env.cmd(["--config"]).arg(&cfg).args(["stats"]).run();
    out.code(2);
    out.stderr_has("c.toml:3: unknown field `intrests`")
        .stderr_has("hint: did you mean `interests`?");
}

#[test]
fn config_from_the_environment_is_used() {
    let env = TestEnv::new();
    let cfg = env.write("c.toml", "[search]\nlimit = 2\n");
    env.ingest(&["hf-text/seed.txt"]);
    let out = env
        .cmd(["search", "transformers", "--json"])
        .env("PAPERTREND_CONFIG", &cfg)
        .run();
    out.success();
    assert_eq!(out.json().as_array().unwrap().len(), 2);
}

#[test]
fn config_init_writes_the_example_once() {
    let env = TestEnv::new();
    let out = env.cmd(["config", "init"]).run();
    out.success();
    let path = env.path("home/.config/papertrend/config.toml");
    // The example without the demo's data dir and source.
    let written = std::fs::read_to_string(&path).unwrap();
    let example = include_str!("../../config.example.toml");
    assert_ne!(written, example);
    assert_eq!(written.lines().count(), example.lines().count());
    assert!(written.contains("# path = \"fixtures/hf-text/seed.txt\""));
    env.cmd(["config", "init"])
        .run()
        .code(2)
        .stderr_has("already exists");
    let out = env.cmd(["config", "path"]).run();
    out.success();
    assert_eq!(out.stdout.trim(), path.display().to_string());
}

#[test]
fn config_check_resolves_relative_paths_against_the_config_folder() {
    let env = TestEnv::new();
    let cfg = env.write(
        "conf/c.toml",
        "[[sources]]\nname = \"seed\"\nkind = \"file\"\npath = \"seed.txt\"\n",
    );
    env.write("conf/seed.txt", "");
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["config", "check"])
        .run();
    out.success();
    let expected = env.path("conf/seed.txt");
    assert!(
        out.stdout.contains(&expected.display().to_string()),
        "{}",
        out.stdout
    );
}

#[test]
fn help_lists_the_exit_codes() {
    let env = TestEnv::new();
    let out = env.cmd(["--help"]).run();
    out.success();
    for code in [
        "0  success",
        "1  runtime failure",
        "2  usage or configuration error",
        "3  partial success",
        "4  another papertrend process",
    ] {
        assert!(out.stdout.contains(code), "missing {code:?}");
    }
}

#[test]
fn a_bad_clock_override_is_a_usage_error() {
    let env = TestEnv::new();
    env.cmd(["stats"])
        .env("PAPERTREND_NOW", "tomorrow")
        .run()
        .code(2)
        .stderr_has("PAPERTREND_NOW");
}

#[test]
fn source_errors_name_the_file_line_and_key() {
    // See: #20
    let env = TestEnv::new();
    let cases = [
        (
            "[[sources]]\nname = \"a\"\nkind = \"file\"\npath = \"x\"\nquery = \"cat:cs.CL\"\n",
            "5: source \"a\": `query` does not apply to `file` sources (only to `arxiv-api`)\n\
             hint: `file` sources take `name`, `path`, `recursive`, `format`, `enabled` (and `kind`)",
        ),
        (
            "[search]\nlimit = 3\n\n[[sources]]\nname = \"a\"\nkind = \"file\"\n",
            "4: source \"a\" (kind file) needs `path`\n\
             hint: `file` sources take `name`, `path`, `recursive`, `format`, `enabled` (and `kind`)",
        ),
        (
            "[[sources]]\nname = \"b\"\nkind = \"url\"\nurl = \"http://127.0.0.1:9/\"\nenable = false\n",
            "5: source \"b\": unknown field `enable`\nhint: did you mean `enabled`?",
        ),
        (
            "[[sources]]\nname = \"c\"\nkind = \"arxiv-rs\"\ncategory = \"cs.CL\"\n",
            "3: unknown source kind `arxiv-rs`, expected one of `file`, `url`, `hf-daily`, \
             `arxiv-api`, `arxiv-rss`\nhint: did you mean `arxiv-rss`?",
        ),
        (
            "[[sources]]\nname = \"d\"\nkind = \"hf-daily\"\ncatch_up_days = 400\n",
            "4: source \"d\": `catch_up_days` is 400; it must be between 1 and 366",
        ),
    ];
    for (i, (text, expected)) in cases.into_iter().enumerate() {
        let cfg = env.write(&format!("c{i}.toml"), text);
        let out = env.cmd(["--config"]).arg(&cfg).args(["stats"]).run();
        out.code(2);
        assert_eq!(
            out.stderr.trim_end(),
            format!("papertrend: error: {}:{expected}", cfg.display()),
            "case {i}"
        );
    }
}

#[test]
fn config_check_shows_each_source_with_its_own_keys_and_reads_back() {
    // See: #20
    let env = TestEnv::new();
    env.write("conf/seed.txt", "");
    let cfg = env.write(
        "conf/c.toml",
        "[[sources]]\nname = \"seed\"\nkind = \"file\"\npath = \"seed.txt\"\n\n\
         [[sources]]\nname = \"hf\"\nkind = \"hf-daily\"\n\n\
         [[sources]]\nname = \"ir\"\nkind = \"arxiv-api\"\nquery = \"cat:cs.IR\"\n\n\
         [[sources]]\nname = \"cl\"\nkind = \"arxiv-rss\"\ncategory = \"cs.CL\"\nenabled = false\n\n\
         [[sources]]\nname = \"mirror\"\nkind = \"url\"\nurl = \"https://me:hunter2@example.org/p.json\"\n",
    );
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["config", "check"])
        .run();
    out.success();
    let shown = &out.stdout;
    assert!(!shown.contains("hunter2"), "{shown}");
    // Defaults are shown; keys of other kinds are not.
    assert!(
        shown.contains(
            "kind = \"arxiv-api\"\nname = \"ir\"\nquery = \"cat:cs.IR\"\npage_size = 100\n\
             max_pages = 5\ndelay = \"3s\"\nenabled = true\n"
        ),
        "{shown}"
    );
    assert!(
        shown.contains("kind = \"hf-daily\"\nname = \"hf\"\ncatch_up_days = 7\nenabled = true\n"),
        "{shown}"
    );
    // What it prints is a config that loads to the same sources.
    let again = env.write("again.toml", shown);
    let out2 = env
        .cmd(["--config"])
        .arg(&again)
        .args(["config", "check"])
        .run();
    out2.success();
    let sources =
        |s: &str| s[s.find("[[sources]]").unwrap()..s.find("[fetch]").unwrap()].to_string();
    assert_eq!(sources(&out2.stdout), sources(shown));
}

#[test]
fn keywords_as_a_list_nan_weights_and_huge_limits() {
    // See: #18
    let env = TestEnv::new();
    let cfg = env.write(
        "c.toml",
        "[interests]\nkeywords = [\"reasoning\", \"agents\"]\n",
    );
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["config", "check"])
        .run();
    out.success();
    assert!(out.stdout.contains("agents = 1.0"), "{}", out.stdout);
    assert!(out.stdout.contains("reasoning = 1.0"), "{}", out.stdout);
    for (toml, want) in [
        (
            "[search]\ntitle_boost = nan\n",
            "`search.title_boost` is NaN",
        ),
        (
            "[digest]\nlimit = 4294967296000\n",
            "`digest.limit` is 4294967296000; it must be between 1 and 1000",
        ),
    ] {
        let cfg = env.write("bad.toml", toml);
        let out = env
            .cmd(["--config"])
            .arg(&cfg)
            .args(["config", "check"])
            .run();
        out.code(2).stderr_has(want);
        assert_eq!(out.stdout, "");
    }
}

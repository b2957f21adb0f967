//! The words of errors and notices: short, exact, and naming what is wrong.

use crate::support::{TestEnv, fixture};

#[test]
fn no_match_cuts_a_huge_query_to_one_line() {
    let env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt"]);
    let query = "zzqxv ".repeat(16_000);
    let out = env.cmd(["search"]).arg(&query).run();
    out.code(0)
        .stderr_has("papertrend: no papers match \"zzqxv zzqxv");
    assert!(
        out.stderr.len() < 200,
        "{} bytes of stderr",
        out.stderr.len()
    );
    assert!(out.stderr.contains('…'), "{}", out.stderr);
}

#[test]
fn search_limit_takes_what_its_documentation_says() {
    let env = TestEnv::new();
    let cfg = env.write("ok.toml", "[search]\nlimit = 10000\n");
    env.cmd(["--config"])
        .arg(&cfg)
        .args(["config", "check"])
        .run()
        .success();
    let cfg = env.write("bad.toml", "[search]\nlimit = 10001\n");
    env.cmd(["--config"])
        .arg(&cfg)
        .args(["config", "check"])
        .run()
        .code(2)
        .stderr_has("between 1 and 10000");
    let example = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml"),
    )
    .unwrap();
    assert!(example.contains("`search` when --limit is not given (1 to 10000)"));
}

#[test]
fn an_empty_title_is_called_empty() {
    let env = TestEnv::new();
    let p = env.write(
        "empty.json",
        r#"[{"paper": {"id": "2401.00001", "title": "", "summary": "x"}},
            {"paper": {"id": "2401.00002", "title": "A real title", "summary": "y"}}]"#,
    );
    env.cmd(["ingest"])
        .arg(&p)
        .run()
        .code(3)
        .stderr_has("has no title (`title` is empty)");
}

#[test]
fn the_last_day_of_the_calendar_is_explained() {
    let env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt"]);
    let out = env.cmd(["digest", "--date", "9999-12-31"]).run();
    out.code(2)
        .stderr_has("date 9999-12-31: the last day a digest can be built for is 9999-12-30");
    assert!(!out.stderr.contains("-9999..=9999"), "{}", out.stderr);
}

#[test]
fn a_dangling_data_dir_link_is_named_not_file_exists() {
    let env = TestEnv::new();
    let data = env.data_dir();
    std::os::unix::fs::symlink(env.path("gone/data"), &data).unwrap();
    let out = env.cmd(["ingest"]).arg(fixture("hf-text/seed.txt")).run();
    out.code(1)
        .stderr_has("is a symbolic link to ")
        .stderr_has("which does not exist");
    assert!(!out.stderr.contains("File exists"), "{}", out.stderr);
}

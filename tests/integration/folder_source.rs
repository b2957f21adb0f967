//! A folder as a `file` source (#26): its listing files in name order,
//! subfolders with `recursive = true`, and `config check` catching a path
//! that cannot be used before `run` does.

use crate::support::{TestEnv, fixture};

/// Papers in the index, by `stats`.
fn papers(env: &TestEnv) -> u64 {
    let out = env.cmd(["stats", "--json"]).run();
    out.success();
    out.json()["papers"].as_u64().unwrap()
}

/// A folder `lists/` holding two Hugging Face lists, a README beside them
/// and a third list in `lists/older/`; a config whose file source is it.
fn folder(env: &TestEnv, recursive: bool) {
    let copy = |from: &str, to: &str| {
        env.write(to, std::fs::read(fixture(from)).unwrap());
    };
    copy("hf-json/2026-01-19.json", "lists/2026-01-19.json");
    copy("hf-json/2026-01-20.json", "lists/2026-01-20.json");
    copy("hf-json/2026-01-02.json", "lists/older/2026-01-02.json");
    env.write("lists/README.md", "where these lists came from\n");
    env.write(
        "c.toml",
        format!(
            "[[sources]]\nname = \"lists\"\nkind = \"file\"\npath = \"lists\"\nrecursive = {recursive}\n"
        ),
    );
}

/// Papers after ingesting `fixtures` straight into a fresh index.
fn ingested(fixtures: &[&str]) -> u64 {
    let env = TestEnv::new();
    env.ingest(fixtures);
    papers(&env)
}

#[test]
fn a_folder_source_reads_its_listing_files_and_skips_the_rest() {
    let env = TestEnv::new();
    folder(&env, false);
    env.cmd(["--config", "c.toml", "config", "check"])
        .run()
        .code(0);
    env.cmd(["--config", "c.toml", "fetch"]).run().success();
    let want = ingested(&["hf-json/2026-01-19.json", "hf-json/2026-01-20.json"]);
    assert!(want > 10, "{want}");
    assert_eq!(papers(&env), want, "the two lists, not the subfolder");
}

#[test]
fn recursive_reads_subfolders_too() {
    let env = TestEnv::new();
    folder(&env, true);
    env.cmd(["--config", "c.toml", "fetch"]).run().success();
    let want = ingested(&[
        "hf-json/2026-01-02.json",
        "hf-json/2026-01-19.json",
        "hf-json/2026-01-20.json",
    ]);
    let two = ingested(&["hf-json/2026-01-19.json", "hf-json/2026-01-20.json"]);
    assert!(want > two, "{want} vs {two}");
    assert_eq!(papers(&env), want);
}

#[test]
fn config_check_reports_a_path_that_does_not_exist() {
    let env = TestEnv::new();
    env.write(
        "c.toml",
        "[[sources]]\nname = \"mine\"\nkind = \"file\"\npath = \"nowhere/lists\"\n",
    );
    let out = env.cmd(["--config", "c.toml", "config", "check"]).run();
    out.code(2)
        .stderr_has("source \"mine\": ")
        .stderr_has("nowhere/lists does not exist");
    assert_eq!(out.stdout, "");
}

#[test]
fn config_check_reports_a_path_that_cannot_be_read() {
    let env = TestEnv::new();
    // A path through a regular file: it exists as far as the config goes
    // but can be neither opened nor listed.
    env.write("afile", "x");
    let target = env.path("afile/inside.json");
    std::os::unix::fs::symlink(&target, env.path("link.json")).unwrap();
    env.write(
        "c.toml",
        "[[sources]]\nname = \"mine\"\nkind = \"file\"\npath = \"link.json\"\n",
    );
    let out = env.cmd(["--config", "c.toml", "config", "check"]).run();
    out.code(2).stderr_has("source \"mine\": ");
    assert!(
        out.stderr
            .contains("link.json cannot be read: not a directory"),
        "{}",
        out.stderr
    );
}

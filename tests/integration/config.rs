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

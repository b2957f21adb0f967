//! Lock and state files are never opened through a symbolic link: a link
//! planted in the data dir cannot make papertrend write to its target.

use std::os::unix::fs::PermissionsExt;

use crate::support::TestEnv;

#[test]
fn a_symlink_planted_as_the_lock_leaves_its_target_untouched() {
    let env = TestEnv::new();
    let target = env.write("precious.txt", "do not truncate me\n");
    std::fs::create_dir_all(env.data_dir()).unwrap();
    std::os::unix::fs::symlink(&target, env.data_dir().join("lock")).unwrap();
    let out = env
        .cmd(["ingest"])
        .arg(crate::support::fixture("hf-text/seed.txt"))
        .run();
    out.code(1)
        .stderr_has("lock: is a symbolic link; papertrend does not follow links");
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "do not truncate me\n"
    );
    assert!(
        !env.data_dir().join("index").exists(),
        "nothing was written"
    );
}

#[test]
fn the_lock_and_marks_lock_are_created_owner_only() {
    let env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt"]);
    let mode = |p: std::path::PathBuf| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(env.data_dir().join("lock")), 0o600);
    let id = env.export()[0]["id"].as_str().unwrap().to_string();
    env.cmd(["mark", "--like", &id]).run().code(0);
    assert_eq!(mode(env.data_dir().join("state/marks.lock")), 0o600);
    assert_eq!(mode(env.data_dir().join("state/marks.json")), 0o600);
}

#[test]
fn a_symlinked_state_file_is_refused_not_read() {
    let env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt"]);
    let elsewhere = env.write("elsewhere.json", r#"{"schema_version": 1}"#);
    std::fs::create_dir_all(env.data_dir().join("state")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, env.data_dir().join("state/marks.json")).unwrap();
    env.cmd(["marks"])
        .run()
        .code(1)
        .stderr_has("marks.json: is a symbolic link");
}

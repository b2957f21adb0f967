//! The digest day never goes backwards: moving `[digest] timezone`
//! westwards does not build the previous day's digest with the papers just
//! delivered.

use crate::support::{TestEnv, fixture};

fn config(env: &TestEnv, tz: &str) -> std::path::PathBuf {
    env.write(
        "config.toml",
        format!(
            "[digest]\ntimezone = \"{tz}\"\nlimit = 3\n\n[[sources]]\nname = \"seed\"\n\
             kind = \"file\"\npath = {:?}\n",
            fixture("hf-text/seed.txt")
        ),
    )
}

#[test]
fn a_time_zone_moved_west_does_not_deliver_the_last_digest_again() {
    let mut env = TestEnv::new();
    // 01:30 on the 27th in Berlin.
    env.set_now("2026-11-27T00:30:00Z");
    let cfg = config(&env, "Europe/Berlin");
    let out = env.cmd(["--config"]).arg(&cfg).arg("run").run();
    out.success();
    assert!(out.stdout.contains("2026-11-27"), "{}", out.stdout);
    assert!(out.stdout.contains("1. "), "{}", out.stdout);

    // An hour later, in Los Angeles: still the 26th there.
    env.set_now("2026-11-27T01:30:00Z");
    let cfg = config(&env, "America/Los_Angeles");
    let out = env.cmd(["--config"]).arg(&cfg).arg("run").run();
    out.success();
    assert_eq!(out.stdout, "", "nothing is delivered again");
    let ledger: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.data_dir().join("state/ledger.json")).unwrap())
            .unwrap();
    let days: Vec<&str> = ledger["digests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["date"].as_str().unwrap())
        .collect();
    assert_eq!(days, ["2026-11-27"]);
    // The preview shows the day that was delivered, not an earlier one.
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["digest", "--format", "text"])
        .run();
    out.success();
    assert!(out.stdout.contains("2026-11-27"), "{}", out.stdout);
}

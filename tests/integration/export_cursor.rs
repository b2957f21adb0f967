//! The export cursor against the clock: a clock stepped back loses no paper,
//! a clock that was far ahead hides none ingested after it, and a clock
//! behind a recorded cursor is said.

use crate::support::{TestEnv, fixture};

fn ingest(env: &TestEnv, rel: &str) -> crate::support::Output {
    env.cmd(["ingest"]).arg(fixture(rel)).run()
}

fn export(env: &TestEnv) -> crate::support::Output {
    env.cmd(["export", "--since-cursor", "mail"]).run()
}

#[test]
fn a_clock_stepped_back_a_minute_loses_no_paper_for_the_cursor() {
    let mut env = TestEnv::new();
    env.set_now("2026-11-27T08:00:00Z");
    ingest(&env, "hf-json/2026-01-02.json").success();
    assert_eq!(export(&env).jsonl().len(), 3);
    // An NTP correction: the clock goes back one minute.
    env.set_now("2026-11-27T07:59:00Z");
    ingest(&env, "hf-json/2026-01-19.json").success();
    let out = export(&env);
    out.success();
    let ids: Vec<_> = out.jsonl().iter().map(|p| p["id"].clone()).collect();
    assert!(!ids.is_empty(), "the papers ingested after the step back");
    assert_eq!(export(&env).jsonl().len(), 0, "each paper once");
}

#[test]
fn a_run_with_the_clock_a_year_ahead_hides_no_later_paper_and_is_said() {
    let mut env = TestEnv::new();
    env.set_now("2027-11-27T08:00:00Z");
    ingest(&env, "hf-json/2026-01-02.json").success();
    assert_eq!(export(&env).jsonl().len(), 3);
    // The clock is put right.
    env.set_now("2026-11-28T08:00:00Z");
    let out = ingest(&env, "hf-json/2026-01-19.json");
    out.code(0)
        .stderr_has("the clock (2026-11-28 08:00 UTC) is 364 days behind")
        .stderr_has("check the clock");
    let out = export(&env);
    out.code(0)
        .stderr_has("cursor mail has reached 2027-11-27 08:00 UTC, ahead of the clock");
    assert!(!out.jsonl().is_empty(), "later papers are still handed out");
}

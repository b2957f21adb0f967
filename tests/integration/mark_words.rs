//! `mark`, `mute` and `marks --profile` in a reader's words (#26): a
//! confirmation on a terminal and silence to a pipe; the profile as words,
//! not stems.

use crate::support::TestEnv;
use crate::support::hf::{AUDIO_LIKES, january};

fn env() -> TestEnv {
    let mut env = TestEnv::new();
    env.set_now("2026-01-30T12:00:00Z");
    env.cmd(["ingest"]).args(january()).run().success();
    env
}

/// Runs papertrend on a pseudo-terminal; what the terminal showed.
fn on_terminal(env: &TestEnv, args: &str) -> String {
    let bin = env!("CARGO_BIN_EXE_papertrend");
    let data = env.data_dir();
    let out = env
        .isolated("script")
        .args([
            "-qec",
            &format!("{bin} --data-dir {} {args}", data.display()),
            "/dev/null",
        ])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{args}: {out:?}");
    String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n")
}

#[test]
fn mark_and_mute_confirm_on_a_terminal() {
    let env = env();
    assert_eq!(
        on_terminal(&env, "mark 2601.06329 2601.14046 2601.14417 --like"),
        "liked 3 papers\n"
    );
    assert_eq!(
        on_terminal(&env, "mark 2601.21337 --save"),
        "saved 1 paper\n"
    );
    assert_eq!(on_terminal(&env, "unmark 2601.21337"), "unmarked 1 paper\n");
    assert_eq!(
        on_terminal(&env, "mute world models --for 30d"),
        "muted world models until 2026-03-01 12:00 UTC\n"
    );
    assert_eq!(
        on_terminal(&env, "unmute world models"),
        "unmuted world models\n"
    );
}

#[test]
fn mark_and_mute_are_silent_to_a_pipe() {
    let env = env();
    let out = env.cmd(["mark", "2601.06329", "--like"]).run();
    out.success();
    assert_eq!(out.stdout, "");
    let out = env.cmd(["mute", "author:Xian Shi"]).run();
    out.success();
    assert_eq!(out.stdout, "");
    // -v says it on stderr, for a log.
    let out = env.cmd(["-v", "mark", "2601.14046", "--dislike"]).run();
    assert_eq!(out.code, 0);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.contains("papertrend: disliked 1 paper"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_profile_shows_words_not_stems() {
    let env = env();
    env.cmd(["mark"])
        .args(AUDIO_LIKES)
        .arg("--like")
        .run()
        .success();
    let out = env.cmd(["marks", "--profile", "--json"]).run();
    out.success();
    let terms = out.json()["profile"]["terms"].as_array().unwrap().clone();
    let word_of = |stem: &str| {
        terms
            .iter()
            .find(|t| t["stem"] == stem)
            .map(|t| t["word"].as_str().unwrap().to_string())
    };
    assert_eq!(word_of("multilingu").as_deref(), Some("multilingual"));
    assert_eq!(word_of("speech").as_deref(), Some("speech"));
    assert_eq!(word_of("recognit").as_deref(), Some("recognition"));
    // On a terminal the words, never the stems.
    let shown = on_terminal(&env, "--width 80 marks --profile");
    assert!(shown.contains(" multilingual"), "{shown}");
    assert!(!shown.contains("multilingu "), "{shown}");
    assert!(
        shown.contains("profile from 10 likes and 0 dislikes:"),
        "{shown}"
    );
}

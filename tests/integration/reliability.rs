//! Crash safety: an ingest killed with SIGKILL leaves the last commit, and a
//! rerun converges to the state of an uninterrupted ingest.

use std::process::Command;

use crate::support::scripted_smtp::{self, Script, Sink};
use crate::support::{NOW, TestEnv};

/// Synthetic records (generated, not real data): enough to span many batches.
fn big_jsonl(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        let rec = serde_json::json!({
            "id": format!("synthetic:{i}"),
            "title": format!("Synthetic paper number {i} about sparse attention"),
            "abstract": "We study sparse attention in transformers. ".repeat(20),
            "published": "2026-11-01T00:00:00Z",
        });
        s.push_str(&rec.to_string());
        s.push('\n');
    }
    s
}

#[test]
fn sigkill_during_ingest_keeps_the_last_commit_and_a_rerun_converges() {
    const N: usize = 60_000;
    const BATCH: usize = 2_000;
    let env = TestEnv::new();
    let cfg = env.write(
        "c.toml",
        format!("[ingest]\nbatch_size = {BATCH}\nwriter_memory_mb = 32\n"),
    );
    let data = env.write("big.jsonl", big_jsonl(N));
    let meta = env.data_dir().join("index").join("meta.json");
    let mut interrupted = 0;
    for wait_ms in [300u64, 900] {
        let mut child = env
            .cmd(["--config"])
            .arg(&cfg)
            .arg("ingest")
            .arg(&data)
            .spawn();
        // Let it commit a few batches, then kill it mid-flight.
        let started = std::time::Instant::now();
        while !meta.exists() && started.elapsed().as_secs() < 30 {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        std::thread::sleep(std::time::Duration::from_millis(wait_ms));
        let _ = child.kill();
        let status = child.wait().unwrap();
        let out = env
            .cmd(["--config"])
            .arg(&cfg)
            .args(["stats", "--json"])
            .run();
        out.success();
        let papers = out.json()["papers"].as_u64().unwrap() as usize;
        if status.success() {
            // It finished before the kill landed: everything is there.
            assert_eq!(papers, N);
        } else {
            assert_eq!(
                papers % BATCH,
                0,
                "only whole batches survive a kill: {papers}"
            );
            assert!(papers < N);
            interrupted += 1;
        }
    }
    assert!(
        interrupted > 0,
        "the kill never landed mid-ingest; make the input bigger"
    );
    // The rerun converges: same count, same ids, and first_seen kept.
    let before: std::collections::HashMap<String, serde_json::Value> = env
        .export()
        .into_iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().to_string(),
                p["first_seen"].clone(),
            )
        })
        .collect();
    env.cmd(["--config"])
        .arg(&cfg)
        .arg("ingest")
        .arg(&data)
        .run()
        .success();
    let after = env.export();
    assert_eq!(after.len(), N);
    for p in &after {
        if let Some(seen) = before.get(p["id"].as_str().unwrap()) {
            assert_eq!(&p["first_seen"], seen);
        }
    }
}

fn archived_new(env: &TestEnv, day: &str) -> u64 {
    let path = env.data_dir().join(format!("state/digests/{day}.json"));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("archived digest")).unwrap();
    v["counts"]["new"].as_u64().unwrap()
}

#[test]
fn an_ingest_overlapping_a_run_is_never_skipped_by_the_next_digest() {
    // See: #19
    // The morning after 2026-01-19, whose list arrives during the run.
    let mut env = TestEnv::new();
    env.set_now("2026-01-20T08:00:00Z");
    env.ingest(&["hf-text/seed.txt"]);
    let seeded = env.export().len();
    let sink = Sink::start(Script {
        hold_250: true,
        ..Script::default()
    });
    let cfg = scripted_smtp::config(&env, sink.port, "");
    // The run has read its watermark and built the digest; the server holds
    // its 250, so the run has not recorded the watermark yet.
    let run = env.cmd(["--config"]).arg(&cfg).arg("run").spawn();
    sink.wait_for_message();
    let later = crate::support::fixture("hf-json/2026-01-19.json");
    let during = env.cmd(["ingest"]).arg(&later).run();
    during
        .code(4)
        .stderr_has("held by `papertrend run` (pid ")
        .stderr_has("hint: wait for it to finish");
    sink.release();
    let out = run.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(archived_new(&env, "2026-01-20"), seeded as u64);
    // The same ingest right after, in the very second the digest covered
    // (the clock is fixed): its papers must still count as new tomorrow.
    env.cmd(["ingest"]).arg(&later).run().success();
    let added = env.export().len() - seeded;
    assert!(added > 0);
    env.set_now("2026-01-21T08:00:00Z");
    env.cmd(["--config"]).arg(&cfg).arg("run").run().success();
    assert_eq!(sink.messages().len(), 2);
    assert_eq!(archived_new(&env, "2026-01-21"), added as u64);
}

/// Runs `papertrend --data-dir DATA ARGS` with DATA mounted read-only (a
/// private mount namespace of an unprivileged user namespace), or, where
/// that is not allowed, with DATA made read-only by permissions (which
/// binds only a non-root user). `None` when neither can make it read-only.
fn run_read_only(env: &TestEnv, args: &str) -> Option<crate::support::Output> {
    let data = env.data_dir();
    let bin = env!("CARGO_BIN_EXE_papertrend");
    let line = format!(
        "mount --bind -o ro {d} {d} && exec {bin} --data-dir {d} {args}",
        d = data.display()
    );
    let probe = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c"])
        .arg(format!(
            "mount --bind -o ro {d} {d} && ! touch {d}/probe 2>/dev/null",
            d = data.display()
        ))
        .status();
    let cmd = if probe.is_ok_and(|s| s.success()) {
        let mut c = Command::new("unshare");
        c.args(["--user", "--map-root-user", "--mount", "sh", "-c", &line]);
        c
    } else {
        let _ = Command::new("chmod")
            .args(["-R", "a-w"])
            .arg(&data)
            .status();
        if std::fs::write(data.join("probe"), "x").is_ok() {
            return None;
        }
        let mut c = Command::new(bin);
        c.arg("--data-dir").arg(&data).args(args.split(' '));
        c
    };
    let out = {
        let mut cmd = cmd;
        cmd.env("PAPERTREND_NOW", NOW)
            .env("NO_COLOR", "1")
            .env("HOME", env.path("home"))
            .output()
            .expect("run")
    };
    Some(crate::support::Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

#[test]
fn reads_work_on_a_read_only_data_dir_and_writes_fail_in_one_line() {
    // See: #19
    let env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt"]);
    let all = env.export();
    let id = all[0]["id"].as_str().unwrap().to_string();
    let Some(stats) = run_read_only(&env, "stats --json") else {
        eprintln!("r19: cannot make a read-only data dir here (root without user namespaces)");
        return;
    };
    stats.success();
    assert_eq!(stats.json()["papers"].as_u64(), Some(all.len() as u64));
    let export = run_read_only(&env, "export").unwrap();
    export.success();
    assert_eq!(export.jsonl().len(), all.len());
    for args in [
        "search transformer --format jsonl",
        "top --format jsonl --limit 3",
    ] {
        let out = run_read_only(&env, args).unwrap();
        out.success();
        assert!(!out.jsonl().is_empty(), "{args}");
    }
    let show = run_read_only(&env, &format!("show {id}")).unwrap();
    show.success();
    assert_eq!(show.json()["id"], id.as_str());
    let write = run_read_only(
        &env,
        &format!(
            "ingest {}",
            crate::support::fixture("hf-json/2026-01-19.json").display()
        ),
    )
    .unwrap();
    write.code(1);
    assert_eq!(write.stderr.lines().count(), 1, "{}", write.stderr);
    assert!(write.stderr.contains("lock: "), "{}", write.stderr);
    assert!(!write.stderr.contains("IoError"), "{}", write.stderr);
}

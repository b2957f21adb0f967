//! Crash safety: an ingest killed with SIGKILL leaves the last commit, and a
//! rerun converges to the state of an uninterrupted ingest.

use crate::support::TestEnv;

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

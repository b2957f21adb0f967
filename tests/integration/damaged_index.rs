//! A damaged index folder: never read as empty, never replaced by a new
//! index, and rebuilt by `doctor --repair` from its segment files.

use std::path::Path;

use crate::support::TestEnv;

const SEED: &str = "hf-text/seed.txt";

fn by_id(records: Vec<serde_json::Value>) -> std::collections::BTreeMap<String, serde_json::Value> {
    records
        .into_iter()
        .map(|r| (r["id"].as_str().unwrap().to_string(), r))
        .collect()
}

fn segment_files(index: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(index)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.split_once('.')
                .is_some_and(|(id, _)| id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()))
        })
        .collect();
    names.sort();
    names
}

#[test]
fn a_missing_meta_json_is_damage_for_readers_and_writers_and_doctor_rebuilds() {
    let env = TestEnv::new();
    env.ingest(&[SEED]);
    let before = by_id(env.export());
    assert_eq!(before.len(), 189);
    let index = env.data_dir().join("index");
    std::fs::remove_file(index.join("meta.json")).unwrap();
    let segments = segment_files(&index);
    assert!(!segments.is_empty());

    // Every reader reports the damage instead of "0 papers".
    for args in [
        &["stats", "--json"][..],
        &["search", "transformer"],
        &["top"],
        &["export"],
    ] {
        let out = env.cmd(args).run();
        out.code(1)
            .stderr_has("the index is damaged: `meta.json` is missing")
            .stderr_has("hint: nothing was changed; `papertrend doctor`");
        assert_eq!(out.stdout, "", "{args:?} printed something");
    }
    // A writer refuses to create an index over the segments.
    let other = crate::support::fixture("hf-json/2026-01-02.json");
    env.cmd(["ingest"])
        .arg(&other)
        .run()
        .code(1)
        .stderr_has("the index is damaged");
    assert_eq!(
        segment_files(&index),
        segments,
        "the segment files are kept"
    );
    assert!(!index.join("meta.json").exists());

    // `doctor` explains and changes nothing; `--repair` rebuilds.
    let out = env.cmd(["doctor"]).run();
    out.code(1);
    assert!(
        out.stdout.contains("is damaged: `meta.json` is missing"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("papertrend doctor --repair"),
        "{}",
        out.stdout
    );
    assert_eq!(segment_files(&index), segments);

    let out = env.cmd(["doctor", "--repair"]).run();
    out.success();
    assert!(
        out.stdout.contains("rebuilt the index: 189 papers"),
        "{}",
        out.stdout
    );
    let after = by_id(env.export());
    assert_eq!(after.len(), 189);
    for (id, paper) in &before {
        assert_eq!(
            after.get(id),
            Some(paper),
            "{id} came back changed or not at all"
        );
    }
    let kept: Vec<_> = std::fs::read_dir(env.data_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("index.damaged-"))
        .collect();
    assert_eq!(kept.len(), 1, "the damaged folder is kept aside");

    // Re-ingesting the same dump is still recognised (fingerprints kept).
    let out = env
        .cmd(["-v", "ingest"])
        .arg(crate::support::fixture(SEED))
        .run();
    out.code(0);
    assert!(out.stderr.contains("0 added, 0 updated"), "{}", out.stderr);
    env.cmd(["doctor"]).run().success();
}

#[test]
fn a_meta_json_listing_missing_segments_is_damage_not_an_engine_error() {
    let env = TestEnv::new();
    env.ingest(&[SEED]);
    let index = env.data_dir().join("index");
    for name in segment_files(&index) {
        if name.ends_with(".store") {
            std::fs::remove_file(index.join(name)).unwrap();
        }
    }
    env.cmd(["stats"])
        .run()
        .code(1)
        .stderr_has("segment(s) whose files are missing");
}

#[test]
fn an_unreadable_meta_json_is_damage() {
    let env = TestEnv::new();
    env.ingest(&[SEED]);
    let index = env.data_dir().join("index");
    std::fs::write(index.join("meta.json"), b"{\"segments\": [").unwrap();
    env.cmd(["stats"])
        .run()
        .code(1)
        .stderr_has("`meta.json` is not valid JSON");
    env.cmd(["doctor", "--repair"]).run().success();
    assert_eq!(env.export().len(), 189);
}

#[test]
fn leftover_segment_files_are_removed_at_the_next_writer_open() {
    // See: #19
    let env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt"]);
    let index = env.data_dir().join("index");
    // What a commit that died on a full disk leaves: segment files tantivy
    // created (so listed in .managed.json) that no commit refers to.
    let orphan = "0123456789abcdef0123456789abcdef.idx";
    std::fs::write(index.join(orphan), vec![0u8; 4096]).unwrap();
    let managed = index.join(".managed.json");
    let mut list: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(&managed).unwrap()).unwrap();
    list.push(orphan.to_string());
    std::fs::write(&managed, serde_json::to_string(&list).unwrap()).unwrap();
    // An ingest with nothing new commits nothing, yet cleans up.
    env.ingest(&["hf-text/seed.txt"]);
    assert!(
        !index.join(orphan).exists(),
        "the orphan segment file is still there"
    );
    assert_eq!(env.export().len(), {
        let fresh = TestEnv::new();
        fresh.ingest(&["hf-text/seed.txt"]);
        fresh.export().len()
    });
}

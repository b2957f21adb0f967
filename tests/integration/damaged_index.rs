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

/// Every file in the index folder, with its size: what "nothing was
/// deleted" compares.
fn all_files(index: &Path) -> Vec<(String, u64)> {
    let mut files: Vec<(String, u64)> = std::fs::read_dir(index)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().len(),
            )
        })
        .collect();
    files.sort();
    files
}

/// Reads and writers refuse `index`, saying why and how to recover, and
/// change nothing in it.
fn refused_by_every_command(env: &TestEnv, index: &Path, damage: &str, id: &str) {
    let files = all_files(index);
    for args in [
        &["stats", "--json"][..],
        &["search", "reasoning"],
        &["top"],
        &["trends"],
        &["export"],
        &["show", id],
        &["similar", id],
        &["explain", id],
        &["digest", "--format", "md"],
    ] {
        let out = env.cmd(args).run();
        out.code(1)
            .stderr_has(&format!("the index is damaged: {damage}"))
            .stderr_has("hint: nothing was changed; `papertrend doctor`");
        assert_eq!(out.stdout, "", "{args:?} printed something");
    }
    env.cmd(["ingest"])
        .arg(crate::support::fixture("hf-json/2026-01-20.json"))
        .run()
        .code(1)
        .stderr_has(&format!("the index is damaged: {damage}"))
        .stderr_has("hint: nothing was changed");
    assert_eq!(all_files(index), files, "a file changed or went away");
}

#[test]
fn a_meta_json_restored_from_an_older_backup_is_damage_and_doctor_keeps_every_paper() {
    let env = TestEnv::new();
    env.ingest(&[SEED]);
    let index = env.data_dir().join("index");
    let backup = std::fs::read(index.join("meta.json")).unwrap();
    let old_segments = segment_files(&index);
    // A later ingest commits a new segment beside the old one.
    env.ingest(&["hf-json/2026-01-02.json", "hf-json/2026-01-19.json"]);
    let before = by_id(env.export());
    assert_eq!(before.len(), 189 + 15);
    let id = before
        .keys()
        .find(|k| k.starts_with("arxiv:"))
        .unwrap()
        .clone();
    let segments = segment_files(&index);
    assert!(
        old_segments.iter().all(|s| segments.contains(s)) && segments.len() > old_segments.len(),
        "the old segment is kept and a new one added: {segments:?}"
    );

    // The backup's `meta.json` is readable and all its segments are on
    // disk; it only leaves out the newer one.
    std::fs::write(index.join("meta.json"), &backup).unwrap();
    refused_by_every_command(&env, &index, "`meta.json` is older than the last one", &id);

    let out = env.cmd(["doctor"]).run();
    out.code(1);
    assert!(
        out.stdout.contains("leaves out 1 segment(s) on disk")
            && out.stdout.contains("papertrend doctor --repair"),
        "{}",
        out.stdout
    );
    let out = env.cmd(["doctor", "--repair"]).run();
    out.success();
    assert!(
        out.stdout.contains("rebuilt the index: 204 papers"),
        "{}",
        out.stdout
    );
    let after = by_id(env.export());
    assert_eq!(after.len(), before.len());
    for (id, paper) in &before {
        assert_eq!(
            after.get(id),
            Some(paper),
            "{id} came back changed or not at all"
        );
    }
    let out = env.cmd(["doctor"]).run();
    out.success();
    assert!(
        out.stdout.contains("is intact: 204 papers"),
        "{}",
        out.stdout
    );
}

#[test]
fn an_index_folder_restored_over_a_newer_one_is_damage() {
    // A whole folder put back from a backup without deleting what is newer:
    // tantivy's own list of its files is the old one too, so the newer
    // segment is one it never wrote here.
    let env = TestEnv::new();
    env.ingest(&[SEED]);
    let index = env.data_dir().join("index");
    let backup: Vec<(String, Vec<u8>)> = std::fs::read_dir(&index)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    env.ingest(&["hf-json/2026-01-02.json"]);
    let id = env.export()[0]["id"].as_str().unwrap().to_string();
    for (name, bytes) in &backup {
        std::fs::write(index.join(name), bytes).unwrap();
    }
    refused_by_every_command(
        &env,
        &index,
        "1 segment(s) on disk are neither in `meta.json` nor among the files tantivy wrote",
        &id,
    );
    let out = env.cmd(["doctor", "--repair"]).run();
    out.success();
    assert!(
        out.stdout.contains("rebuilt the index: 192 papers"),
        "{}",
        out.stdout
    );
}

#[test]
fn segments_tantivy_has_yet_to_collect_are_not_damage() {
    // An ingest killed after writing a segment and before committing it
    // (or a merge's inputs not yet deleted) leaves segment files that
    // `meta.json` does not list, on tantivy's list of the files it wrote:
    // garbage for the next writer, not damage.
    let env = TestEnv::new();
    env.ingest(&[SEED]);
    let index = env.data_dir().join("index");
    let other = TestEnv::new();
    other.ingest(&["hf-json/2026-01-02.json"]);
    let other_index = other.data_dir().join("index");
    let leftover = segment_files(&other_index);
    let mut managed: Vec<String> =
        serde_json::from_slice(&std::fs::read(index.join(".managed.json")).unwrap()).unwrap();
    for name in &leftover {
        std::fs::copy(other_index.join(name), index.join(name)).unwrap();
        managed.push(name.clone());
    }
    std::fs::write(
        index.join(".managed.json"),
        serde_json::to_vec(&managed).unwrap(),
    )
    .unwrap();

    let out = env.cmd(["stats", "--json"]).run();
    out.success();
    assert_eq!(out.json()["papers"], 189);
    let out = env.cmd(["doctor"]).run();
    out.success();
    assert!(
        out.stdout.contains("is intact: 189 papers"),
        "{}",
        out.stdout
    );
    // The next ingest collects the leftover.
    env.ingest(&["hf-json/2026-01-19.json"]);
    let segments = segment_files(&index);
    assert!(
        leftover.iter().all(|n| !segments.contains(n)),
        "{segments:?}"
    );
    assert_eq!(env.export().len(), 189 + 12);
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

//! Ingest: every format, dedupe across sources, idempotence, bad input.

use crate::support::{TestEnv, fixture, fixture_text, on_terminal};

fn count_ids(env: &TestEnv) -> usize {
    env.export().len()
}

#[test]
fn ingest_seed_dump_yields_189_papers_with_clean_titles() {
    let env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt"]);
    let papers = env.export();
    assert_eq!(papers.len(), 189);
    for p in &papers {
        let title = p["title"].as_str().unwrap();
        assert!(!title.starts_with("Subscribe"), "{title}");
        assert!(!title.contains("Get trending"), "{title}");
        assert_eq!(title.trim(), title);
        assert!(p["id"].as_str().unwrap().starts_with("title:"));
        assert_eq!(p["first_seen"], "2026-11-27T08:00:00Z");
        assert_eq!(p["sources"], serde_json::json!(["hf-text"]));
        assert_eq!(p["schema_version"], 1);
    }
    let first = papers
        .iter()
        .find(|p| p["title"] == "Pretrained Transformers for Text Ranking: BERT and Beyond");
    assert!(first.is_some(), "the glued first title is recovered");
    // LaTeX escapes are cleaned for display.
    assert!(
        papers
            .iter()
            .all(|p| !p["abstract"].as_str().unwrap().contains("\\%"))
    );
    // Code links in abstracts fill code_url.
    let with_code = papers.iter().filter(|p| p["code_url"].is_string()).count();
    assert!(with_code > 20, "only {with_code} code links found");
}

#[test]
fn second_ingest_of_the_same_file_changes_nothing() {
    let mut env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt", "hf-json/2026-01-02.json"]);
    let before = env.export();
    let meta = env.data_dir().join("index").join("meta.json");
    let meta_before = std::fs::read(&meta).unwrap();
    env.set_now("2026-11-28T08:00:00Z");
    let out = env
        .cmd(["-v", "ingest"])
        .arg(fixture("hf-text/seed.txt"))
        .arg(fixture("hf-json/2026-01-02.json"))
        .run();
    out.code(0);
    let n = before.len();
    out.stderr_has(&format!(
        "papertrend: {n} papers: 0 added, 0 updated, {n} unchanged, 0 skipped in "
    ));
    assert_eq!(env.export(), before, "same records, same first_seen");
    // Nothing was committed: the index (and what is cached per commit,
    // like the rising topics) is untouched.
    assert_eq!(std::fs::read(&meta).unwrap(), meta_before);
}

#[test]
fn every_format_yields_one_paper_per_record() {
    let count_in = |rel: &str, needle: &str| fixture_text(rel).matches(needle).count();
    let cases = [
        (
            "hf-json/2026-01-02.json",
            count_in("hf-json/2026-01-02.json", "\"paper\":"),
        ),
        (
            "arxiv-atom/brevio_cat_cs.LG_OR_cs.AI_max20.xml",
            count_in("arxiv-atom/brevio_cat_cs.LG_OR_cs.AI_max20.xml", "<entry>"),
        ),
        (
            "arxiv-atom/2016_au_del_maestro.xml",
            count_in("arxiv-atom/2016_au_del_maestro.xml", "<entry>"),
        ),
        (
            "arxiv-rss/arxiv_cs_cl.xml",
            count_in("arxiv-rss/arxiv_cs_cl.xml", "<item>"),
        ),
        (
            "arxiv-oai/snapshot_head200.jsonl",
            fixture_text("arxiv-oai/snapshot_head200.jsonl")
                .lines()
                .count(),
        ),
    ];
    for (rel, expected) in cases {
        assert!(expected > 0, "{rel}: fixture has records");
        let env = TestEnv::new();
        env.ingest(&[rel]);
        assert_eq!(count_ids(&env), expected, "{rel}");
    }
}

#[test]
fn arxiv_ids_lose_their_version_and_old_style_ids_survive() {
    let env = TestEnv::new();
    env.ingest(&[
        "arxiv-atom/id_astro-ph_0601001.xml",
        "arxiv-atom/id_2104.12255v1.xml",
    ]);
    let papers = env.export();
    let ids: Vec<&str> = papers.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"arxiv:astro-ph/0601001"), "{ids:?}");
    assert!(ids.contains(&"arxiv:2104.12255"), "{ids:?}");
    let out = env.cmd(["show", "2104.12255v3", "--json"]).run();
    out.success();
    assert_eq!(out.json()["arxiv_id"], "2104.12255");
}

#[test]
fn overlapping_pages_are_deduplicated() {
    let env = TestEnv::new();
    env.ingest(&[
        "arxiv-atom/deep_dream-0.atom.xml",
        "arxiv-atom/deep_dream-1.atom.xml",
    ]);
    let papers = env.export();
    let mut ids: Vec<&str> = papers.iter().map(|p| p["id"].as_str().unwrap()).collect();
    let total = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), total, "no duplicate ids");
    // Each page has 10 entries and they overlap by 9.
    assert_eq!(total, 11);
}

#[test]
fn the_same_paper_from_two_sources_is_one_record() {
    let env = TestEnv::new();
    // The same arXiv paper as an HF daily item and as a JSONL record with
    // another title spelling and no arXiv id: one record, fields merged.
    let hf = fixture_text("hf-json/2026-01-02.json");
    let items: serde_json::Value = serde_json::from_str(&hf).unwrap();
    let item = &items[0]["paper"];
    let arxiv = item["id"].as_str().unwrap();
    let title = item["title"].as_str().unwrap().to_uppercase();
    env.ingest(&["hf-json/2026-01-02.json"]);
    let before = env.export();
    let line = serde_json::json!({"id": "doi:10.1/xyz", "title": title, "categories": ["cs.CL"]});
    env.cmd(["ingest", "--format", "jsonl", "-"])
        .stdin(format!("{line}\n"))
        .run()
        .success();
    let after = env.export();
    assert_eq!(after.len(), before.len(), "merged, not added");
    let merged = after.iter().find(|p| p["arxiv_id"] == arxiv).unwrap();
    assert_eq!(merged["id"], format!("arxiv:{arxiv}"));
    assert_eq!(merged["categories"], serde_json::json!(["cs.CL"]));
    assert_eq!(merged["sources"], serde_json::json!(["hf-json", "jsonl"]));
    let original = before.iter().find(|p| p["arxiv_id"] == arxiv).unwrap();
    assert_eq!(
        merged["first_seen"], original["first_seen"],
        "earliest first_seen stays"
    );
}

#[test]
fn a_newer_listing_updates_counts() {
    let mut env = TestEnv::new();
    let line = |up: u64, at: &str| {
        format!(
            "{}\n",
            serde_json::json!({"id": "arxiv:2601.00001", "title": "A paper", "upvotes": up, "counts_observed_at": at})
        )
    };
    env.cmd(["ingest", "-"])
        .stdin(line(3, "2026-01-01T00:00:00Z"))
        .run()
        .success();
    env.set_now("2026-11-29T08:00:00Z");
    env.cmd(["ingest", "-"])
        .stdin(line(40, "2026-01-05T00:00:00Z"))
        .run()
        .success();
    // An older listing ingested later does not roll the count back.
    env.cmd(["ingest", "-"])
        .stdin(line(7, "2026-01-03T00:00:00Z"))
        .run()
        .success();
    let papers = env.export();
    assert_eq!(papers.len(), 1);
    assert_eq!(papers[0]["upvotes"], 40);
    assert_eq!(papers[0]["first_seen"], crate::support::NOW);
}

#[test]
fn export_then_ingest_round_trips_exactly() {
    let env = TestEnv::new();
    env.ingest(&[
        "hf-text/seed.txt",
        "hf-json/2025-11-12.json",
        "arxiv-rss/arxiv_cs_ai.xml",
        "arxiv-oai/snapshot_head200.jsonl",
    ]);
    let out = env.cmd(["export"]).run();
    out.success();
    let other = TestEnv::new();
    let dump = other.write("dump.jsonl", &out.stdout);
    other.cmd(["ingest"]).arg(&dump).run().success();
    let mut a = env.export();
    let mut b = other.export();
    let key = |v: &serde_json::Value| v["id"].as_str().unwrap().to_string();
    a.sort_by_key(key);
    b.sort_by_key(key);
    assert_eq!(a, b);
}

#[test]
fn malformed_records_are_skipped_with_file_and_line() {
    let env = TestEnv::new();
    let good = serde_json::json!({"id": "x:1", "title": "Good one"});
    let input = format!("{good}\n{{\"id\": \"x:2\", \"title\": null}}\n{{truncated\n");
    let path = env.write("bad.jsonl", input);
    let out = env.cmd(["ingest"]).arg(&path).run();
    out.code(3);
    out.stderr_has("bad.jsonl:2: skipped")
        .stderr_has("bad.jsonl:3: skipped");
    out.stderr_has("1 paper: 1 added, 0 updated, 0 unchanged, 2 skipped in ");
    assert_eq!(env.export().len(), 1);
}

#[test]
fn input_in_the_wrong_format_is_an_error_and_keeps_the_index() {
    let env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt"]);
    let out = env
        .cmd(["ingest", "--format", "arxiv-atom"])
        .arg(fixture("hf-json/2026-01-02.json"))
        .run();
    out.code(2);
    out.stderr_has("papertrend: error: ")
        .stderr_has("2026-01-02.json");
    let out = env
        .cmd(["ingest"])
        .arg(fixture("hf-json/malformed/2025-01-10.wrapped-object.json"))
        .run();
    out.code(2);
    out.stderr_has("2025-01-10.wrapped-object.json");
    let empty = env.write("empty.txt", "");
    env.cmd(["ingest"])
        .arg(&empty)
        .run()
        .code(2)
        .stderr_has("empty.txt");
    let binary = env.write("blob.bin", [0u8, 159, 146, 150, 0, 1, 2]);
    env.cmd(["ingest"])
        .arg(&binary)
        .run()
        .code(2)
        .stderr_has("blob.bin");
    env.cmd(["ingest"])
        .arg(env.path("missing.json"))
        .run()
        .code(1)
        .stderr_has("missing.json");
    assert_eq!(env.export().len(), 189, "nothing already indexed is lost");
}

#[test]
fn records_and_skips_keep_their_order_across_the_parsing_threads_batches() {
    // Generated records (not real data), many batches of 128 long: two
    // malformed lines in the third batch, and line 900 repeats line 1.
    let env = TestEnv::new();
    let mut lines: Vec<String> = (0..1000)
        .map(|i| {
            serde_json::json!({"id": format!("x:{i}"), "title": format!("Paper {i}")}).to_string()
        })
        .collect();
    lines[299] = "{\"id\": \"x:299\", \"title\": null}".into();
    lines[300] = "{truncated".into();
    lines[899] = lines[0].clone();
    let path = env.write("many.jsonl", lines.join("\n") + "\n");
    let out = env.cmd(["ingest"]).arg(&path).run();
    out.code(3);
    out.stderr_has("998 papers: 997 added, 0 updated, 1 unchanged, 2 skipped in ");
    let stderr = &out.stderr;
    let at = |needle: &str| stderr.find(needle).unwrap_or_else(|| panic!("{needle}"));
    assert!(at("many.jsonl:300: skipped") < at("many.jsonl:301: skipped"));
    assert_eq!(count_ids(&env), 997);
}

#[test]
fn a_second_writer_gets_a_clear_lock_error_and_searches_keep_working() {
    let env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt"]);
    // An ingest reading standard input holds the writer lock while it waits.
    let mut holder = env.cmd(["ingest", "-"]).spawn_piped();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let out = env
        .cmd(["ingest"])
        .arg(fixture("arxiv-rss/arxiv_cs_cl.xml"))
        .run();
    out.code(4);
    out.stderr_has("held by `papertrend ingest` (pid ");
    out.stderr_has("hint: ");
    // Readers never take the lock.
    let out = env.cmd(["search", "quantization", "--json"]).run();
    out.success();
    assert!(!out.json().as_array().unwrap().is_empty());
    drop(holder.stdin.take());
    let status = holder.wait().unwrap();
    assert_eq!(status.code(), Some(2), "empty stdin is an error");
    assert_eq!(env.export().len(), 189);
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[test]
fn an_index_written_by_layout_version_1_still_opens() {
    // fixtures/index-v1 was written by papertrend 0.1.0 from the cs.AI and
    // cs.CL RSS fixtures; it must stay readable (tantivy compat-test style).
    let env = TestEnv::new();
    copy_dir(&fixture("index-v1"), &env.data_dir().join("index"));
    let out = env.cmd(["stats", "--json"]).run();
    out.success();
    assert_eq!(out.json()["papers"], 6);
    let out = env.cmd(["search", "language", "--json"]).run();
    out.success();
    assert!(!out.json().as_array().unwrap().is_empty());
    // Layout 1 has no hyphen compounds (layout 2 does): a hyphenated word
    // is searched as its parts there, and its phrase still comes first.
    let out = env.cmd(["-v", "search", "vision-language", "--json"]).run();
    out.code(0)
        .stderr_has("searched as words: vision languag\n");
    let first = &out.json()[0];
    assert!(
        first["abstract"]
            .as_str()
            .unwrap()
            .contains("vision-language"),
        "{first}"
    );
}

#[test]
fn an_index_of_another_layout_version_is_refused_with_a_hint() {
    let env = TestEnv::new();
    let dir = env.data_dir().join("index");
    copy_dir(&fixture("index-v1"), &dir);
    std::fs::write(
        dir.join("papertrend-index.json"),
        "{\"index_version\": 99}\n",
    )
    .unwrap();
    let out = env.cmd(["search", "language"]).run();
    out.code(1);
    out.stderr_has(
        "index layout version 99 is not supported (this papertrend reads versions 1 to 2)",
    )
    .stderr_has("hint: export");
    let out = env
        .cmd(["ingest"])
        .arg(fixture("arxiv-rss/arxiv_cs_lg.xml"))
        .run();
    out.code(1);
    assert_eq!(
        std::fs::read_to_string(dir.join("papertrend-index.json")).unwrap(),
        "{\"index_version\": 99}\n",
        "untouched"
    );
}

#[test]
fn one_ingest_in_tiny_batches_equals_one_file_at_a_time() {
    // Overlapping sources (the same papers in several HF days, arXiv pages
    // that overlap by 9 of 10, and JSONL sightings of HF papers by arXiv id
    // and by title alone) in one command with a commit after every record:
    // every duplicate is found in a segment this same ingest wrote. The
    // result must equal ingesting the files one command at a time.
    let hf: serde_json::Value =
        serde_json::from_str(&fixture_text("hf-json/2026-01-19.json")).unwrap();
    let mut jsonl = String::new();
    for (i, item) in hf.as_array().unwrap().iter().take(8).enumerate() {
        let p = &item["paper"];
        let title = p["title"].as_str().unwrap();
        let line = if i % 2 == 0 {
            serde_json::json!({"id": format!("doi:10.9/{i}"), "title": title.to_uppercase(),
                               "categories": ["cs.CL"]})
        } else {
            serde_json::json!({"id": format!("arxiv:{}", p["id"].as_str().unwrap()),
                               "title": title, "keywords": ["seen in jsonl"]})
        };
        jsonl.push_str(&format!("{line}\n"));
    }
    let files = [
        "hf-json/2026-01-19.json",
        "arxiv-atom/deep_dream-0.atom.xml",
        "sightings.jsonl",
        "hf-json/2026-01-20.json",
        "arxiv-atom/deep_dream-1.atom.xml",
        "arxiv-rss/arxiv_cs_cl.xml",
        "hf-json/2026-01-19.json",
        "arxiv-rss/arxiv_cs_lg.xml",
    ];
    let path = |env: &TestEnv, f: &str| {
        if f.ends_with(".jsonl") {
            env.write(f, &jsonl)
        } else {
            fixture(f)
        }
    };
    let separate = TestEnv::new();
    for f in files {
        separate
            .cmd(["ingest"])
            .arg(path(&separate, f))
            .run()
            .code(0);
    }
    let together = TestEnv::new();
    let cfg = together.write("c.toml", "[ingest]\nbatch_size = 1\n");
    let out = together
        .cmd(["--config"])
        .arg(&cfg)
        .arg("ingest")
        .args(files.map(|f| path(&together, f)))
        .run();
    out.code(0);
    let by_id = |env: &TestEnv| {
        let mut papers = env.export();
        papers.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
        papers
    };
    let (want, got) = (by_id(&separate), by_id(&together));
    assert!(want.len() > 25, "{}", want.len());
    let merged = want
        .iter()
        .filter(|p| p["sources"] == serde_json::json!(["hf-json", "jsonl"]))
        .count();
    assert_eq!(merged, 8, "every JSONL sighting merged into its HF paper");
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w);
    }
    // One segment is left to search: the ingest merged what it wrote.
    let segments = std::fs::read_dir(together.data_dir().join("index"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "store")
        })
        .count();
    assert_eq!(segments, 1);
}

#[test]
fn ingest_leaves_a_summary_on_a_terminal() {
    // See: #18
    let env = TestEnv::new();
    let seed = fixture("hf-text/seed.txt");
    let data = env.data_dir();
    let (code, shown) = on_terminal(
        &env,
        &[
            "--data-dir",
            data.to_str().unwrap(),
            "ingest",
            seed.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{shown}");
    let line = shown.lines().last().unwrap_or_default();
    assert!(
        line.starts_with(
            "papertrend: 189 papers: 189 added, 0 updated, 0 unchanged, 0 skipped in "
        ),
        "{shown}"
    );
    assert!(line.ends_with(" s"), "{shown}");
}

/// How many papers the index holds.
fn count(env: &TestEnv) -> u64 {
    env.cmd(["stats", "--json"]).run().json()["papers"]
        .as_u64()
        .unwrap()
}

#[test]
fn one_bad_file_does_not_stop_the_rest() {
    // See: #18
    let env = TestEnv::new();
    let bad = env.write("bad.json", b"\x00\x01\x02 not a listing");
    let out = env
        .cmd(["ingest"])
        .arg(fixture("hf-json/2026-01-19.json"))
        .arg(&bad)
        .arg(env.path("missing.json"))
        .arg(fixture("hf-json/2026-01-20.json"))
        .run();
    out.code(3);
    out.stderr_has(&format!(
        "papertrend: warning: {}: unrecognised format",
        bad.display()
    ))
    .stderr_has("missing.json: no such file or directory")
    .stderr_has("; 2 files could not be read");
    let alone = TestEnv::new();
    alone.ingest(&["hf-json/2026-01-19.json", "hf-json/2026-01-20.json"]);
    assert_eq!(count(&env), count(&alone));
    // Only bad files: the error is the command's, as before.
    let out = TestEnv::new().cmd(["ingest"]).arg(&bad).run();
    out.code(2).stderr_has("unrecognised format");
}

#[test]
fn gzip_and_directories_are_read() {
    // See: #18
    use std::io::Write;
    let env = TestEnv::new();
    let dir = env.path("listings/2026");
    std::fs::create_dir_all(&dir).unwrap();
    let plain = std::fs::read(fixture("hf-json/2026-01-19.json")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&plain).unwrap();
    std::fs::write(dir.join("2026-01-19.json.gz"), gz.finish().unwrap()).unwrap();
    std::fs::copy(
        fixture("hf-json/2026-01-20.json"),
        dir.join("2026-01-20.json"),
    )
    .unwrap();
    std::fs::write(env.path("listings/.hidden"), b"\x00junk").unwrap();
    let out = env.cmd(["ingest"]).arg(env.path("listings")).run();
    out.code(2).stderr_has("is a directory; pass -r");
    env.cmd(["ingest", "-r"])
        .arg(env.path("listings"))
        .run()
        .success();
    let alone = TestEnv::new();
    alone.ingest(&["hf-json/2026-01-19.json", "hf-json/2026-01-20.json"]);
    assert_eq!(count(&env), count(&alone));
    assert!(count(&env) > 0);
}

#[test]
fn ingest_r_follows_symlinked_folders_and_names_a_symlink_loop() {
    let env = TestEnv::new();
    let lists = env.path("lists");
    let elsewhere = env.path("elsewhere");
    std::fs::create_dir_all(&lists).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::copy(
        fixture("hf-json/2026-01-19.json"),
        elsewhere.join("2026-01-19.json"),
    )
    .unwrap();
    std::os::unix::fs::symlink(&elsewhere, lists.join("linked")).unwrap();
    env.cmd(["ingest", "-r"]).arg(&lists).run().success();
    let alone = TestEnv::new();
    alone.ingest(&["hf-json/2026-01-19.json"]);
    assert!(count(&alone) > 0);
    assert_eq!(count(&env), count(&alone), "the linked folder's list");

    // A link back to a folder above it: an error naming the link, not an
    // endless walk, and the index keeps what it had.
    std::os::unix::fs::symlink(&lists, elsewhere.join("back")).unwrap();
    let out = env.cmd(["ingest", "-r"]).arg(&lists).run();
    out.code(1)
        .stderr_has("linked/back: a symbolic link loops back to");
    assert_eq!(count(&env), count(&alone));
}

//! One bad byte costs one record: a Hugging Face listing with a byte that
//! is not UTF-8 or a raw NUL inside one title still gives the other papers,
//! and a block of zeros in a text dump does not defeat format detection.

use crate::support::{TestEnv, fixture};

const LISTING: &str = "hf-json/2026-01-02.json";

/// The listing with `bad` put into the title that starts with `title`.
fn damaged_listing(title: &str, bad: &[u8]) -> Vec<u8> {
    let text = std::fs::read(fixture(LISTING)).unwrap();
    let needle = format!("\"title\": \"{title}");
    let at = text
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
        .expect("title in the fixture")
        + needle.len();
    let mut out = text[..at].to_vec();
    out.extend_from_slice(bad);
    out.extend_from_slice(&text[at..]);
    out
}

#[test]
fn an_invalid_utf8_byte_in_one_hugging_face_title_costs_that_entry_only() {
    let env = TestEnv::new();
    let p = env.write("bad-utf8.json", damaged_listing("Dynamic", b"\xff\xfe"));
    let out = env.cmd(["ingest"]).arg(&p).run();
    out.code(3)
        .stderr_has("bad-utf8.json:1: skipped")
        .stderr_has("not UTF-8");
    let titles: Vec<String> = env
        .export()
        .iter()
        .map(|p| p["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles.len(), 2, "{titles:?}");
    assert!(titles.iter().any(|t| t.starts_with("DiffThinker")));
    assert!(!titles.iter().any(|t| t.starts_with("Dynamic")));
}

#[test]
fn a_raw_nul_in_one_hugging_face_title_costs_that_entry_only() {
    let env = TestEnv::new();
    let p = env.write("nul.json", damaged_listing("DiffThinker", b"\0"));
    let out = env.cmd(["ingest"]).arg(&p).run();
    out.code(3).stderr_has("nul.json:2: skipped");
    assert_eq!(env.export().len(), 2);
}

#[test]
fn a_block_of_zeros_near_the_start_of_a_text_dump_is_still_detected() {
    let env = TestEnv::new();
    let seed = std::fs::read(fixture("hf-text/seed.txt")).unwrap();
    // After the first title line, inside the first record.
    let at = seed.iter().position(|b| *b == b'\n').unwrap() + 300;
    let mut dump = seed[..at].to_vec();
    dump.extend(std::iter::repeat_n(0u8, 4096));
    dump.extend_from_slice(&seed[at..]);
    let p = env.write("zeros.txt", &dump);
    let out = env.cmd(["ingest"]).arg(&p).run();
    assert!(out.code == 0 || out.code == 3, "{out:?}");
    let n = env.export().len();
    assert!(n >= 188, "only {n} of 189 papers");
}

#[test]
fn one_nul_byte_in_a_text_dump_costs_one_record() {
    // See: #19
    let env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt"]);
    let all = env.export().len();
    let text = crate::support::fixture_text("hf-text/seed.txt");
    // Damage the title on the middle line of the file.
    let lines: Vec<&str> = text.lines().collect();
    let (at, _) = lines
        .iter()
        .enumerate()
        .skip(lines.len() / 2)
        .find(|(_, l)| l.len() > 20 && l.len() < 150)
        .unwrap();
    let mut damaged: Vec<String> = lines.iter().map(|l| (*l).to_string()).collect();
    damaged[at].insert(5, '\0');
    let path = env.write("damaged.txt", damaged.join("\n") + "\n");
    let fresh = TestEnv::new();
    let out = fresh.cmd(["ingest"]).arg(&path).run();
    out.code(3)
        .stderr_has(&format!(
            "damaged.txt:{}: skipped: NUL byte at byte 5",
            at + 1
        ))
        .stderr_has(&format!(
            "damaged.txt:{}: skipped: abstract without a title",
            at + 2
        ));
    assert_eq!(fresh.export().len(), all - 1);
}

#[test]
fn an_untitled_hugging_face_record_is_skipped_with_its_place() {
    // See: #19
    let env = TestEnv::new();
    let path = env.write(
        "day.json",
        r#"[{"paper": {"id": "2401.00001", "title": null, "upvotes": 3}},
            {"paper": {"id": "2401.00002", "title": "Kept", "upvotes": {"n": 1}}},
            {"paper": {"id": "2401.00003", "title": "Also kept", "upvotes": 2}}]"#,
    );
    let out = env.cmd(["ingest"]).arg(&path).run();
    out.code(3)
        .stderr_has("day.json:1: skipped: entry \"2401.00001\" has no title")
        .stderr_has("day.json:2: skipped: `upvotes` is an object, not a count");
    let titles: Vec<String> = env
        .export()
        .iter()
        .map(|p| p["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles, ["Also kept"]);
    // Its export ingests again, whole.
    let export = env.cmd(["export"]).run();
    let again = env.write("again.jsonl", export.stdout);
    TestEnv::new().cmd(["ingest"]).arg(&again).run().success();
}

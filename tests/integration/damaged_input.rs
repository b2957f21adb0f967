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

//! Custom digest templates on arbitrary bytes: a file in `[digest]
//! templates_dir` (any of the four a digest uses) or the `[digest] subject`
//! template, loaded and rendered by the real renderer (the 1 MiB read cap,
//! strict undefined, minijinja fuel) over a fixed digest of 8 papers, 3
//! "also popular" and 2 rising topics (`fuzz/digest.json`: the output of
//! `digest --format json` over the Hugging Face fixtures of October 2025 to
//! January 2026). A template may be refused or fail to render, but must
//! never panic, run away in time or memory, or make a subject that is not
//! one clean line.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use papertrend::digest::model::Digest;
use papertrend::digest::render::Renderer;
use papertrend::sanitize::is_unsafe_char;

const DIGEST: &str = include_str!("../digest.json");

/// The template files of `[digest] templates_dir`.
const FILES: [&str; 4] = [
    "digest.md.j2",
    "digest.html.j2",
    "digest.txt.j2",
    "subject.txt.j2",
];

fn digest() -> &'static Digest {
    static DIGEST_: OnceLock<Digest> = OnceLock::new();
    DIGEST_.get_or_init(|| serde_json::from_str(DIGEST).expect("fuzz/digest.json"))
}

/// One templates dir for each file, so a dir holds one custom template.
fn dirs() -> &'static [tempfile::TempDir; 4] {
    static DIRS: OnceLock<[tempfile::TempDir; 4]> = OnceLock::new();
    DIRS.get_or_init(|| std::array::from_fn(|_| tempfile::tempdir().expect("tempdir")))
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, template)) = data.split_first() else {
        return;
    };
    let slot = usize::from(flags) % 5;
    let renderer = if let Some(file) = FILES.get(slot) {
        let dir = dirs()[slot].path();
        std::fs::write(dir.join(file), template).expect("write the template");
        Renderer::new(Some(dir), "")
    } else {
        let Ok(subject) = std::str::from_utf8(template) else {
            return;
        };
        Renderer::new(None, subject)
    };
    let Ok(renderer) = renderer else { return };
    let d = digest();
    if let Ok(subject) = renderer.subject(d) {
        assert!(
            !subject
                .chars()
                .any(|c| is_unsafe_char(c) || (c.is_whitespace() && c != ' ')),
            "subject not one clean line: {subject:?}"
        );
        assert_eq!(subject.trim(), subject, "subject not trimmed");
    }
    let _ = renderer.markdown(d);
    let _ = renderer.text(d);
    let _ = renderer.html(d);
});

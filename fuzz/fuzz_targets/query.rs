//! The search path on arbitrary query text: a syntax error must come back as
//! an error, never a panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use papertrend::index::{Index, SearchQuery};

fn index() -> &'static Index {
    static INDEX: OnceLock<(tempfile::TempDir, Index)> = OnceLock::new();
    &INDEX
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("tempdir");
            let index = Index::open(dir.path(), true).expect("index");
            (dir, index)
        })
        .1
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let q = SearchQuery { text: text.to_string(), limit: 5, title_boost: 1.1, ..SearchQuery::default() };
    let _ = index().search(&q);
});

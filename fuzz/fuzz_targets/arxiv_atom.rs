//! The `arxiv_atom` ingest parser (and format detection) on arbitrary bytes:
//! it may reject the input, but must never panic, hang or allocate without
//! bound, and every record it emits must have an id.
#![no_main]

use libfuzzer_sys::fuzz_target;
use papertrend::ingest::{self, Event, Format, Origin};

fuzz_target!(|data: &[u8]| {
    let _ = ingest::detect(data, "fuzz");
    let origin = Origin { path: "fuzz".into() };
    let mut input = data;
    let _ = ingest::parse(Format::ArxivAtom, &mut input, &origin, &mut |event| {
        if let Event::Paper(p) = event {
            assert!(!p.id.is_empty(), "record without id");
        }
        Ok(())
    });
});

//! Unit tests of `ingest/hf_json`.

use super::*;

type Skips = Vec<(u64, String)>;

fn run(input: &[u8]) -> Result<(Vec<Paper>, Skips), ParseStop> {
    super::super::collect(Format::HfJson, input, "t.json")
}

fn ok(input: &str) -> (Vec<Paper>, Skips) {
    run(input.as_bytes()).unwrap()
}

fn parse_error(input: &[u8]) -> ParseError {
    match run(input) {
        Err(ParseStop::Parse(e)) => e,
        other => panic!("expected a parse error, got {other:?}"),
    }
}

fn ts(s: &str) -> Option<Timestamp> {
    Some(s.parse().unwrap())
}

const FIXTURES: [(&str, &str); 5] = [
    (
        "2025-11-12",
        include_str!("../../../fixtures/hf-json/2025-11-12.json"),
    ),
    (
        "2026-01-02",
        include_str!("../../../fixtures/hf-json/2026-01-02.json"),
    ),
    (
        "2026-01-19",
        include_str!("../../../fixtures/hf-json/2026-01-19.json"),
    ),
    (
        "2026-01-20",
        include_str!("../../../fixtures/hf-json/2026-01-20.json"),
    ),
    (
        "2025-12-02",
        include_str!("../../../fixtures/hf-json/2025-12-02.json"),
    ),
];

#[test]
fn every_item_of_every_fixture_becomes_a_paper() {
    let mut total = 0;
    for (name, text) in FIXTURES {
        let items: Vec<Value> = serde_json::from_str(text).unwrap();
        assert_eq!(items.len(), text.matches("\"paper\":").count(), "{name}");
        let (papers, skips) = ok(text);
        assert!(skips.is_empty(), "{name}: {skips:?}");
        assert_eq!(papers.len(), items.len(), "{name}");
        for (p, item) in papers.iter().zip(&items) {
            let id = item["paper"]["id"].as_str().unwrap();
            assert_eq!(p.id, format!("arxiv:{id}"));
            assert_eq!(p.arxiv_id.as_deref(), Some(id));
            assert_eq!(p.sources, ["hf-json"]);
            assert!(
                !p.title.contains('\n') && !p.title.contains("  "),
                "{}",
                p.title
            );
            assert!(!p.abstract_text.contains("\\%"), "{}", p.title);
            assert!(!p.authors.is_empty(), "{}", p.title);
            assert!(p.upvotes.is_some() && p.comments.is_some(), "{}", p.title);
        }
        total += papers.len();
    }
    assert_eq!(total, 8 + 3 + 12 + 4 + 28);
}

#[test]
fn published_is_the_papers_date_not_the_items() {
    for (name, text) in FIXTURES {
        let items: Vec<Value> = serde_json::from_str(text).unwrap();
        let (papers, _) = ok(text);
        for (p, item) in papers.iter().zip(&items) {
            let want = ts(item["paper"]["publishedAt"].as_str().unwrap());
            let item_level = ts(item["publishedAt"].as_str().unwrap());
            assert_eq!(p.published, want, "{name} {}", p.id);
            assert_ne!(p.published, item_level, "{name} {}", p.id);
            let daily = ts(item["paper"]["submittedOnDailyAt"].as_str().unwrap());
            assert_eq!(p.counts_observed_at, daily, "{name} {}", p.id);
            // Listed on the daily list at `submittedOnDailyAt`, never at
            // the mislabelled item-level time.
            assert_eq!(p.listed, daily, "{name} {}", p.id);
            assert_ne!(p.listed, item_level, "{name} {}", p.id);
        }
    }
}

#[test]
fn new_layout_fields_are_mapped() {
    let (papers, _) = ok(FIXTURES[3].1);
    let p = &papers[0];
    assert_eq!(p.id, "arxiv:2601.08808");
    assert_eq!(
        p.title,
        "Multiplex Thinking: Reasoning via Token-wise Branch-and-Merge"
    );
    assert_eq!(p.authors.len(), 6);
    assert_eq!(p.authors[0], "Yao Tang");
    assert_eq!(p.authors[5], "Jiatao Gu");
    assert_eq!(p.keywords.len(), 8);
    assert_eq!(p.keywords[0], "Chain-of-Thought");
    assert_eq!(p.upvotes, Some(13));
    assert_eq!(p.comments, Some(1));
    assert_eq!(p.github_stars, Some(39));
    assert_eq!(
        p.code_url.as_deref(),
        Some("https://github.com/GMLR-Penn/Multiplex-Thinking")
    );
    assert_eq!(
        p.url.as_deref(),
        Some("https://huggingface.co/papers/2601.08808")
    );
    assert_eq!(
        p.pdf_url.as_deref(),
        Some("https://arxiv.org/pdf/2601.08808")
    );
    assert_eq!(p.published, ts("2026-01-13T18:48:00Z"));
    assert_eq!(p.counts_observed_at, ts("2026-01-20T00:45:12.349Z"));
    assert!(p.first_seen.is_none());
    // No githubRepo and no link in the summary: no code_url, no stars.
    assert_eq!(papers[3].id, "arxiv:2601.10387");
    assert_eq!(papers[3].github_stars, None);
    assert_eq!(papers[3].comments, Some(0));
}

#[test]
fn hard_wrapped_titles_and_tex_summaries_are_cleaned() {
    let (papers, _) = ok(FIXTURES[0].1);
    assert_eq!(
        papers[0].title,
        "Tiny Model, Big Logic: Diversity-Driven Optimization Elicits Large-Model \
         Reasoning Ability in VibeThinker-1.5B"
    );
    assert!(
        papers[4]
            .abstract_text
            .contains("an average improvement of over 5%. These results"),
        "{}",
        papers[4].abstract_text
    );
    // A trailing slash on githubRepo is dropped.
    assert_eq!(
        papers[2].code_url.as_deref(),
        Some("https://github.com/ServiceNow/GroundCUA")
    );
    let (papers, _) = ok(FIXTURES[1].1);
    assert!(
        papers[1].abstract_text.contains("GPT-5 (+314.2%)"),
        "{}",
        papers[1].abstract_text
    );
}

#[test]
fn float_and_odd_counts_are_rounded_and_clamped() {
    let (papers, skips) = ok(r#"[
        {"paper": {"id": "2401.00001", "title": "A", "upvotes": 12.0, "githubStars": 7.6},
         "numComments": 3.0},
        {"paper": {"id": "2401.00002", "title": "B", "upvotes": -4, "githubStars": -0.5},
         "numComments": "5"},
        {"paper": {"id": "2401.00003", "title": "C", "upvotes": 1e30},
         "numComments": null}
    ]"#);
    assert!(skips.is_empty(), "{skips:?}");
    let got: Vec<_> = papers
        .iter()
        .map(|p| (p.upvotes, p.comments, p.github_stars))
        .collect();
    assert_eq!(
        got,
        [
            (Some(12), Some(3), Some(8)),
            (Some(0), Some(5), Some(0)),
            (Some(u64::MAX), None, None),
        ]
    );
}

#[test]
fn old_2024_layout_is_parsed_with_item_fallbacks() {
    let (papers, skips) = ok(r#"[
{
    "paper": {
        "id": "2406.00001",
        "authors": [{"_id": "x", "name": "Ann Lee", "hidden": false},
                    {"_id": "y", "name": " ", "hidden": true},
                    {"_id": "z", "name": "Bo Chen", "hidden": true}],
        "publishedAt": "2024-05-31T17:59:01.000Z",
        "title": "Scaling Mixture-of-Experts\n  Language Models",
        "summary": "We scale\nmodels by 50\\% and release https://github.com/a/b.",
        "upvotes": 27
    },
    "publishedAt": "2024-06-03T08:12:00.000Z",
    "title": "Scaling Mixture-of-Experts Language Models",
    "mediaUrl": "https://example.org/x.mp4",
    "numComments": 2
},
{
    "paper": {"id": "2406.00002", "authors": [], "publishedAt": "2024-06-01T00:00:00.000Z"},
    "publishedAt": "2024-06-03T09:00:00.000Z",
    "title": "Only The Item\n  Has A Title",
    "summary": "Item-level summary.",
    "mediaUrls": ["a", "b"],
    "numComments": 0
}
]"#);
    assert!(skips.is_empty(), "{skips:?}");
    let p = &papers[0];
    assert_eq!(p.title, "Scaling Mixture-of-Experts Language Models");
    assert_eq!(
        p.abstract_text,
        "We scale models by 50% and release https://github.com/a/b."
    );
    assert_eq!(p.code_url.as_deref(), Some("https://github.com/a/b"));
    assert_eq!(p.authors, ["Ann Lee", "Bo Chen"]);
    assert_eq!(p.published, ts("2024-05-31T17:59:01Z"));
    assert_eq!(p.counts_observed_at, ts("2024-06-03T08:12:00Z"));
    // The 2024 layout has no `submittedOnDailyAt`: the item-level
    // `publishedAt` is when the paper was put on the daily list.
    assert_eq!(p.listed, ts("2024-06-03T08:12:00Z"));
    assert_eq!(p.visible_date(), ts("2024-06-03T08:12:00Z"));
    assert_eq!(
        (p.upvotes, p.comments, p.github_stars),
        (Some(27), Some(2), None)
    );
    assert!(p.keywords.is_empty());
    let q = &papers[1];
    assert_eq!(q.id, "arxiv:2406.00002");
    assert_eq!(q.title, "Only The Item Has A Title");
    assert_eq!(q.abstract_text, "Item-level summary.");
    assert_eq!(q.upvotes, None);
}

#[test]
fn search_shape_and_wrapped_arrays_are_accepted() {
    let bare = r#"[{"id": "2402.00001", "title": "Bare Paper", "summary": "S.",
                    "publishedAt": "2024-02-01T00:00:00Z", "upvotes": 3}]"#;
    let (papers, _) = ok(bare);
    assert_eq!(papers[0].id, "arxiv:2402.00001");
    assert_eq!(papers[0].published, ts("2024-02-01T00:00:00Z"));
    // A bare paper's own publishedAt is not an observation time.
    assert_eq!(papers[0].counts_observed_at, None);
    assert_eq!(papers[0].listed, None, "a search result is not a listing");
    for key in ["data", "papers", "items"] {
        let wrapped = format!(r#"{{"status": "ok", "{key}": {bare}}}"#);
        let (papers, _) = ok(&wrapped);
        assert_eq!(papers.len(), 1, "{key}");
        assert_eq!(papers[0].title, "Bare Paper");
    }
    let (papers, skips) = ok(r#"{"count": 0, "data": []}"#);
    assert!(papers.is_empty() && skips.is_empty());
}

#[test]
fn ids_fall_back_to_title_then_hf_id() {
    let (papers, skips) = ok(r#"[{"paper": {"id": "not-arxiv", "title": "T"}},
                              {"paper": {"id": "not-arxiv-2"}},
                              {"title": "Title Only"}]"#);
    // See: #19 — an id without a title is skipped, not kept untitled.
    assert_eq!(
        skips,
        [(
            2,
            "entry \"not-arxiv-2\" has no title (`title` is missing or null)".to_string()
        )]
    );
    assert_eq!(papers[0].id, crate::paper::title_id("T"));
    assert_eq!(
        papers[0].url.as_deref(),
        Some("https://huggingface.co/papers/not-arxiv")
    );
    assert_eq!(papers[0].pdf_url, None);
    assert_eq!(papers[1].id, crate::paper::title_id("Title Only"));
    assert_eq!(papers[1].url, None);
}

#[test]
fn withdrawn_and_anonymous_entries_are_skipped_with_entry_numbers() {
    let (papers, skips) = ok(r#"[
        {"paper": {"id": "2401.00001", "title": "Kept", "withdrawnAt": null}},
        {"paper": {"id": "2401.00002", "title": "Gone", "withdrawnAt": "2026-01-01T00:00:00Z"}},
        {"paper": {"authors": [{"name": "Nobody"}]}, "numComments": 1},
        "stray string",
        {"paper": {"id": "2401.00005", "title": "Also kept"}}
    ]"#);
    assert_eq!(
        papers.iter().map(|p| p.title.as_str()).collect::<Vec<_>>(),
        ["Kept", "Also kept"]
    );
    assert_eq!(
        skips,
        [
            (2, "withdrawn".to_string()),
            (3, "entry has neither a paper id nor a title".to_string()),
            (4, "entry is a string, not an object".to_string()),
        ]
    );
}

// See: #19
#[test]
fn r19_untitled_entries_and_bad_counts_or_dates_are_reported() {
    let (papers, skips) = ok(r#"[
        {"paper": {"id": "2401.00001", "title": null}},
        {"paper": {"id": "2401.00002", "title": "  "}},
        {"paper": {"id": "2401.00003", "title": "A", "upvotes": {"n": 3}}},
        {"paper": {"id": "2401.00004", "title": "B", "githubStars": true}},
        {"paper": {"id": "2401.00005", "title": "C"}, "numComments": [1]},
        {"paper": {"id": "2401.00006", "title": "D", "publishedAt": "last Tuesday"}},
        {"paper": {"id": "2401.00007", "title": "E", "submittedOnDailyAt": 5}},
        {"paper": {"id": "2401.00008", "title": "Kept", "upvotes": null,
                   "publishedAt": "2024-01-02"}}
    ]"#);
    assert_eq!(
        papers.iter().map(|p| p.title.as_str()).collect::<Vec<_>>(),
        ["Kept"]
    );
    assert_eq!(
        skips,
        [
            (
                1,
                "entry \"2401.00001\" has no title (`title` is missing or null)".to_string()
            ),
            (
                2,
                "entry \"2401.00002\" has no title (`title` is empty)".to_string()
            ),
            (3, "`upvotes` is an object, not a count".to_string()),
            (4, "`githubStars` is a boolean, not a count".to_string()),
            (5, "`numComments` is an array, not a count".to_string()),
            (
                6,
                "`publishedAt` is \"last Tuesday\", not a date".to_string()
            ),
            (
                7,
                "`submittedOnDailyAt` is a number, not a date".to_string()
            ),
        ]
    );
}

#[test]
fn python_repr_files_are_parse_errors() {
    let e = parse_error(include_bytes!(
        "../../../fixtures/hf-json/malformed/2024-12-11.python-repr-strings.json"
    ));
    assert!(e.reason.contains("strings (Python repr"), "{}", e.reason);
    assert_eq!(e.format, Format::HfJson);
    let e = parse_error(include_bytes!(
        "../../../fixtures/hf-json/malformed/2025-01-10.wrapped-object.json"
    ));
    assert!(
        e.reason.contains("under \"data\" are strings (Python repr"),
        "{}",
        e.reason
    );
}

#[test]
fn empty_array_is_zero_papers() {
    let (papers, skips) = ok("[]");
    assert!(papers.is_empty() && skips.is_empty());
    let (papers, _) = ok("\u{feff}  [ ]\n");
    assert!(papers.is_empty());
}

#[test]
fn broken_documents_are_parse_errors_with_positions() {
    let e = parse_error(b"");
    assert!(e.reason.contains("empty"), "{}", e.reason);
    let e = parse_error(b"[\n  {\"paper\": {\"id\": \"2401.00001\",\n");
    assert!(e.reason.starts_with("truncated JSON"), "{}", e.reason);
    assert_eq!(e.line, Some(3));
    let e = parse_error(b"Get trending papers in your email inbox!\nA title\n");
    assert!(e.reason.starts_with("not valid JSON"), "{}", e.reason);
    assert_eq!(e.line, Some(1));
    let e = parse_error(b"[1, 2, 3]");
    assert!(e.reason.contains("entries are a number"), "{}", e.reason);
    let e = parse_error(b"[{\"foo\": 1}]");
    assert!(e.reason.contains("not a Hugging Face"), "{}", e.reason);
    let e = parse_error(b"{\"status\": \"error\"}");
    assert!(e.reason.contains("status"), "{}", e.reason);
    let e = parse_error(b"\"just a string\"");
    assert!(e.reason.contains("found a string"), "{}", e.reason);
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let deep = "[".repeat(100_000);
    let e = parse_error(deep.as_bytes());
    assert!(e.reason.contains("recursion limit"), "{}", e.reason);
    let deep = format!("[{{\"paper\": {}1{}}}]", "[".repeat(200), "]".repeat(200));
    let e = parse_error(deep.as_bytes());
    assert!(e.reason.contains("recursion limit"), "{}", e.reason);
}

#[test]
fn timestamps_accept_rfc3339_and_bare_dates() {
    assert_eq!(
        timestamp(&Value::from("2026-03-26T17:56:01.000Z")),
        ts("2026-03-26T17:56:01Z")
    );
    assert_eq!(
        timestamp(&Value::from("2024-06-03")),
        ts("2024-06-03T00:00:00Z")
    );
    assert_eq!(timestamp(&Value::from("yesterday")), None);
    assert_eq!(timestamp(&Value::from(17)), None);
}

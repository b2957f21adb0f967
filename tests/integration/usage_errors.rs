//! Usage errors in one voice: one line and a hint for bad arguments,
//! unknown ids, reversed date ranges, and a category filter that cannot
//! match.

use crate::support::TestEnv;

#[test]
fn unknown_ids_are_one_usage_error() {
    // See: #18
    let env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt"]);
    for cmd in ["show", "similar", "explain"] {
        let out = env.cmd([cmd, "nope:1"]).run();
        out.code(2);
        assert_eq!(
            out.stderr, "papertrend: error: no paper with id \"nope:1\" in the index\n",
            "{cmd}"
        );
    }
}

#[test]
fn argument_errors_are_one_line_and_a_hint() {
    // See: #18
    let env = TestEnv::new();
    let out = env.cmd(["search", "x", "--since", "soon"]).run();
    out.code(2);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert!(
        lines[0].starts_with("papertrend: error: invalid value 'soon' for '--since <WHEN>'"),
        "{}",
        out.stderr
    );
    assert!(lines.len() <= 2, "{}", out.stderr);
    let out = env.cmd(["serch", "x"]).run();
    out.code(2);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(
        lines[0],
        "papertrend: error: unrecognized subcommand 'serch'"
    );
    assert!(
        lines[1].starts_with("hint: ") && lines[1].contains("'search'"),
        "{}",
        out.stderr
    );
    assert_eq!(lines.len(), 2, "{}", out.stderr);
    let out = env.cmd(["ingest"]).run();
    out.code(2);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", out.stderr);
    assert!(
        lines[1].starts_with("hint: usage: papertrend ingest"),
        "{}",
        out.stderr
    );
    // Help is still help.
    env.cmd(["search", "--help"]).run().success();
}

#[test]
fn a_reversed_date_range_is_a_usage_error() {
    // See: #18
    let env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt"]);
    let out = env
        .cmd([
            "search",
            "learning",
            "--since",
            "2026-03-31",
            "--until",
            "2026-03-01",
        ])
        .run();
    out.code(2).stderr_has("the range is reversed");
    assert_eq!(out.stdout, "");
}

#[test]
fn a_category_filter_on_papers_without_categories_says_why() {
    // See: #18
    let env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt"]);
    let out = env.cmd(["search", "learning", "--category", "cs.CL"]).run();
    out.code(0);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr
            .matches("hint: no paper in the index has categories")
            .count(),
        1,
        "{}",
        out.stderr
    );
    // With categorised papers the plain "no papers match" stays alone.
    let env = TestEnv::new();
    env.ingest(&["arxiv-rss/arxiv_cs_cl.xml"]);
    let out = env
        .cmd(["search", "learning", "--category", "q-bio.XX"])
        .run();
    out.code(0);
    assert_eq!(out.stderr, "papertrend: no papers match \"learning\"\n");
}

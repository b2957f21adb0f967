//! What Hugging Face says about a paper beyond its abstract reaches the
//! reader: the thumbnail (a plain `<img>` in the HTML mail), the project
//! page (a link in every format) and the one-sentence `ai_summary` (the
//! teaser, unless `[digest] teaser = "abstract"`), on November 2025's real
//! daily lists. Only http(s) URLs, escaped, reach the mail.

use crate::support::{TestEnv, fixture};

const INTERESTS: &str = r#"
[interests]
keywords = { "reasoning" = 2.0, "video generation" = 2.0, "agents" = 1.5 }
"#;

/// General Agentic Memory: a thumbnail, an `ai_summary`, and a
/// `projectPage` that is its GitHub repository again.
const GAM: &str = "arxiv:2511.18423";
/// Video Generation Models Are Good Latent Reward Models: a project page
/// of its own, no code link.
const VIDEO: &str = "arxiv:2511.21541";

fn november(teaser: &str) -> TestEnv {
    let mut env = TestEnv::new();
    env.set_now("2025-11-28T08:00:00Z");
    env.write(
        "config.toml",
        format!("{INTERESTS}\n[digest]\nteaser = \"{teaser}\"\n"),
    );
    env.cmd(["ingest", "-r"])
        .arg(fixture("hf-json/2025-11"))
        .run()
        .success();
    env
}

fn digest(env: &TestEnv, format: &str) -> String {
    let out = env
        .cmd(["--config", "config.toml", "digest", "--format", format])
        .run();
    out.success();
    out.stdout
}

fn entry(json: &serde_json::Value, id: &str) -> serde_json::Value {
    json["papers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in the digest: {json:#}"))
        .clone()
}

fn teaser(p: &serde_json::Value) -> String {
    p["teaser"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect()
}

#[test]
fn the_mail_shows_the_thumbnail_the_project_page_and_the_summary() {
    let env = november("summary");
    let json: serde_json::Value = serde_json::from_str(&digest(&env, "json")).unwrap();
    let gam = entry(&json, GAM);
    assert_eq!(
        gam["thumbnail"],
        "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2511.18423.png"
    );
    // Its project page is its code repository: one link, not two.
    assert!(gam.get("project_url").is_none(), "{gam:#}");
    assert!(
        teaser(&gam).starts_with("GAM, a novel framework that employs JIT compilation"),
        "{gam:#}"
    );
    let video = entry(&json, VIDEO);
    assert_eq!(video["project_url"], "https://kululumi.github.io/PRFL/#");

    let html = digest(&env, "html");
    assert!(
        html.contains(
            "<img src=\"https:&#x2f;&#x2f;cdn-thumbnails.huggingface.co&#x2f;social-thumbnails\
             &#x2f;papers&#x2f;2511.18423.png\" alt=\"General Agentic Memory Via Deep Research\" \
             width=\"320\""
        ),
        "{html}"
    );
    assert!(
        html.contains("href=\"https:&#x2f;&#x2f;kululumi.github.io&#x2f;PRFL&#x2f;#\""),
        "{html}"
    );
    assert!(html.contains(">project page</a>"));
    let text = digest(&env, "text");
    assert!(
        text.contains("   project:  https://kululumi.github.io/PRFL/#"),
        "{text}"
    );
    let md = digest(&env, "md");
    assert!(
        md.contains("[project page](https://kululumi.github.io/PRFL/#)"),
        "{md}"
    );

    // The record keeps them (export, show --json).
    let show = env.cmd(["show", GAM, "--format", "json"]).run();
    show.success();
    let rec = show.json();
    assert_eq!(
        rec["thumbnail"],
        "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2511.18423.png"
    );
    assert_eq!(
        rec["project_url"],
        "https://github.com/VectorSpaceLab/general-agentic-memory"
    );
    assert!(
        rec["summary"]
            .as_str()
            .unwrap()
            .starts_with("GAM, a novel framework")
    );
}

#[test]
fn teaser_abstract_keeps_the_abstracts_start() {
    let env = november("abstract");
    let json: serde_json::Value = serde_json::from_str(&digest(&env, "json")).unwrap();
    let t = teaser(&entry(&json, GAM));
    assert!(t.starts_with("Memory is critical for AI agents"), "{t}");
}

#[test]
fn only_http_urls_reach_the_mail_and_they_are_escaped() {
    let mut env = TestEnv::new();
    env.set_now("2025-11-28T08:00:00Z");
    env.write("config.toml", INTERESTS);
    // A real entry of 2025-11-28 with its picture and project page made
    // hostile (a copy in the test's temp dir; the fixture is untouched).
    let real: Vec<serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(fixture("hf-json/2025-11/2025-11-28.json")).unwrap(),
    )
    .unwrap();
    let mut entries = real.clone();
    entries[0]["thumbnail"] = "javascript:alert(1)".into();
    entries[0]["paper"]["projectPage"] = "https://evil.example/\"><script>x()</script>".into();
    let id = format!("arxiv:{}", entries[0]["paper"]["id"].as_str().unwrap());
    let file = env.write("hostile.json", serde_json::to_vec(&entries).unwrap());
    env.cmd(["ingest"]).arg(&file).run().success();
    let out = env
        .cmd(["--config", "config.toml", "digest", "--format", "html"])
        .run();
    out.success();
    // The paper is listed, with its project page encoded, and no picture:
    // one <img> per other listed paper.
    assert!(out.stdout.contains("evil.example"), "{}", out.stdout);
    let json: serde_json::Value = serde_json::from_str(&digest(&env, "json")).unwrap();
    assert!(entry(&json, &id).get("thumbnail").is_none());
    let pictures = json["papers"]
        .as_array()
        .unwrap()
        .iter()
        .chain(json["also_popular"].as_array().unwrap())
        .filter(|p| p.get("thumbnail").is_some())
        .count();
    assert!(pictures > 0);
    assert_eq!(out.stdout.matches("<img ").count(), pictures);
    assert!(!out.stdout.contains("javascript:"), "{}", out.stdout);
    assert!(!out.stdout.contains("<script"), "{}", out.stdout);
    let show = env.cmd(["show", &id, "--format", "json"]).run();
    show.success();
    let rec = show.json();
    assert!(rec.get("thumbnail").is_none(), "{rec:#}");
    assert_eq!(
        rec["project_url"],
        "https://evil.example/%22%3E%3Cscript%3Ex%28%29%3C/script%3E"
    );
}

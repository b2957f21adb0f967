//! Links are valid URLs or absent: code links that abstracts wrote the LaTeX
//! way (`…/LightForcing{https://…}`, `page:https://…`, `…{this link}`) are
//! cut where the link ends and parsed; one that does not parse is dropped.
// See: #25

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::TestEnv;

/// The Hugging Face days of 2025-Q4 and 2026-Q1 whose abstracts write a code
/// link with LaTeX markup glued on and have no `githubRepo` (see
/// `fixtures/README.md`), besides the days already in `fixtures/hf-json/`.
const LINK_DAYS: &[&str] = &[
    "hf-json/links/2025-12-03.json",
    "hf-json/links/2025-12-18.json",
    "hf-json/links/2025-12-25.json",
    "hf-json/links/2026-02-03.json",
    "hf-json/links/2026-02-12.json",
    "hf-json/links/2026-02-18.json",
    "hf-json/links/2026-03-04.json",
    "hf-json/2026-01/2026-01-30.json",
    "hf-json/2026-01/2026-02-06.json",
    "hf-json/2025-11/2025-11-26.json",
];

/// The quarters of the shared corpus, when it is checked out beside the
/// repository (`../shared/`); the test then reads every day of both.
fn corpus_days() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpora/hf-daily-json/2404589803-hf-daily-paper-newsletter-chinese");
    let mut days = Vec::new();
    for quarter in ["2025-Q4", "2026-Q1"] {
        let Ok(dir) = std::fs::read_dir(root.join(quarter)) else {
            continue;
        };
        days.extend(
            dir.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json")),
        );
    }
    days.sort();
    days
}

/// Why `link` is not a valid web link, or `None` when it is: it parses as
/// an `http(s)` URL with a host, and holds no second scheme and no LaTeX
/// markup (which `url` would accept as path characters).
fn broken(link: &str) -> Option<String> {
    let url = match url::Url::parse(link) {
        Ok(u) => u,
        Err(e) => return Some(format!("does not parse: {e}")),
    };
    if !matches!(url.scheme(), "http" | "https") {
        return Some(format!("scheme {}", url.scheme()));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Some("no host".into());
    }
    if link.matches("://").count() != 1 || link.contains("page:") {
        return Some("a second scheme or a label glued in".into());
    }
    if link.contains(['{', '}', '\\']) || link.contains("%7B") || link.contains("%7D") {
        return Some("LaTeX markup in it".into());
    }
    None
}

fn code_urls(records: &[Value]) -> Vec<(String, String)> {
    records
        .iter()
        .filter_map(|p| {
            let url = p["code_url"].as_str()?;
            Some((p["id"].as_str()?.to_string(), url.to_string()))
        })
        .collect()
}

#[test]
fn code_links_written_the_latex_way_are_cut_to_the_repository() {
    let env = TestEnv::new();
    env.ingest(LINK_DAYS);
    let records = env.export();
    let links = code_urls(&records);
    let link = |id: &str| links.iter().find(|(i, _)| i == id).map(|(_, u)| u.as_str());
    // `…/LightForcing{https://github.com/chengtao-lv/LightForcing}.`
    assert_eq!(
        link("arxiv:2602.04789"),
        Some("https://github.com/chengtao-lv/LightForcing")
    );
    // `project page:https://github.com/BstWPY/WildGraphBench.`
    assert_eq!(
        link("arxiv:2602.02053"),
        Some("https://github.com/BstWPY/WildGraphBench")
    );
    // `…/theorem-search{this link}, and the dataset is available at …`
    assert_eq!(
        link("arxiv:2602.05216"),
        Some("https://huggingface.co/spaces/uw-math-ai/theorem-search")
    );
    // `~https://github.com/Kairong-Han/C-2-DLM{here}.`
    assert_eq!(
        link("arxiv:2511.22146"),
        Some("https://github.com/Kairong-Han/C-2-DLM")
    );
    let bad: Vec<String> = links
        .iter()
        .filter_map(|(id, u)| broken(u).map(|why| format!("{id}: {u}: {why}")))
        .collect();
    assert!(bad.is_empty(), "broken code links:\n{}", bad.join("\n"));
    assert!(links.len() > 100, "{} code links", links.len());
}

#[test]
fn every_code_link_of_the_2025_q4_and_2026_q1_lists_is_a_web_url() {
    let days = corpus_days();
    let env = TestEnv::new();
    if days.is_empty() {
        // Without the shared corpus (a clone on its own), the fixture days
        // above still hold every kind of broken link the corpus has.
        eprintln!("../shared/corpora not found: only the fixture days are checked");
        env.ingest(LINK_DAYS);
    } else {
        assert_eq!(days.len(), 129, "65 days of 2025-Q4 and 64 of 2026-Q1");
        env.cmd(["ingest"]).args(&days).run().success();
    }
    let records = env.export();
    let links = code_urls(&records);
    let bad: Vec<String> = links
        .iter()
        .filter_map(|(id, u)| broken(u).map(|why| format!("{id}: {u}: {why}")))
        .collect();
    assert!(bad.is_empty(), "broken code links:\n{}", bad.join("\n"));
    // The digest shows the same links: a digest of everything, no interests.
    let cfg = env.write("config.toml", "[digest]\nlimit = 100\n");
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["digest", "--format", "json", "--date", "2026-02-06"])
        .run();
    out.success();
    let digest = out.json();
    let shown: Vec<&str> = digest["papers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["code_url"].as_str())
        .collect();
    assert!(!shown.is_empty(), "no code link in the digest");
    for u in shown {
        assert_eq!(broken(u), None, "{u}");
    }
}

//! The reader's feedback in the ranking: upvote velocity from a loopback
//! Hugging Face server (`top --sort velocity`, the digest's badge), mutes in
//! `top` and `explain`, the learned profile lifting liked topics and
//! dislikes pushing similar papers down, on real January 2026 papers.

use crate::support::http::{Reply, Server};
use crate::support::{TestEnv, fixture};

/// The 2026-01-20 daily list with two papers' upvotes set: what the
/// Hugging Face API would answer at a later hour of the same day.
fn hf_day(grower: u64, stale: u64) -> Vec<u8> {
    let text = std::fs::read_to_string(fixture("hf-json/2026-01-20.json")).unwrap();
    let mut items: serde_json::Value = serde_json::from_str(&text).unwrap();
    items[0]["paper"]["upvotes"] = grower.into();
    items[1]["paper"]["upvotes"] = stale.into();
    serde_json::to_vec(&items).unwrap()
}

fn ids(out: &[serde_json::Value]) -> Vec<String> {
    out.iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect()
}

const GROWER: &str = "arxiv:2601.08808";
const STALE: &str = "arxiv:2601.11077";

/// A loopback HF server whose list gains 50 upvotes on one paper between
/// the 07:00 and 19:00 fetches while another stands at 100; both fetched.
fn grown(server: &Server) -> TestEnv {
    let day = "/api/daily_papers?date=2026-01-20";
    server.route(
        day,
        [
            Reply::new(200, hf_day(13, 100)).header("Content-Type", "application/json"),
            Reply::new(200, hf_day(63, 100)).header("Content-Type", "application/json"),
        ],
    );
    let mut env = TestEnv::new();
    env.write(
        "config.toml",
        format!(
            "[fetch]\nretries = 0\n\n[[sources]]\nname = \"hf\"\nkind = \"hf-daily\"\n\
             base_url = \"{}\"\ncatch_up_days = 1\n",
            server.base()
        ),
    );
    for at in ["2026-01-20T07:00:00Z", "2026-01-20T19:00:00Z"] {
        env.set_now(at);
        env.cmd(["--config"])
            .arg(env.path("config.toml"))
            .arg("fetch")
            .run()
            .success();
    }
    assert_eq!(server.requests_to(day).len(), 2);
    env
}

#[test]
fn the_grower_outranks_the_stale_paper_by_velocity_and_gets_the_badge() {
    let server = Server::start();
    let env = grown(&server);
    let cfg = env.path("config.toml");
    let top = |sort: &str| {
        let out = env
            .cmd(["--config"])
            .arg(&cfg)
            .args(["top", "--sort", sort, "-n", "50", "--format", "json"])
            .run();
        out.success();
        out.json().as_array().unwrap().clone()
    };
    let by_velocity = top("velocity");
    let order = ids(&by_velocity);
    let pos = |id: &str| order.iter().position(|x| x == id).unwrap();
    assert_eq!(order[0], GROWER, "{order:?}");
    assert!(pos(GROWER) < pos(STALE));
    // The velocity part, as `top --explain` shows it.
    let by_score = top("score");
    let part = |row: &serde_json::Value, name: &str| {
        row["explain"]["parts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap()["value"]
            .as_f64()
            .unwrap()
    };
    let row = |rows: &[serde_json::Value], id: &str| {
        rows.iter().find(|r| r["id"] == id).unwrap().clone()
    };
    let g = row(&by_score, GROWER);
    let s = row(&by_score, STALE);
    // velocity = 1 x ln(1 + 50/day) / ln(101)
    let expected = (51f64).ln() / (101f64).ln();
    assert!((part(&g, "velocity") - expected).abs() < 1e-3, "{g}");
    assert_eq!(part(&s, "velocity"), 0.0);
    assert_eq!((g["upvotes"].as_u64(), s["upvotes"].as_u64()), (Some(63), Some(100)));
    assert!(g["why"].as_str().unwrap().contains("+50 upvotes since yesterday"));

    // The digest marks the fast riser, in every format.
    let digest = |format: &str| {
        let out = env
            .cmd(["--config"])
            .arg(&cfg)
            .args(["digest", "--format", format])
            .run();
        out.success();
        out.stdout.clone()
    };
    let d: serde_json::Value = serde_json::from_str(&digest("json")).unwrap();
    let entries: Vec<&serde_json::Value> = d["papers"]
        .as_array()
        .unwrap()
        .iter()
        .chain(d["also_popular"].as_array().unwrap())
        .collect();
    let entry = |id: &str| entries.iter().find(|p| p["id"] == id).copied();
    let grower = entry(GROWER).expect("the grower is in the digest");
    assert_eq!(grower["rising_by"], "+50 upvotes since yesterday");
    assert!(!grower["why"].as_str().unwrap().contains("since yesterday"));
    assert!(entries.iter().filter(|p| p["rising_by"].is_string()).count() == 1);
    for format in ["md", "text", "html"] {
        // (The text part wraps lines.)
        let text = digest(format)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(
            text.matches("+50 upvotes since yesterday").count(),
            1,
            "{format}: {text}"
        );
    }

    // explain shows the velocity it used.
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["explain", GROWER])
        .run();
    out.success();
    let text = out.stdout.clone();
    assert!(
        text.contains("velocity") && text.contains("+50.0 upvotes/day since 2026-01-20 07:00 UTC"),
        "{text}"
    );
}

#[test]
fn a_mute_removes_a_paper_from_top_and_explain_names_it() {
    let server = Server::start();
    let env = grown(&server);
    let cfg = env.path("config.toml");
    let top = || {
        let out = env
            .cmd(["--config"])
            .arg(&cfg)
            .args(["top", "-n", "100", "--format", "json"])
            .run();
        out.success();
        ids(out.json().as_array().unwrap())
    };
    let before = top();
    assert!(before.contains(&STALE.to_string()));
    let stale = env
        .export()
        .into_iter()
        .find(|p| p["id"] == STALE)
        .unwrap();
    let author = stale["authors"][0].as_str().unwrap().to_string();
    env.cmd(["mute", &format!("author:{author}"), "--for", "30d"])
        .run()
        .success();
    let after = top();
    assert!(!after.contains(&STALE.to_string()), "{after:?}");
    // Only papers by that author left.
    let removed: Vec<&String> = before.iter().filter(|id| !after.contains(id)).collect();
    assert!(!removed.is_empty() && removed.len() < 5, "{removed:?}");
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["explain", STALE, "--json"])
        .run();
    out.success();
    let v = out.json();
    assert_eq!(v["verdict"]["status"], "muted");
    assert_eq!(v["verdict"]["mute"], format!("author:{author}"));
    assert_eq!(v["verdict"]["until"], "2026-02-19T19:00:00Z");
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["explain", STALE])
        .run();
    out.success();
    let text = out.stdout.clone();
    assert!(
        text.contains(&format!("muted by \"author:{author}\""))
            && text.contains("until 2026-02-19 19:00 UTC"),
        "{text}"
    );
    // `search --sort trend` leaves it out too.
    let title = stale["title"].as_str().unwrap();
    let word = title.split_whitespace().max_by_key(|w| w.len()).unwrap();
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["search", word, "--sort", "trend", "--format", "json"])
        .run();
    out.success();
    assert!(!ids(out.json().as_array().unwrap()).contains(&STALE.to_string()));
}

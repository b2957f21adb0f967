//! The Hugging Face `daily_papers` API on the loopback [`Server`]: request
//! targets, the `hf-daily` source block of a config, and one real day whose
//! upvotes grow between two fetches; and the real January 2026 lists with
//! the audio papers the feedback tests like.

#![allow(dead_code, unreachable_pub)]

use super::TestEnv;
use super::http::{Reply, Server};

/// The request target of every day's list, less the date.
pub const DAILY: &str = "/api/daily_papers?date=";

/// The request target of `date`'s list (`2026-11-27`).
pub fn day(date: &str) -> String {
    format!("{DAILY}{date}")
}

/// A `[[sources]]` block: an `hf-daily` source named `name` at `base`.
pub fn source(name: &str, base: &str, catch_up_days: u32) -> String {
    format!(
        "[[sources]]\nname = \"{name}\"\nkind = \"hf-daily\"\nbase_url = \"{base}\"\n\
         catch_up_days = {catch_up_days}\n"
    )
}

/// A 200 reply with a JSON body, as the API sends its lists.
pub fn json(body: impl Into<Vec<u8>>) -> Reply {
    Reply::new(200, body).header("Content-Type", "application/json")
}

/// The first paper of the real 2026-01-20 list: its upvotes grow.
pub const GROWER: &str = "arxiv:2601.08808";
/// The second paper of that list: 100 upvotes all day.
pub const STALE: &str = "arxiv:2601.11077";

/// The 2026-01-20 daily list with [`GROWER`]'s and [`STALE`]'s upvotes set:
/// what the API would answer at another hour of the same day.
pub fn upvotes(grower: u64, stale: u64) -> Vec<u8> {
    let text = super::fixture_text("hf-json/2026-01-20.json");
    let mut items: serde_json::Value = serde_json::from_str(&text).expect("fixture is JSON");
    items[0]["paper"]["upvotes"] = grower.into();
    items[1]["paper"]["upvotes"] = stale.into();
    serde_json::to_vec(&items).expect("serialise")
}

/// Scripts `server` to answer `date`'s list with [`GROWER`] at 13 upvotes
/// the first time and 63 every later time ([`STALE`] at 100), and returns
/// a fresh [`TestEnv`] whose `config.toml` has only that server as source
/// `hf` (no retries, one day of catch-up), with the target it will fetch.
pub fn growing_day(server: &Server, date: &str) -> (TestEnv, String) {
    let target = day(date);
    server.route(&target, [json(upvotes(13, 100)), json(upvotes(63, 100))]);
    let env = TestEnv::new();
    env.write(
        "config.toml",
        format!(
            "[fetch]\nretries = 0\n\n{}",
            source("hf", &server.base(), 1)
        ),
    );
    (env, target)
}

/// `papertrend --config config.toml fetch` at `now`; asserts quiet success.
pub fn fetch_at(env: &mut TestEnv, now: &str) {
    env.set_now(now);
    env.cmd(["--config"])
        .arg(env.path("config.toml"))
        .arg("fetch")
        .run()
        .success();
}

/// Every Hugging Face daily list of January 2026 (`fixtures/hf-json/2026-01`),
/// plus 2026-02-06 last, in date order.
pub fn january() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(super::fixture("hf-json/2026-01"))
        .expect("read fixtures/hf-json/2026-01")
        .map(|e| e.expect("dir entry").path())
        .collect();
    files.sort();
    files
}

/// Ten speech and audio papers across [`january`] (by title: speech, audio,
/// spoken, TTS, ASR, sound), for a reader's likes.
pub const AUDIO_LIKES: [&str; 10] = [
    "2601.06329", // Spoken Language Model Evaluation
    "2601.14046", // PRiSM: Phone Realization in Speech Models
    "2601.14417", // Accented Speech Synthesis
    "2601.13044", // Typhoon ASR Real-time
    "2601.15621", // Qwen3-TTS Technical Report
    "2601.19949", // RIR-Mega-Speech
    "2601.17690", // Audio Fingerprinting
    "2601.03227", // Audio-Language Models in Audio Geo-Localization
    "2601.04151", // Klear: Audio-Video Joint Generation
    "2512.22564", // Respiratory Sound Classification
];

/// Three video generation papers of [`january`], for a reader's dislikes.
pub const VIDEO_DISLIKES: [&str; 3] = [
    "2601.05966", // VideoAR: Autoregressive Video Generation
    "2601.09881", // Transition Matching Distillation for Fast Video Generation
    "2601.05239", // Plenoptic Video Generation
];

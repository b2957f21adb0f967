//! The Hugging Face `daily_papers` API on the loopback [`Server`]: request
//! targets, the `hf-daily` source block of a config, and one real day whose
//! upvotes grow between two fetches.

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

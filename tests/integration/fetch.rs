//! Fetch: configured HTTP sources against a loopback server serving recorded
//! real responses (fixtures/http, hf-json, arxiv-rss) and scripted faults.
//! Every test checks what landed in the index and the exit code.

use std::time::Duration;

use crate::support::hf::{self, day};
use crate::support::http::{Reply, Server, closed_port, gzip};
use crate::support::{Output, TestEnv, fixture_text};

/// `day("2026-11-27")`, as a constant for format strings.
const HF_DAY: &str = "/api/daily_papers?date=2026-11-27";
const RSS: &str = "/rss/cs.CL";

/// Small timeouts and backoff, so fault tests take about a second.
fn write_config(env: &TestEnv, fetch: &str, sources: &str) {
    env.write(
        "config.toml",
        format!(
            "[fetch]\ntimeout = \"3s\"\nconnect_timeout = \"1s\"\nread_timeout = \"1s\"\n\
             retries = 2\nbackoff = \"100ms\"\nmax_backoff = \"2s\"\n{fetch}\n\n{sources}"
        ),
    );
}

fn rss(name: &str, base: &str) -> String {
    format!(
        "[[sources]]\nname = \"{name}\"\nkind = \"arxiv-rss\"\ncategory = \"cs.CL\"\nbase_url = \"{base}\"\n"
    )
}

fn fetch(env: &TestEnv, args: &[&str]) -> Output {
    env.cmd(["--config"])
        .arg(env.path("config.toml"))
        .arg("fetch")
        .args(args)
        .run()
}

/// How many papers the plain `ingest` of these fixtures yields.
fn ingested_count(fixtures: &[&str]) -> usize {
    let env = TestEnv::new();
    env.ingest(fixtures);
    env.export().len()
}

fn ids(env: &TestEnv) -> Vec<String> {
    let mut ids: Vec<String> = env
        .export()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn fetch_waits_for_retry_after_on_503_then_ingests() {
    let server = Server::start();
    server.route(
        HF_DAY,
        [
            Reply::new(503, "busy").header("Retry-After", "1"),
            Reply::fixture("hf-json/2026-01-19.json").header("Content-Type", "application/json"),
        ],
    );
    let env = TestEnv::new();
    write_config(&env, "", &hf::source("hf", &server.base(), 1));
    fetch(&env, &[]).success();
    assert_eq!(
        env.export().len(),
        ingested_count(&["hf-json/2026-01-19.json"])
    );
    let reqs = server.requests_to(HF_DAY);
    assert_eq!(reqs.len(), 2);
    let gap = reqs[1].at - reqs[0].at;
    assert!(gap >= Duration::from_millis(950), "waited only {gap:?}");
}

#[test]
fn fetch_retries_429_with_backoff_then_succeeds() {
    let server = Server::start();
    server.route(
        RSS,
        [
            Reply::new(429, "slow down"),
            Reply::fixture("arxiv-rss/arxiv_cs_cl.xml"),
        ],
    );
    let env = TestEnv::new();
    write_config(&env, "", &rss("cl", &server.base()));
    fetch(&env, &[]).success();
    assert_eq!(server.requests_to(RSS).len(), 2);
    assert_eq!(
        env.export().len(),
        ingested_count(&["arxiv-rss/arxiv_cs_cl.xml"])
    );
}

#[test]
fn fetch_gives_up_at_once_when_retry_after_is_longer_than_max_backoff() {
    let server = Server::start();
    server.route(RSS, [Reply::new(429, "").header("Retry-After", "3600")]);
    let env = TestEnv::new();
    write_config(&env, "", &rss("cl", &server.base()));
    let out = fetch(&env, &[]);
    out.code(1).stderr_has(&format!(
        "papertrend: warning: source \"cl\" ({}{RSS}): HTTP 429 asking to retry after 3600 s, \
         longer than fetch.max_backoff allows; will retry next run",
        server.base()
    ));
    out.stderr_has("papertrend: error: the only source failed; nothing was fetched");
    assert_eq!(server.requests_to(RSS).len(), 1);
}

#[test]
fn fetch_sends_stored_validators_and_a_304_ingests_nothing() {
    let server = Server::start();
    let etag = "\"cs-cl-2026-04-27\"";
    let lm = "Mon, 27 Apr 2026 04:00:00 GMT";
    server.route(
        RSS,
        [
            Reply::fixture("arxiv-rss/arxiv_cs_cl.xml")
                .header("ETag", etag)
                .header("Last-Modified", lm),
            Reply::new(304, ""),
        ],
    );
    let mut env = TestEnv::new();
    write_config(&env, "", &rss("cl", &server.base()));
    fetch(&env, &[]).success();
    let before = env.export();
    assert_eq!(before.len(), ingested_count(&["arxiv-rss/arxiv_cs_cl.xml"]));
    env.set_now("2026-11-28T08:00:00Z");
    let out = fetch(&env, &["-v"]);
    out.code(0)
        .stderr_has("-> 304 Not Modified")
        .stderr_has("source \"cl\": not modified since the last run")
        .stderr_has("ingested: 0 added, 0 updated, 0 unchanged, 0 skipped");
    let reqs = server.requests_to(RSS);
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].header("If-None-Match"), None);
    assert_eq!(reqs[1].header("If-None-Match"), Some(etag));
    assert_eq!(reqs[1].header("If-Modified-Since"), Some(lm));
    assert_eq!(env.export(), before);
}

#[test]
fn fetch_decodes_gzip_bodies() {
    let server = Server::start();
    let body = std::fs::read(crate::support::fixture("hf-json/2026-01-20.json")).unwrap();
    server.route(
        HF_DAY,
        [Reply::new(200, gzip(&body)).header("Content-Encoding", "gzip")],
    );
    let env = TestEnv::new();
    write_config(&env, "", &hf::source("hf", &server.base(), 1));
    fetch(&env, &[]).success();
    let accept = server.requests_to(HF_DAY)[0]
        .header("Accept-Encoding")
        .unwrap_or_default()
        .to_string();
    assert!(accept.contains("gzip"), "{accept}");
    assert_eq!(
        env.export().len(),
        ingested_count(&["hf-json/2026-01-20.json"])
    );
}

#[test]
fn a_body_stalling_past_the_timeout_fails_only_its_source() {
    let server = Server::start();
    server.route(
        HF_DAY,
        [Reply::fixture("hf-json/2026-01-20.json").stall(Duration::from_secs(3))],
    );
    server.route(RSS, [Reply::fixture("arxiv-rss/arxiv_cs_cl.xml")]);
    let env = TestEnv::new();
    let sources = format!(
        "{}\n{}",
        hf::source("slow", &server.base(), 1),
        rss("cl", &server.base())
    );
    write_config(&env, "", &sources.replace("retries = 2", ""));
    env.write(
        "config.toml",
        std::fs::read_to_string(env.path("config.toml"))
            .unwrap()
            .replace("retries = 2", "retries = 1"),
    );
    let out = fetch(&env, &[]);
    out.code(3).stderr_has(&format!(
        "papertrend: warning: source \"slow\" ({}{HF_DAY}): timed out after 2 attempts; \
         will retry next run",
        server.base()
    ));
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert_eq!(server.requests_to(HF_DAY).len(), 2);
    assert_eq!(
        env.export().len(),
        ingested_count(&["arxiv-rss/arxiv_cs_cl.xml"])
    );
}

#[test]
fn a_refused_connection_is_retried_then_reported() {
    let port = closed_port();
    let env = TestEnv::new();
    write_config(
        &env,
        "",
        &hf::source("hf", &format!("http://127.0.0.1:{port}"), 1),
    );
    let out = fetch(&env, &[]);
    out.code(1)
        .stderr_has(&format!(
            "source \"hf\" (http://127.0.0.1:{port}{HF_DAY}): connection refused after 3 attempts; \
             will retry next run"
        ))
        .stderr_has("papertrend: error: the only source failed; nothing was fetched");
    assert!(env.export().is_empty());
}

#[test]
fn html_instead_of_json_names_the_source_and_keeps_the_cursor() {
    let server = Server::start();
    let html = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n\
                <body><h1>Bad Gateway</h1></body></html>\n";
    server.route(
        HF_DAY,
        [
            Reply::new(200, html).header("Content-Type", "text/html; charset=utf-8"),
            Reply::fixture("hf-json/2026-01-20.json"),
        ],
    );
    let env = TestEnv::new();
    write_config(&env, "", &hf::source("hf", &server.base(), 1));
    let out = fetch(&env, &[]);
    out.code(1)
        .stderr_has(&format!("source \"hf\" ({}{HF_DAY}): response is not hf-json (Content-Type: text/html; charset=utf-8)", server.base()))
        .stderr_has("; will retry next run");
    assert!(env.export().is_empty());
    // Nothing was recorded, so the next run asks for the same day again.
    fetch(&env, &[]).success();
    assert_eq!(server.requests_to(HF_DAY).len(), 2);
    assert_eq!(
        env.export().len(),
        ingested_count(&["hf-json/2026-01-20.json"])
    );
}

#[test]
fn one_failing_source_does_not_stop_two_others() {
    let server = Server::start();
    server.route(HF_DAY, [Reply::new(500, "oops")]);
    server.route(RSS, [Reply::fixture("arxiv-rss/arxiv_cs_cl.xml")]);
    server.route("/rss/cs.AI", [Reply::fixture("arxiv-rss/arxiv_cs_ai.xml")]);
    let env = TestEnv::new();
    let sources = format!(
        "{}\n{}\n[[sources]]\nname = \"ai\"\nkind = \"arxiv-rss\"\ncategory = \"cs.AI\"\nbase_url = \"{}\"\n",
        hf::source("hf", &server.base(), 1),
        rss("cl", &server.base()),
        server.base()
    );
    write_config(&env, "", &sources);
    let out = fetch(&env, &[]);
    out.code(3).stderr_has(&format!(
        "papertrend: warning: source \"hf\" ({}{HF_DAY}): HTTP 500 after 3 attempts; will retry next run\n",
        server.base()
    ));
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert_eq!(
        ids(&env).len(),
        ingested_count(&["arxiv-rss/arxiv_cs_cl.xml", "arxiv-rss/arxiv_cs_ai.xml"])
    );
    // Only the failing source is fetched again when named.
    let again = fetch(&env, &["hf"]);
    again.code(1);
    assert_eq!(server.requests_to(RSS).len(), 1);
}

#[test]
fn a_source_failing_three_runs_in_a_row_is_called_out() {
    let server = Server::start();
    server.route(HF_DAY, [Reply::new(404, "gone")]);
    server.route(RSS, [Reply::fixture("arxiv-rss/arxiv_cs_cl.xml")]);
    let env = TestEnv::new();
    let sources = format!(
        "{}\n{}",
        hf::source("hf", &server.base(), 1),
        rss("cl", &server.base())
    );
    write_config(&env, "", &sources);
    let first = fetch(&env, &[]);
    first.code(3).stderr_has("HTTP 404; will retry next run\n");
    assert!(!first.stderr.contains("in a row"), "{}", first.stderr);
    fetch(&env, &[]).code(3);
    fetch(&env, &[])
        .code(3)
        .stderr_has("HTTP 404; will retry next run (failing for 3 runs in a row)");
    // 404 is not retried.
    assert_eq!(server.requests_to(HF_DAY).len(), 3);
}

#[test]
fn hf_daily_catches_up_each_missing_day_once_and_revalidates_the_last() {
    let server = Server::start();
    server.route(
        &day("2026-11-25"),
        [Reply::fixture("hf-json/2026-01-19.json")],
    );
    server.route(
        &day("2026-11-26"),
        [Reply::fixture("hf-json/2026-01-20.json")],
    );
    // A weekend-like empty day: `[]` is success. Its second request is the
    // conditional re-check of the last fetched day.
    server.route(
        &day("2026-11-27"),
        [
            Reply::new(200, "[]").header("ETag", "W/\"empty-27\""),
            Reply::new(200, "[]").header("ETag", "W/\"empty-27\""),
            Reply::fixture("hf-json/2026-01-02.json"),
        ],
    );
    server.route(&day("2026-11-28"), [Reply::new(200, "[]")]);
    server.route(
        &day("2026-11-29"),
        [Reply::fixture("hf-json/2025-11-12.json")],
    );
    let mut env = TestEnv::new();
    write_config(&env, "", &hf::source("hf", &server.base(), 3));
    // First run: the whole 3-day window.
    fetch(&env, &[]).success();
    assert_eq!(
        server.targets(),
        [day("2026-11-25"), day("2026-11-26"), day("2026-11-27")]
    );
    let n = ingested_count(&["hf-json/2026-01-19.json", "hf-json/2026-01-20.json"]);
    assert_eq!(env.export().len(), n);
    // Same day again: only today.
    fetch(&env, &[]).success();
    assert_eq!(server.targets().len(), 4);
    assert_eq!(server.targets()[3], day("2026-11-27"));
    // Two days later: the last fetched day once more (conditionally), then
    // each missing day once.
    env.set_now("2026-11-29T07:00:00Z");
    fetch(&env, &[]).success();
    let reqs = server.requests();
    let targets: Vec<&str> = reqs[4..].iter().map(|r| r.target.as_str()).collect();
    assert_eq!(
        targets,
        [day("2026-11-27"), day("2026-11-28"), day("2026-11-29")]
    );
    assert_eq!(reqs[4].header("If-None-Match"), Some("W/\"empty-27\""));
    let all = ingested_count(&[
        "hf-json/2026-01-19.json",
        "hf-json/2026-01-20.json",
        "hf-json/2026-01-02.json",
        "hf-json/2025-11-12.json",
    ]);
    assert_eq!(env.export().len(), all);
}

#[test]
fn arxiv_api_pages_with_the_configured_delay_and_stops_at_known_papers() {
    let server = Server::start();
    let page = |start: u32| {
        format!(
            "/api/query?search_query=all%3Atesting&start={start}&max_results=10\
             &sortBy=submittedDate&sortOrder=descending"
        )
    };
    server.route(
        &page(0),
        [Reply::fixture("http/arxiv-api/q_testing_s0_m10.xml")],
    );
    server.route(
        &page(10),
        [Reply::fixture("http/arxiv-api/q_testing_s10_m10.xml")],
    );
    let mut env = TestEnv::new();
    let src = format!(
        "[[sources]]\nname = \"arxiv\"\nkind = \"arxiv-api\"\nquery = \"all:testing\"\n\
         base_url = \"{}\"\npage_size = 10\nmax_pages = 2\ndelay = \"600ms\"\n",
        server.base()
    );
    write_config(&env, "", &src);
    fetch(&env, &[]).success();
    let reqs = server.requests();
    assert_eq!(server.targets(), [page(0), page(10)]);
    // The client spaces requests start to start; the server sees arrivals,
    // and the first one pays for the connection: on a busy machine that can
    // take 100 ms from the gap it sees (without the delay it is ~1 ms).
    let gap = reqs[1].at - reqs[0].at;
    assert!(
        gap >= Duration::from_millis(450),
        "only {gap:?} between pages"
    );
    let n = ingested_count(&[
        "http/arxiv-api/q_testing_s0_m10.xml",
        "http/arxiv-api/q_testing_s10_m10.xml",
    ]);
    assert_eq!(env.export().len(), n);
    assert_eq!(n, 20);
    // Next run: page 1 already reaches papers seen before, so it stops there.
    env.set_now("2026-11-28T08:00:00Z");
    fetch(&env, &[]).success();
    assert_eq!(server.targets(), [page(0), page(10), page(0)]);
}

#[test]
fn arxiv_api_refuses_a_delay_under_3s_for_arxiv_itself() {
    let env = TestEnv::new();
    write_config(
        &env,
        "",
        "[[sources]]\nname = \"a\"\nkind = \"arxiv-api\"\nquery = \"all:x\"\ndelay = \"1s\"\n",
    );
    fetch(&env, &["--dry-run"])
        .code(2)
        .stderr_has("`delay` must be at least 3s for export.arxiv.org");
}

#[test]
fn fetch_exits_locked_while_a_run_holds_the_lock_and_writes_nothing() {
    let env = TestEnv::new();
    env.write("local.json", fixture_text("hf-json/2026-01-19.json"));
    let sources = "[[sources]]\nname = \"local\"\nkind = \"file\"\npath = \"local.json\"\n";
    write_config(&env, "", sources);
    std::fs::create_dir_all(env.data_dir()).unwrap();
    let lock = std::fs::File::create(env.data_dir().join("lock")).unwrap();
    lock.lock().unwrap();
    fetch(&env, &[])
        .code(4)
        .stderr_has("held by another papertrend process");
    assert!(!env.data_dir().join("index").exists());
    drop(lock);
    fetch(&env, &[]).success();
    assert_eq!(
        env.export().len(),
        ingested_count(&["hf-json/2026-01-19.json"])
    );
}

#[test]
fn dry_run_lists_requests_and_sends_none() {
    let server = Server::start();
    let env = TestEnv::new();
    env.write("local.json", "[]");
    let sources = format!(
        "{}\n{}\n[[sources]]\nname = \"arxiv\"\nkind = \"arxiv-api\"\nquery = \"cat:cs.CL\"\n\
         base_url = \"{b}\"\npage_size = 50\nmax_pages = 3\ndelay = \"200ms\"\n\
         [[sources]]\nname = \"local\"\nkind = \"file\"\npath = \"local.json\"\n",
        hf::source("hf", &server.base(), 1),
        rss("cl", &server.base()),
        b = server.base()
    );
    write_config(&env, "", &sources);
    let out = fetch(&env, &["--dry-run"]);
    out.success();
    let b = server.base();
    assert_eq!(
        out.stdout,
        format!(
            "hf: GET {b}{HF_DAY}\ncl: GET {b}{RSS}\narxiv: GET {b}/api/query?search_query=cat%3Acs.CL\
             &start=0&max_results=50&sortBy=submittedDate&sortOrder=descending\n\
             arxiv: … then up to 2 more pages of 50, 200 ms apart, until known papers\n\
             local: read {}\n",
            env.path("local.json").display()
        )
    );
    assert!(server.requests().is_empty());
    assert!(!env.data_dir().join("index").exists());
}

#[test]
fn verbose_shows_each_request_and_the_user_agent_names_the_version() {
    let server = Server::start();
    server.route(RSS, [Reply::fixture("arxiv-rss/arxiv_cs_cl.xml")]);
    let env = TestEnv::new();
    write_config(
        &env,
        "contact = \"mailto:ops@example.org\"",
        &rss("cl", &server.base()),
    );
    let out = fetch(&env, &["-v"]);
    out.code(0)
        .stderr_has(&format!(
            "papertrend: GET {}{RSS} -> 200 OK (",
            server.base()
        ))
        .stderr_has("papertrend: source \"cl\": 3 papers, 3 new (1 request)");
    let ua = server.requests()[0]
        .header("User-Agent")
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        ua,
        concat!(
            "papertrend/",
            env!("CARGO_PKG_VERSION"),
            " (+https://github.com/papertrend; cron digest; mailto:ops@example.org)"
        )
    );
}

#[test]
fn unknown_source_names_are_usage_errors_listing_the_configured_ones() {
    let env = TestEnv::new();
    write_config(
        &env,
        "",
        &format!(
            "{}\n{}",
            hf::source("hf", "http://127.0.0.1:9", 1),
            rss("cl", "http://127.0.0.1:9")
        ),
    );
    fetch(&env, &["arxiv"])
        .code(2)
        .stderr_has("papertrend: error: unknown source \"arxiv\" (configured: hf, cl)");
}

fn fetch_config(env: &TestEnv, url: &str) -> std::path::PathBuf {
    env.write(
        "config.toml",
        format!(
            "[fetch]\ntimeout = \"3s\"\nconnect_timeout = \"1s\"\nread_timeout = \"1s\"\nretries = 0\n\n\
             [[sources]]\nname = \"seed\"\nkind = \"file\"\npath = {:?}\n\n\
             [[sources]]\nname = \"private\"\nkind = \"url\"\nformat = \"hf-json\"\nurl = \"{url}\"\n",
            crate::support::fixture("hf-text/seed.txt")
        ),
    )
}

#[test]
fn credentials_in_a_source_url_are_never_shown_or_stored() {
    // See: #19
    let server = Server::start();
    server.route("/feed.json?token=T0KEN", [Reply::new(500, "boom")]);
    let env = TestEnv::new();
    let url = format!(
        "http://alice:PW5ecret@{}/feed.json?token=T0KEN",
        server.base().trim_start_matches("http://")
    );
    let cfg = fetch_config(&env, &url);
    let leaks = |what: &str, text: &str| {
        for secret in ["PW5ecret", "T0KEN", "alice"] {
            assert!(!text.contains(secret), "{what} shows {secret}:\n{text}");
        }
    };
    // `run` with e-mail off prints the digest (its notices name the failure).
    let out = env.cmd(["-v", "--config"]).arg(&cfg).arg("run").run();
    out.code(3);
    out.stderr_has("***@127.0.0.1");
    assert!(out.stdout.contains("private"), "{}", out.stdout);
    leaks("run stderr", &out.stderr);
    leaks("run stdout (the digest)", &out.stdout);
    assert!(!server.requests().is_empty(), "the source was fetched");
    for dir in ["state/digests", "state"] {
        for entry in std::fs::read_dir(env.data_dir().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() && path.file_name().unwrap() != "fetch.json" {
                leaks(
                    &path.display().to_string(),
                    &std::fs::read_to_string(&path).unwrap(),
                );
            }
        }
    }
    let dry = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["fetch", "--dry-run"])
        .run();
    dry.success();
    assert!(dry.stdout.contains("token=***"), "{}", dry.stdout);
    leaks("fetch --dry-run", &dry.stdout);
    let check = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["config", "check"])
        .run();
    check.success();
    assert!(check.stdout.contains("feed.json"), "{}", check.stdout);
    leaks("config check", &check.stdout);
}

#[test]
fn source_url_secrets_can_come_from_the_environment() {
    // See: #19
    let server = Server::start();
    server.route(
        "/feed.json?token=T0K%2FEN",
        [Reply::fixture("hf-json/2026-01-02.json")],
    );
    let env = TestEnv::new();
    let url = format!(
        "http://alice:${{FEED_PW}}@{}/feed.json?token=${{FEED_TOKEN}}",
        server.base().trim_start_matches("http://")
    );
    let cfg = fetch_config(&env, &url);
    // Unset: the source fails, naming the variable; the other one is fetched.
    let out = env.cmd(["--config"]).arg(&cfg).arg("fetch").run();
    out.code(3).stderr_has("FEED_PW");
    assert!(server.requests().is_empty());
    let out = env
        .cmd(["-v", "--config"])
        .arg(&cfg)
        .arg("fetch")
        .env("FEED_PW", "pw@x")
        .env("FEED_TOKEN", "T0K/EN")
        .run();
    out.code(0);
    assert!(!out.stderr.contains("T0K"), "{}", out.stderr);
    let reqs = server.requests_to("/feed.json?token=T0K%2FEN");
    assert_eq!(reqs.len(), 1, "{:?}", server.targets());
    // "alice:pw@x", user info percent-encoded in the URL, sent as Basic auth.
    assert_eq!(
        reqs[0].header("authorization"),
        Some("Basic YWxpY2U6cHdAeA==")
    );
}

#[test]
fn a_gzip_bomb_stops_at_the_local_limit_and_says_so() {
    // See: #19
    let server = Server::start();
    let bomb = crate::support::http::gzip(&vec![b' '; 40 << 20]);
    assert!(bomb.len() < 1 << 20);
    server.route(
        "/feed.json",
        [Reply::new(200, bomb).header("Content-Encoding", "gzip")],
    );
    let env = TestEnv::new();
    let cfg = fetch_config(&env, &format!("{}/feed.json", server.base()));
    let out = env.cmd(["--config"]).arg(&cfg).arg("fetch").run();
    out.code(3).stderr_has(
        "the response is larger than the 32 MiB papertrend accepts (the server answered 200); \
         not retried",
    );
    assert!(!out.stderr.contains("413"), "{}", out.stderr);
    assert_eq!(server.requests().len(), 1, "not retried");
}

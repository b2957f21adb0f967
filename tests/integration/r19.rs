//! Issue #19: reliability and security under hostile input, concurrency and
//! faults. One test per item, each failing without its fix.

use std::process::Command;

use crate::support::http::{Reply, Server};
use crate::support::{NOW, TestEnv};

/// One hostile record in papertrend's own JSON Lines: terminal escapes in
/// the title and the authors, a bidi override, a C1 CSI.
fn hostile_record() -> String {
    serde_json::json!({
        "id": "hostile:1",
        "title": "Evil \u{1b}]0;pwned\u{7} sparse attention \u{202e}txt",
        "authors": ["Mallory\u{1b}c", "Eve \u{9b}2J Doe", "Trent\u{202e}"],
        "abstract": "Sparse attention for transformers, with a \u{1b}[2J clear.",
        "published": "2026-11-20T00:00:00Z",
    })
    .to_string()
        + "\n"
}

fn has_raw_terminal_controls(s: &str) -> Option<char> {
    s.chars().find(|c| {
        (c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

// See: #19
#[test]
fn r19_authors_and_titles_never_reach_a_terminal_raw() {
    let env = TestEnv::new();
    let rec = env.write("hostile.jsonl", hostile_record());
    env.cmd(["ingest", "--format", "jsonl"])
        .arg(&rec)
        .run()
        .success();
    for args in [
        &["search", "sparse", "--format", "md"][..],
        &["search", "sparse", "--format", "table"],
        &["top", "--explain", "--since", "30d", "--format", "md"],
        &["top", "--explain", "--since", "30d", "--format", "table"],
    ] {
        let out = env.cmd(args).run();
        out.success();
        assert!(out.stdout.contains("Evil"), "{args:?}: {}", out.stdout);
        if args.contains(&"md") {
            assert!(out.stdout.contains("Mallory"), "{args:?}: {}", out.stdout);
        }
        assert_eq!(
            has_raw_terminal_controls(&out.stdout),
            None,
            "{args:?} printed a raw control: {:?}",
            out.stdout
        );
    }
    // On a terminal, even --json shows the bidi override and the C1 byte
    // escaped (the same JSON value), never raw.
    let script = which("script");
    let Some(script) = script else {
        panic!("`script` (util-linux) is needed to give the binary a terminal");
    };
    let line = format!(
        "{} --data-dir {} search sparse --json",
        env!("CARGO_BIN_EXE_papertrend"),
        env.data_dir().display()
    );
    let out = Command::new(script)
        .args(["-qec", &line, "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.path("home"))
        .env("NO_COLOR", "1")
        .env("TERM", "dumb")
        .env("PAPERTREND_NOW", NOW)
        .output()
        .expect("run script");
    let text = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    assert_eq!(has_raw_terminal_controls(&text), None, "{text:?}");
    assert!(text.contains("\\u202e"), "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).expect("still JSON");
    assert_eq!(
        v[0]["authors"][0], "Mallory\u{1b}c",
        "the value itself is kept"
    );
}

fn which(name: &str) -> Option<std::path::PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
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

// See: #19
#[test]
fn r19_credentials_in_a_source_url_are_never_shown_or_stored() {
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

// See: #19
#[test]
fn r19_source_url_secrets_can_come_from_the_environment() {
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

/// A scripted SMTP server on loopback (plain text, no TLS) for faults the
/// real test server cannot play: replies that trickle in forever, a 250
/// held until the test releases it, STARTTLS refused with 454, and a look
/// at the ledger at the moment the client says QUIT.
#[allow(unreachable_pub)]
mod scripted {
    use std::io::{BufRead, BufReader, Write};
    use std::net::{TcpListener, TcpStream};
    use std::sync::{Arc, Condvar, Mutex};
    use std::time::Duration;

    #[derive(Clone, Default)]
    pub struct Script {
        /// Send `220-` lines every 300 ms, never the final line.
        pub trickle_greeting: bool,
        /// Answer EHLO with `250-ext` lines every 300 ms, never the last.
        pub trickle_ehlo: bool,
        /// Offer STARTTLS and refuse it with 454.
        pub refuse_starttls: bool,
        /// Hold the 250 after the message until [`Sink::release`].
        pub hold_250: bool,
        /// Read this file when QUIT arrives (see [`Sink::at_quit`]).
        pub snapshot_at_quit: Option<std::path::PathBuf>,
    }

    #[derive(Default)]
    struct Shared {
        messages: Vec<String>,
        released: bool,
        at_quit: Vec<String>,
    }

    pub struct Sink {
        pub port: u16,
        shared: Arc<(Mutex<Shared>, Condvar)>,
    }

    impl Sink {
        pub fn start(script: Script) -> Sink {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let port = listener.local_addr().unwrap().port();
            let shared = Arc::new((Mutex::new(Shared::default()), Condvar::new()));
            let sh = shared.clone();
            std::thread::spawn(move || {
                for conn in listener.incoming().flatten() {
                    let (sh, script) = (sh.clone(), script.clone());
                    std::thread::spawn(move || {
                        let _ = serve(conn, &script, &sh);
                    });
                }
            });
            Sink { port, shared }
        }

        /// Messages whose final dot arrived (whatever the reply).
        pub fn messages(&self) -> Vec<String> {
            self.shared.0.lock().unwrap().messages.clone()
        }

        /// What the snapshot file held when each QUIT arrived.
        pub fn at_quit(&self) -> Vec<String> {
            self.shared.0.lock().unwrap().at_quit.clone()
        }

        pub fn release(&self) {
            self.shared.0.lock().unwrap().released = true;
            self.shared.1.notify_all();
        }

        /// Waits until a message arrived (up to 60 s).
        pub fn wait_for_message(&self) {
            let start = std::time::Instant::now();
            while self.messages().is_empty() {
                assert!(
                    start.elapsed() < Duration::from_secs(60),
                    "no message arrived"
                );
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }

    fn serve(
        conn: TcpStream,
        script: &Script,
        sh: &Arc<(Mutex<Shared>, Condvar)>,
    ) -> std::io::Result<()> {
        let mut out = conn.try_clone()?;
        let mut input = BufReader::new(conn);
        if script.trickle_greeting {
            loop {
                out.write_all(b"220-still greeting\r\n")?;
                std::thread::sleep(Duration::from_millis(300));
            }
        }
        out.write_all(b"220 scripted ESMTP\r\n")?;
        let mut line = String::new();
        loop {
            line.clear();
            if input.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let cmd = line.trim_end().to_ascii_uppercase();
            if cmd.starts_with("EHLO") || cmd.starts_with("HELO") {
                if script.trickle_ehlo {
                    loop {
                        out.write_all(b"250-ext\r\n")?;
                        std::thread::sleep(Duration::from_millis(300));
                    }
                }
                if script.refuse_starttls {
                    out.write_all(b"250-scripted\r\n250-STARTTLS\r\n250 8BITMIME\r\n")?;
                } else {
                    out.write_all(b"250-scripted\r\n250 8BITMIME\r\n")?;
                }
            } else if cmd.starts_with("STARTTLS") {
                out.write_all(b"454 4.7.0 TLS not available due to temporary reason\r\n")?;
            } else if cmd.starts_with("DATA") {
                out.write_all(b"354 go ahead\r\n")?;
                let mut body = String::new();
                loop {
                    line.clear();
                    if input.read_line(&mut line)? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    body.push_str(&line);
                }
                let (lock, cv) = &**sh;
                let mut g = lock.lock().unwrap();
                g.messages.push(body);
                while script.hold_250 && !g.released {
                    g = cv.wait(g).unwrap();
                }
                drop(g);
                out.write_all(b"250 2.0.0 queued\r\n")?;
            } else if cmd.starts_with("QUIT") {
                if let Some(p) = &script.snapshot_at_quit {
                    let text = std::fs::read_to_string(p).unwrap_or_default();
                    sh.0.lock().unwrap().at_quit.push(text);
                }
                out.write_all(b"221 bye\r\n")?;
                return Ok(());
            } else {
                out.write_all(b"250 ok\r\n")?;
            }
        }
    }
}

use scripted::{Script, Sink};

fn mail_config(env: &TestEnv, port: u16, extra: &str) -> std::path::PathBuf {
    env.write(
        "mail.toml",
        format!(
            "[digest]\nlimit = 500\n\n[mail]\nenabled = true\nhost = \"127.0.0.1\"\nport = {port}\n\
             security = \"none\"\nfrom = \"Bot <bot@example.org>\"\nto = [\"me@example.org\"]\n\
             timeout = \"1s\"\n{extra}"
        ),
    )
}

fn archived_new(env: &TestEnv, day: &str) -> u64 {
    let path = env.data_dir().join(format!("state/digests/{day}.json"));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("archived digest")).unwrap();
    v["counts"]["new"].as_u64().unwrap()
}

// See: #19
#[test]
fn r19_an_ingest_overlapping_a_run_is_never_skipped_by_the_next_digest() {
    let mut env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt"]);
    let seeded = env.export().len();
    let sink = Sink::start(Script {
        hold_250: true,
        ..Script::default()
    });
    let cfg = mail_config(&env, sink.port, "");
    // The run has read its watermark and built the digest; the server holds
    // its 250, so the run has not recorded the watermark yet.
    let run = env.cmd(["--config"]).arg(&cfg).arg("run").spawn();
    sink.wait_for_message();
    let later = crate::support::fixture("hf-json/2026-01-19.json");
    let during = env.cmd(["ingest"]).arg(&later).run();
    during
        .code(4)
        .stderr_has("held by `papertrend run` (pid ")
        .stderr_has("hint: wait for it to finish");
    sink.release();
    let out = run.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(archived_new(&env, "2026-11-27"), seeded as u64);
    // The same ingest right after, in the very second the digest covered
    // (the clock is fixed): its papers must still count as new tomorrow.
    env.cmd(["ingest"]).arg(&later).run().success();
    let added = env.export().len() - seeded;
    assert!(added > 0);
    env.set_now("2026-11-28T08:00:00Z");
    env.cmd(["--config"]).arg(&cfg).arg("run").run().success();
    assert_eq!(sink.messages().len(), 2);
    assert_eq!(archived_new(&env, "2026-11-28"), added as u64);
}

// See: #19
#[test]
fn r19_a_trickling_smtp_server_cannot_hang_mail_test_or_run() {
    for script in [
        Script {
            trickle_greeting: true,
            ..Script::default()
        },
        Script {
            trickle_ehlo: true,
            ..Script::default()
        },
    ] {
        let env = TestEnv::new();
        env.ingest(&["hf-text/seed.txt"]);
        let sink = Sink::start(script);
        let cfg = mail_config(&env, sink.port, "");
        let started = std::time::Instant::now();
        let test = env.cmd(["--config"]).arg(&cfg).args(["mail", "test"]).run();
        let took = started.elapsed();
        test.code(1).stderr_has(&format!(
            "127.0.0.1:{}: timed out in the greeting and EHLO (no complete answer within 1s)",
            sink.port
        ));
        // A trickle without a deadline never ends; the bound is loose
        // because a debug `run` on a loaded machine takes seconds by itself.
        assert!(
            took < std::time::Duration::from_secs(15),
            "mail test took {took:?}"
        );
        let started = std::time::Instant::now();
        let run = env.cmd(["--config"]).arg(&cfg).arg("run").run();
        let took = started.elapsed();
        run.code(1)
            .stderr_has("not sent")
            .stderr_has("timed out in the greeting and EHLO")
            .stderr_has("kept in the outbox");
        assert!(
            took < std::time::Duration::from_secs(15),
            "run took {took:?}"
        );
        // The lock went with the process: the next command gets it.
        env.cmd(["ingest"])
            .arg(crate::support::fixture("hf-json/2026-01-19.json"))
            .run()
            .success();
    }
}

// See: #19
#[test]
fn r19_the_ledger_is_written_before_the_quit_after_the_250() {
    let env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt"]);
    let ledger = env.data_dir().join("state/ledger.json");
    let sink = Sink::start(Script {
        snapshot_at_quit: Some(ledger.clone()),
        ..Script::default()
    });
    let cfg = mail_config(&env, sink.port, "");
    env.cmd(["--config"]).arg(&cfg).arg("run").run().success();
    let at_quit = sink.at_quit();
    assert_eq!(at_quit.len(), 1, "one QUIT");
    let recorded: serde_json::Value = serde_json::from_str(&at_quit[0])
        .unwrap_or_else(|e| panic!("no ledger when QUIT arrived ({e}): {:?}", at_quit[0]));
    let now: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&ledger).unwrap()).unwrap();
    assert_eq!(recorded["digests"].as_array().unwrap().len(), 1);
    assert_eq!(recorded, now);
}

// See: #19
#[test]
fn r19_a_starttls_454_is_a_tls_failure_not_a_login_one() {
    let env = TestEnv::new();
    let sink = Sink::start(Script {
        refuse_starttls: true,
        ..Script::default()
    });
    let cfg = env.write(
        "mail.toml",
        format!(
            "[mail]\nenabled = true\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"starttls\"\n\
             from = \"Bot <bot@example.org>\"\nto = [\"me@example.org\"]\nusername = \"bot\"\npassword_env = \"PW\"\ntimeout = \"2s\"\n",
            sink.port
        ),
    );
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["mail", "test"])
        .env("PW", "x")
        .run();
    out.code(1)
        .stderr_has("TLS failed: the server refused STARTTLS (454 4.7.0 TLS not available");
    assert!(!out.stderr.contains("login"), "{}", out.stderr);
}

// See: #19
#[test]
fn r19_a_failing_password_command_shows_its_status_never_its_output() {
    let env = TestEnv::new();
    let script = env.write("pw.sh", "echo 'pw is hunter2' >&2\necho hunter3\nexit 3\n");
    let cfg = env.write(
        "mail.toml",
        format!(
            "[mail]\nenabled = true\nhost = \"127.0.0.1\"\nport = 2525\nsecurity = \"none\"\n\
             from = \"Bot <bot@example.org>\"\nto = [\"me@example.org\"]\nusername = \"bot\"\n\
             password_command = \"sh {}\"\n",
            script.display()
        ),
    );
    let out = env.cmd(["--config"]).arg(&cfg).args(["mail", "test"]).run();
    out.code(1)
        .stderr_has("mail.password_command) failed (exit status: 3); run it by hand to see why");
    assert!(!out.stderr.contains("hunter"), "{}", out.stderr);
    assert_eq!(out.stdout, "");
}

// See: #19
#[test]
fn r19_one_nul_byte_in_a_text_dump_costs_one_record() {
    let env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt"]);
    let all = env.export().len();
    let text = crate::support::fixture_text("hf-text/seed.txt");
    // Damage the title on the middle line of the file.
    let lines: Vec<&str> = text.lines().collect();
    let (at, _) = lines
        .iter()
        .enumerate()
        .skip(lines.len() / 2)
        .find(|(_, l)| l.len() > 20 && l.len() < 150)
        .unwrap();
    let mut damaged: Vec<String> = lines.iter().map(|l| (*l).to_string()).collect();
    damaged[at].insert(5, '\0');
    let path = env.write("damaged.txt", damaged.join("\n") + "\n");
    let fresh = TestEnv::new();
    let out = fresh.cmd(["ingest"]).arg(&path).run();
    out.code(3)
        .stderr_has(&format!(
            "damaged.txt:{}: skipped: NUL byte at byte 5",
            at + 1
        ))
        .stderr_has(&format!(
            "damaged.txt:{}: skipped: abstract without a title",
            at + 2
        ));
    assert_eq!(fresh.export().len(), all - 1);
}

// See: #19
#[test]
fn r19_an_untitled_hugging_face_record_is_skipped_with_its_place() {
    let env = TestEnv::new();
    let path = env.write(
        "day.json",
        r#"[{"paper": {"id": "2401.00001", "title": null, "upvotes": 3}},
            {"paper": {"id": "2401.00002", "title": "Kept", "upvotes": {"n": 1}}},
            {"paper": {"id": "2401.00003", "title": "Also kept", "upvotes": 2}}]"#,
    );
    let out = env.cmd(["ingest"]).arg(&path).run();
    out.code(3)
        .stderr_has("day.json:1: skipped: entry \"2401.00001\" has no title")
        .stderr_has("day.json:2: skipped: `upvotes` is an object, not a count");
    let titles: Vec<String> = env
        .export()
        .iter()
        .map(|p| p["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles, ["Also kept"]);
    // Its export ingests again, whole.
    let export = env.cmd(["export"]).run();
    let again = env.write("again.jsonl", export.stdout);
    TestEnv::new().cmd(["ingest"]).arg(&again).run().success();
}

/// Runs `papertrend --data-dir DATA ARGS` with DATA mounted read-only (a
/// private mount namespace of an unprivileged user namespace), or, where
/// that is not allowed, with DATA made read-only by permissions (which
/// binds only a non-root user). `None` when neither can make it read-only.
fn run_read_only(env: &TestEnv, args: &str) -> Option<crate::support::Output> {
    let data = env.data_dir();
    let bin = env!("CARGO_BIN_EXE_papertrend");
    let line = format!(
        "mount --bind -o ro {d} {d} && exec {bin} --data-dir {d} {args}",
        d = data.display()
    );
    let probe = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c"])
        .arg(format!(
            "mount --bind -o ro {d} {d} && ! touch {d}/probe 2>/dev/null",
            d = data.display()
        ))
        .status();
    let cmd = if probe.is_ok_and(|s| s.success()) {
        let mut c = Command::new("unshare");
        c.args(["--user", "--map-root-user", "--mount", "sh", "-c", &line]);
        c
    } else {
        let _ = Command::new("chmod")
            .args(["-R", "a-w"])
            .arg(&data)
            .status();
        if std::fs::write(data.join("probe"), "x").is_ok() {
            return None;
        }
        let mut c = Command::new(bin);
        c.arg("--data-dir").arg(&data).args(args.split(' '));
        c
    };
    let out = {
        let mut cmd = cmd;
        cmd.env("PAPERTREND_NOW", NOW)
            .env("NO_COLOR", "1")
            .env("HOME", env.path("home"))
            .output()
            .expect("run")
    };
    Some(crate::support::Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

// See: #19
#[test]
fn r19_reads_work_on_a_read_only_data_dir_and_writes_fail_in_one_line() {
    let env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt"]);
    let all = env.export();
    let id = all[0]["id"].as_str().unwrap().to_string();
    let Some(stats) = run_read_only(&env, "stats --json") else {
        eprintln!("r19: cannot make a read-only data dir here (root without user namespaces)");
        return;
    };
    stats.success();
    assert_eq!(stats.json()["papers"].as_u64(), Some(all.len() as u64));
    let export = run_read_only(&env, "export").unwrap();
    export.success();
    assert_eq!(export.jsonl().len(), all.len());
    for args in [
        "search transformer --format jsonl",
        "top --format jsonl --limit 3",
    ] {
        let out = run_read_only(&env, args).unwrap();
        out.success();
        assert!(!out.jsonl().is_empty(), "{args}");
    }
    let show = run_read_only(&env, &format!("show {id}")).unwrap();
    show.success();
    assert_eq!(show.json()["id"], id.as_str());
    let write = run_read_only(
        &env,
        &format!(
            "ingest {}",
            crate::support::fixture("hf-json/2026-01-19.json").display()
        ),
    )
    .unwrap();
    write.code(1);
    assert_eq!(write.stderr.lines().count(), 1, "{}", write.stderr);
    assert!(write.stderr.contains("lock: "), "{}", write.stderr);
    assert!(!write.stderr.contains("IoError"), "{}", write.stderr);
}

// See: #19
#[test]
fn r19_a_huge_digest_limit_is_not_an_abort() {
    let env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt"]);
    let all = env.export().len();
    let cfg = env.write(
        "big.toml",
        "[digest]\nlimit = 4294967296000\nformat = \"json\"\n",
    );
    let out = env.cmd(["--config"]).arg(&cfg).arg("run").run();
    match out.code {
        // Config maxima may refuse it up front: one clear line naming the key.
        2 => {
            out.stderr_has("digest.limit");
        }
        _ => {
            out.success();
            assert_eq!(out.json()["papers"].as_array().unwrap().len(), all);
        }
    }
}

// See: #19
#[test]
fn r19_a_gzip_bomb_stops_at_the_local_limit_and_says_so() {
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

// See: #19
#[test]
fn r19_a_huge_line_is_refused_at_16_mib() {
    let env = TestEnv::new();
    let mut big = String::from("{\"id\":\"x:1\",\"title\":\"");
    big.push_str(&"a".repeat(20 << 20));
    big.push_str("\"}\n");
    let path = env.write("big.jsonl", big);
    let out = env.cmd(["ingest", "--format", "jsonl"]).arg(&path).run();
    out.code(2)
        .stderr_has("big.jsonl:1: line longer than 16 MiB");
}

// See: #19
#[test]
fn r19_leftover_segment_files_are_removed_at_the_next_writer_open() {
    let env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt"]);
    let index = env.data_dir().join("index");
    // What a commit that died on a full disk leaves: segment files tantivy
    // created (so listed in .managed.json) that no commit refers to.
    let orphan = "0123456789abcdef0123456789abcdef.idx";
    std::fs::write(index.join(orphan), vec![0u8; 4096]).unwrap();
    let managed = index.join(".managed.json");
    let mut list: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(&managed).unwrap()).unwrap();
    list.push(orphan.to_string());
    std::fs::write(&managed, serde_json::to_string(&list).unwrap()).unwrap();
    // An ingest with nothing new commits nothing, yet cleans up.
    env.ingest(&["hf-text/seed.txt"]);
    assert!(
        !index.join(orphan).exists(),
        "the orphan segment file is still there"
    );
    assert_eq!(env.export().len(), {
        let fresh = TestEnv::new();
        fresh.ingest(&["hf-text/seed.txt"]);
        fresh.export().len()
    });
}

// See: #19 (found by the query fuzz target: tantivy's phrase scorer asserts
// when an excluded phrase is sought backwards; a panic in debug builds).
#[test]
fn r19_an_excluded_phrase_is_a_result_not_a_panic() {
    let env = TestEnv::new();
    env.ingest(&[
        "hf-json/2025-11/2025-11-20.json",
        "hf-json/2025-11/2025-11-21.json",
    ]);
    let all = env
        .cmd(["search", "reasoning", "-n", "200", "--json"])
        .run();
    all.success();
    let all = all.json();
    let out = env
        .cmd([
            "search",
            "reasoning -\"reasoning models\"",
            "-n",
            "200",
            "--json",
        ])
        .run();
    out.success();
    let kept = out.json();
    let has_phrase = |p: &serde_json::Value| {
        let text = format!("{} {}", p["title"], p["abstract"]).to_lowercase();
        text.contains("reasoning model")
    };
    let all = all.as_array().unwrap();
    let kept = kept.as_array().unwrap();
    assert!(all.iter().any(has_phrase), "the fixture needs the phrase");
    assert!(!kept.iter().any(has_phrase));
    assert_eq!(kept.len(), all.iter().filter(|p| !has_phrase(p)).count());
    env.cmd(["search", "learning -\"i i\" b"]).run().success();
}

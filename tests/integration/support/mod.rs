//! Test support: run the real binary in an isolated environment.
//!
//! `TestEnv` owns a temp dir that holds HOME, XDG dirs and the data dir, so no
//! test can see the developer's machine. Every run fixes the clock
//! (`PAPERTREND_NOW`) and sets `NO_COLOR=1`.

#![allow(dead_code, unreachable_pub)]

/// The Hugging Face daily-papers API on the `http` server; the January lists.
pub mod hf;
/// Loopback HTTP server for fetch tests.
pub mod http;
/// A scripted plain-text SMTP server for faults the real one cannot play.
pub mod scripted_smtp;
pub mod smtp;
/// Python venvs under `target/` (aiosmtpd, feedparser).
pub mod venv;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The fixed "now" of every test run unless a test sets another.
pub const NOW: &str = "2026-11-27T08:00:00Z";

/// Just after the newest Hugging Face fixture paper.
pub const AFTER_NEWEST: &str = "2026-01-21T00:00:00Z";

/// An isolated home for one test.
pub struct TestEnv {
    dir: tempfile::TempDir,
    now: String,
}

/// The captured result of one run.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Asserts exit 0 and an empty stderr ("quiet on success").
    #[track_caller]
    pub fn success(&self) -> &Self {
        assert_eq!(
            self.code, 0,
            "exit code\n--- stderr\n{}\n--- stdout\n{}",
            self.stderr, self.stdout
        );
        assert_eq!(self.stderr, "", "stderr should be empty on success");
        self
    }

    /// Asserts the exit code (stderr may say something).
    #[track_caller]
    pub fn code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "exit code\n--- stderr\n{}\n--- stdout\n{}",
            self.stderr, self.stdout
        );
        self
    }

    /// Asserts stderr contains `needle`.
    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }

    /// Parses stdout as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// Parses stdout as JSON Lines.
    #[track_caller]
    pub fn jsonl(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line ({e}): {l}")))
            .collect()
    }
}

/// A command being built.
#[must_use]
pub struct Run {
    cmd: Command,
    stdin: Option<Vec<u8>>,
}

impl Run {
    pub fn arg(mut self, a: impl AsRef<std::ffi::OsStr>) -> Self {
        self.cmd.arg(a);
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.cmd.args(args);
        self
    }

    pub fn env(mut self, k: &str, v: impl AsRef<std::ffi::OsStr>) -> Self {
        self.cmd.env(k, v);
        self
    }

    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(bytes.into());
        self
    }

    /// Runs to completion and captures everything.
    pub fn run(mut self) -> Output {
        self.cmd.stdin(if self.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        self.cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = self.cmd.spawn().expect("spawn papertrend");
        if let Some(bytes) = self.stdin.take() {
            let mut stdin = child.stdin.take().expect("stdin");
            std::thread::spawn(move || {
                let _ = stdin.write_all(&bytes);
            });
        }
        let out = child.wait_with_output().expect("wait for papertrend");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Spawns with a piped stdin that stays open until dropped.
    pub fn spawn_piped(mut self) -> std::process::Child {
        self.cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        self.cmd.spawn().expect("spawn papertrend")
    }

    /// Spawns without waiting (for lock and kill tests).
    pub fn spawn(mut self) -> std::process::Child {
        self.cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        self.cmd.spawn().expect("spawn papertrend")
    }
}

impl TestEnv {
    pub fn new() -> Self {
        TestEnv {
            dir: tempfile::tempdir().expect("tempdir"),
            now: NOW.to_string(),
        }
    }

    /// Changes the fixed clock for later runs.
    pub fn set_now(&mut self, now: &str) {
        self.now = now.to_string();
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// A path inside the test's temp dir.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes a file inside the temp dir and returns its path.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, contents).expect("write");
        p
    }

    /// `papertrend --data-dir <tmp>/data ARGS…` with an isolated environment.
    pub fn cmd<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = self.isolated(env!("CARGO_BIN_EXE_papertrend"));
        cmd.arg("--data-dir").arg(self.data_dir()).args(args);
        Run { cmd, stdin: None }
    }

    /// `program` in the test's isolated environment: run from the temp
    /// dir with only PATH, HOME and the XDG dirs inside it, `NO_COLOR=1` and
    /// the fixed clock (for a wrapper such as a pseudo-terminal that runs
    /// papertrend itself; no `--data-dir` is added).
    pub fn isolated(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        let home = self.dir.path().join("home");
        cmd.current_dir(self.dir.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("NO_COLOR", "1")
            .env("PAPERTREND_NOW", &self.now);
        cmd
    }

    /// Runs `ingest` on fixtures and asserts it succeeded quietly.
    pub fn ingest(&self, fixtures: &[&str]) {
        let paths: Vec<PathBuf> = fixtures.iter().map(|f| fixture(f)).collect();
        self.cmd(["ingest"]).args(&paths).run().success();
    }

    /// Runs `ingest` on Hugging Face day files (`…/YYYY-MM-DD.json` under
    /// `fixtures/`), each at 23:00 UTC of its day, as the daily run that
    /// fetched it would have: every paper is news when first seen, whatever
    /// the test's clock (a bulk import of old lists is not news to a
    /// digest). The clock is left as it was.
    pub fn ingest_daily(&self, fixtures: &[&str]) {
        let paths: Vec<PathBuf> = fixtures.iter().map(|f| fixture(f)).collect();
        self.ingest_daily_paths(&paths);
    }

    /// [`TestEnv::ingest_daily`] for any paths.
    pub fn ingest_daily_paths(&self, paths: &[PathBuf]) {
        for p in paths {
            let day = p.file_stem().and_then(|s| s.to_str()).expect("a day file");
            self.cmd(["ingest"])
                .arg(p)
                .env("PAPERTREND_NOW", format!("{day}T23:00:00Z"))
                .run()
                .success();
        }
    }

    /// Writes a ledger of one delivered digest (2026-11-26, printed) that
    /// listed `papers`: what `--unseen` counts as seen besides marks.
    pub fn delivered(&self, papers: &[&str]) {
        let ledger = serde_json::json!({
            "schema_version": 1,
            "digests": [{
                "date": "2026-11-26", "message_id": "<a@b>",
                "sent_at": "2026-11-26T07:00:00Z", "covered_until": "2026-11-26T07:00:00Z",
                "delivery": "print", "papers": papers,
            }],
        });
        self.write(
            "data/state/ledger.json",
            serde_json::to_vec(&ledger).expect("serialise"),
        );
    }

    /// Every record, via `export`.
    pub fn export(&self) -> Vec<serde_json::Value> {
        let out = self.cmd(["export"]).run();
        out.success();
        out.jsonl()
    }
}

/// The absolute path of a file under `fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// Reads a fixture as text.
pub fn fixture_text(rel: &str) -> String {
    std::fs::read_to_string(fixture(rel)).expect("read fixture")
}

/// Runs papertrend in `env` on a pseudo-terminal (Python's `pty`, as the
/// SMTP tests already need Python 3) and returns what the terminal showed:
/// stdout and stderr together. No `--data-dir` is added.
pub fn on_terminal(env: &TestEnv, args: &[&str]) -> (i32, String) {
    let out = env
        .isolated("python3")
        .arg("-c")
        .arg("import os, pty, sys; st = pty.spawn(sys.argv[1:]); sys.exit(os.waitstatus_to_exitcode(st))")
        .arg(env!("CARGO_BIN_EXE_papertrend"))
        .args(args)
        .env("TERM", "dumb")
        .output()
        .expect("run python3 pty");
    let text = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
    (out.status.code().unwrap_or(-1), text)
}

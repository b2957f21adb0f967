//! Python venvs under `target/` for the real third-party servers and
//! parsers the tests talk to (aiosmtpd, feedparser): created on first use
//! with `python3 -m venv` and one pinned `pip install`, shared by every test
//! (a file lock keeps parallel tests from racing), so `cargo test` on a
//! fresh clone needs nothing by hand beyond Python 3.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The python of the venv `target/<name>` holding `requirement` (e.g.
/// `feedparser==6.0.12`), creating it once if needed.
pub fn python(name: &str, requirement: &str) -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target dir")
        .to_path_buf();
    let venv = target.join(name);
    let py = venv.join("bin/python");
    let ready = venv.join(".ready");
    if ready.exists() {
        return py;
    }
    let lock = std::fs::File::create(target.join(format!("{name}.lock"))).expect("venv lock file");
    lock.lock().expect("venv lock");
    if !ready.exists() {
        let ok = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .expect("python3 -m venv (needs Python 3)");
        assert!(ok.success(), "python3 -m venv failed");
        let ok = Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--no-cache-dir", requirement])
            .status()
            .unwrap_or_else(|e| panic!("pip install {requirement}: {e}"));
        assert!(ok.success(), "pip install {requirement} failed");
        std::fs::write(&ready, "").expect("mark venv ready");
    }
    py
}

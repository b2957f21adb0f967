//! Everything from outside the process is bounded in time and size: a
//! `password_command` that never ends or prints without end, a custom
//! template linked to `/dev/zero`, loops nested without end.

use std::time::{Duration, Instant};

use crate::support::{TestEnv, fixture};

fn mail_config(env: &TestEnv, command: &str) -> std::path::PathBuf {
    env.write(
        "config.toml",
        format!(
            "[mail]\nenabled = true\nfrom = \"a@example.org\"\nto = [\"b@example.org\"]\n\
             host = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"\nusername = \"u\"\n\
             password_command = {command:?}\npassword_command_timeout = \"1s\"\n",
            crate::support::http::closed_port()
        ),
    )
}

/// Whether a process whose command line contains `marker` is running.
fn running(marker: &str) -> bool {
    std::fs::read_dir("/proc").unwrap().any(|e| {
        let path = e.unwrap().path().join("cmdline");
        std::fs::read(path).is_ok_and(|c| String::from_utf8_lossy(&c).contains(marker))
    })
}

fn wait_gone(marker: &str) -> bool {
    let start = Instant::now();
    while running(marker) {
        if start.elapsed() > Duration::from_secs(5) {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    true
}

#[test]
fn a_password_command_that_never_exits_is_stopped_with_its_children() {
    let env = TestEnv::new();
    let cfg = mail_config(&env, "sleep 987654");
    let started = Instant::now();
    let out = env.cmd(["--config"]).arg(&cfg).args(["mail", "test"]).run();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    out.code(1)
        .stderr_has("`sleep 987654` (mail.password_command) did not finish within 1 s");
    assert!(wait_gone("987654"), "the command was left running");

    // A helper that prints the password but leaves a child holding stdout.
    let cfg = mail_config(&env, "(sleep 876543 &); echo pw");
    let out = env.cmd(["--config"]).arg(&cfg).args(["mail", "test"]).run();
    assert_ne!(out.code, 0);
    assert!(!out.stderr.contains("pw\n"), "{}", out.stderr);
    assert!(wait_gone("876543"), "its child was left running");
}

#[test]
fn a_password_command_printing_without_end_is_capped() {
    let env = TestEnv::new();
    // Prints "secretline" without end (the command text itself is shown in
    // errors, so the secret is not written into it).
    let cfg = mail_config(&env, "yes $(echo c2VjcmV0bGluZQ== | base64 -d)");
    let started = Instant::now();
    let out = env.cmd(["--config"]).arg(&cfg).args(["mail", "test"]).run();
    assert!(started.elapsed() < Duration::from_secs(10));
    out.code(1)
        .stderr_has("printed more than 64 KiB; it was stopped");
    assert!(!out.stderr.contains("secretline"), "{}", out.stderr);
    assert!(wait_gone("secretline"));
}

fn template_config(env: &TestEnv) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = env.path("templates");
    std::fs::create_dir_all(&dir).unwrap();
    let cfg = env.write(
        "config.toml",
        format!("[digest]\ntemplates_dir = {dir:?}\n"),
    );
    env.cmd(["ingest"])
        .arg(fixture("hf-text/seed.txt"))
        .run()
        .success();
    (cfg, dir)
}

#[test]
fn a_template_linked_to_dev_zero_is_refused_at_1_mib() {
    let env = TestEnv::new();
    let (cfg, dir) = template_config(&env);
    std::os::unix::fs::symlink("/dev/zero", dir.join("digest.md.j2")).unwrap();
    let started = Instant::now();
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["digest", "--format", "md"])
        .run();
    assert!(started.elapsed() < Duration::from_secs(10));
    out.code(2)
        .stderr_has("digest.md.j2: template larger than 1 MiB");
}

#[test]
fn nested_template_loops_run_out_of_fuel() {
    let env = TestEnv::new();
    let (cfg, dir) = template_config(&env);
    std::fs::write(
        dir.join("digest.md.j2"),
        "{% for a in range(100000) %}{% for b in range(100000) %}{{ a }}{% endfor %}{% endfor %}",
    )
    .unwrap();
    let started = Instant::now();
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["digest", "--format", "md"])
        .run();
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    out.code(2).stderr_has("fuel");
    assert_eq!(out.stdout, "");
}

#[test]
fn an_smtp_reply_line_without_end_is_cut_at_1_mib_not_buffered_until_the_timeout() {
    use std::io::Write;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        if let Ok((mut conn, _)) = listener.accept() {
            let chunk = vec![b'a'; 64 * 1024];
            let _ = conn.write_all(b"220 ");
            while conn.write_all(&chunk).is_ok() {}
        }
    });
    let env = TestEnv::new();
    let cfg = env.write(
        "config.toml",
        format!(
            "[mail]\nenabled = true\nfrom = \"a@example.org\"\nto = [\"b@example.org\"]\n\
             host = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\ntimeout = \"30s\"\n"
        ),
    );
    let started = Instant::now();
    let out = env.cmd(["--config"]).arg(&cfg).args(["mail", "test"]).run();
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    assert_ne!(out.code, 0);
    out.stderr_has("the server sent more than 1024 KiB");
}

#[test]
fn a_template_cannot_make_gigabytes_of_text() {
    // Under a 1.5 GB address space an attempt to make gigabytes shows as an
    // abort; the fuel must stop each of these first: a wrap whose indent
    // repeats on a million lines (100 GB), and 100 MB joined twenty times.
    let env = TestEnv::new();
    let (cfg, dir) = template_config(&env);
    for template in [
        r#"{{ ("a " * 1000000) | wrap(1, "b" * 100000) }}"#,
        r#"{% set a = "x" * 100000000 %}{{ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a }}"#,
    ] {
        std::fs::write(dir.join("digest.md.j2"), template).unwrap();
        let started = Instant::now();
        let out = env
            .isolated("sh")
            .arg("-c")
            .arg("ulimit -v 1500000 && exec \"$0\" \"$@\"")
            .arg(env!("CARGO_BIN_EXE_papertrend"))
            .arg("--data-dir")
            .arg(env.data_dir())
            .arg("--config")
            .arg(&cfg)
            .args(["digest", "--format", "md"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(started.elapsed() < Duration::from_secs(60));
        assert_eq!(out.status.code(), Some(2), "{template}: {stderr}");
        assert!(stderr.contains("fuel"), "{template}: {stderr}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn a_huge_line_is_refused_at_16_mib() {
    // See: #19
    let env = TestEnv::new();
    let mut big = String::from("{\"id\":\"x:1\",\"title\":\"");
    big.push_str(&"a".repeat(20 << 20));
    big.push_str("\"}\n");
    let path = env.write("big.jsonl", big);
    let out = env.cmd(["ingest", "--format", "jsonl"]).arg(&path).run();
    out.code(2)
        .stderr_has("big.jsonl:1: line longer than 16 MiB");
}

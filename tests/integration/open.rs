//! `open ID [--pdf|--code]` (#26): the browser on a terminal, the URL to a
//! pipe or where there is no browser.

use crate::support::TestEnv;

fn env() -> TestEnv {
    let env = TestEnv::new();
    env.ingest(&["hf-json/2026-01-20.json"]);
    env
}

#[test]
fn piped_open_prints_the_url_of_the_page_pdf_or_code() {
    let env = env();
    for (args, url) in [
        (
            vec!["open", "2601.08808"],
            "https://huggingface.co/papers/2601.08808",
        ),
        (
            vec!["open", "arxiv:2601.08808", "--pdf"],
            "https://arxiv.org/pdf/2601.08808",
        ),
        (
            vec!["open", "2601.08808", "--code"],
            "https://github.com/GMLR-Penn/Multiplex-Thinking",
        ),
    ] {
        let out = env.cmd(&args).run();
        out.success();
        assert_eq!(out.stdout, format!("{url}\n"), "{args:?}");
    }
}

#[test]
fn a_missing_link_or_paper_is_an_error() {
    let env = env();
    let out = env.cmd(["open", "2601.11096", "--code"]).run();
    out.code(1)
        .stderr_has("arxiv:2601.11096: no code link is known for this paper");
    assert_eq!(out.stdout, "");
    env.cmd(["open", "9999.99999"])
        .run()
        .code(2)
        .stderr_has("no paper with id \"9999.99999\"");
    env.cmd(["open", "2601.08808", "--pdf", "--code"])
        .run()
        .code(2);
}

#[test]
fn on_a_terminal_the_browser_gets_the_url_and_nothing_is_printed() {
    let env = env();
    let got = env.path("opened.txt");
    let browser = env.write(
        "browser.sh",
        format!("#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\n", got.display()),
    );
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    let bin = env!("CARGO_BIN_EXE_papertrend");
    let data = env.data_dir();
    let out = env
        .isolated("script")
        .args([
            "-qec",
            &format!("{bin} --data-dir {} open 2601.08808 --pdf", data.display()),
            "/dev/null",
        ])
        .env("BROWSER", &browser)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        std::fs::read_to_string(&got).unwrap(),
        "https://arxiv.org/pdf/2601.08808\n",
        "the browser got the URL as its one argument"
    );
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(!shown.contains("https://"), "printed: {shown}");
}

#[test]
fn on_a_terminal_without_a_browser_it_prints_the_url() {
    let env = env();
    let bin = env!("CARGO_BIN_EXE_papertrend");
    let data = env.data_dir();
    // The isolated environment has no DISPLAY, WAYLAND_DISPLAY or BROWSER.
    let out = env
        .isolated("script")
        .args([
            "-qec",
            &format!("{bin} --data-dir {} open 2601.08808", data.display()),
            "/dev/null",
        ])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let shown = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
    assert_eq!(shown, "https://huggingface.co/papers/2601.08808\n");
}

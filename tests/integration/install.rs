//! Installing papertrend like any Rust CLI: the man page generated from the
//! clap definitions, and shell completions.

use crate::support::TestEnv;

/// The subcommands `papertrend --help` lists (its "Commands:" block),
/// without clap's own `help`.
fn subcommands(env: &TestEnv) -> Vec<String> {
    let help = env.cmd(["--help"]).run();
    help.success();
    let names: Vec<String> = help
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|n| n != "help")
        .collect();
    assert!(names.len() > 15, "too few subcommands in --help: {names:?}");
    names
}

#[test]
fn man_page_is_roff_and_names_every_subcommand() {
    let env = TestEnv::new();
    let out = env.cmd(["man"]).run();
    out.success();
    let page = &out.stdout;
    assert!(
        page.lines().any(|l| l.starts_with(".TH papertrend 1")),
        "no .TH header:\n{page}"
    );
    assert!(page.contains(".SH NAME"), "{page}");
    assert!(page.contains(".SH SYNOPSIS"), "{page}");
    // The exit-code table of `--help` is in the page too.
    assert!(
        page.contains("another papertrend process holds the lock"),
        "{page}"
    );
    for name in subcommands(&env) {
        let entry = format!("papertrend\\-{}(1)", name.replace('-', "\\-"));
        assert!(page.contains(&entry), "man page lacks {entry}:\n{page}");
    }
}

#[test]
fn man_page_renders_with_man() {
    let env = TestEnv::new();
    let out = env.cmd(["man"]).run();
    out.success();
    let file = env.write("papertrend.1", &out.stdout);
    let Ok(rendered) = env
        .isolated("man")
        .arg("-l")
        .arg(&file)
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "80")
        .env("LANG", "C.UTF-8")
        .output()
    else {
        // No man(1) on this machine: the roff structure is checked above.
        return;
    };
    // man justifies lines: compare with runs of spaces collapsed.
    let text = String::from_utf8_lossy(&rendered.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        rendered.status.success(),
        "man -l failed: {}",
        String::from_utf8_lossy(&rendered.stderr)
    );
    assert!(text.contains("NAME"), "{text}");
    assert!(
        text.contains("papertrend - Keep up with new research papers"),
        "{text}"
    );
    for name in subcommands(&env) {
        assert!(
            text.contains(&format!("papertrend-{name}(1)")),
            "rendered page lacks {name}:\n{text}"
        );
    }
}

#[test]
fn man_dir_writes_one_page_per_subcommand() {
    let env = TestEnv::new();
    let dir = env.path("man1");
    env.cmd(["man", "--dir"]).arg(&dir).run().success();
    let main = std::fs::read_to_string(dir.join("papertrend.1")).unwrap();
    assert!(main.contains(".TH papertrend 1"), "{main}");
    for name in subcommands(&env) {
        let page = dir.join(format!("papertrend-{name}.1"));
        let text =
            std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        assert!(text.contains(&format!(".TH papertrend-{name} 1")), "{text}");
    }
}

#[test]
fn completions_name_the_subcommands() {
    let env = TestEnv::new();
    let out = env.cmd(["completions", "bash"]).run();
    out.success();
    for name in subcommands(&env) {
        assert!(out.stdout.contains(&name), "bash completions lack {name}");
    }
}

#[test]
fn readme_is_short_starts_with_the_two_commands_and_links_every_doc() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(
        readme.len() <= 15 * 1024,
        "README is {} bytes",
        readme.len()
    );
    let top: Vec<&str> = readme.lines().take(6).collect();
    assert!(
        top[3].starts_with("cargo run -- run --config config.example.toml --force"),
        "{top:?}"
    );
    assert!(top[4].starts_with("cargo test "), "{top:?}");
    assert!(readme.contains("cargo install --path . --locked"));
    let rust = std::fs::read_to_string(root.join("Cargo.toml"))
        .unwrap()
        .lines()
        .find_map(|l| {
            l.strip_prefix("rust-version = ")
                .map(|v| v.trim_matches('"').to_string())
        })
        .unwrap();
    assert!(
        readme.contains(&format!("Rust {rust} or newer")),
        "rust-version {rust}"
    );
    for entry in std::fs::read_dir(root.join("docs")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") {
            assert!(
                readme.contains(&format!("(docs/{name}")),
                "README lacks docs/{name}"
            );
        }
    }
}

//! Outbox integrity: a message damaged in the outbox (a truncated `.eml`)
//! is never sent as it is, nor recorded as sent; it is built again from the
//! digest kept beside it, with the same Message-ID.

use mail_parser::MessageParser;

use crate::support::smtp::{self, Options, Security, SmtpServer};
use crate::support::{TestEnv, fixture};

fn config(env: &TestEnv, port: u16) -> std::path::PathBuf {
    env.write(
        "config.toml",
        format!(
            "[digest]\nlimit = 3\n\n[[sources]]\nname = \"seed\"\nkind = \"file\"\npath = {:?}\n\n\
             [mail]\nenabled = true\nfrom = \"papertrend <digest@example.org>\"\n\
             to = [\"alice@example.org\"]\nhost = \"127.0.0.1\"\nport = {port}\n\
             security = \"none\"\ntimeout = \"10s\"\n",
            fixture("hf-text/seed.txt")
        ),
    )
}

fn plain() -> Options {
    Options {
        security: Security::Plain,
        user: None,
        ..Options::default()
    }
}

#[test]
fn a_truncated_outbox_message_is_built_again_not_sent_as_is() {
    let env = TestEnv::new();
    let port = smtp::free_port();
    let cfg = config(&env, port);
    let run = || env.cmd(["--config"]).arg(&cfg).arg("run").run();
    run().code(1).stderr_has("connection refused");
    let eml_path = env.data_dir().join("state/outbox/2026-11-27.eml");
    let whole = std::fs::read(&eml_path).unwrap();
    assert!(whole.len() > 600);
    std::fs::write(&eml_path, &whole[..300]).unwrap();

    let server = SmtpServer::start(&env.path("smtp"), port, None, &plain());
    let out = run();
    out.code(0)
        .stderr_has("the outbox message for 2026-11-27 was damaged (300 bytes where");
    let msgs = server.messages();
    assert_eq!(msgs.len(), 1);
    let sent = MessageParser::default().parse(&msgs[0]).unwrap();
    let kept = MessageParser::default().parse(&whole).unwrap();
    assert_eq!(sent.message_id(), kept.message_id());
    // The server saves lines with \n; the outbox keeps \r\n.
    let text = |m: &mail_parser::Message<'_>, html: bool| {
        let part = if html { m.body_html(0) } else { m.body_text(0) };
        part.unwrap().replace("\r\n", "\n")
    };
    assert_eq!(
        text(&sent, false),
        text(&kept, false),
        "the whole text part"
    );
    assert_eq!(text(&sent, true), text(&kept, true), "the whole HTML part");
    assert!(sent.body_text(0).unwrap().contains("1. "));
    // Recorded once; the next run sends nothing more.
    run().code(0);
    assert_eq!(server.messages().len(), 1);
    assert!(!eml_path.exists());
}

#[test]
fn an_outbox_message_without_its_end_is_not_sent_when_it_cannot_be_rebuilt() {
    let env = TestEnv::new();
    let port = smtp::free_port();
    let cfg = config(&env, port);
    let run = || env.cmd(["--config"]).arg(&cfg).arg("run").run();
    run().code(1);
    let outbox = env.data_dir().join("state/outbox");
    let eml_path = outbox.join("2026-11-27.eml");
    let whole = std::fs::read(&eml_path).unwrap();
    std::fs::write(&eml_path, &whole[..whole.len() / 2]).unwrap();
    // A template the renderer refuses: the message cannot be built again.
    let templates = env.path("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(templates.join("digest.txt.j2"), "{% for %}").unwrap();
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(
        &cfg,
        text.replace(
            "[digest]\n",
            &format!("[digest]\ntemplates_dir = {templates:?}\n"),
        ),
    )
    .unwrap();
    let server = SmtpServer::start(&env.path("smtp"), port, None, &plain());
    let out = run();
    assert_ne!(out.code, 0, "{out:?}");
    out.stderr_has("is damaged").stderr_has("it was not sent");
    assert!(server.messages().is_empty(), "nothing was sent");
    assert!(eml_path.exists(), "the entry stays in the outbox");
    let ledger =
        std::fs::read_to_string(env.data_dir().join("state/ledger.json")).unwrap_or_default();
    assert!(
        !ledger.contains("2026-11-27"),
        "not recorded as sent:\n{ledger}"
    );
}

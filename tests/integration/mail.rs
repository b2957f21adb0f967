//! Mail against a real SMTP server (aiosmtpd on loopback): STARTTLS with a
//! test CA, implicit TLS, AUTH, wrong password, 550 and 451, server down then
//! up, one mail per day, header injection, and no password in any output.

use std::path::{Path, PathBuf};

use mail_parser::{MessageParser, MimeHeaders};

use crate::support::smtp::{self, Certs, Options, Security, SmtpServer};
use crate::support::{TestEnv, fixture};

const PASSWORD: &str = "s3cret-pw";

/// A config mailing the digest of `source` to two recipients.
fn config(
    env: &TestEnv,
    port: u16,
    security: &str,
    certs: Option<&Certs>,
    source: &Path,
) -> PathBuf {
    let ca = certs.map_or(String::new(), |c| format!("ca_file = {:?}\n", c.ca));
    env.write(
        "config.toml",
        format!(
            r#"
[digest]
limit = 3

[[sources]]
name = "seed"
kind = "file"
path = {source:?}

[mail]
enabled = true
from = "papertrend <digest@example.org>"
to = ["alice@example.org", "Bob <bob@example.org>"]
host = "localhost"
port = {port}
security = "{security}"
username = "alice"
password_env = "PT_SMTP_PASSWORD"
timeout = "10s"
{ca}"#
        ),
    )
}

fn seed() -> PathBuf {
    fixture("hf-text/seed.txt")
}

struct Setup {
    env: TestEnv,
    certs: Certs,
    port: u16,
    cfg: PathBuf,
}

fn setup(security: &str) -> Setup {
    let env = TestEnv::new();
    let certs = smtp::make_certs(&env.path("certs"));
    let port = smtp::free_port();
    let cfg = config(&env, port, security, Some(&certs), &seed());
    Setup {
        env,
        certs,
        port,
        cfg,
    }
}

impl Setup {
    fn run(&self, args: &[&str]) -> crate::support::Output {
        self.env
            .cmd(["--config"])
            .arg(&self.cfg)
            .args(args)
            .env("PT_SMTP_PASSWORD", PASSWORD)
            .run()
    }

    fn server(&self, opts: &Options) -> SmtpServer {
        SmtpServer::start(&self.env.path("smtp"), self.port, Some(&self.certs), opts)
    }

    fn outbox(&self) -> Vec<PathBuf> {
        std::fs::read_dir(self.env.data_dir().join("state/outbox"))
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default()
    }
}

fn header<'a>(msg: &'a mail_parser::Message<'a>, name: &str) -> Option<String> {
    msg.header_raw(name).map(|v| v.trim().to_string())
}

#[test]
fn starttls_with_auth_delivers_one_multipart_message() {
    let s = setup("starttls");
    let server = s.server(&Options::default());
    s.run(&["run"]).success();
    assert_eq!(
        s.outbox(),
        Vec::<PathBuf>::new(),
        "outbox emptied after the 250"
    );
    let msgs = server.messages();
    assert_eq!(msgs.len(), 1);
    let msg = MessageParser::default().parse(&msgs[0]).expect("MIME");
    assert_eq!(
        msg.content_type().map(|c| c.subtype()),
        Some(Some("alternative"))
    );
    assert_eq!(msg.text_body_count(), 1, "one text/plain part");
    assert_eq!(msg.html_body_count(), 1, "one text/html part");
    assert!(msg.body_text(0).unwrap().contains("Trending papers"));
    assert!(msg.body_html(0).unwrap().contains("<table"));
    assert_eq!(
        msg.from().unwrap().first().unwrap().address(),
        Some("digest@example.org")
    );
    let to: Vec<_> = msg
        .to()
        .unwrap()
        .iter()
        .filter_map(|a| a.address())
        .collect();
    assert_eq!(to, ["alice@example.org", "bob@example.org"]);
    assert_eq!(
        msg.subject(),
        Some("Trending papers for 2026-11-27: 3 papers")
    );
    assert_eq!(
        header(&msg, "Date").as_deref(),
        Some("Fri, 27 Nov 2026 08:00:00 +0000")
    );
    let id = msg.message_id().unwrap();
    assert!(
        id.starts_with("digest.2026-11-27.") && id.ends_with("@example.org"),
        "{id}"
    );
    assert_eq!(
        header(&msg, "List-Id").as_deref(),
        Some("papertrend digest <digest.papertrend.localhost>")
    );
    assert_eq!(header(&msg, "X-Auth-User").as_deref(), Some("alice"));
    assert_eq!(
        header(&msg, "X-Envelope-To").as_deref(),
        Some("alice@example.org, bob@example.org")
    );
    // The ledger records the Message-ID that went out.
    let ledger = std::fs::read_to_string(s.env.data_dir().join("state/ledger.json")).unwrap();
    assert!(ledger.contains(&format!("<{id}>")), "{ledger}");
}

#[test]
fn implicit_tls_delivers() {
    let s = setup("tls");
    let server = s.server(&Options {
        security: Security::Smtps,
        ..Options::default()
    });
    s.run(&["run"]).success();
    assert_eq!(server.messages().len(), 1);
}

#[test]
fn an_untrusted_certificate_is_a_tls_error_not_a_downgrade() {
    let s = setup("starttls");
    let cfg = config(&s.env, s.port, "starttls", None, &seed());
    let server = s.server(&Options::default());
    let out = s
        .env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["run"])
        .env("PT_SMTP_PASSWORD", PASSWORD)
        .run();
    out.code(1).stderr_has("TLS failed");
    assert!(server.messages().is_empty());
}

#[test]
fn wrong_password_is_explained_and_the_digest_waits_in_the_outbox() {
    let s = setup("starttls");
    let server = s.server(&Options {
        user: Some(("alice".into(), "another-password".into())),
        ..Options::default()
    });
    let out = s.run(&["run"]);
    out.code(1)
        .stderr_has("digest for 2026-11-27 not sent")
        .stderr_has("login refused (535")
        .stderr_has("kept in the outbox");
    assert!(server.messages().is_empty());
    let outbox = s.outbox();
    assert_eq!(outbox.len(), 2, "{outbox:?}");
    // The password appears nowhere: not in output, not in the stored message.
    let mut everything = out.stdout + &out.stderr;
    for p in outbox {
        everything.push_str(&String::from_utf8_lossy(&std::fs::read(p).unwrap()));
    }
    let check = s.run(&["config", "check"]);
    everything.push_str(&check.stdout);
    everything.push_str(&check.stderr);
    assert!(
        check
            .stdout
            .contains("environment variable PT_SMTP_PASSWORD"),
        "{}",
        check.stdout
    );
    let test = s.run(&["mail", "test"]);
    test.code(1).stderr_has("login refused");
    everything.push_str(&test.stderr);
    assert!(
        !everything.contains(PASSWORD),
        "password leaked:\n{everything}"
    );
}

#[test]
fn mail_test_says_ok_or_what_failed() {
    let s = setup("starttls");
    let refused = s.run(&["mail", "test"]);
    refused.code(1).stderr_has("connection refused");
    let server = s.server(&Options::default());
    let ok = s.run(&["mail", "test", "--send"]);
    ok.success();
    assert!(
        ok.stdout.contains("connected, logged in as alice"),
        "{}",
        ok.stdout
    );
    assert_eq!(server.messages().len(), 1);
}

#[test]
fn password_command_supplies_the_password() {
    let s = setup("starttls");
    let text = std::fs::read_to_string(&s.cfg).unwrap().replace(
        "password_env = \"PT_SMTP_PASSWORD\"",
        &format!("password_command = \"echo {PASSWORD}\""),
    );
    std::fs::write(&s.cfg, text).unwrap();
    let server = s.server(&Options::default());
    let out = s.env.cmd(["--config"]).arg(&s.cfg).args(["run"]).run();
    out.success();
    assert_eq!(server.messages().len(), 1);
    let check = s
        .env
        .cmd(["--config"])
        .arg(&s.cfg)
        .args(["config", "check"])
        .run();
    assert!(
        check.stdout.contains("# mail password: command `echo"),
        "{}",
        check.stdout
    );
}

#[test]
fn a_rejected_recipient_550_is_explained() {
    let s = setup("starttls");
    let _server = s.server(&Options {
        reject_rcpt: Some("bob@".into()),
        ..Options::default()
    });
    s.run(&["run"])
        .code(1)
        .stderr_has("rejected (550 5.1.1 <bob@example.org>: no such user)");
    assert_eq!(s.outbox().len(), 2);
}

#[test]
fn a_451_means_try_later_and_the_next_run_sends_once() {
    let s = setup("starttls");
    {
        let _server = s.server(&Options {
            tempfail_rcpt: Some("bob@".into()),
            ..Options::default()
        });
        s.run(&["run"])
            .code(1)
            .stderr_has("temporary failure (451 4.3.0 try again later)");
    }
    let server = s.server(&Options::default());
    s.run(&["run"]).success();
    s.run(&["run"]).success();
    assert_eq!(server.messages().len(), 1);
    assert!(s.outbox().is_empty());
}

#[test]
fn server_down_then_up_sends_the_kept_digest_exactly_once() {
    let mut s = setup("starttls");
    s.run(&["run"]).code(1).stderr_has("connection refused");
    assert_eq!(s.outbox().len(), 2);
    let eml = std::fs::read(s.env.data_dir().join("state/outbox/2026-11-27.eml")).unwrap();
    let server = s.server(&Options::default());
    // The next day: yesterday's digest goes out first (unchanged), then today's.
    s.env.set_now("2026-11-28T08:00:00Z");
    s.run(&["run"]).success();
    s.run(&["run"]).success();
    let msgs = server.messages();
    assert_eq!(msgs.len(), 2);
    let first = MessageParser::default().parse(&msgs[0]).unwrap();
    let kept = MessageParser::default().parse(&eml).unwrap();
    assert_eq!(first.message_id(), kept.message_id());
    let second = MessageParser::default().parse(&msgs[1]).unwrap();
    assert!(second.subject().unwrap().contains("2026-11-28"));
    // Nothing repeats: the second digest lists none of the first's papers.
    for p in first
        .body_text(0)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("1. "))
    {
        assert!(!second.body_text(0).unwrap().contains(p), "{p} repeated");
    }
}

#[test]
fn two_runs_on_one_day_send_one_mail_and_force_sends_again() {
    let s = setup("starttls");
    let server = s.server(&Options::default());
    s.run(&["run"]).success();
    s.run(&["run"]).success();
    assert_eq!(server.messages().len(), 1);
    s.run(&["run", "--force"]).success();
    assert_eq!(server.messages().len(), 2);
}

#[test]
fn a_hostile_title_is_escaped_and_cannot_add_a_header() {
    let env = TestEnv::new();
    let certs = smtp::make_certs(&env.path("certs"));
    let port = smtp::free_port();
    let record = serde_json::json!({
        "id": "test:1",
        "title": "<script>alert(1)</script>\r\nBcc: evil@example.com\r\n\r\nbody",
        "abstract": "An abstract with <b>markup</b> and\r\nSubject: injected",
        "url": "javascript:alert(1)",
    });
    let src = env.write("hostile.jsonl", format!("{record}\n"));
    let cfg = config(&env, port, "starttls", Some(&certs), &src);
    let server = SmtpServer::start(&env.path("smtp"), port, Some(&certs), &Options::default());
    env.cmd(["--config"])
        .arg(&cfg)
        .args(["run"])
        .env("PT_SMTP_PASSWORD", PASSWORD)
        .run()
        .success();
    let msgs = server.messages();
    assert_eq!(msgs.len(), 1);
    let raw = String::from_utf8_lossy(&msgs[0]);
    let msg = MessageParser::default().parse(&msgs[0]).unwrap();
    assert!(msg.header_raw("Bcc").is_none(), "{raw}");
    assert_eq!(
        header(&msg, "X-Envelope-To").as_deref(),
        Some("alice@example.org, bob@example.org")
    );
    assert!(
        !raw.lines()
            .any(|l| l.starts_with("Bcc:") || l.starts_with("Subject: injected"))
    );
    let html = msg.body_html(0).unwrap();
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;script&gt;"), "{html}");
    assert!(!html.contains("javascript:"), "{html}");
    assert!(html.contains("&lt;b&gt;markup&lt;&#x2f;b&gt;"), "{html}");
}

//! `papertrend mail test [--send]`

use std::io::Write;

use crate::Outcome;
use crate::app::App;
use crate::cli::{MailAction, MailArgs};
use crate::error::{Error, Result};
use crate::exit;
use crate::mail;

/// Checks the mail settings: connection, TLS and login; with `--send`, a
/// short message to the recipients too. One line on stdout on success.
///
/// # Errors
/// [`Error::Mail`] saying which step failed.
pub fn run(app: &App, args: &MailArgs) -> Result<Outcome> {
    let cfg = &app.config.mail;
    let MailAction::Test { send } = args.action;
    mail::test_connection(cfg)?;
    let login = cfg
        .username
        .as_deref()
        .map_or_else(|| "no login".to_string(), |u| format!("logged in as {u}"));
    let mut line = format!(
        "{}:{} ({:?}): connected, {login}",
        cfg.host,
        cfg.port(),
        cfg.security
    )
    .to_lowercase();
    if send {
        if cfg.from.trim().is_empty() || cfg.to.is_empty() {
            return Err(Error::Usage(
                "set `mail.from` and `mail.to` to send a test message".into(),
            ));
        }
        let now = app.clock.now();
        let text = format!("This is a test message from papertrend, sent {now}.\n");
        let html = format!("<p>This is a test message from papertrend, sent {now}.</p>\n");
        let parts = mail::Parts {
            subject: "papertrend test message",
            text: &text,
            html: &html,
        };
        let id = mail::message_id("test", now, &[], &cfg.from);
        let built = mail::build_message(cfg, &parts, now, &id)?;
        mail::send(cfg, &built.mail_from, &built.rcpt_to, &built.bytes, || {
            Ok::<(), Error>(())
        })??;
        line.push_str(&format!(
            ", test message sent to {}",
            built.rcpt_to.join(", ")
        ));
    }
    writeln!(crate::sanitize::stdout(), "{line}").map_err(|e| Error::io("stdout", e))?;
    Ok(Outcome::new(exit::OK))
}

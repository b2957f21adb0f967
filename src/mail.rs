//! E-mail: building the digest's MIME message and sending it over SMTP.
//! The only module that imports lettre.
//!
//! The message is multipart/alternative (text/plain first, then text/html)
//! with `From`, `To` (every recipient), `Subject` (RFC 2047-encoded by
//! lettre when not plain ASCII), `Date` from the app's clock, a
//! `Message-ID` derived from the digest (so a retry of the same digest
//! carries the same id), `List-Id` (RFC 2919) and `Auto-Submitted:
//! auto-generated` (RFC 3834, so auto-responders stay quiet). The MIME
//! boundary is derived from the Message-ID, which makes the bytes
//! reproducible under a fixed clock. Every header value goes through
//! lettre's encoder, and the subject is reduced to one line first, so no
//! feed text can add or break a header.
//!
//! Transport: lettre's sync `SmtpTransport` with rustls. `starttls` requires
//! STARTTLS (no silent downgrade), `tls` is implicit TLS, `none` is refused
//! by config validation unless the host is loopback. Certificates are always
//! verified (system roots plus the optional `ca_file`). One timeout bounds
//! the connect and every read and write. Passwords come from an environment
//! variable or a command and live in a [`Secret`], which never prints.

use std::fmt;
use std::time::Duration;

use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{Address, Message, SmtpTransport, Transport};

use crate::config::{MailConfig, Security};
use crate::digest::render::Rendered;

/// A password or token: `Debug` and `Display` print `***`.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: String) -> Self {
        Secret(value)
    }

    /// The value, for the one place that needs it (the SMTP login).
    fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// A mail problem, worded for the user. None of them holds a password.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// A `[mail]` setting is unusable (bad address, unreadable CA file).
    #[error("mail config: {0}")]
    Config(String),
    /// The password could not be obtained.
    #[error("mail password: {0}")]
    Password(String),
    /// Nothing listens on the server's port.
    #[error("{server}: connection refused (is the SMTP server running, and is the port right?)")]
    Refused {
        /// `host:port`.
        server: String,
    },
    /// TLS failed: certificate not trusted, wrong name, no STARTTLS offered,
    /// or TLS spoken to a plain port (or the reverse).
    #[error("{server}: TLS failed: {reason}")]
    Tls {
        /// `host:port`.
        server: String,
        /// lettre's reason.
        reason: String,
    },
    /// The server refused the login (535 and friends).
    #[error("{server}: login refused ({reason}); check `mail.username` and the password")]
    Auth {
        /// `host:port`.
        server: String,
        /// The server's answer.
        reason: String,
    },
    /// The server permanently refused the sender, a recipient or the message
    /// (5xx, e.g. 550 no such user).
    #[error("{server}: rejected ({reason})")]
    Rejected {
        /// `host:port`.
        server: String,
        /// The server's answer.
        reason: String,
    },
    /// The server asked to try again later (4xx, e.g. 451).
    #[error("{server}: temporary failure ({reason}); try again later")]
    TryLater {
        /// `host:port`.
        server: String,
        /// The server's answer.
        reason: String,
    },
    /// A step took longer than `mail.timeout` (lettre's sync transport
    /// reports a read timeout as io `WouldBlock`, not as `is_timeout()`).
    #[error("{server}: timed out (no answer within {timeout})")]
    Timeout {
        /// `host:port`.
        server: String,
        /// The configured timeout.
        timeout: String,
    },
    /// The server closed the connection instead of answering (for a
    /// message: it may have kept it, but never confirmed it with a 250).
    #[error("{server}: the server closed the connection without answering ({reason})")]
    Closed {
        /// `host:port`.
        server: String,
        /// lettre's reason.
        reason: String,
    },
    /// Any other SMTP failure.
    #[error("{server}: {reason}")]
    Other {
        /// `host:port`.
        server: String,
        /// What failed.
        reason: String,
    },
}

/// `List-Id` (RFC 2919).
#[derive(Clone)]
struct ListId(String);

impl Header for ListId {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Id")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListId(s.to_string()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `Auto-Submitted` (RFC 3834).
#[derive(Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".into())
    }
}

/// The sender used when `mail.from` is not set (for `--format eml` previews).
pub const DEFAULT_FROM: &str = "papertrend <papertrend@localhost>";

/// A built message: its bytes and its envelope.
#[derive(Clone, Debug)]
pub struct Built {
    /// The RFC 5322 message, CRLF line endings.
    pub bytes: Vec<u8>,
    /// The Message-ID, with angle brackets.
    pub message_id: String,
    /// Envelope sender.
    pub mail_from: String,
    /// Envelope recipients.
    pub rcpt_to: Vec<String>,
}

fn parse_mailbox(s: &str, key: &str) -> Result<Mailbox, MailError> {
    s.trim()
        .parse::<Mailbox>()
        .map_err(|e| MailError::Config(format!("`{key}` {s:?} is not an address: {e}")))
}

/// The Message-ID of a digest: `<digest.DAY.HASH@DOMAIN>`, where HASH covers
/// the day, the build time and the papers, and DOMAIN is the sender's.
pub fn message_id(
    date: &str,
    generated_at: jiff::Timestamp,
    papers: &[String],
    from: &str,
) -> String {
    let mut key = format!("{date}\n{generated_at}\n");
    for p in papers {
        key.push_str(p);
        key.push('\n');
    }
    let hash = crate::paper::stable_hash(key.as_bytes());
    let domain = from
        .parse::<Mailbox>()
        .ok()
        .map(|m| m.email.domain().to_string())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "papertrend.localhost".into());
    format!("<digest.{date}.{hash:016x}@{domain}>")
}

/// The sender and the recipients `[mail]` names (the sender when `to` is
/// empty).
fn mailboxes(cfg: &MailConfig) -> Result<(Mailbox, Vec<Mailbox>), MailError> {
    let from_text = if cfg.from.trim().is_empty() {
        DEFAULT_FROM
    } else {
        cfg.from.as_str()
    };
    let from = parse_mailbox(from_text, "mail.from")?;
    let to: Vec<Mailbox> = if cfg.to.is_empty() {
        vec![from.clone()]
    } else {
        cfg.to
            .iter()
            .map(|t| parse_mailbox(t, "mail.to"))
            .collect::<Result<_, _>>()?
    };
    Ok((from, to))
}

/// The envelope recipients (bare addresses) that `[mail] to` names now. A
/// digest kept in the outbox is sent to these, so fixing a refused
/// recipient in the config is enough for the next run.
///
/// # Errors
/// [`MailError::Config`] for an unusable address.
pub fn recipients(cfg: &MailConfig) -> Result<Vec<String>, MailError> {
    Ok(mailboxes(cfg)?
        .1
        .iter()
        .map(|m| m.email.to_string())
        .collect())
}

/// Builds the digest's MIME message.
///
/// # Errors
/// [`MailError::Config`] for an unusable `from` or `to` address.
pub fn build_message(
    cfg: &MailConfig,
    rendered: &Rendered,
    date: jiff::Timestamp,
    message_id: &str,
) -> Result<Built, MailError> {
    let (from, to) = mailboxes(cfg)?;
    let when = std::time::SystemTime::try_from(date)
        .map_err(|e| MailError::Config(format!("bad date: {e}")))?;
    let boundary = format!(
        "papertrend-{:016x}",
        crate::paper::stable_hash(message_id.as_bytes())
    );
    let mut builder = Message::builder()
        .from(from.clone())
        .subject(crate::digest::model::one_line(&rendered.subject))
        .date(when)
        .message_id(Some(message_id.to_string()))
        .header(ListId(format!("papertrend digest <{}>", cfg.list_id)))
        .header(AutoSubmitted);
    for t in &to {
        builder = builder.to(t.clone());
    }
    let body = MultiPart::alternative()
        .boundary(boundary)
        .singlepart(SinglePart::plain(rendered.text.clone()))
        .singlepart(SinglePart::html(rendered.html.clone()));
    let message = builder
        .multipart(body)
        .map_err(|e| MailError::Config(format!("cannot build the message: {e}")))?;
    Ok(Built {
        bytes: message.formatted(),
        message_id: message_id.to_string(),
        mail_from: from.email.to_string(),
        rcpt_to: to.iter().map(|m| m.email.to_string()).collect(),
    })
}

/// Where the password comes from, for `config check` and messages (never the
/// password itself).
pub fn password_source(cfg: &MailConfig) -> String {
    match (&cfg.password_env, &cfg.password_command) {
        (Some(v), _) => format!("environment variable {v}"),
        (_, Some(c)) => format!("command `{c}`"),
        _ => "none (no login)".into(),
    }
}

/// Obtains the password from `password_env` or `password_command`.
///
/// # Errors
/// [`MailError::Password`] when the variable is unset or the command fails;
/// the message never contains the command's output.
pub fn password(cfg: &MailConfig) -> Result<Option<Secret>, MailError> {
    if let Some(var) = &cfg.password_env {
        // The one environment read outside config/app/clock: the variable's
        // name is configuration, its value a secret that must not be kept.
        #[allow(clippy::disallowed_methods)]
        return match std::env::var(var) {
            Ok(v) if !v.is_empty() => Ok(Some(Secret::new(v))),
            _ => Err(MailError::Password(format!(
                "environment variable {var} (mail.password_env) is not set"
            ))),
        };
    }
    if let Some(cmd) = &cfg.password_command {
        let out = std::process::Command::new("/bin/sh")
            .arg("-c")
            .arg(cmd)
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|e| MailError::Password(format!("cannot run `{cmd}`: {e}")))?;
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            let first = err.lines().next().unwrap_or("").trim();
            return Err(MailError::Password(format!(
                "`{cmd}` (mail.password_command) failed ({}){}",
                out.status,
                if first.is_empty() {
                    String::new()
                } else {
                    format!(": {}", crate::sanitize::sanitize_line(first))
                }
            )));
        }
        let text = String::from_utf8_lossy(&out.stdout);
        let first = text.lines().next().unwrap_or("").trim_end_matches('\r');
        if first.is_empty() {
            return Err(MailError::Password(format!(
                "`{cmd}` (mail.password_command) printed nothing"
            )));
        }
        return Ok(Some(Secret::new(first.to_string())));
    }
    Ok(None)
}

fn server(cfg: &MailConfig) -> String {
    format!("{}:{}", cfg.host, cfg.port())
}

/// The SMTP transport described by `[mail]`.
///
/// # Errors
/// An unreadable CA file, a missing password.
fn transport(cfg: &MailConfig) -> Result<SmtpTransport, MailError> {
    let tls = || -> Result<TlsParameters, MailError> {
        let mut b = TlsParameters::builder(cfg.host.clone());
        if let Some(ca) = &cfg.ca_file {
            let pem = std::fs::read(ca)
                .map_err(|e| MailError::Config(format!("`mail.ca_file` {}: {e}", ca.display())))?;
            let cert = Certificate::from_pem(&pem).map_err(|e| {
                MailError::Config(format!(
                    "`mail.ca_file` {}: not a PEM certificate: {e}",
                    ca.display()
                ))
            })?;
            b = b.add_root_certificate(cert);
        }
        b.build_rustls().map_err(|e| MailError::Tls {
            server: server(cfg),
            reason: e.to_string(),
        })
    };
    let tls = match cfg.security {
        Security::Starttls => Tls::Required(tls()?),
        Security::Tls => Tls::Wrapper(tls()?),
        Security::None => Tls::None,
    };
    let timeout = Duration::from_secs(u64::try_from(cfg.timeout.seconds()).unwrap_or(30).max(1));
    let mut builder = SmtpTransport::builder_dangerous(cfg.host.clone())
        .port(cfg.port())
        .tls(tls)
        .timeout(Some(timeout));
    if let Some(user) = &cfg.username {
        let pass = password(cfg)?.ok_or_else(|| {
            MailError::Password("`mail.username` is set but no password source is".into())
        })?;
        builder = builder.credentials(Credentials::new(user.clone(), pass.expose().to_string()));
    }
    Ok(builder.build())
}

/// Turns a lettre error into a sentence (see the table in
/// `notes/ecosystem.md` §3: TLS errors arrive as connection errors, a sync
/// read timeout as `WouldBlock`).
fn explain(cfg: &MailConfig, e: &lettre::transport::smtp::Error) -> MailError {
    let server = server(cfg);
    let text = e.to_string();
    let lower = text.to_lowercase();
    if let Some(code) = e.status() {
        let code = code.to_string();
        let reason = text
            .split_once("): ")
            .map_or(text.as_str(), |(_, r)| r)
            .trim()
            .to_string();
        let reason = crate::sanitize::sanitize_line(&format!("{code} {reason}"));
        return if matches!(code.as_str(), "535" | "534" | "530" | "454") {
            MailError::Auth { server, reason }
        } else if e.is_transient() {
            MailError::TryLater { server, reason }
        } else {
            MailError::Rejected { server, reason }
        };
    }
    if lower.contains("connection refused") {
        MailError::Refused { server }
    } else if [
        "close_notify",
        "unexpected eof",
        "incomplete response",
        "connection reset",
        "broken pipe",
    ]
    .iter()
    .any(|k| lower.contains(k))
    {
        // Before the TLS check: rustls words an abrupt close as
        // "peer closed connection without sending TLS close_notify".
        let reason = text.split(": https://").next().unwrap_or(&text);
        MailError::Closed {
            server,
            reason: crate::sanitize::sanitize_line(reason),
        }
    } else if e.is_timeout()
        || lower.contains("timed out")
        || lower.contains("os error 11")
        || lower.contains("would block")
    {
        MailError::Timeout {
            server,
            timeout: cfg.timeout.to_string(),
        }
    } else if e.is_tls()
        || [
            "certificate",
            "tls",
            "handshake",
            "starttls",
            "corrupt message",
            "wrong version",
        ]
        .iter()
        .any(|k| lower.contains(k))
    {
        MailError::Tls {
            server,
            reason: crate::sanitize::sanitize_line(&text),
        }
    } else {
        MailError::Other {
            server,
            reason: crate::sanitize::sanitize_line(&text),
        }
    }
}

/// Sends a built message; returns only after the server's 250.
///
/// # Errors
/// A [`MailError`] saying what failed.
pub fn send(
    cfg: &MailConfig,
    mail_from: &str,
    rcpt_to: &[String],
    bytes: &[u8],
) -> Result<(), MailError> {
    let bad = |a: &str| MailError::Config(format!("{a:?} is not an e-mail address"));
    let from: Address = mail_from.parse().map_err(|_| bad(mail_from))?;
    let to: Vec<Address> = rcpt_to
        .iter()
        .map(|t| t.parse().map_err(|_| bad(t)))
        .collect::<Result<_, _>>()?;
    let envelope = lettre::address::Envelope::new(Some(from), to)
        .map_err(|e| MailError::Config(format!("bad envelope: {e}")))?;
    let transport = transport(cfg)?;
    transport
        .send_raw(&envelope, bytes)
        .map(|_| ())
        .map_err(|e| explain(cfg, &e))
}

/// Connects, secures the connection and logs in, then quits (`mail test`).
///
/// # Errors
/// A [`MailError`] saying which step failed.
pub fn test_connection(cfg: &MailConfig) -> Result<(), MailError> {
    let transport = transport(cfg)?;
    match transport.test_connection() {
        Ok(true) => Ok(()),
        Ok(false) => Err(MailError::Other {
            server: server(cfg),
            reason: "the server did not answer NOOP".into(),
        }),
        Err(e) => Err(explain(cfg, &e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let s = Secret::new("hunter2".into());
        assert_eq!(format!("{s} {s:?}"), "*** ***");
    }

    #[test]
    fn a_hostile_subject_cannot_add_a_header() {
        let cfg = MailConfig {
            from: "Bot <bot@example.org>".into(),
            to: vec!["a@example.org".into(), "b@example.org".into()],
            ..MailConfig::default()
        };
        let rendered = Rendered {
            subject: "Hi\r\nBcc: evil@example.com".into(),
            text: "t".into(),
            html: "<p>h</p>".into(),
        };
        let now: jiff::Timestamp = "2026-11-27T08:00:00Z".parse().unwrap();
        let built = build_message(&cfg, &rendered, now, "<x@example.org>").unwrap();
        let text = String::from_utf8(built.bytes).unwrap();
        assert!(!text.contains("\r\nBcc:"), "{text}");
        assert_eq!(built.rcpt_to, ["a@example.org", "b@example.org"]);
    }
}

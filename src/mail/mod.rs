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
//! Transport: lettre's sync `SmtpConnection` with rustls, driven step by
//! step on a thread of its own. `starttls` requires STARTTLS (no silent
//! downgrade), `tls` is implicit TLS, `none` is refused unless the host
//! resolves to loopback addresses only (checked at send time, and only those
//! addresses are used). Certificates are always verified (system roots plus
//! the optional `ca_file`). `mail.timeout` bounds the connect, every read
//! and write, and every step as a whole (a reply trickling in line by line
//! cannot stretch it); the whole conversation is bounded by
//! [`WHOLE_SEND_STEPS`] times that; what the server sends is capped in
//! bytes by a loopback relay (`relay.rs`). After the server's 250 the caller
//! records the delivery before the QUIT. Passwords come from an environment
//! variable or a command and live in a [`Secret`], which never prints; a
//! failing command is reported by its exit status only.
//!
//! Everything that touches lettre (the message, its headers, the
//! transport's TLS modes, the mapping of SMTP errors) stays in this file, so
//! no other module imports it; the password command is in `password.rs`,
//! the byte cap in `relay.rs`, the tests in `tests.rs`.

use std::fmt;
use std::time::Duration;

use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, TlsParameters};
use lettre::{Address, Message};

use crate::config::{MailConfig, Security};

pub mod password;
pub use password::{password, password_source};
pub mod relay;

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
    /// A step took longer than `mail.timeout`, or the whole conversation
    /// longer than [`WHOLE_SEND_STEPS`] times that (lettre's sync
    /// transport reports a read timeout as io `WouldBlock`, not as
    /// `is_timeout()`).
    #[error("{server}: timed out in {step} (no complete answer within {timeout})")]
    Timeout {
        /// `host:port`.
        server: String,
        /// The step that did not complete.
        step: String,
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

/// What a message says: the subject and the two alternative bodies. The
/// subject is reduced to one line when the message is built.
#[derive(Clone, Copy, Debug)]
pub struct Parts<'a> {
    /// The subject line.
    pub subject: &'a str,
    /// The text/plain part.
    pub text: &'a str,
    /// The text/html part.
    pub html: &'a str,
}

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

/// Builds the MIME message of `parts` (a digest, or `mail test`'s note).
///
/// # Errors
/// [`MailError::Config`] for an unusable `from` or `to` address.
pub fn build_message(
    cfg: &MailConfig,
    parts: &Parts<'_>,
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
        .subject(crate::sanitize::one_line(parts.subject))
        .date(when)
        .message_id(Some(message_id.to_string()))
        .header(ListId(format!("papertrend digest <{}>", cfg.list_id)))
        .header(AutoSubmitted);
    for t in &to {
        builder = builder.to(t.clone());
    }
    let body = MultiPart::alternative()
        .boundary(boundary)
        .singlepart(SinglePart::plain(parts.text.to_string()))
        .singlepart(SinglePart::html(parts.html.to_string()));
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

fn server(cfg: &MailConfig) -> String {
    format!("{}:{}", cfg.host, cfg.port())
}

/// How long one step may take: `mail.timeout`.
fn step_limit(cfg: &MailConfig) -> Duration {
    Duration::from_secs(u64::try_from(cfg.timeout.seconds()).unwrap_or(30).max(1))
}

/// The whole conversation is bounded by this many times `mail.timeout`.
pub const WHOLE_SEND_STEPS: u32 = 4;

/// One step of the SMTP conversation: each must complete (the whole reply,
/// however slowly it trickles in) within `mail.timeout`, and the whole
/// conversation within [`WHOLE_SEND_STEPS`] times that.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// TCP connect (and TLS for `tls`), the greeting and EHLO.
    Greeting,
    /// STARTTLS and the second EHLO.
    Starttls,
    /// AUTH.
    Login,
    /// MAIL, RCPT, DATA and the message, up to the server's 250.
    Message,
    /// NOOP (`mail test`).
    Check,
}

impl Step {
    fn what(self) -> &'static str {
        match self {
            Step::Greeting => "the greeting and EHLO",
            Step::Starttls => "STARTTLS",
            Step::Login => "the login",
            Step::Message => "sending the message",
            Step::Check => "NOOP",
        }
    }
}

/// What the conversation thread reports, in order.
enum Progress {
    /// A step started.
    Step(Step),
    /// A step failed.
    Failed(Step, lettre::transport::smtp::Error),
    /// The server could not be reached (the relay's own connect).
    Unreachable(std::io::Error),
    /// The server sent more than [`relay::MAX_SERVER_BYTES`].
    Capped(Step),
    /// The server did not answer NOOP.
    NoNoop,
    /// The QUIT after a success is done.
    Closed,
    /// The server took the message (250) or answered NOOP.
    Done,
}

/// What a conversation is for.
enum Job {
    Send {
        envelope: lettre::address::Envelope,
        bytes: Vec<u8>,
    },
    Check,
}

/// Everything a conversation needs, resolved on the calling thread.
struct ConnectionPlan {
    addrs: Vec<std::net::SocketAddr>,
    wrapper: Option<TlsParameters>,
    starttls: Option<TlsParameters>,
    credentials: Option<Credentials>,
    read_timeout: Duration,
}

/// Resolves the server and prepares TLS and the login.
///
/// # Errors
/// An unreadable CA file, a missing password, a name that does not resolve,
/// or `security = "none"` with a server that is not on loopback.
fn plan_connection(cfg: &MailConfig) -> Result<ConnectionPlan, MailError> {
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
    let (wrapper, starttls) = match cfg.security {
        Security::Starttls => (None, Some(tls()?)),
        Security::Tls => (Some(tls()?), None),
        Security::None => (None, None),
    };
    let credentials = match &cfg.username {
        Some(user) => {
            let pass = password(cfg)?.ok_or_else(|| {
                MailError::Password("`mail.username` is set but no password source is".into())
            })?;
            Some(Credentials::new(user.clone(), pass.expose().to_string()))
        }
        None => None,
    };
    let host = cfg
        .host
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']');
    let addrs: Vec<std::net::SocketAddr> =
        std::net::ToSocketAddrs::to_socket_addrs(&(host, cfg.port()))
            .map_err(|e| MailError::Other {
                server: server(cfg),
                reason: format!("cannot resolve the name: {e}"),
            })?
            .collect();
    if cfg.security == Security::None {
        // Checked on what the name resolves to now, and only those
        // addresses are used: `localhost` pointing elsewhere is refused.
        if let Some(far) = addrs.iter().find(|a| !a.ip().is_loopback()) {
            return Err(MailError::Config(format!(
                "`mail.security = \"none\"` sends in the clear, so only to a server on this \
                 machine, but {host:?} resolves to {}",
                far.ip()
            )));
        }
    }
    Ok(ConnectionPlan {
        addrs,
        wrapper,
        starttls,
        credentials,
        read_timeout: step_limit(cfg),
    })
}

/// The conversation itself, on a thread of its own; reports each step.
/// After the server's 250 it waits for `quit` before saying QUIT, so the
/// caller records the delivery first.
fn converse(
    plan: ConnectionPlan,
    job: Job,
    tx: &std::sync::mpsc::Sender<Progress>,
    quit: &std::sync::mpsc::Receiver<()>,
) {
    use lettre::transport::smtp::authentication::DEFAULT_MECHANISMS;
    use lettre::transport::smtp::client::SmtpConnection;
    use lettre::transport::smtp::extension::ClientId;
    let hello = ClientId::default();
    let _ = tx.send(Progress::Step(Step::Greeting));
    // lettre talks to the server through a relay that caps what the
    // server may send (see `relay`).
    let relay = match relay::start(&plan.addrs, plan.read_timeout) {
        Ok(r) => r,
        Err(e) => {
            let _ = tx.send(Progress::Unreachable(e));
            return;
        }
    };
    let fail = |step, e| {
        let _ = tx.send(if relay.capped() {
            Progress::Capped(step)
        } else {
            Progress::Failed(step, e)
        });
    };
    let mut conn = match SmtpConnection::connect(
        relay.addr,
        Some(plan.read_timeout),
        &hello,
        plan.wrapper.as_ref(),
        None,
    ) {
        Ok(c) => c,
        Err(e) => return fail(Step::Greeting, e),
    };
    if let Some(tls) = &plan.starttls {
        let _ = tx.send(Progress::Step(Step::Starttls));
        if let Err(e) = conn.starttls(tls, &hello) {
            conn.abort();
            return fail(Step::Starttls, e);
        }
    }
    if let Some(c) = &plan.credentials {
        let _ = tx.send(Progress::Step(Step::Login));
        if let Err(e) = conn.auth(DEFAULT_MECHANISMS, c) {
            conn.abort();
            return fail(Step::Login, e);
        }
    }
    match job {
        Job::Send { envelope, bytes } => {
            let _ = tx.send(Progress::Step(Step::Message));
            match conn.send(&envelope, &bytes) {
                Ok(_) => {
                    let _ = tx.send(Progress::Done);
                    let _ = quit.recv();
                    let _ = conn.quit();
                    let _ = tx.send(Progress::Closed);
                }
                Err(e) => {
                    conn.abort();
                    fail(Step::Message, e);
                }
            }
        }
        Job::Check => {
            let _ = tx.send(Progress::Step(Step::Check));
            if conn.test_connected() {
                let _ = tx.send(Progress::Done);
                let _ = quit.recv();
                let _ = conn.quit();
                let _ = tx.send(Progress::Closed);
            } else {
                conn.abort();
                let _ = tx.send(Progress::NoNoop);
            }
        }
    }
}

/// Runs `job` against the server with a deadline per step and for the
/// whole conversation; on success calls `accepted` before the QUIT (the
/// shortest window between the server's 250 and the caller's record of it).
/// A conversation past a deadline is abandoned: its thread ends with the
/// process.
fn run_conversation<T, E>(
    cfg: &MailConfig,
    job: Job,
    accepted: impl FnOnce() -> Result<T, E>,
) -> Result<Result<T, E>, MailError> {
    let plan = plan_connection(cfg)?;
    let (tx, rx) = std::sync::mpsc::channel();
    let (quit_tx, quit_rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("smtp".into())
        .spawn(move || converse(plan, job, &tx, &quit_rx))
        .map_err(|e| MailError::Other {
            server: server(cfg),
            reason: format!("cannot start the SMTP thread: {e}"),
        })?;
    let limit = step_limit(cfg);
    let whole = limit.saturating_mul(WHOLE_SEND_STEPS);
    let started = std::time::Instant::now();
    let mut step = Step::Greeting;
    let mut step_started = started;
    loop {
        let left_step = limit.saturating_sub(step_started.elapsed());
        let left_whole = whole.saturating_sub(started.elapsed());
        match rx.recv_timeout(left_step.min(left_whole)) {
            Ok(Progress::Step(s)) => {
                step = s;
                step_started = std::time::Instant::now();
            }
            Ok(Progress::Done) => {
                let result = accepted();
                // A polite QUIT, but never waited for longer than a step.
                let _ = quit_tx.send(());
                let _ = rx.recv_timeout(limit);
                return Ok(result);
            }
            Ok(Progress::Closed) => {}
            Ok(Progress::Failed(s, e)) => return Err(explain(cfg, &e, s)),
            Ok(Progress::Unreachable(e)) => {
                return Err(match e.kind() {
                    std::io::ErrorKind::ConnectionRefused => MailError::Refused {
                        server: server(cfg),
                    },
                    std::io::ErrorKind::TimedOut => MailError::Timeout {
                        server: server(cfg),
                        step: step.what().to_string(),
                        timeout: cfg.timeout.to_string(),
                    },
                    _ => MailError::Other {
                        server: server(cfg),
                        reason: format!("cannot connect: {e}"),
                    },
                });
            }
            Ok(Progress::Capped(s)) => {
                return Err(MailError::Other {
                    server: server(cfg),
                    reason: format!(
                        "the server sent more than {} KiB during {}; the connection was closed",
                        relay::MAX_SERVER_BYTES / 1024,
                        s.what()
                    ),
                });
            }
            Ok(Progress::NoNoop) => {
                return Err(MailError::Other {
                    server: server(cfg),
                    reason: "the server did not answer NOOP".into(),
                });
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                return Err(if left_whole <= left_step {
                    MailError::Timeout {
                        server: server(cfg),
                        step: format!("{} (the whole send)", step.what()),
                        timeout: format!("{}s", whole.as_secs()),
                    }
                } else {
                    MailError::Timeout {
                        server: server(cfg),
                        step: step.what().to_string(),
                        timeout: cfg.timeout.to_string(),
                    }
                });
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                return Err(MailError::Other {
                    server: server(cfg),
                    reason: format!("the SMTP conversation stopped during {}", step.what()),
                });
            }
        }
    }
}

/// Turns a lettre error in `step` into a sentence (see the table in
/// `notes/ecosystem.md` §3: TLS errors arrive as connection errors, a sync
/// read timeout as `WouldBlock`).
fn explain(cfg: &MailConfig, e: &lettre::transport::smtp::Error, step: Step) -> MailError {
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
        return if step == Step::Starttls {
            // "454 TLS not available": the upgrade failed, not the login.
            MailError::Tls {
                server,
                reason: format!("the server refused STARTTLS ({reason})"),
            }
        } else if step == Step::Login && matches!(code.as_str(), "535" | "534" | "530" | "454") {
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
            step: step.what().to_string(),
            timeout: cfg.timeout.to_string(),
        }
    } else if e.is_tls()
        || step == Step::Starttls
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

/// Sends a built message. `accepted` runs right after the server's 250 and
/// before anything else (the QUIT included), so a crash can fall between
/// the 250 and its record only for as long as `accepted` takes; its result
/// is returned.
///
/// # Errors
/// A [`MailError`] saying what failed (nothing was accepted then).
pub fn send<T, E>(
    cfg: &MailConfig,
    mail_from: &str,
    rcpt_to: &[String],
    bytes: &[u8],
    accepted: impl FnOnce() -> Result<T, E>,
) -> Result<Result<T, E>, MailError> {
    let bad = |a: &str| MailError::Config(format!("{a:?} is not an e-mail address"));
    let from: Address = mail_from.parse().map_err(|_| bad(mail_from))?;
    let to: Vec<Address> = rcpt_to
        .iter()
        .map(|t| t.parse().map_err(|_| bad(t)))
        .collect::<Result<_, _>>()?;
    let envelope = lettre::address::Envelope::new(Some(from), to)
        .map_err(|e| MailError::Config(format!("bad envelope: {e}")))?;
    let job = Job::Send {
        envelope,
        bytes: bytes.to_vec(),
    };
    run_conversation(cfg, job, accepted)
}

/// Connects, secures the connection and logs in, then quits (`mail test`),
/// under the same deadlines as [`send`].
///
/// # Errors
/// A [`MailError`] saying which step failed.
pub fn test_connection(cfg: &MailConfig) -> Result<(), MailError> {
    run_conversation(cfg, Job::Check, || Ok::<(), MailError>(()))?
}

#[cfg(test)]
mod tests;

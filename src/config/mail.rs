//! `[mail]`: sending the digest by e-mail (SMTP).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::clock::Span;

/// How the SMTP connection is secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Plain connection upgraded with STARTTLS; fails if the server does not
    /// offer it (never a silent downgrade). Default port 587.
    Starttls,
    /// Implicit TLS from the first byte (SMTPS). Default port 465.
    Tls,
    /// No encryption: only for a relay on loopback (127.0.0.1, ::1,
    /// localhost). Default port 25.
    None,
}

/// `[mail]`: sending the digest over SMTP.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailConfig {
    /// Whether `run` mails the digest (else it prints it). Default false.
    pub enabled: bool,
    /// The sender, `Name <addr@example.org>`.
    pub from: String,
    /// The recipients.
    pub to: Vec<String>,
    /// The SMTP server. Default `localhost`.
    pub host: String,
    /// The SMTP port; default from `security` (587, 465 or 25).
    pub port: Option<u16>,
    /// `starttls`, `tls` or `none` (loopback only). Default `starttls`.
    pub security: Security,
    /// Login name; no login when absent.
    pub username: Option<String>,
    /// Environment variable holding the password.
    pub password_env: Option<String>,
    /// Shell command printing the password on its first line
    /// (`pass show mail/papertrend`).
    pub password_command: Option<String>,
    /// How long `password_command` may take to print the password and
    /// exit; then it and every process it started are killed. Default `10s`.
    pub password_command_timeout: Span,
    /// Extra CA certificate (PEM) to trust, for a private relay. The system
    /// roots stay trusted; certificate checks are never turned off.
    pub ca_file: Option<PathBuf>,
    /// Timeout of every SMTP step (connect, each read and write). Default `30s`.
    pub timeout: Span,
    /// The `List-Id` of digests (RFC 2919), a dot-separated id. Default
    /// `digest.papertrend.localhost`.
    pub list_id: String,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            enabled: false,
            from: String::new(),
            to: Vec::new(),
            host: "localhost".into(),
            port: None,
            security: Security::Starttls,
            username: None,
            password_env: None,
            password_command: None,
            password_command_timeout: Span(jiff::SignedDuration::from_secs(10)),
            ca_file: None,
            timeout: Span(jiff::SignedDuration::from_secs(30)),
            list_id: "digest.papertrend.localhost".into(),
        }
    }
}

impl MailConfig {
    /// The port to connect to: `port`, else the default of `security`.
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(match self.security {
            Security::Starttls => 587,
            Security::Tls => 465,
            Security::None => 25,
        })
    }
}

/// Whether `host` names this machine's loopback interface.
pub fn is_loopback_host(host: &str) -> bool {
    let h = host.trim().trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost")
        || h.parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl MailConfig {
    /// Checks `[mail]`: one password source with a user, no plain SMTP
    /// beyond loopback, positive timeouts, a well-formed `List-Id`, and a
    /// sender and recipients when mail is on.
    pub(super) fn validate(&self) -> Result<(), String> {
        let m = self;
        if m.password_env.is_some() && m.password_command.is_some() {
            return Err("set only one of `mail.password_env` and `mail.password_command`".into());
        }
        if m.username.is_none() && (m.password_env.is_some() || m.password_command.is_some()) {
            return Err("`mail.username` is needed when a password source is set".into());
        }
        if m.security == Security::None && !is_loopback_host(&m.host) {
            return Err(format!(
                "`mail.security = \"none\"` is only allowed for a relay on loopback, not {:?}; \
                 use \"starttls\" or \"tls\"",
                m.host
            ));
        }
        if m.timeout.seconds() <= 0 {
            return Err("`mail.timeout` must be positive".into());
        }
        if m.password_command_timeout.seconds() <= 0 {
            return Err("`mail.password_command_timeout` must be positive".into());
        }
        if m.list_id.is_empty()
            || !m
                .list_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        {
            return Err(format!(
                "`mail.list_id` {:?} must be a dot-separated id (letters, digits, . - _)",
                m.list_id
            ));
        }
        if m.enabled {
            if m.from.trim().is_empty() {
                return Err("`mail.from` is needed when `mail.enabled = true`".into());
            }
            if m.to.is_empty() {
                return Err("`mail.to` needs at least one recipient".into());
            }
        }
        Ok(())
    }
}

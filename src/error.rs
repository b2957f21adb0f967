//! The crate's error type, its exit codes and the wording users see.
//!
//! Message form: `papertrend: error: <what failed>: <why>`, lowercase, the path
//! or URL first, the cause chain on the same line; an optional `hint:` line.

use std::io;

use crate::exit;

/// Every error that crosses into `cmd/`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad flag value or usage the parser could not catch.
    #[error("{0}")]
    Usage(String),
    /// Configuration problem (names the key and the file).
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// The input is not in the declared format.
    #[error(transparent)]
    Parse(#[from] crate::ingest::ParseError),
    /// Index problem (locked, wrong schema, corrupt).
    #[error(transparent)]
    Index(#[from] crate::index::IndexError),
    /// Reading or writing a file failed.
    #[error("{path}: {}", io_reason(source))]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: io::Error,
    },
    /// A mail problem (`mail test`, `digest --send`).
    #[error(transparent)]
    Mail(#[from] crate::mail::MailError),
    /// A digest the SMTP server did not take; it waits in the outbox.
    #[error("digest for {date} not sent: {source}")]
    Unsent {
        /// The digest's day.
        date: String,
        /// Why.
        source: crate::mail::MailError,
    },
    /// Another `run`, `fetch`, `ingest` or `digest --send` holds the data
    /// directory's lock.
    #[error("{path}: held by {}; `run`, `fetch`, `ingest` and `digest --send` take turns", holder.describe())]
    RunLocked {
        /// The lock file.
        path: String,
        /// Who holds it, as far as known.
        holder: crate::state::Holder,
    },
    /// Any other runtime failure, already worded for the user.
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// Wraps an I/O error with the path it happened on.
    pub fn io(path: impl std::fmt::Display, source: io::Error) -> Self {
        Error::Io {
            path: path.to_string(),
            source,
        }
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) | Error::Config(_) | Error::Parse(_) => exit::USAGE,
            Error::Index(crate::index::IndexError::Locked { .. }) => exit::LOCKED,
            Error::Index(crate::index::IndexError::Query { .. }) => exit::USAGE,
            Error::RunLocked { .. } => exit::LOCKED,
            Error::Mail(crate::mail::MailError::Config(_)) => exit::USAGE,
            _ => exit::FAILURE,
        }
    }

    /// An optional hint printed on its own line after the error.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Index(e) => e.hint(),
            Error::Config(e) => e.hint(),
            Error::Unsent { .. } => Some(
                "it is kept in the outbox; the next `papertrend run` sends it (once); \
                 `papertrend mail test` checks the connection"
                    .into(),
            ),
            Error::RunLocked { holder, .. } => Some(holder.hint()),
            _ => None,
        }
    }

    /// Whether this error is a closed pipe (`papertrend top | head`), which
    /// exits 0 silently.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
    }
}

/// What an I/O error says, in the lowercase words of the rest of our
/// messages: "no such file or directory", not "No such file or directory
/// (os error 2)".
pub fn io_reason(e: &io::Error) -> String {
    plain_os_errors(&e.to_string())
}

/// Rewrites the operating system's error texts inside `msg` (from any
/// library's error chain) as our messages word them: the `(os error N)`
/// suffix dropped and the capital of the system's text lowered.
pub fn plain_os_errors(msg: &str) -> String {
    let mut out = msg.to_string();
    while let Some(at) = out.find(" (os error ") {
        let Some(len) = out[at..].find(')') else {
            break;
        };
        out.replace_range(at..=at + len, "");
        // The system's text starts after the last ": " before the suffix.
        let start = out[..at].rfind(": ").map_or(0, |i| i + 2);
        if let Some(c) = out[start..].chars().next().filter(char::is_ascii_uppercase) {
            out.replace_range(start..=start, &c.to_ascii_lowercase().to_string());
        }
    }
    out
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Prints `err` to stderr in the documented form and returns its exit code.
pub fn report(err: &Error) -> u8 {
    if err.is_broken_pipe() {
        return exit::OK;
    }
    use std::io::IsTerminal;
    if crate::wrap::stderr_width().is_none() && std::io::stderr().is_terminal() {
        // No `App` set a width (the config did not load): the terminal's.
        let w = terminal_size::terminal_size_of(std::io::stderr()).map(|(w, _)| usize::from(w.0));
        crate::wrap::set_stderr_width(w);
    }
    let msg = crate::sanitize::sanitize_terminal(&plain_os_errors(&err.to_string()));
    eprintln!(
        "{}",
        crate::wrap::for_stderr(&format!("papertrend: error: {msg}"))
    );
    if let Some(hint) = err.hint() {
        eprintln!("{}", crate::wrap::for_stderr(&format!("hint: {hint}")));
    }
    err.exit_code()
}

/// Prints a command-line parsing error in the documented one-line form
/// (`papertrend: error: …` and a `hint:` line) and returns its exit code;
/// `--help` and `--version` print as clap renders them and exit 0.
pub fn report_clap(err: &clap::Error) -> u8 {
    use clap::error::ErrorKind;
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        // Help goes to stdout (stderr for a bare `papertrend`), as clap does.
        let _ = err.print();
        return if err.use_stderr() {
            exit::USAGE
        } else {
            exit::OK
        };
    }
    let (msg, hint) = clap_message(&err.render().to_string());
    eprintln!(
        "papertrend: error: {}",
        crate::sanitize::sanitize_line(&msg)
    );
    if let Some(hint) = hint {
        eprintln!("hint: {}", crate::sanitize::sanitize_line(&hint));
    }
    exit::USAGE
}

/// Folds clap's rendered error (`error: …`, indented detail lines, a
/// `tip:`, a usage line, "For more information, try '--help'.") into one
/// message and one hint: the tip, else the usage.
fn clap_message(rendered: &str) -> (String, Option<String>) {
    let mut msg = Vec::new();
    let (mut tip, mut usage) = (None, None);
    let mut in_message = true;
    for line in rendered.lines() {
        let t = line.trim();
        if t.is_empty() {
            in_message = false;
        } else if let Some(rest) = t.strip_prefix("tip:") {
            tip.get_or_insert_with(|| rest.trim().to_string());
        } else if let Some(rest) = t.strip_prefix("Usage:") {
            usage.get_or_insert_with(|| format!("usage: {}", rest.trim()));
        } else if t.starts_with("For more information") {
        } else if in_message {
            msg.push(t.strip_prefix("error:").unwrap_or(t).trim().to_string());
        }
    }
    let msg = msg.join(" ");
    let msg = msg.strip_suffix(':').unwrap_or(&msg).to_string();
    (msg, tip.or(usage))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_errors_read_like_our_messages() {
        let e = io::Error::from(io::ErrorKind::NotFound);
        let raw = io::Error::from_raw_os_error(2);
        assert_eq!(io_reason(&raw), "no such file or directory");
        assert!(!io_reason(&e).contains("os error"));
        assert_eq!(
            plain_os_errors("x.toml: cannot read: Permission denied (os error 13)"),
            "x.toml: cannot read: permission denied"
        );
        assert_eq!(
            plain_os_errors(
                "a: No such file or directory (os error 2); b: Is a directory (os error 21)"
            ),
            "a: no such file or directory; b: is a directory"
        );
        assert_eq!(plain_os_errors("nothing here"), "nothing here");
    }

    #[test]
    fn clap_errors_fold_into_one_line_and_a_hint() {
        let (msg, hint) = clap_message(
            "error: invalid value 'soon' for '--since <WHEN>': not a span\n\n\
             For more information, try '--help'.\n",
        );
        assert_eq!(msg, "invalid value 'soon' for '--since <WHEN>': not a span");
        assert_eq!(hint, None);
        let (msg, hint) = clap_message(
            "error: the following required arguments were not provided:\n  <PATH>...\n\n\
             Usage: papertrend ingest <PATH>...\n\nFor more information, try '--help'.\n",
        );
        assert_eq!(
            msg,
            "the following required arguments were not provided: <PATH>..."
        );
        assert_eq!(hint.as_deref(), Some("usage: papertrend ingest <PATH>..."));
        let (msg, hint) = clap_message(
            "error: unrecognized subcommand 'serch'\n\n  tip: a similar subcommand exists: \
             'search'\n\nUsage: papertrend [OPTIONS] <COMMAND>\n",
        );
        assert_eq!(msg, "unrecognized subcommand 'serch'");
        assert_eq!(
            hint.as_deref(),
            Some("a similar subcommand exists: 'search'")
        );
    }
}

//! Where the SMTP password comes from (`password_env` or
//! `password_command`), and running `mail.password_command` bounded: it gets
//! `mail.password_command_timeout` (default 10 s) to print the password and
//! exit, its output is read up to [`MAX_OUTPUT`], and its whole process
//! group is killed when it ends or times out, so neither a helper waiting
//! for a pinentry nor a child left holding its stdout can hang a run (and
//! its lock) or fill memory.
//!
//! What the command prints may be the secret: it is never shown; a failure
//! is reported by exit status, time or size only. Its stderr is not read.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::{MailError, Secret};
use crate::config::MailConfig;

/// The most a password command may print (a password is a line).
pub const MAX_OUTPUT: u64 = 64 * 1024;

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
        let limit = Duration::from_secs(
            u64::try_from(cfg.password_command_timeout.seconds())
                .unwrap_or(10)
                .max(1),
        );
        let stdout = run(cmd, limit).map_err(MailError::Password)?;
        let text = String::from_utf8_lossy(&stdout);
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

/// Runs `cmd` with `/bin/sh -c` and returns its stdout.
///
/// # Errors
/// A sentence naming the command (never its output): it could not start,
/// timed out, printed more than [`MAX_OUTPUT`], or exited unsuccessfully.
pub(crate) fn run(cmd: &str, timeout: Duration) -> Result<Vec<u8>, String> {
    let mut child = Command::new("/bin/sh")
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        // Its own process group, so that everything it started can be
        // killed together.
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot run `{cmd}`: {e}"))?;
    let deadline = Instant::now() + timeout;
    let mut stdout = child.stdout.take().ok_or("no stdout")?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let read = (&mut stdout)
            .take(MAX_OUTPUT + 1)
            .read_to_end(&mut buf)
            .map(|_| buf);
        let _ = tx.send(read);
    });
    let secs = timeout.as_secs();
    let timed_out = || {
        format!("`{cmd}` (mail.password_command) did not finish within {secs} s; it was stopped")
    };
    let output = match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        Ok(Ok(buf)) => buf,
        Ok(Err(e)) => {
            stop(&mut child);
            return Err(format!(
                "`{cmd}` (mail.password_command): cannot read its output: {e}"
            ));
        }
        Err(_) => {
            stop(&mut child);
            return Err(timed_out());
        }
    };
    if output.len() as u64 > MAX_OUTPUT {
        stop(&mut child);
        return Err(format!(
            "`{cmd}` (mail.password_command) printed more than {} KiB; it was stopped",
            MAX_OUTPUT / 1024
        ));
    }
    // Its output ended: the shell is exiting; wait for its status until
    // the deadline.
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Ok(None) => {
                stop(&mut child);
                return Err(timed_out());
            }
            Err(e) => {
                stop(&mut child);
                return Err(format!("`{cmd}` (mail.password_command): {e}"));
            }
        }
    };
    // Whatever it left behind in its group goes too.
    kill_group(child.id());
    if !status.success() {
        // Only the status: what the command printed may hold the secret
        // (or part of it), and this message ends up in cron mail.
        return Err(format!(
            "`{cmd}` (mail.password_command) failed ({status}); run it by hand to see why"
        ));
    }
    Ok(output)
}

/// Kills the command's process group and reaps the shell.
fn stop(child: &mut Child) {
    kill_group(child.id());
    let _ = child.kill();
    let _ = child.wait();
}

/// Sends SIGKILL to the process group `pgid` through the shell's `kill`
/// (the crate forbids `unsafe`, and the group may outlive its leader).
fn kill_group(pgid: u32) {
    let _ = Command::new("/bin/sh")
        .arg("-c")
        .arg(format!("kill -9 -{pgid} 2>/dev/null"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

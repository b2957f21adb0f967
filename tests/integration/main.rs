//! Integration tests: the real binary, real fixtures, real index on disk.

// Tests pass the environment through to the binary they run.
#![allow(clippy::disallowed_methods)]

// Test support: TestEnv (isolated binary runs), fixtures.
mod support;

// Ingest of every listing format, dedupe, idempotence, bad input.
mod ingest;
// Search, show, stats, export and output formats.
mod search;
// Config loading, `config` subcommands, CLI surface.
mod config;
// Crash safety and locking.
mod reliability;
// Hostile and broken input.
mod hostile;
// `fetch`: HTTP sources against a loopback server (retries, 304, gzip, faults).
mod fetch;
// `digest`: every format against committed snapshots (fixed clock), escaping, wrapping.
mod digest;
// Mail over a real SMTP server on loopback (aiosmtpd): TLS, AUTH, 550/451, outbox.
mod mail;
// SMTP faults (silent server, drop after DATA, one recipient refused, SIGKILL
// mid-send) and secrets never printed or stored.
mod mail_faults;
// `run`: the cron entry point, exactly once per day, the watermark, partial success.
mod run;
// `top`, `search --sort trend`, `explain`, `similar`: the ranking on real dated days.
mod top;
// `trends`: rising phrases against a baseline; "no baseline" on the seed.
mod trends;
// Issue #19: no lost papers under concurrency, no hang, no leaked secret, no panic.
mod r19;

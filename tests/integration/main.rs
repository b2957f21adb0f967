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
// The digest as a reader sees it: matches only, "Also popular", catch-up days,
// empty days, time travel, links and wording.
mod digest_reader;
// Mail over a real SMTP server on loopback (aiosmtpd): TLS, AUTH, 550/451, outbox.
mod mail;
// SMTP faults (silent server, drop after DATA, one recipient refused, SIGKILL
// mid-send) and secrets never printed or stored.
mod mail_faults;
// `run`: the cron entry point, exactly once per day, the watermark, partial success.
mod run;
// `top`, `search --sort trend`, `explain`, `similar`: the ranking on real dated days.
mod top;
// The visible date: the later of arXiv v1 and the first listing.
mod dates;
// `trends`: rising phrases against a baseline; "no baseline" on the seed.
mod trends;
// A month of Hugging Face daily lists replayed through `run` at 07:00 with
// missed days and same-day retries, mailed to a real SMTP server (#15).
mod cron_month;
// Issue #18: the first run, the terminal at 80 columns, one voice, bulk ingest.
mod r18;
// Marks, mutes, the learned profile, count observations and velocity, the
// export cursor, `--unseen`, `review`.
mod feedback;
// Issue #19: no lost papers under concurrency, no hang, no leaked secret, no panic.
mod r19;
// Feedback in the ranking: velocity, mutes, the profile in top and the digest.
mod feedback_rank;
// Issue #25: code links are valid URLs or absent, on every day of 2025-Q4 and 2026-Q1.
mod links;
// Issue #25: "Also popular" by upvotes, the main list led by its most popular
// paper, and explain's reasons in words.
mod digest_select;

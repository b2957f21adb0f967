//! Integration tests: the real binary, real fixtures, real index on disk.

// Tests pass the environment through to the binary they run.
#![allow(clippy::disallowed_methods)]

// Test support: TestEnv (isolated binary runs), fixtures.
mod support;

// Ingest of every listing format, dedupe, idempotence, bad input.
mod ingest;
// Search, show, stats, export and output formats.
mod search;
// The typed phrase first and hyphenated words kept whole, on real 2025-Q4 lists (#30).
mod phrase;
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
// Installing like a Rust CLI: the man page and completions (#26).
mod install;
// Reader words (#26): plurals, baseline spans, help text, friendly parse
// errors, a stable digest order.
mod words;
// A folder as a `file` source, and `config check` on unusable paths (#26).
mod folder_source;
// `config init`: the template without a terminal, questions on one (#26).
mod config_init;
// `open`: the browser on a terminal, the URL to a pipe (#26).
mod open;
// `mark`/`mute` confirmations on a terminal, the profile as words (#26).
mod mark_words;
// The digest as an Atom feed: `digest --format atom` and `[digest] feed` (#26).
mod feed;
// Every command fits an 80-column terminal (forced width and a tmux pane),
// and `review` takes single keys (#26).
mod fit;
// The source's thumbnail, project page and summary in the digest (#26).
mod source_extras;
// `explain` for a delivered day: what the digest did, then what changed (#26).
mod explain_delivered;
// A damaged index folder (no `meta.json`): an error for every command, never
// an empty index; `doctor --repair` rebuilds it from its segment files.
mod damaged_index;
// Lock and state files: no symbolic link followed, owner-only permissions.
mod symlinks;
// Damaged bytes in listings (not UTF-8, NUL, a block of zeros): one bad
// record costs that record only.
mod damaged_input;
// HTTP redirects: no Referer, nothing of a source URL reaches another host.
mod redirects;
// Outbox integrity: a damaged `.eml` is built again or reported, never sent.
mod outbox;
// One escaping path: listing Markdown links, JSON on a terminal, redacted URLs.
mod escaping;
// The export cursor against clocks stepped back or far ahead.
mod export_cursor;
// Bounds on what comes from outside: password_command, template files and work.
mod bounds;
// Time zones: the digest day never goes backwards, nothing is sent twice.
mod timezone;
// Wording: long queries cut, documented ranges, empty titles, the last date,
// dangling links.
mod wording;
// Issue #25: code links are valid URLs or absent, on every day of 2025-Q4 and 2026-Q1.
mod links;
// Issue #25: "Also popular" by upvotes, the main list led by its most popular
// paper, and explain's reasons in words.
mod digest_select;
// Interests matched by meaning.
mod interests;

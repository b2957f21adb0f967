//! Integration tests: the real binary, real fixtures, real index on disk.

// Tests pass the environment through to the binary they run.
#![allow(clippy::disallowed_methods)]

// Test support: TestEnv (isolated binary runs), fixtures, scripted servers.
mod support;

// Ingest of every listing format, dedupe, idempotence, bad input, gzip and
// folders, one bad file among good ones, the summary on a terminal.
mod ingest;
// Search, show, stats, export and output formats.
mod search;
// The typed phrase first and hyphenated words kept whole, on real 2025-Q4 lists.
mod phrase;
// Config loading, `config` subcommands, CLI surface, checked values.
mod config;
// Crash safety and locking, an ingest during a run, a read-only data dir.
mod reliability;
// Hostile and broken input; feed text never reaches a terminal raw.
mod hostile;
// `fetch`: HTTP sources against a loopback server (retries, 304, gzip, faults,
// credentials in source URLs, decompression bombs).
mod fetch;
// `digest`: every format against committed snapshots (fixed clock), escaping, wrapping.
mod digest;
// The digest as a reader sees it: matches only, "Also popular", catch-up days,
// empty days, time travel, links and wording.
mod digest_reader;
// Mail over a real SMTP server on loopback (aiosmtpd): TLS, AUTH, 550/451, outbox.
mod mail;
// SMTP faults (silent or trickling server, drop after DATA, one recipient
// refused, STARTTLS refused, SIGKILL mid-send) and secrets never printed or stored.
mod mail_faults;
// A digest is news: a bulk import of old papers is never new in a mail.
mod news;
// `run`: the cron entry point, exactly once per day, the watermark, partial
// success, the demo config and a first run without a config.
mod run;
// `top`, `search --sort trend`, `explain`, `similar`: the ranking on real dated days.
mod top;
// The visible date: the later of arXiv v1 and the first listing.
mod dates;
// `trends`: rising phrases against a baseline; "no baseline" on the seed.
mod trends;
// A month of Hugging Face daily lists replayed through `run` at 07:00 with
// missed days and same-day retries, mailed to a real SMTP server.
mod cron_month;
// Marks, mutes, the learned profile, count observations and velocity, the
// export cursor, `--unseen`, `review`.
mod feedback;
// Feedback in the ranking: velocity, mutes, the profile in top and the digest.
mod feedback_rank;
// Installing like a Rust CLI: the man page and completions.
mod install;
// Reader words: plurals, baseline spans, help text, friendly parse errors, a
// stable digest order.
mod words;
// Usage errors in one voice: one line and a hint, unknown ids, reversed
// ranges, a category filter that cannot match.
mod usage_errors;
// A folder as a `file` source, and `config check` on unusable paths.
mod folder_source;
// `config init`: the template without a terminal, questions on one.
mod config_init;
// `open`: the browser on a terminal, the URL to a pipe.
mod open;
// `mark`/`mute` confirmations on a terminal, the profile as words.
mod mark_words;
// The digest as an Atom feed: `digest --format atom` and `[digest] feed`.
mod feed;
// Every command fits an 80-column terminal (forced width and a tmux pane),
// CJK text wraps in display columns, and `review` takes single keys.
mod fit;
// The source's thumbnail, project page and summary in the digest.
mod source_extras;
// `explain` for a delivered day: what the digest did, then what changed.
mod explain_delivered;
// A damaged index folder (no `meta.json`): an error for every command, never
// an empty index; `doctor --repair` rebuilds it from its segment files;
// leftover segment files are removed.
mod damaged_index;
// Lock and state files: no symbolic link followed, owner-only permissions.
mod symlinks;
// Damaged bytes in listings (not UTF-8, NUL, a block of zeros, no title): one
// bad record costs that record only.
mod damaged_input;
// HTTP redirects: no Referer, nothing of a source URL reaches another host.
mod redirects;
// Outbox integrity: a damaged `.eml` is built again or reported, never sent.
mod outbox;
// One escaping path: listing Markdown links, JSON on a terminal, redacted URLs.
mod escaping;
// The export cursor against clocks stepped back or far ahead.
mod export_cursor;
// Bounds on what comes from outside: password_command, template files, work,
// line length.
mod bounds;
// Time zones: the digest day never goes backwards, nothing is sent twice.
mod timezone;
// Wording: long queries cut, documented ranges, empty titles, the last date,
// dangling links.
mod wording;
// Code links are valid URLs or absent, on every day of 2025-Q4 and 2026-Q1.
mod links;
// The digest selection: "Also popular" by upvotes, the main list led by its
// most popular paper, and explain's reasons in words.
mod digest_select;
// Interests matched by meaning.
mod interests;
// Regressions tied to one bug each (a panic found by fuzzing, an abort on a
// huge limit).
mod regression;

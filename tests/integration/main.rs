//! Integration tests: the real binary, real fixtures, real index on disk.

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

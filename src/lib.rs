//! papertrend: ingest paper listings into a local tantivy index, rank what is
//! trending for one reader, render a daily digest and mail it.
//!
//! This library is internal to the `papertrend` binary and its benchmarks; it
//! has no semver guarantees.

pub mod config;
pub mod error;
pub mod exit;
pub mod index;
pub mod ingest;
pub mod output;
pub mod paper;

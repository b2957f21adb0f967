//! The documented exit codes. Any new code must be added here, to the
//! `--help` text (`cli::AFTER_HELP`) and to the table in docs/commands.md in the same change.

/// Everything worked (also: nothing new to do).
pub const OK: u8 = 0;
/// A runtime failure: I/O, index, network or mail error; nothing was completed.
pub const FAILURE: u8 = 1;
/// Bad flags, bad configuration, or input that is not the declared format.
pub const USAGE: u8 = 2;
/// Partial success: the main work was done but some sources or records failed
/// (a source was unreachable, malformed records were skipped).
pub const PARTIAL: u8 = 3;
/// Another papertrend process holds the lock on this data directory.
pub const LOCKED: u8 = 4;

//! `papertrend man [--dir DIR]`: the man page, generated from the clap
//! definitions (so it never drifts from `--help`), as ripgrep and fd ship one.

use std::io::Write;

use clap::CommandFactory;

use crate::Outcome;
use crate::cli::{Cli, ManArgs};
use crate::error::{Error, Result};
use crate::exit;

/// Prints papertrend(1) as roff to stdout, or with `--dir` writes it and one
/// page per subcommand (`papertrend-search.1`, …) into that folder.
///
/// # Errors
/// Writing to stdout or to the folder failed.
pub fn run(args: &ManArgs) -> Result<Outcome> {
    let cmd = Cli::command();
    if let Some(dir) = &args.dir {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display(), e))?;
        clap_mangen::generate_to(cmd, dir).map_err(|e| Error::io(dir.display(), e))?;
        return Ok(Outcome::new(exit::OK));
    }
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut page)
        .map_err(|e| Error::io("stdout", e))?;
    let mut out = std::io::stdout().lock();
    out.write_all(&page)
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("stdout", e))?;
    Ok(Outcome::new(exit::OK))
}

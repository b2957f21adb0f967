//! The `papertrend` binary: parse arguments, run, map the result to an exit code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = papertrend::cli::Cli::parse();
    match papertrend::run(&cli) {
        Ok(outcome) => outcome.exit_code(),
        Err(err) => std::process::ExitCode::from(papertrend::error::report(&err)),
    }
}

//! The `papertrend` binary: parse arguments, run, map the result to an exit code.

use clap::Parser;

/// mimalloc instead of the system allocator: ingest allocates millions of
/// small strings on the main thread, and glibc keeps the writer's freed
/// buffers resident through the final merges, which map their inputs on
/// top (see "Levers tried" in BENCHMARKS.md).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = match papertrend::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return std::process::ExitCode::from(papertrend::error::report_clap(&err)),
    };
    match papertrend::run(&cli) {
        Ok(outcome) => outcome.exit_code(),
        Err(err) => std::process::ExitCode::from(papertrend::error::report(&err)),
    }
}

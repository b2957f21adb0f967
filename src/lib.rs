//! papertrend: ingest paper listings into a local tantivy index, rank what is
//! trending for one reader, render a daily digest and mail it.
//!
//! This library is internal to the `papertrend` binary and its benchmarks; it
//! has no semver guarantees. Data flows fetch → ingest → index → rank →
//! digest → mail; see ARCHITECTURE.md.

pub mod app;
pub mod cli;
pub mod clock;
pub mod cmd;
pub mod config;
pub mod cursor;
pub mod digest;
pub mod engine;
pub mod error;
pub mod exit;
pub mod fetch;
pub mod index;
pub mod ingest;
pub mod ledger;
pub mod mail;
pub mod marks;
pub mod output;
pub mod paper;
pub mod parallel;
pub mod pipeline;
pub mod profile;
pub mod rank;
pub mod sanitize;
pub mod state;
pub mod trends;
pub mod velocity;
pub mod words;
pub mod wrap;

#[cfg(test)]
mod test_rng;

use cli::{Cli, Command, ConfigAction};

/// How a successful command ended: its exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    code: u8,
}

impl Outcome {
    /// An outcome with one of the [`exit`] codes.
    pub fn new(code: u8) -> Self {
        Outcome { code }
    }

    /// The exit code.
    pub fn code(self) -> u8 {
        self.code
    }

    /// The process exit code.
    pub fn exit_code(self) -> std::process::ExitCode {
        std::process::ExitCode::from(self.code)
    }
}

/// Runs one command line.
///
/// # Errors
/// Any [`error::Error`]; `main` reports it and picks the exit code.
pub fn run(cli: &Cli) -> error::Result<Outcome> {
    if let Command::Completions(args) = &cli.command {
        use clap::CommandFactory;
        let mut cmd = Cli::command();
        clap_complete::generate(args.shell, &mut cmd, "papertrend", &mut std::io::stdout());
        return Ok(Outcome::new(exit::OK));
    }
    if let Command::Man(args) = &cli.command {
        return cmd::man::run(args);
    }
    let app = match &cli.command {
        // `config init` must work before the file it writes exists.
        Command::Config(c) if matches!(c.action, ConfigAction::Init | ConfigAction::Path) => {
            app::App::without_config(cli)?
        }
        _ => app::App::new(cli)?,
    };
    // The daily job without a config would print an empty digest every day.
    if matches!(cli.command, Command::Run(_)) && app.config_path.is_none() {
        let at = config::locate(cli.config.as_deref()).0.map_or_else(
            || "the config path".to_string(),
            |p| p.display().to_string(),
        );
        return Err(error::Error::Usage(format!(
            "no config at {at}; run `papertrend config init`"
        )));
    }
    match &cli.command {
        Command::Ingest(a) => cmd::ingest::run(&app, a),
        Command::Fetch(a) => cmd::fetch::run(&app, a),
        Command::Search(a) => cmd::search::run(&app, a),
        Command::Top(a) => cmd::top::run(&app, a),
        Command::Trends(a) => cmd::trends::run(&app, a),
        Command::Interests(a) => cmd::interests::run(&app, a),
        Command::Similar(a) => cmd::similar::run(&app, a),
        Command::Explain(a) => cmd::explain::run(&app, a),
        Command::Show(a) => cmd::show::run(&app, a),
        Command::Open(a) => cmd::open::run(&app, a),
        Command::Stats(a) => cmd::stats::run(&app, a),
        Command::Export(a) => cmd::export::run(&app, a),
        Command::Digest(a) => cmd::digest::run(&app, a),
        Command::Run(a) => cmd::run::run(&app, a),
        Command::Mail(a) => cmd::mail::run(&app, a),
        Command::Config(a) => cmd::config::run(&app, a),
        Command::Completions(_) | Command::Man(_) => Ok(Outcome::new(exit::OK)),
        Command::Mark(a) => cmd::mark::run(&app, a),
        Command::Unmark(a) => cmd::mark::unmark(&app, a),
        Command::Mute(a) => cmd::mute::run(&app, a),
        Command::Unmute(a) => cmd::mute::unmute(&app, a),
        Command::Marks(a) => cmd::marks::run(&app, a),
        Command::Review(a) => cmd::review::run(&app, a),
        Command::Doctor(a) => cmd::doctor::run(&app, a),
    }
}

//! `App`: the one place where flags, environment and the config file meet.
//!
//! Built once per process from the parsed [`Cli`] and passed by reference to
//! every command.

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::cli::{Cli, ColorChoice};
use crate::clock::Clock;
use crate::config::{self, Config};
use crate::error::{Error, Result};
use crate::index::Index;
use crate::state::DataDir;

/// Resolved runtime settings.
pub struct App {
    /// The configuration (defaults when no file exists).
    pub config: Config,
    /// The config file in use, if any.
    pub config_path: Option<PathBuf>,
    /// The data directory.
    pub data: DataDir,
    /// Where "now" comes from.
    pub clock: Clock,
    /// Whether to colour stdout.
    pub color: bool,
    /// Whether stdout is a terminal.
    pub stdout_tty: bool,
    /// The width terminal output is laid out for, in display columns:
    /// `--width`, else `COLUMNS`, else the terminal's, else 80.
    pub width: usize,
    /// Whether prose (`explain`, confirmations) is wrapped to `width`: on a
    /// terminal, or when `--width` or `COLUMNS` asks; to a pipe each
    /// statement stays one line, for `grep`.
    pub fit: bool,
    /// Whether stderr is a terminal (progress bars only then).
    pub stderr_tty: bool,
    /// -v count.
    pub verbose: u8,
    /// -q given.
    pub quiet: bool,
}

impl App {
    /// Resolves config, data dir, clock and terminal settings.
    ///
    /// # Errors
    /// A bad config file or a bad `PAPERTREND_NOW`.
    pub fn new(cli: &Cli) -> Result<App> {
        Self::build(cli, config::load(cli.config.as_deref())?)
    }

    /// Like [`App::new`] but without reading the config file (for
    /// `config init` and `config path`); `config_path` is the located path.
    ///
    /// # Errors
    /// A bad `PAPERTREND_NOW`, or no data directory.
    pub fn without_config(cli: &Cli) -> Result<App> {
        let (path, _) = config::locate(cli.config.as_deref());
        Self::build(
            cli,
            config::Loaded {
                config: Config::default(),
                path,
            },
        )
    }

    fn build(cli: &Cli, loaded: config::Loaded) -> Result<App> {
        let root = cli
            .data_dir
            .clone()
            .or_else(|| loaded.config.data_dir.clone())
            .or_else(config::default_data_dir)
            .ok_or_else(|| {
                Error::Usage("cannot find a data directory; pass --data-dir DIR".into())
            })?;
        let clock = Clock::from_env().map_err(Error::Usage)?;
        let stdout_tty = std::io::stdout().is_terminal();
        #[allow(clippy::disallowed_methods)] // app.rs is where the environment is read
        let columns = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<usize>().ok())
            .filter(|&c| c > 0);
        let width = crate::output::terminal_width(cli.width.or(columns), stdout_tty);
        let stderr_tty = std::io::stderr().is_terminal();
        // Messages on stderr wrap to a forced width, else to a terminal's;
        // to a pipe or a log they stay one line each.
        let stderr_width = cli.width.or(columns).or_else(|| {
            stderr_tty
                .then(|| terminal_size::terminal_size_of(std::io::stderr()))
                .flatten()
                .map(|(w, _)| usize::from(w.0))
        });
        crate::wrap::set_stderr_width(
            stderr_width.map(|w| w.clamp(crate::output::MIN_WIDTH, crate::output::MAX_WIDTH)),
        );
        let color = match cli.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => auto_color(stdout_tty),
        };
        Ok(App {
            config: loaded.config,
            config_path: loaded.path,
            data: DataDir::new(root),
            clock,
            color,
            stdout_tty,
            width,
            fit: stdout_tty || cli.width.or(columns).is_some(),
            stderr_tty,
            verbose: cli.verbose,
            quiet: cli.quiet,
        })
    }

    /// Opens the index for reading.
    ///
    /// # Errors
    /// When no index exists yet, or it cannot be opened.
    pub fn open_index(&self) -> Result<Index> {
        Ok(Index::open(&self.data.index(), false)?)
    }

    /// Opens (creating if needed) the index for writing.
    ///
    /// # Errors
    /// When it cannot be created or opened.
    pub fn open_index_for_write(&self) -> Result<Index> {
        Ok(Index::open(&self.data.index(), true)?)
    }

    /// The program that opens a URL for a person to see, if there is one:
    /// `$BROWSER`, else `open` on macOS, `explorer` on Windows, and
    /// `xdg-open` inside a graphical session (`DISPLAY` or
    /// `WAYLAND_DISPLAY` set). `None` over SSH without one, or from cron.
    pub fn url_opener(&self) -> Option<std::ffi::OsString> {
        #[allow(clippy::disallowed_methods)] // app.rs is where the environment is read
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        if let Some(browser) = var("BROWSER") {
            return Some(browser);
        }
        if cfg!(target_os = "macos") {
            Some("open".into())
        } else if cfg!(windows) {
            Some("explorer".into())
        } else if var("DISPLAY").is_some() || var("WAYLAND_DISPLAY").is_some() {
            Some("xdg-open".into())
        } else {
            None
        }
    }

    /// Confirms what a command did ("liked 3 papers"): on stdout when it is
    /// a terminal (unless `-q`), else only with `-v`, on stderr, so a pipe
    /// or a script gets nothing.
    pub fn confirm(&self, msg: &str) {
        if self.stdout_tty && !self.quiet {
            let msg = crate::sanitize::sanitize_terminal(msg);
            for line in crate::wrap::lines(&msg, self.text_width()) {
                println!("{line}");
            }
        } else {
            self.info(msg);
        }
    }

    /// The width prose is wrapped at: `width` when [`App::fit`], else
    /// unbounded (one line per statement).
    pub fn text_width(&self) -> usize {
        if self.fit { self.width } else { usize::MAX / 2 }
    }

    /// Prints a warning line to stderr (unless `-q`).
    pub fn warn(&self, msg: &str) {
        if !self.quiet {
            let msg = crate::error::plain_os_errors(msg);
            let msg = format!(
                "papertrend: warning: {}",
                crate::sanitize::sanitize_terminal(&msg)
            );
            eprintln!("{}", crate::wrap::for_stderr(&msg));
        }
    }

    /// Prints a line for a person watching: on stderr when it is a terminal
    /// or `-v` was given, never with `-q` (cron, whose stderr is no
    /// terminal, stays quiet).
    pub fn note(&self, msg: &str) {
        if (self.stderr_tty || self.verbose > 0) && !self.quiet {
            let msg = format!("papertrend: {}", crate::sanitize::sanitize_terminal(msg));
            eprintln!("{}", crate::wrap::for_stderr(&msg));
        }
    }

    /// Prints a progress/info line to stderr when `-v` was given.
    pub fn info(&self, msg: &str) {
        if self.verbose > 0 && !self.quiet {
            let msg = format!("papertrend: {}", crate::sanitize::sanitize_terminal(msg));
            eprintln!("{}", crate::wrap::for_stderr(&msg));
        }
    }
}

/// `--color auto`: colour on a terminal unless the environment says
/// otherwise, in the order anstream follows: `NO_COLOR` (not empty) turns
/// it off; else `CLICOLOR_FORCE` (not `0`) turns it on even into a pipe;
/// else `CLICOLOR=0` or `TERM=dumb` turn it off.
fn auto_color(stdout_tty: bool) -> bool {
    if anstyle_query::no_color() {
        return false;
    }
    if anstyle_query::clicolor_force() {
        return true;
    }
    stdout_tty && anstyle_query::clicolor() != Some(false) && anstyle_query::term_supports_color()
}

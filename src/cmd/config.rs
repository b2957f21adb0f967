//! `papertrend config init|check|path`

use std::io::Write;

use crate::Outcome;
use crate::app::App;
use crate::cli::{ConfigAction, ConfigArgs};
use crate::config;
use crate::error::{Error, Result};
use crate::exit;

/// Runs a config action.
///
/// # Errors
/// `init` when the file exists or cannot be written; `check` when an
/// enabled `file` source names a file that does not exist.
pub fn run(app: &App, args: &ConfigArgs) -> Result<Outcome> {
    let mut out = crate::sanitize::stdout();
    let io = |e: std::io::Error| Error::io("stdout", e);
    match args.action {
        ConfigAction::Path => {
            let shown = app
                .config_path
                .as_ref()
                .map_or_else(|| "(none)".to_string(), |p| p.display().to_string());
            writeln!(out, "{shown}").map_err(io)?;
        }
        ConfigAction::Check => {
            if let Some((name, path)) = app.config.missing_files().first() {
                let file = app
                    .config_path
                    .as_ref()
                    .map_or_else(|| "config".to_string(), |p| p.display().to_string());
                return Err(config::ConfigError::Invalid {
                    path: file,
                    line: None,
                    reason: format!("source {name:?}: {} does not exist", path.display()),
                    hint: Some(
                        "fix its `path` (relative paths start at the config file's folder), \
                         or set `enabled = false`"
                            .into(),
                    ),
                }
                .into());
            }
            // A source URL may carry credentials: every source URL (any
            // scheme, spaces and all) is redacted whole, as `fetch` redacts
            // it, before the config is shown.
            let mut shown = app.config.clone();
            redact_sources(&mut shown.sources);
            let text = toml::to_string(&shown)
                .map_err(|e| Error::Other(format!("cannot show config: {e}")))?;
            let text = crate::sanitize::redact_urls_in(&text);
            let from = app.config_path.as_ref().map_or_else(
                || "defaults (no config file)".to_string(),
                |p| p.display().to_string(),
            );
            writeln!(
                out,
                "# config: {from}\n# data dir: {}\n# mail password: {}\n{text}",
                app.data.root().display(),
                crate::mail::password_source(&app.config.mail)
            )
            .map_err(io)?;
        }
        ConfigAction::Init => {
            let path = app
                .config_path
                .clone()
                .or_else(config::default_config_path)
                .ok_or_else(|| {
                    Error::Usage("cannot find a config directory; pass --config FILE".into())
                })?;
            if path.exists() {
                return Err(Error::Usage(format!(
                    "{}: already exists; not overwriting",
                    path.display()
                )));
            }
            crate::state::write_atomic(&path, config::init_text().as_bytes())
                .map_err(|e| Error::io(path.display(), e))?;
            writeln!(
                out,
                "wrote {}\nnext: set your interests and uncomment a source in it, then run \
                 `papertrend config check`",
                path.display()
            )
            .map_err(io)?;
        }
    }
    Ok(Outcome::new(exit::OK))
}

/// Redacts every source URL with [`crate::sanitize::redact_url`].
fn redact_sources(sources: &mut [config::SourceConfig]) {
    use crate::sanitize::redact_url;
    for source in sources {
        let url = match source {
            config::SourceConfig::Url(s) => Some(&mut s.url),
            config::SourceConfig::HfDaily(s) => s.base_url.as_mut(),
            config::SourceConfig::ArxivApi(s) => s.base_url.as_mut(),
            config::SourceConfig::ArxivRss(s) => s.base_url.as_mut(),
            config::SourceConfig::File(_) => None,
        };
        if let Some(url) = url {
            *url = redact_url(url);
        }
    }
}

//! `papertrend config init|check|path`

use std::io::{BufRead, IsTerminal, Write};

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
/// enabled `file` source names a path that does not exist or cannot be read.
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
            if let Some((name, path, why)) = app.config.unusable_files().first() {
                let file = app
                    .config_path
                    .as_ref()
                    .map_or_else(|| "config".to_string(), |p| p.display().to_string());
                return Err(config::ConfigError::Invalid {
                    path: file,
                    line: None,
                    reason: format!("source {name:?}: {} {why}", path.display()),
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
            // A person at a terminal is asked; a script gets the template.
            let answers = if std::io::stdin().is_terminal() {
                ask(&path)?
            } else {
                config::Answers::default()
            };
            crate::state::write_atomic(&path, config::init_text_with(&answers).as_bytes())
                .map_err(|e| Error::io(path.display(), e))?;
            writeln!(out, "wrote {}\n{}", path.display(), next_steps(&answers)).map_err(io)?;
        }
    }
    Ok(Outcome::new(exit::OK))
}

/// What is left to edit after `config init`, given what was answered.
fn next_steps(a: &config::Answers) -> String {
    let mut todo = Vec::new();
    if a.keywords.is_empty() {
        todo.push(
            "[interests] keywords: what you want to read about, e.g. [\"retrieval\", \"agents\"]",
        );
    }
    if !a.hf_daily && a.arxiv_categories.is_empty() {
        todo.push(
            "[[sources]]: uncomment one (hf-daily: Hugging Face's daily papers; \
             arxiv-rss: an arXiv category)",
        );
    }
    todo.push("[mail]: host, login and `enabled = true` to get the digest by e-mail");
    let mut text = String::from("next, edit it:\n");
    for t in todo {
        text.push_str(&format!("  {t}\n"));
    }
    text.push_str("then `papertrend config check`, and `papertrend run` (daily, from cron)");
    text
}

/// Asks the reader for interests, a recipient and sources, on stderr.
fn ask(path: &std::path::Path) -> Result<config::Answers> {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut prompt = |q: &str| -> Result<String> {
        eprint!("{q} ");
        std::io::stderr()
            .flush()
            .map_err(|e| Error::io("stderr", e))?;
        match lines.next() {
            Some(line) => line
                .map(|l| l.trim().to_string())
                .map_err(|e| Error::io("stdin", e)),
            None => Ok(String::new()),
        }
    };
    eprintln!(
        "Writing {}; empty answers keep the defaults.",
        path.display()
    );
    let keywords = prompt("Interests, comma-separated (e.g. retrieval, world models):")?
        .split(',')
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty())
        .collect();
    let to = prompt("Mail the digest to (an address; empty: print it instead):")?;
    let hf = prompt("Follow Hugging Face's daily papers? [Y/n]:")?;
    let cats = prompt("arXiv categories to follow, comma-separated (e.g. cs.CL; empty: none):")?;
    let mut arxiv_categories = Vec::new();
    for c in cats.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        if config::is_arxiv_category(c) {
            arxiv_categories.push(c.to_string());
        } else {
            eprintln!("papertrend: skipping {c:?}: not an arXiv category like cs.CL");
        }
    }
    Ok(config::Answers {
        keywords,
        mail_to: (!to.is_empty()).then_some(to),
        hf_daily: !matches!(hf.to_ascii_lowercase().as_str(), "n" | "no"),
        arxiv_categories,
    })
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

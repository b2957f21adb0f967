//! The configuration file: its shape, defaults, lookup and validation.
//!
//! Lookup order: `--config FILE`, then `$PAPERTREND_CONFIG`, then
//! `$XDG_CONFIG_HOME/papertrend/config.toml`. Without any file the defaults
//! apply (no interests, no sources, e-mail off). Every table denies unknown
//! keys, and errors name the key and the file. Relative paths resolve against
//! the folder of the config file. Loading never writes anything.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::clock::Span;
use crate::ingest::Format;

/// The environment variable naming the config file.
pub const CONFIG_ENV: &str = "PAPERTREND_CONFIG";

/// The documented reference configuration, embedded for `config init`.
pub const EXAMPLE: &str = include_str!("../config.example.toml");

/// A configuration problem, worded for the user.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{path}: {reason}")]
    Read {
        /// The config file.
        path: String,
        /// Why.
        reason: String,
    },
    /// The file is not valid TOML or has a bad key or value.
    #[error("{path}{}: {reason}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Invalid {
        /// The config file.
        path: String,
        /// The line, when known.
        line: Option<usize>,
        /// What is wrong, naming the key.
        reason: String,
        /// A suggestion, e.g. the key the user probably meant.
        hint: Option<String>,
    },
}

impl ConfigError {
    /// A suggestion to print after the error.
    pub fn hint(&self) -> Option<String> {
        match self {
            ConfigError::Invalid { hint, .. } => hint.clone(),
            ConfigError::Read { .. } => None,
        }
    }
}

/// The whole configuration file.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Where the index and state live. Default: `$XDG_DATA_HOME/papertrend`.
    pub data_dir: Option<PathBuf>,
    /// Ingest tuning.
    pub ingest: IngestConfig,
    /// Search defaults.
    pub search: SearchConfig,
    /// What the reader cares about.
    pub interests: Interests,
    /// Ranking weights.
    pub rank: RankConfig,
    /// Trend detection.
    pub trends: TrendsConfig,
    /// Where papers come from (`run` and `fetch`).
    pub sources: Vec<SourceConfig>,
}

/// `[ingest]`: how ingest writes the index.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IngestConfig {
    /// How many records go into one commit. Default 50 000. An interrupted
    /// ingest loses at most this many records' work.
    pub batch_size: usize,
    /// Index writer memory budget in MiB. Default 256.
    pub writer_memory_mb: usize,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            batch_size: 50_000,
            writer_memory_mb: 256,
        }
    }
}

/// `[search]`: defaults for `search`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    /// How many results by default. Default 10.
    pub limit: usize,
    /// How much a title match outweighs an abstract match in BM25. Default 1.1
    /// (tuned on the SciFact train split; see the README).
    pub title_boost: f32,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            limit: 10,
            title_boost: 1.1,
        }
    }
}

/// `[interests]`: the reader's keywords, phrases and follows.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Interests {
    /// Keywords and phrases with weights (`"in-context learning" = 3.0`).
    pub keywords: BTreeMap<String, f32>,
    /// Terms that demote a paper by their weight (`survey = 1.0`).
    pub negative: BTreeMap<String, f32>,
    /// Terms that remove a paper from `top` and the digest.
    pub exclude: Vec<String>,
    /// Categories to follow (`cs.CL`); a paper in one gets `rank.category_bonus`.
    pub categories: Vec<String>,
    /// Authors to follow; a paper by one gets `rank.author_bonus`.
    pub authors: Vec<String>,
}

/// `[rank]`: the weights of the trending formula (see the README).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RankConfig {
    /// Multiplier of a keyword's weight when it matches the title. Default 2.0.
    pub title_weight: f32,
    /// Multiplier of a keyword's weight when it matches the abstract. Default 1.0.
    pub abstract_weight: f32,
    /// Age at which freshness halves. Default `7d`.
    pub half_life: Span,
    /// Weight of the popularity part. Default 1.0.
    pub popularity_weight: f32,
    /// Weight of log(1 + upvotes) within popularity. Default 1.0.
    pub upvotes_weight: f32,
    /// Weight of log(1 + comments) within popularity. Default 0.5.
    pub comments_weight: f32,
    /// Weight of log(1 + GitHub stars) within popularity. Default 0.3.
    pub stars_weight: f32,
    /// Added to popularity when the paper ships code. Default 0.5.
    pub code_bonus: f32,
    /// Weight of the momentum part. Default 1.0.
    pub momentum_weight: f32,
    /// Added for a followed category. Default 1.0.
    pub category_bonus: f32,
    /// Added for a followed author. Default 2.0.
    pub author_bonus: f32,
    /// Default window for `top`. Default `7d`.
    pub window: Span,
}

impl Default for RankConfig {
    fn default() -> Self {
        let day = |n: i64| Span(jiff::SignedDuration::from_hours(24 * n));
        RankConfig {
            title_weight: 2.0,
            abstract_weight: 1.0,
            half_life: day(7),
            popularity_weight: 1.0,
            upvotes_weight: 1.0,
            comments_weight: 0.5,
            stars_weight: 0.3,
            code_bonus: 0.5,
            momentum_weight: 1.0,
            category_bonus: 1.0,
            author_bonus: 2.0,
            window: day(7),
        }
    }
}

/// `[trends]`: rising-topic detection.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrendsConfig {
    /// The recent window. Default `7d`.
    pub window: Span,
    /// The baseline window before it. Default `8w`.
    pub baseline: Span,
    /// How many rising topics to keep. Default 10.
    pub limit: usize,
    /// A topic needs at least this many papers in the window. Default 3.
    pub min_count: usize,
}

impl Default for TrendsConfig {
    fn default() -> Self {
        let day = |n: i64| Span(jiff::SignedDuration::from_hours(24 * n));
        TrendsConfig {
            window: day(7),
            baseline: day(56),
            limit: 10,
            min_count: 3,
        }
    }
}

/// The kind of a `[[sources]]` entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// A local file (or several, via a glob-free list).
    File,
    /// Any URL serving a supported format.
    Url,
    /// The Hugging Face `daily_papers` API, by date.
    HfDaily,
    /// An arXiv API search query, paged.
    ArxivApi,
    /// An arXiv RSS category feed.
    ArxivRss,
}

/// One `[[sources]]` entry.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    /// Name used in messages and `fetch NAME`.
    pub name: String,
    /// What kind of source this is.
    pub kind: SourceKind,
    /// For `file`: the path (relative to the config file's folder).
    #[serde(default)]
    pub path: Option<PathBuf>,
    /// For `url`: the address.
    #[serde(default)]
    pub url: Option<String>,
    /// Format of the file or URL. Default `auto`.
    #[serde(default = "default_format")]
    pub format: Format,
    /// For `hf-daily`, `arxiv-api`, `arxiv-rss`: the service's base URL.
    #[serde(default)]
    pub base_url: Option<String>,
    /// For `arxiv-api`: the search query (`cat:cs.CL AND abs:retrieval`).
    #[serde(default)]
    pub query: Option<String>,
    /// For `arxiv-rss`: the category (`cs.CL`).
    #[serde(default)]
    pub category: Option<String>,
    /// Whether this source is used. Default true.
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn default_format() -> Format {
    Format::Auto
}

fn yes() -> bool {
    true
}

/// A loaded configuration and where it came from.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The parsed configuration, with relative paths resolved.
    pub config: Config,
    /// The file it was read from; `None` when defaults are used.
    pub path: Option<PathBuf>,
}

/// Where the config file is looked for, given `--config`.
pub fn locate(flag: Option<&Path>) -> (Option<PathBuf>, bool) {
    if let Some(p) = flag {
        return (Some(p.to_path_buf()), true);
    }
    if let Ok(p) = std::env::var(CONFIG_ENV)
        && !p.trim().is_empty()
    {
        return (Some(PathBuf::from(p)), true);
    }
    (default_config_path(), false)
}

/// `$XDG_CONFIG_HOME/papertrend/config.toml` (or the platform equivalent).
pub fn default_config_path() -> Option<PathBuf> {
    use etcetera::BaseStrategy;
    etcetera::choose_base_strategy()
        .ok()
        .map(|s| s.config_dir().join("papertrend").join("config.toml"))
}

/// `$XDG_DATA_HOME/papertrend` (or the platform equivalent).
pub fn default_data_dir() -> Option<PathBuf> {
    use etcetera::BaseStrategy;
    etcetera::choose_base_strategy()
        .ok()
        .map(|s| s.data_dir().join("papertrend"))
}

/// Loads the configuration following the lookup order.
///
/// A file named explicitly (flag or environment) must exist; the default
/// location is optional.
///
/// # Errors
/// [`ConfigError`] naming the file, line and key.
pub fn load(flag: Option<&Path>) -> Result<Loaded, ConfigError> {
    let (path, explicit) = locate(flag);
    let Some(path) = path else {
        return Ok(Loaded {
            config: Config::default(),
            path: None,
        });
    };
    if !explicit && !path.exists() {
        return Ok(Loaded {
            config: Config::default(),
            path: None,
        });
    }
    let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::Read {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    let mut config = parse(&text, &path.display().to_string())?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    config.resolve_paths(&base);
    Ok(Loaded {
        config,
        path: Some(path),
    })
}

/// Parses and validates config text; `name` is used in messages.
///
/// # Errors
/// [`ConfigError::Invalid`] with the line and the key at fault.
pub fn parse(text: &str, name: &str) -> Result<Config, ConfigError> {
    let config: Config = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].lines().count().max(1));
        let msg = e.message().trim().to_string();
        ConfigError::Invalid {
            path: name.to_string(),
            line,
            hint: suggest(&msg),
            reason: msg,
        }
    })?;
    config.validate(name)?;
    Ok(config)
}

/// For "unknown field `x`, expected one of `a`, `b`", the closest expected key.
fn suggest(msg: &str) -> Option<String> {
    let rest = msg.strip_prefix("unknown field `")?;
    let (bad, expected) = rest.split_once('`')?;
    let best = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|k| (edit_distance(bad, k), k))
        .min()?;
    (best.0 <= 3).then(|| format!("did you mean `{}`?", best.1))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

impl Config {
    fn resolve_paths(&mut self, base: &Path) {
        let fix = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        if let Some(d) = self.data_dir.as_mut() {
            fix(d);
        }
        for s in &mut self.sources {
            if let Some(p) = s.path.as_mut() {
                fix(p);
            }
        }
    }

    fn validate(&self, name: &str) -> Result<(), ConfigError> {
        let bad = |reason: String| ConfigError::Invalid {
            path: name.into(),
            line: None,
            reason,
            hint: None,
        };
        if self.ingest.batch_size == 0 {
            return Err(bad("`ingest.batch_size` must be at least 1".into()));
        }
        if self.ingest.writer_memory_mb < 16 {
            return Err(bad("`ingest.writer_memory_mb` must be at least 16".into()));
        }
        if self.rank.half_life.seconds() <= 0 {
            return Err(bad("`rank.half_life` must be positive".into()));
        }
        for (k, w) in self
            .interests
            .keywords
            .iter()
            .chain(&self.interests.negative)
        {
            if !w.is_finite() {
                return Err(bad(format!(
                    "interest weight for {k:?} must be a finite number"
                )));
            }
        }
        let mut names = std::collections::HashSet::new();
        for s in &self.sources {
            if !names.insert(s.name.as_str()) {
                return Err(bad(format!("two `[[sources]]` are named {:?}", s.name)));
            }
            let need = |field: bool, key: &str| {
                if field {
                    Ok(())
                } else {
                    Err(bad(format!(
                        "source {:?} (kind {:?}) needs `{key}`",
                        s.name, s.kind
                    )))
                }
            };
            match s.kind {
                SourceKind::File => need(s.path.is_some(), "path")?,
                SourceKind::Url => need(s.url.is_some(), "url")?,
                SourceKind::ArxivApi => need(s.query.is_some(), "query")?,
                SourceKind::ArxivRss => need(s.category.is_some(), "category")?,
                SourceKind::HfDaily => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_config_loads_through_the_real_loader() {
        let config = parse(EXAMPLE, "config.example.toml").unwrap();
        assert!(!config.interests.keywords.is_empty());
        assert!(!config.sources.is_empty());
    }

    #[test]
    fn unknown_keys_are_named_with_a_suggestion() {
        let err = parse("[intrests]\nkeywords = {}\n", "c.toml").unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with("c.toml:1: unknown field `intrests`"),
            "{msg}"
        );
        assert_eq!(err.hint().as_deref(), Some("did you mean `interests`?"));
    }

    #[test]
    fn bad_values_name_the_key() {
        let err = parse("[rank]\nhalf_life = \"7 days\"\n", "c.toml").unwrap_err();
        assert!(err.to_string().contains("c.toml:2"), "{err}");
        let err = parse("[[sources]]\nname = \"a\"\nkind = \"file\"\n", "c.toml").unwrap_err();
        assert!(err.to_string().contains("needs `path`"), "{err}");
    }
}

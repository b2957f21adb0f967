//! The configuration file: its shape, defaults, lookup and validation.
//!
//! Lookup order: `--config FILE`, then `$PAPERTREND_CONFIG`, then
//! `$XDG_CONFIG_HOME/papertrend/config.toml`. Without any file the defaults
//! apply (no interests, no sources, e-mail off). Every table denies unknown
//! keys, and errors name the key and the file. Relative paths resolve against
//! the folder of the config file. Loading never writes anything.
//!
//! One file per table: its struct, defaults, documentation and validation
//! side by side (`search.rs` is `[search]`, …; `[[sources]]`, one struct per
//! kind, are in `sources.rs`), so a key is added or changed in one place
//! (and `config.example.toml` beside it). This file holds the whole
//! `Config`, the lookup and loading, the error wording, the bounds of every
//! count ([`LIMITS`]) and the order in which the tables are checked.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

mod digest;
mod fetch;
mod ingest;
mod init;
mod interests;
mod mail;
mod rank;
mod search;
mod sources;
mod trends;

pub use digest::{DigestConfig, DigestFormat, Teaser};
pub use fetch::FetchConfig;
pub use ingest::IngestConfig;
pub use init::{Answers, init_text, init_text_with, is_arxiv_category};
pub use interests::Interests;
pub use mail::{MailConfig, Security, is_loopback_host};
pub use rank::RankConfig;
pub use search::{MAX_LIMIT, SearchConfig};
pub use trends::TrendsConfig;

pub use sources::{
    ARXIV_DELAY, ArxivApiSource, ArxivRssSource, CATCH_UP_DAYS, FileSource, HfDailySource,
    MAX_PAGES, PAGE_SIZE, SourceConfig, SourceKind, UrlSource,
};

/// The environment variable naming the config file.
pub const CONFIG_ENV: &str = "PAPERTREND_CONFIG";

/// The documented reference configuration and demo, embedded for
/// `config init` (which writes [`init_text`], without the demo's parts).
pub const EXAMPLE: &str = include_str!("../../config.example.toml");

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
    /// HTTP behaviour of `fetch` (timeouts, retries, politeness).
    pub fetch: FetchConfig,
    /// The daily digest.
    pub digest: DigestConfig,
    /// Sending the digest by e-mail.
    pub mail: MailConfig,
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
    #[allow(clippy::disallowed_methods)] // the documented config lookup
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
    let in_file = |p: Problem| p.in_file(text, name);
    let mut doc = toml::de::DeTable::parse(text).map_err(|e| in_file(e.into()))?;
    // `[[sources]]` are read apart, table by table, so that their errors
    // keep their lines (see `sources`).
    let listed = doc.get_mut().remove("sources");
    let mut config =
        Config::deserialize(toml::de::Deserializer::from(doc)).map_err(|e| in_file(e.into()))?;
    if let Some(listed) = listed {
        config.sources = sources::read(listed).map_err(in_file)?;
    }
    config.validate(name)?;
    Ok(config)
}

/// What is wrong where in the text, before it is worded as a [`ConfigError`].
#[derive(Debug)]
struct Problem {
    /// Bytes of the text at fault, when known.
    span: Option<std::ops::Range<usize>>,
    reason: String,
    hint: Option<String>,
}

impl Problem {
    fn at(span: std::ops::Range<usize>, reason: String) -> Self {
        Problem {
            span: Some(span),
            reason,
            hint: None,
        }
    }

    fn in_file(self, text: &str, name: &str) -> ConfigError {
        // 1-based: the newlines before the span, plus one.
        let line = self.span.map(|s| {
            text.as_bytes()[..s.start.min(text.len())]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1
        });
        ConfigError::Invalid {
            path: name.to_string(),
            line,
            reason: self.reason,
            hint: self.hint,
        }
    }
}

impl From<toml::de::Error> for Problem {
    fn from(e: toml::de::Error) -> Self {
        let reason = crate::words::type_words(e.message().trim());
        Problem {
            span: e.span(),
            hint: suggest(&reason),
            reason,
        }
    }
}

/// For "unknown field (or variant) `x`, expected one of `a`, `b`", the
/// closest expected name.
fn suggest(msg: &str) -> Option<String> {
    let rest = msg
        .strip_prefix("unknown field `")
        .or_else(|| msg.strip_prefix("unknown variant `"))?;
    let (bad, expected) = rest.split_once('`')?;
    closest(bad, expected.split('`').skip(1).step_by(2))
}

/// "did you mean `x`?" for the candidate within 3 edits of `bad`, if any.
fn closest<'a>(bad: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let best = candidates.map(|k| (strsim::levenshtein(bad, k), k)).min()?;
    (best.0 <= 3).then(|| format!("did you mean `{}`?", best.1))
}

impl Config {
    /// How long before papertrend could first see it a paper may have
    /// become visible and still be news for a digest: the longest catch-up
    /// of an enabled `hf-daily` source (7 days by default) plus a day for
    /// the run that fetches it. A digest is news: see `rank::Window::news`.
    pub fn news_horizon(&self) -> jiff::SignedDuration {
        let days = self
            .sources
            .iter()
            .filter(|s| s.enabled())
            .filter_map(|s| match s {
                SourceConfig::HfDaily(h) => Some(h.catch_up_days),
                _ => None,
            })
            .fold(sources::CATCH_UP_DAYS, u32::max);
        jiff::SignedDuration::from_hours(24 * (i64::from(days) + 1))
    }

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
            if let SourceConfig::File(f) = s {
                fix(&mut f.path);
            }
        }
        for p in [
            self.digest.templates_dir.as_mut(),
            self.digest.out.as_mut(),
            self.digest.feed.as_mut(),
            self.mail.ca_file.as_mut(),
        ]
        .into_iter()
        .flatten()
        {
            fix(p);
        }
    }

    /// Checks every table, in this order: the counts ([`LIMITS`]), then
    /// `[search]`, `[rank]`, `[interests]`, `[fetch]`, `[digest]`,
    /// `[trends]` and `[mail]`; the first problem is the error.
    fn validate(&self, name: &str) -> Result<(), ConfigError> {
        let bad = |reason: String| ConfigError::Invalid {
            path: name.into(),
            line: None,
            reason,
            hint: None,
        };
        self.validate_limits().map_err(bad)?;
        self.search.validate().map_err(bad)?;
        self.rank.validate().map_err(bad)?;
        self.interests.validate().map_err(bad)?;
        self.fetch.validate().map_err(bad)?;
        self.digest.validate().map_err(bad)?;
        self.trends.validate().map_err(bad)?;
        self.mail.validate().map_err(bad)?;
        Ok(())
    }
}

/// The largest value each count in the config may take, so a typo
/// (`digest.limit = 4294967296000`) is a clear error instead of an aborted
/// run. `(key, least, most)`; documented in config.example.toml.
pub const LIMITS: &[(&str, u64, u64)] = &[
    ("ingest.batch_size", 1, 10_000_000),
    ("ingest.writer_memory_mb", 16, 4_000),
    ("search.limit", 1, MAX_LIMIT as u64),
    ("trends.limit", 1, 1_000),
    ("trends.min_count", 1, 1_000_000),
    ("digest.limit", 1, 1_000),
    ("digest.include_abstract_chars", 0, 100_000),
    ("digest.max_authors", 1, 1_000),
    ("digest.topics", 0, 100),
    ("digest.also_popular", 0, 100),
    ("digest.catch_up_limit", 1, 1_000),
    ("digest.feed_digests", 1, 1_000),
    ("fetch.retries", 0, 20),
    ("fetch.concurrency", 1, 64),
    ("sources.page_size", 1, 2_000),
    ("sources.max_pages", 1, 1_000),
    ("sources.catch_up_days", 1, 366),
];

/// The `(least, most)` of a key of [`LIMITS`]; any `u64` for another key.
fn range_of(key: &str) -> (u64, u64) {
    LIMITS
        .iter()
        .find(|l| l.0 == key)
        .map_or((0, u64::MAX), |&(_, least, most)| (least, most))
}

impl Config {
    /// Checks every count against [`LIMITS`].
    fn validate_limits(&self) -> Result<(), String> {
        let as_u64 = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
        let values = [
            ("ingest.batch_size", as_u64(self.ingest.batch_size)),
            (
                "ingest.writer_memory_mb",
                as_u64(self.ingest.writer_memory_mb),
            ),
            ("search.limit", as_u64(self.search.limit)),
            ("trends.limit", as_u64(self.trends.limit)),
            ("trends.min_count", as_u64(self.trends.min_count)),
            ("digest.limit", as_u64(self.digest.limit)),
            (
                "digest.include_abstract_chars",
                as_u64(self.digest.include_abstract_chars),
            ),
            ("digest.max_authors", as_u64(self.digest.max_authors)),
            ("digest.topics", as_u64(self.digest.topics)),
            ("digest.also_popular", as_u64(self.digest.also_popular)),
            ("digest.catch_up_limit", as_u64(self.digest.catch_up_limit)),
            ("digest.feed_digests", as_u64(self.digest.feed_digests)),
            ("fetch.retries", u64::from(self.fetch.retries)),
            ("fetch.concurrency", as_u64(self.fetch.concurrency)),
        ];
        for (key, value) in values {
            let (least, most) = range_of(key);
            if !(least..=most).contains(&value) {
                return Err(format!(
                    "`{key}` is {value}; it must be between {least} and {most}"
                ));
            }
        }
        Ok(())
    }

    /// The enabled `file` sources whose path cannot be used, as `(name,
    /// path, why)`: it does not exist, or the file cannot be opened or the
    /// folder listed. `config check` reports them, since an unusable local
    /// path is a mistake in the config, not a failure that fixes itself.
    pub fn unusable_files(&self) -> Vec<(&str, &Path, String)> {
        self.sources
            .iter()
            .filter_map(|s| match s {
                SourceConfig::File(f) if f.enabled => sources::path_problem(&f.path)
                    .map(|why| (f.name.as_str(), f.path.as_path(), why)),
                _ => None,
            })
            .collect()
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
    fn r18_keywords_may_be_a_list() {
        // See: #18
        let c = parse(
            "[interests]\nkeywords = [\"reasoning\", \"agents\"]\nnegative = [\"survey\"]\n",
            "c.toml",
        )
        .unwrap();
        assert_eq!(c.interests.keywords.get("agents"), Some(&1.0));
        assert_eq!(c.interests.keywords.len(), 2);
        assert_eq!(c.interests.negative.get("survey"), Some(&1.0));
        let c = parse("[interests]\nkeywords = { agents = 2.5 }\n", "c.toml").unwrap();
        assert_eq!(c.interests.keywords.get("agents"), Some(&2.5));
        let err = parse("[interests]\nkeywords = \"agents\"\n", "c.toml").unwrap_err();
        assert!(
            err.to_string().contains("a list of terms or a table"),
            "{err}"
        );
    }

    #[test]
    fn r18_nan_weights_and_huge_limits_are_refused() {
        // See: #18
        let err = parse("[search]\ntitle_boost = nan\n", "c.toml").unwrap_err();
        assert!(
            err.to_string().contains("`search.title_boost` is NaN"),
            "{err}"
        );
        let err = parse("[rank]\nauthor_bonus = inf\n", "c.toml").unwrap_err();
        assert!(err.to_string().contains("rank.author_bonus"), "{err}");
        let err = parse("[interests]\nkeywords = { a = -inf }\n", "c.toml").unwrap_err();
        assert!(err.to_string().contains("finite"), "{err}");
        let err = parse("[digest]\nlimit = 4294967296000\n", "c.toml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "c.toml: `digest.limit` is 4294967296000; it must be between 1 and 1000"
        );
        let err = parse("[fetch]\nconcurrency = 0\n", "c.toml").unwrap_err();
        assert!(err.to_string().contains("between 1 and 64"), "{err}");
        parse("[digest]\nlimit = 1000\n", "c.toml").unwrap();
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
    fn r20_a_key_at_the_start_of_a_line_is_on_that_line() {
        // See: #20
        let err = parse("[search]\nlimt = 3\n", "c.toml").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("c.toml:2: unknown field `limt`"),
            "{err}"
        );
        assert_eq!(err.hint().as_deref(), Some("did you mean `limit`?"));
        let err = parse("\n[digest]\nformat = \"mdd\"\n", "c.toml").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("c.toml:3: unknown variant `mdd`"),
            "{err}"
        );
        assert_eq!(err.hint().as_deref(), Some("did you mean `md`?"));
    }

    #[test]
    fn mail_security_none_is_loopback_only() {
        let err = parse(
            "[mail]\nhost = \"smtp.example.org\"\nsecurity = \"none\"\n",
            "c.toml",
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("only allowed for a relay on loopback"),
            "{err}"
        );
        parse(
            "[mail]\nhost = \"127.0.0.1\"\nsecurity = \"none\"\n",
            "c.toml",
        )
        .unwrap();
        let err = parse("[digest]\ntimezone = \"Mars/Olympus\"\n", "c.toml").unwrap_err();
        assert!(err.to_string().contains("digest.timezone"), "{err}");
    }

    #[test]
    fn bad_values_name_the_key() {
        let err = parse("[rank]\nhalf_life = \"7 days\"\n", "c.toml").unwrap_err();
        assert!(err.to_string().contains("c.toml:2"), "{err}");
        let err = parse("[[sources]]\nname = \"a\"\nkind = \"file\"\n", "c.toml").unwrap_err();
        assert!(err.to_string().contains("needs `path`"), "{err}");
    }
}

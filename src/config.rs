//! The configuration file: its shape, defaults, lookup and validation.
//!
//! Lookup order: `--config FILE`, then `$PAPERTREND_CONFIG`, then
//! `$XDG_CONFIG_HOME/papertrend/config.toml`. Without any file the defaults
//! apply (no interests, no sources, e-mail off). Every table denies unknown
//! keys, and errors name the key and the file. Relative paths resolve against
//! the folder of the config file. Loading never writes anything.
//!
//! Why one long file: every key's type, default, documentation and
//! validation live together here, so a key is added or changed in one place
//! (and `config.example.toml` beside it). `[[sources]]`, one struct per
//! kind, are in `config/sources.rs`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::clock::Span;

mod init;
mod sources;

pub use init::{Answers, init_text, init_text_with, is_arxiv_category};

pub use sources::{
    ARXIV_DELAY, ArxivApiSource, ArxivRssSource, CATCH_UP_DAYS, FileSource, HfDailySource,
    MAX_PAGES, PAGE_SIZE, SourceConfig, SourceKind, UrlSource,
};

/// The environment variable naming the config file.
pub const CONFIG_ENV: &str = "PAPERTREND_CONFIG";

/// The documented reference configuration and demo, embedded for
/// `config init` (which writes [`init_text`], without the demo's parts).
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
    /// HTTP behaviour of `fetch` (timeouts, retries, politeness).
    pub fetch: FetchConfig,
    /// The daily digest.
    pub digest: DigestConfig,
    /// Sending the digest by e-mail.
    pub mail: MailConfig,
}

/// `[fetch]`: how `fetch` and `run` talk to HTTP sources.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FetchConfig {
    /// Longest time one request may take, body included. Default `60s`.
    pub timeout: Span,
    /// Longest time to establish a connection. Default `10s`.
    pub connect_timeout: Span,
    /// Longest silence while reading a response. Default `30s`.
    pub read_timeout: Span,
    /// How many times a request is retried after a 429, a 5xx, a timeout or
    /// a refused connection. Default 2 (so at most 3 attempts).
    pub retries: u32,
    /// The first wait before a retry; it doubles per attempt, with jitter.
    /// Default `1s`.
    pub backoff: Span,
    /// The longest wait before a retry. A `Retry-After` longer than this
    /// gives up until the next run instead of stalling it. Default `60s`.
    pub max_backoff: Span,
    /// How many sources are fetched at the same time. Default 4.
    pub concurrency: usize,
    /// Contact appended to the User-Agent (`mailto:you@example.org`), so
    /// operators can reach you instead of blocking you. Default none.
    pub contact: Option<String>,
}

impl Default for FetchConfig {
    fn default() -> Self {
        let secs = |n: i64| Span(jiff::SignedDuration::from_secs(n));
        FetchConfig {
            timeout: secs(60),
            connect_timeout: secs(10),
            read_timeout: secs(30),
            retries: 2,
            backoff: secs(1),
            max_backoff: secs(60),
            concurrency: 4,
            contact: None,
        }
    }
}

/// `[ingest]`: how ingest writes the index.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IngestConfig {
    /// How many records go into one commit. Default 400 000 (about a
    /// minute of a bulk import; a daily ingest is one commit). An
    /// interrupted ingest loses at most this many records' work.
    pub batch_size: usize,
    /// Index writer memory budget in MiB. Default 512: with two indexing
    /// threads, segments of about 200 000 papers, which a bulk import need
    /// not merge. Used only as a large import needs it.
    pub writer_memory_mb: usize,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            batch_size: 400_000,
            writer_memory_mb: 512,
        }
    }
}

/// `[search]`: defaults for `search`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    /// How many results by default. Default 10, at most [`MAX_LIMIT`].
    pub limit: usize,
    /// How much a title occurrence of a query word outweighs one in the
    /// abstract (BM25F field weight; the abstract's is 1). Default 2.5
    /// (tuned on the SciFact train split; see docs/search.md).
    pub title_boost: f32,
    /// BM25F term-frequency saturation. Default 1.2.
    pub k1: f32,
    /// BM25F length normalisation, 0 (none) to 1 (full). Default 0.75.
    pub b: f32,
    /// Whether English stop words (`the`, `of`, `is`, …) are dropped from
    /// queries searched as words. Default true.
    pub stop_words: bool,
    /// Pseudo-relevance feedback (RM3): how many top results expand a query
    /// searched as words; 0 turns it off. Default 0.
    pub feedback_docs: usize,
    /// RM3: how many expansion terms are added. Default 10.
    pub feedback_terms: usize,
    /// RM3: the weight of the original query against the expansion terms,
    /// 0 to 1. Default 0.5.
    pub feedback_weight: f32,
    /// Weight of the bonus for words next to each other in the query that
    /// are near each other in a paper (0 turns it off). Default 0.
    pub proximity: f32,
    /// How many words apart counts as near. Default 3.
    pub proximity_window: u32,
    /// How many top results the proximity bonus reorders. Default 50.
    pub proximity_depth: usize,
    /// How many candidates BM25F reranks: the top N (at least `--limit`) by
    /// a BM25 per field, summed (tantivy's block-max WAND, fast on large
    /// indexes). 0: BM25F ranks every match (exact, slower). Default 30.
    pub candidates: usize,
    /// Whether papers holding the words of a query (two or more, searched
    /// as words) in a row rank above every paper that does not. Default
    /// true.
    pub phrase: bool,
    /// How a hyphenated query word ("in-context") is searched: `parts`
    /// (its words, stop words included), `compound` (the word joined, as
    /// the index also holds it) or `both`. Default `parts`.
    pub hyphenated: crate::index::Hyphenated,
}

/// The largest `--limit` (and `search.limit`) any command accepts.
pub const MAX_LIMIT: usize = 10_000;

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            limit: 10,
            title_boost: 2.5,
            k1: 1.2,
            b: 0.75,
            stop_words: true,
            feedback_docs: 0,
            feedback_terms: 10,
            feedback_weight: 0.5,
            proximity: 0.0,
            proximity_window: 3,
            proximity_depth: 50,
            candidates: 30,
            phrase: true,
            hyphenated: crate::index::Hyphenated::Parts,
        }
    }
}

impl SearchConfig {
    /// The scoring part, as the index takes it.
    pub fn scoring(&self) -> crate::index::Scoring {
        crate::index::Scoring {
            k1: self.k1,
            b: self.b,
            stop_words: self.stop_words,
            feedback_docs: self.feedback_docs,
            feedback_terms: self.feedback_terms,
            feedback_weight: self.feedback_weight,
            proximity: self.proximity,
            proximity_window: self.proximity_window,
            proximity_depth: self.proximity_depth,
            candidates: self.candidates,
            phrase: self.phrase,
            hyphenated: self.hyphenated,
        }
    }

    fn validate(&self) -> Result<(), String> {
        if self.limit == 0 || self.limit > MAX_LIMIT {
            return Err(format!("`search.limit` must be 1 to {MAX_LIMIT}"));
        }
        if !(self.title_boost.is_finite() && self.title_boost > 0.0) {
            return Err("`search.title_boost` must be a positive number".into());
        }
        if !(self.k1.is_finite() && self.k1 >= 0.0) {
            return Err("`search.k1` must be a number >= 0".into());
        }
        if !(0.0..=1.0).contains(&self.b) {
            return Err("`search.b` must be between 0 and 1".into());
        }
        if self.feedback_docs > 100 || self.feedback_terms > 100 {
            return Err(
                "`search.feedback_docs` and `search.feedback_terms` must be at most 100".into(),
            );
        }
        if !(self.proximity.is_finite() && self.proximity >= 0.0) {
            return Err("`search.proximity` must be a number >= 0".into());
        }
        if self.candidates > MAX_LIMIT {
            return Err(format!("`search.candidates` must be at most {MAX_LIMIT}"));
        }
        if self.proximity_depth > MAX_LIMIT || self.proximity_window > 1000 {
            return Err(format!(
                "`search.proximity_depth` must be at most {MAX_LIMIT} and `search.proximity_window` at most 1000"
            ));
        }
        if !(0.0..=1.0).contains(&self.feedback_weight) {
            return Err("`search.feedback_weight` must be between 0 and 1".into());
        }
        Ok(())
    }
}

/// `[interests]`: the reader's keywords, phrases and follows.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Interests {
    /// Keywords and phrases with weights (`"in-context learning" = 3.0`),
    /// or a list of them (`["agents", "retrieval"]`, weight 1.0 each).
    #[serde(deserialize_with = "weights")]
    pub keywords: BTreeMap<String, f32>,
    /// Terms that demote a paper by their weight (`survey = 1.0`), or a
    /// list of them (weight 1.0 each).
    #[serde(deserialize_with = "weights")]
    pub negative: BTreeMap<String, f32>,
    /// Terms that remove a paper from `top` and the digest.
    pub exclude: Vec<String>,
    /// Categories to follow (`cs.CL`); a paper in one gets `rank.category_bonus`.
    pub categories: Vec<String>,
    /// Authors to follow; a paper by one gets `rank.author_bonus`.
    pub authors: Vec<String>,
    /// Whether keywords also match by meaning: the acronyms the papers
    /// define for them (at the keyword's weight) and their strongest
    /// neighbours in the index (at `neighbour_weight`). Default true.
    pub expand: bool,
    /// What a learned neighbour of a keyword counts, as a share of the
    /// keyword's weight. Default 0.5.
    pub neighbour_weight: f32,
    /// Aliases the reader adds to a keyword (`multimodal = ["omni-modal"]`),
    /// matched at the keyword's weight.
    pub aliases: BTreeMap<String, Vec<String>>,
    /// Learned aliases and neighbours never to use (`["diffusion models"]`).
    pub ignore: Vec<String>,
}

impl Default for Interests {
    fn default() -> Self {
        Interests {
            keywords: BTreeMap::new(),
            negative: BTreeMap::new(),
            exclude: Vec::new(),
            categories: Vec::new(),
            authors: Vec::new(),
            expand: true,
            neighbour_weight: 0.5,
            aliases: BTreeMap::new(),
            ignore: Vec::new(),
        }
    }
}

/// Reads `{ "a" = 2.0, … }` as it is and `["a", …]` as weight 1.0 each.
fn weights<'de, D: serde::Deserializer<'de>>(d: D) -> Result<BTreeMap<String, f32>, D::Error> {
    struct Weights;
    impl<'de> serde::de::Visitor<'de> for Weights {
        type Value = BTreeMap<String, f32>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a list of terms or a table of term = weight")
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some(term) = seq.next_element::<String>()? {
                out.insert(term, 1.0);
            }
            Ok(out)
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some((term, weight)) = map.next_entry::<String, f32>()? {
                out.insert(term, weight);
            }
            Ok(out)
        }
    }
    d.deserialize_any(Weights)
}

/// `[rank]`: the weights of the trending formula (see docs/ranking.md).
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
    /// Weight of the learned profile (from likes and dislikes): the
    /// profile part is this times the weights of the profile's stems a
    /// paper has. 0 turns it off. Default 2.0.
    pub profile_weight: f32,
    /// Weight of upvote velocity: the velocity part is this times
    /// `ln(1 + upvotes gained per day) / ln(101)` (at most 1). 0 turns it
    /// off. Default 1.0.
    pub velocity_weight: f32,
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
            profile_weight: 2.0,
            velocity_weight: 1.0,
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
    /// How many rising topics to keep. Default 10, at most [`MAX_LIMIT`].
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

/// What a digest entry's teaser is (`[digest] teaser`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Teaser {
    /// The source's one-sentence summary (Hugging Face `ai_summary`) when
    /// it has one, else the abstract's start.
    Summary,
    /// Always the abstract's start.
    Abstract,
}

/// A digest output format (`digest --format`, `[digest] format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DigestFormat {
    /// Markdown.
    Md,
    /// Mail-safe HTML (inline styles, tables, ~640 px).
    Html,
    /// Plain text wrapped at 72 columns.
    Text,
    /// The digest model as JSON (with `schema_version`).
    Json,
    /// The exact MIME message that would be sent (multipart/alternative).
    Eml,
    /// An Atom feed with one entry per paper.
    Atom,
}

impl DigestFormat {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [DigestFormat; 6] = [
        DigestFormat::Md,
        DigestFormat::Html,
        DigestFormat::Text,
        DigestFormat::Json,
        DigestFormat::Eml,
        DigestFormat::Atom,
    ];

    /// The name in the config and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            DigestFormat::Md => "md",
            DigestFormat::Html => "html",
            DigestFormat::Text => "text",
            DigestFormat::Json => "json",
            DigestFormat::Eml => "eml",
            DigestFormat::Atom => "atom",
        }
    }

    /// What it is, in one line (`--help`).
    pub fn about(self) -> &'static str {
        match self {
            DigestFormat::Md => "Markdown",
            DigestFormat::Html => "Mail-safe HTML (inline styles, tables, ~640 px)",
            DigestFormat::Text => "Plain text wrapped at 72 columns",
            DigestFormat::Json => "The digest model as JSON (with `schema_version`)",
            DigestFormat::Eml => {
                "The exact MIME message that would be sent (multipart/alternative)"
            }
            DigestFormat::Atom => "An Atom feed with one entry per paper",
        }
    }
}

/// `[digest]`: what the daily digest holds and how it looks.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DigestConfig {
    /// How many papers a digest lists. Default 10, at most [`MAX_LIMIT`].
    pub limit: usize,
    /// The reader's time zone (IANA name); it decides "the day". Default `UTC`.
    pub timezone: String,
    /// The heading of the digest. Default `Trending papers`.
    pub title: String,
    /// The mail subject, a minijinja template (variables `title`, `date`,
    /// `count`). Default empty: the built-in `subject.txt.j2`
    /// (`Trending papers for 2026-11-27: 10 papers`).
    pub subject: String,
    /// How many characters of the abstract the teaser keeps. Default 300.
    pub include_abstract_chars: usize,
    /// What the teaser under each title is: the source's one-sentence
    /// summary when it has one (`summary`), or always the abstract's start.
    /// Default `summary`.
    pub teaser: Teaser,
    /// How many authors are named before "et al.". Default 3.
    pub max_authors: usize,
    /// How many rising topics are listed. Default 5.
    pub topics: usize,
    /// A folder with your own `digest.md.j2`, `digest.html.j2`, `digest.txt.j2`
    /// or `subject.txt.j2`; missing files fall back to the built-in ones.
    pub templates_dir: Option<PathBuf>,
    /// What `run` prints when e-mail is off. Default `md`.
    pub format: DigestFormat,
    /// Where `run` writes the digest when e-mail is off; default stdout.
    pub out: Option<PathBuf>,
    /// An Atom feed `run` rewrites after each delivery, holding the last
    /// `feed_digests` digests; default none.
    pub feed: Option<PathBuf>,
    /// How many digests the feed holds. Default 30.
    pub feed_digests: usize,
    /// How strongly a paper must match the reader (interests, negatives,
    /// follows; before freshness) to enter the main list. Default 1.0: one
    /// abstract match of a keyword of weight 1.
    pub min_relevance: f32,
    /// How many popular papers that match nothing the reader follows are
    /// listed apart, under "Also popular". 0 turns the section off. Default 3.
    pub also_popular: usize,
    /// The upvotes a paper needs for "Also popular". Default 10.
    pub also_popular_min_upvotes: u64,
    /// How long a paper not yet mailed stays eligible, counted from when
    /// the reader could first see it; its counts keep updating meanwhile.
    /// Default `3d`.
    pub eligible_for: Span,
    /// At most this many papers in a catch-up digest that covers several
    /// missed days (each day gets its share, at least 3). Default 30.
    pub catch_up_limit: usize,
    /// Spread across interests: each paper already picked for the same
    /// interest lowers a paper's importance by ln(1 / spread) while the list
    /// is filled, as if it had `spread` times its upvotes. 1.0 turns spread
    /// off. Default 0.7.
    pub spread: f32,
    /// Whether a day with nothing picked for the reader (an empty main list,
    /// even with "Also popular") still sends (or prints) a digest.
    /// Default false.
    pub send_empty: bool,
}

impl Default for DigestConfig {
    fn default() -> Self {
        DigestConfig {
            limit: 10,
            timezone: "UTC".into(),
            title: "Trending papers".into(),
            subject: String::new(),
            include_abstract_chars: 300,
            teaser: Teaser::Summary,
            max_authors: 3,
            topics: 5,
            templates_dir: None,
            format: DigestFormat::Md,
            out: None,
            feed: None,
            feed_digests: 30,
            min_relevance: 1.0,
            also_popular: 3,
            also_popular_min_upvotes: 10,
            eligible_for: Span(jiff::SignedDuration::from_hours(72)),
            catch_up_limit: 30,
            spread: 0.7,
            send_empty: false,
        }
    }
}

/// How the SMTP connection is secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Plain connection upgraded with STARTTLS; fails if the server does not
    /// offer it (never a silent downgrade). Default port 587.
    Starttls,
    /// Implicit TLS from the first byte (SMTPS). Default port 465.
    Tls,
    /// No encryption: only for a relay on loopback (127.0.0.1, ::1,
    /// localhost). Default port 25.
    None,
}

/// `[mail]`: sending the digest over SMTP.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailConfig {
    /// Whether `run` mails the digest (else it prints it). Default false.
    pub enabled: bool,
    /// The sender, `Name <addr@example.org>`.
    pub from: String,
    /// The recipients.
    pub to: Vec<String>,
    /// The SMTP server. Default `localhost`.
    pub host: String,
    /// The SMTP port; default from `security` (587, 465 or 25).
    pub port: Option<u16>,
    /// `starttls`, `tls` or `none` (loopback only). Default `starttls`.
    pub security: Security,
    /// Login name; no login when absent.
    pub username: Option<String>,
    /// Environment variable holding the password.
    pub password_env: Option<String>,
    /// Shell command printing the password on its first line
    /// (`pass show mail/papertrend`).
    pub password_command: Option<String>,
    /// How long `password_command` may take to print the password and
    /// exit; then it and every process it started are killed. Default `10s`.
    pub password_command_timeout: Span,
    /// Extra CA certificate (PEM) to trust, for a private relay. The system
    /// roots stay trusted; certificate checks are never turned off.
    pub ca_file: Option<PathBuf>,
    /// Timeout of every SMTP step (connect, each read and write). Default `30s`.
    pub timeout: Span,
    /// The `List-Id` of digests (RFC 2919), a dot-separated id. Default
    /// `digest.papertrend.localhost`.
    pub list_id: String,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            enabled: false,
            from: String::new(),
            to: Vec::new(),
            host: "localhost".into(),
            port: None,
            security: Security::Starttls,
            username: None,
            password_env: None,
            password_command: None,
            password_command_timeout: Span(jiff::SignedDuration::from_secs(10)),
            ca_file: None,
            timeout: Span(jiff::SignedDuration::from_secs(30)),
            list_id: "digest.papertrend.localhost".into(),
        }
    }
}

impl MailConfig {
    /// The port to connect to: `port`, else the default of `security`.
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(match self.security {
            Security::Starttls => 587,
            Security::Tls => 465,
            Security::None => 25,
        })
    }
}

/// Whether `host` names this machine's loopback interface.
pub fn is_loopback_host(host: &str) -> bool {
    let h = host.trim().trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost")
        || h.parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
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

    fn validate(&self, name: &str) -> Result<(), ConfigError> {
        let bad = |reason: String| ConfigError::Invalid {
            path: name.into(),
            line: None,
            reason,
            hint: None,
        };
        self.validate_limits().map_err(bad)?;
        self.validate_weights().map_err(bad)?;
        if self.rank.half_life.seconds() <= 0 {
            return Err(bad("`rank.half_life` must be positive".into()));
        }
        let f = &self.fetch;
        for (key, span) in [
            ("fetch.timeout", f.timeout),
            ("fetch.connect_timeout", f.connect_timeout),
            ("fetch.read_timeout", f.read_timeout),
        ] {
            if span.0 <= jiff::SignedDuration::ZERO {
                return Err(bad(format!("`{key}` must be positive")));
            }
        }
        if f.backoff.0.is_negative() || f.max_backoff.0 < f.backoff.0 {
            return Err(bad(
                "`fetch.backoff` must be >= 0 and `fetch.max_backoff` at least as long".into(),
            ));
        }
        self.validate_digest_and_mail().map_err(bad)?;
        self.search.validate().map_err(bad)?;
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

    /// Every weight must be a finite number (`nan` and `inf` are TOML
    /// floats, and either makes every score NaN).
    fn validate_weights(&self) -> Result<(), String> {
        let r = &self.rank;
        let weights = [
            ("search.title_boost", self.search.title_boost),
            ("rank.title_weight", r.title_weight),
            ("rank.abstract_weight", r.abstract_weight),
            ("rank.popularity_weight", r.popularity_weight),
            ("rank.upvotes_weight", r.upvotes_weight),
            ("rank.comments_weight", r.comments_weight),
            ("rank.stars_weight", r.stars_weight),
            ("rank.code_bonus", r.code_bonus),
            ("rank.momentum_weight", r.momentum_weight),
            ("rank.profile_weight", r.profile_weight),
            ("rank.velocity_weight", r.velocity_weight),
            ("rank.category_bonus", r.category_bonus),
            ("rank.author_bonus", r.author_bonus),
        ];
        for (key, w) in weights {
            if !w.is_finite() {
                return Err(format!("`{key}` is {w}; it must be a finite number"));
            }
        }
        if self.search.title_boost <= 0.0 {
            return Err("`search.title_boost` must be greater than 0".into());
        }
        let n = self.interests.neighbour_weight;
        if !(0.0..=1.0).contains(&n) {
            return Err(format!(
                "`interests.neighbour_weight` is {n}; it must be between 0 and 1"
            ));
        }
        if let Some(k) = self
            .interests
            .aliases
            .keys()
            .find(|k| !self.interests.keywords.contains_key(*k))
        {
            return Err(format!(
                "`interests.aliases` names {k:?}, which is not one of your `keywords`"
            ));
        }
        for (k, w) in self
            .interests
            .keywords
            .iter()
            .chain(&self.interests.negative)
        {
            if !w.is_finite() {
                return Err(format!(
                    "interest weight for {k:?} is {w}; it must be a finite number"
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

    fn validate_digest_and_mail(&self) -> Result<(), String> {
        let d = &self.digest;
        if !d.min_relevance.is_finite() || d.min_relevance < 0.0 {
            return Err("`digest.min_relevance` must be a finite number >= 0".into());
        }
        if !(d.spread.is_finite() && d.spread > 0.0 && d.spread <= 1.0) {
            return Err("`digest.spread` must be in (0, 1] (1 turns spread off)".into());
        }
        if d.eligible_for.seconds() < 0 {
            return Err("`digest.eligible_for` must not be negative".into());
        }
        if d.limit == 0 || d.limit > MAX_LIMIT {
            return Err(format!("`digest.limit` must be 1 to {MAX_LIMIT}"));
        }
        if self.trends.limit == 0 || self.trends.limit > MAX_LIMIT {
            return Err(format!("`trends.limit` must be 1 to {MAX_LIMIT}"));
        }
        if jiff::tz::TimeZone::get(&d.timezone).is_err() {
            return Err(format!(
                "`digest.timezone` {:?} is not a known time zone (examples: UTC, Europe/Paris)",
                d.timezone
            ));
        }
        let m = &self.mail;
        if m.password_env.is_some() && m.password_command.is_some() {
            return Err("set only one of `mail.password_env` and `mail.password_command`".into());
        }
        if m.username.is_none() && (m.password_env.is_some() || m.password_command.is_some()) {
            return Err("`mail.username` is needed when a password source is set".into());
        }
        if m.security == Security::None && !is_loopback_host(&m.host) {
            return Err(format!(
                "`mail.security = \"none\"` is only allowed for a relay on loopback, not {:?}; \
                 use \"starttls\" or \"tls\"",
                m.host
            ));
        }
        if m.timeout.seconds() <= 0 {
            return Err("`mail.timeout` must be positive".into());
        }
        if m.password_command_timeout.seconds() <= 0 {
            return Err("`mail.password_command_timeout` must be positive".into());
        }
        if m.list_id.is_empty()
            || !m
                .list_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        {
            return Err(format!(
                "`mail.list_id` {:?} must be a dot-separated id (letters, digits, . - _)",
                m.list_id
            ));
        }
        if m.enabled {
            if m.from.trim().is_empty() {
                return Err("`mail.from` is needed when `mail.enabled = true`".into());
            }
            if m.to.is_empty() {
                return Err("`mail.to` needs at least one recipient".into());
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

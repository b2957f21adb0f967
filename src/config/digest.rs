//! `[digest]`: what the daily digest holds, how it looks, and its formats.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::MAX_LIMIT;
use crate::clock::Span;

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

impl DigestConfig {
    /// Checks `[digest]`: the relevance bar, spread, eligibility, limit and
    /// time zone.
    pub(super) fn validate(&self) -> Result<(), String> {
        let d = self;
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
        if jiff::tz::TimeZone::get(&d.timezone).is_err() {
            return Err(format!(
                "`digest.timezone` {:?} is not a known time zone (examples: UTC, Europe/Paris)",
                d.timezone
            ));
        }
        Ok(())
    }
}

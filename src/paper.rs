//! The paper record: the one JSON shape every command speaks, its identity rules
//! and how two sightings of the same paper merge.
//!
//! Identity: `arxiv:<id>` (version suffix stripped) when an arXiv id is known;
//! otherwise an id given by the source (`doi:…`, `scifact:4983` from JSONL), or
//! `title:<16 hex>` derived from the normalised title. Two records are the same
//! paper when their arXiv ids match or their normalised titles match.
//!
//! Merge rules (order-independent and idempotent, so re-ingesting any input is a
//! no-op): text fields come from the highest-ranked source that has them (arXiv
//! over Hugging Face over a text dump), lists are unioned, the earliest
//! `first_seen` stays, and counts take the value observed most recently.
//!
//! Count history: `observations` keeps the counts each time papertrend saw
//! them change, with the fetch/ingest time ([`Paper::observe`]), oldest
//! first, at most [`MAX_OBSERVATIONS`]. Two histories merge as the union of
//! their observations by time, with an observation that repeats the counts
//! before it dropped; the counts and `counts_observed_at` are then those of
//! the newest observation.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Version of the JSON record; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// One paper, as stored in the index and printed by every command.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Paper {
    /// Version of this record's schema ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// Stable identity: `arxiv:2401.01234`, a source id, or `title:<hash>`.
    pub id: String,
    /// arXiv id without the version suffix, when known.
    pub arxiv_id: Option<String>,
    /// Display title (whitespace collapsed, LaTeX escapes cleaned).
    pub title: String,
    /// Display abstract (whitespace collapsed, LaTeX escapes cleaned).
    #[serde(rename = "abstract")]
    pub abstract_text: String,
    /// Author names in listing order.
    pub authors: Vec<String>,
    /// Categories such as `cs.LG`; the primary one first when known.
    pub categories: Vec<String>,
    /// Keywords given by the source (Hugging Face `ai_keywords`).
    pub keywords: Vec<String>,
    /// First publication date (arXiv v1), when known.
    pub published: Option<Timestamp>,
    /// Last update date, when known.
    pub updated: Option<Timestamp>,
    /// When this index first saw the paper.
    pub first_seen: Option<Timestamp>,
    /// When a followed source first listed the paper (a Hugging Face daily
    /// list, an arXiv RSS announcement), when known. Left out of the JSON
    /// while unknown, so records and fingerprints of sources that never list
    /// stay as they were.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listed: Option<Timestamp>,
    /// Hugging Face upvotes, when the source has them.
    pub upvotes: Option<u64>,
    /// Number of comments, when the source has them.
    pub comments: Option<u64>,
    /// GitHub stars of the code repository, when the source has them.
    pub github_stars: Option<u64>,
    /// Code repository, from the source or found in the abstract.
    pub code_url: Option<String>,
    /// Landing page.
    pub url: Option<String>,
    /// PDF link.
    pub pdf_url: Option<String>,
    /// The project page, when the authors have one (Hugging Face
    /// `projectPage`). Left out of the JSON while unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project_url: Option<String>,
    /// A picture of the paper (Hugging Face `thumbnail`), an http(s) URL.
    /// Left out of the JSON while unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
    /// The source's one-sentence summary (Hugging Face `ai_summary`),
    /// whitespace collapsed. Left out of the JSON while unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Source formats this record was seen in (`hf-json`, `arxiv-atom`, …).
    pub sources: Vec<String>,
    /// When papertrend first saw the current counts (`upvotes`, `comments`,
    /// `github_stars`): the fetch or ingest time, not the source's date.
    pub counts_observed_at: Option<Timestamp>,
    /// Every change of the counts papertrend saw, oldest first (at most
    /// [`MAX_OBSERVATIONS`], the newest kept).
    pub observations: Vec<Observation>,
}

/// How many count observations a record keeps (the newest).
pub const MAX_OBSERVATIONS: usize = 16;

/// The counts of a paper as papertrend saw them at one time.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Observation {
    /// When papertrend fetched or ingested these counts.
    pub at: Timestamp,
    /// Hugging Face upvotes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upvotes: Option<u64>,
    /// Comments.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comments: Option<u64>,
    /// GitHub stars.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub github_stars: Option<u64>,
}

impl Observation {
    fn same_counts(&self, other: &Observation) -> bool {
        (self.upvotes, self.comments, self.github_stars)
            == (other.upvotes, other.comments, other.github_stars)
    }
}

/// Sorts observations by time (ties: larger counts last, so that the
/// result does not depend on arrival order), drops exact repeats and those
/// that repeat the counts before them, and keeps the newest
/// [`MAX_OBSERVATIONS`].
fn normalise_observations(obs: &mut Vec<Observation>) {
    obs.sort_by(|a, b| {
        (a.at, a.upvotes, a.comments, a.github_stars).cmp(&(
            b.at,
            b.upvotes,
            b.comments,
            b.github_stars,
        ))
    });
    // Two observations at one instant: the larger counts stand for it.
    obs.dedup_by(|later, earlier| {
        if later.at == earlier.at {
            std::mem::swap(later, earlier);
            true
        } else {
            false
        }
    });
    obs.dedup_by(|later, earlier| later.same_counts(earlier));
    if obs.len() > MAX_OBSERVATIONS {
        obs.drain(..obs.len() - MAX_OBSERVATIONS);
    }
}

/// How much a source's text fields are trusted when two sources disagree.
fn source_rank(source: &str) -> u8 {
    match source {
        "arxiv-atom" | "arxiv-oai" | "arxiv-rss" => 4,
        "jsonl" => 3,
        "hf-json" => 2,
        "hf-text" => 1,
        _ => 0,
    }
}

impl Paper {
    /// The best rank among this record's sources.
    fn rank(&self) -> u8 {
        self.sources
            .iter()
            .map(|s| source_rank(s))
            .max()
            .unwrap_or(0)
    }

    /// When the reader could first see the paper, the date ages, windows
    /// and trends count from: the later of `published` (arXiv v1) and
    /// `listed` (first listed by a followed source) when both are known,
    /// else whichever is known, else `first_seen`.
    pub fn visible_date(&self) -> Option<Timestamp> {
        match (self.published, self.listed) {
            (Some(p), Some(l)) => Some(p.max(l)),
            (p, l) => p.or(l).or(self.first_seen),
        }
    }

    /// Records the counts this sighting carries as an observation made at
    /// `now` (the fetch/ingest time), unless it already carries a history
    /// (papertrend's own record, re-ingested): then that history is kept
    /// and only normalised. Sets `counts_observed_at` to the newest
    /// observation's time. Returns whether the record changed.
    pub fn observe(&mut self, now: Timestamp) -> bool {
        let before = (self.observations.clone(), self.counts_observed_at);
        if self.observations.is_empty() {
            if self.upvotes.is_none() && self.comments.is_none() && self.github_stars.is_none() {
                self.counts_observed_at = None;
                return before.1.is_some();
            }
            self.observations.push(Observation {
                at: now,
                upvotes: self.upvotes,
                comments: self.comments,
                github_stars: self.github_stars,
            });
        }
        normalise_observations(&mut self.observations);
        if let Some(last) = self.observations.last() {
            self.counts_observed_at = Some(last.at);
        }
        (self.observations.clone(), self.counts_observed_at) != before
    }

    /// Fills `id` from the arXiv id or the title when the source gave none.
    pub fn assign_id(&mut self) {
        if let Some(a) = &self.arxiv_id {
            self.id = format!("arxiv:{a}");
        } else if self.id.is_empty() {
            self.id = title_id(&self.title);
        }
    }

    /// Merges `other` (a newer sighting of the same paper) into `self`.
    ///
    /// The result does not depend on the order sightings arrive in, and merging
    /// the same sighting twice changes nothing.
    pub fn merge(&mut self, other: &Paper) {
        let (mine, theirs) = (self.rank(), other.rank());
        let take_text = |a: &mut String, b: &String| {
            if !b.is_empty() && (a.is_empty() || theirs > mine || (theirs == mine && b > a)) {
                a.clone_from(b);
            }
        };
        take_text(&mut self.title, &other.title);
        take_text(&mut self.abstract_text, &other.abstract_text);
        if self.arxiv_id.is_none() && other.arxiv_id.is_some() {
            self.arxiv_id.clone_from(&other.arxiv_id);
            self.id.clone_from(&other.id);
        }
        let take_list = |a: &mut Vec<String>, b: &Vec<String>| {
            if !b.is_empty() && (a.is_empty() || theirs > mine || (theirs == mine && b > a)) {
                a.clone_from(b);
            }
        };
        take_list(&mut self.authors, &other.authors);
        take_list(&mut self.categories, &other.categories);
        union(&mut self.keywords, &other.keywords);
        union(&mut self.sources, &other.sources);
        self.sources.sort();
        self.published = min_opt(self.published, other.published);
        self.updated = max_opt(self.updated, other.updated);
        self.first_seen = min_opt(self.first_seen, other.first_seen);
        self.listed = min_opt(self.listed, other.listed);
        let take_opt = |a: &mut Option<String>, b: &Option<String>| {
            if b.is_some() && (a.is_none() || theirs > mine || (theirs == mine && b > a)) {
                a.clone_from(b);
            }
        };
        take_opt(&mut self.code_url, &other.code_url);
        take_opt(&mut self.url, &other.url);
        take_opt(&mut self.pdf_url, &other.pdf_url);
        take_opt(&mut self.project_url, &other.project_url);
        take_opt(&mut self.thumbnail, &other.thumbnail);
        take_opt(&mut self.summary, &other.summary);
        if !self.observations.is_empty() || !other.observations.is_empty() {
            // Histories: the union; the counts are the newest observation's.
            self.observations.extend(other.observations.iter().cloned());
            normalise_observations(&mut self.observations);
            // Each count from the newest observation that has it (one
            // source may carry upvotes, another stars).
            let newest =
                |f: fn(&Observation) -> Option<u64>| self.observations.iter().rev().find_map(f);
            self.upvotes = newest(|o| o.upvotes).or(self.upvotes).or(other.upvotes);
            self.comments = newest(|o| o.comments).or(self.comments).or(other.comments);
            self.github_stars = newest(|o| o.github_stars)
                .or(self.github_stars)
                .or(other.github_stars);
            self.counts_observed_at = self.observations.last().map(|o| o.at);
            return;
        }
        // Counts without history (records from before histories were kept):
        // the most recent observation wins; ties keep the larger value so
        // that the outcome does not depend on ingest order.
        let newer = match (self.counts_observed_at, other.counts_observed_at) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(a), Some(b)) => b >= a,
        };
        if newer {
            let same_time = self.counts_observed_at == other.counts_observed_at;
            let pick = |a: &mut Option<u64>, b: Option<u64>| {
                if b.is_some() && (!same_time || b > *a) {
                    *a = b;
                }
            };
            pick(&mut self.upvotes, other.upvotes);
            pick(&mut self.comments, other.comments);
            pick(&mut self.github_stars, other.github_stars);
            self.counts_observed_at = other.counts_observed_at;
        } else {
            // An older sighting only fills counts we never had.
            self.upvotes = self.upvotes.or(other.upvotes);
            self.comments = self.comments.or(other.comments);
            self.github_stars = self.github_stars.or(other.github_stars);
        }
    }
}

fn union(a: &mut Vec<String>, b: &[String]) {
    for x in b {
        if !a.contains(x) {
            a.push(x.clone());
        }
    }
}

fn min_opt(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

fn max_opt(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    }
}

/// Normalises a title for identity: lowercase alphanumerics, single spaces.
///
/// `"BERT: Pre-training of Deep\n  Bidirectional Transformers"` and
/// `"bert pre training of deep bidirectional transformers"` are equal.
pub fn normalise_title(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut space = false;
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        } else {
            space = true;
        }
    }
    out
}

/// A 64-bit FNV-1a hash: stable across versions and platforms, unlike std's.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The key under which titles are deduplicated.
pub fn title_key(title: &str) -> String {
    format!("{:016x}", stable_hash(normalise_title(title).as_bytes()))
}

/// The id of a paper known only by its title.
pub fn title_id(title: &str) -> String {
    format!("title:{}", title_key(title))
}

/// Extracts an arXiv id (without version) from an id, URL or OAI identifier.
///
/// Accepts `2401.01234v2`, `arXiv:2401.01234`, `http://arxiv.org/abs/2401.01234v1`,
/// `oai:arXiv.org:2401.01234v1`, `hep-th/9901001v3` and `https://arxiv.org/pdf/…`.
/// Returns `None` when nothing id-shaped is found.
pub fn parse_arxiv_id(s: &str) -> Option<String> {
    let s = s.trim();
    let tail = ["/abs/", "/pdf/", "oai:arXiv.org:", "arXiv:", "arxiv:"]
        .iter()
        .find_map(|p| s.find(p).map(|i| &s[i + p.len()..]))
        .unwrap_or(s);
    let tail = tail.trim_end_matches(".pdf");
    let id = strip_version(tail);
    is_arxiv_id(id).then(|| id.to_string())
}

/// Drops a trailing `vN` version suffix.
pub fn strip_version(id: &str) -> &str {
    if let Some(pos) = id.rfind('v') {
        let digits = &id[pos + 1..];
        if pos > 0 && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            return &id[..pos];
        }
    }
    id
}

/// Whether `id` looks like a new-style (`2401.01234`) or old-style
/// (`hep-th/9901001`) arXiv identifier, without version.
pub fn is_arxiv_id(id: &str) -> bool {
    let new_style = |s: &str| {
        let Some((a, b)) = s.split_once('.') else {
            return false;
        };
        a.len() == 4
            && (4..=5).contains(&b.len())
            && a.bytes().all(|c| c.is_ascii_digit())
            && b.bytes().all(|c| c.is_ascii_digit())
    };
    if new_style(id) {
        return true;
    }
    match id.split_once('/') {
        Some((archive, num)) => {
            !archive.is_empty()
                && archive.bytes().all(|c| {
                    c.is_ascii_lowercase() || c == b'-' || c == b'.' || c.is_ascii_uppercase()
                })
                && num.len() == 7
                && num.bytes().all(|c| c.is_ascii_digit())
        }
        None => false,
    }
}

/// The popularity counts of one paper, as the index holds them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Upvotes (0 when unknown).
    pub upvotes: u64,
    /// Comments (0 when unknown).
    pub comments: u64,
    /// GitHub stars (0 when unknown).
    pub stars: u64,
    /// Whether the paper ships code.
    pub has_code: bool,
    /// GitHub stars the source reported that are not counted, because they
    /// belong to a repository that is not the paper's own (see
    /// [`own_repository`]); 0 otherwise.
    pub stars_not_own: u64,
}

impl Counts {
    /// The counts of a stored record. Stars count only for the paper's own
    /// repository ([`own_repository`]).
    pub fn of(p: &Paper) -> Counts {
        let stars = p.github_stars.unwrap_or(0);
        let own = p.code_url.as_deref().is_none_or(own_repository);
        Counts {
            upvotes: p.upvotes.unwrap_or(0),
            comments: p.comments.unwrap_or(0),
            stars: if own { stars } else { 0 },
            has_code: p.code_url.is_some(),
            stars_not_own: if own { 0 } else { stars },
        }
    }
}

/// Whether `code_url` names a repository itself (`github.com/owner/repo`),
/// not a folder or file inside one (`…/repo/tree/main/QuantWM`,
/// `…/repo/blob/…`): the stars Hugging Face reports are the repository's,
/// and a monorepo's stars say nothing about one paper in a sub-folder.
pub fn own_repository(code_url: &str) -> bool {
    let rest = code_url
        .split_once("://")
        .map_or(code_url, |(_, r)| r)
        .split(['?', '#'])
        .next()
        .unwrap_or("");
    let mut parts = rest.split('/').filter(|s| !s.is_empty());
    let host = parts.next().unwrap_or("").to_ascii_lowercase();
    let path: Vec<&str> = parts.collect();
    match host.trim_start_matches("www.") {
        // `owner/repo` (or just an owner); anything deeper is inside it.
        "github.com" | "bitbucket.org" => path.len() <= 2,
        // GitLab groups nest, but folders and files sit behind `/-/`.
        "gitlab.com" => !path.contains(&"-"),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arxiv_ids_parse_from_many_shapes() {
        let cases = [
            ("2401.01234v2", Some("2401.01234")),
            ("http://arxiv.org/abs/1111.2011v2", Some("1111.2011")),
            ("oai:arXiv.org:2604.21952v1", Some("2604.21952")),
            (
                "http://arxiv.org/abs/astro-ph/0601001v1",
                Some("astro-ph/0601001"),
            ),
            ("hep-th/9901001", Some("hep-th/9901001")),
            ("0704.0001", Some("0704.0001")),
            ("https://arxiv.org/pdf/2401.01234v1", Some("2401.01234")),
            ("arXiv:2401.01234", Some("2401.01234")),
            ("abc", None),
            ("", None),
        ];
        for (input, want) in cases {
            assert_eq!(parse_arxiv_id(input).as_deref(), want, "input {input:?}");
        }
    }

    #[test]
    fn normalised_titles_ignore_case_punctuation_and_wrapping() {
        assert_eq!(
            normalise_title("BERT: Pre-training of Deep\n  Bidirectional Transformers"),
            "bert pre training of deep bidirectional transformers"
        );
        assert_eq!(title_key("A  b"), title_key("a-B"));
    }

    fn sighting(source: &str, upvotes: u64, at: &str) -> Paper {
        Paper {
            id: "arxiv:2401.00001".into(),
            arxiv_id: Some("2401.00001".into()),
            title: format!("Title from {source}"),
            sources: vec![source.into()],
            upvotes: Some(upvotes),
            counts_observed_at: Some(at.parse().unwrap()),
            first_seen: Some(at.parse().unwrap()),
            ..Paper::default()
        }
    }

    #[test]
    fn merge_is_order_independent_and_idempotent() {
        let a = sighting("hf-json", 3, "2026-01-01T00:00:00Z");
        let b = sighting("arxiv-atom", 0, "2026-01-02T00:00:00Z");
        let c = sighting("hf-json", 9, "2026-01-03T00:00:00Z");
        let mut x = a.clone();
        x.merge(&b);
        x.merge(&c);
        let mut y = c.clone();
        y.merge(&b);
        y.merge(&a);
        assert_eq!(x, y);
        assert_eq!(x.title, "Title from arxiv-atom");
        assert_eq!(x.upvotes, Some(9));
        assert_eq!(x.first_seen, a.first_seen);
        let before = x.clone();
        x.merge(&a);
        x.merge(&c);
        assert_eq!(x, before);
    }

    #[test]
    fn visible_date_is_the_later_of_published_and_listed() {
        let t = |s: &str| Some(s.parse::<Timestamp>().unwrap());
        let mut p = Paper {
            first_seen: t("2025-12-03T07:00:00Z"),
            ..Paper::default()
        };
        assert_eq!(p.visible_date(), p.first_seen);
        p.published = t("2025-11-23T17:09:34Z");
        assert_eq!(p.visible_date(), p.published);
        p.listed = t("2025-12-02T02:55:07Z");
        assert_eq!(p.visible_date(), p.listed, "featured 9 days after arXiv");
        p.published = t("2025-12-05T00:00:00Z");
        assert_eq!(p.visible_date(), p.published, "listed before v1 (RSS)");
        p.published = None;
        assert_eq!(p.visible_date(), p.listed);
    }

    #[test]
    fn merge_keeps_the_earliest_listing() {
        let mut a = sighting("hf-json", 3, "2026-01-02T00:00:00Z");
        a.listed = a.counts_observed_at;
        let mut b = sighting("arxiv-rss", 0, "2026-01-01T00:00:00Z");
        b.listed = b.counts_observed_at;
        let c = sighting("arxiv-atom", 0, "2026-01-03T00:00:00Z");
        let (mut x, mut y) = (a.clone(), c.clone());
        x.merge(&b);
        x.merge(&c);
        y.merge(&a);
        y.merge(&b);
        assert_eq!(x.listed, b.listed);
        assert_eq!(x, y);
    }

    fn fetched(up: u64, stars: Option<u64>, at: &str) -> Paper {
        let mut p = Paper {
            id: "arxiv:2401.00001".into(),
            arxiv_id: Some("2401.00001".into()),
            title: "T".into(),
            sources: vec!["hf-json".into()],
            upvotes: Some(up),
            github_stars: stars,
            ..Paper::default()
        };
        assert!(p.observe(at.parse().unwrap()));
        p
    }

    #[test]
    fn observations_merge_in_any_order_and_only_changes_are_kept() {
        let a = fetched(10, None, "2026-01-01T07:00:00Z");
        let b = fetched(10, None, "2026-01-01T19:00:00Z");
        let c = fetched(60, Some(5), "2026-01-02T07:00:00Z");
        let d = fetched(60, Some(5), "2026-01-03T07:00:00Z");
        let mut x = a.clone();
        for s in [&b, &c, &d] {
            x.merge(s);
        }
        let mut y = d.clone();
        for s in [&c, &b, &a] {
            y.merge(s);
        }
        assert_eq!(x, y);
        let times: Vec<String> = x.observations.iter().map(|o| o.at.to_string()).collect();
        assert_eq!(times, ["2026-01-01T07:00:00Z", "2026-01-02T07:00:00Z"]);
        assert_eq!((x.upvotes, x.github_stars), (Some(60), Some(5)));
        assert_eq!(x.counts_observed_at, c.counts_observed_at);
        let before = x.clone();
        x.merge(&c);
        assert_eq!(x, before, "idempotent");
        // A history is kept to its newest MAX_OBSERVATIONS.
        for i in 0..40u64 {
            x.merge(&fetched(
                100 + i,
                Some(5),
                &format!("2026-02-{:02}T00:00:00Z", 1 + i % 28),
            ));
        }
        assert_eq!(x.observations.len(), MAX_OBSERVATIONS);
        assert_eq!(x.observations.last().unwrap().upvotes, x.upvotes);
        // A sighting without counts records nothing.
        let mut bare = Paper::default();
        assert!(!bare.observe("2026-01-01T00:00:00Z".parse().unwrap()));
        assert!(bare.observations.is_empty() && bare.counts_observed_at.is_none());
    }
}

/// One paper's title and abstract, as the text analyses (rising topics,
/// what interests mean) read them.
#[derive(Clone, Debug, Default)]
pub struct Text {
    /// The title.
    pub title: String,
    /// The abstract.
    pub body: String,
}

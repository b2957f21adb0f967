//! The digest as data: what every format (Markdown, HTML, text, JSON, e-mail)
//! is rendered from.
//!
//! Invariants: every string that came from a feed is reduced to one line of
//! printable text here (no control characters, so no CR/LF can reach a
//! template or a header), and every link is an `http(s)` URL with spaces,
//! quotes, parentheses and angle brackets percent-encoded. Escaping for a
//! format (HTML, Markdown) is the renderer's job; this module only makes the
//! text safe to escape.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::rank::Ranked;
use crate::sanitize::one_line;

/// Version of the digest JSON (`digest --format json`); bumped on any
/// incompatible change.
pub const DIGEST_SCHEMA_VERSION: u32 = 2;

/// One digest: the papers, the rising topics, the counts and the notices.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Digest {
    /// [`DIGEST_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The reader's day this digest is for (`YYYY-MM-DD`).
    pub date: String,
    /// The reader's time zone that decided the day.
    pub timezone: String,
    /// When the digest was built.
    pub generated_at: Timestamp,
    /// The heading (`[digest] title`).
    pub title: String,
    /// Papers first seen after this instant are new (the watermark of the
    /// last sent digest); `None` for the first digest.
    pub since: Option<Timestamp>,
    /// Papers first seen up to this instant are covered.
    pub until: Timestamp,
    /// The main list: papers that match the reader, best first (grouped by
    /// `day` in a catch-up digest).
    pub papers: Vec<DigestPaper>,
    /// "Also popular": popular papers that match nothing the reader
    /// follows, listed apart.
    #[serde(default)]
    pub also_popular: Vec<DigestPaper>,
    /// The reader's days this digest covers, oldest first (several after
    /// missed days).
    #[serde(default)]
    pub days: Vec<String>,
    /// When no paper is new since the last digest and the digest lists
    /// papers still fresh from earlier days: the weekday the newest of them
    /// became visible (`Friday`), so the digest can say what it is.
    #[serde(default)]
    pub leftover_from: Option<String>,
    /// Rising topics in the corpus.
    pub rising: Vec<RisingTopic>,
    /// The recent window the rising topics count in, in words ("7 days");
    /// empty in digests archived before it was recorded.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rising_window: String,
    /// The baseline before that window, in words ("8 weeks").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rising_baseline: String,
    /// How many papers were seen, filtered and shown.
    pub counts: Counts,
    /// Plain sentences about what happened ("no new papers from any source").
    pub notices: Vec<String>,
}

impl Digest {
    /// The ids of every paper listed (main list, then "also popular"): what
    /// the ledger records as sent.
    pub fn paper_ids(&self) -> Vec<String> {
        self.papers
            .iter()
            .chain(&self.also_popular)
            .map(|p| p.id.clone())
            .collect()
    }

    /// Whether it lists no paper at all.
    pub fn is_empty(&self) -> bool {
        self.papers.is_empty() && self.also_popular.is_empty()
    }
}

/// One paper in a digest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DigestPaper {
    /// Position, from 1.
    pub rank: usize,
    /// The paper's id (`arxiv:2401.01234`).
    pub id: String,
    /// The title (one line).
    pub title: String,
    /// The landing page, when known (an http(s) URL).
    pub url: Option<String>,
    /// The abstract page: arXiv's for an arXiv paper, else the landing page.
    #[serde(default)]
    pub abs_url: Option<String>,
    /// The PDF, when known (an http(s) URL).
    #[serde(default)]
    pub pdf_url: Option<String>,
    /// The first authors.
    pub authors: Vec<String>,
    /// Whether more authors exist than are listed.
    pub et_al: bool,
    /// The paper's visible date (`YYYY-MM-DD`; [`crate::paper::Paper::visible_date`]).
    pub date: Option<String>,
    /// Hugging Face upvotes, when known.
    pub upvotes: Option<u64>,
    /// The code repository, when known (an http(s) URL).
    pub code_url: Option<String>,
    /// The project page, when the source gives one (an http(s) URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_url: Option<String>,
    /// The source's picture of the paper (an http(s) URL), shown in the
    /// HTML mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
    /// Why it ranks here, in one line.
    pub why: String,
    /// The source's one-sentence summary when it has one and `[digest]
    /// teaser` is `summary`, else the start of the abstract; cut into plain
    /// and highlighted pieces.
    pub teaser: Vec<Segment>,
    /// The interest terms highlighted in the teaser.
    pub matched_terms: Vec<String>,
    /// The trending score.
    pub score: f32,
    /// The reader's day it is listed under (`YYYY-MM-DD`).
    #[serde(default)]
    pub day: Option<String>,
    /// A fast riser's badge (`+48 upvotes since yesterday`; see
    /// [`crate::velocity::FAST_RISER`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rising_by: Option<String>,
}

/// A piece of a teaser: plain text, or a matched term to highlight.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    /// The text.
    pub text: String,
    /// Whether it is a matched term.
    pub hit: bool,
}

/// A rising topic.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RisingTopic {
    /// The term or phrase.
    pub phrase: String,
    /// Papers with it in the recent window.
    pub window_count: usize,
    /// Papers with it in the baseline window.
    pub baseline_count: usize,
}

/// The counts line of a digest.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Papers considered and not sent before: new since the last digest,
    /// or still fresh.
    pub new: usize,
    /// Of those, how many passed the reader's filters.
    pub passed: usize,
    /// Of those, how many match the reader (reach `min_relevance`).
    #[serde(default)]
    pub matched: usize,
    /// Papers left out because an earlier digest already listed them.
    pub already_sent: usize,
    /// Papers listed in this digest.
    pub shown: usize,
}

/// How papers become digest entries.
#[derive(Clone, Debug)]
pub struct EntryOptions {
    /// Authors named before "et al.".
    pub max_authors: usize,
    /// Teaser length in characters.
    pub teaser_chars: usize,
    /// Whether the source's summary, when there is one, is the teaser.
    pub teaser_from_summary: bool,
    /// Terms to highlight when the ranking reports none.
    pub fallback_terms: Vec<String>,
}

impl DigestPaper {
    /// Builds the entry for a ranked paper at position `rank` (from 1).
    pub fn from_ranked(rank: usize, r: &Ranked, opts: &EntryOptions) -> DigestPaper {
        let p = &r.paper;
        let terms = if r.matched_terms.is_empty() {
            &opts.fallback_terms
        } else {
            &r.matched_terms
        };
        let source = match &p.summary {
            Some(s) if opts.teaser_from_summary => s,
            _ => &p.abstract_text,
        };
        let teaser_text = teaser(&one_line(source), opts.teaser_chars);
        let teaser = highlight(&teaser_text, terms);
        let matched_terms = terms
            .iter()
            .filter(|t| {
                let stems = crate::index::analyze(t);
                !stems.is_empty() && contains_stems(&teaser, &stems)
            })
            .map(|t| one_line(t))
            .collect();
        DigestPaper {
            rank,
            id: one_line(&p.id),
            title: one_line(&p.title),
            url: p.url.as_deref().and_then(safe_url).or_else(|| {
                p.arxiv_id
                    .as_deref()
                    .and_then(|a| safe_url(&format!("https://arxiv.org/abs/{a}")))
            }),
            abs_url: p
                .arxiv_id
                .as_deref()
                .and_then(|a| safe_url(&format!("https://arxiv.org/abs/{a}")))
                .or_else(|| p.url.as_deref().and_then(safe_url)),
            pdf_url: p.pdf_url.as_deref().and_then(safe_url).or_else(|| {
                p.arxiv_id
                    .as_deref()
                    .and_then(|a| safe_url(&format!("https://arxiv.org/pdf/{a}")))
            }),
            authors: p
                .authors
                .iter()
                .take(opts.max_authors.max(1))
                .map(|a| one_line(a))
                .collect(),
            et_al: p.authors.len() > opts.max_authors.max(1),
            date: p.visible_date().map(|t| t.strftime("%Y-%m-%d").to_string()),
            upvotes: p.upvotes,
            code_url: p.code_url.as_deref().and_then(safe_url),
            // Often the same repository as the code link: said once.
            project_url: p
                .project_url
                .as_deref()
                .and_then(safe_url)
                .filter(|u| p.code_url.as_deref().and_then(safe_url).as_ref() != Some(u)),
            thumbnail: p.thumbnail.as_deref().and_then(safe_url),
            // The badge has its own place in the entry.
            why: match r
                .velocity
                .as_ref()
                .and_then(crate::velocity::Velocity::badge)
            {
                Some(b) => one_line(&r.why.replace(&format!(" · {b}"), "")),
                None => one_line(&r.why),
            },
            teaser,
            matched_terms,
            score: (r.score.total * 1000.0).round() / 1000.0,
            day: None,
            rising_by: r
                .velocity
                .as_ref()
                .and_then(crate::velocity::Velocity::badge),
        }
    }
}

fn contains_stems(segments: &[Segment], stems: &[String]) -> bool {
    segments
        .iter()
        .filter(|s| s.hit)
        .any(|s| crate::index::analyze(&s.text) == stems)
}

pub use crate::sanitize::safe_url;

/// The first `max` characters of `text`, cut at a word boundary, with `…`
/// when something was cut.
pub fn teaser(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!(
        "{}…",
        cut.trim_end_matches(|c: char| c.is_whitespace() || ",;:.(".contains(c))
    )
}

/// Cuts `text` into segments, marking every run of words whose stems equal
/// the stems of one of `terms` (so "distilling" matches "distillation").
pub fn highlight(text: &str, terms: &[String]) -> Vec<Segment> {
    // Words: maximal runs of alphanumerics, with their byte ranges.
    let mut words: Vec<(usize, usize, Option<String>)> = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let stem = crate::index::analyze(&text[s..i]).into_iter().next();
                words.push((s, i, stem));
                start = None;
            }
            _ => {}
        }
    }
    let term_stems: Vec<Vec<String>> = terms
        .iter()
        .map(|t| crate::index::analyze(t))
        .filter(|s| !s.is_empty())
        .collect();
    let mut hits: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let mut best = 0;
        for stems in &term_stems {
            let n = stems.len();
            if i + n <= words.len()
                && n > best
                && words[i..i + n]
                    .iter()
                    .zip(stems)
                    .all(|(w, s)| w.2.as_deref() == Some(s.as_str()))
            {
                best = n;
            }
        }
        if best > 0 {
            hits.push((words[i].0, words[i + best - 1].1));
            i += best;
        } else {
            i += 1;
        }
    }
    let mut out = Vec::new();
    let mut pos = 0;
    for (s, e) in hits {
        if s > pos {
            out.push(Segment {
                text: text[pos..s].to_string(),
                hit: false,
            });
        }
        out.push(Segment {
            text: text[s..e].to_string(),
            hit: true,
        });
        pos = e;
    }
    if pos < text.len() {
        out.push(Segment {
            text: text[pos..].to_string(),
            hit: false,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_links_survive() {
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(
            safe_url("https://x.org/a b\"><script>").as_deref(),
            Some("https://x.org/a%20b%22%3E%3Cscript%3E")
        );
    }

    #[test]
    fn teaser_cuts_at_a_word() {
        assert_eq!(teaser("alpha beta gamma delta", 13), "alpha beta…");
        assert_eq!(teaser("short", 10), "short");
    }

    #[test]
    fn highlight_matches_stems_and_phrases() {
        let segs = highlight(
            "We study in-context learning and distilling models.",
            &["in-context learning".into(), "distillation".into()],
        );
        let hits: Vec<&str> = segs
            .iter()
            .filter(|s| s.hit)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(hits, ["in-context learning", "distilling"]);
        let joined: String = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            joined,
            "We study in-context learning and distilling models."
        );
    }
}

//! What the search evaluation examples share: the `--set key=value,…`
//! parser for `[search]` settings. Included with `#[path]` by
//! `eval_scifact.rs` and `eval_titles.rs`.

use papertrend::config::SearchConfig;
use papertrend::index::Hyphenated;

/// `[search]` defaults with `key=value,…` applied, and how a hyphenated
/// word is searched.
pub(crate) fn settings(
    spec: &str,
) -> Result<(SearchConfig, Hyphenated), Box<dyn std::error::Error>> {
    let mut c = SearchConfig::default();
    let mut hyphenated = c.hyphenated;
    for kv in spec.split(',').filter(|s| !s.is_empty()) {
        let (k, v) = kv.split_once('=').ok_or("expected key=value")?;
        match k.trim() {
            "title_boost" => c.title_boost = v.parse()?,
            "k1" => c.k1 = v.parse()?,
            "b" => c.b = v.parse()?,
            "stop_words" => c.stop_words = v.parse()?,
            "feedback_docs" => c.feedback_docs = v.parse()?,
            "feedback_terms" => c.feedback_terms = v.parse()?,
            "feedback_weight" => c.feedback_weight = v.parse()?,
            "candidates" => c.candidates = v.parse()?,
            "proximity" => c.proximity = v.parse()?,
            "proximity_window" => c.proximity_window = v.parse()?,
            "proximity_depth" => c.proximity_depth = v.parse()?,
            "phrase" => c.phrase = v.parse()?,
            "hyphenated" => {
                hyphenated = match v {
                    "compound" => Hyphenated::Compound,
                    "parts" => Hyphenated::Parts,
                    "both" => Hyphenated::Both,
                    other => {
                        return Err(format!("hyphenated={other}: compound, parts or both").into());
                    }
                }
            }
            other => return Err(format!("unknown key {other:?}").into()),
        }
    }
    Ok((c, hyphenated))
}

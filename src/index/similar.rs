//! "More like this": papers similar to one paper.
//!
//! tantivy's `MoreLikeThisQuery` is not used (0.27 panics on indexes with
//! unmerged deletes); [`similar`] builds a BM25F query (the scoring of
//! `search`) from the paper's terms. No code path here can panic on user data.

use std::collections::HashMap;

use tantivy::Term;
use tantivy::collector::TopDocs;

use super::score::QueryTerm;
use super::{Index, IndexError, Scoring};
use crate::error::Error;
use crate::paper::Paper;

fn engine(index: &Index) -> impl Fn(tantivy::TantivyError) -> IndexError + '_ {
    move |e| index.tantivy_err(e)
}

/// A paper similar to another, with its similarity score.
#[derive(Clone, Debug)]
pub struct Similar {
    /// The paper.
    pub paper: Paper,
    /// BM25F score of the term query.
    pub score: f32,
}

/// Papers like `id`: the paper's most distinctive stemmed terms (tf × idf
/// over title and abstract, at most 25, each appearing in at least one other
/// paper) as a BM25F query scored like `search` (`scoring`, `title_boost`),
/// the paper itself left out. Terms `is_stop` names are not distinctive
/// (the trends' stop words, from the caller: the index knows no topics).
///
/// # Errors
/// [`Error::Usage`] when no paper has that id; an index failure.
pub fn similar(
    index: &Index,
    id: &str,
    limit: usize,
    title_boost: f32,
    scoring: &Scoring,
    is_stop: impl Fn(&str) -> bool,
) -> Result<(Paper, Vec<Similar>), Error> {
    let Some(paper) = index.get(id)? else {
        return Err(Error::Usage(format!(
            "no paper with id {:?} in the index",
            crate::sanitize::sanitize_line(id)
        )));
    };
    let searcher = index.searcher();
    let f = index.fields;
    let n = searcher.num_docs().max(1) as f64;
    let mut tf: HashMap<String, f64> = HashMap::new();
    for (text, w) in [(&paper.title, 2.0), (&paper.abstract_text, 1.0)] {
        for t in super::analyze(text) {
            if t.chars().count() < 3 || t.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            *tf.entry(t).or_insert(0.0) += w;
        }
    }
    let mut weighted: Vec<(String, f64)> = Vec::new();
    for (t, count) in tf {
        let df = searcher
            .doc_freq(&Term::from_field_text(f.abstract_text, &t))
            .map_err(engine(index))?
            .max(
                searcher
                    .doc_freq(&Term::from_field_text(f.title, &t))
                    .map_err(engine(index))?,
            );
        if df < 2 || is_stop(&t) {
            continue;
        }
        weighted.push((t, count * (n / df as f64).ln()));
    }
    weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    weighted.truncate(25);
    if weighted.is_empty() {
        return Ok((paper, Vec::new()));
    }
    let terms = weighted
        .into_iter()
        .map(|(text, _)| QueryTerm { text, weight: 1.0 })
        .collect();
    let query = index.bm25f_query(terms, title_boost, scoring);
    // One more than asked, to drop the paper itself and keep top-k pruning
    // (a `MustNot` clause would score every match).
    let top = searcher
        .search(
            &query,
            &TopDocs::with_limit(limit.max(1).saturating_add(1)).order_by_score(),
        )
        .map_err(engine(index))?;
    let mut out = Vec::with_capacity(top.len());
    for (score, a) in top {
        let p = index.load(&searcher, a)?;
        if p.id != paper.id && out.len() < limit.max(1) {
            out.push(Similar { paper: p, score });
        }
    }
    Ok((paper, out))
}

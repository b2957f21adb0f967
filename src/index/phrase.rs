//! The phrase the reader typed comes first (#30).
//!
//! A query of two words or more searched as words has a phrase: its words
//! in order, hyphenated words as their parts, stop words kept
//! ([`Bm25fQuery::phrase`]). A paper holding that phrase in its title or
//! abstract (keywords are often tags a machine added) gets a
//! phrase part on top of its BM25F score, in two pieces:
//! - **the whole phrase**: the highest score the query's terms can give
//!   (the sum of their BM25F bounds, plus the proximity bonus's when it is
//!   on). Any paper holding the phrase therefore ranks above every paper
//!   that does not, whatever its words; no constant is fitted to a
//!   collection for it. A long query (a pasted claim or abstract sentence)
//!   is almost never held whole, so this orders short queries.
//! - **the phrase as a term**: BM25F of the phrase's occurrences, weighted
//!   and length-normalised like the fields' terms, with the weight of the
//!   phrase's rarest word (a phrase is at least as rare as any of its
//!   words): several occurrences, or one in the title, rank above one in a
//!   long abstract.
//!
//! Occurrences are counted from positions, for the candidate papers only.

use tantivy::postings::Postings;
use tantivy::query::EnableScoring;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocSet, Searcher, Term};

use super::score::{Bm25fQuery, idf};

/// A paper's phrase part.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct PhraseMatch {
    /// The phrase, as analysed words.
    pub phrase: String,
    /// Per field holding it (`title`, `abstract`): how often.
    pub fields: Vec<(String, u32)>,
    /// What the whole phrase adds: the query terms' highest score.
    pub whole: f32,
    /// The phrase scored as a term.
    pub term: f32,
}

impl PhraseMatch {
    /// The whole phrase part of the score.
    pub fn score(&self) -> f32 {
        self.whole + self.term
    }
}

/// The phrase parts of `docs` (any order) for `query`, the phrase looked
/// for in `fields` (of the query's): `None` for a paper without the phrase,
/// and for every paper when the query has none.
/// `proximity` is the weight of the proximity bonus (0: off), part of the
/// bound the whole phrase must exceed.
///
/// # Errors
/// On an index failure.
pub fn phrase_parts(
    query: &Bm25fQuery,
    searcher: &Searcher,
    docs: &[DocAddress],
    fields: &[Field],
    proximity: f32,
    field_name: impl Fn(Field) -> String,
) -> tantivy::Result<Vec<Option<PhraseMatch>>> {
    let words = query.phrase();
    let mut out = vec![None; docs.len()];
    if words.len() < 2 || docs.is_empty() {
        return Ok(out);
    }
    let w = query.bm25f_weight(EnableScoring::enabled_from_searcher(searcher))?;
    let prox: f32 = query
        .pairs()
        .iter()
        .map(|&(a, b)| w.weights[a].min(w.weights[b]))
        .sum();
    let whole = w.weights.iter().sum::<f32>() + proximity.max(0.0) * prox;
    let n = searcher.num_docs();
    let mut rarest = 0.0f32;
    for word in words {
        let mut df = 0;
        for &field in fields {
            df = df.max(searcher.doc_freq(&Term::from_field_text(field, word))?);
        }
        rarest = rarest.max(idf(df, n));
    }
    let weight = rarest * (w.k1 + 1.0);
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by_key(|&i| (docs[i].segment_ord, docs[i].doc_id));
    // Per doc: the weighted, normalised phrase frequency and the counts.
    let mut tf = vec![0.0f32; docs.len()];
    let mut counts: Vec<Vec<(String, u32)>> = vec![Vec::new(); docs.len()];
    for (field, norm) in w.fields.iter().filter(|(f, _)| fields.contains(f)) {
        let field = *field;
        let mut current: Option<(u32, Vec<Option<tantivy::postings::SegmentPostings>>)> = None;
        let mut positions: Vec<Vec<u32>> = vec![Vec::new(); words.len()];
        for &i in &order {
            let d = docs[i];
            if current
                .as_ref()
                .is_none_or(|(seg, _)| *seg != d.segment_ord)
            {
                let reader = searcher.segment_reader(d.segment_ord);
                let inverted = reader.inverted_index(field)?;
                let mut posts = Vec::with_capacity(words.len());
                for word in words {
                    let term = Term::from_field_text(field, word);
                    posts.push(
                        inverted.read_postings(&term, IndexRecordOption::WithFreqsAndPositions)?,
                    );
                }
                current = Some((d.segment_ord, posts));
            }
            let Some((_, posts)) = current.as_mut() else {
                continue;
            };
            let mut all = true;
            for (k, p) in posts.iter_mut().enumerate() {
                positions[k].clear();
                match p.as_mut().filter(|p| p.doc() <= d.doc_id) {
                    Some(p) => {
                        if p.seek(d.doc_id) == d.doc_id {
                            p.positions(&mut positions[k]);
                        } else {
                            all = false;
                        }
                    }
                    None => all = false,
                }
            }
            if !all {
                continue;
            }
            let pf = count(&positions);
            if pf > 0 {
                let reader = searcher.segment_reader(d.segment_ord);
                let id = reader.get_fieldnorms_reader(field)?.fieldnorm_id(d.doc_id);
                tf[i] += pf as f32 * norm[usize::from(id)];
                counts[i].push((field_name(field), pf));
            }
        }
    }
    for (i, slot) in out.iter_mut().enumerate() {
        if tf[i] > 0.0 {
            *slot = Some(PhraseMatch {
                phrase: words.join(" "),
                fields: std::mem::take(&mut counts[i]),
                whole,
                term: weight * tf[i] / (w.k1 + tf[i]),
            });
        }
    }
    Ok(out)
}

/// How often the words whose sorted positions are `positions` stand in a
/// row: the starts `p` with word `k` at `p + k` for every `k`.
fn count(positions: &[Vec<u32>]) -> u32 {
    let Some((first, rest)) = positions.split_first() else {
        return 0;
    };
    let mut n = 0;
    for &p in first {
        let held = rest.iter().enumerate().all(|(k, pos)| {
            u32::try_from(k + 1)
                .ok()
                .and_then(|k| p.checked_add(k))
                .is_some_and(|want| pos.binary_search(&want).is_ok())
        });
        if held {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn a_phrase_is_counted_where_its_words_stand_in_a_row() {
        assert_eq!(count(&[vec![0, 5, 9], vec![1, 7, 10], vec![2, 11]]), 2);
        assert_eq!(count(&[vec![3], vec![3]]), 0, "the same position");
        assert_eq!(count(&[vec![2], vec![1]]), 0, "reversed");
        // A repeated word: "learn to learn" at 4, 5, 6.
        assert_eq!(count(&[vec![4, 6], vec![5], vec![4, 6]]), 1);
        assert_eq!(count(&[]), 0);
    }
}

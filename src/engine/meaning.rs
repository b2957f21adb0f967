//! Interests by meaning at scoring time: each candidate's closeness to
//! what the reader's keywords mean ([`crate::rank::meaning`]), turned into
//! an interest clause for a paper that names no keyword.

use std::collections::HashMap;

use crate::index::Index;
use crate::paper::Paper;
use crate::rank::{self, Plan, Target};

/// The stems of the candidates and the index's document frequencies, for
/// the plan's meanings ([`rank::meaning`]); empty when the plan has none.
pub(super) struct Closeness {
    terms: Vec<Vec<String>>,
    df: HashMap<String, u64>,
    n: u64,
    min_upvotes: u64,
}

/// One candidate's stems with the index's document frequencies.
#[derive(Clone, Copy)]
pub(super) struct PaperCloseness<'a> {
    terms: &'a [String],
    df: &'a HashMap<String, u64>,
    n: u64,
    min_upvotes: u64,
}

impl Closeness {
    pub(super) fn of<'p>(
        index: &Index,
        plan: &Plan,
        papers: impl Iterator<Item = &'p Paper>,
        min_upvotes: u64,
    ) -> Closeness {
        if plan.meanings.is_empty() {
            return Closeness {
                terms: Vec::new(),
                df: HashMap::new(),
                n: 0,
                min_upvotes,
            };
        }
        let mut analyzer = crate::index::terms::Terms::new();
        let terms: Vec<Vec<String>> = papers.map(|p| analyzer.of(p)).collect();
        let df = index.doc_freqs(terms.iter().flatten().map(String::as_str));
        Closeness {
            terms,
            df,
            n: index.count(),
            min_upvotes,
        }
    }

    pub(super) fn at(&self, i: usize) -> Option<PaperCloseness<'_>> {
        self.terms.get(i).map(|terms| PaperCloseness {
            terms,
            df: &self.df,
            n: self.n,
            min_upvotes: self.min_upvotes,
        })
    }
}

/// For `explain`: the keyword a paper that matched none by meaning came
/// closest to, how close, and what a match needs.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Nearest {
    /// The keyword.
    pub keyword: String,
    /// The paper's closeness to what it means.
    pub closeness: f32,
    /// The closeness a match needs.
    pub threshold: f32,
    /// The paper's upvotes.
    pub upvotes: u64,
    /// The upvotes a match needs (half `digest.also_popular_min_upvotes`).
    pub min_upvotes: u64,
}

/// The keyword of `plan`'s meanings that `c`'s paper is closest to,
/// relative to each keyword's threshold; `None` without meanings.
pub(super) fn nearest(paper: &Paper, plan: &Plan, c: &PaperCloseness<'_>) -> Option<Nearest> {
    let idf = |s: &str| rank::meaning::idf(c.df.get(s).copied().unwrap_or(0), c.n);
    plan.meanings
        .iter()
        .filter(|(m, _)| m.threshold > 0.0)
        .map(|(m, _)| Nearest {
            keyword: m.keyword.clone(),
            closeness: m.closeness(c.terms, &idf),
            threshold: m.threshold,
            upvotes: paper.upvotes.unwrap_or(0),
            min_upvotes: c.min_upvotes,
        })
        .max_by(|a, b| {
            (a.closeness / a.threshold)
                .total_cmp(&(b.closeness / b.threshold))
                .then_with(|| b.keyword.cmp(&a.keyword))
        })
}

/// The upvotes a paper needs to match a keyword by meaning: half what
/// "Also popular" asks for (`digest.also_popular_min_upvotes`, 10 by
/// default). Closeness of words is weaker evidence than naming, so a paper
/// needs some readers' attention too; the full "Also popular" bar missed
/// the day's best papers on quiet days (December 2025: the most upvoted
/// relevant papers of a low day have 2–8 upvotes), while no bar at all let
/// in one off-topic paper for every two relevant ones it added.
pub(super) fn min_upvotes(config: &crate::config::Config) -> u64 {
    config.digest.also_popular_min_upvotes.div_ceil(2)
}

/// The word a reader recognises for `stem`: its most frequent spelling in
/// the counted text (a paper, or the papers about a keyword; ties: the
/// shorter, then the first alphabetically), or the stem itself.
pub(super) fn spelling(stem: &str, spellings: Option<&HashMap<String, u32>>) -> String {
    spellings
        .and_then(|s| {
            s.iter()
                .max_by(|a, b| {
                    a.1.cmp(b.1)
                        .then_with(|| b.0.len().cmp(&a.0.len()))
                        .then_with(|| b.0.cmp(a.0))
                })
                .map(|(w, _)| w.clone())
        })
        .unwrap_or_else(|| stem.to_string())
}

/// How many shared words an explain line names.
const SHARED_WORDS: usize = 4;

/// The plan and matches for one paper that names none of the reader's
/// keywords (at most in passing), with each keyword it is close to by
/// meaning ([`rank::meaning`]) counted as a [`Target::Meaning`] clause at
/// the keyword's weight, in place of the keyword's passing mention; `None`
/// when no meaning adds anything. Meaning is a way in for papers the words
/// miss, not a bonus: a paper that names one keyword is not also counted
/// close to another (related keywords would lift each other's papers).
pub(super) fn by_meaning(
    paper: &Paper,
    unscaled: &Plan,
    plan: &Plan,
    matched: &[bool],
    c: &PaperCloseness<'_>,
) -> Option<(Plan, Vec<bool>)> {
    // `plan` is `unscaled` with passing mentions cut ([`passing_mentions`]):
    // a clause that kept its weight is a real mention.
    let names_one =
        plan.clauses
            .iter()
            .zip(&unscaled.clauses)
            .zip(matched)
            .any(|((cl, orig), h)| {
                *h && cl.kind == rank::ClauseKind::Interest
                    && cl.weight > 0.0
                    && cl.weight >= orig.weight
            });
    // Closeness of words is weaker evidence than naming: it needs readers'
    // upvotes too ([`min_upvotes`]).
    if names_one || paper.upvotes.unwrap_or(0) < c.min_upvotes {
        return None;
    }
    let idf = |s: &str| rank::meaning::idf(c.df.get(s).copied().unwrap_or(0), c.n);
    let mut out: Option<(Plan, Vec<bool>)> = None;
    let mut spellings: Option<HashMap<String, HashMap<String, u32>>> = None;
    for (m, w) in &plan.meanings {
        let closeness = m.closeness(c.terms, &idf);
        let points = w * m.strength(closeness);
        if points <= 0.0 {
            continue;
        }
        let of_keyword = |cl: &rank::Clause| {
            cl.kind == rank::ClauseKind::Interest
                && cl.of.as_deref().unwrap_or(&cl.label) == m.keyword
        };
        // What the keyword already adds: its best clause in each place.
        let mut own: Vec<(Target, f32)> = Vec::new();
        for (cl, _) in plan
            .clauses
            .iter()
            .zip(matched)
            .filter(|(cl, h)| **h && of_keyword(cl))
        {
            match own.iter_mut().find(|(t, _)| *t == cl.target) {
                Some(o) => o.1 = o.1.max(cl.weight),
                None => own.push((cl.target, cl.weight)),
            }
        }
        let own: f32 = own.iter().map(|(_, w)| w).sum();
        if points <= own {
            continue;
        }
        let (p, hit) = out.get_or_insert_with(|| (plan.clone(), matched.to_vec()));
        for (cl, h) in p.clauses.iter().zip(hit.iter_mut()) {
            if of_keyword(cl) {
                *h = false;
            }
        }
        // The paper's spellings, read once however many keywords match.
        let spellings = spellings.get_or_insert_with(|| {
            let mut counts = HashMap::new();
            crate::index::terms::Terms::new().count_spellings(paper, &mut counts);
            counts
        });
        let words: Vec<String> = m
            .shared(c.terms, &idf, SHARED_WORDS)
            .into_iter()
            .map(|stem| spelling(&stem, spellings.get(&stem)))
            .collect();
        let instead = if own > 0.0 {
            format!("; in place of its own mention (+{own:.2})")
        } else {
            String::new()
        };
        p.clauses.push(rank::Clause {
            kind: rank::ClauseKind::Interest,
            label: m.keyword.clone(),
            target: Target::Meaning,
            weight: points,
            how: format!(
                "close to papers about it, sharing {}; closeness {closeness:.3}, matches from \
                 {:.3}; weight {w}{instead}",
                words.join(", "),
                m.threshold,
            ),
            of: None,
        });
        hit.push(true);
    }
    out
}

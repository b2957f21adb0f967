//! Query building blocks shared by the ranking queries and the trends
//! driver: boxed queries, the date window, counting, and tantivy's errors
//! worded as [`IndexError`]s.

use std::ops::Bound;

use jiff::Timestamp;
use tantivy::collector::Count;
use tantivy::query::{Query, RangeQuery};
use tantivy::{Searcher, Term};

use super::{Index, IndexError, to_datetime};

/// A query of any kind, as tantivy's boolean queries take them.
pub(crate) type BoxQuery = Box<dyn Query>;

/// Maps a tantivy error to [`IndexError::Engine`], naming `index`.
pub(crate) fn engine(index: &Index) -> impl Fn(tantivy::TantivyError) -> IndexError + '_ {
    move |e| index.tantivy_err(e)
}

impl Index {
    /// Papers dated in `[from, to)`.
    pub(crate) fn date_range(&self, from: Timestamp, to: Timestamp) -> BoxQuery {
        let f = self.fields.date;
        Box::new(RangeQuery::new(
            Bound::Included(Term::from_field_date(f, to_datetime(from))),
            Bound::Excluded(Term::from_field_date(f, to_datetime(to))),
        ))
    }

    /// How many papers match `q`.
    pub(crate) fn count_in(&self, searcher: &Searcher, q: &dyn Query) -> Result<usize, IndexError> {
        searcher.search(q, &Count).map_err(engine(self))
    }
}

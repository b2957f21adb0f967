//! Samples of papers for the text analyses: the newest papers dated in a
//! range and seen by a moment, read as titles and abstracts on several
//! threads.

use jiff::Timestamp;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, RangeQuery};
use tantivy::{DocAddress, Searcher};

use super::query::{BoxQuery, engine};
use super::{Index, IndexError, schema, to_datetime};
use crate::paper::Text;

impl Index {
    /// Papers dated in `[from, to)` and first seen no later than `now`.
    pub(crate) fn seen_between(&self, from: Timestamp, to: Timestamp, now: Timestamp) -> BoxQuery {
        let seen: BoxQuery = Box::new(RangeQuery::new(
            std::ops::Bound::Unbounded,
            std::ops::Bound::Included(tantivy::Term::from_field_date(
                self.fields.first_seen,
                to_datetime(now),
            )),
        ));
        Box::new(BooleanQuery::new(vec![
            (Occur::Must, self.date_range(from, to)),
            (Occur::Must, seen),
        ]))
    }

    /// The titles and abstracts matching `q` (newest first, at most `cap`)
    /// and how many papers match in all.
    pub(crate) fn texts_of(
        &self,
        searcher: &Searcher,
        q: &BoxQuery,
        cap: usize,
        threads: usize,
    ) -> Result<(Vec<Text>, usize), IndexError> {
        let total = self.count_in(searcher, &**q)?;
        if total == 0 || cap == 0 {
            return Ok((Vec::new(), total));
        }
        let addrs = self.newest(searcher, q, cap)?;
        Ok((self.texts_at(searcher, &addrs, threads)?, total))
    }

    /// The addresses of the papers matching `q`, newest first, at most `cap`.
    pub(crate) fn newest(
        &self,
        searcher: &Searcher,
        q: &BoxQuery,
        cap: usize,
    ) -> Result<Vec<DocAddress>, IndexError> {
        if cap == 0 {
            return Ok(Vec::new());
        }
        let addrs = searcher
            .search(
                &**q,
                &TopDocs::with_limit(cap)
                    .order_by_fast_field::<tantivy::DateTime>(schema::DATE, tantivy::Order::Desc),
            )
            .map_err(engine(self))?;
        Ok(addrs.into_iter().map(|(_, a)| a).collect())
    }

    /// The titles and abstracts of the papers at `addrs`, in that order,
    /// read on `threads` threads.
    pub(crate) fn texts_at(
        &self,
        searcher: &Searcher,
        addrs: &[DocAddress],
        threads: usize,
    ) -> Result<Vec<Text>, IndexError> {
        let parts = crate::parallel::map_parts(addrs, threads, |part| {
            part.iter()
                .map(|a| self.text_at(searcher, *a))
                .collect::<Result<Vec<Text>, IndexError>>()
        });
        let mut texts = Vec::with_capacity(addrs.len());
        for part in parts {
            texts.extend(part?);
        }
        Ok(texts)
    }

    /// The title and abstract of the paper at `addr`.
    pub(crate) fn text_at(
        &self,
        searcher: &Searcher,
        addr: DocAddress,
    ) -> Result<Text, IndexError> {
        let p = self.load(searcher, addr)?;
        Ok(Text {
            title: p.title,
            body: p.abstract_text,
        })
    }
}

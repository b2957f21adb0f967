//! `papertrend stats`

use std::collections::BTreeMap;
use std::io::Write;

use crate::Outcome;
use crate::app::App;
use crate::cli::StatsArgs;
use crate::error::{Error, Result};
use crate::exit;

/// Summary counts of the index.
#[derive(Debug, Default, serde::Serialize)]
pub struct Stats {
    /// Papers in the index.
    pub papers: u64,
    /// Papers per source format.
    pub sources: BTreeMap<String, u64>,
    /// Papers with an arXiv id.
    pub with_arxiv_id: u64,
    /// Papers with a code link.
    pub with_code: u64,
    /// Papers with a publication date.
    pub dated: u64,
    /// Oldest date (published, else first seen).
    pub oldest: Option<jiff::Timestamp>,
    /// Newest date.
    pub newest: Option<jiff::Timestamp>,
    /// The index folder.
    pub index_dir: String,
}

/// Prints counts about the index.
///
/// # Errors
/// An index failure (a data dir without an index yet reports 0 papers).
pub fn run(app: &App, args: &StatsArgs) -> Result<Outcome> {
    let mut s = Stats {
        index_dir: app.data.index().display().to_string(),
        ..Stats::default()
    };
    // A fresh data dir holds 0 papers: that is an answer, not an error.
    let index = match app.open_index() {
        Ok(index) => Some(index),
        Err(Error::Index(crate::index::IndexError::Missing { .. })) => None,
        Err(e) => return Err(e),
    };
    if let Some(index) = &index {
        s.index_dir = index.dir().display().to_string();
    }
    index.iter().try_for_each(|index| {
        index.for_each(|p| {
            s.papers += 1;
            for src in &p.sources {
                *s.sources.entry(src.clone()).or_default() += 1;
            }
            s.with_arxiv_id += u64::from(p.arxiv_id.is_some());
            s.with_code += u64::from(p.code_url.is_some());
            s.dated += u64::from(p.published.is_some());
            if let Some(d) = p.visible_date() {
                s.oldest = Some(s.oldest.map_or(d, |o| o.min(d)));
                s.newest = Some(s.newest.map_or(d, |n| n.max(d)));
            }
            Ok(())
        })
    })?;
    let mut out = crate::sanitize::stdout();
    let io = |e: std::io::Error| Error::io("stdout", e);
    if args.json || !app.stdout_tty {
        serde_json::to_writer_pretty(&mut out, &s).map_err(|e| io(e.into()))?;
        writeln!(out).map_err(io)?;
    } else {
        writeln!(out, "papers        {}", s.papers).map_err(io)?;
        writeln!(out, "with arXiv id {}", s.with_arxiv_id).map_err(io)?;
        writeln!(out, "with code     {}", s.with_code).map_err(io)?;
        writeln!(out, "dated         {}", s.dated).map_err(io)?;
        let day = |t: Option<jiff::Timestamp>| {
            t.map_or("-".to_string(), |t| t.strftime("%Y-%m-%d").to_string())
        };
        writeln!(out, "dates         {} … {}", day(s.oldest), day(s.newest)).map_err(io)?;
        for (k, v) in &s.sources {
            writeln!(out, "source        {k}: {v}").map_err(io)?;
        }
        writeln!(out, "index         {}", s.index_dir).map_err(io)?;
    }
    Ok(Outcome::new(exit::OK))
}

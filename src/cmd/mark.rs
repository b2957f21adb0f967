//! `papertrend mark ID... --like|--dislike|--save|--read` and `unmark`.

use crate::Outcome;
use crate::app::App;
use crate::cli::{MarkArgs, MarkFlags, UnmarkArgs};
use crate::error::{Error, Result};
use crate::exit;
use crate::marks::{MarkKind, Marks};
use crate::sanitize::sanitize_line;

/// The marks the flags name.
fn kinds(f: &MarkFlags) -> Vec<MarkKind> {
    [
        (f.like, MarkKind::Like),
        (f.dislike, MarkKind::Dislike),
        (f.save, MarkKind::Save),
        (f.read, MarkKind::Read),
    ]
    .into_iter()
    .filter_map(|(on, k)| on.then_some(k))
    .collect()
}

/// What setting `kinds` did, in words: "liked", "liked and saved",
/// "disliked, saved and marked read".
fn done(kinds: &[MarkKind]) -> String {
    let words: Vec<&str> = kinds
        .iter()
        .map(|k| match k {
            MarkKind::Like => "liked",
            MarkKind::Dislike => "disliked",
            MarkKind::Save => "saved",
            MarkKind::Read => "marked read",
        })
        .collect();
    match words.split_last() {
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

fn unknown(id: &str) -> Error {
    Error::Usage(format!(
        "no paper with id {:?} (ids as `search` and `show` print them: arxiv:2401.01234, 2401.01234)",
        sanitize_line(id)
    ))
}

/// Sets marks on papers. Every id is resolved first: one unknown id
/// (exit 2) marks nothing.
///
/// # Errors
/// No mark flag or an unknown id (exit 2), no index, or an I/O error.
pub fn run(app: &App, args: &MarkArgs) -> Result<Outcome> {
    let kinds = kinds(&args.flags);
    if kinds.is_empty() {
        return Err(Error::Usage(
            "say which mark to set: --like, --dislike, --save or --read".into(),
        ));
    }
    let index = app.open_index()?;
    let mut papers = Vec::new();
    for id in &args.ids {
        let paper = index.get(id)?.ok_or_else(|| unknown(id))?;
        papers.push((paper.id, paper.title));
    }
    let now = app.clock.now();
    Marks::update(&app.data, |marks| {
        for (id, title) in &papers {
            for k in &kinds {
                marks.mark(id, title, *k, now);
            }
        }
        Ok(())
    })?;
    app.confirm(&format!(
        "{} {}",
        done(&kinds),
        crate::words::count_len(papers.len(), "paper")
    ));
    Ok(Outcome::new(exit::OK))
}

/// Clears marks. An id may be given in any form the index knows, or
/// exactly as `marks` lists it (for a paper no longer in the index).
///
/// # Errors
/// An id that is neither in the index nor marked (exit 2), or an I/O error.
pub fn unmark(app: &App, args: &UnmarkArgs) -> Result<Outcome> {
    let kinds = kinds(&args.flags);
    let index = app.open_index().ok();
    let current = Marks::load(&app.data)?;
    let mut ids = Vec::new();
    for id in &args.ids {
        let found = match &index {
            Some(index) => index.get(id)?.map(|p| p.id),
            None => None,
        };
        let id = match found {
            Some(found) => found,
            None if current.get(id.trim()).is_some() => id.trim().to_string(),
            None => return Err(unknown(id)),
        };
        ids.push(id);
    }
    let now = app.clock.now();
    let changed = Marks::update(&app.data, |marks| {
        Ok(ids
            .iter()
            .filter(|id| marks.unmark(id, &kinds, now))
            .count())
    })?;
    app.confirm(&format!(
        "unmarked {}",
        crate::words::count_len(changed, "paper")
    ));
    Ok(Outcome::new(exit::OK))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_marking_did_reads_as_words() {
        assert_eq!(done(&[MarkKind::Like]), "liked");
        assert_eq!(done(&[MarkKind::Like, MarkKind::Save]), "liked and saved");
        assert_eq!(
            done(&[MarkKind::Dislike, MarkKind::Save, MarkKind::Read]),
            "disliked, saved and marked read"
        );
    }
}

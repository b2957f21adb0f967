//! `papertrend interests`: the reader's keywords and what stands for each
//! (their own aliases, and the aliases and neighbours learned from the
//! index), so that matching by meaning is never hidden.

use std::io::Write;

use crate::Outcome;
use crate::app::App;
use crate::cli::InterestsArgs;
use crate::error::{Error, Result};
use crate::exit;
use crate::output::wrap;
use crate::rank::meaning::Meaning;
use crate::rank::{Expansion, Via};
use crate::sanitize::sanitize_line;

/// One keyword and what stands for it, as `--json` prints it.
#[derive(Debug, serde::Serialize)]
struct Entry<'a> {
    keyword: &'a str,
    weight: f32,
    aliases: Vec<&'a Expansion>,
    neighbours: Vec<&'a Expansion>,
    ignored: Vec<&'a Expansion>,
    /// What the keyword means: papers this close to those about it match
    /// it without naming it.
    #[serde(skip_serializing_if = "Option::is_none")]
    meaning: Option<&'a Meaning>,
}

/// Prints each keyword with its weight, aliases and neighbours.
///
/// # Errors
/// An index failure, or an I/O error on stdout.
pub fn run(app: &App, args: &InterestsArgs) -> Result<Outcome> {
    let interests = &app.config.interests;
    let learned = match app.open_index() {
        Ok(index) => crate::engine::expand::learned(&index, interests, app.clock.now())?,
        Err(Error::Index(crate::index::IndexError::Missing { .. })) => Default::default(),
        Err(e) => return Err(e),
    };
    let meanings = learned.meanings;
    let expansions = learned.expansions;
    // A term that is one of the keywords matches as that keyword already.
    let expansions: Vec<Expansion> = expansions
        .into_iter()
        .filter(|e| {
            !interests
                .keywords
                .keys()
                .any(|k| k.trim().eq_ignore_ascii_case(e.term.trim()))
        })
        .collect();
    let ignored = |e: &Expansion| {
        interests
            .ignore
            .iter()
            .any(|i| i.trim().eq_ignore_ascii_case(e.term.trim()))
    };
    let entries: Vec<Entry<'_>> = interests
        .keywords
        .iter()
        .map(|(k, w)| {
            let of = |via: &[Via]| -> Vec<&Expansion> {
                expansions
                    .iter()
                    .filter(|e| &e.keyword == k && via.contains(&e.via) && !ignored(e))
                    .collect()
            };
            Entry {
                keyword: k,
                weight: *w,
                aliases: of(&[Via::Reader, Via::Alias]),
                neighbours: of(&[Via::Neighbour]),
                ignored: expansions
                    .iter()
                    .filter(|e| &e.keyword == k && ignored(e))
                    .collect(),
                meaning: meanings.iter().find(|m| &m.keyword == k),
            }
        })
        .collect();
    let mut out = std::io::BufWriter::new(crate::sanitize::stdout());
    let io = |e: std::io::Error| Error::io("stdout", e);
    if args.json {
        serde_json::to_writer_pretty(&mut out, &entries).map_err(|e| io(e.into()))?;
        writeln!(out).map_err(io)?;
    } else {
        let text = render(
            &entries,
            interests.expand,
            interests.neighbour_weight,
            app.width,
        );
        out.write_all(text.as_bytes()).map_err(io)?;
    }
    out.flush().map_err(io)?;
    Ok(Outcome::new(exit::OK))
}

fn render(entries: &[Entry<'_>], expand: bool, neighbour: f32, width: usize) -> String {
    let mut s = String::new();
    if entries.is_empty() {
        s.push_str("No interests yet: add `keywords` under [interests] in your config.\n");
        return s;
    }
    let list = |v: &[&Expansion]| {
        v.iter()
            .map(|e| sanitize_line(&e.term))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for e in entries {
        let mut lines = vec![format!(
            "{} (weight {})",
            sanitize_line(e.keyword),
            e.weight
        )];
        if !e.aliases.is_empty() {
            lines.push(format!("  aliases: {}", list(&e.aliases)));
        }
        if !e.neighbours.is_empty() {
            lines.push(format!(
                "  neighbours (x {neighbour}): {}",
                list(&e.neighbours)
            ));
        }
        if !e.ignored.is_empty() {
            lines.push(format!("  ignored: {}", list(&e.ignored)));
        }
        if let Some(m) = e.meaning {
            lines.push(format!(
                "  by meaning: papers close to the {} about it ({}, …)",
                m.papers,
                m.words
                    .iter()
                    .map(|w| sanitize_line(w))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if e.aliases.is_empty() && e.neighbours.is_empty() && e.meaning.is_none() {
            lines.push("  (matched by its own words only)".into());
        }
        for line in lines {
            // The keyword at column 0, its details at 2, continuations at 4.
            let first = if line.starts_with("  ") { "  " } else { "" };
            for (i, l) in wrap(line.trim_start(), width.saturating_sub(4).max(20))
                .into_iter()
                .enumerate()
            {
                s.push_str(if i == 0 { first } else { "    " });
                s.push_str(&l);
                s.push('\n');
            }
        }
    }
    let footer = if expand {
        "Aliases are acronyms your papers define; neighbours are phrases far more common in \
         papers about the keyword; by meaning, a paper whose words are as close to those \
         papers as most of them are matches without naming the keyword. Add your own \
         aliases with [interests] aliases, drop one with [interests] ignore, turn learning \
         off with expand = false."
    } else {
        "Learning aliases, neighbours and meanings is off ([interests] expand = false)."
    };
    s.push('\n');
    for l in wrap(footer, width.max(20)) {
        s.push_str(&l);
        s.push('\n');
    }
    s
}

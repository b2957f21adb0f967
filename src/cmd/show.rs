//! `papertrend show ID`

use std::io::Write;

use crate::Outcome;
use crate::app::App;
use crate::cli::{OutputFormat, ShowArgs};
use crate::error::{Error, Result};
use crate::exit;
use crate::output::{Row, date_of};
use crate::sanitize::{sanitize_line, sanitize_terminal};

/// Prints one paper: a readable card on a terminal, else its JSON record.
///
/// # Errors
/// When no paper has that id (exit 1), or an index failure.
pub fn run(app: &App, args: &ShowArgs) -> Result<Outcome> {
    let index = app.open_index()?;
    let paper = index
        .get(&args.id)?
        .ok_or_else(|| Error::Other(format!("no paper with id {:?}", sanitize_line(&args.id))))?;
    let format = args.output.chosen().unwrap_or(if app.stdout_tty {
        OutputFormat::Table
    } else {
        OutputFormat::Json
    });
    if format != OutputFormat::Table {
        if format == OutputFormat::Json {
            let mut out = crate::sanitize::stdout();
            serde_json::to_writer_pretty(&mut out, &paper)
                .map_err(|e| Error::io("stdout", e.into()))?;
            writeln!(out).map_err(|e| Error::io("stdout", e))?;
            return Ok(Outcome::new(exit::OK));
        }
        crate::cmd::print_rows(app, &args.output, &[Row::new(&paper)])?;
        return Ok(Outcome::new(exit::OK));
    }
    let mut card = String::new();
    let line = |k: &str, v: &str, card: &mut String| {
        if !v.is_empty() {
            card.push_str(&format!("{k:<12} {}\n", sanitize_line(v)));
        }
    };
    line("id", &paper.id, &mut card);
    line("title", &paper.title, &mut card);
    line("authors", &paper.authors.join(", "), &mut card);
    line("date", &date_of(&paper), &mut card);
    line("categories", &paper.categories.join(" "), &mut card);
    line("keywords", &paper.keywords.join(", "), &mut card);
    let counts: Vec<String> = [
        ("upvotes", paper.upvotes),
        ("comments", paper.comments),
        ("stars", paper.github_stars),
    ]
    .iter()
    .filter_map(|(k, v)| v.map(|v| format!("{v} {k}")))
    .collect();
    line("counts", &counts.join(", "), &mut card);
    line("code", paper.code_url.as_deref().unwrap_or(""), &mut card);
    line("url", paper.url.as_deref().unwrap_or(""), &mut card);
    line("pdf", paper.pdf_url.as_deref().unwrap_or(""), &mut card);
    line(
        "first seen",
        &paper.first_seen.map(|t| t.to_string()).unwrap_or_default(),
        &mut card,
    );
    line("sources", &paper.sources.join(", "), &mut card);
    card.push('\n');
    card.push_str(&sanitize_terminal(&paper.abstract_text));
    card.push('\n');
    crate::sanitize::stdout()
        .write_all(card.as_bytes())
        .map_err(|e| Error::io("stdout", e))?;
    Ok(Outcome::new(exit::OK))
}

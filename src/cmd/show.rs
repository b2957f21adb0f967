//! `papertrend show ID`

use std::io::Write;

use crate::Outcome;
use crate::app::App;
use crate::cli::{OutputFormat, ShowArgs};
use crate::error::{Error, Result};
use crate::exit;
use crate::output::{Row, date_of, wrap};
use crate::paper::Paper;
use crate::sanitize::{sanitize_line, sanitize_terminal};

/// Prints one paper: a readable card on a terminal, else its JSON record.
///
/// # Errors
/// When no paper has that id (exit 2, worded as by `similar` and
/// `explain`), or an index failure.
pub fn run(app: &App, args: &ShowArgs) -> Result<Outcome> {
    let index = app.open_index()?;
    let paper = index.get(&args.id)?.ok_or_else(|| {
        Error::Usage(format!(
            "no paper with id {:?} in the index",
            sanitize_line(&args.id)
        ))
    })?;
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
    let card = card(&paper, app.width);
    crate::sanitize::stdout()
        .write_all(card.as_bytes())
        .map_err(|e| Error::io("stdout", e))?;
    Ok(Outcome::new(exit::OK))
}

/// Width of the label column of the card.
const LABEL: usize = 12;

/// The card: one labelled field per line, values wrapped under themselves,
/// then the abstract wrapped to `width` display columns.
fn card(paper: &Paper, width: usize) -> String {
    let mut card = String::new();
    let room = width.saturating_sub(LABEL + 1).max(20);
    let mut line = |k: &str, v: &str| {
        if v.is_empty() {
            return;
        }
        // Links stay whole, so a terminal can still open them.
        let lines = if matches!(k, "code" | "url" | "pdf" | "project" | "thumbnail") {
            vec![sanitize_line(v)]
        } else {
            wrap(&sanitize_line(v), room)
        };
        for (i, l) in lines.iter().enumerate() {
            let k = if i == 0 { k } else { "" };
            card.push_str(&format!("{k:<LABEL$} {l}\n"));
        }
    };
    line("id", &paper.id);
    line("title", &paper.title);
    line("authors", &paper.authors.join(", "));
    line("date", &date_of(paper));
    line("categories", &paper.categories.join(" "));
    line("keywords", &paper.keywords.join(", "));
    let counts: Vec<String> = [
        ("upvotes", paper.upvotes),
        ("comments", paper.comments),
        ("stars", paper.github_stars),
    ]
    .iter()
    .filter_map(|(k, v)| v.map(|v| format!("{v} {k}")))
    .collect();
    line("counts", &counts.join(", "));
    line("code", paper.code_url.as_deref().unwrap_or(""));
    line("url", paper.url.as_deref().unwrap_or(""));
    line("pdf", paper.pdf_url.as_deref().unwrap_or(""));
    line("project", paper.project_url.as_deref().unwrap_or(""));
    line("thumbnail", paper.thumbnail.as_deref().unwrap_or(""));
    line("summary", paper.summary.as_deref().unwrap_or(""));
    line(
        "first seen",
        &paper.first_seen.map(|t| t.to_string()).unwrap_or_default(),
    );
    line("sources", &paper.sources.join(", "));
    card.push('\n');
    for para in sanitize_terminal(&paper.abstract_text).split('\n') {
        for l in wrap(para, width) {
            card.push_str(&l);
            card.push('\n');
        }
    }
    card
}

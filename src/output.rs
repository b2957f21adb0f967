//! Writing results: table, JSON, JSON Lines, Markdown and CSV; colour choice;
//! terminal sanitising.
//!
//! Every JSON record is a [`Paper`] plus, for ranked results, `score`,
//! `snippet` and (with `--explain`) `explain`. Text from feeds is untrusted:
//! before it reaches a terminal, control and bidi-override characters are
//! removed ([`crate::sanitize`]); JSON and CSV escape it by construction.

use std::io::{self, Write};

use serde::Serialize;

use crate::cli::OutputFormat;
use crate::error::{Error, Result};
use crate::index::reader::Snippet;
use crate::paper::Paper;
use crate::sanitize::{sanitize_line, sanitize_terminal};

/// One result row: the record plus ranking fields.
#[derive(Debug, Serialize)]
pub struct Row<'a> {
    /// The paper.
    #[serde(flatten)]
    pub paper: &'a Paper,
    /// Relevance or trending score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
    /// Abstract fragment matching the query.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
    /// The score's parts (`--explain`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<serde_json::Value>,
    /// A one-line reason (`--explain`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    #[serde(skip)]
    /// Highlight ranges of the snippet, for terminals.
    pub snippet_ranges: Vec<(usize, usize)>,
}

impl<'a> Row<'a> {
    /// A row with just a paper.
    pub fn new(paper: &'a Paper) -> Self {
        Row {
            paper,
            score: None,
            snippet: None,
            explain: None,
            why: None,
            snippet_ranges: Vec::new(),
        }
    }

    /// Adds a snippet.
    pub fn with_snippet(mut self, snippet: Option<&Snippet>) -> Self {
        if let Some(s) = snippet {
            self.snippet = Some(s.text.clone());
            self.snippet_ranges.clone_from(&s.highlights);
        }
        self
    }
}

/// Style toggles for terminal output.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// Whether to use ANSI colour and bold.
    pub color: bool,
    /// Terminal width in columns.
    pub width: usize,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// The terminal width (`COLUMNS`, else the tty, else 100).
pub fn terminal_width() -> usize {
    terminal_size::terminal_size()
        .map_or(100, |(w, _)| usize::from(w.0))
        .clamp(40, 200)
}

/// Writes rows in `format` to `out`.
///
/// # Errors
/// An I/O error (a closed pipe is reported as such and exits quietly).
pub fn write_rows(
    out: &mut dyn Write,
    format: OutputFormat,
    rows: &[Row<'_>],
    style: Style,
) -> Result<()> {
    let io = |e: io::Error| Error::io("stdout", e);
    match format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, rows).map_err(|e| io(e.into()))?;
            writeln!(out).map_err(io)?;
        }
        OutputFormat::Jsonl => {
            for r in rows {
                serde_json::to_writer(&mut *out, r).map_err(|e| io(e.into()))?;
                writeln!(out).map_err(io)?;
            }
        }
        OutputFormat::Csv => {
            writeln!(
                out,
                "rank,score,id,date,title,authors,categories,upvotes,url"
            )
            .map_err(io)?;
            for (i, r) in rows.iter().enumerate() {
                let p = r.paper;
                let cells = [
                    (i + 1).to_string(),
                    r.score.map(|s| format!("{s:.4}")).unwrap_or_default(),
                    p.id.clone(),
                    date_of(p),
                    p.title.clone(),
                    p.authors.join("; "),
                    p.categories.join(" "),
                    p.upvotes.map(|u| u.to_string()).unwrap_or_default(),
                    p.url.clone().unwrap_or_default(),
                ];
                let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
                writeln!(out, "{}", line.join(",")).map_err(io)?;
            }
        }
        OutputFormat::Md => {
            for (i, r) in rows.iter().enumerate() {
                let p = r.paper;
                let title = md_escape(&sanitize_line(&p.title));
                let link = p.url.as_deref().map_or(title.clone(), |u| {
                    format!("[{title}](<{}>)", u.replace('>', "%3E"))
                });
                writeln!(
                    out,
                    "{}. {link} — {} · `{}`",
                    i + 1,
                    md_escape(&sanitize_line(&authors_short(&p.authors, 3))),
                    date_of(p)
                )
                .map_err(io)?;
                if let Some(w) = &r.why {
                    writeln!(out, "   - why: {}", md_escape(&sanitize_line(w))).map_err(io)?;
                }
                if let Some(s) = &r.snippet {
                    writeln!(out, "   - {}", md_escape(&sanitize_line(s))).map_err(io)?;
                }
            }
        }
        OutputFormat::Table => write_table(out, rows, style).map_err(io)?,
    }
    out.flush().map_err(io)
}

fn write_table(out: &mut dyn Write, rows: &[Row<'_>], style: Style) -> io::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let id_w = rows
        .iter()
        .map(|r| r.paper.id.chars().count())
        .max()
        .unwrap_or(0)
        .min(28);
    let has_score = rows.iter().any(|r| r.score.is_some());
    for (i, r) in rows.iter().enumerate() {
        let p = r.paper;
        let score = r
            .score
            .filter(|_| has_score)
            .map(|s| format!("{s:>7.2} "))
            .unwrap_or_default();
        let prefix = format!(
            "{:>3}. {score}{:<10} {:<id_w$} ",
            i + 1,
            date_of(p),
            truncate(&p.id, id_w)
        );
        let room = style.width.saturating_sub(prefix.chars().count()).max(20);
        writeln!(
            out,
            "{}{}",
            style.paint("2", &prefix),
            style.paint("1", &truncate(&sanitize_line(&p.title), room))
        )?;
        let indent = "     ";
        if let Some(w) = &r.why {
            writeln!(
                out,
                "{indent}{}",
                style.paint(
                    "36",
                    &truncate(&sanitize_line(w), style.width.saturating_sub(5))
                )
            )?;
        }
        if let Some(s) = &r.snippet {
            writeln!(out, "{indent}{}", highlight(s, &r.snippet_ranges, style))?;
        }
        // `top --explain`: one line per contributing detail of each part.
        let parts = r.explain.as_ref().and_then(|e| e.get("parts"));
        for part in parts.and_then(|p| p.as_array()).into_iter().flatten() {
            let name = part["name"].as_str().unwrap_or_default();
            let points = if name == "freshness" {
                format!("x{:.3}", part["value"].as_f64().unwrap_or(0.0))
            } else {
                format!("{:+.3}", part["points"].as_f64().unwrap_or(0.0))
            };
            let details = part["detail"].as_array().into_iter().flatten();
            for (i, d) in details.enumerate() {
                let d = sanitize_line(d.as_str().unwrap_or_default());
                let line = if i == 0 {
                    format!("{indent}  {name:<10} {points:>7}  {d}")
                } else {
                    format!("{indent}  {:<10} {:>7}  {d}", "", "")
                };
                writeln!(out, "{}", style.paint("2", &truncate(&line, style.width)))?;
            }
        }
    }
    Ok(())
}

/// Paints the highlighted byte ranges of a snippet (bold yellow) after
/// sanitising the text.
fn highlight(text: &str, ranges: &[(usize, usize)], style: Style) -> String {
    let mut out = String::new();
    let mut at = 0;
    for &(s, e) in ranges {
        if s < at || e > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            continue;
        }
        out.push_str(&sanitize_line(&text[at..s]));
        out.push_str(&style.paint("1;33", &sanitize_line(&text[s..e])));
        at = e;
    }
    out.push_str(&sanitize_line(&text[at..]));
    out
}

/// The paper's date as `YYYY-MM-DD`, or `-`.
pub fn date_of(p: &Paper) -> String {
    p.effective_date()
        .map_or_else(|| "-".into(), |t| t.strftime("%Y-%m-%d").to_string())
}

/// "A, B, C et al." with at most `n` names.
pub fn authors_short(authors: &[String], n: usize) -> String {
    match authors.len() {
        0 => String::new(),
        len if len <= n => authors.join(", "),
        _ => format!("{} et al.", authors[..n].join(", ")),
    }
}

/// Truncates to `max` characters with an ellipsis.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
    t.push('…');
    t
}

fn csv_cell(s: &str) -> String {
    // Control characters are dropped (CSV often lands on a terminal), and
    // cells starting with = + - @ are prefixed so spreadsheets do not run them.
    let s = sanitize_terminal(s);
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Escapes Markdown control characters in feed text.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=SUM(A1)"), "'=SUM(A1)");
    }

    #[test]
    fn authors_are_shortened_with_et_al() {
        let a: Vec<String> = ["A", "B", "C", "D"]
            .iter()
            .map(|s| (*s).to_string())
            .collect();
        assert_eq!(authors_short(&a, 3), "A, B, C et al.");
        assert_eq!(authors_short(&a[..2], 3), "A, B");
    }
}

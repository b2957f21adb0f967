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
use crate::rank::{Match, Part, PartName, Score};
pub use crate::sanitize::md_escape;
use crate::sanitize::{safe_url, sanitize_line, sanitize_terminal};

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
    /// The score whose parts a terminal `--explain` lists.
    #[serde(skip)]
    pub parts: Option<&'a Score>,
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
            parts: None,
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
    /// Terminal width in display columns.
    pub width: usize,
    /// Whether to show the score and the full id (`--wide`).
    pub wide: bool,
}

/// The looks of terminal output, by role.
#[derive(Clone, Copy, Debug)]
enum Look {
    /// Titles.
    Title,
    /// Rank, date, id and score.
    Meta,
    /// The one-line reason of `top`.
    Why,
    /// A matched term in a snippet.
    Match,
}

impl Style {
    fn paint(&self, look: Look, s: &str) -> String {
        use anstyle::{AnsiColor, Style as Ansi};
        if !self.color || s.is_empty() {
            return s.to_string();
        }
        let ansi = match look {
            Look::Title => Ansi::new().bold(),
            Look::Meta => Ansi::new().dimmed(),
            Look::Why => Ansi::new().fg_color(Some(AnsiColor::Cyan.into())),
            Look::Match => Ansi::new().bold().fg_color(Some(AnsiColor::Yellow.into())),
        };
        format!("{ansi}{s}{ansi:#}")
    }
}

/// The default width when neither `--width`, `COLUMNS` nor a terminal says
/// otherwise.
pub const DEFAULT_WIDTH: usize = 80;
/// The narrowest width honoured; anything narrower is laid out at this.
pub const MIN_WIDTH: usize = 40;
/// The widest width honoured.
pub const MAX_WIDTH: usize = 1000;

/// The output width in display columns: `forced` (`--width` or `COLUMNS`,
/// chosen by `App`), else the terminal's width when stdout is a terminal,
/// else [`DEFAULT_WIDTH`]; clamped to [`MIN_WIDTH`]..=[`MAX_WIDTH`].
pub fn terminal_width(forced: Option<usize>, stdout_tty: bool) -> usize {
    forced
        .or_else(|| {
            stdout_tty
                .then(terminal_size::terminal_size)
                .flatten()
                .map(|(w, _)| usize::from(w.0))
        })
        .unwrap_or(DEFAULT_WIDTH)
        .clamp(MIN_WIDTH, MAX_WIDTH)
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
        OutputFormat::Csv => write_csv(&mut *out, rows).map_err(io)?,
        OutputFormat::Md => {
            for (i, r) in rows.iter().enumerate() {
                let p = r.paper;
                let title = md_escape(&sanitize_line(&p.title));
                // Only http(s) targets, encoded as the digest's are: a
                // `javascript:` URL or one with `<` or a newline is plain text.
                let link = p
                    .url
                    .as_deref()
                    .and_then(safe_url)
                    .map_or_else(|| title.clone(), |u| format!("[{title}]({u})"));
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

/// CSV with a header row, through the `csv` crate (quoting by RFC 4180).
fn write_csv(out: &mut dyn Write, rows: &[Row<'_>]) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "rank",
        "score",
        "id",
        "date",
        "title",
        "authors",
        "categories",
        "upvotes",
        "url",
    ])?;
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
        w.write_record(cells.iter().map(|c| csv_cell(c)))?;
    }
    w.flush()
}

/// The indent of every line under a result's title.
const INDENT: &str = "     ";

/// The terminal listing: per paper, the rank and title on the first line,
/// then (dimmed) the date and the short id, then the reason, the snippet
/// and the explain lines, each wrapped to the width under the title.
fn write_table(out: &mut dyn Write, rows: &[Row<'_>], style: Style) -> io::Result<()> {
    let body = style.width.saturating_sub(INDENT.len()).max(20);
    for (i, r) in rows.iter().enumerate() {
        let p = r.paper;
        let title = sanitize_line(&p.title);
        let title_lines = if style.wide {
            wrap(&title, body)
        } else {
            vec![truncate(&title, body)]
        };
        for (j, line) in title_lines.iter().enumerate() {
            let lead = if j == 0 {
                format!("{:>3}. ", i + 1)
            } else {
                INDENT.to_string()
            };
            writeln!(
                out,
                "{}{}",
                style.paint(Look::Meta, &lead),
                style.paint(Look::Title, line)
            )?;
        }
        let mut meta = vec![date_of(p)];
        if style.wide {
            meta.push(sanitize_line(&p.id));
            if let Some(s) = r.score {
                meta.push(format!("score {s:.2}"));
            }
        } else {
            meta.push(truncate(&sanitize_line(short_id(&p.id)), body / 2));
        }
        writeln!(
            out,
            "{INDENT}{}",
            style.paint(Look::Meta, &meta.join(" · "))
        )?;
        if let Some(w) = &r.why {
            for line in wrap(&sanitize_line(w), body) {
                writeln!(out, "{INDENT}{}", style.paint(Look::Why, &line))?;
            }
        }
        if let Some(s) = &r.snippet {
            for line in snippet_lines(s, &r.snippet_ranges, &p.abstract_text, body, style) {
                writeln!(out, "{INDENT}{line}")?;
            }
        }
        write_explain(out, r, style)?;
    }
    Ok(())
}

/// The details of `part` that count toward it: all of them, except for
/// momentum, which counts its best rising topic only, so only that one is
/// listed (with how many others matched).
pub fn counted_details(part: &Part, matches: &[Match]) -> Vec<String> {
    if part.name != PartName::Momentum || part.detail.len() < 2 {
        return part.detail.clone();
    }
    // One detail per momentum match, in the same order (`rank::score`).
    let weights: Vec<f32> = matches
        .iter()
        .filter(|m| m.part == PartName::Momentum)
        .map(|m| m.weight)
        .collect();
    let best = weights
        .iter()
        .enumerate()
        .fold(None::<(usize, f32)>, |acc, (i, &w)| match acc {
            Some((_, bw)) if bw >= w => acc,
            _ => Some((i, w)),
        })
        .map_or(0, |(i, _)| i);
    let others = part.detail.len() - 1;
    vec![format!(
        "{} (the best of {} rising topics it matches; only the best counts)",
        part.detail.get(best).map_or("", String::as_str),
        others + 1
    )]
}

/// `top --explain` on a terminal: each part's value before freshness with
/// what made it, their sum, then `x freshness` and the score, so the
/// numbers on screen add up. Details wrap under themselves.
fn write_explain(out: &mut dyn Write, r: &Row<'_>, style: Style) -> io::Result<()> {
    let Some(score) = r.parts else {
        return write_parts_json(out, r, style);
    };
    let head_of = |name: &str, num: &str| format!("{INDENT}  {name:<10} {num:>8}  ");
    let blank = head_of("", "");
    let line = |out: &mut dyn Write, head: &str, text: &str| -> io::Result<()> {
        let lines = crate::wrap::indented(text, style.width, head, &blank);
        for l in lines {
            writeln!(out, "{}", style.paint(Look::Meta, l.trim_end()))?;
        }
        Ok(())
    };
    let mut sum = 0.0f32;
    let mut added = Vec::new();
    let mut fresh = None;
    for part in &score.parts {
        if part.name == PartName::Freshness {
            fresh = Some(part);
            continue;
        }
        if part.value == 0.0 && part.detail.is_empty() {
            continue;
        }
        sum += part.value;
        added.push(part.name.as_str());
        let details = counted_details(part, &score.matches);
        let head = head_of(part.name.as_str(), &format!("{:+.3}", part.value));
        if details.is_empty() {
            line(out, &head, "")?;
        }
        for (i, d) in details.iter().enumerate() {
            let head = if i == 0 {
                head.as_str()
            } else {
                blank.as_str()
            };
            line(out, head, &sanitize_line(d))?;
        }
    }
    line(
        out,
        &head_of("sum", &format!("{sum:.3}")),
        &format!("{}, before freshness", added.join(" + ")),
    )?;
    if let Some(f) = fresh {
        let detail: Vec<String> = f.detail.iter().map(|d| sanitize_line(d)).collect();
        line(
            out,
            &head_of("freshness", &format!("x{:.3}", f.value)),
            &detail.join("; "),
        )?;
    }
    line(
        out,
        &head_of("score", &format!("{:.3}", score.total)),
        "sum x freshness",
    )?;
    Ok(())
}

/// `search --explain` on a terminal: each part of the explain object with
/// its points, the details wrapped under themselves.
fn write_parts_json(out: &mut dyn Write, r: &Row<'_>, style: Style) -> io::Result<()> {
    let parts = r.explain.as_ref().and_then(|e| e.get("parts"));
    for part in parts.and_then(|p| p.as_array()).into_iter().flatten() {
        let name = part["name"].as_str().unwrap_or_default();
        let points = format!("{:+.3}", part["points"].as_f64().unwrap_or(0.0));
        let details = part["detail"].as_array().into_iter().flatten();
        for (i, d) in details.enumerate() {
            let d = sanitize_line(d.as_str().unwrap_or_default());
            let head = if i == 0 {
                format!("{INDENT}  {name:<10} {points:>7}  ")
            } else {
                format!("{INDENT}  {:<10} {:>7}  ", "", "")
            };
            let rest = " ".repeat(head.len());
            for line in crate::wrap::indented(&d, style.width, &head, &rest) {
                writeln!(out, "{}", style.paint(Look::Meta, &line))?;
            }
        }
    }
    Ok(())
}

/// An id as shown in a listing: `arxiv:` dropped (`show 2401.01234` finds
/// it), every other id whole.
pub fn short_id(id: &str) -> &str {
    id.strip_prefix("arxiv:").unwrap_or(id)
}

/// A snippet cut at word boundaries, with "…" where it does not start or
/// end with the abstract, wrapped to `width` columns, matches highlighted.
fn snippet_lines(
    text: &str,
    ranges: &[(usize, usize)],
    abstract_text: &str,
    width: usize,
    style: Style,
) -> Vec<String> {
    let (mut from, mut to) = (0, text.len());
    let (mut head, mut tail) = (false, false);
    if let Some(at) = abstract_text.find(text) {
        let before = abstract_text[..at].chars().next_back();
        let after = abstract_text[at + text.len()..].chars().next();
        head = before.is_some();
        tail = after.is_some();
        // A fragment that starts or ends inside a word loses that piece.
        if before.is_some_and(char::is_alphanumeric) {
            from = text.find(char::is_whitespace).map_or(0, |i| i + 1);
        }
        if after.is_some_and(char::is_alphanumeric) {
            to = text.rfind(char::is_whitespace).unwrap_or(text.len());
        }
        if from >= to {
            (from, to) = (0, text.len());
        }
    }
    let shifted: Vec<(usize, usize)> = ranges
        .iter()
        .filter(|&&(s, e)| s >= from && e <= to && s < e)
        .map(|&(s, e)| (s - from, e - from))
        .collect();
    let (clean, ranges) = clean_with_ranges(text[from..to].trim_end(), &shifted);
    let clean_trimmed = clean.trim_start();
    let lead = clean.len() - clean_trimmed.len();
    let mut body = String::new();
    if head {
        body.push('…');
    }
    let offset = body.len();
    body.push_str(clean_trimmed);
    if tail {
        body.push('…');
    }
    let ranges: Vec<(usize, usize)> = ranges
        .iter()
        .filter(|&&(s, _)| s >= lead)
        .map(|&(s, e)| (s - lead + offset, e - lead + offset))
        .collect();
    crate::wrap::ranges(&body, width)
        .into_iter()
        .map(|(s, e)| {
            let mut line = String::new();
            let mut at = s;
            for &(hs, he) in &ranges {
                let (hs, he) = (hs.max(s), he.min(e));
                if hs < at || hs >= he {
                    continue;
                }
                line.push_str(&body[at..hs]);
                line.push_str(&style.paint(Look::Match, &body[hs..he]));
                at = he;
            }
            line.push_str(&body[at..e]);
            line
        })
        .collect()
}

/// Sanitises `text` for one terminal line and moves the byte ranges with it.
fn clean_with_ranges(text: &str, ranges: &[(usize, usize)]) -> (String, Vec<(usize, usize)>) {
    let mut clean = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len() + 1);
    let mut buf = [0u8; 4];
    for (i, c) in text.char_indices() {
        map.push((i, clean.len()));
        clean.push_str(&sanitize_line(c.encode_utf8(&mut buf)));
    }
    map.push((text.len(), clean.len()));
    let at = |raw: usize| {
        map.binary_search_by_key(&raw, |&(r, _)| r)
            .ok()
            .map(|i| map[i].1)
    };
    let moved = ranges
        .iter()
        .filter_map(|&(s, e)| Some((at(s)?, at(e)?)))
        .filter(|(s, e)| s < e)
        .collect();
    (clean, moved)
}

pub use crate::wrap::width_of;

fn char_width(c: char) -> usize {
    unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
}

/// Wraps one line of text into lines of at most `width` display columns
/// ([`crate::wrap::lines`]).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    crate::wrap::lines(text, width)
}

/// The paper's date as `YYYY-MM-DD`, or `-`.
pub fn date_of(p: &Paper) -> String {
    p.visible_date()
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

/// Truncates to `max` display columns with "…", cutting at the last word
/// boundary when one is in the second half of the line.
pub fn truncate(s: &str, max: usize) -> String {
    if width_of(s) <= max {
        return s.to_string();
    }
    let room = max.saturating_sub(1);
    let (mut end, mut w) = (0, 0);
    for (i, c) in s.char_indices() {
        let cw = char_width(c);
        if w + cw > room {
            break;
        }
        w += cw;
        end = i + c.len_utf8();
    }
    let cut = &s[..end];
    // Prefer a word boundary, unless that throws away more than half.
    let cut = match cut.rfind(char::is_whitespace) {
        Some(i)
            if !s[end..].starts_with(char::is_whitespace) && width_of(&cut[..i]) * 2 >= room =>
        {
            &cut[..i]
        }
        _ => cut,
    };
    format!("{}…", cut.trim_end())
}

/// Defuses one CSV cell: control characters are dropped (CSV often lands on
/// a terminal), and cells starting with = + - @ are prefixed so spreadsheets
/// do not run them. Quoting is the `csv` writer's.
fn csv_cell(s: &str) -> String {
    let s = sanitize_terminal(s);
    if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        let paper = Paper {
            id: "x:1".into(),
            title: "say \"hi\", =SUM(A1)".into(),
            authors: vec!["=cmd".into()],
            ..Paper::default()
        };
        let mut out = Vec::new();
        write_csv(&mut out, &[Row::new(&paper)]).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text.lines().nth(1),
            Some("1,,x:1,'-,\"say \"\"hi\"\", =SUM(A1)\",'=cmd,,,")
        );
        assert_eq!(csv_cell("=SUM(A1)"), "'=SUM(A1)");
    }

    #[test]
    fn wrapping_counts_display_columns_and_breaks_between_words() {
        assert_eq!(
            wrap("the quick brown fox jumps", 10),
            ["the quick", "brown fox", "jumps"]
        );
        // Each CJK character is two columns wide.
        assert_eq!(wrap("深度学习模型", 4), ["深度", "学习", "模型"]);
        assert_eq!(
            truncate("Towards Mixed-Modal Retrieval", 20),
            "Towards Mixed-Modal…"
        );
        assert_eq!(truncate("深度学习模型", 7), "深度学…");
        assert!(width_of(&truncate("深度学习模型的研究", 8)) <= 8);
    }

    #[test]
    fn snippets_are_cut_at_words_with_ellipses() {
        let style = Style {
            color: false,
            width: 80,
            wide: false,
        };
        let abs = "We study retrieval for agents. Agents reason over documents.";
        let frag = &abs[5..45];
        let lines = snippet_lines(frag, &[], abs, 80, style);
        assert_eq!(lines, ["…retrieval for agents. Agents reason…"]);
    }

    #[test]
    fn only_the_momentum_topic_that_counts_is_listed() {
        let topic = |term: &str, weight: f32| Match {
            part: PartName::Momentum,
            term: term.into(),
            via: None,
            field: "text".into(),
            weight,
        };
        let part = Part {
            name: PartName::Momentum,
            value: 0.75,
            points: 0.7,
            detail: vec![
                "\"video generation\" in text: +0.63".into(),
                "\"generation models\" in text: +0.75".into(),
            ],
        };
        let matches = [
            topic("video generation", 0.63),
            topic("generation models", 0.75),
        ];
        assert_eq!(
            counted_details(&part, &matches),
            [
                "\"generation models\" in text: +0.75 (the best of 2 rising topics it matches; \
              only the best counts)"
            ]
        );
        // Other parts list every detail.
        let interest = Part {
            name: PartName::Interest,
            detail: vec!["a".into(), "b".into()],
            ..Part::default()
        };
        assert_eq!(counted_details(&interest, &[]), ["a", "b"]);
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

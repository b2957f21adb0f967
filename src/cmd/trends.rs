//! `papertrend trends`: rising terms and phrases, or (without a baseline)
//! the corpus's most distinctive ones.

use std::io::Write;

use crate::Outcome;
use crate::app::App;
use crate::cli::{OutputFormat, TrendsArgs};
use crate::engine::trends::TrendReport;
use crate::error::{Error, Result};
use crate::exit;
use crate::output::{md_escape, wrap};
use crate::sanitize::sanitize_line;

/// Computes and prints the trends report.
///
/// # Errors
/// No index yet, an index failure, or an I/O error on stdout.
pub fn run(app: &App, args: &TrendsArgs) -> Result<Outcome> {
    let index = app.open_index()?;
    let now = app.clock.now();
    let t = &app.config.trends;
    let window = args.window.unwrap_or(t.window);
    let baseline = args.baseline.unwrap_or(t.baseline);
    let limit = args.limit.unwrap_or(t.limit);
    let report =
        crate::engine::trends::cached_trends(&index, &app.config, now, window, baseline, limit)?;
    let mut out = std::io::BufWriter::new(crate::sanitize::stdout());
    let io = |e: std::io::Error| Error::io("stdout", e);
    match args.output.chosen().unwrap_or(OutputFormat::Table) {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &report).map_err(|e| io(e.into()))?;
            writeln!(out).map_err(io)?;
        }
        OutputFormat::Jsonl => {
            for t in &report.topics {
                serde_json::to_writer(&mut out, t).map_err(|e| io(e.into()))?;
                writeln!(out).map_err(io)?;
            }
        }
        OutputFormat::Md => {
            writeln!(
                out,
                "| topic | papers | usually | score |\n|---|---:|---:|---:|"
            )
            .map_err(io)?;
            for t in &report.topics {
                writeln!(
                    out,
                    "| {} | {} | {:.0} | {:.2} |",
                    md_escape(&sanitize_line(&t.label())),
                    t.window_count,
                    t.expected,
                    t.score
                )
                .map_err(io)?;
            }
        }
        OutputFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record([
                "phrase", "aliases", "window", "baseline", "expected", "score",
            ])
            .map_err(|e| io(e.into()))?;
            for t in &report.topics {
                w.write_record([
                    sanitize_line(&t.phrase),
                    sanitize_line(&t.aliases.join("; ")),
                    t.window_count.to_string(),
                    t.baseline_count.to_string(),
                    format!("{:.1}", t.expected),
                    format!("{:.4}", t.score),
                ])
                .map_err(|e| io(e.into()))?;
            }
            w.flush().map_err(io)?;
        }
        OutputFormat::Table => {
            let text = render(&report, window, baseline, app.stdout_tty, app.width);
            out.write_all(text.as_bytes()).map_err(io)?;
        }
    }
    out.flush().map_err(io)?;
    Ok(Outcome::new(exit::OK))
}

fn day(t: Option<jiff::Timestamp>) -> String {
    t.map_or_else(|| "-".into(), |t| t.strftime("%Y-%m-%d").to_string())
}

/// The terminal report: a header saying what was compared (wrapped to
/// `width` columns), then per topic a line with its name, what makes the
/// rise believable ("9 papers, usually 3") and a bar, and a line with an
/// example title.
pub fn render(
    r: &TrendReport,
    window: crate::clock::Span,
    baseline: crate::clock::Span,
    bars: bool,
    width: usize,
) -> String {
    let mut s = String::new();
    for line in header(r, window, baseline) {
        for l in wrap(&line, width) {
            s.push_str(&l);
            s.push('\n');
        }
    }
    if r.topics.is_empty() {
        s.push_str(if r.no_baseline {
            "  (none: no named topic is in enough papers)\n"
        } else {
            "  (none: no named topic grew enough to be sure of it)\n"
        });
        return s;
    }
    let counts: Vec<String> = r
        .topics
        .iter()
        .map(|t| {
            let papers = crate::words::count_len(t.window_count, "paper");
            if r.no_baseline {
                papers
            } else {
                format!("{papers}, usually {:.0}", t.expected)
            }
        })
        .collect();
    let counts_width = counts.iter().map(|c| c.len()).max().unwrap_or(0);
    let bar_width = if bars { 10 } else { 0 };
    // Name, two spaces, counts, two spaces, bar: the name takes what is left.
    let longest = r
        .topics
        .iter()
        .map(|t| crate::output::width_of(&sanitize_line(&t.label())))
        .max()
        .unwrap_or(6);
    let name_width = width
        .saturating_sub(2 + 2 + counts_width + if bars { 2 + bar_width } else { 0 })
        .clamp(12, 48)
        .min(longest.max(6));
    let max = r.topics.iter().map(|t| t.score).fold(0.0f32, f32::max);
    for (t, count) in r.topics.iter().zip(&counts) {
        let name = crate::output::truncate(&sanitize_line(&t.label()), name_width);
        // Pad by display columns: a CJK phrase is twice as wide as its chars.
        let pad = " ".repeat(name_width.saturating_sub(crate::output::width_of(&name)));
        let bar = if bars {
            format!("  {}", bar(t.score, max, bar_width))
        } else {
            String::new()
        };
        let line = format!("  {name}{pad}  {count:<counts_width$}{bar}");
        s.push_str(line.trim_end());
        s.push('\n');
        if let Some(title) = t.examples.first() {
            let title = sanitize_line(title);
            let line = format!("e.g. {title}");
            let line = crate::output::truncate(&line, width.saturating_sub(6).max(20));
            s.push_str(&format!("      {line}\n"));
        }
    }
    s
}

/// The lines saying what was compared, unwrapped.
fn header(
    r: &TrendReport,
    window: crate::clock::Span,
    baseline: crate::clock::Span,
) -> Vec<String> {
    let sample = if r.sampled < r.window_docs {
        format!(", newest {} read", r.sampled)
    } else {
        String::new()
    };
    if !r.no_baseline {
        let mut lines = vec![format!(
            "Rising in the {} since {} ({} papers{sample}) against the {} before ({} papers); \
             \"usually\" is what the {} before predicts:",
            crate::words::span(window.0.as_secs()),
            day(r.window_start),
            r.window_docs,
            crate::words::span(baseline.0.as_secs()),
            r.baseline_docs,
            crate::words::span(baseline.0.as_secs()),
        )];
        if r.thin_baseline {
            lines.push(format!(
                "Thin baseline: {} papers before the window against {} in it; scores are shrunk \
                 towards the long-run rate and a topic needs twice the papers.",
                r.baseline_docs, r.window_docs
            ));
        }
        return lines;
    }
    let (window, baseline) = (
        crate::words::span(window.0.as_secs()),
        crate::words::span(baseline.0.as_secs()),
    );
    let first = format!(
        "No baseline: no papers are dated in the {baseline} before {}, so nothing can be \
         called rising.",
        day(r.window_start)
    );
    let second = if r.window_docs > 0 {
        format!(
            "Most distinctive phrases of the {} papers of the last {window}{sample} instead:",
            r.window_docs
        )
    } else {
        format!(
            "No papers in the last {window} either; most distinctive phrases of the newest \
             {} papers instead:",
            r.sampled
        )
    };
    vec![first, second]
}
/// A bar of `width` cells for `value` out of `max` (`█████░░░`).
fn bar(value: f32, max: f32, width: usize) -> String {
    let filled = if max > 0.0 && value > 0.0 {
        (((value / max) * width as f32).round() as usize).clamp(1, width)
    } else {
        0
    };
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

#[cfg(test)]
mod tests {
    use super::bar;

    #[test]
    fn bars_scale() {
        assert_eq!(bar(5.0, 10.0, 4), "██░░");
        assert_eq!(bar(0.0, 10.0, 3), "░░░");
        assert_eq!(bar(0.01, 10.0, 3), "█░░");
    }
}

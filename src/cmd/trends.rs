//! `papertrend trends`: rising terms and phrases, or (without a baseline)
//! the corpus's most distinctive ones.

use std::io::Write;

use crate::Outcome;
use crate::app::App;
use crate::cli::{OutputFormat, TrendsArgs};
use crate::error::{Error, Result};
use crate::exit;
use crate::index::trends::TrendReport;
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
        crate::index::trends::cached_trends(&index, &app.config, now, window, baseline, limit)?;
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
                "| phrase | window | baseline | score |\n|---|---:|---:|---:|"
            )
            .map_err(io)?;
            for t in &report.topics {
                writeln!(
                    out,
                    "| {} | {} | {} | {:.2} |",
                    md_escape(&sanitize_line(&t.phrase)),
                    t.window_count,
                    t.baseline_count,
                    t.score
                )
                .map_err(io)?;
            }
        }
        OutputFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(["phrase", "window", "baseline", "score"])
                .map_err(|e| io(e.into()))?;
            for t in &report.topics {
                w.write_record([
                    sanitize_line(&t.phrase),
                    t.window_count.to_string(),
                    t.baseline_count.to_string(),
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
/// `width` columns), then one line per topic with its counts, score and a
/// bar.
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
        s.push_str("  (none: no named topic is in enough papers)\n");
        return s;
    }
    let width = r
        .topics
        .iter()
        .map(|t| crate::output::width_of(&sanitize_line(&t.phrase)))
        .max()
        .unwrap_or(6)
        .clamp(6, 40);
    let max = r.topics.iter().map(|t| t.score).fold(0.0f32, f32::max);
    if r.no_baseline {
        s.push_str(&format!("  {:<width$}  papers   score\n", "phrase"));
    } else {
        s.push_str(&format!(
            "  {:<width$}  window  baseline   score\n",
            "phrase"
        ));
    }
    for t in &r.topics {
        let phrase = crate::output::truncate(&sanitize_line(&t.phrase), width);
        // Pad by display columns: a CJK phrase is twice as wide as its chars.
        let pad = " ".repeat(width.saturating_sub(crate::output::width_of(&phrase)));
        let bar = if bars {
            format!("  {}", crate::trends::bar(t.score, max, 12))
        } else {
            String::new()
        };
        if r.no_baseline {
            s.push_str(&format!(
                "  {phrase}{pad}  {:>6}  {:>6.2}{bar}\n",
                t.window_count, t.score
            ));
        } else {
            s.push_str(&format!(
                "  {phrase}{pad}  {:>6}  {:>8}  {:>6.2}{bar}\n",
                t.window_count, t.baseline_count, t.score
            ));
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
            "Rising in the {window} since {} ({} papers{sample}) against the {baseline} before \
             ({} papers):",
            day(r.window_start),
            r.window_docs,
            r.baseline_docs
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

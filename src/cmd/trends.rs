//! `papertrend trends`: rising terms and phrases, or (without a baseline)
//! the corpus's most distinctive ones.

use std::io::Write;

use crate::Outcome;
use crate::app::App;
use crate::cli::TrendsArgs;
use crate::error::{Error, Result};
use crate::exit;
use crate::index::rank::TrendReport;
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
    let report = crate::index::rank::trends(&index, &app.config, now, window, baseline, limit)?;
    let mut out = std::io::BufWriter::new(crate::sanitize::stdout());
    let io = |e: std::io::Error| Error::io("stdout", e);
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report).map_err(|e| io(e.into()))?;
        writeln!(out).map_err(io)?;
    } else {
        let text = render(&report, window, baseline, app.stdout_tty);
        out.write_all(text.as_bytes()).map_err(io)?;
    }
    out.flush().map_err(io)?;
    Ok(Outcome::new(exit::OK))
}

fn day(t: Option<jiff::Timestamp>) -> String {
    t.map_or_else(|| "-".into(), |t| t.strftime("%Y-%m-%d").to_string())
}

/// The terminal report: a header saying what was compared, then one line
/// per topic with its counts, score and a bar.
pub fn render(
    r: &TrendReport,
    window: crate::clock::Span,
    baseline: crate::clock::Span,
    bars: bool,
) -> String {
    let mut s = String::new();
    let sample = if r.sampled < r.window_docs {
        format!(", newest {} read", r.sampled)
    } else {
        String::new()
    };
    if r.no_baseline {
        s.push_str(&format!(
            "No baseline: no papers are dated in the {baseline} before {}, so nothing can be \
             called rising.\n",
            day(r.window_start)
        ));
        if r.window_docs > 0 {
            s.push_str(&format!(
                "Most distinctive phrases of the {} papers of the last {window}{sample} instead:\n",
                r.window_docs
            ));
        } else {
            s.push_str(&format!(
                "No papers in the last {window} either; most distinctive phrases of the newest \
                 {} papers instead:\n",
                r.sampled
            ));
        }
    } else {
        s.push_str(&format!(
            "Rising in the {window} since {} ({} papers{sample}) against the {baseline} before \
             ({} papers):\n",
            day(r.window_start),
            r.window_docs,
            r.baseline_docs
        ));
    }
    if r.topics.is_empty() {
        s.push_str("  (none: no term or phrase is in enough papers)\n");
        return s;
    }
    let width = r
        .topics
        .iter()
        .map(|t| t.phrase.chars().count())
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
        let phrase: String = sanitize_line(&t.phrase).chars().take(width).collect();
        let bar = if bars {
            format!("  {}", crate::trends::bar(t.score, max, 12))
        } else {
            String::new()
        };
        if r.no_baseline {
            s.push_str(&format!(
                "  {phrase:<width$}  {:>6}  {:>6.2}{bar}\n",
                t.window_count, t.score
            ));
        } else {
            s.push_str(&format!(
                "  {phrase:<width$}  {:>6}  {:>8}  {:>6.2}{bar}\n",
                t.window_count, t.baseline_count, t.score
            ));
        }
    }
    s
}

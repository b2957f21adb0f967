//! `papertrend marks [--profile] [--json]`: the reader's marks and mutes.

use std::io::Write;

use serde_json::json;

use crate::Outcome;
use crate::app::App;
use crate::cli::MarksArgs;
use crate::error::{Error, Result};
use crate::exit;
use crate::marks::Marks;
use crate::output::{truncate, width_of};
use crate::sanitize::sanitize_line;
use crate::words::count_len;

/// Lists marks and mutes: a table on a terminal, JSON when piped or with
/// `--json`; with `--profile`, also the learned profile's stems.
///
/// # Errors
/// An unreadable marks file, or (with `--profile`) no index.
pub fn run(app: &App, args: &MarksArgs) -> Result<Outcome> {
    let marks = Marks::load(&app.data)?;
    let now = app.clock.now();
    let mut spellings = std::collections::HashMap::new();
    let profile = if args.profile {
        let index = app.open_index()?;
        let started = std::time::Instant::now();
        let (liked, disliked) = marks.opinion_ids();
        let profile = crate::engine::feedback::train_profile(&index, &liked, &disliked)?;
        let took = started.elapsed();
        // Readers know words, not stems: "multilingual", not "multilingu".
        spellings = index.spellings(liked.iter().chain(&disliked).copied())?;
        app.info(&format!(
            "profile trained on {} and {} in {:.1} ms",
            count_len(marks.liked().count(), "like"),
            count_len(marks.disliked().count(), "dislike"),
            took.as_secs_f64() * 1000.0
        ));
        Some(profile)
    } else {
        None
    };
    let word = |stem: &str| {
        spellings
            .get(stem)
            .cloned()
            .unwrap_or_else(|| stem.to_string())
    };
    let mut text = String::new();
    if args.json || !app.stdout_tty {
        let mut value = json!({
            "marks": marks.marks.iter().map(|m| json!({
                "id": m.id,
                "title": m.title,
                "marks": m.labels(),
                "at": m.at,
            })).collect::<Vec<_>>(),
            "mutes": marks.mutes.iter().map(|m| json!({
                "kind": m.kind,
                "value": m.value,
                "spec": m.spec(),
                "since": m.since,
                "until": m.until,
                "active": m.active(now),
            })).collect::<Vec<_>>(),
        });
        if let Some(p) = &profile {
            value["profile"] = json!({
                "likes": marks.liked().count(),
                "dislikes": marks.disliked().count(),
                "terms": p.terms().iter().map(|(t, w)| json!({"word": word(t), "stem": t, "weight": w})).collect::<Vec<_>>(),
            });
        }
        text = serde_json::to_string_pretty(&value)
            .map_err(|e| Error::Other(format!("cannot encode marks: {e}")))?;
        text.push('\n');
    } else {
        let width = app.width;
        if marks.marks.is_empty() {
            text.push_str("no marks (papertrend mark ID --like)\n");
        }
        for m in &marks.marks {
            let head = format!("{:<20} {:<14} ", sanitize_line(&m.id), m.labels().join(","));
            let room = width.saturating_sub(width_of(&head)).max(20);
            let line = format!("{head}{}", truncate(&sanitize_line(&m.title), room));
            text.push_str(&truncate(&line, width));
            text.push('\n');
        }
        for m in &marks.mutes {
            let until = match (m.until, m.active(now)) {
                (None, _) => "until unmuted".to_string(),
                (Some(u), true) => format!("until {}", u.strftime("%Y-%m-%d %H:%M UTC")),
                (Some(u), false) => format!("expired {}", u.strftime("%Y-%m-%d %H:%M UTC")),
            };
            let line = format!("muted {}  ({until})", sanitize_line(&m.spec()));
            for l in crate::wrap::indented(&line, width, "", "      ") {
                text.push_str(&l);
                text.push('\n');
            }
        }
        if let Some(p) = &profile {
            if p.is_empty() {
                text.push_str("profile: empty (like or dislike some papers)\n");
            } else {
                text.push_str(&format!(
                    "profile from {} and {}:\n",
                    count_len(marks.liked().count(), "like"),
                    count_len(marks.disliked().count(), "dislike")
                ));
                let mut line = String::from(" ");
                for (t, w) in p.terms() {
                    let cell = format!(" {w:+.2} {}", sanitize_line(&word(t)));
                    if width_of(&line) + width_of(&cell) > width {
                        text.push_str(&line);
                        text.push('\n');
                        line = String::from(" ");
                    }
                    line.push_str(&cell);
                }
                text.push_str(&line);
                text.push('\n');
            }
        }
    }
    // Through the terminal filter, as every command's output: mark titles
    // and mute terms are feed or user text (C1 controls, DEL).
    let mut out = crate::sanitize::stdout();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("stdout", e))?;
    Ok(Outcome::new(exit::OK))
}

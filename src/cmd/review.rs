//! `papertrend review [--date D]`: today's digest on a terminal, one key
//! (and Enter) per paper: like, dislike, save, next, mute the first
//! author, quit. Each answer is written to the marks at once, so quitting
//! or closing the terminal keeps what was answered.

use std::io::{BufRead, IsTerminal, Write};

use crate::Outcome;
use crate::app::App;
use crate::cli::ReviewArgs;
use crate::digest::{self, Request};
use crate::error::{Error, Result};
use crate::exit;
use crate::ledger::Ledger;
use crate::marks::{MarkKind, Marks, Mute};
use crate::sanitize::sanitize_line;

/// Walks through the digest of the day: the one delivered (archived), else
/// a preview built as `digest` would.
///
/// # Errors
/// Not on a terminal (exit 2), no index, or an I/O error.
pub fn run(app: &App, args: &ReviewArgs) -> Result<Outcome> {
    if !std::io::stdin().is_terminal() || !app.stdout_tty {
        return Err(Error::Usage(
            "review needs a terminal: it reads one key per paper; in a script, mark papers \
             with `papertrend mark ID... --like|--dislike|--save|--read`"
                .into(),
        ));
    }
    let now = app.clock.now();
    let today = digest::today(&app.config, now)?;
    let date = args.date.map_or(today, |d| d.resolve(today));
    let day = date.to_string();
    let d = match digest::outbox::archived(&app.data, &day)? {
        Some(d) => d,
        None => {
            let index = app.open_index()?;
            let request = Request {
                date,
                now,
                include_seen: false,
                source_failures: Vec::new(),
                feedback: crate::engine::feedback::Feedback::load(&index, &app.data)?,
            };
            digest::build(&index, &app.config, &Ledger::load(&app.data)?, &request)?
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let io = |e: std::io::Error| Error::io("terminal", e);
    if d.papers.is_empty() {
        writeln!(out, "no papers in the digest for {day}").map_err(io)?;
        return Ok(Outcome::new(exit::OK));
    }
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let (mut liked, mut disliked, mut saved, mut muted) = (0, 0, 0, 0_usize);
    let total = d.papers.len();
    'papers: for (i, p) in d.papers.iter().enumerate() {
        let mut card = format!("\n[{}/{total}] {}\n", i + 1, sanitize_line(&p.title));
        let mut meta = sanitize_line(&p.authors.join(", "));
        if p.et_al {
            meta.push_str(" et al.");
        }
        if let Some(u) = p.upvotes {
            meta.push_str(&format!(" · {}", crate::words::count(u, "upvote")));
        }
        card.push_str(&format!("    {meta}\n    {}\n", sanitize_line(&p.id)));
        if !p.why.is_empty() {
            card.push_str(&format!("    why: {}\n", sanitize_line(&p.why)));
        }
        out.write_all(card.as_bytes()).map_err(io)?;
        loop {
            write!(
                out,
                "  [l]ike [d]islike [s]ave [n]ext [m]ute author [q]uit > "
            )
            .map_err(io)?;
            out.flush().map_err(io)?;
            let Some(line) = lines.next() else {
                writeln!(out).map_err(io)?;
                break 'papers;
            };
            let line = line.map_err(io)?;
            let key = line.trim().chars().next().map(|c| c.to_ascii_lowercase());
            let kind = match key {
                Some('l') => Some(MarkKind::Like),
                Some('d') => Some(MarkKind::Dislike),
                Some('s') => Some(MarkKind::Save),
                Some('n') | None => break,
                Some('q') => break 'papers,
                Some('m') => {
                    let mute = p
                        .authors
                        .first()
                        .and_then(|a| Mute::parse(&format!("author:{a}"), now, None).ok());
                    let Some(mute) = mute else {
                        writeln!(out, "  no author to mute").map_err(io)?;
                        continue;
                    };
                    let spec = mute.spec();
                    Marks::update(&app.data, |m| {
                        m.mute(mute);
                        Ok(())
                    })?;
                    muted += 1;
                    writeln!(out, "  muted {}", sanitize_line(&spec)).map_err(io)?;
                    break;
                }
                Some(_) => {
                    writeln!(out, "  press l, d, s, n, m or q, then Enter").map_err(io)?;
                    continue;
                }
            };
            if let Some(kind) = kind {
                Marks::update(&app.data, |m| {
                    m.mark(&p.id, &p.title, kind, now);
                    Ok(())
                })?;
                match kind {
                    MarkKind::Like => liked += 1,
                    MarkKind::Dislike => disliked += 1,
                    _ => saved += 1,
                }
                break;
            }
        }
    }
    writeln!(
        out,
        "\n{liked} liked, {disliked} disliked, {saved} saved, {} muted",
        crate::words::count_len(muted, "author")
    )
    .map_err(io)?;
    Ok(Outcome::new(exit::OK))
}

//! `papertrend digest [--date D] [--format F] [--out FILE] [--send] [--dry-run] [--force]`

use crate::Outcome;
use crate::app::App;
use crate::cli::DigestArgs;
use crate::config::DigestFormat;
use crate::digest::{self, Request, render::Renderer};
use crate::engine::feedback::Feedback;
use crate::error::{Error, Result};
use crate::exit;
use crate::ledger::Ledger;
use crate::state::RunLock;

/// Renders the digest of a day (a preview that records nothing), or with
/// `--send` mails it through the outbox and ledger like `run`.
///
/// # Errors
/// No index yet, a template or address error, or (with `--send`) a failed
/// send ([`Error::Unsent`]) or another run holding the lock.
pub fn run(app: &App, args: &DigestArgs) -> Result<Outcome> {
    let now = app.clock.now();
    // Never a day before the last one delivered (see `digest_day`).
    let today = digest::digest_day(&app.config, &Ledger::load(&app.data)?, now)?;
    let date = args.date.map_or(today, |d| d.resolve(today));
    let day = date.to_string();
    let renderer = Renderer::for_config(&app.config.digest)?;
    let mut request = Request {
        date,
        now,
        include_seen: args.include_seen,
        source_failures: Vec::new(),
        feedback: Feedback::none(),
    };
    if args.send && !args.dry_run {
        if !app.config.mail.enabled {
            return Err(Error::Usage(
                "e-mail is off: set `mail.enabled = true` and the [mail] keys to use --send".into(),
            ));
        }
        let _lock = RunLock::acquire(&app.data, "digest")?;
        let mut ledger = Ledger::load(&app.data)?;
        digest::flush_outbox(app, &mut ledger)?;
        if ledger.sent_on(&day).is_some() && !args.force {
            app.info(&format!(
                "the digest for {day} was already sent; --force sends it again"
            ));
            return Ok(Outcome::new(exit::OK));
        }
        let index = app.open_index()?;
        request.feedback = Feedback::load(&index, &app.data)?;
        let d = digest::build(&index, &app.config, &ledger, &request)?;
        if d.papers.is_empty() && !app.config.digest.send_empty {
            // As `run`: nothing picked for the reader is not news.
            app.info(&format!(
                "nothing picked for you on {day}: no digest sent (digest.send_empty = true sends \
                 one anyway)"
            ));
            return Ok(Outcome::new(exit::OK));
        }
        digest::mail(app, &mut ledger, &renderer, &d)?;
        digest::write_feed(app, &ledger)?;
        return Ok(Outcome::new(exit::OK));
    }
    let format = if args.dry_run {
        DigestFormat::Eml
    } else {
        let to_terminal = app.stdout_tty && args.out.is_none();
        digest::choose_format(args.format, DigestFormat::Md, to_terminal)
    };
    let ledger = Ledger::load(&app.data)?;
    // A day already delivered shows what went out, unless asked to rebuild.
    let archived = if args.force || args.include_seen {
        None
    } else {
        digest::outbox::archived(&app.data, &day)?
    };
    let d = match archived {
        Some(d) => d,
        None => {
            let index = app.open_index()?;
            request.feedback = Feedback::load(&index, &app.data)?;
            digest::build(&index, &app.config, &ledger, &request)?
        }
    };
    let text = digest::render_format(&renderer, &d, format, &app.config.mail)?;
    digest::write_output(args.out.as_deref(), &text)?;
    Ok(Outcome::new(exit::OK))
}

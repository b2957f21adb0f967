//! `papertrend mute WHAT [--for SPAN]` and `unmute WHAT`.

use crate::Outcome;
use crate::app::App;
use crate::cli::{MuteArgs, UnmuteArgs};
use crate::error::{Error, Result};
use crate::exit;
use crate::marks::{Marks, Mute};
use crate::sanitize::sanitize_line;

/// Adds a mute (replacing one for the same thing).
///
/// # Errors
/// An empty term, name or category (exit 2), or an I/O error.
pub fn run(app: &App, args: &MuteArgs) -> Result<Outcome> {
    let now = app.clock.now();
    let until = match args.for_span {
        Some(span) if span.seconds() <= 0 => {
            return Err(Error::Usage(format!(
                "--for {span}: give a positive span such as 30d"
            )));
        }
        Some(span) => Some(
            now.checked_add(span.0)
                .map_err(|e| Error::Usage(format!("--for {span}: {e}")))?,
        ),
        None => None,
    };
    let mute = Mute::parse(&args.what.join(" "), now, until)?;
    let spec = mute.spec();
    Marks::update(&app.data, |marks| {
        marks.mute(mute);
        Ok(())
    })?;
    let until = until.map_or_else(String::new, |u| {
        format!(" until {}", u.strftime("%Y-%m-%d %H:%M UTC"))
    });
    app.confirm(&format!("muted {}{until}", sanitize_line(&spec)));
    Ok(Outcome::new(exit::OK))
}

/// Removes a mute.
///
/// # Errors
/// Nothing muted that way (exit 2), or an I/O error.
pub fn unmute(app: &App, args: &UnmuteArgs) -> Result<Outcome> {
    let what = args.what.join(" ");
    let removed = Marks::update(&app.data, |marks| Ok(marks.unmute(&what)))?;
    if removed == 0 {
        return Err(Error::Usage(format!(
            "nothing is muted as {:?} (see `papertrend marks`)",
            sanitize_line(&what)
        )));
    }
    app.confirm(&format!("unmuted {}", sanitize_line(&what)));
    Ok(Outcome::new(exit::OK))
}

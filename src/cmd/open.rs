//! `papertrend open ID [--pdf|--code]`: the paper's page, PDF or code in
//! the browser, as `gh … --web` does. Prints the URL instead when stdout is
//! not a terminal (so `papertrend open ID | xclip` works) or when there is
//! no browser to show it.
//!
//! The URL comes from a feed, so it is untrusted: only `http(s)` URLs are
//! opened, and the opener is spawned directly with the URL as one
//! argument, never through a shell.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::Outcome;
use crate::app::App;
use crate::cli::OpenArgs;
use crate::error::{Error, Result};
use crate::exit;
use crate::paper::Paper;
use crate::sanitize::sanitize_line;

/// Which link of a paper to open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    /// The landing page (arXiv abstract, Hugging Face page).
    Page,
    /// The PDF.
    Pdf,
    /// The code repository.
    Code,
}

impl Link {
    fn name(self) -> &'static str {
        match self {
            Link::Page => "page",
            Link::Pdf => "PDF",
            Link::Code => "code",
        }
    }
}

/// The URL of `link` for `paper`: the source's, else the arXiv one derived
/// from its id; only `http(s)` URLs without spaces or control characters.
pub fn url_of(paper: &Paper, link: Link) -> Option<String> {
    let arxiv = |fmt: fn(&str) -> String| paper.arxiv_id.as_deref().map(fmt);
    let url = match link {
        Link::Page => paper
            .url
            .clone()
            .or_else(|| arxiv(|id| format!("https://arxiv.org/abs/{id}"))),
        Link::Pdf => paper
            .pdf_url
            .clone()
            .or_else(|| arxiv(|id| format!("https://arxiv.org/pdf/{id}"))),
        Link::Code => paper.code_url.clone(),
    }?;
    let safe = (url.starts_with("https://") || url.starts_with("http://"))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    safe.then_some(url)
}

/// Opens (or prints) the link.
///
/// # Errors
/// An unknown id (exit 2), a paper without that link, or an index failure.
pub fn run(app: &App, args: &OpenArgs) -> Result<Outcome> {
    let index = app.open_index()?;
    let paper = index.get(&args.id)?.ok_or_else(|| {
        Error::Usage(format!(
            "no paper with id {:?} in the index",
            sanitize_line(&args.id)
        ))
    })?;
    let link = if args.pdf {
        Link::Pdf
    } else if args.code {
        Link::Code
    } else {
        Link::Page
    };
    let url = url_of(&paper, link).ok_or_else(|| {
        Error::Other(format!(
            "{}: no {} link is known for this paper",
            sanitize_line(&paper.id),
            link.name()
        ))
    })?;
    if !show_url(app, &url) {
        let mut out = crate::sanitize::stdout();
        writeln!(out, "{url}")
            .and_then(|()| out.flush())
            .map_err(|e| Error::io("stdout", e))?;
    }
    Ok(Outcome::new(exit::OK))
}

/// Opens `url` (an http(s) URL from [`url_of`]) in the browser when stdout
/// is a terminal and there is one; `false` when it was not shown, so the
/// caller prints it. The opener's own output is discarded.
pub fn show_url(app: &App, url: &str) -> bool {
    let Some(opener) = app.url_opener().filter(|_| app.stdout_tty) else {
        return false;
    };
    let opened = Command::new(&opener)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if opened.is_ok_and(|s| s.success()) {
        return true;
    }
    app.warn(&format!(
        "could not start {}; here is the link",
        opener.to_string_lossy()
    ));
    false
}

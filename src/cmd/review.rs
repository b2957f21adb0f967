//! `papertrend review [--date D]`: today's digest on a terminal, one paper
//! at a time: its title, authors, why it is there, the teaser and links,
//! then one key: like, dislike, save, next, open, mute the first author,
//! quit, `?` for the keys. Each answer is written to the marks at once, so
//! quitting or closing the terminal keeps what was answered.
//!
//! On a terminal a key acts at once, without Enter: the terminal's line
//! editing and echo are turned off while `review` reads, and restored when
//! it ends, however it ends (a key, Ctrl-C, an error; `KeyMode` restores
//! on drop). With keys piped in (stdin not a terminal) it reads one key
//! per line.

use std::io::{BufRead, IsTerminal, Read, Write};

use crate::Outcome;
use crate::app::App;
use crate::cli::ReviewArgs;
use crate::digest::model::DigestPaper;
use crate::digest::{self, Request};
use crate::error::{Error, Result};
use crate::exit;
use crate::ledger::Ledger;
use crate::marks::{MarkKind, Marks, Mute};
use crate::sanitize::sanitize_line;

/// The prompt under each paper.
const PROMPT: &str = "[l]ike [d]islike [s]ave [n]ext [o]pen [m]ute [q]uit [?] > ";

/// What `?` prints.
const KEYS: &str = concat!(
    "  l        like it: more papers like this\n",
    "  d        dislike it: fewer papers like this\n",
    "  s        save it for later (`papertrend marks` lists it)\n",
    "  n        next paper (Space and Enter too)\n",
    "  o        open its page in the browser (prints the link without one)\n",
    "  m        mute its first author\n",
    "  q        quit (Ctrl-C too); every answer is already saved\n",
);

/// Walks through the digest of the day: the one delivered (archived), else
/// a preview built as `digest` would.
///
/// # Errors
/// Not on a terminal (exit 2), no index, or an I/O error.
pub fn run(app: &App, args: &ReviewArgs) -> Result<Outcome> {
    let keys_tty = std::io::stdin().is_terminal();
    if !app.stdout_tty {
        return Err(Error::Usage(
            "review needs a terminal: it shows one paper at a time and reads a key; in a \
             script, mark papers with `papertrend mark ID... --like|--dislike|--save|--read`"
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
    let mut keys = Keys::new(keys_tty).map_err(io)?;
    let mut tally = Tally::default();
    let total = d.papers.len();
    let width = app.width;
    'papers: for (i, p) in d.papers.iter().enumerate() {
        out.write_all(card(p, i + 1, total, width).as_bytes())
            .map_err(io)?;
        loop {
            write!(out, "{PROMPT}").map_err(io)?;
            out.flush().map_err(io)?;
            let key = keys.next().map_err(io)?;
            writeln!(out).map_err(io)?;
            match key {
                Key::Quit => break 'papers,
                Key::Next => break,
                Key::Char('?') => out.write_all(KEYS.as_bytes()).map_err(io)?,
                Key::Char('o') => {
                    let url = p.url.as_deref().or(p.abs_url.as_deref());
                    match url {
                        Some(u) if crate::cmd::open::show_url(app, u) => {
                            writeln!(out, "  opened {}", sanitize_line(u)).map_err(io)?;
                        }
                        Some(u) => writeln!(out, "  {}", sanitize_line(u)).map_err(io)?,
                        None => writeln!(out, "  no link is known for this paper").map_err(io)?,
                    }
                }
                Key::Char('m') => {
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
                    tally.muted += 1;
                    writeln!(out, "  muted {}", sanitize_line(&spec)).map_err(io)?;
                    break;
                }
                Key::Char(c @ ('l' | 'd' | 's')) => {
                    let (kind, done) = match c {
                        'l' => (MarkKind::Like, "liked"),
                        'd' => (MarkKind::Dislike, "disliked"),
                        _ => (MarkKind::Save, "saved"),
                    };
                    Marks::update(&app.data, |m| {
                        m.mark(&p.id, &p.title, kind, now);
                        Ok(())
                    })?;
                    tally.add(kind);
                    writeln!(out, "  {done}").map_err(io)?;
                    break;
                }
                Key::Char(_) => {
                    writeln!(out, "  press l, d, s, n, o, m or q (? lists them)").map_err(io)?;
                }
            }
        }
    }
    drop(keys);
    writeln!(
        out,
        "\n{} liked, {} disliked, {} saved, {} muted",
        tally.liked,
        tally.disliked,
        tally.saved,
        crate::words::count_len(tally.muted, "author")
    )
    .map_err(io)?;
    Ok(Outcome::new(exit::OK))
}

/// What the reader did, for the closing line.
#[derive(Default)]
struct Tally {
    liked: usize,
    disliked: usize,
    saved: usize,
    muted: usize,
}

impl Tally {
    fn add(&mut self, kind: MarkKind) {
        match kind {
            MarkKind::Like => self.liked += 1,
            MarkKind::Dislike => self.disliked += 1,
            _ => self.saved += 1,
        }
    }
}

/// One paper as the reader sees it, wrapped to `width` columns: the title,
/// authors, date and upvotes, why it is here, the teaser and its links.
fn card(p: &DigestPaper, n: usize, total: usize, width: usize) -> String {
    const INDENT: &str = "    ";
    let mut s = String::from("\n");
    let mut push = |text: &str, first: &str| {
        for line in crate::wrap::indented(text, width, first, INDENT) {
            s.push_str(&line);
            s.push('\n');
        }
    };
    push(&format!("[{n}/{total}] {}", sanitize_line(&p.title)), "");
    let mut meta = sanitize_line(&p.authors.join(", "));
    if p.et_al {
        meta.push_str(" et al.");
    }
    for extra in [
        p.date.clone(),
        p.upvotes.map(|u| crate::words::count(u, "upvote")),
        p.rising_by.clone(),
    ]
    .into_iter()
    .flatten()
    {
        if !meta.is_empty() {
            meta.push_str(" · ");
        }
        meta.push_str(&sanitize_line(&extra));
    }
    push(&meta, INDENT);
    if !p.why.is_empty() {
        push(&format!("Why: {}", sanitize_line(&p.why)), INDENT);
    }
    let teaser: String = p.teaser.iter().map(|t| t.text.as_str()).collect();
    if !teaser.is_empty() {
        push(&sanitize_line(&teaser), INDENT);
    }
    let page = p.url.as_ref().or(p.abs_url.as_ref());
    for (label, url) in [
        ("page:", page),
        ("PDF: ", p.pdf_url.as_ref()),
        ("code:", p.code_url.as_ref()),
        ("project:", p.project_url.as_ref()),
    ] {
        if let Some(u) = url {
            push(&format!("{label} {}", sanitize_line(u)), INDENT);
        }
    }
    s
}

/// A key the reader pressed.
#[derive(Debug, PartialEq, Eq)]
enum Key {
    /// A letter or sign, lowercased.
    Char(char),
    /// Next paper: `n`, Space, Enter, or an empty line.
    Next,
    /// Quit: `q`, Ctrl-C, Ctrl-D, or the end of input.
    Quit,
}

impl Key {
    fn of(c: char) -> Key {
        match c.to_ascii_lowercase() {
            'n' | ' ' | '\r' | '\n' => Key::Next,
            'q' | '\u{3}' | '\u{4}' => Key::Quit,
            c => Key::Char(c),
        }
    }
}

/// Where keys come from: the terminal, a key at a time, or lines of piped
/// input, a key per line.
enum Keys {
    /// The terminal in key mode (restored when dropped).
    Terminal(KeyMode),
    /// Piped input.
    Lines(std::io::Lines<std::io::StdinLock<'static>>),
}

impl Keys {
    fn new(tty: bool) -> std::io::Result<Keys> {
        if tty {
            Ok(Keys::Terminal(KeyMode::enter()?))
        } else {
            Ok(Keys::Lines(std::io::stdin().lock().lines()))
        }
    }

    /// The next key; [`Key::Quit`] at the end of input.
    fn next(&mut self) -> std::io::Result<Key> {
        match self {
            Keys::Lines(lines) => Ok(match lines.next().transpose()? {
                None => Key::Quit,
                Some(line) => line.trim().chars().next().map_or(Key::Next, Key::of),
            }),
            Keys::Terminal(mode) => mode.key(),
        }
    }
}

/// The terminal with line editing, echo and signal keys off (Ctrl-C
/// arrives as a key and quits cleanly); the settings it found are put back
/// when it is dropped.
struct KeyMode {
    #[cfg(unix)]
    saved: rustix::termios::Termios,
    stdin: std::io::StdinLock<'static>,
}

impl KeyMode {
    #[cfg(unix)]
    fn enter() -> std::io::Result<KeyMode> {
        use rustix::termios::{
            LocalModes, OptionalActions, SpecialCodeIndex, tcgetattr, tcsetattr,
        };
        let stdin = std::io::stdin();
        let saved = tcgetattr(&stdin)?;
        let mut keys = saved.clone();
        keys.local_modes
            .remove(LocalModes::ICANON | LocalModes::ECHO | LocalModes::ISIG | LocalModes::IEXTEN);
        keys.special_codes[SpecialCodeIndex::VMIN] = 1;
        keys.special_codes[SpecialCodeIndex::VTIME] = 0;
        tcsetattr(&stdin, OptionalActions::Now, &keys)?;
        Ok(KeyMode {
            saved,
            stdin: stdin.lock(),
        })
    }

    #[cfg(not(unix))]
    fn enter() -> std::io::Result<KeyMode> {
        // Without termios, keys arrive when Enter is pressed: each line's
        // first character counts.
        Ok(KeyMode {
            stdin: std::io::stdin().lock(),
        })
    }

    fn byte(&mut self) -> std::io::Result<Option<u8>> {
        let mut b = [0u8; 1];
        loop {
            match self.stdin.read(&mut b) {
                Ok(0) => return Ok(None),
                Ok(_) => return Ok(Some(b[0])),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// The next key pressed. An escape sequence (an arrow, a function key)
    /// is read whole and comes back as one unknown key.
    fn key(&mut self) -> std::io::Result<Key> {
        let Some(b) = self.byte()? else {
            return Ok(Key::Quit);
        };
        match b {
            0x1b => {
                if let Some(b'[' | b'O') = self.byte()? {
                    while let Some(c) = self.byte()? {
                        if (0x40..=0x7e).contains(&c) {
                            break;
                        }
                    }
                }
                Ok(Key::Char('\u{1b}'))
            }
            // The rest of a multi-byte character.
            0x80.. => {
                let extra = b.leading_ones().saturating_sub(1);
                for _ in 0..extra {
                    self.byte()?;
                }
                Ok(Key::Char('\u{fffd}'))
            }
            b => Ok(Key::of(char::from(b))),
        }
    }
}

#[cfg(unix)]
impl Drop for KeyMode {
    fn drop(&mut self) {
        // Best effort: there is nothing more to do if the terminal is gone.
        let _ = rustix::termios::tcsetattr(
            std::io::stdin(),
            rustix::termios::OptionalActions::Now,
            &self.saved,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_mean_what_the_help_says() {
        assert_eq!(Key::of('L'), Key::Char('l'));
        assert_eq!(Key::of(' '), Key::Next);
        assert_eq!(Key::of('\r'), Key::Next);
        assert_eq!(Key::of('\u{3}'), Key::Quit);
        assert_eq!(Key::of('q'), Key::Quit);
        for k in ['l', 'd', 's', 'n', 'o', 'm', 'q'] {
            assert!(KEYS.contains(&format!("  {k}  ")), "{k}");
            assert!(PROMPT.contains(&format!("[{k}]")), "{k}");
        }
    }

    #[test]
    fn a_card_fits_the_width_and_keeps_urls_whole() {
        let p = DigestPaper {
            rank: 1,
            id: "arxiv:2511.18423".into(),
            title: "General Agentic Memory Via Deep Research and a title long enough to wrap"
                .into(),
            url: Some("https://huggingface.co/papers/2511.18423".into()),
            abs_url: None,
            pdf_url: Some("https://arxiv.org/pdf/2511.18423".into()),
            authors: vec!["B. Y. Yan".into(), "Chaofan Li".into()],
            et_al: true,
            date: Some("2025-11-25".into()),
            upvotes: Some(101),
            code_url: None,
            project_url: Some("https://example.org/project".into()),
            thumbnail: None,
            why: "matches \"agents\" (title, abstract) · 101 upvotes · 29 stars · code".into(),
            teaser: vec![crate::digest::model::Segment {
                text: "Memory is critical for AI agents, yet the widely-adopted static memory \
                       loses information."
                    .into(),
                hit: false,
            }],
            matched_terms: Vec::new(),
            score: 1.0,
            day: None,
            rising_by: None,
        };
        let c = card(&p, 1, 10, 60);
        assert!(c.lines().all(|l| crate::wrap::width_of(l) <= 60), "{c}");
        assert!(
            c.contains("page: https://huggingface.co/papers/2511.18423"),
            "{c}"
        );
        assert!(c.contains("B. Y. Yan, Chaofan Li et al. · 2025-11-25 · 101 upvotes"));
    }
}

//! Making untrusted text safe to show: feed text on a terminal, URLs that
//! may hold credentials anywhere they are printed or stored for display.
//!
//! - [`sanitize_terminal`] / [`sanitize_line`]: per-field cleaning (control
//!   characters, bidi overrides and isolates removed); [`one_line`] also
//!   collapses whitespace, for mail headers and one-line digest fields;
//! - [`stdout`]: the one chokepoint every command writes its output
//!   through. On a terminal it passes only printable text, newlines, tabs
//!   and the colour codes papertrend itself emits (`ESC [ digits m`); any
//!   other control, C1 or bidi character is shown as a visible `\uXXXX`
//!   (which, inside a JSON string, is the same character escaped, so
//!   `--json` on a terminal stays valid JSON). Piped output is unchanged;
//! - [`redact_url`] / [`redact_urls_in`]: a URL's user info, query values
//!   (other than the few papertrend itself adds) and fragment become `***`.
//!
//! This module imports no crate: it is plain string and byte handling.

use std::io::{self, IsTerminal, Write};

/// Whether `c` must never reach a terminal raw: C0/C1 controls (newline and
/// tab excepted) and the bidi embeddings, overrides, isolates and marks.
pub fn is_unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
        )
}

/// Removes control characters (except newline and tab), bidi overrides and
/// isolates, so feed text cannot move the cursor, recolour the terminal or
/// reorder what is shown.
pub fn sanitize_terminal(s: &str) -> String {
    s.chars().filter(|c| !is_unsafe_char(*c)).collect()
}

/// Like [`sanitize_terminal`] but also folds newlines and tabs to spaces,
/// for one-line cells.
pub fn sanitize_line(s: &str) -> String {
    sanitize_terminal(s).replace(['\n', '\t', '\r'], " ")
}

/// Reduces text to one line, safe for a mail header or a one-line field:
/// control characters and bidi overrides are removed, line breaks and tabs
/// become spaces, runs of whitespace collapse to one space, ends are
/// trimmed.
pub fn one_line(s: &str) -> String {
    let cleaned = sanitize_line(s);
    cleaned
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Standard output for a command: filtered by [`TerminalFilter`] when it is
/// a terminal, raw otherwise.
pub fn stdout() -> Stdout {
    let out = io::stdout();
    if out.is_terminal() {
        Stdout::Terminal(TerminalFilter::new(out.lock()))
    } else {
        Stdout::Raw(out.lock())
    }
}

/// See [`stdout`].
pub enum Stdout {
    /// A terminal: filtered.
    Terminal(TerminalFilter<io::StdoutLock<'static>>),
    /// A pipe or file: bytes as written.
    Raw(io::StdoutLock<'static>),
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stdout::Terminal(t) => t.write(buf),
            Stdout::Raw(r) => r.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stdout::Terminal(t) => t.flush(),
            Stdout::Raw(r) => r.flush(),
        }
    }
}

/// A writer that lets only safe text through to a terminal (see the module
/// doc). Incomplete UTF-8 sequences and colour codes split across writes
/// are held until the next write.
pub struct TerminalFilter<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> TerminalFilter<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        TerminalFilter {
            inner,
            pending: Vec::new(),
        }
    }

    /// Cleans what is complete in `pending` into `out`, keeping an
    /// unfinished tail.
    fn drain(&mut self, out: &mut String, at_end: bool) {
        let bytes = std::mem::take(&mut self.pending);
        let (text, tail) = match std::str::from_utf8(&bytes) {
            Ok(s) => (s.to_string(), Vec::new()),
            Err(e) if e.error_len().is_none() && !at_end => {
                let (ok, rest) = bytes.split_at(e.valid_up_to());
                (String::from_utf8_lossy(ok).into_owned(), rest.to_vec())
            }
            Err(_) => (String::from_utf8_lossy(&bytes).into_owned(), Vec::new()),
        };
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == '\u{1b}' {
                match sgr_len(&chars[i..]) {
                    Some(n) => {
                        out.extend(&chars[i..i + n]);
                        i += n;
                        continue;
                    }
                    None if !at_end && tail.is_empty() && could_be_sgr(&chars[i..]) => {
                        // Wait for the rest of a colour code.
                        let keep: String = chars[i..].iter().collect();
                        self.pending = keep.into_bytes();
                        return;
                    }
                    None => {}
                }
            }
            if c == '\r' {
                // A carriage return can overwrite what a line showed.
            } else if is_unsafe_char(c) {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            } else {
                out.push(c);
            }
            i += 1;
        }
        self.pending = tail;
    }
}

/// Length of a complete `ESC [ digits/; m` at the start of `s`.
fn sgr_len(s: &[char]) -> Option<usize> {
    if s.len() < 3 || s[1] != '[' {
        return None;
    }
    for (i, c) in s.iter().enumerate().skip(2).take(16) {
        match c {
            'm' => return Some(i + 1),
            '0'..='9' | ';' => {}
            _ => return None,
        }
    }
    None
}

/// Whether `s` (starting with ESC) is an unfinished colour code.
fn could_be_sgr(s: &[char]) -> bool {
    s.len() < 18
        && s.get(1).is_none_or(|c| *c == '[')
        && s.iter().skip(2).all(|c| c.is_ascii_digit() || *c == ';')
}

impl<W: Write> Write for TerminalFilter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let mut out = String::new();
        self.drain(&mut out, false);
        self.inner.write_all(out.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            let mut out = String::new();
            self.drain(&mut out, true);
            self.inner.write_all(out.as_bytes())?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for TerminalFilter<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// Query keys whose values papertrend builds itself (never secrets), shown
/// as they are; every other query value is redacted.
pub const PLAIN_KEYS: &[&str] = &[
    "search_query",
    "start",
    "max_results",
    "sortBy",
    "sortOrder",
    "id_list",
    "date",
];

/// The URL with its user info, query values (except [`PLAIN_KEYS`]) and
/// fragment replaced by `***`:
/// `http://alice:pw@host/feed?token=t&date=x` →
/// `http://***@host/feed?token=***&date=x`. Text that is not a URL is
/// returned unchanged.
///
/// Not `url::Url`: redaction must also cover text `Url` rejects or rewrites
/// (a URL with spaces or a bad host inside an error message, `HTTPS://` as
/// typed), and show the rest exactly as the reader wrote it.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let (scheme, rest) = url.split_at(scheme_end + 3);
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let mut out = String::with_capacity(url.len());
    out.push_str(scheme);
    match authority.rfind('@') {
        Some(at) => {
            out.push_str("***");
            out.push_str(&authority[at..]);
        }
        None => out.push_str(authority),
    }
    let (before_fragment, fragment) = match tail.find('#') {
        Some(h) => (&tail[..h], Some(())),
        None => (tail, None),
    };
    match before_fragment.find('?') {
        Some(q) => {
            out.push_str(&before_fragment[..=q]);
            let pairs: Vec<String> = before_fragment[q + 1..]
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((k, _)) if PLAIN_KEYS.contains(&k) => pair.to_string(),
                    Some((k, "")) => format!("{k}="),
                    Some((k, _)) => format!("{k}=***"),
                    None if pair.is_empty() => String::new(),
                    None => "***".to_string(),
                })
                .collect();
            out.push_str(&pairs.join("&"));
        }
        None => out.push_str(before_fragment),
    }
    if fragment.is_some() {
        out.push_str("#***");
    }
    out
}

/// Every `http://` or `https://` URL inside `text` (an error message, a
/// report line) passed through [`redact_url`].
pub fn redact_urls_in(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while let Some(found) = ["http://", "https://"]
        .iter()
        .filter_map(|p| lower[at..].find(p))
        .min()
    {
        let start = at + found;
        out.push_str(&text[at..start]);
        let len = text[start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`'))
            .unwrap_or(text.len() - start);
        let candidate = &text[start..start + len];
        // Punctuation after a URL in prose ("(URL): refused") is not part of it.
        let url = candidate.trim_end_matches(|c: char| {
            matches!(c, ',' | '.' | ';' | ':') || (c == ')' && !candidate.contains('('))
        });
        out.push_str(&redact_url(url));
        out.push_str(&candidate[url.len()..]);
        at = start + len;
    }
    out.push_str(&text[at..]);
    out
}

/// Keeps only `http`/`https` URLs and percent-encodes the characters that
/// could end a link in Markdown or an attribute in HTML.
pub fn safe_url(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) || url.len() > 2048 {
        return None;
    }
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '"' => out.push_str("%22"),
            '\'' => out.push_str("%27"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '\\' => out.push_str("%5C"),
            '`' => out.push_str("%60"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    Some(out)
}

/// Escapes Markdown punctuation so feed text stays text (no links, no HTML,
/// no emphasis it did not ask for): the one escaping of every Markdown
/// papertrend writes, the digest's and the listings'.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' | '{' | '}'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_removes_header_breaking_characters() {
        assert_eq!(
            one_line("Title\r\nBcc: evil@example.com\t x"),
            "Title Bcc: evil@example.com x"
        );
    }

    fn filtered(parts: &[&[u8]]) -> String {
        let mut f = TerminalFilter::new(Vec::new());
        for p in parts {
            f.write_all(p).unwrap();
        }
        f.flush().unwrap();
        String::from_utf8(std::mem::take(&mut f.inner)).unwrap()
    }

    #[test]
    fn terminal_text_loses_escapes_and_bidi_overrides() {
        assert_eq!(
            sanitize_terminal("a\x1b[31mred\u{202e}txt\u{7}"),
            "a[31mredtxt"
        );
        assert_eq!(sanitize_line("two\nlines\r"), "two lines");
        assert_eq!(sanitize_line("Mallory\u{1b}c \u{9b}2J"), "Malloryc 2J");
    }

    #[test]
    fn the_terminal_filter_keeps_colours_and_shows_the_rest_escaped() {
        assert_eq!(
            filtered(&["\x1b[1;33mhit\x1b[0m ok\n".as_bytes()]),
            "\x1b[1;33mhit\x1b[0m ok\n"
        );
        assert_eq!(
            filtered(&["Mallory\x1bc \x1b]0;pwn\x07 \u{202e}x\r\n".as_bytes()]),
            "Mallory\\u001bc \\u001b]0;pwn\\u0007 \\u202ex\n"
        );
        // Split in the middle of a colour code and of a UTF-8 sequence.
        let bidi = "\u{202e}".as_bytes();
        assert_eq!(
            filtered(&[
                b"a\x1b[3",
                b"1mb",
                &bidi[..1],
                &bidi[1..],
                b"\xc2",
                b"\x9bc"
            ]),
            "a\x1b[31mb\\u202e\\u009bc"
        );
        // JSON stays JSON: the escape is the same character.
        let json = filtered(&[br#"{"t":"a"#, "\u{202e}b\"}".as_bytes()]);
        assert_eq!(json, r#"{"t":"a\u202eb"}"#);
    }

    #[test]
    fn urls_lose_credentials_and_query_values() {
        assert_eq!(
            redact_url("http://alice:PW@host:8080/feed.json?token=T&date=2026-01-02#frag"),
            "http://***@host:8080/feed.json?token=***&date=2026-01-02#***"
        );
        assert_eq!(
            redact_url("https://host/a?search_query=cat:cs.CL&start=0"),
            "https://host/a?search_query=cat:cs.CL&start=0"
        );
        assert_eq!(redact_url("https://host/a?secret"), "https://host/a?***");
        assert_eq!(redact_url("/tmp/file.json"), "/tmp/file.json");
        assert_eq!(
            redact_urls_in("error sending request for url (http://u:p@h/x?k=v): refused"),
            "error sending request for url (http://***@h/x?k=***): refused"
        );
        assert_eq!(
            redact_urls_in("GET HTTPS://u:p@h/?a=b and http://h/"),
            "GET HTTPS://***@h/?a=*** and http://h/"
        );
    }
}

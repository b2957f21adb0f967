//! Cleaning listing text for display: whitespace, LaTeX escapes, code links.
//!
//! Pure functions. The cleaned text is what gets indexed and shown; nothing
//! here escapes for HTML or terminals (that is the renderers' job).

/// Collapses runs of whitespace (including arXiv's hard wraps) to one space
/// and trims the ends.
pub fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Cleans LaTeX escapes that listings carry into prose, then collapses
/// whitespace.
///
/// `50\%` → `50%`, `\ie` → `i.e.`, `\eg` → `e.g.`, `{\SST}` → `SST`,
/// `\&` → `&`, `\_` → `_`, `` ``quoted'' `` → `"quoted"`, `~` → space,
/// `\emph{x}`/`\textbf{x}` → `x`. Inline math (`$…$`) keeps its content
/// without the dollars. Unknown commands keep their name without the
/// backslash, so no word is lost.
pub fn clean_latex(s: &str) -> String {
    /// Bytes copied as they are: printable ASCII but the bytes that start
    /// markup (`\\ $ ~ { } ` '`).
    const WORD: [bool; 256] = {
        let mut t = [false; 256];
        let mut b = 0x21;
        while b < 0x7f {
            t[b] = !matches!(b as u8, b'\\' | b'$' | b'~' | b'{' | b'}' | b'`' | b'\'');
            b += 1;
        }
        t
    };
    let mut out = Collapsed::with_capacity(s.len());
    let mut latex: Option<bool> = None;
    let bytes = s.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        // Words separated by single spaces (most of any abstract line) are
        // copied in one stretch.
        let start = i;
        loop {
            while i < n && WORD[usize::from(bytes[i])] {
                i += 1;
            }
            if i > start && i + 1 < n && bytes[i] == b' ' && WORD[usize::from(bytes[i + 1])] {
                i += 1;
            } else {
                break;
            }
        }
        if i > start {
            out.push_word(&s[start..i]);
            continue;
        }
        if is_run_space(bytes[i]) {
            out.space = true;
            i += 1;
            continue;
        }
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        i += c.len_utf8();
        let next = s[i..].chars().next();
        match c {
            '\\' => match next {
                Some(n @ ('%' | '&' | '_' | '#' | '$' | '{' | '}')) => {
                    i += 1;
                    out.push(n);
                }
                Some('\\') => {
                    i += 1;
                    out.push(' ');
                }
                Some(n) if n.is_ascii_alphabetic() => {
                    let len = bytes[i..]
                        .iter()
                        .position(|b| !b.is_ascii_alphabetic())
                        .unwrap_or(bytes.len() - i);
                    let name = &s[i..i + len];
                    i += len;
                    out.push_str(match name {
                        "ie" => "i.e.",
                        "eg" => "e.g.",
                        "etal" => "et al.",
                        "vs" => "vs.",
                        "cf" => "cf.",
                        "emph" | "textbf" | "textit" | "texttt" | "mathrm" | "mathbf" | "text"
                        | "textsc" | "mathcal" | "mathit" | "mathsf" | "url" | "href" => "",
                        "ldots" | "dots" | "cdots" => "…",
                        "times" => "×",
                        "approx" => "≈",
                        "leq" | "le" => "≤",
                        "geq" | "ge" => "≥",
                        "sim" => "~",
                        "pm" => "±",
                        "rightarrow" | "to" => "→",
                        "alpha" => "α",
                        "beta" => "β",
                        "gamma" => "γ",
                        "delta" => "δ",
                        "epsilon" => "ε",
                        "lambda" => "λ",
                        "mu" => "μ",
                        "sigma" => "σ",
                        "theta" => "θ",
                        _ => name,
                    });
                    // `\ie\ ` and `\eg,` are followed by a control space or
                    // punctuation; `{\SST}` by the closing brace.
                    if bytes.get(i) == Some(&b' ') && matches!(name, "ie" | "eg") {
                        out.push(' ');
                        i += 1;
                    }
                }
                Some(' ') => {
                    i += 1;
                    out.push(' ');
                }
                _ => {}
            },
            '{' | '}' | '$' => {}
            '~' => out.push(' '),
            '`' if next == Some('`') => {
                i += 1;
                out.push('"');
            }
            // Without any LaTeX markup, `''` stays two apostrophes (the
            // text is looked at once, on the first `''`).
            '\'' if next == Some('\'')
                && *latex.get_or_insert_with(|| s.contains(['\\', '$', '{', '}', '~', '`'])) =>
            {
                i += 1;
                out.push('"');
            }
            _ => out.push(c),
        }
    }
    out.finish()
}

/// ASCII whitespace, folded into single spaces (what `char::is_whitespace`
/// says of these bytes).
const fn is_run_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c')
}

/// A string being built with whitespace collapsed as it is written: runs of
/// whitespace become one space, and none is kept at either end.
struct Collapsed {
    out: String,
    space: bool,
}

impl Collapsed {
    fn with_capacity(n: usize) -> Self {
        Self {
            out: String::with_capacity(n),
            space: false,
        }
    }

    fn push(&mut self, c: char) {
        if c.is_whitespace() {
            self.space = true;
        } else {
            if self.space && !self.out.is_empty() {
                self.out.push(' ');
            }
            self.space = false;
            self.out.push(c);
        }
    }

    fn push_str(&mut self, s: &str) {
        if s.bytes().all(|b| b.is_ascii_graphic()) {
            if !s.is_empty() {
                self.push_word(s);
            }
        } else {
            s.chars().for_each(|c| self.push(c));
        }
    }

    /// Pushes words of printable ASCII separated by single spaces.
    fn push_word(&mut self, s: &str) {
        if self.space && !self.out.is_empty() {
            self.out.push(' ');
        }
        self.space = false;
        self.out.push_str(s);
    }

    fn finish(self) -> String {
        self.out
    }
}

/// The code hosts a link is looked for on, each with the path segments a
/// link must name after the host (at least an owner; for a Space, the
/// owner after `spaces/`).
const CODE_HOSTS: [(&str, usize); 4] = [
    ("github.com/", 1),
    ("gitlab.com/", 1),
    ("bitbucket.org/", 1),
    ("huggingface.co/spaces/", 1),
];

/// Finds the first code repository link (GitHub, GitLab, Bitbucket, Hugging
/// Face Spaces) in `text`: a valid `http(s)` URL naming at least an owner,
/// or `None`.
///
/// Abstracts write links the LaTeX way and lose the markup on the way to the
/// listing, so the link is cut where the text around it begins:
/// - at `{`, `}`, `\` and whitespace (`…/LightForcing{https://…}`,
///   `\url{…}`, `…/theorem-search{this link}`). Give it the text *before*
///   [`clean_latex`] when there is one: cleaning drops the braces and glues
///   the next word on (`theorem-searchthis link`);
/// - at a second scheme or a second copy of the host glued on
///   (`…/LightForcinghttps://github.com/…`, `…/PairUnigithub.com/…`);
/// - before the last scheme when a label is glued in front (`page:https://`,
///   `https://page:https://…`, `~https://`);
/// - and of trailing sentence punctuation.
///
/// What is left is parsed with [`url::Url`]; a link that does not parse, is
/// not `http(s)`, or names no owner is dropped rather than shown broken.
pub fn find_code_url(text: &str) -> Option<String> {
    // Every host ends in `/`; most abstracts have none (one fast scan).
    if !text.contains('/') {
        return None;
    }
    let (at, host, segments) = CODE_HOSTS
        .iter()
        .filter_map(|(h, n)| text.find(h).map(|i| (i, *h, *n)))
        .min_by_key(|(i, _, _)| *i)?;
    let stop = |c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '(' | ')' | '[' | ']' | '<' | '>' | '"' | '{' | '}' | '\\'
            )
    };
    // Back to the start of the token, then to its last scheme: a label glued
    // in front (`page:`) is not part of the link.
    let token_start = text[..at].rfind(stop).map_or(0, |i| i + 1);
    let lead = &text[token_start..at];
    let lower = lead.to_ascii_lowercase();
    let start = match lower.rfind("https://").max(lower.rfind("http://")) {
        Some(i) => token_start + i,
        // No scheme: the host itself (`www.` kept), whatever is glued before.
        None if lead.ends_with("www.") => at - 4,
        None => at,
    };
    let rest = &text[start..];
    let mut end = rest.find(stop).unwrap_or(rest.len());
    // A second scheme or host glued on (`…/repohttps://github.com/…`).
    let after_host = (at - start) + host.len();
    if after_host <= end {
        let tail = rest[after_host..end].to_ascii_lowercase();
        let glued = ["http://", "https://", host]
            .iter()
            .filter_map(|m| tail.find(m))
            .min();
        if let Some(i) = glued {
            end = after_host + i;
        }
    }
    let raw = rest[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', '\'', '*', '~']);
    let with_scheme = if raw.len() >= 7 && raw[..7].eq_ignore_ascii_case("http://")
        || raw.len() >= 8 && raw[..8].eq_ignore_ascii_case("https://")
    {
        raw.to_string()
    } else {
        format!("https://{raw}")
    };
    let url = url::Url::parse(&with_scheme).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host_name = host.split('/').next().unwrap_or(host);
    let found_host = url.host_str()?;
    if found_host != host_name && found_host != format!("www.{host_name}") {
        return None;
    }
    // `spaces/owner/name` for a Space; `owner/repo` elsewhere.
    let skip = host.matches('/').count() - 1;
    let named = url
        .path_segments()
        .map_or(0, |s| s.skip(skip).filter(|p| !p.is_empty()).count());
    (named >= segments).then(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_apostrophe_pairs_are_handled_in_one_pass() {
        // Whether the text has LaTeX is decided once, not per `''` (which
        // would take minutes here).
        let plain = "''".repeat(500_000);
        assert_eq!(clean_latex(&plain), plain);
        let tex = format!("$x$ {plain}");
        assert_eq!(clean_latex(&tex), format!("x {}", "\"".repeat(500_000)));
    }

    #[test]
    fn latex_escapes_are_cleaned() {
        let cases = [
            ("improves by 50\\% over", "improves by 50% over"),
            ("models, \\ie transformers", "models, i.e. transformers"),
            ("tasks (\\eg, QA)", "tasks (e.g., QA)"),
            ("on {\\SST} and", "on SST and"),
            ("R\\&D and a\\_b", "R&D and a_b"),
            ("``quoted''", "\"quoted\""),
            ("the $\\alpha$-entmax", "the α-entmax"),
            ("hard\n  wrapped   text ", "hard wrapped text"),
            ("\\emph{very} good", "very good"),
        ];
        for (input, want) in cases {
            assert_eq!(clean_latex(input), want, "input {input:?}");
        }
    }

    /// The first implementation, a char at a time followed by
    /// [`collapse_ws`]: the reference the fast one must agree with.
    fn clean_latex_by_chars(s: &str) -> String {
        if !s.contains(['\\', '$', '{', '}', '~', '`']) {
            return collapse_ws(s);
        }
        let mut out = String::with_capacity(s.len());
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.peek().copied() {
                    Some(n @ ('%' | '&' | '_' | '#' | '$' | '{' | '}')) => {
                        chars.next();
                        out.push(n);
                    }
                    Some('\\') => {
                        chars.next();
                        out.push(' ');
                    }
                    Some(n) if n.is_ascii_alphabetic() => {
                        let mut name = String::new();
                        while let Some(&n) = chars.peek() {
                            if n.is_ascii_alphabetic() {
                                name.push(n);
                                chars.next();
                            } else {
                                break;
                            }
                        }
                        match name.as_str() {
                            "ie" => out.push_str("i.e."),
                            "eg" => out.push_str("e.g."),
                            "etal" => out.push_str("et al."),
                            "vs" => out.push_str("vs."),
                            "cf" => out.push_str("cf."),
                            "emph" | "textbf" | "textit" | "texttt" | "mathrm" | "mathbf"
                            | "text" | "textsc" | "mathcal" | "mathit" | "mathsf" | "url"
                            | "href" => {}
                            "ldots" | "dots" | "cdots" => out.push('…'),
                            "times" => out.push('×'),
                            "approx" => out.push('≈'),
                            "leq" | "le" => out.push('≤'),
                            "geq" | "ge" => out.push('≥'),
                            "sim" => out.push('~'),
                            "pm" => out.push('±'),
                            "rightarrow" | "to" => out.push('→'),
                            "alpha" => out.push('α'),
                            "beta" => out.push('β'),
                            "gamma" => out.push('γ'),
                            "delta" => out.push('δ'),
                            "epsilon" => out.push('ε'),
                            "lambda" => out.push('λ'),
                            "mu" => out.push('μ'),
                            "sigma" => out.push('σ'),
                            "theta" => out.push('θ'),
                            _ => out.push_str(&name),
                        }
                        // `\ie\ ` and `\eg,` are followed by a control space or
                        // punctuation; `{\SST}` by the closing brace.
                        if chars.peek() == Some(&' ') && matches!(name.as_str(), "ie" | "eg") {
                            out.push(' ');
                            chars.next();
                        }
                    }
                    Some(' ') => {
                        chars.next();
                        out.push(' ');
                    }
                    _ => {}
                },
                '{' | '}' | '$' => {}
                '~' => out.push(' '),
                '`' if chars.peek() == Some(&'`') => {
                    chars.next();
                    out.push('"');
                }
                '\'' if chars.peek() == Some(&'\'') => {
                    chars.next();
                    out.push('"');
                }
                _ => out.push(c),
            }
        }
        collapse_ws(&out)
    }

    #[test]
    fn fast_cleaning_agrees_with_the_char_by_char_reference() {
        let pieces = [
            "a",
            "Zeta",
            " ",
            "  ",
            "a b",
            " c ",
            "  d  e ",
            "\n",
            "\t",
            "\r\n",
            " \n ",
            "\x0b",
            "\x0c",
            "\u{a0}",
            "\\",
            "\\ie",
            "\\eg",
            "\\emph",
            "{",
            "}",
            "$",
            "~",
            "`",
            "``",
            "'",
            "''",
            "\\%",
            "\\\\",
            "\\alpha",
            "\\etal",
            "é",
            "…",
            "x",
            ".",
            ",",
            "\\unknown",
            "\\ ",
            "\\'",
            "50",
            "\u{2009}",
        ];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(state % 12) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            assert_eq!(clean_latex(&text), clean_latex_by_chars(&text), "{text:?}");
        }
    }

    #[test]
    fn code_urls_are_found_and_trimmed() {
        let cases = [
            (
                "Code: https://github.com/google-research/bert.",
                Some("https://github.com/google-research/bert"),
            ),
            (
                "available at github.com/a/b)",
                Some("https://github.com/a/b"),
            ),
            (
                "(https://gitlab.com/x/y), more",
                Some("https://gitlab.com/x/y"),
            ),
            ("see https://github.com/ for hosting", None),
            ("no link here", None),
            // Real abstracts of the Hugging Face lists (2026-02-06, 2026-02-03).
            (
                "at https://github.com/chengtao-lv/LightForcing{https://github.com/chengtao-lv/LightForcing}.",
                Some("https://github.com/chengtao-lv/LightForcing"),
            ),
            (
                "at https://github.com/chengtao-lv/LightForcinghttps://github.com/chengtao-lv/LightForcing.",
                Some("https://github.com/chengtao-lv/LightForcing"),
            ),
            (
                "project page:https://github.com/BstWPY/WildGraphBench.",
                Some("https://github.com/BstWPY/WildGraphBench"),
            ),
            (
                "https://page:https://github.com/BstWPY/WildGraphBench",
                Some("https://github.com/BstWPY/WildGraphBench"),
            ),
            (
                "available at https://huggingface.co/spaces/uw-math-ai/theorem-search{this link}, and",
                Some("https://huggingface.co/spaces/uw-math-ai/theorem-search"),
            ),
            (
                "code at~https://github.com/Kairong-Han/C-2-DLM{here}.",
                Some("https://github.com/Kairong-Han/C-2-DLM"),
            ),
            (
                "\\url{https://github.com/a/b} and",
                Some("https://github.com/a/b"),
            ),
            (
                "https://github.com/hao-ai-lab/VideoSciencegithub.com/hao-ai-lab/VideoScience",
                Some("https://github.com/hao-ai-lab/VideoScience"),
            ),
            // Not a URL (a `%` in the host), or another host.
            ("https://exa%mple.github.com/a/b", None),
            ("https://notgithub.com/a/b", None),
            ("https://huggingface.co/spaces/", None),
        ];
        for (input, want) in cases {
            assert_eq!(find_code_url(input).as_deref(), want, "input {input:?}");
        }
    }
}

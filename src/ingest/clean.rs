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
                        "emph" | "textbf" | "textit" | "texttt" | "mathrm" | "mathbf" | "text"
                        | "textsc" | "mathcal" | "mathit" | "mathsf" | "url" | "href" => {}
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

/// Finds the first code repository link (GitHub, GitLab, Bitbucket, Hugging
/// Face Spaces) in `text`, trimmed of trailing punctuation.
pub fn find_code_url(text: &str) -> Option<String> {
    const HOSTS: [&str; 4] = [
        "github.com/",
        "gitlab.com/",
        "bitbucket.org/",
        "huggingface.co/spaces/",
    ];
    let mut best: Option<usize> = None;
    for host in HOSTS {
        if let Some(i) = text.find(host) {
            best = Some(best.map_or(i, |b: usize| b.min(i)));
        }
    }
    let at = best?;
    // Walk back to the scheme, if any.
    let start = text[..at]
        .rfind(|c: char| c.is_whitespace() || matches!(c, '(' | '[' | '<' | '"' | '{'))
        .map_or(0, |i| i + 1);
    let rest = &text[start..];
    let end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, ')' | ']' | '>' | '"' | '}' | '\\'))
        .unwrap_or(rest.len());
    let mut url = rest[..end]
        .trim_end_matches(['.', ',', ';', ':', '!', '?', '\''])
        .to_string();
    // A link must name at least an owner after the host.
    let path = url
        .split_once(".com/")
        .or_else(|| url.split_once(".org/"))
        .or_else(|| url.split_once(".co/"));
    if path.is_none_or(|(_, p)| p.trim_matches('/').is_empty() || p == "spaces") {
        return None;
    }
    if !url.starts_with("http://") && !url.starts_with("https://") {
        url.insert_str(0, "https://");
    }
    Some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        ];
        for (input, want) in cases {
            assert_eq!(find_code_url(input).as_deref(), want, "input {input:?}");
        }
    }
}

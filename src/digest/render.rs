//! Rendering a [`Digest`] as Markdown, HTML, plain text, JSON and the mail
//! subject, with minijinja templates.
//!
//! The built-in templates are files under `src/digest/templates/`, embedded
//! in the binary; `[digest] templates_dir` may hold replacements with the
//! same file names. Escaping is decided by the name each template is
//! registered under, never by the template author: `digest.html` gets
//! minijinja's HTML autoescape (so a feed's `<script>` prints as text), the
//! Markdown template escapes through the `md` filter, and the text part is
//! wrapped at 72 columns by the `wrap` filter. A missing variable is an error
//! (strict undefined), so a typo in a user template fails loudly.

use std::path::Path;

use minijinja::{Environment, UndefinedBehavior, Value, context};

use super::model::Digest;
use crate::error::{Error, Result};

/// The text part's width (RFC 3676 recommends at most 78; 72 leaves room for
/// quoting).
pub const TEXT_WIDTH: usize = 72;

/// Built-in templates: (file name, registered name, source).
const BUILTIN: [(&str, &str, &str); 4] = [
    (
        "digest.md.j2",
        "digest.md",
        include_str!("templates/digest.md.j2"),
    ),
    (
        "digest.html.j2",
        "digest.html",
        include_str!("templates/digest.html.j2"),
    ),
    (
        "digest.txt.j2",
        "digest.txt",
        include_str!("templates/digest.txt.j2"),
    ),
    (
        "subject.txt.j2",
        "subject.txt",
        include_str!("templates/subject.txt.j2"),
    ),
];

/// A digest rendered in every format a mail needs.
#[derive(Clone, Debug)]
pub struct Rendered {
    /// The subject line (one line, no control characters).
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part.
    pub html: String,
}

/// Loaded templates.
pub struct Renderer {
    env: Environment<'static>,
    subject: String,
}

impl Renderer {
    /// The renderer `[digest]` asks for: its `templates_dir` and `subject`.
    ///
    /// # Errors
    /// As [`Renderer::new`].
    pub fn for_config(c: &crate::config::DigestConfig) -> Result<Renderer> {
        Self::new(c.templates_dir.as_deref(), &c.subject)
    }

    /// The built-in templates, overridden by files in `templates_dir`;
    /// `subject` is the `[digest] subject` template.
    ///
    /// # Errors
    /// A template file that cannot be read or does not parse (named).
    pub fn new(templates_dir: Option<&Path>, subject: &str) -> Result<Renderer> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        let syntax = minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
            .map_err(|e| Error::Other(format!("template syntax: {e}")))?;
        env.set_syntax(syntax);
        // A custom template's work is bounded: a loop that never ends, or
        // loops nested to billions of steps, stop with an error.
        env.set_fuel(Some(TEMPLATE_FUEL));
        env.add_filter("md", md_escape);
        env.add_filter("wrap", wrap_filter);
        env.add_filter("count", |n: u64, noun: String| {
            crate::words::count(n, &noun)
        });
        for (file, name, builtin) in BUILTIN {
            let source = match templates_dir.map(|d| d.join(file)) {
                Some(p) if p.exists() => read_template(&p)?,
                _ => builtin.to_string(),
            };
            env.add_template_owned(name, source)
                .map_err(|e| Error::Usage(format!("template {file}: {e:#}")))?;
        }
        env.add_template_owned("subject.line", subject.to_string())
            .map_err(|e| Error::Usage(format!("`digest.subject` template: {e:#}")))?;
        Ok(Renderer {
            env,
            subject: subject.to_string(),
        })
    }

    fn render(&self, name: &str, digest: &Digest) -> Result<String> {
        let tmpl = self
            .env
            .get_template(name)
            .map_err(|e| Error::Other(format!("template {name}: {e:#}")))?;
        tmpl.render(context! {
            d => Value::from(minijinja::value::Serde(digest)),
            count => digest.papers.len(),
            date => &digest.date,
            title => &digest.title,
        })
        .map_err(|e| Error::Usage(format!("template {name}: {e:#}")))
    }

    /// Markdown.
    ///
    /// # Errors
    /// A template error.
    pub fn markdown(&self, digest: &Digest) -> Result<String> {
        self.render("digest.md", digest)
    }

    /// Mail-safe HTML (every feed string HTML-escaped).
    ///
    /// # Errors
    /// A template error.
    pub fn html(&self, digest: &Digest) -> Result<String> {
        self.render("digest.html", digest)
    }

    /// Plain text wrapped at [`TEXT_WIDTH`] columns.
    ///
    /// # Errors
    /// A template error.
    pub fn text(&self, digest: &Digest) -> Result<String> {
        self.render("digest.txt", digest)
    }

    /// The subject: `[digest] subject` when set away from the default, else
    /// `subject.txt.j2`; always one line.
    ///
    /// # Errors
    /// A template error.
    pub fn subject(&self, digest: &Digest) -> Result<String> {
        let name = if self.subject.is_empty() {
            "subject.txt"
        } else {
            "subject.line"
        };
        Ok(crate::sanitize::one_line(&self.render(name, digest)?))
    }

    /// JSON (the [`Digest`] model, pretty-printed, with a final newline).
    ///
    /// # Errors
    /// Never in practice (serialising plain data).
    pub fn json(digest: &Digest) -> Result<String> {
        serde_json::to_string_pretty(digest)
            .map(|s| s + "\n")
            .map_err(|e| Error::Other(format!("cannot write JSON: {e}")))
    }

    /// Subject, text and HTML together (what a mail needs).
    ///
    /// # Errors
    /// A template error.
    pub fn for_mail(&self, digest: &Digest) -> Result<Rendered> {
        Ok(Rendered {
            subject: self.subject(digest)?,
            text: self.text(digest)?,
            html: self.html(digest)?,
        })
    }
}

/// The largest custom template file read (a template linked to
/// `/dev/zero` or a huge file is refused, not read whole).
pub const MAX_TEMPLATE_BYTES: u64 = 1024 * 1024;

/// The work one render may do, in minijinja's fuel: one unit per
/// instruction, and one per `BYTES_PER_FUEL` bytes of data made. The
/// built-in templates use about 250 per paper, so the largest digest
/// (1,000 papers and as many "also popular") needs about 500,000: this is
/// ten times that, and bounds what a custom template can make to 320 MB of
/// data and well under a second of work.
pub const TEMPLATE_FUEL: u64 = 5_000_000;

/// The bytes of data one unit of fuel pays for (minijinja's rate).
const BYTES_PER_FUEL: u64 = 64;

/// Reads a custom template, at most [`MAX_TEMPLATE_BYTES`].
fn read_template(p: &Path) -> Result<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(p)
        .and_then(|f| f.take(MAX_TEMPLATE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| Error::io(p.display(), e))?;
    if bytes.len() as u64 > MAX_TEMPLATE_BYTES {
        return Err(Error::Usage(format!(
            "{}: template larger than {} MiB",
            p.display(),
            MAX_TEMPLATE_BYTES >> 20
        )));
    }
    String::from_utf8(bytes)
        .map_err(|_| Error::Usage(format!("{}: template is not UTF-8 text", p.display())))
}

/// The `md` filter: [`crate::sanitize::md_escape`].
fn md_escape(s: String) -> String {
    crate::sanitize::md_escape(&s)
}

/// `{{ text | wrap(72, "   ") }}`: greedy word wrap; `indent` starts every
/// line after the first (the first line's prefix is in the template).
///
/// minijinja charges a filter's result only once it is made, and the
/// indent is repeated on every line (`wrap(1, "x" * 100000)` over a million
/// words would be 100 GB), so the most it can write is paid for first.
fn wrap_filter(
    state: &minijinja::State,
    s: String,
    width: Option<usize>,
    indent: Option<String>,
) -> std::result::Result<String, minijinja::Error> {
    let indent = indent.as_deref().unwrap_or("");
    let words = s.split_whitespace().count() as u64;
    let most = (s.len() as u64)
        .saturating_mul(2)
        .saturating_add(words.saturating_mul(indent.len() as u64 + 1));
    state.consume_fuel(most.div_ceil(BYTES_PER_FUEL))?;
    Ok(wrap(&s, width.unwrap_or(TEXT_WIDTH), indent))
}

/// Wraps `text` at `width` display columns ([`crate::wrap::fill`]): the
/// first line keeps `text`'s leading spaces, later lines start with
/// `indent`; a URL longer than a line gets a line of its own, whole.
pub fn wrap(text: &str, width: usize, indent: &str) -> String {
    crate::wrap::fill(text, width, indent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_respects_width_and_indent() {
        let w = wrap("aaa bbb ccc ddd", 8, "  ");
        assert_eq!(w, "aaa bbb\n  ccc\n  ddd");
        let w = wrap("  aaa bbb ccc", 9, "  ");
        assert_eq!(w, "  aaa bbb\n  ccc");
        // `· code` is one unit: the separator starts the next line.
        let w = wrap("Why: 18 upvotes · 15 stars · code", 29, "   ");
        assert_eq!(w, "Why: 18 upvotes · 15 stars\n   · code");
    }

    /// A digest of `n` papers and `n` "also popular", each with every
    /// field a template can show filled in.
    fn digest_of(n: usize) -> Digest {
        let paper = |rank: usize| {
            serde_json::json!({
                "rank": rank, "id": format!("arxiv:2601.{rank:05}"),
                "title": "DeepResearchEval: An Automated Framework for Deep Research Task \
                          Construction and Agentic Evaluation",
                "url": format!("https://huggingface.co/papers/2601.{rank:05}"),
                "abs_url": format!("https://arxiv.org/abs/2601.{rank:05}"),
                "pdf_url": format!("https://arxiv.org/pdf/2601.{rank:05}"),
                "authors": ["Yibo Wang", "Lei Wang", "Yue Deng"], "et_al": true,
                "date": "2026-01-15", "upvotes": 49,
                "code_url": "https://github.com/Infinity-AILab/DeepResearchEval",
                "why": "matches \"agent\" (title, abstract) · 49 upvotes · 24 stars · code",
                "teaser": [
                    {"text": "Deep research systems are widely used for multi-step web ", "hit": false},
                    {"text": "research", "hit": true},
                    {"text": ", analysis, and cross-source synthesis, yet their evaluation \
                              remains challenging. Existing benchmarks often require…", "hit": false},
                ],
                "matched_terms": ["research"], "score": 8.5, "day": "2026-01-15",
                "rising_by": "+48 upvotes since yesterday",
            })
        };
        serde_json::from_value(serde_json::json!({
            "schema_version": 2, "date": "2026-01-15", "timezone": "UTC",
            "generated_at": "2026-01-15T08:00:00Z", "title": "Trending papers",
            "since": "2026-01-14T08:00:00Z", "until": "2026-01-15T08:00:00Z",
            "papers": (1..=n).map(paper).collect::<Vec<_>>(),
            "also_popular": (1..=n).map(paper).collect::<Vec<_>>(),
            "days": ["2026-01-14", "2026-01-15"],
            "rising": [{"phrase": "training data", "window_count": 8, "baseline_count": 13}],
            "rising_window": "week", "rising_baseline": "8 weeks",
            "counts": {"new": n, "passed": n, "matched": n, "already_sent": 0, "shown": n},
            "notices": ["no new papers from arxiv"],
        }))
        .unwrap()
    }

    #[test]
    fn the_largest_digest_renders_well_within_the_fuel() {
        // 1,000 papers and 1,000 "also popular" (`digest.limit` is at most
        // 1,000) with a fifth of the fuel: the built-in templates have five
        // times the room they need for the largest digest.
        let digest = digest_of(1000);
        let mut r = Renderer::new(None, "").unwrap();
        r.env.set_fuel(Some(TEMPLATE_FUEL / 5));
        for out in [
            r.text(&digest).unwrap(),
            r.html(&digest).unwrap(),
            r.markdown(&digest).unwrap(),
        ] {
            assert!(out.contains("2601.01000"), "the last paper is missing");
        }
        r.subject(&digest).unwrap();
    }

    #[test]
    fn a_wrap_indent_is_paid_for_before_it_is_written() {
        // The charge refuses a wrap that would write 10 MB with 100 kB of
        // fuel (6.4 MB), before writing it; one that fits is unchanged (the
        // width counts the indent, as the terminal does).
        // (That gigabytes are never written: `bounds.rs`.)
        let dir = tempfile::tempdir().unwrap();
        let template = |t: &str| {
            std::fs::write(dir.path().join("digest.md.j2"), t).unwrap();
            let mut r = Renderer::new(Some(dir.path()), "").unwrap();
            r.env.set_fuel(Some(100_000));
            r.markdown(&digest_of(1))
        };
        let e = template(r#"{{ ("a " * 1000) | wrap(1, "b" * 10000) }}"#).unwrap_err();
        assert!(e.to_string().contains("fuel"), "{e}");
        assert_eq!(
            template(r#"{{ "aaa bbb ccc" | wrap(5, "  ") }}"#).unwrap(),
            "aaa\n  bbb\n  ccc"
        );
    }

    #[test]
    fn markdown_escape_neutralises_links_and_html() {
        assert_eq!(md_escape("[x](y) <b>".into()), "\\[x\\](y) \\<b\\>");
    }
}

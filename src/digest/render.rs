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

/// The work one render may do, in minijinja's fuel (about one unit per
/// instruction): the built-in templates use a few thousand per paper, so
/// this allows digests of thousands of papers and stops a runaway custom
/// template within seconds.
pub const TEMPLATE_FUEL: u64 = 50_000_000;

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
fn wrap_filter(s: String, width: Option<usize>, indent: Option<String>) -> String {
    wrap(
        &s,
        width.unwrap_or(TEXT_WIDTH),
        indent.as_deref().unwrap_or(""),
    )
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

    #[test]
    fn markdown_escape_neutralises_links_and_html() {
        assert_eq!(md_escape("[x](y) <b>".into()), "\\[x\\](y) \\<b\\>");
    }
}

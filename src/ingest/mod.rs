//! Reading paper listings: format detection and one streaming parser per format.
//!
//! Owns turning bytes into [`Paper`] records. It does not touch the index: the
//! parsers hand each record (or each skipped, malformed record) to an `emit`
//! callback, so a 2 GB snapshot is parsed in constant memory. Invariants: a
//! parser never panics on any input; a record it cannot use is reported with its
//! line (or entry number) and skipped; input that is not the declared format at
//! all is a [`ParseError`] naming the file.

pub mod arxiv_atom;
pub mod arxiv_oai;
pub mod arxiv_rss;
pub mod clean;
pub mod hf_json;
pub mod hf_text;
pub mod jsonl;
mod xml;

use std::fmt;
use std::io::BufRead;

use crate::paper::Paper;

/// A supported listing format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Detect from the content (and, as a hint, the file name).
    Auto,
    /// Hugging Face Papers page text dump: title line, abstract line, …
    HfText,
    /// Hugging Face `daily_papers` / papers search API JSON.
    HfJson,
    /// arXiv API Atom feed.
    ArxivAtom,
    /// arXiv RSS 2.0 category feed.
    ArxivRss,
    /// arXiv metadata snapshot, JSON Lines.
    ArxivOai,
    /// papertrend's own JSON Lines record (also the generic import format).
    Jsonl,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 7] = [
        Format::Auto,
        Format::HfText,
        Format::HfJson,
        Format::ArxivAtom,
        Format::ArxivRss,
        Format::ArxivOai,
        Format::Jsonl,
    ];

    /// What it is, in one line (`--help`).
    pub fn about(self) -> &'static str {
        match self {
            Format::Auto => "Detect from the content (and, as a hint, the file name)",
            Format::HfText => "Hugging Face Papers page text dump: title line, abstract line, …",
            Format::HfJson => "Hugging Face `daily_papers` / papers search API JSON",
            Format::ArxivAtom => "arXiv API Atom feed",
            Format::ArxivRss => "arXiv RSS 2.0 category feed",
            Format::ArxivOai => "arXiv metadata snapshot, JSON Lines",
            Format::Jsonl => "papertrend's own JSON Lines record (also the generic import format)",
        }
    }

    /// The name used on the command line, in `sources[]` and in messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::HfText => "hf-text",
            Format::HfJson => "hf-json",
            Format::ArxivAtom => "arxiv-atom",
            Format::ArxivRss => "arxiv-rss",
            Format::ArxivOai => "arxiv-oai",
            Format::Jsonl => "jsonl",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a parser hands to its caller.
#[derive(Debug)]
pub enum Event {
    /// A usable record. `first_seen` is left empty; the index sets it.
    Paper(Box<Paper>),
    /// A record that was skipped, with where it was and why.
    Skip {
        /// 1-based line of the record (for JSON arrays: the 1-based entry number).
        line: u64,
        /// Why it was skipped, in a few words.
        reason: String,
    },
}

/// The input is not in the declared format, or cannot be read at all.
#[derive(Debug, thiserror::Error)]
#[error("{path}{}: {reason}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ParseError {
    /// The file (or `-` for standard input, or the source's URL).
    pub path: String,
    /// 1-based line, when it is known.
    pub line: Option<u64>,
    /// The format that was being parsed.
    pub format: Format,
    /// What was wrong, in a few words.
    pub reason: String,
}

/// The callback a parser emits to; returning `Err(Stopped)` stops the parse.
pub type Emit<'a> = dyn FnMut(Event) -> Result<(), Stopped> + 'a;

/// The callback takes no more events (in the pipeline: the writer failed,
/// and its own error is the one reported).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("ingest stopped")]
pub struct Stopped;

/// Why a parse ended early: bad input, or the callback asked to stop.
#[derive(Debug, thiserror::Error)]
pub enum ParseStop {
    /// The input is not the declared format.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// The callback asked to stop (e.g. the index could not be written).
    #[error(transparent)]
    Stopped(#[from] Stopped),
}

/// Context every parser gets: where the bytes come from.
#[derive(Clone, Debug)]
pub struct Origin {
    /// File path, `-`, or URL, as shown in messages.
    pub path: String,
}

impl Origin {
    /// A [`ParseError`] for this input.
    pub fn error(
        &self,
        format: Format,
        line: Option<u64>,
        reason: impl Into<String>,
    ) -> ParseError {
        ParseError {
            path: self.path.clone(),
            line,
            format,
            reason: reason.into(),
        }
    }
}

/// Largest single record (line, JSON document or XML file) a parser accepts.
/// A listing this large is hostile or broken; refusing it bounds memory.
pub const MAX_DOCUMENT_BYTES: u64 = 256 * 1024 * 1024;

/// Largest line of a line-based format (JSON Lines, hf-text). A real
/// record is a few KiB; the bound keeps a hostile line's cost (its buffer
/// grows by doubling, then is parsed) to tens of MiB.
pub const MAX_LINE_BYTES: u64 = 16 * 1024 * 1024;

/// Guesses the format from the first bytes of the input and its name.
///
/// Content wins over the extension: a `.json` file holding JSON Lines of arXiv
/// snapshot records is `arxiv-oai`. Returns `None` when nothing fits.
pub fn detect(head: &[u8], name: &str) -> Option<Format> {
    let text = String::from_utf8_lossy(head);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with('<') {
        let lower = t.to_ascii_lowercase();
        if lower.contains("<rss") || lower.contains("<rdf:rdf") {
            return Some(Format::ArxivRss);
        }
        if lower.contains("<feed") {
            return Some(Format::ArxivAtom);
        }
        return None;
    }
    if t.starts_with('[') {
        return Some(Format::HfJson);
    }
    if t.starts_with('{') {
        let first_line = t.lines().next().unwrap_or("");
        if first_line.contains("\"authors_parsed\"")
            || (first_line.contains("\"update_date\"") && first_line.contains("\"versions\""))
        {
            return Some(Format::ArxivOai);
        }
        if first_line.contains("\"schema_version\"") || first_line.contains("\"first_seen\"") {
            return Some(Format::Jsonl);
        }
        // A pretty-printed object (`{` alone on the first line) is one JSON
        // document: a wrapped API response.
        if first_line.trim() == "{" || t.contains("\"paper\"") {
            return Some(Format::HfJson);
        }
        if first_line.trim_end().ends_with('}') {
            return Some(Format::Jsonl);
        }
        return Some(Format::HfJson);
    }
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".jsonl") {
        return Some(Format::Jsonl);
    }
    // A run of NULs is one damaged spot, however long: a stray NUL is a
    // damaged record (hf-text skips it), and so is a block of zeros a
    // damaged disk left in a dump. What is left must be text with at most
    // one damaged spot, control character or undecodable byte per 100
    // characters: a binary file has far more.
    let (mut chars, mut odd, mut in_nul) = (0usize, 0usize, false);
    for c in t.chars() {
        if c == '\0' {
            odd += usize::from(!in_nul);
            in_nul = true;
            continue;
        }
        in_nul = false;
        chars += 1;
        if c == '\u{fffd}' || (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
            odd += 1;
        }
    }
    if chars > 0 && odd * 100 <= chars {
        return Some(Format::HfText);
    }
    None
}

/// Reads gzip transparently: when `input` starts with the gzip magic bytes
/// (arXiv snapshots and API dumps are often gzipped), returns a reader of
/// the decompressed stream (all members), else `input` itself.
///
/// # Errors
/// An I/O error while peeking at the first bytes.
pub fn gunzip<'a>(
    mut input: Box<dyn BufRead + Send + 'a>,
) -> std::io::Result<Box<dyn BufRead + Send + 'a>> {
    if input.fill_buf()?.starts_with(&[0x1f, 0x8b]) {
        let decoder = flate2::bufread::MultiGzDecoder::new(input);
        return Ok(Box::new(std::io::BufReader::with_capacity(
            1 << 16,
            decoder,
        )));
    }
    Ok(input)
}

/// Parses `input` as `format` (not `Auto`), emitting every record.
///
/// # Errors
/// [`ParseStop::Parse`] when the input is not that format; [`ParseStop::Stopped`]
/// when `emit` failed.
pub fn parse(
    format: Format,
    input: &mut dyn BufRead,
    origin: &Origin,
    emit: &mut Emit<'_>,
) -> Result<(), ParseStop> {
    match format {
        Format::HfText => hf_text::parse(input, origin, emit),
        Format::HfJson => hf_json::parse(input, origin, emit),
        Format::ArxivAtom => arxiv_atom::parse(input, origin, emit),
        Format::ArxivRss => arxiv_rss::parse(input, origin, emit),
        Format::ArxivOai => arxiv_oai::parse(input, origin, emit),
        Format::Jsonl | Format::Auto => jsonl::parse(input, origin, emit),
    }
}

/// Reads one line into `buf` (without the trailing `\n` / `\r\n`), refusing
/// lines over [`MAX_LINE_BYTES`]. Returns `Ok(false)` at end of input.
///
/// # Errors
/// An I/O error, or an oversized line, as a [`ParseError`].
pub fn read_line(
    input: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    origin: &Origin,
    format: Format,
    line: u64,
) -> Result<bool, ParseError> {
    use std::io::Read;
    buf.clear();
    let n = input
        .take(MAX_LINE_BYTES + 1)
        .read_until(b'\n', buf)
        .map_err(|e| origin.error(format, Some(line), format!("read failed: {e}")))?;
    if n == 0 {
        return Ok(false);
    }
    if buf.len() as u64 > MAX_LINE_BYTES {
        return Err(origin.error(
            format,
            Some(line),
            format!("line longer than {} MiB", MAX_LINE_BYTES >> 20),
        ));
    }
    while matches!(buf.last(), Some(b'\n' | b'\r')) {
        buf.pop();
    }
    Ok(true)
}

/// Reads the whole input (for formats that are one document), bounded by
/// [`MAX_DOCUMENT_BYTES`].
///
/// # Errors
/// An I/O error or an oversized input, as a [`ParseError`].
pub fn read_all(
    input: &mut dyn BufRead,
    origin: &Origin,
    format: Format,
) -> Result<Vec<u8>, ParseError> {
    use std::io::Read;
    let mut buf = Vec::new();
    input
        .take(MAX_DOCUMENT_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| origin.error(format, None, format!("read failed: {e}")))?;
    if buf.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(origin.error(format, None, "input larger than 256 MiB"));
    }
    Ok(buf)
}

/// What [`collect`] returns: the papers and the `(line, reason)` skips.
#[cfg(test)]
pub(crate) type Collected = Result<(Vec<Paper>, Vec<(u64, String)>), ParseStop>;

/// Test helper shared by every parser's tests: parses `input` as `format`
/// and collects the papers and the `(line, reason)` skips.
#[cfg(test)]
pub(crate) fn collect(format: Format, input: &[u8], path: &str) -> Collected {
    let origin = Origin { path: path.into() };
    let (mut papers, mut skips) = (Vec::new(), Vec::new());
    let mut reader = input;
    parse(format, &mut reader, &origin, &mut |e| {
        match e {
            Event::Paper(p) => papers.push(*p),
            Event::Skip { line, reason } => skips.push((line, reason)),
        }
        Ok(())
    })?;
    Ok((papers, skips))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_content() {
        assert_eq!(
            detect(b"<?xml version='1.0'?><rss version=\"2.0\">", "x.xml"),
            Some(Format::ArxivRss)
        );
        assert_eq!(
            detect(b"<?xml version=\"1.0\"?>\n<feed xmlns=", "x"),
            Some(Format::ArxivAtom)
        );
        assert_eq!(
            detect(b"[\n  {\n    \"paper\": {", "x.json"),
            Some(Format::HfJson)
        );
        assert_eq!(
            detect(b"{\"id\":\"0704.0001\",\"versions\":[],\"update_date\":\"2008-11-13\",\"authors_parsed\":[]}\n", "a.json"),
            Some(Format::ArxivOai)
        );
        assert_eq!(
            detect(b"{\"schema_version\":1,\"id\":\"x\"}\n", "a.txt"),
            Some(Format::Jsonl)
        );
        assert_eq!(
            detect(
                b"Get trending papers in your email inbox!\nTitle\n",
                "seed.txt"
            ),
            Some(Format::HfText)
        );
        assert_eq!(detect(b"\0\x01\x02", "bin"), None);
        // See: #18
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, b"[\n  {\n    \"paper\": {").unwrap();
        let bytes = gz.finish().unwrap();
        let mut plain = gunzip(Box::new(&bytes[..])).unwrap();
        assert_eq!(
            detect(plain.fill_buf().unwrap(), "x.json"),
            Some(Format::HfJson)
        );
        assert_eq!(detect(b"", "empty"), None);
    }
}

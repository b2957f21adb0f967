//! Shared quick-xml plumbing for the XML listing formats (arXiv Atom and RSS).
//!
//! Owns turning one bounded, in-memory XML document into a list of small
//! element trees, one per record element (`<entry>`, `<item>`), matched by
//! **local name** so that `arxiv:` / `dc:` / `rdf:` prefixes, whether declared
//! on the root or inline on each element, do not matter.
//!
//! Invariants:
//! * Entities are never expanded beyond the five predefined XML ones and
//!   character references: a `<!DOCTYPE>` is skipped unread, so custom or
//!   external (`SYSTEM`) entities stay literal (`&lol9;`) and no file or URL is
//!   ever opened. Billion-laughs input therefore costs its own size, no more.
//! * The whole document is checked before any record is returned: malformed or
//!   truncated XML is one [`ParseError`], never a partial listing.
//! * Nesting deeper than [`MAX_DEPTH`] is refused, which bounds the work of
//!   gathering descendant text.
//! * Nothing here panics on any input.

use super::clean::find_code_url;
use super::{Format, Origin, ParseError};
use crate::paper::{Paper, SCHEMA_VERSION};
use quick_xml::escape::resolve_xml_entity;
use quick_xml::events::{BytesStart, Event as XmlEvent};
use quick_xml::reader::Reader;

/// Deepest element nesting accepted; real feeds nest about 5 levels.
const MAX_DEPTH: usize = 256;

/// One element inside a record: local name, attributes and text.
#[derive(Debug, Default)]
pub(super) struct Node {
    /// Local name (prefix stripped), e.g. `primary_category`.
    pub(super) name: String,
    /// Attributes as (local name, unescaped value).
    pub(super) attrs: Vec<(String, String)>,
    /// Text content: this element's text plus that of its descendants, except
    /// that a record's root node keeps only its own direct text.
    pub(super) text: String,
    /// Child elements in document order.
    pub(super) children: Vec<Node>,
}

impl Node {
    /// The first child with local name `name`.
    pub(super) fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// All children with local name `name`, in order.
    pub(super) fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of the first child named `name`, if there is one.
    pub(super) fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }

    /// The value of attribute `name` (local name), if present.
    pub(super) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One record element (`<entry>` or `<item>`) and where it starts.
#[derive(Debug)]
pub(super) struct Record {
    /// 1-based line of the record's start tag in the input.
    pub(super) line: u64,
    /// The record element itself.
    pub(super) node: Node,
}

/// A parsed document: the root element's local name and its records.
#[derive(Debug)]
pub(super) struct Document {
    /// Local name of the root element (`feed`, `rss`, `RDF`).
    pub(super) root: String,
    /// Every record element, in document order.
    pub(super) records: Vec<Record>,
}

/// Decodes the raw bytes as UTF-8 text (dropping a byte-order mark), refusing
/// binary input with an error that names `format`.
pub(super) fn as_text<'a>(
    bytes: &'a [u8],
    origin: &Origin,
    format: Format,
) -> Result<&'a str, ParseError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        return Err(origin.error(
            format,
            None,
            not_format(format, "UTF-16 input is not supported"),
        ));
    }
    if bytes.contains(&0) {
        return Err(origin.error(format, None, not_format(format, "binary data")));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let line = line_at(bytes, e.valid_up_to());
        origin.error(format, Some(line), not_format(format, "invalid UTF-8"))
    })
}

/// `"not an arxiv-atom document: {why}"`.
pub(super) fn not_format(format: Format, why: &str) -> String {
    format!("not an {format} document: {why}")
}

/// 1-based line number of byte offset `pos` in `bytes`.
fn line_at(bytes: &[u8], pos: usize) -> u64 {
    let end = pos.min(bytes.len());
    1 + bytes[..end].iter().filter(|&&b| b == b'\n').count() as u64
}

/// Counts lines incrementally as the reader moves forward, so finding the line
/// of every record costs one pass over the input in total.
struct LineCounter<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: u64,
}

impl LineCounter<'_> {
    fn at(&mut self, pos: u64) -> u64 {
        let pos = usize::try_from(pos)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        if pos >= self.pos {
            self.line += self.bytes[self.pos..pos]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.pos = pos;
            self.line
        } else {
            line_at(self.bytes, pos)
        }
    }
}

/// Parses `text` and collects every element whose local name is `record`
/// (records nested inside records are treated as ordinary children).
///
/// # Errors
/// A [`ParseError`] for malformed or truncated XML, a missing root element, or
/// nesting deeper than [`MAX_DEPTH`].
pub(super) fn parse_records(
    text: &str,
    record: &str,
    origin: &Origin,
    format: Format,
) -> Result<Document, ParseError> {
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.trim_text(false);
    config.allow_dangling_amp = true;
    config.check_end_names = true;
    let mut lines = LineCounter {
        bytes: text.as_bytes(),
        pos: 0,
        line: 1,
    };
    let mut root: Option<String> = None;
    let mut depth = 0usize;
    // Open elements of the record being read; empty when outside a record.
    let mut stack: Vec<Node> = Vec::new();
    let mut record_line = 0u64;
    let mut records = Vec::new();
    let mut after_root = false;
    loop {
        let before = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let line = lines.at(reader.error_position());
                return Err(origin.error(format, Some(line), format!("malformed XML: {e}")));
            }
        };
        match event {
            XmlEvent::Start(start) | XmlEvent::Empty(start) if after_root && depth == 0 => {
                let line = lines.at(before);
                let name = local(start.name().into_inner()).to_string();
                return Err(origin.error(
                    format,
                    Some(line),
                    format!("malformed XML: second root element <{name}>"),
                ));
            }
            XmlEvent::Start(start) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    let line = lines.at(before);
                    return Err(origin.error(
                        format,
                        Some(line),
                        format!("malformed XML: elements nested deeper than {MAX_DEPTH}"),
                    ));
                }
                let node = node_of(&start);
                if root.is_none() {
                    root = Some(node.name.clone());
                }
                if !stack.is_empty() || node.name == record {
                    if stack.is_empty() {
                        record_line = lines.at(before);
                    }
                    stack.push(node);
                }
            }
            XmlEvent::Empty(start) => {
                let node = node_of(&start);
                if root.is_none() {
                    root = Some(node.name.clone());
                    after_root = true;
                }
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(node);
                } else if node.name == record {
                    records.push(Record {
                        line: lines.at(before),
                        node,
                    });
                }
            }
            XmlEvent::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    after_root = true;
                }
                if let Some(node) = stack.pop() {
                    // A record's root keeps only its own direct text.
                    let gather = stack.len() > 1;
                    match stack.last_mut() {
                        Some(parent) => {
                            if gather {
                                parent.text.push_str(&node.text);
                            }
                            parent.children.push(node);
                        }
                        None => records.push(Record {
                            line: record_line,
                            node,
                        }),
                    }
                }
            }
            XmlEvent::Text(t) => {
                if depth == 0 && !t.trim().is_empty() {
                    let line = lines.at(before);
                    return Err(origin.error(
                        format,
                        Some(line),
                        not_format(format, "text outside the root element"),
                    ));
                }
                if let Some(node) = stack.last_mut() {
                    node.text.push_str(&t.xml10_content());
                }
            }
            XmlEvent::CData(c) => {
                if let Some(node) = stack.last_mut() {
                    node.text.push_str(&c.xml10_content());
                }
            }
            XmlEvent::GeneralRef(r) => {
                if let Some(node) = stack.last_mut() {
                    push_reference(&mut node.text, &r);
                }
            }
            XmlEvent::Eof => break,
            // Declarations, comments, processing instructions and the DOCTYPE
            // (whose entity definitions are deliberately never read).
            XmlEvent::Decl(_) | XmlEvent::PI(_) | XmlEvent::Comment(_) | XmlEvent::DocType(_) => {}
        }
    }
    let Some(root) = root else {
        return Err(origin.error(format, None, not_format(format, "no XML root element")));
    };
    if depth > 0 {
        let line = lines.at(text.len() as u64);
        return Err(origin.error(
            format,
            Some(line),
            "malformed XML: truncated (unexpected end of input inside an element)",
        ));
    }
    Ok(Document { root, records })
}

/// Appends the expansion of `&name;`: predefined XML entities and character
/// references are resolved; anything else (custom, external or HTML entities)
/// is kept literally and never looked up.
fn push_reference(out: &mut String, name: &str) {
    if let Some(s) = resolve_xml_entity(name) {
        out.push_str(s);
        return;
    }
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse::<u32>().ok(),
        };
        if let Some(c) = code.filter(|&c| c != 0).and_then(char::from_u32) {
            out.push(c);
            return;
        }
    }
    out.push('&');
    out.push_str(name);
    out.push(';');
}

/// The part of a qualified name after the prefix.
fn local(qname: &str) -> &str {
    qname.rsplit_once(':').map_or(qname, |(_, l)| l)
}

/// A node for a start tag: local name and attributes (malformed ones dropped).
fn node_of(start: &BytesStart<'_>) -> Node {
    let mut node = Node {
        name: local(start.name().into_inner()).to_string(),
        ..Node::default()
    };
    for attr in start.attributes().with_checks(false).flatten() {
        let key = local(attr.key.into_inner());
        if key == "xmlns" || attr.key.into_inner().starts_with("xmlns:") {
            continue;
        }
        let mut value = String::with_capacity(attr.value.len());
        let mut rest: &str = &attr.value;
        while let Some(amp) = rest.find('&') {
            value.push_str(&rest[..amp]);
            let after = &rest[amp + 1..];
            match after.find(';') {
                Some(semi) if semi > 0 && semi <= 32 => {
                    push_reference(&mut value, &after[..semi]);
                    rest = &after[semi + 1..];
                }
                _ => {
                    value.push('&');
                    rest = after;
                }
            }
        }
        value.push_str(rest);
        node.attrs.push((key.to_string(), value));
    }
    node
}

/// Removes HTML tags (`<a href="…">Name</a>` → `Name`) from text that carried
/// escaped markup, as old RSS 1.0 feeds did.
pub(super) fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Fills the fields every arXiv source derives the same way, once the parser
/// has set `arxiv_id`, `title`, `abstract_text`, `authors` and `categories`:
/// deduplicates categories (first occurrence wins, so the primary stays first),
/// sets the version-less abstract and PDF links, finds a code link in the
/// abstract or else in the `comments` field, records `source`, and assigns the
/// id. Shared with the (non-XML) `arxiv_oai` parser.
pub(super) fn finish_arxiv(p: &mut Paper, source: &str, comments: Option<&str>) {
    let mut seen: Vec<String> = Vec::with_capacity(p.categories.len());
    for c in p.categories.drain(..) {
        if !c.is_empty() && !seen.contains(&c) {
            seen.push(c);
        }
    }
    p.categories = seen;
    if let Some(id) = &p.arxiv_id {
        p.url = Some(format!("https://arxiv.org/abs/{id}"));
        p.pdf_url = Some(format!("https://arxiv.org/pdf/{id}"));
    }
    p.code_url = find_code_url(&p.abstract_text).or_else(|| comments.and_then(find_code_url));
    p.sources = vec![source.to_string()];
    p.schema_version = SCHEMA_VERSION;
    p.assign_id();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> Origin {
        Origin {
            path: "t.xml".into(),
        }
    }

    fn parse(text: &str) -> Result<Document, ParseError> {
        parse_records(text, "entry", &origin(), Format::ArxivAtom)
    }

    #[test]
    fn records_match_on_local_names_and_collect_text() {
        let doc = parse(
            "<?xml version='1.0'?>\n<a:feed xmlns:a='x'>\n<a:entry><a:t k='v&amp;w'>x &lt; y&#x41;\
             <![CDATA[<c>]]></a:t><p:e/></a:entry>\n<entry/></a:feed>",
        )
        .unwrap();
        assert_eq!(doc.root, "feed");
        assert_eq!(doc.records.len(), 2);
        assert_eq!(doc.records[0].line, 3);
        let t = doc.records[0].node.child("t").unwrap();
        assert_eq!(t.text, "x < yA<c>");
        assert_eq!(t.attr("k"), Some("v&w"));
        assert!(doc.records[0].node.child("e").is_some());
    }

    #[test]
    fn malformed_and_truncated_documents_are_errors() {
        for bad in [
            "<feed><entry></feed>",
            "<feed><entry><title>x",
            "",
            "just text",
            "<a/><b/>",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn unknown_entities_stay_literal() {
        let doc = parse("<feed><entry>&nbsp;&#0;&#xZZ;&bogus</entry></feed>").unwrap();
        assert_eq!(doc.records[0].node.text, "&nbsp;&#0;&#xZZ;&bogus");
    }

    #[test]
    fn binary_input_is_refused() {
        assert!(as_text(b"\0\x01<feed>", &origin(), Format::ArxivAtom).is_err());
        assert!(as_text(b"\xff\xfe<\0", &origin(), Format::ArxivAtom).is_err());
        assert!(as_text(b"<feed>\xc3</feed>", &origin(), Format::ArxivAtom).is_err());
        assert_eq!(
            as_text(b"\xef\xbb\xbf<f/>", &origin(), Format::ArxivAtom).unwrap(),
            "<f/>"
        );
    }
}

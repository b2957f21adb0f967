//! arXiv API Atom feeds (`export.arxiv.org/api/query`), old and new serializations.
//!
//! Owns mapping each `<entry>` to a [`Paper`]. Elements are matched by local
//! name, so the 2016/2017 shape (the `arxiv:` and `opensearch:` prefixes
//! declared inline on every element) and the 2026 shape (declared on the root)
//! read the same.
//!
//! Invariants: the feed is read whole (bounded by
//! [`MAX_DOCUMENT_BYTES`](super::MAX_DOCUMENT_BYTES)) and checked for
//! well-formedness before anything is emitted, so malformed or truncated XML is
//! one [`ParseError`](super::ParseError) and never a partial listing. arXiv's
//! error body (HTTP 400: a feed whose single entry has an
//! `…/api/errors#…` id, title `Error` and the message as summary) is a
//! `ParseError` carrying arXiv's message. A valid empty feed emits nothing.
//! For skipped entries, `line` is the 1-based line of the entry's `<entry>`
//! start tag in the file.

use std::io::BufRead;

use jiff::Timestamp;

use super::clean::{clean_latex, collapse_ws};
use super::xml::{self, Node, finish_arxiv, not_format};
use super::{Emit, Event, Format, Origin, ParseStop, read_all};
use crate::paper::{Paper, parse_arxiv_id};

const FORMAT: Format = Format::ArxivAtom;

/// Parses an arXiv API Atom feed, emitting one paper per `<entry>`.
///
/// # Errors
/// [`ParseStop::Parse`] when the input is not well-formed XML, is not an Atom
/// `<feed>`, or is arXiv's error feed; [`ParseStop::Stopped`] when `emit` failed.
pub fn parse(
    input: &mut dyn BufRead,
    origin: &Origin,
    emit: &mut Emit<'_>,
) -> Result<(), ParseStop> {
    let bytes = read_all(input, origin, FORMAT)?;
    let text = xml::as_text(&bytes, origin, FORMAT)?;
    let doc = xml::parse_records(text, "entry", origin, FORMAT)?;
    if doc.root != "feed" {
        let why = format!("root element is <{}>, not an Atom <feed>", doc.root);
        return Err(origin.error(FORMAT, None, not_format(FORMAT, &why)).into());
    }
    for record in &doc.records {
        if let Some(message) = api_error(&record.node) {
            let reason = format!("arXiv API error: {message}");
            return Err(origin.error(FORMAT, Some(record.line), reason).into());
        }
    }
    for record in doc.records {
        match entry(&record.node) {
            Ok(p) => emit(Event::Paper(Box::new(p)))?,
            Err(reason) => emit(Event::Skip {
                line: record.line,
                reason,
            })?,
        }
    }
    Ok(())
}

/// arXiv's message when `entry` is the API's error entry.
fn api_error(entry: &Node) -> Option<String> {
    let id = entry.text_of("id").unwrap_or("").trim();
    let title = collapse_ws(entry.text_of("title").unwrap_or(""));
    let is_error =
        id.contains("arxiv.org/api/errors") || (title == "Error" && parse_arxiv_id(id).is_none());
    if !is_error {
        return None;
    }
    let summary = collapse_ws(entry.text_of("summary").unwrap_or(""));
    if !summary.is_empty() {
        return Some(summary);
    }
    // No summary: the id's fragment spells the message with underscores.
    let fragment = id.rsplit_once('#').map_or(id, |(_, f)| f).replace('_', " ");
    Some(if fragment.is_empty() {
        "unknown error".to_string()
    } else {
        fragment
    })
}

/// Maps one entry; `Err` is the reason to skip it.
fn entry(e: &Node) -> Result<Paper, String> {
    let id_text = e.text_of("id").unwrap_or("").trim();
    let alternate = e
        .all("link")
        .find(|l| l.attr("rel").is_none_or(|r| r == "alternate"))
        .and_then(|l| l.attr("href"));
    let arxiv_id = parse_arxiv_id(id_text).or_else(|| alternate.and_then(parse_arxiv_id));
    let title = clean_latex(e.text_of("title").unwrap_or(""));
    if title.is_empty() {
        return Err(match &arxiv_id {
            Some(id) => format!("entry {id} has no title"),
            None if id_text.is_empty() => "entry without id or title".to_string(),
            None => format!("entry {id_text:?} has no arXiv id and no title"),
        });
    }
    let mut p = Paper {
        arxiv_id,
        title,
        abstract_text: clean_latex(e.text_of("summary").unwrap_or("")),
        authors: e
            .all("author")
            .filter_map(|a| a.text_of("name"))
            .map(collapse_ws)
            .filter(|n| !n.is_empty())
            .collect(),
        published: timestamp(e.text_of("published")),
        updated: timestamp(e.text_of("updated")),
        ..Paper::default()
    };
    let terms = |name: &'static str| {
        e.all(name)
            .filter_map(|c| c.attr("term"))
            .map(|t| t.trim().to_string())
    };
    p.categories = terms("primary_category")
        .take(1)
        .chain(terms("category"))
        .collect();
    let comment = e.text_of("comment").map(collapse_ws);
    finish_arxiv(&mut p, FORMAT.name(), comment.as_deref());
    if p.arxiv_id.is_none() {
        // Not an arXiv entry: keep whatever links the feed gave.
        p.url = alternate.map(str::to_string);
        p.pdf_url = e
            .all("link")
            .find(|l| l.attr("title") == Some("pdf"))
            .and_then(|l| l.attr("href"))
            .map(str::to_string);
    }
    Ok(p)
}

/// An RFC 3339 timestamp (`2012-01-23T21:15:02Z`, `2016-10-09T00:00:00-04:00`).
fn timestamp(text: Option<&str>) -> Option<Timestamp> {
    text.and_then(|t| t.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::Collected as Outcome;

    fn fixture(name: &str) -> String {
        let path = format!(
            concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/arxiv-atom/{}"),
            name
        );
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn run(input: &str) -> Outcome {
        super::super::collect(Format::ArxivAtom, input.as_bytes(), "t.xml")
    }

    fn ts(s: &str) -> Option<Timestamp> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn every_fixture_entry_becomes_a_paper() {
        for name in [
            "id_2104.12255v1.xml",
            "id_astro-ph_0601001.xml",
            "id_0000.0000_empty.xml",
            "2016_au_del_maestro.xml",
            "deep_dream-0.atom.xml",
            "deep_dream-1.atom.xml",
            "brevio_cat_cs.LG_OR_cs.AI_max20.xml",
        ] {
            let text = fixture(name);
            let (papers, skips) = run(&text).unwrap();
            assert!(skips.is_empty(), "{name}: {skips:?}");
            assert_eq!(papers.len(), text.matches("<entry>").count(), "{name}");
            for p in &papers {
                let id = p.arxiv_id.as_deref().unwrap();
                assert_eq!(p.id, format!("arxiv:{id}"));
                assert_eq!(crate::paper::strip_version(id), id, "{name}");
                assert_eq!(
                    p.url.as_deref(),
                    Some(format!("https://arxiv.org/abs/{id}").as_str())
                );
                assert_eq!(
                    p.pdf_url.as_deref(),
                    Some(format!("https://arxiv.org/pdf/{id}").as_str())
                );
                assert_eq!(p.sources, ["arxiv-atom"]);
                assert!(
                    !p.authors.is_empty() && !p.categories.is_empty(),
                    "{name}: {id}"
                );
                assert!(p.published.is_some() && p.updated.is_some(), "{name}: {id}");
                assert!(!p.title.contains('\n') && !p.abstract_text.starts_with(' '));
            }
        }
    }

    #[test]
    fn new_serialization_single_entry_maps_every_field() {
        let (papers, _) = run(&fixture("id_2104.12255v1.xml")).unwrap();
        let p = &papers[0];
        assert_eq!(p.id, "arxiv:2104.12255");
        // A real title that is just "0": must not be mistaken for empty.
        assert_eq!(p.title, "0");
        assert_eq!(p.authors, ["Quan Thoi Minh Nguyen"]);
        assert_eq!(p.categories, ["cs.CR"]);
        assert_eq!(p.published, ts("2021-04-20T16:07:14Z"));
        assert!(
            p.abstract_text
                .starts_with("What is the funniest number in cryptography?")
        );
        assert_eq!(p.schema_version, crate::paper::SCHEMA_VERSION);
        assert_eq!((p.upvotes, p.comments, p.github_stars), (None, None, None));
    }

    #[test]
    fn old_style_ids_lose_only_the_version_and_affiliations_are_ignored() {
        let (papers, _) = run(&fixture("id_astro-ph_0601001.xml")).unwrap();
        let p = &papers[0];
        assert_eq!(p.arxiv_id.as_deref(), Some("astro-ph/0601001"));
        assert_eq!(p.id, "arxiv:astro-ph/0601001");
        assert_eq!(
            p.url.as_deref(),
            Some("https://arxiv.org/abs/astro-ph/0601001")
        );
        assert_eq!(
            p.authors,
            [
                "Andrew Gould",
                "Susan Dorsher",
                "B. Scott Gaudi",
                "Andrzej Udalski"
            ]
        );
        assert!(
            p.abstract_text.contains("Gould & Morgan (2003)"),
            "entities unescaped"
        );
        assert!(p.abstract_text.contains("V_max<17.5"));
    }

    #[test]
    fn old_serialization_wrapped_titles_and_primary_category() {
        let (papers, _) = run(&fixture("2016_au_del_maestro.xml")).unwrap();
        let p = papers
            .iter()
            .find(|p| p.title.starts_with("A striped"))
            .unwrap();
        assert_eq!(
            p.title,
            "A striped supersolid phase and the search for deconfined quantum criticality in \
             hard-core bosons on the triangular lattice"
        );
        let q = &papers[0];
        assert_eq!(q.id, "arxiv:1201.4869");
        assert_eq!(q.categories, ["cond-mat.mes-hall", "cond-mat.other"]);
        assert_eq!(q.updated, ts("2012-01-23T21:15:02Z"));
        assert!(
            q.abstract_text
                .starts_with("As helium-4 is cooled below 2.17 K it undergoes")
        );
        assert!(!q.abstract_text.contains('\n'));
        let old = papers
            .iter()
            .find(|p| p.id == "arxiv:cond-mat/0412498")
            .unwrap();
        assert_eq!(
            old.title,
            "Thermal melting of density waves on the square lattice"
        );
    }

    #[test]
    fn primary_category_comes_first_even_when_listed_later() {
        let (papers, _) = run(&fixture("brevio_cat_cs.LG_OR_cs.AI_max20.xml")).unwrap();
        let text = fixture("brevio_cat_cs.LG_OR_cs.AI_max20.xml");
        for (p, chunk) in papers.iter().zip(text.split("<entry>").skip(1)) {
            let primary = chunk.split("primary_category term=\"").nth(1).unwrap();
            let primary = &primary[..primary.find('"').unwrap()];
            assert_eq!(p.categories[0], primary, "{}", p.id);
            let unique: std::collections::HashSet<_> = p.categories.iter().collect();
            assert_eq!(unique.len(), p.categories.len());
        }
        // In every real sample the primary is also the first <category>; make
        // sure the order comes from <arxiv:primary_category>, not luck.
        let feed = "<feed><entry><id>http://arxiv.org/abs/2401.00001v1</id><title>T</title>\
                    <category term=\"stat.ML\"/><category term=\"cs.LG\"/>\
                    <arxiv:primary_category xmlns:arxiv=\"http://arxiv.org/schemas/atom\" \
                    term=\"cs.LG\"/></entry></feed>";
        let (papers, _) = run(feed).unwrap();
        assert_eq!(papers[0].categories, ["cs.LG", "stat.ML"]);
    }

    #[test]
    fn overlapping_pages_share_ids() {
        let (a, _) = run(&fixture("deep_dream-0.atom.xml")).unwrap();
        let (b, _) = run(&fixture("deep_dream-1.atom.xml")).unwrap();
        let shared = b.iter().filter(|p| a.iter().any(|q| q.id == p.id)).count();
        assert_eq!(shared, 9);
        assert_eq!(a[0].id, "arxiv:1611.09520");
        assert_eq!(
            a[0].title,
            "Hierarchical Neural Representation of Dreamed Objects Revealed by Brain Decoding \
             with Deep Neural Network Features"
        );
        assert_eq!(a[0].published, ts("2016-11-29T08:18:38Z"));
        assert_eq!(a[0].updated, ts("2017-01-23T06:54:20Z"));
    }

    #[test]
    fn http_400_body_is_an_error_with_arxivs_message() {
        let err = run(&fixture("HTTP400_id_abc.xml")).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("arXiv API error: incorrect id format for abc"),
            "{msg}"
        );
    }

    #[test]
    fn empty_feed_gives_nothing() {
        let (papers, skips) = run(&fixture("id_0000.0000_empty.xml")).unwrap();
        assert!(papers.is_empty() && skips.is_empty());
    }

    #[test]
    fn unusable_entries_are_skipped_with_their_line() {
        let feed = "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<entry>\n<title>Kept</title>\n\
                    </entry>\n<entry><summary>no id, no title</summary></entry>\n\
                    <entry><id>http://arxiv.org/abs/2401.00001v3</id><title> </title></entry>\n</feed>";
        let (papers, skips) = run(feed).unwrap();
        assert_eq!(papers.len(), 1);
        assert!(papers[0].id.starts_with("title:") && papers[0].url.is_none());
        assert_eq!(skips.iter().map(|s| s.0).collect::<Vec<_>>(), [5, 6]);
        assert!(skips[0].1.contains("without id or title"), "{}", skips[0].1);
        assert!(skips[1].1.contains("2401.00001"), "{}", skips[1].1);
    }

    #[test]
    fn code_links_come_from_summary_or_comment() {
        let feed = "<feed><entry><id>http://arxiv.org/abs/2401.00001v1</id><title>T</title>\
                    <summary>Nothing here.</summary><arxiv:comment xmlns:arxiv=\"x\">Code: \
                    https://github.com/a/b.</arxiv:comment></entry></feed>";
        let (papers, _) = run(feed).unwrap();
        assert_eq!(
            papers[0].code_url.as_deref(),
            Some("https://github.com/a/b")
        );
    }

    #[test]
    fn entity_bombs_and_external_entities_are_not_expanded() {
        let bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n \
                    <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n \
                    <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n]>\n\
                    <feed><entry><id>http://arxiv.org/abs/2401.00001v1</id>\
                    <title>Bomb &lol3;</title><summary>&lol3;</summary></entry></feed>";
        let xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE feed [<!ENTITY xxe SYSTEM \
                   \"file:///etc/passwd\">]>\n<feed><entry><id>http://arxiv.org/abs/2401.00002</id>\
                   <title>XXE &xxe;</title><summary>&xxe;</summary></entry></feed>";
        for input in [bomb, xxe] {
            match run(input) {
                Ok((papers, _)) => {
                    let json = serde_json::to_string(&papers).unwrap();
                    assert!(!json.contains("lollol"), "{json}");
                    assert!(!json.contains("root:"), "{json}");
                }
                Err(e) => assert!(!e.to_string().contains("root:")),
            }
        }
        let (papers, _) = run(bomb).unwrap();
        assert_eq!(papers[0].title, "Bomb &lol3;");
    }

    #[test]
    fn broken_inputs_are_parse_errors_not_panics() {
        let good = fixture("id_astro-ph_0601001.xml");
        let truncated = &good[..good.len() / 2];
        let cases: Vec<Vec<u8>> = vec![
            truncated.as_bytes().to_vec(),
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
            b"{\"id\": \"0704.0001\"}".to_vec(),
            b"<rss version=\"2.0\"><channel></channel></rss>".to_vec(),
            b"<html><body>503 Service Unavailable</body></html>".to_vec(),
            Vec::new(),
            b"<feed><entry><title>x</titl></entry></feed>".to_vec(),
        ];
        let origin = Origin {
            path: "bad.xml".into(),
        };
        for bytes in cases {
            let got = parse(&mut bytes.as_slice(), &origin, &mut |_| Ok(()));
            match got {
                Err(ParseStop::Parse(e)) => {
                    assert_eq!(e.format, Format::ArxivAtom);
                    assert_eq!(e.path, "bad.xml");
                }
                other => panic!("{:?}: {other:?}", String::from_utf8_lossy(&bytes)),
            }
        }
        // Every truncation point of a real feed is an error or a clean parse.
        for cut in (0..good.len()).step_by(97) {
            let _ = run(good.get(..cut).unwrap_or(""));
        }
    }
}

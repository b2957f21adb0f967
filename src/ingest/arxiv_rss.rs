//! arXiv category RSS feeds: the rss.arxiv.org RSS 2.0 format (2024+), and as a
//! best effort the older RSS 1.0 / RDF shape (`<rdf:RDF>`, `<item rdf:about>`).
//!
//! Owns mapping each `<item>` to a [`Paper`]:
//! * the id comes from `<guid>` (`oai:arXiv.org:2604.21952v1`), `<link>` or
//!   `rdf:about`, version stripped;
//! * the abstract is `<description>` without its `arXiv:… Announce Type: … \n
//!   Abstract:` preamble (RDF feeds: HTML tags removed);
//! * `<dc:creator>` is one comma-joined string of authors, split on commas and
//!   a final "and" (suffixes such as `Jr.` stay with their name; commas inside
//!   parentheses do not split; RDF feeds: `<a href>` author links stripped);
//! * `<category>` elements are kept in order (the feed does not mark the
//!   primary one; RDF feeds carry it in the title, `(arXiv:… [cs.LG])`);
//! * `<pubDate>` (RFC 2822) is the announcement date: it becomes `published`
//!   and `listed` for announce types `new` and `cross` (the day a paper is
//!   first listed), and `updated` otherwise (`replace`, `replace-cross`,
//!   unknown), leaving `published` and `listed` empty.
//!
//! Invariants: as for Atom, the feed is read whole (bounded) and checked for
//! well-formedness before anything is emitted; entities other than the XML
//! ones are never expanded. For skipped items, `line` is the 1-based line of
//! the item's `<item>` start tag.

use std::io::BufRead;

use jiff::Timestamp;
use jiff::fmt::rfc2822::DateTimeParser;

use super::clean::{clean_latex, collapse_ws};
use super::xml::{self, Node, finish_arxiv, not_format, strip_tags};
use super::{Emit, Event, Format, Origin, ParseStop, read_all};
use crate::paper::{Paper, parse_arxiv_id};

const FORMAT: Format = Format::ArxivRss;

/// RFC 2822 dates; feeds are not trusted to get the weekday right.
static RFC2822: DateTimeParser = DateTimeParser::new().relaxed_weekday(true);

/// Parses an arXiv RSS feed, emitting one paper per `<item>`.
///
/// # Errors
/// [`ParseStop::Parse`] when the input is not well-formed XML or not an RSS /
/// RDF feed; [`ParseStop::Stopped`] when `emit` failed.
pub fn parse(
    input: &mut dyn BufRead,
    origin: &Origin,
    emit: &mut Emit<'_>,
) -> Result<(), ParseStop> {
    let bytes = read_all(input, origin, FORMAT)?;
    let text = xml::as_text(&bytes, origin, FORMAT)?;
    let doc = xml::parse_records(text, "item", origin, FORMAT)?;
    let rdf = match doc.root.as_str() {
        "rss" => false,
        "RDF" => true,
        other => {
            let why = format!("root element is <{other}>, not <rss> or <rdf:RDF>");
            return Err(origin.error(FORMAT, None, not_format(FORMAT, &why)).into());
        }
    };
    for record in doc.records {
        match item(&record.node, rdf) {
            Ok(p) => emit(Event::Paper(Box::new(p)))?,
            Err(reason) => emit(Event::Skip {
                line: record.line,
                reason,
            })?,
        }
    }
    Ok(())
}

/// Maps one item; `Err` is the reason to skip it.
fn item(it: &Node, rdf: bool) -> Result<Paper, String> {
    let raw_title = collapse_ws(it.text_of("title").unwrap_or(""));
    // RDF titles end in `. (arXiv:2101.00001v2 [cs.LG] UPDATED)`.
    let (title_text, marker) = split_rdf_title(&raw_title);
    let guid = it.text_of("guid");
    let link = it.text_of("link");
    let arxiv_id = [guid, link, it.attr("about"), marker.map(|m| m.id)]
        .into_iter()
        .flatten()
        .find_map(parse_arxiv_id);
    let title = clean_latex(title_text);
    if title.is_empty() {
        return Err(match &arxiv_id {
            Some(id) => format!("item {id} has no title"),
            None => "item without id or title".to_string(),
        });
    }
    let description = it.text_of("description").unwrap_or("");
    let description = if rdf {
        strip_tags(description)
    } else {
        description.to_string()
    };
    let (announce_in_text, abstract_text) = split_description(&description);
    let announce = it
        .text_of("announce_type")
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .or(announce_in_text)
        .or(marker.map(|m| m.announce));
    let mut authors = Vec::new();
    for creator in it.all("creator") {
        let names = if rdf || creator.text.contains('<') {
            strip_tags(&creator.text)
        } else {
            creator.text.clone()
        };
        authors.extend(split_authors(&names));
    }
    let date = it
        .text_of("pubDate")
        .and_then(|d| RFC2822.parse_timestamp(d.trim()).ok())
        .or_else(|| {
            it.text_of("date")
                .and_then(|d| d.trim().parse::<Timestamp>().ok())
        });
    let first_listing = matches!(announce, Some("new" | "cross"));
    let mut p = Paper {
        arxiv_id,
        title,
        abstract_text: clean_latex(abstract_text),
        authors,
        published: date.filter(|_| first_listing),
        listed: date.filter(|_| first_listing),
        updated: date.filter(|_| !first_listing),
        ..Paper::default()
    };
    p.categories = marker
        .and_then(|m| m.category)
        .map(str::to_string)
        .into_iter()
        .chain(it.all("category").map(|c| collapse_ws(&c.text)))
        .collect();
    finish_arxiv(&mut p, FORMAT.name(), None);
    if p.arxiv_id.is_none() {
        p.url = link.map(|l| l.trim().to_string()).filter(|l| !l.is_empty());
    }
    Ok(p)
}

/// What an RDF-era title says after the title proper.
#[derive(Clone, Copy, Debug)]
struct TitleMarker<'a> {
    id: &'a str,
    category: Option<&'a str>,
    announce: &'a str,
}

/// Splits `Title. (arXiv:2101.00001v2 [cs.LG] UPDATED)` into the title and
/// its marker; other titles come back whole.
fn split_rdf_title(title: &str) -> (&str, Option<TitleMarker<'_>>) {
    let Some(open) = title.rfind(" (arXiv:") else {
        return (title, None);
    };
    let Some(inner) = title[open + 2..].strip_suffix(')') else {
        return (title, None);
    };
    let mut words = inner.split_whitespace();
    let id = words.next().unwrap_or("");
    let rest: Vec<&str> = words.collect();
    let category = rest
        .first()
        .and_then(|w| w.strip_prefix('[').and_then(|w| w.strip_suffix(']')));
    let tail = rest
        .get(usize::from(category.is_some())..)
        .unwrap_or(&[])
        .join(" ");
    let announce = match tail.as_str() {
        "" => "new",
        "UPDATED" => "replace",
        t if t.starts_with("CROSS") => "cross",
        _ => "replace",
    };
    let head = title[..open].trim_end();
    let head = head.strip_suffix('.').unwrap_or(head);
    (
        head,
        Some(TitleMarker {
            id,
            category,
            announce,
        }),
    )
}

/// Splits `arXiv:2604.21952v1 Announce Type: new \nAbstract: …` into the
/// announce type and the abstract; other descriptions come back whole.
fn split_description(d: &str) -> (Option<&str>, &str) {
    let t = d.trim_start();
    if !t.starts_with("arXiv:") {
        return (None, d);
    }
    let announce = t.find("Announce Type:").map(|i| {
        let rest = &t[i + "Announce Type:".len()..];
        rest.split_whitespace().next().unwrap_or("")
    });
    match t.find("Abstract:") {
        Some(i) => (
            announce.filter(|a| !a.is_empty()),
            &t[i + "Abstract:".len()..],
        ),
        None => (announce.filter(|a| !a.is_empty()), ""),
    }
}

/// Splits a comma-joined author string: `A, B, and C`, `A and B`, `A Jr., B`.
fn split_authors(s: &str) -> Vec<String> {
    const SUFFIXES: [&str; 8] = ["Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV", "Jun."];
    let mut pieces = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            ',' | ';' if depth == 0 => {
                pieces.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    pieces.push(&s[start..]);
    let mut out: Vec<String> = Vec::new();
    for piece in pieces {
        let piece = collapse_ws(piece);
        let piece = piece.strip_prefix("and ").unwrap_or(&piece);
        for name in piece.split(" and ") {
            let name = name.trim();
            if name.is_empty() {
                continue;
            }
            match out.last_mut() {
                Some(prev) if SUFFIXES.contains(&name) => {
                    prev.push(' ');
                    prev.push_str(name);
                }
                _ => out.push(name.to_string()),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::Collected as Outcome;

    fn fixture(name: &str) -> String {
        let path = format!(
            concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/arxiv-rss/{}"),
            name
        );
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn run(input: &str) -> Outcome {
        super::super::collect(Format::ArxivRss, input.as_bytes(), "t.rss")
    }

    const FIXTURES: [&str; 3] = ["arxiv_cs_ai.xml", "arxiv_cs_cl.xml", "arxiv_cs_lg.xml"];

    #[test]
    fn every_fixture_item_becomes_a_paper() {
        let announced: Timestamp = "2026-04-27T04:00:00Z".parse().unwrap();
        for name in FIXTURES {
            let text = fixture(name);
            let (papers, skips) = run(&text).unwrap();
            assert!(skips.is_empty(), "{name}: {skips:?}");
            assert_eq!(papers.len(), text.matches("<item>").count(), "{name}");
            for p in &papers {
                let id = p.arxiv_id.as_deref().unwrap();
                assert_eq!(p.id, format!("arxiv:{id}"));
                assert_eq!(
                    p.url.as_deref(),
                    Some(format!("https://arxiv.org/abs/{id}").as_str())
                );
                assert!(p.abstract_text.len() > 200, "{id}");
                assert!(!p.abstract_text.contains("Announce Type"), "{id}");
                assert!(!p.abstract_text.starts_with("Abstract"), "{id}");
                assert_eq!(
                    p.published,
                    Some(announced),
                    "{id}: new items are published"
                );
                assert_eq!(p.listed, Some(announced), "{id}: and listed");
                assert_eq!(p.updated, None);
                assert!(!p.authors.is_empty() && !p.categories.is_empty());
                assert_eq!(p.sources, ["arxiv-rss"]);
            }
        }
    }

    #[test]
    fn first_item_fields() {
        let (papers, _) = run(&fixture("arxiv_cs_ai.xml")).unwrap();
        let p = &papers[0];
        assert_eq!(p.id, "arxiv:2604.21935");
        assert_eq!(
            p.title,
            "Math Takes Two: A test for emergent mathematical reasoning in communication"
        );
        assert_eq!(p.categories, ["cs.AI", "cs.LG"]);
        assert_eq!(p.authors, ["Michael Cooper", "Samuel Cooper"]);
        assert!(
            p.abstract_text
                .starts_with("Although language models demonstrate remarkable")
        );
        assert_eq!(
            p.pdf_url.as_deref(),
            Some("https://arxiv.org/pdf/2604.21935")
        );
        // `\textbf{adaptability}` in the second item is cleaned.
        assert!(
            papers[1]
                .abstract_text
                .contains("adaptability, the ability")
        );
    }

    #[test]
    fn authors_split_on_a_real_item_with_a_mononym() {
        let (papers, _) = run(&fixture("arxiv_cs_cl.xml")).unwrap();
        assert_eq!(
            papers[0].authors,
            [
                "Anamta Khan",
                "Ratna Kandala",
                "Deepti",
                "Sheza Munir",
                "Joyojeet Pal"
            ]
        );
        let (lg, _) = run(&fixture("arxiv_cs_lg.xml")).unwrap();
        assert_eq!(
            lg[2].authors,
            [
                "Michal Valko",
                "Hamed Valizadegan",
                "Branislav Kveton",
                "Gregory F. Cooper",
                "Milos Hauskrecht"
            ]
        );
    }

    #[test]
    fn author_strings_split_sensibly() {
        assert_eq!(
            split_authors("A. Smith and B. Jones"),
            ["A. Smith", "B. Jones"]
        );
        assert_eq!(split_authors("A, B, and C"), ["A", "B", "C"]);
        assert_eq!(
            split_authors("John Smith, Jr., Jane Doe"),
            ["John Smith Jr.", "Jane Doe"]
        );
        assert_eq!(split_authors("X (MIT, CSAIL), Y"), ["X (MIT, CSAIL)", "Y"]);
        assert!(split_authors("  ").is_empty());
    }

    #[test]
    fn abstracts_lose_the_announce_preamble_and_entities_are_unescaped() {
        let rss = "<rss version=\"2.0\" xmlns:arxiv=\"http://arxiv.org/schemas/atom\"><channel>\n\
                   <item><title>T &amp; U</title><link>https://arxiv.org/abs/2604.00001</link>\
                   <description>arXiv:2604.00001v2 Announce Type: replace \nAbstract: R&amp;D \
                   costs &lt;5%.</description><guid>oai:arXiv.org:2604.00001v2</guid>\
                   <pubDate>Mon, 27 Apr 2026 00:00:00 -0400</pubDate>\
                   <arxiv:announce_type>replace</arxiv:announce_type>\
                   <dc:creator xmlns:dc=\"x\">A and B</dc:creator></item></channel></rss>";
        let (papers, _) = run(rss).unwrap();
        let p = &papers[0];
        assert_eq!(p.title, "T & U");
        assert_eq!(p.abstract_text, "R&D costs <5%.");
        assert_eq!(
            p.published, None,
            "a replacement is not a first publication"
        );
        assert_eq!(p.listed, None, "nor a first listing");
        assert_eq!(p.updated, Some("2026-04-27T04:00:00Z".parse().unwrap()));
        assert_eq!(split_description("plain text"), (None, "plain text"));
    }

    #[test]
    fn rfc2822_dates_parse_to_the_right_instant() {
        let t = RFC2822
            .parse_timestamp("Mon, 27 Apr 2026 00:00:00 -0400")
            .unwrap();
        assert_eq!(t.to_string(), "2026-04-27T04:00:00Z");
        let t = RFC2822
            .parse_timestamp("Tue, 2 Apr 2007 19:18:42 GMT")
            .unwrap();
        assert_eq!(
            t.to_string(),
            "2007-04-02T19:18:42Z",
            "wrong weekday is tolerated"
        );
    }

    #[test]
    fn old_rdf_feeds_are_understood() {
        let rdf = r#"<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://arxiv.org/"><title>cs.LG updates on arXiv.org</title>
<items><rdf:Seq><rdf:li rdf:resource="http://arxiv.org/abs/2101.00001" /></rdf:Seq></items>
</channel>
<item rdf:about="http://arxiv.org/abs/2101.00001">
<title>Deep Things. (arXiv:2101.00001v2 [cs.LG] UPDATED)</title>
<link>http://arxiv.org/abs/2101.00001</link>
<description rdf:parseType="Literal">&lt;p&gt;We study
things.&lt;/p&gt;</description>
<dc:creator> &lt;a href="http://arxiv.org/find/cs/1/au:+Smith_J/0/1/0/all/0/1"&gt;John Smith&lt;/a&gt;, &lt;a href="http://arxiv.org/find/cs/1/au:+Doe_J/0/1/0/all/0/1"&gt;Jane Doe&lt;/a&gt;</dc:creator>
</item>
<item rdf:about="http://arxiv.org/abs/2101.00002"><title>New One. (arXiv:2101.00002v1 [cs.AI])</title></item>
</rdf:RDF>"#;
        let (papers, skips) = run(rdf).unwrap();
        assert!(skips.is_empty(), "{skips:?}");
        assert_eq!(papers.len(), 2);
        let p = &papers[0];
        assert_eq!(p.id, "arxiv:2101.00001");
        assert_eq!(p.title, "Deep Things");
        assert_eq!(p.abstract_text, "We study things.");
        assert_eq!(p.authors, ["John Smith", "Jane Doe"]);
        assert_eq!(p.categories, ["cs.LG"]);
        assert_eq!(papers[1].id, "arxiv:2101.00002");
        assert_eq!(papers[1].categories, ["cs.AI"]);
    }

    #[test]
    fn unusable_items_are_skipped_with_their_line() {
        let rss = "<rss><channel>\n<item><description>x</description></item>\n\
                   <item><guid>oai:arXiv.org:2604.00003v1</guid></item>\n</channel></rss>";
        let (papers, skips) = run(rss).unwrap();
        assert!(papers.is_empty());
        assert_eq!(skips.iter().map(|s| s.0).collect::<Vec<_>>(), [2, 3]);
    }

    #[test]
    fn hostile_and_broken_inputs_are_errors_or_harmless() {
        let xxe = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">\
                   <!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\
                   <rss><channel><item><title>&xxe;&b;</title><guid>oai:arXiv.org:2604.00001v1</guid>\
                   <dc:creator>&xxe;</dc:creator></item></channel></rss>";
        let (papers, _) = run(xxe).unwrap();
        let json = serde_json::to_string(&papers).unwrap();
        assert!(
            !json.contains("root:") && !json.contains("aaaaaaaaaaaaaaaaaaaa"),
            "{json}"
        );
        let good = fixture("arxiv_cs_lg.xml");
        let origin = Origin {
            path: "bad.rss".into(),
        };
        for bytes in [
            good.as_bytes()[..good.len() - 40].to_vec(),
            b"\0\0\0\0binary".to_vec(),
            b"<feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>".to_vec(),
            b"not xml at all".to_vec(),
        ] {
            match parse(&mut bytes.as_slice(), &origin, &mut |_| Ok(())) {
                Err(ParseStop::Parse(e)) => assert_eq!(e.format, Format::ArxivRss),
                other => panic!("{:?}: {other:?}", String::from_utf8_lossy(&bytes)),
            }
        }
    }
}

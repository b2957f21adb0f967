//! The digest as an Atom feed (RFC 4287) for feed readers: `digest --format
//! atom` for one day, and the `[digest] feed` file `run` rewrites after each
//! delivery from the last `feed_digests` archived digests.
//!
//! One entry per paper, whose id is the paper's (`urn:papertrend:paper:…`),
//! so a feed reader shows each digested paper once. The XML is written by
//! hand: every feed string goes through quick-xml's escaping, with the
//! characters XML 1.0 forbids removed first, and only `http(s)` links are
//! kept (the model guarantees it; checked again here).

use jiff::Timestamp;

use super::model::{Digest, DigestPaper};

/// Text safe inside an XML element or attribute: XML-forbidden control
/// characters dropped, `& < > " '` escaped.
fn xml(s: &str) -> String {
    let allowed: String = s
        .chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r')
                || ('\u{20}'..='\u{D7FF}').contains(&c)
                || ('\u{E000}'..='\u{FFFD}').contains(&c)
                || c >= '\u{10000}'
        })
        .collect();
    quick_xml::escape::escape(allowed.as_str()).into_owned()
}

/// An `http(s)` URL, else `None`.
fn http(url: Option<&String>) -> Option<&str> {
    url.map(String::as_str)
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
}

/// The paper's entry, dated when its digest was built.
fn entry(out: &mut String, digest: &Digest, p: &DigestPaper) {
    let updated = digest.generated_at.strftime("%Y-%m-%dT%H:%M:%SZ");
    out.push_str("  <entry>\n");
    out.push_str(&format!("    <title>{}</title>\n", xml(&p.title)));
    out.push_str(&format!(
        "    <id>urn:papertrend:paper:{}</id>\n",
        xml(&p.id)
    ));
    out.push_str(&format!("    <updated>{updated}</updated>\n"));
    if let Some(u) = http(p.url.as_ref()).or(http(p.abs_url.as_ref())) {
        out.push_str(&format!(
            "    <link rel=\"alternate\" href=\"{}\"/>\n",
            xml(u)
        ));
    }
    if let Some(u) = http(p.pdf_url.as_ref()) {
        out.push_str(&format!(
            "    <link rel=\"related\" type=\"application/pdf\" title=\"PDF\" href=\"{}\"/>\n",
            xml(u)
        ));
    }
    if let Some(u) = http(p.code_url.as_ref()) {
        out.push_str(&format!(
            "    <link rel=\"related\" title=\"code\" href=\"{}\"/>\n",
            xml(u)
        ));
    }
    for a in &p.authors {
        out.push_str(&format!("    <author><name>{}</name></author>\n", xml(a)));
    }
    out.push_str(&format!(
        "    <category term=\"{}\" label=\"digest of {}\"/>\n",
        xml(&digest.date),
        xml(&digest.date)
    ));
    let teaser: String = p.teaser.iter().map(|s| s.text.as_str()).collect();
    let summary = if p.why.is_empty() {
        teaser
    } else {
        format!("Why: {}. {teaser}", p.why)
    };
    out.push_str(&format!("    <summary>{}</summary>\n", xml(&summary)));
    out.push_str("  </entry>\n");
}

/// An Atom feed of `digests` (newest first), titled `title`, with the feed
/// id `urn:papertrend:feed:<list_id>`; `updated` is the newest digest's
/// build time (or `now` when there is none).
pub fn atom(digests: &[Digest], title: &str, list_id: &str, now: Timestamp) -> String {
    let updated = digests
        .iter()
        .map(|d| d.generated_at)
        .max()
        .unwrap_or(now)
        .strftime("%Y-%m-%dT%H:%M:%SZ");
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str(&format!("  <title>{}</title>\n", xml(title)));
    out.push_str(&format!(
        "  <id>urn:papertrend:feed:{}</id>\n",
        xml(list_id)
    ));
    out.push_str(&format!("  <updated>{updated}</updated>\n"));
    out.push_str("  <author><name>papertrend</name></author>\n");
    out.push_str(&format!(
        "  <generator version=\"{}\">papertrend</generator>\n",
        env!("CARGO_PKG_VERSION")
    ));
    let mut seen = std::collections::HashSet::new();
    for d in digests {
        for p in d.papers.iter().chain(&d.also_popular) {
            // A paper is in one digest only, but `--force` may list it again.
            if seen.insert(p.id.as_str()) {
                entry(&mut out, d, p);
            }
        }
    }
    out.push_str("</feed>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_strings_are_escaped_and_stripped_of_forbidden_characters() {
        assert_eq!(xml("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
        assert_eq!(xml("bell\u{7}here\u{0}"), "bellhere");
        assert_eq!(xml("</title><script>"), "&lt;/title&gt;&lt;script&gt;");
    }
}

//! What `config init` writes: the documented example without the demo's
//! data dir, source and interests, and with the reader's own answers when
//! `config init` asked for them on a terminal.
//!
//! Every edit is a replacement of one known line or block of
//! `config.example.toml`; a test parses each result through the real loader,
//! so an example that drifts from these constants fails there.

use super::EXAMPLE;

/// The demo's own data dir line in [`EXAMPLE`]: commented out.
const DEMO_DATA_DIR: &str = "data_dir = \"demo-data\"\n";
/// The demo's source in [`EXAMPLE`]: commented out.
const DEMO_SOURCE: &str = "[[sources]]\nname = \"seed\"\nkind = \"file\"\n\
    path = \"fixtures/hf-text/seed.txt\"\n\
    format = \"auto\"    # auto, hf-text, hf-json, arxiv-atom, arxiv-rss, arxiv-oai, jsonl\n\
    enabled = true     # a disabled source is fetched only when named (`fetch seed`)\n";
/// The demo's interests and its negative keyword: a new reader's are empty.
const DEMO_KEYWORDS_PREFIX: &str = "keywords = { \"in-context learning\" = 3.0";
const DEMO_NEGATIVE: &str = "negative = { \"survey\" = 1.0 }\n";
/// The example's recipient.
const DEMO_TO: &str = "to = [\"you@example.org\"]\n";

/// What the reader answered (all empty when not asked).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Answers {
    /// Keywords and phrases to follow, weight 1 each.
    pub keywords: Vec<String>,
    /// Where to mail the digest.
    pub mail_to: Option<String>,
    /// Whether to fetch Hugging Face's daily papers.
    pub hf_daily: bool,
    /// arXiv categories to follow through their RSS feeds (`cs.CL`).
    pub arxiv_categories: Vec<String>,
}

/// A TOML string literal (quoted and escaped).
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// What `config init` writes without asking: [`EXAMPLE`] without the demo's
/// data dir, source and interests (each kind of source is there as a
/// commented example).
pub fn init_text() -> String {
    init_text_with(&Answers::default())
}

/// [`init_text`] with the reader's answers filled in: their keywords, the
/// recipient, and the chosen sources as live `[[sources]]` tables.
pub fn init_text_with(a: &Answers) -> String {
    let comment = |block: &str| -> String { block.lines().map(|l| format!("# {l}\n")).collect() };
    let mut sources = comment(DEMO_SOURCE);
    if a.hf_daily {
        sources.push_str("\n[[sources]]\nname = \"hf\"\nkind = \"hf-daily\"\n");
    }
    for c in &a.arxiv_categories {
        let name = c.to_ascii_lowercase().replace('.', "-");
        sources.push_str(&format!(
            "\n[[sources]]\nname = {}\nkind = \"arxiv-rss\"\ncategory = {}\n",
            quoted(&name),
            quoted(c)
        ));
    }
    let keywords = if a.keywords.is_empty() {
        "keywords = []       # e.g. [\"retrieval\", \"agents\"], or { \"in-context learning\" = 3.0 }\n"
            .to_string()
    } else {
        let list: Vec<String> = a.keywords.iter().map(|k| quoted(k)).collect();
        format!("keywords = [{}]\n", list.join(", "))
    };
    let mut text = EXAMPLE
        .replacen(DEMO_DATA_DIR, "# data_dir = \"/var/lib/papertrend\"\n", 1)
        .replacen(DEMO_SOURCE, &sources, 1)
        .replacen(
            DEMO_NEGATIVE,
            "negative = []       # e.g. [\"survey\"]\n",
            1,
        );
    if let Some(start) = text.find(DEMO_KEYWORDS_PREFIX) {
        let end = text[start..]
            .find('\n')
            .map_or(text.len(), |i| start + i + 1);
        text.replace_range(start..end, &keywords);
    }
    if let Some(to) = &a.mail_to {
        text = text.replacen(DEMO_TO, &format!("to = [{}]\n", quoted(to)), 1);
    }
    text
}

/// Whether `s` looks like an arXiv category (`cs.CL`, `math.AG`, `hep-th`).
pub fn is_arxiv_category(s: &str) -> bool {
    !s.is_empty()
        && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;
    use std::path::Path;

    #[test]
    fn init_text_has_no_demo_data_dir_source_or_interests() {
        // See: #18, #26
        let demo = parse(EXAMPLE, "config.example.toml").unwrap();
        assert_eq!(demo.data_dir.as_deref(), Some(Path::new("demo-data")));
        assert_eq!(demo.sources.len(), 1);
        assert!(!demo.interests.keywords.is_empty());
        assert!(!demo.interests.negative.is_empty());
        let init = parse(&init_text(), "config.toml").unwrap();
        assert_eq!(init.data_dir, None);
        assert!(init.sources.is_empty());
        assert!(init.interests.keywords.is_empty());
        assert!(init.interests.negative.is_empty());
        assert_eq!(init.mail.to, demo.mail.to);
    }

    #[test]
    fn answers_become_keywords_recipient_and_sources() {
        let a = Answers {
            keywords: vec!["retrieval".into(), "world \"models\"".into()],
            mail_to: Some("me@example.org".into()),
            hf_daily: true,
            arxiv_categories: vec!["cs.CL".into()],
        };
        let c = parse(&init_text_with(&a), "config.toml").unwrap();
        let keys: Vec<&str> = c.interests.keywords.keys().map(String::as_str).collect();
        assert_eq!(keys, ["retrieval", "world \"models\""]);
        assert_eq!(c.mail.to, ["me@example.org"]);
        assert!(!c.mail.enabled, "mail needs a host first");
        let kinds: Vec<String> = c
            .sources
            .iter()
            .map(|s| format!("{}:{}", s.name(), s.kind().name()))
            .collect();
        assert_eq!(kinds, ["hf:hf-daily", "cs-cl:arxiv-rss"]);
    }

    #[test]
    fn arxiv_categories_are_recognised() {
        assert!(is_arxiv_category("cs.CL"));
        assert!(is_arxiv_category("hep-th"));
        assert!(!is_arxiv_category("cs CL"));
        assert!(!is_arxiv_category(""));
        assert!(!is_arxiv_category("\"x\""));
    }
}

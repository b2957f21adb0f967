//! `[[sources]]`: one struct per kind, each with its own keys.
//!
//! A table's `kind` picks the struct; every struct denies the keys of the
//! others, so `query` on a `file` source is an error, not a silent no-op.
//! [`read`] reads the array one table at a time with toml's own
//! deserializer: serde's tagged enums buffer a table before they know its
//! variant and lose toml's positions, so an error would no longer name its
//! line. The `Deserialize` derive on [`SourceConfig`] has the same shape, for
//! any other deserializer.
//!
//! Past 600 lines through its tests (each kind's keys and each error's line).

use std::collections::HashSet;
use std::ops::Range;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use toml::Spanned;
use toml::de::{DeValue, ValueDeserializer};

use super::{Problem, closest, range_of};
use crate::clock::Span;
use crate::ingest::Format;

/// Default days an `hf-daily` source catches up.
pub const CATCH_UP_DAYS: u32 = 7;
/// Default `arxiv-api` results per page.
pub const PAGE_SIZE: u32 = 100;
/// Default most `arxiv-api` pages per run.
pub const MAX_PAGES: u32 = 5;
/// arXiv asks for at least 3 s between API calls (arxiv.org/help/api/tou):
/// the default `delay`, and the least one allowed for arXiv itself.
pub const ARXIV_DELAY: Span = Span(jiff::SignedDuration::from_secs(3));

/// One `[[sources]]` entry; `kind` decides which keys it takes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SourceConfig {
    /// `kind = "file"`.
    File(FileSource),
    /// `kind = "url"`.
    Url(UrlSource),
    /// `kind = "hf-daily"`.
    HfDaily(HfDailySource),
    /// `kind = "arxiv-api"`.
    ArxivApi(ArxivApiSource),
    /// `kind = "arxiv-rss"`.
    ArxivRss(ArxivRssSource),
}

/// A local file, or a folder of listing files.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSource {
    /// Name used in messages and `fetch NAME`.
    pub name: String,
    /// The file or folder (relative to the config file's folder). A folder
    /// stands for its listing files (`.json`, `.jsonl`, `.txt`, `.xml`,
    /// `.atom`, `.rss`, each also `.gz`), read in name order.
    pub path: PathBuf,
    /// Whether a folder's subfolders are read too. Default false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub recursive: bool,
    /// Its format. Default `auto`.
    #[serde(default = "auto")]
    pub format: Format,
    /// Whether `fetch` and `run` use it (else only `fetch NAME`). Default true.
    #[serde(default = "yes")]
    pub enabled: bool,
}

/// Any URL serving a supported format.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UrlSource {
    /// Name used in messages and `fetch NAME`.
    pub name: String,
    /// The address; `${NAME}` in it is the environment variable NAME.
    pub url: String,
    /// Its format. Default `auto`.
    #[serde(default = "auto")]
    pub format: Format,
    /// Whether `fetch` and `run` use it (else only `fetch NAME`). Default true.
    #[serde(default = "yes")]
    pub enabled: bool,
}

/// The Hugging Face `daily_papers` API, one request per day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HfDailySource {
    /// Name used in messages and `fetch NAME`.
    pub name: String,
    /// How many days back a run catches up after missed runs (and on the
    /// first run). Default [`CATCH_UP_DAYS`].
    #[serde(default = "catch_up_days")]
    pub catch_up_days: u32,
    /// Another server than huggingface.co (a mirror or a test server).
    #[serde(default)]
    pub base_url: Option<String>,
    /// Whether `fetch` and `run` use it (else only `fetch NAME`). Default true.
    #[serde(default = "yes")]
    pub enabled: bool,
}

/// An arXiv API search query, paged newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArxivApiSource {
    /// Name used in messages and `fetch NAME`.
    pub name: String,
    /// The search query (`cat:cs.CL AND abs:retrieval`).
    pub query: String,
    /// Results per page. Default [`PAGE_SIZE`] (arXiv allows 2000).
    #[serde(default = "page_size")]
    pub page_size: u32,
    /// The most pages one run fetches. Default [`MAX_PAGES`].
    #[serde(default = "max_pages")]
    pub max_pages: u32,
    /// The pause between two API calls. Default [`ARXIV_DELAY`], the least
    /// arXiv asks for; shorter is refused unless `base_url` names another
    /// server.
    #[serde(default = "arxiv_delay")]
    pub delay: Span,
    /// Another server than export.arxiv.org (a mirror or a test server).
    #[serde(default)]
    pub base_url: Option<String>,
    /// Whether `fetch` and `run` use it (else only `fetch NAME`). Default true.
    #[serde(default = "yes")]
    pub enabled: bool,
}

/// An arXiv RSS category feed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArxivRssSource {
    /// Name used in messages and `fetch NAME`.
    pub name: String,
    /// The category (`cs.CL`).
    pub category: String,
    /// Another server than rss.arxiv.org (a mirror or a test server).
    #[serde(default)]
    pub base_url: Option<String>,
    /// Whether `fetch` and `run` use it (else only `fetch NAME`). Default true.
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn auto() -> Format {
    Format::Auto
}

fn yes() -> bool {
    true
}

fn catch_up_days() -> u32 {
    CATCH_UP_DAYS
}

fn page_size() -> u32 {
    PAGE_SIZE
}

fn max_pages() -> u32 {
    MAX_PAGES
}

fn arxiv_delay() -> Span {
    ARXIV_DELAY
}

/// The kinds, by their `kind` name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// `file`.
    File,
    /// `url`.
    Url,
    /// `hf-daily`.
    HfDaily,
    /// `arxiv-api`.
    ArxivApi,
    /// `arxiv-rss`.
    ArxivRss,
}

impl SourceKind {
    /// Every kind, in the order the docs list them.
    pub const ALL: [SourceKind; 5] = [
        SourceKind::File,
        SourceKind::Url,
        SourceKind::HfDaily,
        SourceKind::ArxivApi,
        SourceKind::ArxivRss,
    ];

    /// The `kind = "…"` name.
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::File => "file",
            SourceKind::Url => "url",
            SourceKind::HfDaily => "hf-daily",
            SourceKind::ArxivApi => "arxiv-api",
            SourceKind::ArxivRss => "arxiv-rss",
        }
    }

    /// The keys a table of this kind takes besides `kind` (its struct's
    /// fields; a unit test holds them to serde's list).
    fn keys(self) -> &'static [&'static str] {
        match self {
            SourceKind::File => &["name", "path", "recursive", "format", "enabled"],
            SourceKind::Url => &["name", "url", "format", "enabled"],
            SourceKind::HfDaily => &["name", "catch_up_days", "base_url", "enabled"],
            SourceKind::ArxivApi => &[
                "name",
                "query",
                "page_size",
                "max_pages",
                "delay",
                "base_url",
                "enabled",
            ],
            SourceKind::ArxivRss => &["name", "category", "base_url", "enabled"],
        }
    }

    /// Reads a table (without its `kind`) as this kind's struct.
    fn read(self, table: ValueDeserializer<'_>) -> Result<SourceConfig, toml::de::Error> {
        Ok(match self {
            SourceKind::File => SourceConfig::File(FileSource::deserialize(table)?),
            SourceKind::Url => SourceConfig::Url(UrlSource::deserialize(table)?),
            SourceKind::HfDaily => SourceConfig::HfDaily(HfDailySource::deserialize(table)?),
            SourceKind::ArxivApi => SourceConfig::ArxivApi(ArxivApiSource::deserialize(table)?),
            SourceKind::ArxivRss => SourceConfig::ArxivRss(ArxivRssSource::deserialize(table)?),
        })
    }
}

/// Why a `file` source's path cannot be used, if it cannot: "does not
/// exist", or the reason the file cannot be opened or the folder listed.
pub(crate) fn path_problem(path: &std::path::Path) -> Option<String> {
    let why = |what: &str, e: std::io::Error| format!("{what}: {}", crate::error::io_reason(&e));
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some("does not exist".into()),
        Err(e) => Some(why("cannot be read", e)),
        Ok(m) if m.is_dir() => std::fs::read_dir(path)
            .err()
            .map(|e| why("cannot be listed", e)),
        Ok(_) => std::fs::File::open(path)
            .err()
            .map(|e| why("cannot be read", e)),
    }
}

impl SourceConfig {
    /// Name used in messages and `fetch NAME`.
    pub fn name(&self) -> &str {
        match self {
            SourceConfig::File(s) => &s.name,
            SourceConfig::Url(s) => &s.name,
            SourceConfig::HfDaily(s) => &s.name,
            SourceConfig::ArxivApi(s) => &s.name,
            SourceConfig::ArxivRss(s) => &s.name,
        }
    }

    /// Whether `fetch` and `run` use it.
    pub fn enabled(&self) -> bool {
        match self {
            SourceConfig::File(s) => s.enabled,
            SourceConfig::Url(s) => s.enabled,
            SourceConfig::HfDaily(s) => s.enabled,
            SourceConfig::ArxivApi(s) => s.enabled,
            SourceConfig::ArxivRss(s) => s.enabled,
        }
    }

    /// Its kind.
    pub fn kind(&self) -> SourceKind {
        match self {
            SourceConfig::File(_) => SourceKind::File,
            SourceConfig::Url(_) => SourceKind::Url,
            SourceConfig::HfDaily(_) => SourceKind::HfDaily,
            SourceConfig::ArxivApi(_) => SourceKind::ArxivApi,
            SourceConfig::ArxivRss(_) => SourceKind::ArxivRss,
        }
    }

    /// The rules serde cannot check: counts in range, arXiv's delay.
    /// `Err((key, reason))`.
    fn validate(&self) -> Result<(), (&'static str, String)> {
        let within = |key: &'static str, value: u32| {
            let (least, most) = range_of(&format!("sources.{key}"));
            if (least..=most).contains(&u64::from(value)) {
                Ok(())
            } else {
                Err((
                    key,
                    format!("`{key}` is {value}; it must be between {least} and {most}"),
                ))
            }
        };
        match self {
            SourceConfig::HfDaily(s) => within("catch_up_days", s.catch_up_days),
            SourceConfig::ArxivApi(s) => {
                within("page_size", s.page_size)?;
                within("max_pages", s.max_pages)?;
                if s.delay.0.is_negative() {
                    return Err(("delay", "`delay` must not be negative".into()));
                }
                // Only a mirror or a test server may be asked faster.
                if s.base_url.is_none() && s.delay < ARXIV_DELAY {
                    return Err((
                        "delay",
                        "`delay` must be at least 3s for export.arxiv.org \
                         (arXiv asks for >= 3 s between API calls)"
                            .into(),
                    ));
                }
                Ok(())
            }
            SourceConfig::File(_) | SourceConfig::Url(_) | SourceConfig::ArxivRss(_) => Ok(()),
        }
    }
}

/// Reads the value of `sources` (an array of tables), table by table.
///
/// # Errors
/// The first problem, at the line of the key (or table) at fault.
pub(super) fn read(value: Spanned<DeValue<'_>>) -> Result<Vec<SourceConfig>, Problem> {
    let span = value.span();
    let DeValue::Array(tables) = value.into_inner() else {
        return Err(Problem::at(
            span,
            "`sources` must be a list of tables (`[[sources]]`)".into(),
        ));
    };
    let mut names = HashSet::new();
    let mut out = Vec::new();
    for table in tables {
        let (source, name_at) = read_one(table)?;
        if let Some(name) = names.replace(source.name().to_string()) {
            return Err(Problem::at(
                name_at,
                format!("two `[[sources]]` are named {name:?}"),
            ));
        }
        out.push(source);
    }
    Ok(out)
}

/// Reads one `[[sources]]` table; also returns where its name is.
fn read_one(mut value: Spanned<DeValue<'_>>) -> Result<(SourceConfig, Range<usize>), Problem> {
    let span = value.span();
    let DeValue::Table(table) = value.get_mut() else {
        return Err(Problem::at(
            span,
            "each entry of `sources` must be a table (`[[sources]]`)".into(),
        ));
    };
    let kinds = || list(SourceKind::ALL.iter().map(|k| k.name()));
    let Some(kind) = table.remove("kind") else {
        return Err(Problem::at(
            span,
            format!("a `[[sources]]` table needs `kind`, one of {}", kinds()),
        ));
    };
    let Some(given) = kind.get_ref().as_str() else {
        return Err(Problem::at(
            kind.span(),
            format!("`kind` must be a string, one of {}", kinds()),
        ));
    };
    let Some(kind) = SourceKind::ALL.into_iter().find(|k| k.name() == given) else {
        return Err(Problem {
            hint: closest(given, SourceKind::ALL.iter().map(|k| k.name())),
            ..Problem::at(
                kind.span(),
                format!("unknown source kind `{given}`, expected one of {}", kinds()),
            )
        });
    };
    // Who and where, for the messages after serde is done with the table.
    let name = table
        .get("name")
        .and_then(|v| v.get_ref().as_str())
        .map(|n| format!("source {n:?}"))
        .unwrap_or_else(|| "a `[[sources]]` table".into());
    let spans: Vec<(String, Range<usize>)> = table
        .iter()
        .map(|(k, v)| (k.get_ref().to_string(), v.span()))
        .collect();
    let key_at = |key: &str| spans.iter().find(|(k, _)| k == key).map(|(_, s)| s.clone());

    let source = kind
        .read(ValueDeserializer::from(value))
        .map_err(|e| explain(e, kind, &name, &spans))?;
    source.validate().map_err(|(key, reason)| {
        Problem::at(
            key_at(key).unwrap_or(span.clone()),
            format!("{name}: {reason}"),
        )
    })?;
    Ok((source, key_at("name").unwrap_or(span)))
}

/// Words serde's error about a source table for the reader: whose, which
/// key, and what the kind takes instead.
fn explain(
    e: toml::de::Error,
    kind: SourceKind,
    name: &str,
    spans: &[(String, Range<usize>)],
) -> Problem {
    let mut p = Problem::from(e);
    let msg = std::mem::take(&mut p.reason);
    let takes = || {
        format!(
            "`{}` sources take {} (and `kind`)",
            kind.name(),
            list(kind.keys().iter().copied())
        )
    };
    if let Some(key) = quoted_after(&msg, "unknown field `") {
        let owners: Vec<&str> = SourceKind::ALL
            .iter()
            .filter(|k| k.keys().contains(&key))
            .map(|k| k.name())
            .collect();
        if owners.is_empty() {
            p.reason = format!("{name}: unknown field `{key}`");
            // "did you mean", else what this kind takes.
            p.hint = Some(p.hint.take().unwrap_or_else(takes));
        } else {
            p.reason = format!(
                "{name}: `{key}` does not apply to `{}` sources (only to {})",
                kind.name(),
                list(owners.into_iter())
            );
            p.hint = Some(takes());
        }
    } else if let Some(key) = quoted_after(&msg, "missing field `") {
        p.reason = format!("{name} (kind {}) needs `{key}`", kind.name());
        p.hint = Some(takes());
    } else {
        // A bad value: serde names the type, the span names the key.
        let key = p.span.as_ref().and_then(|at| {
            spans
                .iter()
                .find(|(_, s)| s.contains(&at.start))
                .map(|(k, _)| k.as_str())
        });
        p.reason = match key {
            Some(key) => format!("{name}: `{key}`: {msg}"),
            None => format!("{name}: {msg}"),
        };
    }
    p
}

/// `x` in "…`x`…" just after `prefix`.
fn quoted_after<'m>(msg: &'m str, prefix: &str) -> Option<&'m str> {
    msg.strip_prefix(prefix)?.split('`').next()
}

/// "`a`, `b`, `c`".
fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::super::{Config, parse};
    use super::*;

    const ALL_KINDS: &str = "\
[[sources]]
name = \"seed\"
kind = \"file\"
path = \"seed.txt\"

[[sources]]
name = \"hf\"
kind = \"hf-daily\"
base_url = \"http://127.0.0.1:9\"

[[sources]]
name = \"ir\"
kind = \"arxiv-api\"
query = \"cat:cs.IR\"
max_pages = 2

[[sources]]
kind = \"arxiv-rss\"
name = \"cl\"
category = \"cs.CL\"
enabled = false

[[sources]]
name = \"mirror\"
kind = \"url\"
url = \"https://example.org/p.json\"
format = \"hf-json\"
";

    fn error(text: &str) -> (String, Option<String>) {
        let err = parse(text, "c.toml").unwrap_err();
        (err.to_string(), err.hint())
    }

    #[test]
    fn r20_every_kind_reads_into_its_own_struct_with_defaults() {
        // See: #20
        let c = parse(ALL_KINDS, "c.toml").unwrap();
        let kinds: Vec<_> = c.sources.iter().map(|s| s.kind().name()).collect();
        assert_eq!(kinds, ["file", "hf-daily", "arxiv-api", "arxiv-rss", "url"]);
        let SourceConfig::ArxivApi(api) = &c.sources[2] else {
            panic!("{:?}", c.sources[2]);
        };
        assert_eq!(
            (api.page_size, api.max_pages, api.delay),
            (PAGE_SIZE, 2, ARXIV_DELAY)
        );
        let SourceConfig::HfDaily(hf) = &c.sources[1] else {
            panic!("{:?}", c.sources[1]);
        };
        assert_eq!(hf.catch_up_days, CATCH_UP_DAYS);
        assert_eq!(hf.base_url.as_deref(), Some("http://127.0.0.1:9"));
        assert!(!c.sources[3].enabled() && c.sources[4].enabled());
        let SourceConfig::File(file) = &c.sources[0] else {
            panic!("{:?}", c.sources[0]);
        };
        assert_eq!(file.format, Format::Auto);
    }

    #[test]
    fn r20_the_derive_and_the_dump_agree_with_the_reader() {
        // See: #20
        let c = parse(ALL_KINDS, "c.toml").unwrap();
        let derived: Config = toml::from_str(ALL_KINDS).unwrap();
        assert_eq!(derived.sources, c.sources);
        // What `config check` prints reads back as the same sources.
        let dumped = toml::to_string(&c).unwrap();
        assert!(dumped.contains("kind = \"arxiv-api\""), "{dumped}");
        assert_eq!(parse(&dumped, "dump.toml").unwrap().sources, c.sources);
    }

    #[test]
    fn r20_keys_of_each_kind_are_serdes() {
        // See: #20
        for kind in SourceKind::ALL {
            let table = toml::de::DeTable::parse("bogus = 1").unwrap();
            let table = Spanned::new(table.span(), DeValue::Table(table.into_inner()));
            let err = kind.read(ValueDeserializer::from(table)).unwrap_err();
            let (_, expected) = err.message().split_once("expected").unwrap();
            let expected: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
            assert_eq!(expected, kind.keys(), "{}", kind.name());
        }
    }

    #[test]
    fn r20_a_key_of_another_kind_is_refused_on_its_line() {
        // See: #20
        let (msg, hint) =
            error("[[sources]]\nname = \"a\"\nkind = \"file\"\npath = \"x\"\nquery = \"q\"\n");
        assert_eq!(
            msg,
            "c.toml:5: source \"a\": `query` does not apply to `file` sources (only to `arxiv-api`)"
        );
        assert_eq!(
            hint.as_deref(),
            Some(
                "`file` sources take `name`, `path`, `recursive`, `format`, `enabled` (and `kind`)"
            )
        );
        let (msg, _) = error("[[sources]]\nname = \"h\"\nkind = \"hf-daily\"\nformat = \"auto\"\n");
        assert_eq!(
            msg,
            "c.toml:4: source \"h\": `format` does not apply to `hf-daily` sources (only to `file`, `url`)"
        );
    }

    #[test]
    fn r20_missing_keys_unknown_keys_and_kinds_name_the_line() {
        // See: #20
        let (msg, hint) =
            error("[search]\nlimit = 3\n\n[[sources]]\nname = \"a\"\nkind = \"file\"\n");
        assert_eq!(msg, "c.toml:4: source \"a\" (kind file) needs `path`");
        assert!(hint.unwrap().contains("`path`"));
        let (msg, hint) = error("[[sources]]\nname = \"a\"\nkind = \"file\"\npth = \"x\"\n");
        assert_eq!(msg, "c.toml:4: source \"a\": unknown field `pth`");
        assert_eq!(hint.as_deref(), Some("did you mean `path`?"));
        let (msg, hint) = error("[[sources]]\nname = \"a\"\nkind = \"hf-dayly\"\n");
        assert_eq!(
            msg,
            "c.toml:3: unknown source kind `hf-dayly`, expected one of `file`, `url`, \
             `hf-daily`, `arxiv-api`, `arxiv-rss`"
        );
        assert_eq!(hint.as_deref(), Some("did you mean `hf-daily`?"));
        let (msg, _) = error("[[sources]]\nname = \"a\"\npath = \"x\"\n");
        assert!(
            msg.starts_with("c.toml:1: a `[[sources]]` table needs `kind`"),
            "{msg}"
        );
        let (msg, _) = error("[[sources]]\nkind = \"url\"\nname = \"a\"\nurl = 3\n");
        assert_eq!(
            msg,
            "c.toml:4: source \"a\": `url`: invalid type: integer `3`, expected a string"
        );
    }

    #[test]
    fn r20_range_and_name_rules_point_at_their_key() {
        // See: #20
        let (msg, _) = error(
            "[[sources]]\nname = \"a\"\nkind = \"arxiv-api\"\nquery = \"q\"\npage_size = 0\n",
        );
        assert_eq!(
            msg,
            "c.toml:5: source \"a\": `page_size` is 0; it must be between 1 and 2000"
        );
        let (msg, _) = error(
            "[[sources]]\nname = \"a\"\nkind = \"arxiv-api\"\nquery = \"q\"\ndelay = \"1s\"\n",
        );
        assert!(
            msg.starts_with("c.toml:5: source \"a\": `delay` must be at least 3s"),
            "{msg}"
        );
        // Another server may be asked faster.
        parse(
            "[[sources]]\nname = \"a\"\nkind = \"arxiv-api\"\nquery = \"q\"\ndelay = \"1s\"\n\
             base_url = \"http://127.0.0.1:9\"\n",
            "c.toml",
        )
        .unwrap();
        let (msg, _) = error(
            "[[sources]]\nname = \"a\"\nkind = \"file\"\npath = \"x\"\n\n\
             [[sources]]\nname = \"a\"\nkind = \"url\"\nurl = \"http://x\"\n",
        );
        assert_eq!(msg, "c.toml:7: two `[[sources]]` are named \"a\"");
    }
}

//! The command line, as clap derive types. Nothing here reads files.
//!
//! House rules (as in xh): explicit `short = 'x'`, bare `long`, an UPPERCASE
//! `value_name`, a `ValueEnum` for every closed set, `global = true` for the
//! options every command shares. A field's first doc line is the short help;
//! the rest is the long help.
//!
//! Why one long file: every subcommand's arguments and help, one struct each,
//! as clap's derive wants them.

use std::path::PathBuf;

use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::clock::{Day, Span, TimeBound};
use crate::config::DigestFormat;
use crate::index::SortBy;
use crate::ingest::Format;

/// Domain enums taken as option values. They know nothing of clap: each
/// offers `ALL`, `name()` and `about()`, and clap sees them through here
/// (possible values, their help, completions).
macro_rules! value_enum {
    ($($t:ty),*) => {$(
        impl ValueEnum for $t {
            fn value_variants<'a>() -> &'a [Self] {
                &<$t>::ALL
            }

            fn to_possible_value(&self) -> Option<PossibleValue> {
                Some(PossibleValue::new(self.name()).help(self.about()))
            }
        }
    )*};
}

value_enum!(Format, SortBy, DigestFormat);

/// Text shown after `--help`: exit codes and config lookup.
pub const AFTER_HELP: &str = "\
Exit codes:
  0  success (including \"nothing new\")
  1  runtime failure (I/O, index, network, mail)
  2  usage or configuration error, or input not in the declared format
  3  partial success: work done, but some sources or records failed
  4  another papertrend process holds the lock on this data directory

Configuration: --config FILE, else $PAPERTREND_CONFIG, else
$XDG_CONFIG_HOME/papertrend/config.toml. Data: --data-dir, else the config's
data_dir, else $XDG_DATA_HOME/papertrend.";

/// Keep up with new research papers: ingest listings, rank what is trending
/// for you, search, and mail a daily digest.
#[derive(Debug, Parser)]
#[command(name = "papertrend", version, after_help = AFTER_HELP, max_term_width = 100)]
pub struct Cli {
    /// Configuration file.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Folder holding the index and state.
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// More output on stderr (progress, each request).
    #[arg(short = 'v', long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Less output: only errors.
    #[arg(short = 'q', long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Lay terminal output out for COLS columns.
    ///
    /// Default: $COLUMNS, else the terminal's width, else 80.
    #[arg(long, global = true, value_name = "COLS")]
    pub width: Option<usize>,
    /// When to use colour.
    ///
    /// auto: on a terminal unless NO_COLOR, CLICOLOR=0 or TERM=dumb is set
    /// (CLICOLOR_FORCE forces it); always; never.
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto")]
    pub color: ColorChoice,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// When to colour output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb is set;
    /// CLICOLOR_FORCE forces it.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Ingest listing files (or - for standard input) into the index.
    Ingest(IngestArgs),
    /// Fetch the configured sources over HTTP and ingest what they return.
    Fetch(FetchArgs),
    /// Search the index.
    Search(SearchArgs),
    /// What is trending for you: papers ranked for your interests.
    Top(TopArgs),
    /// Rising terms and phrases: recent window against a baseline.
    Trends(TrendsArgs),
    /// Your interests and what stands for each: aliases and neighbours.
    Interests(InterestsArgs),
    /// Papers like one paper.
    Similar(SimilarArgs),
    /// Why a paper ranks where it does, or why it is not in the digest.
    Explain(ExplainArgs),
    /// Show one paper.
    Show(ShowArgs),
    /// Open a paper in the browser: its page, PDF or code.
    ///
    /// Prints the URL instead when stdout is not a terminal or there is no
    /// browser to open (no graphical session and no $BROWSER).
    Open(OpenArgs),
    /// Counts: papers, sources, dates.
    Stats(StatsArgs),
    /// Write every paper as JSON Lines (papertrend's own record).
    Export(ExportArgs),
    /// Render today's digest (preview), or send it with --send.
    Digest(DigestArgs),
    /// The daily job: fetch sources, ingest, build the digest, mail it (once a day).
    Run(RunArgs),
    /// Check the mail settings.
    Mail(MailArgs),
    /// Work with the configuration file.
    Config(ConfigArgs),
    /// Print shell completions.
    Completions(CompletionsArgs),
    /// Print the man page (roff) to standard output.
    ///
    /// Install it with `papertrend man > ~/.local/share/man/man1/papertrend.1`;
    /// `--dir DIR` writes papertrend.1 and one page per subcommand instead.
    Man(ManArgs),
    /// Mark papers: like, dislike, save, read (kept apart from the index).
    Mark(MarkArgs),
    /// Remove marks from papers (all of them, or those named).
    Unmark(UnmarkArgs),
    /// Hide papers with a term, by an author or in a category.
    Mute(MuteArgs),
    /// Remove a mute.
    Unmute(UnmuteArgs),
    /// List marks and mutes (with --profile: what the likes taught).
    Marks(MarksArgs),
    /// Walk through today's digest on a terminal, one key per paper.
    Review(ReviewArgs),
    /// Check the index folder for damage; with --repair, rebuild it from its segment files.
    Doctor(DoctorArgs),
}

/// Output formats of listing commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// For reading: rank, title, date and id, wrapped to the width
    /// (default on a terminal).
    Table,
    /// One JSON array.
    Json,
    /// One JSON record per line.
    Jsonl,
    /// A Markdown list.
    Md,
    /// Comma-separated values with a header row.
    Csv,
}

/// `--format` and its `--json` short form.
#[derive(Debug, Args, Clone, Copy)]
pub struct FormatArgs {
    /// Output format.
    ///
    /// table: for reading (default on a terminal); json: one array;
    /// jsonl: one record per line (default when piped); md: Markdown; csv.
    #[arg(short = 'f', long, value_name = "FORMAT")]
    pub format: Option<OutputFormat>,
    /// Short for --format json.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// In a table, also show the score and the full id, and wrap long titles.
    #[arg(long)]
    pub wide: bool,
}

impl FormatArgs {
    /// The chosen format, if any was given.
    pub fn chosen(&self) -> Option<OutputFormat> {
        if self.json {
            Some(OutputFormat::Json)
        } else {
            self.format
        }
    }
}

/// `papertrend ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files to ingest (gzip is read transparently); - reads standard input.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Ingest every file under a directory argument, recursively.
    ///
    /// Hidden files and folders are skipped; the files are read in name order.
    #[arg(short = 'r', long)]
    pub recursive: bool,
    /// Format of the input.
    ///
    /// auto: detect from the content; hf-text: Hugging Face Papers page dump;
    /// hf-json: Hugging Face daily_papers API JSON; arxiv-atom: arXiv API
    /// results; arxiv-rss: arXiv RSS feed; arxiv-oai: arXiv metadata snapshot
    /// (JSON Lines); jsonl: papertrend's own records.
    #[arg(long, value_name = "FORMAT", default_value = "auto")]
    pub format: Format,
}

/// `papertrend fetch`.
#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Sources to fetch, by name (default: every enabled source).
    ///
    /// Naming a disabled source fetches it anyway.
    #[arg(value_name = "SOURCE")]
    pub sources: Vec<String>,
    /// Print the requests that would be sent, and send none.
    #[arg(long)]
    pub dry_run: bool,
}

/// `papertrend search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query: words, "quoted phrases", title:word, -excluded, AND/OR.
    #[arg(value_name = "QUERY", required = true, num_args = 1..)]
    pub query: Vec<String>,
    /// How many results, 1 to 10000 (default from config, 10).
    #[arg(short = 'n', long, value_name = "N", value_parser = limit_parser())]
    pub limit: Option<usize>,
    /// Only papers dated since then: 7d, 12h, 2026-11-01.
    #[arg(long, value_name = "WHEN")]
    pub since: Option<TimeBound>,
    /// Only papers dated before then: 7d, 2026-11-01.
    #[arg(long, value_name = "WHEN")]
    pub until: Option<TimeBound>,
    /// Only papers in this category (cs.LG).
    #[arg(long, value_name = "CAT")]
    pub category: Option<String>,
    /// Only papers by this author.
    #[arg(long, value_name = "NAME")]
    pub author: Option<String>,
    /// Result order.
    ///
    /// relevance: BM25 (title weighted above abstract); date: newest first;
    /// trend: the trending score of `top`.
    #[arg(long, value_name = "ORDER", default_value = "relevance")]
    pub sort: SortBy,
    /// Show why each result scores as it does.
    #[arg(long)]
    pub explain: bool,
    /// Hide papers already mailed in a digest or marked in any way (liked,
    /// disliked, saved or read): you have seen them.
    #[arg(long)]
    pub unseen: bool,
    /// Output format.
    #[command(flatten)]
    pub output: FormatArgs,
}

/// `papertrend top`.
#[derive(Debug, Args)]
pub struct TopArgs {
    /// Only papers the reader could see since then: 7d, 12h, 2026-11-01
    /// (default `rank.window`).
    ///
    /// A window longer than `rank.window` stretches the freshness half-life
    /// by the same factor, so `--since 90d` is the best of those 90 days
    /// rather than the newest few.
    #[arg(long, value_name = "WHEN")]
    pub since: Option<TimeBound>,
    /// The freshness half-life for this listing: 2d, 30d (default
    /// `rank.half_life`, stretched with a long `--since`).
    #[arg(long, value_name = "SPAN", value_parser = parse_span)]
    pub half_life: Option<Span>,
    /// How many papers, 1 to 10000 (default from config, `search.limit`).
    #[arg(short = 'n', long, value_name = "N", value_parser = limit_parser())]
    pub limit: Option<usize>,
    /// Show each part of the score, the matched terms and where they matched.
    #[arg(long)]
    pub explain: bool,
    /// Hide papers already mailed in a digest or marked in any way (liked,
    /// disliked, saved or read): you have seen them.
    #[arg(long)]
    pub unseen: bool,
    /// Result order.
    ///
    /// score: the trending score; velocity: upvotes gained per day, fastest
    /// first (ties by score).
    #[arg(long, value_name = "ORDER", default_value = "score")]
    pub sort: TopSort,
    /// Output format.
    #[command(flatten)]
    pub output: FormatArgs,
}

/// How `top` orders its list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, ValueEnum)]
pub enum TopSort {
    /// The trending score.
    #[default]
    Score,
    /// Upvotes gained per day over the last observations.
    Velocity,
}

/// `papertrend trends`.
#[derive(Debug, Args)]
pub struct TrendsArgs {
    /// The recent window: 7d, 2w (default `trends.window`).
    #[arg(long, value_name = "SPAN", value_parser = parse_span)]
    pub window: Option<Span>,
    /// The baseline window before it: 8w (default `trends.baseline`).
    #[arg(long, value_name = "SPAN", value_parser = parse_span)]
    pub baseline: Option<Span>,
    /// How many topics, 1 to 10000 (default `trends.limit`).
    #[arg(short = 'n', long, value_name = "N", value_parser = limit_parser())]
    pub limit: Option<usize>,
    /// Output format (default table, also when piped: the report).
    ///
    /// table: the report; json: the whole report; jsonl: one topic per
    /// line; md: a Markdown table; csv: one topic per row.
    #[command(flatten)]
    pub output: FormatArgs,
}

/// `papertrend similar`.
#[derive(Debug, Args)]
pub struct SimilarArgs {
    /// The paper: arxiv:2401.01234, 2401.01234, or any id from search.
    #[arg(value_name = "ID")]
    pub id: String,
    /// How many papers, 1 to 10000 (default from config, `search.limit`).
    #[arg(short = 'n', long, value_name = "N", value_parser = limit_parser())]
    pub limit: Option<usize>,
    /// Hide papers already mailed in a digest or marked in any way (liked,
    /// disliked, saved or read): you have seen them.
    #[arg(long)]
    pub unseen: bool,
    /// Output format.
    #[command(flatten)]
    pub output: FormatArgs,
}

/// `papertrend explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The paper: arxiv:2401.01234, 2401.01234, or any id from search.
    #[arg(value_name = "ID")]
    pub id: String,
    /// The digest day: YYYY-MM-DD, today, yesterday, 3d (configured time zone).
    ///
    /// The paper is judged by the very selection that builds that day's
    /// digest, seeing only what the index knew by the end of the day. For a
    /// day already delivered, the digest that went out decides.
    #[arg(long, value_name = "DATE")]
    pub date: Option<Day>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `papertrend show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The paper: arxiv:2401.01234, 2401.01234, or any id from search.
    #[arg(value_name = "ID")]
    pub id: String,
    /// Output format (table shows a readable card).
    #[command(flatten)]
    pub output: FormatArgs,
}

/// `papertrend open`.
#[derive(Debug, Args)]
pub struct OpenArgs {
    /// The paper: arxiv:2401.01234, 2401.01234, or any id from search.
    #[arg(value_name = "ID")]
    pub id: String,
    /// Open the PDF instead of the paper's page.
    #[arg(long, conflicts_with = "code")]
    pub pdf: bool,
    /// Open the code repository instead of the paper's page.
    #[arg(long)]
    pub code: bool,
}

/// `papertrend stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `papertrend interests`.
#[derive(Debug, Args)]
pub struct InterestsArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `papertrend export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Export format (only jsonl: papertrend's own record).
    #[arg(long, value_name = "FORMAT", default_value = "jsonl")]
    pub format: ExportFormat,
    /// Only papers first seen since this cursor's last call, then advance it.
    ///
    /// For scripts: each new paper is printed by exactly one call that exits
    /// 0. The cursor moves only after the output was written and flushed;
    /// when the call fails or is killed, the next one prints those papers
    /// again. Names: letters, digits, `-`, `_`, `.`.
    #[arg(long, value_name = "NAME")]
    pub since_cursor: Option<String>,
}

/// Export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One record per line, re-ingestable with `ingest --format jsonl`.
    Jsonl,
}

/// `papertrend digest`.
#[derive(Debug, Args)]
pub struct DigestArgs {
    /// The reader's day: YYYY-MM-DD, today, yesterday, 3d (configured time zone).
    ///
    /// A day whose digest was already delivered shows that digest again.
    #[arg(long, value_name = "DATE")]
    pub date: Option<Day>,
    /// Output format (default: text on a terminal, md to a pipe or file).
    ///
    /// md: Markdown; html: the mail's HTML part; text: the mail's text part
    /// (72 columns); json: the digest model with schema_version; eml: the
    /// exact MIME message that would be sent.
    #[arg(short = 'f', long, value_name = "FORMAT")]
    pub format: Option<DigestFormat>,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Mail the digest (through the outbox and ledger, like `run`).
    #[arg(long)]
    pub send: bool,
    /// Print the exact message that would be sent, and send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Rebuild (and with --send, send again) a day already delivered.
    #[arg(long)]
    pub force: bool,
    /// Include papers that earlier digests already listed.
    #[arg(long)]
    pub include_seen: bool,
}

/// `papertrend run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Deliver today's digest again even if it was already delivered.
    #[arg(long)]
    pub force: bool,
    /// Include papers that earlier digests already listed.
    #[arg(long)]
    pub include_seen: bool,
    /// Skip fetching and ingesting; only build and deliver the digest.
    #[arg(long)]
    pub no_fetch: bool,
}

/// `papertrend mail`.
#[derive(Debug, Args)]
pub struct MailArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: MailAction,
}

/// `papertrend mail` actions.
#[derive(Debug, Subcommand)]
pub enum MailAction {
    /// Connect, secure the connection and log in; say clearly what failed.
    Test {
        /// Also send a short test message to the recipients.
        #[arg(long)]
        send: bool,
    },
}

/// `papertrend config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: ConfigAction,
}

/// `papertrend config` actions.
#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Write a commented config to the config path (never overwrites).
    ///
    /// On a terminal it asks for your interests, the mail recipient and the
    /// sources; otherwise it writes the template with no interests.
    Init,
    /// Load and validate the config; print the resolved settings (secrets hidden).
    Check,
    /// Print the config file path in use.
    Path,
}

/// `papertrend doctor`.
#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Rebuild a damaged index from the papers in its segment files.
    ///
    /// The damaged folder is moved aside (`index.damaged-<time>` in the data
    /// dir), never deleted; the new index holds every paper that could be
    /// read, with its history.
    #[arg(long)]
    pub repair: bool,
}

/// `papertrend completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// `papertrend man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write papertrend.1 and a papertrend-SUBCOMMAND.1 per subcommand into DIR.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// Which marks `mark` sets or `unmark` clears.
#[derive(Debug, Args, Clone, Copy)]
pub struct MarkFlags {
    /// More like this (clears a dislike).
    #[arg(long, conflicts_with = "dislike")]
    pub like: bool,
    /// Less like this (clears a like).
    #[arg(long)]
    pub dislike: bool,
    /// Save for later.
    #[arg(long)]
    pub save: bool,
    /// Read: `--unseen` hides it.
    #[arg(long)]
    pub read: bool,
}

/// `papertrend mark`.
#[derive(Debug, Args)]
pub struct MarkArgs {
    /// Papers: arxiv:2401.01234, 2401.01234, or any id from search.
    #[arg(value_name = "ID", required = true)]
    pub ids: Vec<String>,
    /// The marks to set.
    #[command(flatten)]
    pub flags: MarkFlags,
}

/// `papertrend unmark`.
#[derive(Debug, Args)]
pub struct UnmarkArgs {
    /// Papers: arxiv:2401.01234, 2401.01234, or any id from search.
    #[arg(value_name = "ID", required = true)]
    pub ids: Vec<String>,
    /// The marks to clear (default: every mark on the papers).
    #[command(flatten)]
    pub flags: MarkFlags,
}

/// `papertrend mute`.
#[derive(Debug, Args)]
pub struct MuteArgs {
    /// A word or phrase (stemmed, as search), author:NAME or category:C.
    #[arg(value_name = "WHAT", required = true, num_args = 1..)]
    pub what: Vec<String>,
    /// Only for this long: 30d, 2w (default: until unmuted).
    #[arg(long = "for", value_name = "SPAN", value_parser = parse_span)]
    pub for_span: Option<Span>,
}

/// `papertrend unmute`.
#[derive(Debug, Args)]
pub struct UnmuteArgs {
    /// The mute as given to `mute`: a word or phrase, author:NAME or category:C.
    #[arg(value_name = "WHAT", required = true, num_args = 1..)]
    pub what: Vec<String>,
}

/// `papertrend marks`.
#[derive(Debug, Args)]
pub struct MarksArgs {
    /// Show the learned profile: the stems the likes and dislikes weigh.
    #[arg(long)]
    pub profile: bool,
    /// Print JSON (the default when stdout is not a terminal).
    #[arg(long)]
    pub json: bool,
}

/// `papertrend review`.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The digest day: YYYY-MM-DD, today, yesterday, 3d (configured time zone).
    #[arg(long, value_name = "DATE")]
    pub date: Option<Day>,
}

/// Parses `7d`-style spans for flags.
pub fn parse_span(s: &str) -> Result<Span, String> {
    s.parse()
}

/// The parser of every `--limit`: 1 to [`crate::config::MAX_LIMIT`] (a
/// larger number would only allocate result buffers that size).
fn limit_parser() -> clap::builder::RangedU64ValueParser<usize> {
    clap::builder::RangedU64ValueParser::<usize>::new().range(1..=crate::config::MAX_LIMIT as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn json_is_short_for_format_json() {
        let cli = Cli::try_parse_from(["papertrend", "search", "bert", "--json"]).unwrap();
        let Command::Search(args) = cli.command else {
            panic!("not search")
        };
        assert_eq!(args.output.chosen(), Some(OutputFormat::Json));
        assert!(
            Cli::try_parse_from(["papertrend", "search", "x", "--json", "--format", "csv"])
                .is_err()
        );
    }

    #[test]
    fn since_takes_spans_and_dates() {
        let cli = Cli::try_parse_from([
            "papertrend",
            "search",
            "x",
            "--since",
            "7d",
            "--until",
            "2026-11-01",
        ])
        .unwrap();
        let Command::Search(args) = cli.command else {
            panic!("not search")
        };
        assert!(matches!(args.since, Some(TimeBound::Ago(_))));
        assert!(matches!(args.until, Some(TimeBound::At(_))));
        assert!(Cli::try_parse_from(["papertrend", "search", "x", "--since", "soon"]).is_err());
    }

    #[test]
    fn global_flags_work_after_the_subcommand() {
        let cli =
            Cli::try_parse_from(["papertrend", "stats", "--data-dir", "/tmp/x", "-vv"]).unwrap();
        assert_eq!(
            cli.data_dir.as_deref(),
            Some(std::path::Path::new("/tmp/x"))
        );
        assert_eq!(cli.verbose, 2);
    }
}

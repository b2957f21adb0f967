//! Source kinds: which URLs a source asks for, and how it pages.
//!
//! Owns URL building (`hf-daily` by day, `arxiv-api` paged search,
//! `arxiv-rss` category feed, `url`, `file`) and the per-source async job
//! that walks those URLs through [`Http`]. It never touches the index: a job
//! returns the bodies it got, and `fetch::fetch_into` ingests them.
//!
//! Invariants: a source's requests are sequential (one at a time, in order);
//! a job stops at its first failed URL and keeps what came before it.

use std::path::PathBuf;
use std::time::Duration;

use jiff::Timestamp;
use jiff::civil::Date;

use super::FetchError;
use super::client::{Fetched, Http};
use super::state::{SourceState, Validators};
use crate::config::SourceConfig;
use crate::ingest::{self, Event, Format, Origin};

/// Default Hugging Face base URL.
pub const HF_BASE: &str = "https://huggingface.co";
/// Default arXiv API base URL.
pub const ARXIV_API_BASE: &str = "https://export.arxiv.org";
/// Default arXiv RSS base URL.
pub const ARXIV_RSS_BASE: &str = "https://rss.arxiv.org";

/// What one source will fetch this run.
#[derive(Clone, Debug)]
pub(crate) struct SourcePlan {
    pub(crate) name: String,
    pub(crate) format: Format,
    pub(crate) target: Target,
}

/// The requests of a plan.
#[derive(Clone, Debug)]
pub(crate) enum Target {
    /// A local file, or a folder's listing files (its subfolders' too when
    /// the flag is set).
    File(PathBuf, bool),
    /// A fixed list of URLs (hf-daily days, an RSS feed, a URL), each with
    /// the day it stands for (hf-daily) and the validators from last time.
    Urls(Vec<UrlPlan>),
    /// An arXiv API search, paged.
    Pages(PagePlan),
}

/// One URL of a fixed list.
#[derive(Clone, Debug)]
pub(crate) struct UrlPlan {
    pub(crate) url: String,
    pub(crate) day: Option<Date>,
    pub(crate) cached: Option<Validators>,
}

/// A paged arXiv API search.
#[derive(Clone, Debug)]
pub(crate) struct PagePlan {
    base: String,
    query: String,
    pub(crate) page_size: u32,
    pub(crate) max_pages: u32,
    pub(crate) delay: Duration,
    /// Stop paging once a page reaches papers published at or before this.
    stop_at: Option<Timestamp>,
}

impl PagePlan {
    /// The URL of the page starting at `start`.
    pub(crate) fn url(&self, start: u64) -> String {
        let mut url = match reqwest::Url::parse(&format!("{}/api/query", self.base)) {
            Ok(u) => u,
            Err(_) => return format!("{}/api/query", self.base),
        };
        url.query_pairs_mut()
            .append_pair("search_query", &self.query)
            .append_pair("start", &start.to_string())
            .append_pair("max_results", &self.page_size.to_string())
            .append_pair("sortBy", "submittedDate")
            .append_pair("sortOrder", "descending");
        url.to_string()
    }
}

/// `base_url`, else the service's own server; without a trailing `/`.
fn base(base_url: Option<&str>, default: &str) -> String {
    base_url
        .unwrap_or(default)
        .trim_end_matches('/')
        .to_string()
}

/// The day-URL of the hf-daily API.
fn hf_url(base: &str, day: Date) -> String {
    let raw = format!("{base}/api/daily_papers");
    match reqwest::Url::parse(&raw) {
        Ok(mut u) => {
            u.query_pairs_mut().append_pair("date", &day.to_string());
            u.to_string()
        }
        Err(_) => format!("{raw}?date={day}"),
    }
}

/// The days an hf-daily source fetches on `today`: from the last committed
/// day (fetched again, since a day's list fills up during the day) through
/// today. After a gap of up to `catch_up` days the last day is still read
/// again (its list grew after the last fetch); on the first run, or after a
/// longer gap, the last `catch_up` days.
pub(crate) fn hf_days(last: Option<Date>, today: Date, catch_up: u32) -> Vec<Date> {
    let days_back = |n: i64| {
        today
            .checked_sub(jiff::Span::new().days(n))
            .unwrap_or(today)
    };
    let earliest = days_back(i64::from(catch_up.max(1)) - 1);
    let start = match last {
        Some(d) if d >= days_back(i64::from(catch_up.max(1))) => d.min(today),
        _ => earliest,
    };
    let mut days = Vec::new();
    let mut d = start;
    while d <= today {
        days.push(d);
        match d.tomorrow() {
            Ok(next) => d = next,
            Err(_) => break,
        }
    }
    days
}

/// Builds the plan of one source from its config and remembered state.
pub(crate) fn plan_source(
    src: &SourceConfig,
    state: Option<&SourceState>,
    today: Date,
) -> SourcePlan {
    let cached = |url: &str| state.and_then(|s| s.http.get(url)).cloned();
    let one = |url: String| {
        Target::Urls(vec![UrlPlan {
            cached: cached(&url),
            url,
            day: None,
        }])
    };
    let (format, target) = match src {
        SourceConfig::File(s) => (s.format, Target::File(s.path.clone(), s.recursive)),
        SourceConfig::Url(s) => (s.format, one(s.url.clone())),
        SourceConfig::ArxivRss(s) => {
            let base = base(s.base_url.as_deref(), ARXIV_RSS_BASE);
            (
                Format::ArxivRss,
                one(format!("{base}/rss/{}", s.category.trim())),
            )
        }
        SourceConfig::HfDaily(s) => {
            let base = base(s.base_url.as_deref(), HF_BASE);
            let days = hf_days(state.and_then(|s| s.last_day), today, s.catch_up_days);
            let urls = days
                .into_iter()
                .map(|day| {
                    let url = hf_url(&base, day);
                    UrlPlan {
                        cached: cached(&url),
                        url,
                        day: Some(day),
                    }
                })
                .collect();
            (Format::HfJson, Target::Urls(urls))
        }
        SourceConfig::ArxivApi(s) => (
            Format::ArxivAtom,
            Target::Pages(PagePlan {
                base: base(s.base_url.as_deref(), ARXIV_API_BASE),
                query: s.query.clone(),
                page_size: s.page_size,
                max_pages: s.max_pages,
                // Never negative: the config refuses that.
                delay: Duration::try_from(s.delay.0).unwrap_or_default(),
                stop_at: state.and_then(|s| s.newest),
            }),
        ),
    };
    SourcePlan {
        name: src.name().to_string(),
        format,
        target,
    }
}

/// One response a job got.
pub(crate) struct Got {
    pub(crate) url: String,
    pub(crate) day: Option<Date>,
    /// `None` for a 304.
    pub(crate) body: Option<Body>,
}

/// A 200 body.
pub(crate) struct Body {
    pub(crate) bytes: Vec<u8>,
    pub(crate) validators: Validators,
    pub(crate) content_type: Option<String>,
}

/// What a job brought back: the responses in order, the first error (after
/// which it stopped), how many requests it sent, and (arxiv-api) the newest
/// `published` it saw.
#[derive(Default)]
pub(crate) struct Harvest {
    pub(crate) got: Vec<Got>,
    pub(crate) error: Option<FetchError>,
    pub(crate) requests: u32,
    pub(crate) newest: Option<Timestamp>,
}

/// Runs one source's requests.
pub(crate) async fn harvest(http: Http, plan: SourcePlan) -> Harvest {
    let mut h = Harvest::default();
    match plan.target {
        Target::File(..) => {}
        Target::Urls(urls) => {
            for u in urls {
                let (res, n) = http.get(&u.url, Duration::ZERO, u.cached.as_ref()).await;
                h.requests += n;
                match res {
                    Ok(f) => h.got.push(got(u.url, u.day, f)),
                    Err(e) => {
                        h.error = Some(e);
                        break;
                    }
                }
            }
        }
        Target::Pages(p) => harvest_pages(&http, &p, &mut h).await,
    }
    h
}

fn got(url: String, day: Option<Date>, f: Fetched) -> Got {
    let body = match f {
        Fetched::NotModified => None,
        Fetched::Body {
            bytes,
            validators,
            content_type,
        } => Some(Body {
            bytes,
            validators,
            content_type,
        }),
    };
    Got { url, day, body }
}

/// Pages newest-first until a page is short, reaches papers already seen,
/// or `max_pages` is done; `delay` apart (per host, across sources).
async fn harvest_pages(http: &Http, p: &PagePlan, h: &mut Harvest) {
    for page in 0..u64::from(p.max_pages) {
        let url = p.url(page * u64::from(p.page_size));
        let (res, n) = http.get(&url, p.delay, None).await;
        h.requests += n;
        let f = match res {
            Ok(f) => f,
            Err(e) => {
                h.error = Some(e);
                return;
            }
        };
        let got = got(url.clone(), None, f);
        let Some(body) = &got.body else {
            h.got.push(got);
            return;
        };
        let (count, oldest, newest) = match scan_atom(&body.bytes, &url) {
            Ok(s) => s,
            Err(reason) => {
                h.error = Some(FetchError::Format {
                    url,
                    expected: Format::ArxivAtom.to_string(),
                    reason,
                    content_type: body.content_type.clone(),
                });
                return;
            }
        };
        h.newest = h.newest.max(newest);
        h.got.push(got);
        let reached_known = matches!((oldest, p.stop_at), (Some(o), Some(s)) if o <= s);
        if count < u64::from(p.page_size) || reached_known {
            return;
        }
    }
}

/// Counts the entries of an Atom page and finds its oldest and newest
/// `published`, with the real parser (so a non-Atom page fails here).
fn scan_atom(
    bytes: &[u8],
    url: &str,
) -> Result<(u64, Option<Timestamp>, Option<Timestamp>), String> {
    let origin = Origin {
        path: url.to_string(),
    };
    let (mut count, mut oldest, mut newest) = (0u64, None::<Timestamp>, None::<Timestamp>);
    let mut emit = |e: Event| -> Result<(), ingest::Stopped> {
        count += 1;
        if let Event::Paper(p) = e
            && let Some(t) = p.published
        {
            oldest = Some(oldest.map_or(t, |o| o.min(t)));
            newest = Some(newest.map_or(t, |n| n.max(t)));
        }
        Ok(())
    };
    let mut input: &[u8] = bytes;
    ingest::parse(Format::ArxivAtom, &mut input, &origin, &mut emit).map_err(|e| match e {
        ingest::ParseStop::Parse(p) => p.reason,
        ingest::ParseStop::Stopped(s) => s.to_string(),
    })?;
    Ok((count, oldest, newest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn hf_days_catch_up_from_the_last_day_and_are_bounded() {
        let today = d("2026-11-27");
        assert_eq!(hf_days(Some(today), today, 7), vec![today]);
        assert_eq!(
            hf_days(Some(d("2026-11-25")), today, 7),
            vec![d("2026-11-25"), d("2026-11-26"), today]
        );
        let first = hf_days(None, today, 3);
        assert_eq!(first, vec![d("2026-11-25"), d("2026-11-26"), today]);
        assert_eq!(hf_days(Some(d("2026-01-01")), today, 2).len(), 2);
        // Two days off: the last (partly fetched) day is read again too.
        assert_eq!(
            hf_days(Some(d("2026-11-24")), today, 3),
            vec![d("2026-11-24"), d("2026-11-25"), d("2026-11-26"), today]
        );
        // A cursor in the future (clock moved back) still fetches today.
        assert_eq!(hf_days(Some(d("2026-12-01")), today, 7), vec![today]);
    }

    #[test]
    fn arxiv_page_urls_are_percent_encoded() {
        let p = PagePlan {
            base: "http://127.0.0.1:1".into(),
            query: "cat:cs.CL AND abs:\"in-context learning\"".into(),
            page_size: 10,
            max_pages: 2,
            delay: Duration::ZERO,
            stop_at: None,
        };
        assert_eq!(
            p.url(10),
            "http://127.0.0.1:1/api/query?search_query=cat%3Acs.CL+AND+abs%3A%22in-context+learning%22\
             &start=10&max_results=10&sortBy=submittedDate&sortOrder=descending"
        );
        assert_eq!(
            hf_url("https://huggingface.co", d("2026-11-27")),
            "https://huggingface.co/api/daily_papers?date=2026-11-27"
        );
    }
}

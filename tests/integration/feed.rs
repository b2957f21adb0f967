//! The digest where readers read (#26): `digest --format atom`, and the
//! `[digest] feed` file `run` keeps, read back by Python's XML parser and
//! by `feedparser` (parsers this project did not write).

use crate::support::{TestEnv, fixture};

/// The feed's entries as (id, title, first link) by Python's ElementTree;
/// panics when the document is not well-formed Atom.
fn entries(env: &TestEnv, atom: &str) -> Vec<(String, String, String)> {
    let file = env.write("feed-under-test.atom", atom);
    let script = r#"
import sys, xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == A + "feed", root.tag
for tag in ("title", "id", "updated"):
    assert root.find(A + tag) is not None, tag
for e in root.findall(A + "entry"):
    for tag in ("title", "id", "updated"):
        assert e.find(A + tag) is not None, tag
    link = e.find(A + "link")
    print("\t".join([e.find(A + "id").text, e.find(A + "title").text,
                     link.get("href") if link is not None else ""]))
"#;
    let out = env
        .isolated("python3")
        .arg("-c")
        .arg(script)
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "not a valid Atom feed: {}\n{atom}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let mut f = l.split('\t').map(str::to_string);
            (f.next().unwrap(), f.next().unwrap(), f.next().unwrap())
        })
        .collect()
}

/// The ids a day's digest listed (main list and "Also popular").
fn listed(env: &TestEnv, date: &str) -> Vec<String> {
    let out = env
        .cmd([
            "--config", "c.toml", "digest", "--date", date, "--format", "json",
        ])
        .run();
    out.success();
    let d = out.json();
    d["papers"]
        .as_array()
        .unwrap()
        .iter()
        .chain(d["also_popular"].as_array().unwrap())
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn digest_format_atom_is_a_feed_of_the_days_papers() {
    let env = TestEnv::new();
    env.ingest(&["hf-text/seed.txt"]);
    env.write(
        "c.toml",
        "[interests]\nkeywords = [\"in-context learning\"]\n",
    );
    let out = env
        .cmd(["--config", "c.toml", "digest", "--format", "atom"])
        .run();
    out.success();
    let got = entries(&env, &out.stdout);
    let want: Vec<String> = listed(&env, "2026-11-27")
        .iter()
        .map(|id| format!("urn:papertrend:paper:{id}"))
        .collect();
    assert!(!want.is_empty());
    assert_eq!(got.iter().map(|e| e.0.clone()).collect::<Vec<_>>(), want);
}

#[test]
fn run_keeps_a_feed_of_the_last_digests_with_every_paper_once() {
    let mut env = TestEnv::new();
    env.write(
        "c.toml",
        "[[sources]]\nname = \"lists\"\nkind = \"file\"\npath = \"lists\"\n\
         [digest]\nfeed = \"papers.atom\"\nfeed_digests = 2\nmin_relevance = 0.0\n",
    );
    let days = [
        ("2026-01-02", "hf-json/2026-01-02.json"),
        ("2026-01-19", "hf-json/2026-01-19.json"),
        ("2026-01-20", "hf-json/2026-01-20.json"),
    ];
    let mut all = Vec::new();
    for (day, list) in days {
        env.write(
            &format!("lists/{day}.json"),
            std::fs::read(fixture(list)).unwrap(),
        );
        env.set_now(&format!("{day}T23:00:00Z"));
        let out = env.cmd(["--config", "c.toml", "run"]).run();
        out.success();
        all.push(listed(&env, day));
    }
    let feed = std::fs::read_to_string(env.path("papers.atom")).unwrap();
    let got: Vec<String> = entries(&env, &feed).into_iter().map(|e| e.0).collect();
    // The last two digests, newest first, each paper once.
    let want: Vec<String> = all[2]
        .iter()
        .chain(&all[1])
        .map(|id| format!("urn:papertrend:paper:{id}"))
        .collect();
    assert!(all[1].len() >= 3 && all[2].len() >= 3, "{all:?}");
    assert_eq!(got, want);
    let mut unique = got.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), got.len(), "a paper twice");
}

/// A month of daily `run`s (November 2025's nineteen Hugging Face lists,
/// one a day at 07:00) keeps a feed that Python's `feedparser` (installed
/// into `target/feed-venv`) reads as well-formed Atom 1.0, holding every
/// paper the month's digests listed exactly once, each with its title,
/// link and dates.
#[test]
fn a_month_of_runs_keeps_a_feed_feedparser_reads_with_every_paper_once() {
    let mut env = TestEnv::new();
    env.write(
        "c.toml",
        "[[sources]]\nname = \"lists\"\nkind = \"file\"\npath = \"lists\"\n\
         [interests]\nkeywords = { \"reasoning\" = 2.0, \"video generation\" = 2.0, \
         \"agents\" = 1.5 }\n\
         [digest]\nfeed = \"papers.atom\"\nfeed_digests = 30\n",
    );
    let month = fixture("hf-json/2025-11");
    let mut days: Vec<_> = std::fs::read_dir(&month)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    days.sort();
    assert_eq!(days.len(), 19);
    let mut digested: Vec<String> = Vec::new();
    for file in &days {
        let day = file.trim_end_matches(".json");
        env.write(
            &format!("lists/{file}"),
            std::fs::read(month.join(file)).unwrap(),
        );
        env.set_now(&format!("{day}T07:00:00Z"));
        let out = env.cmd(["--config", "c.toml", "run"]).run();
        out.success();
        digested.extend(listed(&env, day));
    }
    assert!(digested.len() >= 100, "{}", digested.len());
    let mut unique = digested.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), digested.len(), "a digest repeated a paper");

    let py = crate::support::venv::python("feed-venv", "feedparser==6.0.12");
    let script = r#"
import sys, feedparser
d = feedparser.parse(sys.argv[1])
assert not d.bozo, repr(d.get("bozo_exception"))
assert d.version == "atom10", d.version
assert d.feed.get("title") and d.feed.get("id") and d.feed.get("updated_parsed")
for e in d.entries:
    assert e.get("title"), e
    assert e.get("updated_parsed"), e
    assert e.get("link", "").startswith("https://"), e
    print(e.id)
"#;
    let out = std::process::Command::new(py)
        .arg("-c")
        .arg(script)
        .arg(env.path("papers.atom"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "feedparser: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut got: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let n = got.len();
    got.sort();
    got.dedup();
    assert_eq!(got.len(), n, "a paper twice in the feed");
    let mut want: Vec<String> = digested
        .iter()
        .map(|id| format!("urn:papertrend:paper:{id}"))
        .collect();
    want.sort();
    assert_eq!(got, want);
}

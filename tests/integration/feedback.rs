//! The reader's feedback: marks and mutes (kept apart from the index), the
//! learned profile on real January 2026 papers, count observations and
//! velocity from a loopback Hugging Face server, the export cursor across
//! kill -9, `--unseen`, and `review` on a terminal.

use std::collections::HashSet;

use crate::support::TestEnv;
use crate::support::hf::{self, AUDIO_LIKES, january};
use crate::support::http::Server;

fn marks_json(env: &TestEnv) -> serde_json::Value {
    let out = env.cmd(["marks"]).run();
    out.success();
    out.json()
}

#[test]
fn marks_round_trip_in_every_id_form_and_survive_a_rebuilt_index() {
    let env = TestEnv::new();
    env.ingest(&["hf-json/2026-01-19.json", "hf-json/2026-01-20.json"]);
    // The forms `show` takes: bare, prefixed, versioned, an abs URL.
    env.cmd([
        "mark",
        "2601.08808",
        "arxiv:2601.11077",
        "2601.11096v2",
        "--like",
    ])
    .run()
    .success();
    env.cmd([
        "mark",
        "https://arxiv.org/abs/2601.10387",
        "--dislike",
        "--save",
    ])
    .run()
    .success();
    env.cmd(["mark", "2601.08808", "--read"]).run().success();
    // Dislike replaces a like.
    env.cmd(["mark", "2601.11096", "--dislike"]).run().success();
    let m = marks_json(&env);
    let got: Vec<(String, Vec<String>)> = m["marks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["id"].as_str().unwrap().to_string(),
                serde_json::from_value(x["marks"].clone()).unwrap(),
            )
        })
        .collect();
    let want = |id: &str, l: &[&str]| (id.to_string(), l.iter().map(|s| s.to_string()).collect());
    assert_eq!(
        got,
        [
            want("arxiv:2601.08808", &["like", "read"]),
            want("arxiv:2601.10387", &["dislike", "save"]),
            want("arxiv:2601.11077", &["like"]),
            want("arxiv:2601.11096", &["dislike"]),
        ]
    );
    let titles: Vec<&str> = m["marks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["title"].as_str().unwrap())
        .collect();
    assert!(titles[0].starts_with("Multiplex Thinking"), "{titles:?}");
    // An unknown id among known ones: exit 2, nothing marked.
    let before = std::fs::read(env.data_dir().join("state/marks.json")).unwrap();
    env.cmd(["mark", "2601.08808", "2699.99999", "--save"])
        .run()
        .code(2)
        .stderr_has("no paper with id \"2699.99999\"");
    assert_eq!(
        std::fs::read(env.data_dir().join("state/marks.json")).unwrap(),
        before
    );
    env.cmd(["mark", "2601.08808"])
        .run()
        .code(2)
        .stderr_has("--like, --dislike, --save or --read");
    // Marks are not in the export; they survive re-ingest and a rebuilt index.
    let export = env.cmd(["export"]).run();
    export.success();
    assert!(!export.stdout.contains("\"like\""));
    env.write("papers.jsonl", &export.stdout);
    std::fs::remove_dir_all(env.data_dir().join("index")).unwrap();
    env.cmd(["ingest"])
        .arg(env.path("papers.jsonl"))
        .run()
        .success();
    assert_eq!(marks_json(&env)["marks"], m["marks"]);
    // unmark: named marks, then all; an id neither indexed nor marked is exit 2.
    env.cmd(["unmark", "2601.10387", "--save"]).run().success();
    env.cmd(["unmark", "arxiv:2601.08808"]).run().success();
    env.cmd(["unmark", "2699.99999"]).run().code(2);
    let ids: Vec<(String, serde_json::Value)> = marks_json(&env)["marks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["id"].as_str().unwrap().to_string(), x["marks"].clone()))
        .collect();
    assert_eq!(ids.len(), 3);
    assert_eq!(ids[0].0, "arxiv:2601.10387");
    assert_eq!(ids[0].1, serde_json::json!(["dislike"]));
}

#[test]
fn marks_written_at_the_same_time_are_all_kept() {
    let env = TestEnv::new();
    env.ingest(&["hf-json/2026-01-19.json"]);
    let ids: Vec<String> = env
        .export()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    assert!(ids.len() >= 8);
    // Eight `mark` processes at once, one paper each: the lock on the
    // marks file keeps every read-modify-write whole.
    let running: Vec<_> = ids[..8]
        .iter()
        .map(|id| env.cmd(["mark", "--like", id.as_str()]).spawn())
        .collect();
    for child in running {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{out:?}");
    }
    let mut marked: Vec<String> = marks_json(&env)["marks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect();
    marked.sort();
    let mut want = ids[..8].to_vec();
    want.sort();
    assert_eq!(marked, want);
}

#[test]
fn a_mute_expires_when_its_span_is_over() {
    let mut env = TestEnv::new();
    env.cmd(["mute", "world", "models", "--for", "30d"])
        .run()
        .success();
    env.cmd(["mute", "author:Jane Doe"]).run().success();
    env.cmd(["mute", "category:cs.RO", "--for", "1d"])
        .run()
        .success();
    env.cmd(["mute", "--for", "0d", "x"]).run().code(2);
    let active = |env: &TestEnv| -> Vec<(String, bool)> {
        marks_json(env)["mutes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["spec"].as_str().unwrap().to_string(),
                    m["active"].as_bool().unwrap(),
                )
            })
            .collect()
    };
    let all = |b: [bool; 3]| {
        ["world models", "author:Jane Doe", "category:cs.RO"]
            .iter()
            .zip(b)
            .map(|(s, a)| (s.to_string(), a))
            .collect::<Vec<_>>()
    };
    assert_eq!(active(&env), all([true, true, true]));
    let m = marks_json(&env);
    assert_eq!(m["mutes"][0]["until"], "2026-12-27T08:00:00Z");
    assert_eq!(m["mutes"][1]["until"], serde_json::Value::Null);
    env.set_now("2026-11-28T08:00:00Z");
    assert_eq!(active(&env), all([true, true, false]));
    env.set_now("2026-12-27T07:59:59Z");
    assert_eq!(active(&env), all([true, true, false]));
    env.set_now("2026-12-27T08:00:00Z");
    assert_eq!(active(&env), all([false, true, false]));
    // Unmute by the same words (stems), or exit 2 when nothing matches.
    env.cmd(["unmute", "World", "Model"]).run().success();
    env.cmd(["unmute", "world models"])
        .run()
        .code(2)
        .stderr_has("nothing is muted as \"world models\"");
    assert_eq!(active(&env).len(), 2);
}

#[test]
fn the_export_cursor_gives_each_paper_once_across_a_kill() {
    let mut env = TestEnv::new();
    let files = january();
    let (early, late) = files.split_at(files.len() / 2);
    env.cmd(["ingest"]).args(early).run().success();
    let cursor = env.data_dir().join("state/cursors/feed.json");
    // Killed while its output is stuck in a full pipe (nobody reads it):
    // the cursor does not move.
    let mut stuck = env.cmd(["export", "--since-cursor", "feed"]).spawn();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(stuck.try_wait().unwrap().is_none(), "export should block");
    stuck.kill().unwrap();
    stuck.wait().unwrap();
    assert!(!cursor.exists(), "a killed export must not advance");
    let ids = |out: &crate::support::Output| -> Vec<String> {
        out.jsonl()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_string())
            .collect()
    };
    let first = env.cmd(["export", "--since-cursor", "feed"]).run();
    first.success();
    let first = ids(&first);
    assert_eq!(first.len(), env.export().len());
    // Nothing new: nothing printed.
    let none = env.cmd(["export", "--since-cursor", "feed"]).run();
    none.success();
    assert_eq!(none.stdout, "");
    env.set_now("2026-11-28T08:00:00Z");
    env.cmd(["ingest"]).args(late).run().success();
    let second = env.cmd(["export", "--since-cursor", "feed"]).run();
    second.success();
    let second = ids(&second);
    let all: HashSet<String> = env
        .export()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    let a: HashSet<&String> = first.iter().collect();
    let b: HashSet<&String> = second.iter().collect();
    assert_eq!(a.len(), first.len(), "no repeats within a call");
    assert!(a.is_disjoint(&b), "no paper twice");
    assert_eq!(first.len() + second.len(), all.len(), "none lost");
    assert!(!second.is_empty());
    // Another cursor starts from the beginning; a bad name is exit 2.
    let other = env.cmd(["export", "--since-cursor", "other"]).run();
    other.success();
    assert_eq!(ids(&other).len(), all.len());
    env.cmd(["export", "--since-cursor", "../x"]).run().code(2);
}

#[test]
fn observations_record_each_count_change_at_fetch_time_and_give_velocity() {
    let server = Server::start();
    // 2601.08808 has 13 upvotes at 07:00 and 63 at 19:00; 2601.11077
    // stands at 100 all day.
    let (mut env, day) = hf::growing_day(&server, "2026-11-27");
    // A third fetch with the same counts adds nothing.
    for hour in ["07", "19", "21"] {
        hf::fetch_at(&mut env, &format!("2026-11-27T{hour}:00:00Z"));
    }
    assert_eq!(server.requests_to(&day).len(), 3);
    let papers = env.export();
    let get = |id: &str| {
        papers
            .iter()
            .find(|p| p["id"] == id)
            .unwrap_or_else(|| panic!("{id} missing"))
            .clone()
    };
    let grower = get(hf::GROWER);
    let stale = get(hf::STALE);
    let seen = |p: &serde_json::Value| -> Vec<(String, u64, u64)> {
        p["observations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                let n = |k: &str| o[k].as_u64().unwrap();
                (
                    o["at"].as_str().unwrap().to_string(),
                    n("upvotes"),
                    n("comments"),
                )
            })
            .collect()
    };
    let at = |h: &str| format!("2026-11-27T{h}:00:00Z");
    assert_eq!(seen(&grower), [(at("07"), 13, 1), (at("19"), 63, 1)]);
    assert_eq!(grower["upvotes"], 63);
    assert_eq!(grower["counts_observed_at"], "2026-11-27T19:00:00Z");
    assert_eq!(seen(&stale), [(at("07"), 100, 1)]);
    assert_eq!(stale["counts_observed_at"], "2026-11-27T07:00:00Z");
    // Velocity from the stored history, as the ranking reads it.
    let obs = |p: &serde_json::Value| -> Vec<papertrend::paper::Observation> {
        serde_json::from_value(p["observations"].clone()).unwrap()
    };
    let now: jiff::Timestamp = "2026-11-27T21:00:00Z".parse().unwrap();
    let v = papertrend::velocity::velocity(&obs(&grower), now).unwrap();
    assert_eq!(v.delta_24h, 50);
    assert!((v.per_day - 50.0).abs() < 1e-3, "{v:?}");
    assert!(papertrend::velocity::velocity(&obs(&stale), now).is_none());
    // Export and re-ingest keeps the history exactly.
    let export = env.cmd(["export"]).run();
    let mut again = TestEnv::new();
    again.set_now("2026-11-27T07:00:00Z");
    again.write("p.jsonl", &export.stdout);
    again
        .cmd(["ingest"])
        .arg(again.path("p.jsonl"))
        .run()
        .success();
    let by_id = |mut v: Vec<serde_json::Value>| {
        v.sort_by_key(|p| p["id"].as_str().unwrap().to_string());
        v
    };
    assert_eq!(by_id(again.export()), by_id(papers));
}

/// The liked, disliked and held-out papers' terms, via the library on the
/// index the binary wrote.
fn open(env: &TestEnv) -> (papertrend::index::Index, papertrend::marks::Marks) {
    let data = papertrend::state::DataDir::new(env.data_dir());
    (
        papertrend::index::Index::open(&data.index(), false).unwrap(),
        papertrend::marks::Marks::load(&data).unwrap(),
    )
}

/// January ingested, the ten audio papers liked.
fn audio_liker() -> TestEnv {
    let env = TestEnv::new();
    env.cmd(["ingest"]).args(january()).run().success();
    env.cmd(["mark", "--like"])
        .args(AUDIO_LIKES)
        .run()
        .success();
    env
}

#[test]
fn a_profile_from_ten_liked_audio_papers_is_about_speech_and_names_them() {
    let env = audio_liker();
    let out = env.cmd(["marks", "--profile", "--json"]).run();
    out.success();
    let profile = &out.json()["profile"];
    assert_eq!(profile["likes"], 10);
    let stems: Vec<&str> = profile["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["stem"].as_str().unwrap())
        .collect();
    assert!(stems.len() >= 20, "{stems:?}");
    let audio = [
        "speech", "audio", "spoken", "tts", "asr", "acoust", "speaker", "sound",
    ];
    assert!(
        audio.contains(&stems[0]) && audio.contains(&stems[1]),
        "{stems:?}"
    );
    let top10_audio = stems[..10].iter().filter(|s| audio.contains(s)).count();
    assert!(top10_audio >= 4, "{stems:?}");

    let (index, marks) = open(&env);
    let started = std::time::Instant::now();
    let p = train(&index, &marks);
    let took = started.elapsed();
    assert!(took.as_secs_f64() < 1.0, "training took {took:?}");
    // Held-out audio papers of February find liked audio papers as their
    // neighbours, and outscore agents papers of the same day.
    let liked: HashSet<String> = AUDIO_LIKES.iter().map(|id| format!("arxiv:{id}")).collect();
    for held_out in ["2602.04683", "2601.23174"] {
        let (paper, terms) = index.paper_terms(held_out).unwrap().unwrap();
        let n = p.neighbours(&terms, 2);
        assert_eq!(n.len(), 2, "{}", paper.title);
        assert!(
            n.iter().all(|(id, _, s)| liked.contains(id) && *s > 0.05),
            "{n:?}"
        );
        for other in ["2602.05261", "2602.05885"] {
            let (o, other_terms) = index.paper_terms(other).unwrap().unwrap();
            assert!(
                p.score(&terms) > p.score(&other_terms) + 0.05,
                "{} {} vs {} {}",
                paper.title,
                p.score(&terms),
                o.title,
                p.score(&other_terms)
            );
        }
    }
}

#[test]
fn dislikes_push_similar_papers_down() {
    let env = audio_liker();
    let (index, marks) = open(&env);
    let probe = "2601.03233"; // LTX-2: Efficient Joint Audio-Visual Foundation Model
    let (_, terms) = index.paper_terms(probe).unwrap().unwrap();
    let speech = "2601.21337"; // Qwen3-ASR Technical Report
    let (_, speech_terms) = index.paper_terms(speech).unwrap().unwrap();
    let before = train(&index, &marks);
    // Dislike three video generation papers.
    env.cmd(["mark", "--dislike"])
        .args(hf::VIDEO_DISLIKES)
        .run()
        .success();
    let (_, marks) = open(&env);
    let after = train(&index, &marks);
    assert!(
        after.score(&terms) < before.score(&terms) - 0.02,
        "{} -> {}",
        before.score(&terms),
        after.score(&terms)
    );
    // A speech paper far from video generation loses much less (the
    // profile is renormalised, so every positive stem weighs a little less).
    let kept = |p: &[String]| after.score(p) / before.score(p);
    assert!(
        kept(&terms) + 0.15 < kept(&speech_terms),
        "audio-visual kept {}, speech kept {}",
        kept(&terms),
        kept(&speech_terms)
    );
    assert!(after.score(&speech_terms) > after.score(&terms) + 0.03);
    assert!(after.terms().iter().any(|(t, w)| t == "video" && *w < 0.0));
}

#[test]
fn unseen_hides_papers_marked_read_or_mailed() {
    let env = TestEnv::new();
    env.ingest(&["hf-json/2026-01-19.json", "hf-json/2026-01-20.json"]);
    let ids = |args: &[&str]| -> Vec<String> {
        let out = env.cmd(args).run();
        out.success();
        out.jsonl()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_string())
            .collect()
    };
    let wide = ids(&["search", "reasoning", "-n", "10"]);
    assert!(wide.len() >= 5, "{wide:?}");
    let similar = ids(&["similar", &wide[1], "-n", "5"]);
    // Read: the best search hit and the paper most like the second.
    let read = [wide[0].clone(), similar[0].clone()];
    env.cmd(["mark", "--read"]).args(&read).run().success();
    let not_read = |v: &[String], n: usize| -> Vec<String> {
        v.iter()
            .filter(|id| !read.contains(id))
            .take(n)
            .cloned()
            .collect()
    };
    let unseen = ids(&["search", "reasoning", "-n", "3", "--unseen"]);
    assert_eq!(unseen, not_read(&wide, 3), "three results, none read");
    let similar_wide = ids(&["similar", &wide[1], "-n", "10"]);
    let similar_unseen = ids(&["similar", &wide[1], "-n", "5", "--unseen"]);
    assert_eq!(similar_unseen, not_read(&similar_wide, 5));
    let all = not_read(&wide, 2);
    // A paper in a delivered digest counts as seen too.
    env.delivered(&[&all[1]]);
    let unseen = ids(&["search", "reasoning", "-n", "3", "--unseen"]);
    assert!(!unseen.contains(&all[1]) && unseen.contains(&all[0]));
    assert!(!unseen.contains(&read[0]));
}

#[test]
fn review_refuses_without_a_terminal_and_marks_on_one() {
    let env = TestEnv::new();
    env.ingest_daily(&["hf-json/2026-01-19.json", "hf-json/2026-01-20.json"]);
    env.cmd(["review"])
        .run()
        .code(2)
        .stderr_has("review needs a terminal");
    assert!(!env.data_dir().join("state/marks.json").exists());
    // On a terminal (a pseudo-terminal from util-linux `script`).
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: no `script` to make a terminal");
        return;
    }
    let digest = env.cmd(["digest", "--format", "json"]).run();
    digest.success();
    let listed: Vec<String> = digest.json()["papers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    assert!(listed.len() >= 4, "{listed:?}");
    let inner = format!(
        "{} --data-dir {} review",
        env!("CARGO_BIN_EXE_papertrend"),
        env.data_dir().display()
    );
    // One key each, no Enter: like, the keys, dislike, save, next, quit.
    let out = on_a_terminal(&env, &inner, "l?dsnq");
    assert!(out.status.success(), "{out:?}");
    let out = crate::support::Output {
        code: 0,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::new(),
    };
    assert!(
        out.stdout.contains("like it: more papers like this"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("1 liked, 1 disliked, 1 saved"),
        "{}",
        out.stdout
    );
    let m = marks_json(&env);
    let got: Vec<(String, serde_json::Value)> = m["marks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["id"].as_str().unwrap().to_string(), x["marks"].clone()))
        .collect();
    let mut want = vec![
        (listed[0].clone(), serde_json::json!(["like"])),
        (listed[1].clone(), serde_json::json!(["dislike"])),
        (listed[2].clone(), serde_json::json!(["save"])),
    ];
    want.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(got, want);
}

/// Runs the shell command `inner` on a pseudo-terminal (`script`), with
/// `input` typed, in the test's isolated environment.
fn on_a_terminal(env: &TestEnv, inner: &str, input: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = env
        .isolated("script")
        .args(["-qec", inner, "/dev/null"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// The profile trained on `marks`' likes and dislikes, as `marks --profile` does.
fn train(
    index: &papertrend::index::Index,
    marks: &papertrend::marks::Marks,
) -> papertrend::profile::Profile {
    let (liked, disliked) = marks.opinion_ids();
    papertrend::engine::feedback::train_profile(index, &liked, &disliked).unwrap()
}

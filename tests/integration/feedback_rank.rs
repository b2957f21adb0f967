//! The reader's feedback in the ranking: upvote velocity from a loopback
//! Hugging Face server (`top --sort velocity`, the digest's badge), mutes in
//! `top` and `explain`, the learned profile lifting liked topics and
//! dislikes pushing similar papers down, on real January 2026 papers.

use std::collections::HashSet;

use crate::support::TestEnv;
use crate::support::hf::{self, AUDIO_LIKES, GROWER, STALE, january};
use crate::support::http::Server;

fn ids(out: &[serde_json::Value]) -> Vec<String> {
    out.iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect()
}

/// A loopback HF server whose list gains 50 upvotes on one paper between
/// the 07:00 and 19:00 fetches while another stands at 100; both fetched.
fn grown(server: &Server) -> TestEnv {
    let (mut env, day) = hf::growing_day(server, "2026-01-20");
    for at in ["2026-01-20T07:00:00Z", "2026-01-20T19:00:00Z"] {
        hf::fetch_at(&mut env, at);
    }
    assert_eq!(server.requests_to(&day).len(), 2);
    env
}

#[test]
fn the_grower_outranks_the_stale_paper_by_velocity_and_gets_the_badge() {
    let server = Server::start();
    let env = grown(&server);
    let cfg = env.path("config.toml");
    let top = |sort: &str| {
        let out = env
            .cmd(["--config"])
            .arg(&cfg)
            .args(["top", "--sort", sort, "-n", "50", "--format", "json"])
            .run();
        out.success();
        out.json().as_array().unwrap().clone()
    };
    let by_velocity = top("velocity");
    let order = ids(&by_velocity);
    let pos = |id: &str| order.iter().position(|x| x == id).unwrap();
    assert_eq!(order[0], GROWER, "{order:?}");
    assert!(pos(GROWER) < pos(STALE));
    // The velocity part, as `top --explain` shows it.
    let by_score = top("score");
    let part = |row: &serde_json::Value, name: &str| {
        row["explain"]["parts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap()["value"]
            .as_f64()
            .unwrap()
    };
    let row =
        |rows: &[serde_json::Value], id: &str| rows.iter().find(|r| r["id"] == id).unwrap().clone();
    let g = row(&by_score, GROWER);
    let s = row(&by_score, STALE);
    // velocity = 1 x ln(1 + 50/day) / ln(101)
    let expected = (51f64).ln() / (101f64).ln();
    assert!((part(&g, "velocity") - expected).abs() < 1e-3, "{g}");
    assert_eq!(part(&s, "velocity"), 0.0);
    assert_eq!(
        (g["upvotes"].as_u64(), s["upvotes"].as_u64()),
        (Some(63), Some(100))
    );
    assert!(
        g["why"]
            .as_str()
            .unwrap()
            .contains("+50 upvotes since yesterday")
    );

    // The digest marks the fast riser, in every format.
    let digest = |format: &str| {
        let out = env
            .cmd(["--config"])
            .arg(&cfg)
            .args(["digest", "--format", format])
            .run();
        out.success();
        out.stdout.clone()
    };
    let d: serde_json::Value = serde_json::from_str(&digest("json")).unwrap();
    let entries: Vec<&serde_json::Value> = d["papers"]
        .as_array()
        .unwrap()
        .iter()
        .chain(d["also_popular"].as_array().unwrap())
        .collect();
    let entry = |id: &str| entries.iter().find(|p| p["id"] == id).copied();
    let grower = entry(GROWER).expect("the grower is in the digest");
    assert_eq!(grower["rising_by"], "+50 upvotes since yesterday");
    assert!(!grower["why"].as_str().unwrap().contains("since yesterday"));
    assert!(
        entries
            .iter()
            .filter(|p| p["rising_by"].is_string())
            .count()
            == 1
    );
    for format in ["md", "text", "html"] {
        // (The text part wraps lines.)
        let text = digest(format)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(
            text.matches("+50 upvotes since yesterday").count(),
            1,
            "{format}: {text}"
        );
    }

    // explain shows the velocity it used.
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["explain", GROWER])
        .run();
    out.success();
    let text = out.stdout.clone();
    assert!(
        text.contains("velocity") && text.contains("+50.0 upvotes/day since 2026-01-20 07:00 UTC"),
        "{text}"
    );
}

#[test]
fn a_mute_removes_a_paper_from_top_and_explain_names_it() {
    let server = Server::start();
    let env = grown(&server);
    let cfg = env.path("config.toml");
    let top = || {
        let out = env
            .cmd(["--config"])
            .arg(&cfg)
            .args(["top", "-n", "100", "--format", "json"])
            .run();
        out.success();
        ids(out.json().as_array().unwrap())
    };
    let before = top();
    assert!(before.contains(&STALE.to_string()));
    let stale = env.export().into_iter().find(|p| p["id"] == STALE).unwrap();
    let author = stale["authors"][0].as_str().unwrap().to_string();
    env.cmd(["mute", &format!("author:{author}"), "--for", "30d"])
        .run()
        .success();
    let after = top();
    assert!(!after.contains(&STALE.to_string()), "{after:?}");
    // Only papers by that author left.
    let removed: Vec<&String> = before.iter().filter(|id| !after.contains(id)).collect();
    assert!(!removed.is_empty() && removed.len() < 5, "{removed:?}");
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["explain", STALE, "--json"])
        .run();
    out.success();
    let v = out.json();
    assert_eq!(v["verdict"]["status"], "muted");
    assert_eq!(v["verdict"]["mute"], format!("author:{author}"));
    assert_eq!(v["verdict"]["until"], "2026-02-19T19:00:00Z");
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["explain", STALE])
        .run();
    out.success();
    let text = out.stdout.clone();
    assert!(
        text.contains(&format!("muted by \"author:{author}\""))
            && text.contains("until 2026-02-19 19:00 UTC"),
        "{text}"
    );
    // `search --sort trend` leaves it out too.
    let title = stale["title"].as_str().unwrap();
    let word = title.split_whitespace().max_by_key(|w| w.len()).unwrap();
    let out = env
        .cmd(["--config"])
        .arg(&cfg)
        .args(["search", word, "--sort", "trend", "--format", "json"])
        .run();
    out.success();
    assert!(!ids(out.json().as_array().unwrap()).contains(&STALE.to_string()));
}

/// Copies a directory tree (a data dir, to fork a reader's history).
fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Speech and audio by title: the topic the reader likes but never typed.
fn is_audio(title: &str) -> bool {
    const WORDS: [&str; 10] = [
        "speech", "audio", "spoken", "tts", "asr", "sound", "voice", "music", "acoustic", "speaker",
    ];
    title
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| WORDS.contains(&w))
}

/// Ten speech and audio papers listed in the first three weeks of January.
const EARLY_AUDIO_LIKES: [&str; 10] = [
    "2512.22564", // Respiratory Sound Classification (01-01)
    "2601.01554", // MOSS Transcribe Diarize (01-07)
    "2601.03233", // LTX-2: Joint Audio-Visual Foundation Model (01-07)
    "2601.03227", // Audio-Language Models in Audio Geo-Localization (01-07)
    "2601.03194", // X-MuTeST: hate speech benchmark (01-07)
    "2601.04151", // Klear: Audio-Video Joint Generation (01-08)
    "2601.06329", // Spoken Language Model Evaluation (01-13)
    "2601.14046", // PRiSM: Phone Realization in Speech Models (01-21)
    "2601.14417", // Speaker Embedding Phonological Rules (01-22)
    "2601.13044", // Typhoon ASR Real-time (01-22)
];

#[test]
fn a_liked_topic_reaches_the_main_list_and_the_keywords_keep_theirs() {
    // See: #17
    // A reader who follows only "agents" gets a digest each morning (run
    // --no-fetch after the day's list arrives). After three weeks they like
    // ten speech/audio papers. The same history is replayed without the
    // likes, and the last two weeks' digests compared.
    let files = january();
    let split = "2026-01-22";
    let mut base = TestEnv::new();
    let cfg = base.write(
        "config.toml",
        "[interests]\nkeywords = [\"agents\"]\n\n[digest]\nformat = \"json\"\n",
    );
    let mut liked: Option<TestEnv> = None;
    // Main-list ids of the days after the split, per reader.
    let mut mains: [HashSet<String>; 2] = [HashSet::new(), HashSet::new()];
    let mut named_likes = 0;
    for f in &files {
        let day = f.file_stem().unwrap().to_str().unwrap().to_string();
        let mut envs: Vec<(usize, &mut TestEnv)> = vec![(0, &mut base)];
        if let Some(l) = liked.as_mut() {
            envs.push((1, l));
        }
        for (who, env) in envs {
            env.set_now(&format!("{day}T06:00:00Z"));
            env.cmd(["--config"])
                .arg(&cfg)
                .arg("ingest")
                .arg(f)
                .run()
                .success();
            env.set_now(&format!("{day}T07:00:00Z"));
            let out = env
                .cmd(["--config"])
                .arg(&cfg)
                .args(["run", "--no-fetch"])
                .run();
            out.success();
            if out.stdout.trim().is_empty() || day.as_str() <= split {
                continue;
            }
            let digest = out.json();
            for p in digest["papers"].as_array().unwrap() {
                mains[who].insert(p["id"].as_str().unwrap().to_string());
                if p["why"].as_str().unwrap().contains("like: *") {
                    named_likes += 1;
                }
            }
        }
        if day == split {
            let mut env = TestEnv::new();
            copy_dir(&base.data_dir(), &env.data_dir());
            env.set_now(&format!("{day}T12:00:00Z"));
            env.cmd(["mark", "--like"])
                .args(EARLY_AUDIO_LIKES)
                .run()
                .success();
            liked = Some(env);
        }
    }
    assert!(liked.is_some());
    // The topic's three most upvoted papers of each following week.
    let weeks = [("2026-01-23", "2026-01-29"), ("2026-01-30", "2026-02-06")];
    let [without, with] = &mains;
    for (from, to) in weeks {
        let mut audio: Vec<(u64, String)> = Vec::new();
        for f in &files {
            let day = f.file_stem().unwrap().to_str().unwrap();
            if !(from..=to).contains(&day) {
                continue;
            }
            let items: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
            for it in items.as_array().unwrap() {
                let p = &it["paper"];
                if is_audio(p["title"].as_str().unwrap()) {
                    let id = format!("arxiv:{}", p["id"].as_str().unwrap());
                    if !audio.iter().any(|(_, x)| *x == id) {
                        audio.push((p["upvotes"].as_u64().unwrap_or(0), id));
                    }
                }
            }
        }
        audio.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        audio.truncate(3);
        assert_eq!(audio.len(), 3, "{from}: {audio:?}");
        let reached = audio.iter().filter(|(_, id)| with.contains(id)).count();
        let before = audio.iter().filter(|(_, id)| without.contains(id)).count();
        assert!(reached * 2 >= audio.len(), "{from}: {reached} of {audio:?}");
        assert!(
            before < reached,
            "{from}: the likes lifted them ({before} without)"
        );
    }
    // The agents papers that reached the main list without the likes still do.
    assert!(without.len() >= 20, "{}", without.len());
    let kept = without.iter().filter(|id| with.contains(*id)).count();
    assert!(
        kept as f64 >= 0.9 * without.len() as f64,
        "{kept} of {} agents papers kept",
        without.len()
    );
    // The *Why* of lifted papers names the liked papers they are close to.
    assert!(named_likes >= 6, "{named_likes}");
}

#[test]
fn dislikes_push_similar_papers_down_in_top() {
    let mut env = TestEnv::new();
    let mut files = january();
    files.pop(); // 2026-02-06
    env.set_now("2026-01-31T12:00:00Z");
    env.cmd(["ingest"]).args(&files).run().success();
    env.cmd(["mark", "--like"])
        .args(AUDIO_LIKES)
        .run()
        .success();
    let top = || {
        let out = env
            .cmd(["top", "--since", "30d", "-n", "400", "--format", "json"])
            .run();
        out.success();
        out.json().as_array().unwrap().clone()
    };
    let probe = "arxiv:2601.03233"; // LTX-2: Joint Audio-Visual Foundation Model
    let speech = "arxiv:2601.21337"; // Qwen3-ASR Technical Report
    let at = |rows: &[serde_json::Value], id: &str| -> (usize, f64) {
        let i = rows.iter().position(|r| r["id"] == id).unwrap();
        let profile = rows[i]["explain"]["parts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "profile")
            .unwrap()["value"]
            .as_f64()
            .unwrap();
        (i, profile)
    };
    let before = top();
    let (probe_before, probe_profile_before) = at(&before, probe);
    // explain names the liked papers a speech paper is closest to.
    let out = env.cmd(["explain", speech, "--date", "2026-01-30"]).run();
    out.success();
    let text = &out.stdout;
    let line = |name: &str| text.lines().find(|l| l.contains(name)).unwrap_or_default();
    assert!(line("why:").contains("like: *"), "{text}");
    assert!(
        line("closest liked papers").contains("Typhoon ASR")
            || line("closest liked papers").contains("Qwen3-TTS"),
        "{text}"
    );
    assert!(text.contains("profile stems in text: "), "{text}");
    assert!(probe_profile_before > 0.0);
    // Dislike three video generation papers.
    env.cmd(["mark", "--dislike"])
        .args(hf::VIDEO_DISLIKES)
        .run()
        .success();
    let after = top();
    let (probe_after, probe_profile_after) = at(&after, probe);
    let (speech_after, speech_profile_after) = at(&after, speech);
    assert!(
        probe_profile_after < probe_profile_before - 0.05,
        "{probe_profile_before} -> {probe_profile_after}"
    );
    assert!(
        probe_after > probe_before,
        "#{probe_before} -> #{probe_after}"
    );
    assert!(speech_profile_after > probe_profile_after);
    assert!(speech_after < probe_after);
    // Other video generation papers (not disliked) go down too.
    let video: Vec<&serde_json::Value> = before
        .iter()
        .filter(|r| {
            let t = r["title"].as_str().unwrap().to_lowercase();
            t.contains("video") && t.contains("generation")
        })
        .filter(|r| {
            !["2601.05966", "2601.09881", "2601.05239"]
                .iter()
                .any(|d| r["id"].as_str().unwrap().ends_with(d))
        })
        .collect();
    assert!(video.len() >= 3, "{}", video.len());
    let lower = video
        .iter()
        .filter(|r| {
            let id = r["id"].as_str().unwrap();
            at(&after, id).0 > at(&before, id).0
        })
        .count();
    assert!(
        lower * 2 > video.len(),
        "{lower} of {} went down",
        video.len()
    );
}

#[test]
fn top_unseen_hides_papers_marked_read_or_mailed() {
    let mut env = TestEnv::new();
    env.set_now("2026-01-21T12:00:00Z");
    env.ingest(&["hf-json/2026-01-19.json", "hf-json/2026-01-20.json"]);
    let top = |args: &[&str]| -> Vec<String> {
        let out = env
            .cmd(["top", "--since", "30d", "--format", "json"])
            .args(args)
            .run();
        out.success();
        ids(out.json().as_array().unwrap())
    };
    let all = top(&["-n", "8"]);
    assert_eq!(all.len(), 8);
    env.cmd(["mark", "--read", &all[0], &all[2]])
        .run()
        .success();
    env.delivered(&[&all[3]]);
    let unseen = top(&["-n", "5", "--unseen"]);
    let expected: Vec<String> = [1, 4, 5, 6, 7].iter().map(|i| all[*i].clone()).collect();
    assert_eq!(unseen, expected);
    assert_eq!(top(&["-n", "8"]), all, "without --unseen nothing is hidden");
}

//! The trends rules, each on a small corpus made for it.

use super::*;

/// A crude stemmer for tests: lowercase, a plural `s` dropped.
fn stem(w: &str) -> Option<String> {
    let w = w.to_lowercase();
    Some(match w.strip_suffix('s') {
        Some(s) if s.len() > 2 && !s.ends_with('s') => s.to_string(),
        _ => w,
    })
}

fn text(title: &str, body: &str) -> Text {
    Text {
        title: title.into(),
        body: body.into(),
    }
}

/// Profiles of every unit of `texts`, by lowercase surface.
fn profiles(texts: &[Text]) -> FxHashMap<String, Profile> {
    let mut s = stem;
    let c = Corpus::new(&mut s, &[texts]);
    c.splitter
        .words
        .iter()
        .map(|(w, info)| (w.clone(), c.profile(info.stem)))
        .collect()
}

#[test]
fn generic_words_are_told_from_names_by_their_profile() {
    let texts: Vec<Text> = (0..8)
        .map(|i| {
            text(
                &format!("Scaling GRPO for Qwen3 agents {i}"),
                "This dataset especially contains long videos. We train Qwen3 with GRPO \
                 and compare GRPO against PPO on them.",
            )
        })
        .collect();
    let p = profiles(&texts);
    for generic in ["especially", "contains"] {
        assert!(p[generic].generic(), "{generic}: {:?}", p[generic]);
        assert!(!p[generic].name_like(), "{generic}");
    }
    for name in ["grpo", "qwen3"] {
        assert!(!p[name].generic(), "{name}: {:?}", p[name]);
        assert!(p[name].name_like(), "{name}: {:?}", p[name]);
    }
    // Too few papers to judge: not called generic.
    let few = profiles(&texts[..3]);
    assert!(!few["especially"].generic());
}

#[test]
fn a_token_mostly_written_before_another_word_is_a_modifier_not_a_name() {
    let texts: Vec<Text> = (0..6)
        .map(|i| {
            text(
                &format!("Paper {i}"),
                "We build 3D scenes for AR models and 3D avatars. Unlike AR, our \
                 RAG pipeline retrieves documents; with RAG, answers are grounded, \
                 and we compare RAG to fine-tuning.",
            )
        })
        .collect();
    let p = profiles(&texts);
    // `3D` always precedes a noun; `AR` half the time; `RAG` once in three.
    assert!(!p["3d"].name_like(), "{:?}", p["3d"]);
    assert!(!p["ar"].name_like(), "{:?}", p["ar"]);
    assert!(p["rag"].name_like(), "{:?}", p["rag"]);
}

#[test]
fn phrase_guards_drop_counts_participles_and_adverbs() {
    let texts = [text(
        "T",
        "We use two-stage training and generated videos. Temporally coherent \
         world models help; models fine-tuned well.",
    )];
    let mut s = stem;
    let c = Corpus::new(&mut s, &[&texts]);
    let units = c.doc(0);
    let mut kept = Vec::new();
    for_each_gram(
        units,
        |_| true,
        |gram, start, end| {
            if gram_len(&gram) > 1 && c.termlike(&gram, &units[start], &units[end - 1]) {
                let words: Vec<&str> = gram_units(units, start, end)
                    .map(|u| c.splitter.surfaces.get(u.surface))
                    .collect();
                kept.push(words.join(" "));
            }
        },
    );
    assert!(kept.contains(&"world models".to_string()), "{kept:?}");
    for dropped in [
        "two-stage training",
        "generated videos",
        "temporally coherent",
        "models fine-tuned",
    ] {
        assert!(!kept.contains(&dropped.to_string()), "{dropped}: {kept:?}");
    }
}

#[test]
fn a_generic_head_after_a_ubiquitous_word_is_a_description() {
    let mut texts: Vec<Text> = (0..12)
        .map(|_| text("T", "The model weights of the model are released."))
        .collect();
    for t in &mut texts[..2] {
        t.body.push_str(" We probe the latent space of diffusion.");
    }
    for t in &mut texts[2..6] {
        t.body.push_str(" The search space grows.");
    }
    let mut s = stem;
    let c = Corpus::new(&mut s, &[&texts]);
    let termlike = |d: usize, phrase: &str| {
        let units = c.doc(d);
        let mut found = None;
        for_each_gram(
            units,
            |_| true,
            |gram, start, end| {
                let words: Vec<&str> = gram_units(units, start, end)
                    .map(|u| c.splitter.surfaces.get(u.surface))
                    .collect();
                if words.join(" ") == phrase {
                    found = Some(c.termlike(&gram, &units[start], &units[end - 1]));
                }
            },
        );
        found
    };
    // `weights` and `space` are generic; `model` is in every paper,
    // `latent` in two of twelve.
    assert_eq!(termlike(0, "model weights"), Some(false));
    assert_eq!(termlike(0, "latent space"), Some(true));
}

#[test]
fn model_sizes_are_not_topics() {
    assert!(is_model_size("7b") && is_model_size("70b") && is_model_size("10k"));
    assert!(is_model_size("1.5b"));
    assert!(!is_model_size("3d") && !is_model_size("b") && !is_model_size("qwen3"));
}

#[test]
fn a_decimal_point_stays_inside_a_versioned_name() {
    let texts = [text(
        "T",
        "We tune Qwen2.5 models by 2.5 points. GPT-4.1 agrees.",
    )];
    let mut s = stem;
    let c = Corpus::new(&mut s, &[&texts]);
    let words: Vec<(&str, bool)> = c
        .doc(0)
        .iter()
        .map(|u| (c.splitter.raws.get(u.raw), u.stop))
        .collect();
    assert!(words.contains(&("Qwen2.5", false)), "{words:?}");
    assert!(words.contains(&("GPT-4.1", false)), "{words:?}");
    assert!(words.contains(&("2.5", true)), "{words:?}");
    // Not a sentence end: `models` follows in mid-sentence.
    let models = c
        .doc(0)
        .iter()
        .find(|u| c.splitter.raws.get(u.raw) == "models");
    assert!(models.is_some_and(|u| u.mid), "{words:?}");
}

#[test]
fn a_phrase_runs_on_across_an_acronym_in_parentheses() {
    let texts = [text(
        "T",
        "Vision-Language-Action (VLA) models act. Other models (see below) fail.",
    )];
    let mut s = stem;
    let c = Corpus::new(&mut s, &[&texts]);
    let units = c.doc(0);
    let mut grams = Vec::new();
    for_each_gram(
        units,
        |_| true,
        |_, start, end| {
            let words: Vec<&str> = gram_units(units, start, end)
                .map(|u| c.splitter.raws.get(u.raw))
                .collect();
            grams.push(words.join(" "));
        },
    );
    for g in ["Vision-Language-Action models", "VLA models", "VLA"] {
        assert!(grams.contains(&g.to_string()), "{g}: {grams:?}");
    }
    // Only an acronym is passed over, not any parenthesis.
    assert!(!grams.contains(&"Vision-Language-Action VLA".to_string()));
    assert!(!grams.iter().any(|g| g.starts_with("Other models see")));
}

#[test]
fn a_phrase_inside_a_longer_capitalised_name_takes_its_own_spelling() {
    let texts = [text(
        "T",
        "Group Relative Policy Optimization helps. Like Proximal Policy \
         Optimization, or Named Policy Optimization, it is a kind of policy \
         optimization.",
    )];
    let mut s = stem;
    let c = Corpus::new(&mut s, &[&texts]);
    let key = |w: &str| c.splitter.keys.ids.get(w).copied().unwrap_or(NONE);
    let gram = [key("policy"), key("optimization"), NONE];
    let pool = [Cand {
        gram,
        w: 1,
        b: 0,
        h: 0,
        score: 1.0,
        expected: 0.0,
    }];
    let seen = window_sets_and_spellings(&c, &pool, 1);
    assert_eq!(
        spelling(&c.splitter.raws, &seen.spellings[0], "x"),
        "policy optimization"
    );
    assert_eq!(seen.titles[0], (0, 1));
}

#[test]
fn spelling_prefers_mid_sentence_and_drops_title_capitals() {
    let mut raws = Interner::default();
    let g = |raws: &mut Interner, words: &[&str]| {
        let mut gram = [NONE; 3];
        for (slot, w) in gram.iter_mut().zip(words) {
            *slot = raws.id(w);
        }
        gram
    };
    let mut seen = Spellings::default();
    seen.insert(g(&mut raws, &["World", "Models"]), (0, 9));
    seen.insert(g(&mut raws, &["world", "models"]), (3, 3));
    seen.insert(g(&mut raws, &["world", "model"]), (2, 2));
    assert_eq!(spelling(&raws, &seen, "x"), "world models");
    let mut titles = Spellings::default();
    titles.insert(g(&mut raws, &["Scaling", "GRPO"]), (0, 4));
    assert_eq!(spelling(&raws, &titles, "x"), "scaling GRPO");
    assert_eq!(
        spelling(&raws, &Spellings::default(), "fallback"),
        "fallback"
    );
}

#[test]
fn rising_finds_a_new_named_phrase_and_skips_filler() {
    let old = "We study image classification with convolutional networks. The \
               method especially contains several parts.";
    let new = "We study world models for robots. World models especially contain \
               rich dynamics; we train GRPO agents.";
    let baseline: Vec<Text> = (0..40).map(|_| text("Image classification", old)).collect();
    let window: Vec<Text> = (0..10)
        .map(|_| text("World models for robots", new))
        .collect();
    let sample = Sample {
        window: &window,
        window_docs: 10,
        baseline: &baseline,
        baseline_docs: 40,
        history: &[],
        history_docs: 0,
    };
    let found = rising(sample, 3, 10, &mut stem);
    assert!(!found.thin);
    let names: Vec<&str> = found.topics.iter().map(|t| t.phrase.as_str()).collect();
    assert_eq!(names.first(), Some(&"world models"), "{names:?}");
    // "GRPO agents" is in the very same papers: one topic, not two.
    assert_eq!(names.len(), 1, "{names:?}");
    for filler in ["especially", "contain", "rich", "study"] {
        assert!(!names.contains(&filler), "{filler} in {names:?}");
    }
    // Sub-phrases of a topic taken are not listed again.
    assert!(!names.contains(&"world"), "{names:?}");
    // No baseline to speak of: said, and nothing inflated.
    let thin = Sample {
        baseline: &baseline[..5],
        baseline_docs: 5,
        ..sample
    };
    let found_thin = rising(thin, 3, 10, &mut stem);
    assert!(found_thin.thin);
    let top = |f: &Found| f.topics.first().map_or(0.0, |t| t.score);
    assert!(
        top(&found_thin) <= top(&found),
        "{found_thin:?} vs {found:?}"
    );
}

#[test]
fn a_phrase_in_more_titles_than_abstracts_is_a_label_not_a_topic() {
    let baseline: Vec<Text> = (0..40)
        .map(|_| text("Image classification", "We study image classification."))
        .collect();
    let window: Vec<Text> = (0..12)
        .map(|i| {
            let body = if i % 2 == 0 {
                "World models help robots, and world models act."
            } else {
                "We study world models; world models plan."
            };
            text(&format!("Model{i} Technical Report"), body)
        })
        .chain([
            text("World Models Are Planners", "World models plan."),
            text("Driving with World Models", "World models drive."),
        ])
        .collect();
    let sample = Sample {
        window: &window,
        window_docs: 14,
        baseline: &baseline,
        baseline_docs: 40,
        history: &[],
        history_docs: 0,
    };
    let found = rising(sample, 3, 10, &mut stem);
    let names: Vec<&str> = found.topics.iter().map(|t| t.phrase.as_str()).collect();
    assert!(names.contains(&"world models"), "{names:?}");
    assert!(!names.contains(&"technical report"), "{names:?}");
}

#[test]
fn a_phrase_one_title_coined_is_a_description_two_titles_make_a_name() {
    let baseline: Vec<Text> = (0..40)
        .map(|_| text("Image classification", "We study image classification."))
        .collect();
    let mut window: Vec<Text> = (0..8)
        .map(|_| {
            text(
                "A study of video models",
                "High-quality videos need sparse attention; sparse attention helps.",
            )
        })
        .collect();
    window.push(text(
        "Sparse Attention for High-Quality Videos",
        "High-quality videos, sparse attention.",
    ));
    let names = |w: &[Text]| -> Vec<String> {
        let sample = Sample {
            window: w,
            window_docs: w.len(),
            baseline: &baseline,
            baseline_docs: 40,
            history: &[],
            history_docs: 0,
        };
        rising(sample, 3, 10, &mut stem)
            .topics
            .into_iter()
            .map(|t| t.phrase)
            .collect()
    };
    let one = names(&window);
    assert!(!one.iter().any(|n| n == "sparse attention"), "{one:?}");
    assert!(!one.iter().any(|n| n == "high-quality videos"), "{one:?}");
    window.push(text(
        "Sparse Attention at Scale",
        "Sparse attention scales.",
    ));
    let two = names(&window);
    assert!(two.iter().any(|n| n == "sparse attention"), "{two:?}");
    assert!(!two.iter().any(|n| n == "high-quality videos"), "{two:?}");
}

#[test]
fn rise_score_and_shrinkage_order_as_documented() {
    let p = |b: f64, big_b: f64| baseline_rate(b, big_b, 0.0, 0.0);
    let rise = |w: f64, big_w: f64, b: f64, big_b: f64| rise_score(w, big_w, p(b, big_b), b + 1.0);
    // Unseen in the baseline beats common there.
    assert!(rise(5.0, 50.0, 0.0, 500.0) > rise(5.0, 50.0, 50.0, 500.0));
    // As common before as now: not rising, however frequent.
    assert_eq!(rise(10.0, 100.0, 100.0, 1000.0), 0.0);
    assert_eq!(
        rise(67.0, 151.0, 500.0, 1100.0),
        0.0,
        "language models, x1.0"
    );
    // A share that grew 1.2 times is not a rise a reader notices.
    assert_eq!(rise(24.0, 100.0, 200.0, 1000.0), 0.0);
    // Volume alone does not carry a topic: a sure small rise of a
    // frequent topic ranks below a sharp rise of a smaller one.
    assert!(rise(9.0, 100.0, 24.0, 800.0) > rise(40.0, 100.0, 200.0, 800.0));
    // More papers make the same lift surer.
    assert!(rise(12.0, 100.0, 24.0, 800.0) > rise(6.0, 100.0, 12.0, 800.0));
    // A thin baseline is topped up at the long-run rate.
    let thin = baseline_rate(0.0, 20.0, 380.0, 0.5);
    assert!((thin - (0.0 + 190.0 + 1.0) / 401.0).abs() < 1e-9);
    // "90 papers against 0" of a 20-paper baseline, for a topic the
    // long run has in half the papers, is barely rising.
    assert!(rise_score(90.0, 100.0, p(0.0, 20.0), 1.0) > 3.0);
    assert!(rise_score(90.0, 100.0, thin, 191.0) < 2.0);
}

/// `n` baseline papers about image classification, with `vla` of them
/// on VLA models too.
fn flat_baseline(n: usize) -> Vec<Text> {
    (0..n)
        .map(|i| {
            text(
                &format!("Image Classification {i}"),
                "We study image classification with language models and reinforcement learning.",
            )
        })
        .collect()
}

#[test]
fn a_frequent_topic_whose_share_did_not_change_is_not_rising() {
    let baseline = flat_baseline(80);
    let window: Vec<Text> = (0..20)
        .map(|i| {
            let body = if i < 8 {
                "Camera control for video diffusion, with language models."
            } else {
                "We study image classification with language models and reinforcement \
                 learning."
            };
            let title = if i < 4 {
                "Camera Control at Scale"
            } else {
                "A Study"
            };
            text(title, body)
        })
        .collect();
    let sample = Sample {
        window: &window,
        window_docs: 20,
        baseline: &baseline,
        baseline_docs: 80,
        history: &[],
        history_docs: 0,
    };
    let found = rising(sample, 3, 10, &mut stem);
    let names: Vec<&str> = found.topics.iter().map(|t| t.phrase.as_str()).collect();
    assert_eq!(names.first(), Some(&"camera control"), "{names:?}");
    // In every paper before and now: frequent, and flat.
    assert!(!names.contains(&"language models"), "{names:?}");
    assert!(!names.contains(&"reinforcement learning"), "{names:?}");
    let t = &found.topics[0];
    assert_eq!((t.window_count, t.baseline_count), (8, 0));
    assert!(t.expected < 0.5, "{t:?}");
    assert_eq!(
        t.examples.first().map(String::as_str),
        Some("Camera Control at Scale")
    );
}

#[test]
fn an_acronym_and_its_expansion_are_one_topic_and_fragments_are_not_topics() {
    let baseline = flat_baseline(80);
    let window: Vec<Text> = (0..20)
        .map(|i| match i % 4 {
            0 => text(
                "VLA Models for Robots",
                "Vision-Language-Action (VLA) models act. We train VLA models with Group \
                 Relative Policy Optimization (GRPO).",
            ),
            1 => text(
                "Scaling Vision-Language-Action Models",
                "Vision-Language-Action models act; VLA models plan with Group Relative \
                 Policy Optimization.",
            ),
            2 => text(
                "GRPO for Everyone",
                "We study Group Relative Policy Optimization (GRPO) for agents.",
            ),
            _ => text(
                "GRPO Again",
                "Group Relative Policy Optimization (GRPO) trains language models.",
            ),
        })
        .collect();
    let sample = Sample {
        window: &window,
        window_docs: 20,
        baseline: &baseline,
        baseline_docs: 80,
        history: &[],
        history_docs: 0,
    };
    let found = rising(sample, 3, 10, &mut stem);
    let labels: Vec<String> = found.topics.iter().map(Topic::label).collect();
    let vla: Vec<&String> = labels.iter().filter(|l| l.contains("VLA")).collect();
    assert_eq!(vla.len(), 1, "one line for VLA models: {labels:?}");
    assert!(
        vla[0] == "VLA (Vision-Language-Action) models"
            || vla[0] == "Vision-Language-Action models (VLA models)",
        "{labels:?}"
    );
    assert!(
        !labels.iter().any(|l| l.starts_with("Group Relative")
            || l.starts_with("Relative Policy")
            || l.starts_with("Policy Optimization")),
        "a fragment of a longer name is not a topic: {labels:?}"
    );
    assert!(labels.iter().any(|l| l.starts_with("GRPO")), "{labels:?}");
}

#[test]
fn a_keyword_learns_the_acronyms_papers_define_for_it_and_its_neighbours() {
    let about: Vec<Text> = (0..32)
        .map(|i| {
            let title = if i < 8 {
                format!("Omni-Modal Agents {i}")
            } else {
                format!("Multimodal Reasoning {i}")
            };
            text(
                &title,
                if i % 2 == 0 {
                    "Multimodal Large Language Models (MLLMs) see. Omni-modal agents hear."
                } else {
                    "MLLMs and omni-modal agents reason over images."
                },
            )
        })
        .collect();
    let others = flat_baseline(60);
    let (about, others): (Vec<&Text>, Vec<&Text>) =
        (about.iter().collect(), others.iter().collect());
    let learned = learn("multimodal", &about, &others, 4, &mut stem);
    let aliases: Vec<&str> = learned.aliases.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(aliases, ["MLLMs"]);
    let neighbours: Vec<&str> = learned.neighbours.iter().map(|a| a.0.as_str()).collect();
    assert!(neighbours.contains(&"omni-modal agents"), "{neighbours:?}");
    assert!(
        !neighbours
            .iter()
            .any(|n| n.to_lowercase().contains("multimodal")),
        "a term holding the keyword matches already: {neighbours:?}"
    );
    assert!(
        !neighbours.contains(&"MLLMs"),
        "an alias is not also a neighbour: {neighbours:?}"
    );
}

#[test]
fn jaccard_and_containment() {
    assert!((jaccard(&[1, 2, 3], &[2, 3, 4]) - 0.5).abs() < 1e-9);
    assert_eq!(jaccard(&[], &[]), 0.0);
    assert!(contains(&[1, 2, 3], &[2, 3, NONE]));
    assert!(!contains(&[1, 2, NONE], &[2, 1, NONE]));
}

use super::*;
use crate::config::{Interests, RankConfig};

fn cfg() -> RankConfig {
    RankConfig::default()
}

#[test]
fn freshness_halves_every_half_life_and_clamps_the_future() {
    let cases = [
        (0.0, 7.0, 1.0),
        (7.0, 7.0, 0.5),
        (14.0, 7.0, 0.25),
        (3.5, 7.0, std::f32::consts::FRAC_1_SQRT_2),
        (-3.0, 7.0, 1.0), // dated in the future: age 0
        (1.0, 0.0, 1.0),  // no half-life: no decay
    ];
    for (age, half, want) in cases {
        let got = freshness(age, half);
        assert!(
            (got - want).abs() < 1e-6,
            "age {age}, half-life {half}: {got}"
        );
    }
}

#[test]
fn popularity_is_log_scaled_with_a_code_lift() {
    let c = cfg();
    let p = |upvotes, has_code| {
        popularity(
            Counts {
                upvotes,
                has_code,
                ..Counts::default()
            },
            &c,
        )
    };
    assert_eq!(p(0, false), 0.0);
    assert!((p(0, true) - 0.5).abs() < 1e-6);
    assert!((p(100, false) - 101f32.ln()).abs() < 1e-5);
    // Ten times the upvotes is far less than ten times the popularity.
    assert!(p(1000, false) < 2.0 * p(100, false));
    assert!(p(101, false) > p(100, false));
    let all = popularity(
        Counts {
            upvotes: 9,
            comments: 3,
            stars: 99,
            has_code: true,
            ..Counts::default()
        },
        &c,
    );
    let want = 10f32.ln() + 0.5 * 4f32.ln() + 0.3 * 100f32.ln() + 0.5;
    assert!((all - want).abs() < 1e-5, "{all} vs {want}");
}

fn interests() -> Interests {
    let mut i = Interests::default();
    i.keywords.insert("\"in-context learning\"".into(), 3.0);
    i.keywords.insert("retrieval".into(), 2.0);
    i.negative.insert("survey".into(), 1.0);
    i.exclude.push("\"quantum chemistry\"".into());
    i.categories.push("cs.CL".into());
    i
}

#[test]
fn plan_weighs_title_above_abstract_and_negatives_below_zero() {
    let rising = [
        Topic {
            phrase: "vision transformers".into(),
            window_count: 8,
            baseline_count: 0,
            score: 4.0,
            ..Topic::default()
        },
        Topic {
            phrase: "agents".into(),
            window_count: 5,
            baseline_count: 1,
            score: 2.0,
            ..Topic::default()
        },
    ];
    let plan = Plan::new(&interests(), &cfg(), &rising);
    let w = |label: &str, target: Target| {
        plan.clauses
            .iter()
            .find(|c| c.label == label && c.target == target)
            .map(|c| c.weight)
    };
    assert_eq!(w("in-context learning", Target::Title), Some(6.0));
    assert_eq!(w("in-context learning", Target::Abstract), Some(3.0));
    assert_eq!(w("survey", Target::Title), Some(-2.0));
    assert_eq!(w("survey", Target::Abstract), Some(-1.0));
    assert_eq!(w("cs.CL", Target::Category), Some(1.0));
    assert_eq!(w("vision transformers", Target::Text), Some(1.0));
    assert_eq!(w("agents", Target::Text), Some(0.5));
    assert_eq!(plan.excludes, vec!["quantum chemistry".to_string()]);
    // No momentum clauses when the weight is 0.
    let quiet = RankConfig {
        momentum_weight: 0.0,
        ..cfg()
    };
    let plan = Plan::new(&interests(), &quiet, &rising);
    assert!(plan.clauses.iter().all(|c| c.kind != ClauseKind::Momentum));
}

#[test]
fn parts_sum_to_the_total() {
    // With profile clauses (from a like and a dislike) and a velocity.
    let profile = [("speech".to_string(), 0.6), ("agent".to_string(), -0.3)];
    let plan = Plan::new(&interests(), &cfg(), &[]).with_profile(&profile, &cfg());
    assert_eq!(
        plan.clauses
            .iter()
            .filter(|c| c.kind == ClauseKind::Profile)
            .map(|c| c.weight)
            .collect::<Vec<_>>(),
        [0.6 * cfg().profile_weight, -0.3 * cfg().profile_weight]
    );
    let counts = Counts {
        upvotes: 42,
        comments: 2,
        stars: 0,
        has_code: true,
        ..Counts::default()
    };
    let velocity = crate::velocity::Velocity {
        per_day: 10.0,
        delta_24h: 12,
        since: jiff::Timestamp::UNIX_EPOCH,
    };
    let cases: Vec<Vec<bool>> = vec![
        vec![false; plan.clauses.len()],
        vec![true; plan.clauses.len()],
        (0..plan.clauses.len()).map(|i| i % 2 == 0).collect(),
    ];
    for matched in cases {
        for fresh in [1.0, 0.5, 0.01] {
            let s = score(&plan, &matched, counts, fresh, Some(&velocity), &cfg());
            let sum: f32 = s.parts.iter().map(|p| p.points).sum();
            assert!((sum - s.total).abs() < 1e-4, "{s:?}");
            let additive: f32 = s
                .parts
                .iter()
                .filter(|p| p.name != PartName::Freshness)
                .map(|p| p.value)
                .sum();
            assert!((additive * fresh - s.total).abs() < 1e-4);
            let names: Vec<&str> = s.parts.iter().map(|p| p.name.as_str()).collect();
            assert_eq!(
                names,
                [
                    "interest",
                    "negative",
                    "follow",
                    "profile",
                    "momentum",
                    "popularity",
                    "velocity",
                    "freshness"
                ]
            );
            let v = s.part(PartName::Velocity).map_or(0.0, |p| p.value);
            assert!((v - cfg().velocity_weight * velocity.log_scaled()).abs() < 1e-6);
            // The collector's formula agrees with the parts, velocity aside
            // (it is added to the loaded candidates).
            let clause_sum: f32 = plan
                .clauses
                .iter()
                .zip(&matched)
                .filter(|(_, m)| **m)
                .map(|(c, _)| c.weight)
                .sum();
            let fast = total(clause_sum, popularity(counts, &cfg()), fresh);
            assert!((fast + v * fresh - s.total).abs() < 1e-4);
        }
    }
}

#[test]
fn why_line_names_matches_counts_and_rising_topics() {
    let rising = [Topic {
        phrase: "vision transformers".into(),
        window_count: 8,
        baseline_count: 0,
        score: 4.0,
        ..Topic::default()
    }];
    let plan = Plan::new(&interests(), &cfg(), &rising);
    let matched: Vec<bool> = plan
        .clauses
        .iter()
        .map(|c| {
            (c.label == "in-context learning" && c.target == Target::Title)
                || (c.label == "retrieval" && c.target == Target::Abstract)
                || c.kind == ClauseKind::Momentum
        })
        .collect();
    let counts = Counts {
        upvotes: 42,
        has_code: true,
        ..Counts::default()
    };
    let s = score(&plan, &matched, counts, 1.0, None, &cfg());
    assert_eq!(
        why_line(&s, counts),
        "matches \"in-context learning\" (title), \"retrieval\" (abstract) · 42 upvotes · code \
         · rising: \"vision transformers\""
    );
    assert_eq!(matched_terms(&s), ["in-context learning", "retrieval"]);
    // A term found in two fields is named once, with both fields.
    let both: Vec<bool> = plan
        .clauses
        .iter()
        .map(|c| c.label == "retrieval" && c.kind == ClauseKind::Interest)
        .collect();
    let one = Counts {
        upvotes: 1,
        ..Counts::default()
    };
    assert_eq!(
        why_line(&score(&plan, &both, one, 1.0, None, &cfg()), one),
        "matches \"retrieval\" (title, abstract) · 1 upvote"
    );
    let none = score(
        &plan,
        &vec![false; plan.clauses.len()],
        Counts::default(),
        1.0,
        None,
        &cfg(),
    );
    assert_eq!(
        why_line(&none, Counts::default()),
        "no interest match; ranked by freshness"
    );
}

#[test]
fn stars_count_only_for_the_papers_own_repository() {
    // The 1-upvote paper of #25 ranked on a monorepo's 929 stars.
    let paper = |url: &str| Paper {
        github_stars: Some(929),
        code_url: Some(url.into()),
        ..Paper::default()
    };
    let sub = Counts::of(&paper(
        "https://github.com/huawei-noah/noah-research/tree/master/QuantWM",
    ));
    assert_eq!((sub.stars, sub.stars_not_own, sub.has_code), (0, 929, true));
    let own = Counts::of(&paper("https://github.com/QwenLM/Qwen-Image-Layered"));
    assert_eq!((own.stars, own.stars_not_own), (929, 0));
    assert!(!own_repository(
        "https://github.com/a/b/blob/main/README.md"
    ));
    assert!(!own_repository("https://gitlab.com/g/sub/p/-/tree/main/x"));
    assert!(own_repository("https://gitlab.com/g/sub/p"));
    let s = score(&Plan::default(), &[], sub, 1.0, None, &cfg());
    let detail = &s.part(PartName::Popularity).expect("popularity").detail;
    assert!(
        detail
            .iter()
            .any(|d| d.starts_with("929 GitHub stars not counted")),
        "{detail:?}"
    );
    assert_eq!(why_line(&s, sub), "code");
}

#[test]
fn a_rising_topic_is_a_reason_only_when_the_paper_is_about_it() {
    let paper = |title: &str, abstract_text: &str| Paper {
        title: title.into(),
        abstract_text: abstract_text.into(),
        ..Paper::default()
    };
    let passing = paper("A Benchmark", "Unlike LLMs, our agent plans.");
    assert!(!is_about(&passing, "LLMs"));
    assert!(is_about(
        &paper("World Models for Robots", ""),
        "world models"
    ));
    assert!(is_about(&paper("A World Model", ""), "world models"));
    assert!(is_about(&paper("X", "LLMs fail. We fix LLMs."), "LLMs"));
    // Not inside another word: "MLLMs" is not "LLMs".
    assert!(!is_about(
        &paper("MLLMs at scale", "MLLMs and MLLMs"),
        "LLMs"
    ));
    let mut s = Score::default();
    s.matches.push(Match {
        part: PartName::Momentum,
        term: "LLMs".into(),
        via: None,
        field: "text".into(),
        weight: 0.5,
    });
    assert_eq!(
        why_line_for(&s, &passing),
        "no interest match; ranked by freshness"
    );
    assert_eq!(why_line_for(&s, &paper("LLMs", "")), "rising: \"LLMs\"");
}

#[test]
fn news_is_visible_shortly_before_it_could_be_seen() {
    let t = |s: &str| s.parse::<Timestamp>().ok();
    let h = jiff::SignedDuration::from_hours(24 * 8);
    // First digest: a paper first seen a day after it was listed is news; an
    // import of a paper of 2007 is not.
    assert!(Window::news(
        None,
        t("2026-01-20T07:00:00Z"),
        t("2026-01-19T00:00:00Z"),
        h
    ));
    assert!(!Window::news(
        None,
        t("2026-01-20T07:00:00Z"),
        t("2007-04-02T19:18:42Z"),
        h
    ));
    // After a digest, a paper first seen later is news when visible at most
    // the horizon before that digest (days the reader missed count).
    let w = t("2026-01-01T07:00:00Z");
    assert!(Window::news(
        w,
        t("2026-01-20T07:00:00Z"),
        t("2026-01-05T00:00:00Z"),
        h
    ));
    assert!(Window::news(
        w,
        t("2026-01-20T07:00:00Z"),
        t("2025-12-25T00:00:00Z"),
        h
    ));
    assert!(!Window::news(
        w,
        t("2026-01-20T07:00:00Z"),
        t("2025-12-20T00:00:00Z"),
        h
    ));
    // Without a visible date it is not news; without any sighting it is.
    assert!(!Window::news(w, t("2026-01-20T07:00:00Z"), None, h));
    assert!(Window::news(None, None, t("2000-01-01T00:00:00Z"), h));
}

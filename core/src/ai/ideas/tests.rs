use super::*;
use crate::outline::OutlineSection;
use crate::planner::KeywordIntent;
use std::collections::HashSet;

fn kw(keyword: &str, volume: i64, intent: Option<KeywordIntent>) -> KeywordIn {
    KeywordIn {
        id: keyword.into(),
        keyword: keyword.into(),
        volume: Some(volume),
        intent,
    }
}

fn ctx(keywords: Vec<KeywordIn>) -> IdeaContext {
    IdeaContext {
        cluster_name: "Running Shoes".into(),
        cluster_description: "Shoes for runners.".into(),
        keywords,
        sector: "Fitness".into(),
        site: "Stride Lab".into(),
        tone: None,
        language: None,
        avoid: vec![],
    }
}

fn running() -> Vec<KeywordIn> {
    use KeywordIntent::*;
    vec![
        kw("best running shoes for beginners", 40500, Some(Commercial)),
        kw("running shoes for flat feet", 22200, Some(Commercial)),
        kw("nike pegasus vs hoka clifton", 2900, Some(Commercial)),
        kw("trail running shoes women", 14800, Some(Commercial)),
        kw(
            "how often to replace running shoes",
            6600,
            Some(Informational),
        ),
        kw("running shoes sale near me", 4400, Some(Transactional)),
        kw("how to choose running shoes", 5400, Some(Informational)),
        kw("wide toe box running shoes", 8100, Some(Commercial)),
    ]
}

/// Every bound the jobs crate relies on.
fn check(out: &IdeasOutput, cluster: &[KeywordIn]) {
    assert!(
        (MIN_IDEAS..=MAX_IDEAS).contains(&out.ideas.len()),
        "{}",
        out.ideas.len()
    );
    let keys: HashSet<String> = cluster.iter().map(|k| keyword_key(&k.keyword)).collect();
    let mut titles = HashSet::new();
    for idea in &out.ideas {
        assert!(
            titles.insert(idea.title.to_lowercase()),
            "duplicate {}",
            idea.title
        );
        assert!(!idea.title.is_empty() && idea.title.chars().count() <= 200);
        assert!(!idea.description.is_empty());
        let n = idea.outline.sections.len();
        assert!(
            (MIN_SECTIONS..=MAX_SECTIONS).contains(&n),
            "{}: {n}",
            idea.title
        );
        assert_eq!(idea.outline.clone().validate().unwrap(), idea.outline);
        assert!(
            idea.outline.sections.iter().any(|s| s.level == 3),
            "{}",
            idea.title
        );
        assert_eq!(idea.outline.sections[0].level, 2);
        for s in &idea.outline.sections {
            assert!(s.target_keywords.len() <= 3);
            assert!(!s.notes.is_empty());
            if !keys.is_empty() {
                for k in &s.target_keywords {
                    assert!(keys.contains(&keyword_key(k)), "{k} not in cluster");
                }
            }
        }
        assert!(!idea.target_keywords.is_empty());
        assert!((MIN_WORDS..=MAX_WORDS).contains(&idea.estimated_word_count));
        assert_eq!(
            idea.estimated_word_count,
            estimate_words(&idea.outline, idea.content_structure)
        );
    }
}

#[test]
fn commercial_clusters_get_comparisons_and_lists() {
    let input = ctx(running());
    let out = generate_ideas(&input);
    check(&out, &input.keywords);
    let structures: Vec<ContentStructure> = out.ideas.iter().map(|i| i.content_structure).collect();
    assert_eq!(structures[0], ContentStructure::Listicle);
    assert!(structures.contains(&ContentStructure::Comparison));
    assert!(structures.contains(&ContentStructure::Guide));
    let versus = out
        .ideas
        .iter()
        .find(|i| i.content_structure == ContentStructure::Comparison)
        .unwrap();
    assert_eq!(
        versus.title,
        "Nike Pegasus vs Hoka Clifton: Which Is Better?"
    );
    assert_eq!(versus.target_keywords[0], "nike pegasus vs hoka clifton");
    let best = &out.ideas[0];
    assert_eq!(
        best.title,
        "The Best Running Shoes Options: Top Picks Compared"
    );
    assert_eq!(best.target_keywords[0], "best running shoes for beginners");
    // Keywords become specific headings.
    assert!(
        best.outline
            .sections
            .iter()
            .any(|s| s.heading == "Running Shoes for Flat Feet")
    );
}

#[test]
fn intents_shape_the_ideas() {
    use KeywordIntent::*;
    let informational = ctx(vec![
        kw("how to make a sourdough starter", 100, Some(Informational)),
        kw("sourdough bread recipe", 90, Some(Informational)),
        kw("why is my sourdough dense", 80, Some(Informational)),
    ]);
    let out = generate_ideas(&informational);
    check(&out, &informational.keywords);
    assert_eq!(out.ideas.len(), 3);
    assert_eq!(out.ideas[0].content_structure, ContentStructure::Guide);
    assert_eq!(out.ideas[1].content_structure, ContentStructure::HowTo);
    assert_eq!(
        out.ideas[1].title,
        "How to Make a Sourdough Starter: Step by Step"
    );

    let transactional = ctx(vec![
        kw("solar panel installers near me", 100, Some(Transactional)),
        kw("solar installation quote", 90, Some(Transactional)),
        kw("solar panel installation cost", 80, Some(Transactional)),
    ]);
    let out = generate_ideas(&transactional);
    check(&out, &transactional.keywords);
    assert_eq!(out.ideas[0].content_type, ContentType::Service);
    assert!(out.ideas[0].title.contains("How to Book"));

    let navigational = ctx(vec![
        kw("nike running app", 100, Some(Navigational)),
        kw("nike run club login", 50, Some(Navigational)),
        kw("best running app", 40, Some(Commercial)),
    ]);
    let out = generate_ideas(&navigational);
    check(&out, &navigational.keywords);
    assert_eq!(out.ideas[0].content_structure, ContentStructure::ClusterHub);
    assert_eq!(out.ideas[0].content_type, ContentType::Page);
}

#[test]
fn missing_intents_are_guessed_and_empty_clusters_still_work() {
    let guessed = ctx(vec![
        kw("running shoes near me", 10, None),
        kw("buy running shoes", 10, None),
        kw("running shoe store", 10, None),
    ]);
    let out = generate_ideas(&guessed);
    check(&out, &guessed.keywords);
    assert_eq!(out.ideas[0].content_type, ContentType::Product);

    let mut empty = ctx(vec![]);
    let out = generate_ideas(&empty);
    check(&out, &[]);
    assert_eq!(out.ideas[0].target_keywords, vec!["Running Shoes"]);

    empty.cluster_name = "   ".into();
    empty.sector = String::new();
    let out = generate_ideas(&empty);
    check(&out, &[]);
    assert!(out.ideas[0].title.contains("Getting Started"));

    // Bad keyword text is skipped, not fatal.
    let bad = ctx(vec![
        kw("   ", 5, None),
        kw(&"x".repeat(300), 5, None),
        kw("ok shoes", 1, None),
    ]);
    let out = generate_ideas(&bad);
    check(&out, &bad.keywords);
}

#[test]
fn language_and_tone_change_the_wording() {
    let mut input = ctx(running());
    let en = generate_ideas(&input);
    input.language = Some("es".into());
    let es = generate_ideas(&input);
    check(&es, &input.keywords);
    assert_eq!(
        es.ideas[0].title,
        "Las mejores opciones de Running Shoes: comparativa"
    );
    assert!(es.ideas.iter().any(|i| {
        i.outline
            .sections
            .iter()
            .any(|s| s.heading == "Preguntas frecuentes")
    }));
    input.language = Some("de".into());
    let de = generate_ideas(&input);
    assert!(de.ideas.iter().any(|i| i.title.contains("Vergleich")));
    input.language = Some("fr".into());
    let fr = generate_ideas(&input);
    assert!(fr.ideas[0].title.starts_with("Les meilleures"));
    // Same plans in every language.
    let shape = |o: &IdeasOutput| {
        o.ideas
            .iter()
            .map(|i| (i.content_structure, i.outline.sections.len()))
            .collect::<Vec<_>>()
    };
    assert_eq!(shape(&en), shape(&es));

    input.language = None;
    input.tone = Some("friendly".into());
    let friendly = generate_ideas(&input);
    assert_ne!(friendly.ideas[0].description, en.ideas[0].description);
    assert!(friendly.ideas[0].description.contains("friendly"));
    input.tone = Some("authoritative".into());
    let expert = generate_ideas(&input);
    assert!(expert.ideas[0].description.contains("definitive"));
    input.tone = Some("whimsical".into());
    assert_eq!(generate_ideas(&input), en);
}

#[test]
fn ideas_are_deterministic_and_round_trip() {
    let input = ctx(running());
    let a = generate_ideas(&input);
    assert_eq!(generate_ideas(&input), a);
    let mut reversed = input.clone();
    reversed.keywords.reverse();
    assert_eq!(generate_ideas(&reversed), a);
    let json = serde_json::to_string(&a).unwrap();
    assert_eq!(serde_json::from_str::<IdeasOutput>(&json).unwrap(), a);
}

#[test]
fn word_estimates_follow_the_outline() {
    let section = |level| OutlineSection {
        heading: "h".into(),
        level,
        notes: String::new(),
        target_keywords: vec![],
    };
    let small = Outline {
        sections: vec![section(2); 4],
    };
    let big = Outline {
        sections: [vec![section(2); 5], vec![section(3); 4]].concat(),
    };
    let s = estimate_words(&small, ContentStructure::Listicle);
    let b = estimate_words(&big, ContentStructure::Listicle);
    assert!(s < b && s >= MIN_WORDS && b <= MAX_WORDS, "{s} {b}");
    assert_eq!(
        estimate_words(
            &Outline {
                sections: vec![section(2); 50]
            },
            ContentStructure::Guide
        ),
        MAX_WORDS
    );
}

#[test]
fn asked_for_more_the_ideas_have_new_titles() {
    let c = ctx(vec![
        KeywordIn {
            id: "1".into(),
            keyword: "cold brew ratio".into(),
            volume: Some(800),
            intent: None,
        },
        KeywordIn {
            id: "2".into(),
            keyword: "cold brew coffee maker".into(),
            volume: Some(600),
            intent: None,
        },
        KeywordIn {
            id: "3".into(),
            keyword: "how to make cold brew".into(),
            volume: Some(900),
            intent: None,
        },
    ]);
    let first = generate_ideas(&c);
    let again = generate_ideas(&c);
    assert_eq!(first, again, "the same request, the same ideas");
    let titles: Vec<String> = first.ideas.iter().map(|i| i.title.clone()).collect();
    let more = generate_ideas(&IdeaContext {
        avoid: titles.clone(),
        ..c
    });
    assert!(!more.ideas.is_empty());
    let old: Vec<String> = titles
        .iter()
        .map(|t| crate::planner::idea_title_key(t))
        .collect();
    for i in &more.ideas {
        assert!(
            !old.contains(&crate::planner::idea_title_key(&i.title)),
            "{} repeats",
            i.title
        );
    }
}

use super::*;
use crate::ai::cluster::KeywordIn;
use crate::ai::ideas::{IdeaContext, IdeaOut, generate_ideas};
use crate::html::sanitize_html;
use crate::outline::OutlineSection;
use crate::planner::KeywordIntent;

fn idea_context(language: Option<&str>, tone: Option<&str>) -> IdeaContext {
    use KeywordIntent::*;
    let k = |s: &str, v: i64, i| KeywordIn {
        id: s.into(),
        keyword: s.into(),
        volume: Some(v),
        intent: Some(i),
    };
    IdeaContext {
        cluster_name: "Running Shoes".into(),
        cluster_description: String::new(),
        keywords: vec![
            k("best running shoes for beginners", 40500, Commercial),
            k("running shoes for flat feet", 22200, Commercial),
            k("nike pegasus vs hoka clifton", 2900, Commercial),
            k("trail running shoes women", 14800, Commercial),
            k("how often to replace running shoes", 6600, Informational),
            k("running shoes sale near me", 4400, Transactional),
            k("how to choose running shoes", 5400, Informational),
            k("wide toe box running shoes", 8100, Commercial),
            k("running shoes store", 900, Transactional),
            k("nike running app", 700, Navigational),
        ],
        sector: "Fitness".into(),
        site: "Stride Lab".into(),
        tone: tone.map(Into::into),
        language: language.map(Into::into),
        avoid: vec![],
    }
}

fn article_context(idea: &IdeaOut, language: Option<&str>, tone: Option<&str>) -> ArticleContext {
    ArticleContext {
        title: idea.title.clone(),
        description: idea.description.clone(),
        outline: idea.outline.clone(),
        target_keywords: idea.target_keywords.clone(),
        content_structure: idea.content_structure,
        estimated_word_count: idea.estimated_word_count,
        sector: "Fitness".into(),
        site: "Stride Lab".into(),
        tone: tone.map(Into::into),
        language: language.map(Into::into),
    }
}

/// Headings in document order, as (level, text).
fn headings(html: &str) -> Vec<(u8, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<h") {
        rest = &rest[i + 2..];
        let level = match rest.as_bytes().first() {
            Some(b'2') => 2,
            Some(b'3') => 3,
            _ => continue,
        };
        let Some(end) = rest.find("</h") else { break };
        out.push((level, crate::html::plain_text(&rest[2..end])));
        rest = &rest[end..];
    }
    out
}

fn check(ctx: &ArticleContext, out: &ArticleOut) {
    assert_eq!(sanitize_html(&out.html), out.html, "not sanitiser-clean");
    let target = ctx
        .estimated_word_count
        .clamp(MIN_TARGET_WORDS, MAX_TARGET_WORDS);
    let words = word_count(&out.html);
    let off = f64::from(words - target).abs() / f64::from(target);
    assert!(off <= 0.15, "{words} words for {target} ({})", ctx.title);
    assert!(
        out.meta_title.chars().count() <= META_TITLE_MAX,
        "{}",
        out.meta_title
    );
    assert!(!out.meta_title.is_empty());
    assert!(out.meta_description.chars().count() <= META_DESCRIPTION_MAX);
    assert!(!out.meta_description.is_empty());
    assert!(out.secondary_keywords.len() <= MAX_SECONDARY_KEYWORDS);
    if let Some(first) = clean_keywords(&ctx.target_keywords).first() {
        assert_eq!(&out.primary_keyword, first);
        assert!(!out.secondary_keywords.contains(&out.primary_keyword));
    }
    // Every outline section, in order, then the conclusion.
    let got = headings(&out.html);
    let want: Vec<(u8, String)> = ctx
        .outline
        .sections
        .iter()
        .map(|s| (if s.level == 3 { 3 } else { 2 }, s.heading.clone()))
        .collect();
    if !want.is_empty() {
        assert_eq!(&got[..got.len() - 1], want.as_slice());
    }
    let lang = Language::parse(ctx.language.as_deref());
    assert_eq!(got.last().unwrap(), &(2, lang.pick(CONCLUSION).to_owned()));
    assert!(out.html.starts_with("<p>"), "intro first");
    match ctx.content_structure {
        ContentStructure::Listicle | ContentStructure::HowTo => {
            assert!(out.html.contains("<ol><li>"))
        }
        ContentStructure::Comparison => assert!(out.html.contains("<table><thead>")),
        ContentStructure::Guide | ContentStructure::ClusterHub | ContentStructure::Review => {
            assert!(out.html.contains("<ul><li>"))
        }
        ContentStructure::Article => {}
    }
}

#[test]
fn every_generated_idea_becomes_a_bounded_article() {
    for language in [None, Some("es"), Some("fr"), Some("de")] {
        for tone in [None, Some("friendly"), Some("authoritative")] {
            let ideas = generate_ideas(&idea_context(language, tone));
            for idea in &ideas.ideas {
                let ctx = article_context(idea, language, tone);
                check(&ctx, &generate_article(&ctx));
            }
        }
    }
}

#[test]
fn word_targets_are_met_across_the_range() {
    let ideas = generate_ideas(&idea_context(None, None));
    for idea in &ideas.ideas {
        for target in [0, 300, 450, 800, 1200, 2000, 3000, 4200, 5000, 9000] {
            let mut ctx = article_context(idea, None, None);
            ctx.estimated_word_count = target;
            check(&ctx, &generate_article(&ctx));
        }
    }
}

#[test]
fn the_structure_shapes_the_html() {
    let ideas = generate_ideas(&idea_context(None, None));
    let versus = ideas
        .ideas
        .iter()
        .find(|i| i.content_structure == ContentStructure::Comparison)
        .unwrap();
    let out = generate_article(&article_context(versus, None, None));
    assert!(
        out.html
            .contains("<th>Nike Pegasus</th><th>Hoka Clifton</th>"),
        "{}",
        out.html
    );
    let mut how_to = article_context(versus, None, None);
    how_to.content_structure = ContentStructure::HowTo;
    how_to.outline = Outline {
        sections: [
            "Before You Start",
            "The Steps",
            "Step 1: Plan",
            "Step 2: Lace Up",
            "Afterwards",
        ]
        .iter()
        .enumerate()
        .map(|(i, h)| OutlineSection {
            heading: (*h).into(),
            level: if i == 2 || i == 3 { 3 } else { 2 },
            notes: String::new(),
            target_keywords: vec![],
        })
        .collect(),
    };
    let out = generate_article(&how_to);
    check(&how_to, &out);
    assert!(
        out.html.contains("<ol><li>Plan</li><li>Lace Up</li></ol>"),
        "{}",
        out.html
    );
}

#[test]
fn tone_and_language_change_the_boilerplate() {
    let ideas = generate_ideas(&idea_context(None, None));
    let idea = &ideas.ideas[0];
    let first_paragraph = |tone: Option<&str>, lang: Option<&str>| {
        let out = generate_article(&article_context(idea, lang, tone));
        out.html.split("</p>").next().unwrap().to_owned()
    };
    let professional = first_paragraph(None, None);
    let friendly = first_paragraph(Some("casual"), None);
    let authoritative = first_paragraph(Some("authoritative"), None);
    assert!(
        professional.contains("research carefully"),
        "{professional}"
    );
    assert!(friendly.contains("You're in good company"), "{friendly}");
    assert!(
        authoritative.contains("established principles"),
        "{authoritative}"
    );
    assert_eq!(first_paragraph(Some("zany"), Some("xx")), professional);

    let es = generate_article(&article_context(idea, Some("es"), None));
    assert!(es.html.contains("<h2>Conclusión</h2>"));
    assert!(
        es.html
            .contains("es un tema que muchos lectores de fitness")
    );
    // Keywords are never translated.
    assert!(es.html.contains("best running shoes for beginners"));
    let de = generate_article(&article_context(idea, Some("de-DE"), None));
    assert!(de.html.contains("<h2>Fazit</h2>"));
    let fr = generate_article(&article_context(idea, Some("fr"), Some("friendly")));
    assert!(fr.html.contains("Vous vous intéressez à"));
}

#[test]
fn sparse_input_still_gives_an_article() {
    let ctx = ArticleContext {
        title: "The Complete Guide to Sourdough Starters for Busy Home Bakers Who Want Results"
            .into(),
        description: String::new(),
        outline: Outline::default(),
        target_keywords: vec!["  ".into()],
        content_structure: ContentStructure::Article,
        estimated_word_count: 600,
        sector: String::new(),
        site: String::new(),
        tone: None,
        language: None,
    };
    let out = generate_article(&ctx);
    check(&ctx, &out);
    assert_eq!(out.primary_keyword, "sourdough starters");
    assert!(out.secondary_keywords.is_empty());
    assert_eq!(
        out.meta_title,
        "The Complete Guide to Sourdough Starters for Busy Home"
    );
    assert!(out.meta_description.starts_with("Sourdough starters:"));
    assert!(out.html.contains("<h2>Overview</h2>"));

    let empty = ArticleContext {
        title: String::new(),
        ..ctx
    };
    let out = generate_article(&empty);
    assert_eq!(sanitize_html(&out.html), out.html);
    assert!(!out.meta_title.is_empty());
}

#[test]
fn html_special_characters_are_escaped() {
    let ideas = generate_ideas(&idea_context(None, None));
    let mut ctx = article_context(&ideas.ideas[0], None, None);
    ctx.title = "R&D <script>alert(1)</script> vs Q&A".into();
    ctx.outline.sections[0].heading = "Tips & <b>tricks</b>".into();
    ctx.target_keywords
        .insert(0, "shoes <img src=x onerror=alert(1)>".into());
    let out = generate_article(&ctx);
    check(&ctx, &out);
    assert!(
        !out.html.contains("<script") && !out.html.contains("<img") && !out.html.contains("<b>")
    );
    assert!(
        out.html
            .contains("<h2>Tips &amp; &lt;b&gt;tricks&lt;/b&gt;</h2>")
    );
}

#[test]
fn articles_are_deterministic_and_secondary_keywords_capped() {
    let ideas = generate_ideas(&idea_context(None, None));
    let mut ctx = article_context(&ideas.ideas[0], None, None);
    ctx.target_keywords = (0..20).map(|i| format!("keyword {i}")).collect();
    let a = generate_article(&ctx);
    assert_eq!(generate_article(&ctx), a);
    assert_eq!(a.primary_keyword, "keyword 0");
    assert_eq!(a.secondary_keywords.len(), 10);
    assert_eq!(a.secondary_keywords[0], "keyword 1");
    let json = serde_json::to_string(&a).unwrap();
    assert_eq!(serde_json::from_str::<ArticleOut>(&json).unwrap(), a);
}

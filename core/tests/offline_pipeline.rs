//! The offline provider end to end, as the jobs run it: cluster the labelled
//! fixture, generate ideas for every cluster, write an article for every
//! idea, derive image prompts and render the images, checking every bound
//! the jobs and the database rely on.

use igny8_core::ai::article::{ArticleContext, ArticleOut, generate_article};
use igny8_core::ai::cluster::{ClusterOutput, ClusterParams, KeywordIn, cluster_keywords};
use igny8_core::ai::ideas::{IdeaContext, IdeasOutput, generate_ideas};
use igny8_core::ai::image::render_png;
use igny8_core::ai::prompts::{ImagePromptsOutput, PromptContext, generate_image_prompts};
use igny8_core::html::{sanitize_html, word_count};
use igny8_core::planner::{KeywordIntent, keyword_key};
use std::collections::HashMap;
use std::time::Instant;

const FIXTURE: &str = include_str!("fixtures/labeled_keywords.csv");

fn fixture() -> Vec<KeywordIn> {
    csv::Reader::from_reader(FIXTURE.as_bytes())
        .records()
        .enumerate()
        .map(|(i, r)| {
            let r = r.expect("fixture row");
            KeywordIn {
                id: format!("k{i:03}"),
                keyword: r[0].to_owned(),
                volume: Some(r[2].parse().expect("volume")),
                intent: Some(r[3].parse::<KeywordIntent>().expect("intent")),
            }
        })
        .collect()
}

fn check_article(ctx: &ArticleContext, out: &ArticleOut) {
    assert_eq!(sanitize_html(&out.html), out.html, "{}", ctx.title);
    let target = ctx.estimated_word_count.clamp(300, 5000);
    let words = word_count(&out.html);
    assert!(
        (words - target).abs() * 100 <= target * 15,
        "{}: {words} words for {target}",
        ctx.title
    );
    assert!(out.meta_title.chars().count() <= 60 && !out.meta_title.is_empty());
    assert!(out.meta_description.chars().count() <= 160 && !out.meta_description.is_empty());
    assert_eq!(Some(&out.primary_keyword), ctx.target_keywords.first());
    assert!(out.secondary_keywords.len() <= 10);
    for s in &ctx.outline.sections {
        let tag = if s.level == 3 { "h3" } else { "h2" };
        let heading = s
            .heading
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(
            out.html.contains(&format!("<{tag}>{heading}</{tag}>")),
            "{}",
            s.heading
        );
    }
}

fn check_prompts(out: &ImagePromptsOutput) {
    assert!(!out.featured.is_empty() && out.featured.chars().count() <= 400);
    assert!((1..=6).contains(&out.in_article.len()));
    assert!(
        out.in_article
            .iter()
            .all(|p| !p.is_empty() && p.chars().count() <= 400)
    );
}

/// Everything one run produces, serialised, for the determinism check.
fn run(
    language: Option<&str>,
    tone: Option<&str>,
    clusters: &ClusterOutput,
    keywords: &[KeywordIn],
) -> String {
    let by_id: HashMap<&str, &KeywordIn> = keywords.iter().map(|k| (k.id.as_str(), k)).collect();
    let mut log = String::new();
    for cluster in &clusters.clusters {
        let members: Vec<KeywordIn> = cluster
            .keyword_ids
            .iter()
            .map(|id| by_id[id.as_str()].clone())
            .collect();
        let ideas: IdeasOutput = generate_ideas(&IdeaContext {
            cluster_name: cluster.name.clone(),
            cluster_description: cluster.description.clone(),
            keywords: members.clone(),
            sector: "Lifestyle".into(),
            site: "Example Site".into(),
            tone: tone.map(Into::into),
            language: language.map(Into::into),
            avoid: vec![],
        });
        assert!((3..=5).contains(&ideas.ideas.len()), "{}", cluster.name);
        let member_keys: Vec<String> = members.iter().map(|k| keyword_key(&k.keyword)).collect();
        for idea in &ideas.ideas {
            assert!((4..=9).contains(&idea.outline.sections.len()));
            assert_eq!(idea.outline.clone().validate().unwrap(), idea.outline);
            assert!((800..=3000).contains(&idea.estimated_word_count));
            for k in idea
                .outline
                .sections
                .iter()
                .flat_map(|s| &s.target_keywords)
            {
                assert!(
                    member_keys.contains(&keyword_key(k)),
                    "{k} not in {}",
                    cluster.name
                );
            }
            let ctx = ArticleContext {
                title: idea.title.clone(),
                description: idea.description.clone(),
                outline: idea.outline.clone(),
                target_keywords: idea.target_keywords.clone(),
                content_structure: idea.content_structure,
                estimated_word_count: idea.estimated_word_count,
                sector: "Lifestyle".into(),
                site: "Example Site".into(),
                tone: tone.map(Into::into),
                language: language.map(Into::into),
            };
            let article = generate_article(&ctx);
            check_article(&ctx, &article);
            let prompts = generate_image_prompts(&PromptContext {
                title: idea.title.clone(),
                html: article.html.clone(),
                primary_keyword: article.primary_keyword.clone(),
                max_in_article: 4,
            });
            check_prompts(&prompts);
            log.push_str(&serde_json::to_string(&(idea, &article, &prompts)).unwrap());
        }
    }
    log
}

#[test]
fn the_whole_offline_pipeline_obeys_its_bounds() {
    let keywords = fixture();
    let clusters = cluster_keywords(&keywords, &ClusterParams::default());
    assert!(clusters.clusters.len() >= 12);
    let english = run(None, None, &clusters, &keywords);
    assert_eq!(
        run(None, None, &clusters, &keywords),
        english,
        "not deterministic"
    );
    for (language, tone) in [
        (Some("es"), Some("friendly")),
        (Some("fr"), Some("authoritative")),
        (Some("de"), None),
    ] {
        let other = run(language, tone, &clusters, &keywords);
        assert_ne!(other, english);
    }
}

#[test]
fn images_render_for_every_prompt() {
    let prompts = generate_image_prompts(&PromptContext {
        title: "Sourdough Bread: The Complete Guide".into(),
        html: "<h2>Starter</h2><p>x</p><h2>Baking</h2><p>y</p><h2>Conclusion</h2>".into(),
        primary_keyword: "sourdough bread".into(),
        max_in_article: 6,
    });
    let mut seen = Vec::new();
    for p in std::iter::once(&prompts.featured).chain(&prompts.in_article) {
        let png = render_png(p, 96, 64);
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert!(!seen.contains(&png), "two prompts gave the same image");
        seen.push(png);
    }
    assert_eq!(seen.len(), 3);

    let start = Instant::now();
    let big = render_png(&prompts.featured, 1024, 1024);
    let elapsed = start.elapsed();
    println!(
        "rendered a 1024x1024 PNG ({} bytes) in {:.1} ms",
        big.len(),
        elapsed.as_secs_f64() * 1000.0
    );
    assert_eq!(render_png(&prompts.featured, 1024, 1024), big);
}

//! Offline article writing (`generate_content`, JOB-1/JOB-7): structured
//! HTML that follows an idea's outline and lands near its word count.
//!
//! The article is an intro, every outline section as `<h2>`/`<h3>` with
//! paragraphs, and a conclusion. The structure adds what readers expect of
//! it: an `<ol>` for lists and how-to steps, a `<table>` for comparisons, a
//! `<ul>` for guides, hubs and reviews. Prose comes from deterministic
//! sentence templates filled with the section's heading and keywords, in
//! the requested tone and language (keywords themselves are never
//! translated). The length is planned: fixed parts are counted first and
//! the remaining words are spread over the paragraphs by weight, so the
//! total lands within a few percent of the target.

mod keywords;
mod phrases;
mod render;
mod writer;

use crate::ai::text::{Language, Tone, capitalize_first, fill, truncate_words};
use crate::html::word_count;
use crate::outline::Outline;
use crate::planner::{ContentStructure, keyword_text};
use keywords::{clean_keywords, keyword_from_title, versus};
use phrases::*;
use render::{Block, render_all, words_in};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use writer::{Section, SentenceWriter, strip_step_number};

pub use phrases::CONCLUSION;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleContext {
    pub title: String,
    pub description: String,
    pub outline: Outline,
    pub target_keywords: Vec<String>,
    pub content_structure: ContentStructure,
    pub estimated_word_count: i32,
    pub sector: String,
    pub site: String,
    pub tone: Option<String>,
    pub language: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ArticleOut {
    /// Sanitiser-clean HTML (only allow-listed tags, no attributes).
    pub html: String,
    /// At most 60 characters.
    pub meta_title: String,
    /// At most 160 characters.
    pub meta_description: String,
    pub primary_keyword: String,
    /// At most 10.
    pub secondary_keywords: Vec<String>,
}

pub const MIN_TARGET_WORDS: i32 = 300;
pub const MAX_TARGET_WORDS: i32 = 5000;
pub const META_TITLE_MAX: usize = 60;
pub const META_DESCRIPTION_MAX: usize = 160;
pub const MAX_SECONDARY_KEYWORDS: usize = 10;

/// Writes the article (see the module docs).
pub fn generate_article(ctx: &ArticleContext) -> ArticleOut {
    let lang = Language::parse(ctx.language.as_deref());
    let tone = Tone::parse(ctx.tone.as_deref());
    let li = lang as usize;
    let ti = match tone {
        Tone::Professional => 0,
        Tone::Friendly => 1,
        Tone::Authoritative => 2,
    };
    let clean = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let title = clean(&ctx.title);
    let site = clean(&ctx.site);
    let sector = clean(&ctx.sector).to_lowercase();

    let keywords = clean_keywords(&ctx.target_keywords);
    let primary = keywords.first().cloned().unwrap_or_else(|| {
        let derived = keyword_from_title(&title);
        keyword_text(&derived).unwrap_or_else(|_| "article".to_owned())
    });
    let secondary: Vec<String> = keywords
        .iter()
        .skip(1)
        .take(MAX_SECONDARY_KEYWORDS)
        .cloned()
        .collect();
    let target = ctx
        .estimated_word_count
        .clamp(MIN_TARGET_WORDS, MAX_TARGET_WORDS);

    let mut sections: Vec<Section> = ctx
        .outline
        .sections
        .iter()
        .filter_map(|s| {
            let heading = truncate_words(&s.heading, 200);
            (!heading.is_empty()).then(|| Section {
                heading,
                level: if s.level == 3 { 3 } else { 2 },
                keywords: clean_keywords(&s.target_keywords),
            })
        })
        .collect();
    if sections.is_empty() {
        sections = DEFAULT_SECTIONS
            .iter()
            .zip(std::iter::once(&primary).chain(&secondary).cycle())
            .map(|(h, k)| Section {
                heading: lang.pick(*h).to_owned(),
                level: 2,
                keywords: vec![k.clone()],
            })
            .collect();
    }

    let mut writer = SentenceWriter {
        lang,
        tone,
        topic: primary.clone(),
        keywords: &keywords,
        seed: format!("{title}|{primary}|{site}"),
        body_cursor: 0,
        sentence_no: 0,
    };
    writer.body_cursor = writer.pick("start", writer.body_pool().len());

    // Skeleton: every block with its minimum text; `slots` are the
    // paragraphs that grow, with their weights.
    let mut blocks: Vec<Block> = Vec::new();
    // (block, weight, section index; None for the intro and conclusion)
    let mut slots: Vec<(usize, f64, Option<usize>)> = Vec::new();

    let audience = if sector.is_empty() {
        lang.pick(AUDIENCE[1]).to_owned()
    } else {
        fill(lang.pick(AUDIENCE[0]), &[("x", &sector)])
    };
    let intro = INTRO[ti][li];
    let vars = [
        ("T", capitalize_first(&primary)),
        ("t", primary.clone()),
        ("aud", audience),
        ("s", site.clone()),
        ("S", capitalize_first(&site)),
    ];
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut intro_sentences = vec![fill(intro[0], &vars), fill(intro[1], &vars)];
    if !site.is_empty() {
        intro_sentences.push(fill(intro[2], &vars));
    }
    // Intro and conclusion sentences speak about the primary keyword.
    let intro_section = Section {
        heading: primary.clone(),
        level: 2,
        keywords: keywords.clone(),
    };
    blocks.push(Block::P(intro_sentences));
    slots.push((blocks.len() - 1, 0.6, None));

    let h2_headings: Vec<String> = sections
        .iter()
        .filter(|s| s.level == 2)
        .map(|s| s.heading.clone())
        .collect();
    match ctx.content_structure {
        ContentStructure::Listicle => {
            blocks.push(Block::P(vec![lang.pick(LIST_LEAD).to_owned()]));
            blocks.push(Block::Ol(h2_headings.clone()));
        }
        ContentStructure::Guide | ContentStructure::ClusterHub => {
            blocks.push(Block::P(vec![lang.pick(GUIDE_LEAD).to_owned()]));
            blocks.push(Block::Ul(h2_headings.clone()));
        }
        _ => {}
    }

    // Where the structure's extra block goes: the first h2 with h3
    // children for steps, the comparison-looking (else middle) h2 for a
    // table, the second h2 for a review's highlights.
    let h2_positions: Vec<usize> = (0..sections.len())
        .filter(|&i| sections[i].level == 2)
        .collect();
    let feature_at: Option<usize> = match ctx.content_structure {
        ContentStructure::HowTo => h2_positions
            .iter()
            .copied()
            .find(|&i| sections.get(i + 1).is_some_and(|s| s.level == 3))
            .or_else(|| h2_positions.get(1).or(h2_positions.first()).copied()),
        ContentStructure::Comparison => {
            let comparative = [
                "compar",
                "vs",
                "versus",
                "head",
                "vergleich",
                "glance",
                "vistazo",
                "coup d",
                "blick",
            ];
            h2_positions
                .iter()
                .copied()
                .find(|&i| {
                    let h = sections[i].heading.to_lowercase();
                    comparative.iter().any(|c| h.contains(c))
                })
                .or_else(|| h2_positions.get(h2_positions.len() / 2).copied())
        }
        ContentStructure::Review => h2_positions.get(1).or(h2_positions.first()).copied(),
        _ => None,
    };

    for (i, section) in sections.iter().enumerate() {
        if section.level == 3 {
            blocks.push(Block::H3(section.heading.clone()));
            let first = writer.body_sentence(section);
            blocks.push(Block::P(vec![first]));
            slots.push((blocks.len() - 1, 0.7, Some(i)));
        } else {
            blocks.push(Block::H2(section.heading.clone()));
            blocks.push(Block::P(vec![writer.transition(section, i)]));
            slots.push((blocks.len() - 1, 1.0, Some(i)));
        }
        if feature_at == Some(i) {
            match ctx.content_structure {
                ContentStructure::HowTo => {
                    let children: Vec<String> = sections[i + 1..]
                        .iter()
                        .take_while(|s| s.level == 3)
                        .map(|s| strip_step_number(&s.heading))
                        .collect();
                    let steps = if children.len() >= 2 {
                        children
                    } else {
                        DEFAULT_STEPS
                            .iter()
                            .map(|s| fill(lang.pick(*s), &[("t", &primary)]))
                            .collect()
                    };
                    blocks.push(Block::P(vec![lang.pick(STEP_LEAD).to_owned()]));
                    blocks.push(Block::Ol(steps));
                }
                ContentStructure::Comparison => {
                    let (a, b) = versus(&title)
                        .or_else(|| keywords.iter().find_map(|k| versus(k)))
                        .or_else(|| match secondary.as_slice() {
                            [a, b, ..] => Some((capitalize_first(a), capitalize_first(b))),
                            _ => None,
                        })
                        .unwrap_or_else(|| {
                            (
                                fill(lang.pick(OPTION), &[("x", "A")]),
                                fill(lang.pick(OPTION), &[("x", "B")]),
                            )
                        });
                    let rating = |salt: &str| {
                        lang.pick(RATINGS[writer.pick(salt, RATINGS.len())])
                            .to_owned()
                    };
                    let rows = vec![
                        vec![
                            lang.pick(CRITERIA[0]).to_owned(),
                            rating("price-a"),
                            rating("price-b"),
                        ],
                        vec![
                            lang.pick(CRITERIA[1]).to_owned(),
                            rating("ease-a"),
                            rating("ease-b"),
                        ],
                        vec![
                            lang.pick(CRITERIA[2]).to_owned(),
                            lang.pick(AUDIENCES[0]).to_owned(),
                            lang.pick(AUDIENCES[1]).to_owned(),
                        ],
                        vec![
                            lang.pick(CRITERIA[3]).to_owned(),
                            rating("overall-a"),
                            rating("overall-b"),
                        ],
                    ];
                    blocks.push(Block::P(vec![lang.pick(TABLE_LEAD).to_owned()]));
                    blocks.push(Block::Table(
                        vec![lang.pick(CRITERION).to_owned(), a, b],
                        rows,
                    ));
                }
                ContentStructure::Review => {
                    blocks.push(Block::P(vec![lang.pick(PROS_LEAD).to_owned()]));
                    blocks.push(Block::Ul(
                        PROS.iter()
                            .map(|p| fill(lang.pick(*p), &[("t", &primary)]))
                            .collect(),
                    ));
                }
                _ => {}
            }
        }
    }

    blocks.push(Block::H2(lang.pick(CONCLUSION).to_owned()));
    let conclusion: Vec<String> = CONCLUSIONS[ti][li].iter().map(|c| fill(c, &vars)).collect();
    blocks.push(Block::P(conclusion));
    slots.push((blocks.len() - 1, 0.5, None));

    // Spread the remaining words over the slots by weight; a running
    // balance carries each slot's rounding into the next, so the total
    // ends within half a sentence of the target.
    let fixed: i32 = blocks
        .iter()
        .map(|b| word_count(&render_all(std::slice::from_ref(b))))
        .sum();
    let remaining = f64::from(target - fixed);
    if remaining > 0.0 {
        let total_weight: f64 = slots.iter().map(|(_, w, _)| w).sum();
        let mut balance = 0.0;
        for &(block, weight, section) in &slots {
            balance += remaining * weight / total_weight;
            let owner = section.map_or(&intro_section, |i| &sections[i]);
            loop {
                let sentence = writer.body_sentence(owner);
                let n = f64::from(words_in(&sentence));
                if balance - n / 2.0 < 0.0 {
                    // Not added: step the rotation back so nothing is skipped.
                    writer.body_cursor -= 1;
                    writer.sentence_no -= 1;
                    break;
                }
                balance -= n;
                if let Block::P(sentences) = &mut blocks[block] {
                    sentences.push(sentence);
                }
            }
        }
    }

    let html = render_all(&blocks);

    let meta_title = {
        let source = if title.is_empty() {
            capitalize_first(&primary)
        } else {
            title.clone()
        };
        truncate_words(&source, META_TITLE_MAX)
    };
    let meta_description = {
        let description = clean(&ctx.description);
        let source = if description.is_empty() {
            fill(
                lang.pick(META_DESCRIPTION),
                &[("T", &capitalize_first(&primary))],
            )
        } else {
            description
        };
        truncate_words(&source, META_DESCRIPTION_MAX)
    };

    ArticleOut {
        html,
        meta_title,
        meta_description,
        primary_keyword: primary,
        secondary_keywords: secondary,
    }
}

#[cfg(test)]
mod tests;

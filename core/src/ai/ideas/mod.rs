//! Offline content ideas (`generate_ideas`, JOB-1/JOB-7): three to five
//! ideas for one cluster, each with an outline, target keywords and a word
//! count estimate.
//!
//! The keywords' intents decide the kind of content, because that is what a
//! searcher with that intent wants to land on: informational searches get
//! guides and how-tos, commercial ones comparisons, reviews and "best X"
//! lists, transactional ones a product or service page, navigational ones a
//! cluster hub. The cluster's own keywords become section headings (its
//! questions an FAQ) so outlines are specific to the cluster, and the fixed
//! wording is available in English, Spanish, French and German.

mod keywords;
mod phrases;
mod plan;
mod sections;
mod writer;

use crate::ai::cluster::KeywordIn;
use crate::ai::text::{Language, Tone, title_case, truncate_words};
use crate::outline::Outline;
use crate::planner::{ContentStructure, ContentType, idea_title_key, keyword_key};
use keywords::Kw;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use writer::IdeaWriter;

/// What the idea generator knows about the cluster and the site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdeaContext {
    pub cluster_name: String,
    pub cluster_description: String,
    pub keywords: Vec<KeywordIn>,
    pub sector: String,
    pub site: String,
    pub tone: Option<String>,
    pub language: Option<String>,
    /// Titles the cluster has: asked for more, the ideas differ from them.
    #[serde(default)]
    pub avoid: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IdeaOut {
    pub title: String,
    pub description: String,
    pub content_type: ContentType,
    pub content_structure: ContentStructure,
    pub outline: Outline,
    /// The first is the primary keyword.
    pub target_keywords: Vec<String>,
    pub estimated_word_count: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IdeasOutput {
    pub ideas: Vec<IdeaOut>,
}

pub const MIN_IDEAS: usize = 3;
pub const MAX_IDEAS: usize = 5;
pub const MIN_SECTIONS: usize = 4;
pub const MAX_SECTIONS: usize = 9;
pub const MIN_WORDS: i32 = 800;
pub const MAX_WORDS: i32 = 3000;
const MAX_SECTION_KEYWORDS: usize = 3;
const MAX_TARGET_KEYWORDS: usize = 8;
const TITLE_MAX_CHARS: usize = 200;

/// Words an outline needs: an intro and conclusion, about 230 words per h2
/// and 150 per h3, longer for guides and hubs, shorter for landing pages;
/// rounded to 50 and kept within 800–3000.
pub fn estimate_words(outline: &Outline, structure: ContentStructure) -> i32 {
    let h2 = outline.sections.iter().filter(|s| s.level != 3).count() as f64;
    let h3 = outline.sections.iter().filter(|s| s.level == 3).count() as f64;
    let factor = match structure {
        ContentStructure::Guide | ContentStructure::ClusterHub => 1.2,
        ContentStructure::Article => 0.9,
        _ => 1.0,
    };
    let words = (250.0 + 230.0 * h2 + 150.0 * h3) * factor;
    let rounded = ((words / 50.0).round() * 50.0) as i32;
    rounded.clamp(MIN_WORDS, MAX_WORDS)
}

/// Three to five ideas for one cluster (see the module docs). With titles
/// to avoid (asked for more), every other plan is tried too and only ideas
/// with new titles are kept: fewer, or none, once the cluster is exhausted.
pub fn generate_ideas(ctx: &IdeaContext) -> IdeasOutput {
    let mut kws: Vec<Kw> = ctx.keywords.iter().filter_map(Kw::new).collect();
    kws.sort_by(|a, b| {
        (std::cmp::Reverse(a.volume), keyword_key(&a.text), &a.text).cmp(&(
            std::cmp::Reverse(b.volume),
            keyword_key(&b.text),
            &b.text,
        ))
    });
    kws.dedup_by(|a, b| keyword_key(&a.text) == keyword_key(&b.text));

    let clean = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut topic = truncate_words(&clean(&ctx.cluster_name), 80);
    if topic.is_empty() {
        topic = kws
            .first()
            .map(|k| title_case(&k.text))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| title_case(&clean(&ctx.sector)));
    }
    if topic.is_empty() {
        topic = "Getting Started".to_owned();
    }
    let seed = format!("{}|{}", topic, ctx.site);
    let generator = IdeaWriter {
        lang: Language::parse(ctx.language.as_deref()),
        tone: Tone::parse(ctx.tone.as_deref()),
        topic,
        site: clean(&ctx.site),
        sector: clean(&ctx.sector).to_lowercase(),
        kws,
        seed: &seed,
    };

    let mut ideas: Vec<IdeaOut> = Vec::new();
    let mut primaries: Vec<String> = Vec::new();
    let mut plans = generator.choose_plans();
    let avoid: Vec<String> = ctx.avoid.iter().map(|t| idea_title_key(t)).collect();
    if !avoid.is_empty() {
        plans.extend(plan::Plan::ALL);
    }
    for plan in plans {
        if ideas.len() >= MAX_IDEAS {
            break;
        }
        let idea = generator.idea(plan, &primaries);
        let title_key = idea_title_key(&idea.title);
        if avoid.contains(&title_key) || ideas.iter().any(|i| idea_title_key(&i.title) == title_key)
        {
            continue;
        }
        if let Some(p) = idea.target_keywords.first() {
            primaries.push(keyword_key(p));
        }
        ideas.push(idea);
    }
    IdeasOutput { ideas }
}

#[cfg(test)]
mod tests;

//! Offline image prompts (`generate_image_prompts`, JOB-1/JOB-7): one
//! featured prompt from the title and primary keyword, and one to six
//! in-article prompts from the article's `<h2>` sections.
//!
//! Each prompt is one descriptive sentence — subject, style, composition,
//! lighting and palette — chosen deterministically from the section, and
//! never asks for lettering in the image (image models render it badly).

use super::text::{hash_parts, normalize, truncate_words};
use crate::html::plain_text;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PromptContext {
    pub title: String,
    pub html: String,
    pub primary_keyword: String,
    /// Clamped to 1..=6.
    pub max_in_article: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ImagePromptsOutput {
    pub featured: String,
    /// One to six prompts, in article order.
    pub in_article: Vec<String>,
}

pub const MAX_IN_ARTICLE: usize = 6;
pub const PROMPT_MAX_CHARS: usize = 400;

const STYLES: &[&str] = &[
    "A clean editorial photograph",
    "A soft flat-design illustration",
    "A bright lifestyle photograph",
    "A detailed 3D render",
    "A minimalist watercolour illustration",
    "A cinematic wide-angle photograph",
];
const COMPOSITIONS: &[&str] = &[
    "centred subject with generous negative space",
    "rule-of-thirds composition with a shallow depth of field",
    "top-down flat-lay arrangement",
    "wide establishing shot",
    "close-up detail shot",
];
const LIGHTING: &[&str] = &[
    "soft natural daylight",
    "warm golden-hour light",
    "bright, even studio lighting",
    "gentle diffused window light",
    "dramatic side lighting",
];
const PALETTES: &[&str] = &[
    "warm earthy",
    "cool blue and teal",
    "muted pastel",
    "vibrant complementary",
    "neutral monochrome",
];

/// Headings that are not a subject worth picturing: intro, conclusion and
/// FAQ, in the languages the article writer uses.
const SKIPPED: &[&str] = &[
    "conclusion",
    "conclusión",
    "fazit",
    "schlussfolgerung",
    "introduction",
    "introducción",
    "einleitung",
    "intro",
    "summary",
    "final thoughts",
    "wrapping up",
    "faq",
    "frequently asked questions",
    "preguntas frecuentes",
    "questions fréquentes",
    "häufig gestellte fragen",
];

/// The visible text of every `<h2>` in `html`, in order.
fn h2_headings(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(start) = lower[from..].find("<h2") {
        let open = from + start;
        // `<h2>` or `<h2 ...>`, not `<h20`.
        let after = lower.as_bytes().get(open + 3).copied();
        if !matches!(after, Some(b'>' | b' ' | b'\t' | b'\n' | b'/')) {
            from = open + 3;
            continue;
        }
        let Some(gt) = lower[open..].find('>') else {
            break;
        };
        let body = open + gt + 1;
        let Some(end) = lower[body..].find("</h2") else {
            break;
        };
        out.push(plain_text(&html[body..body + end]));
        from = body + end;
    }
    out
}

fn is_skipped(heading: &str) -> bool {
    let h = normalize(heading);
    h.is_empty()
        || SKIPPED
            .iter()
            .any(|s| h == *s || h.starts_with(&format!("{s} ")))
}

/// A heading or title as a subject phrase: no quotes or brackets (they
/// read as "put this text in the image"), question marks and colons
/// softened.
fn subject(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| match c {
            '"' | '“' | '”' | '„' | '«' | '»' | '<' | '>' | '[' | ']' | '{' | '}' => ' ',
            ':' | ';' | '|' => ',',
            '?' | '!' => ' ',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    cleaned
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" ,", ",")
        .trim_matches([',', ' '])
        .to_owned()
}

fn choose<'a>(list: &'a [&'a str], parts: &[&str]) -> &'a str {
    list[(hash_parts(parts) % list.len() as u64) as usize]
}

/// "{style} {what}, {composition}, {lighting}, {palette} colour palette."
/// The subject is shortened (at a word) so the whole stays within 400
/// characters.
fn prompt(what_prefix: &str, subject: &str, context: &str, salt: &[&str]) -> String {
    let pick = |list: &'static [&'static str], name: &str| {
        let mut parts = salt.to_vec();
        parts.push(name);
        choose(list, &parts)
    };
    let style = pick(STYLES, "style");
    let composition = pick(COMPOSITIONS, "composition");
    let lighting = pick(LIGHTING, "lighting");
    let palette = pick(PALETTES, "palette");
    let tail = format!(", {composition}, {lighting}, {palette} colour palette, high detail.");
    let head = format!("{style} {what_prefix} ");
    let budget = PROMPT_MAX_CHARS.saturating_sub(head.chars().count() + tail.chars().count());
    let mut what = if context.is_empty() || normalize(subject) == normalize(context) {
        subject.to_owned()
    } else {
        format!("{subject} in the context of {context}")
    };
    if what.chars().count() > budget {
        what = truncate_words(&what, budget);
    }
    if what.is_empty() {
        what = "the topic".to_owned();
    }
    format!("{head}{what}{tail}")
}

/// Prompts for an article's images (see the module docs).
pub fn generate_image_prompts(ctx: &PromptContext) -> ImagePromptsOutput {
    let keyword = subject(&ctx.primary_keyword);
    let title = subject(&ctx.title);
    let main = if keyword.is_empty() {
        title.clone()
    } else {
        keyword.clone()
    };
    let featured = prompt(
        "representing",
        if main.is_empty() {
            "the article's topic"
        } else {
            &main
        },
        if keyword.is_empty() { "" } else { &title },
        &[&ctx.title, &ctx.primary_keyword, "featured"],
    );

    let headings: Vec<String> = h2_headings(&ctx.html)
        .into_iter()
        .filter(|h| !is_skipped(h))
        .map(|h| subject(&h))
        .filter(|h| !h.is_empty())
        .collect();
    let wanted = ctx.max_in_article.clamp(1, MAX_IN_ARTICLE);
    // Evenly spread over the article when it has more sections than images.
    let picked: Vec<&String> = if headings.len() <= wanted {
        headings.iter().collect()
    } else {
        (0..wanted)
            .map(|i| &headings[i * headings.len() / wanted])
            .collect()
    };
    let mut in_article: Vec<String> = picked
        .iter()
        .enumerate()
        .map(|(i, h)| prompt("illustrating", h, &main, &[&ctx.title, h, &i.to_string()]))
        .collect();
    if in_article.is_empty() {
        in_article.push(prompt(
            "showing a practical, everyday scene about",
            if main.is_empty() {
                "the article's topic"
            } else {
                &main
            },
            "",
            &[&ctx.title, &ctx.primary_keyword, "in_article"],
        ));
    }
    ImagePromptsOutput {
        featured,
        in_article,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HTML: &str = "<p>Intro.</p><h2>Choosing the Right Shoe</h2><p>a</p>\
        <h3>Fit</h3><p>b</p><h2>Trail &amp; Road</h2><p>c</p><h2>Frequently Asked Questions</h2>\
        <h2>Caring for &lt;Your&gt; Shoes</h2><h2>Conclusion</h2><p>d</p>";

    fn ctx(max: usize) -> PromptContext {
        PromptContext {
            title: "Running Shoes: The Complete Guide".into(),
            html: HTML.into(),
            primary_keyword: "running shoes".into(),
            max_in_article: max,
        }
    }

    fn check(out: &ImagePromptsOutput) {
        let all = std::iter::once(&out.featured).chain(&out.in_article);
        for p in all {
            assert!(p.chars().count() <= PROMPT_MAX_CHARS, "{p}");
            assert!(p.ends_with('.'));
            let words = normalize(p);
            let words: Vec<&str> = words.split(' ').collect();
            for banned in [
                "text",
                "lettering",
                "caption",
                "words",
                "typography",
                "logo",
            ] {
                assert!(!words.contains(&banned), "{banned} in {p}");
            }
            assert!(!p.contains(['"', '“', '”', '<', '>']), "{p}");
        }
        assert!((1..=MAX_IN_ARTICLE).contains(&out.in_article.len()));
    }

    #[test]
    fn prompts_come_from_the_sections() {
        let out = generate_image_prompts(&ctx(6));
        check(&out);
        assert!(
            out.featured.contains(
                "representing running shoes in the context of Running Shoes, The Complete Guide"
            ),
            "{}",
            out.featured
        );
        assert_eq!(out.in_article.len(), 3);
        assert!(
            out.in_article[0]
                .contains("illustrating Choosing the Right Shoe in the context of running shoes")
        );
        assert!(out.in_article[1].contains("Trail & Road"));
        assert!(out.in_article[2].contains("Caring for Your Shoes"));
        // Intro, FAQ, conclusion and h3s are skipped.
        assert!(
            out.in_article
                .iter()
                .all(|p| !p.contains("Conclusion") && !p.contains("Fit "))
        );
    }

    #[test]
    fn the_count_is_clamped() {
        assert_eq!(generate_image_prompts(&ctx(0)).in_article.len(), 1);
        assert_eq!(generate_image_prompts(&ctx(2)).in_article.len(), 2);
        let many: String = (1..=10)
            .map(|i| format!("<h2>Section {i}</h2><p>x</p>"))
            .collect();
        let mut c = ctx(100);
        c.html = many;
        let out = generate_image_prompts(&c);
        check(&out);
        assert_eq!(out.in_article.len(), 6);
        // Spread over the article, first section included.
        assert!(out.in_article[0].contains("Section 1 "));
        assert!(out.in_article[5].contains("Section 9 "));
        c.max_in_article = 3;
        let out = generate_image_prompts(&c);
        assert_eq!(out.in_article.len(), 3);
    }

    #[test]
    fn articles_without_sections_still_get_one_prompt() {
        let mut c = ctx(4);
        c.html = "<p>No headings at all.</p><h2>Fazit</h2>".into();
        let out = generate_image_prompts(&c);
        check(&out);
        assert_eq!(out.in_article.len(), 1);
        assert!(out.in_article[0].contains("running shoes"));
        c.primary_keyword = String::new();
        c.title = String::new();
        c.html = String::new();
        check(&generate_image_prompts(&c));
    }

    #[test]
    fn long_subjects_are_cut_and_output_is_deterministic() {
        let mut c = ctx(6);
        c.title = "word ".repeat(200);
        c.html = format!("<h2>{}</h2>", "long ".repeat(200));
        c.primary_keyword = "\"quoted\" keyword: with colon? <b>".into();
        let out = generate_image_prompts(&c);
        check(&out);
        assert_eq!(generate_image_prompts(&c), out);
        assert_ne!(generate_image_prompts(&ctx(6)).featured, out.featured);
    }

    #[test]
    fn h2_extraction_handles_attributes_and_case() {
        assert_eq!(
            h2_headings("<H2 class=x>One</H2><h20>no</h20><h2>T&amp;C</h2><h2>unclosed"),
            vec!["One", "T&C"]
        );
    }
}

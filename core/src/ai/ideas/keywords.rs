//! Cluster keywords as the idea writer sees them: cleaned, with their
//! intent, and whether they ask a question, compare two things or look
//! for a service.

use crate::ai::cluster::KeywordIn;
use crate::ai::text::{infer_intent, is_modifier, is_stop_word, normalize, stem, title_case};
use crate::planner::{KeywordIntent, keyword_text};

/// A cluster keyword, cleaned.
#[derive(Debug, Clone)]
pub(super) struct Kw {
    pub(super) text: String,
    pub(super) volume: i64,
    pub(super) intent: KeywordIntent,
    pub(super) question: bool,
    /// The two sides of an "a vs b" keyword.
    pub(super) versus: Option<(String, String)>,
    pub(super) service: bool,
}

const QUESTION_WORDS: &[&str] = &[
    "are", "can", "do", "does", "how", "is", "should", "what", "when", "where", "which", "who",
    "why", "will",
];

const SERVICE_WORDS: &[&str] = &[
    "agency",
    "appointment",
    "book",
    "class",
    "classes",
    "coach",
    "coaching",
    "company",
    "consultant",
    "contractor",
    "course",
    "courses",
    "hire",
    "installation",
    "installer",
    "installers",
    "lessons",
    "planner",
    "repair",
    "service",
    "services",
    "tutor",
];

impl Kw {
    pub(super) fn new(k: &KeywordIn) -> Option<Kw> {
        let text = keyword_text(&k.keyword).ok()?;
        let words: Vec<String> = normalize(&text).split(' ').map(str::to_owned).collect();
        if words.iter().all(String::is_empty) {
            return None;
        }
        let versus = versus_sides(&text);
        Some(Kw {
            volume: k.volume.unwrap_or(0).max(0),
            intent: k.intent.unwrap_or_else(|| infer_intent(&text)),
            question: words
                .first()
                .is_some_and(|w| QUESTION_WORDS.contains(&w.as_str())),
            service: words.iter().any(|w| SERVICE_WORDS.contains(&w.as_str()))
                || normalize(&text).contains("near me"),
            versus,
            text,
        })
    }
}

/// "nike pegasus vs hoka clifton" → ("Nike Pegasus", "Hoka Clifton").
fn versus_sides(text: &str) -> Option<(String, String)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let at = words.iter().position(|w| {
        let w = w.to_lowercase();
        w == "vs" || w == "vs." || w == "versus"
    })?;
    let (a, b) = (words[..at].join(" "), words[at + 1..].join(" "));
    if a.is_empty() || b.is_empty() {
        return None;
    }
    Some((title_case(&a), title_case(&b)))
}

/// Stems of the topic words of `text` (no stop words or modifiers).
pub(super) fn topic_stems(text: &str) -> Vec<String> {
    normalize(text)
        .split(' ')
        .filter(|w| !w.is_empty() && !is_stop_word(w) && !is_modifier(w))
        .map(stem)
        .collect()
}
